/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * serve_opts: the pure parts of 'trustprobe serve' (serve.h): its command line, durations,
 * the re-sign schedule and the attack rules moved under the served zone. No I/O, no
 * exit(): the unit tests (tests/unit/test_serve.c) drive them. */
#ifndef TP_SERVE_OPTS_H
#define TP_SERVE_OPTS_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SERVE_MAX_LISTEN 8
#define SERVE_MAX_WORKERS 8                  /* proxies per --listen address */
#define SERVE_DEFAULT_WORKERS 2
#define SERVE_DEFAULT_WINDOW (14 * 86400u)  /* valid signatures last 14 days */
#define SERVE_DEFAULT_BACKEND "127.0.0.1@10053"
#define SERVE_DEFAULT_RATELIMIT 200u         /* queries a second per source, nsd's default */

enum serve_cmd {
	SERVE_RUN = 0,   /* trustprobe serve --zone Z --listen A... --state DIR */
	SERVE_DS,        /* trustprobe serve ds --zone Z --state DIR: keys made, DS printed */
	SERVE_ROLLOVER,  /* trustprobe serve rollover --state DIR [--finish] */
	SERVE_HELP
};

struct serve_opts {
	enum serve_cmd cmd;
	char zone[256];           /* absolute, lower case, with final dot */
	size_t n_listen;
	const char *listen[SERVE_MAX_LISTEN]; /* ADDR[@PORT], as given */
	const char *state;        /* the state directory */
	const char *user;         /* --user, or NULL */
	const char *vectors;      /* --vectors, or NULL (found as the probe finds them) */
	const char *backend;      /* --backend ADDR@PORT: where nsd listens (loopback) */
	uint16_t tags[2];         /* --sentinel-tags: default 20326,38696 */
	uint32_t window;          /* --sig-window: seconds valid signatures last */
	uint32_t resign;          /* --resign-every: seconds between re-signs */
	unsigned ratelimit;       /* --ratelimit: queries a second per source, 0 none */
	unsigned workers;         /* --workers: proxies per --listen address (SO_REUSEPORT) */
	int finish;               /* rollover --finish */
};

/* Parses a duration: N, Ns, Nm, Nh or Nd (N decimal, at least 1) into seconds, at most
 * max. 0, or -1. */
int serve_parse_duration(const char *s, uint32_t max, uint32_t *out);

/* Parses argv (argv[0] is "serve") into o. Returns 0, or -1 with one line in err (the
 * caller prints it and exits 2). Defaults: window 14 days, resign a quarter of it,
 * backend 127.0.0.1@10053, rate limit 200, tags 20326 and 38696. Checks: run needs
 * --zone, --state and at least one --listen (IPv4 or IPv6, ADDR[@PORT]), and an IPv4
 * one (the glue); ds needs --zone and --state; rollover --state; --resign-every at most
 * half of --sig-window, so that a failed re-sign has another try before anything
 * expires; the backend on loopback. */
int serve_parse(int argc, char **argv, struct serve_opts *o, char *err, size_t errlen);

/* When the next re-sign is due: resign seconds after one that succeeded at signed_at;
 * after a failed one (failed != 0), a tenth of resign (at least 1 s) after now. Since
 * serve_parse keeps resign at most half the validity, a failed re-sign is tried again
 * several times before the signatures it would have replaced expire. */
time_t serve_next_resign(time_t signed_at, uint32_t resign, int failed, time_t now);

/* The attack rules text moved from the lab zone (from, "test.") to zone: every name
 * token (a run of characters without blanks) that is from or ends in ".from" is
 * rewritten. Returns a malloc'd string, or NULL (out of memory, or a name too long). */
char *serve_reroot_rules(const char *text, const char *from, const char *zone);

/* The usage text. */
const char *serve_usage(void);

#endif
