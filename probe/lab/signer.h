/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* signer: turns testvectors/ (a manifest and zone templates) into a signed lab DNS tree
 * with fresh keys, using ldns. See testvectors/README for the formats.
 *
 * Outputs, all under opts->out_dir (created if missing):
 *   zones/<file>        one signed (or unsigned) zone file per manifest zone;
 *                       <file> is "root.zone" for "." and "<name without final dot>.zone"
 *   zones.list          one line per zone: "<name> <server> <file>", parents first
 *   root.hints          NS and A records of the lab root server
 *   ta/root.ds          DS (SHA-256) of the "current" root KSK, one RR line
 *   ta/root.dnskey      DNSKEY of the "current" root KSK, one RR line
 *   ta/root-next.ds, ta/root-next.dnskey   the same for the "next" KSK
 *   ta/bind.conf        trust-anchors { . initial-key ...; };  (current KSK)
 *   ta/dnsmasq.conf     trust-anchor=.,TAG,ALG,DIGESTTYPE,DIGEST  (current KSK)
 *   keys are kept in memory only: no private key is ever written, except with key_dir
 *   (trustprobe serve): below.
 *
 * With reroot (trustprobe serve, serve.h) the tree is the manifest's lab-zone and what is
 * below it, moved under reroot (manifest_reroot): no root zone, so no ta/ files and no
 * root.hints; instead
 *   parent.ds           the DS records (SHA-256) of reroot's KSKs, for its parent
 * With key_dir every key is read from key_dir/K<zone>+<role>.private (ldns private-key
 * format; role ksk, ksk-next, revoked) and made there when missing (mode 0600, the only
 * private keys the project writes): a restart signs with the same keys.
 */
#ifndef TP_SIGNER_H
#define TP_SIGNER_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Outcomes of signer_build(). */
enum signer_status {
	SIGNER_OK = 0,
	SIGNER_ERR_MANIFEST, /* manifest unreadable or a line malformed (err names file:line) */
	SIGNER_ERR_TEMPLATE, /* a zone template is missing or does not parse */
	SIGNER_ERR_KEYGEN,   /* key generation failed (algorithm unsupported by the crypto lib) */
	SIGNER_ERR_SIGN,     /* ldns signing failed */
	SIGNER_ERR_IO        /* output directory or file could not be written */
};

/* Maps a manifest "server=" role to the address its nsd listens on. */
struct signer_server {
	const char *name;
	const char *addr;
};

/* A template variable: "{name}" in a zone template (testvectors/README) becomes value. */
struct signer_var {
	const char *name;  /* lower-case letters, digits and '_', at most 31 characters */
	const char *value; /* at most 255 characters, no newline */
};

#define SIGNER_MAX_VARS 8

struct signer_opts {
	const char *vectors_dir; /* directory holding manifest and zones/ */
	const char *out_dir;     /* lab directory */
	const struct signer_server *servers;
	size_t n_servers;
	time_t now; /* reference time for every signature window */
	uint32_t roll_ttl; /* 0: the usual TTL; else the TTL of the root DNSKEY RRset and of
			    * the RFC 8509 sentinel names ('lab roll': short, so that resolvers
			    * see each step within seconds) */
	const char *root_pub; /* NULL: root.hints and the root's own NS address name its
			       * server; else this address ('lab roll': the attacker proxy,
			       * which logs the RFC 8145 queries on their way to nsd-root) */
	const struct signer_var *vars; /* values of the template variables; a template that
					* names a variable not given here is SIGNER_ERR_TEMPLATE */
	size_t n_vars;                 /* at most SIGNER_MAX_VARS */
	/* lab up --delegate (a serve instance inside the lab): name's parent, a zone of the
	 * manifest, delegates it to ns.<name> with glue addr and the DS lines of ds_file
	 * (NULL name: none) */
	const char *delegate_name, *delegate_addr, *delegate_ds;
	int attacker;            /* the attacker proxy stands in front of the zones: the
				  * marker's RRset says so (TP_MARKER_ATTACKER, preflight.h) */
	/* trustprobe serve (serve.h); NULL or 0 for the lab: */
	const char *reroot;      /* the vectors under this zone (absolute, lower case) */
	const char *key_dir;     /* stable keys (above); must exist, owner-only */
	uint16_t sentinel_tags[2]; /* reroot: the root KSK tags the RFC 8509 names carry */
	uint32_t sig_valid;      /* 0: valid signatures expire 40 days after now; else this
				  * many seconds after it (the bogus windows stay as they are) */
};

/* The expiration time of the valid signatures signer_build makes with opts (the first
 * time a re-sign is due for a zone that must stay valid). */
time_t signer_valid_until(const struct signer_opts *opts);

#define SIGNER_MAX_SERVERS 16

/* The steps 'trustprobe lab roll' takes the lab root through (signer_root_step). The lab
 * starts in the first one (the manifest's roll=publish-next). */
enum signer_root_step {
	SIGNER_ROOT_PUBLISH_NEXT = 0, /* current signs the DNSKEY RRset; next only published */
	SIGNER_ROOT_NEXT_SIGNS,       /* next signs alone; current still published */
	SIGNER_ROOT_CURRENT_REVOKED,  /* current published with REVOKE, signing beside next */
	SIGNER_ROOT_CURRENT_REMOVED   /* current gone; next signs */
};

#define SIGNER_MAX_ZONES 128

struct signer_zone_out {
	char name[256];   /* presentation form, with final dot */
	char server[32];  /* server role */
	char file[64];    /* file name under zones/ */
	int signed_zone;  /* 0 for unsigned zones */
};

struct signer_result {
	char lab_zone[256];       /* the manifest's "lab-zone" (the test TLD), with final dot */
	uint16_t ksk_current_tag; /* lab root KSK that signs and that resolvers trust */
	uint16_t ksk_next_tag;    /* lab root KSK that is published but does not sign */
	size_t n_zones;
	struct signer_zone_out zones[SIGNER_MAX_ZONES];
};

/* Builds the whole lab tree. On failure returns the status and writes a one-line
 * reason into err (never NULL-terminated past errlen). The caller owns res. */
enum signer_status signer_build(const struct signer_opts *opts, struct signer_result *res,
				char *err, size_t errlen);

/* A build whose keys stay in memory for later root re-signing (owned by the caller). */
struct signer_session;

/* As signer_build; on SIGNER_OK *out holds the session (free with signer_session_free),
 * which copies opts and everything it points at. */
enum signer_status signer_build_session(const struct signer_opts *opts,
					struct signer_result *res, struct signer_session **out,
					char *err, size_t errlen);

/* Re-signs the lab root for step with the session's keys and SOA serial, and replaces
 * zones/root.zone (by rename). Steps go forward only: once revoked, the current KSK stays
 * revoked. Returns SIGNER_OK, or a status with a one-line err. */
enum signer_status signer_root_step(struct signer_session *s, enum signer_root_step step,
				    uint32_t serial, char *err, size_t errlen);

/* serve rollover (serve.h): with finish 0, makes zone's next KSK (algorithm alg) in key_dir
 * unless one exists; a build with that key_dir and reroot == zone then publishes it and
 * signs with both. With finish 1, the next KSK replaces the current one (which is gone).
 * ds gets the DS lines (SHA-256) of the KSKs in force after the step. Returns SIGNER_OK,
 * or a status with one line in err. */
enum signer_status signer_keys_roll(const char *key_dir, const char *zone, uint8_t alg,
				    int finish, char *ds, size_t dslen, char *err, size_t errlen);

/* Frees the session and its keys (safe on NULL). */
void signer_session_free(struct signer_session *s);

#endif
