/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_plan: static address plan. 127.53.0.0/24 holds authoritative servers,
 * 127.53.1.0/24 the resolvers under test, 127.53.2.0/24 spare addresses. */
#include "lab_plan.h"
#include <string.h>

static const struct lab_server servers[] = {
	{"root", "127.53.0.1"},
	{"tld", "127.53.0.2"},
	{"child", "127.53.0.3"},
	{"grandchild", "127.53.0.4"},
};

/* The trailing fields of an everyday instance (fault, clock_days) are left out: zero,
 * LAB_FAULT_NONE. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct lab_instance instances[] = {
	{"unbound-novalidate", LAB_UNBOUND, "127.53.1.6", 0, NULL,
	 "control: iterator only, never validates", LAB_TA_DEFAULT, 0},
	{"unbound", LAB_UNBOUND, "127.53.1.1", 1, NULL, "validating unbound", LAB_TA_DEFAULT, 0},
	{"bind", LAB_BIND, "127.53.1.2", 1, NULL, "validating BIND named", LAB_TA_DEFAULT, 0},
	{"pdns-recursor", LAB_PDNS_RECURSOR, "127.53.1.3", 1, NULL,
	 "PowerDNS Recursor with its default dnssec=process", LAB_TA_DEFAULT, 0},
	{"knot-resolver", LAB_KNOT_RESOLVER, "127.53.1.4", 1, NULL, "validating kresd", LAB_TA_DEFAULT, 0},
	{"dnsmasq", LAB_DNSMASQ, "127.53.1.5", 1, "unbound-novalidate",
	 "dnsmasq --dnssec validating in front of a non-validating upstream", LAB_TA_DEFAULT, 0},
	{"dnsmasq-proxy", LAB_DNSMASQ, "127.53.1.7", 0, "unbound",
	 "control: dnsmasq --proxy-dnssec copying its upstream's AD bit", LAB_TA_DEFAULT, 0},
	/* the forwarder matrix: a lying upstream and the forwarders in front of it */
	{"liar", LAB_PROXY_RESOLVER, "127.53.1.10", 0, "unbound-novalidate",
	 "control: a lying upstream resolver, AD set on every NOERROR/NXDOMAIN it relays",
	 LAB_TA_DEFAULT, 0},
	{"fwd-dnsmasq-proxy", LAB_DNSMASQ, "127.53.1.11", 0, "liar",
	 "forwarder: dnsmasq --proxy-dnssec in front of the liar", LAB_TA_DEFAULT, 0},
	{"fwd-dnsmasq", LAB_DNSMASQ, "127.53.1.12", 1, "liar",
	 "forwarder: dnsmasq --dnssec in front of the liar", LAB_TA_DEFAULT, 0},
	{"fwd-unbound", LAB_UNBOUND, "127.53.1.13", 1, "liar",
	 "forwarder: validating unbound, forward-zone \".\" to the liar", LAB_TA_DEFAULT, 0},
	{"fwd-bind", LAB_BIND, "127.53.1.14", 1, "liar",
	 "forwarder: validating BIND named, forward only to the liar", LAB_TA_DEFAULT, 0},
	{"fwd-pdns-recursor", LAB_PDNS_RECURSOR, "127.53.1.15", 1, "liar",
	 "forwarder: PowerDNS Recursor (dnssec=process), forward-zones-recurse .=liar",
	 LAB_TA_DEFAULT, 0},
	/* The misconfiguration matrix (issue 10): the family's lab config with one change
	 * each (enum lab_fault; lab_conf.c writes it), started only when named. Each starts
	 * from the family's validating config (validate 1), which the fault may turn off.
	 * unbound's "validation off" is the unbound-novalidate control above. */
