/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* preflight: the test zone checked from the marker's answer; see preflight.h. */
#include "preflight.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

/* "<zone>." (the final dot added when missing; the root stays "."). */
static void zone_text(const char *zone, char *out, size_t len)
{
	size_t n = strlen(zone);
	snprintf(out, len, "%s%s", zone, n && zone[n - 1] == '.' ? "" : ".");
}

int tp_preflight_query(const char *zone, struct tp_query *q)
{
	char zt[300];
	ldns_rdf *d = NULL;
	int n;

	memset(q, 0, sizeof *q);
	if (!zone || !*zone)
		return -1;
	zone_text(zone, zt, sizeof zt);
	n = snprintf(q->qname, sizeof q->qname, "%s.%s", TP_MARKER_LABEL,
		     strcmp(zt, ".") == 0 ? "" : zt);
	if (n < 0 || (size_t)n >= sizeof q->qname || n > 254 ||
	    ldns_str2rdf_dname(&d, q->qname) != LDNS_STATUS_OK)
		return -1;
	ldns_rdf_deep_free(d);
	q->qtype = LDNS_RR_TYPE_TXT;
	q->flags = TP_Q_RD | TP_Q_DO | TP_Q_CD;
	return 0;
}

static void utc(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, len, "%lld", t);
}

/* The first character-string of a TXT record, printable, at most 60 characters. */
static void txt_first(const ldns_rr *rr, char *buf, size_t len)
{
	const ldns_rdf *s = ldns_rr_rd_count(rr) ? ldns_rr_rdf(rr, 0) : NULL;
	const uint8_t *d = s ? ldns_rdf_data(s) : NULL;
	size_t n = d && ldns_rdf_size(s) ? d[0] : 0, o = 0;

	if (n + 1 > (d ? ldns_rdf_size(s) : 0))
		n = 0;
	for (size_t i = 0; i < n && o + 4 < len && i < 60; i++)
		buf[o++] = d[1 + i] >= 0x20 && d[1 + i] < 0x7f && d[1 + i] != '"' ? (char)d[1 + i] : '?';
	buf[o] = '\0';
}

/* The version a marker TXT names ("trustprobe-vectors N", N in 1..65535), or 0. */
static unsigned marker_version(const ldns_rr *rr)
{
	char t[64];
	size_t pl = strlen(TP_MARKER_TEXT);
	unsigned v = 0;

	txt_first(rr, t, sizeof t);
	if (strncmp(t, TP_MARKER_TEXT, pl) != 0 || t[pl] != ' ' || !t[pl + 1])
		return 0;
	for (const char *c = t + pl + 1; *c; c++) {
		if (*c < '0' || *c > '9' || v > 6553)
			return 0;
		v = v * 10 + (unsigned)(*c - '0');
	}
	return v <= 65535 ? v : 0;
}

static const char *rcode_name(ldns_pkt_rcode rc, char *buf, size_t len)
{
	ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, (int)rc);
	if (lt)
		return lt->name;
	snprintf(buf, len, "RCODE%u", (unsigned)rc);
	return buf;
}

