/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* test_evaluate: the evaluator against reply packets built here with ldns (turned to wire
 * and parsed back, as the query engine would) in fake observations. The cases are the real
 * catalogue's (env TP_VECTORS), so a change of a rule there shows up here. No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog.h"
#include "evaluate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"

/* Evaluates c on obs, clears obs, checks the status and that reason holds every string of
 * the NULL-terminated list. Returns nothing; the finding goes to *f. */
static void check(const char *id, struct tp_observation *obs, enum tp_status want,
		  struct tp_finding *f, ...)
{
	const struct tp_case *c = get(id);
	va_list ap;
	const char *s;

	tp_evaluate(c, obs, f);
	tp_observation_clear(obs);
	if (f->status != want)
		fail_msg("%s: status %s, want %s: %s", id, tp_status_name(f->status),
			 tp_status_name(want), f->reason);
	assert_string_equal(f->id, id);
	assert_int_equal(f->group, c->group);
	assert_int_equal(f->essential, c->essential);
	assert_null(strchr(f->reason, '\n'));
	va_start(ap, f);
	while ((s = va_arg(ap, const char *)))
		if (!strstr(f->reason, s))
			fail_msg("%s: reason '%s' lacks '%s'", id, f->reason, s);
	va_end(ap);
}

/* As check(), for a case with a positive control: obs answers the queries it judges, ctl
 * its controls (labels "ctl..."); both are cleared. */
static void check_ctl(const char *id, struct tp_observation *obs, struct tp_observation *ctl,
		      enum tp_status want, struct tp_finding *f, ...)
{
	const struct tp_case *c = get(id);
	const struct tp_observation *all[TP_QUERIES_MAX];
	va_list ap;
	const char *s;

	for (size_t k = 0; k < c->n_queries; k++)
		all[k] = c->queries[k].control ? ctl : obs;
	tp_evaluate_case(c, all, NULL, f);
	tp_observation_clear(obs);
	tp_observation_clear(ctl);
	if (f->status != want)
		fail_msg("%s: status %s, want %s: %s", id, tp_status_name(f->status),
			 tp_status_name(want), f->reason);
	va_start(ap, f);
	while ((s = va_arg(ap, const char *)))
		if (!strstr(f->reason, s))
			fail_msg("%s: reason '%s' lacks '%s'", id, f->reason, s);
	va_end(ap);
}

#define A_WWW(z) "an:www." z ".test. 3600 IN A 192.0.2.1"
#define SIG_WWW(z) "an:www." z ".test. 3600 IN RRSIG A 13 3 3600 20300101000000 " \
		   "20200101000000 4711 " z ".test. AAAA"

