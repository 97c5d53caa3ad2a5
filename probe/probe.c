/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* probe: see probe.h. */
#include "probe.h"
#include "compare.h"
#include "evaluate.h"
#include "plan.h"
#include "rootkeys.h"
#include "verify.h"
#include "tp_util.h"
#include "verdict.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>
#include <openssl/rand.h>

/* The plan's random source: the OpenSSL generator (ldns' as a fallback). */
static void probe_rand(void *ctx, unsigned char *buf, size_t n)
{
	(void)ctx;
	if (RAND_bytes(buf, (int)n) == 1)
		return;
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)ldns_get_random();
}

/* Runs queries [from, to) of the plan as one engine batch. */
static void run_wave(const struct tp_target *t, const struct tp_plan *pl, size_t from, size_t to,
		     struct tp_observation *obs, double deadline)
{
	struct tp_query_opts qo = {.try_timeout = 1.5, .retries = 2, .deadline = deadline,
				   .max_open = pl->max_open};
	if (to > from)
		tp_query_run(t, pl->queries + from, obs + from, to - from, &qo);
}

/* The invariant over every case: AD on data that the independent validator finds bogus is
 * a failure, whatever the case's rules said (compare.h decides what to ask and what it
 * means; this asks). */
static void verify_case(struct tp_verify *v, const struct tp_case *c,
			const struct tp_observation *const *obs, const char *const *names,
			struct tp_finding *f)
{
	struct tp_compare_q q = tp_compare_plan(c, obs, names, f);
	if (q.ask == TP_CMP_NONE)
		return;
	char why[160] = "";
	enum tp_verified x = tp_verify_name(v, names[q.k], c->queries[q.k].qtype, why, sizeof why);
	tp_compare_apply(&q, x, why, f);
}

int tp_probe_target(const struct tp_target *t, const struct tp_probe_plan *p,
		    struct tp_resolver_report *rr, char *err, size_t errlen)
{
	double t0 = tp_now();
	struct tp_plan_env env = {.zone = p->zone, .lab = p->lab, .ksk_current = p->ksk_current,
				  .ksk_next = p->ksk_next, .rand_bytes = probe_rand,
				  .max_open = p->max_open};
	struct tp_plan pl;

