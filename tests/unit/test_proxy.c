/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * test_proxy: the attacker proxy's rule parser (proxy_rules.c), its rewrite operations
 * (proxy_ops.c) on constructed packets, its routing table (proxy.c), and a seeded fuzz
 * run of mutated rules text and packets through the parser and the rewriter. Reads the
 * real testvectors/attacks (directory from env TP_VECTORS). No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lab_conf.h"
#include "lab_plan.h"
#include "proxy.h"
#include "proxy_ops.h"
#include "proxy_rules.h"
#include "tp_util.h"
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *vectors(void)
{
	const char *v = getenv("TP_VECTORS");
	return v && *v ? v : "testvectors";
}

#define SIG " 300 IN RRSIG %s 13 %d 300 20261215063412 20261201053412 22988 zone.test. " \
	    "1iqMlW7zVb77yylxIxbznebsbK+P+UnESPYetcsWW3/Mj9UnPEK9Bf0dKjeKAUiDKZjqGwWrnz19Hhh17nUgUg=="

static void push(ldns_rr_list *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void push(ldns_rr_list *l, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	ldns_rr *rr = NULL;
	if (ldns_rr_new_frm_str(&rr, text, 3600, NULL, NULL) != LDNS_STATUS_OK)
		fail_msg("cannot parse test record %s", text);
	assert_true(ldns_rr_list_push_rr(l, rr));
}

static void push_q(ldns_pkt *p, const char *text)
{
	ldns_rr *rr = NULL;
	if (ldns_rr_new_question_frm_str(&rr, text, NULL, NULL) != LDNS_STATUS_OK)
		fail_msg("cannot parse test question %s", text);
	assert_true(ldns_rr_list_push_rr(ldns_pkt_question(p), rr));
}

/* A signed wildcard answer from zone.test.: x.zone.test. A (labels 2) and the NSEC of
 * *.zone.test. in authority, the SOA signed, nothing in additional. */
static ldns_pkt *wild_reply(void)
{
	ldns_pkt *p = ldns_pkt_new();
	assert_non_null(p);
	ldns_pkt_set_qr(p, 1);
	ldns_pkt_set_aa(p, 1);
	push_q(p, "x.zone.test. IN A");
	push(ldns_pkt_answer(p), "x.zone.test. 300 IN A 192.0.2.1");
	push(ldns_pkt_answer(p), "x.zone.test." SIG, "A", 2);
	push(ldns_pkt_authority(p), "*.zone.test. 300 IN NSEC www.zone.test. A RRSIG NSEC");
	push(ldns_pkt_authority(p), "*.zone.test." SIG, "NSEC", 2);
	ldns_pkt_set_qdcount(p, 1);
	ldns_pkt_set_ancount(p, 2);
	ldns_pkt_set_nscount(p, 2);
	return p;
}

static ldns_pkt *soa_reply(void)
{
	ldns_pkt *p = ldns_pkt_new();
	push_q(p, "zone.test. IN SOA");
	push(ldns_pkt_answer(p), "zone.test. 3600 IN SOA ns.zone.test. h.zone.test. 1 2 3 4 300");
	push(ldns_pkt_answer(p), "zone.test." SIG, "SOA", 2);
	return p;
}

/* Parses one rule text; fails the test on error. */
static void parse_ok(const char *text, struct px_rules *r)
{
	char err[512] = "";
	if (px_rules_parse(text, "t.rules", r, err, sizeof err) != 0)
		fail_msg("unexpected parse error: %s", err);
}

static size_t count(const ldns_rr_list *l, ldns_rr_type t, const char *owner)
{
	size_t n = 0;
	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		if (t && ldns_rr_get_type(rr) != t)
			continue;
		if (owner) {
			char *o = ldns_rdf2str(ldns_rr_owner(rr));
			int same = strcasecmp(o, owner) == 0;
			free(o);
			if (!same)
				continue;
		}
		n++;
	}
	return n;
}

static void apply_text(const char *rules, ldns_pkt *p, ldns_pkt **fetched, const char *qname)
{
	struct px_rules r;
	char err[512] = "";
	parse_ok(rules, &r);
	if (px_apply(&r.rule[0], p, fetched, qname, err, sizeof err) != 0)
		fail_msg("apply failed: %s", err);
	px_rules_free(&r);
}

