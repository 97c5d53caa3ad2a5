/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* manifest: line parser for testvectors/manifest (format in testvectors/README). */
#include "manifest.h"
#include "tp_util.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ldns/ldns.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TOKENS 32
#define LINE_MAX_LEN 1024

/* Parsing context for one line. */
struct pline {
	const char *path;
	int line;
	char *err;
	size_t errlen;
};

static int perr(const struct pline *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(const struct pline *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->line > 0)
		snprintf(p->err, p->errlen, "%s:%d: %s", p->path, p->line, msg);
	else
		snprintf(p->err, p->errlen, "%s: %s", p->path, msg);
	return -1;
}

/* Splits s in place on blanks after cutting a '#' comment. Returns the token count,
 * or -1 if there are more than max tokens. */
static int tokenize(char *s, char **tok, int max)
{
	char *hash = strchr(s, '#');
	char *save = NULL;
	int n = 0;

	if (hash)
		*hash = '\0';
	for (char *t = strtok_r(s, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return -1;
		tok[n++] = t;
	}
	return n;
}

/* Checks a presentation-form absolute domain name and copies it lower-cased. Only
 * letters, digits, '-', '_' and non-empty labels are accepted (lab names need no more). */
static int parse_name(const struct pline *p, const char *s, char *out, size_t outlen)
{
	size_t len = strlen(s);
	size_t label = 0;

	if (strcmp(s, ".") == 0) {
		snprintf(out, outlen, ".");
		return 0;
	}
	if (len == 0 || s[len - 1] != '.')
		return perr(p, "zone name '%s' must be absolute (end with '.')", s);
	if (len >= outlen || len > 254)
		return perr(p, "zone name '%s' is too long", s);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (label == 0)
				return perr(p, "zone name '%s' has an empty label", s);
			label = 0;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				return perr(p, "zone name '%s' has a label over 63 octets", s);
		} else {
			return perr(p, "zone name '%s' has an invalid character", s);
		}
		out[i] = (char)tolower(c);
	}
	out[len] = '\0';
	return 0;
}

/* Parses an unsigned decimal in [0, max]. */
static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out > max)
		return -1;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "-" is the empty salt; otherwise an even number of hex digits, at most 255 octets. */
static int parse_salt(const char *s, struct manifest_zone *z)
{
	size_t len = strlen(s);

	if (strcmp(s, "-") == 0) {
		z->salt_len = 0;
		return 0;
	}
	if (len == 0 || len % 2 || len / 2 > sizeof z->salt)
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		z->salt[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	z->salt_len = (uint8_t)(len / 2);
	return 0;
}

/* A relative owner (one or more labels, no final dot) for fault=corrupt-rrsig:. */
static int parse_label(const char *s, char *out, size_t outlen)
{
	size_t len = strlen(s);

	if (len == 0 || len >= outlen || s[0] == '.' || s[len - 1] == '.')
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '-' && c != '_' && c != '.' && c != '*')
			return -1;
		if (c == '.' && s[i + 1] == '.')
			return -1;
		out[i] = (char)tolower(c);
	}
	out[len] = '\0';
	return 0;
}

/* Maps a keyword to its index in words[] (NULL-terminated), or -1. */
static int keyword(const char *s, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(s, words[i]) == 0)
			return i;
	return -1;
}

/* Bit per zone attribute, to catch duplicates and options that do not apply. */
enum attr {
	A_TEMPLATE = 1 << 0, A_SERVER = 1 << 1, A_ALG = 1 << 2, A_DENIAL = 1 << 3,
	A_ITER = 1 << 4, A_SALT = 1 << 5, A_OPTOUT = 1 << 6, A_WINDOW = 1 << 7,
	A_DS = 1 << 8, A_FAULT = 1 << 9, A_SENTINEL = 1 << 10, A_ROLL = 1 << 11,
	A_VIA = 1 << 12, A_BEND = 1 << 13, A_DIGEST = 1 << 14, A_RELABEL = 1 << 15,
	A_KEYS = 1 << 16
};

