#!/usr/bin/env bash
# The proxy experiment: proxy models on the shipped corpus at one fixed FLOPs budget per run
# (paper preset: width 256, 4 layers, 4 heads, context 512, batch 8, lr 1e-3, 6e13 FLOPs, about
# 10 minutes on 2 idle cores), then bytes only and the bpe proxy again at 3x the budget.
# Every run checkpoints, so relaunching the script resumes unfinished runs and skips finished ones.
#   Benchmarks/proxy-experiment/run.sh                 # all runs, into experiments/proxy
#   OUT=/tmp/x RUNS="bytes gzip" Benchmarks/proxy-experiment/run.sh
#   Benchmarks/proxy-experiment/table.sh               # the table of results so far
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-experiments/proxy}
W=${WORKBENCH:-.build/release/workbench}
BUDGET=${BUDGET:-6e13}
LONG_BUDGET=${LONG_BUDGET:-1.8e14}
RUNS=${RUNS:-"bytes gzip bpe ac bpe-compressed-only bpe-no-warmup bytes-long bpe-long"}
[ -x "$W" ] || swift build -c release --product workbench >/dev/null
mkdir -p "$OUT"

run() { # name budget args...
  local name=$1 budget=$2; shift 2
  if [ -f "$OUT/$name/result.json" ]; then echo "$name: done"; return; fi
  local resume=()
  [ -f "$OUT/$name/checkpoint.safetensors" ] && resume=(--resume)
  echo "$name: training ($budget FLOPs) $(date -u +%H:%M:%S)"
  "$W" train --preset paper --budget-flops "$budget" --out "$OUT/$name" "${resume[@]}" "$@" 2>"$OUT/$name.log" \
    || { echo "$name: FAILED (see $OUT/$name.log)"; return; }
  echo "$name: finished $(date -u +%H:%M:%S)"
}

for name in $RUNS; do
  case $name in
    bytes) run bytes "$BUDGET" ;;
    gzip) run gzip "$BUDGET" --compressor gzip --rate 0.9 ;;
    bpe) run bpe "$BUDGET" --compressor bpe:vocab=4096 --rate 0.9 ;;
    ac) run ac "$BUDGET" --compressor ac --rate 0.9 ;;
    bpe-compressed-only) run bpe-compressed-only "$BUDGET" --compressor bpe:vocab=4096 --rate 1 --warmup-fraction 0 ;;
    bpe-no-warmup) run bpe-no-warmup "$BUDGET" --compressor bpe:vocab=4096 --rate 0.9 --warmup-fraction 0 ;;
    bytes-long) run bytes-long "$LONG_BUDGET" ;;
    bpe-long) run bpe-long "$LONG_BUDGET" --compressor bpe:vocab=4096 --rate 0.9 ;;
    *) echo "unknown run '$name'"; exit 2 ;;
  esac
done
