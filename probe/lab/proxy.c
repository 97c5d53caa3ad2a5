/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * proxy: the attacker proxy's server loop (see proxy.h). One thread, one ppoll() loop
 * over a UDP socket, a TCP listener and at most PX_MAX_CONNS TCP clients. Upstream
 * exchanges with nsd are synchronous with a short timeout: the upstreams are nsd
 * instances on the namespace loopback, which answer in well under a millisecond. */
#include "proxy.h"
#include "lab_plan.h"
#include "proxy_ledger.h"
#include "proxy_net.h"
#include "proxy_ops.h"
#include "proxy_resolver.h"
#include "proxy_rrl.h"
#include "query.h" /* tp_target_parse */
#include "tp_util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define UPSTREAM_TIMEOUT_MS 1500
#define ZONE_FILE_MAX (256u << 20) /* a signed zone the signer wrote (px_load_zone) */

struct proxy {
	struct px_rules rules;
	struct px_routes rt;
	int udp, tcp;
	struct px_conn c[PX_MAX_CONNS];
	unsigned long served, forged, refused;
	int serve;           /* 'trustprobe serve' (--serve): refuses ANY and zone transfers */
	struct px_rrl *rrl;  /* --ratelimit (serve): the per-source limit, or NULL */
	struct px_ledger *ledger; /* the replies forged, per source and rule (proxy_ledger.h) */
	int ledger_fd;            /* serve: the file all its proxies share the ledger in, or -1 */
};

/* ---- the ledger ---- */

/* serve runs several proxies (per address, --workers), and a resolver's attacked query and
 * its ledger question may meet different ones: they share the ledger in zone_dir/ledger,
 * mapped by each, under flock(2). It outlives serve's restarts, as the resolvers' caches
 * of what it forged do (a bogus answer cached from the last instance is still that
 * forgery's doing); a file of another size or layout is started afresh. Times in it are
 * the wall clock's, which a reboot keeps. */
static struct px_ledger *ledger_map(const char *zone_dir, int *fd, char *err, size_t errlen)
{
	char path[4096];
	struct stat st;
	*fd = -1;
	if (tp_pathf(path, sizeof path, "%s/ledger", zone_dir) != 0) {
		snprintf(err, errlen, "%.900s/ledger: path too long", zone_dir);
		return NULL;
	}
	int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	const char *why = NULL;
	if (f < 0 || flock(f, LOCK_EX) != 0 || fstat(f, &st) != 0)
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_size != (off_t)sizeof(struct px_ledger) &&
		 (ftruncate(f, 0) != 0 || ftruncate(f, (off_t)sizeof(struct px_ledger)) != 0))
		why = strerror(errno);
	void *m = MAP_FAILED;
	if (!why && (m = mmap(NULL, sizeof(struct px_ledger), PROT_READ | PROT_WRITE, MAP_SHARED,
			      f, 0)) == MAP_FAILED)
		why = strerror(errno);
	if (why) {
		snprintf(err, errlen, "%.900s: cannot use it as the ledger: %s", path, why);
		if (f >= 0)
			close(f);
		return NULL;
	}
	struct px_ledger *l = m;
	if (l->magic != PX_LEDGER_MAGIC || l->used > PX_LEDGER_SLOTS)
		px_ledger_init(l);
	flock(f, LOCK_UN);
	*fd = f;
	return l;
}

/* The ledger's clock: the wall clock (serve's file outlives a reboot). */
static double ledger_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void ledger_note(struct proxy *px, const char *peer, int rule)
{
	if (px->ledger_fd >= 0)
		flock(px->ledger_fd, LOCK_EX);
	px_ledger_note(px->ledger, peer, rule, ledger_now());
	if (px->ledger_fd >= 0)
		flock(px->ledger_fd, LOCK_UN);
}

static void ledger_text(struct proxy *px, const char *peer, int rule, char *out, size_t n)
{
	if (px->ledger_fd >= 0)
		flock(px->ledger_fd, LOCK_SH);
	px_ledger_text(px->ledger, peer, rule, rule >= 0 ? px->rules.rule[rule].id : "",
		       ledger_now(), out, n);
	if (px->ledger_fd >= 0)
		flock(px->ledger_fd, LOCK_UN);
}

/* ---- routing ---- */

static int addr_is_lab_server(const char *a)
{
	size_t n;
	const struct lab_server *s = lab_servers(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].addr, a) == 0)
			return 1;
	return 0;
}

