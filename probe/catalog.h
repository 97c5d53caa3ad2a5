/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* catalog: the case catalogue (testvectors/cases, format in testvectors/README, "The case
 * catalogue"), format v2: cases with one or more labelled queries. Parses it into plain
 * structs and selects cases by id glob; plan.h turns cases into queries, evaluate.h judges
 * the answers.
 * Everything here is owned by struct tp_catalog; no I/O except tp_catalog_load(). */
#ifndef TP_CATALOG_H
#define TP_CATALOG_H
#include <stddef.h>
#include <stdint.h>

#include "query.h"
#include "report.h"

/* One atom of an outcome pattern. A pattern matches when every atom holds. */
enum tp_atom_kind {
	TP_AT_RCODE = 0,  /* rcode=NAME: the reply's RCODE is value */
	TP_AT_AD,         /* ad=0|1: the AD flag of the reply */
	TP_AT_ANSWER,     /* answer=TYPE: an RR of type value in the answer section */
	TP_AT_NOANSWER,   /* noanswer: no RR of the query type in the answer section */
	TP_AT_RRSIG,      /* rrsig=0|1: an RRSIG in the answer section (or none) */
	TP_AT_AUTH,       /* auth=TYPE: an RR of type value in the authority section */
	TP_AT_EDNS,       /* edns=0|1: an OPT RR in the reply (or none) */
	TP_AT_DO,         /* do=0|1: the DO bit in the reply's OPT */
	TP_AT_TC,         /* tc=0|1: the UDP answer was truncated (then TCP was used) */
	TP_AT_TCP,        /* tcp=0|1: the answer came over TCP */
	TP_AT_EDE         /* ede=N: an Extended DNS Error (RFC 8914) with INFO-CODE value */
};

struct tp_atom {
	enum tp_atom_kind kind;
	uint16_t value;   /* rcode, RR type, EDE code, or 0/1 */
	uint8_t q;        /* index into the case's queries[] of the query it tests (0: the
			   * first; an atom without a LABEL: prefix) */
	uint8_t negate;   /* written "!ATOM": holds when ATOM does not */
};

#define TP_ATOMS_MAX 8
#define TP_RULES_MAX 8
#define TP_NOTE_MAX 128
#define TP_QUERIES_MAX 4  /* queries per case */
#define TP_LABEL_MAX 16   /* query label, with its NUL */
#define TP_FORGERY_MAX 32 /* an attack rule's id (testvectors/attacks), with its NUL */

/* One outcome rule: "pass|warn|fail|skip PATTERN [-- NOTE]". */
struct tp_rule {
	enum tp_status status;            /* TP_PASS, TP_WARN, TP_FAIL or TP_SKIP */
	size_t n_atoms;                   /* >= 1 */
	struct tp_atom atoms[TP_ATOMS_MAX];
	char note[TP_NOTE_MAX];           /* "" when the rule has none */
	unsigned line;                    /* line of the rule in the catalogue */
};

/* Variables a query name may use; see testvectors/README. */
enum {
	TP_VAR_RAND = 1,        /* {rand}: a fresh random label per case and run */
	TP_VAR_KSK_CURRENT = 2, /* {ksk_current}: tag of the root KSK in force, 5 digits */
	TP_VAR_KSK_NEXT = 4     /* {ksk_next}: tag of the next root KSK, 5 digits */
};

/* One query of a case: "query [LABEL] NAME TYPE [FLAG...]". */
/* Built-in checks over the RR data of an answer, run after a case's rules (probe.c). */
enum tp_check {
	TP_CHECK_NONE = 0,
	TP_CHECK_ROOT_KEYS  /* "check root-keys": rootkeys.h on the case's first answer */
};

struct tp_cquery {
	char label[TP_LABEL_MAX];         /* "" for the one unlabelled query of a v1 case */
	char qname[256];                  /* as written, variables unexpanded: relative
					   * ("www.alg13", "{rand}.wild") or absolute (".") */
	int needs_zone;                   /* qname is relative: it goes under the test zone */
	unsigned vars;                    /* TP_VAR_* that qname uses */
	uint16_t qtype;
	unsigned qflags;                  /* TP_Q_* */
	uint16_t bufsize;                 /* 0 = engine default */
	int control;                      /* label "ctl" or "ctl..." : a positive control,
					   * sent before the other queries (plan.h) */
	unsigned line;                    /* line of the query directive */
};

/* One case of the catalogue. */
struct tp_case {
	char id[TP_ID_MAX];               /* unique, e.g. "validation.bogus-sig" */
	enum tp_group group;
	size_t n_queries;                 /* 1..TP_QUERIES_MAX, in file order */
	struct tp_cquery queries[TP_QUERIES_MAX];
	int needs_zone;                   /* some query name is relative */
	unsigned vars;                    /* TP_VAR_* used by any query */
	int lab_only;                     /* "lab-only yes": skipped outside a lab */
	char forgery[TP_FORGERY_MAX];     /* "forgery RULE": the attacker proxy's rule whose
					   * forged reply the case judges the resolver on; a
					   * pass stands only if the proxy's ledger says that it
					   * reached the resolver (ledger.h). "" for none */
	enum tp_check check;              /* "check NAME": a built-in check after the rules */
	int essential;                    /* a skip makes the verdict unknown */
	size_t n_rules;                   /* >= 1, and at least one TP_PASS rule */
	struct tp_rule rules[TP_RULES_MAX]; /* first match wins, in file order */
	enum tp_status otherwise;         /* TP_FAIL (default) or TP_WARN: no rule matched */
	char reason[160];                 /* what the case checks, one line */
	char source[128];                 /* "RFC 4035 5.5", an advisory, ... */
	unsigned line;                    /* line of the "case" directive */
	uint8_t matrix_alg;               /* "matrix ALG DIGEST": the case is the cell of the */
	uint8_t matrix_digest;            /* algorithm matrix for DNSKEY algorithm ALG under a
					   * DS of digest type DIGEST (both 1..255, unique in
					   * the catalogue); 0 0 for every other case */
	size_t n_ede_suggest;             /* "ede N [N]": the Extended DNS Error codes RFC 8914 */
	uint16_t ede_suggest[TP_EDE_SUGGEST_MAX]; /* suggests when the resolver does not give
					   * the secure answer (shown beside the codes it used;
					   * never decides a status) */
};

struct tp_catalog {
	size_t n;
	struct tp_case *cases;            /* owned; freed by tp_catalog_free */
};

/* Reasons of the skips the plan gives a case it cannot run (plan.h). */
#define TP_SKIP_NO_ZONE "needs a test zone (--zone or --lab)"
#define TP_SKIP_LAB_ONLY "lab-only: runs only against a lab (trustprobe lab, or --lab DIR) or a zone of trustprobe serve"
#define TP_SKIP_NO_KSK "needs the root KSK tags of a lab (--lab DIR: LAB_KSK_CURRENT, LAB_KSK_NEXT)"

/* Reads the catalogue at path into *cat (which it overwrites without freeing).
 * Returns 0; or -1 with "<path>:<line>: <reason>" in err (only "<path>: <reason>" for an
 * unreadable file or an empty catalogue) and *cat zeroed. err may be NULL. The caller owns
 * *cat afterwards and frees it with tp_catalog_free(). */
int tp_catalog_load(const char *path, struct tp_catalog *cat, char *err, size_t errlen);
#define TP_CATALOG_FILE_MAX (4u << 20) /* the largest catalogue tp_catalog_load reads */
/* Parses text[0..len) (a catalogue read whole; path only names it in messages) as
 * tp_catalog_load does. */
int tp_catalog_parse(const char *text, size_t len, const char *path, struct tp_catalog *cat,
		     char *err, size_t errlen);

/* The query of c labelled "fwd" (the one a case with a forgery is judged on), or NULL. */
const struct tp_cquery *tp_case_fwd(const struct tp_case *c);

/* Frees what cat owns and zeroes it; safe on a zeroed catalogue. */
void tp_catalog_free(struct tp_catalog *cat);

/* Marks selected[i] = 1 for each case whose id matches glob (fnmatch(3), no flags), else 0.
 * A NULL glob selects everything. selected has room for cat->n ints, owned by the caller.
 * Returns the number selected (0 when nothing matches). */
size_t tp_catalog_select(const struct tp_catalog *cat, const char *glob, int *selected);

/* Finds a case by exact id; NULL if none. The pointer is into cat. */
const struct tp_case *tp_catalog_find(const struct tp_catalog *cat, const char *id);

/* Writes the text form of a pattern of case c ("SERVFAIL", "NOERROR, AD set, answer A";
 * atoms of a labelled query are prefixed "fwd: ", negated ones "not ") into buf. Always
 * NUL-terminates (truncating). */
void tp_rule_describe(const struct tp_case *c, const struct tp_rule *r, char *buf, size_t len);

/* Writes the text form of the query flags (" rd do bufsize=1232", "" for none). */
void tp_qflags_describe(unsigned qflags, uint16_t bufsize, char *buf, size_t len);

/* Writes the mnemonic of RR type t ("TLSA"), or "TYPEnnn" for one ldns does not know. */
void tp_type_name(uint16_t t, char *buf, size_t len);

#endif
