/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_proxy_ops: the attacker proxy's packet rewriting (proxy_ops.c). Input: the text
 * of attack rules, a NUL octet, and the wire octets of the genuine reply. Each rule (the
 * first eight) rewrites a copy of that reply, with copies of it as every fetched reply
 * (a rule's "fetch" or "load"), and the result is written to wire as the proxy sends it. */
#include "common.h"
#include "proxy_ops.h"
#include "proxy_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	if (!nul)
		return 0;
	static struct px_rules rules;
	char err[600];
	char *text = fz_text(data, (size_t)(nul - data));
	const uint8_t *wire = nul + 1;
	size_t wlen = size - (size_t)(wire - data);
	ldns_pkt *reply = NULL;
	if (px_rules_parse(text, "fuzz.rules", &rules, err, sizeof err) != 0 ||
	    ldns_wire2pkt(&reply, wire, wlen) != LDNS_STATUS_OK || !reply)
		goto out;
	char *qname = NULL;
	const ldns_rr_list *qs = ldns_pkt_question(reply);
	if (qs && ldns_rr_list_rr_count(qs) > 0)
		qname = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(qs, 0)));
	for (size_t i = 0; i < rules.n && i < 8; i++) {
		const struct px_rule *r = &rules.rule[i];
		ldns_pkt *p = ldns_pkt_clone(reply);
		ldns_pkt *fetched[PX_MAX_FETCH] = {NULL};
		for (size_t f = 0; f < r->n_fetch; f++)
			fetched[f] = (f + i) % 3 == 2 ? NULL : ldns_pkt_clone(reply);
		if (px_apply(r, p, fetched, qname ? qname : "x.test.", err, sizeof err) == 0) {
			uint8_t *w = NULL;
			size_t n = 0;
			if (ldns_pkt2wire(&w, p, &n) == LDNS_STATUS_OK)
				free(w);
		}
		for (size_t f = 0; f < r->n_fetch; f++)
			ldns_pkt_free(fetched[f]);
		ldns_pkt_free(p);
	}
	free(qname);
out:
	ldns_pkt_free(reply);
	px_rules_free(&rules);
	free(text);
	return 0;
}
