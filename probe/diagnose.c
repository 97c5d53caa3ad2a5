/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* diagnose: see diagnose.h. The rules themselves are in diagnose_rules.c.
 *
 * A condition is a string of tokens separated by blanks; all must hold. A token:
 *
 *   [!]GLOB[=STATUS[|STATUS...]][:[LABEL:]PRED[,PRED...]]
 *   lab=forwarder
 *
 * GLOB is an fnmatch(3) glob over case ids. The token holds when some finding whose id
 * matches has one of the statuses (any, when none is given) and meets every PRED; '!'
 * makes it hold when no finding does. Predicates on the finding: essential=0|1,
 * verified=none|secure|insecure|bogus, nozone=0|1 (skipped for want of a test zone or a
 * lab), note=0|1 (the rule that decided has a note). Predicates on a query, the one labelled LABEL, any one when LABEL is '*', else the
 * case's first: rcode=NAME, ad= aa= ra= tc= cd= edns= (0|1), obs=answer|timeout|refused|
 * malformed|error|unsent, answer=TYPE (an RR of TYPE in the answer section), an=N (RRs in
 * the answer section), ede=N. All of a token's query predicates hold on one query.
 * lab=forwarder holds for a lab instance that copies its upstream's AD without validating.
 *
 * Evidence tokens use the same grammar (no '!'); a token without statuses selects the
 * findings that are not pass, and none skipped for want of a test zone or a lab unless it
 * says nozone=1. */
#include "diagnose.h"
#include "ede.h"
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

enum pred_kind {
	P_ESSENTIAL, P_VERIFIED, P_NOZONE, P_NOTE, /* on the finding */
	P_RCODE, P_AD, P_AA, P_RA, P_TC, P_CD, P_EDNS, P_OBS, P_ANSWER, P_AN, P_EDE /* a query */
};

struct pred {
	enum pred_kind kind;
	int value;
};

#define PREDS_MAX 8

struct tok {
	int neg;
	int lab_forwarder;
	char glob[TP_ID_MAX];
	unsigned statuses;        /* 1 << enum tp_status; 0: none given */
	char label[16];           /* "" first query, "*" any */
	size_t n_pred;
	struct pred preds[PREDS_MAX];
	int query_preds;          /* some pred looks at a query */
	int nozone;               /* a nozone= pred was given */
};

static const struct {
	const char *name;
	enum pred_kind kind;
} pred_names[] = {
	{"essential", P_ESSENTIAL}, {"verified", P_VERIFIED}, {"nozone", P_NOZONE},
	{"note", P_NOTE},
	{"rcode", P_RCODE}, {"ad", P_AD}, {"aa", P_AA}, {"ra", P_RA}, {"tc", P_TC},
	{"cd", P_CD}, {"edns", P_EDNS}, {"obs", P_OBS}, {"answer", P_ANSWER}, {"an", P_AN},
	{"ede", P_EDE},
};

static const char *const obs_names[] = {"answer", "timeout", "refused", "malformed", "error"};
static const char *const verified_names[] = {"none", "secure", "insecure", "bogus"};

static int name_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

