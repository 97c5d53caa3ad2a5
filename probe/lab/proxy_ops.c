/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_ops: the fixed set of rewrite operations (see proxy_ops.h). Every record of a
 * section either stays or moves as a whole; an operation that takes a type also takes
 * the RRSIGs that cover it at the same owners, so a renamed RRset keeps its signature. */
#include "proxy_ops.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int oerr(char *err, size_t errlen, const struct px_rule *r, const struct px_op *op,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int oerr(char *err, size_t errlen, const struct px_rule *r, const struct px_op *op,
		const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (err && errlen)
		snprintf(err, errlen, "rule %s line %d: %s", r->id, op ? op->line : r->line, msg);
	return -1;
}

int px_type_takes(uint16_t t, const ldns_rr *rr)
{
	uint16_t rt = (uint16_t)ldns_rr_get_type(rr);
	if (t == PX_TYPE_ANY)
		return 1;
	if (rt == t)
		return 1;
	if (rt == LDNS_RR_TYPE_RRSIG && ldns_rr_rrsig_typecovered(rr))
		return (uint16_t)ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) == t;
	return 0;
}

/* Lower-case presentation form of rr's owner into buf. */
static void owner_str(const ldns_rr *rr, char *buf, size_t n)
{
	char *s = ldns_rdf2str(ldns_rr_owner(rr));
	snprintf(buf, n, "%s", s ? s : "");
	LDNS_FREE(s);
	for (char *c = buf; *c; c++)
		*c = (char)tolower((unsigned char)*c);
}

/* The selection of one operation: type, then owner glob or NSEC3 relation to a name. */
struct pick {
	uint16_t type;
	const char *glob;    /* PX_SEL_OWNER: "" = any */
	enum px_sel sel;
	const ldns_rdf *name; /* other selectors: canonical name */
	const ldns_rr_list *list; /* the list rr is in (an RRSIG follows its NSEC3) */
};

/* First label of an NSEC3 owner and its next hashed owner, lower case, no dots. */
static void lower_label(const char *s, char *out, size_t n)
{
	size_t i = 0;
	for (; s[i] && s[i] != '.' && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

/* 1 if NSEC3 rr stands in relation sel to H(name) under rr's own hash parameters. */
static int nsec3_rel(const ldns_rr *rr, enum px_sel sel, const ldns_rdf *name)
{
	if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3 || ldns_rr_rd_count(rr) < 5)
		return 0;
	ldns_rdf *h = ldns_nsec3_hash_name_frm_nsec3(rr, name);
	ldns_rdf *next = ldns_nsec3_next_owner(rr);
	char *hs = h ? ldns_rdf2str(h) : NULL, *ns = next ? ldns_rdf2str(next) : NULL;
	char *os = ldns_rdf2str(ldns_rr_owner(rr));
	char hl[128], nl[128], ol[128];
	int r = 0;
	if (hs && ns && os) {
		lower_label(hs, hl, sizeof hl);
		lower_label(ns, nl, sizeof nl);
		lower_label(os, ol, sizeof ol);
		if (sel == PX_SEL_MATCHES)
			r = strcmp(hl, ol) == 0;
		else if (sel == PX_SEL_ENDS)
			r = strcmp(hl, nl) == 0;
		else if (strcmp(ol, nl) < 0)
			r = strcmp(ol, hl) < 0 && strcmp(hl, nl) < 0;
		else /* the last NSEC3 of the chain wraps around */
			r = strcmp(hl, ol) > 0 || strcmp(hl, nl) < 0;
	}
	free(hs);
	free(ns);
	free(os);
	ldns_rdf_deep_free(h);
	return r;
}

/* 1 if rr passes the type filter and the owner glob or NSEC3 selector of p. */
static int takes(const struct pick *p, const ldns_rr *rr)
{
	if (!px_type_takes(p->type, rr))
		return 0;
	if (p->sel != PX_SEL_OWNER) {
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NSEC3)
			return nsec3_rel(rr, p->sel, p->name);
		/* an RRSIG over NSEC3: taken with the NSEC3 of the same owner */
		for (size_t i = 0; p->list && i < ldns_rr_list_rr_count(p->list); i++) {
			const ldns_rr *o = ldns_rr_list_rr(p->list, i);
			if (ldns_rr_get_type(o) == LDNS_RR_TYPE_NSEC3 &&
			    ldns_dname_compare(ldns_rr_owner(o), ldns_rr_owner(rr)) == 0 &&
			    nsec3_rel(o, p->sel, p->name))
				return 1;
		}
		return 0;
	}
	if (!p->glob[0])
		return 1;
	char o[LDNS_MAX_DOMAINLEN * 4 + 8];
	owner_str(rr, o, sizeof o);
	return fnmatch(p->glob, o, 0) == 0;
}

