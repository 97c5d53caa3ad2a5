/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* anchors_cli: "trustprobe anchors [options] [FILE...]": audits local trust-anchor files
 * against the root key in force, with no network. See anchors_cli.h. */
#include "anchors_cli.h"
#include "tp_util.h"
#include "anchors.h"
#include "cli.h"
#include "labenv.h"
#include "roll.h"
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"usage: trustprobe anchors [--now DATE] [--lab DIR] [--format text|json] [FILE...]\n"
	"Audits trust-anchor files (no network). With no FILE: the Debian default files of each\n"
	"installed resolver. Exit: 0 the key in force is trusted everywhere, 1 some file does not\n"
	"trust it (or only a revoked key), 2 a file cannot be read or parsed.\n";

#define MAX_SOURCES 32

/* Default files of installed resolvers that are not there (yet), for the text report. */
static const char *const *missing[16];
static size_t n_missing;

struct entry {
	const char *program;   /* resolver the file belongs to, or "" */
	struct tp_ta_source src;
	int ok;                /* parsed */
	int judged;            /* has keys (a Lua file that only loads others has none) */
	struct tp_ta_judgement j;
};

/* Reads path as a source; a PowerDNS Lua file's includes become sources of their own.
 * chain[0..depth) are the files that led here: a file that includes itself through them,
 * or a chain deeper than 4, is an error, never a silent stop. */
static void add_source(struct entry *e, size_t *n, const char *program, const char *path,
		       const char **chain, int depth)
{
	if (*n >= MAX_SOURCES)
		return;
	struct entry *x = &e[(*n)++];
	x->program = program;
	for (int i = 0; i < depth; i++) {
		if (strcmp(chain[i], path) == 0) {
			snprintf(x->src.path, sizeof x->src.path, "%s", path);
			snprintf(x->src.err, sizeof x->src.err, "%.200s: an include cycle (%s loads it again)",
				 path, chain[depth - 1]);
			return;
		}
	}
	if (depth >= 4) {
		snprintf(x->src.path, sizeof x->src.path, "%s", path);
		snprintf(x->src.err, sizeof x->src.err, "%.200s: includes nested deeper than 4", path);
		return;
	}
	x->ok = tp_ta_read(path, &x->src) == 0;
	if (!x->ok || x->src.format != TP_TA_FMT_PDNS_LUA)
		return;
	/* PowerDNS Recursor: the files its Lua config loads are sources of their own */
	struct tp_ta_source copy = x->src;
	const char *next[5];
	for (int i = 0; i < depth; i++)
		next[i] = chain[i];
	next[depth] = copy.path;
	for (size_t i = 0; i < copy.n_includes; i++)
		add_source(e, n, program, copy.includes[i], next, depth + 1);
}

static const char *status_word(const struct entry *x)
{
	if (!x->ok)
		return "error";
	if (!x->judged)
		return "loads";
	return x->j.status == 0 ? (x->j.retired_trusted || x->j.stale ? "warn" : "ok") : "FAIL";
}

static void print_text(const struct entry *e, size_t n, time_t now, uint16_t in_force, int real)
{
	char d[16], kn[64];
	tp_format_date(now, d, sizeof d);
	const struct tp_root_key *rk = real ? tp_root_key_find(in_force) : NULL;
	if (rk)
		snprintf(kn, sizeof kn, "%s (%u)", rk->name, in_force);
	else
		snprintf(kn, sizeof kn, "the lab's current KSK (%u)", in_force);
	printf("key in force on %s: %s\n", d, kn);
	const struct tp_roll_event *next = real ? tp_roll_next(now) : NULL;
	if (next)
		printf("next root key step: %s, in %ld days: %s%s\n", next->date,
		       tp_days_until(now, tp_roll_event_time(next)), next->what,
		       next->unverified ? " (date from one secondary source)" : "");
	for (size_t i = 0; i < n; i++) {
		const struct entry *x = &e[i];
		const char *w = status_word(x);
		if (!x->ok) {
			printf("%-5s %s\n", w, x->src.err);
			continue;
		}
		printf("%-5s %s (%s%s%s)", w, x->src.path, tp_ta_format_name(x->src.format),
		       x->program[0] ? ", " : "", x->program);
		if (x->judged)
			printf(": %s\n", x->j.summary);
		else
			printf(": loads %zu file(s)\n", x->src.n_includes);
		for (size_t k = 0; k < x->src.n; k++) {
			const struct tp_ta_key *key = &x->src.keys[k];
			printf("        %5u alg %u %-6s %-7s line %u%s\n", key->tag, key->alg,
			       key->is_ds ? "DS" : "DNSKEY", tp_ta_state_name(key->state), key->line,
			       key->revoke_bit ? " REVOKE" : "");
		}
	}
	for (size_t i = 0; i < n_missing; i++)
		printf("none  %s (%s): not there yet (unbound writes it at its first start, named "
		       "its RFC 5011 state some time after)\n", missing[i][1], missing[i][0]);
}

