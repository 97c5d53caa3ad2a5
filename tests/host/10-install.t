#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Packaging conventions, checked on a copy of the tree (the real build/ is left alone):
# 'make' then 'make install PREFIX=/usr DESTDIR=D' (as the README says) installs a binary
# that finds its test vectors, also after the staged tree moves; a changed PREFIX rebuilds
# what compiles the data path in; the plugin link sits in PLUGINDIR and 'man
# check_trustprobe' works; --version is the version of NEWS; dpkg-buildflags hardening
# reaches every compile and link line and the binary; 'make uninstall' removes it all.
# Nothing here sends a packet beyond 127.0.0.1.
use strict;
use warnings;
use FindBin;
use File::Temp qw(tempdir);
use Test::More;

my $root = "$FindBin::Bin/../..";
my $t = tempdir('tp-install-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $src = "$t/src";
mkdir $src;
system("tar -C '$root' --exclude=./build --exclude=./.git --exclude=./probe/trustprobe -cf - . | tar -C '$src' -xf -") == 0
  or BAIL_OUT('cannot copy the tree');
sub run { my ($cmd) = @_; my $out = qx{cd '$src' && $cmd 2>&1}; return ($? >> 8, $out) }
sub slurp { local (@ARGV, $/) = @_; <> }

my ($rc, $out) = run('make -j2');
is($rc, 0, 'make builds with the default PREFIX') or diag $out;
($rc, $out) = run("make install PREFIX=/usr DESTDIR=$t/stage");
is($rc, 0, 'make install PREFIX=/usr DESTDIR=... after a plain make') or diag $out;
like($out, qr/-c probe\/paths\.c/, 'a changed PREFIX recompiles the file that holds the data path');
my $bin = "$t/stage/usr/bin/trustprobe";
ok(-x $bin, 'the binary is in BINDIR');
is(qx{strings '$bin' | grep -x /usr/share/trustprobe}, "/usr/share/trustprobe\n",
   'the compiled-in data directory follows PREFIX=/usr, not /usr/local');
my $list = qx{env -u TRUSTPROBE_VECTORS '$bin' --list 2>&1};
is($? >> 8, 0, 'the staged binary finds its test vectors') or diag $list;
like($list, qr/^validation\.ad-secure/m, '--list shows the catalogue');
system("cp -a '$t/stage/usr' '$t/moved'") == 0 or die;
qx{env -u TRUSTPROBE_VECTORS '$t/moved/bin/trustprobe' --list 2>&1};
is($? >> 8, 0, 'the installed tree still works after it moves (vectors found beside the binary)');
system("rm -rf '$t/moved/share/trustprobe'");
my $err = qx{env -u TRUSTPROBE_VECTORS '$t/moved/bin/trustprobe' --list 2>&1};
is($? >> 8, 2, 'missing test vectors: exit 2');
like($err, qr{^trustprobe: test vectors not found \(no manifest in .*/moved/testvectors, .*/moved/share/trustprobe/testvectors, /usr/share/trustprobe/testvectors\); set TRUSTPROBE_VECTORS or use --vectors DIR\n\z},
     'one line naming every path it tried');

my ($news) = slurp("$root/NEWS") =~ /^trustprobe (\S+)/;
is(qx{'$bin' --version}, "trustprobe $news\n", "--version prints the version of NEWS ($news)");

my $plugin = "$t/stage/usr/lib/nagios/plugins/check_trustprobe";
ok(-l $plugin, 'check_trustprobe is in PLUGINDIR (/usr/lib/nagios/plugins)');
is(readlink($plugin), '../../../bin/trustprobe', 'as a relative link to the binary');
ok(-l "$t/stage/usr/bin/check_trustprobe", 'and in BINDIR');
my $nag = qx{'$plugin' -t 1 -H 127.0.0.1\@9 2>&1};
like($nag, qr/^TRUSTPROBE CRITICAL - 127\.0\.0\.1\@9: /, 'invoked from PLUGINDIR it runs as the nagios plugin (nothing on port 9: CRITICAL)');
my $man = qx{MANWIDTH=80 man -M '$t/stage/usr/share/man' check_trustprobe 2>&1};
like($man, qr/TRUSTPROBE\(1\)/, "'man check_trustprobe' shows the page");
ok(-f "$t/stage/usr/share/doc/trustprobe/$_", "$_ in DOCDIR") for qw(LICENSE NEWS README.md);
my @modes = map { sprintf '%o', (stat)[2] & 07777 } grep { -f } glob("$t/stage/usr/share/trustprobe/testvectors/* $t/stage/usr/share/trustprobe/testvectors/*/*");
is_deeply([grep { $_ ne '644' } @modes], [], 'data files are installed 0644');

($rc, $out) = run("make uninstall PREFIX=/usr DESTDIR=$t/stage");
is($rc, 0, 'make uninstall');
is(qx{find '$t/stage' ! -type d}, '', 'uninstall leaves no file or link behind');

($rc, $out) = run("make install PREFIX=$t/prefix");
is($rc, 0, 'make install with another PREFIX and no DESTDIR');
qx{env -u TRUSTPROBE_VECTORS '$t/prefix/bin/trustprobe' --list 2>&1};
is($? >> 8, 0, 'that binary finds its data too');

SKIP: {
    skip 'dpkg-buildflags not installed', 8 unless qx{sh -c 'command -v dpkg-buildflags'};
    my %f = map { chomp(my $v = qx{DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get $_}); ($_ => $v) } qw(CFLAGS CPPFLAGS LDFLAGS);
    ($rc, $out) = run("make clean >/dev/null && make -j2 CFLAGS='$f{CFLAGS}' CPPFLAGS='$f{CPPFLAGS}' LDFLAGS='$f{LDFLAGS}'");
    is($rc, 0, 'builds with dpkg-buildflags (hardening=+all)') or diag $out;
    my @cc = grep { / -c / } split /\n/, $out;
    my @ld = grep { / -o probe\/trustprobe / } split /\n/, $out;
    ok(@cc > 10 && !grep({ !/-D_FORTIFY_SOURCE=2/ || !/-fstack-protector-strong/ } @cc),
       'every compile line has CPPFLAGS and CFLAGS (' . scalar(@cc) . ' lines)');
    ok(@ld == 1 && $ld[0] =~ /-Wl,-z,relro/ && $ld[0] =~ /-Wl,-z,now/, 'the link line has LDFLAGS');
    my $b = "$src/probe/trustprobe";
    like(qx{readelf -d '$b'}, qr/\(FLAGS\)\s+BIND_NOW|\(FLAGS_1\).*NOW/, 'the binary binds now');
    like(qx{readelf -lW '$b'}, qr/GNU_RELRO/, 'the binary has a RELRO segment');
    like(qx{readelf -hW '$b'}, qr/Type:\s+DYN/, 'the binary is position independent');
    like(qx{nm -D '$b'}, qr/__\w+_chk\b/, 'fortified libc calls are linked (_chk)');
    like(qx{nm -D '$b'}, qr/__stack_chk_fail/, 'the stack protector is in');
}
done_testing();
