/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * test_diagnose: the diagnosis (diagnose.h) on recorded findings of real resolvers
 * (tests/unit/data/findings, read by findings.h): every lab resolver and every recorded
 * misconfiguration gets its causes, in order, with the fix for its family; the rules
 * without a recording (a wrong clock, AD cleared or set on bogus data, transport, an
 * algorithm gap, no test zone, other findings) on recordings changed where the README of
 * that directory says; the family told from the answers; --accept; the rule table checked
 * against the catalogue; and the text report on one screen. No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "diagnose.h"
#include "plugin.h"
#include "findings.h"
#include "render.h"

#include "catalog_fixture.h"

/* Every rule of the table must fire somewhere in this file (the last test checks): each
 * diagnosis here notes the causes it found. */
static char fired[64][TP_CAUSE_ID_MAX];
static size_t n_fired;

static void note_fired(const struct tp_resolver_report *r)
{
	for (size_t i = 0; i < r->n_causes; i++) {
		size_t k;
		for (k = 0; k < n_fired && strcmp(fired[k], r->causes[i].id); k++)
			;
		if (k == n_fired && n_fired < 64)
			snprintf(fired[n_fired++], TP_CAUSE_ID_MAX, "%s", r->causes[i].id);
	}
}
#define tp_diagnose(r) (tp_diagnose(r), note_fired(r))

/* The cause ids of r, in order, joined by ' '. */
static const char *ids(const struct tp_resolver_report *r)
{
	static char buf[512];
	size_t off = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->n_causes; i++)
		off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s", i ? " " : "",
					r->causes[i].id);
	return buf;
}

static const struct tp_cause *cause(const struct tp_resolver_report *r, const char *id)
{
	for (size_t i = 0; i < r->n_causes; i++)
		if (strcmp(r->causes[i].id, id) == 0)
			return &r->causes[i];
	fail_msg("no cause %s in [%s]", id, ids(r));
	return NULL;
}

static void diagnosed(const char *name, int as_lab, struct tp_resolver_report *r)
{
	load_recording(name, as_lab, r);
	tp_diagnose(r);
}

/* ---- the table ---- */

static void table_fits_catalogue(void **state)
{
	char err[256];
	(void)state;
	assert_int_equal(tp_diag_check(&cat, err, sizeof err), 0);
	/* and the check can fail: a catalogue without a case a rule names */
	struct tp_catalog less = cat;
	less.cases = calloc(cat.n, sizeof *less.cases);
	assert_non_null(less.cases);
	less.n = 0;
	for (size_t i = 0; i < cat.n; i++)
		if (strcmp(cat.cases[i].id, "ad-path.bogus-no-do") != 0)
			less.cases[less.n++] = cat.cases[i];
	assert_int_equal(tp_diag_check(&less, err, sizeof err), -1);
	assert_non_null(strstr(err, "ad-path.bogus-no-do"));
	/* a case whose label a rule names is relabelled */
	less.n = cat.n;
	memcpy(less.cases, cat.cases, cat.n * sizeof *cat.cases);
	for (size_t i = 0; i < less.n; i++)
		if (strcmp(less.cases[i].id, "root-trust.sentinel-current") == 0)
			strcpy(less.cases[i].queries[0].label, "isx");
	assert_int_equal(tp_diag_check(&less, err, sizeof err), -1);
	assert_non_null(strstr(err, "no query labelled 'is'"));
	free(less.cases);
	assert_true(tp_diag_rule_known("dname-gap"));
	assert_false(tp_diag_rule_known("dname"));
}

/* ---- every recorded resolver ---- */

static const struct {
	const char *name;
	const char *causes;   /* the ids, in order */
	const char *family;   /* as the diagnosis has it */
} expected[] = {
	{"unbound-novalidate", "validation-off", "unbound"},
	{"unbound", "forgery unanswered next-ksk", "unbound"},
	{"bind", "unanswered", "bind"},
	{"pdns-recursor", "forgery client-flags no-sentinel could-not-tell", "pdns"},
	{"knot-resolver", "forgery next-ksk", "knot"},
	{"dnsmasq", "forgery dname-gap no-sentinel", "dnsmasq"},
	{"dnsmasq-proxy", "forgery unanswered forwarder-ad next-ksk", "dnsmasq"},
	{"unbound-anchor", "trust-anchor", ""},
	{"unbound-permissive", "permissive", ""},
	{"pdns-validate", "forgery no-sentinel could-not-tell", "pdns"},
	{"dnsmasq-stale", "trust-anchor", "dnsmasq"},
	{"nsd-root", "not-recursive", ""},
	{"nsd-refused", "refused", ""},
	{"closed-port", "unreachable", ""},
};

