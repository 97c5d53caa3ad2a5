#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Pointing one's own resolver build at a running lab: lab up writes a ready config per
# resolver family on the first spare address into D/spare/<family>/ and D/spare/README
# with the command lines. The Debian unbound, started exactly as the README says (with
# its own path), validates the lab's tree, and lab down stops it with the rest.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP;
use Time::HiRes qw(sleep time);
use POSIX qw(WNOHANG);
use Lab qw(tp lab_up lab_down lab_env run_queries);

my ($dir, undef, $out, $rc) = lab_up();
BAIL_OUT("lab did not come up: $out") if $rc != 0;
my %env = lab_env($dir);
my ($spare) = split ' ', $env{LAB_SPARE_ADDRS};
is($spare, '127.53.2.1', 'the first spare address is 127.53.2.1');

my $readme = do { local (@ARGV, $/) = "$dir/spare/README"; <> } // '';
for my $f (qw(unbound/unbound.conf bind/named.conf pdns-recursor/recursor.conf knot-resolver/kresd.conf dnsmasq/dnsmasq.conf)) {
    ok(-s "$dir/spare/$f", "lab up wrote spare/$f");
}
my ($cmdline) = $readme =~ m{^\s+(trustprobe lab exec --dir \Q$dir\E -- /path/to/unbound .*)$}m;
ok($cmdline, 'the README gives the unbound command line') or diag($readme);
my $o = qx{unbound-checkconf $dir/spare/unbound/unbound.conf 2>&1};
like($o, qr/no errors/, 'unbound-checkconf accepts the spare unbound config') or diag($o);

# start it as the README says, with the Debian binary for /path/to/unbound
my ($unbound) = grep { -x } map { "$_/unbound" } qw(/usr/local/sbin /usr/sbin /sbin);
(my $run = $cmdline // '') =~ s{ /path/to/unbound }{ $unbound };
my @argv = split ' ', $run;
$argv[0] = tp();
my $pid = fork // die;
if (!$pid) { open STDOUT, '>', "$dir/spare-unbound.out"; open STDERR, '>&', \*STDOUT; exec @argv; exit 127 }
my $q;
my $t0 = time;
while (time - $t0 < 10) {
    $q = run_queries($dir, [['up', $spare, '.', 'SOA', '+norec +tries=1 +timeout=1']]);
    last if $q->{up}{status} ne 'TIMEOUT';
    sleep 0.05;
}
$q = run_queries($dir, [['ad', $spare, 'www.alg13.test.', 'A', ''], ['bogus', $spare, 'www.bogus-sig.test.', 'A', '']]);
is($q->{ad}{status}, 'NOERROR', 'the spare unbound answers www.alg13.test') or diag(`cat $dir/spare-unbound.out`);
ok($q->{ad}{flags}{ad}, 'with the AD bit: it validates against the lab anchor');
is($q->{bogus}{status}, 'SERVFAIL', 'and refuses bogus data (SERVFAIL)');

# the packager's comparison: the attacks work against a resolver the user started on a lab
# address, and a copy of the Debian unbound falls to the same two as the lab's own unbound
my $atk = JSON::PP::decode_json(scalar qx{@{[tp()]} --lab $dir --case 'denial.atk-*' --format json $spare 127.53.1.1});
my ($mine, $labs) = @{ $atk->{resolvers} };
my %m = map { $_->{id} => $_->{status} } @{ $mine->{cases} };
my %l = map { $_->{id} => $_->{status} } @{ $labs->{cases} };
ok(keys(%m) >= 25, scalar(keys %m) . ' attacks run against the spare build');
is_deeply(\%m, \%l, 'each attack gives the spare build the result it gives the lab unbound');
is_deeply([sort grep { $m{$_} eq 'fail' } keys %m],
          ['denial.atk-c1-wildcard-nsec-as-insecure-ds-proof', 'denial.atk-e3-revoked-key-signs'],
          'the Debian unbound falls to C1 and E3 (tests/lab/45-attacks.t)');

my ($secs, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down') or diag($dout);
my ($gone, $t1) = (0, time);
while (!$gone && time - $t1 < 5) { $gone = waitpid($pid, WNOHANG) == $pid; sleep 0.02 unless $gone }
ok($gone, 'lab down stopped the spare unbound too');
kill 'KILL', $pid unless $gone;
done_testing();
