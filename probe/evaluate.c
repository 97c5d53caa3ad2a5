/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* evaluate: (case, observation) -> finding. Pure: no I/O, no clock. */
#include "evaluate.h"
#include "observe.h"

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

static int atom_holds(const struct tp_case *c, const struct tp_atom *a,
		      const struct tp_observation *obs)
{
	const ldns_pkt *p = obs ? obs->pkt : NULL;
	uint16_t qtype = c->queries[a->q < c->n_queries ? a->q : 0].qtype;
	int ok = 0;

	if (!p)
		return 0;
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
	case TP_AT_EDE:
		for (size_t i = 0; i < obs->n_ede && i < TP_EDE_MAX && !ok; i++)
			ok = obs->ede[i] == a->value;
		break;
	}
	return a->negate ? !ok : ok;
}

int tp_rule_matches(const struct tp_case *c, const struct tp_rule *r,
		    const struct tp_observation *const *obs)
{
	for (size_t i = 0; i < r->n_atoms; i++) {
		const struct tp_atom *a = &r->atoms[i];
		const struct tp_observation *o = a->q < c->n_queries ? obs[a->q] : NULL;
		if (!o || !o->pkt || !atom_holds(c, a, o))
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

/* What query k observed, in the terms the case's rules use for it. */
static void observed_str(const struct tp_case *c, size_t k, const struct tp_observation *obs,
			 char *buf, size_t len, size_t *off)
{
	const ldns_pkt *p = obs->pkt;
	int ans = 0, auth = 0, edns = 0, tr = 0, ede = 0;
	size_t i, j;
	char rb[16], ts[96];

	for (i = 0; i < c->n_rules; i++)
		for (j = 0; j < c->rules[i].n_atoms; j++) {
			enum tp_atom_kind kd = c->rules[i].atoms[j].kind;
			if (c->rules[i].atoms[j].q != k)
				continue;
			ans |= kd == TP_AT_ANSWER || kd == TP_AT_NOANSWER || kd == TP_AT_RRSIG;
			auth |= kd == TP_AT_AUTH;
			edns |= kd == TP_AT_EDNS || kd == TP_AT_DO;
			tr |= kd == TP_AT_TC || kd == TP_AT_TCP;
			ede |= kd == TP_AT_EDE;
		}
	if (c->queries[k].label[0])
		app(buf, len, off, "%s%s: ", *off ? "; " : "", c->queries[k].label);
	app(buf, len, off, "%s, AD %s", rcode_str(p, rb, sizeof rb),
	    ldns_pkt_ad(p) ? "set" : "clear");
	if (ans) {
		types_str(ldns_pkt_answer(p), ts, sizeof ts);
		app(buf, len, off, strcmp(ts, "-") ? ", answer %s" : ", no answer", ts);
	}
	if (auth) {
		types_str(ldns_pkt_authority(p), ts, sizeof ts);
		app(buf, len, off, strcmp(ts, "-") ? ", authority %s" : ", no authority", ts);
	}
	if (edns) {
		if (!ldns_pkt_edns(p))
			app(buf, len, off, ", no OPT");
		else
			app(buf, len, off, ", OPT with DO %s", ldns_pkt_edns_do(p) ? "set" : "clear");
	}
	if (tr)
		app(buf, len, off, ", over %s", transport_str(obs));
	if (ede) {
		if (!obs->n_ede)
			app(buf, len, off, ", no EDE");
		for (i = 0; i < obs->n_ede && i < TP_EDE_MAX; i++)
			app(buf, len, off, ", EDE %u", (unsigned)obs->ede[i]);
	}
}

/* -v: query k as sent and a summary of what came back. */
static void detail_one(const struct tp_case *c, size_t k, const struct tp_observation *obs,
		       const char *qname, char *buf, size_t len, size_t *off)
{
	const struct tp_cquery *cq = &c->queries[k];
	const ldns_pkt *p = obs ? obs->pkt : NULL;
	char tn[24], fl[64], an[96], ns[96], rb[16];
	char *name = NULL;

	tp_type_name(cq->qtype, tn, sizeof tn);
	tp_qflags_describe(cq->qflags, cq->bufsize, fl, sizeof fl);
	if (p && ldns_pkt_question(p) && ldns_rr_list_rr_count(ldns_pkt_question(p)) > 0)
		name = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(p), 0)));
	if (*off)
		app(buf, len, off, " | ");
	if (cq->label[0])
		app(buf, len, off, "%s: ", cq->label);
	app(buf, len, off, "query %s %s%s", name ? name : qname ? qname : cq->qname, tn, fl);
	LDNS_FREE(name);
	if (!obs) {
		app(buf, len, off, "; not sent");
		return;
	}
	if (!p) {
		app(buf, len, off, "; %s", tp_obs_status_str(obs->status));
		return;
	}
	types_str(ldns_pkt_answer(p), an, sizeof an);
	types_str(ldns_pkt_authority(p), ns, sizeof ns);
	app(buf, len, off, "; %s: %s flags%s%s%s%s%s%s an=%s ns=%s", transport_str(obs),
	    rcode_str(p, rb, sizeof rb), ldns_pkt_qr(p) ? " qr" : "", ldns_pkt_aa(p) ? " aa" : "",
	    ldns_pkt_tc(p) ? " tc" : "", ldns_pkt_rd(p) ? " rd" : "", ldns_pkt_ra(p) ? " ra" : "",
	    ldns_pkt_ad(p) ? " ad" : "", an, ns);
	if (ldns_pkt_cd(p))
		app(buf, len, off, " (cd)");
	if (ldns_pkt_edns(p))
		app(buf, len, off, " edns%s", ldns_pkt_edns_do(p) ? " do" : "");
	for (size_t i = 0; i < obs->n_ede && i < TP_EDE_MAX; i++)
		app(buf, len, off, obs->ede_text[i][0] ? " ede=%u \"%s\"" : " ede=%u%s",
		    (unsigned)obs->ede[i], obs->ede_text[i]);
}

