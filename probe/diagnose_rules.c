/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* diagnose_rules: the diagnosis as data. Each rule says when it fires (conditions over the
 * findings of testvectors/cases; grammar in diagnose.c), which findings are its evidence,
 * what to tell the operator and the fix per resolver family. Order is priority: a finding
 * is the evidence of the first cause that claims it, so a later rule whose evidence an
 * earlier one already took (the forged denials a non-validating resolver lets through) is
 * not reported again. trustprobe(1), DIAGNOSIS, lists them; tests/unit/test_diagnose.c
 * checks each one on recorded findings. */
#include "diagnose.h"

/* The evidence of a resolver that gets DNSSEC wrong as a whole: every group but transport. */
#define ALL_BUT_TRANSPORT "validation.* denial.* dane.* root-trust.* ad-path.*"
/* The bogus-zone denials and the attacks: a denial that must never get through. */
#define FORGED_DENIALS "denial.atk-*=fail denial.expired-*=fail denial.notyet-*=fail " \
	"denial.ds-mismatch-*=fail denial.bogus-sig-denied=fail"
/* The matrix of a resolver that validates: a MUST cell validated, a MUST NOT one insecure
 * (a non-validating one leaves everything insecure, a liar sets AD on everything: what it
 * does with SHA-1 says nothing then). */
#define VALIDATES "validation.alg13=pass validation.alg1=pass"
/* What a clock that is off needs. */
#define CLOCK_FIX {{"*", "set the resolver host's clock (NTP: systemd-timesyncd or chrony), " \
		    "then restart the resolver; DNSSEC needs a clock within minutes"}}
/* The key in force, in the form each resolver takes (FACTS.md: KSK-2024). */
#define KSK2024_DNSMASQ "38696,8,2,683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16"