static int parse_number(const char *s, int max, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < 0 || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_pred(const char *s, struct pred *p, char *err, size_t errlen)
{
	const char *eq = strchr(s, '=');
	size_t i;
	if (!eq) {
		snprintf(err, errlen, "predicate '%s' has no '='", s);
		return -1;
	}
	for (i = 0; i < sizeof pred_names / sizeof pred_names[0]; i++)
		if (strlen(pred_names[i].name) == (size_t)(eq - s) &&
		    strncmp(pred_names[i].name, s, (size_t)(eq - s)) == 0)
			break;
	if (i == sizeof pred_names / sizeof pred_names[0]) {
		snprintf(err, errlen, "unknown predicate '%s'", s);
		return -1;
	}
	const char *v = eq + 1;
	int ok = 0;
	p->kind = pred_names[i].kind;
	switch (p->kind) {
	case P_VERIFIED:
		ok = (p->value = name_index(verified_names, 4, v)) >= 0;
		break;
	case P_OBS:
		if (strcmp(v, "unsent") == 0)
			p->value = -1, ok = 1;
		else
			ok = (p->value = name_index(obs_names, 5, v)) >= 0;
		break;
	case P_RCODE: {
		ldns_lookup_table *lt = ldns_lookup_by_name(ldns_rcodes, v);
		ok = lt != NULL;
		p->value = lt ? lt->id : 0;
		break;
	}
	case P_ANSWER:
		p->value = (int)ldns_get_rr_type_by_name(v);
		ok = p->value != 0;
		break;
	case P_AN:
		ok = parse_number(v, 65535, &p->value) == 0;
		break;
	case P_EDE:
		ok = parse_number(v, 65535, &p->value) == 0;
		break;
	default:
		ok = parse_number(v, 1, &p->value) == 0;
		break;
	}
	if (!ok)
		snprintf(err, errlen, "bad value in '%s'", s);
	return ok ? 0 : -1;
}

/* Parses one token s[0..len). */
static int parse_tok(const char *s, size_t len, struct tok *t, char *err, size_t errlen)
{
	char buf[256];
	memset(t, 0, sizeof *t);
	if (len >= sizeof buf) {
		snprintf(err, errlen, "token too long");
		return -1;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (strcmp(buf, "lab=forwarder") == 0) {
		t->lab_forwarder = 1;
		return 0;
	}
	char *p = buf;
	if (*p == '!') {
		t->neg = 1;
		p++;
	}
	char *c1 = strchr(p, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (c2 && strchr(c2 + 1, ':')) {
		snprintf(err, errlen, "too many ':' in '%.*s'", (int)len, s);
		return -1;
	}
	if (c1)
		*c1 = '\0';
	if (c2)
		*c2 = '\0';
	char *preds = c2 ? c2 + 1 : c1 ? c1 + 1 : NULL;
	char *st = strchr(p, '=');
	if (st) {
		*st++ = '\0';
		char *ss = NULL;
		for (char *w = strtok_r(st, "|", &ss); w; w = strtok_r(NULL, "|", &ss)) {
			static const char *const sn[] = {"pass", "warn", "fail", "skip"};
			int k = name_index(sn, 4, w);
			if (k < 0) {
				snprintf(err, errlen, "unknown status '%s'", w);
				return -1;
			}
			t->statuses |= 1u << k;
		}
	}
	if (!*p || strlen(p) >= sizeof t->glob) {
		snprintf(err, errlen, "bad case glob in '%.*s'", (int)len, s);
		return -1;
	}
	snprintf(t->glob, sizeof t->glob, "%s", p);
	if (c2) {
		if (!c1[1] || strlen(c1 + 1) >= sizeof t->label) {
			snprintf(err, errlen, "bad label in '%.*s'", (int)len, s);
			return -1;
		}
		snprintf(t->label, sizeof t->label, "%s", c1 + 1);
	}
	for (char *save = NULL, *w = preds ? strtok_r(preds, ",", &save) : NULL; w;
	     w = strtok_r(NULL, ",", &save)) {
		if (t->n_pred == PREDS_MAX) {
			snprintf(err, errlen, "more than %d predicates", PREDS_MAX);
			return -1;
		}
		struct pred *pr = &t->preds[t->n_pred++];
		if (parse_pred(w, pr, err, errlen) != 0)
			return -1;
		t->query_preds |= pr->kind >= P_RCODE;
		t->nozone |= pr->kind == P_NOZONE;
	}
	if (c2 && !t->query_preds) {
		snprintf(err, errlen, "label without a query predicate in '%.*s'", (int)len, s);
		return -1;
	}
	return 0;
}

static int flag(const struct tp_obs_summary *o, unsigned bit)
{
	return (o->flags & bit) ? 1 : 0;
}

static int type_in(const struct tp_section_summary *s, int type)
{
	for (size_t i = 0; i < s->n_types; i++)
		if (s->types[i] == type)
			return 1;
	return 0;
}

static int query_holds(const struct pred *p, const struct tp_obs_summary *o)
{
	int answered = o->status == 0; /* TP_OBS_ANSWER */
	switch (p->kind) {
	case P_OBS: return o->status == p->value;
	case P_RCODE: return answered && o->rcode == p->value;
	case P_AD: return answered && flag(o, TP_F_AD) == p->value;
	case P_AA: return answered && flag(o, TP_F_AA) == p->value;
	case P_RA: return answered && flag(o, TP_F_RA) == p->value;
	case P_TC: return answered && flag(o, TP_F_TC) == p->value;
	case P_CD: return answered && flag(o, TP_F_CD) == p->value;
	case P_EDNS: return answered && o->edns == p->value;
	case P_ANSWER: return answered && type_in(&o->an, p->value);
	case P_AN: return answered && (int)o->an.count == p->value;
	case P_EDE:
		for (size_t i = 0; answered && i < o->n_ede; i++)
			if (o->ede[i] == p->value)
				return 1;
		return 0;
	default: return 0;
	}
}

static int finding_holds(const struct pred *p, const struct tp_finding *f)
{
	switch (p->kind) {
	case P_ESSENTIAL: return (f->essential != 0) == p->value;
	case P_VERIFIED: return f->verified == p->value;
	case P_NOZONE: return (f->no_zone || f->not_here) == p->value;
	case P_NOTE: return (f->note[0] != '\0') == p->value;
	default: return 1;
	}
}

/* The query predicates of t on query o. */
static int query_all(const struct tok *t, const struct tp_obs_summary *o)
{
	for (size_t i = 0; i < t->n_pred; i++)
		if (t->preds[i].kind >= P_RCODE && !query_holds(&t->preds[i], o))
			return 0;
	return 1;
}

/* 1 when finding f meets t (its '!' aside). evidence: the defaults of an evidence token. */
static int meets(const struct tok *t, const struct tp_finding *f, int evidence)
{
	if (fnmatch(t->glob, f->id, 0) != 0)
		return 0;
	unsigned st = t->statuses;
	if (!st && evidence)
		st = (1u << TP_FAIL) | (1u << TP_WARN) | (1u << TP_SKIP);
	if (st && !(st & (1u << f->status)))
		return 0;
	if (evidence && !t->nozone && (f->no_zone || f->not_here))
		return 0;
	for (size_t i = 0; i < t->n_pred; i++)
		if (t->preds[i].kind < P_RCODE && !finding_holds(&t->preds[i], f))
			return 0;
	if (!t->query_preds)
		return 1;
	for (size_t k = 0; k < f->n_obs; k++) {
		const struct tp_obs_summary *o = &f->obs[k];
		if (strcmp(t->label, "*") == 0 ? query_all(t, o) :
		    t->label[0] ? strcmp(o->label, t->label) == 0 && query_all(t, o) :
		    k == 0 && query_all(t, o))
			return 1;
	}
	return 0;
}

static int tok_holds(const struct tok *t, const struct tp_resolver_report *r)
{
	int any = 0;
	if (t->lab_forwarder)
		any = strcmp(r->lab_role, "forwarder") == 0;
	for (size_t i = 0; !t->lab_forwarder && !any && i < r->n_findings; i++)
		any = meets(t, &r->findings[i], 0);
	return t->neg ? !any : any;
}

/* Calls fn on each token of s; stops at the first that returns nonzero, and returns it. */
typedef int (*tok_fn)(const struct tok *t, void *ctx);
static int each_tok(const char *s, tok_fn fn, void *ctx, char *err, size_t errlen)
{
	while (s && *s) {
		while (*s == ' ')
			s++;
		size_t n = strcspn(s, " ");
		if (!n)
			break;
		struct tok t;
		if (parse_tok(s, n, &t, err, errlen) != 0)
			return -1;
		int rc = fn(&t, ctx);
		if (rc)
			return rc;
		s += n;
	}
	return 0;
}

static int fails_on(const struct tok *t, void *ctx)
{
	return tok_holds(t, ctx) ? 0 : 1;
}

/* 1 when every token of s holds for r (a malformed string never holds). */
static int all_hold(const char *s, const struct tp_resolver_report *r)
{
	char err[160];
	return each_tok(s, fails_on, (void *)r, err, sizeof err) == 0;
}

static int fires(const char *const *when, const struct tp_resolver_report *r)
{
	for (size_t i = 0; i < TP_DIAG_WHEN_MAX && when[i]; i++)
		if (all_hold(when[i], r))
			return 1;
	return 0;
}

/* ---- evidence, titles and fixes ---- */

struct claim {
	struct tp_resolver_report *r;
	int cause;       /* 1 + index */
	size_t n;
};

static int claim_tok(const struct tok *t, void *ctx)
{
	struct claim *c = ctx;
	for (size_t i = 0; i < c->r->n_findings; i++) {
		struct tp_finding *f = &c->r->findings[i];
		if (!f->cause && meets(t, f, 1)) {
			f->cause = c->cause;
			c->n++;
		}
	}
	return 0;
}

/* A finding's short name: "A1" for denial.atk-a1-..., else the id without its group. */
static void short_name(const char *id, char *buf, size_t len)
{
	const char *dot = strchr(id, '.');
	const char *s = dot ? dot + 1 : id;
	if (strncmp(s, "atk-", 4) == 0 && s[4]) {
		size_t n = strcspn(s + 4, "-");
		snprintf(buf, len, "%.*s", (int)n, s + 4);
		buf[0] = (char)(buf[0] >= 'a' && buf[0] <= 'z' ? buf[0] - 'a' + 'A' : buf[0]);
		return;
	}
	snprintf(buf, len, "%s", s);
}

#define NAMES_SHOWN 14

static void names_of(const struct tp_resolver_report *r, int cause, char *buf, size_t len)
{
	size_t off = 0, n = 0, shown = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->n_findings; i++) {
		if (r->findings[i].cause != cause)
			continue;
		n++;
		if (shown == NAMES_SHOWN)
			continue;
		char one[TP_ID_MAX];
		short_name(r->findings[i].id, one, sizeof one);
		int w = snprintf(buf + off, len - off, "%s%s", off ? " " : "", one);
		if (w < 0 || (size_t)w >= len - off)
			break;
		off += (size_t)w;
		shown++;
	}
	if (n > shown && off < len)
		snprintf(buf + off, len - off, " and %zu more", n - shown);
}

/* Copies s into out whole if it fits, else cut at a word and ended with "..." (the notes
 * column is a hint; -v and the JSON have every name). */
static void fit_words(const char *s, char *out, size_t len)
{
	size_t n = strlen(s);
	if (n < len) {
		memcpy(out, s, n + 1);
		return;
	}
	size_t cut = len - 4; /* room for "..." and the NUL */
	while (cut > 0 && s[cut] != ' ')
		cut--;
	snprintf(out, len, "%.*s...", (int)cut, s);
}

static const struct tp_finding *first_evidence(const struct tp_resolver_report *r, int cause)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (r->findings[i].cause == cause)
			return &r->findings[i];
	return NULL;
}

/* ", EDE 9 DNSKEY Missing" for the Extended DNS Errors the evidence of cause got (each
 * code once, at most three): what the resolver said, a better hint than a bare SERVFAIL
 * (RFC 8914). "" when it said none. */
static void ede_of(const struct tp_resolver_report *r, int cause, char *buf, size_t len)
{
	unsigned short seen[3];
	size_t n = 0, off = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->n_findings && n < 3; i++) {
		const struct tp_finding *f = &r->findings[i];
		if (f->cause != cause)
			continue;
		for (size_t k = 0; k < f->n_obs && n < 3; k++)
			for (size_t e = 0; e < f->obs[k].n_ede && n < 3; e++) {
				size_t j;
				for (j = 0; j < n && seen[j] != f->obs[k].ede[e]; j++)
					;
				if (j < n)
					continue;
				seen[n++] = f->obs[k].ede[e];
				char one[TP_EDE_TEXT_MAX + 48];
				tp_ede_describe(f->obs[k].ede[e], NULL, one, sizeof one);
				int w = snprintf(buf + off, len - off, "%s%s", n == 1 ? "; the resolver "
						 "said " : ", ", one);
				off = w < 0 ? off : (size_t)w >= len - off ? len - 1 : off + (size_t)w;
			}
	}
}

