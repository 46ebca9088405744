#!/usr/bin/env bash
# Where the seed-to-seed spread of a quick-preset proxy run comes from: the same runs with the
# packed stream in order or shuffled in blocks of batches, and with only the initialization or
# only the data order varying. Release build; the runs resume (rerun the script to continue).
#
#   Benchmarks/seed-spread/run.sh              # 2 models x 4 variants x SEEDS (4) seeds, quick preset at 4e12 FLOPs
#   SEEDS=3 MODELS="zstd" VARIANTS="stream shuffled" Benchmarks/seed-spread/run.sh
#   Benchmarks/seed-spread/run.sh table        # the table from the runs so far
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
OUT="${OUT:-$ROOT/experiments/seed-spread}"
SEEDS="${SEEDS:-4}"
MODELS="${MODELS:-bytes-only zstd}"
VARIANTS="${VARIANTS:-stream shuffled init-only data-only}"
BIN="$OUT/workbench"

if [ "${1:-}" != "table" ]; then
    # A copy of the binary, so that rebuilding the tree while the runs go on changes nothing.
    if [ ! -x "$BIN" ]; then
        swift build -c release --product workbench >&2
        mkdir -p "$OUT" && cp "$ROOT/.build/release/workbench" "$BIN"
    fi
    for model in $MODELS; do
        compressor=(); [ "$model" = bytes-only ] || compressor=(--compressor "$model")
        for seed in $(seq 0 $((SEEDS - 1))); do
            # variant: name | options
            for variant in "stream|--shuffle-batches 1 --seed $seed" "shuffled|--seed $seed" \
                "init-only|--seed $seed --data-seed 0" "data-only|--seed 0 --data-seed $seed"; do
                name="${variant%%|*}"; options="${variant#*|}"
                case " $VARIANTS " in *" $name "*) ;; *) continue ;; esac
                dir="$OUT/$model/$name/$seed"
                [ -f "$dir/result.json" ] && continue
                # Seed 0 of init-only and data-only is the shuffled run of seed 0: the same config.
                if [ "$seed" = 0 ] && [ "$name" != stream ] && [ "$name" != shuffled ] && [ -f "$OUT/$model/shuffled/0/result.json" ]; then
                    mkdir -p "$(dirname "$dir")" && ln -sfn ../shuffled/0 "$dir" && continue
                fi
                resume=(); [ -f "$dir/checkpoint.safetensors" ] && resume=(--resume)
                echo "== $model $name seed $seed" >&2
                "$BIN" train "${compressor[@]}" --preset quick --budget-flops 4e12 $options --out "$dir" "${resume[@]}" 2>&1 | tail -1 >&2
            done
        done
    done
fi

python3 - "$OUT" <<'PY'
import json, os, statistics, sys
root = sys.argv[1]
print("| model | variant | seeds | raw bits/byte per seed | mean | sd |")
print("|---|---|---:|---|---:|---:|")
for model in sorted(os.listdir(root)):
    for variant in ["stream", "shuffled", "init-only", "data-only"]:
        path = os.path.join(root, model, variant)
        if not os.path.isdir(path): continue
        values = []
        for seed in sorted(os.listdir(path), key=int):
            result = os.path.join(path, seed, "result.json")
            if os.path.exists(result):
                values.append(json.load(open(result))["evaluation"]["raw_bits_per_byte"])
        if not values: continue
        sd = statistics.stdev(values) if len(values) > 1 else float("nan")
        print(f"| {model} | {variant} | {len(values)} | {' / '.join(f'{v:.3f}' for v in values)} | {statistics.mean(values):.3f} | {sd:.3f} |")
PY
