/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* labenv: see labenv.h. */
#include "labenv.h"
#include "tp_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tp_labenv_unquote(const char *in, char *out, size_t outlen)
{
	size_t n = 0;
	int inq = 0;
	for (; *in && *in != '\n'; in++) {
		char c = *in;
		if (c == '\'') {
			inq = !inq;
			continue;
		}
		if (!inq && c == '\\' && in[1] && in[1] != '\n')
			c = *++in;
		if (n + 1 >= outlen)
			return -1;
		out[n++] = c;
	}
	if (outlen)
		out[n < outlen ? n : outlen - 1] = '\0';
	return inq ? -1 : 0;
}

int tp_labenv_each(const char *dir, int (*fn)(const char *key, const char *val, void *ctx),
		   void *ctx)
{
	char path[4200], key[128], val[8192];
	size_t len;
	if (tp_pathf(path, sizeof path, "%s/lab.env", dir) != 0)
		return -1;
	char *text = tp_read_file(path, 1 << 20, &len);
	if (!text)
		return -1;
	for (char *p = text; p && *p;) {
		char *nl = strchr(p, '\n'), *eq = strchr(p, '=');
		size_t kl = eq ? (size_t)(eq - p) : 0;
		if (*p != '#' && eq && (!nl || eq < nl) && kl > 0 && kl < sizeof key &&
		    strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") == kl) {
			memcpy(key, p, kl);
			key[kl] = '\0';
			if (tp_labenv_unquote(eq + 1, val, sizeof val) == 0 && fn(key, val, ctx))
				break;
		}
		p = nl ? nl + 1 : NULL;
	}
	free(text);
	return 0;
}

struct get_ctx {
	const char *key;
	char *out;
	size_t outlen;
	int found;
};

static int get_one(const char *key, const char *val, void *ctx)
{
	struct get_ctx *g = ctx;
	if (strcmp(key, g->key) != 0)
		return 0;
	g->found = snprintf(g->out, g->outlen, "%s", val) < (int)g->outlen;
	return 1;
}

int tp_labenv_get(const char *dir, const char *key, char *out, size_t outlen)
{
	struct get_ctx g = {.key = key, .out = out, .outlen = outlen};
	if (tp_labenv_each(dir, get_one, &g) != 0)
		return -1;
	return g.found ? 0 : -1;
}
