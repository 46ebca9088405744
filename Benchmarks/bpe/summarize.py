#!/usr/bin/env python3
"""Prints the ratios the issue asks for from run.sh's results.jsonl."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]


def find(**keys):
    for row in rows:
        if all(row.get(k) == v for k, v in keys.items()):
            return row
    return None


for pre, vocab, target in (("gpt2", 16384, 1.0), ("none", 4096, 0.25)):
    ours, hf = find(tool="ours", task="train", pretokenizer=pre), find(tool="hf", task="train", pretokenizer=pre)
    if ours and hf:
        ratio = ours["wall_seconds"] / hf["wall_seconds"]
        print(f"train {pre}@{vocab}: ours {ours['wall_seconds']:.3f} s, HF {hf['wall_seconds']:.3f} s, "
              f"ratio {ratio:.3f} (target <= {target}: {'met' if ratio <= target else 'NOT met'}); "
              f"peak RSS ours {ours['peak_rss_kb'] / 1024:.0f} MB, HF {hf['peak_rss_kb'] / 1024:.0f} MB "
              f"(before training: ours {ours['rss_before_kb'] / 1024:.0f} MB, HF {hf['rss_before_kb'] / 1024:.0f} MB)")
merge_rows = [r for r in rows if r.get("task") == "merges"]
for row in merge_rows:
    print(f"merge lists: ours {row['ours']} HF {row['theirs']}, differing positions {row['differing_positions']}, "
          f"vocab identical {row['vocab_identical']}")
ours, ref = find(tool="ours", task="encode"), find(tool="reference", task="encode")
if ours and ref:
    ratio = ours["cold_mb_per_s"] / ref["tiktoken_mb_per_s"]
    print(f"encode (one thread, {ours['bytes'] / 1e6:.1f} MB): ours cold cache {ours['cold_mb_per_s']:.1f} MB/s, "
          f"warm {ours['warm_mb_per_s']:.1f} MB/s, warm with spans {ours['warm_with_spans_mb_per_s']:.1f} MB/s; "
          f"tiktoken {ref['tiktoken_mb_per_s']:.1f} MB/s; HF {ref['hf_mb_per_s']:.2f} MB/s; "
          f"cold ratio {ratio:.2f}x (target >= 1.0: {'met' if ratio >= 1.0 else 'NOT met'})")
    print(f"ids: documents differing from HF {ref.get('documents_differing_from_hf')}, "
          f"from tiktoken {ref.get('documents_differing_from_tiktoken')} "
          f"(tiktoken vs HF {ref.get('tiktoken_documents_differing_from_hf')})")
for row in rows:
    if row.get("task") == "hf-check":
        print(f"HF loads our {row['tokenizer']} tokenizer.json: {row['documents_differing']} of {row['documents']} documents encode differently")
