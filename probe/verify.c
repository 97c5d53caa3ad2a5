/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* verify: see verify.h. */
#include "verify.h"
#include "anchors.h"
#include <pthread.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unbound.h>

/* libunbound's first context sets up process-wide state without a lock; contexts are made
 * and freed one at a time (tp_probe_all runs targets in threads) */
static pthread_mutex_t ub_lock = PTHREAD_MUTEX_INITIALIZER;

const char *tp_verified_name(enum tp_verified x)
{
	switch (x) {
	case TP_VERIFIED_SECURE: return "secure";
	case TP_VERIFIED_INSECURE: return "insecure";
	case TP_VERIFIED_BOGUS: return "bogus";
	default: return "not checked";
	}
}

/* libunbound reads only DS/DNSKEY zone lines: for the other formats 'trustprobe anchors'
 * knows (BIND, dnsmasq, Lua, XML), hand it their root DS records one by one. A DNSKEY-only
 * file of another format cannot be passed on: that is an error, never a silent "off". */
static int add_anchor(struct ub_ctx *ctx, const char *path)
{
	struct tp_ta_source *src = malloc(sizeof *src);
	if (!src)
		return UB_NOMEM;
	int added = 0;
	if (tp_ta_read(path, src) == 0 && src->format == TP_TA_FMT_PLAIN) {
		free(src);
		return ub_ctx_add_ta_file(ctx, path);
	}
	for (size_t i = 0; i < src->n; i++) {
		const struct tp_ta_key *k = &src->keys[i];
		char line[300];
		if (!k->is_ds)
			continue;
		snprintf(line, sizeof line, ". IN DS %u %u %u %s", k->tag, k->alg, k->digest_type,
			 k->digest);
		if (ub_ctx_add_ta(ctx, line) == 0)
			added++;
	}
	free(src);
	return added ? 0 : UB_SYNTAX;
}

int tp_verify_open(struct tp_verify *v, const struct tp_target *t, const char *anchor_file)
{
	memset(v, 0, sizeof *v);
	pthread_mutex_lock(&ub_lock);
	struct ub_ctx *ctx = ub_ctx_create();
	pthread_mutex_unlock(&ub_lock);
	if (!ctx) {
		snprintf(v->err, sizeof v->err, "libunbound: cannot create a context");
		return -1;
	}
	char addr[INET6_ADDRSTRLEN + 8], host[INET6_ADDRSTRLEN];
	unsigned port;
	if (t->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)&t->ss;
		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof host);
		port = ntohs(s6->sin6_port);
	} else {
		const struct sockaddr_in *s4 = (const void *)&t->ss;
		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof host);
		port = ntohs(s4->sin_port);
	}
	snprintf(addr, sizeof addr, "%s@%u", host, port);
	int r;
	/* the resolver under test is the only server asked; nothing else is contacted, and
	 * the answers are checked against our anchor, not trusted for their AD bit */
	/* test. is a special-use name (RFC 6761) that libunbound answers itself by default (a
	 * static local zone); the lab's test zone lives there, so make it transparent */
	/* One target, a few dozen questions: small caches and few ports (its defaults are a
	 * server's, 4096 ports). The ports bound the sockets it opens at once, which the
	 * probe's open-files budget counts (probe.c TP_VERIFY_FDS); more questions wait. */
	static const char *const small[][2] = {
		{"outgoing-range:", "8"}, {"num-queries-per-thread:", "64"},
		{"msg-cache-size:", "256k"}, {"rrset-cache-size:", "256k"},
		{"key-cache-size:", "256k"}, {"neg-cache-size:", "64k"},
		{"msg-cache-slabs:", "1"}, {"rrset-cache-slabs:", "1"},
		{"key-cache-slabs:", "1"}, {"infra-cache-slabs:", "1"},
	};
	for (size_t i = 0; i < sizeof small / sizeof small[0]; i++)
		ub_ctx_set_option(ctx, small[i][0], small[i][1]);
	/* tp_verify_names: the asynchronous queries of a context share one worker thread */
	ub_ctx_async(ctx, 1);
	if ((r = ub_ctx_set_option(ctx, "do-not-query-localhost:", "no")) != 0 ||
	    (r = ub_ctx_set_option(ctx, "root-key-sentinel:", "no")) != 0 ||
	    (r = ub_ctx_set_option(ctx, "qname-minimisation:", "no")) != 0 ||
	    (r = ub_ctx_set_fwd(ctx, addr)) != 0 || (r = add_anchor(ctx, anchor_file)) != 0 ||
	    (r = ub_ctx_zone_add(ctx, "test.", "transparent")) != 0) {
		snprintf(v->err, sizeof v->err, "libunbound cannot use the anchor %.150s: %s",
			 anchor_file, ub_strerror(r));
		pthread_mutex_lock(&ub_lock);
		ub_ctx_delete(ctx);
		pthread_mutex_unlock(&ub_lock);
		return -1;
	}
	v->ctx = ctx;
	return 0;
}

