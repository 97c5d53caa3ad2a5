/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* signer: builds the lab DNS tree from testvectors/ with ldns (see signer.h and
 * testvectors/README). Keys live in memory only. Zones are built deepest first so that
 * each parent can publish DS records computed from its children's keys. */
#include "signer.h"
#include "manifest.h"
#include "preflight.h" /* the marker the probe checks: TP_MARKER_LABEL, TP_MARKER_TEXT */
#include "tp_util.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ldns/ldns.h>
#include <openssl/dsa.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define TTL 3600u
#define NEG_TTL 300u
#define HINTS_TTL 3600000u
#define DAY 86400
#define UNKNOWN_DS_ALG 100        /* unassigned DNSSEC algorithm number */
#define ROOT_NS "a.root-servers.lab."
#define ROOT_RNAME "hostmaster.root-servers.lab."
#define PATH_LEN 4096
#define TEMPLATE_MAX (1u << 20) /* bytes of one zone template */

/* Keys of one zone, owned by the zone state. */
struct zkeys {
	ldns_key *ksk;       /* CSK, or the root's "current" KSK: source of DS and anchor */
	ldns_key *next;      /* root only: the "next" KSK */
	ldns_key *zsk;       /* root only */
	ldns_rr *anchor;     /* root only: DNSKEY of current as resolvers trust it (257) */
	ldns_rr *anchor_next;
	uint16_t tag;        /* tag of ksk (without the REVOKE bit) */
	uint16_t next_tag;
	int next_signs;      /* key_dir: next (serve rollover) signs beside ksk */
	ldns_rr *published;  /* relabel=: the KSK's DNSKEY as published (its algorithm
			      * relabelled), the source of the parent's DS; else NULL */
	int shared;          /* keys=: ksk belongs to another zone's state (not freed here) */
};

struct zstate {
	const struct manifest_zone *mz;
	const char *addr; /* server address */
	const char *pub;  /* address published in glue and ns.<zone> A (via=, else addr) */
	int parent;       /* index in build.z, -1 for the root */
	unsigned labels;
	ldns_rdf *origin;
	struct zkeys k;
	char file[64];
};

struct build {
	const struct signer_opts *opts;
	struct manifest *m;
	struct zstate z[SIGNER_MAX_ZONES];
	size_t n;
	size_t order[SIGNER_MAX_ZONES]; /* parents first */
	int root;
	char *err;
	size_t errlen;
	int root_step;   /* enum signer_root_step once signer_root_step has run; -1: manifest roll= */
	uint32_t serial; /* root SOA serial; 0: opts->now */
};

/* The RRs of one zone while it is built, and who owns them. */
struct zwork {
	ldns_rr_list *tmpl;   /* template RRs (deep-freed) */
	ldns_rr_list *extra;  /* RRs the signer adds (deep-freed) */
	ldns_rr_list *made;   /* RRs ldns creates while signing (deep-freed) */
	ldns_dnssec_zone *dz; /* points into the three above (shallow-freed) */
	ldns_key_list *keys;  /* borrowed keys (list emptied before freeing) */
	ldns_key *revoked;    /* bend=revoked-signs: the REVOKEd key (owned) */
	ldns_rr_list *bent;   /* bend=nsec3-owner: out-of-zone records for <file>.bent */
};

static enum signer_status fail(struct build *b, enum signer_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum signer_status fail(struct build *b, enum signer_status st, const char *fmt, ...)
{
	va_list ap;

	if (b->errlen) {
		va_start(ap, fmt);
		vsnprintf(b->err, b->errlen, fmt, ap);
		va_end(ap);
	}
	return st;
}

static const char *zname(const struct zstate *z)
{
	return z->mz->name;
}

/* "<label>.<zone>" with the root handled. */
static void join(char *out, size_t outlen, const char *label, const char *zone)
{
	snprintf(out, outlen, "%s.%s", label, strcmp(zone, ".") == 0 ? "" : zone);
}

/* ---- keys ---- */

static uint16_t key_bits(uint8_t alg)
{
	switch (alg) {
	case 1: case 5: case 7: case 8: case 10: return 2048; /* RSA */
	case 3: case 6: return 1024; /* DSA: RFC 2536 allows at most 1024 bits */
	case 14: return 384;
	case 16: return 456;
	default: return 256;
	}
}

/* ldns_key2rr(k). ldns 1.8.3 leaks in it for a DSA key: it takes EVP_PKEY_get1_DSA() and
 * never frees the reference (its RSA branch frees its RSA_get1). Not ours to fix, and not
 * to be hidden by a suppression that needs slow stack unwinding on every allocation
 * (LeakSanitizer's fast unwinder stops in libcrypto, which has no frame pointers): in a
 * build with LeakSanitizer, exactly that call is made with leak detection off. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define TP_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define TP_LSAN 1
#endif
#endif
static ldns_rr *key2rr(const ldns_key *k)
{
#ifdef TP_LSAN
	int dsa = ldns_key_algorithm(k) == LDNS_SIGN_DSA || ldns_key_algorithm(k) == LDNS_SIGN_DSA_NSEC3;
	if (dsa)
		__lsan_disable();
	ldns_rr *rr = ldns_key2rr(k);
	if (dsa)
		__lsan_enable();
	return rr;
#else
	return ldns_key2rr(k);
#endif
}

/* Recomputes the key tag ldns puts in RRSIGs after the flags changed. */
static int key_retag(ldns_key *k)
{
	ldns_rr *rr = key2rr(k);

	if (!rr)
		return -1;
	ldns_key_set_keytag(k, ldns_calc_keytag(rr));
	ldns_rr_free(rr);
	return 0;
}

/* k (NULL passes through) with its owner, flags and tag set; freed on failure. */
static ldns_key *key_finish(ldns_key *k, const ldns_rdf *owner, uint16_t flags)
{
	if (!k)
		return NULL;
	ldns_key_set_pubkey_owner(k, ldns_rdf_clone(owner));
	ldns_key_set_flags(k, flags);
	if (key_retag(k)) {
		ldns_key_deep_free(k);
		return NULL;
	}
	return k;
}

/* A key of algorithm alg on evp (which it takes over, also when it fails). */
static ldns_key *key_wrap(EVP_PKEY *evp, uint8_t alg, const ldns_rdf *owner, uint16_t flags)
{
	ldns_key *k = evp ? ldns_key_new() : NULL;

	if (!k) {
		EVP_PKEY_free(evp);
		return NULL;
	}
	ldns_key_set_algorithm(k, (ldns_signing_algorithm)alg);
	ldns_key_set_evp_key(k, evp);
	return key_finish(k, owner, flags);
}

/* A DSA key of bits (q of 160 bits, RFC 2536) made with OpenSSL's EVP interface: ldns
 * 1.8.3's ldns_key_new_frm_algorithm leaks the DSA object it makes (LeakSanitizer, in
 * every DSA zone of 'serve ds'). */
static EVP_PKEY *dsa_generate(unsigned bits)
{
	EVP_PKEY *params = NULL, *key = NULL;
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL);

	if (pc && EVP_PKEY_paramgen_init(pc) == 1 &&
	    EVP_PKEY_CTX_set_dsa_paramgen_bits(pc, (int)bits) == 1 &&
	    EVP_PKEY_CTX_set_dsa_paramgen_q_bits(pc, 160) == 1 &&
	    EVP_PKEY_paramgen(pc, &params) == 1) {
		EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
		if (!kc || EVP_PKEY_keygen_init(kc) != 1 || EVP_PKEY_keygen(kc, &key) != 1)
			key = NULL;
		EVP_PKEY_CTX_free(kc);
	}
	EVP_PKEY_free(params);
	EVP_PKEY_CTX_free(pc);
	return key;
}

static ldns_key *key_new(uint8_t alg, const ldns_rdf *owner, uint16_t flags)
{
	if (alg == LDNS_SIGN_DSA || alg == LDNS_SIGN_DSA_NSEC3)
		return key_wrap(dsa_generate(key_bits(alg)), alg, owner, flags);
	return key_finish(ldns_key_new_frm_algorithm((ldns_signing_algorithm)alg, key_bits(alg)),
			  owner, flags);
}

/* RSA (1, 5, 7, 8, 10) or DSA (3, 6): the algorithms whose key generation takes time
 * (RSA-2048 100-300 ms a key, DSA-1024 with its parameters as long), and whose key
 * material serves every algorithm of its kind: only the hash differs. */
static int key_kind(uint8_t alg)
{
	switch (alg) {
	case 1: case 5: case 7: case 8: case 10: return 1;
	case 3: case 6: return 2;
	default: return 0;
	}
}

/* A key of algorithm alg on the key material of m (a reference to m's EVP key). */
static ldns_key *key_on(const ldns_key *m, uint8_t alg, const ldns_rdf *owner, uint16_t flags)
{
	EVP_PKEY *evp = ldns_key_evp_key(m);

	return key_wrap(evp && EVP_PKEY_up_ref(evp) == 1 ? evp : NULL, alg, owner, flags);
}

static void keys_free(struct zkeys *k)
{
	if (k->shared)
		k->ksk = NULL;
	if (k->ksk)
		ldns_key_deep_free(k->ksk);
	if (k->next)
		ldns_key_deep_free(k->next);
	if (k->zsk)
		ldns_key_deep_free(k->zsk);
	ldns_rr_free(k->anchor);
	ldns_rr_free(k->anchor_next);
	ldns_rr_free(k->published);
	memset(k, 0, sizeof *k);
}

/* ---- the key store (signer_opts.key_dir) ---- */

