/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* test_compare: the resolver's answer beside the independent validator's (compare.h),
 * with the real catalogue's cases and reply packets built here. The validator's answers
 * are given as values: this tests what the probe asks and what it concludes, not
 * libunbound (tests/lab/57-verify.t does that against real resolvers). No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "compare.h"
#include "reply.h"

/* One judged answer r for case id, with the finding the case rules gave (status st). The
 * case's other queries (controls) get the same answer. */
struct one {
	const struct tp_case *c;
	struct tp_observation obs[TP_QUERIES_MAX];
	const struct tp_observation *ptr[TP_QUERIES_MAX];
	const char *names[TP_QUERIES_MAX];
	struct tp_finding f;
};

static void one_make(struct one *o, const char *id, const struct reply *r, enum tp_status st)
{
	memset(o, 0, sizeof *o);
	o->c = get(id);
	for (size_t k = 0; k < o->c->n_queries; k++) {
		observe(r, &o->obs[k]);
		o->ptr[k] = &o->obs[k];
		o->names[k] = r->qname;
	}
	snprintf(o->f.id, sizeof o->f.id, "%s", id);
	o->f.group = o->c->group;
	o->f.essential = o->c->essential;
	o->f.status = st;
	snprintf(o->f.reason, sizeof o->f.reason, "the case's own reason");
}

static void one_free(struct one *o)
{
	for (size_t k = 0; k < o->c->n_queries; k++)
		tp_observation_clear(&o->obs[k]);
}

static enum tp_compare_ask ask_of(const char *id, const struct reply *r, enum tp_status st)
{
	struct one o;
	one_make(&o, id, r, st);
	struct tp_compare_q q = tp_compare_plan(o.c, o.ptr, o.names, &o.f);
	one_free(&o);
	return q.ask;
}

static const struct reply secure_ad = {"www.alg13.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, 2,
				       {"an:www.alg13.test. 3600 IN A 192.0.2.1", NULL}};

/* AD on positive data of the type asked is compared; AD that the validator finds bogus
 * fails the case whatever its rules said, and the reason leads with it. */
static void test_ad_bogus_fails(void **state)
{
	(void)state;
	struct one o;
	one_make(&o, "validation.ad-secure", &secure_ad, TP_PASS);
	struct tp_compare_q q = tp_compare_plan(o.c, o.ptr, o.names, &o.f);
	assert_int_equal(q.ask, TP_CMP_AD);
	assert_int_equal(q.k, 0);
	tp_compare_apply(&q, TP_VERIFIED_BOGUS, "signature crypto failed", &o.f);
	assert_int_equal(o.f.status, TP_FAIL);
	assert_int_equal(o.f.verified, TP_VERIFIED_BOGUS);
	assert_non_null(strstr(o.f.reason, "AD set on data that the independent validator "
					   "finds bogus (signature crypto failed)"));
	assert_non_null(strstr(o.f.reason, "the case's own reason"));
	one_free(&o);
}

/* Secure or insecure per the validator: the case's result stands, the JSON says what the
 * validator found. A validator with no answer (an error) changes nothing either. */
static void test_ad_secure_stands(void **state)
{
	(void)state;
	const enum tp_verified xs[] = {TP_VERIFIED_SECURE, TP_VERIFIED_INSECURE, TP_VERIFIED_NONE};
	for (size_t i = 0; i < 3; i++) {
		struct one o;
		one_make(&o, "validation.ad-secure", &secure_ad, TP_PASS);
		struct tp_compare_q q = tp_compare_plan(o.c, o.ptr, o.names, &o.f);
		tp_compare_apply(&q, xs[i], NULL, &o.f);
		assert_int_equal(o.f.status, TP_PASS);
		assert_int_equal(o.f.verified, (int)xs[i]);
		assert_string_equal(o.f.reason, "the case's own reason");
		one_free(&o);
	}
}

