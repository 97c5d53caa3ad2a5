# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Lab.pm: helpers for the lab TAP tests. Every query goes to a lab address through
# 'trustprobe lab exec', inside the lab's private network namespace; nothing here talks
# to any address outside it.
package Lab;
use strict;
use warnings;
use File::Temp qw(tempdir);
use Time::HiRes qw(time);
use Exporter 'import';
our @EXPORT_OK = qw(tp lab_up lab_down lab_env run_queries lab_pids_alive procs_mentioning
                    slack fd_reserve probe_slow);

my $root = $ENV{TP_ROOT} || do { my $d = __FILE__; $d =~ s{/tests/lab/lib/Lab\.pm$}{}; $d };
# TP_PROBE: another build of the probe to run the lab tests with (make check-lab-san:
# the probe built with ASan+UBSan; tests/lab/valgrind-probe: the probe under valgrind)
sub tp { $ENV{TP_PROBE} || "$root/probe/trustprobe" }

# What running the probe under another program changes (make check-lab-valgrind sets them):
# slack(): seconds a probe run takes beyond its own deadline before main() starts and after
# it ends (valgrind's start-up and leak check), added to the wall-clock checks of -t;
# fd_reserve(): descriptors the runner takes from the open-files limit before the probe
# sees it (valgrind keeps 12), added to the ulimit -n of the tests that measure the probe
# at a given limit; probe_slow(): the probe runs many times slower, so that what a resolver
# has done by the time a question comes (BIND's B2, answered late) is not what the test
# recorded: such results are not asserted.
sub slack { $ENV{TP_PROBE_SLACK} // 0 }
sub fd_reserve { $ENV{TP_PROBE_FD_RESERVE} // 0 }
sub probe_slow { $ENV{TP_PROBE_SLOW} ? 1 : 0 }

# Every lab a test brings up is taken down when the test ends, also when it is
# interrupted or killed with SIGTERM (a harness timeout), so no daemon outlives a test.
my %labs;
$SIG{INT} = $SIG{TERM} = $SIG{HUP} = sub { exit 1 };
END {
    my $rc = $?;
    system(tp(), 'lab', 'down', '--dir', $_) for grep { -e "$_/lab.state" } keys %labs;
    $? = $rc;
}

# lab_up(%opt): brings a lab up in a fresh directory (opt: dir, resolvers, timeout, vectors,
# fleet); returns (dir, seconds, output, exit).
sub lab_up {
    my (%opt) = @_;
    my $dir = $opt{dir} || tempdir('tp-lab-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my @cmd = (tp(), 'lab', 'up', '--dir', $dir);
    push @cmd, '--resolvers', $opt{resolvers} if $opt{resolvers};
    push @cmd, '--timeout', $opt{timeout} if $opt{timeout};
    push @cmd, '--vectors', $opt{vectors} if $opt{vectors};
    push @cmd, @{ $opt{extra} } if $opt{extra}; # more options of 'lab up'
    push @cmd, '--fleet', $opt{fleet} if $opt{fleet};
    $labs{$dir} = 1;
    my $t0 = time;
    my $out = qx{@{[join ' ', map { quotemeta } @cmd]} 2>&1};
    my $rc = $? >> 8;
    return ($dir, time - $t0, $out, $rc);
}

sub lab_down {
    my ($dir) = @_;
    my $t0 = time;
    my $out = qx{@{[quotemeta tp()]} lab down --dir @{[quotemeta $dir]} 2>&1};
    return (time - $t0, $out, $? >> 8);
}

# lab_env(dir): D/lab.env as a hash.
sub lab_env {
    my ($dir) = @_;
    my %env;
    open my $fh, '<', "$dir/lab.env" or return;
    while (<$fh>) {
        next if /^#/ or !/^(\w+)=(.*)$/;
        my ($k, $v) = ($1, $2);
        $v =~ s/^'(.*)'$/$1/;
        $env{$k} = $v;
    }
    return %env;
}

# run_queries(dir, [[id, addr, name, type, flags...], ...]): runs each query with dig inside
# the lab; returns { id => { status, flags => {qr=>1,...}, answer => [types], raw } }.
# status is 'TIMEOUT' when no answer came.
sub run_queries {
    my ($dir, $qs) = @_;
    my $spec = '';
    for my $q (@$qs) { $spec .= join("\t", @$q) . "\n"; }
    my $script = <<'SH';
while IFS='	' read -r id addr name type flags; do
  printf '=== %s\n' "$id"
  dig +tries=2 +timeout=2 +dnssec +noall +comments +answer $flags @"$addr" "$name" "$type" 2>&1
done
SH
    my $tmp = File::Temp->new;
    print $tmp $spec;
    close $tmp;
    my $sh = File::Temp->new(SUFFIX => '.sh');
    print $sh $script;
    close $sh;
    my $out = qx{@{[quotemeta tp()]} lab exec --dir @{[quotemeta $dir]} -- sh @{[quotemeta $sh->filename]} < @{[quotemeta $tmp->filename]} 2>&1};
    my %res;
    for my $chunk (split /^=== /m, $out) {
        next unless $chunk =~ /^(\S+)\n(.*)/s;
        my ($id, $body) = ($1, $2);
        my %r = (status => 'TIMEOUT', flags => {}, answer => [], raw => $body);
        if ($body =~ /status: (\w+)/) { $r{status} = $1 }
        if ($body =~ /;; flags:([^;]*);/) { $r{flags}{$_} = 1 for split ' ', $1 }
        for my $l (split /\n/, $body) {
            next if $l =~ /^;/ or $l !~ /\S/;
            my @f = split ' ', $l;
            push @{ $r{answer} }, $f[3] if @f >= 4;
        }
        $res{$id} = \%r;
    }
    return \%res;
}

# procs_mentioning(str): PIDs of processes whose command line contains str.
sub procs_mentioning {
    my ($s) = @_;
    my @p;
    opendir my $dh, '/proc' or return;
    for my $pid (grep { /^\d+$/ } readdir $dh) {
        next if $pid == $$;
        open my $fh, '<', "/proc/$pid/cmdline" or next;
        local $/;
        my $c = <$fh> // '';
        $c =~ tr/\0/ /;
        push @p, "$pid $c" if index($c, $s) >= 0;
    }
    return @p;
}

# lab_pids_alive(dir): daemons of D/lab.state (holder included) that are still alive.
sub lab_pids_alive {
    my ($statefile_copy) = @_;
    my @alive;
    open my $fh, '<', $statefile_copy or return;
    while (<$fh>) {
        my ($name, $pid) = /^holder (\d+)/ ? ('holder', $1) : /^daemon (\S+) (\d+)/ ? ($1, $2) : next;
        next unless -e "/proc/$pid";
        open my $st, '<', "/proc/$pid/stat" or next;
        my $s = <$st> // '';
        push @alive, "$name($pid)" unless $s =~ /\) [ZX] /;
    }
    return @alive;
}

1;
