/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* prom: see prom.h. Status and verdict gauges carry the order of enum tp_status and enum
 * tp_verdict, so that "worse" is "larger" in a graph and in an alert rule. */
#include "prom.h"
#include <string.h>

/* A label value with backslash, double quote and line feed escaped (the format's rule). */
static void label_value(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f), fputc(*s, f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* "NAME{resolver="R"" (the caller closes the braces). */
static void sample_start(FILE *f, const char *name, const struct tp_brief *b)
{
	fprintf(f, "%s{resolver=", name);
	label_value(f, b->resolver);
}

/* One gauge per resolver, of the value get() gives; resolvers for which has() is 0 have
 * no sample (not measured). */
static void per_resolver(FILE *f, const char *name, const char *help, const struct tp_brief *b,
			 size_t n, double (*get)(const struct tp_brief *),
			 int (*has)(const struct tp_brief *))
{
	family(f, name, help);
	for (size_t i = 0; i < n; i++) {
		if (has && !has(&b[i]))
			continue;
		sample_start(f, name, &b[i]);
		fprintf(f, "} %.17g\n", get(&b[i]));
	}
}

static double verdict(const struct tp_brief *b) { return b->verdict; }
static double dane_ready(const struct tp_brief *b) { return b->dane_ready; }
static double roll_verdict(const struct tp_brief *b) { return b->roll_verdict; }
static double roll_ready(const struct tp_brief *b) { return b->roll_ready; }
static double duration(const struct tp_brief *b) { return (double)(long long)(b->duration_s * 1000 + 0.5) / 1000; }
static double rtt(const struct tp_brief *b) { return (double)(long long)(b->max_rtt_ms * 10 + 0.5) / 10000; }
static double state(const struct tp_brief *b) { return b->state; }
static int probed(const struct tp_brief *b) { return b->probed; }
static int answered(const struct tp_brief *b) { return b->probed && b->answered; }

int tp_render_prometheus(FILE *f, const struct tp_brief *b, size_t n,
			 const struct tp_brief_cases *cases, const struct tp_prom_run *run)
{
	per_resolver(f, "trustprobe_verdict", "DANE verdict of the resolver: 0 ready, 1 not-ready, "
		     "2 unknown.", b, n, verdict, NULL);
	per_resolver(f, "trustprobe_dane_ready", "1 when a mail server can trust the resolver for "
		     "DANE, else 0.", b, n, dane_ready, NULL);
	per_resolver(f, "trustprobe_roll_verdict", "Root key roll verdict of the resolver: 0 ready, "
		     "1 not-ready, 2 unknown.", b, n, roll_verdict, NULL);
	per_resolver(f, "trustprobe_roll_ready", "1 when the resolver trusts the root key in force "
		     "and is ready for the next published step, else 0.", b, n, roll_ready, NULL);
	per_resolver(f, "trustprobe_plugin_state", "What the Monitoring Plugins mode would say "
		     "(thresholds aside): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.", b, n, state, NULL);
	per_resolver(f, "trustprobe_duration_seconds", "Wall time of the resolver's probe.", b, n,
		     duration, probed);
	per_resolver(f, "trustprobe_rtt_max_seconds", "Slowest answer of the resolver (only "
		     "resolvers that answered).", b, n, rtt, answered);
	family(f, "trustprobe_group_status", "Status of a group of cases: 0 pass, 1 warn, 2 fail, "
	       "3 skip.");
	for (size_t i = 0; i < n; i++) {
		if (!b[i].probed)
			continue;
		for (int g = 0; g < TP_G_COUNT; g++) {
			sample_start(f, "trustprobe_group_status", &b[i]);
			fprintf(f, ",group=\"%s\"} %d\n", tp_group_name(g), (int)b[i].groups[g]);
		}
	}
	family(f, "trustprobe_case_status", "Status of one case: 0 pass, 1 warn, 2 fail, 3 skip.");
	for (size_t i = 0; i < n; i++) {
		if (!b[i].probed || !b[i].status || !cases || b[i].n_cases != cases->n)
			continue;
		for (size_t k = 0; k < b[i].n_cases; k++) {
			sample_start(f, "trustprobe_case_status", &b[i]);
			fprintf(f, ",group=\"%s\",case=", tp_group_name(cases->group[k]));
			label_value(f, cases->id[k]);
			fprintf(f, "} %d\n", (int)b[i].status[k]);
		}
	}
	if (run->roll_event) {
		family(f, "trustprobe_root_key_event_days", "Whole days left before the next "
		       "published root key event (the real root's calendar).");
		fprintf(f, "trustprobe_root_key_event_days %ld\n", run->roll_days);
	}
	family(f, "trustprobe_resolvers", "Resolvers in the run.");
	fprintf(f, "trustprobe_resolvers %zu\n", n);
	family(f, "trustprobe_run_timestamp_seconds", "When the run started (seconds since the "
	       "epoch): a stale textfile shows here.");
	fprintf(f, "trustprobe_run_timestamp_seconds %lld\n", run->started);
	family(f, "trustprobe_run_duration_seconds", "Wall time of the whole run.");
	fprintf(f, "trustprobe_run_duration_seconds %.3f\n", run->duration_s);
	return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

int tp_render_prometheus_report(FILE *f, const struct tp_report *rep,
				const struct tp_prom_run *run)
{
	struct tp_brief *b;
	struct tp_brief_cases c;
	if (tp_briefs_of(rep, 0, &b, &c) != 0)
		return -1;
	int rc = tp_render_prometheus(f, b, rep->n, &c, run);
	tp_briefs_free(b, rep->n, &c);
	return rc;
}
