/*
 * distance_methods.c — five aggregation stages that define their own
 * scaling and so read the raw values and the criteria's directions:
 * mabac, codas, spotis, cocoso and marcos.  Each turns the cube into one
 * score per (strategy, scenario), u[k * ns + s].  Every reference point a
 * method measures against (border area, negative ideal, bounds, minimum and
 * maximum, ideal and anti-ideal) is taken over a criterion's whole slab —
 * every strategy under every scenario — so that a one-scenario model gives
 * the paper's numbers and a score means the same thing in every scenario.
 * SPOTIS scores a distance, lower being better; the others score higher
 * being better.  A criterion of weight 0 plays no part (its values are not
 * read), and every degenerate input has a finite result or an error naming
 * the stage and the criterion.  Formulas, choices and sources:
 * docs/methods.md.
 */
#include "internal.h"
#include "methods.h"
#include "slab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The strategy and scenario of slab cell i = k * ns + s, for messages. */
static const char *cell_strategy(const parley__ctx *ctx, size_t i) {
  const parley_model *m = ctx->model;
  size_t s = i % ctx->ns;
  return m && s < m->ns && m->strat[s].id ? m->strat[s].id : "?";
}

static const char *cell_scenario(const parley__ctx *ctx, size_t i) {
  const parley_model *m = ctx->model;
  size_t k = i / ctx->ns;
  return m && k < m->nk && m->scen[k].id ? m->scen[k].id : "?";
}

static void slab_min_max(const double *x, size_t n, double *lo, double *hi) {
  double mn = x[0], mx = x[0];
  for (size_t i = 1; i < n; i++) {
    mn = x[i] < mn ? x[i] : mn;
    mx = x[i] > mx ? x[i] : mx;
  }
  *lo = mn;
  *hi = mx;
}

/* The min-max normalised value, oriented: (x - lo) / (hi - lo) for a
 * benefit, (hi - x) / (hi - lo) for a cost criterion (hi > lo).  Written
 * as a quotient, not as an affine map, so that the worst value gives
 * exactly 0 and the best exactly 1: pow(0, w) must be 0, and a value a hair
 * below 0 would make it NaN. */
static inline double unit(double x, double lo, double hi, bool cost) {
  return (cost ? hi - x : x - lo) / (hi - lo);
}

/* The error for a value a method cannot read; why says what it needs. */
static int bad_value(const parley__ctx *ctx, const char *method, size_t c, size_t i,
                     const char *why) {
  char v[32];
  parley__fmt_double(v, sizeof v, parley__slab(ctx, c)[i]);
  return parley__err(ctx->engine, PARLEY_EINVALID,
                     "aggregation %s: criterion '%s' has the value %s for strategy '%s' under "
                     "scenario '%s'; %s",
                     method, parley__crit_id(ctx, c), v, cell_strategy(ctx, i),
                     cell_scenario(ctx, i), why);
}

/* Ratio methods (CODAS, MARCOS) read a benefit criterion as x / max and a
 * cost criterion as min / x: the first needs x >= 0, the second x > 0. */
static int check_ratio_values(const parley__ctx *ctx, const char *method, size_t c) {
  const double *x = parley__slab(ctx, c);
  size_t n = ctx->nk * ctx->ns;
  bool cost = parley__crit_dir(ctx, c) < 0;
  for (size_t i = 0; i < n; i++) {
    if (cost && !(x[i] > 0))
      return bad_value(ctx, method, c, i,
                       "a cost criterion is read as min / x, which needs values > 0");
    if (!cost && !(x[i] >= 0))
      return bad_value(ctx, method, c, i,
                       "a benefit criterion is read as x / max, which needs values >= 0");
  }
  return PARLEY_OK;
}

/* A numeric parameter of the stage, checked against [lo, hi] again for
 * callers that bypass the registry's check. */
