/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_which: see lab_which.h. */
#include "lab_which.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *lab_sbin_dirs(void)
{
	const char *e = getenv("TRUSTPROBE_LAB_SBIN");
	return e ? e : "/usr/local/sbin:/usr/sbin:/sbin";
}

int lab_daemon_path(char *out, size_t outlen)
{
	const char *path = getenv("PATH");
	const char *sbin = lab_sbin_dirs();
	int k = snprintf(out, outlen, "%s%s%s", path && *path ? path : "/usr/bin:/bin",
			 *sbin ? ":" : "", sbin);
	return k < 0 || (size_t)k >= outlen ? -1 : 0;
}

int lab_find_program(const char *prog, char *out, size_t outlen)
{
	char path[8192];
	if (!prog || !*prog || strchr(prog, '/') || lab_daemon_path(path, sizeof path) != 0)
		return 0;
	char *save = NULL;
	for (char *d = strtok_r(path, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		struct stat sb;
		int k = snprintf(out, outlen, "%s/%s", d, prog);
		if (k < 0 || (size_t)k >= outlen)
			continue;
		if (stat(out, &sb) == 0 && S_ISREG(sb.st_mode) && access(out, X_OK) == 0)
			return 1;
	}
	if (outlen)
		out[0] = '\0';
	return 0;
}

const char *lab_kind_package(enum lab_kind k)
{
	switch (k) {
	case LAB_UNBOUND: return "unbound";
	case LAB_BIND: return "bind9";
	case LAB_PDNS_RECURSOR: return "pdns-recursor";
	case LAB_KNOT_RESOLVER: return "knot-resolver";
	case LAB_DNSMASQ: return "dnsmasq-base";
	case LAB_PROXY_RESOLVER: return "trustprobe";
	}
	return "?";
}

int lab_self_program(char *out, size_t outlen)
{
	if (outlen < 2)
		return 0;
	ssize_t k = readlink("/proc/self/exe", out, outlen - 1);
	if (k <= 0 || (size_t)k >= outlen - 1) {
		out[0] = '\0';
		return 0;
	}
	out[k] = '\0';
	return 1;
}

int lab_kind_find(enum lab_kind k, char *out, size_t outlen)
{
	if (k == LAB_PROXY_RESOLVER)
		return lab_self_program(out, outlen);
	return lab_find_program(lab_kind_program(k), out, outlen);
}

int lab_instance_program(const struct lab_instance *li, char *out, size_t outlen)
{
	const char *p = lab_instance_run(li)->program;
	struct stat sb;
	if (!p)
		return lab_kind_find(li->kind, out, outlen);
	if (snprintf(out, outlen, "%s", p) >= (int)outlen || stat(p, &sb) != 0 ||
	    !S_ISREG(sb.st_mode) || access(p, X_OK) != 0) {
		if (outlen)
			out[0] = '\0';
		return 0;
	}
	return 1;
}
