/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * ledger: the attacker's word on whether a forgery reached the resolver (ledger.h). */
#include "ledger.h"
#include "tp_util.h"

#include <ctype.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LEDGER_LABEL "_ledger"
#define LEDGER_TEXT "trustprobe-ledger"

int tp_ledger_query(const char *zone, const char *rule, const unsigned char rnd[8],
		    struct tp_query *q)
{
	char label[TP_FORGERY_MAX], z[256];
	size_t n = strlen(rule);
	memset(q, 0, sizeof *q);
	if (n == 0 || n >= sizeof label)
		return -1;
	for (size_t i = 0; i <= n; i++)
		label[i] = rule[i] == '.' ? '-' : (char)tolower((unsigned char)rule[i]);
	snprintf(z, sizeof z, "%s", zone ? zone : "");
	size_t zl = strlen(z);
	if (zl && z[zl - 1] == '.')
		z[--zl] = '\0';
	int w = snprintf(q->qname, sizeof q->qname, "%02x%02x%02x%02x%02x%02x%02x%02x.%s.%s.%s%s",
			 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7], label,
			 LEDGER_LABEL, z, zl ? "." : "");
	ldns_rdf *d = NULL;
	if (w < 0 || (size_t)w >= sizeof q->qname || w > 254 ||
	    ldns_str2rdf_dname(&d, q->qname) != LDNS_STATUS_OK) {
		memset(q, 0, sizeof *q);
		return -1;
	}
	ldns_rdf_deep_free(d);
	q->qtype = LDNS_RR_TYPE_TXT;
	q->flags = TP_Q_RD;
	return 0;
}

/* The first character-string of TXT rr into buf (printable characters only). */
static void txt_first(const ldns_rr *rr, char *buf, size_t len)
{
	const ldns_rdf *d = ldns_rr_rd_count(rr) ? ldns_rr_rdf(rr, 0) : NULL;
	size_t o = 0;
	buf[0] = '\0';
	if (!d || ldns_rdf_size(d) < 1 || len == 0)
		return;
	const uint8_t *s = ldns_rdf_data(d);
	size_t n = s[0] < ldns_rdf_size(d) - 1 ? s[0] : ldns_rdf_size(d) - 1;
	for (size_t i = 0; i < n && o + 1 < len; i++)
		buf[o++] = isprint(s[1 + i]) ? (char)s[1 + i] : '?';
	buf[o] = '\0';
}

enum tp_ledger_state tp_ledger_read(const struct tp_observation *obs, const char *rule,
				    int fresh, double run_s, unsigned long *forged, double *age,
				    char *why, size_t whylen)
{
	unsigned long n = 0;
	double a = -1;
	enum tp_ledger_state st = TP_LEDGER_UNREADABLE;
	char text[256] = "";
	if (forged)
		*forged = 0;
	if (age)
		*age = -1;
	snprintf(why, whylen, "no answer to its question");
	if (!obs || obs->status != TP_OBS_ANSWER || !obs->pkt) {
		if (obs && obs->status != TP_OBS_ANSWER)
			snprintf(why, whylen, "no answer to its question (%s)",
				 tp_obs_status_str(obs->status));
		return st;
	}
	ldns_pkt_rcode rc = ldns_pkt_get_rcode(obs->pkt);
	if (rc == LDNS_RCODE_SERVFAIL) {
		snprintf(why, whylen, "SERVFAIL to its question: the resolver got no answer from "
			 "the attacker's server (a rate limit, a lost query)");
		return st;
	}
	if (rc != LDNS_RCODE_NOERROR) {
		char *r = ldns_pkt_rcode2str(rc);
		snprintf(why, whylen, "%s to its question: the zone has no ledger (test vectors "
			 "older than version 3?)", r ? r : "an error");
		free(r);
		return st;
	}
	const ldns_rr_list *an = ldns_pkt_answer(obs->pkt);
	for (size_t i = 0; an && i < ldns_rr_list_rr_count(an) && !text[0]; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		char t[256];
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT)
			continue;
		txt_first(rr, t, sizeof t);
		if (strncmp(t, LEDGER_TEXT, strlen(LEDGER_TEXT)) == 0)
			snprintf(text, sizeof text, "%s", t);
	}
	if (!text[0]) {
		snprintf(why, whylen, "its answer holds no ledger TXT");
		return st;
	}
	const char *r = strstr(text, " rule="), *f = strstr(text, " forged="),
		   *g = strstr(text, " age=");
	if (!r) {
		snprintf(why, whylen, "the zone's own TXT came back, not the attacker's: no "
			 "attacker proxy answers the ledger zone");
		return st;
	}
	size_t rl = strcspn(r + 6, " ");
	if (rl == 1 && r[6] == '?') {
		snprintf(why, whylen, "the attacker knows no rule %s (its attack rules are older "
			 "than the catalogue)", rule);
		return st;
	}
	if (rl != strlen(rule) || strncasecmp(r + 6, rule, rl) != 0) {
		snprintf(why, whylen, "an answer for another rule: \"%.80s\"", text);
		return st;
	}
	char *end = NULL;
	if (f)
		n = strtoul(f + 8, &end, 10);
	if (!f || end == f + 8 || (n > 0 && !g)) {
		snprintf(why, whylen, "an answer it cannot read: \"%.80s\"", text);
		return st;
	}
	if (n > 0) {
		a = strtod(g + 5, &end);
		if (end == g + 5 || a < 0) {
			snprintf(why, whylen, "an answer it cannot read: \"%.80s\"", text);
			return st;
		}
	}
	if (forged)
		*forged = n;
	if (age)
		*age = a;
	if (n == 0) {
		snprintf(why, whylen, "rule %s forged no reply for this resolver's address", rule);
		return TP_LEDGER_NONE;
	}
	if (fresh && a > run_s + 0.25) { /* (the age has one decimal) */
		snprintf(why, whylen, "rule %s last forged a reply for this resolver %.0f s ago, "
			 "before this run began", rule, a);
		return TP_LEDGER_STALE;
	}
	snprintf(why, whylen, "rule %s forged %lu %s for this resolver, the last %.1f s ago", rule,
		 n, n == 1 ? "reply" : "replies", a);
	return TP_LEDGER_DELIVERED;
}

void tp_ledger_apply(const struct tp_case *c, enum tp_ledger_state st, unsigned long forged,
		     double age, const char *why, struct tp_finding *f)
{
	(void)forged;
	(void)age;
	if (f->status != TP_PASS || !c->forgery[0])
		return;
	char old[TP_REASON_MAX];
	snprintf(old, sizeof old, "%s", f->reason);
	if (st == TP_LEDGER_DELIVERED) {
		size_t e = strlen(f->reason);
		snprintf(f->reason + e, sizeof f->reason - e, " [attacker's ledger: %.150s]", why);
		return;
	}
	f->status = TP_SKIP;
	const char *what = st == TP_LEDGER_UNREADABLE
				   ? "whether the forgery reached the resolver could not be told"
				   : "the forgery never reached the resolver";
	snprintf(f->reason, sizeof f->reason, "not judged: %s (attacker's ledger: %.150s), so "
		 "this answer says nothing about the attack (a lost query, a rate limit, an "
		 "upstream timeout); run it again. ", what, why);
	size_t l = strlen(f->reason), k = strlen(old); /* the observation, cut short if need be */
	if (k > sizeof f->reason - 1 - l)
		k = sizeof f->reason - 1 - l;
	memcpy(f->reason + l, old, k);
	f->reason[l + k] = '\0';
}
