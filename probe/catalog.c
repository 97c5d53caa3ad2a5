/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* catalog: parser and selection for the case catalogue. Format: testvectors/README. */
#include "catalog.h"
#include "tp_util.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#define LINE_MAX_CHARS 1022

struct parser {
	const char *path;
	unsigned line;
	char *err;
	size_t errlen;
	struct tp_catalog *cat;
	size_t cap;
	struct tp_case *cur;   /* case being read, or NULL */
	int have_group, have_else, have_essential, have_lab_only, have_matrix, have_ede;
	/* the LABEL: prefix of each atom of the current case, resolved by finish_case() once
	 * every query of the case has been read */
	char atom_label[TP_RULES_MAX][TP_ATOMS_MAX][TP_LABEL_MAX];
};

static int perr(struct parser *p, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, unsigned line, const char *fmt, ...)
{
	if (p->err && p->errlen) {
		char msg[256];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		snprintf(p->err, p->errlen, "%s:%u: %s", p->path, line, msg);
	}
	return -1;
}

/* Splits off the next blank-separated word of *s; NULL at the end. */
static char *next_word(char **s)
{
	char *p = *s, *w;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p) {
		*s = p;
		return NULL;
	}
	w = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = '\0';
	*s = p;
	return w;
}

static char *trim(char *s)
{
	size_t n;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int valid_id(const char *s)
{
	if (!*s || strlen(s) >= TP_ID_MAX)
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '.' ||
		      *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int parse_bool(const char *v, uint16_t *out)
{
	if (!strcmp(v, "0") || !strcmp(v, "1")) {
		*out = (uint16_t)(v[0] - '0');
		return 0;
	}
	return -1;
}

static int parse_rcode(const char *v, uint16_t *out)
{
	ldns_lookup_table *lt = ldns_lookup_by_name(ldns_rcodes, v);
	if (!lt)
		return -1;
	*out = (uint16_t)lt->id;
	return 0;
}

static int parse_type(const char *v, uint16_t *out)
{
	ldns_rr_type t = ldns_get_rr_type_by_name(v);
	if (t == 0)
		return -1;
	*out = (uint16_t)t;
	return 0;
}

static int valid_label(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= TP_LABEL_MAX || !islower((unsigned char)s[0]))
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return 0;
	return 1;
}

/* Parses "pass|warn|fail|skip ATOM... [-- NOTE]" (words after the keyword in rest). An
 * ATOM may carry a "LABEL:" prefix and a "!" (negation) before it. */
static int parse_rule(struct parser *p, enum tp_status st, char *rest)
{
	struct tp_case *c = p->cur;
	struct tp_rule *r;
	char *note = strstr(rest, "--");
	char *w;

	if (c->n_rules == TP_RULES_MAX)
		return perr(p, p->line, "more than %d outcome rules", TP_RULES_MAX);
	r = &c->rules[c->n_rules];
	memset(r, 0, sizeof *r);
	r->status = st;
	r->line = p->line;
	if (note) {
		*note = '\0';
		note = trim(note + 2);
		if (!*note)
			return perr(p, p->line, "empty note after '--'");
		if (strlen(note) >= TP_NOTE_MAX)
			return perr(p, p->line, "note longer than %d characters", TP_NOTE_MAX - 1);
		strcpy(r->note, note);
	}
	while ((w = next_word(&rest))) {
		struct tp_atom a = { TP_AT_RCODE, 0, 0, 0 };
		char *colon = strchr(w, ':'), *eq;
		const char *key, *val = NULL, *label = "";
		int bad = 0;
		unsigned i;

		if (colon) {
			*colon = '\0';
			label = w;
			w = colon + 1;
			if (!valid_label(label))
				return perr(p, p->line, "bad query label '%s' in an atom", label);
		}
		if (*w == '!') {
			a.negate = 1;
			w++;
		}
		eq = strchr(w, '=');
		key = w;
		if (eq) {
			*eq = '\0';
			val = eq + 1;
		}
		if (!strcmp(key, "noanswer") && !val) {
			a.kind = TP_AT_NOANSWER;
		} else if (!val) {
			return perr(p, p->line, "unknown pattern atom '%s'", key);
		} else if (!strcmp(key, "rcode")) {
			a.kind = TP_AT_RCODE;
			if (parse_rcode(val, &a.value))
				return perr(p, p->line, "bad rcode '%s'", val);
		} else if (!strcmp(key, "answer") || !strcmp(key, "auth")) {
			a.kind = key[1] == 'n' ? TP_AT_ANSWER : TP_AT_AUTH;
			if (parse_type(val, &a.value))
				return perr(p, p->line, "unknown RR type '%s' in %s=", val, key);
		} else if (!strcmp(key, "ad")) {
			a.kind = TP_AT_AD;
			bad = parse_bool(val, &a.value);
		} else if (!strcmp(key, "rrsig")) {
			a.kind = TP_AT_RRSIG;
			bad = parse_bool(val, &a.value);
		} else if (!strcmp(key, "edns")) {
			a.kind = TP_AT_EDNS;
			bad = parse_bool(val, &a.value);
		} else if (!strcmp(key, "do")) {
			a.kind = TP_AT_DO;
			bad = parse_bool(val, &a.value);
		} else if (!strcmp(key, "tc")) {
			a.kind = TP_AT_TC;
			bad = parse_bool(val, &a.value);
		} else if (!strcmp(key, "tcp")) {
			a.kind = TP_AT_TCP;
			bad = parse_bool(val, &a.value);
		} else if (!strcmp(key, "ede")) {
			char *end;
			long v;
			a.kind = TP_AT_EDE;
			errno = 0;
			v = strtol(val, &end, 10);
			if (errno || end == val || *end || v < 0 || v > 65535 || !isdigit((unsigned char)*val))
				return perr(p, p->line, "ede= takes an INFO-CODE 0..65535, not '%s'", val);
			if (st == TP_PASS)
				return perr(p, p->line, "ede= in a pass rule: an EDE code is evidence for "
					    "the report, never needed for a pass (RFC 8914)");
			a.value = (uint16_t)v;
		} else {
			return perr(p, p->line, "unknown pattern atom '%s'", key);
		}
		if (bad)
			return perr(p, p->line, "%s= takes 0 or 1, not '%s'", key, val);
		for (i = 0; i < r->n_atoms; i++)
			if (r->atoms[i].kind == a.kind && a.kind != TP_AT_ANSWER &&
			    a.kind != TP_AT_AUTH && a.kind != TP_AT_EDE &&
			    !strcmp(p->atom_label[c->n_rules][i], label))
				return perr(p, p->line, "atom '%s' given twice", key);
		if (r->n_atoms == TP_ATOMS_MAX)
			return perr(p, p->line, "more than %d atoms in a pattern", TP_ATOMS_MAX);
		strcpy(p->atom_label[c->n_rules][r->n_atoms], label);
		r->atoms[r->n_atoms++] = a;
	}
	if (r->n_atoms == 0)
		return perr(p, p->line, "empty pattern");
	c->n_rules++;
	return 0;
}

/* The variables a query name may hold, with a stand-in of the longest expansion (for
 * checking the name's syntax and length at load time). */
static const struct { const char *name; unsigned bit; const char *standin; } vars[] = {
	{ "{rand}", TP_VAR_RAND, "tp0123456789" },
	{ "{ksk_current}", TP_VAR_KSK_CURRENT, "00000" },
	{ "{ksk_next}", TP_VAR_KSK_NEXT, "00000" },
};

/* Writes name into out with each variable replaced by its stand-in; *used gets TP_VAR_*.
 * Returns 0, or -1 with the unknown or unterminated variable in bad. */
static int standin_name(const char *name, char *out, size_t len, unsigned *used, char *bad,
			size_t badlen)
{
	size_t o = 0;
	*used = 0;
	while (*name) {
		if (*name == '{') {
			const char *close = strchr(name, '}');
			size_t i, vl = close ? (size_t)(close - name) + 1 : strlen(name);
			for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
				if (close && strlen(vars[i].name) == vl && !strncmp(name, vars[i].name, vl))
					break;
			if (i == sizeof vars / sizeof vars[0]) {
				snprintf(bad, badlen, "%.*s", (int)(vl > 40 ? 40 : vl), name);
				return -1;
			}
			*used |= vars[i].bit;
			if (o + strlen(vars[i].standin) >= len)
				return -1;
			memcpy(out + o, vars[i].standin, strlen(vars[i].standin));
			o += strlen(vars[i].standin);
			name += vl;
			continue;
		}
		if (*name == '}') {
			snprintf(bad, badlen, "}");
			return -1;
		}
		if (o + 1 >= len)
			return -1;
		out[o++] = *name++;
	}
	out[o] = '\0';
	return 0;
}

static int valid_qname(const char *name, int absolute)
{
	char buf[300];
	ldns_rdf *d = NULL;
	size_t n = strlen(name);

	if (n == 0 || n > 253 || (!absolute && (name[0] == '.' || strstr(name, ".."))))
		return 0;
	if (absolute && n > 1 && (name[0] == '.' || strstr(name, "..")))
		return 0;
	snprintf(buf, sizeof buf, "%s%s", name, absolute ? "" : ".");
	if (ldns_str2rdf_dname(&d, buf) != LDNS_STATUS_OK)
		return 0;
	ldns_rdf_deep_free(d);
	return 1;
}

/* Parses "query [LABEL] NAME TYPE [FLAG...]": with a label the second word is no RR type. */
static int parse_query(struct parser *p, char *rest)
{
	struct tp_case *c = p->cur;
	struct tp_cquery *cq;
	char *w1 = next_word(&rest), *w2 = next_word(&rest), *label = NULL, *name, *type, *w;
	char standin[300], bad[48] = "";
	uint16_t t;
	size_t i;

	if (!w1 || !w2)
		return perr(p, p->line, "query needs a name and a type");
	if (parse_type(w2, &t) == 0) {
		name = w1;
		type = w2;
	} else {
		label = w1;
		name = w2;
		type = next_word(&rest);
		if (!type) /* "query NAME NOTATYPE" */
			return perr(p, p->line, "unknown RR type '%s'", w2);
		if (!valid_label(label))
			return perr(p, p->line, "bad query label '%s' (a-z, then a-z 0-9 -, at most "
				    "%d)", label, TP_LABEL_MAX - 1);
	}
	for (i = 0; i < c->n_queries; i++) {
		if (!label && !c->queries[i].label[0])
			return perr(p, p->line, "query given twice (label the queries of a case "
				    "with several: 'query LABEL NAME TYPE')");
		if (!label != !c->queries[i].label[0])
			return perr(p, p->line, "labelled and unlabelled queries in one case");
		if (label && !strcmp(label, c->queries[i].label))
			return perr(p, p->line, "query label '%s' given twice", label);
	}
	if (c->n_queries == TP_QUERIES_MAX)
		return perr(p, p->line, "more than %d queries in a case", TP_QUERIES_MAX);
	cq = &c->queries[c->n_queries];
	memset(cq, 0, sizeof *cq);
	cq->line = p->line;
	if (label) {
		strcpy(cq->label, label);
		cq->control = !strncmp(label, "ctl", 3);
	}
	if (strlen(name) >= sizeof cq->qname)
		return perr(p, p->line, "bad query name '%.40s...'", name);
	if (standin_name(name, standin, sizeof standin, &cq->vars, bad, sizeof bad)) {
		if (bad[0])
			return perr(p, p->line, "unknown variable '%s' in query name '%s' (known: "
				    "{rand} {ksk_current} {ksk_next})", bad, name);
		return perr(p, p->line, "bad query name '%s'", name);
	}
	cq->needs_zone = !standin[0] || standin[strlen(standin) - 1] != '.';
	if (!valid_qname(standin, !cq->needs_zone))
		return perr(p, p->line, "bad query name '%s'", name);
	strcpy(cq->qname, name);
	if (parse_type(type, &cq->qtype))
		return perr(p, p->line, "unknown RR type '%s'", type);
	while ((w = next_word(&rest))) {
		unsigned f = 0;
		if (!strcmp(w, "rd"))
			f = TP_Q_RD;
		else if (!strcmp(w, "cd"))
			f = TP_Q_CD;
		else if (!strcmp(w, "ad"))
			f = TP_Q_AD;
		else if (!strcmp(w, "do"))
			f = TP_Q_DO;
		else if (!strcmp(w, "noedns"))
			f = TP_Q_NOEDNS;
		else if (!strcmp(w, "tcp"))
			f = TP_Q_TCP;
		else if (!strncmp(w, "bufsize=", 8)) {
			char *end;
			long v;
			errno = 0;
			v = strtol(w + 8, &end, 10);
			if (errno || end == w + 8 || *end || v < 512 || v > 65535)
				return perr(p, p->line, "bufsize= takes 512..65535, not '%s'",
					    w + 8);
			if (cq->bufsize)
				return perr(p, p->line, "flag 'bufsize' given twice");
			cq->bufsize = (uint16_t)v;
			continue;
		} else
			return perr(p, p->line, "unknown query flag '%s'", w);
		if (cq->qflags & f)
			return perr(p, p->line, "flag '%s' given twice", w);
		cq->qflags |= f;
	}
	if ((cq->qflags & TP_Q_NOEDNS) && ((cq->qflags & TP_Q_DO) || cq->bufsize))
		return perr(p, p->line, "noedns cannot go with do or bufsize=");
	c->needs_zone |= cq->needs_zone;
	c->vars |= cq->vars;
	c->n_queries++;
	return 0;
}

static int set_text(struct parser *p, char *dst, size_t dstlen, const char *what, char *rest)
{
	rest = trim(rest);
	if (*dst)
		return perr(p, p->line, "%s given twice", what);
	if (!*rest)
		return perr(p, p->line, "%s needs text", what);
	if (strlen(rest) >= dstlen)
		return perr(p, p->line, "%s longer than %zu characters", what, dstlen - 1);
	strcpy(dst, rest);
	return 0;
}

/* A decimal number in [0, max]. */
static int parse_num(const char *v, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)*v))
		return -1;
	*out = strtoul(v, &end, 10);
	return errno || *end || *out > max ? -1 : 0;
}