static const struct tp_diag_rule rules[] = {
	{
		.id = "unreachable",
		.fix_self = 1,
		.level = TP_CAUSE_UNKNOWN,
		.when = {"transport.udp=skip !transport.*:*:obs=answer"},
		.evidence = "*=skip",
		.title = "the resolver does not answer: {why}",
		.tag = "no answer",
		.fixes = {{"*", "check the address and port, that the resolver runs and listens "
			   "there, and that no firewall drops DNS (UDP and TCP port 53) from this host"}},
	},
	{
		.id = "refused",
		.fix_self = 1,
		.level = TP_CAUSE_UNKNOWN,
		.when = {"transport.udp:rcode=REFUSED"},
		.evidence = "*=skip",
		.title = "the server answers REFUSED: it is not a recursive resolver for this client "
			 "(an authoritative server, or an access rule that leaves this host out)",
		.tag = "REFUSED",
		.fixes = {{"unbound", "access-control: ADDRESS/32 allow in unbound.conf"},
			  {"bind", "allow-recursion { ADDRESS; }; in named.conf options"},
			  {"pdns", "allow-from= with this host's address in recursor.conf"},
			  {"knot", "a view:addr() rule that allows this host"},
			  {"dnsmasq", "listen on the interface this host reaches (interface=, "
				      "listen-address=)"},
			  {"*", "allow this host to query the resolver (unbound access-control, BIND "
				"allow-recursion, PowerDNS allow-from), or name a recursive resolver"}},
	},
	{
		.id = "not-recursive",
		.fix_self = 1,
		.level = TP_CAUSE_UNKNOWN,
		.when = {"transport.*:*:ra=0 !transport.udp:rcode=REFUSED"},
		.evidence = "*=skip",
		.title = "not a recursive resolver: RA is clear in its replies to queries with RD "
			 "(an authoritative server answers only for its own zones)",
		.tag = "not a resolver",
		.fixes = {{"*", "name a recursive, validating resolver (the mail host's own, e.g. "
			   "unbound on 127.0.0.1), not an authoritative server"}},
	},
	{
		.id = "validation-off",
		.level = TP_CAUSE_FAIL,
		.when = {"validation.bogus-sig:rcode=NOERROR,answer=A,ad=0 !validation.ad-secure:ad=1 "
			 "!root-trust.dnskey:ad=1",
			 "validation.bogus-sig=skip:nozone=1 root-trust.dnskey:rcode=NOERROR,ad=0 "
			 "root-trust.root-nxdomain:rcode=NXDOMAIN,ad=0"},
		.evidence = ALL_BUT_TRANSPORT,
		.title = "DNSSEC validation is off: bogus data is served and AD is never set",
		.tag = "validation off",
		.fixes = {{"unbound", "module-config: \"validator iterator\" with auto-trust-anchor-file: "
			   "\"/var/lib/unbound/root.key\" in unbound.conf, then restart unbound"},
			  {"bind", "dnssec-validation auto; in the options of named.conf, then "
				   "restart named"},
			  {"pdns", "dnssec=validate in recursor.conf (process-no-validate and off "
				   "validate nothing)"},
			  {"knot", "keep a root trust anchor: trust_anchors.add_file('/usr/share/dns/"
				   "root.key'), and no trust_anchors.remove('.')"},
			  {"dnsmasq", "dnssec and trust-anchor=.," KSK2024_DNSMASQ " in dnsmasq.conf (Debian's "
				      "trust-anchors.conf lists only KSK-2017); --proxy-dnssec only "
				      "copies an upstream's AD"},
			  {"*", "turn DNSSEC validation on, with a current root trust anchor (the "
				"setting per resolver: trustprobe(1), DIAGNOSIS)"}},
	},
	{
		.id = "ad-cleared",
		.level = TP_CAUSE_FAIL,
		.when = {"validation.bogus-sig:rcode=SERVFAIL validation.ad-secure:rcode=NOERROR,"
			 "answer=A,ad=0 !dane.tlsa:ad=1"},
		.evidence = ALL_BUT_TRANSPORT,
		.title = "bogus data is refused but secure answers come without AD: something "
			 "between the validator and the probe clears AD, so DANE cannot trust them",
		.tag = "AD cleared",
		.fixes = {{"dnsmasq", "dnssec (validate here) or proxy-dnssec (copy a validating "
				      "upstream's AD over a protected path): without either dnsmasq "
				      "clears AD"},
			  {"*", "query the validator directly, or make the forwarder in between pass "
				"AD on (dnsmasq: --dnssec or --proxy-dnssec)"}},
	},
	{
		/* BIND's dnssec-accept-expired skips both time checks (dns_dnssec_verify's
		 * ignoretime, lib/dns/dnssec.c), not just the expiration: no clock explains
		 * accepting windows 44 days apart */
		.id = "time-unchecked",
		.level = TP_CAUSE_FAIL,
		.when = {"validation.notyet:rcode=NOERROR,answer=A "
			 "validation.expired:rcode=NOERROR,answer=A validation.bogus-sig:rcode=SERVFAIL"},
		.evidence = "validation.notyet validation.expired denial.notyet-* denial.expired-* "
			    ALL_BUT_TRANSPORT,
		.title = "the resolver does not check signature times: it accepts signatures that "
			 "expired a week ago and signatures valid only from next week, while it "
			 "refuses a corrupted one",
		.tag = "signature times unchecked",
		.fixes = {{"bind", "remove dnssec-accept-expired yes from named.conf (it skips the "
				   "inception check too), then restart named"},
			  {"*", "turn off the setting that accepts expired signatures, and check the "
				"resolver host's clock"}},
	},
	{
		.id = "clock-ahead",
		.level = TP_CAUSE_FAIL,
		/* or the resolver says so: EDE 7, Signature Expired, on the root's keys that
		 * are valid now (RFC 8914 4.8) */
		.when = {"validation.notyet:rcode=NOERROR,answer=A validation.bogus-sig:rcode=SERVFAIL",
			 "root-trust.dnskey:rcode=SERVFAIL,ede=7 !validation.expired:rcode=NOERROR"},
		.evidence = "validation.notyet denial.notyet-* " ALL_BUT_TRANSPORT,
		.title = "the resolver's clock is ahead: it accepts signatures whose inception is "
			 "days away (validation.notyet), or says the root's keys have expired",
		.tag = "clock ahead",
		.fixes = CLOCK_FIX,
	},
	{
		.id = "clock-behind",
		.level = TP_CAUSE_FAIL,
		/* or EDE 8, Signature Not Yet Valid, on the root's keys (RFC 8914 4.9) */
		.when = {"validation.expired:rcode=NOERROR,answer=A validation.bogus-sig:rcode=SERVFAIL",
			 "root-trust.dnskey:rcode=SERVFAIL,ede=8 !validation.notyet:rcode=NOERROR"},
		.evidence = "validation.expired denial.expired-* " ALL_BUT_TRANSPORT,
		.title = "the resolver's clock is behind: it accepts signatures that expired days "
			 "ago (validation.expired), or says the root's keys are not valid yet",
		.tag = "clock behind",
		.fixes = CLOCK_FIX,
	},
	{
		.id = "trust-anchor",
		.level = TP_CAUSE_FAIL,
		.when = {"root-trust.dnskey:rcode=SERVFAIL !validation.notyet:rcode=NOERROR "
			 "!validation.expired:rcode=NOERROR !root-trust.dnskey:ede=7 "
			 "!root-trust.dnskey:ede=8",
			 "root-trust.sentinel-current=fail:is:rcode=SERVFAIL "
			 "root-trust.sentinel-current:bogus:rcode=SERVFAIL"},
		.evidence = "root-trust.* " ALL_BUT_TRANSPORT,
		.title = "the resolver's root trust anchor does not match the KSK that signs the "
			 "root: the root DNSKEY RRset does not validate, and no signature-window case "
			 "or EDE points to its clock (a clock off by more than 40 days would look "
			 "the same){validator}{ede}",
		.tag = "trust anchor",
		.fixes = {{"unbound", "unbound-anchor -a /var/lib/unbound/root.key (or remove it and "
				      "restart unbound, which seeds it from /usr/share/dns/root.key)"},
			  {"bind", "dnssec-validation auto with a current bind.keys; remove "
				   "managed-keys.bind and its .jnl, restart named"},
			  {"pdns", "readTrustAnchorsFromFile('/usr/share/dns/root.key') or a current "
				   "addTA() in recursor.lua"},
			  {"knot", "trust_anchors.add_file('/usr/share/dns/root.key') with a current "
				   "dns-root-data"},
			  {"dnsmasq", "trust-anchor=.," KSK2024_DNSMASQ " (the key in force since 2026-10-11)"},
			  {"*", "give the resolver a current root trust anchor (trustprobe anchors "
				"FILE checks a file and names the fix per resolver family)"}},
	},
	{
		.id = "root-keys",
		.level = TP_CAUSE_FAIL,
		.when = {"root-trust.dnskey-keys=fail root-trust.dnskey:ad=1"},
		.evidence = "root-trust.dnskey-keys",
		.title = "the root DNSKEY RRset it returns validates, but is not what the root holds "
			 "on this date: another root, or the wrong date (root-trust.dnskey-keys says "
			 "which keys it found)",
		.tag = "not the root's keys",
		.fixes = {{"*", "check that the resolver reaches the real root (its root hints, or the "
			   "upstream it forwards to) with a current trust anchor; --now DATE when the "
			   "date to judge by is not today"}},
	},
	{
		.id = "permissive",
		.level = TP_CAUSE_FAIL,
		.when = {"validation.bogus-sig:rcode=NOERROR,answer=A,ad=0 validation.ad-secure:ad=1"},
		.evidence = ALL_BUT_TRANSPORT,
		.title = "permissive mode: bogus data is served with AD clear instead of SERVFAIL, "
			 "while secure data gets AD; a client that ignores AD is not protected",
		.tag = "permissive",
		.fixes = {{"unbound", "val-permissive-mode: no in unbound.conf (and no "
				      "domain-insecure for the zones that matter)"},
			  {"dnsmasq", "remove dnssec-debug from dnsmasq.conf"},
			  {"*", "turn the resolver's permissive or debug mode off, so that bogus data "
				"is SERVFAIL for every client"}},
	},
	{
		.id = "ad-on-bogus",
		.level = TP_CAUSE_FAIL,
		.when = {"validation.bogus-sig:ad=1", "validation.*:verified=bogus",
			 "dane.*:verified=bogus"},
		.evidence = "validation.* dane.* ad-path.*",
		.title = "AD is set on bogus data: something sets AD without validating, or the "
			 "validator is broken",
		.tag = "AD on bogus",
		.fixes = {{"*", "let only a validating resolver on this host set AD; a forwarder must "
			   "not copy AD from an upstream it cannot trust"}},
	},
	{
		.id = "forwarder-ad",
		.fix_self = 1,
		.level = TP_CAUSE_WARN,
		.when = {"lab=forwarder"},
		.evidence = "validation.ad-secure=pass dane.tlsa=pass",
		.title = "a forwarder copies its upstream's AD bit ({upstream}) and validates "
			 "nothing itself: its answers are only as good as the upstream and the path "
			 "to it",
		.tag = "copies AD",
		.fixes = {{"dnsmasq", "dnssec with a current trust-anchor= instead of proxy-dnssec, or "
				      "point the mail host at the validator directly"},
			  {"*", "validate on this host, or point the mail host at the validator "
				"directly"}},
	},
	{
		.id = "client-flags",
		.level = TP_CAUSE_WARN,
		.when = {"ad-path.bogus-no-do:rcode=NOERROR,answer=A validation.bogus-sig:rcode=SERVFAIL"},
		.evidence = "ad-path.bogus-no-do",
		.title = "validates only when the client asks: bogus data goes to clients that set "
			 "neither DO nor AD",
		.tag = "validates on request",
		.fixes = {{"pdns", "dnssec=validate in /etc/powerdns/recursor.conf (Debian's default "
				   "is process)"},
			  {"*", "make the resolver validate for every client (PowerDNS Recursor: "
				"dnssec=validate)"}},
	},
	{
		.id = "forgery",
		.level = TP_CAUSE_FAIL,
		.when = {"denial.atk-*=fail", "denial.expired-*=fail", "denial.notyet-*=fail",
			 "denial.ds-mismatch-*=fail"},
		.evidence = FORGED_DENIALS,
		.title = "forged denials get through{via}: {names}",
		.tag = "forgeries {names}",
		.fixes = {{"unbound", "upgrade to 1.26.0 or later (the 2026 validator fixes; "
				      "Debian 12's 1.17.1 has none of them)"},
			  {"bind", "upgrade to a release with BIND's 2026 security fixes"},
			  {"pdns", "upgrade to 5.1.0 or later with the 2026-08 and 2026-10 "
				   "advisories applied (Debian 12's 4.8.8 has none of them)"},
			  {"knot", "upgrade to 5.7.7 or 6.4.1 or later (Debian 12's 5.6.0 has "
				   "neither fix)"},
			  {"dnsmasq", "no release is known to fix these: for DANE, validate with "
				      "another resolver (in the lab, BIND refuses every forgery)"},
			  {"*", "upgrade the resolver to a release with the 2026 validator fixes, or "
				"validate with one that refuses these (trustprobe lab shows which)"}},
	},
	{
		.id = "dname-gap",
		.level = TP_CAUSE_WARN,
		.when = {"validation.dname=warn", "dane.dname=warn"},
		.evidence = "validation.dname dane.dname denial.atk-e2-*=skip",
		.title = "DNAME is not validated: a TLSA behind a DNAME gets SERVFAIL (mail is "
			 "deferred, not downgraded)",
		.tag = "DNAME gap",
		.fixes = {{"dnsmasq", "2.90 cannot validate DNAME and has no setting for it: "
				      "accept it (--accept dname-gap) or validate with another resolver"},
			  {"*", "upgrade the resolver, or accept the gap (--accept dname-gap)"}},
	},
	{
		.id = "unanswered",
		.level = TP_CAUSE_UNKNOWN,
		.when = {"*=skip:essential=1,nozone=0"},
		.evidence = "*=skip:essential=1,nozone=0",
		.title = "an essential case could not be judged ({names}): the verdict stays "
			 "unknown; {why}",
		.tag = "unanswered {names}",
		.fixes = {{"bind", "9.18 answers B2 only after its 12 s fetch loop (README, "
				   "\"Forged denials\"): nothing to change in named; the case needs an "
				   "answer within 4.5 s"},
			  {"*", "ask the case's query by hand (-v shows it) and see whether and when "
				"the resolver answers"}},
	},
	{
		.id = "transport",
		.fix_self = 1,
		.level = TP_CAUSE_FAIL,
		.when = {"transport.*=fail"},
		.evidence = "transport.*",
		.title = "transport: {names} fails, so large or DNSSEC answers (TLSA over TCP) "
			 "cannot reach the client",
		.tag = "transport",
		.fixes = {{"unbound", "do-tcp: yes and edns-buffer-size: 1232 in unbound.conf; let "
				      "TCP port 53 through"},
			  {"*", "let UDP and TCP port 53 through every firewall and proxy on the path, "
				"and keep EDNS0 and the DO bit intact"}},
	},
	{
		/* the algorithm matrix (testvectors/cases, "matrix"): what RFC 8624, RFC 9904
		 * and RFC 4035 5.2 require of a cell, failed */
		.id = "algorithm-gap",
		.level = TP_CAUSE_WARN,
		.when = {"validation.alg*=fail", "validation.unknown-alg=fail",
			 "validation.digest*=fail"},
		.evidence = "validation.alg*=fail validation.unknown-alg=fail validation.digest*=fail",
		.title = "algorithm matrix: {names} fail: a MUST algorithm or DS digest type left "
			 "insecure, a MUST NOT one validated, or one it cannot use made bogus instead "
			 "of insecure{ede}",
		.tag = "algorithms {names}",
		.fixes = {{"*", "a resolver build whose crypto library validates every MUST "
			   "algorithm and digest type (RFC 8624 3.1, 3.3: 8, 10, 13; SHA-1, SHA-256) "
			   "and no MUST NOT one (1, 3, 6), and makes any other zone insecure, not "
			   "bogus (RFC 4035 5.2)"}},
	},
	{
		.id = "next-ksk",
		.level = TP_CAUSE_WARN,
		.when = {"root-trust.sentinel-next=warn"},
		.evidence = "root-trust.sentinel-next",
		.title = "does not trust the next root KSK yet (RFC 8509 sentinel: Vold): it breaks "
			 "when that key signs alone",
		.tag = "next KSK not trusted",
		.fixes = {{"unbound", "keep auto-trust-anchor-file (RFC 5011) and let its 30-day add "
				      "hold-down pass, or refresh it with unbound-anchor"},
			  {"bind", "dnssec-validation auto (managed keys, RFC 5011) and let the add "
				   "hold-down pass"},
			  {"knot", "a writable key file (trust_anchors.add_file(FILE, false)) so that "
				   "RFC 5011 can add the key, or a current dns-root-data"},
			  {"*", "add the next KSK to the resolver's trust anchor, or let RFC 5011 add "
				"it (30-day add hold-down)"}},
	},
	{
		.id = "no-zone",
		.level = TP_CAUSE_UNKNOWN,
		.when = {"*=skip:nozone=1"},
		.evidence = "*=skip:nozone=1",
		.title = "{n} cases need the test zone or a lab and did not run: the probe cannot "
			 "tell whether the resolver refuses forgeries",
		.tag = "no test zone",
		.fixes = {{"*", "give --zone ZONE (a deployed copy of testvectors/) or probe a lab "
			   "resolver with --lab DIR"}},
	},
	{
		/* RFC 9905 2: implementations MUST still validate RSASHA1 and
		 * RSASHA1-NSEC3-SHA1, operators MUST treat them as unsupported; either passes,
		 * and the operator should know which (trustprobe(1), Diagnosis) */
		.id = "sha1-insecure",
		.level = TP_CAUSE_INFO,
		.when = {"validation.alg5=pass:fwd:ad=0 " VALIDATES, "validation.alg7=pass:fwd:ad=0 "
			 VALIDATES},
		.evidence = "validation.alg5*=pass:fwd:ad=0 validation.alg7*=pass:fwd:ad=0",
		.title = "treats SHA-1 signatures (RSASHA1, RSASHA1-NSEC3-SHA1) as insecure, as "
			 "RFC 9905 asks of operators: zones still signed so get no AD here, so no "
			 "DANE",
		.tag = "SHA-1 insecure",
		.fixes = {{"*", "nothing to fix (RFC 9905 2); a domain you depend on that still "
			   "signs so should move to algorithm 8 or 13"}},
	},
	{
		.id = "sha1-validated",
		.level = TP_CAUSE_INFO,
		.when = {"validation.alg5=pass:fwd:ad=1 " VALIDATES, "validation.alg7=pass:fwd:ad=1 "
			 VALIDATES},
		.evidence = "validation.alg5*=pass:fwd:ad=1 validation.alg7*=pass:fwd:ad=1",
		.title = "validates SHA-1 signatures (RSASHA1, RSASHA1-NSEC3-SHA1), as RFC 8624 "
			 "requires; RFC 9905 asks operators to treat them as insecure",
		.tag = "SHA-1 validated",
		.fixes = {{"bind", "nothing required; to follow RFC 9905: disable-algorithms \".\" "
				   "{ RSASHA1; RSASHA1-NSEC3-SHA1; }; in the options of named.conf"},
			  {"*", "nothing required; to follow RFC 9905, turn the two algorithms off "
				"where the resolver has a setting for it (BIND: disable-algorithms)"}},
	},
	{
		.id = "algorithm-optional",
		.level = TP_CAUSE_INFO,
		.when = {"validation.alg*=pass:fwd:note=1,ad=0 " VALIDATES},
		.evidence = "validation.alg*=pass:fwd:note=1,ad=0",
		.title = "not validated, as RFC 8624 and RFC 9904 allow (insecure: zones signed so "
			 "get no DANE here): {names}{ede}",
		.tag = "optional algorithms insecure",
		.fixes = {{"*", "a resolver build whose crypto library has them (ECDSA P-384, "
			   "Ed25519, Ed448; SHA-384 DS), if domains you depend on use them"}},
	},
	{
		.id = "no-sentinel",
		.level = TP_CAUSE_INFO,
		.when = {"root-trust.sentinel-current=skip:is:answer=A "
			 "root-trust.sentinel-current:not:answer=A"},
		.evidence = "root-trust.sentinel-*=skip",
		.title = "no RFC 8509 sentinel support: which root keys it trusts cannot be seen "
			 "from outside",
		.tag = "no sentinel",
		.fixes = {{"*", "check its trust-anchor file instead: trustprobe anchors FILE"}},
	},
	{
		.id = "could-not-tell",
		.level = TP_CAUSE_INFO,
		.when = {"*=skip"},
		.evidence = "*=skip",
		.title = "could not tell ({names}): {why}",
		.tag = "could not tell",
		.fixes = {{"*", "each case's reason says why (-v)"}},
	},
	{
		.id = "other",
		.level = TP_CAUSE_INFO,
		.when = {"*=fail|warn"},
		.evidence = "*=fail|warn",
		.title = "other findings: {names}",
		.tag = "other",
		.fixes = {{"*", "each case's reason says what was observed and expected (-v)"}},
	},
};

