/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* render: writes a finished report (verdict.c already ran) as text, JSON or the lab's
 * matrix (the Monitoring Plugins line: plugin.h; Prometheus: prom.h). Renderers decide nothing; they only print
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

/* The fleet's JSON document (--targets), written as the resolvers finish, so that it never
 * holds more than one resolver's report: the opening (schema_version, tool, time, zone,
 * targets: the file, and "resolvers":[), one compact line per resolver in the order they
 * finished (its object as in tp_render_json, with "line": its line in the file; without
 * observations and detail unless full), and the close (summary {resolvers, ready,
 * not_ready, unknown, not_probed}; counts[] is ready, not-ready, unknown, of those unknown
 * not probed; duration_s). Callers serialise the calls. Each 0, or -1. */
int tp_render_json_fleet_open(FILE *f, long long started, const char *zone, const char *file);
int tp_render_json_fleet_item(FILE *f, const struct tp_resolver_report *r, size_t line,
			      int first, int full);
int tp_render_json_fleet_close(FILE *f, const size_t counts[4], double duration_s);

/* A setup error as a JSON document on f: {schema_version, tool, time, error, exit}; for
 * --format json, beside the line on stderr. 0, or -1. */
int tp_render_json_error(FILE *f, const char *msg, int status);

/* The case catalogue as JSON ({schema_version, tool, cases: [...]}, the cases with
 * sel[i] set, every case when sel is NULL): --list --format json. 0, or -1. */
int tp_render_catalog_json(FILE *f, const struct tp_catalog *cat, const int *sel);

/* The lab matrix: a header row, then one row per resolver (its name, or its label outside
 * the lab) with the six group statuses and the verdict, in aligned columns, then one row
 * "NAME  skipped (reason)" per instance the lab did not start. 0, or -1. */
int tp_render_matrix(FILE *f, const struct tp_report *rep, int color);

/* Puts the head every JSON document of trustprobe's starts with into top (a jansson
 * object): schema_version, tool, and time when t > 0. Nonzero when it could not. */
struct json_t;
int tp_render_json_head(struct json_t *top, long long t);

#endif
