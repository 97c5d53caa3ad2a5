#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
#
# Records pins (tests/unit/data/pinned, format at its top) from real answers: reads the
# JSON report of 'trustprobe --format json' (a lab run, or --lab D ADDR) and prints, for
# each case whose id matches GLOB, "pin CASE STATUS REPLY  # NAME" with the reply each of
# its queries got (RCODE, AD and AA, the types in the answer and authority sections, the
# EDE codes, TCP, a missing OPT or DO) and the status the probe gave it; NAME is the
# resolver. Run from the top directory; the recorded lines then go into the pinned file
# by hand, each under its case, so that every rule has an answer that tells it apart.
#   trustprobe lab --format json --case 'validation.alg*' | perl tests/pins-from-json.pl 'validation.alg*'
# ("# NAME" is a comment of the pinned file: it says whose answer the pin is).
use strict;
use warnings;
use JSON::PP;

my $glob = shift // '*';
(my $re = quotemeta $glob) =~ s/\\\*/.*/g;
$re =~ s/\\\?/./g;
local $/;
my $doc = decode_json(<STDIN>);
my %seen;
for my $r (@{ $doc->{resolvers} || [] }) {
    my $who = $r->{name} || $r->{resolver};
    for my $c (@{ $r->{cases} || [] }) {
        next unless $c->{id} =~ /^$re$/;
        my @q;
        for my $o (@{ $c->{observations} || [] }) {
            my @t;
            push @t, "$o->{label}:" if $o->{label} ne '';
            if ($o->{status} ne 'answer') {
                push @t, 'timeout';
            } else {
                my %qf = map { $_ => 1 } @{ $o->{qflags} || [] };
                push @t, $o->{rcode};
                push @t, 'ad' if $o->{flags}{ad};
                push @t, 'aa' if $o->{flags}{aa};
                push @t, map { "an=$_" } @{ $o->{sections}{answer}{types} || [] };
                push @t, map { "ns=$_" } @{ $o->{sections}{authority}{types} || [] };
                push @t, map { "ede=$_" } @{ $o->{ede} || [] };
                push @t, $o->{transport} eq 'tcp-after-tc' ? 'tc'
                       : $o->{transport} eq 'tcp' && !$qf{tcp} ? 'tcp' : ();
                if (!$o->{edns}) {
                    push @t, 'noedns' unless $qf{noedns};
                } elsif ($qf{do} && !$o->{do}) {
                    push @t, 'edns';
                }
            }
            push @q, join ' ', @t;
        }
        my $line = "pin $c->{id} $c->{status}  " . join(' ', @q);
        next if $seen{$line}++;
        print "$line  # $who\n";
    }
}