/* Not compared: AD clear, a NODATA, a DNAME chain, a sentinel name, a skipped case. */
static void test_not_compared(void **state)
{
	(void)state;
	struct reply r = secure_ad;
	r.ad = 0;
	assert_int_equal(ask_of("validation.ad-secure", &r, TP_FAIL), TP_CMP_NONE);
	struct reply nodata = {"www.alg13.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, 2,
			       {"ns:alg13.test. 3600 IN SOA ns.alg13.test. h.alg13.test. 1 2 3 4 5",
				NULL}};
	assert_int_equal(ask_of("validation.ad-secure", &nodata, TP_FAIL), TP_CMP_NONE);
	struct reply other = {"www.alg13.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, 2,
			      {"an:www.alg13.test. 3600 IN TXT \"not an A\"", NULL}};
	assert_int_equal(ask_of("validation.ad-secure", &other, TP_FAIL), TP_CMP_NONE);
	struct reply dname = {"_25._tcp.alias.dane.test.", LDNS_RR_TYPE_TLSA, LDNS_RCODE_NOERROR, 1, 2,
			      {"an:alias.dane.test. 3600 IN DNAME mx.dane.test.",
			       "an:_25._tcp.alias.dane.test. 3600 IN CNAME _25._tcp.mx.dane.test.",
			       "an:_25._tcp.mx.dane.test. 3600 IN TLSA 3 1 1 "
			       "308EA8D592078A2100E43A0537AF52495F615D8B5058787E926EDC0C6FBCEA98",
			       NULL}};
	assert_int_equal(ask_of("validation.dname", &dname, TP_PASS), TP_CMP_NONE);
	struct reply sent = {"root-key-sentinel-is-ta-20326.test.", LDNS_RR_TYPE_A,
			     LDNS_RCODE_NOERROR, 1, 2,
			     {"an:root-key-sentinel-is-ta-20326.test. 3600 IN A 192.0.2.1", NULL}};
	assert_int_equal(ask_of("root-trust.sentinel-current", &sent, TP_PASS), TP_CMP_NONE);
	assert_int_equal(ask_of("validation.ad-secure", &secure_ad, TP_SKIP), TP_CMP_NONE);
	/* the same answer is compared when nothing of the above holds (the positive control
	 * of this test: the exclusions are what made the difference) */
	assert_int_equal(ask_of("validation.ad-secure", &secure_ad, TP_FAIL), TP_CMP_AD);
}

/* A case with a control first: the judged query is the first that is not a control, and AD
 * on positive data there is compared in the denial group too (a forged answer). */
static void test_judged_query(void **state)
{
	(void)state;
	const char *id = "denial.atk-a1-wildcard-nsec-as-nxdomain";
	struct reply r = {"x.atk-a1.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, 2,
			  {"an:x.atk-a1.test. 3600 IN A 192.0.2.66", NULL}};
	struct one o;
	one_make(&o, id, &r, TP_PASS);
	assert_true(o.c->n_queries >= 2);
	assert_true(o.c->queries[0].control);
	struct tp_compare_q q = tp_compare_plan(o.c, o.ptr, o.names, &o.f);
	assert_int_equal(q.ask, TP_CMP_AD);
	assert_int_equal(q.k, 1);
	one_free(&o);
}

static const struct reply servfail = {"www.alg13.test.", LDNS_RR_TYPE_A, LDNS_RCODE_SERVFAIL, 0,
				      2, {NULL}};

/* SERVFAIL where an essential case wanted data: compared; data that validates marks the
 * finding (still a failure), data that does not leaves it as it was. */
