/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * test_ede: the Extended DNS Error parser (probe/ede.c, RFC 8914) on hand-built EDNS
 * option data and on packets as the query engine gets them (wire -> ldns), malformed
 * options included: an EDE too short for its INFO-CODE, an option whose length runs past
 * the OPT RDATA, a header cut short. No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ede.h"
#include "query.h"
#include <ldns/ldns.h>
#include <string.h>

static size_t parse(const uint8_t *d, size_t len, struct tp_ede *e, size_t max, size_t *seen,
		    enum tp_ede_parse_status *st)
{
	memset(e, 0x55, sizeof *e * max); /* what the parser does not write shows */
	return tp_ede_parse(d, len, e, max, seen, st);
}

static void test_well_formed(void **state)
{
	struct tp_ede e[4];
	enum tp_ede_parse_status st;
	size_t seen;
	(void)state;
	/* none at all */
	assert_int_equal(parse(NULL, 0, e, 4, &seen, &st), 0);
	assert_int_equal(st, TP_EDE_OK);
	assert_int_equal(seen, 0);
	/* a cookie (option 10), EDE 9 with a text, EDE 6 without one */
	static const uint8_t d[] = {0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8,
				    0, 15, 0, 15, 0, 9, 'n', 'o', ' ', 'D', 'N', 'S', 'K', 'E', 'Y',
				    ' ', 'f', 'o', 'r',
				    0, 15, 0, 2, 0, 6};
	assert_int_equal(parse(d, sizeof d, e, 4, &seen, &st), 2);
	assert_int_equal(st, TP_EDE_OK);
	assert_int_equal(seen, 2);
	assert_int_equal(e[0].code, 9);
	assert_string_equal(e[0].text, "no DNSKEY for");
	assert_int_equal(e[1].code, 6);
	assert_string_equal(e[1].text, "");
	/* room for one: the first is kept, both are counted */
	assert_int_equal(parse(d, sizeof d, e, 1, &seen, &st), 1);
	assert_int_equal(e[0].code, 9);
	assert_int_equal(seen, 2);
	/* seen and status may be NULL */
	assert_int_equal(tp_ede_parse(d, sizeof d, e, 4, NULL, NULL), 2);
}

static void test_malformed(void **state)
{
	struct tp_ede e[4];
	enum tp_ede_parse_status st;
	size_t seen;
	(void)state;
	/* an EDE of one octet (no room for its INFO-CODE) is skipped, the next one read */
	static const uint8_t shorty[] = {0, 15, 0, 1, 7, 0, 15, 0, 2, 0, 27};
	assert_int_equal(parse(shorty, sizeof shorty, e, 4, &seen, &st), 1);
	assert_int_equal(st, TP_EDE_SHORT);
	assert_int_equal(e[0].code, 27);
	/* an empty EDE too */
	static const uint8_t empty[] = {0, 15, 0, 0};
	assert_int_equal(parse(empty, sizeof empty, e, 4, &seen, &st), 0);
	assert_int_equal(st, TP_EDE_SHORT);
	/* a length that runs past the data: reading stops there, what came before stays */
	static const uint8_t overrun[] = {0, 15, 0, 2, 0, 7, 0, 15, 0, 9, 0, 8, 'x'};
	assert_int_equal(parse(overrun, sizeof overrun, e, 4, &seen, &st), 1);
	assert_int_equal(st, TP_EDE_OVERRUN);
	assert_int_equal(e[0].code, 7);
	assert_int_equal(seen, 1);
	/* an overrun in an option of another code stops it as well */
	static const uint8_t other[] = {0, 10, 0, 40, 1, 2, 0, 15, 0, 2, 0, 6};
	assert_int_equal(parse(other, sizeof other, e, 4, &seen, &st), 0);
	assert_int_equal(st, TP_EDE_OVERRUN);
	/* a header cut short (three octets left) */
	static const uint8_t cut[] = {0, 15, 0, 2, 0, 6, 0, 15, 0};
	assert_int_equal(parse(cut, sizeof cut, e, 4, &seen, &st), 1);
	assert_int_equal(st, TP_EDE_OVERRUN);
	assert_int_equal(e[0].code, 6);
	/* an EDE whose length is exactly the INFO-CODE, at the very end */
	static const uint8_t edge[] = {0, 15, 0, 2, 0xff, 0xff};
	assert_int_equal(parse(edge, sizeof edge, e, 4, &seen, &st), 1);
	assert_int_equal(st, TP_EDE_OK);
	assert_int_equal(e[0].code, 65535);
}

