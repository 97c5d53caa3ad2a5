/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* plugin: see plugin.h. */
#include "plugin.h"
#include "verdict.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_TEXT 79 /* the status line before " | ", where it can be kept there */

static const char *const state_words[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

void tp_plugin_defaults(struct tp_plugin_opts *o)
{
	memset(o, 0, sizeof *o);
	tp_range_parse("30:", &o->warn[TP_TH_ROLL_DAYS]);
	tp_range_parse("7:", &o->crit[TP_TH_ROLL_DAYS]);
}

int tp_plugin_thresholds(struct tp_plugin_opts *o, int crit, const char *s, char *err,
			 size_t errlen)
{
	struct tp_range r[TP_TH_N];
	char why[200];
	if (tp_range_list_parse(s, r, TP_TH_N, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s wants DURATION[,DAYS] as ranges ([@][START:][END]): %s",
			 crit ? "-c" : "-w", why);
		return -1;
	}
	struct tp_range *dst = crit ? o->crit : o->warn;
	for (int i = 0; i < TP_TH_N; i++)
		if (r[i].set)
			dst[i] = r[i];
	return 0;
}

/* Copies s into out without the characters that would break the plugin output. */
static void clean(char *out, size_t len, const char *s)
{
	size_t i = 0;
	for (; *s && i + 1 < len; s++)
		out[i++] = *s == '|' ? '/' : (*s == '\n' || *s == '\r' || *s == '\t') ? ' ' : *s;
	out[i] = '\0';
}

/* Shortens s to at most max characters, at a blank, ending in "...". */
static void fit(char *s, size_t max)
{
	if (strlen(s) <= max || max < 8)
		return;
	size_t cut = max - 3;
	while (cut > max / 2 && s[cut] != ' ')
		cut--;
	if (s[cut] != ' ')
		cut = max - 3;
	while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == ':' || s[cut - 1] == ',' ||
			   s[cut - 1] == ';'))
		cut--;
	memcpy(s + cut, "...", 4);
}

/* What a resolver ready for DANE is told about the root key roll. */
static const char *roll_words(const struct tp_brief *b)
{
	switch (b->roll_verdict) {
	case TP_READY: return " and the root key roll";
	case TP_NOT_READY: return ", not for the root key roll";
	default: return "; root key roll unknown";
	}
}

int tp_plugin_state(const struct tp_brief *b, const struct tp_plugin_opts *o, char *why,
		    size_t whylen)
{
	char buf[300], clean_why[200];
	int st = b->probed ? b->state : 3;
	clean(clean_why, sizeof clean_why, b->why);
	if (st == 0 && b->n_accepted)
		snprintf(buf, sizeof buf, "ready for DANE%s; %zu accepted", roll_words(b),
			 b->n_accepted);
	else if (st == 0)
		snprintf(buf, sizeof buf, "ready for DANE%s", roll_words(b));
	else if (b->verdict == TP_READY)
		snprintf(buf, sizeof buf, "ready with warnings: %s", clean_why);
	else
		snprintf(buf, sizeof buf, "%s", clean_why[0] ? clean_why : tp_verdict_name(b->verdict));
	/* the thresholds raise the state, never lower it; the words follow the worst part */
	if (b->probed) {
		int d = tp_range_alert(&o->crit[TP_TH_DURATION], b->duration_s) ? 2
			: tp_range_alert(&o->warn[TP_TH_DURATION], b->duration_s) ? 1 : 0;
		if (d && tp_nagios_worst(st, d) != st) {
			snprintf(buf, sizeof buf, "the probe took %.1f s (%s %s)", b->duration_s,
				 d == 2 ? "-c" : "-w", d == 2 ? o->crit[TP_TH_DURATION].text
							 : o->warn[TP_TH_DURATION].text);
			st = d;
		}
	}
	if (b->probed && o->roll_event && b->roll_verdict == TP_NOT_READY) {
		int r = tp_range_alert(&o->crit[TP_TH_ROLL_DAYS], (double)o->roll_days) ? 2
			: tp_range_alert(&o->warn[TP_TH_ROLL_DAYS], (double)o->roll_days) ? 1 : 0;
		if (r && tp_nagios_worst(st, r) != st) {
			snprintf(buf, sizeof buf, "not ready for the root key event in %ld days (%s)",
				 o->roll_days, o->roll_date);
			st = r;
		}
	}
	if (why)
		snprintf(why, whylen, "%s", buf);
	return st;
}

