/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* test_preflight: the zone preflight (probe/preflight.c) against marker answers built with
 * ldns (reply.h: packet -> wire -> parsed back, as the query engine does): every outcome the
 * header lists, with the reason it gives. No network, no clock: "now" is fixed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "evaluate.h"
#include "preflight.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reply.h"

#define NOW 1767225600LL /* 2026-01-01 00:00:00 UTC */
#define DAY 86400LL

/* "an:<owner> 3600 IN RRSIG TXT 13 <labels> 3600 EXP INC 4711 <signer> AAAA" */
static char *rrsig(char *buf, size_t len, const char *owner, const char *signer, long long inc,
		   long long exp)
{
	char i[20], e[20];
	time_t ti = (time_t)inc, te = (time_t)exp;
	struct tm tm;
	strftime(i, sizeof i, "%Y%m%d%H%M%S", gmtime_r(&ti, &tm));
	strftime(e, sizeof e, "%Y%m%d%H%M%S", gmtime_r(&te, &tm));
	snprintf(buf, len, "an:%s 3600 IN RRSIG TXT 13 %d 3600 %s %s 4711 %s AAAA", owner,
		 strcmp(signer, ".") ? 2 : 1, e, i, signer);
	return buf;
}

/* Judges reply a to the marker query of zone (RA set unless nora, AA if aa), wanting
 * version want at NOW; checks status and reason. The qname and type are the query's. */
static void judge_flags(const char *zone, const struct reply *a, int nora, int aa, unsigned want,
			enum tp_preflight_status st, const char *needle, struct tp_preflight *pf)
{
	struct tp_query q;
	struct tp_observation obs;
	struct reply r = *a;
	assert_int_equal(tp_preflight_query(zone, &q), 0);
	r.qname = q.qname;
	r.qtype = LDNS_RR_TYPE_TXT;
	observe(&r, &obs);
	ldns_pkt_set_ra(obs.pkt, !nora);
	ldns_pkt_set_aa(obs.pkt, aa != 0);
	tp_preflight_judge(&obs, zone, want, NOW, pf);
	tp_observation_clear(&obs);
	if (pf->status != st || (needle && !strstr(pf->reason, needle)))
		fail_msg("%s: status %d, want %d (%s): %s", zone, pf->status, st,
			 needle ? needle : "", pf->reason);
	assert_int_equal(pf->zone_ok, st == TP_PF_OK);
	assert_null(strchr(pf->reason, '\n'));
}

static void judge(const char *zone, const struct reply *a, unsigned want,
		  enum tp_preflight_status st, const char *needle, struct tp_preflight *pf)
{
	judge_flags(zone, a, 0, 0, want, st, needle, pf);
}

/* A NOERROR reply with DO holding the marker TXT text and one RRSIG by test. over
 * [inc, exp] (its text goes to sig). */
static struct reply signed_marker(const char *text, char *sig, size_t len, long long inc,
				  long long exp)
{
	struct reply r = {NULL, LDNS_RR_TYPE_TXT, LDNS_RCODE_NOERROR, 0, 2, {text, NULL}};
	r.rrs[1] = rrsig(sig, len, "_trustprobe.test.", "test.", inc, exp);
	return r;
}

#define MARKER(v) "an:_trustprobe.test. 3600 IN TXT \"trustprobe-vectors " v "\""

static void test_query(void **state)
{
	struct tp_query q;
	char big[300];
	(void)state;
	assert_int_equal(tp_preflight_query("test.", &q), 0);
	assert_string_equal(q.qname, "_trustprobe.test.");
	assert_int_equal(q.qtype, LDNS_RR_TYPE_TXT);
	assert_int_equal(q.flags, TP_Q_RD | TP_Q_DO | TP_Q_CD);
	assert_int_equal(tp_preflight_query("tp.example.net", &q), 0);
	assert_string_equal(q.qname, "_trustprobe.tp.example.net.");
	assert_int_equal(tp_preflight_query(".", &q), 0);
	assert_string_equal(q.qname, "_trustprobe.");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(tp_preflight_query(big, &q), -1);
	assert_int_equal(tp_preflight_query("", &q), -1);
}

