/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_userns: why the lab's user namespace could not be made, in one line that names the
 * setting at fault (read from /proc/sys where it exists) and what to change. The decision
 * (lab_userns_explain) is pure; lab_userns_read gathers its inputs. */
#ifndef TP_LAB_USERNS_H
#define TP_LAB_USERNS_H
#include <stddef.h>

/* The step of making the namespace that failed. */
enum lab_userns_step {
	LAB_USERNS_UNSHARE = 0, /* unshare(CLONE_NEWUSER | CLONE_NEWNET) */
	LAB_USERNS_MAP          /* writing /proc/self/uid_map or gid_map (or setgroups) */
};

/* What is known when the step failed. A sysctl that could not be read is -1. */
struct lab_userns_facts {
	enum lab_userns_step step;
	int err;                 /* errno of the failed step */
	int is_root;             /* effective uid 0 (unprivileged_userns_clone does not apply) */
	long max_user_ns;        /* user.max_user_namespaces */
	long unpriv_clone;       /* kernel.unprivileged_userns_clone (Debian, older kernels) */
	long apparmor_restrict;  /* kernel.apparmor_restrict_unprivileged_userns (Ubuntu 23.10+) */
};

/* Reads the three sysctls from /proc/sys into f (-1 where absent or unreadable); leaves
 * step, err and is_root to the caller. */
void lab_userns_read(struct lab_userns_facts *f);

/* Writes one line into out: that user namespaces are unavailable, the setting that is the
 * cause where the facts show one, and what to change ("sysctl -w ..."); returns 1. For an
 * errno that says nothing about namespaces being off, the plain "cannot ...: strerror"
 * line; returns 0. */
int lab_userns_explain(const struct lab_userns_facts *f, char *out, size_t outlen);

#endif
