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
/* The smallest and largest value of x[0..n) (NaN only when x[0] is), with
 * four pairs of accumulators, held in registers, so that the comparisons do
 * not form one chain. */
static void slab_range(const double *x, size_t n, double *lo, double *hi) {
  double mn0 = x[0], mx0 = x[0], mn1 = x[0], mx1 = x[0];
  double mn2 = x[0], mx2 = x[0], mn3 = x[0], mx3 = x[0];
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    double v0 = x[i], v1 = x[i + 1], v2 = x[i + 2], v3 = x[i + 3];
    mn0 = v0 < mn0 ? v0 : mn0;
    mx0 = v0 > mx0 ? v0 : mx0;
    mn1 = v1 < mn1 ? v1 : mn1;
    mx1 = v1 > mx1 ? v1 : mx1;
    mn2 = v2 < mn2 ? v2 : mn2;
    mx2 = v2 > mx2 ? v2 : mx2;
    mn3 = v3 < mn3 ? v3 : mn3;
    mx3 = v3 > mx3 ? v3 : mx3;
  }
  for (; i < n; i++) {
    mn0 = x[i] < mn0 ? x[i] : mn0;
    mx0 = x[i] > mx0 ? x[i] : mx0;
  }
  mn0 = mn1 < mn0 ? mn1 : mn0;
  mn2 = mn3 < mn2 ? mn3 : mn2;
  mx0 = mx1 > mx0 ? mx1 : mx0;
  mx2 = mx3 > mx2 ? mx3 : mx2;
  *lo = mn2 < mn0 ? mn2 : mn0;
  *hi = mx2 > mx0 ? mx2 : mx0;
}

/* Cells per block of the distance pass: two blocks of sums stay in L1. */
#define TOPSIS_BLOCK 512

/* One criterion's squared distances added over len cells.  Called with the
 * constant TOPSIS_BLOCK for whole blocks, so that the compiler sees a loop
 * without remainder or aliasing and vectorizes it at -O2. */
static inline void add_distances(const double *restrict x, size_t len, double pc, double xb,
                                 double xw, double *restrict sp, double *restrict sm) {
  for (size_t i = 0; i < len; i++) {
    double dp = pc * (x[i] - xb), dm = pc * (x[i] - xw);
    sp[i] += dp * dp;
    sm[i] += dm * dm;
  }
}

int parley__a_topsis(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  if (n == 0) return PARLEY_OK;
  /* v = w (a x + b) is affine in x with slope p = w a, so the ideal is
   * reached at the slab's raw maximum when p > 0 (its minimum when p < 0)
   * and v - v* = p (x - x*): b drops out and no normalised copy is needed.
   * A first pass per slab finds each criterion's ideal and anti-ideal raw
   * values. */
  double *ref = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, 3 * sizeof *ref));
  if (!ref) return PARLEY_ENOMEM;
  double *p = ref, *xbest = ref + nc, *xworst = ref + 2 * nc;
  for (size_t c = 0; c < nc; c++) {
    p[c] = ctx->w[c] * ctx->na[c];
    if (p[c] == 0) continue;
    double mn, mx;
    slab_range(slab(ctx, c), n, &mn, &mx);
    xbest[c] = p[c] > 0 ? mx : mn;
    xworst[c] = p[c] > 0 ? mn : mx;
  }
  /* The distances, a block of cells at a time: each criterion adds its
   * squares to sums that stay in cache, and the closeness is written once.
   * Every cell adds its criteria in the same order as a criterion-by-
   * criterion pass would. */
  double sp[TOPSIS_BLOCK], sm[TOPSIS_BLOCK];
  for (size_t i0 = 0; i0 < n; i0 += TOPSIS_BLOCK) {
    size_t len = n - i0 < TOPSIS_BLOCK ? n - i0 : TOPSIS_BLOCK;
    for (size_t i = 0; i < len; i++) sp[i] = sm[i] = 0;
    for (size_t c = 0; c < nc; c++) {
      double pc = p[c];
      if (pc == 0) continue;
      const double *x = slab(ctx, c) + i0;
      if (len == TOPSIS_BLOCK)
        add_distances(x, TOPSIS_BLOCK, pc, xbest[c], xworst[c], sp, sm);
      else
        add_distances(x, len, pc, xbest[c], xworst[c], sp, sm);
    }
    for (size_t i = 0; i < len; i++) {
      double dplus = sqrt(sp[i]), dminus = sqrt(sm[i]), t = dplus + dminus;
      /* t = 0 only when no criterion varies over the slab: every strategy
       * is at once ideal and anti-ideal, and scores the midpoint 0.5. */
      u[i0 + i] = t > 0 ? dminus / t : 0.5;
    }
  }
  parley__free(ctx->engine, ref);
  return PARLEY_OK;
}