/* ---- parser ---- */

static void test_real_rules_load(void **state)
{
	(void)state;
	char path[512], err[512] = "";
	struct px_rules r;
	snprintf(path, sizeof path, "%s/attacks", vectors());
	int rc = px_rules_load(path, &r, err, sizeof err);
	if (rc)
		fail_msg("%s", err);
	assert_true(r.n >= 20);
	int seen_a1 = 0;
	for (size_t i = 0; i < r.n; i++) {
		assert_true(r.rule[i].n_ops > 0);
		seen_a1 |= strcmp(r.rule[i].id, "A1") == 0;
	}
	assert_true(seen_a1);
	px_rules_free(&r);
}

static void test_parse_fields(void **state)
{
	(void)state;
	struct px_rules r;
	parse_ok("# comment\n"
		 "rule X1\n"
		 "  match *.Nx.Zone.Test. TLSA do nocd nth=2   # trailing comment\n"
		 "  fetch soa zone.test. SOA\n"
		 "  rcode nxdomain\n"
		 "  set ad on\n"
		 "  drop all RRSIG\n"
		 "  rename authority NSEC \\*.zone.test. $qname\n"
		 "  move answer A x.zone.test. to additional\n"
		 "  copy soa answer SOA to authority\n"
		 "  add answer $qname 300 IN TXT \"forged  text\"\n"
		 "rule X2\nmatch x.test. * every\ndrop answer *\n",
		 &r);
	assert_int_equal(r.n, 2);
	const struct px_rule *x = &r.rule[0];
	assert_string_equal(x->id, "X1");
	assert_int_equal(x->line, 2);
	assert_string_equal(x->qglob, "*.nx.zone.test.");
	assert_int_equal(x->qtype, LDNS_RR_TYPE_TLSA);
	assert_int_equal(x->want_do, 1);
	assert_int_equal(x->want_cd, 0);
	assert_int_equal(x->nth, 2);
	assert_int_equal(x->n_fetch, 1);
	assert_int_equal(x->n_ops, 7);
	assert_int_equal(x->ops[0].kind, PX_OP_RCODE);
	assert_int_equal(x->ops[0].rcode, LDNS_RCODE_NXDOMAIN);
	assert_int_equal(x->ops[1].kind, PX_OP_FLAG);
	assert_int_equal(x->ops[2].sec, PX_SEC_ALL);
	assert_int_equal(x->ops[2].type, LDNS_RR_TYPE_RRSIG);
	assert_string_equal(x->ops[3].to, "$qname");
	assert_int_equal(x->ops[4].dst, PX_SEC_ADDITIONAL);
	assert_string_equal(x->ops[4].owner, "x.zone.test.");
	assert_int_equal(x->ops[5].fetch, 0);
	assert_string_equal(x->ops[6].text, "$qname 300 IN TXT \"forged  text\"");
	assert_int_equal(x->ops[6].line, 11);
	assert_int_equal(r.rule[1].qtype, PX_TYPE_ANY);
	assert_int_equal(r.rule[1].nth, 0);
	px_rules_free(&r);
}

struct bad {
	const char *text;
	const char *err;
};