static const char *const attr_names[] = {"template", "server", "alg", "denial",
					 "iterations", "salt", "optout", "window",
					 "ds", "fault", "sentinel", "roll", "via", "bend",
					 "digest", "relabel", "keys", NULL};

/* The algorithms ldns 1.8.3 and OpenSSL 3 sign with (RSAMD5, DSA, RSASHA1, DSA-NSEC3-SHA1,
 * RSASHA1-NSEC3-SHA1, RSASHA256, RSASHA512, ECDSA P-256 and P-384, Ed25519, Ed448); not
 * ECC-GOST (12), which OpenSSL 3 has no provider for. */
static int parse_alg(const char *v, uint8_t *alg)
{
	static const char *const algs[] = {"1", "3", "5", "6", "7", "8", "10", "13", "14", "15",
					   "16", NULL};
	static const uint8_t nums[] = {1, 3, 5, 6, 7, 8, 10, 13, 14, 15, 16};
	int k;

	if (strcmp(v, "unsigned") == 0) {
		*alg = 0;
		return 0;
	}
	k = keyword(v, algs);
	if (k < 0)
		return -1;
	*alg = nums[k];
	return 0;
}

/* bend=labels:OWNER:TYPE:N | nsec-next:OWNER:NEXT | revoked-signs:OWNER:TYPE |
 * nsec3-owner:NAME */
static int parse_bend(const struct pline *p, struct manifest_zone *z, const char *v)
{
	char buf[600], *f[5];
	int n = 0;
	if (strlen(v) >= sizeof buf)
		return perr(p, "bend '%.40s...' is too long", v);
	snprintf(buf, sizeof buf, "%s", v);
	for (char *s = buf, *c; n < 5 && s; s = c ? c + 1 : NULL) {
		c = strchr(s, ':');
		if (c)
			*c = '\0';
		f[n++] = s;
	}
	int kind = n > 0 ? keyword(f[0], (const char *const[]){"labels", "nsec-next",
								"revoked-signs", "nsec3-owner",
								NULL}) : -1;
	static const int want[] = {4, 3, 3, 2};
	if (kind < 0 || n != want[kind] ||
	    (kind != 3 && parse_label(f[1], z->bend_owner, sizeof z->bend_owner)))
		return perr(p, "bend '%s' is not labels:OWNER:TYPE:N, nsec-next:OWNER:NEXT, "
			    "revoked-signs:OWNER:TYPE or nsec3-owner:NAME (OWNER relative)", v);
	z->bend = (enum manifest_bend)(kind + 1);
	if (kind == 0 || kind == 2) {
		z->bend_type = (uint16_t)ldns_get_rr_type_by_name(f[2]);
		if (z->bend_type == 0)
			return perr(p, "bend: unknown RR type '%s'", f[2]);
	}
	if (kind == 0) {
		unsigned long l;
		if (parse_uint(f[3], 127, &l))
			return perr(p, "bend: label count '%s' is not a number in 0..127", f[3]);
		z->bend_labels = (uint8_t)l;
	}
	if (kind == 1 || kind == 3) {
		const char *nm = f[kind == 1 ? 2 : 1];
		size_t len = strlen(nm);
		if (len == 0 || nm[len - 1] != '.' || len >= sizeof z->bend_next)
			return perr(p, "bend: name '%s' must be absolute", nm);
		for (size_t i = 0; i <= len; i++)
			z->bend_next[i] = (char)tolower((unsigned char)nm[i]);
	}
	return 0;
}

