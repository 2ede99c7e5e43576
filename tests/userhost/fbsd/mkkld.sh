#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The fbsd-livepatch developers
#
# Builds one patch kld for the personality's test kernel, as bsd.kmod.mk
# would: the fixed source compiled with the kernel's command, diffed by
# fbsd-patchgen against the kernel's object, and linked (ld -r) with the
# stub, which carries the module metadata.
#
#   mkkld.sh OUT NAME KERNEL PATCHGEN CC LD ORIG FIXED STUB MODE CFLAGS...
#
# MODE: ok (the kernel's build-id), badbid (another one), nometa (no stub).
set -eu
out=$1 name=$2 kernel=$3 patchgen=$4 cc=$5 ld=$6 orig=$7 fixed=$8 stub=$9
shift 9
mode=$1
shift
tmp=${out%.ko}.d
mkdir -p "$tmp"
"$cc" "$@" -c "$fixed" -o "$tmp/fixed.o"
"$patchgen" diff "$orig" "$tmp/fixed.o" -o "$tmp/diff.o" -q
if [ "$mode" = nometa ]; then
	"$ld" -r "$tmp/diff.o" -o "$out"
	exit 0
fi
bid=$(readelf -n "$kernel" | sed -n 's/.*Build ID: *//p' | head -1)
[ -n "$bid" ] || { echo "mkkld.sh: $kernel has no build-id" >&2; exit 1; }
if [ "$mode" = badbid ]; then
	bid=$(echo "$bid" | tr '0-9a-f' '1-9a-f0')
fi
bytes=$(echo "$bid" | sed 's/\(..\)/0x\1,/g; s/,$//')
n=$(( ${#bid} / 2 ))
"$cc" "$@" -DKLD_MODULE -DLP_MODULE="$name" -DLP_BUILD_ID="$bytes" \
    -DLP_BUILD_ID_LEN=$n -c "$stub" -o "$tmp/stub.o"
"$ld" -r "$tmp/diff.o" "$tmp/stub.o" -o "$out"
