/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* test_query: the query engine against a tiny responder forked by each test. The responder
 * binds UDP and TCP sockets on loopback port 0 and answers with packets built by ldns from
 * the query it received; its mode decides what it does wrong. Nothing leaves loopback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "query.h"
#include "tp_util.h"
#include <arpa/inet.h>
#include <errno.h>
#include <sys/resource.h>
#include <net/if.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

enum mode {
	M_NORMAL,       /* UDP answers A 192.0.2.1, TCP answers A 192.0.2.2 */
	M_WRONG_ID,     /* a reply with another ID first, then the right one */
	M_WRONG_QNAME,  /* only replies with another question name */
	M_WRONG_QTYPE,  /* only replies with another question type */
	M_CASE,         /* the question name comes back in upper case */
	M_GARBAGE,      /* only unparseable replies (one with our ID, one short) */
	M_GARBAGE_OK,   /* an unparseable reply, then the right one */
	M_TC,           /* UDP: TC=1 and no answer; TCP: the answer */
	M_TC_ALL,       /* TC=1 and no answer, UDP and TCP (a hostile resolver) */
	M_SILENT,       /* reads and never replies */
	M_ECHO,         /* answers TXT describing the query's header bits and EDNS */
	M_TCP_SPLIT,    /* TCP: a wrong-ID frame, then the answer written a byte at a time */
	M_BATCH         /* UDP: holds queries until 20 are waiting (or 1 s), then answers */
};

#define BATCH_N 20

struct resp {
	pid_t pid;
	struct tp_target t;
};

/* ---- the responder (child process) ---- */

static void send_udp(int u, ldns_pkt *p, const struct sockaddr_storage *to, socklen_t tl)
{
	uint8_t *w = NULL;
	size_t wl = 0;
	if (ldns_pkt2wire(&w, p, &wl) == LDNS_STATUS_OK)
		(void)sendto(u, w, wl, 0, (const struct sockaddr *)to, tl);
	free(w);
}

static int write_all(int fd, const uint8_t *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, uint8_t *b, size_t n)
{
	while (n) {
		ssize_t r = read(fd, b, n);
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Builds a reply to q (raw bytes qw) for mode; tcp picks the answer address. */
static ldns_pkt *build_reply(const ldns_pkt *q, const uint8_t *qw, size_t qwl, int mode, int tcp)
{
	ldns_pkt *r = ldns_pkt_new();
	ldns_rr *qr = ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0));
	ldns_pkt_set_id(r, ldns_pkt_id(q));
	ldns_pkt_set_qr(r, true);
	ldns_pkt_set_ra(r, true);
	ldns_pkt_set_rd(r, ldns_pkt_rd(q));
	if (mode == M_WRONG_QNAME) {
		ldns_rdf_deep_free(ldns_rr_owner(qr));
		ldns_rr_set_owner(qr, ldns_dname_new_frm_str("wrong.example."));
	} else if (mode == M_WRONG_QTYPE) {
		ldns_rr_set_type(qr, ldns_rr_get_type(qr) == LDNS_RR_TYPE_AAAA ? LDNS_RR_TYPE_A
										: LDNS_RR_TYPE_AAAA);
	} else if (mode == M_CASE) {
		ldns_rdf *o = ldns_rr_owner(qr);
		uint8_t *d = ldns_rdf_data(o);
		for (size_t i = 0; i < ldns_rdf_size(o); i++)
			if (d[i] >= 'a' && d[i] <= 'z')
				d[i] = (uint8_t)(d[i] - 32);
	}
	char *owner = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
	char txt[512];
	if (mode == M_ECHO) {
		unsigned arcount = (unsigned)((qw[10] << 8) | qw[11]);
		snprintf(txt, sizeof txt,
			 "%s 0 IN TXT \"id=%u qr=%d aa=%d tc=%d rd=%d ra=%d ad=%d cd=%d edns=%u do=%d "
			 "size=%u len=%zu\"",
			 owner, (unsigned)ldns_pkt_id(q), !!(qw[2] & 0x80), !!(qw[2] & 0x04),
			 !!(qw[2] & 0x02), !!(qw[2] & 0x01), !!(qw[3] & 0x80), !!(qw[3] & 0x20),
			 !!(qw[3] & 0x10), arcount, arcount ? (int)ldns_pkt_edns_do(q) : 0,
			 arcount ? (unsigned)ldns_pkt_edns_udp_size(q) : 0u, qwl);
	} else {
		snprintf(txt, sizeof txt, "%s 300 IN A 192.0.2.%d", owner, tcp ? 2 : 1);
	}
	free(owner);
	ldns_rr *ans = NULL;
	ldns_rr_new_frm_str(&ans, txt, 0, NULL, NULL);
	ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION, qr);
	if ((mode != M_TC || tcp) && mode != M_TC_ALL)
		ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, ans);
	else
		ldns_rr_free(ans);
	if ((mode == M_TC && !tcp) || mode == M_TC_ALL)
		ldns_pkt_set_tc(r, true);
	return r;
}

static void send_garbage(int u, const ldns_pkt *q, const struct sockaddr_storage *to,
			 socklen_t tl)
{
	uint16_t id = ldns_pkt_id(q);
	/* right ID, QR set, one question announced, then junk that is no name */
	uint8_t g[] = {(uint8_t)(id >> 8), (uint8_t)id, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
		       0xc0, 0xff, 0xff};
	(void)sendto(u, g, sizeof g, 0, (const struct sockaddr *)to, tl);
	(void)sendto(u, "\x01\x02\x03\x04\x05", 5, 0, (const struct sockaddr *)to, tl);
}

