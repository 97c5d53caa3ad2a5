/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_proxy_rules: the attacker proxy's rule parser (proxy_rules.c). Input: the text of
 * an attack-rules file. Every rule parsed is matched against a few queries and its names
 * are expanded as the proxy does when the rule fires. */
#include "common.h"
#include "proxy_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct px_rules rules;
	char err[600], out[PX_NAME_MAX * 2];
	char *text = fz_text(data, size);
	if (px_rules_parse(text, "fuzz.rules", &rules, err, sizeof err) == 0) {
		static const char *const q[] = {"a.ax.atk-a1.test.", "TEST.", ".",
						"*.x.", "$qname."};
		for (size_t i = 0; i < rules.n; i++) {
			const struct px_rule *r = &rules.rule[i];
			for (size_t k = 0; k < sizeof q / sizeof q[0]; k++) {
				(void)px_rule_matches(r, q[k], 1, (int)(k & 1), (int)(k & 2));
				(void)px_rule_matches(r, q[k], r->qtype, r->want_do, r->want_cd);
				for (size_t f = 0; f < r->n_fetch; f++)
					(void)px_expand(r->fetch[f].name, q[k], out, sizeof out);
				for (size_t o = 0; o < r->n_ops; o++) {
					(void)px_expand(r->ops[o].owner, q[k], out, sizeof out);
					(void)px_expand(r->ops[o].text, q[k], out, sizeof out);
				}
			}
		}
	}
	px_rules_free(&rules);
	free(text);
	return 0;
}
