/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_probe: "trustprobe lab" with no subcommand: build a fresh lab, probe every resolver
 * in it, tear it down, print the matrix (or the full report with -v, or JSON). */
#ifndef TP_LAB_PROBE_H
#define TP_LAB_PROBE_H
#include <stddef.h>
#include "cli.h"
#include "lab_plan.h"
#include "report.h"

struct lab_probe_opts {
	const char *resolvers; /* comma list or NULL for all */
	const char *vectors;
	const char *case_glob;
	enum tp_format format;
	int verbose;
	int color;
	double timeout;        /* probe deadline per run, seconds */
};

/* "program version" of the lab program of kind k, from its own version output (the
 * binary the lab runs: PATH plus the sbin directories); "" if it says none. */
void lab_software(enum lab_kind k, char *out, size_t outlen);

/* What the lab knows about instance li, for the diagnosis (diagnose.h): its resolver
 * family, and for a forwarder that copies its upstream's AD without validating, its role,
 * upstream and the upstream's family. Writes those fields of rr only. */
void lab_describe(const struct lab_instance *li, struct tp_resolver_report *rr);

/* Returns the process exit status (as for a probe run; 2 if the lab could not run). */
int lab_probe_main(const struct lab_probe_opts *o);

#endif
