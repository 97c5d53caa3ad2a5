/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_user: see lab_user.h. */
#include "lab_user.h"
#include "lab.h"
#include "labenv.h"
#include "lab_which.h"
#include "tp_util.h"
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Family names: the lab's instance names first (what lab_user_family returns), then the
 * program names the issue of a build goes by. */
static const struct {
	const char *name;
	enum lab_kind kind;
} families[] = {
	{"unbound", LAB_UNBOUND},           {"bind", LAB_BIND},
	{"pdns-recursor", LAB_PDNS_RECURSOR}, {"knot-resolver", LAB_KNOT_RESOLVER},
	{"dnsmasq", LAB_DNSMASQ},           {"named", LAB_BIND},
	{"pdns_recursor", LAB_PDNS_RECURSOR}, {"kresd", LAB_KNOT_RESOLVER},
};
#define N_FAMILIES 5 /* the first five are the families themselves */

static int family_of(const char *s, size_t len, enum lab_kind *k)
{
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		if (strlen(families[i].name) == len && strncmp(families[i].name, s, len) == 0) {
			*k = families[i].kind;
			return 1;
		}
	return 0;
}

const char *lab_user_family(enum lab_kind k)
{
	for (size_t i = 0; i < N_FAMILIES; i++)
		if (families[i].kind == k)
			return families[i].name;
	return "liar";
}

int lab_user_opt(struct lab_user_opts *u, int opt, const char *arg, char *err, size_t errlen)
{
	const char **list = opt == LAB_USER_OPT_WITH ? u->with :
			    opt == LAB_USER_OPT_SHIPPED ? u->shipped : u->conf;
	size_t *n = opt == LAB_USER_OPT_WITH ? &u->n_with :
		    opt == LAB_USER_OPT_SHIPPED ? &u->n_shipped : &u->n_conf;
	if (*n >= LAB_USER_MAX_OPTS)
		return tp_errf(err, errlen, "at most %d of each of --with, --shipped and --conf",
			      LAB_USER_MAX_OPTS);
	list[(*n)++] = arg;
	return 0;
}

