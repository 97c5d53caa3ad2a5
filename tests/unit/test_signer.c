/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of the lab signer (probe/lab/signer.c) and its manifest parser.
 * The group setup builds testvectors/ (env TP_VECTORS) once into a temporary
 * directory with a fixed reference time; the tests read the outputs back with ldns.
 * The error tests build small manifests of their own. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <ftw.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest.h"
#include "preflight.h"
#include "signer.h"

#define NOW ((time_t)1767225600) /* 2026-01-01T00:00:00Z */
#define DAY 86400
#define PATHLEN 4096
#define DIRLEN 1024 /* directories; paths built from them take PATHLEN */

static const struct signer_server servers[] = {
	{"root", "127.53.0.1"},
	{"tld", "127.53.0.2"},
	{"child", "127.53.0.3"},
	{"grandchild", "127.53.0.4"},
	{"proxy", "127.53.0.5"}, /* via=proxy (lab_proxy_addr) */
};

/* Built once by group_setup. */
static char lab[DIRLEN];
static char vectors[DIRLEN];
static struct signer_result res;
/* Where the read helpers look: lab, or a mini build's output while a test reads it. */
static const char *labdir = lab;

/* ---- file helpers ---- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *dir, const char *rel, const char *text)
{
	char path[PATHLEN];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Reads a whole file into a NUL-terminated heap buffer (caller frees). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static char *slurp_lab(const char *rel)
{
	char path[PATHLEN];

	snprintf(path, sizeof path, "%s/%s", labdir, rel);
	return slurp(path);
}

/* ---- zone helpers ---- */

/* Every RR of a zone file written by the signer, SOA included (caller frees deeply). */
static ldns_rr_list *zone_rrs(const char *file)
{
	char path[PATHLEN];
	ldns_zone *z = NULL;
	ldns_rr_list *all;
	FILE *f;
	ldns_status s;

	snprintf(path, sizeof path, "%s/zones/%s", labdir, file);
	f = fopen(path, "r");
	assert_non_null(f);
	s = ldns_zone_new_frm_fp(&z, f, NULL, 3600, LDNS_RR_CLASS_IN);
	fclose(f);
	assert_int_equal(s, LDNS_STATUS_OK);
	all = ldns_rr_list_clone(ldns_zone_rrs(z));
	if (ldns_zone_soa(z))
		ldns_rr_list_push_rr(all, ldns_rr_clone(ldns_zone_soa(z)));
	ldns_zone_deep_free(z);
	return all;
}

static int owner_is(const ldns_rr *rr, const char *owner)
{
	ldns_rdf *o = ldns_dname_new_frm_str(owner);
	int eq = o && ldns_dname_compare(ldns_rr_owner(rr), o) == 0;

	ldns_rdf_deep_free(o);
	return eq;
}

/* The RRs at owner of type t (shallow: the RRs stay in all). */
static ldns_rr_list *rrset(const ldns_rr_list *all, const char *owner, ldns_rr_type t)
{
	ldns_rr_list *l = ldns_rr_list_new();

	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);
		if (ldns_rr_get_type(rr) == t && owner_is(rr, owner))
			ldns_rr_list_push_rr(l, rr);
	}
	return l;
}

/* The RRSIGs at owner covering type t (shallow). */
static ldns_rr_list *sigs(const ldns_rr_list *all, const char *owner, ldns_rr_type t)
{
	ldns_rr_list *l = ldns_rr_list_new();

	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG && owner_is(rr, owner) &&
		    ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) == t)
			ldns_rr_list_push_rr(l, rr);
	}
	return l;
}

/* The RRset an RRSIG covers (shallow). */
static ldns_rr_list *covered(const ldns_rr_list *all, const ldns_rr *sig)
{
	ldns_rr_list *l = ldns_rr_list_new();
	ldns_rr_type t = ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(sig));

	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);
		if (ldns_rr_get_type(rr) == t &&
		    ldns_dname_compare(ldns_rr_owner(rr), ldns_rr_owner(sig)) == 0)
			ldns_rr_list_push_rr(l, rr);
	}
	return l;
}

static size_t labels(const char *name)
{
	size_t n = 0;

	if (strcmp(name, ".") == 0)
		return 0;
	for (const char *p = name; *p; p++)
		n += *p == '.';
	return n;
}

static ldns_status verify(const ldns_rr_list *all, const ldns_rr *sig, const ldns_rr_list *keys)
{
	ldns_rr_list *set = covered(all, sig);
	ldns_status s = ldns_verify_rrsig_keylist_time(set, sig, keys, NOW, NULL);

	ldns_rr_list_free(set);
	return s;
}

/* The KSK (flags 257) of a single-key zone, cloned. */
static ldns_rr *zone_ksk(const char *file, const char *apex)
{
	ldns_rr_list *all = zone_rrs(file);
	ldns_rr_list *keys = rrset(all, apex, LDNS_RR_TYPE_DNSKEY);
	ldns_rr *k;

	assert_int_equal(ldns_rr_list_rr_count(keys), 1);
	assert_int_equal(ldns_rdf2native_int16(ldns_rr_rdf(ldns_rr_list_rr(keys, 0), 0)), 257);
	k = ldns_rr_clone(ldns_rr_list_rr(keys, 0));
	ldns_rr_list_free(keys);
	ldns_rr_list_deep_free(all);
	return k;
}

/* The DS RRs the lab TLD publishes for child (cloned list). */
static ldns_rr_list *tld_ds(const char *child)
{
	ldns_rr_list *all = zone_rrs("test.zone");
	ldns_rr_list *ds = rrset(all, child, LDNS_RR_TYPE_DS);
	ldns_rr_list *copy = ldns_rr_list_clone(ds);

	ldns_rr_list_free(ds);
	ldns_rr_list_deep_free(all);
	return copy;
}

static ldns_rr *read_rr(const char *rel)
{
	char *text = slurp_lab(rel);
	ldns_rr *rr = NULL;

	assert_non_null(text);
	assert_int_equal(ldns_rr_new_frm_str(&rr, text, 3600, NULL, NULL), LDNS_STATUS_OK);
	free(text);
	return rr;
}

static size_t count_lines(const char *t)
{
	size_t n = 0;
	for (; *t; t++)
		n += *t == '\n';
	return n;
}

/* ---- fixtures ---- */

/* The template variables the lab gives (probe/lab/lab_run.c): the MX address and TLSA. */
#define MTA_TLSA "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
static const struct signer_var vars[] = {{"mta_addr", "127.53.3.1"}, {"mta_tlsa", MTA_TLSA}};

static enum signer_status build(const char *vec, const char *out, struct signer_result *r,
				char *err, size_t errlen)
{
	struct signer_opts o = {.vectors_dir = vec, .out_dir = out, .servers = servers,
				.n_servers = sizeof servers / sizeof servers[0], .now = NOW,
				.vars = vars, .n_vars = sizeof vars / sizeof vars[0]};

	return signer_build(&o, r, err, errlen);
}

static int group_setup(void **state)
{
	const char *v = getenv("TP_VECTORS");
	char err[512];
	enum signer_status st;

	(void)state;
	snprintf(vectors, sizeof vectors, "%s", v ? v : "testvectors");
	snprintf(lab, sizeof lab, "/tmp/tp-signer-XXXXXX");
	if (!mkdtemp(lab))
		return -1;
	st = build(vectors, lab, &res, err, sizeof err);
	if (st != SIGNER_OK) {
		fprintf(stderr, "signer_build(%s): %d: %s\n", vectors, st, err);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	rm_tree(lab);
	return 0;
}

/* ---- tests on the real test vectors ---- */

static void check_window(const char *file, uint32_t inc, uint32_t exp)
{
	ldns_rr_list *all = zone_rrs(file);
	size_t n = 0, dnskey = 0;

	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG)
			continue;
		n++;
		if (ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) == LDNS_RR_TYPE_DNSKEY)
			dnskey++;
		assert_int_equal(ldns_rdf2native_int32(ldns_rr_rrsig_inception(rr)), inc);
		assert_int_equal(ldns_rdf2native_int32(ldns_rr_rrsig_expiration(rr)), exp);
	}
	assert_true(n > 5);
	assert_int_equal(dnskey, 1);
	ldns_rr_list_deep_free(all);
}

static void test_windows(void **state)
{
	(void)state;
	check_window("alg13.test.zone", (uint32_t)(NOW - 40 * DAY), (uint32_t)(NOW + 40 * DAY));
	check_window("root.zone", (uint32_t)(NOW - 40 * DAY), (uint32_t)(NOW + 40 * DAY));
	check_window("expired.test.zone", (uint32_t)(NOW - 37 * DAY), (uint32_t)(NOW - 7 * DAY));
	check_window("notyet.test.zone", (uint32_t)(NOW + 7 * DAY), (uint32_t)(NOW + 37 * DAY));
}

static void check_ds_matches(const char *file, const char *apex)
{
	ldns_rr *ksk = zone_ksk(file, apex);
	ldns_rr *want = ldns_key_rr2ds(ksk, LDNS_SHA256);
	ldns_rr_list *ds = tld_ds(apex);

	assert_int_equal(ldns_rr_list_rr_count(ds), 1);
	assert_int_equal(ldns_rr_compare(want, ldns_rr_list_rr(ds, 0)), 0);
	ldns_rr_free(ksk);
	ldns_rr_free(want);
	ldns_rr_list_deep_free(ds);
}

