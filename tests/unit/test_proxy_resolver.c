/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * test_proxy_resolver: the pure part of the lying resolver (proxy_resolver.c): the --lie
 * list, the address checks (only lab addresses, never the host's resolver), and the reply
 * rewrite (AD set on NOERROR and NXDOMAIN only, the client's ID put back, anything that is
 * not the reply to the query sent dropped). Constructed packets; no network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "proxy_resolver.h"
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

/* A reply to www.bogus-sig.test. A with ID id, RCODE rcode (an extended one goes to the
 * OPT record), the given AD and QR bits, as wire (caller frees). */
static uint8_t *reply(uint16_t id, unsigned rcode, int ad, int qr, size_t *len)
{
	ldns_pkt *p = NULL;
	assert_int_equal(ldns_pkt_query_new_frm_str(&p, "www.bogus-sig.test.", LDNS_RR_TYPE_A,
						    LDNS_RR_CLASS_IN, LDNS_RD),
			 LDNS_STATUS_OK);
	ldns_pkt_set_id(p, id);
	ldns_pkt_set_qr(p, qr);
	ldns_pkt_set_ra(p, 1);
	ldns_pkt_set_ad(p, ad);
	ldns_pkt_set_rcode(p, (uint8_t)(rcode & 15));
	ldns_pkt_set_edns_udp_size(p, 1232);
	ldns_pkt_set_edns_do(p, 1);
	ldns_pkt_set_edns_extended_rcode(p, (uint8_t)(rcode >> 4));
	if (rcode == LDNS_RCODE_NOERROR) {
		ldns_rr *rr = NULL;
		assert_int_equal(ldns_rr_new_frm_str(&rr, "www.bogus-sig.test. 300 IN A 192.0.2.1",
						     0, NULL, NULL),
				 LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	}
	uint8_t *w = NULL;
	assert_int_equal(ldns_pkt2wire(&w, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return w;
}

static int ad_of(const uint8_t *w)
{
	return (w[3] & 0x20) != 0;
}

static uint16_t id_of(const uint8_t *w)
{
	return (uint16_t)((w[0] << 8) | w[1]);
}

static void test_lie_parse(void **state)
{
	(void)state;
	unsigned lies = 99;
	char err[256] = "";
	assert_int_equal(px_lie_parse(NULL, &lies, err, sizeof err), 0);
	assert_int_equal(lies, PX_LIE_AD); /* the default lie */
	assert_int_equal(px_lie_parse("ad", &lies, err, sizeof err), 0);
	assert_int_equal(lies, PX_LIE_AD);
	assert_int_equal(px_lie_parse("ad,ad", &lies, err, sizeof err), 0);
	assert_int_equal(lies, PX_LIE_AD);
	assert_int_equal(px_lie_parse("none", &lies, err, sizeof err), 0);
	assert_int_equal(lies, 0);
	static const char *const bad[] = {"", "AD", "ad,rcode", "none,ad", ",", "cd"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		if (px_lie_parse(bad[i], &lies, err, sizeof err) != -1)
			fail_msg("--lie '%s' was taken", bad[i]);
		assert_true(strlen(err) > 0);
		assert_null(strchr(err, '\n'));
	}
}

static void test_addresses(void **state)
{
	(void)state;
	char err[256];
	/* the lab's liar (lab_plan.c) forwarding to unbound-novalidate */
	assert_int_equal(px_resolver_check("127.53.1.10", "127.53.1.6", err, sizeof err), 0);
	/* on a spare address, forwarding to unbound-novalidate or unbound */
	assert_int_equal(px_resolver_check("127.53.2.3", "127.53.1.6", err, sizeof err), 0);
	assert_int_equal(px_resolver_check("127.53.2.3", "127.53.1.1", err, sizeof err), 0);
	/* an upstream outside the lab (the host's resolver, a public one), an authoritative
	 * server of the lab, the attacker proxy, a spare: never */
	static const char *const ups[] = {"127.0.0.1", "8.8.8.8", "127.53.0.1", "127.53.0.5",
					  "127.53.2.1", "127.53.1.99", "::1", "localhost", "",
					  "127.53.1.6,127.53.1.1"};
	for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
		err[0] = '\0';
		if (px_resolver_check("127.53.2.3", ups[i], err, sizeof err) != -1)
			fail_msg("--upstream %s was taken", ups[i]);
		assert_non_null(strstr(err, "--upstream"));
	}
	/* listening anywhere but on a lab resolver or spare address: never */
	static const char *const lis[] = {"127.0.0.1", "0.0.0.0", "127.53.0.5", "127.53.0.1",
					  "10.0.0.1", "nonsense"};
	for (size_t i = 0; i < sizeof lis / sizeof lis[0]; i++) {
		err[0] = '\0';
		if (px_resolver_check(lis[i], "127.53.1.6", err, sizeof err) != -1)
			fail_msg("--listen %s was taken", lis[i]);
		assert_non_null(strstr(err, "--listen"));
	}
	/* no loop onto itself, and both are needed */
	assert_int_equal(px_resolver_check("127.53.1.6", "127.53.1.6", err, sizeof err), -1);
	assert_non_null(strstr(err, "itself"));
	assert_int_equal(px_resolver_check(NULL, "127.53.1.6", err, sizeof err), -1);
	assert_int_equal(px_resolver_check("127.53.2.3", NULL, err, sizeof err), -1);
}

/* AD goes onto NOERROR and NXDOMAIN, the data untouched; the client's ID comes back. */
static void test_relay_sets_ad(void **state)
{
	(void)state;
	static const unsigned rcodes[] = {LDNS_RCODE_NOERROR, LDNS_RCODE_NXDOMAIN};
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		uint8_t *w = reply(0x1234, rcodes[i], 0, 1, &len);
		uint8_t *orig = malloc(len);
		assert_non_null(orig);
		memcpy(orig, w, len);
		char what[300];
		assert_int_equal(px_relay_reply(PX_LIE_AD, 0x1234, 0xbeef, w, len, what, sizeof what), 1);
		assert_true(ad_of(w));
		assert_int_equal(id_of(w), 0xbeef);
		/* nothing else changed: header octet 3 has AD added, the rest is as it came */
		assert_int_equal(w[2], orig[2]);
		assert_int_equal(w[3], orig[3] | 0x20);
		assert_memory_equal(w + 4, orig + 4, len - 4);
		assert_string_equal(what, i == 0 ? "www.bogus-sig.test. A NOERROR"
						 : "www.bogus-sig.test. A NXDOMAIN");
		free(orig);
		free(w);
	}
}

/* No AD on failures (SERVFAIL, REFUSED, FORMERR, and BADVERS, whose low four bits are
 * NOERROR's), nor with no lie; an upstream AD is relayed as it came. */
static void test_relay_leaves_others(void **state)
{
	(void)state;
	static const unsigned rcodes[] = {LDNS_RCODE_SERVFAIL, LDNS_RCODE_REFUSED,
					  LDNS_RCODE_FORMERR, 16 /* BADVERS */};
	char what[300];
	for (size_t i = 0; i < sizeof rcodes / sizeof rcodes[0]; i++) {
		size_t len;
		uint8_t *w = reply(7, rcodes[i], 0, 1, &len);
		assert_int_equal(px_relay_reply(PX_LIE_AD, 7, 8, w, len, what, sizeof what), 0);
		assert_false(ad_of(w));
		assert_int_equal(id_of(w), 8);
		free(w);
	}
	size_t len;
	uint8_t *w = reply(7, LDNS_RCODE_NOERROR, 0, 1, &len);
	assert_int_equal(px_relay_reply(0, 7, 9, w, len, what, sizeof what), 0);
	assert_false(ad_of(w));
	assert_int_equal(id_of(w), 9);
	free(w);
	w = reply(7, LDNS_RCODE_NXDOMAIN, 1, 1, &len);
	assert_int_equal(px_relay_reply(PX_LIE_AD, 7, 9, w, len, what, sizeof what), 0);
	assert_true(ad_of(w));
	free(w);
}

/* Not the reply to the query sent: another ID, no QR, too short, garbage. Dropped, and
 * left as it was. */
static void test_relay_drops(void **state)
{
	(void)state;
	char what[300];
	size_t len;
	uint8_t *w = reply(7, LDNS_RCODE_NOERROR, 0, 1, &len);
	assert_int_equal(px_relay_reply(PX_LIE_AD, 8, 9, w, len, what, sizeof what), -1);
	assert_int_equal(id_of(w), 7);
	assert_false(ad_of(w));
	free(w);
	w = reply(7, LDNS_RCODE_NOERROR, 0, 0, &len); /* a query, not a reply */
	assert_int_equal(px_relay_reply(PX_LIE_AD, 7, 9, w, len, what, sizeof what), -1);
	assert_false(ad_of(w));
	assert_int_equal(px_relay_reply(PX_LIE_AD, 7, 9, w, 11, what, sizeof what), -1);
	free(w);
	uint8_t junk[40];
	memset(junk, 0xff, sizeof junk);
	junk[0] = 0;
	junk[1] = 7;
	assert_int_equal(px_relay_reply(PX_LIE_AD, 7, 9, junk, sizeof junk, what, sizeof what), -1);
	/* a reply cut short in its question */
	w = reply(7, LDNS_RCODE_NOERROR, 0, 1, &len);
	assert_int_equal(px_relay_reply(PX_LIE_AD, 7, 9, w, 16, what, sizeof what), -1);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lie_parse),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_relay_sets_ad),
		cmocka_unit_test(test_relay_leaves_others),
		cmocka_unit_test(test_relay_drops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
