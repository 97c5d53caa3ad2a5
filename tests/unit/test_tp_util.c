/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for tp_util.c's bounded reader: what is not a regular file is refused before
 * any read (a FIFO without a writer must not block), a file past the cap is refused, and
 * tp_next_line cuts lines as the catalogue and manifest parsers need. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tp_util.h"

static char dir[] = "/tmp/tp-util-XXXXXX";

static void test_regular_file(void **state)
{
	(void)state;
	char p[64];
	size_t len = 99;
	snprintf(p, sizeof p, "%s/f", dir);
	assert_int_equal(tp_write_file(p, "abc\n", 4), 0);
	char *t = tp_read_file(p, 4, &len);
	assert_non_null(t);
	assert_int_equal(len, 4);
	assert_string_equal(t, "abc\n");
	free(t);
	errno = 0;
	assert_null(tp_read_file(p, 3, &len));
	assert_int_equal(errno, EFBIG);
	assert_string_equal(tp_read_strerror(errno), "too large");
	FILE *f = tp_fopen_read(p, 4);
	assert_non_null(f);
	char buf[8];
	assert_non_null(fgets(buf, sizeof buf, f));
	assert_string_equal(buf, "abc\n");
	fclose(f);
	assert_int_equal(tp_write_file(p, "", 0), 0);
	t = tp_read_file(p, 4, &len);
	assert_non_null(t);
	assert_int_equal(len, 0);
	free(t);
	unlink(p);
}

static void test_not_regular(void **state)
{
	(void)state;
	char fifo[64];
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	const char *paths[] = {fifo, "/dev/zero", "/dev/null", dir};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		size_t len;
		errno = 0;
		assert_null(tp_read_file(paths[i], 1 << 20, &len)); /* and returns at once */
		assert_int_equal(errno, TP_ENOTREG);
		assert_string_equal(tp_read_strerror(errno), "not a regular file");
		errno = 0;
		assert_null(tp_fopen_read(paths[i], 1 << 20));
		assert_int_equal(errno, TP_ENOTREG);
	}
	errno = 0;
	assert_null(tp_read_file("/nonexistent/x", 10, NULL));
	assert_int_equal(errno, ENOENT);
	assert_string_equal(tp_read_strerror(ENOENT), strerror(ENOENT));
	unlink(fifo);
}

static void test_next_line(void **state)
{
	(void)state;
	const char text[] = "a\n\nbc";
	size_t off = 0, n;
	const char *l = tp_next_line(text, 5, &off, &n);
	assert_ptr_equal(l, text);
	assert_int_equal(n, 2);
	l = tp_next_line(text, 5, &off, &n);
	assert_ptr_equal(l, text + 2);
	assert_int_equal(n, 1);
	l = tp_next_line(text, 5, &off, &n);
	assert_ptr_equal(l, text + 3);
	assert_int_equal(n, 2); /* the last line, without '\n' */
	assert_null(tp_next_line(text, 5, &off, &n));
	off = 0;
	assert_null(tp_next_line("", 0, &off, &n));
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regular_file),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_next_line),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
