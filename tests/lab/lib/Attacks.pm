# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Attacks.pm: what each Debian 12 resolver of the lab does with the attacks of ATTACKS.md
# A-E (the denial.atk-* cases), by lab instance and attack id (a1, b2, ...). A case not
# named here must pass: the rule is the RFC's, never loosened for anyone. Each entry
# carries its evidence (the resolver's source and Debian changelog; the README's attack
# table has the notes). tests/lab/45-attacks.t checks the direct instances against it,
# tests/lab/46-forwarders.t the forwarders, which must do as their direct sibling does
# unless it records the difference there.
#
# A pass counts only if the forgery was delivered: %forgery names the proxy rules
# (testvectors/attacks) whose forged reply is each attack, and forgeries_sent() and
# liar_relays() read from the lab's logs to whom the proxy sent each one and which forwarder
# the liar relayed it to (every lab resolver queries from its own address, lab_conf.c
# [whose]). A resolver that answers the attacked name from its cache never sees the
# forgery, and its SERVFAIL or genuine answer measures nothing.
package Attacks;
use strict;
use warnings;
use Exporter 'import';
our @EXPORT_OK = qw(%known %forgery @helpers @no_case forgeries_sent forged_questions liar_relays rule_ids);

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
    # A4: checkWildcardProof in validate.cc hands getDenial the expanded name instead of the
    # next closer name, so the NSEC b -> b2, which covers x.b.atk-a4.test but proves that b
    # exists, passes as the wildcard proof (PowerDNS issue 17136; fixed by PR 17156, 2026-04,
    # not in 4.8.8). The proxy log shows the A4 forgery sent to it and the case fails with AD.
    # Until the rule A4.qmin answered the minimised query for b.atk-a4.test with SERVFAIL,
    # the recursor never asked for the forgery: the genuine NODATA for b brought that NSEC,
    # and its aggressive NSEC cache (RFC 8198) answered NXDOMAIN from it, so the case
    # "passed" with no forgery delivered (0 A4 lines for 127.53.1.3 in the proxy log).
    'pdns-recursor' => { a3 => 'fail', a4 => 'fail', b3 => 'fail', d4 => 'fail', e1 => 'fail' },
    # Knot Resolver 5.6.0-1+deb12u1: A4 (kr_nsec_wildcard_answer_response_check in
    # lib/dnssec/nsec.c tests only that an NSEC covers the name it is given, the expanded
    # query name, not the next closer one; kresd minimises with NS queries but, unlike
    # PowerDNS, asks the full name after them, and the proxy log shows the A4 forgery sent
    # to it, before A4.qmin as after), E3
    # (kr_rrset_validate matches keys by algorithm and tag; kr_dnssec_key_revoked is checked
    # only for the DNSKEY set), D3: the first query for the TLSA of mx gets SERVFAIL (EDE 10,
    # RRSIGs Missing: kresd still fetches z.atk-d3.test's keys), but it keeps the forged
    # NSEC3 (owner 0000...0000.atk-d3.test, signed by z.atk-d3.test, outside the signer's
    # zone) and answers the next query for the name NXDOMAIN with AD from its cache, in
    # 0 ms, the proxy log showing one D3 forgery only (dig twice through a fresh lab; the
    # probe's second ask of every attack shows it: "the same question asked again after it
    # was refused: answered from the resolver's cache, the forgery is accepted").
    # D4: once it holds the attack zone's proofs, kresd answers RAND.p.atk-d4.test from its
    # cache (RFC 8198: the wildcard and its NSECs) and never asks for the name the proxy
    # forges, so the attacker's ledger shows no forgery in a later run and the probe skips
    # (in a fresh lab the first ask reaches the proxy, and Knot refuses the forgery).
    'knot-resolver' => { a4 => 'fail', e3 => 'fail', d3 => 'fail', d4 => 'pass|skip' },
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

# The rules whose forged reply is each attack (the case id's denial.atk-<id>-), by attack id.
# D1, D2 and E3 have none: their weapon is the attacker's own zone, served by nsd, not by
# the proxy, and the case's own queries fetch it (D1's and D2's prime, E3's TLSA name).
our %forgery = (
    a1 => ['A1'], a2 => ['A2'], a3 => ['A3'], a4 => ['A4'], a5 => ['A5'], a6 => ['A6'],
    a7 => ['A7'], b1 => ['B1'], b2 => ['B2', 'B2.data'], b3 => ['B3'], b4 => ['B4'],
    b5 => ['B5'], b6 => ['B6'], b6u => ['B6.unrelated'], c1 => ['C1', 'C1.data'],
    c2 => ['C2', 'C2.data'], c3 => ['C3', 'C3.data'], c4 => ['C4'],
    c5 => ['C5', 'C5.data', 'C5.strip', 'C5.apex'], d3 => ['D3'], d4 => ['D4'], e1 => ['E1'],
    e2 => ['E2'],
);
# Rules that only lead a resolver to the forgery: they answer SERVFAIL to the minimised
# queries (RFC 9156) whose genuine answers would let it deny or synthesise the attacked
# name from its cache without asking. A SERVFAIL from them is no delivery.
our @helpers = qw(A1.qmin A1.ns A4.qmin D4.qmin E2.qmin);
# Rules no case uses (tests/lab/40-proxy.t checks them through the non-validating control).
our @no_case = qw(B6.nosoa B6.noaa);

sub slurp_lines {
    my ($path) = @_;
    open my $fh, '<', $path or return ();
    return <$fh>;
}

# forgeries_sent(dir): { peer address => { rule => number of forged replies sent } }, from
# D/log/proxy.log ("proxy: forged RULE #N udp|tcp PEER QNAME QTYPE -> ...").
sub forgeries_sent {
    my ($dir) = @_;
    my %sent;
    for (slurp_lines("$dir/log/proxy.log")) {
        $sent{$2}{$1}++ if /^proxy: forged (\S+) #\d+ (?:udp|tcp) (\S+) /;
    }
    return \%sent;
}

# forged_questions(dir): { rule => { "qname qtype" (lower case) => 1 } }, the questions the
# proxy answered with a forgery, to any client.
sub forged_questions {
    my ($dir) = @_;
    my %q;
    for (slurp_lines("$dir/log/proxy.log")) {
        $q{$1}{ lc "$2 $3" } = 1 if /^proxy: forged (\S+) #\d+ (?:udp|tcp) \S+ (\S+) (\S+) -> /;
    }
    return \%q;
}

# liar_relays(dir): { peer address => { "qname qtype" (lower case) => 1 } }, the answers the
# liar relayed (with AD, its lie) to each client, from D/log/liar.log ("liar: AD set
# udp|tcp PEER QNAME QTYPE RCODE").
sub liar_relays {
    my ($dir) = @_;
    my %r;
    for (slurp_lines("$dir/log/liar.log")) {
        $r{$1}{ lc "$2 $3" } = 1 if /^liar: AD set (?:udp|tcp) (\S+) (\S+) (\S+) /;
    }
    return \%r;
}

# rule_ids(path): the rule ids of an attack rules file, in file order.
sub rule_ids {
    my ($path) = @_;
    return map { /^rule\s+(\S+)/ ? $1 : () } slurp_lines($path);
}

1;
