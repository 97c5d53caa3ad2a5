#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# The test zone is checked before a resolver is judged against it, and only what was
# measured counts: a wrong --zone (a typo, a zone that is not the vectors, another version)
# and an expired deployment give unknown with the reason, never not-ready, for a correct
# resolver; a low open-files limit makes the pool run fewer resolvers at once (ulimit -n 64:
# all measured), and a run whose queries could not be sent for a local reason (ulimit -n 24)
# is unknown and says why, and nagios never says OK then.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP;
use File::Temp qw(tempdir);
use File::Copy qw(copy);
use Lab qw(tp lab_up lab_down fd_reserve);

my $tp = tp();
sub run { my $o = qx{@_ 2>&1}; return ($o, $? >> 8) }
sub json_of { my ($o) = @_; my $j = eval { decode_json($o) }; diag("not JSON: $o") unless $j; $j }
my $date = qr/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/;

# a copy of the test vectors with one manifest line changed
sub vectors_with {
    my ($edit) = @_;
    my $v = tempdir('tp-vec-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    system('cp', '-r', "$FindBin::Bin/../../testvectors/.", $v) == 0 or die "cp: $?";
    open my $in, '<', "$v/manifest" or die;
    my @l = map { $edit->($_) } <$in>;
    close $in;
    open my $out, '>', "$v/manifest" or die;
    print $out @l;
    close $out;
    return $v;
}

my ($dir, undef, $up, $urc) = lab_up();
BAIL_OUT("lab did not come up: $up") if $urc;
# the version of the repository's vectors (testvectors/manifest), which the lab signed
my ($ver) = do { open my $m, '<', "$FindBin::Bin/../../testvectors/manifest" or die; join('', <$m>) } =~ /^version (\d+)$/m;
my $next = $ver + 1;

# ---- the zone's marker, as the signer wrote it ----
{
    my ($o) = run("$tp lab exec --dir $dir -- dig +dnssec +cd +norec +tries=1 \@127.53.0.2 _trustprobe.test. TXT");
    like($o, qr/_trustprobe\.test\.\s+\d+\s+IN\s+TXT\s+"trustprobe-vectors $ver"/, "the lab zone carries the marker of the vectors, version $ver");
    like($o, qr/_trustprobe\.test\.\s+\d+\s+IN\s+RRSIG\s+TXT 13 2 /, 'signed by test.');
}

# ---- a correct unbound and a wrong --zone: unknown with the reason, nothing fails for it ----
{
    my ($o, $rc) = run("$tp lab exec --dir $dir -- $tp --zone nonexistent.example --format json 127.53.1.1");
    my $r = (json_of($o) || {})->{resolvers}[0] || {};
    is($rc, 2, 'unbound with --zone nonexistent.example: exit 2 (could not tell), not 1');
    is($r->{verdict}, 'unknown', 'and unknown, not not-ready');
    like($r->{note} // '', qr/^test zone nonexistent\.example\. not found: NXDOMAIN for _trustprobe\.nonexistent\.example\. TXT from the zone \. /,
        'the note names the zone and why: not found') or diag($r->{note});
    my @zone = grep { $_->{reason} =~ /^not run: test zone nonexistent\.example\. not found/ } @{ $r->{cases} || [] };
    ok(@zone > 30, scalar(@zone) . ' cases that need the zone are skipped with that reason');
    is(scalar(grep { $_->{status} ne 'skip' } @zone), 0, 'every one of them a skip');
    my @bad = grep { $_->{status} eq 'fail' && $_->{group} ne 'root-trust' } @{ $r->{cases} || [] };
    is(scalar @bad, 0, 'no case fails but the zone-free root-trust ones (the lab root is not the real one)')
        or diag(join "\n", map { "$_->{id}: $_->{reason}" } @bad);
    diag('wrong zone: ' . ($r->{note} // ''));
    my ($n, $nrc) = run("$tp lab exec --dir $dir -- $tp --zone nonexistent.example --format nagios -H 127.53.1.1");
    like($n, qr/^TRUSTPROBE UNKNOWN - 127\.53\.1\.1: test zone nonexistent\.example\. not found/, 'nagios: UNKNOWN, naming the zone') or diag($n);
    is($nrc, 3, 'exit 3, not CRITICAL');
    my ($t) = run("$tp lab exec --dir $dir -- $tp --zone nonexistent.example --color never 127.53.1.1");
    like($t, qr/\A127\.53\.1\.1: UNKNOWN \(dane_ready no\)\n 1 UNKNOWN +test zone nonexistent\.example\. not found/, 'text: the first lines say so: the zone is the first cause');
    like($t, qr/fix: check the name given to --zone/, 'with what to check');
    unlike($t, qr/cases need the test zone or a lab/, 'and no "give --zone" advice: a zone was given');
    unlike($t, qr/not run: test zone/, 'without a line per skipped case');
}
{
    my ($o, $rc) = run("$tp lab exec --dir $dir -- $tp --zone alg13.test --format json 127.53.1.1");
    my $r = (json_of($o) || {})->{resolvers}[0] || {};
    is($r->{verdict}, 'unknown', '--zone alg13.test (a zone, but not the vectors): unknown');
    like($r->{note} // '', qr/^test zone alg13\.test\. is not a trustprobe zone: NXDOMAIN for _trustprobe\.alg13\.test\. TXT/, 'not a trustprobe zone');
    is($rc, 2, 'exit 2');
}
{
    # the probe's own vectors say the next version; the lab's zone is this one
    my $v2 = vectors_with(sub { $_[0] =~ s/^version $ver$/version $next/r });
    my ($o, $rc) = run("$tp --lab $dir --vectors $v2 --format json 127.53.1.1");
    my $r = (json_of($o) || {})->{resolvers}[0] || {};
    is($r->{verdict}, 'unknown', 'vectors of another version: unknown');
    like($r->{note} // '', qr/^test zone test\. holds the trustprobe vectors version $ver; this trustprobe needs version $next/, 'naming both versions');
}
{
    # the right zone, outside --lab: the preflight passes and the cases run
    my ($o) = run("$tp lab exec --dir $dir -- $tp --zone test --format json 127.53.1.1");
    my $r = (json_of($o) || {})->{resolvers}[0] || {};
    unlike($r->{note} // '', qr/test zone/, '--zone test: the zone passes its preflight');
    my %st = map { $_->{id} => $_->{status} } @{ $r->{cases} || [] };
    is($st{'validation.ad-secure'}, 'pass', 'and the cases ran');
    is($st{'validation.expired'}, 'pass', 'the window cases too, with their control');
}

# ---- a target that is no recursive resolver is named as such ----
{
    # nsd-tld serves test. and answers everything else REFUSED, without RA
    my ($o, $rc) = run("$tp --lab $dir --format json 127.53.0.2");
    my $r = (json_of($o) || {})->{resolvers}[0] || {};
    is($r->{verdict}, 'unknown', 'an authoritative server probed: unknown');
    like($r->{note} // '', qr/not a recursive resolver/, 'and named: not a recursive resolver') or diag($r->{note});
    is($rc, 2, 'exit 2');
}

# ---- the fd limit: the pool runs fewer at once; below one resolver's need the run is
# unknown, saying why ----
{
    # three resolvers need about 160 descriptors at once; 64 let one at a time run whole
    my @three = qw(127.53.1.1 127.53.1.6 127.53.1.5);
    my ($l64, $l24) = map { $_ + fd_reserve() } 64, 24; # what the probe itself gets: 64, 24
    my ($o, $rc) = run("sh -c 'ulimit -n $l64; exec $tp --lab $dir --format json -t 20 @three' 2>/dev/null");
    my @r = @{ (json_of($o) || {})->{resolvers} || [] };
    is(scalar @r, 3, 'three lab resolvers probed under ulimit -n 64');
    is(scalar(grep { ($_->{note} // '') =~ /local reason|independent validation was not run/ } @r), 0,
       'one at a time: no query unsent, the validator on') or diag(join "\n", map { "$_->{name}: $_->{note}" } @r);
    is(scalar(grep { $_->{verdict} ne 'not-ready' } @r), 0, 'each measured in full (not-ready, as without the limit)');
    # one resolver needs more than 24: unknown, with the count, the cause and the fix
    ($o, $rc) = run("sh -c 'ulimit -n $l24; exec $tp --lab $dir --format json 127.53.1.1' 2>/dev/null");
    my $one = (json_of($o) || {})->{resolvers}[0] || {};
    is($one->{verdict}, 'unknown', 'under ulimit -n 24: unknown, never ready or not-ready');
    like($one->{note} // '', qr/^\d+ of \d+ queries could not be sent for a local reason \(\d+ cases? not run\): (UDP|TCP) socket: Too many open files: raise the open-files limit \(ulimit -n, now 24\)/,
        'with the count, the cause and the fix') or diag($one->{note});
    like($one->{verify_note} // '', qr/^independent validation was not run: 24 open files allowed/, 'and says the validator did not run');
    is($rc, 2, 'exit 2');
    my ($n, $nrc) = run("sh -c 'ulimit -n $l24; exec $tp --lab $dir --format nagios -H 127.53.1.1' 2>/dev/null");
    like($n, qr/^TRUSTPROBE UNKNOWN - 127\.53\.1\.1: /, 'nagios: UNKNOWN, never OK') or diag($n);
    is($nrc, 3, 'exit 3');
}
my (undef, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down') or diag($dout);

# ---- an expired deployment of the vectors: unknown, 'expired on DATE' ----
{
    my $old = vectors_with(sub { $_[0] =~ /^zone test\. / ? $_[0] =~ s/$/ window=expired/r : $_[0] });
    my ($edir, undef, $eup, $erc) = lab_up(resolvers => 'unbound', vectors => $old);
    is($erc, 0, 'a lab whose test zone test. is signed with expired signatures') or diag($eup);
    my ($o, $rc) = run("$tp --lab $edir --format json 127.53.1.1");
    my $r = (json_of($o) || {})->{resolvers}[0] || {};
    is($r->{verdict}, 'unknown', 'unbound against the expired zone: unknown');
    like($r->{note} // '', qr/^test zone test\. expired on $date \(the signature of _trustprobe\.test\. TXT\): re-sign it$/, 'expired on DATE') or diag($r->{note});
    diag('expired zone: ' . ($r->{note} // ''));
    is($rc, 2, 'exit 2');
    my ($n, $nrc) = run("$tp --lab $edir --format nagios -H 127.53.1.1");
    like($n, qr/^TRUSTPROBE UNKNOWN - .*test zone test\. expired on /, 'nagios: UNKNOWN');
    is($nrc, 3, 'exit 3');
    my (undef, $eout, $edrc) = lab_down($edir);
    is($edrc, 0, 'lab down') or diag($eout);
}
done_testing();