static void every_recording(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		struct tp_resolver_report r;
		diagnosed(expected[i].name, 1, &r);
		if (strcmp(ids(&r), expected[i].causes) != 0)
			fail_msg("%s: causes [%s], want [%s]", expected[i].name, ids(&r),
				 expected[i].causes);
		if (strcmp(r.family, expected[i].family) != 0)
			fail_msg("%s: family '%s', want '%s'", expected[i].name, r.family,
				 expected[i].family);
		/* every finding that is not a pass is the evidence of some cause */
		for (size_t k = 0; k < r.n_findings; k++)
			if (r.findings[k].status != TP_PASS && !r.findings[k].no_zone &&
			    !r.findings[k].not_here && !r.findings[k].cause)
				fail_msg("%s: %s is nobody's evidence", expected[i].name,
					 r.findings[k].id);
		size_t sum = 0;
		for (size_t k = 0; k < r.n_causes; k++)
			sum += r.causes[k].n_evidence;
		size_t claimed = 0;
		for (size_t k = 0; k < r.n_findings; k++)
			claimed += r.findings[k].cause != 0;
		assert_int_equal(sum, claimed);
		free(r.findings);
	}
}

static void lab_causes_named(void **state)
{
	struct tp_resolver_report r;
	(void)state;
	diagnosed("unbound-novalidate", 1, &r);
	assert_int_equal(r.causes[0].level, TP_CAUSE_FAIL);
	assert_non_null(strstr(r.causes[0].fix, "unbound: module-config: \"validator iterator\""));
	assert_true(r.causes[0].n_evidence > 40); /* the forgeries too: no cause of their own */
	free(r.findings);

	diagnosed("pdns-recursor", 1, &r);
	assert_string_equal(r.causes[0].title, "forged denials get through: A3 B3 D4 E1");
	assert_non_null(strstr(r.causes[0].fix, "PowerDNS Recursor: upgrade to 5.1.0"));
	assert_non_null(strstr(cause(&r, "client-flags")->fix,
			       "PowerDNS Recursor: dnssec=validate"));
	assert_int_equal(find(&r, "ad-path.bogus-no-do")->cause, 2);
	free(r.findings);

	diagnosed("dnsmasq", 1, &r);
	assert_string_equal(r.causes[0].title,
			    "forged denials get through: A1 A4 A6 B1 B3 B5 C3 D4 E3");
	const struct tp_cause *d = cause(&r, "dname-gap");
	assert_int_equal(d->level, TP_CAUSE_WARN);
	assert_non_null(strstr(d->fix, "dnsmasq: 2.90 cannot validate DNAME"));
	assert_int_equal(find(&r, "denial.atk-e2-unsigned-cname-under-dname")->cause, 2);
	free(r.findings);

	/* the forwarder: the forgeries are its upstream's, and so is their fix */
	diagnosed("dnsmasq-proxy", 1, &r);
	assert_string_equal(r.causes[0].title,
			    "forged denials get through (its upstream's, unbound): C1 E3");
	assert_int_equal(strncmp(r.causes[0].fix, "unbound: upgrade", 16), 0);
	const struct tp_cause *fw = cause(&r, "forwarder-ad");
	assert_non_null(strstr(fw->title, "(unbound)"));
	assert_int_equal(strncmp(fw->fix, "dnsmasq: dnssec with a current trust-anchor=", 44), 0);
	free(r.findings);

	diagnosed("knot-resolver", 1, &r);
	/* recorded on a lab probed once before: D3, not A4 (README there) */
	assert_string_equal(r.causes[0].title, "forged denials get through: D3 E3");
	assert_non_null(strstr(cause(&r, "next-ksk")->fix, "Knot Resolver: a writable key file"));
	assert_int_equal(r.roll_cause, 2); /* the roll is not ready because of the next KSK */
	free(r.findings);

	diagnosed("bind", 1, &r);
	assert_int_equal(r.causes[0].level, TP_CAUSE_UNKNOWN);
	assert_non_null(strstr(r.causes[0].title, "(B2)"));
	assert_non_null(strstr(r.causes[0].title, "no reply to 3 UDP tries"));
	free(r.findings);
}