/* "matrix ALG DIGEST": the cell of the algorithm matrix this case is; one case per cell. */
static int parse_matrix(struct parser *p, char *rest)
{
	char *a = next_word(&rest), *d = next_word(&rest);
	unsigned long alg, digest;

	if (p->have_matrix)
		return perr(p, p->line, "matrix given twice");
	p->have_matrix = 1;
	if (!a || !d || next_word(&rest) || parse_num(a, 255, &alg) || parse_num(d, 255, &digest) ||
	    !alg || !digest)
		return perr(p, p->line, "matrix takes an algorithm and a DS digest type, 1..255 each");
	for (size_t i = 0; i + 1 < p->cat->n; i++)
		if (p->cat->cases[i].matrix_alg == alg && p->cat->cases[i].matrix_digest == digest)
			return perr(p, p->line, "matrix cell %lu %lu already taken by case '%s'", alg,
				    digest, p->cat->cases[i].id);
	p->cur->matrix_alg = (uint8_t)alg;
	p->cur->matrix_digest = (uint8_t)digest;
	return 0;
}

/* Checks that the current case is complete. */
const struct tp_cquery *tp_case_fwd(const struct tp_case *c)
{
	for (size_t k = 0; k < c->n_queries; k++)
		if (strcmp(c->queries[k].label, "fwd") == 0)
			return &c->queries[k];
	return NULL;
}

