#!/usr/bin/env bash
# NeuralEngine vs PyTorch CPU, same architecture, same thread count, measured in the same run.
# Builds the release workbench (`bench engine`, `bench blas`), creates .venv-bench
# with torch if missing, then for each thread count and shape runs the two engines alternately
# (ABAB..., the first engine swapped every repeat), each run wrapped by measure.py, which records
# the load average before and after it and the CPU other processes took during it. Before each
# run it waits (up to COOLDOWN seconds) for the load average to fall below COOL_LOAD, so the
# previous run's threads have left it. A ratio counts only when every run behind it was quiet
# (load average <= MAX_LOAD before and after, others_cpu <= MAX_OTHERS); otherwise the table
# says "not comparable" and gives the load instead. Raw JSON lines go to $OUT
# (default Benchmarks/engine/results.jsonl); the Markdown table to standard output.
#
#   Benchmarks/engine/run.sh                          # full run, 2 and 1 threads (about 15 minutes)
#   REPEATS=1 QUICK=1 THREAD_COUNTS=2 Benchmarks/engine/run.sh
#   VENV=/path/to/venv Benchmarks/engine/run.sh      # reuse an environment that has torch
#   KEEP=1 Benchmarks/engine/run.sh                   # also ours on OpenBLAS's own kernel choice
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
REPEATS="${REPEATS:-3}"
THREAD_COUNTS="${THREAD_COUNTS:-2 1}"
MAX_LOAD="${MAX_LOAD:-1.0}"
MAX_OTHERS="${MAX_OTHERS:-0.25}"
COOL_LOAD="${COOL_LOAD:-0.6}"
COOLDOWN="${COOLDOWN:-90}"
OUT="${OUT:-$ROOT/Benchmarks/engine/results.jsonl}"
VENV="${VENV:-$ROOT/.venv-bench}"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet torch safetensors numpy
fi
PY="$VENV/bin/python"
MEASURE=(python3 "$ROOT/Benchmarks/engine/measure.py" --)

swift build -c release --product workbench >&2
WORKBENCH="$ROOT/.build/release/workbench"
OURS=("$WORKBENCH" bench engine)

if [ -n "${QUICK:-}" ]; then S1=3; S2=6; S3=3; IS=1; else S1=10; S2=30; S3=10; IS=3; fi
SHAPES=(
  "train|--vocab 320 --width 256 --layers 4 --heads 4 --context 512 --batch 8 --steps $S1 --warmup 2"
  "train|--vocab 320 --width 128 --layers 2 --heads 4 --context 256 --batch 16 --steps $S2 --warmup 3"
  "train|--vocab 4416 --width 256 --layers 4 --heads 4 --context 512 --batch 8 --steps $S3 --warmup 2"
  "infer|--vocab 320 --width 128 --layers 2 --heads 4 --context 512 --batch 1 --steps $IS --warmup 1"
)

# Waits until the 1-minute load average is below COOL_LOAD, at most COOLDOWN seconds.
cool_down() {
  local waited=0
  while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$COOL_LOAD" 'BEGIN { exit !(l >= m) }' \
        && [ "$waited" -lt "$COOLDOWN" ]; do
    sleep 5; waited=$((waited + 5))
  done
}

run_ours() {  # threads mode args...
  local threads="$1" mode="$2"; shift 2
  cool_down
  OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" "${MEASURE[@]}" "${OURS[@]}" --mode "$mode" --threads "$threads" "$@" >> "$OUT"
  # KEEP=1: also on the kernels OpenBLAS chooses by itself (the SSE3 fallback where it does not
  # know the CPU), to show what the kernel selection is worth
  if [ -n "${KEEP:-}" ] && [ "$mode" = train ]; then
    cool_down
    WORKBENCH_BLAS_CORE=keep OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" "${MEASURE[@]}" "${OURS[@]}" \
      --mode "$mode" --threads "$threads" "$@" | sed 's/"engine": "neuralengine"/"engine": "neuralengine-keep"/' >> "$OUT"
  fi
}
run_pytorch() {  # threads mode label args...
  local threads="$1" mode="$2" label="$3"; shift 3
  cool_down
  OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" "${MEASURE[@]}" "$PY" Benchmarks/engine/pytorch_bench.py \
    --mode "$mode" --threads "$threads" "$@" | sed "s/\"engine\": \"pytorch\"/\"engine\": \"$label\"/" >> "$OUT"
}

