#!/usr/bin/env python3
"""Fixtures: the model ids the reference trainer (github.com/LZhengisme/proxy-compression, the code of
"Proxy Compression for Language Modeling", arXiv 2602.04289) derives from what `workbench export`
gives it, computed by the reference's OWN data path: `lingua.data.find_and_sanitize_chunks`,
`read_jsonl` and `tokenize` (with `lingua.tokenizer` and `lingua.neural_compression_utils`),
imported from a checkout of that repository. Nothing of the reference is copied here.

Usage (see README.md beside this file):

    python3 make_reference_ids.py REF_CHECKOUT --tokenizer /tmp/refx/bpe.tokenizer.json \
        [--export-jsonl /tmp/refx/bpe.jsonl] [--corpus corpora/cpython-stdlib.jsonl] [--out DIR]

REF_CHECKOUT is a checkout of the reference repository (a git work tree, so that its commit is
recorded). Needs transformers==4.50.0 (the reference's pin), tokenizers, numpy and sentencepiece:
when they are missing, the script makes a virtual environment (--venv, default
/tmp/refcode-venv), installs them from PyPI and runs itself again there. `lingua.data` imports
torch.multiprocessing at the top but the functions used here never call it: when torch is not
installed, a stand-in module with those four names is registered (recorded as "torch": "stub").
"""
import argparse
import base64
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import types
import zlib

PINS = ["transformers==4.50.0", "tokenizers", "numpy", "sentencepiece"]

# Documents of the shipped corpus, by path: small ones, two starting with `#`, one with `"""`,
# one with a newline.
CORPUS_PATHS = [
    "Lib/concurrent/__init__.py",
    "Lib/lib2to3/__main__.py",
    "Lib/curses/panel.py",
    "Lib/lib2to3/pgen2/__init__.py",
    "Lib/decimal.py",
]
# Synthetic documents for edge cases of the reference's token path.
SYNTHETIC = [
    # First BPE token `"` has id 1 and last token `#` has id 2 in a byte-level BPE whose first
    # tokens are the 256 single bytes in ByteLevel order (`!` 0, `"` 1, `#` 2, ...): the
    # reference's encode_with_spm drops both (it compares them with EvaByte's bos 1 and eos 2).
    ("strip_first_and_last", '"x = 1\n#'),
    ("non_ascii", "s = 'h\u00e9llo \u2014 \u4e16\u754c'\n"),
    # An empty document: the reference's encode_with_spm indexes token_ids[0] and raises.
    ("empty", ""),
]
# Documents of the shipped corpus where the reference's token path drops a real token (found by
# scanning the export; listed, not stored, to keep the fixtures small).
CORPUS_STRIP_INSTANCES = [{"corpus_path": "Lib/lib2to3/btm_utils.py", "corpus_line": 236, "first_token_id": 1,
                           "reference_drops": "the first token (`\"`, id 1): the document starts `\"Utility`"}]


def ensure_environment(args):
    try:
        import transformers  # noqa: F401
        import tokenizers  # noqa: F401
        import numpy  # noqa: F401
        import sentencepiece  # noqa: F401
        if transformers.__version__ == "4.50.0":
            return
    except ImportError:
        pass
    if os.environ.get("MAKE_REFERENCE_IDS_REEXEC"):
        sys.exit("the virtual environment lacks " + " ".join(PINS))
    python = os.path.join(args.venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", args.venv])
    subprocess.check_call([python, "-m", "pip", "install", "-q", *PINS])
    os.environ["MAKE_REFERENCE_IDS_REEXEC"] = "1"
    os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])


def import_reference(ref):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    sys.path.insert(0, ref)
    import lingua.tokenizer as tok  # imports transformers, which must not see a stand-in torch
    import lingua.neural_compression_utils as ncu
    try:
        import torch
        torch_version = torch.__version__
        import lingua.data as data
    except ImportError:
        stub = types.ModuleType("torch")
        mp = types.ModuleType("torch.multiprocessing")
        for name in ("Process", "Queue", "Event", "SimpleQueue"):
            setattr(mp, name, type(name, (), {}))
        stub.multiprocessing = mp
        sys.modules["torch"], sys.modules["torch.multiprocessing"] = stub, mp
        try:
            import lingua.data as data
        finally:  # only lingua.data's module-level import needed it
            del sys.modules["torch"], sys.modules["torch.multiprocessing"]
        torch_version = "stub"
    return data, tok, ncu, torch_version