static void test_bogus(void **state)
{
	struct tp_observation o, ctl;
	struct tp_finding f;
	struct reply servfail = { "www.bogus-sig.test.", LDNS_RR_TYPE_A, LDNS_RCODE_SERVFAIL, 0, 2,
				  { NULL } };
	struct reply forged = { "www.bogus-sig.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, 2,
				{ A_WWW("bogus-sig"), SIG_WWW("bogus-sig"), NULL } };
	struct reply plain = { "www.bogus-sig.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 0, 2,
			       { A_WWW("bogus-sig"), NULL } };
	(void)state;

	/* the control, asked with CD, gets the data: the zone was reachable */
	observe(&servfail, &o);
	observe(&plain, &ctl);
	check_ctl("validation.bogus-sig", &o, &ctl, TP_PASS, &f,
		  "observed fwd: SERVFAIL, AD clear, no answer; ctl: NOERROR, AD clear, answer A; ",
		  "expected fwd: SERVFAIL (RFC 4035 5.5", "corrupted RRSIG", NULL);
	assert_true(f.essential);
	assert_true(f.rtt_ms > 1.0);
	assert_non_null(strstr(f.detail, "fwd: query www.bogus-sig.test. A rd do; udp: SERVFAIL"));
	assert_non_null(strstr(f.detail, "ctl: query www.bogus-sig.test. A rd cd do;"));

	/* SERVFAIL for everything, control included: it cannot tell, never a pass */
	observe(&servfail, &o);
	observe(&servfail, &ctl);
	check_ctl("validation.bogus-sig", &o, &ctl, TP_SKIP, &f, "(control failed: no data with CD",
		  NULL);
	observe(&servfail, &o);
	observe(&servfail, &ctl);
	check_ctl("validation.expired", &o, &ctl, TP_SKIP, &f, "(control failed", NULL);

	observe(&forged, &o);
	observe(&plain, &ctl);
	check_ctl("validation.bogus-sig", &o, &ctl, TP_FAIL, &f,
		  "observed fwd: NOERROR, AD set, answer A RRSIG; ctl: NOERROR, AD clear, answer A "
		  "(bogus data handed out); expected fwd: SERVFAIL (RFC 4035 5.5",
		  NULL);
	assert_non_null(strstr(f.detail, "an=A RRSIG"));
	assert_non_null(strstr(f.detail, " ad "));

	/* bogus data handed out fails whatever the control got */
	observe(&plain, &o);
	observe(&servfail, &ctl);
	check_ctl("validation.expired", &o, &ctl, TP_FAIL, &f, "observed fwd: NOERROR, AD clear",
		  "(bogus data handed out)", "expected fwd: SERVFAIL (RFC 4035 5.3.1", NULL);

	/* CD: the bogus data comes back, without AD */
	observe(&plain, &o);
	check("validation.bogus-cd", &o, TP_PASS, &f, "answer A", NULL);
	observe(&forged, &o);
	check("validation.bogus-cd", &o, TP_FAIL, &f, "(AD set on bogus data)", NULL);
	observe(&servfail, &o);
	check("validation.bogus-cd", &o, TP_WARN, &f, "(CD ignored", NULL);
}

/* REFUSED means the probe may not use this resolver: skip, never pass or fail. */
static void test_refused(void **state)
{
	struct tp_observation o;
	struct tp_finding f;
	struct reply refused = { "www.bogus-sig.test.", LDNS_RR_TYPE_A, LDNS_RCODE_REFUSED, 0, 2,
				 { NULL } };
	(void)state;
	observe(&refused, &o);
	check("validation.bogus-cd", &o, TP_SKIP, &f, "refused: the resolver answered REFUSED",
	      "not a recursive resolver for this client", NULL);
	observe(&refused, &o);
	check("transport.udp", &o, TP_SKIP, &f, "REFUSED", NULL);
}

/* An answer without RA (an authoritative server) is no resolver's verdict: skip, even for
 * a reply that would fail the case, and even one that would pass it. */
static void test_no_recursion(void **state)
{
	struct tp_observation o;
	struct tp_finding f;
	struct reply bogus = { "www.bogus-sig.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 0, 2,
			       { A_WWW("bogus-sig"), NULL } };
	struct reply sf = { "www.bogus-sig.test.", LDNS_RR_TYPE_A, LDNS_RCODE_SERVFAIL, 0, 2,
			    { NULL } };
	(void)state;
	observe(&bogus, &o);
	ldns_pkt_set_ra(o.pkt, false);
	check("validation.bogus-cd", &o, TP_SKIP, &f, "not a recursive resolver: RA clear", NULL);
	observe(&sf, &o);
	ldns_pkt_set_ra(o.pkt, false);
	check("ad-path.neither", &o, TP_SKIP, &f, "not a recursive resolver", NULL);
	observe(&sf, &o);
	check("validation.bogus-cd", &o, TP_WARN, &f, NULL); /* with RA: judged */
	/* AA: a server answering for the zone itself (even with RA) validates none of it */
	observe(&bogus, &o);
	ldns_pkt_set_aa(o.pkt, true);
	check("validation.bogus-cd", &o, TP_SKIP, &f,
	      "not a recursive resolver: an authoritative answer (AA set)", NULL);
	observe(&sf, &o);
	ldns_pkt_set_aa(o.pkt, true);
	check("transport.udp", &o, TP_SKIP, &f, "AA set", NULL);
}

/* The algorithm matrix (RFC 8624, RFC 9904, RFC 9905): each cell's rules, the cell it
 * comes out as, and the EDE beside the one RFC 8914 suggests. */
