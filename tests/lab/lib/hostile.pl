#!/usr/bin/perl
# Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
# hostile.pl MODE ADDR: a misbehaving endpoint on ADDR port 53, run inside the lab by the
# probe tests (it is not a resolver; it stands for a broken or hostile one).
#   silent  - UDP and TCP sockets that accept but never answer
#   garbage - answers every UDP datagram with bytes that are not a DNS message
#   tcpflood - streams an endless run of wrong-ID replies on every TCP connection
# It exits by itself after 60 s, and 'lab down' kills it with the lab.
use strict;
use warnings;
use IO::Socket::INET;
my ($mode, $addr) = @ARGV;
my $u = IO::Socket::INET->new(LocalAddr => $addr, LocalPort => 53, Proto => 'udp', ReuseAddr => 1)
    or die "udp bind $addr: $!";
my $t = IO::Socket::INET->new(LocalAddr => $addr, LocalPort => 53, Proto => 'tcp', Listen => 5, ReuseAddr => 1)
    or die "tcp bind $addr: $!";
$SIG{ALRM} = sub { exit 0 };
if ($mode eq 'tcpflood') {
    alarm 60;
    $| = 1;
    print "ready\n";
    my $msg = "\x00\x0c\xff\xff\x80\x00" . ("\x00" x 8);   # length 12, ID 0xffff, QR
    my $blob = $msg x 4096;
    $SIG{CHLD} = 'IGNORE';
    while (my $c = $t->accept) {
        next if fork;
        local $SIG{PIPE} = sub { exit 0 };
        1 while syswrite($c, $blob);
        exit 0;
    }
    exit 0;
}
alarm 60;
$| = 1;
print "ready\n";
while (1) {
    my $buf;
    my $peer = $u->recv($buf, 4096);
    next unless defined $peer;
    next if $mode eq 'silent';
    # a reply with the query's ID but a header claiming 5 questions and nothing after it
    my $id = substr($buf, 0, 2);
    $u->send($id . "\x81\x80\x00\x05\x00\x00\x00\x00\x00\x00garbage", 0, $peer);
}
