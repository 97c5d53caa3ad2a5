/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_shipped: see lab_shipped.h. One reader per family walks the package's files, copies
 * each (with the statements the lab replaces commented out) and collects, per override,
 * what the package had and where; the lab's lines then close the main file. */
#include "lab_shipped.h"
#include "lab_pkg.h"
#include "tp_util.h"
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TEXT (1 << 20) /* a config file bigger than this is no config file */
#define MAX_FILES 64       /* files one instance may read (include loops end here) */
#define MAX_OV 40
#define MARK "[trustprobe lab: replaced, see the lab's lines at the end of the main file]"

/* One override: the lab's setting (lab, "" for a statement only left out) and what the
 * package had (was: "VALUE at FILE:LINE; ..."), or its default when it has none (dflt,
 * NULL: no override unless the package sets it). */
struct ov {
	const char *key;
	char lab[600];
	const char *dflt;
	char was[900];
};

/* The state of one instance's walk. */
struct sh {
	const char *dir, *work, *addr, *root;
	const struct lab_cmd *cmd;
	FILE *list;      /* D/<name>/overrides */
	size_t n_files;
	struct ov ov[MAX_OV];
	size_t n_ov;
	int drop_clause; /* unbound: inside a clause left out (forward-zone, ...) */
	int flags;       /* per family: what the package's files turned on */
	enum lab_conf_status st;
	char *err;
	size_t errlen;
};

static void sh_fail(struct sh *s, enum lab_conf_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void sh_fail(struct sh *s, enum lab_conf_status st, const char *fmt, ...)
{
	if (s->st != LAB_CONF_OK)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, s->errlen, fmt, ap);
	va_end(ap);
	s->st = st;
}

/* ---- overrides ---- */

static struct ov *ov_find(struct sh *s, const char *key)
{
	for (size_t i = 0; i < s->n_ov; i++)
		if (strcmp(s->ov[i].key, key) == 0)
			return &s->ov[i];
	return NULL;
}

/* Declares an override of key: the lab's setting fmt (may be "") and the package's
 * default when it sets none. */
static void ov_add(struct sh *s, const char *key, const char *dflt, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void ov_add(struct sh *s, const char *key, const char *dflt, const char *fmt, ...)
{
	struct ov *o = ov_find(s, key);
	if (!o && s->n_ov < MAX_OV) {
		o = &s->ov[s->n_ov++];
		memset(o, 0, sizeof *o);
		o->key = key;
	}
	if (!o)
		return;
	o->dflt = dflt;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->lab, sizeof o->lab, fmt, ap);
	va_end(ap);
}

/* Records that the package set key to value (collapsed to one line) at file:line. */
static void ov_was(struct sh *s, const char *key, const char *value, size_t vlen,
		   const char *file, size_t line)
{
	struct ov *o = ov_find(s, key);
	if (!o)
		return;
	char v[160];
	size_t n = 0;
	for (size_t i = 0; i < vlen && n + 1 < sizeof v; i++) {
		char c = isspace((unsigned char)value[i]) ? ' ' : value[i];
		if (c == ' ' && (n == 0 || v[n - 1] == ' '))
			continue;
		v[n++] = c;
	}
	while (n > 0 && v[n - 1] == ' ')
		n--;
	v[n] = '\0';
	size_t len = strlen(o->was);
	snprintf(o->was + len, sizeof o->was - len, "%s%s at %s:%zu", len ? "; " : "",
		 n ? v : "(empty)", file, line);
}

/* Writes every override that changes something as an "override" line. */
static void ov_flush(struct sh *s)
{
	for (size_t i = 0; i < s->n_ov; i++) {
		const struct ov *o = &s->ov[i];
		if (!o->was[0] && !o->dflt)
			continue; /* the package sets none, and its default is the lab's */
		fprintf(s->list, "override %s%s%s (the package: %s)\n", o->key, o->lab[0] ? ": " : "",
			o->lab[0] ? o->lab : " left out", o->was[0] ? o->was : o->dflt);
	}
}

/* An override line of its own (what is not one statement's). */
static void note(struct sh *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct sh *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("override ", s->list);
	vfprintf(s->list, fmt, ap);
	fputc('\n', s->list);
	va_end(ap);
}

/* ---- files ---- */

/* The file the package installed at path, under the root the files are read from. */
static void src_path(const struct sh *s, const char *path, char *out, size_t n)
{
	snprintf(out, n, "%s%s", s->root, path);
}

/* Reads the package's file path (malloc'd, NUL-terminated) and lists it as a source with
 * dpkg's word on it; NULL when it cannot be read (nothing listed). */
