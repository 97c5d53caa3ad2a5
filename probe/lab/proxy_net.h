/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_net: what both modes of 'trustprobe lab proxy' serve clients with: the attacker
 * in front of nsd (proxy.h) and the lying resolver (proxy_resolver.h). A UDP socket and
 * a TCP listener on port 53 of one IPv4 address, TCP clients with the two-octet length
 * framing of RFC 1035 4.2.2, the header-only replies both send, and the stop signals
 * (SIGTERM, SIGINT). Each mode owns its sockets and connections; nothing here is global
 * except the signal that stopped the loop. */
#ifndef TP_PROXY_NET_H
#define TP_PROXY_NET_H
#include <ldns/ldns.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define PX_MSG_MAX 65535
#define PX_MAX_CONNS 64
#define PX_TCP_IDLE_S 10.0

/* One TCP client. fd -1: the slot is free. gen changes each time the slot takes a new
 * client, so that a late answer never reaches the next client of the same slot. */
struct px_conn {
	int fd;
	size_t have;
	double last;
	unsigned gen;
	char peer[64];
	uint8_t *buf; /* 2 + PX_MSG_MAX octets */
};

/* A bound, non-blocking socket (SOCK_DGRAM or SOCK_STREAM, listening) on addr, "ADDR" or
 * "ADDR@PORT" (IPv4 or IPv6; port 53 by default), or -1 with one line in err. */
int px_listen(const char *addr, int type, char *err, size_t errlen);

/* As px_listen; with shared, SO_REUSEPORT: several workers of one user bind the same
 * address and the kernel spreads the clients over them (trustprobe serve --workers). */
int px_listen_shared(const char *addr, int type, int shared, char *err, size_t errlen);

/* The IPv4 or IPv6 address of ss as text ("?" for anything else). */
void px_peer_str(const struct sockaddr_storage *ss, char *out, size_t n);

/* Allocates the buffers of n connection slots and marks them free; 0, or -1 (out of
 * memory: px_conns_free still cleans up). */
int px_conns_init(struct px_conn *c, size_t n);
void px_conns_free(struct px_conn *c, size_t n);
void px_conn_close(struct px_conn *c);

/* Accepts every pending client of listener lfd into a free slot (when all are taken, the
 * least recently active one is closed for it). */
void px_accept(int lfd, struct px_conn *c, size_t n);

/* Reads what client c sent and calls msg for each complete message (without its length
 * prefix). Closes c on EOF or an error, or when msg returns non-zero. */
void px_conn_read(struct px_conn *c,
		  int (*msg)(void *ctx, struct px_conn *c, const uint8_t *wire, size_t len),
		  void *ctx);

/* Sends one message to TCP client c with its length prefix, waiting at most 1 s; 0, or -1
 * (c is then closed). */
int px_conn_send(struct px_conn *c, const uint8_t *wire, size_t len);

/* Sends len raw octets to TCP client c, no framing added (the hostile resolver's broken
 * framing, proxy_resolver.h), waiting at most 1 s; 0, or -1 (c is then closed). */
int px_conn_write(struct px_conn *c, const uint8_t *buf, size_t len);

/* Fills p (and map: -1 for udp, -2 for tcp, else the slot index) with the sockets to poll,
 * closing clients idle for more than PX_TCP_IDLE_S; returns how many entries it used. p
 * and map need room for 2 + n entries. */
nfds_t px_poll_fill(struct pollfd *p, int *map, int udp, int tcp, struct px_conn *c, size_t n);

/* A reply with only the header and question of q: rcode, or TC (EDNS echoed with DO,
 * payload 1232, when q had EDNS). Returns the wire (malloc'd) or NULL. */
uint8_t *px_short_reply(const ldns_pkt *q, int rcode, int tc, size_t *outlen);

/* Blocks SIGTERM and SIGINT and installs the handler that records them; *old gets the
 * mask before, *wait_mask the mask for ppoll (the stop signals let through). */
void px_signals_begin(sigset_t *old, sigset_t *wait_mask);
/* The stop signal that arrived, or 0. */
int px_stop_signal(void);
/* Lets the stop signals in (allow 1) around a blocking call, so that a stop cuts it short
 * (EINTR), or blocks them again (0). */
void px_signals_allow(int allow);

#endif
