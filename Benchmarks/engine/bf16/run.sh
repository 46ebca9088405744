#!/usr/bin/env bash
# bf16 GEMM (fp32 accumulation) through oneDNN against OpenBLAS sgemm on the SkylakeX kernel, on
# the matrix products of one training step of the width-256 model (batch 8 x context 512 rows),
# in the same process, alternating. Needs Debian's libdnnl-dev (installed here when missing) and
# a C compiler; not part of the build. Results and the decision: docs/bf16.md.
#
#   Benchmarks/engine/bf16/run.sh            # 2 and 1 threads, oneDNN's best ISA and AVX512_CORE_BF16
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${OUT:-$HERE/results.jsonl}"
BIN="${TMPDIR:-/tmp}/bf16_gemm-$$"
if ! dpkg-query -W -f='${Status}' libdnnl-dev 2>/dev/null | grep -q "install ok installed"; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libdnnl-dev
fi
cc -O2 -Wall "$HERE/bf16_gemm.c" -o "$BIN" -fopenmp -ldnnl -lopenblas -lm
trap 'rm -f "$BIN"' EXIT
# The kernels the comparison is about; passive OpenMP threads so neither side's idle threads spin
# while the other runs.
export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-SkylakeX}" OMP_WAIT_POLICY=passive

echo "oneDNN's view of this CPU (ONEDNN_VERBOSE):" >&2
ONEDNN_VERBOSE=1 OMP_NUM_THREADS=1 "$BIN" 1 64 > "$BIN.verbose" 2>&1
awk '/info,cpu|exec,cpu,matmul/ && n++ < 4' "$BIN.verbose" >&2
rm -f "$BIN.verbose"

: > "$OUT"
for threads in 2 1; do
  # oneDNN's best ISA here, then capped at AVX512_CORE_BF16 (vdpbf16ps without AMX: what a
  # Zen 4 or Cooper Lake gets)
  for isa in "" AVX512_CORE_BF16; do
    echo "threads $threads, ONEDNN_MAX_CPU_ISA=${isa:-default} (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    ONEDNN_MAX_CPU_ISA="${isa:-ALL}" OMP_NUM_THREADS="$threads" \
      python3 "$HERE/../measure.py" -- "$BIN" "$threads" 4096 256 320 \
      | sed "s/\"summary\": true/\"summary\": true, \"max_isa\": \"${isa:-ALL}\"/" >> "$OUT"
  done
done
python3 - "$OUT" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| threads | oneDNN ISA cap | kernel | sgemm GFLOP/s (OpenBLAS, step) | bf16 GFLOP/s | bf16, B prepacked | bf16 + conversion | bf16 / sgemm | with conversion | load before/after/others |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    if r.get("summary"):
        print(f"| {r['threads']} | {r['max_isa']} | {r['first_impl']} | {r['step_sgemm_gflops']} | {r['step_bf16_gflops']} | {r['step_bf16_packed_gflops']} | "
              f"{r['step_bf16_with_convert_gflops']} | {r['step_speedup']:.2f} | {r['step_speedup_with_convert']:.2f} | "
              f"{r['load_before']}/{r['load_after']}/{r['others_cpu']} |")
PYEOF