static char *sh_read(struct sh *s, const char *path)
{
	char p[4200];
	size_t len;
	if (s->n_files >= MAX_FILES) {
		sh_fail(s, LAB_CONF_ERR_INPUT, "more than %d files of the package's configuration "
			"(an include loop?) at %s", MAX_FILES, path);
		return NULL;
	}
	src_path(s, path, p, sizeof p);
	struct stat st;
	if (stat(p, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	char *text = tp_read_file(p, MAX_TEXT, &len);
	if (!text)
		return NULL;
	if (memchr(text, '\0', len)) {
		free(text);
		return NULL;
	}
	s->n_files++;
	struct lab_pkg pkg;
	char what[300];
	switch (lab_pkg_of(p, 1, &pkg)) {
	case LAB_PKG_SAME:
		snprintf(what, sizeof what, "as Debian %s %s ships it", pkg.package, pkg.version);
		break;
	case LAB_PKG_MODIFIED:
		snprintf(what, sizeof what, "changed since Debian %s %s installed it", pkg.package,
			 pkg.version);
		break;
	case LAB_PKG_UNCHECKED:
		snprintf(what, sizeof what, "of Debian %s %s", pkg.package, pkg.version);
		break;
	default:
		snprintf(what, sizeof what, "no package's file");
	}
	fprintf(s->list, "source %s (%s)\n", p, what);
	return text;
}

/* The lab's copy of the package's file path: D/<name>/shipped/<path>, its directory made. */
static int copy_name(struct sh *s, const char *path, char *out, size_t n)
{
	if (tp_pathf(out, n, "%s/shipped%s%s", s->work, path[0] == '/' ? "" : "/", path) != 0) {
		sh_fail(s, LAB_CONF_ERR_IO, "%s: path too long", path);
		return -1;
	}
	char d[4200];
	snprintf(d, sizeof d, "%s", out);
	char *slash = strrchr(d, '/');
	if (slash)
		*slash = '\0';
	if (tp_mkdir_p(d) != 0) {
		sh_fail(s, LAB_CONF_ERR_IO, "cannot create %s: %s", d, strerror(errno));
		return -1;
	}
	return 0;
}

static FILE *open_out(struct sh *s, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		sh_fail(s, LAB_CONF_ERR_IO, "cannot write %s: %s", path, strerror(errno));
	return f;
}

static void close_out(struct sh *s, FILE *f, const char *path)
{
	if (f && (ferror(f) | fclose(f)))
		sh_fail(s, LAB_CONF_ERR_IO, "cannot write %s", path);
}

/* Copies the package's file path verbatim to its copy (out: the copy's name). 0, or -1
 * when it cannot be read (nothing copied). */
static int copy_verbatim(struct sh *s, const char *path, char *out, size_t n)
{
	char *text = sh_read(s, path);
	if (!text || copy_name(s, path, out, n) != 0) {
		free(text);
		return -1;
	}
	FILE *f = open_out(s, out);
	if (f)
		fputs(text, f);
	close_out(s, f, out);
	free(text);
	return s->st == LAB_CONF_OK ? 0 : -1;
}

/* The paths matching the package's pattern (a glob under the root), without the root, in
 * order; *n of them in out (malloc'd strings; free with free_paths). */
static size_t match_paths(const struct sh *s, const char *pattern, char **out, size_t max)
{
	char p[4200];
	glob_t g;
	size_t n = 0;
	src_path(s, pattern, p, sizeof p);
	if (glob(p, 0, NULL, &g) != 0)
		return 0;
	size_t rl = strlen(s->root);
	for (size_t i = 0; i < g.gl_pathc && n < max; i++)
		if ((out[n] = strdup(g.gl_pathv[i] + rl)))
			n++;
	globfree(&g);
	return n;
}

static void free_paths(char **p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i]);
}

