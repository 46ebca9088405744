#!/usr/bin/env python3
"""Regenerates the HuggingFace cross-check fixtures for Tests/BPETests.

Run from the repository root in the venv (never from tests):
    python3 -m venv .venv-bpe && .venv-bpe/bin/pip install tokenizers tiktoken
    .venv-bpe/bin/python Tests/BPETests/Fixtures/make_fixtures.py

Writes, next to this script:
  hf-<V>.tokenizer.json          HF tokenizers' ByteLevel BPE trained on the shipped corpus's
                                 train split (no special tokens, full byte alphabet, min_frequency 0)
                                 for V in 1024, 4096, 16384
  hf-<V>.valid-ids.bin           HF's token ids for every valid-split document, uint16 little-endian,
                                 for V in 4096, 16384
  hf-<P>-1024.tokenizer.json     the same at vocab 1024 with a Split pre-tokenizer (pattern P = gpt4,
                                 the cl100k pattern, or whitespace, `\w+|[^\w\s]+|\s+`) before a
                                 regex-free ByteLevel, and its .valid-ids.bin / .valid-counts.bin
  hf-<V>.valid-counts.bin        the number of ids of each valid document (uint32 little-endian),
                                 in corpus file order
  unicode-texts.json             synthetic texts mixing scripts, marks, digits, whitespace kinds,
                                 CRLF, contractions and emoji (seeded), to stress the pre-tokenizers
  hf-<S>.unicode-ids.json        HF's ids for those texts with hf-4096, hf-gpt4-1024, hf-whitespace-1024
  hf-<S>.unicode-splits.json     the byte length of each word HF's pre-tokenizer cuts those texts into
  versions.json                  the library versions that made them
The split rule is the workbench's: sha256(UTF-8 bytes)[:8] big-endian mod 100: <90 train, <95 valid.
"""
import hashlib
import json
import os
import struct
import sys

import tokenizers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CORPUS = os.path.join(ROOT, "corpora", "cpython-stdlib.jsonl")


def split_of(data: bytes) -> str:
    value = int.from_bytes(hashlib.sha256(data).digest()[:8], "big") % 100
    return "train" if value < 90 else ("valid" if value < 95 else "test")


def load_splits():
    splits = {"train": [], "valid": [], "test": []}
    with open(CORPUS, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            text = json.loads(line)["text"]
            splits[split_of(text.encode("utf-8"))].append(text)
    return splits


SPLIT_PATTERNS = {
    "gpt4": r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+""",
    "whitespace": r"""\w+|[^\w\s]+|\s+""",
}


def train_hf(texts, vocab_size, split=None):
    tokenizer = Tokenizer(models.BPE())
    if split is None:
        tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    else:
        tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(tokenizers.Regex(SPLIT_PATTERNS[split]), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ])
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=0, show_progress=False, special_tokens=[],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return tokenizer


def write_valid_ids(tokenizer, texts, stem):
    ids = bytearray()
    counts = bytearray()
    for text in texts:
        encoded = tokenizer.encode(text).ids
        ids += struct.pack(f"<{len(encoded)}H", *encoded)
        counts += struct.pack("<I", len(encoded))
    with open(os.path.join(HERE, f"{stem}.valid-ids.bin"), "wb") as handle:
        handle.write(ids)
    with open(os.path.join(HERE, f"{stem}.valid-counts.bin"), "wb") as handle:
        handle.write(counts)


PIECES = [
    "hello", "World", " foo", "  bar", "\t", "\n", "\r\n", "\u000b", "\u000c", "\u0085", "\u00a0", "\u2003",
    "\u3000", "\u2028", " ", "   ", "'s", "'S", "'ll", "'LL", "'re", "'Ve", "'d", "'m", "'x", "don't", "I'M",
    "123", "4567890", "\u0661\u0662\u0663", "\u00b2", "\u2167", "\u00bd", "caf\u00e9", "cafe\u0301",
    "\u03b1\u03b2\u03b3", "\u0416\u0443\u043a", "\u4e2d\u6587\u5b57", "\u3072\u3089\u304c\u306a",
    "\u0645\u0631\u062d\u0628\u0627", "\u0939\u093f\u0928\u094d\u0926\u0940", "\U0001f600", "\U0001f44d\U0001f3fd",
    "(", ")", "((", "[x]", "{}", ",", ".", "...", "!?", "_", "__init__", "x_1", "-", "+=", "#", "@", "$", "\\",
    "\"", "'", "`", "\u00ab", "\u2014", "\u200b", "\u00ad", "\u017f", "\u212a", "\u01c5", "\u02b0", "\u0300",
]


def unicode_texts():
    import random
    generator = random.Random(20261129)
    texts = []
    for _ in range(300):
        texts.append("".join(generator.choice(PIECES) for _ in range(generator.randint(1, 40))))
    return texts


def main():
    splits = load_splits()
    print(f"train {len(splits['train'])} valid {len(splits['valid'])} documents", file=sys.stderr)
    for vocab_size in (1024, 4096, 16384):
        tokenizer = train_hf(splits["train"], vocab_size)
        tokenizer.save(os.path.join(HERE, f"hf-{vocab_size}.tokenizer.json"))
        if vocab_size != 1024:
            write_valid_ids(tokenizer, splits["valid"], f"hf-{vocab_size}")
    for split in SPLIT_PATTERNS:
        tokenizer = train_hf(splits["train"], 1024, split=split)
        tokenizer.save(os.path.join(HERE, f"hf-{split}-1024.tokenizer.json"))
        write_valid_ids(tokenizer, splits["valid"], f"hf-{split}-1024")
    texts = unicode_texts()
    with open(os.path.join(HERE, "unicode-texts.json"), "w", encoding="utf-8") as handle:
        json.dump(texts, handle, ensure_ascii=True, indent=0)
    for stem in ("hf-4096", "hf-gpt4-1024", "hf-whitespace-1024"):
        tokenizer = Tokenizer.from_file(os.path.join(HERE, f"{stem}.tokenizer.json"))
        with open(os.path.join(HERE, f"{stem}.unicode-ids.json"), "w") as handle:
            json.dump([tokenizer.encode(text).ids for text in texts], handle, separators=(",", ":"))
        # ByteLevel spells each byte as one character, so a word's length in characters is its byte length.
        splits = [[len(word) for word, _ in tokenizer.pre_tokenizer.pre_tokenize_str(text)] for text in texts]
        with open(os.path.join(HERE, f"{stem}.unicode-splits.json"), "w") as handle:
            json.dump(splits, handle, separators=(",", ":"))
    with open(os.path.join(HERE, "versions.json"), "w") as handle:
        json.dump({"tokenizers": tokenizers.__version__, "python": sys.version.split()[0]}, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
