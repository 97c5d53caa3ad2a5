/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_resolver: the lying resolver (see proxy_resolver.h). One thread, one ppoll() loop
 * over the client sockets (proxy_net.h) and one upstream socket per query in flight. The
 * upstream is a recursive resolver that may take a while (it iterates from the lab root),
 * so nothing waits for it: each query gets its own connected UDP socket, or its own TCP
 * connection when the client came over TCP, and the loop relays whatever answers first. */
#include "proxy_resolver.h"
#include "lab_plan.h"
#include "proxy_hostile.h"
#include "proxy_net.h"
#include "tp_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PENDING 256

/* ---- the pure part: arguments, lies, the reply ---- */

int px_lie_parse(const char *list, unsigned *lies, char *err, size_t errlen)
{
	*lies = PX_LIE_AD;
	if (!list)
		return 0;
	if (strcmp(list, "none") == 0) {
		*lies = 0;
		return 0;
	}
	char buf[256];
	if (!*list || strlen(list) >= sizeof buf) {
		snprintf(err, errlen, "--lie wants a list of lies (ad) or none, not '%s'", list);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", list);
	*lies = 0;
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "ad") == 0) {
			*lies |= PX_LIE_AD;
		} else {
			snprintf(err, errlen, "--lie: unknown lie '%s' (known: ad; or none alone)", t);
			return -1;
		}
	}
	if (!*lies) {
		snprintf(err, errlen, "--lie wants a list of lies (ad) or none, not '%s'", list);
		return -1;
	}
	return 0;
}

static int is_ipv4(const char *a)
{
	struct in_addr x;
	return a && inet_pton(AF_INET, a, &x) == 1;
}

/* 1 if a is the address of a resolver instance of the lab plan. */
static int is_instance_addr(const char *a)
{
	size_t n;
	const struct lab_instance *ins = lab_instances(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(ins[i].addr, a) == 0)
			return 1;
	return 0;
}

int px_resolver_check(const char *listen, const char *upstream, char *err, size_t errlen)
{
	if (!listen || !upstream) {
		snprintf(err, errlen, "--resolver needs --listen and --upstream");
		return -1;
	}
	int spare = 0;
	for (const char *const *s = lab_spare_addrs(); *s; s++)
		spare |= strcmp(*s, listen) == 0;
	if (!is_ipv4(listen) || !(spare || is_instance_addr(listen))) {
		snprintf(err, errlen, "--listen %s is not a lab resolver or spare address", listen);
		return -1;
	}
	if (!is_ipv4(upstream) || !is_instance_addr(upstream)) {
		snprintf(err, errlen, "--upstream %s is not the address of a lab resolver instance",
			 upstream);
		return -1;
	}
	if (strcmp(listen, upstream) == 0) {
		snprintf(err, errlen, "--upstream %s is --listen itself", upstream);
		return -1;
	}
	return 0;
}

/* "QNAME TYPE RCODE" of p. */
static void describe(const ldns_pkt *p, unsigned rcode, char *what, size_t whatlen)
{
	const ldns_rr *q = ldns_rr_list_rr(ldns_pkt_question(p), 0);
	char *name = q ? ldns_rdf2str(ldns_rr_owner(q)) : NULL;
	char *type = q ? ldns_rr_type2str(ldns_rr_get_type(q)) : NULL;
	ldns_lookup_table *rc = ldns_lookup_by_id(ldns_rcodes, (int)rcode);
	snprintf(what, whatlen, "%s %s %s", name ? name : "?", type ? type : "?",
		 rc ? rc->name : "?");
	free(name);
	free(type);
}

int px_relay_reply(unsigned lies, uint16_t up_id, uint16_t client_id, uint8_t *wire,
		   size_t len, char *what, size_t whatlen)
{
	if (whatlen)
		what[0] = '\0';
	ldns_pkt *p = NULL;
	if (len < 12 || ldns_wire2pkt(&p, wire, len) != LDNS_STATUS_OK || !p)
		return -1;
	int ok = ldns_pkt_qr(p) && ldns_pkt_id(p) == up_id;
	/* the full RCODE: the header's four bits and the OPT record's upper eight
	 * (RFC 6891 6.1.3), so that BADVERS is not taken for NOERROR */
	unsigned rcode = ((unsigned)ldns_pkt_edns_extended_rcode(p) << 4) | ldns_pkt_get_rcode(p);
	describe(p, rcode, what, whatlen);
	ldns_pkt_free(p);
	if (!ok)
		return -1;
	wire[0] = (uint8_t)(client_id >> 8);
	wire[1] = (uint8_t)client_id;
	int lied = 0;
	if ((lies & PX_LIE_AD) && (rcode == LDNS_RCODE_NOERROR || rcode == LDNS_RCODE_NXDOMAIN) &&
	    !(wire[3] & 0x20)) {
		wire[3] |= 0x20; /* AD: the fourth octet's bit 5 (RFC 4035 3.2.3) */
		lied = 1;
	}
	return lied;
}

