/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* test_verdict: the roll-up from findings to groups, dane_ready, verdict and exit statuses,
 * on reports built by hand (and one finding from the evaluator, for skip rules). Pure: no
 * I/O. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog.h"
#include "evaluate.h"
#include "report.h"
#include "verdict.h"
#include <stdio.h>
#include <string.h>

/* A resolver with one case or more per group; all pass. Tests then change single cases. */
#define N_BASE 9
enum { C_UDP, C_TCP, C_BOGUS, C_ALG, C_NSEC, C_ANCHOR, C_SENTINEL, C_AD, C_TLSA };

static void base(struct tp_resolver_report *r, struct tp_finding *f)
{
	static const struct { const char *id; enum tp_group g; int essential; } spec[N_BASE] = {
		{ "transport.udp", TP_G_TRANSPORT, 1 },
		{ "transport.tcp", TP_G_TRANSPORT, 1 },
		{ "validation.bogus-sig", TP_G_VALIDATION, 1 },
		{ "validation.alg-ed448", TP_G_VALIDATION, 0 },
		{ "denial.nsec-forged", TP_G_DENIAL, 1 },
		{ "root-trust.anchor", TP_G_ROOT_TRUST, 1 },
		{ "root-trust.sentinel", TP_G_ROOT_TRUST, 0 },
		{ "ad-path.ad-bit", TP_G_AD_PATH, 1 },
		{ "dane.tlsa", TP_G_DANE, 1 },
	};
	memset(r, 0, sizeof *r);
	memset(f, 0, N_BASE * sizeof *f);
	snprintf(r->resolver, sizeof r->resolver, "127.0.0.1");
	for (int i = 0; i < N_BASE; i++) {
		snprintf(f[i].id, sizeof f[i].id, "%s", spec[i].id);
		f[i].group = spec[i].g;
		f[i].essential = spec[i].essential;
		f[i].status = TP_PASS;
		snprintf(f[i].reason, sizeof f[i].reason, "as expected");
	}
	r->findings = f;
	r->n_findings = N_BASE;
	/* garbage that compute must overwrite */
	r->verdict = TP_UNKNOWN;
	r->n_fail = 42;
	snprintf(r->note, sizeof r->note, "stale");
}

static void set(struct tp_finding *f, enum tp_status s, const char *reason)
{
	f->status = s;
	snprintf(f->reason, sizeof f->reason, "%s", reason);
}

static struct tp_report one(struct tp_resolver_report *r)
{
	struct tp_report rep = { .n = 1, .resolvers = r };
	return rep;
}

/* A skip rule (a failed control) on an essential case: the case is a skip with the rule's
 * note, never a pass, and the verdict stays unknown; a fail elsewhere still wins. */
static void skip_rule_keeps_unknown(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	static struct tp_case c;
	struct tp_observation fwd, ctl;
	const struct tp_observation *obs[2] = { &fwd, &ctl };
	(void)state;
	memset(&c, 0, sizeof c);
	snprintf(c.id, sizeof c.id, "denial.nsec-forged");
	c.group = TP_G_DENIAL;
	c.essential = 1;
	c.n_queries = 2;
	snprintf(c.queries[0].label, sizeof c.queries[0].label, "fwd");
	snprintf(c.queries[1].label, sizeof c.queries[1].label, "ctl");
	c.queries[1].control = 1;
	c.n_rules = 2;
	c.rules[0] = (struct tp_rule){ .status = TP_SKIP, .n_atoms = 1,
				       .atoms = { { TP_AT_RCODE, LDNS_RCODE_NXDOMAIN, 1, 1 } } };
	snprintf(c.rules[0].note, sizeof c.rules[0].note, "control failed");
	c.rules[1] = (struct tp_rule){ .status = TP_PASS, .n_atoms = 1,
				       .atoms = { { TP_AT_RCODE, LDNS_RCODE_SERVFAIL, 0, 0 } } };
	memset(&fwd, 0, sizeof fwd);
	memset(&ctl, 0, sizeof ctl);
	fwd.pkt = ldns_pkt_new();
	ctl.pkt = ldns_pkt_new();
	assert_non_null(fwd.pkt);
	assert_non_null(ctl.pkt);
	ldns_pkt_set_rcode(fwd.pkt, LDNS_RCODE_SERVFAIL);
	ldns_pkt_set_rcode(ctl.pkt, LDNS_RCODE_SERVFAIL); /* SERVFAIL for everything */

	base(&r, f);
	tp_evaluate_case(&c, obs, NULL, &f[C_NSEC]);
	assert_int_equal(f[C_NSEC].status, TP_SKIP);
	assert_non_null(strstr(f[C_NSEC].reason, "(control failed)"));
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_UNKNOWN);
	assert_false(r.dane_ready);
	assert_non_null(strstr(r.note, "denial.nsec-forged skipped: observed fwd: SERVFAIL"));

	/* the control answers: the same SERVFAIL to the forged query passes */
	ldns_pkt_set_rcode(ctl.pkt, LDNS_RCODE_NXDOMAIN);
	tp_evaluate_case(&c, obs, NULL, &f[C_NSEC]);
	assert_int_equal(f[C_NSEC].status, TP_PASS);
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_READY);

	/* a skip does not hide a failure elsewhere */
	ldns_pkt_set_rcode(ctl.pkt, LDNS_RCODE_SERVFAIL);
	tp_evaluate_case(&c, obs, NULL, &f[C_NSEC]);
	set(&f[C_BOGUS], TP_FAIL, "bogus data handed out");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_NOT_READY);
	ldns_pkt_free(fwd.pkt);
	ldns_pkt_free(ctl.pkt);
}

