/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* ede: see ede.h. */
#include "ede.h"
#include <stdio.h>
#include <string.h>

/* RFC 8914 4.1 to 4.25 (codes 0 to 24), then the IANA registry: 27 from RFC 9276. */
static const char *const names[] = {
	"Other Error", "Unsupported DNSKEY Algorithm", "Unsupported DS Digest Type",
	"Stale Answer", "Forged Answer", "DNSSEC Indeterminate", "DNSSEC Bogus",
	"Signature Expired", "Signature Not Yet Valid", "DNSKEY Missing", "RRSIGs Missing",
	"No Zone Key Bit Set", "NSEC Missing", "Cached Error", "Not Ready", "Blocked",
	"Censored", "Filtered", "Prohibited", "Stale NXDomain Answer", "Not Authoritative",
	"Not Supported", "No Reachable Authority", "Network Error", "Invalid Data",
	"", "", "Unsupported NSEC3 Iterations Value",
};

const char *tp_ede_name(uint16_t code)
{
	return code < sizeof names / sizeof names[0] ? names[code] : "";
}

/* Copies the EXTRA-TEXT t[0..n) into out as described in ede.h. */
static void copy_text(const uint8_t *t, size_t n, char *out, size_t len)
{
	size_t o = 0;

	while (n > 0 && t[n - 1] == 0) /* a NUL some senders add (RFC 8914 2: not terminated) */
		n--;
	for (size_t i = 0; i < n && o + 1 < len; i++)
		out[o++] = t[i] < 0x20 || t[i] == 0x7f ? '?' : (char)t[i];
	out[o] = '\0';
	if (o < n && len >= 4) { /* cut: end on a character boundary, then "..." */
		o = len - 4;
		while (o > 0 && ((unsigned char)out[o] & 0xc0) == 0x80)
			o--;
		memcpy(out + o, "...", 4);
	}
}

size_t tp_ede_parse(const uint8_t *rdata, size_t len, struct tp_ede *out, size_t max,
		    size_t *seen, enum tp_ede_parse_status *status)
{
	size_t off = 0, n = 0, all = 0;
	enum tp_ede_parse_status st = TP_EDE_OK;

	while (rdata && off < len) {
		if (len - off < 4) {
			st = TP_EDE_OVERRUN;
			break;
		}
		unsigned code = (unsigned)(rdata[off] << 8 | rdata[off + 1]);
		size_t ol = (size_t)(rdata[off + 2] << 8 | rdata[off + 3]);
		const uint8_t *d = rdata + off + 4;
		if (ol > len - off - 4) {
			st = TP_EDE_OVERRUN;
			break;
		}
		off += 4 + ol;
		if (code != TP_EDE_OPTION)
			continue;
		if (ol < 2) {
			if (st == TP_EDE_OK)
				st = TP_EDE_SHORT;
			continue;
		}
		all++;
		if (n < max && out) {
			out[n].code = (uint16_t)(d[0] << 8 | d[1]);
			copy_text(d + 2, ol - 2, out[n].text, sizeof out[n].text);
			n++;
		}
	}
	if (seen)
		*seen = all;
	if (status)
		*status = st;
	return n;
}

void tp_ede_describe(uint16_t code, const char *text, char *buf, size_t len)
{
	const char *name = tp_ede_name(code);
	if (!len)
		return;
	snprintf(buf, len, "EDE %u%s%s%s%s", (unsigned)code, *name ? " " : "", name,
		 text && *text ? ": " : "", text ? text : "");
}