static void test_algorithms(void **state)
{
	struct tp_observation o, ctl;
	struct tp_finding f;
	struct reply insecure = { "www.alg15.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 0, 2,
				  { A_WWW("alg15"), NULL } };
	struct reply secure = { "www.alg15.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, 2,
				{ A_WWW("alg15"), NULL } };
	struct reply servfail = { "www.alg15.test.", LDNS_RR_TYPE_A, LDNS_RCODE_SERVFAIL, 0, 2,
				  { NULL } };
	struct reply nodata = { "www.alg15.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, 2,
				{ "ns:alg15.test. 300 IN SOA ns.alg15.test. h.alg15.test. 1 2 3 4 5",
				  NULL } };
	(void)state;

	/* each cell's rules: the fwd reply, the control's, the status, the cell, a text of the
	 * reason (RECOMMENDED 15, MUST 13, SHA-1 5, an unknown algorithm and digest) */
	static const struct {
		const char *id;
		int fwd, ctl; /* 0 insecure, 1 secure, 2 SERVFAIL, 3 NODATA */
		enum tp_status st;
		int cell;
		const char *text;
	} t[] = {
		{"validation.alg15", 1, 0, TP_PASS, TP_CELL_VALIDATED, "expected fwd: NOERROR"},
		{"validation.alg15", 0, 0, TP_PASS, TP_CELL_INSECURE,
		 "(algorithm 15 not supported: insecure (RFC 8624 3.1: RECOMMENDED, not required)); "
		 "expected fwd: NOERROR, AD set, answer A or fwd: NOERROR, answer A"},
		{"validation.alg15", 0, 0, TP_PASS, TP_CELL_INSECURE,
		 "; no EDE, RFC 8914 suggests 1 Unsupported DNSKEY Algorithm"},
		{"validation.alg15", 2, 0, TP_FAIL, TP_CELL_BOGUS, "a valid zone treated as bogus"},
		{"validation.alg15", 3, 0, TP_FAIL, TP_CELL_OTHER, "observed fwd: NOERROR"},
		{"validation.alg15", 2, 2, TP_SKIP, TP_CELL_UNJUDGED, "control failed"},
		{"validation.alg13", 0, 0, TP_FAIL, TP_CELL_INSECURE,
		 "(not validated (insecure): RFC 8624 3.1 says ECDSAP256SHA256 MUST be)"},
		{"validation.alg5", 1, 0, TP_PASS, TP_CELL_VALIDATED, "(RSASHA1 validated; RFC 9905 2"},
		{"validation.alg5", 0, 0, TP_PASS, TP_CELL_INSECURE,
		 "(RSASHA1 treated as insecure, as RFC 9905 2 asks of operators)"},
		{"validation.alg1", 1, 0, TP_FAIL, TP_CELL_VALIDATED,
		 "(validated: RFC 8624 3.1 says RSAMD5 MUST NOT be validated)"},
		{"validation.unknown-alg", 0, 0, TP_PASS, TP_CELL_INSECURE, "expected fwd"},
		{"validation.unknown-alg", 2, 0, TP_FAIL, TP_CELL_BOGUS, "(treated as bogus)"},
		{"validation.digest100", 2, 0, TP_FAIL, TP_CELL_BOGUS,
		 "RFC 8914 suggests 2 Unsupported DS Digest Type"},
	};
	const struct reply *r[] = {&insecure, &secure, &servfail, &nodata};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		observe(r[t[i].fwd], &o);
		observe(r[t[i].ctl], &ctl);
		check_ctl(t[i].id, &o, &ctl, t[i].st, &f, t[i].text, NULL);
		if (f.cell != t[i].cell)
			fail_msg("%s, row %zu: cell %d, want %d", t[i].id, i, f.cell, t[i].cell);
		assert_int_equal(f.matrix_alg, get(t[i].id)->matrix_alg);
		assert_int_equal(f.n_ede_suggest, get(t[i].id)->n_ede_suggest);
	}
	observe(&secure, &o);
	observe(&insecure, &ctl);
	check_ctl("validation.alg15", &o, &ctl, TP_PASS, &f, NULL);
	assert_null(strstr(f.reason, "EDE")); /* nothing to suggest for the secure answer */
	assert_int_equal(f.matrix_digest, 2);
	observe(&insecure, &o);
	observe(&insecure, &ctl);
	check_ctl("validation.alg15", &o, &ctl, TP_PASS, &f, NULL);
	assert_string_equal(f.note, "algorithm 15 not supported: insecure (RFC 8624 3.1: "
			    "RECOMMENDED, not required)");
	/* MUST NOT (1), insecure: the resolver's EDE and its text beside the one suggested */
	observe(&insecure, &o);
	o.n_ede = 1;
	o.ede[0] = 0;
	snprintf(o.ede_text[0], sizeof o.ede_text[0], "LSLC: unsupported digest/key");
	observe(&insecure, &ctl);
	check_ctl("validation.alg1", &o, &ctl, TP_PASS, &f, "; EDE 0 Other Error: LSLC: unsupported "
		  "digest/key, RFC 8914 suggests 1 Unsupported DNSKEY Algorithm", NULL);
	assert_non_null(strstr(f.detail, " ede=0 \"LSLC: unsupported digest/key\" | ctl: "));
	assert_string_equal(f.obs[0].ede_text[0], "LSLC: unsupported digest/key");
	/* a case that is no cell */
	observe(&insecure, &o);
	check("ad-path.ad-query", &o, TP_WARN, &f, "(AD cleared for a query with AD and no DO)",
	      "RFC 6840 5.7", NULL);
	assert_int_equal(f.cell, TP_CELL_NONE);
	assert_int_equal(f.matrix_alg, 0);
}

