/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* run: see run.h. */
#include "run.h"
#include "anchors.h"
#include "apppath.h"
#include "catalog.h"
#include "diagnose.h"
#include "fleet.h"
#include "lab.h"
#include "lab_plan.h"
#include "lab_probe.h"
#include "labenv.h"
#include "manifest.h"
#include "paths.h"
#include "plugin.h"
#include "probe.h"
#include "prom.h"
#include "render.h"
#include "roll.h"
#include "tp_util.h"
#include "verdict.h"
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Exit status when the probe could not run, per output mode. */
static int cannot_run(const struct tp_run_req *r, const char *msg)
{
	if (r->o.format == TP_FMT_NAGIOS)
		return tp_plugin_unknown(stdout, msg);
	fprintf(stderr, "%s: %s\n", r->prog, msg);
	if (r->o.format == TP_FMT_JSON) /* a JSON reader gets a document too */
		tp_render_json_error(stdout, msg, 2);
	return 2;
}

/* Checks the --trust-anchor file with the same reader as 'trustprobe anchors': a regular
 * file (a FIFO or /dev/zero cannot hang us) holding a root DNSKEY or DS, in any format that
 * reader knows. */
static int check_anchor(const char *path, unsigned in_force, int real_root, long long now,
			int *trusts, char *err, size_t errlen)
{
	struct tp_ta_source *src = malloc(sizeof *src);
	if (!src) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int r = tp_ta_read(path, src);
	if (r != 0) {
		snprintf(err, errlen, "broken trust anchor %s", src->err);
	} else {
		struct tp_ta_judgement j;
		tp_ta_judge(src, (time_t)now, (uint16_t)in_force, real_root, &j);
		*trusts = j.in_force_trusted;
	}
	free(src);
	return r;
}

static int use_color(const struct tp_opts *o)
{
	if (o->color && strcmp(o->color, "always") == 0)
		return 1;
	if ((o->color && strcmp(o->color, "never") == 0) || getenv("NO_COLOR"))
		return 0;
	const char *term = getenv("TERM");
	return isatty(STDOUT_FILENO) && term && strcmp(term, "dumb") != 0;
}

static void list_cases(const struct tp_catalog *cat, const int *sel)
{
	for (size_t i = 0; i < cat->n; i++) {
		const struct tp_case *c = &cat->cases[i];
		if (!sel[i])
			continue;
		printf("%-34s %-10s %s%s%s  (%s)\n", c->id, tp_group_name(c->group),
		       c->essential ? "[essential] " : "", c->lab_only ? "[lab-only] " : "",
		       c->reason, c->source);
	}
}

static int render(const struct tp_run_req *r, const struct tp_opts *o,
		  const struct tp_report *rep, const struct tp_prom_run *pr)
{
	int w;
	switch (o->format) {
	case TP_FMT_JSON:
		w = tp_render_json(stdout, rep);
		break;
	case TP_FMT_NAGIOS:
		w = tp_render_nagios(stdout, rep, &o->plugin);
		break;
	case TP_FMT_PROMETHEUS:
		w = tp_render_prometheus_report(stdout, rep, pr);
		break;
	default:
		if (r->lab_run && !o->verbose)
			w = tp_render_matrix(stdout, rep, use_color(o));
		else
			w = tp_render_text(stdout, rep, o->verbose, use_color(o));
		break;
	}
	if (w >= 0 && fflush(stdout) != 0)
		w = -1;
	if (w < 0) {
		/* stdout is gone: say so on stderr, and exit as "could not run" */
		fprintf(stderr, "%s: cannot write the report: %s\n", r->prog, strerror(errno));
		return o->format == TP_FMT_NAGIOS ? 3 : 2;
	}
	return o->format == TP_FMT_NAGIOS ? w : tp_exit_status(rep);
}

/* The version of the test vectors in dir (its manifest's "version"): what the zone's
 * marker must name (preflight.h). 0, or -1 with err. */