static void test_parse_errors(void **state)
{
	(void)state;
	static const struct bad cases[] = {
		{"match x. A\n", "t.rules:1: 'match' outside a rule"},
		{"rule A1\n", "t.rules:1: rule A1 has no match line"},
		{"rule A1\nmatch x. A\n", "t.rules:1: rule A1 has no operation"},
		{"rule A1\nmatch x A\n", "t.rules:2: qname glob 'x' must be absolute"},
		{"rule A1\nmatch x. BOGUS\n", "t.rules:2: unknown RR type 'BOGUS'"},
		{"rule A1\nmatch x. A nth=0\n", "t.rules:2: nth '0' is not a number"},
		{"rule A1\nmatch x. A do nodo\n", "t.rules:2: match flag 'nodo' contradicts"},
		{"rule A1\nmatch x. A fast\n", "t.rules:2: unknown match flag 'fast'"},
		{"rule A1\nmatch x. A\nmatch y. A\n", "t.rules:3: rule A1 has a second match"},
		{"rule A1\nmatch x. A\nrcode MAYBE\n", "t.rules:3: rcode 'MAYBE' is not"},
		{"rule A1\nmatch x. A\nset qr on\n", "t.rules:3: flag 'qr' is not aa, ad or tc"},
		{"rule A1\nmatch x. A\nset aa yes\n", "t.rules:3: set aa wants on or off"},
		{"rule A1\nmatch x. A\ndrop middle A\n", "t.rules:3: section 'middle' is not"},
		{"rule A1\nmatch x. A\ncopy f answer A to authority\n",
		 "t.rules:3: copy from 'f': no earlier fetch"},
		{"rule A1\nmatch x. A\nmove answer A to all\n",
		 "t.rules:3: section 'all' is not allowed here"},
		{"rule A1\nmatch x. A\nrename answer A x. y.[ab].\n",
		 "t.rules:3: new owner 'y.[ab].' is a glob"},
		{"rule A1\nmatch x. A\nadd answer x. 300 IN A not-an-address\n",
		 "t.rules:3: add: cannot parse record"},
		{"rule A1\nmatch x. A\nadd answer x 300 IN A 192.0.2.1\n",
		 "t.rules:3: add: the owner of 'x 300 IN A 192.0.2.1' must be absolute"},
		{"rule A1\nmatch x. A\nfetch f x. A\nfetch f y. A\n",
		 "t.rules:4: fetch label 'f' is already used"},
		{"rule A1\nmatch x. A\nfrobnicate\n", "t.rules:3: unknown directive 'frobnicate'"},
		{"rule A1\nmatch x. A\ndrop answer *\nrule A1\n",
		 "t.rules:4: rule A1 is already defined at line 1"},
		{"rule A/1\n", "t.rules:1: rule id 'A/1' may hold only"},
		{"rule A1\nmatch x.\x01 A\n", "t.rules:2: control character in line"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct px_rules r;
		char err[512] = "";
		int rc = px_rules_parse(cases[i].text, "t.rules", &r, err, sizeof err);
		px_rules_free(&r);
		if (rc == 0)
			fail_msg("case %zu parsed but should fail with %s", i, cases[i].err);
		if (strncmp(err, cases[i].err, strlen(cases[i].err)) != 0)
			fail_msg("case %zu: got '%s', want '%s...'", i, err, cases[i].err);
		assert_null(strchr(err, '\n'));
	}
}

static void test_long_line(void **state)
{
	(void)state;
	char text[2100];
	memset(text, 'a', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	struct px_rules r;
	char err[256];
	assert_int_equal(px_rules_parse(text, "t.rules", &r, err, sizeof err), -1);
	assert_string_equal(err, "t.rules:1: line longer than 1022 characters");
	px_rules_free(&r);
}

static void test_match(void **state)
{
	(void)state;
	struct px_rules r;
	parse_ok("rule M\nmatch *.nx.zone.test. A do\ndrop answer *\n"
		 "rule N\nmatch lit.zone.test. * nocd\ndrop answer *\n", &r);
	assert_true(px_rule_matches(&r.rule[0], "abc.NX.zone.TEST.", LDNS_RR_TYPE_A, 1, 0));
	assert_false(px_rule_matches(&r.rule[0], "abc.nx.zone.test.", LDNS_RR_TYPE_A, 0, 0));
	assert_false(px_rule_matches(&r.rule[0], "abc.nx.zone.test.", LDNS_RR_TYPE_AAAA, 1, 0));
	assert_false(px_rule_matches(&r.rule[0], "nx.zone.test.", LDNS_RR_TYPE_A, 1, 0));
	assert_true(px_rule_matches(&r.rule[1], "lit.zone.test.", LDNS_RR_TYPE_DS, 0, 0));
	assert_false(px_rule_matches(&r.rule[1], "lit.zone.test.", LDNS_RR_TYPE_DS, 0, 1));
	px_rules_free(&r);
	char out[16];
	assert_int_equal(px_expand("a.$qname", "b.", out, sizeof out), 0);
	assert_string_equal(out, "a.b.");
	assert_int_equal(px_expand("$qname$qname", "0123456789.", out, sizeof out), -1);
}

/* ---- operations ---- */

static void test_op_rcode_flags(void **state)
{
	(void)state;
	ldns_pkt *p = wild_reply();
	apply_text("rule R\nmatch x. A\nrcode NXDOMAIN\nset aa off\nset ad on\nset tc on\n", p,
		   NULL, "x.zone.test.");
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	assert_false(ldns_pkt_aa(p));
	assert_true(ldns_pkt_ad(p));
	assert_true(ldns_pkt_tc(p));
	ldns_pkt_free(p);
}

static void test_op_drop(void **state)
{
	(void)state;
	ldns_pkt *p = wild_reply();
	/* dropping a type takes the RRSIGs that cover it */
	apply_text("rule R\nmatch x. A\ndrop authority NSEC\n", p, NULL, "x.zone.test.");
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_authority(p)), 0);
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_answer(p)), 2);
	assert_int_equal(ldns_pkt_nscount(p), 0);
	/* RRSIG takes only signatures, in every section with 'all' */
	apply_text("rule R\nmatch x. A\ndrop all RRSIG\n", p, NULL, "x.zone.test.");
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_answer(p)), 1);
	assert_int_equal(count(ldns_pkt_answer(p), LDNS_RR_TYPE_A, NULL), 1);
	ldns_pkt_free(p);
	/* an owner glob limits the drop; '\*' is a literal wildcard label */
	p = wild_reply();
	apply_text("rule R\nmatch x. A\ndrop all * \\*.zone.test.\n", p, NULL, "x.zone.test.");
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_authority(p)), 0);
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_answer(p)), 2);
	apply_text("rule R\nmatch x. A\ndrop answer * y.zone.test.\n", p, NULL, "x.zone.test.");
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_answer(p)), 2);
	ldns_pkt_free(p);
}