static int key_file(const struct signer_opts *o, const char *zone, const char *role,
		    char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%s/K%s+%s.private", o->key_dir, zone, role);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* The stored key of zone/role with owner and flags set: 1; 0 when there is none; -1 when
 * the file does not parse. */
static int key_load(const struct signer_opts *o, const char *zone, const char *role,
		    const ldns_rdf *owner, uint16_t flags, ldns_key **out)
{
	char path[PATH_LEN];
	*out = NULL;
	if (key_file(o, zone, role, path, sizeof path) != 0)
		return -1;
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	int line = 0;
	ldns_key *k = NULL;
	ldns_status st = ldns_key_new_frm_fp_l(&k, f, &line);
	fclose(f);
	if (st != LDNS_STATUS_OK || !k)
		return -1;
	ldns_key_set_pubkey_owner(k, ldns_rdf_clone(owner));
	ldns_key_set_flags(k, flags);
	if (key_retag(k)) {
		ldns_key_deep_free(k);
		return -1;
	}
	*out = k;
	return 1;
}

/* Writes k as zone/role's key: a new file, owner-only, then renamed into place. */
static int key_save(const struct signer_opts *o, const char *zone, const char *role,
		    const ldns_key *k)
{
	char path[PATH_LEN], tmp[PATH_LEN + 8];
	if (key_file(o, zone, role, path, sizeof path) != 0)
		return -1;
	snprintf(tmp, sizeof tmp, "%s.new", path);
	unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	ldns_key_print(f, k);
	int bad = ferror(f);
	bad |= fflush(f) != 0 || fsync(fd) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* key_load, else a new key, stored (without key_dir: key_new). NULL on failure, with
 * *why saying whether the stored file was unusable. */
static ldns_key *key_stored(const struct signer_opts *o, const char *zone, const char *role,
			    uint8_t alg, const ldns_rdf *owner, uint16_t flags, const char **why)
{
	ldns_key *k = NULL;
	*why = "cannot generate";
	if (!o->key_dir)
		return key_new(alg, owner, flags);
	int r = key_load(o, zone, role, owner, flags, &k);
	if (r > 0) {
		if (ldns_key_algorithm(k) == (ldns_signing_algorithm)alg)
			return k;
		ldns_key_deep_free(k);
		*why = "stored key has another algorithm than the manifest's for";
		return NULL;
	}
	if (r < 0) {
		*why = "cannot read the stored key of";
		return NULL;
	}
	k = key_new(alg, owner, flags);
	if (k && key_save(o, zone, role, k) != 0) {
		ldns_key_deep_free(k);
		*why = "cannot store a new key for";
		return NULL;
	}
	return k;
}

/* One key to generate. Generation runs on KEYGEN_THREADS threads: RSA-2048 keygen
 * takes 100-300 ms per key and the lab needs four. */
struct keyjob {
	ldns_key **slot;
	uint8_t alg;
	const ldns_rdf *owner;
	uint16_t flags;
};

#ifndef KEYGEN_THREADS
#define KEYGEN_THREADS 2
#endif
#define MAX_KEYJOBS (SIGNER_MAX_ZONES + 2)

struct keyjobs {
	struct keyjob job[MAX_KEYJOBS];
	size_t n;
	atomic_size_t next; /* next job to take */
};

static void *keyjobs_work(void *arg)
{
	struct keyjobs *q = arg;
	size_t i;

	while ((i = atomic_fetch_add(&q->next, 1)) < q->n)
		*q->job[i].slot = key_new(q->job[i].alg, q->job[i].owner, q->job[i].flags);
	return NULL;
}

/* Runs every job; the calling thread works too, so a failed pthread_create only
 * makes it slower. */
static void keyjobs_run(struct keyjobs *q)
{
	pthread_t t[KEYGEN_THREADS];
	int started[KEYGEN_THREADS] = {0};

	atomic_init(&q->next, 0);
	for (int i = 0; i < KEYGEN_THREADS - 1; i++)
		started[i] = pthread_create(&t[i], NULL, keyjobs_work, q) == 0;
	keyjobs_work(q);
	for (int i = 0; i < KEYGEN_THREADS - 1; i++)
		if (started[i])
			pthread_join(t[i], NULL);
}

static void keyjobs_add(struct keyjobs *q, ldns_key **slot, const struct zstate *z,
			uint16_t flags)
{
	q->job[q->n++] = (struct keyjob){slot, z->mz->alg, z->origin, flags};
}

/* With a key store: loads the stored CSKs (and the apex's ksk-next) and adds a job for
 * each zone with none stored yet. 0, or -1 with the zone in *bad. */
static int keys_from_store(struct build *b, struct keyjobs *q, const char **bad,
			   const char **why)
{
	const struct signer_opts *o = b->opts;
	const uint16_t ksk = LDNS_KEY_ZONE_KEY | LDNS_KEY_SEP_KEY;
	for (size_t i = 0; i < b->n; i++) {
		struct zstate *z = &b->z[i];
		if (z->mz->alg == 0 || z->mz->keys_from[0])
			continue;
		int r = key_load(o, zname(z), "ksk", z->origin, ksk, &z->k.ksk);
		if (r < 0 || (r > 0 && ldns_key_algorithm(z->k.ksk) !=
					       (ldns_signing_algorithm)z->mz->alg)) {
			*bad = zname(z);
			*why = r < 0 ? "cannot read the stored key of" :
				       "stored key has another algorithm than the manifest's for";
			return -1;
		}
		if (r == 0)
			keyjobs_add(q, &z->k.ksk, z, ksk);
		/* serve rollover: the apex's next KSK, published and signing */
		if (o->reroot && strcmp(zname(z), o->reroot) == 0) {
			r = key_load(o, zname(z), "ksk-next", z->origin, ksk, &z->k.next);
			if (r < 0) {
				*bad = zname(z);
				*why = "cannot read the stored next key of";
				return -1;
			}
			z->k.next_signs = r > 0;
		}
	}
	return 0;
}

/* After keyjobs_run: stores the keys the jobs made. 0, or -1 with the zone in *bad. */
static int keys_to_store(struct build *b, const struct keyjobs *q, const char **bad,
			 const char **why)
{
	const struct signer_opts *o = b->opts;
	for (size_t j = 0; j < q->n; j++) {
		struct zstate *z = NULL;
		for (size_t i = 0; i < b->n && !z; i++)
			if (q->job[j].slot == &b->z[i].k.ksk)
				z = &b->z[i];
		if (z && *q->job[j].slot && key_save(o, zname(z), "ksk", *q->job[j].slot) != 0) {
			*bad = zname(z);
			*why = "cannot store a new key for";
			return -1;
		}
	}
	return 0;
}

/* Root layout: KSK current + KSK next + ZSK; the anchors are the 257 forms. */
static enum signer_status keys_root_finish(struct build *b, struct zstate *z)
{
	z->k.anchor = key2rr(z->k.ksk);
	z->k.anchor_next = key2rr(z->k.next);
	if (!z->k.anchor || !z->k.anchor_next)
		return fail(b, SIGNER_ERR_KEYGEN, "zone .: cannot export the KSKs");
	z->k.tag = ldns_key_keytag(z->k.ksk);
	z->k.next_tag = ldns_key_keytag(z->k.next);
	if (z->mz->roll == MANIFEST_ROLL_CURRENT_REVOKED) {
		ldns_key_set_flags(z->k.ksk, ldns_key_flags(z->k.ksk) | LDNS_KEY_REVOKE_KEY);
		if (key_retag(z->k.ksk))
			return fail(b, SIGNER_ERR_KEYGEN, "zone .: cannot revoke the current KSK");
	}
	return SIGNER_OK;
}

/* Generates the keys of every signed zone (before any zone is built: the sentinel
 * names in the lab zone need the root's tags). */
static enum signer_status keys_all(struct build *b)
{
	const uint16_t ksk = LDNS_KEY_ZONE_KEY | LDNS_KEY_SEP_KEY;
	struct keyjobs *q = calloc(1, sizeof *q);

	if (!q)
		return fail(b, SIGNER_ERR_KEYGEN, "out of memory");
	const char *bad = NULL, *why = "";
	if (b->opts->key_dir && keys_from_store(b, q, &bad, &why) != 0) {
		free(q);
		return fail(b, SIGNER_ERR_KEYGEN, "zone %s: %s it in %s", bad, why, b->opts->key_dir);
	}
	/* The lab's zones of the algorithm matrix share one RSA and one DSA key material,
	 * each zone's key carrying its own algorithm: each zone still has a key of its own
	 * algorithm, and 'lab up' generates one RSA key for them instead of five (the root
	 * keeps three keys of its own: their tags must differ). serve's keys are made once
	 * and stored, one per zone. */
	ldns_key *material[3] = {NULL, NULL, NULL};
	const struct zstate *material_of[3] = {NULL, NULL, NULL};
	for (size_t i = 0; i < b->n && !b->opts->key_dir; i++) {
		struct zstate *z = &b->z[i];
		if (z->mz->alg == 0 || z->mz->keys_from[0])
			continue;
		int kind = (int)i == b->root ? 0 : key_kind(z->mz->alg);
		if (kind) {
			if (!material_of[kind]) {
				material_of[kind] = z;
				keyjobs_add(q, &material[kind], z, ksk);
			}
			continue;
		}
		keyjobs_add(q, &z->k.ksk, z, ksk);
		if ((int)i == b->root) {
			keyjobs_add(q, &z->k.next, z, ksk);
			keyjobs_add(q, &z->k.zsk, z, LDNS_KEY_ZONE_KEY);
		}
	}
	keyjobs_run(q);
	if (b->opts->key_dir && keys_to_store(b, q, &bad, &why) != 0) {
		free(q);
		return fail(b, SIGNER_ERR_KEYGEN, "zone %s: %s it in %s", bad, why, b->opts->key_dir);
	}
	free(q);
	for (size_t i = 0; i < b->n; i++) {
		struct zstate *z = &b->z[i];
		int kind = (int)i == b->root || z->mz->alg == 0 || z->mz->keys_from[0]
				   ? 0 : key_kind(z->mz->alg);
		if (kind && material[kind])
			z->k.ksk = key_on(material[kind], z->mz->alg, z->origin, ksk);
	}
	for (int kind = 1; kind < 3; kind++)
		if (material[kind])
			ldns_key_deep_free(material[kind]);
	/* keys=ZONE: that zone's key (RSA and DSA generation dominate the run time; the zones of
	 * one algorithm under different DS digest types need no keys of their own) */
	for (size_t i = 0; i < b->n; i++) {
		struct zstate *z = &b->z[i];
		for (size_t j = 0; z->mz->keys_from[0] && j < b->n; j++)
			if (strcmp(b->z[j].mz->name, z->mz->keys_from) == 0) {
				z->k.ksk = b->z[j].k.ksk;
				z->k.shared = 1;
			}
	}
	for (size_t i = 0; i < b->n; i++) {
		struct zstate *z = &b->z[i];
		int root = (int)i == b->root;
		if (z->mz->alg == 0)
			continue;
		if (!z->k.ksk || (root && (!z->k.next || !z->k.zsk)))
			return fail(b, SIGNER_ERR_KEYGEN, "zone %s: cannot generate an algorithm "
				    "%u key", zname(z), z->mz->alg);
		z->k.tag = ldns_key_keytag(z->k.ksk);
		if (root && keys_root_finish(b, z) != SIGNER_OK)
			return SIGNER_ERR_KEYGEN;
	}
	return SIGNER_OK;
}

/* ---- zone state ---- */

static const char *server_addr(const struct signer_opts *o, const char *role)
{
	for (size_t i = 0; i < o->n_servers; i++)
		if (o->servers[i].name && strcmp(o->servers[i].name, role) == 0)
			return o->servers[i].addr;
	return NULL;
}

static void file_name(char *out, size_t outlen, const char *name)
{
	size_t len = strlen(name);

	if (strcmp(name, ".") == 0)
		snprintf(out, outlen, "root.zone");
	else
		snprintf(out, outlen, "%.*s.zone", (int)(len - 1), name);
}

/* Fills b->z from the manifest: server address, origin, parent, output file, order. */
static enum signer_status states_init(struct build *b)
{
	unsigned char a4[4];

	b->n = b->m->n_zones;
	b->root = -1;
	for (size_t i = 0; i < b->n; i++) {
		struct zstate *z = &b->z[i];

		z->mz = &b->m->zones[i];
		z->parent = manifest_parent(b->m, i);
		z->addr = server_addr(b->opts, z->mz->server);
		if (!z->addr || inet_pton(AF_INET, z->addr, a4) != 1)
			return fail(b, SIGNER_ERR_MANIFEST, "%s:%d: server role '%s' has no IPv4 "
				    "address in the lab plan", b->m->path, z->mz->line,
				    z->mz->server);
		z->pub = z->addr;
		if (z->parent < 0 && b->opts->root_pub)
			z->pub = b->opts->root_pub;
		if (z->mz->via[0]) {
			z->pub = server_addr(b->opts, z->mz->via);
			if (!z->pub || inet_pton(AF_INET, z->pub, a4) != 1)
				return fail(b, SIGNER_ERR_MANIFEST, "%s:%d: via role '%s' has no "
					    "IPv4 address in the lab plan", b->m->path, z->mz->line,
					    z->mz->via);
		}
		z->origin = ldns_dname_new_frm_str(z->mz->name);
		if (!z->origin)
			return fail(b, SIGNER_ERR_MANIFEST, "%s:%d: bad zone name %s", b->m->path,
				    z->mz->line, z->mz->name);
		z->labels = ldns_dname_label_count(z->origin);
		if (strlen(z->mz->name) + sizeof ".zone" > sizeof z->file)
			return fail(b, SIGNER_ERR_MANIFEST, "%s:%d: zone name %s is too long for "
				    "a file name", b->m->path, z->mz->line, z->mz->name);
		file_name(z->file, sizeof z->file, z->mz->name);
		if (z->parent < 0 && !b->opts->reroot)
			b->root = (int)i;
	}
	for (size_t i = 0; i < b->n; i++) { /* stable insertion sort by depth */
		size_t j = i;
		while (j > 0 && b->z[b->order[j - 1]].labels > b->z[i].labels) {
			b->order[j] = b->order[j - 1];
			j--;
		}
		b->order[j] = i;
	}
	return SIGNER_OK;
}

/* ---- RR helpers ---- */

static int push_str(ldns_rr_list *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses one RR from a printf-style presentation line (absolute names) onto l. */
static int push_str(ldns_rr_list *l, const char *fmt, ...)
{
	char buf[1024];
	ldns_rr *rr = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (ldns_rr_new_frm_str(&rr, buf, TTL, NULL, NULL) != LDNS_STATUS_OK)
		return -1;
	if (!ldns_rr_list_push_rr(l, rr)) {
		ldns_rr_free(rr);
		return -1;
	}
	return 0;
}

static int push_rr(ldns_rr_list *l, ldns_rr *rr)
{
	if (!rr)
		return -1;
	if (!ldns_rr_list_push_rr(l, rr)) {
		ldns_rr_free(rr);
		return -1;
	}
	return 0;
}

/* Pushes the DNSKEY of k with the given TTL. */
static int push_key(ldns_rr_list *l, const ldns_key *k, uint32_t ttl)
{
	ldns_rr *rr = key2rr(k);

	if (rr)
		ldns_rr_set_ttl(rr, ttl);
	return push_rr(l, rr);
}

/* Replaces rdata field pos of rr with a one-octet or two-octet integer. */
static void set_rdf_int(ldns_rr *rr, size_t pos, ldns_rdf_type t, uint16_t v)
{
	ldns_rdf *f = t == LDNS_RDF_TYPE_INT16 ? ldns_native2rdf_int16(t, v)
					       : ldns_native2rdf_int8(t, (uint8_t)v);

	ldns_rdf_deep_free(ldns_rr_set_rdf(rr, f, pos));
}

/* ---- delegations ---- */

/* The DS of DNSKEY key in digest type t: 1, 2 and 4 computed, any other (an unassigned
 * type, manifest.c) the SHA-256 digest under that number. NULL on failure. */
static ldns_rr *ds_of(const ldns_rr *key, uint8_t t)
{
	ldns_hash h = t == 1 ? LDNS_SHA1 : t == 4 ? LDNS_SHA384 : LDNS_SHA256;
	ldns_rr *ds = ldns_key_rr2ds(key, h);

	if (ds && t != 1 && t != 2 && t != 4)
		set_rdf_int(ds, 2, LDNS_RDF_TYPE_INT8, t);
	return ds;
}

/* The DS the parent publishes for child c, per its ds= and digest= handling; NULL on
 * failure. A relabelled child's DS is that of its DNSKEY as published. */
static ldns_rr *child_ds(const struct zstate *c)
{
	ldns_rr *key = c->k.published ? ldns_rr_clone(c->k.published) : key2rr(c->k.ksk);
	ldns_rr *ds = NULL;
	ldns_key *throwaway;

	if (!key)
		return NULL;
	/* a key shared with other zones (keys=) carries the owner of the last zone signed */
	ldns_rdf_deep_free(ldns_rr_owner(key));
	ldns_rr_set_owner(key, ldns_rdf_clone(c->origin));
	switch (c->mz->ds) {
	case MANIFEST_DS_NORMAL:
		ds = ds_of(key, c->mz->digest);
		break;
	case MANIFEST_DS_UNKNOWN_ALG:
		ds = ds_of(key, c->mz->digest);
		if (ds)
			set_rdf_int(ds, 1, LDNS_RDF_TYPE_ALG, UNKNOWN_DS_ALG);
		break;
	case MANIFEST_DS_MISMATCH:
		throwaway = key_new(LDNS_SIGN_ECDSAP256SHA256, c->origin,
				    LDNS_KEY_ZONE_KEY | LDNS_KEY_SEP_KEY);
		if (throwaway) {
			ldns_rr_free(key);
			key = key2rr(throwaway);
			ldns_key_deep_free(throwaway);
			ds = key ? ds_of(key, c->mz->digest) : NULL;
		}
		if (ds) {
			set_rdf_int(ds, 0, LDNS_RDF_TYPE_INT16, c->k.published ?
				    ldns_calc_keytag(c->k.published) : c->k.tag);
			set_rdf_int(ds, 1, LDNS_RDF_TYPE_ALG, c->mz->relabel ? c->mz->relabel :
							       c->mz->alg);
		}
		break;
	case MANIFEST_DS_NONE:
		break;
	}
	ldns_rr_free(key);
	if (ds)
		ldns_rr_set_ttl(ds, TTL);
	return ds;
}

/* lab up --delegate: NS, glue and the DS lines of the file, in zone i if it is the
 * parent of the delegated name. */
static enum signer_status add_outside(struct build *b, size_t i, ldns_rr_list *l)
{
	const struct signer_opts *o = b->opts;
	const char *name = o->delegate_name, *dot = name ? strchr(name, '.') : NULL;
	if (!dot || strcasecmp(dot + 1, zname(&b->z[i])) != 0)
		return SIGNER_OK;
	char ns[MANIFEST_NAME_MAX + 4];
	join(ns, sizeof ns, "ns", name);
	if (push_str(l, "%s %u IN NS %s", name, TTL, ns) ||
	    push_str(l, "%s %u IN A %s", ns, TTL, o->delegate_addr))
		return fail(b, SIGNER_ERR_SIGN, "--delegate %s: cannot build the delegation", name);
	FILE *f = fopen(o->delegate_ds, "re");
	if (!f)
		return fail(b, SIGNER_ERR_IO, "--delegate %s: %s: %s", name, o->delegate_ds,
			    strerror(errno));
	ldns_rdf *owner = ldns_dname_new_frm_str(name);
	char line[2048];
	size_t n = 0;
	enum signer_status st = SIGNER_OK;
	while (st == SIGNER_OK && owner && fgets(line, sizeof line, f)) {
		line[strcspn(line, ";\r\n")] = '\0';
		if (strspn(line, " \t") == strlen(line))
			continue;
		ldns_rr *rr = NULL;
		if (ldns_rr_new_frm_str(&rr, line, TTL, NULL, NULL) != LDNS_STATUS_OK ||
		    ldns_rr_get_type(rr) != LDNS_RR_TYPE_DS ||
		    ldns_dname_compare(ldns_rr_owner(rr), owner) != 0) {
			ldns_rr_free(rr);
			st = fail(b, SIGNER_ERR_MANIFEST, "--delegate %s: %s: not a DS record of %s: "
				  "%.200s", name, o->delegate_ds, name, line);
		} else if (push_rr(l, rr)) {
			st = fail(b, SIGNER_ERR_SIGN, "out of memory");
		} else {
			n++;
		}
	}
	fclose(f);
	ldns_rdf_deep_free(owner);
	if (st == SIGNER_OK && n == 0)
		st = fail(b, SIGNER_ERR_MANIFEST, "--delegate %s: %s holds no DS record", name,
			  o->delegate_ds);
	return st;
}

/* NS, glue A and DS (per ds=) for every child of zone i. */
static enum signer_status add_delegations(struct build *b, size_t i, ldns_rr_list *l)
{
	enum signer_status st = add_outside(b, i, l);
	if (st != SIGNER_OK)
		return st;
	for (size_t j = 0; j < b->n; j++) {
		const struct zstate *c = &b->z[j];
		char ns[MANIFEST_NAME_MAX + 4];

		if (c->parent != (int)i)
			continue;
		join(ns, sizeof ns, "ns", zname(c));
		if (push_str(l, "%s %u IN NS %s", zname(c), TTL, ns) ||
		    push_str(l, "%s %u IN A %s", ns, TTL, c->pub))
			return fail(b, SIGNER_ERR_SIGN, "zone %s: cannot build the delegation "
				    "to %s", zname(&b->z[i]), zname(c));
		if (c->mz->alg == 0 || c->mz->ds == MANIFEST_DS_NONE)
			continue;
		if (push_rr(l, child_ds(c)))
			return fail(b, SIGNER_ERR_SIGN, "zone %s: cannot compute the DS of %s",
				    zname(&b->z[i]), zname(c));
	}
	return SIGNER_OK;
}

/* ---- zone content ---- */

/* SOA, apex NS and its address record, DNSKEYs, RFC 8509 sentinel names, and in the
 * lab-zone the marker of the vectors. */
static enum signer_status add_apex(struct build *b, size_t i, ldns_rr_list *l)
{
	const struct zstate *z = &b->z[i];
	const char *name = zname(z);
	int root = (int)i == b->root;
	char ns[MANIFEST_NAME_MAX + 4], rname[MANIFEST_NAME_MAX + 12];
	int bad = 0;

	join(ns, sizeof ns, "ns", name);
	join(rname, sizeof rname, "hostmaster", name);
	uint32_t serial = root && b->serial ? b->serial : (uint32_t)b->opts->now;
	uint32_t key_ttl = root && b->opts->roll_ttl ? b->opts->roll_ttl : TTL;
	bad |= push_str(l, "%s %u IN SOA %s %s %u 7200 3600 1209600 %u", name, TTL,
			root ? ROOT_NS : ns, root ? ROOT_RNAME : rname, (unsigned)serial, NEG_TTL);
	bad |= push_str(l, "%s %u IN NS %s", name, TTL, root ? ROOT_NS : ns);
	bad |= push_str(l, "%s %u IN A %s", root ? ROOT_NS : ns, TTL, z->pub);
	if (z->k.ksk && !(root && b->root_step == SIGNER_ROOT_CURRENT_REMOVED))
		bad |= push_key(l, z->k.ksk, key_ttl);
	if (z->k.next)
		bad |= push_key(l, z->k.next, key_ttl);
	if (z->k.zsk)
		bad |= push_key(l, z->k.zsk, key_ttl);
	if (z->mz->sentinel_addr[0]) { /* the root is always signed (checked in run) */
		/* rerooted (serve): the tags given, the real root's by default */
		const struct zstate *r = b->root >= 0 ? &b->z[b->root] : NULL;
		const uint16_t tags[2] = {r ? r->k.tag : b->opts->sentinel_tags[0],
					  r ? r->k.next_tag : b->opts->sentinel_tags[1]};
		/* the rehearsal asks them again after each step: no answer may outlive one */
		const uint32_t sentinel_ttl = b->opts->roll_ttl ? b->opts->roll_ttl : TTL;
		for (size_t t = 0; t < 2; t++) {
			if (!tags[t])
				continue;
			bad |= push_str(l, "root-key-sentinel-is-ta-%05u.%s %u IN A %s", tags[t],
					root ? "" : name, sentinel_ttl, z->mz->sentinel_addr);
			bad |= push_str(l, "root-key-sentinel-not-ta-%05u.%s %u IN A %s", tags[t],
					root ? "" : name, sentinel_ttl, z->mz->sentinel_addr);
		}
	}
	if (strcmp(name, b->m->lab_zone) == 0) {
		char marker[MANIFEST_NAME_MAX + 16];
		join(marker, sizeof marker, TP_MARKER_LABEL, name);
		bad |= push_str(l, "%s %u IN TXT \"%s %u\"", marker, TTL, TP_MARKER_TEXT,
				b->m->version);
		if (b->opts->attacker)
			bad |= push_str(l, "%s %u IN TXT \"%s\"", marker, TTL, TP_MARKER_ATTACKER);
	}
	if (bad)
		return fail(b, SIGNER_ERR_SIGN, "zone %s: cannot build apex records", name);
	return SIGNER_OK;
}

static int in_zone(const ldns_rdf *owner, const ldns_rdf *origin)
{
	return ldns_dname_compare(owner, origin) == 0 || ldns_dname_is_subdomain(owner, origin);
}

/* Rejects template RRs that the signer owns or that belong elsewhere. */
static enum signer_status check_template(struct build *b, size_t i, const char *path,
					 const ldns_rr_list *rrs)
{
	const struct zstate *z = &b->z[i];
	char nsname[MANIFEST_NAME_MAX + 4], mname[MANIFEST_NAME_MAX + 16];
	ldns_rdf *ns, *marker;
	enum signer_status st = SIGNER_OK;

	if ((int)i == b->root)
		snprintf(nsname, sizeof nsname, "%s", ROOT_NS);
	else
		join(nsname, sizeof nsname, "ns", zname(z));
	join(mname, sizeof mname, TP_MARKER_LABEL, zname(z));
	ns = ldns_dname_new_frm_str(nsname);
	marker = ldns_dname_new_frm_str(mname);
	if (!ns || !marker) {
		ldns_rdf_deep_free(ns);
		ldns_rdf_deep_free(marker);
		return fail(b, SIGNER_ERR_TEMPLATE, "%s: out of memory", path);
	}
	for (size_t r = 0; st == SIGNER_OK && r < ldns_rr_list_rr_count(rrs); r++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, r);
		const ldns_rdf *owner = ldns_rr_owner(rr);
		ldns_rr_type type = ldns_rr_get_type(rr);
		char *s = ldns_rdf2str(owner);
		const char *why = NULL;

		if (!in_zone(owner, z->origin))
			why = "is outside the zone";
		else if (type == LDNS_RR_TYPE_SOA || type == LDNS_RR_TYPE_DNSKEY ||
			 type == LDNS_RR_TYPE_RRSIG || type == LDNS_RR_TYPE_NSEC ||
			 type == LDNS_RR_TYPE_NSEC3 || type == LDNS_RR_TYPE_NSEC3PARAM ||
			 type == LDNS_RR_TYPE_DS)
			why = "has a type the signer generates";
		else if (type == LDNS_RR_TYPE_NS && ldns_dname_compare(owner, z->origin) == 0)
			why = "is an apex NS (the signer adds it)";
		else if (ldns_dname_compare(owner, ns) == 0)
			why = "uses the name the signer gives the zone's server";
		else if (strcmp(zname(z), b->m->lab_zone) == 0 &&
			 ldns_dname_compare(owner, marker) == 0)
			why = "uses the name of the vectors' marker (the signer writes it)";
		for (size_t j = 0; !why && j < b->n; j++)
			if (b->z[j].parent == (int)i && in_zone(owner, b->z[j].origin))
				why = "lies in a child zone";
		if (why)
			st = fail(b, SIGNER_ERR_TEMPLATE, "%s: record at %s %s", path,
				  s ? s : "?", why);
		free(s);
	}
	ldns_rdf_deep_free(ns);
	ldns_rdf_deep_free(marker);
	return st;
}

/* Reads RRs from f (relative names resolved against origin) onto l. Not
 * ldns_zone_new_frm_fp_l: in ldns 1.8.3 it leaks the RRs read before a syntax error. */
static ldns_status read_rrs(FILE *f, const ldns_rdf *origin, ldns_rr_list *l, int *line)
{
	uint32_t ttl = TTL;
	ldns_rdf *orig = ldns_rdf_clone(origin);
	ldns_rdf *prev = ldns_rdf_clone(origin);
	ldns_status s = orig && prev ? LDNS_STATUS_OK : LDNS_STATUS_MEM_ERR;

	while (s == LDNS_STATUS_OK && !feof(f)) {
		ldns_rr *rr = NULL;
		s = ldns_rr_new_frm_fp_l(&rr, f, &ttl, &orig, &prev, line);
		if (s == LDNS_STATUS_OK && !ldns_rr_list_push_rr(l, rr)) {
			ldns_rr_free(rr);
			s = LDNS_STATUS_MEM_ERR;
		} else if (s == LDNS_STATUS_SYNTAX_EMPTY || s == LDNS_STATUS_SYNTAX_TTL ||
			   s == LDNS_STATUS_SYNTAX_ORIGIN) {
			s = LDNS_STATUS_OK; /* blank or comment line, $TTL, $ORIGIN */
		}
	}
	ldns_rdf_deep_free(orig);
	ldns_rdf_deep_free(prev);
	return s;
}

/* Expands the "{name}" variables of template text (from path) with opts->vars into a new
 * malloc'd string *out. A '{' that starts no well-formed name, and a name the caller gave
 * no value, are SIGNER_ERR_TEMPLATE with path:line. */
static enum signer_status expand_vars(struct build *b, const char *path, const char *text,
				      char **out)
{
	size_t cap = strlen(text) + 1, n = 0;
	for (const char *p = text; *p; p++)
		cap += *p == '{' ? 256 : 0;
	char *o = malloc(cap);
	if (!o)
		return fail(b, SIGNER_ERR_TEMPLATE, "%s: out of memory", path);
	int line = 1;
	for (const char *p = text; *p; p++) {
		line += *p == '\n';
		if (*p != '{') {
			o[n++] = *p;
			continue;
		}
		size_t k = 1;
		while (k <= 32 && (islower((unsigned char)p[k]) || isdigit((unsigned char)p[k]) ||
				   p[k] == '_'))
			k++;
		const char *val = NULL;
		if (p[k] == '}' && k > 1)
			for (size_t v = 0; v < b->opts->n_vars && !val; v++)
				if (strlen(b->opts->vars[v].name) == k - 1 &&
				    strncmp(b->opts->vars[v].name, p + 1, k - 1) == 0)
					val = b->opts->vars[v].value;
		if (!val || strlen(val) > 255 || strchr(val, '\n')) {
			free(o);
			if (p[k] != '}' || k == 1)
				return fail(b, SIGNER_ERR_TEMPLATE, "%s:%d: '{' starts no variable "
					    "name ({name}: lower case, digits, '_')", path, line);
			return fail(b, SIGNER_ERR_TEMPLATE, "%s:%d: variable {%.*s} has no value "
				    "(the lab gives it: signer_opts.vars)", path, line, (int)(k - 1),
				    p + 1);
		}
		memcpy(o + n, val, strlen(val));
		n += strlen(val);
		p += k;
	}
	o[n] = '\0';
	*out = o;
	return SIGNER_OK;
}

/* Reads zone i's template under <vectors>/zones/ into w->tmpl, its variables expanded. */
static enum signer_status load_template(struct build *b, size_t i, struct zwork *w)
{
	const struct zstate *z = &b->z[i];
	char path[PATH_LEN];
	int line = 0;
	ldns_status s;
	FILE *f;

	snprintf(path, sizeof path, "%s/zones/%s", b->opts->vectors_dir, z->mz->template_file);
	size_t len;
	char *text = tp_read_file(path, TEMPLATE_MAX, &len);
	if (!text)
		return fail(b, SIGNER_ERR_TEMPLATE, "%s (zone %s, %s:%d): %s", path, zname(z),
			    b->m->path, z->mz->line, tp_read_strerror(errno));
	char *exp = NULL;
	enum signer_status vs = expand_vars(b, path, text, &exp);
	free(text);
	if (vs != SIGNER_OK)
		return vs;
	f = fmemopen(exp, strlen(exp), "r");
	if (!f) {
		free(exp);
		return fail(b, SIGNER_ERR_TEMPLATE, "%s: %s", path, strerror(errno));
	}
	w->tmpl = ldns_rr_list_new();
	s = w->tmpl ? read_rrs(f, z->origin, w->tmpl, &line) : LDNS_STATUS_MEM_ERR;
	fclose(f);
	free(exp);
	if (s != LDNS_STATUS_OK)
		return fail(b, SIGNER_ERR_TEMPLATE, "%s:%d: %s", path, line,
			    ldns_get_errorstr_by_id(s));
	return check_template(b, i, path, w->tmpl);
}

/* Adds every RR of l to the dnssec zone (SOA first, as ldns wants). */
static enum signer_status add_list(struct build *b, size_t i, ldns_dnssec_zone *dz,
				   const ldns_rr_list *l)
{
	for (size_t r = 0; r < ldns_rr_list_rr_count(l); r++) {
		ldns_rr *rr = ldns_rr_list_rr(l, r);
		ldns_status s = ldns_dnssec_zone_add_rr(dz, rr);
		if (s != LDNS_STATUS_OK) {
			char *str = ldns_rr2str(rr);
			size_t len = str ? strlen(str) : 0;
			if (len && str[len - 1] == '\n')
				str[len - 1] = '\0';
			fail(b, SIGNER_ERR_TEMPLATE, "zone %s: cannot add '%s': %s",
			     zname(&b->z[i]), str ? str : "?", ldns_get_errorstr_by_id(s));
			free(str);
			return SIGNER_ERR_TEMPLATE;
		}
	}
	return SIGNER_OK;
}

/* ---- signing ---- */

static void window(const struct build *b, enum manifest_window w, uint32_t *inc,
		   uint32_t *exp)
{
	time_t now = b->opts->now;

	switch (w) {
	/* The bogus windows sit a week away from now: validators allow clock skew
	 * (unbound's val-sig-skew-max, 1 day by default, accepted an inception of now+1d
	 * in the lab), and a case must be bogus under any sane skew allowance. */
	case MANIFEST_WIN_EXPIRED:
		*inc = (uint32_t)(now - 37 * DAY);
		*exp = (uint32_t)(now - 7 * DAY);
		break;
	case MANIFEST_WIN_NOTYET:
		*inc = (uint32_t)(now + 7 * DAY);
		*exp = (uint32_t)(now + 37 * DAY);
		break;
	default:
		if (b->opts->sig_valid) { /* serve: re-signed before this */
			*inc = (uint32_t)(now - 40 * DAY);
			*exp = (uint32_t)(now + (time_t)b->opts->sig_valid);
			break;
		}
		/* Wide, so that a validator whose clock is off by up to 40 days still
		 * validates the chain of trust and so shows its clock in the bogus windows
		 * above: one 7 to 37 days behind accepts "expired", one 7 to 37 days ahead
		 * "notyet" (compare.c, the diagnosis' clock rules). With a narrow window
		 * such a clock fails everything alike, which looks like a wrong anchor. */
		*inc = (uint32_t)(now - 40 * DAY);
		*exp = (uint32_t)(now + 40 * DAY);
		break;
	}
}

/* The signing key list of zone z: its KSK/CSK, the root's next KSK once it signs,
 * and the root's ZSK, each with the zone's signature window. */
static int keylist_make(const struct build *b, const struct zstate *z, struct zwork *w)
{
	ldns_key *ks[3] = {z->k.ksk, NULL, z->k.zsk};
	uint32_t inc, exp;

	if (z->k.next && b->root_step >= 0) {
		/* the rehearsal's steps (signer.h): the current KSK stops signing when the
		 * next one takes over, signs again only to prove its own revocation (RFC 5011
		 * 2.1: a revoked key self-signs), and is gone once removed */
		ks[0] = b->root_step == SIGNER_ROOT_PUBLISH_NEXT ||
				b->root_step == SIGNER_ROOT_CURRENT_REVOKED ? z->k.ksk : NULL;
		ks[1] = b->root_step == SIGNER_ROOT_PUBLISH_NEXT ? NULL : z->k.next;
	} else if (z->k.next && (z->mz->roll != MANIFEST_ROLL_PUBLISH_NEXT || z->k.next_signs)) {
		ks[1] = z->k.next;
	}
	window(b, z->mz->window, &inc, &exp);
	w->keys = ldns_key_list_new();
	if (!w->keys)
		return -1;
	for (size_t i = 0; i < 3; i++) {
		if (!ks[i])
			continue;
		ldns_key_set_inception(ks[i], inc);
		ldns_key_set_expiration(ks[i], exp);
		if (!ldns_key_list_push_key(w->keys, ks[i]))
			return -1;
	}
	return 0;
}

static void keylist_release(struct zwork *w)
{
	if (!w->keys)
		return;
	/* the keys belong to the zone state: empty the list so that ldns_key_list_free
	 * frees only the list (ldns_key_list_pop_key is broken in ldns 1.8.3) */
	ldns_key_list_set_key_count(w->keys, 0);
	ldns_key_list_free(w->keys);
	w->keys = NULL;
}

/* Keys that sign data (not DNSKEY) RRsets: ZSKs if any, else all (CSKs). */
static void keylist_data_only(ldns_key_list *keys)
{
	int have_zsk = 0;

	for (size_t i = 0; i < ldns_key_list_key_count(keys); i++)
		if (!(ldns_key_flags(ldns_key_list_key(keys, i)) & LDNS_KEY_SEP_KEY))
			have_zsk = 1;
	for (size_t i = 0; i < ldns_key_list_key_count(keys); i++) {
		ldns_key *k = ldns_key_list_key(keys, i);
		ldns_key_set_use(k, !have_zsk || !(ldns_key_flags(k) & LDNS_KEY_SEP_KEY));
	}
}

/* An insecure delegation: NS without SOA or DS, not occluded. */
static int insecure_cut(const ldns_dnssec_name *n)
{
	return !n->is_glue && ldns_dnssec_rrsets_contains_type(n->rrsets, LDNS_RR_TYPE_NS) &&
	       !ldns_dnssec_rrsets_contains_type(n->rrsets, LDNS_RR_TYPE_SOA) &&
	       !ldns_dnssec_rrsets_contains_type(n->rrsets, LDNS_RR_TYPE_DS);
}

/* Appends sig (owned by the caller's list) to name n's NSEC3 signatures. */
static int attach_nsec_sig(ldns_dnssec_name *n, ldns_rr *sig)
{
	if (n->nsec_signatures)
		return ldns_dnssec_rrs_add_rr(n->nsec_signatures, sig) == LDNS_STATUS_OK ? 0 : -1;
	n->nsec_signatures = ldns_dnssec_rrs_new();
	if (!n->nsec_signatures)
		return -1;
	n->nsec_signatures->rr = sig;
	return 0;
}

/* Replaces the signatures over name n's NSEC3 with fresh ones. */
static int resign_nsec3(struct zwork *w, ldns_dnssec_name *n)
{
	ldns_rr_list *one = ldns_rr_list_new();
	ldns_rr_list *sigs;
	int rc = 0;

	if (!one || !ldns_rr_list_push_rr(one, n->nsec)) {
		ldns_rr_list_free(one);
		return -1;
	}
	ldns_dnssec_rrs_free(n->nsec_signatures); /* the old RRSIGs stay owned by w->made */
	n->nsec_signatures = NULL;
	keylist_data_only(w->keys);
	sigs = ldns_sign_public(one, w->keys);
	ldns_rr_list_free(one);
	if (!sigs || ldns_rr_list_rr_count(sigs) == 0)
		rc = -1;
	for (size_t i = 0; sigs && i < ldns_rr_list_rr_count(sigs); i++) {
		ldns_rr *sig = ldns_rr_list_rr(sigs, i);
		if (rc != 0 || !ldns_rr_list_push_rr(w->made, sig)) {
			ldns_rr_free(sig);
			rc = -1;
		} else if (attach_nsec_sig(n, sig)) {
			rc = -1;
		}
	}
	ldns_rr_list_free(sigs);
	return rc;
}

/* True opt-out (RFC 5155 6): ldns sets the opt-out flag but still gives insecure
 * delegations an NSEC3. Drop those, link each predecessor to the dropped record's
 * next hash, and re-sign the predecessors. */
static int optout_prune(struct zwork *w)
{
	ldns_rbtree_t *h = w->dz->hashed_names;
	ldns_dnssec_name **v;
	size_t n = 0, cnt = h ? h->count : 0;
	int rc = 0;

	if (cnt == 0)
		return 0;
	v = calloc(cnt, sizeof *v);
	if (!v)
		return -1;
	for (ldns_rbnode_t *node = ldns_rbtree_first(h); node != LDNS_RBTREE_NULL;
	     node = ldns_rbtree_next(node)) {
		ldns_dnssec_name *nm = (ldns_dnssec_name *)node->data;
		if (nm->nsec && n < cnt)
			v[n++] = nm;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		size_t j = (i + 1) % n, last = i;
		if (insecure_cut(v[i]))
			continue;
		while (j != i && insecure_cut(v[j])) {
			last = j;
			j = (j + 1) % n;
		}
		if (last == i)
			continue;
		ldns_rdf_deep_free(ldns_rr_set_rdf(v[i]->nsec,
						   ldns_rdf_clone(ldns_rr_rdf(v[last]->nsec, 4)), 4));
		rc = resign_nsec3(w, v[i]);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!insecure_cut(v[i]))
			continue;
		v[i]->nsec = NULL; /* the NSEC3 and its RRSIGs stay owned by w->made */
		ldns_dnssec_rrs_free(v[i]->nsec_signatures);
		v[i]->nsec_signatures = NULL;
	}
	free(v);
	return rc;
}

/* fault=corrupt-rrsig:<label>: flips one octet of each signature over the A RRset. */
static enum signer_status corrupt(struct build *b, size_t i, struct zwork *w)
{
	const struct zstate *z = &b->z[i];
	char owner[2 * MANIFEST_NAME_MAX];
	ldns_rdf *o;
	ldns_dnssec_rrsets *set;

	join(owner, sizeof owner, z->mz->corrupt_owner, zname(z));
	o = ldns_dname_new_frm_str(owner);
	set = o ? ldns_dnssec_zone_find_rrset(w->dz, o, LDNS_RR_TYPE_A) : NULL;
	ldns_rdf_deep_free(o);
	if (!set || !set->signatures)
		return fail(b, SIGNER_ERR_TEMPLATE, "%s:%d: fault corrupt-rrsig: no signed A "
			    "RRset at %s", b->m->path, z->mz->line, owner);
	for (ldns_dnssec_rrs *s = set->signatures; s; s = s->next) {
		ldns_rdf *sig = ldns_rr_rdf(s->rr, 8);
		if (!sig || ldns_rdf_size(sig) == 0)
			return fail(b, SIGNER_ERR_SIGN, "zone %s: empty RRSIG", zname(z));
		ldns_rdf_data(sig)[ldns_rdf_size(sig) / 2] ^= 0xff;
	}
	return SIGNER_OK;
}

/* Replaces the signatures over set with fresh ones by keys. With as_owner the signatures
 * are computed over that owner (a wildcard form: bend=labels) and then given the set's
 * own owner. The old RRSIGs stay owned by w->made. */
static int resign_set(struct zwork *w, ldns_dnssec_rrsets *set, ldns_key_list *keys,
		      const ldns_rdf *as_owner)
{
	ldns_rr_list *l = ldns_rr_list_new();
	int rc = 0;
	if (!l || !set->rrs)
		rc = -1;
	for (ldns_dnssec_rrs *r = set->rrs; rc == 0 && r; r = r->next) {
		ldns_rr *c = ldns_rr_clone(r->rr);
		if (c && as_owner) {
			ldns_rdf_deep_free(ldns_rr_owner(c));
			ldns_rr_set_owner(c, ldns_rdf_clone(as_owner));
		}
		if (!c || !ldns_rr_list_push_rr(l, c)) {
			ldns_rr_free(c);
			rc = -1;
		}
	}
	ldns_rr_list *sigs = rc == 0 ? ldns_sign_public(l, keys) : NULL;
	ldns_rr_list_deep_free(l);
	if (!sigs || ldns_rr_list_rr_count(sigs) == 0) {
		ldns_rr_list_deep_free(sigs);
		return -1;
	}
	ldns_dnssec_rrs_free(set->signatures);
	set->signatures = NULL;
	for (size_t i = 0; i < ldns_rr_list_rr_count(sigs); i++) {
		ldns_rr *sig = ldns_rr_list_rr(sigs, i);
		if (as_owner) {
			ldns_rdf_deep_free(ldns_rr_owner(sig));
			ldns_rr_set_owner(sig, ldns_rdf_clone(ldns_rr_owner(set->rrs->rr)));
		}
		if (rc != 0 || !ldns_rr_list_push_rr(w->made, sig)) {
			ldns_rr_free(sig);
			rc = -1;
			continue;
		}
		if (!set->signatures) {
			if (!(set->signatures = ldns_dnssec_rrs_new()))
				rc = -1;
			else
				set->signatures->rr = sig;
		} else if (ldns_dnssec_rrs_add_rr(set->signatures, sig) != LDNS_STATUS_OK) {
			rc = -1;
		}
	}
	ldns_rr_list_free(sigs);
	return rc;
}

/* bend=: the attacker's signer signs malformed records with the zone's own keys
 * (testvectors/README, "bend="). */
static enum signer_status bend(struct build *b, size_t i, struct zwork *w)
{
	const struct zstate *z = &b->z[i];
	const struct manifest_zone *mz = z->mz;
	char owner[2 * MANIFEST_NAME_MAX];
	join(owner, sizeof owner, mz->bend_owner[0] ? mz->bend_owner : "@", zname(z));
	ldns_rdf *o = ldns_dname_new_frm_str(mz->bend_owner[0] ? owner : zname(z));
	enum signer_status st = SIGNER_OK;
	if (!o)
		return fail(b, SIGNER_ERR_TEMPLATE, "%s:%d: bend: bad owner %s", b->m->path,
			    mz->line, owner);
	if (mz->bend == MANIFEST_BEND_NSEC3_OWNER) {
		/* a copy of one of the zone's NSEC3s, moved to an owner outside the zone and
		 * spanning every hash (next = the highest base32hex hash), signed by the zone */
		ldns_rbnode_t *node = w->dz->hashed_names ? ldns_rbtree_first(w->dz->hashed_names)
							  : LDNS_RBTREE_NULL;
		const ldns_dnssec_name *n = node != LDNS_RBTREE_NULL ? node->data : NULL;
		ldns_rdf *to = ldns_dname_new_frm_str(mz->bend_next), *next = NULL;
		ldns_rr *c = n && n->nsec ? ldns_rr_clone(n->nsec) : NULL;
		ldns_rr_list *one = ldns_rr_list_new(), *s = NULL;
		int ok = c && to && one && ldns_rr_get_type(c) == LDNS_RR_TYPE_NSEC3 &&
			 ldns_str2rdf_b32_ext(&next, "VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV") ==
				 LDNS_STATUS_OK;
		if (ok) {
			ldns_rdf_deep_free(ldns_rr_owner(c));
			ldns_rr_set_owner(c, to);
			to = NULL;
			ldns_rdf_deep_free(ldns_rr_set_rdf(c, next, 4));
			next = NULL;
			keylist_data_only(w->keys);
			ok = ldns_rr_list_push_rr(one, c) && (s = ldns_sign_public(one, w->keys)) &&
			     ldns_rr_list_rr_count(s) > 0 && (w->bent = ldns_rr_list_new());
		}
		if (ok) {
			ldns_rr_list_push_rr(w->bent, c);
			ldns_rr_list_cat(w->bent, s);
			ldns_rr_list_free(s);
			ldns_rr_list_free(one);
		} else {
			ldns_rr_free(c);
			ldns_rr_list_free(one);
			ldns_rr_list_deep_free(s);
		}
		ldns_rdf_deep_free(to);
		ldns_rdf_deep_free(next);
		ldns_rdf_deep_free(o);
		return ok ? SIGNER_OK : fail(b, SIGNER_ERR_TEMPLATE, "%s:%d: bend nsec3-owner needs "
					     "a signed denial=nsec3 zone", b->m->path, mz->line);
	}
	if (mz->bend == MANIFEST_BEND_NSEC_NEXT) {
		ldns_rbnode_t *node = ldns_rbtree_search(w->dz->names, o);
		ldns_dnssec_name *n = node && node != LDNS_RBTREE_NULL ?
				      (ldns_dnssec_name *)(uintptr_t)node->data : NULL;
		ldns_rdf *next = ldns_dname_new_frm_str(mz->bend_next);
		if (!n || !n->nsec || ldns_rr_get_type(n->nsec) != LDNS_RR_TYPE_NSEC || !next) {
			ldns_rdf_deep_free(next);
			st = fail(b, SIGNER_ERR_TEMPLATE, "%s:%d: bend nsec-next: no NSEC at %s",
				  b->m->path, mz->line, owner);
		} else {
			ldns_rdf_deep_free(ldns_rr_set_rdf(n->nsec, next, 0));
			if (resign_nsec3(w, n)) /* re-signs n->nsec, whatever its type */
				st = fail(b, SIGNER_ERR_SIGN, "zone %s: bend re-signing failed", zname(z));
		}
		ldns_rdf_deep_free(o);
		return st;
	}
	ldns_dnssec_rrsets *set = ldns_dnssec_zone_find_rrset(w->dz, o, (ldns_rr_type)mz->bend_type);
	if (!set || !set->signatures) {
		ldns_rdf_deep_free(o);
		return fail(b, SIGNER_ERR_TEMPLATE, "%s:%d: bend: no signed RRset of that type at %s",
			    b->m->path, mz->line, owner);
	}
	int rc;
	if (mz->bend == MANIFEST_BEND_LABELS) {
		/* Labels N: the signature is over *.<rightmost N labels>, as if expanded from
		 * that wildcard (RFC 4035 5.3.2), whatever the signer's own label count */
		size_t cnt = ldns_dname_label_count(o);
		ldns_rdf *tail = mz->bend_labels <= cnt ?
			ldns_dname_clone_from(o, cnt - mz->bend_labels) : NULL;
		char *ts = tail ? ldns_rdf2str(tail) : NULL;
		char wc[2 * MANIFEST_NAME_MAX + 4];
		snprintf(wc, sizeof wc, "*.%s", ts && strcmp(ts, ".") ? ts : "");
		ldns_rdf *as = ts ? ldns_dname_new_frm_str(wc) : NULL;
		keylist_data_only(w->keys);
		rc = as ? resign_set(w, set, w->keys, as) : -1;
		free(ts);
		ldns_rdf_deep_free(tail);
		ldns_rdf_deep_free(as);
	} else {
		ldns_key_list *one = ldns_key_list_new();
		uint32_t inc, exp;
		window(b, mz->window, &inc, &exp);
		ldns_key_set_inception(w->revoked, inc);
		ldns_key_set_expiration(w->revoked, exp);
		ldns_key_set_use(w->revoked, 1);
		rc = (one && ldns_key_list_push_key(one, w->revoked)) ?
			resign_set(w, set, one, NULL) : -1;
		if (one) {
			ldns_key_list_set_key_count(one, 0);
			ldns_key_list_free(one);
		}
	}
	ldns_rdf_deep_free(o);
	if (rc)
		return fail(b, SIGNER_ERR_SIGN, "zone %s: bend re-signing failed", zname(z));
	return SIGNER_OK;
}

/* The name that starts the key and signature fields of a PRIVATEDNS (253) DNSKEY and
 * RRSIG (RFC 4034 A.1.1), in wire form: unknown-algorithm.example., an algorithm no
 * validator can know. */
static const uint8_t private_name[] = "\021unknown-algorithm\007example";

/* Replaces rdata field pos of rr with prefix followed by its old bytes. */
static int prefix_rdf(ldns_rr *rr, size_t pos, const uint8_t *prefix, size_t plen)
{
	const ldns_rdf *old = ldns_rr_rdf(rr, pos);
	size_t olen = old ? ldns_rdf_size(old) : 0;
	uint8_t *buf = malloc(plen + olen);
	ldns_rdf *f;

	if (!old || !buf) {
		free(buf);
		return -1;
	}
	memcpy(buf, prefix, plen);
	memcpy(buf + plen, ldns_rdf_data(old), olen);
	f = ldns_rdf_new_frm_data(ldns_rdf_get_type(old), plen + olen, buf);
	free(buf);
	if (!f)
		return -1;
	ldns_rdf_deep_free(ldns_rr_set_rdf(rr, f, pos));
	return 0;
}

/* relabel=N: after signing, every DNSKEY of the zone and every RRSIG ldns made gets
 * algorithm N (with 253 the name of RFC 4034 A.1.1 before the key and the signature) and
 * the key tag of the relabelled key: an algorithm no validator implements, whose
 * signatures none can check. The KSK's relabelled DNSKEY is kept for the parent's DS. */
static enum signer_status relabel(struct build *b, size_t i, struct zwork *w)
{
	struct zstate *z = &b->z[i];
	const uint8_t alg = z->mz->relabel;
	uint16_t from[4], to[4];
	size_t nk = 0;
	ldns_rr *ksk = key2rr(z->k.ksk);
	uint16_t ksk_tag = ksk ? ldns_calc_keytag(ksk) : 0;

	ldns_rr_free(ksk);
	for (size_t r = 0; r < ldns_rr_list_rr_count(w->extra); r++) {
		ldns_rr *rr = ldns_rr_list_rr(w->extra, r);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_DNSKEY || nk == 4)
			continue;
		from[nk] = ldns_calc_keytag(rr);
		set_rdf_int(rr, 2, LDNS_RDF_TYPE_ALG, alg);
		if (alg == LDNS_PRIVATEDNS &&
		    prefix_rdf(rr, 3, private_name, sizeof private_name))
			return fail(b, SIGNER_ERR_SIGN, "zone %s: relabel failed", zname(z));
		to[nk] = ldns_calc_keytag(rr);
		if (from[nk] == ksk_tag) {
			ldns_rr_free(z->k.published);
			z->k.published = ldns_rr_clone(rr);
		}
		nk++;
	}
	for (size_t r = 0; r < ldns_rr_list_rr_count(w->made); r++) {
		ldns_rr *rr = ldns_rr_list_rr(w->made, r);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG)
			continue;
		uint16_t tag = ldns_rdf2native_int16(ldns_rr_rrsig_keytag(rr));
		for (size_t k = 0; k < nk; k++)
			if (tag == from[k]) {
				set_rdf_int(rr, 6, LDNS_RDF_TYPE_INT16, to[k]);
				break;
			}
		set_rdf_int(rr, 1, LDNS_RDF_TYPE_ALG, alg);
		if (alg == LDNS_PRIVATEDNS &&
		    prefix_rdf(rr, 8, private_name, sizeof private_name))
			return fail(b, SIGNER_ERR_SIGN, "zone %s: relabel failed", zname(z));
	}
	if (!z->k.published)
		return fail(b, SIGNER_ERR_SIGN, "zone %s: relabel: no DNSKEY of its key", zname(z));
	return SIGNER_OK;
}

