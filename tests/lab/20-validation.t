#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# The validation matrix: every lab resolver against the signed lab tree. Each check states
# what the RFC requires. A resolver that differs is recorded below by name, with the reason,
# and only for that resolver; the rule itself is never loosened.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Lab qw(lab_up lab_down lab_env run_queries);

# id => [qname, qtype, dig flags, validator expectation, non-validator expectation, source]
# An expectation: status, ad (1 set, 0 clear, undef either), answer (an RR type that must
# be in the answer section).
my @checks = (
    ['secure-ad',      'www.alg13.test.', 'A', '',
        {status => 'NOERROR', ad => 1, answer => 'A'}, {status => 'NOERROR', ad => 0, answer => 'A'},
        'RFC 4035 3.2.3, RFC 6840 5.8: AD on a validated answer to a DO query'],
    ['alg8',           'www.alg8.test.',  'A', '',
        {status => 'NOERROR', ad => 1, answer => 'A'}, {status => 'NOERROR', ad => 0, answer => 'A'},
        'RFC 8624 3.1: RSASHA256 MUST be validated'],
    (map { my $a = $_; ["alg$a", "www.alg$a.test.", 'A', '',
        {status => 'NOERROR', ad => undef, answer => 'A'}, {status => 'NOERROR', ad => 0, answer => 'A'},
        "RFC 8624 3.1 / RFC 4035 5.2: algorithm $a validated, or insecure if unsupported, never bogus"] } (14, 15, 16)),
    ['bogus-sig',      'www.bogus-sig.test.', 'A', '',
        {status => 'SERVFAIL'}, {status => 'NOERROR', ad => 0, answer => 'A'},
        'RFC 4035 5.5: a corrupted RRSIG makes the answer bogus: SERVFAIL'],
    ['bogus-sig-cd',   'www.bogus-sig.test.', 'A', '+cdflag',
        {status => 'NOERROR', ad => 0, answer => 'A'}, {status => 'NOERROR', ad => 0, answer => 'A'},
        'RFC 4035 3.2.2: with CD the data comes back unvalidated, without AD'],
    ['expired',        'www.expired.test.', 'A', '',
        {status => 'SERVFAIL'}, {status => 'NOERROR', ad => 0, answer => 'A'},
        'RFC 4035 5.3.1: signatures past their expiration are bogus'],
    ['notyet',         'www.notyet.test.', 'A', '',
        {status => 'SERVFAIL'}, {status => 'NOERROR', ad => 0, answer => 'A'},
        'RFC 4035 5.3.1: signatures before their inception are bogus'],
    ['ds-mismatch',    'www.ds-mismatch.test.', 'A', '',
        {status => 'SERVFAIL'}, {status => 'NOERROR', ad => 0, answer => 'A'},
        'RFC 4035 5.2: a DS that matches no DNSKEY breaks the chain: bogus'],
    ['insecure',       'www.insecure.test.', 'A', '',
        {status => 'NOERROR', ad => 0, answer => 'A'}, {status => 'NOERROR', ad => 0, answer => 'A'},
        'RFC 4035 5.2: a proven insecure delegation gives data without AD'],
    ['unknown-alg',    'www.unknown-alg.test.', 'A', '',
        {status => 'NOERROR', ad => 0, answer => 'A'}, {status => 'NOERROR', ad => 0, answer => 'A'},
        'RFC 4035 5.2: a DS with only unsupported algorithms means insecure, not bogus'],
    ['optout-insecure', 'www.unsigned.optout.test.', 'A', '',
        {status => 'NOERROR', ad => 0, answer => 'A'}, {status => 'NOERROR', ad => 0, answer => 'A'},
        'RFC 5155 6, 8.6: an unsigned delegation covered by opt-out is insecure'],
    ['nxdomain-nsec',  'nonexistent.alg13.test.', 'A', '',
        {status => 'NXDOMAIN', ad => 1}, {status => 'NXDOMAIN', ad => 0},
        'RFC 4035 3.1.3.2, 5.4: NSEC-authenticated NXDOMAIN carries AD'],
    ['nxdomain-nsec3', 'nonexistent.nsec3.test.', 'A', '',
        {status => 'NXDOMAIN', ad => 1}, {status => 'NXDOMAIN', ad => 0},
        'RFC 5155 8.4: NSEC3-authenticated NXDOMAIN carries AD'],
    ['tlsa-ad',        '_25._tcp.mx.dane.test.', 'TLSA', '',
        {status => 'NOERROR', ad => 1, answer => 'TLSA'}, {status => 'NOERROR', ad => 0, answer => 'TLSA'},
        'RFC 7672 2.2: DANE needs TLSA records validated as secure (AD)'],
);

