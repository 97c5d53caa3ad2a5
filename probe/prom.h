/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* prom: the Prometheus text exposition format (version 0.0.4), for node_exporter's textfile
 * collector: gauges with HELP and TYPE lines, each family's samples together, labels
 * resolver, group and case. The metric names are in trustprobe(1), PROMETHEUS. Renders
 * briefs (brief.h); decides nothing. */
#ifndef TP_PROM_H
#define TP_PROM_H
#include <stdio.h>
#include "brief.h"

struct tp_prom_run {
	long long started;    /* when the run started (seconds since the epoch) */
	double duration_s;    /* the whole run */
	int roll_event;       /* a next root key event is published (the real root) */
	long roll_days;       /* whole days left before it */
};

/* Writes every metric of b[0..n) (cases: the run's, for the case labels). 0, or -1 when
 * the write failed. */
int tp_render_prometheus(FILE *f, const struct tp_brief *b, size_t n,
			 const struct tp_brief_cases *cases, const struct tp_prom_run *run);

/* tp_render_prometheus for every resolver of rep. */
int tp_render_prometheus_report(FILE *f, const struct tp_report *rep,
				const struct tp_prom_run *run);

#endif