static int finish_case(struct parser *p)
{
	struct tp_case *c = p->cur;
	size_t i;
	int pass = 0;

	if (!c)
		return 0;
	p->cur = NULL;
	if (!p->have_group)
		return perr(p, c->line, "case '%s' has no group", c->id);
	if (c->n_queries == 0)
		return perr(p, c->line, "case '%s' has no query", c->id);
	for (i = 0; i < c->n_rules; i++) {
		struct tp_rule *r = &c->rules[i];
		pass |= r->status == TP_PASS;
		for (size_t k = 0; k < r->n_atoms; k++) {
			const char *label = p->atom_label[i][k];
			size_t q;
			if (!label[0]) {
				r->atoms[k].q = 0;
				continue;
			}
			for (q = 0; q < c->n_queries && strcmp(c->queries[q].label, label); q++)
				;
			if (q == c->n_queries)
				return perr(p, r->line, "atom prefix '%s:' names no query of case '%s'",
					    label, c->id);
			r->atoms[k].q = (uint8_t)q;
		}
	}
	if (!pass)
		return perr(p, c->line, "case '%s' has no pass rule", c->id);
	if (c->forgery[0] && !tp_case_fwd(c))
		return perr(p, c->line, "case '%s' has a forgery but no query labelled fwd", c->id);
	if (!c->reason[0])
		return perr(p, c->line, "case '%s' has no reason", c->id);
	if (!c->source[0])
		return perr(p, c->line, "case '%s' has no source", c->id);
	return 0;
}