: > "$OUT"
for threads in $THREAD_COUNTS; do
  # sgemm of the loaded kernel on the C256 training shapes, the ceiling our training can reach
  cool_down
  "${MEASURE[@]}" "$WORKBENCH" bench blas --threads "$threads" --vocab 320 --width 256 --layers 4 --context 512 --batch 8 >> "$OUT"
  for entry in "${SHAPES[@]}"; do
    mode="${entry%%|*}"; args="${entry#*|}"
    # batch-1 decoding is single-threaded on our side: run it once, with the 2-thread pass
    if [ "$mode" = infer ] && [ "$threads" != 2 ]; then continue; fi
    # PyTorch's eager decoding loop is ~100x slower: one sequence is enough for it
    pyargs="$args"; [ "$mode" = infer ] && pyargs="${args/--steps $IS/--steps 1}"
    for r in $(seq "$REPEATS"); do
      echo "threads $threads shape [$mode $args] repeat $r (load $(cut -d' ' -f1 /proc/loadavg))" >&2
      if [ $((r % 2)) = 1 ]; then
        run_ours "$threads" "$mode" $args
        run_pytorch "$threads" "$mode" pytorch $pyargs
      else
        run_pytorch "$threads" "$mode" pytorch $pyargs
        run_ours "$threads" "$mode" $args
      fi
      # batch-1 decoding is overhead-bound: PyTorch with one thread is its fairer baseline there
      if [ "$mode" = infer ]; then run_pytorch 1 "$mode" pytorch-1-thread $pyargs; fi
    done
  done
done

"$PY" - "$OUT" "$MAX_LOAD" "$MAX_OTHERS" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
max_load, max_others = float(sys.argv[2]), float(sys.argv[3])
quiet = lambda r: r["load_before"] <= max_load and r["load_after"] <= max_load and (r.get("others_cpu") or 0) <= max_others
blas = [r for r in rows if r.get("benchmark") == "blas"]
runs = [r for r in rows if "engine" in r]
key = lambda r: (r["mode"], r["vocab"], r["width"], r["layers"], r["heads"], r["context"], r["batch"], r["threads"])
def best(k, engine):
    """Fastest quiet run of an engine on a shape; else the fastest run, flagged."""
    rs = [r for r in runs if key(r) == k and r["engine"] == engine]
    q = [r for r in rs if quiet(r)]
    pick = max(q or rs, key=lambda r: r["tokens_per_second"], default=None)
    return pick, bool(q)
shapes = []
for r in runs:
    if key(r) not in shapes:
        shapes.append(key(r))
load = lambda r: f"{r['load_before']:.2f}/{r['load_after']:.2f}/{r.get('others_cpu') or 0:.2f}"
mb = lambda b: f"{b / 2**20:.0f} MiB"
core = next((r.get("blas_core") for r in runs if r["engine"] == "neuralengine"), "?")
torch_isa = next((r.get("cpu_capability") for r in runs if r["engine"] == "pytorch"), None)
print(f"Our OpenBLAS core: {core}; PyTorch {next((r.get('torch') for r in runs if r['engine'] == 'pytorch'), '?')} "
      f"kernels: {torch_isa or '?'}. A ratio counts only when both runs were quiet (load average <= {max_load} before "
      f"and after, other processes <= {max_others} cores during the run); load is before/after/others.")
