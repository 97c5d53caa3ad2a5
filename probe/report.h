/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* report: the probe's data model, shared by the case catalogue, the evaluators, the verdict
 * and the renderers. Plain data: no I/O here. Strings inside are owned by the struct that
 * holds them (fixed-size arrays), so reports can be copied and freed without ceremony. */
#ifndef TP_REPORT_H
#define TP_REPORT_H
#include <stddef.h>

/* The fixed group names of the contract (DESIGN.md), in report order. */
enum tp_group {
	TP_G_TRANSPORT = 0,
	TP_G_VALIDATION,
	TP_G_DENIAL,
	TP_G_ROOT_TRUST,
	TP_G_AD_PATH,
	TP_G_DANE,
	TP_G_COUNT
};

/* Status of one case, and of a group (the worst of its cases). Ordered so that a
 * larger value is worse, except SKIP, which never makes a group worse than PASS
 * unless every case of the group was skipped. */
enum tp_status {
	TP_PASS = 0,
	TP_WARN,
	TP_FAIL,
	TP_SKIP
};

/* The verdict on one resolver. */
enum tp_verdict {
	TP_READY = 0,     /* dane_ready: trustworthy for DANE */
	TP_NOT_READY,     /* some essential group failed */
	TP_UNKNOWN        /* the probe could not tell (silent target, essential cases skipped) */
};

#define TP_ID_MAX 64
#define TP_REASON_MAX 512
#define TP_DETAIL_MAX 1024  /* -v: every query of a case and its answer */

/* What one case found. */
struct tp_finding {
	char id[TP_ID_MAX];          /* case id, e.g. "validation.bogus-sig" */
	enum tp_group group;
	enum tp_status status;
	int essential;               /* a skip of this case makes the verdict unknown */
	char reason[TP_REASON_MAX];  /* observed vs expected, and the RFC; stable enough to grep */
	char detail[TP_DETAIL_MAX];  /* -v: each query and a summary of its answer */
	double rtt_ms;               /* round trip of the answer, 0 if none */
	int no_zone;                 /* skipped only because no usable test zone was given
				      * (none, or the zone preflight found it unusable) */
	size_t n_ede;                /* Extended DNS Errors (RFC 8914) in the answers of the */
	unsigned short ede[4];       /* case's queries, in query order: evidence, never a rule */
	int verified;                /* enum tp_verified of the judged answer (0: not checked) */
	int not_here;                /* skipped because it runs only in a lab: an essential
				      * case skipped so does not leave the verdict unknown */
};

/* How the reason of a case skipped because the target answered as no recursive resolver
 * does begins (evaluate.c writes it, verdict.c reads it): RA clear or AA set in the reply
 * to a query with RD, or REFUSED. */
#define TP_REASON_NOT_RECURSIVE "not a recursive resolver"
#define TP_REASON_REFUSED "refused: the resolver answered REFUSED"

/* Everything about one resolver. */
struct tp_resolver_report {
	char resolver[96];           /* target label, e.g. "127.0.0.1" or "::1@5353" */
	char name[64];               /* lab instance name, "" outside the lab */
	char software[96];           /* lab: program and version, "" otherwise */
	enum tp_verdict verdict;
	int dane_ready;
	enum tp_status groups[TP_G_COUNT];
	size_t n_findings;
	struct tp_finding *findings; /* owned; freed by tp_report_free */
	size_t n_pass, n_warn, n_fail, n_skip;
	double duration_s;           /* wall time for this resolver */
	double max_rtt_ms;           /* slowest answer */
	int roll_has_next;           /* a next root KSK is published (the lab's): the roll
				      * verdict needs to know it is trusted */
	enum tp_verdict roll_verdict; /* ready for the root key in force and the next step */
	int roll_ready;              /* roll_verdict == TP_READY */
	char roll_note[TP_REASON_MAX]; /* why it is not ready or unknown, or "" */
	char lead[TP_REASON_MAX];    /* the finding that leads the report, with its likely cause
				      * and fix (tp_verdict_lead), or "" */
	char verify_note[TP_REASON_MAX]; /* why independent validation did not run, or "" */
	char anchor_note[TP_REASON_MAX]; /* --trust-anchor FILE compared with the resolver's
				      * sentinel (tp_verdict_anchor), or "" */
	char note[TP_REASON_MAX];    /* why the verdict is unknown, or "" */
	size_t n_local;              /* queries the probe could not send for a local reason
				      * (query.h local_err): the probe's own error */
	char local_note[TP_REASON_MAX]; /* how many, the first cause and its fix, or "" */
	char zone_note[TP_REASON_MAX];  /* why the zone preflight found the test zone unusable
				      * (preflight.h), or "" */
};

#define TP_SKIPPED_MAX 16

/* A lab instance that 'trustprobe lab' did not start (its program is not installed). */
struct tp_skipped {
	char name[64];              /* lab instance */
	char program[32];           /* its program */
	char package[32];           /* the Debian package that would let it run */
	char reason[TP_REASON_MAX]; /* one line */
};

struct tp_report {
	size_t n;
	struct tp_resolver_report *resolvers; /* owned */
	size_t n_skipped_no_zone;    /* cases skipped because no test zone was given */
	double duration_s;
	int lab_run;                 /* 1: a 'trustprobe lab' run; its JSON lists "skipped" */
	int app_checked;             /* the libc path was checked (apppath.h) */
	int app_ad_postfix, app_ad_plain, app_trust_ad, app_all_loopback;
	char app_note[400];          /* its one line, or "" */
	size_t n_skipped;            /* lab instances not started; they never change the exit */
	struct tp_skipped skipped[TP_SKIPPED_MAX];
};

/* Names used in JSON and text ("transport", "pass", "ready", ...). Never NULL. */
const char *tp_group_name(enum tp_group g);
const char *tp_status_name(enum tp_status s);
const char *tp_verdict_name(enum tp_verdict v);
/* Parses a group name; -1 if unknown. */
int tp_group_parse(const char *s);
/* Frees everything a report owns (safe on a zeroed report). */
void tp_report_free(struct tp_report *r);

#endif
