/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* apppath: see apppath.h. */
#include "apppath.h"
#include "tp_util.h"
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int loopback(const char *a)
{
	struct in_addr v4;
	struct in6_addr v6;
	if (inet_pton(AF_INET, a, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	char buf[64];
	snprintf(buf, sizeof buf, "%s", a);
	char *pct = strchr(buf, '%');
	if (pct)
		*pct = '\0';
	return inet_pton(AF_INET6, buf, &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

void tp_resolvconf_options(const char *text, size_t len, struct tp_rc_opts *o)
{
	memset(o, 0, sizeof *o);
	o->all_loopback = 1;
	char line[1024];
	for (size_t i = 0; i < len;) {
		size_t n = 0;
		while (i < len && text[i] != '\n' && n + 1 < sizeof line)
			line[n++] = text[i++];
		while (i < len && text[i] != '\n')
			i++;
		i++;
		line[n] = '\0';
		char *save = NULL, *w = strtok_r(line, " \t\r", &save);
		if (!w || *w == '#' || *w == ';')
			continue;
		if (!strcmp(w, "nameserver")) {
			char *a = strtok_r(NULL, " \t\r", &save);
			if (a && o->n_ns < TP_RC_MAX_NS) {
				snprintf(o->ns[o->n_ns++], sizeof o->ns[0], "%s", a);
				o->all_loopback &= loopback(a);
			}
		} else if (!strcmp(w, "options")) {
			for (char *opt; (opt = strtok_r(NULL, " \t\r", &save));) {
				if (!strcmp(opt, "trust-ad"))
					o->trust_ad = 1;
				else if (!strcmp(opt, "edns0"))
					o->edns0 = 1;
			}
		}
	}
}

/* res_nquery with the given extra options; the reply's RCODE and AD, or -1 when libc got
 * no answer. */
static int ask(const char *qname, unsigned long extra, int *ad)
{
	struct __res_state st;
	memset(&st, 0, sizeof st);
	*ad = 0;
	if (res_ninit(&st) != 0)
		return -1;
	st.options |= extra;
	unsigned char buf[4096];
	int n = res_nquery(&st, qname, ns_c_in, ns_t_a, buf, sizeof buf);
	int rc = -1;
	if (n >= 12) {
		rc = buf[3] & 0x0f;
		*ad = (buf[3] & 0x20) != 0;
	} else if (st.res_h_errno == HOST_NOT_FOUND) {
		rc = 3;
	}
	res_nclose(&st);
	return rc;
}

void tp_apppath_check(const char *qname, struct tp_apppath *a)
{
	memset(a, 0, sizeof *a);
	size_t len = 0, plen = 0;
	char *rc = tp_read_file("/etc/resolv.conf", 1 << 16, &len);
	tp_resolvconf_options(rc ? rc : "", rc ? len : 0, &a->rc);
	char *pc = tp_read_file("/var/spool/postfix/etc/resolv.conf", 1 << 16, &plen);
	a->postfix_copy = pc != NULL;
	a->postfix_differs = pc && (!rc || plen != len || memcmp(pc, rc, len) != 0);
	free(pc);
	free(rc);
	a->rcode_postfix = ask(qname, RES_USE_DNSSEC | RES_USE_EDNS0 | RES_TRUSTAD, &a->ad_postfix);
	a->rcode_plain = ask(qname, 0, &a->ad_plain);
	a->checked = 1;
	size_t o = 0;
	int w = snprintf(a->note, sizeof a->note, "libc (/etc/resolv.conf, %zu nameserver%s%s): ",
			 a->rc.n_ns, a->rc.n_ns == 1 ? "" : "s",
			 a->rc.all_loopback ? ", all on loopback" : ", NOT all on loopback: AD "
			 "from across a network can be forged unless the path is protected");
	o = w > 0 ? (size_t)w : 0;
#define APP(...) do { if (o < sizeof a->note) { int k_ = snprintf(a->note + o, sizeof a->note - o, __VA_ARGS__); if (k_ > 0) o += (size_t)k_; } } while (0)
	if (a->rcode_postfix < 0)
		APP("no answer for %s through libc", qname);
	else
		APP("as Postfix asks (RES_USE_DNSSEC, RES_TRUSTAD) AD is %s", a->ad_postfix ? "seen" : "NOT seen");
	if (a->rcode_plain >= 0)
		APP("; a plain client sees AD %s%s", a->ad_plain ? "too" : "cleared",
		    a->ad_plain || a->rc.trust_ad ? "" : " (no 'options trust-ad': glibc clears it)");
	if (a->postfix_copy)
		APP("; Postfix's chroot copy /var/spool/postfix/etc/resolv.conf %s",
		    a->postfix_differs ? "DIFFERS from /etc/resolv.conf" : "is the same");
#undef APP
}
