/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* apppath: the AD bit's last hop, from the resolver to the application through libc. It
 * reads the resolv.conf in use (options, nameservers) and asks libc's res_nquery for a
 * secure name twice: as Postfix asks (RES_USE_DNSSEC, RES_TRUSTAD) and as a plain client
 * does (glibc 2.31 and later clear AD then unless resolv.conf says "options trust-ad").
 * tp_resolvconf_options is pure; tp_apppath_check does the I/O (libc's own queries, to the
 * nameservers of /etc/resolv.conf). */
#ifndef TP_APPPATH_H
#define TP_APPPATH_H
#include <stddef.h>

#define TP_RC_MAX_NS 8

struct tp_rc_opts {
	int trust_ad;          /* "options trust-ad" */
	int edns0;             /* "options edns0" */
	size_t n_ns;
	char ns[TP_RC_MAX_NS][64];
	int all_loopback;      /* every nameserver is 127.0.0.0/8 or ::1 (1 also with none) */
};

/* Parses resolv.conf text (len bytes): "nameserver" and "options" lines; the last
 * "options" word wins as in libc. Fills o. Pure. */
void tp_resolvconf_options(const char *text, size_t len, struct tp_rc_opts *o);

struct tp_apppath {
	int checked;           /* the libc queries ran */
	struct tp_rc_opts rc;  /* of /etc/resolv.conf */
	int rcode_postfix, ad_postfix; /* RES_USE_DNSSEC | RES_TRUSTAD */
	int rcode_plain, ad_plain;     /* default options */
	int postfix_copy;      /* /var/spool/postfix/etc/resolv.conf exists */
	int postfix_differs;   /* and differs from /etc/resolv.conf */
	char note[400];        /* one line a person can act on */
};

/* Runs the libc queries for qname (type A) and fills a. */
void tp_apppath_check(const char *qname, struct tp_apppath *a);

#endif
