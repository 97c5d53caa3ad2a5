/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the pure parts of trustprobe serve: its command line (serve_parse) and
 * durations, the re-sign schedule, the attack rules and manifest moved under the served
 * zone (serve_reroot_rules, manifest_reroot), and the proxy's per-source rate limit
 * (proxy_rrl). Tables of inputs with what each must give. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "proxy_rrl.h"
#include "serve_opts.h"

/* Parses a blank-separated command line (argv[0] "serve"). */
static int parse(const char *line, struct serve_opts *o, char *err, size_t errlen)
{
	static char buf[1024];
	char *argv[32];
	int argc = 0;
	snprintf(buf, sizeof buf, "%s", line);
	for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	return serve_parse(argc, argv, o, err, errlen);
}

struct duration_case { const char *in; int ok; uint32_t secs; }; /* ok: 1 if it parses */

static void test_durations(void **state)
{
	(void)state;
	static const struct duration_case t[] = {
		{"60", 1, 60}, {"60s", 1, 60}, {"10m", 1, 600}, {"2h", 1, 7200}, {"14d", 1, 1209600},
		{"0", 0, 0}, {"", 0, 0}, {"-5", 0, 0}, {"5x", 0, 0}, {"m", 0, 0}, {"1.5h", 0, 0},
		{"367d", 0, 0}, {"99999999999999999999", 0, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		uint32_t v = 0;
		int r = serve_parse_duration(t[i].in, 366u * 86400, &v);
		assert_int_equal(r == 0, t[i].ok);
		if (t[i].ok)
			assert_int_equal(v, t[i].secs);
	}
}

static void test_defaults(void **state)
{
	(void)state;
	struct serve_opts o;
	char err[512] = "";
	assert_int_equal(parse("serve --zone TP.Example.NET --listen 192.0.2.53 --listen "
			       "2001:db8::53@5353 --state /var/lib/tp", &o, err, sizeof err), 0);
	assert_int_equal(o.cmd, SERVE_RUN);
	assert_string_equal(o.zone, "tp.example.net."); /* lower case, final dot */
	assert_int_equal(o.n_listen, 2);
	assert_int_equal(o.tags[0], 20326);
	assert_int_equal(o.tags[1], 38696);
	assert_int_equal(o.window, 14 * 86400);
	assert_int_equal(o.resign, 14 * 86400 / 4);
	assert_int_equal(o.ratelimit, 200);
	assert_int_equal(o.workers, 2);
	assert_string_equal(o.backend, "127.0.0.1@10053");
	assert_null(o.user);
	assert_int_equal(parse("serve --zone v.test --listen 127.53.5.1 --state d --sentinel-tags "
			       "65186,49822 --sig-window 24 --resign-every 6 --ratelimit 0 --workers 1 "
			       "--user nobody --backend 127.0.0.2@99", &o, err, sizeof err), 0);
	assert_int_equal(o.tags[0], 65186);
	assert_int_equal(o.tags[1], 49822);
	assert_int_equal(o.window, 24);
	assert_int_equal(o.resign, 6);
	assert_int_equal(o.ratelimit, 0);
	assert_int_equal(o.workers, 1);
	assert_string_equal(o.user, "nobody");
	assert_int_equal(parse("serve ds --zone v.test --state d", &o, err, sizeof err), 0);
	assert_int_equal(o.cmd, SERVE_DS);
	assert_int_equal(parse("serve rollover --state d --finish", &o, err, sizeof err), 0);
	assert_int_equal(o.cmd, SERVE_ROLLOVER);
	assert_int_equal(o.finish, 1);
	assert_int_equal(parse("serve --help", &o, err, sizeof err), 0);
	assert_int_equal(o.cmd, SERVE_HELP);
}

static void test_bad_input(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		const char *says; /* a part of the one-line error */
	} t[] = {
		{"serve", "--state DIR is required"},
		{"serve --state d", "--zone ZONE is required"},
		{"serve --zone v.test --state d", "--listen ADDR[@PORT] is required"},
		{"serve --zone . --state d --listen 127.0.0.1", "--zone wants"},
		{"serve --zone v..test --state d --listen 127.0.0.1", "--zone wants"},
		{"serve --zone v_t$st --state d --listen 127.0.0.1", "--zone wants"},
		{"serve --zone v.test --state d --listen example.net", "--listen example.net"},
		{"serve --zone v.test --state d --listen 127.0.0.1@0", "--listen 127.0.0.1@0"},
		{"serve --zone v.test --state d --listen ::1", "must be IPv4"},
		{"serve --zone v.test --state d --listen 1.2.3.4 --backend 192.0.2.1@53", "not a loopback"},
		{"serve --zone v.test --state d --listen 1.2.3.4 --sig-window 3", "--sig-window wants"},
		{"serve --zone v.test --state d --listen 1.2.3.4 --sig-window 1h --resign-every 31m",
		 "more than half"},
		{"serve --zone v.test --state d --listen 1.2.3.4 --sentinel-tags 70000", "--sentinel-tags"},
		{"serve --zone v.test --state d --listen 1.2.3.4 --sentinel-tags 1,", "--sentinel-tags"},
		{"serve --zone v.test --state d --listen 1.2.3.4 --ratelimit -1", "--ratelimit"},
		{"serve --zone v.test --state d --listen 1.2.3.4 --workers 9", "--workers"},
		{"serve --zone v.test --state d --listen 1.2.3.4 --finish", "--finish goes with"},
		{"serve --zone v.test --state d --listen 1.2.3.4 extra", "unexpected argument 'extra'"},
		{"serve --zone v.test --state d --listen 1.2.3.4 --bogus", "unknown option '--bogus'"},
		{"serve --zone v.test --state d --listen", "needs a value"},
		{"serve rollover --state d --zone v.test", "rollover takes only"},
		{"serve frobnicate", "unknown subcommand 'frobnicate'"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct serve_opts o;
		char err[512] = "";
		assert_int_equal(parse(t[i].line, &o, err, sizeof err), -1);
		if (!strstr(err, t[i].says)) {
			print_error("%s: '%s' lacks '%s'\n", t[i].line, err, t[i].says);
			fail();
		}
		assert_null(strchr(err, '\n'));
	}
}

static void test_resign_schedule(void **state)
{
	(void)state;
	/* done at 1000 every 6 s: the next at 1006; failed at 1003: again at 1004 (a tenth of
	 * 6 s is under a second); every 3.5 days: a failure retries 8.4 h later */
	assert_int_equal(serve_next_resign(1000, 6, 0, 1000), 1006);
	assert_int_equal(serve_next_resign(1000, 6, 1, 1003), 1004);
	assert_int_equal(serve_next_resign(0, 302400, 0, 5), 302400);
	assert_int_equal(serve_next_resign(0, 302400, 1, 100), 100 + 30240);
	/* the parse keeps a re-sign at most half the window: two tries before expiry */
	struct serve_opts o;
	char err[256];
	assert_int_equal(parse("serve --zone z --state d --listen 1.2.3.4 --sig-window 24", &o, err,
			       sizeof err), 0);
	assert_int_equal(o.resign, 6);
	assert_true(serve_next_resign(0, o.resign, 0, 0) + o.resign < (time_t)o.window);
}

static void test_reroot_rules(void **state)
{
	(void)state;
	const char *in = "# A1 on *.atk-a1.test (a comment keeps its words)\n"
			 "rule A1\nmatch *.ax.atk-a1.test. A\nfetch wc *.atk-a1.test. NSEC\n"
			 "rename authority NSEC \\*.atk-a1.test. ax.atk-a1.test.\n"
			 "add answer $qname 300 IN CNAME _25._tcp.notlsa.dane.test.\n"
			 "match test. SOA\nmatch attest. A\n";
	char *out = serve_reroot_rules(in, "test.", "tp.example.net.");
	assert_non_null(out);
	assert_string_equal(out, "# A1 on *.atk-a1.test (a comment keeps its words)\n"
			    "rule A1\nmatch *.ax.atk-a1.tp.example.net. A\n"
			    "fetch wc *.atk-a1.tp.example.net. NSEC\n"
			    "rename authority NSEC \\*.atk-a1.tp.example.net. ax.atk-a1.tp.example.net.\n"
			    "add answer $qname 300 IN CNAME _25._tcp.notlsa.dane.tp.example.net.\n"
			    "match tp.example.net. SOA\nmatch attest. A\n");
	free(out);
	char big[400];
	memset(big, 'a', 250);
	snprintf(big + 250, sizeof big - 250, ".test. A\n");
	assert_null(serve_reroot_rules(big, "test.", "long.example.net.")); /* over 254 */
}

static void test_reroot_manifest(void **state)
{
	(void)state;
	char out[256];
	assert_int_equal(manifest_reroot_name("test.", "test.", "v.test.", out, sizeof out), 1);
	assert_string_equal(out, "v.test.");
	assert_int_equal(manifest_reroot_name("C.Atk-B1.test.", "test.", "v.test.", out, sizeof out), 1);
	assert_string_equal(out, "C.Atk-B1.v.test.");
	assert_int_equal(manifest_reroot_name(".", "test.", "v.test.", out, sizeof out), 0);
	assert_int_equal(manifest_reroot_name("attest.", "test.", "v.test.", out, sizeof out), 0);
	assert_int_equal(manifest_reroot_name("a.test.", "test.", "v.test.", out, 8), -1);

	const char *vec = getenv("TP_VECTORS");
	char path[4096];
	snprintf(path, sizeof path, "%s/manifest", vec ? vec : "testvectors");
	struct manifest *m = calloc(1, sizeof *m);
	char err[512] = "";
	assert_non_null(m);
	assert_int_equal(manifest_load(path, m, err, sizeof err), 0);
	size_t before = m->n_zones;
	assert_int_equal(manifest_reroot(m, "tp.example.net.", err, sizeof err), 0);
	assert_string_equal(m->lab_zone, "tp.example.net.");
	assert_int_equal(m->n_zones, before - 1); /* the lab root is left out */
	int apex = 0, keys_moved = 1, bend_moved = 1;
	for (size_t i = 0; i < m->n_zones; i++) {
		const struct manifest_zone *z = &m->zones[i];
		size_t l = strlen(z->name);
		assert_true(l >= 15 && strcmp(z->name + l - 15, "tp.example.net.") == 0);
		apex += strcmp(z->name, "tp.example.net.") == 0;
		if (z->keys_from[0] && !strstr(z->keys_from, ".tp.example.net."))
			keys_moved = 0;
		if (z->bend == MANIFEST_BEND_NSEC_NEXT && !strstr(z->bend_next, ".tp.example.net."))
			bend_moved = 0;
		if (strcmp(z->name, "tp.example.net.") != 0)
			assert_true(manifest_parent(m, i) >= 0); /* every zone keeps a parent */
	}
	assert_int_equal(apex, 1);
	assert_true(keys_moved);
	assert_true(bend_moved);
	assert_int_equal(manifest_reroot(m, ".", err, sizeof err), -1);
	free(m);
}

static struct sockaddr_storage src4(const char *a)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	struct sockaddr_in *s = (struct sockaddr_in *)&ss;
	s->sin_family = AF_INET;
	inet_pton(AF_INET, a, &s->sin_addr);
	return ss;
}

