/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_roll: see lab_roll.h. The parent builds the lab (keeping the signer's session) and
 * tears it down; one child joins the lab's namespaces and does the rest: re-signs the root
 * at each step (it inherited the keys with the parent's memory), has nsd-root reload it by
 * SIGHUP to its PID, waits, probes, reads the anchor files and renders the timeline. */
#include "lab_roll.h"
#include "anchors.h"
#include "catalog.h"
#include "lab.h"
#include "lab_plan.h"
#include "lab_probe.h"
#include "lab_state.h"
#include "labenv.h"
#include "probe.h"
#include "query.h"
#include "roll_timeline.h"
#include "signer.h"
#include "tp_util.h"
#include <errno.h>
#include <ftw.h>
#include <ldns/ldns.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_HOLDDOWN 8u
#define ROLL_TTL 2u          /* root DNSKEY RRset and sentinel names */
#define CACHE_SETTLE 7.0     /* > ROLL_TTL and kresd's 5 s cache.min_ttl, + a probe */
#define DEFAULT_SET "unbound,bind,knot-resolver,unbound-static-current,unbound-static-both"

static volatile sig_atomic_t stop_sig;
static void on_stop(int s)
{
	stop_sig = s;
}

/* Sleeps secs unless a signal asks to stop; 0, or -1 when stopped. */
static int nap(double secs)
{
	double end = tp_now() + secs;
	while (!stop_sig) {
		double left = end - tp_now();
		if (left <= 0)
			return 0;
		double step = left < 0.2 ? left : 0.2; /* wakes for stop_sig at least 5 times a second */
		struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)(step * 1e9)};
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* The SOA serial nsd-root serves now, or 0 when it does not answer. */
static uint32_t root_serial(const char *addr)
{
	uint32_t serial = 0;
	ldns_resolver *r = ldns_resolver_new();
	ldns_rdf *ns = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, addr);
	ldns_rdf *root = ldns_dname_new_frm_str(".");
	ldns_pkt *p = NULL;
	if (r && ns && root && ldns_resolver_push_nameserver(r, ns) == LDNS_STATUS_OK) {
		ldns_resolver_set_recursive(r, false);
		ldns_resolver_set_retry(r, 1);
		ldns_resolver_set_timeout(r, (struct timeval){.tv_sec = 1});
		if (ldns_resolver_send(&p, r, root, LDNS_RR_TYPE_SOA, LDNS_RR_CLASS_IN, 0) ==
			    LDNS_STATUS_OK && p) {
			ldns_rr_list *an = ldns_pkt_answer(p);
			for (size_t i = 0; an && i < ldns_rr_list_rr_count(an); i++) {
				ldns_rr *rr = ldns_rr_list_rr(an, i);
				if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA && ldns_rr_rdf(rr, 2))
					serial = ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
			}
		}
	}
	ldns_pkt_free(p);
	ldns_rdf_deep_free(ns);
	ldns_rdf_deep_free(root);
	if (r)
		ldns_resolver_deep_free(r);
	return serial;
}

/* The recorded PID of daemon name in the lab in dir, or -1. */
static pid_t daemon_pid(const char *dir, const char *name)
{
	struct lab_state st;
	if (lab_state_read(dir, &st) != 0)
		return -1;
	for (size_t i = 0; i < st.n; i++)
		if (strcmp(st.d[i].name, name) == 0)
			return st.d[i].pid;
	return -1;
}

/* Re-signs the root for step s, has nsd-root reload it (SIGHUP to its PID: nsd(8) reloads
 * the zone files whose mtime changed) and waits until it serves the new serial. */
