/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* reply.h: shared by the unit tests that judge answers (test_evaluate, test_compare): the
 * real catalogue (env TP_VECTORS) and reply packets built with ldns, turned to wire and
 * parsed back as the query engine would, in fake observations. Include it once, after
 * cmocka.h; its functions are static. */
#ifndef TP_TEST_REPLY_H
#define TP_TEST_REPLY_H
#include "catalog.h"
#include "query.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_fixture.h"

static const struct tp_case *get(const char *id)
{
	const struct tp_case *c = tp_catalog_find(&cat, id);
	if (!c)
		fail_msg("no case %s", id);
	return c;
}

/* A reply. edns: 0 none, 1 OPT without DO, 2 OPT with DO. rrs: NULL-terminated RR strings,
 * each prefixed "an:" or "ns:". */
struct reply {
	const char *qname;
	ldns_rr_type qtype;
	ldns_pkt_rcode rcode;
	int ad;
	int edns;
	const char *rrs[8];
};

/* Fills obs as the engine would: packet -> wire -> parsed packet. */
static void observe(const struct reply *r, struct tp_observation *obs)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr *q = ldns_rr_new();
	ldns_rdf *owner = NULL;
	uint8_t *wire = NULL;
	size_t len = 0, i;

	assert_non_null(p);
	assert_int_equal(ldns_str2rdf_dname(&owner, r->qname), LDNS_STATUS_OK);
	ldns_rr_set_owner(q, owner);
	ldns_rr_set_type(q, r->qtype);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	ldns_rr_set_question(q, true);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
	ldns_pkt_set_id(p, 4242);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_rd(p, true);
	ldns_pkt_set_ra(p, true);
	ldns_pkt_set_rcode(p, (uint8_t)r->rcode);
	ldns_pkt_set_ad(p, r->ad ? true : false);
	for (i = 0; r->rrs[i]; i++) {
		ldns_rr *rr = NULL;
		ldns_pkt_section sec = strncmp(r->rrs[i], "ns:", 3) ? LDNS_SECTION_ANSWER :
								      LDNS_SECTION_AUTHORITY;
		if (ldns_rr_new_frm_str(&rr, r->rrs[i] + 3, 3600, NULL, NULL) != LDNS_STATUS_OK)
			fail_msg("bad RR %s", r->rrs[i]);
		ldns_pkt_push_rr(p, sec, rr);
	}
	if (r->edns) {
		ldns_pkt_set_edns_udp_size(p, 1232);
		ldns_pkt_set_edns_do(p, r->edns == 2);
	}
	assert_int_equal(ldns_pkt2wire(&wire, p, &len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	memset(obs, 0, sizeof *obs);
	obs->status = TP_OBS_ANSWER;
	assert_int_equal(ldns_wire2pkt(&obs->pkt, wire, len), LDNS_STATUS_OK);
	obs->wire = wire;
	obs->wirelen = len;
	obs->transport = TP_TRANSPORT_UDP;
	obs->attempts = 1;
	obs->rtt_ms = 1.5;
}

#endif