static void misconfigurations(void **state)
{
	struct tp_resolver_report r;
	(void)state;
	diagnosed("unbound-anchor", 1, &r);
	assert_int_equal(r.causes[0].level, TP_CAUSE_FAIL);
	/* the independent validator found the refused data secure, and the cause says so */
	assert_non_null(strstr(r.causes[0].title, "the probe's own validator finds the data it "
			       "refuses secure (validation.ad-secure)"));
	assert_non_null(strstr(r.causes[0].fix, "trustprobe anchors FILE")); /* family unknown */
	/* the transport cases ask with CD: a stale anchor does not open with transport */
	assert_int_equal(r.groups[TP_G_TRANSPORT], TP_PASS);
	free(r.findings);
	/* known as unbound, the fix is unbound's */
	load_recording("unbound-anchor", 1, &r);
	strcpy(r.family, "unbound");
	r.family_how = 1;
	tp_diagnose(&r);
	assert_int_equal(strncmp(r.causes[0].fix, "unbound: unbound-anchor -a", 26), 0);
	free(r.findings);

	diagnosed("dnsmasq-stale", 1, &r);
	assert_int_equal(r.family_how, 2);
	assert_non_null(strstr(r.causes[0].fix, "dnsmasq: trust-anchor=.,38696,8,2,683D2D0A"));
	free(r.findings);

	diagnosed("unbound-permissive", 1, &r);
	assert_non_null(strstr(r.causes[0].title, "permissive mode"));
	free(r.findings);
	load_recording("unbound-permissive", 1, &r);
	strcpy(r.family, "unbound");
	r.family_how = 1;
	tp_diagnose(&r);
	assert_string_equal(r.causes[0].fix,
			    "unbound: val-permissive-mode: no in unbound.conf (and no "
			    "domain-insecure for the zones that matter)");
	free(r.findings);

	diagnosed("closed-port", 1, &r);
	assert_non_null(strstr(r.causes[0].title, "does not answer: no answer"));
	free(r.findings);
	diagnosed("nsd-refused", 1, &r);
	assert_non_null(strstr(r.causes[0].title, "REFUSED"));
	free(r.findings);
	diagnosed("nsd-root", 1, &r);
	assert_non_null(strstr(r.causes[0].title, "RA is clear"));
	free(r.findings);
}

/* ---- the rules no recording shows, on recordings changed as said ---- */

static void set_answer(struct tp_finding *f, enum tp_status st, int rcode, int ad)
{
	f->status = st;
	f->obs[0].status = 0;
	f->obs[0].rcode = rcode;
	f->obs[0].flags = (f->obs[0].flags & ~(unsigned)TP_F_AD) | (ad ? TP_F_AD : 0);
	f->obs[0].an.count = rcode == LDNS_RCODE_NOERROR ? 2 : 0;
	f->obs[0].an.n_types = rcode == LDNS_RCODE_NOERROR ? 1 : 0;
	f->obs[0].an.types[0] = LDNS_RR_TYPE_A;
}

static void first_cause(struct tp_resolver_report *r, const char *want)
{
	tp_verdict_compute(r);
	tp_diagnose(r);
	if (!r->n_causes || strcmp(r->causes[0].id, want) != 0)
		fail_msg("first cause: [%s], want %s first", ids(r), want);
}