static int param_in(const parley__ctx *ctx, const char *method, const char *key, double lo,
                    double hi, double *out) {
  double v = parley__param_num(ctx->stage, ctx->spec, key);
  if (!(v >= lo && v <= hi)) {
    char t[32], a[32], b[32];
    parley__fmt_double(t, sizeof t, v);
    parley__fmt_double(a, sizeof a, lo);
    parley__fmt_double(b, sizeof b, hi);
    return parley__err(ctx->engine, PARLEY_EINVALID, "aggregation %s: %s=%s is outside [%s, %s]",
                       method, key, t, a, b);
  }
  *out = v;
  return PARLEY_OK;
}

/* ---- mabac ---------------------------------------------------------------- */
/* Cells per chunk of the product that finds G: each of the four lanes
 * multiplies 128 factors of [1, 2], at most 2^128, and their product is at
 * most 2^512, far from overflow. */
#define MABAC_CHUNK 512

/* t = (x - ref) s over len cells: the min-max normalised value, oriented
 * (ref = lo, s = 1 / (hi - lo) for a benefit criterion; ref = hi,
 * s = -1 / (hi - lo) for a cost one).  x - ref has the sign of s, so t is
 * never below 0, and the worst value gives exactly 0. */
static inline void mabac_unit(const double *restrict x, size_t len, double ref, double s,
                              double *restrict t) {
  for (size_t i = 0; i < len; i++) t[i] = (x[i] - ref) * s;
}

/* ln of the product of 1 + t over len cells, len a multiple of 4, in four
 * lanes of products. */
static inline double mabac_log_product(const double *t, size_t len) {
  double p0 = 1, p1 = 1, p2 = 1, p3 = 1;
  for (size_t i = 0; i < len; i += 4) {
    p0 *= 1 + t[i], p1 *= 1 + t[i + 1], p2 *= 1 + t[i + 2], p3 *= 1 + t[i + 3];
  }
  return log((p0 * p1) * (p2 * p3));
}

/* Q over one block of len cells, each criterion in model order (called
 * with the constant MABAC_CHUNK for whole blocks, so that it vectorizes). */
static inline void mabac_block(const double *const *xs, const double *k, const double *ref,
                               const double *scale, const double *g, size_t na, size_t i0,
                               size_t len, double *restrict v) {
  for (size_t i = 0; i < len; i++) v[i] = 0;
  for (size_t j = 0; j < na; j++) {
    const double *restrict x = xs[j] + i0;
    double w = k[j], r = ref[j], s = scale[j], gj = g[j];
    for (size_t i = 0; i < len; i++) v[i] += w * (1 + (x[i] - r) * s - gj);
  }
}

/* Pamučar & Ćirović (2015).  With t the min-max normalised value (oriented),
 * v = w (t + 1) and the border approximation area G = (prod v)^(1/n) over
 * the slab, Q = sum_c (v - G).  Since v - G = w (1 + t - g) with
 * g = (prod (1 + t))^(1/n), G is found in logs and never under- or
 * overflows: the factors are multiplied a chunk at a time (a chunk's
 * product cannot overflow) and the chunks' logarithms summed, one
 * logarithm per 512 cells rather than per cell.  (g then differs from the
 * mean of log1p(t) in the last bits; it shifts every Q alike, so no
 * ranking depends on it.)  A constant criterion has v = G everywhere: it
 * adds 0.  One pass per slab finds its range, one finds g, and the terms
 * are added a block of cells at a time. */