static void serve_tcp(int c, int mode)
{
	struct timeval tv = {2, 0};
	int one = 1;
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	uint8_t *buf = malloc(65535);
	for (;;) {
		uint8_t h[2];
		if (read_all(c, h, 2) != 0)
			break;
		size_t len = (size_t)((h[0] << 8) | h[1]);
		if (read_all(c, buf, len) != 0)
			break;
		ldns_pkt *q = NULL;
		if (ldns_wire2pkt(&q, buf, len) != LDNS_STATUS_OK)
			continue;
		if (mode == M_SILENT) {
			ldns_pkt_free(q);
			continue;
		}
		ldns_pkt *r = build_reply(q, buf, len, mode, 1);
		uint8_t *w = NULL;
		size_t wl = 0;
		if (mode == M_TCP_SPLIT) {
			ldns_pkt_set_id(r, (uint16_t)(ldns_pkt_id(q) + 1));
			ldns_pkt2wire(&w, r, &wl);
			uint8_t p[2] = {(uint8_t)(wl >> 8), (uint8_t)wl};
			write_all(c, p, 2);
			write_all(c, w, wl);
			free(w);
			ldns_pkt_set_id(r, ldns_pkt_id(q));
		}
		ldns_pkt2wire(&w, r, &wl);
		uint8_t *f = malloc(wl + 2);
		f[0] = (uint8_t)(wl >> 8);
		f[1] = (uint8_t)wl;
		memcpy(f + 2, w, wl);
		if (mode == M_TCP_SPLIT) {
			for (size_t i = 0; i < wl + 2; i++) {
				write_all(c, f + i, 1);
				usleep(1000);
			}
		} else {
			write_all(c, f, wl + 2);
		}
		free(f);
		free(w);
		ldns_pkt_free(r);
		ldns_pkt_free(q);
	}
	free(buf);
}

struct held {
	struct sockaddr_storage from;
	socklen_t fl;
	ldns_pkt *q;
};

static void serve(int u, int l, int mode)
{
	uint8_t *buf = malloc(65535);
	struct held held[64];
	size_t nh = 0;
	double first = 0;
	for (;;) {
		struct pollfd p[2] = {{u, POLLIN, 0}, {l, POLLIN, 0}};
		(void)poll(p, 2, nh ? 20 : -1);
		if (nh && (nh >= BATCH_N || tp_now() - first > 1.0)) {
			for (size_t i = 0; i < nh; i++) {
				ldns_pkt *r = build_reply(held[i].q, NULL, 0, M_NORMAL, 0);
				send_udp(u, r, &held[i].from, held[i].fl);
				ldns_pkt_free(r);
				ldns_pkt_free(held[i].q);
			}
			nh = 0;
		}
		if (p[0].revents & POLLIN) {
			struct sockaddr_storage from;
			socklen_t fl = sizeof from;
			ssize_t n = recvfrom(u, buf, 65535, 0, (struct sockaddr *)&from, &fl);
			ldns_pkt *q = NULL;
			if (n <= 0 || ldns_wire2pkt(&q, buf, (size_t)n) != LDNS_STATUS_OK)
				continue;
			if (mode == M_BATCH && nh < 64) {
				if (nh == 0)
					first = tp_now();
				held[nh].from = from;
				held[nh].fl = fl;
				held[nh++].q = q;
				continue;
			}
			if (mode == M_GARBAGE || mode == M_GARBAGE_OK)
				send_garbage(u, q, &from, fl);
			if (mode != M_SILENT && mode != M_GARBAGE) {
				ldns_pkt *r = build_reply(q, buf, (size_t)n, mode, 0);
				if (mode == M_WRONG_ID) {
					ldns_pkt_set_id(r, (uint16_t)(ldns_pkt_id(q) ^ 0x5a5a));
					send_udp(u, r, &from, fl);
					ldns_pkt_set_id(r, ldns_pkt_id(q));
				}
				send_udp(u, r, &from, fl);
				ldns_pkt_free(r);
			}
			ldns_pkt_free(q);
		}
		if (p[1].revents & POLLIN) {
			int c = accept(l, NULL, NULL);
			if (c >= 0) {
				serve_tcp(c, mode);
				close(c);
			}
		}
	}
}

static void set_loopback(struct sockaddr_storage *ss, socklen_t *sl, int family, uint16_t port)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;
		s->sin_family = AF_INET;
		s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		s->sin_port = htons(port);
		*sl = sizeof *s;
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
		s->sin6_family = AF_INET6;
		s->sin6_addr = in6addr_loopback;
		s->sin6_port = htons(port);
		*sl = sizeof *s;
	}
}

