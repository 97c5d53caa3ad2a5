/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* matrix: see matrix.h. */
#include "matrix.h"
#include "ede.h"
#include <ldns/ldns.h>
#include <string.h>

#define MAX_AXIS 32 /* distinct algorithms, or digest types, a grid shows */

const char *tp_alg_name(unsigned alg)
{
	ldns_lookup_table *lt = ldns_lookup_by_id(ldns_algorithms, (int)alg);
	return lt && lt->name ? lt->name : "unassigned";
}

const char *tp_digest_name(unsigned t)
{
	switch (t) {
	case 1: return "SHA-1";
	case 2: return "SHA-256";
	case 3: return "GOST R 34.11-94";
	case 4: return "SHA-384";
	default: return "unassigned";
	}
}

const char *tp_cell_name(int cell)
{
	static const char *const n[] = {"", "validated", "insecure", "bogus", "other", "unjudged"};
	return cell >= 0 && cell <= TP_CELL_UNJUDGED ? n[cell] : "";
}

const char *tp_cell_word(const struct tp_finding *f)
{
	static const char *const w[] = {"", "ok", "ins", "BOG", "?", "-"};
	static const char *const wf[] = {"", "ok!", "ins!", "BOG!", "?!", "-"};
	if (!f->matrix_alg || f->cell < 0 || f->cell > TP_CELL_UNJUDGED)
		return "";
	return f->status == TP_FAIL ? wf[f->cell] : w[f->cell];
}

char tp_cell_letter(const struct tp_finding *f)
{
	static const char l[] = " oibx-", lf[] = " OIBX-";
	if (!f->matrix_alg || f->cell < 0 || f->cell > TP_CELL_UNJUDGED)
		return ' ';
	return f->status == TP_FAIL ? lf[f->cell] : l[f->cell];
}

/* Adds v to the sorted set s (of *n, at most MAX_AXIS). */
static void set_add(unsigned *s, size_t *n, unsigned v)
{
	size_t i = 0;
	while (i < *n && s[i] < v)
		i++;
	if ((i < *n && s[i] == v) || *n == MAX_AXIS)
		return;
	memmove(s + i + 1, s + i, (*n - i) * sizeof *s);
	s[i] = v;
	(*n)++;
}

static const struct tp_finding *cell(const struct tp_resolver_report *r, unsigned alg,
				     unsigned digest)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (r->findings[i].matrix_alg == alg && r->findings[i].matrix_digest == digest)
			return &r->findings[i];
	return NULL;
}

/* The algorithms and digest types of r's cells, or of every resolver of rep. */
static void axes(const struct tp_resolver_report *rs, size_t nr, unsigned *alg, size_t *na,
		 unsigned *dig, size_t *nd)
{
	*na = *nd = 0;
	for (size_t k = 0; k < nr; k++)
		for (size_t i = 0; i < rs[k].n_findings; i++) {
			const struct tp_finding *f = &rs[k].findings[i];
			if (!f->matrix_alg)
				continue;
			set_add(alg, na, f->matrix_alg);
			set_add(dig, nd, f->matrix_digest);
		}
}

static int has_cell(const struct tp_resolver_report *rs, size_t nr, unsigned alg, unsigned d)
{
	for (size_t k = 0; k < nr; k++)
		if (cell(&rs[k], alg, d))
			return 1;
	return 0;
}