class Reference:
    """Runs documents through the reference's reader and tokenizer, one JSONL chunk per call."""

    def __init__(self, data, tok, ncu, evabyte_dir):
        self.data, self.tok, self.ncu, self.evabyte_dir = data, tok, ncu, evabyte_dir

    def model_ids(self, record, alg_config, tokenizer_name="hf", spm_byte_path=None, separate_embedding=False,
                  rate=1.0):
        """The ids `tokenize` yields for one JSONL line, read back by `read_jsonl` from a file the
        reference's chunk pattern finds; rate 1.0 = compressed view, 0.0 = raw view ("sentinel" mix,
        bos and eos added, as in the reference's scripts). Returns (ids, None) or (None, error)."""
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "fixture.chunk.00.jsonl"), "w", encoding="utf-8") as f:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
            [path] = self.data.find_and_sanitize_chunks(d, world_size=1)
            lines = self.data.read_jsonl(path, 0, 1, 0, 0, None, rate, "sentinel")
            it = self.data.tokenize(
                lines, add_bos=True, add_eos=True, tokenizer_type=tokenizer_name, tokenizer_path=self.evabyte_dir,
                spm_byte_path=spm_byte_path, byte_conversion_args=None, compression_alg_config=alg_config,
                separate_embedding=separate_embedding)
            try:
                out = [tokens for tokens, _ in it]
            except Exception as e:  # the reference raising is a fact worth recording
                return None, f"{type(e).__name__}: {e}"
        assert len(out) == 1
        return [int(t) for t in out[0]], None


def sha256_hex(b):
    return hashlib.sha256(b).hexdigest()


def git_commit(ref):
    try:
        return subprocess.check_output(["git", "-C", ref, "rev-parse", "HEAD"], text=True).strip()
    except Exception:
        return "unknown (not a git work tree)"


