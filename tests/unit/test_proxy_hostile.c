/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * test_proxy_hostile: the pure part of the hostile resolver (proxy_hostile.c): the mode
 * names, the spoiled relays (wrong ID, wrong question) and each self-made answer: what it
 * promises and that a client can never take it for the answer (no parse, no matching ID,
 * TC). Constructed packets; no network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "proxy_hostile.h"
#include "proxy_net.h"
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

/* A recursive query for name type with ID 0x1234 and EDNS; *pkt gets it parsed. */
static uint8_t *query(const char *name, ldns_rr_type type, size_t *len, ldns_pkt **pkt)
{
	ldns_pkt *p = NULL;
	assert_int_equal(ldns_pkt_query_new_frm_str(&p, name, type, LDNS_RR_CLASS_IN, LDNS_RD),
			 LDNS_STATUS_OK);
	ldns_pkt_set_id(p, 0x1234);
	ldns_pkt_set_edns_udp_size(p, 1232);
	ldns_pkt_set_edns_do(p, 1);
	uint8_t *w = NULL;
	assert_int_equal(ldns_pkt2wire(&w, p, len), LDNS_STATUS_OK);
	*pkt = p;
	return w;
}

static void test_parse(void **state)
{
	(void)state;
	enum px_hostile h = PX_HOSTILE_SILENT;
	char err[300] = "";
	assert_int_equal(px_hostile_parse(NULL, &h, err, sizeof err), 0);
	assert_int_equal(h, PX_HOSTILE_NONE);
	for (int i = 1; i < PX_HOSTILE_N; i++) {
		assert_int_equal(px_hostile_parse(px_hostile_name((enum px_hostile)i), &h, err,
						  sizeof err), 0);
		assert_int_equal(h, i);
	}
	assert_int_equal(px_hostile_parse("none", &h, err, sizeof err), -1);
	assert_int_equal(px_hostile_parse("Silent", &h, err, sizeof err), -1);
	assert_int_equal(px_hostile_parse("", &h, err, sizeof err), -1);
	assert_non_null(strstr(err, "known: silent, slow, wrong-id"));
	assert_non_null(strstr(err, "flood)"));
	assert_true(px_hostile_relays(PX_HOSTILE_SLOW));
	assert_true(px_hostile_relays(PX_HOSTILE_WRONG_ID));
	assert_true(px_hostile_relays(PX_HOSTILE_WRONG_QUESTION));
	assert_false(px_hostile_relays(PX_HOSTILE_SILENT));
	assert_false(px_hostile_relays(PX_HOSTILE_FLOOD));
}

static void test_rewrite(void **state)
{
	(void)state;
	size_t len;
	ldns_pkt *q;
	uint8_t *w = query("www.example.", LDNS_RR_TYPE_A, &len, &q);
	w[2] |= 0x80;
	assert_int_equal(px_hostile_rewrite(PX_HOSTILE_WRONG_ID, w, len), 0);
	assert_int_not_equal((w[0] << 8) | w[1], 0x1234);
	/* another question name (not another case of it), the type kept */
	assert_int_equal(px_hostile_rewrite(PX_HOSTILE_WRONG_QUESTION, w, len), 0);
	ldns_pkt *p = NULL;
	assert_int_equal(ldns_wire2pkt(&p, w, len), LDNS_STATUS_OK);
	ldns_rr *qr = ldns_rr_list_rr(ldns_pkt_question(p), 0);
	ldns_rdf *want = ldns_dname_new_frm_str("www.example.");
	assert_int_not_equal(ldns_dname_compare(ldns_rr_owner(qr), want), 0);
	assert_int_equal(ldns_rr_get_type(qr), LDNS_RR_TYPE_A);
	ldns_rdf_deep_free(want);
	ldns_pkt_free(p);
	free(w);
	ldns_pkt_free(q);
	/* "x" becomes "y", never "X" */
	w = query("x.example.", LDNS_RR_TYPE_A, &len, &q);
	assert_int_equal(px_hostile_rewrite(PX_HOSTILE_WRONG_QUESTION, w, len), 0);
	assert_int_equal(w[13], 'y');
	free(w);
	ldns_pkt_free(q);
	/* the root name: another type */
	w = query(".", LDNS_RR_TYPE_SOA, &len, &q);
	assert_int_equal(px_hostile_rewrite(PX_HOSTILE_WRONG_QUESTION, w, len), 0);
	assert_int_not_equal((w[14] << 8) | w[15], LDNS_RR_TYPE_SOA);
	/* no question, or one cut short: nothing to spoil */
	assert_int_equal(px_hostile_rewrite(PX_HOSTILE_WRONG_QUESTION, w, 14), -1);
	w[5] = 0;
	assert_int_equal(px_hostile_rewrite(PX_HOSTILE_WRONG_QUESTION, w, len), -1);
	free(w);
	ldns_pkt_free(q);
}