static void test_ds_normal(void **state)
{
	(void)state;
	check_ds_matches("alg13.test.zone", "alg13.test.");
	check_ds_matches("alg8.test.zone", "alg8.test.");
	check_ds_matches("expired.test.zone", "expired.test.");
}

static void test_ds_mismatch(void **state)
{
	ldns_rr *ksk = zone_ksk("ds-mismatch.test.zone", "ds-mismatch.test.");
	ldns_rr *real = ldns_key_rr2ds(ksk, LDNS_SHA256);
	ldns_rr_list *ds = tld_ds("ds-mismatch.test.");
	ldns_rr *d;

	(void)state;
	assert_int_equal(ldns_rr_list_rr_count(ds), 1);
	d = ldns_rr_list_rr(ds, 0);
	/* same tag and algorithm as the child's key, digest of another key */
	assert_int_equal(ldns_rdf2native_int16(ldns_rr_rdf(d, 0)), ldns_calc_keytag(ksk));
	assert_int_equal(ldns_rdf2native_int8(ldns_rr_rdf(d, 1)), 13);
	assert_int_equal(ldns_rdf2native_int8(ldns_rr_rdf(d, 2)), 2);
	assert_int_not_equal(ldns_rdf_compare(ldns_rr_rdf(d, 3), ldns_rr_rdf(real, 3)), 0);
	ldns_rr_free(ksk);
	ldns_rr_free(real);
	ldns_rr_list_deep_free(ds);
}

/* The DS the TLD publishes for apex is the digest of type t of the zone's own DNSKEY (its
 * owner, not that of a zone sharing the key), under type number want_type. */
static void check_ds_digest(const char *apex, ldns_hash t, uint8_t want_type)
{
	char file[300];
	snprintf(file, sizeof file, "%.*szone", (int)strlen(apex), apex);
	ldns_rr *ksk = zone_ksk(file, apex);
	ldns_rr *want = ldns_key_rr2ds(ksk, t);
	ldns_rr_list *ds = tld_ds(apex);
	assert_int_equal(ldns_rr_list_rr_count(ds), 1);
	ldns_rr *d = ldns_rr_list_rr(ds, 0);
	assert_int_equal(ldns_rdf2native_int8(ldns_rr_rdf(d, 2)), want_type);
	assert_int_equal(ldns_rdf2native_int16(ldns_rr_rdf(d, 0)), ldns_calc_keytag(ksk));
	assert_int_equal(ldns_rdf2native_int8(ldns_rr_rdf(d, 1)),
			 ldns_rdf2native_int8(ldns_rr_rdf(ksk, 2)));
	assert_int_equal(ldns_rdf_compare(ldns_rr_rdf(d, 3), ldns_rr_rdf(want, 3)), 0);
	ldns_rr_free(ksk);
	ldns_rr_free(want);
	ldns_rr_list_deep_free(ds);
}

/* digest=: the matrix zones' DS of types 1, 2 and 4, and an unassigned type (100) holding
 * the SHA-256 digest; keys=: zones of one algorithm share the key, each with its own DS. */
static void test_ds_digests(void **state)
{
	(void)state;
	check_ds_digest("alg5-ds1.test.", LDNS_SHA1, 1);
	check_ds_digest("alg5.test.", LDNS_SHA256, 2);
	check_ds_digest("alg5-ds4.test.", LDNS_SHA384, 4);
	check_ds_digest("alg8-ds1.test.", LDNS_SHA1, 1);
	check_ds_digest("alg13-ds4.test.", LDNS_SHA384, 4);
	check_ds_digest("digest100.test.", LDNS_SHA256, 100);
	ldns_rr *a = zone_ksk("alg5.test.zone", "alg5.test.");
	ldns_rr *b = zone_ksk("alg5-ds1.test.zone", "alg5-ds1.test.");
	assert_int_equal(ldns_rdf_compare(ldns_rr_rdf(a, 3), ldns_rr_rdf(b, 3)), 0);
	ldns_rr_free(a);
	ldns_rr_free(b);
}

/* relabel=: every DNSKEY and RRSIG of the zone carries the algorithm, the RRSIGs the tag of
 * the relabelled key, and the parent's DS is the digest of that key; with 253 the key and
 * the signatures start with the private algorithm's name (RFC 4034 A.1.1). */
static void check_relabel(const char *apex, uint8_t alg)
{
	static const uint8_t name[] = "\021unknown-algorithm\007example";
	char file[300];
	snprintf(file, sizeof file, "%.*szone", (int)strlen(apex), apex);
	ldns_rr_list *all = zone_rrs(file);
	ldns_rr *ksk = zone_ksk(file, apex);
	size_t n = 0;
	assert_int_equal(ldns_rdf2native_int8(ldns_rr_rdf(ksk, 2)), alg);
	if (alg == LDNS_PRIVATEDNS)
		assert_memory_equal(ldns_rdf_data(ldns_rr_rdf(ksk, 3)), name, sizeof name);
	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG)
			continue;
		n++;
		assert_int_equal(ldns_rdf2native_int8(ldns_rr_rdf(rr, 1)), alg);
		assert_int_equal(ldns_rdf2native_int16(ldns_rr_rrsig_keytag(rr)),
				 ldns_calc_keytag(ksk));
		if (alg == LDNS_PRIVATEDNS)
			assert_memory_equal(ldns_rdf_data(ldns_rr_rdf(rr, 8)), name, sizeof name);
	}
	assert_true(n >= 5);
	ldns_rr_free(ksk);
	ldns_rr_list_deep_free(all);
	check_ds_digest(apex, LDNS_SHA256, 2);
}

static void test_relabel(void **state)
{
	(void)state;
	check_relabel("unknown-alg.test.", 100);
	check_relabel("alg253.test.", LDNS_PRIVATEDNS);
}

static void test_ds_absent_insecure(void **state)
{
	ldns_rr_list *ds = tld_ds("insecure.test.");
	ldns_rr_list *all = zone_rrs("test.zone");
	ldns_rr_list *nsec = rrset(all, "insecure.test.", LDNS_RR_TYPE_NSEC);
	ldns_rr_list *child = zone_rrs("insecure.test.zone");
	ldns_rr_list *keys = rrset(child, "insecure.test.", LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *ns = rrset(all, "insecure.test.", LDNS_RR_TYPE_NS);

	(void)state;
	assert_int_equal(ldns_rr_list_rr_count(ds), 0);
	assert_int_equal(ldns_rr_list_rr_count(ns), 1);
	assert_int_equal(ldns_rr_list_rr_count(nsec), 1);
	assert_true(ldns_nsec_bitmap_covers_type(ldns_nsec_get_bitmap(ldns_rr_list_rr(nsec, 0)),
						 LDNS_RR_TYPE_NS));
	assert_false(ldns_nsec_bitmap_covers_type(ldns_nsec_get_bitmap(ldns_rr_list_rr(nsec, 0)),
						  LDNS_RR_TYPE_DS));
	assert_int_equal(ldns_rr_list_rr_count(keys), 0);
	ldns_rr_list_free(nsec);
	ldns_rr_list_free(keys);
	ldns_rr_list_free(ns);
	ldns_rr_list_deep_free(ds);
	ldns_rr_list_deep_free(all);
	ldns_rr_list_deep_free(child);
}

/* Checks NSEC3PARAM and every NSEC3 of a zone; returns the NSEC3 count. */
static size_t check_nsec3(const char *file, const char *apex, uint16_t iter,
			  const uint8_t *salt, uint8_t salt_len, int optout)
{
	ldns_rr_list *all = zone_rrs(file);
	ldns_rr_list *param = rrset(all, apex, LDNS_RR_TYPE_NSEC3PARAM);
	ldns_rr *p;
	size_t n = 0;

	assert_int_equal(ldns_rr_list_rr_count(param), 1);
	p = ldns_rr_list_rr(param, 0);
	assert_int_equal(ldns_rdf2native_int16(ldns_rr_rdf(p, 2)), iter);
	assert_int_equal(ldns_rdf_size(ldns_rr_rdf(p, 3)), (size_t)salt_len + 1);
	assert_memory_equal(ldns_rdf_data(ldns_rr_rdf(p, 3)) + 1, salt, salt_len);
	assert_int_equal(ldns_rdf2native_int8(ldns_rr_rdf(p, 1)), 0); /* RFC 5155 4.1.2 */
	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3)
			continue;
		n++;
		assert_int_equal(ldns_nsec3_iterations(rr), iter);
		assert_int_equal(ldns_nsec3_salt_length(rr), salt_len);
		assert_int_equal(ldns_nsec3_optout(rr), optout);
	}
	assert_true(n >= 4);
	ldns_rr_list_free(param);
	ldns_rr_list_deep_free(all);
	return n;
}

