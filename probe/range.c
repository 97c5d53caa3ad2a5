/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* range: see range.h. */
#include "range.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number that fills s exactly (no blanks, no trailing text). */
static int number(const char *s, double *out)
{
	char *end;
	if (!*s)
		return -1;
	double v = strtod(s, &end);
	if (*end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int tp_range_parse(const char *s, struct tp_range *r)
{
	memset(r, 0, sizeof *r);
	if (!s || !*s)
		return 0;
	if (strlen(s) >= sizeof r->text)
		return -1;
	snprintf(r->text, sizeof r->text, "%s", s);
	const char *p = s;
	if (*p == '@') {
		r->inside = 1;
		p++;
	}
	char buf[sizeof r->text];
	snprintf(buf, sizeof buf, "%s", p);
	char *colon = strchr(buf, ':');
	const char *start = NULL, *end = buf;
	if (colon) {
		*colon = '\0';
		start = buf;
		end = colon + 1;
	}
	if (start && strcmp(start, "~") == 0)
		r->no_start = 1;
	else if (start && number(start, &r->start) != 0)
		return -1;
	if (colon && !*end)
		r->no_end = 1;
	else if (number(end, &r->end) != 0)
		return -1;
	if (!r->no_start && !r->no_end && r->start > r->end)
		return -1;
	r->set = 1;
	return 0;
}

int tp_range_alert(const struct tp_range *r, double v)
{
	if (!r->set)
		return 0;
	int in = (r->no_start || v >= r->start) && (r->no_end || v <= r->end);
	return r->inside ? in : !in;
}

int tp_range_list_parse(const char *s, struct tp_range *out, size_t n, char *err, size_t errlen)
{
	char buf[256];
	for (size_t i = 0; i < n; i++)
		memset(&out[i], 0, sizeof out[i]);
	if (strlen(s) >= sizeof buf) {
		snprintf(err, errlen, "'%.60s...' is too long", s);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", s);
	char *p = buf;
	for (size_t i = 0;; i++) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (i >= n) {
			snprintf(err, errlen, "'%s' has more than %zu ranges", s, n);
			return -1;
		}
		if (tp_range_parse(p, &out[i]) != 0) {
			snprintf(err, errlen, "'%s' is not a range ([@][START:][END], START <= END)", p);
			return -1;
		}
		if (!comma)
			return 0;
		p = comma + 1;
	}
}