static void test_iterations(void **state)
{
	struct tp_observation o, ctl;
	struct tp_finding f;
	struct reply sf = { "nonexistent.iter151.test.", LDNS_RR_TYPE_A, LDNS_RCODE_SERVFAIL, 0, 2,
			    { NULL } };
	struct reply nx = { "nonexistent.iter151.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, 0, 2,
			    { "ns:iter151.test. 300 IN SOA ns.iter151.test. h.iter151.test. 1 2 3 4 5",
			      NULL } };
	(void)state;

	observe(&sf, &o);
	observe(&nx, &ctl);
	check_ctl("validation.nsec3-iter151", &o, &ctl, TP_PASS, &f,
		  "observed fwd: SERVFAIL, AD clear; ctl: NXDOMAIN, AD clear (bogus",
		  "expected fwd: NXDOMAIN, AD clear or fwd: SERVFAIL (RFC 9276 3.2", NULL);
	observe(&sf, &o);
	observe(&sf, &ctl);
	check_ctl("validation.nsec3-iter151", &o, &ctl, TP_SKIP, &f, "(control failed", NULL);
	observe(&nx, &o);
	observe(&nx, &ctl);
	check_ctl("validation.nsec3-iter151", &o, &ctl, TP_PASS, &f, "(insecure", NULL);
	nx.ad = 1;
	observe(&nx, &o);
	observe(&sf, &ctl);
	check_ctl("validation.nsec3-iter151", &o, &ctl, TP_WARN, &f,
		  "validated despite the RFC 9276 limit", NULL);
	nx.ad = 0;
	observe(&nx, &ctl);
	nx.rcode = LDNS_RCODE_NOERROR;
	observe(&nx, &o);
	check_ctl("validation.nsec3-iter151", &o, &ctl, TP_FAIL, &f, "observed fwd: NOERROR", NULL);
}

