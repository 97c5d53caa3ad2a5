/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * ledger: did the attacker's forgery reach the resolver? An attack case (catalog.h:
 * "forgery RULE") passes when the resolver refuses the forged reply, mostly with SERVFAIL;
 * but a SERVFAIL also comes from a query the attacker never answered (lost, rate limited,
 * an upstream timeout), and then nothing was measured. The attacker proxy keeps a ledger of
 * the replies each rule forged for each source address and serves it in DNS
 * (probe/lab/proxy_ledger.h): RAND.LABEL._ledger.<zone> TXT, asked through the resolver,
 * comes from the resolver's own address. This module builds that question and folds its
 * answer into a passing finding: the pass stands when the ledger counts a forged reply (for
 * a {rand} name: one no older than this run), else the case skips with what the ledger
 * said. Pure: no I/O. */
#ifndef TP_LEDGER_H
#define TP_LEDGER_H
#include "catalog.h"
#include "query.h"
#include "report.h"

/* What the ledger said. */
enum tp_ledger_state {
	TP_LEDGER_DELIVERED = 0, /* the rule forged a reply for this resolver (recent enough) */
	TP_LEDGER_NONE,          /* none: the resolver never got the forgery */
	TP_LEDGER_STALE,         /* only before this run, for a name fresh in this run */
	TP_LEDGER_UNREADABLE     /* no usable answer: no reply, not the ledger's, unknown rule */
};

/* The ledger question for rule under zone ("test."; "" or "." for the root), with the
 * random label rnd (8 octets, written as 16 hex digits) into *q: TXT with RD (and neither
 * DO nor CD: the zone is unsigned). Returns 0, or -1 when the name does not fit. */
int tp_ledger_query(const char *zone, const char *rule, const unsigned char rnd[8],
		    struct tp_query *q);

/* Reads the answer obs to the ledger question for rule. fresh: the case's fwd name was
 * fresh in this run ({rand}), so only a forgery at most run_s seconds old (the time since
 * the run began, plus a quarter second for rounding) counts. *forged and *age (may be NULL) get what
 * the ledger said (0 and -1 when it said nothing usable); why gets a short text for a
 * reason. */
enum tp_ledger_state tp_ledger_read(const struct tp_observation *obs, const char *rule,
				    int fresh, double run_s, unsigned long *forged, double *age,
				    char *why, size_t whylen);

/* Folds what the ledger said into f, a passing finding of case c: DELIVERED keeps the pass
 * and adds the count to its reason; anything else makes it a skip whose reason says what the
 * resolver answered, that the forgery never reached it (or could not be confirmed), and why
 * that proves nothing. Findings of other statuses are left alone. */
void tp_ledger_apply(const struct tp_case *c, enum tp_ledger_state st, unsigned long forged,
		     double age, const char *why, struct tp_finding *f);

#endif