/* "; EDE 6 DNSSEC Bogus (fwd), RFC 8914 suggests 9 DNSKEY Missing": the errors the judged
 * query got (labelled "fwd", else the first) beside the codes the case suggests. Evidence
 * for the reader only: no status depends on it. */
static void ede_str(const struct tp_case *c, const struct tp_observation *const *obs,
		    char *buf, size_t len, size_t *off)
{
	size_t k = 0;
	for (size_t i = 0; i < c->n_queries; i++)
		if (!strcmp(c->queries[i].label, "fwd"))
			k = i;
	const struct tp_observation *o = obs ? obs[k] : NULL;
	char one[TP_EDE_TEXT_MAX + 48];
	if (!o)
		return;
	for (size_t i = 0; i < o->n_ede && i < TP_EDE_MAX; i++) {
		tp_ede_describe(o->ede[i], o->ede_text[i], one, sizeof one);
		app(buf, len, off, "%s%s", i ? ", " : "; ", one);
	}
	if (!o->n_ede)
		app(buf, len, off, "; no EDE");
	for (size_t i = 0; i < c->n_ede_suggest; i++) {
		const char *name = tp_ede_name(c->ede_suggest[i]);
		app(buf, len, off, "%s%u%s%s", i ? " or " : ", RFC 8914 suggests ",
		    (unsigned)c->ede_suggest[i], *name ? " " : "", name);
	}
}

static void detail_str(const struct tp_case *c, const struct tp_observation *const *obs,
		       const char *const *qnames, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < c->n_queries; k++)
		detail_one(c, k, obs ? obs[k] : NULL, qnames ? qnames[k] : NULL, buf, len, &off);
}

static void init_finding(const struct tp_case *c, struct tp_finding *f)
{
	memset(f, 0, sizeof *f);
	snprintf(f->id, sizeof f->id, "%s", c->id);
	f->group = c->group;
	f->essential = c->essential;
	f->matrix_alg = c->matrix_alg;
	f->matrix_digest = c->matrix_digest;
	f->cell = c->matrix_alg ? TP_CELL_UNJUDGED : TP_CELL_NONE;
	f->n_ede_suggest = c->n_ede_suggest;
	for (size_t i = 0; i < c->n_ede_suggest && i < TP_EDE_SUGGEST_MAX; i++)
		f->ede_suggest[i] = c->ede_suggest[i];
}

/* How the judged query of a matrix case (labelled "fwd", else the first) came out. */
static int cell_of(const struct tp_case *c, const struct tp_observation *const *obs)
{
	size_t k = 0;
	for (size_t i = 0; i < c->n_queries; i++)
		if (!strcmp(c->queries[i].label, "fwd"))
			k = i;
	const ldns_pkt *p = obs && obs[k] ? obs[k]->pkt : NULL;
	if (!p)
		return TP_CELL_UNJUDGED;
	if (ldns_pkt_get_rcode(p) == LDNS_RCODE_SERVFAIL)
		return TP_CELL_BOGUS;
	if (ldns_pkt_get_rcode(p) != LDNS_RCODE_NOERROR ||
	    !section_has(ldns_pkt_answer(p), c->queries[k].qtype))
		return TP_CELL_OTHER;
	return ldns_pkt_ad(p) ? TP_CELL_VALIDATED : TP_CELL_INSECURE;
}

void tp_skip(const struct tp_case *c, const char *why, struct tp_finding *f)
{
	init_finding(c, f);
	f->status = TP_SKIP;
	snprintf(f->reason, sizeof f->reason, "%s", why && *why ? why : "not run");
	detail_str(c, NULL, NULL, f->detail, sizeof f->detail);
	tp_obs_summarize(c, NULL, NULL, f);
}