/* The lines of text, one at a time: *line (NUL-terminated in place), its number. */
static char *next_line(char **cur, size_t *lineno)
{
	char *l = *cur;
	if (!l || !*l)
		return NULL;
	char *nl = strchr(l, '\n');
	if (nl)
		*nl = '\0';
	*cur = nl ? nl + 1 : l + strlen(l);
	(*lineno)++;
	return l;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Cuts a '#' comment outside double quotes off s. */
static void cut_comment(char *s)
{
	int q = 0;
	for (; *s; s++) {
		if (*s == '"')
			q = !q;
		else if (*s == '#' && !q) {
			*s = '\0';
			return;
		}
	}
}

/* Copies s without surrounding double quotes. */
static void unquote(const char *s, char *out, size_t n)
{
	size_t len = strlen(s);
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"')
		snprintf(out, n, "%.*s", (int)(len - 2), s + 1);
	else
		snprintf(out, n, "%s", s);
}

/* One line of a key-value config file: as written (raw), and its key and value split at
 * the file's separator, trimmed, the '#' comment cut off (value NULL when the line has no
 * separator; key "" for a blank or comment line). */
struct kv {
	const char *path;
	size_t lineno;
	const char *raw;
	const char *key;
	const char *value;
};

/* Calls fn(s, line, ctx) for each line of the package's file path, split at sep, until an
 * error. -1 when it cannot be read. */
static int walk(struct sh *s, const char *path, char sep,
		void (*fn)(struct sh *s, const struct kv *l, void *ctx), void *ctx)
{
	char *text = sh_read(s, path);
	if (!text)
		return -1;
	size_t lineno = 0;
	char *cur = text, *raw;
	while ((raw = next_line(&cur, &lineno)) && s->st == LAB_CONF_OK) {
		char buf[4096];
		snprintf(buf, sizeof buf, "%s", raw);
		cut_comment(buf);
		char *t = trim(buf), *at = strchr(t, sep);
		if (at)
			*at = '\0';
		struct kv l = {path, lineno, raw, trim(t), at ? trim(at + 1) : NULL};
		fn(s, &l, ctx);
	}
	free(text);
	return 0;
}

/* ---- unbound ---- */

enum { U_TA_AUTO = 1, U_TA_FILE = 2 };

static int u_file(struct sh *s, const char *path, FILE *out);

/* include: / include-toplevel: PATTERN: each file it names, walked into its own copy. */
static void u_include(struct sh *s, const char *key, const char *value, FILE *out)
{
	char pat[4096], *paths[MAX_FILES];
	unquote(value, pat, sizeof pat);
	size_t n = pat[0] == '/' ? match_paths(s, pat, paths, MAX_FILES) : 0;
	if (!n)
		fprintf(out, "# %s: %s (no file of the package matches)\n", key, value);
	for (size_t i = 0; i < n && s->st == LAB_CONF_OK; i++) {
		char copy[4200];
		FILE *f;
		if (copy_name(s, paths[i], copy, sizeof copy) != 0 || !(f = open_out(s, copy)))
			break;
		if (u_file(s, paths[i], f) != 0)
			fprintf(f, "# %s could not be read\n", paths[i]);
		close_out(s, f, copy);
		fprintf(out, "%s: \"%s\"\n", key, copy);
	}
	free_paths(paths, n);
}

static int is_clause(const char *k)
{
	static const char *const c[] = {"server", "remote-control", "forward-zone", "stub-zone",
					"auth-zone", "view", "python", "dynlib", "dnstap", "rpz",
					"cachedb", "redis", "ipset", NULL};
	for (size_t i = 0; c[i]; i++)
		if (strcmp(k, c[i]) == 0)
			return 1;
	return 0;
}

/* One line of unbound's configuration, into ctx (the FILE of its copy). */
static void u_line(struct sh *s, const struct kv *l, void *ctx)
{
	FILE *out = ctx;
	const char *key = l->key, *value = l->value;
	if (!*key || !value) {
		fprintf(out, "%s\n", l->raw);
		return;
	}
	if (strcmp(key, "include") == 0 || strcmp(key, "include-toplevel") == 0) {
		u_include(s, key, value, out);
		return;
	}
	if (is_clause(key) && !*value) {
		int drop = !strcmp(key, "forward-zone") || !strcmp(key, "stub-zone") ||
			   !strcmp(key, "auth-zone");
		if (drop)
			ov_was(s, "forward-zone, stub-zone, auth-zone clauses", key, strlen(key),
			       l->path, l->lineno);
		s->drop_clause = drop;
	}
	if (!strcmp(key, "auto-trust-anchor-file"))
		s->flags |= U_TA_AUTO;
	else if (!strcmp(key, "trust-anchor-file") || !strcmp(key, "trust-anchor") ||
		 !strcmp(key, "trusted-keys-file"))
		s->flags |= U_TA_FILE;
	int anchor = (s->flags & (U_TA_AUTO | U_TA_FILE)) && strstr(key, "trust") &&
		     strcmp(key, "trust-anchor-signaling") != 0;
	struct ov *o = anchor ? ov_find(s, "trust anchor") : ov_find(s, key);
	if (o && !s->drop_clause)
		ov_was(s, o->key, value, strlen(value), l->path, l->lineno);
	fprintf(out, o || s->drop_clause ? "# %s %s\n" : "%.0s%s\n", MARK, l->raw);
}

static int u_file(struct sh *s, const char *path, FILE *out)
{
	return walk(s, path, ':', u_line, out);
}

static void u_write(struct sh *s, FILE *out)
{
	const char *w = s->work;
	ov_add(s, "interface", "unset, unbound listens on 127.0.0.1 and ::1", "%s", s->addr);
	ov_add(s, "port", NULL, "53");
	ov_add(s, "outgoing-interface", NULL, "%s", "");
	ov_add(s, "username", "unset, unbound drops to the user unbound", "\"\" (no privilege drop)");
	ov_add(s, "chroot", NULL, "\"\"");
	ov_add(s, "directory", "unset, /etc/unbound", "\"%s\"", w);
	ov_add(s, "pidfile", "unset, /run/unbound.pid", "\"%s/unbound.pid\"", w);
	ov_add(s, "use-syslog", "unset, yes", "no (the log is the lab's, D/log/)");
	ov_add(s, "logfile", NULL, "\"\"");
	ov_add(s, "do-not-query-localhost", "unset, yes",
	       "no (the lab's servers are on 127.53.0.0/24)");
	ov_add(s, "root-hints", "unset, the compiled-in hints of the real root", "\"%s/root.hints\"",
	       s->dir);
	ov_add(s, "trust anchor", NULL, "%s", "");
	ov_add(s, "control-enable", "unset, no", "no (the lab never uses unbound-control)");
	static const char *const ctl[] = {"control-interface", "control-port", "control-use-cert",
					  "server-key-file", "server-cert-file", "control-key-file",
					  "control-cert-file"};
	for (size_t i = 0; i < sizeof ctl / sizeof ctl[0]; i++)
		ov_add(s, ctl[i], NULL, "%s", "");
	ov_add(s, "forward-zone, stub-zone, auth-zone clauses", NULL, "%s", "");
	if (u_file(s, "/etc/unbound/unbound.conf", out) != 0) {
		sh_fail(s, LAB_CONF_ERR_INPUT, "cannot read the package's %s/etc/unbound/unbound.conf: "
			"is unbound installed?", s->root);
		return;
	}
	/* the anchor takes the place of the package's, in the same form; none without one */
	struct ov *ta = ov_find(s, "trust anchor");
	const char *ta_line = s->flags & U_TA_AUTO ? "auto-trust-anchor-file" :
			      s->flags & U_TA_FILE ? "trust-anchor-file" : NULL;
	if (ta_line)
		snprintf(ta->lab, sizeof ta->lab, "%s: \"%s/root.key\", the lab's root KSK%s", ta_line,
			 w, s->flags & U_TA_AUTO ? " (RFC 5011 state in the lab's copy)" : "");
	else
		note(s, "trust anchor: none added (the package's configuration has none, so this "
		     "unbound validates nothing)");
	fprintf(out, "\n# ---- the lab's lines (D/<name>/overrides lists each) ----\nserver:\n");
	fprintf(out, "\tinterface: %s\n\tport: 53\n\tusername: \"\"\n\tchroot: \"\"\n", s->addr);
	fprintf(out, "\tdirectory: \"%s\"\n\tpidfile: \"%s/unbound.pid\"\n", w, w);
	fprintf(out, "\tuse-syslog: no\n\tlogfile: \"\"\n\tdo-not-query-localhost: no\n");
	fprintf(out, "\troot-hints: \"%s/root.hints\"\n", s->dir);
	if (ta_line)
		fprintf(out, "\t%s: \"%s/root.key\"\n", ta_line, w);
	/* test. is one of unbound's default local zones (RFC 6761): the lab's TLD */
	fprintf(out, "\tlocal-zone: \"test.\" nodefault\n");
	note(s, "local-zone: \"test.\" nodefault (the package: test. is one of unbound's default "
	     "local zones, RFC 6761; the lab's zones live there)");
	fprintf(out, "remote-control:\n\tcontrol-enable: no\n");
	note(s, "the unit's unbound-helper steps (chroot_setup, root_trust_anchor_update with "
	     "unbound-anchor) are not run: they write the host's files");
}

/* ---- BIND named ---- */

enum { B_OPTIONS = 1, B_HINT = 2, B_NO_VALIDATION = 4 };

/* The end of the comment or string that starts at p, or p when none does. */
static const char *b_over(const char *p, const char *end)
{
	const char *e = NULL;
	if (*p == '#' || (p + 1 < end && p[0] == '/' && p[1] == '/'))
		e = memchr(p, '\n', (size_t)(end - p));
	else if (p + 1 < end && p[0] == '/' && p[1] == '*') {
		for (e = p + 2; e + 1 < end && !(e[0] == '*' && e[1] == '/'); e++)
			;
		e = e + 1 < end ? e + 2 : NULL;
	} else if (*p == '"') {
		e = memchr(p + 1, '"', (size_t)(end - p - 1));
		e = e ? e + 1 : NULL;
	} else
		return p;
	return e ? e : end;
}

static const char *b_skip(const char *p, const char *end)
{
	while (p < end) {
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *q = *p == '"' ? p : b_over(p, end);
		if (q == p)
			break;
		p = q;
	}
	return p;
}

/* The end of the statement at p (past its ';'); *open and *close its outer braces. */
static const char *b_end(const char *p, const char *end, const char **open, const char **close)
{
	int depth = 0;
	*open = *close = NULL;
	while (p < end) {
		const char *q = b_over(p, end);
		if (q != p) {
			p = q;
			continue;
		}
		if (*p == '{' && depth++ == 0)
			*open = p;
		else if (*p == '}' && --depth == 0)
			*close = p;
		else if (*p == ';' && depth <= 0)
			return p + 1;
		p++;
	}
	return end;
}

static void b_word(const char *p, const char *end, char *w, size_t n)
{
	size_t k = 0;
	while (p + k < end && k + 1 < n && (isalnum((unsigned char)p[k]) || p[k] == '-' ||
					    p[k] == '_'))
		k++;
	memcpy(w, p, k);
	w[k] = '\0';
}

/* The first quoted string in [p, end): out, and *at its opening quote. 0, or -1. */
static int b_string(const char *p, const char *end, char *out, size_t n, const char **at)
{
	const char *q = memchr(p, '"', (size_t)(end - p));
	const char *e = q ? memchr(q + 1, '"', (size_t)(end - q - 1)) : NULL;
	if (!e)
		return -1;
	snprintf(out, n, "%.*s", (int)(e - q - 1), q + 1);
	*at = q;
	return 0;
}

static size_t line_of(const char *text, const char *p)
{
	size_t n = 1;
	for (; text < p; text++)
		n += *text == '\n';
	return n;
}

static int b_file(struct sh *s, const char *path, FILE *out);

/* The statements of [p, end) of file (whose text starts at text), into out. options: inside
 * the options block. */
static void b_stmts(struct sh *s, const char *path, const char *text, const char *p,
		    const char *end, int options, FILE *out)
{
	static const char *const opt_ov[] = {"directory", "pid-file", "session-keyfile",
					     "managed-keys-directory", "listen-on", "listen-on-v6",
					     "dnssec-validation", "forwarders", "forward", NULL};
	static const char *const top_out[] = {"controls", "trust-anchors", "managed-keys",
					      "trusted-keys", "logging", NULL};
	while (p < end && s->st == LAB_CONF_OK) {
		const char *st = b_skip(p, end), *open, *close;
		fwrite(p, 1, (size_t)(st - p), out);
		if (st >= end)
			break;
		const char *e = b_end(st, end, &open, &close);
		char w[64], str[4096];
		const char *q;
		size_t line = line_of(text, st);
		b_word(st, e, w, sizeof w);
		const char *val = st + strlen(w);
		int left_out = 0;
		for (size_t i = 0; options && opt_ov[i]; i++)
			left_out |= strcmp(w, opt_ov[i]) == 0;
		for (size_t i = 0; !options && top_out[i]; i++)
			left_out |= strcmp(w, top_out[i]) == 0;
		if (left_out) {
			if (!strcmp(w, "dnssec-validation") && strstr(val, "no") &&
			    (size_t)(strstr(val, "no") - st) < (size_t)(e - st))
				s->flags |= B_NO_VALIDATION;
			ov_was(s, !strcmp(w, "managed-keys") || !strcmp(w, "trusted-keys") ?
				  "trust-anchors" : w, val, (size_t)(e - val - 1), path, line);
			fprintf(out, "/* %s a %s statement */", MARK, w);
		} else if (!options && !strcmp(w, "include") &&
			   b_string(st, e, str, sizeof str, &q) == 0 && str[0] == '/') {
			char copy[4200];
			FILE *f;
			if (copy_name(s, str, copy, sizeof copy) == 0 && (f = open_out(s, copy))) {
				if (b_file(s, str, f) != 0)
					fprintf(f, "// %s could not be read\n", str);
				close_out(s, f, copy);
				fprintf(out, "include \"%s\";", copy);
			}
		} else if (!options && !strcmp(w, "options") && open && close) {
			s->flags |= B_OPTIONS;
			fwrite(st, 1, (size_t)(open + 1 - st), out);
			b_stmts(s, path, text, open + 1, close, 1, out);
			fprintf(out, "\n\t// ---- the lab's options (D/<name>/overrides lists each) ----\n");
			fprintf(out, "\tdirectory \"%s\";\n\tpid-file \"%s/named.pid\";\n", s->work,
				s->work);
			fprintf(out, "\tsession-keyfile \"%s/session.key\";\n", s->work);
			fprintf(out, "\tmanaged-keys-directory \"%s\";\n", s->work);
			fprintf(out, "\tlisten-on port 53 { %s; };\n\tlisten-on-v6 { none; };\n", s->addr);
			fprintf(out, "\tdnssec-validation %s;\n",
				s->flags & B_NO_VALIDATION ? "no" : "yes");
			fwrite(close, 1, (size_t)(e - close), out);
		} else if (!options && !strcmp(w, "zone") && open &&
			   b_string(st, open, str, sizeof str, &q) == 0 && !strcmp(str, ".") &&
			   strstr(open, "hint") && strstr(open, "hint") < close) {
			s->flags |= B_HINT;
			char file[4096] = "";
			b_string(open, close, file, sizeof file, &q);
			ov_was(s, "zone \".\" (hint)", file, strlen(file), path, line);
			fprintf(out, "zone \".\" { type hint; file \"%s/root.hints\"; };", s->dir);
		} else if (!options && !strcmp(w, "zone") && open && close) {
			/* a zone of the package's (localhost, ...): its file copied, the copy named */
			const char *fw = strstr(open, "file");
			char copy[4200];
			if (fw && fw < close && b_string(fw, close, str, sizeof str, &q) == 0 &&
			    str[0] == '/' && copy_verbatim(s, str, copy, sizeof copy) == 0) {
				fwrite(st, 1, (size_t)(q - st), out);
				fprintf(out, "\"%s\"", copy);
				const char *after = q + 1 + strlen(str) + 1;
				fwrite(after, 1, (size_t)(e - after), out);
			} else {
				fwrite(st, 1, (size_t)(e - st), out);
			}
		} else {
			fwrite(st, 1, (size_t)(e - st), out);
		}
		p = e;
	}
}

static int b_file(struct sh *s, const char *path, FILE *out)
{
	char *text = sh_read(s, path);
	if (!text)
		return -1;
	b_stmts(s, path, text, text, text + strlen(text), 0, out);
	free(text);
	return 0;
}

static void b_write(struct sh *s, FILE *out)
{
	const char *w = s->work;
	ov_add(s, "directory", NULL, "\"%s\"", w);
	ov_add(s, "pid-file", "unset, /run/named/named.pid", "\"%s/named.pid\"", w);
	ov_add(s, "session-keyfile", "unset, /run/named/session.key", "\"%s/session.key\"", w);
	ov_add(s, "managed-keys-directory", "unset, the directory", "\"%s\"", w);
	ov_add(s, "listen-on", "unset, every IPv4 interface", "port 53 { %s; }", s->addr);
	ov_add(s, "listen-on-v6", "unset, every IPv6 interface", "{ none; } (the lab is IPv4)");
	ov_add(s, "forwarders", NULL, "%s", "");
	ov_add(s, "forward", NULL, "%s", "");
	ov_add(s, "controls", "unset, rndc on 127.0.0.1 port 953 with /etc/bind/rndc.key",
	       "{ }; (the lab never uses rndc)");
	ov_add(s, "logging", NULL, "%s", "");
	ov_add(s, "trust-anchors", NULL, "%s", "");
	ov_add(s, "zone \".\" (hint)", "unset, named's built-in hints of the real root",
	       "file \"%s/root.hints\"", s->dir);
	ov_add(s, "dnssec-validation", "unset, auto, named's built-in root key", "%s", "");
	if (b_file(s, "/etc/bind/named.conf", out) != 0) {
		sh_fail(s, LAB_CONF_ERR_INPUT, "cannot read the package's %s/etc/bind/named.conf: "
			"is bind9 installed?", s->root);
		return;
	}
	if (s->st != LAB_CONF_OK)
		return;
	fprintf(out, "\n// ---- the lab's lines (D/<name>/overrides lists each) ----\n");
	if (!(s->flags & B_OPTIONS)) {
		fprintf(out, "options {\n\tdirectory \"%s\";\n\tpid-file \"%s/named.pid\";\n", w, w);
		fprintf(out, "\tsession-keyfile \"%s/session.key\";\n\tmanaged-keys-directory \"%s\";\n",
			w, w);
		fprintf(out, "\tlisten-on port 53 { %s; };\n\tlisten-on-v6 { none; };\n", s->addr);
		fprintf(out, "\tdnssec-validation yes;\n};\n");
		ov_add(s, "directory", "unset, /etc/bind, named's compiled-in default", "\"%s\"", w);
	}
	struct ov *v = ov_find(s, "dnssec-validation");
	if (s->flags & B_NO_VALIDATION) {
		snprintf(v->lab, sizeof v->lab, "no, as the package has it: no trust anchor added");
	} else {
		/* "auto" is RFC 5011 managed keys seeded with named's built-in root key; "yes"
		 * with the lab's initial-key is the same mechanism seeded with the lab's KSK */
		snprintf(v->lab, sizeof v->lab, "yes, with the lab's root KSK as initial-key "
			 "(trust-anchors of %s/ta/bind.conf, RFC 5011 as auto)", s->dir);
		fprintf(out, "include \"%s/ta/bind.conf\";\n", s->dir);
	}
	if (!(s->flags & B_HINT))
		fprintf(out, "zone \".\" { type hint; file \"%s/root.hints\"; };\n", s->dir);
	fprintf(out, "controls { };\n");
	/* Debian's unit: named -f $OPTIONS, OPTIONS="-u bind" in /etc/default/named */
	char *def = sh_read(s, "/etc/default/named");
	const char *u = def ? strstr(def, "-u ") : NULL;
	if (u)
		note(s, "named -g -c CONFIG without OPTIONS' -u %.*s of /etc/default/named: no "
		     "privilege drop (the lab's user namespace maps one user)",
		     (int)strcspn(u + 3, " \"\n"), u + 3);
	free(def);
}

/* ---- PowerDNS Recursor ---- */

/* What p_line writes to and finds. */
struct p_ctx {
	FILE *out;
	char lua[4096];    /* the lua-config-file the package names */
	char incdir[4096]; /* its include-dir */
};

/* One line of a recursor.conf-syntax file: a setting the lab replaces is commented out
 * and recorded. */
static void p_line(struct sh *s, const struct kv *l, void *ctx)
{
	struct p_ctx *p = ctx;
	char key[128];
	snprintf(key, sizeof key, "%s", l->key);
	size_t kl = strlen(key);
	if (kl && key[kl - 1] == '+') /* key+=value */
		key[--kl] = '\0';
	struct ov *o = l->value ? ov_find(s, trim(key)) : NULL;
	if (!o) {
		fprintf(p->out, "%s\n", l->raw);
		return;
	}
	if (!strcmp(o->key, "lua-config-file"))
		snprintf(p->lua, sizeof p->lua, "%s", l->value);
	if (!strcmp(o->key, "include-dir"))
		snprintf(p->incdir, sizeof p->incdir, "%s", l->value);
	/* a setting the lab has too, set the same: no override */
	if (strcmp(o->key, "security-poll-suffix") != 0 || *l->value)
		ov_was(s, o->key, l->value, strlen(l->value), l->path, l->lineno);
	fprintf(p->out, "# %s %s\n", MARK, l->raw);
}

static void p_write(struct sh *s, FILE *out)
{
	const char *w = s->work;
	char path[4200];
	struct p_ctx pc = {.out = out};
	const char *lua = pc.lua, *incdir = pc.incdir;
	ov_add(s, "config-dir", NULL, "%s (the command line's --config-dir)", w);
	ov_add(s, "local-address", "unset, 127.0.0.1", "%s", s->addr);
	ov_add(s, "local-port", NULL, "53");
	ov_add(s, "hint-file", "unset, the compiled-in hints of the real root", "%s/root.hints",
	       s->dir);
	ov_add(s, "dont-query", "unset, 127.0.0.0/8 and the other private ranges",
	       "empty (the lab's servers are on 127.53.0.0/24)");
	ov_add(s, "lua-config-file", "unset, none, the compiled-in root anchors",
	       "%s/recursor.lua: the package's file (dofile), then clearTA() and addTA('.', the "
	       "lab's root KSK)", w);
	ov_add(s, "include-dir", NULL, "%s", "");
	ov_add(s, "socket-dir", "unset, /run/pdns-recursor", "%s", w);
	ov_add(s, "security-poll-suffix", NULL, "empty (no query leaves the lab)");
	static const char *const gone[] = {"setuid", "setgid", "forward-zones",
					   "forward-zones-recurse", "forward-zones-file",
					   "query-local-address", "api-config-dir", "daemon",
					   "write-pid", "disable-syslog"};
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
		ov_add(s, gone[i], NULL, "%s", i >= 7 ? "as the unit's command line" : "");
	if (walk(s, "/etc/powerdns/recursor.conf", '=', p_line, &pc) != 0) {
		sh_fail(s, LAB_CONF_ERR_INPUT, "cannot read the package's %s/etc/powerdns/recursor.conf:"
			" is pdns-recursor installed?", s->root);
		return;
	}
	if (incdir[0]) {
		/* include-dir: its *.conf files, walked into copies in a directory of the lab's */
		char pat[4200], *paths[MAX_FILES], copydir[4200] = "";
		snprintf(pat, sizeof pat, "%s/*.conf", incdir);
		size_t n = match_paths(s, pat, paths, MAX_FILES);
		for (size_t i = 0; i < n && s->st == LAB_CONF_OK; i++) {
			char copy[4200];
			struct p_ctx inc = {0};
			if (copy_name(s, paths[i], copy, sizeof copy) != 0 ||
			    !(inc.out = open_out(s, copy)))
				break;
			walk(s, paths[i], '=', p_line, &inc);
			close_out(s, inc.out, copy);
		}
		free_paths(paths, n);
		snprintf(path, sizeof path, "%s/x", incdir);
		if (copy_name(s, path, copydir, sizeof copydir) == 0)
			*strrchr(copydir, '/') = '\0';
		snprintf(ov_find(s, "include-dir")->lab, sizeof ov_find(s, "include-dir")->lab,
			 "%s (a copy of the package's)", copydir);
		fprintf(out, "include-dir=%s\n", copydir);
	}
	/* the lab's Lua: the package's, then the lab's anchors (the lines the lab's own
	 * writer put in recursor.lua) */
	char lab_lua[4200], copy[4200] = "";
	size_t len;
	snprintf(lab_lua, sizeof lab_lua, "%s/recursor.lua", w);
	char *own = tp_read_file(lab_lua, MAX_TEXT, &len);
	if (!own) {
		sh_fail(s, LAB_CONF_ERR_INPUT, "cannot read the lab's %s", lab_lua);
		return;
	}
	if (lua[0] == '/' && copy_verbatim(s, lua, copy, sizeof copy) != 0)
		copy[0] = '\0';
	FILE *l = open_out(s, lab_lua);
	if (l) {
		if (copy[0])
			fprintf(l, "-- the package's %s\ndofile(\"%s\")\n", lua, copy);
		fputs(own, l);
	}
	close_out(s, l, lab_lua);
	free(own);
	fprintf(out, "\n# ---- the lab's lines (D/<name>/overrides lists each) ----\n");
	fprintf(out, "local-address=%s\nlocal-port=53\nhint-file=%s/root.hints\ndont-query=\n",
		s->addr, s->dir);
	fprintf(out, "lua-config-file=%s\nsecurity-poll-suffix=\nsocket-dir=%s\n", lab_lua, w);
	/* Debian's unit: --daemon=no --write-pid=no --disable-syslog --log-timestamp=no */
	fprintf(out, "daemon=no\nwrite-pid=no\ndisable-syslog=yes\n");
	note(s, "no privilege drop (the unit's User=pdns and Group=pdns): the lab's user "
	     "namespace maps one user");
}

/* ---- Knot Resolver ---- */

/* The -c files of the package's kresd@.service ExecStart, in order; n of them. */
static size_t k_configs(struct sh *s, char **out, size_t max)
{
	static const char *const units[] = {"/lib/systemd/system/kresd@.service",
					    "/usr/lib/systemd/system/kresd@.service"};
	size_t n = 0;
	for (size_t u = 0; u < 2 && n == 0; u++) {
		char *text = sh_read(s, units[u]);
		const char *ex = text ? strstr(text, "ExecStart=") : NULL;
		for (const char *p = ex; p && (p = strstr(p, " -c ")) &&
		     p < ex + strcspn(ex, "\n") && n < max; p += 4) {
			size_t k = strcspn(p + 4, " \n");
			if ((out[n] = strndup(p + 4, k)))
				n++;
		}
		free(text);
	}
	if (n == 0 && (out[0] = strdup("/etc/knot-resolver/kresd.conf")))
		n = 1;
	return n;
}

/* Records each call of a function the lab takes over in the package's Lua file (its
 * copy: path). */
static void k_scan(struct sh *s, const char *path, const char *text)
{
	static const char *const calls[][2] = {
		{"net.listen", "net.listen"}, {"user(", "user"},
		{"cache.size", "cache"}, {"cache.storage", "cache"}, {"cache.open", "cache"},
		{"current_storage", "cache"}, {"trust_anchors.add", "trust_anchors.add"},
		{"log_target", "log_target"}, {"hints.root", "hints.root_file"},
	};
	size_t lineno = 0;
	char *copy = strdup(text), *cur = copy, *l;
	while (copy && (l = next_line(&cur, &lineno))) {
		char *c = strstr(l, "--");
		if (c)
			*c = '\0';
		for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
			const char *at = strstr(l, calls[i][0]);
			if (at && (at == l || !isalnum((unsigned char)at[-1])))
				ov_was(s, calls[i][1], trim(l), strlen(trim(l)), path, lineno);
		}
	}
	free(copy);
}