/* Behaviour signatures, tried in order when the family is not known (outside the lab).
 * Seen with Debian 12's packages at their defaults; a resolver configured otherwise may
 * match none (family unknown: the generic fix) or, rarely, another. */
static const struct tp_diag_family families[] = {
	{"pdns", "validates only queries with DO or AD (dnssec=process), no RFC 8509 sentinel",
	 {"ad-path.bogus-no-do:rcode=NOERROR,answer=A validation.bogus-sig:rcode=SERVFAIL "
	  "root-trust.sentinel-current=skip:is:answer=A root-trust.sentinel-current:not:answer=A"}},
	{"dnsmasq", "NSEC3 over 150 iterations bogus, DNAME SERVFAIL, EDE 6 on bogus data",
	 {"validation.nsec3-iter151:rcode=SERVFAIL validation.dname:rcode=SERVFAIL "
	  "validation.bogus-sig:rcode=SERVFAIL,ede=6"}},
	{"knot", "EDE 7 for expired and 8 for not yet valid signatures",
	 {"validation.expired:rcode=SERVFAIL,ede=7 validation.notyet:rcode=SERVFAIL,ede=8"}},
	{"pdns", "no RFC 8509 sentinel, NSEC3 over 150 iterations insecure, DNAME validated",
	 {"root-trust.sentinel-current=skip:is:answer=A root-trust.sentinel-current:not:answer=A "
	  "validation.nsec3-iter151:rcode=NXDOMAIN,ad=0 validation.dname:ad=1 "
	  "!validation.bogus-sig:ede=6"}},
	{"unbound|bind", "RFC 8509 sentinel answered, no EDE on bogus data (unbound and BIND "
			 "look alike here)",
	 {"root-trust.sentinel-current=pass|fail validation.bogus-sig:rcode=SERVFAIL "
	  "!validation.*:*:ede=6 !validation.*:*:ede=7 !validation.*:*:ede=8"}},
};

const struct tp_diag_rule *tp_diag_rules(size_t *n)
{
	*n = sizeof rules / sizeof rules[0];
	return rules;
}

const struct tp_diag_family *tp_diag_families(size_t *n)
{
	*n = sizeof families / sizeof families[0];
	return families;
}
