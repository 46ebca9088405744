#!/usr/bin/env bash
# The proxy experiment of the README: on the shipped corpus, paper preset (width 256, 4 layers,
# 4 heads, context 512, batch 8, peak learning rate 1e-3), the bytes-only model and the gzip, bpe
# and ac proxies, 3 seeds each, at three budgets (1.5e13, 3e13, 6e13 FLOPs: a sweep with fits and
# crossovers). With --compressed-view auto, ac trains in the bytes view (its ids view would get
# 29 steps at the smallest budget) and gzip and bpe in the ids view. One `workbench compare`, so
# every number is in its results.json and reports; relaunching resumes every unfinished run.
#   Benchmarks/proxy-experiment/run.sh                # into experiments/proxy-compare
#   OUT=/tmp/x SEEDS=2 BUDGETS=1.5e13,6e13 Benchmarks/proxy-experiment/run.sh
#   Benchmarks/proxy-experiment/table.sh              # the README's table from results.json
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
OUT="${OUT:-$ROOT/experiments/proxy-compare}"
SEEDS="${SEEDS:-3}"
BUDGETS="${BUDGETS:-1.5e13,3e13,6e13}"
mkdir -p "$OUT"
# A copy of the binary, so that rebuilding the tree while the runs go on changes nothing.
BIN="$OUT/workbench"
if [ ! -x "$BIN" ]; then
    swift build -c release --product workbench >&2
    cp "$ROOT/.build/release/workbench" "$BIN"
fi
resume=()
[ -f "$OUT/run/config.json" ] && resume=(--resume)
"$BIN" compare --compressors gzip,bpe,ac --stages rate,stats,train --preset paper --seeds "$SEEDS" \
    --budgets "$BUDGETS" --compressed-view auto --out "$OUT/run" "${resume[@]}"