static void k_write(struct sh *s, FILE *out)
{
	const char *w = s->work;
	char *cfg[8];
	size_t n = k_configs(s, cfg, 8), done = 0;
	ov_add(s, "net.listen", "unset, kresd listens on nothing",
	       "ignored; the lab's net.listen('%s', 53, { kind = 'dns' })", s->addr);
	ov_add(s, "user", NULL, "ignored: no privilege drop");
	ov_add(s, "cache", "unset, the default cache",
	       "cache.size, cache.storage, cache.open and current_storage ignored; the lab's "
	       "cache.open(10 * MB, 'lmdb://%s/cache')", w);
	ov_add(s, "trust_anchors.add", NULL, "ignored (it could write the host's key file)");
	ov_add(s, "log_target", NULL, "ignored: log_target('stderr'), the lab's log");
	ov_add(s, "hints.root_file", "unset, the compiled-in hints of the real root",
	       "hints.root_file('%s/root.hints') after it", s->dir);
	fprintf(out, "-- the package's configuration (the unit's -c files, copied), then the "
		"lab's lines; D/<name>/overrides lists each\n");
	/* kresd runs its config in a sandbox whose cache, net and trust_anchors are
	 * protected tables (assigning one copies fields into it): the lab takes over their
	 * functions and cache's declarative __newindex for the package's files, and gives
	 * them back after */
	fprintf(out, "log_target('stderr')\n"
		"local lab_real = { listen = net.listen, user = user, log_target = log_target,\n"
		"\topen = cache.open, newindex = getmetatable(cache).__newindex,\n"
		"\tadd_file = trust_anchors.add_file, add = trust_anchors.add }\n"
		"local function lab_ignored() end\n"
		"net.listen = lab_ignored\nuser = lab_ignored\nlog_target = lab_ignored\n"
		"cache.open = lab_ignored\n"
		"getmetatable(cache).__newindex = lab_ignored\n"
		"trust_anchors.add_file = lab_ignored\ntrust_anchors.add = lab_ignored\n");
	for (size_t i = 0; i < n && s->st == LAB_CONF_OK; i++) {
		char copy[4200];
		if (copy_verbatim(s, cfg[i], copy, sizeof copy) != 0)
			continue;
		size_t len;
		char *text = tp_read_file(copy, MAX_TEXT, &len);
		if (text)
			k_scan(s, cfg[i], text);
		free(text);
		fprintf(out, "dofile('%s')\n", copy);
		done++;
	}
	for (size_t i = 0; i < n; i++)
		free(cfg[i]);
	if (done == 0 && s->st == LAB_CONF_OK) {
		sh_fail(s, LAB_CONF_ERR_INPUT, "cannot read the package's %s/etc/knot-resolver/kresd.conf:"
			" is knot-resolver installed?", s->root);
		return;
	}
	fprintf(out, "net.listen = lab_real.listen\nuser = lab_real.user\n"
		"log_target = lab_real.log_target\ncache.open = lab_real.open\n"
		"getmetatable(cache).__newindex = lab_real.newindex\n"
		"rawset(cache, 'current_storage', 'lmdb://%s/cache')\n"
		"trust_anchors.add_file = lab_real.add_file\ntrust_anchors.add = lab_real.add\n", w);
	fprintf(out, "-- ---- the lab's lines ----\nlog_target('stderr')\n");
	fprintf(out, "net.listen('%s', 53, { kind = 'dns' })\n", s->addr);
	fprintf(out, "hints.root_file('%s/root.hints')\n", s->dir);
	fprintf(out, "trust_anchors.remove('.')\ntrust_anchors.add_file('%s/root.keys', true)\n", w);
	fprintf(out, "policy.add(policy.all(policy.FLAGS('ALLOW_LOCAL')))\n");
	fprintf(out, "policy.add(policy.suffix(policy.PASS, policy.todnames({'test.'})))\n");
	fprintf(out, "cache.open(10 * MB, 'lmdb://%s/cache')\n", w);
	note(s, "trust anchor: trust_anchors.remove('.') then add_file('%s/root.keys', true), the "
	     "lab's root KSK read-only (the package: /usr/share/dns/root.key, preloaded read-only)",
	     w);
	note(s, "policy.FLAGS('ALLOW_LOCAL') for every query and policy.PASS for test. (the "
	     "package: no glue into 127/8, and test. answered locally as a special-use name)");
	note(s, "the rundir is %s (the unit's WorkingDirectory /var/lib/knot-resolver); no "
	     "privilege drop (the unit's User=knot-resolver)", w);
}

