#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# A resolver program that is not installed: the lab skips that instance (and the instances
# forwarding to it) with one line saying what to install, probes the rest and marks the
# skipped one in the matrix, the JSON, lab.env and lab status. Naming it is an error, and
# so is a missing nsd. Nothing is uninstalled: TRUSTPROBE_LAB_SBIN names a directory of
# symlinks that lacks the program, and PATH holds no sbin directory.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP;
use File::Temp qw(tempdir);
use Lab qw(tp lab_down lab_env);

my $tp = tp();
my $tmp = tempdir('tp-missing-XXXXXX', TMPDIR => 1, CLEANUP => 1);

# a private sbin with every lab program except those in @hide
sub sbin_without {
    my (@hide) = @_;
    my $d = tempdir(DIR => $tmp);
    for my $p (qw(nsd unbound named pdns_recursor kresd dnsmasq ip)) {
        next if grep { $_ eq $p } @hide;
        my ($full) = grep { -x } map { "$_/$p" } qw(/usr/local/sbin /usr/sbin /sbin /usr/bin /bin);
        symlink($full, "$d/$p") or die "symlink $p: $!" if $full;
    }
    return $d;
}
# runs the probe with that sbin and a PATH without sbin; returns (stdout, stderr, exit)
sub run_hidden {
    my ($sbin, @args) = @_;
    local $ENV{PATH} = '/usr/bin:/bin';
    local $ENV{TRUSTPROBE_LAB_SBIN} = $sbin;
    local $ENV{TMPDIR} = $tmp;
    my ($o, $e) = ("$tmp/out", "$tmp/err");
    system(join(' ', map { quotemeta } $tp, @args) . " >$o 2>$e");
    my $rc = $? >> 8;
    my $slurp = sub { local (@ARGV, $/) = @_; <> // '' };
    return ($slurp->($o), $slurp->($e), $rc);
}
sub lines_of { scalar(() = $_[0] =~ /\n/g) }

SKIP: {
    skip 'kresd is not installed here, nothing to hide', 1 unless grep { -x "$_/kresd" } qw(/usr/sbin /sbin /usr/local/sbin);
    my $nokresd = sbin_without('kresd');

    # the one-shot run, text
    my ($o, $e, $rc) = run_hidden($nokresd, 'lab', '--color', 'never');
    is($rc, 1, 'trustprobe lab without kresd exits as with it (1: a control is not ready)') or diag($e);
    my @skip = grep { /skipping/ } split /\n/, $e;
    is(scalar @skip, 1, 'one stderr line about the skipped instance') or diag($e);
    like($skip[0] // '', qr/^trustprobe lab: skipping knot-resolver \(kresd not installed: apt-get install knot-resolver\)$/,
        'it names the instance, the program and the package to install');
    like($o, qr/^knot-resolver\s+skipped \(kresd not installed: apt-get install knot-resolver\)$/m,
        'the matrix has a row for the skipped instance');
    like($o, qr/^\Q$_\E\s+pass\s/m, "the matrix still probes $_") for qw(unbound bind pdns-recursor dnsmasq);
    unlike($o, qr/^knot-resolver\s+pass/m, 'knot-resolver is not probed');

    # JSON
    ($o, $e, $rc) = run_hidden($nokresd, 'lab', '--format', 'json');
    is($rc, 1, 'JSON run: the skip does not change the exit status');
    my $j = eval { decode_json($o) } || {};
    is_deeply($j->{skipped}, [{name => 'knot-resolver', program => 'kresd', package => 'knot-resolver',
        reason => 'kresd not installed: apt-get install knot-resolver'}], 'JSON lists it under "skipped"');
    my %by = map { $_->{name} => $_ } @{ $j->{resolvers} || [] };
    ok(!exists $by{'knot-resolver'}, 'and not among the resolvers');
    # probed, and judged (which of them let forgeries through: tests/lab/45-attacks.t)
    like($by{$_}{verdict} // '', qr/^(ready|not-ready|unknown)$/, "$_ is probed and judged") for qw(unbound bind pdns-recursor);

    # naming it is an error
    ($o, $e, $rc) = run_hidden($nokresd, 'lab', '--resolvers', 'unbound,knot-resolver');
    is($rc, 2, '--resolvers naming the missing one exits 2');
    like($e, qr/^trustprobe lab: resolver knot-resolver cannot run: kresd not installed: apt-get install knot-resolver$/,
        'with one line saying what to install') or diag($e);
    is(lines_of($e), 1, 'only that line');

    # lab up: lab.env and lab status show what runs
    my $dir = tempdir(DIR => $tmp);
    ($o, $e, $rc) = run_hidden($nokresd, 'lab', 'up', '--dir', $dir);
    is($rc, 0, 'lab up without kresd exits 0') or diag($e);
    like($e, qr/^trustprobe lab up: skipping knot-resolver \(kresd not installed: apt-get install knot-resolver\)\n\z/,
        'and says, in one line, that it skipped knot-resolver');
    my %env = lab_env($dir);
    unlike($env{LAB_RESOLVERS} // '', qr/knot-resolver/, 'lab.env does not list knot-resolver among the resolvers');
    like($env{LAB_RESOLVERS} // '', qr/\bunbound=127\.53\.1\.1\b/, 'but lists the others');
    is($env{LAB_SKIPPED}, 'knot-resolver', 'lab.env names it in LAB_SKIPPED');
    my $st = qx{$tp lab status --dir $dir 2>&1};
    is($? >> 8, 0, 'lab status exits 0: nothing that was started has stopped');
    like($st, qr/^knot-resolver\s+-\s+127\.53\.1\.4\s+skipped \(kresd not installed: apt-get install knot-resolver\)$/m,
        'lab status shows it as skipped');
    unlike($st, qr/^knot-resolver\s+\d+/m, 'with no PID');
    my (undef, $dout, $drc) = lab_down($dir);
    is($drc, 0, 'lab down') or diag($dout);
}

# an upstream that is missing takes its forwarders with it
{
    my $nounbound = sbin_without('unbound');
    my ($o, $e, $rc) = run_hidden($nounbound, 'lab', '--format', 'json');
    my $j = eval { decode_json($o) } || {};
    my %sk = map { $_->{name} => $_ } @{ $j->{skipped} || [] };
    is_deeply([sort keys %sk], [sort qw(unbound unbound-novalidate dnsmasq dnsmasq-proxy liar fwd-dnsmasq-proxy
                                       fwd-dnsmasq fwd-unbound fwd-bind fwd-pdns-recursor)],
        'without unbound, the unbound instances and every forwarder above one are skipped') or diag($e);
    like($sk{dnsmasq}{reason} // '', qr/^upstream unbound-novalidate skipped: unbound not installed: apt-get install unbound$/,
        'a forwarder says its upstream was skipped and what to install');
    is($sk{dnsmasq}{package}, 'unbound', 'its package is the upstream\'s');
    # two links down the chain (fwd-bind -> liar -> unbound-novalidate): the first link and the program
    like($sk{'fwd-bind'}{reason} // '', qr/^upstream liar skipped: unbound not installed: apt-get install unbound$/,
        'a forwarder of a forwarder names its own upstream and the program missing further down');
    is($sk{'fwd-bind'}{package}, 'unbound', 'and the package that is missing');
    is($sk{'fwd-unbound'}{reason}, 'unbound not installed: apt-get install unbound', 'fwd-unbound misses its own program');
    is(scalar(() = $e =~ /skipping/g), 10, 'one stderr line per skipped instance');
    is($rc, 1, 'the rest is probed: exit 1 (pdns-recursor and knot-resolver let forgeries through)');
    ($o, $e, $rc) = run_hidden($nounbound, 'lab', '--resolvers', 'dnsmasq');
    is($rc, 2, 'naming a forwarder whose upstream is missing exits 2');
    like($e, qr/^trustprobe lab: resolver dnsmasq cannot run: upstream unbound-novalidate skipped: unbound not installed: apt-get install unbound\n\z/,
        'in one line');
    ($o, $e, $rc) = run_hidden($nounbound, 'lab', '--resolvers', 'fwd-pdns-recursor');
    is($rc, 2, 'naming a forwarder two links above the missing program exits 2');
    like($e, qr/^trustprobe lab: resolver fwd-pdns-recursor cannot run: upstream liar skipped: unbound not installed: apt-get install unbound\n\z/,
        'in one line');
}

# nsd missing: the lab cannot run
{
    my ($o, $e, $rc) = run_hidden(sbin_without('nsd'), 'lab');
    is($rc, 2, 'without nsd trustprobe lab exits 2');
    like($e, qr/^trustprobe lab: nsd not installed: apt-get install nsd\b.*\n\z/, 'in one line naming the package nsd') or diag($e);
    my @left = glob("$tmp/trustprobe-lab-run-*");
    is_deeply(\@left, [], 'and leaves no run directory behind');
}

done_testing();
