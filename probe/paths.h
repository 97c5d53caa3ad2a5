/* paths: where the probe finds its data (the test vectors) at run time.
 * Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
#ifndef TP_PATHS_H
#define TP_PATHS_H
#include <stddef.h>

/* Finds the test vectors, trying in order: $TRUSTPROBE_VECTORS; ../testvectors beside the
 * executable's directory (a build tree); ../share/trustprobe/testvectors beside it (an
 * installed tree under any PREFIX, also after DESTDIR staging); DATADIR/testvectors as
 * compiled in. Returns a static buffer, or NULL if none holds a manifest. */
const char *tp_find_vectors(void);

/* The one-line error for a failed tp_find_vectors, naming every path it tried. */
void tp_vectors_not_found(char *err, size_t errlen);

#endif
