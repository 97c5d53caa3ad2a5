/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * serve_opts: see serve_opts.h. */
#include "serve_opts.h"
#include "manifest.h" /* manifest_reroot_name */
#include "query.h"    /* tp_target_parse */
#include <arpa/inet.h>
#include <ctype.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: trustprobe serve --zone ZONE --listen ADDR[@PORT] [--listen ...] --state DIR\n"
	"                        [--user NAME] [--sentinel-tags TAG,TAG] [--sig-window DUR]\n"
	"                        [--resign-every DUR] [--ratelimit QPS] [--workers N]\n"
	"                        [--backend ADDR@PORT] [--vectors DIR]\n"
	"       trustprobe serve ds --zone ZONE --state DIR [--listen ADDR] [--vectors DIR]\n"
	"       trustprobe serve rollover --state DIR [--finish]\n"
	"DUR: N seconds, or Ns, Nm, Nh, Nd. Defaults: --sig-window 14d, --resign-every a\n"
	"quarter of it, --ratelimit 200, --workers 2, --backend " SERVE_DEFAULT_BACKEND ",\n"
	"--sentinel-tags 20326,38696 (the real root's KSK-2017 and KSK-2024).\n";

const char *serve_usage(void)
{
	return usage;
}

static int bad(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int serve_parse_duration(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned long long mul = 1;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		mul = 60, end++;
	else if (*end == 'h')
		mul = 3600, end++;
	else if (*end == 'd')
		mul = 86400, end++;
	if (*end || v < 1 || v > max || v * mul > max)
		return -1;
	*out = (uint32_t)(v * mul);
	return 0;
}

/* A zone name as --zone takes it: letters, digits, '-' and '_' in labels of 1-63, not the
 * root; lower-cased, with a final dot added. */
static int parse_zone(const char *s, char *out, size_t outlen)
{
	size_t len = strlen(s), label = 0, k = 0;
	if (len == 0 || strcmp(s, ".") == 0 || len + 2 > outlen || len > 253)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (label == 0)
				return -1;
			label = 0;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				return -1;
		} else {
			return -1;
		}
		out[k++] = (char)tolower(c);
	}
	if (out[k - 1] != '.')
		out[k++] = '.';
	out[k] = '\0';
	return 0;
}

static int parse_tags(const char *s, uint16_t tags[2])
{
	char *end;
	unsigned long a = strtoul(s, &end, 10), b = 0;
	if (!isdigit((unsigned char)*s) || a > 65535)
		return -1;
	if (*end == ',') {
		const char *p = end + 1;
		if (!isdigit((unsigned char)*p))
			return -1;
		b = strtoul(p, &end, 10);
		if (b > 65535)
			return -1;
	}
	if (*end)
		return -1;
	tags[0] = (uint16_t)a;
	tags[1] = (uint16_t)b;
	return 0;
}

static int is_loopback(const struct tp_target *t)
{
	if (t->ss.ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)&t->ss)->sin_addr.s_addr) >> 24) == 127;
	return t->ss.ss_family == AF_INET6 &&
	       IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)&t->ss)->sin6_addr);
}