static void all_pass_ready(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_READY);
	assert_true(r.dane_ready);
	assert_int_equal(r.n_pass, N_BASE);
	assert_int_equal(r.n_warn + r.n_fail + r.n_skip, 0);
	for (int g = 0; g < TP_G_COUNT; g++)
		assert_int_equal(r.groups[g], TP_PASS);
	assert_string_equal(r.note, "");
	struct tp_report rep = one(&r);
	assert_int_equal(tp_exit_status(&rep), 0);
	assert_int_equal(tp_nagios_status(&rep), 0);
}

static void validation_fail_not_ready(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	set(&f[C_BOGUS], TP_FAIL, "answer returned for a bogus signature");
	set(&f[C_ALG], TP_WARN, "ed448 unsupported"); /* fail outranks warn in the group */
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_NOT_READY);
	assert_false(r.dane_ready);
	assert_int_equal(r.groups[TP_G_VALIDATION], TP_FAIL);
	assert_int_equal(r.groups[TP_G_DENIAL], TP_PASS);
	assert_int_equal(r.n_fail, 1);
	assert_int_equal(r.n_warn, 1);
	assert_int_equal(r.n_pass, N_BASE - 2);
	assert_string_equal(r.note, "");
	struct tp_report rep = one(&r);
	assert_int_equal(tp_exit_status(&rep), 1);
	assert_int_equal(tp_nagios_status(&rep), 2);
}

static void transport_or_dane_fail_not_ready(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	set(&f[C_TCP], TP_FAIL, "no answer over TCP");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_NOT_READY);
	assert_false(r.dane_ready);
	assert_int_equal(r.groups[TP_G_TRANSPORT], TP_FAIL);

	base(&r, f);
	set(&f[C_TLSA], TP_FAIL, "TLSA answer without AD");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_NOT_READY);
	assert_false(r.dane_ready);
	assert_int_equal(r.groups[TP_G_DANE], TP_FAIL);
}

static void alg_warn_ready(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	set(&f[C_ALG], TP_WARN, "ed448 treated as insecure");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_READY);
	assert_true(r.dane_ready);
	assert_int_equal(r.groups[TP_G_VALIDATION], TP_WARN);
	assert_int_equal(r.n_warn, 1);
	struct tp_report rep = one(&r);
	assert_int_equal(tp_exit_status(&rep), 0);
	assert_int_equal(tp_nagios_status(&rep), 1);
}

static void all_skipped_unknown(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	for (int i = 0; i < N_BASE; i++)
		set(&f[i], TP_SKIP, "no answer: timeout");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_UNKNOWN);
	assert_false(r.dane_ready);
	assert_int_equal(r.n_skip, N_BASE);
	for (int g = 0; g < TP_G_COUNT; g++)
		assert_int_equal(r.groups[g], TP_SKIP);
	assert_string_equal(r.note,
			    "no answer from the resolver: transport.udp skipped: no answer: timeout");
	struct tp_report rep = one(&r);
	assert_int_equal(tp_exit_status(&rep), 2);
	/* a resolver that does not answer is CRITICAL for a plugin, not UNKNOWN */
	assert_int_equal(r.unknown_why, TP_UNK_SILENT);
	assert_int_equal(tp_nagios_status(&rep), 2);
}