int parley__a_mabac(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  if (n == 0) return PARLEY_OK;
  const double **xs = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *xs));
  double *k = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, 4 * sizeof *k));
  if (!xs || !k) {
    parley__free(ctx->engine, xs);
    parley__free(ctx->engine, k);
    return PARLEY_ENOMEM;
  }
  double *ref = k + nc, *scale = k + 2 * nc, *g = k + 3 * nc;
  double t[MABAC_CHUNK];
  size_t na = 0;
  for (size_t c = 0; c < nc; c++) {
    double w = ctx->w[c];
    if (w == 0) continue;
    const double *x = parley__slab(ctx, c);
    double lo, hi;
    parley__slab_range(x, n, &lo, &hi);
    if (!(hi > lo)) continue;
    bool cost = parley__crit_dir(ctx, c) < 0;
    double s = 1 / (hi - lo), r = cost ? hi : lo;
    s = cost ? -s : s;
    double logs = 0;
    size_t i0 = 0;
    for (; i0 + MABAC_CHUNK <= n; i0 += MABAC_CHUNK) {
      mabac_unit(x + i0, MABAC_CHUNK, r, s, t);
      logs += mabac_log_product(t, MABAC_CHUNK);
    }
    if (i0 < n) {
      /* The last chunk padded with t = 0, factors of exactly 1. */
      size_t len = n - i0, len4 = (len + 3) / 4 * 4;
      mabac_unit(x + i0, len, r, s, t);
      for (size_t i = len; i < len4; i++) t[i] = 0;
      logs += mabac_log_product(t, len4);
    }
    xs[na] = x, k[na] = w, ref[na] = r, scale[na] = s;
    g[na++] = exp(logs / (double)n);
  }
  size_t i0 = 0;
  for (; i0 + MABAC_CHUNK <= n; i0 += MABAC_CHUNK)
    mabac_block(xs, k, ref, scale, g, na, i0, MABAC_CHUNK, u + i0);
  if (i0 < n) mabac_block(xs, k, ref, scale, g, na, i0, n - i0, u + i0);
  parley__free(ctx->engine, xs);
  parley__free(ctx->engine, k);
  return PARLEY_OK;
}

/* ---- codas ---------------------------------------------------------------- */
typedef struct codas_cell {
  double e, t;
} codas_cell;

static int cmp_cell(const void *pa, const void *pb) {
  double a = ((const codas_cell *)pa)->e, b = ((const codas_cell *)pb)->e;
  return (a > b) - (a < b);
}

/* Keshavarz Ghorabaee et al. (2016).  r = w x / max (benefit) or
 * w min / x (cost); the negative ideal ns = the slab's smallest r; E and T
 * the Euclidean and taxicab distances of a cell from ns; and
 *   H_i = sum_k (E_i - E_k) + psi(E_i - E_k) (T_i - T_k),
 *   psi(d) = 1 when |d| >= tau, else 0       (eq. 10 as printed),
 * the sum running over every cell of the slab.  Summed naively H costs
 * O(n^2); here the cells are sorted by E once, and for each cell the ones
 * within tau of it (psi = 0) are found by bisection and their T taken from
 * prefix sums:
 *   H_i = (n E_i - sum E) + (n - c_i) T_i - (sum of T outside the window),
 * O(n log n) with O(n) scratch. */
