/*
 * diagjson.c — writers for the JSON text a stage leaves in
 * ctx->diagnostics (the result document carries it under "diagnostics"):
 * a string escaped for JSON, and a number in its shortest round-trip form.
 * Stages build that text in a parley__buf, on the engine's allocator, so a
 * strategy id with a quote or a control character in it cannot break the
 * document.
 */
#include "internal.h"
#include "methods.h"

#include <math.h>
#include <stdio.h>

void parley__json_str(parley__buf *b, const char *s) {
  parley__buf_add(b, "\"", 1);
  const char *run = s;
  for (; *s; s++) {
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
