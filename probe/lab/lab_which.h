/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_which: finds the programs the lab runs, the way the lab holder will exec them, and
 * says which Debian package provides each. The holder runs daemons with PATH extended by
 * lab_sbin_dirs(), so a program found here is the one that runs. */
#ifndef TP_LAB_WHICH_H
#define TP_LAB_WHICH_H
#include <stddef.h>
#include "lab_plan.h"

/* Directories searched after $PATH, colon-separated: $TRUSTPROBE_LAB_SBIN when it is set
 * (even empty: then none; tests use it to hide a program), else
 * "/usr/local/sbin:/usr/sbin:/sbin". The string is the environment's or static. */
const char *lab_sbin_dirs(void);

/* The PATH the holder gives the daemons: $PATH (or "/usr/bin:/bin") then lab_sbin_dirs().
 * 0, or -1 if it does not fit in out. */
int lab_daemon_path(char *out, size_t outlen);

/* Looks prog (a bare name) up in lab_daemon_path(); writes its full path to out.
 * 1 if found (an executable regular file), 0 if not. */
int lab_find_program(const char *prog, char *out, size_t outlen);

/* Debian package of the program of kind k ("unbound", "bind9", "pdns-recursor",
 * "knot-resolver", "dnsmasq-base"; "trustprobe" for the lying resolver). Static. */
const char *lab_kind_package(enum lab_kind k);

/* The full path of the running program (/proc/self/exe), which the lab runs for its own
 * daemons (the attacker proxy, the lying resolver). 1 if found, 0 if not. */
int lab_self_program(char *out, size_t outlen);

/* The program the lab runs for an instance of kind k: lab_find_program of its name, or
 * for LAB_PROXY_RESOLVER this program itself. 1 if found, 0 if not. */
int lab_kind_find(enum lab_kind k, char *out, size_t outlen);

/* The program the lab runs for instance li: the one this run gave it (--with, lab_plan.h
 * lab_run_extra), if still an executable file, else lab_kind_find. 1 if found, 0 if not. */
int lab_instance_program(const struct lab_instance *li, char *out, size_t outlen);

#endif
