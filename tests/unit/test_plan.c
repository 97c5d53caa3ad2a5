/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * test_plan: the plan stage (plan.h) on small catalogues written to temporary files and on
 * the real one (env TP_VECTORS): variables, fresh names, dedupe, controls first, the socket
 * cap, and the skips it decides. The random source is a counter, so runs are repeatable.
 * No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog.h"
#include "plan.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void counter_rand(void *ctx, unsigned char *buf, size_t n)
{
	unsigned *c = ctx;
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)((*c)++);
}

static void load_text(const char *text, struct tp_catalog *cat)
{
	const char *tmp = getenv("TMPDIR");
	char path[256], err[512];
	int fd;
	snprintf(path, sizeof path, "%s/tp_plan_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	if (tp_catalog_load(path, cat, err, sizeof err))
		fail_msg("%s", err);
	unlink(path);
}

static void load_real(struct tp_catalog *cat)
{
	char path[512], err[512];
	const char *v = getenv("TP_VECTORS");
	snprintf(path, sizeof path, "%s/cases", v && *v ? v : "testvectors");
	if (tp_catalog_load(path, cat, err, sizeof err))
		fail_msg("%s", err);
}

static int *all(const struct tp_catalog *cat)
{
	int *sel = calloc(cat->n, sizeof *sel);
	assert_non_null(sel);
	for (size_t i = 0; i < cat->n; i++)
		sel[i] = 1;
	return sel;
}

static const struct tp_plan_case *pcase(const struct tp_plan *p, const char *id)
{
	for (size_t i = 0; i < p->n_cases; i++)
		if (!strcmp(p->cases[i].c->id, id))
			return &p->cases[i];
	fail_msg("no case %s in the plan", id);
	return NULL;
}

static const char *qname_of(const struct tp_plan *p, const char *id, size_t k)
{
	return p->queries[pcase(p, id)->qi[k]].qname;
}

#define TAIL "  pass rcode=NOERROR\n  reason r\n  source s\n"

static const char vars_text[] =
	"case a.rand\n  group denial\n  query fwd {rand}.wild A rd do\n"
	"  query ctl {rand}.wild A rd do cd\n" TAIL
	"case a.rand2\n  group denial\n  query x.{rand}.wild TXT rd do\n" TAIL
	"case a.sentinel\n  group root-trust\n"
	"  query is root-key-sentinel-is-ta-{ksk_current} A rd\n"
	"  query not root-key-sentinel-not-ta-{ksk_next} A rd\n" TAIL
	"case a.lab\n  group dane\n  lab-only yes\n  query www.alg13 A rd do\n" TAIL
	"case a.abs\n  group root-trust\n  query . DNSKEY rd do\n" TAIL;

static void test_variables(void **state)
{
	struct tp_catalog cat;
	struct tp_plan p, p2;
	unsigned ctr = 0;
	struct tp_plan_env env = { .zone = "test.", .lab = 1, .ksk_current = 20326,
				   .ksk_next = 5, .rand_bytes = counter_rand, .rand_ctx = &ctr };
	char err[256];
	int *sel;
	(void)state;

	load_text(vars_text, &cat);
	sel = all(&cat);
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p, err, sizeof err), 0);
	assert_int_equal(p.n_cases, 5);
	/* {rand}: "tp" + 10 of [a-z0-9] from the random source, the same within a case */
	assert_string_equal(qname_of(&p, "a.rand", 0), "tpabcdefghij.wild.test.");
	assert_string_equal(qname_of(&p, "a.rand", 1), "tpabcdefghij.wild.test.");
	assert_string_equal(qname_of(&p, "a.rand2", 0), "x.tpklmnopqrst.wild.test.");
	/* key tags: 5 zero-padded digits (RFC 8509) */
	assert_string_equal(qname_of(&p, "a.sentinel", 0),
			    "root-key-sentinel-is-ta-20326.test.");
	assert_string_equal(qname_of(&p, "a.sentinel", 1),
			    "root-key-sentinel-not-ta-00005.test.");
	assert_false(pcase(&p, "a.lab")->skip);
	assert_string_equal(qname_of(&p, "a.abs", 0), ".");

	/* a second run asks fresh names */
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p2, err, sizeof err), 0);
	assert_string_not_equal(qname_of(&p2, "a.rand", 0), qname_of(&p, "a.rand", 0));
	assert_string_not_equal(qname_of(&p2, "a.rand2", 0), qname_of(&p, "a.rand2", 0));
	tp_plan_free(&p2);
	tp_plan_free(&p);
	assert_null(p.queries);

	/* names from a seed (a comparison's two targets): the same seed, the same names; another
	 * seed, others */
	unsigned char seed[32] = {1}, other[32] = {2};
	struct tp_plan_seed s1 = {.seed = seed}, s2 = {.seed = seed}, s3 = {.seed = other};
	env.rand_bytes = tp_plan_seeded_rand;
	env.rand_ctx = &s1;
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p, err, sizeof err), 0);
	env.rand_ctx = &s2;
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p2, err, sizeof err), 0);
	assert_string_equal(qname_of(&p2, "a.rand", 0), qname_of(&p, "a.rand", 0));
	assert_string_equal(qname_of(&p2, "a.rand2", 0), qname_of(&p, "a.rand2", 0));
	assert_string_not_equal(qname_of(&p, "a.rand", 0), qname_of(&p, "a.rand2", 0) + 2);
	tp_plan_free(&p2);
	env.rand_ctx = &s3;
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p2, err, sizeof err), 0);
	assert_string_not_equal(qname_of(&p2, "a.rand", 0), qname_of(&p, "a.rand", 0));
	tp_plan_free(&p2);
	tp_plan_free(&p);

	/* outside a lab, without key tags, without a zone: skips with their reasons */
	env.lab = 0;
	env.ksk_next = 0;
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p, err, sizeof err), 0);
	assert_true(pcase(&p, "a.lab")->skip);
	assert_string_equal(pcase(&p, "a.lab")->why, TP_SKIP_LAB_ONLY);
	assert_true(pcase(&p, "a.sentinel")->skip);
	assert_string_equal(pcase(&p, "a.sentinel")->why, TP_SKIP_NO_KSK);
	assert_false(pcase(&p, "a.rand")->skip);
	tp_plan_free(&p);
	env.zone = NULL;
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p, err, sizeof err), 0);
	assert_true(pcase(&p, "a.rand")->skip);
	assert_true(pcase(&p, "a.rand")->no_zone);
	assert_string_equal(pcase(&p, "a.rand")->why, TP_SKIP_NO_ZONE);
	assert_false(pcase(&p, "a.lab")->no_zone); /* lab-only comes first */
	assert_false(pcase(&p, "a.abs")->skip);
	assert_int_equal(p.n_queries, 1);
	tp_plan_free(&p);

	/* a zone the preflight found unusable: the cases that need it skip with its reason,
	 * the zone-free ones run */
	env.zone = "nonexistent.example.";
	env.zone_unusable = "test zone nonexistent.example. not found: NXDOMAIN";
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p, err, sizeof err), 0);
	assert_true(pcase(&p, "a.rand")->skip);
	assert_true(pcase(&p, "a.rand")->no_zone);
	assert_string_equal(pcase(&p, "a.rand")->why,
			    "not run: test zone nonexistent.example. not found: NXDOMAIN");
	assert_true(pcase(&p, "a.rand2")->skip);
	assert_false(pcase(&p, "a.abs")->skip);
	assert_int_equal(p.n_queries, 1);
	tp_plan_free(&p);
	env.zone_unusable = NULL;

	/* no random source: the plan cannot be built */
	env.rand_bytes = NULL;
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p, err, sizeof err), -1);
	assert_int_equal(p.n_queries, 0);
	free(sel);
	tp_catalog_free(&cat);
}

