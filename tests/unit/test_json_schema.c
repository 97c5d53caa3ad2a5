/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * test_json_schema: the JSON documents agree with the schema the man page states
 * (man/trustprobe.1, JSON SCHEMA: ".It Li PATH Pq TYPE[, optional]" under the subsections
 * Report, Setup error and Catalogue). Both ways: every key written is listed with its type,
 * every key listed as required is written wherever its parent is, and every key listed is
 * written by some document here (so the page lists nothing that is gone). The reports are
 * the recorded findings (tests/unit/data/findings) diagnosed, with the optional parts
 * filled in. Also: the observations survive the JSON (rendered, read back, equal). Man
 * page: env TP_MAN, else man/trustprobe.1. No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "diagnose.h"
#include "lab_compare.h"
#include "findings.h"
#include "render.h"
#include "verdict.h"

struct key {
	char path[160];
	char type[24];
	int optional;
	int seen;
};

struct schema {
	size_t n;
	struct key k[300];
};

#include "catalog_fixture.h"

/* The keys of subsection sub of JSON SCHEMA in the man page. */
static void load_schema(const char *sub, struct schema *s)
{
	const char *man = getenv("TP_MAN");
	FILE *f = fopen(man && *man ? man : "man/trustprobe.1", "r");
	char line[512];
	int in_sh = 0, in_ss = 0;
	assert_non_null(f);
	memset(s, 0, sizeof *s);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".Sh ", 4) == 0)
			in_sh = strcmp(line, ".Sh JSON SCHEMA") == 0;
		if (strncmp(line, ".Ss ", 4) == 0)
			in_ss = in_sh && strcmp(line + 4, sub) == 0;
		if (!in_ss || strncmp(line, ".It Li ", 7) != 0)
			continue;
		struct key *k = &s->k[s->n];
		char rest[200] = "";
		assert_true(s->n < sizeof s->k / sizeof s->k[0]);
		if (sscanf(line + 7, "%159s Pq %199[^\n]", k->path, rest) != 2)
			fail_msg("man page: bad schema line '%s'", line);
		k->optional = strstr(rest, ", optional") != NULL;
		rest[strcspn(rest, ",")] = '\0';
		snprintf(k->type, sizeof k->type, "%s", rest);
		s->n++;
	}
	fclose(f);
	if (!s->n)
		fail_msg("man page: no JSON SCHEMA subsection '%s'", sub);
}

static struct key *lookup(struct schema *s, const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->k[i].path, path) == 0)
			return &s->k[i];
	return NULL;
}

static int type_ok(const char *type, json_t *v)
{
	if (!strcmp(type, "object")) return json_is_object(v);
	if (!strcmp(type, "array")) return json_is_array(v);
	if (!strcmp(type, "string")) return json_is_string(v);
	if (!strcmp(type, "integer")) return json_is_integer(v);
	if (!strcmp(type, "number")) return json_is_number(v);
	if (!strcmp(type, "boolean")) return json_is_boolean(v);
	if (!strcmp(type, "string or null")) return json_is_string(v) || json_is_null(v);
	fail_msg("man page: unknown type '%s'", type);
	return 0;
}

static char problem[400]; /* the first disagreement found, or "" */

static void check_node(struct schema *s, const char *path, json_t *v, const char *doc);

static void check_value(struct schema *s, const char *path, json_t *v, const char *doc)
{
	struct key *k = lookup(s, path);
	if (problem[0])
		return;
	if (!k) {
		snprintf(problem, sizeof problem, "%s: key %s is written but not in the man page",
			 doc, path);
		return;
	}
	if (!type_ok(k->type, v)) {
		snprintf(problem, sizeof problem, "%s: %s is not %s", doc, path, k->type);
		return;
	}
	k->seen = 1;
	check_node(s, path, v, doc);
}

