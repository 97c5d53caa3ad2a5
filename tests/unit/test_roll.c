/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for roll.c: the key in force and the next step with a frozen clock before,
 * during and after each published step of the current roll, and the date parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "roll.h"

static time_t at(const char *s)
{
	time_t t;
	assert_int_equal(tp_parse_date(s, &t), 0);
	return t;
}

static void test_key_in_force(void **state)
{
	(void)state;
	assert_int_equal(tp_roll_key_in_force(at("2018-10-10T23:59:59Z")), 19036);
	assert_int_equal(tp_roll_key_in_force(at("2018-10-11")), 20326);
	assert_int_equal(tp_roll_key_in_force(at("2025-01-11")), 20326); /* published, not signing */
	assert_int_equal(tp_roll_key_in_force(at("2026-10-10T23:59:59Z")), 20326);
	assert_int_equal(tp_roll_key_in_force(at("2026-10-11")), 38696);
	assert_int_equal(tp_roll_key_in_force(at("2027-06-01")), 38696);
}

static void test_next_step(void **state)
{
	(void)state;
	const struct tp_roll_event *e = tp_roll_next(at("2024-12-31"));
	assert_non_null(e);
	assert_string_equal(e->date, "2025-01-11");
	assert_int_equal(e->kind, TP_ROLL_PUBLISH);
	assert_int_equal(e->tag, 38696);
	e = tp_roll_next(at("2026-10-11")); /* the step itself is not "next" any more */
	assert_string_equal(e->date, "2027-01-11");
	assert_int_equal(e->kind, TP_ROLL_REVOKE);
	assert_int_equal(e->tag, 20326);
	assert_true(e->unverified);
	assert_int_equal(tp_days_until(at("2026-12-01"), tp_roll_event_time(e)), 41);
	assert_int_equal(tp_days_until(at("2026-12-01T12:00:00Z"), tp_roll_event_time(e)), 40);
	assert_int_equal(tp_days_until(at("2027-01-12"), tp_roll_event_time(e)), -1);
	assert_null(tp_roll_next(at("2027-01-11")));
}

static void test_root_keys(void **state)
{
	(void)state;
	size_t n;
	const struct tp_root_key *k = tp_root_keys(&n);
	assert_int_equal(n, 3);
	assert_int_equal(k[2].tag, 38696);
	assert_ptr_equal(tp_root_key_find(20454), &k[1]); /* KSK-2017 revoked */
	assert_ptr_equal(tp_root_key_find(20326), &k[1]);
	assert_null(tp_root_key_find(12345));
	assert_string_equal(tp_root_key_find(38696)->ds_sha256,
			    "683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16");
}

static void test_dates(void **state)
{
	(void)state;
	time_t t;
	assert_int_equal(tp_parse_date("1970-01-01", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(tp_parse_date("2026-12-01", &t), 0);
	assert_int_equal(t, 1796083200);
	assert_int_equal(tp_parse_date("2024-02-29", &t), 0);
	assert_int_equal(tp_parse_date("2000-02-29", &t), 0);
	assert_int_equal(tp_parse_date("2027-01-11T06:30:00Z", &t), 0);
	assert_int_equal(t, 1799649000);
	const char *bad[] = {"2027-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
			     "26-12-01", "2026-12-1", "2026-12-01T25:00:00Z", "2026-12-01T10:00:00",
			     "2026-12-01x", "", "1969-12-31", "tomorrow"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(tp_parse_date(bad[i], &t), -1);
	char buf[16];
	tp_format_date(1796083200, buf, sizeof buf);
	assert_string_equal(buf, "2026-12-01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_in_force),
		cmocka_unit_test(test_next_step),
		cmocka_unit_test(test_root_keys),
		cmocka_unit_test(test_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
