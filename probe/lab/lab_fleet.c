/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_fleet: see lab_fleet.h. */
#include "lab_fleet.h"
#include "tp_util.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

void lab_fleet_addr(unsigned i, char *buf, size_t len)
{
	unsigned k = i + 1;
	snprintf(buf, len, "127.54.%u.%u", (k >> 8) & 255, k & 255);
}

/* Writes n lines of fmt (with the address of each member and its number) to path. */
static int write_lines(const char *path, unsigned n, const char *fmt, const char *mode)
{
	FILE *f = fopen(path, mode);
	if (!f)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		char a[32];
		lab_fleet_addr(i, a, sizeof a);
		fprintf(f, fmt, a, i + 1); /* a batch line takes only the first */
	}
	return fclose(f);
}

enum lab_conf_status lab_fleet_conf(const char *dir, const char *lab_zone, unsigned n,
				    struct lab_cmd *cmd, char *err, size_t errlen)
{
	char first[32], path[4200];
	if (n < 1 || n > LAB_FLEET_MAX) {
		snprintf(err, errlen, "--fleet wants 1 to %d resolvers", LAB_FLEET_MAX);
		return LAB_CONF_ERR_PLAN;
	}
	lab_fleet_addr(0, first, sizeof first);
	/* the lab's validating unbound, as configured for its own instance */
	const struct lab_instance fleet = {"fleet", LAB_UNBOUND, first, 1, NULL,
					   "the fleet: the lab's unbound on many addresses",
					   LAB_TA_DEFAULT, 0, LAB_FAULT_NONE, 0, NULL};
	enum lab_conf_status st = lab_conf_resolver(&fleet, dir, lab_zone, cmd, err, errlen);
	if (st != LAB_CONF_OK)
		return st;
	/* the other addresses: a server: clause may come again (unbound.conf(5)) */
	FILE *f = fopen(cmd->config, "ae");
	if (f) {
		/* not Debian's defaults, for the fleet alone: 10 TCP connections per address
		 * (incoming-num-tcp) would need more descriptors than a user namespace may
		 * have for thousands of addresses; the probe opens a few at once per target */
		fputs("# the fleet's other addresses (lab up --fleet)\nserver:\n"
		      "\tincoming-num-tcp: 2\n\toutgoing-range: 1024\n", f);
		for (unsigned i = 1; i < n; i++) {
			char a[32];
			lab_fleet_addr(i, a, sizeof a);
			fprintf(f, "\tinterface: %s\n", a);
		}
	}
	if (!f || fclose(f) != 0 ||
	    tp_pathf(path, sizeof path, "%s/fleet/targets", dir) != 0 ||
	    write_lines(path, n, "%s fleet-%u\n", "we") != 0) {
		snprintf(err, errlen, "cannot write the fleet's files in %s/fleet: %s", dir,
			 strerror(errno));
		lab_cmd_free(cmd);
		return LAB_CONF_ERR_IO;
	}
	return LAB_CONF_OK;
}

int lab_fleet_batch(const char *path, unsigned n)
{
	return write_lines(path, n, "address add %s/32 dev lo\n", "ae");
}
