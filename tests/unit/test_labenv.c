/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for labenv.c: the one reader of lab.env (shell quoting as tp_shell_quote writes
 * it, comments, malformed lines, missing keys). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "labenv.h"
#include "tp_util.h"

static void test_unquote(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(tp_labenv_unquote("'a b'\n", out, sizeof out), 0);
	assert_string_equal(out, "a b");
	assert_int_equal(tp_labenv_unquote("'it'\\''s'", out, sizeof out), 0);
	assert_string_equal(out, "it's");
	assert_int_equal(tp_labenv_unquote("plain", out, sizeof out), 0);
	assert_string_equal(out, "plain");
	assert_int_equal(tp_labenv_unquote("'open", out, sizeof out), -1);
	assert_int_equal(tp_labenv_unquote("0123456789", out, 5), -1);
}

static int count(const char *k, const char *v, void *ctx)
{
	(void)k;
	(void)v;
	(*(int *)ctx)++;
	return 0;
}

static void test_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/tp-labenv-XXXXXX", path[64], out[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/lab.env", dir);
	const char text[] = "# comment\nLAB_ZONE='test.'\nLAB_DIR='/tmp/a b'\nnot a line\n"
			    "=x\nlower=1\nLAB_KSK_CURRENT=12345\nLAB_Q='it'\\''s'";
	assert_int_equal(tp_write_file(path, text, strlen(text)), 0);
	assert_int_equal(tp_labenv_get(dir, "LAB_ZONE", out, sizeof out), 0);
	assert_string_equal(out, "test.");
	assert_int_equal(tp_labenv_get(dir, "LAB_DIR", out, sizeof out), 0);
	assert_string_equal(out, "/tmp/a b");
	assert_int_equal(tp_labenv_get(dir, "LAB_KSK_CURRENT", out, sizeof out), 0);
	assert_string_equal(out, "12345");
	assert_int_equal(tp_labenv_get(dir, "LAB_Q", out, sizeof out), 0); /* last line, no \n */
	assert_string_equal(out, "it's");
	assert_int_equal(tp_labenv_get(dir, "LAB_NONE", out, sizeof out), -1);
	assert_int_equal(tp_labenv_get(dir, "lower", out, sizeof out), -1); /* not a shell name */
	assert_int_equal(tp_labenv_get(dir, "LAB_DIR", out, 4), -1); /* does not fit */
	int n = 0;
	assert_int_equal(tp_labenv_each(dir, count, &n), 0);
	assert_int_equal(n, 4);
	unlink(path);
	assert_int_equal(tp_labenv_get(dir, "LAB_ZONE", out, sizeof out), -1);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unquote),
		cmocka_unit_test(test_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
