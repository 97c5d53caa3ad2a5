/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* trustprobe: entry point. Parses the command line, runs the lab commands or the probe,
 * renders the report, and is the only place that exits. */
#include "anchors.h"
#include "anchors_cli.h"
#include "catalog.h"
#include "cli.h"
#include "lab.h"
#include "lab_cli.h"
#include "labenv.h"
#include "paths.h"
#include "probe.h"
#include "render.h"
#include "tp_config.h"
#include "tp_util.h"
#include "verdict.h"
#include <errno.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* Exit status when the probe could not run, per output mode. */
static int cannot_run(const struct tp_opts *o, const char *msg)
{
	if (o && o->format == TP_FMT_NAGIOS) {
		printf("TRUSTPROBE UNKNOWN - %s\n", msg);
		return 3;
	}
	fprintf(stderr, "trustprobe: %s\n", msg);
	return 2;
}

/* Checks the --trust-anchor file with the same reader as 'trustprobe anchors': a regular
 * file (a FIFO or /dev/zero cannot hang us) holding a root DNSKEY or DS, in any format that
 * reader knows. */
static int check_anchor(const char *path, char *err, size_t errlen)
{
	struct tp_ta_source *src = malloc(sizeof *src);
	if (!src) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int r = tp_ta_read(path, src);
	if (r != 0)
		snprintf(err, errlen, "broken trust anchor %s", src->err);
	free(src);
	return r;
}

