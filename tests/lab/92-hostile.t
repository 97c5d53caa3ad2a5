#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Hostile resolvers (issue 15): 'lab up --resolvers hostile' starts the lying resolver in
# each of its hostile modes (lab proxy --resolver --hostile MODE, 127.53.6.1 to .11). The
# probe, in text, JSON and nagios formats, with the lab's test zone and without one (the
# zone-free cases, so that the catalogue meets the hostile answers too), must end within
# -t, say unknown and why, never pass a case, and exit as documented: 2 outside nagios
# mode; CRITICAL (2) in it, as for every resolver that does not answer or answers as no
# recursive resolver does (man page, EXIT STATUS). Queries go only to lab addresses.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP;
use File::Temp qw(tempdir);
use Time::HiRes qw(time);
use POSIX qw(WNOHANG);
use Lab qw(tp lab_up lab_down lab_env procs_mentioning slack);

my $tp = tp();
my $T = 3;            # the probe's -t
my $LIMIT = $T + 1.5 + slack(); # the run must be over by then (a generous margin on a shared machine)

# what the reason must name, per mode
my %why = (
    'silent'         => qr/no answer|deadline reached/,
    'slow'           => qr/no answer|deadline reached/,
    'wrong-id'       => qr/mismatched replies dropped/,
    'wrong-question' => qr/mismatched replies dropped/,
    'garbage'        => qr/only malformed replies/,
    'tc'             => qr/with TC over TCP/,
    'tcp-cut'        => qr/TCP connection closed without an answer/,
    'tcp-stall'      => qr/\(TCP\)|TCP tries/,
    'huge'           => qr/only malformed replies/,
    'tcp-hang'       => qr/\(TCP\)|TCP tries/,
    'flood'          => qr/mismatched replies dropped/,
);

my ($dir, $usecs, $up, $urc) = lab_up(resolvers => 'hostile');
BAIL_OUT("lab did not come up: $up") if $urc;
diag(sprintf 'lab up --resolvers hostile: %.2f s', $usecs);
my %env = lab_env($dir);
my %addr = map { /^hostile-(.+)=(.+)$/ ? ($1, $2) : () } split ' ', $env{LAB_RESOLVERS} // '';
is_deeply([sort keys %addr], [sort keys %why], 'every hostile mode runs as a lab instance');
unlike($env{LAB_RESOLVERS}, qr/(^| )(unbound|bind|knot-resolver|pdns-recursor|dnsmasq)=/,
       'and only they (and the upstream they relay to): the default lab is not started with them');

# ---- every run, a few at a time; each guarded by timeout(1) ----
my $out = tempdir(CLEANUP => 1);
my @runs;
for my $m (sort keys %addr) {
    my $a = $addr{$m};
    push @runs, [$m, 'text',   "$tp --lab $dir -t $T --color never $a"];
    push @runs, [$m, 'json',   "$tp --lab $dir -t $T --format json $a"];
    push @runs, [$m, 'nagios', "$tp --lab $dir -t $T --format nagios -H $a"];
    # no test zone: no zone check first, the zone-free cases meet the hostile answers
    push @runs, [$m, 'nozone', "$tp lab exec --dir $dir -- $tp -t $T --format json $a"];
}
my (%res, %kid);
my $next = 0;
while ($next < @runs || %kid) {
    while ($next < @runs && keys %kid < 4) {
        my $i = $next++;
        my $pid = fork // die "fork: $!";
        if (!$pid) {
            my $t0 = time;
            my $o = qx{timeout 15 $runs[$i][2] 2>&1};
            my $rc = $? >> 8;
            # POSIX::_exit: no END block (Lab.pm's takes the lab down) in the child
            open my $fh, '>', "$out/$i" or POSIX::_exit(1);
            printf $fh "%d %.3f\n%s", $rc, time - $t0, $o;
            close $fh;
            POSIX::_exit(0);
        }
        $kid{$pid} = $i;
    }
    my $pid = waitpid(-1, 0);
    last if $pid < 0;
    delete $kid{$pid};
}
for my $i (0 .. $#runs) {
    my ($m, $f) = @{ $runs[$i] };
    open my $fh, '<', "$out/$i" or do { fail("$m $f: no result"); next };
    my $head = <$fh>;
    local $/;
    my $o = <$fh> // '';
    my ($rc, $secs) = split ' ', $head;
    $res{$m}{$f} = {rc => $rc, secs => $secs, out => $o};
}

