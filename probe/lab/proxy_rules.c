/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_rules: line parser for testvectors/attacks (format in testvectors/README). */
#include "proxy_rules.h"
#include "tp_util.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <ldns/ldns.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 1022
#define MAX_TOK 16
#define RULES_FILE_MAX (1024 * 1024)

struct pctx {
	const char *path;
	int line;
	char *err;
	size_t errlen;
};

static int perr(const struct pctx *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(const struct pctx *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->err && p->errlen)
		snprintf(p->err, p->errlen, "%s:%d: %s", p->path, p->line, msg);
	return -1;
}

int px_expand(const char *in, const char *qname, char *out, size_t outlen)
{
	static const char var[] = "$qname";
	size_t o = 0;
	if (!outlen)
		return -1;
	while (*in) {
		const char *s = in;
		size_t k = 1;
		if (strncmp(in, var, sizeof var - 1) == 0) {
			s = qname;
			k = strlen(qname);
			in += sizeof var - 1;
		} else {
			in++;
		}
		if (o + k >= outlen)
			return -1;
		memcpy(out + o, s, k);
		o += k;
	}
	out[o] = '\0';
	return 0;
}

/* A name or glob: absolute, printable, no blanks, may hold $qname. Stored lower case. */
static int parse_glob(const struct pctx *p, const char *what, const char *s, char *out,
		      size_t outlen)
{
	size_t n = strlen(s);
	if (n == 0 || n >= outlen)
		return perr(p, "%s '%.40s' is empty or too long", what, s);
	if (s[n - 1] != '.' && !(n >= 6 && strcmp(s + n - 6, "$qname") == 0))
		return perr(p, "%s '%s' must be absolute (end with '.' or $qname)", what, s);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f)
			return perr(p, "%s '%s' holds a character that is not printable ASCII",
				    what, s);
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	return 0;
}

static int parse_type(const struct pctx *p, const char *s, uint16_t *t, int any_ok)
{
	if (strcmp(s, "*") == 0) {
		if (!any_ok)
			return perr(p, "type '*' is not allowed here");
		*t = PX_TYPE_ANY;
		return 0;
	}
	ldns_rr_type rt = ldns_get_rr_type_by_name(s);
	if (rt == 0)
		return perr(p, "unknown RR type '%s'", s);
	*t = (uint16_t)rt;
	return 0;
}

static int parse_section(const struct pctx *p, const char *s, enum px_section *sec, int all_ok)
{
	static const char *const names[] = {"answer", "authority", "additional", "all"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			if (i == PX_SEC_ALL && !all_ok)
				return perr(p, "section 'all' is not allowed here");
			*sec = (enum px_section)i;
			return 0;
		}
	return perr(p, "section '%s' is not answer, authority, additional%s", s,
		    all_ok ? " or all" : "");
}

static int parse_id(const struct pctx *p, const char *s, char *out, size_t outlen,
		    const char *what)
{
	size_t n = strlen(s);
	if (n == 0 || n >= outlen)
		return perr(p, "%s '%.40s' is empty or longer than %zu characters", what, s,
			    outlen - 1);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '-' && s[i] != '_')
			return perr(p, "%s '%s' may hold only letters, digits, '.', '-', '_'",
				    what, s);
	memcpy(out, s, n + 1);
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return (*end || errno || *v > max) ? -1 : 0;
}

