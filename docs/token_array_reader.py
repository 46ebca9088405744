#!/usr/bin/env python3
"""Read a workbench token array (`workbench export --format token-array --out PREFIX`).

Files: PREFIX.bin (little-endian uint16 or uint32 token ids, dtype in the header),
PREFIX.idx (documents + 1 little-endian uint64 offsets in tokens; document i is
tokens[idx[i]:idx[i+1]]) and PREFIX.json (dtype, counts, vocabulary layout of the paper ("Proxy Compression for Language Modeling"):
0..63 special, 64 + b raw byte b, 320 + v compressed symbol v).

Uses a numpy memmap when numpy is installed (what a GPT-style trainer does), else the
standard library's struct module. Usage:

    python3 docs/token_array_reader.py PREFIX            # summary as JSON
    python3 docs/token_array_reader.py PREFIX --dump     # one line of ids per document
"""
import json
import struct
import sys

FORMAT = "workbench.export/1"


class TokenArray:
    """Documents of a token array, each a sequence of ints, read lazily from PREFIX.bin."""

    def __init__(self, prefix):
        with open(prefix + ".json") as f:
            self.header = json.load(f)
        if self.header.get("format") != FORMAT or self.header.get("exportFormat") != "token-array":
            raise ValueError(f"{prefix}.json: not a {FORMAT} token-array header")
        self.dtype = self.header["tokenArray"]["dtype"]
        if self.dtype not in ("uint16", "uint32"):
            raise ValueError(f"{prefix}.json: unknown dtype {self.dtype}")
        width = 2 if self.dtype == "uint16" else 4
        try:
            import numpy as np

            self.backend = "numpy"
            self.tokens = np.memmap(prefix + ".bin", dtype="<u2" if width == 2 else "<u4", mode="r")
            self.offsets = np.fromfile(prefix + ".idx", dtype="<u8").tolist()
        except ImportError:
            self.backend = "struct"
            with open(prefix + ".bin", "rb") as f:
                raw = f.read()
            self.tokens = struct.unpack("<%d%s" % (len(raw) // width, "H" if width == 2 else "I"), raw)
            with open(prefix + ".idx", "rb") as f:
                raw = f.read()
            self.offsets = list(struct.unpack("<%dQ" % (len(raw) // 8), raw))
        counts = self.header["counts"]
        if len(self.offsets) != counts["documents"] + 1 or self.offsets[-1] != len(self.tokens):
            raise ValueError(f"{prefix}: index and header disagree (truncated file?)")

    def __len__(self):
        return len(self.offsets) - 1

    def __getitem__(self, i):
        return [int(t) for t in self.tokens[self.offsets[i]:self.offsets[i + 1]]]


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    array = TokenArray(argv[1])
    if "--dump" in argv[2:]:
        for i in range(len(array)):
            print(" ".join(map(str, array[i])))
        return 0
    vocabulary = array.header["tokenArray"]["vocabulary"]
    print(json.dumps({
        "backend": array.backend,
        "documents": len(array),
        "tokens": len(array.tokens),
        "dtype": array.dtype,
        "vocabularySize": vocabulary["size"],
        "firstDocumentStart": array[0][:4] if len(array) else [],
    }, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
