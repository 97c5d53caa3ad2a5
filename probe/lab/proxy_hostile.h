/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_hostile: the hostile behaviours of the resolver mode of 'trustprobe lab proxy'
 * (--resolver --hostile MODE, issue 15). A hostile resolver stands for a broken or
 * malicious one in front of the probe: it must never crash or hang the probe, never make
 * it say ready, and the probe must say what went wrong within its -t.
 *
 * Every mode answers a non-recursive query (RD clear: the lab's own readiness check, never
 * one of the probe's, which all set RD) with an honest REFUSED, so that 'lab up' sees it
 * running. Recursive queries get the mode:
 *   silent          never answers (UDP dropped; TCP accepted, read, never answered)
 *   slow            the upstream's genuine answer, PX_HOSTILE_SLOW_S seconds late
 *   wrong-id        the upstream's answer with another message ID
 *   wrong-question  the upstream's answer for another question (a letter of the QNAME
 *                   changed; the QTYPE for the root name)
 *   garbage         a short message with the query's ID that does not parse
 *   tc              TC set on every answer, UDP and TCP, header and question only
 *   tcp-cut         TC over UDP; over TCP a length prefix that promises more than is
 *                   sent, then the connection is closed
 *   tcp-stall       the same, but the connection stays open and nothing more comes
 *   huge            a message of the largest size (UDP 65507 octets, TCP 65535) with the
 *                   query's ID and question that does not parse
 *   tcp-hang        TC over UDP; the TCP listener never accepts (backlog 0): the first
 *                   connection is established and never answered, the next never complete
 *   flood           PX_HOSTILE_FLOOD_N replies per query with every ID but the query's
 *                   (the question echoed), never the answer
 * This file holds the pure part (names, rewriting, the messages); proxy_resolver.c serves. */
#ifndef TP_PROXY_HOSTILE_H
#define TP_PROXY_HOSTILE_H
#include <ldns/ldns.h>
#include <stddef.h>
#include <stdint.h>

#define PX_HOSTILE_SLOW_S 15.0
#define PX_HOSTILE_FLOOD_N 300
#define PX_HOSTILE_UDP_MAX 65507 /* the largest UDP payload over IPv4 */

enum px_hostile {
	PX_HOSTILE_NONE = 0,
	PX_HOSTILE_SILENT,
	PX_HOSTILE_SLOW,
	PX_HOSTILE_WRONG_ID,
	PX_HOSTILE_WRONG_QUESTION,
	PX_HOSTILE_GARBAGE,
	PX_HOSTILE_TC,
	PX_HOSTILE_TCP_CUT,
	PX_HOSTILE_TCP_STALL,
	PX_HOSTILE_HUGE,
	PX_HOSTILE_TCP_HANG,
	PX_HOSTILE_FLOOD,
	PX_HOSTILE_N
};

/* Parses a mode name (above) into *h; NULL is PX_HOSTILE_NONE. 0, or -1 with one line in
 * err naming the known modes. */
int px_hostile_parse(const char *s, enum px_hostile *h, char *err, size_t errlen);

/* The mode's name ("silent", ...; "none"), static storage. */
const char *px_hostile_name(enum px_hostile h);

/* 1 if the mode forwards the query to the upstream and spoils its answer (slow,
 * wrong-id, wrong-question), 0 if it answers by itself. */
int px_hostile_relays(enum px_hostile h);

/* wrong-id and wrong-question: spoils the reply wire (len octets, the client's ID already
 * in place) in place. 0, or -1 if it has no question to change (the caller drops it). */
int px_hostile_rewrite(enum px_hostile h, uint8_t *wire, size_t len);

/* The messages a self-answering mode sends for query q (wire, qlen octets) over UDP or
 * TCP. *out gets a malloc'd buffer of *outlen octets: for UDP one datagram per message
 * (*count of them, each *outlen / *count octets); for TCP the raw stream to write, framing
 * included (and broken, for tcp-cut and tcp-stall), *count 1. *close is set when the
 * connection is to be closed after it. seed drives the random octets. Returns 0 (*out NULL
 * and *count 0 when the mode sends nothing), -1 when out of memory. */
int px_hostile_answer(enum px_hostile h, const ldns_pkt *q, const uint8_t *qwire, size_t qlen,
		      int tcp, uint32_t *seed, uint8_t **out, size_t *outlen, size_t *count,
		      int *close);

#endif
