/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* mkseeds: writes the packet seeds of fuzz/corpus/ ('make fuzz-seeds'): replies of the
 * kinds the unit tests build (tests/unit/reply.h: NOERROR with data and AD, NXDOMAIN and
 * NODATA with NSEC or NSEC3 proofs, SERVFAIL with Extended DNS Errors, a DNAME chain, the
 * zone marker; tests/unit/reply_pkt.h builds them) in the framings the harnesses read.
 * Usage: mkseeds ATTACKS DIR. */
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../tests/unit/reply_pkt.h"

struct reply {
	const char *name;   /* the seed's file name */
	const char *qname;
	ldns_rr_type qtype;
	ldns_pkt_rcode rcode;
	int ad, tc, edns;   /* edns: 0 none, 1 OPT, 2 OPT with DO */
	const char *ede;    /* option 15 data as "CODE:TEXT", or NULL */
	const char *rrs[8]; /* "an:RR" or "ns:RR" */
};

#define SIG(o, t, l) o " 300 IN RRSIG " t " 8 " l " 300 20270101000000 20261101000000 " \
	"12345 test. AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7Hrx"

static const struct reply replies[] = {
	{"a-ad", "www.alg8.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, 0, 2, NULL,
	 {"an:www.alg8.test. 300 IN A 192.0.2.1", "an:" SIG("www.alg8.test.", "A", "3"), NULL}},
	{"a-plain", "www.alg8.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 0, 0, 1, NULL,
	 {"an:www.alg8.test. 300 IN A 192.0.2.1", NULL}},
	{"nxdomain-nsec", "nx.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, 1, 0, 2, NULL,
	 {"ns:test. 300 IN SOA ns.test. h.test. 1 2 3 4 300", "ns:" SIG("test.", "SOA", "1"),
	  "ns:mx.test. 300 IN NSEC ny.test. A RRSIG NSEC", "ns:" SIG("mx.test.", "NSEC", "2"),
	  "ns:test. 300 IN NSEC a.test. SOA NS RRSIG NSEC DNSKEY", NULL}},
	{"nodata-nsec3", "nsec3.test.", LDNS_RR_TYPE_TXT, LDNS_RCODE_NOERROR, 1, 0, 2, NULL,
	 {"ns:nsec3.test. 300 IN SOA ns.test. h.test. 1 2 3 4 300",
	  "ns:2vptu5timamqttgl4luu9kg21e0aor3s.nsec3.test. 300 IN NSEC3 1 1 0 - "
	  "2vptu5timamqttgl4luu9kg21e0aor3t A RRSIG",
	  "ns:" SIG("2vptu5timamqttgl4luu9kg21e0aor3s.nsec3.test.", "NSEC3", "3"), NULL}},
	{"servfail-ede", "bogus.test.", LDNS_RR_TYPE_A, LDNS_RCODE_SERVFAIL, 0, 0, 2,
	 "6:signature expired", {NULL}},
	{"tlsa-ad", "_25._tcp.mx.test.", LDNS_RR_TYPE_TLSA, LDNS_RCODE_NOERROR, 1, 0, 2, NULL,
	 {"an:_25._tcp.mx.test. 300 IN TLSA 3 1 1 "
	  "EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE",
	  "an:" SIG("_25._tcp.mx.test.", "TLSA", "4"), NULL}},
	{"dname", "a.dname.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, 0, 2, NULL,
	 {"an:dname.test. 300 IN DNAME target.test.", "an:a.dname.test. 300 IN CNAME a.target.test.",
	  "an:a.target.test. 300 IN A 192.0.2.7", NULL}},
	{"root-dnskey", ".", LDNS_RR_TYPE_DNSKEY, LDNS_RCODE_NOERROR, 1, 1, 2, NULL,
	 {"an:. 300 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3",
	  "an:. 300 IN DNSKEY 385 3 8 AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/c",
	  NULL}},
	{"marker", "_trustprobe.test.", LDNS_RR_TYPE_TXT, LDNS_RCODE_NOERROR, 0, 0, 2, NULL,
	 {"an:_trustprobe.test. 300 IN TXT \"trustprobe-vectors 2\"",
	  "an:" SIG("_trustprobe.test.", "TXT", "2"), NULL}},
	{"refused", "x.test.", LDNS_RR_TYPE_A, LDNS_RCODE_REFUSED, 0, 0, 0, NULL, {NULL}},
};

