/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_probe: see lab_probe.h. */
#include "lab_probe.h"
#include "catalog.h"
#include "cli.h"
#include "lab.h"
#include "lab_compare.h"
#include "lab_pkg.h"
#include "lab_plan.h"
#include "lab_user.h"
#include "lab_which.h"
#include "probe.h"
#include "render.h"
#include "run.h"
#include "tp_util.h"
#include "verdict.h"
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* "program version" from the program's own version output, "" if it says none. */
static void own_version(enum lab_kind k, const char *full, char *out, size_t outlen)
{
	const char *flag = k == LAB_UNBOUND ? "-V" : k == LAB_BIND ? "-v" : "--version";
	const char *prog = lab_kind_program(k);
	char cmd[4200], line[512];
	out[0] = '\0';
	if (strchr(full, '\''))
		return;
	snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", full, flag);
	FILE *p = popen(cmd, "r");
	if (!p)
		return;
	while (!out[0] && fgets(line, sizeof line, p)) {
		for (char *s = line; *s; s++) {
			unsigned a, b, c = 0;
			int got;
			if (*s >= '0' && *s <= '9' && (s == line || s[-1] == ' ') &&
			    (got = sscanf(s, "%u.%u.%u", &a, &b, &c)) >= 2) {
				if (got == 3)
					snprintf(out, outlen, "%s %u.%u.%u", prog, a, b, c);
				else
					snprintf(out, outlen, "%s %u.%u", prog, a, b);
				break;
			}
		}
	}
	pclose(p);
}

/* The software line of program full (kind k): its own version, then where it came from
 * (lab_pkg.h) for a resolver's program; pkg receives dpkg's answer. */
static void software_of(enum lab_kind k, const char *full, struct lab_pkg *pkg, char *out,
			size_t outlen)
{
	char ver[96], from[4400];
	own_version(k, full, ver, sizeof ver);
	memset(pkg, 0, sizeof *pkg);
	if (k == LAB_PROXY_RESOLVER) { /* the lab's own liar: this program */
		snprintf(out, outlen, "%s", ver);
		return;
	}
	lab_pkg_of(full, 0, pkg);
	lab_pkg_phrase(pkg, from, sizeof from);
	snprintf(out, outlen, "%s%s(%s)", ver, ver[0] ? " " : "", from);
}

void lab_software(enum lab_kind k, const char *program, char *out, size_t outlen)
{
	char full[4096];
	struct lab_pkg pkg;
	out[0] = '\0';
	/* the program the lab ran: PATH plus the sbin directories, as the holder sees them */
	if (!program && !lab_kind_find(k, full, sizeof full))
		return;
	software_of(k, program ? program : full, &pkg, out, outlen);
}

/* The lines of D/name/overrides that begin with tag and a space, joined by newlines
 * (malloc'd), or NULL. */
static char *override_lines(const char *text, const char *tag)
{
	size_t tl = strlen(tag), len = 0;
	char *out = NULL;
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t ll = nl ? (size_t)(nl - l) : strlen(l);
		if (ll > tl && strncmp(l, tag, tl) == 0 && l[tl] == ' ') {
			char *o = realloc(out, len + ll - tl + 1);
			if (!o)
				break;
			out = o;
			if (len)
				out[len - 1] = '\n';
			memcpy(out + len, l + tl + 1, ll - tl - 1);
			len += ll - tl;
			out[len - 1] = '\0';
		}
		l = nl ? nl + 1 : NULL;
	}
	return out;
}

void lab_identify(const char *dir, const char *name, struct tp_resolver_report *rr)
{
	lab_user_load_env(dir);
	const struct lab_instance *li = lab_instance_find(name);
	if (!li)
		return;
	const struct lab_run_extra *x = lab_instance_run(li);
	char full[4096];
	struct lab_pkg pkg;
	if (lab_instance_program(li, full, sizeof full)) {
		software_of(li->kind, full, &pkg, rr->software, sizeof rr->software);
		snprintf(rr->program, sizeof rr->program, "%s", pkg.path[0] ? pkg.path : full);
		if (pkg.state != LAB_PKG_NONE)
			snprintf(rr->package, sizeof rr->package, "%s %s", pkg.package, pkg.version);
		rr->package_modified = pkg.state == LAB_PKG_MODIFIED;
	}
	lab_describe(li, rr);
	snprintf(rr->config, sizeof rr->config, "%s", x->shipped ? "shipped" : "lab");
	snprintf(rr->snippet, sizeof rr->snippet, "%s", x->snippet ? x->snippet : "");
	char path[4200];
	size_t len;
	char *text = NULL;
	if (x->shipped && tp_pathf(path, sizeof path, "%s/%s/overrides", dir, name) == 0 &&
	    (text = tp_read_file(path, 1 << 20, &len))) {
		rr->config_sources = override_lines(text, "source");
		rr->overrides = override_lines(text, "override");
	}
	free(text);
}

