#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
#
# The attacker proxy (testvectors/attacks): it starts and stops with the lab, forwards
# what no rule matches unchanged, serves the forgeries of the rules through the
# non-validating control resolver (unbound-novalidate, 127.53.1.6) while the control names
# stay genuine, refuses upstreams outside the lab, and leaves no process behind.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Copy qw(copy);
use File::Temp;
use Lab qw(tp lab_up lab_down lab_env run_queries lab_pids_alive procs_mentioning);

my $PROXY = '127.53.0.5';
my $NOVAL = '127.53.1.6';
my $EE = 'EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE';

# an upstream outside the lab plan is refused before anything is sent
my $bad = qx{@{[tp()]} lab proxy --listen 127.0.0.1 --upstream 192.0.2.53 --rules /dev/null 2>&1};
is($? >> 8, 2, 'the proxy refuses an upstream that is not a lab authoritative server');
like($bad, qr/--upstream 192\.0\.2\.53 is not a lab authoritative server/, 'and says why in one line');

my ($dir, $secs, $out, $rc) = lab_up(resolvers => 'unbound-novalidate');
is($rc, 0, 'lab up with the proxy exits 0') or diag($out);
BAIL_OUT("lab did not come up: $out") if $rc != 0;
my $status = qx{@{[tp()]} lab status --dir $dir 2>&1};
like($status, qr/^proxy\s+\d+\s+\Q$PROXY\E\s+running$/m, 'lab status shows the proxy running on 127.53.0.5');
my $log = "$dir/log/proxy.log";
my %env = lab_env($dir); # LAB_MTA_TLSA: the lab MX's key, the genuine TLSA of atk-b3.test.
like(slurp($log), qr/^proxy: listening on \Q$PROXY\E port 53 \(udp, tcp\), \d+ rules/m,
     'the proxy logs where it listens and how many rules it loaded');

# unmatched queries: the same reply from the proxy as from the nsd behind it
my @same = (['www.alg13.test.', 'A', '127.53.0.3'], ['.', 'SOA', '127.53.0.1'],
            ['www.atk-a1.test.', 'A', '127.53.0.3'], ['test.', 'DNSKEY', '127.53.0.2'],
            ['_25._tcp.mx2.c.atk-b1.test.', 'TLSA', '127.53.0.4']);
my @q;
for my $i (0 .. $#same) {
    my ($n, $t, $nsd) = @{ $same[$i] };
    push @q, ["p$i", $PROXY, $n, $t, '+norec'], ["n$i", $nsd, $n, $t, '+norec'],
             ["t$i", $PROXY, $n, $t, '+norec +tcp'];
}
my $r = run_queries($dir, \@q);
for my $i (0 .. $#same) {
    my ($n, $t) = @{ $same[$i] };
    my ($p, $d, $tc) = map { answer_text($r->{"$_$i"}{raw}) } qw(p n t);
    ok(length $d, "nsd answers $n $t");
    is($p, $d, "the proxy forwards $n $t unchanged (udp)");
    is($tc, $d, "and over tcp");
    is($r->{"p$i"}{status}, $r->{"n$i"}{status}, "with the same rcode");
}
unlike(slurp($log), qr/forged|refused/, 'no unmatched query was rewritten or refused');

