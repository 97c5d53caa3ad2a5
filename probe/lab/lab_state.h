/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_state: reads and writes D/lab.state and finds the processes of a lab namespace.
 * Shared by lab_run.c (up, down, status, exec). */
#ifndef TP_LAB_STATE_H
#define TP_LAB_STATE_H
#include <stddef.h>
#include <sys/types.h>

#define LAB_STATE_MAX_DAEMONS 96 /* LAB_MAX_CMDS of lab_run.c, and room */

struct lab_state_daemon {
	char name[64];
	pid_t pid;
	char addr[64];
	char log[4096];
};

/* A resolver instance the lab did not start (lab_up: its program is missing). */
struct lab_state_skip {
	char name[64];
	char addr[64];
	char why[256]; /* one line */
};

struct lab_state {
	pid_t holder;
	unsigned long netns; /* inode of the lab's network namespace */
	unsigned long userns;
	size_t n;
	struct lab_state_daemon d[LAB_STATE_MAX_DAEMONS];
	size_t n_skipped;
	struct lab_state_skip s[LAB_STATE_MAX_DAEMONS];
};

/* Writes st to D/lab.state atomically. 0 or -1 (errno). */
int lab_state_write(const char *dir, const struct lab_state *st);
/* Reads D/lab.state. 0, or -1 with errno (ENOENT: no lab; EINVAL: malformed). */
int lab_state_read(const char *dir, struct lab_state *st);
/* 1 if path is ours (owner is the effective uid), not a symlink, and not writable by group
 * or others; 0 otherwise (why says what is wrong). */
int lab_path_trusted(const char *path, char *why, size_t whylen);
/* Checks that st (read from dir) may be acted on with signals: dir and its lab.state are
 * trusted (lab_path_trusted), the namespace is neither ours nor init's, the lab has a user
 * namespace of its own, and a live holder sits in both of the recorded namespaces.
 * Returns 1 if so; 0 with a one-line reason. */
int lab_state_trusted(const char *dir, const struct lab_state *st, char *why, size_t whylen);
/* Inode of /proc/PID/ns/KIND ("net" or "user"), 0 if the process is gone or unreadable. */
unsigned long lab_ns_inode(pid_t pid, const char *kind);
/* 1 if pid is alive (not a zombie) and its network namespace is netns. */
int lab_pid_in_ns(pid_t pid, unsigned long netns);
/* Sends sig to every live process of this user in network namespace netns except
 * 'except'; returns how many were signalled. */
size_t lab_signal_ns(unsigned long netns, int sig, pid_t except);

#endif
