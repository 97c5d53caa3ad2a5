#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# The roll verdict (roll_ready), judged from the root-trust group alone, beside dane_ready:
# - with --lab the root is the lab's, whose next KSK is published: ready only where the
#   sentinel shows the next key trusted (BIND); not ready where it shows it is not yet
#   (unbound, Knot Resolver, and dnsmasq-proxy through unbound); unknown where nothing can
#   show it (PowerDNS Recursor and dnsmasq have no sentinel; FACTS.md);
# - with no test zone at all (an operator's first run), the probe still judges the roll from
#   the root DNSKEY RRset and the root's own NXDOMAIN against the real root's calendar. The
#   lab root is not the real root, so it must come out not ready, naming the key in force
#   for the date (--now moves the date).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use JSON::PP;
use Test::More;
use Lab qw(tp lab_up);

my $tp = tp();
my ($dir, undef, $out, $rc) = lab_up();
is($rc, 0, 'lab up') or BAIL_OUT($out);
my $j = decode_json(scalar qx{$tp --lab $dir --case 'root-trust.*' --format json});
my %by = map { $_->{name} => $_ } @{ $j->{resolvers} };
my %want = (bind => 'ready', unbound => 'not-ready', 'knot-resolver' => 'not-ready',
            'dnsmasq-proxy' => 'not-ready', 'pdns-recursor' => 'unknown', dnsmasq => 'unknown',
            'unbound-novalidate' => 'not-ready');
for my $r (sort keys %want) {
    is($by{$r}{roll_verdict}, $want{$r}, "$r: roll $want{$r}") or diag($by{$r}{roll_note});
    is($by{$r}{roll_ready} ? 1 : 0, $want{$r} eq 'ready' ? 1 : 0, "$r: roll_ready matches");
}
like($by{unbound}{roll_note}, qr/sentinel-next.*Vold: does not trust the next KSK yet/, 'unbound: the note names the next key');
like($by{'pdns-recursor'}{roll_note}, qr/cannot tell whether it trusts the next root KSK.*Vind/, 'pdns-recursor: the note says why it cannot tell');
my ($keys) = grep { $_->{id} eq 'root-trust.dnskey-keys' } @{ $by{bind}{cases} };
is($keys->{status}, 'pass', 'the lab root DNSKEY RRset is as expected');
like($keys->{reason}, qr/^root KSKs \d+, \d+; signed by \d+; TTL \d+ \(on \d{4}-\d\d-\d\d: as expected\); next step: the lab's next KSK \d+ signs alone/,
     'and the reason lists the keys, the signer, the TTL and the next step');

# --trust-anchor FILE against what the resolver's sentinel says
is($by{unbound}{trust_anchor}, "$dir/ta/root.ds trusts the key in force ($1), and so does the resolver (sentinel): they agree",
   'the lab anchor and unbound agree') if `grep LAB_KSK_CURRENT $dir/lab.env` =~ /=(\d+)/;
my $tn = decode_json(scalar qx{$tp --lab $dir --case 'root-trust.*' --trust-anchor $dir/ta/root-next.ds --format json 127.53.1.1});
like($tn->{resolvers}[0]{trust_anchor}, qr/root-next\.ds does not trust the key in force .* but the resolver does \(sentinel\)/,
     'a file that does not trust the key in force, against a resolver that does: they disagree');

# no test zone: the real root's calendar
my $nz = decode_json(scalar qx{$tp lab exec --dir $dir -- $tp --format json --now 2026-12-01 --trust-anchor $dir/ta/root.ds 127.53.1.2});
my $r = $nz->{resolvers}[0];
is($r->{verdict}, 'not-ready', 'without a test zone: a root not signed by the key in force is no root to trust for DANE either');
is($r->{roll_verdict}, 'not-ready', 'but the roll is judged: the lab root is not the real one');
like($r->{roll_note}, qr/root-trust\.dnskey-keys: .*the KSK in force, KSK-2024 \(38696\), does not sign it/, 'naming the key in force on 2026-12-01');
my ($nx) = grep { $_->{id} eq 'root-trust.root-nxdomain' } @{ $r->{cases} };
is($nx->{status}, 'pass', "the root's own NXDOMAIN is authenticated with no test zone");
$nz = decode_json(scalar qx{$tp lab exec --dir $dir -- $tp --format json --now 2026-10-01 --trust-anchor $dir/ta/root.ds 127.53.1.2});
like($nz->{resolvers}[0]{roll_note}, qr/KSK-2017 \(20326\), does not sign it/, '--now 2026-10-01: KSK-2017 was in force');
my $t = qx{$tp lab exec --dir $dir -- $tp --color never --trust-anchor $dir/ta/root.ds 127.53.1.2};
like($t, qr/^  root key roll: NOT-READY \(cause \d+\)$/m, 'the text report says which verdict is the roll, and which cause');
like($t, qr/^ 1 FAIL +the root DNSKEY RRset it returns validates, but is not what the root/m,
     'the cause: the root keys are not those of the date');
