/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* fleet: see fleet.h. */
#include "fleet.h"
#include "render.h"
#include "tp_util.h"
#include "verdict.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tp_fleet_read(const char *path, unsigned port, size_t max, struct tp_fleet_list *l,
		  char *err, size_t errlen)
{
	size_t len = 0, cap = 0, lineno = 0;
	memset(l, 0, sizeof *l);
	char *buf = tp_read_file(path, 64 << 20, &len);
	if (!buf) {
		snprintf(err, errlen, "cannot read --targets %s: %s", path, tp_read_strerror(errno));
		return -1;
	}
	for (char *line = buf, *next; line < buf + len; line = next) {
		char *nl = memchr(line, '\n', (size_t)(buf + len - line));
		next = nl ? nl + 1 : buf + len;
		if (nl)
			*nl = '\0';
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *save = NULL, *addr = strtok_r(line, " \t\r", &save);
		char *name = addr ? strtok_r(NULL, " \t\r", &save) : NULL;
		char *extra = name ? strtok_r(NULL, " \t\r", &save) : NULL;
		if (!addr)
			continue;
		if (extra || (name && strlen(name) >= sizeof l->name[0])) {
			snprintf(err, errlen, "%s:%zu: want 'ADDR[@PORT] [NAME]' (NAME one word of at "
				 "most 63 characters)", path, lineno);
			goto fail;
		}
		if (l->n == max) {
			snprintf(err, errlen, "%s:%zu: more than %zu targets", path, lineno, max);
			goto fail;
		}
		if (l->n == cap) {
			cap = cap ? 2 * cap : 256;
			struct tp_target *t = realloc(l->t, cap * sizeof *t);
			if (t)
				l->t = t;
			char (*nm)[64] = realloc(l->name, cap * sizeof *nm);
			if (nm)
				l->name = nm;
			size_t *ln = realloc(l->line, cap * sizeof *ln);
			if (ln)
				l->line = ln;
			if (!t || !nm || !ln) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
		}
		char spec[160], why[256];
		if (port && !strchr(addr, '@'))
			snprintf(spec, sizeof spec, "%.120s@%u", addr, port);
		else
			snprintf(spec, sizeof spec, "%.150s", addr);
		if (tp_target_parse(spec, &l->t[l->n], why, sizeof why) != 0) {
			snprintf(err, errlen, "%s:%zu: %s", path, lineno, why);
			goto fail;
		}
		snprintf(l->name[l->n], sizeof l->name[0], "%s", name ? name : "");
		l->line[l->n++] = lineno;
	}
	free(buf);
	if (l->n == 0) {
		snprintf(err, errlen, "--targets %s names no resolver", path);
		tp_fleet_list_free(l);
		return -1;
	}
	return 0;
fail:
	free(buf);
	tp_fleet_list_free(l);
	return -1;
}

void tp_fleet_list_free(struct tp_fleet_list *l)
{
	free(l->t);
	free(l->name);
	free(l->line);
	memset(l, 0, sizeof *l);
}

struct fleet {
	const struct tp_fleet_list *l;
	const struct tp_fleet_opts *o;
	struct tp_brief *b;      /* one per target */
	pthread_mutex_t lock;    /* the counts, the JSON stream */
	size_t done, counts[4];  /* ready, not-ready, unknown, of those not probed */
	int json_items, json_err, brief_err;
	double t0, last_tick;
};

static void done_one(size_t i, struct tp_resolver_report *rr, void *arg)
{
	struct fleet *fl = arg;
	const struct tp_fleet_opts *o = fl->o;
	if (fl->l->name[i][0])
		snprintf(rr->name, sizeof rr->name, "%s", fl->l->name[i]);
	if (o->finish)
		o->finish(i, rr, o->finish_arg);
	int details = o->format == TP_FMT_NAGIOS ? o->verbose : 0;
	int brc = tp_brief_from(rr, details, &fl->b[i]);
	fl->b[i].line = fl->l->line[i];
	pthread_mutex_lock(&fl->lock);
	fl->brief_err |= brc != 0;
	if (o->format == TP_FMT_JSON)
		fl->json_err |= tp_render_json_fleet_item(stdout, rr, fl->l->line[i],
							  fl->json_items++ == 0, o->verbose > 0) != 0;
	fl->done++;
	fl->counts[rr->verdict <= TP_UNKNOWN ? rr->verdict : TP_UNKNOWN]++;
	fl->counts[3] += rr->unknown_why == TP_UNK_DEADLINE;
	pthread_mutex_unlock(&fl->lock);
}

/* The progress bar on stderr, at most ten times a second. */
static void tick(void *arg)
{
	struct fleet *fl = arg;
	double now = tp_now();
	if (!fl->o->progress || now - fl->last_tick < 0.1)
		return;
	fl->last_tick = now;
	pthread_mutex_lock(&fl->lock);
	size_t done = fl->done, bad = fl->counts[TP_NOT_READY], unk = fl->counts[TP_UNKNOWN];
	pthread_mutex_unlock(&fl->lock);
	size_t n = fl->l->n, w = 30, fill = n ? done * w / n : w;
	char bar[32];
	for (size_t k = 0; k < w; k++)
		bar[k] = k < fill ? '#' : '.';
	bar[w] = '\0';
	fprintf(stderr, "\r[%s] %zu/%zu resolvers, %zu not ready, %zu unknown, %.1f s ", bar,
		done, n, bad, unk, now - fl->t0);
	fflush(stderr);
}

