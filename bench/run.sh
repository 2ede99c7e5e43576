#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Copyright (c) 2026 The fbsd-livepatch developers
#
# Diff benchmark (DESIGN.md section 8): is `fbsd-patchgen diff` linear in the
# size of the object, and fast on a kernel-sized object?
#
# For each N in BENCH_SIZES it generates a pair of C files with N functions
# (bench/gen_pair.py, about 1% of them changed), compiles both with the amd64
# kernel flags (tests/cases/flags-clang.txt) into ONE object each, and times
# `fbsd-patchgen diff orig.o patched.o` several times.  Then it does the same
# for a pair whose object is about 700 KB, the size of a large real kernel
# object (target: under 10 ms of CPU time, layout checks on), and compares
# the 4,000-function pair's diff with the time llvm-objcopy takes to copy
# both of its objects (target: at most 0.5 times that).
#
# Printed: N, object size, median wall and CPU time (bench/measure.py, or
# hyperfine for the wall time when it is installed), time per function, the
# ratio of the time per function to that of the first (smallest) size, for
# wall and CPU time, and the peak resident memory.  The ratios must stay
# under 1.5: the cost grows linearly.
# Each diff's list of changed functions is also checked against the list the
# generator changed.
#
# The first run generates and compiles the pairs, which takes long: clang
# needs tens of minutes for the 50,000-function pair on two cores.  Later
# runs reuse the objects (BENCH_DIR).
#
# Never run by `make test`.  Environment:
#   BENCH_SIZES   function counts (default "1000 4000 10000 50000"); the
#                 objcopy baseline is measured for N=4000 when it is listed
#   BENCH_RUNS    timed runs per size (default 10; 5 above 20000 functions;
#                 20 for the kernel-object row)
#   BENCH_KB      size of the kernel-object row in KB (default 700; 0: skip)
#   BENCH_JOBS    compiles run in parallel (default 2)
#   BENCH_DIR     work directory (default build/bench); generated objects are
#                 kept and reused while the generator, flags and compiler stay
#                 the same
#   BENCH_STRICT  1: exit 1 when a target is missed (default: report only;
#                 a diff that fails always makes the exit status 1)
#   FBSD_PATCHGEN the binary (default build/bin/fbsd-patchgen)
#   CC            the compiler (default clang)

set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

PATCHGEN=${FBSD_PATCHGEN:-$top/build/bin/fbsd-patchgen}
CC=${CC:-clang}
SIZES=${BENCH_SIZES:-1000 4000 10000 50000}
RUNS=${BENCH_RUNS:-}
KB=${BENCH_KB:-700}
JOBS=${BENCH_JOBS:-2}
DIR=${BENCH_DIR:-$top/build/bench}
STRICT=${BENCH_STRICT:-0}

RATIO_MAX=1.5
# CPU time (user + system): on the shared 2-core hosts the wall time of a
# 10 ms run mostly measures the other jobs.
KOBJ_MS_MAX=10
OBJCOPY_N=4000
OBJCOPY_MAX=0.50
OBJCOPY=${OBJCOPY:-$(command -v llvm-objcopy-14 || command -v llvm-objcopy || true)}

die() {
	echo "bench: error: $*" >&2
	exit 1
}
log() {
	echo "bench: $*" >&2
}

[ -x "$PATCHGEN" ] || die "$PATCHGEN not found; run 'make build' (or 'make bench', which builds)"
command -v "$CC" >/dev/null || die "$CC not found; run 'make deps'"
command -v python3 >/dev/null || die "python3 not found; run 'make deps'"
uptime_load=$(uptime 2>/dev/null | sed 's/.*load average[s]*: *//' || true)
mkdir -p "$DIR"

read -r -a KFLAGS < <(sed "s|@TESTS@|$top/tests|g" tests/cases/flags-clang.txt)

# What the generated objects depend on; they are rebuilt when it changes.
stamp_of() {
	{
		echo "n=$1"
		cat bench/gen_pair.py tests/cases/flags-clang.txt
		"$CC" --version
	} | sha256sum | cut -c1-16
}

# compile DIR VARIANT: DIR/VARIANT/bench.c -> DIR/VARIANT.o
compile() {
	(cd "$1/$2" && "$CC" "${KFLAGS[@]}" bench.c -o "../$2.o")
}

