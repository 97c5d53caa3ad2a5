/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* roll_timeline: see roll_timeline.h. */
#include "roll_timeline.h"
#include <jansson.h>
#include <string.h>

static const struct lab_roll_step steps[LAB_ROLL_STEPS] = {
	{"publish-next", SIGNER_ROOT_PUBLISH_NEXT, 0,
	 "next KSK published beside current; current signs (the lab's start)"},
	{"add-holddown", SIGNER_ROOT_PUBLISH_NEXT, 0,
	 "the same root after the RFC 5011 add hold-down (compressed) has passed"},
	{"next-signs", SIGNER_ROOT_NEXT_SIGNS, 1,
	 "next KSK signs the root DNSKEY RRset alone; current still published"},
	{"current-revoked", SIGNER_ROOT_CURRENT_REVOKED, 1,
	 "current KSK published with REVOKE (flags 385), signing beside next"},
	{"current-removed", SIGNER_ROOT_CURRENT_REMOVED, 1,
	 "current KSK removed; next signs alone"},
};

const struct lab_roll_step *lab_roll_steps(void)
{
	return steps;
}

static const struct {
	const char *name;
	enum lab_roll_role role;
	const char *why_not;
} roles[] = {
	{"unbound", LAB_ROLE_RFC5011, NULL},
	{"bind", LAB_ROLE_RFC5011, NULL},
	{"knot-resolver", LAB_ROLE_RFC5011, NULL},
	{"unbound-static-current", LAB_ROLE_STATIC_CURRENT, NULL},
	{"unbound-static-both", LAB_ROLE_STATIC_BOTH, NULL},
	{"pdns-recursor", LAB_ROLE_NOT_REHEARSED,
	 "static anchor (addTA in its Lua config), no RFC 5011 and no RFC 8509 sentinel in 4.8: "
	 "it keeps what it was given; the unbound-static-current control shows that case"},
	{"dnsmasq", LAB_ROLE_NOT_REHEARSED,
	 "static --trust-anchor (DS form), no RFC 5011 and no RFC 8509 sentinel: it keeps what "
	 "it was given; the unbound-static-current control shows that case"},
	{"dnsmasq-proxy", LAB_ROLE_NOT_REHEARSED,
	 "does not validate: copies its upstream's AD bit"},
	{"unbound-novalidate", LAB_ROLE_NOT_REHEARSED, "does not validate"},
	{"liar", LAB_ROLE_NOT_REHEARSED,
	 "does not validate: the forwarder matrix's lying upstream, AD on everything"},
	{"fwd-dnsmasq-proxy", LAB_ROLE_NOT_REHEARSED,
	 "does not validate: copies the liar's AD bit"},
	{"fwd-dnsmasq", LAB_ROLE_NOT_REHEARSED,
	 "a forwarder of the forwarder matrix; its anchor is dnsmasq's static one (see dnsmasq)"},
	{"fwd-unbound", LAB_ROLE_NOT_REHEARSED,
	 "a forwarder of the forwarder matrix; the rehearsal covers unbound's RFC 5011 directly"},
	{"fwd-bind", LAB_ROLE_NOT_REHEARSED,
	 "a forwarder of the forwarder matrix; the rehearsal covers BIND's RFC 5011 directly"},
	{"fwd-pdns-recursor", LAB_ROLE_NOT_REHEARSED,
	 "a forwarder of the forwarder matrix; its anchor is static (see pdns-recursor)"},
};

enum lab_roll_role lab_roll_role_of(const char *name, const char **why)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(roles[i].name, name) == 0) {
			if (why)
				*why = roles[i].why_not;
			return roles[i].role;
		}
	if (why)
		*why = "not an instance the rehearsal knows";
	return LAB_ROLE_NOT_REHEARSED;
}

/* Expectations, per instance and step, and their sources. The classes are RFC 8509's for
 * the tag of each lab KSK (section 3: only keys the resolver uses as trust anchors count;
 * a key in RFC 5011 AddPend does not). */
#define UB_ADDPEND "unbound: a new KSK is AddPend until add-holddown has passed and it was " \
	"seen in 2 probes (validator/autotrust.c do_addtime, MIN_PENDINGCOUNT)"
#define UB_VALID "unbound: after add-holddown the next KSK is Valid (autotrust.c do_addtime)"
#define UB_STILL "unbound: current stays Valid while it is published; next now signs and is Valid"
#define UB_REVOKED "unbound: a self-signed REVOKE moves current to Revoked at once " \
	"(autotrust.c check_contains_revoked, do_revoked); it is no longer an anchor"
