/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* manifest: parses testvectors/manifest, the list of lab zones and how the signer builds
 * each one. The syntax is documented in testvectors/README. The parser only checks
 * syntax and the relations between lines (duplicates, parents, lab-zone); the signer
 * resolves server roles and templates. */
#ifndef TP_MANIFEST_H
#define TP_MANIFEST_H
#include <stddef.h>
#include <stdint.h>
#include "signer.h"

#define MANIFEST_MAX_ZONES SIGNER_MAX_ZONES
#define MANIFEST_NAME_MAX 256 /* presentation name with final dot, NUL included */

enum manifest_denial { MANIFEST_NSEC, MANIFEST_NSEC3 };

/* Signature window, relative to signer_opts.now (see testvectors/README). */
enum manifest_window { MANIFEST_WIN_NORMAL, MANIFEST_WIN_EXPIRED, MANIFEST_WIN_NOTYET };

/* What the parent publishes as DS for the zone. */
enum manifest_ds {
	MANIFEST_DS_NORMAL,      /* SHA-256 DS of the zone's KSK */
	MANIFEST_DS_MISMATCH,    /* tag and algorithm of the KSK, digest of a throwaway key */
	MANIFEST_DS_UNKNOWN_ALG, /* DS of the KSK with its algorithm field set to 100 */
	MANIFEST_DS_NONE         /* no DS: the parent's denial proves the delegation insecure */
};

/* Root KSK roll step (root zone only). */
enum manifest_roll {
	MANIFEST_ROLL_PUBLISH_NEXT,   /* current signs DNSKEY, next is only published */
	MANIFEST_ROLL_NEXT_SIGNS,     /* current and next both sign the DNSKEY RRset */
	MANIFEST_ROLL_CURRENT_REVOKED /* current published with REVOKE (0x0080), both sign */
};

/* bend=: the attacker's own signer (model Z, ATTACKS.md D and E3) signing malformed but
 * cryptographically valid records with the zone's own keys. */
enum manifest_bend {
	MANIFEST_BEND_NONE,
	MANIFEST_BEND_LABELS,       /* labels:OWNER:TYPE:N   RRSIG Labels N over OWNER/TYPE */
	MANIFEST_BEND_NSEC_NEXT,    /* nsec-next:OWNER:NEXT  the NSEC at OWNER points at NEXT */
	MANIFEST_BEND_REVOKED_SIGNS, /* revoked-signs:OWNER:TYPE  a REVOKEd DNSKEY signs it */
	MANIFEST_BEND_NSEC3_OWNER   /* nsec3-owner:NAME  an NSEC3 at NAME (outside the zone,
				     * spanning every hash), in zones/<file>.bent */
};

struct manifest_zone {
	char name[MANIFEST_NAME_MAX]; /* lower case, with final dot; "." for the root */
	char template_file[128];      /* path under <vectors>/zones/ */
	char server[32];              /* server role */
	int line;                     /* manifest line that declared it */
	uint8_t alg;                  /* DNSSEC algorithm number; 0 = unsigned */
	uint8_t digest;               /* DS digest type the parent publishes: 1, 2 (default),
				       * 4, or an unassigned type (SHA-256 bytes under it) */
	uint8_t relabel;              /* 0, or the algorithm number every DNSKEY and RRSIG of
				       * the zone carries after signing: an unassigned one, or
				       * 253 (PRIVATEDNS with an unknown name) */
	enum manifest_denial denial;
	uint16_t iterations;          /* NSEC3 only */
	uint8_t salt_len;             /* NSEC3 only; 0 = no salt */
	uint8_t salt[255];
	int optout;                   /* NSEC3 only: 1 = opt-out */
	enum manifest_window window;
	enum manifest_ds ds;
	char corrupt_owner[MANIFEST_NAME_MAX]; /* fault=corrupt-rrsig:<label>; "" = none */
	char sentinel_addr[64];       /* sentinel=<IPv4>: RFC 8509 names; "" = none */
	enum manifest_roll roll;      /* root only */
	enum manifest_bend bend;
	char bend_owner[MANIFEST_NAME_MAX]; /* relative to the zone */
	uint16_t bend_type;
	uint8_t bend_labels;
	char bend_next[MANIFEST_NAME_MAX];  /* absolute (nsec-next, nsec3-owner) */
	char via[32];                 /* via=ROLE: glue and ns.<zone> A name ROLE's address; "" = server's */
	char keys_from[MANIFEST_NAME_MAX]; /* keys=ZONE: signed with the key of that zone of
				       * the manifest (same algorithm); "" = a key of its own */
};

struct manifest {
	char path[4096];
	char lab_zone[MANIFEST_NAME_MAX];
	unsigned version;             /* "version N": of these test vectors, 1 when not given;
				       * the signer writes it into lab_zone's marker */
	int version_line;             /* the line that gave it, 0 if none */
	size_t n_zones;
	struct manifest_zone zones[MANIFEST_MAX_ZONES];
};

/* Reads and checks the manifest at path into m (caller-owned, may be large: allocate
 * it on the heap). Returns 0, or -1 with "path:line: reason" (or "path: reason") in err. */
int manifest_load(const char *path, struct manifest *m, char *err, size_t errlen);
#define MANIFEST_FILE_MAX (1u << 20) /* the largest manifest manifest_load reads */
/* Parses text[0..len) (a manifest read whole; path names it in messages and m->path) as
 * manifest_load does. */
int manifest_parse(const char *text, size_t len, const char *path, struct manifest *m,
		   char *err, size_t errlen);

/* Index of the closest enclosing zone of zone i in m (its parent), or -1 for the root
 * or when no manifest zone encloses it. */
int manifest_parent(const struct manifest *m, size_t i);

/* serve (issue 13): the test vectors under another name. manifest_reroot moves the
 * lab-zone to zone (absolute, lower case, not the root) and every zone below it under
 * zone, with the names their lines give (keys=, bend= targets); zones that are not below
 * the lab-zone (the lab root) are left out. Returns 0, or -1 with one line in err (a name
 * that would be too long). */
int manifest_reroot(struct manifest *m, const char *zone, char *err, size_t errlen);

/* name moved from below from to below to (from itself becomes to), into out: 1; 0 when
 * name is neither from nor below it (out untouched); -1 when the result does not fit
 * outlen or 254 characters. Case-insensitive. */
int manifest_reroot_name(const char *name, const char *from, const char *to, char *out,
			 size_t outlen);

#endif