# prepare N DIR: generate and compile the pair of N functions into DIR.
prepare() {
	local n=$1 d=$2 stamp
	stamp=$(stamp_of "$n")
	if [ -f "$d/stamp" ] && [ "$(cat "$d/stamp")" = "$stamp" ] &&
	    [ -f "$d/orig.o" ] && [ -f "$d/patched.o" ]; then
		log "N=$n: reusing objects in $d"
		return 0
	fi
	mkdir -p "$d"
	rm -f "$d/stamp"
	log "N=$n: generating sources"
	python3 bench/gen_pair.py "$n" "$d" --list-changed >"$d/expected.txt"
	log "N=$n: compiling orig.c and patched.c with the kernel flags"
	# Both versions are compiled as bench.c, from orig/ and patched/: the
	# two objects of one translation unit carry the same source file name,
	# as in a kernel build.
	local t0 t1 v
	t0=$(date +%s)
	for v in orig patched; do
		mkdir -p "$d/$v"
		ln -sf "../$v.c" "$d/$v/bench.c"
	done
	if [ "$JOBS" -ge 2 ]; then
		compile "$d" orig &
		local pid=$!
		compile "$d" patched || { wait "$pid" || true; die "compiling $d/patched.c failed"; }
		wait "$pid" || die "compiling $d/orig.c failed"
	else
		compile "$d" orig || die "compiling $d/orig.c failed"
		compile "$d" patched || die "compiling $d/patched.c failed"
	fi
	t1=$(date +%s)
	log "N=$n: compiled in $((t1 - t0)) s, orig.o is $(wc -c <"$d/orig.o") bytes"
	echo "$stamp" >"$d/stamp"
}

# The command that is timed, what a CI pipeline runs: set CMD for DIR.
set_cmd() {
	local d=$1
	CMD=("$PATCHGEN" diff "$d/orig.o" "$d/patched.o" -o "$d/out.o"
	    --json "$d/report.json" --quiet)
}

# check DIR: run the diff once, require exit 0 and the expected functions.
# Returns 2 when the diff itself failed (then nothing can be timed), 1 when
# its list of changed functions is not the expected one.
check() {
	local d=$1 rc=0
	set_cmd "$d"
	"${CMD[@]}" >/dev/null 2>"$d/stderr.txt" || rc=$?
	if [ "$rc" -ne 0 ]; then
		log "fbsd-patchgen diff exited $rc on $d (expected 0: patch written):"
		sed 's/^/bench:   /' "$d/stderr.txt" >&2
		return 2
	fi
	python3 - "$d/report.json" "$d/expected.txt" <<-'EOF'
	import json, sys
	rep = json.load(open(sys.argv[1]))
	want, maybe = set(), set()
	for line in open(sys.argv[2]):
	    kind, name = line.split()
	    (want if kind == "changed" else maybe).add(name)
	got = set()
	for obj in rep.get("objects", []):
	    for key in ("changed_functions", "new_functions"):
	        for f in obj.get(key, []):
	            got.add(f if isinstance(f, str) else f.get("name", str(f)))
	missing = sorted(want - got)
	extra = sorted(got - want - maybe)
	if missing or extra:
	    print(f"bench: warning: {sys.argv[1]}: changed functions differ from "
	          f"the generator's: {len(got)} reported, {len(want)} changed in "
	          f"the source (+{len(maybe)} callers that may inline them); "
	          f"missing {missing[:5]}, unexplained {extra[:5]}", file=sys.stderr)
	    sys.exit(1)
	print(f"bench: {len(got)} functions reported changed: the "
	      f"{len(want)} changed in the source and {len(got) - len(want)} "
	      f"callers that inlined them", file=sys.stderr)
	EOF
}

# time_runs DIR RUNS: set WALL_NS, CPU_NS (medians) and RSS_KB (peak).
# Wall time from hyperfine when it is installed, else from bench/measure.py,
# which also gives the CPU time (user + system, from wait4) of each run:
# CPU time stays meaningful when other work competes for the two cores.
# Peak RSS from /usr/bin/time -f %M when it is GNU time, else from the
# kernel's ru_maxrss of the same runs.
time_runs() {
	local d=$1 runs=$2 out
	set_cmd "$d"
	out=$(python3 bench/measure.py "$runs" "${CMD[@]}") || die "timing failed on $d"
	WALL_NS=$(sed -n 's/.*wall_ns=\([0-9]*\).*/\1/p' <<<"$out")
	CPU_NS=$(sed -n 's/.*cpu_ns=\([0-9]*\).*/\1/p' <<<"$out")
	RSS_KB=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' <<<"$out")
	if command -v hyperfine >/dev/null; then
		hyperfine -N --warmup 1 --runs "$runs" --export-json "$d/hyperfine.json" \
		    "${CMD[*]}" >/dev/null 2>&1 || die "hyperfine failed on $d"
		WALL_NS=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["results"][0]["median"] * 1e9))' \
		    "$d/hyperfine.json")
	fi
	if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
		/usr/bin/time -o "$d/rss.txt" -f %M "${CMD[@]}" >/dev/null 2>&1
		RSS_KB=$(tail -n 1 "$d/rss.txt")
	fi
}