static void set(struct tp_preflight *pf, enum tp_preflight_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set(struct tp_preflight *pf, enum tp_preflight_status st, const char *fmt, ...)
{
	va_list ap;
	pf->status = st;
	pf->zone_ok = st == TP_PF_OK;
	pf->zone_fault = st == TP_PF_NOT_FOUND || st == TP_PF_NOT_TRUSTPROBE ||
			 st == TP_PF_VERSION || st == TP_PF_UNSIGNED || st == TP_PF_EXPIRED ||
			 st == TP_PF_NOT_YET;
	va_start(ap, fmt);
	vsnprintf(pf->reason, sizeof pf->reason, fmt, ap);
	va_end(ap);
}

/* Reads the window of the marker's RRSIGs by the zone (over TXT at the marker's owner)
 * and decides. sigs: how many there are. */
static void judge_window(const ldns_pkt *p, const ldns_rdf *owner, const ldns_rdf *zone,
			 const char *zt, const char *mt, long long now, struct tp_preflight *pf)
{
	const ldns_rr_list *an = ldns_pkt_answer(p);
	uint32_t now32 = (uint32_t)now;
	long long last_exp = 0, first_future_inc = 0;
	int sigs = 0, valid = 0, future = 0;
	char date[48];

	for (size_t i = 0; an && i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		const ldns_rdf *cov, *signer, *inc, *exp;
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG ||
		    ldns_dname_compare(ldns_rr_owner(rr), owner) != 0 ||
		    !(cov = ldns_rr_rrsig_typecovered(rr)) ||
		    ldns_rdf2rr_type(cov) != LDNS_RR_TYPE_TXT ||
		    !(signer = ldns_rr_rrsig_signame(rr)) || ldns_dname_compare(signer, zone) != 0 ||
		    !(inc = ldns_rr_rrsig_inception(rr)) || !(exp = ldns_rr_rrsig_expiration(rr)))
			continue;
		/* serial arithmetic (RFC 4034 3.1.5): each time is within 68 years of now */
		long long e = now + (int32_t)(ldns_rdf2native_int32(exp) - now32);
		long long s = now + (int32_t)(ldns_rdf2native_int32(inc) - now32);
		sigs++;
		if (!last_exp || e > last_exp)
			last_exp = e;
		if (s <= now && now <= e)
			valid = 1;
		else if (s > now && (!future || s < first_future_inc))
			future = 1, first_future_inc = s;
	}
	pf->sigs_checked = 1;
	pf->valid_until = last_exp;
	if (!sigs) {
		set(pf, TP_PF_UNSIGNED, "test zone %s is not signed: %s TXT came without an RRSIG by %s",
		    zt, mt, zt);
		return;
	}
	if (valid) {
		utc(last_exp, date, sizeof date);
		set(pf, TP_PF_OK, "test zone %s: trustprobe vectors version %u, signed, valid until %s",
		    zt, pf->version, date);
	} else if (future && last_exp >= now) {
		utc(first_future_inc, date, sizeof date);
		set(pf, TP_PF_NOT_YET, "test zone %s is not valid before %s (the inception of the "
		    "signature of %s TXT): is its signer's clock ahead?", zt, date, mt);
	} else {
		utc(last_exp, date, sizeof date);
		set(pf, TP_PF_EXPIRED, "test zone %s expired on %s (the signature of %s TXT): "
		    "re-sign it", zt, date, mt);
	}
}

