/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for anchors.c: every trust-anchor format (good, stale, revoked, malformed with
 * its line), and the judgement against the key in force on a frozen date. The keys are the
 * real root KSKs (public data, as in IANA's root-anchors.xml and Debian's dns-root-data). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "anchors.h"
#include "roll.h"

#define K17 "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU="
#define K24 "AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBevYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc="
#define DS17 "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"
#define DS24 "683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16"

static time_t day(const char *d)
{
	time_t t;
	assert_int_equal(tp_parse_date(d, &t), 0);
	return t;
}

static struct tp_ta_source src;
static struct tp_ta_judgement j;

static int parse(const char *text)
{
	return tp_ta_parse("f", text, strlen(text), &src);
}

static void judge_at(const char *date)
{
	time_t now = day(date);
	tp_ta_judge(&src, now, tp_roll_key_in_force(now), 1, &j);
}

static void test_plain_both_keys(void **state)
{
	(void)state;
	assert_int_equal(parse(". IN DNSKEY 257 3 8 " K17 " ; keytag 20326\n"
			       ". IN DNSKEY 257 3 8 " K24 " ; keytag 38696\n"), 0);
	assert_int_equal(src.format, TP_TA_FMT_PLAIN);
	assert_int_equal(src.n, 2);
	assert_int_equal(src.keys[0].tag, 20326);
	assert_int_equal(src.keys[1].tag, 38696);
	assert_int_equal(src.keys[1].line, 2);
	judge_at("2026-12-01");
	assert_int_equal(j.in_force, 38696);
	assert_int_equal(j.status, 0);
	assert_true(j.in_force_trusted);
	assert_int_equal(j.retired_trusted, 0); /* 20326 is not revoked until 2027-01-11 */
	judge_at("2027-02-01");
	assert_int_equal(j.status, 0);
	assert_int_equal(j.retired_trusted, 20326);
	assert_non_null(strstr(j.summary, "still trusts KSK-2017 (20326), which the root has retired"));
}

static void test_plain_old_key_only(void **state)
{
	(void)state;
	assert_int_equal(parse(". 172800 IN DS 20326 8 2 " DS17 "\n"), 0);
	judge_at("2026-10-10");
	assert_int_equal(j.status, 0);
	judge_at("2026-10-11");
	assert_int_equal(j.status, 1);
	assert_false(j.in_force_listed);
	assert_non_null(strstr(j.summary, "does not trust the key in force, KSK-2024 (38696) (trusts 20326)"));
	assert_non_null(strstr(j.summary, "dns-root-data"));
}

static void test_ds_digest_must_match(void **state)
{
	(void)state;
	/* the tag of KSK-2024 with KSK-2017's digest is not KSK-2024 */
	assert_int_equal(parse(". IN DS 38696 8 2 " DS17 "\n"), 0);
	judge_at("2026-12-01");
	assert_int_equal(j.status, 1);
	assert_true(j.digest_mismatch);
	assert_non_null(strstr(j.summary, "does not match KSK-2024 (38696)'s SHA-256 digest"));
	assert_int_equal(parse(". IN DS 38696 8 2 " DS24 "\n"), 0);
	judge_at("2026-12-01");
	assert_int_equal(j.status, 0);
	/* a SHA-1 DS with the right tag cannot be checked against the known digest */
	assert_int_equal(parse(". IN DS 38696 8 1 0123456789ABCDEF0123456789ABCDEF01234567\n"), 0);
	judge_at("2026-12-01");
	assert_int_equal(j.status, 1);
	assert_true(j.digest_mismatch);
	/* the right digest under another algorithm number is not the key either */
	assert_int_equal(parse(". IN DS 38696 13 2 " DS24 "\n"), 0);
	judge_at("2026-12-01");
	assert_int_equal(j.status, 1);
	/* a DNSKEY whose key data is not KSK-2024's, with the same tag: swap two aligned
	 * 16-bit words of the key (the tag is a 16-bit sum of the key's words) */
	char forged[sizeof K24];
	memcpy(forged, K24, sizeof K24);
	/* base64 groups of 4 chars are 3 bytes; swapping groups 20 and 24 (byte offsets 60 and
	 * 72, both even) moves whole 16-bit words */
	char tmp[4];
	memcpy(tmp, forged + 80, 4);
	memcpy(forged + 80, forged + 96, 4);
	memcpy(forged + 96, tmp, 4);
	char line[1024];
	snprintf(line, sizeof line, ". IN DNSKEY 257 3 8 %s\n", forged);
	assert_int_equal(parse(line), 0);
	if (src.keys[0].tag == 38696) { /* the swap kept the tag: it must still fail */
		judge_at("2026-12-01");
		assert_int_equal(j.status, 1);
	}
	assert_int_equal(parse(". IN DNSKEY 257 3 8 " K24 "\n"), 0);
	judge_at("2026-12-01");
	assert_int_equal(j.status, 0); /* the genuine key's DS matches */
}

