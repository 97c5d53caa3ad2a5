/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_roll: "trustprobe lab roll": builds a lab whose RFC 5011 timers are compressed, takes
 * the lab root through a KSK roll (roll_timeline.h has the steps), re-signing only the root
 * with the keys this process keeps in memory and reloading its nsd by PID, probes every
 * resolver after each step through the one probe path (tp_probe_all), and prints the
 * timeline. Owns its output to stdout/stderr; never calls exit(). */
#ifndef TP_LAB_ROLL_H
#define TP_LAB_ROLL_H
#include "cli.h"

struct lab_roll_opts {
	const char *resolvers; /* comma list, or NULL: every rehearsable instance and both controls */
	const char *vectors;
	enum tp_format format; /* text or json */
	unsigned holddown;     /* seconds; 0 = the default (8); no option sets it yet */
};

/* Returns the exit status: 0 every rehearsed resolver behaved as expected at every step,
 * 1 some did not, 2 the rehearsal could not run, 130 interrupted. */
int lab_roll_main(const struct lab_roll_opts *o);

#endif