/* The summary table: a row per target in file order, then the totals. */
static void table(FILE *f, const struct fleet *fl, double secs)
{
	const struct tp_brief *b = fl->b;
	size_t n = fl->l->n;
	int w0 = (int)strlen("resolver");
	for (size_t i = 0; i < n; i++) {
		int len = (int)strlen(b[i].resolver) + (b[i].name[0] ? (int)strlen(b[i].name) + 3 : 0);
		w0 = len > w0 ? len : w0;
	}
	fprintf(f, "%-*s  transport  validation  denial  root-trust  ad-path  dane  %-9s  %-9s  "
		"notes\n", w0, "resolver", "verdict", "roll");
	static const int gw[TP_G_COUNT] = {9, 10, 6, 10, 7, 4};
	for (size_t i = 0; i < n; i++) {
		char label[180];
		snprintf(label, sizeof label, "%s%s%s%s", b[i].resolver, b[i].name[0] ? " (" : "",
			 b[i].name, b[i].name[0] ? ")" : "");
		fprintf(f, "%-*s", w0, label);
		for (int g = 0; g < TP_G_COUNT; g++)
			fprintf(f, "  %-*s", gw[g], b[i].probed ? tp_status_name(b[i].groups[g]) : "-");
		const char *col = !fl->o->color ? "" : b[i].verdict == TP_READY ? "\033[32m"
				  : b[i].verdict == TP_NOT_READY ? "\033[31m" : "\033[36m";
		fprintf(f, "  %s%-9s%s  %-9s  %s\n", col, tp_verdict_name(b[i].verdict),
			fl->o->color ? "\033[0m" : "", tp_verdict_name(b[i].roll_verdict),
			b[i].probed ? b[i].tags : b[i].why);
	}
	fprintf(f, "\n%zu resolvers: %zu ready, %zu not ready, %zu unknown (%zu not probed) in "
		"%.1f s\n", n, fl->counts[TP_READY], fl->counts[TP_NOT_READY],
		fl->counts[TP_UNKNOWN], fl->counts[3], secs);
}

int tp_fleet_run(const struct tp_fleet_list *l, const struct tp_probe_plan *p,
		 const struct tp_fleet_opts *o, char *err, size_t errlen)
{
	struct fleet fl = {.l = l, .o = o, .t0 = tp_now()};
	fl.b = calloc(l->n, sizeof *fl.b);
	if (!fl.b) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pthread_mutex_init(&fl.lock, NULL);
	if (o->format == TP_FMT_JSON)
		fl.json_err |= tp_render_json_fleet_open(stdout, o->started, o->zone, o->file) != 0;
	struct tp_pool_opts po = {.parallel = o->parallel ? o->parallel : TP_FLEET_PARALLEL,
				  .target_budget = o->target_budget, .done = done_one,
				  .tick = tick, .arg = &fl};
	struct tp_pool_stats st;
	int rc = tp_probe_pool(l->t, l->n, p, &po, &st, err, errlen);
	double secs = tp_now() - fl.t0;
	if (o->progress)
		fprintf(stderr, "\r%*s\r", 110, "");
	if (rc == 0 && fl.brief_err) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	int status = -1, werr = fl.json_err;
	if (rc == 0) {
		struct tp_prom_run pr = o->prom;
		pr.duration_s = secs;
		switch (o->format) {
		case TP_FMT_JSON:
			werr |= tp_render_json_fleet_close(stdout, fl.counts, secs) != 0;
			break;
		case TP_FMT_PROMETHEUS:
			werr |= tp_render_prometheus(stdout, fl.b, l->n, o->cases, &pr) != 0;
			break;
		case TP_FMT_NAGIOS:
			status = tp_render_plugin(stdout, fl.b, l->n, o->cases, o->plugin);
			werr |= status < 0;
			break;
		default:
			table(stdout, &fl, secs);
			werr |= fflush(stdout) != 0 || ferror(stdout);
			break;
		}
		if (werr) {
			fprintf(stderr, "trustprobe: cannot write the report: %s\n", strerror(errno));
			status = o->format == TP_FMT_NAGIOS ? 3 : 2;
		} else if (o->format != TP_FMT_NAGIOS) {
			status = fl.counts[TP_NOT_READY] ? 1 : fl.counts[TP_UNKNOWN] ? 2 : 0;
		}
	}
	for (size_t i = 0; i < l->n; i++)
		tp_brief_free(&fl.b[i]);
	free(fl.b);
	pthread_mutex_destroy(&fl.lock);
	return rc == 0 ? status : -1;
}