/* ---- the server ---- */

enum pend_state { P_FREE = 0, P_CONNECTING, P_WRITING, P_READING,
		  P_HELD /* --hostile slow: the reply, kept until release */ };

/* A query in flight to the upstream. */
struct pend {
	enum pend_state state;
	int fd;                 /* the upstream socket */
	int tcp;                /* the client came over TCP, and so goes the query */
	uint16_t up_id, client_id;
	double deadline;
	struct sockaddr_storage peer; /* UDP client */
	socklen_t peerlen;
	int conn;               /* TCP client: slot and its generation */
	unsigned gen;
	char peer_s[64];
	uint8_t *out;           /* what goes to the upstream (TCP: with its length prefix) */
	size_t outlen, sent;
	uint8_t *in;            /* TCP: the reply being read, with its prefix */
	size_t have;
	ldns_pkt *q;            /* the client's query, for a SERVFAIL */
	uint8_t *held;          /* P_HELD: the reply for the client, sent at release */
	size_t heldlen;
	double release;
};

struct liar {
	unsigned lies;
	enum px_hostile hostile; /* PX_HOSTILE_NONE: only the lies */
	uint32_t seed;           /* the hostile modes' random octets */
	struct sockaddr_in up;
	const char *up_s;
	int udp, tcp;
	struct px_conn c[PX_MAX_CONNS];
	struct pend p[MAX_PENDING];
	uint8_t *buf; /* PX_MSG_MAX: UDP datagrams in and out */
	unsigned long queries, relayed, lied, servfail, hostile_acts;
};

static void pend_free(struct pend *p)
{
	if (p->fd >= 0)
		close(p->fd);
	free(p->out);
	free(p->in);
	free(p->held);
	ldns_pkt_free(p->q);
	memset(p, 0, sizeof *p);
	p->fd = -1;
}

/* Sends wire to the client of p. */
static void to_client(struct liar *l, struct pend *p, const uint8_t *wire, size_t len)
{
	if (!p->tcp) {
		sendto(l->udp, wire, len, 0, (struct sockaddr *)&p->peer, p->peerlen);
		return;
	}
	struct px_conn *c = &l->c[p->conn];
	if (c->fd >= 0 && c->gen == p->gen) /* the client is still there */
		px_conn_send(c, wire, len);
}

/* Answers p's client with SERVFAIL and frees p. */
static void servfail(struct liar *l, struct pend *p, const char *why)
{
	size_t ol = 0;
	uint8_t *w = px_short_reply(p->q, LDNS_RCODE_SERVFAIL, 0, &ol);
	if (w)
		to_client(l, p, w, ol);
	free(w);
	char *qs = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(p->q), 0)));
	fprintf(stderr, "liar: SERVFAIL %s %s %s: %s\n", p->tcp ? "tcp" : "udp", p->peer_s,
		qs ? qs : "?", why);
	free(qs);
	l->servfail++;
	pend_free(p);
}

/* --hostile slow, wrong-id, wrong-question: spoils the reply for p's client (the
 * client's ID in place) and sends it, or holds it (slow). */
static void relay_hostile(struct liar *l, struct pend *p, uint8_t *wire, size_t len,
			  const char *what)
{
	l->hostile_acts++;
	fprintf(stderr, "hostile: %s %s %s %s\n", px_hostile_name(l->hostile),
		p->tcp ? "tcp" : "udp", p->peer_s, what);
	if (l->hostile == PX_HOSTILE_SLOW) {
		if (p->fd >= 0)
			close(p->fd);
		p->fd = -1;
		if (!(p->held = malloc(len))) {
			pend_free(p);
			return;
		}
		memcpy(p->held, wire, len);
		p->heldlen = len;
		p->release = tp_now() + PX_HOSTILE_SLOW_S;
		p->state = P_HELD;
		return;
	}
	if (px_hostile_rewrite(l->hostile, wire, len) == 0)
		to_client(l, p, wire, len);
	pend_free(p);
}