static int start_case(struct parser *p, char *rest)
{
	char *id = next_word(&rest);
	size_t i;

	if (finish_case(p))
		return -1;
	if (!id || next_word(&rest))
		return perr(p, p->line, "case needs exactly one id");
	if (!valid_id(id))
		return perr(p, p->line, "bad case id '%s' (a-z 0-9 . - _, at most %d)", id,
			    TP_ID_MAX - 1);
	for (i = 0; i < p->cat->n; i++)
		if (!strcmp(p->cat->cases[i].id, id))
			return perr(p, p->line, "duplicate case id '%s' (first at line %u)", id,
				    p->cat->cases[i].line);
	if (p->cat->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 32;
		struct tp_case *nc = realloc(p->cat->cases, ncap * sizeof *nc);
		if (!nc)
			return perr(p, p->line, "out of memory");
		p->cat->cases = nc;
		p->cap = ncap;
	}
	p->cur = &p->cat->cases[p->cat->n++];
	memset(p->cur, 0, sizeof *p->cur);
	strcpy(p->cur->id, id);
	p->cur->line = p->line;
	p->cur->otherwise = TP_FAIL;
	p->have_group = p->have_else = p->have_essential = p->have_lab_only = 0;
	p->have_matrix = p->have_ede = 0;
	memset(p->atom_label, 0, sizeof p->atom_label);
	return 0;
}

