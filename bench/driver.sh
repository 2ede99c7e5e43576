#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Copyright (c) 2026 The fbsd-livepatch developers
#
# Driver benchmark (issue 4): on a warm cache, the time to generate a
# one-function patch for the fixture kernel, against the time to compile
# just the changed file with the same flags, measured in the same run.
# Also the cold-cache time split by stage.  Never part of `make test`.
#
#   bench/driver.sh [RUNS]      (default 5)

set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
PATCHGEN=${FBSD_PATCHGEN:-$top/build/bin/fbsd-patchgen}
RUNS=${1:-5}
work=$top/build/bench-driver
rm -rf "$work"
mkdir -p "$work"
fix=$top/tests/minikern/patches/mq-send-full-off-by-one.diff
now() { date +%s.%N; }

# Cold cache: the stage split, from the report.
"$PATCHGEN" --src "$fix" --kernel GENERIC --srcdir tests/minikern --cache "$work/cache" \
    --output "$work/out" -q
echo "cold cache, seconds per stage:"
python3 -c "
import json; r = json.load(open('$work/out/mq_send_full_off_by_one.json'))
for k, v in r['stage_seconds'].items(): print(f'  {k:20s} {v:8.3f}')"

# The recorded command of kern_mq.c, as the original build ran it.
cmd=$(grep -h '"/[^"]*kern_mq.c"' "$work"/cache/*/commands.jsonl | head -1)
cwd=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['cwd'])" "$cmd")
mapfile -t argv < <(python3 -c "import json,sys; [print(a) for a in json.loads(sys.argv[1])['argv']]" "$cmd")

gen=() comp=()
for i in $(seq "$RUNS"); do
    t0=$(now)
    (cd "$cwd" && "${argv[@]}" -o "$work/kern_mq.o")
    t1=$(now)
    "$PATCHGEN" --src "$fix" --kernel GENERIC --srcdir tests/minikern --cache "$work/cache" \
        --output "$work/out" -q
    t2=$(now)
    comp+=("$(echo "$t1 - $t0" | bc -l)")
    gen+=("$(echo "$t2 - $t1" | bc -l)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mc=$(median "${comp[@]}")
mg=$(median "${gen[@]}")
printf '\nwarm cache, median of %d runs:\n' "$RUNS"
printf '  compile kern_mq.c alone      %8.3f s\n' "$mc"
printf '  generate the patch (all)     %8.3f s\n' "$mg"
printf '  ratio                        %8.2f   (target < 1.3)\n' "$(echo "$mg / $mc" | bc -l)"
printf '  fixed cost (generate-compile) %7.3f s (target < 1 s)\n' "$(echo "$mg - $mc" | bc -l)"