/* The upstream's reply for p (wire modified in place): relayed, lied about, or dropped. */
static void relay(struct liar *l, struct pend *p, uint8_t *wire, size_t len)
{
	char what[600];
	int r = px_relay_reply(l->lies, p->up_id, p->client_id, wire, len, what, sizeof what);
	if (r < 0)
		return; /* not the reply to this query: keep waiting */
	if (r > 0) {
		l->lied++;
		fprintf(stderr, "liar: AD set %s %s %s\n", p->tcp ? "tcp" : "udp", p->peer_s, what);
	}
	l->relayed++;
	if (px_hostile_relays(l->hostile)) {
		relay_hostile(l, p, wire, len, what);
		return;
	}
	to_client(l, p, wire, len);
	pend_free(p);
}

/* A hostile mode's own answer to the query wire of p's client (--hostile): an honest
 * REFUSED to a query without RD (the lab's readiness check), else what the mode sends
 * (proxy_hostile.h). Returns 1 when done with p (it is freed), 0 when the query goes on
 * to the upstream (a relaying mode). */
static int hostile_answer(struct liar *l, struct pend *p, const uint8_t *wire, size_t len)
{
	uint8_t *out = NULL;
	size_t ol = 0, count = 0;
	int close_after = 0;
	if (!ldns_pkt_rd(p->q)) {
		out = px_short_reply(p->q, LDNS_RCODE_REFUSED, 0, &ol);
		if (out)
			to_client(l, p, out, ol);
		free(out);
		pend_free(p);
		return 1;
	}
	if (px_hostile_relays(l->hostile))
		return 0;
	l->hostile_acts++;
	char *qs = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(p->q), 0)));
	fprintf(stderr, "hostile: %s %s %s %s\n", px_hostile_name(l->hostile),
		p->tcp ? "tcp" : "udp", p->peer_s, qs ? qs : "?");
	free(qs);
	if (px_hostile_answer(l->hostile, p->q, wire, len, p->tcp, &l->seed, &out, &ol, &count,
			      &close_after) == 0 && out && count) {
		if (!p->tcp) {
			size_t one = ol / count;
			for (size_t k = 0; k < count; k++)
				sendto(l->udp, out + k * one, one, 0, (struct sockaddr *)&p->peer,
				       p->peerlen);
		} else {
			struct px_conn *c = &l->c[p->conn];
			if (c->fd >= 0 && c->gen == p->gen && px_conn_write(c, out, ol) == 0 &&
			    close_after)
				px_conn_close(c);
		}
	}
	free(out);
	pend_free(p);
	return 1;
}

/* Starts the upstream exchange for a query from a client; p is a free slot. 0, or -1
 * (p is then still free; the caller answers SERVFAIL). */
static int pend_start(struct liar *l, struct pend *p, const uint8_t *wire, size_t len,
		      int tcp)
{
	p->tcp = tcp;
	p->client_id = (uint16_t)((wire[0] << 8) | wire[1]);
	p->up_id = ldns_get_random();
	p->deadline = tp_now() + PX_RESOLVER_TIMEOUT_S;
	size_t off = tcp ? 2 : 0;
	if (!(p->out = malloc(off + len)))
		return -1;
	if (tcp) {
		p->out[0] = (uint8_t)(len >> 8);
		p->out[1] = (uint8_t)len;
	}
	memcpy(p->out + off, wire, len);
	p->out[off] = (uint8_t)(p->up_id >> 8);
	p->out[off + 1] = (uint8_t)p->up_id;
	p->outlen = off + len;
	p->fd = socket(AF_INET, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0)
		return -1;
	if (connect(p->fd, (struct sockaddr *)&l->up, sizeof l->up) != 0 && errno != EINPROGRESS)
		return -1;
	if (tcp) {
		if (!(p->in = malloc(2 + PX_MSG_MAX)))
			return -1;
		p->state = P_CONNECTING;
		return 0;
	}
	if (send(p->fd, p->out, p->outlen, 0) != (ssize_t)p->outlen)
		return -1;
	p->state = P_READING;
	return 0;
}

