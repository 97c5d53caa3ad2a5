/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* compare: see compare.h. */
#include "compare.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SENTINEL_PREFIX "root-key-sentinel-"
#define SERVFAIL_MARK "SERVFAIL on data that validates against the probe's anchor"

static int is_sentinel(const char *name)
{
	return name && strncasecmp(name, SENTINEL_PREFIX, strlen(SENTINEL_PREFIX)) == 0;
}

struct tp_compare_q tp_compare_plan(const struct tp_case *c,
				    const struct tp_observation *const *obs,
				    const char *const *names, const struct tp_finding *f)
{
	struct tp_compare_q q = {TP_CMP_NONE, 0};
	while (q.k + 1 < c->n_queries && c->queries[q.k].control)
		q.k++;
	const struct tp_observation *o = obs[q.k];
	if (f->status == TP_SKIP || !o || !o->pkt || is_sentinel(names[q.k]))
		return q;
	ldns_pkt_rcode rc = ldns_pkt_get_rcode(o->pkt);
	if (rc == LDNS_RCODE_SERVFAIL) {
		if (f->status == TP_FAIL && c->essential && c->group != TP_G_DENIAL)
			q.ask = TP_CMP_SERVFAIL;
		return q;
	}
	if (!ldns_pkt_ad(o->pkt) || rc != LDNS_RCODE_NOERROR)
		return q;
	ldns_rr_list *an = ldns_pkt_answer(o->pkt);
	int data = 0;
	for (size_t i = 0; an && i < ldns_rr_list_rr_count(an); i++) {
		ldns_rr_type t = ldns_rr_get_type(ldns_rr_list_rr(an, i));
		if (t == LDNS_RR_TYPE_DNAME)
			return q;
		data |= t == c->queries[q.k].qtype;
	}
	if (data)
		q.ask = TP_CMP_AD;
	return q;
}

static void prefix_reason(struct tp_finding *f, const char *lead)
{
	char old[TP_REASON_MAX];
	snprintf(old, sizeof old, "%s", f->reason);
	snprintf(f->reason, sizeof f->reason, "%.200s; %.300s", lead, old);
}

void tp_compare_apply(const struct tp_compare_q *q, enum tp_verified x, const char *why,
		      struct tp_finding *f)
{
	char lead[TP_REASON_MAX];
	switch (q->ask) {
	case TP_CMP_SERVFAIL:
		if (x != TP_VERIFIED_SECURE)
			return;
		f->verified = (int)x;
		prefix_reason(f, SERVFAIL_MARK);
		return;
	case TP_CMP_AD:
		f->verified = (int)x;
		if (x != TP_VERIFIED_BOGUS)
			return;
		f->status = TP_FAIL;
		snprintf(lead, sizeof lead,
			 "AD set on data that the independent validator finds bogus (%.120s)",
			 why && *why ? why : "no reason given");
		prefix_reason(f, lead);
		return;
	case TP_CMP_NONE:
		return;
	}
}

/* 1 when case id ran and failed: the resolver accepted what it had to refuse. */
static int accepted(const struct tp_finding *fs, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fs[i].id, id) == 0)
			return fs[i].status == TP_FAIL;
	return 0;
}

void tp_compare_cause(struct tp_finding *fs, size_t n)
{
	const char *cause;
	if (accepted(fs, n, "validation.notyet"))
		cause = "the resolver's clock is ahead: it accepted signatures whose inception is "
			"7 days away (validation.notyet); set its clock (NTP)";
	else if (accepted(fs, n, "validation.expired"))
		cause = "the resolver's clock is behind: it accepted signatures that expired 7 days "
			"ago (validation.expired); set its clock (NTP)";
	else
		cause = "the resolver's trust anchor is the likely cause (it accepted no signature "
			"a week or more out of date, so its clock is not off by 7 to 37 days); "
			"check its root trust anchor (the root-trust cases)";
	for (size_t i = 0; i < n; i++) {
		struct tp_finding *f = &fs[i];
		if (f->verified != TP_VERIFIED_SECURE || f->status != TP_FAIL ||
		    strncmp(f->reason, SERVFAIL_MARK, strlen(SERVFAIL_MARK)) != 0)
			continue;
		const char *rest = f->reason + strlen(SERVFAIL_MARK);
		char tail[TP_REASON_MAX];
		snprintf(tail, sizeof tail, "%s", rest);
		snprintf(f->reason, sizeof f->reason, "%s: %.230s%.210s", SERVFAIL_MARK, cause, tail);
	}
}
