/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* render: text, JSON, Monitoring Plugins and matrix views of a finished report; see
 * render.h. Every function here only prints what the report already holds. */
#include "render.h"
#include "verdict.h"
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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

static void text_case(FILE *f, const struct tp_finding *c, int verbose, int color)
{
	fputs("    ", f);
	put_word(f, tp_status_name(c->status), 1, status_color(c->status), color, 4);
	fprintf(f, "  %s%s%s\n", c->id, c->reason[0] ? ": " : "", c->reason);
	if (verbose && c->detail[0])
		fprintf(f, "          %s\n", c->detail);
}

static void text_resolver(FILE *f, const struct tp_resolver_report *r, int verbose, int color)
{
	if (r->name[0])
		fprintf(f, "%s (%s): ", r->name, r->resolver);
	else
		fprintf(f, "%s: ", r->resolver);
	put_word(f, tp_verdict_name(r->verdict), 1, verdict_color(r->verdict), color, 0);
	fprintf(f, " (dane_ready %s)\n", r->dane_ready ? "yes" : "no");
	if (r->lead[0]) /* the root does not validate: everything else follows from it */
		fprintf(f, "  first: %s\n", r->lead);
	if (r->note[0])
		fprintf(f, "  note: %s\n", r->note);
	if (r->anchor_note[0])
		fprintf(f, "  trust anchor: %s\n", r->anchor_note);
	if (r->verify_note[0])
		fprintf(f, "  note: %s\n", r->verify_note);
	fputs("  root key roll: ", f); /* judged from root-trust alone: needs no test zone */
	put_word(f, tp_verdict_name(r->roll_verdict), 1, verdict_color(r->roll_verdict), color, 0);
	if (r->roll_note[0])
		fprintf(f, " (%s)", r->roll_note);
	fputc('\n', f);
	for (int g = 0; g < TP_G_COUNT; g++) {
		fprintf(f, "  %-10s  ", tp_group_name(g));
		put_word(f, tp_status_name(r->groups[g]), 1, status_color(r->groups[g]), color, 0);
		fputc('\n', f);
		for (size_t i = 0; i < r->n_findings; i++) {
			const struct tp_finding *c = &r->findings[i];
			/* without -v, cases skipped for want of a test zone are only counted
			 * (the report's last line says how many) */
			if ((int)c->group == g && (verbose || (c->status != TP_PASS && !c->no_zone)))
				text_case(f, c, verbose, color);
		}
	}
	fprintf(f, "  %zu passed, %zu warned, %zu failed, %zu skipped\n",
		r->n_pass, r->n_warn, r->n_fail, r->n_skip);
}

