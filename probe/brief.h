/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* brief: a resolver's finished report (verdict and diagnosis done) cut down to what the
 * monitoring views need: the Monitoring Plugins line (plugin.h), the Prometheus exposition
 * (prom.h) and the fleet's table (fleet.h). A report holds about 300 KB of findings; a brief
 * about 1 KB, so that a fleet of thousands keeps one per target and no report. Pure: no
 * I/O. The brief owns its arrays (tp_brief_free). */
#ifndef TP_BRIEF_H
#define TP_BRIEF_H
#include <stddef.h>
#include "catalog.h"
#include "report.h"

/* One case that warned or failed, kept for the plugin's long output (-v). */
struct tp_brief_issue {
	size_t k;                 /* index into the run's cases (struct tp_brief_cases) */
	enum tp_status status;
	int accepted;             /* a warning accepted with --accept */
	char *reason;             /* owned */
	char *detail;             /* owned; only with details >= 2 (-vv: the queries), else NULL */
};

struct tp_brief {
	char resolver[96];        /* the target label */
	char name[64];            /* lab instance, or the name the targets file gives, or "" */
	size_t line;              /* the line of the targets file (--targets), 0 otherwise */
	int probed;               /* 0: not probed (TP_UNK_DEADLINE: the run's deadline came
				   * first): nothing of it was measured */
	enum tp_verdict verdict, roll_verdict;
	int dane_ready, roll_ready;
	int unknown_why;          /* enum tp_unknown_why */
	int state;                /* tp_nagios_state: 0 OK .. 3 UNKNOWN (before thresholds) */
	enum tp_status groups[TP_G_COUNT];
	size_t n_pass, n_warn, n_fail, n_skip, n_accepted;
	size_t n_cases;
	unsigned char *status;    /* n_cases enum tp_status values, the run's case order */
	double duration_s, max_rtt_ms;
	int answered;             /* max_rtt_ms was measured */
	char why[200];            /* what to look at first: the first cause not accepted and
				   * not info, else the note of an unknown verdict, else "" */
	char why_id[TP_CAUSE_ID_MAX]; /* that cause's id, or "" */
	char tags[160];           /* the causes' tags, most serious first, info left out
				   * ("forgeries C1 E3; next KSK not trusted"), as the lab matrix */
	char roll_note[200];      /* why it is not ready for the root key roll, or "" */
	size_t n_issues;
	struct tp_brief_issue *issues; /* owned; only with details >= 1 */
};

/* The cases of a run, in the order of every brief's status[] (the selected cases of the
 * catalogue, in its order: plan.h). Points into the catalogue, which must outlive it. */
struct tp_brief_cases {
	size_t n;
	const char **id;          /* owned array (tp_brief_cases_free), strings not */
	enum tp_group *group;     /* owned */
};

/* Fills *b from rr. details: 0 statuses only; 1 also the warn and fail cases with their
 * reasons; 2 also their details (the queries). Returns 0, or -1 when memory ran out (*b is
 * then whole but without status or issues). */
int tp_brief_from(const struct tp_resolver_report *rr, int details, struct tp_brief *b);

/* Frees what b owns; safe on a zeroed or freed brief. */
void tp_brief_free(struct tp_brief *b);

/* Fills *c from the catalogue's cases with sel[i] set. 0, or -1 (out of memory). */
int tp_brief_cases_make(const struct tp_case *cases, size_t n, const int *sel,
			struct tp_brief_cases *c);
void tp_brief_cases_free(struct tp_brief_cases *c);

/* The briefs of every resolver of rep (details as tp_brief_from) into *out (owned: free
 * each with tp_brief_free, then the array), and the cases from the findings of its first
 * resolver (they point into rep). 0, or -1 (out of memory, nothing to free). */
int tp_briefs_of(const struct tp_report *rep, int details, struct tp_brief **out,
		 struct tp_brief_cases *cases);
void tp_briefs_free(struct tp_brief *b, size_t n, struct tp_brief_cases *cases);

#endif