static void test_op_rename_keeps_rrsig(void **state)
{
	(void)state;
	ldns_pkt *p = wild_reply();
	apply_text("rule R\nmatch x. A\nrename authority NSEC \\*.zone.test. nx.$qname\n", p,
		   NULL, "Q.zone.test.");
	const ldns_rr_list *a = ldns_pkt_authority(p);
	assert_int_equal(count(a, LDNS_RR_TYPE_NSEC, "nx.Q.zone.test."), 1);
	assert_int_equal(count(a, LDNS_RR_TYPE_RRSIG, "nx.Q.zone.test."), 1);
	/* the signature itself is untouched: Labels is still 2 */
	const ldns_rr *sig = ldns_rr_list_rr(a, 1);
	assert_int_equal(ldns_rdf2native_int8(ldns_rr_rrsig_labels(sig)), 2);
	ldns_pkt_free(p);
}

static void test_op_move_copy_add(void **state)
{
	(void)state;
	ldns_pkt *p = wild_reply();
	ldns_pkt *soa = soa_reply();
	ldns_pkt *fetched[PX_MAX_FETCH] = {soa};
	apply_text("rule R\nmatch x. A\nfetch s zone.test. SOA\nmove answer A to additional\n"
		   "copy s answer SOA to authority\n"
		   "add answer $qname 60 IN TXT \"forged\"\n", p, fetched, "x.zone.test.");
	assert_int_equal(count(ldns_pkt_additional(p), 0, NULL), 2); /* A and its RRSIG */
	assert_int_equal(count(ldns_pkt_authority(p), LDNS_RR_TYPE_SOA, NULL), 1);
	assert_int_equal(count(ldns_pkt_authority(p), LDNS_RR_TYPE_RRSIG, NULL), 2);
	assert_int_equal(count(ldns_pkt_answer(p), LDNS_RR_TYPE_TXT, "x.zone.test."), 1);
	assert_int_equal(ldns_pkt_ancount(p), 1);
	assert_int_equal(ldns_pkt_arcount(p), 2);
	/* the fetched reply is left as it was */
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_answer(soa)), 2);
	ldns_pkt_free(soa);
	ldns_pkt_free(p);
}

static void test_op_copy_missing_fetch(void **state)
{
	(void)state;
	struct px_rules r;
	char err[512] = "";
	ldns_pkt *p = wild_reply();
	ldns_pkt *fetched[PX_MAX_FETCH] = {NULL};
	parse_ok("rule R\nmatch x. A\nfetch s zone.test. SOA\ncopy s answer SOA to authority\n", &r);
	assert_int_equal(px_apply(&r.rule[0], p, fetched, "x.zone.test.", err, sizeof err), -1);
	assert_string_equal(err, "rule R line 4: fetch 's' brought no reply");
	px_rules_free(&r);
	ldns_pkt_free(p);
}