static void transport_skipped_unknown(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	set(&f[C_UDP], TP_SKIP, "no answer: timeout");
	set(&f[C_TCP], TP_SKIP, "no answer: connection refused");
	f[C_UDP].essential = f[C_TCP].essential = 0; /* silence alone decides */
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_UNKNOWN);
	assert_false(r.dane_ready);
	assert_int_equal(r.groups[TP_G_TRANSPORT], TP_SKIP);
	assert_string_equal(r.note,
			    "no answer from the resolver: transport.udp skipped: no answer: timeout");
}

static void essential_skip_unknown(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	set(&f[C_BOGUS], TP_SKIP, "no answer: timeout");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_UNKNOWN);
	assert_false(r.dane_ready);
	assert_int_equal(r.groups[TP_G_VALIDATION], TP_PASS); /* the skip does not worsen it */
	assert_string_equal(r.note, "validation.bogus-sig skipped: no answer: timeout");
	struct tp_report rep = one(&r);
	assert_int_equal(tp_exit_status(&rep), 2);
	/* it answered, but not that: a gap that fails closed, WARNING */
	assert_int_equal(r.unknown_why, TP_UNK_PARTIAL);
	assert_int_equal(tp_nagios_status(&rep), 1);
	/* skipped for want of a test zone: what it was asked, not the resolver: UNKNOWN */
	f[C_BOGUS].no_zone = 1;
	tp_verdict_compute(&r);
	assert_int_equal(r.unknown_why, TP_UNK_SETUP);
	assert_int_equal(tp_nagios_status(&rep), 3);
}

static void fail_outranks_essential_skip(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	set(&f[C_BOGUS], TP_SKIP, "no answer: timeout");
	set(&f[C_NSEC], TP_FAIL, "forged NXDOMAIN accepted");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_NOT_READY);
	assert_false(r.dane_ready);
	assert_string_equal(r.note, "");
}

static void nonessential_skip_ready(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	set(&f[C_SENTINEL], TP_SKIP, "no answer: timeout");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_READY);
	assert_true(r.dane_ready);
	assert_int_equal(r.groups[TP_G_ROOT_TRUST], TP_PASS);
	assert_int_equal(r.n_skip, 1);
	assert_string_equal(r.note, "");
}

static void empty_group_skip(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	r.n_findings = N_BASE - 1; /* no dane case at all */
	set(&f[C_ALG], TP_SKIP, "not run");
	set(&f[C_BOGUS], TP_SKIP, "not run");
	f[C_BOGUS].essential = 0;
	tp_verdict_compute(&r);
	assert_int_equal(r.groups[TP_G_DANE], TP_SKIP);
	assert_int_equal(r.groups[TP_G_VALIDATION], TP_SKIP); /* all its cases skipped */
	/* a group never checked leaves DANE readiness open: unknown, and the note says which */
	assert_int_equal(r.verdict, TP_UNKNOWN);
	assert_false(r.dane_ready);
	assert_string_equal(r.note, "group validation was not checked");
}

static void no_findings_unknown(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	r.n_findings = 0;
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_UNKNOWN);
	assert_false(r.dane_ready);
	assert_string_equal(r.note, "no case was run");
	struct tp_report empty = { 0 };
	assert_int_equal(tp_exit_status(&empty), 2);
	assert_int_equal(tp_nagios_status(&empty), 3);
}

static void long_note_truncated(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	f[C_BOGUS].status = TP_SKIP;
	memset(f[C_BOGUS].reason, 'x', sizeof f[C_BOGUS].reason - 1);
	f[C_BOGUS].reason[sizeof f[C_BOGUS].reason - 1] = '\0';
	tp_verdict_compute(&r);
	assert_int_equal(strlen(r.note), sizeof r.note - 1);
	assert_string_equal(r.note + sizeof r.note - 4, "...");
	assert_memory_equal(r.note, "validation.bogus-sig skipped: xxx", 33);
}

static void recompute_is_stable(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	set(&f[C_BOGUS], TP_SKIP, "no answer: timeout");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_UNKNOWN);
	set(&f[C_BOGUS], TP_PASS, "SERVFAIL as expected");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_READY);
	assert_int_equal(r.n_pass, N_BASE);
	assert_int_equal(r.n_skip, 0);
	assert_string_equal(r.note, "");
}

