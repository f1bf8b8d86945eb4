/*
 * weighting_objective.c — more data-scanning weighting stages, beside those
 * of weighting.c: merec, cilos, idocriw, gini and variance.  Like entropy,
 * critic and std they read the raw values of the cube (normalization runs
 * after weighting), each with its own scaling, and they read the decision
 * matrix as the stack of every (strategy, scenario) pair: a criterion's
 * column is its contiguous slab, so that with one scenario the matrix is the
 * textbook one.  Each fills raw weights w[nc]; the pipeline refuses negative
 * or all-zero weights and divides by their sum.  A constant column gets
 * weight 0, and when no criterion tells the rows apart (every column
 * constant, or one single row) the weights are equal, as in weighting.c.
 * Formulas, conventions and sources: docs/methods.md.
 */
#include "internal.h"
#include "methods.h"
#include "slab.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Equal weights when the data tell no criterion from another. */
static void fallback_equal(double *w, size_t nc) {
  for (size_t c = 0; c < nc; c++)
    if (w[c] > 0) return;
  for (size_t c = 0; c < nc; c++) w[c] = 1;
}

/* Checks that every value of criterion c is > 0 (strict) or >= 0; on the
 * first that is not (NaN included) the error names the stage, the
 * criterion, the value, and the strategy and scenario of its row. */
static int check_values(parley__ctx *ctx, const char *stage, size_t c, bool strict,
                        const char *need) {
  const double *x = parley__slab(ctx, c);
  size_t m = ctx->nk * ctx->ns;
  for (size_t i = 0; i < m; i++) {
    if (strict ? x[i] > 0 : x[i] >= 0) continue;
    const parley_model *md = ctx->model;
    size_t si = i % ctx->ns, ki = i / ctx->ns;
    const char *s = md && si < md->ns && md->strat[si].id ? md->strat[si].id : "?";
    const char *k = md && ki < md->nk && md->scen[ki].id ? md->scen[ki].id : "?";
    char v[32];
    parley__fmt_double(v, sizeof v, x[i]);
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "weighting %s: criterion '%s' has a value %s (%s, strategy '%s', "
                       "scenario '%s'); %s",
                       stage, parley__crit_id(ctx, c), strict ? "<= 0" : "< 0", v, s, k, need);
  }
  return PARLEY_OK;
}

static void slab_range(const double *x, size_t m, double *lo, double *hi) {
  double mn = x[0], mx = x[0];
  for (size_t i = 1; i < m; i++) {
    if (x[i] < mn) mn = x[i];
    if (x[i] > mx) mx = x[i];
  }
  *lo = mn;
  *hi = mx;
}

/* ---- merec ---------------------------------------------------------------- */
/* With L_ij = |ln n_ij| (n = min/x for a benefit criterion, x/max for a
 * cost one) and T_i = sum_j L_ij, the paper's S_i = ln(1 + T_i/nc) and
 * S'_ij = ln(1 + (T_i - L_ij)/nc), so that
 *   S_i - S'_ij = ln(1 + L_ij / (nc + T_i - L_ij)) >= 0,
 * computed with log1p: no difference of two nearly equal logarithms. */