static int vectors_version(const char *dir, unsigned *version, char *err, size_t errlen)
{
	char path[4200];
	struct manifest *m = malloc(sizeof *m);
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(path, sizeof path, "%s/manifest", dir);
	int rc = manifest_load(path, m, err, errlen);
	*version = m->version;
	free(m);
	return rc;
}

/* A key tag from lab.env, or 0. */
static unsigned lab_tag(const char *dir, const char *key)
{
	char v[32], *end;
	if (tp_labenv_get(dir, key, v, sizeof v) != 0)
		return 0;
	unsigned long t = strtoul(v, &end, 10);
	return *end || t > 65535 ? 0 : (unsigned)t;
}

static int listed(const char *list, const char *name)
{
	if (!list || !*list || strcmp(list, "all") == 0)
		return 1;
	size_t n = strlen(name);
	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	/* "misconfig" names every misconfiguration instance (lab_plan.h) */
	const struct lab_instance *li = lab_instance_find(name);
	return li && li->fault != LAB_FAULT_NONE && listed(list, "misconfig");
}

/* The instance name that "name=addr ..." (LAB_RESOLVERS) gives addr, or "". */
static void lab_name_of(const char *names, const char *addr, char *out, size_t outlen)
{
	out[0] = '\0';
	size_t al = strlen(addr);
	for (const char *p = names; (p = strchr(p, '=')); p++) {
		if (strncmp(p + 1, addr, al) || (p[1 + al] != ' ' && p[1 + al] != '\0'))
			continue;
		const char *start = p;
		while (start > names && start[-1] != ' ')
			start--;
		snprintf(out, outlen, "%.*s", (int)(p - start), start);
		return;
	}
}

/* What finishing each resolver's report needs (finish_resolver). */
struct finish_ctx {
	const struct tp_opts *o;
	const char *names;          /* LAB_RESOLVERS, or "" */
	char (*labels)[64];         /* the names of the targets (-H, the lab), or NULL */
	int anchor_judged, anchor_trusts;
	unsigned ksk_current;
};

/* The plugin's own timeout (-t): the queries end before it (the deadline's margin); should
 * anything still hang, the run ends at it with the status line the guidelines ask for. */
static char alarm_msg[160];
/* 0 armed (or never), 1 the timeout has fired, 2 the report won: exactly one of the two
 * goes out (a report finished just at -t printed after the timeout's line, under valgrind) */
static int alarm_state;
static void on_alarm(int sig)
{
	(void)sig;
	int armed = 0;
	if (!__atomic_compare_exchange_n(&alarm_state, &armed, 1, 0, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST))
		return; /* the report is being written */
	ssize_t w = write(STDOUT_FILENO, alarm_msg, strlen(alarm_msg));
	(void)w;
	_exit(2);
}

/* Before the report: no timeout line from now on; if it has already fired, its handler
 * ends the process, and the report must not follow it. */
static void disarm_timeout(void)
{
	int armed = 0;
	if (__atomic_compare_exchange_n(&alarm_state, &armed, 2, 0, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST)) {
		struct itimerval off = {{0, 0}, {0, 0}};
		setitimer(ITIMER_REAL, &off, NULL);
		return;
	}
	for (;;) /* the handler, in another thread, is writing its line and exits */
		pause();
}

static void arm_timeout(double secs)
{
	snprintf(alarm_msg, sizeof alarm_msg, "TRUSTPROBE CRITICAL - the plugin timed out after "
		 "%g s (-t)\n", secs);
	struct sigaction sa = {.sa_handler = on_alarm};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 0}, {(time_t)secs, (suseconds_t)((secs - (double)(time_t)secs) * 1e6)}};
	setitimer(ITIMER_REAL, &it, NULL);
}

/* The --accept ids that apply to rr ("ID", or "RESOLVER/ID" naming its address or lab
 * name), handed to the diagnosis. */
