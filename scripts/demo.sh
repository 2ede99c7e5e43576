#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Copyright (c) 2026 The fbsd-livepatch developers
#
# "make demo": walk a FreeBSD administrator through what fbsd-patchgen's diff
# stage does, on the bundled example pair examples/demo/{orig,patched}.c.
#
#   1. show the fix (a one-line source diff)
#   2. compile both versions exactly as the amd64 kernel build would
#   3. run `fbsd-patchgen diff` and print its report
#   4. show what the patch object contains (readelf -sW, readelf -rW)
#   5. check that the linker accepts it (ld.lld -r), as the patch module
#      link step will
#
# The full pipeline (fbsd-patchgen --src fix.diff --kernel KERNCONF, from a
# kernel source tree to a signed bundle) comes with the driver; this demo
# shows its heart.
#
# Environment: FBSD_PATCHGEN (default build/bin/fbsd-patchgen), CC (clang),
# LD_LLD (ld.lld), DEMO_DIR (default build/demo).  Exits non-zero on the
# first step that fails.

set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

PATCHGEN=${FBSD_PATCHGEN:-$top/build/bin/fbsd-patchgen}
CC=${CC:-clang}
LD_LLD=${LD_LLD:-ld.lld}
DEMO_DIR=${DEMO_DIR:-$top/build/demo}
SRC=examples/demo

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
command -v "$CC" >/dev/null || fail "$CC not found; run 'make deps'"
command -v "$LD_LLD" >/dev/null || fail "$LD_LLD not found; run 'make deps'"
command -v readelf >/dev/null || fail "readelf not found; run 'make deps'"

rm -rf "$DEMO_DIR"
mkdir -p "$DEMO_DIR"

# The kernel's compiler flags, as recorded for the regression tests: the same
# flags FreeBSD's sys/conf/kern.mk and kern.pre.mk give clang for amd64, plus
# -ffunction-sections -fdata-sections (CONF_CFLAGS), so that every function
# and every variable lands in a section of its own.
read -r -a KFLAGS < <(sed "s|@INC@|$top/tests/include|g" tests/cases/flags-clang.txt)

printf '%sfbsd-patchgen demo: from a one-line kernel fix to a live-patch object%s\n' "$bold" "$off"
explain "A live patch replaces functions of the running kernel with fixed \
copies, without a reboot.  fbsd-patchgen finds out which functions a fix \
really changes, by comparing the machine code the compiler produced before \
and after the fix.  This demo runs that comparison on a small example file."

# ---------------------------------------------------------------------------
heading "The fix"
explain "examples/demo/orig.c is a small file shaped like FreeBSD kernel \
code: two system calls sharing a table.  The bug: lpdemo_slot() accepts \
index 8 of an 8-entry table (an off-by-one read past the end).  The fix \
changes '>' into '>=':"
echo
diff -u --label a/sys/kern/lpdemo.c --label b/sys/kern/lpdemo.c \
	"$SRC/orig.c" "$SRC/patched.c" || true
echo
explain "Note what the fix does NOT touch: lpdemo_slot() is a 'static inline' \
helper, so the compiler copied it into its caller sys_lpdemo_get().  The \
function that must be replaced in the running kernel is the caller, not the \
helper, which no longer exists on its own.  Reading the source alone, that is \
easy to get wrong; comparing machine code is not."

# ---------------------------------------------------------------------------
heading "Compile both versions with the kernel's own flags"
explain "The kernel build compiles every .c file with fixed flags (no red \
zone, kernel code model, no SSE, stack protector, ...).  A patch must be \
built with exactly the same flags as the kernel it patches, or the \
comparison is meaningless.  Both versions are compiled under the same file \
name, lpdemo.c, as the kernel build would: the original in orig/, the fixed \
one in patched/.  Here is the command for the original; the patched file \
gets the same one:"
mkdir -p "$DEMO_DIR/orig" "$DEMO_DIR/patched"
cp "$SRC/orig.c" "$DEMO_DIR/orig/lpdemo.c"
cp "$SRC/patched.c" "$DEMO_DIR/patched/lpdemo.c"
printf '%s$ cd %s && %s %s %s%s\n' "$dim" "$DEMO_DIR/orig" "$CC" "${KFLAGS[*]}" \
	"lpdemo.c -o ../orig.o" "$off" | fold -s -w 78