static int parse_line(struct parser *p, char *s)
{
	char *hash = strchr(s, '#');
	char *kw, *rest;

	if (hash)
		*hash = '\0';
	rest = trim(s);
	kw = next_word(&rest);
	if (!kw)
		return 0;
	if (!strcmp(kw, "case"))
		return start_case(p, rest);
	if (!p->cur)
		return perr(p, p->line, "'%s' outside a case (start one with 'case ID')", kw);
	if (!strcmp(kw, "group")) {
		char *g = next_word(&rest);
		int gi;
		if (p->have_group)
			return perr(p, p->line, "group given twice");
		if (!g || next_word(&rest))
			return perr(p, p->line, "group needs exactly one name");
		gi = tp_group_parse(g);
		if (gi < 0)
			return perr(p, p->line, "unknown group '%s'", g);
		p->cur->group = (enum tp_group)gi;
		p->have_group = 1;
		return 0;
	}
	if (!strcmp(kw, "query"))
		return parse_query(p, rest);
	if (!strcmp(kw, "pass"))
		return parse_rule(p, TP_PASS, rest);
	if (!strcmp(kw, "warn"))
		return parse_rule(p, TP_WARN, rest);
	if (!strcmp(kw, "fail"))
		return parse_rule(p, TP_FAIL, rest);
	if (!strcmp(kw, "skip"))
		return parse_rule(p, TP_SKIP, rest);
	if (!strcmp(kw, "lab-only")) {
		char *v = next_word(&rest);
		if (p->have_lab_only)
			return perr(p, p->line, "lab-only given twice");
		if (!v || next_word(&rest) || (strcmp(v, "yes") && strcmp(v, "no")))
			return perr(p, p->line, "lab-only takes yes or no");
		p->cur->lab_only = v[0] == 'y';
		p->have_lab_only = 1;
		return 0;
	}
	if (!strcmp(kw, "forgery")) {
		char *v = next_word(&rest);
		if (p->cur->forgery[0])
			return perr(p, p->line, "forgery given twice");
		if (!v || next_word(&rest) || strlen(v) >= sizeof p->cur->forgery ||
		    strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-") !=
			    strlen(v))
			return perr(p, p->line, "forgery takes one attack rule id (letters, digits, "
				    "'.' and '-', at most %d)", TP_FORGERY_MAX - 1);
		snprintf(p->cur->forgery, sizeof p->cur->forgery, "%s", v);
		return 0;
	}
	if (!strcmp(kw, "else")) {
		char *v = next_word(&rest);
		if (p->have_else)
			return perr(p, p->line, "else given twice");
		if (!v || next_word(&rest) || (strcmp(v, "fail") && strcmp(v, "warn")))
			return perr(p, p->line, "else takes fail or warn");
		p->cur->otherwise = v[0] == 'f' ? TP_FAIL : TP_WARN;
		p->have_else = 1;
		return 0;
	}
	if (!strcmp(kw, "essential")) {
		char *v = next_word(&rest);
		if (p->have_essential)
			return perr(p, p->line, "essential given twice");
		if (!v || next_word(&rest) || (strcmp(v, "yes") && strcmp(v, "no")))
			return perr(p, p->line, "essential takes yes or no");
		p->cur->essential = v[0] == 'y';
		p->have_essential = 1;
		return 0;
	}
	if (!strcmp(kw, "check")) {
		char *v = next_word(&rest);
		if (p->cur->check)
			return perr(p, p->line, "check given twice");
		if (!v || next_word(&rest) || strcmp(v, "root-keys"))
			return perr(p, p->line, "check takes root-keys");
		p->cur->check = TP_CHECK_ROOT_KEYS;
		return 0;
	}
	if (!strcmp(kw, "matrix"))
		return parse_matrix(p, rest);
	if (!strcmp(kw, "ede")) {
		char *v;
		if (p->have_ede)
			return perr(p, p->line, "ede given twice");
		p->have_ede = 1;
		while ((v = next_word(&rest))) {
			unsigned long n;
			if (parse_num(v, 65535, &n))
				return perr(p, p->line, "ede takes INFO-CODEs 0..65535, not '%s'", v);
			if (p->cur->n_ede_suggest == TP_EDE_SUGGEST_MAX)
				return perr(p, p->line, "ede takes at most %d codes",
					    TP_EDE_SUGGEST_MAX);
			p->cur->ede_suggest[p->cur->n_ede_suggest++] = (uint16_t)n;
		}
		if (!p->cur->n_ede_suggest)
			return perr(p, p->line, "ede needs an INFO-CODE (RFC 8914)");
		return 0;
	}
	if (!strcmp(kw, "reason"))
		return set_text(p, p->cur->reason, sizeof p->cur->reason, "reason", rest);
	if (!strcmp(kw, "source"))
		return set_text(p, p->cur->source, sizeof p->cur->source, "source", rest);
	return perr(p, p->line, "unknown directive '%s'", kw);
}

