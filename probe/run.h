/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* run: the one probe path. 'trustprobe [options] RESOLVER', '--lab DIR', '--zone', the
 * plugin and the one-shot 'trustprobe lab' all come here: load the catalogue, find the test
 * zone, the lab's key tags and the targets, probe, render, and return the exit status. */
#ifndef TP_RUN_H
#define TP_RUN_H
#include <stddef.h>
#include "cli.h"
#include "probe.h"
#include "report.h"

struct tp_run_req {
	struct tp_opts o;      /* as parsed; o.lab names a running lab (zone, anchor, tags) */
	const char *prog;      /* message prefix: "trustprobe" or "trustprobe lab" */
	const char *only;      /* with o.lab and no target: comma-separated lab instance names
				* to probe (NULL or "all": every one of LAB_RESOLVERS) */
	int lab_run;           /* the one-shot lab: text is the matrix (unless -v), and the
				* JSON lists the skipped instances */
	const struct tp_skipped *skipped; /* lab instances that were not started */
	size_t n_skipped;
	int same_names;        /* every target meets the same fresh names (tp_probe_plan) */
	/* When set, tp_run hands it the finished report instead of rendering it, with the
	 * run's targets and plan to probe again (lab_compare.h); it returns the exit status. */
	int (*done)(const struct tp_run_req *r, struct tp_report *rep,
		    const struct tp_target *targets, size_t nt, const struct tp_probe_plan *plan);
	void *done_ctx;        /* the caller's, for done */
};

/* Runs the probe as r asks and prints the report. Returns the exit status: 0/1/2, or in
 * nagios mode 0/1/2/3. The caller has handled --help and --version. */
int tp_run(const struct tp_run_req *r);

#endif