for v in orig patched; do
	(cd "$DEMO_DIR/$v" && "$CC" "${KFLAGS[@]}" lpdemo.c -o "../$v.o") ||
		fail "compiling the $v version of lpdemo.c"
done
ok "orig.o ($(wc -c <"$DEMO_DIR/orig.o") bytes) and patched.o ($(wc -c <"$DEMO_DIR/patched.o") bytes)"
explain "Each function and each variable now sits in a section of its own \
(.text.sys_lpdemo_get, .bss.lpdemo_slots, ...), which is what lets the tool \
compare, and later copy, them one by one:"
show readelf -SW "$DEMO_DIR/orig.o" "| grep -E '\.(text|data|bss|rodata)'"
readelf -SW "$DEMO_DIR/orig.o" | grep -E '\] \.(text|data|bss|rodata)' || true

# ---------------------------------------------------------------------------
heading "Compare them: fbsd-patchgen diff"
explain "fbsd-patchgen diff matches every function and variable of orig.o \
with its counterpart in patched.o, compares their machine code (ignoring \
addresses, which the linker fills in later) and what they refer to, and \
writes a new object with only what changed.  --show-first-changed also \
shows, for each changed function, the first instruction that differs."
echo
rc=0
run "$PATCHGEN" diff "$DEMO_DIR/orig.o" "$DEMO_DIR/patched.o" -o "$DEMO_DIR/lpdemo-patch.o" \
	--show-first-changed --json "$DEMO_DIR/report.json" --objname lpdemo.o || rc=$?
echo
case $rc in
0) ok "patch object written (exit status 0)" ;;
2) fail "fbsd-patchgen refused the change (exit status 2); the message above says why" ;;
3) fail "fbsd-patchgen found no change (exit status 3)" ;;
*) fail "fbsd-patchgen diff exited with status $rc" ;;
esac
explain "Expected: sys_lpdemo_get changed (it contains the inlined bounds \
check); sys_lpdemo_set is unchanged and stays out of the patch; the table \
lpdemo_slots is referenced, not copied: the patched function must use the \
running kernel's table, not a fresh empty one."

explain "The same report as JSON, for scripts and CI ($DEMO_DIR/report.json):"
cat "$DEMO_DIR/report.json"
echo
# Check the report says what the example must give.
python3 - "$DEMO_DIR/report.json" <<-'EOF' || fail "the report is not what the example must give"
	import json, sys
	obj = json.load(open(sys.argv[1]))["objects"][0]
	names = lambda key: sorted(f["name"] for f in obj[key])
	errors = []
	if names("changed_functions") != ["sys_lpdemo_get"]:
	    errors.append("changed functions: %s, expected sys_lpdemo_get only"
	                  % names("changed_functions"))
	if names("new_functions"):
	    errors.append("new functions: %s, expected none" % names("new_functions"))
	if obj["refusals"]:
	    errors.append("refusals: %s" % obj["refusals"])
	syms = {k["name"]: k["bind"] for k in obj["kernel_symbols"]}
	if syms.get("lpdemo_slots") != "local":
	    errors.append("lpdemo_slots is not a local kernel symbol: %s" % syms)
	for e in errors:
	    print("demo: " + e, file=sys.stderr)
	sys.exit(1 if errors else 0)
	EOF
ok "the report names sys_lpdemo_get, and only it; lpdemo_slots is the kernel's, found by the runtime"