/* Expands {names} {n} {via} {why} {upstream} {validator} {ede} of tmpl into out. */
static void expand(const char *tmpl, const struct tp_resolver_report *r, int cause,
		   size_t n, char *out, size_t len)
{
	size_t off = 0;
	out[0] = '\0';
	for (const char *p = tmpl; *p && off + 1 < len;) {
		char val[TP_REASON_MAX] = "";
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		size_t kl = close ? (size_t)(close - p - 1) : 0;
		if (close && kl == 5 && strncmp(p + 1, "names", 5) == 0) {
			names_of(r, cause, val, sizeof val);
		} else if (close && kl == 1 && p[1] == 'n') {
			snprintf(val, sizeof val, "%zu", n);
		} else if (close && kl == 3 && strncmp(p + 1, "via", 3) == 0) {
			if (strcmp(r->lab_role, "forwarder") == 0)
				snprintf(val, sizeof val, " (its upstream's, %.60s)", r->lab_upstream);
		} else if (close && kl == 8 && strncmp(p + 1, "upstream", 8) == 0) {
			snprintf(val, sizeof val, "%.60s", r->lab_upstream[0] ? r->lab_upstream :
				 "its upstream");
		} else if (close && kl == 9 && strncmp(p + 1, "validator", 9) == 0) {
			/* the independent validator (verify.h) found failed data secure */
			for (size_t i = 0; i < r->n_findings && !val[0]; i++)
				if (r->findings[i].cause == cause && r->findings[i].verified == 1 &&
				    r->findings[i].status == TP_FAIL)
					snprintf(val, sizeof val, "; the probe's own validator finds "
						 "the data it refuses secure (%s)", r->findings[i].id);
		} else if (close && kl == 3 && strncmp(p + 1, "ede", 3) == 0) {
			ede_of(r, cause, val, sizeof val);
		} else if (close && kl == 3 && strncmp(p + 1, "why", 3) == 0) {
			/* the first evidence's rule note, else its reason */
			const struct tp_finding *f = first_evidence(r, cause);
			snprintf(val, sizeof val, "%s", !f ? "" : f->note[0] ? f->note : f->reason);
		} else {
			out[off++] = *p++;
			out[off] = '\0';
			continue;
		}
		int w = snprintf(out + off, len - off, "%s", val);
		off = w < 0 ? off : (size_t)w >= len - off ? len - 1 : off + (size_t)w;
		p = close + 1;
	}
}

