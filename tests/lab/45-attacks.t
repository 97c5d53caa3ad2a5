#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Every attack of ATTACKS.md A-E against every lab resolver, through the attacker proxy.
# The rule of every case is the RFC's: a forged answer that gets through, with or without
# AD, fails it. Where a Debian 12 resolver lets a forgery through, that resolver's result is
# recorded here by name, with the evidence (its source and Debian changelog; the notes are
# in the README's attack table); the rule is never loosened for anyone.
# The non-validating control must let at least 20 forgeries through (the cases can fail),
# and every control query must get its genuine answer (the cases could tell).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use JSON::PP;
use Test::More;
use Lab qw(tp lab_up lab_down procs_mentioning);

# Known results of the Debian 12 packages. A case not named here must pass.
my %known = (
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

my $tp = tp();
my ($dir, undef, $out, $rc) = lab_up();
is($rc, 0, 'lab up') or BAIL_OUT($out);
my $o = qx{$tp --lab $dir --case 'denial.atk-*' --format json};
my $j = decode_json($o);
my %by = map { $_->{name} => $_ } @{ $j->{resolvers} };
my @ids = map { $_->{id} } @{ $by{bind}{cases} };
ok(@ids >= 25, scalar(@ids) . ' attack cases (ATTACKS.md A-E)');

my $novalidate = grep { $_->{status} eq 'fail' } @{ $by{'unbound-novalidate'}{cases} };
ok($novalidate >= 20, "the non-validating control lets $novalidate forgeries through (>= 20): the cases can fail");

for my $r (sort keys %known) {
    my %c = map { $_->{id} => $_ } @{ $by{$r}{cases} };
    for my $id (@ids) {
        my ($atk) = $id =~ /^denial\.atk-(\w+?)-/;
        my $want = $known{$r}{$atk} // 'pass';
        like($c{$id}{status}, qr/^(?:$want)$/, "$r: $id: $want") or diag($c{$id}{reason});
    }
}
# the reasons name the forgery, what the resolver answered, and the advisory
my ($e3) = grep { $_->{id} =~ /atk-e3-/ } @{ $by{unbound}{cases} };
like($e3->{reason}, qr/^observed ctl: NOERROR, AD set, answer TLSA.*fwd: NOERROR, AD set, answer TLSA.*\(E3: data signed by a revoked key accepted\).*unbound 1\.25\.0/,
     'a failure names what was observed, the forgery and the advisory');

# the proxy logged what it forged, and stops with the lab
my $log = do { local (@ARGV, $/) = "$dir/log/proxy.log"; <> } // '';
my %rules = map { $_ => 1 } $log =~ /^proxy: forged (\S+) /mg;
ok(keys %rules >= 20, scalar(keys %rules) . ' distinct rules forged replies');
my (undef, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down');
is_deeply([procs_mentioning($dir)], [], 'no proxy or daemon left');
done_testing();
