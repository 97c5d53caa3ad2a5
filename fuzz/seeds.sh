#!/bin/sh
# seeds.sh: writes the text seeds of fuzz/corpus/ from the project's own files ('make
# fuzz-seeds'; the packet seeds come from mkseeds.c): the catalogue and the attack rules
# cut into pieces of a few cases or rules each (small seeds fuzz faster than one big
# file), the manifest, a trust-anchor file of each format the reader knows (the unit
# tests' texts, tests/unit/test_anchors.c), command lines, and diagnosis inputs.
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
set -eu
C=fuzz/corpus
# PIECE NAME DIR FILE KEYWORD N: FILE cut before every Nth line starting with KEYWORD
piece() {
  awk -v dir="$1" -v kw="$3" -v n="$4" -v name="$5" '
    $1 == kw { if (k % n == 0) { if (out) close(out); out = sprintf("%s/%s-%03d", dir, name, k / n) } k++ }
    out && !/^#/ { print > out }' "$2"
}
piece $C/catalog testvectors/cases case 6 cases
piece $C/proxy_rules testvectors/attacks rule 3 rules
cp testvectors/manifest $C/manifest/manifest
grep -v '^#' testvectors/manifest | head -12 >$C/manifest/head
# every format of anchors.c
K17=AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=
DS17=E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
DS24=683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
A=$C/anchors
printf '. IN DS 20326 8 2 %s\n. IN DS 38696 8 2 %s\n' $DS17 $DS24 >$A/plain-ds
printf '. 172800 IN DNSKEY 257 3 8 %s ; keytag 20326\n' $K17 >$A/plain-dnskey
printf '; autotrust trust anchor file\n;;id: . 1\n;;last_queried: 1796106610 ;;Tue Dec  1 06:30:10 2026\n;;last_success: 1796106610 ;;Tue Dec  1 06:30:10 2026\n;;next_probe_time: 1796110019 ;;Tue Dec  1 07:26:59 2026\n;;query_failed: 0\n;;query_interval: 3600\n;;retry_time: 3600\n.\t3600\tIN\tDNSKEY\t257 3 8 %s ;{id = 20326 (ksk), size = 2048b} ;;state=2 [  VALID  ] ;;count=0 ;;lastchange=1796106610 ;;Tue Dec  1 06:30:10 2026\n' $K17 >$A/unbound
printf 'trust-anchors {\n\t/* KSK-2017 */\n\t. initial-key 257 3 8 "%s";\n\t// KSK-2024\n\t. initial-ds 38696 8 2 "%s";\n\texample. static-ds 1 8 2 "AA";\n};\n' $K17 $DS24 >$A/bind-conf
printf 'managed-keys { . initial-key 257 3 8 "%s"; };\ntrusted-keys { . 257 3 8 "%s"; };\n' $K17 $K17 >$A/bind-managed
printf '$ORIGIN .\n$TTL 0\t; 0 seconds\n@\t\t\tIN SOA\t. . (\n\t\t\t\t2 0 0 0 0\n\t\t\t\t)\n\t\t\tKEYDATA\t20261202000000 20261101000000 19700101000000 257 3 8 (\n\t\t\t\t%s\n\t\t\t\t) ; KSK; alg = RSASHA256 ; key id = 20326\n\t\t\t\t; next refresh: Wed, 02 Dec 2026 00:00:00 GMT\n' $K17 >$A/bind-keydata
printf '# comment\ntrust-anchor=.,20326,8,2,%s\n--trust-anchor=.,38696,8,2,%s\n' $DS17 $DS24 >$A/dnsmasq
printf -- '-- a comment\naddTA(%s, "20326 8 2 %s")\nclearTA(%s)\naddTA(".", %s)\nreadTrustAnchorsFromFile("/usr/share/dns/root.key", 24)\ndofile("/etc/x.lua")\n' "'.'" $DS17 "'.'" "'38696 8 2 $DS24'" >$A/pdns-lua
printf '<?xml version="1.0" encoding="UTF-8"?>\n<TrustAnchor id="x" source="http://data.iana.org/root-anchors/root-anchors.xml">\n<Zone>.</Zone>\n<KeyDigest id="Klajeyz" validFrom="2017-02-02T00:00:00+00:00" validUntil="2019-01-11T00:00:00+00:00">\n<KeyTag>20326</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType>\n<Digest>%s</Digest></KeyDigest>\n<KeyDigest id="Kmyv6jo" validFrom="2024-07-18T00:00:00Z">\n<KeyTag>38696</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType>\n<Digest>%s</Digest></KeyDigest>\n</TrustAnchor>\n' $DS17 $DS24 >$A/iana-xml
# command lines: arguments ended by NUL; a leading "n..." is the plugin
args() { f=$1; shift; : >$C/cli/$f; for a in "$@"; do printf '%s\0' "$a" >>$C/cli/$f; done; }
args zone --zone tp.example.net -t 5 -v --format json 127.0.0.1 '::1@5353'
args lab --lab /tmp/lab --case 'denial.*' --accept unbound/ad-path.process --now 2026-12-01 127.53.1.1
args plugin n -H 127.0.0.1 -w 1 -c 2 --zone test. -p 5353
args fleet --targets /tmp/t --parallel 8 --trust-anchor /usr/share/dns/root.key --resolv-conf /etc/resolv.conf
args list --list --format prometheus --color always -vv --vectors testvectors -V -h
# diagnosis: the resolver's octets, then per case status and observations (fuzz_diagnose.c)
D=$C/diagnose
head -c 600 /dev/zero >$D/all-pass
printf '\001\000\000\000' >$D/unbound-fail; i=0
while [ $i -lt 107 ]; do printf '\002\001\001\003\240\042\001\000\000\011' >>$D/unbound-fail; i=$((i+1)); done
printf '\015\002\003\002' >$D/forwarder-skips; i=0
while [ $i -lt 107 ]; do printf '\003\002\071\002\000\200\040\003\023\000\000\004' >>$D/forwarder-skips; i=$((i+1)); done
