#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# Every file the probe and the lab read goes through one bounded reader (tp_read_file,
# tp_fopen_read in probe/tp_util.c): a FIFO, a device or a directory given in place of
# a file is refused before any read, with one line that says so and exit status 2, and
# well within -t (a FIFO used to block in open(), /dev/zero to stream until a cap).
# timeout(1) only guards the test against a hang; the time is measured and asserted.
# Nothing here sends a packet: every target is 127.0.0.9 or a lab address, and each run
# stops at the file before any query.
use strict;
use warnings;
use FindBin;
use File::Temp qw(tempdir);
use POSIX qw(mkfifo);
use Time::HiRes qw(time);
use Test::More;

my $root = "$FindBin::Bin/../..";
my $tp = "$root/probe/trustprobe";
-x $tp or BAIL_OUT("build the probe first (make)");
my $t = tempdir('tp-bounded-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $fifo = "$t/fifo";
mkfifo($fifo, 0644) or die "mkfifo: $!";

# a copy of the vectors with one file replaced by a FIFO
sub vectors_with_fifo {
  my ($name, $file) = @_;
  my $d = "$t/$name";
  system("cp -r '$root/testvectors' '$d'") == 0 or die;
  unlink "$d/$file" or die "$d/$file: $!";
  mkfifo("$d/$file", 0644) or die "mkfifo: $!";
  return $d;
}
my $vec_cases = vectors_with_fifo('vec-cases', 'cases');
my $vec_manifest = vectors_with_fifo('vec-manifest', 'manifest');
my $vec_template = vectors_with_fifo('vec-template', 'zones/root.zone');
my $lab = "$t/lab";
mkdir $lab or die;
mkfifo("$lab/lab.env", 0644) or die;
my $zdir = "$t/zones";
mkdir $zdir or die;
mkfifo("$zdir/zones.list", 0644) or die;

my $proxy = 'lab proxy --listen 127.0.0.77@5399 --upstream 127.53.0.1';
my @cases = (
  # [what, arguments, the path the error line names]
  ['--resolv-conf FIFO', "-t 3 --resolv-conf $fifo", $fifo],
  ['--resolv-conf /dev/zero', '-t 3 --resolv-conf /dev/zero', '/dev/zero'],
  ['--resolv-conf a directory', "-t 3 --resolv-conf $t", $t],
  ['--trust-anchor FIFO', "-t 3 --trust-anchor $fifo 127.0.0.9", $fifo],
  ['--trust-anchor /dev/zero', '-t 3 --trust-anchor /dev/zero 127.0.0.9', '/dev/zero'],
  ['--targets FIFO', "-t 3 --targets $fifo", $fifo],
  ['--targets /dev/zero', '-t 3 --targets /dev/zero', '/dev/zero'],
  ['--vectors whose catalogue is a FIFO', "-t 3 --vectors $vec_cases 127.0.0.9", "$vec_cases/cases"],
  ['--list --vectors whose catalogue is a FIFO', "--list --vectors $vec_cases", "$vec_cases/cases"],
  ['--lab whose lab.env is a FIFO', "-t 3 --lab $lab 127.0.0.9", "$lab/lab.env"],
  ['lab proxy --rules FIFO', "$proxy --rules $fifo", $fifo],
  ['lab proxy --rules /dev/zero', "$proxy --rules /dev/zero", '/dev/zero'],
  ['lab proxy --zone-dir whose zones.list is a FIFO',
   "$proxy --rules $root/testvectors/attacks --zone-dir $zdir", "$zdir/zones.list"],
  ['lab --compare with a FIFO as the recorded baseline', "lab -t 3 --compare $fifo unbound", $fifo],
  ['lab --compare with /dev/zero as the recorded baseline', 'lab -t 3 --compare /dev/zero unbound', '/dev/zero'],
  ['lab up --vectors whose manifest is a FIFO',
   "lab up --dir $t/labdir-m --timeout 3 --vectors $vec_manifest", "$vec_manifest/manifest"],
  ['lab up --vectors with a zone template that is a FIFO',
   "lab up --dir $t/labdir-t --timeout 3 --vectors $vec_template", "$vec_template/zones/root.zone"],
);

for my $c (@cases) {
  my ($what, $args, $path) = @$c;
  my $t0 = time;
  my $err = qx{timeout 20 $tp $args 2>&1 >/dev/null </dev/null};
  my $rc = $? >> 8;
  my $took = time - $t0;
  isnt($rc, 124, "$what: does not hang (timeout guard)");
  is($rc, 2, "$what: exit status 2") or diag $err;
  my @lines = grep { length } split /\n/, $err;
  is(scalar @lines, 1, "$what: one line") or diag $err;
  like($lines[0] // '', qr/\Q$path\E.*not a regular file/, "$what: the line names the file and says why");
  cmp_ok($took, '<', 2.5, "$what: returns well within -t 3 (took ${\ sprintf '%.2f', $took} s)");
}

# 'trustprobe anchors FILE' audits each file: a FIFO or a device is an error of that file
for my $f ($fifo, '/dev/zero') {
  my $t0 = time;
  my $out = qx{timeout 20 $tp anchors $f 2>&1 </dev/null};
  my $rc = $? >> 8;
  is($rc, 2, "anchors $f: exit status 2") or diag $out;
  like($out, qr/^error \Q$f\E: not a regular file$/m, "anchors $f: says it is not a regular file");
  cmp_ok(time - $t0, '<', 2.5, "anchors $f: returns at once");
}
done_testing();
