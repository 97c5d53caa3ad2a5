/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_cli: the probe's option parser (cli.c). Input: the arguments, each ended by a NUL
 * octet (at most 62); an input that starts with an 'n' is parsed as the plugin
 * (check_trustprobe) sees it. The parser is run twice in a row, as a program that reads
 * a second command line would. */
#include "common.h"
#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_text(data, size);
	char *argv[64];
	int argc = 0;
	argv[argc++] = "trustprobe";
	for (size_t off = 0; off < size && argc < 63;) {
		argv[argc++] = text + off;
		off += strlen(text + off) + 1;
	}
	argv[argc] = NULL;
	const char *prog = size && data[0] == 'n' ? "check_trustprobe" : "trustprobe";
	static struct tp_opts o;
	char err[300];
	for (int round = 0; round < 2; round++) {
		char *copy[64];
		memcpy(copy, argv, sizeof copy); /* getopt permutes argv */
		memset(&o, 0, sizeof o);
		(void)tp_cli_parse(argc, copy, prog, &o, err, sizeof err);
	}
	double d;
	enum tp_format fmt;
	(void)tp_cli_parse_seconds(text, 300, &d);
	(void)tp_cli_parse_format(text, &fmt);
	free(text);
	return 0;
}