static enum signer_status sign_zone(struct build *b, size_t i, struct zwork *w)
{
	const struct zstate *z = &b->z[i];
	const struct manifest_zone *mz = z->mz;
	ldns_status s;

	if (keylist_make(b, z, w))
		return fail(b, SIGNER_ERR_SIGN, "zone %s: out of memory", zname(z));
	if (mz->denial == MANIFEST_NSEC3)
		s = ldns_dnssec_zone_sign_nsec3_flg(w->dz, w->made, w->keys,
						    ldns_dnssec_default_replace_signatures, NULL,
						    LDNS_SHA1, mz->optout ? LDNS_NSEC3_VARS_OPTOUT_MASK : 0,
						    mz->iterations, mz->salt_len,
						    (uint8_t *)mz->salt, 0);
	else
		s = ldns_dnssec_zone_sign_flg(w->dz, w->made, w->keys,
					      ldns_dnssec_default_replace_signatures, NULL, 0);
	if (s != LDNS_STATUS_OK)
		return fail(b, SIGNER_ERR_SIGN, "zone %s: ldns: %s", zname(z),
			    ldns_get_errorstr_by_id(s));
	if (mz->denial == MANIFEST_NSEC3 && mz->optout && optout_prune(w))
		return fail(b, SIGNER_ERR_SIGN, "zone %s: opt-out re-signing failed", zname(z));
	if (mz->bend != MANIFEST_BEND_NONE) {
		enum signer_status st = bend(b, i, w);
		if (st != SIGNER_OK)
			return st;
	}
	if (mz->corrupt_owner[0])
		return corrupt(b, i, w);
	if (mz->relabel)
		return relabel(b, i, w);
	return SIGNER_OK;
}

