/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* reply_pkt.h: builds a reply packet with ldns from RR strings, for the unit tests
 * (reply.h) and the fuzz seeds (fuzz/mkseeds.c). Its function is static. */
#ifndef TP_TEST_REPLY_PKT_H
#define TP_TEST_REPLY_PKT_H
#include <ldns/ldns.h>
#include <string.h>

/* A reply to qname/qtype: ID 4242, QR RD RA, rcode, AD if ad; edns: 0 no OPT, 1 an OPT
 * without DO, 2 with DO. rrs: NULL-terminated RR strings, each prefixed "an:" or "ns:".
 * Returns the packet (the caller frees it), or NULL with *bad the string ldns refused. */
static ldns_pkt *reply_pkt(const char *qname, ldns_rr_type qtype, ldns_pkt_rcode rcode, int ad,
			   int edns, const char *const *rrs, const char **bad)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr *q = ldns_rr_new();
	ldns_rdf *owner = NULL;
	*bad = qname;
	if (!p || !q || ldns_str2rdf_dname(&owner, qname) != LDNS_STATUS_OK) {
		ldns_pkt_free(p);
		ldns_rr_free(q);
		return NULL;
	}
	ldns_rr_set_owner(q, owner);
	ldns_rr_set_type(q, qtype);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	ldns_rr_set_question(q, true);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
	ldns_pkt_set_id(p, 4242);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_rd(p, true);
	ldns_pkt_set_ra(p, true);
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	ldns_pkt_set_ad(p, ad ? true : false);
	for (size_t i = 0; rrs[i]; i++) {
		ldns_rr *rr = NULL;
		ldns_pkt_section sec = strncmp(rrs[i], "ns:", 3) ? LDNS_SECTION_ANSWER :
								   LDNS_SECTION_AUTHORITY;
		if (ldns_rr_new_frm_str(&rr, rrs[i] + 3, 3600, NULL, NULL) != LDNS_STATUS_OK) {
			*bad = rrs[i];
			ldns_pkt_free(p);
			return NULL;
		}
		ldns_pkt_push_rr(p, sec, rr);
	}
	if (edns) {
		ldns_pkt_set_edns_udp_size(p, 1232);
		ldns_pkt_set_edns_do(p, edns == 2);
	}
	*bad = NULL;
	return p;
}
#endif