static uint16_t bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					     : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* Starts a responder on loopback; returns 0, or -1 if the family has no loopback. */
static int resp_start(struct resp *r, int mode, int family)
{
	for (int tries = 0; tries < 50; tries++) {
		struct sockaddr_storage ss;
		socklen_t sl;
		int u = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (u < 0)
			return -1;
		set_loopback(&ss, &sl, family, 0);
		if (bind(u, (struct sockaddr *)&ss, sl) != 0) {
			close(u);
			return -1;
		}
		uint16_t port = bound_port(u);
		int l = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int one = 1;
		setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		set_loopback(&ss, &sl, family, port);
		if (bind(l, (struct sockaddr *)&ss, sl) != 0 || listen(l, 64) != 0) {
			close(u);
			close(l);
			continue;
		}
		char spec[64], err[160];
		snprintf(spec, sizeof spec, "%s@%u", family == AF_INET ? "127.0.0.1" : "::1",
			 (unsigned)port);
		assert_int_equal(tp_target_parse(spec, &r->t, err, sizeof err), 0);
		r->pid = fork();
		assert_true(r->pid >= 0);
		if (r->pid == 0) {
			signal(SIGPIPE, SIG_IGN);
			serve(u, l, mode);
			_exit(0);
		}
		close(u);
		close(l);
		return 0;
	}
	fail_msg("no free loopback port pair");
	return -1;
}

static void resp_stop(struct resp *r)
{
	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		waitpid(r->pid, NULL, 0);
		r->pid = 0;
	}
}

/* ---- helpers ---- */

static struct tp_query mkq(const char *name, uint16_t type, unsigned flags, uint16_t bufsize)
{
	struct tp_query q;
	memset(&q, 0, sizeof q);
	snprintf(q.qname, sizeof q.qname, "%s", name);
	q.qtype = type;
	q.flags = flags;
	q.bufsize = bufsize;
	return q;
}

/* q[0..n): "<prefix>0.example." ... A with RD, each its own name. */
static void numbered(struct tp_query *q, int n, const char *prefix)
{
	for (int i = 0; i < n; i++) {
		char name[64];
		snprintf(name, sizeof name, "%s%d.example.", prefix, i);
		q[i] = mkq(name, LDNS_RR_TYPE_A, TP_Q_RD, 0);
	}
}

static struct tp_query_opts mkopts(double try_timeout, int retries, double budget)
{
	struct tp_query_opts o = {try_timeout, retries, tp_now() + budget, 0};
	return o;
}

/* First answer RR's first rdata as text (malloc'd), or NULL. */
static char *answer_rdata(const struct tp_observation *ob)
{
	if (!ob->pkt || ldns_rr_list_rr_count(ldns_pkt_answer(ob->pkt)) == 0)
		return NULL;
	return ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(ldns_pkt_answer(ob->pkt), 0), 0));
}

static void assert_answer_rdata(const struct tp_observation *ob, const char *want)
{
	char *s = answer_rdata(ob);
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

/* Runs one query against a fresh responder in mode; the caller clears *ob. */
static double run_one(int mode, const struct tp_query *q, const struct tp_query_opts *o,
		      struct tp_observation *ob)
{
	struct resp r;
	resp_start(&r, mode, AF_INET);
	double t0 = tp_now();
	assert_int_equal(tp_query_run(&r.t, q, ob, 1, o), 0);
	double el = tp_now() - t0;
	resp_stop(&r);
	return el;
}

/* ---- query tests ---- */

static void test_answer(void **state)
{
	(void)state;
	struct tp_query q = mkq("www.example.", LDNS_RR_TYPE_A, TP_Q_RD, 0);
	struct tp_query_opts o = mkopts(1.0, 1, 5.0);
	struct tp_observation ob;
	run_one(M_NORMAL, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_ANSWER);
	assert_string_equal(ob.reason, "");
	assert_non_null(ob.pkt);
	assert_answer_rdata(&ob, "192.0.2.1");
	assert_int_equal(ob.transport, TP_TRANSPORT_UDP);
	assert_int_equal(ob.used_tcp, 0);
	assert_int_equal(ob.truncated, 0);
	assert_int_equal(ob.attempts, 1);
	assert_int_equal(ob.mismatches, 0);
	assert_int_equal(ob.malformed, 0);
	assert_true(ob.rtt_ms >= 0 && ob.rtt_ms < 1000);
	assert_int_equal(ldns_pkt_id(ob.pkt), ob.id);
	/* the raw bytes are the accepted answer */
	assert_non_null(ob.wire);
	assert_true(ob.wirelen > 12);
	assert_int_equal((ob.wire[0] << 8) | ob.wire[1], ob.id);
	ldns_pkt *again = NULL;
	assert_int_equal(ldns_wire2pkt(&again, ob.wire, ob.wirelen), LDNS_STATUS_OK);
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_answer(again)), 1);
	ldns_pkt_free(again);
	tp_observation_clear(&ob);
	assert_null(ob.pkt);
	assert_null(ob.wire);
	tp_observation_clear(&ob); /* twice is harmless */
}

static void test_answer_ipv6(void **state)
{
	(void)state;
	struct resp r;
	if (resp_start(&r, M_NORMAL, AF_INET6) != 0)
		skip();
	struct tp_query q = mkq("v6.example.", LDNS_RR_TYPE_A, 0, 0);
	struct tp_query_opts o = mkopts(1.0, 1, 5.0);
	struct tp_observation ob;
	assert_int_equal(tp_query_run(&r.t, &q, &ob, 1, &o), 0);
	resp_stop(&r);
	assert_int_equal(ob.status, TP_OBS_ANSWER);
	assert_answer_rdata(&ob, "192.0.2.1");
	tp_observation_clear(&ob);
}

