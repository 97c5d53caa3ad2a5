/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_hostile: see proxy_hostile.h. */
#include "proxy_hostile.h"
#include "proxy_net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[PX_HOSTILE_N] = {
	[PX_HOSTILE_NONE] = "none",
	[PX_HOSTILE_SILENT] = "silent",
	[PX_HOSTILE_SLOW] = "slow",
	[PX_HOSTILE_WRONG_ID] = "wrong-id",
	[PX_HOSTILE_WRONG_QUESTION] = "wrong-question",
	[PX_HOSTILE_GARBAGE] = "garbage",
	[PX_HOSTILE_TC] = "tc",
	[PX_HOSTILE_TCP_CUT] = "tcp-cut",
	[PX_HOSTILE_TCP_STALL] = "tcp-stall",
	[PX_HOSTILE_HUGE] = "huge",
	[PX_HOSTILE_TCP_HANG] = "tcp-hang",
	[PX_HOSTILE_FLOOD] = "flood",
};

int px_hostile_parse(const char *s, enum px_hostile *h, char *err, size_t errlen)
{
	*h = PX_HOSTILE_NONE;
	if (!s)
		return 0;
	for (int i = 1; i < PX_HOSTILE_N; i++)
		if (strcmp(s, names[i]) == 0) {
			*h = (enum px_hostile)i;
			return 0;
		}
	char known[256] = "";
	for (int i = 1; i < PX_HOSTILE_N; i++) {
		strncat(known, i > 1 ? ", " : "", sizeof known - strlen(known) - 1);
		strncat(known, names[i], sizeof known - strlen(known) - 1);
	}
	snprintf(err, errlen, "--hostile: unknown mode '%.64s' (known: %s)", s, known);
	return -1;
}

const char *px_hostile_name(enum px_hostile h)
{
	return h >= 0 && h < PX_HOSTILE_N ? names[h] : "?";
}

int px_hostile_relays(enum px_hostile h)
{
	return h == PX_HOSTILE_SLOW || h == PX_HOSTILE_WRONG_ID || h == PX_HOSTILE_WRONG_QUESTION;
}

/* The offset just past the QNAME of the question at offset 12, or 0 (none, or cut). */
static size_t qname_end(const uint8_t *w, size_t len)
{
	if (len < 12 || ((w[4] << 8) | w[5]) == 0)
		return 0;
	size_t o = 12;
	while (o < len && w[o] != 0) {
		if (w[o] > 63) /* a pointer or an extended label: never in a question we sent */
			return 0;
		o += 1 + (size_t)w[o];
	}
	return o < len ? o + 1 : 0;
}

int px_hostile_rewrite(enum px_hostile h, uint8_t *wire, size_t len)
{
	if (h == PX_HOSTILE_WRONG_ID) {
		wire[0] ^= 0x5a; /* never the ID it was: the client drops it */
		wire[1] ^= 0xa5;
		return 0;
	}
	if (h != PX_HOSTILE_WRONG_QUESTION)
		return 0;
	size_t end = qname_end(wire, len);
	if (!end || end + 4 > len)
		return -1;
	if (wire[12] > 0) { /* a letter of the first label, never its case (RFC 4343) */
		uint8_t c = wire[13] | 0x20;
		wire[13] = c == 'x' ? 'y' : 'x';
	} else { /* the root name: another QTYPE */
		wire[end] ^= 0x01;
		wire[end + 1] ^= 0x01;
	}
	return 0;
}

