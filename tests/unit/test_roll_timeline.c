/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Tests for roll_timeline: the step table, the expectations, the class of a sentinel
 * finding, the judgement of a cell, and the text and JSON renderings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "roll_timeline.h"

static void test_steps(void **state)
{
	(void)state;
	const struct lab_roll_step *s = lab_roll_steps();
	static const char *const names[] = {"publish-next", "add-holddown", "next-signs",
					    "current-revoked", "current-removed"};
	for (size_t i = 0; i < LAB_ROLL_STEPS; i++) {
		assert_string_equal(s[i].name, names[i]);
		assert_non_null(s[i].what);
	}
	/* the lab starts published-next; hold-down changes nothing at the root */
	assert_int_equal(s[0].root, SIGNER_ROOT_PUBLISH_NEXT);
	assert_false(s[0].resign);
	assert_int_equal(s[1].root, SIGNER_ROOT_PUBLISH_NEXT);
	assert_false(s[1].resign);
	assert_int_equal(s[2].root, SIGNER_ROOT_NEXT_SIGNS);
	assert_int_equal(s[3].root, SIGNER_ROOT_CURRENT_REVOKED);
	assert_int_equal(s[4].root, SIGNER_ROOT_CURRENT_REMOVED);
	for (size_t i = 2; i < LAB_ROLL_STEPS; i++)
		assert_true(s[i].resign);
}

static void test_roles_and_expectations(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(lab_roll_role_of("unbound", &why), LAB_ROLE_RFC5011);
	assert_null(why);
	assert_int_equal(lab_roll_role_of("unbound-static-current", NULL), LAB_ROLE_STATIC_CURRENT);
	assert_int_equal(lab_roll_role_of("unbound-static-both", NULL), LAB_ROLE_STATIC_BOTH);
	assert_int_equal(lab_roll_role_of("pdns-recursor", &why), LAB_ROLE_NOT_REHEARSED);
	assert_non_null(strstr(why, "static anchor"));
	assert_int_equal(lab_roll_role_of("dnsmasq", &why), LAB_ROLE_NOT_REHEARSED);
	assert_non_null(strstr(why, "no RFC 5011"));
	assert_int_equal(lab_roll_role_of("no-such", &why), LAB_ROLE_NOT_REHEARSED);
	assert_non_null(why);

	struct lab_roll_expect e;
	assert_int_equal(lab_roll_expected("pdns-recursor", 0, &e), -1);
	assert_int_equal(lab_roll_expected("unbound", LAB_ROLL_STEPS, &e), -1);
	/* unbound: AddPend next is no anchor (RFC 8509 3), Valid after the hold-down */
	assert_int_equal(lab_roll_expected("unbound", 0, &e), 0);
	assert_true(e.ok);
	assert_int_equal(e.cur, LAB_RC_VNEW);
	assert_int_equal(e.next, LAB_RC_VOLD);
	assert_non_null(strstr(e.why, "autotrust.c"));
	assert_int_equal(lab_roll_expected("unbound", 1, &e), 0);
	assert_int_equal(e.next, LAB_RC_VNEW);
	assert_int_equal(lab_roll_expected("unbound", 3, &e), 0);
	assert_int_equal(e.cur, LAB_RC_VOLD);
	/* BIND: initial-key trusts the next key at first start */
	assert_int_equal(lab_roll_expected("bind", 0, &e), 0);
	assert_int_equal(e.next, LAB_RC_VNEW);
	assert_non_null(strstr(e.why, "zone.c"));
	/* the controls: current-only breaks once next signs alone; both-keys never does */
	for (size_t s = 0; s < LAB_ROLL_STEPS; s++) {
		assert_int_equal(lab_roll_expected("unbound-static-current", s, &e), 0);
		assert_int_equal(e.ok, s < 2);
		assert_int_equal(lab_roll_expected("unbound-static-both", s, &e), 0);
		assert_true(e.ok);
		assert_int_equal(e.cur, LAB_RC_VNEW);
		assert_int_equal(e.next, LAB_RC_VNEW);
		for (size_t k = 0; k < 3; k++) {
			static const char *const n[] = {"unbound", "bind", "knot-resolver"};
			assert_int_equal(lab_roll_expected(n[k], s, &e), 0);
			assert_true(e.ok); /* RFC 5011 resolvers survive every step */
			assert_non_null(e.why);
		}
	}
}

