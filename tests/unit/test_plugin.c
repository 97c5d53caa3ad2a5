/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* test_plugin: the Monitoring Plugins output (plugin.c) and the Prometheus exposition
 * (prom.c) on recorded findings of real resolvers (tests/unit/data/findings): the range
 * syntax of the guidelines, -w/-c, the state of each kind of resolver (a forgery is
 * CRITICAL, a silent or refusing server CRITICAL, an unanswered essential case WARNING,
 * what the probe could not do UNKNOWN), the status line naming the resolver and the first
 * cause in under 80 characters, perfdata per resolver in the guidelines' syntax with no
 * figure for what was not measured, -v/-vv long output, the days before the next root key
 * event, and the text exposition format's rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "diagnose.h"
#include "findings.h"
#include "plugin.h"
#include "prom.h"
#include "verdict.h"
#include <regex.h>

/* A recorded resolver, judged and diagnosed as the probe does. */
static void judged(const char *name, struct tp_resolver_report *r)
{
	load_recording(name, 1, r);
	tp_verdict_compute(r);
	tp_diagnose(r);
}

/* Renders the plugin output of rs[0..n) with o into a malloc'd string; *st the state. */
static char *plugin(struct tp_resolver_report *rs, size_t n, const struct tp_plugin_opts *o,
		    int *st)
{
	struct tp_report rep = {.n = n, .resolvers = rs};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	*st = tp_render_nagios(f, &rep, o);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void free_all(struct tp_resolver_report *rs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rs[i].findings);
}

/* The status line: the text before " |" (or the whole first line). */
static size_t text_len(const char *out)
{
	const char *nl = strchr(out, '\n'), *bar = strstr(out, " |");
	return (size_t)((bar && bar < nl ? bar : nl) - out);
}

/* Every perfdata token of the first line matches the guidelines' syntax. */
static void perfdata_syntax(const char *out)
{
	regex_t re;
	assert_int_equal(regcomp(&re, "^'[^'=]+'=-?[0-9.]+(s|ms|%|B|KB|MB|TB|c)?"
				 "(;[@~0-9.:-]*){0,4}$", REG_EXTENDED | REG_NOSUB), 0);
	const char *bar = strchr(out, '|'), *nl = strchr(out, '\n');
	assert_non_null(bar);
	char line[8192];
	snprintf(line, sizeof line, "%.*s", (int)(nl - bar - 1), bar + 1);
	size_t n = 0;
	/* tokens are separated by blanks outside quotes */
	for (char *p = line; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		char *q = p;
		int quoted = 0;
		while (*q && (quoted || *q != ' ')) {
			quoted ^= *q == '\'';
			q++;
		}
		char tok[512];
		snprintf(tok, sizeof tok, "%.*s", (int)(q - p), p);
		if (regexec(&re, tok, 0, NULL, 0) != 0)
			fail_msg("perfdata token '%s' does not follow the syntax", tok);
		n++;
		p = q;
	}
	assert_true(n > 0);
	regfree(&re);
}

/* ---- ranges ---- */

static void ranges(void **state)
{
	(void)state;
	static const struct {
		const char *range;
		double v;
		int alert;
	} t[] = {
		{"10", -1, 1}, {"10", 0, 0}, {"10", 10, 0}, {"10", 10.5, 1},
		{"10:", 9.9, 1}, {"10:", 10, 0}, {"10:", 1e9, 0},
		{"~:10", -1e9, 0}, {"~:10", 11, 1},
		{"10:20", 9, 1}, {"10:20", 15, 0}, {"10:20", 21, 1},
		{"@10:20", 9, 0}, {"@10:20", 10, 1}, {"@10:20", 20, 1}, {"@10:20", 21, 0},
		{"30:", 29, 1}, {"7:", 7, 0}, {"0.5", 0.6, 1},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct tp_range r;
		assert_int_equal(tp_range_parse(t[i].range, &r), 0);
		if (tp_range_alert(&r, t[i].v) != t[i].alert)
			fail_msg("range %s, value %g: alert should be %d", t[i].range, t[i].v, t[i].alert);
	}
	static const char *const bad[] = {"20:10", "x", "1:2:3", "@", "~", "10s", "1,2"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct tp_range r;
		if (tp_range_parse(bad[i], &r) == 0)
			fail_msg("'%s' parsed as a range", bad[i]);
	}
	struct tp_range none;
	assert_int_equal(tp_range_parse("", &none), 0);
	assert_false(none.set);
	assert_false(tp_range_alert(&none, 1e9));
}

