#!/usr/bin/env python3
"""Builds corpora/cpython-stdlib.jsonl: a slice of CPython's standard library as JSON Lines.

Run once by a maintainer; the output and MANIFEST are committed. The workbench never runs Python.
Selection is deterministic: every .py file under the library directory except tests, IDLE tests
and third-party site packages, files of at most MAX_FILE_BYTES, ordered by the SHA-256 of their
relative path (a stable shuffle, so the slice spans the whole library rather than the first
letters of the alphabet), taken until TARGET_BYTES.

Usage: python3 corpora/make_cpython_corpus.py [/usr/lib/python3.11]
"""
import hashlib
import json
import os
import sys

TARGET_BYTES = 6_000_000
MAX_FILE_BYTES = 200_000
EXCLUDED_PARTS = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"}


def main() -> None:
    root = sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/python3.11"
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in EXCLUDED_PARTS)
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, root)
            with open(path, "rb") as handle:
                data = handle.read()
            if not data or len(data) > MAX_FILE_BYTES:
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            order = hashlib.sha256(relative.encode()).hexdigest()
            candidates.append((order, relative, text, len(data)))
    candidates.sort()
    chosen, total = [], 0
    for _, relative, text, size in candidates:
        if total + size > TARGET_BYTES:
            continue
        chosen.append((relative, text))
        total += size
    chosen.sort()
    out_path = os.path.join(here, "cpython-stdlib.jsonl")
    with open(out_path, "w", encoding="utf-8") as out:
        for relative, text in chosen:
            out.write(json.dumps({"text": text, "path": "Lib/" + relative}, ensure_ascii=False) + "\n")
    with open(out_path, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    write_manifest(here, root, chosen, total, digest)
    print(f"{len(chosen)} documents, {total} text bytes, sha256 {digest}")


def split_of(data: bytes) -> str:
    """The workbench's split rule (WorkbenchCore/Corpus/CorpusSplit.swift)."""
    bucket = int.from_bytes(hashlib.sha256(data).digest()[:8], "big") % 100
    return "train" if bucket < 90 else "valid" if bucket < 95 else "test"


def write_manifest(here, root, chosen, total, digest) -> None:
    splits = {name: {"documents": 0, "bytes": 0} for name in ("train", "valid", "test")}
    for _, text in chosen:
        data = text.encode("utf-8")
        splits[split_of(data)]["documents"] += 1
        splits[split_of(data)]["bytes"] += len(data)
    version = sys.version.split()[0] if root.startswith(sys.prefix) else os.path.basename(root.rstrip("/"))
    manifest = {
        "schema": "workbench.corpora/1",
        "corpora": [{
            "name": "cpython-stdlib",
            "file": "cpython-stdlib.jsonl",
            "source": f"CPython standard library (Lib/*.py, no tests) from {root} ({version}, Debian package "
                      "libpython3.11-minimal/libpython3.11-stdlib), selected by corpora/make_cpython_corpus.py",
            "licence": "PSF License Agreement (Python Software Foundation License Version 2); see LICENSE-PSF.txt",
            "documents": len(chosen),
            "bytes": total,
            "sha256": digest,
            "split_rule": "sha256(document bytes)[0..<8] as big-endian UInt64 mod 100: <90 train, <95 valid, else test",
            "splits": splits,
        }],
    }
    with open(os.path.join(here, "MANIFEST.json"), "w", encoding="utf-8") as out:
        json.dump(manifest, out, indent=2, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main()
