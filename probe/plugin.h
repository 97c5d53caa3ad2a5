/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* plugin: the Monitoring Plugins output (the guidelines at monitoring-plugins.org): one
 * status line "TRUSTPROBE STATE - text | perfdata" that names the resolver(s) and what to
 * look at first, kept under 80 characters before the '|' where it can be; perfdata with
 * one set of labels per resolver ('RESOLVER duration'=...), and no figure for what was not
 * measured; with -v, long output lines after it. Thresholds (-w/-c, range syntax) apply to
 * each resolver's duration and, while it is not ready for the root key roll, to the days
 * left before the next published root key event. Renders briefs (brief.h); decides only
 * the thresholds. */
#ifndef TP_PLUGIN_H
#define TP_PLUGIN_H
#include <stdio.h>
#include "brief.h"
#include "range.h"

enum { TP_TH_DURATION = 0, TP_TH_ROLL_DAYS, TP_TH_N }; /* the order of -w/-c's list */

struct tp_plugin_opts {
	struct tp_range warn[TP_TH_N], crit[TP_TH_N];
	int verbose;          /* 1: each warn and fail case as long output; 2: with its queries */
	double timeout;       /* the run's -t: the max of the duration perfdata (0: none) */
	int roll_event;       /* a next root key event is published (the real root's calendar) */
	long roll_days;       /* whole days left before it */
	char roll_date[16];   /* its date, YYYY-MM-DD */
};

/* The default thresholds: duration none; days before the next root key event "30:" and
 * "7:" (WARNING below 30 days, CRITICAL below 7, while the resolver is not ready). */
void tp_plugin_defaults(struct tp_plugin_opts *o);

/* Parses -w or -c (crit 0 or 1): "DURATION[,DAYS]", each a range; a range left out keeps
 * the default. 0, or -1 with one line in err. */
int tp_plugin_thresholds(struct tp_plugin_opts *o, int crit, const char *s, char *err,
			 size_t errlen);

/* The state of one resolver with the thresholds applied (0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN), and in why (may be NULL) the words the status line gives it. */
int tp_plugin_state(const struct tp_brief *b, const struct tp_plugin_opts *o, char *why,
		    size_t whylen);

/* Writes the status line, perfdata and long output of b[0..n) (cases: the run's, for the
 * case ids of the long output). Returns the plugin state (the worst), or -1 when the write
 * failed. */
int tp_render_plugin(FILE *f, const struct tp_brief *b, size_t n,
		     const struct tp_brief_cases *cases, const struct tp_plugin_opts *o);

/* tp_render_plugin for every resolver of rep (briefs made with o->verbose details). */
int tp_render_nagios(FILE *f, const struct tp_report *rep, const struct tp_plugin_opts *o);

/* The status line of a run that could not be made: "TRUSTPROBE UNKNOWN - msg" (usage
 * errors, a missing catalogue). Returns 3. */
int tp_plugin_unknown(FILE *f, const char *msg);

#endif
