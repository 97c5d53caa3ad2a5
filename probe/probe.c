/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* probe: see probe.h. */
#include "probe.h"
#include "evaluate.h"
#include "tp_util.h"
#include "verdict.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tp_probe_target(const struct tp_target *t, const struct tp_probe_plan *p,
		    struct tp_resolver_report *rr, char *err, size_t errlen)
{
	double t0 = tp_now();
	const struct tp_catalog *cat = p->cat;
	size_t n = 0;
	for (size_t i = 0; i < cat->n; i++)
		n += p->selected[i] != 0;
	snprintf(rr->resolver, sizeof rr->resolver, "%s", t->label);
	rr->findings = calloc(n ? n : 1, sizeof *rr->findings);
	struct tp_query *qs = calloc(n ? n : 1, sizeof *qs);
	struct tp_observation *obs = calloc(n ? n : 1, sizeof *obs);
	size_t *qcase = calloc(n ? n : 1, sizeof *qcase);
	if (!rr->findings || !qs || !obs || !qcase) {
		free(qs);
		free(obs);
		free(qcase);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* build the queries; cases that need a zone we lack are skipped right away */
	size_t nq = 0, nf = 0;
	for (size_t i = 0; i < cat->n; i++) {
		if (!p->selected[i])
			continue;
		const struct tp_case *c = &cat->cases[i];
		char qerr[256] = "";
		int r = tp_case_query(c, p->zone, &qs[nq], qerr, sizeof qerr);
		if (r == 1) {
			tp_skip(c, TP_SKIP_NO_ZONE, &rr->findings[nf]);
			rr->findings[nf++].no_zone = 1;
			continue;
		}
		if (r != 0) {
			tp_skip(c, qerr, &rr->findings[nf++]);
			continue;
		}
		qcase[nq++] = i;
	}
	struct tp_query_opts qo = {.try_timeout = 1.5, .retries = 2, .deadline = p->deadline};
	if (nq > 0)
		tp_query_run(t, qs, obs, nq, &qo);
	for (size_t k = 0; k < nq; k++) {
		struct tp_finding *f = &rr->findings[nf++];
		tp_evaluate(&cat->cases[qcase[k]], &obs[k], f);
		if (obs[k].status == TP_OBS_ANSWER && obs[k].rtt_ms > rr->max_rtt_ms)
			rr->max_rtt_ms = obs[k].rtt_ms;
		tp_observation_clear(&obs[k]);
	}
	rr->n_findings = nf;
	free(qs);
	free(obs);
	free(qcase);
	rr->duration_s = tp_now() - t0;
	tp_verdict_compute(rr);
	return 0;
}

int tp_probe_all(const struct tp_target *t, size_t n, const struct tp_probe_plan *p,
		 struct tp_report *rep, char *err, size_t errlen)
{
	double t0 = tp_now();
	rep->resolvers = calloc(n ? n : 1, sizeof *rep->resolvers);
	if (!rep->resolvers) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct tp_probe_plan sub = *p;
		double left = p->deadline - tp_now();
		sub.deadline = tp_now() + (left > 0 ? left / (double)(n - i) : 0);
		rep->n = i + 1;
		if (tp_probe_target(&t[i], &sub, &rep->resolvers[i], err, errlen) != 0)
			return -1;
	}
	size_t skipped = 0;
	for (size_t i = 0; p->zone == NULL && i < p->cat->n; i++)
		skipped += p->selected[i] && p->cat->cases[i].needs_zone;
	rep->n_skipped_no_zone = skipped;
	rep->duration_s = tp_now() - t0;
	return 0;
}
