/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* common.h: what the libFuzzer harnesses (fuzz/fuzz_*.c) share: the real catalogue, the
 * fuzz input as text or as a stream of bytes, a reply packet made into an observation the
 * way the query engine makes one, and a FILE that discards what the renderers write.
 * Include it once per harness; its functions are static. The vectors directory is env
 * TP_VECTORS, else FZ_VECTORS (the Makefile passes the tree's testvectors/). */
#ifndef TP_FUZZ_COMMON_H
#define TP_FUZZ_COMMON_H
#include "catalog.h"
#include "query.h"
#include <ldns/ldns.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FZ_VECTORS
#define FZ_VECTORS "testvectors"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static __attribute__((unused)) const char *fz_vectors(void)
{
	const char *v = getenv("TP_VECTORS");
	return v && *v ? v : FZ_VECTORS;
}

/* The catalogue testvectors/cases, loaded once; a harness that cannot load it aborts (a
 * fuzzer without its catalogue would only test the error path). */
static __attribute__((unused)) const struct tp_catalog *fz_catalog(void)
{
	static struct tp_catalog cat;
	static int loaded;
	if (!loaded) {
		char path[4096], err[512];
		snprintf(path, sizeof path, "%s/cases", fz_vectors());
		if (tp_catalog_load(path, &cat, err, sizeof err) != 0) {
			fprintf(stderr, "fuzz: %s\n", err);
			abort();
		}
		loaded = 1;
	}
	return &cat;
}

/* The input as a malloc'd NUL-terminated string (NUL bytes inside stay: a parser sees
 * the text up to the first one, as it would of such a file). */
static __attribute__((unused)) char *fz_text(const uint8_t *data, size_t size)
{
	char *t = malloc(size + 1);
	if (!t)
		abort();
	memcpy(t, data, size);
	t[size] = '\0';
	return t;
}

/* The input as a stream of bytes; reads past the end give 0. */
struct fz_in {
	const uint8_t *p;
	size_t n;
};

static __attribute__((unused)) unsigned fz_byte(struct fz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static __attribute__((unused)) unsigned fz_u16(struct fz_in *in)
{
	unsigned hi = fz_byte(in);
	return hi << 8 | fz_byte(in);
}

/* Fills obs from a reply's wire bytes as the engine's accept_answer (query.c) does: the
 * parsed packet, a copy of the wire, the EDE list. Returns 0, or -1 (obs zeroed) when
 * ldns does not parse them (the engine drops such a reply). */
static __attribute__((unused)) int fz_observe(const uint8_t *wire, size_t len,
					      struct tp_observation *obs)
{
	memset(obs, 0, sizeof *obs);
	ldns_pkt *p = NULL;
	if (len < 12 || ldns_wire2pkt(&p, wire, len) != LDNS_STATUS_OK || !p)
		return -1;
	obs->status = TP_OBS_ANSWER;
	obs->pkt = p;
	obs->wire = malloc(len);
	if (!obs->wire)
		abort();
	memcpy(obs->wire, wire, len);
	obs->wirelen = len;
	obs->truncated = (wire[2] & 0x02) != 0;
	obs->used_tcp = obs->truncated;
	obs->transport = obs->used_tcp ? TP_TRANSPORT_TCP : TP_TRANSPORT_UDP;
	obs->attempts = 1;
	obs->rtt_ms = 1.5;
	struct tp_ede e[TP_EDE_MAX];
	obs->n_ede = tp_pkt_ede_list(p, e, TP_EDE_MAX);
	for (size_t i = 0; i < obs->n_ede; i++) {
		obs->ede[i] = e[i].code;
		memcpy(obs->ede_text[i], e[i].text, sizeof obs->ede_text[i]);
	}
	return 0;
}

static __attribute__((unused)) ssize_t fz_discard_write(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	(void)buf;
	return (ssize_t)n;
}

/* A FILE that takes everything and keeps nothing (no system call per write). */
static __attribute__((unused)) FILE *fz_null_file(void)
{
	static FILE *f;
	if (!f) {
		cookie_io_functions_t io = {NULL, fz_discard_write, NULL, NULL};
		f = fopencookie(NULL, "w", io);
		if (!f)
			abort();
	}
	return f;
}

#endif