/* Three resolvers: ready (with or without a warn), not-ready, unknown. */
static void mixed(enum tp_status warn_alg, int with_not_ready, int with_unknown, int *exit_st,
		  int *nagios_st)
{
	struct tp_resolver_report r[3];
	struct tp_finding f[3][N_BASE];
	size_t n = 0;

	base(&r[n], f[n]);
	set(&f[n][C_ALG], warn_alg, "ed448 treated as insecure");
	n++;
	if (with_not_ready) {
		base(&r[n], f[n]);
		set(&f[n][C_AD], TP_FAIL, "AD set on a bogus answer");
		n++;
	}
	if (with_unknown) {
		base(&r[n], f[n]);
		for (int i = 0; i < N_BASE; i++)
			set(&f[n][i], TP_SKIP, "no answer: timeout");
		/* the probe's own failure: UNKNOWN (a silent resolver would be CRITICAL) */
		snprintf(r[n].local_note, sizeof r[n].local_note, "9 of 9 queries could not be "
			 "sent for a local reason");
		n++;
	}
	for (size_t i = 0; i < n; i++)
		tp_verdict_compute(&r[i]);
	struct tp_report rep = { .n = n, .resolvers = r };
	*exit_st = tp_exit_status(&rep);
	*nagios_st = tp_nagios_status(&rep);
}

static void mixed_resolvers(void **state)
{
	int e, n;
	(void)state;
	mixed(TP_PASS, 1, 1, &e, &n);
	assert_int_equal(e, 1);
	assert_int_equal(n, 2);
	mixed(TP_WARN, 1, 1, &e, &n); /* CRITICAL beats WARNING */
	assert_int_equal(e, 1);
	assert_int_equal(n, 2);
	mixed(TP_WARN, 0, 0, &e, &n); /* ready with a warn */
	assert_int_equal(e, 0);
	assert_int_equal(n, 1);
	mixed(TP_WARN, 0, 1, &e, &n); /* WARNING beats UNKNOWN */
	assert_int_equal(e, 2);
	assert_int_equal(n, 1);
	mixed(TP_PASS, 0, 1, &e, &n); /* ready + unknown */
	assert_int_equal(e, 2);
	assert_int_equal(n, 3);
}

static void unknown_only(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	for (int i = 0; i < N_BASE; i++)
		set(&f[i], TP_SKIP, "no answer: timeout");
	snprintf(r.local_note, sizeof r.local_note, "9 of 9 queries could not be sent for a local "
		 "reason");
	tp_verdict_compute(&r);
	struct tp_report rep = one(&r);
	assert_int_equal(r.unknown_why, TP_UNK_LOCAL);
	assert_int_equal(tp_nagios_status(&rep), 3);
	assert_int_equal(tp_exit_status(&rep), 2);
}

/* The roll verdict: root-trust alone; a next key with no sentinel evidence is unknown. */
static void roll_verdict_rules(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	snprintf(f[C_ANCHOR].id, sizeof f[C_ANCHOR].id, "root-trust.dnskey");
	snprintf(f[C_SENTINEL].id, sizeof f[C_SENTINEL].id, "root-trust.sentinel-next");
	tp_verdict_compute(&r);
	assert_int_equal(r.roll_verdict, TP_READY);
	assert_true(r.roll_ready);
	assert_string_equal(r.roll_note, "");
	set(&f[C_SENTINEL], TP_WARN, "Vold: does not trust the next KSK yet");
	tp_verdict_compute(&r);
	assert_int_equal(r.roll_verdict, TP_NOT_READY);
	assert_false(r.roll_ready);
	assert_string_equal(r.roll_note, "root-trust.sentinel-next: Vold: does not trust the next KSK yet");
	assert_int_equal(r.verdict, TP_READY); /* a warn leaves DANE ready */
	set(&f[C_SENTINEL], TP_SKIP, "Vind: no sentinel");
	r.roll_has_next = 0; /* the real root: no next key, nothing to show */
	tp_verdict_compute(&r);
	assert_int_equal(r.roll_verdict, TP_READY);
	r.roll_has_next = 1; /* the lab: a next key, and nothing showed it is trusted */
	tp_verdict_compute(&r);
	assert_int_equal(r.roll_verdict, TP_UNKNOWN);
	assert_string_equal(r.roll_note, "cannot tell whether it trusts the next root KSK: Vind: no sentinel");
	set(&f[C_ANCHOR], TP_SKIP, "no answer: timeout");
	tp_verdict_compute(&r);
	assert_int_equal(r.roll_verdict, TP_UNKNOWN);
	assert_string_equal(r.roll_note, "the root DNSKEY RRset was not checked: no answer: timeout");
	set(&f[C_ANCHOR], TP_FAIL, "observed SERVFAIL");
	tp_verdict_compute(&r);
	assert_int_equal(r.roll_verdict, TP_NOT_READY);
	assert_int_equal(r.verdict, TP_NOT_READY);
}

