#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
#
# The attacker's ledger (probe/lab/proxy_ledger.h, probe/ledger.h): an attack case passes
# only when the forgery reached the resolver. The lab here runs a copy of the attack rules
# in which A1 (a {rand} name) and B3 (a fixed name) cannot be served: they first load a
# zone the proxy does not route, so the proxy drops the query, forges nothing and records
# nothing, and the resolver answers SERVFAIL after its timeouts. That SERVFAIL is what a
# correct validator answers to the forgery too: without the ledger both cases would pass,
# the non-validating control included. With it they skip, saying that the forgery never
# reached the resolver; A2, whose rule is intact, still passes for the validators (the
# ledger counts its forgery) and still fails for the non-validating control (the forgery
# gets through): the question was answerable, and the attack can get through.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use File::Temp qw(tempdir);
use JSON::PP;
use Test::More;
use Lab qw(tp lab_up lab_down lab_env run_queries procs_mentioning);

my $tp = tp();
my $tmp = tempdir(CLEANUP => 1);
my $vec = "$tmp/vectors";
system('cp', '-r', "$FindBin::Bin/../../testvectors", $vec) == 0 or die "cp: $?";
my $rules = do { local (@ARGV, $/) = "$vec/attacks"; <> };
for my $id (qw(A1 B3)) {
    # the rule first loads a zone the proxy does not route: the forgery is never made
    ok($rules =~ s/^(rule \Q$id\E\nmatch [^\n]+\n)/$1load gone nowhere.invalid.\n/m,
       "rule $id made unservable");
}
open my $fh, '>', "$vec/attacks" or die;
print $fh $rules;
close $fh;

my @res = qw(unbound pdns-recursor knot-resolver unbound-novalidate);
my ($dir, undef, $out, $rc) = lab_up(vectors => $vec, resolvers => join(',', @res));
is($rc, 0, 'lab up with the crippled attack rules') or BAIL_OUT($out);
my %env = lab_env($dir);
my %addr = map { split /=/, $_, 2 } split ' ', $env{LAB_RESOLVERS};

my $o = qx{$tp --lab $dir --vectors $vec --case 'denial.atk-a[12]-*' --format json @{[map { $addr{$_} } @res]}};
my $b3 = qx{$tp --lab $dir --vectors $vec --case 'denial.atk-b3-*' --format json @{[map { $addr{$_} } @res]}};
my ($j, $jb) = map { decode_json($_) } $o, $b3;
my %case;
for my $r (@{ $j->{resolvers} }, @{ $jb->{resolvers} }) {
    my ($name) = grep { $addr{$_} eq $r->{resolver} } keys %addr;
    for my $c (@{ $r->{cases} }) {
        my ($atk) = $c->{id} =~ /^denial\.atk-(\w+?)-/;
        $case{$name}{$atk} = $c;
    }
}
# Unbound and PowerDNS Recursor answer SERVFAIL within the probe's tries when their upstream
# stays silent; Knot Resolver and the non-validating unbound (more retries) may still be
# waiting when the probe gives up, a skip for no answer.
my %servfails = map { $_ => 1 } qw(unbound pdns-recursor);
for my $r (@res) {
    for my $atk (qw(a1 b3)) {
        my $c = $case{$r}{$atk};
        my $rule = uc $atk;
        is($c->{status}, 'skip', "$r: $atk skips: its forgery was never sent") or diag($c->{reason});
        next if !$servfails{$r} && $c->{reason} =~ /^no answer \(fwd\)/;
        like($c->{reason}, qr/^not judged: the forgery never reached the resolver \(attacker's ledger: rule $rule forged no reply for this resolver's address\)/,
             "$r: $atk: the reason says what the ledger said");
        # without the ledger this was a pass: the fwd answer is the SERVFAIL of a pass rule
        like($c->{reason}, qr/fwd: SERVFAIL/, "$r: $atk: the resolver answered SERVFAIL (the pass rule's answer)");
    }
    my $a2 = $case{$r}{a2};
    if ($r eq 'unbound-novalidate') {
        is($a2->{status}, 'fail', "$r: a2 fails: the forgery gets through the non-validating control");
    } else {
        is($a2->{status}, 'pass', "$r: a2 passes: its forgery was sent and refused") or diag($a2->{reason});
        like($a2->{reason}, qr/\[attacker's ledger: rule A2 forged [1-9]\d* repl(?:y|ies) for this resolver, the last [\d.]+ s ago\]/,
             "$r: a2: confirmed by the ledger");
    }
}
# a1 and b3 are essential: the verdict cannot be ready with them unmeasured
for my $r (@{ $j->{resolvers} }) {
    isnt($r->{verdict}, 'ready', "$r->{resolver}: not ready with an attack unmeasured");
}
# the proxy's own word: the drops, and the ledger's answers to each resolver's address
my $log = do { local (@ARGV, $/) = "$dir/log/proxy.log"; <> } // '';
like($log, qr/^proxy: rule A1 #\d+ \S+ \S+\.ax\.atk-a1\.test\. A: not served: fetch gone/m, 'the proxy logs the A1 query it could not serve');
unlike($log, qr/^proxy: forged A1 /m, 'and forged no A1 reply');
for my $r (sort keys %servfails) {
    like($log, qr/^proxy: ledger udp \Q$addr{$r}\E a1: trustprobe-ledger rule=A1 forged=0$/mi,
         "$r asked the ledger from its own address, which counts no A1 forgery");
    like($log, qr/^proxy: ledger udp \Q$addr{$r}\E a2: trustprobe-ledger rule=A2 forged=[1-9]/mi,
         "and A2's forgeries");
}

# the ledger zone as a resolver sees it: unsigned (no AD), the proxy's TXT with TTL 0, the
# minimised steps NODATA (never NXDOMAIN, which would cut the name off)
my $q = run_queries($dir, [
    ['txt', $addr{unbound}, "x$$.a2._ledger.test.", 'TXT', ''],
    ['step', $addr{unbound}, "a2._ledger.test.", 'A', ''],
    ['unknown', $addr{unbound}, "y$$.zz9._ledger.test.", 'TXT', ''],
    ['direct', $env{LAB_PROXY_ADDR}, "z$$.a2._ledger.test.", 'TXT', '+norec'],
]);
is($q->{txt}{status}, 'NOERROR', 'the ledger answers through the resolver');
ok(!$q->{txt}{flags}{ad}, 'unsigned: no AD');
like($q->{txt}{raw}, qr/\s0\s+IN\s+TXT\s+"trustprobe-ledger rule=A2 forged=[1-9]\d* age=[\d.]+"/, 'TTL 0, the count for the resolver');
is($q->{step}{status}, 'NOERROR', 'a minimised step gets NODATA');
like($q->{unknown}{raw}, qr/"trustprobe-ledger rule=\? unknown"/, 'a rule it does not have: unknown');
like($q->{direct}{raw}, qr/"trustprobe-ledger rule=A2 forged=0"/, 'asked from another address (the lab holder\'s): none for it');

my (undef, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down');
is_deeply([procs_mentioning($dir)], [], 'no proxy or daemon left');
done_testing();