static uint8_t *wire_of(const struct reply *r, size_t *len)
{
	uint8_t *w = NULL;
	const char *bad = NULL;
	ldns_pkt *p = reply_pkt(r->qname, r->qtype, r->rcode, r->ad, r->edns, r->rrs, &bad);
	if (!p) {
		fprintf(stderr, "mkseeds: bad RR %s\n", bad);
		exit(1);
	}
	ldns_pkt_set_tc(p, r->tc != 0);
	if (r->ede) {
		uint8_t opt[128];
		const char *text = strchr(r->ede, ':') + 1;
		size_t tl = strlen(text);
		unsigned code = (unsigned)atoi(r->ede);
		opt[0] = 0, opt[1] = 15, opt[2] = 0, opt[3] = (uint8_t)(2 + tl);
		opt[4] = (uint8_t)(code >> 8), opt[5] = (uint8_t)code;
		memcpy(opt + 6, text, tl);
		ldns_pkt_set_edns_data(p, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN, 6 + tl, opt));
	}
	if (ldns_pkt2wire(&w, p, len) != LDNS_STATUS_OK)
		exit(1);
	ldns_pkt_free(p);
	return w;
}

static FILE *out(const char *dir, const char *harness, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s/%s", dir, harness, name);
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	return f;
}

static void framed(FILE *f, const uint8_t *w, size_t len)
{
	fputc((int)(len >> 8), f);
	fputc((int)(len & 0xff), f);
	fwrite(w, 1, len, f);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: mkseeds ATTACKS DIR\n");
		return 2;
	}
	const char *dir = argv[2];
	size_t n = sizeof replies / sizeof replies[0];
	uint8_t *w[sizeof replies / sizeof replies[0]];
	size_t len[sizeof replies / sizeof replies[0]];
	for (size_t i = 0; i < n; i++) {
		w[i] = wire_of(&replies[i], &len[i]);
		FILE *f;
		/* fuzz_evaluate: a case octet, then the replies; each reply for a spread of
		 * cases, with the next reply as a second query's (a control and the judged) */
		for (unsigned c = (unsigned)i; c < 110; c += 11) {
			char name[64];
			snprintf(name, sizeof name, "%s-case%03u", replies[i].name, c);
			f = out(dir, "evaluate", name);
			fputc((int)c, f);
			framed(f, w[i], len[i]);
			framed(f, w[(i + 1) % n], len[(i + 1) % n]);
			fclose(f);
		}
		f = out(dir, "preflight", replies[i].name);
		fwrite(w[i], 1, len[i], f);
		fclose(f);
	}
	/* the EDE parser: the option data of OPT RRs */
	static const uint8_t ede1[] = {0, 15, 0, 2, 0, 9};
	static const uint8_t ede2[] = {0, 15, 0, 6, 0, 7, 'b', 'a', 'd', 0, 0, 10, 0, 1, 0xff,
				       0, 15, 0, 4, 0, 6, 0xc3, 0xa9};
	static const uint8_t ede3[] = {0, 15, 0, 1, 9, 0, 15, 0, 9};
	FILE *f = out(dir, "ede", "one");
	fwrite(ede1, 1, sizeof ede1, f);
	fclose(f);
	f = out(dir, "ede", "two-and-padding");
	fwrite(ede2, 1, sizeof ede2, f);
	fclose(f);
	f = out(dir, "ede", "short-and-overrun");
	fwrite(ede3, 1, sizeof ede3, f);
	fclose(f);
	/* the proxy: each rule of the attacks file, a NUL, and a genuine reply */
	FILE *a = fopen(argv[1], "r");
	if (!a) {
		perror(argv[1]);
		return 1;
	}
	char line[1024], rule[16384] = "", name[64];
	size_t rl = 0, k = 0;
	for (int more = 1; more;) {
		more = fgets(line, sizeof line, a) != NULL;
		if ((!more || strncmp(line, "rule ", 5) == 0) && rl) {
			snprintf(name, sizeof name, "rule-%03zu", k);
			f = out(dir, "proxy_ops", name);
			fwrite(rule, 1, rl, f);
			fputc(0, f);
			fwrite(w[k % n], 1, len[k % n], f);
			fclose(f);
			k++;
			rl = 0;
		}
		if (more && line[0] != '#' && rl + strlen(line) < sizeof rule) {
			memcpy(rule + rl, line, strlen(line));
			rl += strlen(line);
		}
	}
	fclose(a);
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	return 0;
}
