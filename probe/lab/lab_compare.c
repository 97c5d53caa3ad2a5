/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_compare: see lab_compare.h. */
#include "lab_compare.h"
#include "lab_plan.h"
#include "probe.h"
#include "render.h"
#include "tp_util.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROUNDS (1 + LAB_COMPARE_RECHECKS)
#define BASELINE_MAX (64u << 20) /* a recorded report: a few hundred KiB per resolver */

int lab_compare_is_file(const char *baseline)
{
	size_t n = strlen(baseline);
	return strchr(baseline, '/') || (n > 5 && strcmp(baseline + n - 5, ".json") == 0);
}

int lab_compare_check(const char *a, const char *b, char *err, size_t errlen)
{
	const char *names[2] = {a, b};
	if (lab_compare_is_file(a)) {
		/* before the lab starts: a FIFO or device as the baseline fails now, not after
		 * the run */
		FILE *f = tp_fopen_read(a, BASELINE_MAX);
		if (!f) {
			snprintf(err, errlen, "--compare: cannot read the recorded baseline %s: %s", a,
				 tp_read_strerror(errno));
			return -1;
		}
		fclose(f);
	}
	for (int i = lab_compare_is_file(a); i < 2; i++) {
		const struct lab_instance *li = lab_instance_find(names[i]);
		if (!li || li->kind == LAB_PROXY_RESOLVER) {
			snprintf(err, errlen, "--compare: %s is no resolver instance of this lab "
				 "(one of --resolvers, --with or --shipped)", names[i]);
			return -1;
		}
	}
	if (strcmp(a, b) == 0) {
		snprintf(err, errlen, "--compare: baseline and candidate are both %s", a);
		return -1;
	}
	return 0;
}

/* One case whose results differ. */
struct diff {
	size_t fb, fc;                  /* its finding in the baseline's and candidate's report */
	enum tp_status st[ROUNDS][2];   /* baseline, candidate; every round */
	size_t rounds;                  /* how many rounds it ran */
	int stable;                     /* the same pair in every round */
	int regression;                 /* stable, pass on the baseline, fail or warn on the
					 * candidate */
};

static const struct tp_resolver_report *by_name(const struct tp_report *rep, const char *name,
						size_t *at)
{
	for (size_t i = 0; i < rep->n; i++)
		if (strcmp(rep->resolvers[i].name, name) == 0) {
			*at = i;
			return &rep->resolvers[i];
		}
	return NULL;
}

static const struct tp_finding *finding(const struct tp_resolver_report *r, const char *id,
					size_t *at)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (strcmp(r->findings[i].id, id) == 0) {
			if (at)
				*at = i;
			return &r->findings[i];
		}
	return NULL;
}

