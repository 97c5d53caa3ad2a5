/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* evaluate: turns (case, the observations of its queries) into a finding. Pure: no I/O, no
 * clock, no globals; the case comes from catalog.h, the observations from query.h (through
 * the plan, plan.h), the finding is report.h's. The caller owns all of them; nothing is
 * allocated or kept. */
#ifndef TP_EVALUATE_H
#define TP_EVALUATE_H
#include "catalog.h"
#include "query.h"
#include "report.h"

/* Fills *f (overwriting it) for case c from obs[k], what query k of the case
 * (c->queries[k], k < c->n_queries) observed; qnames[k] is the name that was sent (variables
 * expanded), or qnames may be NULL (the catalogue's names are shown then).
 * Outcomes (f->status):
 *   TP_PASS, TP_WARN, TP_FAIL  every query holds an answer: the first rule of c whose
 *                              pattern matches decides; no match gives c->otherwise.
 *   TP_SKIP                    the first matching rule is a skip rule (a failed control, an
 *                              unsupported feature): its note says why; or some query got no
 *                              answer (timeout, refused, malformed, error, an answer without
 *                              a packet): "no answer[ (LABEL)]: <obs reason>"; or no rule
 *                              matched and some reply was REFUSED.
 *   A rule's reason: "observed <answer>[ (<note>)]; expected <pass patterns joined by
 *   ' or '> (<source>: <case reason>)", where <answer> of a case with labelled queries is
 *   "LABEL: <answer>" for each query, joined by "; ".
 * detail (-v): for each query "query <name> <TYPE>[ <flags>]; <udp|tcp|tcp after tc>:
 * <RCODE> flags <qr rd ra ad ...> an=<types> ns=<types> [edns[ do]][ ede=N]", prefixed
 * "LABEL: " and joined by " | " for labelled queries. f->rtt_ms is the slowest answer. */
void tp_evaluate_case(const struct tp_case *c, const struct tp_observation *const *obs,
		      const char *const *qnames, struct tp_finding *f);

/* tp_evaluate_case() with the same observation for every query of c (a one-query case,
 * or replaying one packet against every case). */
void tp_evaluate(const struct tp_case *c, const struct tp_observation *obs, struct tp_finding *f);

/* Fills *f as a skip of case c with reason why (e.g. TP_SKIP_NO_ZONE). */
void tp_skip(const struct tp_case *c, const char *why, struct tp_finding *f);

/* Returns 1 if rule r of case c matches, else 0: each atom looks at obs[atom.q], which must
 * hold a packet (an atom on an observation without one does not hold, negated or not). */
int tp_rule_matches(const struct tp_case *c, const struct tp_rule *r,
		    const struct tp_observation *const *obs);

#endif
