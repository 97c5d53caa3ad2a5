#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Every attack of ATTACKS.md A-E against every lab resolver, through the attacker proxy.
# The rule of every case is the RFC's: a forged answer that gets through, with or without
# AD, fails it. Where a Debian 12 resolver lets a forgery through, that resolver's result is
# recorded here by name, with the evidence (its source and Debian changelog; the notes are
# in the README's attack table); the rule is never loosened for anyone.
# The non-validating control must let at least 20 forgeries through (the cases can fail),
# and every control query must get its genuine answer (the cases could tell). A pass counts
# only if the forgery reached the resolver: the proxy log must show a forged reply of the
# attack's rules sent to it (by its own address), and the probe's own check, the attacker's
# ledger, must say so in the reason; a pass without one is a resolver that answered from its
# cache, or SERVFAIL for a query lost on the way, which measures nothing.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use JSON::PP;
use Test::More;
use Lab qw(tp lab_up lab_down lab_env procs_mentioning);

# Known results of the Debian 12 packages, each with its evidence: tests/lab/lib/Attacks.pm.
# A case not named there must pass.
use Attacks qw(%known %forgery @helpers @no_case forgeries_sent rule_ids);

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

# The probe itself asks the attacker's ledger (RAND.RULE._ledger.test TXT) whether each
# forgery it judges a pass on reached the resolver, and skips the case when not: such a
# skip is asked again below, like a pass the proxy log shows no forgery for.
sub ledger_skip {
    my ($c) = @_;
    return $c->{status} eq 'skip' && $c->{reason} =~ /^not judged: .*\(attacker's ledger: /;
}
for my $r (sort keys %known) {
    my %c = map { $_->{id} => $_ } @{ $by{$r}{cases} };
    for my $id (@ids) {
        my ($atk) = $id =~ /^denial\.atk-(\w+?)-/;
        my $want = $known{$r}{$atk} // 'pass';
        next if ledger_skip($c{$id}) && $want =~ /pass/; # asked again below
        like($c{$id}{status}, qr/^(?:$want)$/, "$r: $id: $want") or diag($c{$id}{reason});
    }
}
# every pass of a case the proxy forges for carries the ledger's word, for the rule the
# attack is, sent to this resolver
for my $r (sort keys %by) {
    my @bad;
    for my $c (@{ $by{$r}{cases} }) {
        my ($atk) = $c->{id} =~ /^denial\.atk-(\w+?)-/;
        next unless $c->{status} eq 'pass' && $atk && $forgery{$atk};
        push @bad, $c->{id}
            unless $c->{reason} =~ /\[attacker's ledger: rule \Q$forgery{$atk}[0]\E forged [1-9]\d* repl(?:y|ies) for this resolver/;
    }
    is_deeply(\@bad, [], "$r: every attack pass is confirmed by the attacker's ledger");
}
# the reasons name the forgery, what the resolver answered, and the advisory
my ($e3) = grep { $_->{id} =~ /atk-e3-/ } @{ $by{unbound}{cases} };
like($e3->{reason}, qr/^observed ctl: NOERROR, AD set, answer TLSA.*fwd: NOERROR, AD set, answer TLSA.*\(E3: data signed by a revoked key accepted\).*unbound 1\.25\.0/,
     'a failure names what was observed, the forgery and the advisory');

# the proxy logged what it forged, and stops with the lab
my $log = do { local (@ARGV, $/) = "$dir/log/proxy.log"; <> } // '';
my %rules = map { $_ => 1 } $log =~ /^proxy: forged (\S+) /mg;
ok(keys %rules >= 20, scalar(keys %rules) . ' distinct rules forged replies');

# ---- every pass was measured: the forgery was sent to the resolver that passed ----
# Every rule of the rules file is an attack's forgery, a helper, or a rule no case uses.
my @ids_in_file = rule_ids("$dir/proxy/attacks");
my %listed = map { $_ => 1 } @helpers, @no_case, map { @$_ } values %forgery;
is_deeply([grep { !$listed{$_} } @ids_in_file], [], 'every rule of testvectors/attacks is listed in Attacks.pm');
my %in_file = map { $_ => 1 } @ids_in_file;
is_deeply([grep { !$in_file{$_} } sort keys %listed], [], 'and every rule listed there exists');
my %env = lab_env($dir);
my %addr = map { split /=/, $_, 2 } split ' ', $env{LAB_RESOLVERS};
my %name_of = reverse %addr;
my $sent = forgeries_sent($dir);
is_deeply([grep { !$name_of{$_} } sort keys %$sent], [],
          'every forged reply went to a lab resolver, recognised by its own source address');
# whom the proxy sees for each instance: itself, or (dnsmasq, which neither minimises nor
# answers from NSECs it holds, and forwards every question: its log-queries output showed
# each attacked name forwarded) the iterating resolver it forwards to
my %seen_as = map { $_ => $_ } qw(unbound bind pdns-recursor knot-resolver unbound-novalidate);
@seen_as{'dnsmasq', 'dnsmasq-proxy'} = ('unbound-novalidate', 'unbound');
# A pass with no forgery sent measured nothing. A resolver answers from its cache when it
# already holds a proof that covers the attacked name (RFC 8198): the zones keep those
# proofs apart (testvectors/zones/atk-wild.zone says how, after Knot Resolver answered D4
# from its cache in some runs). On a loaded machine a resolver's query to the proxy can
# also time out, and it answers SERVFAIL, which the case counts as a pass. Such a case is
# asked again of that resolver alone, with fresh names, up to three times; it must then
# pass with its forgery delivered. A resolver that never takes the forgery fails here.
sub forged_count {
    my ($a, $atk) = @_;
    my $s = forgeries_sent($dir);
    my $n = 0;
    $n += $s->{$a}{$_} // 0 for @{ $forgery{$atk} };
    return $n;
}
my %remeasured;
for my $r (sort keys %seen_as) {
    my $a = $addr{ $seen_as{$r} };
    my @unmeasured;
    for my $c (@{ $by{$r}{cases} }) {
        my ($atk) = $c->{id} =~ /^denial\.atk-(\w+?)-/;
        next unless ($c->{status} eq 'pass' || ledger_skip($c)) && $atk && $forgery{$atk};
        next if $c->{status} eq 'pass' && grep { $sent->{$a}{$_} } @{ $forgery{$atk} };
        my ($measured, $last_skip);
        for my $try (1 .. 3) {
            # a resolver that timed out on the proxy (a loaded machine) holds back from it
            # for a while (Knot Resolver's server selection backs off after timeouts)
            sleep 2 * $try;
            my $before = forged_count($a, $atk);
            my $rj = decode_json(scalar qx{$tp --lab $dir --case '$c->{id}' --format json $addr{$r}});
            my ($rc) = @{ $rj->{resolvers}[0]{cases} };
            my $delivered = forged_count($a, $atk) > $before;
            diag("$r: $c->{id} asked again ($try): $rc->{status}, forgery " .
                 ($delivered ? 'delivered' : 'not delivered'));
            # measured: a forgery sent during this run, or a pass the ledger confirms (for
            # a fixed name the probe counts a forgery sent to the resolver before, from
            # which its cached answer comes: the second asks of an earlier run send some)
            my $confirmed = $rc->{status} eq 'pass' && $rc->{reason} =~ /\[attacker's ledger: rule \S+ forged [1-9]/;
            $last_skip = ledger_skip($rc);
            next unless ($delivered && !ledger_skip($rc)) || $confirmed;
            $measured = $rc->{status};
            last;
        }
        # a resolver that answers the attacked name from its cache every time (RFC 8198),
        # and whose result for it is recorded as 'pass|skip': the probe says it could not
        # tell, which is no pass
        my $want = $known{$r}{$atk} // 'pass';
        $measured = 'skip' if !defined $measured && $last_skip && 'skip' =~ /^(?:$want)$/;
        if (defined $measured) {
            $remeasured{"$r $c->{id}"} = $measured;
        } else {
            push @unmeasured, $c->{id};
        }
    }
    is_deeply(\@unmeasured, [], "$r: every attack it passes was forged for it ($seen_as{$r}, $a, in the proxy log)")
        or diag("passed with no forgery sent (answered from the cache?): @unmeasured");
}
# what was asked again is judged by the same rule as the first run
for my $k (sort keys %remeasured) {
    my ($r, $id) = split ' ', $k;
    my ($atk) = $id =~ /^denial\.atk-(\w+?)-/;
    my $want = $known{$r}{$atk} // 'pass';
    like($remeasured{$k}, qr/^(?:$want)$/, "$r: $id, asked again with the forgery delivered: $want");
}
# the A4 evidence: PowerDNS Recursor asks the minimised b.atk-a4.test first; answered
# SERVFAIL (A4.qmin), it asks the full name, gets the forgery and takes it
ok($sent->{ $addr{'pdns-recursor'} }{'A4.qmin'} && $sent->{ $addr{'pdns-recursor'} }{A4},
   'pdns-recursor: the minimised query for b was answered SERVFAIL, then the A4 forgery sent');
my (undef, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down');
is_deeply([procs_mentioning($dir)], [], 'no proxy or daemon left');
done_testing();