static void thresholds(void **state)
{
	(void)state;
	struct tp_plugin_opts o;
	char err[256];
	tp_plugin_defaults(&o);
	assert_string_equal(o.warn[TP_TH_ROLL_DAYS].text, "30:");
	assert_string_equal(o.crit[TP_TH_ROLL_DAYS].text, "7:");
	assert_false(o.warn[TP_TH_DURATION].set);
	assert_int_equal(tp_plugin_thresholds(&o, 0, "5", err, sizeof err), 0);
	assert_string_equal(o.warn[TP_TH_DURATION].text, "5");
	assert_string_equal(o.warn[TP_TH_ROLL_DAYS].text, "30:"); /* left out: the default */
	assert_int_equal(tp_plugin_thresholds(&o, 1, ",14:", err, sizeof err), 0);
	assert_false(o.crit[TP_TH_DURATION].set);
	assert_string_equal(o.crit[TP_TH_ROLL_DAYS].text, "14:");
	assert_int_equal(tp_plugin_thresholds(&o, 1, "8,3:", err, sizeof err), 0);
	assert_string_equal(o.crit[TP_TH_DURATION].text, "8");
	assert_int_equal(tp_plugin_thresholds(&o, 0, "fast", err, sizeof err), -1);
	assert_string_equal(err, "-w wants DURATION[,DAYS] as ranges ([@][START:][END]): 'fast' "
			    "is not a range ([@][START:][END], START <= END)");
	assert_int_equal(tp_plugin_thresholds(&o, 1, "1,2,3", err, sizeof err), -1);
	assert_non_null(strstr(err, "more than 2 ranges"));
}

/* ---- the state and the status line of each kind of resolver ---- */

static void one(const char *name, int want_st, const char *want_line)
{
	struct tp_resolver_report r;
	struct tp_plugin_opts o;
	int st;
	tp_plugin_defaults(&o);
	judged(name, &r);
	char *out = plugin(&r, 1, &o, &st);
	if (st != want_st)
		fail_msg("%s: state %d, not %d: %s", name, st, want_st, out);
	if (strncmp(out, want_line, strlen(want_line)) != 0 || out[strlen(want_line)] != ' ')
		fail_msg("%s:\n got  %.*s\n want %s", name, (int)text_len(out), out, want_line);
	assert_true(text_len(out) < 80);
	perfdata_syntax(out);
	assert_null(strchr(strchr(out, '\n') + 1, '\n')); /* one line without -v */
	free(out);
	free(r.findings);
}

static void states(void **state)
{
	(void)state;
	one("pdns-recursor", 2, "TRUSTPROBE CRITICAL - 127.53.1.3: forged denials get through: "
	    "A3 B3 D4 E1");
	one("unbound-novalidate", 2, "TRUSTPROBE CRITICAL - 127.53.1.6: DNSSEC validation is off: "
	    "bogus data is...");
	/* nothing listens: unreachable is CRITICAL, as the guidelines ask, not UNKNOWN */
	one("closed-port", 2, "TRUSTPROBE CRITICAL - 127.53.2.2: the resolver does not answer: no "
	    "answer...");
	/* an authoritative server answers, but not as a resolver: CRITICAL too */
	one("nsd-refused", 2, "TRUSTPROBE CRITICAL - 127.53.0.4: the server answers REFUSED: it "
	    "is not a...");
	one("nsd-root", 2, "TRUSTPROBE CRITICAL - 127.53.0.1: not a recursive resolver: RA is "
	    "clear in...");
	/* BIND answers everything but B2 within the limit: it fails closed, WARNING */
	one("bind", 1, "TRUSTPROBE WARNING - 127.53.1.2: an essential case could not be judged "
	    "(B2)...");
}

