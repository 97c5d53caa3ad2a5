/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_net: see proxy_net.h. */
#include "proxy_net.h"
#include "query.h" /* tp_target_parse: ADDR[@PORT] */
#include "tp_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int px_listen(const char *addr, int type, char *err, size_t errlen)
{
	return px_listen_shared(addr, type, 0, err, errlen);
}

int px_listen_shared(const char *addr, int type, int shared, char *err, size_t errlen)
{
	struct tp_target t;
	char why[256];
	if (tp_target_parse(addr, &t, why, sizeof why) != 0) {
		snprintf(err, errlen, "--listen '%s': %s", addr, why);
		return -1;
	}
	int fam = t.ss.ss_family;
	int fd = socket(fam, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    (fam == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0) ||
	    (shared && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) ||
	    bind(fd, (struct sockaddr *)&t.ss, t.sslen) != 0 ||
	    (type == SOCK_STREAM && listen(fd, 32) != 0)) {
		snprintf(err, errlen, "cannot listen on %s (%s): %s", t.label,
			 type == SOCK_STREAM ? "tcp" : "udp", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

void px_peer_str(const struct sockaddr_storage *ss, char *out, size_t n)
{
	const struct sockaddr_in *s = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	if (!(ss->ss_family == AF_INET && inet_ntop(AF_INET, &s->sin_addr, out, (socklen_t)n)) &&
	    !(ss->ss_family == AF_INET6 && inet_ntop(AF_INET6, &s6->sin6_addr, out, (socklen_t)n)))
		snprintf(out, n, "?");
}

int px_conns_init(struct px_conn *c, size_t n)
{
	int ok = 0;
	for (size_t i = 0; i < n; i++) {
		c[i].fd = -1;
		c[i].have = 0;
		c[i].gen = 0;
		c[i].buf = malloc(2 + PX_MSG_MAX);
		ok |= !c[i].buf;
	}
	return ok ? -1 : 0;
}

void px_conn_close(struct px_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->have = 0;
}

void px_conns_free(struct px_conn *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		px_conn_close(&c[i]);
		free(c[i].buf);
		c[i].buf = NULL;
	}
}

/* Writes all of buf to a non-blocking socket, waiting at most 1 s in total. */
static int write_all(int fd, const uint8_t *buf, size_t n)
{
	double end = tp_now() + 1.0;
	while (n > 0) {
		ssize_t k = send(fd, buf, n, MSG_NOSIGNAL);
		if (k > 0) {
			buf += k;
			n -= (size_t)k;
			continue;
		}
		if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		double left = end - tp_now();
		if (left <= 0)
			return -1;
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		poll(&p, 1, (int)(left * 1000) + 1);
	}
	return 0;
}

int px_conn_send(struct px_conn *c, const uint8_t *wire, size_t len)
{
	uint8_t hdr[2] = {(uint8_t)(len >> 8), (uint8_t)len};
	if (len > PX_MSG_MAX || px_conn_write(c, hdr, 2) != 0)
		return -1;
	return px_conn_write(c, wire, len);
}

int px_conn_write(struct px_conn *c, const uint8_t *buf, size_t len)
{
	if (c->fd < 0 || write_all(c->fd, buf, len) != 0) {
		px_conn_close(c);
		return -1;
	}
	return 0;
}

void px_accept(int lfd, struct px_conn *c, size_t n)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		struct px_conn *slot = NULL;
		for (size_t i = 0; i < n && !slot; i++)
			if (c[i].fd < 0)
				slot = &c[i];
		if (!slot) { /* full: the oldest idle one goes */
			slot = &c[0];
			for (size_t i = 1; i < n; i++)
				if (c[i].last < slot->last)
					slot = &c[i];
			px_conn_close(slot);
		}
		slot->fd = fd;
		slot->have = 0;
		slot->gen++;
		slot->last = tp_now();
		px_peer_str(&ss, slot->peer, sizeof slot->peer);
	}
}