/* The A1 rule of testvectors/attacks, applied to a reply shaped like nsd's. */
static void test_real_a1(void **state)
{
	(void)state;
	char path[512], err[512] = "";
	struct px_rules r;
	snprintf(path, sizeof path, "%s/attacks", vectors());
	assert_int_equal(px_rules_load(path, &r, err, sizeof err), 0);
	const struct px_rule *a1 = NULL;
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.rule[i].id, "A1") == 0)
			a1 = &r.rule[i];
	assert_non_null(a1);
	assert_true(px_rule_matches(a1, "r1.ax.atk-a1.test.", LDNS_RR_TYPE_A, 1, 0));
	ldns_pkt *p = ldns_pkt_new();
	push(ldns_pkt_answer(p), "r1.ax.atk-a1.test. 300 IN A 192.0.2.1");
	push(ldns_pkt_answer(p), "r1.ax.atk-a1.test." SIG, "A", 2);
	push(ldns_pkt_authority(p), "atk-a1.test. 300 IN NSEC *.atk-a1.test. A NS SOA RRSIG NSEC");
	ldns_pkt *soa = ldns_pkt_new(), *wc = ldns_pkt_new();
	push(ldns_pkt_answer(soa), "atk-a1.test. 3600 IN SOA ns.atk-a1.test. h.atk-a1.test. 1 2 3 4 300");
	push(ldns_pkt_answer(wc), "*.atk-a1.test. 300 IN NSEC ns.atk-a1.test. A TXT RRSIG NSEC");
	push(ldns_pkt_answer(wc), "*.atk-a1.test." SIG, "NSEC", 2);
	ldns_pkt *fetched[PX_MAX_FETCH] = {soa, wc};
	if (px_apply(a1, p, fetched, "r1.ax.atk-a1.test.", err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_answer(p)), 0);
	assert_int_equal(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC, "ax.atk-a1.test."), 1);
	assert_int_equal(count(ldns_pkt_authority(p), LDNS_RR_TYPE_RRSIG, "ax.atk-a1.test."), 1);
	assert_int_equal(count(ldns_pkt_authority(p), LDNS_RR_TYPE_SOA, NULL), 1);
	ldns_pkt_free(p);
	ldns_pkt_free(soa);
	ldns_pkt_free(wc);
	px_rules_free(&r);
}

