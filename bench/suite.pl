#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# bench/suite.pl [RUNS]: the full case catalogue (attacks included) against lab unbound,
# cold (a lab just brought up: unbound's cache is empty) and warm (the same lab, after one
# run: the delegations and keys are cached, the case names are fresh as always), beside
# bench/dig-reference.sh asking the very same questions with dig, one process per query,
# in the same run. Prints the median wall time, the queries each sent and the ratio.
# Targets: the suite under 150 ms cold and 10 ms warm, and at least 100 times faster than
# the dig reference. A person runs and reads this; it asserts nothing. Everything runs in
# the lab's private namespaces; nothing is sent outside them.
use strict;
use warnings;
use FindBin;
use JSON::PP;
use Time::HiRes qw(time);
use File::Temp qw(tempdir);

chdir "$FindBin::Bin/.." or die;
my $runs = shift // 5;
my $tp = "$FindBin::Bin/../probe/trustprobe";
system('make', '-s') == 0 or die "make failed\n" unless -x $tp;
my $dig_ref = "$FindBin::Bin/dig-reference.sh";
my $work = tempdir('tp-bench-suite-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $lab = "$work/lab";
my $target = '127.53.1.1';
END { system("$tp lab down --dir '$lab' >/dev/null 2>&1") if $lab && -e "$lab/lab.state" }

sub median { my @s = sort { $a <=> $b } @_; return @s ? $s[$#s / 2] : 0 }

sub lab_up   { system("$tp lab up --dir '$lab' --resolvers unbound >/dev/null") == 0 or die "lab up failed\n" }
sub lab_down { system("$tp lab down --dir '$lab' >/dev/null") }

# One probe run: its wall time (as the caller sees it) and its JSON.
sub probe {
    my $t0 = time;
    my $out = qx{'$tp' --lab '$lab' --format json $target 2>/dev/null};
    my $wall = time - $t0;
    return ($wall, decode_json($out));
}

# The probe's questions, as the reference script reads them: one line per query, its name
# with each random label (tp + 10 letters and digits) replaced by a new one, so that the
# resolver has as much work to do as it had for the probe.
sub questions {
    my ($j) = @_;
    my (%fresh, @lines);
    my @alnum = ('a' .. 'z', '0' .. '9');
    for my $c (@{ $j->{resolvers}[0]{cases} }) {
        for my $o (@{ $c->{observations} }) {
            (my $name = $o->{qname}) =~ s{\b(tp[a-z0-9]{10})\b}{
                $fresh{lc $1} //= 'tp' . join '', map { $alnum[rand @alnum] } 1 .. 10
            }gie;
            my %f = map { $_ => 1 } @{ $o->{qflags} };
            my @opt = ($f{rd} ? '+rec' : '+norec', $f{cd} ? '+cdflag' : '+nocdflag',
                       $f{ad} ? '+adflag' : '+noadflag', $o->{do} ? '+dnssec' : '+nodnssec');
            push @opt, '+tcp' if $o->{transport} eq 'tcp';
            push @lines, join ' ', $name, $o->{qtype}, @opt;
        }
    }
    return @lines;
}

# The reference script over the questions, inside the lab's namespace: wall time.
sub dig_run {
    my (@q) = @_;
    my $file = "$work/questions";
    open my $fh, '>', $file or die;
    print $fh "$_\n" for @q;
    close $fh;
    my $t0 = time;
    system("$tp lab exec --dir '$lab' -- sh '$dig_ref' $target '$file' >/dev/null 2>&1");
    return time - $t0;
}

sub count_queries { my ($j) = @_; my $n = 0; $n += @{ $_->{observations} } for @{ $j->{resolvers}[0]{cases} }; return $n }

my (@cold, @warm, @dcold, @dwarm, $nq, $ncases);
for my $i (1 .. $runs) {
    lab_up();
    my ($w, $j) = probe();
    push @cold, $w;
    $nq = count_queries($j);
    $ncases = @{ $j->{resolvers}[0]{cases} };
    my @q = questions($j);
    lab_down();
    lab_up(); # the reference, cold too: a lab of its own
    push @dcold, dig_run(@q);
    # warm: the same lab, after the run above
    for (1 .. 2) {
        my ($ww, $jw) = probe();
        push @warm, $ww;
        push @dwarm, dig_run(questions($jw));
    }
    lab_down();
}
my $host = qx{uname -srm}; chomp $host;
my ($cpu) = map { /model name\s*:\s*(.*)/ ? $1 : () } do { open my $c, '<', '/proc/cpuinfo'; <$c> };
my $cores = qx{nproc}; chomp $cores;
my $load = (split ' ', do { open my $l, '<', '/proc/loadavg'; scalar <$l> })[0];
printf "machine: %s, %s, %s cores, load average %s at the end\n", $host, $cpu // '?', $cores, $load;
printf "full catalogue against lab unbound: %d cases, %d queries in the report (the\n", $ncases, $nq;
printf "probe's own re-validation queries through libunbound come on top); %d runs each\n\n", $runs;
printf "%-6s %14s %14s %8s\n", '', 'trustprobe(s)', 'dig ref(s)', 'ratio';
for ([cold => \@cold, \@dcold], [warm => \@warm, \@dwarm]) {
    my ($k, $p, $d) = @$_;
    my ($mp, $md) = (median(@$p), median(@$d));
    printf "%-6s %14.3f %14.3f %7.0fx\n", $k, $mp, $md, $mp > 0 ? $md / $mp : 0;
}
printf "\nall runs: cold %s; warm %s\n", join(' ', map { sprintf '%.3f', $_ } @cold), join(' ', map { sprintf '%.3f', $_ } @warm);
