/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_shipped: configurations the lab did not write itself.
 *
 * Shipped-config mode (--shipped, lab_user.h): an instance started from the package's own
 * configuration, read from the files Debian installs (below $TRUSTPROBE_SHIPPED_ROOT when
 * that is set, e.g. a .deb unpacked with dpkg-deb -x):
 *   unbound         /etc/unbound/unbound.conf and what it includes (unbound.conf.d/)
 *   bind            /etc/bind/named.conf and its includes (named.conf.options, ...), the
 *                   zone files they name, and OPTIONS of /etc/default/named
 *   pdns-recursor   /etc/powerdns/recursor.conf, its include-dir (recursor.d/) and its
 *                   lua-config-file (recursor.lua)
 *   knot-resolver   the -c files of the kresd@.service unit (distro-preconfig.lua, then
 *                   /etc/knot-resolver/kresd.conf)
 *   dnsmasq         dnsmasq's compiled-in defaults, and /etc/dnsmasq.conf with its conf-dir
 *                   and conf-file where present (dnsmasq-base ships none)
 * Every file read is copied to D/<name>/shipped/<its path> and the copies name each other;
 * nothing of the host's is written, and only files are read. Only the lab's necessary
 * overrides are layered on: its address, root hints and trust anchor (in place of the
 * package's, none where the package has none), no privilege drop, no chroot, files it
 * writes under D/<name>/, logs on stderr, no control channel, nothing that leaves the lab
 * (forwarders, stub zones). A statement the lab replaces is commented out in the copy;
 * the lab's own lines come last. D/<name>/overrides lists, one a line, "source PATH (what
 * dpkg says of it)" for each file read and "override TEXT" for each override, with the
 * package's value and where it stood. lab_conf.c's lab_conf_resolver_opts calls this after
 * the lab's own writer, whose anchor files and command line it keeps. */
#ifndef TP_LAB_SHIPPED_H
#define TP_LAB_SHIPPED_H
#include <stddef.h>
#include "lab_conf.h"
#include "lab_plan.h"

/* Replaces cmd->config (written by the lab's own writer of inst's kind in lab dir dir)
 * with the package's configuration and the lab's overrides, and writes D/<name>/overrides.
 * LAB_CONF_ERR_INPUT with one line when the package's main file cannot be read (the
 * family's package is not installed, or its file is gone); LAB_CONF_ERR_IO when a copy
 * cannot be written; LAB_CONF_ERR_PLAN for the liar (no package). */
enum lab_conf_status lab_shipped_write(const struct lab_instance *inst, const char *dir,
				       const struct lab_cmd *cmd, char *err, size_t errlen);

/* Appends the user's file snippet verbatim to cmd->config, between comment lines in the
 * syntax of kind's config (--conf, lab_user.h). LAB_CONF_ERR_INPUT when it cannot be read
 * (or is not a small text file), LAB_CONF_ERR_IO when the config cannot be written. */
enum lab_conf_status lab_conf_append(enum lab_kind kind, const struct lab_cmd *cmd,
				     const char *snippet, char *err, size_t errlen);

#endif