/* ---- dnsmasq ---- */

enum { D_DNSSEC = 1 };

static int d_file(struct sh *s, const char *path, FILE *out);

/* conf-dir=DIR[,.ext,...]: its files but those ending in the listed extensions. */
static void d_dir(struct sh *s, const char *value, FILE *out)
{
	char dir[4096], pat[4200], *paths[MAX_FILES];
	snprintf(dir, sizeof dir, "%s", value);
	char *exts = strchr(dir, ',');
	if (exts)
		*exts++ = '\0';
	snprintf(pat, sizeof pat, "%s/*", dir);
	size_t n = dir[0] == '/' ? match_paths(s, pat, paths, MAX_FILES) : 0;
	for (size_t i = 0; i < n && s->st == LAB_CONF_OK; i++) {
		int skip = 0;
		for (char *e = exts, *save = NULL, *t = e ? strtok_r(e, ",", &save) : NULL; t;
		     t = strtok_r(NULL, ",", &save))
			skip |= strlen(paths[i]) >= strlen(t) &&
				strcmp(paths[i] + strlen(paths[i]) - strlen(t), t) == 0;
		char copy[4200];
		FILE *f;
		if (skip || copy_name(s, paths[i], copy, sizeof copy) != 0 || !(f = open_out(s, copy)))
			continue;
		d_file(s, paths[i], f);
		close_out(s, f, copy);
		fprintf(out, "conf-file=%s\n", copy);
	}
	free_paths(paths, n);
}