static const struct {
	const char *family, *name;
} family_names[] = {
	{"unbound", "unbound"}, {"bind", "BIND"}, {"pdns", "PowerDNS Recursor"},
	{"knot", "Knot Resolver"}, {"dnsmasq", "dnsmasq"},
};

const char *tp_diag_family_name(const char *family)
{
	for (size_t i = 0; i < sizeof family_names / sizeof family_names[0]; i++)
		if (strcmp(family, family_names[i].family) == 0)
			return family_names[i].name;
	return family;
}

static const char *fix_for(const struct tp_diag_rule *ru, const char *family, size_t flen)
{
	for (size_t i = 0; i < TP_DIAG_FIXES_MAX && ru->fixes[i].family; i++)
		if (strlen(ru->fixes[i].family) == flen &&
		    strncmp(ru->fixes[i].family, family, flen) == 0)
			return ru->fixes[i].text;
	return NULL;
}

/* The fix of rule ru for family fam ("a|b": each that has its own), else the "*" one. */
static void fix_text(const struct tp_diag_rule *ru, const char *fam, char *out, size_t len)
{
	size_t off = 0;
	out[0] = '\0';
	for (const char *p = fam; *p;) {
		size_t n = strcspn(p, "|");
		const char *t = fix_for(ru, p, n);
		char f[16];
		snprintf(f, sizeof f, "%.*s", (int)n, p);
		if (t) {
			int w = snprintf(out + off, len - off, "%s%s: %s", off ? "; " : "",
					 tp_diag_family_name(f), t);
			off = w < 0 ? off : (size_t)w >= len - off ? len - 1 : off + (size_t)w;
		}
		p += n + (p[n] == '|');
	}
	if (!off) {
		const char *t = fix_for(ru, "*", 1);
		snprintf(out, len, "%s", t ? t : "");
	}
}

