/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* evaluate: (case, observation) -> finding. Pure: no I/O, no clock. */
#include "evaluate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <ldns/ldns.h>

static int section_has(const ldns_rr_list *l, uint16_t type)
{
	size_t i, n = l ? ldns_rr_list_rr_count(l) : 0;
	for (i = 0; i < n; i++)
		if ((uint16_t)ldns_rr_get_type(ldns_rr_list_rr(l, i)) == type)
			return 1;
	return 0;
}

static int over_tcp(const struct tp_observation *obs)
{
	return obs->transport == TP_TRANSPORT_TCP;
}

int tp_rule_matches(const struct tp_rule *r, uint16_t qtype, const struct tp_observation *obs)
{
	const ldns_pkt *p = obs->pkt;
	size_t i;

	if (!p)
		return 0;
	for (i = 0; i < r->n_atoms; i++) {
		const struct tp_atom *a = &r->atoms[i];
		int ok = 0;
		switch (a->kind) {
		case TP_AT_RCODE:
			ok = ldns_pkt_get_rcode(p) == a->value;
			break;
		case TP_AT_AD:
			ok = (ldns_pkt_ad(p) ? 1 : 0) == a->value;
			break;
		case TP_AT_ANSWER:
			ok = section_has(ldns_pkt_answer(p), a->value);
			break;
		case TP_AT_NOANSWER:
			ok = !section_has(ldns_pkt_answer(p), qtype);
			break;
		case TP_AT_RRSIG:
			ok = section_has(ldns_pkt_answer(p), LDNS_RR_TYPE_RRSIG) == a->value;
			break;
		case TP_AT_AUTH:
			ok = section_has(ldns_pkt_authority(p), a->value);
			break;
		case TP_AT_EDNS:
			ok = (ldns_pkt_edns(p) ? 1 : 0) == a->value;
			break;
		case TP_AT_DO:
			ok = (ldns_pkt_edns(p) && ldns_pkt_edns_do(p) ? 1 : 0) == a->value;
			break;
		case TP_AT_TC:
			ok = (obs->truncated ? 1 : 0) == a->value;
			break;
		case TP_AT_TCP:
			ok = over_tcp(obs) == a->value;
			break;
		}
		if (!ok)
			return 0;
	}
	return 1;
}

/* Appends to buf at *off, never overflowing; keeps the string terminated. */
static void app(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void app(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (*off >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*off = (size_t)n >= len - *off ? len - 1 : *off + (size_t)n;
}


/* "A RRSIG" (each type once, in order) or "-" for an empty section. */
static void types_str(const ldns_rr_list *l, char *buf, size_t len)
{
	uint16_t seen[16];
	size_t i, ns = 0, off = 0, n = l ? ldns_rr_list_rr_count(l) : 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		uint16_t t = (uint16_t)ldns_rr_get_type(ldns_rr_list_rr(l, i));
		char tn[24];
		size_t j;
		for (j = 0; j < ns && seen[j] != t; j++)
			;
		if (j < ns)
			continue;
		if (ns < sizeof seen / sizeof seen[0])
			seen[ns++] = t;
		tp_type_name(t, tn, sizeof tn);
		app(buf, len, &off, "%s%s", off ? " " : "", tn);
	}
	if (!off)
		snprintf(buf, len, "-");
}

static const char *rcode_str(const ldns_pkt *p, char *buf, size_t len)
{
	ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, ldns_pkt_get_rcode(p));
	if (lt)
		return lt->name;
	snprintf(buf, len, "RCODE%u", (unsigned)ldns_pkt_get_rcode(p));
	return buf;
}

static const char *transport_str(const struct tp_observation *obs)
{
	if (!over_tcp(obs))
		return "udp";
	return obs->truncated ? "tcp after tc" : "tcp";
}

/* The observation, in the terms the case's rules use. */
static void observed_str(const struct tp_case *c, const struct tp_observation *obs, char *buf,
			 size_t len)
{
	const ldns_pkt *p = obs->pkt;
	int ans = 0, auth = 0, edns = 0, tr = 0;
	size_t i, j, off = 0;
	char rb[16], ts[96];

	for (i = 0; i < c->n_rules; i++)
		for (j = 0; j < c->rules[i].n_atoms; j++) {
			enum tp_atom_kind k = c->rules[i].atoms[j].kind;
			ans |= k == TP_AT_ANSWER || k == TP_AT_NOANSWER || k == TP_AT_RRSIG;
			auth |= k == TP_AT_AUTH;
			edns |= k == TP_AT_EDNS || k == TP_AT_DO;
			tr |= k == TP_AT_TC || k == TP_AT_TCP;
		}
	app(buf, len, &off, "%s, AD %s", rcode_str(p, rb, sizeof rb),
	    ldns_pkt_ad(p) ? "set" : "clear");
	if (ans) {
		types_str(ldns_pkt_answer(p), ts, sizeof ts);
		app(buf, len, &off, strcmp(ts, "-") ? ", answer %s" : ", no answer", ts);
	}
	if (auth) {
		types_str(ldns_pkt_authority(p), ts, sizeof ts);
		app(buf, len, &off, strcmp(ts, "-") ? ", authority %s" : ", no authority", ts);
	}
	if (edns) {
		if (!ldns_pkt_edns(p))
			app(buf, len, &off, ", no OPT");
		else
			app(buf, len, &off, ", OPT with DO %s", ldns_pkt_edns_do(p) ? "set" : "clear");
	}
	if (tr)
		app(buf, len, &off, ", over %s", transport_str(obs));
}

