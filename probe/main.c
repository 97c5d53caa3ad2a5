/* trustprobe: entry point. Dispatches to the lab commands; the only place that exits. */
#include "lab_cli.h"
#include <stdio.h>
#include <string.h>

#define TP_VERSION "0.1.0"

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "lab") == 0)
		return lab_cli_main(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("trustprobe %s\n", TP_VERSION);
		return 0;
	}
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: trustprobe lab up|down|status|exec ...   (see 'trustprobe lab --help')\n");
		return 0;
	}
	fprintf(stderr, "trustprobe: probing a resolver is not built yet; this build has "
			"'trustprobe lab' only\n");
	return 2;
}
