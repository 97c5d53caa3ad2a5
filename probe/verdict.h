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

/* Monitoring Plugins status (precedence CRITICAL > WARNING > UNKNOWN > OK):
 *   2  CRITICAL  some resolver is not-ready;
 *   1  WARNING   otherwise, some ready resolver has a warning not accepted (--accept);
 *   3  UNKNOWN   otherwise, some resolver is unknown, or the report holds no resolver;
 *   0  OK        every resolver is ready without warnings. */
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