static void ready_and_accepted(void **state)
{
	(void)state;
	struct tp_resolver_report r;
	struct tp_plugin_opts o;
	int st;
	tp_plugin_defaults(&o);
	judged("bind", &r);
	find(&r, "denial.atk-b2-child-apex-nsec-denies-ds")->status = TP_PASS;
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	char *out = plugin(&r, 1, &o, &st);
	assert_int_equal(st, 0);
	assert_int_equal(strncmp(out, "TRUSTPROBE OK - 127.53.1.2 ready for DANE and the root key "
				 "roll | '127.53.1.2 duration'=", 87), 0);
	free(out);
	find(&r, "validation.dname")->status = TP_WARN;
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	out = plugin(&r, 1, &o, &st);
	assert_int_equal(st, 1);
	assert_int_equal(strncmp(out, "TRUSTPROBE WARNING - 127.53.1.2: ready with warnings: ", 54), 0);
	free(out);
	free(r.findings);
}

/* A report the probe could not complete for its own reasons is UNKNOWN: no test zone, a
 * local failure. */
static void unknown_is_the_probes(void **state)
{
	(void)state;
	struct tp_resolver_report r;
	struct tp_plugin_opts o;
	int st;
	tp_plugin_defaults(&o);
	judged("unbound", &r);
	snprintf(r.local_note, sizeof r.local_note, "93 of 111 queries could not be sent for a "
		 "local reason (68 cases not run): UDP socket: Too many open files");
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	char *out = plugin(&r, 1, &o, &st);
	assert_int_equal(st, 3);
	assert_int_equal(strncmp(out, "TRUSTPROBE UNKNOWN - 127.53.1.1: ", 33), 0);
	free(out);
	r.local_note[0] = '\0';
	snprintf(r.zone_note, sizeof r.zone_note, "test zone nonexistent.example. not found");
	r.zone_fault = 1;
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	out = plugin(&r, 1, &o, &st);
	assert_int_equal(st, 3);
	free(out);
	/* a zone that could not be reached through the resolver is the resolver's doing */
	r.zone_fault = 0;
	tp_verdict_compute(&r);
	assert_int_equal(tp_nagios_state(&r), 1);
	free(r.findings);
}

/* ---- perfdata ---- */

static void perfdata_per_resolver(void **state)
{
	(void)state;
	struct tp_resolver_report r[2];
	struct tp_plugin_opts o;
	char err[128];
	int st;
	tp_plugin_defaults(&o);
	o.timeout = 10;
	assert_int_equal(tp_plugin_thresholds(&o, 0, "5", err, sizeof err), 0);
	assert_int_equal(tp_plugin_thresholds(&o, 1, "8", err, sizeof err), 0);
	judged("pdns-recursor", &r[0]);
	judged("closed-port", &r[1]);
	r[0].duration_s = 1.5;
	r[0].answered = 1;
	r[0].max_rtt_ms = 12.25;
	char *out = plugin(r, 2, &o, &st);
	assert_int_equal(st, 2);
	perfdata_syntax(out);
	assert_non_null(strstr(out, " '127.53.1.3 duration'=1.500s;5;8;0;10 '127.53.1.3 rtt'=12.2ms;;;0; "
			       "'127.53.1.3 passed'="));
	assert_non_null(strstr(out, " '127.53.2.2 duration'="));
	assert_non_null(strstr(out, " '127.53.2.2 skipped'="));
	assert_null(strstr(out, "'127.53.2.2 rtt'")); /* nothing answered: no figure */
	assert_null(strstr(out, "'passed'=")); /* never summed across resolvers */
	assert_true(text_len(out) < 80);
	assert_int_equal(strncmp(out, "TRUSTPROBE CRITICAL - 2 of 2 resolvers not OK: 127.53.1.3: ", 58), 0);
	free(out);
	free_all(r, 2);
}

/* -w/-c on the probe's duration raise the state and say so. */
static void duration_thresholds(void **state)
{
	(void)state;
	struct tp_resolver_report r;
	struct tp_plugin_opts o;
	char err[128];
	int st;
	judged("bind", &r);
	find(&r, "denial.atk-b2-child-apex-nsec-denies-ds")->status = TP_PASS;
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	r.duration_s = 6.25;
	tp_plugin_defaults(&o);
	assert_int_equal(tp_plugin_thresholds(&o, 0, "5", err, sizeof err), 0);
	char *out = plugin(&r, 1, &o, &st);
	assert_int_equal(st, 1);
	assert_int_equal(strncmp(out, "TRUSTPROBE WARNING - 127.53.1.2: the probe took 6.2 s (-w 5) |", 62), 0);
	free(out);
	assert_int_equal(tp_plugin_thresholds(&o, 1, "@6:7", err, sizeof err), 0);
	out = plugin(&r, 1, &o, &st);
	assert_int_equal(st, 2);
	assert_non_null(strstr(out, "(-c @6:7)"));
	free(out);
	free(r.findings);
}