/* A trustprobe zone of the right version, signed by itself, within its window. */
static void test_good(void **state)
{
	char s1[200], s2[200];
	struct tp_preflight pf;
	struct reply a = signed_marker(MARKER("1"), s1, sizeof s1, NOW - 3600, NOW + 14 * DAY);
	(void)state;
	judge("test.", &a, 1, TP_PF_OK, "test zone test.: trustprobe vectors version 1, signed, "
	      "valid until 2026-01-15 00:00:00 UTC", &pf);
	assert_int_equal(pf.version, 1);
	assert_true(pf.sigs_checked);
	assert_true(pf.valid_until == NOW + 14 * DAY);
	assert_false(pf.zone_fault);
	judge("test", &a, 0, TP_PF_OK, NULL, &pf);        /* 0: any version; no final dot */
	judge("TEST.", &a, 1, TP_PF_OK, NULL, &pf);       /* names compare without case */
	/* during a key roll: one signature expired, the other valid */
	a.rrs[2] = rrsig(s2, sizeof s2, "_trustprobe.test.", "test.", NOW - 30 * DAY, NOW - DAY);
	judge("test.", &a, 1, TP_PF_OK, NULL, &pf);
	/* no DO in the reply: the resolver hands out no DNSSEC data, so the signatures cannot
	 * be read; the zone is taken, because such a resolver fails transport.do anyway */
	struct reply nodo = {NULL, LDNS_RR_TYPE_TXT, LDNS_RCODE_NOERROR, 0, 1, {MARKER("1"), NULL}};
	judge("test.", &nodo, 1, TP_PF_OK, "signatures not checked (the reply has no DO", &pf);
	assert_false(pf.sigs_checked);
	nodo.edns = 0;
	judge("test.", &nodo, 1, TP_PF_OK, "signatures not checked", &pf);
	struct reply soa = {".", LDNS_RR_TYPE_SOA, LDNS_RCODE_NOERROR, 0, 1,
			    {"an:. 86400 IN SOA a.root-servers.lab. h. 1 2 3 4 5", NULL}};
	struct tp_observation o;
	struct tp_finding f;
	observe(&soa, &o);
	tp_evaluate(get("transport.do"), &o, &f);
	tp_observation_clear(&o);
	assert_int_equal(f.status, TP_FAIL);
}

static void test_version(void **state)
{
	char s1[200];
	struct tp_preflight pf;
	struct reply a = signed_marker(MARKER("2"), s1, sizeof s1, NOW - 3600, NOW + 14 * DAY);
	(void)state;
	judge("test.", &a, 1, TP_PF_VERSION, "test zone test. holds the trustprobe vectors version "
	      "2; this trustprobe needs version 1: deploy its testvectors/ there", &pf);
	assert_true(pf.zone_fault);
	assert_int_equal(pf.version, 2);
	/* two markers: the one wanted is found */
	a.rrs[2] = MARKER("1");
	judge("test.", &a, 1, TP_PF_OK, NULL, &pf);
}

