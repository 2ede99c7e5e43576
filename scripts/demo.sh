#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Copyright (c) 2026 The fbsd-livepatch developers
#
# "make demo": walk a FreeBSD administrator through a live patch, from a
# one-line fix in a kernel source tree to the fixed code running, and back.
#
#   Part 1 (short): what the comparison at the heart of fbsd-patchgen sees,
#   on the example pair examples/demo/{orig,patched}.c.
#   Part 2: the fixture kernel tests/minikern, hosted flavour (the kernel's
#   own code running as a Linux program with worker threads, linked with the
#   userspace live-patch host): build it, run it, show a bug, generate the
#   live patch with `fbsd-patchgen --src FIX.diff --kernel GENERIC`, apply
#   it with lpctl while the workers run, revert it, stop.
#
# Needs only `make build`.  Everything it makes is under build/demo; a
# second run reuses the kernel build from the driver's cache.
#
# Environment: FBSD_PATCHGEN (default build/bin/fbsd-patchgen), LPCTL
# (build/bin/lpctl), CC (clang), DEMO_DIR (build/demo).  Exits non-zero on
# the first step that fails.

set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

PATCHGEN=${FBSD_PATCHGEN:-$top/build/bin/fbsd-patchgen}
LPCTL=${LPCTL:-$top/build/bin/lpctl}
CC=${CC:-clang}
DEMO_DIR=${DEMO_DIR:-$top/build/demo}
HOSTLIBS_FILE=$top/build/uh-hostlib.libs
FIX=tests/minikern/patches/mq-send-full-off-by-one.diff
NAME=mq_send_full_off_by_one

if [ -t 1 ]; then
	bold=$'\e[1m' dim=$'\e[2m' red=$'\e[31m' green=$'\e[32m' off=$'\e[0m'
else
	bold='' dim='' red='' green='' off=''
fi

step=0
heading() {
	step=$((step + 1))
	printf '\n%s== %d. %s%s\n' "$bold" "$step" "$*" "$off"
}
explain() {
	# Plain-language commentary, wrapped to the terminal.
	printf '%s\n' "$*" | fold -s -w 78
}
show() {
	# Show a command line.
	printf '%s$ %s%s\n' "$dim" "$*" "$off"
}
run() {
	# Show a command, then run it.
	show "$@"
	"$@"
}
fail() {
	printf '\n%sdemo: FAILED: %s%s\n' "$red" "$*" "$off" >&2
	exit 1
}
ok() {
	printf '%sok:%s %s\n' "$green" "$off" "$*"
}

[ -x "$PATCHGEN" ] ||
	fail "$PATCHGEN not found or not executable; run 'make build' first (or 'make demo', which builds)"
[ -x "$LPCTL" ] || fail "$LPCTL not found; run 'make build' first"
[ -f "$HOSTLIBS_FILE" ] || fail "$HOSTLIBS_FILE not found; run 'make build' first"
for tool in "$CC" ld.lld make readelf python3; do
	command -v "$tool" >/dev/null || fail "$tool not found; run 'make deps'"
done

mkdir -p "$DEMO_DIR"
SOCK=$DEMO_DIR/kernel.sock
PIDFILE=$DEMO_DIR/kernel.pid
OUT=$DEMO_DIR/patch

stop_kernel() {
	local pid
	[ -f "$PIDFILE" ] || return 0
	pid=$(cat "$PIDFILE")
	if kill -0 "$pid" 2>/dev/null; then
		"$LPCTL" -s "$SOCK" host quit >/dev/null 2>&1 || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -f "$PIDFILE"
}
# A kernel left running by an interrupted run, and ours on any exit.
stop_kernel
trap stop_kernel EXIT

# Ask the running kernel something, through its control socket.
ask() {
	lpctl host "$@"
}
# lpctl, shown short.
lpctl() {
	show lpctl "$@"
	"$LPCTL" -s "$SOCK" "$@"
}
# The same, keeping the answer in $got.
query() {
	show lpctl host "$@"
	got=$("$LPCTL" -s "$SOCK" host "$@") || fail "lpctl host $*: exit $?"
	echo "$got"
}

printf '%sfbsd-patchgen demo: fix a running kernel without a reboot%s\n' "$bold" "$off"
explain "A live patch replaces functions of the running kernel with fixed \
copies.  fbsd-patchgen builds the kernel source before and after a fix with \
the kernel's own flags, compares the machine code function by function, and \
turns exactly the changed functions into a small module tied to one kernel \
build.  The livepatch runtime stops all CPUs for a moment, checks that no \
thread is inside a function it replaces, and redirects each old function to \
its new copy."

