#!/usr/bin/env python3
"""The reference side of the external-plugin benchmark: the xz-python plugin's own `encode` and
`decode` functions called directly over the corpus, in one process, with no protocol in between.

Times only the loops (not interpreter start-up or corpus reading), as the workbench's rate
measurement times only its encode and decode calls: `--passes` passes, each an encode loop over
every document then a decode loop over every encoding, and the median pass of each is reported.
Prints one JSON line.
"""
import argparse
import hashlib
import importlib.util
import json
import statistics
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--plugin", required=True, help="path to plugins/external/xz-python/plugin.py")
    parser.add_argument("--preset", type=int, default=6)
    parser.add_argument("--container", default="xz")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()

    spec = importlib.util.spec_from_file_location("xz_plugin", args.plugin)
    plugin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plugin)

    with open(args.corpus, "rb") as f:
        documents = [json.loads(line)["text"].encode("utf-8") for line in f if line.strip()]

    encode_seconds, decode_seconds = [], []
    for _ in range(args.passes):
        start = time.perf_counter()
        outputs = [plugin.encode(document, args.preset, args.container) for document in documents]
        encode_seconds.append(time.perf_counter() - start)
        start = time.perf_counter()
        decoded = [plugin.decode(output, len(document), args.preset, args.container)
                   for output, document in zip(outputs, documents)]
        decode_seconds.append(time.perf_counter() - start)
        if decoded != documents:
            raise SystemExit("direct.py: the round trip failed")

    digest = hashlib.sha256()
    for output in outputs:
        digest.update(len(output).to_bytes(8, "little"))
        digest.update(output)
    print(json.dumps({
        "benchmark": "external-bench/2", "side": "direct-python", "documents": len(documents),
        "input_bytes": sum(map(len, documents)), "symbols": sum(map(len, outputs)),
        "encode_seconds": round(statistics.median(encode_seconds), 4),
        "decode_seconds": round(statistics.median(decode_seconds), 4),
        "encode_seconds_all": [round(s, 4) for s in encode_seconds],
        "decode_seconds_all": [round(s, 4) for s in decode_seconds],
        "sha256": digest.hexdigest(),
    }))


if __name__ == "__main__":
    main()
