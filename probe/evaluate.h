/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* evaluate: turns (case, observation) into a finding. Pure: no I/O, no clock, no globals;
 * the case comes from catalog.h, the observation from query.h, the finding is report.h's.
 * The caller owns all three; nothing is allocated or kept. */
#ifndef TP_EVALUATE_H
#define TP_EVALUATE_H
#include "catalog.h"
#include "query.h"
#include "report.h"

/* Fills *f (overwriting it) for case c and what its query observed.
 * Outcomes (f->status):
 *   TP_PASS, TP_WARN, TP_FAIL  obs holds an answer: the first rule of c whose pattern
 *                              matches decides; no match gives c->otherwise.
 *                              reason: "observed <answer>[ (<note>)]; expected <pass
 *                              patterns joined by ' or '> (<source>: <case reason>)"
 *   TP_SKIP                    obs is not an answer (timeout, refused, malformed, error,
 *                              or an answer without a packet): "no answer: <obs reason>".
 * detail (-v): "query <name> <TYPE>[ <flags>]; <udp|tcp|tcp after tc>: <RCODE> flags
 * <qr rd ra ad ...> an=<types> ns=<types> [edns[ do]]"; the name is the reply's question
 * when there is one, else the case's qname. f->rtt_ms = obs->rtt_ms for answers, else 0. */
void tp_evaluate(const struct tp_case *c, const struct tp_observation *obs, struct tp_finding *f);

/* Fills *f as a skip of case c with reason why (e.g. TP_SKIP_NO_ZONE). */
void tp_skip(const struct tp_case *c, const char *why, struct tp_finding *f);

/* Returns 1 if pattern rule r matches the observation (which must hold a packet), else 0.
 * qtype is the query type (for "noanswer"). */
int tp_rule_matches(const struct tp_rule *r, uint16_t qtype, const struct tp_observation *obs);

#endif