static void guess_family(struct tp_resolver_report *r)
{
	size_t n;
	const struct tp_diag_family *fs = tp_diag_families(&n);
	if (r->family[0])
		return;
	r->family_how = 0;
	r->family_why[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (fires(fs[i].when, r)) {
			snprintf(r->family, sizeof r->family, "%s", fs[i].family);
			snprintf(r->family_why, sizeof r->family_why, "%s", fs[i].why);
			r->family_how = 2;
			return;
		}
}

/* Run-level causes: what kept the probe from measuring, read from the report's notes
 * (verdict.c: local_note, zone_note), not from the findings. They make the verdict
 * unknown, so they lead, before every cause of the table; their evidence is what the
 * table's no-zone and unanswered rules would otherwise claim (the cases that did not run). */
static void run_causes(struct tp_resolver_report *r)
{
	struct run_cause {
		const char *note, *id, *tag, *fix;
		int zone; /* evidence: the cases skipped for want of a usable zone */
	} rc[] = {
		{r->local_note, "local-error", "probe's own error",
		 "fix this host's limit or error named above and run again; nothing was measured "
		 "for the cases that did not run", 0},
		{r->zone_note, "test-zone", "test zone unusable",
		 "check the name given to --zone: it must be a deployed copy of this trustprobe's "
		 "vectors (the marker _trustprobe.ZONE TXT), signed and re-signed before it "
		 "expires; no resolver is judged against it until then", 1},
	};
	/* the zone check got no usable answer at all: that is the resolver's doing, which
	 * the table's causes name (unreachable, refused ...), not a wrong --zone */
	if (strstr(r->zone_note, " could not be checked: ") ||
	    strstr(r->zone_note, " could not be reached through the resolver")) {
		rc[1].id = "zone-unchecked";
		rc[1].tag = "zone not checked";
		rc[1].fix = "the resolver gave the zone check no usable answer: the causes below "
			    "say why; the cases that need the zone did not run";
	}
	size_t add = 0;
	for (size_t k = 0; k < sizeof rc / sizeof rc[0]; k++)
		add += rc[k].note[0] != '\0';
	if (!add)
		return;
	/* drop the table's no-zone cause when the zone was given but failed its check */
	if (r->zone_note[0])
		for (size_t i = 0; i < r->n_causes; i++)
			if (strcmp(r->causes[i].id, "no-zone") == 0) {
				for (size_t f = 0; f < r->n_findings; f++)
					r->findings[f].cause = r->findings[f].cause == (int)i + 1 ? 0 :
						r->findings[f].cause > (int)i + 1 ? r->findings[f].cause - 1 :
						r->findings[f].cause;
				memmove(&r->causes[i], &r->causes[i + 1],
					(r->n_causes - i - 1) * sizeof r->causes[0]);
				r->n_causes--;
				break;
			}
	if (r->n_causes + add > TP_CAUSES_MAX)
		r->n_causes = TP_CAUSES_MAX - add;
	memmove(&r->causes[add], &r->causes[0], r->n_causes * sizeof r->causes[0]);
	for (size_t f = 0; f < r->n_findings; f++)
		if (r->findings[f].cause)
			r->findings[f].cause = r->findings[f].cause + (int)add > TP_CAUSES_MAX ? 0 :
					       r->findings[f].cause + (int)add;
	r->n_causes += add;
	size_t at = 0;
	for (size_t k = 0; k < sizeof rc / sizeof rc[0]; k++) {
		if (!rc[k].note[0])
			continue;
		struct tp_cause *ca = &r->causes[at];
		memset(ca, 0, sizeof *ca);
		snprintf(ca->id, sizeof ca->id, "%s", rc[k].id);
		ca->level = TP_CAUSE_UNKNOWN;
		snprintf(ca->title, sizeof ca->title, "%s", rc[k].note);
		snprintf(ca->fix, sizeof ca->fix, "%s", rc[k].fix);
		snprintf(ca->tag, sizeof ca->tag, "%s", rc[k].tag);
		at++;
		for (size_t f = 0; f < r->n_findings; f++) {
			struct tp_finding *fi = &r->findings[f];
			if (fi->status != TP_SKIP || fi->not_here ||
			    (rc[k].zone ? !fi->no_zone : fi->no_zone))
				continue;
			if (fi->cause && strcmp(r->causes[fi->cause - 1].id, "local-error") == 0)
				continue;
			fi->cause = (int)at;
			ca->n_evidence++;
		}
	}
	/* a cause of the table left without evidence goes */
	for (size_t i = add; i < r->n_causes;) {
		size_t n = 0;
		for (size_t f = 0; f < r->n_findings; f++)
			n += r->findings[f].cause == (int)i + 1;
		if (n) {
			r->causes[i].n_evidence = n;
			i++;
			continue;
		}
		for (size_t f = 0; f < r->n_findings; f++)
			if (r->findings[f].cause > (int)i + 1)
				r->findings[f].cause--;
		memmove(&r->causes[i], &r->causes[i + 1], (r->n_causes - i - 1) * sizeof r->causes[0]);
		r->n_causes--;
	}
}

void tp_diagnose(struct tp_resolver_report *r)
{
	size_t nr;
	const struct tp_diag_rule *rules = tp_diag_rules(&nr);
	struct tp_cause found[TP_CAUSES_MAX];
	size_t rule_of[TP_CAUSES_MAX], nf = 0;
	char err[160];

	if (r->family_how == 2) /* told from the answers last time: tell it again */
		r->family[0] = '\0';
	guess_family(r);
	for (size_t i = 0; i < r->n_findings; i++)
		r->findings[i].cause = 0;
	for (size_t k = 0; k < nr && nf < TP_CAUSES_MAX; k++) {
		const struct tp_diag_rule *ru = &rules[k];
		if (!fires(ru->when, r))
			continue;
		struct claim c = {.r = r, .cause = (int)nf + 1};
		each_tok(ru->evidence, claim_tok, &c, err, sizeof err);
		if (!c.n)
			continue;
		struct tp_cause *ca = &found[nf];
		memset(ca, 0, sizeof *ca);
		snprintf(ca->id, sizeof ca->id, "%s", ru->id);
		ca->level = ru->level;
		ca->n_evidence = c.n;
		for (size_t i = 0; i < r->n_findings; i++) {
			const struct tp_finding *f = &r->findings[i];
			if (f->cause != c.cause)
				continue;
			if (f->status == TP_FAIL)
				ca->level = TP_CAUSE_FAIL;
			else if (f->status == TP_WARN && ca->level > TP_CAUSE_WARN)
				ca->level = TP_CAUSE_WARN;
		}
		expand(ru->title, r, c.cause, c.n, ca->title, sizeof ca->title);
		char tag[TP_REASON_MAX];
		expand(ru->tag, r, c.cause, c.n, tag, sizeof tag);
		fit_words(tag, ca->tag, sizeof ca->tag);
		const char *fam = !ru->fix_self && r->upstream_family[0] ? r->upstream_family :
				  r->family;
		fix_text(ru, fam, ca->fix, sizeof ca->fix);
		rule_of[nf++] = k;
	}
	/* most serious first; among equals, the table's order */
	size_t order[TP_CAUSES_MAX];
	for (size_t i = 0; i < nf; i++)
		order[i] = i;
	for (size_t i = 1; i < nf; i++)
		for (size_t j = i; j > 0; j--) {
			size_t a = order[j - 1], b = order[j];
			if (found[a].level < found[b].level ||
			    (found[a].level == found[b].level && rule_of[a] < rule_of[b]))
				break;
			order[j - 1] = b;
			order[j] = a;
		}
	int newpos[TP_CAUSES_MAX + 1];
	newpos[0] = 0;
	for (size_t i = 0; i < nf; i++) {
		r->causes[i] = found[order[i]];
		newpos[order[i] + 1] = (int)i + 1;
	}
	r->n_causes = nf;
	for (size_t i = 0; i < r->n_findings; i++)
		r->findings[i].cause = newpos[r->findings[i].cause];
	run_causes(r);
	/* the cause behind the roll verdict: its first root-trust fail or warn (verdict.c),
	 * else, when it is unknown, the root-trust case that could not tell */
	r->roll_cause = 0;
	for (int pass = 0; pass < 2 && !r->roll_cause && r->roll_verdict != TP_READY; pass++)
		for (size_t i = 0; i < r->n_findings && !r->roll_cause; i++) {
			const struct tp_finding *f = &r->findings[i];
			if (f->group == TP_G_ROOT_TRUST && (pass ? f->status == TP_SKIP :
			    f->status == TP_FAIL || f->status == TP_WARN))
				r->roll_cause = f->cause;
		}
	r->n_accepted = 0;
	r->accept_note[0] = '\0';
}

int tp_diag_rule_known(const char *id)
{
	size_t n;
	const struct tp_diag_rule *rules = tp_diag_rules(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rules[i].id, id) == 0)
			return 1;
	return 0;
}

