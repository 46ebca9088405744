"""Runs one benchmark command and prints its JSON line with what the machine was doing around it.

    python3 measure.py -- ./engine-bench --threads 2 ...
    python3 measure.py --plain -- make demo


Added fields:
  load_before, load_after  1-minute load average just before and just after the command;
  others_cpu               cores kept busy by other processes during the command: the machine's
                           busy CPU time (/proc/stat) minus the command's own CPU time (its
                           rusage), over the wall time. The load average lags (it is a one-minute
                           average, and the previous run's threads are still in it), while this
                           catches a build that starts in the middle of a run.
The command's last line of standard output must be one JSON object; the fields are added to it,
and any lines before it are printed unchanged.

With --plain, the command may print anything: its standard output goes to standard error as it
comes, and measure.py prints a JSON line of its own (command, exit status, wall and CPU seconds,
the fields above), then exits with the command's status. For timing whole workflows.
"""
import json
import os
import resource
import subprocess
import sys
import time


def busy_seconds():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def main():
    argv = sys.argv[1:]
    plain = bool(argv) and argv[0] == "--plain"
    if plain:
        argv = argv[1:]
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        sys.exit("usage: measure.py [--plain] -- command [arguments...]")
    load_before = os.getloadavg()[0]
    busy0, t0 = busy_seconds(), time.perf_counter()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, stdout=sys.stderr if plain else subprocess.PIPE, text=True)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy1, wall = busy_seconds(), time.perf_counter() - t0
    load_after = os.getloadavg()[0]
    own = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    machine = dict(load_before=round(load_before, 2), load_after=round(load_after, 2),
                   others_cpu=round(max(0.0, busy1 - busy0 - own) / wall, 3) if wall > 0 else None)
    if plain:
        print(json.dumps(dict(command=" ".join(argv), exit=done.returncode, wall_seconds=round(wall, 1),
                              wall="%d min %02d s" % divmod(round(wall), 60), cpu_seconds=round(own, 1), **machine)))
        sys.exit(done.returncode)
    if done.returncode != 0:
        sys.exit(f"measure.py: {argv[0]} exited with status {done.returncode}")
    lines = [l for l in done.stdout.splitlines() if l.strip()]
    if not lines:
        sys.exit(f"measure.py: {argv[0]} printed nothing")
    for line in lines[:-1]:
        print(line)
    row = json.loads(lines[-1])
    row.update(machine)
    print(json.dumps(row))


if __name__ == "__main__":
    main()
