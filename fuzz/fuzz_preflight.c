/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_preflight: the zone preflight (preflight.c) judging a reply to the marker query.
 * Input: a reply's wire octets. It is judged for the lab's zone "test." and for
 * "tp.example.net", at a fixed time and at the far ends of time. */
#include "common.h"
#include "preflight.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tp_observation obs;
	static struct tp_preflight pf;
	if (fz_observe(data, size, &obs) != 0)
		return 0;
	static const long long when[] = {1764576000LL, 0, -1, 253402300799LL};
	for (size_t i = 0; i < sizeof when / sizeof when[0]; i++) {
		tp_preflight_judge(&obs, "test.", 2, when[i], &pf);
		tp_preflight_judge(&obs, "tp.example.net", 0, when[i], &pf);
	}
	tp_observation_clear(&obs);
	return 0;
}