/* Runs mode h for the query; returns the output (caller frees). */
static uint8_t *answer(enum px_hostile h, int tcp, size_t *ol, size_t *count, int *close)
{
	size_t len;
	ldns_pkt *q;
	uint8_t *w = query("_trustprobe.test.", LDNS_RR_TYPE_TXT, &len, &q);
	uint32_t seed = 4711;
	uint8_t *out = NULL;
	assert_int_equal(px_hostile_answer(h, q, w, len, tcp, &seed, &out, ol, count, close), 0);
	free(w);
	ldns_pkt_free(q);
	return out;
}

static void test_answers(void **state)
{
	(void)state;
	size_t ol, count;
	int close;
	/* silent and the relaying modes send nothing of their own */
	const enum px_hostile none[] = {PX_HOSTILE_SILENT, PX_HOSTILE_SLOW, PX_HOSTILE_WRONG_ID,
					PX_HOSTILE_WRONG_QUESTION};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		assert_null(answer(none[i], 0, &ol, &count, &close));
		assert_int_equal(count, 0);
	}
	/* garbage and huge: the query's ID and QR, never parse; huge at the largest sizes */
	for (int tcp = 0; tcp < 2; tcp++) {
		const enum px_hostile junk[] = {PX_HOSTILE_GARBAGE, PX_HOSTILE_HUGE};
		for (size_t i = 0; i < 2; i++) {
			uint8_t *m = answer(junk[i], tcp, &ol, &count, &close);
			assert_non_null(m);
			assert_int_equal(count, 1);
			assert_false(close);
			const uint8_t *d = m + (tcp ? 2 : 0);
			size_t dl = ol - (tcp ? 2 : 0);
			if (tcp)
				assert_int_equal((m[0] << 8) | m[1], dl);
			assert_int_equal((d[0] << 8) | d[1], 0x1234);
			assert_true(d[2] & 0x80);
			ldns_pkt *p = NULL;
			assert_int_not_equal(ldns_wire2pkt(&p, d, dl), LDNS_STATUS_OK);
			if (junk[i] == PX_HOSTILE_HUGE)
				assert_int_equal(dl, tcp ? PX_MSG_MAX : PX_HOSTILE_UDP_MAX);
			else
				assert_true(dl < 512);
			free(m);
		}
	}
	/* tc: TC and RA, no records, over both transports */
	for (int tcp = 0; tcp < 2; tcp++) {
		uint8_t *m = answer(PX_HOSTILE_TC, tcp, &ol, &count, &close);
		ldns_pkt *p = NULL;
		assert_int_equal(ldns_wire2pkt(&p, m + (tcp ? 2 : 0), ol - (tcp ? 2 : 0)),
				 LDNS_STATUS_OK);
		assert_true(ldns_pkt_tc(p));
		assert_true(ldns_pkt_ra(p));
		assert_int_equal(ldns_pkt_ancount(p), 0);
		assert_int_equal(ldns_pkt_id(p), 0x1234);
		ldns_pkt_free(p);
		free(m);
	}
	/* tcp-cut, tcp-stall, tcp-hang: TC over UDP; over TCP a prefix that promises more */
	const enum px_hostile cut[] = {PX_HOSTILE_TCP_CUT, PX_HOSTILE_TCP_STALL, PX_HOSTILE_TCP_HANG};
	for (size_t i = 0; i < 3; i++) {
		uint8_t *m = answer(cut[i], 0, &ol, &count, &close);
		ldns_pkt *p = NULL;
		assert_int_equal(ldns_wire2pkt(&p, m, ol), LDNS_STATUS_OK);
		assert_true(ldns_pkt_tc(p));
		ldns_pkt_free(p);
		free(m);
		m = answer(cut[i], 1, &ol, &count, &close);
		assert_true((size_t)((m[0] << 8) | m[1]) > ol - 2);
		assert_int_equal(close, cut[i] == PX_HOSTILE_TCP_CUT);
		free(m);
	}
	/* flood: PX_HOSTILE_FLOOD_N replies to the question, every ID but the query's */
	for (int tcp = 0; tcp < 2; tcp++) {
		uint8_t *m = answer(PX_HOSTILE_FLOOD, tcp, &ol, &count, &close);
		assert_int_equal(count, tcp ? 1 : PX_HOSTILE_FLOOD_N);
		size_t step = ol / PX_HOSTILE_FLOOD_N;
		assert_int_equal(step * PX_HOSTILE_FLOOD_N, ol);
		for (size_t k = 0; k < PX_HOSTILE_FLOOD_N; k++) {
			const uint8_t *d = m + k * step + (tcp ? 2 : 0);
			if (tcp)
				assert_int_equal((m[k * step] << 8) | m[k * step + 1], step - 2);
			ldns_pkt *p = NULL;
			assert_int_equal(ldns_wire2pkt(&p, d, step - (tcp ? 2 : 0)), LDNS_STATUS_OK);
			assert_int_not_equal(ldns_pkt_id(p), 0x1234);
			assert_true(ldns_pkt_qr(p));
			ldns_pkt_free(p);
		}
		free(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