static void test_nsec3_params(void **state)
{
	struct manifest *m = calloc(1, sizeof *m);
	char path[PATHLEN], err[256];
	const struct manifest_zone *z = NULL;

	(void)state;
	assert_non_null(m);
	snprintf(path, sizeof path, "%s/manifest", vectors);
	assert_int_equal(manifest_load(path, m, err, sizeof err), 0);
	for (size_t i = 0; i < m->n_zones; i++)
		if (strcmp(m->zones[i].name, "iter151.test.") == 0)
			z = &m->zones[i];
	assert_non_null(z);
	assert_true(z->salt_len > 0);
	check_nsec3("nsec3.test.zone", "nsec3.test.", 0, (const uint8_t *)"", 0, 0);
	check_nsec3("iter151.test.zone", "iter151.test.", 151, z->salt, z->salt_len, 0);
	free(m);
}

/* Opt-out: flag on every NSEC3, and no NSEC3 for the insecure delegation (RFC 5155 6). */
static void test_optout(void **state)
{
	ldns_rr_list *all;
	ldns_rdf *deleg = ldns_dname_new_frm_str("unsigned.optout.test.");
	ldns_rdf *hashed = ldns_nsec3_hash_name(deleg, 1, 0, 0, NULL);
	ldns_rdf *apex = ldns_dname_new_frm_str("optout.test.");
	ldns_rr_list *ds, *ns;
	size_t covering = 0;

	(void)state;
	check_nsec3("optout.test.zone", "optout.test.", 0, (const uint8_t *)"", 0, 1);
	assert_int_equal(ldns_dname_cat(hashed, apex), LDNS_STATUS_OK);
	all = zone_rrs("optout.test.zone");
	ds = rrset(all, "unsigned.optout.test.", LDNS_RR_TYPE_DS);
	ns = rrset(all, "unsigned.optout.test.", LDNS_RR_TYPE_NS);
	assert_int_equal(ldns_rr_list_rr_count(ds), 0);
	assert_int_equal(ldns_rr_list_rr_count(ns), 1);
	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3)
			continue;
		assert_int_not_equal(ldns_dname_compare(ldns_rr_owner(rr), hashed), 0);
		if (ldns_nsec_covers_name(rr, hashed))
			covering++;
	}
	assert_int_equal(covering, 1);
	ldns_rr_list_free(ds);
	ldns_rr_list_free(ns);
	ldns_rr_list_deep_free(all);
	ldns_rdf_deep_free(deleg);
	ldns_rdf_deep_free(hashed);
	ldns_rdf_deep_free(apex);
}

static void test_root_dnskeys(void **state)
{
	ldns_rr_list *all = zone_rrs("root.zone");
	ldns_rr_list *keys = rrset(all, ".", LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *ksig = sigs(all, ".", LDNS_RR_TYPE_DNSKEY);
	ldns_rr *cur = read_rr("ta/root.dnskey");
	ldns_rr *next = read_rr("ta/root-next.dnskey");
	int have_cur = 0, have_next = 0, zsk = 0;

	(void)state;
	assert_int_not_equal(res.ksk_current_tag, res.ksk_next_tag);
	assert_int_equal(ldns_calc_keytag(cur), res.ksk_current_tag);
	assert_int_equal(ldns_calc_keytag(next), res.ksk_next_tag);
	assert_int_equal(ldns_rr_list_rr_count(keys), 3);
	for (size_t i = 0; i < 3; i++) {
		ldns_rr *k = ldns_rr_list_rr(keys, i);
		assert_int_equal(ldns_rdf2native_int8(ldns_rr_rdf(k, 2)), 8);
		have_cur |= ldns_rr_compare(k, cur) == 0;
		have_next |= ldns_rr_compare(k, next) == 0;
		zsk |= ldns_rdf2native_int16(ldns_rr_rdf(k, 0)) == 256;
	}
	assert_true(have_cur && have_next && zsk);
	/* only "current" signs the DNSKEY RRset */
	assert_int_equal(ldns_rr_list_rr_count(ksig), 1);
	assert_int_equal(ldns_rdf2native_int16(ldns_rr_rrsig_keytag(ldns_rr_list_rr(ksig, 0))),
			 res.ksk_current_tag);
	ldns_rr_free(cur);
	ldns_rr_free(next);
	ldns_rr_list_free(keys);
	ldns_rr_list_free(ksig);
	ldns_rr_list_deep_free(all);
}

/* Every RRSIG of a zone verifies at NOW: DNSKEY against anchor (or the zone's DNSKEY
 * set when anchor is NULL), the rest against the DNSKEY set. Returns the count. */
static size_t verify_zone(const char *file, const char *apex, const ldns_rr *anchor)
{
	ldns_rr_list *all = zone_rrs(file);
	ldns_rr_list *keys = rrset(all, apex, LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *ta = ldns_rr_list_new();
	size_t n = 0;

	if (anchor)
		ldns_rr_list_push_rr(ta, (ldns_rr *)anchor);
	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);
		int is_key;
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG)
			continue;
		is_key = ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) == LDNS_RR_TYPE_DNSKEY;
		assert_int_equal(verify(all, rr, is_key && anchor ? ta : keys), LDNS_STATUS_OK);
		n++;
	}
	ldns_rr_list_free(ta);
	ldns_rr_list_free(keys);
	ldns_rr_list_deep_free(all);
	return n;
}

