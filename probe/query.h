/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* query: the query engine. Sends DNS queries to one resolver and records what came back as
 * observations; it decides nothing about DNSSEC (the evaluators do that from observations).
 * Targets are IP literals only: nothing here ever resolves a name through the system. */
#ifndef TP_QUERY_H
#define TP_QUERY_H
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ede.h"

#define TP_DNS_PORT 53
#define TP_EDNS_BUFSIZE_DEFAULT 1232

/* One resolver address. label is the canonical text form: "ADDR" when the port is 53,
 * else "ADDR@PORT"; a scoped IPv6 address keeps its "%IFNAME". */
struct tp_target {
	struct sockaddr_storage ss;
	socklen_t sslen;
	char label[96];
};

/* Parses "ADDR" or "ADDR@PORT" (IPv4 or IPv6, e.g. "127.0.0.1", "::1@5353"; IPv6 may carry
 * a scope, "fe80::1%eth0", if the interface exists). PORT is decimal, 1..65535; default 53.
 * Anything else, host names included, is rejected.
 * Returns 0 and fills *t; or -1 with a one-line reason in err (err may be NULL).
 * Nothing is allocated. */
int tp_target_parse(const char *s, struct tp_target *t, char *err, size_t errlen);

/* Outcomes of tp_resolvconf_read(). */
enum tp_resolvconf_status {
	TP_RESOLVCONF_OK = 0,      /* every nameserver line was usable; *n >= 1 */
	TP_RESOLVCONF_PARTIAL = 1, /* *n >= 1, but some nameserver lines were skipped (bad
				    * address, unknown interface, more than max); err names the
				    * first one and how many were skipped */
	TP_RESOLVCONF_ERR = -1     /* file unreadable, or no usable nameserver; *n == 0, err
				    * says why */
};

/* Reads the `nameserver` lines of a resolv.conf-format file at path into out[0..max) (port
 * 53; the file format has no port). Comments ('#' or ';') and other options are ignored.
 * The caller owns out, n and err; nothing is allocated. */
enum tp_resolvconf_status tp_resolvconf_read(const char *path, struct tp_target *out, size_t max,
					     size_t *n, char *err, size_t errlen);

/* Per-query flags. */
enum {
	TP_Q_RD = 1,      /* set RD */
	TP_Q_CD = 2,      /* set CD */
	TP_Q_AD = 4,      /* set AD (RFC 6840 5.7: ask for the AD bit without DO) */
	TP_Q_DO = 8,      /* set the EDNS DO bit (invalid together with TP_Q_NOEDNS) */
	TP_Q_NOEDNS = 16, /* send no OPT record */
	TP_Q_TCP = 32     /* TCP only; without it: UDP, then TCP if the UDP answer has TC */
};

/* One query, class IN. qname in presentation format ("example.com." or "example.com"). */
struct tp_query {
	char qname[256];
	uint16_t qtype;
	unsigned flags;   /* TP_Q_* */
	uint16_t bufsize; /* EDNS UDP payload size; 0 = TP_EDNS_BUFSIZE_DEFAULT */
};

/* Every outcome of one query. */
enum tp_obs_status {
	TP_OBS_ANSWER = 0, /* a reply matching ID, question and source was accepted; pkt set */
	TP_OBS_TIMEOUT,    /* no acceptable reply within the tries or before the deadline;
			    * mismatched replies, if any, were dropped and counted */
	TP_OBS_REFUSED,    /* ICMP port unreachable (UDP) or connection refused (TCP) */
	TP_OBS_MALFORMED,  /* only replies that did not parse (or TCP replies with TC,
			    * which are incomplete) came (malformed > 0, no mismatches, no
			    * answer) */
	TP_OBS_ERROR       /* could not run the query: bad qname or flags, no socket, network
			    * error (unreachable), TCP closed without an answer; local_err
			    * says whether the cause lies with this host */
};

enum tp_transport { TP_TRANSPORT_UDP = 0, TP_TRANSPORT_TCP };

#define TP_EDE_MAX 4

/* What one query observed. Filled by tp_query_run(); the observation owns pkt and wire,
 * and tp_observation_clear() frees them. */