def load_documents(corpus):
    by_path, lines = {}, {}
    with open(corpus, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if line.strip():
                obj = json.loads(line)
                by_path[obj.get("path")] = obj["text"]
                lines[obj.get("path")] = n
    docs = []
    for p in CORPUS_PATHS:
        docs.append({"name": p.replace("/", "_").replace(".", "_"), "source": "corpus", "corpus_path": p,
                     "corpus_line": lines[p], "text": by_path[p]})
    for name, text in SYNTHETIC:
        docs.append({"name": name, "source": "synthetic", "text": text})
    for d in docs:
        d["utf8_sha256"] = sha256_hex(d["text"].encode("utf-8"))
        d["utf8_length"] = len(d["text"].encode("utf-8"))
    return docs


# ---- ac: the two window layouts ------------------------------------------------------------
def nine_bit_pack(values):
    """9-bit values packed LSB-first (the layout both our exporter and the reference use)."""
    acc = bits = 0
    out = bytearray()
    for v in values:
        acc |= (v & 0x1FF) << bits
        bits += 9
        while bits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            bits -= 8
    if bits:
        out.append(acc)
    return base64.b64encode(bytes(out)).decode()


def window_bytes(w, bits, padding_low):
    """A window as ceil(bits/8) big-endian bytes; padding in the low bits (the reference's
    expectation) or in the high bits (the workbench exporter at the time of writing)."""
    n = (bits + 7) // 8
    v = w << (8 * n - bits) if padding_low else w
    return [(v >> (8 * i)) & 0xFF for i in reversed(range(n))]


def stream_nine_bit_values(items, bits, padding_low):
    values = []
    for kind, v in items:
        if kind == "raw":
            values.append(v)
        elif kind == "window":
            values.extend(256 + b for b in window_bytes(v, bits, padding_low))
        else:  # "compressed_byte": a bare compressed byte 256 + v
            values.append(256 + v)
    return values


def ac_cases():
    """(name, field, window bits, items, [(pack, separate_embedding)]).
    items: ("raw", b) raw byte passed through, ("window", w) one equal-info window,
    ("compressed_byte", b) one compressed byte (plain AC, or a cut span)."""
    w16 = [("raw", 0x41), ("window", 0x1234), ("window", 0x0000), ("raw", 0x0A), ("window", 0xFFFF),
           ("window", 0xABCD), ("window", 0x00FF), ("raw", 0xFF), ("raw", 0x00), ("window", 0x8001)]
    w20 = [("raw", 0x41), ("window", 0xABCDE), ("window", 0x00001), ("raw", 0x0A), ("window", 0xFFFFF),
           ("window", 0x12345), ("window", 0x80000), ("raw", 0xFF), ("window", 0x0000F)]
    return [
        ("ow16", "m1_ac_ow16", 16, w16, [(16, False), (16, True), (8, False), (0, False)]),
        ("ow20", "m1_ac_ow20", 20, w20, [(20, False), (10, False), (0, False), (16, False)]),
        ("ow16_windows_only", "m1_ac_ow16", 16, [("window", w) for w in (0x0102, 0xFEDC, 0x7F80)], [(16, False)]),
        ("ow20_single_window_0xABCDE", "m1_ac_ow20", 20, [("window", 0xABCDE)], [(20, False)]),
        ("plain_ac", "m1_ac", 0, [("compressed_byte", b) for b in (0x00, 0x05, 0x80, 0xFF)], [(0, False)]),
        # A compressed span that is not a whole number of windows: 3 compressed bytes after
        # window 0x1234 (ow16). The reference's pack_compressed_spans silently drops the odd byte.
        ("ow16_cut_span", "m1_ac_ow16", 16, [("window", 0x1234), ("compressed_byte", 0x56), ("raw", 0x41)],
         [(16, False)]),
        ("empty", "m1_ac_ow16", 16, [], [(16, False)]),
    ]


def expected_ac_ids(items, bits, pack, separate_embedding, offset=64):
    """The ids a correctly unpacked stream gets: raw b -> offset + b (+256 with separate embeddings);
    window w -> offset + 256 + w for pack = bits (or its pack-bit pieces, most significant first);
    pack 0 -> each 9-bit value v -> offset + v."""
    base = offset + (256 if separate_embedding else 0)
    ids = []
    for kind, v in items:
        if kind == "raw":
            ids.append(base + v)
        elif pack == 0 or kind == "compressed_byte":
            vals = window_bytes(v, bits, True) if kind == "window" else [v]
            ids.extend(base + 256 + b for b in vals)
        else:
            ids.extend(base + 256 + ((v >> (bits - pack * (i + 1))) & ((1 << pack) - 1)) for i in range(bits // pack))
    return ids


def make_ac(ref, ncu, meta):
    cases = []
    for name, field, bits, items, packs in ac_cases():
        symbols = [v if k == "raw" else 256 + v for k, v in items]
        expected = stream_nine_bit_values(items, bits, padding_low=True)
        current = stream_nine_bit_values(items, bits, padding_low=False)
        case = {
            "name": name, "field": field, "window_bits": bits,
            "stream": [f"{k} 0x{v:X}" for k, v in items],
            "workbench_symbols_pass_through": symbols if bits else None,
            "nine_bit_values_reference_layout": expected,
            "field_reference_layout": nine_bit_pack(expected),
            "field_workbench_layout_at_writing": nine_bit_pack(current),
            "layouts_differ": expected != current,
            "reference_nine_bit_values": ncu.packed_bytes_to_pseudo(base64.b64decode(nine_bit_pack(expected))),
            "configs": [],
        }
        if bits == 0:
            case["workbench_symbols_plain"] = [v for _, v in items]
        for pack, sep in packs:
            alg = f"ac_m1_key-pack_{pack}-{field}"
            entry = {"compression_alg_config": alg, "separate_embedding": sep}
            if pack and bits % pack:
                entry["reference_error"] = ref.model_ids({"text": "", field: case["field_reference_layout"]}, alg)[1]
                case["configs"].append(entry)
                continue
            if pack:
                entry["reference_packed_values"] = ncu.pack_compressed_spans(
                    case["reference_nine_bit_values"], bits_per_compressed=pack, compression_bit_threshold=bits,
                    compression_offset=256)
            ids, err = ref.model_ids({"text": "", field: case["field_reference_layout"]}, alg, separate_embedding=sep)
            assert err is None, err
            entry["model_ids"] = ids
            if name != "ow16_cut_span":
                want = [1, 14, *expected_ac_ids(items, bits, pack, sep), 15, 2]
                assert ids == want, (name, alg, ids, want)
            if case["layouts_differ"]:
                cur, err = ref.model_ids({"text": "", field: case["field_workbench_layout_at_writing"]}, alg,
                                         separate_embedding=sep)
                entry["model_ids_from_workbench_layout_at_writing"] = cur if err is None else None
                if err:
                    entry["error_from_workbench_layout_at_writing"] = err
            case["configs"].append(entry)
        cases.append(case)
    return {**meta, "what": "ac: ids the reference unpacks from an m1_ac_ow<b> / m1_ac field (base64 of 9-bit "
            "values, LSB-first). Synthetic windows, independent of any neural model.", "cases": cases}


def make_gzip(ref, docs, meta):
    out = []
    for d in docs:
        ids, err = ref.model_ids({"text": d["text"]}, "gzip_no_mtime", separate_embedding=True)
        assert err is None, err
        body = bytes(t - 320 for t in ids[2:-2])
        assert ids[:2] == [1, 14] and ids[-2:] == [15, 2] and gzip.decompress(body) == d["text"].encode()
        out.append({"name": d["name"], "model_ids": ids, "compressed_hex": body.hex(),
                    "header": {"xfl": body[8], "os": body[9], "mtime": int.from_bytes(body[4:8], "little")},
                    "same_as_python_gzip_compress_mtime0": body == gzip.compress(d["text"].encode(), mtime=0)})
    return {**meta, "what": "gzip: ids from compression_alg_config=gzip_no_mtime (gzip.compress(text, mtime=0) in the "
            "running Python), tokenizer hf (EvaByte), separate_embedding=true as in "
            "scripts/train_evabyte_gzip_proxy.sh; compressed_hex = ids inside <compressed> minus 320",
            "python": sys.version.split()[0], "zlib_runtime": zlib.ZLIB_RUNTIME_VERSION,
            "note_os_byte": "Python 3.11 and 3.12.1 hand mtime=0 to zlib (OS byte 3); 3.10 and 3.13 write OS byte "
                            "255. The deflate body is the same. The header is at compressed_hex bytes 0..9.",
            "documents": out}


def make_bpe(ref, tok, docs, tokenizer_json, export_ids, meta):
    from transformers import AutoTokenizer
    from tokenizers import Tokenizer as HFTokenizer
    raw = open(tokenizer_json, "rb").read()
    with tempfile.TemporaryDirectory() as folder:
        # What the reference's AutoTokenizer.from_pretrained(spm_byte_path) needs: a folder with
        # tokenizer.json and a tokenizer_config.json naming the class.
        with open(os.path.join(folder, "tokenizer.json"), "wb") as f:
            f.write(raw)
        with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
            json.dump({"tokenizer_class": "PreTrainedTokenizerFast"}, f)
        hf = AutoTokenizer.from_pretrained(folder, trust_remote_code=True)
        plain = HFTokenizer.from_file(tokenizer_json)
        token_proxy = tok.build_tokenizer("token_plus_byte", ref.evabyte_dir, folder, None, True)
        out = []
        for d in docs:
            hf_ids = hf.encode(d["text"])
            assert hf_ids == plain.encode(d["text"]).ids
            entry = {"name": d["name"], "hf_encode_ids": hf_ids}
            if d["name"] in export_ids:
                entry["workbench_export_bpe_ids"] = export_ids[d["name"]]
                entry["workbench_export_equals_hf_encode"] = export_ids[d["name"]] == hf_ids
            try:
                entry["reference_token_ids"] = token_proxy.encode_with_spm(d["text"])
            except Exception as e:
                entry["reference_token_ids"] = None
                entry["reference_error"] = f"{type(e).__name__}: {e}"
            ids, err = ref.model_ids({"text": d["text"]}, "spm_byte", tokenizer_name="token_plus_byte",
                                     spm_byte_path=folder, separate_embedding=True)
            entry["model_ids"] = ids
            if err:
                entry["model_ids_error"] = err
            else:
                assert ids == [1, 14, *(320 + t for t in entry["reference_token_ids"]), 15, 2]
            # Token-byte proxy (scripts/train_evabyte_token_byte_proxy.sh, simple byte converter):
            # spm_byte_path is the tokenizer.json file itself, each id as 2 big-endian bytes.
            ids2, err2 = ref.model_ids({"text": d["text"]}, "spm_byte", tokenizer_name="hf",
                                       spm_byte_path=tokenizer_json, separate_embedding=True)
            entry["token_byte_model_ids"] = ids2
            if err2:
                entry["token_byte_error"] = err2
            out.append(entry)
        special = {"token_tokenizer_len": len(hf), "token_tokenizer_bos_token_id": hf.bos_token_id,
                   "token_tokenizer_eos_token_id": hf.eos_token_id,
                   "stripped_first_id": token_proxy.token_bos_id, "stripped_last_id": token_proxy.token_eos_id,
                   "token_proxy_n_words": token_proxy.n_words}
    return {**meta, "what": "bpe: token proxy (tokenizer token_plus_byte, compression_alg_config=spm_byte, "
            "separate_embedding=true as in scripts/train_evabyte_token_proxy.sh) with spm_byte_path = a folder "
            "holding our tokenizer.json and tokenizer_config.json {\"tokenizer_class\": \"PreTrainedTokenizerFast\"}",
            "tokenizer_file": "bpe4096.tokenizer.json", "tokenizer_sha256": sha256_hex(raw),
            "tokenizer_bytes": len(raw), **special,
            "model_vocab_size_needed": 320 + len(hf),
            "corpus_strip_instances": CORPUS_STRIP_INSTANCES, "documents": out}


def dumps(obj, indent=""):
    """JSON with one key per line but each list of numbers or strings on one line."""
    inner = indent + " "
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {dumps(v, inner)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(obj, list) and any(isinstance(v, (dict, list)) for v in obj):
        return "[\n" + ",\n".join(inner + dumps(v, inner) for v in obj) + "\n" + indent + "]"
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("ref", help="checkout of github.com/LZhengisme/proxy-compression")
    p.add_argument("--tokenizer", required=True, help="tokenizer.json of `workbench export --compressor bpe`")
    p.add_argument("--export-jsonl", help="that export's .jsonl, to record its bpe_ids for the corpus documents")
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", "..", "..", ".."))
    p.add_argument("--corpus", default=os.path.join(root, "corpora", "cpython-stdlib.jsonl"))
    p.add_argument("--out", default=here)
    p.add_argument("--venv", default="/tmp/refcode-venv")
    args = p.parse_args()
    ensure_environment(args)
    ref_dir = os.path.abspath(args.ref)
    data, tok, ncu, torch_version = import_reference(ref_dir)
    import transformers
    import tokenizers
    evabyte_dir = os.path.join(ref_dir, "evals", "ref_hf_evabyte_impl")
    ref = Reference(data, tok, ncu, evabyte_dir)
    evabyte = tok.build_tokenizer("hf", evabyte_dir, None, None, True)
    meta = {
        "reference": {"repository": "github.com/LZhengisme/proxy-compression", "commit": git_commit(ref_dir),
                      "entry": "lingua/data.py find_and_sanitize_chunks -> read_jsonl(rate, 'sentinel') -> tokenize"},
        "generator": "Tests/ACTests/Fixtures/reference-code/make_reference_ids.py",
        "python": sys.version.split()[0], "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__, "torch": torch_version,
        "evabyte_tokenizer": {"folder": "evals/ref_hf_evabyte_impl (the configs name the hub copy evabyte/EvaByte)",
                              "offset": evabyte.offset, "bos": evabyte.bos_id, "eos": evabyte.eos_id,
                              "pad": evabyte.pad_id, "raw_open": evabyte.raw_sentinel_id_start,
                              "raw_close": evabyte.raw_sentinel_id_end,
                              "compressed_open": evabyte.compressed_sentinel_id_start,
                              "compressed_close": evabyte.compressed_sentinel_id_end},
        "sequence": "every model_ids list is one document as tokenize() yields it with add_bos, add_eos and the "
                    "'sentinel' mix at rate 1.0: [bos, <compressed>, ..., </compressed>, eos]",
    }
    docs = load_documents(args.corpus)
    for d in docs:
        ids, err = ref.model_ids({"text": d["text"]}, "gzip_no_mtime", separate_embedding=True, rate=0.0)
        assert err is None and ids == [1, 12, *(64 + b for b in d["text"].encode()), 13, 2]
        d["raw_view_model_ids"] = ids
    export_ids = {}
    if args.export_jsonl:
        wanted = {d["corpus_path"]: d["name"] for d in docs if d["source"] == "corpus"}
        texts = {d["name"]: d["text"] for d in docs}
        with open(args.export_jsonl, encoding="utf-8") as f, open(args.corpus, encoding="utf-8") as c:
            for line, cline in zip(f, c):
                path = json.loads(cline).get("path")
                if path in wanted:
                    obj = json.loads(line)
                    assert obj["text"] == texts[wanted[path]]
                    export_ids[wanted[path]] = obj["bpe_ids"]
    files = {
        "documents.json": {**meta, "what": "the documents; raw_view_model_ids = tokenize() at rate 0.0 "
                           "([bos, <raw>, 64 + byte..., </raw>, eos])", "documents": docs},
        "gzip.json": make_gzip(ref, docs, meta),
        "bpe.json": make_bpe(ref, tok, docs, args.tokenizer, export_ids, meta),
        "ac.json": make_ac(ref, ncu, meta),
    }
    os.makedirs(args.out, exist_ok=True)
    for name, obj in files.items():
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            f.write(dumps(obj) + "\n")
    tok_copy = os.path.join(args.out, "bpe4096.tokenizer.json")
    if os.path.abspath(args.tokenizer) != os.path.abspath(tok_copy):
        with open(args.tokenizer, "rb") as src, open(tok_copy, "wb") as dst:
            dst.write(src.read())
    print("wrote", ", ".join(sorted([*files, "bpe4096.tokenizer.json"])), "to", args.out)


if __name__ == "__main__":
    main()
