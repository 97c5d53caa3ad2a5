/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* test_ledger: the attacker's ledger, both ends. The proxy's (probe/lab/proxy_ledger.c):
 * counts per source and rule, the least recently used entry taken over when full, the
 * label and the TXT it serves. The probe's (probe/ledger.c): the question, the reading of
 * every answer (delivered, none, stale, unreadable in each way) and how it turns a pass
 * into a skip. And the catalogue against the attack rules: every case whose forgery the
 * proxy makes names a rule that exists. Replies are built with ldns (reply.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "evaluate.h"
#include "ledger.h"
#include "proxy_ledger.h"
#include "proxy_rules.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"

static struct px_ledger L; /* large: static */

static void proxy_counts_per_source_and_rule(void **state)
{
	(void)state;
	double last = -1;
	px_ledger_init(&L);
	assert_int_equal(px_ledger_get(&L, "127.53.1.1", 0, &last), 0);
	assert_true(last == 0);
	px_ledger_note(&L, "127.53.1.1", 0, 10.0);
	px_ledger_note(&L, "127.53.1.1", 0, 12.5);
	px_ledger_note(&L, "127.53.1.2", 0, 11.0);
	px_ledger_note(&L, "127.53.1.1", 3, 13.0);
	assert_int_equal(px_ledger_get(&L, "127.53.1.1", 0, &last), 2);
	assert_true(last == 12.5);
	assert_int_equal(px_ledger_get(&L, "127.53.1.2", 0, &last), 1);
	assert_int_equal(px_ledger_get(&L, "127.53.1.1", 3, NULL), 1);
	assert_int_equal(px_ledger_get(&L, "127.53.1.2", 3, NULL), 0); /* another source */
	assert_int_equal(px_ledger_get(&L, "127.53.1.3", 0, NULL), 0);
	assert_int_equal(px_ledger_get(&L, "127.53.1.1", 1, NULL), 0); /* another rule */
}

static void proxy_full_ledger_drops_the_oldest(void **state)
{
	(void)state;
	char peer[46];
	px_ledger_init(&L);
	for (int i = 0; i < PX_LEDGER_SLOTS; i++) {
		snprintf(peer, sizeof peer, "10.%d.%d.1", i / 256, i % 256);
		px_ledger_note(&L, peer, 0, 100.0 + i);
	}
	px_ledger_note(&L, "10.0.0.1", 0, 9999.0); /* the oldest, used again: now the newest */
	px_ledger_note(&L, "192.0.2.7", 1, 10000.0); /* a new one: 10.0.1.1 (t 101) goes */
	assert_int_equal(L.used, PX_LEDGER_SLOTS);
	assert_int_equal(px_ledger_get(&L, "192.0.2.7", 1, NULL), 1);
	assert_int_equal(px_ledger_get(&L, "10.0.0.1", 0, NULL), 2);
	assert_int_equal(px_ledger_get(&L, "10.0.1.1", 0, NULL), 0);
	assert_int_equal(px_ledger_get(&L, "10.0.2.1", 0, NULL), 1);
	px_ledger_note(&L, "10.0.1.1", 0, 10001.0); /* comes back counting from one */
	assert_int_equal(px_ledger_get(&L, "10.0.1.1", 0, NULL), 1);
	assert_int_equal(px_ledger_get(&L, "10.0.2.1", 0, NULL), 0);
}

static void proxy_label_and_text(void **state)
{
	(void)state;
	char l[40], t[160];
	assert_int_equal(px_ledger_label("B6.unrelated", l, sizeof l), 0);
	assert_string_equal(l, "b6-unrelated");
	assert_int_equal(px_ledger_label("A1", l, sizeof l), 0);
	assert_string_equal(l, "a1");
	assert_int_equal(px_ledger_label("", l, sizeof l), -1);
	assert_int_equal(px_ledger_label("A1.qmin", l, 4), -1);
	px_ledger_init(&L);
	px_ledger_text(&L, "127.53.1.1", 2, "A3", 50.0, t, sizeof t);
	assert_string_equal(t, "trustprobe-ledger rule=A3 forged=0");
	px_ledger_note(&L, "127.53.1.1", 2, 40.2);
	px_ledger_note(&L, "127.53.1.1", 2, 45.0);
	px_ledger_text(&L, "127.53.1.1", 2, "A3", 50.0, t, sizeof t);
	assert_string_equal(t, "trustprobe-ledger rule=A3 forged=2 age=5.0");
	px_ledger_text(&L, "127.53.1.9", 2, "A3", 50.0, t, sizeof t);
	assert_string_equal(t, "trustprobe-ledger rule=A3 forged=0");
	px_ledger_text(&L, "127.53.1.1", -1, "", 50.0, t, sizeof t);
	assert_string_equal(t, "trustprobe-ledger rule=? unknown");
}

static void probe_question(void **state)
{
	(void)state;
	const unsigned char rnd[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
	struct tp_query q;
	assert_int_equal(tp_ledger_query("test.", "B6.unrelated", rnd, &q), 0);
	assert_string_equal(q.qname, "0123456789abcdef.b6-unrelated._ledger.test.");
	assert_int_equal(q.qtype, LDNS_RR_TYPE_TXT);
	assert_int_equal(q.flags, TP_Q_RD); /* an unsigned zone: neither DO nor CD */
	assert_int_equal(tp_ledger_query("tp.example.org", "A1", rnd, &q), 0);
	assert_string_equal(q.qname, "0123456789abcdef.a1._ledger.tp.example.org.");
	assert_int_equal(tp_ledger_query(".", "A1", rnd, &q), 0);
	assert_string_equal(q.qname, "0123456789abcdef.a1._ledger.");
	char big[300];
	memset(big, 'a', sizeof big);
	for (size_t i = 60; i < sizeof big; i += 61)
		big[i] = '.';
	big[sizeof big - 1] = '\0';
	assert_int_equal(tp_ledger_query(big, "A1", rnd, &q), -1); /* over 255 octets */
	assert_int_equal(tp_ledger_query("test.", "", rnd, &q), -1);
}

/* Reads a ledger answer holding TXT text (NULL: no answer section) with rcode rc. */
static enum tp_ledger_state read_txt(ldns_pkt_rcode rc, const char *text, const char *rule,
				     int fresh, double run_s, unsigned long *n, double *age,
				     char *why, size_t wl)
{
	char rr[300];
	struct reply r = {.qname = "0123456789abcdef.a1._ledger.test.",
			  .qtype = LDNS_RR_TYPE_TXT, .rcode = rc, .edns = 1};
	if (text) {
		snprintf(rr, sizeof rr, "an:0123456789abcdef.a1._ledger.test. 0 IN TXT \"%s\"", text);
		r.rrs[0] = rr;
	}
	struct tp_observation obs;
	observe(&r, &obs);
	enum tp_ledger_state st = tp_ledger_read(&obs, rule, fresh, run_s, n, age, why, wl);
	tp_observation_clear(&obs);
	return st;
}

static void probe_reads_the_answer(void **state)
{
	(void)state;
	char why[200];
	unsigned long n = 99;
	double age = 99;
	assert_int_equal(read_txt(LDNS_RCODE_NOERROR, "trustprobe-ledger rule=A1 forged=3 age=2",
				  "A1", 1, 4.0, &n, &age, why, sizeof why), TP_LEDGER_DELIVERED);
	assert_int_equal(n, 3);
	assert_true(age == 2);
	assert_non_null(strstr(why, "rule A1 forged 3 replies"));
	/* the proxy answers whatever case the resolver (0x20) asked in */
	assert_int_equal(read_txt(LDNS_RCODE_NOERROR, "trustprobe-ledger rule=b6.UNRELATED "
				  "forged=1 age=0", "B6.unrelated", 0, 1.0, &n, &age, why,
				  sizeof why), TP_LEDGER_DELIVERED);
	assert_int_equal(read_txt(LDNS_RCODE_NOERROR, "trustprobe-ledger rule=A1 forged=0",
				  "A1", 1, 4.0, &n, &age, why, sizeof why), TP_LEDGER_NONE);
	assert_int_equal(n, 0);
	assert_true(age == -1);
	assert_non_null(strstr(why, "forged no reply"));
	/* a fresh name: a forgery older than the run is not this run's */
	assert_int_equal(read_txt(LDNS_RCODE_NOERROR, "trustprobe-ledger rule=A1 forged=7 age=30",
				  "A1", 1, 4.0, &n, &age, why, sizeof why), TP_LEDGER_STALE);
	assert_non_null(strstr(why, "30 s ago, before this run began"));
	assert_int_equal(read_txt(LDNS_RCODE_NOERROR, "trustprobe-ledger rule=A1 forged=7 age=4.2",
				  "A1", 1, 4.0, &n, &age, why, sizeof why), TP_LEDGER_DELIVERED);
	assert_int_equal(read_txt(LDNS_RCODE_NOERROR, "trustprobe-ledger rule=A1 forged=7 age=4.3",
				  "A1", 1, 4.0, &n, &age, why, sizeof why), TP_LEDGER_STALE);
	/* a fixed name: a resolver answers it from its cache, so any forgery counts */
	assert_int_equal(read_txt(LDNS_RCODE_NOERROR, "trustprobe-ledger rule=A1 forged=7 age=30",
				  "A1", 0, 4.0, &n, &age, why, sizeof why), TP_LEDGER_DELIVERED);
}

static void probe_unreadable_answers(void **state)
{
	(void)state;
	char why[200];
	struct {
		ldns_pkt_rcode rc;
		const char *text, *needle;
	} t[] = {
		{LDNS_RCODE_NXDOMAIN, NULL, "no ledger"},
		{LDNS_RCODE_SERVFAIL, NULL, "no answer from the attacker's server"},
		{LDNS_RCODE_NOERROR, NULL, "no ledger TXT"},
		{LDNS_RCODE_NOERROR, "something else", "no ledger TXT"},
		{LDNS_RCODE_NOERROR, "trustprobe-ledger", "no attacker proxy answers"},
		{LDNS_RCODE_NOERROR, "trustprobe-ledger rule=? unknown", "knows no rule A1"},
		{LDNS_RCODE_NOERROR, "trustprobe-ledger rule=A2 forged=3 age=1", "another rule"},
		{LDNS_RCODE_NOERROR, "trustprobe-ledger rule=A10 forged=3 age=1", "another rule"},
		{LDNS_RCODE_NOERROR, "trustprobe-ledger rule=A1 forged=x", "cannot read"},
		{LDNS_RCODE_NOERROR, "trustprobe-ledger rule=A1 forged=2", "cannot read"},
		{LDNS_RCODE_NOERROR, "trustprobe-ledger rule=A1 forged=2 age=-3", "cannot read"},
		{LDNS_RCODE_NOERROR, "trustprobe-ledger rule=A1", "cannot read"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		unsigned long n = 5;
		enum tp_ledger_state st = read_txt(t[i].rc, t[i].text, "A1", 0, 4.0, &n, NULL, why,
						   sizeof why);
		if (st != TP_LEDGER_UNREADABLE || !strstr(why, t[i].needle) || n != 0)
			fail_msg("%zu (%s): state %d, n %lu, why \"%s\", want \"%s\"", i,
				 t[i].text ? t[i].text : "-", st, n, why, t[i].needle);
	}
	struct tp_observation none = {.status = TP_OBS_TIMEOUT};
	assert_int_equal(tp_ledger_read(&none, "A1", 0, 1.0, NULL, NULL, why, sizeof why),
			 TP_LEDGER_UNREADABLE);
	assert_non_null(strstr(why, "no answer"));
	assert_int_equal(tp_ledger_read(NULL, "A1", 0, 1.0, NULL, NULL, why, sizeof why),
			 TP_LEDGER_UNREADABLE);
}

/* A pass of an attack case, as the rules left it. */
static void pass_of(const struct tp_case *c, struct tp_finding *f)
{
	memset(f, 0, sizeof *f);
	f->status = TP_PASS;
	snprintf(f->id, sizeof f->id, "%s", c->id);
	snprintf(f->reason, sizeof f->reason, "observed ctl: NOERROR, AD set; fwd: SERVFAIL, AD "
		 "clear, no answer; expected fwd: SERVFAIL");
}

static void probe_turns_undelivered_passes_into_skips(void **state)
{
	(void)state;
	const struct tp_case *c = get("denial.atk-a1-wildcard-nsec-as-nxdomain");
	struct tp_finding f;
	pass_of(c, &f);
	tp_ledger_apply(c, TP_LEDGER_DELIVERED, 2, 1, "rule A1 forged 2 replies", &f);
	assert_int_equal(f.status, TP_PASS);
	assert_non_null(strstr(f.reason, "observed ctl:"));
	assert_non_null(strstr(f.reason, "[attacker's ledger: rule A1 forged 2 replies]"));
	enum tp_ledger_state bad[] = {TP_LEDGER_NONE, TP_LEDGER_STALE, TP_LEDGER_UNREADABLE};
	for (size_t i = 0; i < 3; i++) {
		pass_of(c, &f);
		tp_ledger_apply(c, bad[i], 0, -1, "rule A1 forged no reply", &f);
		assert_int_equal(f.status, TP_SKIP);
		assert_true(strncmp(f.reason, "not judged: ", 12) == 0);
		assert_non_null(strstr(f.reason, "rule A1 forged no reply"));
		assert_non_null(strstr(f.reason, "observed ctl: NOERROR")); /* what was seen */
		assert_non_null(strstr(f.reason, bad[i] == TP_LEDGER_UNREADABLE ? "could not be told"
								     : "never reached"));
	}
	/* a fail needs no ledger: the forgery is in the answer */
	pass_of(c, &f);
	f.status = TP_FAIL;
	tp_ledger_apply(c, TP_LEDGER_NONE, 0, -1, "x", &f);
	assert_int_equal(f.status, TP_FAIL);
	assert_null(strstr(f.reason, "ledger"));
	/* nor a case without a forgery */
	const struct tp_case *plain = get("validation.bogus-sig");
	assert_string_equal(plain->forgery, "");
	pass_of(plain, &f);
	tp_ledger_apply(plain, TP_LEDGER_NONE, 0, -1, "x", &f);
	assert_int_equal(f.status, TP_PASS);
}

/* Every attack case the proxy forges for names a rule of testvectors/attacks and has a fwd
 * query; the attacks of the attacker's own zones (D1, D2, E3: nothing to forge) name none. */
static void catalogue_names_existing_rules(void **state)
{
	(void)state;
	char path[512], err[600];
	const char *v = getenv("TP_VECTORS");
	struct px_rules rules = {0};
	snprintf(path, sizeof path, "%s/attacks", v && *v ? v : "testvectors");
	if (px_rules_load(path, &rules, err, sizeof err) != 0)
		fail_msg("%s", err);
	size_t with = 0, attacks = 0;
	for (size_t i = 0; i < cat.n; i++) {
		const struct tp_case *c = &cat.cases[i];
		int own_zone = strstr(c->id, "atk-d1-") || strstr(c->id, "atk-d2-") ||
			       strstr(c->id, "atk-e3-");
		if (strncmp(c->id, "denial.atk-", 11) != 0) {
			if (c->forgery[0])
				fail_msg("%s: a forgery outside the attack cases", c->id);
			continue;
		}
		attacks++;
		if (own_zone) {
			if (c->forgery[0])
				fail_msg("%s: its zone is the attacker's own, no rule forges it", c->id);
			continue;
		}
		if (!c->forgery[0])
			fail_msg("%s: an attack case without its forgery", c->id);
		size_t r;
		for (r = 0; r < rules.n && strcmp(rules.rule[r].id, c->forgery) != 0; r++)
			;
		if (r == rules.n)
			fail_msg("%s: forgery %s is no rule of %s", c->id, c->forgery, path);
		assert_non_null(tp_case_fwd(c));
		with++;
	}
	assert_int_equal(attacks, with + 3);
	assert_true(with >= 23);
	px_rules_free(&rules);
}

static void catalogue_rejects_bad_forgeries(void **state)
{
	(void)state;
	const char *head = "case x.y\n  group denial\n  query fwd www.alg13 A rd do\n"
			   "  pass rcode=SERVFAIL\n  reason r\n  source s\n";
	struct {
		const char *extra, *needle;
	} t[] = {
		{"  forgery A1\n  forgery A2\n", "forgery given twice"},
		{"  forgery\n", "forgery takes one attack rule id"},
		{"  forgery A1 A2\n", "forgery takes one attack rule id"},
		{"  forgery A/1\n", "forgery takes one attack rule id"},
		{"  forgery AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", "forgery takes one"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char text[600], err[300];
		struct tp_catalog c;
		snprintf(text, sizeof text, "%s%s", head, t[i].extra);
		if (tp_catalog_parse(text, strlen(text), "t", &c, err, sizeof err) == 0 ||
		    !strstr(err, t[i].needle))
			fail_msg("%zu: \"%s\", want \"%s\"", i, err, t[i].needle);
	}
	char err[300];
	struct tp_catalog c;
	const char *nofwd = "case x.y\n  group denial\n  query www.alg13 A rd do\n  forgery A1\n"
			    "  pass rcode=SERVFAIL\n  reason r\n  source s\n";
	assert_int_equal(tp_catalog_parse(nofwd, strlen(nofwd), "t", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "no query labelled fwd"));
	char ok[600];
	snprintf(ok, sizeof ok, "%s  forgery B6.unrelated\n", head);
	assert_int_equal(tp_catalog_parse(ok, strlen(ok), "t", &c, err, sizeof err), 0);
	assert_string_equal(c.cases[0].forgery, "B6.unrelated");
	tp_catalog_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proxy_counts_per_source_and_rule),
		cmocka_unit_test(proxy_full_ledger_drops_the_oldest),
		cmocka_unit_test(proxy_label_and_text),
		cmocka_unit_test(probe_question),
		cmocka_unit_test(probe_reads_the_answer),
		cmocka_unit_test(probe_unreadable_answers),
		cmocka_unit_test(probe_turns_undelivered_passes_into_skips),
		cmocka_unit_test(catalogue_names_existing_rules),
		cmocka_unit_test(catalogue_rejects_bad_forgeries),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