int parley__w_merec(parley__ctx *ctx, double *w) {
  size_t nc = ctx->nc, m = ctx->nk * ctx->ns;
  for (size_t c = 0; c < nc; c++) {
    int rc = check_values(ctx, "merec", c, true, "MEREC takes logarithms and needs values > 0");
    if (rc != PARLEY_OK) return rc;
  }
  for (size_t c = 0; c < nc; c++) w[c] = 0;
  if (m == 0 || nc == 0) {
    fallback_equal(w, nc);
    return PARLEY_OK;
  }
  double *t = parley__calloc(ctx->engine, m, sizeof *t);
  double *lref = parley__malloc(ctx->engine, parley__mul(nc, sizeof *lref));
  if (!t || !lref) {
    parley__free(ctx->engine, t);
    parley__free(ctx->engine, lref);
    return PARLEY_ENOMEM;
  }
  /* ln of the reference value: the slab's minimum for a benefit criterion,
   * its maximum for a cost one; L = dir (ln x - lref) >= 0, exactly 0 at
   * the reference, so that a constant column has L = 0 everywhere. */
  for (size_t c = 0; c < nc; c++) {
    const double *x = parley__slab(ctx, c);
    double lo, hi;
    slab_range(x, m, &lo, &hi);
    int dir = parley__crit_dir(ctx, c);
    lref[c] = log(dir > 0 ? lo : hi);
    for (size_t i = 0; i < m; i++) t[i] += dir * (log(x[i]) - lref[c]);
  }
  double dnc = (double)nc;
  for (size_t c = 0; c < nc; c++) {
    const double *x = parley__slab(ctx, c);
    int dir = parley__crit_dir(ctx, c);
    double e = 0;
    for (size_t i = 0; i < m; i++) {
      double l = dir * (log(x[i]) - lref[c]);
      if (l > 0) e += log1p(l / (dnc + t[i] - l));
    }
    w[c] = e;
  }
  parley__free(ctx->engine, t);
  parley__free(ctx->engine, lref);
  fallback_equal(w, nc);
  return PARLEY_OK;
}

/* ---- cilos and idocriw ---------------------------------------------------- */
/* Solves a[k][k + 1] (the right-hand side in the last column) by Gaussian
 * elimination with partial pivoting, into q[k].  false when a pivot is
 * below tol: the system does not determine q. */
static bool solve(double *a, size_t k, double *q, double tol) {
  size_t w = k + 1;
  for (size_t p = 0; p < k; p++) {
    size_t best = p;
    for (size_t r = p + 1; r < k; r++)
      if (fabs(a[r * w + p]) > fabs(a[best * w + p])) best = r;
    if (!(fabs(a[best * w + p]) > tol)) return false;
    if (best != p)
      for (size_t j = 0; j < w; j++) {
        double tmp = a[p * w + j];
        a[p * w + j] = a[best * w + j];
        a[best * w + j] = tmp;
      }
    for (size_t r = p + 1; r < k; r++) {
      double f = a[r * w + p] / a[p * w + p];
      if (f == 0) continue;
      for (size_t j = p; j < w; j++) a[r * w + j] -= f * a[p * w + j];
    }
  }
  for (size_t i = k; i-- > 0;) {
    double s = a[i * w + k];
    for (size_t j = i + 1; j < k; j++) s -= a[i * w + j] * q[j];
    q[i] = s / a[i * w + i];
  }
  return true;
}

/* CILOS (Zavadskas & Podvezko 2016).  A cost criterion is first turned
 * into a benefit one by min/x and every column is divided by its sum; the
 * sums cancel in the relative losses, which are therefore computed from
 * the raw values directly:
 *   b_j      = the row best on criterion j (the first one on a tie)
 *   P_ij     = 1 - x_j[b_i] / max x_j      benefit j
 *            = 1 - min x_j / x_j[b_i]      cost j
 * (the share of criterion j's best value lost by choosing the row best on
 * criterion i), and the weights q solve F q = 0, sum q = 1, where F is P
 * with its diagonal replaced by minus the column sums.  Every column of F
 * sums to 0, so F is singular and, when its rank is k - 1, replacing one
 * equation by sum q = 1 gives a regular system whose solution is >= 0.
 * Constant columns lose nothing whatever is chosen and would take every
 * weight; they get 0 and the system is solved over the other criteria.
 * When the equations leave the weights undetermined (a row best on every
 * criterion makes P = 0), the varying criteria get equal weights.  stage
 * names the stage in messages. */
