/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_cli: parses "trustprobe lab ..." and runs it. Owns its output to stdout/stderr.
 * Returns the process exit status; never calls exit() itself. */
#ifndef TP_LAB_CLI_H
#define TP_LAB_CLI_H

/* argv[0] is "lab". Exit status: 0 success, 1 (status) some daemon stopped,
 * 2 usage or failure, 3 (status) the holder died but daemons of the lab still run,
 * 130 interrupted. */
int lab_cli_main(int argc, char **argv);

#endif
