/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_ede: the Extended DNS Error parser (ede.c). Input: the RDATA of an OPT RR. Each
 * error it yields is described, and the codes are named. */
#include "common.h"
#include "ede.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tp_ede e[TP_EDE_MAX];
	size_t seen = 0;
	enum tp_ede_parse_status st;
	/* libFuzzer's buffer holds exactly size octets: ASan sees a read past the end */
	const uint8_t *rdata = size ? data : NULL;
	size_t n = tp_ede_parse(rdata, size, e, TP_EDE_MAX, &seen, &st);
	char buf[200];
	for (size_t i = 0; i < n; i++) {
		tp_ede_describe(e[i].code, e[i].text, buf, sizeof buf);
		tp_ede_describe(e[i].code, NULL, buf, 12);
		(void)tp_ede_name(e[i].code);
	}
	/* one error into a buffer of one */
	(void)tp_ede_parse(rdata, size, e, 1, NULL, NULL);
	return 0;
}
