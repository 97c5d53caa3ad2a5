/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* probe: see probe.h. */
#include "probe.h"
#include "compare.h"
#include "evaluate.h"
#include "plan.h"
#include "preflight.h"
#include "rootkeys.h"
#include "verify.h"
#include "tp_util.h"
#include "verdict.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

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

/* The zone preflight: asks t for the marker of p->zone (preflight.h) until end, and judges
 * the answer against the real clock (the resolvers validate against theirs, whatever --now
 * says about the roll calendar). obs is the caller's, to count and clear. */
static void zone_preflight(const struct tp_target *t, const struct tp_probe_plan *p, double end,
			   struct tp_observation *obs, struct tp_preflight *pf)
{
	struct tp_query q;
	struct tp_query_opts qo = {.try_timeout = 1.5, .retries = 2, .deadline = end,
				   .max_open = 1};
	memset(obs, 0, sizeof *obs);
	if (tp_preflight_query(p->zone, &q) == 0)
		tp_query_run(t, &q, obs, 1, &qo);
	tp_preflight_judge(obs, p->zone, p->vectors_version, (long long)time(NULL), pf);
}

/* rr->local_note: how many queries (n of total) and cases the probe could not send for a
 * reason of its own host, the first one's reason, and what to do about it. */
static void local_note(struct tp_resolver_report *rr, size_t n, size_t total, size_t cases,
		       const struct tp_observation *first)
{
	static const struct {
		int e;
		const char *fix;
	} fixes[] = {
		{ENFILE, "the system's table of open files is full (fs.file-max)"},
		{ENOMEM, "this host is out of memory or buffer space"},
		{ENOBUFS, "this host is out of memory or buffer space"},
		{EADDRNOTAVAIL, "no local address or port to send from"},
		{EPERM, "this host's firewall or security policy forbids it"},
		{EACCES, "this host's firewall or security policy forbids it"},
	};
	char fix[160] = "the probe's own error";
	struct rlimit rl;
	for (size_t i = 0; i < sizeof fixes / sizeof fixes[0]; i++)
		if (fixes[i].e == first->local_err)
			snprintf(fix, sizeof fix, "%s", fixes[i].fix);
	if (first->local_err == EMFILE && getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY)
		snprintf(fix, sizeof fix, "raise the open-files limit (ulimit -n, now %llu)",
			 (unsigned long long)rl.rlim_cur);
	else if (first->local_err == EMFILE)
		snprintf(fix, sizeof fix, "raise the open-files limit (ulimit -n)");
	rr->n_local = n;
	snprintf(rr->local_note, sizeof rr->local_note,
		 "%zu of %zu queries could not be sent for a local reason (%zu %s not run): "
		 "%.120s: %s", n, total, cases, cases == 1 ? "case" : "cases", first->reason, fix);
}

int tp_probe_target(const struct tp_target *t, const struct tp_probe_plan *p,
		    struct tp_resolver_report *rr, char *err, size_t errlen)
{
	double t0 = tp_now();
	struct tp_plan_env env = {.zone = p->zone, .lab = p->lab, .ksk_current = p->ksk_current,
				  .ksk_next = p->ksk_next, .rand_bytes = probe_rand,
				  .max_open = p->max_open};
	struct tp_plan_seed sd = {.seed = p->name_seed};
	if (p->name_seed) { /* the names every target of the run meets */
		env.rand_bytes = tp_plan_seeded_rand;
		env.rand_ctx = &sd;
	}
	struct tp_plan pl;
	struct tp_observation pobs = {0};
	struct tp_preflight pf;