/* Applies one key=value attribute to z. */
static int zone_attr(const struct pline *p, struct manifest_zone *z, int a, const char *v)
{
	static const char *const denials[] = {"nsec", "nsec3", NULL};
	static const char *const windows[] = {"normal", "expired", "notyet", NULL};
	static const char *const dss[] = {"normal", "mismatch", "unknown-alg", "none", NULL};
	static const char *const rolls[] = {"publish-next", "next-signs", "current-revoked",
					    NULL};
	static const char *const yesno[] = {"no", "yes", NULL};
	static const char fault_prefix[] = "corrupt-rrsig:";
	unsigned long n;
	int k;
	unsigned char addr[4];

	switch (1 << a) {
	case A_TEMPLATE:
		if (!*v || v[0] == '/' || strstr(v, "..") || strlen(v) >= sizeof z->template_file)
			return perr(p, "template '%s' must be a file name under zones/", v);
		snprintf(z->template_file, sizeof z->template_file, "%s", v);
		return 0;
	case A_SERVER:
		if (!*v || strlen(v) >= sizeof z->server)
			return perr(p, "bad server role '%s'", v);
		snprintf(z->server, sizeof z->server, "%s", v);
		return 0;
	case A_ALG:
		if (parse_alg(v, &z->alg))
			return perr(p, "alg '%s' is not one of 1 3 5 6 7 8 10 13 14 15 16 unsigned",
				    v);
		return 0;
	case A_DIGEST:
		/* 1, 2 and 4 are computed; 0 (NULL), 3, 5 and 6 (GOST R 34.11-94, GOST R
		 * 34.11-2012, SM3) are assigned digests the signer cannot compute, and a
		 * made-up digest under them is bogus for a validator that implements them */
		if (parse_uint(v, 255, &n) || n == 0 || n == 3 || n == 5 || n == 6)
			return perr(p, "digest '%s' is not 1, 2, 4 or an unassigned type (7..255)",
				    v);
		z->digest = (uint8_t)n;
		return 0;
	case A_KEYS:
		return parse_name(p, v, z->keys_from, sizeof z->keys_from);
	case A_RELABEL:
		/* unassigned numbers (24..122; 17 and 23 are SM2 and ECC-GOST12) and
		 * PRIVATEDNS: algorithms no validator can implement */
		if (parse_uint(v, 255, &n) || !((n >= 24 && n <= 122) || n == 253))
			return perr(p, "relabel '%s' is not an unassigned algorithm (24..122) or "
				    "253", v);
		z->relabel = (uint8_t)n;
		return 0;
	case A_DENIAL:
		if ((k = keyword(v, denials)) < 0)
			return perr(p, "denial '%s' is not nsec or nsec3", v);
		z->denial = (enum manifest_denial)k;
		return 0;
	case A_ITER:
		if (parse_uint(v, 65535, &n))
			return perr(p, "iterations '%s' is not a number in 0..65535", v);
		z->iterations = (uint16_t)n;
		return 0;
	case A_SALT:
		if (parse_salt(v, z))
			return perr(p, "salt '%s' is not '-' or hex (even length, max 255 octets)", v);
		return 0;
	case A_OPTOUT:
		if ((k = keyword(v, yesno)) < 0)
			return perr(p, "optout '%s' is not yes or no", v);
		z->optout = k;
		return 0;
	case A_WINDOW:
		if ((k = keyword(v, windows)) < 0)
			return perr(p, "window '%s' is not normal, expired or notyet", v);
		z->window = (enum manifest_window)k;
		return 0;
	case A_DS:
		if ((k = keyword(v, dss)) < 0)
			return perr(p, "ds '%s' is not normal, mismatch, unknown-alg or none", v);
		z->ds = (enum manifest_ds)k;
		return 0;
	case A_FAULT:
		if (strncmp(v, fault_prefix, sizeof fault_prefix - 1) != 0 ||
		    parse_label(v + sizeof fault_prefix - 1, z->corrupt_owner,
				sizeof z->corrupt_owner))
			return perr(p, "fault '%s' is not corrupt-rrsig:<relative owner>", v);
		return 0;
	case A_SENTINEL:
		if (inet_pton(AF_INET, v, addr) != 1 || strlen(v) >= sizeof z->sentinel_addr)
			return perr(p, "sentinel '%s' is not an IPv4 address", v);
		snprintf(z->sentinel_addr, sizeof z->sentinel_addr, "%s", v);
		return 0;
	case A_BEND:
		return parse_bend(p, z, v);
	case A_VIA:
		if (!*v || strlen(v) >= sizeof z->via)
			return perr(p, "bad via role '%s'", v);
		snprintf(z->via, sizeof z->via, "%s", v);
		return 0;
	case A_ROLL:
		if ((k = keyword(v, rolls)) < 0)
			return perr(p, "roll '%s' is not publish-next, next-signs or "
				    "current-revoked", v);
		z->roll = (enum manifest_roll)k;
		return 0;
	}
	return perr(p, "internal: unknown attribute");
}

