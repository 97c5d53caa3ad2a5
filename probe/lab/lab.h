/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab: brings the offline DNSSEC lab up and down. "up" signs fresh test vectors, writes
 * every daemon's config, then forks a holder process that creates a private user+network
 * namespace, puts the lab addresses on its loopback, starts nsd instances and resolvers
 * (each by PID, in the foreground) and stays alive as their parent until told to stop.
 *
 * Files in the lab directory D:
 *   D/lab.state  holder and daemon PIDs, the namespace inodes and the instances skipped
 *                for a missing program (written by the holder)
 *   D/lab.env    shell-sourceable description for users (written by lab_up on success)
 *   D/log/       one log per daemon, plus holder.log
 *   D/spare/     configs for one's own resolver build on the first spare address, one
 *                directory per family, and a README with their command lines (lab_conf.h)
 *   D/postfix/   the lab's MX: its key, certificate and Postfix configs (lab_mta.h)
 * No function here calls exit(); all report a status and a one-line reason. */
#ifndef TP_LAB_H
#define TP_LAB_H
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>
#include "signer.h"

/* Outcomes of the lab operations. */
enum lab_status {
	LAB_OK = 0,
	LAB_ERR_USAGE,       /* bad argument: unknown resolver name, bad directory */
	LAB_ERR_BUILD,       /* signer or config writer failed */
	LAB_ERR_NAMESPACE,   /* the namespace or its addresses could not be made */
	LAB_ERR_START,       /* a daemon failed to start or did not answer in time */
	LAB_ERR_INTERRUPTED, /* SIGINT/SIGTERM/SIGHUP during up; everything was stopped */
	LAB_ERR_RUNNING,     /* up: a lab already runs in that directory */
	LAB_ERR_NOT_RUNNING, /* status/exec: no lab runs in that directory */
	LAB_ERR_DEAD,        /* status: the lab runs but some daemon has stopped */
	LAB_ERR_ORPHANED     /* status: the holder is gone but processes of the lab still run */
};

struct lab_up_opts {
	const char *dir;       /* lab directory; created if missing */
	const char *vectors;   /* test vectors directory */
	const char *resolvers; /* comma-separated instance names, or NULL for all */
	double timeout;        /* seconds to wait for every daemon to answer */
	unsigned fleet;        /* lab up --fleet N: N more addresses served by one unbound
				* (lab_fleet.h); 0: none */
	/* lab up --delegate NAME=ADDR,DSFILE: the lab TLD delegates NAME (a child of it) to
	 * ns.NAME at ADDR, added to the namespace's loopback, with the DS lines of DSFILE
	 * (trustprobe serve run inside the lab); NULL: none */
	const char *delegate_name, *delegate_addr, *delegate_ds;
	/* 'trustprobe lab roll' only; zero/NULL for the everyday lab: */
	unsigned holddown;     /* RFC 5011 hold-downs compressed to this many seconds
				* (lab_conf_opts), and "all" includes the roll's controls */
	uint32_t roll_ttl;     /* signer_opts.roll_ttl */
	struct signer_session **keep; /* receives the signer's session (root keys kept);
				       * the caller frees it, also after a failed up */
};

#define LAB_MAX_SKIPPED 32

/* A resolver instance that lab_up did not start because its program, or the program of
 * the instance it forwards to, is not installed. */
struct lab_skip {
	char name[64];    /* lab instance, e.g. "knot-resolver" */
	char program[32]; /* its program, e.g. "kresd" */
	char package[32]; /* the Debian package that would let it run, e.g. "knot-resolver" */
	char reason[256]; /* one line: "kresd not installed: apt-get install knot-resolver" */
};

