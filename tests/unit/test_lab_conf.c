/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for lab_conf: each writer runs on a fresh lab dir filled with small fake
 * signer outputs; the tests read back what it wrote. Real daemons are not started here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab_conf.h"
#include "lab_plan.h"

#define FAKE_DS ". 3600 IN DS 12345 8 2 0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef\n"
#define FAKE_DS_RDATA "12345 8 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define FAKE_DNSKEY ". 3600 IN DNSKEY 257 3 8 AwEAAcFakeKeyForTestsOnly==\n"
#define FAKE_DNSKEY_NEXT ". 3600 IN DNSKEY 257 3 8 AwEAAcNextFakeKeyForTests==\n"
#define FAKE_DNSMASQ_TA "trust-anchor=.,12345,8,2,0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"

struct lab {
	char dir[256];
	char err[256];
	struct lab_cmd cmd;
};

static void put(const char *dir, const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = calloc(1, 65536);
	assert_non_null(buf);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static char *slurp2(const char *dir, const char *rel)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	return slurp(path);
}

static int exists(const char *dir, const char *rel)
{
	char path[512];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	return stat(path, &st) == 0;
}

/* 1 if text has a line equal to want once leading blanks are skipped. */
static int has_line(const char *text, const char *want)
{
	size_t n = strlen(want);
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *p = l + strspn(l, " \t");
		if (strncmp(p, want, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return 1;
	}
	return 0;
}

/* 1 if text has a line starting with prefix once leading blanks are skipped. */
static int has_prefix_line(const char *text, const char *prefix)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l + strspn(l, " \t"), prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

/* has_line with a printf-built line. */
static int has_linef(const char *text, const char *fmt, ...)
{
	char want[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(want, sizeof want, fmt, ap);
	va_end(ap);
	return has_line(text, want);
}

#define assert_line(text, ...)                                                              \
	do {                                                                                \
		if (!has_linef((text), __VA_ARGS__)) {                                      \
			print_error("missing line: ");                                      \
			print_error(__VA_ARGS__);                                           \
			print_error("\nin:\n%s\n", (text));                                 \
			fail();                                                             \
		}                                                                           \
	} while (0)

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	struct lab *lab = calloc(1, sizeof *lab);
	if (!lab)
		return -1;
	snprintf(lab->dir, sizeof lab->dir, "/tmp/tp-labconf-XXXXXX");
	if (!mkdtemp(lab->dir)) {
		free(lab);
		return -1;
	}
	char p[300];
	snprintf(p, sizeof p, "%s/ta", lab->dir);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/zones", lab->dir);
	mkdir(p, 0755);
	put(lab->dir, "root.hints", ". 3600000 NS a.root-servers.lab.\n"
				    "a.root-servers.lab. 3600000 A 127.53.0.1\n");
	put(lab->dir, "ta/root.ds", FAKE_DS);
	put(lab->dir, "ta/root.dnskey", FAKE_DNSKEY);
	put(lab->dir, "ta/root-next.dnskey", FAKE_DNSKEY_NEXT);
	put(lab->dir, "ta/bind.conf",
	    "trust-anchors { . initial-key 257 3 8 \"AwEAAcFakeKeyForTestsOnly==\"; };\n");
	put(lab->dir, "ta/dnsmasq.conf", "# lab root KSK\n" FAKE_DNSMASQ_TA "\n");
	put(lab->dir, "zones.list", ". root root.zone\n"
				    "test. tld test.zone\n"
				    "\n"
				    "child.test. child child.test.zone\n"
				    "deep.child.test. child deep.child.test.zone\n");
	put(lab->dir, "zones/root.zone", "; fake\n");
	put(lab->dir, "zones/test.zone", "; fake\n");
	put(lab->dir, "zones/child.test.zone", "; fake\n");
	put(lab->dir, "zones/deep.child.test.zone", "; fake\n");
	*state = lab;
	return 0;
}

static int teardown(void **state)
{
	struct lab *lab = *state;
	lab_cmd_free(&lab->cmd);
	nftw(lab->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(lab);
	return 0;
}

static const struct lab_instance *inst(const char *name)
{
	const struct lab_instance *i = lab_instance_find(name);
	assert_non_null(i);
	return i;
}

static const struct lab_server *server(const char *name)
{
	size_t n;
	const struct lab_server *s = lab_servers(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].name, name) == 0)
			return &s[i];
	fail_msg("no server role %s", name);
	return NULL;
}

static void assert_one_line_error(const struct lab *lab)
{
	assert_true(strlen(lab->err) > 0);
	assert_null(strchr(lab->err, '\n'));
	assert_null(lab->cmd.argv[0]);
}

