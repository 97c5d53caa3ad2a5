#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# 'trustprobe lab up --dir D' killed at 50 random points (issue 15): SIGINT and SIGTERM
# in turn, to the process or to its whole process group (Ctrl-C), at a random time across
# the duration of a lab up (half of them while it signs, half while the daemons start;
# a small set of test vectors, all ECDSA, keeps signing short),
# with a different choice of resolvers each time, so that every kind of daemon is being
# started when a signal comes: nsd, the attacker proxy, unbound, named, pdns_recursor,
# kresd, dnsmasq, the lying and the hostile resolver, one under datefudge, the fleet's
# unbound and, as root, Postfix's master. After each: exit 130 (or 0 when the signal came
# too late: then 'lab down' must clean up), no lab.state, and nothing left: no process
# (this test is a child subreaper, so every orphan of the lab becomes its child and is
# seen whatever its command line), none in the lab's namespace, no mount of D. Then
# starts that fail (a daemon's config with a syntax error, one that never answers) leave
# nothing behind either. SIGKILL of 'lab up' itself (a few more points): while the daemons
# start, the holder gets SIGTERM from the kernel (PR_SET_PDEATHSIG) and stops them; once
# it reported the lab up, the lab stays up and 'lab down' stops it.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw(tempdir);
use Time::HiRes qw(sleep time);
use POSIX qw(WNOHANG);
use Lab qw(tp procs_mentioning);

my $tp = tp();
require 'syscall.ph';
my $subreaper = syscall(&SYS_prctl, 36, 1, 0, 0, 0) == 0; # PR_SET_CHILD_SUBREAPER
ok($subreaper, 'this test is a child subreaper: orphans of the lab become its children');
sub my_children;
{   # the check sees an orphan: sh leaves a sleep behind, which becomes ours
    system('sh', '-c', 'sleep 30 & exit 0');
    my @c;
    for (1 .. 100) { last if @c = grep { / sleep 30/ } my_children(); sleep 0.01 }
    is(scalar @c, 1, 'an orphan of a child is seen as a leftover');
    for (@c) { my ($p) = split; kill 'KILL', $p; waitpid $p, 0 }
}

my $tmp = tempdir('tp-kill-XXXXXX', TMPDIR => 1, CLEANUP => 1);

# A small copy of the test vectors, so that 50 lab ups fit in a minute: the root, test.,
# a child, a grandchild and attack zones behind the proxy (every nsd and the proxy still
# run), all ECDSA (RSA key generation is most of the signing time of the full set).
my $vec = "$tmp/vectors";
{
    my $src = "$FindBin::Bin/../../testvectors";
    mkdir $vec or die;
    symlink("$src/zones", "$vec/zones") or die;
    open my $in, '<', "$src/manifest" or die;
    open my $out, '>', "$vec/manifest" or die;
    while (<$in>) {
        next unless /^(lab-zone|version) / || /^zone (\.|test\.|alg13\.test\.|atk-a1\.test\.|atk-b1\.test\.|c\.atk-b1\.test\.) /;
        s/\balg=8\b/alg=13/;
        print $out $_;
    }
    close $out;
    open $in, '<', "$src/attacks" or die;
    open $out, '>', "$vec/attacks" or die;
    my $keep = 0;
    while (<$in>) {
        $keep = /^rule A1/ if /^rule /;
        print $out $_ if $keep;
    }
    close $out;
}
my @sel = (
    ['unbound'], ['bind'], ['pdns-recursor'], ['knot-resolver'], ['dnsmasq'],
    ['fwd-bind'],                     # the liar (lab proxy --resolver) and what it relays to
    ['mis-knot-clock-ahead'],         # a daemon under datefudge
    ['hostile-tcp-hang'],             # a hostile resolver
    ['unbound', '--fleet', '8'],      # the fleet's unbound
    ['unbound,bind,pdns-recursor,knot-resolver,dnsmasq'],
);

