/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* trustprobe: entry point. Parses the command line and hands it to the lab commands, the
 * anchors audit or the probe (run.h); the only place that exits. */
#include "anchors_cli.h"
#include "cli.h"
#include "plugin.h"
#include "lab_cli.h"
#include "serve.h"
#include "render.h"
#include "run.h"
#include "tp_config.h"
#include <stdio.h>
#include <string.h>

static int probe_main(int argc, char **argv)
{
	struct tp_opts o;
	char err[1024] = "";
	if (tp_cli_parse(argc, argv, argv[0], &o, err, sizeof err) != TP_CLI_OK) {
		fprintf(stderr, "trustprobe: %s\n%s", err, tp_cli_usage());
		if (o.format == TP_FMT_JSON) /* the setup error as JSON on stdout too */
			tp_render_json_error(stdout, err, 2);
		if (o.format == TP_FMT_NAGIOS) /* a plugin says so on stdout, as its status line */
			return tp_plugin_unknown(stdout, err);
		return 2;
	}
	if (o.help) {
		fputs(tp_cli_usage(), stdout);
		return 0;
	}
	if (o.version) {
		printf("trustprobe %s\n", TP_VERSION);
		return 0;
	}
	struct tp_run_req req = {.o = o, .prog = "trustprobe"};
	return tp_run(&req);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "lab") == 0)
		return lab_cli_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "anchors") == 0)
		return tp_anchors_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "serve") == 0) /* the vectors on the Internet (serve.h) */
		return serve_main(argc - 1, argv + 1);
	return probe_main(argc, argv);
}
