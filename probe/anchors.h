/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* anchors: reads local trust-anchor material and judges it against the root key in force,
 * with no network. Formats: plain DNSKEY/DS zone lines (/usr/share/dns/root.key, root.ds,
 * Knot Resolver's key file), unbound's auto-trust-anchor-file (RFC 5011 states), BIND's
 * trust-anchors / managed-keys / trusted-keys statements (bind.keys, named.conf) and its
 * managed-keys.bind KEYDATA state, dnsmasq trust-anchor= lines, PowerDNS Recursor Lua
 * (addTA, clearTA, readTrustAnchorsFromFile, dofile) and IANA's root-anchors.xml (RFC 9718).
 * Everything is plain data owned by the caller's struct; only tp_ta_read does I/O. */
#ifndef TP_ANCHORS_H
#define TP_ANCHORS_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum tp_ta_format {
	TP_TA_FMT_PLAIN = 0,  /* DNSKEY/DS records in zone-file syntax */
	TP_TA_FMT_UNBOUND,    /* unbound auto-trust-anchor-file */
	TP_TA_FMT_BIND_CONF,  /* BIND trust-anchors/managed-keys/trusted-keys statements */
	TP_TA_FMT_BIND_STATE, /* BIND managed-keys.bind (KEYDATA records) */
	TP_TA_FMT_DNSMASQ,    /* dnsmasq trust-anchor=DOMAIN,TAG,ALG,DIGTYPE,DIGEST */
	TP_TA_FMT_PDNS_LUA,   /* PowerDNS Recursor Lua configuration */
	TP_TA_FMT_IANA_XML    /* IANA root-anchors.xml */
};

/* What the source says about one key. */
enum tp_ta_state {
	TP_TA_STATIC = 0,  /* configured, no RFC 5011 state: trusted while it is there */
	TP_TA_INITIAL,     /* BIND initial-key/initial-ds: trusted at first start, then RFC 5011 */
	TP_TA_START,       /* RFC 5011 states (unbound's numbering 0..5) */
	TP_TA_ADDPEND,
	TP_TA_VALID,
	TP_TA_MISSING,
	TP_TA_REVOKED,
	TP_TA_REMOVED
};

#define TP_TA_MAX_KEYS 16
#define TP_TA_MAX_INCLUDES 4

struct tp_ta_key {
	uint16_t tag;          /* key tag (of the DNSKEY as written, REVOKE bit included) */
	uint8_t alg;
	int is_ds;             /* 1: a DS (digest below), 0: a DNSKEY */
	uint8_t digest_type;   /* DS only */
	char digest[132];      /* DS only: upper-case hex */
	uint16_t flags;        /* DNSKEY only */
	int revoke_bit;        /* DNSKEY flags carry REVOKE (0x0080) */
	enum tp_ta_state state;
	long long lastchange;  /* unbound: when the state last changed; 0 unknown */
	long long valid_from;  /* XML: validFrom; 0 none */
	long long valid_until; /* XML: validUntil; 0 none */
	unsigned line;         /* where it is written */
};

struct tp_ta_source {
	char path[4096];
	enum tp_ta_format format;
	size_t n;
	struct tp_ta_key keys[TP_TA_MAX_KEYS]; /* root keys only */
	size_t n_other;        /* entries for zones other than the root (not judged) */
	long long last_success; /* unbound: last successful probe; BIND: from KEYDATA; 0 none */
	long long next_probe;  /* unbound next_probe_time / BIND refresh; 0 none */
	int cleared;           /* PowerDNS: clearTA() before the addTA lines */
	size_t n_includes;     /* PowerDNS: files it loads (readTrustAnchorsFromFile, dofile) */
	char includes[TP_TA_MAX_INCLUDES][1024];
	int include_is_anchor[TP_TA_MAX_INCLUDES]; /* 1 readTrustAnchorsFromFile, 0 dofile */
	char err[640];         /* "path:line: reason" after a failed parse */
};

/* Parses text (len bytes, need not be NUL-terminated) as a trust-anchor source named path,
 * detecting its format. Returns 0, or -1 with src->err set (src->keys up to the error stay
 * filled). Pure: no I/O. */
int tp_ta_parse(const char *path, const char *text, size_t len, struct tp_ta_source *src);

/* Reads path (a regular file of at most 1 MiB; a FIFO or device is refused without
 * blocking) and parses it. Returns 0, or -1 with src->err. */
int tp_ta_read(const char *path, struct tp_ta_source *src);

/* The judgement on one source. */
struct tp_ta_judgement {
	uint16_t in_force;       /* the key that signs now */
	int in_force_trusted;    /* the key in force is a trust anchor now (Valid where stateful) */
	enum tp_ta_state in_force_state; /* its state, when listed */
	int in_force_listed;     /* the key in force appears at all (maybe AddPend, a bad DS) */
	int digest_mismatch;     /* a DS names the tag in force with another digest */
	int only_revoked;        /* no usable anchor: every root key listed is revoked/removed */
	uint16_t retired_trusted; /* a trusted key that the calendar has revoked or removed, or 0 */
	long stale_days;         /* days since the last successful refresh (stateful), or -1 */
	int stale;               /* stale_days > 7: the resolver is not keeping the file fresh */
	int status;              /* 0 key in force trusted, 1 not (or only revoked) */
	char summary[400];       /* one line a person can act on */
};

/* Judges src at time now against the key in force (a tag; the real root's comes from
 * tp_roll_key_in_force, a lab's from lab.env). real_root: also check DS digests against
 * the known root KSK digests. Pure. */
void tp_ta_judge(const struct tp_ta_source *src, time_t now, uint16_t in_force, int real_root,
		 struct tp_ta_judgement *j);

/* Names for reports: "unbound auto-trust-anchor-file", "VALID", ... Never NULL. */
const char *tp_ta_format_name(enum tp_ta_format f);
const char *tp_ta_state_name(enum tp_ta_state s);

/* The Debian default trust-anchor files of each installed resolver, as "program path"
 * pairs, with exists[i] saying whether the file is there (unbound's is made at its first
 * start); fills up to max entries and returns how many. */
size_t tp_ta_default_paths(const char *paths[][2], int *exists, size_t max);

#endif
