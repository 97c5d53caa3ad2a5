/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* cli: see cli.h. */
#include "cli.h"
#include "roll.h"
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: trustprobe [options] [RESOLVER[@PORT]...]\n"
	"       trustprobe lab [--resolvers LIST] [--format F] [-v]\n"
	"       trustprobe lab up|down|status|exec ...   (trustprobe lab --help)\n"
	"options:\n"
	"  -H, --host ADDR[@PORT]  resolver to probe (repeatable; same as a positional)\n"
	"  --resolv-conf FILE      probe the nameservers of FILE (default /etc/resolv.conf)\n"
	"  --zone ZONE             where the test vectors are deployed\n"
	"  --lab DIR               take zone and anchors from a running lab's DIR/lab.env\n"
	"  --trust-anchor FILE     the root anchors the probe trusts (DS or DNSKEY lines)\n"
	"  --format text|json|nagios\n"
	"  --case GLOB             run only the cases whose id matches GLOB\n"
	"  --list                  list the case catalogue and exit\n"
	"  --vectors DIR           the test vectors directory (case catalogue)\n"
	"  --color auto|always|never\n"
	"  --now DATE              judge the root key roll as on DATE (YYYY-MM-DD), not today\n"
	"  --accept [RESOLVER/]ID  accept a known warning (a cause id such as dname-gap, or a\n"
	"                          case id glob), for one resolver or all; repeatable\n"
	"  -t, --timeout SECONDS   overall deadline (default 10)\n"
	"  -v, --verbose           show every case, its query and its answer\n"
	"  -V, --version           -h, --help\n";

const char *tp_cli_usage(void)
{
	return usage;
}

static enum tp_cli_status bad(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum tp_cli_status bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return TP_CLI_USAGE;
}

int tp_cli_parse_format(const char *s, enum tp_format *f)
{
	static const char *const names[] = {"text", "json", "nagios"};
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum tp_format)i;
			return 0;
		}
	return -1;
}

int tp_cli_parse_seconds(const char *s, double max, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v > 0) || v > max)
		return -1;
	*out = v;
	return 0;
}

static enum tp_cli_status add_target(struct tp_opts *o, const char *t, char *err, size_t errlen)
{
	if (o->n_targets >= TP_MAX_TARGETS)
		return bad(err, errlen, "too many resolvers (at most %d)", TP_MAX_TARGETS);
	o->targets[o->n_targets++] = t;
	return TP_CLI_OK;
}

enum tp_cli_status tp_cli_parse(int argc, char **argv, const char *prog, struct tp_opts *o,
				char *err, size_t errlen)
{
	static const struct option lo[] = {
		{"host", required_argument, NULL, 'H'},
		{"resolv-conf", required_argument, NULL, 'R'},
		{"zone", required_argument, NULL, 'z'},
		{"lab", required_argument, NULL, 'L'},
		{"trust-anchor", required_argument, NULL, 'T'},
		{"format", required_argument, NULL, 'f'},
		{"case", required_argument, NULL, 'C'},
		{"list", no_argument, NULL, 'l'},
		{"vectors", required_argument, NULL, 'D'},
		{"color", required_argument, NULL, 'o'},
		{"now", required_argument, NULL, 'N'},
		{"accept", required_argument, NULL, 'A'},
		{"timeout", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	memset(o, 0, sizeof *o);
	o->timeout = 10.0;
	o->color = "auto";
	const char *base = prog ? strrchr(prog, '/') : NULL;
	base = base ? base + 1 : prog;
	if (base && strcmp(base, "check_trustprobe") == 0)
		o->format = TP_FMT_NAGIOS;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":H:t:vVh", lo, NULL)) != -1) {
		switch (c) {
		case 'H':
			if (add_target(o, optarg, err, errlen) != TP_CLI_OK)
				return TP_CLI_USAGE;
			break;
		case 'R': o->resolv_conf = optarg; break;
		case 'z': o->zone = optarg; break;
		case 'L': o->lab = optarg; break;
		case 'T': o->trust_anchor = optarg; break;
		case 'C': o->case_glob = optarg; break;
		case 'l': o->list = 1; break;
		case 'A':
			if (o->n_accept >= TP_MAX_ACCEPT)
				return bad(err, errlen, "too many --accept (at most %d)", TP_MAX_ACCEPT);
			if (!*optarg || optarg[strlen(optarg) - 1] == '/')
				return bad(err, errlen, "--accept wants [RESOLVER/]ID, not '%s'", optarg);
			o->accept[o->n_accept++] = optarg;
			break;
		case 'D': o->vectors = optarg; break;
		case 'v': o->verbose++; break;
		case 'V': o->version = 1; break;
		case 'h': o->help = 1; break;
		case 'f':
			if (tp_cli_parse_format(optarg, &o->format) != 0)
				return bad(err, errlen, "--format wants text, json or nagios, not '%s'", optarg);
			break;
		case 'o':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				return bad(err, errlen, "--color wants auto, always or never, not '%s'", optarg);
			o->color = optarg;
			break;
		case 'N': {
			time_t t;
			if (tp_parse_date(optarg, &t) != 0)
				return bad(err, errlen, "--now wants a date YYYY-MM-DD, not '%s'", optarg);
			o->now = (long long)t;
			break;
		}
		case 't':
			if (tp_cli_parse_seconds(optarg, 3600, &o->timeout) != 0)
				return bad(err, errlen, "-t wants seconds in (0, 3600], not '%s'", optarg);
			break;
		case ':':
			return bad(err, errlen, "option '%s' needs a value", argv[optind - 1]);
		default:
			return bad(err, errlen, "unknown option '%s'", argv[optind - 1]);
		}
	}
	for (int i = optind; i < argc; i++)
		if (add_target(o, argv[i], err, errlen) != TP_CLI_OK)
			return TP_CLI_USAGE;
	if (o->zone && o->lab)
		return bad(err, errlen, "--zone and --lab both name the test zone: give one");
	if (o->resolv_conf && o->n_targets)
		return bad(err, errlen, "--resolv-conf and explicit resolvers exclude each other");
	return TP_CLI_OK;
}
