/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * test_pinned: every case of the catalogue is pinned by recorded answers. The answers are in
 * tests/unit/data/pinned (format at its top), built here with ldns (packet -> wire -> parsed
 * back, as the query engine does) and judged through the plan and the evaluator; each must
 * get the status recorded with it. Every case needs at least one answer that passes it and
 * one that fails or warns it, so that loosening a rule of the catalogue makes this test fail
 * (tests/loosen.pl checks that). Catalogue: env TP_CASES, else TP_VECTORS/cases; answers:
 * env TP_PINNED, else tests/unit/data/pinned. No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog.h"
#include "evaluate.h"
#include "plan.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct tp_catalog cat;
static struct tp_plan plan;     /* every case, zone "test.", lab tags 20326 and 38696 */

static void fixed_rand(void *ctx, unsigned char *buf, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(7 * i + 3);
}

static int setup(void **state)
{
	char path[512], err[512];
	const char *cases = getenv("TP_CASES"), *v = getenv("TP_VECTORS");
	struct tp_plan_env env = { .zone = "test.", .lab = 1, .ksk_current = 20326,
				   .ksk_next = 38696, .rand_bytes = fixed_rand };
	int *sel;
	(void)state;
	if (cases && *cases)
		snprintf(path, sizeof path, "%s", cases);
	else
		snprintf(path, sizeof path, "%s/cases", v && *v ? v : "testvectors");
	if (tp_catalog_load(path, &cat, err, sizeof err)) {
		print_error("%s\n", err);
		return -1;
	}
	sel = calloc(cat.n, sizeof *sel);
	if (!sel)
		return -1;
	for (size_t i = 0; i < cat.n; i++)
		sel[i] = 1;
	if (tp_plan_build(&cat, sel, &env, &plan, err, sizeof err)) {
		print_error("%s\n", err);
		free(sel);
		return -1;
	}
	free(sel);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tp_plan_free(&plan);
	tp_catalog_free(&cat);
	return 0;
}

/* Sample data for an RR of type t at owner: enough for the evaluator, which looks at types. */
static void sample_rr(const char *owner, uint16_t t, char *buf, size_t len)
{
	static const struct { uint16_t t; const char *rdata; } s[] = {
		{ LDNS_RR_TYPE_A, "192.0.2.1" },
		{ LDNS_RR_TYPE_AAAA, "2001:db8::1" },
		{ LDNS_RR_TYPE_TXT, "\"trustprobe\"" },
		{ LDNS_RR_TYPE_SOA, "ns.test. hostmaster.test. 1 7200 3600 1209600 300" },
		{ LDNS_RR_TYPE_NSEC, "zzz.test. A AAAA RRSIG NSEC" },
		{ LDNS_RR_TYPE_NSEC3, "1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3t A RRSIG" },
		{ LDNS_RR_TYPE_RRSIG, "A 13 3 3600 20300101000000 20200101000000 4711 test. AAAA" },
		{ LDNS_RR_TYPE_DNSKEY, "257 3 13 AwEAAQ==" },
		{ LDNS_RR_TYPE_DS, "4711 13 2 49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5" },
		{ LDNS_RR_TYPE_TLSA, "3 1 1 0A0B" },
		{ LDNS_RR_TYPE_CNAME, "target.test." },
		{ LDNS_RR_TYPE_DNAME, "mx.dane.test." },
		{ LDNS_RR_TYPE_MX, "10 mx.test." },
		{ LDNS_RR_TYPE_NS, "ns.test." },
	};
	char tn[24];
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		if (s[i].t == t) {
			tp_type_name(t, tn, sizeof tn);
			snprintf(buf, len, "%s 3600 IN %s %s", owner, tn, s[i].rdata);
			return;
		}
	snprintf(buf, len, "%s 3600 IN TYPE%u \\# 2 0102", owner, (unsigned)t);
}

/* The reply to one query of a pin, as written. */
struct spec {
	int given, timeout, ad, aa, tc, tcp, udp, edns; /* edns: -1 echo the query, 0 none, 1, 2 DO */
	ldns_pkt_rcode rcode;
	uint16_t an[8], ns[8], ede[4];
	size_t n_an, n_ns, n_ede;
};