#define UB_REMOVED "unbound: current stays Revoked, then Removed after del-holddown (do_remtime)"
#define BIND_INIT "BIND: while every KEYDATA has addhd 0 (only the initial-key) the managed " \
	"key is 'initializing', and each new KSK in a DNSKEY RRset the initial key validates is " \
	"trusted at once, \"waiving the normal 30-day waiting period\" (lib/dns/zone.c " \
	"keyfetch_done)"
#define BIND_REVOKED "BIND: a trusted key seen with REVOKE that self-signs is untrusted at " \
	"once (dns_view_untrust) and its removal hold-down starts (lib/dns/zone.c " \
	"keyfetch_done, RFC 5011 2.1)"
#define KR_ADDPEND "kresd: with a managed key file (add_file(path, false)) a new KSK is " \
	"AddPend for hold_down_time (kres_modules/ta_update.lua ta_present, RFC 5011 2.4.1)"
#define KR_VALID "kresd: after hold_down_time the next KSK is Valid"
#define KR_REVOKED "kresd: a REVOKEd self-signed key becomes Revoked and is no longer an " \
	"anchor (kres_modules/ta_update.lua, RFC 5011 2.1)"
#define SC_BEFORE "static anchor with the current KSK only: validates while current signs"
#define SC_BREAK "static anchor with the current KSK only (trust-anchor-file, no RFC 5011): " \
	"once next signs alone nothing it trusts signs the root DNSKEY RRset, so it is bogus; " \
	"names below test. still validate through the test. DS and DNSKEY it cached before " \
	"(TTL 3600), so the sentinels keep their old answers until those expire"
#define SB_ALL "static anchor with both KSKs: whichever signs, it has a trusted key; a " \
	"static anchor is never revoked (unbound.conf(5) trust-anchor-file)"

struct xrow {
	const char *name;
	struct lab_roll_expect e[LAB_ROLL_STEPS];
};

static const struct xrow expect[] = {
	{"unbound", {{1, LAB_RC_VNEW, LAB_RC_VOLD, UB_ADDPEND},
		     {1, LAB_RC_VNEW, LAB_RC_VNEW, UB_VALID},
		     {1, LAB_RC_VNEW, LAB_RC_VNEW, UB_STILL},
		     {1, LAB_RC_VOLD, LAB_RC_VNEW, UB_REVOKED},
		     {1, LAB_RC_VOLD, LAB_RC_VNEW, UB_REMOVED}}},
	{"bind", {{1, LAB_RC_VNEW, LAB_RC_VNEW, BIND_INIT},
		  {1, LAB_RC_VNEW, LAB_RC_VNEW, BIND_INIT},
		  {1, LAB_RC_VNEW, LAB_RC_VNEW, BIND_INIT},
		  {1, LAB_RC_VOLD, LAB_RC_VNEW, BIND_REVOKED},
		  {1, LAB_RC_VOLD, LAB_RC_VNEW, BIND_REVOKED}}},
	{"knot-resolver", {{1, LAB_RC_VNEW, LAB_RC_VOLD, KR_ADDPEND},
			   {1, LAB_RC_VNEW, LAB_RC_VNEW, KR_VALID},
			   {1, LAB_RC_VNEW, LAB_RC_VNEW, KR_VALID},
			   {1, LAB_RC_VOLD, LAB_RC_VNEW, KR_REVOKED},
			   {1, LAB_RC_VOLD, LAB_RC_VNEW, KR_REVOKED}}},
	{"unbound-static-current", {{1, LAB_RC_VNEW, LAB_RC_VOLD, SC_BEFORE},
				    {1, LAB_RC_VNEW, LAB_RC_VOLD, SC_BEFORE},
				    {0, LAB_RC_VNEW, LAB_RC_VOLD, SC_BREAK},
				    {0, LAB_RC_VNEW, LAB_RC_VOLD, SC_BREAK},
				    {0, LAB_RC_VNEW, LAB_RC_VOLD, SC_BREAK}}},
	{"unbound-static-both", {{1, LAB_RC_VNEW, LAB_RC_VNEW, SB_ALL},
				 {1, LAB_RC_VNEW, LAB_RC_VNEW, SB_ALL},
				 {1, LAB_RC_VNEW, LAB_RC_VNEW, SB_ALL},
				 {1, LAB_RC_VNEW, LAB_RC_VNEW, SB_ALL},
				 {1, LAB_RC_VNEW, LAB_RC_VNEW, SB_ALL}}},
};