/* One line of dnsmasq's configuration, into ctx (the FILE of its copy). */
static void d_line(struct sh *s, const struct kv *l, void *ctx)
{
	FILE *out = ctx;
	const char *t = l->key, *value = l->value ? l->value : "";
	if (!strcmp(t, "dnssec"))
		s->flags |= D_DNSSEC;
	if (!strcmp(t, "conf-dir")) {
		d_dir(s, value, out);
		return;
	}
	if (!strcmp(t, "conf-file") && strstr(value, "trust-anchors")) {
		ov_was(s, "trust-anchor", value, strlen(value), l->path, l->lineno);
		fprintf(out, "# %s %s\n", MARK, l->raw);
		return;
	}
	if (!strcmp(t, "conf-file") && value[0] == '/') {
		char copy[4200];
		FILE *f;
		if (copy_name(s, value, copy, sizeof copy) == 0 && (f = open_out(s, copy))) {
			d_file(s, value, f);
			close_out(s, f, copy);
			fprintf(out, "conf-file=%s\n", copy);
		}
		return;
	}
	struct ov *o = *t ? ov_find(s, t) : NULL;
	if (o)
		ov_was(s, o->key, value, strlen(value), l->path, l->lineno);
	fprintf(out, o ? "# %s %s\n" : "%.0s%s\n", MARK, l->raw);
}

