#!/usr/bin/env bash
# Times a comparison as a new user runs it (`make demo` by default) and records what the machine
# was doing: the 1-minute load average before and after, and how many cores other processes kept
# busy during it (the machine's busy CPU time from /proc/stat minus the command's own, over the
# wall time). A time with others_cpu above about 0.1 was not taken on an idle machine.
#   Benchmarks/demo/time.sh                              # make demo, with a fresh artifact cache
#   Benchmarks/demo/time.sh ./old/workbench compare --compressors ac,bpe,zstd --out /tmp/x --force
# A fresh cache (WORKBENCH_CACHE, a new temporary folder unless set) makes the demo train ac's
# model as a first run does. Prints one JSON line; the command's output goes to standard error.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
if [ $# -eq 0 ]; then set -- make demo; fi
export WORKBENCH_CACHE="${WORKBENCH_CACHE:-$(mktemp -d)}"
busy() { awk '/^cpu / { print ($2+$3+$4+$7+$8+$9) / '"$(getconf CLK_TCK)"' }' /proc/stat; }
load() { cut -d' ' -f1 /proc/loadavg; }
load_before=$(load)
busy_before=$(busy)
start=$(date +%s.%N)
usage=$(mktemp)
status=0
/usr/bin/time -f "%U %S" -o "$usage" "$@" >&2 || status=$?
end=$(date +%s.%N)
busy_after=$(busy)
load_after=$(load)
read -r user system < "$usage"
rm -f "$usage"
python3 - "$status" "$start" "$end" "$busy_before" "$busy_after" "$user" "$system" "$load_before" "$load_after" "$*" <<'PY'
import json, sys
status, start, end, b0, b1, user, system, l0, l1 = sys.argv[1:10]
wall = float(end) - float(start)
others = (float(b1) - float(b0) - float(user) - float(system)) / wall
print(json.dumps({"command": sys.argv[10], "exit": int(status), "wall_seconds": round(wall, 1),
                  "wall": "%d min %02d s" % divmod(round(wall), 60), "cpu_seconds": round(float(user) + float(system), 1),
                  "load_before": float(l0), "load_after": float(l1), "others_cpu": round(max(0.0, others), 3)}))
PY
exit "$status"
