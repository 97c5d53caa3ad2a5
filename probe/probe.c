/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* probe: see probe.h. */
#include "probe.h"
#include "compare.h"
#include "evaluate.h"
#include "plan.h"
#include "ledger.h"
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

/* The independent validator's questions of one target, asked together. */
struct verify_batch {
	size_t n;
	size_t *finding;         /* the finding each question is for */
	struct tp_compare_q *q;
	const char **qname;
	uint16_t *qtype;
};

/* The invariant over every case: AD on data that the independent validator finds bogus is
 * a failure, whatever the case's rules said (compare.h decides what to ask and what it
 * means; this notes the question, verify_all asks them). */
static void verify_case(struct verify_batch *b, size_t i, const struct tp_case *c,
			const struct tp_observation *const *obs, const char *const *names,
			const struct tp_finding *f)
{
	struct tp_compare_q q = tp_compare_plan(c, obs, names, f);
	if (q.ask == TP_CMP_NONE || !b->q)
		return;
	b->finding[b->n] = i;
	b->q[b->n] = q;
	b->qname[b->n] = names[q.k];
	b->qtype[b->n++] = c->queries[q.k].qtype;
}

/* Asks the batch's questions at once and folds each answer into its finding. */
static void verify_all(struct tp_verify *v, struct verify_batch *b, struct tp_finding *fs)
{
	enum tp_verified *x = calloc(b->n ? b->n : 1, sizeof *x);
	char (*why)[160] = calloc(b->n ? b->n : 1, sizeof *why);
	if (x && why) {
		tp_verify_names(v, b->n, b->qname, b->qtype, x, why);
		for (size_t k = 0; k < b->n; k++)
			tp_compare_apply(&b->q[k], x[k], why[k], &fs[b->finding[k]]);
	}
	free(x);
	free(why);
}

/* Whether a case of the plan that runs is an attack (lab-only, with a fwd query): the third
 * wave is for those. */
static int plan_has_attacks(const struct tp_plan *pl)
{
	for (size_t i = 0; i < pl->n_cases; i++)
		if (!pl->cases[i].skip && pl->cases[i].c->lab_only && tp_case_fwd(pl->cases[i].c))
			return 1;
	return 0;
}

/* The third wave, for each attack case (lab-only, with a fwd query) that passed: its fwd
 * question asked a second time, and, for a case with a forgery, the attacker's ledger
 * (ledger.h). A resolver that refused the forgery once and then answers it from its cache
 * (Knot Resolver 5.6 takes D3's forged NSEC3 into its cache while it answers SERVFAIL,
 * and gives the forged NXDOMAIN with AD to the next client) fails; a pass whose forgery
 * the ledger does not confirm skips. */
