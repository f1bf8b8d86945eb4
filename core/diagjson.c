/*
 * diagjson.c — writers for the JSON text a stage leaves in
 * ctx->diagnostics (the result document carries it under "diagnostics"):
 * a string escaped for JSON, a number in its shortest round-trip form, and
 * a map from strategy ids to numbers.
 * Stages build that text in a parley__buf, on the engine's allocator, so a
 * strategy id with a quote or a control character in it cannot break the
 * document.
 */
#include "internal.h"
#include "methods.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void parley__json_strn(parley__buf *b, const char *s, size_t n) {
  parley__buf_add(b, "\"", 1);
  const char *run = s, *end = s + n;
  for (; s < end; s++) {
    unsigned char c = (unsigned char)*s;
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    parley__buf_add(b, run, (size_t)(s - run));
    run = s + 1;
    switch (c) {
    case '"': parley__buf_add(b, "\\\"", 2); break;
    case '\\': parley__buf_add(b, "\\\\", 2); break;
    case '\n': parley__buf_add(b, "\\n", 2); break;
    case '\r': parley__buf_add(b, "\\r", 2); break;
    case '\t': parley__buf_add(b, "\\t", 2); break;
    default: parley__buf_printf(b, "\\u%04x", c); break;
    }
  }
  parley__buf_add(b, run, (size_t)(s - run));
  parley__buf_add(b, "\"", 1);
}

void parley__json_str(parley__buf *b, const char *s) { parley__json_strn(b, s, strlen(s)); }

void parley__json_num(parley__buf *b, double v) {
  /* JSON has no NaN or infinity; null is the visible sign of such a bug. */
  if (!isfinite(v)) {
    parley__buf_puts(b, "null");
    return;
  }
  char num[40];
  parley__fmt_double(num, sizeof num, v);
  parley__buf_puts(b, num);
}

void parley__json_strategy_map(parley__buf *b, const parley__ctx *ctx, const char *name,
                               const double *x) {
  parley__buf_printf(b, ",\"%s\":{", name);
  for (size_t s = 0; s < ctx->ns; s++) {
    if (s) parley__buf_puts(b, ",");
    parley__json_str(b, ctx->model->strat[s].id);
    parley__buf_puts(b, ":");
    parley__json_num(b, x[s]);
  }
  parley__buf_puts(b, "}");
}

int parley__diag_set(parley__ctx *ctx, parley__buf *b) {
  char *text = NULL;
  int rc = parley__buf_finish(b, &text, NULL);
  if (rc != PARLEY_OK) return rc;
  /* A stage run again on the same context replaces what it left before. */
  parley__free(ctx->engine, ctx->diagnostics);
  ctx->diagnostics = text;
  return PARLEY_OK;
}