int tp_matrix_text(FILE *f, const struct tp_resolver_report *r)
{
	unsigned alg[MAX_AXIS], dig[MAX_AXIS];
	size_t na, nd;
	int rows = 0;

	axes(r, 1, alg, &na, dig, &nd);
	if (!na)
		return 0;
	if (nd > 5) /* 5 columns of 9 fit 80 beside the names */
		nd = 5;
	fputs("\n  algorithm matrix: a row per DNSKEY algorithm, a column per DS digest type\n"
	      "  (ok validated, ins insecure, BOG bogus, ? another answer, - not judged; !: the\n"
	      "  RFCs fail it; blank: no such zone; RFC 8624 3.1 and 3.3, RFC 9904, RFC 9905)\n",
	      f);
	rows += 4;
	char head[128];
	int hl = snprintf(head, sizeof head, "  %-26s", "");
	for (size_t d = 0; d < nd && hl < (int)sizeof head; d++) {
		char h[16];
		if (dig[d] <= 4)
			snprintf(h, sizeof h, "%s", tp_digest_name(dig[d]));
		else
			snprintf(h, sizeof h, "type %u", dig[d]);
		hl += snprintf(head + hl, sizeof head - (size_t)hl, "%s%-9s", d ? " " : "", h);
	}
	while (hl > 0 && head[hl - 1] == ' ')
		head[--hl] = '\0';
	fprintf(f, "%s\n", head);
	rows++;
	for (size_t a = 0; a < na; a++) {
		char line[128];
		int off = snprintf(line, sizeof line, "  %5u %-20s", alg[a], tp_alg_name(alg[a]));
		for (size_t d = 0; d < nd && off < (int)sizeof line; d++) {
			const struct tp_finding *c = cell(r, alg[a], dig[d]);
			off += snprintf(line + off, sizeof line - (size_t)off, "%s%-9s", d ? " " : "",
					c ? tp_cell_word(c) : "");
		}
		while (off > 0 && line[off - 1] == ' ')
			line[--off] = '\0';
		fprintf(f, "%s\n", line);
		rows++;
	}
	return ferror(f) ? -1 : rows;
}

/* The digest types alg has a cell in, for any of rs, as "1 2 4". */
static void digests_of(const struct tp_resolver_report *rs, size_t nr, unsigned alg,
		       const unsigned *dig, size_t nd, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (size_t d = 0; d < nd; d++)
		if (has_cell(rs, nr, alg, dig[d])) {
			int w = snprintf(buf + off, len - off, "%s%u", off ? " " : "", dig[d]);
			if (w < 0 || (size_t)w >= len - off)
				return;
			off += (size_t)w;
		}
}

int tp_matrix_lab(FILE *f, const struct tp_report *rep)
{
	unsigned alg[MAX_AXIS], dig[MAX_AXIS];
	size_t na, nd;
	int rows = 0, w0 = (int)strlen("resolver");
	char lists[MAX_AXIS][48];

	axes(rep->resolvers, rep->n, alg, &na, dig, &nd);
	if (!na)
		return 0;
	/* the digest types of most algorithms, and the algorithms that differ */
	size_t best = 0, best_n = 0;
	for (size_t a = 0; a < na; a++)
		digests_of(rep->resolvers, rep->n, alg[a], dig, nd, lists[a], sizeof lists[a]);
	for (size_t a = 0; a < na; a++) {
		size_t n = 0;
		for (size_t b = 0; b < na; b++)
			n += strcmp(lists[a], lists[b]) == 0;
		if (n > best_n)
			best = a, best_n = n;
	}
	fputs("\nalgorithm matrix: a column per DNSKEY algorithm, a letter per DS digest type\n"
	      "(o validated, i insecure, b bogus (SERVFAIL), x another answer, - not judged;\n"
	      "upper case: the RFCs fail the resolver for it)\n", f);
	rows += 4;
	/* the digest types of the letters: most algorithms', then those that differ */
	char dl[80];
	int dlen = snprintf(dl, sizeof dl, "digest types: %s", lists[best]);
	for (size_t a = 0; a < na; a++) {
		char one[64];
		if (strcmp(lists[a], lists[best]) == 0)
			continue;
		int w = snprintf(one, sizeof one, "; %u: %s", alg[a], lists[a]);
		if (dlen + w > 79) { /* a new row */
			fprintf(f, "%s;\n", dl);
			rows++;
			dlen = snprintf(dl, sizeof dl, "%s", one + 2);
		} else {
			dlen += snprintf(dl + dlen, sizeof dl - (size_t)dlen, "%s", one);
		}
	}
	fprintf(f, "%s\n", dl);
	rows++;
	for (size_t i = 0; i < rep->n; i++) {
		const struct tp_resolver_report *r = &rep->resolvers[i];
		int len = (int)strlen(r->name[0] ? r->name : r->resolver);
		if (len > w0)
			w0 = len;
	}
	char head[512];
	int hl = snprintf(head, sizeof head, "%-*s", w0, "resolver");
	for (size_t a = 0; a < na && hl < (int)sizeof head - 16; a++) {
		int wd = 1; /* letters: one per digest type in the list */
		for (const char *p = lists[a]; *p; p++)
			wd += *p == ' ';
		char num[8];
		snprintf(num, sizeof num, "%u", alg[a]);
		hl += snprintf(head + hl, sizeof head - (size_t)hl, " %-*s",
			       wd > (int)strlen(num) ? wd : (int)strlen(num), num);
	}
	while (hl > 0 && head[hl - 1] == ' ')
		head[--hl] = '\0';
	fprintf(f, "%s\n", head);
	rows++;
	for (size_t i = 0; i < rep->n; i++) {
		const struct tp_resolver_report *r = &rep->resolvers[i];
		int any = 0;
		for (size_t k = 0; k < r->n_findings && !any; k++)
			any = r->findings[k].matrix_alg != 0;
		if (!any)
			continue;
		char line[512];
		int off = snprintf(line, sizeof line, "%-*s", w0, r->name[0] ? r->name : r->resolver);
		for (size_t a = 0; a < na && off < (int)sizeof line - 16; a++) {
			char num[8];
			int nput = 0;
			snprintf(num, sizeof num, "%u", alg[a]);
			line[off++] = ' ';
			for (size_t d = 0; d < nd; d++) {
				if (!has_cell(rep->resolvers, rep->n, alg[a], dig[d]))
					continue;
				const struct tp_finding *c = cell(r, alg[a], dig[d]);
				line[off++] = c ? tp_cell_letter(c) : ' ';
				nput++;
			}
			for (; nput < (int)strlen(num); nput++)
				line[off++] = ' ';
		}
		while (off > 0 && line[off - 1] == ' ')
			off--;
		line[off] = '\0';
		fprintf(f, "%s\n", line);
		rows++;
	}
	return ferror(f) ? -1 : rows;
}