static void test_revoked_dnskey_is_no_anchor(void **state)
{
	(void)state;
	/* flags 385 = 257 | REVOKE: the tag becomes 20454 */
	assert_int_equal(parse(". IN DNSKEY 385 3 8 " K17 "\n"), 0);
	assert_int_equal(src.keys[0].tag, 20454);
	assert_true(src.keys[0].revoke_bit);
	judge_at("2026-09-01");
	assert_int_equal(j.status, 1);
	assert_true(j.only_revoked);
	assert_non_null(strstr(j.summary, "only revoked or removed root keys"));
}

static const char unbound_file[] =
	"; autotrust trust anchor file\n"
	";;id: . 1\n"
	";;last_queried: 1796106610 ;;Tue Dec  1 06:30:10 2026\n"
	";;last_success: 1796106610 ;;Tue Dec  1 06:30:10 2026\n"
	";;next_probe_time: 1796110019 ;;Tue Dec  1 07:26:59 2026\n"
	";;query_failed: 0\n"
	";;query_interval: 3600\n"
	";;retry_time: 3600\n"
	".\t3600\tIN\tDNSKEY\t257 3 8 " K24 " ;{id = 38696 (ksk), size = 2048b} ;;state=%d [ X ] ;;count=1 ;;lastchange=1796106610 ;;Tue Dec  1 06:30:10 2026\n"
	".\t3600\tIN\tDNSKEY\t257 3 8 " K17 " ;{id = 20326 (ksk), size = 2048b} ;;state=2 [  VALID  ] ;;count=0 ;;lastchange=1796106610 ;;Tue Dec  1 06:30:10 2026\n";

static void test_unbound_states(void **state)
{
	(void)state;
	char buf[4096];
	snprintf(buf, sizeof buf, unbound_file, 2);
	assert_int_equal(parse(buf), 0);
	assert_int_equal(src.format, TP_TA_FMT_UNBOUND);
	assert_int_equal(src.last_success, 1796106610LL);
	assert_int_equal(src.keys[0].state, TP_TA_VALID);
	assert_int_equal(src.keys[0].line, 9);
	judge_at("2026-12-02");
	assert_int_equal(j.status, 0);
	assert_false(j.stale);
	assert_int_equal(j.stale_days, 0);
	/* the same file ten days later: nobody refreshes it */
	judge_at("2026-12-12");
	assert_int_equal(j.status, 0);
	assert_true(j.stale);
	assert_non_null(strstr(j.summary, "last refreshed 10 days ago"));
	/* AddPend: listed, not trusted */
	snprintf(buf, sizeof buf, unbound_file, 1);
	assert_int_equal(parse(buf), 0);
	judge_at("2026-12-02");
	assert_int_equal(j.status, 1);
	assert_true(j.in_force_listed);
	assert_int_equal(j.in_force_state, TP_TA_ADDPEND);
	assert_non_null(strstr(j.summary, "ADDPEND"));
	assert_non_null(strstr(j.summary, "unbound-anchor"));
	/* Missing is still an anchor (RFC 5011 4); Revoked and Removed are not */
	snprintf(buf, sizeof buf, unbound_file, 3);
	assert_int_equal(parse(buf), 0);
	judge_at("2026-12-02");
	assert_int_equal(j.status, 0);
	for (int st = 4; st <= 5; st++) {
		snprintf(buf, sizeof buf, unbound_file, st);
		assert_int_equal(parse(buf), 0);
		judge_at("2026-12-02");
		assert_int_equal(j.status, 1);
	}
	snprintf(buf, sizeof buf, unbound_file, 9);
	assert_int_equal(parse(buf), -1);
	assert_string_equal(src.err, "f:9: unknown autotrust state 9");
}

