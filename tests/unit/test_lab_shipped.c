/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for lab_shipped: the package's configuration of each family, read from a fake
 * package root ($TRUSTPROBE_SHIPPED_ROOT) that sets what Debian's does not (a privilege
 * drop, a chroot, forwarders, includes, a conf-dir, other anchors), turned into the lab's
 * copy with the lab's overrides; and the user's --conf snippet. Each writes below a fresh
 * lab dir only; no daemon runs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lab_conf.h"
#include "lab_plan.h"
#include "tp_util.h"

#define TA_DNSMASQ "trust-anchor=.,12345,8,2,0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"

static char dir[256];

/* Writes text to dir/rel, making its directories. */
static void file(const char *rel, const char *text)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	char *slash = strrchr(p, '/');
	*slash = '\0';
	assert_int_equal(tp_mkdir_p(p), 0);
	*slash = '/';
	assert_int_equal(tp_write_file(p, text, strlen(text)), 0);
}

/* dir/rel's text (freed by the caller), failing when it cannot be read. */
static char *text_of(const char *rel)
{
	char p[512];
	size_t len;
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	char *t = tp_read_file(p, 1 << 20, &len);
	if (!t)
		fail_msg("cannot read %s", p);
	return t;
}

#define assert_has(text, want)                                                              \
	do {                                                                                \
		if (!strstr((text), (want)))                                                \
			fail_msg("missing '%s' in:\n%s", (want), (text));                   \
	} while (0)
#define assert_lacks(text, bad)                                                             \
	do {                                                                                \
		if (strstr((text), (bad)))                                                  \
			fail_msg("unexpected '%s' in:\n%s", (bad), (text));                 \
	} while (0)