static void test_dedupe_and_waves(void **state)
{
	struct tp_catalog cat;
	struct tp_plan p;
	unsigned ctr = 0;
	struct tp_plan_env env = { .zone = "test.", .rand_bytes = counter_rand, .rand_ctx = &ctr };
	char err[256];
	int *sel;
	size_t i, k;
	(void)state;

	load_real(&cat);
	sel = all(&cat);
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p, err, sizeof err), 0);
	assert_int_equal(p.max_open, TP_PLAN_MAX_OPEN);
	assert_int_equal(p.n_cases, cat.n);
	assert_true(p.n_queries < p.n_asked);

	/* www.alg13 A rd do is asked by four cases and sent once */
	{
		static const char *ids[] = { "validation.ad-secure", "validation.rrsig",
					     "validation.alg13", "ad-path.do" };
		size_t q = pcase(&p, ids[0])->qi[0], n = 0;
		for (i = 0; i < 4; i++)
			assert_int_equal(pcase(&p, ids[i])->qi[0], q);
		for (i = 0; i < p.n_queries; i++)
			n += !strcmp(p.queries[i].qname, "www.alg13.test.") &&
			     p.queries[i].qtype == LDNS_RR_TYPE_A &&
			     p.queries[i].flags == (TP_Q_RD | TP_Q_DO);
		assert_int_equal(n, 1);
	}
	/* no two queries of the plan are the same */
	for (i = 0; i < p.n_queries; i++)
		for (k = i + 1; k < p.n_queries; k++)
			assert_false(!strcasecmp(p.queries[i].qname, p.queries[k].qname) &&
				     p.queries[i].qtype == p.queries[k].qtype &&
				     p.queries[i].flags == p.queries[k].flags &&
				     p.queries[i].bufsize == p.queries[k].bufsize);
	/* two waves: the controls and every query that no controlled case judges first; the
	 * judged (fwd) queries of the cases with a control after them */
	assert_true(p.n_wave1 > 0);
	assert_true(p.n_wave1 < p.n_queries);
	for (i = 0; i < p.n_cases; i++) {
		const struct tp_plan_case *pc = &p.cases[i];
		int controlled = 0;
		if (pc->skip)
			continue; /* sends nothing (lab-only here): no query index */
		for (k = 0; k < pc->c->n_queries; k++)
			controlled |= pc->c->queries[k].control;
		for (k = 0; k < pc->c->n_queries; k++)
			if (pc->c->queries[k].control)
				assert_true(pc->qi[k] < p.n_wave1);
			else if (controlled)
				assert_true(pc->qi[k] >= p.n_wave1);
	}
	for (i = p.n_wave1; i < p.n_queries; i++) { /* the second wave holds nothing else */
		int judged = 0;
		for (size_t c = 0; c < p.n_cases; c++)
			for (k = 0; k < p.cases[c].c->n_queries; k++)
				judged |= p.cases[c].qi[k] == i && !p.cases[c].c->queries[k].control &&
					  p.cases[c].c->n_queries > 1;
		assert_true(judged);
	}
	assert_true(pcase(&p, "transport.udp")->qi[0] < p.n_wave1);
	/* a plain case that asks the judged query of a controlled one waits with it:
	 * www.alg13 A rd do is validation.alg13's fwd (the algorithm matrix) */
	assert_int_equal(pcase(&p, "validation.ad-secure")->qi[0],
			 pcase(&p, "validation.alg13")->qi[0]);
	assert_true(pcase(&p, "validation.ad-secure")->qi[0] >= p.n_wave1);
	/* a query that is a control in one case and plain in another goes in the first wave,
	 * once: www.bogus-sig A rd do cd (validation.bogus-cd, denial.bogus-sig-denied) */
	assert_int_equal(pcase(&p, "validation.bogus-cd")->qi[0],
			 pcase(&p, "denial.bogus-sig-denied")->qi[1]);
	assert_true(pcase(&p, "validation.bogus-cd")->qi[0] < p.n_wave1);
	/* and the fwd query it shares with validation.bogus-sig waits for the control */
	assert_int_equal(pcase(&p, "validation.bogus-sig")->qi[0],
			 pcase(&p, "denial.bogus-sig-denied")->qi[0]);
	assert_true(pcase(&p, "validation.bogus-sig")->qi[0] >= p.n_wave1);
	tp_plan_free(&p);

	/* the socket cap is the caller's when given */
	env.max_open = 3;
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p, err, sizeof err), 0);
	assert_int_equal(p.max_open, 3);
	tp_plan_free(&p);

	/* a selection: only its cases and their queries */
	memset(sel, 0, cat.n * sizeof *sel);
	sel[tp_catalog_find(&cat, "denial.expired-nxdomain") - cat.cases] = 1;
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p, err, sizeof err), 0);
	assert_int_equal(p.n_cases, 1);
	assert_int_equal(p.n_queries, 2);
	assert_int_equal(p.n_wave1, 1);
	assert_true(p.queries[0].flags & TP_Q_CD);
	assert_false(p.queries[1].flags & TP_Q_CD);
	assert_string_equal(p.queries[0].qname, p.queries[1].qname);
	tp_plan_free(&p);
	free(sel);
	tp_catalog_free(&cat);
}