static int print_json(const struct entry *e, size_t n, time_t now, uint16_t in_force, int real,
		      int rc)
{
	json_t *root = json_object(), *arr = json_array();
	char d[16];
	tp_format_date(now, d, sizeof d);
	json_object_set_new(root, "schema", json_integer(1));
	json_object_set_new(root, "now", json_string(d));
	json_object_set_new(root, "key_in_force", json_integer(in_force));
	json_object_set_new(root, "real_root", json_boolean(real));
	const struct tp_roll_event *next = real ? tp_roll_next(now) : NULL;
	if (next)
		json_object_set_new(root, "next_event",
				    json_pack("{s:s,s:i,s:s,s:I,s:b}", "date", next->date, "tag",
					      next->tag, "what", next->what, "days",
					      (json_int_t)tp_days_until(now, tp_roll_event_time(next)),
					      "unverified", next->unverified));
	for (size_t i = 0; i < n; i++) {
		const struct entry *x = &e[i];
		json_t *o = json_object(), *keys = json_array();
		json_object_set_new(o, "path", json_string(x->src.path));
		json_object_set_new(o, "program", json_string(x->program));
		json_object_set_new(o, "status", json_string(status_word(x)));
		if (!x->ok) {
			json_object_set_new(o, "error", json_string(x->src.err));
			json_array_append_new(arr, o);
			continue;
		}
		json_object_set_new(o, "format", json_string(tp_ta_format_name(x->src.format)));
		if (x->judged) {
			json_object_set_new(o, "summary", json_string(x->j.summary));
			json_object_set_new(o, "in_force_trusted", json_boolean(x->j.in_force_trusted));
			json_object_set_new(o, "retired_trusted", json_integer(x->j.retired_trusted));
			json_object_set_new(o, "stale_days", json_integer(x->j.stale_days));
		}
		for (size_t k = 0; k < x->src.n; k++) {
			const struct tp_ta_key *key = &x->src.keys[k];
			json_array_append_new(keys, json_pack("{s:i,s:i,s:s,s:s,s:i,s:b}", "tag", key->tag,
							      "alg", key->alg, "type",
							      key->is_ds ? "DS" : "DNSKEY", "state",
							      tp_ta_state_name(key->state), "line",
							      (int)key->line, "revoke", key->revoke_bit));
		}
		json_object_set_new(o, "keys", keys);
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "sources", arr);
	json_object_set_new(root, "exit", json_integer(rc));
	int r = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
	if (r == 0 && fputc('\n', stdout) == EOF)
		r = -1;
	return r;
}

