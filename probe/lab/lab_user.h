/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_user: the instances a run adds to the lab's own, and the user's changes to any
 * instance, from the options 'trustprobe lab' and 'lab up' share:
 *   --with NAME=FAMILY:PROGRAM  a build of one's own (any path) as instance NAME of a
 *                               known family, configured as the lab configures that family
 *   --shipped FAMILY|NAME|all   an instance started from the package's own configuration
 *                               (lab_shipped.h): FAMILY-shipped with Debian's program, or
 *                               the --with instance NAME, or one per installed family
 *   --conf INSTANCE=FILE        FILE appended after the lab's lines of INSTANCE's config
 * Instances added here go on 127.53.4.0/24 (lab_plan.h, lab_instance_add). lab.env records
 * them (lab_user_write_env) and lab_user_load_env adds them again in another process
 * ('trustprobe --lab D'). Strings live in this module's static storage for the process. */
#ifndef TP_LAB_USER_H
#define TP_LAB_USER_H
#include <stddef.h>
#include <stdio.h>
#include "lab_plan.h"

#define LAB_USER_MAX_OPTS 32

/* The options as given, in order (pointers into argv). */
struct lab_user_opts {
	const char *with[LAB_USER_MAX_OPTS];
	size_t n_with;
	const char *shipped[LAB_USER_MAX_OPTS];
	size_t n_shipped;
	const char *conf[LAB_USER_MAX_OPTS];
	size_t n_conf;
};

/* The long options shared by the commands, for getopt_long tables: their val fields are
 * LAB_USER_OPT_WITH, _SHIPPED and _CONF. */
enum { LAB_USER_OPT_WITH = 0x1001, LAB_USER_OPT_SHIPPED, LAB_USER_OPT_CONF };

/* Records option opt (one of the values above) with argument arg in u. 0, or -1 with one
 * line in err (too many). */
int lab_user_opt(struct lab_user_opts *u, int opt, const char *arg, char *err, size_t errlen);

/* Adds the instances u names to this run's table and sets the --conf snippets. Checks
 * everything first: a name that is taken or not plain, an unknown family, a program that
 * is no executable file, a snippet that is not a readable file, --conf or --shipped naming
 * no instance (or one without a config file of its own: the liar). 0, or -1 with one line
 * in err. */
int lab_user_apply(const struct lab_user_opts *u, char *err, size_t errlen);

/* list (a --resolvers value) with the names of the instances this run added appended, into
 * out: what a run probes when --resolvers is given with --with or --shipped. */
void lab_user_only(const char *list, char *out, size_t outlen);

/* One line per instance this run added and started, for 'lab up': "added NAME on ADDR
 * (FAMILY: PROGRAM[, the package's own config][, --conf FILE])". */
struct lab_up_info;
void lab_user_print(FILE *f, const struct lab_up_info *info);

/* The family of a lab kind as instances and lab.env name it: "unbound", "bind",
 * "pdns-recursor", "knot-resolver", "dnsmasq" ("liar" for the lying resolver). */
const char *lab_user_family(enum lab_kind k);

/* Writes the lab.env lines of this run's table: LAB_USER_RESOLVERS
 * ('NAME=FAMILY:PROGRAM ...', the added instances whose sel flag is set), LAB_SHIPPED
 * (their names when shipped) and LAB_CONF ('INSTANCE=FILE ...'). sel[] as lab_instances(). */
void lab_user_write_env(FILE *f, const int *sel);

/* Adds to this run's table the instances of dir/lab.env's LAB_USER_RESOLVERS (with their
 * addresses from LAB_RESOLVERS), LAB_SHIPPED and LAB_CONF, leaving names already known
 * alone. Idempotent. */
void lab_user_load_env(const char *dir);

#endif