static void test_no_answer(void **state)
{
	struct tp_observation o;
	struct tp_finding f;
	(void)state;

	memset(&o, 0, sizeof o);
	o.status = TP_OBS_TIMEOUT;
	snprintf(o.reason, sizeof o.reason, "timeout after 3 tries");
	check("validation.bogus-sig", &o, TP_SKIP, &f, NULL);
	assert_string_equal(f.reason, "no answer (fwd): timeout after 3 tries");
	assert_true(f.essential);
	assert_true(f.rtt_ms == 0.0);

	memset(&o, 0, sizeof o);
	o.status = TP_OBS_REFUSED;
	check("transport.udp", &o, TP_SKIP, &f, NULL);
	assert_string_equal(f.reason, "no answer: refused");

	memset(&o, 0, sizeof o);
	o.status = TP_OBS_MALFORMED;
	snprintf(o.reason, sizeof o.reason, "2 malformed replies");
	check("dane.tlsa", &o, TP_SKIP, &f, NULL);
	assert_string_equal(f.reason, "no answer: 2 malformed replies");

	/* an "answer" without a packet is not an answer */
	memset(&o, 0, sizeof o);
	o.status = TP_OBS_ANSWER;
	check("dane.tlsa", &o, TP_SKIP, &f, "no answer", NULL);

	tp_skip(get("dane.tlsa"), TP_SKIP_NO_ZONE, &f);
	assert_int_equal(f.status, TP_SKIP);
	assert_true(f.essential);
	assert_string_equal(f.id, "dane.tlsa");
	assert_int_equal(f.group, TP_G_DANE);
	assert_string_equal(f.reason, "needs a test zone (--zone or --lab)");
	assert_non_null(strstr(f.detail, "_25._tcp.mx.dane TLSA rd do"));
}

static void test_transport(void **state)
{
	struct tp_observation o;
	struct tp_finding f;
	struct reply big = { "_25._tcp.big.dane.test.", LDNS_RR_TYPE_TLSA, LDNS_RCODE_NOERROR, 1, 2,
			     { "an:_25._tcp.big.dane.test. 3600 IN TLSA 3 1 2 0A0B", NULL } };
	struct reply soa = { ".", LDNS_RR_TYPE_SOA, LDNS_RCODE_NOERROR, 0, 0,
			     { "an:. 86400 IN SOA a.root-servers.lab. h.root-servers.lab. 1 2 3 4 5",
			       NULL } };
	(void)state;

	observe(&big, &o);
	o.truncated = 1;
	o.used_tcp = 1;
	o.transport = TP_TRANSPORT_TCP;
	check("transport.tcp-after-tc", &o, TP_PASS, &f, "over tcp after tc", NULL);
	assert_non_null(strstr(f.detail, "; tcp after tc: NOERROR"));

	/* no TC: the resolver sent more than the 1232 octets offered over UDP */
	observe(&big, &o);
	check("transport.tcp-after-tc", &o, TP_WARN, &f, "over udp (answered over UDP beyond",
	      "expected NOERROR, TC over UDP, over TCP, answer TLSA", NULL);
	/* TC but TCP gave SERVFAIL */
	big.rcode = LDNS_RCODE_SERVFAIL;
	big.rrs[0] = NULL;
	observe(&big, &o);
	o.truncated = 1;
	o.used_tcp = 1;
	o.transport = TP_TRANSPORT_TCP;
	check("transport.tcp-after-tc", &o, TP_FAIL, &f, "observed SERVFAIL", NULL);

	observe(&soa, &o);
	check("transport.udp", &o, TP_PASS, &f, NULL);
	observe(&soa, &o);
	o.transport = TP_TRANSPORT_TCP;
	check("transport.udp", &o, TP_FAIL, &f, "over tcp", NULL);
	observe(&soa, &o);
	check("transport.tcp", &o, TP_FAIL, &f, "over udp", NULL);
	observe(&soa, &o);
	o.transport = TP_TRANSPORT_TCP;
	o.used_tcp = 1;
	check("transport.tcp", &o, TP_PASS, &f, NULL);

	/* EDNS and DO */
	observe(&soa, &o);
	check("transport.edns0", &o, TP_FAIL, &f, "no OPT", "RFC 8027 3.1.3", NULL);
	soa.edns = 1;
	observe(&soa, &o);
	check("transport.edns0", &o, TP_PASS, &f, NULL);
	observe(&soa, &o);
	check("transport.do", &o, TP_FAIL, &f, "OPT with DO clear", "expected NOERROR, DO echoed",
	      NULL);
	soa.edns = 2;
	observe(&soa, &o);
	check("transport.do", &o, TP_PASS, &f, "OPT with DO set", NULL);
}

