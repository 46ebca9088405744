#!/usr/bin/env python3
"""Builds corpora/perl-modules.jsonl: Perl 5.36's core modules (Debian's perl-modules-5.36, which
every machine of this kind installs with perl) as JSON Lines: a second corpus that is not Python,
with as much English documentation (POD) as code, for checking that a finding holds across corpora.

Run once by a maintainer; the output and its MANIFEST.json entry are committed. Selection is
deterministic, as for the CPython corpus: every .pm file under the library directory of at most
MAX_FILE_BYTES, ordered by the SHA-256 of its relative path, taken until TARGET_BYTES. The split
counts come from `workbench split` (build the workbench first, or point WORKBENCH at a binary).

Usage: python3 corpora/make_perl_corpus.py [/usr/share/perl/5.36.0]
       python3 corpora/make_perl_corpus.py --manifest-only
"""
import hashlib
import json
import os
import sys

from corpus_manifest import exact_splits, refresh_splits, update_entry, workbench_splits

TARGET_BYTES = 4_000_000
MAX_FILE_BYTES = 200_000
FILE = "perl-modules.jsonl"


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.argv[1:] == ["--manifest-only"]:
        refresh_splits(here, FILE)
        return
    root = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/perl/5.36.0"
    candidates = []
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for name in sorted(files):
            if not name.endswith(".pm"):
                continue
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, root)
            data = open(path, "rb").read()
            if not data or len(data) > MAX_FILE_BYTES:
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            candidates.append((hashlib.sha256(relative.encode()).hexdigest(), relative, text, len(data)))
    candidates.sort()
    chosen, total = [], 0
    for _, relative, text, size in candidates:
        if total + size > TARGET_BYTES:
            continue
        chosen.append((relative, text))
        total += size
    chosen.sort()
    out_path = os.path.join(here, FILE)
    with open(out_path, "w", encoding="utf-8") as out:
        for relative, text in chosen:
            out.write(json.dumps({"text": text, "path": relative}, ensure_ascii=False) + "\n")
    digest = hashlib.sha256(open(out_path, "rb").read()).hexdigest()
    entry = {
        "name": "perl-modules",
        "file": FILE,
        "source": f"Perl 5.36 core modules (*.pm) from {root} (Debian package perl-modules-5.36), selected by corpora/make_perl_corpus.py",
        "licence": "the Perl licence: the Artistic License or the GNU General Public License, version 1 or later; see LICENSE-Perl.txt",
        "documents": len(chosen),
        "bytes": total,
        "sha256": digest,
        "exact_splits": exact_splits(text for _, text in chosen),
    }
    entry.update(workbench_splits(out_path))
    update_entry(here, entry)
    print(f"{len(chosen)} documents, {total} text bytes, sha256 {digest}")


if __name__ == "__main__":
    main()