static void note_add(struct tp_resolver_report *r, const char *fmt, const char *id)
{
	size_t off = strlen(r->accept_note);
	if (off + 4 >= sizeof r->accept_note)
		return;
	snprintf(r->accept_note + off, sizeof r->accept_note - off, off ? "; " : "");
	off = strlen(r->accept_note);
	snprintf(r->accept_note + off, sizeof r->accept_note - off, fmt, id);
}

void tp_diagnose_accept(struct tp_resolver_report *r, const char *const *ids, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const char *id = ids[k];
		int is_cause = !strchr(id, '.') && !strchr(id, '*');
		size_t took = 0, refused = 0;
		for (size_t c = 0; is_cause && c < r->n_causes; c++) {
			struct tp_cause *ca = &r->causes[c];
			if (strcmp(ca->id, id) != 0)
				continue;
			if (ca->level == TP_CAUSE_FAIL || ca->level == TP_CAUSE_UNKNOWN) {
				refused++;
				continue;
			}
			ca->accepted = 1;
			for (size_t i = 0; i < r->n_findings; i++)
				if (r->findings[i].cause == (int)c + 1 &&
				    r->findings[i].status == TP_WARN && !r->findings[i].accepted) {
					r->findings[i].accepted = 1;
					took++;
				}
			took += !took; /* an accepted cause with no warning finding still counts */
		}
		for (size_t i = 0; !is_cause && i < r->n_findings; i++) {
			struct tp_finding *f = &r->findings[i];
			if (fnmatch(id, f->id, 0) != 0)
				continue;
			if (f->status == TP_FAIL)
				refused++;
			else if (f->status == TP_WARN && !f->accepted)
				f->accepted = 1, took++;
		}
		if (refused && !took)
			note_add(r, "%s not accepted: it fails (only warnings can be accepted)", id);
		else if (!took)
			note_add(r, "%s: no warning of it here", id);
	}
	/* a cause whose every warning was accepted by case is accepted too */
	for (size_t c = 0; c < r->n_causes; c++) {
		struct tp_cause *ca = &r->causes[c];
		size_t warns = 0, acc = 0;
		for (size_t i = 0; i < r->n_findings; i++)
			if (r->findings[i].cause == (int)c + 1 && r->findings[i].status != TP_PASS &&
			    r->findings[i].status != TP_SKIP)
				warns++, acc += r->findings[i].accepted && r->findings[i].status == TP_WARN;
		if (warns && acc == warns)
			ca->accepted = 1;
	}
	r->n_accepted = 0;
	for (size_t i = 0; i < r->n_findings; i++)
		r->n_accepted += r->findings[i].accepted;
}