/* ---- output ---- */

static enum signer_status out_open(struct build *b, const char *rel, FILE **f, char *path,
				   size_t pathlen)
{
	snprintf(path, pathlen, "%s/%s", b->opts->out_dir, rel);
	*f = fopen(path, "w");
	if (!*f)
		return fail(b, SIGNER_ERR_IO, "%s: %s", path, strerror(errno));
	return SIGNER_OK;
}

static enum signer_status out_close(struct build *b, FILE *f, const char *path)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad)
		return fail(b, SIGNER_ERR_IO, "%s: write failed", path);
	return SIGNER_OK;
}

static enum signer_status write_zone(struct build *b, size_t i, const ldns_dnssec_zone *dz)
{
	const struct zstate *z = &b->z[i];
	char rel[128], path[PATH_LEN];
	enum signer_status st;
	FILE *f;

	snprintf(rel, sizeof rel, "zones/%s", z->file);
	if ((st = out_open(b, rel, &f, path, sizeof path)) != SIGNER_OK)
		return st;
	fprintf(f, "; %s generated by the trustprobe signer from %s line %d; do not edit\n",
		zname(z), b->m->path, z->mz->line);
	ldns_dnssec_zone_print(f, dz);
	return out_close(b, f, path);
}

static void zwork_free(struct zwork *w)
{
	keylist_release(w);
	if (w->revoked)
		ldns_key_deep_free(w->revoked);
	ldns_rr_list_deep_free(w->bent);
	ldns_dnssec_zone_free(w->dz);
	ldns_rr_list_deep_free(w->tmpl);
	ldns_rr_list_deep_free(w->extra);
	ldns_rr_list_deep_free(w->made);
	memset(w, 0, sizeof *w);
}