/* An instance name: LDH, starting with a letter, short enough for every file name. */
static int name_ok(const char *s, size_t len)
{
	if (len == 0 || len > 40 || !isalpha((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

/* A path lab.env and the configs can carry as it is. */
static int path_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || *s == '\'' || *s == '"' || *s == '\\' || *s == 0x7f)
			return 0;
	return 1;
}

/* strdup that lives for the run; NULL only when out of memory. Every copy stays listed
 * here, also one that an option found wrong later never stored: it is the run's, not
 * lost (LeakSanitizer reported those as leaks on the one-line error paths). */
static const char *keep(const char *s, size_t len)
{
	static char **kept;
	static size_t n_kept, cap;
	if (n_kept == cap) {
		size_t ncap = cap ? 2 * cap : 16;
		char **k = realloc(kept, ncap * sizeof *k);
		if (!k)
			return NULL;
		kept = k;
		cap = ncap;
	}
	char *c = strndup(s, len);
	if (c)
		kept[n_kept++] = c;
	return c;
}

/* The real path of an existing regular file (exec: executable too), kept; NULL with err. */
static const char *real_file(const char *opt, const char *path, int exec, char *err,
			     size_t errlen)
{
	char real[PATH_MAX];
	struct stat st;
	if (!realpath(path, real) || stat(real, &st) != 0) {
		tp_errf(err, errlen, "%s: %s does not exist", opt, path);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || access(real, exec ? X_OK : R_OK) != 0) {
		tp_errf(err, errlen, "%s: %s is not %s file", opt, path,
		       exec ? "an executable" : "a readable");
		return NULL;
	}
	if (!path_ok(real)) {
		tp_errf(err, errlen, "%s: %s holds a space, quote or backslash", opt, real);
		return NULL;
	}
	return keep(real, strlen(real));
}

static int add(const char *name, enum lab_kind k, const char *addr, const char *note,
	       const struct lab_run_extra *x, char *err, size_t errlen)
{
	struct lab_instance in = {name, k, addr, 1, k == LAB_DNSMASQ ? "unbound-novalidate" : NULL,
				  note, LAB_TA_DEFAULT, 0, LAB_FAULT_NONE, 0, NULL};
	if (lab_instance_find(name))
		return tp_errf(err, errlen, "instance name %s is taken", name);
	if (!lab_instance_add(&in, x))
		return tp_errf(err, errlen, "at most %d added instances", LAB_MAX_USER);
	return 0;
}

/* --with NAME=FAMILY:PROGRAM */
static int apply_with(const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '='), *colon = eq ? strchr(eq, ':') : NULL;
	enum lab_kind k;
	if (!eq || !colon || colon[1] == '\0')
		return tp_errf(err, errlen, "--with wants NAME=FAMILY:PROGRAM, not '%s'", arg);
	if (!name_ok(arg, (size_t)(eq - arg)))
		return tp_errf(err, errlen, "--with %s: NAME must be letters, digits and '-', "
			      "starting with a letter, at most 40", arg);
	if (!family_of(eq + 1, (size_t)(colon - eq - 1), &k))
		return tp_errf(err, errlen, "--with %s: unknown family '%.*s' (unbound, named, "
			      "pdns_recursor, kresd, dnsmasq)", arg, (int)(colon - eq - 1), eq + 1);
	const char *prog = real_file("--with", colon + 1, 1, err, errlen);
	if (!prog)
		return -1;
	const char *name = keep(arg, (size_t)(eq - arg));
	char note[4200];
	snprintf(note, sizeof note, "your build: %s", prog);
	struct lab_run_extra x = {.program = prog, .user = 1};
	return add(name, k, NULL, keep(note, strlen(note)), &x, err, errlen);
}

/* --shipped FAMILY|NAME|all */
static int apply_shipped(const char *arg, char *err, size_t errlen)
{
	struct lab_run_extra *x = lab_instance_run_edit(arg);
	if (x && x->user == 1 && x->program) { /* a --with instance */
		x->shipped = 1;
		return 0;
	}
	int all = strcmp(arg, "all") == 0;
	enum lab_kind k = LAB_UNBOUND;
	if (!all && !family_of(arg, strlen(arg), &k))
		return tp_errf(err, errlen, "--shipped %s: neither a family (unbound, bind, "
			      "pdns-recursor, knot-resolver, dnsmasq), nor all, nor a --with "
			      "instance", arg);
	for (size_t i = 0; i < N_FAMILIES; i++) {
		if (!all && families[i].kind != k)
			continue;
		char name[64];
		snprintf(name, sizeof name, "%s-shipped", families[i].name);
		if (all && lab_instance_find(name))
			continue;
		struct lab_run_extra nx = {.shipped = 1, .user = all ? 2 : 1};
		if (add(keep(name, strlen(name)), families[i].kind, NULL,
			"Debian's program with the package's own configuration", &nx, err,
			errlen) != 0)
			return -1;
	}
	return 0;
}

/* --conf INSTANCE=FILE */
static int apply_conf(const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || eq[1] == '\0')
		return tp_errf(err, errlen, "--conf wants INSTANCE=FILE, not '%s'", arg);
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)(eq - arg < 63 ? eq - arg : 63), arg);
	const struct lab_instance *li = lab_instance_find(name);
	if (!li)
		return tp_errf(err, errlen, "--conf %s: no instance %s in this lab", arg, name);
	if (li->kind == LAB_PROXY_RESOLVER)
		return tp_errf(err, errlen, "--conf %s: %s has no config file", arg, name);
	const char *file = real_file("--conf", eq + 1, 0, err, errlen);
	if (!file)
		return -1;
	lab_instance_run_edit(name)->snippet = file;
	return 0;
}

int lab_user_apply(const struct lab_user_opts *u, char *err, size_t errlen)
{
	for (size_t i = 0; i < u->n_with; i++)
		if (apply_with(u->with[i], err, errlen) != 0)
			return -1;
	for (size_t i = 0; i < u->n_shipped; i++)
		if (apply_shipped(u->shipped[i], err, errlen) != 0)
			return -1;
	for (size_t i = 0; i < u->n_conf; i++)
		if (apply_conf(u->conf[i], err, errlen) != 0)
			return -1;
	return 0;
}

void lab_user_only(const char *list, char *out, size_t outlen)
{
	size_t n, len = (size_t)snprintf(out, outlen, "%s", list ? list : "");
	const struct lab_instance *ins = lab_instances(&n);
	for (size_t i = 0; i < n && len < outlen; i++)
		if (lab_instance_run(&ins[i])->user)
			len += (size_t)snprintf(out + len, outlen - len, "%s%s", len ? "," : "",
						ins[i].name);
}

