#!/usr/bin/env bash
# The proxy experiment of the README, on the shipped corpus at the paper preset (width 256,
# 4 layers, 4 heads, context 512, batch 8, peak learning rate 1e-3), 3 seeds per model:
#   sweep:  bytes only and the bpe proxy at three budgets (1.5e13, 2.1e13, 3e13 FLOPs: the
#           smallest gives bpe 114 steps, just over --min-steps), with fits and the crossover
#           estimate;
#   single: the gzip and ac proxies at the largest budget (3e13). ac trains in the bytes view
#           (--compressed-view auto: its ids view would get 29 steps), gzip in the ids view. The
#           bytes-only runs at 3e13 are the sweep's (copied in; a finished run is reused), so
#           both comparisons share one baseline.
# Two `workbench compare` runs, so every number is in a results.json and its reports;
# relaunching resumes every unfinished run. About 40 minutes on an idle 2-core machine
# (SWEEP_BUDGETS=1.5e13,3e13,6e13 for a 4x span: about 70).
#   Benchmarks/proxy-experiment/run.sh                # into experiments/proxy-compare
#   OUT=/tmp/x SEEDS=2 Benchmarks/proxy-experiment/run.sh
#   Benchmarks/proxy-experiment/table.sh              # the README's tables from both results.json
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
OUT="${OUT:-$ROOT/experiments/proxy-compare}"
SEEDS="${SEEDS:-3}"
SWEEP_BUDGETS="${SWEEP_BUDGETS:-1.5e13,2.1e13,3e13}"
SINGLE_BUDGET="${SINGLE_BUDGET:-3e13}"
mkdir -p "$OUT"
# A copy of the binary, so that rebuilding the tree while the runs go on changes nothing.
BIN="$OUT/workbench"
if [ ! -x "$BIN" ]; then
    swift build -c release --product workbench >&2
    cp "$ROOT/.build/release/workbench" "$BIN"
fi
common=(--stages rate,stats,train --preset paper --seeds "$SEEDS" --compressed-view auto)

resume=(); [ -f "$OUT/sweep/config.json" ] && resume=(--resume)
"$BIN" compare --compressors bpe "${common[@]}" --budgets "$SWEEP_BUDGETS" --out "$OUT/sweep" "${resume[@]}"

# The single-budget comparison shares the sweep's baseline: a run whose result.json is in place is
# reused, so its bytes-only runs at this budget are copied in before it starts.
single="$OUT/single"
mkdir -p "$single/train/bytes-only"
for run in "$OUT"/sweep/train/bytes-only/seed-*-flops-"$SINGLE_BUDGET"; do
    if [ -f "$run/result.json" ] && [ ! -e "$single/train/bytes-only/$(basename "$run")" ]; then
        cp -r "$run" "$single/train/bytes-only/"
    fi
done
resume=(); [ -f "$single/config.json" ] && resume=(--resume)
"$BIN" compare --compressors gzip,ac "${common[@]}" --budgets "$SINGLE_BUDGET" --out "$single" "${resume[@]}"