int parley__a_codas(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  double tau;
  int rc = param_in(ctx, "codas", "tau", 0.01, 0.05, &tau);
  if (rc != PARLEY_OK) return rc;
  if (n == 0) return PARLEY_OK;
  for (size_t c = 0; c < nc; c++)
    if (ctx->w[c] != 0 && (rc = check_ratio_values(ctx, "codas", c)) != PARLEY_OK) return rc;

  /* u holds E^2, then E, then H; T, the sorted cells and the prefix sums
   * share one block. */
  double *t = parley__malloc(ctx->engine,
                             parley__mul(n + 1, 2 * sizeof(double) + sizeof(codas_cell)));
  if (!t) return PARLEY_ENOMEM;
  codas_cell *cell = (codas_cell *)(t + n);
  double *prefix = (double *)(cell + n); /* [n + 1] */
  for (size_t i = 0; i < n; i++) u[i] = t[i] = 0;

  for (size_t c = 0; c < nc; c++) {
    double w = ctx->w[c];
    if (w == 0) continue;
    const double *x = parley__slab(ctx, c);
    double lo, hi;
    slab_min_max(x, n, &lo, &hi);
    /* Every value equal (an all-zero benefit column included): every r is
     * the negative ideal, the distances gain nothing. */
    if (!(hi > lo)) continue;
    bool cost = parley__crit_dir(ctx, c) < 0;
    /* The smallest r is w lo / hi either way (min / max). */
    double ns = w * (lo / hi);
    for (size_t i = 0; i < n; i++) {
      double r = cost ? w * (lo / x[i]) : w * (x[i] / hi);
      double d = r - ns;
      u[i] += d * d;
      t[i] += d; /* d >= 0: |r - ns| */
    }
  }
  double sum_e = 0;
  for (size_t i = 0; i < n; i++) {
    u[i] = sqrt(u[i]);
    sum_e += u[i];
    cell[i].e = u[i];
    cell[i].t = t[i];
  }
  qsort(cell, n, sizeof *cell, cmp_cell);
  prefix[0] = 0;
  for (size_t j = 0; j < n; j++) prefix[j + 1] = prefix[j] + cell[j].t;

  for (size_t i = 0; i < n; i++) {
    double e = u[i];
    /* The window [lo, hi) of cells k with |E_i - E_k| < tau: the same
     * subtractions as psi's, so a cell on the border falls on the same side
     * as in the direct sum. */
    size_t a = 0, b = n;
    while (a < b) { /* first k with E_i - E_k < tau */
      size_t mid = a + (b - a) / 2;
      if (e - cell[mid].e >= tau) a = mid + 1;
      else b = mid;
    }
    size_t lo = a;
    b = n;
    while (a < b) { /* first k with E_k - E_i >= tau */
      size_t mid = a + (b - a) / 2;
      if (cell[mid].e - e >= tau) b = mid;
      else a = mid + 1;
    }
    size_t hi = a, inside = hi - lo;
    /* from the prefix sums alone, so that a window of every cell leaves
     * exactly 0 */
    double far_t = prefix[lo] + (prefix[n] - prefix[hi]);
    u[i] = ((double)n * e - sum_e) + ((double)(n - inside) * t[i] - far_t);
  }
  parley__free(ctx->engine, t);
  return PARLEY_OK;
}

/* ---- spotis --------------------------------------------------------------- */
/* Cells per block of the blocked passes (spotis, marcos): a block of
 * scores stays in L1 while every criterion adds to it (blocks of 128
 * measured faster than 256 or 512). */
#define DIST_BLOCK 128

/* u[i] += k |x - ideal| for four criteria in model order: each score adds
 * exactly the terms of a criterion-by-criterion pass, in the same order,
 * and is read and written once per four criteria.  Called with the
 * constant DIST_BLOCK for whole blocks, so that the compiler sees loops
 * without remainder or aliasing and vectorizes them at -O2. */
static inline void spotis_add4(const double *const *x, size_t i0, size_t len, const double *k,
                               const double *ideal, double *restrict u) {
  const double *restrict x0 = x[0] + i0, *restrict x1 = x[1] + i0;
  const double *restrict x2 = x[2] + i0, *restrict x3 = x[3] + i0;
  for (size_t i = 0; i < len; i++)
    u[i] = (((u[i] + k[0] * fabs(x0[i] - ideal[0])) + k[1] * fabs(x1[i] - ideal[1])) +
            k[2] * fabs(x2[i] - ideal[2])) + k[3] * fabs(x3[i] - ideal[3]);
}

static inline void spotis_block(const double *const *x, size_t na, size_t i0, size_t len,
                                const double *k, const double *ideal, double *restrict u) {
  for (size_t i = 0; i < len; i++) u[i] = 0;
  size_t j = 0;
  for (; j + 4 <= na; j += 4) spotis_add4(x + j, i0, len, k + j, ideal + j, u);
  if (j + 2 <= na) {
    const double *restrict x0 = x[j] + i0, *restrict x1 = x[j + 1] + i0;
    for (size_t i = 0; i < len; i++)
      u[i] = (u[i] + k[j] * fabs(x0[i] - ideal[j])) + k[j + 1] * fabs(x1[i] - ideal[j + 1]);
    j += 2;
  }
  if (j < na) {
    const double *restrict xj = x[j] + i0;
    for (size_t i = 0; i < len; i++) u[i] += k[j] * fabs(xj[i] - ideal[j]);
  }
}

