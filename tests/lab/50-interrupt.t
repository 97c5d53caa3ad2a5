#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Ctrl-C (SIGINT to the process group) or SIGTERM during the one-shot 'trustprobe lab', at
# several points: while it signs the test vectors, while the daemons start, while it probes.
# Each time: exit 130, one line saying it was interrupted and everything was stopped, no
# run directory left in the private TMPDIR, and no process of the lab left.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw(tempdir);
use Time::HiRes qw(sleep time);
use Lab qw(tp procs_mentioning);

my $tp = tp();

# when(tmp, err): true once the run reached the point; the run dir is in tmp
my %points = (
    'signing'  => sub { my ($t) = @_; glob("$t/trustprobe-lab-run-*") },
    'startup'  => sub { my ($t) = @_; glob("$t/trustprobe-lab-run-*/lab.state") },
    'probing'  => sub { my ($t, $e) = @_; -s $e && do { local (@ARGV, $/) = $e; <> } =~ /probing/ },
);

for my $c (['signing', 'INT', 1], ['startup', 'TERM', 0], ['probing', 'INT', 1], ['probing', 'TERM', 0]) {
    my ($point, $sig, $group) = @$c;
    my $what = sprintf '%s %s during %s', $group ? 'Ctrl-C (SIGINT to the group)' : "SIG$sig", '', $point;
    $what =~ s/  / /;
    my $tmp = tempdir('tp-int-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my $err = "$tmp/err";
    my $pid = fork // die;
    if (!$pid) {
        setpgrp(0, 0);
        $ENV{TMPDIR} = $tmp;
        open STDOUT, '>', '/dev/null';
        open STDERR, '>', $err;
        exec $tp, 'lab';
        exit 127;
    }
    my $t0 = time;
    sleep 0.002 until $points{$point}->($tmp, $err) || time - $t0 > 15;
    my $reached = time - $t0 <= 15;
    kill $sig, $group ? -$pid : $pid;
    waitpid $pid, 0;
    my $rc = $? >> 8;
    my $e = do { local (@ARGV, $/) = $err; <> } // '';
    SKIP: {
        skip "the run finished before the signal ($rc): $e", 4 if !$reached || $rc == 0 || $rc == 1;
        is($rc, 130, "$what: exit 130") or diag($e);
        my @lines = grep { !/^lab up: .*probing/ && !/^trustprobe lab: skipping / } split /\n/, $e;
        is(scalar @lines, 1, "$what: one line") or diag($e);
        like($lines[0] // '', qr/^trustprobe lab: interrupted by SIG$sig; every lab process was stopped and the run directory removed$/,
            "$what: it says it was interrupted and everything was stopped");
        is_deeply([glob("$tmp/trustprobe-lab-run-*")], [], "$what: no run directory is left");
    }
    sleep 0.05;
    is_deeply([procs_mentioning($tmp)], [], "$what: no lab process is left");
}

done_testing();
