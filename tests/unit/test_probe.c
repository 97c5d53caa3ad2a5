/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* test_probe: the probe stage (probe/probe.c) when this host fails it: queries that get no
 * socket under a low open-files limit are counted, the run is unknown and says why (never
 * ready, never OK for nagios), and the independent validator is not started when the limit
 * leaves it no room. Each test runs in a child process whose hard limit is lowered (that
 * cannot be undone); the target is a closed loopback port, so nothing leaves the host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog.h"
#include "probe.h"
#include "tp_util.h"
#include "verdict.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* A loopback UDP port nobody listens on (bound, then closed): queries are refused at once. */
static void closed_target(struct tp_target *t)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t sl = sizeof sa;
	char spec[32];
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(u, (struct sockaddr *)&sa, sl), 0);
	assert_int_equal(getsockname(u, (struct sockaddr *)&sa, &sl), 0);
	close(u);
	snprintf(spec, sizeof spec, "127.0.0.1@%u", (unsigned)ntohs(sa.sin_port));
	assert_int_equal(tp_target_parse(spec, t, NULL, 0), 0);
}

/* In a child: limits open files to room free descriptors (soft and hard), probes the
 * transport cases (zone-free), and checks what the report says. Exits 0 when it holds. */
static int child(unsigned room, const char *anchor)
{
	struct tp_target t;
	struct tp_report rep = {0};
	struct tp_catalog cat;
	struct rlimit rl;
	char err[256], path[512];
	const char *v = getenv("TP_VECTORS");
	int *sel, lowest;

	closed_target(&t);
	snprintf(path, sizeof path, "%s/cases", v && *v ? v : "testvectors");
	if (tp_catalog_load(path, &cat, err, sizeof err) != 0)
		return 9;
	sel = calloc(cat.n, sizeof *sel);
	if (!sel || tp_catalog_select(&cat, "transport.*", sel) < 4)
		return 10;
	if ((lowest = dup(0)) < 0)
		return 11;
	close(lowest);
	rl.rlim_cur = rl.rlim_max = (rlim_t)lowest + room;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 12;
	struct tp_probe_plan p = {.cat = &cat, .selected = sel, .deadline = tp_now() + 3,
				  .anchor_file = anchor};
	if (tp_probe_all(&t, 1, &p, &rep, err, sizeof err) != 0)
		return 13;
	const struct tp_resolver_report *r = &rep.resolvers[0];
	int rc = 0;
	if (r->verdict != TP_UNKNOWN || r->dane_ready)
		rc = 20;
	else if (tp_nagios_status(&rep) != 3 || tp_exit_status(&rep) != 2)
		rc = 21;
	else if (strcmp(r->note, r->local_note) != 0)
		rc = 22;
	else if (!anchor && (r->n_local == 0 ||
			     !strstr(r->note, "queries could not be sent for a local reason") ||
			     !strstr(r->note, "Too many open files: raise the open-files limit "
					      "(ulimit -n, now")))
		rc = 23;
	else if (anchor && (!strstr(r->verify_note, "independent validation was not run: ") ||
			    !strstr(r->verify_note, "raise the open-files limit (ulimit -n)")))
		rc = 24;
	if (rc)
		fprintf(stderr, "child: %d: n_local %zu, note '%s', verify '%s'\n", rc, r->n_local,
			r->note, r->verify_note);
	for (size_t i = 0; !rc && !anchor && i < r->n_findings; i++)
		if (r->findings[i].status != TP_SKIP)
			rc = 25; /* a closed port answers nothing: every case skips */
	tp_report_free(&rep);
	tp_catalog_free(&cat);
	free(sel);
	return rc;
}

static int in_child(unsigned room, const char *anchor)
{
	pid_t pid = fork();
	int st = 0;
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child(room, anchor));
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* One descriptor for three distinct queries: two cannot be sent, and the run says so. */
static void test_too_many_open_files(void **state)
{
	(void)state;
	assert_int_equal(in_child(1, NULL), 0);
}

/* The validator is asked for, but the limit leaves it no room: it is not started (its
 * event library would end the process), and the run is unknown saying why. */
static void test_no_room_for_the_validator(void **state)
{
	(void)state;
	assert_int_equal(in_child(40, "/nonexistent/root.ds"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_too_many_open_files),
		cmocka_unit_test(test_no_room_for_the_validator),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