/* Dezert, Tchamova, Han & Tacnet (2020).  Each criterion's bounds
 * [lo, hi] are its fixed scale; the ideal is hi for a benefit and lo for a
 * cost criterion, and
 *   d = sum_c w_c |x_c - ideal_c| / (hi_c - lo_c),
 * lower being better.  Fixed bounds make the score of a strategy depend on
 * nothing but its own values: adding or removing a strategy cannot reverse
 * the order of the others.  A criterion without a scale takes its bounds
 * from the slab instead, and that guarantee is lost; the diagnostics name
 * such criteria.  One pass per slab finds its range (which also checks a
 * fixed scale), then the terms are added a block of cells at a time. */
int parley__a_spotis(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  const parley_model *m = ctx->model;
  const double **xs = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *xs));
  double *k = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, 2 * sizeof *k));
  if (!xs || !k) {
    parley__free(ctx->engine, xs);
    parley__free(ctx->engine, k);
    return PARLEY_ENOMEM;
  }
  double *ideal = k + (nc ? nc : 1);
  size_t na = 0;
  int rc = PARLEY_OK;
  for (size_t c = 0; c < nc && rc == PARLEY_OK; c++) {
    double lo = m ? m->crit[c].lo : NAN, hi = m ? m->crit[c].hi : NAN;
    bool fixed = isfinite(lo) && isfinite(hi);
    if (fixed && !(lo < hi)) {
      char a[32], b[32];
      parley__fmt_double(a, sizeof a, lo);
      parley__fmt_double(b, sizeof b, hi);
      rc = parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation spotis: criterion '%s' has the empty scale [%s, %s]; "
                       "expected lo < hi", parley__crit_id(ctx, c), a, b);
      break;
    }
    double w = ctx->w[c];
    if (w == 0 || n == 0) continue;
    const double *x = parley__slab(ctx, c);
    double dlo, dhi;
    parley__slab_range(x, n, &dlo, &dhi);
    if (fixed && !(dlo >= lo && dhi <= hi)) {
      size_t i = 0;
      while (i < n && x[i] >= lo && x[i] <= hi) i++;
      char a[32], b[32], why[256];
      parley__fmt_double(a, sizeof a, lo);
      parley__fmt_double(b, sizeof b, hi);
      snprintf(why, sizeof why, "it lies outside the criterion's scale [%s, %s], and SPOTIS "
               "needs every value within the scale (widen the scale)", a, b);
      rc = bad_value(ctx, "spotis", c, i < n ? i : 0, why);
      break;
    }
    if (!fixed) {
      lo = dlo, hi = dhi;
      /* One value over the whole slab: every strategy is at the ideal. */
      if (!(hi > lo)) continue;
    }
    xs[na] = x;
    ideal[na] = parley__crit_dir(ctx, c) < 0 ? lo : hi;
    k[na++] = w / (hi - lo);
  }
  if (rc == PARLEY_OK) {
    size_t i0 = 0;
    for (; i0 + DIST_BLOCK <= n; i0 += DIST_BLOCK)
      spotis_block(xs, na, i0, DIST_BLOCK, k, ideal, u + i0);
    if (i0 < n) spotis_block(xs, na, i0, n - i0, k, ideal, u + i0);
  }
  parley__free(ctx->engine, xs);
  parley__free(ctx->engine, k);
  if (rc != PARLEY_OK || ctx->no_diagnostics) return rc;

  parley__buf b;
  parley__buf_init(&b, ctx->engine);
  parley__buf_puts(&b, "{\"bounds_from_data\": [");
  size_t from_data = 0;
  for (size_t c = 0; c < nc; c++) {
    if (m && isfinite(m->crit[c].lo) && isfinite(m->crit[c].hi)) continue;
    if (from_data++) parley__buf_puts(&b, ", ");
    parley__json_str(&b, parley__crit_id(ctx, c));
  }
  parley__buf_printf(&b, "], \"rank_reversal_free\": %s}", from_data ? "false" : "true");
  return parley__diag_set(ctx, &b);
}