int tp_catalog_parse(const char *text, size_t len, const char *path, struct tp_catalog *cat,
		     char *err, size_t errlen)
{
	struct parser p;
	char buf[LINE_MAX_CHARS + 2];
	const char *line;
	size_t off = 0, n;
	int rc = 0;

	memset(cat, 0, sizeof *cat);
	memset(&p, 0, sizeof p);
	p.path = path;
	p.err = err;
	p.errlen = errlen;
	p.cat = cat;
	if (err && errlen)
		err[0] = '\0';
	while ((line = tp_next_line(text, len, &off, &n))) {
		p.line++;
		if (n - (line[n - 1] == '\n') > LINE_MAX_CHARS) {
			rc = perr(&p, p.line, "line longer than %d characters", LINE_MAX_CHARS);
			break;
		}
		memcpy(buf, line, n);
		buf[n] = '\0';
		if (parse_line(&p, buf)) {
			rc = -1;
			break;
		}
	}
	if (!rc)
		rc = finish_case(&p);
	if (!rc && cat->n == 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s: no cases", path);
		rc = -1;
	}
	if (rc)
		tp_catalog_free(cat);
	return rc;
}

int tp_catalog_load(const char *path, struct tp_catalog *cat, char *err, size_t errlen)
{
	size_t len;
	char *text = tp_read_file(path, TP_CATALOG_FILE_MAX, &len);
	if (!text) {
		memset(cat, 0, sizeof *cat);
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, tp_read_strerror(errno));
		return -1;
	}
	int rc = tp_catalog_parse(text, len, path, cat, err, errlen);
	free(text);
	return rc;
}

void tp_catalog_free(struct tp_catalog *cat)
{
	if (!cat)
		return;
	free(cat->cases);
	memset(cat, 0, sizeof *cat);
}

size_t tp_catalog_select(const struct tp_catalog *cat, const char *glob, int *selected)
{
	size_t i, n = 0;
	for (i = 0; i < cat->n; i++) {
		selected[i] = !glob || fnmatch(glob, cat->cases[i].id, 0) == 0;
		n += (size_t)selected[i];
	}
	return n;
}