int px_routes_load(struct px_routes *rt, const char *zone_dir, char *err, size_t errlen)
{
	rt->n = 0;
	rt->dir[0] = '\0';
	if (!zone_dir)
		return 0;
	snprintf(rt->dir, sizeof rt->dir, "%s", zone_dir);
	char path[4096];
	if (tp_pathf(path, sizeof path, "%s/zones.list", zone_dir) != 0) {
		snprintf(err, errlen, "%s/zones.list: path too long", zone_dir);
		return -1;
	}
	FILE *f = tp_fopen_read(path, 1 << 20);
	if (!f) {
		snprintf(err, errlen, "%s: cannot read: %s", path, tp_read_strerror(errno));
		return -1;
	}
	char line[1024];
	int ln = 0;
	while (fgets(line, sizeof line, f)) {
		ln++;
		char name[512], role[64], file[512];
		if (sscanf(line, "%511s %63s %511s", name, role, file) != 3) {
			snprintf(err, errlen, "%s:%d: not \"<zone> <role> <file>\"", path, ln);
			fclose(f);
			return -1;
		}
		/* serve: one nsd holds every zone */
		const char *a = rt->one_upstream ? rt->up[0] : lab_server_addr(role);
		if (!a) {
			snprintf(err, errlen, "%s:%d: server role '%s' is not in the lab plan", path,
				 ln, role);
			fclose(f);
			return -1;
		}
		int allowed = 0;
		for (size_t i = 0; i < rt->n_up; i++)
			allowed |= strcmp(rt->up[i], a) == 0;
		if (!allowed)
			continue;
		if (rt->n >= PX_MAX_ROUTES) {
			snprintf(err, errlen, "%s:%d: more than %d zones", path, ln, PX_MAX_ROUTES);
			fclose(f);
			return -1;
		}
		ldns_rdf *z = NULL;
		if (ldns_str2rdf_dname(&z, name) != LDNS_STATUS_OK || !z) {
			snprintf(err, errlen, "%s:%d: bad zone name '%s'", path, ln, name);
			fclose(f);
			return -1;
		}
		ldns_dname2canonical(z);
		if (strlen(file) >= sizeof rt->file[0] || strchr(file, '/')) {
			snprintf(err, errlen, "%s:%d: bad zone file name '%s'", path, ln, file);
			ldns_rdf_deep_free(z);
			fclose(f);
			return -1;
		}
		rt->zone[rt->n] = z;
		snprintf(rt->file[rt->n], sizeof rt->file[rt->n], "%s", file);
		snprintf(rt->addr[rt->n], sizeof rt->addr[rt->n], "%s", a);
		rt->n++;
	}
	fclose(f);
	return 0;
}

void px_routes_free(struct px_routes *rt)
{
	for (size_t i = 0; i < rt->n; i++)
		ldns_rdf_deep_free(rt->zone[i]);
	rt->n = 0;
}

const char *px_route(const struct px_routes *rt, const ldns_rdf *qname, uint16_t qtype)
{
	if (rt->n == 0)
		return rt->n_up ? rt->up[0] : NULL;
	ldns_rdf *q = ldns_rdf_clone(qname);
	if (!q)
		return NULL;
	ldns_dname2canonical(q);
	int best = -1;
	size_t best_labels = 0;
	for (size_t i = 0; i < rt->n; i++) {
		const ldns_rdf *z = rt->zone[i];
		if (!(ldns_dname_compare(q, z) == 0 || ldns_dname_is_subdomain(q, z)))
			continue;
		if (qtype == LDNS_RR_TYPE_DS && ldns_dname_compare(q, z) == 0 &&
		    ldns_dname_label_count(z) > 0)
			continue; /* the DS of a zone lives in its parent */
		size_t l = ldns_dname_label_count(z);
		if (best < 0 || l > best_labels) {
			best = (int)i;
			best_labels = l;
		}
	}
	ldns_rdf_deep_free(q);
	return best < 0 ? NULL : rt->addr[best];
}

ldns_pkt *px_load_zone(const struct px_routes *rt, const char *zone)
{
	ldns_rdf *z = NULL;
	if (!rt->dir[0] || ldns_str2rdf_dname(&z, zone) != LDNS_STATUS_OK || !z)
		return NULL;
	ldns_dname2canonical(z);
	int k = -1;
	for (size_t i = 0; i < rt->n && k < 0; i++)
		if (ldns_dname_compare(rt->zone[i], z) == 0)
			k = (int)i;
	ldns_rdf_deep_free(z);
	char path[4200];
	if (k < 0 || tp_pathf(path, sizeof path, "%s/zones/%s", rt->dir, rt->file[k]) != 0)
		return NULL;
	FILE *f = tp_fopen_read(path, ZONE_FILE_MAX);
	if (!f)
		return NULL;
	ldns_zone *zn = NULL;
	int line = 0;
	ldns_status st = ldns_zone_new_frm_fp_l(&zn, f, NULL, 3600, LDNS_RR_CLASS_IN, &line);
	fclose(f);
	if (st != LDNS_STATUS_OK || !zn)
		return NULL;
	/* <file>.bent: records the attacker's signer made outside its zone (bend=) */
	char bpath[4300];
	snprintf(bpath, sizeof bpath, "%s.bent", path);
	if ((f = tp_fopen_read(bpath, ZONE_FILE_MAX)) != NULL) {
		ldns_zone *bz = NULL;
		if (ldns_zone_new_frm_fp_l(&bz, f, NULL, 3600, LDNS_RR_CLASS_IN, &line) ==
		    LDNS_STATUS_OK && bz) {
			ldns_rr_list *extra = ldns_rr_list_clone(ldns_zone_rrs(bz));
			if (extra) {
				ldns_rr_list_cat(ldns_zone_rrs(zn), extra);
				ldns_rr_list_free(extra);
			}
			ldns_zone_deep_free(bz);
		}
		fclose(f);
	}
	ldns_pkt *p = ldns_pkt_new();
	if (p) {
		if (ldns_zone_soa(zn))
			ldns_rr_list_push_rr(ldns_pkt_answer(p), ldns_rr_clone(ldns_zone_soa(zn)));
		ldns_rr_list *all = ldns_rr_list_clone(ldns_zone_rrs(zn));
		if (all) {
			ldns_rr_list_cat(ldns_pkt_answer(p), all);
			ldns_rr_list_free(all); /* the records now belong to the answer section */
		}
		ldns_pkt_set_ancount(p, (uint16_t)ldns_rr_list_rr_count(ldns_pkt_answer(p)));
	}
	ldns_zone_deep_free(zn);
	return p;
}