int tp_render_text(FILE *f, const struct tp_report *rep, int verbose, int color)
{
	for (size_t i = 0; i < rep->n; i++) {
		if (i > 0)
			fputc('\n', f);
		text_resolver(f, &rep->resolvers[i], verbose, color);
	}
	if (rep->n_skipped_no_zone > 0)
		fprintf(f, "%s%zu %s skipped: no test zone given (--zone or --lab)\n",
			rep->n ? "\n" : "", rep->n_skipped_no_zone,
			rep->n_skipped_no_zone == 1 ? "case" : "cases");
	if (rep->app_checked)
		fprintf(f, "%sapplication path: %s\n", rep->n ? "\n" : "", rep->app_note);
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

static json_t *json_case(const struct tp_finding *c)
{
	json_t *o = json_object();
	int err = !o;

	if (err)
		return NULL;
	err |= put(o, "id", jstr(c->id));
	err |= put(o, "group", json_string(tp_group_name(c->group)));
	err |= put(o, "status", json_string(tp_status_name(c->status)));
	err |= put(o, "reason", jstr(c->reason));
	if (!err && c->verified) /* what the independent validator found (verify.h) */
		err |= put(o, "verified", json_string(c->verified == 1 ? "secure" :
						      c->verified == 2 ? "insecure" : "bogus"));
	if (!err && c->n_ede) { /* the EDE codes the resolver gave (RFC 8914) */
		json_t *e = json_array();
		for (size_t i = 0; e && i < c->n_ede; i++)
			err |= json_array_append_new(e, json_integer(c->ede[i])) != 0;
		err |= !e || put(o, "ede", e);
	}
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *json_resolver(const struct tp_resolver_report *r)
{
	json_t *o = json_object(), *groups = json_object(), *cases = json_array();
	json_t *sum = json_object();
	int err = !o || !groups || !cases || !sum;

	for (int g = 0; !err && g < TP_G_COUNT; g++)
		err |= put(groups, tp_group_name(g), json_string(tp_status_name(r->groups[g])));
	for (size_t i = 0; !err && i < r->n_findings; i++)
		err |= json_array_append_new(cases, json_case(&r->findings[i])) != 0;
	if (!err) {
		err |= put(sum, "pass", json_integer((json_int_t)r->n_pass));
		err |= put(sum, "warn", json_integer((json_int_t)r->n_warn));
		err |= put(sum, "fail", json_integer((json_int_t)r->n_fail));
		err |= put(sum, "skip", json_integer((json_int_t)r->n_skip));
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
	err |= put(o, "groups", groups);
	err |= put(o, "cases", cases);
	err |= put(o, "summary", sum);
	err |= put(o, "duration_s", jseconds(r->duration_s));
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int tp_render_json(FILE *f, const struct tp_report *rep)
{
	json_t *top = json_object(), *list = json_array();
	int err = !top || !list, rc;

	for (size_t i = 0; !err && i < rep->n; i++)
		err |= json_array_append_new(list, json_resolver(&rep->resolvers[i])) != 0;
	if (err) {
		json_decref(top);
		json_decref(list);
		return -1;
	}
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
	if (!err)
		err |= json_dumpf(top, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
				  JSON_REAL_PRECISION(12)) != 0;
	json_decref(top);
	if (!err)
		fputc('\n', f);
	rc = finish(f);
	return err ? -1 : rc;
}

/* ---- Monitoring Plugins ---- */

static const char *const nagios_words[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* Writes s with the characters that would break the status line ('|', newlines) replaced. */
static void put_clean(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '|' ? '/' : (*s == '\n' || *s == '\r') ? ' ' : *s, f);
}

/* Writes "(what: g1, g2)" for the groups of r with status s. */
static void put_groups(FILE *f, const struct tp_resolver_report *r, enum tp_status s)
{
	const char *sep = "";

	fprintf(f, " (%s: ", tp_status_name(s));
	for (int g = 0; g < TP_G_COUNT; g++)
		if (r->groups[g] == s) {
			fprintf(f, "%s%s", sep, tp_group_name(g));
			sep = ", ";
		}
	fputc(')', f);
}

/* "; LABEL not-ready (fail: ...)", "; LABEL unknown (note)" or
 * "; LABEL ready with warnings (warn: ...)"; nothing for a clean ready resolver. */
static void nagios_problem(FILE *f, const struct tp_resolver_report *r)
{
	if (r->verdict == TP_READY && r->n_warn == 0)
		return;
	fputs("; ", f);
	put_clean(f, short_label(r));
	if (r->verdict == TP_NOT_READY) {
		fputs(" not-ready", f);
		put_groups(f, r, TP_FAIL);
	} else if (r->verdict == TP_UNKNOWN) {
		fputs(" unknown (", f);
		put_clean(f, r->note);
		fputc(')', f);
	} else {
		fputs(" ready with warnings", f);
		put_groups(f, r, TP_WARN);
	}
}

static void nagios_perfdata(FILE *f, const struct tp_report *rep)
{
	size_t n[4] = { 0, 0, 0, 0 };
	double rtt = 0;

	for (size_t i = 0; i < rep->n; i++) {
		const struct tp_resolver_report *r = &rep->resolvers[i];
		n[0] += r->n_pass;
		n[1] += r->n_warn;
		n[2] += r->n_fail;
		n[3] += r->n_skip;
		if (r->max_rtt_ms > rtt)
			rtt = r->max_rtt_ms;
	}
	fprintf(f, " | 'passed'=%zu;;;0; 'warned'=%zu;;;0; 'failed'=%zu;;;0; "
		"'skipped'=%zu;;;0; 'duration'=%.3fs;;;0; 'rtt'=%.1fms;;;0;\n",
		n[0], n[1], n[2], n[3], rep->duration_s, rtt);
}

int tp_render_nagios(FILE *f, const struct tp_report *rep)
{
	int status = tp_nagios_status(rep);
	size_t ready = 0;

	for (size_t i = 0; i < rep->n; i++)
		ready += rep->resolvers[i].verdict == TP_READY;
	size_t roll = 0;
	for (size_t i = 0; i < rep->n; i++)
		roll += rep->resolvers[i].roll_verdict == TP_READY;
	/* the status judges DANE readiness; the roll verdict is reported beside it */
	fprintf(f, "TRUSTPROBE %s - %zu of %zu %s ready for DANE, %zu for the root key roll",
		nagios_words[status], ready, rep->n, rep->n == 1 ? "resolver" : "resolvers", roll);
	for (size_t i = 0; i < rep->n; i++)
		nagios_problem(f, &rep->resolvers[i]);
	nagios_perfdata(f, rep);
	return finish(f) ? -1 : status;
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
	fputs("  verdict\n", f);
	for (size_t i = 0; i < rep->n; i++) {
		const struct tp_resolver_report *r = &rep->resolvers[i];
		fprintf(f, "%-*s", w0, short_label(r));
		for (int g = 0; g < TP_G_COUNT; g++) {
			fputs("  ", f);
			put_word(f, tp_status_name(r->groups[g]), 0, status_color(r->groups[g]),
				 color, (int)strlen(tp_group_name(g)));
		}
		fputs("  ", f);
		put_word(f, tp_verdict_name(r->verdict), 0, verdict_color(r->verdict), color, 0);
		fputc('\n', f);
	}
	/* instances the lab did not start: a row each, saying what to install */
	for (size_t i = 0; i < rep->n_skipped; i++)
		fprintf(f, "%-*s  skipped (%s)\n", w0, rep->skipped[i].name, rep->skipped[i].reason);
	return finish(f);
}
