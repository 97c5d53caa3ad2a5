/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for lab_userns_explain: each way unprivileged user namespaces are turned off,
 * with the sysctl values a machine in that state shows, gives one line naming the setting
 * and the change; errors that are not about namespaces being off keep strerror. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lab_userns.h"

/* A machine where nothing is off: the defaults of a Debian 12 kernel (no
 * unprivileged_userns_clone file since 6.1, no AppArmor restriction). */
static struct lab_userns_facts facts(enum lab_userns_step step, int err)
{
	struct lab_userns_facts f = {.step = step, .err = err, .is_root = 0,
				     .max_user_ns = 63389, .unpriv_clone = -1,
				     .apparmor_restrict = -1};
	return f;
}

static void explain(const struct lab_userns_facts *f, int want_off, char *out, size_t n)
{
	assert_int_equal(lab_userns_explain(f, out, n), want_off);
	assert_null(strchr(out, '\n'));
	assert_true(strlen(out) > 0);
	if (want_off)
		assert_non_null(strstr(out, "user namespaces are unavailable"));
}

static void test_max_user_namespaces_zero(void **state)
{
	(void)state;
	char out[512];
	struct lab_userns_facts f = facts(LAB_USERNS_UNSHARE, ENOSPC);
	f.max_user_ns = 0;
	explain(&f, 1, out, sizeof out);
	assert_non_null(strstr(out, "user.max_user_namespaces is 0"));
	assert_non_null(strstr(out, "'sysctl -w user.max_user_namespaces=15000'"));
	assert_null(strstr(out, "No space left")); /* not the raw errno */
}

static void test_max_user_namespaces_reached(void **state)
{
	(void)state;
	char out[512];
	struct lab_userns_facts f = facts(LAB_USERNS_UNSHARE, ENOSPC);
	f.max_user_ns = 10;
	explain(&f, 1, out, sizeof out);
	assert_non_null(strstr(out, "user.max_user_namespaces (10) is reached"));
	assert_non_null(strstr(out, "sysctl -w user.max_user_namespaces=15000"));
	/* pre-4.9 kernels said EUSERS */
	f = facts(LAB_USERNS_UNSHARE, EUSERS);
	f.max_user_ns = 0;
	explain(&f, 1, out, sizeof out);
	assert_non_null(strstr(out, "user.max_user_namespaces is 0"));
}

static void test_debian_unprivileged_userns_clone(void **state)
{
	(void)state;
	char out[512];
	struct lab_userns_facts f = facts(LAB_USERNS_UNSHARE, EPERM);
	f.unpriv_clone = 0;
	explain(&f, 1, out, sizeof out);
	assert_non_null(strstr(out, "kernel.unprivileged_userns_clone is 0"));
	assert_non_null(strstr(out, "'sysctl -w kernel.unprivileged_userns_clone=1'"));
	/* the setting does not bind root: then it is not the cause */
	f.is_root = 1;
	explain(&f, 1, out, sizeof out);
	assert_null(strstr(out, "unprivileged_userns_clone"));
	/* set to 1 it is not the cause either */
	f = facts(LAB_USERNS_UNSHARE, EPERM);
	f.unpriv_clone = 1;
	explain(&f, 1, out, sizeof out);
	assert_null(strstr(out, "unprivileged_userns_clone"));
}

static void test_ubuntu_apparmor(void **state)
{
	(void)state;
	char out[512];
	/* Ubuntu 24.04: unshare succeeds, the uid_map write is denied */
	struct lab_userns_facts f = facts(LAB_USERNS_MAP, EPERM);
	f.apparmor_restrict = 1;
	explain(&f, 1, out, sizeof out);
	assert_non_null(strstr(out, "kernel.apparmor_restrict_unprivileged_userns is 1"));
	assert_non_null(strstr(out, "'sysctl -w kernel.apparmor_restrict_unprivileged_userns=0'"));
	/* or an AppArmor deny on unshare itself */
	f = facts(LAB_USERNS_UNSHARE, EACCES);
	f.apparmor_restrict = 1;
	explain(&f, 1, out, sizeof out);
	assert_non_null(strstr(out, "AppArmor"));
	/* the restriction off: a uid_map failure stays a plain one naming the file */
	f = facts(LAB_USERNS_MAP, EPERM);
	f.apparmor_restrict = 0;
	explain(&f, 0, out, sizeof out);
	assert_non_null(strstr(out, "uid_map"));
	assert_non_null(strstr(out, strerror(EPERM)));
}

static void test_container_seccomp(void **state)
{
	(void)state;
	char out[512];
	/* Docker's default seccomp profile, no sysctl at fault, even as root in it */
	struct lab_userns_facts f = facts(LAB_USERNS_UNSHARE, EPERM);
	f.is_root = 1;
	explain(&f, 1, out, sizeof out);
	assert_non_null(strstr(out, "no setting in /proc/sys forbids them"));
	assert_non_null(strstr(out, "seccomp"));
	assert_non_null(strstr(out, "CAP_SYS_ADMIN"));
	/* /proc/sys unreadable altogether */
	f.max_user_ns = -1;
	explain(&f, 1, out, sizeof out);
	assert_non_null(strstr(out, "seccomp"));
}

static void test_no_user_ns_in_kernel(void **state)
{
	(void)state;
	char out[512];
	struct lab_userns_facts f = facts(LAB_USERNS_UNSHARE, EINVAL);
	f.max_user_ns = -1;
	explain(&f, 1, out, sizeof out);
	assert_non_null(strstr(out, "CONFIG_USER_NS"));
}

static void test_other_errors_stay_plain(void **state)
{
	(void)state;
	char out[512];
	struct lab_userns_facts f = facts(LAB_USERNS_UNSHARE, ENOMEM);
	explain(&f, 0, out, sizeof out);
	assert_string_equal(out, "cannot create a user+network namespace: Cannot allocate memory");
	/* a small buffer truncates, still one NUL-terminated line */
	char tiny[16];
	f = facts(LAB_USERNS_UNSHARE, ENOSPC);
	f.max_user_ns = 0;
	assert_int_equal(lab_userns_explain(&f, tiny, sizeof tiny), 1);
	assert_int_equal(strlen(tiny), sizeof tiny - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_max_user_namespaces_zero),
		cmocka_unit_test(test_max_user_namespaces_reached),
		cmocka_unit_test(test_debian_unprivileged_userns_clone),
		cmocka_unit_test(test_ubuntu_apparmor),
		cmocka_unit_test(test_container_seccomp),
		cmocka_unit_test(test_no_user_ns_in_kernel),
		cmocka_unit_test(test_other_errors_stay_plain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
