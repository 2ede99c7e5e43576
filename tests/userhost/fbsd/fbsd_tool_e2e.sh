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

"$server" --socket "$sock" --klddir "$klddir" --workers 4 \
    2>"$work/kernel.log" &
spid=$!
i=0
while [ ! -S "$sock" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
bid=$("$shimcall" sysctl kern.build_id)
rel=$("$shimcall" sysctl kern.osreldate)
for n in value2 badbid nometa nodep; do
	"$patchgen" bundle --module "$klddir/$n.ko" --name "$n" \
	    --build-id "$bid" --freebsd-version "$rel" --kernconf GENERIC \
	    -o "$work/$n.lpbundle" -q || fail=1
done

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

"$shimcall" shutdown > /dev/null 2>&1
wait $spid || { echo "FAIL: the kernel exited with $?"; fail=1; }
if [ $fail -ne 0 ]; then
	echo "--- kernel log"; cat "$work/kernel.log"
	exit 1
fi
echo "ok"
