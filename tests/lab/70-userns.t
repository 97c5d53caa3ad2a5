#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# User namespaces turned off, for real but without touching the host: inside a throwaway
# user namespace (unshare -Ur) user.max_user_namespaces is set to 0 for that namespace
# only, so the lab's own unshare fails with ENOSPC there. The lab says in one line that
# user namespaces are unavailable, which setting does it and what to change.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw(tempdir);
use Lab qw(tp);

my $tp = tp();
my $probe = qx{unshare -Ur sh -c 'echo 0 > /proc/sys/user/max_user_namespaces && cat /proc/sys/user/max_user_namespaces' 2>&1};
plan skip_all => "cannot set user.max_user_namespaces in a nested user namespace here: $probe"
    unless $probe eq "0\n";

my $tmp = tempdir('tp-userns-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $host = do { local (@ARGV, $/) = '/proc/sys/user/max_user_namespaces'; <> };
# runs CMD inside a user namespace whose max_user_namespaces is 0
sub nested {
    my ($cmd) = @_;
    my $o = qx{TMPDIR=$tmp unshare -Ur sh -c 'echo 0 > /proc/sys/user/max_user_namespaces && exec $cmd' 2>&1};
    return ($o, $? >> 8);
}

my $want = qr/user namespaces are unavailable: user\.max_user_namespaces is 0; allow them with 'sysctl -w user\.max_user_namespaces=15000'$/;
my ($o, $rc) = nested("$tp lab up --dir $tmp/lab");
is($rc, 2, 'lab up without user namespaces exits 2');
like($o, qr/^trustprobe lab up: $want/, 'and names the setting and what to change') or diag($o);
is(scalar(() = $o =~ /\n/g), 1, 'in one line');
unlike($o, qr/No space left on device/, 'not the raw errno');
ok(!-e "$tmp/lab/lab.state", 'no lab state is left');

($o, $rc) = nested("$tp lab");
is($rc, 2, 'trustprobe lab without user namespaces exits 2');
like($o, qr/^trustprobe lab: $want/, 'with the same line') or diag($o);
is(scalar(() = $o =~ /\n/g), 1, 'and nothing else');
is_deeply([glob("$tmp/trustprobe-lab-run-*")], [], 'and leaves no run directory');

is(do { local (@ARGV, $/) = '/proc/sys/user/max_user_namespaces'; <> }, $host, 'the host setting is unchanged');
done_testing();