static void third_wave(const struct tp_target *t, const struct tp_probe_plan *p,
		       const struct tp_plan *pl, const struct tp_observation *obs,
		       struct tp_finding *fs, const char *judged, double t0)
{
	size_t n = 0, m = 2 * (pl->n_cases ? pl->n_cases : 1);
	struct tp_query *q = calloc(m, sizeof *q);
	struct tp_observation *o = calloc(m, sizeof *o);
	size_t *ci = calloc(m, sizeof *ci);
	char *again = calloc(m, 1); /* q[k] is the fwd question again, not the ledger's */
	if (!q || !o || !ci || !again) { /* out of memory: the passes cannot be confirmed */
		for (size_t i = 0; i < pl->n_cases; i++)
			if (judged[i] && pl->cases[i].c->forgery[0])
				tp_ledger_apply(pl->cases[i].c, TP_LEDGER_UNREADABLE, 0, -1,
						"out of memory", &fs[i]);
		goto out;
	}
	for (size_t i = 0; i < pl->n_cases; i++) {
		const struct tp_plan_case *pc = &pl->cases[i];
		const struct tp_case *c = pc->c;
		const struct tp_cquery *fwd = tp_case_fwd(c);
		unsigned char rnd[8];
		if (!judged[i] || !c->lab_only || !fwd || fs[i].status != TP_PASS)
			continue;
		q[n] = pl->queries[pc->qi[fwd - c->queries]];
		again[n] = 1;
		ci[n++] = i;
		if (!c->forgery[0])
			continue;
		probe_rand(NULL, rnd, sizeof rnd);
		if (tp_ledger_query(p->zone, c->forgery, rnd, &q[n]) != 0) {
			tp_ledger_apply(c, TP_LEDGER_UNREADABLE, 0, -1, "its name does not fit "
					"under the zone", &fs[i]);
			continue;
		}
		ci[n++] = i;
	}
	struct tp_query_opts qo = {.try_timeout = 1.0, .retries = 1, .deadline = p->deadline,
				   .max_open = pl->max_open};
	if (n)
		tp_query_run(t, q, o, n, &qo);
	for (size_t k = 0; k < n; k++) { /* the second asks first: a fail needs no ledger */
		const struct tp_plan_case *pc = &pl->cases[ci[k]];
		const struct tp_case *c = pc->c;
		const struct tp_observation *mine[TP_QUERIES_MAX];
		const char *names[TP_QUERIES_MAX];
		struct tp_finding f2;
		if (!again[k] || o[k].status != TP_OBS_ANSWER)
			continue;
		size_t fk = (size_t)(tp_case_fwd(c) - c->queries);
		for (size_t j = 0; j < c->n_queries; j++) {
			mine[j] = j == fk ? &o[k] : &obs[pc->qi[j]];
			names[j] = pl->queries[pc->qi[j]].qname;
		}
		tp_evaluate_case(c, mine, names, &f2);
		if (f2.status != TP_FAIL)
			continue;
		struct tp_finding *f = &fs[ci[k]];
		*f = f2;
		int w = snprintf(f->reason, sizeof f->reason, "the same question asked again after "
				 "it was refused: answered from the resolver's cache, the forgery is "
				 "accepted (RFC 4035 4.7: bogus data must not be cached as secure); ");
		size_t l = w > 0 && (size_t)w < sizeof f->reason ? (size_t)w : 0, rl = strlen(f2.reason);
		if (rl > sizeof f->reason - 1 - l)
			rl = sizeof f->reason - 1 - l;
		memcpy(f->reason + l, f2.reason, rl);
		f->reason[l + rl] = '\0';
	}
	for (size_t k = 0; k < n; k++) {
		const struct tp_case *c = pl->cases[ci[k]].c;
		const struct tp_cquery *fwd = tp_case_fwd(c);
		char why[200];
		unsigned long forged = 0;
		double age = -1;
		if (again[k])
			continue;
		enum tp_ledger_state st = tp_ledger_read(&o[k], c->forgery,
							 fwd && (fwd->vars & TP_VAR_RAND),
							 tp_now() - t0, &forged, &age, why,
							 sizeof why);
		tp_ledger_apply(c, st, forged, age, why, &fs[ci[k]]); /* passes only */
	}
	for (size_t k = 0; k < n; k++)
		tp_observation_clear(&o[k]);
out:
	free(q);
	free(o);
	free(ci);
	free(again);
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
			rr->zone_fault = pf.zone_fault;
			env.zone_unusable = pf.reason;
		}
		env.attacker = pf.zone_ok && pf.attacker; /* trustprobe serve: the attacks run */
	}
	if (tp_plan_build(p->cat, p->selected, &env, &pl, err, errlen) != 0) {
		tp_observation_clear(&pobs);
		return -1;
	}
	rr->findings = calloc(pl.n_cases ? pl.n_cases : 1, sizeof *rr->findings);
	struct tp_observation *obs = calloc(pl.n_queries ? pl.n_queries : 1, sizeof *obs);
	char *judged = calloc(pl.n_cases ? pl.n_cases : 1, 1); /* evaluated, no local error */
	if (!rr->findings || !obs || !judged) {
		free(judged);
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
	struct verify_batch vb = {0};
	if (v.ctx) { /* at most one question per case */
		size_t m = pl.n_cases ? pl.n_cases : 1;
		vb.finding = calloc(m, sizeof *vb.finding);
		vb.q = calloc(m, sizeof *vb.q);
		vb.qname = calloc(m, sizeof *vb.qname);
		vb.qtype = calloc(m, sizeof *vb.qtype);
		if (!vb.finding || !vb.q || !vb.qname || !vb.qtype) {
			free(vb.q);
			vb.q = NULL; /* out of memory: nothing is validated again */
		}
	}
	run_wave(t, &pl, 0, pl.n_wave1, obs, first_end);
	/* the third wave (the attacks asked again, the attacker's ledger) gets a fifth of what
	 * is left */
	double second_end = p->deadline;
	if (p->deadline > 0 && plan_has_attacks(&pl)) {
		double left = p->deadline - tp_now();
		second_end = p->deadline - (left > 7.5 ? 1.5 : left > 0 ? left / 5 : 0);
	}
	run_wave(t, &pl, pl.n_wave1, pl.n_queries, obs, second_end);
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
		judged[i] = 1;
	}
	third_wave(t, p, &pl, obs, rr->findings, judged, t0);
	for (size_t i = 0; v.ctx && i < pl.n_cases; i++) {
		const struct tp_plan_case *pc = &pl.cases[i];
		const struct tp_observation *mine[TP_QUERIES_MAX];
		const char *names[TP_QUERIES_MAX];
		if (!judged[i])
			continue;
		for (size_t k = 0; k < pc->c->n_queries; k++) {
			mine[k] = &obs[pc->qi[k]];
			names[k] = pl.queries[pc->qi[k]].qname;
		}
		verify_case(&vb, i, pc->c, mine, names, &rr->findings[i]);
	}
	free(judged);
	if (v.ctx) {
		verify_all(&v, &vb, rr->findings);
		tp_compare_cause(rr->findings, pl.n_cases);
	}
	free(vb.finding);
	free(vb.q);
	free(vb.qname);
	free(vb.qtype);
	tp_verify_close(&v);
	if (first_local)
		local_note(rr, n_local, pl.n_queries + (p->zone && *p->zone), cases_local,
			   first_local);
	tp_observation_clear(&pobs);
	rr->roll_has_next = p->ksk_next != 0;
	for (size_t k = 0; k < pl.n_queries; k++) {
		rr->answered |= obs[k].status == TP_OBS_ANSWER;
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

/* Raises the soft open-files limit up to the hard one, to need at most. The limit then in
 * force (need when unlimited or unknown). */
static unsigned long long fd_limit(unsigned long long need)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return need; /* cannot tell: go ahead, local failures are counted anyway */
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		struct rlimit up = rl;
		up.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need
										  : rl.rlim_max;
		if (up.rlim_cur > rl.rlim_cur && setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	return rl.rlim_cur == RLIM_INFINITY ? need : (unsigned long long)rl.rlim_cur;
}

struct pool {
	const struct tp_target *t;
	size_t n;
	const struct tp_probe_plan *p;
	const struct tp_pool_opts *po;
	double t0;               /* when the pool started */
	double min_left;         /* a target starts only with this much time left */
	char no_verify[TP_REASON_MAX]; /* the validator did not fit the open-files limit */
	char unprobed_why[TP_REASON_MAX];
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t next;             /* the next target to take */
	size_t finished;
	size_t unprobed;
	int rc;
	char err[256];
};

/* The report of a target not probed: unknown, saying why. */
static void unprobed(const struct tp_target *t, const char *why, struct tp_resolver_report *rr)
{
	snprintf(rr->resolver, sizeof rr->resolver, "%s", t->label);
	tp_verdict_compute(rr);
	rr->verdict = rr->roll_verdict = TP_UNKNOWN;
	rr->dane_ready = rr->roll_ready = 0;
	rr->unknown_why = TP_UNK_DEADLINE;
	snprintf(rr->note, sizeof rr->note, "%s", why);
	snprintf(rr->roll_note, sizeof rr->roll_note, "%s", why);
}

static void *worker(void *arg)
{
	struct pool *pl = arg;
	struct tp_resolver_report *rr = malloc(sizeof *rr);
	for (;;) {
		pthread_mutex_lock(&pl->lock);
		size_t i = pl->next < pl->n && pl->rc == 0 && rr ? pl->next++ : pl->n;
		pthread_mutex_unlock(&pl->lock);
		if (i >= pl->n)
			break;
		memset(rr, 0, sizeof *rr);
		struct tp_probe_plan mine = *pl->p;
		double now = tp_now();
		int skip = mine.deadline > 0 && mine.deadline - now < pl->min_left;
		if (mine.deadline > 0 && pl->po->target_budget > 0 &&
		    now + pl->po->target_budget < mine.deadline)
			mine.deadline = now + pl->po->target_budget;
		char err[256] = "";
		int rc = 0;
		if (skip) {
			unprobed(&pl->t[i], pl->unprobed_why, rr);
		} else if ((rc = tp_probe_target(&pl->t[i], &mine, rr, err, sizeof err)) == 0 &&
			   pl->no_verify[0]) {
			snprintf(rr->verify_note, sizeof rr->verify_note, "%s", pl->no_verify);
			if (!rr->local_note[0]) /* asked for and not done, for a reason of this host */
				snprintf(rr->local_note, sizeof rr->local_note, "%s", pl->no_verify);
			tp_verdict_compute(rr);
		}
		if (rc == 0)
			pl->po->done(i, rr, pl->po->arg);
		free(rr->findings);
		pthread_mutex_lock(&pl->lock);
		pl->finished++;
		pl->unprobed += skip;
		if (rc != 0 && pl->rc == 0) {
			pl->rc = -1;
			snprintf(pl->err, sizeof pl->err, "%s", err);
		}
		pthread_cond_signal(&pl->cond);
		pthread_mutex_unlock(&pl->lock);
	}
	pthread_mutex_lock(&pl->lock);
	if (!rr && pl->rc == 0) {
		pl->rc = -1;
		snprintf(pl->err, sizeof pl->err, "out of memory");
	}
	pthread_cond_signal(&pl->cond);
	pthread_mutex_unlock(&pl->lock);
	free(rr);
	return NULL;
}

/* How many workers fit the open-files limit, each holding max_open sockets plus what the
 * validator needs when verify is set: at most want, at least 0. */
static size_t workers_fitting(size_t want, unsigned max_open, int verify,
			      unsigned long long *limit)
{
	unsigned long long each = max_open + (verify ? TP_VERIFY_FDS : 0);
	*limit = fd_limit((unsigned long long)want * each + TP_BASE_FDS);
	if (*limit <= TP_BASE_FDS)
		return 0;
	unsigned long long fit = (*limit - TP_BASE_FDS) / each;
	return fit < want ? (size_t)fit : want;
}

int tp_probe_pool(const struct tp_target *t, size_t n, const struct tp_probe_plan *p,
		  const struct tp_pool_opts *po, struct tp_pool_stats *st, char *err,
		  size_t errlen)
{
	struct pool pl = {.t = t, .n = n, .p = p, .po = po, .t0 = tp_now()};
	memset(st, 0, sizeof *st);
	pthread_mutex_init(&pl.lock, NULL);
	pthread_cond_init(&pl.cond, NULL);
	size_t want = po->parallel ? po->parallel : TP_PROBE_PARALLEL;
	if (want > n)
		want = n;
	if (want == 0)
		want = 1;
	unsigned max_open = p->max_open ? p->max_open : TP_PLAN_MAX_OPEN;
	/* Fewer workers when the open-files limit leaves room for fewer, never so many that
	 * queries get no socket (that would make every run unknown, a local failure). The
	 * independent validator runs only when one worker with it fits: libunbound's event
	 * library ends the whole process (exit 1, nothing printed) when it cannot make a
	 * socket pair. Without that room the run goes on without it and is a local failure:
	 * unknown, saying what to raise. */
	struct tp_probe_plan mine = *p;
	unsigned char seed[32];
	if (p->same_names && !p->name_seed) { /* one draw for every target of the pool */
		probe_rand(NULL, seed, sizeof seed);
		mine.name_seed = seed;
	}
	unsigned long long limit;
	size_t w = workers_fitting(want, max_open, p->anchor_file != NULL, &limit);
	if (w == 0 && p->anchor_file) {
		mine.anchor_file = NULL;
		snprintf(pl.no_verify, sizeof pl.no_verify, "independent validation was not run: "
			 "%llu open files allowed, about %llu needed for %zu %s at once: raise the "
			 "open-files limit (ulimit -n)", limit,
			 (unsigned long long)want * (max_open + TP_VERIFY_FDS) + TP_BASE_FDS, want,
			 want == 1 ? "resolver" : "resolvers");
		w = workers_fitting(want, max_open, 0, &limit);
	}
	if (w == 0)
		w = 1; /* it still runs; what the limit keeps from being sent is counted */
	pl.p = &mine;
	st->workers = w;
	st->fd_limit = limit;
	/* a target starts only with some time left: at least a second, less for short runs */
	double total = p->deadline > 0 ? p->deadline - pl.t0 : 0;
	pl.min_left = total > 0 ? (total / 2 < 1.0 ? total / 2 : 1.0) : 0;
	snprintf(pl.unprobed_why, sizeof pl.unprobed_why, "not probed: the run's deadline (-t) came "
		 "before its turn (%zu %s probed at once%s): raise -t%s", w,
		 w == 1 ? "resolver" : "resolvers",
		 w < want ? ", all the open-files limit allows" : "",
		 w < want ? " or the open-files limit (ulimit -n)" : " or --parallel");
	pthread_t *tid = calloc(w, sizeof *tid);
	if (!tid) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t started = 0;
	for (size_t k = 0; k < w; k++)
		if (pthread_create(&tid[k], NULL, worker, &pl) == 0)
			started++;
		else
			break;
	if (started == 0) /* no thread to be had: run it here */
		worker(&pl);
	pthread_mutex_lock(&pl.lock);
	while (pl.finished < n && pl.rc == 0 && started > 0) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&pl.cond, &pl.lock, &ts);
		if (po->tick) {
			pthread_mutex_unlock(&pl.lock);
			po->tick(po->arg);
			pthread_mutex_lock(&pl.lock);
		}
	}
	pthread_mutex_unlock(&pl.lock);
	for (size_t k = 0; k < started; k++)
		pthread_join(tid[k], NULL);
	free(tid);
	st->unprobed = pl.unprobed;
	pthread_mutex_destroy(&pl.lock);
	pthread_cond_destroy(&pl.cond);
	if (pl.rc != 0) {
		snprintf(err, errlen, "%s", pl.err);
		return -1;
	}
	return 0;
}