static int use_color(const struct tp_opts *o)
{
	if (strcmp(o->color, "always") == 0)
		return 1;
	if (strcmp(o->color, "never") == 0 || getenv("NO_COLOR"))
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

static int render(const struct tp_opts *o, const struct tp_report *rep)
{
	int r;
	switch (o->format) {
	case TP_FMT_JSON:
		r = tp_render_json(stdout, rep);
		break;
	case TP_FMT_NAGIOS:
		r = tp_render_nagios(stdout, rep);
		break;
	default:
		r = tp_render_text(stdout, rep, o->verbose, use_color(o));
		break;
	}
	if (r < 0) {
		/* stdout is gone: say so on stderr, and exit as "could not run" */
		fprintf(stderr, "trustprobe: cannot write the report: %s\n", strerror(errno));
		return o->format == TP_FMT_NAGIOS ? 3 : 2;
	}
	return o->format == TP_FMT_NAGIOS ? r : tp_exit_status(rep);
}

static int probe_main(int argc, char **argv)
{
	struct tp_opts o;
	char err[1024] = "";
	if (tp_cli_parse(argc, argv, argv[0], &o, err, sizeof err) != TP_CLI_OK) {
		fprintf(stderr, "trustprobe: %s\n%s", err, tp_cli_usage());
		return o.format == TP_FMT_NAGIOS ? 3 : 2;
	}
	if (o.help) {
		fputs(tp_cli_usage(), stdout);
		return 0;
	}
	if (o.version) {
		printf("trustprobe %s\n", TP_VERSION);
		return 0;
	}
	const char *vectors = o.vectors ? o.vectors : tp_find_vectors();
	char path[4200];
	if (!vectors) {
		tp_vectors_not_found(err, sizeof err);
		return cannot_run(&o, err);
	}
	snprintf(path, sizeof path, "%s/cases", vectors);
	struct tp_catalog cat;
	if (tp_catalog_load(path, &cat, err, sizeof err) != 0)
		return cannot_run(&o, err);
	int *sel = calloc(cat.n ? cat.n : 1, sizeof *sel);
	if (!sel) {
		tp_catalog_free(&cat);
		return cannot_run(&o, "out of memory");
	}
	int rc;
	if (tp_catalog_select(&cat, o.case_glob, sel) == 0) {
		snprintf(err, sizeof err, "no case matches --case '%s' (see --list)", o.case_glob);
		rc = cannot_run(&o, err);
		goto out;
	}
	if (o.list) {
		list_cases(&cat, sel);
		rc = 0;
		goto out;
	}
	char zone[256] = "", names[2048] = "";
	if (o.lab) {
		if (tp_labenv_get(o.lab, "LAB_ZONE", zone, sizeof zone) != 0) {
			snprintf(err, sizeof err, "no running lab in %s (cannot read %s/lab.env)", o.lab, o.lab);
			rc = cannot_run(&o, err);
			goto out;
		}
		tp_labenv_get(o.lab, "LAB_RESOLVERS", names, sizeof names);
		if (!o.trust_anchor) {
			static char ta[4200];
			snprintf(ta, sizeof ta, "%s/ta/root.ds", o.lab);
			o.trust_anchor = ta;
		}
		/* probe from inside the lab's namespace (a no-op under 'lab exec') */
		if (lab_join(o.lab, err, sizeof err) != LAB_OK) {
			rc = cannot_run(&o, err);
			goto out;
		}
	} else if (o.zone) {
		snprintf(zone, sizeof zone, "%s", o.zone);
	}
	if (o.trust_anchor && check_anchor(o.trust_anchor, err, sizeof err) != 0) {
		rc = cannot_run(&o, err);
		goto out;
	}
	struct tp_target targets[TP_MAX_TARGETS];
	size_t nt = 0;
	char labels[TP_MAX_TARGETS][64];
	if (o.n_targets == 0 && o.lab && !o.resolv_conf) {
		/* every lab resolver */
		char *save = NULL;
		for (char *tok = strtok_r(names, " ", &save); tok && nt < TP_MAX_TARGETS;
		     tok = strtok_r(NULL, " ", &save)) {
			char *eq = strchr(tok, '=');
			if (!eq || tp_target_parse(eq + 1, &targets[nt], err, sizeof err) != 0)
				continue;
			*eq = '\0';
			snprintf(labels[nt], sizeof labels[nt], "%s", tok);
			nt++;
		}
	} else if (o.n_targets == 0) {
		const char *rc_path = o.resolv_conf ? o.resolv_conf : "/etc/resolv.conf";
		enum tp_resolvconf_status rs =
			tp_resolvconf_read(rc_path, targets, TP_MAX_TARGETS, &nt, err, sizeof err);
		if (rs == TP_RESOLVCONF_ERR) {
			rc = cannot_run(&o, err);
			goto out;
		}
		if (rs == TP_RESOLVCONF_PARTIAL)
			fprintf(stderr, "trustprobe: warning: %s\n", err);
		for (size_t i = 0; i < nt; i++)
			labels[i][0] = '\0';
	} else {
		for (size_t i = 0; i < o.n_targets; i++) {
			if (tp_target_parse(o.targets[i], &targets[nt], err, sizeof err) != 0) {
				rc = cannot_run(&o, err);
				goto out;
			}
			labels[nt][0] = '\0';
			nt++;
		}
	}
	if (nt == 0) {
		snprintf(err, sizeof err, "no usable resolver to probe%s%s",
			 o.lab ? " in LAB_RESOLVERS of " : "", o.lab ? o.lab : "");
		rc = cannot_run(&o, err);
		goto out;
	}
	struct tp_probe_plan plan = {.cat = &cat, .selected = sel, .zone = zone[0] ? zone : NULL,
				     .deadline = tp_now() + o.timeout};
	struct tp_report rep = {0};
	if (tp_probe_all(targets, nt, &plan, &rep, err, sizeof err) != 0) {
		tp_report_free(&rep);
		rc = cannot_run(&o, err);
		goto out;
	}
	for (size_t i = 0; i < rep.n; i++)
		snprintf(rep.resolvers[i].name, sizeof rep.resolvers[i].name, "%.63s", labels[i]);
	rc = render(&o, &rep);
	tp_report_free(&rep);
out:
	free(sel);
	tp_catalog_free(&cat);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "lab") == 0)
		return lab_cli_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "anchors") == 0)
		return tp_anchors_main(argc - 1, argv + 1);
	return probe_main(argc, argv);
}