/* Severity order for the status line: CRITICAL, WARNING, UNKNOWN, OK. */
static int severity(int st)
{
	static const int rank[4] = {3, 1, 0, 2};
	return st >= 0 && st <= 3 ? rank[st] : 2;
}

/* The text of the status line (after "TRUSTPROBE STATE - "). */
static void status_text(char *out, size_t len, const struct tp_brief *b, size_t n,
			const int *st, char (*why)[300], size_t room)
{
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += st[i] != 0;
	if (n == 1) {
		if (st[0] == 0)
			snprintf(out, len, "%s %s", b[0].resolver, why[0]);
		else
			snprintf(out, len, "%s: %s", b[0].resolver, why[0]);
		fit(out, room);
		return;
	}
	size_t off;
	if (bad == 0) {
		size_t roll = 0;
		for (size_t i = 0; i < n; i++)
			roll += b[i].roll_verdict == TP_READY;
		off = (size_t)snprintf(out, len, "%zu resolvers ready for DANE (%zu for the root key "
				       "roll):", n, roll);
		for (size_t i = 0; i < n && off < len; i++)
			off += (size_t)snprintf(out + off, len - off, "%s %s", i ? "," : "",
						b[i].resolver);
		fit(out, room);
		return;
	}
	off = (size_t)snprintf(out, len, "%zu of %zu resolvers not OK:", bad, n);
	/* the worst first, then in the order given */
	for (int level = 0; level < 3; level++)
		for (size_t i = 0; i < n && off < len; i++)
			if (st[i] != 0 && severity(st[i]) == level)
				off += (size_t)snprintf(out + off, len - off, "%s %s: %s",
							off > 0 && out[off - 1] == ':' ? "" : ";",
							b[i].resolver, why[i]);
	fit(out, room);
}

static void perf_label(FILE *f, const char *resolver, const char *what)
{
	fprintf(f, " '%s %s'=", resolver, what);
}

/* One resolver's perfdata: duration (thresholds -w/-c), rtt when something answered, the
 * case counts, and the days left while it is not ready for the next root key event. */
static void perfdata(FILE *f, const struct tp_brief *b, const struct tp_plugin_opts *o)
{
	if (!b->probed)
		return; /* nothing was measured */
	size_t total = b->n_pass + b->n_warn + b->n_fail + b->n_skip;
	perf_label(f, b->resolver, "duration");
	fprintf(f, "%.3fs;%s;%s;0;", b->duration_s, o->warn[TP_TH_DURATION].text,
		o->crit[TP_TH_DURATION].text);
	if (o->timeout > 0)
		fprintf(f, "%g", o->timeout);
	if (b->answered) {
		perf_label(f, b->resolver, "rtt");
		fprintf(f, "%.1fms;;;0;", b->max_rtt_ms);
	}
	static const char *const what[] = {"passed", "warned", "failed", "skipped"};
	const size_t v[] = {b->n_pass, b->n_warn, b->n_fail, b->n_skip};
	for (int k = 0; k < 4; k++) {
		perf_label(f, b->resolver, what[k]);
		fprintf(f, "%zu;;;0;%zu", v[k], total);
	}
	if (o->roll_event && b->roll_verdict == TP_NOT_READY) {
		perf_label(f, b->resolver, "roll_days");
		fprintf(f, "%ld;%s;%s;0;", o->roll_days, o->warn[TP_TH_ROLL_DAYS].text,
			o->crit[TP_TH_ROLL_DAYS].text);
	}
}

