#!/bin/sh
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# bench/dig-reference.sh RESOLVER FILE: the way people check a resolver today, as the
# reference bench/suite.pl measures the probe against. One dig process per question,
# one after another, each printing its answer for a person (or a script) to read. FILE has
# one question a line: NAME TYPE [dig options...] (bench/suite.pl writes the probe's own).
# It only asks; it judges nothing, so the comparison flatters dig.
set -u
resolver=$1
file=$2
while read -r name type opts; do
  # shellcheck disable=SC2086 # the options are words
  dig @"$resolver" +tries=1 +time=2 $opts "$name" "$type"
done <"$file"
