/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* render: text, JSON, Monitoring Plugins and matrix views of a finished report; see
 * render.h. Every function here only prints what the report already holds. */
#include "render.h"
#include "verdict.h"
#include "diagnose.h"
#include "observe.h"
#include "matrix.h"
#include "tp_config.h"
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ldns/ldns.h>

#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"
#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"

/* ---- shared helpers ---- */

static const char *status_color(enum tp_status s)
{
	switch (s) {
	case TP_PASS: return C_GREEN;
	case TP_WARN: return C_YELLOW;
	case TP_FAIL: return C_RED;
	case TP_SKIP: return C_CYAN;
	}
	return "";
}

static const char *verdict_color(enum tp_verdict v)
{
	switch (v) {
	case TP_READY: return C_GREEN;
	case TP_NOT_READY: return C_RED;
	case TP_UNKNOWN: return C_CYAN;
	}
	return "";
}

/* Writes word (upper-cased if upper) in colour col when color is set, then pads it with
 * spaces to width (padding outside the colour, so that columns stay aligned). */
static void put_word(FILE *f, const char *word, int upper, const char *col, int color,
		     int width)
{
	int len = (int)strlen(word);

	if (color)
		fputs(col, f);
	for (const char *p = word; *p; p++)
		fputc(upper ? toupper((unsigned char)*p) : *p, f);
	if (color)
		fputs(C_RESET, f);
	for (; len < width; len++)
		fputc(' ', f);
}

/* How a resolver is called in short views: its lab name, else its target label. */
static const char *short_label(const struct tp_resolver_report *r)
{
	return r->name[0] ? r->name : r->resolver;
}

static int finish(FILE *f)
{
	return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

/* ---- text ---- */

#define WIDTH TP_TEXT_WIDTH
#define SCREEN TP_TEXT_ROWS

/* One row of text output: plain text, with at most one span to colour (a status word). */
struct row {
	char text[WIDTH + 1];
	int cstart, clen;
	const char *col;
};

struct rows {
	size_t n, cap;
	struct row *r;  /* malloc'd; rows_free */
};

/* A row at the end of o, or NULL when memory ran out (the text then ends early). */
static struct row *row_add(struct rows *o)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 64;
		struct row *r = realloc(o->r, cap * sizeof *r);
		if (!r)
			return NULL;
		o->r = r;
		o->cap = cap;
	}
	return &o->r[o->n++];
}

static void rows_append(struct rows *o, const struct rows *from)
{
	for (size_t k = 0; k < from->n; k++) {
		struct row *w = row_add(o);
		if (w)
			*w = from->r[k];
	}
}

static void rows_free(struct rows *o)
{
	free(o->r);
	o->r = NULL;
	o->n = o->cap = 0;
}

/* Appends text wrapped at WIDTH: the first row starts with first (may be ""), the others
 * with cont spaces. Breaks at blanks; a word longer than a row is split. The span
 * [cstart, cstart+clen) of the first row gets colour col. Returns the rows written. */
static size_t wrap(struct rows *o, const char *first, int cont, const char *text,
		   int cstart, int clen, const char *col)
{
	size_t before = o->n;
	const char *p = text;
	int firstrow = 1;
	for (;;) {
		struct row *w = row_add(o);
		int off;
		if (!w)
			break;
		memset(w, 0, sizeof *w);
		if (firstrow)
			off = snprintf(w->text, sizeof w->text, "%s", first);
		else
			off = snprintf(w->text, sizeof w->text, "%*s", cont, "");
		if (firstrow && col) {
			w->cstart = cstart;
			w->clen = clen;
			w->col = col;
		}
		while (!firstrow && *p == ' ')
			p++;
		int room = WIDTH - off;
		int len = (int)strlen(p);
		if (len <= room) {
			memcpy(w->text + off, p, (size_t)len + 1);
			break;
		}
		int cut = room;
		while (cut > 0 && p[cut] != ' ')
			cut--;
		if (cut <= 0)
			cut = room; /* one word longer than the row */
		memcpy(w->text + off, p, (size_t)cut);
		w->text[off + cut] = '\0';
		p += cut;
		firstrow = 0;
	}
	return o->n - before;
}

static void put_rows(FILE *f, const struct rows *o, int color)
{
	for (size_t i = 0; i < o->n; i++) {
		const struct row *w = &o->r[i];
		if (color && w->col && w->clen > 0) {
			fprintf(f, "%.*s%s%.*s%s%s\n", w->cstart, w->text, w->col, w->clen,
				w->text + w->cstart, C_RESET, w->text + w->cstart + w->clen);
		} else {
			fprintf(f, "%s\n", w->text);
		}
	}
}

static const char *level_word(enum tp_cause_level l)
{
	switch (l) {
	case TP_CAUSE_FAIL: return "FAIL";
	case TP_CAUSE_UNKNOWN: return "UNKNOWN";
	case TP_CAUSE_WARN: return "WARN";
	case TP_CAUSE_INFO: return "INFO";
	}
	return "?";
}

static const char *level_color(enum tp_cause_level l)
{
	switch (l) {
	case TP_CAUSE_FAIL: return C_RED;
	case TP_CAUSE_UNKNOWN: return C_CYAN;
	case TP_CAUSE_WARN: return C_YELLOW;
	case TP_CAUSE_INFO: return "";
	}
	return "";
}

