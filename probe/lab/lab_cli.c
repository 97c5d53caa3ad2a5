/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_cli: see lab_cli.h. */
#include "lab_cli.h"
#include "cli.h"
#include "lab.h"
#include "lab_fleet.h"
#include "lab_probe.h"
#include "lab_roll.h"
#include "lab_user.h"
#include "paths.h"
#include "proxy.h"
#include "render.h"
#include <signal.h>
#include <stdarg.h>
#include <unistd.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char lab_usage[] =
	"usage: trustprobe lab [--resolvers LIST] [--format text|json|nagios] [--case GLOB] [-t S] [-v]\n"
	"                      [--with NAME=FAMILY:PROGRAM] [--shipped FAMILY|NAME|all]\n"
	"                      [--conf INSTANCE=FILE] [--compare BASELINE CANDIDATE]\n"
	"       trustprobe lab roll   [--resolvers LIST] [--format text|json]\n"
	"       trustprobe lab up     [--dir D] [--resolvers LIST] [--vectors DIR] [--timeout S]\n"
	"                             [--with ...] [--shipped ...] [--conf ...]\n"
	"                             [--fleet N]   (N more addresses for --targets D/fleet/targets)\n"
	"                             [--delegate NAME=ADDR,DSFILE]   (a child of the lab TLD,\n"
	"                             e.g. for trustprobe serve run inside the lab)\n"
	"       trustprobe lab down   [--dir D]\n"
	"       trustprobe lab status [--dir D]\n"
	"       trustprobe lab exec   [--dir D] -- COMMAND [ARG...]\n"
	"       trustprobe lab proxy  --listen ADDR --upstream ADDR[,ADDR] --rules FILE [--zone-dir D]\n"
	"       trustprobe lab proxy  --resolver --listen ADDR --upstream ADDR [--lie ad|none]\n"
	"                             [--hostile MODE]\n"
	"D defaults to $TRUSTPROBE_LAB_DIR, else ${TMPDIR:-/tmp}/trustprobe-lab-UID.\n";

/* A setup error of 'trustprobe lab' or 'lab roll' (who): one line on stderr, with the
 * usage when usage is set, and with --format json (f) the same as a JSON document on
 * stdout. Returns 2, the exit status. */
