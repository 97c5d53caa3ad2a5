#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Lab lifecycle: up, status, lab.env, addresses confined to the namespace, refusal to start
# twice, down leaving nothing behind, interruption and a startup timeout tearing down.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Copy qw(copy);
use Time::HiRes qw(sleep time);
use Lab qw(tp lab_up lab_down lab_env run_queries lab_pids_alive procs_mentioning);

my ($dir, $secs, $out, $rc) = lab_up();
is($rc, 0, 'lab up exits 0') or diag($out);
like($out, qr/^lab up: \d+ daemons answering in [\d.]+ s/m, 'lab up says how many daemons and how long');
diag(sprintf 'lab up wall time: %.2f s (target < 1.5 s)', $secs);
BAIL_OUT("lab did not come up: $out") if $rc != 0;

my %env = lab_env($dir);
for my $k (qw(LAB_ZONE LAB_ROOT_HINTS LAB_TA_DS LAB_TA_DNSKEY LAB_AUTH_ADDRS LAB_RESOLVERS LAB_SPARE_ADDRS)) {
    ok(defined $env{$k} && length $env{$k}, "lab.env has $k");
}
is($env{LAB_ZONE}, 'test.', 'lab zone is test.');
ok(-s $env{$_}, "$_ names a non-empty file") for qw(LAB_ROOT_HINTS LAB_TA_DS LAB_TA_DNSKEY);
my @res = map { (split /=/)[0] } split ' ', $env{LAB_RESOLVERS};
is_deeply([sort @res], [sort qw(unbound bind pdns-recursor knot-resolver dnsmasq unbound-novalidate dnsmasq-proxy
                              liar fwd-dnsmasq-proxy fwd-dnsmasq fwd-unbound fwd-bind fwd-pdns-recursor)],
    'every resolver instance is listed');

my $status = qx{@{[tp()]} lab status --dir $dir 2>&1};
is($? >> 8, 0, 'lab status exits 0 while everything runs') or diag($status);
for my $n (@res, qw(nsd-root nsd-tld nsd-child nsd-grandchild)) {
    like($status, qr/^\Q$n\E\s+\d+\s+\S+\s+running$/m, "status shows $n running");
}

# the spare addresses are on the namespace loopback, and no lab address is on the host
my $addrs = qx{@{[tp()]} lab exec --dir $dir -- ip -o -4 addr show dev lo 2>&1};
like($addrs, qr/\b\Q$_\E\/32\b/, "spare address $_ is on the lab loopback") for split ' ', $env{LAB_SPARE_ADDRS};
my $host = qx{ip -o -4 addr show 2>&1};
unlike($host, qr/127\.53\./, 'no lab address exists in the host namespace');
my $host_listen = qx{cat /proc/net/udp /proc/net/tcp 2>/dev/null};
# 127.53.x.y in /proc/net hex (little-endian): ..357F
unlike($host_listen, qr/:[0-9A-F]{4}357F:0035 /i, 'nothing listens on a lab address in the host namespace');

# exec exports lab.env and runs inside the namespace
my $q = run_queries($dir, [['soa', '127.53.0.1', '.', 'SOA', '+norec']]);
is($q->{soa}{status}, 'NOERROR', 'the lab root server answers inside the namespace');
ok($q->{soa}{flags}{aa}, 'with the AA flag');
my $envout = qx{@{[tp()]} lab exec --dir $dir -- sh -c 'echo "\$LAB_ZONE"' 2>&1};
is($envout, "test.\n", 'lab exec exports the lab.env variables');
my $ex = system(tp(), 'lab', 'exec', '--dir', $dir, '--', 'sh', '-c', 'exit 7') >> 8;
is($ex, 7, 'lab exec returns the command\'s exit status');

# a second up in the same directory is refused, and leaves the running lab alone
my (undef, undef, $out2, $rc2) = lab_up(dir => $dir);
is($rc2, 2, 'a second lab up in the same directory exits 2');
like($out2, qr/already running in .*lab down/, 'and says a lab is running and how to stop it');
is(scalar(() = $out2 =~ /\n/g), 1, 'in one line');

