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
#define TP_OBS_MAX 4        /* queries per case (catalog.h TP_QUERIES_MAX) */
#define TP_SECTION_TYPES 8  /* RR types kept per section of an observation */

/* Header bits of a reply, as kept in struct tp_obs_summary.flags. */
enum {
	TP_F_QR = 1, TP_F_AA = 2, TP_F_TC = 4, TP_F_RD = 8, TP_F_RA = 16, TP_F_AD = 32,
	TP_F_CD = 64
};

/* One section of a reply: how many RRs, and their types (each once, in order). */
struct tp_section_summary {
	unsigned count;
	size_t n_types;
	unsigned short types[TP_SECTION_TYPES];
};

/* What one query of a case saw, as data (the prose is in the finding's reason and detail).
 * Filled by tp_obs_summarize (observe.h), which tp_evaluate_case calls. */
struct tp_obs_summary {
	char label[16];              /* the query's label in its case, "" for an unlabelled one */
	char qname[256];             /* the name sent (variables expanded), or as catalogued */
	unsigned short qtype;
	unsigned qflags;             /* TP_Q_* of query.h, as sent */
	int status;                  /* enum tp_obs_status of query.h; -1: not sent */
	int rcode;                   /* the reply's RCODE (answers only) */
	unsigned flags;              /* TP_F_* of the reply */
	int edns, edns_do;           /* an OPT in the reply; its DO bit */
	int transport;               /* 0 udp, 1 tcp, 2 tcp after a truncated udp answer */
	size_t n_ede;
	unsigned short ede[4];       /* Extended DNS Errors (RFC 8914) in the reply */
	char ede_text[4][80];        /* and their EXTRA-TEXT, made printable (ede.h); "" */
	struct tp_section_summary an, ns, ar;
	double rtt_ms;
};

/* How a cell of the algorithm matrix came out (a case with "matrix ALG DIGEST"): what its
 * judged query (labelled "fwd", else the first) got back. Set by tp_evaluate_case. */
enum tp_cell {
	TP_CELL_NONE = 0,   /* not a matrix case */
	TP_CELL_VALIDATED,  /* NOERROR with the data and AD: validated as secure */
	TP_CELL_INSECURE,   /* NOERROR with the data, AD clear: treated as insecure */
	TP_CELL_BOGUS,      /* SERVFAIL: treated as bogus */
	TP_CELL_OTHER,      /* another answer (NXDOMAIN, no data, REFUSED, ...) */
	TP_CELL_UNJUDGED    /* the case skipped (no answer, a failed control, not run) */
};

#define TP_EDE_SUGGEST_MAX 2

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
	char note[128];              /* the note of the rule that decided, or "" */
	size_t n_obs;                /* one per query of the case (0: none was sent) */
	struct tp_obs_summary obs[TP_OBS_MAX];
	int cause;                   /* diagnosis (diagnose.h): 1 + the index of the cause this
				      * finding is evidence of, 0 for none */
	int accepted;                /* a warning the operator accepted (--accept) */
	unsigned char matrix_alg;    /* the case's "matrix ALG DIGEST" (catalog.h), 0 0: */
	unsigned char matrix_digest; /* not a cell of the algorithm matrix */
	int cell;                    /* enum tp_cell: how the cell came out */
	size_t n_ede_suggest;        /* the case's "ede N...": the EDE codes RFC 8914 */
	unsigned short ede_suggest[TP_EDE_SUGGEST_MAX]; /* suggests for it (catalog.h) */
};

/* Levels of a diagnosed cause, most serious first. */
enum tp_cause_level {
	TP_CAUSE_FAIL = 0,  /* the resolver cannot be trusted for DANE until it is fixed */
	TP_CAUSE_UNKNOWN,   /* the probe could not tell (the verdict stays unknown) */
	TP_CAUSE_WARN,      /* a gap that fails closed, or a risk to watch */
	TP_CAUSE_INFO       /* worth knowing; changes no verdict */
};

#define TP_CAUSES_MAX 16
#define TP_CAUSE_ID_MAX 32

/* One cause the diagnosis found (diagnose.h): its evidence are the findings whose cause
 * field names it. */
struct tp_cause {
	char id[TP_CAUSE_ID_MAX];    /* stable, e.g. "validation-off"; what --accept names */
	enum tp_cause_level level;
	char title[TP_REASON_MAX];   /* what is wrong, one line */
	char fix[TP_REASON_MAX];     /* what to change, for the resolver family when known */
	char tag[48];                /* a few words for the lab matrix's notes column */
	size_t n_evidence;           /* findings that show it */
	int accepted;                /* the operator accepted it (--accept): only warnings */
};