/* ---- cocoso --------------------------------------------------------------- */
/* Yazdani, Zarate, Zavadskas & Turskis (2019).  With r the min-max
 * normalised value (oriented), S = sum_c w r and P = sum_c r^w, and over
 * the slab
 *   k_a = (P + S) / sum (P + S)
 *   k_b = S / min S + P / min P
 *   k_c = (lambda S + (1 - lambda) P) / (lambda max S + (1 - lambda) max P)
 *   k   = (k_a k_b k_c)^(1/3) + (k_a + k_b + k_c) / 3.
 * A criterion that is constant over the slab (r = 0 / 0) or of weight 0
 * plays no part: keeping it would add the same amount to every P (r^0 = 1)
 * or S, which is no information yet shifts every ratio.  A cell that is the
 * worst on every remaining criterion has S = P = 0, and the paper's k_b
 * would divide by zero: then k_b takes its ratios to the smallest positive
 * S and P and is 0 for such a cell.  When no cell has S or P above 0
 * (nothing varies, or one strategy), every cell is alike and gets the value
 * identical cells would get: k_a = 1/n, k_b = 2, k_c = 1. */
int parley__a_cocoso(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  double lambda;
  int rc = param_in(ctx, "cocoso", "lambda", 0, 1, &lambda);
  if (rc != PARLEY_OK) return rc;
  if (n == 0) return PARLEY_OK;
  double *p = parley__malloc(ctx->engine, parley__mul(n, sizeof *p));
  if (!p) return PARLEY_ENOMEM;
  double *s = u; /* S is built in place of the result */
  for (size_t i = 0; i < n; i++) s[i] = p[i] = 0;
  for (size_t c = 0; c < nc; c++) {
    double w = ctx->w[c];
    if (w == 0) continue;
    const double *x = parley__slab(ctx, c);
    double lo, hi;
    slab_min_max(x, n, &lo, &hi);
    if (!(hi > lo)) continue;
    bool cost = parley__crit_dir(ctx, c) < 0;
    for (size_t i = 0; i < n; i++) {
      double r = unit(x[i], lo, hi, cost);
      s[i] += w * r;
      p[i] += pow(r, w);
    }
  }
  double sum = 0, max_s = 0, max_p = 0, min_s = INFINITY, min_p = INFINITY;
  for (size_t i = 0; i < n; i++) {
    sum += s[i] + p[i];
    max_s = s[i] > max_s ? s[i] : max_s;
    max_p = p[i] > max_p ? p[i] : max_p;
    if (s[i] > 0 && s[i] < min_s) min_s = s[i];
    if (p[i] > 0 && p[i] < min_p) min_p = p[i];
  }
  double den_c = lambda * max_s + (1 - lambda) * max_p;
  for (size_t i = 0; i < n; i++) {
    double ka, kb, kc;
    if (!(sum > 0)) {
      ka = 1 / (double)n, kb = 2, kc = 1;
    } else {
      ka = (p[i] + s[i]) / sum;
      kb = (s[i] > 0 ? s[i] / min_s : 0) + (p[i] > 0 ? p[i] / min_p : 0);
      kc = den_c > 0 ? (lambda * s[i] + (1 - lambda) * p[i]) / den_c : 1;
    }
    u[i] = cbrt(ka * kb * kc) + (ka + kb + kc) / 3;
  }
  parley__free(ctx->engine, p);
  return PARLEY_OK;
}

/* ---- marcos --------------------------------------------------------------- */
/* Stević, Pamučar, Puška & Chatterjee (2020).  The ideal AI is the slab's
 * best value, the anti-ideal AAI its worst; n = x / AI (benefit) or
 * AI / x (cost); S = sum_c w n, likewise S_ai (= sum of the weights) and
 * S_aai; K- = S / S_aai, K+ = S / S_ai, f(K+) = K- / (K+ + K-),
 * f(K-) = K+ / (K+ + K-) and
 *   f(K) = (K+ + K-) / (1 + (1 - f(K+)) / f(K+) + (1 - f(K-)) / f(K-)).
 * With a = S_aai and b = S_ai, f(K+) = b / (a + b) and f(K-) = a / (a + b)
 * for every strategy, and the fraction simplifies to
 *   f(K) = S (a + b) / (a^2 + a b + b^2),
 * which is computed instead: the same number, and finite when a = 0 (a
 * benefit criterion whose worst value is 0 makes the paper's K- infinite),
 * where it tends to S / b. */
