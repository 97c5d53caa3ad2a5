/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* fleet: 'trustprobe --targets FILE', many resolvers under one deadline. Reads the targets
 * file, probes with the worker pool (probe.h: bounded concurrency, a report per worker at a
 * time), keeps a brief per target (brief.h), streams the JSON as targets finish, shows a
 * progress bar on a terminal, and ends with a summary table, the Prometheus exposition or
 * the plugin line. Memory: about 1 KB per target plus one report per worker. */
#ifndef TP_FLEET_H
#define TP_FLEET_H
#include <stddef.h>
#include "brief.h"
#include "cli.h"
#include "plugin.h"
#include "probe.h"
#include "prom.h"

/* The targets of a file: one "ADDR[@PORT] [NAME]" a line; '#' starts a comment; blank
 * lines are skipped. */
struct tp_fleet_list {
	size_t n;
	struct tp_target *t;  /* owned */
	char (*name)[64];     /* owned: NAME, or "" */
	size_t *line;         /* owned: the line each came from */
};

/* Reads path into *l (at most max targets). port (0: 53) is the port of an address given
 * without @PORT (-p). 0, or -1 with "FILE:LINE: why" in err (nothing to free). */
int tp_fleet_read(const char *path, unsigned port, size_t max, struct tp_fleet_list *l,
		  char *err, size_t errlen);
void tp_fleet_list_free(struct tp_fleet_list *l);

/* How a fleet run reports. */
struct tp_fleet_opts {
	enum tp_format format;
	int verbose;
	int color;                 /* the table in colour */
	int progress;              /* a progress bar on stderr (a terminal) */
	unsigned parallel;         /* workers (0: TP_FLEET_PARALLEL) */
	double target_budget;      /* seconds one target may take at most */
	const char *file;          /* the targets file, as named */
	const char *zone;          /* the test zone, or "" */
	long long started;         /* when the run started */
	const struct tp_brief_cases *cases;
	const struct tp_plugin_opts *plugin;
	struct tp_prom_run prom;   /* started, roll event (duration: filled at the end) */
	/* runs in the worker on each finished report before anything else: names, the
	 * diagnosis, --accept */
	void (*finish)(size_t i, struct tp_resolver_report *rr, void *arg);
	void *finish_arg;
};

/* Probes every target of l under p (its deadline shared by all) and writes the report to
 * stdout (progress on stderr). Returns the exit status (0/1/2, nagios 0..3), or -1 with err
 * when it could not run (out of memory); a write error is 2 (nagios 3) with a line on
 * stderr. */
int tp_fleet_run(const struct tp_fleet_list *l, const struct tp_probe_plan *p,
		 const struct tp_fleet_opts *o, char *err, size_t errlen);

#endif
