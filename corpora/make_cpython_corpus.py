#!/usr/bin/env python3
"""Builds corpora/cpython-stdlib.jsonl: a slice of CPython's standard library as JSON Lines.

Run once by a maintainer; the output and MANIFEST are committed. The workbench never runs Python.
Selection is deterministic: every .py file under the library directory except tests, IDLE tests
and third-party site packages, files of at most MAX_FILE_BYTES, ordered by the SHA-256 of their
relative path (a stable shuffle, so the slice spans the whole library rather than the first
letters of the alphabet), taken until TARGET_BYTES.

The MANIFEST's split counts come from the workbench itself (`workbench split`), so they follow
its default near-duplicate split rule exactly; `exact_splits` holds the per-document hash rule's.
Build the workbench first (`make release`), or point WORKBENCH at a binary.

Usage: python3 corpora/make_cpython_corpus.py [/usr/lib/python3.11]
       python3 corpora/make_cpython_corpus.py --manifest-only   # refresh MANIFEST.json's splits
"""
import hashlib
import json
import os
import sys

from corpus_manifest import exact_splits, refresh_splits, update_entry, workbench_splits

TARGET_BYTES = 6_000_000
MAX_FILE_BYTES = 200_000
EXCLUDED_PARTS = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"}


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.argv[1:] == ["--manifest-only"]:
        refresh_splits(here, "cpython-stdlib.jsonl")
        return
    root = sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/python3.11"
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


def write_manifest(here, root, chosen, total, digest) -> None:
    splits = exact_splits(text for _, text in chosen)
    version = sys.version.split()[0] if root.startswith(sys.prefix) else os.path.basename(root.rstrip("/"))
    entry = {
            "name": "cpython-stdlib",
            "file": "cpython-stdlib.jsonl",
            "source": f"CPython standard library (Lib/*.py, no tests) from {root} ({version}, Debian package "
                      "libpython3.11-minimal/libpython3.11-stdlib), selected by corpora/make_cpython_corpus.py",
            "licence": "PSF License Agreement (Python Software Foundation License Version 2); see LICENSE-PSF.txt",
            "documents": len(chosen),
            "bytes": total,
            "sha256": digest,
            "exact_splits": splits,
    }
    entry.update(workbench_splits(os.path.join(here, "cpython-stdlib.jsonl")))
    update_entry(here, entry)


if __name__ == "__main__":
    main()