static void test_wrong_id_then_right(void **state)
{
	(void)state;
	struct tp_query q = mkq("id.example.", LDNS_RR_TYPE_A, 0, 0);
	struct tp_query_opts o = mkopts(1.0, 1, 5.0);
	struct tp_observation ob;
	run_one(M_WRONG_ID, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_ANSWER);
	assert_int_equal(ob.mismatches, 1);
	assert_int_equal(ob.attempts, 1);
	assert_int_equal(ldns_pkt_id(ob.pkt), ob.id);
	tp_observation_clear(&ob);
}

static void test_wrong_question(void **state)
{
	(void)state;
	struct tp_query_opts o = mkopts(0.2, 1, 5.0);
	struct tp_observation ob;
	struct tp_query q = mkq("right.example.", LDNS_RR_TYPE_A, 0, 0);
	run_one(M_WRONG_QNAME, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_TIMEOUT);
	assert_null(ob.pkt);
	assert_null(ob.wire);
	assert_int_equal(ob.attempts, 2);
	assert_int_equal(ob.mismatches, 2); /* one per try */
	assert_non_null(strstr(ob.reason, "mismatched"));
	tp_observation_clear(&ob);

	o = mkopts(0.2, 0, 5.0);
	run_one(M_WRONG_QTYPE, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_TIMEOUT);
	assert_int_equal(ob.mismatches, 1);
	tp_observation_clear(&ob);

	/* the name compares case-insensitively */
	q = mkq("MiXed.Example.", LDNS_RR_TYPE_A, 0, 0);
	o = mkopts(1.0, 0, 5.0);
	run_one(M_CASE, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_ANSWER);
	assert_int_equal(ob.mismatches, 0);
	tp_observation_clear(&ob);
}

static void test_garbage(void **state)
{
	(void)state;
	struct tp_query q = mkq("junk.example.", LDNS_RR_TYPE_A, 0, 0);
	struct tp_query_opts o = mkopts(0.2, 1, 5.0);
	struct tp_observation ob;
	run_one(M_GARBAGE, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_MALFORMED);
	assert_int_equal(ob.malformed, 4); /* two per try */
	assert_int_equal(ob.mismatches, 0);
	assert_null(ob.pkt);
	assert_non_null(strstr(ob.reason, "malformed"));
	tp_observation_clear(&ob);

	o = mkopts(1.0, 1, 5.0);
	run_one(M_GARBAGE_OK, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_ANSWER);
	assert_int_equal(ob.malformed, 2);
	assert_answer_rdata(&ob, "192.0.2.1");
	tp_observation_clear(&ob);
}

static void test_tc_fallback(void **state)
{
	(void)state;
	struct tp_query q = mkq("big.example.", LDNS_RR_TYPE_A, TP_Q_DO, 512);
	struct tp_query_opts o = mkopts(1.0, 1, 5.0);
	struct tp_observation ob;
	run_one(M_TC, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_ANSWER);
	assert_int_equal(ob.truncated, 1);
	assert_int_equal(ob.used_tcp, 1);
	assert_int_equal(ob.transport, TP_TRANSPORT_TCP);
	assert_int_equal(ob.attempts, 2);
	assert_false(ldns_pkt_tc(ob.pkt));
	assert_answer_rdata(&ob, "192.0.2.2");
	tp_observation_clear(&ob);
}

/* TC on the TCP reply too: incomplete, never taken for the answer (an empty reply with TC
 * would read as "no such data"); the query ends malformed and says why. */
static void test_tc_over_tcp(void **state)
{
	(void)state;
	struct tp_query q = mkq("big.example.", LDNS_RR_TYPE_A, TP_Q_DO | TP_Q_RD, 512);
	struct tp_query_opts o = mkopts(0.3, 1, 5.0);
	struct tp_observation ob;
	run_one(M_TC_ALL, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_MALFORMED);
	assert_int_equal(ob.truncated, 1);
	assert_int_equal(ob.transport, TP_TRANSPORT_TCP);
	assert_null(ob.pkt);
	assert_int_equal(ob.tc_over_tcp, 2); /* both TCP tries */
	assert_int_equal(ob.malformed, 2);
	assert_non_null(strstr(ob.reason, "2 with TC over TCP"));
	tp_observation_clear(&ob);

	q.flags |= TP_Q_TCP; /* TCP from the start: the same */
	run_one(M_TC_ALL, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_MALFORMED);
	assert_int_equal(ob.tc_over_tcp, 2);
	tp_observation_clear(&ob);
}

static void test_tcp_only(void **state)
{
	(void)state;
	struct tp_query q = mkq("tcp.example.", LDNS_RR_TYPE_A, TP_Q_TCP | TP_Q_RD, 0);
	struct tp_query_opts o = mkopts(2.0, 0, 5.0);
	struct tp_observation ob;
	run_one(M_NORMAL, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_ANSWER);
	assert_int_equal(ob.transport, TP_TRANSPORT_TCP);
	assert_int_equal(ob.used_tcp, 1);
	assert_int_equal(ob.truncated, 0);
	assert_int_equal(ob.attempts, 1);
	assert_answer_rdata(&ob, "192.0.2.2");
	tp_observation_clear(&ob);

	/* a wrong-ID frame first, then the answer arriving one byte at a time */
	run_one(M_TCP_SPLIT, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_ANSWER);
	assert_int_equal(ob.mismatches, 1);
	assert_answer_rdata(&ob, "192.0.2.2");
	assert_int_equal((ob.wire[0] << 8) | ob.wire[1], ob.id);
	tp_observation_clear(&ob);
}