/* Builds, signs and writes zone i (its children are already built). */
static enum signer_status build_zone(struct build *b, size_t i)
{
	struct zwork w = {0};
	enum signer_status st;

	w.extra = ldns_rr_list_new();
	w.made = ldns_rr_list_new();
	w.dz = ldns_dnssec_zone_new();
	if (b->z[i].k.ksk) { /* a key shared by zones (keys=) signs as the zone it signs now */
		ldns_rdf_deep_free(ldns_key_pubkey_owner(b->z[i].k.ksk));
		ldns_key_set_pubkey_owner(b->z[i].k.ksk, ldns_rdf_clone(b->z[i].origin));
	}
	if (!w.extra || !w.made || !w.dz) {
		zwork_free(&w);
		return fail(b, SIGNER_ERR_SIGN, "zone %s: out of memory", zname(&b->z[i]));
	}
	st = load_template(b, i, &w);
	if (st == SIGNER_OK)
		st = add_apex(b, i, w.extra);
	if (st == SIGNER_OK)
		st = add_delegations(b, i, w.extra);
	if (st == SIGNER_OK && b->z[i].mz->bend == MANIFEST_BEND_REVOKED_SIGNS && b->z[i].mz->alg) {
		/* published in the DNSKEY RRset (which the CSK signs), used only by the bend */
		const char *why;
		w.revoked = key_stored(b->opts, zname(&b->z[i]), "revoked", b->z[i].mz->alg,
				       b->z[i].origin,
				       LDNS_KEY_ZONE_KEY | LDNS_KEY_SEP_KEY | LDNS_KEY_REVOKE_KEY, &why);
		if (!w.revoked || push_rr(w.extra, key2rr(w.revoked)))
			st = fail(b, SIGNER_ERR_KEYGEN, "zone %s: cannot make the revoked key",
				  zname(&b->z[i]));
	}
	if (st == SIGNER_OK)
		st = add_list(b, i, w.dz, w.extra);
	if (st == SIGNER_OK)
		st = add_list(b, i, w.dz, w.tmpl);
	if (st == SIGNER_OK && b->z[i].mz->alg != 0)
		st = sign_zone(b, i, &w);
	if (st == SIGNER_OK)
		st = write_zone(b, i, w.dz);
	if (st == SIGNER_OK && w.bent) { /* out-of-zone records: not for nsd, for the proxy */
		char rel[160], path[PATH_LEN];
		FILE *f;
		snprintf(rel, sizeof rel, "zones/%s.bent", b->z[i].file);
		if ((st = out_open(b, rel, &f, path, sizeof path)) == SIGNER_OK) {
			fprintf(f, "; bend=nsec3-owner of %s (%s line %d): outside the zone, for "
				   "the attacker proxy only\n", zname(&b->z[i]), b->m->path,
				b->z[i].mz->line);
			ldns_rr_list_print(f, w.bent);
			st = out_close(b, f, path);
		}
	}
	zwork_free(&w);
	return st;
}