static void text_case(struct rows *o, const struct tp_finding *c, int verbose)
{
	char first[16], body[TP_REASON_MAX + TP_ID_MAX + 16];
	snprintf(first, sizeof first, "    %-4s  ", tp_status_name(c->status));
	for (char *q = first; *q; q++)
		*q = (char)toupper((unsigned char)*q);
	snprintf(body, sizeof body, "%s%s%s%s", c->id, c->reason[0] ? ": " : "", c->reason,
		 c->accepted ? " [accepted]" : "");
	wrap(o, first, 10, body, 4, 4, status_color(c->status));
	if (verbose && c->detail[0])
		wrap(o, "          ", 10, c->detail, 0, 0, NULL);
}

/* The header row: "NAME (ADDR): VERDICT (dane_ready yes|no)[, family]". */
static void text_header(struct rows *o, const struct tp_resolver_report *r)
{
	char first[256], fam[200] = "";
	int n;
	if (r->name[0])
		n = snprintf(first, sizeof first, "%s (%s): ", r->name, r->resolver);
	else
		n = snprintf(first, sizeof first, "%s: ", r->resolver);
	char verdict[32];
	snprintf(verdict, sizeof verdict, "%s", tp_verdict_name(r->verdict));
	for (char *q = verdict; *q; q++)
		*q = (char)toupper((unsigned char)*q);
	if (r->software[0])
		snprintf(fam, sizeof fam, ", %s", r->software);
	else if (r->family_how == 2 && strchr(r->family, '|'))
		snprintf(fam, sizeof fam, ", looks like %s or %s", tp_diag_family_name("unbound"),
			 tp_diag_family_name("bind"));
	else if (r->family_how == 2)
		snprintf(fam, sizeof fam, ", looks like %s", tp_diag_family_name(r->family));
	char body[512];
	snprintf(body, sizeof body, "%s%s (dane_ready %s)%s", first, verdict,
		 r->dane_ready ? "yes" : "no", fam);
	wrap(o, "", 4, body, n, (int)strlen(verdict), verdict_color(r->verdict));
}

/* "groups: denial FAIL, ad-path WARN; the others pass" (or "all pass"). */
static void text_groups(struct rows *o, const struct tp_resolver_report *r)
{
	char buf[256];
	size_t off = 0;
	int others = 0;
	off += (size_t)snprintf(buf, sizeof buf, "  groups: ");
	for (int g = 0; g < TP_G_COUNT; g++) {
		if (r->groups[g] == TP_PASS) {
			others = 1;
			continue;
		}
		char st[8];
		snprintf(st, sizeof st, "%s", tp_status_name(r->groups[g]));
		for (char *q = st; *q; q++)
			*q = (char)toupper((unsigned char)*q);
		off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s %s",
					off > 10 ? ", " : "", tp_group_name(g), st);
	}
	if (off == 10)
		snprintf(buf + off, sizeof buf - off, "every group passes");
	else if (others)
		snprintf(buf + off, sizeof buf - off, "; the others pass");
	wrap(o, "", 4, buf, 0, 0, NULL);
}

/* A lab instance's configuration when it is not the lab's own alone: "config: shipped
 * (N lab overrides...)" and the user's --conf file; with list, each source and override. */
static void text_config(struct rows *o, const struct tp_resolver_report *r, int list)
{
	char buf[1200];
	size_t n = 0;
	for (const char *p = r->overrides; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "")
		n++;
	if (strcmp(r->config, "shipped") == 0) {
		snprintf(buf, sizeof buf, "config: the package's own, with %zu lab %s%s", n,
			 n == 1 ? "override" : "overrides", list ? ":" : " (-v lists them)");
		wrap(o, "  ", 4, buf, 0, 0, NULL);
	}
	if (r->snippet[0]) {
		snprintf(buf, sizeof buf, "config: %s appended after the lab's lines (--conf)",
			 r->snippet);
		wrap(o, "  ", 4, buf, 0, 0, NULL);
	}
	if (!list)
		return;
	const char *tag[2] = {"read: ", "override: "};
	const char *text[2] = {r->config_sources, r->overrides};
	for (int k = 0; k < 2; k++)
		for (const char *p = text[k]; p && *p;) {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);
			snprintf(buf, sizeof buf, "%s%.*s", tag[k], len, p);
			wrap(o, "    ", 6, buf, 0, 0, NULL);
			p = nl ? nl + 1 : "";
		}
}

/* The notes of a resolver's block: the verdict's note, the anchor, independent validation,
 * the roll verdict, what was accepted. diagnosed: how many causes the report shows above
 * (0: none, the plain report). */
static void text_notes(struct rows *o, const struct tp_resolver_report *r, int verbose,
		       size_t diagnosed)
{
	char buf[1200];
	int unknown_cause = 0;
	for (size_t i = 0; i < r->n_causes; i++)
		unknown_cause |= r->causes[i].level == TP_CAUSE_UNKNOWN;
	if (r->note[0] && (!diagnosed || !unknown_cause || verbose)) {
		snprintf(buf, sizeof buf, "note: %s", r->note);
		wrap(o, "  ", 4, buf, 0, 0, NULL);
	}
	text_config(o, r, verbose);
	if (r->anchor_note[0]) {
		snprintf(buf, sizeof buf, "trust anchor: %s", r->anchor_note);
		wrap(o, "  ", 4, buf, 0, 0, NULL);
	}
	if (r->verify_note[0]) {
		snprintf(buf, sizeof buf, "note: %s", r->verify_note);
		wrap(o, "  ", 4, buf, 0, 0, NULL);
	}
	char verdict[32];
	snprintf(verdict, sizeof verdict, "%s", tp_verdict_name(r->roll_verdict));
	for (char *q = verdict; *q; q++)
		*q = (char)toupper((unsigned char)*q);
	if (diagnosed && !verbose && r->roll_cause > 0)
		snprintf(buf, sizeof buf, "  root key roll: %s (cause %d%s)", verdict, r->roll_cause,
			 (size_t)r->roll_cause > diagnosed ? ", -v" : "");
	else if (r->roll_note[0])
		snprintf(buf, sizeof buf, "  root key roll: %s (%s)", verdict, r->roll_note);
	else
		snprintf(buf, sizeof buf, "  root key roll: %s", verdict);
	wrap(o, "", 4, buf, 17, (int)strlen(verdict), verdict_color(r->roll_verdict));
	if (r->n_accepted || r->accept_note[0]) {
		size_t off = (size_t)snprintf(buf, sizeof buf, "  accepted (--accept): %zu %s",
					      r->n_accepted, r->n_accepted == 1 ? "warning" : "warnings");
		for (size_t i = 0, k = 0; i < r->n_causes; i++)
			if (r->causes[i].accepted)
				off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s",
							k++ ? ", " : ", cause ", r->causes[i].id);
		if (r->accept_note[0])
			snprintf(buf + off, sizeof buf - off, "; %s", r->accept_note);
		wrap(o, "", 4, buf, 0, 0, NULL);
	}
}