static int apply_step(struct signer_session *sess, const char *dir, size_t s, uint32_t serial,
		      char *err, size_t errlen)
{
	const struct lab_roll_step *st = &lab_roll_steps()[s];
	char e2[512];
	if (signer_root_step(sess, st->root, serial, e2, sizeof e2) != SIGNER_OK) {
		snprintf(err, errlen, "re-signing the root for %s: %s", st->name, e2);
		return -1;
	}
	pid_t nsd = daemon_pid(dir, "nsd-root");
	const char *addr = lab_server_addr("root");
	if (nsd <= 0 || !addr || kill(nsd, SIGHUP) != 0) {
		snprintf(err, errlen, "cannot signal nsd-root (pid %ld) to reload: %s", (long)nsd,
			 strerror(errno));
		return -1;
	}
	for (double end = tp_now() + 10; tp_now() < end && !stop_sig;) {
		if (root_serial(addr) == serial)
			return 0;
		/* nsd compares mtimes: a reload within the same tick may miss the new file */
		if (nap(0.2) == 0 && root_serial(addr) != serial)
			kill(nsd, SIGHUP);
	}
	snprintf(err, errlen, "nsd-root did not serve the %s root (serial %u) within 10 s",
		 st->name, (unsigned)serial);
	return -1;
}

/* The name of tag in the timeline: "cur", "next", "cur(R)" (revoked), or the number. */
static const char *tag_name(const struct lab_roll_timeline *tl, unsigned tag, char *buf,
			    size_t n)
{
	if (tag == tl->tag_cur)
		return "cur";
	if (tag == tl->tag_next)
		return "next";
	if (tag == tl->tag_cur_revoked)
		return "cur(R)";
	snprintf(buf, n, "%u", tag);
	return buf;
}

/* kresd's managed key file: one RR a line, "; STATE:TIMER ; KeyTag:N" after it, the line
 * itself commented out unless Valid or Missing (kresd's trust_anchors.lua ta_rr_str). */