/* The index of name among n names, or -1. */
static int name_index(const char *name, const char *const *names, int n)
{
	for (int i = 0; name && i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

/* The resolver named name (or the only one) of a recorded JSON report at path, into *r
 * (r->findings calloc'd: the caller frees them): what a comparison reads of it. 0, or -1
 * with one line in err. */
static int load_baseline(const char *path, const char *name, struct tp_resolver_report *r,
			 char *err, size_t errlen)
{
	static const char *const st[] = {"pass", "warn", "fail", "skip"};
	static const char *const vd[] = {"ready", "not-ready", "unknown"};
	json_error_t je;
	size_t tlen;
	char *text = tp_read_file(path, BASELINE_MAX, &tlen);
	if (!text) {
		snprintf(err, errlen, "--compare: cannot read %s: %s", path, tp_read_strerror(errno));
		return -1;
	}
	json_t *top = json_loadb(text, tlen, 0, &je), *res = json_object_get(top, "resolvers"), *o;
	free(text);
	size_t i, found = 0;
	json_t *pick = NULL;
	memset(r, 0, sizeof *r);
	json_array_foreach(res, i, o) {
		const char *n = json_string_value(json_object_get(o, "name"));
		if ((n && strcmp(n, name) == 0) || (json_array_size(res) == 1 && !found))
			pick = o, found++;
	}
	if (!pick) {
		snprintf(err, errlen, "--compare: %s is %s", path,
			 top ? "a report without that instance (or with several and none named so)"
			     : "no JSON report");
		json_decref(top);
		return -1;
	}
	const char *const keys[] = {"name", "resolver", "software"};
	char *const dst[] = {r->name, r->resolver, r->software};
	const size_t len[] = {sizeof r->name, sizeof r->resolver, sizeof r->software};
	for (int k = 0; k < 3; k++) {
		const char *v = json_string_value(json_object_get(pick, keys[k]));
		snprintf(dst[k], len[k], "%s", v ? v : "");
	}
	snprintf(r->config, sizeof r->config, "%s", "recorded");
	r->verdict = (enum tp_verdict)name_index(json_string_value(json_object_get(pick, "verdict")), vd, 3);
	r->roll_verdict = (enum tp_verdict)name_index(
		json_string_value(json_object_get(pick, "roll_verdict")), vd, 3);
	r->dane_ready = json_is_true(json_object_get(pick, "dane_ready"));
	json_t *cases = json_object_get(pick, "cases"), *c;
	r->findings = calloc(json_array_size(cases) + 1, sizeof *r->findings);
	json_array_foreach(cases, i, c) {
		struct tp_finding *f = r->findings ? &r->findings[r->n_findings] : NULL;
		int sv = name_index(json_string_value(json_object_get(c, "status")), st, 4);
		const char *gn = json_string_value(json_object_get(c, "group"));
		int g = gn ? tp_group_parse(gn) : -1;
		const char *id = json_string_value(json_object_get(c, "id"));
		const char *why = json_string_value(json_object_get(c, "reason"));
		if (!f || sv < 0 || g < 0 || !id)
			continue;
		snprintf(f->id, sizeof f->id, "%s", id);
		snprintf(f->reason, sizeof f->reason, "%s", why ? why : "");
		f->status = (enum tp_status)sv;
		f->group = (enum tp_group)g;
		r->n_findings++;
	}
	json_decref(top);
	if ((int)r->verdict < 0 || (int)r->roll_verdict < 0 || !r->n_findings) {
		snprintf(err, errlen, "--compare: %s holds no verdict or cases for %s", path, name);
		free(r->findings);
		r->findings = NULL;
		return -1;
	}
	return 0;
}

/* ready < unknown < not-ready */
static int badness(enum tp_verdict v)
{
	return v == TP_READY ? 0 : v == TP_UNKNOWN ? 1 : 2;
}

/* Probes the cases of d[] again on both targets, each round with new names (the same for
 * both). A round that cannot run leaves the cases at the rounds they had. */
static void recheck(const struct tp_run_req *r, const struct tp_target *two, size_t nt,
		    const struct tp_probe_plan *plan, struct diff *d, size_t nd,
		    const struct tp_resolver_report *b)
{
	int *sel = calloc(plan->cat->n ? plan->cat->n : 1, sizeof *sel);
	if (!sel)
		return;
	for (size_t k = 0; k < plan->cat->n; k++)
		for (size_t i = 0; i < nd; i++)
			sel[k] |= strcmp(plan->cat->cases[k].id, b->findings[d[i].fb].id) == 0;
	for (int round = 1; round < ROUNDS; round++) {
		struct tp_probe_plan p = *plan;
		p.selected = sel;
		p.same_names = 1;
		p.name_seed = NULL;
		p.deadline = tp_now() + r->o.timeout;
		struct tp_report again = {0};
		char err[256];
		if (tp_probe_all(two, nt, &p, &again, err, sizeof err) != 0) {
			tp_report_free(&again);
			break;
		}
		for (size_t i = 0; i < nd; i++) {
			const char *id = b->findings[d[i].fb].id;
			/* a recorded baseline keeps its result: only the candidate runs again */
			const struct tp_finding *x = nt == 2 ? finding(&again.resolvers[0], id, NULL)
							     : &b->findings[d[i].fb];
			const struct tp_finding *y = finding(&again.resolvers[nt - 1], id, NULL);
			if (!x || !y)
				continue;
			d[i].st[d[i].rounds][0] = x->status;
			d[i].st[d[i].rounds][1] = y->status;
			d[i].rounds++;
		}
		tp_report_free(&again);
	}
	free(sel);
}

/* Writes head then text to f, broken at blanks into rows of at most TP_TEXT_WIDTH
 * columns, the rows after the first indented by four. */
static void put_wrapped(FILE *f, const char *head, const char *text)
{
	int col = fprintf(f, "%s", head);
	const char *p = text;
	while (*p) {
		size_t w = strcspn(p, " ");
		if (col > 4 && col + 1 + (int)w > TP_TEXT_WIDTH)
			col = fprintf(f, "\n    ") - 1;
		else if (p != text)
			col += fprintf(f, " ");
		col += fprintf(f, "%.*s", (int)w, p);
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

/* "pass/fail pass/fail pass/fail": a diff's results, round by round. */
static void rounds_text(const struct diff *d, char *out, size_t outlen)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t k = 0; k < d->rounds && len < outlen; k++)
		len += (size_t)snprintf(out + len, outlen - len, "%s%s/%s", k ? " " : "",
					tp_status_name(d->st[k][0]), tp_status_name(d->st[k][1]));
}

static void print_text(FILE *f, const char *recorded, const struct tp_resolver_report *b,
		       const struct tp_resolver_report *k, const struct diff *d, size_t nd,
		       size_t ncases, int verdict_worse, int regressions)
{
	const struct tp_resolver_report *rr[2] = {b, k};
	const char *role[2] = {"baseline:", "candidate:"};
	for (int i = 0; i < 2; i++) {
		char line[1200];
		snprintf(line, sizeof line, "%s %s (%s%s%s%s): %s%s%s%s", role[i], rr[i]->name,
			 i == 0 && recorded ? "recorded in " : "", i == 0 && recorded ? recorded : "",
			 i == 0 && recorded ? ", then at " : "", rr[i]->resolver,
			 rr[i]->software[0] ? rr[i]->software : "version unknown",
			 strcmp(rr[i]->config, "shipped") == 0 ? ", the package's own config" : "",
			 rr[i]->snippet[0] ? ", --conf " : "", rr[i]->snippet);
		put_wrapped(f, "", line);
	}
	char count[300];
	snprintf(count, sizeof count, "%zu cases, %s; %zu %s", ncases,
		 recorded ? "the candidate probed now, the baseline as recorded"
			  : "probed side by side in one run with the same names",
		 nd, nd == 1 ? "differs" : "differ");
	put_wrapped(f, "", count);
	int w = (int)strlen("root key roll");
	for (size_t i = 0; i < nd; i++)
		if ((int)strlen(b->findings[d[i].fb].id) > w)
			w = (int)strlen(b->findings[d[i].fb].id);
	/* the columns: the two names, or for a recorded baseline "recorded" and "now" */
	const char *lb = recorded ? "recorded" : b->name, *lk = recorded ? "now" : k->name;
	int wb = (int)strlen(lb) > 9 ? (int)strlen(lb) : 9;
	int wk = (int)strlen(lk) > 9 ? (int)strlen(lk) : 9;
	fprintf(f, "\n%-*s  %-*s  %-*s\n", w, "case", wb, lb, wk, lk);
	for (size_t i = 0; i < nd; i++) {
		const struct tp_finding *x = &b->findings[d[i].fb], *y = &k->findings[d[i].fc];
		char rounds[128];
		rounds_text(&d[i], rounds, sizeof rounds);
		char tail[160];
		snprintf(tail, sizeof tail, "%s%s", d[i].regression ? "  REGRESSION" :
			 d[i].stable ? "" : "  unstable: ", d[i].stable ? "" : rounds);
		fprintf(f, "%-*s  %-*s  %-*s%s\n", w, x->id, wb, tp_status_name(x->status),
		       tail[0] ? wk : 0, tp_status_name(y->status), tail);
		char head[80];
		snprintf(head, sizeof head, "  %s: ", lb);
		put_wrapped(f, head, x->reason);
		snprintf(head, sizeof head, "  %s: ", lk);
		put_wrapped(f, head, y->reason);
	}
	fprintf(f, "%-*s  %-*s  %s%s\n", w, "verdict", wb, tp_verdict_name(b->verdict),
	       tp_verdict_name(k->verdict), verdict_worse ? "  REGRESSION" : "");
	fprintf(f, "%-*s  %-*s  %s\n", w, "root key roll", wb, tp_verdict_name(b->roll_verdict),
	       tp_verdict_name(k->roll_verdict));
	size_t unstable = 0;
	for (size_t i = 0; i < nd; i++)
		unstable += !d[i].stable;
	if (unstable) {
		char why[400];
		snprintf(why, sizeof why, "%zu %s gave different results when probed again (%d "
			 "rounds, new names each; results as baseline/candidate): the lab's caches or "
			 "timing, not the build, decide %s; not counted as regressions", unstable,
			 unstable == 1 ? "case" : "cases", ROUNDS, unstable == 1 ? "it" : "them");
		put_wrapped(f, "\nunstable: ", why);
	}
	char bn[160], kn[160]; /* who, in the closing line */
	snprintf(bn, sizeof bn, "%s", recorded ? "the recorded baseline" : b->name);
	snprintf(kn, sizeof kn, "%s%s", k->name, recorded ? " now" : "");
	if (regressions || verdict_worse)
		fprintf(f, "\nREGRESSION: %d %s that %s on %s %s or %s on %s%s\n", regressions,
		       regressions == 1 ? "case" : "cases", regressions == 1 ? "passes" : "pass",
		       bn, regressions == 1 ? "fails" : "fail", regressions == 1 ? "warns" : "warn",
		       kn, verdict_worse ? "; the verdict is worse" : "");
	else if (nd == unstable)
		fprintf(f, "\nno regression: %s gives every case the result of %s%s\n", kn, bn,
		       unstable ? " but the unstable ones" : "");
	else
		fprintf(f, "\nno regression: no case that passes on %s fails or warns on %s\n", bn,
			kn);
}

static json_t *side(const struct tp_resolver_report *r)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:s}", "name", r->name, "resolver",
			      r->resolver, "software", r->software, "config",
			      r->config[0] ? r->config : "lab", "verdict",
			      tp_verdict_name(r->verdict), "dane_ready", r->dane_ready,
			      "roll_verdict", tp_verdict_name(r->roll_verdict));
	if (o && r->snippet[0])
		json_object_set_new(o, "snippet", json_string(r->snippet));
	const char *const keys[2] = {"sources", "overrides"};
	const char *const text[2] = {r->config_sources, r->overrides};
	for (int i = 0; o && i < 2 && strcmp(r->config, "shipped") == 0; i++) {
		json_t *a = json_array();
		for (const char *p = text[i]; a && p && *p;) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			json_array_append_new(a, json_stringn(p, len));
			p = nl ? nl + 1 : "";
		}
		json_object_set_new(o, keys[i], a);
	}
	return o;
}

