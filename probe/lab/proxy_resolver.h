/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy_resolver: the resolver mode of 'trustprobe lab proxy' (--resolver), a lying
 * recursive resolver for the lab (issue 9, the forwarder matrix). It answers recursive
 * queries on port 53 of one lab address, UDP and TCP, by forwarding each one, unchanged
 * but for its ID, over the client's transport to one lab resolver instance (--upstream,
 * which must be an instance of the lab plan, lab_plan.h), and relays the reply after
 * applying its lies. The lie "ad" (the default) sets AD on every NOERROR and NXDOMAIN
 * reply: bogus data and forged denials that a non-validating upstream hands out then
 * arrive marked as validated. A forwarder in front of it that copies AD passes the lie on;
 * one that validates must not (RFC 4035 3.2.3, 4.9.3; RFC 6840 5.8). "none" relays
 * honestly (a control). No reply from the upstream within PX_RESOLVER_TIMEOUT_S is
 * answered with SERVFAIL.
 *
 * One line per lie told and per SERVFAIL goes to stderr (the lab holder keeps it in
 * D/log/<instance>.log). SIGTERM or SIGINT stop it cleanly (exit status 0). */
#ifndef TP_PROXY_RESOLVER_H
#define TP_PROXY_RESOLVER_H
#include <stddef.h>
#include <stdint.h>

#define PX_RESOLVER_TIMEOUT_S 4.0

/* The lies, as bits. */
enum px_lie {
	PX_LIE_AD = 1 /* "ad": AD set on every NOERROR/NXDOMAIN reply */
};

/* Parses a comma-separated list of lies ("ad"; "none" alone for no lie; NULL means the
 * default, "ad") into *lies. 0, or -1 with one line in err. */
int px_lie_parse(const char *list, unsigned *lies, char *err, size_t errlen);

/* Checks the resolver mode's addresses: listen must be an IPv4 address of the lab plan
 * (a resolver instance or a spare address), upstream one resolver instance's address,
 * not listen itself. 0, or -1 with one line in err. */
int px_resolver_check(const char *listen, const char *upstream, char *err, size_t errlen);

/* Turns the upstream's reply (wire, len octets, modified in place) to the query sent with
 * ID up_id into the reply for the client that asked with client_id: checks that it is a
 * well-formed reply (QR set) with ID up_id, puts client_id back and applies lies.
 * Returns 1 if a lie changed it, 0 if only the ID changed, -1 if it is not such a reply
 * (the caller drops it). what gets "QNAME TYPE RCODE" for the log when the reply parses. */
int px_relay_reply(unsigned lies, uint16_t up_id, uint16_t client_id, uint8_t *wire,
		   size_t len, char *what, size_t whatlen);

/* "trustprobe lab proxy --resolver --listen ADDR --upstream ADDR [--lie LIST]
 * [--hostile MODE]" once parsed (listen or upstream may be NULL: a usage error; hostile
 * NULL: none, proxy_hostile.h). Serves until SIGTERM/SIGINT; returns the exit status (0
 * after a stop signal, 2 for bad usage or a setup failure). */
int px_resolver_main(const char *listen, const char *upstream, const char *lie,
		     const char *hostile);

#endif
