#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Every attack of ATTACKS.md A-E against every lab resolver, through the attacker proxy.
# The rule of every case is the RFC's: a forged answer that gets through, with or without
# AD, fails it. Where a Debian 12 resolver lets a forgery through, that resolver's result is
# recorded here by name, with the evidence (its source and Debian changelog; the notes are
# in the README's attack table); the rule is never loosened for anyone.
# The non-validating control must let at least 20 forgeries through (the cases can fail),
# and every control query must get its genuine answer (the cases could tell).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use JSON::PP;
use Test::More;
use Lab qw(tp lab_up lab_down procs_mentioning);

# Known results of the Debian 12 packages, each with its evidence: tests/lab/lib/Attacks.pm.
# A case not named there must pass.
use Attacks qw(%known);

my $tp = tp();
my ($dir, undef, $out, $rc) = lab_up();
is($rc, 0, 'lab up') or BAIL_OUT($out);
my $o = qx{$tp --lab $dir --case 'denial.atk-*' --format json};
my $j = decode_json($o);
my %by = map { $_->{name} => $_ } @{ $j->{resolvers} };
my @ids = map { $_->{id} } @{ $by{bind}{cases} };
ok(@ids >= 25, scalar(@ids) . ' attack cases (ATTACKS.md A-E)');

my $novalidate = grep { $_->{status} eq 'fail' } @{ $by{'unbound-novalidate'}{cases} };
ok($novalidate >= 20, "the non-validating control lets $novalidate forgeries through (>= 20): the cases can fail");

for my $r (sort keys %known) {
    my %c = map { $_->{id} => $_ } @{ $by{$r}{cases} };
    for my $id (@ids) {
        my ($atk) = $id =~ /^denial\.atk-(\w+?)-/;
        my $want = $known{$r}{$atk} // 'pass';
        like($c{$id}{status}, qr/^(?:$want)$/, "$r: $id: $want") or diag($c{$id}{reason});
    }
}
# the reasons name the forgery, what the resolver answered, and the advisory
my ($e3) = grep { $_->{id} =~ /atk-e3-/ } @{ $by{unbound}{cases} };
like($e3->{reason}, qr/^observed ctl: NOERROR, AD set, answer TLSA.*fwd: NOERROR, AD set, answer TLSA.*\(E3: data signed by a revoked key accepted\).*unbound 1\.25\.0/,
     'a failure names what was observed, the forgery and the advisory');

# the proxy logged what it forged, and stops with the lab
my $log = do { local (@ARGV, $/) = "$dir/log/proxy.log"; <> } // '';
my %rules = map { $_ => 1 } $log =~ /^proxy: forged (\S+) /mg;
ok(keys %rules >= 20, scalar(keys %rules) . ' distinct rules forged replies');
my (undef, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down');
is_deeply([procs_mentioning($dir)], [], 'no proxy or daemon left');
done_testing();