/* Checks that the attributes present (bit set seen) make sense together. */
static int zone_check(const struct pline *p, const struct manifest_zone *z, unsigned seen)
{
	const unsigned need = A_TEMPLATE | A_SERVER | A_ALG;
	const unsigned nsec3_only = A_ITER | A_SALT | A_OPTOUT;
	const unsigned signed_only = A_DENIAL | nsec3_only | A_WINDOW | A_FAULT |
				     A_SENTINEL | A_ROLL | A_BEND | A_DIGEST | A_RELABEL | A_KEYS;
	int root = strcmp(z->name, ".") == 0;

	if ((seen & need) != need)
		return perr(p, "zone %s needs template=, server= and alg=", z->name);
	if (z->alg == 0 && (seen & signed_only))
		return perr(p, "zone %s is unsigned: signing options do not apply", z->name);
	if (z->alg == 0 && (seen & A_DS) && z->ds != MANIFEST_DS_NONE)
		return perr(p, "zone %s is unsigned: only ds=none applies", z->name);
	if (z->denial != MANIFEST_NSEC3 && (seen & nsec3_only))
		return perr(p, "iterations=, salt= and optout= need denial=nsec3");
	if (root && (seen & A_DS))
		return perr(p, "the root zone has no parent: ds= does not apply");
	if (!root && (seen & A_ROLL))
		return perr(p, "roll= applies to the root zone only");
	if (root && (seen & (A_DIGEST | A_RELABEL | A_KEYS)))
		return perr(p, "the root zone's DS is the trust anchor: digest=, relabel= and keys= "
			    "do not apply");
	if ((seen & A_DIGEST) && z->ds == MANIFEST_DS_NONE)
		return perr(p, "zone %s has no DS (ds=none): digest= does not apply", z->name);
	if ((seen & A_RELABEL) && (seen & (A_BEND | A_FAULT | A_SENTINEL)))
		return perr(p, "relabel= does not go with bend=, fault= or sentinel=");
	if (root && (seen & A_VIA))
		return perr(p, "the root zone is reached through the hints: via= does not apply");
	return 0;
}

/* Parses "zone NAME key=value..." into a new entry of m. */
static int parse_zone(const struct pline *p, struct manifest *m, char **tok, int n)
{
	struct manifest_zone *z;
	unsigned seen = 0;

	if (n < 2)
		return perr(p, "zone needs a name");
	if (m->n_zones == MANIFEST_MAX_ZONES)
		return perr(p, "more than %d zones", MANIFEST_MAX_ZONES);
	z = &m->zones[m->n_zones];
	memset(z, 0, sizeof *z);
	z->line = p->line;
	z->digest = 2;
	if (parse_name(p, tok[1], z->name, sizeof z->name))
		return -1;
	for (size_t i = 0; i < m->n_zones; i++)
		if (strcmp(m->zones[i].name, z->name) == 0)
			return perr(p, "zone %s already declared at line %d", z->name,
				    m->zones[i].line);
	for (int i = 2; i < n; i++) {
		char *eq = strchr(tok[i], '=');
		int a;

		if (!eq)
			return perr(p, "'%s' is not key=value", tok[i]);
		*eq = '\0';
		a = keyword(tok[i], attr_names);
		if (a < 0)
			return perr(p, "unknown zone attribute '%s'", tok[i]);
		if (seen & (1u << a))
			return perr(p, "attribute '%s' given twice", tok[i]);
		seen |= 1u << a;
		if (zone_attr(p, z, a, eq + 1))
			return -1;
	}
	if (z->alg == 0 && !(seen & A_DS))
		z->ds = MANIFEST_DS_NONE;
	if (zone_check(p, z, seen))
		return -1;
	m->n_zones++;
	return 0;
}

