/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_probe: "trustprobe lab" with no subcommand: build a fresh lab, probe every resolver
 * in it, tear it down, print the matrix (or the full report with -v, or JSON). */
#ifndef TP_LAB_PROBE_H
#define TP_LAB_PROBE_H
#include "cli.h"

struct lab_probe_opts {
	const char *resolvers; /* comma list or NULL for all */
	const char *vectors;
	const char *case_glob;
	enum tp_format format;
	int verbose;
	int color;
	double timeout;        /* probe deadline per run, seconds */
};

/* Returns the process exit status (as for a probe run; 2 if the lab could not run). */
int lab_probe_main(const struct lab_probe_opts *o);

#endif
