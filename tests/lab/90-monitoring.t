#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# The monitoring configs of contrib/ in the real daemons' configuration checks, and the
# plugin run exactly as they would call it:
#   - contrib/icinga2/trustprobe.conf (the CheckCommand) and services.conf (the apply rule)
#     pass 'icinga2 daemon -C' (Debian's icinga2-bin, never started as a daemon); the
#     objects Icinga 2 made of them ('icinga2 object list') give each service's command
#     line by Icinga 2's argument rules (macros resolved service, host, command; an
#     argument whose macro is unset or empty is left out, or refused when required;
#     set_if; repeat_key; order, then key);
#   - contrib/nagios/trustprobe.cfg passes 'nagios4 -v' (Debian's nagios4-core, never
#     started); its precached objects ('nagios4 -pv') give the command line, with $USER1$,
#     $HOSTADDRESS$ and $ARGn$ expanded, run by /bin/sh as Nagios does;
#   - each command runs inside a lab, as check_trustprobe from a plugin directory: the
#     states the guidelines ask (a forgery CRITICAL, a silent resolver CRITICAL, a host
#     without an address UNKNOWN with the status line on stdout), perfdata per resolver;
#   - --format prometheus passes 'promtool check metrics' (Debian's prometheus).
# Every query goes to lab addresses inside the lab's namespace.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw(tempdir);
use JSON::PP;
use Lab qw(tp lab_up lab_down);

my $tp = tp();
my %need = (icinga2 => 'icinga2-bin', nagios4 => 'nagios4-core', promtool => 'prometheus');
my @missing = grep { !qx{sh -c 'command -v $_'} } sort keys %need;
plan skip_all => 'not installed: ' . join(', ', map { "$_ (apt-get install $need{$_}, make deps-test)" } @missing) if @missing;