static int parse_match(const struct pctx *p, struct px_rule *r, char **tok, int n)
{
	if (n < 3)
		return perr(p, "match wants QNAME-GLOB QTYPE [do|nodo] [cd|nocd] [nth=N|every]");
	if (parse_glob(p, "qname glob", tok[1], r->qglob, sizeof r->qglob) ||
	    parse_type(p, tok[2], &r->qtype, 1))
		return -1;
	r->want_do = r->want_cd = -1;
	r->nth = 0;
	unsigned seen = 0;
	for (int i = 3; i < n; i++) {
		unsigned bit;
		unsigned long v;
		if (strcmp(tok[i], "do") == 0 || strcmp(tok[i], "nodo") == 0) {
			bit = 1;
			r->want_do = tok[i][0] == 'd';
		} else if (strcmp(tok[i], "cd") == 0 || strcmp(tok[i], "nocd") == 0) {
			bit = 2;
			r->want_cd = tok[i][0] == 'c';
		} else if (strcmp(tok[i], "every") == 0) {
			bit = 4;
			r->nth = 0;
		} else if (strncmp(tok[i], "nth=", 4) == 0) {
			bit = 4;
			if (parse_uint(tok[i] + 4, 1000000, &v) || v == 0)
				return perr(p, "nth '%s' is not a number in 1..1000000", tok[i] + 4);
			r->nth = (unsigned)v;
		} else {
			return perr(p, "unknown match flag '%s' (do, nodo, cd, nocd, nth=N, every)",
				    tok[i]);
		}
		if (seen & bit)
			return perr(p, "match flag '%s' contradicts or repeats an earlier one", tok[i]);
		seen |= bit;
	}
	return 0;
}

static int parse_fetch(const struct pctx *p, struct px_rule *r, char **tok, int n)
{
	int load = strcmp(tok[0], "load") == 0;
	if (!load && n != 4)
		return perr(p, "fetch wants LABEL NAME TYPE");
	if (load && n != 3)
		return perr(p, "load wants LABEL ZONE");
	if (r->n_fetch >= PX_MAX_FETCH)
		return perr(p, "more than %d fetch and load lines in rule %s", PX_MAX_FETCH, r->id);
	struct px_fetch *f = &r->fetch[r->n_fetch];
	f->from_zone = load;
	if (parse_id(p, tok[1], f->label, sizeof f->label, "fetch label") ||
	    parse_glob(p, load ? "zone" : "fetch name", tok[2], f->name, sizeof f->name) ||
	    (!load && parse_type(p, tok[3], &f->type, 0)))
		return -1;
	if (strchr(f->name, '*') && strcmp(f->name, "*.") != 0 && strncmp(f->name, "*.", 2))
		return perr(p, "fetch name '%s': '*' may only be a whole first label", f->name);
	for (size_t i = 0; i < r->n_fetch; i++)
		if (strcmp(r->fetch[i].label, f->label) == 0)
			return perr(p, "fetch label '%s' is already used in rule %s", f->label, r->id);
	f->line = p->line;
	r->n_fetch++;
	return 0;
}

/* An OWNER glob, or covers=NAME, matches=NAME, ends=NAME (with type NSEC3 only). */
static int parse_owner(const struct pctx *p, struct px_op *op, const char *s)
{
	static const char *const sels[] = {"covers=", "matches=", "ends="};
	for (int k = 0; k < 3; k++) {
		size_t l = strlen(sels[k]);
		if (strncmp(s, sels[k], l) != 0)
			continue;
		if (op->type != LDNS_RR_TYPE_NSEC3)
			return perr(p, "%.*s selects NSEC3 records: the type must be NSEC3",
				    (int)l - 1, s);
		op->sel = (enum px_sel)(PX_SEL_COVERS + k);
		if (parse_glob(p, "name", s + l, op->owner, sizeof op->owner))
			return -1;
		if (strpbrk(op->owner, "?[") || (strchr(op->owner, '*') && strncmp(op->owner, "*.", 2)))
			return perr(p, "%s: a name, not a glob", s);
		return 0;
	}
	op->sel = PX_SEL_OWNER;
	return parse_glob(p, "owner", s, op->owner, sizeof op->owner);
}