/* The counts that close a resolver's block. */
static void text_counts(struct rows *o, const struct tp_resolver_report *r, const char *tail)
{
	char buf[200];
	snprintf(buf, sizeof buf, "  %zu passed, %zu warned, %zu failed, %zu skipped%s",
		 r->n_pass, r->n_warn, r->n_fail, r->n_skip, tail);
	wrap(o, "", 4, buf, 0, 0, NULL);
}

/* The cause rows: " N LEVEL  title", then "        fix: ...". */
static void cause_rows(struct rows *o, const struct tp_resolver_report *r, size_t i)
{
	const struct tp_cause *ca = &r->causes[i];
	char first[32], body[TP_REASON_MAX + 32];
	snprintf(first, sizeof first, "%2zu %-7s  ", i + 1, level_word(ca->level));
	snprintf(body, sizeof body, "%s%s", ca->title, ca->accepted ? " [accepted]" : "");
	wrap(o, first, 12, body, 3, (int)strlen(level_word(ca->level)), level_color(ca->level));
	if (ca->fix[0]) {
		snprintf(body, sizeof body, "fix: %s", ca->fix);
		wrap(o, "            ", 12, body, 0, 0, NULL);
	}
}

/* The evidence of cause i as a list of case ids, in at most max rows (0: as many as it
 * takes); a list that does not fit ends in "and N more (-v)". */
static void evidence_rows(struct rows *o, const struct tp_resolver_report *r, size_t i,
			  size_t max)
{
	char list[8192], first[24];
	size_t total = 0;
	for (size_t k = 0; k < r->n_findings; k++)
		total += r->findings[k].cause == (int)i + 1;
	snprintf(first, sizeof first, "%2zu ", i + 1);
	for (size_t shown = total;; shown--) {
		size_t off = 0, put = 0;
		list[0] = '\0';
		for (size_t k = 0; k < r->n_findings && put < shown; k++) {
			const struct tp_finding *f = &r->findings[k];
			if (f->cause != (int)i + 1)
				continue;
			int w = snprintf(list + off, sizeof list - off, "%s%s%s%s%s", put ? ", " : "",
					 f->id, f->status == TP_SKIP ? " (skip)" :
					 f->status == TP_PASS ? " (pass)" : "",
					 f->accepted ? " [accepted]" : "", "");
			if (w < 0 || (size_t)w >= sizeof list - off)
				break;
			off += (size_t)w;
			put++;
		}
		if (put < total)
			snprintf(list + off, sizeof list - off, "%sand %zu more (-v)", put ? ", " : "",
				 total - put);
		struct rows tmp = {0};
		size_t need = wrap(&tmp, first, 3, list, 0, 0, NULL);
		rows_free(&tmp);
		if (!max || need <= max || shown == 0) {
			wrap(o, first, 3, list, 0, 0, NULL);
			return;
		}
	}
}

/* The diagnosed report of r with at most limit causes: header, causes and fixes, "N more",
 * their evidence, footer. fit: keep to SCREEN rows (causes that do not fit are counted,
 * evidence lists shortened); else everything. */
static void diagnosed_rows(struct rows *o, const struct tp_resolver_report *r, size_t limit,
			   int fit, int verbose)
{
	struct rows foot = {0}, causes = {0};
	const char *tail = verbose ? "" : "; -v shows every case and query";
	text_header(o, r);
	text_groups(&foot, r);
	text_notes(&foot, r, verbose, r->n_causes);
	text_counts(&foot, r, tail);
	size_t shown = 0;
	for (size_t i = 0; i < r->n_causes && i < limit; i++) {
		struct rows one = {0};
		cause_rows(&one, r, i);
		/* keep a row for "N more causes" and the evidence header, and one evidence row
		 * per cause shown */
		size_t more = i + 1 < r->n_causes ? 1 : 0;
		int fits = !fit || o->n + causes.n + one.n + foot.n + more + 1 + shown + 1 <= SCREEN;
		if (fits) {
			rows_append(&causes, &one);
			shown++;
		}
		rows_free(&one);
		if (!fits)
			break;
	}
	rows_append(o, &causes);
	rows_free(&causes);
	if (shown < r->n_causes) {
		char more[64];
		snprintf(more, sizeof more, "   and %zu more %s (-v)", r->n_causes - shown,
			 r->n_causes - shown == 1 ? "cause" : "causes");
		wrap(o, "", 4, more, 0, 0, NULL);
	}
	if (shown)
		wrap(o, "", 4, "evidence (the cases that show each cause):", 0, 0, NULL);
	for (size_t i = 0; i < shown; i++) {
		size_t left = SCREEN > o->n + foot.n ? SCREEN - o->n - foot.n : 0;
		size_t later = shown - i - 1;
		size_t max = left > later ? left - later : 1;
		evidence_rows(o, r, i, fit ? max : 0);
	}
	foot.n = 0; /* again, now that it is known which causes are shown */
	text_groups(&foot, r);
	text_notes(&foot, r, verbose, shown);
	text_counts(&foot, r, tail);
	rows_append(o, &foot);
	rows_free(&foot);
}

