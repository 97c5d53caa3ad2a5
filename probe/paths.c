/* paths: see paths.h.
 * Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
#include "paths.h"
#include "tp_config.h"
#include "tp_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TP_NCAND 4

/* Fills cand[] with the candidate directories in order; returns how many. */
static size_t candidates(char cand[TP_NCAND][4096], int *from_env)
{
	size_t n = 0;
	*from_env = 0;
	const char *e = getenv("TRUSTPROBE_VECTORS");
	if (e && *e) {
		snprintf(cand[n++], 4096, "%s", e);
		*from_env = 1;
		return n; /* an explicit choice is not second-guessed */
	}
	char exe[4096];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		/* /x/bin/trustprobe -> /x (a build tree: /x/probe/trustprobe) */
		for (int up = 0; up < 2; up++) {
			char *slash = strrchr(exe, '/');
			if (!slash)
				break;
			*slash = '\0';
		}
		const char *top = exe[0] ? exe : "";
		if (tp_pathf(cand[n], 4096, "%s/testvectors", top) == 0)
			n++;
		if (tp_pathf(cand[n], 4096, "%s/share/trustprobe/testvectors", top) == 0)
			n++;
	}
	if (tp_pathf(cand[n], 4096, "%s/testvectors", TP_DATADIR) == 0)
		n++;
	return n;
}

const char *tp_find_vectors(void)
{
	static char buf[4096];
	char cand[TP_NCAND][4096], p[4200];
	int env;
	size_t n = candidates(cand, &env);
	for (size_t i = 0; i < n; i++) {
		if (tp_pathf(p, sizeof p, "%s/manifest", cand[i]) == 0 && access(p, R_OK) == 0) {
			char *r = realpath(cand[i], NULL);
			snprintf(buf, sizeof buf, "%s", r ? r : cand[i]);
			free(r);
			return buf;
		}
	}
	return NULL;
}

void tp_vectors_not_found(char *err, size_t errlen)
{
	char cand[TP_NCAND][4096];
	int env;
	size_t n = candidates(cand, &env);
	int w = snprintf(err, errlen, "test vectors not found (no manifest in ");
	for (size_t i = 0; i < n && w >= 0 && (size_t)w < errlen; i++) {
		char *r = realpath(cand[i], NULL);
		w += snprintf(err + w, errlen - (size_t)w, "%s%s", i ? ", " : "", r ? r : cand[i]);
		free(r);
	}
	if (w >= 0 && (size_t)w < errlen)
		snprintf(err + w, errlen - (size_t)w, "%s", env
			 ? "; TRUSTPROBE_VECTORS names that directory)"
			 : "); set TRUSTPROBE_VECTORS or use --vectors DIR");
}