print()
print("| mode | vocab | width | layers | context | batch | threads | ours tok/s | PyTorch tok/s | ours/PyTorch | ours GFLOP/s | PyTorch GFLOP/s | load ours | load PyTorch | ours peak RSS | PyTorch peak RSS |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
keep_notes = []
for s in shapes:
    (o, oq), (p, pq) = best(s, "neuralengine"), best(s, "pytorch")
    if not o or not p:
        continue
    ratio = f"{o['tokens_per_second'] / p['tokens_per_second']:.2f}" if oq and pq else "not comparable"
    k, kq = best(s, "neuralengine-keep")
    if k:
        gain = f"{o['tokens_per_second'] / k['tokens_per_second']:.2f}x" if oq and kq else "not comparable"
        keep_notes.append(f"{s[0]} V{s[1]} C{s[2]} L{s[3]} T{s[5]} B{s[6]}, {s[7]} threads: on {k.get('blas_core')} "
                          f"{k['tokens_per_second']:.0f} tok/s (load {load(k)}), on {o.get('blas_core')} "
                          f"{o['tokens_per_second']:.0f}: {gain}")
    print(f"| {s[0]} | {s[1]} | {s[2]} | {s[3]} | {s[5]} | {s[6]} | {s[7]} | {o['tokens_per_second']:.0f} | "
          f"{p['tokens_per_second']:.0f} | {ratio} | {o['gflops']:.1f} | {p['gflops']:.1f} | {load(o)} | {load(p)} | "
          f"{mb(o['peak_rss_bytes'])} | {mb(p['peak_rss_bytes'])} |")
    if s[0] == "infer":
        p1, p1q = best(s, "pytorch-1-thread")
        note = "" if oq and pq else " (not comparable: load)"
        print()
        print(f"Incremental inference{note} (batch {s[6]}, {s[5]} tokens per sequence, softmax every step): ours "
              f"{o['tokens_per_second']:.0f} bytes/s vs PyTorch eager KV-cache loop {p['tokens_per_second']:.0f} bytes/s "
              f"= {o['tokens_per_second'] / p['tokens_per_second']:.1f}x; vs PyTorch full-sequence forward "
              f"{p['sequence_tokens_per_second']:.0f} bytes/s. Our full-sequence forward: deterministic kernels "
              f"{o['sequence_deterministic_tokens_per_second']:.0f} bytes/s, OpenBLAS {o['sequence_blas_tokens_per_second']:.0f} bytes/s.")
        if p1:
            print(f"PyTorch with 1 thread: eager loop {p1['tokens_per_second']:.0f} bytes/s (ours "
                  f"{o['tokens_per_second'] / p1['tokens_per_second']:.1f}x{'' if oq and p1q else ', not comparable'}), "
                  f"full-sequence forward {p1['sequence_tokens_per_second']:.0f} bytes/s.")
        print()
print()
if keep_notes:
    print("Ours on the kernels OpenBLAS picks by itself (WORKBENCH_BLAS_CORE=keep) vs the selected ones:")
    for n in keep_notes:
        print(f"- {n}")
    print()
for b in blas:
    c256 = [r for r in runs if r["engine"] == "neuralengine" and r["mode"] == "train" and r["width"] == 256
            and r["vocab"] == 320 and r["threads"] == b["threads"]]
    o = max((r for r in c256 if quiet(r)), key=lambda r: r["gflops"], default=None)
    share = f"; our C256 training reaches {o['gflops'] / b['model_shapes_gflops']:.0%} of it (model FLOPs)" if o and quiet(b) else ""
    print(f"sgemm ({b['blas_core']}, {b['threads']} threads) on the C256 training shapes: {b['model_shapes_gflops']:.1f} GFLOP/s, "
          f"1024^3 {b['square_1024_gflops']:.1f}; FMA peak {b['peak_gflops']:.1f} at {b['cpu_mhz']:.0f} MHz "
          f"({b['machine_isa']}); load {load(b)}{'' if quiet(b) else ' (not quiet)'}{share}.")
print()
print("Best quiet run per engine (or best run, flagged). GFLOP/s are model FLOPs (6N + 12LCT per trained token, "
      "2N + 4LCt per decoded token at mean context t; ModelConfig.trainingFLOPsPerToken).")
PYEOF
