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

int tp_labenv_get(const char *dir, const char *key, char *out, size_t outlen)
{
	char path[4200];
	size_t len;
	if (tp_pathf(path, sizeof path, "%s/lab.env", dir) != 0)
		return -1;
	char *text = tp_read_file(path, 1 << 20, &len);
	if (!text)
		return -1;
	size_t kl = strlen(key);
	int r = -1;
	for (char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			r = tp_labenv_unquote(p + kl + 1, out, outlen);
			break;
		}
	}
	free(text);
	return r;
}