static json_t *result(const struct tp_finding *f)
{
	return json_pack("{s:s,s:s}", "status", tp_status_name(f->status), "reason", f->reason);
}

static int print_json(FILE *f, const struct tp_report *rep, const struct tp_resolver_report *b,
		      const struct tp_resolver_report *k, const struct diff *d, size_t nd,
		      size_t ncases, int verdict_worse, int regressions)
{
	json_t *top = json_object(), *diffs = json_array();
	int err = !top || !diffs || tp_render_json_head(top, rep->started) != 0;
	for (size_t i = 0; !err && i < nd; i++) {
		const struct tp_finding *x = &b->findings[d[i].fb], *y = &k->findings[d[i].fc];
		json_t *rounds = json_array();
		for (size_t r = 0; rounds && r < d[i].rounds; r++)
			json_array_append_new(rounds, json_pack("[s,s]", tp_status_name(d[i].st[r][0]),
								tp_status_name(d[i].st[r][1])));
		json_t *o = json_pack("{s:s,s:s,s:o,s:o,s:b,s:b,s:o*}", "id", x->id, "group",
				      tp_group_name(x->group), "baseline", result(x), "candidate",
				      result(y), "stable", d[i].stable, "regression",
				      d[i].regression, "rounds", rounds);
		err |= !o || json_array_append_new(diffs, o) != 0;
	}
	json_t *cmp = err ? NULL : json_pack("{s:o,s:o,s:I,s:i,s:o,s:b,s:b}", "baseline", side(b),
					     "candidate", side(k), "cases", (json_int_t)ncases,
					     "rounds", ROUNDS, "differences", diffs,
					     "verdict_regression", verdict_worse, "regression",
					     regressions > 0 || verdict_worse);
	if (!cmp)
		json_decref(diffs);
	err |= !cmp || json_object_set_new(top, "zone", rep->zone[0] ? json_string(rep->zone)
								 : json_null()) != 0 ||
	       json_object_set_new(top, "compare", cmp) != 0;
	if (!err)
		err = json_dumpf(top, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0;
	json_decref(top);
	if (!err)
		fputc('\n', f);
	return err;
}

int lab_compare_done(const struct tp_run_req *r, struct tp_report *rep,
		     const struct tp_target *targets, size_t nt, const struct tp_probe_plan *plan)
{
	const struct lab_compare *c = r->done_ctx;
	size_t ib = 0, ik = 0;
	int file = lab_compare_is_file(c->baseline);
	struct tp_resolver_report recorded;
	char err[600];
	if (file && load_baseline(c->baseline, c->candidate, &recorded, err, sizeof err) != 0) {
		fprintf(stderr, "trustprobe lab: %s\n", err);
		return 2;
	}
	const struct tp_resolver_report *b = file ? &recorded : by_name(rep, c->baseline, &ib);
	const struct tp_resolver_report *k = by_name(rep, c->candidate, &ik);
	struct diff *d = b && k ? calloc(b->n_findings ? b->n_findings : 1, sizeof *d) : NULL;
	if (!d || ib >= nt || ik >= nt) {
		if (b && k)
			fprintf(stderr, "trustprobe lab: out of memory\n");
		else
			fprintf(stderr, "trustprobe lab: --compare: %s was not probed\n",
				b ? c->candidate : c->baseline);
		free(d);
		if (file)
			free(recorded.findings);
		return 2;
	}
	size_t nd = 0, ncases = 0;
	for (size_t i = 0; i < b->n_findings; i++) {
		size_t j;
		const struct tp_finding *y = finding(k, b->findings[i].id, &j);
		if (!y)
			continue;
		ncases++;
		if (y->status == b->findings[i].status)
			continue;
		d[nd] = (struct diff){.fb = i, .fc = j, .rounds = 1};
		d[nd].st[0][0] = b->findings[i].status;
		d[nd].st[0][1] = y->status;
		nd++;
	}
	const struct tp_target two[2] = {targets[file ? ik : ib], targets[ik]};
	if (nd)
		recheck(r, file ? two + 1 : two, file ? 1 : 2, plan, d, nd, b);
	int regressions = 0;
	size_t unstable = 0;
	for (size_t i = 0; i < nd; i++) {
		d[i].stable = d[i].rounds == ROUNDS;
		for (size_t n = 1; n < d[i].rounds; n++)
			d[i].stable &= d[i].st[n][0] == d[i].st[0][0] && d[i].st[n][1] == d[i].st[0][1];
		d[i].regression = d[i].stable && d[i].st[0][0] == TP_PASS &&
				  (d[i].st[0][1] == TP_FAIL || d[i].st[0][1] == TP_WARN);
		regressions += d[i].regression;
		unstable += !d[i].stable;
	}
	/* a worse verdict counts unless only unstable cases differ */
	int verdict_worse = badness(k->verdict) > badness(b->verdict) && (nd == 0 || unstable < nd);
	FILE *f = c->out ? c->out : stdout;
	int bad = c->format == TP_FMT_JSON
			  ? print_json(f, rep, b, k, d, nd, ncases, verdict_worse, regressions)
			  : (print_text(f, file ? c->baseline : NULL, b, k, d, nd, ncases, verdict_worse, regressions), 0);
	free(d);
	if (file)
		free(recorded.findings);
	if (bad || fflush(f) != 0) {
		fprintf(stderr, "trustprobe lab: cannot write the comparison\n");
		return 2;
	}
	return regressions || verdict_worse ? 1 : 0;
}
