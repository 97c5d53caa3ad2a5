/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* cli: parses the probe's command line into struct tp_opts. Pure: prints nothing and
 * never exits; the caller (main.c) prints the one-line error and picks the exit status. */
#ifndef TP_CLI_H
#define TP_CLI_H
#include <stddef.h>

enum tp_format { TP_FMT_TEXT = 0, TP_FMT_JSON, TP_FMT_NAGIOS };

#define TP_MAX_TARGETS 48 /* every resolver instance of the lab fits (lab_run.c) */
#define TP_MAX_ACCEPT 16

struct tp_opts {
	enum tp_format format;
	int verbose;
	int list;                 /* --list: print the catalogue and exit */
	int help, version;
	double timeout;           /* -t: overall deadline in seconds */
	const char *zone;         /* --zone */
	const char *lab;          /* --lab DIR */
	const char *trust_anchor; /* --trust-anchor FILE */
	const char *resolv_conf;  /* --resolv-conf FILE */
	const char *case_glob;    /* --case GLOB */
	const char *vectors;      /* --vectors DIR */
	const char *color;        /* --color auto|always|never */
	long long now;            /* --now DATE: the date the roll calendar is read at; 0 = today */
	size_t n_accept;          /* --accept [RESOLVER/]ID, as given */
	const char *accept[TP_MAX_ACCEPT];
	size_t n_targets;
	const char *targets[TP_MAX_TARGETS]; /* positional and -H, as given */
};

/* Outcomes of tp_cli_parse(). */
enum tp_cli_status {
	TP_CLI_OK = 0,
	TP_CLI_USAGE /* err holds one line naming the bad option or value */
};

/* Parses argv. prog is the name it was invoked as: "check_trustprobe" makes nagios the
 * default format. Strings in o point into argv. */
enum tp_cli_status tp_cli_parse(int argc, char **argv, const char *prog, struct tp_opts *o,
				char *err, size_t errlen);
/* Parses "text", "json" or "nagios" into *f; 0, or -1 if it is none of them. */
int tp_cli_parse_format(const char *s, enum tp_format *f);
/* Parses a number of seconds in (0, max] into *out; 0, or -1 if it is not one. */
int tp_cli_parse_seconds(const char *s, double max, double *out);
/* The usage text. */
const char *tp_cli_usage(void);

#endif