# forgeries through the non-validating control, and their controls
my $rand = "r$$" . time % 100000;
my @atk = (
    # id, forged name, type, check on the forged reply, control name, type, check on control
    ['A1', "$rand.ax.atk-a1.test.", 'A', st('NXDOMAIN'), "$rand.ctl.atk-a1.test.", 'A', has('192.0.2.1')],
    ['A2', '_25._tcp.mx.atk-a2.test.', 'TLSA', noans('TLSA'), '_25._tcp.mx2.atk-a2.test.', 'TLSA', has('308EA8D5')],
    ['A3', '_25._tcp.mx.atk-a3.test.', 'TLSA', has('nothing.atk-a3.test.'), '_25._tcp.mx2.atk-a3.test.', 'TLSA', has('308EA8D5')],
    ['A4', "$rand.b.atk-a4.test.", 'A', has('192.0.2.4'), "$rand.b2.atk-a4.test.", 'A', st('NXDOMAIN')],
    ['A5', '_25._tcp.mx3.atk-a5.test.', 'TLSA', has('5A1E5A1E'), '_25._tcp.mx4.atk-a5.test.', 'TLSA', has('5A1E5A1E')],
    ['A6', '_25._tcp.mx3.atk-a6.test.', 'TLSA', st('NXDOMAIN'), '_25._tcp.mx4.atk-a6.test.', 'TLSA', has('5A1E5A1E')],
    ['A7', '_25._tcp.mx.atk-a7.test.', 'TLSA', has('5A1E5A1E'), '_25._tcp.mx2.atk-a7.test.', 'TLSA', has('308EA8D5')],
    ['B1', '_25._tcp.mx.c.atk-b1.test.', 'TLSA', st('NXDOMAIN'), '_25._tcp.mx2.c.atk-b1.test.', 'TLSA', has('308EA8D5')],
    ['B2.data', '_25._tcp.mx.c.atk-b2.test.', 'TLSA', has($EE), '_25._tcp.mx.c2.atk-b2.test.', 'TLSA', has('308EA8D5')],
    ['B3', '_25._tcp.mx.atk-b3.test.', 'TLSA', st('NXDOMAIN'), '_25._tcp.mx2.atk-b3.test.', 'TLSA', has(substr($env{LAB_MTA_TLSA}, 0, 16))],
    ['B4', '_25._tcp.mx.atk-b4.test.', 'TLSA', st('NXDOMAIN'), '_25._tcp.mx2.atk-b4.test.', 'TLSA', has('308EA8D5')],
    ['B5', 'mx.atk-b5.test.', 'AAAA', st('NXDOMAIN'), 'mx2.atk-b5.test.', 'AAAA', st('NOERROR')],
    ['B6', '_25._tcp.mx.atk-b6.test.', 'TLSA', noans('TLSA'), '_25._tcp.mx2.atk-b6.test.', 'TLSA', has('308EA8D5')],
    ['B6.nosoa', "$rand.nx.atk-b6.test.", 'A', st('NXDOMAIN'), "$rand.ctl.atk-b6.test.", 'A', st('NXDOMAIN')],
    ['B6.noaa', 'www.atk-b6.test.', 'A', has('192.0.2.1'), 'txt.atk-b6.test.', 'TXT', has('trustprobe')],
    ['B6.unrelated', 'mx.atk-b6.test.', 'A', noans('A'), 'mx2.atk-b6.test.', 'A', has('192.0.2.26')],
    ['C1.data', '_25._tcp.mx.c.atk-c1.test.', 'TLSA', has($EE), '_25._tcp.mx.c2.atk-c1.test.', 'TLSA', has('308EA8D5')],
    ['C5.data', '_25._tcp.mx.c.atk-c5.test.', 'TLSA', has($EE), '_25._tcp.mx.c2.atk-c5.test.', 'TLSA', has('308EA8D5')],
    ['C2.data', '_25._tcp.mx.c.atk-c2.test.', 'TLSA', has($EE), '_25._tcp.mx.c2.atk-c2.test.', 'TLSA', has('308EA8D5')],
    ['C3.data', '_25._tcp.mx.c.atk-c3.test.', 'TLSA', has($EE), '_25._tcp.mx.c2.atk-c3.test.', 'TLSA', has('308EA8D5')],
    ['C4', '_25._tcp.mx.atk-c4.test.', 'TLSA', st('NXDOMAIN'), '_25._tcp.mx2.atk-c4.test.', 'TLSA', has('308EA8D5')],
    ['D3', '_25._tcp.mx.atk-d3.test.', 'TLSA', st('NXDOMAIN'), '_25._tcp.mx2.atk-d3.test.', 'TLSA', has('308EA8D5')],
    ['D4', "$rand.p.atk-d4.test.", 'A', st('NXDOMAIN'), "$rand.q.atk-d4.test.", 'A', has('192.0.2.1')],
    ['E1', 'c.atk-e1.test.', 'DS', has('nothing.atk-e1.test.'), 'c2.atk-e1.test.', 'DS', st('NOERROR')],
);
# E2 is asked of the proxy itself: a resolver's iterator synthesises the CNAME from the
# DNAME on its own (RFC 6672 3.2; unbound with qname minimisation never even sends the full
# name), so only the reply shows the injected CNAME. Its control goes through the resolver.
my $e2 = run_queries($dir, [['e2', $PROXY, '_25._tcp.alias.atk-e2.test.', 'TLSA', '+norec'],
                            ['e2c', $NOVAL, '_25._tcp.alias2.atk-e2.test.', 'TLSA']]);
ok(has('_25._tcp.notlsa.dane.test.')->($e2->{e2}) && has('DNAME')->($e2->{e2}),
   'E2: the proxy answers the DNAME with an injected CNAME into dane.test.') or diag($e2->{e2}{raw});
ok(has('308EA8D5')->($e2->{e2c}), 'E2: the control _25._tcp.alias2.atk-e2.test. TLSA is genuine')
    or diag($e2->{e2c}{raw});