static void test_silent_deadline(void **state)
{
	(void)state;
	struct tp_query q = mkq("silent.example.", LDNS_RR_TYPE_A, 0, 0);
	struct tp_observation ob;
	/* many retries, but the deadline ends it */
	struct tp_query_opts o = mkopts(0.2, 100, 0.7);
	double el = run_one(M_SILENT, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_TIMEOUT);
	assert_true(el < 0.7 + 0.2);
	assert_true(el >= 0.65);
	assert_true(ob.attempts >= 3 && ob.attempts <= 5);
	assert_non_null(strstr(ob.reason, "deadline"));
	tp_observation_clear(&ob);

	/* bounded retries end it first */
	o = mkopts(0.15, 2, 10.0);
	el = run_one(M_SILENT, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_TIMEOUT);
	assert_int_equal(ob.attempts, 3);
	assert_true(el >= 0.4 && el < 1.0);
	tp_observation_clear(&ob);

	/* TCP too */
	q.flags = TP_Q_TCP;
	o = mkopts(0.2, 5, 0.5);
	el = run_one(M_SILENT, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_TIMEOUT);
	assert_true(el < 0.5 + 0.2);
	assert_true(ob.attempts >= 2);
	tp_observation_clear(&ob);

	/* a deadline already past: nothing is sent */
	struct resp r;
	resp_start(&r, M_SILENT, AF_INET);
	o.deadline = tp_now() - 1;
	double t0 = tp_now();
	assert_int_equal(tp_query_run(&r.t, &q, &ob, 1, &o), 0);
	assert_true(tp_now() - t0 < 0.1);
	resp_stop(&r);
	assert_int_equal(ob.status, TP_OBS_TIMEOUT);
	assert_int_equal(ob.attempts, 0);
	tp_observation_clear(&ob);
}

static void test_closed_port(void **state)
{
	(void)state;
	/* UDP: a port nobody listens on (bound, then closed) */
	struct sockaddr_storage ss;
	socklen_t sl;
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	set_loopback(&ss, &sl, AF_INET, 0);
	assert_int_equal(bind(u, (struct sockaddr *)&ss, sl), 0);
	uint16_t port = bound_port(u);
	close(u);
	char spec[32], err[160];
	struct tp_target t;
	snprintf(spec, sizeof spec, "127.0.0.1@%u", (unsigned)port);
	assert_int_equal(tp_target_parse(spec, &t, err, sizeof err), 0);
	struct tp_query q = mkq("closed.example.", LDNS_RR_TYPE_A, 0, 0);
	struct tp_query_opts o = mkopts(3.0, 2, 8.0);
	struct tp_observation ob;
	double t0 = tp_now();
	assert_int_equal(tp_query_run(&t, &q, &ob, 1, &o), 0);
	assert_true(tp_now() - t0 < 1.0);
	assert_int_equal(ob.status, TP_OBS_REFUSED);
	assert_int_equal(ob.transport, TP_TRANSPORT_UDP);
	assert_true(ob.reason[0] != '\0');
	assert_int_equal(ob.local_err, 0); /* the peer's doing, not this host's */
	tp_observation_clear(&ob);

	/* TCP: a bound socket that does not listen answers RST */
	int s = socket(AF_INET, SOCK_STREAM, 0);
	set_loopback(&ss, &sl, AF_INET, 0);
	assert_int_equal(bind(s, (struct sockaddr *)&ss, sl), 0);
	snprintf(spec, sizeof spec, "127.0.0.1@%u", (unsigned)bound_port(s));
	assert_int_equal(tp_target_parse(spec, &t, err, sizeof err), 0);
	q.flags = TP_Q_TCP;
	t0 = tp_now();
	assert_int_equal(tp_query_run(&t, &q, &ob, 1, &o), 0);
	assert_true(tp_now() - t0 < 1.0);
	close(s);
	assert_int_equal(ob.status, TP_OBS_REFUSED);
	assert_int_equal(ob.transport, TP_TRANSPORT_TCP);
	tp_observation_clear(&ob);
}

static void test_parallel(void **state)
{
	(void)state;
	struct tp_query q[BATCH_N];
	struct tp_observation ob[BATCH_N];
	numbered(q, BATCH_N, "q");
	struct resp r;
	resp_start(&r, M_BATCH, AF_INET);
	/* the responder answers only once all 20 are waiting (or after 1 s): only concurrent
	 * queries finish fast */
	struct tp_query_opts o = mkopts(3.0, 0, 5.0);
	double t0 = tp_now();
	assert_int_equal(tp_query_run(&r.t, q, ob, BATCH_N, &o), 0);
	double el = tp_now() - t0;
	resp_stop(&r);
	assert_true(el < 0.8);
	int distinct = 0;
	for (int i = 0; i < BATCH_N; i++) {
		assert_int_equal(ob[i].status, TP_OBS_ANSWER);
		assert_int_equal(ob[i].attempts, 1);
		ldns_rr *qr = ldns_rr_list_rr(ldns_pkt_question(ob[i].pkt), 0);
		char *owner = ldns_rdf2str(ldns_rr_owner(qr));
		assert_string_equal(owner, q[i].qname);
		free(owner);
		if (i > 0 && ob[i].id != ob[0].id)
			distinct = 1;
	}
	assert_true(distinct);
	for (int i = 0; i < BATCH_N; i++)
		tp_observation_clear(&ob[i]);
}

