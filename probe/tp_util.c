/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* tp_util: see tp_util.h. */
#include "tp_util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int tp_mkdir_p(const char *dir)
{
	char buf[4096];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, dir, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

int tp_write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		off += (size_t)w;
	}
	return close(fd);
}

/* Opens path for reading without blocking and checks that it is a regular file of at most
 * max bytes (its size in *size). Returns the descriptor, or -1 with errno (TP_ENOTREG, EFBIG,
 * or open's). */
static int open_regular(const char *path, size_t max, size_t *size)
{
	/* O_NONBLOCK: opening a FIFO waits for no writer; O_NOCTTY: a terminal does not
	 * become ours. What is not a regular file is refused before the first read, so a
	 * FIFO, a device or a directory never blocks or streams past the deadline. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -1;
	struct stat st;
	int e = 0;
	if (fstat(fd, &st) != 0)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = TP_ENOTREG;
	else if (st.st_size < 0 || (unsigned long long)st.st_size > max)
		e = EFBIG;
	if (e) {
		close(fd);
		errno = e;
		return -1;
	}
	*size = (size_t)st.st_size;
	return fd;
}

FILE *tp_fopen_read(const char *path, size_t max)
{
	size_t size;
	int fd = open_regular(path, max, &size);
	if (fd < 0)
		return NULL;
	/* a regular file never blocks; the flag only mattered for the open */
	int fl = fcntl(fd, F_GETFL);
	FILE *f = fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0 ? NULL : fdopen(fd, "r");
	if (!f) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

char *tp_read_file(const char *path, size_t max, size_t *len)
{
	size_t size;
	int fd = open_regular(path, max, &size);
	if (fd < 0)
		return NULL;
	int e;
	/* the size fstat gave, plus one octet to see that the file grew past max meanwhile */
	size_t cap = size < max ? size + 1 : max + 1, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			if (n > max) {
				free(buf);
				close(fd);
				errno = EFBIG;
				return NULL;
			}
			/* it grew while read: take more, up to max + 1 */
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				close(fd);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

const char *tp_read_strerror(int e)
{
	if (e == TP_ENOTREG)
		return "not a regular file";
	if (e == EFBIG)
		return "too large";
	return strerror(e);
}

const char *tp_next_line(const char *text, size_t len, size_t *off, size_t *n)
{
	if (*off >= len)
		return NULL;
	const char *start = text + *off;
	const char *nl = memchr(start, '\n', len - *off);
	*n = nl ? (size_t)(nl - start) + 1 : len - *off;
	*off += *n;
	return start;
}

double tp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int tp_pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

void tp_shell_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

int tp_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}
