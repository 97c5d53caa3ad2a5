/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* verdict: findings -> groups -> dane_ready -> verdict -> exit status; see verdict.h.
 *
 * The rule (the man page quotes it):
 *   A group takes the worst status of its cases, in the order pass < warn < fail. Skipped
 *   cases do not worsen a group; a group whose cases were all skipped, or that has no case,
 *   is skip.
 *   dane_ready is true only when no group (transport, validation, denial, root-trust,
 *   ad-path, dane) has a fail, every group was checked (none is skip), no essential case
 *   was skipped, and the resolver answered.
 *   DANE needs the answers of all six: transport and dane count as well as validation,
 *   denial, root-trust and ad-path, because a mail server has to get TLSA records, over
 *   TCP when they are large.
 *   The verdict is not-ready when some group failed; otherwise unknown when the resolver
 *   never answered (every case skipped, or every transport case skipped), an essential
 *   case was skipped, or a group was not checked at all (the note says which and why);
 *   otherwise ready.
 *   A fail outranks a skip: a resolver caught accepting a forgery is not-ready even when
 *   another case went unanswered.
 *   Only what was measured counts: a run in which the probe could not send some query for
 *   a reason of its own host (local_note: too many open files, no socket), or whose test
 *   zone the preflight found unusable (zone_note: not found, not a trustprobe zone, another
 *   version, unsigned, expired, unreachable), is unknown with that note, even when a case
 *   failed: the failure is still reported in its group, but a wrong zone or a broken probe
 *   never makes a resolver not-ready. The roll verdict is unknown too after a local
 *   failure; the test zone does not concern it.
 *   A resolver that never answered as a recursive resolver (RA clear, AA, REFUSED) is
 *   named as such in the note.
 */
#include "verdict.h"
#include <stdio.h>
#include <string.h>

/* Group status worsened by one case status (skips never worsen; see the rule above). */
static enum tp_status worsen(enum tp_status group, enum tp_status c)
{
	if (c == TP_SKIP)
		return group;
	if (group == TP_SKIP || c > group)
		return c;
	return group;
}

static void count(struct tp_resolver_report *r, enum tp_status s)
{
	switch (s) {
	case TP_PASS: r->n_pass++; break;
	case TP_WARN: r->n_warn++; break;
	case TP_FAIL: r->n_fail++; break;
	case TP_SKIP: r->n_skip++; break;
	}
}

/* Counts and groups. */
static void roll_up(struct tp_resolver_report *r)
{
	r->n_pass = r->n_warn = r->n_fail = r->n_skip = 0;
	for (int g = 0; g < TP_G_COUNT; g++)
		r->groups[g] = TP_SKIP;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct tp_finding *c = &r->findings[i];
		count(r, c->status);
		if ((unsigned)c->group < TP_G_COUNT)
			r->groups[c->group] = worsen(r->groups[c->group], c->status);
	}
}

/* Sets the note to "[prefix]ID skipped: REASON", ending a note too long for it in "...". */
static void note_skip(struct tp_resolver_report *r, const char *prefix, const struct tp_finding *c)
{
	int n = snprintf(r->note, sizeof r->note, "%s%s skipped: %s", prefix, c->id, c->reason);

	if (n < 0)
		r->note[0] = '\0';
	else if ((size_t)n >= sizeof r->note)
		memcpy(r->note + sizeof r->note - 4, "...", 4);
}

/* 1 if case c skipped because the target answered as no recursive resolver does. */
static int not_recursive(const struct tp_finding *c)
{
	return c->status == TP_SKIP &&
	       (strncmp(c->reason, TP_REASON_NOT_RECURSIVE, strlen(TP_REASON_NOT_RECURSIVE)) == 0 ||
		strncmp(c->reason, TP_REASON_REFUSED, strlen(TP_REASON_REFUSED)) == 0);
}

/* 1 if the resolver never answered: no case ran, every case was skipped, or every transport
 * case (when there is one) was skipped. Writes the note, citing the first such skip, and
 * r->unknown_why (silent, or not a resolver). */
static int silent(struct tp_resolver_report *r)
{
	const struct tp_finding *first_transport = NULL;
	int transport_answered = 0;

	if (r->n_findings == 0) {
		snprintf(r->note, sizeof r->note, "no case was run");
		return 1;
	}
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct tp_finding *c = &r->findings[i];
		if (c->group != TP_G_TRANSPORT)
			continue;
		if (!first_transport)
			first_transport = c;
		transport_answered |= c->status != TP_SKIP;
	}
	if (r->n_skip < r->n_findings && (!first_transport || transport_answered))
		return 0;
	if (!first_transport)
		first_transport = &r->findings[0];
	if (not_recursive(first_transport)) { /* it answered, but not as a resolver does */
		note_skip(r, "", first_transport);
		r->unknown_why = TP_UNK_NOT_RESOLVER;
	} else {
		note_skip(r, "no answer from the resolver: ", first_transport);
		r->unknown_why = first_transport->no_zone || first_transport->not_here ||
					 r->n_findings == 0 ? TP_UNK_SETUP : TP_UNK_SILENT;
	}
	return 1;
}

