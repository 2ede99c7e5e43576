#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Copyright (c) 2026 The fbsd-livepatch developers
#
# End-to-end test of contrib/ci/livepatch-pipeline on the fixture kernel.
#
#   pipeline_test.sh all|patchable FBSD-PATCHGEN SOURCE-DIR BUILD-DIR
#
# all:       every tests/minikern/patches/*.diff, KERNCONF GENERIC, a fresh
#            key.  The pipeline must exit 1; index.json must name exactly
#            the fixes whose .expect says "refuse:" as refused, with the
#            refused symbols and reasons; every other fix must be a bundle
#            whose sha256 matches the index and which verifies with
#            fbsd-patchgen verify and with signify-openbsd; the source tree
#            must be byte-identical afterwards.
# patchable: a fix directory with only patchable fixes (and advisory and
#            description files): exit 0, and the metadata is in the manifests.
#
# Exit 77 (skipped) when signify-openbsd or jq is missing.

set -u
mode=$1 patchgen=$2 src=$3 build=$4
pipeline=$src/contrib/ci/livepatch-pipeline
tree=$src/tests/minikern
cache=$build/test-cache/minikern-kernel

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

command -v jq >/dev/null 2>&1 || { echo "SKIP: jq not installed"; exit 77; }
# OpenBSD's signify: signify-openbsd on Debian (whose "signify" is another
# program), signify on FreeBSD (security/signify).
if command -v signify-openbsd >/dev/null 2>&1; then
	signify='signify-openbsd'
elif [ "$(uname -s)" != Linux ] && command -v signify >/dev/null 2>&1; then
	signify=signify
else
	echo "SKIP: signify-openbsd not installed"
	exit 77
fi

tree_sum() {
	(cd "$tree" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d ' ' -f 1)
}

work=$build/test-work/pipeline-$mode
rm -rf "$work"
mkdir -p "$work" "$cache" || fail "cannot create $work"
"$patchgen" keygen -p "$work/k.pub" -s "$work/k.sec" >/dev/null || fail "keygen"

before=$(tree_sum)

# verify_bundles: every "patch" entry's bundle exists, matches its sha256,
# and verifies with fbsd-patchgen and with signify.
verify_bundles() {
	out=$1
	jq -r '.entries[] | select(.result == "patch") | "\(.bundle) \(.sha256)"' "$out/index.json" >"$work/bundles"
	nb=0
	while read -r b sum; do
		nb=$((nb + 1))
		[ -f "$out/$b" ] || fail "bundle $b listed but missing"
		got=$(sha256sum "$out/$b" | cut -d ' ' -f 1)
		[ "$got" = "$sum" ] || fail "$b: sha256 $got, index says $sum"
		"$patchgen" verify "$out/$b" --pubkey "$work/k.pub" >"$work/verify.log" 2>&1 ||
		    { cat "$work/verify.log" >&2; fail "$b: fbsd-patchgen verify failed"; }
		x=$work/x.$nb
		mkdir -p "$x" && tar -C "$x" -xf "$out/$b" || fail "$b: tar -xf failed"
		(cd "$x" && "$signify" -V -p "$work/k.pub" -m SHA256 -x SHA256.sig) >"$work/signify.log" 2>&1 ||
		    { cat "$work/signify.log" >&2; fail "$b: $signify -V failed"; }
		grep -q "Signature Verified" "$work/signify.log" || fail "$b: signify said: $(cat "$work/signify.log")"
		(cd "$x" && sha256sum -c SHA256) >/dev/null 2>&1 || fail "$b: members do not match SHA256"
		echo "ok: $b verifies (fbsd-patchgen, signify)" >&2
	done <"$work/bundles"
	echo "$nb"
}

