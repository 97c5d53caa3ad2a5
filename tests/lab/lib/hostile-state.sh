#!/bin/sh
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# hostile-state.sh TRUSTPROBE: run inside a throwaway "unshare -rn" namespace by 10-up-down.t.
# Writes a lab.state that names this very namespace and an unrelated process as holder;
# "lab down" must refuse to signal anything. Contained: only this namespace is at risk.
set -u
tp=$1
d=$(mktemp -d)
sleep 30 & victim=$!
ns=$(stat -L -c %i /proc/self/ns/net); us=$(stat -L -c %i /proc/self/ns/user)
printf 'holder %s\nnetns %s\nuserns %s\n' "$victim" "$ns" "$us" > "$d/lab.state"
out=$("$tp" lab down --dir "$d" 2>&1); rc=$?
if kill -0 $victim 2>/dev/null; then alive=yes; else alive=no; fi
kill $victim 2>/dev/null
rm -rf "$d"
echo "rc=$rc alive=$alive out=$out"