declare -a ROWS CMD
failed=0
objcopy_line='' objcopy_miss=0
WALL_NS='' CPU_NS='' RSS_KB=''
base_per_fn='' base_cpu_per_fn=''
last_med='' last_cpu=''
verdict_ok=1
mismatch=0

measure() {
	local label=$1 n=$2 d=$3 runs=$4 size per_fn cpu_per_fn ratio cpu_ratio
	local rc=0
	check "$d" || rc=$?
	size=$(wc -c <"$d/orig.o")
	if [ "$rc" -eq 2 ]; then
		ROWS+=("$label|$n|$size|FAILED")
		last_med='' last_cpu=''
		failed=1
		return 0
	fi
	[ "$rc" -eq 0 ] || mismatch=1
	time_runs "$d" "$runs"
	per_fn=$(awk -v t="$WALL_NS" -v n="$n" 'BEGIN { printf "%.3f", t / n / 1000 }')
	cpu_per_fn=$(awk -v t="$CPU_NS" -v n="$n" 'BEGIN { printf "%.3f", t / n / 1000 }')
	if [ -z "$base_per_fn" ]; then
		base_per_fn=$per_fn
		base_cpu_per_fn=$cpu_per_fn
	fi
	ratio=$(awk -v a="$per_fn" -v b="$base_per_fn" 'BEGIN { printf "%.2f", a / b }')
	cpu_ratio=$(awk -v a="$cpu_per_fn" -v b="$base_cpu_per_fn" 'BEGIN { printf "%.2f", a / b }')
	ROWS+=("$label|$n|$size|$WALL_NS|$CPU_NS|$per_fn|$ratio|$cpu_ratio|$RSS_KB|$runs")
	last_med=$WALL_NS
	last_cpu=$CPU_NS
}

log "fbsd-patchgen: $PATCHGEN"
log "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc 2>/dev/null || echo '?') CPUs, load $uptime_load, $("$CC" --version | head -n 1)"
for n in $SIZES; do
	d=$DIR/n$n
	prepare "$n" "$d"
	runs=${RUNS:-$([ "$n" -gt 20000 ] && echo 5 || echo 10)}
	log "N=$n: timing $runs runs"
	measure "$n" "$n" "$d" "$runs"
	if [ "$n" = "$OBJCOPY_N" ] && [ -n "$last_med" ] && [ -n "$OBJCOPY" ]; then
		diff_wall=$last_med diff_cpu=$last_cpu
		# shellcheck disable=SC2016
		out=$(python3 bench/measure.py "$runs" sh -c \
		    '"$0" "$1/orig.o" "$1/oc-orig.o" && "$0" "$1/patched.o" "$1/oc-patched.o"' \
		    "$OBJCOPY" "$d") || die "timing llvm-objcopy failed on $d"
		oc_wall=$(sed -n 's/.*wall_ns=\([0-9]*\).*/\1/p' <<<"$out")
		oc_cpu=$(sed -n 's/.*cpu_ns=\([0-9]*\).*/\1/p' <<<"$out")
		objcopy_line=$(awk -v dw="$diff_wall" -v dc="$diff_cpu" -v ow="$oc_wall" -v oc="$oc_cpu" \
		    -v m="$OBJCOPY_MAX" -v n="$n" 'BEGIN {
			rw = dw / ow; rc = dc / oc
			printf "objcopy baseline (N=%d, llvm-objcopy of both objects): %.1f ms wall, %.1f ms CPU; diff/objcopy %.2f wall, %.2f CPU: %s (target <= %.2f, CPU)",
			    n, ow / 1e6, oc / 1e6, rw, rc, (rc <= m ? "PASS" : "MISS"), m }')
		awk -v c="$diff_cpu" -v o="$oc_cpu" -v m="$OBJCOPY_MAX" 'BEGIN { exit !(c / o <= m) }' ||
		    objcopy_miss=1
	fi
done

