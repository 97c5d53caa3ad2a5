#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# The packager's upgrade check (issue 11): a build of one's own as a lab instance (--with),
# a config snippet (--conf), the package's own configuration (--shipped) and the
# side-by-side comparison (--compare). A copy of the Debian unbound must give the lab
# unbound's result in every case; the same copy with val-permissive-mode must regress and
# exit 1; each installed family started from what its package ships must come out as the
# lab's instance of it, or the difference is recorded here with its reason; the software
# line carries dpkg's package and full Debian version. Every query goes to lab addresses.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP;
use File::Temp qw(tempdir);
use File::Copy qw(copy);
use Lab qw(tp lab_up lab_down lab_env procs_mentioning);

my $tmp = tempdir('tp-pkg-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my ($unbound) = grep { -x } map { "$_/unbound" } qw(/usr/local/sbin /usr/sbin /sbin);
plan skip_all => 'unbound is not installed' unless $unbound;
copy($unbound, "$tmp/unbound") or die "copy: $!";
chmod 0755, "$tmp/unbound";
my $deb = qx{dpkg-query -W -f='\${Version}' unbound 2>/dev/null};

# runs trustprobe with args; returns (stdout, exit status, stderr)
sub run {
    my @args = @_;
    my $cmd = join ' ', map { quotemeta } tp(), @args;
    my $out = qx{$cmd 2>$tmp/err};
    my $rc = $? >> 8;
    my $err = do { local (@ARGV, $/) = "$tmp/err"; <> } // '';
    return ($out, $rc, $err);
}

sub json { my ($t) = @_; my $d = eval { JSON::PP::decode_json($t) }; return $d }

# ---- a copy of the Debian unbound: no difference ----
my ($out, $rc, $err) = run('lab', '--with', "unbound-new=unbound:$tmp/unbound", '--compare',
                           'unbound', 'unbound-new');
is($rc, 0, 'a copy of the Debian unbound as candidate: exit 0') or diag("$out$err");
$out =~ s/\n    / /g; # rows wrapped at 80 columns, joined
like($out, qr/^\d+ cases, probed side by side in one run with the same names; 0 differ$/m,
     'no case differs') or diag($out);
like($out, qr/^no regression: unbound-new gives every case the result of unbound$/m, 'no regression');
like($out, qr/^baseline: unbound \(127\.53\.1\.1\): unbound \d+\.\d+\.\d+ \(Debian unbound \Q$deb\E\)$/m,
     "the version line carries the Debian revision ($deb)") if $deb;
like($out, qr{^candidate: unbound-new \(127\.53\.4\.1\): unbound \d+\.\d+\.\d+ \(\Q$tmp\E/unbound, not from a package\)$}m,
     'the copy outside dpkg\'s files: its own version, "not from a package"');

# ---- the same copy with a --conf snippet that turns on permissive mode ----
open my $fh, '>', "$tmp/permissive.conf" or die;
print $fh "server:\n\tval-permissive-mode: yes\n";
close $fh;
($out, $rc, $err) = run('lab', '--with', "unbound-new=unbound:$tmp/unbound", '--conf',
                        "unbound-new=$tmp/permissive.conf", '--compare', 'unbound', 'unbound-new',
                        '--format', 'json');
is($rc, 1, 'with val-permissive-mode: yes the candidate regresses: exit 1') or diag($err);
my $c = (json($out) // {})->{compare} // {};
ok($c->{regression}, 'JSON: regression true');
my %d = map { $_->{id} => $_ } @{ $c->{differences} // [] };
my $bs = $d{'validation.bogus-sig'} // {};
is_deeply([$bs->{baseline}{status}, $bs->{candidate}{status}, $bs->{regression}, $bs->{stable}],
          ['pass', 'fail', JSON::PP::true, JSON::PP::true],
          'validation.bogus-sig: pass on unbound, fail on the candidate, a stable regression')
    or diag(explain($bs));
like($bs->{candidate}{reason} // '', qr/bogus data handed out/, 'with the reason');
ok((grep { $_->{regression} && $_->{id} =~ /^denial\.atk-/ } values %d) >= 10,
   'the attacks regress too (permissive mode accepts every forgery)');
is($c->{candidate}{snippet}, "$tmp/permissive.conf", 'the candidate names its --conf file');
is(scalar(grep { !$_->{stable} && $_->{regression} } values %d), 0,
   'no unstable case counts as a regression');

# ---- shipped-config mode, each installed family beside the lab's instance of it ----
# Recorded differences (the RFC's expectation holds, the package's config decides):
my %expect_diff = (
    # dnsmasq-base installs no configuration file, and dnsmasq validates only with
    # --dnssec: started as shipped it does not validate (the lab's instance adds dnssec)
    dnsmasq => qr/validation: none \(the package does not turn on --dnssec\)/,
);
my %program = (unbound => 'unbound', bind => 'named', 'pdns-recursor' => 'pdns_recursor',
               'knot-resolver' => 'kresd', dnsmasq => 'dnsmasq');
my %must = (
    unbound => qr{trust anchor: auto-trust-anchor-file: .*the package: "/var/lib/unbound/root\.key"},
    bind => qr{dnssec-validation: yes, with the lab's root KSK .*the package: auto},
    'pdns-recursor' => qr{lua-config-file: .*the package: /etc/powerdns/recursor\.lua},
    'knot-resolver' => qr{net\.listen: ignored.*net\.listen\('127\.0\.0\.1', 53},
    dnsmasq => qr{no-resolv: set, and server=127\.53\.1\.6},
);
for my $fam (qw(unbound bind pdns-recursor knot-resolver dnsmasq)) {
  SKIP: {
    skip "$program{$fam} is not installed", 6
        unless grep { -x "$_/$program{$fam}" } qw(/usr/local/sbin /usr/sbin /sbin);
    ($out, $rc, $err) = run('lab', '--shipped', $fam, '--compare', $fam, "$fam-shipped",
                            '--format', 'json');
    my $cmp = (json($out) // {})->{compare} // {};
    my $r = $cmp->{candidate} // {};
    my @ov = @{ $r->{overrides} // [] };
    ok(@ov >= 5, "$fam-shipped starts and reports " . scalar(@ov) . ' overrides')
        or diag($err);
    like(join("\n", @ov), $must{$fam}, "$fam-shipped: the override of what the package ships");
    ok((grep { m{^/} } @{ $r->{sources} // [] }) || $fam eq 'dnsmasq',
       "$fam-shipped lists the package's files it read");
    is($r->{config}, 'shipped', "$fam-shipped: config shipped in the JSON");
    if (my $why = $expect_diff{$fam}) {
        is($rc, 1, "$fam-shipped differs from the lab's $fam (recorded: exit 1)");
        like(join("\n", @ov), $why, "$fam-shipped: the difference's reason is in the overrides");
    } else {
        is($rc, 0, "$fam-shipped comes out as the lab's $fam (exit 0)")
            or diag(join("\n", map { "$_->{id}: $_->{baseline}{status} / $_->{candidate}{status}: $_->{candidate}{reason}" }
                               @{ $cmp->{differences} // [] }) . $err);
        is(scalar(grep { $_->{stable} } @{ $cmp->{differences} // [] }), 0,
           "$fam-shipped: no case differs in every round");
    }
  }
}
ok(!-e '/var/cache/knot-resolver/data.mdb' || (stat _)[9] < $^T,
   'the host\'s knot-resolver cache was not written');
ok(!-e '/var/lib/unbound/root.key' || (stat '/var/lib/unbound/root.key')[9] < $^T,
   'the host\'s unbound anchor was not written');

# ---- lab up takes the same options; lab.env describes the added instances ----
my ($dir, undef, $uo, $urc) = lab_up(resolvers => 'unbound',
    extra => ['--with', "unbound-new=unbound:$tmp/unbound", '--shipped', 'all',
              '--conf', "unbound-new=$tmp/permissive.conf"]);
is($urc, 0, 'lab up --with --shipped all --conf') or diag($uo);
like($uo, qr{^added unbound-new on 127\.53\.4\.1 \(unbound: \Q$tmp\E/unbound, --conf \Q$tmp\E/permissive\.conf\)$}m,
     'lab up names each added instance and its address');
my %env = lab_env($dir);
my $real = `readlink -f $unbound` =~ s/\n//r;
like($env{LAB_USER_RESOLVERS}, qr{^unbound-new=unbound:\Q$tmp\E/unbound unbound-shipped=unbound:\Q$real\E( |$)},
   'lab.env: LAB_USER_RESOLVERS names each added instance, its family and program');
like($env{LAB_RESOLVERS}, qr/unbound-new=127\.53\.4\.1 unbound-shipped=127\.53\.4\.2/,
     'LAB_RESOLVERS has their addresses');
like($env{LAB_SHIPPED}, qr/^unbound-shipped( |$)/, 'LAB_SHIPPED');
is($env{LAB_CONF}, "unbound-new=$tmp/permissive.conf", 'LAB_CONF');
my $o = qx{unbound-checkconf $dir/unbound-shipped/unbound.conf 2>&1};
like($o, qr/no errors/, 'unbound-checkconf accepts the shipped-config copy') or diag($o);
SKIP: {
    skip 'named is not installed', 1 unless -d "$dir/bind-shipped";
    $o = qx{named-checkconf $dir/bind-shipped/named.conf 2>&1};
    is($?, 0, 'named-checkconf accepts the shipped-config copy') or diag($o);
}
($out) = run('--lab', $dir, '--case', 'validation.bogus-sig', '--format', 'json');
my %by = map { $_->{name} => $_ } @{ (json($out) // {})->{resolvers} // [] };
is($by{'unbound-new'}{cases}[0]{status}, 'fail', 'trustprobe --lab D probes the added instance (its snippet applied)');
is($by{'unbound-new'}{program}, "$tmp/unbound", 'its program');
ok(!exists $by{'unbound-new'}{package}, 'no package for the copy');
is($by{'unbound-shipped'}{package}{name}, 'unbound', 'the shipped one: package unbound') if $deb;
is($by{'unbound-shipped'}{package}{version}, $deb, "version $deb") if $deb;
is($by{'unbound-shipped'}{config}{mode}, 'shipped', 'and its config mode');
my ($secs, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down');
is_deeply([procs_mentioning("$dir/")], [], 'lab down stopped the added instances too');

# ---- the example autopkgtest (contrib/): a recorded baseline, then a doctored one ----
my $script = "$FindBin::Bin/../../contrib/autopkgtest/debian/tests/trustprobe-lab";
# the script runs "trustprobe" from PATH: the probe under test by that name
my $bindir = "$tmp/bin";
mkdir $bindir or die "mkdir $bindir: $!";
symlink(tp(), "$bindir/trustprobe") or die "symlink: $!";
($out, $rc) = run('lab', '--shipped', 'unbound', '--resolvers', 'unbound-shipped', '--format', 'json');
open $fh, '>', "$tmp/baseline.json" or die;
print $fh $out;
close $fh;
my $base = json($out) // {};
is(scalar @{ $base->{resolvers} // [] }, 1, 'the baseline records unbound-shipped alone');
local $ENV{PATH} = "$bindir:$ENV{PATH}";
local $ENV{AUTOPKGTEST_ARTIFACTS} = $tmp;
local $ENV{TRUSTPROBE_FAMILY} = 'unbound';
local $ENV{TRUSTPROBE_BASELINE} = "$tmp/baseline.json";
my $ao = qx{sh $script 2>&1};
is($? >> 8, 0, 'the autopkgtest passes against a baseline of the same package') or diag($ao);
like($ao, qr/no regression against/, '... and says so');
ok(-s "$tmp/trustprobe-compare.txt", 'the comparison is kept as an artifact');
# a case the Debian unbound fails (C1), recorded as passing: now a regression
for my $c (@{ $base->{resolvers}[0]{cases} // [] }) {
    $c->{status} = 'pass' if $c->{id} eq 'denial.atk-c1-wildcard-nsec-as-insecure-ds-proof';
}
open $fh, '>', "$tmp/baseline.json" or die;
print $fh JSON::PP::encode_json($base);
close $fh;
$ao = qx{sh $script 2>&1};
is($? >> 8, 1, 'against a baseline in which C1 passed it fails (exit 1)') or diag($ao);
like($ao, qr/^denial\.atk-c1-wildcard-nsec-as-insecure-ds-proof\s+pass\s+fail\s+REGRESSION$/m,
     '... naming the case') or diag($ao);

# ---- one-line errors ----
for my $bad (
    [['--with', 'x=bogus:/bin/true'], qr/unknown family 'bogus'/],
    [['--with', "x=unbound:$tmp/nonexistent"], qr/does not exist/],
    [['--with', 'unbound=unbound:/bin/true'], qr/instance name unbound is taken/],
    [['--conf', "nope=$tmp/permissive.conf"], qr/no instance nope/],
    [['--shipped', 'nope'], qr/--shipped nope: neither a family/],
    [['--compare', 'unbound'], qr/--compare wants two instance names/],
    [['--compare', 'unbound', 'nope'], qr/nope is no resolver instance/],
) {
    my ($args, $re) = @$bad;
    my ($bo, $brc, $be) = run('lab', @$args);
    is($brc, 2, "lab @$args: exit 2");
    like($be, $re, '... with one line') or diag($be);
}
done_testing();
