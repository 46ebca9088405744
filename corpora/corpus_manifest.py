"""Shared by the corpus generators: the split counts a MANIFEST.json entry records, and writing
one entry without touching the others. Run by maintainers only; the workbench never runs Python."""
import hashlib
import json
import os
import subprocess


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


def update_entry(here: str, entry: dict) -> None:
    """Replaces (or adds) the entry with the same file in corpora/MANIFEST.json."""
    path = os.path.join(here, "MANIFEST.json")
    manifest = json.load(open(path, encoding="utf-8")) if os.path.exists(path) else {"schema": "workbench.corpora/1", "corpora": []}
    manifest["corpora"] = [e for e in manifest["corpora"] if e["file"] != entry["file"]] + [entry]
    manifest["corpora"].sort(key=lambda e: e["name"] != "cpython-stdlib")
    write_json(path, manifest)


def refresh_splits(here: str, file: str) -> None:
    """Recomputes one entry's split counts from its committed corpus file."""
    manifest = json.load(open(os.path.join(here, "MANIFEST.json"), encoding="utf-8"))
    entry = next(e for e in manifest["corpora"] if e["file"] == file)
    corpus = os.path.join(here, file)
    texts = [json.loads(line)["text"] for line in open(corpus, encoding="utf-8") if line.strip()]
    entry["exact_splits"] = exact_splits(texts)
    entry.update(workbench_splits(corpus))
    update_entry(here, entry)