struct tp_observation {
	enum tp_obs_status status;
	ldns_pkt *pkt;               /* accepted answer (ANSWER only), else NULL */
	uint8_t *wire;               /* raw bytes of the accepted answer (ANSWER only) */
	size_t wirelen;
	int truncated;               /* a UDP answer came with TC=1 (then TCP was tried) */
	int used_tcp;                /* TCP was used: TP_Q_TCP, or fallback after TC */
	enum tp_transport transport; /* transport of the last try (of the answer, if any) */
	double rtt_ms;               /* answer time minus the first send on the final
				      * transport (UDP: first datagram, even if a resend was
				      * answered; TCP: connect of the connection that answered) */
	unsigned attempts;           /* UDP datagrams sent + TCP connections opened */
	unsigned mismatches;         /* replies dropped: ID, question, source or QR mismatch */
	unsigned malformed;          /* replies dropped because they did not parse, or
				      * came over TCP with TC set (incomplete) */
	unsigned tc_over_tcp;        /* of those, the TCP replies with TC set */
	uint16_t id;                 /* DNS ID of the last query sent */
	size_t n_ede;                /* Extended DNS Errors (RFC 8914) of the answer: */
	uint16_t ede[TP_EDE_MAX];    /* their INFO-CODEs, in reply order (ANSWER only) */
	char ede_text[TP_EDE_MAX][TP_EDE_TEXT_MAX]; /* and their EXTRA-TEXT (ede.h), "" */
	char reason[128];            /* one line for non-answers; "" for ANSWER */
	int local_err;               /* ERROR only: the errno of a failure of this host, not of
				      * the network or the resolver: a socket that could not be
				      * made (EMFILE, ENFILE, ENOBUFS, ENOMEM, EACCES, ...), no
				      * source address or port (EADDRNOTAVAIL), a send the host
				      * forbids (EPERM, EACCES), out of memory, poll() failing;
				      * EINVAL for a query that could not be built. 0 otherwise */
};

/* Writes the INFO-CODEs of the EDE options (code 15) in p's OPT record into codes[0..max)
 * and returns how many there are (at most max); 0 without OPT. Reads only p. The engine
 * fills tp_observation.ede with it; tests that build observations call it too. */
size_t tp_pkt_ede(const ldns_pkt *p, uint16_t *codes, size_t max);

/* As tp_pkt_ede, with each error's EXTRA-TEXT (ede.h, tp_ede_parse: malformed options are
 * skipped, an overrun ends the list). The engine fills tp_observation.ede and ede_text
 * with it. */
size_t tp_pkt_ede_list(const ldns_pkt *p, struct tp_ede *out, size_t max);

/* Timing for one tp_query_run() call. */
struct tp_query_opts {
	double try_timeout; /* seconds per try (UDP datagram or TCP connection), > 0 */
	int retries;        /* extra tries per transport after the first, >= 0 */
	double deadline;    /* absolute tp_now() time no query outlives; 0 = none */
	unsigned max_open;  /* queries in flight (sockets open) at once; 0 = no cap. Queries
			     * wait their turn in q[] order: a cap of 1 sends them one by one */
};

/* Runs q[0..n) against target t concurrently (one thread, poll()) and writes obs[0..n).
 * Each query gets a fresh random ID and its own socket (kernel-chosen source port); at most
 * o->max_open of them are open at once, started in q[] order as earlier ones finish (a query
 * still waiting at the deadline ends as a timeout, "deadline reached before it was sent"). obs[]
 * is overwritten without being freed: pass fresh or cleared observations. o may be NULL
 * (2 s per try, 2 retries, no deadline). The call returns no later than o->deadline.
 * Returns 0 when every obs[i] holds an outcome (any status); -1 on invalid arguments
 * (NULL t/q/obs, bad o) with nothing written. The caller owns everything passed in; it
 * owns the observations' contents afterwards and frees them with tp_observation_clear(). */
int tp_query_run(const struct tp_target *t, const struct tp_query *q, struct tp_observation *obs,
		 size_t n, const struct tp_query_opts *o);

/* Frees what obs owns (pkt, wire) and zeroes it. Safe on a zeroed or already cleared one. */
void tp_observation_clear(struct tp_observation *obs);

/* Stable lower-case name of a status ("answer", "timeout", "refused", "malformed",
 * "error"); static storage. */
const char *tp_obs_status_str(enum tp_obs_status s);

#endif