/* ---- upstream ---- */

/* Sends wire to addr ("ADDR[@PORT]", one of the upstreams checked when they were given:
 * TCP if tcp) and returns the reply (malloc'd) or NULL. */
static uint8_t *exchange(const struct px_routes *rt, const char *addr, const uint8_t *wire,
			 size_t len, int tcp, size_t *outlen)
{
	int allowed = 0;
	for (size_t i = 0; i < rt->n_up; i++)
		allowed |= strcmp(rt->up[i], addr) == 0;
	struct tp_target t;
	if (!allowed || tp_target_parse(addr, &t, NULL, 0) != 0)
		return NULL; /* never anything but a lab (or serve's own) authoritative server */
	struct sockaddr_storage ss = t.ss;
	if (px_stop_signal())
		return NULL; /* stopping: no more waiting for nsd */
	ldns_buffer *b = ldns_buffer_new(len);
	if (!b)
		return NULL;
	ldns_buffer_write(b, wire, len); /* ldns sends position() octets: no flip */
	uint8_t *res = NULL;
	struct timeval tv = {UPSTREAM_TIMEOUT_MS / 1000, (UPSTREAM_TIMEOUT_MS % 1000) * 1000};
	/* a stop signal may cut the wait short: during a lab's start nsd may not answer
	 * yet, and a proxy deaf to SIGTERM for a few of these timeouts held 'lab up' and
	 * 'lab down' up to their SIGKILL */
	px_signals_allow(1);
	ldns_status st = tcp ? ldns_tcp_send(&res, b, &ss, t.sslen, tv, outlen)
			     : ldns_udp_send(&res, b, &ss, t.sslen, tv, outlen);
	px_signals_allow(0);
	ldns_buffer_free(b);
	if (st != LDNS_STATUS_OK || !res || *outlen < 12 ||
	    memcmp(res, wire, 2) != 0) { /* the reply must carry our ID */
		free(res);
		return NULL;
	}
	return res;
}

/* Asks addr for name/type with DO over TCP; returns the parsed reply or NULL. */
static ldns_pkt *ask(const struct px_routes *rt, const ldns_rdf *name, uint16_t type, int cd)
{
	const char *addr = px_route(rt, name, type);
	if (!addr)
		return NULL;
	ldns_pkt *q = ldns_pkt_query_new(ldns_rdf_clone(name), (ldns_rr_type)type,
					 LDNS_RR_CLASS_IN, 0);
	if (!q)
		return NULL;
	ldns_pkt_set_random_id(q);
	ldns_pkt_set_cd(q, cd);
	ldns_pkt_set_edns_udp_size(q, 4096);
	ldns_pkt_set_edns_do(q, 1);
	uint8_t *w = NULL, *r = NULL;
	size_t wl = 0, rl = 0;
	ldns_pkt *reply = NULL;
	if (ldns_pkt2wire(&w, q, &wl) == LDNS_STATUS_OK && (r = exchange(rt, addr, w, wl, 1, &rl)))
		if (ldns_wire2pkt(&reply, r, rl) != LDNS_STATUS_OK)
			reply = NULL;
	free(w);
	free(r);
	ldns_pkt_free(q);
	return reply;
}

/* ---- answering ---- */

static const char *type_name(uint16_t t, char *buf, size_t n)
{
	char *s = ldns_rr_type2str((ldns_rr_type)t);
	snprintf(buf, n, "%s", s ? s : "?");
	free(s);
	return buf;
}

