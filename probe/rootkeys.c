/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* rootkeys: see rootkeys.h. */
#include "rootkeys.h"
#include "roll.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int tp_rootkeys_read(const ldns_pkt *p, struct tp_rootkeys *rk)
{
	memset(rk, 0, sizeof *rk);
	rk->ad = ldns_pkt_ad(p);
	ldns_rr_list *an = ldns_pkt_answer(p);
	int found = 0;
	for (size_t i = 0; an && i < ldns_rr_list_rr_count(an); i++) {
		ldns_rr *rr = ldns_rr_list_rr(an, i);
		if (ldns_dname_label_count(ldns_rr_owner(rr)) != 0)
			continue;
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_DNSKEY && ldns_rr_rd_count(rr) >= 4) {
			uint16_t flags = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
			found = 1;
			rk->ttl = ldns_rr_ttl(rr);
			if (!(flags & LDNS_KEY_SEP_KEY)) {
				rk->n_zsk++;
			} else if (rk->n_ksk < TP_ROOTKEYS_MAX) {
				rk->revoked[rk->n_ksk] = (flags & LDNS_KEY_REVOKE_KEY) != 0;
				rk->ksk[rk->n_ksk++] = ldns_calc_keytag(rr);
			}
		} else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG && ldns_rr_rd_count(rr) >= 7 &&
			   ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) == LDNS_RR_TYPE_DNSKEY &&
			   rk->n_signers < TP_ROOTKEYS_MAX) {
			rk->signer[rk->n_signers++] = ldns_rdf2native_int16(ldns_rr_rrsig_keytag(rr));
		}
	}
	return found ? 0 : -1;
}

static int has(const uint16_t *v, size_t n, uint16_t tag)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == tag)
			return 1;
	return 0;
}

static void app(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void app(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	if (*off >= len)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n < len - *off ? (size_t)n : len - *off;
}

static void name_of(uint16_t tag, int real, char *out, size_t len)
{
	const struct tp_root_key *k = real ? tp_root_key_find(tag) : NULL;
	if (k)
		snprintf(out, len, "%s (%u%s)", k->name, tag, tag == k->revoked_tag ? ", revoked" : "");
	else
		snprintf(out, len, "%u", tag);
}

void tp_rootkeys_check(const struct tp_rootkeys *rk, int have_keys,
		       const struct tp_rootkeys_expect *e, struct tp_finding *f)
{
	char keys[160] = "", why[200] = "", nm[48], date[16];
	size_t ko = 0, wo = 0;
	if (!have_keys || f->status == TP_SKIP)
		return;
	for (size_t i = 0; i < rk->n_ksk; i++) {
		name_of(rk->ksk[i], e->real_root, nm, sizeof nm);
		app(keys, sizeof keys, &ko, "%s%s%s", i ? ", " : "", nm, rk->revoked[i] ? " REVOKE" : "");
	}
	app(keys, sizeof keys, &ko, "; signed by");
	for (size_t i = 0; i < rk->n_signers; i++)
		app(keys, sizeof keys, &ko, "%s %u", i ? "," : "", rk->signer[i]);
	app(keys, sizeof keys, &ko, "; TTL %u", rk->ttl);

	enum tp_status st = TP_PASS;
	int in_force_published = 0;
	for (size_t i = 0; i < rk->n_ksk; i++)
		in_force_published |= rk->ksk[i] == e->in_force && !rk->revoked[i];
	name_of(e->in_force, e->real_root, nm, sizeof nm);
	if (!has(rk->signer, rk->n_signers, e->in_force)) {
		st = TP_FAIL;
		app(why, sizeof why, &wo, "the KSK in force, %s, does not sign it", nm);
	} else if (!in_force_published) {
		st = TP_FAIL;
		app(why, sizeof why, &wo, "the KSK in force, %s, is not published unrevoked", nm);
	} else if (e->next && !has(rk->ksk, rk->n_ksk, e->next)) {
		st = TP_WARN;
		app(why, sizeof why, &wo, "the next KSK, %u, is not published", e->next);
	}
	if (e->real_root) { /* keys the calendar expects on this date */
		size_t n;
		const struct tp_roll_event *ev = tp_roll_events(&n);
		const struct tp_root_key *rks = tp_root_keys(&n);
		for (size_t k = 0; k < n; k++) {
			int published = 0, revoked = 0, removed = 0;
			size_t ne;
			ev = tp_roll_events(&ne);
			for (size_t i = 0; i < ne; i++) {
				if (ev[i].tag != rks[k].tag || tp_roll_event_time(&ev[i]) > e->now)
					continue;
				published |= ev[i].kind == TP_ROLL_PUBLISH || ev[i].kind == TP_ROLL_SIGN;
				revoked |= ev[i].kind == TP_ROLL_REVOKE;
				removed |= ev[i].kind == TP_ROLL_REMOVE;
			}
			if (!published || removed || revoked)
				continue; /* revoked keys leave on dates the calendar does not fix */
			if (!has(rk->ksk, rk->n_ksk, rks[k].tag))
				app(why, sizeof why, &wo, "%s%s is not in it, though the calendar has it "
				    "published", wo ? "; " : "", rks[k].name);
		}
	}
	if (f->status == TP_PASS)
		f->status = st; /* a failed rule (no AD, SERVFAIL) stays as it is */
	tp_format_date((time_t)e->now, date, sizeof date);
	char next[200] = "";
	const struct tp_roll_event *nx = e->real_root ? tp_roll_next((time_t)e->now) : NULL;
	if (nx)
		snprintf(next, sizeof next, "; next step %s, in %ld days: %s%s", nx->date,
			 tp_days_until((time_t)e->now, tp_roll_event_time(nx)), nx->what,
			 nx->unverified ? " (date unverified)" : "");
	else if (e->next)
		snprintf(next, sizeof next, "; next step: the lab's next KSK %u signs alone", e->next);
	char old[TP_REASON_MAX];
	snprintf(old, sizeof old, "%s", f->reason);
	size_t ro = 0;
	f->reason[0] = '\0';
	app(f->reason, sizeof f->reason, &ro, "root KSKs %s (on %s: %s)%s; %s", keys, date,
	    why[0] ? why : "as expected", next, old);
}
