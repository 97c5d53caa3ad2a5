/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* labenv: the one reader of a lab's D/lab.env (written by 'lab up' with tp_shell_quote).
 * Pure parsing plus one bounded file read; the caller owns every buffer. */
#ifndef TP_LABENV_H
#define TP_LABENV_H
#include <stddef.h>

/* Unquotes one lab.env value (shell words: '...' with '\'' for a quote, and \x outside
 * quotes) from in (up to its newline or NUL) into out. Returns 0, or -1 if it does not fit
 * or a quote is never closed. */
int tp_labenv_unquote(const char *in, char *out, size_t outlen);

/* Calls fn(key, value, ctx) for each KEY=value line of DIR/lab.env (value unquoted;
 * comments and malformed lines skipped), until fn returns nonzero. Returns 0, or -1 when
 * the file cannot be read. */
int tp_labenv_each(const char *dir, int (*fn)(const char *key, const char *val, void *ctx),
		   void *ctx);

/* Reads variable key of DIR/lab.env into out. Returns 0; -1 when the file cannot be read
 * or holds no such variable, or the value is malformed. */
int tp_labenv_get(const char *dir, const char *key, char *out, size_t outlen);

#endif