void lab_user_print(FILE *f, const struct lab_up_info *info)
{
	size_t n;
	const struct lab_instance *ins = lab_instances(&n);
	for (size_t i = 0; i < n; i++) {
		const struct lab_run_extra *x = lab_instance_run(&ins[i]);
		char prog[4096] = "";
		int skipped = 0;
		for (size_t k = 0; k < info->n_skipped; k++)
			skipped |= strcmp(info->skipped[k].name, ins[i].name) == 0;
		if (!x->user || skipped)
			continue;
		if (!lab_instance_program(&ins[i], prog, sizeof prog))
			continue;
		fprintf(f, "added %s on %s (%s: %s%s%s%s)\n", ins[i].name, ins[i].addr,
			lab_user_family(ins[i].kind), prog,
			x->shipped ? ", the package's own config" : "", x->snippet ? ", --conf " : "",
			x->snippet ? x->snippet : "");
	}
}

void lab_user_write_env(FILE *f, const int *sel)
{
	size_t n;
	const struct lab_instance *ins = lab_instances(&n);
	static const char *const keys[] = {"LAB_USER_RESOLVERS", "LAB_SHIPPED", "LAB_CONF"};
	for (int v = 0; v < 3; v++) {
		fprintf(f, "%s='", keys[v]);
		int first = 1;
		for (size_t i = 0; i < n; i++) {
			const struct lab_run_extra *x = lab_instance_run(&ins[i]);
			char prog[4096] = "";
			if (!sel[i] || (v == 0 && !x->user) || (v == 1 && !x->shipped) ||
			    (v == 2 && !x->snippet))
				continue;
			fprintf(f, "%s%s", first ? "" : " ", ins[i].name);
			first = 0;
			if (v == 0 && !x->program)
				lab_kind_find(ins[i].kind, prog, sizeof prog);
			if (v == 0)
				fprintf(f, "=%s:%s", lab_user_family(ins[i].kind),
					x->program ? x->program : prog);
			else if (v == 2)
				fprintf(f, "=%s", x->snippet);
		}
		fputs("'\n", f);
	}
}

/* The value of "NAME=..." in a space-separated list, kept; NULL if absent. */
static const char *lookup(const char *list, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=')
			return keep(p + nl + 1, len - nl - 1);
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

void lab_user_load_env(const char *dir)
{
	static char users[8192], all[8192], shipped[4096], conf[8192];
	if (tp_labenv_get(dir, "LAB_USER_RESOLVERS", users, sizeof users) != 0)
		return; /* a lab of an older trustprobe, or none */
	tp_labenv_get(dir, "LAB_RESOLVERS", all, sizeof all);
	tp_labenv_get(dir, "LAB_SHIPPED", shipped, sizeof shipped);
	tp_labenv_get(dir, "LAB_CONF", conf, sizeof conf);
	char err[256];
	for (const char *p = users; *p;) {
		const char *end = strchr(p, ' '), *eq = strchr(p, '=');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *colon = eq && eq < p + len ? memchr(eq, ':', (size_t)(p + len - eq)) : NULL;
		enum lab_kind k;
		if (colon && family_of(eq + 1, (size_t)(colon - eq - 1), &k)) {
			const char *name = keep(p, (size_t)(eq - p));
			const char *addr = lookup(all, name);
			struct lab_run_extra x = {.program = keep(colon + 1, (size_t)(p + len - colon - 1)),
						  .user = 1};
			if (name && addr && !lab_instance_find(name))
				add(name, k, addr, "an instance added to the lab", &x, err, sizeof err);
		}
		p = end ? end + 1 : p + len;
	}
	size_t n;
	const struct lab_instance *ins = lab_instances(&n);
	for (size_t i = 0; i < n; i++) {
		struct lab_run_extra *x = lab_instance_run_edit(ins[i].name);
		char pad[80];
		snprintf(pad, sizeof pad, " %s ", ins[i].name);
		char sh[sizeof shipped + 2];
		snprintf(sh, sizeof sh, " %s ", shipped);
		if (strstr(sh, pad))
			x->shipped = 1;
		const char *s = lookup(conf, ins[i].name);
		if (s)
			x->snippet = s;
	}
}