static void test_window(void **state)
{
	char s1[200], s2[200];
	struct tp_preflight pf;
	struct reply a = signed_marker(MARKER("1"), s1, sizeof s1, NOW - 37 * DAY, NOW - 7 * DAY);
	(void)state;
	judge("test.", &a, 1, TP_PF_EXPIRED,
	      "test zone test. expired on 2025-12-25 00:00:00 UTC (the signature of "
	      "_trustprobe.test. TXT): re-sign it", &pf);
	assert_true(pf.zone_fault);
	/* of two expired signatures, the later expiration is the zone's */
	a.rrs[2] = rrsig(s2, sizeof s2, "_trustprobe.test.", "test.", NOW - 40 * DAY, NOW - 9 * DAY);
	judge("test.", &a, 1, TP_PF_EXPIRED, "expired on 2025-12-25 00:00:00 UTC", &pf);
	a.rrs[2] = NULL;
	rrsig(s1, sizeof s1, "_trustprobe.test.", "test.", NOW + 7 * DAY, NOW + 37 * DAY);
	judge("test.", &a, 1, TP_PF_NOT_YET, "test zone test. is not valid before 2026-01-08 "
	      "00:00:00 UTC", &pf);
	assert_true(pf.zone_fault);
	/* one second past the expiration is expired; the last second is not */
	rrsig(s1, sizeof s1, "_trustprobe.test.", "test.", NOW - DAY, NOW - 1);
	judge("test.", &a, 1, TP_PF_EXPIRED, NULL, &pf);
	rrsig(s1, sizeof s1, "_trustprobe.test.", "test.", NOW - DAY, NOW);
	judge("test.", &a, 1, TP_PF_OK, NULL, &pf);
}

static void test_unsigned(void **state)
{
	char s1[200];
	struct tp_preflight pf;
	struct reply a = {NULL, LDNS_RR_TYPE_TXT, LDNS_RCODE_NOERROR, 0, 2, {MARKER("1"), NULL}};
	(void)state;
	judge("test.", &a, 1, TP_PF_UNSIGNED, "test zone test. is not signed: _trustprobe.test. "
	      "TXT came without an RRSIG by test.", &pf);
	assert_true(pf.zone_fault);
	/* a signature by another zone is none of this zone's */
	a.rrs[1] = rrsig(s1, sizeof s1, "_trustprobe.test.", ".", NOW - 3600, NOW + DAY);
	judge("test.", &a, 1, TP_PF_UNSIGNED, NULL, &pf);
}

/* The zone does not exist, or is no trustprobe zone: the SOA of the denial tells which. */
static void test_not_found(void **state)
{
	struct tp_preflight pf;
#define DENIAL(rc, soa) {NULL, LDNS_RR_TYPE_TXT, rc, 0, 2, {soa, NULL}}
	struct reply nx_root = DENIAL(LDNS_RCODE_NXDOMAIN,
				      "ns:. 86400 IN SOA a.root-servers.lab. h. 1 2 3 4 5");
	struct reply nx_zone = DENIAL(LDNS_RCODE_NXDOMAIN,
				      "ns:alg13.test. 300 IN SOA ns.alg13.test. h. 1 2 3 4 5");
	struct reply nodata_parent = DENIAL(LDNS_RCODE_NOERROR,
					    "ns:alg13.test. 300 IN SOA ns.alg13.test. h. 1 2 3 4 5");
	struct reply nx_bare = DENIAL(LDNS_RCODE_NXDOMAIN, NULL);
	struct reply other = DENIAL(LDNS_RCODE_NOERROR,
				    "an:_trustprobe.test. 3600 IN TXT \"v=spf1 -all\"");
	struct reply other2 = DENIAL(LDNS_RCODE_NOERROR,
				     "an:_trustprobe.test. 3600 IN TXT \"trustprobe-vectors\"");
	(void)state;
	judge("nonexistent.example.", &nx_root, 1, TP_PF_NOT_FOUND,
	      "test zone nonexistent.example. not found: NXDOMAIN for "
	      "_trustprobe.nonexistent.example. TXT from the zone . (no zone nonexistent.example.)",
	      &pf);
	assert_true(pf.zone_fault);
	judge("alg13.test.", &nx_zone, 1, TP_PF_NOT_TRUSTPROBE,
	      "test zone alg13.test. is not a trustprobe zone: NXDOMAIN for _trustprobe.alg13.test. "
	      "TXT (no marker", &pf);
	assert_true(pf.zone_fault);
	judge("www.alg13.test.", &nodata_parent, 1, TP_PF_NOT_FOUND,
	      "test zone www.alg13.test. not found: no data for _trustprobe.www.alg13.test. TXT "
	      "from the zone alg13.test. (no zone www.alg13.test.)", &pf);
	judge("nowhere.", &nx_bare, 1, TP_PF_NOT_FOUND, "without an SOA", &pf);
	judge("test.", &other, 1, TP_PF_NOT_TRUSTPROBE, "test zone test. is not a trustprobe zone: "
	      "_trustprobe.test. TXT holds \"v=spf1 -all\", not \"trustprobe-vectors N\"", &pf);
	judge("test.", &other2, 1, TP_PF_NOT_TRUSTPROBE, NULL, &pf);
}

