#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Copyright (c) 2026 The fbsd-livepatch developers
#
# Source-analysis benchmark (issue 7): the cost of the source stage (both
# libclang parses of every affected translation unit, touched definitions,
# preflight) against the patched build of the same translation units,
# measured in the same run.  Target: under 20 %.
#
# 1. The fixture kernel's fixes through the driver on a warm cache: the
#    report's stage times "source analysis" and "patched build", median of
#    RUNS runs per fix.
# 2. One kernel-sized translation unit (bench/gen_pair.py, N functions):
#    the scanner (original and patched parse in one job, as the driver runs
#    it) against one compile with the kernel flags (tests/cases/flags-clang.txt).
#
# Never part of `make test`.
#   bench/source.sh [RUNS] [N]      (defaults 5 and 2000)

set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
PATCHGEN=${FBSD_PATCHGEN:-$top/build/bin/fbsd-patchgen}
SCAN=${FBSDLP_CLANG_SCAN:-$top/build/bin/fbsdlp-clang-scan}
RUNS=${1:-5}
N=${2:-2000}
work=$top/build/bench-source
rm -rf "$work"
mkdir -p "$work"
now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

fixes="mq-send-full-off-by-one netflt-icmp-ports ratelog-window-limit pkt-maxlen-inline"
# Warm the cache once.
"$PATCHGEN" --src tests/minikern/patches/mq-send-full-off-by-one.diff --kernel GENERIC \
    --srcdir tests/minikern --cache "$work/cache" --output "$work/out" -q >/dev/null
printf '%-26s %5s %12s %14s %7s\n' fix units "source (s)" "patched (s)" ratio
tot_s=0 tot_p=0
for fix in $fixes; do
    src=() pat=()
    for i in $(seq "$RUNS"); do
        "$PATCHGEN" --src "tests/minikern/patches/$fix.diff" --kernel GENERIC \
            --srcdir tests/minikern --cache "$work/cache" --output "$work/out" -q >/dev/null
        read -r s p u < <(python3 -c "
import json; r = json.load(open('$work/out/${fix//-/_}.json'))
t = r['stage_seconds']; print(t['source analysis'], t['patched build'], len(r['recompiled']))")
        src+=("$s") pat+=("$p")
    done
    ms=$(median "${src[@]}") mp=$(median "${pat[@]}")
    tot_s=$(echo "$tot_s + $ms" | bc -l) tot_p=$(echo "$tot_p + $mp" | bc -l)
    printf '%-26s %5d %12.3f %14.3f %6.0f%%\n' "$fix" "$u" "$ms" "$mp" "$(echo "100 * $ms / $mp" | bc -l)"
done
printf '%-26s %5s %12.3f %14.3f %6.0f%%\n' "all fixture fixes" "" "$tot_s" "$tot_p" \
    "$(echo "100 * $tot_s / $tot_p" | bc -l)"

# A kernel-sized unit.
python3 bench/gen_pair.py "$N" "$work/big" >/dev/null
mkdir -p "$work/big/sys"
cp "$work/big/orig.c" "$work/big/sys/big.c"
flags=$(sed "s|@TESTS@|$top/tests|g" tests/cases/flags-clang.txt | tr '\n' ' ')
python3 - "$work/big" "$flags" <<'PY'
import json, sys
d, flags = sys.argv[1], sys.argv[2].split()
argv = ["clang"] + flags + ["sys/big.c", "-o", "big.o"]
job = {"cwd": d, "argv": argv, "source": d + "/sys/big.c", "files": [d + "/sys/big.c"],
       "unsaved": {}, "reparse": {d + "/sys/big.c": d + "/patched.c"}}
json.dump({"threads": 1, "jobs": [job]}, open(d + "/req.json", "w"))
open(d + "/compile.sh", "w").write("cd %s && clang %s patched.c -o patched.o\n" % (d, " ".join(flags)))
PY
scan=() comp=()
for i in $(seq "$RUNS"); do
    t0=$(now)
    sh "$work/big/compile.sh"
    t1=$(now)
    "$SCAN" "$work/big/req.json" "$work/big/out.json"
    t2=$(now)
    comp+=("$(echo "$t1 - $t0" | bc -l)") scan+=("$(echo "$t2 - $t1" | bc -l)")
done
python3 -c "
import json; r = json.load(open('$work/big/out.json'))['results'][0]
assert 'error' not in r and len(r['second']['defs']) >= $N, 'the scanner failed'"
mc=$(median "${comp[@]}") ms=$(median "${scan[@]}")
printf '\none %d-function unit (%d KB), median of %d runs:\n' "$N" \
    "$(( $(stat -c %s "$work/big/orig.c") / 1024 ))" "$RUNS"
printf '  compile (kernel flags, -O2 -g)   %8.3f s\n' "$mc"
printf '  scanner, original + patched      %8.3f s\n' "$ms"
printf '  ratio                            %7.0f%%   (target < 20%%)\n' "$(echo "100 * $ms / $mc" | bc -l)"