static void accept_for(const struct tp_opts *o, struct tp_resolver_report *rr)
{
	const char *ids[TP_MAX_ACCEPT];
	size_t n = 0;
	for (size_t i = 0; i < o->n_accept; i++) {
		const char *a = o->accept[i], *slash = strrchr(a, '/');
		size_t sl = slash ? (size_t)(slash - a) : 0;
		if (slash && !((strlen(rr->resolver) == sl && !strncmp(rr->resolver, a, sl)) ||
			       (strlen(rr->name) == sl && !strncmp(rr->name, a, sl))))
			continue;
		ids[n++] = slash ? slash + 1 : a;
	}
	if (n)
		tp_diagnose_accept(rr, ids, n);
}

/* --targets FILE: the fleet (fleet.h). Returns the exit status. */
static int fleet(const struct tp_run_req *r, const struct tp_opts *o,
		 const struct tp_probe_plan *plan, struct finish_ctx *fc, const char *zone,
		 const struct tp_prom_run *pr, const int *sel, const struct tp_catalog *cat);

/* Names, the lab's description, the lead, the anchor, the diagnosis and --accept for one
 * resolver; runs in the probe's worker (pure but for lab_software's version query). */
static void finish_resolver(size_t i, struct tp_resolver_report *rr, void *arg)
{
	const struct finish_ctx *c = arg;
	char lab_name[64] = ""; /* the lab instance at this address, whatever the target's name */
	if (c->labels)
		snprintf(rr->name, sizeof rr->name, "%.63s", c->labels[i]);
	if (c->o->lab)
		lab_name_of(c->names, rr->resolver, lab_name, sizeof lab_name);
	if (!rr->name[0])
		snprintf(rr->name, sizeof rr->name, "%s", lab_name);
	if (lab_name[0]) { /* a lab instance: its program, family, config; lab_identify reads
			    * the lab's environment into shared tables, one worker at a time */
		static pthread_mutex_t identify_lock = PTHREAD_MUTEX_INITIALIZER;
		pthread_mutex_lock(&identify_lock);
		lab_identify(c->o->lab, lab_name, rr);
		pthread_mutex_unlock(&identify_lock);
	}
	tp_verdict_lead(rr);
	if (c->anchor_judged)
		tp_verdict_anchor(rr, c->o->trust_anchor, c->anchor_trusts, c->ksk_current);
	tp_diagnose(rr);
	accept_for(c->o, rr);
}

