/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * test_matrix: the algorithm matrix renderer (probe/matrix.c) on a fixed report: the grid
 * per resolver (-v) and across the lab's resolvers compared whole, at most 80 columns,
 * the words and letters of every outcome, failed cells marked, the JSON cells read back,
 * and a report without cells printing nothing. No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "matrix.h"
#include "render.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A cell: case id, algorithm, digest, outcome, status, EDE code (-1 none) and text. */
static struct tp_finding mk(const char *id, unsigned alg, unsigned digest, int cell,
			    enum tp_status st, int ede, const char *text)
{
	struct tp_finding f;
	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "%s", id);
	f.group = TP_G_VALIDATION;
	f.status = st;
	f.matrix_alg = (unsigned char)alg;
	f.matrix_digest = (unsigned char)digest;
	f.cell = cell;
	f.n_obs = 2;
	snprintf(f.obs[0].label, sizeof f.obs[0].label, "ctl");
	snprintf(f.obs[1].label, sizeof f.obs[1].label, "fwd");
	if (ede >= 0) {
		f.obs[1].n_ede = 1;
		f.obs[1].ede[0] = (unsigned short)ede;
		snprintf(f.obs[1].ede_text[0], sizeof f.obs[1].ede_text[0], "%s", text);
	}
	f.n_ede_suggest = 1;
	f.ede_suggest[0] = 1;
	return f;
}

static struct tp_finding fa[8], fb[8];
static struct tp_resolver_report rr[3];
static struct tp_report rep;

static int setup(void **state)
{
	(void)state;
	size_t n = 0;
	fa[n++] = mk("validation.alg5-ds1", 5, 1, TP_CELL_VALIDATED, TP_PASS, -1, "");
	fa[n++] = mk("validation.alg5", 5, 2, TP_CELL_INSECURE, TP_PASS, 0, "LSLC: unsupported");
	fa[n++] = mk("validation.alg5-ds4", 5, 4, TP_CELL_BOGUS, TP_FAIL, 6, "");
	fa[n++] = mk("validation.alg13", 13, 2, TP_CELL_INSECURE, TP_FAIL, -1, "");
	fa[n++] = mk("validation.digest100", 13, 100, TP_CELL_OTHER, TP_FAIL, -1, "");
	fa[n++] = mk("validation.unknown-alg", 100, 2, TP_CELL_UNJUDGED, TP_SKIP, -1, "");
	fa[n] = mk("transport.udp", 0, 0, TP_CELL_NONE, TP_PASS, -1, "");
	fa[n].group = TP_G_TRANSPORT;
	n++;
	snprintf(fa[2].note, sizeof fa[2].note, "a valid zone treated as bogus");
	memset(&rr, 0, sizeof rr);
	snprintf(rr[0].resolver, sizeof rr[0].resolver, "127.53.1.1");
	snprintf(rr[0].name, sizeof rr[0].name, "unbound");
	rr[0].findings = fa;
	rr[0].n_findings = n;
	n = 0;
	fb[n++] = mk("validation.alg5", 5, 2, TP_CELL_VALIDATED, TP_PASS, -1, "");
	fb[n++] = mk("validation.alg1", 1, 2, TP_CELL_VALIDATED, TP_FAIL, -1, "");
	snprintf(rr[1].resolver, sizeof rr[1].resolver, "127.53.1.10");
	snprintf(rr[1].name, sizeof rr[1].name, "fwd-dnsmasq-proxy");
	rr[1].findings = fb;
	rr[1].n_findings = n;
	snprintf(rr[2].resolver, sizeof rr[2].resolver, "192.0.2.53"); /* no cells at all */
	rep.n = 3;
	rep.resolvers = rr;
	return 0;
}

static char *capture_r(int (*fn)(FILE *, const struct tp_resolver_report *),
		       const struct tp_resolver_report *r, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	*rc = fn(f, r);
	fclose(f);
	return buf;
}

static void no_wider_than_80(const char *s)
{
	for (const char *l = s; *l;) {
		size_t n = strcspn(l, "\n");
		if (n > 80)
			fail_msg("line wider than 80: '%.*s'", (int)n, l);
		l += n + (l[n] == '\n');
	}
}

static void test_words_and_names(void **state)
{
	(void)state;
	/* the word and the letter of each fixture cell, failed ones marked */
	static const struct { const struct tp_finding *f; const char *word; char letter; } w[] = {
		{&fa[0], "ok", 'o'}, {&fa[1], "ins", 'i'}, {&fa[2], "BOG!", 'B'},
		{&fa[3], "ins!", 'I'}, {&fa[4], "?!", 'X'}, {&fa[5], "-", '-'},
		{&fa[6], "", ' '}, {&fb[1], "ok!", 'O'},
	};
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
		assert_string_equal(tp_cell_word(w[i].f), w[i].word);
		assert_int_equal(tp_cell_letter(w[i].f), w[i].letter);
	}
	static const struct { unsigned n; const char *alg, *digest; } names[] = {
		{1, "RSAMD5", "SHA-1"}, {4, "", "SHA-384"}, {5, "RSASHA1", ""},
		{7, "RSASHA1-NSEC3-SHA1", ""}, {16, "ED448", ""}, {253, "PRIVATEDNS", ""},
		{100, "unassigned", "unassigned"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].alg[0])
			assert_string_equal(tp_alg_name(names[i].n), names[i].alg);
		if (names[i].digest[0])
			assert_string_equal(tp_digest_name(names[i].n), names[i].digest);
	}
	assert_string_equal(tp_cell_name(TP_CELL_BOGUS), "bogus");
	assert_string_equal(tp_cell_name(TP_CELL_UNJUDGED), "unjudged");
	assert_string_equal(tp_cell_name(TP_CELL_NONE), "");
}

