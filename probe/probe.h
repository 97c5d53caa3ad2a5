/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* probe: runs the selected cases of the catalogue against resolvers and fills a report.
 * It does the I/O: the plan (plan.h) says what to send, the query engine sends it, the
 * evaluators and the verdict decide. */
#ifndef TP_PROBE_H
#define TP_PROBE_H
#include <stddef.h>
#include "catalog.h"
#include "query.h"
#include "report.h"

struct tp_probe_plan {
	const struct tp_catalog *cat;
	const int *selected;  /* cat->n flags from tp_catalog_select */
	const char *zone;     /* test zone, or NULL: cases that need one are skipped */
	double deadline;      /* absolute tp_now() time nothing may exceed */
	int lab;              /* the target is a lab resolver: lab-only cases run */
	unsigned ksk_current; /* lab root KSK tags (lab.env LAB_KSK_CURRENT, LAB_KSK_NEXT) for */
	unsigned ksk_next;    /* {ksk_current}/{ksk_next}; 0 = unknown: those cases skip */
	unsigned max_open;    /* sockets open at once; 0 = TP_PLAN_MAX_OPEN */
	int real_root;        /* the root is the real one: judge its keys by the calendar */
	long long now;        /* the date the roll calendar is read at (seconds since epoch) */
	const char *anchor_file; /* the probe's own root anchor: with it, every answer with AD
				  * is validated again independently (verify.h); NULL: not */
	unsigned vectors_version; /* the version the zone's marker must name (testvectors/
				   * manifest "version"); 0: any. With a zone, every target is
				   * first asked for the marker (preflight.h): a zone found
				   * unusable skips the cases that need it and leaves the verdict
				   * unknown */
	int same_names;       /* tp_probe_all gives every target the same fresh {rand} names
			       * (drawn once per call), so that two resolvers compared side by
			       * side meet the same names; 0: each target its own */
	const unsigned char *name_seed; /* tp_probe_all's, for same_names: 32 bytes the
					 * targets' {rand} names are derived from */
};

/* Probes one target; fills rr (findings owned by rr, freed by tp_report_free). With a zone,
 * the zone preflight goes first (at most a third of the time left), then the queries in two
 * waves: the positive controls, then the rest (plan.h). Queries the probe could not send for
 * a local reason are counted into rr->n_local and rr->local_note. Returns 0, or -1 with err
 * if no query could even be built (out of memory). */
int tp_probe_target(const struct tp_target *t, const struct tp_probe_plan *p,
		    struct tp_resolver_report *rr, char *err, size_t errlen);

#define TP_PROBE_PARALLEL 16

/* Called in a worker thread once target i is done (or was not probed: rr->unknown_why is
 * TP_UNK_DEADLINE, with no findings): rr holds its whole report, verdict computed. The pool
 * owns rr and frees its findings afterwards; the callback may take them (setting
 * rr->findings to NULL). Calls for different targets may run at the same time. */
typedef void (*tp_probe_done_fn)(size_t i, struct tp_resolver_report *rr, void *arg);

struct tp_pool_opts {
	unsigned parallel;     /* workers at most; 0: TP_PROBE_PARALLEL */
	double target_budget;  /* seconds one target may take (0: up to the plan's deadline) */
	tp_probe_done_fn done; /* required */
	void (*tick)(void *arg); /* called in the calling thread about every 100 ms, NULL */
	void *arg;
};

/* What the pool did. */
struct tp_pool_stats {
	size_t workers;        /* workers it ran: parallel, fewer when the open-files limit
				* leaves room for fewer (never so many that queries lack sockets) */
	size_t unprobed;       /* targets not started before the deadline */
	unsigned long long fd_limit; /* the open-files limit it worked with */
};

/* Probes t[0..n) with a pool of workers, each taking the next target in order, under the
 * plan's deadline shared by all (and at most target_budget each); a target whose turn comes
 * too close to the deadline is not probed and says so. Memory: one report per worker at a
 * time, whatever n. Returns 0, or -1 with err (out of memory, no query could be built). */
int tp_probe_pool(const struct tp_target *t, size_t n, const struct tp_probe_plan *p,
		  const struct tp_pool_opts *po, struct tp_pool_stats *st, char *err,
		  size_t errlen);

/* Probes every target (at most TP_PROBE_PARALLEL at a time), each with the whole deadline:
 * tp_probe_pool keeping every report. rep->resolvers[i] is target i's report. */
int tp_probe_all(const struct tp_target *t, size_t n, const struct tp_probe_plan *p,
		 struct tp_report *rep, char *err, size_t errlen);

/* tp_probe_all, with done (may be NULL) run on each report first, in its worker thread. */
int tp_probe_all_done(const struct tp_target *t, size_t n, const struct tp_probe_plan *p,
		      struct tp_report *rep, tp_probe_done_fn done, void *arg, char *err,
		      size_t errlen);

#endif
