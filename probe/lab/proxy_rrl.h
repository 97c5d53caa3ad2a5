/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_rrl: the response rate limit of 'trustprobe serve' (issue 13). The attacker proxy
 * stands in front of nsd, so nsd sees every client as the proxy's own loopback address:
 * nsd's RRL (rrl-ratelimit) would put all clients into one bucket and let one flooder
 * starve everyone. The limit therefore lives in the proxy, where the client address is
 * visible: a token bucket per source (an IPv4 address, an IPv6 /64), refilled at rate
 * tokens a second up to burst. The burst lets one resolver run a whole probe (a few
 * hundred queries in a second, trustprobe's full catalogue through a cold cache) without
 * being limited; a flood is held to rate after it. Over the limit, one in slip queries gets a truncated reply
 * (TC=1, so that a real resolver retries over TCP, which is never limited: TCP cannot be
 * spoofed) and the others get nothing, as nsd's rrl-slip does. Pure: no I/O, no clock of
 * its own (the caller passes the time), so the unit tests drive it. */
#ifndef TP_PROXY_RRL_H
#define TP_PROXY_RRL_H
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define PX_RRL_SLOTS 4096 /* sources tracked at once; a colliding source takes the slot over */

struct px_rrl_slot {
	uint8_t key[9];    /* family (4 or 6), then the address (IPv4) or the /64 (IPv6) */
	double tokens;
	double last;       /* time of the last refill */
	unsigned long over; /* queries over the limit so far */
};

struct px_rrl {
	unsigned rate; /* queries a second per source; 0: no limit */
	unsigned burst; /* the bucket's size: queries a source may send at once */
	unsigned slip; /* 0: never a TC reply; N: every Nth query over the limit gets one */
	unsigned long passed, slipped, dropped;
	struct px_rrl_slot slot[PX_RRL_SLOTS];
};

enum px_rrl_verdict {
	PX_RRL_PASS = 0, /* answer it */
	PX_RRL_SLIP,     /* over the limit: a truncated empty reply */
	PX_RRL_DROP      /* over the limit: no reply */
};

/* Resets r (caller-owned, large: static or heap) with the given rate, burst (at least
 * rate) and slip. */
void px_rrl_init(struct px_rrl *r, unsigned rate, unsigned burst, unsigned slip);

/* Counts one UDP query from src at time now (seconds, monotonic) and says what to do with
 * it. A family other than IPv4 and IPv6 always passes. */
enum px_rrl_verdict px_rrl_check(struct px_rrl *r, const struct sockaddr_storage *src,
				 double now);

#endif