sub json_of { my ($o) = @_; my $j = eval { decode_json($o) }; diag("not JSON: $o") unless $j; $j }

for my $m (sort keys %addr) {
    my $a = $addr{$m};
    for my $f (qw(text json nagios nozone)) {
        my $r = $res{$m}{$f} or next;
        ok($r->{secs} < $LIMIT, sprintf('%s, %s: done in %.2f s with -t %d', $m, $f, $r->{secs}, $T))
            or diag($r->{out});
        isnt($r->{rc}, 124, "$m, $f: not stopped by timeout(1)");
    }
    my $t = $res{$m}{text};
    is($t->{rc}, 2, "$m, text: exit 2") or diag($t->{out});
    like($t->{out}, qr/^hostile-\Q$m\E \(\Q$a\E\): UNKNOWN /, "$m, text: unknown");
    like($t->{out}, $why{$m}, "$m, text: the reason says what went wrong") or diag($t->{out});
    unlike($t->{out}, qr/\bREADY\b|\bPASS\b/, "$m, text: no ready, no pass");

    for my $f (qw(json nozone)) {
        my $r = $res{$m}{$f};
        my $j = json_of($r->{out});
        my $rr = $j ? $j->{resolvers}[0] : {};
        is($r->{rc}, 2, "$m, $f: exit 2");
        is($rr->{verdict}, 'unknown', "$m, $f: verdict unknown");
        like($rr->{note} // '', $why{$m}, "$m, $f: the note says what went wrong") or diag($rr->{note});
        my @pass = map { $_->{id} } grep { $_->{status} eq 'pass' } @{ $rr->{cases} || [] };
        is_deeply(\@pass, [], "$m, $f: no case passes");
        ok(@{ $rr->{cases} || [] } > 0, "$m, $f: the cases are reported");
    }

    my $n = $res{$m}{nagios};
    like($n->{out}, qr/^TRUSTPROBE CRITICAL - \Q$a\E: (the resolver does not answer|not a recursive resolver)/,
         "$m, nagios: CRITICAL, the resolver's doing") or diag($n->{out});
    is($n->{rc}, 2, "$m, nagios: exit 2");
    is(scalar(() = $n->{out} =~ /\n/g), 1, "$m, nagios: one line");

    my $log = do { local (@ARGV, $/) = "$dir/log/hostile-$m.log"; <> } // '';
    like($log, qr/^hostile: \Q$m\E (udp|tcp) /m, "$m: its log shows the mode at work");
}

# all eleven as a fleet under one deadline: each unknown, the run within -t
{
    my $targets = "$out/targets";
    open my $fh, '>', $targets or die;
    print $fh "$addr{$_} hostile-$_\n" for sort keys %addr;
    close $fh;
    my $t0 = time;
    my $o = qx{timeout 20 $tp --lab $dir -t 5 --format json --targets $targets 2>&1};
    my ($rc, $secs) = ($? >> 8, time - $t0);
    ok($secs < 5 + 1.5 + slack(), sprintf('the eleven as --targets: done in %.2f s with -t 5', $secs));
    is($rc, 2, 'exit 2');
    my @lines = map { s/,$//r } grep { /^\{"resolver"/ } split /\n/, $o; # a line each
    my @v = map { my $j = eval { decode_json($_) }; $j && $j->{verdict} ? $j->{verdict} : () } @lines;
    is_deeply([sort @v], [('unknown') x 11], 'every one unknown') or diag($o);
}

# the mode's own details, seen from the lab with dig
{
    my $o = qx{$tp lab exec --dir $dir -- dig +norecurse +tries=1 +time=2 \@$addr{silent} . NS 2>&1};
    like($o, qr/status: REFUSED/, 'a query without RD (the readiness check) gets an honest REFUSED');
}

my (undef, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down') or diag($dout);
is_deeply([procs_mentioning($dir)], [], 'no hostile resolver is left');
done_testing();