/* 1 if every case of group g was skipped for want of a test zone or a lab, or g has none:
 * what was asked, not the resolver, left it unchecked. */
static int group_not_asked(const struct tp_resolver_report *r, int g)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if ((int)r->findings[i].group == g && !r->findings[i].no_zone &&
		    !r->findings[i].not_here)
			return 0;
	return 1;
}

/* The first essential case that was skipped, or NULL. */
static const struct tp_finding *essential_skip(const struct tp_resolver_report *r)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (r->findings[i].essential && r->findings[i].status == TP_SKIP &&
		    !r->findings[i].not_here)
			return &r->findings[i];
	return NULL;
}

static const struct tp_finding *finding(const struct tp_resolver_report *r, const char *id)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return &r->findings[i];
	return NULL;
}

/* The roll verdict: the root-trust group alone, which needs no test zone. Not ready when a
 * root-trust case fails or warns (a warn there is "does not trust the next KSK yet");
 * unknown when the root DNSKEY case did not run, or a next KSK is published and nothing
 * showed whether the resolver trusts it (no sentinel support); ready otherwise. */
static void roll_verdict(struct tp_resolver_report *r)
{
	const struct tp_finding *dnskey = finding(r, "root-trust.dnskey");
	const struct tp_finding *next = finding(r, "root-trust.sentinel-next");
	r->roll_note[0] = '\0';
	r->roll_verdict = TP_READY;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct tp_finding *c = &r->findings[i];
		if (c->group == TP_G_ROOT_TRUST && (c->status == TP_FAIL || c->status == TP_WARN)) {
			r->roll_verdict = TP_NOT_READY;
			snprintf(r->roll_note, sizeof r->roll_note, "%s: %.280s", c->id, c->reason);
			break;
		}
	}
	if (r->roll_verdict == TP_READY && (!dnskey || dnskey->status == TP_SKIP)) {
		r->roll_verdict = TP_UNKNOWN;
		snprintf(r->roll_note, sizeof r->roll_note, "the root DNSKEY RRset was not checked%s%.280s",
			 dnskey ? ": " : "", dnskey ? dnskey->reason : "");
	} else if (r->roll_verdict == TP_READY && r->roll_has_next &&
		   (!next || next->status == TP_SKIP)) {
		r->roll_verdict = TP_UNKNOWN;
		snprintf(r->roll_note, sizeof r->roll_note,
			 "cannot tell whether it trusts the next root KSK%s%.280s", next ? ": " : "",
			 next ? next->reason : "");
	}
	if (r->local_note[0]) { /* as for dane_ready: the probe's own failure outranks all */
		r->roll_verdict = TP_UNKNOWN;
		snprintf(r->roll_note, sizeof r->roll_note, "%s", r->local_note);
	}
	r->roll_ready = r->roll_verdict == TP_READY;
}

void tp_verdict_compute(struct tp_resolver_report *r)
{
	const struct tp_finding *ess;
	int failed = 0, unknown;

	roll_up(r);
	r->note[0] = '\0';
	r->unknown_why = TP_UNK_NONE;
	for (int g = 0; g < TP_G_COUNT; g++)
		failed |= r->groups[g] == TP_FAIL;

	unknown = silent(r);
	if (!unknown && (ess = essential_skip(r)) != NULL) {
		note_skip(r, "", ess);
		unknown = 1;
		r->unknown_why = ess->no_zone ? TP_UNK_SETUP : TP_UNK_PARTIAL;
	}
	/* DANE needs all six groups: one that was not checked at all (every case skipped, or
	 * none selected, e.g. with --case) leaves the question open. */
	for (int g = 0; g < TP_G_COUNT && !unknown; g++) {
		if (r->groups[g] == TP_SKIP) {
			snprintf(r->note, sizeof r->note, "group %s was not checked", tp_group_name(g));
			unknown = 1;
			r->unknown_why = group_not_asked(r, g) ? TP_UNK_SETUP : TP_UNK_PARTIAL;
		}
	}
	r->dane_ready = !failed && !unknown;
	if (failed) {
		r->verdict = TP_NOT_READY;
		r->note[0] = '\0'; /* the note only explains an unknown verdict */
	} else if (unknown) {
		r->verdict = TP_UNKNOWN;
	} else {
		r->verdict = TP_READY;
	}
	if (r->verdict != TP_UNKNOWN)
		r->unknown_why = TP_UNK_NONE;
	/* the probe's own failures, then the test zone's, outrank everything measured; a
	 * zone that could not be checked because of the resolver (no answer, not a resolver,
	 * unreachable through it) keeps what the answers showed */
	if (r->local_note[0] || r->zone_note[0]) {
		snprintf(r->note, sizeof r->note, "%s",
			 r->local_note[0] ? r->local_note : r->zone_note);
		r->verdict = TP_UNKNOWN;
		r->dane_ready = 0;
		if (r->local_note[0])
			r->unknown_why = TP_UNK_LOCAL;
		else if (r->zone_fault)
			r->unknown_why = TP_UNK_SETUP;
		else if (r->unknown_why != TP_UNK_SILENT && r->unknown_why != TP_UNK_NOT_RESOLVER)
			r->unknown_why = TP_UNK_PARTIAL;
	}
	roll_verdict(r);
}

