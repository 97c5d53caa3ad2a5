/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* diagnose: the stage between the verdict and the renderers. From the findings of one
 * resolver it derives a short ordered list of causes, each with its evidence (the findings
 * whose cause field names it) and a fix for the resolver's family. Pure: no I/O, no
 * allocation. The rules are data (diagnose_rules.c, documented in trustprobe(1),
 * DIAGNOSIS); this file only evaluates them. */
#ifndef TP_DIAGNOSE_H
#define TP_DIAGNOSE_H
#include <stddef.h>
#include "catalog.h"
#include "report.h"

/* One fix: the family it is for ("unbound", "bind", "pdns", "knot", "dnsmasq"), or "*" for
 * every other; the text names that family's setting. */
struct tp_diag_fix {
	const char *family;
	const char *text;
};

#define TP_DIAG_WHEN_MAX 4
#define TP_DIAG_FIXES_MAX 7

/* One rule. Conditions are strings of tokens, all of which must hold (testvectors-style
 * atoms over findings; grammar in diagnose.c and trustprobe(1)); a rule fires when any of
 * its when[] strings holds. Its evidence are the findings its evidence tokens select that
 * no earlier cause took; a rule whose evidence comes out empty is not reported. */
struct tp_diag_rule {
	const char *id;                       /* what --accept names */
	enum tp_cause_level level;            /* at least this; fail or warn evidence raises it */
	const char *when[TP_DIAG_WHEN_MAX];   /* NULL-terminated alternatives */
	const char *evidence;                 /* tokens: the findings it explains */
	const char *title;                    /* {names} {n} {via} {why} {upstream}
					       * {validator} {ede} (diagnose.c) */
	const char *tag;                      /* a few words for the lab matrix; {names} too */
	int fix_self;                         /* a forwarder's own fix; without it a forwarder
					       * (lab_role) gets its upstream's family's */
	struct tp_diag_fix fixes[TP_DIAG_FIXES_MAX]; /* the first whose family matches; "*" */
};

/* A behaviour signature that tells a resolver family from its answers. */
struct tp_diag_family {
	const char *family;                   /* as in struct tp_resolver_report.family */
	const char *why;                      /* what in the answers shows it */
	const char *when[TP_DIAG_WHEN_MAX];
};

/* The rule table, in priority order (diagnose_rules.c), and the family signatures. */
const struct tp_diag_rule *tp_diag_rules(size_t *n);
const struct tp_diag_family *tp_diag_families(size_t *n);

/* Fills r->causes, r->n_causes and every finding's cause field from r->findings, and, when
 * r->family is "" (not known from the lab), r->family, family_how and family_why from the
 * signatures. Overwrites those fields, so it may run again. Run it after tp_verdict_compute;
 * the verdict does not depend on it. */
void tp_diagnose(struct tp_resolver_report *r);

/* Accepts the warnings named by ids[0..n) for r (run after tp_diagnose): an id is a cause
 * id (its warning findings are accepted) or a case id glob (the warning findings it
 * matches). A fail is never accepted. Sets the findings' and causes' accepted fields,
 * r->n_accepted, and r->accept_note for an id that accepted nothing here (and why). */
void tp_diagnose_accept(struct tp_resolver_report *r, const char *const *ids, size_t n);

/* 1 if id is a rule id of the table. */
int tp_diag_rule_known(const char *id);

/* Checks the rule table and the signatures against the catalogue: every token parses,
 * every case glob names some case, every label exists in the cases it names. Returns 0, or
 * -1 with the first problem in err. For the unit tests and for tp_run (a broken table is
 * an internal error, not a wrong diagnosis). */
int tp_diag_check(const struct tp_catalog *cat, char *err, size_t errlen);

/* Display name of a family ("PowerDNS Recursor"); the input for one it does not know. */
const char *tp_diag_family_name(const char *family);

#endif
