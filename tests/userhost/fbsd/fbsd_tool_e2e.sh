#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The fbsd-livepatch developers
#
# The target tool's FreeBSD backend against the personality, end to end:
# fbsd-livepatch load B.lpbundle -> kldload(2) -> MOD_LOAD ->
# livepatch_register -> apply -> jumps, then revert, apply, unload, all
# through sysctlbyname(3)/kldunload(2) of the syscall shim, and the
# refusals.  Workers in the kernel show which version runs.
#
# Then issue 11's all-or-nothing matrix: a load that fails at any step --
# bad signature, a module whose patch name differs from the manifest's,
# wrong build-id, a vetoing pre-patch hook, a stack check that never
# passes (a thread sleeps inside lpt_park), a kldload that fails -- must
# leave the loaded klds (kldfind of every file that could be loaded; the
# file ids show a reload), debug.livepatch.patches, the state directory
# (names, inodes, modes, sizes, times, checksums) and the workers' values
# exactly as they were.  Once from a clean kernel (livepatch.ko not loaded,
# no state directory), once with value3 applied, a bundle installed and
# state files left by an interrupted load.
#
#   fbsd_tool_e2e.sh SERVER TOOL PATCHGEN SHIMCALL KLDDIR WORKDIR
set -u
server=$1 tool=$2 patchgen=$3 shimcall=$4 klddir=$5 work=$6
rm -rf "$work"
mkdir -p "$work/state"
sock=$work/kernel.sock
export FBSD_PERSONALITY_SOCKET=$sock
fail=0
check() {	# description, command...: the command must succeed
	d=$1; shift
	if "$@" >"$work/out" 2>&1; then :; else
		echo "FAIL: $d"; cat "$work/out"; fail=1
	fi
}
refuse() {	# description, expected message, command...: must fail with it
	d=$1 m=$2; shift 2
	if "$@" >"$work/out" 2>&1; then
		echo "FAIL: $d (succeeded)"; cat "$work/out"; fail=1
	elif ! grep -q -- "$m" "$work/out"; then
		echo "FAIL: $d: no '$m' in:"; cat "$work/out"; fail=1
	else
		echo "ok: $d: $(grep -- "$m" "$work/out" | head -1)"
	fi
}
values() {	# every worker reports $1, within 2 s
	i=0
	while [ $i -lt 200 ]; do
		"$shimcall" stats > "$work/stats" 2>&1
		if ! grep -v "value $1 " "$work/stats" | grep -q worker; then
			return 0
		fi
		sleep 0.01
		i=$((i + 1))
	done
	echo "FAIL: workers do not all return $1:"; cat "$work/stats"; fail=1
	return 1
}
lp() { "$tool" -f -d "$work/state" "$@"; }

"$server" --socket "$sock" --klddir "$klddir" --workers 4 --park \
    2>"$work/kernel.log" &
spid=$!
i=0
while [ ! -S "$sock" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
bid=$("$shimcall" sysctl kern.build_id)
rel=$("$shimcall" sysctl kern.osreldate)
# --unchecked for the modules made wrong on purpose: the kernel's own
# checks are under test, and fbsd-patchgen bundle would refuse them.
for n in value2 badbid nometa nodep value3 park2 veto; do
	case $n in badbid|nometa) unchecked=--unchecked ;; *) unchecked= ;; esac
	"$patchgen" bundle $unchecked --module "$klddir/$n.ko" --name "$n" \
	    --build-id "$bid" --freebsd-version "$rel" --kernconf GENERIC \
	    -o "$work/$n.lpbundle" -q || fail=1
done

