/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* preflight: checks the test zone before any case judges a resolver against it. The signer
 * writes a marker into the vectors' zone (testvectors/README, "The marker"):
 *     _trustprobe.<zone> TXT "trustprobe-vectors <version>"
 * and the probe asks the resolver under test for it with RD, DO and CD (CD: a resolver whose
 * anchor or clock is wrong still hands the zone's data over, so that its own validation
 * cannot hide the zone; DO: the RRSIG comes along). From that one answer this module says
 * whether the zone exists, is a trustprobe zone of the version the probe's catalogue asks
 * about, is signed, and is within its signatures' window at `now`. Pure: no I/O, no clock;
 * probe.c sends the query and gives the time. */
#ifndef TP_PREFLIGHT_H
#define TP_PREFLIGHT_H
#include <stddef.h>
#include "query.h"
#include "report.h"

#define TP_MARKER_LABEL "_trustprobe"          /* owner: TP_MARKER_LABEL.<zone> */
#define TP_MARKER_TEXT "trustprobe-vectors"    /* TXT: TP_MARKER_TEXT " " <version> */
/* A second TXT of the marker's RRset, written where the attacker proxy stands in front of
 * the zone's servers (a lab, trustprobe serve): the lab-only (attack) cases can run. */
#define TP_MARKER_ATTACKER "trustprobe-attacker"

/* Every outcome of tp_preflight_judge(), with the reason it writes (Z the zone). */
enum tp_preflight_status {
	TP_PF_OK = 0,         /* a trustprobe zone of the version wanted, signed by Z, one of
			       * the marker's RRSIGs valid at now; or the same with the
			       * signatures unchecked because the reply has no DO (the resolver
			       * does not do DNSSEC: zone-free cases fail it anyway) */
	TP_PF_LOCAL,          /* the query could not be sent (the probe's own error):
			       * "test zone Z could not be checked: <why>" */
	TP_PF_NO_ANSWER,      /* timeout, closed port, malformed replies, network error:
			       * "test zone Z could not be checked: no answer from the resolver: <why>" */
	TP_PF_NOT_RECURSIVE,  /* RA clear, REFUSED or AA: "not a recursive resolver...: ..." */
	TP_PF_UNREACHABLE,    /* SERVFAIL or another RCODE with CD: the resolver did not get the
			       * zone's data: "test zone Z could not be reached through the
			       * resolver: ..." */
	TP_PF_NOT_FOUND,      /* no zone Z (the denial comes from an ancestor, or carries no
			       * SOA): "test zone Z not found: ..." */
	TP_PF_NOT_TRUSTPROBE, /* Z is a zone, but no TXT marker, or another text there:
			       * "test zone Z is not a trustprobe zone: ..." */
	TP_PF_VERSION,        /* a marker of another version: "test zone Z holds the trustprobe
			       * vectors version N; this trustprobe needs version M: ..." */
	TP_PF_UNSIGNED,       /* the reply has DO but no RRSIG by Z over the marker:
			       * "test zone Z is not signed: ..." */
	TP_PF_EXPIRED,        /* every RRSIG of the marker expired: "test zone Z expired on DATE" */
	TP_PF_NOT_YET         /* none expired, none valid yet: "test zone Z is not valid before DATE" */
};

/* What the preflight found. zone_ok says whether the cases may use Z. */
struct tp_preflight {
	enum tp_preflight_status status;
	int zone_ok;            /* status == TP_PF_OK */
	int zone_fault;         /* the zone itself is wrong (not found, not a trustprobe zone,
				 * another version, unsigned, expired, not yet valid), not the
				 * resolver or the probe */
	int sigs_checked;       /* the marker's RRSIGs were read (the reply had DO) */
	unsigned version;       /* the version the marker names; 0 when there is none */
	int attacker;           /* the marker's RRset holds TP_MARKER_ATTACKER (read only
				 * when zone_ok) */
	long long valid_until;  /* the latest expiration of the marker's RRSIGs by Z (seconds
				 * since the epoch); 0 when none was read */
	char reason[TP_REASON_MAX]; /* one line; for TP_PF_OK, what was checked */
};

/* Fills *q (overwritten) with the marker query for zone ("test." or "tp.example.net", with
 * or without the final dot): TP_MARKER_LABEL.<zone> TXT with RD, DO and CD. Returns 0, or
 * -1 when the name does not fit a DNS name. */
int tp_preflight_query(const char *zone, struct tp_query *q);

/* Judges obs, the observation of that query, for zone at time now (seconds since the
 * epoch). want_version is the version the probe's vectors carry (testvectors/manifest
 * "version"); 0 accepts any. An observation with local_err set is TP_PF_LOCAL. Fills *pf
 * (overwritten); reads only its arguments. Dates in reasons are UTC,
 * "YYYY-MM-DD HH:MM:SS UTC". */
void tp_preflight_judge(const struct tp_observation *obs, const char *zone,
			unsigned want_version, long long now, struct tp_preflight *pf);

#endif