/* A socket cap: queries wait for a free slot, in order, and still all get answered. */
static void test_socket_cap(void **state)
{
	(void)state;
	enum { N = 10, CAP = 5 };
	struct tp_query q[N];
	struct tp_observation ob[N];
	numbered(q, N, "cap");
	struct resp r;
	resp_start(&r, M_BATCH, AF_INET);
	/* the responder holds queries until 20 wait or 1 s passed: with 5 in flight at a time
	 * each group of 5 waits the full second, so two groups take two seconds */
	struct tp_query_opts o = mkopts(3.0, 0, 6.0);
	o.max_open = CAP;
	double t0 = tp_now();
	assert_int_equal(tp_query_run(&r.t, q, ob, N, &o), 0);
	double el = tp_now() - t0;
	resp_stop(&r);
	assert_true(el > 1.8);
	assert_true(el < 3.5);
	for (int i = 0; i < N; i++) {
		assert_int_equal(ob[i].status, TP_OBS_ANSWER);
		assert_int_equal(ob[i].attempts, 1);
		tp_observation_clear(&ob[i]);
	}

	/* a cap of 1 against a silent target: the first query uses the time, the others end
	 * at the deadline without having been sent */
	resp_start(&r, M_SILENT, AF_INET);
	o = mkopts(5.0, 0, 0.4);
	o.max_open = 1;
	assert_int_equal(tp_query_run(&r.t, q, ob, 3, &o), 0);
	resp_stop(&r);
	assert_int_equal(ob[0].status, TP_OBS_TIMEOUT);
	assert_int_equal(ob[0].attempts, 1);
	for (int i = 1; i < 3; i++) {
		assert_int_equal(ob[i].status, TP_OBS_TIMEOUT);
		assert_int_equal(ob[i].attempts, 0);
		assert_string_equal(ob[i].reason, "deadline reached before the query was sent");
	}
	for (int i = 0; i < 3; i++)
		tp_observation_clear(&ob[i]);
}

/* Out of file descriptors: the queries that get no socket end as ERROR with local_err
 * EMFILE (this host's failure, not the resolver's); those that got one are unaffected. */
static void test_local_errors(void **state)
{
	(void)state;
	enum { N = 8 };
	struct tp_query q[N];
	struct tp_observation ob[N];
	struct rlimit old, low;
	numbered(q, N, "fd");
	struct resp r;
	resp_start(&r, M_SILENT, AF_INET);
	int lowest = dup(0); /* the lowest free descriptor: room for 3 sockets above it */
	assert_true(lowest >= 0);
	close(lowest);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)lowest + 3;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	struct tp_query_opts o = mkopts(5.0, 0, 0.3);
	int rc = tp_query_run(&r.t, q, ob, N, &o);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	resp_stop(&r);
	assert_int_equal(rc, 0);
	int local = 0, timeouts = 0;
	for (int i = 0; i < N; i++) {
		if (ob[i].status == TP_OBS_TIMEOUT) {
			assert_int_equal(ob[i].local_err, 0);
			timeouts++;
		} else {
			assert_int_equal(ob[i].status, TP_OBS_ERROR);
			assert_int_equal(ob[i].local_err, EMFILE);
			assert_non_null(strstr(ob[i].reason, "UDP socket: "));
			local++;
		}
		tp_observation_clear(&ob[i]);
	}
	assert_int_equal(timeouts, 3);
	assert_int_equal(local, N - 3);
}

/* EDE options of an answer are recorded in the observation (RFC 8914, option 15). */
static void test_ede(void **state)
{
	(void)state;
	ldns_pkt *p = ldns_pkt_new();
	uint8_t opt[] = { 0, 15, 0, 2, 0, 6, 0, 10, 0, 0, 0, 15, 0, 4, 0, 9, 'x', 'y' };
	uint16_t codes[4];
	assert_non_null(p);
	assert_int_equal(tp_pkt_ede(p, codes, 4), 0); /* no OPT */
	ldns_pkt_set_edns_udp_size(p, 1232);
	ldns_pkt_set_edns_data(p, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN, sizeof opt, opt));
	assert_int_equal(tp_pkt_ede(p, codes, 4), 2); /* option 10 (cookie) is skipped */
	assert_int_equal(codes[0], 6);
	assert_int_equal(codes[1], 9);
	assert_int_equal(tp_pkt_ede(p, codes, 1), 1);
	ldns_pkt_free(p);
}

/* The responder's TXT description of the query as it arrived. */
static void check_wire(unsigned flags, uint16_t bufsize, const char *want_fmt)
{
	struct tp_query q = mkq("flags.example.", LDNS_RR_TYPE_A, flags, bufsize);
	struct tp_query_opts o = mkopts(1.0, 1, 5.0);
	struct tp_observation ob;
	run_one(M_ECHO, &q, &o, &ob);
	assert_int_equal(ob.status, TP_OBS_ANSWER);
	char want[256];
	snprintf(want, sizeof want, want_fmt, (unsigned)ob.id);
	char *got = answer_rdata(&ob);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	tp_observation_clear(&ob);
}

