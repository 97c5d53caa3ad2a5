#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Independent validation (libunbound, probe/verify.c): every positive answer with AD is asked
# again through the same resolver and validated against the probe's own anchor. Secure data
# is marked secure; forged data that a resolver passes with AD is found bogus, and that is
# a failure whatever the case's rules said. Without an anchor nothing is verified.
# dnsmasq 2.90 answers the A4 forgery (a wildcard expanded below an existing name) with data
# and AD (tests/lab/45-attacks.t); the validator must find that answer bogus.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use JSON::PP;
use Test::More;
use Lab qw(tp lab_up);

my $tp = tp();
my ($dir, undef, $out, $rc) = lab_up(resolvers => 'unbound,dnsmasq');
is($rc, 0, 'lab up') or BAIL_OUT($out);
sub cases { my $j = decode_json(scalar qx{$tp --lab $dir --format json @_}); map { { map { $_->{id} => $_ } @{ $_->{cases} } } } @{ $j->{resolvers} } }
my ($u) = cases('127.53.1.1');
is($u->{'validation.ad-secure'}{verified}, 'secure', 'unbound: a secure answer is verified secure');
is($u->{'dane.tlsa'}{verified}, 'secure', 'unbound: the TLSA is verified secure');
ok(!exists $u->{'validation.bogus-sig'}{verified}, 'a SERVFAIL is not re-validated');
my ($d) = cases('127.53.1.5');
my $a4 = $d->{'denial.atk-a4-wildcard-under-existing-name'};
is($a4->{verified}, 'bogus', 'dnsmasq: the A4 forgery it passes with AD is found bogus');
like($a4->{reason}, qr/^AD set on data that the independent validator finds bogus \(validation failure <tp[a-z0-9]{10}\.b\.atk-a4\.test\. A IN>: wildcard proof failed/,
     'and the reason says so, with libunbound\'s why');
is($a4->{status}, 'fail', 'which fails the case');
my ($n) = do { my $j = decode_json(scalar qx{$tp lab exec --dir $dir -- $tp --format json --zone test. 127.53.1.1}); ($j->{resolvers}[0]) };
ok(!grep({ exists $_->{verified} } @{ $n->{cases} }), 'without --trust-anchor (and no lab) nothing is verified');
done_testing();
