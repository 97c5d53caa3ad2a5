/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* test_render: every renderer on a small fixed report, rendered into memory and compared
 * whole; the JSON also parsed back and checked key by key; write errors reported as -1.
 * The plugin line and Prometheus: test_plugin.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "render.h"
#include "report.h"
#include "verdict.h"
#include "tp_config.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the fixed report ----
 * The fixed report: three resolvers (not-ready, ready lab instance with a warn, unknown). */
static struct tp_finding fx_a[] = {
	{ "transport.udp", TP_G_TRANSPORT, TP_PASS, 1, "answered over UDP", "query . SOA", 3.5, 0, 0, {0}, 0, 0, .accepted = 0 },
	{ "validation.bogus-sig", TP_G_VALIDATION, TP_FAIL, 1,
	  "observed NOERROR+AD; expected SERVFAIL (RFC 4035 5.5)",
	  "query bogus-sig.test. A +dnssec: NOERROR AD 1 answer", 12.5, 0, 0, {0}, 0, 0, .accepted = 0 },
	{ "validation.good", TP_G_VALIDATION, TP_PASS, 1, "AD set", "query good.test. A", 4, 0, 0, {0}, 0, 0, .accepted = 0 },
	{ "root-trust.sentinel", TP_G_ROOT_TRUST, TP_WARN, 0, "RFC 8509 sentinel not supported",
	  "", 2, 0, 0, {0}, 0, 0, .accepted = 0 },
	{ "dane.tlsa", TP_G_DANE, TP_SKIP, 0, "no test zone", "", 0, 0, 0, {0}, 0, 0, .accepted = 0 },
};
static struct tp_finding fx_b[] = {
	{ "transport.udp", TP_G_TRANSPORT, TP_PASS, 1, "answered over UDP", "", 1, 0, 0, {0}, 0, 0, .accepted = 0 },
	{ "validation.alg-ed448", TP_G_VALIDATION, TP_WARN, 0, "ed448 treated as insecure", "", 1, 0, 0, {0}, 0, 0, .accepted = 0 },
	{ "denial.nsec-forged", TP_G_DENIAL, TP_PASS, 1, "SERVFAIL", "", 2, 0, 0, {0}, 0, 0, .accepted = 0 },
	{ "root-trust.dnskey", TP_G_ROOT_TRUST, TP_PASS, 1, "AD set", "", 1, 0, 0, {0}, 0, 0, .accepted = 0 },
	{ "ad-path.do", TP_G_AD_PATH, TP_PASS, 0, "AD set", "", 1, 0, 0, {0}, 0, 0, .accepted = 0 },
	{ "dane.tlsa", TP_G_DANE, TP_PASS, 1, "AD set", "", 1, 0, 0, {0}, 0, 0, .accepted = 0 },
};
static struct tp_finding fx_c[] = {
	{ "transport.udp", TP_G_TRANSPORT, TP_SKIP, 1, "no answer: timeout", "", 0, 0, 0, {0}, 0, 0, .accepted = 0 },
};

static void fixture(struct tp_report *rep, struct tp_resolver_report r[3])
{
	memset(r, 0, 3 * sizeof *r);
	strcpy(r[0].resolver, "127.0.0.1");
	r[0].findings = fx_a;
	r[0].n_findings = sizeof fx_a / sizeof fx_a[0];
	r[0].duration_s = 1.25;
	r[0].max_rtt_ms = 12.5;
	strcpy(r[1].resolver, "10.53.0.3");
	strcpy(r[1].name, "unbound");
	strcpy(r[1].software, "unbound 1.17.1");
	r[1].findings = fx_b;
	r[1].n_findings = sizeof fx_b / sizeof fx_b[0];
	r[1].duration_s = 0.5;
	r[1].max_rtt_ms = 2;
	strcpy(r[2].resolver, "::1@5353");
	r[2].findings = fx_c;
	r[2].n_findings = 1;
	r[2].duration_s = 2;
	for (int i = 0; i < 3; i++)
		tp_verdict_compute(&r[i]);
	memset(rep, 0, sizeof *rep);
	rep->n = 3;
	rep->resolvers = r;
	rep->n_skipped_no_zone = 4;
	rep->duration_s = 2.5;
}

enum which { R_TEXT, R_TEXT_V, R_TEXT_COLOR, R_JSON, R_MATRIX, R_MATRIX_COLOR };

