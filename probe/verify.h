/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* verify: the independent validator (libunbound). It asks the resolver under test the same
 * question again, as a forwarder, and validates the answer itself against the probe's own
 * trust anchor, so that a resolver's AD can be checked against what the data really is.
 * One context per target; the caller owns it and closes it. The only I/O is to the target. */
#ifndef TP_VERIFY_H
#define TP_VERIFY_H
#include <stddef.h>
#include <stdint.h>
#include "query.h"

/* What the independent validator found. */
enum tp_verified {
	TP_VERIFIED_NONE = 0, /* not checked (no anchor, no answer, an error) */
	TP_VERIFIED_SECURE,   /* the data validates to the anchor */
	TP_VERIFIED_INSECURE, /* provably unsigned */
	TP_VERIFIED_BOGUS     /* it fails validation; why says how */
};

struct tp_verify {
	void *ctx;            /* struct ub_ctx *, or NULL when unusable */
	char err[256];
};

/* Opens a validator that forwards to target t and trusts the root keys in anchor_file (a
 * file of DS or DNSKEY lines). Returns 0, or -1 with v->err set (v is then unusable but
 * safe to close). */
int tp_verify_open(struct tp_verify *v, const struct tp_target *t, const char *anchor_file);

/* Resolves qname/qtype (class IN) and says what the data is; why (may be NULL) gets
 * libunbound's reason for a bogus answer, or the error. */
enum tp_verified tp_verify_name(struct tp_verify *v, const char *qname, uint16_t qtype,
				char *why, size_t whylen);

/* As tp_verify_name for n questions at once (one worker of libunbound's for all, the
 * chain of trust fetched once): out[i] and why[i] for qname[i], qtype[i]. */
void tp_verify_names(struct tp_verify *v, size_t n, const char *const *qname,
		     const uint16_t *qtype, enum tp_verified *out, char (*why)[160]);

/* Frees the context; safe on a failed or closed one. */
void tp_verify_close(struct tp_verify *v);

/* "secure", "insecure", "bogus", "not checked". */
const char *tp_verified_name(enum tp_verified x);

#endif
