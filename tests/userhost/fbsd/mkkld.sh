#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The fbsd-livepatch developers
#
# Builds one patch kld for the personality's test kernel, as the driver
# does: the fixed source compiled with the kernel's command, diffed by
# fbsd-patchgen against the kernel's object, and linked by `fbsd-patchgen
# link`, which compiles the module stub with the same command and checks
# the module against the kernel.  The broken modules of the refusal tests
# are made by hand, as the tool would refuse to make them.
#
#   mkkld.sh OUT NAME KERNEL PATCHGEN CC LD ORIG FIXED STUB MODE CFLAGS...
#
# MODE: ok (the kernel's build-id), badbid (another one), nometa (no stub),
# nodep (STUB, compiled and linked by hand), hook (as ok, with STUB compiled
# as one more patch object: hooks).
set -eu
out=$1 name=$2 kernel=$3 patchgen=$4 cc=$5 ld=$6 orig=$7 fixed=$8 stub=$9
shift 9
mode=$1
shift
tmp=${out%.ko}.d
mkdir -p "$tmp"
"$cc" "$@" -c "$fixed" -o "$tmp/fixed.o"
"$patchgen" diff "$orig" "$tmp/fixed.o" -o "$tmp/diff.o" -q
case $mode in
nometa)
	"$ld" -r "$tmp/diff.o" -o "$out"
	;;
nodep)
	bid=$(readelf -n "$kernel" | sed -n 's/.*Build ID: *//p' | head -1)
	bytes=$(echo "$bid" | sed 's/\(..\)/0x\1,/g; s/,$//')
	"$cc" "$@" -DKLD_MODULE -DLP_MODULE="$name" -DLP_BUILD_ID="$bytes" \
	    -DLP_BUILD_ID_LEN=$(( ${#bid} / 2 )) -c "$stub" -o "$tmp/stub.o"
	"$ld" -r "$tmp/diff.o" "$tmp/stub.o" -o "$out"
	;;
ok|badbid|hook)
	objs=$tmp/diff.o
	if [ "$mode" = hook ]; then
		# One patch object with the hooks in it, as a diff object
		# that carries them would be.
		"$cc" "$@" -c "$stub" -o "$tmp/hook.o"
		"$ld" -r "$tmp/diff.o" "$tmp/hook.o" -o "$tmp/hooked.o"
		objs=$tmp/hooked.o
	fi
	# Every test patch of the personality carries the same one fix, so
	# that they may stack (livepatch(4): a patch stacks only over one
	# whose fixes it carries).
	set -- --fix "$(printf 'personality test fix' | sha256sum | cut -c1-64)" \
	    -- "$cc" "$@"
	if [ "$mode" = badbid ]; then
		bid=$(readelf -n "$kernel" | sed -n 's/.*Build ID: *//p' | head -1)
		set -- --build-id "$(echo "$bid" | tr '0-9a-f' '1-9a-f0')" "$@"
	fi
	"$patchgen" link -o "$out" --name "$name" --kernel-file "$kernel" \
	    "$objs" "$@" > /dev/null
	;;
*)
	echo "mkkld.sh: unknown mode $mode" >&2
	exit 1
	;;
esac