void tp_preflight_judge(const struct tp_observation *obs, const char *zone,
			unsigned want_version, long long now, struct tp_preflight *pf)
{
	char zt[300], mt[300], rb[16], text[64] = "";
	struct tp_query q;
	ldns_rdf *zd = NULL, *md = NULL;
	const ldns_pkt *p;
	ldns_pkt_rcode rc;
	const ldns_rr *txt = NULL, *other = NULL;

	memset(pf, 0, sizeof *pf);
	zone_text(zone ? zone : "", zt, sizeof zt);
	if (!zone || !*zone || tp_preflight_query(zone, &q) != 0 ||
	    ldns_str2rdf_dname(&zd, zt) != LDNS_STATUS_OK ||
	    ldns_str2rdf_dname(&md, q.qname) != LDNS_STATUS_OK) {
		set(pf, TP_PF_NOT_FOUND, "test zone %.200s not found: not a domain name", zt);
		goto out;
	}
	snprintf(mt, sizeof mt, "%s", q.qname);
	if (!obs) {
		set(pf, TP_PF_NO_ANSWER, "test zone %s could not be checked: not asked", zt);
		goto out;
	}
	if (obs->local_err) {
		set(pf, TP_PF_LOCAL, "test zone %s could not be checked: %s", zt,
		    obs->reason[0] ? obs->reason : "the query could not be sent");
		goto out;
	}
	if (obs->status != TP_OBS_ANSWER || !obs->pkt) {
		set(pf, TP_PF_NO_ANSWER, "test zone %s could not be checked: no answer from the "
		    "resolver: %s", zt, obs->reason[0] ? obs->reason : tp_obs_status_str(obs->status));
		goto out;
	}
	p = obs->pkt;
	rc = ldns_pkt_get_rcode(p);
	if (rc == LDNS_RCODE_REFUSED) {
		set(pf, TP_PF_NOT_RECURSIVE, "%s for this client: it answered REFUSED to %s TXT (no "
		    "recursion for this address, or an authoritative server)", TP_REASON_NOT_RECURSIVE,
		    mt);
		goto out;
	}
	if (!ldns_pkt_ra(p)) {
		set(pf, TP_PF_NOT_RECURSIVE, "%s: RA clear in its reply to %s TXT with RD (an "
		    "authoritative server?)", TP_REASON_NOT_RECURSIVE, mt);
		goto out;
	}
	if (ldns_pkt_aa(p)) {
		set(pf, TP_PF_NOT_RECURSIVE, "%s for %s: an authoritative answer (AA set) to %s TXT: "
		    "it serves the zone itself and validates none of it", TP_REASON_NOT_RECURSIVE, zt,
		    mt);
		goto out;
	}
	if (rc != LDNS_RCODE_NOERROR && rc != LDNS_RCODE_NXDOMAIN) {
		set(pf, TP_PF_UNREACHABLE, "test zone %s could not be reached through the resolver: "
		    "%s to %s TXT with CD (the zone's servers do not answer it, or it cannot reach "
		    "them)", zt, rcode_name(rc, rb, sizeof rb), mt);
		goto out;
	}
	const ldns_rr_list *an = ldns_pkt_answer(p);
	for (size_t i = 0; rc == LDNS_RCODE_NOERROR && an && i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		unsigned v;
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT ||
		    ldns_dname_compare(ldns_rr_owner(rr), md) != 0)
			continue;
		char at[64];
		txt_first(rr, at, sizeof at);
		if (strcmp(at, TP_MARKER_ATTACKER) == 0) {
			pf->attacker = 1;
			continue;
		}
		if ((v = marker_version(rr)) != 0) {
			if (!txt || v == want_version)
				txt = rr, pf->version = v;
		} else if (!other) {
			other = rr;
		}
	}
	if (!txt && other) {
		txt_first(other, text, sizeof text);
		set(pf, TP_PF_NOT_TRUSTPROBE, "test zone %s is not a trustprobe zone: %s TXT holds "
		    "\"%s\", not \"%s N\"", zt, mt, text, TP_MARKER_TEXT);
		goto out;
	}
	if (!txt) {
		/* a denial: the SOA beside it names the zone that gave it */
		const ldns_rr_list *ns = ldns_pkt_authority(p);
		const ldns_rr *soa = NULL;
		for (size_t i = 0; ns && i < ldns_rr_list_rr_count(ns) && !soa; i++)
			if (ldns_rr_get_type(ldns_rr_list_rr(ns, i)) == LDNS_RR_TYPE_SOA)
				soa = ldns_rr_list_rr(ns, i);
		const char *what = rc == LDNS_RCODE_NXDOMAIN ? "NXDOMAIN" : "no data";
		if (soa && ldns_dname_compare(ldns_rr_owner(soa), zd) == 0) {
			set(pf, TP_PF_NOT_TRUSTPROBE, "test zone %s is not a trustprobe zone: %s for "
			    "%s TXT (no marker: deploy the trustprobe test vectors there)", zt, what, mt);
		} else if (soa) {
			char *o = ldns_rdf2str(ldns_rr_owner(soa));
			set(pf, TP_PF_NOT_FOUND, "test zone %s not found: %s for %s TXT from the zone "
			    "%.200s (no zone %s)", zt, what, mt, o ? o : "?", zt);
			free(o);
		} else {
			set(pf, TP_PF_NOT_FOUND, "test zone %s not found: %s for %s TXT, without an SOA "
			    "naming the zone that answered", zt, what, mt);
		}
		goto out;
	}
	if (want_version && pf->version != want_version) {
		set(pf, TP_PF_VERSION, "test zone %s holds the trustprobe vectors version %u; this "
		    "trustprobe needs version %u: deploy its testvectors/ there", zt, pf->version,
		    want_version);
		goto out;
	}
	if (!ldns_pkt_edns(p) || !ldns_pkt_edns_do(p)) {
		set(pf, TP_PF_OK, "test zone %s: trustprobe vectors version %u; signatures not "
		    "checked (the reply has no DO: the resolver returns no DNSSEC data)", zt,
		    pf->version);
		goto out;
	}
	judge_window(p, md, zd, zt, mt, now, pf);
out:
	ldns_rdf_deep_free(zd);
	ldns_rdf_deep_free(md);
}
