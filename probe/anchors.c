/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* anchors: see anchors.h. RR syntax and key tags come from ldns; the surrounding formats
 * (comments, BIND's statements, dnsmasq's and PowerDNS's lines, the XML) are small fixed
 * grammars read here. */
#include "anchors.h"
#include "tp_util.h"
#include "roll.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ldns/ldns.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TA_MAX_FILE (1 << 20)

static int fail(struct tp_ta_source *s, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct tp_ta_source *s, unsigned line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line)
		snprintf(s->err, sizeof s->err, "%.200s:%u: %s", s->path, line, msg);
	else
		snprintf(s->err, sizeof s->err, "%.200s: %s", s->path, msg);
	return -1;
}

const char *tp_ta_format_name(enum tp_ta_format f)
{
	switch (f) {
	case TP_TA_FMT_PLAIN: return "DNSKEY/DS records";
	case TP_TA_FMT_UNBOUND: return "unbound auto-trust-anchor-file";
	case TP_TA_FMT_BIND_CONF: return "BIND trust-anchors statement";
	case TP_TA_FMT_BIND_STATE: return "BIND managed-keys state";
	case TP_TA_FMT_DNSMASQ: return "dnsmasq trust-anchor lines";
	case TP_TA_FMT_PDNS_LUA: return "PowerDNS Recursor Lua config";
	case TP_TA_FMT_IANA_XML: return "IANA root-anchors.xml";
	}
	return "?";
}

const char *tp_ta_state_name(enum tp_ta_state s)
{
	static const char *const n[] = {"static", "initial", "START", "ADDPEND",
					"VALID",  "MISSING", "REVOKED", "REMOVED"};
	return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "?";
}

/* ---- shared pieces ---- */

static int add_key(struct tp_ta_source *s, const struct tp_ta_key *k, unsigned line)
{
	if (s->n >= TP_TA_MAX_KEYS)
		return fail(s, line, "more than %d root keys", TP_TA_MAX_KEYS);
	s->keys[s->n] = *k;
	s->keys[s->n].line = line;
	s->n++;
	return 0;
}

static int is_root(const char *name)
{
	return strcmp(name, ".") == 0;
}

/* Hex digest: strips white space, upper-cases; 0 if it is non-empty hex that fits. */
static int take_hex(const char *in, char *out, size_t outlen)
{
	size_t n = 0;
	for (; *in; in++) {
		if (isspace((unsigned char)*in))
			continue;
		if (!isxdigit((unsigned char)*in) || n + 1 >= outlen)
			return -1;
		out[n++] = (char)toupper((unsigned char)*in);
	}
	out[n] = '\0';
	return n > 0 && n % 2 == 0 ? 0 : -1;
}

static int take_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	if (!*s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* A DS given as fields (tag, alg, digest type, hex digest). */
static int add_ds(struct tp_ta_source *s, const char *tag, const char *alg, const char *dt,
		  const char *hex, unsigned line)
{
	unsigned long t, a, d;
	struct tp_ta_key k = {.is_ds = 1, .state = TP_TA_STATIC};
	if (take_uint(tag, 65535, &t) || take_uint(alg, 255, &a) || take_uint(dt, 255, &d))
		return fail(s, line, "a DS needs a key tag, an algorithm and a digest type as numbers");
	if (take_hex(hex, k.digest, sizeof k.digest) != 0)
		return fail(s, line, "the DS digest is not hexadecimal");
	k.tag = (uint16_t)t;
	k.alg = (uint8_t)a;
	k.digest_type = (uint8_t)d;
	return add_key(s, &k, line);
}

/* Fills k from an ldns DNSKEY or DS record. */
static void key_from_rr(const ldns_rr *rr, struct tp_ta_key *k)
{
	if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_DNSKEY) {
		k->is_ds = 0;
		k->tag = ldns_calc_keytag(rr);
		k->flags = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
		k->alg = ldns_rdf2native_int8(ldns_rr_rdf(rr, 2));
		k->revoke_bit = (k->flags & LDNS_KEY_REVOKE_KEY) != 0;
		/* its SHA-256 DS, so that a key can be checked against a known root KSK's
		 * digest, not by its tag alone (a tag is 16 bits and easy to collide) */
		ldns_rr *ds = ldns_key_rr2ds(rr, LDNS_SHA256);
		if (ds && ldns_rr_rd_count(ds) >= 4) {
			char *hex = ldns_rdf2str(ldns_rr_rdf(ds, 3));
			if (hex && take_hex(hex, k->digest, sizeof k->digest) == 0)
				k->digest_type = 2;
			free(hex);
		}
		ldns_rr_free(ds);
	} else {
		k->is_ds = 1;
		k->tag = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
		k->alg = ldns_rdf2native_int8(ldns_rr_rdf(rr, 1));
		k->digest_type = ldns_rdf2native_int8(ldns_rr_rdf(rr, 2));
		char *hex = ldns_rdf2str(ldns_rr_rdf(rr, 3));
		if (hex && take_hex(hex, k->digest, sizeof k->digest) != 0)
			k->digest[0] = '\0';
		free(hex);
	}
}

