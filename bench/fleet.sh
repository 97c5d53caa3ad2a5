#!/bin/sh
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# bench/fleet.sh [RUNS]: 'trustprobe --targets' over 256 and 4096 lab resolvers (lab up
# --fleet 4096: one unbound on 4096 addresses), as an operator runs it (--zone, no
# --trust-anchor) and with every AD answer validated again (--lab: the lab's anchor).
# Reports the wall time and the peak memory (max RSS) of each run. Targets: 256 in under
# 2 s, 4096 in under 20 s (2 cores). A person runs and reads this; it asserts nothing.
# Everything runs in the lab's private namespaces; nothing is sent outside them.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-3}
tp=$PWD/probe/trustprobe
[ -x "$tp" ] || make -s
dir=$(mktemp -d /tmp/tp-bench-fleet-XXXXXX)
trap '$tp lab down --dir "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
$tp lab up --dir "$dir" --resolvers unbound --fleet 4096 >/dev/null
head -256 "$dir/fleet/targets" >"$dir/t256"
cp "$dir/fleet/targets" "$dir/t4096"
echo "targets  mode                      run  wall(s)  max-RSS(KiB)  verdicts"
for n in 256 4096; do
  for mode in zone lab; do
    i=1
    while [ $i -le "$runs" ]; do
      if [ $mode = zone ]; then
        set -- $tp lab exec --dir "$dir" -- $tp --zone test. --targets "$dir/t$n"
        label="--zone (operator)"
      else
        set -- $tp --lab "$dir" --targets "$dir/t$n"
        label="--lab (validated again)"
      fi
      /usr/bin/time -f '%e %M' -o "$dir/time" "$@" >"$dir/out" 2>/dev/null || true
      printf '%7s  %-24s  %3d  %7s  %12s  %s\n' "$n" "$label" $i \
        "$(cut -d' ' -f1 "$dir/time" | tail -1)" "$(cut -d' ' -f2 "$dir/time" | tail -1)" \
        "$(tail -1 "$dir/out" | sed 's/ in [0-9.]* s$//')"
      i=$((i + 1))
    done
  done
done