static void test_wire_flags(void **state)
{
	(void)state;
	check_wire(TP_Q_RD | TP_Q_CD | TP_Q_DO, 1400,
		   "\"id=%u qr=0 aa=0 tc=0 rd=1 ra=0 ad=0 cd=1 edns=1 do=1 size=1400 len=42\"");
	check_wire(TP_Q_AD | TP_Q_NOEDNS, 4096,
		   "\"id=%u qr=0 aa=0 tc=0 rd=0 ra=0 ad=1 cd=0 edns=0 do=0 size=0 len=31\"");
	check_wire(0, 0,
		   "\"id=%u qr=0 aa=0 tc=0 rd=0 ra=0 ad=0 cd=0 edns=1 do=0 size=1232 len=42\"");
	check_wire(TP_Q_RD | TP_Q_AD | TP_Q_CD | TP_Q_DO, 512,
		   "\"id=%u qr=0 aa=0 tc=0 rd=1 ra=0 ad=1 cd=1 edns=1 do=1 size=512 len=42\"");
}

static void test_bad_queries(void **state)
{
	(void)state;
	struct tp_target t;
	char err[160];
	assert_int_equal(tp_target_parse("127.0.0.1@9", &t, err, sizeof err), 0);
	struct tp_query q[3] = {mkq("a.example.", LDNS_RR_TYPE_A, TP_Q_DO | TP_Q_NOEDNS, 0),
				mkq("", LDNS_RR_TYPE_A, 0, 0),
				mkq("a..example.", LDNS_RR_TYPE_A, 0, 0)};
	struct tp_observation ob[3];
	struct tp_query_opts o = mkopts(0.5, 0, 2.0);
	assert_int_equal(tp_query_run(&t, q, ob, 3, &o), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ob[i].status, TP_OBS_ERROR);
		assert_int_equal(ob[i].attempts, 0);
		assert_true(ob[i].reason[0] != '\0');
		assert_int_equal(ob[i].local_err, EINVAL); /* the probe's own: never sent */
		tp_observation_clear(&ob[i]);
	}
	/* invalid arguments */
	struct tp_query_opts bad = {0, 0, 0, 0};
	assert_int_equal(tp_query_run(&t, q, ob, 1, &bad), -1);
	bad.try_timeout = 1;
	bad.retries = -1;
	assert_int_equal(tp_query_run(&t, q, ob, 1, &bad), -1);
	assert_int_equal(tp_query_run(NULL, q, ob, 1, &o), -1);
	struct tp_target zero;
	memset(&zero, 0, sizeof zero);
	assert_int_equal(tp_query_run(&zero, q, ob, 1, &o), -1);
	assert_string_equal(tp_obs_status_str(TP_OBS_REFUSED), "refused");
	assert_string_equal(tp_obs_status_str(TP_OBS_MALFORMED), "malformed");
}

/* ---- target and resolv.conf tests ---- */

static void test_target_good(void **state)
{
	(void)state;
	struct tp_target t;
	char err[160];
	assert_int_equal(tp_target_parse("127.0.0.1", &t, err, sizeof err), 0);
	assert_int_equal(t.ss.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&t.ss)->sin_port), 53);
	assert_int_equal(t.sslen, sizeof(struct sockaddr_in));
	assert_string_equal(t.label, "127.0.0.1");

	assert_int_equal(tp_target_parse("127.0.0.1@5353", &t, err, sizeof err), 0);
	assert_int_equal(ntohs(((struct sockaddr_in *)&t.ss)->sin_port), 5353);
	assert_string_equal(t.label, "127.0.0.1@5353");

	assert_int_equal(tp_target_parse("::1", &t, err, sizeof err), 0);
	assert_int_equal(t.ss.ss_family, AF_INET6);
	assert_int_equal(t.sslen, sizeof(struct sockaddr_in6));
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&t.ss)->sin6_port), 53);
	assert_string_equal(t.label, "::1");

	assert_int_equal(tp_target_parse("::1@53", &t, err, sizeof err), 0);
	assert_string_equal(t.label, "::1");
	assert_int_equal(tp_target_parse("0:0:0::1@65535", &t, err, sizeof err), 0);
	assert_string_equal(t.label, "::1@65535");
	assert_int_equal(tp_target_parse("2001:DB8::53@1", &t, err, sizeof err), 0);
	assert_string_equal(t.label, "2001:db8::53@1");

	unsigned lo = if_nametoindex("lo");
	if (lo) {
		assert_int_equal(tp_target_parse("fe80::1%lo@54", &t, err, sizeof err), 0);
		assert_int_equal(((struct sockaddr_in6 *)&t.ss)->sin6_scope_id, lo);
		assert_string_equal(t.label, "fe80::1%lo@54");
	}
}

