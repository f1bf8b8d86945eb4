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
#include "slab.h"

#include <math.h>

/* ---- wsm ------------------------------------------------------------------ */
/* Cells per block of the blocked passes (wsm, wpm): a block of utilities
 * stays in L1 while every criterion adds to it, together with the four
 * slabs' pieces being read (blocks of 256 or more measured slower: the
 * pieces push the utilities out of L1). */
#define AGG_BLOCK 128

/* u[i] += f[k] * x[k][i0 + i] for four criteria k in model order: each
 * utility adds exactly the terms a criterion-by-criterion pass would, in
 * the same order, and is read and written once per four criteria.  Called
 * with the constant AGG_BLOCK for whole blocks (see add_distances4). */
static inline void wsm_add4(const double *const *x, size_t i0, size_t len, const double *f,
                            double *restrict u) {
  const double *restrict x0 = x[0] + i0, *restrict x1 = x[1] + i0;
  const double *restrict x2 = x[2] + i0, *restrict x3 = x[3] + i0;
  double f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3];
  for (size_t i = 0; i < len; i++)
    u[i] = (((u[i] + f0 * x0[i]) + f1 * x1[i]) + f2 * x2[i]) + f3 * x3[i];
}

static inline void wsm_add2(const double *const *x, size_t i0, size_t len, const double *f,
                            double *restrict u) {
  const double *restrict x0 = x[0] + i0, *restrict x1 = x[1] + i0;
  double f0 = f[0], f1 = f[1];
  for (size_t i = 0; i < len; i++) u[i] = (u[i] + f0 * x0[i]) + f1 * x1[i];
}

static inline void wsm_add1(const double *x, size_t i0, size_t len, double f,
                            double *restrict u) {
  const double *restrict x0 = x + i0;
  for (size_t i = 0; i < len; i++) u[i] += f * x0[i];
}

static inline void wsm_block(const double *const *x, size_t na, size_t i0, size_t len,
                             double base, const double *f, double *restrict u) {
  for (size_t i = 0; i < len; i++) u[i] = base;
  size_t k = 0;
  for (; k + 4 <= na; k += 4) wsm_add4(x + k, i0, len, f + k, u);
  if (k + 2 <= na) wsm_add2(x + k, i0, len, f + k, u), k += 2;
  if (k < na) wsm_add1(x[k], i0, len, f[k], u);
}

int parley__a_wsm(parley__ctx *ctx, double *u) {
  size_t ns = ctx->ns, nk = ctx->nk, n = ns * nk, nc = ctx->nc;
  /* The constant parts sum_c w_c b_c start every utility; then each
   * criterion of nonzero slope adds w_c a_c x, a block of cells at a time. */
  const double **x = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *x));
  double *f = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *f));
  if (!x || !f) {
    parley__free(ctx->engine, x);
    parley__free(ctx->engine, f);
    return PARLEY_ENOMEM;
  }
  double base = 0;
  size_t na = 0;
  for (size_t c = 0; c < nc; c++) {
    base += ctx->w[c] * ctx->nb[c];
    double wa = ctx->w[c] * ctx->na[c];
    if (wa == 0) continue;
    x[na] = parley__slab(ctx, c);
    f[na++] = wa;
  }
  size_t i0 = 0;
  for (; i0 + AGG_BLOCK <= n; i0 += AGG_BLOCK) wsm_block(x, na, i0, AGG_BLOCK, base, f, u + i0);
  if (i0 < n) wsm_block(x, na, i0, n - i0, base, f, u + i0);
  parley__free(ctx->engine, x);
  parley__free(ctx->engine, f);
  return PARLEY_OK;
}

