/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_ledger: the forged replies the attacker proxy sent, per source and rule (see
 * proxy_ledger.h). */
#include "proxy_ledger.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void px_ledger_init(struct px_ledger *l)
{
	memset(l, 0, sizeof *l);
	l->magic = PX_LEDGER_MAGIC;
}

static struct px_ledger_slot *find(const struct px_ledger *l, const char *peer, int rule)
{
	for (size_t i = 0; i < l->used; i++)
		if (l->slot[i].rule == rule && strcmp(l->slot[i].peer, peer) == 0)
			return (struct px_ledger_slot *)&l->slot[i];
	return NULL;
}

void px_ledger_note(struct px_ledger *l, const char *peer, int rule, double now)
{
	struct px_ledger_slot *s = find(l, peer, rule);
	if (!s && l->used < PX_LEDGER_SLOTS) {
		s = &l->slot[l->used++];
	} else if (!s) { /* full: the least recently used entry is taken over */
		s = &l->slot[0];
		for (size_t i = 1; i < l->used; i++)
			if (l->slot[i].last < s->last)
				s = &l->slot[i];
	}
	if (strcmp(s->peer, peer) != 0 || s->rule != rule) {
		snprintf(s->peer, sizeof s->peer, "%s", peer);
		s->rule = rule;
		s->n = 0;
	}
	s->n++;
	s->last = now;
}

unsigned long px_ledger_get(const struct px_ledger *l, const char *peer, int rule,
			    double *last)
{
	const struct px_ledger_slot *s = find(l, peer, rule);
	if (last)
		*last = s ? s->last : 0;
	return s ? s->n : 0;
}

int px_ledger_label(const char *id, char *out, size_t n)
{
	size_t len = strlen(id);
	if (len == 0 || len >= n || len > 63)
		return -1;
	for (size_t i = 0; i <= len; i++)
		out[i] = id[i] == '.' ? '-' : (char)tolower((unsigned char)id[i]);
	return 0;
}

void px_ledger_text(const struct px_ledger *l, const char *peer, int rule, const char *id,
		    double now, char *out, size_t n)
{
	if (rule < 0) {
		snprintf(out, n, "%s rule=? unknown", PX_LEDGER_TEXT);
		return;
	}
	double last = 0;
	unsigned long c = px_ledger_get(l, peer, rule, &last);
	if (c == 0) {
		snprintf(out, n, "%s rule=%s forged=0", PX_LEDGER_TEXT, id);
		return;
	}
	double age = now - last;
	snprintf(out, n, "%s rule=%s forged=%lu age=%.1f", PX_LEDGER_TEXT, id, c,
		 age < 0 ? 0.0 : age);
}