static const char bind_keys[] =
	"# a comment\n"
	"trust-anchors {\n"
	"        /* KSK-2017 */\n"
	"        . initial-key 257 3 8 \"" K17 "\";\n"
	"        // KSK-2024\n"
	"        . initial-ds 38696 8 2 \"683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A\n"
	"        4C0FB2B16\";\n"
	"        example. static-ds 1 8 2 \"AA\";\n"
	"};\n";

static void test_bind_conf(void **state)
{
	(void)state;
	assert_int_equal(parse(bind_keys), 0);
	assert_int_equal(src.format, TP_TA_FMT_BIND_CONF);
	assert_int_equal(src.n, 2);
	assert_int_equal(src.n_other, 1);
	assert_int_equal(src.keys[0].tag, 20326);
	assert_int_equal(src.keys[0].state, TP_TA_INITIAL);
	assert_int_equal(src.keys[0].line, 4);
	assert_int_equal(src.keys[1].tag, 38696);
	assert_true(src.keys[1].is_ds);
	assert_string_equal(src.keys[1].digest, DS24);
	judge_at("2026-12-01");
	assert_int_equal(j.status, 0);
	assert_int_equal(parse("trusted-keys { . 257 3 8 \"" K17 "\"; };"), 0);
	assert_int_equal(src.keys[0].state, TP_TA_STATIC);
	judge_at("2026-12-01");
	assert_int_equal(j.status, 1);
	assert_non_null(strstr(j.summary, "trust-anchors"));
	assert_int_equal(parse("trust-anchors {\n . initial-key 257 3 8 \"abc;\n"), -1);
	assert_string_equal(src.err, "f:2: a string or comment is never closed");
	assert_int_equal(parse("trust-anchors {\n . initial-key 257 3 \"" K17 "\";\n};\n"), -1);
	assert_string_equal(src.err, "f:2: expected FLAGS PROTOCOL ALGORITHM followed by a quoted key");
	assert_int_equal(parse("trust-anchors {\n . sometimes-key 257 3 8 \"" K17 "\";\n};\n"), -1);
	assert_string_equal(src.err, "f:2: unknown anchor type 'sometimes-key'");
}

static void test_bind_keydata(void **state)
{
	(void)state;
	char buf[4096];
	snprintf(buf, sizeof buf,
		 "$ORIGIN .\n$TTL 0\t; 0 seconds\n@\t\t\tIN SOA\t. . (\n\t\t\t\t2 0 0 0 0\n\t\t\t\t)\n"
		 "\t\t\tKEYDATA\t20261202000000 %s 19700101000000 257 3 8 (\n"
		 "\t\t\t\t" K24 "\n"
		 "\t\t\t\t) ; KSK; alg = RSASHA256 ; key id = 38696\n"
		 "\t\t\t\t; next refresh: Wed, 02 Dec 2026 00:00:00 GMT\n", "20261101000000");
	assert_int_equal(parse(buf), 0);
	assert_int_equal(src.format, TP_TA_FMT_BIND_STATE);
	assert_int_equal(src.n, 1);
	assert_int_equal(src.keys[0].tag, 38696);
	assert_int_equal(src.keys[0].line, 6);
	judge_at("2026-12-01");
	assert_int_equal(j.status, 0); /* hold-down passed on 2026-11-01 */
	snprintf(buf, sizeof buf,
		 "@ KEYDATA 20261202000000 20261215000000 19700101000000 257 3 8 " K24 "\n");
	assert_int_equal(parse(buf), 0);
	judge_at("2026-12-01");
	assert_int_equal(j.status, 1); /* still in its add hold-down */
	judge_at("2026-12-16");
	assert_int_equal(j.status, 0);
	assert_int_equal(parse("@ KEYDATA 2026 20261215000000 0 257 3 8 " K24 "\n"), -1);
	assert_string_equal(src.err, "f:1: a KEYDATA time is not YYYYMMDDHHMMSS");
}