/* Renders rep into a malloc'd string; *rc gets the renderer's return value. */
static char *render(enum which w, const struct tp_report *rep, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	switch (w) {
	case R_TEXT: *rc = tp_render_text(f, rep, 0, 0); break;
	case R_TEXT_V: *rc = tp_render_text(f, rep, 1, 0); break;
	case R_TEXT_COLOR: *rc = tp_render_text(f, rep, 0, 1); break;
	case R_JSON: *rc = tp_render_json(f, rep); break;
	case R_MATRIX: *rc = tp_render_matrix(f, rep, 0); break;
	case R_MATRIX_COLOR: *rc = tp_render_matrix(f, rep, 1); break;
	}
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void check(enum which w, const struct tp_report *rep, int want_rc, const char *want)
{
	int rc;
	char *got = render(w, rep, &rc);

	assert_int_equal(rc, want_rc);
	assert_string_equal(got, want);
	free(got);
}

/* Removes ANSI "ESC [ ... m" sequences in place. */
static void strip_ansi(char *s)
{
	char *o = s;

	while (*s) {
		if (*s == '\033' && s[1] == '[') {
			s += 2;
			while (*s && *s != 'm')
				s++;
			if (*s)
				s++;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

static const char text_plain[] =
	"127.0.0.1: NOT-READY (dane_ready no)\n"
	"  root key roll: NOT-READY (root-trust.sentinel: RFC 8509 sentinel not\n"
	"    supported)\n"
	"  transport   PASS\n"
	"  validation  FAIL\n"
	"    FAIL  validation.bogus-sig: observed NOERROR+AD; expected SERVFAIL (RFC 4035\n"
	"          5.5)\n"
	"  denial      SKIP\n"
	"  root-trust  WARN\n"
	"    WARN  root-trust.sentinel: RFC 8509 sentinel not supported\n"
	"  ad-path     SKIP\n"
	"  dane        SKIP\n"
	"    SKIP  dane.tlsa: no test zone\n"
	"  2 passed, 1 warned, 1 failed, 1 skipped\n"
	"\n"
	"unbound (10.53.0.3): READY (dane_ready yes), unbound 1.17.1\n"
	"  root key roll: READY\n"
	"  transport   PASS\n"
	"  validation  WARN\n"
	"    WARN  validation.alg-ed448: ed448 treated as insecure\n"
	"  denial      PASS\n"
	"  root-trust  PASS\n"
	"  ad-path     PASS\n"
	"  dane        PASS\n"
	"  5 passed, 1 warned, 0 failed, 0 skipped\n"
	"\n"
	"::1@5353: UNKNOWN (dane_ready no)\n"
	"  note: no answer from the resolver: transport.udp skipped: no answer: timeout\n"
	"  root key roll: UNKNOWN (the root DNSKEY RRset was not checked)\n"
	"  transport   SKIP\n"
	"    SKIP  transport.udp: no answer: timeout\n"
	"  validation  SKIP\n"
	"  denial      SKIP\n"
	"  root-trust  SKIP\n"
	"  ad-path     SKIP\n"
	"  dane        SKIP\n"
	"  0 passed, 0 warned, 0 failed, 1 skipped\n"
	"\n"
	"4 cases skipped: no test zone given (--zone or --lab)\n";

static void text_exact(void **state)
{
	struct tp_report rep;
	struct tp_resolver_report r[3];
	(void)state;
	fixture(&rep, r);
	check(R_TEXT, &rep, 0, text_plain);
	assert_null(strchr(text_plain, '\033'));
}

static void text_verbose(void **state)
{
	struct tp_report rep;
	struct tp_resolver_report r[3];
	(void)state;
	fixture(&rep, r);
	rep.n = 1;
	rep.n_skipped_no_zone = 0;
	check(R_TEXT_V, &rep, 0,
	      "127.0.0.1: NOT-READY (dane_ready no)\n"
	      "  root key roll: NOT-READY (root-trust.sentinel: RFC 8509 sentinel not\n"
	      "    supported)\n"
	      "  transport   PASS\n"
	      "    PASS  transport.udp: answered over UDP\n"
	      "          query . SOA\n"
	      "  validation  FAIL\n"
	      "    FAIL  validation.bogus-sig: observed NOERROR+AD; expected SERVFAIL (RFC 4035\n"
	      "          5.5)\n"
	      "          query bogus-sig.test. A +dnssec: NOERROR AD 1 answer\n"
	      "    PASS  validation.good: AD set\n"
	      "          query good.test. A\n"
	      "  denial      SKIP\n"
	      "  root-trust  WARN\n"
	      "    WARN  root-trust.sentinel: RFC 8509 sentinel not supported\n"
	      "  ad-path     SKIP\n"
	      "  dane        SKIP\n"
	      "    SKIP  dane.tlsa: no test zone\n"
	      "  2 passed, 1 warned, 1 failed, 1 skipped\n");
}

static void text_color(void **state)
{
	struct tp_report rep;
	struct tp_resolver_report r[3];
	int rc;
	(void)state;
	fixture(&rep, r);
	char *got = render(R_TEXT_COLOR, &rep, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(got, "\033[31mNOT-READY\033[0m"));
	assert_non_null(strstr(got, "  validation  \033[31mFAIL\033[0m\n"));
	assert_non_null(strstr(got, "    \033[33mWARN\033[0m  root-trust.sentinel"));
	strip_ansi(got);
	assert_string_equal(got, text_plain); /* colour changes nothing else */
	free(got);
}

static void text_no_zone_only(void **state)
{
	struct tp_report rep = { .n_skipped_no_zone = 1 };
	(void)state;
	check(R_TEXT, &rep, 0, "1 case skipped: no test zone given (--zone or --lab)\n");
}

/* ---- JSON ---- */

/* Without -v, cases skipped only for want of a test zone are counted, not listed. */
static void text_hides_no_zone_skips(void **state)
{
	(void)state;
	struct tp_finding fx[] = {
		{ "transport.udp", TP_G_TRANSPORT, TP_PASS, 1, "answered", "", 1, 0, 0, {0}, 0, 0, .accepted = 0 },
		{ "validation.bogus-sig", TP_G_VALIDATION, TP_SKIP, 1,
		  "needs a test zone (--zone or --lab)", "", 0, 1, 0, {0}, 0, 0, .accepted = 0 },
		{ "denial.nodata-nsec", TP_G_DENIAL, TP_SKIP, 0, "no answer: timeout", "", 0, 0, 0, {0}, 0, 0, .accepted = 0 },
	};
	struct tp_resolver_report r;
	memset(&r, 0, sizeof r);
	strcpy(r.resolver, "127.0.0.1");
	r.findings = fx;
	r.n_findings = 3;
	tp_verdict_compute(&r);
	struct tp_report rep = { .n = 1, .resolvers = &r, .n_skipped_no_zone = 1 };
	int rc;
	char *out = render(R_TEXT, &rep, &rc);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "    SKIP  validation.bogus-sig"));
	assert_non_null(strstr(out, "    SKIP  denial.nodata-nsec: no answer: timeout"));
	assert_non_null(strstr(out, "1 case skipped: no test zone given (--zone or --lab)"));
	free(out);
	out = render(R_TEXT_V, &rep, &rc);
	assert_non_null(strstr(out, "    SKIP  validation.bogus-sig: needs a test zone"));
	free(out);
}

static const char json_small[] =
	"{\n"
	"  \"schema_version\": 2,\n"
	"  \"tool\": {\n"
	"    \"name\": \"trustprobe\",\n"
	"    \"version\": \"" TP_VERSION "\"\n"
	"  },\n"
	"  \"zone\": null,\n"
	"  \"resolvers\": [\n"
	"    {\n"
	"      \"resolver\": \"::1@5353\",\n"
	"      \"verdict\": \"unknown\",\n"
	"      \"dane_ready\": false,\n"
	"      \"note\": \"no answer from the resolver: transport.udp skipped: no answer: timeout\",\n"
	"      \"roll_ready\": false,\n"
	"      \"roll_verdict\": \"unknown\",\n"
	"      \"roll_note\": \"the root DNSKEY RRset was not checked\",\n"
	"      \"family\": {\n"
	"        \"candidates\": [],\n"
	"        \"how\": \"unknown\",\n"
	"        \"why\": \"\"\n"
	"      },\n"
	"      \"causes\": [],\n"
	"      \"groups\": {\n"
	"        \"transport\": \"skip\",\n"
	"        \"validation\": \"skip\",\n"
	"        \"denial\": \"skip\",\n"
	"        \"root-trust\": \"skip\",\n"
	"        \"ad-path\": \"skip\",\n"
	"        \"dane\": \"skip\"\n"
	"      },\n"
	"      \"cases\": [\n"
	"        {\n"
	"          \"id\": \"transport.udp\",\n"
	"          \"group\": \"transport\",\n"
	"          \"status\": \"skip\",\n"
	"          \"reason\": \"no answer: timeout\",\n"
	"          \"essential\": true,\n"
	"          \"observations\": [],\n"
	"          \"detail\": \"\"\n"
	"        }\n"
	"      ],\n"
	"      \"summary\": {\n"
	"        \"pass\": 0,\n"
	"        \"warn\": 0,\n"
	"        \"fail\": 0,\n"
	"        \"skip\": 1,\n"
	"        \"accepted\": 0\n"
	"      },\n"
	"      \"duration_s\": 2.0\n"
	"    }\n"
	"  ],\n"
	"  \"skipped_no_zone\": 0\n"
	"}\n";

static void json_exact_small(void **state)
{
	struct tp_report rep;
	struct tp_resolver_report r[3];
	(void)state;
	fixture(&rep, r);
	rep.resolvers = &r[2];
	rep.n = 1;
	rep.n_skipped_no_zone = 0;
	check(R_JSON, &rep, 0, json_small);
}

static void expect_keys(json_t *o, const char *const *keys, size_t n)
{
	size_t i = 0;
	const char *k;
	json_t *v;

	assert_true(json_is_object(o));
	assert_int_equal(json_object_size(o), n);
	json_object_foreach(o, k, v) {
		(void)v;
		assert_string_equal(k, keys[i]);
		i++;
	}
}

static const char *sget(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

static void json_key_by_key(void **state)
{
	static const char *const top_keys[] = { "schema_version", "tool", "zone", "resolvers",
						"skipped_no_zone" };
	static const char *const plain_keys[] = { "resolver", "verdict", "dane_ready", "roll_ready",
						  "roll_verdict", "roll_note", "family", "causes",
						  "groups", "cases", "summary", "duration_s" };
	static const char *const lab_keys[] = { "resolver", "name", "software", "verdict",
						"dane_ready", "roll_ready", "roll_verdict", "family",
						"causes", "groups", "cases", "summary", "duration_s" };
	static const char *const group_keys[] = { "transport", "validation", "denial",
						  "root-trust", "ad-path", "dane" };
	static const char *const case_keys[] = { "id", "group", "status", "reason", "essential",
						 "observations", "detail" };
	static const char *const sum_keys[] = { "pass", "warn", "fail", "skip", "accepted" };
	struct tp_report rep;
	struct tp_resolver_report r[3];
	json_error_t jerr;
	int rc;
	(void)state;
	fixture(&rep, r);
	char *got = render(R_JSON, &rep, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(got[strlen(got) - 1], '\n');
	json_t *top = json_loads(got, JSON_REJECT_DUPLICATES, &jerr);
	free(got);
	assert_non_null(top);
	expect_keys(top, top_keys, 5);
	assert_int_equal(json_integer_value(json_object_get(top, "schema_version")), 2);
	assert_int_equal(json_integer_value(json_object_get(top, "skipped_no_zone")), 4);
	json_t *list = json_object_get(top, "resolvers");
	assert_int_equal(json_array_size(list), 3);

	json_t *a = json_array_get(list, 0), *b = json_array_get(list, 1);
	json_t *c = json_array_get(list, 2);
	expect_keys(a, plain_keys, 12);
	expect_keys(b, lab_keys, 13);
	static const char *const unknown_keys[] = { "resolver", "verdict", "dane_ready", "note",
						    "roll_ready", "roll_verdict", "roll_note",
						    "family", "causes", "groups", "cases", "summary",
						    "duration_s" };
	expect_keys(c, unknown_keys, 13);
	assert_true(json_is_false(json_object_get(a, "roll_ready")));
	assert_string_equal(sget(a, "roll_verdict"), "not-ready");
	assert_true(json_is_true(json_object_get(b, "roll_ready")));
	assert_null(json_object_get(b, "roll_note"));
	assert_string_equal(sget(a, "resolver"), "127.0.0.1");
	assert_string_equal(sget(a, "verdict"), "not-ready");
	assert_true(json_is_false(json_object_get(a, "dane_ready")));
	assert_string_equal(sget(b, "name"), "unbound");
	assert_string_equal(sget(b, "software"), "unbound 1.17.1");
	assert_string_equal(sget(b, "verdict"), "ready");
	assert_true(json_is_true(json_object_get(b, "dane_ready")));
	assert_string_equal(sget(c, "verdict"), "unknown");

	json_t *g = json_object_get(a, "groups");
	expect_keys(g, group_keys, 6);
	assert_string_equal(sget(g, "transport"), "pass");
	assert_string_equal(sget(g, "validation"), "fail");
	assert_string_equal(sget(g, "denial"), "skip");
	assert_string_equal(sget(g, "root-trust"), "warn");

	json_t *cases = json_object_get(a, "cases");
	assert_int_equal(json_array_size(cases), 5);
	json_t *k = json_array_get(cases, 1);
	expect_keys(k, case_keys, 7);
	assert_string_equal(sget(k, "id"), "validation.bogus-sig");
	assert_string_equal(sget(k, "group"), "validation");
	assert_string_equal(sget(k, "status"), "fail");
	assert_string_equal(sget(k, "reason"),
			    "observed NOERROR+AD; expected SERVFAIL (RFC 4035 5.5)");
	assert_null(json_object_get(k, "ede")); /* none seen: no key */

	json_t *sum = json_object_get(a, "summary");
	expect_keys(sum, sum_keys, 5);
	assert_int_equal(json_integer_value(json_object_get(sum, "pass")), 2);
	assert_int_equal(json_integer_value(json_object_get(sum, "warn")), 1);
	assert_int_equal(json_integer_value(json_object_get(sum, "fail")), 1);
	assert_int_equal(json_integer_value(json_object_get(sum, "skip")), 1);
	assert_true(json_real_value(json_object_get(a, "duration_s")) == 1.25);
	json_decref(top);
}

/* The EDE codes a resolver sent go into the case's JSON as "ede", in order. */
static void json_ede(void **state)
{
	(void)state;
	struct tp_report rep;
	struct tp_resolver_report r[3];
	fixture(&rep, r);
	r[0].findings[1].n_ede = 2;
	r[0].findings[1].ede[0] = 6;
	r[0].findings[1].ede[1] = 9;
	int rc;
	char *got = render(R_JSON, &rep, &rc);
	json_error_t jerr;
	json_t *top = json_loads(got, 0, &jerr);
	assert_non_null(top);
	json_t *k = json_array_get(json_object_get(json_array_get(json_object_get(top, "resolvers"), 0), "cases"), 1);
	json_t *e = json_object_get(k, "ede");
	assert_true(json_is_array(e));
	assert_int_equal(json_array_size(e), 2);
	assert_int_equal(json_integer_value(json_array_get(e, 0)), 6);
	assert_int_equal(json_integer_value(json_array_get(e, 1)), 9);
	json_decref(top);
	free(got);
	r[0].findings[1].n_ede = 0;
}

static void json_bad_utf8(void **state)
{
	struct tp_report rep;
	struct tp_resolver_report r[3];
	json_error_t jerr;
	int rc;
	(void)state;
	fixture(&rep, r);
	rep.n = 1;
	struct tp_finding f = fx_a[0];
	strcpy(f.reason, "label \xff\xfe end");
	r[0].findings = &f;
	r[0].n_findings = 1;
	char *got = render(R_JSON, &rep, &rc);
	assert_int_equal(rc, 0);
	json_t *top = json_loads(got, 0, &jerr);
	free(got);
	assert_non_null(top);
	json_t *k = json_array_get(json_object_get(json_array_get(json_object_get(top,
		"resolvers"), 0), "cases"), 0);
	assert_string_equal(sget(k, "reason"), "label ?? end");
	json_decref(top);
}

/* ---- matrix ---- */

#define LEGEND "\n" \
	"pass: every case of the group passed; warn: a gap that fails closed (nothing is\n" \
	"downgraded); fail: a case failed, not safe for DANE; skip: could not be checked.\n" \
	"ready: safe for DANE; not-ready: some group failed; unknown: the probe could not\n" \
	"tell. notes: the diagnosed causes, most serious first; -v gives each resolver's\n" \
	"causes, fixes and evidence.\n"

static const char matrix_plain[] =
	"resolver   transport  validation  denial  root-trust  ad-path  dane  verdict    notes\n"
	"127.0.0.1  pass       fail        skip    warn        skip     skip  not-ready\n"
	"unbound    pass       warn        pass    pass        pass     pass  ready\n"
	"::1@5353   skip       skip        skip    skip        skip     skip  unknown\n" LEGEND;

static void matrix_exact(void **state)
{
	struct tp_report rep;
	struct tp_resolver_report r[3];
	int rc;
	(void)state;
	fixture(&rep, r);
	check(R_MATRIX, &rep, 0, matrix_plain);
	char *got = render(R_MATRIX_COLOR, &rep, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(got, "\033[31mfail\033[0m        \033[36mskip"));
	strip_ansi(got);
	assert_string_equal(got, matrix_plain);
	free(got);
}

static void matrix_long_name(void **state)
{
	struct tp_report rep;
	struct tp_resolver_report r[3];
	(void)state;
	fixture(&rep, r);
	strcpy(r[1].name, "knot-resolver-long");
	rep.n = 2;
	check(R_MATRIX, &rep, 0,
	      "resolver            transport  validation  denial  root-trust  ad-path  dane  verdict    notes\n"
	      "127.0.0.1           pass       fail        skip    warn        skip     skip  not-ready\n"
	      "knot-resolver-long  pass       warn        pass    pass        pass     pass  ready\n" LEGEND);
}

/* Lab instances that were not started: a matrix row each, a JSON "skipped" list (only in
 * a lab run), and nothing in the exit status. */
static void lab_skipped(void **state)
{
	struct tp_report rep;
	struct tp_resolver_report r[3];
	(void)state;
	fixture(&rep, r);
	rep.n = 2;
	int before = tp_exit_status(&rep);
	rep.lab_run = 1;
	rep.n_skipped = 1;
	strcpy(rep.skipped[0].name, "knot-resolver");
	strcpy(rep.skipped[0].program, "kresd");
	strcpy(rep.skipped[0].package, "knot-resolver");
	strcpy(rep.skipped[0].reason, "kresd not installed: apt-get install knot-resolver");
	assert_int_equal(tp_exit_status(&rep), before);
	check(R_MATRIX, &rep, 0,
	      "resolver       transport  validation  denial  root-trust  ad-path  dane  verdict    notes\n"
	      "127.0.0.1      pass       fail        skip    warn        skip     skip  not-ready\n"
	      "unbound        pass       warn        pass    pass        pass     pass  ready\n"
	      "knot-resolver  skipped (kresd not installed: apt-get install knot-resolver)\n" LEGEND);
	int rc;
	char *got = render(R_JSON, &rep, &rc);
	assert_int_equal(rc, 0);
	json_error_t jerr;
	json_t *top = json_loads(got, JSON_REJECT_DUPLICATES, &jerr);
	assert_non_null(top);
	json_t *sk = json_object_get(top, "skipped");
	assert_true(json_is_array(sk));
	assert_int_equal(json_array_size(sk), 1);
	json_t *k = json_array_get(sk, 0);
	assert_int_equal(json_object_size(k), 4);
	assert_string_equal(json_string_value(json_object_get(k, "name")), "knot-resolver");
	assert_string_equal(json_string_value(json_object_get(k, "program")), "kresd");
	assert_string_equal(json_string_value(json_object_get(k, "package")), "knot-resolver");
	assert_string_equal(json_string_value(json_object_get(k, "reason")),
			    "kresd not installed: apt-get install knot-resolver");
	json_decref(top);
	free(got);
	/* a lab run with nothing skipped has an empty list; outside the lab no key at all */
	rep.n_skipped = 0;
	got = render(R_JSON, &rep, &rc);
	top = json_loads(got, 0, &jerr);
	assert_int_equal(json_array_size(json_object_get(top, "skipped")), 0);
	assert_true(json_is_array(json_object_get(top, "skipped")));
	json_decref(top);
	free(got);
	rep.lab_run = 0;
	got = render(R_JSON, &rep, &rc);
	top = json_loads(got, 0, &jerr);
	assert_null(json_object_get(top, "skipped"));
	json_decref(top);
	free(got);
}

/* ---- write errors ---- */

static void write_errors(void **state)
{
	struct tp_report rep;
	struct tp_resolver_report r[3];
	(void)state;
	fixture(&rep, r);
	FILE *f = fopen("/dev/null", "r"); /* every write fails */
	assert_non_null(f);
	assert_int_equal(tp_render_text(f, &rep, 0, 0), -1);
	clearerr(f);
	assert_int_equal(tp_render_json(f, &rep), -1);
	clearerr(f);
	assert_int_equal(tp_render_matrix(f, &rep, 1), -1);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_exact),
		cmocka_unit_test(text_verbose),
		cmocka_unit_test(text_color),
		cmocka_unit_test(text_no_zone_only),
		cmocka_unit_test(text_hides_no_zone_skips),
		cmocka_unit_test(json_exact_small),
		cmocka_unit_test(json_key_by_key),
		cmocka_unit_test(json_bad_utf8),
		cmocka_unit_test(json_ede),
		cmocka_unit_test(matrix_exact),
		cmocka_unit_test(matrix_long_name),
		cmocka_unit_test(lab_skipped),
		cmocka_unit_test(write_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