static int parse_line(const struct pline *p, struct manifest *m, char *s)
{
	char *tok[MAX_TOKENS];
	int n = tokenize(s, tok, MAX_TOKENS);

	if (n < 0)
		return perr(p, "too many words");
	if (n == 0)
		return 0;
	if (strcmp(tok[0], "zone") == 0)
		return parse_zone(p, m, tok, n);
	if (strcmp(tok[0], "lab-zone") == 0) {
		if (n != 2)
			return perr(p, "lab-zone takes one name");
		if (m->lab_zone[0])
			return perr(p, "lab-zone given twice");
		return parse_name(p, tok[1], m->lab_zone, sizeof m->lab_zone);
	}
	if (strcmp(tok[0], "version") == 0) {
		unsigned long v;
		if (n != 2 || parse_uint(tok[1], 65535, &v) != 0 || v == 0)
			return perr(p, "version takes one number, 1 to 65535");
		if (m->version_line)
			return perr(p, "version given twice");
		m->version = (unsigned)v;
		m->version_line = p->line;
		return 0;
	}
	return perr(p, "unknown directive '%s'", tok[0]);
}

/* 1 if name is a proper subdomain of anc (both lower-case, absolute). */
static int is_below(const char *name, const char *anc)
{
	size_t ln = strlen(name), la = strlen(anc);

	if (strcmp(anc, ".") == 0)
		return strcmp(name, ".") != 0;
	return ln > la && strcmp(name + ln - la, anc) == 0 && name[ln - la - 1] == '.';
}

/* See manifest.h. */
int manifest_parent(const struct manifest *m, size_t i)
{
	int best = -1;
	size_t best_len = 0;

	for (size_t j = 0; j < m->n_zones; j++) {
		size_t len = strlen(m->zones[j].name);
		if (j != i && is_below(m->zones[i].name, m->zones[j].name) &&
		    (best < 0 || len > best_len)) {
			best = (int)j;
			best_len = len;
		}
	}
	return best;
}

/* Checks the relations between lines once the whole file is read. */
static int check_whole(struct pline *p, const struct manifest *m)
{
	int have_root = 0, have_lab = 0;

	for (size_t i = 0; i < m->n_zones; i++) {
		const struct manifest_zone *z = &m->zones[i];
		if (strcmp(z->name, ".") == 0)
			have_root = 1;
		if (strcmp(z->name, m->lab_zone) == 0)
			have_lab = 1;
		if (strcmp(z->name, ".") != 0 && manifest_parent(m, i) < 0) {
			p->line = z->line;
			return perr(p, "zone %s has no parent zone in the manifest", z->name);
		}
		if (z->keys_from[0]) {
			const struct manifest_zone *k = NULL;
			for (size_t j = 0; j < m->n_zones && !k; j++)
				if (strcmp(m->zones[j].name, z->keys_from) == 0)
					k = &m->zones[j];
			p->line = z->line;
			if (!k || k == z || strcmp(k->name, ".") == 0 || k->keys_from[0])
				return perr(p, "keys=%s: not another zone of the manifest with keys of "
					    "its own (nor the root)", z->keys_from);
			if (k->alg != z->alg)
				return perr(p, "keys=%s: that zone's algorithm is %u, not %u",
					    z->keys_from, k->alg, z->alg);
		}
	}
	p->line = 0;
	if (!have_root)
		return perr(p, "no root zone ('zone . ...')");
	if (!m->lab_zone[0])
		return perr(p, "no lab-zone line");
	if (!have_lab)
		return perr(p, "lab-zone %s is not a declared zone", m->lab_zone);
	return 0;
}