/* While a resolver is not ready for the root key roll, the days left before the next
 * published event decide: WARNING below 30, CRITICAL below 7 by default. */
static void roll_days(void **state)
{
	(void)state;
	struct tp_brief b = {.probed = 1, .verdict = TP_READY, .roll_verdict = TP_NOT_READY,
			     .dane_ready = 1, .state = 0, .n_pass = 3};
	snprintf(b.resolver, sizeof b.resolver, "192.0.2.53");
	struct tp_plugin_opts o;
	char why[300];
	tp_plugin_defaults(&o);
	o.roll_event = 1;
	snprintf(o.roll_date, sizeof o.roll_date, "2027-01-11");
	static const struct {
		long days;
		int st;
	} t[] = {{41, 0}, {30, 0}, {29, 1}, {7, 1}, {6, 2}, {0, 2}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		o.roll_days = t[i].days;
		if (tp_plugin_state(&b, &o, why, sizeof why) != t[i].st)
			fail_msg("%ld days: not state %d (%s)", t[i].days, t[i].st, why);
	}
	o.roll_days = 6;
	tp_plugin_state(&b, &o, why, sizeof why);
	assert_string_equal(why, "not ready for the root key event in 6 days (2027-01-11)");
	b.roll_verdict = TP_READY; /* ready for it: the days say nothing */
	assert_int_equal(tp_plugin_state(&b, &o, why, sizeof why), 0);
	b.roll_verdict = TP_NOT_READY;
	o.roll_event = 0; /* the lab's root has no calendar */
	assert_int_equal(tp_plugin_state(&b, &o, why, sizeof why), 0);
	/* the perfdata carry the days only while it is not ready */
	o.roll_event = 1;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(tp_render_plugin(f, &b, 1, NULL, &o), 2);
	fclose(f);
	assert_non_null(strstr(buf, " '192.0.2.53 roll_days'=6;30:;7:;0;\n"));
	perfdata_syntax(buf);
	free(buf);
}

/* -v: a line per resolver and each warn and fail case; -vv: with its queries. */
static void long_output(void **state)
{
	(void)state;
	struct tp_resolver_report r;
	struct tp_plugin_opts o;
	int st;
	tp_plugin_defaults(&o);
	judged("pdns-recursor", &r);
	strcpy(find(&r, "denial.atk-a3-wildcard-cname-onto-tlsa")->detail, "query a3 TLSA: NOERROR");
	o.verbose = 1;
	char *out = plugin(&r, 1, &o, &st);
	const char *l2 = strchr(out, '\n') + 1;
	assert_int_equal(strncmp(l2, "127.53.1.3 (pdns-recursor): CRITICAL - not-ready (dane_ready no)", 64), 0);
	assert_non_null(strstr(out, "\n  FAIL denial.atk-a3-wildcard-cname-onto-tlsa: "));
	assert_non_null(strstr(out, "\n  WARN ad-path.bogus-no-do: "));
	assert_null(strstr(out, "PASS"));
	assert_null(strstr(out, "query a3 TLSA"));
	assert_int_equal(strchr(out, '|') - out, (long)text_len(out) + 1); /* perfdata on line 1 */
	free(out);
	o.verbose = 2;
	out = plugin(&r, 1, &o, &st);
	assert_non_null(strstr(out, "\n    query a3 TLSA: NOERROR\n"));
	free(out);
	free(r.findings);
}

/* A reason with '|' or a newline cannot break the output. */
static void one_line_whatever_the_text(void **state)
{
	(void)state;
	struct tp_resolver_report r;
	struct tp_plugin_opts o;
	int st;
	tp_plugin_defaults(&o);
	judged("closed-port", &r);
	snprintf(r.causes[0].title, sizeof r.causes[0].title, "odd | reply\nsecond line");
	char *out = plugin(&r, 1, &o, &st);
	assert_non_null(strstr(out, "odd / reply second line"));
	assert_ptr_equal(strchr(out, '|'), strrchr(out, '|'));
	assert_int_equal(strchr(out, '\n')[1], '\0');
	free(out);
	free(r.findings);
}