static const char *kind_family(enum lab_kind k)
{
	switch (k) {
	case LAB_UNBOUND: return "unbound";
	case LAB_BIND: return "bind";
	case LAB_PDNS_RECURSOR: return "pdns";
	case LAB_KNOT_RESOLVER: return "knot";
	case LAB_DNSMASQ: return "dnsmasq";
	case LAB_PROXY_RESOLVER: return ""; /* the lab's own liar: no family's fix applies */
	}
	return "";
}

void lab_describe(const struct lab_instance *li, struct tp_resolver_report *rr)
{
	snprintf(rr->family, sizeof rr->family, "%s", kind_family(li->kind));
	rr->family_how = 1;
	snprintf(rr->family_why, sizeof rr->family_why, "the lab instance %s", li->name);
	const struct lab_instance *up = li->upstream ? lab_instance_find(li->upstream) : NULL;
	if (!li->validate && up) {
		snprintf(rr->lab_role, sizeof rr->lab_role, "forwarder");
		snprintf(rr->lab_upstream, sizeof rr->lab_upstream, "%s", up->name);
		snprintf(rr->upstream_family, sizeof rr->upstream_family, "%s", kind_family(up->kind));
	}
}

/* Reports that the run could not tell: one line on stderr, or in nagios mode an UNKNOWN
 * status line on stdout. Returns the exit status to use. */
static int cannot_tell(const struct lab_probe_opts *o, const char *msg)
{
	if (o->format == TP_FMT_NAGIOS) {
		printf("TRUSTPROBE UNKNOWN - %s\n", msg);
		fflush(stdout);
		return 3;
	}
	fprintf(stderr, "trustprobe lab: %s\n", msg);
	if (o->format == TP_FMT_JSON) /* a JSON reader gets a document too */
		tp_render_json_error(stdout, msg, 2);
	return 2;
}

