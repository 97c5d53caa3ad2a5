/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_fleet: 'trustprobe lab up --fleet N', a fleet of resolvers for 'trustprobe --targets':
 * one more unbound, instance "fleet", configured as the lab's validating unbound
 * (lab_conf.c) but listening on N addresses of 127.54.0.0/16 (the first is 127.54.0.1),
 * put on the namespace's loopback like every lab address. D/fleet/targets lists them, one
 * "ADDR fleet-K" a line, and lab.env names it (LAB_FLEET_TARGETS, LAB_FLEET_N). Every
 * address answers as the lab's unbound does, so each target's verdict is known. */
#ifndef TP_LAB_FLEET_H
#define TP_LAB_FLEET_H
#include <stddef.h>
#include "lab_conf.h"

#define LAB_FLEET_MAX 4096

/* The address of fleet member i (0-based) into buf: 127.54.X.Y, counting from 127.54.0.1. */
void lab_fleet_addr(unsigned i, char *buf, size_t len);

/* Writes D/fleet/ (unbound.conf with n interfaces, the anchor, D/fleet/targets) and fills
 * cmd; lab_zone as lab_conf_resolver. */
enum lab_conf_status lab_fleet_conf(const char *dir, const char *lab_zone, unsigned n,
				    struct lab_cmd *cmd, char *err, size_t errlen);

/* Appends to the ip batch file at path the lines that put the n fleet addresses on the
 * namespace's loopback (lab_run.c runs it). 0, or -1 with errno. */
int lab_fleet_batch(const char *path, unsigned n);

#endif
