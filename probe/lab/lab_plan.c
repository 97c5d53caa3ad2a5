/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_plan: static address plan. 127.53.0.0/24 holds authoritative servers,
 * 127.53.1.0/24 the resolvers under test, 127.53.2.0/24 spare addresses, 127.53.3.0/24
 * the lab's services (its MX), 127.53.4.0/24 the instances a run adds (lab_user.h). */
#include "lab_plan.h"
#include <stdio.h>
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
#define MIS(name, kind, n, up, fault, days, note)                                        \
	{name, LAB_##kind, "127.53.1." #n, 1, up, "misconfigured: " note, LAB_TA_DEFAULT, 0,    \
	 LAB_FAULT_##fault, days}
#define NV "unbound-novalidate"
	MIS("mis-unbound-permissive", UNBOUND, 20, NULL, PERMISSIVE, 0, "val-permissive-mode: yes"),
	MIS("mis-unbound-anchor", UNBOUND, 21, NULL, DISTRO_ANCHOR, 0, "Debian's root.key (real root)"),
	MIS("mis-unbound-clock-ahead", UNBOUND, 22, NULL, CLOCK, 10, "clock 10 days ahead"),
	/* BIND's anchor fault: dnssec-validation auto, named's built-in real root key */
	MIS("mis-bind-novalidate", BIND, 23, NULL, NO_VALIDATION, 0, "dnssec-validation no"),
	MIS("mis-bind-anchor", BIND, 24, NULL, DISTRO_ANCHOR, 0, "named's built-in real root key"),
	MIS("mis-bind-accept-expired", BIND, 25, NULL, ACCEPT_EXPIRED, 0, "dnssec-accept-expired yes"),
	/* PowerDNS Recursor's anchor fault: Debian's recursor.lua (rootkeys.lua) */
	MIS("mis-pdns-off", PDNS_RECURSOR, 26, NULL, NO_VALIDATION, 0, "dnssec=off"),
	MIS("mis-pdns-anchor", PDNS_RECURSOR, 27, NULL, DISTRO_ANCHOR, 0, "Debian's rootkeys.lua"),
	MIS("mis-pdns-clock-behind", PDNS_RECURSOR, 28, NULL, CLOCK, -20, "clock 20 days behind"),
	/* kresd without a trust anchor validates nothing */
	MIS("mis-knot-noanchor", KNOT_RESOLVER, 29, NULL, NO_VALIDATION, 0, "no trust anchor"),
	MIS("mis-knot-anchor", KNOT_RESOLVER, 30, NULL, DISTRO_ANCHOR, 0, "Debian's root.key kept"),
	MIS("mis-knot-clock-ahead", KNOT_RESOLVER, 31, NULL, CLOCK, 10, "clock 10 days ahead"),
	MIS("mis-knot-clock-behind", KNOT_RESOLVER, 32, NULL, CLOCK, -20, "clock 20 days behind"),
	/* dnsmasq in front of the non-validating unbound, as the lab's dnsmasq */
	MIS("mis-dnsmasq-nodnssec", DNSMASQ, 33, NV, NO_VALIDATION, 0, "no dnssec"),
	MIS("mis-dnsmasq-debug", DNSMASQ, 34, NV, PERMISSIVE, 0, "dnssec-debug"),
	MIS("mis-dnsmasq-anchor", DNSMASQ, 35, NV, DISTRO_ANCHOR, 0, "Debian's trust-anchors.conf"),
	MIS("mis-dnsmasq-clock-ahead", DNSMASQ, 36, NV, CLOCK, 10, "clock 10 days ahead"),
#undef NV
#undef MIS
	/* Hostile resolvers (issue 15): the lying resolver misbehaving one way each
	 * (proxy_hostile.h), started only when named or with --resolvers hostile. The probe
	 * must end within -t and say unknown, and why. */
#define HOSTILE(mode, n, note)                                                             \
	{"hostile-" mode, LAB_PROXY_RESOLVER, "127.53.6." #n, 0, "unbound-novalidate",         \
	 "hostile: " note, LAB_TA_DEFAULT, 0, LAB_FAULT_NONE, 0, mode}
	HOSTILE("silent", 1, "never answers"),
	HOSTILE("slow", 2, "answers 15 s late"),
	HOSTILE("wrong-id", 3, "answers with another message ID"),
	HOSTILE("wrong-question", 4, "answers another question"),
	HOSTILE("garbage", 5, "answers bytes that do not parse"),
	HOSTILE("tc", 6, "TC on every answer, UDP and TCP"),
	HOSTILE("tcp-cut", 7, "TC over UDP; TCP answers cut short, then closed"),
	HOSTILE("tcp-stall", 8, "TC over UDP; TCP answers cut short, then nothing"),
	HOSTILE("huge", 9, "answers of the largest size that do not parse"),
	HOSTILE("tcp-hang", 10, "TC over UDP; TCP never accepted"),
	HOSTILE("flood", 11, "a flood of replies with wrong IDs, never the answer"),
#undef HOSTILE
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

/* This run's table: a copy of instances[], then the instances the run added; extra[i] is
 * what the run adds to table[i]. */
static struct lab_instance table[LAB_MAX_INSTANCES];
static struct lab_run_extra extra[LAB_MAX_INSTANCES];
static size_t n_table, n_added;
static char added_addr[LAB_MAX_USER][16];

static void table_init(void)
{
	if (n_table)
		return;
	_Static_assert(sizeof instances / sizeof instances[0] + LAB_MAX_USER <= LAB_MAX_INSTANCES,
		       "LAB_MAX_INSTANCES too small");
	n_table = sizeof instances / sizeof instances[0];
	memcpy(table, instances, sizeof instances);
}

const struct lab_instance *lab_instances(size_t *n)
{
	table_init();
	*n = n_table;
	return table;
}

/* The index of the entry named name, or -1. */
static long find(const char *name)
{
	table_init();
	for (size_t i = 0; name && i < n_table; i++)
		if (strcmp(table[i].name, name) == 0)
			return (long)i;
	return -1;
}

const struct lab_instance *lab_instance_find(const char *name)
{
	long i = find(name);
	return i < 0 ? NULL : &table[i];
}

const struct lab_run_extra *lab_instance_run(const struct lab_instance *li)
{
	static const struct lab_run_extra none;
	table_init();
	return li >= table && li < table + n_table ? &extra[li - table] : &none;
}

struct lab_run_extra *lab_instance_run_edit(const char *name)
{
	long i = find(name);
	return i < 0 ? NULL : &extra[i];
}

const struct lab_instance *lab_instance_add(const struct lab_instance *in,
					    const struct lab_run_extra *x)
{
	if (!in || !in->name || find(in->name) >= 0 || n_added >= LAB_MAX_USER)
		return NULL;
	snprintf(added_addr[n_added], sizeof added_addr[n_added], "127.53.4.%zu", n_added + 1);
	table[n_table] = *in;
	if (!in->addr) /* else the address a lab.env recorded (lab_user_load_env) */
		table[n_table].addr = added_addr[n_added];
	n_added++;
	extra[n_table] = x ? *x : (struct lab_run_extra){0};
	return &table[n_table++];
}

void lab_instances_reset(void)
{
	n_table = n_added = 0;
	memset(extra, 0, sizeof extra);
	table_init();
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

const char *lab_mta_addr(void)
{
	return "127.53.3.1";
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
