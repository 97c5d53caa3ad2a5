/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* findings.h: recorded findings for the unit tests of the diagnosis and the renderers.
 * tests/unit/data/findings/NAME.json holds what 'trustprobe --format json' reported for
 * one real resolver of the lab (README there: which, and how it was configured); this
 * reads a case list of that form (a resolver object of the JSON report, or a whole
 * report) back into a struct tp_resolver_report, structured observations included, as
 * the probe had it before the diagnosis. Include it once, after cmocka.h; its functions
 * are static. Directory: env TP_FINDINGS, else tests/unit/data/findings. */
#ifndef TP_TEST_FINDINGS_H
#define TP_TEST_FINDINGS_H
#include "catalog.h"
#include "lab_plan.h"
#include "lab_probe.h"
#include "query.h"
#include "report.h"
#include "verdict.h"
#include <jansson.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int name_of(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static const char *js(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static void read_section(json_t *o, struct tp_section_summary *s)
{
	json_t *t;
	size_t i;
	memset(s, 0, sizeof *s);
	s->count = (unsigned)json_integer_value(json_object_get(o, "count"));
	json_array_foreach(json_object_get(o, "types"), i, t)
		if (s->n_types < TP_SECTION_TYPES)
			s->types[s->n_types++] = (unsigned short)ldns_get_rr_type_by_name(json_string_value(t));
}

static void read_obs(json_t *o, struct tp_obs_summary *s)
{
	static const char *const st[] = {"answer", "timeout", "refused", "malformed", "error"};
	static const struct { const char *n; unsigned bit; } qf[] = {
		{"rd", TP_Q_RD}, {"cd", TP_Q_CD}, {"ad", TP_Q_AD}, {"do", TP_Q_DO},
		{"noedns", TP_Q_NOEDNS}, {"tcp", TP_Q_TCP},
	};
	static const struct { const char *n; unsigned bit; } fl[] = {
		{"qr", TP_F_QR}, {"aa", TP_F_AA}, {"tc", TP_F_TC}, {"rd", TP_F_RD},
		{"ra", TP_F_RA}, {"ad", TP_F_AD}, {"cd", TP_F_CD},
	};
	json_t *v;
	size_t i;
	memset(s, 0, sizeof *s);
	snprintf(s->label, sizeof s->label, "%s", js(o, "label"));
	snprintf(s->qname, sizeof s->qname, "%s", js(o, "qname"));
	s->qtype = (unsigned short)ldns_get_rr_type_by_name(js(o, "qtype"));
	json_array_foreach(json_object_get(o, "qflags"), i, v)
		for (size_t k = 0; k < sizeof qf / sizeof qf[0]; k++)
			if (strcmp(json_string_value(v), qf[k].n) == 0)
				s->qflags |= qf[k].bit;
	s->status = strcmp(js(o, "status"), "unsent") == 0 ? -1 : name_of(st, 5, js(o, "status"));
	assert_true(s->status >= -1);
	if (s->status != 0)
		return;
	ldns_lookup_table *lt = ldns_lookup_by_name(ldns_rcodes, js(o, "rcode"));
	assert_non_null(lt);
	s->rcode = lt->id;
	for (size_t k = 0; k < sizeof fl / sizeof fl[0]; k++)
		if (json_is_true(json_object_get(json_object_get(o, "flags"), fl[k].n)))
			s->flags |= fl[k].bit;
	s->edns = json_is_true(json_object_get(o, "edns"));
	s->edns_do = json_is_true(json_object_get(o, "do"));
	s->transport = strcmp(js(o, "transport"), "tcp-after-tc") == 0 ? 2 :
		       strcmp(js(o, "transport"), "tcp") == 0 ? 1 : 0;
	json_array_foreach(json_object_get(o, "ede"), i, v)
		if (s->n_ede < 4)
			s->ede[s->n_ede++] = (unsigned short)json_integer_value(v);
	json_array_foreach(json_object_get(o, "ede_text"), i, v)
		if (i < 4)
			snprintf(s->ede_text[i], sizeof s->ede_text[i], "%s", json_string_value(v));
	json_t *sec = json_object_get(o, "sections");
	read_section(json_object_get(sec, "answer"), &s->an);
	read_section(json_object_get(sec, "authority"), &s->ns);
	read_section(json_object_get(sec, "additional"), &s->ar);
}