/* A resolver that is not ready: its causes and fixes, then their evidence, then the
 * footer; without -v in at most SCREEN rows: the info causes go first (counted), then
 * evidence lists are shortened and the last causes counted. With -v: everything, then
 * every case and query. */
static void text_diagnosed(FILE *f, const struct tp_resolver_report *r, int verbose, int color)
{
	struct rows o = {0};
	size_t serious = 0;
	while (serious < r->n_causes && r->causes[serious].level != TP_CAUSE_INFO)
		serious++;
	int done = 0;
	for (size_t limit = r->n_causes; !verbose && !done && limit + 1 > serious && limit > 0;
	     limit--) {
		o.n = 0;
		diagnosed_rows(&o, r, limit, 0, 0);
		done = o.n <= SCREEN;
	}
	if (!done) {
		o.n = 0;
		diagnosed_rows(&o, r, r->n_causes, !verbose, verbose);
	}
	put_rows(f, &o, color);
	o.n = 0;
	if (!verbose) {
		rows_free(&o);
		return;
	}
	if (r->family_how == 2) {
		char buf[300];
		snprintf(buf, sizeof buf, "family told from the answers: %s", r->family_why);
		wrap(&o, "  ", 4, buf, 0, 0, NULL);
	}
	for (int g = 0; g < TP_G_COUNT; g++) {
		char first[32];
		snprintf(first, sizeof first, "  %-10s  ", tp_group_name(g));
		char st[8];
		snprintf(st, sizeof st, "%s", tp_status_name(r->groups[g]));
		for (char *q = st; *q; q++)
			*q = (char)toupper((unsigned char)*q);
		wrap(&o, first, 4, st, 14, (int)strlen(st), status_color(r->groups[g]));
		for (size_t i = 0; i < r->n_findings; i++)
			if ((int)r->findings[i].group == g)
				text_case(&o, &r->findings[i], 1);
	}
	put_rows(f, &o, color);
	rows_free(&o);
}

/* A ready resolver (or one with no diagnosis): as short as it always was. */
static void text_plain(FILE *f, const struct tp_resolver_report *r, int verbose, int color)
{
	struct rows o = {0};
	text_header(&o, r);
	if (r->lead[0]) { /* the root does not validate: everything else follows from it */
		char buf[TP_REASON_MAX + 16];
		snprintf(buf, sizeof buf, "first: %s", r->lead);
		wrap(&o, "  ", 4, buf, 0, 0, NULL);
	}
	text_notes(&o, r, verbose, 0);
	for (int g = 0; g < TP_G_COUNT; g++) {
		char first[32], st[8];
		snprintf(first, sizeof first, "  %-10s  ", tp_group_name(g));
		snprintf(st, sizeof st, "%s", tp_status_name(r->groups[g]));
		for (char *q = st; *q; q++)
			*q = (char)toupper((unsigned char)*q);
		wrap(&o, first, 4, st, 14, (int)strlen(st), status_color(r->groups[g]));
		for (size_t i = 0; i < r->n_findings; i++) {
			const struct tp_finding *c = &r->findings[i];
			/* without -v, cases skipped for want of a test zone are only counted
			 * (the report's last line says how many) */
			if ((int)c->group == g && (verbose || (c->status != TP_PASS && !c->no_zone)))
				text_case(&o, c, verbose);
		}
	}
	text_counts(&o, r, "");
	put_rows(f, &o, color);
	rows_free(&o);
}

int tp_render_text(FILE *f, const struct tp_report *rep, int verbose, int color)
{
	for (size_t i = 0; i < rep->n; i++) {
		const struct tp_resolver_report *r = &rep->resolvers[i];
		if (i > 0)
			fputc('\n', f);
		/* a test zone or a local failure that left the verdict unknown leads as a
		 * run-level cause of the diagnosis (diagnose.c run_causes) */
		if (r->verdict != TP_READY && r->n_causes)
			text_diagnosed(f, r, verbose, color);
		else
			text_plain(f, r, verbose, color);
		if (verbose) /* -v: the algorithm matrix, after every case (matrix.h) */
			tp_matrix_text(f, r);
	}
	if (rep->n_skipped_no_zone > 0)
		fprintf(f, "%s%zu %s skipped: no test zone given (--zone or --lab)\n",
			rep->n ? "\n" : "", rep->n_skipped_no_zone,
			rep->n_skipped_no_zone == 1 ? "case" : "cases");
	if (rep->app_checked) {
		struct rows o = {0};
		char buf[512];
		snprintf(buf, sizeof buf, "application path: %s", rep->app_note);
		if (rep->n)
			fputc('\n', f);
		wrap(&o, "", 2, buf, 0, 0, NULL);
		put_rows(f, &o, 0);
		rows_free(&o);
	}
	return finish(f);
}

/* ---- JSON ---- */

/* A JSON string of s; bytes that are not valid UTF-8 become '?' rather than losing the
 * whole document. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	char *copy;

	if (j || !s)
		return j;
	copy = strdup(s);
	if (!copy)
		return NULL;
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

/* Seconds rounded to the millisecond, so that the document does not show binary noise. */
static json_t *jseconds(double s)
{
	return json_real(s >= 0 ? (double)(long long)(s * 1000 + 0.5) / 1000 : 0);
}