# ---------------------------------------------------------------------------
heading "The heart of it: comparing machine code"
explain "examples/demo/orig.c is a small kernel-style file whose static \
inline helper lpdemo_slot() accepts index 8 of an 8-entry table; \
patched.c changes '>' into '>='.  Both are compiled with the amd64 kernel \
flags and compared:"
read -r -a KFLAGS < <(sed "s|@TESTS@|$top/tests|g" tests/cases/flags-clang.txt)
rm -rf "$DEMO_DIR/example"
mkdir -p "$DEMO_DIR/example/orig" "$DEMO_DIR/example/patched"
for v in orig patched; do
	cp "examples/demo/$v.c" "$DEMO_DIR/example/$v/lpdemo.c"
	(cd "$DEMO_DIR/example/$v" && "$CC" "${KFLAGS[@]}" lpdemo.c -o ../$v.o) ||
		fail "compiling the $v version of examples/demo"
done
rc=0
run "$PATCHGEN" diff "$DEMO_DIR/example/orig.o" "$DEMO_DIR/example/patched.o" \
	-o "$DEMO_DIR/example/patch.o" --show-first-changed --objname lpdemo.o || rc=$?
[ "$rc" -eq 0 ] || fail "fbsd-patchgen diff exited with status $rc"
explain "The function to replace is sys_lpdemo_get(), the caller: the \
compiler copied the helper into it, so the helper does not exist on its \
own in the kernel.  Comparing machine code finds that; reading the source \
diff alone would not."

# ---------------------------------------------------------------------------
heading "A bug in a kernel: the message queue holds one message too many"
explain "tests/minikern is a small kernel source tree laid out like \
/usr/src/sys, with the same build interface (make buildkernel \
KERNCONF=GENERIC).  Its message queues let a queue of 8 messages take a \
9th: mq_send() compares with '>' instead of '>='.  The fix, as a patch \
against the source tree:"
echo
cat "$FIX"
echo

# ---------------------------------------------------------------------------
heading "Build the kernel and the live patch: fbsd-patchgen --src"
# The driver caches the original kernel by the tree's content, the
# configuration, the compiler and the flags, not by the contents of
# HOSTED_LIBS: a rebuilt host library gets a cache of its own.
hostlibs=$(cat "$HOSTLIBS_FILE")
libsum=$(sha256sum "${hostlibs%% *}" | cut -c1-16)
CACHE=$DEMO_DIR/cache-$libsum
for d in "$DEMO_DIR"/cache-*; do
	[ "$d" = "$CACHE" ] || rm -rf "$d"
done
rm -rf "$OUT"
explain "One command does it all.  It builds the unpatched tree with the \
kernel's own build (the first time only: the result is cached in \
${CACHE#$top/}), applies the fix to a copy, recompiles only the files the \
fix touches with exactly the recorded commands, compares the objects and \
links the changed functions into $NAME.ko.  The options after --profile \
choose the hosted flavour: the kernel code linked into a Linux program \
together with the userspace live-patch host, so that it can run here.  On \
a FreeBSD build host you would only give --src and --kernel."
echo
rc=0
show "$PATCHGEN --src $FIX --kernel GENERIC --srcdir tests/minikern" \
	"--cache ${CACHE#$top/} --output ${OUT#$top/}" \
	"--profile hosted --make-var FLAVOUR=hosted --make-var HOSTED_MAIN=no" \
	"--make-var 'HOSTED_LIBS=$hostlibs' --kernel-image kernel.hosted"
"$PATCHGEN" --src "$FIX" --kernel GENERIC --srcdir tests/minikern \
	--cache "$CACHE" --output "$OUT" \
	--profile hosted --make-var FLAVOUR=hosted --make-var HOSTED_MAIN=no \
	--make-var "HOSTED_LIBS=$hostlibs" --kernel-image kernel.hosted || rc=$?
echo
case $rc in
0) ok "$OUT/$NAME.ko written" ;;
2) fail "fbsd-patchgen refused the fix (exit status 2); the report above says why" ;;
3) fail "fbsd-patchgen found no change (exit status 3)" ;;
4) fail "the kernel build failed (exit status 4); see the build log named above" ;;
*) fail "fbsd-patchgen exited with status $rc" ;;
esac
buildid=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["target_build_id"])' \
	"$OUT/$NAME.json")
KERNEL=
while IFS= read -r k; do
	if readelf -n "$k" | grep -q "Build ID: $buildid"; then
		KERNEL=$k
		break
	fi
