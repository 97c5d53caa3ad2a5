#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# trustprobe lab roll: the lab root's KSK roll rehearsed with compressed RFC 5011 timers.
# One run (JSON) covers the RFC 5011 resolvers (unbound, BIND, and Knot Resolver when it is
# installed), both static-anchor controls and the two resolvers that cannot be rehearsed:
# - unbound: next AddPend at publish-next (RFC 8509: not a trust anchor yet), Valid after
#   the add hold-down, current Revoked once it is published with REVOKE;
# - BIND: trusts the next key from its first start (initial-key), drops current on REVOKE;
# - the control with only the current key breaks when the next key signs alone and stays
#   broken; the control with both keys survives every step;
# - PowerDNS Recursor and dnsmasq: "not rehearsed", with the reason, never a made-up cell.
# The whole rehearsal must stay under 2 minutes.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use JSON::PP;
use Test::More;
use Lab qw(tp);

my $tp = tp();
my $have_kresd = grep { -x "$_/kresd" } split(/:/, "$ENV{PATH}:/usr/sbin:/sbin");
my @rs = ('unbound', 'bind', ($have_kresd ? 'knot-resolver' : ()), 'unbound-static-current',
          'unbound-static-both', 'pdns-recursor', 'dnsmasq');
my $list = join(',', @rs);
my $t0 = time;
my $out = qx{$tp lab roll --resolvers $list --format json 2>/dev/null};
my $rc = $? >> 8;
my $wall = time - $t0;
is($rc, 0, 'lab roll: every rehearsed resolver as expected (exit 0)') or diag($out);
my $j = eval { decode_json($out) } or BAIL_OUT("no JSON: $out");
ok($j->{as_expected}, 'as_expected');
cmp_ok($wall, '<', 120, "the whole rehearsal in under 2 minutes ($wall s)");
cmp_ok($j->{wall_s}, '<', 120, sprintf('and so says the report (%.1f s)', $j->{wall_s}));
is_deeply([map { $_->{name} } @{ $j->{steps} }],
          [qw(publish-next add-holddown next-signs current-revoked current-removed)], 'the five steps, in order');
ok($j->{keys}{current} && $j->{keys}{next} && $j->{keys}{current_revoked}, 'the lab root key tags');
isnt($j->{keys}{current_revoked}, $j->{keys}{current}, 'the REVOKE bit changes the tag');

my %by = map { $_->{name} => $_ } @{ $j->{resolvers} };
is_deeply([map { $_->{name} } @{ $j->{resolvers} }], \@rs, 'one row per resolver asked for, in order');

# "verdict cur/next" per step
sub line {
    my ($r) = @_;
    return [map { $_->{probed} ? "$_->{verdict} $_->{sentinel_current}/$_->{sentinel_next}" : 'not probed' }
            @{ $by{$r}{timeline} }];
}
my %want = (
    unbound => ['ok Vnew/Vold', 'ok Vnew/Vnew', 'ok Vnew/Vnew', 'ok Vold/Vnew', 'ok Vold/Vnew'],
    bind => ['ok Vnew/Vnew', 'ok Vnew/Vnew', 'ok Vnew/Vnew', 'ok Vold/Vnew', 'ok Vold/Vnew'],
    'unbound-static-current' => ['ok Vnew/Vold', 'ok Vnew/Vold', 'break Vnew/Vold', 'break Vnew/Vold', 'break Vnew/Vold'],
    'unbound-static-both' => [('ok Vnew/Vnew') x 5],
);
$want{'knot-resolver'} = $want{unbound} if $have_kresd;
for my $r (sort keys %want) {
    is_deeply(line($r), $want{$r}, "$r: " . join(' | ', @{ $want{$r} }));
    is($by{$r}{role}, $r =~ /static-current/ ? 'control-static-current' : $r =~ /static-both/ ? 'control-static-both' : 'rfc5011', "$r: role");
    ok(!grep({ !$_->{as_expected} } @{ $by{$r}{timeline} }), "$r: as expected at every step");
    ok(!grep({ !$_->{expected}{why} } @{ $by{$r}{timeline} }), "$r: every expectation has its reason");
}

