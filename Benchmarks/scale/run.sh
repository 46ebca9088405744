#!/usr/bin/env bash
# Streaming and throughput: peak memory of corpus-wide commands on the shipped corpus
# against a generated 10x corpus (target: within 1.2x), and documents per second of export with
# --jobs 1 against --jobs 2 for bpe and zstd (target: >= 1.7x on a 2-core machine).
#   Benchmarks/scale/run.sh                 # release build; REPEATS=3 best-of rounds, alternating
#   SECTIONS=throughput Benchmarks/scale/run.sh   # only some of: memory, compare, throughput
# The compare section measures `compare --stages rate,stats` (its peak covers the _measure child
# processes: the kernel folds a reaped child's peak into its parent's) on the 10x corpus and on a
# "distinct" 10x corpus whose copies differ on every line, so that statistics which grow with new
# text (the collision table) cannot hide behind repeated documents.
# Peak RSS is ru_maxrss as /usr/bin/time -v reports it ("Maximum resident set size"). The machine
# may be shared: the load average is printed with every figure, so read ratios, not absolutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPEATS=${REPEATS:-3}
SCALE=${SCALE:-10}
swift build -c release --product workbench >/dev/null
W=$PWD/.build/release/workbench
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SHIPPED=corpora/cpython-stdlib.jsonl
LARGE=$WORK/large.jsonl
for _ in $(seq 1 "$SCALE"); do cat "$SHIPPED"; done > "$LARGE"
DISTINCT=$WORK/distinct.jsonl
# Copy i starts every line with "#i ": JSON stays valid (the inserted text has no quote or
# backslash), documents and splits change, code stays code-like.
for i in $(seq 1 "$SCALE"); do sed "s/\\\\n/\\\\n#$i /g" "$SHIPPED"; done > "$DISTINCT"
export WORKBENCH_CACHE=$WORK/cache

# Train BPE once and pass the artifact, as a cluster run would: no rank (and no corpus size)
# retrains, so memory measures the streaming, not training.
"$W" train-compressor bpe --vocab 4096 --out "$WORK/bpe" >/dev/null 2>&1
BPE="bpe:tokenizer=$WORK/bpe/tokenizer.json"
ZSTD="zstd:level=19"

load() { cut -d' ' -f1 /proc/loadavg; }

# peak_kib COMMAND...: the command's maximum resident set size in KiB.
peak_kib() {
  /usr/bin/time -v "$@" 2>"$WORK/time.txt" >/dev/null || { cat "$WORK/time.txt" >&2; exit 1; }
  awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt"
}

SECTIONS=${SECTIONS:-memory,compare,throughput}
if [[ $SECTIONS == *memory* ]]; then
echo "## Peak RSS (KiB): shipped corpus vs ${SCALE}x corpus"
echo "| command | shipped | ${SCALE}x | ratio | load |"
echo "|---|---:|---:|---:|---:|"
for spec in "$ZSTD" "$BPE"; do
  for command in "export --format token-array" "export --format reference-jsonl" "encode"; do
    name="${command%% *} ${command#* --format }"
    [ "$command" = encode ] && name="encode"
    small=$(peak_kib "$W" $command --compressor "$spec" --jobs 2 --corpus "$SHIPPED" --out "$WORK/out-small")
    large=$(peak_kib "$W" $command --compressor "$spec" --jobs 2 --corpus "$LARGE" --out "$WORK/out-large")
    ratio=$(awk -v a="$small" -v b="$large" 'BEGIN { printf "%.3f", b / a }')
    echo "| $name ${spec%%:*} | $small | $large | $ratio | $(load) |"
    rm -f "$WORK"/out-*
  done
done
fi
if [[ $SECTIONS == *compare* ]]; then
echo
echo "## Peak RSS (KiB) of compare --stages rate,stats --passes 1, valid split"
echo "| compressor | shipped | ${SCALE}x | ratio | ${SCALE}x distinct | ratio | load |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for spec in bytes "$ZSTD" "$BPE"; do
  run() { peak_kib "$W" compare --stages rate,stats --passes 1 --compressor "$spec" --corpus "$1" --out "$WORK/cmp" --force; }
  small=$(run "$SHIPPED"); large=$(run "$LARGE"); distinct=$(run "$DISTINCT")
  ratio() { awk -v a="$small" -v b="$1" 'BEGIN { printf "%.3f", b / a }'; }
  echo "| ${spec%%:*} | $small | $large | $(ratio "$large") | $distinct | $(ratio "$distinct") | $(load) |"
done
fi
[[ $SECTIONS == *throughput* ]] || exit 0

echo
echo "## Throughput: export --format token-array, documents/s (best of $REPEATS, alternating)"
echo "The control column runs two independent --jobs 1 processes at once: their combined rate over"
echo "one process's is the parallelism the machine offers right now (2.0 on an idle 2-core machine)."
echo "| compressor | 1 job | 2 jobs | speedup | control: 2 processes | load |"
echo "|---|---:|---:|---:|---:|---:|"
# The 10x corpus: bpe encodes the shipped one in a quarter second, where start-up (loading the
# tokenizer, fingerprinting the corpus) would weigh on the ratio; at 3x bpe measured 1.65x where
# the steady state is 1.77x.
THROUGHPUT_CORPUS=${THROUGHPUT_CORPUS:-$LARGE}
documents=$(grep -c . "$THROUGHPUT_CORPUS")
rate() { awk -v d="$1" -v s="$2" -v e="$3" 'BEGIN { printf "%.1f", d / (e - s) }'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (b > a ? b : a) }'; }
for spec in "$BPE" "$ZSTD"; do
  best1=0; best2=0; bestpair=0
  for _ in $(seq 1 "$REPEATS"); do
    for jobs in 1 2; do
      start=$(date +%s.%N)
      "$W" export --format token-array --compressor "$spec" --jobs "$jobs" --corpus "$THROUGHPUT_CORPUS" --out "$WORK/tp" 2>/dev/null
      end=$(date +%s.%N)
      if [ "$jobs" = 1 ]; then best1=$(max "$best1" "$(rate "$documents" "$start" "$end")");
      else best2=$(max "$best2" "$(rate "$documents" "$start" "$end")"); fi
    done
    start=$(date +%s.%N)
    "$W" export --format token-array --compressor "$spec" --corpus "$THROUGHPUT_CORPUS" --out "$WORK/pa" 2>/dev/null &
    "$W" export --format token-array --compressor "$spec" --corpus "$THROUGHPUT_CORPUS" --out "$WORK/pb" 2>/dev/null
    wait
    end=$(date +%s.%N)
    bestpair=$(max "$bestpair" "$(rate $((2 * documents)) "$start" "$end")")
  done
  speedup=$(awk -v a="$best1" -v b="$best2" 'BEGIN { printf "%.2f", b / a }')
  control=$(awk -v a="$best1" -v b="$bestpair" 'BEGIN { printf "%.2f", b / a }')
  echo "| ${spec%%:*} | $best1 | $best2 | ${speedup}x | ${control}x | $(load) |"
done