static int d_file(struct sh *s, const char *path, FILE *out)
{
	return walk(s, path, '=', d_line, out);
}

static void d_write(struct sh *s, FILE *out)
{
	char lab_conf[4200], up[64] = "", anchor[600] = "";
	size_t len;
	/* the lab's own writer's upstream (server=) and anchor (trust-anchor=) */
	snprintf(lab_conf, sizeof lab_conf, "%s", s->cmd->config);
	char *own = tp_read_file(lab_conf, MAX_TEXT, &len);
	for (char *l = own ? strtok(own, "\n") : NULL; l; l = strtok(NULL, "\n")) {
		if (!strncmp(l, "server=", 7))
			snprintf(up, sizeof up, "%.60s", l + 7);
		if (!strncmp(l, "trust-anchor=", 13))
			snprintf(anchor, sizeof anchor, "%.590s", l);
	}
	free(own);
	char ta[4200];
	snprintf(ta, sizeof ta, "%s/ta/dnsmasq.conf", s->dir);
	char *tatext = anchor[0] ? NULL : tp_read_file(ta, MAX_TEXT, &len);
	const char *tl = tatext ? strstr(tatext, "trust-anchor=") : NULL;
	if (tl)
		snprintf(anchor, sizeof anchor, "%.*s", (int)strcspn(tl, "\n"), tl);
	free(tatext);
	ov_add(s, "no-resolv", "unset, the nameservers of /etc/resolv.conf", "set, and server=%s "
	       "(the lab's unbound-novalidate, as the lab's dnsmasq)", up);
	static const char *const gone[] = {"resolv-file", "server", "local", "interface",
					   "except-interface", "bind-dynamic", "trust-anchor"};
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
		ov_add(s, gone[i], NULL, "%s", "");
	ov_add(s, "listen-address", "unset, every interface", "%s, bind-interfaces", s->addr);
	ov_add(s, "bind-interfaces", NULL, "set");
	ov_add(s, "port", NULL, "53");
	ov_add(s, "user", "unset, nobody", "root (no privilege drop)");
	ov_add(s, "group", "unset, dip", "empty (no change of group)");
	ov_add(s, "pid-file", "unset, /run/dnsmasq.pid", "empty (none)");
	ov_add(s, "log-facility", "unset, syslog", "- (stderr, the lab's log)");
	fprintf(out, "# the package's configuration, then the lab's lines; D/<name>/overrides "
		"lists each\n");
	char copy[4200];
	FILE *f;
	struct stat st;
	char main[4200];
	src_path(s, "/etc/dnsmasq.conf", main, sizeof main);
	if (stat(main, &st) == 0 && copy_name(s, "/etc/dnsmasq.conf", copy, sizeof copy) == 0 &&
	    (f = open_out(s, copy))) {
		d_file(s, "/etc/dnsmasq.conf", f);
		close_out(s, f, copy);
		fprintf(out, "conf-file=%s\n", copy);
	} else {
		note(s, "configuration: none, dnsmasq's compiled-in defaults (the package installs "
		     "no /etc/dnsmasq.conf; dnsmasq-base alone ships none)");
	}
	fprintf(out, "# ---- the lab's lines ----\nno-resolv\nserver=%s\n", up);
	fprintf(out, "listen-address=%s\nbind-interfaces\nport=53\nuser=root\ngroup=\n", s->addr);
	fprintf(out, "pid-file=\nlog-facility=-\n");
	if (s->flags & D_DNSSEC) {
		fprintf(out, "%s\n", anchor);
		note(s, "trust anchor: %s, the lab's root KSK (the package turns dnssec on)", anchor);
	} else {
		note(s, "validation: none (the package does not turn on --dnssec): no trust anchor "
		     "added");
	}
}