# --- the all-or-nothing matrix
mstate=$work/mstate
lpk() { "$tool" -k "$work/keys" -d "$mstate" "$@"; }
lpm() { "$tool" -f -d "$mstate" "$@"; }
snap() {	# what a failed load must leave as it was
	echo "# klds"
	for f in livepatch value2 value3 badbid nometa nodep park2 veto \
	    renamed; do
		echo "$f.ko $("$shimcall" kldfind $f.ko 2>/dev/null || echo -)"
	done
	echo "# debug.livepatch.patches"
	"$shimcall" sysctl debug.livepatch.patches 2>&1
	echo "# $mstate"
	if [ -d "$mstate" ]; then
		ls -lAi --time-style=full-iso "$mstate"
		(cd "$mstate" && for f in $(ls -A); do cksum "$f"; done)
	else
		echo "(none)"
	fi
	echo "# workers"
	"$shimcall" stats | sed 's/ iters .*//'
}
mcase() {	# description, message, value, command...: fails, no change
	d=$1 m=$2 v=$3; shift 3
	values "$v"
	snap > "$work/before"
	refuse "$d" "$m" "$@"
	values "$v"
	snap > "$work/after"
	if ! cmp -s "$work/before" "$work/after"; then
		echo "FAIL: $d: the load changed:"
		diff "$work/before" "$work/after"
		fail=1
	fi
}
matrix() {	# the workers' value before and after
	undone="; the load was undone"
	mcase "$1: bad signature" "signature verification failed: the signed" \
	    "$2" lpk load "$work/badsig.lpbundle"
	mcase "$1: signed by an unknown key" "checked against wrong key" "$2" \
	    lpk load "$work/otherkey.lpbundle"
	mcase "$1: name mismatch" \
	    "registered no patch named 'renamed'.*$undone" "$2" \
	    lpm load "$work/renamed.lpbundle"
	mcase "$1: wrong build-id in the manifest" \
	    "built for the kernel with build-id $obid, but" "$2" \
	    lpm load "$work/otherbid.lpbundle"
	mcase "$1: wrong build-id in the module" \
	    "build-id.*$undone" "$2" lpm load "$work/badbid.lpbundle"
	mcase "$1: a pre-patch hook vetoes" \
	    "pre-patch hook 0 vetoed.*$undone" "$2" \
	    lpm load "$work/veto.lpbundle"
	mcase "$1: the stack check times out" \
	    "after [0-9]* attempts: thread .* is executing lpt_park.*$undone" \
	    "$2" lpm load "$work/park2.lpbundle"
	mcase "$1: kldload fails in the linker" \
	    "Exec format error: the kernel linker refused it.*$undone" "$2" \
	    lpm load "$work/nodep.lpbundle"
	mcase "$1: kldload succeeds, no patch registers" \
	    "registered no patch named 'nometa'.*$undone" "$2" \
	    lpm load "$work/nometa.lpbundle"
}
mkdir -p "$work/keys"
"$patchgen" keygen -p "$work/keys/k.pub" -s "$work/k.sec" > /dev/null &&
"$patchgen" keygen -p "$work/other.pub" -s "$work/other.sec" > /dev/null ||
    fail=1
for k in k other; do
	"$patchgen" bundle --module "$klddir/value2.ko" --name value2 \
	    --build-id "$bid" --freebsd-version "$rel" --kernconf GENERIC \
	    --sign-key "$work/$k.sec" -o "$work/signed-$k.lpbundle" -q ||
	    fail=1
done
mv "$work/signed-other.lpbundle" "$work/otherkey.lpbundle"
# One base64 character of the signature changed: the list still matches.
cp "$work/signed-k.lpbundle" "$work/badsig.lpbundle"
off=$(LC_ALL=C grep -obUa "untrusted comment" "$work/badsig.lpbundle" |
    head -1 | cut -d: -f1)
len=$(dd if="$work/badsig.lpbundle" bs=1 skip="$off" count=200 2>/dev/null |
    head -1 | wc -c)
off=$((off + len + 30))
c=$(dd if="$work/badsig.lpbundle" bs=1 skip=$off count=1 2>/dev/null)
[ "$c" = A ] && c=B || c=A
printf %s "$c" | dd of="$work/badsig.lpbundle" bs=1 seek=$off conv=notrunc \
    2>/dev/null
cp "$klddir/value2.ko" "$work/renamed.ko"
"$patchgen" bundle --unchecked --module "$work/renamed.ko" --name renamed \
    --build-id "$bid" --freebsd-version "$rel" --kernconf GENERIC \
    -o "$work/renamed.lpbundle" -q || fail=1
