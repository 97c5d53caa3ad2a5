/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_probe: "trustprobe lab" with no subcommand: build a fresh lab, probe every resolver
 * in it, tear it down, print the matrix (or the full report with -v, or JSON). */
#ifndef TP_LAB_PROBE_H
#define TP_LAB_PROBE_H
#include <stddef.h>
#include "cli.h"
#include "lab_plan.h"
#include "lab_user.h"
#include "report.h"

struct lab_probe_opts {
	const char *resolvers; /* comma list or NULL for all */
	const char *vectors;
	const char *case_glob;
	enum tp_format format;
	int verbose;
	int color;
	double timeout;        /* probe deadline per run, seconds */
	const struct lab_user_opts *user; /* --with, --shipped, --conf (lab_user.h), or NULL */
	const char *compare[2]; /* --compare BASELINE CANDIDATE: instance names, or NULL */
};

/* "program version (where from)" of program, or with program NULL of the lab program of
 * kind k (the binary the lab runs: PATH plus the sbin directories): its own version output,
 * then dpkg's package and full Debian version ("unbound 1.17.1 (Debian unbound
 * 1.17.1-2+deb12u4)"), or that no package has the file ("(/tmp/x/unbound, not from a
 * package)", lab_pkg.h); "" when the program is not found. */
void lab_software(enum lab_kind k, const char *program, char *out, size_t outlen);

/* Fills rr's lab fields for instance name of the lab in dir (the instances lab.env adds
 * are loaded first, lab_user.h): software, program, package (lab_pkg.h), the family and
 * role (lab_describe), config ("lab" or "shipped"), snippet, and for a shipped config the
 * sources and overrides of dir/name/overrides (lab_shipped.h). Nothing for an unknown
 * name. */
void lab_identify(const char *dir, const char *name, struct tp_resolver_report *rr);

/* What the lab knows about instance li, for the diagnosis (diagnose.h): its resolver
 * family, and for a forwarder that copies its upstream's AD without validating, its role,
 * upstream and the upstream's family. Writes those fields of rr only. */
void lab_describe(const struct lab_instance *li, struct tp_resolver_report *rr);

/* Returns the process exit status (as for a probe run; 2 if the lab could not run). */
int lab_probe_main(const struct lab_probe_opts *o);

#endif
