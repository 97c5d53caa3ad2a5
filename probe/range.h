/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* range: the Monitoring Plugins threshold range, "[@][START:][END]" (the plugin guidelines,
 * "Threshold and ranges"). START defaults to 0, "~" as START is minus infinity, an END left
 * out is plus infinity. A value outside [START, END] alerts; with "@" a value inside does.
 * "10" alerts below 0 or above 10, "10:" below 10, "~:10" above 10, "@10:20" from 10 to 20.
 * Pure: no I/O, no allocation. */
#ifndef TP_RANGE_H
#define TP_RANGE_H
#include <stddef.h>

struct tp_range {
	int set;          /* 0: no threshold (never alerts) */
	int inside;       /* "@": alert inside the range instead of outside */
	int no_start;     /* "~": no lower bound */
	int no_end;       /* END left out: no upper bound */
	double start, end;
	char text[40];    /* as given, for perfdata (the guidelines' own syntax) */
};

/* Parses s into *r (overwritten). An empty s leaves *r unset (r->set 0) and succeeds.
 * Returns 0, or -1 when s is no range (not a number, START above END, too long). */
int tp_range_parse(const char *s, struct tp_range *r);

/* 1 when value v alerts under r (never when r is unset). */
int tp_range_alert(const struct tp_range *r, double v);

/* Parses a comma-separated list "R1,R2,...", at most n ranges, into out[0..n) (ranges
 * left out or empty stay unset, so ",30:" sets only the second). Returns 0, or -1 with a
 * one-line reason in err (which range, and why). */
int tp_range_list_parse(const char *s, struct tp_range *out, size_t n, char *err, size_t errlen);

#endif