/* A query from a client (UDP: peer set; TCP: conn set). */
static void on_query(struct liar *l, const uint8_t *wire, size_t len, int tcp,
		     const struct sockaddr_storage *peer, socklen_t peerlen, struct px_conn *conn)
{
	if (len < 12 || (wire[2] & 0x80)) /* too short, or a response: never answer those */
		return;
	ldns_pkt *q = NULL;
	if (ldns_wire2pkt(&q, wire, len) != LDNS_STATUS_OK || !q)
		return;
	l->queries++;
	struct pend *p = NULL;
	for (size_t i = 0; i < MAX_PENDING && !p; i++)
		if (l->p[i].state == P_FREE)
			p = &l->p[i];
	struct pend tmp = {.fd = -1};
	if (!p)
		p = &tmp; /* all in flight: this one only gets its SERVFAIL */
	p->tcp = tcp;
	p->q = q;
	if (tcp) {
		p->conn = (int)(conn - l->c);
		p->gen = conn->gen;
		snprintf(p->peer_s, sizeof p->peer_s, "%s", conn->peer);
	} else {
		memcpy(&p->peer, peer, peerlen);
		p->peerlen = peerlen;
		px_peer_str(peer, p->peer_s, sizeof p->peer_s);
	}
	if (ldns_pkt_get_opcode(q) != LDNS_PACKET_QUERY ||
	    ldns_rr_list_rr_count(ldns_pkt_question(q)) != 1) {
		size_t ol = 0;
		uint8_t *w = px_short_reply(q, LDNS_RCODE_FORMERR, 0, &ol);
		if (w)
			to_client(l, p, w, ol);
		free(w);
		pend_free(p);
		return;
	}
	if (l->hostile && hostile_answer(l, p, wire, len))
		return;
	if (p == &tmp) {
		if (l->hostile) { /* slow: one more that never gets an answer */
			pend_free(p);
			return;
		}
		servfail(l, p, "too many queries in flight");
		return;
	}
	if (pend_start(l, p, wire, len, tcp) != 0)
		servfail(l, p, strerror(errno));
}

static void on_udp(struct liar *l)
{
	for (int i = 0; i < 64; i++) { /* bounded work per wakeup */
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		ssize_t n = recvfrom(l->udp, l->buf, PX_MSG_MAX, 0, (struct sockaddr *)&ss, &sl);
		if (n < 0)
			return;
		on_query(l, l->buf, (size_t)n, 0, &ss, sl, NULL);
	}
}

/* A complete message from TCP client c (px_conn_read). */
static int on_tcp_msg(void *ctx, struct px_conn *c, const uint8_t *wire, size_t len)
{
	on_query(ctx, wire, len, 1, NULL, 0, c);
	return 0;
}

/* The upstream socket of p is ready (revents). */
static void on_upstream(struct liar *l, struct pend *p, short revents)
{
	if (!p->tcp) {
		ssize_t n = recv(p->fd, l->buf, PX_MSG_MAX, 0);
		if (n > 0)
			relay(l, p, l->buf, (size_t)n);
		else if (n < 0 && errno != EAGAIN && errno != EINTR)
			servfail(l, p, strerror(errno));
		return;
	}
	if (p->state == P_CONNECTING) {
		int e = 0;
		socklen_t el = sizeof e;
		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0 || e != 0) {
			servfail(l, p, strerror(e ? e : errno));
			return;
		}
		p->state = P_WRITING;
	}
	if (p->state == P_WRITING) {
		ssize_t k = send(p->fd, p->out + p->sent, p->outlen - p->sent, MSG_NOSIGNAL);
		if (k < 0 && errno != EAGAIN && errno != EINTR) {
			servfail(l, p, strerror(errno));
			return;
		}
		p->sent += k > 0 ? (size_t)k : 0;
		if (p->sent == p->outlen)
			p->state = P_READING;
		return;
	}
	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	ssize_t k = recv(p->fd, p->in + p->have, 2 + PX_MSG_MAX - p->have, 0);
	if (k <= 0) {
		if (k == 0 || (errno != EAGAIN && errno != EINTR))
			servfail(l, p, k == 0 ? "the upstream closed the connection" : strerror(errno));
		return;
	}
	p->have += (size_t)k;
	size_t need = p->have >= 2 ? 2 + (((size_t)p->in[0] << 8) | p->in[1]) : 0;
	if (need && p->have >= need) {
		relay(l, p, p->in + 2, need - 2);
		/* it was not the reply (not freed, nor held by slow): the connection is spent */
		if (p->state != P_FREE && p->state != P_HELD)
			servfail(l, p, "the upstream's TCP reply does not match the query");
	}
}

