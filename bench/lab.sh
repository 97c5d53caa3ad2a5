#!/bin/sh
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# bench/lab.sh [RUNS]: times 'lab up' and 'lab down' (targets: up < 1 s, down < 1 s on
# 2 cores), the one-shot 'trustprobe lab' (target < 3 s), the roll rehearsal ('lab roll'),
# and reports the probe's peak memory.
# A person runs and reads this; it is not a test and asserts nothing.
# Everything runs in private namespaces; nothing is sent outside them.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
tp=probe/trustprobe
[ -x $tp ] || make -s
dir=$(mktemp -d /tmp/tp-bench-XXXXXX)
trap '$tp lab down --dir "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
now() { date +%s.%N; }
echo "run  lab-up(s)  lab-down(s)"
i=1
while [ $i -le "$runs" ]; do
  t0=$(now); $tp lab up --dir "$dir" >/dev/null; t1=$(now)
  $tp lab down --dir "$dir" >/dev/null; t2=$(now)
  printf '%3d  %9.3f  %11.3f\n' $i "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
  i=$((i + 1))
done
echo
echo "one-shot 'trustprobe lab' (build, probe the everyday instances x full catalogue, tear down):"
i=1
while [ $i -le "$runs" ]; do
  t0=$(now); $tp lab >/dev/null 2>&1 || true; t1=$(now)
  printf '%3d  %6.3f s\n' $i "$(echo "$t1 - $t0" | bc)"
  i=$((i + 1))
done
echo
echo "the root key roll rehearsal ('trustprobe lab roll', every resolver through each step):"
t0=$(now); $tp lab roll >/dev/null 2>&1 || true; t1=$(now)
printf '  %6.3f s\n' "$(echo "$t1 - $t0" | bc)"
echo
echo "full catalogue against lab unbound (cold = first run after lab up, then warm):"
$tp lab up --dir "$dir" >/dev/null
for k in cold warm warm; do
  t0=$(now); $tp --lab "$dir" --format json 127.53.1.1 >/dev/null || true; t1=$(now)
  printf '%-5s %6.3f s\n' $k "$(echo "$t1 - $t0" | bc)"
done
echo
echo "peak memory of one probe run (max RSS):"
/usr/bin/time -f '  %M KiB' $tp --lab "$dir" --format json 127.53.1.1 >/dev/null || true
$tp lab down --dir "$dir" >/dev/null
