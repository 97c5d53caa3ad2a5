/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_evaluate: a resolver's answers judged by a case of the real catalogue (evaluate.c,
 * observe.c, compare.c's plan). Input: one octet that picks the case (its index modulo the
 * number of cases), then up to four replies, each as a 2-octet length and that many wire
 * octets; query k of the case gets reply k mod the number given. A reply that does not
 * parse stands for a timeout. (One case per input, not all 107: the fuzzer then runs 100
 * times as many inputs, and can work on the rules of one case.) */
#include "common.h"
#include "compare.h"
#include "evaluate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct tp_catalog *cat = fz_catalog();
	struct tp_observation obs[TP_QUERIES_MAX];
	struct fz_in in = {data, size};
	const struct tp_case *c = &cat->cases[fz_byte(&in) % cat->n];
	size_t n = 0;
	while (n < TP_QUERIES_MAX && in.n) {
		size_t len = fz_u16(&in);
		if (len > in.n)
			len = in.n;
		if (fz_observe(in.p, len, &obs[n]) != 0) {
			obs[n].status = TP_OBS_TIMEOUT;
			snprintf(obs[n].reason, sizeof obs[n].reason, "no reply");
		}
		in.p += len;
		in.n -= len;
		n++;
	}
	if (n == 0)
		return 0;
	static struct tp_finding f;
	const struct tp_observation *po[TP_QUERIES_MAX];
	const char *names[TP_QUERIES_MAX];
	for (size_t k = 0; k < c->n_queries; k++) {
		po[k] = &obs[k % n];
		names[k] = c->queries[k].qname; /* as catalogued, variables unexpanded */
	}
	tp_evaluate_case(c, po, (size & 1) ? names : NULL, &f);
	(void)tp_compare_plan(c, po, names, &f);
	for (size_t k = 0; k < n; k++)
		tp_observation_clear(&obs[k]);
	return 0;
}
