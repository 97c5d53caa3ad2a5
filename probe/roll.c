/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* roll: see roll.h. */
#include "roll.h"
#include <stdio.h>
#include <string.h>

/* Key tags and DS digests: IANA root-anchors.xml (RFC 9718 format), as in FACTS.md. */
static const struct tp_root_key keys[] = {
	{"KSK-2010", 19036, 19164, 8,
	 "49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5"},
	{"KSK-2017", 20326, 20454, 8,
	 "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"},
	{"KSK-2024", 38696, 38824, 8,
	 "683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16"},
};

/* The 2017-2019 roll (ICANN's completed KSK roll) and the current one (ICANN/IANA
 * announcements; the revocation date of KSK-2017 has one secondary source). */
static const struct tp_roll_event events[] = {
	{"2010-07-15", TP_ROLL_SIGN, 19036, 0, "KSK-2010 (19036) signs the newly signed root"},
	{"2017-07-11", TP_ROLL_PUBLISH, 20326, 0, "KSK-2017 (20326) is published in the root"},
	{"2018-10-11", TP_ROLL_SIGN, 20326, 0, "KSK-2017 (20326) starts signing the root DNSKEY RRset"},
	{"2019-01-11", TP_ROLL_REVOKE, 19036, 0, "KSK-2010 (19036) is published revoked (tag 19164)"},
	{"2025-01-11", TP_ROLL_PUBLISH, 38696, 0, "KSK-2024 (38696) is published in the root"},
	{"2026-10-11", TP_ROLL_SIGN, 38696, 0, "KSK-2024 (38696) starts signing the root DNSKEY RRset"},
	{"2027-01-11", TP_ROLL_REVOKE, 20326, 1,
	 "KSK-2017 (20326) is published revoked (tag 20454, flags 385)"},
};

const struct tp_root_key *tp_root_keys(size_t *n)
{
	*n = sizeof keys / sizeof keys[0];
	return keys;
}

const struct tp_root_key *tp_root_key_find(uint16_t tag)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].tag == tag || keys[i].revoked_tag == tag)
			return &keys[i];
	return NULL;
}

const struct tp_roll_event *tp_roll_events(size_t *n)
{
	*n = sizeof events / sizeof events[0];
	return events;
}

time_t tp_roll_event_time(const struct tp_roll_event *e)
{
	time_t t = 0;
	tp_parse_date(e->date, &t);
	return t;
}

uint16_t tp_roll_key_in_force(time_t now)
{
	uint16_t tag = 0;
	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
		if (events[i].kind == TP_ROLL_SIGN && tp_roll_event_time(&events[i]) <= now)
			tag = events[i].tag;
	return tag;
}

const struct tp_roll_event *tp_roll_next(time_t now)
{
	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
		if (tp_roll_event_time(&events[i]) > now)
			return &events[i];
	return NULL;
}

long tp_days_until(time_t now, time_t t)
{
	long d = (long)(t - now);
	return d >= 0 ? d / 86400 : -((-d + 86399) / 86400);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

int tp_parse_date(const char *s, time_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
	size_t len = strlen(s);
	if (len == 10) {
		if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
			return -1;
	} else if (len == 20) {
		if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 ||
		    n != 20)
			return -1;
	} else {
		return -1;
	}
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || se > 59 || h < 0 || mi < 0 || se < 0)
		return -1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return -1;
	*out = (time_t)(days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400L + h * 3600L +
			mi * 60L + se);
	return 0;
}

void tp_format_date(time_t t, char *buf, size_t len)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "?");
}
