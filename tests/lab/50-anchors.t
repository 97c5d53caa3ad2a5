#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# 'trustprobe anchors' on the trust-anchor files of a running lab, judged against the lab's
# current KSK: the lab's unbound keeps RFC 5011 state (current key VALID, next key ADDPEND);
# a file with only the next key fails; a broken file gives file:line and exit 2 while the
# others are still reported; a FIFO does not hang it. No network: it only reads files.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use File::Temp qw(tempdir);
use Test::More;
use Lab qw(tp lab_up lab_env);

my $tp = tp();
my ($dir, undef, $out, $rc) = lab_up(resolvers => 'unbound,dnsmasq,knot-resolver');
is($rc, 0, 'lab up') or BAIL_OUT($out);
my %env = lab_env($dir);
my ($cur, $next) = @env{qw(LAB_KSK_CURRENT LAB_KSK_NEXT)};
# unbound writes its autotrust state once it has probed the root
for (1 .. 100) { last if qx{cat $dir/unbound/root.key} =~ /;;state=/; select undef, undef, undef, 0.05 }

my $text = qx{$tp anchors --lab $dir 2>&1};
is($? >> 8, 0, 'every lab anchor file trusts the lab key in force') or diag $text;
like($text, qr/key in force on \d{4}-\d\d-\d\d: the lab's current KSK \($cur\)/, 'it names the key in force');
like($text, qr{^ok\s+\Q$dir\E/unbound/root\.key \(unbound auto-trust-anchor-file, unbound\)}m, "reads unbound's RFC 5011 state");
like($text, qr/^\s+$cur alg 8 DNSKEY VALID/m, 'the current key is VALID there');
like($text, qr/^\s+$next alg 8 DNSKEY ADDPEND/m, 'the next key is in its add hold-down (ADDPEND)');
like($text, qr{^ok\s+\Q$dir\E/ta/dnsmasq\.conf \(dnsmasq trust-anchor lines, dnsmasq\)}m, 'reads the dnsmasq anchor');
like($text, qr{^ok\s+\Q$dir\E/ta/bind\.conf \(BIND trust-anchors statement, named\)}m, 'reads the BIND statement');

my $t = tempdir('tp-anchors-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $only_next = qx{$tp anchors --lab $dir $dir/ta/root-next.ds 2>&1};
is($? >> 8, 1, 'a file with only the next key: exit 1');
like($only_next, qr/^FAIL .*does not trust the key in force, key $cur \(trusts $next\)/m, 'and says which key it lacks');

open my $fh, '>', "$t/broken.key" or die;
print $fh "; a comment\n. IN DNSKEY 257 3 8 !!!\n";
close $fh;
my $mixed = qx{$tp anchors --lab $dir $dir/ta/root.ds $t/broken.key 2>&1};
is($? >> 8, 2, 'a broken file: exit 2');
like($mixed, qr{^error \Q$t\E/broken\.key:2: }m, 'with its line number');
like($mixed, qr{^ok\s+\Q$dir\E/ta/root\.ds}m, 'the other file is still reported');

system('mkfifo', "$t/fifo") == 0 or die;
my $t0 = time;
my $fifo = qx{timeout 10 $tp anchors --lab $dir $t/fifo 2>&1};
is($? >> 8, 2, 'a FIFO: exit 2');
like($fifo, qr/not a regular file/, 'refused without reading it');
ok(time - $t0 < 5, 'and without hanging');

my $bad = qx{$tp anchors --now 2026-13-01 2>&1};
is($? >> 8, 2, 'a bad --now: exit 2');
like($bad, qr/^trustprobe anchors: --now wants YYYY-MM-DD/, 'one line');
my $json = qx{$tp anchors --lab $dir --format json};
like($json, qr/"key_in_force": $cur/, 'JSON names the key in force');
like($json, qr/"real_root": false/, 'and that it is the lab root');
done_testing();