# ---------------------------------------------------------------------------
heading "What the patch object contains"
explain "Symbols: the fixed function is defined here (with its code).  \
The kernel functions it calls (printf, copyout) are UND, undefined: \
the kernel linker binds them to the \
running kernel's own when the patch module is loaded.  The static table \
lpdemo_slots is not visible to the kernel linker (it is LOCAL to its file), \
so the tool records it for the livepatch runtime, which finds it by name and \
file."
run readelf -sW "$DEMO_DIR/lpdemo-patch.o"
echo
explain "The fixed sys_lpdemo_get is LOCAL in the patch: it must not clash \
with the kernel's own sys_lpdemo_get, which stays where it is.  The \
livepatch runtime makes the old one jump to the new one.  It learns what to \
replace from the records in set_fbsdlp_funcs (one per replaced function: \
new address, old name, source file, size and a hash of the old code, which \
it checks against the running kernel first) and where to write the \
addresses of static kernel symbols from set_fbsdlp_relocs; the names are in \
.fbsdlp.strings:"
run readelf -p .fbsdlp.strings "$DEMO_DIR/lpdemo-patch.o"
explain "Relocations: the places in the code where an address must be filled \
in at load time.  All must be of the kinds the FreeBSD amd64 kernel linker \
handles (R_X86_64_64, PC32, PLT32, 32S), or kldload would reject the module \
(debug sections aside: they are never loaded):"
run readelf -rW "$DEMO_DIR/lpdemo-patch.o"
echo
explain "The code's two uses of the static table lpdemo_slots have no ELF \
relocation at all: each is a set_fbsdlp_relocs record (place in the code, \
symbol name, source file), which the livepatch runtime resolves against the \
running kernel before it activates the patch."
# Debug sections are not loaded, so the kernel linker never applies their
# relocations: only those of loaded sections count.
bad=$(readelf -rW "$DEMO_DIR/lpdemo-patch.o" | awk '
	/^Relocation section/ { dbg = ($3 ~ /^.\.rela?\.debug_/) }
	!dbg && $3 ~ /^R_X86_64_/ && $3 !~ /^R_X86_64_(64|PC32|PLT32|32S|NONE)$/ { print $3 }' |
	sort -u)
if [ -n "$bad" ]; then
	fail "relocation types the kernel linker would reject: $(tr '\n' ' ' <<<"$bad")"
else
	ok "only relocation types the kernel linker accepts"
fi

# ---------------------------------------------------------------------------
heading "Will the linker take it?"
explain "The next stage links this object with a small stub into a kernel \
module (a .ko is a relocatable ELF object, like this one).  ld.lld -r does \
the same kind of link; if it accepts the object, the module link will too:"
run "$LD_LLD" -r -o "$DEMO_DIR/lpdemo-linked.o" "$DEMO_DIR/lpdemo-patch.o" ||
	fail "ld.lld -r rejected the patch object"
ok "ld.lld -r accepted it ($(wc -c <"$DEMO_DIR/lpdemo-linked.o") bytes)"
warn=$(readelf -aW "$DEMO_DIR/lpdemo-patch.o" 2>&1 >/dev/null || true)
[ -z "$warn" ] || fail "readelf warns about the patch object: $warn"
ok "readelf -a reads it without a warning"

# ---------------------------------------------------------------------------
heading "Summary"
explain "From a one-character source fix, fbsd-patchgen found the one \
function that must be replaced in the running kernel (the caller of the \
inlined helper), left the unchanged function and the live data alone, and \
wrote a small object the kernel linker accepts.  The later stages link it \
into a patch module, tie it to one kernel build, sign it, and \
fbsd-livepatch(8) loads it into the running kernel."
echo
echo "Files are in $DEMO_DIR: orig.o, patched.o, lpdemo-patch.o, report.json."
echo "See docs/fbsd-patchgen.8 (man ./docs/fbsd-patchgen.8) for every option."
