#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# A fleet: 'trustprobe --targets FILE' over 256 lab resolvers (lab up --fleet 256: one
# unbound on 256 addresses) and three others (the non-validating unbound, a closed port, a
# name), under one deadline: every target reported once, on its line, with the verdict its
# resolver earns (the fleet as the lab's unbound, the others as themselves); the JSON, the
# Prometheus exposition (promtool) and the plugin cover all of them; the table ends with
# the totals; a deadline too short for all leaves the rest "not probed", never wrong; a
# low open-files limit shrinks the pool instead of failing queries; the progress bar
# shows on a terminal only. Correctness only: bench/fleet.sh measures the time.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP;
use File::Temp qw(tempdir);
use Lab qw(tp lab_up lab_down lab_env fd_reserve probe_slow);

my $tp = tp();
# A slowed probe (valgrind: each target's validation some 50 times slower) gets a fleet of
# 16 and a minute for it: the code paths are the same, only the count is smaller.
my $n = probe_slow() ? 16 : 256;
my $tflag = probe_slow() ? '-t 60' : '';
my $short = probe_slow() ? 12 : 1.5; # the deadline too short for all
my ($dir, undef, $up, $urc) = lab_up(resolvers => 'unbound,unbound-novalidate', fleet => $n);
BAIL_OUT("lab did not come up: $up") if $urc;
my %env = lab_env($dir);
is($env{LAB_FLEET_N}, $n, "lab.env: LAB_FLEET_N=$n");
my @members = do { open my $fh, '<', $env{LAB_FLEET_TARGETS} or die "$env{LAB_FLEET_TARGETS}: $!"; <$fh> };
is(scalar @members, $n, "$env{LAB_FLEET_TARGETS} lists $n addresses");
like($members[0], qr/^127\.54\.0\.1 fleet-1$/, 'the first is 127.54.0.1');