case $bid in
0*)	obid=1${bid#?} ;;
*)	obid=0${bid#?} ;;
esac
"$patchgen" bundle --unchecked --module "$klddir/value2.ko" --name value2 \
    --build-id "$obid" \
    --freebsd-version "$rel" --kernconf GENERIC -o "$work/otherbid.lpbundle" \
    -q || fail=1

"$shimcall" kldfind livepatch.ko > /dev/null 2>&1 &&
    { echo "FAIL: livepatch.ko is loaded before the matrix"; fail=1; }
matrix "clean kernel" 1
[ -d "$mstate" ] && { echo "FAIL: $mstate was left behind"; fail=1; }

values 1
check "load value2" lp -v load "$work/value2.lpbundle"
grep -q "value2: applied" "$work/out" || { echo "FAIL: no 'applied'"; fail=1; }
values 2
check "list" lp list
grep -q "value2" "$work/out" || { echo "FAIL: list"; cat "$work/out"; fail=1; }
refuse "unload while applied" "revert it before unloading" lp unload value2
refuse "load twice" "already loaded" lp load "$work/value2.lpbundle"
check "revert" lp revert value2
values 1
check "apply" lp apply value2
values 2
check "revert again" lp revert value2
values 1
check "unload" lp unload value2
"$shimcall" kldfind value2.ko > "$work/out" 2>&1 &&
    { echo "FAIL: value2.ko still loaded"; fail=1; }

refuse "MOD_LOAD fails: wrong build-id" "build-id" \
    lp load "$work/badbid.lpbundle"
"$shimcall" kldfind badbid.ko > /dev/null 2>&1 &&
    { echo "FAIL: badbid.ko still loaded"; fail=1; }
refuse "no livepatch dependency" "Exec format error" \
    lp load "$work/nodep.lpbundle"
grep -q "symbol livepatch_" "$work/kernel.log" ||
    { echo "FAIL: no undefined-symbol message"; fail=1; }
refuse "no module metadata" "registered no patch" \
    lp load "$work/nometa.lpbundle"
"$shimcall" kldfind nometa.ko > /dev/null 2>&1 &&
    { echo "FAIL: nometa.ko left loaded"; fail=1; }
values 1

# The matrix again, with value3 applied, a bundle installed and the state
# files of an interrupted load of each patch (which a failed load must
# keep as they are).
check "load value3" lpm load "$work/value3.lpbundle"
check "install value2" lpk install "$work/signed-k.lpbundle"
for n in renamed badbid veto park2 nodep nometa; do
	echo "left by an interrupted load" > "$mstate/$n.json"
done
echo "an old module" > "$mstate/veto.ko"
echo "an older module" > "$mstate/.veto.ko.lpsave"
touch -d "2026-01-02 03:04:05" "$mstate/veto.ko" "$mstate/veto.json"
matrix "value3 applied" 3
# A file nometa.ko that is not the tool's (kldload(8) by hand): the load
# of a bundle of that name fails, and the file stays loaded.
check "kldload nometa.ko by hand" "$shimcall" kldload "$klddir/nometa.ko"
mcase "a file of the name is loaded already" \
    "nometa.ko: a module of this name is already loaded$undone" 3 \
    lpm load "$work/nometa.lpbundle"
"$shimcall" kldfind nometa.ko > /dev/null ||
    { echo "FAIL: the loaded nometa.ko was unloaded"; fail=1; }
check "kldunload nometa.ko by hand" "$shimcall" kldunload nometa.ko
grep -q "lpt_veto_pre_patch: vetoing the apply" "$work/kernel.log" ||
    { echo "FAIL: the veto hook did not run"; fail=1; }
# And the kernel is usable as before: the fix loads, stacks and goes.
check "load value2 over value3" lpk load "$work/signed-k.lpbundle"
values 2
check "revert value2" lpm revert value2
check "unload value2" lpm unload value2
values 3
check "revert value3" lpm revert value3
check "unload value3" lpm unload value3
values 1

"$shimcall" shutdown > /dev/null 2>&1
wait $spid || { echo "FAIL: the kernel exited with $?"; fail=1; }
if [ $fail -ne 0 ]; then
	echo "--- kernel log"; cat "$work/kernel.log"
	exit 1
fi
echo "ok"
