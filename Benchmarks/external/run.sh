#!/usr/bin/env bash
# The external-plugin benchmark (issue 8, "Performance"): encoding the shipped corpus through
# the xz-python example plugin, via the workbench host, against the plugin's own Python
# `encode` run directly over the same documents, measured in the same run. Target: host/direct
# at most 1.2.
#
#   Benchmarks/external/run.sh                 # 5 rounds, default options (preset=6, xz)
#   ROUNDS=9 OPTIONS=preset=1 Benchmarks/external/run.sh
#
# Each round runs the three sides (direct, host batched, host one request per document) in a
# rotating order; the summary reports the median and best round of each, and the ratios. Every
# side prints the SHA-256 of its outputs; they must agree (the same code made the same bytes).
# Results: one JSON line per measurement in $OUT/results.jsonl, and a summary on stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/Benchmarks/external"
CORPUS="${CORPUS:-$ROOT/corpora/cpython-stdlib.jsonl}"
ROUNDS="${ROUNDS:-5}"
OPTIONS="${OPTIONS:-preset=6,container=xz}"
SCRATCH="$ROOT/.build-ext-bench"
OUT="${OUT:-$SCRATCH/results}"
PYTHON="${PYTHON:-python3}"
mkdir -p "$OUT"
: > "$OUT/results.jsonl"

swift build -c release --package-path "$HERE" --scratch-path "$SCRATCH" >&2
BENCH="$SCRATCH/release/external-bench"

preset="$(printf '%s' "$OPTIONS" | sed -n 's/.*preset=\([0-9]\).*/\1/p')"
container="$(printf '%s' "$OPTIONS" | sed -n 's/.*container=\([a-z]*\).*/\1/p')"
direct() {
    "$PYTHON" "$HERE/direct.py" --corpus "$CORPUS" --plugin "$ROOT/plugins/external/xz-python/plugin.py" \
        --preset "${preset:-6}" --container "${container:-xz}"
}
host() {
    "$BENCH" --corpus "$CORPUS" --manifest "$ROOT/plugins/external/xz-python/plugin.json" --options "$OPTIONS" --mode "$1"
}

for round in $(seq 1 "$ROUNDS"); do
    echo "== round $round of $ROUNDS" >&2
    case $((round % 3)) in
        1) direct; host batched; host per-document ;;
        2) host batched; host per-document; direct ;;
        0) host per-document; direct; host batched ;;
    esac | tee -a "$OUT/results.jsonl" >&2
done

"$PYTHON" - "$OUT/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
sides = {}
for row in rows:
    sides.setdefault(row["side"], []).append(row["encode_seconds"])
digests = {row["sha256"] for row in rows}
if len(digests) != 1:
    sys.exit("outputs differ between sides: %s" % sorted(digests))
direct = sides["direct-python"]
print("| side | rounds | median s | best s | median ratio | best-round ratio |")
print("|---|---:|---:|---:|---:|---:|")
for side in ("direct-python", "host-batched", "host-per-document"):
    times = sides[side]
    print("| %s | %d | %.3f | %.3f | %.3f | %.3f |" % (
        side, len(times), statistics.median(times), min(times),
        statistics.median(times) / statistics.median(direct), min(times) / min(direct)))
ratio = statistics.median(sides["host-batched"]) / statistics.median(direct)
print(json.dumps({"benchmark": "external-bench/1", "summary": True, "documents": rows[0]["documents"],
                  "input_bytes": rows[0]["input_bytes"], "ratio_batched_median": round(ratio, 3),
                  "ratio_batched_best_round": round(min(sides["host-batched"]) / min(direct), 3),
                  "ratio_per_document_median": round(statistics.median(sides["host-per-document"]) / statistics.median(direct), 3),
                  "target": 1.2, "meets_target": ratio <= 1.2}))
PY
