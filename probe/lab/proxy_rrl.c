/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_rrl: see proxy_rrl.h. */
#include "proxy_rrl.h"
#include <netinet/in.h>
#include <string.h>

void px_rrl_init(struct px_rrl *r, unsigned rate, unsigned burst, unsigned slip)
{
	memset(r, 0, sizeof *r);
	r->rate = rate;
	r->burst = burst < rate ? rate : burst;
	r->slip = slip;
}

/* The bucket key of src: family byte, then 4 or 8 octets. 0, or -1 for another family. */
static int key_of(const struct sockaddr_storage *src, uint8_t key[9])
{
	memset(key, 0, 9);
	if (src->ss_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &((const struct sockaddr_in *)src)->sin_addr, 4);
		return 0;
	}
	if (src->ss_family == AF_INET6) {
		key[0] = 6;
		memcpy(key + 1, &((const struct sockaddr_in6 *)src)->sin6_addr, 8);
		return 0;
	}
	return -1;
}

static size_t slot_of(const uint8_t key[9])
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < 9; i++)
		h = (h ^ key[i]) * 16777619u;
	return h % PX_RRL_SLOTS;
}

enum px_rrl_verdict px_rrl_check(struct px_rrl *r, const struct sockaddr_storage *src,
				 double now)
{
	uint8_t key[9];
	if (r->rate == 0 || key_of(src, key) != 0) {
		r->passed++;
		return PX_RRL_PASS;
	}
	struct px_rrl_slot *s = &r->slot[slot_of(key)];
	if (memcmp(s->key, key, sizeof key) != 0) { /* a new source (or a collision) */
		memcpy(s->key, key, sizeof key);
		s->tokens = r->burst;
		s->last = now;
		s->over = 0;
	}
	if (now > s->last) {
		s->tokens += (now - s->last) * r->rate;
		if (s->tokens > r->burst)
			s->tokens = r->burst;
		s->last = now;
	}
	if (s->tokens >= 1.0) {
		s->tokens -= 1.0;
		r->passed++;
		return PX_RRL_PASS;
	}
	s->over++;
	if (r->slip && s->over % r->slip == 0) {
		r->slipped++;
		return PX_RRL_SLIP;
	}
	r->dropped++;
	return PX_RRL_DROP;
}