static void test_class_of(void **state)
{
	(void)state;
	struct tp_finding f = {0};
	snprintf(f.reason, sizeof f.reason, "observed is: NOERROR (Vnew: trusts the key in force); expected ...");
	assert_int_equal(lab_roll_class_of(&f), LAB_RC_VNEW);
	snprintf(f.reason, sizeof f.reason, "observed ... (Vold: does not trust the next KSK yet: it breaks)");
	assert_int_equal(lab_roll_class_of(&f), LAB_RC_VOLD);
	snprintf(f.reason, sizeof f.reason, "observed ... (Vind: validates, but does not support)");
	assert_int_equal(lab_roll_class_of(&f), LAB_RC_VIND);
	snprintf(f.reason, sizeof f.reason, "observed ... (nonV: bogus data answered)");
	assert_int_equal(lab_roll_class_of(&f), LAB_RC_NONV);
	snprintf(f.reason, sizeof f.reason, "no answer (is): timeout");
	assert_int_equal(lab_roll_class_of(&f), LAB_RC_NONE);
	assert_string_equal(lab_roll_class_name(LAB_RC_NONE), "-");
	assert_string_equal(lab_roll_class_name(LAB_RC_VNEW), "Vnew");
	assert_string_equal(lab_roll_class_name(LAB_RC_NONV), "nonV");
}

/* A timeline as the rehearsal fills it: unbound as expected, the current-only control
 * breaking at next-signs, pdns-recursor not rehearsed. */
static void fill(struct lab_roll_timeline *tl)
{
	memset(tl, 0, sizeof *tl);
	tl->tag_cur = 11111;
	tl->tag_next = 22222;
	tl->tag_cur_revoked = 11239;
	tl->holddown = 8;
	tl->dnskey_ttl = 2;
	tl->steps_done = LAB_ROLL_STEPS;
	tl->wall_s = 36.5;
	tl->signals_seen = 1;
	static const char *const names[] = {"unbound", "unbound-static-current", "pdns-recursor"};
	for (size_t i = 0; i < 3; i++) {
		struct lab_roll_row *r = &tl->rows[tl->n++];
		snprintf(r->name, sizeof r->name, "%s", names[i]);
		r->role = lab_roll_role_of(names[i], &r->why_not);
		if (r->role == LAB_ROLE_NOT_REHEARSED)
			continue;
		for (size_t s = 0; s < LAB_ROLL_STEPS; s++) {
			struct lab_roll_expect e;
			struct lab_roll_cell *c = &r->cell[s];
			assert_int_equal(lab_roll_expected(names[i], s, &e), 0);
			c->probed = 1;
			c->t = 1.0 + 7.0 * (double)s;
			c->ok = e.ok;
			c->cur = e.cur;
			c->next = e.next;
			snprintf(c->anchor, sizeof c->anchor, "cur:VALID next:%s", s ? "VALID" : "ADDPEND");
			if (i == 0)
				snprintf(c->signals, sizeof c->signals, "cur%s", s ? "+next" : "");
			lab_roll_judge(r, s, c);
		}
	}
}

static void test_judge(void **state)
{
	(void)state;
	struct lab_roll_timeline *tl = calloc(1, sizeof *tl);
	assert_non_null(tl);
	fill(tl);
	assert_true(lab_roll_all_as_expected(tl));
	const struct lab_roll_cell *c = &tl->rows[1].cell[2];
	assert_false(c->ok);
	assert_true(c->as_expected);
	assert_non_null(strstr(c->brk, "does not validate at next-signs"));
	assert_string_equal(tl->rows[0].cell[2].brk, "");
	/* an unexpected observation is caught */
	struct lab_roll_cell *u = &tl->rows[0].cell[0];
	u->next = LAB_RC_VNEW;
	lab_roll_judge(&tl->rows[0], 0, u);
	assert_false(u->as_expected);
	assert_false(lab_roll_all_as_expected(tl));
	/* bogus answered: named as such */
	u->cur = LAB_RC_NONV;
	lab_roll_judge(&tl->rows[0], 0, u);
	assert_non_null(strstr(u->brk, "bogus"));
	free(tl);
}