static void test_target_bad(void **state)
{
	(void)state;
	static const char *bad[] = {
		"1.2.3.4@0", "@53", "host.example", "::1@70000", "127.0.0.1@53x",
		"", "127.0.0.1@", "127.0.0.1:53", "[::1]:53", "1.2.3", "localhost",
		"127.0.0.1 ", " 127.0.0.1", "127.0.0.1@-53", "127.0.0.1@+53", "127.0.0.1@053535",
		"127.0.0.1%lo", "fe80::1%no-such-if0", "fe80::1%", "::1@53@53", "256.1.1.1",
		"1.2.3.4\n", "127.0.0.1@5\n3",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct tp_target t;
		char err[160] = "";
		if (tp_target_parse(bad[i], &t, err, sizeof err) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_true(strlen(err) > 0);
		assert_null(strchr(err, '\n'));
	}
	struct tp_target t;
	char err[160];
	assert_int_equal(tp_target_parse("host.example", &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "not resolved"));
	assert_int_equal(tp_target_parse("127.0.0.1:53", &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "ADDR@PORT"));
	assert_int_equal(tp_target_parse(NULL, &t, err, sizeof err), -1);
	assert_int_equal(tp_target_parse("1.2.3.4@0", &t, NULL, 0), -1); /* err optional */
	/* a tiny buffer still gets a terminated reason */
	char small[8];
	assert_int_equal(tp_target_parse("nope", &t, small, sizeof small), -1);
	assert_true(strlen(small) < sizeof small);
}

static char *tmpfile_with(const char *text)
{
	char *path = strdup("/tmp/test_query_resolvXXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_resolvconf(void **state)
{
	(void)state;
	struct tp_target t[8];
	size_t n = 99;
	char err[256];
	char *p = tmpfile_with("# generated\n"
			       "; also a comment\n"
			       "domain example.com\n"
			       "search example.com example.net\n"
			       "options ndots:2 timeout:1\n"
			       "#nameserver 10.9.9.9\n"
			       "nameservers 10.8.8.8\n"
			       "nameserver 127.0.0.1\n"
			       "  nameserver\t::1   # trailing words are ignored\n"
			       "nameserver 192.0.2.53\r\n"
			       "nameserver 2001:db8::1");
	assert_int_equal(tp_resolvconf_read(p, t, 8, &n, err, sizeof err), TP_RESOLVCONF_OK);
	assert_int_equal(n, 4);
	assert_string_equal(err, "");
	assert_string_equal(t[0].label, "127.0.0.1");
	assert_string_equal(t[1].label, "::1");
	assert_int_equal(t[1].ss.ss_family, AF_INET6);
	assert_string_equal(t[2].label, "192.0.2.53");
	assert_string_equal(t[3].label, "2001:db8::1");
	assert_int_equal(ntohs(((struct sockaddr_in *)&t[0].ss)->sin_port), 53);

	/* more than max: partial */
	assert_int_equal(tp_resolvconf_read(p, t, 2, &n, err, sizeof err), TP_RESOLVCONF_PARTIAL);
	assert_int_equal(n, 2);
	assert_non_null(strstr(err, "more than 2"));
	assert_non_null(strstr(err, "1 more skipped"));
	unlink(p);
	free(p);

	/* bad and scoped entries */
	p = tmpfile_with("nameserver fe80::1%no-such-if0\n"
			 "nameserver fe80::1%lo\n"
			 "nameserver ns1.example.\n"
			 "nameserver 127.0.0.1@5353\n"
			 "nameserver\n"
			 "nameserver 127.0.0.2\n");
	unsigned lo = if_nametoindex("lo");
	assert_int_equal(tp_resolvconf_read(p, t, 8, &n, err, sizeof err), TP_RESOLVCONF_PARTIAL);
	assert_int_equal(n, lo ? 2 : 1);
	assert_non_null(strstr(err, ":1: "));
	assert_non_null(strstr(err, "no-such-if0"));
	assert_non_null(strstr(err, lo ? "3 more skipped" : "4 more skipped"));
	if (lo) {
		assert_string_equal(t[0].label, "fe80::1%lo");
		assert_int_equal(((struct sockaddr_in6 *)&t[0].ss)->sin6_scope_id, lo);
	}
	assert_string_equal(t[n - 1].label, "127.0.0.2");
	unlink(p);
	free(p);

	/* no nameserver */
	p = tmpfile_with("# nothing\nsearch example.com\noptions edns0\n");
	n = 99;
	assert_int_equal(tp_resolvconf_read(p, t, 8, &n, err, sizeof err), TP_RESOLVCONF_ERR);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err, "no nameserver"));
	assert_null(strchr(err, '\n'));
	unlink(p);
	free(p);

	/* only unusable ones */
	p = tmpfile_with("nameserver dns.example\n");
	assert_int_equal(tp_resolvconf_read(p, t, 8, &n, err, sizeof err), TP_RESOLVCONF_ERR);
	assert_non_null(strstr(err, "no usable nameserver"));
	assert_non_null(strstr(err, "dns.example"));
	unlink(p);
	free(p);

	/* empty file, missing file */
	p = tmpfile_with("");
	assert_int_equal(tp_resolvconf_read(p, t, 8, &n, err, sizeof err), TP_RESOLVCONF_ERR);
	unlink(p);
	assert_int_equal(tp_resolvconf_read(p, t, 8, &n, err, sizeof err), TP_RESOLVCONF_ERR);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err, "cannot read"));
	assert_non_null(strstr(err, p));
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target_good),
		cmocka_unit_test(test_target_bad),
		cmocka_unit_test(test_resolvconf),
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_answer_ipv6),
		cmocka_unit_test(test_wrong_id_then_right),
		cmocka_unit_test(test_wrong_question),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_tc_fallback),
		cmocka_unit_test(test_tc_over_tcp),
		cmocka_unit_test(test_tcp_only),
		cmocka_unit_test(test_silent_deadline),
		cmocka_unit_test(test_closed_port),
		cmocka_unit_test(test_parallel),
		cmocka_unit_test(test_socket_cap),
		cmocka_unit_test(test_ede),
		cmocka_unit_test(test_wire_flags),
		cmocka_unit_test(test_bad_queries),
		cmocka_unit_test(test_local_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
