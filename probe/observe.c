/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* observe: see observe.h. */
#include "observe.h"
#include <stdio.h>
#include <string.h>

static void section(const ldns_rr_list *l, struct tp_section_summary *s)
{
	size_t n = l ? ldns_rr_list_rr_count(l) : 0;
	memset(s, 0, sizeof *s);
	s->count = (unsigned)n;
	for (size_t i = 0; i < n; i++) {
		unsigned short t = (unsigned short)ldns_rr_get_type(ldns_rr_list_rr(l, i));
		size_t j;
		for (j = 0; j < s->n_types && s->types[j] != t; j++)
			;
		if (j == s->n_types && s->n_types < TP_SECTION_TYPES)
			s->types[s->n_types++] = t;
	}
}

static void one(const struct tp_cquery *cq, const struct tp_observation *o, const char *qname,
		struct tp_obs_summary *s)
{
	const ldns_pkt *p = o ? o->pkt : NULL;
	memset(s, 0, sizeof *s);
	snprintf(s->label, sizeof s->label, "%s", cq->label);
	snprintf(s->qname, sizeof s->qname, "%s", qname ? qname : cq->qname);
	s->qtype = cq->qtype;
	s->qflags = cq->qflags;
	s->status = o ? (int)o->status : -1;
	if (!p)
		return;
	s->rcode = ldns_pkt_get_rcode(p);
	s->flags = (ldns_pkt_qr(p) ? TP_F_QR : 0) | (ldns_pkt_aa(p) ? TP_F_AA : 0) |
		   (ldns_pkt_tc(p) ? TP_F_TC : 0) | (ldns_pkt_rd(p) ? TP_F_RD : 0) |
		   (ldns_pkt_ra(p) ? TP_F_RA : 0) | (ldns_pkt_ad(p) ? TP_F_AD : 0) |
		   (ldns_pkt_cd(p) ? TP_F_CD : 0);
	s->edns = ldns_pkt_edns(p) ? 1 : 0;
	s->edns_do = s->edns && ldns_pkt_edns_do(p);
	s->transport = o->transport != TP_TRANSPORT_TCP ? 0 : o->truncated ? 2 : 1;
	for (size_t i = 0; i < o->n_ede && i < TP_EDE_MAX && s->n_ede < 4; i++) {
		snprintf(s->ede_text[s->n_ede], sizeof s->ede_text[s->n_ede], "%s", o->ede_text[i]);
		s->ede[s->n_ede++] = o->ede[i];
	}
	section(ldns_pkt_answer(p), &s->an);
	section(ldns_pkt_authority(p), &s->ns);
	section(ldns_pkt_additional(p), &s->ar);
	s->rtt_ms = o->rtt_ms;
}

void tp_obs_summarize(const struct tp_case *c, const struct tp_observation *const *obs,
		      const char *const *qnames, struct tp_finding *f)
{
	f->n_obs = 0;
	for (size_t k = 0; k < c->n_queries && k < TP_OBS_MAX; k++)
		one(&c->queries[k], obs ? obs[k] : NULL, qnames ? qnames[k] : NULL,
		    &f->obs[f->n_obs++]);
}

const char *tp_obs_transport_name(int transport)
{
	return transport == 2 ? "tcp-after-tc" : transport == 1 ? "tcp" : "udp";
}