/* ---- wpm ------------------------------------------------------------------ */
int parley__a_wpm(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  if (n == 0) return PARLEY_OK;
  double *ref = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, 2 * sizeof *ref));
  if (!ref) return PARLEY_ENOMEM;
  double *wd = ref, *lb = ref + nc;
  for (size_t c = 0; c < nc; c++) {
    double w = ctx->w[c];
    wd[c] = 0;
    /* x^0 = 1: a criterion of weight 0 plays no part, so its values need
     * not be positive. */
    if (w == 0) continue;
    const double *x = parley__slab(ctx, c);
    double lo, hi;
    parley__slab_range(x, n, &lo, &hi);
    if (!(lo > 0)) {
      size_t i = 0;
      while (i < n && x[i] > 0) i++;
      char v[32];
      parley__fmt_double(v, sizeof v, x[i < n ? i : 0]);
      parley__free(ctx->engine, ref);
      return parley__err(ctx->engine, PARLEY_EINVALID,
                         "aggregation wpm: criterion '%s' has a value <= 0 (%s); the weighted "
                         "product model needs positive values (use wsm or topsis)",
                         parley__crit_id(ctx, c), v);
    }
    int dir = parley__crit_dir(ctx, c);
    /* (x / best)^w for a benefit criterion, (best / x)^w for a cost one,
     * summed in logs: U = exp(sum_c w_c dir_c (ln x - ln best_c)) <= 1. */
    wd[c] = w * dir;
    lb[c] = log(dir > 0 ? hi : lo);
  }
  /* A block of log-utilities at a time, each criterion adding its term in
   * model order, then exp. */
  for (size_t i0 = 0; i0 < n; i0 += AGG_BLOCK) {
    size_t len = n - i0 < AGG_BLOCK ? n - i0 : AGG_BLOCK;
    double *restrict v = u + i0;
    for (size_t i = 0; i < len; i++) v[i] = 0;
    for (size_t c = 0; c < nc; c++) {
      if (wd[c] == 0) continue;
      const double *restrict x = parley__slab(ctx, c) + i0;
      double f = wd[c], l = lb[c];
      for (size_t i = 0; i < len; i++) v[i] += f * (log(x[i]) - l);
    }
    for (size_t i = 0; i < len; i++) v[i] = exp(v[i]);
  }
  parley__free(ctx->engine, ref);
  return PARLEY_OK;
}

/* ---- topsis --------------------------------------------------------------- */
/* Cells per block of the distance pass: two blocks of sums stay in L1 with
 * the pieces of four slabs (128 measured faster than 256, 512 or 1024). */
#define TOPSIS_BLOCK 128

/* Squared distances of up to four criteria added to a block's sums, the
 * criteria in model order: each cell adds exactly what a criterion-by-
 * criterion pass would add, in the same order, while its sums are read and
 * written once per four criteria instead of once per criterion.  Called
 * with the constant TOPSIS_BLOCK for whole blocks, so that the compiler
 * sees loops without remainder or aliasing and vectorizes them at -O2. */
static inline void add_distances4(const double *const *x, size_t i0, size_t len, const double *pc,
                                  const double *xb, const double *xw, double *restrict sp,
                                  double *restrict sm) {
  const double *restrict x0 = x[0] + i0, *restrict x1 = x[1] + i0;
  const double *restrict x2 = x[2] + i0, *restrict x3 = x[3] + i0;
  for (size_t i = 0; i < len; i++) {
    double p0 = pc[0] * (x0[i] - xb[0]), m0 = pc[0] * (x0[i] - xw[0]);
    double p1 = pc[1] * (x1[i] - xb[1]), m1 = pc[1] * (x1[i] - xw[1]);
    double p2 = pc[2] * (x2[i] - xb[2]), m2 = pc[2] * (x2[i] - xw[2]);
    double p3 = pc[3] * (x3[i] - xb[3]), m3 = pc[3] * (x3[i] - xw[3]);
    sp[i] = (((sp[i] + p0 * p0) + p1 * p1) + p2 * p2) + p3 * p3;
    sm[i] = (((sm[i] + m0 * m0) + m1 * m1) + m2 * m2) + m3 * m3;
  }
}

static inline void add_distances2(const double *const *x, size_t i0, size_t len, const double *pc,
                                  const double *xb, const double *xw, double *restrict sp,
                                  double *restrict sm) {
  const double *restrict x0 = x[0] + i0, *restrict x1 = x[1] + i0;
  for (size_t i = 0; i < len; i++) {
    double p0 = pc[0] * (x0[i] - xb[0]), m0 = pc[0] * (x0[i] - xw[0]);
    double p1 = pc[1] * (x1[i] - xb[1]), m1 = pc[1] * (x1[i] - xw[1]);
    sp[i] = (sp[i] + p0 * p0) + p1 * p1;
    sm[i] = (sm[i] + m0 * m0) + m1 * m1;
  }
}