/* The optional "[OWNER]" then "to SECTION" tail of move and copy, from tok[i]. */
static int parse_tail(const struct pctx *p, struct px_op *op, char **tok, int i, int n)
{
	if (i < n && strcmp(tok[i], "to") != 0) {
		if (parse_owner(p, op, tok[i]))
			return -1;
		i++;
	}
	if (i + 2 != n || strcmp(tok[i], "to") != 0)
		return perr(p, "%s wants ... [OWNER] to SECTION", tok[0]);
	return parse_section(p, tok[i + 1], &op->dst, 0);
}

static int parse_op(const struct pctx *p, struct px_rule *r, char **tok, int n,
		    const char *rest)
{
	static const char *const rcodes[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
					     "NOTIMP", "REFUSED", NULL};
	if (r->n_ops >= PX_MAX_OPS)
		return perr(p, "more than %d operations in rule %s", PX_MAX_OPS, r->id);
	struct px_op *op = &r->ops[r->n_ops];
	memset(op, 0, sizeof *op);
	op->line = p->line;
	const char *w = tok[0];
	if (strcmp(w, "rcode") == 0) {
		op->kind = PX_OP_RCODE;
		if (n != 2)
			return perr(p, "rcode wants one RCODE");
		op->rcode = -1;
		for (int i = 0; rcodes[i]; i++)
			if (strcasecmp(tok[1], rcodes[i]) == 0)
				op->rcode = i;
		if (op->rcode < 0)
			return perr(p, "rcode '%s' is not NOERROR, FORMERR, SERVFAIL, NXDOMAIN, "
				    "NOTIMP or REFUSED", tok[1]);
	} else if (strcmp(w, "set") == 0) {
		op->kind = PX_OP_FLAG;
		if (n != 3)
			return perr(p, "set wants aa|ad|tc on|off");
		if (strcmp(tok[1], "aa") == 0)
			op->flag = PX_FLAG_AA;
		else if (strcmp(tok[1], "ad") == 0)
			op->flag = PX_FLAG_AD;
		else if (strcmp(tok[1], "tc") == 0)
			op->flag = PX_FLAG_TC;
		else
			return perr(p, "flag '%s' is not aa, ad or tc", tok[1]);
		if (strcmp(tok[2], "on") && strcmp(tok[2], "off"))
			return perr(p, "set %s wants on or off, not '%s'", tok[1], tok[2]);
		op->on = strcmp(tok[2], "on") == 0;
	} else if (strcmp(w, "drop") == 0) {
		op->kind = PX_OP_DROP;
		if (n < 3 || n > 4)
			return perr(p, "drop wants SECTION TYPE [OWNER]");
		if (parse_section(p, tok[1], &op->sec, 1) || parse_type(p, tok[2], &op->type, 1) ||
		    (n == 4 && parse_owner(p, op, tok[3])))
			return -1;
	} else if (strcmp(w, "rename") == 0) {
		op->kind = PX_OP_RENAME;
		if (n != 5)
			return perr(p, "rename wants SECTION TYPE OWNER NEWOWNER");
		if (parse_section(p, tok[1], &op->sec, 1) || parse_type(p, tok[2], &op->type, 1) ||
		    parse_glob(p, "owner", tok[3], op->owner, sizeof op->owner) ||
		    parse_glob(p, "new owner", tok[4], op->to, sizeof op->to))
			return -1;
		if (strpbrk(op->to, "?[") || (strchr(op->to, '*') && strncmp(op->to, "*.", 2)))
			return perr(p, "new owner '%s' is a glob, not a name", op->to);
	} else if (strcmp(w, "move") == 0) {
		op->kind = PX_OP_MOVE;
		if (n < 5)
			return perr(p, "move wants SECTION TYPE [OWNER] to SECTION");
		if (parse_section(p, tok[1], &op->sec, 1) || parse_type(p, tok[2], &op->type, 1) ||
		    parse_tail(p, op, tok, 3, n))
			return -1;
	} else if (strcmp(w, "copy") == 0) {
		op->kind = PX_OP_COPY;
		if (n < 6)
			return perr(p, "copy wants FETCH SECTION TYPE [OWNER] to SECTION");
		op->fetch = -1;
		for (size_t i = 0; i < r->n_fetch; i++)
			if (strcmp(r->fetch[i].label, tok[1]) == 0)
				op->fetch = (int)i;
		if (op->fetch < 0)
			return perr(p, "copy from '%s': no earlier fetch or load line has that label",
				    tok[1]);
		if (parse_section(p, tok[2], &op->sec, 1) || parse_type(p, tok[3], &op->type, 1) ||
		    parse_tail(p, op, tok, 4, n))
			return -1;
	} else if (strcmp(w, "add") == 0) {
		op->kind = PX_OP_ADD;
		if (n < 3)
			return perr(p, "add wants SECTION RR");
		if (parse_section(p, tok[1], &op->sec, 0))
			return -1;
		/* the RR text is the rest of the original line after the section word */
		const char *s = strstr(rest, tok[1]);
		s = s ? s + strlen(tok[1]) : "";
		while (*s == ' ' || *s == '\t')
			s++;
		size_t k = strlen(s);
		while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
			k--;
		if (k >= sizeof op->text)
			return perr(p, "add: record text longer than %zu characters",
				    sizeof op->text - 1);
		memcpy(op->text, s, k);
		op->text[k] = '\0';
		/* check it now with a stand-in name, so that bad text fails at load time */
		char probe_txt[PX_TEXT_MAX + 256];
		ldns_rr *rr = NULL;
		if (px_expand(op->text, "x.example.", probe_txt, sizeof probe_txt) != 0)
			return perr(p, "add: record text too long once $qname is expanded");
		ldns_status st = ldns_rr_new_frm_str(&rr, probe_txt, 3600, NULL, NULL);
		if (st != LDNS_STATUS_OK || !rr)
			return perr(p, "add: cannot parse record '%s': %s", op->text,
				    ldns_get_errorstr_by_id(st));
		size_t ow = strcspn(op->text, " \t");
		int absolute = ow > 0 && (op->text[ow - 1] == '.' ||
					  (ow >= 6 && strncmp(op->text + ow - 6, "$qname", 6) == 0));
		ldns_rr_free(rr);
		if (!absolute)
			return perr(p, "add: the owner of '%s' must be absolute", op->text);
	} else {
		return perr(p, "unknown directive '%s'", w);
	}
	r->n_ops++;
	return 0;
}

