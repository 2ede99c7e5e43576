#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Copyright (c) 2026 The fbsd-livepatch developers
#
# Install everything the build, the tests, the demo and the man page check
# need, from the operating system's own packages.  Idempotent: when all is
# present it only checks and prints one line.
#
#   Debian/Ubuntu: apt-get (apt-get update only when something is missing)
#   FreeBSD:       pkg install -y
#
# Runs as root directly, otherwise through sudo.  Prints one line per action.
# Exits non-zero, with the reason, when a package cannot be installed.

set -eu

prog=install-deps

say() {
	printf '%s: %s\n' "$prog" "$*"
}

die() {
	printf '%s: error: %s\n' "$prog" "$*" >&2
	exit 1
}

# Run a command quietly; on failure show what it printed, then die.
LOG=$(mktemp "${TMPDIR:-/tmp}/install-deps.XXXXXX")
trap 'rm -f "$LOG"' EXIT
quiet() {
	what=$1
	shift
	if ! "$@" >"$LOG" 2>&1; then
		cat "$LOG" >&2
		die "$what failed"
	fi
}

# The words of $1 on one line, and how many there are.
oneline() {
	# shellcheck disable=SC2086
	set -- $1
	printf '%s' "$*"
}
count() {
	# shellcheck disable=SC2086
	set -- $1
	printf '%s' "$#"
}

# Run a command as root: directly when we are root, else through sudo.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "not root and sudo is not installed; run as root: $*"
	fi
}

# ---------------------------------------------------------------- Debian ---

# LLVM 14 (the CMake asks for find_package(LLVM 14 CONFIG)).  Debian 12 and
# Ubuntu 22.04 ship llvm-14-dev; its LLVMConfig.cmake lives in
# /usr/lib/llvm-14/lib/cmake/llvm, which the top-level Makefile hands to CMake
# as LLVM_DIR.
DEBIAN_PKGS="
build-essential
cmake
pkg-config
make
gcc
g++
clang
lld
llvm-14-dev
libclang-14-dev
libelf-dev
libboost-program-options-dev
catch2
nlohmann-json3-dev
libssl-dev
binutils
signify-openbsd
jq
bc
patch
minisign
python3
mandoc
clang-format
time
"

# Print the packages of the list that are not installed (one dpkg-query).
debian_missing() {
	# shellcheck disable=SC2016,SC2086
	have=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $DEBIAN_PKGS \
	    2>/dev/null | awk '$2 == "installed" { print $1 }' || true)
	for p in $DEBIAN_PKGS; do
		case "
$have
" in
		*"
$p
"*) ;;
		*) printf '%s\n' "$p" ;;
		esac
	done
}

install_debian() {
	command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found"
	missing=$(debian_missing)
	if [ -z "$missing" ]; then
		say "all $(count "$DEBIAN_PKGS") Debian packages present, nothing to do"
		return 0
	fi
	missing=$(oneline "$missing")
	say "missing: $missing"
	say "running apt-get update"
	quiet "apt-get update" \
	    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	say "running apt-get install $missing"
	# shellcheck disable=SC2086
	quiet "apt-get install $missing" \
	    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends $missing
	still=$(debian_missing)
	[ -z "$still" ] || die "still missing after apt-get install: $(oneline "$still")"
	say "installed: $missing"
}

# --------------------------------------------------------------- FreeBSD ---

# Base already has: cc/clang, ld.lld, libelf, OpenSSL libcrypto, mandoc,
# make (bmake).  The packages add the rest.  "catch" is Catch2 version 2 (the
# headers the tests use); "catch2" would be version 3.  llvm14 installs under
# /usr/local/llvm14, which the Makefile hands to CMake.
FREEBSD_PKGS="
cmake
pkgconf
gmake
llvm14
boost-libs
catch
nlohmann-json
binutils
gcc
signify
jq
minisign
python3
"

freebsd_missing() {
	for p in $FREEBSD_PKGS; do
		if ! pkg info -e "$p" >/dev/null 2>&1; then
			printf '%s\n' "$p"
		fi
	done
}

install_freebsd() {
	missing=$(freebsd_missing)
	if [ -z "$missing" ]; then
		say "all $(count "$FREEBSD_PKGS") FreeBSD packages present, nothing to do"
		return 0
	fi
	missing=$(oneline "$missing")
	say "running pkg install -y $missing"
	# shellcheck disable=SC2086
	quiet "pkg install $missing" \
	    as_root env ASSUME_ALWAYS_YES=yes pkg install -y $missing
	still=$(freebsd_missing)
	[ -z "$still" ] || die "still missing after pkg install: $(oneline "$still")"
	say "installed: $missing"
}

# ------------------------------------------------------------------ main ---

case "$(uname -s)" in
Linux)
	if [ -r /etc/debian_version ] || command -v apt-get >/dev/null 2>&1; then
		install_debian
	else
		die "unsupported Linux distribution (need Debian or Ubuntu with apt-get); install by hand: $(oneline "$DEBIAN_PKGS")"
	fi
	;;
FreeBSD)
	install_freebsd
	;;
*)
	die "unsupported system $(uname -s); supported: Debian/Ubuntu, FreeBSD"
	;;
esac
