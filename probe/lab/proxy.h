/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy: the lab's attacker (issue 7, "Forged denial of existence"). A DNS server on
 * port 53 of one lab address, UDP and TCP, that stands in front of the lab's nsd
 * instances: a query that no rule (testvectors/attacks) matches is forwarded unchanged to
 * the nsd serving the query's zone and its reply relayed unchanged; a query a rule
 * matches gets the genuine reply (asked with DO over TCP), rewritten by the rule's
 * operations (proxy_ops.h). It only ever sends to lab authoritative servers named with
 * --upstream, which must be addresses of the lab plan (lab_plan.h).
 *
 * One line per rewritten or refused query goes to stderr; the lab holder sends it to
 * D/log/proxy.log. SIGTERM or SIGINT stop it cleanly (exit status 0). */
#ifndef TP_PROXY_H
#define TP_PROXY_H
#include <stddef.h>
#include <ldns/ldns.h>
#include "proxy_rules.h"
#include "signer.h" /* SIGNER_MAX_ZONES */

/* "trustprobe lab proxy --listen ADDR --upstream ADDR[,ADDR...] --rules FILE
 * [--zone-dir D]", or with --resolver the lying resolver (proxy_resolver.h); argv[0] is
 * "proxy". With --serve (what 'trustprobe serve' starts, serve.h): --listen ADDR[@PORT]
 * (IPv4 or IPv6), one --upstream on loopback (ADDR[@PORT]: serve's own nsd, which holds
 * every zone), ANY, AXFR, IXFR and classes other than IN refused, --ratelimit QPS per
 * source (proxy_rrl.h; default 200, 0: none), and --user NAME: the user and its groups it
 * changes to once its sockets are bound (needs root). Returns the exit status (0 after a
 * stop signal, 2 for bad usage or a setup failure); never calls exit(). */
int px_main(int argc, char **argv);

/* Routing table: which upstream serves which zone (from D/zones.list). Owned by the
 * caller; filled by px_routes_load, freed by px_routes_free. */
#define PX_MAX_UPSTREAMS 8
#define PX_MAX_ROUTES SIGNER_MAX_ZONES /* a route per zone the signer can build */
struct px_routes {
	size_t n_up;
	char up[PX_MAX_UPSTREAMS][64]; /* allowed upstream addresses, "ADDR[@PORT]" */
	int one_upstream;              /* serve: every zone of zones.list goes to up[0] */
	size_t n;
	ldns_rdf *zone[PX_MAX_ROUTES];
	char addr[PX_MAX_ROUTES][64];
	char file[PX_MAX_ROUTES][128]; /* the signer's output file, under dir/zones/ */
	char dir[4096];                /* zone_dir, "" without one */
};

/* Reads zones.list ("<zone> <role> <file>" lines) from zone_dir and maps each role to
 * its address in the lab plan. With zone_dir NULL the table is empty and every query goes
 * to the first upstream. Zones whose server is not among the upstreams are left out.
 * Returns 0, or -1 with "path:line: reason" in err. */
int px_routes_load(struct px_routes *rt, const char *zone_dir, char *err, size_t errlen);
void px_routes_free(struct px_routes *rt);
/* The upstream address for a question: the server of the closest enclosing zone (for DS
 * at a zone apex: of its parent). NULL if no allowed upstream serves it. */
const char *px_route(const struct px_routes *rt, const ldns_rdf *qname, uint16_t qtype);
/* A pseudo-reply holding every record of zone (presentation form, absolute) in its answer
 * section, read from the signer's output in the zone dir; NULL if the zone is not routed
 * or its file does not parse. The caller frees it. */
ldns_pkt *px_load_zone(const struct px_routes *rt, const char *zone);

#endif