/* Rewrites per rule r; returns the reply wire or NULL (the query is then dropped). */
static uint8_t *forge(struct proxy *px, struct px_rule *r, const ldns_pkt *q, int tcp,
		      const char *peer, size_t *outlen)
{
	const ldns_rr *qrr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	const ldns_rdf *qname = ldns_rr_owner(qrr);
	uint16_t qtype = (uint16_t)ldns_rr_get_type(qrr);
	char *qs = ldns_rdf2str(qname);
	char tbuf[32], err[600] = "";
	if (!qs)
		return NULL;
	ldns_pkt *reply = ask(&px->rt, qname, qtype, ldns_pkt_cd(q));
	ldns_pkt *fetched[PX_MAX_FETCH] = {NULL};
	for (size_t i = 0; reply && i < r->n_fetch; i++) {
		char name[PX_NAME_MAX * 2];
		ldns_rdf *fn = NULL;
		if (r->fetch[i].from_zone) {
			if (px_expand(r->fetch[i].name, qs, name, sizeof name) == 0)
				fetched[i] = px_load_zone(&px->rt, name);
		} else if (px_expand(r->fetch[i].name, qs, name, sizeof name) == 0 &&
			   ldns_str2rdf_dname(&fn, name) == LDNS_STATUS_OK && fn) {
			fetched[i] = ask(&px->rt, fn, r->fetch[i].type, 0);
			ldns_rdf_deep_free(fn);
		}
		if (!fetched[i])
			snprintf(err, sizeof err, "fetch %s (%s %s) got no reply", r->fetch[i].label,
				 r->fetch[i].name, type_name(r->fetch[i].type, tbuf, sizeof tbuf));
	}
	uint8_t *w = NULL;
	if (!reply)
		snprintf(err, sizeof err, "the upstream gave no reply");
	else if (!err[0] && px_apply(r, reply, fetched, qs, err, sizeof err) == 0) {
		ldns_pkt_set_id(reply, ldns_pkt_id(q));
		ldns_pkt_set_rd(reply, ldns_pkt_rd(q));
		ldns_pkt_set_cd(reply, ldns_pkt_cd(q));
		ldns_rr_list_deep_free(ldns_pkt_question(reply));
		ldns_pkt_set_question(reply, ldns_rr_list_clone(ldns_pkt_question(q)));
		ldns_pkt_set_qdcount(reply, 1);
		if (ldns_pkt_edns_udp_size(q) == 0) {
			ldns_pkt_set_edns_udp_size(reply, 0);
			ldns_pkt_set_edns_do(reply, 0);
		}
		if (ldns_pkt2wire(&w, reply, outlen) != LDNS_STATUS_OK) {
			w = NULL;
			snprintf(err, sizeof err, "the rewritten reply cannot be encoded");
		}
		size_t limit = ldns_pkt_edns_udp_size(q) > 512 ? ldns_pkt_edns_udp_size(q) : 512;
		if (w && !tcp && *outlen > limit) {
			free(w);
			w = px_short_reply(q, ldns_pkt_get_rcode(reply), 1, outlen);
		}
	}
	char *rc = reply ? ldns_pkt_rcode2str(ldns_pkt_get_rcode(reply)) : NULL;
	if (w) {
		px->forged++;
		if (px->ledger)
			ledger_note(px, peer, (int)(r - px->rules.rule));
		if (!px->serve) /* serve on the Internet: counted, not logged one by one */
			fprintf(stderr, "proxy: forged %s #%u %s %s %s %s -> %s an=%zu ns=%zu "
				"ar=%zu%s\n", r->id, r->seen, tcp ? "tcp" : "udp", peer, qs,
				type_name(qtype, tbuf, sizeof tbuf), rc ? rc : "?",
				ldns_rr_list_rr_count(ldns_pkt_answer(reply)),
				ldns_rr_list_rr_count(ldns_pkt_authority(reply)),
				ldns_rr_list_rr_count(ldns_pkt_additional(reply)),
				(!tcp && ldns_pkt_tc(reply) == 0 && w[2] & 0x02) ? " (truncated)" : "");
	} else if (!px->serve) {
		fprintf(stderr, "proxy: rule %s #%u %s %s %s: not served: %s\n", r->id, r->seen,
			peer, qs, type_name(qtype, tbuf, sizeof tbuf), err);
	}
	free(rc);
	for (size_t i = 0; i < PX_MAX_FETCH; i++)
		ldns_pkt_free(fetched[i]);
	ldns_pkt_free(reply);
	free(qs);
	return w;
}

/* The rule label of a ledger question (proxy_ledger.h): qname is RAND.RULE._ledger.ZONE
 * where _ledger.ZONE is a zone the proxy routes; RULE into label. Returns 0 or -1. */
