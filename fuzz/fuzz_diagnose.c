/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_diagnose: the diagnosis (diagnose.c and its rules, diagnose_rules.c) and the verdict
 * over findings the input makes up, then the text and JSON reports and the matrix written
 * from them (render.c). Input: a few octets for the resolver (family, forwarder, roll,
 * --accept), then per case of the real catalogue, in order, its status, flags and up to
 * four observations (status, RCODE, header bits, EDNS, EDE codes, the types of each
 * section). A short input leaves the other cases passed with no observations. The
 * input's length picks the renderer (text, JSON or the matrix). */
#include "common.h"
#include "diagnose.h"
#include "evaluate.h"
#include "render.h"
#include "verdict.h"

static const char *const families[] = {"", "unbound", "bind", "pdns", "knot", "dnsmasq",
				       "unbound|knot", "nsd"};
static const unsigned short types[] = {1, 2, 5, 6, 15, 16, 28, 39, 43, 46, 47, 48, 50, 52};

static void section(struct fz_in *in, struct tp_section_summary *s)
{
	unsigned b = fz_byte(in);
	s->count = b & 0x0f;
	s->n_types = (b >> 4) % (TP_SECTION_TYPES + 1);
	for (size_t i = 0; i < s->n_types; i++)
		s->types[i] = types[fz_byte(in) % (sizeof types / sizeof types[0])];
}

static void observation(struct fz_in *in, const struct tp_case *c, size_t k,
			struct tp_obs_summary *o)
{
	memset(o, 0, sizeof *o);
	if (k < c->n_queries) {
		snprintf(o->label, sizeof o->label, "%s", c->queries[k].label);
		snprintf(o->qname, sizeof o->qname, "%s", c->queries[k].qname);
		o->qtype = c->queries[k].qtype;
		o->qflags = c->queries[k].qflags;
	}
	unsigned b = fz_byte(in);
	o->status = (int)(b % 6) - 1; /* -1 unsent, 0 answer, ..., 4 error */
	o->transport = (int)((b >> 3) % 3);
	o->rcode = (int)(fz_byte(in) % 24);
	o->flags = fz_byte(in) & 0x7f;
	b = fz_byte(in);
	o->edns = b & 1;
	o->edns_do = (b >> 1) & 1;
	o->n_ede = (b >> 2) % 5;
	for (size_t i = 0; i < o->n_ede; i++) {
		o->ede[i] = (unsigned short)(fz_byte(in) % 32);
		if (b & 0x80)
			snprintf(o->ede_text[i], sizeof o->ede_text[i], "text %u", (unsigned)i);
	}
	section(in, &o->an);
	section(in, &o->ns);
	section(in, &o->ar);
	o->rtt_ms = fz_byte(in);
}

static void finding(struct fz_in *in, const struct tp_case *c, struct tp_finding *f)
{
	tp_skip(c, "fuzz", f); /* the case's fields, as evaluate.c fills them */
	unsigned b = fz_byte(in);
	f->status = (enum tp_status)(b & 3);
	f->no_zone = f->status == TP_SKIP && (b & 4);
	f->not_here = f->status == TP_SKIP && (b & 8);
	f->verified = (int)((b >> 4) & 3);
	f->cell = c->matrix_alg ? (int)((b >> 6) + 1) : 0;
	snprintf(f->reason, sizeof f->reason, "observed something for %s", c->id);
	if (b & 0x40)
		snprintf(f->note, sizeof f->note, "a note");
	f->n_obs = (fz_byte(in) % (TP_OBS_MAX + 1));
	for (size_t k = 0; k < f->n_obs; k++) {
		observation(in, c, k, &f->obs[k]);
		if (f->obs[k].status == 0) {
			f->rtt_ms = f->obs[k].rtt_ms;
			for (size_t e = 0; e < f->obs[k].n_ede && f->n_ede < 4; e++)
				f->ede[f->n_ede++] = f->obs[k].ede[e];
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct tp_catalog *cat = fz_catalog();
	struct fz_in in = {data, size};
	static struct tp_resolver_report r;
	memset(&r, 0, sizeof r);
	snprintf(r.resolver, sizeof r.resolver, "127.0.0.1");
	unsigned b = fz_byte(&in);
	snprintf(r.family, sizeof r.family, "%s", families[b & 7]);
	r.family_how = r.family[0] ? 1 : 0;
	if (b & 8) {
		snprintf(r.lab_role, sizeof r.lab_role, "forwarder");
		snprintf(r.lab_upstream, sizeof r.lab_upstream, "unbound");
		snprintf(r.upstream_family, sizeof r.upstream_family, "%s",
			 families[(b >> 4) & 7]);
	}
	r.roll_has_next = (b >> 7) & 1;
	b = fz_byte(&in);
	r.zone_fault = b & 1;
	if (b & 2)
		snprintf(r.zone_note, sizeof r.zone_note, "test zone test. expired");
	r.n_local = (b >> 2) & 3;
	if (r.n_local)
		snprintf(r.local_note, sizeof r.local_note, "%zu queries could not be sent",
			 r.n_local);
	size_t n_rules;
	const struct tp_diag_rule *rules = tp_diag_rules(&n_rules);
	const char *accept[3] = {rules[fz_byte(&in) % n_rules].id, "denial.*",
				 "no-such-thing"};
	size_t n_accept = fz_byte(&in) % 4;

	/* allocated once: a fresh half-MiB per input costs more than the diagnosis */
	static struct tp_finding *findings;
	if (!findings && !(findings = calloc(cat->n, sizeof *findings)))
		abort();
	r.n_findings = cat->n;
	r.findings = findings;
	for (size_t i = 0; i < cat->n; i++)
		finding(&in, &cat->cases[i], &r.findings[i]);
	tp_verdict_compute(&r);
	tp_diagnose(&r);
	tp_diagnose_accept(&r, accept, n_accept);
	tp_verdict_lead(&r);
	tp_verdict_anchor(&r, "fuzz.anchor", b >> 7, 20326);

	struct tp_report rep;
	memset(&rep, 0, sizeof rep);
	rep.n = 1;
	rep.resolvers = &r;
	rep.lab_run = (b >> 4) & 1;
	/* one renderer per input (each costs as much as the diagnosis) */
	FILE *f = fz_null_file();
	switch (size % 3) {
	case 0: (void)tp_render_text(f, &rep, (b >> 5) & 1, (b >> 6) & 1); break;
	case 1: (void)tp_render_json(f, &rep); break;
	default: (void)tp_render_matrix(f, &rep, (b >> 6) & 1); break;
	}
	(void)tp_exit_status(&rep);
	(void)tp_nagios_status(&rep);
	return 0;
}
