/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* matrix: the algorithm matrix of a finished report. The cases of testvectors/cases with
 * "matrix ALG DIGEST" are its cells (a DNSKEY algorithm under a DS of one digest type);
 * evaluate.c has already said how each came out (struct tp_finding.cell) and with what
 * status. This prints them: a grid per resolver (-v), a grid across the resolvers of a lab
 * run, and the cells as JSON. It decides nothing. The caller owns f and the report. */
#ifndef TP_MATRIX_H
#define TP_MATRIX_H
#include <stdio.h>
#include <jansson.h>
#include "report.h"

/* The mnemonic of DNSSEC algorithm alg ("RSASHA1"; "unassigned" for a number without
 * one) and the name of DS digest type t ("SHA-1"; "unassigned"). Static storage. */
const char *tp_alg_name(unsigned alg);
const char *tp_digest_name(unsigned t);

/* The word for a cell in the per-resolver grid: "ok" validated, "ins" insecure, "BOG"
 * bogus, "?" another answer, "-" not judged, each followed by "!" when its status is fail;
 * "" for a finding that is no cell. Static storage. */
const char *tp_cell_word(const struct tp_finding *f);

/* The letter for a cell in the lab grid: o validated, i insecure, b bogus, x another
 * answer, - not judged; upper case (O I B X) when its status is fail. ' ' for no cell. */
char tp_cell_letter(const struct tp_finding *f);

/* "validated", "insecure", "bogus", "other", "unjudged" (JSON); "" for TP_CELL_NONE. */
const char *tp_cell_name(int cell);

/* Writes r's grid (rows: algorithms; columns: DS digest types) with a legend, indented by
 * two spaces, at most 80 columns wide; nothing when r has no cell. Returns the rows
 * written, or -1 on a write error. */
int tp_matrix_text(FILE *f, const struct tp_resolver_report *r);

/* Writes the grid across every resolver of rep (rows: resolvers; a column per algorithm,
 * a letter per DS digest type) with its legend; nothing when no resolver has a cell.
 * Returns the rows written, or -1 on a write error. */
int tp_matrix_lab(FILE *f, const struct tp_report *rep);

/* The cells of r as a JSON array (trustprobe(1), JSON SCHEMA: resolvers[].matrix); NULL
 * when r has none or memory ran out (*err set then). The caller owns the result. */
json_t *tp_matrix_json(const struct tp_resolver_report *r, int *err);

#endif
