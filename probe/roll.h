/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* roll: the real root's trust anchors and key-roll calendar, as facts (no I/O, nothing is
 * fetched). Sources: IANA's root-anchors.xml and ICANN/IANA roll announcements, as
 * collected in shared/FACTS.md. All times are UTC. Static data owned by roll.c. */
#ifndef TP_ROLL_H
#define TP_ROLL_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* One root KSK. */
struct tp_root_key {
	const char *name;        /* "KSK-2024" */
	uint16_t tag;            /* 38696 */
	uint16_t revoked_tag;    /* its tag with the REVOKE bit set (flags 385) */
	uint8_t alg;             /* 8 */
	const char *ds_sha256;   /* DS digest type 2, upper-case hex */
};

enum tp_roll_kind {
	TP_ROLL_PUBLISH = 0, /* the key appears in the root DNSKEY RRset */
	TP_ROLL_SIGN,        /* the key starts signing the root DNSKEY RRset (and the old stops) */
	TP_ROLL_REVOKE,      /* the key is published with the REVOKE bit */
	TP_ROLL_REMOVE       /* the key leaves the root DNSKEY RRset */
};

/* One published step of a roll. */
struct tp_roll_event {
	const char *date;    /* "2026-10-11" */
	enum tp_roll_kind kind;
	uint16_t tag;        /* the key the step is about */
	int unverified;      /* the date rests on one secondary source */
	const char *what;    /* one line for reports */
};

/* The real root KSKs (2010, 2017, 2024) and their count. */
const struct tp_root_key *tp_root_keys(size_t *n);
/* Looks a root KSK up by tag or revoked tag; NULL if unknown. */
const struct tp_root_key *tp_root_key_find(uint16_t tag);
/* The calendar in date order, and its count. */
const struct tp_roll_event *tp_roll_events(size_t *n);
/* Seconds since the epoch of an event's date at 00:00 UTC. */
time_t tp_roll_event_time(const struct tp_roll_event *e);
/* The tag of the KSK that signs the root DNSKEY RRset at time now (the last SIGN step
 * at or before now). */
uint16_t tp_roll_key_in_force(time_t now);
/* The first step strictly after now, or NULL when none is published. */
const struct tp_roll_event *tp_roll_next(time_t now);
/* Whole days from now until t (negative when t is past), rounded down. */
long tp_days_until(time_t now, time_t t);
/* Parses "YYYY-MM-DD" (00:00 UTC) or "YYYY-MM-DDTHH:MM:SSZ" into *out. 0, or -1. */
int tp_parse_date(const char *s, time_t *out);
/* Writes t as "YYYY-MM-DD" into buf (at least 11 bytes). */
void tp_format_date(time_t t, char *buf, size_t len);

#endif
