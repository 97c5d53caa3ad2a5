/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* report: names and lifetime of the probe's data model; see report.h. */
#include "report.h"
#include <stdlib.h>
#include <string.h>

static const char *const group_names[TP_G_COUNT] = {
	"transport", "validation", "denial", "root-trust", "ad-path", "dane",
};

const char *tp_group_name(enum tp_group g)
{
	return (unsigned)g < TP_G_COUNT ? group_names[g] : "?";
}

int tp_group_parse(const char *s)
{
	for (int g = 0; g < TP_G_COUNT; g++)
		if (strcmp(s, group_names[g]) == 0)
			return g;
	return -1;
}

const char *tp_status_name(enum tp_status s)
{
	switch (s) {
	case TP_PASS: return "pass";
	case TP_WARN: return "warn";
	case TP_FAIL: return "fail";
	case TP_SKIP: return "skip";
	}
	return "?";
}

const char *tp_verdict_name(enum tp_verdict v)
{
	switch (v) {
	case TP_READY: return "ready";
	case TP_NOT_READY: return "not-ready";
	case TP_UNKNOWN: return "unknown";
	}
	return "?";
}

const char *tp_cause_level_name(enum tp_cause_level l)
{
	switch (l) {
	case TP_CAUSE_FAIL: return "fail";
	case TP_CAUSE_UNKNOWN: return "unknown";
	case TP_CAUSE_WARN: return "warn";
	case TP_CAUSE_INFO: return "info";
	}
	return "?";
}

void tp_report_free(struct tp_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->resolvers[i].findings);
		free(r->resolvers[i].config_sources);
		free(r->resolvers[i].overrides);
	}
	free(r->resolvers);
	r->resolvers = NULL;
	r->n = 0;
}