static int ledger_question(const struct px_routes *rt, const ldns_rdf *qname, char *label,
			   size_t n)
{
	const uint8_t *w = ldns_rdf_data(qname);
	size_t len = ldns_rdf_size(qname), off = 0, lab[3] = {0};
	for (int i = 0; i < 3; i++) { /* the offsets of the first three labels */
		if (off >= len || w[off] == 0 || off + 1 + w[off] > len)
			return -1;
		lab[i] = off;
		off += 1 + (size_t)w[off];
	}
	size_t ll = strlen(PX_LEDGER_LABEL);
	if (w[lab[2]] != ll || strncasecmp((const char *)w + lab[2] + 1, PX_LEDGER_LABEL, ll) != 0 ||
	    w[lab[1]] >= n)
		return -1;
	ldns_rdf *zone = ldns_dname_new_frm_data((uint16_t)(len - lab[2]), w + lab[2]);
	int routed = 0;
	if (zone) {
		ldns_dname2canonical(zone);
		for (size_t i = 0; i < rt->n && !routed; i++)
			routed = ldns_dname_compare(zone, rt->zone[i]) == 0;
		ldns_rdf_deep_free(zone);
	}
	if (!routed)
		return -1;
	memcpy(label, w + lab[1] + 1, w[lab[1]]);
	label[w[lab[1]]] = '\0';
	return 0;
}

/* The ledger's answer to q (a ledger question for rule label, TXT) from peer: the zone's
 * own reply (its wildcard TXT) with that TXT replaced by the ledger's, TTL 0. NULL when the
 * zone gives no NOERROR (the question is then answered as nsd answers it). */
static uint8_t *ledger_answer(struct proxy *px, const char *up, const uint8_t *wire,
			      size_t len, int tcp, const ldns_pkt *q, const char *label,
			      const char *peer, size_t *outlen)
{
	size_t rl = 0;
	uint8_t *r = exchange(&px->rt, up, wire, len, tcp, &rl);
	ldns_pkt *reply = NULL;
	if (!r || ldns_wire2pkt(&reply, r, rl) != LDNS_STATUS_OK || !reply ||
	    ldns_pkt_get_rcode(reply) != LDNS_RCODE_NOERROR) {
		ldns_pkt_free(reply);
		free(r);
		return NULL;
	}
	int rule = -1;
	for (size_t i = 0; i < px->rules.n && rule < 0; i++) {
		char l[PX_ID_MAX + 1];
		if (px_ledger_label(px->rules.rule[i].id, l, sizeof l) == 0 &&
		    strcasecmp(l, label) == 0)
			rule = (int)i;
	}
	char text[160], *qs = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
	ledger_text(px, peer, rule, text, sizeof text);
	char rrs[600];
	ldns_rr *txt = NULL;
	uint8_t *w = NULL;
	if (qs && snprintf(rrs, sizeof rrs, "%s 0 IN TXT \"%s\"", qs, text) < (int)sizeof rrs &&
	    ldns_rr_new_frm_str(&txt, rrs, 0, NULL, NULL) == LDNS_STATUS_OK) {
		ldns_rr_list_deep_free(ldns_pkt_answer(reply));
		ldns_pkt_set_answer(reply, ldns_rr_list_new());
		ldns_pkt_set_ancount(reply, 0);
		ldns_pkt_push_rr(reply, LDNS_SECTION_ANSWER, txt);
		if (ldns_pkt2wire(&w, reply, outlen) != LDNS_STATUS_OK)
			w = NULL;
		if (w && !px->serve)
			fprintf(stderr, "proxy: ledger %s %s %s: %s\n", tcp ? "tcp" : "udp", peer,
				label, text);
	}
	free(qs);
	ldns_pkt_free(reply);
	free(r);
	if (!w)
		return NULL;
	return w;
}