int lab_roll_expected(const char *name, size_t s, struct lab_roll_expect *e)
{
	if (s >= LAB_ROLL_STEPS)
		return -1;
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
		if (strcmp(expect[i].name, name) == 0) {
			*e = expect[i].e[s];
			return 0;
		}
	return -1;
}

enum lab_roll_class lab_roll_class_of(const struct tp_finding *f)
{
	/* the catalogue's outcome notes (testvectors/cases, root-trust.sentinel-*) */
	static const struct {
		const char *note;
		enum lab_roll_class c;
	} notes[] = {{"(Vnew:", LAB_RC_VNEW}, {"(Vold:", LAB_RC_VOLD}, {"(Vind:", LAB_RC_VIND},
		     {"(nonV:", LAB_RC_NONV}};
	for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
		if (strstr(f->reason, notes[i].note))
			return notes[i].c;
	return LAB_RC_NONE;
}

const char *lab_roll_class_name(enum lab_roll_class c)
{
	switch (c) {
	case LAB_RC_VNEW: return "Vnew";
	case LAB_RC_VOLD: return "Vold";
	case LAB_RC_VIND: return "Vind";
	case LAB_RC_NONV: return "nonV";
	case LAB_RC_NONE: break;
	}
	return "-";
}

void lab_roll_judge(const struct lab_roll_row *row, size_t s, struct lab_roll_cell *c)
{
	struct lab_roll_expect e;
	c->brk[0] = '\0';
	if (!c->ok)
		snprintf(c->brk, sizeof c->brk, "root DNSKEY RRset does not validate at %s "
			 "(root-trust.dnskey failed: no answer with AD)", steps[s].name);
	else if (c->cur == LAB_RC_NONV || c->next == LAB_RC_NONV)
		snprintf(c->brk, sizeof c->brk, "answers bogus data at %s", steps[s].name);
	c->as_expected = 0;
	if (lab_roll_expected(row->name, s, &e) == 0)
		c->as_expected = c->ok == e.ok && c->cur == e.cur && c->next == e.next;
}

int lab_roll_all_as_expected(const struct lab_roll_timeline *tl)
{
	for (size_t i = 0; i < tl->n; i++) {
		const struct lab_roll_row *r = &tl->rows[i];
		if (r->role == LAB_ROLE_NOT_REHEARSED)
			continue;
		/* a rehearsed resolver that was not probed at a step that ran is no "as
		 * expected": the rehearsal could not show it */
		for (size_t s = 0; s < LAB_ROLL_STEPS && (int)s < tl->steps_done; s++)
			if (!r->cell[s].probed || !r->cell[s].as_expected)
				return 0;
	}
	return 1;
}

static const char *role_name(enum lab_roll_role r)
{
	switch (r) {
	case LAB_ROLE_RFC5011: return "rfc5011";
	case LAB_ROLE_STATIC_CURRENT: return "control-static-current";
	case LAB_ROLE_STATIC_BOTH: return "control-static-both";
	case LAB_ROLE_NOT_REHEARSED: break;
	}
	return "not-rehearsed";
}

/* "ok Vnew/Vold" or "BREAK -/-", with a '!' when it differs from the expectation. */
static void cell_text(const struct lab_roll_cell *c, char *out, size_t n)
{
	if (!c->probed) {
		snprintf(out, n, "(not reached)");
		return;
	}
	snprintf(out, n, "%s %s/%s%s", c->ok ? "ok" : "BREAK", lab_roll_class_name(c->cur),
		 lab_roll_class_name(c->next), c->as_expected ? "" : " !");
}

