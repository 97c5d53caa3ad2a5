#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# 'make deps' must not disturb the host: .ci/install-deps is run with a stand-in apt-get
# whose "postinst" enables units and, where the host's policy-rc.d allows it, starts a
# daemon. Daemons that ran before (a real unbound, and a process named like named in the
# host's namespace) survive; the units the install enabled end up disabled, the ones that
# were there before keep their state; a daemon the install started is stopped; no
# policy-rc.d of ours is left. Unit links live under TP_DEPS_ROOT, never the real /etc.
use strict;
use warnings;
use FindBin;
use File::Temp qw(tempdir);
use Test::More;

my $root = "$FindBin::Bin/../..";
my $script = "$root/.ci/install-deps";
my $t = tempdir('tp-deps-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my @kill;
END { kill 'KILL', @kill if @kill }

sub write_file { my ($p, $s, $mode) = @_; open my $f, '>', $p or die "$p: $!"; print $f $s; close $f; chmod $mode, $p if $mode }
sub alive { my ($pid) = @_; return kill(0, $pid) && (`ps -o stat= -p $pid` !~ /Z/) }

# a process whose name (comm) is NAME, started now, detached from us
sub start_named {
    my ($name, @wrap) = @_;
    system('cp', '/bin/sleep', "$t/bin-$name") == 0 or die;
    rename "$t/bin-$name", "$t/$name" unless -e "$t/$name";
    my $pid = fork // die;
    if (!$pid) { open STDIN, '<', '/dev/null'; open STDOUT, '>', '/dev/null'; exec @wrap, "$t/$name", '300'; exit 127 }
    push @kill, $pid;
    return $pid;
}

# A real unbound, running before the install (in a namespace of its own, so it can send
# nothing anywhere). The old install step pkill'ed every unbound on the machine.
my $unbound_pid;
SKIP: {
    my $ub = (grep { -x } map { "$_/unbound" } qw(/usr/sbin /usr/local/sbin))[0];
    skip 'unbound is not installed', 1 unless $ub;
    mkdir "$t/ub";
    write_file("$t/ub/unbound.conf", <<"CONF");
server:
  interface: 127.0.0.1
  port: 5353
  username: ""
  chroot: ""
  directory: "$t/ub"
  pidfile: ""
  do-daemonize: no
  use-syslog: no
  logfile: "$t/ub/log"
  do-ip6: no
CONF
    my $pid = fork // die;
    if (!$pid) { open STDIN, '<', '/dev/null'; exec 'unshare', '-rn', 'sh', '-c', "ip link set lo up; exec $ub -d -c $t/ub/unbound.conf"; exit 127 }
    push @kill, $pid;
    for (1 .. 100) { last if `pgrep -x unbound -P $pid` =~ /\d/ || `ps -o comm= -p $pid` =~ /unbound/; select undef, undef, undef, 0.05 }
    ($unbound_pid) = (`ps -o comm= -p $pid` =~ /unbound/) ? ($pid) : (`pgrep -x unbound -P $pid` =~ /(\d+)/);
    ok($unbound_pid && alive($unbound_pid), "a real unbound runs before the install (pid @{[$unbound_pid // '-']})");
}

# The stand-in apt-get: "install" does what a Debian postinst does with a unit and an
# init script: deb-systemd-helper enable, update-rc.d defaults, then invoke-rc.d start,
# which asks policy-rc.d first (exit 101: not allowed).
mkdir "$t/fakebin";
write_file("$t/fakebin/apt-get", <<"SH", 0755);
#!/bin/sh
R="\$TP_DEPS_ROOT"
case "\$*" in *update*) exit 0;; esac
mkdir -p "\$R/etc/systemd/system/multi-user.target.wants" "\$R/etc/rc2.d"
ln -sf /lib/systemd/system/nsd.service "\$R/etc/systemd/system/multi-user.target.wants/nsd.service"
ln -sf ../init.d/nsd "\$R/etc/rc2.d/S01nsd"
if [ -x "\$R/usr/sbin/policy-rc.d" ] && ! "\$R/usr/sbin/policy-rc.d" nsd start; then
  echo denied >"\$R/policy-said"
else
  echo allowed >"\$R/policy-said"
  ( setsid "$t/nsd" 300 </dev/null >/dev/null 2>&1 & echo \$! >"\$R/started.pid" )
fi
SH

sub scenario {
    my ($name, $host_policy) = @_;
    my $r = "$t/root-$name";
    system('mkdir', '-p', "$r/etc/systemd/system/multi-user.target.wants", "$r/etc/rc2.d", "$r/usr/sbin") == 0 or die;
    symlink '/lib/systemd/system/user-thing.service', "$r/etc/systemd/system/multi-user.target.wants/user-thing.service";
    symlink '../init.d/user-thing', "$r/etc/rc2.d/S01user-thing";
    write_file("$r/usr/sbin/policy-rc.d", "#!/bin/sh\nexit 0\n", 0755) if $host_policy;
    my $named = start_named('named'); # a host daemon of one of the names, running before
    system('cp', '/bin/sleep', "$t/nsd") unless -e "$t/nsd";
    my $out = qx{PATH=$t/fakebin:\$PATH TP_DEPS_ROOT=$r sh $script tp-fake-package-not-installed 2>&1};
    my $rc = $? >> 8;
    is($rc, 0, "$name: install-deps exits 0") or diag $out;
    ok(alive($named), "$name: the host's 'named' (pid $named) that ran before is still running");
    ok(alive($unbound_pid), "$name: the real unbound that ran before is still running") if $unbound_pid;
    ok(!-e "$r/etc/systemd/system/multi-user.target.wants/nsd.service", "$name: the unit the install enabled is disabled");
    ok(!-e "$r/etc/rc2.d/S01nsd", "$name: the SysV start link the install made is gone");
    ok(-l "$r/etc/systemd/system/multi-user.target.wants/user-thing.service", "$name: a unit enabled before stays enabled");
    ok(-l "$r/etc/rc2.d/S01user-thing", "$name: an rc link made before stays");
    like($out, qr/disabled nsd\.service/, "$name: it says what it disabled");
    return ($r, $out);
}

my ($r1, $out1) = scenario('own-policy', 0);
is(do { local (@ARGV, $/) = "$r1/policy-said"; <> }, "denied\n", 'own-policy: while apt ran, policy-rc.d denied every start');
ok(!-e "$r1/usr/sbin/policy-rc.d", 'own-policy: our policy-rc.d is gone afterwards');

my ($r2, $out2) = scenario('host-policy', 1);
is(do { local (@ARGV, $/) = "$r2/policy-said"; <> }, "allowed\n", "host-policy: the host's own policy-rc.d was kept and used");
is(do { local (@ARGV, $/) = "$r2/usr/sbin/policy-rc.d"; <> }, "#!/bin/sh\nexit 0\n", "host-policy: the host's policy-rc.d is unchanged");
my $started = do { local (@ARGV, $/) = "$r2/started.pid"; <> } // '';
chomp $started;
ok($started =~ /^\d+$/, "host-policy: the stand-in postinst started a daemon named nsd (pid $started)");
select undef, undef, undef, 0.2;
ok(!alive($started), 'host-policy: the daemon the install started was stopped') or diag $out2;
like($out2, qr/stopping nsd \(pid $started\): the install started it/, 'host-policy: it says what it stopped');

my $again = qx{sh $script dash 2>&1};
like($again, qr/all installed/, 'with nothing missing it changes nothing');
done_testing();