/* Names are compared without regard to case; a name too long under the zone skips. */
static void test_case_blind_and_long(void **state)
{
	struct tp_catalog cat;
	struct tp_plan p;
	unsigned ctr = 0;
	struct tp_plan_env env = { .zone = "test.", .rand_bytes = counter_rand, .rand_ctx = &ctr };
	char err[256], zone[260];
	int *sel;
	(void)state;

	load_text("case a.one\n group dane\n query WWW.alg13 A rd do\n" TAIL
		  "case a.two\n group dane\n query www.ALG13 A rd do\n" TAIL
		  "case a.three\n group dane\n query www.alg13 A rd do tcp\n" TAIL, &cat);
	sel = all(&cat);
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p, err, sizeof err), 0);
	assert_int_equal(p.n_asked, 3);
	assert_int_equal(p.n_queries, 2); /* the tcp flag makes another query */
	assert_int_equal(p.n_wave1, 2); /* no control: one wave */
	assert_int_equal(p.cases[0].qi[0], p.cases[1].qi[0]);
	tp_plan_free(&p);
	for (size_t i = 0; i < 4; i++) {
		memset(zone + i * 61, 'a', 60);
		zone[i * 61 + 60] = '.';
	}
	memcpy(zone + 244, "bb.", 4); /* 247 octets: no room for www.alg13 */
	env.zone = zone;
	assert_int_equal(tp_plan_build(&cat, sel, &env, &p, err, sizeof err), 0);
	assert_true(p.cases[0].skip);
	assert_non_null(strstr(p.cases[0].why, "a.one: bad query name under zone"));
	assert_int_equal(p.n_queries, 0);
	tp_plan_free(&p);
	free(sel);
	tp_catalog_free(&cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_dedupe_and_waves),
		cmocka_unit_test(test_case_blind_and_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
