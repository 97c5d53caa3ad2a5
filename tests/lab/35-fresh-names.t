#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
#
# Fresh names: a resolver whose authoritative servers went away must not come out ready from
# its cache. The cases that use {rand} ask names no earlier run asked, so with the child zones'
# server killed the probe cannot get their answers: the verdict is unknown, not ready.
# Also: the plan sends a query once however many cases ask it, and -v shows each query.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP;
use Lab qw(tp lab_up lab_down);

my $tp = tp();
my ($dir, undef, $up, $urc) = lab_up(resolvers => 'unbound');
BAIL_OUT("lab did not come up: $up") if $urc;
sub probe { my $o = qx{$tp --lab $dir @_ 2>&1}; return ($o, $? >> 8) }

my ($o, $rc) = probe('--format json 127.53.1.1');
my $warm = eval { decode_json($o) } or diag($o);
# with its upstream alive every case is answered; the only failures are the two forgeries
# Debian's unbound 1.17.1 lets through (tests/lab/45-attacks.t)
my @bad = map { "$_->{id}=$_->{status}" } grep { $_->{status} ne 'pass' && $_->{status} ne 'warn' }
          @{ $warm ? $warm->{resolvers}[0]{cases} : [] };
is_deeply(\@bad, ['denial.atk-c1-wildcard-nsec-as-insecure-ds-proof=fail', 'denial.atk-e3-revoked-key-signs=fail'],
          'with its upstream alive, unbound answers every case; only its two known forgeries fail');

($o, $rc) = probe('-v --color never 127.53.1.1');
$o =~ s/\n {10,}(?=\S)/ /g; # -v wraps the detail rows at 80 columns: join them again
my ($nx) = $o =~ /(?:^|\s)query (tp[a-z0-9]{10})\.alg13\.test\. A rd do; udp: NXDOMAIN/m;
ok($nx, '-v shows the fresh NXDOMAIN name that was asked') or diag($o);
like($o, qr/fwd: query tp[a-z0-9]{10}\.expired\.test\. A rd do; udp: SERVFAIL.* \| ctl: query tp[a-z0-9]{10}\.expired\.test\. A rd cd do; udp: NXDOMAIN/,
    '-v shows both queries of a case with a control, and their answers');
($o, $rc) = probe('-v --color never 127.53.1.1');
my ($nx2) = $o =~ /^\s+query (tp[a-z0-9]{10})\.alg13\.test\. A rd do/m;
isnt($nx2, $nx, 'the next run asks another name');

# the child zones' server goes away (the lab's own process, by its pid)
open my $st, '<', "$dir/lab.state" or die "$dir/lab.state: $!";
my ($pid) = map { /^daemon nsd-child (\d+) / ? $1 : () } <$st>;
close $st;
ok($pid && kill('TERM', $pid), "nsd-child ($pid) stopped");
select undef, undef, undef, 0.3;
($o, $rc) = probe('--format json -t 4 127.53.1.1');
my $j = eval { decode_json($o) } or diag($o);
my $r = $j ? $j->{resolvers}[0] : {};
isnt($r->{verdict}, 'ready', "with its upstream dead, unbound is not ready from its cache ($r->{verdict})");
isnt($rc, 0, "exit $rc: not 0");
my %st = map { $_->{id} => $_->{status} } @{ $r->{cases} || [] };
is($st{'denial.nxdomain-nsec3'}, 'skip', 'a fresh NXDOMAIN name under NSEC3 gets no answer');
is($st{'denial.expired-nxdomain'}, 'skip', 'and a bogus-denial case skips, never passes');

lab_down($dir);
done_testing();
