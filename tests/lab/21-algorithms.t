#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# The algorithm matrix (issue 14) through every lab resolver: each DNSKEY algorithm ldns and
# OpenSSL sign with here under DS digest types 1, 2 and 4, an unassigned algorithm, a
# PRIVATEDNS one and an unassigned digest, judged by the catalogue's rules (RFC 8624 3.1 and
# 3.3, RFC 9904, RFC 9905, RFC 4035 5.2). What the RFCs require of each cell is checked for
# every validating instance; what each one actually does is recorded below by name, with
# the reason, and a change fails the test. Then a BIND on the spare address with SHA-1 and
# RSASHA512 turned off (named.conf's disable-algorithms and disable-ds-digests) shows that
# the cells can fail: RSASHA512 is a MUST. EDE codes (RFC 8914) are recorded per resolver
# beside the ones the catalogue suggests; they never decide a status.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP;
use Time::HiRes qw(sleep time);
use Lab qw(tp lab_up lab_down lab_env run_queries);

my $tp = tp();
# What the RFCs allow per cell (the catalogue's rules, testvectors/cases): the outcomes a
# validating resolver may give. alg => digest => allowed outcomes.
my %must = map { $_ => 1 } (8, 10, 13);
my %mustnot = map { $_ => 1 } (1, 3, 6);
sub allowed {
    my ($alg, $digest) = @_;
    return 'insecure' if $mustnot{$alg} || $alg == 100 || $alg == 253 || $digest == 100;
    return 'validated' if $must{$alg} && $digest == 2;
    return 'validated|insecure';
}

# What each lab instance does, recorded (Debian 12: unbound 1.17.1, BIND 9.18.49, PowerDNS
# Recursor 4.8.8, Knot Resolver 5.6.0, dnsmasq 2.90, OpenSSL 3.0): every validator
# validates RSASHA1 and RSASHA1-NSEC3-SHA1 and every DS digest type 1 (Debian's OpenSSL
# does not refuse SHA-1 signatures), and every algorithm 5 to 16 here; none validates
# RSAMD5 or DSA (RFC 8624: MUST NOT); all make the unknown ones insecure.
my %validators = map { $_ => 1 } qw(unbound bind pdns-recursor knot-resolver dnsmasq dnsmasq-proxy
    fwd-dnsmasq fwd-unbound fwd-bind fwd-pdns-recursor);
sub validator_cell {
    my ($alg, $digest) = @_;
    return 'insecure' if $mustnot{$alg} || $alg == 100 || $alg == 253 || $digest == 100;
    return 'validated';
}
# Instances that differ from a validator, by design: {name} => [cell outcome, reason].
my %control = (
    'unbound-novalidate' => [sub { 'insecure' },
        'control: iterator only, validates nothing: every MUST cell fails'],
    'liar' => [sub { 'validated' },
        'control: AD on every NOERROR it relays: the MUST NOT and unknown cells fail'],
    'fwd-dnsmasq-proxy' => [sub { 'validated' },
        'dnsmasq --proxy-dnssec copies the liar\'s AD (dnsmasq(8), --proxy-dnssec)'],
);
# Known gaps of a validating instance, {name}{case} => [outcome, reason]: none in Debian 12.
my %known = (
);
# The EDE codes (RFC 8914) each gives, recorded: {name} => {what => codes}. "insecure" is a
# matrix cell the resolver cannot validate (suggested: 1, or 2 for a digest); the bogus
# cases with their suggestion: bogus-sig 6, expired 7, notyet 8, ds-mismatch 9. unbound
# 1.17.1 has 'ede: no' by default, BIND 9.18 and PowerDNS Recursor 4.8.8 give none for
# these; Knot Resolver gives 0 (Other Error, "LSLC: unsupported digest/key") where 1 or 2
# is suggested and 6 where 9 is, and for the corrupted signature 6 in some runs and none in
# others (seen both ways in the lab; a pattern, then); dnsmasq gives 6 for every bogus answer.
my %ede = (
    'knot-resolver' => {insecure => '0', 'bogus-sig' => '6|', expired => '7', notyet => '8',
                        'ds-mismatch' => '6'},
    'dnsmasq'       => {insecure => '', 'bogus-sig' => '6', expired => '6', notyet => '6',
                        'ds-mismatch' => '6'},
    'fwd-dnsmasq'   => {insecure => '', 'bogus-sig' => '6', expired => '6', notyet => '6',
                        'ds-mismatch' => '6'},
);
my %quiet = map { $_ => {insecure => '', 'bogus-sig' => '', expired => '', notyet => '',
                         'ds-mismatch' => ''} } qw(unbound bind pdns-recursor);