/* Parses one DNSKEY or DS record in presentation form; root keys are added, others
 * counted. */
static int add_rr_text(struct tp_ta_source *s, const char *text, struct tp_ta_key *k,
		       unsigned line)
{
	ldns_rr *rr = NULL;
	ldns_rdf *origin = ldns_dname_new_frm_str(".");
	ldns_status st = ldns_rr_new_frm_str(&rr, text, 3600, origin, NULL);
	ldns_rdf_deep_free(origin);
	if (st != LDNS_STATUS_OK)
		return fail(s, line, "%s", ldns_get_errorstr_by_id(st));
	ldns_rr_type t = ldns_rr_get_type(rr);
	int r = 0;
	if (t != LDNS_RR_TYPE_DNSKEY && t != LDNS_RR_TYPE_DS) {
		char tn[32];
		char *name = ldns_rr_type2str(t);
		snprintf(tn, sizeof tn, "%s", name ? name : "?");
		free(name);
		r = fail(s, line, "a %s record is not a trust anchor (DNSKEY or DS)", tn);
	} else if (ldns_dname_label_count(ldns_rr_owner(rr)) != 0) {
		s->n_other++;
	} else {
		key_from_rr(rr, k);
		r = add_key(s, k, line);
	}
	ldns_rr_free(rr);
	return r;
}

/* Next line of text into buf (without the newline); NULL at the end. */
static const char *next_line(const char *p, const char *end, char *buf, size_t len)
{
	if (p >= end)
		return NULL;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = (size_t)((nl ? nl : end) - p);
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\r')
		buf[n - 1] = '\0';
	return nl ? nl + 1 : end;
}