static void test_root_verifies(void **state)
{
	ldns_rr *cur = read_rr("ta/root.dnskey");
	ldns_rr *next = read_rr("ta/root-next.dnskey");
	ldns_rr_list *all = zone_rrs("root.zone");
	ldns_rr_list *ksig = sigs(all, ".", LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *only_next = ldns_rr_list_new();

	(void)state;
	assert_true(verify_zone("root.zone", ".", cur) >= 6);
	ldns_rr_list_push_rr(only_next, next);
	assert_int_not_equal(verify(all, ldns_rr_list_rr(ksig, 0), only_next), LDNS_STATUS_OK);
	ldns_rr_list_free(only_next);
	ldns_rr_list_free(ksig);
	ldns_rr_list_deep_free(all);
	ldns_rr_free(cur);
	ldns_rr_free(next);
}

static void test_algorithms_verify(void **state)
{
	static const struct {
		const char *file, *apex;
		uint8_t alg;
	} z[] = {
		{"alg8.test.zone", "alg8.test.", 8},    {"alg13.test.zone", "alg13.test.", 13},
		{"alg14.test.zone", "alg14.test.", 14}, {"alg15.test.zone", "alg15.test.", 15},
		{"alg16.test.zone", "alg16.test.", 16}, {"test.zone", "test.", 13},
		{"alg1.test.zone", "alg1.test.", 1},    {"alg3.test.zone", "alg3.test.", 3},
		{"alg5.test.zone", "alg5.test.", 5},    {"alg6.test.zone", "alg6.test.", 6},
		{"alg7.test.zone", "alg7.test.", 7},    {"alg10.test.zone", "alg10.test.", 10},
		{"alg1-ds1.test.zone", "alg1-ds1.test.", 1},
		{"alg5-ds1.test.zone", "alg5-ds1.test.", 5},
		{"alg7-ds4.test.zone", "alg7-ds4.test.", 7},
		{"alg16-ds4.test.zone", "alg16-ds4.test.", 16},
		{"nsec3.test.zone", "nsec3.test.", 13}, {"optout.test.zone", "optout.test.", 13},
		{"iter151.test.zone", "iter151.test.", 13}, {"dane.test.zone", "dane.test.", 13},
		{"wild.test.zone", "wild.test.", 13},
	};

	(void)state;
	for (size_t i = 0; i < sizeof z / sizeof z[0]; i++) {
		ldns_rr *k = zone_ksk(z[i].file, z[i].apex);
		assert_int_equal(ldns_rdf2native_int8(ldns_rr_rdf(k, 2)), z[i].alg);
		assert_true(verify_zone(z[i].file, z[i].apex, NULL) >= 6);
		ldns_rr_free(k);
	}
}

static void test_corrupt_rrsig(void **state)
{
	ldns_rr_list *all = zone_rrs("bogus-sig.test.zone");
	ldns_rr_list *keys = rrset(all, "bogus-sig.test.", LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *bad = sigs(all, "www.bogus-sig.test.", LDNS_RR_TYPE_A);
	ldns_rr_list *good = sigs(all, "txt.bogus-sig.test.", LDNS_RR_TYPE_TXT);
	ldns_rr_list *aaaa = sigs(all, "www.bogus-sig.test.", LDNS_RR_TYPE_AAAA);

	(void)state;
	assert_int_equal(ldns_rr_list_rr_count(bad), 1);
	assert_int_equal(ldns_rr_list_rr_count(good), 1);
	assert_int_equal(ldns_rr_list_rr_count(aaaa), 1);
	assert_int_not_equal(verify(all, ldns_rr_list_rr(bad, 0), keys), LDNS_STATUS_OK);
	assert_int_equal(verify(all, ldns_rr_list_rr(good, 0), keys), LDNS_STATUS_OK);
	assert_int_equal(verify(all, ldns_rr_list_rr(aaaa, 0), keys), LDNS_STATUS_OK);
	ldns_rr_list_free(keys);
	ldns_rr_list_free(bad);
	ldns_rr_list_free(good);
	ldns_rr_list_free(aaaa);
	ldns_rr_list_deep_free(all);
}

/* bend= (model Z): each bent record is signed by the attacker zone's own key and its
 * signature verifies; only its content is malformed. */
static void test_bends(void **state)
{
	(void)state;
	/* labels:www:A:2 on e.atk-d1.test.: Labels 2 < the signer's 3, still a valid signature */
	ldns_rr_list *all = zone_rrs("e.atk-d1.test.zone");
	ldns_rr_list *keys = rrset(all, "e.atk-d1.test.", LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *s = sigs(all, "www.e.atk-d1.test.", LDNS_RR_TYPE_A);
	assert_int_equal(ldns_rr_list_rr_count(s), 1);
	assert_int_equal(ldns_rdf2native_int8(ldns_rr_rrsig_labels(ldns_rr_list_rr(s, 0))), 2);
	assert_int_equal(verify(all, ldns_rr_list_rr(s, 0), keys), LDNS_STATUS_OK);
	ldns_rr_list_free(keys);
	ldns_rr_list_free(s);
	ldns_rr_list_deep_free(all);
	/* nsec-next:www:zz.atk-d2.test.: the last NSEC of b.atk-d2.test. leaves the zone */
	all = zone_rrs("b.atk-d2.test.zone");
	keys = rrset(all, "b.atk-d2.test.", LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *n = rrset(all, "www.b.atk-d2.test.", LDNS_RR_TYPE_NSEC);
	s = sigs(all, "www.b.atk-d2.test.", LDNS_RR_TYPE_NSEC);
	assert_int_equal(ldns_rr_list_rr_count(n), 1);
	char *next = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(n, 0), 0));
	assert_string_equal(next, "zz.atk-d2.test.");
	free(next);
	assert_int_equal(ldns_rr_list_rr_count(s), 1);
	assert_int_equal(verify(all, ldns_rr_list_rr(s, 0), keys), LDNS_STATUS_OK);
	ldns_rr_list_free(n);
	ldns_rr_list_free(keys);
	ldns_rr_list_free(s);
	ldns_rr_list_deep_free(all);
	/* revoked-signs:_25._tcp.mx:TLSA: a second DNSKEY (flags 385) signs only that TLSA */
	all = zone_rrs("atk-e3.test.zone");
	keys = rrset(all, "atk-e3.test.", LDNS_RR_TYPE_DNSKEY);
	assert_int_equal(ldns_rr_list_rr_count(keys), 2);
	ldns_rr *revoked = NULL;
	for (size_t i = 0; i < 2; i++)
		if (ldns_rdf2native_int16(ldns_rr_rdf(ldns_rr_list_rr(keys, i), 0)) == 385)
			revoked = ldns_rr_list_rr(keys, i);
	assert_non_null(revoked);
	s = sigs(all, "_25._tcp.mx.atk-e3.test.", LDNS_RR_TYPE_TLSA);
	assert_int_equal(ldns_rr_list_rr_count(s), 1);
	assert_int_equal(ldns_rdf2native_int16(ldns_rr_rrsig_keytag(ldns_rr_list_rr(s, 0))),
			 ldns_calc_keytag(revoked));
	assert_int_equal(verify(all, ldns_rr_list_rr(s, 0), keys), LDNS_STATUS_OK);
	ldns_rr_list *other = sigs(all, "_25._tcp.mx2.atk-e3.test.", LDNS_RR_TYPE_TLSA);
	assert_int_not_equal(ldns_rdf2native_int16(ldns_rr_rrsig_keytag(ldns_rr_list_rr(other, 0))),
			     ldns_calc_keytag(revoked));
	ldns_rr_list_free(other);
	ldns_rr_list_free(keys);
	ldns_rr_list_free(s);
	ldns_rr_list_deep_free(all);
	/* nsec3-owner: an NSEC3 outside z.atk-d3.test., signed by it, in a side file only */
	char *zf = slurp_lab("zones/z.atk-d3.test.zone"), *bent = slurp_lab("zones/z.atk-d3.test.zone.bent");
	assert_non_null(zf);
	assert_non_null(bent);
	assert_null(strstr(zf, "00000000000000000000000000000000"));
	assert_non_null(strstr(bent, "00000000000000000000000000000000.atk-d3.test.\t300\tIN\tNSEC3\t"));
	assert_non_null(strstr(bent, " z.atk-d3.test. "));
	free(zf);
	free(bent);
}

static void test_sentinels(void **state)
{
	ldns_rr_list *all = zone_rrs("test.zone");
	const uint16_t tags[2] = {res.ksk_current_tag, res.ksk_next_tag};
	const char *kinds[2] = {"is", "not"};

	(void)state;
	for (size_t t = 0; t < 2; t++)
		for (size_t k = 0; k < 2; k++) {
			char name[128];
			ldns_rr_list *a;
			snprintf(name, sizeof name, "root-key-sentinel-%s-ta-%05u.test.", kinds[k],
				 tags[t]);
			a = rrset(all, name, LDNS_RR_TYPE_A);
			assert_int_equal(ldns_rr_list_rr_count(a), 1);
			ldns_rr_list_free(a);
			a = sigs(all, name, LDNS_RR_TYPE_A);
			assert_int_equal(ldns_rr_list_rr_count(a), 1);
			ldns_rr_list_free(a);
		}
	ldns_rr_list_deep_free(all);
}

/* The marker of the vectors (testvectors/README, "The marker"): one TXT at _trustprobe.test.
 * naming the manifest's version, signed by test. with the zone's window, in the lab-zone
 * only; and what the signer writes is what the probe's zone preflight accepts. */
static void test_marker(void **state)
{
	char path[PATHLEN], err[512], text[64], *other;
	struct manifest *man = calloc(1, sizeof *man);
	ldns_rr_list *all = zone_rrs("test.zone");
	ldns_rr_list *txt = rrset(all, "_trustprobe.test.", LDNS_RR_TYPE_TXT);
	ldns_rr_list *sig = sigs(all, "_trustprobe.test.", LDNS_RR_TYPE_TXT);
	struct tp_observation obs = {0};
	struct tp_preflight pf;

	(void)state;
	assert_non_null(man);
	snprintf(path, sizeof path, "%s/manifest", vectors);
	assert_int_equal(manifest_load(path, man, err, sizeof err), 0);
	assert_true(man->version >= 1);
	snprintf(text, sizeof text, "\"trustprobe-vectors %u\"", man->version);
	assert_int_equal(ldns_rr_list_rr_count(txt), 1);
	char *rd = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(txt, 0), 0));
	assert_string_equal(rd, text);
	free(rd);
	assert_int_equal(ldns_rr_list_rr_count(sig), 1);
	assert_int_equal(ldns_rdf2native_int32(ldns_rr_rrsig_expiration(ldns_rr_list_rr(sig, 0))),
			 (uint32_t)(NOW + 40 * DAY));
	assert_true(verify_zone("test.zone", "test.", NULL) > 0);
	other = slurp_lab("zones/alg13.test.zone");
	assert_null(strstr(other, "_trustprobe"));
	free(other);
	other = slurp_lab("zones/root.zone");
	assert_null(strstr(other, "_trustprobe"));
	free(other);

	/* the answer a resolver gives with CD and DO: the TXT and its RRSIG */
	obs.status = TP_OBS_ANSWER;
	obs.pkt = ldns_pkt_new();
	ldns_pkt_set_qr(obs.pkt, true);
	ldns_pkt_set_rd(obs.pkt, true);
	ldns_pkt_set_ra(obs.pkt, true);
	ldns_pkt_set_cd(obs.pkt, true);
	ldns_pkt_set_edns_udp_size(obs.pkt, 1232);
	ldns_pkt_set_edns_do(obs.pkt, true);
	ldns_pkt_push_rr(obs.pkt, LDNS_SECTION_ANSWER, ldns_rr_clone(ldns_rr_list_rr(txt, 0)));
	ldns_pkt_push_rr(obs.pkt, LDNS_SECTION_ANSWER, ldns_rr_clone(ldns_rr_list_rr(sig, 0)));
	tp_preflight_judge(&obs, "test.", man->version, (long long)NOW, &pf);
	assert_int_equal(pf.status, TP_PF_OK);
	assert_int_equal(pf.version, man->version);
	tp_preflight_judge(&obs, "test.", man->version, (long long)NOW + 41 * DAY, &pf);
	assert_int_equal(pf.status, TP_PF_EXPIRED);
	assert_non_null(strstr(pf.reason, "test zone test. expired on 2026-02-10 00:00:00 UTC"));
	tp_preflight_judge(&obs, "test.", man->version + 1, (long long)NOW, &pf);
	assert_int_equal(pf.status, TP_PF_VERSION);
	tp_observation_clear(&obs);
	ldns_rr_list_free(txt);
	ldns_rr_list_free(sig);
	ldns_rr_list_deep_free(all);
	free(man);
}

/* Each RR in an answer takes at least a 2-octet compressed owner, 10 octets of
 * type/class/TTL/length and its RDATA. */