static void test_denial(void **state)
{
	struct tp_observation o;
	struct tp_finding f;
	struct reply nx = { "nonexistent.alg13.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, 1, 2,
			    { "ns:alg13.test. 300 IN SOA ns.alg13.test. h.alg13.test. 1 2 3 4 5",
			      "ns:alg13.test. 300 IN NSEC txt.alg13.test. NS SOA RRSIG NSEC DNSKEY",
			      NULL } };
	struct reply nx3 = { "nonexistent.nsec3.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, 1, 2,
			     { "ns:nsec3.test. 300 IN SOA ns.nsec3.test. h.nsec3.test. 1 2 3 4 5",
			       "ns:2vptu5timamqttgl4luu9kg21e0aor3s.nsec3.test. 300 IN NSEC3 1 0 0 - "
			       "2vptu5timamqttgl4luu9kg21e0aor3t A RRSIG", NULL } };
	struct reply nodata = { "www.alg13.test.", LDNS_RR_TYPE_TXT, LDNS_RCODE_NOERROR, 1, 2,
				{ "ns:www.alg13.test. 300 IN NSEC txt.alg13.test. A AAAA RRSIG NSEC",
				  NULL } };
	(void)state;

	observe(&nx, &o);
	check("denial.nxdomain-nsec", &o, TP_PASS, &f, NULL);
	observe(&nx3, &o);
	check("denial.nxdomain-nsec", &o, TP_FAIL, &f, "authority SOA NSEC3",
	      "expected NXDOMAIN, AD set, NSEC in authority", NULL);
	observe(&nx3, &o);
	check("denial.nxdomain-nsec3", &o, TP_PASS, &f, NULL);
	nx3.ad = 0;
	observe(&nx3, &o);
	check("denial.nxdomain-nsec3", &o, TP_FAIL, &f, "AD clear", NULL);

	observe(&nodata, &o);
	check("denial.nodata-nsec", &o, TP_PASS, &f, NULL);
	nodata.rrs[1] = "an:www.alg13.test. 3600 IN TXT \"forged\"";
	observe(&nodata, &o);
	check("denial.nodata-nsec", &o, TP_FAIL, &f, "answer TXT", "no TXT in answer", NULL);
}

static void test_types_and_dane(void **state)
{
	struct tp_observation o;
	struct tp_finding f;
	struct reply unk = { "www.alg13.test.", 20000, LDNS_RCODE_NOERROR, 1, 2,
			     { "ns:www.alg13.test. 300 IN NSEC txt.alg13.test. A AAAA RRSIG NSEC",
			       NULL } };
	struct reply dname = { "_25._tcp.alias.dane.test.", LDNS_RR_TYPE_TLSA, LDNS_RCODE_NOERROR,
			       1, 2,
			       { "an:alias.dane.test. 3600 IN DNAME mx.dane.test.",
				 "an:_25._tcp.alias.dane.test. 3600 IN CNAME _25._tcp.mx.dane.test.",
				 "an:_25._tcp.mx.dane.test. 3600 IN TLSA 3 1 1 0A0B", NULL } };
	struct reply sig = { "www.alg13.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, 2,
			     { A_WWW("alg13"), SIG_WWW("alg13"), NULL } };
	(void)state;

	observe(&unk, &o);
	check("validation.unknown-type", &o, TP_PASS, &f, NULL);
	unk.rrs[0] = "an:www.alg13.test. 3600 IN TYPE20000 \\# 2 0102";
	observe(&unk, &o);
	check("validation.unknown-type", &o, TP_FAIL, &f, "answer TYPE20000",
	      "no TYPE20000 in answer", NULL);

	observe(&dname, &o);
	check("validation.dname", &o, TP_PASS, &f, NULL);
	observe(&dname, &o);
	check("dane.dname", &o, TP_PASS, &f, NULL);
	dname.ad = 0;
	observe(&dname, &o);
	check("dane.dname", &o, TP_FAIL, &f, "AD clear", "RFC 7671 7", NULL);
	observe(&dname, &o);
	check("validation.dname", &o, TP_FAIL, &f, "AD clear", NULL);

	/* failing closed is a missing feature (warn), never a pass */
	struct reply servfail = { "_25._tcp.alias.dane.test.", LDNS_RR_TYPE_TLSA,
				  LDNS_RCODE_SERVFAIL, 0, 2, { NULL } };
	observe(&servfail, &o);
	check("dane.dname", &o, TP_WARN, &f, "mail is deferred, not downgraded", NULL);
	observe(&servfail, &o);
	check("validation.dname", &o, TP_WARN, &f, "fails closed", NULL);
	struct reply unk_sf = { "www.alg13.test.", 20000, LDNS_RCODE_SERVFAIL, 0, 2, { NULL } };
	observe(&unk_sf, &o);
	check("validation.unknown-type", &o, TP_WARN, &f, "unknown types not served", NULL);

	observe(&sig, &o);
	check("validation.rrsig", &o, TP_PASS, &f, NULL);
	sig.rrs[1] = NULL;
	observe(&sig, &o);
	check("validation.rrsig", &o, TP_FAIL, &f, "answer A;", "RRSIG in answer", NULL);
}

