/*
 * fixture.c — the code every unit test is linked with (fixture.h says
 * what each function is for).  It sees core/internal.h, so it holds the
 * hand-made run as well; a test that uses the public API only never sees
 * that part.
 */
#include "internal.h"
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- allocation failures ----------------------------------------------------------- */
void *failing_alloc(void *ud, void *ptr, size_t size) {
  failing *f = ud;
  if (atomic_fetch_add(&f->inside, 1) != 0) atomic_store(&f->overlap, true);
  void *p = NULL;
  if (size == 0) {
    if (ptr) f->live--;
    free(ptr);
  } else if (++f->calls == f->fail_at) {
    f->failed++; /* a failed realloc leaves ptr as it was */
  } else {
    p = realloc(ptr, size);
    if (p && !ptr) f->live++;
  }
  atomic_fetch_sub(&f->inside, 1);
  return p;
}

int failing_engine_new(parley_engine **e, failing *f) {
  parley_engine_options eo = PARLEY_ENGINE_OPTIONS_INIT;
  eo.alloc = failing_alloc;
  eo.alloc_ud = f;
  *e = NULL;
  return parley_engine_new(e, &eo);
}

void every_allocation_failure(const char *what, size_t limit, unsigned checks,
                              int (*pass)(parley_engine *engine, const void *ud),
                              const void *ud) {
  bool done = false;
  for (size_t n = 1; !done && n < limit; n++) {
    failing f = {.fail_at = n};
    parley_engine *e = NULL;
    if (failing_engine_new(&e, &f) != PARLEY_OK) {
      assert_int_equal(f.live, 0);
      continue;
    }
    int rc = pass(e, ud);
    if (rc == PARLEY_OK) {
      done = f.calls < n; /* nothing failed: every allocation was reached */
    } else if (rc != PARLEY_ENOMEM) {
      fail_msg("%s: allocation %zu failed but the run gave %d: %s", what, n, rc,
               parley_engine_errmsg(e));
    } else if (checks & ALLOC_RECOVERS) {
      /* The engine recovers once memory is there again. */
      f.fail_at = 0;
      if (pass(e, ud) != PARLEY_OK)
        fail_msg("%s: after failing allocation %zu: %s", what, n, parley_engine_errmsg(e));
    }
    parley_engine_free(e);
    if (f.live != 0) fail_msg("%s: failing allocation %zu leaked %ld block(s)", what, n, f.live);
    if ((checks & ALLOC_ONE_THREAD) && atomic_load(&f.overlap))
      fail_msg("%s: two threads were in the allocator at once", what);
  }
  assert_true(done);
}

int format_and_free(parley_engine *e, int rc, parley_result *r, parley_model *m,
                    const char *format) {
  char *doc = NULL;
  if (rc == PARLEY_OK) rc = parley_result_format(e, r, format, &doc, NULL);
  parley_free(e, doc);
  parley_result_free(r);
  parley_model_free(m);
  return rc;
}

void report_has(parley_engine *e, const parley_result *r, const char *needle) {
  char *text = NULL;
  assert_ok(e, parley_result_format(e, r, "text", &text, NULL));
  assert_contains(text, needle);
  parley_free(e, text);
}

/* ---- models through the C API ------------------------------------------------------- */
int rows_model(parley_engine *e, parley_model **out, const char *name, size_t ns, size_t nc,
               const char *const *sid, const char *const *cid, const int *dir, const double *w,
               const double *rows) {
  parley_model *m = NULL;
  int rc = parley_model_new(e, &m, name);
  for (size_t c = 0; rc == PARLEY_OK && c < nc; c++)
    rc = parley_model_add_criterion(m, cid[c], NULL, dir && dir[c] < 0 ? PARLEY_MIN : PARLEY_MAX,
                                    w[c]);
  for (size_t s = 0; rc == PARLEY_OK && s < ns; s++)
    rc = parley_model_add_strategy(m, sid[s], NULL);
  for (size_t s = 0; rc == PARLEY_OK && s < ns; s++)
    for (size_t c = 0; rc == PARLEY_OK && c < nc; c++)
      rc = parley_model_set_outcome(m, sid[s], NULL, cid[c], rows[s * nc + c]);
  if (rc != PARLEY_OK) {
    parley_model_free(m);
    m = NULL;
  }
  *out = m;
  return rc;
}