/* k S over one block of len cells (called with the constant DIST_BLOCK for
 * whole blocks, see spotis_add4). */
static inline void marcos_block(const double *const *xs, const double *wt, const double *ref,
                                const int *kind, size_t na, size_t i0, size_t len, double k,
                                double *restrict v) {
  for (size_t i = 0; i < len; i++) v[i] = 0;
  for (size_t j = 0; j < na; j++) {
    const double *restrict x = xs[j] + i0;
    double w = wt[j], r = ref[j];
    if (kind[j] == 0)
      for (size_t i = 0; i < len; i++) v[i] += w * (r / x[i]);
    else if (kind[j] == 1) /* r = w / AI: a product, not a division, per cell */
      for (size_t i = 0; i < len; i++) v[i] += r * x[i];
    else
      for (size_t i = 0; i < len; i++) v[i] += w;
  }
  for (size_t i = 0; i < len; i++) v[i] *= k;
}

int parley__a_marcos(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  if (n == 0) return PARLEY_OK;
  /* The terms of each weighted criterion, in model order: w (AI / x) for a
   * cost criterion (ref = AI), (w / AI) x for a benefit one (ref = w / AI,
   * which may differ from w (x / AI) in the last bit), w for a benefit
   * column of zeros. */
  const double **xs = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *xs));
  double *wt = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, 2 * sizeof *wt));
  int *kind = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *kind));
  if (!xs || !wt || !kind) {
    parley__free(ctx->engine, xs);
    parley__free(ctx->engine, wt);
    parley__free(ctx->engine, kind);
    return PARLEY_ENOMEM;
  }
  double *ref = wt + (nc ? nc : 1);
  double s_ai = 0, s_aai = 0;
  size_t na = 0;
  int rc = PARLEY_OK;
  for (size_t c = 0; c < nc; c++) {
    double w = ctx->w[c];
    if (w == 0) continue;
    const double *x = parley__slab(ctx, c);
    double lo, hi;
    parley__slab_range(x, n, &lo, &hi);
    bool cost = parley__crit_dir(ctx, c) < 0;
    /* The range tells whether every value is in the domain; the cell to
     * name is looked for only when one is not. */
    if (cost ? !(lo > 0) : !(lo >= 0)) {
      rc = check_ratio_values(ctx, "marcos", c);
      break;
    }
    s_ai += w;
    xs[na] = x;
    wt[na] = w;
    if (cost) {
      s_aai += w * (lo / hi);
      kind[na] = 0, ref[na] = lo;
    } else if (hi > 0) {
      s_aai += w * (lo / hi);
      kind[na] = 1, ref[na] = w / hi;
    } else {
      /* Every value 0: x / max is 0 / 0.  The column is constant, so every
       * strategy is at the ideal (n = 1), as for any constant column. */
      s_aai += w;
      kind[na] = 2, ref[na] = 0;
    }
    na++;
  }
  if (rc == PARLEY_OK) {
    double den = s_aai * s_aai + s_aai * s_ai + s_ai * s_ai;
    /* den = 0 only without a weighted criterion: nothing tells the
     * strategies apart, and every one scores 0. */
    double k = den > 0 ? (s_aai + s_ai) / den : 0;
    /* S, a block of cells at a time: each criterion adds its terms, in
     * model order, to sums that stay in cache. */
    size_t i0 = 0;
    for (; i0 + DIST_BLOCK <= n; i0 += DIST_BLOCK)
      marcos_block(xs, wt, ref, kind, na, i0, DIST_BLOCK, k, u + i0);
    if (i0 < n) marcos_block(xs, wt, ref, kind, na, i0, n - i0, k, u + i0);
  }
  parley__free(ctx->engine, xs);
  parley__free(ctx->engine, wt);
  parley__free(ctx->engine, kind);
  return rc;
}
