#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Copyright (c) 2026 The fbsd-livepatch developers
#
# Cost of the diff's DWARF pass (type-layout checks and inline chains,
# docs/layout-checks.md) against the diff's own time, measured in the same
# process and run by build/bin/bench-dwarf: the diff of each object pair
# with and without the pass, alternated, CPU time of the thread, medians.
#
# Uses the object pairs bench/run.sh generated (compiled with the kernel
# flags, which include -g): the kernel-sized pair and the largest N pair
# found in BENCH_DIR.  Run bench/run.sh first.  Never run by `make test`.
# Environment:
#   BENCH_DIR    where bench/run.sh left its pairs (default build/bench)
#   BENCH_RUNS   timed runs per pair (default 10; 3 above 10 MB)
#   BENCH_DWARF  the binary (default build/bin/bench-dwarf)
#
# Printed per pair: object size, the diff's CPU time without the pass, the
# pass's added CPU time, the time spent reading both objects' DWARF, and
# the ratio added / diff (target: under 0.5), and the same ratio against
# the CPU time of a whole `fbsd-patchgen diff` process (what a CI job
# pays: process start, loading, the diff and writing the output).

set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
DIR=${BENCH_DIR:-$top/build/bench}
BIN=${BENCH_DWARF:-$top/build/bin/bench-dwarf}
PATCHGEN=${FBSD_PATCHGEN:-$top/build/bin/fbsd-patchgen}

[ -x "$BIN" ] || { echo "bench: error: $BIN not found; run 'make build'" >&2; exit 1; }
pairs=()
for d in "$DIR"/kobj*; do [ -f "$d/orig.o" ] && pairs+=("$d"); done
largest=$(ls -d "$DIR"/n* 2>/dev/null | sed 's/.*\/n//' | sort -n | tail -n 1 || true)
[ -n "$largest" ] && [ -f "$DIR/n$largest/orig.o" ] && pairs+=("$DIR/n$largest")
[ "${#pairs[@]}" -gt 0 ] || { echo "bench: error: no object pairs in $DIR; run bench/run.sh first" >&2; exit 1; }

printf '%-8s %9s %10s %10s %10s %7s %10s %7s\n' pair object diff +dwarf read ratio "process" "p-ratio"
miss=0
for d in "${pairs[@]}"; do
	size=$(wc -c <"$d/orig.o")
	runs=${BENCH_RUNS:-$([ "$size" -gt 10000000 ] && echo 3 || echo 10)}
	out=$("$BIN" "$runs" "$d/orig.o" "$d/patched.o")
	get() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$out"; }
	proc=$(python3 bench/measure.py "$runs" "$PATCHGEN" diff "$d/orig.o" "$d/patched.o" \
	    -o "$d/out-dwarf.o" --quiet --no-dwarf | sed -n 's/.*cpu_ns=\([0-9]*\).*/\1/p')
	proc_ms=$(awk -v t="$proc" 'BEGIN { printf "%.1f", t / 1e6 }')
	pratio=$(awk -v a="$(get dwarf_ms)" -v b="$proc_ms" 'BEGIN { printf "%.2f", a / b }')
	printf '%-8s %6d KB %7s ms %7s ms %7s ms %7s %7s ms %7s\n' "$(basename "$d")" \
	    $((size / 1024)) "$(get diff_ms)" "$(get dwarf_ms)" "$(get read_ms)" "$(get ratio)" \
	    "$proc_ms" "$pratio"
	awk -v r="$(get ratio)" 'BEGIN { exit !(r < 0.5) }' || miss=1
done
echo
echo "diff: CPU time of diff_objects() without the DWARF pass; +dwarf: what the pass adds;"
echo "read: reading both objects' DWARF (LLVM's DWARF parser); ratio: +dwarf / diff (target < 0.5);"
echo "process: CPU time of a whole 'fbsd-patchgen diff --no-dwarf' run; p-ratio: +dwarf / process"
[ "$miss" -eq 0 ] && echo "dwarf pass: PASS" || echo "dwarf pass: MISS (ratio to the in-process diff is 0.5 or more)"