static uint32_t next_rand(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* A message of *size octets (at least the header and question) with q's ID, QR set, the
 * question of qwire and random octets after it, claiming 65535 answers: it can never
 * parse (65535 records need more than 65535 octets). */
static uint8_t *junk(const uint8_t *qwire, size_t qlen, size_t *sizep, uint32_t *seed)
{
	size_t end = qname_end(qwire, qlen);
	size_t qd = end && end + 4 <= qlen ? end + 4 : 12;
	if (*sizep < qd)
		*sizep = qd;
	size_t size = *sizep;
	uint8_t *m = malloc(size);
	if (!m)
		return NULL;
	memcpy(m, qwire, qd);
	m[2] = 0x81; /* QR, opcode QUERY, RD */
	m[3] = 0x80; /* RA, NOERROR */
	m[4] = 0;
	m[5] = qd > 12;
	m[6] = m[7] = 0xff;
	memset(m + 8, 0, 4);
	for (size_t i = qd; i < size; i++)
		m[i] = (uint8_t)next_rand(seed);
	return m;
}

int px_hostile_answer(enum px_hostile h, const ldns_pkt *q, const uint8_t *qwire, size_t qlen,
		      int tcp, uint32_t *seed, uint8_t **out, size_t *outlen, size_t *count,
		      int *close)
{
	*out = NULL;
	*outlen = *count = 0;
	*close = 0;
	uint8_t *m = NULL;
	size_t ml = 0;
	switch (h) {
	case PX_HOSTILE_GARBAGE:
		ml = 40 + next_rand(seed) % 200;
		m = junk(qwire, qlen, &ml, seed);
		break;
	case PX_HOSTILE_HUGE:
		ml = tcp ? PX_MSG_MAX : PX_HOSTILE_UDP_MAX;
		m = junk(qwire, qlen, &ml, seed);
		break;
	case PX_HOSTILE_TC:
		m = px_short_reply(q, LDNS_RCODE_NOERROR, 1, &ml);
		break;
	case PX_HOSTILE_TCP_CUT:
	case PX_HOSTILE_TCP_STALL:
	case PX_HOSTILE_TCP_HANG:
		m = px_short_reply(q, LDNS_RCODE_NOERROR, 1, &ml);
		if (m && tcp) { /* the prefix promises 4096 octets; the TC reply is all that comes */
			uint8_t *s = malloc(2 + ml);
			if (s) {
				s[0] = 0x10;
				s[1] = 0x00;
				memcpy(s + 2, m, ml);
				ml += 2;
			}
			free(m);
			m = s;
			*close = h == PX_HOSTILE_TCP_CUT;
		}
		break;
	case PX_HOSTILE_FLOOD: {
		size_t one = 0;
		uint8_t *r = px_short_reply(q, LDNS_RCODE_NOERROR, 0, &one);
		if (!r)
			return -1;
		r[3] |= 0x80; /* RA */
		size_t step = one + (tcp ? 2 : 0);
		m = malloc(step * PX_HOSTILE_FLOOD_N);
		if (!m) {
			free(r);
			return -1;
		}
		uint16_t id = (uint16_t)((qwire[0] << 8) | qwire[1]);
		for (size_t k = 0; k < PX_HOSTILE_FLOOD_N; k++) {
			uint8_t *d = m + k * step;
			if (tcp) {
				d[0] = (uint8_t)(one >> 8);
				d[1] = (uint8_t)one;
				d += 2;
			}
			memcpy(d, r, one);
			uint16_t x = (uint16_t)(id + 1 + k); /* every ID but the query's */
			d[0] = (uint8_t)(x >> 8);
			d[1] = (uint8_t)x;
		}
		free(r);
		*out = m;
		*outlen = step * PX_HOSTILE_FLOOD_N;
		*count = tcp ? 1 : PX_HOSTILE_FLOOD_N;
		return 0;
	}
	default: /* silent and the relaying modes send nothing of their own */
		return 0;
	}
	if (!m)
		return -1;
	m[tcp && (h == PX_HOSTILE_TCP_CUT || h == PX_HOSTILE_TCP_STALL ||
		  h == PX_HOSTILE_TCP_HANG) ? 5 : 3] |= 0x80; /* RA: it poses as a resolver */
	if (tcp && h != PX_HOSTILE_TCP_CUT && h != PX_HOSTILE_TCP_STALL &&
	    h != PX_HOSTILE_TCP_HANG) { /* framed as RFC 1035 4.2.2 says */
		uint8_t *s = malloc(2 + ml);
		if (!s) {
			free(m);
			return -1;
		}
		s[0] = (uint8_t)(ml >> 8);
		s[1] = (uint8_t)ml;
		memcpy(s + 2, m, ml);
		free(m);
		m = s;
		ml += 2;
	}
	*out = m;
	*outlen = ml;
	*count = 1;
	return 0;
}
