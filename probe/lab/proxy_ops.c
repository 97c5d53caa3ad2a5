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

/* 1 if rr passes the operation's type filter and owner glob (glob "" = any). */
static int takes(uint16_t type, const char *glob, const ldns_rr *rr)
{
	if (!px_type_takes(type, rr))
		return 0;
	if (!glob[0])
		return 1;
	char o[LDNS_MAX_DOMAINLEN * 4 + 8];
	owner_str(rr, o, sizeof o);
	return fnmatch(glob, o, 0) == 0;
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
static int take_out(ldns_rr_list *l, uint16_t type, const char *glob, ldns_rr_list *out)
{
	ldns_rr_list *keep = ldns_rr_list_new();
	if (!keep)
		return -1;
	size_t n = ldns_rr_list_rr_count(l);
	for (size_t i = 0; i < n; i++) {
		ldns_rr *rr = ldns_rr_list_rr(l, i);
		if (takes(type, glob, rr)) {
			if (out)
				ldns_rr_list_push_rr(out, rr);
			else
				ldns_rr_free(rr);
		} else {
			ldns_rr_list_push_rr(keep, rr);
		}
	}
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
	uint16_t type;
	const char *glob;
	const ldns_rdf *to;
	ldns_rr_list *out;
};

static int do_drop(ldns_rr_list *l, const void *arg)
{
	const struct filt *f = arg;
	return take_out(l, f->type, f->glob, f->out);
}

static int do_rename(ldns_rr_list *l, const void *arg)
{
	const struct filt *f = arg;
	size_t n = ldns_rr_list_rr_count(l);
	for (size_t i = 0; i < n; i++) {
		ldns_rr *rr = ldns_rr_list_rr(l, i);
		if (!takes(f->type, f->glob, rr))
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
static int copy_into(const ldns_rr_list *src, uint16_t type, const char *glob, ldns_rr_list *dst)
{
	size_t n = ldns_rr_list_rr_count(src);
	for (size_t i = 0; i < n; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(src, i);
		if (!takes(type, glob, rr))
			continue;
		ldns_rr *c = ldns_rr_clone(rr);
		if (!c || !ldns_rr_list_push_rr(dst, c)) {
			ldns_rr_free(c);
			return -1;
		}
	}
	return 0;
}

static int apply_one(const struct px_rule *r, const struct px_op *op, ldns_pkt *reply,
		     ldns_pkt *const *fetched, const char *qname, char *err, size_t errlen)
{
	char glob[PX_NAME_MAX * 2], to[PX_NAME_MAX * 2], text[PX_TEXT_MAX * 2];
	if (px_expand(op->owner, qname, glob, sizeof glob) != 0)
		return oerr(err, errlen, r, op, "owner too long once $qname is expanded");
	for (char *c = glob; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	struct filt f = {.type = op->type, .glob = glob};
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
				if (copy_into(section((ldns_pkt *)src, (enum px_section)i), op->type,
					      glob, section(reply, op->dst)))
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
