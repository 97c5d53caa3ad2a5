/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_ledger: what the attacker proxy forged, for whom. A resolver that answers SERVFAIL
 * to an attack's question may have refused the forgery, or may never have got it (the
 * proxy's upstream timed out, serve's rate limit dropped the query, a packet was lost):
 * only the first is a pass. The proxy therefore keeps a ledger of the forged replies it
 * sent, per source address and rule, and serves it in DNS: a TXT question for
 * RAND.RULE._ledger.ZONE (an unsigned zone delegated to the proxy, so that no resolver
 * validates, synthesises or caches it) is answered from the ledger for the address that
 * asked it, which is the resolver's own (or, behind forwarders, the egress of the chain
 * that also carried the attack). RULE is the rule's id in lower case with '.' as '-'
 * ("a1", "b6-unrelated"). The answer is one TXT string:
 *   "trustprobe-ledger rule=ID forged=N age=S"   N replies forged for this address, the
 *                                                 last S seconds ago (one decimal) (no age when N is 0)
 *   "trustprobe-ledger rule=? unknown"            no rule of that name
 * Pure: no I/O and no clock of its own (the caller passes the time), so that the unit
 * tests drive it. Bounded: PX_LEDGER_SLOTS entries, the least recently used one taken
 * over when full (serve on the Internet). */
#ifndef TP_PROXY_LEDGER_H
#define TP_PROXY_LEDGER_H
#include <stddef.h>

#define PX_LEDGER_SLOTS 4096
#define PX_LEDGER_LABEL "_ledger"      /* the first label of the ledger's zone */
#define PX_LEDGER_TEXT "trustprobe-ledger"

struct px_ledger_slot {
	char peer[46];      /* the source address, "" for a free slot */
	int rule;           /* index of the rule in the proxy's rule set */
	unsigned long n;    /* replies forged */
	double last;        /* time of the last one */
};

#define PX_LEDGER_MAGIC 0x74706c31u /* "tpl1": a file of this layout (serve's DIR/ledger) */

struct px_ledger {
	unsigned magic;     /* PX_LEDGER_MAGIC once initialised */
	size_t used;
	struct px_ledger_slot slot[PX_LEDGER_SLOTS];
};

/* Empties l (caller-owned, large: static, heap or a mapped file) and marks it initialised. */
void px_ledger_init(struct px_ledger *l);

/* Records one reply forged by rule to peer at time now. */
void px_ledger_note(struct px_ledger *l, const char *peer, int rule, double now);

/* Replies forged by rule to peer, and the time of the last one in *last (0 for none). */
unsigned long px_ledger_get(const struct px_ledger *l, const char *peer, int rule,
			    double *last);

/* The ledger label of rule id ("B6.unrelated" -> "b6-unrelated") into out. Returns 0, or
 * -1 when it does not fit. */
int px_ledger_label(const char *id, char *out, size_t n);

/* The answer's TXT string (without quotes) for rule (-1: no rule of that label; id then
 * unused) and peer at time now, into out. */
void px_ledger_text(const struct px_ledger *l, const char *peer, int rule, const char *id,
		    double now, char *out, size_t n);

#endif