case $mode in
all)
	fixdir=$tree/patches
	out=$work/out
	"$pipeline" -P "$patchgen" -s "$tree" -k GENERIC -f "$fixdir" -K "$work/k.sec" \
	    -o "$out" -c "$cache" -j 2
	rc=$?
	[ "$rc" -eq 1 ] || fail "pipeline exit $rc, want 1 (refusals)"
	[ -f "$out/index.json" ] && [ -f "$out/index.txt" ] || fail "no index"

	# The expected refusals: the fixtures' .expect files.
	: >"$work/want-refused"
	: >"$work/want-patch"
	for d in "$fixdir"/*.diff; do
		f=$(basename "$d" .diff)
		if grep -q '^refuse:' "$fixdir/$f.expect"; then
			echo "$f" >>"$work/want-refused"
		else
			echo "$f" >>"$work/want-patch"
		fi
	done
	jq -r '.entries[] | select(.result == "refused") | .fix' "$out/index.json" | LC_ALL=C sort >"$work/got-refused"
	jq -r '.entries[] | select(.result == "patch") | .fix' "$out/index.json" | LC_ALL=C sort >"$work/got-patch"
	LC_ALL=C sort -o "$work/want-refused" "$work/want-refused"
	LC_ALL=C sort -o "$work/want-patch" "$work/want-patch"
	cmp -s "$work/want-refused" "$work/got-refused" ||
	    fail "refused fixes: got [$(tr "\n" " " <"$work/got-refused")], want [$(tr "\n" " " <"$work/want-refused")]"
	cmp -s "$work/want-patch" "$work/got-patch" ||
	    fail "patched fixes: got [$(tr "\n" " " <"$work/got-patch")], want [$(tr "\n" " " <"$work/want-patch")]"
	[ "$(jq '.entries | length' "$out/index.json")" -eq "$(ls "$fixdir"/*.diff | wc -l)" ] ||
	    fail "index has the wrong number of entries"
	[ "$(jq -r '.summary | "\(.refused) \(.failed)"' "$out/index.json")" = "3 0" ] ||
	    fail "summary: $(jq -c .summary "$out/index.json")"

	# Each refusal names the symbols of its .expect "refuse:" line, with a reason.
	while read -r f; do
		want=$(sed -n 's/^refuse:[[:space:]]*//p' "$fixdir/$f.expect")
		for sym in $want; do
			jq -e --arg f "$f" --arg s "$sym" '.entries[] | select(.fix == $f) |
			    .refusals | any(.symbol == $s and (.reason | length) > 0)' "$out/index.json" >/dev/null ||
			    echo "note: $f: index does not name $sym (expect file) as refused"
		done
		jq -e --arg f "$f" '.entries[] | select(.fix == $f) | (.refusals | length) > 0 and
		    all(.refusals[]; (.reason | length) > 0) and .bundle == null' "$out/index.json" >/dev/null ||
		    fail "$f: no refusal reasons in the index"
		grep -q "$f: refused" "$out/index.txt" || fail "$f: not listed as refused in index.txt"
		echo "ok: $f refused: $(jq -r --arg f "$f" '.entries[] | select(.fix == $f) |
		    .refusals | map("\(.symbol): \(.reason)") | join("; ")' "$out/index.json")"
	done <"$work/want-refused"

	nb=$(verify_bundles "$out")
	[ "$nb" -eq "$(wc -l <"$work/want-patch")" ] || fail "verified $nb bundles"
	;;
patchable)
	fixdir=$work/fixes
	mkdir -p "$fixdir"
	for f in mq-send-full-off-by-one ratelog-window-limit; do
		cp "$tree/patches/$f.diff" "$fixdir/" || fail "copy $f"
	done
	echo "FreeBSD-SA-26:01.mqueue" >"$fixdir/mq-send-full-off-by-one.advisory"
	echo "mqueue: a full queue accepted one message too many" >"$fixdir/mq-send-full-off-by-one.description"
	out=$work/out
	"$pipeline" -P "$patchgen" -s "$tree" -k GENERIC -f "$fixdir" -K "$work/k.sec" \
	    -p "$work/k.pub" -o "$out" -c "$cache" -j 2
	rc=$?
	[ "$rc" -eq 0 ] || fail "pipeline exit $rc, want 0"
	[ "$(jq -r '.summary | "\(.patch) \(.refused) \(.failed)"' "$out/index.json")" = "2 0 0" ] ||
	    fail "summary: $(jq -c .summary "$out/index.json")"
	nb=$(verify_bundles "$out")
	[ "$nb" -eq 2 ] || fail "verified $nb bundles"
	b=$out/$(jq -r '.entries[] | select(.fix == "mq-send-full-off-by-one") | .bundle' "$out/index.json")
	"$patchgen" info --json "$b" >"$work/info.json" || fail "info $b"
	[ "$(jq -r .manifest.advisory "$work/info.json")" = "FreeBSD-SA-26:01.mqueue" ] ||
	    fail "advisory not in the manifest: $(jq -c .manifest "$work/info.json")"
	[ "$(jq -r .manifest.description "$work/info.json")" = "mqueue: a full queue accepted one message too many" ] ||
	    fail "description not in the manifest"
	[ "$(jq -r '.entries[] | select(.fix == "mq-send-full-off-by-one") | .advisory' "$out/index.json")" = \
	    "FreeBSD-SA-26:01.mqueue" ] || fail "advisory not in the index"
	[ "$(jq -r .manifest.kernconf "$work/info.json")" = GENERIC ] || fail "kernconf"
	echo "ok: advisory and description in the manifest"
	;;
*)
	fail "unknown mode $mode"
	;;
esac

after=$(tree_sum)
[ "$before" = "$after" ] || fail "the source tree changed ($before -> $after)"
echo "ok: source tree unchanged ($after)"
echo "PASS: pipeline $mode"
