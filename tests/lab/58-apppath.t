#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# The application's path: when the probe takes its resolvers from /etc/resolv.conf, it also
# asks libc (res_nquery) for a secure lab name, as Postfix asks (RES_USE_DNSSEC, RES_TRUSTAD)
# and as a plain client does. glibc 2.36 (Debian 12) clears AD for the plain client unless
# resolv.conf says "options trust-ad". The lab's own resolv.conf is bind-mounted over
# /etc/resolv.conf in a private mount namespace inside the lab; the real one is never read.
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
sub app {
    my ($conf) = @_;
    open my $fh, '>', "$dir/resolv.conf" or die;
    print $fh $conf;
    close $fh;
    my $o = qx{$tp lab exec --dir $dir -- unshare -m sh -c 'mount --bind $dir/resolv.conf /etc/resolv.conf && exec $tp --zone test. --case validation.ad-secure --format json'};
    my $j = eval { decode_json($o) } or diag($o);
    return $j ? $j->{application} : undef;
}
my $a = app("nameserver 127.53.1.1\n");
ok($a, 'the report has the application path') or BAIL_OUT('no application path');
ok($a->{ad_with_trustad}, 'as Postfix asks, AD reaches the application');
ok(!$a->{ad_plain_client}, 'a plain client sees AD cleared without trust-ad (glibc 2.31+)');
ok(!$a->{options_trust_ad}, 'and the report says trust-ad is absent');
ok($a->{all_loopback}, 'every nameserver is on loopback');
like($a->{note}, qr/a plain client sees AD cleared \(no 'options trust-ad': glibc clears it\)/, 'the note says why');
$a = app("nameserver 127.53.1.1\noptions trust-ad\n");
ok($a->{options_trust_ad} && $a->{ad_plain_client}, 'with options trust-ad a plain client sees AD too');
$a = app("nameserver 127.53.1.1\nnameserver 127.53.1.2\n");
ok($a->{all_loopback}, 'two loopback nameservers');
my $j = decode_json(scalar qx{$tp --lab $dir --format json 127.53.1.1});
ok(!exists $j->{application}, 'an explicit resolver is not the application path: not checked');
done_testing();