/* ---- published data sets (fixture.h says where from) ------------------------------ */
const double zt2010_rooms[14 * 6] = {
  7.6, 46, 18, 390, 0.10, 11,  5.5, 32, 21, 360, 0.05, 11,  5.3, 32, 21, 290, 0.05, 11,
  5.7, 37, 19, 270, 0.05, 9,   4.2, 38, 19, 240, 0.10, 8,   4.4, 38, 19, 260, 0.10, 8,
  3.9, 42, 16, 270, 0.10, 5,   7.9, 44, 20, 400, 0.05, 6,   8.1, 44, 20, 380, 0.05, 6,
  4.5, 46, 18, 320, 0.10, 7,   5.7, 48, 20, 320, 0.05, 11,  5.2, 48, 20, 310, 0.05, 11,
  7.1, 49, 19, 280, 0.10, 12,  6.9, 50, 16, 250, 0.05, 10,
};
const int zt2010_dir[6] = {1, 1, 1, 1, -1, -1};
const double zt2010_w[6] = {0.21, 0.16, 0.26, 0.17, 0.12, 0.08};

/* ---- JSON read back ---------------------------------------------------------------- */
cJSON *analysis_json(const parley_result *r, const char *name) {
  const char *text = parley_result_analysis(r, name);
  if (!text) fail_msg("no analysis '%s' in the result", name);
  cJSON *x = cJSON_Parse(text);
  if (!x) fail_msg("analysis '%s' is not JSON: %s", name, text);
  return x;
}

double json_num(const cJSON *x, ...) {
  va_list ap;
  va_start(ap, x);
  for (const char *k; (k = va_arg(ap, const char *)) != NULL;) {
    x = cJSON_GetObjectItemCaseSensitive(x, k);
    if (!x) {
      va_end(ap);
      fail_msg("no key \"%s\"", k);
    }
  }
  va_end(ap);
  if (!cJSON_IsNumber(x)) fail_msg("expected a number");
  return x->valuedouble;
}

/* ---- the hand-made run --------------------------------------------------------------- */
static void *zalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size); /* never a zero-size block */
  assert_non_null(p);
  return p;
}

fx *fixture_new(const fx_opts *o) {
  size_t ns = o->ns, nk = o->nk, nc = o->nc;
  fx *f = zalloc(1, sizeof *f);
  assert_int_equal(parley_engine_new(&f->e, NULL), PARLEY_OK);
  f->crit = zalloc(nc, sizeof *f->crit);
  f->strat = zalloc(ns, sizeof *f->strat);
  f->scen = zalloc(nk, sizeof *f->scen);
  f->cid = zalloc(nc, sizeof *f->cid);
  f->sid = zalloc(ns, sizeof *f->sid);
  f->kid = zalloc(nk, sizeof *f->kid);
  f->cube = zalloc(ns * nk * nc, sizeof *f->cube);
  f->na = zalloc(nc, sizeof *f->na);
  f->nb = zalloc(nc, sizeof *f->nb);
  f->w = zalloc(nc, sizeof *f->w);
  f->u = zalloc(ns * nk, sizeof *f->u);
  f->plus = zalloc(ns * nk, sizeof *f->plus);
  f->minus = zalloc(ns * nk, sizeof *f->minus);
  for (size_t c = 0; c < nc; c++) {
    snprintf(f->cid[c], sizeof f->cid[c], "%c%zu", o->crit ? o->crit : 'c', c + o->first);
    f->crit[c].id = f->cid[c];
    f->crit[c].dir = o->dir ? o->dir[c] : 1;
    f->crit[c].weight = NAN;
    f->crit[c].lo = f->crit[c].hi = NAN;
    f->na[c] = 1, f->nb[c] = 0;
    f->w[c] = o->w ? o->w[c] : 1.0 / (double)nc;
  }
  for (size_t s = 0; s < ns; s++) {
    snprintf(f->sid[s], sizeof f->sid[s], "%c%zu", o->strat ? o->strat : 's', s + o->first);
    f->strat[s].id = f->sid[s];
  }
  for (size_t k = 0; k < nk; k++) {
    snprintf(f->kid[k], sizeof f->kid[k], "%c%zu", o->scen ? o->scen : 'k', k + o->first);
    f->scen[k].id = f->kid[k];
    f->scen[k].probability = NAN;
  }
  f->m.engine = f->e;
  f->m.crit = f->crit, f->m.nc = nc;
  f->m.strat = f->strat, f->m.ns = ns;
  f->m.scen = f->scen, f->m.nk = nk;
  f->m.frozen = true;
  f->m.cube = f->cube;
  for (size_t k = 0; o->rows && k < nk; k++)
    for (size_t s = 0; s < ns; s++)
      for (size_t c = 0; c < nc; c++)
        f->cube[parley__cell(&f->m, s, k, c)] = o->rows[(k * ns + s) * nc + c];
  f->ctx.engine = f->e;
  f->ctx.model = &f->m;
  if (o->stage) {
    f->ctx.stage = parley__registry_find(f->e, PARLEY_STAGE_AGGREGATION, o->stage);
    if (!f->ctx.stage) fail_msg("no aggregation '%s'", o->stage);
    f->ctx.spec = &f->spec;
  }
  f->ctx.ns = ns, f->ctx.nk = nk, f->ctx.nc = nc;
  f->ctx.cube = f->cube;
  f->ctx.na = f->na, f->ctx.nb = f->nb, f->ctx.w = f->w;
  return f;
}