static void kresd_state(const char *path, const struct lab_roll_timeline *tl, char *out,
			size_t n)
{
	FILE *f = tp_fopen_read(path, 1 << 20);
	char line[8192], b[8];
	size_t off = 0;
	if (!f) {
		snprintf(out, n, "no key file");
		return;
	}
	while (fgets(line, sizeof line, f) && off < n) {
		char *kt = strstr(line, "; KeyTag:");
		if (!kt)
			continue;
		unsigned tag = (unsigned)strtoul(kt + 9, NULL, 10);
		*kt = '\0';
		char *c = strrchr(line, ';'), st[16] = "?";
		if (c)
			sscanf(c + 1, " %15[A-Za-z]", st);
		int w = snprintf(out + off, n - off, "%s%s:%s", off ? " " : "",
				 tag_name(tl, tag, b, sizeof b), st);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	fclose(f);
}

/* "cur:VALID next:ADDPEND" from the instance's anchor file (its RFC 5011 state where it
 * keeps one; "static" for a trust-anchor-file), or why there is none to read. */
static void anchor_state(const char *dir, const struct lab_roll_row *row,
			 const struct lab_roll_timeline *tl, char *out, size_t n)
{
	char path[4200], b[8];
	out[0] = '\0';
	if (strcmp(row->name, "knot-resolver") == 0) {
		snprintf(path, sizeof path, "%s/knot-resolver/root.keys", dir);
		kresd_state(path, tl, out, n);
		return;
	}
	if (strcmp(row->name, "bind") == 0)
		snprintf(path, sizeof path, "%s/bind/managed-keys.bind", dir);
	else
		snprintf(path, sizeof path, "%s/%s/root.key", dir, row->name);
	if (access(path, F_OK) != 0) {
		/* named keeps changes in managed-keys.bind.jnl and dumps the file 30 s
		 * after a change (lib/dns/zone.c keyfetch_done: zone_needdump(zone, 30)) */
		snprintf(out, n, "no state file yet");
		return;
	}
	struct tp_ta_source *src = calloc(1, sizeof *src);
	if (!src)
		return;
	if (tp_ta_read(path, src) != 0) {
		snprintf(out, n, "unreadable");
		free(src);
		return;
	}
	long long now = (long long)time(NULL);
	size_t off = 0;
	for (size_t i = 0; i < src->n && off < n; i++) {
		const struct tp_ta_key *k = &src->keys[i];
		enum tp_ta_state state = k->state;
		/* BIND keeps the add hold-down time in KEYDATA: past it, the key is trusted */
		if (state == TP_TA_ADDPEND && src->format == TP_TA_FMT_BIND_STATE &&
		    k->valid_from && now >= k->valid_from)
			state = TP_TA_VALID;
		int w = snprintf(out + off, n - off, "%s%s:%s", off ? " " : "",
				 tag_name(tl, k->tag, b, sizeof b), tp_ta_state_name(state));
		if (w < 0)
			break;
		off += (size_t)w;
	}
	free(src);
}

/* Size of the proxy's log now (where the next step's lines begin). */
static long log_size(const char *dir)
{
	char path[4200];
	struct stat st;
	snprintf(path, sizeof path, "%s/log/proxy.log", dir);
	return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* "_ta-4f66-9728." -> "cur+next" (the timeline's names of the tags); "" if malformed. */
static void signal_tags(const char *q, const struct lab_roll_timeline *tl, char *out, size_t n)
{
	size_t off = 0;
	char b[8];
	out[0] = '\0';
	for (const char *p = q + 3; *p == '-' && off < n;) {
		char *end;
		unsigned long t = strtoul(p + 1, &end, 16);
		if (end == p + 1 || t > 65535)
			break;
		int w = snprintf(out + off, n - off, "%s%s", off ? "+" : "",
				 tag_name(tl, (unsigned)t, b, sizeof b));
		if (w < 0)
			break;
		off += (size_t)w;
		p = end;
	}
}

/* Reads the RFC 8145 signals the proxy logged since off ("proxy: ta-signal udp PEER
 * QNAME QTYPE", proxy.c) into the cells of step s, distinct ones joined with ','; a QTYPE
 * other than NULL is named after the tags, e.g. "cur+next(A)". */
static void read_signals(const char *dir, long off, struct lab_roll_timeline *tl, size_t s)
{
	char path[4200], line[512];
	snprintf(path, sizeof path, "%s/log/proxy.log", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	if (fseek(f, off, SEEK_SET) != 0) {
		fclose(f);
		return;
	}
	while (fgets(line, sizeof line, f)) {
		char proto[8], peer[64], q[256], qt[16] = "NULL", tags[64];
		if (sscanf(line, "proxy: ta-signal %7s %63s %255s %15s", proto, peer, q, qt) < 3)
			continue;
		tl->signals_seen = 1;
		signal_tags(q, tl, tags, sizeof tags);
		if (tags[0] && strcmp(qt, "NULL") != 0) /* not RFC 8145's QTYPE: say which */
			snprintf(tags + strlen(tags), sizeof tags - strlen(tags), "(%s)", qt);
		for (size_t i = 0; i < tl->n; i++) {
			const struct lab_instance *li = lab_instance_find(tl->rows[i].name);
			char *sig = tl->rows[i].cell[s].signals;
			size_t have = strlen(sig), tl_len = strlen(tags);
			if (!li || strcmp(li->addr, peer) != 0 || !tags[0])
				continue;
			int dup = 0; /* already listed? */
			for (const char *p = sig; (p = strstr(p, tags)); p += tl_len)
				dup |= (p == sig || p[-1] == ',') && (p[tl_len] == ',' || !p[tl_len]);
			if (!dup && have + tl_len + 2 < sizeof tl->rows[i].cell[s].signals)
				snprintf(sig + have, sizeof tl->rows[i].cell[s].signals - have, "%s%s",
					 have ? "," : "", tags);
		}
	}
	fclose(f);
}

/* Probes every rehearsed row at step s and fills its cell. */
static int probe_step(const char *dir, struct lab_roll_timeline *tl, size_t s,
		      const struct tp_catalog *cat, const int *sel, const char *zone, double t0,
		      char *err, size_t errlen)
{
	struct tp_target t[LAB_ROLL_MAX_ROWS];
	size_t idx[LAB_ROLL_MAX_ROWS], nt = 0;
	for (size_t i = 0; i < tl->n; i++) {
		const struct lab_instance *li = lab_instance_find(tl->rows[i].name);
		if (tl->rows[i].role == LAB_ROLE_NOT_REHEARSED || !li ||
		    tp_target_parse(li->addr, &t[nt], NULL, 0) != 0)
			continue;
		snprintf(t[nt].label, sizeof t[nt].label, "%s", li->addr);
		idx[nt++] = i;
	}
	struct tp_probe_plan plan = {.cat = cat, .selected = sel, .zone = zone,
				     .deadline = tp_now() + 10.0, .lab = 1,
				     .ksk_current = tl->tag_cur, .ksk_next = tl->tag_next,
				     .now = (long long)time(NULL)};
	struct tp_report rep = {0};
	if (tp_probe_all(t, nt, &plan, &rep, err, errlen) != 0) {
		tp_report_free(&rep);
		return -1;
	}
	double when = tp_now() - t0;
	for (size_t k = 0; k < rep.n && k < nt; k++) {
		struct lab_roll_row *row = &tl->rows[idx[k]];
		struct lab_roll_cell *c = &row->cell[s];
		const struct tp_resolver_report *rr = &rep.resolvers[k];
		c->probed = 1;
		c->t = when;
		for (size_t f = 0; f < rr->n_findings; f++) {
			const struct tp_finding *fd = &rr->findings[f];
			if (strcmp(fd->id, "root-trust.dnskey") == 0)
				c->ok = fd->status == TP_PASS;
			else if (strcmp(fd->id, "root-trust.sentinel-current") == 0)
				c->cur = lab_roll_class_of(fd);
			else if (strcmp(fd->id, "root-trust.sentinel-next") == 0)
				c->next = lab_roll_class_of(fd);
		}
		anchor_state(dir, row, tl, c->anchor, sizeof c->anchor);
		lab_roll_judge(row, s, c);
	}
	tp_report_free(&rep);
	return 0;
}

static unsigned env_tag(const char *dir, const char *key)
{
	char v[32];
	if (tp_labenv_get(dir, key, v, sizeof v) != 0)
		return 0;
	return (unsigned)strtoul(v, NULL, 10);
}

/* The tag a DNSKEY would have with the REVOKE bit set (from D/ta/root.dnskey). */
static unsigned revoked_tag(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/ta/root.dnskey", dir);
	FILE *f = tp_fopen_read(path, 1 << 20);
	ldns_rr *rr = NULL;
	unsigned tag = 0;
	if (f && ldns_rr_new_frm_fp(&rr, f, NULL, NULL, NULL) == LDNS_STATUS_OK && rr) {
		ldns_rdf *fl = ldns_rr_rdf(rr, 0);
		uint16_t flags = ldns_rdf2native_int16(fl);
		ldns_rdf *nf = ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, flags | LDNS_KEY_REVOKE_KEY);
		if (nf) {
			ldns_rdf_deep_free(ldns_rr_set_rdf(rr, nf, 0));
			tag = ldns_calc_keytag(rr);
		}
	}
	if (rr)
		ldns_rr_free(rr);
	if (f)
		fclose(f);
	return tag;
}

static void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void progress(const char *fmt, ...)
{
	if (!isatty(STDERR_FILENO))
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("lab roll: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* The child: everything inside the lab. Returns the exit status. */
static int rehearse(const char *dir, struct signer_session *sess, const struct lab_roll_opts *o,
		    struct lab_roll_timeline *tl, double t0)
{
	char err[1024] = "", zone[256] = "";
	if (lab_join(dir, err, sizeof err) != LAB_OK ||
	    tp_labenv_get(dir, "LAB_ZONE", zone, sizeof zone) != 0) {
		fprintf(stderr, "trustprobe lab roll: %s\n", err[0] ? err : "no lab.env");
		return 2;
	}
	tl->tag_cur = env_tag(dir, "LAB_KSK_CURRENT");
	tl->tag_next = env_tag(dir, "LAB_KSK_NEXT");
	tl->tag_cur_revoked = revoked_tag(dir);
	char path[4200];
	snprintf(path, sizeof path, "%s/cases", o->vectors);
	struct tp_catalog cat;
	if (tp_catalog_load(path, &cat, err, sizeof err) != 0) {
		fprintf(stderr, "trustprobe lab roll: %s\n", err);
		return 2;
	}
	int *sel = calloc(cat.n ? cat.n : 1, sizeof *sel);
	int rc = 2;
	if (!sel)
		goto out;
	/* the root-trust cases the timeline reads: validation of the root DNSKEY RRset and
	 * the two sentinels */
	size_t nsel = 0;
	for (size_t i = 0; i < cat.n; i++)
		nsel += sel[i] = !strcmp(cat.cases[i].id, "root-trust.dnskey") ||
				 !strcmp(cat.cases[i].id, "root-trust.sentinel-current") ||
				 !strcmp(cat.cases[i].id, "root-trust.sentinel-next");
	if (nsel != 3) {
		fprintf(stderr, "trustprobe lab roll: the catalogue lacks the root-trust cases\n");
		goto out;
	}
	const struct lab_roll_step *steps = lab_roll_steps();
	uint32_t serial = (uint32_t)time(NULL) + 1000;
	for (size_t s = 0; s < LAB_ROLL_STEPS && !stop_sig; s++) {
		double dwell = s == 0 ? 0 : s == 1 ? (double)tl->holddown + 5 : CACHE_SETTLE;
		long sig_off = s == 0 ? 0 : log_size(dir); /* the first step: since the start */
		if (steps[s].resign && apply_step(sess, dir, s, ++serial, err, sizeof err) != 0) {
			fprintf(stderr, "trustprobe lab roll: %s\n", err);
			goto out;
		}
		tl->step_t[s] = tp_now() - t0;
		tl->steps_done = (int)s + 1;
		progress("step %zu/%d %s: %s; waiting %.0f s", s + 1, LAB_ROLL_STEPS, steps[s].name,
			 steps[s].what, dwell);
		if (nap(dwell) != 0)
			break;
		if (probe_step(dir, tl, s, &cat, sel, zone, t0, err, sizeof err) != 0) {
			fprintf(stderr, "trustprobe lab roll: probing at %s: %s\n", steps[s].name, err);
			goto out;
		}
		read_signals(dir, sig_off, tl, s);
	}
	if (stop_sig) {
		rc = 130;
		goto out;
	}
	rc = lab_roll_all_as_expected(tl) ? 0 : 1;
out:
	free(sel);
	tp_catalog_free(&cat);
	return rc;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* Fills the rows: the instances asked for, in the order given. */
static int make_rows(const char *list, struct lab_roll_timeline *tl, char *start,
		     size_t startlen)
{
	char *copy = strdup(list), *save = NULL;
	size_t off = 0;
	start[0] = '\0';
	if (!copy)
		return -1;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!lab_instance_find(tok)) {
			fprintf(stderr, "trustprobe lab roll: unknown resolver '%s'\n", tok);
			free(copy);
			return -1;
		}
		if (tl->n >= LAB_ROLL_MAX_ROWS)
			break;
		struct lab_roll_row *r = &tl->rows[tl->n++];
		snprintf(r->name, sizeof r->name, "%s", tok);
		r->role = lab_roll_role_of(tok, &r->why_not);
		lab_software(lab_instance_find(tok)->kind, NULL, r->software, sizeof r->software);
		if (r->role == LAB_ROLE_NOT_REHEARSED)
			continue; /* never started: a static anchor cannot be rehearsed */
		int w = snprintf(start + off, startlen - off, "%s%s", off ? "," : "", tok);
		if (w > 0 && (size_t)w < startlen - off)
			off += (size_t)w;
	}
	free(copy);
	return 0;
}

int lab_roll_main(const struct lab_roll_opts *o)
{
	double t0 = tp_now();
	struct lab_roll_timeline *tl = calloc(1, sizeof *tl);
	if (!tl) {
		fprintf(stderr, "trustprobe lab roll: out of memory\n");
		return 2;
	}
	tl->holddown = o->holddown ? o->holddown : DEFAULT_HOLDDOWN;
	tl->dnskey_ttl = ROLL_TTL;
	char start[1024];
	if (make_rows(o->resolvers ? o->resolvers : DEFAULT_SET, tl, start, sizeof start) != 0) {
		free(tl);
		return 2;
	}
	struct sigaction sa = {.sa_handler = on_stop};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	const char *tmp = getenv("TMPDIR");
	char dirbuf[4096];
	snprintf(dirbuf, sizeof dirbuf, "%s/trustprobe-lab-roll-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	char *dir = mkdtemp(dirbuf);
	if (!dir) {
		fprintf(stderr, "trustprobe lab roll: cannot create a lab directory: %s\n",
			strerror(errno));
		free(tl);
		return 2;
	}
	int rc = 2;
	struct signer_session *sess = NULL;
	char err[1024] = "";
	struct lab_up_opts uo = {.dir = dir, .vectors = o->vectors, .resolvers = start,
				 .timeout = 20.0, .holddown = tl->holddown, .roll_ttl = ROLL_TTL,
				 .keep = &sess};
	struct lab_up_info ui = {0};
	progress("building the lab (hold-downs %u s, root DNSKEY TTL %u s)", tl->holddown, ROLL_TTL);
	enum lab_status ls = start[0] ? lab_up(&uo, &ui, err, sizeof err) : LAB_ERR_USAGE;
	if (!start[0])
		snprintf(err, sizeof err, "no rehearsable resolver asked for");
	if (ls != LAB_OK) {
		fprintf(stderr, "trustprobe lab roll: %s\n", err);
		if (ls == LAB_ERR_START)
			fprintf(stderr, "trustprobe lab roll: logs kept in %s/log\n", dir);
		else
			nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		signer_session_free(sess);
		free(tl);
		return ls == LAB_ERR_INTERRUPTED ? 130 : 2;
	}
	fflush(NULL);
	int pfd[2] = {-1, -1};
	if (pipe(pfd) != 0)
		pfd[0] = pfd[1] = -1;
	pid_t child = stop_sig || pfd[0] < 0 ? -1 : fork();
	if (child == 0) {
		close(pfd[0]);
		int crc = rehearse(ui.dir, sess, o, tl, t0);
		/* the timeline goes back to the parent, which renders it after the lab is down */
		size_t left = sizeof *tl;
		const char *p = (const char *)tl;
		while (left > 0) {
			ssize_t w = write(pfd[1], p, left);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			p += w;
			left -= (size_t)w;
		}
		close(pfd[1]);
		_exit(crc);
	}
	if (pfd[1] >= 0)
		close(pfd[1]);
	if (child > 0) {
		size_t got = 0;
		char *p = (char *)tl;
		while (got < sizeof *tl) {
			ssize_t r = read(pfd[0], p + got, sizeof *tl - got);
			if (r < 0 && errno == EINTR) {
				if (stop_sig)
					kill(child, SIGTERM);
				continue;
			}
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		int status = 0;
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : 2;
		if (got != sizeof *tl)
			rc = rc ? rc : 2;
		/* why_not points into static data of the same binary: valid in this process */
	} else {
		fprintf(stderr, "trustprobe lab roll: cannot start the rehearsal: %s\n",
			stop_sig ? "interrupted" : strerror(errno));
		rc = stop_sig ? 130 : 2;
	}
	if (pfd[0] >= 0)
		close(pfd[0]);
	struct lab_down_info di;
	lab_down(ui.dir, &di, err, sizeof err);
	signer_session_free(sess);
	tl->wall_s = tp_now() - t0;
	if (rc <= 1 || (rc == 130 && tl->steps_done)) {
		if (o->format == TP_FMT_JSON)
			lab_roll_render_json(stdout, tl);
		else
			lab_roll_render_text(stdout, tl);
	}
	if (rc == 130) {
		/* as 'trustprobe lab' does: nothing of an interrupted run is left behind */
		nftw(ui.dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		fprintf(stderr, "trustprobe lab roll: interrupted; every lab process was stopped "
			"and the run directory removed\n");
	} else if (rc <= 1 && !getenv("TRUSTPROBE_ROLL_KEEP")) { /* set: keep D (logs, configs) */
		nftw(ui.dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	} else if (rc <= 1) {
		fprintf(stderr, "trustprobe lab roll: lab directory kept: %s\n", ui.dir);
	} else {
		fprintf(stderr, "trustprobe lab roll: logs kept in %s/log\n", ui.dir);
	}
	free(tl);
	return rc;
}