/* -v: a line per resolver, then its warn and fail cases (-vv: and their queries). */
static void long_output(FILE *f, const struct tp_brief *b, const int *st, char (*why)[300],
			const struct tp_brief_cases *cases, const struct tp_plugin_opts *o)
{
	char buf[TP_REASON_MAX + TP_DETAIL_MAX];
	clean(buf, sizeof buf, b->name);
	fprintf(f, "%s%s%s%s: %s - %s (dane_ready %s), root key roll %s: %s\n", b->resolver,
		buf[0] ? " (" : "", buf, buf[0] ? ")" : "", state_words[*st],
		tp_verdict_name(b->verdict), b->dane_ready ? "yes" : "no",
		tp_verdict_name(b->roll_verdict), *why);
	if (b->roll_note[0] && b->roll_verdict != TP_READY) {
		clean(buf, sizeof buf, b->roll_note);
		fprintf(f, "  root key roll: %s\n", buf);
	}
	for (size_t i = 0; i < b->n_issues; i++) {
		const struct tp_brief_issue *x = &b->issues[i];
		char w[8];
		snprintf(w, sizeof w, "%s", tp_status_name(x->status));
		for (char *p = w; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		clean(buf, sizeof buf, x->reason ? x->reason : "");
		fprintf(f, "  %s %s: %s%s\n", w, cases && x->k < cases->n ? cases->id[x->k] : "?",
			buf, x->accepted ? " [accepted]" : "");
		if (o->verbose >= 2 && x->detail) {
			clean(buf, sizeof buf, x->detail);
			fprintf(f, "    %s\n", buf);
		}
	}
}

int tp_render_plugin(FILE *f, const struct tp_brief *b, size_t n,
		     const struct tp_brief_cases *cases, const struct tp_plugin_opts *o)
{
	int *st = calloc(n ? n : 1, sizeof *st);
	char (*why)[300] = calloc(n ? n : 1, sizeof *why);
	if (!st || !why) {
		free(st);
		free(why);
		return tp_plugin_unknown(f, "out of memory");
	}
	int worst = n ? 0 : 3;
	for (size_t i = 0; i < n; i++) {
		st[i] = tp_plugin_state(&b[i], o, why[i], sizeof why[i]);
		worst = tp_nagios_worst(worst, st[i]);
	}
	char head[64], text[4096];
	int hl = snprintf(head, sizeof head, "TRUSTPROBE %s - ", state_words[worst]);
	if (n == 0)
		snprintf(text, sizeof text, "no resolver was probed");
	else
		status_text(text, sizeof text, b, n, st, why, LINE_MAX_TEXT - (size_t)hl);
	char *perf = NULL;
	size_t perflen = 0;
	FILE *pf = open_memstream(&perf, &perflen);
	for (size_t i = 0; pf && i < n; i++)
		perfdata(pf, &b[i], o);
	if (pf)
		fclose(pf);
	/* no '|' at all when nothing was measured */
	fprintf(f, "%s%s%s%s\n", head, text, perflen ? " |" : "", perflen ? perf : "");
	free(perf);
	for (size_t i = 0; o->verbose && i < n; i++)
		long_output(f, &b[i], &st[i], &why[i], cases, o);
	free(st);
	free(why);
	return fflush(f) != 0 || ferror(f) ? -1 : worst;
}

int tp_plugin_unknown(FILE *f, const char *msg)
{
	char buf[1024];
	clean(buf, sizeof buf, msg);
	fprintf(f, "TRUSTPROBE UNKNOWN - %s\n", buf);
	fflush(f);
	return 3;
}

int tp_render_nagios(FILE *f, const struct tp_report *rep, const struct tp_plugin_opts *o)
{
	struct tp_brief *b;
	struct tp_brief_cases c;
	if (tp_briefs_of(rep, o->verbose, &b, &c) != 0)
		return tp_plugin_unknown(f, "out of memory");
	int st = tp_render_plugin(f, b, rep->n, &c, o);
	tp_briefs_free(b, rep->n, &c);
	return st;
}