void px_conn_read(struct px_conn *c,
		  int (*msg)(void *ctx, struct px_conn *c, const uint8_t *wire, size_t len),
		  void *ctx)
{
	ssize_t k = recv(c->fd, c->buf + c->have, 2 + PX_MSG_MAX - c->have, 0);
	if (k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
		px_conn_close(c);
		return;
	}
	if (k < 0)
		return;
	c->have += (size_t)k;
	c->last = tp_now();
	while (c->fd >= 0 && c->have >= 2) {
		size_t mlen = ((size_t)c->buf[0] << 8) | c->buf[1];
		if (c->have < 2 + mlen)
			return;
		int bad = msg(ctx, c, c->buf + 2, mlen);
		if (c->fd < 0)
			return; /* msg closed it (a failed send) */
		memmove(c->buf, c->buf + 2 + mlen, c->have - 2 - mlen);
		c->have -= 2 + mlen;
		if (bad) {
			px_conn_close(c);
			return;
		}
	}
}

nfds_t px_poll_fill(struct pollfd *p, int *map, int udp, int tcp, struct px_conn *c, size_t n)
{
	nfds_t k = 0;
	p[k] = (struct pollfd){.fd = udp, .events = POLLIN};
	map[k++] = -1;
	p[k] = (struct pollfd){.fd = tcp, .events = POLLIN};
	map[k++] = -2;
	double now = tp_now();
	for (size_t i = 0; i < n; i++) {
		if (c[i].fd < 0)
			continue;
		if (now - c[i].last > PX_TCP_IDLE_S) {
			px_conn_close(&c[i]);
			continue;
		}
		p[k] = (struct pollfd){.fd = c[i].fd, .events = POLLIN};
		map[k++] = (int)i;
	}
	return k;
}

uint8_t *px_short_reply(const ldns_pkt *q, int rcode, int tc, size_t *outlen)
{
	ldns_pkt *p = ldns_pkt_new();
	if (!p)
		return NULL;
	ldns_pkt_set_id(p, ldns_pkt_id(q));
	ldns_pkt_set_qr(p, 1);
	ldns_pkt_set_rd(p, ldns_pkt_rd(q));
	ldns_pkt_set_cd(p, ldns_pkt_cd(q));
	ldns_pkt_set_opcode(p, ldns_pkt_get_opcode(q));
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	ldns_pkt_set_tc(p, tc);
	ldns_rr_list_deep_free(ldns_pkt_question(p));
	ldns_pkt_set_question(p, ldns_rr_list_clone(ldns_pkt_question(q)));
	ldns_pkt_set_qdcount(p, (uint16_t)ldns_rr_list_rr_count(ldns_pkt_question(p)));
	if (ldns_pkt_edns_udp_size(q) > 0) {
		ldns_pkt_set_edns_udp_size(p, 1232);
		ldns_pkt_set_edns_do(p, ldns_pkt_edns_do(q));
	}
	uint8_t *w = NULL;
	if (ldns_pkt2wire(&w, p, outlen) != LDNS_STATUS_OK)
		w = NULL;
	ldns_pkt_free(p);
	return w;
}

static volatile sig_atomic_t stop_signal;
static sigset_t stop_set; /* SIGTERM and SIGINT, once px_signals_begin ran */

static void on_stop(int s)
{
	stop_signal = s;
}

void px_signals_begin(sigset_t *old, sigset_t *wait_mask)
{
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, old);
	stop_set = block;
	struct sigaction sa = {.sa_handler = on_stop};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	*wait_mask = *old;
	sigdelset(wait_mask, SIGTERM);
	sigdelset(wait_mask, SIGINT);
}

int px_stop_signal(void)
{
	return (int)stop_signal;
}

void px_signals_allow(int allow)
{
	sigprocmask(allow ? SIG_UNBLOCK : SIG_BLOCK, &stop_set, NULL);
}
