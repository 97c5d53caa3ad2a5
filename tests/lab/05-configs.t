#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Every config the lab writes passes the program's own checker, and each resolver's config
# carries the lab's trust anchor, not the real root's (Debian's files are never used).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Lab qw(lab_up lab_down lab_env);

my ($dir, undef, $out, $rc) = lab_up();
BAIL_OUT("lab did not come up: $out") if $rc != 0;
my %env = lab_env($dir);

for my $role (qw(root tld child grandchild)) {
    my $o = qx{nsd-checkconf $dir/nsd-$role/nsd.conf 2>&1};
    is($? >> 8, 0, "nsd-checkconf accepts nsd-$role") or diag($o);
}
for my $n (qw(unbound unbound-novalidate fwd-unbound)) {
    my $o = qx{unbound-checkconf $dir/$n/unbound.conf 2>&1};
    like($o, qr/no errors/, "unbound-checkconf accepts $n") or diag($o);
}
my $o;
for my $n (qw(bind fwd-bind)) {
    $o = qx{named-checkconf $dir/$n/named.conf 2>&1};
    is($? >> 8, 0, "named-checkconf accepts $n") or diag($o);
}
for my $n (qw(dnsmasq dnsmasq-proxy fwd-dnsmasq fwd-dnsmasq-proxy)) {
    $o = qx{dnsmasq --test --conf-file=$dir/$n/dnsmasq.conf 2>&1};
    like($o, qr/syntax check OK/, "dnsmasq --test accepts $n") or diag($o);
}

# the lab anchor, and no real root key (KSK-2017 20326, KSK-2024 38696) in any config
open my $fh, '<', $env{LAB_TA_DS} or die;
my ($digest) = (<$fh> =~ /\sDS\s+\d+\s+\d+\s+\d+\s+(\S+)/);
ok($digest, 'the lab DS has a digest');
for my $n (qw(dnsmasq fwd-dnsmasq)) {
    my $dnsmasq = do { local (@ARGV, $/) = "$dir/$n/dnsmasq.conf"; <> };
    like($dnsmasq, qr/trust-anchor=\.,$env{LAB_KSK_CURRENT},8,2,\Q$digest\E/i, "$n trusts the lab KSK");
}
# the forwarders forward to the liar, and only there; the liar to unbound-novalidate
my %conf = map { my $n = $_; $n => scalar(qx{cat $dir/$n/*.conf 2>/dev/null}) }
    qw(fwd-dnsmasq-proxy fwd-dnsmasq fwd-unbound fwd-bind fwd-pdns-recursor);
like($conf{'fwd-dnsmasq-proxy'}, qr/^server=127\.53\.1\.10\@127\.53\.1\.11$/m, 'fwd-dnsmasq-proxy forwards to the liar, from its own address');
like($conf{'fwd-dnsmasq'}, qr/^server=127\.53\.1\.10\@127\.53\.1\.12$/m, 'fwd-dnsmasq forwards to the liar, from its own address');
like($conf{'fwd-unbound'}, qr/^forward-zone:\n\tname: "\."\n\tforward-addr: 127\.53\.1\.10$/m, 'fwd-unbound forwards "." to the liar');
like($conf{'fwd-bind'}, qr/^\tforwarders \{ 127\.53\.1\.10; \};\n\tforward only;$/m, 'fwd-bind forwards only to the liar');
like($conf{'fwd-pdns-recursor'}, qr/^forward-zones-recurse=\.=127\.53\.1\.10$/m, 'fwd-pdns-recursor forwards "." to the liar');
my $ps = do { local (@ARGV, $/) = "/proc/" . (qx{@{[Lab::tp()]} lab status --dir $dir} =~ /^liar\s+(\d+)/m)[0] . "/cmdline"; <> } // '';
$ps =~ tr/\0/ /;
like($ps, qr/ lab proxy --resolver --listen 127\.53\.1\.10 --upstream 127\.53\.1\.6 --lie ad $/, 'the liar runs in front of unbound-novalidate');
my $all = qx{cat $dir/*/*.conf $dir/*/*.lua 2>/dev/null};
unlike($all, qr/E06D44B80B8F1D39|683D2D0ACB8C9B71|49AAC11D7B6F6446/i, "no config carries a real root KSK digest");
unlike($all, qr{/usr/share/dns/root\.(key|ds|hints)}, 'no config reads Debian\'s real root files');

# kresd's LMDB cache is preallocated to its configured size: the lab's is small
my $mdb = "$dir/knot-resolver/cache/data.mdb";
ok(-e $mdb, 'kresd made its cache file');
my $size = -s $mdb // 0;
ok($size > 0 && $size <= 10 * 1024 * 1024, "the kresd cache file is at most 10 MB ($size bytes), not Debian's 100 MB");

my (undef, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down') or diag($dout);
done_testing();