/* What the resolver says about itself is not the zone's fault. */
static void test_resolver(void **state)
{
	struct tp_preflight pf;
	struct tp_observation obs = {0};
	struct reply sf = {NULL, LDNS_RR_TYPE_TXT, LDNS_RCODE_SERVFAIL, 0, 2, {NULL}};
	struct reply refused = {NULL, LDNS_RR_TYPE_TXT, LDNS_RCODE_REFUSED, 0, 0, {NULL}};
	struct reply marker = {NULL, LDNS_RR_TYPE_TXT, LDNS_RCODE_NOERROR, 0, 2, {MARKER("1"), NULL}};
	(void)state;
	judge("test.", &sf, 1, TP_PF_UNREACHABLE, "test zone test. could not be reached through "
	      "the resolver: SERVFAIL to _trustprobe.test. TXT with CD", &pf);
	assert_false(pf.zone_fault);
	judge_flags("test.", &refused, 1, 0, 1, TP_PF_NOT_RECURSIVE, "not a recursive resolver for "
		    "this client: it answered REFUSED", &pf);
	assert_false(pf.zone_fault);
	judge_flags("test.", &marker, 1, 1, 1, TP_PF_NOT_RECURSIVE, "not a recursive resolver: RA "
		    "clear", &pf);
	judge_flags("test.", &marker, 0, 1, 1, TP_PF_NOT_RECURSIVE, "not a recursive resolver for "
		    "test.: an authoritative answer (AA set)", &pf);

	static const struct {
		enum tp_obs_status st;
		int local_err;
		const char *why;
		enum tp_preflight_status want;
		const char *reason;
	} none[] = {
		{TP_OBS_TIMEOUT, 0, "no reply to 3 UDP tries", TP_PF_NO_ANSWER, "test zone test. could "
		 "not be checked: no answer from the resolver: no reply to 3 UDP tries"},
		{TP_OBS_REFUSED, 0, "port unreachable (UDP)", TP_PF_NO_ANSWER, "test zone test. could "
		 "not be checked: no answer from the resolver: port unreachable (UDP)"},
		{TP_OBS_ERROR, EMFILE, "UDP socket: Too many open files", TP_PF_LOCAL, "test zone test. "
		 "could not be checked: UDP socket: Too many open files"},
	};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		obs.status = none[i].st;
		obs.local_err = none[i].local_err;
		snprintf(obs.reason, sizeof obs.reason, "%s", none[i].why);
		tp_preflight_judge(&obs, "test.", 1, NOW, &pf);
		assert_int_equal(pf.status, none[i].want);
		assert_string_equal(pf.reason, none[i].reason);
		assert_false(pf.zone_ok);
		assert_false(pf.zone_fault);
	}
	tp_preflight_judge(NULL, "test.", 1, NOW, &pf);
	assert_int_equal(pf.status, TP_PF_NO_ANSWER);
	tp_preflight_judge(&obs, "", 1, NOW, &pf);
	assert_int_equal(pf.status, TP_PF_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query),    cmocka_unit_test(test_good),
		cmocka_unit_test(test_version),  cmocka_unit_test(test_window),
		cmocka_unit_test(test_unsigned), cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_resolver),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
