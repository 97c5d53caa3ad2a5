/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* test_catalog: the case catalogue parser, selection and query building. Reads the real
 * testvectors/cases (directory from env TP_VECTORS) and small catalogues written to a
 * temporary file. No network. */
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

static const char *vectors(void)
{
	const char *v = getenv("TP_VECTORS");
	return v && *v ? v : "testvectors";
}

static int load_real(struct tp_catalog *cat)
{
	char path[512], err[512];
	int rc;
	snprintf(path, sizeof path, "%s/cases", vectors());
	rc = tp_catalog_load(path, cat, err, sizeof err);
	if (rc)
		print_error("%s\n", err);
	return rc;
}

/* Writes text to a fresh temporary file; path receives its name. */
static void write_tmp(const char *text, char *path, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	int fd;
	snprintf(path, len, "%s/tp_catalog_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* Loads text; expects failure with "<path>:<line>: " and want in the message. */
static void expect_error(const char *text, unsigned line, const char *want)
{
	char path[256], err[512], prefix[300];
	struct tp_catalog cat;
	int rc;

	write_tmp(text, path, sizeof path);
	rc = tp_catalog_load(path, &cat, err, sizeof err);
	unlink(path);
	assert_int_equal(rc, -1);
	assert_int_equal(cat.n, 0);
	assert_null(cat.cases);
	snprintf(prefix, sizeof prefix, "%s:%u: ", path, line);
	if (strncmp(err, prefix, strlen(prefix)) || !strstr(err, want))
		fail_msg("error '%s' lacks '%s' or '%s'", err, prefix, want);
}

#define GOOD "case a.b\n group validation\n query www.alg13 A rd do\n" \
	     " pass rcode=NOERROR ad=1\n reason r\n source RFC 1\n"

static void test_real_catalogue(void **state)
{
	static const char *required[] = {
		"transport.udp", "transport.tcp", "transport.edns0", "transport.do",
		"transport.tcp-after-tc", "validation.ad-secure", "validation.rrsig",
		"validation.dnskey", "validation.ds", "validation.bogus-sig", "validation.expired",
		"validation.notyet", "validation.ds-mismatch", "validation.bogus-cd",
		"validation.insecure", "validation.unknown-alg", "validation.alg8",
		"validation.alg13", "validation.alg14", "validation.alg15", "validation.alg16",
		"validation.nsec3-iter151", "validation.dname", "validation.unknown-type",
		"denial.nxdomain-nsec", "denial.nxdomain-nsec3", "denial.nodata-nsec",
		"denial.nodata-nsec3", "denial.optout", "dane.tlsa", "dane.notlsa", "dane.cname",
		"dane.dname", "root-trust.dnskey", "ad-path.do", "ad-path.ad-query",
		"validation.wildcard", "denial.wildcard-nodata", "denial.expired-nxdomain",
		"denial.expired-nodata", "denial.notyet-nxdomain", "denial.notyet-nodata",
		"denial.ds-mismatch-nxdomain", "denial.ds-mismatch-nodata", "denial.bogus-sig-denied",
	};
	static const char *essential[] = {
		"transport.udp", "validation.ad-secure", "validation.bogus-sig",
		"validation.expired", "validation.notyet", "validation.ds-mismatch",
		"denial.nxdomain-nsec", "denial.nxdomain-nsec3", "dane.tlsa", "root-trust.dnskey",
	};
	struct tp_catalog cat;
	int groups[TP_G_COUNT] = { 0 };
	size_t i;
	(void)state;

	assert_int_equal(load_real(&cat), 0);
	for (i = 0; i < sizeof required / sizeof required[0]; i++) {
		const struct tp_case *c = tp_catalog_find(&cat, required[i]);
		char prefix[TP_ID_MAX];
		if (!c)
			fail_msg("case %s missing", required[i]);
		/* the id's prefix is its group */
		snprintf(prefix, sizeof prefix, "%s", required[i]);
		*strchr(prefix, '.') = '\0';
		assert_int_equal(tp_group_parse(prefix), (int)c->group);
	}
	for (i = 0; i < sizeof essential / sizeof essential[0]; i++)
		assert_true(tp_catalog_find(&cat, essential[i])->essential);
	for (i = 0; i < cat.n; i++)
		groups[cat.cases[i].group]++;
	for (i = 0; i < TP_G_COUNT; i++)
		if (!groups[i])
			fail_msg("group %s has no case", tp_group_name((enum tp_group)i));

	/* a few details of the parsed content */
	{
		const struct tp_case *c = tp_catalog_find(&cat, "transport.tcp-after-tc");
		assert_int_equal(c->n_queries, 1);
		assert_string_equal(c->queries[0].label, "");
		assert_int_equal(c->queries[0].bufsize, 1232);
		assert_int_equal(c->queries[0].qtype, LDNS_RR_TYPE_TLSA);
		assert_true(c->needs_zone);
		assert_true(c->queries[0].needs_zone);
		c = tp_catalog_find(&cat, "root-trust.dnskey");
		assert_false(c->needs_zone);
		assert_int_equal(c->queries[0].qflags, TP_Q_RD | TP_Q_DO);
		c = tp_catalog_find(&cat, "validation.unknown-type");
		assert_int_equal(c->queries[0].qtype, 20000);
		c = tp_catalog_find(&cat, "validation.alg15");
		assert_int_equal(c->matrix_alg, 15);
		assert_int_equal(c->matrix_digest, 2);
		assert_int_equal(c->rules[1].status, TP_PASS); /* RECOMMENDED: insecure passes */
		assert_string_equal(c->rules[1].note, "algorithm 15 not supported: insecure "
				    "(RFC 8624 3.1: RECOMMENDED, not required)");
		c = tp_catalog_find(&cat, "validation.expired");
		assert_int_equal(c->n_ede_suggest, 1);
		assert_int_equal(c->ede_suggest[0], 7); /* RFC 8914 4.8, Signature Expired */
		assert_int_equal(c->matrix_alg, 0);
		/* the algorithm matrix: every signable algorithm by DS digests 1, 2 and 4, the
		 * unknowns, each cell once (the parser refuses a second) */
		static const unsigned algs[] = {1, 3, 5, 6, 7, 8, 10, 13, 14, 15, 16};
		size_t cells = 0;
		for (i = 0; i < cat.n; i++)
			cells += cat.cases[i].matrix_alg != 0;
		assert_int_equal(cells, 11 * 3 + 3);
		for (i = 0; i < sizeof algs / sizeof algs[0]; i++)
			for (unsigned d = 1; d <= 4; d++) {
				size_t k;
				for (k = 0; k < cat.n && !(cat.cases[k].matrix_alg == algs[i] &&
							   cat.cases[k].matrix_digest == d); k++)
					;
				if ((k < cat.n) != (d != 3))
					fail_msg("matrix cell %u %u: %s", algs[i], d,
						 k < cat.n ? "unexpected" : "missing");
			}
		c = tp_catalog_find(&cat, "transport.tcp");
		assert_true(c->queries[0].qflags & TP_Q_TCP);
	}
	tp_catalog_free(&cat);
	assert_int_equal(cat.n, 0);
}

static void test_good_minimal(void **state)
{
	char path[256], err[256];
	struct tp_catalog cat;
	(void)state;
	write_tmp("# comment\n\n" GOOD "  essential yes # trailing\n else warn\n"
		  " warn rcode=SERVFAIL -- a note: with colon\n", path, sizeof path);
	assert_int_equal(tp_catalog_load(path, &cat, err, sizeof err), 0);
	unlink(path);
	assert_int_equal(cat.n, 1);
	assert_string_equal(cat.cases[0].id, "a.b");
	assert_int_equal(cat.cases[0].line, 3);
	assert_true(cat.cases[0].essential);
	assert_int_equal(cat.cases[0].otherwise, TP_WARN);
	assert_int_equal(cat.cases[0].n_rules, 2);
	assert_int_equal(cat.cases[0].rules[0].n_atoms, 2);
	assert_string_equal(cat.cases[0].rules[1].note, "a note: with colon");
	tp_catalog_free(&cat);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("case a.b\n group bogus\n", 2, "unknown group 'bogus'");
	expect_error("case a.b\n group dane\n query www A rd fast\n", 3,
		     "unknown query flag 'fast'");
	expect_error("case a.b\n group dane\n query www A rd\n pass rcode=NOSUCH\n", 4,
		     "bad rcode 'NOSUCH'");
	expect_error(GOOD GOOD, 7, "duplicate case id 'a.b' (first at line 1)");
	expect_error("case a.b\n group dane\n query www A\n warn rcode=NOERROR\n"
		     " reason r\n source s\n", 1, "has no pass rule");
	expect_error("case a.b\n group dane\n query www A\n reason r\n source s\n"
		     "case c.d\n", 1, "has no pass rule");
	expect_error("case a.b\n group dane\n query www A\n pass rcode=NOERROR\n source s\n", 1,
		     "has no reason");
	expect_error("case a.b\n group dane\n pass rcode=NOERROR\n reason r\n source s\n", 1,
		     "has no query");
	expect_error("group dane\n", 1, "outside a case");
	expect_error("case a.b\n frobnicate\n", 2, "unknown directive 'frobnicate'");
	expect_error("case a.b\n group dane\n query www NOTATYPE\n", 3, "unknown RR type");
	expect_error("case a.b\n query www A noedns do\n", 2, "noedns cannot go with do");
	expect_error("case a.b\n query www A bufsize=12\n", 2, "bufsize=");
	expect_error("case a.b\n pass ad=2\n", 2, "ad= takes 0 or 1");
	expect_error("case a.b\n pass rcode=NOERROR color=red\n", 2, "unknown pattern atom 'color'");
	expect_error("case a.b\n pass rcode=NOERROR --\n", 2, "empty note");
	expect_error("case a.b\n pass -- only a note\n", 2, "empty pattern");
	expect_error("case Bad!\n", 1, "bad case id");
	expect_error("case a.b\n else pass\n", 2, "else takes fail or warn");
	expect_error("case a.b\n query www..x A\n", 2, "bad query name");
}

#define V2 "case denial.x\n group denial\n reason r\n source s\n"

static void test_v2_good(void **state)
{
	char path[256], err[256];
	struct tp_catalog cat;
	const struct tp_case *c;
	(void)state;
	write_tmp(V2 " query fwd {rand}.expired A rd do\n"
		  " query ctl {rand}.expired A rd do cd\n"
		  " fail fwd:rcode=NXDOMAIN -- forged\n"
		  " warn fwd:rcode=SERVFAIL fwd:ede=22 ctl:!rcode=NXDOMAIN\n"
		  " skip ctl:!rcode=NXDOMAIN -- control failed: unreachable\n"
		  " pass fwd:rcode=SERVFAIL\n"
		  " lab-only yes\n"
		  "case root-trust.sentinel\n group root-trust\n reason r\n source s\n"
		  " query is root-key-sentinel-is-ta-{ksk_current}.test. A rd\n"
		  " query not root-key-sentinel-not-ta-{ksk_next} A rd\n"
		  " pass is:rcode=NOERROR not:rcode=SERVFAIL\n"
		  "case a.v1\n group dane\n query www A\n pass !rcode=SERVFAIL -- x\n"
		  " reason r\n source s\n warn rcode=SERVFAIL ede=6\n"
		  " matrix 253 100\n ede 1 2\n", path, sizeof path);
	if (tp_catalog_load(path, &cat, err, sizeof err))
		fail_msg("%s", err);
	unlink(path);
	assert_int_equal(cat.n, 0 + 3);

	c = &cat.cases[0];
	assert_int_equal(c->n_queries, 2);
	assert_string_equal(c->queries[0].label, "fwd");
	assert_string_equal(c->queries[1].label, "ctl");
	assert_false(c->queries[0].control);
	assert_true(c->queries[1].control);
	assert_string_equal(c->queries[0].qname, "{rand}.expired");
	assert_int_equal(c->queries[0].vars, TP_VAR_RAND);
	assert_int_equal(c->vars, TP_VAR_RAND);
	assert_true(c->needs_zone);
	assert_int_equal(c->queries[1].qflags, TP_Q_RD | TP_Q_DO | TP_Q_CD);
	assert_int_equal(c->queries[1].line, 6);
	assert_true(c->lab_only);
	assert_int_equal(c->n_rules, 4);
	assert_int_equal(c->rules[0].status, TP_FAIL);
	assert_int_equal(c->rules[0].line, 7);
	assert_int_equal(c->rules[1].status, TP_WARN);
	assert_int_equal(c->rules[1].n_atoms, 3);
	assert_int_equal(c->rules[1].atoms[1].kind, TP_AT_EDE);
	assert_int_equal(c->rules[1].atoms[1].value, 22);
	assert_int_equal(c->rules[1].atoms[1].q, 0);
	assert_int_equal(c->rules[1].atoms[2].q, 1);
	assert_true(c->rules[1].atoms[2].negate);
	assert_false(c->rules[1].atoms[0].negate);
	assert_int_equal(c->rules[2].status, TP_SKIP);
	assert_string_equal(c->rules[2].note, "control failed: unreachable");
	assert_int_equal(c->rules[2].atoms[0].q, 1);
	{
		char d[128];
		tp_rule_describe(c, &c->rules[1], d, sizeof d);
		assert_string_equal(d, "fwd: SERVFAIL, EDE 22, ctl: not NXDOMAIN");
	}

	c = &cat.cases[1];
	assert_int_equal(c->vars, TP_VAR_KSK_CURRENT | TP_VAR_KSK_NEXT);
	assert_false(c->queries[0].needs_zone); /* absolute, with a variable */
	assert_true(c->queries[1].needs_zone);
	assert_true(c->needs_zone);
	assert_false(c->lab_only);
	assert_int_equal(c->rules[0].atoms[1].q, 1);

	assert_int_equal(c->matrix_alg, 0);
	assert_int_equal(c->n_ede_suggest, 0);

	/* v1: one unlabelled query; unprefixed atoms test it */
	c = &cat.cases[2];
	assert_int_equal(c->matrix_alg, 253);
	assert_int_equal(c->matrix_digest, 100);
	assert_int_equal(c->n_ede_suggest, 2);
	assert_int_equal(c->ede_suggest[1], 2);
	assert_int_equal(c->n_queries, 1);
	assert_string_equal(c->queries[0].label, "");
	assert_false(c->queries[0].control);
	assert_true(c->rules[0].atoms[0].negate);
	assert_int_equal(c->rules[0].atoms[0].q, 0);
	{
		char d[128];
		tp_rule_describe(c, &c->rules[0], d, sizeof d);
		assert_string_equal(d, "not SERVFAIL");
	}
	tp_catalog_free(&cat);
}

static void test_v2_malformed(void **state)
{
	(void)state;
	expect_error(V2 " query {foo}.x A\n", 5,
		     "unknown variable '{foo}' in query name '{foo}.x' (known: {rand}");
	expect_error(V2 " query fwd a.{rand A\n", 5, "unknown variable '{rand' in query name 'a.{rand'");
	expect_error(V2 " query a.}x A\n", 5, "unknown variable '}'");
	expect_error(V2 " query fwd www A\n pass fwd:rcode=NOERROR\n pass xyz:rcode=NOERROR\n",
		     7, "atom prefix 'xyz:' names no query of case 'denial.x'");
	expect_error(V2 " query fwd www A\n query www A\n", 6,
		     "labelled and unlabelled queries in one case");
	expect_error(V2 " query www A\n query www TXT\n", 6, "query given twice");
	expect_error(V2 " query fwd www A\n query fwd www TXT\n", 6,
		     "query label 'fwd' given twice");
	expect_error(V2 " query a w A\n query b w A\n query c w A\n query d w A\n query e w A\n",
		     9, "more than 4 queries in a case");
	expect_error(V2 " query www A\n pass rcode=SERVFAIL ede=6\n", 6,
		     "ede= in a pass rule");
	expect_error(V2 " query www A\n warn ede=six\n", 6, "ede= takes an INFO-CODE");
	expect_error(V2 " query www A\n warn ede=70000\n", 6, "ede= takes an INFO-CODE");
	expect_error(V2 " query Fwd www A\n", 5, "bad query label 'Fwd'");
	expect_error(V2 " query fwd www A\n pass Fwd:rcode=NOERROR\n", 6,
		     "bad query label 'Fwd' in an atom");
	expect_error(V2 " query fwd www.alg13\n", 5, "unknown RR type 'www.alg13'");
	expect_error(V2 " lab-only maybe\n", 5, "lab-only takes yes or no");
	expect_error(V2 " lab-only yes\n lab-only no\n", 6, "lab-only given twice");
	expect_error(V2 " query www A\n pass rcode=NOERROR !rcode=NOERROR\n", 6,
		     "atom 'rcode' given twice");
	expect_error(V2 " query www A\n pass !bogus=1\n", 6, "unknown pattern atom 'bogus'");
	expect_error(V2 " query fwd www A\n skip fwd:\n", 6, "unknown pattern atom ''");
	expect_error(V2 " query www A\n skip rcode=SERVFAIL\n", 1, "has no pass rule");
	/* matrix and ede: the cell and the suggested codes, each at most once */
	static const struct { const char *text; unsigned line; const char *want; } bad[] = {
		{V2 " matrix 13\n", 5, "matrix takes an algorithm and a DS digest type"},
		{V2 " matrix 13 2 4\n", 5, "matrix takes"},
		{V2 " matrix 0 2\n", 5, "matrix takes"},
		{V2 " matrix 13 256\n", 5, "matrix takes"},
		{V2 " matrix 13 2\n matrix 13 2\n", 6, "matrix given twice"},
		{V2 " query www A\n pass rcode=NOERROR\n matrix 8 1\ncase denial.y\n matrix 8 1\n", 9,
		 "matrix cell 8 1 already taken by case 'denial.x'"},
		{V2 " ede\n", 5, "ede needs an INFO-CODE"},
		{V2 " ede 6 7 8\n", 5, "ede takes at most 2 codes"},
		{V2 " ede nine\n", 5, "ede takes INFO-CODEs 0..65535"},
		{V2 " ede 65536\n", 5, "ede takes INFO-CODEs"},
		{V2 " ede 6\n ede 7\n", 6, "ede given twice"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_error(bad[i].text, bad[i].line, bad[i].want);
}

static void test_unreadable_and_empty(void **state)
{
	char path[256], err[256];
	struct tp_catalog cat;
	(void)state;
	assert_int_equal(tp_catalog_load("/nonexistent/cases", &cat, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/cases: "));
	write_tmp("# nothing\n", path, sizeof path);
	assert_int_equal(tp_catalog_load(path, &cat, err, sizeof err), -1);
	unlink(path);
	assert_non_null(strstr(err, "no cases"));
}

static void test_select(void **state)
{
	struct tp_catalog cat;
	int *sel;
	size_t i, n, nval = 0;
	(void)state;
	assert_int_equal(load_real(&cat), 0);
	sel = calloc(cat.n, sizeof *sel);
	assert_non_null(sel);

	assert_int_equal(tp_catalog_select(&cat, NULL, sel), cat.n);
	for (i = 0; i < cat.n; i++)
		assert_int_equal(sel[i], 1);

	n = tp_catalog_select(&cat, "validation.*", sel);
	for (i = 0; i < cat.n; i++) {
		int is_val = cat.cases[i].group == TP_G_VALIDATION;
		assert_int_equal(sel[i], is_val);
		nval += (size_t)is_val;
	}
	assert_int_equal(n, nval);
	assert_true(n >= 19);

	n = tp_catalog_select(&cat, "*bogus*", sel);
	assert_int_equal(n, 4); /* validation.bogus-sig, validation.bogus-cd, denial.bogus-sig-denied,
				 * ad-path.bogus-no-do */
	assert_int_equal(sel[tp_catalog_find(&cat, "validation.bogus-sig") - cat.cases], 1);
	assert_int_equal(sel[tp_catalog_find(&cat, "denial.bogus-sig-denied") - cat.cases], 1);
	assert_int_equal(sel[tp_catalog_find(&cat, "validation.bogus-cd") - cat.cases], 1);

	assert_int_equal(tp_catalog_select(&cat, "nomatch.*", sel), 0);
	for (i = 0; i < cat.n; i++)
		assert_int_equal(sel[i], 0);
	free(sel);
	tp_catalog_free(&cat);
}

static void zero_rand(void *ctx, unsigned char *buf, size_t n)
{
	(void)ctx;
	memset(buf, 0, n);
}

/* The query the plan builds for case c under zone: 0 with *q filled; 1 when c is skipped
 * for want of a zone; -1 when it is skipped for another reason (in err). */
static int case_query(const struct tp_catalog *cat, const struct tp_case *c, const char *zone,
		      struct tp_query *q, char *err, size_t errlen)
{
	int *sel = calloc(cat->n, sizeof *sel);
	struct tp_plan_env env = { .zone = zone, .rand_bytes = zero_rand };
	struct tp_plan pl;
	int rc;
	assert_non_null(sel);
	sel[c - cat->cases] = 1;
	assert_int_equal(tp_plan_build(cat, sel, &env, &pl, err, errlen), 0);
	free(sel);
	assert_int_equal(pl.n_cases, 1);
	memset(q, 0, sizeof *q);
	if (pl.cases[0].skip) {
		rc = pl.cases[0].no_zone ? 1 : -1;
		snprintf(err, errlen, "%s", pl.cases[0].why);
	} else {
		*q = pl.queries[pl.cases[0].qi[0]];
		rc = 0;
	}
	tp_plan_free(&pl);
	return rc;
}

static void test_case_query(void **state)
{
	struct tp_catalog cat;
	struct tp_query q;
	char err[256];
	const struct tp_case *c;
	(void)state;
	assert_int_equal(load_real(&cat), 0);

	c = tp_catalog_find(&cat, "validation.bogus-sig");
	assert_int_equal(case_query(&cat, c, "test.", &q, err, sizeof err), 0);
	assert_string_equal(q.qname, "www.bogus-sig.test.");
	assert_int_equal(q.qtype, LDNS_RR_TYPE_A);
	assert_int_equal(q.flags, TP_Q_RD | TP_Q_DO);
	assert_int_equal(case_query(&cat, c, "Lab.Example", &q, err, sizeof err), 0);
	assert_string_equal(q.qname, "www.bogus-sig.Lab.Example.");
	/* no zone: skip */
	assert_int_equal(case_query(&cat, c, NULL, &q, err, sizeof err), 1);
	assert_int_equal(case_query(&cat, c, "", &q, err, sizeof err), 1);
	assert_string_equal(err, TP_SKIP_NO_ZONE);

	/* absolute names need no zone */
	c = tp_catalog_find(&cat, "root-trust.dnskey");
	assert_int_equal(case_query(&cat, c, NULL, &q, err, sizeof err), 0);
	assert_string_equal(q.qname, ".");
	assert_int_equal(q.qtype, LDNS_RR_TYPE_DNSKEY);
	assert_int_equal(case_query(&cat, c, "test.", &q, err, sizeof err), 0);
	assert_string_equal(q.qname, ".");

	c = tp_catalog_find(&cat, "transport.tcp-after-tc");
	assert_int_equal(case_query(&cat, c, "test", &q, err, sizeof err), 0);
	assert_string_equal(q.qname, "_25._tcp.big.dane.test.");
	assert_int_equal(q.bufsize, 1232);

	/* too long under a long zone */
	{
		char zone[260];
		size_t i;
		for (i = 0; i < 4; i++) { /* 4 labels of 60: 244 octets */
			memset(zone + i * 61, 'a', 60);
			zone[i * 61 + 60] = '.';
		}
		zone[244] = '\0';
		assert_int_equal(case_query(&cat, c, zone, &q, err, sizeof err), -1);
		assert_non_null(strstr(err, "transport.tcp-after-tc"));
	}
	tp_catalog_free(&cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_catalogue),
		cmocka_unit_test(test_good_minimal),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_v2_good),
		cmocka_unit_test(test_v2_malformed),
		cmocka_unit_test(test_unreadable_and_empty),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_case_query),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