# The kernel-object row: find N whose object is about KB kilobytes, from the
# bytes per function of the first pair, then correct once from the result.
kobj_ms=
if [ "$KB" -gt 0 ]; then
	first=${SIZES%% *}
	target=$((KB * 1024))
	n=$(awk -v s="$(wc -c <"$DIR/n$first/orig.o")" -v f="$first" -v t="$target" \
	    'BEGIN { printf "%d", t / (s / f) + 0.5 }')
	for _ in 1 2 3; do
		d=$DIR/kobj$n
		prepare "$n" "$d"
		size=$(wc -c <"$d/orig.o")
		# Within 5% of the target: done.
		if awk -v s="$size" -v t="$target" 'BEGIN { exit !(s > t * 0.95 && s < t * 1.05) }'; then
			break
		fi
		n=$(awk -v s="$size" -v n="$n" -v t="$target" 'BEGIN { printf "%d", n * t / s + 0.5 }')
	done
	log "kernel object (${KB} KB): N=$n"
	measure "${KB}KB" "$n" "$d" "${RUNS:-20}"
	if [ -n "$last_med" ]; then
		kobj_ms=$(awk -v t="$last_med" 'BEGIN { printf "%.1f", t / 1e6 }')
		kobj_cpu_ms=$(awk -v t="$last_cpu" 'BEGIN { printf "%.1f", t / 1e6 }')
	fi
fi

echo
printf '%-6s %6s %9s %10s %10s %9s %6s %6s %9s %4s\n' \
	"case" "N" "object" "wall" "cpu" "us/func" "ratio" "cpu-r" "peak RSS" "runs"
for row in "${ROWS[@]}"; do
	IFS='|' read -r label n size wall cpu per_fn ratio cpu_ratio rss runs <<<"$row"
	if [ "$wall" = FAILED ]; then
		printf '%-6s %6d %6d KB   diff FAILED (see the messages above)\n' \
			"${label/*KB/kobj}" "$n" "$(awk -v s="$size" 'BEGIN { printf "%d", s / 1024 + 0.5 }')"
		continue
	fi
	case $label in
	*KB)
		# Not part of the linearity series.
		ratio=- cpu_ratio=- label=kobj
		;;
	*)
		if ! awk -v r="$ratio" -v c="$cpu_ratio" -v m="$RATIO_MAX" \
		    'BEGIN { exit !(r < m && c < m) }'; then
			verdict_ok=0
		fi
		;;
	esac
	printf '%-6s %6d %6d KB %7.1f ms %7.1f ms %9.2f %6s %6s %6.1f MB %4d\n' \
		"$label" "$n" "$(awk -v s="$size" 'BEGIN { printf "%d", s / 1024 + 0.5 }')" \
		"$(awk -v t="$wall" 'BEGIN { print t / 1e6 }')" \
		"$(awk -v t="$cpu" 'BEGIN { print t / 1e6 }')" "$per_fn" "$ratio" "$cpu_ratio" \
		"$(awk -v r="$rss" 'BEGIN { print r / 1024 }')" "$runs"
done
echo
echo "wall, cpu: median elapsed and CPU (user+system) time of one diff; us/func: wall / N"
echo "ratio, cpu-r: wall and CPU time per function relative to N=${SIZES%% *} (linear cost: both must stay under $RATIO_MAX)"
[ -z "$kobj_ms" ] || echo "kobj: a pair whose object is about $KB KB, the size of a large kernel object"
if [ "$verdict_ok" -eq 1 ]; then
	echo "linearity: PASS"
else
	echo "linearity: MISS (a ratio is $RATIO_MAX or more)"
fi
if [ -n "$objcopy_line" ]; then
	echo "$objcopy_line"
	[ "$objcopy_miss" -eq 0 ] || verdict_ok=0
fi
if [ -n "$kobj_ms" ]; then
	if awk -v t="$kobj_cpu_ms" -v m="$KOBJ_MS_MAX" 'BEGIN { exit !(t < m) }'; then
		echo "${KB} KB kernel object: $kobj_ms ms wall, $kobj_cpu_ms ms CPU: PASS (target < $KOBJ_MS_MAX ms CPU)"
	else
		echo "${KB} KB kernel object: $kobj_ms ms wall, $kobj_cpu_ms ms CPU: MISS (target < $KOBJ_MS_MAX ms CPU)"
		verdict_ok=0
	fi
fi
if [ "$failed" -ne 0 ]; then
	echo "diff: FAILED on at least one pair (see the messages above)"
	verdict_ok=0
fi
if [ "$mismatch" -ne 0 ]; then
	echo "changed functions: MISMATCH with the generator's list (see warnings above)"
	verdict_ok=0
else
	echo "changed functions: every diff reported the functions the generator changed, and no other but callers that inlined them"
fi
if [ "$failed" -ne 0 ] || { [ "$verdict_ok" -eq 0 ] && [ "$STRICT" = 1 ]; }; then
	exit 1
fi
exit 0