static ldns_rr_list *section(ldns_pkt *p, enum px_section s)
{
	switch (s) {
	case PX_SEC_ANSWER: return ldns_pkt_answer(p);
	case PX_SEC_AUTHORITY: return ldns_pkt_authority(p);
	case PX_SEC_ADDITIONAL: return ldns_pkt_additional(p);
	case PX_SEC_ALL: break;
	}
	return NULL;
}

/* Removes from list l the records that pass the filter; they go to out (if not NULL) or
 * are freed. Keeps the order of what stays. */
static int take_out(ldns_rr_list *l, const struct pick *pk, ldns_rr_list *out)
{
	ldns_rr_list *keep = ldns_rr_list_new();
	if (!keep)
		return -1;
	struct pick p = *pk;
	p.list = l;
	size_t n = ldns_rr_list_rr_count(l);
	char *hit = calloc(n + 1, 1); /* decide first: an RRSIG looks at its NSEC3 in l */
	if (!hit) {
		ldns_rr_list_free(keep);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		hit[i] = (char)takes(&p, ldns_rr_list_rr(l, i));
	for (size_t i = 0; i < n; i++) {
		ldns_rr *rr = ldns_rr_list_rr(l, i);
		if (hit[i]) {
			if (out)
				ldns_rr_list_push_rr(out, rr);
			else
				ldns_rr_free(rr);
		} else {
			ldns_rr_list_push_rr(keep, rr);
		}
	}
	free(hit);
	ldns_rr_list_set_rr_count(l, 0);
	n = ldns_rr_list_rr_count(keep);
	for (size_t i = 0; i < n; i++)
		ldns_rr_list_push_rr(l, ldns_rr_list_rr(keep, i));
	ldns_rr_list_free(keep);
	return 0;
}

/* Section counts in the header follow the lists (ldns_pkt2wire writes the lists, but
 * ldns_pkt_print and callers read the counts). */
static void fix_counts(ldns_pkt *p)
{
	ldns_pkt_set_ancount(p, (uint16_t)ldns_rr_list_rr_count(ldns_pkt_answer(p)));
	ldns_pkt_set_nscount(p, (uint16_t)ldns_rr_list_rr_count(ldns_pkt_authority(p)));
	ldns_pkt_set_arcount(p, (uint16_t)ldns_rr_list_rr_count(ldns_pkt_additional(p)));
}

static int for_sections(enum px_section s, int (*fn)(ldns_rr_list *, const void *),
			ldns_pkt *p, const void *arg)
{
	for (int i = PX_SEC_ANSWER; i <= PX_SEC_ADDITIONAL; i++)
		if (s == PX_SEC_ALL || s == (enum px_section)i)
			if (fn(section(p, (enum px_section)i), arg))
				return -1;
	return 0;
}

struct filt {
	struct pick pick;
	const ldns_rdf *to;
	ldns_rr_list *out;
};

static int do_drop(ldns_rr_list *l, const void *arg)
{
	const struct filt *f = arg;
	return take_out(l, &f->pick, f->out);
}

static int do_rename(ldns_rr_list *l, const void *arg)
{
	const struct filt *f = arg;
	struct pick p = f->pick;
	p.list = l;
	size_t n = ldns_rr_list_rr_count(l);
	for (size_t i = 0; i < n; i++) {
		ldns_rr *rr = ldns_rr_list_rr(l, i);
		if (!takes(&p, rr))
			continue;
		ldns_rdf *nn = ldns_rdf_clone(f->to);
		if (!nn)
			return -1;
		ldns_rdf_deep_free(ldns_rr_owner(rr));
		ldns_rr_set_owner(rr, nn);
	}
	return 0;
}

/* Copies the filtered records of src into dst (deep copies). */
static int copy_into(const ldns_rr_list *src, const struct pick *pk, ldns_rr_list *dst)
{
	struct pick p = *pk;
	p.list = src;
	size_t n = ldns_rr_list_rr_count(src);
	for (size_t i = 0; i < n; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(src, i);
		if (!takes(&p, rr))
			continue;
		ldns_rr *c = ldns_rr_clone(rr);
		if (!c || !ldns_rr_list_push_rr(dst, c)) {
			ldns_rr_free(c);
			return -1;
		}
	}
	return 0;
}

static int apply_kind(const struct px_rule *r, const struct px_op *op, ldns_pkt *reply,
		      ldns_pkt *const *fetched, const char *qname, struct filt *fp, char *err,
		      size_t errlen);

static int apply_one(const struct px_rule *r, const struct px_op *op, ldns_pkt *reply,
		     ldns_pkt *const *fetched, const char *qname, char *err, size_t errlen)
{
	char glob[PX_NAME_MAX * 2];
	if (px_expand(op->owner, qname, glob, sizeof glob) != 0)
		return oerr(err, errlen, r, op, "owner too long once $qname is expanded");
	for (char *c = glob; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	struct filt f = {.pick = {.type = op->type, .glob = glob, .sel = op->sel}};
	ldns_rdf *selname = NULL;
	if (op->sel != PX_SEL_OWNER && (op->kind == PX_OP_DROP || op->kind == PX_OP_MOVE ||
					op->kind == PX_OP_COPY || op->kind == PX_OP_RENAME)) {
		if (ldns_str2rdf_dname(&selname, glob) != LDNS_STATUS_OK || !selname)
			return oerr(err, errlen, r, op, "'%s' is not a domain name", glob);
		ldns_dname2canonical(selname);
		f.pick.name = selname;
		f.pick.glob = "";
	}
	int rc = apply_kind(r, op, reply, fetched, qname, &f, err, errlen);
	ldns_rdf_deep_free(selname);
	return rc;
}

static int apply_kind(const struct px_rule *r, const struct px_op *op, ldns_pkt *reply,
		      ldns_pkt *const *fetched, const char *qname, struct filt *fp, char *err,
		      size_t errlen)
{
	char to[PX_NAME_MAX * 2], text[PX_TEXT_MAX * 2];
	struct filt f = *fp;
	switch (op->kind) {
	case PX_OP_RCODE:
		ldns_pkt_set_rcode(reply, (uint8_t)op->rcode);
		return 0;
	case PX_OP_FLAG:
		if (op->flag == PX_FLAG_AA)
			ldns_pkt_set_aa(reply, op->on);
		else if (op->flag == PX_FLAG_AD)
			ldns_pkt_set_ad(reply, op->on);
		else
			ldns_pkt_set_tc(reply, op->on);
		return 0;
	case PX_OP_DROP:
		if (for_sections(op->sec, do_drop, reply, &f))
			return oerr(err, errlen, r, op, "out of memory");
		return 0;
	case PX_OP_RENAME: {
		if (px_expand(op->to, qname, to, sizeof to) != 0)
			return oerr(err, errlen, r, op, "new owner too long once $qname is expanded");
		ldns_rdf *nn = NULL;
		if (ldns_str2rdf_dname(&nn, to) != LDNS_STATUS_OK || !nn)
			return oerr(err, errlen, r, op, "new owner '%s' is not a domain name", to);
		f.to = nn;
		int rc = for_sections(op->sec, do_rename, reply, &f);
		ldns_rdf_deep_free(nn);
		return rc ? oerr(err, errlen, r, op, "out of memory") : 0;
	}
	case PX_OP_MOVE: {
		ldns_rr_list *tmp = ldns_rr_list_new();
		if (!tmp)
			return oerr(err, errlen, r, op, "out of memory");
		f.out = tmp;
		int rc = for_sections(op->sec, do_drop, reply, &f);
		ldns_rr_list *dst = section(reply, op->dst);
		size_t n = ldns_rr_list_rr_count(tmp);
		for (size_t i = 0; i < n; i++)
			ldns_rr_list_push_rr(dst, ldns_rr_list_rr(tmp, i));
		ldns_rr_list_free(tmp);
		return rc ? oerr(err, errlen, r, op, "out of memory") : 0;
	}
	case PX_OP_COPY: {
		const ldns_pkt *src = fetched ? fetched[op->fetch] : NULL;
		if (!src)
			return oerr(err, errlen, r, op, "fetch '%s' brought no reply",
				    r->fetch[op->fetch].label);
		for (int i = PX_SEC_ANSWER; i <= PX_SEC_ADDITIONAL; i++)
			if (op->sec == PX_SEC_ALL || op->sec == (enum px_section)i)
				if (copy_into(section((ldns_pkt *)src, (enum px_section)i), &f.pick,
					      section(reply, op->dst)))
					return oerr(err, errlen, r, op, "out of memory");
		return 0;
	}
	case PX_OP_ADD: {
		if (px_expand(op->text, qname, text, sizeof text) != 0)
			return oerr(err, errlen, r, op, "record too long once $qname is expanded");
		ldns_rr *rr = NULL;
		ldns_status st = ldns_rr_new_frm_str(&rr, text, 3600, NULL, NULL);
		if (st != LDNS_STATUS_OK || !rr)
			return oerr(err, errlen, r, op, "cannot parse '%s': %s", text,
				    ldns_get_errorstr_by_id(st));
		if (!ldns_rr_list_push_rr(section(reply, op->sec), rr)) {
			ldns_rr_free(rr);
			return oerr(err, errlen, r, op, "out of memory");
		}
		return 0;
	}
	}
	return oerr(err, errlen, r, op, "internal: unknown operation");
}

int px_apply(const struct px_rule *r, ldns_pkt *reply, ldns_pkt *const *fetched,
	     const char *qname, char *err, size_t errlen)
{
	for (size_t i = 0; i < r->n_ops; i++) {
		int rc = apply_one(r, &r->ops[i], reply, fetched, qname, err, errlen);
		fix_counts(reply);
		if (rc)
			return -1;
	}
	return 0;
}
