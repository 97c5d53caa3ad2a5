/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_ready: waits until lab daemons answer DNS on their addresses. */
#ifndef TP_LAB_READY_H
#define TP_LAB_READY_H
#include <stddef.h>

struct lab_ready_target {
	const char *addr; /* "ADDR[@PORT]" (port 53 by default); owned by the caller */
	int ready;        /* set to 1 once any DNS reply with our ID came back */
	int smtp;         /* 1: ready once an SMTP server greets ("220") on addr port 25 */
};

/* Outcomes of lab_ready_wait(). */
enum lab_ready_status {
	LAB_READY_ALL = 0,   /* every target answered */
	LAB_READY_TIMEOUT,   /* timeout_s passed first; unready targets keep ready == 0 */
	LAB_READY_ABORTED,   /* check() returned nonzero (a daemon died, or a signal came) */
	LAB_READY_ERR        /* no socket could be made */
};

/* Sends a non-recursive ". NS" query to each target every 100 ms and waits for replies,
 * calling check(arg) between polls. Any reply (whatever its rcode) counts as ready. An smtp
 * target is connected to over TCP instead, once every 100 ms until it greets. */
enum lab_ready_status lab_ready_wait(struct lab_ready_target *t, size_t n, double timeout_s,
				     int (*check)(void *), void *arg);

#endif