# forged names first: a control answered first could let the resolver's cache (the
# wildcard of A1, say) answer the forged name without asking the proxy
my (@fq, @cq);
for my $a (@atk) {
    push @fq, ["f$a->[0]", $NOVAL, $a->[1], $a->[2]];
    push @cq, ["c$a->[0]", $NOVAL, $a->[4], $a->[5]];
}
my $fr = run_queries($dir, \@fq);
my $cr = run_queries($dir, \@cq);
my $plog = slurp($log);
for my $a (@atk) {
    my ($id, $fn, $ft, $fchk, $cn, $ct, $cchk) = @$a;
    like($plog, qr/^proxy: forged \Q$id\E #\d+ (udp|tcp) \S+ \Q$fn\E $ft -> /mi, "$id: the proxy served a forgery for $fn $ft");
    ok($fchk->($fr->{"f$id"}), "$id: the forgery gets through unbound-novalidate") or diag($fr->{"f$id"}{raw});
    ok($cchk->($cr->{"c$id"}), "$id: the control $cn $ct is genuine") or diag($cr->{"c$id"}{raw});
}
my %ids = map { $_ => 1 } $plog =~ /^proxy: forged (\S+) /mg;
cmp_ok(scalar(keys %ids), '>=', 20, 'at least 20 different rules served forgeries');
unlike($plog, qr/not served/, 'no rule failed to build its forgery');

# garbage: random datagrams and TCP streams, seeded; the proxy answers a query afterwards
my $fuzz = File::Temp->new(SUFFIX => '.pl');
print $fuzz <<'PL';
use strict; use warnings; use IO::Socket::INET;
srand(20261201);
my $u = IO::Socket::INET->new(PeerAddr => '127.53.0.5:53', Proto => 'udp') or die "udp: $!";
for my $i (1 .. 2000) {
    my $len = int(rand(700));
    my $m = join '', map { chr(int(rand(256))) } 1 .. $len;
    substr($m, 2, 1) = chr(ord(substr($m, 2, 1)) & 0x7f) if $len > 2 && $i % 2; # some look like queries
    $u->send($m);
}
for my $i (1 .. 50) {
    my $t = IO::Socket::INET->new(PeerAddr => '127.53.0.5:53', Proto => 'tcp', Timeout => 2) or next;
    my $len = int(rand(3000));
    print $t join '', map { chr(int(rand(256))) } 1 .. $len;
    close $t;
}
print "sent\n";
PL
close $fuzz;
my $fo = qx{@{[tp()]} lab exec --dir $dir -- perl @{[$fuzz->filename]} 2>&1};
like($fo, qr/^sent$/m, 'garbage was sent to the proxy (2000 datagrams, 50 TCP streams)');
my $after = run_queries($dir, [['g', $PROXY, 'www.alg13.test.', 'A', '+norec']]);
is($after->{g}{status}, 'NOERROR', 'the proxy still answers after the garbage');
like(qx{@{[tp()]} lab status --dir $dir 2>&1}, qr/^proxy\s+\d+\s+\S+\s+running$/m, 'and is still running');

# stop: the proxy goes with the lab, logs its stop and leaves nothing behind
copy("$dir/lab.state", "$dir/state.copy");
my ($dsecs, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down exits 0') or diag($dout);
is_deeply([lab_pids_alive("$dir/state.copy")], [], 'no lab process is alive after down');
is_deeply([procs_mentioning("--zone-dir $dir")], [], 'no proxy process is left');
like(slurp($log), qr/^proxy: stopped by signal 15: \d+ queries, \d+ forged, 0 refused$/m,
     'the proxy stopped cleanly on SIGTERM');

done_testing();

sub slurp { my ($f) = @_; open my $fh, '<', $f or return ''; local $/; return <$fh> // '' }

# The answer section of a dig reply, without TTLs, in order.
sub answer_text {
    my ($raw) = @_;
    return join "\n", map { my @f = split ' '; splice @f, 1, 1; join ' ', @f }
        grep { !/^;/ && /\S/ } split /\n/, $raw // '';
}
sub st { my ($want) = @_; sub { $_[0]{status} eq $want } }
sub has {
    my ($s) = @_;
    sub { (my $t = answer_text($_[0]{raw})) =~ s/\s+//g; $_[0]{status} eq 'NOERROR' && index($t, $s) >= 0 }
}
sub noans { my ($t) = @_; sub { $_[0]{status} eq 'NOERROR' && !grep { $_ eq $t } @{ $_[0]{answer} } } }