static void detail_str(const struct tp_case *c, const struct tp_observation *obs, char *buf,
		       size_t len)
{
	const ldns_pkt *p = obs->pkt;
	char tn[24], fl[64], an[96], ns[96], rb[16];
	char *name = NULL;
	size_t off = 0;

	tp_type_name(c->qtype, tn, sizeof tn);
	tp_qflags_describe(c->qflags, c->bufsize, fl, sizeof fl);
	if (p && ldns_pkt_question(p) && ldns_rr_list_rr_count(ldns_pkt_question(p)) > 0)
		name = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(p), 0)));
	app(buf, len, &off, "query %s %s%s", name ? name : c->qname, tn, fl);
	LDNS_FREE(name);
	if (!p) {
		app(buf, len, &off, "; %s", tp_obs_status_str(obs->status));
		return;
	}
	types_str(ldns_pkt_answer(p), an, sizeof an);
	types_str(ldns_pkt_authority(p), ns, sizeof ns);
	app(buf, len, &off, "; %s: %s flags%s%s%s%s%s%s an=%s ns=%s", transport_str(obs),
	    rcode_str(p, rb, sizeof rb), ldns_pkt_qr(p) ? " qr" : "", ldns_pkt_aa(p) ? " aa" : "",
	    ldns_pkt_tc(p) ? " tc" : "", ldns_pkt_rd(p) ? " rd" : "", ldns_pkt_ra(p) ? " ra" : "",
	    ldns_pkt_ad(p) ? " ad" : "", an, ns);
	if (ldns_pkt_cd(p))
		app(buf, len, &off, " (cd)");
	if (ldns_pkt_edns(p))
		app(buf, len, &off, " edns%s", ldns_pkt_edns_do(p) ? " do" : "");
}

static void init_finding(const struct tp_case *c, struct tp_finding *f)
{
	memset(f, 0, sizeof *f);
	snprintf(f->id, sizeof f->id, "%s", c->id);
	f->group = c->group;
	f->essential = c->essential;
}

void tp_skip(const struct tp_case *c, const char *why, struct tp_finding *f)
{
	char tn[24], fl[64];
	size_t off;
	init_finding(c, f);
	f->status = TP_SKIP;
	snprintf(f->reason, sizeof f->reason, "%s", why && *why ? why : "not run");
	tp_type_name(c->qtype, tn, sizeof tn);
	tp_qflags_describe(c->qflags, c->bufsize, fl, sizeof fl);
	off = 0;
	app(f->detail, sizeof f->detail, &off, "query %s %s%s; not sent", c->qname, tn, fl);
}

void tp_evaluate(const struct tp_case *c, const struct tp_observation *obs, struct tp_finding *f)
{
	const struct tp_rule *hit = NULL;
	char seen[160], expect[200];
	size_t i, off = 0;

	init_finding(c, f);
	if (!obs || obs->status != TP_OBS_ANSWER || !obs->pkt) {
		const char *why = obs && obs->reason[0] ? obs->reason :
				  obs ? tp_obs_status_str(obs->status) : "not run";
		f->status = TP_SKIP;
		snprintf(f->reason, sizeof f->reason, "no answer: %s", why);
		if (obs)
			detail_str(c, obs, f->detail, sizeof f->detail);
		return;
	}
	for (i = 0; i < c->n_rules && !hit; i++)
		if (tp_rule_matches(&c->rules[i], c->qtype, obs))
			hit = &c->rules[i];
	/* REFUSED says we may not use this resolver, not how it validates: the probe could
	 * not tell, unless a rule expects REFUSED itself. */
	if (!hit && ldns_pkt_get_rcode(obs->pkt) == LDNS_RCODE_REFUSED) {
		f->status = TP_SKIP;
		snprintf(f->reason, sizeof f->reason,
			 "refused: the resolver answered REFUSED (is this client allowed to query it?)");
		detail_str(c, obs, f->detail, sizeof f->detail);
		return;
	}
	f->status = hit ? hit->status : c->otherwise;
	f->rtt_ms = obs->rtt_ms;

	observed_str(c, obs, seen, sizeof seen);
	expect[0] = '\0';
	for (i = 0; i < c->n_rules; i++) {
		char one[128];
		if (c->rules[i].status != TP_PASS)
			continue;
		tp_rule_describe(&c->rules[i], c->qtype, one, sizeof one);
		app(expect, sizeof expect, &off, "%s%s", off ? " or " : "", one);
	}
	off = 0;
	app(f->reason, sizeof f->reason, &off, "observed %s", seen);
	if (hit && hit->note[0])
		app(f->reason, sizeof f->reason, &off, " (%s)", hit->note);
	app(f->reason, sizeof f->reason, &off, "; expected %s (%s: %s)", expect, c->source,
	    c->reason);
	detail_str(c, obs, f->detail, sizeof f->detail);
}