static int rule_done(const struct pctx *p, const struct px_rule *r)
{
	if (!r)
		return 0;
	if (!r->qglob[0]) {
		struct pctx q = *p;
		q.line = r->line;
		return perr(&q, "rule %s has no match line", r->id);
	}
	if (r->n_ops == 0) {
		struct pctx q = *p;
		q.line = r->line;
		return perr(&q, "rule %s has no operation", r->id);
	}
	return 0;
}

int px_rules_parse(const char *text, const char *path, struct px_rules *out, char *err,
		   size_t errlen)
{
	struct pctx p = {.path = path ? path : "(rules)", .line = 0, .err = err, .errlen = errlen};
	memset(out, 0, sizeof *out);
	snprintf(out->path, sizeof out->path, "%s", p.path);
	/* grown as rules come (a rule is 30 KiB: room for PX_MAX_RULES up front was 4 MiB
	 * zeroed for every parse, which made the fuzzer's parses 20 times slower) */
	size_t cap = 8;
	out->rule = calloc(cap, sizeof *out->rule);
	if (!out->rule)
		return perr(&p, "out of memory");
	struct px_rule *cur = NULL;
	const char *s = text;
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		p.line++;
		if (len > LINE_MAX_LEN)
			return perr(&p, "line longer than %d characters", LINE_MAX_LEN);
		char line[LINE_MAX_LEN + 1];
		memcpy(line, s, len);
		line[len] = '\0';
		s += len + (e ? 1 : 0);
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		for (char *c = line; *c; c++)
			if (*c == '\r' || (unsigned char)*c < 0x09 || (*c > 0x0d && *c < 0x20) ||
			    *c == 0x7f)
				return perr(&p, "control character in line");
		char copy[LINE_MAX_LEN + 1];
		memcpy(copy, line, strlen(line) + 1);
		char *tok[MAX_TOK];
		int n = 0;
		for (char *t = strtok(line, " \t"); t; t = strtok(NULL, " \t")) {
			if (n == MAX_TOK)
				return perr(&p, "more than %d words", MAX_TOK);
			tok[n++] = t;
		}
		if (n == 0)
			continue;
		if (strcmp(tok[0], "rule") == 0) {
			if (rule_done(&p, cur))
				return -1;
			if (n != 2)
				return perr(&p, "rule wants one ID");
			if (out->n >= PX_MAX_RULES)
				return perr(&p, "more than %d rules", PX_MAX_RULES);
			if (out->n == cap) {
				struct px_rule *nr = realloc(out->rule, 2 * cap * sizeof *nr);
				if (!nr)
					return perr(&p, "out of memory");
				memset(nr + cap, 0, cap * sizeof *nr);
				out->rule = nr;
				cap *= 2;
			}
			cur = &out->rule[out->n];
			if (parse_id(&p, tok[1], cur->id, sizeof cur->id, "rule id"))
				return -1;
			for (size_t i = 0; i < out->n; i++)
				if (strcmp(out->rule[i].id, cur->id) == 0)
					return perr(&p, "rule %s is already defined at line %d",
						    cur->id, out->rule[i].line);
			cur->line = p.line;
			cur->want_do = cur->want_cd = -1;
			out->n++;
			continue;
		}
		if (!cur)
			return perr(&p, "'%s' outside a rule (start one with 'rule ID')", tok[0]);
		if (strcmp(tok[0], "match") == 0) {
			if (cur->qglob[0])
				return perr(&p, "rule %s has a second match line", cur->id);
			if (parse_match(&p, cur, tok, n))
				return -1;
		} else if (strcmp(tok[0], "fetch") == 0 || strcmp(tok[0], "load") == 0) {
			if (parse_fetch(&p, cur, tok, n))
				return -1;
		} else if (parse_op(&p, cur, tok, n, copy)) {
			return -1;
		}
	}
	return rule_done(&p, cur);
}