/* See manifest.h. */
int manifest_parse(const char *text, size_t len, const char *path, struct manifest *m,
		   char *err, size_t errlen)
{
	struct pline p = {path, 0, err, errlen};
	char buf[LINE_MAX_LEN];
	const char *line;
	size_t off = 0, n;
	int rc = 0;

	memset(m, 0, sizeof *m);
	snprintf(m->path, sizeof m->path, "%s", path);
	while (rc == 0 && (line = tp_next_line(text, len, &off, &n))) {
		p.line++;
		if (n - (line[n - 1] == '\n') > LINE_MAX_LEN - 2) {
			rc = perr(&p, "line longer than %d characters", LINE_MAX_LEN - 2);
			break;
		}
		memcpy(buf, line, n);
		buf[n] = '\0';
		rc = parse_line(&p, m, buf);
	}
	if (rc == 0)
		rc = check_whole(&p, m);
	if (rc == 0 && !m->version)
		m->version = 1;
	return rc;
}

/* See manifest.h. */
int manifest_load(const char *path, struct manifest *m, char *err, size_t errlen)
{
	size_t len;
	char *text = tp_read_file(path, MANIFEST_FILE_MAX, &len);
	if (!text) {
		struct pline p = {path, 0, err, errlen};
		memset(m, 0, sizeof *m);
		snprintf(m->path, sizeof m->path, "%s", path);
		return perr(&p, "cannot open: %s", tp_read_strerror(errno));
	}
	int rc = manifest_parse(text, len, path, m, err, errlen);
	free(text);
	return rc;
}

/* See manifest.h. */
int manifest_reroot_name(const char *name, const char *from, const char *to, char *out,
			 size_t outlen)
{
	size_t ln = strlen(name), lf = strlen(from);
	int n;

	if (strcasecmp(name, from) == 0)
		n = snprintf(out, outlen, "%s", to);
	else if (ln > lf && strcasecmp(name + ln - lf, from) == 0 && name[ln - lf - 1] == '.')
		n = snprintf(out, outlen, "%.*s%s", (int)(ln - lf), name, to);
	else
		return 0;
	return n < 0 || (size_t)n >= outlen || strlen(out) > 254 ? -1 : 1;
}

/* One absolute name field of a zone line, moved from the lab-zone to zone. */
static int reroot_field(char *field, size_t size, const char *from, const char *to,
			const char *zname, char *err, size_t errlen)
{
	char tmp[MANIFEST_NAME_MAX];

	if (!field[0])
		return 0;
	int r = manifest_reroot_name(field, from, to, tmp, sizeof tmp);
	if (r < 0 || strlen(tmp) >= size) {
		snprintf(err, errlen, "zone %s: %s under %s is too long a name", zname, field, to);
		return -1;
	}
	if (r > 0)
		memcpy(field, tmp, strlen(tmp) + 1);
	return 0;
}

/* See manifest.h. */
int manifest_reroot(struct manifest *m, const char *zone, char *err, size_t errlen)
{
	char from[MANIFEST_NAME_MAX];
	size_t kept = 0;

	if (strlen(zone) < 2 || zone[strlen(zone) - 1] != '.' || strlen(zone) >= sizeof from) {
		snprintf(err, errlen, "zone '%s' must be an absolute name below the root", zone);
		return -1;
	}
	snprintf(from, sizeof from, "%s", m->lab_zone);
	for (size_t i = 0; i < m->n_zones; i++) {
		struct manifest_zone z = m->zones[i];
		char name[MANIFEST_NAME_MAX];
		int r = manifest_reroot_name(z.name, from, zone, name, sizeof name);
		if (r < 0) {
			snprintf(err, errlen, "zone %s: too long a name under %s", z.name, zone);
			return -1;
		}
		if (r == 0)
			continue; /* above the lab-zone (the lab root): not served */
		memcpy(z.name, name, strlen(name) + 1);
		if (reroot_field(z.keys_from, sizeof z.keys_from, from, zone, z.name, err,
				 errlen) != 0 ||
		    reroot_field(z.bend_next, sizeof z.bend_next, from, zone, z.name, err,
				 errlen) != 0)
			return -1;
		m->zones[kept++] = z;
	}
	m->n_zones = kept;
	snprintf(m->lab_zone, sizeof m->lab_zone, "%s", zone);
	return 0;
}
