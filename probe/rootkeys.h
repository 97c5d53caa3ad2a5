/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* rootkeys: reads the root DNSKEY RRset as a resolver returned it (the KSKs published, which
 * of them sign the set, REVOKE bits, the TTL, AD) and judges it against what the root should
 * look like on the probe's date: the real root's calendar (roll.h), or the lab root's current
 * and next KSK. Pure: no I/O; the caller owns every struct. */
#ifndef TP_ROOTKEYS_H
#define TP_ROOTKEYS_H
#include <ldns/ldns.h>
#include <stddef.h>
#include <stdint.h>
#include "report.h"

#define TP_ROOTKEYS_MAX 16

struct tp_rootkeys {
	size_t n_ksk;                     /* DNSKEYs with the SEP bit */
	uint16_t ksk[TP_ROOTKEYS_MAX];    /* their tags (a revoked key has its revoked tag) */
	int revoked[TP_ROOTKEYS_MAX];     /* REVOKE bit set */
	size_t n_zsk;
	size_t n_signers;                 /* key tags of the RRSIGs over the DNSKEY RRset */
	uint16_t signer[TP_ROOTKEYS_MAX];
	uint32_t ttl;                     /* of the DNSKEY RRset */
	int ad;                           /* the reply's AD bit */
};

/* Reads the DNSKEY RRset of the root from the answer section of p into rk. Returns 0, or
 * -1 when p has no root DNSKEY in its answer. */
int tp_rootkeys_read(const ldns_pkt *p, struct tp_rootkeys *rk);

/* What the root should look like. */
struct tp_rootkeys_expect {
	uint16_t in_force;  /* the KSK that signs now (calendar, or the lab's current) */
	uint16_t next;      /* lab: the published next KSK; 0 for the real root */
	int real_root;      /* 1: compare with the real root's calendar at now */
	long long now;      /* seconds since the epoch */
};

/* Refines finding f of a root DNSKEY case whose rules have already been evaluated: a pass
 * becomes a fail when the key in force does not sign the RRset or is not published (or is
 * revoked), a warn when the lab's next KSK is missing; the reason then lists the keys, the
 * signer, the TTL and the date-aware next step. A fail or skip of the rules stays as it is,
 * with the keys added to its reason when they could be read. */
void tp_rootkeys_check(const struct tp_rootkeys *rk, int have_keys,
		       const struct tp_rootkeys_expect *e, struct tp_finding *f);

#endif