/* A case with labelled queries: each atom looks at its own query's observation. */
static void test_labelled(void **state)
{
	const struct tp_case *c = get("denial.expired-nxdomain");
	const char *names[2] = { "tpabc.expired.test.", "tpabc.expired.test." };
	struct tp_observation fwd, ctl;
	const struct tp_observation *obs[2] = { &fwd, &ctl };
	struct tp_finding f;
	struct reply sf = { "tpabc.expired.test.", LDNS_RR_TYPE_A, LDNS_RCODE_SERVFAIL, 0, 2,
			    { NULL } };
	struct reply nx = { "tpabc.expired.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, 1, 2,
			    { "ns:expired.test. 300 IN SOA ns.expired.test. h.expired.test. 1 2 3 4 5",
			      "ns:expired.test. 300 IN NSEC www.expired.test. NS SOA RRSIG NSEC DNSKEY",
			      NULL } };
	(void)state;
	assert_int_equal(c->n_queries, 2);

	/* the forged query SERVFAILs and the control shows the zone answers: pass */
	observe(&sf, &fwd);
	fwd.n_ede = 1;
	fwd.ede[0] = 7; /* shown in the detail, never needed */
	nx.ad = 0;
	observe(&nx, &ctl);
	tp_evaluate_case(c, obs, names, &f);
	assert_int_equal(f.status, TP_PASS);
	assert_non_null(strstr(f.reason, "observed fwd: SERVFAIL, AD clear, no answer; ctl: "
					 "NXDOMAIN, AD clear; expected fwd: SERVFAIL (RFC 4035"));
	assert_non_null(strstr(f.detail, "fwd: query tpabc.expired.test. A rd do; udp: SERVFAIL"));
	assert_non_null(strstr(f.detail, " ede=7 | ctl: query tpabc.expired.test. A rd cd do; "
					 "udp: NXDOMAIN"));
	tp_observation_clear(&fwd);

	/* a bogus NXDOMAIN, with AD, gets through: fail, naming the forgery */
	nx.ad = 1;
	observe(&nx, &fwd);
	tp_evaluate_case(c, obs, names, &f);
	assert_int_equal(f.status, TP_FAIL);
	assert_non_null(strstr(f.reason, "observed fwd: NXDOMAIN, AD set"));
	assert_non_null(strstr(f.reason, "(bogus NXDOMAIN accepted from a zone with expired "
					 "signatures)"));
	tp_observation_clear(&fwd);
	tp_observation_clear(&ctl);

	/* the control failed too: skip with the rule's note, never pass */
	observe(&sf, &fwd);
	observe(&sf, &ctl);
	tp_evaluate_case(c, obs, names, &f);
	assert_int_equal(f.status, TP_SKIP);
	assert_non_null(strstr(f.reason, "(control failed: no NXDOMAIN with CD"));
	tp_observation_clear(&ctl);

	/* no answer to the control: skip, naming the query */
	memset(&ctl, 0, sizeof ctl);
	ctl.status = TP_OBS_TIMEOUT;
	snprintf(ctl.reason, sizeof ctl.reason, "no reply to 3 UDP tries");
	tp_evaluate_case(c, obs, names, &f);
	assert_int_equal(f.status, TP_SKIP);
	assert_string_equal(f.reason, "no answer (ctl): no reply to 3 UDP tries");
	assert_true(f.rtt_ms == 0.0);
	assert_non_null(strstr(f.detail, "| ctl: query tpabc.expired.test. A rd cd do; timeout"));
	tp_observation_clear(&fwd);

	/* not run at all */
	tp_skip(c, TP_SKIP_NO_ZONE, &f);
	assert_string_equal(f.detail, "fwd: query {rand}.expired A rd do; not sent | "
				      "ctl: query {rand}.expired A rd cd do; not sent");
}