static void clock_rules(void **state)
{
	struct tp_resolver_report r;
	(void)state;
	/* a clock ahead: the root fails as for a stale anchor, and the not-yet-valid zone
	 * validates; with the anchor's recording and that one answer changed */
	load_recording("unbound-anchor", 1, &r);
	set_answer(find(&r, "validation.notyet"), TP_FAIL, LDNS_RCODE_NOERROR, 0);
	first_cause(&r, "clock-ahead");
	assert_true(strstr(ids(&r), "trust-anchor") == NULL);
	free(r.findings);
	load_recording("unbound-anchor", 1, &r);
	set_answer(find(&r, "validation.expired"), TP_FAIL, LDNS_RCODE_NOERROR, 0);
	first_cause(&r, "clock-behind");
	free(r.findings);
	/* a resolver that says why the root fails: EDE 7 (signature expired) is a clock
	 * ahead, EDE 8 (not yet valid) a clock behind, in place of a wrong anchor */
	const unsigned short edes[2] = {7, 8};
	const char *const want[2] = {"clock-ahead", "clock-behind"};
	for (size_t k = 0; k < 2; k++) {
		load_recording("unbound-anchor", 1, &r);
		struct tp_finding *dk = find(&r, "root-trust.dnskey");
		assert_int_equal(dk->obs[0].rcode, LDNS_RCODE_SERVFAIL);
		dk->obs[0].n_ede = 1;
		dk->obs[0].ede[0] = edes[k];
		first_cause(&r, want[k]);
		assert_null(strstr(ids(&r), "trust-anchor"));
		free(r.findings);
	}
	/* the same recording without an EDE: the anchor */
	load_recording("unbound-anchor", 1, &r);
	first_cause(&r, "trust-anchor");
	free(r.findings);
	/* both bogus windows accepted, a corrupted signature refused: no clock explains it
	 * (BIND dnssec-accept-expired) */
	load_recording("bind", 1, &r);
	set_answer(find(&r, "validation.expired"), TP_FAIL, LDNS_RCODE_NOERROR, 0);
	set_answer(find(&r, "validation.notyet"), TP_FAIL, LDNS_RCODE_NOERROR, 0);
	first_cause(&r, "time-unchecked");
	assert_null(strstr(ids(&r), "clock-"));
	free(r.findings);
	/* a working resolver whose clock is a week behind: only the expired zone validates */
	load_recording("bind", 1, &r);
	set_answer(find(&r, "validation.expired"), TP_FAIL, LDNS_RCODE_NOERROR, 0);
	first_cause(&r, "clock-behind");
	free(r.findings);
}

static void ad_rules(void **state)
{
	struct tp_resolver_report r;
	(void)state;
	/* bind's answers with every AD bit cleared on the way */
	load_recording("bind", 1, &r);
	for (size_t i = 0; i < r.n_findings; i++) {
		struct tp_finding *f = &r.findings[i];
		for (size_t k = 0; k < f->n_obs; k++)
			f->obs[k].flags &= ~(unsigned)TP_F_AD;
	}
	find(&r, "validation.ad-secure")->status = TP_FAIL;
	find(&r, "dane.tlsa")->status = TP_FAIL;
	first_cause(&r, "ad-cleared");
	assert_true(strstr(ids(&r), "validation-off") == NULL);
	free(r.findings);
	/* AD on the bogus answer */
	load_recording("bind", 1, &r);
	set_answer(find(&r, "validation.bogus-sig"), TP_FAIL, LDNS_RCODE_NOERROR, 1);
	first_cause(&r, "ad-on-bogus");
	free(r.findings);
	/* the independent validator finds AD data bogus */
	load_recording("bind", 1, &r);
	find(&r, "dane.tlsa")->verified = 3;
	find(&r, "dane.tlsa")->status = TP_FAIL;
	first_cause(&r, "ad-on-bogus");
	free(r.findings);
}