	snprintf(rr->resolver, sizeof rr->resolver, "%s", t->label);
	if (p->zone && *p->zone) {
		/* the test zone is checked before anything is judged against it: a zone found
		 * wrong skips the cases that need it, and the verdict says why */
		double end = p->deadline > 0 ? tp_now() + (p->deadline - tp_now()) / 3 : 0;
		zone_preflight(t, p, end, &pobs, &pf);
		if (!pf.zone_ok) {
			snprintf(rr->zone_note, sizeof rr->zone_note, "%s", pf.reason);
			env.zone_unusable = pf.reason;
		}
	}
	if (tp_plan_build(p->cat, p->selected, &env, &pl, err, errlen) != 0) {
		tp_observation_clear(&pobs);
		return -1;
	}
	rr->findings = calloc(pl.n_cases ? pl.n_cases : 1, sizeof *rr->findings);
	struct tp_observation *obs = calloc(pl.n_queries ? pl.n_queries : 1, sizeof *obs);
	if (!rr->findings || !obs) {
		free(obs);
		tp_plan_free(&pl);
		tp_observation_clear(&pobs);
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
	size_t n_local = pobs.local_err != 0, cases_local = 0;
	const struct tp_observation *first_local = pobs.local_err ? &pobs : NULL;
	for (size_t k = 0; k < pl.n_queries; k++) {
		if (!obs[k].local_err)
			continue;
		n_local++;
		if (!first_local)
			first_local = &obs[k];
	}
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
		const struct tp_observation *local = NULL;
		for (size_t k = 0; k < pc->c->n_queries && !local; k++)
			if (mine[k]->local_err)
				local = mine[k];
		if (local) { /* not the resolver's doing: say so, and judge nothing more */
			cases_local++;
			snprintf(f->reason, sizeof f->reason, "not run: a query could not be sent "
				 "(the probe's own error): %s", local->reason);
			continue;
		}
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
	if (first_local)
		local_note(rr, n_local, pl.n_queries + (p->zone && *p->zone), cases_local,
			   first_local);
	tp_observation_clear(&pobs);
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

/* File descriptors one target's thread may hold at once beyond its query sockets, for the
 * independent validator (libunbound: its context's pipes, and per resolution an event base
 * with its socket pair and the sockets of its own queries), and for the process itself
 * (stdio, the lab's namespace, files read). */
#define TP_VERIFY_FDS 16
#define TP_BASE_FDS 16

/* Whether the open-files limit leaves room for threads targets at once, each holding up to
 * max_open sockets plus what the validator needs when verify is set. Raises the soft limit
 * up to the hard one when that is what it takes. *have and *need get the numbers. */
static int fds_suffice(size_t threads, unsigned max_open, int verify, unsigned long long *have,
		       unsigned long long *need)
{
	struct rlimit rl;
	*need = (unsigned long long)threads * (max_open + (verify ? TP_VERIFY_FDS : 0)) +
		TP_BASE_FDS;
	*have = 0;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1; /* cannot tell: go ahead, local failures are counted anyway */
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < *need) {
		struct rlimit up = rl;
		up.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= *need ? *need
										  : rl.rlim_max;
		if (up.rlim_cur > rl.rlim_cur && setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	*have = rl.rlim_cur == RLIM_INFINITY ? *need : (unsigned long long)rl.rlim_cur;
	return *have >= *need;
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
	/* The independent validator runs only when the open-files limit leaves room for it:
	 * libunbound's event library ends the whole process (exit 1, nothing printed) when it
	 * cannot make a socket pair. Without that room the run goes on without it and is a
	 * local failure: unknown, saying what to raise. */
	struct tp_probe_plan mine = *p;
	unsigned char seed[32];
	if (p->same_names) {
		probe_rand(NULL, seed, sizeof seed);
		mine.name_seed = seed;
	}
	unsigned long long have, need;
	size_t threads = n < TP_PROBE_PARALLEL ? n : TP_PROBE_PARALLEL;
	char no_verify[TP_REASON_MAX] = "";
	if (p->anchor_file &&
	    !fds_suffice(threads, p->max_open ? p->max_open : TP_PLAN_MAX_OPEN, 1, &have, &need)) {
		mine.anchor_file = NULL;
		snprintf(no_verify, sizeof no_verify, "independent validation was not run: %llu "
			 "open files allowed, about %llu needed for %zu %s at once: raise the "
			 "open-files limit (ulimit -n)", have, need, threads,
			 threads == 1 ? "resolver" : "resolvers");
	} else if (!p->anchor_file) {
		fds_suffice(threads, p->max_open ? p->max_open : TP_PLAN_MAX_OPEN, 0, &have, &need);
	}
	for (size_t i = 0; i < n; i += TP_PROBE_PARALLEL) {
		size_t end = i + TP_PROBE_PARALLEL < n ? i + TP_PROBE_PARALLEL : n;
		for (size_t k = i; k < end; k++) {
			jobs[k] = (struct target_job){.t = &t[k], .p = &mine, .rr = &rep->resolvers[k]};
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
	for (size_t k = 0; no_verify[0] && k < n; k++) {
		struct tp_resolver_report *rr = &rep->resolvers[k];
		snprintf(rr->verify_note, sizeof rr->verify_note, "%s", no_verify);
		if (!rr->local_note[0]) /* asked for and not done, for a reason of this host */
			snprintf(rr->local_note, sizeof rr->local_note, "%s", no_verify);
		tp_verdict_compute(rr);
	}
	size_t skipped = 0;
	for (size_t i = 0; (p->zone == NULL || !*p->zone) && i < p->cat->n; i++)
		skipped += p->selected[i] && p->cat->cases[i].needs_zone &&
			   (!p->cat->cases[i].lab_only || p->lab);
	rep->n_skipped_no_zone = skipped;
	rep->duration_s = tp_now() - t0;
	return 0;
}