static char *skip_ws(char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* ---- plain records and unbound's auto-trust-anchor-file ---- */

static long long field_after(const char *line, const char *key)
{
	const char *p = strstr(line, key);
	return p ? atoll(p + strlen(key)) : -1;
}

static int parse_records(struct tp_ta_source *s, const char *text, const char *end)
{
	char line[8192];
	unsigned ln = 0;
	for (const char *p = text; (p = next_line(p, end, line, sizeof line));) {
		ln++;
		char *l = skip_ws(line);
		if (!*l)
			continue;
		if (*l == ';') {
			long long v;
			if ((v = field_after(l, ";;last_success:")) >= 0)
				s->last_success = v;
			else if ((v = field_after(l, ";;next_probe_time:")) >= 0)
				s->next_probe = v;
			continue;
		}
		if (*l == '$')
			continue; /* $ORIGIN / $TTL: records are absolute here */
		struct tp_ta_key k = {.state = TP_TA_STATIC};
		char *semi = strchr(l, ';');
		if (semi) {
			long long st = field_after(semi, ";;state=");
			if (s->format == TP_TA_FMT_UNBOUND && st >= 0) {
				if (st > 5)
					return fail(s, ln, "unknown autotrust state %lld", st);
				k.state = (enum tp_ta_state)(TP_TA_START + st);
				long long lc = field_after(semi, ";;lastchange=");
				k.lastchange = lc > 0 ? lc : 0;
			}
			*semi = '\0';
		}
		if (add_rr_text(s, l, &k, ln) != 0)
			return -1;
	}
	return 0;
}

/* ---- BIND managed-keys.bind: KEYDATA records (refresh, add hold-down, remove hold-down,
 * then the DNSKEY fields), possibly across lines in parentheses ---- */

static long long bind_time(const char *s)
{
	struct tm tm = {0};
	if (strlen(s) != 14 || sscanf(s, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
				      &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	char d[32];
	snprintf(d, sizeof d, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year, tm.tm_mon, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
	time_t t;
	if (strcmp(s, "19700101000000") == 0)
		return 0;
	return tp_parse_date(d, &t) == 0 ? (long long)t : -1;
}

static int parse_keydata(struct tp_ta_source *s, const char *text, const char *end)
{
	char line[8192], rec[16384] = "", owner[256] = ".", origin[256] = ".";
	unsigned ln = 0, rec_line = 0;
	int depth = 0;
	for (const char *p = text;;) {
		p = next_line(p, end, line, sizeof line);
		int at_end = p == NULL;
		if (!at_end) {
			ln++;
			char *semi = strchr(line, ';');
			if (semi)
				*semi = '\0';
		}
		/* a record is complete at a line that starts outside parentheses */
		int starts_new = !at_end && depth == 0;
		if ((starts_new || at_end) && rec[0]) {
			char *tok[64];
			size_t nt = 0;
			char *save = NULL;
			for (char *t = strtok_r(rec, " \t", &save); t && nt < 64;
			     t = strtok_r(NULL, " \t", &save))
				tok[nt++] = t;
			size_t kd = 0;
			while (kd < nt && strcmp(tok[kd], "KEYDATA") != 0)
				kd++;
			if (nt && rec[0] != ' ' && rec[0] != '\t' && tok[0][0] != '$')
				snprintf(owner, sizeof owner, "%s", strcmp(tok[0], "@") ? tok[0] : origin);
			if (nt && strcmp(tok[0], "$ORIGIN") == 0 && nt > 1)
				snprintf(origin, sizeof origin, "%s", tok[1]);
			if (kd < nt) {
				if (nt < kd + 8)
					return fail(s, rec_line, "a KEYDATA record needs 3 times and the DNSKEY fields");
				long long refresh = bind_time(tok[kd + 1]), add = bind_time(tok[kd + 2]);
				long long rem = bind_time(tok[kd + 3]);
				if (refresh < 0 || add < 0 || rem < 0)
					return fail(s, rec_line, "a KEYDATA time is not YYYYMMDDHHMMSS");
				char key[8192] = "";
				for (size_t i = kd + 7; i < nt; i++)
					strncat(key, tok[i], sizeof key - strlen(key) - 1);
				char rr[9000];
				snprintf(rr, sizeof rr, "%s 0 IN DNSKEY %s %s %s %s", owner, tok[kd + 4],
					 tok[kd + 5], tok[kd + 6], key);
				struct tp_ta_key k = {.state = TP_TA_VALID};
				if (add > 0) {
					k.state = TP_TA_ADDPEND; /* trusted once the hold-down has passed */
					k.valid_from = add;
				}
				if (add_rr_text(s, rr, &k, rec_line) != 0)
					return -1;
				if (s->n && s->keys[s->n - 1].line == rec_line) {
					struct tp_ta_key *kk = &s->keys[s->n - 1];
					if (kk->revoke_bit)
						kk->state = TP_TA_REVOKED;
				}
				if (refresh > s->next_probe)
					s->next_probe = refresh;
			}
			rec[0] = '\0';
		}
		if (at_end)
			break;
		if (starts_new)
			rec_line = ln;
		for (char *c = line; *c; c++) {
			if (*c == '(') {
				depth++;
				*c = ' ';
			} else if (*c == ')') {
				if (--depth < 0)
					return fail(s, ln, "')' without '('");
				*c = ' ';
			}
		}
		if (strlen(rec) + strlen(line) + 2 >= sizeof rec)
			return fail(s, ln, "record too long");
		if (rec[0])
			strcat(rec, " ");
		strcat(rec, line);
	}
	if (depth)
		return fail(s, ln, "'(' is never closed");
	return 0;
}

/* ---- BIND statements: trust-anchors / managed-keys / trusted-keys ---- */

struct btok {
	char text[4096];
	int quoted;
	unsigned line;
};

/* Next token of BIND's configuration grammar: a word, a quoted string, or one of { } ;.
 * Returns 1, 0 at the end, -1 on an unterminated string or comment. */
static int bind_token(const char **pp, const char *end, unsigned *line, struct btok *t)
{
	const char *p = *pp;
	for (;;) {
		while (p < end && isspace((unsigned char)*p))
			*line += *p++ == '\n';
		if (p < end && (*p == '#' || (*p == '/' && p + 1 < end && p[1] == '/'))) {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		if (p + 1 < end && p[0] == '/' && p[1] == '*') {
			t->line = *line; /* where an unclosed comment starts */
			p += 2;
			while (p + 1 < end && !(p[0] == '*' && p[1] == '/'))
				*line += *p++ == '\n';
			if (p + 1 >= end)
				return -1;
			p += 2;
			continue;
		}
		break;
	}
	if (p >= end)
		return 0;
	t->line = *line;
	t->quoted = 0;
	size_t n = 0;
	if (*p == '{' || *p == '}' || *p == ';') {
		t->text[0] = *p++;
		t->text[1] = '\0';
	} else if (*p == '"') {
		t->quoted = 1;
		for (p++; p < end && *p != '"'; p++) {
			*line += *p == '\n';
			if (n + 1 < sizeof t->text)
				t->text[n++] = *p;
		}
		if (p >= end)
			return -1;
		p++;
		t->text[n] = '\0';
	} else {
		while (p < end && !isspace((unsigned char)*p) && !strchr("{};\"", *p))
			if (n + 1 < sizeof t->text)
				t->text[n++] = *p++;
			else
				p++;
		t->text[n] = '\0';
	}
	*pp = p;
	return 1;
}

/* One entry of a trust-anchors/managed-keys/trusted-keys block (w[0..n-1]). */
static int bind_entry(struct tp_ta_source *s, int trusted_keys, struct btok *w, size_t n)
{
	unsigned line = w[0].line;
	const char *name = w[0].text;
	size_t i = 1;
	enum tp_ta_state st = TP_TA_STATIC;
	int ds = 0;
	if (!trusted_keys) {
		if (n < 2)
			return fail(s, line, "a trust anchor needs a type (initial-key, static-key, initial-ds, static-ds)");
		const char *ty = w[1].text;
		if (!strcmp(ty, "initial-key") || !strcmp(ty, "initial-ds"))
			st = TP_TA_INITIAL;
		else if (strcmp(ty, "static-key") && strcmp(ty, "static-ds"))
			return fail(s, line, "unknown anchor type '%s'", ty);
		ds = strstr(ty, "-ds") != NULL;
		i = 2;
	}
	if (n != i + 4 || !w[i + 3].quoted)
		return fail(s, line, "expected %s followed by a quoted %s", ds ? "TAG ALG DIGEST-TYPE" :
			    "FLAGS PROTOCOL ALGORITHM", ds ? "digest" : "key");
	if (!is_root(name)) {
		s->n_other++;
		return 0;
	}
	if (ds) {
		if (add_ds(s, w[i].text, w[i + 1].text, w[i + 2].text, w[i + 3].text, line) != 0)
			return -1;
		s->keys[s->n - 1].state = st;
		return 0;
	}
	char key[4096], rr[4 * 4096 + 32];
	size_t k = 0;
	for (const char *c = w[i + 3].text; *c && k + 1 < sizeof key; c++)
		if (!isspace((unsigned char)*c))
			key[k++] = *c;
	key[k] = '\0';
	snprintf(rr, sizeof rr, ". 0 IN DNSKEY %s %s %s %s", w[i].text, w[i + 1].text,
		 w[i + 2].text, key);
	struct tp_ta_key tk = {.state = st};
	return add_rr_text(s, rr, &tk, line);
}

static int parse_bind_conf(struct tp_ta_source *s, const char *text, const char *end)
{
	const char *p = text;
	unsigned line = 1;
	struct btok t, w[8];
	int r, found = 0;
	while ((r = bind_token(&p, end, &line, &t)) == 1) {
		if (t.quoted || (strcmp(t.text, "trust-anchors") && strcmp(t.text, "managed-keys") &&
				 strcmp(t.text, "trusted-keys")))
			continue;
		int tk = strcmp(t.text, "trusted-keys") == 0;
		unsigned at = t.line;
		if (bind_token(&p, end, &line, &t) != 1 || strcmp(t.text, "{"))
			return fail(s, at, "'{' expected after %s", tk ? "trusted-keys" : "the statement");
		found = 1;
		size_t n = 0;
		for (;;) {
			r = bind_token(&p, end, &line, &t);
			if (r < 0)
				return fail(s, t.line, "a string or comment is never closed");
			if (r != 1)
				return fail(s, at, "the statement is never closed with '};'");
			if (!t.quoted && strcmp(t.text, "}") == 0) {
				if (n)
					return fail(s, w[0].line, "';' missing after the last anchor");
				break;
			}
			if (!t.quoted && strcmp(t.text, ";") == 0) {
				if (n && bind_entry(s, tk, w, n) != 0)
					return -1;
				n = 0;
				continue;
			}
			if (!t.quoted && strcmp(t.text, "{") == 0)
				return fail(s, t.line, "unexpected '{'");
			if (n >= sizeof w / sizeof w[0])
				return fail(s, w[0].line, "too many fields in one anchor");
			w[n++] = t;
		}
	}
	if (r < 0)
		return fail(s, t.line, "a string or comment is never closed");
	if (!found)
		return fail(s, 0, "no trust-anchors, managed-keys or trusted-keys statement");
	return 0;
}

/* ---- dnsmasq: trust-anchor=DOMAIN,TAG,ALG,DIGEST-TYPE,DIGEST ---- */

static int parse_dnsmasq(struct tp_ta_source *s, const char *text, const char *end)
{
	char line[8192];
	unsigned ln = 0;
	for (const char *p = text; (p = next_line(p, end, line, sizeof line));) {
		ln++;
		char *l = skip_ws(line);
		if (!strncmp(l, "--", 2))
			l += 2;
		if (strncmp(l, "trust-anchor=", 13) != 0)
			continue;
		char *f[6] = {0}, *save = NULL;
		size_t n = 0;
		for (char *t = strtok_r(l + 13, ",", &save); t && n < 6; t = strtok_r(NULL, ",", &save))
			f[n++] = t;
		if (n != 5)
			return fail(s, ln, "trust-anchor= wants DOMAIN,TAG,ALGORITHM,DIGEST-TYPE,DIGEST");
		if (!is_root(f[0])) {
			s->n_other++;
			continue;
		}
		if (add_ds(s, f[1], f[2], f[3], f[4], ln) != 0)
			return -1;
	}
	return 0;
}

/* ---- PowerDNS Recursor Lua: addTA, clearTA, readTrustAnchorsFromFile, dofile ---- */

/* Reads the n-th (0-based) string literal after p into out; -1 if missing. */
static int lua_string(const char *p, int nth, char *out, size_t len)
{
	for (int i = 0; *p && *p != ')'; p++) {
		if (*p != '"' && *p != '\'')
			continue;
		char q = *p;
		const char *e = strchr(p + 1, q);
		if (!e)
			return -1;
		if (i++ == nth) {
			size_t n = (size_t)(e - p - 1);
			if (n >= len)
				return -1;
			memcpy(out, p + 1, n);
			out[n] = '\0';
			return 0;
		}
		p = e;
	}
	return -1;
}

static int parse_pdns(struct tp_ta_source *s, const char *text, const char *end)
{
	char line[8192], a[1024], b[1024];
	unsigned ln = 0;
	for (const char *p = text; (p = next_line(p, end, line, sizeof line));) {
		ln++;
		char *c = strstr(line, "--");
		if (c)
			*c = '\0';
		char *at;
		if ((at = strstr(line, "clearTA"))) {
			int all = lua_string(at, 0, a, sizeof a) != 0;
			if (all || is_root(a)) {
				s->n = 0;
				s->cleared = 1;
			}
		}
		if ((at = strstr(line, "addTA"))) {
			if (lua_string(at, 0, a, sizeof a) != 0 || lua_string(at, 1, b, sizeof b) != 0)
				return fail(s, ln, "addTA wants a zone and a DS string: addTA('.', \"TAG ALG TYPE DIGEST\")");
			if (!is_root(a)) {
				s->n_other++;
				continue;
			}
			char *f[5] = {0}, *save = NULL;
			size_t n = 0;
			for (char *t = strtok_r(b, " \t", &save); t && n < 5; t = strtok_r(NULL, " \t", &save))
				f[n++] = t;
			if (n != 4)
				return fail(s, ln, "addTA's DS string wants TAG ALGORITHM DIGEST-TYPE DIGEST");
			if (add_ds(s, f[0], f[1], f[2], f[3], ln) != 0)
				return -1;
		}
		int anchor = 0;
		if ((at = strstr(line, "readTrustAnchorsFromFile")))
			anchor = 1;
		else
			at = strstr(line, "dofile");
		if (at) {
			if (lua_string(at, 0, a, sizeof a) != 0)
				return fail(s, ln, "%s wants a file name in quotes",
					    anchor ? "readTrustAnchorsFromFile" : "dofile");
			if (s->n_includes < TP_TA_MAX_INCLUDES) {
				snprintf(s->includes[s->n_includes], sizeof s->includes[0], "%s", a);
				s->include_is_anchor[s->n_includes++] = anchor;
			}
		}
	}
	return 0;
}

/* ---- IANA root-anchors.xml (RFC 9718) ---- */

static unsigned line_at(const char *text, const char *p)
{
	unsigned n = 1;
	for (const char *c = text; c < p; c++)
		n += *c == '\n';
	return n;
}

/* Text of <tag>...</tag> inside [p, lim) into out; -1 if absent. */
static int xml_elem(const char *p, const char *lim, const char *tag, char *out, size_t len)
{
	char open[64], close[64];
	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	const char *a = strstr(p, open);
	if (!a || a >= lim)
		return -1;
	a += strlen(open);
	const char *b = strstr(a, close);
	if (!b || b > lim || (size_t)(b - a) >= len)
		return -1;
	while (a < b && isspace((unsigned char)*a))
		a++;
	size_t n = (size_t)(b - a);
	while (n && isspace((unsigned char)a[n - 1]))
		n--;
	memcpy(out, a, n);
	out[n] = '\0';
	return 0;
}

/* xsd:dateTime "2017-02-02T00:00:00+00:00" (or Z) in [p, lim) after attr=". */
static int xml_time(const char *p, const char *lim, const char *attr, long long *out)
{
	char key[64];
	snprintf(key, sizeof key, "%s=\"", attr);
	const char *a = strstr(p, key);
	*out = 0;
	if (!a || a >= lim)
		return 0; /* absent */
	a += strlen(key);
	char d[24];
	int oh = 0, om = 0;
	char sign = 'Z';
	if (lim - a < 20)
		return -1;
	memcpy(d, a, 19);
	d[19] = 'Z';
	d[20] = '\0';
	const char *z = a + 19;
	if (*z == '.')
		while (z < lim && (*z == '.' || isdigit((unsigned char)*z)))
			z++;
	if (*z == '+' || *z == '-') {
		sign = *z;
		if (sscanf(z + 1, "%2d:%2d", &oh, &om) != 2)
			return -1;
	} else if (*z != 'Z') {
		return -1;
	}
	time_t t;
	if (tp_parse_date(d, &t) != 0)
		return -1;
	long off = oh * 3600L + om * 60L;
	*out = (long long)t - (sign == '+' ? off : sign == '-' ? -off : 0);
	return 0;
}

static int parse_xml(struct tp_ta_source *s, const char *text, const char *end)
{
	(void)end;
	char zone[256];
	const char *ta = strstr(text, "<TrustAnchor");
	if (xml_elem(ta, text + strlen(text), "Zone", zone, sizeof zone) != 0)
		return fail(s, line_at(text, ta), "<TrustAnchor> has no <Zone>");
	int root = is_root(zone);
	for (const char *p = strstr(text, "<KeyDigest"); p; p = strstr(p + 1, "<KeyDigest")) {
		unsigned ln = line_at(text, p);
		const char *lim = strstr(p, "</KeyDigest>");
		const char *gt = strchr(p, '>');
		if (!lim || !gt || gt > lim)
			return fail(s, ln, "<KeyDigest> is never closed");
		char tag[16], alg[16], dt[16], dig[200];
		if (xml_elem(p, lim, "KeyTag", tag, sizeof tag) || xml_elem(p, lim, "Algorithm", alg, sizeof alg) ||
		    xml_elem(p, lim, "DigestType", dt, sizeof dt) || xml_elem(p, lim, "Digest", dig, sizeof dig))
			return fail(s, ln, "<KeyDigest> needs KeyTag, Algorithm, DigestType and Digest");
		long long from, until;
		if (xml_time(p, gt, "validFrom", &from) != 0 || xml_time(p, gt, "validUntil", &until) != 0)
			return fail(s, ln, "validFrom/validUntil is not an xsd:dateTime");
		if (!root) {
			s->n_other++;
			continue;
		}
		if (add_ds(s, tag, alg, dt, dig, ln) != 0)
			return -1;
		s->keys[s->n - 1].valid_from = from;
		s->keys[s->n - 1].valid_until = until;
	}
	return 0;
}

/* ---- detection and entry points ---- */

static int has_line_prefix(const char *text, const char *prefix)
{
	size_t pl = strlen(prefix);
	for (const char *p = text; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, prefix, pl) || (!strncmp(p, "--", 2) && !strncmp(p + 2, prefix, pl)))
			return 1;
	}
	return 0;
}

static int has_statement(const char *text, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
		const char *q = p + wl;
		while (isspace((unsigned char)*q))
			q++;
		if (*q == '{' && (p == text || !isalnum((unsigned char)p[-1])))
			return 1;
	}
	return 0;
}

static enum tp_ta_format detect(const char *t)
{
	if (strstr(t, "<TrustAnchor"))
		return TP_TA_FMT_IANA_XML;
	if (strstr(t, "; autotrust trust anchor file") || strstr(t, ";;id: "))
		return TP_TA_FMT_UNBOUND;
	if (has_statement(t, "trust-anchors") || has_statement(t, "managed-keys") ||
	    has_statement(t, "trusted-keys"))
		return TP_TA_FMT_BIND_CONF;
	if (strstr(t, "KEYDATA"))
		return TP_TA_FMT_BIND_STATE;
	if (has_line_prefix(t, "trust-anchor="))
		return TP_TA_FMT_DNSMASQ;
	if (strstr(t, "addTA") || strstr(t, "clearTA") || strstr(t, "readTrustAnchorsFromFile") ||
	    strstr(t, "dofile"))
		return TP_TA_FMT_PDNS_LUA;
	return TP_TA_FMT_PLAIN;
}

int tp_ta_parse(const char *path, const char *text, size_t len, struct tp_ta_source *src)
{
	memset(src, 0, sizeof *src);
	snprintf(src->path, sizeof src->path, "%s", path);
	if (memchr(text, '\0', len))
		return fail(src, 0, "not a text file (it holds a NUL byte)");
	char *t = malloc(len + 1);
	if (!t)
		return fail(src, 0, "out of memory");
	memcpy(t, text, len);
	t[len] = '\0';
	src->format = detect(t);
	int r;
	switch (src->format) {
	case TP_TA_FMT_IANA_XML: r = parse_xml(src, t, t + len); break;
	case TP_TA_FMT_BIND_CONF: r = parse_bind_conf(src, t, t + len); break;
	case TP_TA_FMT_BIND_STATE: r = parse_keydata(src, t, t + len); break;
	case TP_TA_FMT_DNSMASQ: r = parse_dnsmasq(src, t, t + len); break;
	case TP_TA_FMT_PDNS_LUA: r = parse_pdns(src, t, t + len); break;
	default: r = parse_records(src, t, t + len); break;
	}
	free(t);
	if (r == 0 && src->n == 0 && !(src->format == TP_TA_FMT_PDNS_LUA && src->n_includes))
		r = fail(src, 0, "no DNSKEY or DS trust anchor for the root");
	return r;
}

int tp_ta_read(const char *path, struct tp_ta_source *src)
{
	memset(src, 0, sizeof *src);
	snprintf(src->path, sizeof src->path, "%s", path);
	size_t len;
	char *buf = tp_read_file(path, TA_MAX_FILE, &len);
	if (!buf && errno == EFBIG)
		return fail(src, 0, "larger than 1 MiB: not a trust-anchor file");
	if (!buf && errno == TP_ENOTREG)
		return fail(src, 0, "not a regular file");
	if (!buf)
		return fail(src, 0, "cannot read: %s", strerror(errno));
	int r = tp_ta_parse(path, buf, len, src);
	free(buf);
	return r;
}

/* ---- judgement ---- */

static int key_trusted(const struct tp_ta_key *k, time_t now)
{
	switch (k->state) {
	case TP_TA_STATIC:
	case TP_TA_INITIAL:
	case TP_TA_VALID:
	case TP_TA_MISSING: /* RFC 5011 4: a Missing key is still a trust anchor */
		break;
	case TP_TA_ADDPEND:
		if (k->valid_from && now >= k->valid_from)
			break; /* BIND: the add hold-down has passed */
		return 0;
	default:
		return 0;
	}
	if (k->state != TP_TA_ADDPEND && k->valid_from && now < k->valid_from)
		return 0;
	if (k->valid_until && now >= k->valid_until)
		return 0;
	return k->is_ds || !k->revoke_bit;
}

static int calendar_retired(uint16_t tag, time_t now)
{
	size_t n;
	const struct tp_roll_event *ev = tp_roll_events(&n);
	for (size_t i = 0; i < n; i++)
		if (ev[i].tag == tag && (ev[i].kind == TP_ROLL_REVOKE || ev[i].kind == TP_ROLL_REMOVE) &&
		    tp_roll_event_time(&ev[i]) <= now)
			return 1;
	return 0;
}

static const char *fix_for(enum tp_ta_format f)
{
	switch (f) {
	case TP_TA_FMT_UNBOUND:
		return "run 'unbound-anchor -a FILE' (or remove FILE and restart unbound, which "
		       "bootstraps from /usr/share/dns/root.key)";
	case TP_TA_FMT_BIND_CONF:
	case TP_TA_FMT_BIND_STATE:
		return "use 'dnssec-validation auto' with a current bind.keys or add the key to "
		       "trust-anchors as initial-ds, then remove managed-keys.bind(.jnl) and restart named";
	case TP_TA_FMT_DNSMASQ:
		return "add its trust-anchor=.,TAG,8,2,DIGEST line (Debian: dnsmasq-base's "
		       "trust-anchors.conf)";
	case TP_TA_FMT_PDNS_LUA:
		return "addTA('.', \"TAG 8 2 DIGEST\") or readTrustAnchorsFromFile('/usr/share/dns/root.key')";
	case TP_TA_FMT_IANA_XML:
		return "use a current root-anchors.xml from IANA, with its signature checked";
	default:
		return "replace the file with a current copy (Debian: /usr/share/dns/root.key from dns-root-data)";
	}
}

static void key_name(uint16_t tag, char *buf, size_t len)
{
	const struct tp_root_key *r = tp_root_key_find(tag);
	if (r && r->tag == tag)
		snprintf(buf, len, "%s (%u)", r->name, tag);
	else
		snprintf(buf, len, "key %u", tag);
}

void tp_ta_judge(const struct tp_ta_source *src, time_t now, uint16_t in_force, int real_root,
		 struct tp_ta_judgement *j)
{
	memset(j, 0, sizeof *j);
	j->in_force = in_force;
	j->stale_days = -1;
	const struct tp_root_key *rk = real_root ? tp_root_key_find(in_force) : NULL;
	size_t usable = 0;
	char trusted_tags[128] = "";
	for (size_t i = 0; i < src->n; i++) {
		const struct tp_ta_key *k = &src->keys[i];
		int t = key_trusted(k, now);
		if (k->tag == in_force && (k->is_ds || !k->revoke_bit)) {
			/* the real root: the key must be that KSK, by algorithm and SHA-256
			 * digest (a DS of another digest type cannot be checked) */
			int digest_ok = !rk || (k->alg == rk->alg && k->digest_type == 2 &&
						strcmp(k->digest, rk->ds_sha256) == 0);
			j->in_force_listed = 1;
			j->in_force_state = k->state;
			if (!digest_ok)
				j->digest_mismatch = 1;
			else if (t)
				j->in_force_trusted = 1;
		}
		if (t) {
			usable++;
			char one[16];
			snprintf(one, sizeof one, "%s%u", trusted_tags[0] ? ", " : "", k->tag);
			strncat(trusted_tags, one, sizeof trusted_tags - strlen(trusted_tags) - 1);
			if (real_root && k->tag != in_force && calendar_retired(k->tag, now))
				j->retired_trusted = k->tag;
		}
	}
	j->only_revoked = usable == 0 && src->n > 0;
	long long last = src->last_success;
	if (!last && src->format == TP_TA_FMT_BIND_STATE && src->next_probe)
		last = src->next_probe; /* BIND refreshes at least daily (RFC 5011 2.3) */
	if (last > 0) {
		j->stale_days = now > last ? (long)((now - last) / 86400) : 0;
		j->stale = j->stale_days > 7;
	}
	char kn[48];
	key_name(in_force, kn, sizeof kn);
	j->status = j->in_force_trusted ? 0 : 1;
	if (j->in_force_trusted) {
		int n = snprintf(j->summary, sizeof j->summary, "trusts the key in force, %s [%s]", kn,
				 tp_ta_state_name(j->in_force_state));
		if (j->retired_trusted && n > 0 && (size_t)n < sizeof j->summary) {
			char rn[48];
			key_name(j->retired_trusted, rn, sizeof rn);
			n += snprintf(j->summary + n, sizeof j->summary - (size_t)n,
				      "; still trusts %s, which the root has retired", rn);
		}
		if (j->stale && n > 0 && (size_t)n < sizeof j->summary)
			snprintf(j->summary + n, sizeof j->summary - (size_t)n,
				 "; its RFC 5011 state was last refreshed %ld days ago: is the resolver running?",
				 j->stale_days);
	} else if (j->digest_mismatch) {
		snprintf(j->summary, sizeof j->summary,
			 "the key tagged %u does not match %s's SHA-256 digest or algorithm (or its "
			 "DS digest type cannot be checked): it is not the key in force; %s", in_force,
			 kn, fix_for(src->format));
	} else if (j->in_force_listed) {
		snprintf(j->summary, sizeof j->summary,
			 "%s is listed but not trusted yet (%s; RFC 5011 2.4.1 add hold-down); %s", kn,
			 tp_ta_state_name(j->in_force_state), fix_for(src->format));
	} else if (j->only_revoked) {
		snprintf(j->summary, sizeof j->summary,
			 "only revoked or removed root keys: nothing validates; %s", fix_for(src->format));
	} else {
		snprintf(j->summary, sizeof j->summary,
			 "does not trust the key in force, %s (trusts %s): the root fails to validate; %s",
			 kn, trusted_tags[0] ? trusted_tags : "nothing", fix_for(src->format));
	}
}

size_t tp_ta_default_paths(const char *paths[][2], int *exists, size_t max)
{
	/* Debian 12's defaults: unbound.conf.d/root-auto-trust-anchor-file.conf, named's
	 * dnssec-validation auto (bind.keys) and its managed-keys state, kresd's
	 * sandbox.lua add_file, dnsmasq-base's trust-anchors.conf, recursor.lua, dns-root-data. */
	static const char *const known[][3] = {
		{"unbound", "/usr/sbin/unbound", "/var/lib/unbound/root.key"},
		{"named", "/usr/sbin/named", "/etc/bind/bind.keys"},
		{"named", "/usr/sbin/named", "/var/cache/bind/managed-keys.bind"},
		{"kresd", "/usr/sbin/kresd", "/usr/share/dns/root.key"},
		{"dnsmasq", "/usr/sbin/dnsmasq", "/usr/share/dnsmasq-base/trust-anchors.conf"},
		{"pdns_recursor", "/usr/sbin/pdns_recursor", "/etc/powerdns/recursor.lua"},
		{"dns-root-data", NULL, "/usr/share/dns/root.key"},
		{"dns-root-data", NULL, "/usr/share/dns/root.ds"},
	};
	size_t n = 0;
	for (size_t i = 0; i < sizeof known / sizeof known[0] && n < max; i++) {
		if (known[i][1] && access(known[i][1], X_OK) != 0)
			continue;
		exists[n] = access(known[i][2], F_OK) == 0;
		if (!exists[n] && !known[i][1])
			continue; /* dns-root-data not installed */
		paths[n][0] = known[i][0];
		paths[n][1] = known[i][2];
		n++;
	}
	return n;
}
