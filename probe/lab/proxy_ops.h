/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_ops: applies the operations of one attack rule to a reply. Pure packet work on
 * ldns structures, no I/O: the proxy (proxy.c) fetches the genuine replies first and
 * hands them in, and the unit tests hand in recorded or constructed packets. */
#ifndef TP_PROXY_OPS_H
#define TP_PROXY_OPS_H
#include <ldns/ldns.h>
#include <stddef.h>
#include "proxy_rules.h"

/* Applies r's operations in order to reply (owned by the caller, modified in place).
 * fetched[i] is the reply to r->fetch[i] (owned by the caller; NULL if that fetch failed,
 * which makes an operation that copies from it fail). qname is the query name in
 * presentation form with final dot; it replaces $qname in names and record text.
 * Returns 0, or -1 with "rule ID line N: reason" in err (reply is then half rewritten
 * and the caller should not send it). */
int px_apply(const struct px_rule *r, ldns_pkt *reply, ldns_pkt *const *fetched,
	     const char *qname, char *err, size_t errlen);

/* 1 if rr passes the type filter t of an operation (see PX_TYPE_ANY in proxy_rules.h). */
int px_type_takes(uint16_t t, const ldns_rr *rr);

#endif
