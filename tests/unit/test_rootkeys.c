/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for rootkeys.c: the root DNSKEY RRset as a resolver returns it, judged with a
 * frozen clock before, during and after the published steps of the roll, and against a
 * lab root's current and next KSK. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "rootkeys.h"
#include "roll.h"

#define K17 "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU="
#define K24 "AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBevYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc="

/* A reply with the given RRs (NULL-terminated) in the answer section and AD as given. */
static ldns_pkt *reply(int ad, ...)
{
	ldns_pkt *p = ldns_pkt_new();
	va_list ap;
	va_start(ap, ad);
	for (const char *s; (s = va_arg(ap, const char *)) != NULL;) {
		ldns_rr *rr = NULL;
		assert_int_equal(ldns_rr_new_frm_str(&rr, s, 0, NULL, NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	}
	va_end(ap);
	ldns_pkt_set_ad(p, ad ? true : false);
	return p;
}

#define DNSKEY(flags, key) ". 172800 IN DNSKEY " #flags " 3 8 " key
#define ZSK ". 172800 IN DNSKEY 256 3 8 AwEAAc4qsciJ5MdMUIu4n/pSTsSiU9OCyAanPWE3Y+/pGiFFJ2sB"
#define SIG(tag) ". 172800 IN RRSIG DNSKEY 8 0 172800 20270101000000 20261201000000 " #tag " . AAAA"

static time_t at(const char *d)
{
	time_t t;
	assert_int_equal(tp_parse_date(d, &t), 0);
	return t;
}

/* Runs the check on p as of date d against the real root; returns the status. */
static enum tp_status judge(ldns_pkt *p, const char *d, struct tp_finding *f)
{
	struct tp_rootkeys rk;
	memset(f, 0, sizeof *f);
	f->status = TP_PASS;
	snprintf(f->reason, sizeof f->reason, "observed NOERROR, AD set");
	int have = tp_rootkeys_read(p, &rk) == 0;
	struct tp_rootkeys_expect e = {.in_force = tp_roll_key_in_force(at(d)), .real_root = 1,
				       .now = at(d)};
	tp_rootkeys_check(&rk, have, &e, f);
	return f->status;
}

static void test_read(void **state)
{
	(void)state;
	ldns_pkt *p = reply(1, DNSKEY(257, K17), DNSKEY(257, K24), ZSK, SIG(38696), NULL);
	struct tp_rootkeys rk;
	assert_int_equal(tp_rootkeys_read(p, &rk), 0);
	assert_int_equal(rk.n_ksk, 2);
	assert_int_equal(rk.ksk[0], 20326);
	assert_int_equal(rk.ksk[1], 38696);
	assert_int_equal(rk.n_zsk, 1);
	assert_int_equal(rk.n_signers, 1);
	assert_int_equal(rk.signer[0], 38696);
	assert_int_equal(rk.ttl, 172800);
	assert_true(rk.ad);
	ldns_pkt_free(p);
	p = reply(1, ". 86400 IN SOA a. b. 1 2 3 4 5", NULL);
	assert_int_equal(tp_rootkeys_read(p, &rk), -1);
	ldns_pkt_free(p);
}

static void test_calendar(void **state)
{
	(void)state;
	struct tp_finding f;
	/* today: both published, KSK-2024 signs */
	ldns_pkt *p = reply(1, DNSKEY(257, K17), DNSKEY(257, K24), ZSK, SIG(38696), NULL);
	assert_int_equal(judge(p, "2026-12-01", &f), TP_PASS);
	assert_non_null(strstr(f.reason, "root KSKs KSK-2017 (20326), KSK-2024 (38696); signed by 38696; TTL 172800 (on 2026-12-01: as expected)"));
	assert_non_null(strstr(f.reason, "next step 2027-01-11, in 41 days: KSK-2017 (20326) is published revoked"));
	assert_non_null(strstr(f.reason, "; observed NOERROR, AD set")); /* the rule's reason stays */
	/* before 2026-10-11 KSK-2017 was in force: KSK-2024 signing then is wrong */
	assert_int_equal(judge(p, "2026-10-01", &f), TP_FAIL);
	assert_non_null(strstr(f.reason, "the KSK in force, KSK-2017 (20326), does not sign it"));
	ldns_pkt_free(p);
	/* a resolver whose view is stuck before the roll: signed by KSK-2017 */
	p = reply(1, DNSKEY(257, K17), DNSKEY(257, K24), SIG(20326), NULL);
	assert_int_equal(judge(p, "2026-10-10", &f), TP_PASS);
	assert_int_equal(judge(p, "2026-12-01", &f), TP_FAIL);
	assert_non_null(strstr(f.reason, "KSK-2024 (38696), does not sign it"));
	ldns_pkt_free(p);
	/* KSK-2024 missing from the set while the calendar has it published */
	p = reply(1, DNSKEY(257, K17), SIG(20326), NULL);
	assert_int_equal(judge(p, "2026-02-01", &f), TP_PASS); /* status: in force signs */
	assert_non_null(strstr(f.reason, "KSK-2024 is not in it, though the calendar has it published"));
	ldns_pkt_free(p);
	/* after 2027-01-11: KSK-2017 published with REVOKE (tag 20454), KSK-2024 signs */
	p = reply(1, DNSKEY(385, K17), DNSKEY(257, K24), SIG(38696), SIG(20454), NULL);
	assert_int_equal(judge(p, "2027-02-01", &f), TP_PASS);
	assert_non_null(strstr(f.reason, "KSK-2017 (20454, revoked) REVOKE"));
	assert_null(strstr(f.reason, "is not in it"));
	assert_null(strstr(f.reason, "next step"));
	ldns_pkt_free(p);
	/* the key in force published only with REVOKE is no key in force */
	p = reply(1, DNSKEY(385, K24), SIG(38824), SIG(38696), NULL);
	assert_int_equal(judge(p, "2026-12-01", &f), TP_FAIL);
	assert_non_null(strstr(f.reason, "is not published unrevoked"));
	ldns_pkt_free(p);
}

static void test_rules_decide_first(void **state)
{
	(void)state;
	struct tp_finding f;
	struct tp_rootkeys rk;
	ldns_pkt *p = reply(0, DNSKEY(257, K24), SIG(38696), NULL);
	struct tp_rootkeys_expect e = {.in_force = 38696, .real_root = 1, .now = at("2026-12-01")};
	memset(&f, 0, sizeof f);
	f.status = TP_FAIL; /* AD clear: the rules failed it */
	assert_int_equal(tp_rootkeys_read(p, &rk), 0);
	tp_rootkeys_check(&rk, 1, &e, &f);
	assert_int_equal(f.status, TP_FAIL);
	assert_non_null(strstr(f.reason, "root KSKs KSK-2024 (38696)"));
	f.status = TP_SKIP; /* no answer: nothing to add */
	f.reason[0] = '\0';
	tp_rootkeys_check(&rk, 1, &e, &f);
	assert_string_equal(f.reason, "");
	ldns_pkt_free(p);
}

static void test_lab(void **state)
{
	(void)state;
	struct tp_finding f;
	struct tp_rootkeys rk;
	ldns_pkt *p = reply(1, DNSKEY(257, K17), DNSKEY(257, K24), SIG(20326), NULL);
	struct tp_rootkeys_expect e = {.in_force = 20326, .next = 38696, .now = at("2026-12-01")};
	assert_int_equal(tp_rootkeys_read(p, &rk), 0);
	memset(&f, 0, sizeof f);
	tp_rootkeys_check(&rk, 1, &e, &f);
	assert_int_equal(f.status, TP_PASS);
	assert_non_null(strstr(f.reason, "root KSKs 20326, 38696; signed by 20326"));
	assert_non_null(strstr(f.reason, "next step: the lab's next KSK 38696 signs alone"));
	e.next = 4604; /* a next key the resolver does not show */
	memset(&f, 0, sizeof f);
	tp_rootkeys_check(&rk, 1, &e, &f);
	assert_int_equal(f.status, TP_WARN);
	assert_non_null(strstr(f.reason, "the next KSK, 4604, is not published"));
	ldns_pkt_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_rules_decide_first),
		cmocka_unit_test(test_lab),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
