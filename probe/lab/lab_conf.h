/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_conf: writes the configuration of every lab daemon (nsd instances and the resolvers
 * under test) and says how to start it in the foreground. Each resolver keeps the defaults
 * it ships with in Debian; every deviation the lab needs is commented in lab_conf.c.
 *
 * Inputs it reads from the lab directory (written by the signer, see signer.h):
 *   D/root.hints, D/ta/root.ds, D/ta/root.dnskey, D/ta/bind.conf, D/ta/dnsmasq.conf,
 *   D/zones.list ("<zone> <server-role> <file>" lines) and D/zones/<file>.
 * It writes only below D/<name>/ (the instance's own directory, where it also removes state
 * an earlier run left) or D/spare/<family>/ and creates D/log/ (the log files are the
 * launcher's). */
#ifndef TP_LAB_CONF_H
#define TP_LAB_CONF_H
#include <stddef.h>
#include "lab_plan.h"

#define LAB_CMD_MAXARGS 24
#define LAB_CMD_MAXENV 4

/* How to start one daemon. argv strings are owned by the struct (lab_cmd_free). */
struct lab_cmd {
	char *argv[LAB_CMD_MAXARGS + 1]; /* NULL-terminated; argv[0] is the program */
	char name[64];                   /* instance or "nsd-<role>" */
	char workdir[4096];              /* D/<name>, created by the writer */
	char config[4096];               /* main config file written (for messages); empty
					  * for the liar, whose command line is its config */
	char log[4096];                  /* D/log/<name>.log: stdout+stderr go here */
	char addr[64];                   /* address it listens on (port 53) */
	int ready_smtp;                  /* 1: ready once it greets over SMTP on addr port 25,
					  * not a DNS answer on port 53 (the lab's MX) */
	char *env[LAB_CMD_MAXENV + 1];   /* NULL-terminated "NAME=value" strings set for this
					  * daemon alone (the clock fault's LD_PRELOAD), owned */
};

/* Outcomes of the writers. */
enum lab_conf_status {
	LAB_CONF_OK = 0,
	LAB_CONF_ERR_INPUT, /* a signer output it needs is missing or unreadable */
	LAB_CONF_ERR_IO,    /* could not create the instance directory or write its files */
	LAB_CONF_ERR_PLAN   /* the instance refers to something the plan lacks (e.g. upstream) */
};

/* Writes the config of resolver instance inst for lab dir (absolute path) and fills cmd.
 * lab_zone is the test TLD ("test."). An instance with an upstream forwards to it (dnsmasq
 * server=, unbound forward-zone, named forwarders, pdns forward-zones-recurse, the liar's
 * --upstream); LAB_CONF_ERR_PLAN when that is no other instance of the plan. On error fills
 * err with one line. */
/* A misconfiguration instance (inst->fault, lab_plan.h) gets the family's config with that
 * one change, each commented in the file; LAB_CONF_ERR_PLAN for a fault the family has no
 * form of (e.g. no permissive mode in BIND, no clock for named: see lab_conf.c), and
 * LAB_CONF_ERR_INPUT when the Debian file it needs is missing (dns-root-data, dnsmasq-base,
 * pdns-recursor's rootkeys.lua, datefudge). */
enum lab_conf_status lab_conf_resolver(const struct lab_instance *inst, const char *dir,
				       const char *lab_zone, struct lab_cmd *cmd,
				       char *err, size_t errlen);

/* Settings of instances made for 'trustprobe lab roll' only (never the everyday lab). */
struct lab_conf_opts {
	unsigned holddown; /* 0: Debian's timers; else RFC 5011 hold-downs of this many
			    * seconds (unbound, BIND, kresd: see each writer) */
	/* Set by the user for one run (lab_user.h), for any instance but the liar: */
	const char *snippet; /* a file appended verbatim after the lab's lines, or NULL */
	int shipped;         /* 1: the package's own configuration with the lab's overrides
			      * (lab_shipped.h) instead of the lab's own */
};

/* As lab_conf_resolver, with co (NULL: the everyday lab's config). */
enum lab_conf_status lab_conf_resolver_opts(const struct lab_instance *inst, const char *dir,
					    const char *lab_zone, const struct lab_conf_opts *co,
					    struct lab_cmd *cmd, char *err, size_t errlen);

/* Writes the config of the nsd instance for server role srv (zones taken from
 * D/zones.list) and fills cmd. */
enum lab_conf_status lab_conf_nsd(const struct lab_server *srv, const char *dir,
				  struct lab_cmd *cmd, char *err, size_t errlen);

/* How an nsd instance differs from the lab's (lab_conf_nsd_opts); zero: the lab's. */
struct lab_nsd_opts {
	unsigned port;        /* 0: 53 */
	const char *username; /* NULL: "" (no change of user) */
	int all_zones;        /* every zone of D/zones.list, whatever its role */
	int serve;            /* trustprobe serve: RRL off (the proxy limits, proxy_rrl.h),
			       * refuse-any, hide-version and hide-identity, no IPv6 */
};

/* As lab_conf_nsd, with no (NULL: the lab's). */
enum lab_conf_status lab_conf_nsd_opts(const struct lab_server *srv, const char *dir,
				       const struct lab_nsd_opts *no, struct lab_cmd *cmd,
				       char *err, size_t errlen);

/* Writes, for each resolver family (unbound, bind, pdns-recursor, knot-resolver, dnsmasq),
 * the config the lab would give its own instance of it, but listening on addr (a spare
 * address), into D/spare/<family>/, and D/spare/README with the command line of each
 * (run with 'trustprobe lab exec'; the daemon logs to its stderr). The dnsmasq config
 * forwards to the lab's unbound-novalidate. */
enum lab_conf_status lab_conf_spares(const char *dir, const char *lab_zone, const char *addr,
				     char *err, size_t errlen);

/* Writes the attacker proxy's instance dir D/proxy/ (a copy of vectors/attacks as
 * D/proxy/attacks) and fills cmd with "<this program> lab proxy --listen <lab_proxy_addr>
 * --upstream <every nsd address> --rules D/proxy/attacks --zone-dir D". */
enum lab_conf_status lab_conf_proxy(const char *vectors, const char *dir, struct lab_cmd *cmd,
				    char *err, size_t errlen);

/* trustprobe serve (serve.h): fills cmd with "<this program> lab proxy --serve --listen
 * listen --upstream upstream --rules rules --zone-dir dir --ratelimit N [--user user]",
 * logging to D/log/<name>.log (proxy.h). */
enum lab_conf_status lab_conf_proxy_serve(const char *dir, const char *name,
					  const char *listen, const char *upstream,
					  const char *rules, unsigned ratelimit,
					  const char *user, struct lab_cmd *cmd, char *err,
					  size_t errlen);

/* Frees the argv and env strings of cmd (safe on a zeroed or already freed cmd). */
void lab_cmd_free(struct lab_cmd *cmd);

#endif