/* The judged observation of f: the one labelled "fwd", else the first. */
static const struct tp_obs_summary *judged(const struct tp_finding *f)
{
	for (size_t k = 0; k < f->n_obs; k++)
		if (!strcmp(f->obs[k].label, "fwd"))
			return &f->obs[k];
	return f->n_obs ? &f->obs[0] : NULL;
}

static int put(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v) != 0;
}

/* A JSON string of an EXTRA-TEXT: bytes of invalid UTF-8 become '?'. */
static json_t *text_json(const char *s)
{
	json_t *j = json_string(s);
	char copy[TP_EDE_TEXT_MAX];
	if (j)
		return j;
	snprintf(copy, sizeof copy, "%s", s);
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	return json_string(copy);
}

json_t *tp_matrix_json(const struct tp_resolver_report *r, int *err)
{
	unsigned alg[MAX_AXIS], dig[MAX_AXIS];
	size_t na, nd;
	axes(r, 1, alg, &na, dig, &nd);
	if (!na)
		return NULL;
	json_t *a = json_array();
	int bad = !a;
	for (size_t x = 0; !bad && x < na; x++)
		for (size_t y = 0; !bad && y < nd; y++) {
			const struct tp_finding *c = cell(r, alg[x], dig[y]);
			if (!c)
				continue;
			const struct tp_obs_summary *o = judged(c);
			json_t *e = json_object(), *codes = json_array(), *texts = json_array();
			json_t *sug = json_array();
			bad |= !e || !codes || !texts || !sug;
			for (size_t i = 0; !bad && o && i < o->n_ede; i++) {
				bad |= json_array_append_new(codes, json_integer(o->ede[i])) != 0;
				bad |= json_array_append_new(texts, text_json(o->ede_text[i])) != 0;
			}
			for (size_t i = 0; !bad && i < c->n_ede_suggest; i++)
				bad |= json_array_append_new(sug, json_integer(c->ede_suggest[i])) != 0;
			bad |= put(e, "case", json_string(c->id));
			bad |= put(e, "alg", json_integer(c->matrix_alg));
			bad |= put(e, "algorithm", json_string(tp_alg_name(c->matrix_alg)));
			bad |= put(e, "digest", json_integer(c->matrix_digest));
			bad |= put(e, "digest_name", json_string(tp_digest_name(c->matrix_digest)));
			bad |= put(e, "status", json_string(tp_status_name(c->status)));
			bad |= put(e, "outcome", json_string(tp_cell_name(c->cell)));
			if (c->note[0])
				bad |= put(e, "note", json_string(c->note));
			bad |= put(e, "ede", codes);
			bad |= put(e, "ede_text", texts);
			bad |= put(e, "ede_suggested", sug);
			bad |= json_array_append_new(a, e) != 0;
		}
	if (bad) {
		json_decref(a);
		*err = 1;
		return NULL;
	}
	return a;
}