static const char grid_unbound[] =
	"\n"
	"  algorithm matrix: a row per DNSKEY algorithm, a column per DS digest type\n"
	"  (ok validated, ins insecure, BOG bogus, ? another answer, - not judged; !: the\n"
	"  RFCs fail it; blank: no such zone; RFC 8624 3.1 and 3.3, RFC 9904, RFC 9905)\n"
	"                            SHA-1     SHA-256   SHA-384   type 100\n"
	"      5 RSASHA1             ok        ins       BOG!\n"
	"     13 ECDSAP256SHA256               ins!                ?!\n"
	"    100 unassigned                    -\n";

static void test_text_grid(void **state)
{
	int rc;
	(void)state;
	char *out = capture_r(tp_matrix_text, &rr[0], &rc);
	assert_int_equal(rc, 8);
	assert_string_equal(out, grid_unbound);
	no_wider_than_80(out);
	free(out);
	/* no cell: nothing */
	out = capture_r(tp_matrix_text, &rr[2], &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "");
	free(out);
}

static const char grid_lab[] =
	"\n"
	"algorithm matrix: a column per DNSKEY algorithm, a letter per DS digest type\n"
	"(o validated, i insecure, b bogus (SERVFAIL), x another answer, - not judged;\n"
	"upper case: the RFCs fail the resolver for it)\n"
	"digest types: 2; 5: 1 2 4; 13: 2 100\n"
	"resolver          1 5   13 100\n"
	"unbound             oiB IX -\n"
	"fwd-dnsmasq-proxy O  o\n";

static void test_lab_grid(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	(void)state;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(tp_matrix_lab(f, &rep), 8); /* legend, digest types, header, a row
						      * per resolver with cells */
	fclose(f);
	assert_string_equal(buf, grid_lab);
	no_wider_than_80(buf);
	free(buf);
	/* and it closes trustprobe lab's text, after the group matrix and its legend */
	f = open_memstream(&buf, &len);
	assert_int_equal(tp_render_matrix(f, &rep, 0), 0);
	fclose(f);
	char *at = strstr(buf, "causes, fixes and evidence.\n");
	assert_non_null(at);
	assert_string_equal(at + strlen("causes, fixes and evidence.\n"), grid_lab);
	free(buf);
	/* no resolver with a cell: nothing */
	struct tp_report none = {.n = 1, .resolvers = &rr[2]};
	f = open_memstream(&buf, &len);
	assert_int_equal(tp_matrix_lab(f, &none), 0);
	fclose(f);
	assert_string_equal(buf, "");
	free(buf);
}

static void test_json_cells(void **state)
{
	int err = 0;
	(void)state;
	json_t *a = tp_matrix_json(&rr[0], &err);
	assert_non_null(a);
	assert_int_equal(err, 0);
	assert_int_equal(json_array_size(a), 6); /* the cells, not transport.udp */
	/* by algorithm, then digest type */
	json_t *c = json_array_get(a, 1);
	assert_string_equal(json_string_value(json_object_get(c, "case")), "validation.alg5");
	assert_int_equal(json_integer_value(json_object_get(c, "alg")), 5);
	assert_string_equal(json_string_value(json_object_get(c, "algorithm")), "RSASHA1");
	assert_int_equal(json_integer_value(json_object_get(c, "digest")), 2);
	assert_string_equal(json_string_value(json_object_get(c, "digest_name")), "SHA-256");
	assert_string_equal(json_string_value(json_object_get(c, "status")), "pass");
	assert_string_equal(json_string_value(json_object_get(c, "outcome")), "insecure");
	assert_null(json_object_get(c, "note"));
	/* the EDE of the judged (fwd) query, with its text, and the one suggested */
	assert_int_equal(json_integer_value(json_array_get(json_object_get(c, "ede"), 0)), 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(c, "ede_text"), 0)),
			    "LSLC: unsupported");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(c, "ede_suggested"),
							   0)), 1);
	c = json_array_get(a, 2);
	assert_string_equal(json_string_value(json_object_get(c, "outcome")), "bogus");
	assert_string_equal(json_string_value(json_object_get(c, "note")),
			    "a valid zone treated as bogus");
	c = json_array_get(a, 4);
	assert_int_equal(json_integer_value(json_object_get(c, "digest")), 100);
	assert_string_equal(json_string_value(json_object_get(c, "digest_name")), "unassigned");
	json_decref(a);
	/* text that is not UTF-8 is kept, its bad bytes as '?' */
	fa[1].obs[1].ede_text[0][0] = (char)0xff;
	a = tp_matrix_json(&rr[0], &err);
	c = json_array_get(a, 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(c, "ede_text"), 0)),
			    "?SLC: unsupported");
	json_decref(a);
	fa[1].obs[1].ede_text[0][0] = 'L';
	/* no cell: no array, and no error */
	assert_null(tp_matrix_json(&rr[2], &err));
	assert_int_equal(err, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_names),
		cmocka_unit_test(test_text_grid),
		cmocka_unit_test(test_lab_grid),
		cmocka_unit_test(test_json_cells),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
