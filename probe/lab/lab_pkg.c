/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_pkg: see lab_pkg.h. */
#include "lab_pkg.h"
#include "tp_util.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs dpkg-query with args (NULL-terminated, after the program name) and reads its
 * standard output into out (NUL-terminated, cut to outlen). 0 when it exited 0. */
static int dpkg_query(char *out, size_t outlen, const char *a1, const char *a2, const char *a3)
{
	int pfd[2];
	out[0] = '\0';
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);
		dup2(pfd[1], 1);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 2);
		}
		execlp("dpkg-query", "dpkg-query", a1, a2, a3, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	size_t got = 0;
	for (;;) {
		char buf[4096];
		ssize_t r = read(pfd[0], buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		size_t k = (size_t)r < outlen - 1 - got ? (size_t)r : outlen - 1 - got;
		memcpy(out + got, buf, k);
		got += k;
	}
	out[got] = '\0';
	close(pfd[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Whether dpkg's file list of pkg (D/info/PKG.list, or PKG:ARCH.list for a
 * Multi-Arch: same package) has a line that is exactly path. */
static int listed_in(const char *pkg, const char *path)
{
	static const char *const suffix[] = {"", ":amd64", ":arm64", ":i386", ":armhf"};
	char list[512], line[4600];
	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		snprintf(list, sizeof list, "/var/lib/dpkg/info/%s%s.list", pkg, suffix[i]);
		FILE *f = fopen(list, "re");
		if (!f)
			continue;
		int found = 0;
		while (!found && fgets(line, sizeof line, f)) {
			line[strcspn(line, "\n")] = '\0';
			found = strcmp(line, path) == 0;
		}
		fclose(f);
		if (found)
			return 1;
	}
	return 0;
}

/* The package that ships the program named like path's last component in Debian 12,
 * for the lab's programs; NULL for any other. */
static const char *usual_package(const char *path)
{
	static const char *const map[][2] = {
		{"unbound", "unbound"},	    {"named", "bind9"},
		{"pdns_recursor", "pdns-recursor"}, {"kresd", "knot-resolver"},
		{"dnsmasq", "dnsmasq-base"}, {"nsd", "nsd"},
	};
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(base, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/* The package of "pkg[:arch][, pkg2]: path" lines whose path is exactly path. A lab
 * program is first looked up in its usual package's file list (a file read; dpkg-query
 * -S reads every package's list, a quarter of a second on a machine with many
 * packages, and the probe asks it once per lab resolver on every run). */
static int owner_of(const char *path, char *pkg, size_t pkglen)
{
	const char *usual = usual_package(path);
	if (usual && listed_in(usual, path)) {
		snprintf(pkg, pkglen, "%s", usual);
		return 1;
	}
	char out[8192];
	if (dpkg_query(out, sizeof out, "-S", path, NULL) != 0)
		return 0;
	for (char *l = out, *nl; l && *l; l = nl) {
		nl = strchr(l, '\n');
		if (nl)
			*nl++ = '\0';
		char *sep = strstr(l, ": ");
		if (!sep || strncmp(l, "diversion ", 10) == 0 || strcmp(sep + 2, path) != 0)
			continue;
		*sep = '\0';
		l[strcspn(l, ", ")] = '\0'; /* the first package of several */
		snprintf(pkg, pkglen, "%.63s", l);
		return pkg[0] != '\0';
	}
	return 0;
}

/* The MD5 sum of file as 32 hex digits; 0, or -1 if it cannot be read. */
static int md5_file(const char *file, char hex[33])
{
	size_t len;
	char *data = tp_read_file(file, 512u << 20, &len);
	if (!data)
		return -1;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	int ok = EVP_Digest(data, len, md, &mdlen, EVP_md5(), NULL) == 1 && mdlen == 16;
	free(data);
	for (unsigned i = 0; ok && i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return ok ? 0 : -1;
}

/* dpkg's recorded sum for path (as dpkg lists it) in package pkg of architecture arch,
 * or "". */
static void recorded_sum(const char *pkg, const char *arch, const char *path, int conffile,
			 char sum[33])
{
	sum[0] = '\0';
	if (conffile) {
		char out[16384];
		if (dpkg_query(out, sizeof out, "-W", "-f=${Conffiles}", pkg) != 0)
			return;
		size_t pl = strlen(path);
		for (char *l = out; (l = strstr(l, path)); l += pl)
			if ((l == out || l[-1] == ' ') && l[pl] == ' ' &&
			    sscanf(l + pl + 1, "%32[0-9a-f]", sum) == 1)
				return;
		sum[0] = '\0';
		return;
	}
	/* D/info/PKG.md5sums, or PKG:ARCH.md5sums for a Multi-Arch: same package */
	char list[512], line[4600];
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 0)
			snprintf(list, sizeof list, "/var/lib/dpkg/info/%s.md5sums", pkg);
		else
			snprintf(list, sizeof list, "/var/lib/dpkg/info/%s:%s.md5sums", pkg, arch);
		FILE *f = fopen(list, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof line, f)) {
			char s[33], p[4400];
			if (sscanf(line, "%32s %4399s", s, p) == 2 && strcmp(p, path + 1) == 0) {
				snprintf(sum, 33, "%s", s);
				break;
			}
		}
		fclose(f);
		if (sum[0])
			return;
	}
}

enum lab_pkg_state lab_pkg_of(const char *file, int conffile, struct lab_pkg *p)
{
	memset(p, 0, sizeof *p);
	char real[PATH_MAX];
	snprintf(p->path, sizeof p->path, "%s", realpath(file, real) ? real : file);
	/* dpkg lists the path as the package has it: with merged /usr, /usr/sbin/x may be
	 * recorded as /sbin/x */
	char alt[4096] = "";
	if (strncmp(p->path, "/usr/", 5) == 0)
		snprintf(alt, sizeof alt, "%s", p->path + 4);
	const char *listed = p->path;
	if (!owner_of(p->path, p->package, sizeof p->package)) {
		if (!alt[0] || !owner_of(alt, p->package, sizeof p->package))
			return p->state = LAB_PKG_NONE;
		listed = alt;
	}
	/* version and architecture in one dpkg-query (each run is some 20 ms) */
	char va[160], arch[64] = "";
	if (dpkg_query(va, sizeof va, "-W", "-f=${Version} ${Architecture}", p->package) == 0)
		sscanf(va, "%63s %63s", p->version, arch);
	char want[33], have[33];
	recorded_sum(p->package, arch, listed, conffile, want);
	if (!want[0] || md5_file(p->path, have) != 0)
		return p->state = LAB_PKG_UNCHECKED;
	return p->state = strcmp(want, have) == 0 ? LAB_PKG_SAME : LAB_PKG_MODIFIED;
}

void lab_pkg_phrase(const struct lab_pkg *p, char *out, size_t outlen)
{
	switch (p->state) {
	case LAB_PKG_NONE:
		snprintf(out, outlen, "%s, not from a package", p->path);
		break;
	case LAB_PKG_MODIFIED:
		snprintf(out, outlen, "%s differs from the file of Debian %s %s", p->path,
			 p->package, p->version);
		break;
	default:
		snprintf(out, outlen, "Debian %s %s", p->package, p->version);
		break;
	}
}
