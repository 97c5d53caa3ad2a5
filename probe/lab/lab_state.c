/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_state: see lab_state.h. */
#include "lab_state.h"
#include "tp_util.h"
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int lab_state_write(const char *dir, const struct lab_state *st)
{
	char path[4096], tmp[4200];
	if (tp_pathf(path, sizeof path, "%s/lab.state", dir) != 0 ||
	    tp_pathf(tmp, sizeof tmp, "%s.tmp", path) != 0)
		return -1;
	FILE *f = fopen(tmp, "we");
	if (!f)
		return -1;
	fprintf(f, "holder %ld\nnetns %lu\nuserns %lu\n", (long)st->holder, st->netns, st->userns);
	for (size_t i = 0; i < st->n; i++)
		fprintf(f, "daemon %s %ld %s %s\n", st->d[i].name, (long)st->d[i].pid,
			st->d[i].addr, st->d[i].log);
	for (size_t i = 0; i < st->n_skipped; i++)
		fprintf(f, "skipped %s %s %s\n", st->s[i].name, st->s[i].addr, st->s[i].why);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, path);
}

int lab_state_read(const char *dir, struct lab_state *st)
{
	char path[4096], line[4400];
	if (tp_pathf(path, sizeof path, "%s/lab.state", dir) != 0)
		return -1;
	FILE *f = tp_fopen_read(path, 1 << 20);
	if (!f)
		return -1;
	memset(st, 0, sizeof *st);
	int ok = 1;
	while (ok && fgets(line, sizeof line, f)) {
		long v;
		unsigned long u;
		if (sscanf(line, "holder %ld", &v) == 1)
			st->holder = (pid_t)v;
		else if (sscanf(line, "netns %lu", &u) == 1)
			st->netns = u;
		else if (sscanf(line, "userns %lu", &u) == 1)
			st->userns = u;
		else if (strncmp(line, "daemon ", 7) == 0 && st->n < LAB_STATE_MAX_DAEMONS) {
			struct lab_state_daemon *d = &st->d[st->n];
			if (sscanf(line, "daemon %63s %ld %63s %4095s", d->name, &v, d->addr, d->log) != 4)
				ok = 0;
			d->pid = (pid_t)v;
			st->n++;
		} else if (strncmp(line, "skipped ", 8) == 0 && st->n_skipped < LAB_STATE_MAX_DAEMONS) {
			struct lab_state_skip *k = &st->s[st->n_skipped++];
			int off = 0;
			if (sscanf(line, "skipped %63s %63s %n", k->name, k->addr, &off) != 2 || !off)
				ok = 0;
			else
				snprintf(k->why, sizeof k->why, "%.*s", (int)strcspn(line + off, "\r\n"),
					 line + off);
		} else
			ok = 0;
	}
	fclose(f);
	if (!ok || st->holder <= 0 || st->netns == 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int lab_path_trusted(const char *path, char *why, size_t whylen)
{
	struct stat sb;
	if (lstat(path, &sb) != 0) {
		snprintf(why, whylen, "cannot stat %s: %s", path, strerror(errno));
		return 0;
	}
	if (S_ISLNK(sb.st_mode) || sb.st_uid != geteuid() || (sb.st_mode & 022)) {
		snprintf(why, whylen, "%s is not a private file of this user (owner %u, mode %o)",
			 path, (unsigned)sb.st_uid, (unsigned)(sb.st_mode & 07777));
		return 0;
	}
	return 1;
}

int lab_state_trusted(const char *dir, const struct lab_state *st, char *why, size_t whylen)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/lab.state", dir);
	if (!lab_path_trusted(dir, why, whylen) || !lab_path_trusted(path, why, whylen))
		return 0;
	if (st->netns == lab_ns_inode(getpid(), "net") || st->netns == lab_ns_inode(1, "net")) {
		snprintf(why, whylen, "%s names this process's or init's network namespace, not a lab's",
			 path);
		return 0;
	}
	if (st->userns == 0 || st->userns == lab_ns_inode(getpid(), "user")) {
		snprintf(why, whylen, "%s names no user namespace of a lab", path);
		return 0;
	}
	if (lab_pid_in_ns(st->holder, st->netns) &&
	    lab_ns_inode(st->holder, "user") != st->userns) {
		snprintf(why, whylen, "the holder PID in %s is not in the lab's user namespace", path);
		return 0;
	}
	return 1;
}

unsigned long lab_ns_inode(pid_t pid, const char *kind)
{
	char path[64];
	struct stat sb;
	snprintf(path, sizeof path, "/proc/%ld/ns/%s", (long)pid, kind);
	if (stat(path, &sb) != 0)
		return 0;
	return (unsigned long)sb.st_ino;
}

/* 1 if /proc/PID/stat says the process is a zombie or dead. */
static int is_zombie(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	return !p || p[1] == '\0' || p[2] == 'Z' || p[2] == 'X';
}

int lab_pid_in_ns(pid_t pid, unsigned long netns)
{
	if (pid <= 0 || lab_ns_inode(pid, "net") != netns)
		return 0;
	return !is_zombie(pid);
}

size_t lab_signal_ns(unsigned long netns, int sig, pid_t except)
{
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	size_t n = 0;
	uid_t me = getuid();
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end != '\0' || pid <= 0 || (pid_t)pid == except || (pid_t)pid == getpid())
			continue;
		char path[64];
		struct stat sb;
		snprintf(path, sizeof path, "/proc/%ld", pid);
		if (stat(path, &sb) != 0 || (me != 0 && sb.st_uid != me))
			continue;
		if (!lab_pid_in_ns((pid_t)pid, netns))
			continue;
		if (kill((pid_t)pid, sig) == 0)
			n++;
	}
	closedir(d);
	return n;
}