/* The common lab_cmd fields for instance name at address addr. */
static void assert_cmd(const struct lab *lab, const char *name, const char *addr,
		       const char *config)
{
	char want[512];
	assert_string_equal(lab->cmd.name, name);
	assert_string_equal(lab->cmd.addr, addr);
	snprintf(want, sizeof want, "%s/%s", lab->dir, name);
	assert_string_equal(lab->cmd.workdir, want);
	snprintf(want, sizeof want, "%s/%s/%s", lab->dir, name, config);
	assert_string_equal(lab->cmd.config, want);
	snprintf(want, sizeof want, "%s/log/%s.log", lab->dir, name);
	assert_string_equal(lab->cmd.log, want);
	struct stat st;
	assert_int_equal(stat(lab->cmd.workdir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	snprintf(want, sizeof want, "%s/log", lab->dir);
	assert_int_equal(stat(want, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
}

/* ---- unbound ---- */

static void test_unbound_validating(void **state)
{
	struct lab *lab = *state;
	assert_int_equal(lab_conf_resolver(inst("unbound"), lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "unbound", "127.53.1.1", "unbound.conf");
	assert_string_equal(lab->cmd.argv[0], "unbound");
	assert_string_equal(lab->cmd.argv[1], "-d");
	assert_string_equal(lab->cmd.argv[2], "-c");
	assert_string_equal(lab->cmd.argv[3], lab->cmd.config);
	assert_null(lab->cmd.argv[4]);

	char *c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "server:");
	assert_line(c, "interface: 127.53.1.1");
	assert_line(c, "port: 53");
	assert_line(c, "username: \"\"");
	assert_line(c, "chroot: \"\"");
	assert_line(c, "directory: \"%s/unbound\"", lab->dir);
	assert_line(c, "pidfile: \"%s/unbound/unbound.pid\"", lab->dir);
	assert_line(c, "use-syslog: no");
	assert_line(c, "logfile: \"\"");
	assert_line(c, "do-not-query-localhost: no");
	/* [whose]: queries leave from its own address, in the everyday lab too */
	assert_line(c, "outgoing-interface: 127.53.1.1");
	assert_line(c, "root-hints: \"%s/root.hints\"", lab->dir);
	assert_line(c, "auto-trust-anchor-file: \"%s/unbound/root.key\"", lab->dir);
	assert_line(c, "local-zone: \"test.\" nodefault");
	assert_line(c, "remote-control:");
	assert_line(c, "control-enable: no");
	/* validation stays at the packaged module list */
	assert_null(strstr(c, "module-config"));
	assert_null(strstr(c, "trust-anchor-file: \"/usr"));
	free(c);

	char *key = slurp2(lab->dir, "unbound/root.key");
	assert_non_null(key);
	assert_string_equal(key, FAKE_DNSKEY);
	free(key);
}

static void test_unbound_novalidate(void **state)
{
	struct lab *lab = *state;
	/* it needs no anchor at all */
	unlink(strcat(strcpy(lab->err, lab->dir), "/ta/root.dnskey"));
	assert_int_equal(lab_conf_resolver(inst("unbound-novalidate"), lab->dir, "test", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "unbound-novalidate", "127.53.1.6", "unbound.conf");
	char *c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "interface: 127.53.1.6");
	assert_line(c, "module-config: \"iterator\"");
	/* lab zone given without the final dot still comes out as a FQDN */
	assert_line(c, "local-zone: \"test.\" nodefault");
	assert_null(strstr(c, "trust-anchor"));
	free(c);
	assert_false(exists(lab->dir, "unbound-novalidate/root.key"));
}

/* ---- BIND ---- */

static void test_bind(void **state)
{
	struct lab *lab = *state;
	char p[512];
	snprintf(p, sizeof p, "%s/bind", lab->dir);
	mkdir(p, 0755);
	put(lab->dir, "bind/managed-keys.bind", "stale state of an earlier run\n");
	put(lab->dir, "bind/managed-keys.bind.jnl", "stale journal of an earlier run\n");
	assert_int_equal(lab_conf_resolver(inst("bind"), lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "bind", "127.53.1.2", "named.conf");
	assert_string_equal(lab->cmd.argv[0], "named");
	assert_string_equal(lab->cmd.argv[1], "-g");
	assert_string_equal(lab->cmd.argv[2], "-c");
	assert_string_equal(lab->cmd.argv[3], lab->cmd.config);
	assert_null(lab->cmd.argv[4]); /* in particular no -u */
	/* named would keep trusting the old key and ignore the new initial-key */
	assert_false(exists(lab->dir, "bind/managed-keys.bind"));
	assert_false(exists(lab->dir, "bind/managed-keys.bind.jnl"));

	char *c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "directory \"%s/bind\";", lab->dir);
	assert_line(c, "pid-file \"%s/bind/named.pid\";", lab->dir);
	assert_line(c, "session-keyfile \"%s/bind/session.key\";", lab->dir);
	assert_line(c, "managed-keys-directory \"%s/bind\";", lab->dir);
	assert_line(c, "listen-on port 53 { 127.53.1.2; };");
	assert_line(c, "listen-on-v6 { none; };");
	assert_line(c, "recursion yes;");
	assert_line(c, "dnssec-validation yes;");
	assert_line(c, "query-source address 127.53.1.2;"); /* [whose] */
	assert_line(c, "include \"%s/ta/bind.conf\";", lab->dir);
	assert_line(c, "zone \".\" { type hint; file \"%s/root.hints\"; };", lab->dir);
	assert_line(c, "controls { };");
	assert_null(strstr(c, "forwarders"));
	free(c);
}

/* ---- PowerDNS Recursor ---- */

static void test_pdns(void **state)
{
	struct lab *lab = *state;
	char want[4200];
	assert_int_equal(lab_conf_resolver(inst("pdns-recursor"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "pdns-recursor", "127.53.1.3", "recursor.conf");
	assert_string_equal(lab->cmd.argv[0], "pdns_recursor");
	snprintf(want, sizeof want, "--config-dir=%s/pdns-recursor", lab->dir);
	assert_string_equal(lab->cmd.argv[1], want);
	assert_null(lab->cmd.argv[2]);

	char *c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "local-address=127.53.1.3");
	assert_line(c, "local-port=53");
	assert_line(c, "query-local-address=127.53.1.3"); /* [whose] */
	assert_line(c, "hint-file=%s/root.hints", lab->dir);
	assert_line(c, "dont-query=");
	assert_line(c, "lua-config-file=%s/pdns-recursor/recursor.lua", lab->dir);
	assert_line(c, "security-poll-suffix=");
	assert_line(c, "socket-dir=%s/pdns-recursor", lab->dir);
	assert_line(c, "daemon=no");
	assert_line(c, "disable-syslog=yes");
	/* dnssec stays at its default (process), and no privilege drop */
	assert_false(has_prefix_line(c, "dnssec="));
	assert_false(has_prefix_line(c, "setuid"));
	assert_false(has_prefix_line(c, "setgid"));
	free(c);

	char *lua = slurp2(lab->dir, "pdns-recursor/recursor.lua");
	assert_non_null(lua);
	assert_line(lua, "clearTA()");
	assert_line(lua, "addTA('.', \"" FAKE_DS_RDATA "\")");
	assert_true(strstr(lua, "clearTA()") < strstr(lua, "addTA("));
	assert_null(strstr(lua, "/usr/share/dns"));
	free(lua);
}

/* ---- Knot Resolver ---- */

static void test_kresd(void **state)
{
	struct lab *lab = *state;
	char p[512];
	snprintf(p, sizeof p, "%s/knot-resolver", lab->dir);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/knot-resolver/cache", lab->dir);
	mkdir(p, 0755);
	put(lab->dir, "knot-resolver/cache/data.mdb", "records signed with old keys\n");
	put(lab->dir, "knot-resolver/root.keys", "; RFC 5011 state of old keys\n");
	assert_int_equal(lab_conf_resolver(inst("knot-resolver"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "knot-resolver", "127.53.1.4", "kresd.conf");
	assert_string_equal(lab->cmd.argv[0], "kresd");
	assert_string_equal(lab->cmd.argv[1], "-n");
	assert_string_equal(lab->cmd.argv[2], "-c");
	assert_string_equal(lab->cmd.argv[3], lab->cmd.config);
	assert_string_equal(lab->cmd.argv[4], lab->cmd.workdir);
	assert_null(lab->cmd.argv[5]);

	char *c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "net.listen('127.53.1.4', 53, { kind = 'dns' })");
	assert_line(c, "net.outgoing_v4('127.53.1.4')"); /* [whose] */
	assert_line(c, "hints.root_file('%s/root.hints')", lab->dir);
	assert_line(c, "trust_anchors.remove('.')");
	assert_line(c, "trust_anchors.add_file('%s/knot-resolver/root.keys', true)", lab->dir);
	assert_line(c, "policy.add(policy.all(policy.FLAGS('ALLOW_LOCAL')))");
	assert_line(c, "policy.add(policy.suffix(policy.PASS, policy.todnames({'test.'})))");
	/* sized for the lab, not Debian's 100 MB: LMDB preallocates data.mdb to that size */
	assert_line(c, "cache.open(10 * MB, 'lmdb://%s/knot-resolver/cache')", lab->dir);
	assert_null(strstr(c, "100 * MB"));
	assert_line(c, "'hints > iterate',");
	/* the preloaded anchor goes before the lab's comes in; hints load before use */
	assert_true(strstr(c, "trust_anchors.remove") < strstr(c, "trust_anchors.add_file"));
	assert_true(strstr(c, "'hints > iterate'") < strstr(c, "hints.root_file"));
	assert_null(strstr(c, "853"));
	free(c);

	char *key = slurp2(lab->dir, "knot-resolver/root.keys");
	assert_non_null(key);
	assert_string_equal(key, FAKE_DNSKEY);
	free(key);
	assert_true(exists(lab->dir, "knot-resolver/cache"));
	assert_false(exists(lab->dir, "knot-resolver/cache/data.mdb"));
}

/* ---- dnsmasq ---- */

static void test_dnsmasq_validating(void **state)
{
	struct lab *lab = *state;
	char want[4200];
	assert_int_equal(lab_conf_resolver(inst("dnsmasq"), lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "dnsmasq", "127.53.1.5", "dnsmasq.conf");
	assert_string_equal(lab->cmd.argv[0], "dnsmasq");
	assert_string_equal(lab->cmd.argv[1], "-k");
	snprintf(want, sizeof want, "--conf-file=%s", lab->cmd.config);
	assert_string_equal(lab->cmd.argv[2], want);
	assert_null(lab->cmd.argv[3]);

	char *c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "no-resolv");
	/* upstream unbound-novalidate, looked up in the plan */
	/* [whose]: from its own address */
	assert_line(c, "server=%s@127.53.1.5", inst("unbound-novalidate")->addr);
	assert_line(c, "listen-address=127.53.1.5");
	assert_line(c, "bind-interfaces");
	assert_line(c, "port=53");
	assert_line(c, "user=root");
	assert_line(c, "group=");
	assert_line(c, "pid-file=");
	assert_line(c, "log-facility=-");
	assert_line(c, "dnssec");
	assert_line(c, FAKE_DNSMASQ_TA);
	assert_false(has_line(c, "proxy-dnssec"));
	assert_null(strstr(c, "cache-size"));
	free(c);
}

static void test_dnsmasq_proxy(void **state)
{
	struct lab *lab = *state;
	/* the proxy needs no anchor */
	unlink(strcat(strcpy(lab->err, lab->dir), "/ta/dnsmasq.conf"));
	assert_int_equal(lab_conf_resolver(inst("dnsmasq-proxy"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "dnsmasq-proxy", "127.53.1.7", "dnsmasq.conf");
	char *c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "server=%s@127.53.1.7", inst("unbound")->addr);
	assert_line(c, "listen-address=127.53.1.7");
	assert_line(c, "proxy-dnssec");
	assert_line(c, "cache-size=0");
	assert_line(c, "no-resolv");
	assert_false(has_line(c, "dnssec"));
	assert_null(strstr(c, "trust-anchor"));
	free(c);
}

/* ---- the forwarder matrix: the liar and the forwarders in front of it ---- */

/* The lying resolver: this program in resolver mode, in front of unbound-novalidate. */
static void test_liar(void **state)
{
	struct lab *lab = *state;
	/* it needs no anchor and no hints */
	unlink(strcat(strcpy(lab->err, lab->dir), "/ta/dnsmasq.conf"));
	unlink(strcat(strcpy(lab->err, lab->dir), "/root.hints"));
	const struct lab_instance *l = inst("liar");
	assert_int_equal(l->kind, LAB_PROXY_RESOLVER);
	assert_false(l->validate);
	assert_string_equal(l->upstream, "unbound-novalidate");
	assert_int_equal(lab_conf_resolver(l, lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_OK);
	assert_string_equal(lab->cmd.name, "liar");
	assert_string_equal(lab->cmd.addr, "127.53.1.10");
	char want[512];
	snprintf(want, sizeof want, "%s/log/liar.log", lab->dir);
	assert_string_equal(lab->cmd.log, want);
	assert_int_equal(lab->cmd.argv[0][0], '/'); /* the running program, by full path */
	static const char *const args[] = {"lab", "proxy", "--resolver", "--listen", "127.53.1.10",
					   "--upstream", "127.53.1.6", "--lie", "ad", NULL};
	for (size_t i = 0; args[i]; i++)
		assert_string_equal(lab->cmd.argv[i + 1], args[i]);
	assert_null(lab->cmd.argv[10]);
	lab_cmd_free(&lab->cmd);
	/* a liar must name a lab upstream, and never validates */
	const struct lab_instance none = {"liar-x", LAB_PROXY_RESOLVER, "127.53.2.1", 0, NULL,
					  "test", LAB_TA_DEFAULT, 0, LAB_FAULT_NONE, 0, NULL};
	assert_int_equal(lab_conf_resolver(&none, lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_ERR_PLAN);
	assert_one_line_error(lab);
	const struct lab_instance val = {"liar-y", LAB_PROXY_RESOLVER, "127.53.2.1", 1,
					 "unbound-novalidate", "test", LAB_TA_DEFAULT, 0, LAB_FAULT_NONE, 0, NULL};
	assert_int_equal(lab_conf_resolver(&val, lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_ERR_PLAN);
	assert_one_line_error(lab);
}

/* Every forwarder forwards to the liar, and the liar to unbound-novalidate: the chain is
 * in the plan, each link an instance of it. */
static void test_forwarder_chain(void **state)
{
	(void)state;
	static const char *const fwd[] = {"fwd-dnsmasq-proxy", "fwd-dnsmasq", "fwd-unbound",
					  "fwd-bind", "fwd-pdns-recursor"};
	for (size_t i = 0; i < sizeof fwd / sizeof fwd[0]; i++) {
		const struct lab_instance *f = inst(fwd[i]);
		assert_string_equal(f->upstream, "liar");
		assert_int_equal(f->validate, strcmp(fwd[i], "fwd-dnsmasq-proxy") != 0);
		assert_false(f->roll_only);
	}
	assert_null(inst("unbound-novalidate")->upstream);
	assert_null(inst("unbound")->upstream);
	assert_null(inst("bind")->upstream);
	assert_null(inst("pdns-recursor")->upstream);
}

static void test_fwd_unbound(void **state)
{
	struct lab *lab = *state;
	assert_int_equal(lab_conf_resolver(inst("fwd-unbound"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "fwd-unbound", "127.53.1.13", "unbound.conf");
	char *c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "interface: 127.53.1.13");
	assert_line(c, "forward-zone:");
	assert_line(c, "name: \".\"");
	assert_line(c, "forward-addr: %s", inst("liar")->addr);
	/* still validating, with the lab's anchor, and allowed to talk to 127/8 */
	assert_line(c, "auto-trust-anchor-file: \"%s/fwd-unbound/root.key\"", lab->dir);
	assert_line(c, "do-not-query-localhost: no");
	assert_line(c, "local-zone: \"test.\" nodefault");
	assert_null(strstr(c, "module-config"));
	/* the forward zone is its own clause, after the server options */
	assert_true(strstr(c, "server:") < strstr(c, "forward-zone:"));
	assert_true(strstr(c, "local-zone:") < strstr(c, "forward-zone:"));
	assert_true(strstr(c, "forward-zone:") < strstr(c, "remote-control:"));
	free(c);
	char *key = slurp2(lab->dir, "fwd-unbound/root.key");
	assert_string_equal(key, FAKE_DNSKEY);
	free(key);
	lab_cmd_free(&lab->cmd);
	/* the iterating unbound has no forward zone */
	assert_int_equal(lab_conf_resolver(inst("unbound"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	c = slurp(lab->cmd.config);
	assert_null(strstr(c, "forward-"));
	free(c);
}

static void test_fwd_bind(void **state)
{
	struct lab *lab = *state;
	assert_int_equal(lab_conf_resolver(inst("fwd-bind"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "fwd-bind", "127.53.1.14", "named.conf");
	char *c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "listen-on port 53 { 127.53.1.14; };");
	assert_line(c, "forwarders { %s; };", inst("liar")->addr);
	assert_line(c, "forward only;");
	assert_line(c, "dnssec-validation yes;");
	assert_line(c, "include \"%s/ta/bind.conf\";", lab->dir);
	/* forwarding is an option: inside options { } */
	const char *opts = strstr(c, "options {"), *end = strstr(c, "};\ninclude");
	assert_non_null(opts);
	assert_non_null(end);
	assert_true(opts < strstr(c, "forwarders {") && strstr(c, "forward only;") < end);
	free(c);
}

static void test_fwd_pdns(void **state)
{
	struct lab *lab = *state;
	assert_int_equal(lab_conf_resolver(inst("fwd-pdns-recursor"), lab->dir, "test.",
					   &lab->cmd, lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "fwd-pdns-recursor", "127.53.1.15", "recursor.conf");
	char *c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "local-address=127.53.1.15");
	assert_line(c, "forward-zones-recurse=.=%s", inst("liar")->addr);
	assert_false(has_prefix_line(c, "forward-zones="));
	/* Debian's dont-query: it does not apply to forwarders */
	assert_false(has_prefix_line(c, "dont-query"));
	/* Debian's dnssec default (process), as the iterating instance */
	assert_false(has_prefix_line(c, "dnssec="));
	free(c);
	char *lua = slurp2(lab->dir, "fwd-pdns-recursor/recursor.lua");
	assert_line(lua, "addTA('.', \"" FAKE_DS_RDATA "\")");
	free(lua);
}

static void test_fwd_dnsmasq(void **state)
{
	struct lab *lab = *state;
	assert_int_equal(lab_conf_resolver(inst("fwd-dnsmasq"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "fwd-dnsmasq", "127.53.1.12", "dnsmasq.conf");
	char *c = slurp(lab->cmd.config);
	assert_line(c, "server=%s@127.53.1.12", inst("liar")->addr);
	assert_line(c, "listen-address=127.53.1.12");
	assert_line(c, "dnssec");
	assert_line(c, FAKE_DNSMASQ_TA);
	assert_false(has_line(c, "proxy-dnssec"));
	free(c);
	lab_cmd_free(&lab->cmd);
	assert_int_equal(lab_conf_resolver(inst("fwd-dnsmasq-proxy"), lab->dir, "test.",
					   &lab->cmd, lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "fwd-dnsmasq-proxy", "127.53.1.11", "dnsmasq.conf");
	c = slurp(lab->cmd.config);
	assert_line(c, "server=%s@127.53.1.11", inst("liar")->addr);
	assert_line(c, "proxy-dnssec");
	assert_line(c, "cache-size=0");
	assert_false(has_line(c, "dnssec"));
	assert_null(strstr(c, "trust-anchor"));
	free(c);
}

/* ---- nsd ---- */

static void test_nsd_roles(void **state)
{
	struct lab *lab = *state;
	char *c;
	char p[512];
	snprintf(p, sizeof p, "%s/nsd-root", lab->dir);
	mkdir(p, 0755);
	put(lab->dir, "nsd-root/nsd.pid", "1\n"); /* a stale pid file nsd would refuse */

	assert_int_equal(lab_conf_nsd(server("root"), lab->dir, &lab->cmd, lab->err,
				      sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "nsd-root", "127.53.0.1", "nsd.conf");
	assert_false(exists(lab->dir, "nsd-root/nsd.pid"));
	assert_string_equal(lab->cmd.argv[0], "nsd");
	assert_string_equal(lab->cmd.argv[1], "-d");
	assert_string_equal(lab->cmd.argv[2], "-c");
	assert_string_equal(lab->cmd.argv[3], lab->cmd.config);
	assert_null(lab->cmd.argv[4]);
	c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "ip-address: 127.53.0.1");
	assert_line(c, "port: 53");
	assert_line(c, "username: \"\"");
	assert_line(c, "chroot: \"\"");
	assert_line(c, "database: \"\"");
	assert_line(c, "zonesdir: \"%s/zones\"", lab->dir);
	assert_line(c, "pidfile: \"%s/nsd-root/nsd.pid\"", lab->dir);
	assert_line(c, "xfrdfile: \"%s/nsd-root/xfrd.state\"", lab->dir);
	assert_line(c, "zonelistfile: \"%s/nsd-root/zone.list\"", lab->dir);
	assert_line(c, "server-count: 1");
	assert_line(c, "control-enable: no");
	assert_line(c, "name: \".\"");
	assert_line(c, "zonefile: \"root.zone\"");
	assert_false(has_line(c, "name: \"test.\""));
	free(c);
	lab_cmd_free(&lab->cmd);

	assert_int_equal(lab_conf_nsd(server("tld"), lab->dir, &lab->cmd, lab->err,
				      sizeof lab->err),
			 LAB_CONF_OK);
	assert_cmd(lab, "nsd-tld", "127.53.0.2", "nsd.conf");
	c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "ip-address: 127.53.0.2");
	assert_line(c, "name: \"test.\"");
	assert_line(c, "zonefile: \"test.zone\"");
	assert_false(has_line(c, "name: \".\""));
	assert_false(has_line(c, "name: \"child.test.\""));
	free(c);
	lab_cmd_free(&lab->cmd);

	assert_int_equal(lab_conf_nsd(server("child"), lab->dir, &lab->cmd, lab->err,
				      sizeof lab->err),
			 LAB_CONF_OK);
	c = slurp(lab->cmd.config);
	assert_non_null(c);
	assert_line(c, "name: \"child.test.\"");
	assert_line(c, "zonefile: \"child.test.zone\"");
	assert_line(c, "name: \"deep.child.test.\"");
	assert_line(c, "zonefile: \"deep.child.test.zone\"");
	assert_false(has_line(c, "name: \"test.\""));
	free(c);
}

static void test_nsd_missing_zone_file(void **state)
{
	struct lab *lab = *state;
	unlink(strcat(strcpy(lab->err, lab->dir), "/zones/test.zone"));
	assert_int_equal(lab_conf_nsd(server("tld"), lab->dir, &lab->cmd, lab->err,
				      sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	assert_one_line_error(lab);
	assert_non_null(strstr(lab->err, "zones/test.zone"));
	/* other roles do not need it */
	assert_int_equal(lab_conf_nsd(server("root"), lab->dir, &lab->cmd, lab->err,
				      sizeof lab->err),
			 LAB_CONF_OK);
}

static void test_nsd_malformed_zones_list(void **state)
{
	struct lab *lab = *state;
	put(lab->dir, "zones.list", ". root root.zone\ntest. tld\n");
	assert_int_equal(lab_conf_nsd(server("root"), lab->dir, &lab->cmd, lab->err,
				      sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	assert_one_line_error(lab);
	assert_non_null(strstr(lab->err, "zones.list:2"));
	put(lab->dir, "zones.list", ". root ../../etc/passwd\n");
	assert_int_equal(lab_conf_nsd(server("root"), lab->dir, &lab->cmd, lab->err,
				      sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
}

/* ---- errors ---- */

static void test_missing_ds(void **state)
{
	struct lab *lab = *state;
	unlink(strcat(strcpy(lab->err, lab->dir), "/ta/root.ds"));
	lab->err[0] = '\0';
	assert_int_equal(lab_conf_resolver(inst("pdns-recursor"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	assert_one_line_error(lab);
	assert_non_null(strstr(lab->err, "ta/root.ds"));
	/* inputs are checked before anything is written */
	assert_false(exists(lab->dir, "pdns-recursor"));
}

static void test_malformed_ds(void **state)
{
	struct lab *lab = *state;
	put(lab->dir, "ta/root.ds", ". 3600 IN DS 12345 8 2 nothex\"); os.exit()\n");
	assert_int_equal(lab_conf_resolver(inst("pdns-recursor"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	assert_one_line_error(lab);
	put(lab->dir, "ta/root.ds", ". 3600 IN DNSKEY 257 3 8 AwEAAc==\n");
	assert_int_equal(lab_conf_resolver(inst("pdns-recursor"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	put(lab->dir, "ta/root.ds", ". 3600 IN DS 12345 8 2\n");
	assert_int_equal(lab_conf_resolver(inst("pdns-recursor"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
}

/* A comment line, a TTL-less RR and a digest split in two: still one clean DS rdata. */
static void test_ds_forms(void **state)
{
	struct lab *lab = *state;
	put(lab->dir, "ta/root.ds", "; lab root KSK\n"
				    ". IN DS 12345 8 2 0123456789abcdef0123456789ABCDEF "
				    "0123456789abcdef0123456789abcdef ; {id = 12345}\n"
				    ". IN DS 54321 8 2 ffff\n");
	assert_int_equal(lab_conf_resolver(inst("pdns-recursor"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	char *lua = slurp2(lab->dir, "pdns-recursor/recursor.lua");
	assert_non_null(lua);
	assert_line(lua, "addTA('.', \"" FAKE_DS_RDATA "\")");
	assert_null(strstr(lua, "54321"));
	free(lua);
}

static void test_missing_inputs_per_kind(void **state)
{
	struct lab *lab = *state;
	char p[512];
	snprintf(p, sizeof p, "%s/ta/root.dnskey", lab->dir);
	rename(p, strcat(strcpy(lab->err, p), ".away"));
	assert_int_equal(lab_conf_resolver(inst("unbound"), lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	assert_one_line_error(lab);
	assert_non_null(strstr(lab->err, "root.dnskey"));
	assert_int_equal(lab_conf_resolver(inst("knot-resolver"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	assert_non_null(strstr(lab->err, "root.dnskey"));

	snprintf(p, sizeof p, "%s/ta/bind.conf", lab->dir);
	unlink(p);
	assert_int_equal(lab_conf_resolver(inst("bind"), lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	assert_non_null(strstr(lab->err, "bind.conf"));

	put(lab->dir, "ta/dnsmasq.conf", "# no anchor here\n");
	assert_int_equal(lab_conf_resolver(inst("dnsmasq"), lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	assert_one_line_error(lab);

	snprintf(p, sizeof p, "%s/root.hints", lab->dir);
	unlink(p);
	assert_int_equal(lab_conf_resolver(inst("unbound-novalidate"), lab->dir, "test.",
					   &lab->cmd, lab->err, sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	assert_non_null(strstr(lab->err, "root.hints"));
	snprintf(p, sizeof p, "%s/zones.list", lab->dir);
	unlink(p);
	assert_int_equal(lab_conf_nsd(server("root"), lab->dir, &lab->cmd, lab->err,
				      sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	assert_non_null(strstr(lab->err, "zones.list"));
}

static void test_unknown_upstream(void **state)
{
	struct lab *lab = *state;
	const struct lab_instance bad = {"dnsmasq-x", LAB_DNSMASQ, "127.53.2.1", 1, "no-such-one",
					 "test", LAB_TA_DEFAULT, 0, LAB_FAULT_NONE, 0, NULL};
	assert_int_equal(lab_conf_resolver(&bad, lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_ERR_PLAN);
	assert_one_line_error(lab);
	assert_non_null(strstr(lab->err, "no-such-one"));
	const struct lab_instance none = {"dnsmasq-y", LAB_DNSMASQ, "127.53.2.2", 0, NULL, "test",
					  LAB_TA_DEFAULT, 0, LAB_FAULT_NONE, 0, NULL};
	assert_int_equal(lab_conf_resolver(&none, lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_ERR_PLAN);
	assert_one_line_error(lab);
	/* a forwarder of any kind must name an instance of the plan, never itself */
	const struct lab_instance ub = {"unbound-x", LAB_UNBOUND, "127.53.2.1", 1, "8.8.8.8",
					"test", LAB_TA_DEFAULT, 0, LAB_FAULT_NONE, 0, NULL};
	const struct lab_instance bd = {"bind-x", LAB_BIND, "127.53.2.1", 1, "bind-x", "test",
					LAB_TA_DEFAULT, 0, LAB_FAULT_NONE, 0, NULL};
	const struct lab_instance pd = {"pdns-x", LAB_PDNS_RECURSOR, "127.53.2.1", 1, "nope",
					"test", LAB_TA_DEFAULT, 0, LAB_FAULT_NONE, 0, NULL};
	const struct lab_instance *fw[] = {&ub, &bd, &pd};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(lab_conf_resolver(fw[i], lab->dir, "test.", &lab->cmd, lab->err,
						   sizeof lab->err),
				 LAB_CONF_ERR_PLAN);
		assert_one_line_error(lab);
		assert_non_null(strstr(lab->err, "upstream"));
		assert_false(exists(lab->dir, fw[i]->name));
	}
	const struct lab_instance kind = {"odd", (enum lab_kind)42, "127.53.2.3", 1, NULL, "test",
					  LAB_TA_DEFAULT, 0, LAB_FAULT_NONE, 0, NULL};
	assert_int_equal(lab_conf_resolver(&kind, lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_ERR_PLAN);
	assert_false(exists(lab->dir, "dnsmasq-x"));
}

static void test_unwritable(void **state)
{
	struct lab *lab = *state;
	/* The tests may run as root, for whom no mode bit stops a write: a regular file
	 * where a directory should be stops mkdir for everyone. */
	char p[512];
	put(lab->dir, "log", "not a directory\n");
	assert_int_equal(lab_conf_nsd(server("root"), lab->dir, &lab->cmd, lab->err,
				      sizeof lab->err),
			 LAB_CONF_ERR_IO);
	assert_one_line_error(lab);
	assert_non_null(strstr(lab->err, "/log"));
	snprintf(p, sizeof p, "%s/log", lab->dir);
	assert_int_equal(unlink(p), 0);

	put(lab->dir, "unbound", "not a directory\n");
	assert_int_equal(lab_conf_resolver(inst("unbound"), lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_ERR_IO);
	assert_one_line_error(lab);
	assert_non_null(strstr(lab->err, "/unbound"));

	/* a file the writer must write is a directory */
	snprintf(p, sizeof p, "%s/dnsmasq", lab->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/dnsmasq/dnsmasq.conf", lab->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(lab_conf_resolver(inst("dnsmasq"), lab->dir, "test.", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_ERR_IO);
	assert_one_line_error(lab);
	assert_non_null(strstr(lab->err, "dnsmasq.conf"));

	assert_int_equal(lab_conf_resolver(inst("bind"), "/nonexistent-tp-lab", "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	assert_int_equal(lab_conf_resolver(inst("bind"), "relative/dir", "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_ERR_IO);
	assert_one_line_error(lab);
	/* the message quotes the bad dir and still stays on one line */
	assert_int_equal(lab_conf_resolver(inst("bind"), "/tmp/with\nnewline", "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_ERR_IO);
	assert_one_line_error(lab);
	assert_int_equal(lab_conf_resolver(inst("bind"), "/tmp/with \"quote", "test.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_ERR_IO);
	assert_one_line_error(lab);
}

static void test_bad_lab_zone(void **state)
{
	struct lab *lab = *state;
	assert_int_equal(lab_conf_resolver(inst("unbound"), lab->dir, "te\"st.", &lab->cmd,
					   lab->err, sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
	assert_one_line_error(lab);
	assert_int_equal(lab_conf_resolver(inst("unbound"), lab->dir, ".", &lab->cmd, lab->err,
					   sizeof lab->err),
			 LAB_CONF_ERR_INPUT);
}

/* The roll's controls: a static trust-anchor-file (current only, or both KSKs), never
 * RFC 5011; the everyday configs carry no compressed timer. */
static void test_roll_controls(void **state)
{
	struct lab *lab = *state;
	assert_int_equal(lab_conf_resolver(inst("unbound-static-current"), lab->dir, "test.",
					   &lab->cmd, lab->err, sizeof lab->err), LAB_CONF_OK);
	char *conf = slurp(lab->cmd.config);
	char *key = slurp2(lab->cmd.workdir, "root.key");
	assert_line(conf, "trust-anchor-file: \"%s/root.key\"", lab->cmd.workdir);
	assert_false(has_prefix_line(conf, "auto-trust-anchor-file:"));
	assert_false(has_prefix_line(conf, "add-holddown:"));
	assert_string_equal(key, FAKE_DNSKEY);
	free(conf);
	free(key);
	lab_cmd_free(&lab->cmd);
	assert_int_equal(lab_conf_resolver(inst("unbound-static-both"), lab->dir, "test.",
					   &lab->cmd, lab->err, sizeof lab->err), LAB_CONF_OK);
	key = slurp2(lab->cmd.workdir, "root.key");
	assert_string_equal(key, FAKE_DNSKEY FAKE_DNSKEY_NEXT);
	free(key);
	lab_cmd_free(&lab->cmd);
	assert_true(inst("unbound-static-current")->roll_only);
	assert_false(inst("unbound")->roll_only);
}

/* The rehearsal's compressed RFC 5011 timers (lab_conf_opts), for unbound, BIND, kresd. */
static void test_rehearsal_timers(void **state)
{
	struct lab *lab = *state;
	struct lab_conf_opts co = {.holddown = 8};
	assert_int_equal(lab_conf_resolver_opts(inst("unbound"), lab->dir, "test.", &co,
						&lab->cmd, lab->err, sizeof lab->err), LAB_CONF_OK);
	char *conf = slurp(lab->cmd.config);
	assert_line(conf, "permit-small-holddown: yes");
	assert_line(conf, "add-holddown: 8");
	assert_line(conf, "del-holddown: 8");
	assert_line(conf, "keep-missing: 8");
	assert_line(conf, "auto-trust-anchor-file: \"%s/root.key\"", lab->cmd.workdir);
	free(conf);
	lab_cmd_free(&lab->cmd);
	assert_int_equal(lab_conf_resolver_opts(inst("bind"), lab->dir, "test.", &co, &lab->cmd,
						lab->err, sizeof lab->err), LAB_CONF_OK);
	int mk = 0, tat = 0;
	for (size_t i = 0; lab->cmd.argv[i]; i++) {
		mk |= strcmp(lab->cmd.argv[i], "mkeytimers=1/2/8") == 0 &&
		      strcmp(lab->cmd.argv[i - 1], "-T") == 0;
		tat |= strcmp(lab->cmd.argv[i], "tat=2") == 0;
	}
	assert_true(mk);
	assert_true(tat);
	lab_cmd_free(&lab->cmd);
	assert_int_equal(lab_conf_resolver_opts(inst("knot-resolver"), lab->dir, "test.", &co,
						&lab->cmd, lab->err, sizeof lab->err), LAB_CONF_OK);
	conf = slurp(lab->cmd.config);
	assert_line(conf, "ta_update.hold_down_time = 8 * sec");
	assert_line(conf, "ta_update.refresh_time = 1 * sec");
	assert_line(conf, "trust_anchors.add_file('%s/root.keys', false)", lab->cmd.workdir);
	free(conf);
	lab_cmd_free(&lab->cmd);
	/* the everyday lab: Debian's timers */
	assert_int_equal(lab_conf_resolver(inst("unbound"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err), LAB_CONF_OK);
	conf = slurp(lab->cmd.config);
	assert_false(has_prefix_line(conf, "permit-small-holddown:"));
	free(conf);
	lab_cmd_free(&lab->cmd);
	assert_int_equal(lab_conf_resolver(inst("knot-resolver"), lab->dir, "test.", &lab->cmd,
					   lab->err, sizeof lab->err), LAB_CONF_OK);
	conf = slurp(lab->cmd.config);
	assert_line(conf, "trust_anchors.add_file('%s/root.keys', true)", lab->cmd.workdir);
	free(conf);
	lab_cmd_free(&lab->cmd);
}

/* ---- the misconfiguration matrix (issue 10) ---- */

/* The lines of text that are no comment, blank or the instance's own header, one per
 * entry, in order (at most max); returns how many. */
static size_t config_lines(char *text, char **out, size_t max)
{
	size_t n = 0;
	for (char *l = strtok(text, "\n"); l && n < max; l = strtok(NULL, "\n")) {
		l += strspn(l, " \t");
		if (!*l || *l == '#' || strncmp(l, "//", 2) == 0 || strncmp(l, "--", 2) == 0)
			continue;
		out[n++] = l;
	}
	return n;
}

/* Lines of a that b lacks (as multisets), joined with '|' into out. */
static void lines_minus(char **a, size_t na, char **b, size_t nb, char *out, size_t outlen)
{
	int used[512] = {0};
	out[0] = '\0';
	for (size_t i = 0; i < na; i++) {
		size_t j = 0;
		while (j < nb && (used[j] || strcmp(a[i], b[j]) != 0))
			j++;
		if (j < nb) {
			used[j] = 1;
			continue;
		}
		snprintf(out + strlen(out), outlen - strlen(out), "%s%s", *out ? "|" : "", a[i]);
	}
}

/* What each misconfiguration changes in the family's lab config: the file, the lines it
 * adds and the lines it removes ('|'-separated, "" for none; @ stands for the lab dir),
 * and the daemon's environment. */
static const struct {
	const char *name, *file, *added, *removed, *env;
} mis[] = {
	{"mis-unbound-permissive", "unbound.conf", "val-permissive-mode: yes", "", ""},
	{"mis-unbound-anchor", "unbound.conf", "", "", ""},
	{"mis-unbound-clock-ahead", "unbound.conf", "", "", "DATEFUDGE=-864000"},
	{"mis-bind-novalidate", "named.conf", "dnssec-validation no;", "dnssec-validation yes;", ""},
	{"mis-bind-anchor", "named.conf", "dnssec-validation auto;",
	 "dnssec-validation yes;|include \"@/ta/bind.conf\";", ""},
	{"mis-bind-accept-expired", "named.conf", "dnssec-accept-expired yes;", "", ""},
	{"mis-pdns-off", "recursor.conf", "dnssec=off", "", ""},
	{"mis-pdns-anchor", "recursor.lua",
	 "dofile(\"/usr/share/pdns-recursor/lua-config/rootkeys.lua\")",
	 "clearTA()|addTA('.', \"" FAKE_DS_RDATA "\")", ""},
	{"mis-pdns-clock-behind", "recursor.conf", "", "", "DATEFUDGE=1728000"},
	{"mis-knot-noanchor", "kresd.conf", "",
	 "trust_anchors.add_file('@/mis-knot-noanchor/root.keys', true)", ""},
	{"mis-knot-anchor", "kresd.conf", "",
	 "trust_anchors.remove('.')|trust_anchors.add_file('@/mis-knot-anchor/root.keys', true)", ""},
	{"mis-knot-clock-ahead", "kresd.conf", "", "", "DATEFUDGE=-864000"},
	{"mis-knot-clock-behind", "kresd.conf", "", "", "DATEFUDGE=1728000"},
	{"mis-dnsmasq-nodnssec", "dnsmasq.conf", "", "dnssec|" FAKE_DNSMASQ_TA, ""},
	{"mis-dnsmasq-debug", "dnsmasq.conf", "dnssec-debug", "", ""},
	{"mis-dnsmasq-anchor", "dnsmasq.conf",
	 "conf-file=/usr/share/dnsmasq-base/trust-anchors.conf", FAKE_DNSMASQ_TA, ""},
	{"mis-dnsmasq-clock-ahead", "dnsmasq.conf", "", "", "DATEFUDGE=-864000"},
};

/* s with every '@' replaced by dir. */
static void expand_dir(const char *s, const char *dir, char *out, size_t outlen)
{
	out[0] = '\0';
	for (; *s; s++)
		if (*s == '@')
			snprintf(out + strlen(out), outlen - strlen(out), "%s", dir);
		else
			snprintf(out + strlen(out), outlen - strlen(out), "%c", *s);
}

/* Each misconfiguration instance's config is its family's lab config (the same writer,
 * the instance without its fault) with exactly the one change listed above, and a comment
 * that says so; a clock fault changes no line, only the daemon's environment. */
static void test_misconfig_one_change(void **state)
{
	struct lab *lab = *state;
	size_t n, nmis = 0;
	const struct lab_instance *all = lab_instances(&n);
	if (access("/usr/share/dns/root.key", R_OK) != 0 ||
	    access("/usr/share/dnsmasq-base/trust-anchors.conf", R_OK) != 0 ||
	    access("/usr/share/pdns-recursor/lua-config/rootkeys.lua", R_OK) != 0)
		skip(); /* dns-root-data, dnsmasq-base, pdns-recursor (make deps-lab) */
	for (size_t i = 0; i < n; i++)
		nmis += all[i].fault != LAB_FAULT_NONE;
	assert_int_equal(nmis, sizeof mis / sizeof mis[0]);
	for (size_t k = 0; k < sizeof mis / sizeof mis[0]; k++) {
		const struct lab_instance *m = inst(mis[k].name);
		struct lab_instance base = *m;
		base.fault = LAB_FAULT_NONE;
		base.clock_days = 0;
		assert_int_not_equal(m->fault, LAB_FAULT_NONE);
		assert_false(m->roll_only);
		assert_true(m->validate);
		char rel[256], *bl[512], *ml[512], got[4096], want[4096];
		snprintf(rel, sizeof rel, "%s/%s", m->name, mis[k].file);

		if (lab_conf_resolver(&base, lab->dir, "test.", &lab->cmd, lab->err,
				      sizeof lab->err) != LAB_CONF_OK)
			fail_msg("%s without its fault: %s", m->name, lab->err);
		assert_null(lab->cmd.env[0]);
		lab_cmd_free(&lab->cmd);
		char *b = slurp2(lab->dir, rel);
		assert_non_null(b);
		if (lab_conf_resolver(m, lab->dir, "test.", &lab->cmd, lab->err, sizeof lab->err) !=
		    LAB_CONF_OK)
			fail_msg("%s: %s", m->name, lab->err);
		char *c = slurp2(lab->dir, rel);
		assert_non_null(c);
		/* the config says what was changed, and where */
		char *main = slurp(lab->cmd.config);
		assert_non_null(strstr(main, "misconfigured"));
		free(main);
		size_t nb = config_lines(b, bl, 512), nm = config_lines(c, ml, 512);
		lines_minus(ml, nm, bl, nb, got, sizeof got);
		expand_dir(mis[k].added, lab->dir, want, sizeof want);
		if (strcmp(got, want) != 0)
			fail_msg("%s adds [%s], expected [%s]", m->name, got, want);
		lines_minus(bl, nb, ml, nm, got, sizeof got);
		expand_dir(mis[k].removed, lab->dir, want, sizeof want);
		if (strcmp(got, want) != 0)
			fail_msg("%s removes [%s], expected [%s]", m->name, got, want);
		if (*mis[k].env) {
			/* datefudge's library, then the offset; nothing else */
			assert_non_null(lab->cmd.env[0]);
			assert_int_equal(strncmp(lab->cmd.env[0], "LD_PRELOAD=/usr/lib/", 20), 0);
			assert_non_null(strstr(lab->cmd.env[0], "/datefudge/datefudge.so"));
			assert_string_equal(lab->cmd.env[1], mis[k].env);
			assert_null(lab->cmd.env[2]);
			assert_int_equal(m->fault, LAB_FAULT_CLOCK);
		} else {
			assert_null(lab->cmd.env[0]);
		}
		free(b);
		free(c);
		lab_cmd_free(&lab->cmd);
	}
	/* the unbound anchor fault: its RFC 5011 file is Debian's root.key, not the lab's */
	char *key = slurp2(lab->dir, "mis-unbound-anchor/root.key");
	char *deb = slurp("/usr/share/dns/root.key");
	assert_non_null(key);
	assert_non_null(deb);
	assert_string_equal(key, deb);
	assert_null(strstr(key, "AwEAAcFakeKeyForTestsOnly"));
	free(key);
	free(deb);
}

/* At least ten misconfigurations, every resolver family among them, each on its own
 * address; a fault the family has no form of is refused. */
static void test_misconfig_plan(void **state)
{
	struct lab *lab = *state;
	size_t n, nmis = 0;
	int kinds[8] = {0};
	const struct lab_instance *all = lab_instances(&n);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(all[i].addr, all[j].addr);
		if (all[i].fault == LAB_FAULT_NONE)
			continue;
		nmis++;
		kinds[all[i].kind] = 1;
		assert_int_equal(strncmp(all[i].name, "mis-", 4), 0);
		assert_true((all[i].fault == LAB_FAULT_CLOCK) == (all[i].clock_days != 0));
	}
	assert_true(nmis >= 10);
	for (int k = LAB_UNBOUND; k <= LAB_DNSMASQ; k++)
		assert_true(kinds[k]);
	/* faults the family has no form of, each on the spare address */
#define BAD(name, kind, validate, up, fault, days)                                               \
	{name, kind, "127.53.2.1", validate, up, "t", LAB_TA_DEFAULT, 0, fault, days, NULL}
	const struct lab_instance bad[] = {
		/* BIND: no permissive mode, no clock (libfaketime hangs next to jemalloc,
		 * datefudge leaves CLOCK_REALTIME_COARSE alone); PowerDNS ahead drops every
		 * query as too old; a clock fault needs an offset */
		BAD("x-bind-perm", LAB_BIND, 1, NULL, LAB_FAULT_PERMISSIVE, 0),
		BAD("x-bind-clock", LAB_BIND, 1, NULL, LAB_FAULT_CLOCK, 10),
		BAD("x-pdns-ahead", LAB_PDNS_RECURSOR, 1, NULL, LAB_FAULT_CLOCK, 10),
		BAD("x-unbound-exp", LAB_UNBOUND, 1, NULL, LAB_FAULT_ACCEPT_EXPIRED, 0),
		BAD("x-unbound-zero", LAB_UNBOUND, 1, NULL, LAB_FAULT_CLOCK, 0),
		/* a fault changes a validating config */
		BAD("x-unbound-nv", LAB_UNBOUND, 0, NULL, LAB_FAULT_PERMISSIVE, 0),
		BAD("x-liar", LAB_PROXY_RESOLVER, 0, "unbound-novalidate", LAB_FAULT_DISTRO_ANCHOR, 0),
	};
#undef BAD
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		lab->err[0] = '\0';
		if (lab_conf_resolver(&bad[i], lab->dir, "test.", &lab->cmd, lab->err,
				      sizeof lab->err) != LAB_CONF_ERR_PLAN)
			fail_msg("%s was accepted", bad[i].name);
		assert_one_line_error(lab);
		assert_null(lab->cmd.env[0]);
	}
}

/* Every instance of the plan has a writer, and running them twice on one dir works. */
static void test_whole_plan_twice(void **state)
{
	struct lab *lab = *state;
	size_t n, ns;
	const struct lab_instance *all = lab_instances(&n);
	const struct lab_server *srv = lab_servers(&ns);
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < n; i++) {
			enum lab_conf_status st = lab_conf_resolver(&all[i], lab->dir, "test.",
								    &lab->cmd, lab->err,
								    sizeof lab->err);
			if (st != LAB_CONF_OK)
				fail_msg("%s: %s", all[i].name, lab->err);
			if (all[i].kind == LAB_PROXY_RESOLVER) /* this program itself */
				assert_string_equal(lab->cmd.argv[1], "lab");
			else
				assert_string_equal(lab->cmd.argv[0], lab_kind_program(all[i].kind));
			assert_string_equal(lab->cmd.addr, all[i].addr);
			lab_cmd_free(&lab->cmd);
		}
		for (size_t i = 0; i < ns; i++) {
			enum lab_conf_status st = lab_conf_nsd(&srv[i], lab->dir, &lab->cmd,
							       lab->err, sizeof lab->err);
			if (st != LAB_CONF_OK)
				fail_msg("nsd-%s: %s", srv[i].name, lab->err);
			lab_cmd_free(&lab->cmd);
		}
	}
}

/* Spare configs: every family, on the spare address, with the lab's deviations, and a
 * README with a command line for each. */
static void test_spares(void **state)
{
	struct lab *lab = *state;
	assert_int_equal(lab_conf_spares(lab->dir, "test.", "127.53.2.1", lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	char *c = slurp2(lab->dir, "spare/unbound/unbound.conf");
	assert_non_null(c);
	/* the four things a plain unbound config gets wrong in the lab */
	assert_line(c, "interface: 127.53.2.1");
	assert_line(c, "username: \"\"");
	assert_line(c, "chroot: \"\"");
	assert_line(c, "do-not-query-localhost: no");
	assert_line(c, "local-zone: \"test.\" nodefault");
	assert_line(c, "auto-trust-anchor-file: \"%s/spare/unbound/root.key\"", lab->dir);
	assert_line(c, "root-hints: \"%s/root.hints\"", lab->dir);
	free(c);
	c = slurp2(lab->dir, "spare/bind/named.conf");
	assert_non_null(c);
	assert_line(c, "listen-on port 53 { 127.53.2.1; };");
	assert_line(c, "directory \"%s/spare/bind\";", lab->dir);
	free(c);
	c = slurp2(lab->dir, "spare/pdns-recursor/recursor.conf");
	assert_non_null(c);
	assert_line(c, "local-address=127.53.2.1");
	free(c);
	assert_true(exists(lab->dir, "spare/pdns-recursor/recursor.lua"));
	c = slurp2(lab->dir, "spare/knot-resolver/kresd.conf");
	assert_non_null(c);
	assert_line(c, "net.listen('127.53.2.1', 53, { kind = 'dns' })");
	assert_line(c, "cache.open(10 * MB, 'lmdb://%s/spare/knot-resolver/cache')", lab->dir);
	free(c);
	c = slurp2(lab->dir, "spare/dnsmasq/dnsmasq.conf");
	assert_non_null(c);
	assert_line(c, "listen-address=127.53.2.1");
	assert_line(c, "server=%s@127.53.2.1", inst("unbound-novalidate")->addr);
	assert_line(c, "dnssec");
	free(c);
	c = slurp2(lab->dir, "spare/README");
	assert_non_null(c);
	assert_line(c, "trustprobe lab exec --dir %s -- /path/to/unbound -d -c %s/spare/unbound/unbound.conf",
		    lab->dir, lab->dir);
	assert_line(c, "trustprobe lab exec --dir %s -- /path/to/named -g -c %s/spare/bind/named.conf",
		    lab->dir, lab->dir);
	assert_line(c, "trustprobe lab exec --dir %s -- /path/to/pdns_recursor --config-dir=%s/spare/pdns-recursor",
		    lab->dir, lab->dir);
	assert_line(c, "trustprobe lab exec --dir %s -- /path/to/kresd -n -c %s/spare/knot-resolver/kresd.conf %s/spare/knot-resolver",
		    lab->dir, lab->dir, lab->dir);
	assert_line(c, "trustprobe lab exec --dir %s -- /path/to/dnsmasq -k --conf-file=%s/spare/dnsmasq/dnsmasq.conf",
		    lab->dir, lab->dir);
	assert_line(c, "'trustprobe lab down --dir %s' stops it with the rest of the lab.", lab->dir);
	free(c);
	/* the spare configs leave the lab's own instance directories alone */
	assert_false(exists(lab->dir, "unbound"));
	/* twice on one dir works; a bad address is refused in one line */
	assert_int_equal(lab_conf_spares(lab->dir, "test.", "127.53.2.1", lab->err, sizeof lab->err),
			 LAB_CONF_OK);
	assert_int_equal(lab_conf_spares(lab->dir, "test.", "nonsense", lab->err, sizeof lab->err),
			 LAB_CONF_ERR_PLAN);
	assert_null(strchr(lab->err, '\n'));
}

static void test_cmd_free(void **state)
{
	(void)state;
	struct lab_cmd cmd;
	memset(&cmd, 0, sizeof cmd);
	lab_cmd_free(&cmd);
	cmd.argv[0] = strdup("x");
	cmd.argv[1] = strdup("y");
	lab_cmd_free(&cmd);
	assert_null(cmd.argv[0]);
	assert_null(cmd.argv[1]);
	lab_cmd_free(&cmd);
	lab_cmd_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unbound_validating, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unbound_novalidate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kresd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dnsmasq_validating, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dnsmasq_proxy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_liar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forwarder_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fwd_unbound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fwd_bind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fwd_pdns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fwd_dnsmasq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nsd_roles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nsd_missing_zone_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nsd_malformed_zones_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_ds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_ds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ds_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_inputs_per_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_upstream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_lab_zone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_plan_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roll_controls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rehearsal_timers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spares, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misconfig_one_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misconfig_plan, setup, teardown),
		cmocka_unit_test(test_cmd_free),
	};
	return cmocka_run_group_tests_name("lab_conf", tests, NULL, NULL);
}