/* Prints one RR (a single line) to rel under the lab directory. */
static enum signer_status write_rr_file(struct build *b, const char *rel, const ldns_rr *rr)
{
	char path[PATH_LEN];
	enum signer_status st;
	FILE *f;

	if (!rr)
		return fail(b, SIGNER_ERR_SIGN, "%s: record could not be built", rel);
	if ((st = out_open(b, rel, &f, path, sizeof path)) != SIGNER_OK)
		return st;
	ldns_rr_print_fmt(f, ldns_output_format_nocomments, rr);
	return out_close(b, f, path);
}

/* ta/bind.conf and ta/dnsmasq.conf for the current KSK. */
static enum signer_status write_ta_confs(struct build *b, const ldns_rr *key, const ldns_rr *ds)
{
	char *pub = ldns_rdf2str(ldns_rr_rdf(key, 3));
	char *dig = ldns_rdf2str(ldns_rr_rdf(ds, 3));
	char path[PATH_LEN];
	enum signer_status st = SIGNER_OK;
	FILE *f;

	if (!pub || !dig)
		st = fail(b, SIGNER_ERR_SIGN, "cannot format the trust anchor");
	if (st == SIGNER_OK)
		st = out_open(b, "ta/bind.conf", &f, path, sizeof path);
	if (st == SIGNER_OK) {
		fprintf(f, "trust-anchors { . initial-key %u 3 %u \"%s\"; };\n",
			ldns_rdf2native_int16(ldns_rr_rdf(key, 0)),
			ldns_rdf2native_int8(ldns_rr_rdf(key, 2)), pub);
		st = out_close(b, f, path);
	}
	if (st == SIGNER_OK)
		st = out_open(b, "ta/dnsmasq.conf", &f, path, sizeof path);
	if (st == SIGNER_OK) {
		for (char *p = dig; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		fprintf(f, "trust-anchor=.,%u,%u,%u,%s\n", ldns_calc_keytag(key),
			ldns_rdf2native_int8(ldns_rr_rdf(key, 2)),
			ldns_rdf2native_int8(ldns_rr_rdf(ds, 2)), dig);
		st = out_close(b, f, path);
	}
	free(pub);
	free(dig);
	return st;
}

/* ta/ files: DS and DNSKEY of both root KSKs (in their 257 form) and the daemon snippets. */
static enum signer_status write_anchors(struct build *b)
{
	const struct zkeys *k = &b->z[b->root].k;
	ldns_rr *ds = ldns_key_rr2ds(k->anchor, LDNS_SHA256);
	ldns_rr *ds_next = ldns_key_rr2ds(k->anchor_next, LDNS_SHA256);
	enum signer_status st;