/* json_object_set_new that reports failure (a NULL value included) as 1. */
static int put(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v) != 0;
}

static json_t *json_types(const struct tp_section_summary *sec)
{
	json_t *o = json_object(), *t = json_array();
	int err = !o || !t;
	for (size_t i = 0; !err && i < sec->n_types; i++) {
		char tn[24];
		tp_type_name(sec->types[i], tn, sizeof tn);
		err |= json_array_append_new(t, json_string(tn)) != 0;
	}
	err |= put(o, "count", json_integer(sec->count));
	err |= put(o, "types", t);
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static const char *obs_status_name(int status)
{
	return status < 0 ? "unsent" : tp_obs_status_str((enum tp_obs_status)status);
}

/* The structured observation of one query (observe.h). */
static json_t *json_obs(const struct tp_obs_summary *s)
{
	json_t *o = json_object(), *qf = json_array();
	int err = !o || !qf;
	char tn[24], fl[64];
	tp_type_name(s->qtype, tn, sizeof tn);
	tp_qflags_describe(s->qflags, 0, fl, sizeof fl);
	for (char *save = NULL, *w = strtok_r(fl, " ", &save); !err && w;
	     w = strtok_r(NULL, " ", &save))
		err |= json_array_append_new(qf, json_string(w)) != 0;
	err |= put(o, "label", jstr(s->label));
	err |= put(o, "qname", jstr(s->qname));
	err |= put(o, "qtype", json_string(tn));
	err |= put(o, "qflags", qf);
	err |= put(o, "status", json_string(obs_status_name(s->status)));
	if (!err && s->status == TP_OBS_ANSWER) {
		ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, s->rcode);
		char rb[16];
		snprintf(rb, sizeof rb, "RCODE%d", s->rcode);
		err |= put(o, "rcode", json_string(lt ? lt->name : rb));
		err |= put(o, "flags", json_pack("{s:b,s:b,s:b,s:b,s:b,s:b,s:b}",
			"qr", !!(s->flags & TP_F_QR), "aa", !!(s->flags & TP_F_AA),
			"tc", !!(s->flags & TP_F_TC), "rd", !!(s->flags & TP_F_RD),
			"ra", !!(s->flags & TP_F_RA), "ad", !!(s->flags & TP_F_AD),
			"cd", !!(s->flags & TP_F_CD)));
		err |= put(o, "edns", json_boolean(s->edns));
		err |= put(o, "do", json_boolean(s->edns_do));
		err |= put(o, "transport", json_string(tp_obs_transport_name(s->transport)));
		json_t *e = json_array(), *et = json_array();
		for (size_t i = 0; e && et && i < s->n_ede; i++) {
			err |= json_array_append_new(e, json_integer(s->ede[i])) != 0;
			err |= json_array_append_new(et, jstr(s->ede_text[i])) != 0;
		}
		err |= put(o, "ede", e);
		err |= put(o, "ede_text", et); /* each code's EXTRA-TEXT (RFC 8914 2), "" */
		err |= put(o, "sections", json_pack("{s:o,s:o,s:o}", "answer", json_types(&s->an),
						    "authority", json_types(&s->ns),
						    "additional", json_types(&s->ar)));
		err |= put(o, "rtt_ms", json_real((double)(long long)(s->rtt_ms * 10 + 0.5) / 10));
	}
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *json_case(const struct tp_resolver_report *r, const struct tp_finding *c, int full)
{
	json_t *o = json_object(), *obs = json_array();
	int err = !o || !obs;

	if (err) {
		json_decref(o);
		json_decref(obs);
		return NULL;
	}
	err |= put(o, "id", jstr(c->id));
	err |= put(o, "group", json_string(tp_group_name(c->group)));
	err |= put(o, "status", json_string(tp_status_name(c->status)));
	err |= put(o, "reason", jstr(c->reason));
	err |= put(o, "essential", json_boolean(c->essential));
	if (!err && (c->no_zone || c->not_here)) /* skipped for want of a test zone, or a lab */
		err |= put(o, "skipped_for", json_string(c->no_zone ? "zone" : "lab"));
	if (!err && c->note[0]) /* the note of the rule that decided */
		err |= put(o, "note", jstr(c->note));
	if (!err && c->verified) /* what the independent validator found (verify.h) */
		err |= put(o, "verified", json_string(c->verified == 1 ? "secure" :
						      c->verified == 2 ? "insecure" : "bogus"));
	if (!err && c->n_ede) { /* the EDE codes the resolver gave (RFC 8914) */
		json_t *e = json_array();
		for (size_t i = 0; e && i < c->n_ede; i++)
			err |= json_array_append_new(e, json_integer(c->ede[i])) != 0;
		err |= !e || put(o, "ede", e);
	}
	if (!err && c->n_ede_suggest) { /* the codes RFC 8914 suggests for the case */
		json_t *e = json_array();
		for (size_t i = 0; e && i < c->n_ede_suggest; i++)
			err |= json_array_append_new(e, json_integer(c->ede_suggest[i])) != 0;
		err |= !e || put(o, "ede_suggested", e);
	}
	if (!err && c->cause > 0 && (size_t)c->cause <= r->n_causes)
		err |= put(o, "cause", jstr(r->causes[c->cause - 1].id));
	if (!err && c->accepted)
		err |= put(o, "accepted", json_true());
	for (size_t k = 0; !err && full && k < c->n_obs; k++)
		err |= json_array_append_new(obs, json_obs(&c->obs[k])) != 0;
	if (full) { /* the fleet's stream leaves them out without -v */
		err |= put(o, "observations", obs);
		err |= put(o, "detail", jstr(c->detail));
	} else {
		json_decref(obs);
	}
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *json_causes(const struct tp_resolver_report *r)
{
	json_t *a = json_array();
	int err = !a;
	for (size_t i = 0; !err && i < r->n_causes; i++) {
		const struct tp_cause *ca = &r->causes[i];
		json_t *o = json_object(), *ev = json_array();
		err |= !o || !ev;
		for (size_t k = 0; !err && k < r->n_findings; k++)
			if (r->findings[k].cause == (int)i + 1)
				err |= json_array_append_new(ev, jstr(r->findings[k].id)) != 0;
		err |= put(o, "id", jstr(ca->id));
		err |= put(o, "level", json_string(tp_cause_level_name(ca->level)));
		err |= put(o, "title", jstr(ca->title));
		err |= put(o, "fix", jstr(ca->fix));
		err |= put(o, "tag", jstr(ca->tag));
		err |= put(o, "evidence", ev);
		err |= put(o, "accepted", json_boolean(ca->accepted));
		err |= json_array_append_new(a, o) != 0;
	}
	if (err) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *json_family(const struct tp_resolver_report *r)
{
	static const char *const how[] = {"unknown", "lab", "answers"};
	json_t *o = json_object(), *cand = json_array();
	int err = !o || !cand;
	char fam[sizeof r->family];
	snprintf(fam, sizeof fam, "%s", r->family);
	for (char *save = NULL, *w = strtok_r(fam, "|", &save); !err && w;
	     w = strtok_r(NULL, "|", &save))
		err |= json_array_append_new(cand, json_string(w)) != 0;
	err |= put(o, "candidates", cand);
	err |= put(o, "how", json_string(how[r->family_how >= 0 && r->family_how <= 2 ?
						r->family_how : 0]));
	err |= put(o, "why", jstr(r->family_why));
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The lines of text (one a line) as an array of strings. */
static json_t *json_lines(const char *text)
{
	json_t *a = json_array();
	for (const char *p = text; a && p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (json_array_append_new(a, json_stringn(p, len)) != 0) {
			json_decref(a);
			return NULL;
		}
		p = nl ? nl + 1 : "";
	}
	return a;
}

/* A lab instance's program, package and configuration (lab_identify). */
static int put_lab_instance(json_t *o, const struct tp_resolver_report *r)
{
	int err = 0;
	if (r->program[0])
		err |= put(o, "program", jstr(r->program));
	if (r->package[0]) {
		char name[sizeof r->package];
		snprintf(name, sizeof name, "%s", r->package);
		char *sp = strchr(name, ' ');
		if (sp)
			*sp = '\0';
		err |= put(o, "package", json_pack("{s:s,s:s,s:b}", "name", name, "version",
						   sp ? sp + 1 : "", "modified",
						   r->package_modified));
	}
	if (r->config[0]) {
		json_t *c = json_pack("{s:s}", "mode", r->config);
		if (c && r->snippet[0])
			err |= put(c, "snippet", jstr(r->snippet));
		if (c && strcmp(r->config, "shipped") == 0) {
			err |= put(c, "sources", json_lines(r->config_sources));
			err |= put(c, "overrides", json_lines(r->overrides));
		}
		err |= put(o, "config", c);
	}
	return err;
}

static json_t *json_resolver(const struct tp_resolver_report *r, int full)
{
	json_t *o = json_object(), *groups = json_object(), *cases = json_array();
	json_t *sum = json_object();
	int err = !o || !groups || !cases || !sum;

	for (int g = 0; !err && g < TP_G_COUNT; g++)
		err |= put(groups, tp_group_name(g), json_string(tp_status_name(r->groups[g])));
	for (size_t i = 0; !err && i < r->n_findings; i++)
		err |= json_array_append_new(cases, json_case(r, &r->findings[i], full)) != 0;
	if (!err) {
		err |= put(sum, "pass", json_integer((json_int_t)r->n_pass));
		err |= put(sum, "warn", json_integer((json_int_t)r->n_warn));
		err |= put(sum, "fail", json_integer((json_int_t)r->n_fail));
		err |= put(sum, "skip", json_integer((json_int_t)r->n_skip));
		err |= put(sum, "accepted", json_integer((json_int_t)r->n_accepted));
	}
	if (err) {
		json_decref(o);
		json_decref(groups);
		json_decref(cases);
		json_decref(sum);
		return NULL;
	}
	err |= put(o, "resolver", jstr(r->resolver));
	if (r->name[0]) {
		err |= put(o, "name", jstr(r->name));
		err |= put(o, "software", jstr(r->software));
		err |= put_lab_instance(o, r);
	}
	err |= put(o, "verdict", json_string(tp_verdict_name(r->verdict)));
	err |= put(o, "dane_ready", json_boolean(r->dane_ready));
	if (r->note[0]) /* why the verdict is unknown */
		err |= put(o, "note", jstr(r->note));
	err |= put(o, "roll_ready", json_boolean(r->roll_ready));
	err |= put(o, "roll_verdict", json_string(tp_verdict_name(r->roll_verdict)));
	if (r->roll_note[0])
		err |= put(o, "roll_note", jstr(r->roll_note));
	if (r->lead[0])
		err |= put(o, "lead", jstr(r->lead));
	if (r->anchor_note[0])
		err |= put(o, "trust_anchor", jstr(r->anchor_note));
	if (r->verify_note[0])
		err |= put(o, "verify_note", jstr(r->verify_note));
	err |= put(o, "family", json_family(r));
	err |= put(o, "causes", json_causes(r));
	if (r->accept_note[0])
		err |= put(o, "accept_note", jstr(r->accept_note));
	err |= put(o, "groups", groups);
	err |= put(o, "cases", cases);
	json_t *mx = err ? NULL : tp_matrix_json(r, &err); /* the algorithm matrix, if any */
	if (mx)
		err |= put(o, "matrix", mx);
	err |= put(o, "summary", sum);
	err |= put(o, "duration_s", jseconds(r->duration_s));
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* schema_version, tool and (when t is set) time: what every document of trustprobe's
 * JSON starts with. */
static int put_head(json_t *top, long long t)
{
	int err = put(top, "schema_version", json_integer(TP_JSON_SCHEMA));
	err |= put(top, "tool", json_pack("{s:s,s:s}", "name", "trustprobe", "version", TP_VERSION));
	if (t > 0) {
		char buf[32];
		time_t tt = (time_t)t;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
		err |= put(top, "time", json_string(buf));
	}
	return err;
}

int tp_render_json_head(json_t *top, long long t)
{
	return put_head(top, t);
}

static int dump(FILE *f, json_t *top, int err)
{
	if (!err)
		err |= json_dumpf(top, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
				  JSON_REAL_PRECISION(12)) != 0;
	json_decref(top);
	if (!err)
		fputc('\n', f);
	int rc = finish(f);
	return err ? -1 : rc;
}

int tp_render_json_error(FILE *f, const char *msg, int status)
{
	json_t *top = json_object();
	if (!top)
		return -1;
	int err = put_head(top, (long long)time(NULL));
	err |= put(top, "error", jstr(msg));
	err |= put(top, "exit", json_integer(status));
	return dump(f, top, err);
}

int tp_render_catalog_json(FILE *f, const struct tp_catalog *cat, const int *sel)
{
	json_t *top = json_object(), *list = json_array();
	int err = !top || !list;
	for (size_t i = 0; !err && i < cat->n; i++) {
		const struct tp_case *c = &cat->cases[i];
		if (sel && !sel[i])
			continue;
		json_t *o = json_object(), *qs = json_array(), *rs = json_array();
		err |= !o || !qs || !rs;
		for (size_t k = 0; !err && k < c->n_queries; k++) {
			const struct tp_cquery *q = &c->queries[k];
			char tn[24], fl[64];
			json_t *qf = json_array();
			tp_type_name(q->qtype, tn, sizeof tn);
			tp_qflags_describe(q->qflags, q->bufsize, fl, sizeof fl);
			for (char *save = NULL, *w = strtok_r(fl, " ", &save); qf && w;
			     w = strtok_r(NULL, " ", &save))
				err |= json_array_append_new(qf, json_string(w)) != 0;
			err |= json_array_append_new(qs, json_pack("{s:o,s:o,s:s,s:o,s:b}",
				"label", jstr(q->label), "qname", jstr(q->qname), "qtype", tn,
				"qflags", qf ? qf : json_array(), "control", q->control)) != 0;
		}
		for (size_t k = 0; !err && k < c->n_rules; k++) {
			char pat[256];
			tp_rule_describe(c, &c->rules[k], pat, sizeof pat);
			err |= json_array_append_new(rs, json_pack("{s:s,s:o,s:o}",
				"status", tp_status_name(c->rules[k].status), "pattern", jstr(pat),
				"note", jstr(c->rules[k].note))) != 0;
		}
		err |= put(o, "id", jstr(c->id));
		err |= put(o, "group", json_string(tp_group_name(c->group)));
		err |= put(o, "essential", json_boolean(c->essential));
		err |= put(o, "lab_only", json_boolean(c->lab_only));
		err |= put(o, "needs_zone", json_boolean(c->needs_zone));
		err |= put(o, "reason", jstr(c->reason));
		err |= put(o, "source", jstr(c->source));
		err |= put(o, "queries", qs);
		err |= put(o, "rules", rs);
		err |= put(o, "otherwise", json_string(tp_status_name(c->otherwise)));
		if (c->matrix_alg) /* its cell of the algorithm matrix */
			err |= put(o, "matrix", json_pack("{s:i,s:i}", "alg", c->matrix_alg,
							  "digest", c->matrix_digest));
		if (c->n_ede_suggest) {
			json_t *e = json_array();
			for (size_t k = 0; e && k < c->n_ede_suggest; k++)
				err |= json_array_append_new(e, json_integer(c->ede_suggest[k])) != 0;
			err |= !e || put(o, "ede", e);
		}
		err |= json_array_append_new(list, o) != 0;
	}
	if (err) {
		json_decref(top);
		json_decref(list);
		return -1;
	}
	err |= put_head(top, 0);
	err |= put(top, "cases", list);
	return dump(f, top, err);
}

int tp_render_json(FILE *f, const struct tp_report *rep)
{
	json_t *top = json_object(), *list = json_array();
	int err = !top || !list;

	for (size_t i = 0; !err && i < rep->n; i++)
		err |= json_array_append_new(list, json_resolver(&rep->resolvers[i], 1)) != 0;
	if (err) {
		json_decref(top);
		json_decref(list);
		return -1;
	}
	err |= put_head(top, rep->started);
	err |= put(top, "zone", rep->zone[0] ? jstr(rep->zone) : json_null());
	err |= put(top, "resolvers", list);
	err |= put(top, "skipped_no_zone", json_integer((json_int_t)rep->n_skipped_no_zone));
	if (rep->app_checked) /* the AD bit's last hop, through libc (apppath.h) */
		err |= put(top, "application",
			   json_pack("{s:b,s:b,s:b,s:b,s:s}", "ad_with_trustad", rep->app_ad_postfix,
				     "ad_plain_client", rep->app_ad_plain, "options_trust_ad",
				     rep->app_trust_ad, "all_loopback", rep->app_all_loopback, "note",
				     rep->app_note));
	if (rep->lab_run) {
		json_t *sk = json_array();
		err |= !sk;
		for (size_t i = 0; !err && i < rep->n_skipped; i++) {
			const struct tp_skipped *k = &rep->skipped[i];
			json_t *o = json_object();
			err |= !o;
			err |= put(o, "name", jstr(k->name));
			err |= put(o, "program", jstr(k->program));
			err |= put(o, "package", jstr(k->package));
			err |= put(o, "reason", jstr(k->reason));
			err |= json_array_append_new(sk, o) != 0;
		}
		err |= put(top, "skipped", sk);
	}
	return dump(f, top, err);
}

int tp_render_json_fleet_open(FILE *f, long long started, const char *zone, const char *file)
{
	json_t *top = json_object();
	int err = !top || put_head(top, started);
	err |= put(top, "zone", zone && *zone ? jstr(zone) : json_null());
	err |= put(top, "targets", jstr(file));
	char *head = err ? NULL : json_dumps(top, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(top);
	if (!head)
		return -1;
	/* the object without its closing brace, then the list the stream fills */
	size_t len = strlen(head);
	fprintf(f, "%.*s,\"resolvers\":[", (int)(len ? len - 1 : 0), head);
	free(head);
	return finish(f);
}

int tp_render_json_fleet_item(FILE *f, const struct tp_resolver_report *r, size_t line,
			      int first, int full)
{
	json_t *o = json_resolver(r, full);
	int err = !o;
	if (!err && line)
		err |= put(o, "line", json_integer((json_int_t)line));
	if (!err) {
		fputs(first ? "\n" : ",\n", f);
		err |= json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER |
				  JSON_REAL_PRECISION(12)) != 0;
	}
	json_decref(o);
	return err ? -1 : finish(f);
}

int tp_render_json_fleet_close(FILE *f, const size_t counts[4], double duration_s)
{
	fprintf(f, "\n],\"summary\":{\"resolvers\":%zu,\"ready\":%zu,\"not_ready\":%zu,"
		"\"unknown\":%zu,\"not_probed\":%zu},\"duration_s\":%.3f}\n",
		counts[0] + counts[1] + counts[2], counts[0], counts[1], counts[2], counts[3],
		duration_s);
	return finish(f);
}

/* ---- lab matrix ---- */

int tp_render_matrix(FILE *f, const struct tp_report *rep, int color)
{
	int w0 = (int)strlen("resolver");

	for (size_t i = 0; i < rep->n; i++) {
		int len = (int)strlen(short_label(&rep->resolvers[i]));
		if (len > w0)
			w0 = len;
	}
	for (size_t i = 0; i < rep->n_skipped; i++) {
		int len = (int)strlen(rep->skipped[i].name);
		if (len > w0)
			w0 = len;
	}
	fprintf(f, "%-*s", w0, "resolver");
	for (int g = 0; g < TP_G_COUNT; g++)
		fprintf(f, "  %s", tp_group_name(g));
	fputs("  verdict    notes\n", f);
	for (size_t i = 0; i < rep->n; i++) {
		const struct tp_resolver_report *r = &rep->resolvers[i];
		fprintf(f, "%-*s", w0, short_label(r));
		for (int g = 0; g < TP_G_COUNT; g++) {
			fputs("  ", f);
			put_word(f, tp_status_name(r->groups[g]), 0, status_color(r->groups[g]),
				 color, (int)strlen(tp_group_name(g)));
		}
		fputs("  ", f);
		size_t notes = 0;
		for (size_t k = 0; k < r->n_causes; k++)
			notes += r->causes[k].level != TP_CAUSE_INFO;
		put_word(f, tp_verdict_name(r->verdict), 0, verdict_color(r->verdict), color,
			 notes ? 9 : 0);
		/* the causes, most serious first, in a few words each (info ones left out) */
		const char *sep = "  ";
		for (size_t k = 0; k < r->n_causes; k++) {
			if (r->causes[k].level == TP_CAUSE_INFO)
				continue;
			fprintf(f, "%s%s%s", sep, r->causes[k].tag, r->causes[k].accepted ?
				" (accepted)" : "");
			sep = "; ";
		}
		fputc('\n', f);
	}
	/* instances the lab did not start: a row each, saying what to install */
	for (size_t i = 0; i < rep->n_skipped; i++)
		fprintf(f, "%-*s  skipped (%s)\n", w0, rep->skipped[i].name, rep->skipped[i].reason);
	fputs("\n"
	      "pass: every case of the group passed; warn: a gap that fails closed (nothing is\n"
	      "downgraded); fail: a case failed, not safe for DANE; skip: could not be checked.\n"
	      "ready: safe for DANE; not-ready: some group failed; unknown: the probe could not\n"
	      "tell. notes: the diagnosed causes, most serious first; -v gives each resolver's\n"
	      "causes, fixes and evidence.\n", f);
	/* an instance with the package's own configuration, or a --conf file: what it read
	 * and each override of the lab's */
	for (size_t i = 0; i < rep->n; i++) {
		const struct tp_resolver_report *r = &rep->resolvers[i];
		if (strcmp(r->config, "shipped") != 0 && !r->snippet[0])
			continue;
		struct rows o = {0};
		fprintf(f, "\n%s:\n", short_label(r));
		text_config(&o, r, 1);
		put_rows(f, &o, 0);
		rows_free(&o);
	}
	tp_matrix_lab(f, rep); /* the algorithm matrix across the resolvers (matrix.h) */
	return finish(f);
}
