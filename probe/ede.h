/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* ede: Extended DNS Errors (RFC 8914): the EDNS option 15 of a reply, its INFO-CODE and
 * EXTRA-TEXT, and the name RFC 8914 (and the IANA registry after it) gives each code.
 * Pure: reads the bytes it is given, writes only the caller's buffers. The query engine
 * (query.h) parses every answer with it; evaluators and renderers use the names. */
#ifndef TP_EDE_H
#define TP_EDE_H
#include <stddef.h>
#include <stdint.h>

#define TP_EDE_OPTION 15   /* the EDNS option code of an Extended DNS Error */
#define TP_EDE_TEXT_MAX 80 /* EXTRA-TEXT kept per error, NUL included */

/* One Extended DNS Error. */
struct tp_ede {
	uint16_t code;                /* INFO-CODE */
	char text[TP_EDE_TEXT_MAX];   /* EXTRA-TEXT made printable: bytes below 0x20 and
				       * 0x7f become '?', a trailing NUL the sender added is
				       * dropped, and a longer text is cut (at a UTF-8
				       * character boundary) and ends in "..."; "" for none */
};

/* How the options of one OPT RR's RDATA came out (tp_ede_parse). */
enum tp_ede_parse_status {
	TP_EDE_OK = 0,     /* every option was whole */
	TP_EDE_SHORT,      /* an option 15 shorter than its 2-octet INFO-CODE: skipped, the
			    * options after it were still read */
	TP_EDE_OVERRUN     /* an option (any code) runs past the end of the RDATA, or fewer
			    * than 4 octets are left for its header: reading stopped there */
};

/* Reads the EDNS options in rdata[0..len) (the RDATA of an OPT RR: OPTION-CODE,
 * OPTION-LENGTH, OPTION-DATA, repeated) and writes each Extended DNS Error, in order, to
 * out[0..max). Options of other codes are skipped. Returns how many were written (at most
 * max; more are counted in *seen when seen is not NULL); *status (may be NULL) says
 * whether the data was well formed. NULL rdata or len 0: 0, TP_EDE_OK. */
size_t tp_ede_parse(const uint8_t *rdata, size_t len, struct tp_ede *out, size_t max,
		    size_t *seen, enum tp_ede_parse_status *status);

/* The name of INFO-CODE code ("DNSKEY Missing"), from RFC 8914 4 and the registry's
 * later entries (27, RFC 9276); "" for a code without one. Static storage. */
const char *tp_ede_name(uint16_t code);

/* Writes "EDE 9 DNSKEY Missing" (no name: "EDE 300") into buf; with text, also
 * ": TEXT". Always NUL-terminates. */
void tp_ede_describe(uint16_t code, const char *text, char *buf, size_t len);

#endif