int tp_anchors_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"now", required_argument, NULL, 'n'},
		{"lab", required_argument, NULL, 'l'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	time_t now = time(NULL);
	const char *lab = NULL;
	enum tp_format fmt = TP_FMT_TEXT;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (tp_parse_date(optarg, &now) != 0) {
				fprintf(stderr, "trustprobe anchors: --now wants YYYY-MM-DD or "
						"YYYY-MM-DDTHH:MM:SSZ, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'l': lab = optarg; break;
		case 'f':
			if (tp_cli_parse_format(optarg, &fmt) != 0 ||
			    (fmt != TP_FMT_TEXT && fmt != TP_FMT_JSON)) {
				fprintf(stderr, "trustprobe anchors: --format wants text or json, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'h': fputs(usage, stdout); return 0;
		case ':':
			fprintf(stderr, "trustprobe anchors: option '%s' needs a value\n", argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "trustprobe anchors: unknown option '%s'\n%s", argv[optind - 1], usage);
			return 2;
		}
	}
	uint16_t in_force = tp_roll_key_in_force(now);
	int real = 1;
	if (lab) {
		char v[32];
		unsigned long tag;
		char *end;
		if (tp_labenv_get(lab, "LAB_KSK_CURRENT", v, sizeof v) != 0 ||
		    (tag = strtoul(v, &end, 10)) == 0 || *end || tag > 65535) {
			fprintf(stderr, "trustprobe anchors: no lab in %s (cannot read LAB_KSK_CURRENT "
					"from %s/lab.env)\n", lab, lab);
			return 2;
		}
		in_force = (uint16_t)tag;
		real = 0;
	}
	struct entry *e = calloc(MAX_SOURCES, sizeof *e);
	if (!e) {
		fprintf(stderr, "trustprobe anchors: out of memory\n");
		return 2;
	}
	size_t n = 0;
	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			add_source(e, &n, "", argv[i], NULL, 0);
	} else if (lab) {
		static const char *const lab_files[][2] = {
			{"", "ta/root.ds"}, {"", "ta/root.dnskey"}, {"unbound", "unbound/root.key"},
			{"named", "ta/bind.conf"}, {"kresd", "knot-resolver/root.keys"},
			{"dnsmasq", "ta/dnsmasq.conf"}, {"pdns_recursor", "pdns-recursor/recursor.lua"},
		};
		for (size_t i = 0; i < sizeof lab_files / sizeof lab_files[0]; i++) {
			char p[4200];
			snprintf(p, sizeof p, "%s/%s", lab, lab_files[i][1]);
			FILE *f = tp_fopen_read(p, 1 << 20);
			if (!f && errno != TP_ENOTREG && errno != EFBIG)
				continue; /* absent: that resolver has no anchor file in this lab */
			if (f)
				fclose(f); /* one that is there but no regular file is reported */
			add_source(e, &n, lab_files[i][0], p, NULL, 0);
		}
	} else {
		static const char *paths[16][2];
		int exists[16];
		size_t np = tp_ta_default_paths(paths, exists, 16);
		for (size_t i = 0; i < np; i++) {
			if (exists[i])
				add_source(e, &n, paths[i][0], paths[i][1], NULL, 0);
			else if (n_missing < 16)
				missing[n_missing++] = paths[i];
		}
	}
	if (n == 0) {
		fprintf(stderr, "trustprobe anchors: no trust-anchor file found%s\n",
			lab ? " in the lab" : " (no resolver installed in its Debian location; name FILEs)");
		free(e);
		return 2;
	}
	int any_fail = 0, any_err = 0;
	for (size_t i = 0; i < n; i++) {
		struct entry *x = &e[i];
		if (!x->ok) {
			any_err = 1;
			continue;
		}
		x->judged = x->src.n > 0;
		if (x->judged) {
			tp_ta_judge(&x->src, now, in_force, real, &x->j);
			any_fail |= x->j.status != 0;
		}
	}
	size_t judged = 0;
	for (size_t i = 0; i < n; i++)
		judged += e[i].judged;
	int rc = any_fail ? 1 : any_err ? 2 : 0;
	if (rc == 0 && judged == 0) {
		fprintf(stderr, "trustprobe anchors: no root key in any file read (a configuration "
				"that only loads other files, none of which holds one)\n");
		rc = 2;
	}
	int w = 0;
	if (fmt == TP_FMT_JSON)
		w = print_json(e, n, now, in_force, real, rc);
	else
		print_text(e, n, now, in_force, real);
	if (w != 0 || fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "trustprobe anchors: cannot write the report\n");
		rc = 2;
	}
	free(e);
	return rc;
}
