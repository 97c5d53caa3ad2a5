/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* catalog_fixture.h: the real case catalogue (env TP_VECTORS, else testvectors) as a
 * cmocka group fixture, for the unit tests that judge or diagnose with it. Include it once,
 * after cmocka.h; pass setup and teardown to cmocka_run_group_tests. */
#ifndef TP_TEST_CATALOG_FIXTURE_H
#define TP_TEST_CATALOG_FIXTURE_H
#include "catalog.h"
#include <stdio.h>
#include <stdlib.h>

static struct tp_catalog cat;

static int setup(void **state)
{
	char path[512], err[512];
	const char *v = getenv("TP_VECTORS");
	(void)state;
	snprintf(path, sizeof path, "%s/cases", v && *v ? v : "testvectors");
	if (tp_catalog_load(path, &cat, err, sizeof err)) {
		print_error("%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tp_catalog_free(&cat);
	return 0;
}

#endif