# nsd makes an nsd-xfr-PID directory in its xfrdir (Debian's default /tmp), and leaves it
# when it is killed: the lab's are in each server's own directory, none in /tmp
my %nsd_pid = do {
    open my $fh, '<', "$dir/lab.state" or die;
    map { /^daemon (nsd-\S+) (\d+)/ ? ($1 => $2) : () } <$fh>;
};
is(scalar keys %nsd_pid, 4, 'the lab runs four nsd');
is_deeply([grep { !-d "$dir/$_/nsd-xfr-$nsd_pid{$_}" } sort keys %nsd_pid], [],
          'each keeps its nsd-xfr directory in its own directory');
# (one older than this test is another process's of the same PID, PIDs being reused: an
# nsd of a lab from before this fix, which left it there)
is_deeply([grep { my $m = (stat "/tmp/nsd-xfr-$_")[9]; defined $m && $m >= $^T } values %nsd_pid], [],
          'none has one in /tmp');

copy("$dir/lab.state", "$dir/state.copy");
my ($dsecs, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down exits 0') or diag($dout);
diag(sprintf 'lab down wall time: %.2f s (target < 1 s)', $dsecs);
like($dout, qr/needed SIGKILL\)/, 'lab down reports what it stopped');
like($dout, qr/\(0 needed SIGKILL\)/, 'every daemon stopped on SIGTERM') or diag($dout);
is_deeply([lab_pids_alive("$dir/state.copy")], [], 'no lab process is left after lab down');
is_deeply([procs_mentioning($dir)], [], 'no process mentions the lab directory');
my $st2 = qx{@{[tp()]} lab status --dir $dir 2>&1};
is($? >> 8, 2, 'lab status after down exits 2');
like($st2, qr/no lab is running/, 'and says no lab is running');
my (undef, $dout2, $drc2) = lab_down($dir);
is($drc2, 0, 'a second lab down is a harmless no-op');
like($dout2, qr/nothing was running/, 'and says so');

