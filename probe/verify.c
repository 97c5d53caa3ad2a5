/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* verify: see verify.h. */
#include "verify.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unbound.h>

const char *tp_verified_name(enum tp_verified x)
{
	switch (x) {
	case TP_VERIFIED_SECURE: return "secure";
	case TP_VERIFIED_INSECURE: return "insecure";
	case TP_VERIFIED_BOGUS: return "bogus";
	default: return "not checked";
	}
}

int tp_verify_open(struct tp_verify *v, const struct tp_target *t, const char *anchor_file)
{
	memset(v, 0, sizeof *v);
	struct ub_ctx *ctx = ub_ctx_create();
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
	if ((r = ub_ctx_set_option(ctx, "do-not-query-localhost:", "no")) != 0 ||
	    (r = ub_ctx_set_option(ctx, "root-key-sentinel:", "no")) != 0 ||
	    (r = ub_ctx_set_option(ctx, "qname-minimisation:", "no")) != 0 ||
	    (r = ub_ctx_set_fwd(ctx, addr)) != 0 || (r = ub_ctx_add_ta_file(ctx, anchor_file)) != 0 ||
	    (r = ub_ctx_zone_add(ctx, "test.", "transparent")) != 0) {
		snprintf(v->err, sizeof v->err, "libunbound: %s", ub_strerror(r));
		ub_ctx_delete(ctx);
		return -1;
	}
	v->ctx = ctx;
	return 0;
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

void tp_verify_close(struct tp_verify *v)
{
	if (v->ctx)
		ub_ctx_delete((struct ub_ctx *)v->ctx);
	v->ctx = NULL;
}
