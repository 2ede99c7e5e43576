#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Copyright (c) 2026 The fbsd-livepatch developers
"""Run a command several times; print its median wall and CPU time.

Usage: measure.py RUNS COMMAND [ARGS...]

Runs COMMAND once to warm the page cache, then RUNS times, with its output
discarded, and prints one line:

    wall_ns=<median> cpu_ns=<median> maxrss_kb=<max> runs=<RUNS>

wall is elapsed time around fork/exec/wait; cpu is user + system time of the
child as the kernel accounted it (wait4), which stays meaningful when other
work competes for the CPUs; maxrss is the largest peak resident set of any
run (ru_maxrss, in KB on Linux and FreeBSD).  Exits 1 if any run fails.
"""

import os
import statistics
import subprocess
import sys
import time


def run_once(cmd):
    t0 = time.perf_counter_ns()
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    except OSError as e:
        sys.exit(f"measure: cannot run {cmd[0]}: {e.strerror}")
    _, status, ru = os.wait4(proc.pid, 0)
    t1 = time.perf_counter_ns()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"measure: {cmd[0]} exited {proc.returncode}")
    cpu = int((ru.ru_utime + ru.ru_stime) * 1e9)
    return t1 - t0, cpu, ru.ru_maxrss


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip().splitlines()[2])
    runs = int(sys.argv[1])
    cmd = sys.argv[2:]
    run_once(cmd)  # warm-up
    walls, cpus, rss = [], [], 0
    for _ in range(runs):
        w, c, r = run_once(cmd)
        walls.append(w)
        cpus.append(c)
        rss = max(rss, r)
    print(f"wall_ns={int(statistics.median(walls))} "
          f"cpu_ns={int(statistics.median(cpus))} maxrss_kb={rss} runs={runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
