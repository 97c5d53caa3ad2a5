# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Attacks.pm: what each Debian 12 resolver of the lab does with the attacks of ATTACKS.md
# A-E (the denial.atk-* cases), by lab instance and attack id (a1, b2, ...). A case not
# named here must pass: the rule is the RFC's, never loosened for anyone. Each entry
# carries its evidence (the resolver's source and Debian changelog; the README's attack
# table has the notes). tests/lab/45-attacks.t checks the direct instances against it,
# tests/lab/46-forwarders.t the forwarders, which must do as their direct sibling does
# unless it records the difference there.
package Attacks;
use strict;
use warnings;
use Exporter 'import';
our @EXPORT_OK = qw(%known);

our %known = (
    # unbound 1.17.1-2+deb12u4: C1 fixed upstream in 1.26.0 (testdata val_wcnsec_nods, which
    # fails on 1.17.1); E3 fixed in 1.25.0 ("signatures by revoked keys": 1.17.1's validator
    # tests only the zone-key bit, REVOKE only in autotrust.c). Neither is in the Debian
    # changelog.
    # D1's priming query goes out with its control; when the prime lands first, unbound
    # SERVFAILs the genuine NXDOMAIN of the control (the CVE-2026-44690 code path: a
    # denial of service, not a downgrade), and the case cannot tell.
    'unbound' => { c1 => 'fail', e3 => 'fail', d1 => 'pass|skip' },
    # BIND 9.18.49-1~deb12u3 resists all (its 2026 fixes CVE-2026-10723/-11721/-13321/-19941
    # are backported). B2 drives it into a DS/DNSKEY fetch loop that ends in SERVFAIL only
    # after its 10 s fetch timeout, past the probe's per-query limit: no answer, skip,
    # and as the attack cases are essential BIND's verdict is then unknown, not ready.
    'bind' => { b2 => 'pass|skip' },
    # PowerDNS Recursor 4.8.8-1+deb12u1: A3 and E1 (the CNAME branch of processRecords in
    # syncres.cc never checks the wildcard denial: PR 14206, rec 5.1.0; CVE-2026-52686), B3
    # (rec 5.1.0 "Skip NSEC records signed by a subzone" missing), D4 (provesNoWildCard in
    # validate.cc takes any validated NSEC spanning the wildcard, whatever its signer).
    # A4 passes here only because the forgery is never asked for: QNAME minimisation first
    # asks b.atk-a4.test, whose genuine NODATA brings the NSEC b -> b2, and the aggressive
    # NSEC cache (RFC 8198) answers the attacked name from it. Asked the full name (as a
    # forwarder asks, or with qname-minimization=no) it takes the forgery with AD:
    # tests/lab/46-forwarders.t shows both (PowerDNS issue 17136, fixed by PR 17156).
    'pdns-recursor' => { a3 => 'fail', b3 => 'fail', d4 => 'fail', e1 => 'fail' },
    # Knot Resolver 5.6.0-1+deb12u1: A4 (kr_nsec_wildcard_answer_response_check in
    # lib/dnssec/nsec.c is given the expanded name, not the next closer one), E3
    # (kr_rrset_validate matches keys by algorithm and tag; kr_dnssec_key_revoked is checked
    # only for the DNSKEY set).
    'knot-resolver' => { a4 => 'fail', e3 => 'fail' },
    # dnsmasq 2.90-4~deb12u2: its NSEC denial code has no wildcard-absence check (A1, A6),
    # checks only that the name is covered (A4), shares one proof for NXDOMAIN and NODATA
    # (B5), has no ancestor-delegation test (B1) nor a zone test on wrap-around (B3, D4), never
    # tests the REVOKE flag in validate_rrset (E3), and check_nsec3_coverage takes an NSEC3
    # ending exactly at the child's hash as covering it (C3, then opt-out); it SERVFAILs the
    # genuine DNAME chain of E2's control (its DNAME gap), so E2 cannot tell.
    'dnsmasq' => { a1 => 'fail', a4 => 'fail', a6 => 'fail', b1 => 'fail', b3 => 'fail',
                   b5 => 'fail', c3 => 'fail', d4 => 'fail', e3 => 'fail', e2 => 'skip' },
    # dnsmasq --proxy-dnssec passes on what its upstream, the validating unbound, says: the
    # same forgeries as unbound. D1's control can meet unbound's cache after another probe
    # primed it with the attacker's record (unbound then SERVFAILs the genuine NXDOMAIN).
    'dnsmasq-proxy' => { c1 => 'fail', e3 => 'fail', d1 => 'pass|skip' },
);

1;
