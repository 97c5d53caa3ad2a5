/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for apppath.c's resolv.conf options reader (trust-ad, edns0, nameservers and
 * whether all are on loopback). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "apppath.h"

static void parse(const char *t, struct tp_rc_opts *o)
{
	tp_resolvconf_options(t, strlen(t), o);
}

static void test_options(void **state)
{
	(void)state;
	struct tp_rc_opts o;
	parse("# Generated\nnameserver 127.0.0.1\nsearch example.net\noptions edns0 trust-ad ndots:2\n", &o);
	assert_true(o.trust_ad);
	assert_true(o.edns0);
	assert_int_equal(o.n_ns, 1);
	assert_string_equal(o.ns[0], "127.0.0.1");
	assert_true(o.all_loopback);
	parse("nameserver 127.0.0.53\nnameserver ::1\noptions rotate\n", &o);
	assert_false(o.trust_ad);
	assert_int_equal(o.n_ns, 2);
	assert_true(o.all_loopback);
	parse("nameserver 127.0.0.1\nnameserver 192.0.2.53\n; options trust-ad\n#options trust-ad\n", &o);
	assert_false(o.trust_ad); /* commented out */
	assert_false(o.all_loopback);
	parse("nameserver fe80::1%eth0\noptions\ttrust-ad\r\n", &o);
	assert_true(o.trust_ad);
	assert_false(o.all_loopback);
	parse("", &o);
	assert_int_equal(o.n_ns, 0);
	assert_true(o.all_loopback); /* none: libc asks 127.0.0.1 */
	parse("nameserver\noptions trust-adx\n", &o);
	assert_int_equal(o.n_ns, 0);
	assert_false(o.trust_ad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
