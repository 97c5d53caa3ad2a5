#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# The man page renders without lint warnings and documents every option the binary takes,
# every group of the case catalogue and every exit status; the README's quick start is
# exactly two commands.
use strict;
use warnings;
use FindBin;
use Test::More;

my $root = "$FindBin::Bin/../..";
my $man = "$root/man/trustprobe.1";
my $tp = "$root/probe/trustprobe";

my $lint = qx{mandoc -Tlint -W warning $man 2>&1};
$lint = join "\n", grep { !/mandoc\.db|makewhatis/ } split /\n/, $lint;
is($lint, '', 'mandoc -Tlint -W warning reports nothing');

my $text = qx{MANWIDTH=80 man -l $man 2>/dev/null};
ok(length $text > 2000, 'man -l renders the page');
my $src = do { local (@ARGV, $/) = $man; <> };

my %opts;
for my $help (qx{$tp --help}, qx{$tp lab --help}, qx{$tp serve --help}) {
    $opts{$1} = 1 while $help =~ /(?<![\w-])(--[a-z][a-z-]+|-[a-zA-Z])\b/g;
}
ok(scalar(keys %opts) >= 15, 'the usage texts list options: ' . join ' ', sort keys %opts);
for my $o (sort keys %opts) {
    (my $m = $o) =~ s/^--/\\-/;           # mdoc writes --foo as Fl \-foo
    $m =~ s/^-//;
    like($src, qr/\bFl \Q$m\E\b/, "the man page documents $o");
}
for my $g (qw(transport validation denial root-trust ad-path dane)) {
    like($src, qr/\bCm $g\b/, "the man page describes group $g");
}
my @groups_in_cases = do {
    open my $fh, '<', "$root/testvectors/cases" or die;
    my %g; while (<$fh>) { $g{$1} = 1 if /^\s*group\s+(\S+)/ } sort keys %g
};
for my $g (@groups_in_cases) {
    like($src, qr/\bCm $g\b/, "catalogue group $g is in the man page");
}
my ($exit) = $src =~ /\.Sh EXIT STATUS\n(.*?)\n\.Sh /s;
like($exit, qr/^\.It $_$/m, "exit status $_ is documented") for (0, 1, 2, 127, 130);
like($exit, qr/3 UNKNOWN/, 'nagios UNKNOWN (3) is documented');
like($src, qr/dane_ready\s*\n?is true only when/, 'the verdict rule is stated');

my $readme = do { local (@ARGV, $/) = "$root/README.md"; <> };
my ($qs) = $readme =~ /## Quick start[^\n]*\n\n```sh\n(.*?)```/s;
my @cmds = grep { /\S/ } split /\n/, $qs // '';
is(scalar @cmds, 2, 'the README quick start is exactly two commands');
like($cmds[0] // '', qr/^make deps demo\b/, 'the first runs the main job');
like($cmds[1] // '', qr/^make check\b/, 'the second runs all tests');
# CI runs exactly those two commands (without their comments), so it tests what a newcomer types
my @qs = map { (my $c = $_) =~ s/\s+#.*$//; $c } @cmds;
my $ci = do { local (@ARGV, $/) = "$root/.ci/run"; <> };
my ($ci_cmds) = $ci =~ /^# quick start:\n(.*)\z/ms;
is_deeply([grep { /\S/ } split /\n/, $ci_cmds // ''], \@qs, '.ci/run runs the README quick start verbatim');
my ($ci_pre) = $ci =~ /\A(.*?)^# quick start:/ms;
unlike($ci_pre // 'missing', qr/^\s*make\b/m, '.ci/run runs no other make command before the quick start');
done_testing();