/* One query from peer; returns the reply wire (malloc'd) or NULL to send nothing. */
static uint8_t *handle(struct proxy *px, const uint8_t *wire, size_t len, int tcp,
		       const char *peer, size_t *outlen)
{
	ldns_pkt *q = NULL;
	if (len < 12 || (wire[2] & 0x80)) /* too short, or a response: never answer those */
		return NULL;
	if (ldns_wire2pkt(&q, wire, len) != LDNS_STATUS_OK || !q)
		return NULL;
	uint8_t *out = NULL;
	px->served++;
	if (ldns_pkt_get_opcode(q) != LDNS_PACKET_QUERY ||
	    ldns_rr_list_rr_count(ldns_pkt_question(q)) != 1) {
		out = px_short_reply(q, LDNS_RCODE_FORMERR, 0, outlen);
		ldns_pkt_free(q);
		return out;
	}
	const ldns_rr *qrr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	uint16_t qtype = (uint16_t)ldns_rr_get_type(qrr);
	char tbuf[32];
	if (px->serve && (qtype == LDNS_RR_TYPE_ANY || qtype == LDNS_RR_TYPE_AXFR ||
			  qtype == LDNS_RR_TYPE_IXFR ||
			  ldns_rr_get_class(qrr) != LDNS_RR_CLASS_IN)) {
		/* serve on the Internet: no ANY (RFC 8482 allows REFUSED), no zone transfer,
		 * nothing but class IN */
		px->refused++;
		out = px_short_reply(q, LDNS_RCODE_REFUSED, 0, outlen);
		ldns_pkt_free(q);
		return out;
	}
	char *qs = ldns_rdf2str(ldns_rr_owner(qrr)), label[64];
	struct px_rule *hit = NULL;
	for (size_t i = 0; qs && i < px->rules.n && !hit; i++) {
		struct px_rule *r = &px->rules.rule[i];
		if (!px_rule_matches(r, qs, qtype, ldns_pkt_edns_do(q), ldns_pkt_cd(q)))
			continue;
		r->seen++;
		if (r->nth == 0 || r->seen == r->nth)
			hit = r;
	}
	/* RFC 8145 key tag queries (_ta-XXXX[-XXXX] at the anchor's zone): one line each,
	 * which 'lab roll' reads to show what each resolver signalled. The QTYPE is logged
	 * too: RFC 8145 says NULL, but a resolver minimising QNAMEs (RFC 9156) may ask
	 * with another type. */
	if (qs && !px->serve && strncasecmp(qs, "_ta-", 4) == 0)
		fprintf(stderr, "proxy: ta-signal %s %s %s %s\n", tcp ? "tcp" : "udp", peer, qs,
			type_name(qtype, tbuf, sizeof tbuf));
	const char *up = px_route(&px->rt, ldns_rr_owner(qrr), qtype);
	if (!up) {
		px->refused++;
		if (!px->serve)
			fprintf(stderr, "proxy: refused %s %s %s %s: no upstream serves it\n",
				tcp ? "tcp" : "udp", peer, qs ? qs : "?",
				type_name(qtype, tbuf, sizeof tbuf));
		out = px_short_reply(q, LDNS_RCODE_REFUSED, 0, outlen);
	} else if (hit) {
		out = forge(px, hit, q, tcp, peer, outlen);
	} else if (px->ledger && qtype == LDNS_RR_TYPE_TXT &&
		   ledger_question(&px->rt, ldns_rr_owner(qrr), label, sizeof label) == 0 &&
		   (out = ledger_answer(px, up, wire, len, tcp, q, label, peer, outlen))) {
		/* answered from the ledger */
	} else {
		out = exchange(&px->rt, up, wire, len, tcp, outlen);
	}
	free(qs);
	ldns_pkt_free(q);
	return out;
}

/* ---- sockets ---- */

static void on_udp(struct proxy *px, uint8_t *buf)
{
	for (int i = 0; i < 64; i++) { /* bounded work per wakeup */
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		ssize_t n = recvfrom(px->udp, buf, PX_MSG_MAX, 0, (struct sockaddr *)&ss, &sl);
		if (n < 0)
			return;
		char peer[64];
		px_peer_str(&ss, peer, sizeof peer);
		size_t ol = 0;
		enum px_rrl_verdict rv = px->rrl ? px_rrl_check(px->rrl, &ss, tp_now()) : PX_RRL_PASS;
		if (rv == PX_RRL_DROP)
			continue;
		if (rv == PX_RRL_SLIP) { /* TC: a real resolver comes back over TCP */
			ldns_pkt *q = NULL;
			uint8_t *out = NULL;
			if (n >= 12 && !(buf[2] & 0x80) &&
			    ldns_wire2pkt(&q, buf, (size_t)n) == LDNS_STATUS_OK && q)
				out = px_short_reply(q, LDNS_RCODE_NOERROR, 1, &ol);
			ldns_pkt_free(q);
			if (out)
				sendto(px->udp, out, ol, 0, (struct sockaddr *)&ss, sl);
			free(out);
			continue;
		}
		uint8_t *out = handle(px, buf, (size_t)n, 0, peer, &ol);
		if (out)
			sendto(px->udp, out, ol, 0, (struct sockaddr *)&ss, sl);
		free(out);
	}
}

/* A complete message from TCP client c (px_conn_read). */
static int on_tcp_msg(void *ctx, struct px_conn *c, const uint8_t *wire, size_t len)
{
	size_t ol = 0;
	uint8_t *out = handle(ctx, wire, len, 1, c->peer, &ol);
	if (out)
		px_conn_send(c, out, ol);
	free(out);
	return 0;
}