int serve_parse(int argc, char **argv, struct serve_opts *o, char *err, size_t errlen)
{
#define WITH_ARG(name, c) {name, required_argument, NULL, c}
	static const struct option lo[] = {
		WITH_ARG("zone", 'z'), WITH_ARG("listen", 'l'), WITH_ARG("state", 's'),
		WITH_ARG("user", 'u'), WITH_ARG("vectors", 'V'), WITH_ARG("backend", 'b'),
		WITH_ARG("sentinel-tags", 'T'), WITH_ARG("sig-window", 'w'),
		WITH_ARG("resign-every", 'r'), WITH_ARG("ratelimit", 'q'), WITH_ARG("workers", 'W'),
		{"finish", no_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
#undef WITH_ARG
	memset(o, 0, sizeof *o);
	o->tags[0] = 20326;
	o->tags[1] = 38696;
	o->window = SERVE_DEFAULT_WINDOW;
	o->ratelimit = SERVE_DEFAULT_RATELIMIT;
	o->backend = SERVE_DEFAULT_BACKEND;
	o->workers = SERVE_DEFAULT_WORKERS;
	int first = 1;
	if (argc >= 2 && argv[1][0] != '-') {
		if (strcmp(argv[1], "ds") == 0)
			o->cmd = SERVE_DS;
		else if (strcmp(argv[1], "rollover") == 0)
			o->cmd = SERVE_ROLLOVER;
		else
			return bad(err, errlen, "unknown subcommand '%s' (ds, rollover)", argv[1]);
		first = 2;
	}
	uint32_t resign = 0;
	unsigned long v;
	char *end;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc - first + 1, argv + first - 1, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'z':
			if (parse_zone(optarg, o->zone, sizeof o->zone) != 0)
				return bad(err, errlen, "--zone wants a domain name below the root "
					   "(letters, digits, '-', '_'), not '%s'", optarg);
			break;
		case 'l': {
			struct tp_target t;
			char why[256];
			if (tp_target_parse(optarg, &t, why, sizeof why) != 0)
				return bad(err, errlen, "--listen %s: %s", optarg, why);
			if (o->n_listen >= SERVE_MAX_LISTEN)
				return bad(err, errlen, "at most %d --listen addresses", SERVE_MAX_LISTEN);
			o->listen[o->n_listen++] = optarg;
			break;
		}
		case 's': o->state = optarg; break;
		case 'u':
			if (!*optarg)
				return bad(err, errlen, "--user wants a user name");
			o->user = optarg;
			break;
		case 'V': o->vectors = optarg; break;
		case 'b': o->backend = optarg; break;
		case 'T':
			if (parse_tags(optarg, o->tags) != 0)
				return bad(err, errlen, "--sentinel-tags wants TAG[,TAG] (0-65535), not "
					   "'%s'", optarg);
			break;
		case 'w':
			if (serve_parse_duration(optarg, 366u * 86400, &o->window) != 0 || o->window < 4)
				return bad(err, errlen, "--sig-window wants a duration of 4 s to 366 d "
					   "(N, Ns, Nm, Nh, Nd), not '%s'", optarg);
			break;
		case 'r':
			if (serve_parse_duration(optarg, 183u * 86400, &resign) != 0)
				return bad(err, errlen, "--resign-every wants a duration (N, Ns, Nm, Nh, "
					   "Nd), not '%s'", optarg);
			break;
		case 'q':
			v = strtoul(optarg, &end, 10);
			if (!isdigit((unsigned char)*optarg) || *end || v > 1000000)
				return bad(err, errlen, "--ratelimit wants 0-1000000 queries a second, "
					   "not '%s'", optarg);
			o->ratelimit = (unsigned)v;
			break;
		case 'W':
			v = strtoul(optarg, &end, 10);
			if (!isdigit((unsigned char)*optarg) || *end || v < 1 || v > SERVE_MAX_WORKERS)
				return bad(err, errlen, "--workers wants 1-%d, not '%s'",
					   SERVE_MAX_WORKERS, optarg);
			o->workers = (unsigned)v;
			break;
		case 'f': o->finish = 1; break;
		case 'h': o->cmd = SERVE_HELP; return 0;
		case ':':
			return bad(err, errlen, "option '%s' needs a value", argv[first - 1 + optind - 1]);
		default:
			return bad(err, errlen, "unknown option '%s'", argv[first - 1 + optind - 1]);
		}
	}
	if (first - 1 + optind < argc)
		return bad(err, errlen, "unexpected argument '%s'", argv[first - 1 + optind]);
	if (!o->state || !*o->state)
		return bad(err, errlen, "--state DIR is required (where the keys are kept)");
	if (o->cmd == SERVE_ROLLOVER) {
		if (o->zone[0] || o->n_listen)
			return bad(err, errlen, "rollover takes only --state and --finish");
		return 0;
	}
	if (o->finish)
		return bad(err, errlen, "--finish goes with rollover");
	if (!o->zone[0])
		return bad(err, errlen, "--zone ZONE is required (the name delegated to serve)");
	if (o->cmd == SERVE_RUN && o->n_listen == 0)
		return bad(err, errlen, "--listen ADDR[@PORT] is required (the addresses the "
			   "parent's NS and glue name)");
	int v4 = 0;
	for (size_t i = 0; i < o->n_listen; i++) {
		struct tp_target t;
		tp_target_parse(o->listen[i], &t, NULL, 0);
		v4 |= t.ss.ss_family == AF_INET;
	}
	if (o->n_listen && !v4)
		return bad(err, errlen, "one --listen address must be IPv4 (the glue of ns.%s)",
			   o->zone);
	struct tp_target b;
	char why[256];
	if (tp_target_parse(o->backend, &b, why, sizeof why) != 0 || !is_loopback(&b))
		return bad(err, errlen, "--backend %s: not a loopback ADDR[@PORT]", o->backend);
	o->resign = resign ? resign : o->window / 4;
	if (o->resign < 1)
		o->resign = 1;
	if (o->resign > o->window / 2)
		return bad(err, errlen, "--resign-every %u s is more than half of --sig-window %u s: "
			   "a failed re-sign would have no second try before the signatures expire",
			   o->resign, o->window);
	return 0;
}

time_t serve_next_resign(time_t signed_at, uint32_t resign, int failed, time_t now)
{
	if (!failed)
		return signed_at + (time_t)resign;
	time_t retry = (time_t)(resign / 10);
	return now + (retry < 1 ? 1 : retry);
}

char *serve_reroot_rules(const char *text, const char *from, const char *zone)
{
	size_t cap = strlen(text) * 2 + 1024, n = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	const char *p = text;
	while (*p) {
		size_t run = strcspn(p, " \t\r\n");
		char tok[600], moved[600];
		const char *put = p;
		size_t plen = run;
		if (run > 0 && run < sizeof tok) {
			memcpy(tok, p, run);
			tok[run] = '\0';
			int r = manifest_reroot_name(tok, from, zone, moved, sizeof moved);
			if (r < 0) {
				free(out);
				return NULL;
			}
			if (r > 0) {
				put = moved;
				plen = strlen(moved);
			}
		}
		size_t gap = strspn(p + run, " \t\r\n");
		if (n + plen + gap + 1 > cap) {
			cap = (n + plen + gap + 1) * 2;
			char *q = realloc(out, cap);
			if (!q) {
				free(out);
				return NULL;
			}
			out = q;
		}
		memcpy(out + n, put, plen);
		n += plen;
		memcpy(out + n, p + run, gap);
		n += gap;
		p += run + gap;
	}
	out[n] = '\0';
	return out;
}