static void build_obs(const struct spec *sp, const struct tp_query *q, struct tp_observation *obs)
{
	ldns_pkt *p;
	ldns_rr *qr;
	ldns_rdf *owner = NULL;
	uint8_t *wire = NULL;
	size_t len = 0, i;
	char rr[512];
	int edns = sp->edns;

	memset(obs, 0, sizeof *obs);
	if (sp->timeout) {
		obs->status = TP_OBS_TIMEOUT;
		snprintf(obs->reason, sizeof obs->reason, "no reply to 3 UDP tries");
		return;
	}
	p = ldns_pkt_new();
	qr = ldns_rr_new();
	assert_non_null(p);
	assert_int_equal(ldns_str2rdf_dname(&owner, q->qname), LDNS_STATUS_OK);
	ldns_rr_set_owner(qr, owner);
	ldns_rr_set_type(qr, (ldns_rr_type)q->qtype);
	ldns_rr_set_class(qr, LDNS_RR_CLASS_IN);
	ldns_rr_set_question(qr, true);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, qr);
	ldns_pkt_set_id(p, 4242);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_rd(p, (q->flags & TP_Q_RD) != 0);
	ldns_pkt_set_cd(p, (q->flags & TP_Q_CD) != 0);
	ldns_pkt_set_ra(p, true);
	ldns_pkt_set_aa(p, sp->aa != 0);
	ldns_pkt_set_rcode(p, (uint8_t)sp->rcode);
	ldns_pkt_set_ad(p, sp->ad != 0);
	for (i = 0; i < sp->n_an + sp->n_ns; i++) {
		ldns_rr *r = NULL;
		int an = i < sp->n_an;
		sample_rr(q->qname, an ? sp->an[i] : sp->ns[i - sp->n_an], rr, sizeof rr);
		if (ldns_rr_new_frm_str(&r, rr, 3600, NULL, NULL) != LDNS_STATUS_OK)
			fail_msg("bad sample RR %s", rr);
		ldns_pkt_push_rr(p, an ? LDNS_SECTION_ANSWER : LDNS_SECTION_AUTHORITY, r);
	}
	if (edns < 0)
		edns = (q->flags & TP_Q_NOEDNS) ? 0 : (q->flags & TP_Q_DO) ? 2 : 1;
	if (edns) {
		ldns_pkt_set_edns_udp_size(p, 1232);
		ldns_pkt_set_edns_do(p, edns == 2);
		if (sp->n_ede) {
			uint8_t opt[4 * 6];
			for (i = 0; i < sp->n_ede; i++) {
				uint8_t *o = opt + 6 * i;
				o[0] = 0, o[1] = 15, o[2] = 0, o[3] = 2;
				o[4] = (uint8_t)(sp->ede[i] >> 8), o[5] = (uint8_t)sp->ede[i];
			}
			ldns_pkt_set_edns_data(p, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN,
									6 * sp->n_ede, opt));
		}
	}
	assert_int_equal(ldns_pkt2wire(&wire, p, &len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	obs->status = TP_OBS_ANSWER;
	assert_int_equal(ldns_wire2pkt(&obs->pkt, wire, len), LDNS_STATUS_OK);
	obs->wire = wire;
	obs->wirelen = len;
	obs->n_ede = tp_pkt_ede(obs->pkt, obs->ede, TP_EDE_MAX);
	obs->truncated = sp->tc;
	obs->used_tcp = !sp->udp && (sp->tc || sp->tcp || (q->flags & TP_Q_TCP));
	obs->transport = obs->used_tcp ? TP_TRANSPORT_TCP : TP_TRANSPORT_UDP;
	obs->attempts = 1;
	obs->rtt_ms = 1.0;
}

static int parse_status(const char *s, enum tp_status *st)
{
	static const char *names[] = { "pass", "warn", "fail", "skip" };
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*st = (enum tp_status)i;
			return 0;
		}
	return -1;
}