struct keep {
	struct tp_report *rep;
	tp_probe_done_fn done;
	void *arg;
};

/* tp_probe_all's callback: the caller's first, then the report kept, findings and all. */
static void keep_report(size_t i, struct tp_resolver_report *rr, void *arg)
{
	struct keep *k = arg;
	if (k->done)
		k->done(i, rr, k->arg);
	k->rep->resolvers[i] = *rr;
	rr->findings = NULL;
}

int tp_probe_all(const struct tp_target *t, size_t n, const struct tp_probe_plan *p,
		 struct tp_report *rep, char *err, size_t errlen)
{
	return tp_probe_all_done(t, n, p, rep, NULL, NULL, err, errlen);
}

int tp_probe_all_done(const struct tp_target *t, size_t n, const struct tp_probe_plan *p,
		      struct tp_report *rep, tp_probe_done_fn done, void *arg, char *err,
		      size_t errlen)
{
	double t0 = tp_now();
	rep->resolvers = calloc(n ? n : 1, sizeof *rep->resolvers);
	if (!rep->resolvers) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rep->n = n;
	/* Every target at once, each with the whole deadline: a resolver that takes its time
	 * (BIND resolving a fetch loop an attack made) then delays no other. Each worker
	 * writes only its own report; the libunbound contexts are made and freed under
	 * verify.c's lock. */
	struct keep k = {.rep = rep, .done = done, .arg = arg};
	struct tp_pool_opts po = {.parallel = TP_PROBE_PARALLEL, .done = keep_report, .arg = &k};
	struct tp_pool_stats st;
	if (tp_probe_pool(t, n, p, &po, &st, err, errlen) != 0)
		return -1;
	size_t skipped = 0;
	for (size_t i = 0; (p->zone == NULL || !*p->zone) && i < p->cat->n; i++)
		skipped += p->selected[i] && p->cat->cases[i].needs_zone &&
			   (!p->cat->cases[i].lab_only || p->lab);
	rep->n_skipped_no_zone = skipped;
	rep->duration_s = tp_now() - t0;
	return 0;
}
