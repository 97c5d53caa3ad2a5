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
	"       trustprobe [options] --targets FILE      (a fleet of resolvers)\n"
	"       check_trustprobe -H ADDRESS [-p PORT] [-t S] [-w W] [-c C] [-v] [options]\n"
	"       trustprobe lab [--resolvers LIST] [--format F] [-v]\n"
	"       trustprobe lab up|down|status|exec ...   (trustprobe lab --help)\n"
	"options:\n"
	"  -H, --hostname ADDR[@PORT]  resolver to probe (repeatable; required in plugin mode)\n"
	"  -p, --port PORT         port of the resolvers named without @PORT (default 53)\n"
	"  --targets FILE          probe every resolver of FILE (ADDR[@PORT] [NAME] a line)\n"
	"  --parallel N            resolvers probed at once with --targets (default 64)\n"
	"  --resolv-conf FILE      probe the nameservers of FILE (default /etc/resolv.conf)\n"
	"  --zone ZONE             where the test vectors are deployed\n"
	"  --lab DIR               take zone and anchors from a running lab's DIR/lab.env\n"
	"  --trust-anchor FILE     the root anchors the probe trusts (DS or DNSKEY lines)\n"
	"  --format text|json|nagios|prometheus\n"
	"  --case GLOB             run only the cases whose id matches GLOB\n"
	"  --list                  list the case catalogue and exit\n"
	"  --vectors DIR           the test vectors directory (case catalogue)\n"
	"  --color auto|always|never\n"
	"  --now DATE              judge the root key roll as on DATE (YYYY-MM-DD), not today\n"
	"  --root-keys TAG[,TAG]   a private root's KSK tags (in force, next), not the real\n"
	"                          root's calendar (a test bed, e.g. trustprobe serve in a lab)\n"
	"  --accept [RESOLVER/]ID  accept a known warning (a cause id such as dname-gap, or a\n"
	"                          case id glob), for one resolver or all; repeatable\n"
	"  -t, --timeout SECONDS   the run ends within it (default 10; 300 with --targets)\n"
	"  -w, --warning DURATION[,DAYS]   plugin thresholds (ranges [@][START:][END]): the\n"
	"  -c, --critical DURATION[,DAYS]  probe's seconds, and the days left before the next\n"
	"                          root key event while not ready (default -w ,30: -c ,7:)\n"
	"  -v, --verbose           show every case (plugin: the failing ones; -vv the queries)\n"
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
	static const char *const names[] = {"text", "json", "nagios", "prometheus"};
	for (int i = 0; i < 4; i++)
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

/* A decimal number in [1, max] into *out; 0, or -1. */
static int count(const char *s, unsigned long max, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *s == '-' || *end || v < 1 || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static enum tp_cli_status add_target(struct tp_opts *o, const char *t, char *err, size_t errlen)
{
	if (!*t)
		return bad(err, errlen, "an empty resolver address");
	if (o->n_targets >= TP_MAX_TARGETS)
		return bad(err, errlen, "too many resolvers (at most %d)", TP_MAX_TARGETS);
	o->targets[o->n_targets++] = t;
	return TP_CLI_OK;
}

enum tp_cli_status tp_cli_parse(int argc, char **argv, const char *prog, struct tp_opts *o,
				char *err, size_t errlen)
{
	static const struct option lo[] = {
		{"hostname", required_argument, NULL, 'H'},
		{"host", required_argument, NULL, 'H'},
		{"port", required_argument, NULL, 'p'},
		{"targets", required_argument, NULL, 'F'},
		{"parallel", required_argument, NULL, 'P'},
		{"warning", required_argument, NULL, 'w'},
		{"critical", required_argument, NULL, 'c'},
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
		{"root-keys", required_argument, NULL, 'K'},
		{"accept", required_argument, NULL, 'A'},
		{"timeout", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	memset(o, 0, sizeof *o);
	o->timeout = 10.0;
	tp_plugin_defaults(&o->plugin);
	o->color = "auto";
	const char *base = prog ? strrchr(prog, '/') : NULL;
	base = base ? base + 1 : prog;
	if (base && strcmp(base, "check_trustprobe") == 0)
		o->format = TP_FMT_NAGIOS;
	/* 0, not 1: glibc's getopt then forgets the rest of a cluster of short options that an
	 * earlier parse stopped in ("-xv" failing at x keeps "v"), which it would otherwise
	 * read from that parse's argv, perhaps freed by now */
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":H:p:t:w:c:vVh", lo, NULL)) != -1) {
		switch (c) {
		case 'H':
			if (add_target(o, optarg, err, errlen) != TP_CLI_OK)
				return TP_CLI_USAGE;
			o->n_hostname++;
			break;
		case 'p':
			if (count(optarg, 65535, &o->port) != 0)
				return bad(err, errlen, "-p wants a port in 1-65535, not '%s'", optarg);
			break;
		case 'F': o->targets_file = optarg; break;
		case 'P':
			if (count(optarg, 1024, &o->parallel) != 0)
				return bad(err, errlen, "--parallel wants 1-1024, not '%s'", optarg);
			break;
		case 'w':
		case 'c':
			if (tp_plugin_thresholds(&o->plugin, c == 'c', optarg, err, errlen) != 0)
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
				return bad(err, errlen, "--format wants text, json, nagios or prometheus, "
					   "not '%s'", optarg);
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
		case 'K': {
			char *end;
			unsigned long a = strtoul(optarg, &end, 10), b = 0;
			if (*end == ',' && end[1] >= '0' && end[1] <= '9')
				b = strtoul(end + 1, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end || a < 1 || a > 65535 ||
			    b > 65535)
				return bad(err, errlen, "--root-keys wants TAG[,TAG] (1-65535), not '%s'",
					   optarg);
			o->root_keys[0] = (unsigned)a;
			o->root_keys[1] = (unsigned)b;
			break;
		}
		case 't':
			if (tp_cli_parse_seconds(optarg, 3600, &o->timeout) != 0)
				return bad(err, errlen, "-t wants seconds in (0, 3600], not '%s'", optarg);
			o->timeout_given = 1;
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
	if (o->resolv_conf && o->n_targets)
		return bad(err, errlen, "--resolv-conf and explicit resolvers exclude each other");
	if (o->targets_file && (o->n_targets || o->resolv_conf))
		return bad(err, errlen, "--targets and %s exclude each other",
			   o->resolv_conf ? "--resolv-conf" : "resolvers named on the command line");
	if (o->targets_file && !o->timeout_given)
		o->timeout = TP_FLEET_TIMEOUT;
	if (o->format == TP_FMT_NAGIOS && !o->list && !o->help && !o->version) {
		if (o->n_targets > o->n_hostname)
			return bad(err, errlen, "'%s': name the resolver with -H in plugin mode",
				   o->targets[o->n_hostname]);
		if (!o->n_targets && !o->targets_file && !o->resolv_conf)
			return bad(err, errlen, "-H ADDRESS is required in plugin mode (the resolver to "
				   "check; /etc/resolv.conf is never read by default)");
	}
	return TP_CLI_OK;
}
