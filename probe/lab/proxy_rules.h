/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_rules: the attacker proxy's rules (testvectors/attacks, format in
 * testvectors/README, "Attack rules"). A rule says which query it forges (a qname glob,
 * a qtype, DO/CD, which match in a sequence), which genuine replies it fetches from the
 * lab's nsd at rule time, and a list of operations from a small fixed set. The parser
 * only checks syntax; names are resolved when a rule fires (they may hold $qname). */
#ifndef TP_PROXY_RULES_H
#define TP_PROXY_RULES_H
#include <stddef.h>
#include <stdint.h>

#define PX_NAME_MAX 300   /* a name or glob in presentation form, $qname unexpanded */
#define PX_TEXT_MAX 600   /* the RR text of an "add" operation */
#define PX_ID_MAX 32
#define PX_MAX_FETCH 4
#define PX_MAX_OPS 24
#define PX_MAX_RULES 128

enum px_section { PX_SEC_ANSWER, PX_SEC_AUTHORITY, PX_SEC_ADDITIONAL, PX_SEC_ALL };

enum px_op_kind {
	PX_OP_RCODE,  /* rcode RCODE */
	PX_OP_FLAG,   /* set aa|ad|tc on|off */
	PX_OP_DROP,   /* drop SECTION TYPE [OWNER] */
	PX_OP_RENAME, /* rename SECTION TYPE OWNER NEWOWNER */
	PX_OP_MOVE,   /* move SECTION TYPE [OWNER] to SECTION */
	PX_OP_COPY,   /* copy FETCH SECTION TYPE [OWNER] to SECTION */
	PX_OP_ADD     /* add SECTION RR... */
};

enum px_flag { PX_FLAG_AA, PX_FLAG_AD, PX_FLAG_TC };

/* How an operation picks records besides the type: by owner glob, or (NSEC3 only) by the
 * relation of the NSEC3 to the hash of a name under that NSEC3's own parameters. */
enum px_sel {
	PX_SEL_OWNER,   /* OWNER glob ("" = any) */
	PX_SEL_COVERS,  /* covers=NAME: owner < H(NAME) < next (or the wrap-around span) */
	PX_SEL_MATCHES, /* matches=NAME: the NSEC3 owned by H(NAME) */
	PX_SEL_ENDS     /* ends=NAME: the NSEC3 whose next hashed owner is H(NAME) */
};

/* The type filter: PX_TYPE_ANY ("*") takes every record; any other type takes that
 * type's records and the RRSIGs covering it; RRSIG takes only signatures. */
#define PX_TYPE_ANY 0

struct px_op {
	enum px_op_kind kind;
	int line;
	enum px_section sec;      /* where it acts (copy: the section of the fetched reply) */
	enum px_section dst;      /* move, copy: destination (never PX_SEC_ALL) */
	uint16_t type;
	char owner[PX_NAME_MAX];  /* owner glob ("" = any), or NAME of a selector */
	enum px_sel sel;
	char to[PX_NAME_MAX];     /* rename: new owner */
	int fetch;                /* copy: index into px_rule.fetch */
	int rcode;                /* rcode */
	enum px_flag flag;        /* set */
	int on;                   /* set */
	char text[PX_TEXT_MAX];   /* add */
};

/* fetch LABEL NAME TYPE: asks the upstream nsd (with DO, over TCP) at rule time.
 * load LABEL ZONE: reads the signer's output file of ZONE (from --zone-dir); every record
 * of the zone is then in the answer section of the pseudo-reply LABEL. */
struct px_fetch {
	char label[PX_ID_MAX];
	char name[PX_NAME_MAX];
	uint16_t type;
	int from_zone; /* 1: load */
	int line;
};

struct px_rule {
	char id[PX_ID_MAX];
	int line;
	char qglob[PX_NAME_MAX]; /* lower case, absolute; fnmatch(3) glob */
	uint16_t qtype;          /* PX_TYPE_ANY = any */
	int want_do;             /* -1 either, 0 must be clear, 1 must be set */
	int want_cd;
	unsigned nth;            /* 0: every match; N: only the Nth matching query */
	unsigned seen;           /* matching queries so far (the proxy counts) */
	size_t n_fetch;
	struct px_fetch fetch[PX_MAX_FETCH];
	size_t n_ops;
	struct px_op ops[PX_MAX_OPS];
};

struct px_rules {
	char path[4096];
	size_t n;
	struct px_rule *rule; /* n entries, owned (px_rules_free) */
};

/* Parses rules text (NUL-terminated; path is only for messages) into out, which the caller
 * frees with px_rules_free whatever the result. Returns 0, or -1 with "path:line: reason"
 * in err. */
int px_rules_parse(const char *text, const char *path, struct px_rules *out, char *err,
		   size_t errlen);
/* Reads the file at path and parses it as px_rules_parse does. */
int px_rules_load(const char *path, struct px_rules *out, char *err, size_t errlen);
/* Frees what px_rules_parse allocated in r (safe on a zeroed struct). */
void px_rules_free(struct px_rules *r);

/* 1 if rule r's trigger matches a query (qname in presentation form, any case),
 * without counting it. */
int px_rule_matches(const struct px_rule *r, const char *qname, uint16_t qtype, int do_bit,
		    int cd_bit);

/* Replaces every "$qname" in in by qname; 0, or -1 if the result does not fit. */
int px_expand(const char *in, const char *qname, char *out, size_t outlen);

#endif
