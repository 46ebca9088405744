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
import subprocess
import sys

TARGET_BYTES = 6_000_000
MAX_FILE_BYTES = 200_000
EXCLUDED_PARTS = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"}


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.argv[1:] == ["--manifest-only"]:
        path = os.path.join(here, "MANIFEST.json")
        manifest = json.load(open(path, encoding="utf-8"))
        entry = manifest["corpora"][0]
        corpus = os.path.join(here, entry["file"])
        texts = [json.loads(line)["text"] for line in open(corpus, encoding="utf-8") if line.strip()]
        entry["exact_splits"] = exact_splits(texts)
        entry.update(workbench_splits(corpus))
        write_json(path, manifest)
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


def split_of(data: bytes) -> str:
    """The workbench's exact split rule (WorkbenchCore/Corpus/CorpusSplit.swift)."""
    bucket = int.from_bytes(hashlib.sha256(data).digest()[:8], "big") % 100
    return "train" if bucket < 90 else "valid" if bucket < 95 else "test"


def exact_splits(texts) -> dict:
    """Counts of the exact rule, computed here independently of the workbench (a cross-check)."""
    splits = {name: {"documents": 0, "bytes": 0} for name in ("train", "valid", "test")}
    for text in texts:
        data = text.encode("utf-8")
        splits[split_of(data)]["documents"] += 1
        splits[split_of(data)]["bytes"] += len(data)
    return splits


def workbench_splits(corpus: str) -> dict:
    """The default (near-duplicate) rule's counts, computed by `workbench split`: its MinHash is
    the workbench's own, and recomputing it here could drift."""
    here = os.path.dirname(os.path.abspath(__file__))
    binary = os.environ.get("WORKBENCH", os.path.join(here, "..", ".build", "release", "workbench"))
    result = json.loads(subprocess.run([binary, "split", "--corpus", corpus], check=True, capture_output=True).stdout)
    def counts(rule: str) -> dict:
        return {name: {"documents": value["documents"], "bytes": value["bytes"]}
                for name, value in result["rules"][rule]["splits"].items()}
    near = result["rules"]["near-duplicate"]
    return {
        "split_rule": near["rule"],
        "splits": counts("near-duplicate"),
        "exact_split_rule": result["rules"]["exact"]["rule"],
        "near_duplicate_clusters": near["near_duplicate_clusters"],
        "valid_windows_in_train": {"exact": result["rules"]["exact"]["splits"]["valid"]["share_of_windows_in_train"],
                                   "near-duplicate": near["splits"]["valid"]["share_of_windows_in_train"]},
    }


def write_json(path: str, value) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(value, out, indent=2, sort_keys=True)
        out.write("\n")


def write_manifest(here, root, chosen, total, digest) -> None:
    splits = exact_splits(text for _, text in chosen)
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
            "exact_splits": splits,
        }],
    }
    manifest["corpora"][0].update(workbench_splits(os.path.join(here, "cpython-stdlib.jsonl")))
    write_json(os.path.join(here, "MANIFEST.json"), manifest)


if __name__ == "__main__":
    main()
