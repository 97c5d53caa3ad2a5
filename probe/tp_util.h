/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* tp_util: small file and time helpers shared by the probe and the lab. No I/O policy:
 * each returns 0 on success and -1 with errno set, and the caller words the message. */
#ifndef TP_UTIL_H
#define TP_UTIL_H
#include <stddef.h>
#include <errno.h>
#include <stdio.h>

/* Creates dir and its parents (mode 0755); 0 if it exists already. */
int tp_mkdir_p(const char *dir);
/* Writes len bytes of data to path (truncating), mode 0644. */
int tp_write_file(const char *path, const char *data, size_t len);
/* Reads a whole small file (at most max bytes) into a malloc'd NUL-terminated buffer: the
 * one reader of every file the probe and the lab take in (resolv.conf, anchors, the
 * catalogue, templates, attack rules, the manifest, lab.env, JSON baselines). It never
 * blocks: a path that is not a regular file (a FIFO, a device, a directory, a socket) is
 * refused before any read with errno TP_ENOTREG, one larger than max with EFBIG. Say why
 * with tp_read_strerror(errno). */
char *tp_read_file(const char *path, size_t max, size_t *len);
/* Opens path for reading as a stream, with the checks of tp_read_file (a regular file of
 * at most max bytes when opened), for readers that parse a stream (ldns' zone reader).
 * NULL with errno as tp_read_file's. */
FILE *tp_fopen_read(const char *path, size_t max);
/* errno of tp_read_file for a path that is not a regular file (no system call gives it
 * for a read: "Wrong medium type" would mislead, hence tp_read_strerror). */
#define TP_ENOTREG EMEDIUMTYPE
/* The reason for errno e of tp_read_file: "not a regular file", "too large", or
 * strerror(e). Static storage. */
const char *tp_read_strerror(int e);
/* The next line of text[0..len) from *off on: returns where it starts and sets *n to its
 * length, its '\n' included (the last line may have none), and moves *off past it; NULL at
 * the end. For parsers of a file read whole with tp_read_file. */
const char *tp_next_line(const char *text, size_t len, size_t *off, size_t *n);
/* Monotonic clock in seconds. */
double tp_now(void);
/* Formats into buf like snprintf; returns 0, or -1 (errno ENAMETOOLONG) if truncated. */
int tp_pathf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Formats a one-line message into err (errlen bytes) like snprintf; returns -1, so that
 * a caller can 'return tp_errf(err, errlen, ...)'. */
int tp_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Writes s to f as a single-quoted shell word. */
void tp_shell_quote(FILE *f, const char *s);

#endif
