/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* verdict: rolls the findings of a resolver up into groups, dane_ready and a verdict, and a
 * whole report up into an exit status. Pure functions: no I/O, no allocation. */
#ifndef TP_VERDICT_H
#define TP_VERDICT_H
#include "report.h"

/* Fills r->n_pass/n_warn/n_fail/n_skip, r->groups[], r->dane_ready, r->verdict and r->note
 * from r->findings, r->local_note and r->zone_note (which the caller owns and this only
 * reads). Overwrites those fields, so it may be called again after findings change. The
 * rule is stated in verdict.c. */
void tp_verdict_compute(struct tp_resolver_report *r);

/* Exit status outside nagios mode, for main.c to pass to exit():
 *   1  some resolver is not-ready;
 *   2  otherwise, some resolver is unknown, or the report holds no resolver;
 *   0  every resolver is ready. */
int tp_exit_status(const struct tp_report *rep);

/* The Monitoring Plugins state of one resolver (the guidelines: UNKNOWN only for what the
 * plugin itself could not do):
 *   2  CRITICAL  not-ready; or unknown because it does not answer (timeouts, a closed
 *                port, no route) or answers as no recursive resolver does;
 *   1  WARNING   ready with a warning not accepted (--accept); or unknown because it left
 *                an essential case or a group without a usable answer (it fails closed);
 *   3  UNKNOWN   unknown for the probe's own reasons: no test zone or a wrong one, --case,
 *                a local failure, not probed before the run's deadline;
 *   0  OK        ready without warnings. */
int tp_nagios_state(const struct tp_resolver_report *r);

/* The worse of two plugin states, in the order OK < UNKNOWN < WARNING < CRITICAL. */
int tp_nagios_worst(int a, int b);

/* The worst tp_nagios_state of the report's resolvers; 3 for a report with none. */
int tp_nagios_status(const struct tp_report *rep);

/* Fills r->lead when the root DNSKEY RRset failed to validate: the likely causes (the
 * resolver's anchor does not match the signing KSK, or its clock) and the fix for the
 * resolver family named in r->software ("unbound 1.17.1", "named ...", "pdns_recursor",
 * "kresd", "dnsmasq"), or for every family when it is not known. Pure. */
void tp_verdict_lead(struct tp_resolver_report *r);

/* Fills r->anchor_note: what the trust-anchor file says about the key in force (file_trusts:
 * 1 trusted, 0 not; path names it) against what the resolver's RFC 8509 sentinel for the key
 * in force says (root-trust.sentinel-current: pass = trusted, fail = not, else cannot tell).
 * Pure. */
void tp_verdict_anchor(struct tp_resolver_report *r, const char *path, int file_trusts,
		       unsigned key_in_force);

#endif
