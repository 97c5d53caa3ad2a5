#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# The probe's dane verdict, seen by a real MTA. The lab's MX (Postfix's own smtpd, STARTTLS,
# a certificate made at lab up) answers as mx.mta.test., whose TLSA matches its key, as
# mismatch.mta.test., whose TLSA does not, and as the mx names of two attack zones:
# atk-b3.test. (B3, a forged denial of the TLSA: a DANE downgrade) and atk-e3.test. (E3, a
# TLSA signed only by a revoked key: an authentication the MTA must not make); their mx2
# names are the untouched controls. For every lab resolver, posttls-finger (same package)
# runs in DANE mode through it, with a lab resolv.conf bind-mounted over /etc/resolv.conf
# in a mount namespace inside the lab (the host's resolver is never asked), and its result
# must agree with the probe's:
#   - the resolver's dane group passes (AD on genuine TLSA): the matching MX is verified,
#     the mismatch is detected (a TLSA, no match), the controls are verified;
#   - its dane group fails (no AD, the non-validating control): no DANE at all, anywhere;
#   - an attack case the resolver passes: posttls-finger defers on a TLSA lookup error
#     (no downgrade); one it fails: the forgery reaches the MTA (B3 downgrades to
#     unauthenticated TLS, E3 verifies the server against a TLSA that is bogus);
#   - a ready verdict: all of that with no attack getting through.
# A disagreement is a bug in one of the two: it is recorded in %known by name, with the
# evidence, and the rule is never loosened. The agreement table is printed as notes.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use JSON::PP;
use Test::More;
use Lab qw(tp lab_up lab_down lab_env);

my $tp = tp();
my $root = "$FindBin::Bin/../..";
my $pf = '/usr/sbin/posttls-finger';
unless (-x $pf) {
    my $gone = qx{sh $root/.ci/install-deps --removals postfix 2>/dev/null};
    plan skip_all => $gone
        ? "postfix not installed: installing it would remove $gone (another MTA), so install-deps leaves it out"
        : 'postfix not installed (posttls-finger, and the lab MX): make deps-lab';
}

# Disagreements found and explained (resolver => { row => 'outcome' }): none so far.
my %known = ();

my ($dir, undef, $out, $rc) = lab_up();
BAIL_OUT("lab did not come up: $out") if $rc != 0;
my %env = lab_env($dir);
plan skip_all => "the lab runs no MX: $env{LAB_MTA_SKIPPED}" if $env{LAB_MTA_SKIPPED};
pass('lab up, with its MX on ' . $env{LAB_MTA_ADDR});
like($env{LAB_MTA_TLSA}, qr/^[0-9A-F]{64}$/, 'lab.env has the TLSA 3 1 1 data of the MX key');

# the probe, every resolver, every case (controls before attacks, as always)
my $pj = decode_json(scalar qx{$tp --lab $dir --format json});
my %probe = map { $_->{name} => $_ } @{ $pj->{resolvers} };
my @res = map { [split /=/] } split ' ', $env{LAB_RESOLVERS};
ok(@res >= 1 && @res == keys %probe, scalar(@res) . ' lab resolvers, each probed');

# posttls-finger through one resolver, controls first; returns { host => output }
my @hosts = (['ok', 'mx.mta.test'], ['mismatch', 'mismatch.mta.test'],
             ['b3-ctl', 'mx2.atk-b3.test'], ['e3-ctl', 'mx2.atk-e3.test'],
             ['b3', 'mx.atk-b3.test'], ['e3', 'mx.atk-e3.test']);
sub finger {
    my ($addr) = @_;
    my $rconf = "$dir/resolv-$addr.conf";
    open my $fh, '>', $rconf or die "$rconf: $!";
    print $fh "nameserver $addr\n"; # no 'options trust-ad': Postfix sets RES_TRUSTAD itself
    close $fh;
    my $hosts = join ' ', map { $_->[1] } @hosts;
    my $o = qx{$tp lab exec --dir $dir -- unshare -m sh -c 'mount --bind $rconf /etc/resolv.conf && for h in $hosts; do echo "=== \$h"; MAIL_CONFIG=\$LAB_MTA_CONFIG timeout 60 $pf -c -l dane "[\$h]:25" 2>&1; done' 2>&1};
    my %r;
    for my $chunk (split /^=== /m, $o) {
        $r{$1} = $2 if $chunk =~ /^(\S+)\n(.*)/s;
    }
    return \%r;
}

# what posttls-finger reported, in one word
sub outcome {
    my ($t) = @_;
    return 'none' unless defined $t;
    return 'verified' if $t =~ /Matched DANE/ && $t =~ /^posttls-finger: Verified TLS connection established/m;
    return 'mismatch' if $t =~ /no matching DANE TLSA records/ && $t =~ /Untrusted TLS connection established/;
    return 'tlsa-error' if $t =~ /TLSA lookup error/;
    return 'no-dane' if $t =~ /(Untrusted|Anonymous) TLS connection established/ && $t !~ /DANE/;
    my ($last) = $t =~ /([^\n]*)\n?\z/;
    return "other ($last)";
}

my %case_of = (b3 => 'denial.atk-b3-subzone-last-nsec-wraps', e3 => 'denial.atk-e3-revoked-key-signs');
# what a forgery that gets through does to the MTA
my %through = (b3 => 'no-dane', e3 => 'verified');