static int cilos_weights(parley__ctx *ctx, const char *stage, double *w) {
  size_t nc = ctx->nc, m = ctx->nk * ctx->ns;
  for (size_t c = 0; c < nc; c++) {
    int cost = parley__crit_dir(ctx, c) < 0;
    int rc = check_values(ctx, stage, c, cost,
                          cost ? "a cost criterion is turned into a benefit by min/x, which "
                                 "needs values > 0"
                               : "CILOS divides by column sums and needs values >= 0");
    if (rc != PARLEY_OK) return rc;
  }
  for (size_t c = 0; c < nc; c++) w[c] = 0;
  if (m == 0 || nc == 0) {
    fallback_equal(w, nc);
    return PARLEY_OK;
  }
  /* best[c]: the row best on criterion c; vary[0..k): the varying criteria. */
  size_t *best = parley__malloc(ctx->engine, parley__mul(nc, 2 * sizeof *best));
  if (!best) return PARLEY_ENOMEM;
  size_t *vary = best + nc, k = 0;
  for (size_t c = 0; c < nc; c++) {
    const double *x = parley__slab(ctx, c);
    int dir = parley__crit_dir(ctx, c);
    size_t b = 0;
    double lo = x[0], hi = x[0];
    for (size_t i = 1; i < m; i++) {
      if (dir > 0 ? x[i] > x[b] : x[i] < x[b]) b = i;
      if (x[i] < lo) lo = x[i];
      if (x[i] > hi) hi = x[i];
    }
    best[c] = b;
    if (hi > lo) vary[k++] = c;
  }
  if (k <= 1) {
    if (k == 1) w[vary[0]] = 1;
    parley__free(ctx->engine, best);
    fallback_equal(w, nc);
    return PARLEY_OK;
  }
  /* F over the varying criteria, k rows of k + 1 (the right-hand side). */
  double *a = parley__calloc(ctx->engine, parley__mul(k, k + 1), sizeof *a);
  double *q = parley__malloc(ctx->engine, parley__mul(k, sizeof *q));
  if (!a || !q) {
    parley__free(ctx->engine, best);
    parley__free(ctx->engine, a);
    parley__free(ctx->engine, q);
    return PARLEY_ENOMEM;
  }
  size_t aw = k + 1;
  double scale = 0;
  for (size_t jj = 0; jj < k; jj++) {
    size_t j = vary[jj];
    const double *x = parley__slab(ctx, j);
    double xb = x[best[j]], colsum = 0;
    for (size_t ii = 0; ii < k; ii++) {
      if (ii == jj) continue;
      double v = x[best[vary[ii]]];
      /* v <= xb (benefit) or v >= xb (cost), so the ratio is <= 1 and
       * P >= 0 exactly: division rounds monotonically. */
      double p = 1 - (parley__crit_dir(ctx, j) > 0 ? v / xb : xb / v);
      a[ii * aw + jj] = p;
      colsum += p;
      if (p > scale) scale = p;
    }
    a[jj * aw + jj] = -colsum;
    if (colsum > scale) scale = colsum;
  }
  bool ok = scale > 0;
  if (ok) {
    /* F q = 0 is homogeneous: scaling F to entries in [-1, 1] leaves q as
     * it is and puts the pivot test on the scale of the row of ones. */
    for (size_t i = 0; i < k - 1; i++)
      for (size_t j = 0; j < k; j++) a[i * aw + j] /= scale;
    for (size_t j = 0; j < k; j++) a[(k - 1) * aw + j] = 1;
    a[(k - 1) * aw + k] = 1;
    ok = solve(a, k, q, 1e-12);
  }
  for (size_t ii = 0; ii < k; ii++) {
    /* The exact solution is >= 0; rounding may leave a hair below. */
    double v = ok ? q[ii] : 1;
    w[vary[ii]] = v > 0 && isfinite(v) ? v : 0;
  }
  parley__free(ctx->engine, best);
  parley__free(ctx->engine, a);
  parley__free(ctx->engine, q);
  fallback_equal(w, nc);
  return PARLEY_OK;
}

int parley__w_cilos(parley__ctx *ctx, double *w) {
  return cilos_weights(ctx, "cilos", w);
}

/* IDOCRIW (Zavadskas & Podvezko 2016): w_j = q_j W_j / sum_k q_k W_k, q the
 * CILOS weights and W the entropy weights (as the entropy stage computes
 * them).  CILOS runs first: its checks include entropy's, so a bad value
 * is reported under this stage's name. */