static inline void add_distances1(const double *x, size_t i0, size_t len, double pc, double xb,
                                  double xw, double *restrict sp, double *restrict sm) {
  const double *restrict x0 = x + i0;
  for (size_t i = 0; i < len; i++) {
    double dp = pc * (x0[i] - xb), dm = pc * (x0[i] - xw);
    sp[i] += dp * dp;
    sm[i] += dm * dm;
  }
}

/* The sums of one block of len cells over the na criteria that count. */
static inline void block_sums(const double *const *x, size_t na, size_t i0, size_t len,
                              const double *pc, const double *xb, const double *xw,
                              double *restrict sp, double *restrict sm) {
  for (size_t i = 0; i < len; i++) sp[i] = sm[i] = 0;
  size_t k = 0;
  for (; k + 4 <= na; k += 4) add_distances4(x + k, i0, len, pc + k, xb + k, xw + k, sp, sm);
  if (k + 2 <= na) add_distances2(x + k, i0, len, pc + k, xb + k, xw + k, sp, sm), k += 2;
  if (k < na) add_distances1(x[k], i0, len, pc[k], xb[k], xw[k], sp, sm);
}

/* The closeness of a block: D- / (D+ + D-), written as loops without
 * branches, which the compiler turns into vector square roots and
 * divisions; then the cells with D+ + D- = 0, which occur only when no
 * criterion varies over the slab: every strategy is at once ideal and
 * anti-ideal, and scores the midpoint 0.5. */
static inline void closeness(size_t len, double *restrict sp, double *restrict sm,
                             double *restrict u) {
  for (size_t i = 0; i < len; i++) {
    double dplus = sqrt(sp[i]), dminus = sqrt(sm[i]);
    sp[i] = dplus + dminus;
    sm[i] = dminus;
  }
  for (size_t i = 0; i < len; i++) u[i] = sm[i] / sp[i];
  for (size_t i = 0; i < len; i++)
    if (!(sp[i] > 0)) u[i] = 0.5;
}

int parley__a_topsis(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  if (n == 0) return PARLEY_OK;
  /* v = w (a x + b) is affine in x with slope p = w a, so the ideal is
   * reached at the slab's raw maximum when p > 0 (its minimum when p < 0)
   * and v - v* = p (x - x*): b drops out and no normalised copy is needed.
   * The extremes come from the normalization's pass when it left them on
   * the context, else from a pass of their own.  Only the criteria with
   * p != 0 count; their slabs and references are gathered in model order. */
  const double **x = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *x));
  double *ref = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, 3 * sizeof *ref));
  if (!x || !ref) {
    parley__free(ctx->engine, x);
    parley__free(ctx->engine, ref);
    return PARLEY_ENOMEM;
  }
  double *p = ref, *xbest = ref + nc, *xworst = ref + 2 * nc;
  size_t na = 0;
  for (size_t c = 0; c < nc; c++) {
    double pc = ctx->w[c] * ctx->na[c];
    if (pc == 0) continue;
    double mn, mx;
    if (ctx->slab_lo && ctx->slab_hi && !isnan(ctx->slab_lo[c]) && !isnan(ctx->slab_hi[c])) {
      mn = ctx->slab_lo[c];
      mx = ctx->slab_hi[c];
    } else {
      parley__slab_range(parley__slab(ctx, c), n, &mn, &mx);
    }
    x[na] = parley__slab(ctx, c);
    p[na] = pc;
    xbest[na] = pc > 0 ? mx : mn;
    xworst[na] = pc > 0 ? mn : mx;
    na++;
  }
  /* The distances, a block of cells at a time: the criteria add their
   * squares to sums that stay in cache, and the closeness is written once. */
  double sp[TOPSIS_BLOCK], sm[TOPSIS_BLOCK];
  size_t i0 = 0;
  for (; i0 + TOPSIS_BLOCK <= n; i0 += TOPSIS_BLOCK) {
    block_sums(x, na, i0, TOPSIS_BLOCK, p, xbest, xworst, sp, sm);
    closeness(TOPSIS_BLOCK, sp, sm, u + i0);
  }
  if (i0 < n) {
    block_sums(x, na, i0, n - i0, p, xbest, xworst, sp, sm);
    closeness(n - i0, sp, sm, u + i0);
  }
  parley__free(ctx->engine, x);
  parley__free(ctx->engine, ref);
  return PARLEY_OK;
}
