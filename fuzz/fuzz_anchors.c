/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_anchors: the trust-anchor file reader (anchors.c) in every format it detects:
 * unbound's auto-trust-anchor-file, IANA's root-anchors.xml, BIND's trust-anchors /
 * managed-keys / trusted-keys statements and its managed-keys.bind (KEYDATA), dnsmasq's
 * trust-anchor=, PowerDNS Recursor's Lua (addTA, clearTA, readTrustAnchorsFromFile,
 * dofile) and plain DS/DNSKEY records (fuzz/corpus/anchors/ has a seed of each). Input:
 * the file's text. Each parse is judged as of a few times, against the lab's key and the
 * real root's. */
#include "common.h"
#include "anchors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tp_ta_source src;
	static struct tp_ta_judgement j;
	if (tp_ta_parse("fuzz.anchor", (const char *)data, size, &src) != 0)
		return 0;
	static const time_t when[] = {1764576000, 0, 4102444800};
	for (size_t i = 0; i < sizeof when / sizeof when[0]; i++) {
		tp_ta_judge(&src, when[i], 20326, 1, &j);
		tp_ta_judge(&src, when[i], src.n ? src.keys[0].tag : 0, 0, &j);
	}
	(void)tp_ta_format_name(src.format);
	for (size_t i = 0; i < src.n; i++)
		(void)tp_ta_state_name(src.keys[i].state);
	return 0;
}