static void test_big_tlsa(void **state)
{
	ldns_rr_list *all = zone_rrs("dane.test.zone");
	ldns_rr_list *big = rrset(all, "_25._tcp.big.dane.test.", LDNS_RR_TYPE_TLSA);
	ldns_buffer *buf = ldns_buffer_new(4096);
	size_t bytes = 0;

	(void)state;
	for (size_t i = 0; i < ldns_rr_list_rr_count(big); i++) {
		ldns_buffer_clear(buf);
		assert_int_equal(ldns_rr_rdata2buffer_wire(buf, ldns_rr_list_rr(big, i)),
				 LDNS_STATUS_OK);
		bytes += 12 + ldns_buffer_position(buf);
	}
	assert_true(bytes > 1232);
	ldns_buffer_free(buf);
	ldns_rr_list_free(big);
	ldns_rr_list_deep_free(all);
}

/* The lab's mail host: {mta_addr} and {mta_tlsa} expanded in mta.test. and in the
 * attack zones whose mx is the lab MX; a zone without variables keeps its placeholder. */
static void test_template_vars(void **state)
{
	static const struct {
		const char *file, *owner;
		ldns_rr_type type;
		const char *want;
	} z[] = {
		{"mta.test.zone", "mx.mta.test.", LDNS_RR_TYPE_A, "127.53.3.1"},
		{"mta.test.zone", "_25._tcp.mx.mta.test.", LDNS_RR_TYPE_TLSA, "3 1 1 " MTA_TLSA},
		{"mta.test.zone", "mismatch.mta.test.", LDNS_RR_TYPE_A, "127.53.3.1"},
		{"mta.test.zone", "_25._tcp.mismatch.mta.test.", LDNS_RR_TYPE_TLSA, "3 1 1 308EA8D5"},
		{"atk-b3.test.zone", "mx.atk-b3.test.", LDNS_RR_TYPE_A, "127.53.3.1"},
		{"atk-b3.test.zone", "_25._tcp.mx2.atk-b3.test.", LDNS_RR_TYPE_TLSA, "3 1 1 " MTA_TLSA},
		{"atk-e3.test.zone", "_25._tcp.mx.atk-e3.test.", LDNS_RR_TYPE_TLSA, "3 1 1 " MTA_TLSA},
		{"dane.test.zone", "_25._tcp.mx.dane.test.", LDNS_RR_TYPE_TLSA, "3 1 1 308EA8D5"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof z / sizeof z[0]; i++) {
		ldns_rr_list *all = zone_rrs(z[i].file);
		ldns_rr_list *set = rrset(all, z[i].owner, z[i].type);
		assert_int_equal(ldns_rr_list_rr_count(set), 1);
		char *s = ldns_rr2str(ldns_rr_list_rr(set, 0));
		/* ldns prints a TLSA digest in lower case, split in chunks */
		char flat[512] = "";
		for (size_t a = 0, b = 0; s[a] && b + 1 < sizeof flat; a++)
			if (s[a] != ' ' || (b && flat[b - 1] != ' '))
				flat[b++] = (char)toupper((unsigned char)s[a]), flat[b] = '\0';
		char want[256];
		snprintf(want, sizeof want, "%s", z[i].want);
		for (char *p = want; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		if (!strstr(flat, want))
			fail_msg("%s %s: '%s' has no '%s'", z[i].file, z[i].owner, flat, want);
		free(s);
		ldns_rr_list_free(set);
		ldns_rr_list_deep_free(all);
	}
}

static int private_found;

static int scan_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	static const char *const needles[] = {"Private-key-format", "PrivateExponent",
					      "PRIVATE KEY", "PrivateKey:", NULL};
	char *text;

	(void)st;
	(void)ftw;
	if (flag != FTW_F)
		return 0;
	text = slurp(path);
	for (size_t i = 0; text && needles[i]; i++)
		if (strstr(text, needles[i]))
			private_found++;
	free(text);
	return 0;
}

static void test_no_private_keys(void **state)
{
	(void)state;
	private_found = 0;
	assert_int_equal(nftw(lab, scan_entry, 16, FTW_PHYS), 0);
	assert_int_equal(private_found, 0);
}

static void test_trust_anchor_files(void **state)
{
	ldns_rr *key = read_rr("ta/root.dnskey");
	ldns_rr *ds = read_rr("ta/root.ds");
	ldns_rr *want = ldns_key_rr2ds(key, LDNS_SHA256);
	char *bind = slurp_lab("ta/bind.conf");
	char *dnsmasq = slurp_lab("ta/dnsmasq.conf");
	char *pub = ldns_rdf2str(ldns_rr_rdf(key, 3));
	char *dig = ldns_rdf2str(ldns_rr_rdf(ds, 3));
	char line[1024];

	(void)state;
	assert_int_equal(ldns_rr_compare(ds, want), 0);
	assert_int_equal(ldns_rdf2native_int16(ldns_rr_rdf(key, 0)), 257);
	snprintf(line, sizeof line, "trust-anchors { . initial-key 257 3 8 \"%s\"; };\n", pub);
	assert_string_equal(bind, line);
	for (char *p = dig; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'f' ? *p - 'a' + 'A' : *p);
	snprintf(line, sizeof line, "trust-anchor=.,%u,8,2,%s\n", res.ksk_current_tag, dig);
	assert_string_equal(dnsmasq, line);
	free(bind);
	free(dnsmasq);
	free(pub);
	free(dig);
	ldns_rr_free(key);
	ldns_rr_free(ds);
	ldns_rr_free(want);
}

static void test_zones_list_and_hints(void **state)
{
	char *list = slurp_lab("zones.list");
	char *hints = slurp_lab("root.hints");
	char *save = NULL;
	size_t n = 0;

	(void)state;
	assert_non_null(list);
	assert_string_equal(res.lab_zone, "test.");
	assert_int_equal(res.n_zones, 95); /* 20, 30 of the algorithm matrix, 44 attack zones, the ledger */
	for (char *l = strtok_r(list, "\n", &save); l; l = strtok_r(NULL, "\n", &save), n++) {
		char want[512], path[PATHLEN];
		struct stat st;
		const struct signer_zone_out *z = &res.zones[n];
		snprintf(want, sizeof want, "%s %s %s", z->name, z->server, z->file);
		assert_string_equal(l, want);
		snprintf(path, sizeof path, "%s/zones/%s", lab, z->file);
		assert_int_equal(stat(path, &st), 0);
		if (n > 0) /* parents first */
			assert_true(labels(res.zones[n - 1].name) <=
				    labels(z->name));
	}
	assert_int_equal(n, res.n_zones);
	assert_string_equal(res.zones[0].name, ".");
	/* via=proxy: the glue in the parent and the zone's own ns A name the proxy */
	char *tld = slurp_lab("zones/test.zone"), *a1 = slurp_lab("zones/atk-a1.test.zone");
	assert_non_null(strstr(tld, "ns.atk-a1.test.\t3600\tIN\tA\t127.53.0.5\n"));
	assert_non_null(strstr(tld, "ns.alg13.test.\t3600\tIN\tA\t127.53.0.3\n"));
	assert_non_null(strstr(a1, "ns.atk-a1.test.\t3600\tIN\tA\t127.53.0.5\n"));
	/* the attacker's ledger: delegated to the proxy, insecure (no DS), a wildcard TXT */
	char *ledger = slurp_lab("zones/_ledger.test.zone");
	assert_non_null(ledger);
	assert_non_null(strstr(tld, "ns._ledger.test.\t3600\tIN\tA\t127.53.0.5\n"));
	assert_non_null(strstr(tld, "_ledger.test.\t3600\tIN\tNS\tns._ledger.test.\n"));
	assert_null(strstr(tld, "_ledger.test.\t3600\tIN\tDS\t"));
	assert_non_null(strstr(ledger, "*._ledger.test.\t3600\tIN\tTXT\t\"trustprobe-ledger\"\n"));
	assert_null(strstr(ledger, "RRSIG"));
	free(ledger);
	free(tld);
	free(a1);
	assert_string_equal(res.zones[0].file, "root.zone");
	assert_string_equal(hints, ".\t3600000\tIN\tNS\ta.root-servers.lab.\n"
				   "a.root-servers.lab.\t3600000\tIN\tA\t127.53.0.1\n");
	free(list);
	free(hints);
}

/* ---- tests with manifests of their own ---- */

struct mini {
	char vec[DIRLEN];
	char out[DIRLEN + 8];
	char err[512];
	struct signer_result r;
};

/* Directories made by mini_build, removed by own_teardown even when a test failed
 * before its mini_done. */
static char made_dirs[64][DIRLEN];
static size_t n_made;

/* A vectors dir holding manifest text and zones/basic.zone; returns the build status. */
static enum signer_status mini_build(struct mini *m, const char *manifest)
{
	char zones[DIRLEN + 8];

	snprintf(m->vec, sizeof m->vec, "/tmp/tp-signer-vec-XXXXXX");
	assert_non_null(mkdtemp(m->vec));
	if (n_made < sizeof made_dirs / sizeof made_dirs[0])
		memcpy(made_dirs[n_made++], m->vec, sizeof m->vec);
	snprintf(zones, sizeof zones, "%s/zones", m->vec);
	assert_int_equal(mkdir(zones, 0700), 0);
	write_file(m->vec, "manifest", manifest);
	write_file(m->vec, "zones/basic.zone", "www A 192.0.2.1\ntxt TXT \"trustprobe\"\n");
	write_file(m->vec, "zones/soa.zone", "@ SOA ns hm 1 2 3 4 5\n");
	write_file(m->vec, "zones/broken.zone", "www A 192.0.2.1\nbad A 192.0.2.300\n");
	write_file(m->vec, "zones/marker.zone", "_trustprobe TXT \"trustprobe-vectors 1\"\n");
	write_file(m->vec, "zones/novalue.zone", "www A 192.0.2.1\n\nmx A {mta_host}\n");
	write_file(m->vec, "zones/brace.zone", "www A 192.0.2.1\ntxt TXT \"{ not a name }\"\n");
	snprintf(m->out, sizeof m->out, "%s/out", m->vec);
	return build(m->vec, m->out, &m->r, m->err, sizeof m->err);
}

static void mini_done(struct mini *m)
{
	rm_tree(m->vec);
}

static int own_teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < n_made; i++)
		rm_tree(made_dirs[i]);
	n_made = 0;
	return 0;
}