void drop(fx *f) {
  parley__free(f->e, f->ctx.diagnostics);
  parley__spec_clear(f->e, &f->spec);
  parley_engine_free(f->e);
  free(f->crit), free(f->strat), free(f->scen);
  free(f->cid), free(f->sid), free(f->kid);
  free(f->cube), free(f->na), free(f->nb), free(f->w);
  free(f->u), free(f->plus), free(f->minus);
  free(f);
}

const parley__stage *resolve_stage(parley_engine *e, parley__spec *spec, parley_stage_kind kind,
                                   const char *text) {
  static const char *const option[] = {"--weighting", "--normalization", "--aggregation",
                                       "--rule", "--analysis"};
  assert_true((size_t)kind < sizeof option / sizeof *option);
  parley__spec_clear(e, spec);
  const parley__stage *st = NULL;
  int rc = parley__spec_parse(e, spec, text, option[kind]);
  if (rc == PARLEY_OK) rc = parley__registry_resolve(e, kind, spec, option[kind], &st);
  if (rc != PARLEY_OK) fail_msg("%s %s: %s", option[kind], text, parley_engine_errmsg(e));
  return st;
}

void use_stage(fx *f, const char *text) {
  f->ctx.stage = resolve_stage(f->e, &f->spec, PARLEY_STAGE_AGGREGATION, text);
  f->ctx.spec = &f->spec;
}

void aggregate_ok(fx *f, parley__aggregation_fn fn, double *u) {
  const char *name = f->ctx.stage ? f->ctx.stage->name : "the aggregation";
  int rc = fn(&f->ctx, u);
  if (rc != PARLEY_OK) fail_msg("%s: rc %d: %s", name, rc, parley_engine_errmsg(f->e));
  for (size_t i = 0; i < f->ctx.nk * f->ctx.ns; i++)
    if (!isfinite(u[i])) fail_msg("%s: u[%zu] = %g is not finite", name, i, u[i]);
}

void weigh_with(fx *f, parley__weighting_fn fn, double *w) {
  assert_int_equal(fn(&f->ctx, w), PARLEY_OK);
  double sum = 0;
  for (size_t c = 0; c < f->ctx.nc; c++) {
    assert_true(isfinite(w[c]) && w[c] >= 0);
    sum += w[c];
  }
  assert_true(sum > 0);
  for (size_t c = 0; c < f->ctx.nc; c++) w[c] /= sum;
}

void weights_near(fx *f, parley__weighting_fn fn, const double *want, double tol) {
  double *w = calloc(f->ctx.nc, sizeof *w);
  assert_non_null(w);
  weigh_with(f, fn, w);
  for (size_t c = 0; c < f->ctx.nc; c++)
    if (!(fabs(w[c] - want[c]) <= tol))
      fail_msg("w[%zu] = %.17g, expected %.17g (+- %g)", c, w[c], want[c], tol);
  free(w);
}

void assert_msg_has(const fx *f, const char *needle) {
  const char *msg = parley_engine_errmsg(f->e);
  if (!strstr(msg, needle)) fail_msg("message \"%s\" lacks \"%s\"", msg, needle);
}

cJSON *diag(const fx *f) {
  assert_non_null(f->ctx.diagnostics);
  cJSON *d = cJSON_Parse(f->ctx.diagnostics);
  if (!d) fail_msg("diagnostics are not JSON: %s", f->ctx.diagnostics);
  return d;
}