/* The children of the node at path: documented, typed; the required ones present. */
static void check_node(struct schema *s, const char *path, json_t *v, const char *doc)
{
	char child[200];
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		snprintf(child, sizeof child, "%s[]", path);
		json_array_foreach(v, i, e)
			check_value(s, child, e, doc);
		return;
	}
	if (!json_is_object(v))
		return;
	const char *key;
	json_t *e;
	json_object_foreach(v, key, e) {
		snprintf(child, sizeof child, "%s%s%s", path, *path ? "." : "", key);
		check_value(s, child, e, doc);
	}
	size_t pl = strlen(path);
	for (size_t i = 0; i < s->n && !problem[0]; i++) {
		const char *p = s->k[i].path, *name;
		if (pl ? strncmp(p, path, pl) != 0 || p[pl] != '.' : 0)
			continue;
		name = pl ? p + pl + 1 : p;
		if (strchr(name, '.') || strchr(name, '[') || s->k[i].optional)
			continue;
		if (!json_object_get(v, name))
			snprintf(problem, sizeof problem, "%s: required key %s is missing", doc, p);
	}
}

/* "" when text agrees with s, else the first problem. */
static const char *check_doc(struct schema *s, const char *text, const char *doc)
{
	json_error_t jerr;
	json_t *top = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	problem[0] = '\0';
	if (!top) {
		snprintf(problem, sizeof problem, "%s: not JSON: %s", doc, jerr.text);
		return problem;
	}
	if (!json_is_object(top))
		snprintf(problem, sizeof problem, "%s: not an object", doc);
	else
		check_node(s, "", top, doc);
	json_decref(top);
	return problem;
}

static void agrees(struct schema *s, const char *text, const char *doc)
{
	const char *p = check_doc(s, text, doc);
	if (p[0])
		fail_msg("%s", p);
}

static void all_seen(struct schema *s, const char *sub)
{
	for (size_t i = 0; i < s->n; i++)
		if (!s->k[i].seen)
			fail_msg("%s: the man page lists %s, which no document here holds", sub,
				 s->k[i].path);
}

static char *capture(int (*fn)(FILE *, const struct tp_report *), const struct tp_report *rep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(fn(f, rep), 0);
	fclose(f);
	return buf;
}

static const char *const recordings[] = {
	"unbound", "bind", "pdns-recursor", "knot-resolver", "dnsmasq", "unbound-novalidate",
	"dnsmasq-proxy", "unbound-anchor", "unbound-permissive", "pdns-validate",
	"dnsmasq-stale", "nsd-root", "nsd-refused", "closed-port",
};
#define N_REC (sizeof recordings / sizeof recordings[0])

/* What evaluate.c takes from the catalogue: each finding's matrix cell and suggested EDE
 * (the recordings predate the algorithm matrix), the cell from its answer. */
static void from_catalogue(struct tp_resolver_report *r)
{
	for (size_t i = 0; i < r->n_findings; i++) {
		struct tp_finding *f = &r->findings[i];
		const struct tp_case *c = tp_catalog_find(&cat, f->id);
		if (!c)
			continue;
		f->matrix_alg = c->matrix_alg;
		f->matrix_digest = c->matrix_digest;
		f->n_ede_suggest = c->n_ede_suggest;
		memcpy(f->ede_suggest, c->ede_suggest, sizeof f->ede_suggest);
		if (c->matrix_alg)
			f->cell = f->status == TP_SKIP ? TP_CELL_UNJUDGED :
				  f->obs[0].rcode == LDNS_RCODE_SERVFAIL ? TP_CELL_BOGUS :
				  f->obs[0].flags & TP_F_AD ? TP_CELL_VALIDATED : TP_CELL_INSECURE;
	}
}