# the targets file: the fleet, a comment, a blank line, the control, a closed port
my $t = tempdir('tp-fleet-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $file = "$t/targets";
open my $fh, '>', $file or die;
print $fh "# the fleet of the lab\n", @members, "\n127.53.1.6 control # iterator only\n127.53.2.2\n";
close $fh;
my $total = $n + 2;
my %expect_line = ((map { (split ' ', $members[$_])[0] => $_ + 2 } 0 .. $n - 1),
                   '127.53.1.6' => $n + 3, '127.53.2.2' => $n + 4);
sub run { my $o = qx{@_ 2>/dev/null}; return ($o, $? >> 8) }

# ---- JSON: every target once, on its line, with its verdict ----
my ($o, $rc) = run("$tp --lab $dir --targets $file $tflag --format json");
is($rc, 1, 'exit 1: some resolver is not ready');
my $j = eval { decode_json($o) } or diag("not JSON: " . substr($o, 0, 300));
my @r = @{ $j->{resolvers} || [] };
is(scalar @r, $total, "every one of the $total targets is reported");
my %seen;
$seen{ $_->{resolver} }++ for @r;
is(scalar(grep { $seen{$_} != 1 } keys %expect_line), 0, 'each exactly once');
is(scalar(grep { ($_->{line} // 0) != ($expect_line{ $_->{resolver} } // -1) } @r), 0, 'each with its line in the file');
my @fleet = grep { $_->{resolver} =~ /^127\.54\./ } @r;
my %by = map { $_->{resolver} => $_ } @r;
is(scalar(grep { $_->{verdict} ne 'not-ready' || $_->{groups}{validation} ne 'pass' || $_->{groups}{denial} ne 'fail' } @fleet), 0,
   'every fleet member judged as the lab\'s unbound: validates, lets forgeries through, not-ready')
    or diag(join "\n", map { "$_->{resolver}: $_->{verdict} " . encode_json($_->{groups}) } grep { $_->{groups}{validation} ne 'pass' } @fleet);
is(scalar(grep { !grep { $_->{id} eq 'denial.atk-e3-revoked-key-signs' && $_->{status} eq 'fail' } @{ $_->{cases} } } @fleet), 0,
   'each of them fails E3, as unbound 1.17.1 does');
is($by{'127.53.1.6'}{verdict}, 'not-ready', 'the control: not-ready');
is($by{'127.53.1.6'}{groups}{validation}, 'fail', 'validation off');
is($by{'127.53.1.6'}{name}, 'control', 'named as the file names it');
is($by{'127.53.1.6'}{family}{how}, 'lab', 'and known as the lab instance at its address');
is($by{'127.53.2.2'}{verdict}, 'unknown', 'the closed port: unknown');
like($by{'127.53.2.2'}{note} // '', qr/no answer from the resolver: port unreachable/, 'no answer');
is_deeply($j->{summary}, {resolvers => $total, ready => 0, not_ready => $total - 1, unknown => 1, not_probed => 0}, 'the summary counts them');
ok(!exists $fleet[0]{cases}[0]{observations}, 'without -v the stream leaves out the observations');
is($j->{targets}, $file, 'and names the file');

# ---- the table, and the exit of each format ----
($o, $rc) = run("$tp --lab $dir --targets $file $tflag --color never");
my @rows = grep { /^127\./ } split /\n/, $o;
is(scalar @rows, $total, 'the table: a row per target');
like($rows[0], qr/^127\.54\.0\.1 \(fleet-1\)\s+pass\s+pass\s+fail\s+\S+\s+pass\s+pass\s+not-ready\s+\S+\s+forgeries /, 'in file order, with its name');
like($o, qr/\n$total resolvers: 0 ready, ${\($total - 1)} not ready, 1 unknown \(0 not probed\) in [\d.]+ s\n\z/, 'and the totals');

# ---- Prometheus over all of them ----
SKIP: {
    skip 'promtool not installed (apt-get install prometheus)', 3 unless qx{sh -c 'command -v promtool'};
    ($o, $rc) = run("$tp --lab $dir --targets $file $tflag --format prometheus");
    open my $p, '>', "$t/fleet.prom" or die;
    print $p $o;
    close $p;
    my $lint = qx{promtool check metrics < $t/fleet.prom 2>&1};
    is($? >> 8, 0, 'promtool check metrics accepts the fleet\'s exposition') or diag($lint);
    is(scalar(() = $o =~ /^trustprobe_verdict\{/mg), $total, 'a verdict per target');
    like($o, qr/^trustprobe_resolvers $total$/m, 'and their number');
}

# ---- the plugin over a fleet ----
($o, $rc) = run("$tp --lab $dir --targets $file $tflag --format nagios");
is($rc, 2, 'plugin: CRITICAL');
like($o, qr/\ATRUSTPROBE CRITICAL - $total of $total resolvers not OK: /, 'counting them');
is(scalar(() = $o =~ / '127\.[\d.]+ duration'=/g), $total, 'perfdata: one set per target');

# ---- one deadline: what it leaves out is not probed, never wrong ----
($o, $rc) = run("$tp --lab $dir --targets $file --format json -t $short --parallel 2");
$j = eval { decode_json($o) } || {};
@r = @{ $j->{resolvers} || [] };
is(scalar @r, $total, 'under a short deadline every target is still reported');
my @np = grep { ($_->{note} // '') =~ /^not probed: the run's deadline \(-t\) came before its turn/ } @r;
ok(@np > 0 && @np < $total, scalar(@np) . ' not probed, the others judged');
is(scalar(grep { $_->{verdict} ne 'unknown' } @np), 0, 'those are unknown');
is($j->{summary}{not_probed}, scalar @np, 'and counted');
my @judged = grep { $_->{resolver} =~ /^127\.54\./ && ($_->{note} // '') !~ /^not probed/ } @r;
is(scalar(grep { $_->{verdict} ne 'not-ready' } @judged), 0, 'the fleet members that were probed: not-ready, as before');
($o, $rc) = run("$tp --lab $dir --targets $file --format nagios -t $short --parallel 2");
my $perf = () = $o =~ / '127\.[\d.]+ duration'=/g;
ok($perf > 0 && $perf < $total, "plugin: perfdata for the $perf probed, none for the others");

# ---- a low open-files limit: fewer at once, nothing unsent ----
($o, $rc) = run("sh -c 'ulimit -n @{[256 + fd_reserve()]}; exec $tp --lab $dir --targets $file $tflag --format json'");
$j = eval { decode_json($o) } || {};
@r = @{ $j->{resolvers} || [] };
is(scalar @r, $total, 'under ulimit -n 256: every target reported');
is(scalar(grep { ($_->{note} // '') =~ /local reason|not run|independent validation was not run/ } @r), 0,
   'no query left unsent for a local reason: the pool shrank to fit');
is(scalar(grep { $_->{verdict} eq 'not-ready' } @r), $total - 1, 'and the verdicts are the same');

# ---- the progress bar: on a terminal only ----
SKIP: {
    skip 'script (util-linux) not installed', 2 unless qx{sh -c 'command -v script'};
    my $tty = qx{script -qec '$tp --lab $dir --targets $file --format json >/dev/null' /dev/null};
    like($tty, qr/\[[#.]{30}\] \d+\/$total resolvers, \d+ not ready, \d+ unknown, [\d.]+ s/, 'on a terminal: a progress bar on stderr');
    ($o) = run("$tp --lab $dir --targets $file --format json 2>&1 >/dev/null");
    unlike($o, qr/\[[#.]{30}\]/, 'not on a pipe');
}

# ---- bad files ----
open $fh, '>', "$t/bad" or die;
print $fh "127.0.0.1\nmail.example.org\n";
close $fh;
$o = qx{$tp --lab $dir --targets $t/bad 2>&1};
$rc = $? >> 8;
is($rc, 2, 'a host name in the file: exit 2');
like($o, qr/\Q$t\E\/bad:2: "mail\.example\.org": not an IP address \(host names are not resolved\)/, 'naming the file and the line');
my (undef, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down') or diag($dout);
done_testing();
