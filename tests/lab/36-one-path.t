#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# One probe path: the one-shot 'trustprobe lab' and 'lab up' + 'trustprobe --lab D' give the
# same result for every case (before, the one-shot had its own copy of the flow, with the
# zone "test." written into it and no lab key tags).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use JSON::PP;
use Test::More;
use Lab qw(tp lab_up);

my $tp = tp();
my ($dir, undef, $out, $rc) = lab_up(resolvers => 'unbound');
is($rc, 0, 'lab up') or BAIL_OUT($out);
my $a = decode_json(scalar qx{$tp --lab $dir --format json 127.53.1.1});
my $b = decode_json(scalar qx{$tp lab --resolvers unbound --format json});
my %sa = map { $_->{id} => $_->{status} } @{ $a->{resolvers}[0]{cases} };
my %sb = map { $_->{id} => $_->{status} } @{ $b->{resolvers}[0]{cases} };
ok(scalar(keys %sa) > 30, scalar(keys %sa) . ' cases through --lab');
is_deeply(\%sb, \%sa, 'the one-shot lab gives every case the same status as --lab');
is($b->{resolvers}[0]{verdict}, $a->{resolvers}[0]{verdict}, 'and the same verdict');
my @lab_only = grep { $_->{reason} =~ /lab-only/ } @{ $a->{resolvers}[0]{cases} };
is(scalar @lab_only, 0, 'no case is skipped as lab-only through --lab');
like($a->{resolvers}[0]{software} // '', qr/^unbound \d/, '--lab also names the software');
done_testing();
