#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The fbsd-livepatch developers
#
# Runtime benchmark (issue 3, "Performance"): the stop window of patches
# replacing 1, 10 and 100 functions against an empty rendezvous, with busy
# worker threads, and the per-call cost of the trampoline.  The patch
# objects are made as tests/userhost makes them: the real fbsd-patchgen
# diff (--profile hosted) of a generated source pair, linked with
# uh_patch_stub.c carrying bench-runtime's build-id.  Never run by ctest.
#
#	bench/runtime.sh [-B BUILDDIR] [-w WORKERS] [-r RUNS] [-c CALLS]
#	    [-n WORKER_NICE] [-k]          (-k: keep the work directory)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
workers=8 runs=15 calls=10000000 nice=0 keep=0
while getopts B:w:r:c:n:k o; do
	case $o in
	B) build=$OPTARG ;;
	w) workers=$OPTARG ;;
	r) runs=$OPTARG ;;
	c) calls=$OPTARG ;;
	n) nice=$OPTARG ;;
	k) keep=1 ;;
	*) sed -n '12,13p' "$0" >&2; exit 2 ;;
	esac
done

cmake --build "$build" --target bench-runtime fbsd-patchgen -j2 >/dev/null
# shellcheck source=/dev/null
. "$build/bench-runtime.env"
patchgen=$build/bin/fbsd-patchgen
[ -x "$patchgen" ] || { echo "runtime.sh: no $patchgen" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-runtime.XXXXXX")
if [ $keep = 1 ]; then
	echo "work directory: $work" >&2
else
	trap 'rm -rf "$work"' EXIT INT TERM
fi

# bench-runtime's build-id as C initialiser bytes.
bid=$(readelf -n "$BR_BIN" | awk '/Build ID/ { print $3 }')
[ -n "$bid" ] || { echo "runtime.sh: $BR_BIN has no build-id" >&2; exit 1; }
bid_len=$((${#bid} / 2))
bid_bytes=$(echo "$bid" | sed 's/../0x&,/g; s/,$//')

patches=
for n in 1 10 100; do
	d=$work/p$n
	mkdir -p "$d"
	# Same file name as the original, so the STT_FILE names match.
	"$BR_PYTHON" "$BR_GEN" funcs "$BR_NFUNCS" $n "$d/bench_funcs.c"
	# shellcheck disable=SC2086 # the flags are a list
	$BR_CC $BR_CFLAGS -c "$d/bench_funcs.c" -o "$d/patched.o"
	"$patchgen" diff "$BR_ORIG_O" "$d/patched.o" -o "$d/diff.o" \
	    --profile hosted >"$d/patchgen.log" 2>&1 ||
		{ cat "$d/patchgen.log" >&2; exit 1; }
	$BR_CC -O2 -fno-pic -fno-pie -Wall -Wextra -Werror \
	    -I"$BR_ABI_INCLUDE" -DLP_NAME="\"fn$n\"" \
	    -DLP_BUILD_ID="$bid_bytes" -DLP_BUILD_ID_LEN=$bid_len \
	    -c "$BR_STUB" -o "$d/stub.o"
	"$BR_LD_LLD" -r "$d/diff.o" "$d/stub.o" -o "$work/fn$n.o"
	patches="$patches $work/fn$n.o"
done

echo "# bench-runtime -w $workers -r $runs -c $calls -n $nice ($(nproc) CPUs)"
# shellcheck disable=SC2086
"$BR_BIN" -w "$workers" -r "$runs" -c "$calls" -n "$nice" $patches