/* Every atom, both ways, against one packet. */
static void test_atoms(void **state)
{
	struct tp_observation o;
	struct reply r = { "www.alg13.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, 2,
			   { A_WWW("alg13"), SIG_WWW("alg13"),
			     "ns:alg13.test. 3600 IN NS ns.alg13.test.", NULL } };
	static const struct { struct tp_atom a; int want; } t[] = {
		{ { TP_AT_RCODE, LDNS_RCODE_NOERROR, 0, 0 }, 1 }, { { TP_AT_RCODE, LDNS_RCODE_SERVFAIL, 0, 0 }, 0 },
		{ { TP_AT_AD, 1, 0, 0 }, 1 }, { { TP_AT_AD, 0, 0, 0 }, 0 },
		{ { TP_AT_ANSWER, LDNS_RR_TYPE_A, 0, 0 }, 1 }, { { TP_AT_ANSWER, LDNS_RR_TYPE_TLSA, 0, 0 }, 0 },
		{ { TP_AT_NOANSWER, 0, 0, 0 }, 0 },
		{ { TP_AT_RRSIG, 1, 0, 0 }, 1 }, { { TP_AT_RRSIG, 0, 0, 0 }, 0 },
		{ { TP_AT_AUTH, LDNS_RR_TYPE_NS, 0, 0 }, 1 }, { { TP_AT_AUTH, LDNS_RR_TYPE_A, 0, 0 }, 0 },
		{ { TP_AT_EDNS, 1, 0, 0 }, 1 }, { { TP_AT_EDNS, 0, 0, 0 }, 0 },
		{ { TP_AT_DO, 1, 0, 0 }, 1 }, { { TP_AT_DO, 0, 0, 0 }, 0 },
		{ { TP_AT_TC, 0, 0, 0 }, 1 }, { { TP_AT_TC, 1, 0, 0 }, 0 },
		{ { TP_AT_TCP, 0, 0, 0 }, 1 }, { { TP_AT_TCP, 1, 0, 0 }, 0 },
		{ { TP_AT_EDE, 6, 0, 0 }, 1 }, { { TP_AT_EDE, 7, 0, 0 }, 0 },
	};
	size_t i;
	(void)state;

	static struct tp_case c; /* one query, www.alg13 A */
	const struct tp_observation *all[1];
	memset(&c, 0, sizeof c);
	c.n_queries = 1;
	c.queries[0].qtype = LDNS_RR_TYPE_A;
	observe(&r, &o);
	o.n_ede = 1;
	o.ede[0] = 6;
	all[0] = &o;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct tp_rule rule;
		memset(&rule, 0, sizeof rule);
		rule.n_atoms = 1;
		rule.atoms[0] = t[i].a;
		if (tp_rule_matches(&c, &rule, all) != t[i].want)
			fail_msg("atom %zu: want %d", i, t[i].want);
		rule.atoms[0].negate = 1; /* "!ATOM" holds exactly when ATOM does not */
		if (tp_rule_matches(&c, &rule, all) == t[i].want)
			fail_msg("negated atom %zu: want %d", i, !t[i].want);
	}
	/* noanswer looks at the query type only */
	{
		struct tp_rule rule;
		memset(&rule, 0, sizeof rule);
		rule.n_atoms = 1;
		rule.atoms[0].kind = TP_AT_NOANSWER;
		c.queries[0].qtype = LDNS_RR_TYPE_TXT;
		assert_int_equal(tp_rule_matches(&c, &rule, all), 1);
	}
	tp_observation_clear(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bogus),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_no_recursion),
		cmocka_unit_test(test_algorithms),
		cmocka_unit_test(test_iterations),
		cmocka_unit_test(test_no_answer),
		cmocka_unit_test(test_transport),
		cmocka_unit_test(test_denial),
		cmocka_unit_test(test_types_and_dane),
		cmocka_unit_test(test_labelled),
		cmocka_unit_test(test_atoms),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
