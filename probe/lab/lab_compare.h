/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_compare: 'trustprobe lab --compare BASELINE CANDIDATE', the packager's upgrade check.
 * Both instances are probed in one run, side by side, and meet the same fresh names
 * (tp_probe_plan.same_names), so that neither sees a name the other did not. Only the
 * cases whose status differs are printed, with both results and reasons, then the
 * verdicts. A case that differs is probed again on both, LAB_COMPARE_RECHECKS more times
 * with new names each time: one whose pair of results changes between the rounds is
 * reported as unstable (every round's results shown), not as a regression.
 *
 * A regression: a case that passes on the baseline and fails or warns on the candidate,
 * in every round; or a verdict worse on the candidate (ready, unknown, not-ready, in that
 * order), unless each case that differs is unstable. Exit status: 0 no regression, 1 a
 * regression, 2 the comparison could not run. */
#ifndef TP_LAB_COMPARE_H
#define TP_LAB_COMPARE_H
#include <stddef.h>
#include <stdio.h>
#include "cli.h"
#include "run.h"

#define LAB_COMPARE_RECHECKS 2

/* What to compare and how to print it (tp_run_req.done_ctx). */
struct lab_compare {
	const char *baseline;  /* instance names */
	const char *candidate;
	enum tp_format format; /* text or json */
	FILE *out;             /* where it goes; NULL: stdout */
};

/* 1 when baseline names a recorded report rather than an instance: a path (it holds a
 * '/' or ends in .json), the JSON of 'trustprobe lab --format json' or of 'trustprobe --lab
 * D --format json'. Its resolver named as the candidate (or its only one) is the baseline;
 * only the candidate is probed, and probed again: a difference is stable when the
 * candidate gives the same result in every round. */
int lab_compare_is_file(const char *baseline);

/* 0 when a and b name two distinct instances of this run's table (lab_plan.h), or a is a
 * readable recorded report (lab_compare_is_file) and b an instance; else -1 with one line
 * in err. */
int lab_compare_check(const char *a, const char *b, char *err, size_t errlen);

/* tp_run_req.done: compares the two instances of rep (r->done_ctx is a struct
 * lab_compare), probing the differing cases again on targets with plan, prints the result
 * on stdout and returns the exit status. */
int lab_compare_done(const struct tp_run_req *r, struct tp_report *rep,
		     const struct tp_target *targets, size_t nt, const struct tp_probe_plan *plan);

#endif