static void other_rules(void **state)
{
	struct tp_resolver_report r;
	(void)state;
	load_recording("bind", 1, &r);
	find(&r, "transport.tcp")->status = TP_FAIL;
	first_cause(&r, "transport");
	assert_string_equal(r.causes[0].title, "transport: tcp fails, so large or DNSSEC "
			    "answers (TLSA over TCP) cannot reach the client");
	free(r.findings);

	/* the algorithm matrix: a cell the RFCs fail, with the EDE the resolver gave */
	load_recording("bind", 1, &r);
	struct tp_finding *cell = find(&r, "validation.alg15");
	if (!cell)
		return;
	cell->status = TP_FAIL;
	cell->obs[0].n_ede = 1;
	cell->obs[0].ede[0] = 1;
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	assert_string_equal(cause(&r, "algorithm-gap")->title,
			    "algorithm matrix: alg15 fail: a MUST algorithm or DS digest type left "
			    "insecure, a MUST NOT one validated, or one it cannot use made bogus "
			    "instead of insecure; the resolver said EDE 1 Unsupported DNSKEY "
			    "Algorithm");
	assert_int_equal(cause(&r, "algorithm-gap")->level, TP_CAUSE_FAIL);
	free(r.findings);
	/* what it does with SHA-1 signatures, and the optional algorithms it leaves insecure
	 * (passes with a note: as RFC 9905 and RFC 8624 allow) */
	for (int ad = 0; ad < 2; ad++) {
		load_recording("bind", 1, &r);
		cell = find(&r, "validation.alg14");
		if (!cell)
			return;
		snprintf(cell->id, sizeof cell->id, "validation.alg5");
		snprintf(cell->obs[0].label, sizeof cell->obs[0].label, "fwd");
		cell->obs[0].flags = ad ? cell->obs[0].flags | TP_F_AD : cell->obs[0].flags & ~TP_F_AD;
		snprintf(cell->note, sizeof cell->note, "RSASHA1 ...");
		cell = find(&r, "validation.alg16");
		if (!cell)
			return;
		snprintf(cell->obs[0].label, sizeof cell->obs[0].label, "fwd");
		cell->obs[0].flags &= ~TP_F_AD;
		snprintf(cell->note, sizeof cell->note, "algorithm 16 not supported: insecure");
		/* a resolver that validates: RSAMD5 insecure (passes), as ECDSAP256SHA256 validated */
		snprintf(find(&r, "validation.alg8")->id, TP_ID_MAX, "validation.alg1");
		tp_verdict_compute(&r);
		tp_diagnose(&r);
		const struct tp_cause *sha1 = cause(&r, ad ? "sha1-validated" : "sha1-insecure");
		assert_int_equal(sha1->level, TP_CAUSE_INFO);
		assert_int_equal(sha1->n_evidence, 1);
		assert_non_null(strstr(sha1->title, ad ? "validates SHA-1 signatures" :
				       "treats SHA-1 signatures (RSASHA1, RSASHA1-NSEC3-SHA1) as "
				       "insecure, as RFC 9905 asks of operators"));
		if (ad)
			assert_non_null(strstr(sha1->fix, "disable-algorithms"));
		assert_string_equal(cause(&r, "algorithm-optional")->title,
				    "not validated, as RFC 8624 and RFC 9904 allow (insecure: zones "
				    "signed so get no DANE here): alg16");
		assert_int_equal(r.verdict, TP_UNKNOWN); /* bind's, as recorded: nothing changed */
		/* one that validates nothing (a MUST cell insecure) says nothing about SHA-1 */
		find(&r, "validation.alg13")->status = TP_FAIL;
		tp_verdict_compute(&r);
		tp_diagnose(&r);
		for (size_t i = 0; i < r.n_causes; i++)
			if (strncmp(r.causes[i].id, "sha1-", 5) == 0 ||
			    strcmp(r.causes[i].id, "algorithm-optional") == 0)
				fail_msg("cause %s for a resolver whose MUST cell fails", r.causes[i].id);
		free(r.findings);
	}

	/* the root validates but its keys are not those of the date (judged by the real
	 * root's calendar, as without --lab) */
	load_recording("bind", 1, &r);
	find(&r, "root-trust.dnskey-keys")->status = TP_FAIL;
	first_cause(&r, "root-keys");
	assert_int_equal(r.roll_cause, 1);
	free(r.findings);
	load_recording("unbound-anchor", 1, &r);
	find(&r, "root-trust.dnskey-keys")->status = TP_FAIL;
	first_cause(&r, "trust-anchor"); /* a root that does not validate: the anchor first */
	assert_true(strstr(ids(&r), "root-keys") == NULL);
	free(r.findings);

	/* no rule knows validation.unknown-type: "other" takes it */
	load_recording("bind", 1, &r);
	find(&r, "validation.unknown-type")->status = TP_WARN;
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	assert_string_equal(cause(&r, "other")->title, "other findings: unknown-type");
	free(r.findings);

	/* without a test zone: the cases that need it were skipped */
	load_recording("bind", 1, &r);
	size_t skipped = 0;
	for (size_t i = 0; i < r.n_findings; i++) {
		struct tp_finding *f = &r.findings[i];
		size_t l = strlen(f->obs[0].qname);
		if (f->n_obs && l > 6 && strcmp(f->obs[0].qname + l - 6, ".test.") == 0) {
			f->status = TP_SKIP;
			f->no_zone = 1;
			skipped++;
		}
	}
	first_cause(&r, "no-zone");
	assert_int_equal(r.causes[0].n_evidence, skipped);
	assert_true(strstr(ids(&r), "unanswered") == NULL);
	free(r.findings);
	/* and validation off is still seen without a zone: the root without AD */
	load_recording("unbound-novalidate", 1, &r);
	for (size_t i = 0; i < r.n_findings; i++) {
		struct tp_finding *f = &r.findings[i];
		size_t l = strlen(f->obs[0].qname);
		if (f->n_obs && l > 6 && strcmp(f->obs[0].qname + l - 6, ".test.") == 0) {
			f->status = TP_SKIP;
			f->no_zone = 1;
		}
	}
	first_cause(&r, "validation-off");
	assert_non_null(strstr(ids(&r), "no-zone"));
	free(r.findings);
}