void tp_evaluate_case(const struct tp_case *c, const struct tp_observation *const *obs,
		      const char *const *qnames, struct tp_finding *f)
{
	const struct tp_rule *hit = NULL;
	char seen[TP_REASON_MAX], expect[TP_REASON_MAX];
	size_t i, k, off = 0;
	int refused = 0, norecursion = 0, authoritative = 0;

	init_finding(c, f);
	tp_obs_summarize(c, obs, qnames, f);
	for (k = 0; k < c->n_queries; k++) {
		const struct tp_observation *o = obs ? obs[k] : NULL;
		if (!o || o->status != TP_OBS_ANSWER || !o->pkt) {
			const char *why = o && o->reason[0] ? o->reason :
					  o ? tp_obs_status_str(o->status) : "not run";
			const char *lb = c->queries[k].label;
			f->status = TP_SKIP;
			f->rtt_ms = 0;
			snprintf(f->reason, sizeof f->reason, "no answer%s%s%s: %s", lb[0] ? " (" : "",
				 lb, lb[0] ? ")" : "", why);
			detail_str(c, obs, qnames, f->detail, sizeof f->detail);
			return;
		}
		for (i = 0; i < o->n_ede && f->n_ede < sizeof f->ede / sizeof f->ede[0]; i++)
			f->ede[f->n_ede++] = o->ede[i];
		refused |= ldns_pkt_get_rcode(o->pkt) == LDNS_RCODE_REFUSED;
		norecursion |= (c->queries[k].qflags & TP_Q_RD) && !ldns_pkt_ra(o->pkt) &&
			       ldns_pkt_get_rcode(o->pkt) != LDNS_RCODE_REFUSED;
		authoritative |= (c->queries[k].qflags & TP_Q_RD) && ldns_pkt_aa(o->pkt) &&
				 ldns_pkt_get_rcode(o->pkt) != LDNS_RCODE_REFUSED;
		if (o->rtt_ms > f->rtt_ms)
			f->rtt_ms = o->rtt_ms;
	}
	/* An answer without RA to a query with RD comes from something that does not recurse
	 * (an authoritative server), and one with AA from a server that serves the zone
	 * itself: what either says about a zone is no resolver's validation. */
	if (norecursion || authoritative) {
		f->status = TP_SKIP;
		f->rtt_ms = 0;
		snprintf(f->reason, sizeof f->reason, "%s: %s", TP_REASON_NOT_RECURSIVE, norecursion ?
			 "RA clear in the reply to a query with RD (an authoritative server?)" :
			 "an authoritative answer (AA set) to a query with RD: a server "
			 "answering for the zone itself validates none of it");
		detail_str(c, obs, qnames, f->detail, sizeof f->detail);
		return;
	}
	for (i = 0; i < c->n_rules && !hit; i++)
		if (tp_rule_matches(c, &c->rules[i], obs))
			hit = &c->rules[i];
	/* REFUSED says we may not use this resolver, not how it validates: the probe could
	 * not tell, unless a rule expects REFUSED itself. */
	if (!hit && refused) {
		f->status = TP_SKIP;
		f->rtt_ms = 0;
		snprintf(f->reason, sizeof f->reason, "%s (is this client allowed to query it?): "
			 "%s for this client", TP_REASON_REFUSED, TP_REASON_NOT_RECURSIVE);
		detail_str(c, obs, qnames, f->detail, sizeof f->detail);
		return;
	}
	f->status = hit ? hit->status : c->otherwise;
	if (hit)
		snprintf(f->note, sizeof f->note, "%s", hit->note);
	if (c->matrix_alg && f->status != TP_SKIP)
		f->cell = cell_of(c, obs);

	seen[0] = '\0';
	for (k = 0; k < c->n_queries; k++)
		observed_str(c, k, obs[k], seen, sizeof seen, &off);
	expect[0] = '\0';
	off = 0;
	for (i = 0; i < c->n_rules; i++) {
		char one[160];
		if (c->rules[i].status != TP_PASS)
			continue;
		tp_rule_describe(c, &c->rules[i], one, sizeof one);
		app(expect, sizeof expect, &off, "%s%s", off ? " or " : "", one);
	}
	off = 0;
	app(f->reason, sizeof f->reason, &off, "observed %s", seen);
	if (hit && hit->note[0])
		app(f->reason, sizeof f->reason, &off, " (%s)", hit->note);
	app(f->reason, sizeof f->reason, &off, "; expected %s (%s: %s)", expect, c->source,
	    c->reason);
	if (c->n_ede_suggest && f->cell != TP_CELL_VALIDATED)
		ede_str(c, obs, f->reason, sizeof f->reason, &off);
	detail_str(c, obs, qnames, f->detail, sizeof f->detail);
}

void tp_evaluate(const struct tp_case *c, const struct tp_observation *obs, struct tp_finding *f)
{
	const struct tp_observation *all[TP_QUERIES_MAX];
	for (size_t k = 0; k < TP_QUERIES_MAX; k++)
		all[k] = obs;
	tp_evaluate_case(c, all, NULL, f);
}