/* A root that does not validate leads the report, with the family's fix. */
static void lead_names_the_fix(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	snprintf(f[C_ANCHOR].id, sizeof f[C_ANCHOR].id, "root-trust.dnskey");
	tp_verdict_lead(&r);
	assert_string_equal(r.lead, "");
	set(&f[C_ANCHOR], TP_FAIL, "observed SERVFAIL");
	tp_verdict_lead(&r);
	assert_non_null(strstr(r.lead, "the root DNSKEY RRset does not validate"));
	assert_non_null(strstr(r.lead, "fix: update the resolver's root trust anchor"));
	snprintf(r.software, sizeof r.software, "unbound 1.17.1");
	tp_verdict_lead(&r);
	assert_non_null(strstr(r.lead, "fix: unbound: run 'unbound-anchor"));
	snprintf(r.software, sizeof r.software, "dnsmasq 2.90");
	tp_verdict_lead(&r);
	assert_non_null(strstr(r.lead, "fix: dnsmasq: trust-anchor=.,38696,8,2,"));
}

/* --trust-anchor FILE against the resolver's sentinel for the key in force. */
static void anchor_file_vs_sentinel(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	snprintf(f[C_SENTINEL].id, sizeof f[C_SENTINEL].id, "root-trust.sentinel-current");
	tp_verdict_anchor(&r, "root.key", 1, 38696);
	assert_string_equal(r.anchor_note, "root.key trusts the key in force (38696), and so does the resolver (sentinel): they agree");
	tp_verdict_anchor(&r, "root.key", 0, 38696);
	assert_non_null(strstr(r.anchor_note, "does not trust the key in force (38696) but the resolver does"));
	set(&f[C_SENTINEL], TP_FAIL, "Vold");
	tp_verdict_anchor(&r, "root.key", 1, 38696);
	assert_non_null(strstr(r.anchor_note, "trusts the key in force (38696) but the running resolver does not"));
	tp_verdict_anchor(&r, "root.key", 0, 38696);
	assert_non_null(strstr(r.anchor_note, "they agree"));
	set(&f[C_SENTINEL], TP_SKIP, "Vind");
	tp_verdict_anchor(&r, "root.key", 1, 38696);
	assert_non_null(strstr(r.anchor_note, "the resolver's sentinel cannot tell"));
}

/* A query the probe could not send (its own error: too many open files) never leaves the
 * verdict ready, nor not-ready: the run is unknown and says how many and why; a failure it
 * did measure still shows in its group. The roll verdict is unknown too. */
static void local_failure_unknown(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	snprintf(r.local_note, sizeof r.local_note, "3 of 90 queries could not be sent for a local "
		 "reason (2 cases not run): UDP socket: Too many open files: too many open files: "
		 "raise the limit (ulimit -n)");
	r.n_local = 3;
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_UNKNOWN);
	assert_false(r.dane_ready);
	assert_string_equal(r.note, r.local_note);
	assert_int_equal(r.roll_verdict, TP_UNKNOWN);
	assert_string_equal(r.roll_note, r.local_note);
	struct tp_report rep = one(&r);
	assert_int_equal(tp_exit_status(&rep), 2);
	assert_int_equal(tp_nagios_status(&rep), 3); /* never OK */
	set(&f[C_NSEC], TP_FAIL, "forged denial accepted");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_UNKNOWN);
	assert_int_equal(r.groups[TP_G_DENIAL], TP_FAIL);
	assert_string_equal(r.note, r.local_note);
	/* the probe's own failure is named before the zone's */
	snprintf(r.zone_note, sizeof r.zone_note, "test zone test. could not be checked: ...");
	tp_verdict_compute(&r);
	assert_string_equal(r.note, r.local_note);
}

