#!/bin/sh
# cov.sh BIN-DIR NAME CORPUS...: runs build/fuzzcov's coverage build of harness NAME over
# every input of CORPUS (once each) and prints the line and branch coverage of the files
# it is there to test ('make fuzz-cov'; llvm-profdata-14 and llvm-cov-14 from llvm-14).
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
set -eu
dir=$1 h=$2; shift 2
case $h in
  evaluate) src="probe/evaluate.c probe/observe.c probe/compare.c";;
  preflight) src=probe/preflight.c;;
  ede) src=probe/ede.c;;
  anchors) src=probe/anchors.c;;
  catalog) src=probe/catalog.c;;
  manifest) src=probe/lab/manifest.c;;
  proxy_rules) src=probe/lab/proxy_rules.c;;
  proxy_ops) src=probe/lab/proxy_ops.c;;
  diagnose) src="probe/diagnose.c probe/verdict.c probe/render.c";;
  cli) src="probe/cli.c probe/range.c";;
  *) echo "cov.sh: no sources listed for $h" >&2; exit 2;;
esac
rm -f "$dir/$h.profraw"
LLVM_PROFILE_FILE="$dir/$h.profraw" "$dir/fuzz_$h" -runs=0 "$@" >"$dir/$h.cov.log" 2>&1
llvm-profdata-14 merge -sparse -o "$dir/$h.profdata" "$dir/$h.profraw"
llvm-cov-14 report "$dir/fuzz_$h" -instr-profile="$dir/$h.profdata" $src |
  awk -v h="$h" '$1 ~ /\.c$/ || $1 == "TOTAL" { n = split($1, p, "/"); printf "cov %-12s %-18s lines %7s  branches %7s\n", h, p[n], $10, $13 }'
