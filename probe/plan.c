/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * plan: selected cases -> distinct queries, controls first; see plan.h. */
#include "plan.h"
#include <openssl/sha.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#define RAND_CHARS 10

/* "tp" and RAND_CHARS characters of [a-z0-9] from the caller's random source. */
static void rand_label(const struct tp_plan_env *env, char *out)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char b[RAND_CHARS];
	env->rand_bytes(env->rand_ctx, b, sizeof b);
	out[0] = 't';
	out[1] = 'p';
	for (size_t i = 0; i < RAND_CHARS; i++)
		out[2 + i] = alphabet[b[i] % (sizeof alphabet - 1)];
	out[2 + RAND_CHARS] = '\0';
}

/* Writes the name of cq with variables expanded and the zone appended into q->qname.
 * Returns 0, or -1 when it does not fit or is no domain name. */
static int expand(const struct tp_cquery *cq, const char *zone, const char *rnd,
		  const struct tp_plan_env *env, struct tp_query *q)
{
	char name[300];
	size_t o = 0;
	const char *s = cq->qname;
	ldns_rdf *d = NULL;
	int n;

	while (*s) {
		char v[16] = "";
		const char *val = NULL;
		if (*s == '{') {
			const char *close = strchr(s, '}');
			size_t vl = close ? (size_t)(close - s) + 1 : 0;
			if (vl == 6 && !strncmp(s, "{rand}", 6))
				val = rnd;
			else if (vl == 13 && !strncmp(s, "{ksk_current}", 13))
				snprintf(v, sizeof v, "%05u", env->ksk_current), val = v;
			else if (vl == 10 && !strncmp(s, "{ksk_next}", 10))
				snprintf(v, sizeof v, "%05u", env->ksk_next), val = v;
			if (!val)
				return -1; /* the catalogue parser lets no other through */
			if (o + strlen(val) >= sizeof name)
				return -1;
			memcpy(name + o, val, strlen(val));
			o += strlen(val);
			s += vl;
			continue;
		}
		if (o + 1 >= sizeof name)
			return -1;
		name[o++] = *s++;
	}
	name[o] = '\0';
	if (!cq->needs_zone)
		n = snprintf(q->qname, sizeof q->qname, "%s", name);
	else if (!strcmp(zone, "."))
		n = snprintf(q->qname, sizeof q->qname, "%s.", name);
	else
		n = snprintf(q->qname, sizeof q->qname, "%s.%s%s", name, zone,
			     zone[strlen(zone) - 1] == '.' ? "" : ".");
	if (n < 0 || (size_t)n >= sizeof q->qname || n > 254 ||
	    ldns_str2rdf_dname(&d, q->qname) != LDNS_STATUS_OK)
		return -1;
	ldns_rdf_deep_free(d);
	q->qtype = cq->qtype;
	q->flags = cq->qflags;
	q->bufsize = cq->bufsize;
	return 0;
}

static int has_control(const struct tp_case *c)
{
	for (size_t k = 0; k < c->n_queries; k++)
		if (c->queries[k].control)
			return 1;
	return 0;
}

static int same_query(const struct tp_query *a, const struct tp_query *b)
{
	return a->qtype == b->qtype && a->flags == b->flags && a->bufsize == b->bufsize &&
	       strcasecmp(a->qname, b->qname) == 0;
}

/* Decides whether case pc can run; fills its skip reason if not. */
static int runnable(struct tp_plan_case *pc, const struct tp_plan_env *env)
{
	const struct tp_case *c = pc->c;
	const char *zone = env->zone;
	if (c->lab_only && !env->lab && !env->attacker) {
		snprintf(pc->why, sizeof pc->why, "%s", TP_SKIP_LAB_ONLY);
		pc->not_here = 1;
	} else if (c->needs_zone && (!zone || !*zone)) {
		snprintf(pc->why, sizeof pc->why, "%s", TP_SKIP_NO_ZONE);
		pc->no_zone = 1;
	} else if (c->needs_zone && env->zone_unusable) {
		snprintf(pc->why, sizeof pc->why, "not run: %.150s", env->zone_unusable);
		pc->no_zone = 1;
	} else if (((c->vars & TP_VAR_KSK_CURRENT) && !env->ksk_current) ||
		   ((c->vars & TP_VAR_KSK_NEXT) && !env->ksk_next)) {
		snprintf(pc->why, sizeof pc->why, "%s", TP_SKIP_NO_KSK);
	} else {
		return 1;
	}
	pc->skip = 1;
	return 0;
}

