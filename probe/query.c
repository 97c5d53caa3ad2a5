/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* query: see query.h. */
#include "query.h"
#include "tp_util.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <openssl/rand.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TP_MSG_MAX 65535
#define TP_UDP_READS_PER_WAKE 64
#define TP_TCP_READS_PER_WAKE 64

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Copies at most 60 characters of s into buf for quoting in a one-line reason, with
 * control characters replaced. */
static const char *clip(const char *s, char *buf, size_t len)
{
	size_t i = 0;
	for (; s[i] && i + 4 < len && i < 60; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (s[i] && i + 4 <= len) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

/* ---- targets ---- */

static int parse_port(const char *p, uint16_t *port)
{
	unsigned long v = 0;
	size_t k = 0;
	for (; p[k]; k++) {
		if (p[k] < '0' || p[k] > '9' || k >= 5)
			return -1;
		v = v * 10 + (unsigned long)(p[k] - '0');
	}
	if (k == 0 || v == 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int has_alpha(const char *s)
{
	for (; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			return 1;
	return 0;
}

/* Parses an address literal (no port) into t with the given port; the reason quotes q. */
static int parse_addr(const char *a, uint16_t port, struct tp_target *t, const char *q,
		      char *err, size_t errlen)
{
	char buf[128], scope[IF_NAMESIZE + 1] = "";
	size_t alen = strlen(a);
	if (alen == 0) {
		seterr(err, errlen, "\"%s\": missing address", q);
		return -1;
	}
	if (alen >= sizeof buf) {
		seterr(err, errlen, "\"%s\": too long for an IP address", q);
		return -1;
	}
	memcpy(buf, a, alen + 1);
	char *pct = strchr(buf, '%');
	if (pct) {
		*pct = '\0';
		if (strlen(pct + 1) == 0 || strlen(pct + 1) > IF_NAMESIZE) {
			seterr(err, errlen, "\"%s\": bad interface scope", q);
			return -1;
		}
		strcpy(scope, pct + 1);
	}
	memset(t, 0, sizeof *t);
	struct sockaddr_in *s4 = (struct sockaddr_in *)&t->ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&t->ss;
	char text[INET6_ADDRSTRLEN];
	if (inet_pton(AF_INET, buf, &s4->sin_addr) == 1) {
		if (pct) {
			seterr(err, errlen, "\"%s\": an interface scope needs an IPv6 address", q);
			return -1;
		}
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		t->sslen = sizeof *s4;
		inet_ntop(AF_INET, &s4->sin_addr, text, sizeof text);
	} else if (inet_pton(AF_INET6, buf, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (pct) {
			unsigned idx = if_nametoindex(scope);
			if (idx == 0) {
				uint16_t num = 0;
				char ifn[IF_NAMESIZE];
				if (parse_port(scope, &num) == 0 && if_indextoname(num, ifn))
					idx = num;
			}
			if (idx == 0) {
				seterr(err, errlen, "\"%s\": unknown interface \"%s\"", q, scope);
				return -1;
			}
			s6->sin6_scope_id = idx;
		}
		t->sslen = sizeof *s6;
		inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof text);
	} else {
		char *colon = strchr(buf, ':');
		struct in_addr tmp;
		if (buf[0] == '[')
			seterr(err, errlen, "\"%s\": write ADDR@PORT, not [ADDR]:PORT", q);
		else if (colon && !strchr(colon + 1, ':') &&
			 (*colon = '\0', inet_pton(AF_INET, buf, &tmp) == 1))
			seterr(err, errlen, "\"%s\": write ADDR@PORT, not ADDR:PORT", q);
		else if (has_alpha(buf))
			seterr(err, errlen,
			       "\"%s\": not an IP address (host names are not resolved)", q);
		else
			seterr(err, errlen, "\"%s\": not an IPv4 or IPv6 address", q);
		return -1;
	}
	int w;
	if (port == TP_DNS_PORT)
		w = snprintf(t->label, sizeof t->label, "%s%s%s", text, pct ? "%" : "", scope);
	else
		w = snprintf(t->label, sizeof t->label, "%s%s%s@%u", text, pct ? "%" : "", scope,
			     (unsigned)port);
	if (w < 0 || (size_t)w >= sizeof t->label) {
		seterr(err, errlen, "\"%s\": too long", q);
		return -1;
	}
	return 0;
}

int tp_target_parse(const char *s, struct tp_target *t, char *err, size_t errlen)
{
	char q[72], addr[128];
	if (!s || !*s) {
		seterr(err, errlen, "empty resolver address");
		return -1;
	}
	if (!t) {
		seterr(err, errlen, "no target to fill");
		return -1;
	}
	clip(s, q, sizeof q);
	const char *at = strchr(s, '@');
	size_t alen = at ? (size_t)(at - s) : strlen(s);
	uint16_t port = TP_DNS_PORT;
	if (at) {
		if (alen == 0) {
			seterr(err, errlen, "\"%s\": missing address before '@'", q);
			return -1;
		}
		if (parse_port(at + 1, &port) != 0) {
			seterr(err, errlen, "\"%s\": bad port (expected @1-65535)", q);
			return -1;
		}
	}
	if (alen >= sizeof addr) {
		seterr(err, errlen, "\"%s\": too long for an IP address", q);
		return -1;
	}
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	return parse_addr(addr, port, t, q, err, errlen);
}

enum tp_resolvconf_status tp_resolvconf_read(const char *path, struct tp_target *out, size_t max,
					     size_t *n, char *err, size_t errlen)
{
	char p[72], first[256] = "";
	unsigned skipped = 0, lineno = 0;
	size_t got = 0, len = 0;
	if (n)
		*n = 0;
	if (!path || !n || (!out && max > 0)) {
		seterr(err, errlen, "resolv.conf: invalid arguments");
		return TP_RESOLVCONF_ERR;
	}
	clip(path, p, sizeof p);
	char *buf = tp_read_file(path, 1 << 20, &len);
	if (!buf) {
		seterr(err, errlen, "cannot read %s: %s", p, tp_read_strerror(errno));
		return TP_RESOLVCONF_ERR;
	}
	char *line = buf, *end = buf + len;
	while (line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		char *next = nl ? nl + 1 : end;
		if (nl)
			*nl = '\0';
		lineno++;
		char *s = line;
		line = next;
		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, "nameserver", 10) != 0 || (s[10] != ' ' && s[10] != '\t' && s[10]))
			continue; /* comment, other option, blank */
		s += 10;
		while (*s == ' ' || *s == '\t')
			s++;
		size_t tl = strcspn(s, " \t\r");
		s[tl] = '\0';
		char why[160], q[72];
		struct tp_target tmp;
		if (tl == 0)
			snprintf(why, sizeof why, "nameserver without an address");
		else if (got >= max)
			snprintf(why, sizeof why, "\"%s\": more than %zu nameservers", clip(s, q, sizeof q),
				 max);
		else if (parse_addr(s, TP_DNS_PORT, &tmp, clip(s, q, sizeof q), why, sizeof why) == 0) {
			out[got++] = tmp;
			continue;
		}
		if (skipped++ == 0)
			snprintf(first, sizeof first, "%s:%u: %s", p, lineno, why);
	}
	free(buf);
	*n = got;
	if (got == 0) {
		if (skipped)
			seterr(err, errlen, "no usable nameserver: %s", first);
		else
			seterr(err, errlen, "no nameserver line in %s", p);
		return TP_RESOLVCONF_ERR;
	}
	if (skipped) {
		if (skipped > 1)
			seterr(err, errlen, "%s (and %u more skipped)", first, skipped - 1);
		else
			seterr(err, errlen, "%s", first);
		return TP_RESOLVCONF_PARTIAL;
	}
	seterr(err, errlen, "%s", "");
	return TP_RESOLVCONF_OK;
}

/* ---- observations ---- */

void tp_observation_clear(struct tp_observation *obs)
{
	if (!obs)
		return;
	ldns_pkt_free(obs->pkt);
	free(obs->wire);
	memset(obs, 0, sizeof *obs);
}

const char *tp_obs_status_str(enum tp_obs_status s)
{
	switch (s) {
	case TP_OBS_ANSWER:
		return "answer";
	case TP_OBS_TIMEOUT:
		return "timeout";
	case TP_OBS_REFUSED:
		return "refused";
	case TP_OBS_MALFORMED:
		return "malformed";
	case TP_OBS_ERROR:
		return "error";
	}
	return "unknown";
}

size_t tp_pkt_ede_list(const ldns_pkt *p, struct tp_ede *out, size_t max)
{
	const ldns_rdf *d = p && ldns_pkt_edns(p) ? ldns_pkt_edns_data(p) : NULL;

	if (!d)
		return 0;
	return tp_ede_parse(ldns_rdf_data(d), ldns_rdf_size(d), out, max, NULL, NULL);
}

size_t tp_pkt_ede(const ldns_pkt *p, uint16_t *codes, size_t max)
{
	struct tp_ede e[TP_EDE_MAX];
	size_t n = tp_pkt_ede_list(p, e, max < TP_EDE_MAX ? max : TP_EDE_MAX);

	for (size_t i = 0; i < n; i++)
		codes[i] = e[i].code;
	return n;
}

/* ---- the engine ---- */

enum qstate { QS_DONE = 0, QS_PENDING, QS_UDP, QS_TCP_CONNECT, QS_TCP_IO };

struct qctx {
	const struct tp_query *q;
	struct tp_observation *obs;
	const struct tp_target *t;
	const struct tp_query_opts *o;
	ldns_rdf *qname;  /* owned; for matching the question */
	uint8_t *wire;    /* owned; 2-byte TCP length prefix, then the message */
	size_t wlen;      /* message length (without the prefix) */
	int fd;
	enum qstate st;
	int tries;        /* tries on the current transport */
	double try_end;   /* the current try expires then */
	double t_first;   /* first send on the current transport (rtt base) */
	size_t outoff;    /* TCP: bytes of wire[] written */
	uint8_t hdr[2];   /* TCP: length prefix being read */
	size_t inoff;     /* TCP: bytes of prefix + message read so far */
	size_t inlen;     /* TCP: message length from the prefix */
	uint8_t *in;      /* TCP: owned read buffer, TP_MSG_MAX bytes */
};

static uint16_t random_id(void)
{
	unsigned char b[2];
	if (RAND_bytes(b, sizeof b) == 1)
		return (uint16_t)((b[0] << 8) | b[1]);
	return ldns_get_random();
}

static void set_id(struct qctx *c, uint16_t id)
{
	c->wire[2] = (uint8_t)(id >> 8);
	c->wire[3] = (uint8_t)(id & 0xff);
	c->obs->id = id;
}

static void q_close(struct qctx *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->in);
	c->in = NULL;
}

static void q_finish(struct qctx *c, enum tp_obs_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void q_finish(struct qctx *c, enum tp_obs_status st, const char *fmt, ...)
{
	q_close(c);
	c->st = QS_DONE;
	c->obs->status = st;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->obs->reason, sizeof c->obs->reason, fmt, ap);
	va_end(ap);
}

/* 1 when errno value e, from making a socket, connecting or sending, names a failure of
 * this host (its limits, memory, ports or firewall), not of the network path or the peer. */
static int host_errno(int e)
{
	return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM || e == EADDRNOTAVAIL ||
	       e == EPERM || e == EACCES;
}

/* q_finish(TP_OBS_ERROR), recording e as a local failure when local is set. */
static void q_error(struct qctx *c, int e, int local, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void q_error(struct qctx *c, int e, int local, const char *fmt, ...)
{
	char msg[sizeof c->obs->reason];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	q_finish(c, TP_OBS_ERROR, "%s", msg);
	c->obs->local_err = local ? (e ? e : EINVAL) : 0;
}

/* Ends a query that got no answer: malformed if only malformed replies came, else the
 * given status and reason, noting dropped mismatches. */
static void q_giveup(struct qctx *c, enum tp_obs_status st, const char *why)
{
	struct tp_observation *ob = c->obs;
	if (ob->malformed > 0 && ob->mismatches == 0 && ob->tc_over_tcp > 0)
		q_finish(c, TP_OBS_MALFORMED, "only malformed replies (%u, %u with TC over TCP); %s",
			 ob->malformed, ob->tc_over_tcp, why);
	else if (ob->malformed > 0 && ob->mismatches == 0)
		q_finish(c, TP_OBS_MALFORMED, "only malformed replies (%u); %s", ob->malformed, why);
	else if (ob->mismatches > 0)
		q_finish(c, st, "%s; %u mismatched replies dropped", why, ob->mismatches);
	else
		q_finish(c, st, "%s", why);
}

static int build_query(struct qctx *c)
{
	const struct tp_query *q = c->q;
	if ((q->flags & TP_Q_DO) && (q->flags & TP_Q_NOEDNS)) {
		q_error(c, EINVAL, 1, "DO needs EDNS");
		return -1;
	}
	if (!memchr(q->qname, '\0', sizeof q->qname) || !q->qname[0] ||
	    !(c->qname = ldns_dname_new_frm_str(q->qname))) {
		q_error(c, EINVAL, 1, "bad query name");
		return -1;
	}
	uint16_t fl = (uint16_t)(((q->flags & TP_Q_RD) ? LDNS_RD : 0) |
				 ((q->flags & TP_Q_CD) ? LDNS_CD : 0) |
				 ((q->flags & TP_Q_AD) ? LDNS_AD : 0));
	ldns_rdf *name = ldns_rdf_clone(c->qname);
	ldns_pkt *p = name ? ldns_pkt_query_new(name, (ldns_rr_type)q->qtype, LDNS_RR_CLASS_IN, fl)
			   : NULL;
	if (!p) {
		ldns_rdf_deep_free(name);
		q_error(c, ENOMEM, 1, "out of memory");
		return -1;
	}
	ldns_pkt_set_flags(p, fl); /* exactly these: no implicit RD */
	if (!(q->flags & TP_Q_NOEDNS)) {
		ldns_pkt_set_edns_udp_size(p, q->bufsize ? q->bufsize : TP_EDNS_BUFSIZE_DEFAULT);
		ldns_pkt_set_edns_do(p, (q->flags & TP_Q_DO) != 0);
	}
	uint8_t *w = NULL;
	size_t wl = 0;
	ldns_status s = ldns_pkt2wire(&w, p, &wl);
	ldns_pkt_free(p);
	if (s != LDNS_STATUS_OK || wl < 12 || wl > TP_MSG_MAX ||
	    !(c->wire = malloc(wl + 2))) {
		free(w);
		q_error(c, EINVAL, 1, "cannot build the query");
		return -1;
	}
	c->wire[0] = (uint8_t)(wl >> 8);
	c->wire[1] = (uint8_t)(wl & 0xff);
	memcpy(c->wire + 2, w, wl);
	c->wlen = wl;
	free(w);
	set_id(c, random_id());
	return 0;
}

static int same_peer(const struct tp_target *t, const struct sockaddr_storage *from,
		     socklen_t fl)
{
	if (from->ss_family != t->ss.ss_family)
		return 0;
	if (from->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&t->ss;
		const struct sockaddr_in *b = (const struct sockaddr_in *)from;
		return fl >= sizeof *b && a->sin_port == b->sin_port &&
		       a->sin_addr.s_addr == b->sin_addr.s_addr;
	}
	if (from->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&t->ss;
		const struct sockaddr_in6 *b = (const struct sockaddr_in6 *)from;
		return fl >= sizeof *b && a->sin6_port == b->sin6_port &&
		       memcmp(&a->sin6_addr, &b->sin6_addr, sizeof a->sin6_addr) == 0;
	}
	return 0;
}

enum verdict { V_DROP, V_ACCEPT, V_TC };

/* Classifies one reply; on V_ACCEPT/V_TC *out holds the parsed packet (caller owns it). */
static enum verdict check_reply(struct qctx *c, const uint8_t *b, size_t len,
				const struct sockaddr_storage *from, socklen_t fl, int udp,
				ldns_pkt **out)
{
	struct tp_observation *ob = c->obs;
	*out = NULL;
	if (from && !same_peer(c->t, from, fl)) {
		ob->mismatches++;
		return V_DROP;
	}
	if (len < 12) {
		ob->malformed++;
		return V_DROP;
	}
	if (((b[0] << 8) | b[1]) != ob->id || !(b[2] & 0x80)) {
		ob->mismatches++; /* another ID, or not a response */
		return V_DROP;
	}
	ldns_pkt *p = NULL;
	if (ldns_wire2pkt(&p, b, len) != LDNS_STATUS_OK || !p) {
		ob->malformed++;
		return V_DROP;
	}
	ldns_rr_list *qs = ldns_pkt_question(p);
	ldns_rr *qr = (ldns_pkt_qdcount(p) == 1 && qs && ldns_rr_list_rr_count(qs) == 1)
			      ? ldns_rr_list_rr(qs, 0)
			      : NULL;
	if (!qr || !ldns_rr_owner(qr) || ldns_dname_compare(ldns_rr_owner(qr), c->qname) != 0 ||
	    ldns_rr_get_type(qr) != (ldns_rr_type)c->q->qtype ||
	    ldns_rr_get_class(qr) != LDNS_RR_CLASS_IN) {
		ldns_pkt_free(p);
		ob->mismatches++;
		return V_DROP;
	}
	if (!udp && ldns_pkt_tc(p)) {
		/* TC over TCP: the message was cut to fit the stream's 65535 octets (RFC 1035
		 * 4.1.1, RFC 7766 8), so it is not the whole answer and no retry can get more:
		 * unusable, as a malformed one. Taken as an answer, an empty reply with TC
		 * would read as "no such data" (a resolver setting TC on everything made the
		 * zone check say the test zone did not exist). */
		ldns_pkt_free(p);
		ob->malformed++;
		ob->tc_over_tcp++;
		return V_DROP;
	}
	*out = p;
	return (udp && ldns_pkt_tc(p)) ? V_TC : V_ACCEPT;
}

static void accept_answer(struct qctx *c, ldns_pkt *p, const uint8_t *b, size_t len, double now)
{
	struct tp_observation *ob = c->obs;
	ob->wire = malloc(len);
	if (!ob->wire) {
		ldns_pkt_free(p);
		q_error(c, ENOMEM, 1, "out of memory");
		return;
	}
	memcpy(ob->wire, b, len);
	ob->wirelen = len;
	ob->pkt = p;
	ob->rtt_ms = (now - c->t_first) * 1000.0;
	struct tp_ede e[TP_EDE_MAX];
	ob->n_ede = tp_pkt_ede_list(p, e, TP_EDE_MAX);
	for (size_t i = 0; i < ob->n_ede; i++) {
		ob->ede[i] = e[i].code;
		memcpy(ob->ede_text[i], e[i].text, sizeof ob->ede_text[i]);
	}
	q_finish(c, TP_OBS_ANSWER, "%s", "");
}

static void tcp_start(struct qctx *c, double now)
{
	struct tp_observation *ob = c->obs;
	q_close(c);
	ob->used_tcp = 1;
	ob->transport = TP_TRANSPORT_TCP;
	set_id(c, random_id()); /* a new message on a new connection */
	c->tries++;
	ob->attempts++;
	c->try_end = now + c->o->try_timeout;
	c->t_first = now;
	c->outoff = c->inoff = c->inlen = 0;
	c->in = malloc(TP_MSG_MAX);
	if (!c->in) {
		q_error(c, ENOMEM, 1, "out of memory");
		return;
	}
	c->fd = socket(c->t->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) { /* making a socket involves nothing but this host */
		int e = errno;
		q_error(c, e, 1, "TCP socket: %s", strerror(e));
		return;
	}
	if (connect(c->fd, (const struct sockaddr *)&c->t->ss, c->t->sslen) == 0) {
		c->st = QS_TCP_IO;
	} else if (errno == EINPROGRESS || errno == EINTR) {
		c->st = QS_TCP_CONNECT;
	} else if (errno == ECONNREFUSED) {
		q_finish(c, TP_OBS_REFUSED, "TCP connection refused");
	} else {
		int e = errno;
		q_error(c, e, host_errno(e), "TCP connect: %s", strerror(e));
	}
}

/* A TCP try ended without an answer (why: "" for a timeout): retry or give up. */
static void tcp_try_failed(struct qctx *c, double now, const char *why)
{
	if (c->tries < 1 + c->o->retries) {
		tcp_start(c, now);
		return;
	}
	char msg[128];
	if (why[0]) {
		snprintf(msg, sizeof msg, "%s (%d TCP tries)", why, c->tries);
		q_giveup(c, TP_OBS_ERROR, msg);
	} else {
		snprintf(msg, sizeof msg, "no reply to %d TCP tries", c->tries);
		q_giveup(c, TP_OBS_TIMEOUT, msg);
	}
}

static void udp_send(struct qctx *c, double now)
{
	c->tries++;
	c->obs->attempts++;
	c->try_end = now + c->o->try_timeout;
	if (send(c->fd, c->wire + 2, c->wlen, 0) >= 0)
		return;
	int e = errno;
	if (e == ECONNREFUSED)
		q_finish(c, TP_OBS_REFUSED, "port unreachable (UDP)");
	else if (e != EAGAIN && e != EWOULDBLOCK && e != ENOBUFS && e != EINTR)
		q_error(c, e, host_errno(e), "UDP send: %s", strerror(e));
	/* else: counted as sent and lost; the try timer resends */
}

static void udp_start(struct qctx *c, double now)
{
	c->obs->transport = TP_TRANSPORT_UDP;
	c->fd = socket(c->t->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		int e = errno;
		q_error(c, e, 1, "UDP socket: %s", strerror(e));
		return;
	}
	/* connected: the kernel picks a random source port and reports ICMP errors */
	if (connect(c->fd, (const struct sockaddr *)&c->t->ss, c->t->sslen) != 0) {
		int e = errno;
		q_error(c, e, host_errno(e), "UDP connect: %s", strerror(e));
		return;
	}
	c->st = QS_UDP;
	c->t_first = now;
	udp_send(c, now);
}

static void udp_read(struct qctx *c, uint8_t *buf, double now)
{
	for (int k = 0; k < TP_UDP_READS_PER_WAKE && c->st == QS_UDP; k++) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof from;
		ssize_t r = recvfrom(c->fd, buf, TP_MSG_MAX, 0, (struct sockaddr *)&from, &fl);
		if (r < 0) {
			if (errno == ECONNREFUSED)
				q_finish(c, TP_OBS_REFUSED, "port unreachable (UDP)");
			else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				q_finish(c, TP_OBS_ERROR, "UDP receive: %s", strerror(errno));
			return;
		}
		ldns_pkt *p = NULL;
		switch (check_reply(c, buf, (size_t)r, &from, fl, 1, &p)) {
		case V_DROP:
			break;
		case V_ACCEPT:
			accept_answer(c, p, buf, (size_t)r, now);
			return;
		case V_TC:
			ldns_pkt_free(p);
			c->obs->truncated = 1;
			c->tries = 0;
			tcp_start(c, now);
			return;
		}
	}
}

static void tcp_connected(struct qctx *c, double now)
{
	int e = 0;
	socklen_t el = sizeof e;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0)
		e = errno;
	if (e == 0)
		c->st = QS_TCP_IO;
	else if (e == ECONNREFUSED)
		q_finish(c, TP_OBS_REFUSED, "TCP connection refused");
	else if (e == ETIMEDOUT || e == ECONNRESET)
		tcp_try_failed(c, now, strerror(e));
	else
		q_error(c, e, host_errno(e), "TCP connect: %s", strerror(e));
}

static void tcp_io(struct qctx *c, short rev, double now)
{
	size_t total = c->wlen + 2;
	if ((rev & POLLOUT) && c->outoff < total) {
		ssize_t w = send(c->fd, c->wire + c->outoff, total - c->outoff, MSG_NOSIGNAL);
		if (w > 0) {
			c->outoff += (size_t)w;
		} else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			if (errno == ECONNREFUSED)
				q_finish(c, TP_OBS_REFUSED, "TCP connection refused");
			else
				tcp_try_failed(c, now, errno == EPIPE ? "TCP connection closed"
								      : strerror(errno));
			return;
		}
	}
	if (!(rev & (POLLIN | POLLHUP | POLLERR)))
		return;
	/* A bounded number of reads per wakeup: a peer streaming wrong or empty messages
	 * must not keep us from the poll loop, where the try timer and the deadline live. */
	for (int k = 0; k < TP_TCP_READS_PER_WAKE && c->st == QS_TCP_IO; k++) {
		ssize_t r;
		if (c->inoff < 2)
			r = recv(c->fd, c->hdr + c->inoff, 2 - c->inoff, 0);
		else
			r = recv(c->fd, c->in + (c->inoff - 2), c->inlen - (c->inoff - 2), 0);
		if (r == 0) {
			tcp_try_failed(c, now, "TCP connection closed without an answer");
			return;
		}
		if (r < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			if (errno == ECONNREFUSED)
				q_finish(c, TP_OBS_REFUSED, "TCP connection refused");
			else
				tcp_try_failed(c, now, strerror(errno));
			return;
		}
		c->inoff += (size_t)r;
		if (c->inoff == 2) {
			c->inlen = (size_t)((c->hdr[0] << 8) | c->hdr[1]);
			if (c->inlen == 0) { /* an empty message */
				c->obs->malformed++;
				c->inoff = 0;
			}
			continue;
		}
		if (c->inoff < 2 || c->inoff - 2 < c->inlen)
			continue;
		ldns_pkt *p = NULL;
		if (check_reply(c, c->in, c->inlen, NULL, 0, 0, &p) == V_ACCEPT) {
			accept_answer(c, p, c->in, c->inlen, now);
			return;
		}
		c->inoff = 0; /* dropped; read the next message on this connection */
	}
}