static int run(struct proxy *px)
{
	uint8_t *ubuf = malloc(PX_MSG_MAX);
	if (!ubuf)
		return 2;
	sigset_t old, wait_mask;
	px_signals_begin(&old, &wait_mask);
	while (!px_stop_signal()) {
		struct pollfd p[2 + PX_MAX_CONNS];
		int map[2 + PX_MAX_CONNS];
		nfds_t n = px_poll_fill(p, map, px->udp, px->tcp, px->c, PX_MAX_CONNS);
		struct timespec ts = {1, 0};
		int k = ppoll(p, n, &ts, &wait_mask);
		if (k <= 0)
			continue;
		for (nfds_t i = 0; i < n; i++) {
			if (!p[i].revents)
				continue;
			if (map[i] == -1)
				on_udp(px, ubuf);
			else if (map[i] == -2)
				px_accept(px->tcp, px->c, PX_MAX_CONNS);
			else if (px->c[map[i]].fd >= 0)
				px_conn_read(&px->c[map[i]], on_tcp_msg, px);
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(ubuf);
	fprintf(stderr, "proxy: stopped by signal %d: %lu queries, %lu forged, %lu refused",
		px_stop_signal(), px->served, px->forged, px->refused);
	if (px->rrl)
		fprintf(stderr, ", rate limit: %lu truncated, %lu dropped", px->rrl->slipped,
			px->rrl->dropped);
	fputs("\n", stderr);
	return 0;
}

static const char px_usage[] =
	"usage: trustprobe lab proxy --listen ADDR --upstream ADDR[,ADDR...] --rules FILE "
	"[--zone-dir D]\n"
	"       trustprobe lab proxy --serve --listen ADDR[@PORT] --upstream ADDR@PORT --rules "
	"FILE --zone-dir D [--ratelimit QPS] [--user NAME]\n"
	"       trustprobe lab proxy --resolver --listen ADDR --upstream ADDR [--lie LIST]\n"
	"                            [--hostile MODE]\n";

/* serve --upstream: a loopback address (and port); nothing on the network. */
static int addr_is_loopback(const char *a)
{
	struct tp_target t;
	if (tp_target_parse(a, &t, NULL, 0) != 0)
		return 0;
	if (t.ss.ss_family == AF_INET)
		return (ntohl(((struct sockaddr_in *)&t.ss)->sin_addr.s_addr) >> 24) == 127;
	return t.ss.ss_family == AF_INET6 &&
	       IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)&t.ss)->sin6_addr);
}

