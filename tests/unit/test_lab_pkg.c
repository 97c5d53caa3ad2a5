/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for lab_pkg: dpkg's answer for a file, through a stand-in dpkg-query first in
 * PATH (a package that owns a file of this test's, whose recorded sum matches or not),
 * then the real dpkg for a file no package has. No network. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab_pkg.h"
#include "tp_util.h"

static char dir[256], oldpath[8192];

/* A dpkg-query that says fakepkg 1:2.0-1+deb12u1 owns dir/owned.conf, with the conffile
 * sum $FAKE_SUM. */
static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/tp-labpkg-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char p[512], script[2048];
	snprintf(p, sizeof p, "%s/owned.conf", dir);
	tp_write_file(p, "x\n", 2);
	snprintf(script, sizeof script,
		 "#!/bin/sh\n"
		 "case \"$1 $2\" in\n"
		 "'-S %s/owned.conf') echo 'fakepkg, otherpkg: %s/owned.conf' ;;\n"
		 "'-S '*) echo \"dpkg-query: no path found matching pattern $2\" >&2; exit 1 ;;\n"
		 "'-W -f=${Version} ${Architecture}') printf '1:2.0-1+deb12u1 all' ;;\n"
		 "'-W -f=${Conffiles}') printf ' /etc/other 0123\\n %s/owned.conf %%s\\n' \"$FAKE_SUM\" ;;\n"
		 "*) exit 1 ;;\n"
		 "esac\n", dir, dir, dir);
	snprintf(p, sizeof p, "%s/dpkg-query", dir);
	tp_write_file(p, script, strlen(script));
	chmod(p, 0755);
	snprintf(oldpath, sizeof oldpath, "%s", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	char np[8448];
	snprintf(np, sizeof np, "%s:%s", dir, oldpath);
	setenv("PATH", np, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	setenv("PATH", oldpath, 1);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_same_and_modified(void **state)
{
	(void)state;
	char p[512], phrase[600];
	struct lab_pkg pkg;
	snprintf(p, sizeof p, "%s/owned.conf", dir);
	setenv("FAKE_SUM", "401b30e3b8b5d629635a5c613cdb7919", 1); /* md5 of "x\n" */
	assert_int_equal(lab_pkg_of(p, 1, &pkg), LAB_PKG_SAME);
	assert_string_equal(pkg.package, "fakepkg"); /* the first of several */
	assert_string_equal(pkg.version, "1:2.0-1+deb12u1");
	lab_pkg_phrase(&pkg, phrase, sizeof phrase);
	assert_string_equal(phrase, "Debian fakepkg 1:2.0-1+deb12u1");
	setenv("FAKE_SUM", "00000000000000000000000000000000", 1);
	assert_int_equal(lab_pkg_of(p, 1, &pkg), LAB_PKG_MODIFIED);
	lab_pkg_phrase(&pkg, phrase, sizeof phrase);
	char want[600];
	snprintf(want, sizeof want, "%s differs from the file of Debian fakepkg 1:2.0-1+deb12u1", p);
	assert_string_equal(phrase, want);
	/* a program (not a conffile): dpkg's md5sums list has no line for it */
	assert_int_equal(lab_pkg_of(p, 0, &pkg), LAB_PKG_UNCHECKED);
	unsetenv("FAKE_SUM");
}

/* A link to the file is judged as the file it names. */
static void test_symlink_resolved(void **state)
{
	(void)state;
	char p[512], l[512];
	struct lab_pkg pkg;
	snprintf(p, sizeof p, "%s/owned.conf", dir);
	snprintf(l, sizeof l, "%s/link.conf", dir);
	assert_int_equal(symlink(p, l), 0);
	setenv("FAKE_SUM", "401b30e3b8b5d629635a5c613cdb7919", 1);
	assert_int_equal(lab_pkg_of(l, 1, &pkg), LAB_PKG_SAME);
	assert_string_equal(pkg.path, p);
	unsetenv("FAKE_SUM");
}

/* The real dpkg for a file of this test's: no package has it. */
static void test_not_from_a_package(void **state)
{
	(void)state;
	setenv("PATH", oldpath, 1);
	char p[512], phrase[600], want[600];
	struct lab_pkg pkg;
	snprintf(p, sizeof p, "%s/owned.conf", dir);
	assert_int_equal(lab_pkg_of(p, 0, &pkg), LAB_PKG_NONE);
	assert_string_equal(pkg.package, "");
	lab_pkg_phrase(&pkg, phrase, sizeof phrase);
	snprintf(want, sizeof want, "%s, not from a package", p);
	assert_string_equal(phrase, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_and_modified, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_resolved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_from_a_package, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