static int setup_error(enum tp_format f, const char *who, int usage, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int setup_error(enum tp_format f, const char *who, int usage, const char *fmt, ...)
{
	char msg[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n%s", who, msg, usage ? lab_usage : "");
	if (f == TP_FMT_JSON)
		tp_render_json_error(stdout, msg, 2);
	return 2;
}


/* 'lab up': a signal lab_up hands back (one that came after its last check, with the lab
 * up), or one that comes before the result is printed. */
static volatile sig_atomic_t up_signal;
static void on_up_signal(int s)
{
	up_signal = s;
}

/* Runs lab_up for the CLI so that a signal never leaves a lab behind: either it came in
 * time and everything is stopped (LAB_ERR_INTERRUPTED, info->signal), or it came after the
 * decision and is held off until the process exits, the lab up. Returns with INT, TERM
 * and HUP blocked. */
static enum lab_status up_atomic(const struct lab_up_opts *o, struct lab_up_info *info,
				 char *err, size_t errlen)
{
	const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa = {.sa_handler = on_up_signal};
	sigemptyset(&sa.sa_mask);
	up_signal = 0;
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, NULL);
	memset(info, 0, sizeof *info);
	enum lab_status st = LAB_ERR_INTERRUPTED;
	if (!up_signal)
		st = lab_up(o, info, err, errlen);
	else
		snprintf(err, errlen, "interrupted by signal %d; nothing was started",
			 (int)up_signal);
	sigset_t block;
	sigemptyset(&block);
	for (int i = 0; i < 3; i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, NULL);
	if (st == LAB_ERR_INTERRUPTED && !info->signal)
		info->signal = (int)up_signal;
	if (st == LAB_OK && up_signal) {
		/* lab_up saw the holder's OK, then the signal: stop what it started */
		struct lab_down_info di;
		char e2[512];
		lab_down(info->dir, &di, e2, sizeof e2);
		snprintf(err, errlen, "interrupted by signal %d; everything the lab started was "
			 "stopped", (int)up_signal);
		info->signal = (int)up_signal;
		st = LAB_ERR_INTERRUPTED;
	}
	return st;
}

static int exit_for(enum lab_status s)
{
	switch (s) {
	case LAB_OK: return 0;
	case LAB_ERR_DEAD: return 1;
	case LAB_ERR_ORPHANED: return 3;
	case LAB_ERR_INTERRUPTED: return 130;
	default: return 2;
	}
}

/* "trustprobe lab [options]": build, probe every resolver, tear down, print the matrix. */
static int one_shot(int argc, char **argv)
{
	static const struct option opts[] = {
		{"resolvers", required_argument, NULL, 'r'},
		{"vectors", required_argument, NULL, 'V'},
		{"format", required_argument, NULL, 'f'},
		{"case", required_argument, NULL, 'C'},
		{"color", required_argument, NULL, 'o'},
		{"timeout", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"compare", required_argument, NULL, 'c'},
		{"with", required_argument, NULL, LAB_USER_OPT_WITH},
		{"shipped", required_argument, NULL, LAB_USER_OPT_SHIPPED},
		{"conf", required_argument, NULL, LAB_USER_OPT_CONF},
		{NULL, 0, NULL, 0},
	};
	static struct lab_user_opts user;
	struct lab_probe_opts o = {.timeout = 20.0, .format = TP_FMT_TEXT, .user = &user};
	char uerr[512];
	const char *color = "auto";
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":t:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'r': o.resolvers = optarg; break;
		case 'V': o.vectors = optarg; break;
		case 'C': o.case_glob = optarg; break;
		case 'v': o.verbose++; break;
		case 'h': fputs(lab_usage, stdout); return 0;
		case 'o': color = optarg; break;
		case 'c': o.compare[0] = optarg; break;
		case LAB_USER_OPT_WITH:
		case LAB_USER_OPT_SHIPPED:
		case LAB_USER_OPT_CONF:
			if (lab_user_opt(&user, c, optarg, uerr, sizeof uerr) != 0)
				return setup_error(o.format, "trustprobe lab", 0, "%s", uerr);
			break;
		case 'f':
			if (tp_cli_parse_format(optarg, &o.format) != 0) {
				return setup_error(o.format, "trustprobe lab", 0,
						   "--format wants text, json or nagios, not '%s'", optarg);
			}
			break;
		case 't':
			if (tp_cli_parse_seconds(optarg, 3600, &o.timeout) != 0) {
				return setup_error(o.format, "trustprobe lab", 0,
						   "-t wants seconds in (0, 3600], not '%s'", optarg);
			}
			break;
		case ':':
			return setup_error(o.format, "trustprobe lab", 0, "option '%s' needs a value",
					   argv[optind - 1]);
		default:
			return setup_error(o.format, "trustprobe lab", 1, "unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (o.compare[0] && optind < argc) /* the candidate: getopt moved it to the end */
		o.compare[1] = argv[optind++];
	if (o.compare[0] && (!o.compare[1] || optind < argc))
		return setup_error(o.format, "trustprobe lab", 0,
				   "--compare wants two instance names: BASELINE CANDIDATE");
	if (o.compare[0] && (o.resolvers || o.format == TP_FMT_NAGIOS))
		return setup_error(o.format, "trustprobe lab", 0, "--compare goes with neither "
				   "--resolvers (it probes the two it names) nor --format nagios");
	if (optind < argc)
		return setup_error(o.format, "trustprobe lab", 1, "unknown subcommand '%s'",
				   argv[optind]);
	if (strcmp(color, "always") == 0)
		o.color = 1;
	else if (strcmp(color, "auto") == 0)
		o.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	if (!o.vectors)
		o.vectors = tp_find_vectors();
	if (!o.vectors) {
		char err[16384];
		tp_vectors_not_found(err, sizeof err);
		return setup_error(o.format, "trustprobe lab", 0, "%s", err);
	}
	return lab_probe_main(&o);
}

/* "trustprobe lab roll [options]": the root KSK roll, rehearsed (lab_roll.h). */
static int roll(int argc, char **argv)
{
	static const struct option opts[] = {
		{"resolvers", required_argument, NULL, 'r'},
		{"vectors", required_argument, NULL, 'V'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct lab_roll_opts o = {.format = TP_FMT_TEXT};
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': o.resolvers = optarg; break;
		case 'V': o.vectors = optarg; break;
		case 'h': fputs(lab_usage, stdout); return 0;
		case 'f':
			if (tp_cli_parse_format(optarg, &o.format) != 0 || o.format >= TP_FMT_NAGIOS) {
				return setup_error(TP_FMT_TEXT, "trustprobe lab roll", 0,
						   "--format wants text or json, not '%s'", optarg);
			}
			break;
		case ':':
			return setup_error(o.format, "trustprobe lab roll", 0,
					   "option '%s' needs a value", argv[optind - 1]);
		default:
			return setup_error(o.format, "trustprobe lab roll", 1, "unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return setup_error(o.format, "trustprobe lab roll", 0, "unexpected argument '%s'",
				   argv[optind]);
	if (!o.vectors)
		o.vectors = tp_find_vectors();
	if (!o.vectors) {
		char err[16384];
		tp_vectors_not_found(err, sizeof err);
		return setup_error(o.format, "trustprobe lab roll", 0, "%s", err);
	}
	return lab_roll_main(&o);
}

int lab_cli_main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-')
		return one_shot(argc, argv);
	const char *sub = argv[1];
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
		fputs(lab_usage, stdout);
		return 0;
	}
	if (strcmp(sub, "roll") == 0)
		return roll(argc - 1, argv + 1);
	if (strcmp(sub, "proxy") == 0) /* the attacker proxy or the liar, run by the holder (proxy.h) */
		return px_main(argc - 1, argv + 1);
	if (strcmp(sub, "up") && strcmp(sub, "down") && strcmp(sub, "status") && strcmp(sub, "exec")) {
		fprintf(stderr, "trustprobe lab: unknown subcommand '%s'\n%s", sub, lab_usage);
		return 2;
	}
	static const struct option opts[] = {
		{"dir", required_argument, NULL, 'd'},
		{"resolvers", required_argument, NULL, 'r'},
		{"vectors", required_argument, NULL, 'V'},
		{"timeout", required_argument, NULL, 't'},
		{"fleet", required_argument, NULL, 'F'},
		{"delegate", required_argument, NULL, 'G'},
		{"help", no_argument, NULL, 'h'},
		{"with", required_argument, NULL, LAB_USER_OPT_WITH},
		{"shipped", required_argument, NULL, LAB_USER_OPT_SHIPPED},
		{"conf", required_argument, NULL, LAB_USER_OPT_CONF},
		{NULL, 0, NULL, 0},
	};
	static struct lab_user_opts user;
	int n_user = 0;
	char err[1024] = "";
	const char *dir = NULL, *resolvers = NULL, *vectors = NULL;
	unsigned long fleet = 0;
	double timeout = 20.0;
	static char dname[256], daddr[64], dds[4096]; /* --delegate NAME=ADDR,DSFILE */
	int up = strcmp(sub, "up") == 0;
	optind = 1;
	opterr = 0;
	int c;
	/* "+" stops at the first non-option, so "exec -- cmd -x" keeps cmd's options */
	while ((c = getopt_long(argc - 1, argv + 1, "+d:r:V:t:F:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F': { /* lab_fleet.h */
			char *end;
			fleet = strtoul(optarg, &end, 10);
			if (!*optarg || *end || fleet < 1 || fleet > LAB_FLEET_MAX) {
				fprintf(stderr, "trustprobe lab: --fleet wants 1 to %d, not '%s'\n",
					LAB_FLEET_MAX, optarg);
				return 2;
			}
			break;
		}
		case 'G': {
			const char *eq = strchr(optarg, '='), *comma = eq ? strchr(eq, ',') : NULL;
			size_t nl = eq ? (size_t)(eq - optarg) : 0;
			size_t al = comma ? (size_t)(comma - eq - 1) : 0;
			if (!comma || nl == 0 || nl + 2 > sizeof dname || al == 0 || al >= sizeof daddr ||
			    !comma[1] || strlen(comma + 1) >= sizeof dds) {
				fprintf(stderr, "trustprobe lab up: --delegate wants NAME=ADDR,DSFILE, "
					"not '%s'\n", optarg);
				return 2;
			}
			snprintf(dname, sizeof dname, "%.*s%s", (int)nl, optarg,
				 optarg[nl - 1] == '.' ? "" : ".");
			snprintf(daddr, sizeof daddr, "%.*s", (int)al, eq + 1);
			snprintf(dds, sizeof dds, "%s", comma + 1);
			break;
		}
		case 'd': dir = optarg; break;
		case 'r': resolvers = optarg; break;
		case 'V': vectors = optarg; break;
		case 't':
			if (tp_cli_parse_seconds(optarg, 600, &timeout) != 0) {
				fprintf(stderr, "trustprobe lab: --timeout wants seconds in (0, 600], not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'h': fputs(lab_usage, stdout); return 0;
		case LAB_USER_OPT_WITH:
		case LAB_USER_OPT_SHIPPED:
		case LAB_USER_OPT_CONF:
			n_user++;
			if (lab_user_opt(&user, c, optarg, err, sizeof err) != 0) {
				fprintf(stderr, "trustprobe lab %s: %s\n", sub, err);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "trustprobe lab %s: bad option '%s'\n%s", sub, argv[optind],
				lab_usage);
			return 2;
		}
	}
	int rest = optind + 1; /* index into argv of the first non-option */
	if (!up && (resolvers || vectors || n_user || fleet || dname[0])) {
		fprintf(stderr, "trustprobe lab %s: --resolvers, --vectors, --with, --shipped, "
			"--conf, --fleet and --delegate go with 'up'\n", sub);
		return 2;
	}
	if (!dir)
		dir = lab_default_dir();
	enum lab_status st;
	if (up) {
		if (rest < argc) {
			fprintf(stderr, "trustprobe lab up: unexpected argument '%s'\n", argv[rest]);
			return 2;
		}
		struct lab_up_opts o = {.dir = dir, .resolvers = resolvers, .timeout = timeout,
					.vectors = vectors ? vectors : tp_find_vectors(),
					.fleet = (unsigned)fleet,
					.delegate_name = dname[0] ? dname : NULL,
					.delegate_addr = daddr, .delegate_ds = dds};
		struct lab_up_info info;
		if (lab_user_apply(&user, err, sizeof err) != 0) {
			fprintf(stderr, "trustprobe lab up: %s\n", err);
			return 2;
		}
		st = up_atomic(&o, &info, err, sizeof err);
		for (size_t i = 0; i < info.n_skipped; i++)
			fprintf(stderr, "trustprobe lab up: skipping %s (%s)\n", info.skipped[i].name,
				info.skipped[i].reason);
		if (st == LAB_OK && info.mta_skipped[0])
			fprintf(stderr, "trustprobe lab up: no MX server (%s)\n", info.mta_skipped);
		if (st == LAB_OK) {
			printf("lab up: %zu daemons answering in %.2f s (signing and configs %.2f s)\n",
			       info.n_daemons, info.t_total, info.t_sign);
			printf("lab dir: %s  (source %s/lab.env, or: trustprobe lab exec --dir %s -- CMD)\n",
			       info.dir, info.dir, info.dir);
			lab_user_print(stdout, &info);
		}
	} else if (strcmp(sub, "down") == 0) {
		if (rest < argc) {
			fprintf(stderr, "trustprobe lab down: unexpected argument '%s'\n", argv[rest]);
			return 2;
		}
		struct lab_down_info info;
		st = lab_down(dir, &info, err, sizeof err);
		if (st == LAB_OK && !info.was_running)
			printf("lab down: nothing was running in %s\n", dir);
		else if (st == LAB_OK)
			printf("lab down: stopped %zu processes in %.2f s (%zu needed SIGKILL)\n",
			       info.n_stopped, info.t_total, info.n_killed);
	} else if (strcmp(sub, "status") == 0) {
		st = lab_status(dir, stdout, err, sizeof err);
	} else {
		if (rest < argc && strcmp(argv[rest], "--") == 0)
			rest++;
		if (rest >= argc) {
			fprintf(stderr, "trustprobe lab exec: no command given\n%s", lab_usage);
			return 2;
		}
		st = lab_exec(dir, argv + rest, err, sizeof err);
		if (st != LAB_OK) {
			fprintf(stderr, "trustprobe lab exec: %s\n", err);
			return st == LAB_ERR_USAGE ? 127 : 2;
		}
	}
	if (st != LAB_OK)
		fprintf(stderr, "trustprobe lab %s: %s\n", sub, err);
	return exit_for(st);
}
