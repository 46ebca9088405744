#!/usr/bin/env bash
# The ac benchmark, release build, on the shipped corpus:
#   Benchmarks/ac/run.sh                 # train the default M1 (if not cached), then measure
#   MODEL=dir Benchmarks/ac/run.sh       # measure a given M1
#   DOCS=10 Benchmarks/ac/run.sh         # measure on the first 10 valid documents only
# Results: one JSON object per line in $OUT/results.jsonl (and on stdout).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/Benchmarks/ac"
CORPUS="${CORPUS:-$ROOT/corpora/cpython-stdlib.jsonl}"
SCRATCH="${SCRATCH:-$ROOT/.build-ac-bench}"
OUT="${OUT:-$SCRATCH/results}"
MODEL="${MODEL:-$SCRATCH/m1-default}"
mkdir -p "$OUT"
: > "$OUT/results.jsonl"

swift build -c release --package-path "$HERE" --scratch-path "$SCRATCH" >&2
BENCH="$SCRATCH/release/ac-bench"

if [ ! -f "$MODEL/config.json" ]; then
    echo "== training the default M1 on the train split" >&2
    "$BENCH" train "$CORPUS" "$MODEL" ${STEPS:-} | tee -a "$OUT/results.jsonl"
fi
echo "== measuring on the valid split" >&2
"$BENCH" measure "$CORPUS" "$MODEL" ${DOCS:-} | tee -a "$OUT/results.jsonl"