static void test_servfail(void **state)
{
	(void)state;
	struct one o;
	one_make(&o, "validation.ad-secure", &servfail, TP_FAIL);
	struct tp_compare_q q = tp_compare_plan(o.c, o.ptr, o.names, &o.f);
	assert_int_equal(q.ask, TP_CMP_SERVFAIL);
	tp_compare_apply(&q, TP_VERIFIED_SECURE, NULL, &o.f);
	assert_int_equal(o.f.status, TP_FAIL);
	assert_int_equal(o.f.verified, TP_VERIFIED_SECURE);
	assert_non_null(strstr(o.f.reason, "SERVFAIL on data that validates against the probe's anchor"));
	one_free(&o);

	one_make(&o, "validation.ad-secure", &servfail, TP_FAIL);
	q = tp_compare_plan(o.c, o.ptr, o.names, &o.f);
	tp_compare_apply(&q, TP_VERIFIED_BOGUS, "no signatures", &o.f);
	assert_int_equal(o.f.status, TP_FAIL);
	assert_int_equal(o.f.verified, TP_VERIFIED_NONE);
	assert_string_equal(o.f.reason, "the case's own reason");
	one_free(&o);

	/* SERVFAIL the case wanted (bogus refused), or in the denial group: not compared */
	struct reply bs = servfail;
	bs.qname = "www.bogus-sig.test.";
	assert_int_equal(ask_of("validation.bogus-sig", &bs, TP_PASS), TP_CMP_NONE);
	struct reply dn = servfail;
	dn.qname = "nx.alg13.test.";
	assert_int_equal(ask_of("denial.nxdomain-nsec", &dn, TP_FAIL), TP_CMP_NONE);
	/* and a non-essential case that failed on SERVFAIL is not either */
	const struct tp_case *dnskey = get("validation.dnskey");
	if (!dnskey->essential) {
		struct reply dk = servfail;
		dk.qname = "alg13.test.";
		dk.qtype = LDNS_RR_TYPE_DNSKEY;
		assert_int_equal(ask_of("validation.dnskey", &dk, TP_FAIL), TP_CMP_NONE);
	}
}

/* A report with one finding marked "SERVFAIL on data that validates", and the two window
 * cases with the given results. */
static void cause_of(enum tp_status notyet, enum tp_status expired, char *out, size_t n,
		     char *other, size_t on)
{
	struct tp_finding fs[4];
	memset(fs, 0, sizeof fs);
	struct one o;
	one_make(&o, "validation.ad-secure", &servfail, TP_FAIL);
	struct tp_compare_q q = tp_compare_plan(o.c, o.ptr, o.names, &o.f);
	tp_compare_apply(&q, TP_VERIFIED_SECURE, NULL, &o.f);
	fs[0] = o.f;
	one_free(&o);
	snprintf(fs[1].id, sizeof fs[1].id, "validation.notyet");
	fs[1].status = notyet;
	snprintf(fs[2].id, sizeof fs[2].id, "validation.expired");
	fs[2].status = expired;
	snprintf(fs[3].id, sizeof fs[3].id, "validation.alg8");
	fs[3].status = TP_FAIL; /* failed, but not marked: left alone */
	snprintf(fs[3].reason, sizeof fs[3].reason, "SERVFAIL");
	tp_compare_cause(fs, 4);
	snprintf(out, n, "%s", fs[0].reason);
	snprintf(other, on, "%s", fs[3].reason);
}

static void test_cause(void **state)
{
	(void)state;
	char r[TP_REASON_MAX], other[TP_REASON_MAX];
	cause_of(TP_FAIL, TP_PASS, r, sizeof r, other, sizeof other);
	assert_non_null(strstr(r, "clock is ahead"));
	assert_non_null(strstr(r, "the case's own reason"));
	assert_string_equal(other, "SERVFAIL");
	cause_of(TP_PASS, TP_FAIL, r, sizeof r, other, sizeof other);
	assert_non_null(strstr(r, "clock is behind"));
	cause_of(TP_PASS, TP_PASS, r, sizeof r, other, sizeof other);
	assert_non_null(strstr(r, "trust anchor is the likely cause"));
	assert_null(strstr(r, "clock is ahead"));
	assert_null(strstr(r, "clock is behind"));
	/* a skipped window case is no evidence of a clock */
	cause_of(TP_SKIP, TP_SKIP, r, sizeof r, other, sizeof other);
	assert_non_null(strstr(r, "trust anchor is the likely cause"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ad_bogus_fails), cmocka_unit_test(test_ad_secure_stands),
		cmocka_unit_test(test_not_compared),   cmocka_unit_test(test_judged_query),
		cmocka_unit_test(test_servfail),       cmocka_unit_test(test_cause),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