my $root = "$FindBin::Bin/../..";
my $t = tempdir('tp-mon-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my ($dir, undef, $up, $urc) = lab_up(resolvers => 'unbound,unbound-novalidate');
BAIL_OUT("lab did not come up: $up") if $urc;

# the binary installed as check_trustprobe, in a plugin directory of its own
mkdir "$t/plugins" or die;
symlink($tp, "$t/plugins/check_trustprobe") or die;
sub slurp { local (@ARGV, $/) = @_; <> }
sub spew { my ($f, $s) = @_; open my $fh, '>', $f or die "$f: $!"; print $fh $s; close $fh or die }
# runs argv (a list) inside the lab: (stdout, exit)
sub in_lab {
    my @argv = @_;
    my $cmd = join ' ', map { quotemeta } $tp, 'lab', 'exec', '--dir', $dir, '--', @argv;
    my $o = qx{$cmd 2>/dev/null};
    return ($o, $? >> 8);
}

# ---- Icinga 2 ----
my @icinga_d = map { "-D$_" } ('RunAsUser=' . getpwuid($<), 'RunAsGroup=' . getgrgid($( + 0),
    "DataDir=$t/icinga/lib", "InitRunDir=$t/icinga/run", "CacheDir=$t/icinga/cache",
    "LogDir=$t/icinga/log", "SpoolDir=$t/icinga/spool");
system('mkdir', '-p', map { "$t/icinga/$_" } qw(lib run cache log spool)) == 0 or die;
spew("$t/icinga2.conf", <<EOF);
const PluginDir = "$t/plugins"
const ZoneName = "master"
const NodeName = "master"
include <itl>
include <plugins>
include "/etc/icinga2/conf.d/templates.conf"
include "$root/contrib/icinga2/trustprobe.conf"
include "$root/contrib/icinga2/services.conf"
object Host "mail-unbound" {
  import "generic-host"
  address = "127.53.1.1"
  vars.trustprobe_zone = "test."
  vars.trustprobe_lab = "$dir"
}
object Host "mail-novalidate" {
  import "generic-host"
  address = "127.53.1.6"
  vars.trustprobe_zone = "test."
  vars.trustprobe_lab = "$dir"
  vars.trustprobe_verbose = true
  vars.trustprobe_accept = [ "dname-gap", "127.53.1.6/ad-path.*" ]
}
object Host "mail-silent" {
  import "generic-host"
  address = "127.53.2.2"
  vars.trustprobe_zone = "test."
  vars.trustprobe_lab = "$dir"
  vars.trustprobe_timeout = 4
}
object Host "mail-noaddress" {
  import "generic-host"
  vars.trustprobe_zone = "test."
  vars.trustprobe_lab = "$dir"
}
EOF
my $ic = join ' ', map { quotemeta } 'icinga2', 'daemon', '-C', '-c', "$t/icinga2.conf", @icinga_d;
my $check = qx{$ic 2>&1};
is($? >> 8, 0, 'icinga2 daemon -C accepts contrib/icinga2 (the CheckCommand and the apply rule)') or diag($check);
like($check, qr/Instantiated 4 Services/, 'the apply rule makes a service on each host with vars.trustprobe_zone');

# the objects as Icinga 2 made them: 'icinga2 object list' into nested hashes
sub icinga_objects {
    my ($type) = @_;
    my $cmd = join ' ', map { quotemeta } 'icinga2', 'object', 'list', '--type', $type, @icinga_d;
    my (%obj, $cur, @stack);
    for my $l (split /\n/, qx{$cmd 2>/dev/null}) {
        if ($l =~ /^Object '(.*)' of type '\Q$type\E':$/) { $cur = $obj{$1} = {}; @stack = ([0, $cur]); next }
        next unless $cur && $l =~ /^(\s*)\* (\S+)(?: = (.*))?$/;
        my ($depth, $k, $v) = (length($1) / 2, $2, $3);
        pop @stack while @stack > 1 && $stack[-1][0] >= $depth;
        my $h = $stack[-1][1];
        if (defined $v) {
            my $d = eval { JSON::PP->new->allow_nonref->decode($v) };
            $h->{$k} = $@ ? $v : $d;
        } else {
            $h->{$k} = {};
            push @stack, [$depth, $h->{$k}];
        }
    }
    return \%obj;
}
my $services = icinga_objects('Service');
my $hosts = icinga_objects('Host');
my $cmds = icinga_objects('CheckCommand');
my $cc = $cmds->{trustprobe} or BAIL_OUT('no CheckCommand trustprobe in icinga2 object list');

# one macro: service vars, host vars, command vars, then the host's own attributes
sub macro {
    my ($name, $svc, $host) = @_;
    for my $scope ($svc->{vars}, $host->{vars}, $cc->{vars}) {
        next unless ref $scope eq 'HASH' && exists $scope->{$name};
        my $v = $scope->{$name};
        return (!ref($v) && defined $v && $v =~ /^\$(\w+)\$$/) ? macro($1, $svc, $host) : $v;
    }
    return $host->{$name} if exists $host->{$name};
    return undef;
}
# the command line Icinga 2 builds for a service; undef when a required macro is missing
sub icinga_argv {
    my ($svc) = @_;
    my $host = $hosts->{ $svc->{host_name} };
    my @args;
    my $args = $cc->{arguments};
    my $order = sub { my $d = $args->{ $_[0] }; ref $d ? $d->{order} // 0 : 0 };
    for my $key (sort { $order->($a) <=> $order->($b) || $a cmp $b } keys %$args) {
        my $d = ref $args->{$key} ? $args->{$key} : { value => $args->{$key} };
        if (exists $d->{set_if}) {
            my ($m) = $d->{set_if} =~ /^\$(\w+)\$$/;
            my $on = macro($m, $svc, $host);
            push @args, $key if $on && $on ne 'false';
            next;
        }
        my ($m) = ($d->{value} // '') =~ /^\$(\w+)\$$/;
        my $v = $m ? macro($m, $svc, $host) : $d->{value};
        if (!defined $v || (!ref $v && $v eq '')) {
            return undef if $d->{required};
            next;
        }
        if (ref $v eq 'ARRAY') {
            push @args, $d->{repeat_key} ? map { ($key, $_) } @$v : ($key, join ',', @$v);
        } else {
            push @args, $key, $v;
        }
    }
    return [@{ $cc->{command} }, @args];
}
my %ici;
for my $name (sort keys %$services) {
    my ($h) = $name =~ /^([^!]+)!dane-resolver$/ or next;
    $ici{$h} = icinga_argv($services->{$name});
}
is(scalar(keys %ici), 4, 'a dane-resolver service per host');
is_deeply($ici{'mail-unbound'}, ["$t/plugins/check_trustprobe", '-H', '127.53.1.1', '--lab', $dir,
    '--zone', 'test.', '-c', ',7:', '-t', 20, '-w', ',30:'], 'the command line of mail-unbound')
    or diag(explain($ici{'mail-unbound'}));
{
    my ($o, $rc) = in_lab(@{ $ici{'mail-unbound'} });
    is($rc, 2, 'Icinga 2 runs it: unbound, which lets forged denials through, is CRITICAL');
    like($o, qr/\ATRUSTPROBE CRITICAL - 127\.53\.1\.1: forged denials get through: [A-E]\d( [A-E]\d)* \| /, 'naming the resolver and the first cause') or diag($o);
    my ($text) = $o =~ /\A([^|\n]*?) \|/;
    ok(length($text // '') < 80, 'under 80 characters before the perfdata (' . length($text // '') . ')');
    like($o, qr/ '127\.53\.1\.1 duration'=[\d.]+s;;;0;20 '127\.53\.1\.1 rtt'=[\d.]+ms;;;0; '127\.53\.1\.1 passed'=\d+;;;0;\d+/, 'perfdata of that resolver, -t as the duration\'s max');
    is(scalar(() = $o =~ /\n/g), 1, 'one line without -v');
}
{
    my $argv = $ici{'mail-novalidate'};
    ok((grep { $_ eq '-v' } @$argv), 'set_if: vars.trustprobe_verbose adds -v');
    is(scalar(grep { $_ eq '--accept' } @$argv), 2, 'repeat_key: one --accept per element');
    my ($o, $rc) = in_lab(@$argv);
    is($rc, 2, 'the non-validating resolver is CRITICAL');
    like($o, qr/\ATRUSTPROBE CRITICAL - 127\.53\.1\.6: DNSSEC validation is off/, 'validation off, first');
    like($o, qr/\n127\.53\.1\.6 \(unbound-novalidate\): CRITICAL - not-ready \(dane_ready no\), root key roll not-ready: /, '-v: a line for the resolver');
    like($o, qr/\n  FAIL validation\.bogus-sig: observed /, '-v: each failing case');
    unlike($o, qr/\n  PASS /, 'never the passing ones');
}
{
    my ($o, $rc) = in_lab(@{ $ici{'mail-silent'} });
    is($rc, 2, 'a resolver that does not answer is CRITICAL, not UNKNOWN (the guidelines)');
    like($o, qr/\ATRUSTPROBE CRITICAL - 127\.53\.2\.2: the resolver does not answer/, 'and says so') or diag($o);
    unlike($o, qr/rtt'=/, 'no round trip figure: nothing answered');
}
{
    is($ici{'mail-noaddress'}, undef, 'a host without an address: -H is required, Icinga 2 runs nothing');
    # a CheckCommand without required = true would leave -H out: the plugin must not then
    # check the monitoring server's own resolver
    my @argv = ("$t/plugins/check_trustprobe", '--lab', $dir, '--zone', 'test.', '-t', 20);
    my ($o, $rc) = in_lab(@argv);
    is($rc, 3, 'without -H the plugin is UNKNOWN');
    like($o, qr/\ATRUSTPROBE UNKNOWN - -H ADDRESS is required in plugin mode/, 'the status line on stdout says why');
    SKIP: {
        skip 'strace not installed', 1 unless qx{sh -c 'command -v strace'};
        my $trace = qx{strace -f -e trace=open,openat @{[join ' ', map { quotemeta } @argv]} 2>&1 >/dev/null};
        unlike($trace, qr{"/etc/resolv\.conf"}, 'and never opens /etc/resolv.conf');
    }
    ($o, $rc) = in_lab("$t/plugins/check_trustprobe", '-H', '', '--lab', $dir);
    is($rc, 3, 'an empty -H (a macro that resolved to nothing): UNKNOWN');
}

# ---- Nagios ----
mkdir "$t/nagios" or die;
spew("$t/nagios/resource.cfg", "\$USER1\$=$t/plugins\n");
spew("$t/nagios/hosts.cfg", join '', map { <<EOF } (['mail-unbound', "\n  address 127.53.1.1"], ['mail-noaddress', '']));
define host {
  use generic-host
  host_name $_->[0]$_->[1]
  hostgroups mail-hosts
  max_check_attempts 3
  contact_groups admins
}
EOF
spew("$t/nagios/lab.cfg", <<EOF);
define hostgroup {
  hostgroup_name mail-hosts
  alias Mail hosts
}
# the lab's resolvers: the command of contrib/ with the lab as \$ARG2\$
define service {
  use                     generic-service
  hostgroup_name          mail-hosts
  service_description     DANE resolver (lab)
  check_command           check_trustprobe!test.!--lab $dir -t 20
}
EOF
spew("$t/nagios/nagios.cfg", join '', map { "$_\n" } (
    "log_file=$t/nagios/nagios.log",
    (map { "cfg_file=/etc/nagios4/objects/$_.cfg" } qw(commands contacts timeperiods templates)),
    "cfg_file=$root/contrib/nagios/trustprobe.cfg",
    "cfg_file=$t/nagios/hosts.cfg", "cfg_file=$t/nagios/lab.cfg",
    "resource_file=$t/nagios/resource.cfg", "status_file=$t/nagios/status.dat",
    "lock_file=$t/nagios/nagios.lock", "temp_file=$t/nagios/nagios.tmp", "temp_path=$t/nagios",
    "check_result_path=$t/nagios", "precached_object_file=$t/nagios/objects.precache",
    'nagios_user=' . getpwuid($<), 'nagios_group=' . getgrgid($( + 0)));
my $nv = qx{nagios4 -v $t/nagios/nagios.cfg 2>&1};
is($? >> 8, 0, 'nagios4 -v accepts contrib/nagios/trustprobe.cfg') or diag($nv);
like($nv, qr/Total Errors:\s+0/, 'with no error');
qx{nagios4 -pv $t/nagios/nagios.cfg 2>&1};
my $pre = slurp("$t/nagios/objects.precache");
my (%ncmd, @nsvc, %naddr);
while ($pre =~ /define (\w+) \{\n(.*?)\n\s*\}/sg) {
    my ($type, $body) = ($1, $2);
    my %o = map { /^\s*(\w+)\s+(.*?)\s*$/ ? ($1 => $2) : () } split /\n/, $body;
    $ncmd{ $o{command_name} } = $o{command_line} if $type eq 'command';
    push @nsvc, \%o if $type eq 'service';
    $naddr{ $o{host_name} } = $o{address} if $type eq 'host';
}
ok($ncmd{check_trustprobe}, 'the precached objects hold the command');
my %user = map { /^\$(USER\d+)\$=(.*)$/ ? ($1 => $2) : () } split /\n/, slurp("$t/nagios/resource.cfg");
# the command line Nagios runs for a service on a host
sub nagios_cmd {
    my ($svc, $host) = @_;
    my ($name, @arg) = split /!/, $svc->{check_command};
    my $c = $ncmd{$name};
    $c =~ s/\$USER(\d+)\$/$user{"USER$1"}/g;
    $c =~ s/\$HOSTADDRESS\$/$naddr{$host}/g;
    $c =~ s/\$ARG(\d+)\$/$arg[$1 - 1] \/\/ ''/ge;
    return $c;
}
my ($lab_svc) = grep { $_->{service_description} eq 'DANE resolver (lab)' } @nsvc;
ok($lab_svc, 'the lab service is there');
{
    my $c = nagios_cmd($lab_svc, 'mail-unbound');
    is($c, "$t/plugins/check_trustprobe -H 127.53.1.1 -t 20 --zone test. --lab $dir -t 20",
       'the command line Nagios builds for mail-unbound');
    my ($o, $rc) = in_lab('sh', '-c', $c);
    is($rc, 2, 'Nagios runs it: CRITICAL');
    like($o, qr/\ATRUSTPROBE CRITICAL - 127\.53\.1\.1: forged denials get through: /, 'naming the resolver and the first cause');
    # Nagios gives a host without an address its name: never resolved, UNKNOWN
    is($naddr{'mail-noaddress'}, 'mail-noaddress', 'Nagios: the address of a host without one is its name');
    ($o, $rc) = in_lab('sh', '-c', nagios_cmd($lab_svc, 'mail-noaddress'));
    is($rc, 3, 'that host is UNKNOWN');
    like($o, qr/\ATRUSTPROBE UNKNOWN - "mail-noaddress": not an IP address \(host names are not resolved\)/, 'saying why, on stdout');
}

# ---- Prometheus ----
{
    my ($o, $rc) = in_lab($tp, '--lab', $dir, '--format', 'prometheus', '127.53.1.1', '127.53.1.6', '127.53.2.2');
    is($rc, 1, '--format prometheus: the exit status of the verdicts (some not ready)');
    spew("$t/trustprobe.prom", $o);
    my $lint = qx{promtool check metrics < $t/trustprobe.prom 2>&1};
    is($? >> 8, 0, 'promtool check metrics accepts the exposition') or diag($lint);
    like($o, qr/^# HELP trustprobe_verdict .*\n# TYPE trustprobe_verdict gauge\n/m, 'HELP and TYPE lines');
    like($o, qr/^trustprobe_verdict\{resolver="127\.53\.1\.1"\} 1$/m, 'the verdict of each resolver');
    like($o, qr/^trustprobe_group_status\{resolver="127\.53\.1\.6",group="validation"\} 2$/m, 'a gauge per group');
    like($o, qr/^trustprobe_case_status\{resolver="127\.53\.1\.1",group="denial",case="denial\.atk-c1-wildcard-nsec-as-insecure-ds-proof"\} 2$/m, 'and per case');
    like($o, qr/^trustprobe_roll_verdict\{resolver="127\.53\.1\.1"\} 1$/m, 'the roll verdict');
    like($o, qr/^trustprobe_duration_seconds\{resolver="127\.53\.2\.2"\} [\d.]+$/m, 'the duration');
    unlike($o, qr/^trustprobe_rtt_max_seconds\{resolver="127\.53\.2\.2"\}/m, 'no rtt where nothing answered');
    unlike($o, qr/^trustprobe_root_key_event_days/m, 'the lab root has no calendar: no days');
}
my (undef, $dout, $drc) = lab_down($dir);
is($drc, 0, 'lab down') or diag($dout);
done_testing();