	if (!ds || !ds_next)
		st = fail(b, SIGNER_ERR_SIGN, "cannot compute the root DS records");
	else if ((st = write_rr_file(b, "ta/root.ds", ds)) == SIGNER_OK &&
		 (st = write_rr_file(b, "ta/root.dnskey", k->anchor)) == SIGNER_OK &&
		 (st = write_rr_file(b, "ta/root-next.ds", ds_next)) == SIGNER_OK &&
		 (st = write_rr_file(b, "ta/root-next.dnskey", k->anchor_next)) == SIGNER_OK)
		st = write_ta_confs(b, k->anchor, ds);
	ldns_rr_free(ds);
	ldns_rr_free(ds_next);
	return st;
}

/* reroot: parent.ds, the DS records of the apex's KSKs (the next one during a rollover). */
static enum signer_status write_parent_ds(struct build *b)
{
	const struct zstate *z = NULL;
	for (size_t i = 0; i < b->n && !z; i++)
		if (strcmp(zname(&b->z[i]), b->opts->reroot) == 0)
			z = &b->z[i];
	if (!z || !z->k.ksk)
		return fail(b, SIGNER_ERR_MANIFEST, "the lab-zone of %s must be signed",
			    b->m->path);
	char path[PATH_LEN];
	FILE *f;
	enum signer_status st = out_open(b, "parent.ds", &f, path, sizeof path);
	const ldns_key *keys[2] = {z->k.ksk, z->k.next};
	for (size_t i = 0; st == SIGNER_OK && i < 2; i++) {
		if (!keys[i])
			continue;
		ldns_rr *key = key2rr(keys[i]);
		ldns_rr *ds = key ? ds_of(key, 2) : NULL;
		if (ds) {
			ldns_rr_set_ttl(ds, TTL);
			ldns_rr_print_fmt(f, ldns_output_format_nocomments, ds);
		} else {
			st = fail(b, SIGNER_ERR_SIGN, "zone %s: cannot compute its DS", zname(z));
		}
		ldns_rr_free(ds);
		ldns_rr_free(key);
	}
	if (f) {
		enum signer_status c = out_close(b, f, path);
		if (st == SIGNER_OK)
			st = c;
	}
	return st;
}

/* See signer.h. */
enum signer_status signer_keys_roll(const char *key_dir, const char *zone, uint8_t alg,
				    int finish, char *ds, size_t dslen, char *err, size_t errlen)
{
	struct signer_opts o = {.key_dir = key_dir};
	const uint16_t f = LDNS_KEY_ZONE_KEY | LDNS_KEY_SEP_KEY;
	ldns_rdf *owner = ldns_dname_new_frm_str(zone);
	ldns_key *cur = NULL, *next = NULL;
	enum signer_status st = SIGNER_OK;
	char p_cur[PATH_LEN], p_next[PATH_LEN];
	const char *why = "";

	ds[0] = '\0';
	if (!owner || key_file(&o, zone, "ksk", p_cur, sizeof p_cur) != 0 ||
	    key_file(&o, zone, "ksk-next", p_next, sizeof p_next) != 0) {
		ldns_rdf_deep_free(owner);
		snprintf(err, errlen, "bad zone name or key directory");
		return SIGNER_ERR_IO;
	}
	int rc = key_load(&o, zone, "ksk", owner, f, &cur);
	int rn = key_load(&o, zone, "ksk-next", owner, f, &next);
	if (rc <= 0) {
		snprintf(err, errlen, "%s: %s", p_cur, rc < 0 ? "cannot read the key" :
			 "no key yet (start trustprobe serve, or serve ds, once first)");
		st = SIGNER_ERR_KEYGEN;
	} else if (rn < 0) {
		snprintf(err, errlen, "%s: cannot read the key", p_next);
		st = SIGNER_ERR_KEYGEN;
	} else if (finish && rn == 0) {
		snprintf(err, errlen, "no rollover under way (%s does not exist)", p_next);
		st = SIGNER_ERR_KEYGEN;
	} else if (finish) {
		if (rename(p_next, p_cur) != 0) {
			snprintf(err, errlen, "%s: %s", p_cur, strerror(errno));
			st = SIGNER_ERR_IO;
		} else {
			ldns_key_deep_free(cur);
			cur = next;
			next = NULL;
		}
	} else if (rn == 0) {
		next = key_stored(&o, zone, "ksk-next", alg, owner, f, &why);
		if (!next) {
			snprintf(err, errlen, "%s %s in %s", why, zone, key_dir);
			st = SIGNER_ERR_KEYGEN;
		}
	}
	const ldns_key *keys[2] = {cur, next};
	for (size_t i = 0; st == SIGNER_OK && i < 2; i++) {
		ldns_rr *key = keys[i] ? key2rr(keys[i]) : NULL;
		ldns_rr *d = key ? ds_of(key, 2) : NULL;
		char *txt = NULL;
		if (d) {
			ldns_rr_set_ttl(d, TTL);
			txt = ldns_rr2str_fmt(ldns_output_format_nocomments, d);
		}
		if (txt)
			snprintf(ds + strlen(ds), dslen - strlen(ds), "%s", txt);
		else if (keys[i]) {
			snprintf(err, errlen, "cannot compute the DS of %s", zone);
			st = SIGNER_ERR_SIGN;
		}
		free(txt);
		ldns_rr_free(d);
		ldns_rr_free(key);
	}
	if (cur)
		ldns_key_deep_free(cur);
	if (next)
		ldns_key_deep_free(next);
	ldns_rdf_deep_free(owner);
	return st;
}

time_t signer_valid_until(const struct signer_opts *opts)
{
	return opts->now + (opts->sig_valid ? (time_t)opts->sig_valid : 40 * DAY);
}

static enum signer_status write_hints(struct build *b)
{
	ldns_rr_list *l = ldns_rr_list_new();
	char path[PATH_LEN];
	enum signer_status st;
	FILE *f;

	if (!l || push_str(l, ". %u IN NS %s", HINTS_TTL, ROOT_NS) ||
	    push_str(l, "%s %u IN A %s", ROOT_NS, HINTS_TTL, b->z[b->root].pub)) {
		ldns_rr_list_deep_free(l);
		return fail(b, SIGNER_ERR_SIGN, "cannot build root.hints");
	}
	st = out_open(b, "root.hints", &f, path, sizeof path);
	if (st == SIGNER_OK) {
		ldns_rr_list_print(f, l);
		st = out_close(b, f, path);
	}
	ldns_rr_list_deep_free(l);
	return st;
}

static enum signer_status write_list(struct build *b)
{
	char path[PATH_LEN];
	enum signer_status st;
	FILE *f;

