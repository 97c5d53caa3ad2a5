/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_catalog: the case catalogue parser (catalog.c). Input: the text of a catalogue
 * (testvectors/cases format). A catalogue that parses is selected by glob, each rule is
 * described, it is checked against the diagnosis rules and written as --list --format
 * json writes it. */
#include "common.h"
#include "diagnose.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tp_catalog cat;
	char err[512], buf[600];
	if (tp_catalog_parse((const char *)data, size, "fuzz.cases", &cat, err, sizeof err) != 0)
		return 0;
	int *sel = calloc(cat.n, sizeof *sel);
	if (!sel)
		abort();
	(void)tp_catalog_select(&cat, "validation.*", sel);
	for (size_t i = 0; i < cat.n; i++) {
		const struct tp_case *c = &cat.cases[i];
		(void)tp_catalog_find(&cat, c->id);
		for (size_t r = 0; r < c->n_rules; r++)
			tp_rule_describe(c, &c->rules[r], buf, sizeof buf);
		for (size_t q = 0; q < c->n_queries; q++)
			tp_qflags_describe(c->queries[q].qflags, c->queries[q].bufsize, buf, sizeof buf);
	}
	(void)tp_diag_check(&cat, err, sizeof err);
	(void)tp_render_catalog_json(fz_null_file(), &cat, sel);
	free(sel);
	tp_catalog_free(&cat);
	return 0;
}