int lab_roll_render_text(FILE *f, const struct lab_roll_timeline *tl)
{
	fprintf(f, "Root KSK roll rehearsal: current KSK %u (revoked: %u), next KSK %u; "
		   "hold-downs %u s, root DNSKEY TTL %u s\n",
		tl->tag_cur, tl->tag_cur_revoked, tl->tag_next, tl->holddown, tl->dnskey_ttl);
	fprintf(f, "Cells: verdict (ok = root DNSKEY validates, BREAK = it does not), then the "
		   "RFC 8509 class of current/next; '!' = not as expected\n\n");
	fprintf(f, "%-24s", "resolver");
	for (size_t s = 0; s < LAB_ROLL_STEPS; s++)
		fprintf(f, " %-17s", steps[s].name);
	fputc('\n', f);
	fprintf(f, "%-24s", "  (probed at)");
	for (size_t s = 0; s < LAB_ROLL_STEPS; s++) {
		char t[24] = "";
		double when = 0;
		for (size_t i = 0; i < tl->n; i++)
			if (tl->rows[i].cell[s].probed && tl->rows[i].cell[s].t > when)
				when = tl->rows[i].cell[s].t;
		if (when > 0)
			snprintf(t, sizeof t, "t=%.1fs", when);
		fprintf(f, " %-17s", t);
	}
	fputc('\n', f);
	for (size_t i = 0; i < tl->n; i++) {
		const struct lab_roll_row *r = &tl->rows[i];
		fprintf(f, "%-24s", r->name);
		if (r->role == LAB_ROLE_NOT_REHEARSED) {
			fprintf(f, " not rehearsed: %s\n", r->why_not ? r->why_not : "");
			continue;
		}
		for (size_t s = 0; s < LAB_ROLL_STEPS; s++) {
			char c[40];
			cell_text(&r->cell[s], c, sizeof c);
			fprintf(f, " %-17s", c);
		}
		fputc('\n', f);
		fprintf(f, "%-24s", "  anchor");
		for (size_t s = 0; s < LAB_ROLL_STEPS; s++)
			fprintf(f, " %-17.17s", r->cell[s].probed ? r->cell[s].anchor : "");
		fputc('\n', f);
		if (tl->signals_seen) {
			fprintf(f, "%-24s", "  RFC 8145 _ta");
			for (size_t s = 0; s < LAB_ROLL_STEPS; s++)
				fprintf(f, " %-17.17s", !r->cell[s].probed ? "" :
						       r->cell[s].signals[0] ? r->cell[s].signals : "-");
			fputc('\n', f);
		}
	}
	fprintf(f, "\nAnchor states%s in full:\n", tl->signals_seen ? " and RFC 8145 signals" : "");
	for (size_t i = 0; i < tl->n; i++) {
		const struct lab_roll_row *r = &tl->rows[i];
		if (r->role == LAB_ROLE_NOT_REHEARSED)
			continue;
		for (size_t s = 0; s < LAB_ROLL_STEPS; s++) {
			const struct lab_roll_cell *c = &r->cell[s];
			if (!c->probed)
				continue;
			fprintf(f, "  %s at %s: %s", r->name, steps[s].name,
				c->anchor[0] ? c->anchor : "-");
			if (tl->signals_seen)
				fprintf(f, "; signalled %s", c->signals[0] ? c->signals : "nothing");
			fputc('\n', f);
		}
	}
	if (tl->signals_seen)
		fprintf(f, "Signals are the _ta- queries that reached the root (through the lab "
			   "proxy) during the step; \"(A)\": asked with QTYPE A, not RFC 8145's NULL.\n");
	int breaks = 0;
	for (size_t i = 0; i < tl->n; i++)
		for (size_t s = 0; s < LAB_ROLL_STEPS; s++)
			if (tl->rows[i].cell[s].probed && tl->rows[i].cell[s].brk[0]) {
				if (!breaks++)
					fprintf(f, "\nBreaks:\n");
				fprintf(f, "  %s: %s\n", tl->rows[i].name, tl->rows[i].cell[s].brk);
				break; /* the first break of each resolver names it */
			}
	fprintf(f, "\nExpected (verdict current/next) and why:\n");
	for (size_t i = 0; i < tl->n; i++) {
		const struct lab_roll_row *r = &tl->rows[i];
		if (r->role == LAB_ROLE_NOT_REHEARSED)
			continue;
		const char *last = NULL;
		for (size_t s = 0; s < LAB_ROLL_STEPS; s++) {
			struct lab_roll_expect e;
			if (lab_roll_expected(r->name, s, &e) != 0)
				continue;
			fprintf(f, "  %-22s %-16s %s %s/%s%s%s\n", s ? "" : r->name, steps[s].name,
				e.ok ? "ok" : "BREAK", lab_roll_class_name(e.cur),
				lab_roll_class_name(e.next), e.why != last ? "  " : "",
				e.why != last ? e.why : "");
			last = e.why;
		}
	}
	fprintf(f, "\nRehearsal: %s; wall time %.1f s\n",
		lab_roll_all_as_expected(tl) ? "every resolver as expected" :
					       "some resolver NOT as expected ('!')",
		tl->wall_s);
	return ferror(f) ? -1 : 0;
}