/* How the reason of a case skipped because the target answered as no recursive resolver
 * does begins (evaluate.c writes it, verdict.c reads it): RA clear or AA set in the reply
 * to a query with RD, or REFUSED. */
#define TP_REASON_NOT_RECURSIVE "not a recursive resolver"
#define TP_REASON_REFUSED "refused: the resolver answered REFUSED"

/* Why a verdict is unknown (verdict.c), which decides the plugin's state: the resolver's
 * doing (CRITICAL or WARNING) or the probe's (UNKNOWN). */
enum tp_unknown_why {
	TP_UNK_NONE = 0,     /* the verdict is not unknown */
	TP_UNK_SILENT,       /* nothing answered: timeouts, a closed port, no route */
	TP_UNK_NOT_RESOLVER, /* it answered as no recursive resolver does (REFUSED, RA, AA) */
	TP_UNK_PARTIAL,      /* it answered, but an essential case or a whole group got no
			      * usable answer (a timeout, a failed control), or the test zone
			      * could not be reached through it */
	TP_UNK_SETUP,        /* what it was asked to check leaves it open: no test zone, a
			      * zone that is not the vectors or expired, --case */
	TP_UNK_LOCAL,        /* the probe's own failure on this host (local_note) */
	TP_UNK_DEADLINE      /* not probed: the run's deadline came before its turn */
};

/* Everything about one resolver. */
struct tp_resolver_report {
	char resolver[96];           /* target label, e.g. "127.0.0.1" or "::1@5353" */
	char name[64];               /* lab instance name, "" outside the lab */
	char software[160];          /* lab: program and version, and the Debian package and
				      * version it came from ("unbound 1.17.1 (Debian unbound
				      * 1.17.1-2+deb12u4)"), "" otherwise */
	/* The lab instance as it ran (lab_identify, lab_probe.h); ""/0/NULL outside the lab: */
	char program[4096];          /* the program's real path */
	char package[132];           /* "unbound 1.17.1-2+deb12u4": the package dpkg says
				      * installed the program, and its version; "" for none */
	int package_modified;        /* 1: dpkg owns the path, but the file is not the one the
				      * package installed */
	char config[16];             /* "lab" (the lab's own config) or "shipped" (the
				      * package's own, with the lab's overrides) */
	char snippet[256];           /* the user's --conf file appended to it, or "" */
	char *config_sources;        /* shipped: the package's files read, one a line, each
				      * "PATH (what dpkg says of it)"; owned, or NULL */
	char *overrides;             /* shipped: the lab's overrides, one a line; owned, or NULL */
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
	int zone_fault;              /* the zone itself is wrong (preflight.h zone_fault), not
				      * the resolver's answers */
	int unknown_why;             /* enum tp_unknown_why (tp_verdict_compute) */
	int answered;                /* some query of the run got an answer: max_rtt_ms was
				      * measured */
	char family[16];             /* resolver family for the fixes: "unbound", "bind", "pdns",
				      * "knot", "dnsmasq", two joined by '|' when the answers
				      * cannot tell them apart, "" unknown (diagnose.h) */
	int family_how;              /* 0 unknown, 1 known (the lab), 2 told from the answers */
	char family_why[160];        /* what told it, or "" */
	char lab_role[16];           /* the lab instance: "forwarder" (copies its upstream's
				      * AD, validates nothing), "" otherwise */
	char lab_upstream[64];       /* the forwarder's upstream lab instance, or "" */
	char upstream_family[16];    /* its family, or "" */
	size_t n_causes;             /* the diagnosis, most serious first */
	struct tp_cause causes[TP_CAUSES_MAX];
	int roll_cause;              /* 1 + the index of the cause behind the roll verdict, 0 */
	size_t n_accepted;           /* warning findings accepted (--accept) */
	char accept_note[TP_REASON_MAX]; /* --accept ids that matched nothing here, or "" */
};

#define TP_SKIPPED_MAX 24

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
	long long started;           /* when the run started (seconds since the epoch), 0 unknown */
	char zone[256];              /* the test zone, "" for none */
};

/* Names used in JSON and text ("transport", "pass", "ready", ...). Never NULL. */
const char *tp_group_name(enum tp_group g);
const char *tp_status_name(enum tp_status s);
const char *tp_verdict_name(enum tp_verdict v);
const char *tp_cause_level_name(enum tp_cause_level l); /* "fail", "unknown", "warn", "info" */
/* Parses a group name; -1 if unknown. */
int tp_group_parse(const char *s);
/* Frees everything a report owns (safe on a zeroed report). */
void tp_report_free(struct tp_report *r);

#endif