int tp_exit_status(const struct tp_report *rep)
{
	int unknown = rep->n == 0;

	for (size_t i = 0; i < rep->n; i++) {
		if (rep->resolvers[i].verdict == TP_NOT_READY)
			return 1;
		unknown |= rep->resolvers[i].verdict == TP_UNKNOWN;
	}
	return unknown ? 2 : 0;
}

int tp_nagios_state(const struct tp_resolver_report *r)
{
	if (r->verdict == TP_NOT_READY)
		return 2;
	if (r->verdict == TP_READY)
		return r->n_warn > r->n_accepted ? 1 : 0; /* --accept */
	switch (r->unknown_why) {
	case TP_UNK_SILENT:
	case TP_UNK_NOT_RESOLVER:
		return 2;
	case TP_UNK_PARTIAL:
		return 1;
	default:
		return 3;
	}
}

int tp_nagios_worst(int a, int b)
{
	static const int rank[4] = {0, 2, 3, 1}; /* OK < UNKNOWN < WARNING < CRITICAL */
	a = a >= 0 && a <= 3 ? a : 3;
	b = b >= 0 && b <= 3 ? b : 3;
	return rank[a] >= rank[b] ? a : b;
}

int tp_nagios_status(const struct tp_report *rep)
{
	int st = rep->n == 0 ? 3 : 0;

	for (size_t i = 0; i < rep->n; i++)
		st = tp_nagios_worst(st, tp_nagios_state(&rep->resolvers[i]));
	return st;
}

void tp_verdict_lead(struct tp_resolver_report *r)
{
	static const struct {
		const char *prog, *fix;
	} fixes[] = {
		{"unbound", "unbound: run 'unbound-anchor -a /var/lib/unbound/root.key' (or remove "
			    "it and restart) and check the clock"},
		{"named", "BIND: dnssec-validation auto with a current bind.keys, remove "
			  "managed-keys.bind(.jnl), restart"},
		{"pdns_recursor", "PowerDNS Recursor: a current addTA() or readTrustAnchorsFromFile('/usr/share/dns/root.key')"},
		{"kresd", "Knot Resolver: a current /usr/share/dns/root.key (dns-root-data) or trust_anchors.add_file()"},
		{"dnsmasq", "dnsmasq: trust-anchor=.,38696,8,2,683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16"},
	};
	const struct tp_finding *k = finding(r, "root-trust.dnskey");
	r->lead[0] = '\0';
	if (!k || k->status != TP_FAIL)
		return;
	const char *fix = NULL;
	for (size_t i = 0; i < sizeof fixes / sizeof fixes[0]; i++)
		if (strncmp(r->software, fixes[i].prog, strlen(fixes[i].prog)) == 0)
			fix = fixes[i].fix;
	snprintf(r->lead, sizeof r->lead,
		 "the root DNSKEY RRset does not validate: the resolver's trust anchor does not match "
		 "the root KSK that signs it, or its clock is wrong (trustprobe anchors FILE tells "
		 "which); fix: %s", fix ? fix : "update the resolver's root trust anchor "
		 "(trustprobe anchors names the fix per resolver family) and check its clock");
}

void tp_verdict_anchor(struct tp_resolver_report *r, const char *path, int file_trusts,
		       unsigned key_in_force)
{
	const struct tp_finding *s = finding(r, "root-trust.sentinel-current");
	const char *file = file_trusts ? "trusts" : "does not trust";
	if (!s || (s->status != TP_PASS && s->status != TP_FAIL))
		snprintf(r->anchor_note, sizeof r->anchor_note,
			 "%.200s %s the key in force (%u); the resolver's sentinel cannot tell what it "
			 "trusts", path, file, key_in_force);
	else if ((s->status == TP_PASS) == (file_trusts != 0))
		snprintf(r->anchor_note, sizeof r->anchor_note,
			 "%.200s %s the key in force (%u), and so does the resolver (sentinel): they agree",
			 path, file, key_in_force);
	else if (file_trusts)
		snprintf(r->anchor_note, sizeof r->anchor_note,
			 "%.200s trusts the key in force (%u) but the running resolver does not "
			 "(sentinel): it uses another file, or has not reloaded this one", path,
			 key_in_force);
	else
		snprintf(r->anchor_note, sizeof r->anchor_note,
			 "%.200s does not trust the key in force (%u) but the resolver does (sentinel): "
			 "it is not the resolver's file, or the resolver learned the key since (RFC 5011)",
			 path, key_in_force);
}