my @table;
for my $r (@res) {
    my ($name, $addr) = @$r;
    my $p = $probe{$name};
    my %cs = map { $_->{id} => $_->{status} } @{ $p->{cases} };
    my $dane = $p->{groups}{dane};
    my $dane_ok = $dane eq 'pass' || $dane eq 'warn';
    my $f = finger($addr);
    my %got = map { $_->[0] => outcome($f->{ $_->[1] }) } @hosts;
    # what the probe's findings say posttls-finger must report
    my %want;
    $want{ok} = $want{'b3-ctl'} = $want{'e3-ctl'} = $dane_ok ? 'verified' : 'no-dane';
    $want{mismatch} = $dane_ok ? 'mismatch' : 'no-dane';
    for my $a (qw(b3 e3)) {
        my $st = $cs{ $case_of{$a} } // 'missing';
        $want{$a} = !$dane_ok ? 'no-dane' : $st eq 'pass' ? 'tlsa-error' : $st eq 'fail' ? $through{$a} : undef;
    }
    if ($p->{verdict} eq 'ready') { # ready: DANE works and no attack gets through
        is($want{$_}, 'tlsa-error', "$name: ready, so $_ is refused") for qw(b3 e3);
    }
    my $agree = 1;
    for my $h (@hosts) {
        my ($row, $host) = @$h;
        my $w = $known{$name}{$row} // $want{$row};
        if (!defined $w) {
            note("$name: the probe cannot tell $case_of{$row} ($cs{$case_of{$row}}): posttls-finger says $got{$row}");
            next;
        }
        $agree &&= $got{$row} eq $w;
        is($got{$row}, $w, "$name: $host: posttls-finger $w (probe: dane $dane"
           . ($case_of{$row} ? ", $case_of{$row} " . ($cs{ $case_of{$row} } // 'missing') : '') . ')')
            or diag($f->{$host} // 'no output');
    }
    push @table, [$name, "$dane/$p->{verdict}", $cs{ $case_of{b3} } // '-', $cs{ $case_of{e3} } // '-',
                  @got{qw(ok mismatch b3-ctl b3 e3-ctl e3)}, $agree ? 'yes' : 'NO'];
}

# the lab's two sides are both shown: DANE verified somewhere, and a forgery that reaches
# a real MTA through some resolver (else the rows above prove less than they seem to)
ok((grep { $_->[4] eq 'verified' } @table), 'posttls-finger verifies the lab MX through some resolver');
ok((grep { $_->[7] eq 'no-dane' && $_->[1] !~ /^fail/ } @table),
   'B3 downgrades a real MTA through some validating resolver');
ok((grep { $_->[9] eq 'verified' } @table), 'E3 has a real MTA authenticate with a bogus TLSA through some resolver');

my @head = ('resolver', 'dane/verdict', 'B3 case', 'E3 case', 'ok MX', 'mismatch MX', 'B3 ctl',
            'B3 attack', 'E3 ctl', 'E3 attack', 'agree');
my @w = map { my $i = $_; (sort { $b <=> $a } map { length $_->[$i] } \@head, @table)[0] } 0 .. $#head;
note(join '  ', map { sprintf "%-*s", $w[$_], $head[$_] } 0 .. $#head);
for my $row (@table) {
    note(join '  ', map { sprintf "%-*s", $w[$_], $row->[$_] } 0 .. $#head);
}

# The MX as a lab daemon: its key, its TLSA (checked with the OpenSSL CLI, not the lab's
# code), its processes (smtpd as postfix, in the lab's namespace), stopped by lab down.
is((stat "$dir/postfix/key.pem")[2] & 07777, 0600, 'the MX key is mode 0600');
my $spki = qx{openssl x509 -in $env{LAB_MTA_CERT} -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r};
is(uc((split ' ', $spki)[0] // ''), $env{LAB_MTA_TLSA}, 'LAB_MTA_TLSA is the SHA-256 of the certificate\'s SubjectPublicKeyInfo');
my ($mpid) = qx{$tp lab status --dir $dir} =~ /^mta\s+(\d+)\s+\Q$env{LAB_MTA_ADDR}\E\s+running$/m;
ok($mpid, 'lab status lists the MX as a running daemon');
sub field { my ($pid, $k) = @_; open my $f, '<', "/proc/$pid/status" or return ''; local $/; my $t = <$f>; return $t =~ /^$k:\s*(\S+)/m ? $1 : '' }
my @kids = grep { field($_, 'PPid') eq ($mpid // -1) } map { m{/(\d+)$} } glob '/proc/[0-9]*';
my $pfuid = getpwnam('postfix');
ok(@kids && !grep({ field($_, 'Uid') ne $pfuid } @kids), "master's children (smtpd, tlsmgr, postlogd) run as postfix (uid $pfuid)");
is(readlink("/proc/$mpid/ns/net"), readlink("/proc/" . (split ' ', qx{grep ^holder $dir/lab.state})[1] . "/ns/net"),
   'master runs in the lab\'s network namespace');
my (undef, $down) = lab_down($dir);
ok(!grep({ -e "/proc/$_" && field($_, 'State') !~ /^Z/ } $mpid, @kids), 'lab down stops master and its children') or diag($down);

# Without postfix the lab says why it has no MX and runs the rest.
{
    local $ENV{TRUSTPROBE_LAB_POSTFIX} = '/nonexistent';
    my ($d2, undef, $o2, $rc2) = lab_up(resolvers => 'unbound');
    is($rc2, 0, 'without postfix the lab still comes up');
    like($o2, qr{^trustprobe lab up: no MX server \(postfix not installed \(no /nonexistent/master\): apt-get install postfix\)$}m,
         'and says in one line why it has no MX');
    like(scalar qx{$tp lab status --dir $d2}, qr/^mta\s+-\s+127\.53\.3\.1\s+skipped \(postfix not installed/m, 'lab status shows the MX skipped');
    my %e2 = lab_env($d2);
    like($e2{LAB_MTA_SKIPPED}, qr/^postfix not installed/, 'lab.env says so too');
    lab_down($d2);
}
done_testing();
