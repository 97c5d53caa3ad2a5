#!/bin/sh
# Run inside the lab by 'make demo': asks each lab resolver for a secure, a bogus and an
# insecure name and prints status and flags, so a person sees validation at work.
set -u
printf '%-20s %-28s %-9s %s\n' RESOLVER QUESTION STATUS FLAGS
for pair in $LAB_RESOLVERS; do
  name=${pair%%=*} addr=${pair#*=}
  for q in www.alg13.test www.bogus-sig.test www.insecure.test; do
    out=$(dig +tries=2 +timeout=2 +dnssec +noall +comments "@$addr" "$q" A 2>&1)
    status=$(printf '%s\n' "$out" | sed -n 's/.*status: \([A-Z]*\).*/\1/p')
    flags=$(printf '%s\n' "$out" | sed -n 's/^;; flags: \([^;]*\);.*/\1/p')
    printf '%-20s %-28s %-9s %s\n' "$name" "$q A" "${status:-TIMEOUT}" "$flags"
  done
done