# anchor states from each resolver's own files
my @ua = map { $_->{anchor} } @{ $by{unbound}{timeline} };
like($ua[0], qr/next:ADDPEND/, 'unbound autotrust: next AddPend at publish-next');
like($ua[0], qr/cur:VALID/, 'and current Valid');
like($ua[1], qr/next:VALID/, 'next Valid after the add hold-down');
like($ua[3], qr/cur\(R\):REVOKED/, 'current Revoked (its tag with the REVOKE bit) once revoked');
unlike($ua[4], qr/cur:VALID/, 'never Valid again');
like($by{'unbound-static-both'}{timeline}[0]{anchor}, qr/^cur:static next:static$/, 'the both-keys control: two static anchors');
is($by{'unbound-static-current'}{timeline}[0]{anchor}, 'cur:static', 'the current-only control: one');
SKIP: {
    skip 'kresd not installed: knot-resolver left out', 3 unless $have_kresd;
    my @ka = map { $_->{anchor} } @{ $by{'knot-resolver'}{timeline} };
    like($ka[0], qr/next:AddPend/, 'kresd managed key file: next AddPend at publish-next');
    like($ka[1], qr/next:Valid/, 'Valid after hold_down_time');
    like($ka[3], qr/cur:Revoked/, 'current Revoked');
}

# the breaks, named
my ($brk) = grep { $_->{break} } @{ $by{'unbound-static-current'}{timeline} };
is($brk->{step}, 'next-signs', 'the current-only control breaks when the next key signs alone');
like($brk->{break}, qr/root DNSKEY RRset does not validate at next-signs/, 'and the break says so');
ok(!grep({ $_->{break} } map { @{ $by{$_}{timeline} } } grep { $_ ne 'unbound-static-current' } keys %want),
   'nothing else breaks');

# not rehearsed, with the reason
for my $r (qw(pdns-recursor dnsmasq)) {
    is($by{$r}{role}, 'not-rehearsed', "$r: not rehearsed");
    like($by{$r}{not_rehearsed}, qr/static .*anchor.*no RFC 5011/, "$r: the reason names its static anchor");
    is_deeply($by{$r}{timeline}, [], "$r: no made-up cells");
}

# RFC 8145: what reached the root's side (through the lab proxy)
ok($j->{signals_recorded}, 'RFC 8145 key tag queries were recorded at the root');
my @bs = map { $_->{signals} } @{ $by{bind}{timeline} };
ok(grep({ /\bnext\b/ && /\bcur\b/ } @bs), 'BIND signalled both keys while both were trusted') or diag("@bs");
like($bs[-1], qr/^next$/, 'and only the next key at the end') or diag("@bs");
my @us = map { $_->{signals} } @{ $by{unbound}{timeline} };
ok(grep({ /cur\+next|next\+cur/ } @us), 'unbound signalled both keys once next was Valid') or diag("@us");
ok(!grep({ /\bnext\b/ && !/cur/ } @us[0 .. 2]), 'but not next alone while current was Valid') or diag("@us");
like(join(' ', @{ [map { $_->{signals} } @{ $by{'unbound-static-both'}{timeline} }] }), qr/cur\+next|next\+cur/, 'the both-keys control signals both');

# interrupted: exit 130, the timeline so far, nothing left behind
{
    my $tmp = "/tmp/tp-roll-int-$$";
    mkdir $tmp or die;
    pipe(my $r, my $w) or die;
    my $pid = fork() // die;
    if (!$pid) {
        close $r;
        open STDOUT, '>&', $w or die;
        open STDERR, '>', "$tmp/err" or die;
        $ENV{TMPDIR} = $tmp;
        exec $tp, 'lab', 'roll', '--resolvers', 'unbound-static-current' or exit 127;
    }
    close $w;
    sleep 6; # past the first step (about 2 s), well before the second (about 15 s)
    kill 'INT', $pid;
    my $partial = do { local $/; <$r> };
    waitpid($pid, 0);
    is($? >> 8, 130, 'SIGINT: exit 130');
    like($partial, qr/^unbound-static-current\s+ok Vnew\/Vold\s+\(not reached\)/m, 'the steps done so far are shown');
    my $err = do { local (@ARGV, $/) = "$tmp/err"; <> };
    like($err, qr/interrupted; every lab process was stopped and the run directory removed/, 'one line says so');
    my @left = glob("$tmp/trustprobe-lab-roll-*");
    is(scalar @left, 0, 'no run directory left');
    unlink "$tmp/err";
    rmdir $tmp;
}
done_testing();
