/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* brief: see brief.h. */
#include "brief.h"
#include "verdict.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The causes' tags, most serious first, info left out: the lab matrix's notes. */
static void tags_of(const struct tp_resolver_report *rr, char *out, size_t len)
{
	size_t off = 0;
	out[0] = '\0';
	for (size_t k = 0; k < rr->n_causes && off < len; k++) {
		const struct tp_cause *c = &rr->causes[k];
		if (c->level == TP_CAUSE_INFO)
			continue;
		int w = snprintf(out + off, len - off, "%s%s%s", off ? "; " : "", c->tag,
				 c->accepted ? " (accepted)" : "");
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

static int issues_of(const struct tp_resolver_report *rr, int details, struct tp_brief *b)
{
	size_t n = 0;
	for (size_t i = 0; i < rr->n_findings; i++)
		n += rr->findings[i].status == TP_WARN || rr->findings[i].status == TP_FAIL;
	if (n == 0)
		return 0;
	b->issues = calloc(n, sizeof *b->issues);
	if (!b->issues)
		return -1;
	for (size_t i = 0; i < rr->n_findings; i++) {
		const struct tp_finding *f = &rr->findings[i];
		if (f->status != TP_WARN && f->status != TP_FAIL)
			continue;
		struct tp_brief_issue *x = &b->issues[b->n_issues++];
		x->k = i;
		x->status = f->status;
		x->accepted = f->accepted;
		x->reason = strdup(f->reason);
		x->detail = details >= 2 && f->detail[0] ? strdup(f->detail) : NULL;
		if (!x->reason || (details >= 2 && f->detail[0] && !x->detail))
			return -1;
	}
	return 0;
}

int tp_brief_from(const struct tp_resolver_report *rr, int details, struct tp_brief *b)
{
	memset(b, 0, sizeof *b);
	snprintf(b->resolver, sizeof b->resolver, "%s", rr->resolver);
	snprintf(b->name, sizeof b->name, "%s", rr->name);
	b->probed = rr->unknown_why != TP_UNK_DEADLINE;
	b->verdict = rr->verdict;
	b->roll_verdict = rr->roll_verdict;
	b->dane_ready = rr->dane_ready;
	b->roll_ready = rr->roll_ready;
	b->unknown_why = rr->unknown_why;
	b->state = tp_nagios_state(rr);
	memcpy(b->groups, rr->groups, sizeof b->groups);
	b->n_pass = rr->n_pass;
	b->n_warn = rr->n_warn;
	b->n_fail = rr->n_fail;
	b->n_skip = rr->n_skip;
	b->n_accepted = rr->n_accepted;
	b->duration_s = rr->duration_s;
	b->max_rtt_ms = rr->max_rtt_ms;
	b->answered = rr->answered;
	/* what to look at first: the first cause (not accepted) of the level that made the
	 * verdict: a fail for not-ready, an unknown one for unknown, a warning for ready.
	 * The run-level causes lead the diagnosis (diagnose.c run_causes): a local failure
	 * (local-error) or a wrong test zone (test-zone) is then the status line's cause; a
	 * zone check the resolver did not answer (zone-unchecked) defers to the causes that
	 * say why, when there are any. A target the deadline left unprobed is its note. */
	enum tp_cause_level want = rr->verdict == TP_NOT_READY ? TP_CAUSE_FAIL :
				   rr->verdict == TP_UNKNOWN ? TP_CAUSE_UNKNOWN : TP_CAUSE_WARN;
	int note_first = rr->verdict == TP_UNKNOWN && rr->unknown_why == TP_UNK_DEADLINE;
	for (int pass = 0; pass < 3 && !note_first && !b->why[0]; pass++)
		for (size_t k = 0; k < rr->n_causes && !b->why[0]; k++) {
			const struct tp_cause *c = &rr->causes[k];
			if (c->accepted || c->level == TP_CAUSE_INFO || (pass == 0 && c->level != want) ||
			    (pass < 2 && strcmp(c->id, "zone-unchecked") == 0))
				continue;
			snprintf(b->why, sizeof b->why, "%.199s", c->title);
			snprintf(b->why_id, sizeof b->why_id, "%s", c->id);
		}
	if (!b->why[0] && rr->verdict == TP_UNKNOWN)
		snprintf(b->why, sizeof b->why, "%.199s", rr->note);
	tags_of(rr, b->tags, sizeof b->tags);
	snprintf(b->roll_note, sizeof b->roll_note, "%.199s", rr->roll_note);
	b->status = malloc(rr->n_findings ? rr->n_findings : 1);
	if (!b->status)
		return -1;
	b->n_cases = rr->n_findings;
	for (size_t i = 0; i < rr->n_findings; i++)
		b->status[i] = (unsigned char)rr->findings[i].status;
	if (details && issues_of(rr, details, b) != 0)
		return -1;
	return 0;
}

void tp_brief_free(struct tp_brief *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_issues; i++) {
		free(b->issues[i].reason);
		free(b->issues[i].detail);
	}
	free(b->issues);
	free(b->status);
	b->issues = NULL;
	b->status = NULL;
	b->n_issues = b->n_cases = 0;
}

int tp_brief_cases_make(const struct tp_case *cases, size_t n, const int *sel,
			struct tp_brief_cases *c)
{
	memset(c, 0, sizeof *c);
	c->id = calloc(n ? n : 1, sizeof *c->id);
	c->group = calloc(n ? n : 1, sizeof *c->group);
	if (!c->id || !c->group) {
		tp_brief_cases_free(c);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (sel && !sel[i])
			continue;
		c->id[c->n] = cases[i].id;
		c->group[c->n++] = cases[i].group;
	}
	return 0;
}

void tp_brief_cases_free(struct tp_brief_cases *c)
{
	free(c->id);
	free(c->group);
	memset(c, 0, sizeof *c);
}

int tp_briefs_of(const struct tp_report *rep, int details, struct tp_brief **out,
		 struct tp_brief_cases *cases)
{
	memset(cases, 0, sizeof *cases);
	*out = calloc(rep->n ? rep->n : 1, sizeof **out);
	size_t nf = rep->n ? rep->resolvers[0].n_findings : 0;
	cases->id = calloc(nf ? nf : 1, sizeof *cases->id);
	cases->group = calloc(nf ? nf : 1, sizeof *cases->group);
	if (!*out || !cases->id || !cases->group) {
		free(*out);
		tp_brief_cases_free(cases);
		return -1;
	}
	for (size_t k = 0; k < nf; k++) {
		cases->id[k] = rep->resolvers[0].findings[k].id;
		cases->group[k] = rep->resolvers[0].findings[k].group;
	}
	cases->n = nf;
	int rc = 0;
	for (size_t i = 0; i < rep->n; i++)
		rc |= tp_brief_from(&rep->resolvers[i], details, &(*out)[i]);
	if (rc) {
		tp_briefs_free(*out, rep->n, cases);
		return -1;
	}
	return 0;
}

void tp_briefs_free(struct tp_brief *b, size_t n, struct tp_brief_cases *cases)
{
	for (size_t i = 0; b && i < n; i++)
		tp_brief_free(&b[i]);
	free(b);
	if (cases)
		tp_brief_cases_free(cases);
}
