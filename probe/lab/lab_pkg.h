/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_pkg: which Debian package a file of the lab comes from, by dpkg's own answer
 * (dpkg-query -S on its real path, then dpkg-query -W for the package's version), and
 * whether the file is still the one the package installed (its MD5 sum against dpkg's
 * record: D/info/PKG.md5sums for a program, the Conffiles field for a configuration file).
 * Runs dpkg-query directly (no shell); never writes anything. */
#ifndef TP_LAB_PKG_H
#define TP_LAB_PKG_H
#include <stddef.h>

enum lab_pkg_state {
	LAB_PKG_NONE = 0,   /* dpkg owns no such file (or dpkg-query is missing): a copy,
			     * a build of one's own */
	LAB_PKG_SAME,       /* owned, and the file's MD5 sum is dpkg's */
	LAB_PKG_MODIFIED,   /* owned, but the file differs from what the package installed */
	LAB_PKG_UNCHECKED   /* owned; dpkg records no sum for it, or it could not be read */
};

struct lab_pkg {
	char path[4096];    /* the file's real path */
	char package[64];   /* the package dpkg names ("unbound"), "" for LAB_PKG_NONE */
	char version[64];   /* its full Debian version ("1.17.1-2+deb12u4"), or "" */
	enum lab_pkg_state state;
};

/* Fills p for file (any path; symlinks are resolved first). conffile: judge it as a
 * configuration file (the package's Conffiles sums) rather than a program. Returns
 * p->state. */
enum lab_pkg_state lab_pkg_of(const char *file, int conffile, struct lab_pkg *p);

/* One phrase for p, as the report shows it after a program's own version:
 * "Debian unbound 1.17.1-2+deb12u4", "/usr/sbin/unbound differs from the file of Debian
 * unbound 1.17.1-2+deb12u4", "/tmp/x/unbound, not from a package". */
void lab_pkg_phrase(const struct lab_pkg *p, char *out, size_t outlen);

#endif