/* The child: inside the lab, probe each started resolver and render. */
static int probe_lab(const char *dir, const struct lab_probe_opts *o,
		     const struct lab_up_info *ui, const char *only)
{
	/* the one probe path, as 'trustprobe --lab DIR' takes it */
	struct tp_run_req r = {.prog = "trustprobe lab", .only = only, .lab_run = 1};
	struct lab_compare cmp = {.baseline = o->compare[0], .candidate = o->compare[1],
				  .format = o->format};
	if (o->compare[0]) { /* both in one run, meeting the same names (lab_compare.h) */
		r.same_names = 1;
		r.done = lab_compare_done;
		r.done_ctx = &cmp;
	}
	r.o.format = o->format;
	r.o.verbose = o->verbose;
	r.o.timeout = o->timeout;
	r.o.lab = dir;
	r.o.case_glob = o->case_glob;
	r.o.vectors = o->vectors;
	r.o.color = o->color ? "always" : "never";
	struct tp_skipped sk[TP_SKIPPED_MAX];
	for (size_t k = 0; k < ui->n_skipped && k < TP_SKIPPED_MAX; k++) {
		struct tp_skipped *d = &sk[r.n_skipped++];
		snprintf(d->name, sizeof d->name, "%s", ui->skipped[k].name);
		snprintf(d->program, sizeof d->program, "%s", ui->skipped[k].program);
		snprintf(d->package, sizeof d->package, "%s", ui->skipped[k].package);
		snprintf(d->reason, sizeof d->reason, "%s", ui->skipped[k].reason);
	}
	r.skipped = sk;
	return tp_run(&r);
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static volatile sig_atomic_t stop_sig;
static void on_stop(int s)
{
	stop_sig = s;
}

/* Removes the run directory; 0, or -1 with a line on stderr. */
static int remove_run_dir(const char *dir)
{
	if (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT) {
		fprintf(stderr, "trustprobe lab: could not remove %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* The one line for a run stopped by SIGINT/SIGTERM/SIGHUP; 130 (as a shell reports ^C). */
static int interrupted(int sig)
{
	const char *name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" :
			   sig == SIGHUP ? "SIGHUP" : "a signal";
	fprintf(stderr, "trustprobe lab: interrupted by %s; every lab process was stopped and "
		"the run directory removed\n", name);
	return 130;
}

int lab_probe_main(const struct lab_probe_opts *o)
{
	char tmpl[] = "/tmp/trustprobe-lab-run-XXXXXX", err[1024] = "";
	const char *tmp = getenv("TMPDIR");
	char dirbuf[4096];
	/* From the first step on a signal only sets stop_sig: the run then stops what it
	 * started, removes its directory and exits 130 (lab_up has handlers of its own while
	 * it runs, and hands a late signal back to these). */
	struct sigaction sa = {.sa_handler = on_stop};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	snprintf(dirbuf, sizeof dirbuf, "%s/trustprobe-lab-run-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	char *dir = mkdtemp(dirbuf);
	if (!dir && !(dir = mkdtemp(tmpl))) {
		fprintf(stderr, "trustprobe lab: cannot create a lab directory: %s\n", strerror(errno));
		return 2;
	}
	/* the instances this run adds (lab_user.h), and what to start and probe: with
	 * --compare the two it names (and what they forward to), else --resolvers and the
	 * added ones */
	char only[4096] = "";
	if (o->user && lab_user_apply(o->user, err, sizeof err) != 0) {
		remove_run_dir(dir);
		return cannot_tell(o, err);
	}
	if (o->compare[0] && lab_compare_check(o->compare[0], o->compare[1], err, sizeof err) != 0) {
		remove_run_dir(dir);
		return cannot_tell(o, err);
	}
	if (o->compare[0] && lab_compare_is_file(o->compare[0]))
		snprintf(only, sizeof only, "%s", o->compare[1]); /* a recorded baseline */
	else if (o->compare[0])
		snprintf(only, sizeof only, "%s,%s", o->compare[0], o->compare[1]);
	else if (o->resolvers)
		lab_user_only(o->resolvers, only, sizeof only);
	struct lab_up_opts uo = {.dir = dir, .vectors = o->vectors,
				 .resolvers = only[0] ? only : NULL, .timeout = 20.0};
	struct lab_up_info ui = {0};
	enum lab_status ls = stop_sig ? LAB_ERR_INTERRUPTED : lab_up(&uo, &ui, err, sizeof err);
	if (ls == LAB_ERR_INTERRUPTED || (ls != LAB_OK && stop_sig)) {
		remove_run_dir(dir);
		return interrupted(stop_sig ? (int)stop_sig : ui.signal);
	}
	for (size_t i = 0; i < ui.n_skipped; i++)
		fprintf(stderr, "trustprobe lab: skipping %s (%s)\n", ui.skipped[i].name,
			ui.skipped[i].reason);
	if (ls != LAB_OK) {
		/* a daemon that failed to start left its log there; nothing else is worth keeping */
		if (ls == LAB_ERR_START)
			fprintf(stderr, "trustprobe lab: logs kept in %s/log\n", dir);
		else
			remove_run_dir(dir);
		return cannot_tell(o, err);
	}
	int rc = 2;
	if (!stop_sig && o->format == TP_FMT_TEXT)
		fprintf(stderr, "lab up: %zu daemons in %.2f s; probing...\n", ui.n_daemons, ui.t_total);
	fflush(NULL);
	/* the signals stay blocked across fork: a child that got one before it reset its
	 * handlers would otherwise run on as a second parent */
	sigset_t block, oldmask;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &oldmask);
	pid_t child = stop_sig ? -2 : fork(); /* -2: not forked, stopped already */
	if (child == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
		_exit(probe_lab(ui.dir, o, &ui, only));
	}
	int fork_errno = errno;
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	if (child > 0) {
		int status = 0, sent = 0;
		for (;;) {
			if (stop_sig && !sent) {
				kill(child, SIGTERM);
				sent = 1;
			}
			pid_t w = waitpid(child, &status, 0);
			if (w == child)
				break;
			if (w < 0 && errno != EINTR)
				break;
		}
		if (stop_sig)
			rc = 130;
		else if (WIFEXITED(status))
			rc = WEXITSTATUS(status);
		else
			rc = cannot_tell(o, "the probing process died");
	} else if (child == -1) {
		snprintf(err, sizeof err, "fork: %s", strerror(fork_errno));
		rc = cannot_tell(o, err);
	}
	struct lab_down_info di;
	lab_down(ui.dir, &di, err, sizeof err);
	if (stop_sig) {
		remove_run_dir(ui.dir);
		return interrupted((int)stop_sig);
	}
	/* keep the lab directory (logs) only when the run could not tell: exit 2 outside
	 * nagios mode, UNKNOWN (3) in it, where 2 is a CRITICAL finding */
	int could_not_tell = o->format == TP_FMT_NAGIOS ? rc >= 3 : rc >= 2;
	if (!could_not_tell)
		remove_run_dir(ui.dir);
	else
		fprintf(stderr, "trustprobe lab: logs kept in %s/log\n", ui.dir);
	return rc;
}
