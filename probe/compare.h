/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* compare: the resolver's answer beside the independent validator's (verify.h). No I/O:
 * tp_compare_plan says which question, if any, to put to the validator for one case;
 * tp_compare_apply folds the validator's answer into the case's finding; tp_compare_cause
 * reads the whole report for the evidence that tells a wrong anchor from a wrong clock.
 * probe.c does the asking in between. */
#ifndef TP_COMPARE_H
#define TP_COMPARE_H
#include <stddef.h>
#include "catalog.h"
#include "report.h"
#include "query.h"
#include "verify.h"

enum tp_compare_ask {
	TP_CMP_NONE = 0,  /* nothing to compare */
	TP_CMP_SERVFAIL,  /* the resolver refused data the case wanted: does it validate? */
	TP_CMP_AD         /* the resolver set AD on positive data: is it really secure? */
};

struct tp_compare_q {
	enum tp_compare_ask ask;
	size_t k; /* index of the case's judged query (the first that is not a control) */
};

/* What to ask for case c, given its observations and qnames (as the plan wrote them) and
 * the finding the case rules gave. Only positive data of the type asked is compared: not a
 * denial (a resolver need not return every proof again when asked with CD, and the case
 * rules judge those), not an answer through a DNAME, not a SERVFAIL in the denial group,
 * and never an RFC 8509 sentinel name (libunbound would apply the sentinel to its own
 * anchor). */
struct tp_compare_q tp_compare_plan(const struct tp_case *c,
				    const struct tp_observation *const *obs,
				    const char *const *names, const struct tp_finding *f);

/* Folds the validator's result x (and its reason why, may be NULL) into f: AD on data the
 * validator finds bogus is a failure whatever the case rules said; SERVFAIL on data that
 * validates is marked (f->verified) and its reason says so. */
void tp_compare_apply(const struct tp_compare_q *q, enum tp_verified x, const char *why,
		      struct tp_finding *f);

/* After every case ran: each finding marked by tp_compare_apply as SERVFAIL on data that
 * validates gets the cause the rest of the report points to. The lab's bogus windows lie
 * 7 to 37 days either side of now (signer.c): a resolver that accepted validation.notyet
 * has a clock ahead, one that accepted validation.expired a clock behind; with neither,
 * the trust anchor is the likely cause and the reason says what a clock error would have
 * shown. */
void tp_compare_cause(struct tp_finding *fs, size_t n);

#endif