const struct tp_case *tp_catalog_find(const struct tp_catalog *cat, const char *id)
{
	size_t i;
	for (i = 0; i < cat->n; i++)
		if (!strcmp(cat->cases[i].id, id))
			return &cat->cases[i];
	return NULL;
}

void tp_type_name(uint16_t t, char *buf, size_t len)
{
	const ldns_rr_descriptor *d = ldns_rr_descript(t);
	if (d && d->_name)
		snprintf(buf, len, "%s", d->_name);
	else
		snprintf(buf, len, "TYPE%u", (unsigned)t);
}

void tp_rule_describe(const struct tp_case *c, const struct tp_rule *r, char *buf, size_t len)
{
	size_t i, off = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < r->n_atoms; i++) {
		const struct tp_atom *a = &r->atoms[i];
		const struct tp_cquery *cq = &c->queries[a->q < c->n_queries ? a->q : 0];
		uint16_t qtype = cq->qtype;
		char part[64], tn[24];
		ldns_lookup_table *lt;
		int n;

		switch (a->kind) {
		case TP_AT_RCODE:
			lt = ldns_lookup_by_id(ldns_rcodes, a->value);
			if (lt)
				snprintf(part, sizeof part, "%s", lt->name);
			else
				snprintf(part, sizeof part, "RCODE%u", (unsigned)a->value);
			break;
		case TP_AT_AD:
			snprintf(part, sizeof part, "AD %s", a->value ? "set" : "clear");
			break;
		case TP_AT_ANSWER:
			tp_type_name(a->value, tn, sizeof tn);
			snprintf(part, sizeof part, "answer %s", tn);
			break;
		case TP_AT_NOANSWER:
			tp_type_name(qtype, tn, sizeof tn);
			snprintf(part, sizeof part, "no %s in answer", tn);
			break;
		case TP_AT_RRSIG:
			snprintf(part, sizeof part, "%s", a->value ? "RRSIG in answer" :
								     "no RRSIG in answer");
			break;
		case TP_AT_AUTH:
			tp_type_name(a->value, tn, sizeof tn);
			snprintf(part, sizeof part, "%s in authority", tn);
			break;
		case TP_AT_EDNS:
			snprintf(part, sizeof part, "%s", a->value ? "OPT in reply" : "no OPT");
			break;
		case TP_AT_DO:
			snprintf(part, sizeof part, "%s", a->value ? "DO echoed" : "DO clear");
			break;
		case TP_AT_TC:
			snprintf(part, sizeof part, "%s", a->value ? "TC over UDP" : "no TC");
			break;
		case TP_AT_TCP:
			snprintf(part, sizeof part, "%s", a->value ? "over TCP" : "over UDP");
			break;
		case TP_AT_EDE:
			snprintf(part, sizeof part, "EDE %u", (unsigned)a->value);
			break;
		}
		/* the label once for a run of atoms on the same query: "fwd: SERVFAIL, AD clear" */
		int newq = i == 0 || r->atoms[i - 1].q != a->q;
		n = snprintf(buf + off, len - off, "%s%s%s%s%s", i ? ", " : "",
			     newq ? cq->label : "", newq && cq->label[0] ? ": " : "",
			     a->negate ? "not " : "", part);
		if (n < 0 || (size_t)n >= len - off)
			return;
		off += (size_t)n;
	}
}

void tp_qflags_describe(unsigned qflags, uint16_t bufsize, char *buf, size_t len)
{
	static const struct { unsigned f; const char *name; } names[] = {
		{ TP_Q_RD, "rd" }, { TP_Q_CD, "cd" }, { TP_Q_AD, "ad" }, { TP_Q_DO, "do" },
		{ TP_Q_NOEDNS, "noedns" }, { TP_Q_TCP, "tcp" },
	};
	size_t i, off = 0;
	int n;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(qflags & names[i].f))
			continue;
		n = snprintf(buf + off, len - off, " %s", names[i].name);
		if (n < 0 || (size_t)n >= len - off)
			return;
		off += (size_t)n;
	}
	if (bufsize)
		snprintf(buf + off, len - off, " bufsize=%u", (unsigned)bufsize);
}
