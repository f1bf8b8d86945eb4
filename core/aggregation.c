/*
 * aggregation.c — the built-in aggregation stages: wsm, wpm and topsis.
 * Each turns the cube into one utility per (strategy, scenario),
 * u[k * ns + s], higher being better.  They stream over the cube in memory
 * order (criterion, then scenario, then strategy), apply each criterion's
 * normalization map r = a * x + b on the fly and never allocate per cell.
 * Reference points (TOPSIS's ideal and anti-ideal, WPM's best value) are
 * taken over a criterion's whole slab — every strategy under every
 * scenario — so that a utility means the same thing in every scenario.
 * Formulas and sources: docs/methods.md.
 */
#include "internal.h"
#include "methods.h"

#include <math.h>

static const double *slab(const parley__ctx *ctx, size_t c) {
  return ctx->cube + c * ctx->nk * ctx->ns;
}

static const char *crit_id(const parley__ctx *ctx, size_t c) {
  const parley_model *m = ctx->model;
  return m && c < m->nc && m->crit[c].id ? m->crit[c].id : "?";
}

static int crit_dir(const parley__ctx *ctx, size_t c) {
  return ctx->model && ctx->model->crit[c].dir < 0 ? -1 : 1;
}

/* ---- wsm ------------------------------------------------------------------ */
int parley__a_wsm(parley__ctx *ctx, double *u) {
  size_t ns = ctx->ns, nk = ctx->nk, n = ns * nk;
  /* The constant parts sum_c w_c b_c start every utility; then each
   * criterion adds w_c a_c x over its contiguous slab. */
  double base = 0;
  for (size_t c = 0; c < ctx->nc; c++) base += ctx->w[c] * ctx->nb[c];
  for (size_t i = 0; i < n; i++) u[i] = base;
  for (size_t c = 0; c < ctx->nc; c++) {
    double wa = ctx->w[c] * ctx->na[c];
    if (wa == 0) continue;
    const double *x = slab(ctx, c);
    for (size_t i = 0; i < n; i++) u[i] += wa * x[i];
  }
  return PARLEY_OK;
}

/* ---- wpm ------------------------------------------------------------------ */
int parley__a_wpm(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk;
  if (n == 0) return PARLEY_OK;
  for (size_t i = 0; i < n; i++) u[i] = 0; /* log U */
  for (size_t c = 0; c < ctx->nc; c++) {
    double w = ctx->w[c];
    /* x^0 = 1: a criterion of weight 0 plays no part, so its values need
     * not be positive. */
    if (w == 0) continue;
    const double *x = slab(ctx, c);
    int dir = crit_dir(ctx, c);
    double best = x[0];
    for (size_t i = 0; i < n; i++) {
      if (!(x[i] > 0)) {
        char v[32];
        parley__fmt_double(v, sizeof v, x[i]);
        return parley__err(ctx->engine, PARLEY_EINVALID,
                           "aggregation wpm: criterion '%s' has a value <= 0 (%s); the weighted "
                           "product model needs positive values (use wsm or topsis)",
                           crit_id(ctx, c), v);
      }
      if (dir > 0 ? x[i] > best : x[i] < best) best = x[i];
    }
    /* (x / best)^w for a benefit criterion, (best / x)^w for a cost one,
     * summed in logs: U = exp(sum_c w_c dir_c (ln x - ln best_c)) <= 1. */
    double wd = w * dir, lb = log(best);
    for (size_t i = 0; i < n; i++) u[i] += wd * (log(x[i]) - lb);
  }
  for (size_t i = 0; i < n; i++) u[i] = exp(u[i]);
  return PARLEY_OK;
}

/* ---- topsis --------------------------------------------------------------- */
int parley__a_topsis(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk;
  if (n == 0) return PARLEY_OK;
  /* d2m holds the squared distances to the anti-ideal, u those to the ideal
   * until the last pass. */
  double *d2m = parley__calloc(ctx->engine, n, sizeof *d2m);
  if (!d2m) return PARLEY_ENOMEM;
  for (size_t i = 0; i < n; i++) u[i] = 0;
  for (size_t c = 0; c < ctx->nc; c++) {
    /* v = w (a x + b) is affine in x with slope p = w a, so the ideal is
     * reached at the slab's raw maximum when p > 0 (its minimum when p < 0)
     * and v - v* = p (x - x*): b drops out and no normalised copy is
     * needed. */
    double p = ctx->w[c] * ctx->na[c];
    if (p == 0) continue;
    const double *x = slab(ctx, c);
    double mn = x[0], mx = x[0];
    for (size_t i = 0; i < n; i++) {
      if (x[i] < mn) mn = x[i];
      if (x[i] > mx) mx = x[i];
    }
    double xbest = p > 0 ? mx : mn, xworst = p > 0 ? mn : mx;
    for (size_t i = 0; i < n; i++) {
      double dp = p * (x[i] - xbest), dm = p * (x[i] - xworst);
      u[i] += dp * dp;
      d2m[i] += dm * dm;
    }
  }
  for (size_t i = 0; i < n; i++) {
    double dplus = sqrt(u[i]), dminus = sqrt(d2m[i]), t = dplus + dminus;
    /* t = 0 only when no criterion varies over the slab: every strategy is
     * at once ideal and anti-ideal, and scores the midpoint 0.5. */
    u[i] = t > 0 ? dminus / t : 0.5;
  }
  parley__free(ctx->engine, d2m);
  return PARLEY_OK;
}