#define MINI_HEAD "lab-zone test.\n# line 2\n"
#define MINI_ROOT "zone . template=basic.zone server=root alg=13\n"
#define MINI_TLD "zone test. template=basic.zone server=tld alg=13\n"

/* ds=unknown-alg, on a manifest of its own (the lab's unknown-alg.test. is relabelled) */
static void test_ds_unknown_alg(void **state)
{
	struct mini m;
	(void)state;
	assert_int_equal(mini_build(&m, MINI_HEAD MINI_ROOT MINI_TLD
				    "zone u.test. template=basic.zone server=child alg=13 "
				    "ds=unknown-alg\n"), SIGNER_OK);
	labdir = m.out;
	ldns_rr *ksk = zone_ksk("u.test.zone", "u.test.");
	ldns_rr_list *ds = tld_ds("u.test.");
	labdir = lab;
	assert_int_equal(ldns_rr_list_rr_count(ds), 1);
	assert_int_equal(ldns_rdf2native_int8(ldns_rr_rdf(ldns_rr_list_rr(ds, 0), 1)), 100);
	assert_int_equal(ldns_rdf2native_int16(ldns_rr_rdf(ldns_rr_list_rr(ds, 0), 0)),
			 ldns_calc_keytag(ksk));
	ldns_rr_free(ksk);
	ldns_rr_list_deep_free(ds);
	mini_done(&m);
}

static void test_manifest_errors(void **state)
{
	/* each bad line sits at line 3 */
	static const char *const bad[] = {
		"frobnicate yes\n",
		"zone alg13.test. template=basic.zone server=child alg=12\n",
		"zone alg13.test. template=basic.zone server=child alg=13 colour=blue\n",
		"zone alg13.test. template=basic.zone server=child\n",
		"zone alg13.test template=basic.zone server=child alg=13\n",
		"zone alg13.test. template=basic.zone server=child alg=13 denial=nsec3 salt=xyz\n",
		"zone alg13.test. template=basic.zone server=child alg=13 denial=nsec3 "
		"iterations=70000\n",
		"zone alg13.test. template=basic.zone server=child alg=13 iterations=5\n",
		"zone alg13.test. template=basic.zone server=child alg=13 window=later\n",
		"zone alg13.test. template=basic.zone server=child alg=13 ds=maybe\n",
		"zone alg13.test. template=basic.zone server=child alg=13 fault=corrupt-rrsig:\n",
		"zone alg13.test. template=basic.zone server=child alg=unsigned window=expired\n",
		"zone alg13.test. template=basic.zone server=child alg=13 roll=next-signs\n",
		"zone alg13.test. template=../basic.zone server=child alg=13\n",
		"zone alg13.test. template=basic.zone server=child alg=13 alg=8\n",
		"lab-zone test.\n",
		"zone alg13.test. template=basic.zone server=nowhere alg=13\n",
		"zone alg13.test. template=basic.zone server=child alg=13 sentinel=192.0.2\n",
		"zone alg13.test. template=basic.zone server=child alg=13 bend=labels:www:A\n",
		"zone alg13.test. template=basic.zone server=child alg=13 bend=labels:www:BOGUS:2\n",
		"zone alg13.test. template=basic.zone server=child alg=13 bend=nsec-next:www:x\n",
		"zone alg13.test. template=basic.zone server=child alg=13 bend=twist:www\n",
		"zone alg13.test. template=basic.zone server=child alg=unsigned "
		"bend=revoked-signs:www:A\n",
		"zone alg13.test. template=basic.zone server=child alg=13 via=\n",
		"zone alg13.test. template=basic.zone server=child alg=13 via=nowhere\n",
		"version 0\n",
		"version seven\n",
		"version 1 2\n",
		"version 65536\n",
		"zone alg13.test. template=basic.zone server=child alg=13 digest=3\n",
		"zone alg13.test. template=basic.zone server=child alg=13 digest=0\n",
		"zone alg13.test. template=basic.zone server=child alg=13 digest=256\n",
		"zone alg13.test. template=basic.zone server=child alg=13 ds=none digest=1\n",
		"zone alg13.test. template=basic.zone server=child alg=unsigned digest=1\n",
		"zone alg13.test. template=basic.zone server=child alg=13 relabel=13\n",
		"zone alg13.test. template=basic.zone server=child alg=13 relabel=100 "
		"fault=corrupt-rrsig:www\n",
		"zone alg13.test. template=basic.zone server=child alg=13 keys=nowhere.test.\n",
		"zone alg13.test. template=basic.zone server=child alg=8 keys=test.\n",
		"zone alg13.test. template=basic.zone server=child alg=13 keys=.\n",
		"zone alg13.test. template=basic.zone server=child alg=13 keys=alg13.test.\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[1024], where[PATHLEN + 32];
		struct mini m;
		enum signer_status st;
		snprintf(text, sizeof text, MINI_HEAD "%s" MINI_ROOT MINI_TLD, bad[i]);
		st = mini_build(&m, text);
		snprintf(where, sizeof where, "%s/manifest:3: ", m.vec);
		if (st != SIGNER_ERR_MANIFEST || !strstr(m.err, where))
			fail_msg("bad line %zu: status %d, err '%s'", i, st, m.err);
		assert_null(strchr(m.err, '\n'));
		mini_done(&m);
	}
}

static void test_manifest_whole_file_errors(void **state)
{
	static const char *const bad[] = {
		"zone . template=basic.zone server=root alg=13\n",              /* no lab-zone */
		"lab-zone test.\n" MINI_TLD,                                    /* no root */
		"lab-zone other.\n" MINI_ROOT MINI_TLD,                         /* undeclared */
		"lab-zone test.\nzone . template=basic.zone server=root alg=unsigned\n" MINI_TLD,
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct mini m;
		enum signer_status st = mini_build(&m, bad[i]);
		if (st != SIGNER_ERR_MANIFEST || !strstr(m.err, "manifest"))
			fail_msg("case %zu: status %d, err '%s'", i, st, m.err);
		mini_done(&m);
	}
}

/* Builds manifest in a mini tree and checks that its test.zone holds text. */
static void mini_tld_has(const char *manifest, const char *text)
{
	struct mini m;
	char *z;
	assert_int_equal(mini_build(&m, manifest), SIGNER_OK);
	labdir = m.out;
	z = slurp_lab("zones/test.zone");
	if (!strstr(z, text))
		fail_msg("test.zone lacks '%s'", text);
	free(z);
	labdir = lab;
	mini_done(&m);
}

/* "version N" goes into the lab-zone's marker; 1 when not given; once only. */
static void test_manifest_version(void **state)
{
	struct mini m;

	(void)state;
	mini_tld_has(MINI_HEAD "version 7\n" MINI_ROOT MINI_TLD,
		     "_trustprobe.test.\t3600\tIN\tTXT\t\"trustprobe-vectors 7\"");
	mini_tld_has(MINI_HEAD MINI_ROOT MINI_TLD, "\"trustprobe-vectors 1\"");
	assert_int_equal(mini_build(&m, "lab-zone test.\nversion 2\nversion 3\n" MINI_ROOT MINI_TLD),
			 SIGNER_ERR_MANIFEST);
	assert_non_null(strstr(m.err, "manifest:3: version given twice"));
	mini_done(&m);
	/* the signer writes the marker: a template of the lab-zone may not */
	assert_int_equal(mini_build(&m, MINI_HEAD MINI_ROOT
				    "zone test. template=marker.zone server=tld alg=13\n"),
			 SIGNER_ERR_TEMPLATE);
	assert_non_null(strstr(m.err, "_trustprobe.test. uses the name of the vectors' marker"));
	mini_done(&m);
}