static void test_dnsmasq(void **state)
{
	(void)state;
	/* as Debian 12's dnsmasq-base ships it: only KSK-2017 */
	assert_int_equal(parse("# comment\ntrust-anchor=.,20326,8,2," DS17 "\n"), 0);
	assert_int_equal(src.format, TP_TA_FMT_DNSMASQ);
	assert_int_equal(src.keys[0].line, 2);
	judge_at("2026-12-01");
	assert_int_equal(j.status, 1);
	assert_non_null(strstr(j.summary, "trust-anchor=.,TAG,8,2,DIGEST"));
	assert_int_equal(parse("--trust-anchor=.,38696,8,2," DS24 "\n"), 0);
	judge_at("2026-12-01");
	assert_int_equal(j.status, 0);
	assert_int_equal(parse("x=1\ntrust-anchor=.,38696,8," DS24 "\n"), -1);
	assert_string_equal(src.err, "f:2: trust-anchor= wants DOMAIN,TAG,ALGORITHM,DIGEST-TYPE,DIGEST");
	assert_int_equal(parse("trust-anchor=.,38696,8,2,XYZ\n"), -1);
	assert_string_equal(src.err, "f:1: the DS digest is not hexadecimal");
}

static void test_pdns_lua(void **state)
{
	(void)state;
	assert_int_equal(parse("-- addTA('.', \"1 8 2 AA\") is a comment\n"
			       "addTA('.', \"20326 8 2 " DS17 "\")\n"
			       "clearTA('.')\n"
			       "addTA(\".\", '38696 8 2 " DS24 "')\n"
			       "addTA('example.', \"1 8 2 AA\")\n"
			       "readTrustAnchorsFromFile(\"/usr/share/dns/root.key\", 24)\n"
			       "dofile(\"/etc/x.lua\")\n"), 0);
	assert_int_equal(src.format, TP_TA_FMT_PDNS_LUA);
	assert_true(src.cleared);
	assert_int_equal(src.n, 1); /* clearTA removed 20326 */
	assert_int_equal(src.keys[0].tag, 38696);
	assert_int_equal(src.n_other, 1);
	assert_int_equal(src.n_includes, 2);
	assert_string_equal(src.includes[0], "/usr/share/dns/root.key");
	assert_true(src.include_is_anchor[0]);
	assert_false(src.include_is_anchor[1]);
	assert_int_equal(parse("addTA('.', \"38696 8 2\")\n"), -1);
	assert_string_equal(src.err, "f:1: addTA's DS string wants TAG ALGORITHM DIGEST-TYPE DIGEST");
	/* a config that only loads a file has no keys of its own, and that is no error */
	assert_int_equal(parse("readTrustAnchorsFromFile('/usr/share/dns/root.key')\n"), 0);
	assert_int_equal(src.n, 0);
}

static const char xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<TrustAnchor id=\"x\" source=\"http://data.iana.org/root-anchors/root-anchors.xml\">\n"
	"<Zone>.</Zone>\n"
	"<KeyDigest id=\"Kjqmt7v\" validFrom=\"2010-07-15T00:00:00+00:00\" validUntil=\"2019-01-11T00:00:00+00:00\">\n"
	"<KeyTag>19036</KeyTag>\n<Algorithm>8</Algorithm>\n<DigestType>2</DigestType>\n"
	"<Digest>49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5</Digest>\n</KeyDigest>\n"
	"<KeyDigest id=\"Klajeyz\" validFrom=\"2017-02-02T00:00:00+00:00\">\n"
	"<KeyTag>20326</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType>\n"
	"<Digest>" DS17 "</Digest></KeyDigest>\n"
	"<KeyDigest id=\"Kmyv6jo\" validFrom=\"2024-07-18T00:00:00Z\">\n"
	"<KeyTag>38696</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType>\n"
	"<Digest>" DS24 "</Digest></KeyDigest>\n"
	"</TrustAnchor>\n";