static void test_text(void **state)
{
	struct tp_ede e[1];
	uint8_t d[4 + 2 + 300];
	(void)state;
	/* control characters become '?', a trailing NUL goes */
	static const uint8_t ctl[] = {0, 15, 0, 8, 0, 6, 'a', '\n', 'b', 0x7f, 'c', 0};
	assert_int_equal(tp_ede_parse(ctl, sizeof ctl, e, 1, NULL, NULL), 1);
	assert_string_equal(e[0].text, "a?b?c");
	/* a long text is cut to the buffer, ending in "...", not inside a UTF-8 character */
	memset(d, 0, sizeof d);
	d[1] = 15;
	d[2] = (uint8_t)((2 + 300) >> 8);
	d[3] = (uint8_t)(2 + 300);
	d[5] = 9;
	for (size_t i = 0; i < 300; i += 2) { /* "é" (0xc3 0xa9) repeated */
		d[6 + i] = 0xc3;
		d[7 + i] = 0xa9;
	}
	assert_int_equal(tp_ede_parse(d, sizeof d, e, 1, NULL, NULL), 1);
	size_t n = strlen(e[0].text);
	assert_true(n < TP_EDE_TEXT_MAX);
	assert_string_equal(e[0].text + n - 3, "...");
	assert_int_equal((n - 3) % 2, 0); /* whole characters only */
	assert_int_equal((unsigned char)e[0].text[n - 4], 0xa9);
}

static void test_names(void **state)
{
	char buf[128];
	(void)state;
	static const struct { uint16_t code; const char *name; } n[] = {
		{1, "Unsupported DNSKEY Algorithm"}, {2, "Unsupported DS Digest Type"},
		{6, "DNSSEC Bogus"}, {9, "DNSKEY Missing"}, {24, "Invalid Data"},
		{27, "Unsupported NSEC3 Iterations Value"}, {25, ""}, {4000, ""},
	};
	for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
		assert_string_equal(tp_ede_name(n[i].code), n[i].name);
	tp_ede_describe(9, "no key", buf, sizeof buf);
	assert_string_equal(buf, "EDE 9 DNSKEY Missing: no key");
	tp_ede_describe(300, "", buf, sizeof buf);
	assert_string_equal(buf, "EDE 300");
	tp_ede_describe(7, NULL, buf, 8);
	assert_string_equal(buf, "EDE 7 S");
}

/* A reply as wire data: header, one question, and an OPT RR with rdata opt[0..len). */
static ldns_pkt *reply_with_opt(const uint8_t *opt, size_t len)
{
	uint8_t w[512];
	size_t n = 0;
	static const uint8_t head[] = {0x12, 0x34, 0x81, 0x82, 0, 1, 0, 0, 0, 0, 0, 1,
				       3, 'w', 'w', 'w', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1,
				       0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0};
	memcpy(w, head, sizeof head);
	n = sizeof head;
	w[n++] = (uint8_t)(len >> 8);
	w[n++] = (uint8_t)len;
	if (len)
		memcpy(w + n, opt, len);
	n += len;
	ldns_pkt *p = NULL;
	assert_int_equal(ldns_wire2pkt(&p, w, n), LDNS_STATUS_OK);
	return p;
}

/* The engine's view: what ldns keeps of the OPT RR, parsed by tp_pkt_ede_list. */
static void test_packets(void **state)
{
	struct tp_ede e[TP_EDE_MAX];
	uint16_t codes[TP_EDE_MAX];
	(void)state;
	static const uint8_t good[] = {0, 15, 0, 6, 0, 9, 'k', 'e', 'y', '!', 0, 15, 0, 2, 0, 6};
	ldns_pkt *p = reply_with_opt(good, sizeof good);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_SERVFAIL);
	assert_int_equal(tp_pkt_ede_list(p, e, TP_EDE_MAX), 2);
	assert_int_equal(e[0].code, 9);
	assert_string_equal(e[0].text, "key!");
	assert_int_equal(tp_pkt_ede(p, codes, TP_EDE_MAX), 2);
	assert_int_equal(codes[1], 6);
	ldns_pkt_free(p);
	/* a malformed option travels as it came: the parser, not ldns, makes sense of it */
	static const uint8_t bad[] = {0, 15, 0, 2, 0, 22, 0, 15, 0, 30, 0, 9};
	p = reply_with_opt(bad, sizeof bad);
	assert_int_equal(tp_pkt_ede_list(p, e, TP_EDE_MAX), 1);
	assert_int_equal(e[0].code, 22);
	ldns_pkt_free(p);
	/* no OPT, or an OPT without options */
	p = ldns_pkt_new();
	assert_int_equal(tp_pkt_ede_list(p, e, TP_EDE_MAX), 0);
	ldns_pkt_free(p);
	p = reply_with_opt(NULL, 0);
	assert_int_equal(tp_pkt_ede_list(p, e, TP_EDE_MAX), 0);
	ldns_pkt_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_well_formed),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_packets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
