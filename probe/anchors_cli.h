/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* anchors_cli: the "trustprobe anchors" command. */
#ifndef TP_ANCHORS_CLI_H
#define TP_ANCHORS_CLI_H

/* argv[0] is "anchors". Prints the audit; returns the exit status (0, 1, 2). */
int tp_anchors_main(int argc, char **argv);

#endif
