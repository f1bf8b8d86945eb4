/*
 * csv.h — the outcome table of a model read from CSV text (the
 * {"csv": FILE} form of "outcomes"), and the decimal number reader it uses.
 * Provides parley__csv_outcomes for model_json.c; uses the model builder of
 * internal.h.  See docs/model-format.md for the file's rules.
 */
#ifndef PARLEY_CSV_H
#define PARLEY_CSV_H

#include "internal.h"

/* Fills the model's outcome cube from CSV text whose header is
 * `strategy,scenario,<criterion ids...>` (columns in any order; `scenario`
 * absent when the model has no scenarios).  file names the text in
 * messages ("FILE:LINE:COLUMN: ...").  The model's criteria, scenarios and
 * actors must be added already; the model is frozen here.  With
 * add_strategies the model has no strategies yet and they are taken from
 * the strategy column, in order of first appearance; otherwise every id
 * must be one of the model's.  Every (strategy, scenario) pair must have
 * exactly one row. */
int parley__csv_outcomes(parley_model *m, const char *text, size_t len, const char *file,
                         bool add_strategies);

/* Reads a decimal number at p (no leading space): an optional sign, digits
 * with an optional '.', an optional exponent.  Returns the end of the
 * number, or NULL when none starts at p.  The value is the correctly
 * rounded double, the same bits as strtod gives in the C locale; it is
 * +-HUGE_VAL (infinite) when the number is too large. */
const char *parley__csv_scan_number(const char *p, const char *end, double *out);

/* Whether all of s[0..n) is such a number. */
bool parley__csv_number(const char *s, size_t n, double *out);

#endif /* PARLEY_CSV_H */