/* A test zone the preflight found unusable makes the verdict unknown with its reason, even
 * when a zone-free case failed; the roll verdict, which needs no zone, is still judged. */
static void bad_zone_unknown(void **state)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	(void)state;
	base(&r, f);
	snprintf(r.zone_note, sizeof r.zone_note,
		 "test zone nonexistent.example. not found: NXDOMAIN for "
		 "_trustprobe.nonexistent.example. TXT from the zone . (no zone nonexistent.example.)");
	r.zone_fault = 1; /* the zone is wrong, not the resolver */
	for (int i = C_BOGUS; i <= C_NSEC; i++)
		set(&f[i], TP_SKIP, "not run: test zone nonexistent.example. not found: ...");
	snprintf(f[C_ANCHOR].id, sizeof f[C_ANCHOR].id, "root-trust.dnskey");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_UNKNOWN);
	assert_false(r.dane_ready);
	assert_string_equal(r.note, r.zone_note);
	assert_int_equal(r.roll_verdict, TP_READY);
	set(&f[C_ANCHOR], TP_FAIL, "the root DNSKEY RRset does not validate");
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_UNKNOWN); /* never not-ready for a wrong zone */
	assert_int_equal(r.groups[TP_G_ROOT_TRUST], TP_FAIL);
	assert_int_equal(r.roll_verdict, TP_NOT_READY);
	struct tp_report rep = one(&r);
	assert_int_equal(tp_exit_status(&rep), 2);
	assert_int_equal(tp_nagios_status(&rep), 3);
}

/* The note of a resolver whose every case skipped with reason why. */
static void note_when_all_skip(const char *why, char *note, size_t len)
{
	struct tp_resolver_report r;
	struct tp_finding f[N_BASE];
	base(&r, f);
	for (int i = 0; i < N_BASE; i++)
		set(&f[i], TP_SKIP, why);
	tp_verdict_compute(&r);
	assert_int_equal(r.verdict, TP_UNKNOWN);
	snprintf(note, len, "%s", r.note);
}

/* A target that answers, but not as a recursive resolver (RA clear, AA, REFUSED), is named
 * as such, not as silent. */
static void not_recursive_named(void **state)
{
	char why[TP_REASON_MAX], note[TP_REASON_MAX];
	(void)state;
	snprintf(why, sizeof why, "%s: RA clear in the reply to a query with RD (an authoritative "
		 "server?)", TP_REASON_NOT_RECURSIVE);
	note_when_all_skip(why, note, sizeof note);
	assert_string_equal(note, "transport.udp skipped: not a recursive resolver: RA clear in "
			    "the reply to a query with RD (an authoritative server?)");
	snprintf(why, sizeof why, "%s (is this client allowed to query it?): %s for this client",
		 TP_REASON_REFUSED, TP_REASON_NOT_RECURSIVE);
	note_when_all_skip(why, note, sizeof note);
	assert_non_null(strstr(note, "transport.udp skipped: refused: the resolver answered REFUSED"));
	assert_null(strstr(note, "no answer from the resolver"));
	note_when_all_skip("no answer: timeout", note, sizeof note);
	assert_non_null(strstr(note, "no answer from the resolver"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(local_failure_unknown),
		cmocka_unit_test(bad_zone_unknown),
		cmocka_unit_test(not_recursive_named),
		cmocka_unit_test(all_pass_ready),
		cmocka_unit_test(skip_rule_keeps_unknown),
		cmocka_unit_test(validation_fail_not_ready),
		cmocka_unit_test(transport_or_dane_fail_not_ready),
		cmocka_unit_test(alg_warn_ready),
		cmocka_unit_test(all_skipped_unknown),
		cmocka_unit_test(transport_skipped_unknown),
		cmocka_unit_test(essential_skip_unknown),
		cmocka_unit_test(fail_outranks_essential_skip),
		cmocka_unit_test(nonessential_skip_ready),
		cmocka_unit_test(empty_group_skip),
		cmocka_unit_test(no_findings_unknown),
		cmocka_unit_test(long_note_truncated),
		cmocka_unit_test(recompute_is_stable),
		cmocka_unit_test(mixed_resolvers),
		cmocka_unit_test(unknown_only),
		cmocka_unit_test(roll_verdict_rules),
		cmocka_unit_test(lead_names_the_fix),
		cmocka_unit_test(anchor_file_vs_sentinel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