/* What libunbound's result (r, res) says; frees res. */
static enum tp_verified classify(int r, struct ub_result *res, char *why, size_t whylen)
{
	if (r != 0 || !res) {
		if (why)
			snprintf(why, whylen, "libunbound: %s", ub_strerror(r));
		ub_resolve_free(res);
		return TP_VERIFIED_NONE;
	}
	enum tp_verified x = TP_VERIFIED_INSECURE;
	if (res->bogus) {
		x = TP_VERIFIED_BOGUS;
		if (why)
			snprintf(why, whylen, "%s", res->why_bogus ? res->why_bogus : "bogus");
	} else if (res->secure) {
		x = TP_VERIFIED_SECURE;
	} else if (res->rcode == 2) { /* SERVFAIL from the resolver: nothing to judge */
		x = TP_VERIFIED_NONE;
		if (why)
			snprintf(why, whylen, "the resolver answered SERVFAIL to the validator too");
	}
	ub_resolve_free(res);
	return x;
}

enum tp_verified tp_verify_name(struct tp_verify *v, const char *qname, uint16_t qtype,
				char *why, size_t whylen)
{
	struct ub_result *res = NULL;
	if (why && whylen)
		why[0] = '\0';
	if (!v->ctx)
		return TP_VERIFIED_NONE;
	int r = ub_resolve((struct ub_ctx *)v->ctx, qname, qtype, 1, &res);
	return classify(r, res, why, whylen);
}

/* One question of tp_verify_names in flight. */
struct pending {
	enum tp_verified *out;
	char *why;
	size_t whylen;
};

static void on_result(void *arg, int err, struct ub_result *res)
{
	struct pending *p = arg;
	*p->out = classify(err, res, p->why, p->whylen);
}

void tp_verify_names(struct tp_verify *v, size_t n, const char *const *qname,
		     const uint16_t *qtype, enum tp_verified *out, char (*why)[160])
{
	struct pending *p = calloc(n ? n : 1, sizeof *p);
	for (size_t i = 0; i < n; i++) {
		out[i] = TP_VERIFIED_NONE;
		why[i][0] = '\0';
	}
	if (!v->ctx || !p) {
		free(p);
		return;
	}
	size_t sent = 0;
	for (size_t i = 0; i < n; i++) {
		p[i] = (struct pending){.out = &out[i], .why = why[i], .whylen = sizeof why[i]};
		int r = ub_resolve_async((struct ub_ctx *)v->ctx, qname[i], qtype[i], 1, &p[i],
					 on_result, NULL);
		if (r == 0)
			sent++;
		else
			snprintf(why[i], sizeof why[i], "libunbound: %s", ub_strerror(r));
	}
	if (sent)
		ub_wait((struct ub_ctx *)v->ctx);
	free(p);
}

void tp_verify_close(struct tp_verify *v)
{
	if (v->ctx) {
		pthread_mutex_lock(&ub_lock);
		ub_ctx_delete((struct ub_ctx *)v->ctx);
		pthread_mutex_unlock(&ub_lock);
	}
	v->ctx = NULL;
}
