#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The fbsd-livepatch developers
#
# make install / make uninstall, for real: install this build into a staging
# root (DESTDIR) under PREFIX=/usr/local, check the layout, run the installed
# programs from there -- fbsd-patchgen must find its scanner helper in
# libexec/ relative to itself, with the build directory nowhere on PATH --
# then uninstall and check that nothing of ours is left.
#
#   install_test.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/stage
p=$stage/usr/local

fail() {
	echo "install_test: FAIL: $*" >&2
	exit 1
}

DESTDIR=$stage cmake --install "$build" --prefix /usr/local >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; fail "cmake --install"; }

for f in sbin/fbsd-patchgen sbin/fbsd-livepatch \
    libexec/fbsd-livepatch/fbsdlp-clang-scan \
    man/man8/fbsd-patchgen.8 man/man8/fbsd-livepatch.8 man/man4/livepatch.4 \
    share/fbsd-livepatch/freebsd/Makefile share/fbsd-livepatch/freebsd/livepatch.c \
    share/fbsd-livepatch/freebsd/livepatch.h share/fbsd-livepatch/core/fbsdlp_core.c \
    share/fbsd-livepatch/include/fbsdlp_abi.h share/fbsd-livepatch/patch/fbsdlp_patch.c \
    share/fbsd-livepatch/patch/Makefile etc/rc.d/livepatch; do
	[ -f "$p/$f" ] || fail "not installed: $f"
done
for f in sbin/fbsd-patchgen sbin/fbsd-livepatch etc/rc.d/livepatch \
    libexec/fbsd-livepatch/fbsdlp-clang-scan; do
	[ -x "$p/$f" ] || fail "not executable: $f"
done
# Nothing but our own files: no test programs, no libraries, no headers.
find "$stage" -type f | sed "s|^$p/||" | while read -r f; do
	case $f in
	sbin/fbsd-patchgen | sbin/fbsd-livepatch | etc/rc.d/livepatch) ;;
	libexec/fbsd-livepatch/fbsdlp-clang-scan) ;;
	man/man8/fbsd-patchgen.8 | man/man8/fbsd-livepatch.8 | man/man4/livepatch.4) ;;
	share/fbsd-livepatch/*/*.[ch] | share/fbsd-livepatch/*/Makefile) ;;
	*) fail "installed, but not ours to install: $f" ;;
	esac
done
grep -q '^: ${livepatch_program:="/usr/local/sbin/fbsd-livepatch"}$' "$p/etc/rc.d/livepatch" ||
	fail "rc.d/livepatch does not name the installed fbsd-livepatch"
! grep -q '%%PREFIX%%' "$p/etc/rc.d/livepatch" || fail "rc.d/livepatch: %%PREFIX%% left"
# The livepatch.ko Makefile finds its sources in the installed layout.
for s in $(sed -n 's/^SRCS=[[:space:]]*//p; s/^SRCS+=[[:space:]]*//p' \
    "$p/share/fbsd-livepatch/freebsd/Makefile"); do
	case $s in *_if.h) continue ;; esac
	[ -f "$p/share/fbsd-livepatch/freebsd/$s" ] || [ -f "$p/share/fbsd-livepatch/core/$s" ] ||
		fail "livepatch.ko source $s is not installed"
done

PATH=/usr/bin:/bin
export PATH
"$p/sbin/fbsd-livepatch" version | grep -q '^fbsd-livepatch [0-9]' || fail "fbsd-livepatch version"
"$p/sbin/fbsd-patchgen" --version | grep -q '^fbsd-patchgen [0-9]' || fail "fbsd-patchgen --version"

# The main job with the installed fbsd-patchgen, on a copy of the fixture.
cp -R "$src/tests/minikern" "$work/tree"
if ! "$p/sbin/fbsd-patchgen" --src "$work/tree/patches/mq-send-full-off-by-one.diff" \
    --kernel GENERIC --srcdir "$work/tree" --output "$work/out" --cache "$work/cache" \
    >"$work/run.log" 2>&1; then
	cat "$work/run.log"
	fail "the installed fbsd-patchgen failed"
fi
grep -q 'source-touched mq_send: changed' "$work/run.log" ||
	{ cat "$work/run.log"; fail "no source analysis: scanner helper not found from libexec/"; }
[ -f "$work/out/mq_send_full_off_by_one.lpbundle" ] || fail "no bundle written"

DESTDIR=$stage cmake -DMANIFEST="$build/install_manifest.txt" -P "$src/cmake/uninstall.cmake" \
    >"$work/uninstall.log" 2>&1 || { cat "$work/uninstall.log"; fail "uninstall"; }
left=$(find "$stage" -type f)
[ -z "$left" ] || fail "left after uninstall: $left"
[ ! -d "$p/share/fbsd-livepatch" ] || fail "share/fbsd-livepatch left after uninstall"
[ ! -d "$p/libexec/fbsd-livepatch" ] || fail "libexec/fbsd-livepatch left after uninstall"
echo "install_test: ok"
