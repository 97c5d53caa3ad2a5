/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_mta: the lab's mail host. A key and self-signed certificate made with OpenSSL at
 * every lab up (their TLSA data go into the signed zones: {mta_tlsa}), and Postfix's own
 * master and smtpd from Debian's package, run in the foreground inside the namespace with
 * a configuration directory of the lab's, offering STARTTLS with that certificate on the
 * lab's MX address (lab_mta_addr), port 25. posttls-finger, from the same package, reads
 * the client configuration written beside it (MAIL_CONFIG=D/postfix/client).
 *
 * Files under the lab directory D (all written by lab up, in the parent, before the
 * namespace exists):
 *   D/postfix/key.pem      the server's private key (P-256), mode 0600
 *   D/postfix/cert.pem     its self-signed certificate (CN and SAN mx.mta.test)
 *   D/postfix/main.cf, master.cf   the server's config_directory: smtpd and what it needs
 *   D/postfix/queue/, data/        queue_directory and data_directory (fresh every up)
 *   D/postfix/client/main.cf       posttls-finger's configuration (MAIL_CONFIG)
 *   D/log/mta.log          what Postfix logs (maillog_file = /dev/stdout)
 * No function here calls exit(). */
#ifndef TP_LAB_MTA_H
#define TP_LAB_MTA_H
#include <stddef.h>
#include <sys/types.h>
#include "lab_conf.h"

/* Hex of a SHA-256 digest, upper case, NUL-terminated. */
#define LAB_MTA_TLSA_LEN 65

/* The accounts Postfix's daemons drop to, which the lab's user namespace must map. */
struct lab_mta_ids {
	uid_t owner_uid; /* mail_owner "postfix" */
	gid_t owner_gid; /* its group */
	gid_t sgid_gid;  /* setgid_group "postdrop" */
	char master[4096]; /* the master program (daemon_directory/master) */
};

/* Makes D/postfix/key.pem (0600) and cert.pem, replacing any earlier pair, and writes the
 * TLSA "3 1 1" data of the key (SHA-256 of its SubjectPublicKeyInfo) into tlsa.
 * LAB_CONF_OK, or LAB_CONF_ERR_IO with one line in err. */
enum lab_conf_status lab_mta_cert(const char *dir, char tlsa[LAB_MTA_TLSA_LEN], char *err,
				  size_t errlen);

/* 1 if Postfix's smtpd can run in the lab: the package's master and smtpd exist (daemon
 * directory $TRUSTPROBE_LAB_POSTFIX, default /usr/lib/postfix/sbin), its accounts exist,
 * and the lab runs as root, the only case in which its user namespace can map the
 * unprivileged account smtpd drops to (Postfix refuses a mail_owner of uid 0). Fills ids.
 * 0 with one line in why naming what is missing and how to get it. */
int lab_mta_available(struct lab_mta_ids *ids, char *why, size_t whylen);

/* unshare(CLONE_NEWUSER | CLONE_NEWNET) for the calling process (root, single-threaded),
 * which becomes uid and gid 0 inside as before, with ids' accounts mapped as themselves
 * beside it and setgroups left allowed (Postfix's set_ugid calls it). A map of more than
 * one line needs CAP_SETUID in the parent namespace, which the caller no longer has once
 * it has unshared: a child forked first writes the maps from outside, then exits.
 * 0, or -1 with errno (*in_map 1 when the maps failed, 0 when unshare did). */
int lab_mta_unshare(const struct lab_mta_ids *ids, int *in_map);

/* Writes D/postfix/{main.cf,master.cf,client/main.cf}, a fresh queue and data directory
 * owned as Postfix wants them, and fills cmd ("master -c D/postfix -s", name "mta", address
 * lab_mta_addr, log D/log/mta.log, readiness: an SMTP greeting). Needs lab_mta_cert first. */
enum lab_conf_status lab_mta_conf(const char *dir, const struct lab_mta_ids *ids,
				  struct lab_cmd *cmd, char *err, size_t errlen);

#endif