static char *render(int json, const struct lab_roll_timeline *tl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(json ? lab_roll_render_json(f, tl) : lab_roll_render_text(f, tl), 0);
	fclose(f);
	return buf;
}

static void test_text(void **state)
{
	(void)state;
	struct lab_roll_timeline *tl = calloc(1, sizeof *tl);
	assert_non_null(tl);
	fill(tl);
	char *t = render(0, tl);
	assert_non_null(strstr(t, "current KSK 11111 (revoked: 11239), next KSK 22222"));
	assert_non_null(strstr(t, "publish-next      add-holddown      next-signs"));
	assert_non_null(strstr(t, "\nunbound                  ok Vnew/Vold      ok Vnew/Vnew"));
	assert_non_null(strstr(t, "\nunbound-static-current   ok Vnew/Vold      ok Vnew/Vold      BREAK Vnew/Vold"));
	assert_non_null(strstr(t, "pdns-recursor            not rehearsed: static anchor"));
	assert_non_null(strstr(t, "  RFC 8145 _ta           cur               cur+next"));
	assert_non_null(strstr(t, "Breaks:\n  unbound-static-current: root DNSKEY RRset does not validate at next-signs"));
	assert_non_null(strstr(t, "Expected (verdict current/next) and why:"));
	assert_non_null(strstr(t, "every resolver as expected; wall time 36.5 s"));
	assert_null(strstr(t, " !"));
	free(t);
	tl->rows[0].cell[1].next = LAB_RC_VOLD; /* not as expected: marked */
	lab_roll_judge(&tl->rows[0], 1, &tl->rows[0].cell[1]);
	t = render(0, tl);
	assert_non_null(strstr(t, "ok Vnew/Vold !"));
	assert_non_null(strstr(t, "some resolver NOT as expected"));
	free(t);
	free(tl);
}

static void test_json(void **state)
{
	(void)state;
	struct lab_roll_timeline *tl = calloc(1, sizeof *tl);
	assert_non_null(tl);
	fill(tl);
	char *t = render(1, tl);
	json_error_t je;
	json_t *o = json_loads(t, 0, &je);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "schema")), 1);
	assert_true(json_is_true(json_object_get(o, "as_expected")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "keys"), "next")), 22222);
	json_t *steps = json_object_get(o, "steps");
	assert_int_equal(json_array_size(steps), LAB_ROLL_STEPS);
	assert_string_equal(json_string_value(json_object_get(json_array_get(steps, 3), "name")),
			    "current-revoked");
	json_t *rs = json_object_get(o, "resolvers");
	assert_int_equal(json_array_size(rs), 3);
	json_t *sc = json_array_get(rs, 1);
	assert_string_equal(json_string_value(json_object_get(sc, "role")), "control-static-current");
	json_t *c2 = json_array_get(json_object_get(sc, "timeline"), 2);
	assert_string_equal(json_string_value(json_object_get(c2, "verdict")), "break");
	assert_non_null(strstr(json_string_value(json_object_get(c2, "break")), "next-signs"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(c2, "expected"), "verdict")),
			    "break");
	json_t *ub0 = json_array_get(json_object_get(json_array_get(rs, 0), "timeline"), 0);
	assert_string_equal(json_string_value(json_object_get(ub0, "sentinel_next")), "Vold");
	assert_string_equal(json_string_value(json_object_get(ub0, "anchor")), "cur:VALID next:ADDPEND");
	assert_true(json_is_null(json_object_get(ub0, "break")));
	json_t *pd = json_array_get(rs, 2);
	assert_string_equal(json_string_value(json_object_get(pd, "role")), "not-rehearsed");
	assert_non_null(strstr(json_string_value(json_object_get(pd, "not_rehearsed")), "static"));
	assert_int_equal(json_array_size(json_object_get(pd, "timeline")), 0);
	json_decref(o);
	free(t);
	free(tl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_roles_and_expectations),
		cmocka_unit_test(test_class_of),
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