	snprintf(rr->resolver, sizeof rr->resolver, "%s", t->label);
	if (tp_plan_build(p->cat, p->selected, &env, &pl, err, errlen) != 0)
		return -1;
	rr->findings = calloc(pl.n_cases ? pl.n_cases : 1, sizeof *rr->findings);
	struct tp_observation *obs = calloc(pl.n_queries ? pl.n_queries : 1, sizeof *obs);
	if (!rr->findings || !obs) {
		free(obs);
		tp_plan_free(&pl);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Two waves: the controls (and every query no control vouches for) first, so that a
	 * control shows what the resolver answers before the attacked query of its case can
	 * have changed the resolver's cache. The first wave may use half the time left when a
	 * second one follows, so that a silent zone cannot starve the second. */
	double first_end = p->deadline;
	if (pl.n_wave1 < pl.n_queries && p->deadline > 0)
		first_end = tp_now() + (p->deadline - tp_now()) / 2;
	struct tp_verify v = {0};
	if (p->anchor_file && tp_verify_open(&v, t, p->anchor_file) != 0) {
		/* the cases still run; the report says that nothing was validated again */
		snprintf(rr->verify_note, sizeof rr->verify_note,
			 "independent validation is off: %.240s", v.err);
		tp_verify_close(&v);
	}
	run_wave(t, &pl, 0, pl.n_wave1, obs, first_end);
	run_wave(t, &pl, pl.n_wave1, pl.n_queries, obs, p->deadline);
	for (size_t i = 0; i < pl.n_cases; i++) {
		const struct tp_plan_case *pc = &pl.cases[i];
		struct tp_finding *f = &rr->findings[i];
		const struct tp_observation *mine[TP_QUERIES_MAX];
		const char *names[TP_QUERIES_MAX];
		if (pc->skip) {
			tp_skip(pc->c, pc->why, f);
			f->no_zone = pc->no_zone;
			f->not_here = pc->not_here;
			continue;
		}
		for (size_t k = 0; k < pc->c->n_queries; k++) {
			mine[k] = &obs[pc->qi[k]];
			names[k] = pl.queries[pc->qi[k]].qname;
		}
		tp_evaluate_case(pc->c, mine, names, f);
		if (pc->c->check == TP_CHECK_ROOT_KEYS) {
			struct tp_rootkeys rk;
			struct tp_rootkeys_expect e = {.in_force = (uint16_t)p->ksk_current,
						       .next = (uint16_t)p->ksk_next,
						       .real_root = p->real_root, .now = p->now};
			int have = mine[0]->pkt && tp_rootkeys_read(mine[0]->pkt, &rk) == 0;
			tp_rootkeys_check(&rk, have, &e, f);
		}
		if (v.ctx)
			verify_case(&v, pc->c, mine, names, f);
	}
	if (v.ctx)
		tp_compare_cause(rr->findings, pl.n_cases);
	tp_verify_close(&v);
	rr->roll_has_next = p->ksk_next != 0;
	for (size_t k = 0; k < pl.n_queries; k++) {
		if (obs[k].status == TP_OBS_ANSWER && obs[k].rtt_ms > rr->max_rtt_ms)
			rr->max_rtt_ms = obs[k].rtt_ms;
		tp_observation_clear(&obs[k]);
	}
	rr->n_findings = pl.n_cases;
	free(obs);
	tp_plan_free(&pl);
	rr->duration_s = tp_now() - t0;
	tp_verdict_compute(rr);
	return 0;
}

struct target_job {
	const struct tp_target *t;
	const struct tp_probe_plan *p;
	struct tp_resolver_report *rr;
	int rc;
	char err[256];
};

static void *target_thread(void *arg)
{
	struct target_job *j = arg;
	j->rc = tp_probe_target(j->t, j->p, j->rr, j->err, sizeof j->err);
	return NULL;
}

int tp_probe_all(const struct tp_target *t, size_t n, const struct tp_probe_plan *p,
		 struct tp_report *rep, char *err, size_t errlen)
{
	double t0 = tp_now();
	rep->resolvers = calloc(n ? n : 1, sizeof *rep->resolvers);
	struct target_job *jobs = calloc(n ? n : 1, sizeof *jobs);
	pthread_t *tid = calloc(n ? n : 1, sizeof *tid);
	if (!rep->resolvers || !jobs || !tid) {
		free(jobs);
		free(tid);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Every target runs at once, each with the whole deadline, at most TP_PROBE_PARALLEL
	 * at a time: a resolver that takes its time (BIND resolving a fetch loop an attack
	 * made) then delays no other. Each thread writes only its own report and job; the
	 * libunbound contexts are made and freed under verify.c's lock. */
	rep->n = n;
	int rc = 0;
	for (size_t i = 0; i < n; i += TP_PROBE_PARALLEL) {
		size_t end = i + TP_PROBE_PARALLEL < n ? i + TP_PROBE_PARALLEL : n;
		for (size_t k = i; k < end; k++) {
			jobs[k] = (struct target_job){.t = &t[k], .p = p, .rr = &rep->resolvers[k]};
			if (pthread_create(&tid[k], NULL, target_thread, &jobs[k]) != 0) {
				target_thread(&jobs[k]); /* no thread to be had: run it here */
				tid[k] = 0;
			}
		}
		for (size_t k = i; k < end; k++)
			if (tid[k])
				pthread_join(tid[k], NULL);
	}
	for (size_t k = 0; k < n && rc == 0; k++) {
		if (jobs[k].rc != 0) {
			snprintf(err, errlen, "%s", jobs[k].err);
			rc = -1;
		}
	}
	free(jobs);
	free(tid);
	if (rc != 0)
		return -1;
	size_t skipped = 0;
	for (size_t i = 0; (p->zone == NULL || !*p->zone) && i < p->cat->n; i++)
		skipped += p->selected[i] && p->cat->cases[i].needs_zone &&
			   (!p->cat->cases[i].lab_only || p->lab);
	rep->n_skipped_no_zone = skipped;
	rep->duration_s = tp_now() - t0;
	return 0;
}
