#!/usr/bin/env python3
"""The reference side of the external-plugin benchmark: the xz-python plugin's own `encode`
function called directly over the corpus, in one process, with no protocol in between.

Times only the encode loop (not interpreter start-up or corpus reading), so the host side,
which pays for start-up, handshake and transport, is compared against the cheapest possible
run of the same code. Prints one JSON line.
"""
import argparse
import hashlib
import importlib.util
import json
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--plugin", required=True, help="path to plugins/external/xz-python/plugin.py")
    parser.add_argument("--preset", type=int, default=6)
    parser.add_argument("--container", default="xz")
    args = parser.parse_args()

    spec = importlib.util.spec_from_file_location("xz_plugin", args.plugin)
    plugin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plugin)

    with open(args.corpus, "rb") as f:
        documents = [json.loads(line)["text"].encode("utf-8") for line in f if line.strip()]

    start = time.perf_counter()
    outputs = [plugin.encode(document, args.preset, args.container) for document in documents]
    seconds = time.perf_counter() - start

    digest = hashlib.sha256()
    for output in outputs:
        digest.update(len(output).to_bytes(8, "little"))
        digest.update(output)
    print(json.dumps({
        "benchmark": "external-bench/1", "side": "direct-python", "documents": len(documents),
        "input_bytes": sum(map(len, documents)), "symbols": sum(map(len, outputs)),
        "encode_seconds": round(seconds, 4), "sha256": digest.hexdigest(),
    }))


if __name__ == "__main__":
    main()