# Instances that do not validate by design: they must FAIL the validator expectations,
# which shows these checks can fail.
my %nonvalidating = (
    'unbound-novalidate' => 'control: iterator only, module-config "iterator"',
);

# Instances that lie: the non-validator's data, but with AD set on every NOERROR and
# NXDOMAIN. The forwarder matrix's liar does so by design; dnsmasq --proxy-dnssec in front
# of it copies its upstream's AD, as its manual says it does (tests/lab/46-forwarders.t).
my %lying = (
    'liar'              => 'control: AD set on every NOERROR/NXDOMAIN it relays (lab proxy --resolver)',
    'fwd-dnsmasq-proxy' => 'dnsmasq --proxy-dnssec copies the liar\'s AD (dnsmasq(8), --proxy-dnssec)',
);

# Known, documented differences from the RFC: {instance}{check} => [expectation, reason].
my %known = (
);

my ($dir, $secs, $out, $rc) = lab_up();
BAIL_OUT("lab did not come up: $out") if $rc != 0;
my %env = lab_env($dir);
my %addr = map { split /=/ } split ' ', $env{LAB_RESOLVERS};

my @q;
for my $r (sort keys %addr) {
    push @q, ["$r/$_->[0]", $addr{$r}, $_->[1], $_->[2], $_->[3]] for @checks;
}
my $res = run_queries($dir, \@q);

my %matrix;
for my $r (sort keys %addr) {
    for my $c (@checks) {
        my ($id, $name, $type, $flags, $vexp, $nexp, $src) = @$c;
        my $got = $res->{"$r/$id"} // {status => 'NO-OUTPUT', flags => {}, answer => []};
        my ($exp, $why) = $nonvalidating{$r} ? ($nexp, $nonvalidating{$r})
                        : $lying{$r}         ? ({%$nexp, ad => 1}, $lying{$r})
                        :                      ($vexp, $src);
        if (my $k = $known{$r}{$id}) { ($exp, $why) = ($k->[0], "KNOWN $r: $k->[1]") }
        my @bad;
        push @bad, "status $got->{status}, expected $exp->{status}" if $got->{status} ne $exp->{status};
        if (defined $exp->{ad}) {
            my $ad = $got->{flags}{ad} ? 1 : 0;
            push @bad, 'AD ' . ($ad ? 'set' : 'clear') . ', expected ' . ($exp->{ad} ? 'set' : 'clear') if $ad != $exp->{ad};
        }
        if ($exp->{answer} && !grep { $_ eq $exp->{answer} } @{ $got->{answer} }) {
            push @bad, "no $exp->{answer} in the answer";
        }
        ok(!@bad, "$r: $id ($name $type $flags)") or diag("$r $id: " . join('; ', @bad) . " -- $why");
        $matrix{$r}{$id} = $got->{status} . ($got->{flags}{ad} ? '+AD' : '');
    }
}

# the observed matrix, for the record
my @ids = map { $_->[0] } @checks;
diag(sprintf '%-16s %s', 'check', join ' ', map { sprintf '%-14.14s', $_ } sort keys %addr);
for my $id (@ids) {
    diag(sprintf '%-16s %s', $id, join ' ', map { sprintf '%-14.14s', $matrix{$_}{$id} } sort keys %addr);
}

my (undef, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down') or diag($dout);
done_testing();