/* The run-level causes: a test zone that failed its check, or queries the probe could not
 * send, lead the report, take the skipped cases as their evidence, and leave no "give
 * --zone" advice behind (a zone was given). */
static void zone_skips(struct tp_resolver_report *r)
{
	for (size_t i = 0; i < r->n_findings; i++) {
		struct tp_finding *f = &r->findings[i];
		if (f->group == TP_G_TRANSPORT || f->group == TP_G_ROOT_TRUST)
			continue;
		f->status = TP_SKIP;
		f->no_zone = 1;
		snprintf(f->reason, sizeof f->reason, "not run: test zone typo.example. not found");
	}
}

static void check_indices(const struct tp_resolver_report *r)
{
	for (size_t i = 0; i < r->n_findings; i++)
		assert_true(r->findings[i].cause >= 0 && (size_t)r->findings[i].cause <= r->n_causes);
	for (size_t c = 0; c < r->n_causes; c++) {
		size_t n = 0;
		for (size_t i = 0; i < r->n_findings; i++)
			n += r->findings[i].cause == (int)c + 1;
		assert_int_equal(n, r->causes[c].n_evidence);
	}
}

static void run_level_causes(void **state)
{
	struct tp_resolver_report r;
	(void)state;
	load_recording("unbound", 0, &r);
	zone_skips(&r);
	snprintf(r.zone_note, sizeof r.zone_note, "test zone typo.example. not found: NXDOMAIN");
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	assert_string_equal(r.causes[0].id, "test-zone");
	assert_int_equal(r.causes[0].level, TP_CAUSE_UNKNOWN);
	assert_non_null(strstr(r.causes[0].title, "typo.example. not found"));
	assert_non_null(strstr(r.causes[0].fix, "--zone"));
	assert_true(r.causes[0].n_evidence > 30);
	assert_null(strstr(ids(&r), "no-zone"));
	check_indices(&r);
	/* the same skips without a zone note: the table's no-zone cause, as before */
	free(r.findings);
	load_recording("unbound", 0, &r);
	zone_skips(&r);
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	assert_null(strstr(ids(&r), "test-zone"));
	assert_non_null(strstr(ids(&r), "no-zone"));
	check_indices(&r);
	/* a zone check the resolver did not answer: not the name's fault */
	free(r.findings);
	load_recording("unbound", 0, &r);
	zone_skips(&r);
	snprintf(r.zone_note, sizeof r.zone_note,
		 "test zone test. could not be checked: no answer from the resolver: timeout");
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	assert_string_equal(r.causes[0].id, "zone-unchecked");
	assert_null(strstr(r.causes[0].fix, "--zone"));
	check_indices(&r);
	/* the probe's own error outranks the zone */
	free(r.findings);
	load_recording("unbound", 0, &r);
	zone_skips(&r);
	snprintf(r.zone_note, sizeof r.zone_note, "test zone typo.example. not found");
	snprintf(r.local_note, sizeof r.local_note, "93 of 111 queries could not be sent");
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	assert_string_equal(r.causes[0].id, "local-error");
	assert_string_equal(r.causes[1].id, "test-zone");
	check_indices(&r);
	free(r.findings);
}