/* NSEC3 selectors: which NSEC3 matches, ends at or covers the hash of a name. */
static void test_op_nsec3_selectors(void **state)
{
	(void)state;
	ldns_rdf *a = ldns_dname_new_frm_str("a.zone.test.");
	ldns_rdf *h = ldns_nsec3_hash_name(a, 1, 0, 0, NULL);
	char *hs = ldns_rdf2str(h);
	hs[strcspn(hs, ".")] = '\0';
	ldns_pkt *src = ldns_pkt_new();
	/* X: owned by H(a), spanning to the top; Y: from the bottom, ending at H(a) */
	push(ldns_pkt_answer(src), "%s.zone.test. 300 IN NSEC3 1 0 0 - VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV A", hs);
	push(ldns_pkt_answer(src), "%s.zone.test." SIG, hs, "NSEC3", 3);
	push(ldns_pkt_answer(src), "00000000000000000000000000000000.zone.test. 300 IN NSEC3 1 0 0 - %s TXT", hs);
	push(ldns_pkt_answer(src), "00000000000000000000000000000000.zone.test." SIG, "NSEC3", 3);
	struct {
		const char *sel;
		const char *owner; /* the one NSEC3 expected, with its RRSIG */
	} c[] = {
		{"matches=a.zone.test.", hs},
		{"ends=$qname", "00000000000000000000000000000000"},
		{"matches=b.zone.test.", NULL},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		ldns_pkt *p = ldns_pkt_new();
		ldns_pkt *fetched[PX_MAX_FETCH] = {src};
		char rule[256];
		snprintf(rule, sizeof rule, "rule R\nmatch x. A\nload z zone.test.\n"
			 "copy z answer NSEC3 %s to authority\n", c[i].sel);
		apply_text(rule, p, fetched, "a.zone.test.");
		const ldns_rr_list *au = ldns_pkt_authority(p);
		if (!c[i].owner) {
			assert_int_equal(ldns_rr_list_rr_count(au), 0);
		} else {
			char full[128];
			snprintf(full, sizeof full, "%s.zone.test.", c[i].owner);
			assert_int_equal(ldns_rr_list_rr_count(au), 2);
			assert_int_equal(count(au, LDNS_RR_TYPE_NSEC3, full), 1);
			assert_int_equal(count(au, LDNS_RR_TYPE_RRSIG, full), 1);
		}
		ldns_pkt_free(p);
	}
	/* covers: any other name's hash falls in exactly one of the two spans */
	const char *names[] = {"b.zone.test.", "c.zone.test.", "www.zone.test.", "zone.test."};
	for (size_t i = 0; i < 4; i++) {
		ldns_pkt *p = ldns_pkt_new();
		ldns_pkt *fetched[PX_MAX_FETCH] = {src};
		char rule[256];
		snprintf(rule, sizeof rule, "rule R\nmatch x. A\nload z zone.test.\n"
			 "copy z answer NSEC3 covers=%s to authority\n", names[i]);
		apply_text(rule, p, fetched, "q.zone.test.");
		assert_int_equal(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3, NULL), 1);
		ldns_pkt_free(p);
	}
	/* a selector needs type NSEC3 */
	struct px_rules r;
	char err[256];
	assert_int_equal(px_rules_parse("rule R\nmatch x. A\nload z zone.test.\n"
					"copy z answer NSEC covers=a.zone.test. to authority\n",
					"t.rules", &r, err, sizeof err), -1);
	assert_string_equal(err, "t.rules:4: covers selects NSEC3 records: the type must be NSEC3");
	px_rules_free(&r);
	ldns_pkt_free(src);
	free(hs);
	ldns_rdf_deep_free(h);
	ldns_rdf_deep_free(a);
}

/* load: the signer's zone file, plus its .bent side file, as one pseudo-reply. */
static void test_load_zone(void **state)
{
	(void)state;
	char dir[] = "/tmp/tp_proxy_XXXXXX", path[600], err[512] = "";
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/zones", dir);
	assert_int_equal(tp_mkdir_p(path), 0);
	snprintf(path, sizeof path, "%s/zones.list", dir);
	const char *zl = ". root root.zone\nz.test. child z.test.zone\n";
	assert_int_equal(tp_write_file(path, zl, strlen(zl)), 0);
	const char *zf = "; comment\nz.test. 3600 IN SOA ns.z.test. h.z.test. 1 2 3 4 300\n"
			 "www.z.test. 300 IN A 192.0.2.1\n";
	snprintf(path, sizeof path, "%s/zones/z.test.zone", dir);
	assert_int_equal(tp_write_file(path, zf, strlen(zf)), 0);
	const char *bf = "out.test. 300 IN TXT \"outside\"\n";
	snprintf(path, sizeof path, "%s/zones/z.test.zone.bent", dir);
	assert_int_equal(tp_write_file(path, bf, strlen(bf)), 0);
	struct px_routes rt = {.n_up = 1};
	snprintf(rt.up[0], sizeof rt.up[0], "127.53.0.3");
	assert_int_equal(px_routes_load(&rt, dir, err, sizeof err), 0);
	ldns_pkt *p = px_load_zone(&rt, "Z.TEST.");
	assert_non_null(p);
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_answer(p)), 3);
	assert_int_equal(count(ldns_pkt_answer(p), LDNS_RR_TYPE_TXT, "out.test."), 1);
	ldns_pkt_free(p);
	assert_null(px_load_zone(&rt, "other.test."));
	px_routes_free(&rt);
	unlink(path);
	snprintf(path, sizeof path, "%s/zones/z.test.zone", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/zones", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/zones.list", dir);
	unlink(path);
	rmdir(dir);
}

/* ---- routing ---- */