my ($dir, undef, $up, $urc) = lab_up();
BAIL_OUT("lab did not come up: $up") if $urc != 0;
my %env = lab_env($dir);
my %addr = map { split /=/ } split ' ', $env{LAB_RESOLVERS};
my %name_of = reverse %addr;
my ($spare) = split ' ', $env{LAB_SPARE_ADDRS};

# ---- a BIND on the spare address that treats SHA-1 and RSASHA512 as unsupported ----
my $conf = do { local (@ARGV, $/) = "$dir/spare/bind/named.conf"; <> } // '';
my $nosha1 = "\tdisable-algorithms \".\" { RSASHA1; NSEC3RSASHA1; RSASHA512; };\n"
           . "\tdisable-ds-digests \".\" { SHA-1; };\n";
ok($conf =~ s/^options \{\n/options {\n$nosha1/m, 'the spare BIND config has an options block');
open my $fh, '>', "$dir/spare/bind/nosha1.conf" or die;
print $fh $conf;
close $fh;
my $chk = qx{named-checkconf $dir/spare/bind/nosha1.conf 2>&1};
is($?, 0, 'named-checkconf accepts disable-algorithms and disable-ds-digests') or diag($chk);
my $pid = fork // die;
if (!$pid) {
    open STDOUT, '>', "$dir/spare-bind.out";
    open STDERR, '>&', \*STDOUT;
    exec $tp, 'lab', 'exec', '--dir', $dir, '--', 'named', '-g', '-c', "$dir/spare/bind/nosha1.conf";
    exit 127;
}
my $t0 = time;
while (time - $t0 < 15) {
    my $q = run_queries($dir, [['up', $spare, '.', 'SOA', '+norec +tries=1 +timeout=1']]);
    last if $q->{up}{status} ne 'TIMEOUT';
    sleep 0.1;
}

# ---- the probe: the validation group of every lab resolver and the spare, at once ----
my @targets = ((map { $addr{$_} } sort keys %addr), $spare);
my $t1 = time;
my $json = qx{$tp --lab $dir --format json --case 'validation.*' @targets 2>&1};
my $doc = eval { decode_json($json) } || {};
diag(sprintf 'probed %d resolvers in %.1f s', scalar(@targets), time - $t1);
my %res = map { ($name_of{$_->{resolver}} // $_->{resolver}) => $_ } @{ $doc->{resolvers} || [] };
is(scalar(keys %res), scalar(@targets), 'a report for every resolver') or diag($json);

my (%grid, %edes);
for my $r (sort keys %addr) {
    my $rep = $res{$r} or next;
    my @cells = @{ $rep->{matrix} || [] };
    is(scalar @cells, 36, "$r: 36 cells (11 algorithms by 3 digest types, 3 unknowns)");
    my %case = map { $_->{id} => $_ } @{ $rep->{cases} || [] };
    for my $c (@cells) {
        my ($alg, $dg, $id) = ($c->{alg}, $c->{digest}, $c->{case});
        $grid{$r}{"$alg/$dg"} = $c;
        my ($want, $why);
        if (my $k = $known{$r}{$id}) { ($want, $why) = ($k->[0], "KNOWN $r: $k->[1]") }
        elsif ($control{$r}) { ($want, $why) = ($control{$r}[0]->($alg, $dg), $control{$r}[1]) }
        else { ($want, $why) = (validator_cell($alg, $dg), 'recorded: Debian 12 validates it') }
        like($c->{outcome}, qr/^(?:$want)$/, "$r: $id ($c->{algorithm}, DS $c->{digest_name}): $want")
            or diag("$r $id: $c->{outcome} ($c->{status}): $case{$id}{reason} -- $why");
        # the status follows the RFCs: a validator passes every cell the RFCs allow
        if ($validators{$r} && !$known{$r}{$id}) {
            my $ok = allowed($alg, $dg);
            is($c->{status}, 'pass', "$r: $id passes (RFC: $ok)") if $c->{outcome} =~ /^(?:$ok)$/;
        }
        push @{ $edes{$r}{insecure} }, @{ $c->{ede} } if $c->{outcome} eq 'insecure' && $validators{$r};
    }
    for my $b (qw(bogus-sig expired notyet ds-mismatch)) {
        my $c = $case{"validation.$b"} or next;
        $edes{$r}{$b} = [ @{ $c->{ede} || [] } ];
    }
}
# the controls fail where the RFCs say: their cells can fail
is($grid{'unbound-novalidate'}{'13/2'}{status}, 'fail', 'unbound-novalidate: ECDSAP256SHA256 under SHA-256 left insecure fails (a MUST)');
is($grid{'unbound-novalidate'}{'1/2'}{status}, 'pass', 'unbound-novalidate: RSAMD5 insecure passes (a MUST NOT)');
is($grid{liar}{'1/2'}{status}, 'fail', 'liar: AD on RSAMD5 fails (RFC 8624: MUST NOT validate)');
is($grid{liar}{'100/2'}{status}, 'fail', 'liar: AD on an unassigned algorithm fails');
# SHA-1: the interesting finding, recorded
for my $r (sort grep { $validators{$_} } keys %grid) {
    is(join(' ', map { $grid{$r}{$_}{outcome} } qw(5/2 7/2 8/1 13/1)), 'validated validated validated validated',
        "$r: RSASHA1, RSASHA1-NSEC3-SHA1 and SHA-1 DS validated (recorded; RFC 9905 asks operators not to)");
    my $rep = $res{$r};
    ok((grep { $_->{id} eq 'sha1-validated' } @{ $rep->{causes} || [] }), "$r: the diagnosis says so (sha1-validated)");
}
# EDE: what each gave, beside the suggestion (evidence only)
for my $r (sort keys %ede, sort keys %quiet) {
    my $rec = $ede{$r} || $quiet{$r};
    for my $what (sort keys %$rec) {
        my %u = map { $_ => 1 } @{ $edes{$r}{$what} || [] };
        my $got = join(',', sort { $a <=> $b } keys %u);
        like($got, qr/^(?:$rec->{$what})$/, "$r: EDE on $what: " . ($rec->{$what} eq '' ? 'none' : $rec->{$what})
             . ' (recorded)') or diag("$r $what: got '$got'");
    }
}
my $knot = $grid{'knot-resolver'}{'1/2'};
is(($knot->{ede_text} || [])->[0], 'LSLC: unsupported digest/key', 'knot-resolver: EDE 0 with its EXTRA-TEXT, where 1 is suggested')
    or diag(encode_json($knot));
is_deeply($knot->{ede_suggested}, [1], 'the cell names the code RFC 8914 suggests');
like($res{'knot-resolver'}{cases}[0]{reason} // '', qr/./, 'reasons are there');
my ($exp) = grep { $_->{id} eq 'validation.expired' } @{ $res{'knot-resolver'}{cases} || [] };
like($exp->{reason} // '', qr/; EDE 7 Signature Expired: \S+, RFC 8914 suggests 7 Signature Expired$/,
    'the reason of a bogus case names the EDE it got and the one suggested') or diag($exp->{reason});

# ---- the spare BIND: SHA-1 as RFC 9905 asks, and a MUST (RSASHA512) turned off ----
my $sp = $res{$spare} || {};
my %sc = map { ("$_->{alg}/$_->{digest}" => $_) } @{ $sp->{matrix} || [] };
is(scalar(keys %sc), 36, 'the spare BIND: 36 cells') or diag(`cat $dir/spare-bind.out`);
is(join(' ', map { $sc{$_}{outcome} } qw(5/1 5/2 5/4 7/2)), 'insecure insecure insecure insecure',
    'disable-algorithms RSASHA1 NSEC3RSASHA1: the SHA-1 zones are insecure');
is(join(' ', map { $sc{$_}{status} } qw(5/1 5/2 5/4 7/2)), 'pass pass pass pass', 'which passes (RFC 9905 2)');
like($sc{'5/2'}{note} // '', qr/treated as insecure, as RFC 9905 2 asks of operators/, 'with the note saying why');
is(join(' ', map { $sc{$_}{outcome} } qw(8/1 13/1 8/2)), 'insecure insecure validated',
    'disable-ds-digests SHA-1: a SHA-1 DS is not used, SHA-256 still is');
is($sc{'8/1'}{status}, 'pass', 'a SHA-1 DS left unused passes (RFC 9904 4: use RECOMMENDED)');
is($sc{'10/2'}{outcome}, 'insecure', 'RSASHA512 disabled: insecure');
is($sc{'10/2'}{status}, 'fail', 'and RSASHA512 under SHA-256 fails: a MUST (RFC 8624 3.1)');
is($sp->{groups}{validation}, 'fail', 'the validation group fails');
my %cause = map { $_->{id} => $_ } @{ $sp->{causes} || [] };
like($cause{'algorithm-gap'}{title} // '', qr/^algorithm matrix: alg10 fail/, 'the diagnosis: algorithm-gap names alg10')
    or diag(join "\n", map { "$_->{id}: $_->{title}" } @{ $sp->{causes} || [] });
ok($cause{'sha1-insecure'}, 'and says that SHA-1 zones are insecure here (sha1-insecure)');
ok($cause{'algorithm-optional'}, 'and which optional ones it leaves insecure (algorithm-optional)');
# the text report's grid, with -v
my $text = qx{$tp --lab $dir -v --color never --case 'validation.alg1*' $spare 2>&1};
like($text, qr/^  algorithm matrix: a row per DNSKEY algorithm, a column per DS digest type$/m, '-v shows the grid');
like($text, qr/^     10 RSASHA512 +ins +ins! +ins$/m, 'RSASHA512: insecure, failed under SHA-256') or diag($text);
kill 'TERM', $pid;
waitpid $pid, 0;

# the observed matrix, for the record (one letter per DS digest 1 2 4)
my @algs = (1, 3, 5, 6, 7, 8, 10, 13, 14, 15, 16);
diag(sprintf '%-18s %s  100 253 d100', 'resolver', join ' ', map { sprintf '%-3s', $_ } @algs);
for my $r ((sort keys %grid), $spare) {
    my $g = $r eq $spare ? \%sc : $grid{$r};
    my %letter = (validated => 'o', insecure => 'i', bogus => 'b', other => 'x', unjudged => '-');
    my $l = sub { my $c = $g->{$_[0]} or return ' '; my $x = $letter{$c->{outcome}} // '?';
                  $c->{status} eq 'fail' ? uc $x : $x };
    diag(sprintf '%-18s %s  %-3s %-3s %s', $r eq $spare ? 'spare-bind-nosha1' : $r,
        join(' ', map { my $a = $_; join '', map { $l->("$a/$_") } (1, 2, 4) } @algs),
        $l->('100/2'), $l->('253/2'), $l->('13/100'));
}
my (undef, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down') or diag($dout);

# ---- trustprobe lab: the grid across the lab resolvers, after the group matrix ----
my $lab = qx{$tp lab --color never --case 'validation.alg1*' --resolvers unbound,unbound-novalidate 2>&1};
like($lab, qr/^algorithm matrix: a column per DNSKEY algorithm, a letter per DS digest type$/m,
    'trustprobe lab ends with the algorithm grid') or diag($lab);
like($lab, qr/^resolver +1 +10 +13 +14 +15 +16$/m, 'a column per algorithm (here the alg1* cases)');
like($lab, qr/^unbound +iii +ooo +ooo +ooo +ooo +ooo$/m, 'unbound: RSAMD5 insecure, the others validated');
like($lab, qr/^unbound-novalidate +iii +iIi +iIi +iii +iii +iii$/m, 'unbound-novalidate: the MUST cells fail (I)');
done_testing();