struct lab_up_info {
	double t_sign;     /* seconds spent signing and writing configs */
	double t_total;    /* seconds from start until every daemon answered */
	size_t n_daemons;  /* nsd instances + resolvers started */
	pid_t holder;      /* PID of the holder process */
	char dir[4096];    /* absolute lab directory */
	int signal;        /* LAB_ERR_INTERRUPTED: the signal that stopped it */
	size_t n_skipped;  /* instances not started: their program is missing (see lab_up) */
	struct lab_skip skipped[LAB_MAX_SKIPPED];
	char mta_skipped[256]; /* why the lab's MX (Postfix's smtpd, lab_mta.h) is not
				* running, one line; "" when it runs */
	char mta_tlsa[65];     /* the TLSA 3 1 1 data of its key, as signed into mta.test. */
	unsigned fleet;        /* the fleet's addresses (lab_fleet.h), 0 without --fleet */
};

struct lab_down_info {
	double t_total;   /* seconds until nothing of the lab was left */
	size_t n_stopped; /* processes that were running when down began */
	size_t n_killed;  /* of those, how many needed SIGKILL (0 when all stopped cleanly) */
	int was_running;  /* 0 if no lab was running (down is then a no-op) */
};

/* Brings the lab up; on success the daemons keep running after the caller returns.
 * Naming a forwarder starts its upstream too, and that one's own. An instance whose
 * program is not installed (see lab_which.h), or whose upstream is thus skipped (or its
 * upstream's), is left out and listed in info->skipped, unless o->resolvers names it: that is
 * LAB_ERR_USAGE. A missing nsd, or no resolver left to run, is LAB_ERR_USAGE too. The
 * caller prints the skip lines; info->skipped is filled before any other failure.
 * The lab's MX runs when lab_mta_available says it can (else info->mta_skipped says why);
 * its certificate is made in any case, since the signed zones carry its TLSA. */
enum lab_status lab_up(const struct lab_up_opts *o, struct lab_up_info *info, char *err,
		       size_t errlen);
/* Stops everything the lab in dir started, by PID, then any process left in its namespace. */
enum lab_status lab_down(const char *dir, struct lab_down_info *info, char *err, size_t errlen);
/* Prints one line per daemon ("name pid addr running|stopped") to out, and one per
 * skipped instance ("name - addr skipped (reason)"). LAB_ERR_ORPHANED when the holder
 * died and left daemons running (err says how many, and how to stop them). */
enum lab_status lab_status(const char *dir, FILE *out, char *err, size_t errlen);
/* Moves the calling (single-threaded) process into the lab's user and network
 * namespaces, so that it can query lab addresses directly. */
enum lab_status lab_join(const char *dir, char *err, size_t errlen);
/* Joins the lab's namespaces, exports D/lab.env's variables and execs argv.
 * Returns only on failure. */
enum lab_status lab_exec(const char *dir, char *const argv[], char *err, size_t errlen);
struct lab_cmd;
/* Starts one daemon of c (lab_conf.h) in the foreground: stdin /dev/null, stdout and
 * stderr to c->log (truncated), every signal reset, in c->workdir, with c->env. Returns
 * its PID (the caller's child; the caller reaps it), or -1. Used by the lab's holder and
 * by trustprobe serve. */
pid_t lab_spawn(const struct lab_cmd *c);
/* Reaps every exited child (waitpid WNOHANG); a daemon pid[i] among them is marked not
 * alive, and the first such death goes to *died (its index, when still -1) and
 * *died_status. For the holder and trustprobe serve, which each own their arrays. */
void lab_reap(const pid_t *pid, int *alive, size_t n, int *died, int *died_status);
/* SIGTERM to every daemon still alive, up to grace seconds of reaping them (lab_reap),
 * then SIGKILL to those left (not reaped yet). Returns how many needed SIGKILL. */
size_t lab_term(const pid_t *pid, int *alive, size_t n, double grace, int *died,
		int *died_status);
/* The default lab directory: $TRUSTPROBE_LAB_DIR, else ${TMPDIR:-/tmp}/trustprobe-lab-UID. */
const char *lab_default_dir(void);

#endif
