#!/usr/bin/env bash
# Times a comparison as a new user runs it (`make demo` by default) and records what the machine
# was doing (Benchmarks/engine/measure.py --plain): the 1-minute load average before and after,
# and how many cores other processes kept busy during it. A time with others_cpu above about 0.1
# was not taken on an idle machine.
#   Benchmarks/demo/time.sh                              # make demo, with a fresh artifact cache
#   Benchmarks/demo/time.sh ./old/workbench compare --compressors ac,bpe,zstd --out /tmp/x --force
# A fresh cache (WORKBENCH_CACHE, a new temporary folder unless set) makes the demo train ac's
# model as a first run does. Prints one JSON line; the command's output goes to standard error.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
if [ $# -eq 0 ]; then set -- make demo; fi
export WORKBENCH_CACHE="${WORKBENCH_CACHE:-$(mktemp -d)}"
exec python3 "$ROOT/Benchmarks/engine/measure.py" --plain -- "$@"
