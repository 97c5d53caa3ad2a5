/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* observe: the structured observation of a case's queries (struct tp_obs_summary of
 * report.h), kept in the finding beside its prose so that the JSON can carry RCODE, header
 * bits, EDE codes and what each section held. Pure: reads the observations, writes only
 * the finding. */
#ifndef TP_OBSERVE_H
#define TP_OBSERVE_H
#include "catalog.h"
#include "query.h"
#include "report.h"

/* Fills f->n_obs and f->obs[] for case c: one summary per query, from obs[k] (may be NULL,
 * or obs itself NULL: "not sent") and qnames[k] (the name sent; NULL: the catalogue's).
 * tp_evaluate_case calls it for every finding it fills. */
void tp_obs_summarize(const struct tp_case *c, const struct tp_observation *const *obs,
		      const char *const *qnames, struct tp_finding *f);

/* "udp", "tcp", "tcp-after-tc" for struct tp_obs_summary.transport. */
const char *tp_obs_transport_name(int transport);

#endif
