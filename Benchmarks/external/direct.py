#!/usr/bin/env python3
"""The reference side of the external-plugin benchmark: the xz-python plugin's own `encode` and
`decode` functions called directly over the corpus, in one process, with no protocol in between.

Times only the loops (not interpreter start-up or corpus reading), as the workbench's rate
measurement times only its encode and decode calls. One pass is an encode loop over every
document, then a decode loop over every encoding (each checked against its document, outside
the clock).

Two ways to run it:
  direct.py --corpus C --plugin P [--passes 3]   runs the passes and prints one JSON line with
                                                 the median pass;
  direct.py --corpus C --plugin P --serve        the worker external-bench alternates with: after
                                                 loading, it runs one pass for every `pass` line on
                                                 stdin and answers with one JSON line, until EOF.
"""
import argparse
import hashlib
import importlib.util
import json
import statistics
import sys
import time


def load_plugin(path):
    spec = importlib.util.spec_from_file_location("xz_plugin", path)
    plugin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plugin)
    return plugin


def one_pass(plugin, documents, preset, container):
    """Times one encode loop and one decode loop; returns (encode s, decode s, encodings)."""
    start = time.perf_counter()
    outputs = [plugin.encode(document, preset, container) for document in documents]
    encode_seconds = time.perf_counter() - start
    start = time.perf_counter()
    decoded = [plugin.decode(output, len(document), preset, container)
               for output, document in zip(outputs, documents)]
    decode_seconds = time.perf_counter() - start
    if decoded != documents:
        raise SystemExit("direct.py: the round trip failed")
    return encode_seconds, decode_seconds, outputs


def digest(outputs):
    """SHA-256 over (8-byte little-endian length, bytes) of every encoding, as external-bench."""
    hashed = hashlib.sha256()
    for output in outputs:
        hashed.update(len(output).to_bytes(8, "little"))
        hashed.update(output)
    return hashed.hexdigest()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--plugin", required=True, help="path to plugins/external/xz-python/plugin.py")
    parser.add_argument("--preset", type=int, default=6)
    parser.add_argument("--container", default="xz")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--serve", action="store_true", help="run one pass per 'pass' line on stdin")
    args = parser.parse_args()

    plugin = load_plugin(args.plugin)
    with open(args.corpus, "rb") as f:
        documents = [json.loads(line)["text"].encode("utf-8") for line in f if line.strip()]

    if args.serve:
        for command in sys.stdin:
            if command.strip() != "pass":
                raise SystemExit("direct.py --serve: unknown command %r (expected 'pass')" % command.strip())
            encode_seconds, decode_seconds, outputs = one_pass(plugin, documents, args.preset, args.container)
            print(json.dumps({"encode_seconds": encode_seconds, "decode_seconds": decode_seconds,
                              "symbols": sum(map(len, outputs)), "sha256": digest(outputs)}), flush=True)
        return

    encode_seconds, decode_seconds = [], []
    for _ in range(args.passes):
        encode_time, decode_time, outputs = one_pass(plugin, documents, args.preset, args.container)
        encode_seconds.append(encode_time)
        decode_seconds.append(decode_time)
    print(json.dumps({
        "side": "direct-python", "documents": len(documents),
        "input_bytes": sum(map(len, documents)), "symbols": sum(map(len, outputs)),
        "encode_seconds": round(statistics.median(encode_seconds), 4),
        "decode_seconds": round(statistics.median(decode_seconds), 4),
        "encode_seconds_all": [round(s, 4) for s in encode_seconds],
        "decode_seconds_all": [round(s, 4) for s in decode_seconds],
        "sha256": digest(outputs),
    }))


if __name__ == "__main__":
    main()
