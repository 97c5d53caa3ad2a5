/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* cli: parses the probe's command line into struct tp_opts. Pure: prints nothing and
 * never exits; the caller (main.c) prints the one-line error and picks the exit status. */
#ifndef TP_CLI_H
#define TP_CLI_H
#include <stddef.h>
#include "plugin.h"

enum tp_format { TP_FMT_TEXT = 0, TP_FMT_JSON, TP_FMT_NAGIOS, TP_FMT_PROMETHEUS };

#define TP_MAX_TARGETS 48 /* resolvers named with -H or as arguments; every resolver instance of the lab fits (lab_run.c) */
#define TP_MAX_ACCEPT 16
#define TP_FLEET_MAX 65536     /* lines of --targets FILE */
#define TP_FLEET_PARALLEL 64   /* --parallel default */
#define TP_FLEET_TIMEOUT 300.0 /* -t default with --targets */

struct tp_opts {
	enum tp_format format;
	int verbose;
	int list;                 /* --list: print the catalogue and exit */
	int help, version;
	double timeout;           /* -t: overall deadline in seconds (the run ends within it) */
	int timeout_given;        /* -t was given (else 10, or TP_FLEET_TIMEOUT with --targets) */
	unsigned port;            /* -p: the port of every resolver named without @PORT; 0 */
	const char *targets_file; /* --targets FILE: a fleet */
	unsigned parallel;        /* --parallel N: resolvers probed at once (fleet), 0 default */
	struct tp_plugin_opts plugin; /* -w/-c thresholds (verbose and the rest: tp_run) */
	const char *zone;         /* --zone */
	const char *lab;          /* --lab DIR */
	const char *trust_anchor; /* --trust-anchor FILE */
	const char *resolv_conf;  /* --resolv-conf FILE */
	const char *case_glob;    /* --case GLOB */
	const char *vectors;      /* --vectors DIR */
	const char *color;        /* --color auto|always|never */
	long long now;            /* --now DATE: the date the roll calendar is read at; 0 = today */
	unsigned root_keys[2];    /* --root-keys TAG[,TAG]: a private root's KSK in force and
				   * next one (a test bed: trustprobe serve under a lab); 0 =
				   * the real root, judged by its calendar */
	size_t n_accept;          /* --accept [RESOLVER/]ID, as given */
	const char *accept[TP_MAX_ACCEPT];
	size_t n_targets;
	const char *targets[TP_MAX_TARGETS]; /* positional and -H, as given */
	size_t n_hostname;        /* of those, how many came with -H */
};

/* Outcomes of tp_cli_parse(). */
enum tp_cli_status {
	TP_CLI_OK = 0,
	TP_CLI_USAGE /* err holds one line naming the bad option or value */
};

/* Parses argv. prog is the name it was invoked as: "check_trustprobe" makes nagios the
 * default format. Strings in o point into argv. In nagios mode (the plugin) a resolver must
 * be named with -H (or --targets, or --resolv-conf): never /etc/resolv.conf by default, and
 * no bare argument (an Icinga or Nagios command whose address macro is unset drops -H and
 * its value); --list, -h and -V need none. */
enum tp_cli_status tp_cli_parse(int argc, char **argv, const char *prog, struct tp_opts *o,
				char *err, size_t errlen);
/* Parses "text", "json", "nagios" or "prometheus" into *f; 0, or -1 if it is none. */
int tp_cli_parse_format(const char *s, enum tp_format *f);
/* Parses a number of seconds in (0, max] into *out; 0, or -1 if it is not one. */
int tp_cli_parse_seconds(const char *s, double max, double *out);
/* The usage text. */
const char *tp_cli_usage(void);

#endif
