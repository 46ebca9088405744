#!/usr/bin/env bash
# The table of the proxy experiment from the runs so far (finished runs, and the last curve point
# of unfinished ones), as Markdown.
#   Benchmarks/proxy-experiment/table.sh [experiments/proxy]
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 - "${1:-experiments/proxy}" <<'PY'
import json, os, sys
root = sys.argv[1]
order = ["bytes", "gzip", "bpe", "ac", "bpe-compressed-only", "bpe-no-warmup", "bytes-long", "bpe-long"]
names = sorted(os.listdir(root), key=lambda n: order.index(n) if n in order else 99) if os.path.isdir(root) else []
print("| run | compressor | rate | warm-up steps | steps | FLOPs | params | raw bits/byte (valid) | own view bits/byte | tokens/s | wall | curve (FLOPs: bpb) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for name in names:
    d = os.path.join(root, name)
    if not os.path.isdir(d): continue
    cfg = json.load(open(os.path.join(d, "config.json"))) if os.path.exists(os.path.join(d, "config.json")) else {}
    curve = json.load(open(os.path.join(d, "curve.json"))) if os.path.exists(os.path.join(d, "curve.json")) else []
    points = ", ".join(f"{p['flops']:.2g}: {p['raw_bits_per_byte']:.3f}" for p in curve if p.get("raw_bits_per_byte") is not None)
    sched = cfg.get("schedule", {})
    wall = curve[-1]["wall_seconds"] if curve else 0
    if os.path.exists(os.path.join(d, "result.json")):
        r = json.load(open(os.path.join(d, "result.json")))
        ev = r["evaluation"]["raw_bits_per_byte"]
        own = r.get("compressed_view_evaluation") or {}
        own = f"{own['raw_bits_per_byte']:.3f}" if own else "–"
        print(f"| {name} | {cfg.get('compressor') or 'none'} | {sched.get('peak_rate')} | {sched.get('warmup_steps')} | {cfg.get('steps')} | {r['flops_per_step'] * cfg.get('steps', 0):.3g} | {r['parameters']:,} | **{ev:.3f}** | {own} | {r['tokens_per_second']:.0f} | {wall/60:.1f} min | {points} |")
    else:
        step = curve[-1]["step"] if curve else 0
        print(f"| {name} (unfinished: step {step} of {cfg.get('steps')}) | {cfg.get('compressor') or 'none'} | {sched.get('peak_rate')} | {sched.get('warmup_steps')} | {cfg.get('steps')} | | | | | | {wall/60:.1f} min | {points} |")
PY
