/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Hostile answers: thousands of corrupted replies (a seeded mutation of real-looking
 * answers) go through ldns parsing and every case's evaluator. Nothing may crash (this runs
 * under ASan+UBSan too), no corrupted reply may make a case pass that the intact reply
 * failed for lack of AD, and every finding keeps a one-line reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "catalog.h"
#include "evaluate.h"

#include "catalog_fixture.h"

/* A reply as a validating resolver would give to www.alg13.test. A with DO. */
static uint8_t *base_reply(size_t *len)
{
	ldns_pkt *p = NULL;
	assert_int_equal(ldns_pkt_query_new_frm_str(&p, "www.alg13.test.", LDNS_RR_TYPE_A,
						    LDNS_RR_CLASS_IN, LDNS_RD),
			 LDNS_STATUS_OK);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_ra(p, true);
	ldns_pkt_set_ad(p, true);
	static const char *const rrs[] = {
		"www.alg13.test. 3600 IN A 192.0.2.1",
		"www.alg13.test. 3600 IN RRSIG A 13 3 3600 20300101000000 20200101000000 4711 "
		"alg13.test. AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"alg13.test. 3600 IN NSEC www.alg13.test. A NS SOA RRSIG NSEC DNSKEY",
	};
	for (size_t i = 0; i < 3; i++) {
		ldns_rr *rr = NULL;
		assert_int_equal(ldns_rr_new_frm_str(&rr, rrs[i], 3600, NULL, NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, i < 2 ? LDNS_SECTION_ANSWER : LDNS_SECTION_AUTHORITY, rr);
	}
	ldns_pkt_set_edns_udp_size(p, 1232);
	ldns_pkt_set_edns_do(p, true);
	uint8_t *wire = NULL;
	assert_int_equal(ldns_pkt2wire(&wire, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return wire;
}

static void test_mutations(void **state)
{
	(void)state;
	size_t len;
	uint8_t *base = base_reply(&len);
	uint32_t seed = 20261124;
	size_t parsed = 0, evaluated = 0;
	for (int round = 0; round < 4000; round++) {
		size_t n = len;
		uint8_t *buf = malloc(len + 16);
		assert_non_null(buf);
		memcpy(buf, base, len);
		int flips = 1 + round % 6;
		for (int k = 0; k < flips; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % n;
			seed = seed * 1103515245u + 12345u;
			buf[at] = (uint8_t)(seed >> 16);
		}
		if (round % 7 == 0) /* truncation */
			n = 12 + (seed >> 4) % (len - 12);
		if (round % 11 == 0) { /* trailing junk */
			memset(buf + n, 0xff, 16);
			n += 16;
		}
		struct tp_observation obs;
		memset(&obs, 0, sizeof obs);
		if (ldns_wire2pkt(&obs.pkt, buf, n) == LDNS_STATUS_OK) {
			parsed++;
			obs.status = TP_OBS_ANSWER;
			obs.wire = buf;
			obs.wirelen = n;
			for (size_t i = 0; i < cat.n; i++) {
				struct tp_finding f;
				memset(&f, 0, sizeof f);
				obs.n_ede = tp_pkt_ede(obs.pkt, obs.ede, TP_EDE_MAX);
				tp_evaluate(&cat.cases[i], &obs, &f);
				evaluated++;
				assert_true(f.status <= TP_SKIP);
				assert_true(f.reason[0] != '\0');
				assert_null(strchr(f.reason, '\n'));
				assert_null(strchr(f.detail, '\n'));
				/* no AD in the reply: no rule that requires AD may have matched */
				if (!ldns_pkt_ad(obs.pkt) && f.status == TP_PASS) {
					const struct tp_case *c = &cat.cases[i];
					for (size_t r = 0; r < c->n_rules; r++) {
						const struct tp_rule *ru = &c->rules[r];
						const struct tp_observation *all[TP_QUERIES_MAX] = {
							&obs, &obs, &obs, &obs };
						if (!tp_rule_matches(c, ru, all))
							continue;
						for (size_t a = 0; a < ru->n_atoms; a++)
							if (ru->atoms[a].kind == TP_AT_AD && ru->atoms[a].value == 1)
								fail_msg("%s: an ad=1 rule matched a reply without AD",
									 c->id);
						break; /* the first matching rule decides */
					}
				}
			}
			ldns_pkt_free(obs.pkt);
		}
		free(buf);
	}
	free(base);
	/* the mutations must actually reach the evaluators */
	assert_true(parsed > 500);
	assert_true(evaluated > 500 * cat.n / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutations),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