int px_rules_load(const char *path, struct px_rules *out, char *err, size_t errlen)
{
	size_t len;
	memset(out, 0, sizeof *out);
	char *text = tp_read_file(path, RULES_FILE_MAX, &len);
	if (!text) {
		snprintf(err, errlen, "%s: cannot read: %s", path, tp_read_strerror(errno));
		return -1;
	}
	if (memchr(text, '\0', len)) {
		free(text);
		snprintf(err, errlen, "%s: holds a NUL byte", path);
		return -1;
	}
	int r = px_rules_parse(text, path, out, err, errlen);
	free(text);
	return r;
}

void px_rules_free(struct px_rules *r)
{
	free(r->rule);
	r->rule = NULL;
	r->n = 0;
}

int px_rule_matches(const struct px_rule *r, const char *qname, uint16_t qtype, int do_bit,
		    int cd_bit)
{
	char lq[PX_NAME_MAX];
	size_t n = strlen(qname);
	if (n >= sizeof lq)
		return 0;
	for (size_t i = 0; i <= n; i++)
		lq[i] = (char)tolower((unsigned char)qname[i]);
	if (r->qtype != PX_TYPE_ANY && r->qtype != qtype)
		return 0;
	if (r->want_do >= 0 && r->want_do != (do_bit != 0))
		return 0;
	if (r->want_cd >= 0 && r->want_cd != (cd_bit != 0))
		return 0;
	return fnmatch(r->qglob, lq, 0) == 0;
}