/* A lab dir with the signer's outputs the writers read, and an empty package root. */
static int setup(void **state)
{
	(void)state;
	static const char *const inputs[][2] = {
		{"root.hints", ". 3600000 NS a.root-servers.lab.\na.root-servers.lab. 3600000 A 127.53.0.1\n"},
		{"ta/root.ds", ". 3600 IN DS 12345 8 2 0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef\n"},
		{"ta/root.dnskey", ". 3600 IN DNSKEY 257 3 8 AwEAAcFakeKeyForTestsOnly==\n"},
		{"ta/bind.conf", "trust-anchors { . initial-key 257 3 8 \"AwEAAcFakeKeyForTestsOnly==\"; };\n"},
		{"ta/dnsmasq.conf", TA_DNSMASQ "\n"},
	};
	snprintf(dir, sizeof dir, "/tmp/tp-shipped-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
		file(inputs[i][0], inputs[i][1]);
	char root[300];
	snprintf(root, sizeof root, "%s/pkgroot", dir);
	setenv("TRUSTPROBE_SHIPPED_ROOT", root, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir); /* mkdtemp's name: no quote in it */
	assert_int_equal(system(cmd), 0);
	unsetenv("TRUSTPROBE_SHIPPED_ROOT");
	return 0;
}

/* Writes instance name of kind k from the package's configuration; returns the status,
 * with *cmd filled on success. */
static enum lab_conf_status shipped(const char *name, enum lab_kind k, struct lab_cmd *cmd,
				    const char *snippet, char *err, size_t errlen)
{
	struct lab_instance in = {name, k, "127.53.4.1", 1,
				  k == LAB_DNSMASQ ? "unbound-novalidate" : NULL, "test",
				  LAB_TA_DEFAULT, 0, LAB_FAULT_NONE, 0, NULL};
	struct lab_conf_opts co = {.shipped = 1, .snippet = snippet};
	return lab_conf_resolver_opts(&in, dir, "test.", &co, cmd, err, errlen);
}

static void test_unbound(void **state)
{
	(void)state;
	file("pkgroot/etc/unbound/unbound.conf",
	     "# a package's unbound.conf\n"
	     "server:\n"
	     "\tusername: \"unbound\"\n"
	     "\tchroot: \"/var/lib/unbound\"\n"
	     "\tinterface: 0.0.0.0\n"
	     "\tmodule-config: \"validator iterator\"\n"
	     "\ttrust-anchor-file: \"/etc/unbound/root.key\"\n"
	     "include: \"/etc/unbound/conf.d/*.conf\"\n"
	     "forward-zone:\n"
	     "\tname: \".\"\n"
	     "\tforward-addr: 192.0.2.1\n"
	     "remote-control:\n"
	     "\tcontrol-enable: yes # on\n");
	file("pkgroot/etc/unbound/conf.d/a.conf", "server:\n\tval-log-level: 2\n");
	file("snippet.conf", "server:\n\tval-permissive-mode: yes\n");
	struct lab_cmd cmd;
	char err[256] = "", snip[300];
	snprintf(snip, sizeof snip, "%s/snippet.conf", dir);
	assert_int_equal(shipped("u-shipped", LAB_UNBOUND, &cmd, snip, err, sizeof err), LAB_CONF_OK);
	char *c = text_of("u-shipped/unbound.conf"), *o = text_of("u-shipped/overrides");
	char want[1024];
	/* the package's lines the lab replaces are commented out, the rest kept */
	assert_has(c, "# [trustprobe lab: replaced, see the lab's lines at the end of the main "
		      "file] \tusername: \"unbound\"");
	assert_has(c, "replaced, see the lab's lines at the end of the main file] \tforward-addr: "
		      "192.0.2.1");
	assert_has(c, "\tmodule-config: \"validator iterator\"\n");
	snprintf(want, sizeof want, "include: \"%s/u-shipped/shipped/etc/unbound/conf.d/a.conf\"\n",
		 dir);
	assert_has(c, want);
	char *inc = text_of("u-shipped/shipped/etc/unbound/conf.d/a.conf");
	assert_has(inc, "\tval-log-level: 2\n");
	free(inc);
	/* the lab's lines: the anchor in the package's form (a static file), then the user's */
	snprintf(want, sizeof want, "\ttrust-anchor-file: \"%s/u-shipped/root.key\"\n", dir);
	assert_has(c, want);
	assert_has(c, "\tinterface: 127.53.4.1\n\tport: 53\n\tusername: \"\"\n\tchroot: \"\"\n");
	assert_has(c, "remote-control:\n\tcontrol-enable: no\n");
	assert_true(strstr(c, "val-permissive-mode") > strstr(c, "control-enable: no"));
	assert_has(c, "# ---- --conf ");
	/* each override with what the package had and where */
	assert_has(o, "override username: \"\" (no privilege drop) (the package: \"unbound\" at "
		      "/etc/unbound/unbound.conf:3)\n");
	assert_has(o, "override chroot: \"\" (the package: \"/var/lib/unbound\" at "
		      "/etc/unbound/unbound.conf:4)\n");
	assert_has(o, "override forward-zone, stub-zone, auth-zone clauses left out (the package: "
		      "forward-zone at /etc/unbound/unbound.conf:9)\n");
	assert_has(o, "override control-enable: no (the lab never uses unbound-control) (the "
		      "package: yes at /etc/unbound/unbound.conf:13)\n");
	assert_has(o, "the lab's root KSK (the package: \"/etc/unbound/root.key\" at "
		      "/etc/unbound/unbound.conf:7)\n");
	snprintf(want, sizeof want, "source %s/pkgroot/etc/unbound/conf.d/a.conf (no package's file)\n",
		 dir);
	assert_has(o, want);
	assert_string_equal(cmd.argv[1], "-d");
	free(c);
	free(o);
	lab_cmd_free(&cmd);
}

/* No anchor in the package's configuration: the lab adds none. */
static void test_unbound_no_anchor(void **state)
{
	(void)state;
	file("pkgroot/etc/unbound/unbound.conf", "server:\n\tverbosity: 1\n");
	struct lab_cmd cmd;
	char err[256] = "";
	assert_int_equal(shipped("u-shipped", LAB_UNBOUND, &cmd, NULL, err, sizeof err), LAB_CONF_OK);
	char *c = text_of("u-shipped/unbound.conf"), *o = text_of("u-shipped/overrides");
	assert_lacks(c, "trust-anchor");
	assert_has(o, "override trust anchor: none added (the package's configuration has none");
	free(c);
	free(o);
	lab_cmd_free(&cmd);
}

static void test_bind(void **state)
{
	(void)state;
	file("pkgroot/etc/bind/named.conf",
	     "// a package's named.conf\n"
	     "options {\n\tdirectory \"/var/cache/bind\";\n\tdnssec-validation no;\n"
	     "\tforwarders { 192.0.2.1; };\n\tminimal-responses yes;\n};\n"
	     "trusted-keys { . 257 3 8 \"AAAA\"; };\n"
	     "logging { channel x { file \"/var/log/named.log\"; }; };\n"
	     "/* a comment; with { braces */\n"
	     "zone \"example\" { type master; file \"/etc/bind/db.example\"; };\n");
	file("pkgroot/etc/bind/db.example", "; zone\n");
	struct lab_cmd cmd;
	char err[256] = "", want[1024];
	assert_int_equal(shipped("b-shipped", LAB_BIND, &cmd, NULL, err, sizeof err), LAB_CONF_OK);
	char *c = text_of("b-shipped/named.conf"), *o = text_of("b-shipped/overrides");
	assert_has(c, "\tminimal-responses yes;");
	assert_has(c, "/* [trustprobe lab: replaced, see the lab's lines at the end of the main "
		      "file] a forwarders statement */");
	assert_has(c, "a trusted-keys statement */");
	assert_has(c, "a logging statement */");
	assert_has(c, "/* a comment; with { braces */");
	assert_has(c, "\tdnssec-validation no;\n");
	assert_lacks(c, "ta/bind.conf"); /* validation off in the package: no anchor */
	snprintf(want, sizeof want, "zone \"example\" { type master; file \"%s/b-shipped/shipped/etc/"
		 "bind/db.example\"; };", dir);
	assert_has(c, want);
	snprintf(want, sizeof want, "zone \".\" { type hint; file \"%s/root.hints\"; };\n", dir);
	assert_has(c, want);
	assert_has(c, "controls { };\n");
	assert_has(o, "override forwarders left out (the package: { 192.0.2.1; } at "
		      "/etc/bind/named.conf:5)\n");
	assert_has(o, "override dnssec-validation: no, as the package has it: no trust anchor "
		      "added (the package: no at /etc/bind/named.conf:4)\n");
	assert_has(o, "override trust-anchors left out (the package: { . 257 3 8 \"AAAA\"; } at "
		      "/etc/bind/named.conf:8)\n");
	free(c);
	free(o);
	lab_cmd_free(&cmd);
}

static void test_pdns(void **state)
{
	(void)state;
	file("pkgroot/etc/powerdns/recursor.conf",
	     "setuid=pdns\nforward-zones=.=192.0.2.1\ninclude-dir=/etc/powerdns/recursor.d\n"
	     "dnssec=validate\n");
	file("pkgroot/etc/powerdns/recursor.d/x.conf", "local-address=0.0.0.0\nmax-cache-entries=1000\n");
	struct lab_cmd cmd;
	char err[256] = "", want[1024];
	assert_int_equal(shipped("p-shipped", LAB_PDNS_RECURSOR, &cmd, NULL, err, sizeof err),
			 LAB_CONF_OK);
	char *c = text_of("p-shipped/recursor.conf"), *o = text_of("p-shipped/overrides");
	char *x = text_of("p-shipped/shipped/etc/powerdns/recursor.d/x.conf");
	char *l = text_of("p-shipped/recursor.lua");
	assert_has(c, "\ndnssec=validate\n");
	assert_has(c, "file] setuid=pdns\n");
	assert_has(c, "file] forward-zones=.=192.0.2.1\n");
	snprintf(want, sizeof want, "include-dir=%s/p-shipped/shipped/etc/powerdns/recursor.d\n", dir);
	assert_has(c, want);
	assert_has(x, "file] local-address=0.0.0.0\nmax-cache-entries=1000\n");
	assert_has(c, "local-address=127.53.4.1\n");
	assert_lacks(l, "dofile"); /* no lua-config-file in the package's */
	assert_has(l, "clearTA()");
	assert_has(o, "override setuid left out (the package: pdns at /etc/powerdns/recursor.conf:1)\n");
	assert_has(o, "override local-address: 127.53.4.1 (the package: 0.0.0.0 at "
		      "/etc/powerdns/recursor.d/x.conf:1)\n");
	free(c);
	free(o);
	free(x);
	free(l);
	lab_cmd_free(&cmd);
}

static void test_dnsmasq(void **state)
{
	(void)state;
	file("pkgroot/etc/dnsmasq.conf",
	     "dnssec\nconf-file=/usr/share/dnsmasq-base/trust-anchors.conf\nserver=192.0.2.1\n"
	     "user=dnsmasq\nconf-dir=/etc/dnsmasq.d,.dpkg-dist\n");
	file("pkgroot/etc/dnsmasq.d/a.conf", "cache-size=500\n");
	file("pkgroot/etc/dnsmasq.d/b.dpkg-dist", "cache-size=1\n");
	struct lab_cmd cmd;
	char err[256] = "", want[1024];
	assert_int_equal(shipped("d-shipped", LAB_DNSMASQ, &cmd, NULL, err, sizeof err), LAB_CONF_OK);
	char *c = text_of("d-shipped/dnsmasq.conf"), *o = text_of("d-shipped/overrides");
	char *m = text_of("d-shipped/shipped/etc/dnsmasq.conf");
	snprintf(want, sizeof want, "conf-file=%s/d-shipped/shipped/etc/dnsmasq.conf\n", dir);
	assert_has(c, want);
	assert_has(c, "server=127.53.1.6@127.53.4.1\n"); /* the lab instance it forwards to, from its own address */
	assert_has(c, TA_DNSMASQ "\n");      /* the package turns dnssec on: the lab's anchor */
	assert_has(m, "file] server=192.0.2.1\n");
	assert_has(m, "file] conf-file=/usr/share/dnsmasq-base/trust-anchors.conf\n");
	snprintf(want, sizeof want, "conf-file=%s/d-shipped/shipped/etc/dnsmasq.d/a.conf\n", dir);
	assert_has(m, want);
	assert_lacks(m, "b.dpkg-dist");
	assert_has(o, "override user: root (no privilege drop) (the package: dnsmasq at "
		      "/etc/dnsmasq.conf:4)\n");
	free(c);
	free(o);
	free(m);
	lab_cmd_free(&cmd);
}

static void test_kresd(void **state)
{
	(void)state;
	file("pkgroot/lib/systemd/system/kresd@.service",
	     "[Service]\nExecStart=/usr/sbin/kresd -c /etc/knot-resolver/kresd.conf -n\n");
	file("pkgroot/etc/knot-resolver/kresd.conf",
	     "user('knot-resolver', 'knot-resolver') -- drop\nnet.listen('0.0.0.0', 53)\n"
	     "-- net.listen('::1', 53)\n");
	struct lab_cmd cmd;
	char err[256] = "", want[1024];
	assert_int_equal(shipped("k-shipped", LAB_KNOT_RESOLVER, &cmd, NULL, err, sizeof err),
			 LAB_CONF_OK);
	char *c = text_of("k-shipped/kresd.conf"), *o = text_of("k-shipped/overrides");
	snprintf(want, sizeof want, "dofile('%s/k-shipped/shipped/etc/knot-resolver/kresd.conf')\n",
		 dir);
	assert_has(c, want);
	assert_has(c, "user = lab_ignored\n");
	assert_true(strstr(c, "net.listen('127.53.4.1', 53") > strstr(c, "dofile("));
	assert_has(o, "override user: ignored: no privilege drop (the package: user('knot-resolver', "
		      "'knot-resolver') at /etc/knot-resolver/kresd.conf:1)\n");
	assert_has(o, "(the package: net.listen('0.0.0.0', 53) at /etc/knot-resolver/kresd.conf:2)\n");
	free(c);
	free(o);
	lab_cmd_free(&cmd);
}

/* A family whose package's file is missing: one line, nothing left to free. */
static void test_missing_package(void **state)
{
	(void)state;
	struct lab_cmd cmd;
	char err[256] = "";
	assert_int_equal(shipped("b-shipped", LAB_BIND, &cmd, NULL, err, sizeof err),
			 LAB_CONF_ERR_INPUT);
	assert_has(err, "/pkgroot/etc/bind/named.conf: is bind9 installed?");
	assert_null(strchr(err, '\n'));
	assert_null(cmd.argv[0]);
}

/* An include that includes itself ends at the file limit with one line. */
static void test_include_loop(void **state)
{
	(void)state;
	file("pkgroot/etc/unbound/unbound.conf", "include: \"/etc/unbound/unbound.conf\"\n");
	struct lab_cmd cmd;
	char err[256] = "";
	assert_int_equal(shipped("u-shipped", LAB_UNBOUND, &cmd, NULL, err, sizeof err),
			 LAB_CONF_ERR_INPUT);
	assert_has(err, "an include loop?");
}

/* The user's snippet on a lab instance's own config, in the config's comment syntax. */
static void test_snippet_own(void **state)
{
	(void)state;
	file("snippet.conf", "dnssec-validation no;");
	char snip[300], err[256] = "";
	snprintf(snip, sizeof snip, "%s/snippet.conf", dir);
	struct lab_instance in = {"b", LAB_BIND, "127.53.4.1", 1, NULL, "test", LAB_TA_DEFAULT, 0,
				  LAB_FAULT_NONE, 0, NULL};
	struct lab_conf_opts co = {.snippet = snip};
	struct lab_cmd cmd;
	assert_int_equal(lab_conf_resolver_opts(&in, dir, "test.", &co, &cmd, err, sizeof err),
			 LAB_CONF_OK);
	char *c = text_of("b/named.conf");
	char want[1024];
	snprintf(want, sizeof want, "controls { };\n// ---- --conf %s: the user's lines, after the "
		 "lab's ----\ndnssec-validation no;\n// ---- end of %s ----\n", snip, snip);
	assert_has(c, want);
	free(c);
	lab_cmd_free(&cmd);
	snprintf(snip, sizeof snip, "%s/nonexistent", dir);
	assert_int_equal(lab_conf_resolver_opts(&in, dir, "test.", &co, &cmd, err, sizeof err),
			 LAB_CONF_ERR_INPUT);
	assert_has(err, "--conf: cannot read");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_unbound), T(test_unbound_no_anchor), T(test_bind), T(test_pdns),
		T(test_dnsmasq), T(test_kresd), T(test_missing_package), T(test_include_loop),
		T(test_snippet_own),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