int tp_run(const struct tp_run_req *r)
{
	double t0 = tp_now();
	struct tp_opts o = r->o;
	o.plugin.verbose = o.verbose;
	o.plugin.timeout = o.timeout;
	if (o.format == TP_FMT_NAGIOS && !r->lab_run)
		arm_timeout(o.timeout);
	char err[1024] = "";
	const char *vectors = o.vectors ? o.vectors : tp_find_vectors();
	char path[4200];
	if (!vectors) {
		tp_vectors_not_found(err, sizeof err);
		return cannot_run(r, err);
	}
	snprintf(path, sizeof path, "%s/cases", vectors);
	struct tp_catalog cat;
	if (tp_catalog_load(path, &cat, err, sizeof err) != 0)
		return cannot_run(r, err);
	int *sel = calloc(cat.n ? cat.n : 1, sizeof *sel);
	if (!sel) {
		tp_catalog_free(&cat);
		return cannot_run(r, "out of memory");
	}
	int rc;
	if (tp_catalog_select(&cat, o.case_glob, sel) == 0) {
		snprintf(err, sizeof err, "no case matches --case '%s' (see --list)", o.case_glob);
		rc = cannot_run(r, err);
		goto out;
	}
	if (o.list) {
		if (o.format == TP_FMT_JSON)
			rc = tp_render_catalog_json(stdout, &cat, sel) == 0 ? 0 : 2;
		else
			list_cases(&cat, sel), rc = 0;
		goto out;
	}
	/* a catalogue of one's own (--vectors) may lack cases the diagnosis rules name: those
	 * rules then never fire; the probe still runs (the shipped one is checked by the
	 * unit tests) */
	if (tp_diag_check(&cat, err, sizeof err) != 0)
		fprintf(stderr, "%s: warning: the diagnosis rules do not fit this catalogue (%s): "
			"some causes will not be named\n", r->prog, err);
	for (size_t i = 0; i < o.n_accept; i++) {
		const char *slash = strrchr(o.accept[i], '/');
		const char *id = slash ? slash + 1 : o.accept[i];
		int known = tp_diag_rule_known(id);
		for (size_t k = 0; !known && k < cat.n; k++)
			known = fnmatch(id, cat.cases[k].id, 0) == 0;
		if (!known) {
			snprintf(err, sizeof err, "--accept %s: no cause of that id (trustprobe(1), "
				 "DIAGNOSIS) and no case id it matches (--list)", o.accept[i]);
			rc = cannot_run(r, err);
			goto out;
		}
	}
	char zone[256] = "", names[8192] = "";
	unsigned ksk_current = 0, ksk_next = 0;
	static char ta[4200];
	if (o.lab) {
		errno = 0;
		if (tp_labenv_get(o.lab, "LAB_ZONE", zone, sizeof zone) != 0) {
			int e = errno; /* a FIFO or device as lab.env says so */
			snprintf(err, sizeof err, "no running lab in %s (cannot read %s/lab.env%s%s)",
				 o.lab, o.lab, e == TP_ENOTREG || e == EFBIG ? ": " : "",
				 e == TP_ENOTREG || e == EFBIG ? tp_read_strerror(e) : "");
			rc = cannot_run(r, err);
			goto out;
		}
		/* --zone beside --lab (a monitoring command that always passes one) must name
		 * the lab's own zone */
		size_t zl = o.zone ? strlen(o.zone) - (o.zone[0] && o.zone[strlen(o.zone) - 1] == '.') : 0;
		if (o.zone && (zl + 1 != strlen(zone) || strncasecmp(o.zone, zone, zl) != 0)) {
			snprintf(err, sizeof err, "--zone %s is not the zone of the lab in %s (%s): give "
				 "one of them", o.zone, o.lab, zone);
			rc = cannot_run(r, err);
			goto out;
		}
		if (tp_labenv_get(o.lab, "LAB_RESOLVERS", names, sizeof names) != 0 && !o.n_targets) {
			snprintf(err, sizeof err, "cannot read LAB_RESOLVERS from %s/lab.env (missing, "
				 "or longer than %zu bytes)", o.lab, sizeof names - 1);
			rc = cannot_run(r, err);
			goto out;
		}
		ksk_current = lab_tag(o.lab, "LAB_KSK_CURRENT");
		ksk_next = lab_tag(o.lab, "LAB_KSK_NEXT");
		if (!o.trust_anchor) {
			snprintf(ta, sizeof ta, "%s/ta/root.ds", o.lab);
			o.trust_anchor = ta;
		}
		/* probe from inside the lab's namespace (a no-op under 'lab exec') */
		if (lab_join(o.lab, err, sizeof err) != LAB_OK) {
			rc = cannot_run(r, err);
			goto out;
		}
	} else if (o.zone) {
		snprintf(zone, sizeof zone, "%s", o.zone);
	}
	long long now = o.now ? o.now : (long long)time(NULL);
	struct tp_prom_run pr = {.started = (long long)time(NULL)};
	if (o.lab && o.root_keys[0]) {
		snprintf(err, sizeof err, "--root-keys and --lab exclude each other (the lab's "
			 "lab.env names its root keys)");
		rc = cannot_run(r, err);
		goto out;
	}
	int real_root = !o.lab && !o.root_keys[0];
	if (o.root_keys[0]) { /* a private root (a test bed): its tags as given */
		ksk_current = o.root_keys[0];
		ksk_next = o.root_keys[1];
	} else if (!o.lab) { /* the real root: the key in force on this date; no next key is published */
		ksk_current = tp_roll_key_in_force((time_t)now);
		const struct tp_roll_event *nx = tp_roll_next((time_t)now);
		if (nx) { /* the calendar's next step: the plugin's days threshold */
			o.plugin.roll_event = pr.roll_event = 1;
			o.plugin.roll_days = pr.roll_days =
				tp_days_until((time_t)now, tp_roll_event_time(nx));
			snprintf(o.plugin.roll_date, sizeof o.plugin.roll_date, "%s", nx->date);
		}
	}
	int anchor_trusts = 0, anchor_judged = o.trust_anchor != NULL;
	if (o.trust_anchor && check_anchor(o.trust_anchor, ksk_current, real_root, now,
					   &anchor_trusts, err, sizeof err) != 0) {
		rc = cannot_run(r, err);
		goto out;
	}
	unsigned version = 0;
	if (zone[0] && vectors_version(vectors, &version, err, sizeof err) != 0) {
		rc = cannot_run(r, err);
		goto out;
	}
	/* the queries end a margin before -t (a tenth, at most a second): the report is out
	 * within it */
	double margin = o.timeout / 10 < 1.0 ? o.timeout / 10 : 1.0;
	struct tp_probe_plan plan = {.cat = &cat, .selected = sel, .zone = zone[0] ? zone : NULL,
				     .deadline = t0 + o.timeout - margin, .lab = o.lab != NULL,
				     .ksk_current = ksk_current, .ksk_next = ksk_next,
				     .real_root = real_root, .now = now,
				     .anchor_file = o.trust_anchor, .vectors_version = version,
				     .same_names = r->same_names};
	static char all_names[sizeof names]; /* names is cut into tokens below */
	memcpy(all_names, names, sizeof names);
	struct finish_ctx fc = {.o = &o, .names = all_names, .anchor_judged = anchor_judged,
				.anchor_trusts = anchor_trusts, .ksk_current = ksk_current};
	if (o.targets_file) {
		rc = fleet(r, &o, &plan, &fc, zone, &pr, sel, &cat);
		goto out;
	}
	struct tp_target targets[TP_MAX_TARGETS];
	size_t nt = 0;
	char labels[TP_MAX_TARGETS][64];
	if (o.n_targets == 0 && o.lab && !o.resolv_conf) {
		/* the lab's resolvers (those asked for) */
		char *save = NULL;
		for (char *tok = strtok_r(names, " ", &save); tok && nt < TP_MAX_TARGETS;
		     tok = strtok_r(NULL, " ", &save)) {
			char *eq = strchr(tok, '=');
			if (!eq)
				continue;
			*eq = '\0';
			if (!listed(r->only, tok) || tp_target_parse(eq + 1, &targets[nt], err, sizeof err) != 0)
				continue;
			snprintf(labels[nt], sizeof labels[nt], "%s", tok);
			nt++;
		}
	} else if (o.n_targets == 0) {
		const char *rc_path = o.resolv_conf ? o.resolv_conf : "/etc/resolv.conf";
		enum tp_resolvconf_status rs =
			tp_resolvconf_read(rc_path, targets, TP_MAX_TARGETS, &nt, err, sizeof err);
		if (rs == TP_RESOLVCONF_ERR) {
			rc = cannot_run(r, err);
			goto out;
		}
		if (rs == TP_RESOLVCONF_PARTIAL)
			fprintf(stderr, "%s: warning: %s\n", r->prog, err);
		for (size_t i = 0; i < nt; i++)
			labels[i][0] = '\0';
	} else {
		for (size_t i = 0; i < o.n_targets; i++) {
			char spec[160];
			if (o.port && !strchr(o.targets[i], '@')) /* -p PORT */
				snprintf(spec, sizeof spec, "%.120s@%u", o.targets[i], o.port);
			else
				snprintf(spec, sizeof spec, "%.150s", o.targets[i]);
			if (tp_target_parse(spec, &targets[nt], err, sizeof err) != 0) {
				rc = cannot_run(r, err);
				goto out;
			}
			labels[nt][0] = '\0';
			if (o.lab) /* a lab instance's address: name it */
				lab_name_of(names, o.targets[i], labels[nt], sizeof labels[nt]);
			nt++;
		}
	}
	if (nt == 0) {
		snprintf(err, sizeof err, "no usable resolver to probe%s%s",
			 o.lab ? " in LAB_RESOLVERS of " : "", o.lab ? o.lab : "");
		rc = cannot_run(r, err);
		goto out;
	}
	struct tp_report rep = {.lab_run = r->lab_run, .started = pr.started};
	snprintf(rep.zone, sizeof rep.zone, "%s", zone);
	for (size_t k = 0; k < r->n_skipped && k < TP_SKIPPED_MAX; k++)
		rep.skipped[rep.n_skipped++] = r->skipped[k];
	fc.labels = labels;
	if (tp_probe_all_done(targets, nt, &plan, &rep, finish_resolver, &fc, err, sizeof err) != 0) {
		tp_report_free(&rep);
		rc = cannot_run(r, err);
		goto out;
	}
	pr.duration_s = rep.duration_s;
	/* the resolvers came from /etc/resolv.conf: check the application's path to them too */
	if (!o.lab && !o.resolv_conf && o.n_targets == 0 && zone[0]) {
		struct tp_apppath ap;
		char qn[300];
		snprintf(qn, sizeof qn, "www.alg13.%s%s", zone, zone[strlen(zone) - 1] == '.' ? "" : ".");
		tp_apppath_check(qn, &ap);
		rep.app_checked = 1;
		rep.app_ad_postfix = ap.ad_postfix;
		rep.app_ad_plain = ap.ad_plain;
		rep.app_trust_ad = ap.rc.trust_ad;
		rep.app_all_loopback = ap.rc.all_loopback;
		snprintf(rep.app_note, sizeof rep.app_note, "%s", ap.note);
	}
	disarm_timeout(); /* the report goes out whole, never beside the timeout's line */
	rc = r->done ? r->done(r, &rep, targets, nt, &plan) : render(r, &o, &rep, &pr);
	tp_report_free(&rep);
out:
	free(sel);
	tp_catalog_free(&cat);
	return rc;
}

