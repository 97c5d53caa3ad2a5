/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* render: writes a finished report (verdict.c already ran) as text, JSON, a Monitoring
 * Plugins status line, or the lab's matrix. Renderers decide nothing; they only print
 * what the report holds. The caller owns f and the report; nothing is kept. Each function
 * flushes f and returns -1 if a write failed (ferror), so that main.c can report it. */
#ifndef TP_RENDER_H
#define TP_RENDER_H
#include <stdio.h>
#include "catalog.h"
#include "report.h"

/* The version of the JSON schema (trustprobe(1), JSON SCHEMA): an integer that grows when
 * a key changes meaning or goes away; additions keep it. */
#define TP_JSON_SCHEMA 2

/* The text report's screen: a report that is not ready fits these rows at this width
 * without -v. */
#define TP_TEXT_WIDTH 80
#define TP_TEXT_ROWS 24

/* Human text: per resolver a header "RESOLVER: VERDICT (dane_ready yes|no)", the note of an
 * unknown verdict, one line per group and, under it, the cases that did not pass (verbose:
 * every case and its detail line), then "N passed, N warned, N failed, N skipped".
 * color != 0 adds ANSI colours (the caller decides, e.g. from isatty). 0, or -1. */
int tp_render_text(FILE *f, const struct tp_report *rep, int verbose, int color);

/* The JSON contract of DESIGN.md, pretty-printed with a trailing newline; a lab run
 * (rep->lab_run) also carries "skipped": [{name, program, package, reason}]. 0, or -1
 * (write error or out of memory). */
int tp_render_json(FILE *f, const struct tp_report *rep);

/* A setup error as a JSON document on f: {schema_version, tool, time, error, exit}; for
 * --format json, beside the line on stderr. 0, or -1. */
int tp_render_json_error(FILE *f, const char *msg, int status);

/* The case catalogue as JSON ({schema_version, tool, cases: [...]}, the cases with
 * sel[i] set, every case when sel is NULL): --list --format json. 0, or -1. */
int tp_render_catalog_json(FILE *f, const struct tp_catalog *cat, const int *sel);

/* One Monitoring Plugins line: "TRUSTPROBE OK|WARNING|CRITICAL|UNKNOWN - summary | perfdata".
 * Returns the plugin status (tp_nagios_status: 0..3), or -1 on a write error. */
int tp_render_nagios(FILE *f, const struct tp_report *rep);

/* The lab matrix: a header row, then one row per resolver (its name, or its label outside
 * the lab) with the six group statuses and the verdict, in aligned columns, then one row
 * "NAME  skipped (reason)" per instance the lab did not start. 0, or -1. */
int tp_render_matrix(FILE *f, const struct tp_report *rep, int color);

/* Puts the head every JSON document of trustprobe's starts with into top (a jansson
 * object): schema_version, tool, and time when t > 0. Nonzero when it could not. */
struct json_t;
int tp_render_json_head(struct json_t *top, long long t);

#endif