static void report_schema(void **state)
{
	static struct schema s;
	struct tp_resolver_report r[N_REC];
	(void)state;
	load_schema("Report", &s);
	for (size_t i = 0; i < N_REC; i++) {
		load_recording(recordings[i], i % 2 == 0, &r[i]);
		from_catalogue(&r[i]);
		tp_verdict_lead(&r[i]);
		tp_diagnose(&r[i]);
	}
	/* a cell with a note and an EDE with its text (knot-resolver gives EDE 0 there) */
	struct tp_finding *cell = find(&r[0], "validation.alg15");
	if (!cell)
		return;
	snprintf(cell->note, sizeof cell->note, "algorithm 15 not supported: insecure");
	cell->obs[0].n_ede = 1;
	cell->obs[0].ede[0] = 0;
	snprintf(cell->obs[0].ede_text[0], sizeof cell->obs[0].ede_text[0], "LSLC: unsupported");
	const char *acc[] = {"dname-gap", "nosuch"};
	tp_diagnose_accept(&r[4], acc, 2); /* dnsmasq: accepted keys and the note */
	snprintf(r[0].anchor_note, sizeof r[0].anchor_note, "FILE trusts the key in force");
	snprintf(r[1].verify_note, sizeof r[1].verify_note, "independent validation is off: x");
	/* lab instances as lab_identify fills them: a package, a copy with a --conf file, a
	 * shipped config with its sources and overrides */
	snprintf(r[0].program, sizeof r[0].program, "/usr/sbin/unbound");
	snprintf(r[0].package, sizeof r[0].package, "unbound 1.17.1-2+deb12u4");
	snprintf(r[0].config, sizeof r[0].config, "shipped");
	r[0].config_sources = strdup("/etc/unbound/unbound.conf (as Debian unbound ships it)");
	r[0].overrides = strdup("interface: 127.53.4.1\nusername: \"\"");
	snprintf(r[2].program, sizeof r[2].program, "/tmp/unbound");
	snprintf(r[2].config, sizeof r[2].config, "lab");
	snprintf(r[2].snippet, sizeof r[2].snippet, "/tmp/permissive.conf");
	r[3].findings[0].status = TP_SKIP; /* as without a test zone */
	r[3].findings[0].no_zone = 1;
	struct tp_report rep = {.n = N_REC, .resolvers = r, .started = 1796114220,
				.lab_run = 1, .n_skipped = 1, .app_checked = 1};
	snprintf(rep.zone, sizeof rep.zone, "test.");
	snprintf(rep.app_note, sizeof rep.app_note, "AD reaches Postfix");
	snprintf(rep.skipped[0].name, sizeof rep.skipped[0].name, "knot-resolver");
	char *out = capture(tp_render_json, &rep);
	agrees(&s, out, "report");
	free(out);
	/* no zone: null; not a lab run, no application path */
	rep.zone[0] = '\0';
	rep.lab_run = rep.app_checked = 0;
	out = capture(tp_render_json, &rep);
	agrees(&s, out, "report without a zone");
	free(out);
	all_seen(&s, "Report");
	for (size_t i = 0; i < N_REC; i++)
		free(r[i].findings);
	free(r[0].config_sources);
	free(r[0].overrides);
	memset(&r[0], 0, sizeof r[0]);
	/* and the check can fail: a key the page does not list, one it wants that is not
	 * written, a type that differs */
	load_recording("bind", 1, &r[0]);
	tp_diagnose(&r[0]);
	rep.n = 1;
	out = capture(tp_render_json, &rep);
	struct key *k = lookup(&s, "resolvers[].family.why");
	assert_non_null(k);
	strcpy(k->path, "resolvers[].family.whyx");
	assert_non_null(strstr(check_doc(&s, out, "t"), "key resolvers[].family.why is written"));
	strcpy(k->path, "resolvers[].family.why");
	k = lookup(&s, "resolvers[].roll_note");
	k->optional = 0;
	assert_non_null(strstr(check_doc(&s, out, "t"), "required key resolvers[].roll_note is missing"));
	k->optional = 1;
	k = lookup(&s, "resolvers[].dane_ready");
	strcpy(k->type, "string");
	assert_non_null(strstr(check_doc(&s, out, "t"), "resolvers[].dane_ready is not string"));
	strcpy(k->type, "boolean");
	assert_string_equal(check_doc(&s, out, "t"), "");
	free(out);
	free(r[0].findings);
}

/* 'lab --compare' as JSON (lab_compare.h): two recorded resolvers, one case flipped on the
 * candidate. Its probes again go nowhere: the plan selects no case (the catalogue here is
 * empty), so the difference stays at one round, unstable. */
