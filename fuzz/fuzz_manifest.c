/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_manifest: the lab's zone manifest parser (lab/manifest.c). Input: the text of a
 * manifest (testvectors/manifest format). Each zone of one that parses gets its parent. */
#include "common.h"
#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct manifest m;
	char err[600];
	if (manifest_parse((const char *)data, size, "fuzz.manifest", &m, err, sizeof err) != 0)
		return 0;
	for (size_t i = 0; i < m.n_zones; i++)
		(void)manifest_parent(&m, i);
	return 0;
}
