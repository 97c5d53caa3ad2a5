/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for cli.c: option parsing, including bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static enum tp_cli_status parse(struct tp_opts *o, char *err, const char *prog, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;
	va_start(ap, prog);
	argv[argc++] = (char *)prog;
	for (char *a; argc < 31 && (a = va_arg(ap, char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return tp_cli_parse(argc, argv, prog, o, err, 256);
}

static void test_defaults(void **state)
{
	(void)state;
	struct tp_opts o;
	char err[256];
	assert_int_equal(parse(&o, err, "trustprobe", NULL), TP_CLI_OK);
	assert_int_equal(o.format, TP_FMT_TEXT);
	assert_true(o.timeout == 10.0);
	assert_int_equal(o.n_targets, 0);
	assert_string_equal(o.color, "auto");
}

static void test_targets_and_options(void **state)
{
	(void)state;
	struct tp_opts o;
	char err[256];
	assert_int_equal(parse(&o, err, "trustprobe", "--format", "json", "-t", "2.5", "--zone",
			       "tp.example.", "--case", "validation.*", "-v", "-v", "127.0.0.1",
			       "-H", "::1@5353", NULL),
			 TP_CLI_OK);
	assert_int_equal(o.format, TP_FMT_JSON);
	assert_true(o.timeout == 2.5);
	assert_string_equal(o.zone, "tp.example.");
	assert_string_equal(o.case_glob, "validation.*");
	assert_int_equal(o.verbose, 2);
	assert_int_equal(o.n_targets, 2);
	assert_string_equal(o.targets[0], "::1@5353");
	assert_string_equal(o.targets[1], "127.0.0.1");
}

static void test_check_trustprobe_defaults_to_nagios(void **state)
{
	(void)state;
	struct tp_opts o;
	char err[256];
	assert_int_equal(parse(&o, err, "/usr/lib/nagios/plugins/check_trustprobe", "-H",
			       "127.0.0.1", NULL),
			 TP_CLI_OK);
	assert_int_equal(o.format, TP_FMT_NAGIOS);
	assert_int_equal(parse(&o, err, "check_trustprobe", "--format", "text", NULL), TP_CLI_OK);
	assert_int_equal(o.format, TP_FMT_TEXT);
}

static void expect_usage(const char *want, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;
	va_start(ap, want);
	argv[argc++] = "trustprobe";
	for (char *a; argc < 15 && (a = va_arg(ap, char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	struct tp_opts o;
	char err[256] = "";
	assert_int_equal(tp_cli_parse(argc, argv, "trustprobe", &o, err, sizeof err), TP_CLI_USAGE);
	assert_non_null(strstr(err, want));
	assert_null(strchr(err, '\n'));
}

static void test_bad_input(void **state)
{
	(void)state;
	expect_usage("--format wants text, json, nagios or prometheus, not 'xml'", "--format", "xml",
		     NULL);
	expect_usage("-p wants a port in 1-65535, not '0'", "-p", "0", NULL);
	expect_usage("-p wants a port", "-p", "53x", NULL);
	expect_usage("--parallel wants 1-1024, not '0'", "--parallel", "0", NULL);
	expect_usage("-w wants DURATION[,DAYS] as ranges", "-w", "5s", NULL);
	expect_usage("-c wants DURATION[,DAYS] as ranges", "-c", "10:5", NULL);
	expect_usage("--targets and resolvers named on the command line exclude each other",
		     "--targets", "/tmp/t", "-H", "127.0.0.1", NULL);
	expect_usage("--targets and --resolv-conf", "--targets", "/tmp/t", "--resolv-conf",
		     "/tmp/r", NULL);
	expect_usage("-t wants seconds", "-t", "0", NULL);
	expect_usage("-t wants seconds", "-t", "abc", NULL);
	expect_usage("-t wants seconds", "-t", "-3", NULL);
	expect_usage("-t wants seconds", "-t", "5s", NULL);
	expect_usage("unknown option '--frobnicate'", "--frobnicate", NULL);
	expect_usage("option '--zone' needs a value", "--zone", NULL);
	expect_usage("--resolv-conf and explicit resolvers", "--resolv-conf", "/tmp/r",
		     "127.0.0.1", NULL);
	expect_usage("--color wants auto, always or never", "--color", "sometimes", NULL);
}

/* The plugin: -H is required (an Icinga command whose address macro is unset drops -H and
 * its value: the plugin must not then check /etc/resolv.conf's resolver), a bare argument
 * is refused, and the options of the guidelines parse. */
static void test_plugin_mode(void **state)
{
	(void)state;
	struct tp_opts o;
	char err[256] = "";
	char *none[] = {"check_trustprobe", "--zone", "tp.example.net", NULL};
	assert_int_equal(tp_cli_parse(3, none, "check_trustprobe", &o, err, sizeof err), TP_CLI_USAGE);
	assert_string_equal(err, "-H ADDRESS is required in plugin mode (the resolver to check; "
			    "/etc/resolv.conf is never read by default)");
	char *bare[] = {"check_trustprobe", "127.0.0.1", NULL};
	assert_int_equal(tp_cli_parse(2, bare, "check_trustprobe", &o, err, sizeof err), TP_CLI_USAGE);
	assert_string_equal(err, "'127.0.0.1': name the resolver with -H in plugin mode");
	char *fmt[] = {"trustprobe", "--format", "nagios", NULL};
	assert_int_equal(tp_cli_parse(3, fmt, "trustprobe", &o, err, sizeof err), TP_CLI_USAGE);
	char *list[] = {"check_trustprobe", "--list", NULL};
	assert_int_equal(tp_cli_parse(2, list, "check_trustprobe", &o, err, sizeof err), TP_CLI_OK);
	char *ver[] = {"check_trustprobe", "-V", NULL};
	assert_int_equal(tp_cli_parse(2, ver, "check_trustprobe", &o, err, sizeof err), TP_CLI_OK);
	char *full[] = {"check_trustprobe", "--hostname", "127.0.0.1", "-p", "5353", "-t", "20",
			"-w", "5,60:", "-c", "9", "-v", "-v", NULL};
	assert_int_equal(tp_cli_parse(13, full, "check_trustprobe", &o, err, sizeof err), TP_CLI_OK);
	assert_int_equal(o.n_targets, 1);
	assert_int_equal(o.n_hostname, 1);
	assert_int_equal(o.port, 5353);
	assert_true(o.timeout == 20);
	assert_int_equal(o.verbose, 2);
	assert_string_equal(o.plugin.warn[TP_TH_DURATION].text, "5");
	assert_string_equal(o.plugin.warn[TP_TH_ROLL_DAYS].text, "60:");
	assert_string_equal(o.plugin.crit[TP_TH_DURATION].text, "9");
	assert_string_equal(o.plugin.crit[TP_TH_ROLL_DAYS].text, "7:"); /* the default */
	char *fleet[] = {"check_trustprobe", "--targets", "/etc/trustprobe/targets", NULL};
	assert_int_equal(tp_cli_parse(3, fleet, "check_trustprobe", &o, err, sizeof err), TP_CLI_OK);
	assert_true(o.timeout == TP_FLEET_TIMEOUT); /* -t not given: the fleet's default */
}

static void test_too_many_targets(void **state)
{
	(void)state;
	char *argv[TP_MAX_TARGETS + 3];
	int argc = 0;
	argv[argc++] = "trustprobe";
	for (int i = 0; i <= TP_MAX_TARGETS; i++)
		argv[argc++] = "127.0.0.1";
	argv[argc] = NULL;
	struct tp_opts o;
	char err[256];
	assert_int_equal(tp_cli_parse(argc, argv, "trustprobe", &o, err, sizeof err), TP_CLI_USAGE);
	assert_non_null(strstr(err, "too many resolvers"));
}

/* fuzz_cli found it: after a parse that failed inside a cluster of short options ("-xv": x
 * unknown), getopt kept a pointer to the rest of that cluster ("v"), and optind = 1 does
 * not reset it: the next parse took "-v" from the freed argv of the first (a heap
 * use-after-free; fuzz/corpus/cli/crash-getopt-cluster). optind = 0 starts afresh. */
static void test_parse_again_after_error_in_cluster(void **state)
{
	(void)state;
	struct tp_opts o;
	char err[256];
	char *first = strdup("-xv");
	assert_non_null(first);
	assert_int_equal(parse(&o, err, "trustprobe", first, NULL), TP_CLI_USAGE);
	free(first);
	assert_int_equal(parse(&o, err, "trustprobe", "127.0.0.1", NULL), TP_CLI_OK);
	assert_int_equal(o.verbose, 0);
	assert_int_equal(o.n_targets, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_targets_and_options),
		cmocka_unit_test(test_check_trustprobe_defaults_to_nagios),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_plugin_mode),
		cmocka_unit_test(test_too_many_targets),
		cmocka_unit_test(test_parse_again_after_error_in_cluster),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