static void compare_schema(void **state)
{
	static struct schema s;
	struct tp_resolver_report r[2];
	(void)state;
	load_schema("Comparison", &s);
	load_recording("unbound", 1, &r[0]);
	load_recording("unbound", 1, &r[1]);
	snprintf(r[0].name, sizeof r[0].name, "unbound");
	snprintf(r[1].name, sizeof r[1].name, "unbound-new");
	for (int i = 0; i < 2; i++) { /* both shipped, with a snippet: every optional key */
		snprintf(r[i].config, sizeof r[i].config, "shipped");
		snprintf(r[i].snippet, sizeof r[i].snippet, "/tmp/permissive.conf");
		r[i].config_sources = strdup("/etc/unbound/unbound.conf (no package's file)");
		r[i].overrides = strdup("interface: 127.53.4.1");
	}
	r[1].findings[0].status = r[1].findings[0].status == TP_PASS ? TP_FAIL : TP_PASS;
	struct tp_report rep = {.n = 2, .resolvers = r, .started = 1796114220};
	snprintf(rep.zone, sizeof rep.zone, "test.");
	struct tp_target t[2];
	assert_int_equal(tp_target_parse("127.0.0.1@9", &t[0], NULL, 0), 0);
	t[1] = t[0];
	struct tp_catalog empty = {0};
	int none = 0;
	struct tp_probe_plan plan = {.cat = &empty, .selected = &none};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	struct lab_compare c = {.baseline = "unbound", .candidate = "unbound-new",
				.format = TP_FMT_JSON, .out = f};
	struct tp_run_req req = {.done_ctx = &c};
	req.o.timeout = 1;
	int rc = lab_compare_done(&req, &rep, t, 2, &plan);
	fclose(f);
	assert_int_equal(rc, 0); /* an unstable difference is no regression */
	agrees(&s, buf, "comparison");
	assert_non_null(strstr(buf, "\"stable\": false"));
	all_seen(&s, "Comparison");
	free(buf);
	for (int i = 0; i < 2; i++) {
		free(r[i].findings);
		free(r[i].config_sources);
		free(r[i].overrides);
	}
}

static void error_and_catalogue_schema(void **state)
{
	static struct schema s;
	char *buf = NULL;
	size_t len = 0;
	(void)state;
	load_schema("Setup error", &s);
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(tp_render_json_error(f, "no running lab in /x", 2), 0);
	fclose(f);
	agrees(&s, buf, "setup error");
	all_seen(&s, "Setup error");
	free(buf);

	load_schema("Catalogue", &s);
	f = open_memstream(&buf, &len);
	assert_int_equal(tp_render_catalog_json(f, &cat, NULL), 0);
	fclose(f);
	agrees(&s, buf, "catalogue");
	all_seen(&s, "Catalogue");
	json_error_t jerr;
	json_t *top = json_loads(buf, 0, &jerr);
	assert_int_equal(json_array_size(json_object_get(top, "cases")), cat.n);
	json_t *c0 = json_array_get(json_object_get(top, "cases"), 0);
	assert_string_equal(json_string_value(json_object_get(c0, "id")), cat.cases[0].id);
	json_decref(top);
	free(buf);
}

/* The structured observations survive the JSON: rendered, read back, the same. */
static void observations_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_REC; i++) {
		struct tp_resolver_report a, b;
		load_recording(recordings[i], 1, &a);
		struct tp_report rep = {.n = 1, .resolvers = &a};
		char *out = capture(tp_render_json, &rep);
		json_error_t jerr;
		json_t *top = json_loads(out, 0, &jerr);
		assert_non_null(top);
		read_resolver(json_array_get(json_object_get(top, "resolvers"), 0), 1, &b);
		assert_int_equal(a.n_findings, b.n_findings);
		for (size_t k = 0; k < a.n_findings; k++) {
			const struct tp_finding *x = &a.findings[k], *y = &b.findings[k];
			assert_string_equal(x->id, y->id);
			assert_int_equal(x->status, y->status);
			assert_int_equal(x->n_obs, y->n_obs);
			for (size_t q = 0; q < x->n_obs; q++) {
				struct tp_obs_summary o1 = x->obs[q], o2 = y->obs[q];
				o1.rtt_ms = o2.rtt_ms = 0;
				if (memcmp(&o1, &o2, sizeof o1) != 0)
					fail_msg("%s %s: observation %zu differs after JSON",
						 recordings[i], x->id, q);
			}
		}
		json_decref(top);
		free(out);
		free(a.findings);
		free(b.findings);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(report_schema),
		cmocka_unit_test(compare_schema),
		cmocka_unit_test(error_and_catalogue_schema),
		cmocka_unit_test(observations_round_trip),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