static int serve(struct liar *l)
{
	sigset_t old, wait_mask;
	px_signals_begin(&old, &wait_mask);
	static struct pollfd pf[2 + PX_MAX_CONNS + MAX_PENDING];
	static int map[2 + PX_MAX_CONNS + MAX_PENDING];
	while (!px_stop_signal()) {
		/* tcp-hang: the listener is never polled, so never accepts (backlog 0) */
		nfds_t n = px_poll_fill(pf, map, l->udp,
					l->hostile == PX_HOSTILE_TCP_HANG ? -1 : l->tcp, l->c,
					PX_MAX_CONNS);
		double now = tp_now(), next = now + 1.0;
		for (size_t i = 0; i < MAX_PENDING; i++) {
			struct pend *p = &l->p[i];
			if (p->state == P_FREE)
				continue;
			if (p->state == P_HELD) { /* slow: the answer, late */
				if (now >= p->release) {
					to_client(l, p, p->held, p->heldlen);
					pend_free(p);
				} else if (p->release < next) {
					next = p->release;
				}
				continue;
			}
			if (now >= p->deadline) {
				servfail(l, p, "no reply from the upstream in time");
				continue;
			}
			if (p->deadline < next)
				next = p->deadline;
			short ev = p->state == P_CONNECTING || p->state == P_WRITING ? POLLOUT : POLLIN;
			pf[n] = (struct pollfd){.fd = p->fd, .events = ev};
			map[n++] = 1000 + (int)i;
		}
		double wait = next - now;
		struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
		int k = ppoll(pf, n, &ts, &wait_mask);
		if (k <= 0)
			continue;
		for (nfds_t i = 0; i < n; i++) {
			if (!pf[i].revents)
				continue;
			if (map[i] == -1)
				on_udp(l);
			else if (map[i] == -2)
				px_accept(l->tcp, l->c, PX_MAX_CONNS);
			else if (map[i] >= 1000 && l->p[map[i] - 1000].state != P_FREE)
				on_upstream(l, &l->p[map[i] - 1000], pf[i].revents);
			else if (map[i] >= 0 && map[i] < PX_MAX_CONNS && l->c[map[i]].fd >= 0)
				px_conn_read(&l->c[map[i]], on_tcp_msg, l);
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	fprintf(stderr, "liar: stopped by signal %d: %lu queries, %lu relayed, %lu with a lie, "
		"%lu SERVFAIL, %lu hostile\n", px_stop_signal(), l->queries, l->relayed, l->lied,
		l->servfail, l->hostile_acts);
	return 0;
}

/* tcp-hang: a backlog of 0, so that one connection is queued and the next never complete
 * (listen again on a listening socket only changes its backlog). */
static int backlog0(int fd)
{
	return listen(fd, 0);
}

int px_resolver_main(const char *listen, const char *upstream, const char *lie,
		     const char *hostile)
{
	char err[512];
	unsigned lies = 0;
	enum px_hostile h = PX_HOSTILE_NONE;
	if (px_resolver_check(listen, upstream, err, sizeof err) != 0 ||
	    px_lie_parse(lie, &lies, err, sizeof err) != 0 ||
	    px_hostile_parse(hostile, &h, err, sizeof err) != 0) {
		fprintf(stderr, "trustprobe lab proxy: %s\n", err);
		return 2;
	}
	struct liar *l = calloc(1, sizeof *l);
	if (!l)
		return 2;
	int status = 2;
	l->lies = lies;
	l->hostile = h;
	l->seed = (uint32_t)ldns_get_random() << 16 | ldns_get_random();
	l->up_s = upstream;
	l->udp = l->tcp = -1;
	l->up.sin_family = AF_INET;
	l->up.sin_port = htons(53);
	inet_pton(AF_INET, upstream, &l->up.sin_addr); /* checked above */
	for (size_t i = 0; i < MAX_PENDING; i++)
		l->p[i].fd = -1;
	if (px_conns_init(l->c, PX_MAX_CONNS) != 0 || !(l->buf = malloc(PX_MSG_MAX))) {
		fprintf(stderr, "trustprobe lab proxy: out of memory\n");
		goto out;
	}
	if ((l->udp = px_listen(listen, SOCK_DGRAM, err, sizeof err)) < 0 ||
	    (l->tcp = px_listen(listen, SOCK_STREAM, err, sizeof err)) < 0) {
		fprintf(stderr, "trustprobe lab proxy: %s\n", err);
		goto out;
	}
	if (h == PX_HOSTILE_TCP_HANG && backlog0(l->tcp) != 0) { /* one connection queued */
		fprintf(stderr, "trustprobe lab proxy: listen: %s\n", strerror(errno));
		goto out;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	fprintf(stderr, "liar: listening on %s port 53 (udp, tcp), forwarding to %s, lies: %s, "
		"hostile: %s\n", listen, upstream,
		lies & PX_LIE_AD ? "AD on every NOERROR and NXDOMAIN" : "none", px_hostile_name(h));
	status = serve(l);
out:
	for (size_t i = 0; i < MAX_PENDING; i++)
		if (l->p[i].state != P_FREE)
			pend_free(&l->p[i]);
	if (l->udp >= 0)
		close(l->udp);
	if (l->tcp >= 0)
		close(l->tcp);
	px_conns_free(l->c, PX_MAX_CONNS);
	free(l->buf);
	free(l);
	return status;
}
