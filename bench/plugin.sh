#!/bin/sh
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# bench/plugin.sh [RUNS]: plugin mode as Nagios or Icinga runs it every few minutes, CPU
# time (user + system) and peak memory (max RSS) per run, beside check_dig from Debian's
# monitoring-plugins-standard (make deps-bench) doing its single query on the same lab
# resolver. Targets: under 10 ms CPU and 8 MiB RSS. A person runs and reads this; it
# asserts nothing. Everything runs in the lab's private namespace; nothing leaves it.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-10}
tp=$PWD/probe/trustprobe
[ -x "$tp" ] || make -s
check_dig=/usr/lib/nagios/plugins/check_dig
dir=$(mktemp -d /tmp/tp-bench-plugin-XXXXXX)
trap '$tp lab down --dir "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
$tp lab up --dir "$dir" --resolvers unbound >/dev/null
ds=$dir/ta/root.ds
# CPU: one /usr/bin/time over RUNS runs of the command in a row (GNU time counts in 10 ms
# steps; the total over the runs, divided, is finer), user + system, children included.
# RSS: the largest max RSS of the runs (for check_dig, its dig child's).
measure() {
  label=$1
  shift
  $tp lab exec --dir "$dir" -- /usr/bin/time -o "$dir/m" -f '%U %S %M' \
    sh -c 'n=$1; shift; i=0; while [ $i -lt "$n" ]; do "$@" >/dev/null 2>&1; i=$((i + 1)); done' \
    sh "$runs" "$@" || true
  perl -e 'my ($l, $n) = splice @ARGV, 0, 2; my ($u, $s, $r) = split " ", <>;
    printf "%-48s %6.2f ms %6.1f MiB\n", $l, ($u + $s) * 1000 / $n, $r / 1024' "$label" "$runs" "$dir/m"
}
printf "%-48s %9s %10s\n" "plugin run (CPU per run over $runs runs, max RSS)" CPU RSS
measure "trustprobe --format nagios --zone (operator)" \
  $tp --format nagios --zone test. --trust-anchor "$ds" -H 127.53.1.1
measure "trustprobe --format nagios --lab" $tp --format nagios --lab "$dir" -H 127.53.1.1
measure "trustprobe -V (the process, libraries loaded)" $tp -V
if [ -x $check_dig ]; then
  measure "check_dig -H 127.53.1.1 -l www.test (one query)" $check_dig -H 127.53.1.1 -l www.test -T A
else
  echo "check_dig: not installed (make deps-bench installs monitoring-plugins-standard)"
fi