static void read_case(json_t *c, struct tp_finding *f)
{
	static const char *const sn[] = {"pass", "warn", "fail", "skip"};
	static const char *const vn[] = {"", "secure", "insecure", "bogus"};
	json_t *v;
	size_t i;
	memset(f, 0, sizeof *f);
	snprintf(f->id, sizeof f->id, "%s", js(c, "id"));
	int g = tp_group_parse(js(c, "group"));
	int s = name_of(sn, 4, js(c, "status"));
	assert_true(g >= 0 && s >= 0);
	f->group = (enum tp_group)g;
	f->status = (enum tp_status)s;
	f->essential = json_is_true(json_object_get(c, "essential"));
	f->no_zone = strcmp(js(c, "skipped_for"), "zone") == 0;
	f->not_here = strcmp(js(c, "skipped_for"), "lab") == 0;
	snprintf(f->note, sizeof f->note, "%s", js(c, "note"));
	snprintf(f->reason, sizeof f->reason, "%s", js(c, "reason"));
	snprintf(f->detail, sizeof f->detail, "%s", js(c, "detail"));
	int ver = name_of(vn, 4, js(c, "verified"));
	f->verified = ver > 0 ? ver : 0;
	json_array_foreach(json_object_get(c, "ede"), i, v)
		if (f->n_ede < 4)
			f->ede[f->n_ede++] = (unsigned short)json_integer_value(v);
	json_array_foreach(json_object_get(c, "ede_suggested"), i, v)
		if (f->n_ede_suggest < TP_EDE_SUGGEST_MAX)
			f->ede_suggest[f->n_ede_suggest++] = (unsigned short)json_integer_value(v);
	json_array_foreach(json_object_get(c, "observations"), i, v)
		if (f->n_obs < TP_OBS_MAX)
			read_obs(v, &f->obs[f->n_obs++]);
}

/* Fills *r from a resolver object o (of a recording or a JSON report): the findings,
 * the verdict computed again; with as_lab, its lab name and software and what the lab
 * knows about it (lab_describe), else as a resolver met outside the lab. r owns
 * r->findings (free them). */
static void read_resolver(json_t *o, int as_lab, struct tp_resolver_report *r)
{
	json_t *cases = json_object_get(o, "cases"), *c;
	size_t i;
	memset(r, 0, sizeof *r);
	snprintf(r->resolver, sizeof r->resolver, "%s", js(o, "resolver"));
	r->n_findings = json_array_size(cases);
	r->findings = calloc(r->n_findings ? r->n_findings : 1, sizeof *r->findings);
	assert_non_null(r->findings);
	json_array_foreach(cases, i, c)
		read_case(c, &r->findings[i]);
	/* the algorithm matrix: each cell's coordinates and outcome, on its case */
	static const char *const outcome[] = {"", "validated", "insecure", "bogus", "other",
					      "unjudged"};
	json_array_foreach(json_object_get(o, "matrix"), i, c)
		for (size_t k = 0; k < r->n_findings; k++)
			if (strcmp(r->findings[k].id, js(c, "case")) == 0) {
				r->findings[k].matrix_alg =
					(unsigned char)json_integer_value(json_object_get(c, "alg"));
				r->findings[k].matrix_digest =
					(unsigned char)json_integer_value(json_object_get(c, "digest"));
				r->findings[k].cell = name_of(outcome, 6, js(c, "outcome"));
			}
	r->roll_has_next = 1; /* every recording is of a lab: a next KSK is published */
	tp_verdict_compute(r);
	if (!as_lab)
		return;
	snprintf(r->name, sizeof r->name, "%s", js(o, "name"));
	snprintf(r->software, sizeof r->software, "%s", js(o, "software"));
	const struct lab_instance *li = r->name[0] ? lab_instance_find(r->name) : NULL;
	if (li)
		lab_describe(li, r);
}

/* Loads tests/unit/data/findings/NAME.json into *r (see read_resolver). */
static void load_recording(const char *name, int as_lab, struct tp_resolver_report *r)
{
	char path[600];
	const char *dir = getenv("TP_FINDINGS");
	json_error_t jerr;
	snprintf(path, sizeof path, "%s/%s.json", dir && *dir ? dir : "tests/unit/data/findings",
		 name);
	json_t *top = json_load_file(path, 0, &jerr);
	if (!top)
		fail_msg("%s: %s (line %d)", path, jerr.text, jerr.line);
	read_resolver(top, as_lab, r);
	json_decref(top);
}

static __attribute__((unused)) struct tp_finding *find(struct tp_resolver_report *r, const char *id)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return &r->findings[i];
	fail_msg("no finding %s", id);
	return NULL;
}

#endif
