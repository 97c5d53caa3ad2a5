/* trustprobe: entry point. Parses the command line, runs the lab commands or the probe,
 * renders the report, and is the only place that exits. */
#include "catalog.h"
#include "cli.h"
#include "lab.h"
#include "lab_cli.h"
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

/* Checks that an anchor file holds at least one DS or DNSKEY record for the root.
 * The file is read whole first (at most 1 MiB), so a FIFO or /dev/zero cannot hang us. */
static int check_anchor(const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = tp_read_file(path, 1 << 20, &len);
	if (!text) {
		snprintf(err, errlen, "cannot read trust anchor %s: %s", path, strerror(errno));
		return -1;
	}
	FILE *f = fmemopen(text, len, "r");
	if (!f) {
		free(text);
		snprintf(err, errlen, "cannot read trust anchor %s: %s", path, strerror(errno));
		return -1;
	}
	int line = 0, found = 0, bad = 0;
	uint32_t ttl = 3600;
	ldns_rdf *origin = NULL, *prev = NULL, *root = ldns_dname_new_frm_str(".");
	while (!feof(f) && !bad) {
		ldns_rr *rr = NULL;
		ldns_status st = ldns_rr_new_frm_fp_l(&rr, f, &ttl, &origin, &prev, &line);
		if (st == LDNS_STATUS_SYNTAX_EMPTY || st == LDNS_STATUS_SYNTAX_TTL ||
		    st == LDNS_STATUS_SYNTAX_ORIGIN)
			continue;
		if (st != LDNS_STATUS_OK) {
			snprintf(err, errlen, "broken trust anchor %s:%d: %s", path, line,
				 ldns_get_errorstr_by_id(st));
			bad = 1;
			break;
		}
		ldns_rr_type t = ldns_rr_get_type(rr);
		if ((t == LDNS_RR_TYPE_DS || t == LDNS_RR_TYPE_DNSKEY) && root &&
		    ldns_dname_compare(ldns_rr_owner(rr), root) == 0)
			found++;
		ldns_rr_free(rr);
	}
	fclose(f);
	free(text);
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	ldns_rdf_deep_free(root);
	if (bad)
		return -1;
	if (!found) {
		snprintf(err, errlen, "trust anchor %s holds no DS or DNSKEY record for the root",
			 path);
		return -1;
	}
	return 0;
}

/* Reads one variable of DIR/lab.env into out (quotes removed). */
static int lab_env_get(const char *dir, const char *key, char *out, size_t outlen)
{
	char path[4200], line[8192];
	snprintf(path, sizeof path, "%s/lab.env", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t kl = strlen(key);
	int found = -1;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, key, kl) != 0 || line[kl] != '=')
			continue;
		char *v = line + kl + 1;
		v[strcspn(v, "\n")] = '\0';
		size_t n = strlen(v);
		if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'') {
			v[n - 1] = '\0';
			v++;
		}
		snprintf(out, outlen, "%s", v);
		found = 0;
		break;
	}
	fclose(f);
	return found;
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
		if (lab_env_get(o.lab, "LAB_ZONE", zone, sizeof zone) != 0) {
			snprintf(err, sizeof err, "no running lab in %s (cannot read %s/lab.env)", o.lab, o.lab);
			rc = cannot_run(&o, err);
			goto out;
		}
		lab_env_get(o.lab, "LAB_RESOLVERS", names, sizeof names);
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
	return probe_main(argc, argv);
}