static void every_rule_fired(void **state)
{
	size_t n;
	const struct tp_diag_rule *rules = tp_diag_rules(&n);
	(void)state;
	for (size_t i = 0; i < n; i++) {
		size_t k;
		for (k = 0; k < n_fired && strcmp(fired[k], rules[i].id); k++)
			;
		if (k == n_fired)
			fail_msg("rule %s fired in no test of this file", rules[i].id);
	}
}

/* ---- the family told from the answers ---- */

static void families(void **state)
{
	static const struct { const char *name, *family; } fam[] = {
		{"pdns-recursor", "pdns"}, {"pdns-validate", "pdns"}, {"dnsmasq", "dnsmasq"},
		{"knot-resolver", "knot"}, {"unbound", "unbound|bind"}, {"bind", "unbound|bind"},
		{"unbound-novalidate", ""}, {"closed-port", ""}, {"dnsmasq-stale", "dnsmasq"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof fam / sizeof fam[0]; i++) {
		struct tp_resolver_report r;
		diagnosed(fam[i].name, 0, &r);
		if (strcmp(r.family, fam[i].family) != 0)
			fail_msg("%s met outside the lab: family '%s', want '%s'", fam[i].name,
				 r.family, fam[i].family);
		assert_int_equal(r.family_how, fam[i].family[0] ? 2 : 0);
		assert_true(!fam[i].family[0] || r.family_why[0]);
		if (strcmp(fam[i].name, "unbound") == 0) {
			const char *fix = cause(&r, "next-ksk")->fix;
			assert_non_null(strstr(fix, "unbound: keep auto-trust-anchor-file"));
			assert_non_null(strstr(fix, "; BIND: dnssec-validation auto"));
		}
		if (strcmp(fam[i].name, "unbound-novalidate") == 0)
			assert_string_equal(r.causes[0].fix, "turn DNSSEC validation on, with a "
					    "current root trust anchor (the setting per resolver: "
					    "trustprobe(1), DIAGNOSIS)");
		/* diagnosing again tells the same */
		tp_diagnose(&r);
		assert_string_equal(r.family, fam[i].family);
		free(r.findings);
	}
}

/* ---- --accept ---- */

static void accept_warnings(void **state)
{
	struct tp_resolver_report r;
	(void)state;
	diagnosed("dnsmasq", 1, &r);
	const char *a[] = {"dname-gap", "forgery", "nosuch-cause", "validation.alg8"};
	tp_diagnose_accept(&r, a, 4);
	assert_true(cause(&r, "dname-gap")->accepted);
	assert_false(cause(&r, "forgery")->accepted);
	assert_true(find(&r, "validation.dname")->accepted);
	assert_true(find(&r, "dane.dname")->accepted);
	assert_false(find(&r, "denial.atk-e2-unsigned-cname-under-dname")->accepted); /* a skip */
	assert_false(find(&r, "denial.atk-a1-wildcard-nsec-as-nxdomain")->accepted);
	assert_int_equal(r.n_accepted, 2);
	assert_non_null(strstr(r.accept_note, "forgery not accepted: it fails"));
	assert_non_null(strstr(r.accept_note, "nosuch-cause: no warning of it here"));
	assert_non_null(strstr(r.accept_note, "validation.alg8: no warning of it here"));
	assert_int_equal(r.verdict, TP_NOT_READY); /* accepting changes no verdict */
	free(r.findings);

	/* a case glob accepts the warnings it matches, and then the cause they make up */
	diagnosed("dnsmasq", 1, &r);
	const char *b[] = {"*.dname"};
	tp_diagnose_accept(&r, b, 1);
	assert_int_equal(r.n_accepted, 2);
	assert_true(cause(&r, "dname-gap")->accepted);
	free(r.findings);

	/* monitoring: a ready resolver whose only warnings are accepted is OK, not WARNING,
	 * and stays ready (bind with B2 answered and dnsmasq's DNAME gap) */
	load_recording("bind", 1, &r);
	find(&r, "denial.atk-b2-child-apex-nsec-denies-ds")->status = TP_PASS;
	find(&r, "validation.dname")->status = TP_WARN;
	find(&r, "dane.dname")->status = TP_WARN;
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	assert_int_equal(r.verdict, TP_READY);
	struct tp_report rep = {.n = 1, .resolvers = &r};
	assert_int_equal(tp_nagios_status(&rep), 1);
	const char *c[] = {"dname-gap"};
	tp_diagnose_accept(&r, c, 1);
	assert_int_equal(tp_nagios_status(&rep), 0);
	assert_int_equal(r.verdict, TP_READY);
	assert_int_equal(tp_exit_status(&rep), 0);
	/* the report says what was accepted */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct tp_plugin_opts po;
	tp_plugin_defaults(&po);
	assert_int_equal(tp_render_nagios(f, &rep, &po), 0);
	fclose(f);
	assert_non_null(strstr(buf, "TRUSTPROBE OK - 127.53.1.2 ready for DANE"));
	if (!strstr(buf, "ready for DANE and the root key roll; 2 accepted |"))
		fail_msg("%s", buf);
	free(buf);
	f = open_memstream(&buf, &len);
	assert_int_equal(tp_render_text(f, &rep, 0, 0), 0);
	fclose(f);
	assert_non_null(strstr(buf, "  accepted (--accept): 2 warnings, cause dname-gap\n"));
	free(buf);
	free(r.findings);
}

/* ---- the text report ---- */

static size_t rows_of(const char *s, size_t *widest)
{
	size_t n = 0, w = 0;
	*widest = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '\n') {
			n++;
			w = 0;
			continue;
		}
		if (++w > *widest)
			*widest = w;
	}
	return n;
}