/* {"schema": 1, "keys": {...}, "steps": [...], "resolvers": [{name, software, role,
 *  not_rehearsed, timeline: [{step, t, verdict, ok, sentinel_current, sentinel_next,
 *  anchor, break, signals, as_expected, expected: {...}}]}], "as_expected", "wall_s"} */
int lab_roll_render_json(FILE *f, const struct lab_roll_timeline *tl)
{
	json_t *o = json_object(), *keys = json_object(), *js = json_array(),
	       *jr = json_array();
	if (!o || !keys || !js || !jr) {
		json_decref(o);
		json_decref(keys);
		json_decref(js);
		json_decref(jr);
		return -1;
	}
	json_object_set_new(o, "schema", json_integer(1));
	json_object_set_new(keys, "current", json_integer(tl->tag_cur));
	json_object_set_new(keys, "current_revoked", json_integer(tl->tag_cur_revoked));
	json_object_set_new(keys, "next", json_integer(tl->tag_next));
	json_object_set_new(o, "keys", keys);
	json_object_set_new(o, "holddown_s", json_integer(tl->holddown));
	json_object_set_new(o, "dnskey_ttl", json_integer(tl->dnskey_ttl));
	for (size_t s = 0; s < LAB_ROLL_STEPS; s++) {
		json_t *st = json_object();
		json_object_set_new(st, "name", json_string(steps[s].name));
		json_object_set_new(st, "what", json_string(steps[s].what));
		json_object_set_new(st, "t", (int)s < tl->steps_done ? json_real(tl->step_t[s])
								     : json_null());
		json_array_append_new(js, st);
	}
	json_object_set_new(o, "steps", js);
	for (size_t i = 0; i < tl->n; i++) {
		const struct lab_roll_row *r = &tl->rows[i];
		json_t *ro = json_object(), *line = json_array();
		json_object_set_new(ro, "name", json_string(r->name));
		json_object_set_new(ro, "software", json_string(r->software));
		json_object_set_new(ro, "role", json_string(role_name(r->role)));
		json_object_set_new(ro, "not_rehearsed", r->role == LAB_ROLE_NOT_REHEARSED ?
				    json_string(r->why_not ? r->why_not : "") : json_null());
		for (size_t s = 0; r->role != LAB_ROLE_NOT_REHEARSED && s < LAB_ROLL_STEPS; s++) {
			const struct lab_roll_cell *c = &r->cell[s];
			struct lab_roll_expect e;
			json_t *co = json_object();
			json_object_set_new(co, "step", json_string(steps[s].name));
			json_object_set_new(co, "probed", json_boolean(c->probed));
			if (c->probed) {
				json_object_set_new(co, "t", json_real(c->t));
				json_object_set_new(co, "verdict", json_string(c->ok ? "ok" : "break"));
				json_object_set_new(co, "sentinel_current",
						    json_string(lab_roll_class_name(c->cur)));
				json_object_set_new(co, "sentinel_next",
						    json_string(lab_roll_class_name(c->next)));
				json_object_set_new(co, "anchor", json_string(c->anchor));
				json_object_set_new(co, "break", c->brk[0] ? json_string(c->brk)
									   : json_null());
				json_object_set_new(co, "signals", json_string(c->signals));
				json_object_set_new(co, "as_expected", json_boolean(c->as_expected));
			}
			if (lab_roll_expected(r->name, s, &e) == 0) {
				json_t *eo = json_object();
				json_object_set_new(eo, "verdict", json_string(e.ok ? "ok" : "break"));
				json_object_set_new(eo, "sentinel_current",
						    json_string(lab_roll_class_name(e.cur)));
				json_object_set_new(eo, "sentinel_next",
						    json_string(lab_roll_class_name(e.next)));
				json_object_set_new(eo, "why", json_string(e.why));
				json_object_set_new(co, "expected", eo);
			}
			json_array_append_new(line, co);
		}
		json_object_set_new(ro, "timeline", line);
		json_array_append_new(jr, ro);
	}
	json_object_set_new(o, "resolvers", jr);
	json_object_set_new(o, "signals_recorded", json_boolean(tl->signals_seen));
	json_object_set_new(o, "as_expected", json_boolean(lab_roll_all_as_expected(tl)));
	json_object_set_new(o, "wall_s", json_real(tl->wall_s));
	int rc = json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(o);
	return rc == 0 && !ferror(f) ? 0 : -1;
}
