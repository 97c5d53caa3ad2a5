/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_conf: one config writer per lab daemon. Each writer checks the signer outputs it
 * needs first (LAB_CONF_ERR_INPUT), then creates D/log and D/<name>/, clears the state a
 * previous run of the same lab dir left there, writes the config and fills the lab_cmd.
 *
 * Every line that differs from what Debian 12 ships (the package's config files, its
 * systemd unit, the program's compiled-in defaults) carries a comment saying why the lab
 * needs it. Three reasons come back again and again and are called by name below:
 *   [netns]   the daemon runs as uid 0 of a user namespace that maps a single uid, so it
 *             cannot change user or group, and /run, /var and /etc are not its own: every
 *             file it writes lives under D/<name>/.
 *   [offline] nothing may reach an address outside the lab: no real root servers, no
 *             anchor bootstrap over HTTPS, no security polling, no forwarding outside.
 *   [lab127]  the lab's authoritative servers live in 127.53.0.0/24, an address range
 *             most resolvers refuse to query by default.
 *   [whose]   queries leave from the instance's own address. Debian leaves the source to
 *             the kernel, which on the lab's loopback picks the address queried, the same
 *             for every resolver; with its own source address each resolver's queries can
 *             be told apart: the attacker proxy's log (D/log/proxy.log) says to which
 *             resolver it sent each forgery, the liar's (D/log/liar.log) which forwarder
 *             it relayed each lie to, and the root's side whose RFC 8145 signal it sees.
 * Everything not mentioned stays at the packaged default: the lab judges the resolvers as
 * people run them. */
#include "lab_conf.h"
#include "tp_util.h"
#include "lab_shipped.h"
#include "lab_which.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATHLEN 4096
#define INPUT_MAX (64 * 1024) /* signer outputs are a few lines; anything bigger is wrong */

static enum lab_conf_status fail(char *err, size_t errlen, enum lab_conf_status st,
				 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum lab_conf_status fail(char *err, size_t errlen, enum lab_conf_status st,
				 const char *fmt, ...)
{
	if (err && errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
		/* one line, whatever strerror or a file name brought in */
		for (char *p = err; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
	}
	return st;
}

/* out = dir "/" rel; 0 on success, -1 if it does not fit. */
static int join(char *out, size_t n, const char *dir, const char *rel)
{
	int k = snprintf(out, n, "%s/%s", dir, rel);
	return (k < 0 || (size_t)k >= n) ? -1 : 0;
}

/* Characters a path may hold so that it can be written, unescaped, inside the quoted
 * strings of every config syntax used here (unbound, named, nsd, Lua, pdns, dnsmasq). */
static int path_is_quotable(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x21 || c == 0x7f || c == '"' || c == '\'' || c == '\\' || c == '#' ||
		    c == ';' || c == '{' || c == '}')
			return 0;
	}
	return 1;
}

/* A domain name in presentation form made of LDH labels and underscores. */
static int name_is_plain(const char *s)
{
	if (strcmp(s, ".") == 0)
		return 1;
	if (!*s || *s == '.' || strstr(s, ".."))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return 0;
	return 1;
}

static int addr_is_ipv4(const char *s)
{
	struct in_addr a;
	return s && inet_pton(AF_INET, s, &a) == 1;
}

static enum lab_conf_status check_dir(const char *dir, char *err, size_t errlen)
{
	if (!dir || dir[0] != '/')
		return fail(err, errlen, LAB_CONF_ERR_IO, "lab dir %s is not an absolute path",
			    dir ? dir : "(null)");
	if (!path_is_quotable(dir))
		return fail(err, errlen, LAB_CONF_ERR_IO,
			    "lab dir %s holds a character the daemon configs cannot quote", dir);
	if (strlen(dir) > PATHLEN - 128)
		return fail(err, errlen, LAB_CONF_ERR_IO, "lab dir %s is too long", dir);
	return LAB_CONF_OK;
}

/* Reads the whole of D/rel into a NUL-terminated malloc'd buffer (*out, caller frees). */
static enum lab_conf_status read_input(const char *dir, const char *rel, char **out,
				       char *err, size_t errlen)
{
	char path[PATHLEN];
	*out = NULL;
	if (join(path, sizeof path, dir, rel) < 0)
		return fail(err, errlen, LAB_CONF_ERR_INPUT, "%s/%s: path too long", dir, rel);
	size_t n;
	char *buf = tp_read_file(path, INPUT_MAX, &n);
	if (!buf && errno == ENOMEM)
		return fail(err, errlen, LAB_CONF_ERR_IO, "out of memory reading %s", path);
	if (!buf && errno == EFBIG)
		return fail(err, errlen, LAB_CONF_ERR_INPUT, "%s: not a small text file", path);
	if (!buf)
		return fail(err, errlen, LAB_CONF_ERR_INPUT, "cannot read %s: %s", path,
			    tp_read_strerror(errno));
	if (memchr(buf, '\0', n)) {
		free(buf);
		return fail(err, errlen, LAB_CONF_ERR_INPUT, "%s: not a small text file", path);
	}
	*out = buf;
	return LAB_CONF_OK;
}

/* Fails unless D/rel is a readable regular file. */
static enum lab_conf_status need_input(const char *dir, const char *rel, char *err,
				       size_t errlen)
{
	char path[PATHLEN];
	struct stat st;
	if (join(path, sizeof path, dir, rel) < 0)
		return fail(err, errlen, LAB_CONF_ERR_INPUT, "%s/%s: path too long", dir, rel);
	if (stat(path, &st) != 0)
		return fail(err, errlen, LAB_CONF_ERR_INPUT, "cannot read %s: %s", path,
			    strerror(errno));
	if (!S_ISREG(st.st_mode) || access(path, R_OK) != 0)
		return fail(err, errlen, LAB_CONF_ERR_INPUT, "cannot read %s: not a readable file",
			    path);
	return LAB_CONF_OK;
}

static enum lab_conf_status make_dir(const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (mkdir(path, 0755) == 0)
		return LAB_CONF_OK;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return LAB_CONF_OK;
	if (errno == EEXIST)
		errno = ENOTDIR;
	return fail(err, errlen, LAB_CONF_ERR_IO, "cannot create directory %s: %s", path,
		    strerror(errno));
}

/* Removes D/<name>/rel if present: state from an earlier run of the same lab dir (whose
 * keys the signer has since replaced) must not leak into this one. */
static enum lab_conf_status drop_state(const struct lab_cmd *cmd, const char *rel,
				       char *err, size_t errlen)
{
	char path[PATHLEN];
	if (join(path, sizeof path, cmd->workdir, rel) < 0)
		return fail(err, errlen, LAB_CONF_ERR_IO, "%s/%s: path too long", cmd->workdir,
			    rel);
	if (unlink(path) != 0 && errno != ENOENT)
		return fail(err, errlen, LAB_CONF_ERR_IO, "cannot remove stale %s: %s", path,
			    strerror(errno));
	return LAB_CONF_OK;
}

/* An output file being written; out.f is NULL once closed. */
struct out {
	FILE *f;
	char path[PATHLEN];
};

static enum lab_conf_status out_open(struct out *o, const struct lab_cmd *cmd, const char *rel,
				     char *err, size_t errlen)
{
	o->f = NULL;
	if (join(o->path, sizeof o->path, cmd->workdir, rel) < 0)
		return fail(err, errlen, LAB_CONF_ERR_IO, "%s/%s: path too long", cmd->workdir,
			    rel);
	o->f = fopen(o->path, "w");
	if (!o->f)
		return fail(err, errlen, LAB_CONF_ERR_IO, "cannot write %s: %s", o->path,
			    strerror(errno));
	return LAB_CONF_OK;
}

static void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

/* Closes o and reports any write error seen since out_open. */
static enum lab_conf_status out_close(struct out *o, char *err, size_t errlen)
{
	int bad = ferror(o->f);
	int e = errno;
	if (fclose(o->f) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	o->f = NULL;
	if (bad)
		return fail(err, errlen, LAB_CONF_ERR_IO, "cannot write %s: %s", o->path,
			    strerror(e));
	return LAB_CONF_OK;
}

static enum lab_conf_status write_file(const struct lab_cmd *cmd, const char *rel,
				       const char *text, char *err, size_t errlen)
{
	struct out o;
	enum lab_conf_status st = out_open(&o, cmd, rel, err, errlen);
	if (st != LAB_CONF_OK)
		return st;
	fputs(text, o.f);
	return out_close(&o, err, errlen);
}

/* Fills the fixed fields of cmd and creates D/log and D/<name>. */
static enum lab_conf_status cmd_start(struct lab_cmd *cmd, const char *name, const char *addr,
				      const char *dir, char *err, size_t errlen)
{
	char logdir[PATHLEN];
	enum lab_conf_status st;
	int k;

	if (strlen(name) >= sizeof cmd->name)
		return fail(err, errlen, LAB_CONF_ERR_PLAN, "instance name %s is too long", name);
	if (strlen(addr) >= sizeof cmd->addr)
		return fail(err, errlen, LAB_CONF_ERR_PLAN, "address %s is too long", addr);
	snprintf(cmd->name, sizeof cmd->name, "%s", name);
	snprintf(cmd->addr, sizeof cmd->addr, "%s", addr);
	k = snprintf(cmd->log, sizeof cmd->log, "%s/log/%s.log", dir, name);
	if (k < 0 || (size_t)k >= sizeof cmd->log || join(cmd->workdir, sizeof cmd->workdir,
							  dir, name) < 0 ||
	    join(logdir, sizeof logdir, dir, "log") < 0)
		return fail(err, errlen, LAB_CONF_ERR_IO, "paths under %s are too long", dir);
	/* a spare config ("spare/unbound") logs to D/log/spare-unbound.log */
	for (char *p = cmd->log + strlen(dir) + 5; *p; p++)
		if (*p == '/')
			*p = '-';
	if ((st = make_dir(logdir, err, errlen)) != LAB_CONF_OK)
		return st;
	return make_dir(cmd->workdir, err, errlen);
}

static enum lab_conf_status cmd_config(struct lab_cmd *cmd, const char *rel, char *err,
				       size_t errlen)
{
	if (join(cmd->config, sizeof cmd->config, cmd->workdir, rel) < 0)
		return fail(err, errlen, LAB_CONF_ERR_IO, "%s/%s: path too long", cmd->workdir,
			    rel);
	return LAB_CONF_OK;
}

/* Sets cmd->argv from a NULL-terminated list of strings (copied). */
static enum lab_conf_status cmd_argv(struct lab_cmd *cmd, char *err, size_t errlen, ...)
{
	va_list ap;
	size_t i = 0;
	const char *a;
	va_start(ap, errlen);
	while ((a = va_arg(ap, const char *)) != NULL) {
		if (i >= LAB_CMD_MAXARGS || !(cmd->argv[i] = strdup(a))) {
			va_end(ap);
			lab_cmd_free(cmd);
			return fail(err, errlen, LAB_CONF_ERR_IO, "cannot build the command of %s",
				    cmd->name);
		}
		i++;
	}
	va_end(ap);
	cmd->argv[i] = NULL;
	return LAB_CONF_OK;
}

/* Copies the signer's DNSKEY anchor (D/ta/root.dnskey) to D/<name>/rel, where the
 * resolver may rewrite it (RFC 5011 state). *text is the content read earlier. */
static enum lab_conf_status copy_anchor(const struct lab_cmd *cmd, const char *rel,
					const char *text, char *err, size_t errlen)
{
	return write_file(cmd, rel, text, err, errlen);
}

/* Reads D/ta/root.dnskey and checks that it holds a DNSKEY record. */
static enum lab_conf_status read_dnskey(const char *dir, char **text, char *err, size_t errlen)
{
	enum lab_conf_status st = read_input(dir, "ta/root.dnskey", text, err, errlen);
	if (st != LAB_CONF_OK)
		return st;
	if (!strstr(*text, "DNSKEY")) {
		free(*text);
		*text = NULL;
		return fail(err, errlen, LAB_CONF_ERR_INPUT, "%s/ta/root.dnskey: no DNSKEY record",
			    dir);
	}
	return LAB_CONF_OK;
}

/* Parses one DS RR line ("owner [ttl] [class] DS tag alg type HEX...", the digest maybe
 * split into several tokens) into rdata ("tag alg TYPE HEX"). 1 if it is one, 0 if the
 * line holds no DS, -1 if it holds a malformed one. */
static int parse_ds_line(char *line, char *rdata, size_t n)
{
	char *save = NULL, *tok;
	line[strcspn(line, ";")] = '\0'; /* comment */
	for (tok = strtok_r(line, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save))
		if (strcmp(tok, "DS") == 0)
			break;
	if (!tok)
		return 0;
	const char *f[3];
	for (int i = 0; i < 3; i++) {
		f[i] = strtok_r(NULL, " \t\r", &save);
		if (!f[i] || strspn(f[i], "0123456789") != strlen(f[i]))
			return -1;
	}
	int k = snprintf(rdata, n, "%s %s %s ", f[0], f[1], f[2]);
	if (k < 0 || (size_t)k >= n)
		return -1;
	size_t len = (size_t)k, start = len;
	while ((tok = strtok_r(NULL, " \t\r", &save)) != NULL)
		for (const char *p = tok; *p; p++) {
			if (!isxdigit((unsigned char)*p) || len + 1 >= n)
				return -1;
			rdata[len++] = (char)toupper((unsigned char)*p);
		}
	rdata[len] = '\0';
	return len > start ? 1 : -1;
}

/* Reads the (first) DS RR of D/ta/root.ds into rdata, see parse_ds_line. */
static enum lab_conf_status read_ds_rdata(const char *dir, char *rdata, size_t n, char *err,
					  size_t errlen)
{
	char *text, *save = NULL;
	enum lab_conf_status st = read_input(dir, "ta/root.ds", &text, err, errlen);
	if (st != LAB_CONF_OK)
		return st;
	int r = 0;
	for (char *l = strtok_r(text, "\n", &save); l && r == 0; l = strtok_r(NULL, "\n", &save))
		r = parse_ds_line(l, rdata, n);
	free(text);
	if (r != 1)
		return fail(err, errlen, LAB_CONF_ERR_INPUT, "%s/ta/root.ds: no well-formed DS record",
			    dir);
	return LAB_CONF_OK;
}

/* Reads the "trust-anchor=..." line of D/ta/dnsmasq.conf into line. */
static enum lab_conf_status read_dnsmasq_anchor(const char *dir, char *line, size_t n,
						char *err, size_t errlen)
{
	char *text, *save = NULL;
	enum lab_conf_status st = read_input(dir, "ta/dnsmasq.conf", &text, err, errlen);
	if (st != LAB_CONF_OK)
		return st;
	int found = 0;
	for (char *l = strtok_r(text, "\r\n", &save); l && !found;
	     l = strtok_r(NULL, "\r\n", &save)) {
		while (*l == ' ' || *l == '\t')
			l++;
		if (strncmp(l, "trust-anchor=", 13) != 0)
			continue;
		size_t k = strcspn(l, " \t");
		int ok = k < n && l[k + strspn(l + k, " \t")] == '\0';
		for (size_t i = 13; ok && i < k; i++)
			ok = isalnum((unsigned char)l[i]) || l[i] == '.' || l[i] == ',' ||
			     l[i] == '-' || l[i] == '_';
		if (ok) {
			memcpy(line, l, k);
			line[k] = '\0';
			found = 1;
		}
	}
	free(text);
	if (!found)
		return fail(err, errlen, LAB_CONF_ERR_INPUT,
			    "%s/ta/dnsmasq.conf: no well-formed trust-anchor= line", dir);
	return LAB_CONF_OK;
}

/* lab_zone with a final dot, checked to be a plain name (it goes into configs). */
static enum lab_conf_status zone_fqdn(const char *lab_zone, char *out, size_t n, char *err,
				      size_t errlen)
{
	size_t len = lab_zone ? strlen(lab_zone) : 0;
	if (!lab_zone || !name_is_plain(lab_zone) || strcmp(lab_zone, ".") == 0 || len + 2 > n)
		return fail(err, errlen, LAB_CONF_ERR_INPUT, "lab zone %s is not a plain domain name",
			    lab_zone ? lab_zone : "(null)");
	snprintf(out, n, "%s%s", lab_zone, lab_zone[len - 1] == '.' ? "" : ".");
	return LAB_CONF_OK;
}

/* The lab instance inst forwards to (its upstream): another instance of the plan, with an
 * IPv4 address. NULL with one line in err when it names none. */
static const struct lab_instance *upstream_of(const struct lab_instance *inst, char *err,
					      size_t errlen)
{
	const struct lab_instance *up = inst->upstream ? lab_instance_find(inst->upstream) : NULL;
	if (!up || !addr_is_ipv4(up->addr) || up == inst ||
	    strcmp(up->name, inst->name) == 0) {
		fail(err, errlen, LAB_CONF_ERR_PLAN,
		     "instance %s: upstream %s is not a lab resolver instance", inst->name,
		     inst->upstream ? inst->upstream : "(none)");
		return NULL;
	}
	return up;
}

/* ---- misconfiguration instances (issue 10) ------------------------------------------ */

/* Debian's own root anchors: the real root's KSKs, which do not sign the lab root. A
 * misconfiguration instance with LAB_FAULT_DISTRO_ANCHOR keeps the one its family ships
 * instead of the lab's. */
#define DEBIAN_ROOT_KEY "/usr/share/dns/root.key"                   /* dns-root-data */
#define DEBIAN_DNSMASQ_TA "/usr/share/dnsmasq-base/trust-anchors.conf" /* dnsmasq-base */
#define DEBIAN_PDNS_ROOTKEYS "/usr/share/pdns-recursor/lua-config/rootkeys.lua"

/* 1 when the family of kind has a form of fault (the "one change" of lab_plan.h). None
 * for BIND's clock: libfaketime hangs at start next to jemalloc, which named and kresd
 * link (libfaketime issues 130, 327, 478), and datefudge leaves CLOCK_REALTIME_COARSE,
 * which named's isc_stdtime_get reads (lib/isc/stdtime.c), alone. No permissive mode in
 * BIND, PowerDNS Recursor (dnssec=log-fail answers clients as process does, its docs) or
 * kresd; accept-expired is BIND's alone. */
static int fault_applies(enum lab_kind kind, enum lab_fault fault)
{
	switch (fault) {
	case LAB_FAULT_NONE: return 1;
	case LAB_FAULT_NO_VALIDATION:
		return kind == LAB_BIND || kind == LAB_PDNS_RECURSOR || kind == LAB_KNOT_RESOLVER ||
		       kind == LAB_DNSMASQ;
	case LAB_FAULT_PERMISSIVE: return kind == LAB_UNBOUND || kind == LAB_DNSMASQ;
	case LAB_FAULT_ACCEPT_EXPIRED: return kind == LAB_BIND;
	case LAB_FAULT_DISTRO_ANCHOR: return kind != LAB_PROXY_RESOLVER;
	case LAB_FAULT_CLOCK:
		return kind == LAB_UNBOUND || kind == LAB_PDNS_RECURSOR ||
		       kind == LAB_KNOT_RESOLVER || kind == LAB_DNSMASQ;
	}
	return 0;
}

/* Checks that inst's fault is one its family has and that it starts from a validating
 * config. */
static enum lab_conf_status check_fault(const struct lab_instance *inst, char *err,
					size_t errlen)
{
	if (inst->fault == LAB_FAULT_NONE)
		return LAB_CONF_OK;
	if (!fault_applies(inst->kind, inst->fault) || !inst->validate)
		return fail(err, errlen, LAB_CONF_ERR_PLAN,
			    "instance %s: the lab has no such misconfiguration of %s", inst->name,
			    lab_kind_program(inst->kind));
	if (inst->fault == LAB_FAULT_CLOCK &&
	    (inst->clock_days == 0 || inst->clock_days > 366 || inst->clock_days < -366 ||
	     (inst->kind == LAB_PDNS_RECURSOR && inst->clock_days > 0)))
		/* PowerDNS Recursor with its clock ahead drops every query as "too old": it
		 * compares its clock with the kernel's receive timestamp of the packet
		 * (SO_TIMESTAMP), which no preload library shifts (metric too-old-drops) */
		return fail(err, errlen, LAB_CONF_ERR_PLAN,
			    "instance %s: no clock offset of %d days in the lab", inst->name,
			    inst->clock_days);
	return LAB_CONF_OK;
}

/* LAB_FAULT_CLOCK: datefudge (Debian package datefudge) in the daemon's environment, so
 * that its time(), gettimeofday() and clock_gettime(CLOCK_REALTIME) run clock_days off;
 * the config itself is unchanged. DATEFUDGE is the seconds to subtract from the clock. */
static enum lab_conf_status clock_env(const struct lab_instance *inst, struct lab_cmd *cmd,
				      char *err, size_t errlen)
{
	glob_t g;
	char pre[PATHLEN + 16], off[64];
	if (glob("/usr/lib/*/datefudge/datefudge.so", 0, NULL, &g) != 0 || g.gl_pathc == 0) {
		globfree(&g);
		return fail(err, errlen, LAB_CONF_ERR_INPUT,
			    "instance %s: datefudge.so not found: apt-get install datefudge",
			    inst->name);
	}
	snprintf(pre, sizeof pre, "LD_PRELOAD=%s", g.gl_pathv[0]);
	globfree(&g);
	snprintf(off, sizeof off, "DATEFUDGE=%lld", -(long long)inst->clock_days * 86400);
	if (!(cmd->env[0] = strdup(pre)) || !(cmd->env[1] = strdup(off)))
		return fail(err, errlen, LAB_CONF_ERR_IO, "out of memory");
	return LAB_CONF_OK;
}

/* The comment line that names the one change, at the top of a misconfigured config. */
static void fault_comment(struct out *o, const struct lab_instance *inst, const char *lead)
{
	if (inst->fault == LAB_FAULT_CLOCK)
		out_printf(o, "%s misconfigured (issue 10): the config is the lab's; the daemon runs "
			   "under datefudge with its clock %d days %s\n", lead,
			   inst->clock_days > 0 ? inst->clock_days : -inst->clock_days,
			   inst->clock_days > 0 ? "ahead" : "behind");
	else if (inst->fault != LAB_FAULT_NONE)
		out_printf(o, "%s misconfigured (issue 10): the lab's config with the one change "
			   "marked 'misconfigured' below\n", lead);
}

/* ---- unbound ------------------------------------------------------------------------ */

static enum lab_conf_status conf_unbound(const struct lab_instance *inst, const char *dir,
					 const char *zone, const struct lab_conf_opts *co,
					 struct lab_cmd *cmd, char *err, size_t errlen)
{
	char *dnskey = NULL;
	const struct lab_instance *up = NULL;
	if (inst->upstream && !(up = upstream_of(inst, err, errlen)))
		return LAB_CONF_ERR_PLAN;
	enum lab_conf_status st = need_input(dir, "root.hints", err, errlen);
	if (st == LAB_CONF_OK && inst->validate)
		st = read_dnskey(dir, &dnskey, err, errlen);
	if (st == LAB_CONF_OK && inst->fault == LAB_FAULT_DISTRO_ANCHOR) {
		/* misconfigured: the RFC 5011 file seeded as Debian seeds it, from dns-root-data
		 * (the real root's KSKs), not with the lab's root KSK */
		free(dnskey);
		st = read_input("/usr/share/dns", "root.key", &dnskey, err, errlen);
	}
	if (st == LAB_CONF_OK && inst->anchor == LAB_TA_STATIC_BOTH) {
		/* the control that trusts both KSKs: one file with both DNSKEY lines */
		char *next = NULL;
		st = read_input(dir, "ta/root-next.dnskey", &next, err, errlen);
		char *both = st == LAB_CONF_OK ? malloc(strlen(dnskey) + strlen(next) + 2) : NULL;
		if (st == LAB_CONF_OK && !both)
			st = fail(err, errlen, LAB_CONF_ERR_IO, "out of memory");
		if (both) {
			size_t k = strlen(dnskey);
			memcpy(both, dnskey, k);
			if (k && both[k - 1] != '\n')
				both[k++] = '\n';
			strcpy(both + k, next);
			free(dnskey);
			dnskey = both;
		}
		free(next);
	}
	if (st == LAB_CONF_OK)
		st = cmd_start(cmd, inst->name, inst->addr, dir, err, errlen);
	if (st == LAB_CONF_OK)
		st = cmd_config(cmd, "unbound.conf", err, errlen);
	if (st == LAB_CONF_OK && inst->validate)
		st = copy_anchor(cmd, "root.key", dnskey, err, errlen);
	free(dnskey);
	if (st != LAB_CONF_OK)
		return st;

	struct out o;
	if ((st = out_open(&o, cmd, "unbound.conf", err, errlen)) != LAB_CONF_OK)
		return st;
	out_printf(&o, "# lab instance %s: %s\n", inst->name, inst->note ? inst->note : "");
	fault_comment(&o, inst, "#");
	out_printf(&o, "server:\n");
	/* Debian: 127.0.0.1 and ::1 by default; the lab gives each resolver its own address. */
	out_printf(&o, "\tinterface: %s\n", inst->addr);
	out_printf(&o, "\tport: 53\n"); /* the default, stated because the probe relies on it */
	/* [netns] Debian: username "unbound". */
	out_printf(&o, "\tusername: \"\"\n");
	/* Debian builds --with-chroot-dir= (none) already; stated so no build can chroot. */
	out_printf(&o, "\tchroot: \"\"\n");
	/* [netns] Debian: directory /etc/unbound, pidfile /run/unbound.pid. */
	out_printf(&o, "\tdirectory: \"%s\"\n", cmd->workdir);
	out_printf(&o, "\tpidfile: \"%s/unbound.pid\"\n", cmd->workdir);
	/* Debian logs to syslog; the lab keeps each daemon's stderr in D/log/<name>.log. */
	out_printf(&o, "\tuse-syslog: no\n");
	out_printf(&o, "\tlogfile: \"\"\n");
	/* [lab127] unbound never queries 127/8 unless told to. */
	out_printf(&o, "\tdo-not-query-localhost: no\n");
	/* [offline] Debian: compiled-in hints of the real root servers. */
	out_printf(&o, "\troot-hints: \"%s/root.hints\"\n", dir);
	/* [whose] Debian: the kernel's choice of source address. */
	out_printf(&o, "\toutgoing-interface: %s\n", inst->addr);
	if (inst->validate && inst->anchor != LAB_TA_DEFAULT) {
		/* A control of the roll rehearsal: a static anchor (trust-anchor-file), which
		 * unbound never updates by RFC 5011 (unbound.conf(5)): the current KSK alone,
		 * or both KSKs. */
		out_printf(&o, "\ttrust-anchor-file: \"%s/root.key\"\n", cmd->workdir);
	} else if (inst->validate) {
		/* Debian: auto-trust-anchor-file /var/lib/unbound/root.key (RFC 5011), seeded
		 * from the real root key. Same mechanism, seeded with the lab's root KSK, in a
		 * writable copy so that unbound can keep its RFC 5011 state there. */
		out_printf(&o, "\tauto-trust-anchor-file: \"%s/root.key\"\n", cmd->workdir);
		if (inst->fault == LAB_FAULT_DISTRO_ANCHOR)
			out_printf(&o, "\t# misconfigured: root.key above is a copy of Debian's "
				   "%s (the real root's KSKs), not the lab's root KSK\n",
				   DEBIAN_ROOT_KEY);
		if (inst->fault == LAB_FAULT_PERMISSIVE)
			/* misconfigured: bogus data is answered, with AD clear, instead of SERVFAIL
			 * (unbound.conf(5): val-permissive-mode, default no) */
			out_printf(&o, "\t# misconfigured: permissive mode\n"
				   "\tval-permissive-mode: yes\n");
		if (co && co->holddown) {
			/* Rehearsal only ('trustprobe lab roll', not the everyday lab): RFC 5011
			 * time compressed. Debian/RFC defaults: add-holddown and del-holddown 30
			 * days, keep-missing 366 days, and a probe interval of at least an hour;
			 * permit-small-holddown ("debug option", unbound.conf(5)) lets the timers
			 * and the probe interval (half the root DNSKEY TTL, short in the
			 * rehearsal) go down to seconds. */
			out_printf(&o, "\t# rehearsal only ('trustprobe lab roll'): RFC 5011 timers "
				   "compressed to seconds, not Debian's defaults\n");
			out_printf(&o, "\tpermit-small-holddown: yes\n");
			out_printf(&o, "\tadd-holddown: %u\n", co->holddown);
			out_printf(&o, "\tdel-holddown: %u\n", co->holddown);
			out_printf(&o, "\tkeep-missing: %u\n", co->holddown);
		}
	} else
		/* The control instance: iterator only, so that it never validates and never
		 * sets AD (Debian: "subnetcache validator iterator"). */
		out_printf(&o, "\tmodule-config: \"iterator\"\n");
	/* The lab TLD is served by the lab's own servers; "test." is one of unbound's
	 * default local zones (RFC 6761), which would answer NXDOMAIN itself. */
	out_printf(&o, "\tlocal-zone: \"%s\" nodefault\n", zone);
	if (up)
		/* A forwarder of the lab (Debian: none; unbound iterates from the root): every
		 * query goes to the lab instance up. unbound still validates what comes back
		 * against its own anchor (above); do-not-query-localhost: no covers the
		 * forwarder's 127/8 address too [lab127]. */
		out_printf(&o, "forward-zone:\n\tname: \".\"\n\tforward-addr: %s\n", up->addr);
	/* Debian: control-enable yes on /run/unbound.ctl. The lab never uses
	 * unbound-control, and /run is not the lab's [netns]. */
	out_printf(&o, "remote-control:\n\tcontrol-enable: no\n");
	if ((st = out_close(&o, err, errlen)) != LAB_CONF_OK)
		return st;
	/* -d: foreground, as Debian's unit runs it (without -p the pid file goes to D). */
	return cmd_argv(cmd, err, errlen, "unbound", "-d", "-c", cmd->config, (char *)NULL);
}

/* ---- BIND named --------------------------------------------------------------------- */

static enum lab_conf_status conf_bind(const struct lab_instance *inst, const char *dir,
				      const struct lab_conf_opts *co, struct lab_cmd *cmd, char *err,
				      size_t errlen)
{
	enum lab_conf_status st;
	const struct lab_instance *up = NULL;
	if (!inst->validate)
		return fail(err, errlen, LAB_CONF_ERR_PLAN,
			    "instance %s: the lab has no non-validating named configuration",
			    inst->name);
	if (inst->upstream && !(up = upstream_of(inst, err, errlen)))
		return LAB_CONF_ERR_PLAN;
	if ((st = need_input(dir, "root.hints", err, errlen)) != LAB_CONF_OK ||
	    (st = need_input(dir, "ta/bind.conf", err, errlen)) != LAB_CONF_OK ||
	    (st = cmd_start(cmd, inst->name, inst->addr, dir, err, errlen)) != LAB_CONF_OK ||
	    (st = cmd_config(cmd, "named.conf", err, errlen)) != LAB_CONF_OK)
		return st;
	/* The RFC 5011 database of an earlier run holds keys the signer has replaced, and
	 * named ignores initial-key for a name its database already knows. */
	if ((st = drop_state(cmd, "managed-keys.bind", err, errlen)) != LAB_CONF_OK ||
	    (st = drop_state(cmd, "managed-keys.bind.jnl", err, errlen)) != LAB_CONF_OK ||
	    (st = drop_state(cmd, "named.pid", err, errlen)) != LAB_CONF_OK)
		return st;

	struct out o;
	if ((st = out_open(&o, cmd, "named.conf", err, errlen)) != LAB_CONF_OK)
		return st;
	out_printf(&o, "// lab instance %s: %s\n", inst->name, inst->note ? inst->note : "");
	fault_comment(&o, inst, "//");
	out_printf(&o, "options {\n");
	/* [netns] Debian: directory /var/cache/bind, pid file /run/named/named.pid, session
	 * key /run/named/session.key, managed keys in the working directory. */
	out_printf(&o, "\tdirectory \"%s\";\n", cmd->workdir);
	out_printf(&o, "\tpid-file \"%s/named.pid\";\n", cmd->workdir);
	out_printf(&o, "\tsession-keyfile \"%s/session.key\";\n", cmd->workdir);
	out_printf(&o, "\tmanaged-keys-directory \"%s\";\n", cmd->workdir);
	/* Debian: every interface. The lab gives each resolver its own address. */
	out_printf(&o, "\tlisten-on port 53 { %s; };\n", inst->addr);
	/* Debian: listen-on-v6 { any; }. The lab is IPv4 only. */
	out_printf(&o, "\tlisten-on-v6 { none; };\n");
	out_printf(&o, "\trecursion yes;\n"); /* the default, stated: the lab needs it */
	/* Debian: "dnssec-validation auto", i.e. RFC 5011 managed keys seeded with the
	 * real root key built into named. "yes" with the initial-key included below is the
	 * same RFC 5011 mechanism seeded with the lab's root KSK [offline]. */
	if (inst->fault == LAB_FAULT_NO_VALIDATION)
		out_printf(&o, "\t// misconfigured: validation off\n\tdnssec-validation no;\n");
	else if (inst->fault == LAB_FAULT_DISTRO_ANCHOR)
		/* Debian's named.conf.options line: the root key built into named (bind.keys),
		 * the real root's, and no lab anchor included below */
		out_printf(&o, "\t// misconfigured: Debian's default, named's built-in real root "
			   "key instead of the lab's\n\tdnssec-validation auto;\n");
	else
		out_printf(&o, "\tdnssec-validation yes;\n");
	if (inst->fault == LAB_FAULT_ACCEPT_EXPIRED)
		/* named.conf(5): accept expired signatures (default no) */
		out_printf(&o, "\t// misconfigured: expired signatures accepted\n"
			   "\tdnssec-accept-expired yes;\n");
	if (up) {
		/* A forwarder of the lab (Debian: none; named iterates from the root): every
		 * query goes to the lab instance up and only there ("forward only": no
		 * iteration when it fails). named still validates what comes back against
		 * the anchor included below. */
		out_printf(&o, "\tforwarders { %s; };\n", up->addr);
		out_printf(&o, "\tforward only;\n");
	}
	/* [whose] Debian: the kernel's choice of source address. */
	out_printf(&o, "\tquery-source address %s;\n", inst->addr);
	out_printf(&o, "};\n");
	if (co && co->holddown)
		out_printf(&o, "// rehearsal only ('trustprobe lab roll'): named runs with -T "
			   "mkeytimers=1/2/%u -T tat=2, RFC 5011 timers compressed to seconds, not "
			   "Debian's defaults\n", co->holddown);
	if (inst->fault != LAB_FAULT_DISTRO_ANCHOR)
		out_printf(&o, "include \"%s/ta/bind.conf\";\n", dir);
	/* [offline] Debian: hint zone from /usr/share/dns/root.hints (the real root).
	 * Debian's other default zones (localhost, 127, 0, 255) are left out: the lab
	 * does not query them and they live in /etc/bind. */
	out_printf(&o, "zone \".\" { type hint; file \"%s/root.hints\"; };\n", dir);
	/* Debian: rndc on 127.0.0.1 with /etc/bind/rndc.key. The lab never uses rndc. */
	out_printf(&o, "controls { };\n");
	/* Logging: "named -g" sends every log message to stderr (Debian: syslog via -f). */
	if ((st = out_close(&o, err, errlen)) != LAB_CONF_OK)
		return st;
	/* -g: foreground with logging to stderr. No "-u bind" [netns]. */
	if (co && co->holddown) {
		/* Rehearsal only ('trustprobe lab roll', not the everyday lab): named's test
		 * option -T mkeytimers=HOUR/DAY/MONTH (bin/named/main.c, used by BIND's own
		 * mkeys system test) sets the units of its RFC 5011 timers in seconds: the
		 * shortest refresh is an "hour", the longest a "day", and the add and remove
		 * hold-downs a "month" (lib/dns/zone.c). -T tat=N sends the RFC 8145 trust
		 * anchor telemetry every N seconds instead of daily. */
		char mk[64];
		snprintf(mk, sizeof mk, "mkeytimers=1/2/%u", co->holddown);
		return cmd_argv(cmd, err, errlen, "named", "-g", "-c", cmd->config, "-T", mk,
				"-T", "tat=2", (char *)NULL);
	}
	return cmd_argv(cmd, err, errlen, "named", "-g", "-c", cmd->config, (char *)NULL);
}

/* ---- PowerDNS Recursor -------------------------------------------------------------- */

static enum lab_conf_status conf_pdns(const struct lab_instance *inst, const char *dir,
				      struct lab_cmd *cmd, char *err, size_t errlen)
{
	char ds[1024];
	enum lab_conf_status st;
	const struct lab_instance *up = NULL;
	if (!inst->validate)
		return fail(err, errlen, LAB_CONF_ERR_PLAN,
			    "instance %s: the lab has no non-validating pdns_recursor configuration",
			    inst->name);
	if (inst->upstream && !(up = upstream_of(inst, err, errlen)))
		return LAB_CONF_ERR_PLAN;
	if ((st = need_input(dir, "root.hints", err, errlen)) != LAB_CONF_OK ||
	    (st = read_ds_rdata(dir, ds, sizeof ds, err, errlen)) != LAB_CONF_OK ||
	    (st = cmd_start(cmd, inst->name, inst->addr, dir, err, errlen)) != LAB_CONF_OK ||
	    (st = cmd_config(cmd, "recursor.conf", err, errlen)) != LAB_CONF_OK ||
	    (st = drop_state(cmd, "pdns_recursor.controlsocket", err, errlen)) != LAB_CONF_OK)
		return st;
	if (inst->fault == LAB_FAULT_DISTRO_ANCHOR &&
	    ((st = need_input("/usr/share/pdns-recursor", "lua-config/rootkeys.lua", err,
			      errlen)) != LAB_CONF_OK ||
	     (st = need_input("/usr/share/dns", "root.key", err, errlen)) != LAB_CONF_OK))
		return st;

	struct out o;
	if ((st = out_open(&o, cmd, "recursor.lua", err, errlen)) != LAB_CONF_OK)
		return st;
	/* Debian's recursor.lua reads the real root anchors from /usr/share/dns/root.key.
	 * [offline] The lab trusts only its own root KSK. */
	if (inst->fault == LAB_FAULT_DISTRO_ANCHOR) {
		/* misconfigured: Debian's recursor.lua as shipped, whose rootkeys.lua reads the
		 * real root's KSKs (readTrustAnchorsFromFile of dns-root-data's root.key) */
		out_printf(&o, "-- lab instance %s: misconfigured: Debian's root anchors (the real "
			   "root's KSKs), not the lab's\n", inst->name);
		out_printf(&o, "dofile(\"%s\")\n", DEBIAN_PDNS_ROOTKEYS);
	} else {
		out_printf(&o, "-- lab instance %s: trust only the lab's root KSK\n", inst->name);
		out_printf(&o, "clearTA()\n");
		out_printf(&o, "addTA('.', \"%s\")\n", ds);
	}
	if ((st = out_close(&o, err, errlen)) != LAB_CONF_OK)
		return st;

	if ((st = out_open(&o, cmd, "recursor.conf", err, errlen)) != LAB_CONF_OK)
		return st;
	out_printf(&o, "# lab instance %s: %s\n", inst->name, inst->note ? inst->note : "");
	fault_comment(&o, inst, "#");
	/* Debian: 127.0.0.1. The lab gives each resolver its own address. */
	out_printf(&o, "local-address=%s\n", inst->addr);
	out_printf(&o, "local-port=53\n"); /* the default, stated because the probe relies on it */
	/* [whose] Debian: the kernel's choice of source address (query-local-address
	 * 0.0.0.0). */
	out_printf(&o, "query-local-address=%s\n", inst->addr);
	/* [offline] Debian: /usr/share/dns/root.hints (the real root). */
	out_printf(&o, "hint-file=%s/root.hints\n", dir);
	if (up)
		/* A forwarder of the lab (Debian: none; the recursor iterates from the root):
		 * every query goes to the lab instance up, with RD set (the "-recurse" form:
		 * up is a resolver, not an authoritative server). dnssec stays at its default
		 * (process, below): the recursor validates what comes back for clients that
		 * set DO or AD, against the anchor of recursor.lua. dont-query stays at
		 * Debian's default: it does not apply to forwarders (PowerDNS PR 10643). */
		out_printf(&o, "forward-zones-recurse=.=%s\n", up->addr);
	else
		/* [lab127] the default list blocks 127.0.0.0/8 among others. */
		out_printf(&o, "dont-query=\n");
	/* [offline] replaces Debian's /etc/powerdns/recursor.lua (see recursor.lua here). */
	out_printf(&o, "lua-config-file=%s/recursor.lua\n", cmd->workdir);
	/* [offline] no version check by DNS query; Debian ships this line too. */
	out_printf(&o, "security-poll-suffix=\n");
	/* [netns] Debian: control socket in /run/pdns-recursor. */
	out_printf(&o, "socket-dir=%s\n", cmd->workdir);
	/* Debian's unit passes --daemon=no --write-pid=no --disable-syslog: the same here,
	 * so that the lab owns the process and its stderr. Debian's --log-timestamp=no is
	 * left out: the lab log has no journal to add the time. */
	out_printf(&o, "daemon=no\n");
	out_printf(&o, "write-pid=no\n");
	out_printf(&o, "disable-syslog=yes\n");
	/* Debian's quiet=yes is kept. Debian's include-dir (/etc/powerdns/recursor.d) and
	 * public-suffix-list-file (used only for metrics) are left out [netns]: the
	 * built-in list stands in for the latter. No setuid/setgid [netns]: Debian's
	 * unit sets User=pdns instead. dnssec stays at its default (process). */
	out_printf(&o, "quiet=yes\n");
	if (inst->fault == LAB_FAULT_NO_VALIDATION)
		/* its docs: no DNSSEC processing at all (DO ignored, no RRSIGs asked for) */
		out_printf(&o, "# misconfigured: validation off\ndnssec=off\n");
	if ((st = out_close(&o, err, errlen)) != LAB_CONF_OK)
		return st;
	char arg[PATHLEN + 16];
	snprintf(arg, sizeof arg, "--config-dir=%s", cmd->workdir);
	return cmd_argv(cmd, err, errlen, "pdns_recursor", arg, (char *)NULL);
}

/* ---- Knot Resolver ------------------------------------------------------------------ */

static enum lab_conf_status conf_kresd(const struct lab_instance *inst, const char *dir,
				       const char *zone, const struct lab_conf_opts *co,
				       struct lab_cmd *cmd, char *err, size_t errlen)
{
	char *dnskey = NULL;
	char cachedir[PATHLEN];
	enum lab_conf_status st;
	if (!inst->validate)
		return fail(err, errlen, LAB_CONF_ERR_PLAN,
			    "instance %s: the lab has no non-validating kresd configuration",
			    inst->name);
	st = need_input(dir, "root.hints", err, errlen);
	if (st == LAB_CONF_OK)
		st = read_dnskey(dir, &dnskey, err, errlen);
	/* the anchor it keeps must exist, else kresd would try to fetch one over HTTPS */
	if (st == LAB_CONF_OK && inst->fault == LAB_FAULT_DISTRO_ANCHOR)
		st = need_input("/usr/share/dns", "root.key", err, errlen);
	if (st == LAB_CONF_OK)
		st = cmd_start(cmd, inst->name, inst->addr, dir, err, errlen);
	if (st == LAB_CONF_OK)
		st = cmd_config(cmd, "kresd.conf", err, errlen);
	if (st == LAB_CONF_OK && join(cachedir, sizeof cachedir, cmd->workdir, "cache") < 0)
		st = fail(err, errlen, LAB_CONF_ERR_IO, "%s/cache: path too long", cmd->workdir);
	if (st == LAB_CONF_OK)
		st = make_dir(cachedir, err, errlen);
	/* The cache of an earlier run holds records signed with keys the signer replaced. */
	if (st == LAB_CONF_OK)
		st = drop_state(cmd, "cache/data.mdb", err, errlen);
	if (st == LAB_CONF_OK)
		st = drop_state(cmd, "cache/lock.mdb", err, errlen);
	if (st == LAB_CONF_OK)
		st = copy_anchor(cmd, "root.keys", dnskey, err, errlen);
	free(dnskey);
	if (st != LAB_CONF_OK)
		return st;

	struct out o;
	if ((st = out_open(&o, cmd, "kresd.conf", err, errlen)) != LAB_CONF_OK)
		return st;
	out_printf(&o, "-- lab instance %s: %s\n", inst->name, inst->note ? inst->note : "");
	fault_comment(&o, inst, "--");
	/* Debian's unit loads distro-preconfig.lua first, which logs to syslog and puts the
	 * cache in /var/cache/knot-resolver; the lab loads only this file [netns]. */
	out_printf(&o, "log_target('stderr')\n");
	/* Debian: 127.0.0.1 and ::1, ports 53 (dns) and 853 (tls). The lab gives each
	 * resolver its own address and probes plain DNS only. */
	out_printf(&o, "net.listen('%s', 53, { kind = 'dns' })\n", inst->addr);
	/* [whose] Debian: the kernel's choice of source address. */
	out_printf(&o, "net.outgoing_v4('%s')\n", inst->addr);
	/* Debian's module list, unchanged. */
	out_printf(&o, "modules = {\n\t'hints > iterate',\n\t'stats',\n\t'predict',\n}\n");
	/* [offline] Debian: compiled-in hints of the real root servers. */
	out_printf(&o, "hints.root_file('%s/root.hints')\n", dir);
	/* [offline] Debian preloads /usr/share/dns/root.key (the real root keys) read-only
	 * (sandbox.lua: add_file(..., true)), so kresd as Debian ships it does not update
	 * its anchor by RFC 5011. Remove it, then trust the lab's root KSK the same way,
	 * read-only. The file exists, so kresd never tries to bootstrap it over HTTPS. */
	if (inst->fault == LAB_FAULT_DISTRO_ANCHOR)
		/* misconfigured: neither removed nor replaced, so kresd keeps Debian's preloaded
		 * /usr/share/dns/root.key (the real root's KSKs) */
		out_printf(&o, "-- misconfigured: Debian's preloaded %s (the real root's KSKs) "
			   "kept, the lab's root KSK not added\n", DEBIAN_ROOT_KEY);
	else
		out_printf(&o, "trust_anchors.remove('.')\n");
	if (inst->fault == LAB_FAULT_DISTRO_ANCHOR) {
		/* nothing more: no lab anchor */
	} else if (inst->fault == LAB_FAULT_NO_VALIDATION) {
		/* misconfigured: no root anchor at all, so kresd validates nothing (every
		 * answer insecure) */
		out_printf(&o, "-- misconfigured: no root trust anchor, validation off\n");
	} else if (co && co->holddown) {
		/* Rehearsal only ('trustprobe lab roll', not the everyday lab): the lab's own
		 * copy of the key file is writable, so this instance manages it by RFC 5011
		 * (add_file(path, false): the second argument is "unmanaged"), which Debian's
		 * read-only /usr/share/dns/root.key never allows. The timers live in the
		 * ta_update module (kres_modules/ta_update.lua): hold_down_time (default 30
		 * days) and refresh_time (default: from the DNSKEY TTL), in milliseconds;
		 * set before add_file, which starts the refreshes. */
		out_printf(&o, "-- rehearsal only ('trustprobe lab roll'): RFC 5011 on a writable "
			   "key file, timers compressed to seconds, not Debian's defaults\n");
		out_printf(&o, "modules.load('ta_update')\n");
		out_printf(&o, "ta_update.hold_down_time = %u * sec\n", co->holddown);
		out_printf(&o, "ta_update.refresh_time = 1 * sec\n");
		out_printf(&o, "trust_anchors.add_file('%s/root.keys', false)\n", cmd->workdir);
	} else {
		out_printf(&o, "trust_anchors.add_file('%s/root.keys', true)\n", cmd->workdir);
	}
	/* [lab127] kresd does not follow glue into 127/8 without ALLOW_LOCAL. */
	out_printf(&o, "policy.add(policy.all(policy.FLAGS('ALLOW_LOCAL')))\n");
	/* kresd answers names under the special-use TLDs (test., onion., ...) itself; the
	 * lab TLD must be resolved from the lab's servers. */
	out_printf(&o, "policy.add(policy.suffix(policy.PASS, policy.todnames({'%s'})))\n", zone);
	/* Debian's kresd.conf sets cache.size = 100 * MB, and LMDB sizes data.mdb to that at
	 * once: every lab directory (one per 'trustprobe lab' run) would carry a 100 MB file
	 * on what is often a tmpfs. The lab's few hundred records fit in 10 MB many times
	 * over. The place is /var/cache/knot-resolver in Debian [netns]. */
	out_printf(&o, "cache.open(10 * MB, 'lmdb://%s')\n", cachedir);
	if ((st = out_close(&o, err, errlen)) != LAB_CONF_OK)
		return st;
	/* -n: no interactive console (as Debian's unit); the last argument is the rundir
	 * (Debian: /var/lib/knot-resolver) [netns]. */
	return cmd_argv(cmd, err, errlen, "kresd", "-n", "-c", cmd->config, cmd->workdir,
			(char *)NULL);
}

/* ---- dnsmasq ------------------------------------------------------------------------ */

static enum lab_conf_status conf_dnsmasq(const struct lab_instance *inst, const char *dir,
					 struct lab_cmd *cmd, char *err, size_t errlen)
{
	char anchor[512] = "";
	enum lab_conf_status st;
	const struct lab_instance *up = upstream_of(inst, err, errlen);
	if (!up)
		return LAB_CONF_ERR_PLAN;
	if (inst->validate &&
	    (st = read_dnsmasq_anchor(dir, anchor, sizeof anchor, err, errlen)) != LAB_CONF_OK)
		return st;
	if (inst->fault == LAB_FAULT_DISTRO_ANCHOR &&
	    (st = need_input("/usr/share/dnsmasq-base", "trust-anchors.conf", err, errlen)) !=
		    LAB_CONF_OK)
		return st;
	if ((st = cmd_start(cmd, inst->name, inst->addr, dir, err, errlen)) != LAB_CONF_OK ||
	    (st = cmd_config(cmd, "dnsmasq.conf", err, errlen)) != LAB_CONF_OK)
		return st;

	struct out o;
	if ((st = out_open(&o, cmd, "dnsmasq.conf", err, errlen)) != LAB_CONF_OK)
		return st;
	out_printf(&o, "# lab instance %s: %s\n", inst->name, inst->note ? inst->note : "");
	fault_comment(&o, inst, "#");
	/* [offline] never read /etc/resolv.conf: it names a resolver outside the lab. */
	out_printf(&o, "no-resolv\n");
	/* The lab resolver this dnsmasq forwards to (the setup people use dnsmasq for),
	 * from the instance's own address [whose]. */
	out_printf(&o, "server=%s@%s\n", up->addr, inst->addr);
	/* Debian (dnsmasq-base run by hand): every interface. The lab gives each resolver
	 * its own address; bind-interfaces binds only that address, not the wildcard,
	 * which another lab daemon's port 53 would clash with. */
	out_printf(&o, "listen-address=%s\n", inst->addr);
	out_printf(&o, "bind-interfaces\n");
	out_printf(&o, "port=53\n"); /* the default, stated because the probe relies on it */
	/* [netns] dnsmasq drops to user "nobody" (Debian's scripts: "dnsmasq") by default;
	 * root keeps the lab's only uid, and an empty group means no change of group. */
	out_printf(&o, "user=root\n");
	out_printf(&o, "group=\n");
	/* [netns] no pid file (default /run/dnsmasq.pid); logs to stderr, not syslog. */
	out_printf(&o, "pid-file=\n");
	out_printf(&o, "log-facility=-\n");
	if (inst->fault == LAB_FAULT_NO_VALIDATION) {
		/* misconfigured: neither dnssec nor proxy-dnssec: dnsmasq validates nothing and
		 * clears AD (its manual) */
		out_printf(&o, "# misconfigured: no dnssec (and no proxy-dnssec)\n");
	} else if (inst->validate) {
		/* Validating instance: dnsmasq checks signatures itself against the lab's root
		 * KSK (dnsmasq takes anchors in DS form only). */
		out_printf(&o, "dnssec\n");
		if (inst->fault == LAB_FAULT_DISTRO_ANCHOR)
			/* misconfigured: the anchor file Debian ships (dnsmasq-base), which names
			 * the real root's KSK-2017 */
			out_printf(&o, "# misconfigured: Debian's anchor file, not the lab's root "
				   "KSK\nconf-file=%s\n", DEBIAN_DNSMASQ_TA);
		else
			out_printf(&o, "%s\n", anchor);
		if (inst->fault == LAB_FAULT_PERMISSIVE)
			/* its manual: sets CD upstream and does not turn replies that fail to
			 * validate into SERVFAIL */
			out_printf(&o, "# misconfigured: DNSSEC debugging mode\ndnssec-debug\n");
	} else {
		/* Control instance: copies the upstream's AD bit. Its manual: caching AD
		 * correctly is impossible, so the cache is off. */
		out_printf(&o, "proxy-dnssec\n");
		out_printf(&o, "cache-size=0\n");
	}
	if ((st = out_close(&o, err, errlen)) != LAB_CONF_OK)
		return st;
	char arg[PATHLEN + 16];
	snprintf(arg, sizeof arg, "--conf-file=%s", cmd->config);
	/* -k: foreground. --conf-file also stops it reading /etc/dnsmasq.conf. */
	return cmd_argv(cmd, err, errlen, "dnsmasq", "-k", arg, (char *)NULL);
}

/* ---- the lying resolver -------------------------------------------------------------- */

/* trustprobe's own resolver mode (proxy_resolver.h): no config file, its command line says
 * everything. argv[0] is this program (/proc/self/exe resolved now: the holder execs it
 * later). Nothing Debian ships: a control of the forwarder matrix. */
static enum lab_conf_status conf_liar(const struct lab_instance *inst, const char *dir,
				      struct lab_cmd *cmd, char *err, size_t errlen)
{
	char self[PATHLEN];
	enum lab_conf_status st;
	const struct lab_instance *up = upstream_of(inst, err, errlen);
	if (!up)
		return LAB_CONF_ERR_PLAN;
	if (inst->validate)
		return fail(err, errlen, LAB_CONF_ERR_PLAN,
			    "instance %s: the lying resolver does not validate", inst->name);
	if (!lab_self_program(self, sizeof self))
		return fail(err, errlen, LAB_CONF_ERR_IO, "cannot resolve /proc/self/exe: %s",
			    strerror(errno));
	if ((st = cmd_start(cmd, inst->name, inst->addr, dir, err, errlen)) != LAB_CONF_OK)
		return st;
	if (inst->hostile) /* a hostile resolver (proxy_hostile.h) tells no lie but its mode */
		return cmd_argv(cmd, err, errlen, self, "lab", "proxy", "--resolver", "--listen",
				inst->addr, "--upstream", up->addr, "--lie", "none", "--hostile",
				inst->hostile, (char *)NULL);
	return cmd_argv(cmd, err, errlen, self, "lab", "proxy", "--resolver", "--listen",
			inst->addr, "--upstream", up->addr, "--lie", "ad", (char *)NULL);
}

/* ---- entry points ------------------------------------------------------------------- */

static enum lab_conf_status conf_any(const struct lab_instance *inst, const char *dir,
				     const char *lab_zone, const struct lab_conf_opts *co,
				     struct lab_cmd *cmd, char *err, size_t errlen);

/* See lab_conf.h. cmd is overwritten; on success the caller owns its argv
 * (lab_cmd_free); on error nothing is left to free. */

enum lab_conf_status lab_conf_resolver(const struct lab_instance *inst, const char *dir,
				       const char *lab_zone, struct lab_cmd *cmd,
				       char *err, size_t errlen)
{
	return lab_conf_resolver_opts(inst, dir, lab_zone, NULL, cmd, err, errlen);
}

/* See lab_conf.h. */
enum lab_conf_status lab_conf_resolver_opts(const struct lab_instance *inst, const char *dir,
					    const char *lab_zone, const struct lab_conf_opts *co,
					    struct lab_cmd *cmd, char *err, size_t errlen)
{
	if (!cmd)
		return fail(err, errlen, LAB_CONF_ERR_PLAN, "no command to fill");
	memset(cmd, 0, sizeof *cmd);
	if (!inst || !inst->name || !name_is_plain(inst->name) || !addr_is_ipv4(inst->addr))
		return fail(err, errlen, LAB_CONF_ERR_PLAN,
			    "instance %s has no plain name or IPv4 address",
			    inst && inst->name ? inst->name : "(null)");
	/* the lab's own config first; the package's own replaces it (lab_shipped.h, which
	 * takes the lab's anchors and the command from it), the user's lines go last */
	struct lab_conf_opts own = co ? *co : (struct lab_conf_opts){0};
	own.snippet = NULL;
	own.shipped = 0;
	enum lab_conf_status st = conf_any(inst, dir, lab_zone, &own, cmd, err, errlen);
	if (st == LAB_CONF_OK && co && co->shipped)
		st = lab_shipped_write(inst, dir, cmd, err, errlen);
	if (st == LAB_CONF_OK && co && co->snippet)
		st = lab_conf_append(inst->kind, cmd, co->snippet, err, errlen);
	if (st != LAB_CONF_OK)
		lab_cmd_free(cmd);
	return st;
}

/* The writer of inst's kind; inst->name may be a relative path (spare configs). */
static enum lab_conf_status conf_any(const struct lab_instance *inst, const char *dir,
				     const char *lab_zone, const struct lab_conf_opts *co,
				     struct lab_cmd *cmd, char *err, size_t errlen)
{
	char zone[256];
	enum lab_conf_status st;
	if ((st = check_dir(dir, err, errlen)) != LAB_CONF_OK ||
	    (st = zone_fqdn(lab_zone, zone, sizeof zone, err, errlen)) != LAB_CONF_OK ||
	    (st = check_fault(inst, err, errlen)) != LAB_CONF_OK)
		return st;
	switch (inst->kind) {
	case LAB_UNBOUND: st = conf_unbound(inst, dir, zone, co, cmd, err, errlen); break;
	case LAB_BIND: st = conf_bind(inst, dir, co, cmd, err, errlen); break;
	case LAB_PDNS_RECURSOR: st = conf_pdns(inst, dir, cmd, err, errlen); break;
	case LAB_KNOT_RESOLVER: st = conf_kresd(inst, dir, zone, co, cmd, err, errlen); break;
	case LAB_DNSMASQ: st = conf_dnsmasq(inst, dir, cmd, err, errlen); break;
	case LAB_PROXY_RESOLVER: st = conf_liar(inst, dir, cmd, err, errlen); break;
	default:
		st = fail(err, errlen, LAB_CONF_ERR_PLAN, "instance %s: unknown resolver kind %d",
			  inst->name, (int)inst->kind);
	}
	if (st == LAB_CONF_OK && inst->fault == LAB_FAULT_CLOCK)
		st = clock_env(inst, cmd, err, errlen);
	if (st != LAB_CONF_OK)
		lab_cmd_free(cmd);
	return st;
}

/* The resolver families a spare config is written for, and the directory of each. */
static const struct {
	enum lab_kind kind;
	const char *name;     /* D/spare/<family> */
	const char *upstream; /* dnsmasq: forwards to this lab instance, as the lab's does */
} spare_families[] = {
	{LAB_UNBOUND, "spare/unbound", NULL},
	{LAB_BIND, "spare/bind", NULL},
	{LAB_PDNS_RECURSOR, "spare/pdns-recursor", NULL},
	{LAB_KNOT_RESOLVER, "spare/knot-resolver", NULL},
	{LAB_DNSMASQ, "spare/dnsmasq", "unbound-novalidate"},
};

/* See lab_conf.h. Each family's config comes from the same writer as the lab's own
 * instance of it, given a synthetic instance on the spare address. */
enum lab_conf_status lab_conf_spares(const char *dir, const char *lab_zone, const char *addr,
				     char *err, size_t errlen)
{
	enum lab_conf_status st;
	char sdir[PATHLEN];
	if ((st = check_dir(dir, err, errlen)) != LAB_CONF_OK)
		return st;
	if (!addr_is_ipv4(addr))
		return fail(err, errlen, LAB_CONF_ERR_PLAN, "spare address %s is not IPv4",
			    addr ? addr : "(null)");
	if (join(sdir, sizeof sdir, dir, "spare") < 0)
		return fail(err, errlen, LAB_CONF_ERR_IO, "%s/spare: path too long", dir);
	if ((st = make_dir(sdir, err, errlen)) != LAB_CONF_OK)
		return st;
	struct lab_cmd readme = {0};
	snprintf(readme.workdir, sizeof readme.workdir, "%s", sdir);
	struct out o;
	if ((st = out_open(&o, &readme, "README", err, errlen)) != LAB_CONF_OK)
		return st;
	out_printf(&o,
		   "Configs for your own resolver build, on the lab's spare address %s.\n"
		   "Written by 'trustprobe lab up'. Each is the config the lab gives its own\n"
		   "instance of that resolver (Debian's defaults, with every change the lab\n"
		   "needs commented in the file): no change of user, no chroot, the lab's\n"
		   "root hints and trust anchor, queries to 127.53.0.0/24 allowed, and the lab\n"
		   "zone %s resolved rather than answered locally.\n\n"
		   "Start one at a time (they share the address), in the foreground, inside the\n"
		   "running lab; replace /path/to/ with where your build is:\n\n",
		   addr, lab_zone ? lab_zone : "");
	for (size_t i = 0; i < sizeof spare_families / sizeof spare_families[0]; i++) {
		struct lab_instance in = {
			.name = spare_families[i].name, .kind = spare_families[i].kind,
			.addr = addr, .validate = 1, .upstream = spare_families[i].upstream,
			.note = "your own build on a spare address (see ../README)"};
		struct lab_cmd cmd;
		memset(&cmd, 0, sizeof cmd);
		if ((st = conf_any(&in, dir, lab_zone, NULL, &cmd, err, errlen)) != LAB_CONF_OK) {
			fclose(o.f);
			return st;
		}
		out_printf(&o, "  %s:\n    trustprobe lab exec --dir %s -- /path/to/%s", in.name + 6,
			   dir, cmd.argv[0]);
		for (size_t a = 1; cmd.argv[a]; a++)
			out_printf(&o, " %s", cmd.argv[a]);
		out_printf(&o, "\n");
		lab_cmd_free(&cmd);
	}
	out_printf(&o,
		   "\ndnsmasq forwards to the lab's non-validating unbound (unbound-novalidate)\n"
		   "and validates itself, as the lab's dnsmasq instance does.\n\n"
		   "Then ask it, or probe it:\n"
		   "    trustprobe lab exec --dir %s -- dig +dnssec www.alg13.test @%s\n"
		   "    trustprobe --lab %s %s\n\n"
		   "'trustprobe lab down --dir %s' stops it with the rest of the lab.\n",
		   dir, addr, dir, addr, dir);
	return out_close(&o, err, errlen);
}

/* One line of D/zones.list, split in place. */
struct zone_line {
	char *zone, *role, *file;
};

/* Splits line into its three fields; 0 on success. */
static int split_zone_line(char *line, struct zone_line *z)
{
	char *save = NULL;
	z->zone = strtok_r(line, " \t", &save);
	z->role = z->zone ? strtok_r(NULL, " \t", &save) : NULL;
	z->file = z->role ? strtok_r(NULL, " \t", &save) : NULL;
	if (!z->file || strtok_r(NULL, " \t", &save))
		return -1;
	if (!name_is_plain(z->zone) || !name_is_plain(z->role) || strchr(z->file, '/') ||
	    !name_is_plain(z->file) || strcmp(z->file, ".") == 0)
		return -1;
	return 0;
}

/* Checks every line of zones.list; counts (and checks the files of) those of role. */
static enum lab_conf_status check_zones(const char *dir, char *text, const char *role,
					size_t *n, char *err, size_t errlen)
{
	char *save = NULL;
	size_t lineno = 0;
	*n = 0;
	for (char *l = text; l; l = save) {
		save = strchr(l, '\n');
		if (save)
			*save++ = '\0';
		lineno++;
		l[strcspn(l, "\r#")] = '\0';
		if (strspn(l, " \t") == strlen(l))
			continue;
		struct zone_line z;
		if (split_zone_line(l, &z) != 0)
			return fail(err, errlen, LAB_CONF_ERR_INPUT, "%s/zones.list:%zu: malformed line",
				    dir, lineno);
		if (role && strcmp(z.role, role) != 0) /* NULL: every role */
			continue;
		char rel[PATHLEN];
		snprintf(rel, sizeof rel, "zones/%s", z.file);
		enum lab_conf_status st = need_input(dir, rel, err, errlen);
		if (st != LAB_CONF_OK)
			return st;
		(*n)++;
	}
	return LAB_CONF_OK;
}

/* See lab_conf.h. A role without zones still gets a (zone-less) config: whether to start
 * it is the caller's choice. */
enum lab_conf_status lab_conf_nsd(const struct lab_server *srv, const char *dir,
				  struct lab_cmd *cmd, char *err, size_t errlen)
{
	return lab_conf_nsd_opts(srv, dir, NULL, cmd, err, errlen);
}

/* See lab_conf.h. */
enum lab_conf_status lab_conf_nsd_opts(const struct lab_server *srv, const char *dir,
				       const struct lab_nsd_opts *no, struct lab_cmd *cmd,
				       char *err, size_t errlen)
{
	char name[64], *text = NULL, *copy = NULL;
	size_t nzones = 0;
	enum lab_conf_status st;
	if (!cmd)
		return fail(err, errlen, LAB_CONF_ERR_PLAN, "no command to fill");
	memset(cmd, 0, sizeof *cmd);
	if (!srv || !srv->name || !name_is_plain(srv->name) || !addr_is_ipv4(srv->addr) ||
	    strchr(srv->name, '.'))
		return fail(err, errlen, LAB_CONF_ERR_PLAN,
			    "server role %s has no plain name or IPv4 address",
			    srv && srv->name ? srv->name : "(null)");
	if ((st = check_dir(dir, err, errlen)) != LAB_CONF_OK)
		return st;
	snprintf(name, sizeof name, "nsd-%.59s", srv->name);
	if ((st = read_input(dir, "zones.list", &text, err, errlen)) != LAB_CONF_OK)
		return st;
	if (!(copy = strdup(text))) {
		free(text);
		return fail(err, errlen, LAB_CONF_ERR_IO, "out of memory reading zones.list");
	}
	st = check_zones(dir, copy, no && no->all_zones ? NULL : srv->name, &nzones, err, errlen);
	free(copy);
	if (st == LAB_CONF_OK)
		st = cmd_start(cmd, name, srv->addr, dir, err, errlen);
	if (st == LAB_CONF_OK)
		st = cmd_config(cmd, "nsd.conf", err, errlen);
	/* an old pid file names a process nsd would take for a running copy of itself; old
	 * transfer state and zone list would outlive the zones they describe */
	if (st == LAB_CONF_OK)
		st = drop_state(cmd, "nsd.pid", err, errlen);
	if (st == LAB_CONF_OK)
		st = drop_state(cmd, "xfrd.state", err, errlen);
	if (st == LAB_CONF_OK)
		st = drop_state(cmd, "zone.list", err, errlen);
	struct out o;
	if (st == LAB_CONF_OK)
		st = out_open(&o, cmd, "nsd.conf", err, errlen);
	if (st != LAB_CONF_OK) {
		free(text);
		lab_cmd_free(cmd);
		return st;
	}
	out_printf(&o, "# lab authoritative server for role %s (%zu zones)\n", srv->name, nzones);
	out_printf(&o, "server:\n");
	/* Debian: every interface. Each lab role has its own address. */
	out_printf(&o, "\tip-address: %s\n", srv->addr);
	/* the default, stated: referrals point there (serve: its own port behind the proxy) */
	out_printf(&o, "\tport: %u\n", no && no->port ? no->port : 53);
	/* [netns] Debian: username nsd; chroot none already; database none already. serve:
	 * the user it drops to once bound, when run as root. */
	out_printf(&o, "\tusername: \"%s\"\n", no && no->username ? no->username : "");
	if (no && no->serve) {
		/* serve: on the Internet, behind the proxy. nsd sees every client as the proxy's
		 * loopback address, so its RRL would throttle all of them as one: the proxy
		 * limits per source instead (proxy_rrl.h) and nsd's RRL is off. ANY and zone
		 * transfers the proxy refuses already; nsd refuses them too. */
		out_printf(&o, "\trrl-ratelimit: 0\n\trrl-whitelist-ratelimit: 0\n");
		out_printf(&o, "\trefuse-any: yes\n\thide-version: yes\n\thide-identity: yes\n");
		out_printf(&o, "\tdo-ip6: no\n");
	}
	out_printf(&o, "\tchroot: \"\"\n");
	out_printf(&o, "\tdatabase: \"\"\n");
	out_printf(&o, "\tzonesdir: \"%s/zones\"\n", dir);
	/* [netns] Debian: /run/nsd/nsd.pid, /var/lib/nsd/xfrd.state, zone.list */
	out_printf(&o, "\tpidfile: \"%s/nsd.pid\"\n", cmd->workdir);
	out_printf(&o, "\txfrdfile: \"%s/xfrd.state\"\n", cmd->workdir);
	out_printf(&o, "\tzonelistfile: \"%s/zone.list\"\n", cmd->workdir);
	/* Debian: xfrdir /tmp, where nsd makes an nsd-xfr-PID directory that it leaves
	 * behind when it is killed; the lab keeps it in the server's own directory. serve
	 * with --user keeps nsd's default: nsd makes it after dropping privileges, and the
	 * state directory's parents need not be open to that user (serve's unit file gives
	 * it a private /tmp). */
	if (!(no && no->username && no->username[0]))
		out_printf(&o, "\txfrdir: \"%s\"\n", cmd->workdir);
	/* Debian: log-only-syslog yes. The lab keeps the log on stderr (nsd -d). */
	out_printf(&o, "\tlog-only-syslog: no\n");
	/* One process answers the lab's few queries; more only slow the start. */
	out_printf(&o, "\tserver-count: 1\n");
	/* Debian ships keys for nsd-control; the lab never uses it. */
	out_printf(&o, "remote-control:\n\tcontrol-enable: no\n");
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		l[strcspn(l, "\r#")] = '\0';
		struct zone_line z;
		if (strspn(l, " \t") == strlen(l) || split_zone_line(l, &z) != 0 ||
		    (!(no && no->all_zones) && strcmp(z.role, srv->name) != 0))
			continue;
		out_printf(&o, "zone:\n\tname: \"%s\"\n\tzonefile: \"%s\"\n", z.zone, z.file);
	}
	free(text);
	if ((st = out_close(&o, err, errlen)) == LAB_CONF_OK)
		/* -d: foreground, as Debian's unit runs it. */
		st = cmd_argv(cmd, err, errlen, "nsd", "-d", "-c", cmd->config, (char *)NULL);
	if (st != LAB_CONF_OK)
		lab_cmd_free(cmd);
	return st;
}

/* The start of both proxy writers: cmd cleared, dir checked, self the path of this
 * program (the proxy is this program itself, resolved now: the holder execs it later). */
static enum lab_conf_status proxy_begin(const char *dir, struct lab_cmd *cmd, char *self,
					char *err, size_t errlen)
{
	enum lab_conf_status st;
	if (!cmd)
		return fail(err, errlen, LAB_CONF_ERR_PLAN, "no command to fill");
	memset(cmd, 0, sizeof *cmd);
	if ((st = check_dir(dir, err, errlen)) != LAB_CONF_OK)
		return st;
	if (!lab_self_program(self, PATHLEN))
		return fail(err, errlen, LAB_CONF_ERR_IO, "cannot resolve /proc/self/exe: %s",
			    strerror(errno));
	return LAB_CONF_OK;
}

/* See lab_conf.h. The proxy is this program itself, so argv[0] is the path of the running
 * binary (/proc/self/exe resolved now: the holder execs it later). */
enum lab_conf_status lab_conf_proxy(const char *vectors, const char *dir, struct lab_cmd *cmd,
				    char *err, size_t errlen)
{
	char src[PATHLEN], self[PATHLEN], ups[512] = "", *text = NULL;
	enum lab_conf_status st;
	if ((st = proxy_begin(dir, cmd, self, err, errlen)) != LAB_CONF_OK)
		return st;
	if (!vectors || join(src, sizeof src, vectors, "attacks") < 0)
		return fail(err, errlen, LAB_CONF_ERR_INPUT, "no test vector directory");
	/* read_input wants a dir and a relative name: vectors is the dir here */
	if ((st = read_input(vectors, "attacks", &text, err, errlen)) != LAB_CONF_OK)
		return st;
	size_t n;
	const struct lab_server *srv = lab_servers(&n);
	for (size_t i = 0; i < n; i++)
		snprintf(ups + strlen(ups), sizeof ups - strlen(ups), "%s%s", i ? "," : "",
			 srv[i].addr);
	st = cmd_start(cmd, "proxy", lab_proxy_addr(), dir, err, errlen);
	if (st == LAB_CONF_OK)
		st = cmd_config(cmd, "attacks", err, errlen);
	if (st == LAB_CONF_OK)
		st = write_file(cmd, "attacks", text, err, errlen);
	free(text);
	if (st == LAB_CONF_OK)
		st = cmd_argv(cmd, err, errlen, self, "lab", "proxy", "--listen", lab_proxy_addr(),
			      "--upstream", ups, "--rules", cmd->config, "--zone-dir", dir,
			      (char *)NULL);
	if (st != LAB_CONF_OK)
		lab_cmd_free(cmd);
	return st;
}

/* See lab_conf.h. */
enum lab_conf_status lab_conf_proxy_serve(const char *dir, const char *name,
					  const char *listen, const char *upstream,
					  const char *rules, unsigned ratelimit,
					  const char *user, struct lab_cmd *cmd, char *err,
					  size_t errlen)
{
	char self[PATHLEN], rate[16];
	enum lab_conf_status st;
	if ((st = proxy_begin(dir, cmd, self, err, errlen)) != LAB_CONF_OK)
		return st;
	snprintf(rate, sizeof rate, "%u", ratelimit);
	st = cmd_start(cmd, name, listen, dir, err, errlen);
	if (st == LAB_CONF_OK)
		snprintf(cmd->config, sizeof cmd->config, "%s", rules);
	if (st == LAB_CONF_OK) /* without user, the list ends before "--user" */
		st = cmd_argv(cmd, err, errlen, self, "lab", "proxy", "--serve", "--listen", listen,
			      "--upstream", upstream, "--rules", rules, "--zone-dir", dir,
			      "--ratelimit", rate, user ? "--user" : (char *)NULL, user,
			      (char *)NULL);
	if (st != LAB_CONF_OK)
		lab_cmd_free(cmd);
	return st;
}

/* See lab_conf.h. */
void lab_cmd_free(struct lab_cmd *cmd)
{
	if (!cmd)
		return;
	for (size_t i = 0; i <= LAB_CMD_MAXARGS; i++) {
		free(cmd->argv[i]);
		cmd->argv[i] = NULL;
	}
	for (size_t i = 0; i <= LAB_CMD_MAXENV; i++) {
		free(cmd->env[i]);
		cmd->env[i] = NULL;
	}
}