/* Parses the reply tokens of a pin into sp[0..c->n_queries). Returns NULL or an error. */
static const char *parse_replies(const struct tp_case *c, char *rest, struct spec *sp)
{
	static char msg[160];
	size_t k = 0;
	char *w, *save = NULL;
	memset(sp, 0, sizeof *sp * TP_QUERIES_MAX);
	for (size_t i = 0; i < TP_QUERIES_MAX; i++)
		sp[i].edns = -1;
	for (w = strtok_r(rest, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		size_t n = strlen(w);
		ldns_lookup_table *lt;
		struct spec *s;
		if (w[n - 1] == ':') {
			w[n - 1] = '\0';
			for (k = 0; k < c->n_queries && strcmp(c->queries[k].label, w); k++)
				;
			if (k == c->n_queries) {
				snprintf(msg, sizeof msg, "no query labelled '%s'", w);
				return msg;
			}
			continue;
		}
		s = &sp[k];
		s->given = 1;
		if ((lt = ldns_lookup_by_name(ldns_rcodes, w)))
			s->rcode = (ldns_pkt_rcode)lt->id;
		else if (!strcmp(w, "ad"))
			s->ad = 1;
		else if (!strcmp(w, "aa"))
			s->aa = 1;
		else if (!strcmp(w, "tc"))
			s->tc = 1;
		else if (!strcmp(w, "tcp"))
			s->tcp = 1;
		else if (!strcmp(w, "udp"))
			s->udp = 1;
		else if (!strcmp(w, "timeout"))
			s->timeout = 1;
		else if (!strcmp(w, "noedns"))
			s->edns = 0;
		else if (!strcmp(w, "edns"))
			s->edns = 1;
		else if (!strcmp(w, "do"))
			s->edns = 2;
		else if (!strncmp(w, "ede=", 4) && s->n_ede < 4)
			s->ede[s->n_ede++] = (uint16_t)atoi(w + 4);
		else if ((!strncmp(w, "an=", 3) && s->n_an < 8) || (!strncmp(w, "ns=", 3) && s->n_ns < 8)) {
			ldns_rr_type t = ldns_get_rr_type_by_name(w + 3);
			if (!t) {
				snprintf(msg, sizeof msg, "unknown type in '%s'", w);
				return msg;
			}
			if (w[0] == 'a')
				s->an[s->n_an++] = (uint16_t)t;
			else
				s->ns[s->n_ns++] = (uint16_t)t;
		} else {
			snprintf(msg, sizeof msg, "unknown reply token '%s'", w);
			return msg;
		}
	}
	for (k = 0; k < c->n_queries; k++)
		if (!sp[k].given) {
			snprintf(msg, sizeof msg, "no reply for query '%s'", c->queries[k].label);
			return msg;
		}
	return NULL;
}

static const struct tp_plan_case *plan_case(const struct tp_case *c)
{
	for (size_t i = 0; i < plan.n_cases; i++)
		if (plan.cases[i].c == c)
			return &plan.cases[i];
	return NULL;
}

static void test_pinned(void **state)
{
	const char *path = getenv("TP_PINNED");
	char line[1024];
	unsigned lineno = 0, bad = 0, pins = 0;
	int *good = calloc(cat.n, sizeof *good), *notgood = calloc(cat.n, sizeof *notgood);
	FILE *f;
	(void)state;

	assert_non_null(good);
	assert_non_null(notgood);
	f = fopen(path && *path ? path : "tests/unit/data/pinned", "r");
	if (!f)
		fail_msg("cannot open the pinned answers (run from the top directory or set TP_PINNED)");
	while (fgets(line, sizeof line, f)) {
		char *hash = strchr(line, '#'), *want_text = strstr(line, " -- "), *save = NULL;
		char *kw, *id, *stw, *rest;
		const struct tp_case *c;
		const struct tp_plan_case *pc;
		struct spec sp[TP_QUERIES_MAX];
		struct tp_observation obs[TP_QUERIES_MAX];
		const struct tp_observation *op[TP_QUERIES_MAX];
		const char *names[TP_QUERIES_MAX];
		struct tp_finding fd;
		enum tp_status want;
		const char *perr;

		lineno++;
		if (hash)
			*hash = '\0';
		if (want_text) {
			*want_text = '\0';
			want_text += 4;
			want_text[strcspn(want_text, "\r\n")] = '\0';
		}
		kw = strtok_r(line, " \t\r\n", &save);
		if (!kw)
			continue;
		id = strtok_r(NULL, " \t\r\n", &save);
		stw = strtok_r(NULL, " \t\r\n", &save);
		rest = strtok_r(NULL, "\r\n", &save);
		if (strcmp(kw, "pin") || !id || !stw || parse_status(stw, &want)) {
			print_error("pinned:%u: want 'pin CASE pass|warn|fail|skip REPLY...'\n", lineno);
			bad++;
			continue;
		}
		c = tp_catalog_find(&cat, id);
		if (!c) {
			print_error("pinned:%u: no case '%s' in the catalogue\n", lineno, id);
			bad++;
			continue;
		}
		pc = plan_case(c);
		assert_non_null(pc);
		if (pc->skip) {
			print_error("pinned:%u: %s is not planned: %s\n", lineno, id, pc->why);
			bad++;
			continue;
		}
		if ((perr = parse_replies(c, rest ? rest : (char[]){ "" }, sp))) {
			print_error("pinned:%u: %s\n", lineno, perr);
			bad++;
			continue;
		}
		for (size_t k = 0; k < c->n_queries; k++) {
			build_obs(&sp[k], &plan.queries[pc->qi[k]], &obs[k]);
			op[k] = &obs[k];
			names[k] = plan.queries[pc->qi[k]].qname;
		}
		tp_evaluate_case(c, op, names, &fd);
		for (size_t k = 0; k < c->n_queries; k++)
			tp_observation_clear(&obs[k]);
		pins++;
		if (fd.status != want || (want_text && !strstr(fd.reason, want_text))) {
			print_error("pinned:%u: %s: got %s, want %s%s%s: %s\n", lineno, id,
				    tp_status_name(fd.status), tp_status_name(want),
				    want_text ? " with " : "", want_text ? want_text : "", fd.reason);
			bad++;
			continue;
		}
		good[c - cat.cases] |= want == TP_PASS;
		notgood[c - cat.cases] |= want == TP_FAIL || want == TP_WARN;
	}
	fclose(f);
	for (size_t i = 0; i < cat.n; i++) {
		if (!good[i] || !notgood[i]) {
			print_error("case %s is not pinned: it needs a recorded answer that %s "
				    "(tests/unit/data/pinned)\n", cat.cases[i].id,
				    !good[i] ? "passes it" : "fails or warns it");
			bad++;
		}
	}
	free(good);
	free(notgood);
	print_message("%u pinned answers for %zu cases\n", pins, cat.n);
	if (bad)
		fail_msg("%u pinned answers or cases are wrong (see above)", bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pinned),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
