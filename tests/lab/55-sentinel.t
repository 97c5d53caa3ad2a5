#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# RFC 8509 sentinel class of every lab resolver, for the lab root's current and next KSK.
# Expected, by resolver, with the reason:
# - unbound, knot-resolver: Vnew for the current key, Vold for the next: they take the next
#   key through RFC 5011 and it is still in its 30-day add hold-down (unbound's autotrust
#   file shows it ADDPEND: tests/lab/50-anchors.t).
# - bind: Vnew for both, observed: named, given the current key as initial-key, trusts the
#   next key from its first start. bind.keys says initial keys only initialise the managed-key
#   database; that the first fetch then accepts every key the initial key signs, with no add
#   hold-down, is the likely cause and is still to be confirmed in BIND's source (the roll
#   rehearsal of issue 8 depends on it).
# - pdns-recursor, dnsmasq: Vind: they validate but implement no sentinel (FACTS.md: no
#   RFC 8509 in PowerDNS Recursor 4.8 or dnsmasq 2.90).
# - unbound-novalidate: nonV (the bogus name answers).
# - dnsmasq-proxy: what its upstream unbound says (it copies the answers).
# - the forwarder matrix: the liar is nonV (it relays unbound-novalidate's answers) and so
#   is fwd-dnsmasq-proxy, which copies them; the validating forwarders apply the sentinel
#   to what they validate themselves, so each is what its direct sibling is.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use JSON::PP;
use Test::More;
use Time::HiRes qw(time sleep);
use Lab qw(tp lab_up);

my %want = (
    'unbound'            => ['Vnew', 'Vold'],
    'bind'               => ['Vnew', 'Vnew'],
    'pdns-recursor'      => ['Vind', 'Vind'],
    'knot-resolver'      => ['Vnew', 'Vold'],
    'dnsmasq'            => ['Vind', 'Vind'],
    'unbound-novalidate' => ['nonV', 'nonV'],
    'dnsmasq-proxy'      => ['Vnew', 'Vold'],
    'liar'               => ['nonV', 'nonV'],
    'fwd-dnsmasq-proxy'  => ['nonV', 'nonV'],
    'fwd-dnsmasq'        => ['Vind', 'Vind'],
    'fwd-unbound'        => ['Vnew', 'Vold'],
    'fwd-bind'           => ['Vnew', 'Vnew'],
    'fwd-pdns-recursor'  => ['Vind', 'Vind'],
);
my %status = (Vnew => 'pass', nonV => 'fail', Vind => 'skip');
my $tp = tp();
my ($dir, undef, $out, $rc) = lab_up();
is($rc, 0, 'lab up') or BAIL_OUT($out);
# BIND trusts the next key once its first key refresh at start has fetched the root's
# DNSKEY RRset: until then only the initial key is a trust anchor and the next key's class
# is Vold. The lab is ready when every resolver answers, which can come first on a loaded
# machine (the forwarding instance's fetch goes through the liar); so wait, up to 20 s, for
# each BIND instance's managed-keys journal to hold a KEYDATA record for both of the
# root's keys (named-journalprint, BIND's own reader).
sub bind_keydata {
    my ($inst) = @_;
    my $jnl = "$dir/$inst/managed-keys.bind.jnl";
    return 0 unless -f $jnl;
    my %n;
    for (qx{named-journalprint '$jnl' 2>/dev/null}) {
        next unless /^(add|del) \.\s+\d+\s+IN\s+TYPE65533 \\# (\d+) (\S+)/;
        next if $2 < 20;                      # the placeholder before the first fetch
        $n{$3} += $1 eq 'add' ? 1 : -1;
    }
    return scalar grep { $_ > 0 } values %n;
}
for my $inst (qw(bind fwd-bind)) {
    my $t0 = time;
    sleep 0.2 while bind_keydata($inst) < 2 && time - $t0 < 20;
    cmp_ok(bind_keydata($inst), '>=', 2, "$inst: its first key refresh holds both root keys");
}
# -t 20: on a loaded machine the forwarders' chain (forwarder, liar, unbound-novalidate,
# nsd) is slow, and a timeout would make a class unknown
my $j = decode_json(scalar qx{$tp --lab $dir -t 20 --case 'root-trust.sentinel*' --format json});
for my $r (@{ $j->{resolvers} }) {
    my %c = map { $_->{id} => $_ } @{ $r->{cases} };
    my $w = $want{$r->{name}} or next;
    for my $i (0, 1) {
        my $id = ('root-trust.sentinel-current', 'root-trust.sentinel-next')[$i];
        my $class = $w->[$i];
        my $st = $status{$class} // ($i == 0 ? 'fail' : 'warn');
        like($c{$id}{reason} // '', qr/\($class:/, "$r->{name}: $id is $class")
            or diag($c{$id}{reason});
        is($c{$id}{status}, $st, "$r->{name}: $id is $st");
    }
}
is(scalar @{ $j->{resolvers} }, scalar keys %want, 'all ' . scalar(keys %want) . ' lab resolvers were asked');
done_testing();