static void test_template_errors(void **state)
{
	static const struct {
		const char *line, *needle;
	} bad[] = {
		{"zone alg13.test. template=missing.zone server=child alg=13\n", "missing.zone"},
		{"zone alg13.test. template=soa.zone server=child alg=13\n", "soa.zone"},
		{"zone alg13.test. template=broken.zone server=child alg=13\n", "broken.zone:2"},
		{"zone alg13.test. template=basic.zone server=child alg=13 "
		 "fault=corrupt-rrsig:nothere\n", "nothere.alg13.test."},
		/* template variables: one the caller gave no value, a '{' that names none */
		{"zone alg13.test. template=novalue.zone server=child alg=13\n",
		 "novalue.zone:3: variable {mta_host} has no value"},
		{"zone alg13.test. template=brace.zone server=child alg=13\n",
		 "brace.zone:2: '{' starts no variable name"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[1024];
		struct mini m;
		enum signer_status st;
		snprintf(text, sizeof text, MINI_HEAD "%s" MINI_ROOT MINI_TLD, bad[i].line);
		st = mini_build(&m, text);
		if (st != SIGNER_ERR_TEMPLATE || !strstr(m.err, bad[i].needle))
			fail_msg("case %zu: status %d, err '%s'", i, st, m.err);
		mini_done(&m);
	}
}

/* The DNSKEY RRSIG key tags of a mini build's root. */
static void root_key_sigs(const struct mini *m, uint16_t *tags, size_t *n)
{
	ldns_rr_list *all, *ks;

	labdir = m->out;
	all = zone_rrs("root.zone");
	ks = sigs(all, ".", LDNS_RR_TYPE_DNSKEY);
	*n = ldns_rr_list_rr_count(ks);
	for (size_t i = 0; i < *n && i < 4; i++)
		tags[i] = ldns_rdf2native_int16(ldns_rr_rrsig_keytag(ldns_rr_list_rr(ks, i)));
	assert_int_equal(verify_zone("root.zone", ".", NULL) > 0, 1);
	ldns_rr_list_free(ks);
	ldns_rr_list_deep_free(all);
	labdir = lab;
}

static void test_roll_next_signs(void **state)
{
	struct mini m;
	uint16_t tags[4] = {0};
	size_t n = 0;

	(void)state;
	assert_int_equal(mini_build(&m, "lab-zone test.\n"
				    "zone . template=basic.zone server=root alg=13 roll=next-signs\n"
				    MINI_TLD), SIGNER_OK);
	root_key_sigs(&m, tags, &n);
	assert_int_equal(n, 2);
	assert_true((tags[0] == m.r.ksk_current_tag && tags[1] == m.r.ksk_next_tag) ||
		    (tags[1] == m.r.ksk_current_tag && tags[0] == m.r.ksk_next_tag));
	mini_done(&m);
}

/* The rehearsal's session: the same keys re-sign the root at each step; only root.zone
 * changes; the DNSKEY TTL is the short one asked for; the SOA serial is the step's. */
static void test_session_steps(void **state)
{
	struct mini m;
	struct signer_session *sess = NULL;
	struct signer_opts o;
	(void)state;
	assert_int_equal(mini_build(&m, "lab-zone test.\n" MINI_ROOT MINI_TLD), SIGNER_OK);
	o = (struct signer_opts){.vectors_dir = m.vec, .out_dir = m.out, .servers = servers,
				 .n_servers = sizeof servers / sizeof servers[0], .now = NOW,
				 .roll_ttl = 2, .root_pub = "127.53.0.5"};
	assert_int_equal(signer_build_session(&o, &m.r, &sess, m.err, sizeof m.err), SIGNER_OK);
	assert_non_null(sess);
	labdir = m.out;
	char *hints = slurp_lab("root.hints");
	assert_non_null(strstr(hints, "127.53.0.5")); /* root_pub: the proxy, not nsd-root */
	free(hints);
	char *tld = slurp_lab("zones/test.zone");
	static const struct {
		enum signer_root_step step;
		int cur_published, cur_signs, next_signs, revoked;
	} want[] = {
		{SIGNER_ROOT_PUBLISH_NEXT, 1, 1, 0, 0},
		{SIGNER_ROOT_NEXT_SIGNS, 1, 0, 1, 0},
		{SIGNER_ROOT_CURRENT_REVOKED, 1, 1, 1, 1},
		{SIGNER_ROOT_CURRENT_REMOVED, 0, 0, 1, 1},
	};
	uint16_t cur = m.r.ksk_current_tag, next = m.r.ksk_next_tag, cur_rev = 0;
	for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
		assert_int_equal(signer_root_step(sess, want[w].step, 5000 + (uint32_t)w, m.err,
						  sizeof m.err), SIGNER_OK);
		ldns_rr_list *all = zone_rrs("root.zone");
		ldns_rr_list *keys = rrset(all, ".", LDNS_RR_TYPE_DNSKEY);
		ldns_rr_list *ks = sigs(all, ".", LDNS_RR_TYPE_DNSKEY);
		ldns_rr_list *soa = rrset(all, ".", LDNS_RR_TYPE_SOA);
		assert_int_equal(ldns_rdf2native_int32(ldns_rr_rdf(ldns_rr_list_rr(soa, 0), 2)),
				 5000 + w);
		int pub = 0, revoked = 0, next_pub = 0;
		for (size_t i = 0; i < ldns_rr_list_rr_count(keys); i++) {
			ldns_rr *k = ldns_rr_list_rr(keys, i);
			uint16_t t = ldns_calc_keytag(k);
			assert_int_equal(ldns_rr_ttl(k), 2);
			pub |= t == cur;
			next_pub |= t == next;
			if (ldns_rdf2native_int16(ldns_rr_rdf(k, 0)) == 385) {
				revoked = 1;
				cur_rev = t;
			}
		}
		assert_int_equal(pub || revoked, want[w].cur_published);
		assert_int_equal(revoked && want[w].cur_published, want[w].revoked && want[w].cur_published);
		assert_true(next_pub);
		int cur_signs = 0, next_signs = 0;
		for (size_t i = 0; i < ldns_rr_list_rr_count(ks); i++) {
			uint16_t t = ldns_rdf2native_int16(ldns_rr_rrsig_keytag(ldns_rr_list_rr(ks, i)));
			cur_signs |= t == cur || (cur_rev && t == cur_rev);
			next_signs |= t == next;
		}
		assert_int_equal(cur_signs, want[w].cur_signs);
		assert_int_equal(next_signs, want[w].next_signs);
		assert_true(verify_zone("root.zone", ".", NULL) > 0);
		ldns_rr_list_free(keys);
		ldns_rr_list_free(ks);
		ldns_rr_list_free(soa);
		ldns_rr_list_deep_free(all);
	}
	assert_int_not_equal(cur_rev, 0);
	char *tld2 = slurp_lab("zones/test.zone"); /* no other zone was touched */
	assert_string_equal(tld, tld2);
	free(tld);
	free(tld2);
	labdir = lab;
	signer_session_free(sess);
	signer_session_free(NULL);
	mini_done(&m);
}

static void test_roll_current_revoked(void **state)
{
	struct mini m;
	uint16_t tags[4] = {0};
	size_t n = 0;
	ldns_rr_list *all, *keys;
	ldns_rr *anchor;
	int revoked = 0;

	(void)state;
	assert_int_equal(mini_build(&m, "lab-zone test.\n"
				    "zone . template=basic.zone server=root alg=13 "
				    "roll=current-revoked\n" MINI_TLD), SIGNER_OK);
	root_key_sigs(&m, tags, &n);
	assert_int_equal(n, 2);
	labdir = m.out;
	anchor = read_rr("ta/root.dnskey"); /* the anchor keeps flags 257 */
	assert_int_equal(ldns_rdf2native_int16(ldns_rr_rdf(anchor, 0)), 257);
	assert_int_equal(ldns_calc_keytag(anchor), m.r.ksk_current_tag);
	all = zone_rrs("root.zone");
	keys = rrset(all, ".", LDNS_RR_TYPE_DNSKEY);
	for (size_t i = 0; i < ldns_rr_list_rr_count(keys); i++) {
		ldns_rr *k = ldns_rr_list_rr(keys, i);
		if (ldns_rdf2native_int16(ldns_rr_rdf(k, 0)) == 385) {
			revoked++;
			assert_int_equal(ldns_rdf_compare(ldns_rr_rdf(k, 3), ldns_rr_rdf(anchor, 3)),
					 0);
			assert_true(tags[0] == ldns_calc_keytag(k) || tags[1] == ldns_calc_keytag(k));
		}
	}
	assert_int_equal(revoked, 1);
	labdir = lab;
	ldns_rr_list_free(keys);
	ldns_rr_list_deep_free(all);
	ldns_rr_free(anchor);
	mini_done(&m);
}

static void test_unknown_server_role(void **state)
{
	struct mini m;
	struct signer_opts o;
	enum signer_status st;

	(void)state;
	assert_int_equal(mini_build(&m, "lab-zone test.\n" MINI_ROOT MINI_TLD), SIGNER_OK);
	o = (struct signer_opts){.vectors_dir = m.vec, .out_dir = m.out, .servers = servers,
				 .n_servers = 1, .now = NOW}; /* only "root" */
	st = signer_build(&o, &m.r, m.err, sizeof m.err);
	assert_int_equal(st, SIGNER_ERR_MANIFEST);
	assert_non_null(strstr(m.err, "manifest:3:"));
	mini_done(&m);
}