# SIGINT during startup stops everything it had started
{
    my $d2 = File::Temp::tempdir('tp-lab-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my $pid = fork // die;
    if (!$pid) { open STDOUT, '>', '/dev/null'; open STDERR, '>', "$d2/up.err"; exec tp(), 'lab', 'up', '--dir', $d2; exit 127 }
    # wait until daemons were spawned (lab.state appears), then interrupt
    my $t0 = time;
    sleep 0.02 until -e "$d2/lab.state" || time - $t0 > 10;
    kill 'INT', $pid;
    waitpid $pid, 0;
    my $irc = $? >> 8;
    ok($irc == 130 || $irc == 0, "interrupted lab up exits 130 (or 0 if it had already finished): $irc");
    lab_down($d2) if $irc == 0;
    sleep 0.1;
    is_deeply([procs_mentioning($d2)], [], 'after SIGINT no lab process is left');
}

# a daemon that does not answer in time: one-line error naming it and its log, full teardown
{
    my ($d3, undef, $o3, $rc3) = lab_up(timeout => '0.001');
    is($rc3, 2, 'lab up with a too-short timeout exits 2');
    like($o3, qr/^trustprobe lab up: \S+ did not answer on [\d.]+ within .*\[log: \S+\.log\]$/m,
        'the error names the daemon, its address and its log');
    is(scalar(() = $o3 =~ /\n/g), 1, 'in one line');
    ok(!-e "$d3/lab.state", 'no lab state is left behind');
    is_deeply([procs_mentioning($d3)], [], 'and no process of it is left');
}

# a holder killed from outside: the next lab up in that directory stops its orphans
{
    my ($d5, undef, $o5, $rc5) = lab_up();
    is($rc5, 0, 'a lab for the orphan test comes up') or diag($o5);
    copy("$d5/lab.state", "$d5/old.state");
    my ($holder) = do { local (@ARGV, $/) = "$d5/old.state"; <> } =~ /^holder (\d+)/m;
    kill 'KILL', $holder;
    sleep 0.2;
    my (undef, undef, $o6, $rc6) = lab_up(dir => $d5);
    is($rc6, 0, 'lab up again after the holder was killed') or diag($o6);
    is_deeply([grep { !/^holder/ } lab_pids_alive("$d5/old.state")], [],
        'the daemons the dead holder left behind were stopped');
    lab_down($d5);
    is_deeply([procs_mentioning($d5)], [], 'and nothing is left after down');
}

# a holder killed from outside: lab status says so (exit 3) and lab down stops the rest
{
    my ($d7, undef, $o7, $rc7) = lab_up();
    is($rc7, 0, 'a lab for the dead-holder status test comes up') or diag($o7);
    copy("$d7/lab.state", "$d7/old.state");
    my ($holder) = do { local (@ARGV, $/) = "$d7/old.state"; <> } =~ /^holder (\d+)/m;
    my $n = () = do { local (@ARGV, $/) = "$d7/old.state"; <> } =~ /^daemon /mg;
    kill 'KILL', $holder;
    sleep 0.1 while grep { /^holder/ } lab_pids_alive("$d7/old.state");
    my $so = qx{@{[tp()]} lab status --dir $d7 2>&1};
    is($? >> 8, 3, 'lab status with the holder gone and daemons running exits 3') or diag($so);
    like($so, qr/^trustprobe lab status: the lab's holder \(pid $holder\) is gone but $n daemons of the lab still run; stop them with 'trustprobe lab down --dir \Q$d7\E'$/m,
        'and says the holder is gone, how many daemons still run and how to stop them') or diag($so);
    unlike($so, qr/no lab is running/, 'not that no lab is running');
    like($so, qr/^holder\s+$holder\s+-\s+gone$/m, 'the table shows the holder gone');
    my (undef, $dout, $drc) = lab_down($d7);
    is($drc, 0, 'lab down after the holder died exits 0') or diag($dout);
    like($dout, qr/^lab down: stopped $n processes/, 'and stops the daemons the holder left') or diag($dout);
    is_deeply([lab_pids_alive("$d7/old.state")], [], 'no daemon of that lab is left');
    my $s2 = qx{@{[tp()]} lab status --dir $d7 2>&1};
    is($? >> 8, 2, 'lab status then exits 2');
    like($s2, qr/no lab is running/, 'and says no lab is running');
}

# a hostile lab.state (naming the caller's own namespace) makes lab down refuse, not kill;
# run inside a throwaway namespace so that a regression could only hurt that namespace
{
    my $o = qx{unshare -rn sh $FindBin::Bin/lib/hostile-state.sh @{[tp()]} 2>&1};
    like($o, qr/^rc=2 alive=yes out=.*refusing to stop anything/m,
        'lab down refuses a lab.state that names a non-lab namespace, and kills nothing') or diag($o);
}

# a lab directory that belongs to someone else is refused (needs root to make one)
SKIP: {
    skip 'needs root to give a directory away', 2 if $> != 0;
    my $d6 = File::Temp::tempdir('tp-lab-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    chown 65534, 65534, $d6 or skip "chown: $!", 2;
    my (undef, undef, $o7, $rc7) = lab_up(dir => $d6);
    is($rc7, 2, 'lab up in a directory owned by another user exits 2');
    like($o7, qr/refusing lab directory: .*not a private file of this user/, 'and says why');
}

# bad input
{
    my $o = qx{@{[tp()]} lab up --resolvers nosuch --dir /tmp/tp-never 2>&1};
    is($? >> 8, 2, 'an unknown resolver name exits 2');
    like($o, qr/unknown resolver 'nosuch' \(known: .*unbound/, 'and lists the known names');
    $o = qx{@{[tp()]} lab frobnicate 2>&1};
    is($? >> 8, 2, 'an unknown lab subcommand exits 2');
    $o = qx{TRUSTPROBE_VECTORS=/nonexistent @{[tp()]} lab up --dir /tmp/tp-never 2>&1};
    is($? >> 8, 2, 'missing test vectors exit 2');
    like($o, qr/test vectors not found/, 'and say so');
}

done_testing();
