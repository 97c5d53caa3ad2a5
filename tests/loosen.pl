#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
#
# Loosens each rule of the case catalogue in turn, in a temporary copy, and runs the pinned
# unit test (tests/unit/test_pinned.c) against the copy: a loosening that the test does not
# notice "survives", and means some rule is not pinned by a recorded answer. Loosenings:
#   - drop one atom of a pass, warn or skip rule that has two or more (the rule matches more);
#   - turn a fail, warn or skip rule into a pass rule;
#   - turn "else fail" (the default) into "else warn".
# Usage: perl tests/loosen.pl [CASES] (default testvectors/cases); run from the top directory.
# Prints each survivor and a summary line; exits 0 only when none survives.
use strict;
use warnings;
use File::Temp qw(tempdir);

my $cases = shift // 'testvectors/cases';
my $bin = 'build/unit/test_pinned';
system('make', '-s', $bin) == 0 or die "loosen: cannot build $bin\n";
open my $fh, '<', $cases or die "loosen: $cases: $!\n";
my @lines = <$fh>;
close $fh;

# (description, index of the line to change or -1 to insert after the case line, new text)
my @mut;
my ($case, $case_line, $has_else) = (undef, undef, 0);
my $flush = sub {
    push @mut, ["$case: else fail -> else warn", $case_line, $lines[$case_line] . "  else warn\n"]
        if defined $case && !$has_else;
};
for my $i (0 .. $#lines) {
    my $l = $lines[$i];
    (my $code = $l) =~ s/#.*//;
    if ($code =~ /^\s*case\s+(\S+)/) {
        $flush->();
        ($case, $case_line, $has_else) = ($1, $i, 0);
        next;
    }
    next unless defined $case;
    if ($code =~ /^\s*else\s+(\S+)/) {
        $has_else = 1;
        push @mut, ["$case: else fail -> else warn", $i, "  else warn\n"] if $1 eq 'fail';
        next;
    }
    next unless $code =~ /^(\s*)(pass|warn|fail|skip)\s+(.*?)\s*$/;
    my ($ind, $st, $body) = ($1, $2, $3);
    my ($pat, $note) = split /\s+--\s+/, $body, 2;
    $note = defined $note ? " -- $note" : '';
    my @atoms = split ' ', $pat;
    if ($st ne 'fail' && @atoms >= 2) {
        for my $k (0 .. $#atoms) {
            my @rest = @atoms[grep { $_ != $k } 0 .. $#atoms];
            push @mut, ["$case: $st $pat: drop $atoms[$k]", $i, "$ind$st @rest$note\n"];
        }
    }
    push @mut, ["$case: $st $pat -> pass", $i, "${ind}pass $pat$note\n"] if $st ne 'pass';
}
$flush->();

my $dir = tempdir(CLEANUP => 1);
my ($killed, $survived, $invalid) = (0, 0, 0);
for my $m (@mut) {
    my ($what, $at, $text) = @$m;
    my @copy = @lines;
    $copy[$at] = $text;
    open my $out, '>', "$dir/cases" or die;
    print $out @copy;
    close $out;
    my $o = qx{TP_CASES=$dir/cases $bin 2>&1};
    my $rc = $? >> 8;
    if ($o =~ m{\Q$dir\E/cases:\d+: }) {
        $invalid++;
        print "invalid (not counted): $what\n";
    } elsif ($rc == 0) {
        $survived++;
        print "SURVIVES: $what\n";
    } else {
        $killed++;
    }
}
printf "loosen: %d loosenings of %s: %d caught by the pinned test, %d survive%s\n",
    scalar @mut, $cases, $killed, $survived, $invalid ? ", $invalid invalid" : '';
exit($survived ? 1 : 0);
