#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# The JSON documents of the binary that need no network: the catalogue (--list --format
# json) and setup errors (a JSON document on stdout beside the line on stderr), with the
# keys the man page's JSON SCHEMA lists for them. The report's schema is checked by
# tests/unit/test_json_schema.c and, against the lab, tests/lab/85-diagnosis.t.
use strict;
use warnings;
use FindBin;
use Test::More;
use JSON::PP;
use File::Temp qw(tempfile);

my $root = "$FindBin::Bin/../..";
my $tp = "$root/probe/trustprobe";
my $man = do { local (@ARGV, $/) = "$root/man/trustprobe.1"; <> };

# the keys the man page lists for a subsection of JSON SCHEMA: path => [type, optional]
sub schema {
    my ($sub) = @_;
    my ($sec) = $man =~ /^\.Sh JSON SCHEMA\n(.*?)^\.Sh /ms;
    my ($ss) = ($sec // '') =~ /^\.Ss \Q$sub\E\n(.*?)(?=^\.Ss |\z)/ms;
    my %k;
    $k{$1} = [$2, defined $3] while ($ss // '') =~ /^\.It Li (\S+) Pq ([a-z ]+?)(, optional)?$/mg;
    return \%k;
}
sub type_ok {
    my ($t, $v) = @_;
    return ref $v eq 'HASH' if $t eq 'object';
    return ref $v eq 'ARRAY' if $t eq 'array';
    return JSON::PP::is_bool($v) if $t eq 'boolean';
    return defined $v && !ref $v && $v =~ /^-?\d+$/ if $t eq 'integer';
    return !defined $v || !ref $v if $t eq 'string or null';
    return defined $v && !ref $v if $t eq 'string' || $t eq 'number';
    return 0;
}
# every key written is listed with its type; every required key is there
sub check {
    my ($k, $path, $v, $errs) = @_;
    if (ref $v eq 'ARRAY') { check($k, "${path}[]", $_, $errs) for @$v; return }
    return unless ref $v eq 'HASH';
    for my $key (sort keys %$v) {
        my $p = $path eq '' ? $key : "$path.$key";
        my $d = $k->{$p} or do { push @$errs, "$p not in the man page"; next };
        push @$errs, "$p is not $d->[0]" unless type_ok($d->[0], $v->{$key});
        $p =~ s/\[\]$//;
        check($k, $p, $v->{$key}, $errs) if ref $v->{$key};
    }
    for my $p (sort keys %$k) {
        my ($parent, $name) = $p =~ /^(?:(.*)\.)?([^.\[]+)$/ or next;
        next if ($parent // '') ne $path || $k->{$p}[1];
        push @$errs, "required $p missing" unless exists $v->{$name};
    }
}
sub run { my $o = qx{@_}; return ($o, $? >> 8) }

my $cat = schema('Catalogue');
ok(scalar(keys %$cat) > 20, 'the man page lists the catalogue keys');
my ($o, $rc) = run("$tp --list --format json");
is($rc, 0, '--list --format json exits 0');
my $j = eval { decode_json($o) };
ok($j, 'and prints JSON') or diag($o);
is($j->{schema_version}, 2, 'schema_version 2, an integer') if $j;
my @errs;
check($cat, '', $j, \@errs) if $j;
is_deeply(\@errs, [], 'the catalogue has the keys the man page lists');
my ($txt) = run("$tp --list");
is(scalar @{ $j->{cases} // [] }, scalar(() = $txt =~ /\n/g), 'one case for each line of --list');
($o) = run("$tp --list --format json --case 'dane.*'");
$j = decode_json($o);
is_deeply([map { $_->{group} } @{ $j->{cases} }], [('dane') x 4], '--case selects there too');

my $err = schema('Setup error');
for my $t (["--format json --case 'nosuch.*' 127.0.0.1", qr/no case matches/],
           ["--format json --bogus-option", qr/unknown option/],
           ["--format json --accept nosuch-cause --lab /nonexistent", qr/--accept nosuch-cause/],
           ["--format json --lab /nonexistent 127.0.0.1", qr/no running lab/],
           ["lab --format json --bogus-option", qr/unknown option/],
           ["lab roll --format json -t", qr/unknown option|needs a value/]) {
    my ($args, $re) = @$t;
    my ($fh, $ef) = tempfile(UNLINK => 1);
    my ($out, $code) = run("$tp $args 2>$ef");
    my $stderr = do { local (@ARGV, $/) = $ef; <> } // '';
    is($code, 2, "$args: exit 2");
    like($stderr, $re, "$args: the line on stderr");
    my $d = eval { decode_json($out) };
    ok($d, "$args: a JSON document on stdout") or diag($out);
    next unless $d;
    like($d->{error} // '', $re, "$args: its error");
    is($d->{exit}, 2, "$args: its exit");
    my @e;
    check($err, '', $d, \@e);
    is_deeply(\@e, [], "$args: the keys the man page lists");
}
# without --format json, stdout stays empty
($o, $rc) = run("$tp --case 'nosuch.*' 127.0.0.1 2>/dev/null");
is($o, '', 'a text-mode setup error prints nothing on stdout');
done_testing();