#define MIS(name, kind, addr, up, note, fault, days) \
	{name, kind, addr, 1, up, note, LAB_TA_DEFAULT, 0, fault, days}
	MIS("mis-unbound-permissive", LAB_UNBOUND, "127.53.1.20", NULL,
	    "misconfigured: unbound val-permissive-mode: yes", LAB_FAULT_PERMISSIVE, 0),
	MIS("mis-unbound-anchor", LAB_UNBOUND, "127.53.1.21", NULL,
	    "misconfigured: unbound seeded with Debian's root.key (the real root's KSKs)",
	    LAB_FAULT_DISTRO_ANCHOR, 0),
	MIS("mis-unbound-clock-ahead", LAB_UNBOUND, "127.53.1.22", NULL,
	    "misconfigured: unbound with its clock 10 days ahead", LAB_FAULT_CLOCK, 10),
	MIS("mis-bind-novalidate", LAB_BIND, "127.53.1.23", NULL,
	    "misconfigured: BIND dnssec-validation no", LAB_FAULT_NO_VALIDATION, 0),
	MIS("mis-bind-anchor", LAB_BIND, "127.53.1.24", NULL,
	    "misconfigured: BIND dnssec-validation auto (named's built-in real root key)",
	    LAB_FAULT_DISTRO_ANCHOR, 0),
	MIS("mis-bind-accept-expired", LAB_BIND, "127.53.1.25", NULL,
	    "misconfigured: BIND dnssec-accept-expired yes", LAB_FAULT_ACCEPT_EXPIRED, 0),
	MIS("mis-pdns-off", LAB_PDNS_RECURSOR, "127.53.1.26", NULL,
	    "misconfigured: PowerDNS Recursor dnssec=off", LAB_FAULT_NO_VALIDATION, 0),
	MIS("mis-pdns-anchor", LAB_PDNS_RECURSOR, "127.53.1.27", NULL,
	    "misconfigured: PowerDNS Recursor with Debian's rootkeys.lua (the real root's KSKs)",
	    LAB_FAULT_DISTRO_ANCHOR, 0),
	MIS("mis-pdns-clock-behind", LAB_PDNS_RECURSOR, "127.53.1.28", NULL,
	    "misconfigured: PowerDNS Recursor with its clock 20 days behind", LAB_FAULT_CLOCK, -20),
	MIS("mis-knot-noanchor", LAB_KNOT_RESOLVER, "127.53.1.29", NULL,
	    "misconfigured: kresd with no root trust anchor (validation off)",
	    LAB_FAULT_NO_VALIDATION, 0),
	MIS("mis-knot-anchor", LAB_KNOT_RESOLVER, "127.53.1.30", NULL,
	    "misconfigured: kresd with Debian's preloaded root.key (the real root's KSKs)",
	    LAB_FAULT_DISTRO_ANCHOR, 0),
	MIS("mis-knot-clock-ahead", LAB_KNOT_RESOLVER, "127.53.1.31", NULL,
	    "misconfigured: kresd with its clock 10 days ahead", LAB_FAULT_CLOCK, 10),
	MIS("mis-knot-clock-behind", LAB_KNOT_RESOLVER, "127.53.1.32", NULL,
	    "misconfigured: kresd with its clock 20 days behind", LAB_FAULT_CLOCK, -20),
	MIS("mis-dnsmasq-nodnssec", LAB_DNSMASQ, "127.53.1.33", "unbound-novalidate",
	    "misconfigured: dnsmasq without dnssec in front of a non-validating upstream",
	    LAB_FAULT_NO_VALIDATION, 0),
	MIS("mis-dnsmasq-debug", LAB_DNSMASQ, "127.53.1.34", "unbound-novalidate",
	    "misconfigured: dnsmasq --dnssec with dnssec-debug", LAB_FAULT_PERMISSIVE, 0),
	MIS("mis-dnsmasq-anchor", LAB_DNSMASQ, "127.53.1.35", "unbound-novalidate",
	    "misconfigured: dnsmasq --dnssec with Debian's trust-anchors.conf (KSK-2017)",
	    LAB_FAULT_DISTRO_ANCHOR, 0),
	MIS("mis-dnsmasq-clock-ahead", LAB_DNSMASQ, "127.53.1.36", "unbound-novalidate",
	    "misconfigured: dnsmasq --dnssec with its clock 10 days ahead", LAB_FAULT_CLOCK, 10),
#undef MIS
	{"unbound-static-current", LAB_UNBOUND, "127.53.1.8", 1, NULL,
	 "roll control: static trust-anchor-file with the current KSK only, no RFC 5011",
	 LAB_TA_STATIC_CURRENT, 1},
	{"unbound-static-both", LAB_UNBOUND, "127.53.1.9", 1, NULL,
	 "roll control: static trust-anchor-file with both KSKs, no RFC 5011",
	 LAB_TA_STATIC_BOTH, 1},
};
#pragma GCC diagnostic pop

static const char *const spares[] = {"127.53.2.1", "127.53.2.2", "127.53.2.3",
				     "127.53.2.4", NULL};

const struct lab_server *lab_servers(size_t *n)
{
	*n = sizeof servers / sizeof servers[0];
	return servers;
}

const struct lab_instance *lab_instances(size_t *n)
{
	*n = sizeof instances / sizeof instances[0];
	return instances;
}

const struct lab_instance *lab_instance_find(const char *name)
{
	for (size_t i = 0; i < sizeof instances / sizeof instances[0]; i++)
		if (strcmp(instances[i].name, name) == 0)
			return &instances[i];
	return NULL;
}

const char *lab_server_addr(const char *name)
{
	for (size_t i = 0; i < sizeof servers / sizeof servers[0]; i++)
		if (strcmp(servers[i].name, name) == 0)
			return servers[i].addr;
	return NULL;
}

const char *const *lab_spare_addrs(void)
{
	return spares;
}

const char *lab_proxy_addr(void)
{
	return "127.53.0.5";
}

const char *lab_kind_program(enum lab_kind k)
{
	switch (k) {
	case LAB_UNBOUND: return "unbound";
	case LAB_BIND: return "named";
	case LAB_PDNS_RECURSOR: return "pdns_recursor";
	case LAB_KNOT_RESOLVER: return "kresd";
	case LAB_DNSMASQ: return "dnsmasq";
	case LAB_PROXY_RESOLVER: return "trustprobe";
	}
	return "?";
}