static int fleet(const struct tp_run_req *r, const struct tp_opts *o,
		 const struct tp_probe_plan *plan, struct finish_ctx *fc, const char *zone,
		 const struct tp_prom_run *pr, const int *sel, const struct tp_catalog *cat)
{
	char err[1024] = "";
	struct tp_fleet_list l;
	if (tp_fleet_read(o->targets_file, o->port, TP_FLEET_MAX, &l, err, sizeof err) != 0)
		return cannot_run(r, err);
	struct tp_brief_cases cases;
	if (tp_brief_cases_make(cat->cases, cat->n, sel, &cases) != 0) {
		tp_fleet_list_free(&l);
		return cannot_run(r, "out of memory");
	}
	/* each target at most the time a single probe gets by default, within the run's -t */
	struct tp_fleet_opts fo = {.format = o->format, .verbose = o->verbose,
				   .color = use_color(o), .parallel = o->parallel,
				   .progress = o->format != TP_FMT_NAGIOS && isatty(STDERR_FILENO),
				   .target_budget = 10.0, .file = o->targets_file, .zone = zone,
				   .started = pr->started, .cases = &cases, .plugin = &o->plugin,
				   .prom = *pr, .finish = finish_resolver, .finish_arg = fc};
	int rc = tp_fleet_run(&l, plan, &fo, err, sizeof err);
	if (rc < 0)
		rc = cannot_run(r, err);
	tp_brief_cases_free(&cases);
	tp_fleet_list_free(&l);
	return rc;
}