static char *text_of(struct tp_resolver_report *r, int verbose)
{
	struct tp_report rep = {.n = 1, .resolvers = r};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(tp_render_text(f, &rep, verbose, 0), 0);
	fclose(f);
	return buf;
}

static void one_screen(void **state)
{
	(void)state;
	for (int as_lab = 0; as_lab < 2; as_lab++)
		for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
			struct tp_resolver_report r;
			size_t widest;
			diagnosed(expected[i].name, as_lab, &r);
			assert_int_not_equal(r.verdict, TP_READY);
			char *t = text_of(&r, 0);
			size_t rows = rows_of(t, &widest);
			if (rows > TP_TEXT_ROWS || widest > TP_TEXT_WIDTH)
				fail_msg("%s: %zu rows, %zu columns:\n%s", expected[i].name, rows,
					 widest, t);
			/* it leads with the first cause and its fix */
			const char *second = strchr(t, '\n') + 1;
			assert_int_equal(strncmp(second, " 1 ", 3), 0);
			assert_non_null(strstr(t, "fix: "));
			assert_non_null(strstr(t, "evidence"));
			free(t);
			/* -v shows every case, with its query, at the same width */
			t = text_of(&r, 1);
			rows_of(t, &widest);
			assert_true(widest <= TP_TEXT_WIDTH);
			for (size_t k = 0; k < r.n_findings; k++) {
				char id[TP_ID_MAX + 8];
				snprintf(id, sizeof id, "  %s", r.findings[k].id);
				if (!strstr(t, id))
					fail_msg("%s -v: no %s", expected[i].name, r.findings[k].id);
			}
			free(t);
			free(r.findings);
		}
}

static void ready_stays_short(void **state)
{
	struct tp_resolver_report r;
	size_t widest;
	(void)state;
	load_recording("bind", 1, &r);
	find(&r, "denial.atk-b2-child-apex-nsec-denies-ds")->status = TP_PASS;
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	assert_int_equal(r.verdict, TP_READY);
	char *t = text_of(&r, 0);
	/* header, roll, six groups, counts: as before the diagnosis */
	assert_int_equal(rows_of(t, &widest), 9);
	assert_null(strstr(t, "fix:"));
	free(t);
	free(r.findings);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_fits_catalogue),
		cmocka_unit_test(every_recording),
		cmocka_unit_test(lab_causes_named),
		cmocka_unit_test(misconfigurations),
		cmocka_unit_test(clock_rules),
		cmocka_unit_test(ad_rules),
		cmocka_unit_test(other_rules),
		cmocka_unit_test(families),
		cmocka_unit_test(accept_warnings),
		cmocka_unit_test(one_screen),
		cmocka_unit_test(ready_stays_short),
		cmocka_unit_test(run_level_causes),
		cmocka_unit_test(every_rule_fired),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