	if ((st = out_open(b, "zones.list", &f, path, sizeof path)) != SIGNER_OK)
		return st;
	for (size_t o = 0; o < b->n; o++) {
		const struct zstate *z = &b->z[b->order[o]];
		fprintf(f, "%s %s %s\n", zname(z), z->mz->server, z->file);
	}
	return out_close(b, f, path);
}

/* mkdir -p */
static enum signer_status make_dir(struct build *b, const char *dir)
{
	char p[PATH_LEN];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof p)
		return fail(b, SIGNER_ERR_IO, "bad output directory '%s'", dir);
	memcpy(p, dir, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return fail(b, SIGNER_ERR_IO, "%s: %s", p, strerror(errno));
		p[i] = i == len ? '\0' : '/';
	}
	return SIGNER_OK;
}

static enum signer_status make_dirs(struct build *b)
{
	char p[PATH_LEN];
	enum signer_status st = make_dir(b, b->opts->out_dir);

	if (st == SIGNER_OK) {
		snprintf(p, sizeof p, "%s/zones", b->opts->out_dir);
		st = make_dir(b, p);
	}
	if (st == SIGNER_OK) {
		snprintf(p, sizeof p, "%s/ta", b->opts->out_dir);
		st = make_dir(b, p);
	}
	return st;
}

static void fill_result(const struct build *b, struct signer_result *res)
{
	const struct zkeys *k = b->root >= 0 ? &b->z[b->root].k : NULL;

	snprintf(res->lab_zone, sizeof res->lab_zone, "%s", b->m->lab_zone);
	res->ksk_current_tag = k ? k->tag : 0;
	res->ksk_next_tag = k ? k->next_tag : 0;
	res->n_zones = b->n;
	for (size_t o = 0; o < b->n; o++) {
		const struct zstate *z = &b->z[b->order[o]];
		struct signer_zone_out *out = &res->zones[o];
		snprintf(out->name, sizeof out->name, "%s", zname(z));
		snprintf(out->server, sizeof out->server, "%s", z->mz->server);
		snprintf(out->file, sizeof out->file, "%s", z->file);
		out->signed_zone = z->mz->alg != 0;
	}
}

static enum signer_status run(struct build *b, struct signer_result *res)
{
	char path[PATH_LEN];
	enum signer_status st;

	if (!b->opts->vectors_dir || !b->opts->out_dir)
		return fail(b, SIGNER_ERR_IO, "vectors_dir and out_dir are required");
	snprintf(path, sizeof path, "%s/manifest", b->opts->vectors_dir);
	if (manifest_load(path, b->m, b->err, b->errlen))
		return SIGNER_ERR_MANIFEST;
	if (b->opts->reroot && manifest_reroot(b->m, b->opts->reroot, b->err, b->errlen))
		return SIGNER_ERR_MANIFEST;
	if ((st = states_init(b)) != SIGNER_OK)
		return st;
	if (b->opts->reroot) {
		if ((st = make_dirs(b)) != SIGNER_OK || (st = keys_all(b)) != SIGNER_OK)
			return st;
		for (size_t o = b->n; o-- > 0;)
			if ((st = build_zone(b, b->order[o])) != SIGNER_OK)
				return st;
		if ((st = write_list(b)) != SIGNER_OK || (st = write_parent_ds(b)) != SIGNER_OK)
			return st;
		fill_result(b, res);
		return SIGNER_OK;
	}
	if (b->root < 0)
		return fail(b, SIGNER_ERR_MANIFEST, "%s: no root zone", b->m->path);
	if (b->opts->delegate_name) { /* lab up --delegate: a new child of a manifest zone */
		const char *dn = b->opts->delegate_name, *dot = strchr(dn, '.');
		int parent = 0;
		unsigned char a4[4];
		for (size_t i = 0; i < b->n; i++) {
			if (strcasecmp(zname(&b->z[i]), dn) == 0)
				return fail(b, SIGNER_ERR_MANIFEST, "--delegate %s: already a zone of "
					    "%s", dn, b->m->path);
			parent |= dot && strcasecmp(dot + 1, zname(&b->z[i])) == 0;
		}
		if (!parent || !dot[1])
			return fail(b, SIGNER_ERR_MANIFEST, "--delegate %s: its parent is no zone "
				    "of %s", dn, b->m->path);
		if (!b->opts->delegate_addr || inet_pton(AF_INET, b->opts->delegate_addr, a4) != 1)
			return fail(b, SIGNER_ERR_MANIFEST, "--delegate %s: '%s' is not an IPv4 "
				    "address", dn, b->opts->delegate_addr ? b->opts->delegate_addr : "");
	}
	if (b->z[b->root].mz->alg == 0)
		return fail(b, SIGNER_ERR_MANIFEST, "%s:%d: the root zone must be signed",
			    b->m->path, b->z[b->root].mz->line);
	if ((st = make_dirs(b)) != SIGNER_OK || (st = keys_all(b)) != SIGNER_OK)
		return st;
	for (size_t o = b->n; o-- > 0;)
		if ((st = build_zone(b, b->order[o])) != SIGNER_OK)
			return st;
	if ((st = write_list(b)) != SIGNER_OK || (st = write_hints(b)) != SIGNER_OK ||
	    (st = write_anchors(b)) != SIGNER_OK)
		return st;
	fill_result(b, res);
	return SIGNER_OK;
}

static void build_free(struct build *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		keys_free(&b->z[i].k);
		ldns_rdf_deep_free(b->z[i].origin);
	}
	free(b->m);
	free(b);
}

/* What a session keeps between steps: the build (keys, zone states) and private copies of
 * everything of the caller's that the build points at. */
struct signer_session {
	struct build *b;
	struct signer_opts o;
	char vectors[PATH_LEN];
	char out[PATH_LEN];
	struct signer_server srv[SIGNER_MAX_SERVERS];
	char names[SIGNER_MAX_SERVERS][32];
	char addrs[SIGNER_MAX_SERVERS][64];
	char root_pub[64];
	struct signer_var var[SIGNER_MAX_VARS];
	char var_names[SIGNER_MAX_VARS][32];
	char var_values[SIGNER_MAX_VARS][256];
};

static enum signer_status build_common(const struct signer_opts *opts, struct signer_result *res,
				       struct signer_session **keep, char *err, size_t errlen)
{
	struct build *b;
	enum signer_status st;

	if (err && errlen)
		err[0] = '\0';
	if (res)
		memset(res, 0, sizeof *res);
	b = calloc(1, sizeof *b);
	if (b)
		b->m = calloc(1, sizeof *b->m);
	if (!b || !b->m || !opts || !res) {
		if (b)
			free(b->m);
		free(b);
		if (err && errlen)
			snprintf(err, errlen, "signer: out of memory or missing arguments");
		return SIGNER_ERR_IO;
	}
	b->opts = opts;
	b->err = err;
	b->errlen = err ? errlen : 0;
	b->root_step = -1;
	st = run(b, res);
	if (st != SIGNER_OK || !keep) {
		build_free(b);
		return st;
	}
	struct signer_session *s = calloc(1, sizeof *s);
	if (!s || opts->n_servers > SIGNER_MAX_SERVERS || opts->n_vars > SIGNER_MAX_VARS) {
		free(s);
		build_free(b);
		if (err && errlen)
			snprintf(err, errlen, "signer: out of memory keeping the root keys");
		return SIGNER_ERR_IO;
	}
	s->b = b;
	s->o = *opts;
	snprintf(s->vectors, sizeof s->vectors, "%s", opts->vectors_dir);
	snprintf(s->out, sizeof s->out, "%s", opts->out_dir);
	for (size_t i = 0; i < opts->n_servers; i++) {
		snprintf(s->names[i], sizeof s->names[i], "%s", opts->servers[i].name);
		snprintf(s->addrs[i], sizeof s->addrs[i], "%s", opts->servers[i].addr);
		s->srv[i] = (struct signer_server){s->names[i], s->addrs[i]};
	}
	s->o.vectors_dir = s->vectors;
	s->o.out_dir = s->out;
	s->o.servers = s->srv;
	for (size_t i = 0; i < opts->n_vars; i++) {
		snprintf(s->var_names[i], sizeof s->var_names[i], "%s", opts->vars[i].name);
		snprintf(s->var_values[i], sizeof s->var_values[i], "%s", opts->vars[i].value);
		s->var[i] = (struct signer_var){s->var_names[i], s->var_values[i]};
	}
	s->o.vars = s->var;
	b->opts = &s->o;
	/* the zone states point at the caller's server table: point them at the copy */
	for (size_t i = 0; i < b->n; i++) {
		struct zstate *z = &b->z[i];
		z->addr = server_addr(&s->o, z->mz->server);
		z->pub = z->mz->via[0] ? server_addr(&s->o, z->mz->via) : z->addr;
	}
	if (opts->root_pub) {
		snprintf(s->root_pub, sizeof s->root_pub, "%s", opts->root_pub);
		s->o.root_pub = s->root_pub;
		b->z[b->root].pub = s->root_pub;
	}
	b->err = NULL;
	b->errlen = 0;
	*keep = s;
	return SIGNER_OK;
}

/* See signer.h. The signer owns every key and ldns object it creates and frees them
 * before returning; the caller owns res and err. */
enum signer_status signer_build(const struct signer_opts *opts, struct signer_result *res,
				char *err, size_t errlen)
{
	return build_common(opts, res, NULL, err, errlen);
}

/* See signer.h: as signer_build, but the session keeps the keys (the caller frees it). */
enum signer_status signer_build_session(const struct signer_opts *opts,
					struct signer_result *res, struct signer_session **out,
					char *err, size_t errlen)
{
	*out = NULL;
	return build_common(opts, res, out, err, errlen);
}

/* See signer.h. Only zones/root.zone is rewritten: every other zone, the anchors and the
 * hints stay as signer_build wrote them. */
enum signer_status signer_root_step(struct signer_session *s, enum signer_root_step step,
				    uint32_t serial, char *err, size_t errlen)
{
	struct build *b = s->b;
	struct zstate *r = &b->z[b->root];
	enum signer_status st;

	b->err = err;
	b->errlen = err ? errlen : 0;
	if (err && errlen)
		err[0] = '\0';
	if (step >= SIGNER_ROOT_CURRENT_REVOKED &&
	    !(ldns_key_flags(r->k.ksk) & LDNS_KEY_REVOKE_KEY)) {
		/* the same key, its REVOKE bit set: a new tag (RFC 5011 2.1) */
		ldns_key_set_flags(r->k.ksk, ldns_key_flags(r->k.ksk) | LDNS_KEY_REVOKE_KEY);
		if (key_retag(r->k.ksk)) {
			st = fail(b, SIGNER_ERR_KEYGEN, "zone .: cannot revoke the current KSK");
			goto out;
		}
	}
	b->root_step = (int)step;
	b->serial = serial;
	/* written beside the served file, then renamed over it: nsd never reads half a zone */
	char path[PATH_LEN + 80], tpath[PATH_LEN + 88];
	char saved[sizeof r->file];
	memcpy(saved, r->file, sizeof saved);
	snprintf(path, sizeof path, "%s/zones/%.63s", s->out, saved);
	snprintf(tpath, sizeof tpath, "%s.new", path);
	snprintf(r->file, sizeof r->file, "%.55s.new", saved);
	st = build_zone(b, (size_t)b->root);
	memcpy(r->file, saved, sizeof saved);
	if (st == SIGNER_OK && rename(tpath, path) != 0)
		st = fail(b, SIGNER_ERR_IO, "%s: %s", path, strerror(errno));
out:
	b->err = NULL;
	b->errlen = 0;
	return st;
}

void signer_session_free(struct signer_session *s)
{
	if (!s)
		return;
	build_free(s->b);
	free(s);
}