static void test_iana_xml(void **state)
{
	(void)state;
	assert_int_equal(parse(xml), 0);
	assert_int_equal(src.format, TP_TA_FMT_IANA_XML);
	assert_int_equal(src.n, 3);
	assert_int_equal(src.keys[0].tag, 19036);
	assert_int_equal(src.keys[0].line, 4);
	assert_int_equal(src.keys[0].valid_until, (long long)day("2019-01-11"));
	assert_int_equal(src.keys[2].valid_from, (long long)day("2024-07-18"));
	judge_at("2026-12-01");
	assert_int_equal(j.status, 0);
	assert_int_equal(j.retired_trusted, 0); /* 19036 is past its validUntil: not trusted */
	judge_at("2024-07-01");
	assert_int_equal(j.in_force, 20326);
	assert_int_equal(j.status, 0);
	char bad[sizeof xml];
	snprintf(bad, sizeof bad, "%s", xml);
	char *d = strstr(bad, "<Digest>" DS17);
	memcpy(d, "<Dxxxxt>", 8);
	assert_int_equal(parse(bad), -1);
	assert_string_equal(src.err, "f:10: <KeyDigest> needs KeyTag, Algorithm, DigestType and Digest");
}

static void test_malformed_and_files(void **state)
{
	(void)state;
	assert_int_equal(parse(". IN DNSKEY 257 3 8 " K24 "\n. IN DNSKEY 257 3 8 !!notbase64\n"), -1);
	assert_int_equal(strncmp(src.err, "f:2: ", 5), 0);
	assert_int_equal(src.n, 1); /* what came before the error stays */
	assert_int_equal(parse(". IN A 127.0.0.1\n"), -1);
	assert_string_equal(src.err, "f:1: a A record is not a trust anchor (DNSKEY or DS)");
	assert_int_equal(parse("; nothing\n"), -1);
	assert_string_equal(src.err, "f: no DNSKEY or DS trust anchor for the root");
	assert_int_equal(tp_ta_parse("f", "a\0b", 3, &src), -1);
	assert_string_equal(src.err, "f: not a text file (it holds a NUL byte)");
	/* a FIFO or a device is refused at once, never read */
	char fifo[] = "/tmp/tp-anchor-fifo-XXXXXX";
	int fd = mkstemp(fifo);
	assert_true(fd >= 0);
	close(fd);
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(tp_ta_read(fifo, &src), -1);
	assert_non_null(strstr(src.err, "not a regular file"));
	unlink(fifo);
	assert_int_equal(tp_ta_read("/dev/zero", &src), -1);
	assert_non_null(strstr(src.err, "not a regular file"));
	assert_int_equal(tp_ta_read("/nonexistent/root.key", &src), -1);
	assert_string_equal(src.err, "/nonexistent/root.key: cannot read: No such file or directory");
}

static void test_lab_key_in_force(void **state)
{
	(void)state;
	/* a lab anchor is judged against the lab's tag, with no digest check */
	assert_int_equal(parse(". IN DS 59006 8 2 0983AB59326FFE4CDEF978FC748EEEA9AC09BA05C81D8C1848490B87AE12D593\n"), 0);
	tp_ta_judge(&src, day("2026-12-01"), 59006, 0, &j);
	assert_int_equal(j.status, 0);
	assert_non_null(strstr(j.summary, "key 59006"));
	tp_ta_judge(&src, day("2026-12-01"), 32120, 0, &j);
	assert_int_equal(j.status, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_both_keys),
		cmocka_unit_test(test_plain_old_key_only),
		cmocka_unit_test(test_ds_digest_must_match),
		cmocka_unit_test(test_revoked_dnskey_is_no_anchor),
		cmocka_unit_test(test_unbound_states),
		cmocka_unit_test(test_bind_conf),
		cmocka_unit_test(test_bind_keydata),
		cmocka_unit_test(test_dnsmasq),
		cmocka_unit_test(test_pdns_lua),
		cmocka_unit_test(test_iana_xml),
		cmocka_unit_test(test_malformed_and_files),
		cmocka_unit_test(test_lab_key_in_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
