#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# 'make deps' must not disturb the host: .ci/install-deps is run with a stand-in apt-get
# whose "postinst" enables units and, where the host's policy-rc.d allows it, starts a
# daemon. Daemons that ran before (a real unbound, and a process named like named in the
# host's namespace) survive; the units the install enabled end up disabled, the ones that
# were there before keep their state; a daemon the install started is stopped; no
# policy-rc.d of ours is left. Unit links live under TP_DEPS_ROOT, never the real /etc.
# postfix (the lab's MTA) is installed only where apt-get's simulation removes nothing
# (another MTA such as exim4 would go), with debconf preseeded to "No configuration", and
# its master started by a postinst is stopped like any daemon the install started.
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
case "\$*" in *" -s "*)
  # the simulation: what installing would remove (FAKE_REMOVES), then what it installs
  for p in \$FAKE_REMOVES; do echo "Remv \$p [4.96-15+deb12u11]"; done
  echo "Inst postfix (3.7.11-0+deb12u1 Debian:12 [amd64])"
  exit 0;;
esac
echo "\$*" >>"\$R/apt-installed"
case "\$*" in *postfix*)
  mkdir -p "\$R/etc/systemd/system/multi-user.target.wants"
  ln -sf /lib/systemd/system/postfix.service "\$R/etc/systemd/system/multi-user.target.wants/postfix.service"
  if ! [ -x "\$R/usr/sbin/policy-rc.d" ] || "\$R/usr/sbin/policy-rc.d" postfix start; then
    ( setsid "$t/master" 300 </dev/null >/dev/null 2>&1 & echo \$! >"\$R/master.pid" )
  fi
  exit 0;;
esac
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

# install-deps stops a daemon the install started only when no process of that name ran
# before (it might be the host's). Another lab on this machine (a Postfix master, an nsd)
# makes it rightly leave the stand-in alone: then the test checks that it said so, and
# stops its own stand-in by PID.
sub running { my ($n) = @_; my $p = `pgrep -x $n`; return $p =~ /\d/ ? 1 : 0 }
sub stopped_or_left {
    my ($pid, $name, $before, $out, $what) = @_;
    if ($before) {
        like($out, qr/leaving $name \(pid $pid\) alone: a $name ran before the install/,
             "$what: a $name ran before (another lab?): the one the install started is left, and it says so");
        ok($pid =~ /^\d+$/ && kill('TERM', $pid), "$what: the test stops its own stand-in (pid $pid)");
        return;
    }
    ok($pid =~ /^\d+$/ && !alive($pid), "$what: the $name the install started was stopped") or diag $out;
    like($out, qr/stopping $name \(pid $pid\): the install started it/, "$what: it says what it stopped");
}
my $nsd_before = running('nsd');
my ($r2, $out2) = scenario('host-policy', 1);
is(do { local (@ARGV, $/) = "$r2/policy-said"; <> }, "allowed\n", "host-policy: the host's own policy-rc.d was kept and used");
is(do { local (@ARGV, $/) = "$r2/usr/sbin/policy-rc.d"; <> }, "#!/bin/sh\nexit 0\n", "host-policy: the host's policy-rc.d is unchanged");
my $started = do { local (@ARGV, $/) = "$r2/started.pid"; <> } // '';
chomp $started;
ok($started =~ /^\d+$/, "host-policy: the stand-in postinst started a daemon named nsd (pid $started)");
select undef, undef, undef, 0.2;
stopped_or_left($started, 'nsd', $nsd_before, $out2, 'host-policy');

# postfix. A stand-in debconf-set-selections records what it is told; a stand-in
# dpkg-query says nothing is installed (this host may have postfix already).
mkdir "$t/fakebin2";
write_file("$t/fakebin2/debconf-set-selections", "#!/bin/sh\ncat >>\"\$TP_DEPS_ROOT/debconf\"\n", 0755);
write_file("$t/fakebin2/dpkg-query", "#!/bin/sh\necho 'unknown ok not-installed'\n", 0755);
system('cp', '/bin/sleep', "$t/master") == 0 or die;
sub postfix_run {
    my ($name, $removes, $host_policy) = @_;
    my $r = "$t/root-$name";
    system('mkdir', '-p', "$r/etc/systemd/system/multi-user.target.wants", "$r/usr/sbin") == 0 or die;
    write_file("$r/usr/sbin/policy-rc.d", "#!/bin/sh\nexit 0\n", 0755) if $host_policy;
    my $out = qx{PATH=$t/fakebin2:$t/fakebin:\$PATH TP_DEPS_ROOT=$r FAKE_REMOVES='$removes' sh $script postfix tp-other-package 2>&1};
    return ($r, $out, $? >> 8);
}
sub slurp { my ($p) = @_; open my $f, '<', $p or return ''; local $/; return <$f> }

my ($r3, $out3, $rc3) = postfix_run('mta-conflict', 'exim4-daemon-light exim4-base', 0);
is($rc3, 0, 'postfix beside another MTA: install-deps exits 0') or diag $out3;
like($out3, qr/^deps: not installing postfix: apt-get would remove exim4-daemon-light exim4-base \(another MTA\); the posttls-finger lab tests skip$/m,
     'postfix beside another MTA: one line says it is not installed and why');
unlike(slurp("$r3/apt-installed"), qr/postfix/, 'postfix beside another MTA: apt-get never installs it');
like(slurp("$r3/apt-installed"), qr/tp-other-package/, 'postfix beside another MTA: the other packages still install');
is(slurp("$r3/debconf"), '', 'postfix beside another MTA: debconf is left alone');
my $removals = qx{PATH=$t/fakebin:\$PATH TP_DEPS_ROOT=$r3 FAKE_REMOVES='exim4-daemon-light exim4-base' sh $script --removals postfix};
is($removals, 'exim4-daemon-light exim4-base', '--removals names what installing would remove (for the tests\' skip reason)');
is(scalar qx{PATH=$t/fakebin:\$PATH TP_DEPS_ROOT=$r3 FAKE_REMOVES= sh $script --removals postfix}, '', '--removals prints nothing when nothing would go');

my $master_before = running('master');
my ($r4, $out4, $rc4) = postfix_run('mta-new', '', 1);
is($rc4, 0, 'postfix as the only MTA: install-deps exits 0') or diag $out4;
like(slurp("$r4/apt-installed"), qr/--no-install-recommends.*\bpostfix\b/, 'postfix as the only MTA: it is installed');
is(slurp("$r4/debconf"), "postfix postfix/main_mailer_type select No configuration\n",
   'postfix: debconf is preseeded with "No configuration" (no main.cf, no mail system set up)');
ok(!-e "$r4/etc/systemd/system/multi-user.target.wants/postfix.service", 'postfix: the unit its postinst enabled is disabled');
my $mpid = slurp("$r4/master.pid");
chomp $mpid;
ok($mpid =~ /^\d+$/, "postfix: the stand-in postinst started a master (pid $mpid), as the host's policy-rc.d allowed");
select undef, undef, undef, 0.2;
stopped_or_left($mpid, 'master', $master_before, $out4, 'postfix');

my $again = qx{sh $script dash 2>&1};
like($again, qr/all installed/, 'with nothing missing it changes nothing');
done_testing();