/* ---- checking the table against the catalogue ---- */

struct check_ctx {
	const struct tp_catalog *cat;
	int evidence;
	char *err;
	size_t errlen;
	const char *where;
};

static int check_tok(const struct tok *t, void *vctx)
{
	struct check_ctx *c = vctx;
	size_t matched = 0;
	if (t->lab_forwarder)
		return 0;
	if (c->evidence && t->neg) {
		snprintf(c->err, c->errlen, "%s: '!' in evidence (%s)", c->where, t->glob);
		return 1;
	}
	for (size_t i = 0; i < c->cat->n; i++) {
		const struct tp_case *cs = &c->cat->cases[i];
		if (fnmatch(t->glob, cs->id, 0) != 0)
			continue;
		matched++;
		int has = !t->label[0] || strcmp(t->label, "*") == 0;
		for (size_t k = 0; !has && k < cs->n_queries; k++)
			has = strcmp(cs->queries[k].label, t->label) == 0;
		if (!has && !strpbrk(t->glob, "*?[")) {
			snprintf(c->err, c->errlen, "%s: case %s has no query labelled '%s'", c->where,
				 cs->id, t->label);
			return 1;
		}
	}
	if (!matched) {
		snprintf(c->err, c->errlen, "%s: '%s' names no case of the catalogue", c->where,
			 t->glob);
		return 1;
	}
	return 0;
}