static void test_rate_limit(void **state)
{
	(void)state;
	static struct px_rrl r;
	px_rrl_init(&r, 10, 100, 2);
	struct sockaddr_storage a = src4("192.0.2.1"), b = src4("192.0.2.2");
	size_t pass = 0, slip = 0, drop = 0;
	for (int i = 0; i < 300; i++) { /* 300 queries at one instant from a */
		enum px_rrl_verdict v = px_rrl_check(&r, &a, 1000.0);
		pass += v == PX_RRL_PASS;
		slip += v == PX_RRL_SLIP;
		drop += v == PX_RRL_DROP;
	}
	assert_int_equal(pass, 100); /* the burst */
	assert_int_equal(slip, 100); /* every second one over it: TC */
	assert_int_equal(drop, 100);
	assert_int_equal(px_rrl_check(&r, &b, 1000.0), PX_RRL_PASS); /* another source */
	/* a second later: 10 more (the rate), not a new burst */
	pass = 0;
	for (int i = 0; i < 50; i++)
		pass += px_rrl_check(&r, &a, 1001.0) == PX_RRL_PASS;
	assert_int_equal(pass, 10);
	/* after 100 s of quiet the bucket is full again, no fuller */
	pass = 0;
	for (int i = 0; i < 300; i++)
		pass += px_rrl_check(&r, &a, 1101.0) == PX_RRL_PASS;
	assert_int_equal(pass, 100);
	/* rate 0: nothing is limited; IPv6 sources share a bucket per /64 */
	px_rrl_init(&r, 0, 0, 2);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(px_rrl_check(&r, &a, 5.0), PX_RRL_PASS);
	px_rrl_init(&r, 1, 1, 0);
	struct sockaddr_storage s6a, s6b, s6c;
	memset(&s6a, 0, sizeof s6a);
	s6a.ss_family = AF_INET6;
	s6b = s6c = s6a;
	inet_pton(AF_INET6, "2001:db8:1:2::1", &((struct sockaddr_in6 *)&s6a)->sin6_addr);
	inet_pton(AF_INET6, "2001:db8:1:2::ffff", &((struct sockaddr_in6 *)&s6b)->sin6_addr);
	inet_pton(AF_INET6, "2001:db8:1:3::1", &((struct sockaddr_in6 *)&s6c)->sin6_addr);
	assert_int_equal(px_rrl_check(&r, &s6a, 0.0), PX_RRL_PASS);
	assert_int_equal(px_rrl_check(&r, &s6b, 0.0), PX_RRL_DROP); /* same /64, slip 0 */
	assert_int_equal(px_rrl_check(&r, &s6c, 0.0), PX_RRL_PASS); /* another /64 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_resign_schedule),
		cmocka_unit_test(test_reroot_rules),
		cmocka_unit_test(test_reroot_manifest),
		cmocka_unit_test(test_rate_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