/* ---- entry points ---- */

enum lab_conf_status lab_shipped_write(const struct lab_instance *inst, const char *dir,
				       const struct lab_cmd *cmd, char *err, size_t errlen)
{
	const char *root = getenv("TRUSTPROBE_SHIPPED_ROOT");
	struct sh s = {.dir = dir, .work = cmd->workdir, .addr = inst->addr,
		       .root = root ? root : "", .cmd = cmd, .err = err, .errlen = errlen};
	if (inst->kind == LAB_PROXY_RESOLVER) {
		snprintf(err, errlen, "instance %s: the liar is no package's", inst->name);
		return LAB_CONF_ERR_PLAN;
	}
	char list[4200], tmp[4200];
	if (tp_pathf(list, sizeof list, "%s/overrides", cmd->workdir) != 0 ||
	    tp_pathf(tmp, sizeof tmp, "%s.shipped", cmd->config) != 0) {
		snprintf(err, errlen, "%s: path too long", cmd->workdir);
		return LAB_CONF_ERR_IO;
	}
	if (!(s.list = open_out(&s, list)))
		return s.st;
	FILE *out = open_out(&s, tmp);
	if (out) {
		fprintf(out, "%s lab instance %s: the package's own configuration\n",
			inst->kind == LAB_BIND ? "//" : inst->kind == LAB_KNOT_RESOLVER ? "--" : "#",
			inst->name);
		switch (inst->kind) {
		case LAB_UNBOUND: u_write(&s, out); break;
		case LAB_BIND: b_write(&s, out); break;
		case LAB_PDNS_RECURSOR: p_write(&s, out); break;
		case LAB_KNOT_RESOLVER: k_write(&s, out); break;
		default: d_write(&s, out); break;
		}
		ov_flush(&s);
		close_out(&s, out, tmp);
	}
	close_out(&s, s.list, list);
	if (s.st == LAB_CONF_OK && rename(tmp, cmd->config) != 0)
		sh_fail(&s, LAB_CONF_ERR_IO, "cannot write %s: %s", cmd->config, strerror(errno));
	if (s.st != LAB_CONF_OK)
		unlink(tmp);
	for (char *p = err; s.st != LAB_CONF_OK && *p; p++)
		if (*p == '\n')
			*p = ' ';
	return s.st;
}

enum lab_conf_status lab_conf_append(enum lab_kind kind, const struct lab_cmd *cmd,
				     const char *snippet, char *err, size_t errlen)
{
	size_t len;
	char *text = tp_read_file(snippet, MAX_TEXT, &len);
	if (!text || memchr(text, '\0', len)) {
		free(text);
		snprintf(err, errlen, "--conf: cannot read %s as a small text file", snippet);
		return LAB_CONF_ERR_INPUT;
	}
	const char *c = kind == LAB_BIND ? "//" : kind == LAB_KNOT_RESOLVER ? "--" : "#";
	FILE *f = fopen(cmd->config, "a");
	int bad = !f;
	if (f) {
		fprintf(f, "%s ---- --conf %s: the user's lines, after the lab's ----\n", c, snippet);
		fwrite(text, 1, len, f);
		if (len && text[len - 1] != '\n')
			fputc('\n', f);
		fprintf(f, "%s ---- end of %s ----\n", c, snippet);
		bad = ferror(f) | fclose(f);
	}
	free(text);
	if (bad) {
		snprintf(err, errlen, "cannot write %s", cmd->config);
		return LAB_CONF_ERR_IO;
	}
	return LAB_CONF_OK;
}
