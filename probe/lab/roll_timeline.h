/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* roll_timeline: the pure half of 'trustprobe lab roll': the step table of the rehearsed
 * root KSK roll, what each lab resolver is expected to show at each step (and why), the
 * timeline of what it did show, and its text and JSON renderings. No I/O except the
 * FILE * the renderers are given; lab_roll.c does the lab, the signing and the probing.
 * Everything is plain data owned by the caller's structs. */
#ifndef TP_ROLL_TIMELINE_H
#define TP_ROLL_TIMELINE_H
#include <stddef.h>
#include <stdio.h>
#include "report.h"
#include "signer.h"

#define LAB_ROLL_STEPS 5
#define LAB_ROLL_MAX_ROWS 12

/* RFC 8509 section 5 classes, per key; NONE when the probe could not tell (both sentinel
 * names SERVFAIL: the resolver cannot validate the root at all) or did not run. */
enum lab_roll_class {
	LAB_RC_NONE = 0,
	LAB_RC_VNEW, /* is-ta answers, not-ta SERVFAILs: the key is a trust anchor */
	LAB_RC_VOLD, /* the reverse: it is not */
	LAB_RC_VIND, /* both answer: validates, no sentinel support */
	LAB_RC_NONV  /* bogus data answered: does not validate */
};

/* One step of the rehearsal. */
struct lab_roll_step {
	const char *name;           /* "publish-next", ... */
	enum signer_root_step root; /* the root zone during the step */
	int resign;                 /* 1: the root is re-signed when the step begins */
	const char *what;           /* one line for the report */
};

/* The step table, in order (LAB_ROLL_STEPS entries, static). */
const struct lab_roll_step *lab_roll_steps(void);

/* How a lab instance takes part. */
enum lab_roll_role {
	LAB_ROLE_RFC5011 = 0,   /* rehearsed: RFC 5011 anchor with compressed timers */
	LAB_ROLE_STATIC_CURRENT, /* control: static anchor, current KSK only */
	LAB_ROLE_STATIC_BOTH,    /* control: static anchor, both KSKs */
	LAB_ROLE_NOT_REHEARSED   /* static anchor or no time compression: not run */
};

/* What an instance should show at one step. */
struct lab_roll_expect {
	int ok;                    /* 1: the root DNSKEY RRset validates (no break) */
	enum lab_roll_class cur;   /* sentinel class of the current KSK's tag */
	enum lab_roll_class next;  /* of the next KSK's tag */
	const char *why;           /* the reason, from the resolver's documentation/source */
};

/* The role of lab instance name (its kind from lab_plan), and for NOT_REHEARSED a one-line
 * reason in *why (static). Unknown names are NOT_REHEARSED. */
enum lab_roll_role lab_roll_role_of(const char *name, const char **why);

/* Fills e with what instance name (role as above) should show at step s (0-based).
 * Returns 0, or -1 for NOT_REHEARSED or a step out of range. */
int lab_roll_expected(const char *name, size_t s, struct lab_roll_expect *e);

/* The class a root-trust.sentinel-* finding names (its catalogue note "Vnew: ...", etc.);
 * NONE when it names none (no answer, or neither name answered). */
enum lab_roll_class lab_roll_class_of(const struct tp_finding *f);

/* "Vnew", "Vold", "Vind", "nonV", "-". Never NULL. */
const char *lab_roll_class_name(enum lab_roll_class c);

/* One resolver at one step. */
struct lab_roll_cell {
	int probed;              /* 0: the step was not reached (interrupted) */
	int ok;                  /* root-trust.dnskey passed: the root DNSKEY validated (AD) */
	enum lab_roll_class cur, next;
	char anchor[128];        /* its anchor file's state, e.g. "cur:VALID next:ADDPEND" */
	char brk[200];           /* the break, named ("" none) */
	char signals[64];        /* RFC 8145 key tags it signalled during the step ("" none) */
	int as_expected;         /* ok, cur and next as lab_roll_expected says */
	double t;                /* seconds since the rehearsal began, when probed */
};

struct lab_roll_row {
	char name[64];           /* lab instance */
	char software[96];
	enum lab_roll_role role;
	const char *why_not;     /* NOT_REHEARSED: the reason (static) */
	struct lab_roll_cell cell[LAB_ROLL_STEPS];
};

struct lab_roll_timeline {
	unsigned tag_cur, tag_next, tag_cur_revoked; /* the lab root's KSK tags */
	unsigned holddown;       /* seconds the RFC 5011 hold-downs were compressed to */
	unsigned dnskey_ttl;     /* TTL of the root DNSKEY RRset during the rehearsal */
	double step_t[LAB_ROLL_STEPS]; /* when each step began, seconds since the start */
	int steps_done;
	double wall_s;           /* the whole rehearsal, lab start to stop */
	int signals_seen;        /* 1: RFC 8145 queries were recorded at the root */
	size_t n;
	struct lab_roll_row rows[LAB_ROLL_MAX_ROWS];
};

/* Sets cell->brk and cell->as_expected from the observation and the expectation of
 * row->name at step s. */
void lab_roll_judge(const struct lab_roll_row *row, size_t s, struct lab_roll_cell *cell);

/* 1 if every rehearsed cell that was probed is as expected. */
int lab_roll_all_as_expected(const struct lab_roll_timeline *tl);

/* Renders the timeline: a table step by resolver, then the breaks and the expectations
 * with their reasons. Returns 0, or -1 on a write error. */
int lab_roll_render_text(FILE *f, const struct lab_roll_timeline *tl);
/* The same as one JSON object (schema in the function). Returns 0 or -1. */
int lab_roll_render_json(FILE *f, const struct lab_roll_timeline *tl);

#endif