static void test_routes(void **state)
{
	(void)state;
	char dir[] = "/tmp/tp_proxy_XXXXXX", path[600], err[512] = "";
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/zones.list", dir);
	const char *zl = ". root root.zone\ntest. tld test.zone\nc.test. child c.test.zone\n"
			 "g.c.test. grandchild g.c.test.zone\n";
	assert_int_equal(tp_write_file(path, zl, strlen(zl)), 0);
	struct px_routes rt = {.n_up = 3};
	snprintf(rt.up[0], sizeof rt.up[0], "127.53.0.1");
	snprintf(rt.up[1], sizeof rt.up[1], "127.53.0.2");
	snprintf(rt.up[2], sizeof rt.up[2], "127.53.0.3");
	if (px_routes_load(&rt, dir, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(rt.n, 3); /* the grandchild is not an allowed upstream */
	struct {
		const char *name;
		uint16_t type;
		const char *want;
	} q[] = {
		{"www.c.test.", LDNS_RR_TYPE_A, "127.53.0.3"},
		{"c.test.", LDNS_RR_TYPE_DS, "127.53.0.2"},
		{"C.TEST.", LDNS_RR_TYPE_DNSKEY, "127.53.0.3"},
		{"x.test.", LDNS_RR_TYPE_A, "127.53.0.2"},
		{"example.", LDNS_RR_TYPE_A, "127.53.0.1"},
		{".", LDNS_RR_TYPE_DS, "127.53.0.1"},
		{"x.g.c.test.", LDNS_RR_TYPE_A, "127.53.0.3"},
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		ldns_rdf *n = ldns_dname_new_frm_str(q[i].name);
		const char *got = px_route(&rt, n, q[i].type);
		ldns_rdf_deep_free(n);
		assert_non_null(got);
		assert_string_equal(got, q[i].want);
	}
	px_routes_free(&rt);
	/* a role outside the lab plan is an error with file:line */
	const char *bad = ". root root.zone\nx. elsewhere x.zone\n";
	assert_int_equal(tp_write_file(path, bad, strlen(bad)), 0);
	struct px_routes rt2 = {.n_up = 1};
	snprintf(rt2.up[0], sizeof rt2.up[0], "127.53.0.1");
	assert_int_equal(px_routes_load(&rt2, dir, err, sizeof err), -1);
	assert_non_null(strstr(err, "zones.list:2: server role 'elsewhere'"));
	px_routes_free(&rt2);
	unlink(path);
	rmdir(dir);
}

/* The lab's proxy instance: this program itself, on lab_proxy_addr, with every nsd
 * address as upstream and a copy of the rules in its own directory. */
static void test_lab_conf_proxy(void **state)
{
	(void)state;
	char dir[] = "/tmp/tp_proxy_lab_XXXXXX", err[512] = "", path[700], self[4096];
	assert_non_null(mkdtemp(dir));
	struct lab_cmd cmd;
	if (lab_conf_proxy(vectors(), dir, &cmd, err, sizeof err) != LAB_CONF_OK)
		fail_msg("%s", err);
	ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
	assert_true(k > 0);
	self[k] = '\0';
	assert_string_equal(cmd.argv[0], self);
	assert_string_equal(cmd.argv[1], "lab");
	assert_string_equal(cmd.argv[2], "proxy");
	assert_string_equal(cmd.argv[4], lab_proxy_addr());
	assert_string_equal(cmd.argv[6], "127.53.0.1,127.53.0.2,127.53.0.3,127.53.0.4");
	snprintf(path, sizeof path, "%s/proxy/attacks", dir);
	assert_string_equal(cmd.argv[8], path);
	assert_string_equal(cmd.argv[10], dir);
	assert_null(cmd.argv[11]);
	assert_string_equal(cmd.addr, "127.53.0.5");
	struct px_rules r;
	assert_int_equal(px_rules_load(path, &r, err, sizeof err), 0);
	px_rules_free(&r);
	lab_cmd_free(&cmd);
	/* no rules file in the vectors: an input error, nothing to start */
	assert_int_equal(lab_conf_proxy(dir, dir, &cmd, err, sizeof err), LAB_CONF_ERR_INPUT);
	assert_non_null(strstr(err, "attacks"));
	assert_null(cmd.argv[0]);
	unlink(path);
	snprintf(path, sizeof path, "%s/proxy", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/log", dir);
	rmdir(path);
	rmdir(dir);
}

/* ---- fuzz ---- */

static uint32_t rng_state;
static uint32_t rnd(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static void mutate(uint8_t *buf, size_t *len, size_t cap)
{
	int k = 1 + (int)(rnd() % 4);
	while (k--) {
		uint32_t what = rnd() % 4;
		size_t at = *len ? rnd() % *len : 0;
		if (what == 0 && *len) {
			buf[at] = (uint8_t)rnd();
		} else if (what == 1 && *len) {
			buf[at] ^= (uint8_t)(1u << (rnd() % 8));
		} else if (what == 2 && *len < cap) {
			memmove(buf + at + 1, buf + at, *len - at);
			buf[at] = (uint8_t)" \n.*$#\\AZaz09"[rnd() % 13];
			(*len)++;
		} else if (*len) {
			memmove(buf + at, buf + at + 1, *len - at - 1);
			(*len)--;
		}
	}
}

static void test_fuzz_rules(void **state)
{
	(void)state;
	char path[512];
	size_t len;
	snprintf(path, sizeof path, "%s/attacks", vectors());
	char *orig = tp_read_file(path, 1 << 20, &len);
	assert_non_null(orig);
	size_t cap = len + 64;
	uint8_t *buf = malloc(cap + 1);
	assert_non_null(buf);
	rng_state = 20261201;
	int ok = 0, bad = 0;
	for (int i = 0; i < 3000; i++) {
		memcpy(buf, orig, len);
		size_t n = len;
		mutate(buf, &n, cap);
		buf[n] = '\0';
		struct px_rules r;
		char err[512] = "";
		/* text stops at the first NUL, as for a file holding one (rejected by load) */
		if (px_rules_parse((const char *)buf, "fuzz", &r, err, sizeof err) == 0) {
			ok++;
		} else {
			bad++;
			assert_int_equal(strncmp(err, "fuzz:", 5), 0);
			assert_null(strchr(err, '\n'));
		}
		px_rules_free(&r);
	}
	assert_true(ok > 0 && bad > 0);
	free(buf);
	free(orig);
}

static void test_fuzz_packets(void **state)
{
	(void)state;
	char path[512], err[512];
	struct px_rules r;
	snprintf(path, sizeof path, "%s/attacks", vectors());
	assert_int_equal(px_rules_load(path, &r, err, sizeof err), 0);
	ldns_pkt *p = wild_reply();
	uint8_t *wire = NULL;
	size_t wlen = 0;
	assert_int_equal(ldns_pkt2wire(&wire, p, &wlen), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	uint8_t buf[1024];
	assert_true(wlen + 64 <= sizeof buf);
	rng_state = 7;
	int parsed = 0;
	for (int i = 0; i < 4000; i++) {
		memcpy(buf, wire, wlen);
		size_t n = wlen;
		mutate(buf, &n, sizeof buf);
		ldns_pkt *m = NULL;
		if (ldns_wire2pkt(&m, buf, n) != LDNS_STATUS_OK || !m)
			continue;
		parsed++;
		/* every rule, with the mutated packet also as each fetched reply */
		const struct px_rule *rule = &r.rule[rnd() % r.n];
		ldns_pkt *f = ldns_pkt_clone(m);
		ldns_pkt *fetched[PX_MAX_FETCH] = {f, f, f, f};
		(void)px_apply(rule, m, fetched, "x.zone.test.", err, sizeof err);
		uint8_t *out = NULL;
		size_t olen = 0;
		if (ldns_pkt2wire(&out, m, &olen) == LDNS_STATUS_OK) {
			ldns_pkt *back = NULL;
			if (ldns_wire2pkt(&back, out, olen) == LDNS_STATUS_OK)
				ldns_pkt_free(back);
		}
		free(out);
		ldns_pkt_free(f);
		ldns_pkt_free(m);
	}
	assert_true(parsed > 100);
	free(wire);
	px_rules_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_rules_load),
		cmocka_unit_test(test_parse_fields),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_op_rcode_flags),
		cmocka_unit_test(test_op_drop),
		cmocka_unit_test(test_op_rename_keeps_rrsig),
		cmocka_unit_test(test_op_move_copy_add),
		cmocka_unit_test(test_op_copy_missing_fetch),
		cmocka_unit_test(test_real_a1),
		cmocka_unit_test(test_op_nsec3_selectors),
		cmocka_unit_test(test_load_zone),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_lab_conf_proxy),
		cmocka_unit_test(test_fuzz_rules),
		cmocka_unit_test(test_fuzz_packets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
