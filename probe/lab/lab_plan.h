/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_plan: the lab's fixed address plan and its list of resolver instances.
 * Everything here is static data owned by lab_plan.c; callers never free it.
 * All addresses live on the loopback of the lab's private network namespace. */
#ifndef TP_LAB_PLAN_H
#define TP_LAB_PLAN_H
#include <stddef.h>

/* Authoritative server roles; each is one nsd instance on its own address, so that
 * resolvers follow real referrals from the root down to grandchildren. */
struct lab_server {
	const char *name; /* "root", "tld", "child", "grandchild" */
	const char *addr; /* IPv4 address inside the namespace */
};

/* Resolver programs the lab knows how to configure. */
enum lab_kind {
	LAB_UNBOUND,
	LAB_BIND,
	LAB_PDNS_RECURSOR,
	LAB_KNOT_RESOLVER,
	LAB_DNSMASQ,
	LAB_PROXY_RESOLVER /* trustprobe's own lying resolver ('lab proxy --resolver') */
};

/* Where a validating instance's root anchor comes from. */
enum lab_anchor {
	LAB_TA_DEFAULT = 0,    /* the kind's usual lab anchor (RFC 5011 where it has it) */
	LAB_TA_STATIC_CURRENT, /* unbound trust-anchor-file: the current KSK, no RFC 5011 */
	LAB_TA_STATIC_BOTH     /* unbound trust-anchor-file: current and next, no RFC 5011 */
};

/* The one hand-made misconfiguration of a misconfiguration instance ('mis-*', issue 10): its
 * config is the family's lab config with this change alone (lab_conf.c says which line). */
enum lab_fault {
	LAB_FAULT_NONE = 0,     /* the family's lab config as it is */
	LAB_FAULT_NO_VALIDATION, /* validation turned off (BIND dnssec-validation no, PowerDNS
				  * dnssec=off, kresd without a trust anchor, dnsmasq without
				  * dnssec) */
	LAB_FAULT_PERMISSIVE,   /* bogus data answered instead of SERVFAIL (unbound
				 * val-permissive-mode, dnsmasq dnssec-debug) */
	LAB_FAULT_ACCEPT_EXPIRED, /* BIND dnssec-accept-expired yes */
	LAB_FAULT_DISTRO_ANCHOR, /* Debian's own root anchor (the real root's KSKs), which does
				  * not sign the lab root, instead of the lab's */
	LAB_FAULT_CLOCK         /* the validator's clock off by clock_days (datefudge) */
};

struct lab_instance {
	const char *name;     /* lab instance name, e.g. "unbound", "dnsmasq-proxy" */
	enum lab_kind kind;
	const char *addr;     /* listen address */
	int validate;         /* 1: validates itself; 0: does not (control instances). A
			       * misconfiguration instance has 1: its fault changes that config */
	const char *upstream; /* a forwarder: the lab instance it forwards every query to (its
			       * own upstream may forward in turn), else NULL: it iterates */
	const char *note;     /* one line: what this instance is for */
	enum lab_anchor anchor;
	int roll_only;        /* started only by 'lab roll' (or when named): a control of
			       * the rehearsal, not part of the everyday lab matrix */
	enum lab_fault fault; /* not LAB_FAULT_NONE: a misconfiguration instance, started only
			       * when named (or with the name "misconfig", all of them) */
	int clock_days;       /* LAB_FAULT_CLOCK: days its clock is ahead (> 0) or behind */
	const char *hostile;  /* a hostile resolver (LAB_PROXY_RESOLVER, 'lab proxy --resolver
			       * --hostile MODE', proxy_hostile.h): the mode. Started only when
			       * named (or with the name "hostile", all of them), on
			       * 127.53.6.0/24; NULL for every other instance */
};

/* What a run adds to an instance (lab_user.h): all zero for the lab's own, unless --conf
 * names it. */
struct lab_run_extra {
	const char *program; /* the program to run, a full path (--with), or NULL: the
			      * family's program as lab_which.h finds it */
	const char *snippet; /* a file of the user's appended after the lab's lines (--conf),
			      * or NULL */
	int shipped;         /* 1: configured from the package's own files (lab_shipped.h) */
	int user;            /* 0: the lab's own; 1: added for this run (--with, --shipped),
			      * on 127.53.4.0/24, must run; 2: added by --shipped all, left
			      * out (skipped) when its program is not installed */
};

/* At most this many instances in one run: the lab's own and the user's. */
#define LAB_MAX_INSTANCES 80
/* At most this many added for one run (127.53.4.1 up). */
#define LAB_MAX_USER 16

/* Returns the auth server table and its length. */
const struct lab_server *lab_servers(size_t *n);
/* Returns the resolver instance table of this run and its length (in start order): the
 * lab's own, then those lab_instance_add added. */
const struct lab_instance *lab_instances(size_t *n);
/* Looks an instance up by name; NULL if unknown. */
const struct lab_instance *lab_instance_find(const char *name);
/* Adds a copy of in and x (their strings stay the caller's, alive for the run) to this
 * run's table, after the lab's own instances, on in->addr, or when that is NULL on the next
 * address of 127.53.4.0/24 (127.53.4.1 first). Returns the entry, or NULL when the name is taken or the table is
 * full. */
const struct lab_instance *lab_instance_add(const struct lab_instance *in,
					    const struct lab_run_extra *x);
/* What this run adds to li, an entry of lab_instances() (zeroes for any other pointer). */
const struct lab_run_extra *lab_instance_run(const struct lab_instance *li);
/* The same for the instance named name, to change; NULL if unknown. */
struct lab_run_extra *lab_instance_run_edit(const char *name);
/* Forgets what lab_instance_add and lab_instance_run_edit did (tests). */
void lab_instances_reset(void);
/* Address of a server role, or NULL. */
const char *lab_server_addr(const char *name);
/* Spare addresses (on the namespace loopback, unused by the lab); NULL-terminated. */
const char *const *lab_spare_addrs(void);
/* The attacker proxy's address (127.53.0.5): zones with via=proxy in the manifest are
 * delegated to it (probe/lab/proxy.h). Not an nsd role. */
const char *lab_proxy_addr(void);
/* The lab's mail host (127.53.3.1, 127.53.3.0/24 holding lab services): Postfix's smtpd
 * on port 25 (lab_mta.h), the address of mx.mta.test. and of the attack zones' mx names. */
const char *lab_mta_addr(void);
/* Program name of a kind ("unbound", "named", "pdns_recursor", "kresd", "dnsmasq", and
 * "trustprobe" for the lying resolver, which is this program itself). */
const char *lab_kind_program(enum lab_kind k);

#endif
