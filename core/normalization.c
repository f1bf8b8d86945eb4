/*
 * normalization.c — the built-in normalization stages: minmax, vector, sum,
 * max and none.  Each one looks at a criterion's whole slab (every strategy
 * under every scenario) and returns an affine map r = a * x + b, oriented so
 * that a higher r is better.  A cost criterion is flipped affinely
 * (r = 1 - x / s rather than s / x) so that differences between strategies
 * keep their proportions; aggregation applies the map on the fly and never
 * materialises a normalised copy of the cube.  Degenerate columns (constant,
 * zero norm) get a finite, documented map; values a scheme cannot read
 * meaningfully (negatives for ratio scales) are an error naming the
 * criterion.  Formulas and sources: docs/methods.md.
 */
#include "internal.h"
#include "methods.h"
#include "slab.h"

#include <math.h>

static parley_engine *engine_of(const parley__ctx *ctx) { return ctx ? ctx->engine : NULL; }

/* Leaves the slab's range on the context for the aggregation (see
 * parley__ctx): every scheme but none reads the whole slab anyway. */
static void keep_range(parley__ctx *ctx, size_t c, double lo, double hi) {
  if (ctx && ctx->slab_lo && ctx->slab_hi && c < ctx->nc) {
    ctx->slab_lo[c] = lo;
    ctx->slab_hi[c] = hi;
  }
}

/* Ratio scales (sum, max) divide by a statistic of the column; with a
 * negative value the statistic can be zero or negative and silently turn the
 * criterion upside down, so such a column is refused.  Called when the
 * pass found lo < 0: names the first negative value. */
static int refuse_negative(const parley__ctx *ctx, size_t c, const double *x, size_t n,
                           const char *scheme) {
  size_t i = parley__slab_first_negative(x, n);
  parley_engine *e = engine_of(ctx);
  if (!e || i == n) return PARLEY_EINVALID;
  char v[32];
  parley__fmt_double(v, sizeof v, x[i]);
  return parley__err(e, PARLEY_EINVALID,
                     "normalization %s: criterion '%s' has a negative value (%s); %s "
                     "normalization needs values >= 0 (use minmax or vector)",
                     scheme, parley__crit_id(ctx, c), v, scheme);
}

/* r = x / s for a benefit criterion, 1 - x / s for a cost criterion; a zero
 * statistic (every value 0) gives r = 0 for every strategy. */
static void ratio_map(double s, int dir, double *a, double *b) {
  if (s == 0 || !isfinite(s)) {
    *a = 0;
    *b = 0;
    return;
  }
  if (dir < 0) {
    *a = -1 / s;
    *b = 1;
  } else {
    *a = 1 / s;
    *b = 0;
  }
}

int parley__n_minmax(parley__ctx *ctx, size_t c, const double *x, size_t n, int dir, double lo,
                     double hi, double *a, double *b) {
  double mn, mx;
  parley__slab_range(x, n, &mn, &mx);
  keep_range(ctx, c, mn, mx);
  /* A fixed scale replaces the observed range, so that utilities mean the
   * same from one model (or one Monte Carlo draw) to the next.  Values
   * outside the scale map outside [0, 1]: they are not clipped. */
  if (!isnan(lo)) mn = lo;
  if (!isnan(hi)) mx = hi;
  if (mx < mn) {
    parley_engine *e = engine_of(ctx);
    if (!e) return PARLEY_EINVALID;
    char l[32], h[32];
    parley__fmt_double(l, sizeof l, mn);
    parley__fmt_double(h, sizeof h, mx);
    return parley__err(e, PARLEY_EINVALID,
                       "normalization minmax: criterion '%s': scale [%s, %s] is empty (lo > hi)",
                       parley__crit_id(ctx, c), l, h);
  }
  double range = mx - mn;
  if (!(range > 0) || !isfinite(range)) {
    /* Constant column: nothing tells the strategies apart, so every one
     * scores as the best (r = 1). */
    *a = 0;
    *b = 1;
    return PARLEY_OK;
  }
  if (dir < 0) {
    *a = -1 / range;
    *b = mx / range;
  } else {
    *a = 1 / range;
    *b = -mn / range;
  }
  return PARLEY_OK;
}

int parley__n_vector(parley__ctx *ctx, size_t c, const double *x, size_t n, int dir, double lo,
                     double hi, double *a, double *b) {
  (void)lo, (void)hi;
  /* One pass gathers the range (so the largest magnitude) and the plain
   * sum of squares, in four lanes so that the additions do not wait on one
   * another (slab.h: the order of additions is fixed, so the result is the
   * same on every run).  The plain sum is exact enough whenever the largest
   * magnitude lies in [2^-450, 2^450]: no square overflows, and squares
   * small enough to underflow weigh under 2^-62 of the total.  Outside that
   * range a second pass scales by the largest magnitude first. */
  parley__slabstat st;
  parley__slab_stats(x, n, &st);
  keep_range(ctx, c, st.lo, st.hi);
  double big = n ? fmax(fabs(st.lo), fabs(st.hi)) : 0;
  double norm = 0;
  if (big > 0 && isfinite(big)) {
    if (big >= 0x1p-450 && big <= 0x1p450) {
      norm = sqrt(st.sumsq);
    } else {
      double ss = 0;
      for (size_t i = 0; i < n; i++) {
        double t = x[i] / big;
        ss += t * t;
      }
      norm = big * sqrt(ss);
    }
  }
  ratio_map(norm, dir, a, b);
  return PARLEY_OK;
}

int parley__n_sum(parley__ctx *ctx, size_t c, const double *x, size_t n, int dir, double lo,
                  double hi, double *a, double *b) {
  (void)lo, (void)hi;
  /* One pass: the sum (in the four lanes of slab.h) and the range, whose
   * minimum tells whether a value is negative. */
  parley__slabstat st;
  parley__slab_stats(x, n, &st);
  if (st.lo < 0) return refuse_negative(ctx, c, x, n, "sum");
  keep_range(ctx, c, st.lo, st.hi);
  ratio_map(st.sum, dir, a, b);
  return PARLEY_OK;
}

int parley__n_max(parley__ctx *ctx, size_t c, const double *x, size_t n, int dir, double lo,
                  double hi, double *a, double *b) {
  (void)lo, (void)hi;
  double mn, mx;
  parley__slab_range(x, n, &mn, &mx);
  if (mn < 0) return refuse_negative(ctx, c, x, n, "max");
  keep_range(ctx, c, mn, mx);
  ratio_map(n ? mx : 0, dir, a, b);
  return PARLEY_OK;
}

int parley__n_none(parley__ctx *ctx, size_t c, const double *x, size_t n, int dir, double lo,
                   double hi, double *a, double *b) {
  (void)ctx, (void)c, (void)x, (void)n, (void)lo, (void)hi;
  *a = dir < 0 ? -1 : 1;
  *b = 0;
  return PARLEY_OK;
}