static void on_try_timeout(struct qctx *c, double now)
{
	char msg[64];
	switch (c->st) {
	case QS_UDP:
		if (c->tries < 1 + c->o->retries) {
			udp_send(c, now);
		} else {
			snprintf(msg, sizeof msg, "no reply to %d UDP tries", c->tries);
			q_giveup(c, TP_OBS_TIMEOUT, msg);
		}
		break;
	case QS_TCP_CONNECT:
	case QS_TCP_IO:
		tcp_try_failed(c, now, "");
		break;
	case QS_DONE:
	case QS_PENDING:
		break;
	}
}

static void on_deadline(struct qctx *c)
{
	char msg[96];
	if (c->st == QS_PENDING) {
		q_finish(c, TP_OBS_TIMEOUT, "deadline reached before the query was sent");
		return;
	}
	snprintf(msg, sizeof msg, "deadline reached after %u tries%s", c->obs->attempts,
		 c->st == QS_UDP ? "" : " (TCP)");
	q_giveup(c, TP_OBS_TIMEOUT, msg);
}

int tp_query_run(const struct tp_target *t, const struct tp_query *q, struct tp_observation *obs,
		 size_t n, const struct tp_query_opts *o)
{
	static const struct tp_query_opts defaults = {2.0, 2, 0, 0};
	if (!t || !q || !obs || (t->ss.ss_family != AF_INET && t->ss.ss_family != AF_INET6))
		return -1;
	if (!o)
		o = &defaults;
	if (!(o->try_timeout > 0) || o->try_timeout > 3600 || o->retries < 0 || o->retries > 1000 ||
	    !(o->deadline >= 0))
		return -1;
	for (size_t i = 0; i < n; i++)
		memset(&obs[i], 0, sizeof obs[i]);
	if (n == 0)
		return 0;
	struct qctx *cs = calloc(n, sizeof *cs);
	struct pollfd *pf = calloc(n, sizeof *pf);
	size_t *map = calloc(n, sizeof *map);
	uint8_t *buf = malloc(TP_MSG_MAX);
	if (!cs || !pf || !map || !buf) {
		for (size_t i = 0; i < n; i++) {
			obs[i].status = TP_OBS_ERROR;
			obs[i].local_err = ENOMEM;
			snprintf(obs[i].reason, sizeof obs[i].reason, "out of memory");
		}
		goto out;
	}
	double now = tp_now();
	for (size_t i = 0; i < n; i++) {
		struct qctx *c = &cs[i];
		c->q = &q[i];
		c->obs = &obs[i];
		c->t = t;
		c->o = o;
		c->fd = -1;
		if (build_query(c) != 0)
			continue;
		if (o->deadline > 0 && now >= o->deadline)
			q_finish(c, TP_OBS_TIMEOUT, "deadline passed before the first try");
		else
			c->st = QS_PENDING;
	}
	size_t first_pending = 0; /* queries before it are started or done */
	for (;;) {
		now = tp_now();
		if (o->deadline > 0 && now >= o->deadline) {
			for (size_t i = 0; i < n; i++)
				if (cs[i].st != QS_DONE)
					on_deadline(&cs[i]);
			break;
		}
		/* start waiting queries, in order, while the cap allows */
		size_t open = 0;
		for (size_t i = 0; i < first_pending; i++)
			open += cs[i].st != QS_DONE;
		while (first_pending < n && (o->max_open == 0 || open < o->max_open)) {
			struct qctx *c = &cs[first_pending++];
			if (c->st != QS_PENDING)
				continue;
			if (c->q->flags & TP_Q_TCP)
				tcp_start(c, now);
			else
				udp_start(c, now);
			open += c->st != QS_DONE;
		}
		double next = o->deadline > 0 ? o->deadline : now + 3600;
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			struct qctx *c = &cs[i];
			if (c->st == QS_PENDING)
				continue;
			if (c->st != QS_DONE && now >= c->try_end)
				on_try_timeout(c, now);
			if (c->st == QS_DONE)
				continue;
			if (c->try_end < next)
				next = c->try_end;
			pf[m].fd = c->fd;
			pf[m].events = POLLIN;
			if (c->st == QS_TCP_CONNECT ||
			    (c->st == QS_TCP_IO && c->outoff < c->wlen + 2))
				pf[m].events = c->st == QS_TCP_CONNECT ? POLLOUT : (POLLIN | POLLOUT);
			pf[m].revents = 0;
			map[m++] = i;
		}
		if (m == 0) {
			if (first_pending < n)
				continue; /* a slot is free again: start the next ones */
			break;
		}
		double wait = (next - now) * 1000.0;
		int ms = wait <= 0 ? 0 : wait >= 3600000.0 ? 3600000 : (int)wait + 1;
		int r = poll(pf, (nfds_t)m, ms);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			for (size_t i = 0; i < n; i++)
				if (cs[i].st != QS_DONE)
					q_error(&cs[i], e, 1, "poll: %s", strerror(e));
			break;
		}
		now = tp_now();
		for (size_t k = 0; k < m && r > 0; k++) {
			if (!pf[k].revents)
				continue;
			struct qctx *c = &cs[map[k]];
			if (c->st == QS_UDP)
				udp_read(c, buf, now);
			else if (c->st == QS_TCP_CONNECT)
				tcp_connected(c, now);
			else if (c->st == QS_TCP_IO)
				tcp_io(c, pf[k].revents, now);
		}
	}
out:
	if (cs) {
		for (size_t i = 0; i < n; i++) {
			q_close(&cs[i]);
			ldns_rdf_deep_free(cs[i].qname);
			free(cs[i].wire);
		}
	}
	free(cs);
	free(pf);
	free(map);
	free(buf);
	return 0;
}