my $n = qx{$tp lab exec --dir $dir -- $tp --format nagios --trust-anchor $dir/ta/root.ds -H 127.53.1.2};
like($n, qr/^TRUSTPROBE CRITICAL - 127\.53\.1\.2: the root DNSKEY RRset it returns/, 'and so does the plugin');
like($n, qr/ '127\.53\.1\.2 roll_days'=\d+;30:;7:;0;/, 'with the days before the next root key event, not being ready for it');
$n = qx{$tp lab exec --dir $dir -- $tp --format nagios --trust-anchor $dir/ta/root.ds --now 2027-01-06 -w ,60: -H 127.53.1.2};
like($n, qr/ '127\.53\.1\.2 roll_days'=5;60:;7:;0;/, '--now 2027-01-06: 5 days before the revocation of KSK-2017, -w as given');
# a resolver whose anchor is the wrong key (the lab's next KSK, which does not sign yet): the
# root does not validate, and that finding leads the report with its causes and the fix
(my $conf = do { local (@ARGV, $/) = "$dir/spare/unbound/unbound.conf"; <> }) =~
    s{auto-trust-anchor-file: .*}{trust-anchor-file: "$dir/ta/root-next.ds"};
$conf =~ s{unbound\.pid}{wrong.pid};
open my $fh, '>', "$dir/spare/unbound/wrong.conf" or die;
print $fh $conf;
close $fh;
my ($ub) = grep { -x } map { "$_/unbound" } qw(/usr/local/sbin /usr/sbin /sbin);
my $pid = fork // die;
if (!$pid) { open STDOUT, '>', "$dir/wrong.log"; open STDERR, '>&', \*STDOUT; exec $tp, 'lab', 'exec', '--dir', $dir, '--', $ub, '-d', '-c', "$dir/spare/unbound/wrong.conf"; exit 127 }
my $w;
for (1 .. 100) { $w = qx{$tp --lab $dir --color never --case 'root-trust.dnskey' 127.53.2.1}; last if $w =~ /trust anchor does not match/ && $w !~ /could not be checked/; select undef, undef, undef, 0.05 }
like($w, qr/^ 1 FAIL +the resolver's root trust anchor does not match the KSK that signs/m,
     'a wrong anchor: it leads the report as its first cause');
like($w, qr/fix: give the resolver a current root trust anchor/, 'and what to do');
(my $wv = qx{$tp --lab $dir --color never -v 127.53.2.1}) =~ s/\n {4,}/ /g; # wrapped rows joined
like($wv, qr/FAIL  validation\.ad-secure: SERVFAIL on data that validates against the probe's anchor: the resolver's trust anchor is the likely cause/,
     "the independent validator shows the data is fine: the resolver's anchor or clock is the cause");
like($wv, qr/the probe's own validator finds the data it refuses secure/, 'and the cause says so');
my $wt = qx{$tp --lab $dir --color never --case 'transport.*' -v 127.53.2.1};
like($wt, qr/^  transport   PASS$/m, 'transport is asked with CD: a wrong anchor does not show as a transport failure');
like($w, qr/root key roll: NOT-READY/, 'the roll is not ready');
kill 'TERM', $pid;
waitpid $pid, 0;

my $bad = qx{$tp --now 2026-02-30 127.0.0.1 2>&1};
is($? >> 8, 2, 'a bad --now: exit 2');
like($bad, qr/--now wants a date YYYY-MM-DD, not '2026-02-30'/, 'one line');
done_testing();