/* ---- Prometheus ---- */

static void prometheus(void **state)
{
	(void)state;
	struct tp_resolver_report r[2];
	judged("unbound", &r[0]);
	judged("closed-port", &r[1]);
	snprintf(r[1].resolver, sizeof r[1].resolver, "odd\"\\name");
	r[0].answered = 1;
	r[0].max_rtt_ms = 250;
	r[0].duration_s = 0.1234;
	struct tp_report rep = {.n = 2, .resolvers = r};
	struct tp_prom_run run = {.started = 1796083200, .duration_s = 1.5, .roll_event = 1,
				  .roll_days = 41};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(tp_render_prometheus_report(f, &rep, &run), 0);
	fclose(f);
	regex_t sample;
	assert_int_equal(regcomp(&sample, "^([a-z_]+)(\\{[a-z_]+=\"([^\"\\\\]|\\\\.)*\""
				 "(,[a-z_]+=\"([^\"\\\\]|\\\\.)*\")*\\})? -?[0-9.e+-]+$",
				 REG_EXTENDED), 0);
	char seen[64][64];
	size_t nseen = 0, nsamples = 0;
	char current[64] = "";
	for (char *line = buf, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		char name[64];
		if (sscanf(line, "# HELP %63s", name) == 1) {
			for (size_t k = 0; k < nseen; k++)
				if (strcmp(seen[k], name) == 0)
					fail_msg("family %s appears twice", name);
			snprintf(seen[nseen++], sizeof seen[0], "%s", name);
			snprintf(current, sizeof current, "%s", name);
			continue;
		}
		if (sscanf(line, "# TYPE %63s", name) == 1) {
			assert_string_equal(name, current);
			assert_non_null(strstr(line, " gauge"));
			continue;
		}
		regmatch_t m[2];
		if (regexec(&sample, line, 2, m, 0) != 0)
			fail_msg("not a sample: '%s'", line);
		if (strncmp(line, current, strlen(current)) || (line[strlen(current)] != '{' &&
								line[strlen(current)] != ' '))
			fail_msg("sample '%s' outside its family %s", line, current);
		nsamples++;
	}
	regfree(&sample);
	free(buf);
	f = open_memstream(&buf, &len);
	assert_int_equal(tp_render_prometheus_report(f, &rep, &run), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\ntrustprobe_verdict{resolver=\"127.53.1.1\"} 1\n"));
	assert_non_null(strstr(buf, "\ntrustprobe_verdict{resolver=\"odd\\\"\\\\name\"} 2\n"));
	assert_non_null(strstr(buf, "\ntrustprobe_rtt_max_seconds{resolver=\"127.53.1.1\"} 0.25\n"));
	assert_null(strstr(buf, "trustprobe_rtt_max_seconds{resolver=\"odd")); /* not measured */
	assert_non_null(strstr(buf, "\ntrustprobe_duration_seconds{resolver=\"127.53.1.1\"} 0.123\n"));
	assert_non_null(strstr(buf, "\ntrustprobe_group_status{resolver=\"127.53.1.1\",group=\"denial\"} 2\n"));
	assert_non_null(strstr(buf, "\ntrustprobe_case_status{resolver=\"127.53.1.1\",group=\"denial\","
			       "case=\"denial.atk-e3-revoked-key-signs\"} 2\n"));
	assert_non_null(strstr(buf, "\ntrustprobe_root_key_event_days 41\n"));
	assert_non_null(strstr(buf, "\ntrustprobe_run_timestamp_seconds 1796083200\n"));
	assert_true(nsamples > 2 * r[0].n_findings);
	free(buf);
	free_all(r, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ranges),
		cmocka_unit_test(thresholds),
		cmocka_unit_test(states),
		cmocka_unit_test(ready_and_accepted),
		cmocka_unit_test(unknown_is_the_probes),
		cmocka_unit_test(perfdata_per_resolver),
		cmocka_unit_test(duration_thresholds),
		cmocka_unit_test(roll_days),
		cmocka_unit_test(long_output),
		cmocka_unit_test(one_line_whatever_the_text),
		cmocka_unit_test(prometheus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
