/*
 * engine.c — the engine handle: its allocator, its error message, the
 * version and result-code helpers.  Everything the library allocates goes
 * through the engine's allocator so that an embedder (or a test) can count,
 * limit or fail allocations; nothing here is global.
 */
#include "internal.h"
#include "lua_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *ud, void *ptr, size_t size) {
  (void)ud;
  if (size == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, size);
}

const char *parley_version(void) { return PARLEY_VERSION; }
int parley_version_number(void) { return PARLEY_VERSION_NUMBER; }

int parley_is_input_error(int code) {
  return code == PARLEY_EIO || code == PARLEY_ESYNTAX || code == PARLEY_EINVALID ||
         code == PARLEY_ENOTFOUND || code == PARLEY_EUSAGE;
}

const char *parley_code_name(int code) {
  switch (code) {
  case PARLEY_OK: return "ok";
  case PARLEY_ERROR: return "error";
  case PARLEY_ENOMEM: return "out of memory";
  case PARLEY_EIO: return "i/o error";
  case PARLEY_ESYNTAX: return "syntax error";
  case PARLEY_EINVALID: return "invalid";
  case PARLEY_ENOTFOUND: return "not found";
  case PARLEY_EUSAGE: return "usage";
  default: return "unknown code";
  }
}

size_t parley__mul(size_t n, size_t size) {
  if (size != 0 && n > SIZE_MAX / size) return SIZE_MAX;
  return n * size;
}

void *parley__malloc(parley_engine *e, size_t size) {
  if (size == 0) size = 1; /* a zero-length array still gets a distinct pointer */
  void *p = size == SIZE_MAX ? NULL : e->alloc(e->alloc_ud, NULL, size);
  if (!p) parley__err(e, PARLEY_ENOMEM, "out of memory (asked for %zu bytes)", size);
  return p;
}

void *parley__calloc(parley_engine *e, size_t n, size_t size) {
  size_t total = parley__mul(n, size);
  void *p = parley__malloc(e, total);
  if (p) memset(p, 0, total == 0 ? 1 : total);
  return p;
}

void *parley__realloc(parley_engine *e, void *p, size_t size) {
  if (size == 0) size = 1;
  void *q = size == SIZE_MAX ? NULL : e->alloc(e->alloc_ud, p, size);
  if (!q) parley__err(e, PARLEY_ENOMEM, "out of memory (asked for %zu bytes)", size);
  return q;
}

void parley__free(parley_engine *e, void *p) {
  if (p) e->alloc(e->alloc_ud, p, 0);
}

void parley_free(parley_engine *engine, void *ptr) {
  if (engine) parley__free(engine, ptr);
}

char *parley__strdup(parley_engine *e, const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *d = parley__malloc(e, n);
  if (d) memcpy(d, s, n);
  return d;
}

int parley__verr(parley_engine *e, int code, const char *fmt, va_list ap) {
  e->errcode = code;
  vsnprintf(e->errmsg, sizeof e->errmsg, fmt, ap);
  return code;
}

int parley__err(parley_engine *e, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  parley__verr(e, code, fmt, ap);
  va_end(ap);
  return code;
}

void parley__ok(parley_engine *e) {
  e->errcode = PARLEY_OK;
  e->errmsg[0] = '\0';
}

int parley_engine_new(parley_engine **out, const parley_engine_options *opts) {
  if (!out) return PARLEY_EUSAGE;
  *out = NULL;
  if (opts && (opts->version < 1 || opts->version > PARLEY_ENGINE_OPTIONS_VERSION))
    return PARLEY_EUSAGE;
  parley_alloc_fn alloc = opts && opts->alloc ? opts->alloc : default_alloc;
  void *ud = opts && opts->alloc ? opts->alloc_ud : NULL;
  parley_engine *e = alloc(ud, NULL, sizeof *e);
  if (!e) return PARLEY_ENOMEM;
  memset(e, 0, sizeof *e);
  e->alloc = alloc;
  e->alloc_ud = ud;
  e->alloc_is_default = alloc == default_alloc;
  int rc = parley__registry_new(e);
  if (rc != PARLEY_OK) {
    alloc(ud, e, 0);
    return rc;
  }
  *out = e;
  return PARLEY_OK;
}

void parley_engine_free(parley_engine *engine) {
  if (!engine) return;
  parley__host_free(engine);
  parley__registry_free(engine);
  engine->alloc(engine->alloc_ud, engine, 0);
}

const char *parley_engine_errmsg(const parley_engine *engine) {
  return engine ? engine->errmsg : "no engine";
}

int parley_engine_errcode(const parley_engine *engine) {
  return engine ? engine->errcode : PARLEY_EUSAGE;
}