static int check_str(struct check_ctx *c, const char *s)
{
	char perr[160];
	int rc = each_tok(s, check_tok, c, perr, sizeof perr);
	if (rc < 0)
		snprintf(c->err, c->errlen, "%s: %s", c->where, perr);
	return rc ? -1 : 0;
}

int tp_diag_check(const struct tp_catalog *cat, char *err, size_t errlen)
{
	size_t nr, nfam;
	const struct tp_diag_rule *rules = tp_diag_rules(&nr);
	const struct tp_diag_family *fams = tp_diag_families(&nfam);
	struct check_ctx c = {.cat = cat, .err = err, .errlen = errlen};
	char where[96];
	for (size_t k = 0; k < nr; k++) {
		const struct tp_diag_rule *ru = &rules[k];
		c.where = where;
		snprintf(where, sizeof where, "rule %s", ru->id);
		if (!ru->when[0] || !ru->evidence || !ru->title || !ru->tag ||
		    !fix_for(ru, "*", 1)) {
			snprintf(err, errlen, "%s: needs when, evidence, title, tag and a '*' fix", where);
			return -1;
		}
		for (size_t j = 0; j < k; j++)
			if (strcmp(rules[j].id, ru->id) == 0) {
				snprintf(err, errlen, "%s: id used twice", where);
				return -1;
			}
		c.evidence = 0;
		for (size_t w = 0; w < TP_DIAG_WHEN_MAX && ru->when[w]; w++)
			if (check_str(&c, ru->when[w]) != 0)
				return -1;
		c.evidence = 1;
		if (check_str(&c, ru->evidence) != 0)
			return -1;
	}
	c.evidence = 0;
	for (size_t k = 0; k < nfam; k++) {
		snprintf(where, sizeof where, "family %s", fams[k].family);
		c.where = where;
		for (size_t w = 0; w < TP_DIAG_WHEN_MAX && fams[k].when[w]; w++)
			if (check_str(&c, fams[k].when[w]) != 0)
				return -1;
	}
	return 0;
}
