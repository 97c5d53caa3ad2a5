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
#include "reply_pkt.h"

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
	uint8_t *wire = NULL;
	size_t len = 0;
	const char *bad = NULL;
	ldns_pkt *p = reply_pkt(r->qname, r->qtype, r->rcode, r->ad, r->edns, r->rrs, &bad);
	if (!p)
		fail_msg("bad RR %s", bad);
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