int parley__w_idocriw(parley__ctx *ctx, double *w) {
  size_t nc = ctx->nc;
  int rc = cilos_weights(ctx, "idocriw", w);
  if (rc != PARLEY_OK) return rc;
  double *ent = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *ent));
  if (!ent) return PARLEY_ENOMEM;
  rc = parley__w_entropy(ctx, ent);
  if (rc != PARLEY_OK) {
    parley__free(ctx->engine, ent);
    return rc;
  }
  double sq = 0, se = 0;
  for (size_t c = 0; c < nc; c++) sq += w[c], se += ent[c];
  /* Both sums are > 0 (each method falls back to equal weights); the
   * products may still all be 0 when CILOS weighs only columns whose
   * entropy weight is 0, and then the equal fallback applies. */
  for (size_t c = 0; c < nc; c++) w[c] = sq > 0 && se > 0 ? (w[c] / sq) * (ent[c] / se) : 0;
  parley__free(ctx->engine, ent);
  fallback_equal(w, nc);
  return PARLEY_OK;
}

/* ---- gini ----------------------------------------------------------------- */
/* Gini coefficient (Li & Chi 2009) G = sum_i sum_j |x_i - x_j| / (2 m^2 mu).
 * Sorted ascending, sum_{i<j} (x_j - x_i) = sum_k (x_k - x_{k-1}) k (m - k)
 * over k = 1..m-1: each gap counted once per pair that straddles it.  Every
 * term is >= 0, so nothing cancels, and G = that sum / (m * sum x); values
 * are first divided by the largest so that no sum overflows (G does not
 * depend on the scale). */
int parley__w_gini(parley__ctx *ctx, double *w) {
  size_t nc = ctx->nc, m = ctx->nk * ctx->ns;
  for (size_t c = 0; c < nc; c++) {
    int rc = check_values(ctx, "gini", c, false,
                          "the Gini coefficient measures the spread of values >= 0");
    if (rc != PARLEY_OK) return rc;
  }
  for (size_t c = 0; c < nc; c++) w[c] = 0;
  if (m < 2 || nc == 0) {
    fallback_equal(w, nc);
    return PARLEY_OK;
  }
  double *s = parley__malloc(ctx->engine, parley__mul(m, sizeof *s));
  uint64_t *keys = parley__malloc(ctx->engine, parley__mul(m, 2 * sizeof *keys));
  if (!s || !keys) {
    parley__free(ctx->engine, s);
    parley__free(ctx->engine, keys);
    return PARLEY_ENOMEM;
  }
  double dm = (double)m;
  for (size_t c = 0; c < nc; c++) {
    memcpy(s, parley__slab(ctx, c), m * sizeof *s);
    parley__slab_sort(s, m, keys); /* the order qsort would give, faster */
    double mx = s[m - 1];
    /* All zeros: mu = 0 and no spread; constant: no spread.  Both get 0. */
    if (!(mx > s[0]) || !isfinite(mx)) continue;
    double sum = 0, spread = 0;
    for (size_t i = 0; i < m; i++) sum += s[i] / mx;
    for (size_t i = 1; i < m; i++)
      spread += ((s[i] - s[i - 1]) / mx) * ((double)i * (double)(m - i) / dm);
    w[c] = spread / sum;
  }
  parley__free(ctx->engine, s);
  parley__free(ctx->engine, keys);
  fallback_equal(w, nc);
  return PARLEY_OK;
}

/* ---- variance ------------------------------------------------------------- */
/* Variance of the min-max normalised column, population form (dividing by
 * m): var(x) / (max - min)^2, the same for a benefit or a cost reading of
 * the column (1 - r has the variance of r).  The sample form (m - 1)
 * scales every variance alike: the same weights. */
int parley__w_variance(parley__ctx *ctx, double *w) {
  size_t nc = ctx->nc, m = ctx->nk * ctx->ns;
  for (size_t c = 0; c < nc; c++) {
    w[c] = 0;
    if (m == 0) continue;
    const double *x = parley__slab(ctx, c);
    parley__slabstat st;
    parley__slab_stats(x, m, &st);
    double range = st.hi - st.lo;
    if (!(range > 0) || !isfinite(range)) continue;
    double mean = st.sum / (double)m;
    /* Two passes (mean, then centred squares) on the normalised scale keep
     * the sum of squares free of cancellation; the sums in the lanes of
     * slab.h. */
    w[c] = parley__slab_centred_sumsq(x, m, mean, range) / (double)m;
  }
  fallback_equal(w, nc);
  return PARLEY_OK;
}