int tp_plan_build(const struct tp_catalog *cat, const int *selected,
		  const struct tp_plan_env *env, struct tp_plan *p, char *err, size_t errlen)
{
	size_t nsel = 0, cap, i, k, j;
	int *ctl = NULL;

	memset(p, 0, sizeof *p);
	if (!cat || !selected || !env || !env->rand_bytes) {
		snprintf(err, errlen, "plan: no catalogue, selection or random source");
		return -1;
	}
	for (i = 0; i < cat->n; i++)
		nsel += selected[i] != 0;
	cap = nsel * TP_QUERIES_MAX;
	p->cases = calloc(nsel ? nsel : 1, sizeof *p->cases);
	p->queries = calloc(cap ? cap : 1, sizeof *p->queries);
	ctl = calloc(cap ? cap : 1, sizeof *ctl);
	if (!p->cases || !p->queries || !ctl) {
		free(ctl);
		tp_plan_free(p);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->max_open = env->max_open ? env->max_open : TP_PLAN_MAX_OPEN;
	for (i = 0; i < cat->n; i++) {
		struct tp_plan_case *pc;
		char rnd[4 + RAND_CHARS] = "";
		if (!selected[i])
			continue;
		pc = &p->cases[p->n_cases++];
		pc->c = &cat->cases[i];
		if (!runnable(pc, env))
			continue;
		if (pc->c->vars & TP_VAR_RAND)
			rand_label(env, rnd);
		for (k = 0; k < pc->c->n_queries && !pc->skip; k++) {
			struct tp_query q;
			memset(&q, 0, sizeof q);
			if (expand(&pc->c->queries[k], env->zone, rnd, env, &q) != 0) {
				pc->skip = 1;
				snprintf(pc->why, sizeof pc->why, "%s: bad query name under zone '%s'",
					 pc->c->id, env->zone ? env->zone : "");
				break;
			}
			for (j = 0; j < p->n_queries && !same_query(&p->queries[j], &q); j++)
				;
			if (j == p->n_queries)
				p->queries[p->n_queries++] = q;
			if (pc->c->queries[k].control)
				ctl[j] |= 1;          /* a control: first wave */
			else if (has_control(pc->c))
				ctl[j] |= 2;          /* judged after its case's control */
			pc->qi[k] = j;
			p->n_asked++;
		}
	}
	/* two waves, each in the order the cases first asked its queries: the controls and
	 * every query that no case with a control judges; then the judged queries of the cases
	 * with controls (a query that is both is a control: first) */
	for (j = 0; j < p->n_queries; j++)
		ctl[j] = ctl[j] == 2 ? 0 : 1;
	{
		size_t *where = calloc(p->n_queries ? p->n_queries : 1, sizeof *where);
		struct tp_query *sorted = calloc(p->n_queries ? p->n_queries : 1, sizeof *sorted);
		size_t o = 0;
		if (!where || !sorted) {
			free(where);
			free(sorted);
			free(ctl);
			tp_plan_free(p);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		for (int wave = 1; wave >= 0; wave--)
			for (j = 0; j < p->n_queries; j++)
				if (ctl[j] == wave) {
					where[j] = o;
					sorted[o++] = p->queries[j];
				}
		for (j = 0; j < p->n_queries; j++)
			p->n_wave1 += ctl[j] != 0;
		for (i = 0; i < p->n_cases; i++)
			for (k = 0; !p->cases[i].skip && k < p->cases[i].c->n_queries; k++)
				p->cases[i].qi[k] = where[p->cases[i].qi[k]];
		free(p->queries);
		p->queries = sorted;
		free(where);
	}
	free(ctl);
	return 0;
}

void tp_plan_free(struct tp_plan *p)
{
	if (!p)
		return;
	free(p->queries);
	free(p->cases);
	memset(p, 0, sizeof *p);
}

void tp_plan_seeded_rand(void *ctx, unsigned char *buf, size_t len)
{
	struct tp_plan_seed *s = ctx;
	while (len > 0) {
		unsigned char in[40], md[32];
		memcpy(in, s->seed, 32);
		for (int i = 0; i < 8; i++)
			in[32 + i] = (unsigned char)(s->n >> (8 * i));
		s->n++;
		SHA256(in, sizeof in, md);
		size_t k = len < sizeof md ? len : sizeof md;
		memcpy(buf, md, k);
		buf += k;
		len -= k;
	}
}
