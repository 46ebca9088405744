#!/usr/bin/env python3
"""The reference side of Benchmarks/bpe/run.sh: HuggingFace tokenizers and tiktoken.

    reference.py train  --corpus C --vocab N --pretokenizer gpt2|none --out DIR
    reference.py encode --corpus C --tokenizer tokenizer.json --ours-ids FILE [--passes N]
    reference.py merges OURS.json THEIRS.json
    reference.py hf-check --corpus C --tokenizer OURS.json --ours-ids FILE

Each command prints one JSON object. The corpus split rule is the workbench's (sha256 of the
document's UTF-8 bytes, first 8 bytes big-endian, mod 100: <90 train).
"""
import argparse
import hashlib
import json
import os
import resource
import struct
import sys
import time

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def documents(corpus, split):
    out = []
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            text = json.loads(line)["text"]
            value = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") % 100
            name = "train" if value < 90 else ("valid" if value < 95 else "test")
            if split in ("all", name):
                out.append(text)
    return out


def peak_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def current_rss_kb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def train(args):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    texts = documents(args.corpus, "train")
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(
        add_prefix_space=False, use_regex=args.pretokenizer == "gpt2")
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=args.vocab, min_frequency=0, show_progress=False, special_tokens=[],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    before = current_rss_kb()
    start = time.perf_counter()
    tokenizer.train_from_iterator(texts, trainer=trainer)
    seconds = time.perf_counter() - start
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        tokenizer.save(os.path.join(args.out, "tokenizer.json"))
    print(json.dumps({
        "tool": "hf", "task": "train", "pretokenizer": args.pretokenizer, "vocab": tokenizer.get_vocab_size(),
        "wall_seconds": seconds, "rss_before_kb": before, "peak_rss_kb": peak_rss_kb(),
        "threads": os.environ.get("RAYON_NUM_THREADS", "all cores")}, sort_keys=True))


def token_bytes(tokenizer_path):
    from tokenizers import pre_tokenizers  # noqa: F401 (the venv check)
    # GPT-2's byte <-> unicode map.
    printable = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    spelled = {}
    extra = 0
    for byte in range(256):
        if byte in printable:
            spelled[chr(byte)] = byte
        else:
            spelled[chr(256 + extra)] = byte
            extra += 1
    with open(tokenizer_path, encoding="utf-8") as handle:
        vocab = json.load(handle)["model"]["vocab"]
    return {bytes(spelled[ch] for ch in token): rank for token, rank in vocab.items()}


def read_ours(path):
    with open(path, "rb") as handle:
        data = handle.read()
    out, offset = [], 0
    while offset < len(data):
        (count,) = struct.unpack_from("<I", data, offset)
        offset += 4
        out.append(list(struct.unpack_from(f"<{count}I", data, offset)))
        offset += 4 * count
    return out


def encode(args):
    import tiktoken
    from tokenizers import Tokenizer
    texts = documents(args.corpus, "all")
    total = sum(len(t.encode("utf-8")) for t in texts)
    encoding = tiktoken.Encoding(
        name="hf-bpe", pat_str=GPT2_PATTERN, mergeable_ranks=token_bytes(args.tokenizer), special_tokens={})
    best = float("inf")
    tiktoken_ids = None
    for _ in range(args.passes):
        start = time.perf_counter()
        ids = [encoding.encode_ordinary(t) for t in texts]
        best = min(best, time.perf_counter() - start)
        tiktoken_ids = ids
    hf = Tokenizer.from_file(args.tokenizer)
    start = time.perf_counter()
    hf_ids = [hf.encode(t).ids for t in texts]
    hf_seconds = time.perf_counter() - start
    ours = read_ours(args.ours_ids) if args.ours_ids else None
    result = {
        "tool": "reference", "task": "encode", "bytes": total, "documents": len(texts),
        "tiktoken_mb_per_s": total / 1e6 / best, "hf_mb_per_s": total / 1e6 / hf_seconds,
        "tiktoken_version": tiktoken.__version__,
    }
    if ours is not None:
        result["documents_differing_from_hf"] = sum(a != b for a, b in zip(ours, hf_ids)) + abs(len(ours) - len(hf_ids))
        result["documents_differing_from_tiktoken"] = sum(a != b for a, b in zip(ours, tiktoken_ids))
        result["tiktoken_documents_differing_from_hf"] = sum(a != b for a, b in zip(tiktoken_ids, hf_ids))
    print(json.dumps(result, sort_keys=True))


def hf_check(args):
    """HF tokenizers loads a tokenizer.json we wrote and encodes every document to our ids."""
    from tokenizers import Tokenizer
    texts = documents(args.corpus, "all")
    hf = Tokenizer.from_file(args.tokenizer)
    hf_ids = [hf.encode(t).ids for t in texts]
    ours = read_ours(args.ours_ids)
    differing = sum(a != b for a, b in zip(ours, hf_ids)) + abs(len(ours) - len(hf_ids))
    print(json.dumps({
        "task": "hf-check", "tokenizer": os.path.basename(os.path.dirname(args.tokenizer)),
        "documents": len(texts), "documents_differing": differing}, sort_keys=True))


def merges(args):
    def load(path):
        with open(path, encoding="utf-8") as handle:
            model = json.load(handle)["model"]
        return [m if isinstance(m, str) else " ".join(m) for m in model["merges"]], model["vocab"]
    ours, our_vocab = load(args.ours)
    theirs, their_vocab = load(args.theirs)
    differing = [i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]
    print(json.dumps({
        "task": "merges", "ours": len(ours), "theirs": len(theirs), "differing_positions": len(differing),
        "first_difference": differing[0] if differing else None, "vocab_identical": our_vocab == their_vocab,
    }, sort_keys=True))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("train")
    p.add_argument("--corpus", required=True)
    p.add_argument("--vocab", type=int, required=True)
    p.add_argument("--pretokenizer", choices=["gpt2", "none"], default="gpt2")
    p.add_argument("--out")
    p = sub.add_parser("encode")
    p.add_argument("--corpus", required=True)
    p.add_argument("--tokenizer", required=True)
    p.add_argument("--ours-ids")
    p.add_argument("--passes", type=int, default=3)
    p = sub.add_parser("merges")
    p.add_argument("ours")
    p.add_argument("theirs")
    p = sub.add_parser("hf-check")
    p.add_argument("--corpus", required=True)
    p.add_argument("--tokenizer", required=True)
    p.add_argument("--ours-ids", required=True)
    args = parser.parse_args()
    {"train": train, "encode": encode, "merges": merges, "hf-check": hf_check}[args.command](args)


if __name__ == "__main__":
    main()
