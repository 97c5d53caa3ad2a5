/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * plan: the stage between the catalogue and the query engine. Turns the selected cases into
 * the queries to send: expands the variables of their names, sends a query that several
 * cases ask only once (its observation is shared), sends the positive controls before the
 * queries they vouch for, and says how many sockets the engine may hold open at once. No I/O: randomness comes
 * from the caller. The plan owns its arrays (tp_plan_free); it points into the catalogue,
 * which must outlive it. */
#ifndef TP_PLAN_H
#define TP_PLAN_H
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "query.h"

#define TP_PLAN_MAX_OPEN 32 /* default cap on sockets open at once */

/* What the caller knows about where it probes. */
struct tp_plan_env {
	const char *zone;          /* test zone ("test."), or NULL/"": relative names skip */
	int lab;                   /* probing a lab (trustprobe lab, --lab): lab-only cases run */
	int attacker;              /* the zone's marker says an attacker proxy stands in front of
				    * it (trustprobe serve, preflight.h): lab-only cases run */
	unsigned ksk_current;      /* root KSK tags for {ksk_current}/{ksk_next}; 0 = unknown: */
	unsigned ksk_next;         /* cases using an unknown one are skipped */
	/* fills buf[0..n) with random bytes, for {rand}; required */
	void (*rand_bytes)(void *ctx, unsigned char *buf, size_t n);
	void *rand_ctx;
	unsigned max_open;         /* socket cap for the engine; 0 = TP_PLAN_MAX_OPEN */
	const char *zone_unusable; /* why the zone preflight (preflight.h) found the test zone
				    * unusable, or NULL: cases that need it then skip with
				    * "not run: <zone_unusable>" */
};

/* One selected case in the plan. */
struct tp_plan_case {
	const struct tp_case *c;       /* into the catalogue */
	int skip;                      /* 1: not run, why says why (c's finding is a skip) */
	int no_zone;                   /* skipped only because no usable test zone was given
					* (none, or the preflight found it unusable) */
	int not_here;                  /* skipped because it runs only in a lab */
	char why[160];
	size_t qi[TP_QUERIES_MAX];     /* query k of the case is plan->queries[qi[k]] */
};

struct tp_plan {
	size_t n_queries;              /* distinct queries */
	struct tp_query *queries;      /* owned; [0, n_wave1) the first wave: every control
					* query (label "ctl...") and every query that no case
					* with a control judges; then the second wave: the
					* queries that cases with a control judge, sent once
					* the controls are done */
	size_t n_wave1;
	size_t n_cases;                /* the selected cases, in catalogue order */
	struct tp_plan_case *cases;    /* owned */
	size_t n_asked;                /* queries the cases ask, before dedupe */
	unsigned max_open;             /* the cap the engine must honour (>= 1) */
};

/* Builds *p (overwritten) for the cases of cat with selected[i] != 0 under env.
 * Each {rand} becomes one label per case and build ("tp" and 10 characters of [a-z0-9]),
 * the same in every query of the case; {ksk_current}/{ksk_next} the tag as 5 zero-padded
 * decimal digits (RFC 8509 label form). Two queries are the same when name (case-blind),
 * type, flags and bufsize are. Returns 0; -1 with one line in err (out of memory, no
 * rand_bytes) and *p zeroed. A name that does not fit under the zone skips its case with the
 * reason. The caller frees *p with tp_plan_free(). */
int tp_plan_build(const struct tp_catalog *cat, const int *selected,
		  const struct tp_plan_env *env, struct tp_plan *p, char *err, size_t errlen);

/* A random source for tp_plan_env.rand_bytes that is a function of a seed: bytes n... of
 * SHA-256(seed || counter) blocks, so that plans built from the same seed (each with its own
 * zeroed counter) ask the same {rand} names. The caller owns the 32-byte seed. */
struct tp_plan_seed {
	const unsigned char *seed;
	unsigned long long n; /* blocks drawn; 0 to start */
};
void tp_plan_seeded_rand(void *ctx, unsigned char *buf, size_t len);

/* Frees what p owns and zeroes it; safe on a zeroed plan. */
void tp_plan_free(struct tp_plan *p);

#endif