/* Changes to user name and its groups (after the sockets are bound); 0, or -1 with err. */
static int drop_to(const char *name, char *err, size_t errlen)
{
	struct passwd *pw = getpwnam(name);
	if (!pw) {
		snprintf(err, errlen, "--user %s: no such user", name);
		return -1;
	}
	if (geteuid() != 0) {
		if (pw->pw_uid == geteuid())
			return 0;
		snprintf(err, errlen, "--user %s: changing user needs root", name);
		return -1;
	}
	if (initgroups(name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		snprintf(err, errlen, "--user %s: %s", name, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) { /* must not be able to come back */
		snprintf(err, errlen, "--user %s: root privileges could be regained", name);
		return -1;
	}
	return 0;
}

/* How the attacker runs: the lab's, or serve's (--serve). */
struct px_mode {
	int serve;
	unsigned ratelimit;
	const char *user;
};

/* The attacker in front of nsd: --upstream lists lab authoritative servers (with --serve:
 * one loopback address, serve's nsd). */
static int attacker_main(const char *listen_addr, const char *upstream, const char *rules,
			 const char *zdir, const struct px_mode *mode)
{
	struct proxy *px = calloc(1, sizeof *px);
	if (!px)
		return 2;
	int status = 2;
	char err[1024] = "";
	px->udp = px->tcp = px->ledger_fd = -1;
	char ups[512];
	snprintf(ups, sizeof ups, "%s", upstream);
	if (px_conns_init(px->c, PX_MAX_CONNS) != 0) {
		fprintf(stderr, "trustprobe lab proxy: out of memory\n");
		goto out;
	}
	for (char *t = strtok(ups, ","); t; t = strtok(NULL, ",")) {
		if (mode->serve && (!addr_is_loopback(t) || px->rt.n_up > 0)) {
			fprintf(stderr, "trustprobe serve proxy: --upstream %s: one loopback "
					"address (serve's own nsd) is all it may forward to\n", t);
			goto out;
		}
		if (!mode->serve && !addr_is_lab_server(t)) {
			fprintf(stderr, "trustprobe lab proxy: --upstream %s is not a lab "
					"authoritative server\n", t);
			goto out;
		}
		if (px->rt.n_up >= PX_MAX_UPSTREAMS) {
			fprintf(stderr, "trustprobe lab proxy: more than %d upstreams\n",
				PX_MAX_UPSTREAMS);
			goto out;
		}
		snprintf(px->rt.up[px->rt.n_up++], sizeof px->rt.up[0], "%s", t);
	}
	if (px->rt.n_up == 0) {
		fprintf(stderr, "trustprobe lab proxy: --upstream names no address\n");
		goto out;
	}
	px->serve = px->rt.one_upstream = mode->serve;
	if (mode->serve && mode->ratelimit) {
		if (!(px->rrl = malloc(sizeof *px->rrl))) {
			fprintf(stderr, "trustprobe lab proxy: out of memory\n");
			goto out;
		}
		/* a burst of 10 s worth (a whole probe run), slip 2 (nsd's default) */
		px_rrl_init(px->rrl, mode->ratelimit, mode->ratelimit * 10, 2);
	}
	if (mode->serve && zdir) {
		if (!(px->ledger = ledger_map(zdir, &px->ledger_fd, err, sizeof err))) {
			fprintf(stderr, "trustprobe serve proxy: %s\n", err);
			goto out;
		}
	} else if ((px->ledger = malloc(sizeof *px->ledger))) {
		px_ledger_init(px->ledger);
	} else {
		fprintf(stderr, "trustprobe lab proxy: out of memory\n");
		goto out;
	}
	if (px_rules_load(rules, &px->rules, err, sizeof err) != 0 ||
	    px_routes_load(&px->rt, zdir, err, sizeof err) != 0) {
		fprintf(stderr, "trustprobe lab proxy: %s\n", err);
		goto out;
	}
	if ((px->udp = px_listen_shared(listen_addr, SOCK_DGRAM, mode->serve, err, sizeof err)) < 0 ||
	    (px->tcp = px_listen_shared(listen_addr, SOCK_STREAM, mode->serve, err, sizeof err)) < 0) {
		fprintf(stderr, "trustprobe lab proxy: %s\n", err);
		goto out;
	}
	if (mode->serve) { /* a resolver's burst waits in the buffer, not in the kernel's drops */
		int want = 4 << 20;
		setsockopt(px->udp, SOL_SOCKET, SO_RCVBUF, &want, sizeof want);
	}
	if (mode->user && drop_to(mode->user, err, sizeof err) != 0) {
		fprintf(stderr, "trustprobe serve proxy: %s\n", err);
		goto out;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	fprintf(stderr, "proxy: listening on %s%s (udp, tcp), %zu rules from %s, "
			"%zu zones routed to %s\n", listen_addr, strchr(listen_addr, '@') ? "" :
			" port 53", px->rules.n, rules, px->rt.n, upstream);
	status = run(px);
out:
	if (px->udp >= 0)
		close(px->udp);
	if (px->tcp >= 0)
		close(px->tcp);
	px_conns_free(px->c, PX_MAX_CONNS);
	px_rules_free(&px->rules);
	px_routes_free(&px->rt);
	free(px->rrl);
	if (px->ledger_fd >= 0) {
		munmap(px->ledger, sizeof *px->ledger);
		close(px->ledger_fd);
	} else {
		free(px->ledger);
	}
	free(px);
	return status;
}

int px_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"upstream", required_argument, NULL, 'u'},
		{"rules", required_argument, NULL, 'r'},
		{"zone-dir", required_argument, NULL, 'z'},
		{"resolver", no_argument, NULL, 'R'},
		{"lie", required_argument, NULL, 'L'},
		{"serve", no_argument, NULL, 'S'},
		{"ratelimit", required_argument, NULL, 'Q'},
		{"user", required_argument, NULL, 'U'},
		{"hostile", required_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *listen_addr = NULL, *upstream = NULL, *rules = NULL, *zdir = NULL;
	const char *lie = NULL, *hostile = NULL;
	int resolver = 0;
	struct px_mode mode = {.ratelimit = 200};
	char *end;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen_addr = optarg; break;
		case 'u': upstream = optarg; break;
		case 'r': rules = optarg; break;
		case 'z': zdir = optarg; break;
		case 'R': resolver = 1; break;
		case 'L': lie = optarg; break;
		case 'S': mode.serve = 1; break;
		case 'Q':
			mode.ratelimit = (unsigned)strtoul(optarg, &end, 10);
			if (!*optarg || *end || *optarg == '-' || mode.ratelimit > 1000000) {
				fprintf(stderr, "trustprobe lab proxy: --ratelimit wants 0-1000000, "
						"not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'U': mode.user = optarg; break;
		case 'H': hostile = optarg; break;
		case 'h': fputs(px_usage, stdout); return 0;
		default:
			fprintf(stderr, "trustprobe lab proxy: bad option '%s'\n%s", argv[optind - 1],
				px_usage);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "trustprobe lab proxy: unexpected argument '%s'\n%s", argv[optind],
			px_usage);
		return 2;
	}
	if (!mode.serve && mode.user) {
		fprintf(stderr, "trustprobe lab proxy: --user goes with --serve\n%s", px_usage);
		return 2;
	}
	if (resolver) {
		if (rules || zdir || mode.serve) {
			fprintf(stderr, "trustprobe lab proxy: --rules and --zone-dir are for the "
					"attacker, not --resolver\n%s", px_usage);
			return 2;
		}
		return px_resolver_main(listen_addr, upstream, lie, hostile);
	}
	if (lie || hostile) {
		fprintf(stderr, "trustprobe lab proxy: --%s goes with --resolver\n%s",
			lie ? "lie" : "hostile", px_usage);
		return 2;
	}
	if (!listen_addr || !upstream || !rules) {
		fprintf(stderr, "trustprobe lab proxy: --listen, --upstream and --rules are "
				"required\n%s", px_usage);
		return 2;
	}
	return attacker_main(listen_addr, upstream, rules, zdir, &mode);
}