# children of this process other than those given (orphans reparented to it)
sub my_children {
    my %skip = map { $_ => 1 } @_;
    my @c;
    opendir my $dh, '/proc' or return;
    for my $pid (grep { /^\d+$/ } readdir $dh) {
        open my $fh, '<', "/proc/$pid/stat" or next;
        my $s = <$fh> // '';
        next unless $s =~ /\) (\S) (\d+) /;
        next if $1 eq 'Z' && !$skip{$pid} && waitpid($pid, WNOHANG) == $pid; # reaped now
        push @c, "$pid " . cmdline($pid) if $2 == $$ && !$skip{$pid};
    }
    return @c;
}
sub cmdline { my ($p) = @_; open my $fh, '<', "/proc/$p/cmdline" or return '?'; local $/; my $c = <$fh> // ''; $c =~ tr/\0/ /; $c }
# processes in the network namespace of inode ns
sub in_netns {
    my ($ns) = @_;
    return () unless $ns;
    my @p;
    opendir my $dh, '/proc' or return;
    for my $pid (grep { /^\d+$/ } readdir $dh) {
        my $l = readlink("/proc/$pid/ns/net") // next;
        push @p, "$pid " . cmdline($pid) if $l eq "net:[$ns]";
    }
    return @p;
}
sub mounts_of {
    my ($d) = @_;
    open my $fh, '<', '/proc/self/mountinfo' or return;
    return grep { index($_, $d) >= 0 } <$fh>;
}
sub netns_of_state {
    my ($d) = @_;
    open my $fh, '<', "$d/lab.state" or return;
    while (<$fh>) { return $1 if /^netns (\d+)/ }
    return;
}
sub lab_up_cmd {
    my ($d, @s) = @_;
    my @a = ($tp, 'lab', 'up', '--dir', $d, '--vectors', $vec, '--resolvers', shift @s, @s);
    return @a;
}

# ---- calibration: how long each choice takes to come up (signing, then the daemons) ----
my (@t_sign, @t_up);
for my $i (0 .. $#sel) {
    my $d = "$tmp/cal$i";
    my $t0 = time;
    my $o = qx{@{[join ' ', map { quotemeta } lab_up_cmd($d, @{ $sel[$i] })]} 2>&1};
    my $rc = $? >> 8;
    my $t = time - $t0;
    system("$tp lab down --dir $d >/dev/null") == 0 or diag("lab down $d failed");
    if ($rc != 0) {
        diag("lab up --resolvers @{ $sel[$i] } failed ($rc): $o");
        $t_up[$i] = 0;
        next;
    }
    ($t_sign[$i]) = $o =~ /signing and configs ([\d.]+) s/;
    $t_sign[$i] //= $t / 2;
    $t_up[$i] = $t;
    diag(sprintf 'lab up --resolvers %s: %.2f s (signing %.2f s)', "@{ $sel[$i] }", $t, $t_sign[$i]);
}
is_deeply([my_children()], [], 'calibration runs left no process');

diag(sprintf '%s: done at %.1f s', 'calibration', time - $^T);
# ---- 50 signals at random points ----
srand($ENV{TP_KILL_SEED} // time);
my %phase;
my ($slowest, $slowest_what) = (0, ""); # the longest time from the signal to the exit of lab up
my @variants = (['INT', 1], ['TERM', 0], ['INT', 0], ['TERM', 1]); # [signal, to the group]
for my $k (0 .. 49) {
    my $i = $k % @sel;
    next unless $t_up[$i];
    my ($sig, $group) = @{ $variants[$k % @variants] };
    # half while signing, half while the daemons start (and a little after)
    my $at = $k % 2 ? rand($t_sign[$i]) : $t_sign[$i] + rand($t_up[$i] - $t_sign[$i] + 0.05);
    my $d = "$tmp/k$k";
    my $what = sprintf '#%d SIG%s%s at %.2f s, --resolvers %s', $k, $sig, $group ? ' to the group' : '',
        $at, "@{ $sel[$i] }";
    # the clock starts once lab up runs: the pipe closes on exec (Perl's are close-on-exec)
    pipe(my $r, my $w) or die;
    my $pid = fork // die;
    if (!$pid) {
        close $r;
        $SIG{$_} = 'DEFAULT' for qw(INT TERM HUP); # not Lab.pm's, which would exit 1
        setpgrp(0, 0);
        open STDOUT, '>', "$tmp/k$k.out";
        open STDERR, '>&', \*STDOUT;
        { exec lab_up_cmd($d, @{ $sel[$i] }) }
        POSIX::_exit(127);
    }
    close $w;
    my $eof = <$r>;
    close $r;
    my $t0 = time;
    my $ns;
    my $done = 0;
    while (time - $t0 < $at) {
        $ns //= netns_of_state($d);
        last if ($done = waitpid($pid, WNOHANG) == $pid);
        sleep 0.002;
    }
    my $rc;
    if ($done) {
        $phase{'up before the signal'}++;
    } else {
        $ns //= netns_of_state($d);
        # the holder's log appears when it is forked, after signing and the configs
        $phase{-e "$d/log/holder.log" ? 'daemons starting' : 'signing'}++;
        kill $sig, $group ? -$pid : $pid;
        my $t1 = time;
        my $end = time + 15;
        sleep 0.005 while waitpid($pid, WNOHANG) != $pid && time < $end;
        ($slowest, $slowest_what) = (time - $t1, $what) if time - $t1 > $slowest;
        if (kill 0, $pid) {
            fail("$what: lab up did not exit within 15 s");
            kill 'KILL', $pid;
            waitpid $pid, 0;
        }
    }
    my $status = $?;
    $rc = $? >> 8;
    my $o = do { local (@ARGV, $/) = "$tmp/k$k.out"; <> } // '';
    if (($status & 127) == ($sig eq "INT" ? POSIX::SIGINT() : POSIX::SIGTERM())) {
        # it had not yet installed its handler: nothing was started (checked below)
        $phase{'before its handler'}++;
        pass("$what: killed by the signal before it started anything");
    } elsif ($rc == 0) { # it came up before the signal: lab down must stop everything
        $ns //= netns_of_state($d);
        my $dn = qx{$tp lab down --dir $d 2>&1};
        is($? >> 8, 0, "$what: came up first; lab down") or diag($dn);
    } else {
        is($rc, 130, "$what: exit 130") or diag($o);
        like($o, qr/interrupted by signal/, "$what: it says it was interrupted") or diag($o);
        ok(!-e "$d/lab.state", "$what: no lab.state is left");
    }
    my @left = my_children();
    # give a process on its way out a moment
    for (1 .. 50) { last unless @left; sleep 0.01; @left = my_children() }
    is_deeply(\@left, [], "$what: no process is left") or diag($o);
    is_deeply([in_netns($ns)], [], "$what: none in the lab's namespace") if $ns;
    is_deeply([procs_mentioning($d)], [], "$what: none mentions D");
    is_deeply([mounts_of($d)], [], "$what: no mount of D");
    # lab down after an interrupted up finds nothing to stop, and says so cleanly
    my $dn = qx{$tp lab down --dir $d 2>&1};
    is($? >> 8, 0, "$what: lab down afterwards exits 0") or diag($dn);
    for (@left) { my ($p) = split; kill 'KILL', $p }
}
diag(join ', ', map { "$_: $phase{$_}" } sort keys %phase);
diag(sprintf "lab up exited at most %.2f s after the signal (%s)", $slowest, $slowest_what);
ok(($phase{'daemons starting'} // 0) >= 10, 'at least 10 signals came while the daemons started');
# signing the small vectors takes some 50 ms, and a loaded machine moves the points: of the
# 25 aimed at it 7 landed there in one CI run (the rest after it, with the daemons); 5 is
# enough to say the phase was hit, this assertion is about the test's own aim
ok(($phase{signing} // 0) >= 5, 'at least 5 came while it signed');

diag(sprintf '%s: done at %.1f s', '50 signals', time - $^T);
# ---- SIGKILL of lab up: nobody is left to clean up but the holder ----
for my $k (0 .. 5) {
    my $i = $k % @sel;
    next unless $t_up[$i];
    my $at = $t_sign[$i] + rand($t_up[$i] - $t_sign[$i]);
    my $d = "$tmp/kill9-$k";
    my $what = sprintf 'SIGKILL #%d at %.2f s, --resolvers %s', $k, $at, "@{ $sel[$i] }";
    pipe(my $r, my $w) or die;
    my $pid = fork // die;
    if (!$pid) {
        close $r;
        open STDOUT, '>', '/dev/null';
        open STDERR, '>&', \*STDOUT;
        { exec lab_up_cmd($d, @{ $sel[$i] }) }
        POSIX::_exit(127);
    }
    close $w;
    my $eof = <$r>;
    sleep $at;
    kill 'KILL', $pid;
    waitpid $pid, 0;
    my $ns = netns_of_state($d);
    my @left = my_children();
    for (1 .. 600) { last unless @left; sleep 0.01; @left = my_children() }
    if (@left) { # the holder had reported the lab up: it is up
        is(system("$tp lab status --dir $d >/dev/null 2>&1") >> 8, 0, "$what: the lab was up: lab status says so");
        my $dn = qx{$tp lab down --dir $d 2>&1};
        is($? >> 8, 0, "$what: lab down") or diag($dn);
        for (1 .. 300) { last unless @left = my_children(); sleep 0.01 }
        $phase{'SIGKILL after up'}++;
    } else {
        $phase{'SIGKILL while starting'}++;
    }
    is_deeply(\@left, [], "$what: no process is left");
    is_deeply([in_netns($ns)], [], "$what: none in the lab's namespace") if $ns;
    is_deeply([procs_mentioning($d)], [], "$what: none mentions D");
    for (@left) { my ($p) = split; kill 'KILL', $p }
}
diag(join ', ', map { "$_: $phase{$_}" } grep { /SIGKILL/ } sort keys %phase);

diag(sprintf '%s: done at %.1f s', 'SIGKILL points', time - $^T);
# ---- starts that fail ----
my %bad = (
    'unbound'       => "server:\n\tno-such-option: yes\n",
    'bind'          => "options { this is not named.conf\n",
    'knot-resolver' => "this is not lua (\n",
    'pdns-recursor' => "no-such-setting=1\n",
    'dnsmasq'       => "no-such-option\n",
);
for my $r (sort keys %bad) {
    my $d = "$tmp/bad-$r";
    my $c = "$tmp/bad-$r.conf";
    open my $fh, '>', $c or die;
    print $fh $bad{$r};
    close $fh;
    my $o = qx{$tp lab up --dir $d --vectors $vec --resolvers $r --conf $r=$c 2>&1};
    my $rc = $? >> 8;
    isnt($rc, 0, "a $r config with a syntax error: lab up fails ($rc)") or diag($o);
    like($o, qr/\Q$r\E/, "and names $r") or diag($o);
    is_deeply([my_children()], [], "$r: no process is left");
    is_deeply([procs_mentioning($d)], [], "$r: none mentions D");
    ok(!-e "$d/lab.state", "$r: no lab.state is left");
}
{   # a daemon that starts but never answers: lab up gives up after --timeout
    my $d = "$tmp/mute";
    my $c = "$tmp/mute.conf";
    open my $fh, '>', $c or die;
    print $fh "server:\n\taccess-control: 127.53.0.0/16 deny\n\taccess-control: 127.0.0.0/8 deny\n";
    close $fh;
    my $t0 = time;
    my $o = qx{$tp lab up --dir $d --vectors $vec --resolvers unbound --timeout 2 --conf unbound=$c 2>&1};
    my $rc = $? >> 8;
    isnt($rc, 0, sprintf('an unbound that never answers: lab up fails (%d) in %.1f s', $rc, time - $t0)) or diag($o);
    like($o, qr/did not answer|exited/, 'and says so') or diag($o);
    is_deeply([my_children()], [], 'no process is left');
    is_deeply([procs_mentioning($d)], [], 'none mentions D');
}
diag(sprintf 'failed starts: done at %.1f s', time - $^T);
done_testing();