done < <(find "$CACHE" -name kernel.hosted -type f)
[ -n "$KERNEL" ] || fail "no kernel.hosted with build-id $buildid in $CACHE"
explain "The module is bound to the kernel it was made for: its build-id \
$buildid is the one of the kernel just built, and the runtime refuses \
the module on any other kernel."

# ---------------------------------------------------------------------------
heading "Boot the kernel"
explain "kernel.hosted boots the kernel code (SYSINITs, tunables, sysctls) \
and starts a clock thread and 3 worker threads that use message queues, \
the network path and logging in a loop, like a busy system.  It listens on \
a control socket; lpctl plays kldload(8) and fbsd-livepatch(8) for it."
show "${KERNEL#$top/} -q -w 3 -s ${SOCK#$top/} &"
"$KERNEL" -q -w 3 -s "$SOCK" >"$DEMO_DIR/kernel.log" 2>&1 </dev/null &
echo $! >"$PIDFILE"
for _ in $(seq 50); do
	[ -S "$SOCK" ] && break
	sleep 0.1
done
[ -S "$SOCK" ] || fail "kernel.hosted did not start; see $DEMO_DIR/kernel.log"
ok "running, pid $(cat "$PIDFILE")"
ask version

# ---------------------------------------------------------------------------
heading "Show the bug"
explain "'call mq_fill 8' opens a queue limited to 8 messages and sends \
until the kernel says the queue is full.  It should take 8:"
query call mq_fill 8
[ "$got" = 9 ] || fail "expected 9 messages before the fix, got '$got'"
printf '%sthe bug:%s the queue took 9 messages\n' "$red" "$off"

# ---------------------------------------------------------------------------
heading "Apply the live patch"
explain "lpctl load links the module into the running kernel; the runtime \
checks the build-id and the old functions' code, stops every thread for a \
moment, makes sure none is inside mq_send(), and writes a jump at the start \
of the old mq_send() to the new one.  The workers keep running."
iters_before=$("$LPCTL" -s "$SOCK" stats | awk '/^worker/ { s += $4 } END { print s + 0 }')
lpctl load "${OUT#$top/}/$NAME.ko"
query call mq_fill 8
[ "$got" = 8 ] || fail "expected 8 messages with the fix, got '$got'"
ok "fixed: the queue takes 8 messages"

heading "What is applied, and what it cost"
explain "lpctl list shows the patch and each replaced function (old and \
new address); lpctl stats shows how long the threads were stopped \
(last_stop_ns, in nanoseconds) and that the workers kept counting:"
lpctl list
lpctl stats
iters_after=$("$LPCTL" -s "$SOCK" stats | awk '/^worker/ { s += $4 } END { print s + 0 }')
[ "$iters_after" -gt "$iters_before" ] || fail "the worker threads stopped"
ok "the workers ran on: $((iters_after - iters_before)) more loop iterations since the load"

# ---------------------------------------------------------------------------
heading "Revert"
explain "Reverting puts the original bytes back at the start of mq_send(), \
again with every thread stopped for a moment; the old behaviour returns."
lpctl revert "$NAME"
query call mq_fill 8
[ "$got" = 9 ] || fail "expected 9 messages after the revert, got '$got'"
ok "reverted: the old behaviour (9) is back"
lpctl unload "$NAME"

# ---------------------------------------------------------------------------
heading "Stop"
stop_kernel
ok "kernel.hosted stopped"

heading "The same fix for FreeBSD: a real kld"
explain "For a FreeBSD kernel (the fixture's kernel.full here) the patch is a \
kernel module as bsd.kmod.mk builds one: the module stub is compiled with the \
kernel's own flags and declares the module, its dependency on livepatch.ko, \
and the handler that registers the patch when kldload(8) loads it."
KOUT=$DEMO_DIR/kld
run "$PATCHGEN" --src "$FIX" --kernel GENERIC --srcdir tests/minikern \
	--cache "$DEMO_DIR/cache-kernel" --output "$KOUT" -q ||
	fail "the driver did not build the kld"
show "$PATCHGEN" inspect "$KOUT/$NAME.ko"
"$PATCHGEN" inspect "$KOUT/$NAME.ko" | sed -n '/^kld module metadata/,/^$/p'
"$PATCHGEN" inspect "$KOUT/$NAME.ko" | grep -q "depends on  livepatch" ||
	fail "the module does not depend on livepatch"
ok "module $NAME, depends on livepatch and on this kernel's __FreeBSD_version"
echo
explain "Files are in ${DEMO_DIR#$top/}: patch/$NAME.ko (the module), \
patch/$NAME.json (the report), kld/$NAME.ko (the FreeBSD kld), kernel.log.  See docs/fbsd-patchgen.8 \
(man ./docs/fbsd-patchgen.8)."