/* trustprobe serve: the vectors under another zone (reroot) with a key store. No root and
 * no anchors; the apex's DS in parent.ds; the keys stored 0600 and reused by the next
 * build; the sentinel names for the tags given; valid signatures expiring sig_valid after
 * now; the attacker's marker; a stored key that does not parse is an error; a rollover
 * publishes both KSKs, then leaves the next one. */
static void test_reroot_key_store(void **state)
{
	struct mini m;
	char keys[DIRLEN + 16], out1[DIRLEN + 16], out2[DIRLEN + 16], p[DIRLEN + 64];
	struct signer_result r;
	char err[512] = "", ds[2048], ds2[2048];
	struct stat st;

	(void)state;
	assert_int_equal(mini_build(&m, MINI_HEAD MINI_ROOT
				    "zone test. template=basic.zone server=tld alg=13 sentinel=192.0.2.1\n"
				    "zone a.test. template=basic.zone server=child alg=8\n"
				    "zone b.a.test. template=basic.zone server=grandchild alg=15\n"),
			 SIGNER_OK);
	snprintf(keys, sizeof keys, "%s/keys", m.vec);
	snprintf(out1, sizeof out1, "%s/s1", m.vec);
	snprintf(out2, sizeof out2, "%s/s2", m.vec);
	assert_int_equal(mkdir(keys, 0700), 0);
	struct signer_opts o = {.vectors_dir = m.vec, .out_dir = out1, .servers = servers,
				.n_servers = sizeof servers / sizeof servers[0], .now = NOW,
				.reroot = "tp.example.", .key_dir = keys,
				.sentinel_tags = {20326, 38696}, .sig_valid = 60, .attacker = 1};
	assert_int_equal(signer_build(&o, &r, err, sizeof err), SIGNER_OK);
	assert_int_equal(r.n_zones, 3);
	assert_string_equal(r.lab_zone, "tp.example.");
	assert_string_equal(r.zones[0].name, "tp.example.");
	snprintf(p, sizeof p, "%s/zones/root.zone", out1);
	assert_int_not_equal(access(p, F_OK), 0); /* no root, no anchors */
	snprintf(p, sizeof p, "%s/ta/root.ds", out1);
	assert_int_not_equal(access(p, F_OK), 0);
	static const char *const files[] = {"Ktp.example.+ksk.private", "Ka.tp.example.+ksk.private",
					    "Kb.a.tp.example.+ksk.private"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", keys, files[i]);
		assert_int_equal(stat(p, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
	}
	labdir = out1;
	char *pds = slurp_lab("parent.ds");
	ldns_rr *apex_ksk = zone_ksk("tp.example.zone", "tp.example.");
	ldns_rr *want = ldns_key_rr2ds(apex_ksk, LDNS_SHA256);
	char *want_s = ldns_rr2str_fmt(ldns_output_format_nocomments, want);
	assert_non_null(pds);
	assert_non_null(want_s);
	*strchr(want_s, '\t') = '\0'; /* the owner; the digest below */
	assert_non_null(strstr(pds, want_s));
	char *dig = ldns_rdf2str(ldns_rr_rdf(want, 3));
	for (char *c = pds; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	assert_non_null(strstr(pds, dig));
	free(dig);
	ldns_rr_list *all = zone_rrs("tp.example.zone");
	ldns_rr_list *is = rrset(all, "root-key-sentinel-is-ta-38696.tp.example.", LDNS_RR_TYPE_A);
	ldns_rr_list *old = rrset(all, "root-key-sentinel-not-ta-20326.tp.example.", LDNS_RR_TYPE_A);
	ldns_rr_list *txt = rrset(all, "_trustprobe.tp.example.", LDNS_RR_TYPE_TXT);
	ldns_rr_list *sigs = rrset(all, "tp.example.", LDNS_RR_TYPE_RRSIG);
	assert_int_equal(ldns_rr_list_rr_count(is), 1);
	assert_int_equal(ldns_rr_list_rr_count(old), 1);
	assert_int_equal(ldns_rr_list_rr_count(txt), 2); /* the version and the attacker */
	assert_true(ldns_rr_list_rr_count(sigs) > 0);
	for (size_t i = 0; i < ldns_rr_list_rr_count(sigs); i++)
		assert_int_equal(ldns_rdf2native_time_t(ldns_rr_rrsig_expiration(
					 ldns_rr_list_rr(sigs, i))), NOW + 60);
	ldns_rr_list_free(is);
	ldns_rr_list_free(old);
	ldns_rr_list_free(txt);
	ldns_rr_list_free(sigs);
	ldns_rr_list_deep_free(all);
	/* the next build (later) signs with the same keys */
	o.out_dir = out2;
	o.now = NOW + 100;
	assert_int_equal(signer_build(&o, &r, err, sizeof err), SIGNER_OK);
	labdir = out2;
	char *pds2 = slurp_lab("parent.ds");
	ldns_rr *again = zone_ksk("tp.example.zone", "tp.example.");
	ldns_rr *b_old, *b_new;
	labdir = out1;
	b_old = zone_ksk("b.a.tp.example.zone", "b.a.tp.example.");
	labdir = out2;
	b_new = zone_ksk("b.a.tp.example.zone", "b.a.tp.example.");
	assert_int_equal(ldns_rr_compare(apex_ksk, again), 0);
	assert_int_equal(ldns_rr_compare(b_old, b_new), 0); /* Ed25519 round-trips too */
	for (char *c = pds2; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	assert_string_equal(pds, pds2);
	/* a rollover: both KSKs published and signing, then the next alone */
	assert_int_equal(signer_keys_roll(keys, "tp.example.", 13, 0, ds, sizeof ds, err,
					  sizeof err), SIGNER_OK);
	assert_int_equal(count_lines(ds), 2);
	assert_int_equal(signer_build(&o, &r, err, sizeof err), SIGNER_OK);
	all = zone_rrs("tp.example.zone");
	ldns_rr_list *dnskeys = rrset(all, "tp.example.", LDNS_RR_TYPE_DNSKEY);
	assert_int_equal(ldns_rr_list_rr_count(dnskeys), 2);
	ldns_rr_list_free(dnskeys);
	ldns_rr_list_deep_free(all);
	assert_int_equal(signer_keys_roll(keys, "tp.example.", 13, 1, ds2, sizeof ds2, err,
					  sizeof err), SIGNER_OK);
	assert_int_equal(count_lines(ds2), 1);
	assert_non_null(strstr(ds, ds2)); /* the second of the two */
	assert_int_not_equal(signer_keys_roll(keys, "tp.example.", 13, 1, ds2, sizeof ds2, err,
					      sizeof err), SIGNER_OK);
	assert_non_null(strstr(err, "no rollover under way"));
	/* a stored key that does not parse */
	snprintf(p, sizeof p, "%s/Ka.tp.example.+ksk.private", keys);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("Private-key-format: v1.2\nAlgorithm: 8 (RSASHA256)\nModulus: !!\n", f);
	fclose(f);
	assert_int_equal(signer_build(&o, &r, err, sizeof err), SIGNER_ERR_KEYGEN);
	assert_non_null(strstr(err, "cannot read the stored key of"));
	labdir = lab;
	ldns_rr_free(apex_ksk);
	ldns_rr_free(again);
	ldns_rr_free(b_old);
	ldns_rr_free(b_new);
	ldns_rr_free(want);
	free(want_s);
	free(pds);
	free(pds2);
	mini_done(&m);
}

int main(void)
{
	const struct CMUnitTest built[] = {
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_ds_normal),
		cmocka_unit_test(test_ds_mismatch),
		cmocka_unit_test(test_ds_digests),
		cmocka_unit_test(test_relabel),
		cmocka_unit_test(test_ds_absent_insecure),
		cmocka_unit_test(test_nsec3_params),
		cmocka_unit_test(test_optout),
		cmocka_unit_test(test_root_dnskeys),
		cmocka_unit_test(test_root_verifies),
		cmocka_unit_test(test_algorithms_verify),
		cmocka_unit_test(test_corrupt_rrsig),
		cmocka_unit_test(test_bends),
		cmocka_unit_test(test_sentinels),
		cmocka_unit_test(test_marker),
		cmocka_unit_test(test_big_tlsa),
		cmocka_unit_test(test_template_vars),
		cmocka_unit_test(test_no_private_keys),
		cmocka_unit_test(test_trust_anchor_files),
		cmocka_unit_test(test_zones_list_and_hints),
	};
	const struct CMUnitTest own[] = {
		cmocka_unit_test(test_ds_unknown_alg),
		cmocka_unit_test(test_manifest_errors),
		cmocka_unit_test(test_manifest_whole_file_errors),
		cmocka_unit_test(test_manifest_version),
		cmocka_unit_test(test_template_errors),
		cmocka_unit_test(test_roll_next_signs),
		cmocka_unit_test(test_roll_current_revoked),
		cmocka_unit_test(test_session_steps),
		cmocka_unit_test(test_unknown_server_role),
		cmocka_unit_test(test_reroot_key_store),
	};
	int failed = cmocka_run_group_tests_name("signer (testvectors)", built, group_setup,
						 group_teardown);

	return failed + cmocka_run_group_tests_name("signer (own manifests)", own, NULL,
						     own_teardown);
}
