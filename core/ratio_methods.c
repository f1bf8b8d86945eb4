/*
 * ratio_methods.c — six aggregations of the Vilnius school that define their
 * own scaling and so read the raw values (PARLEY__RAW_VALUES): copras,
 * moora, multimoora, aras, waspas and edas.  Each turns the cube into one
 * utility per (strategy, scenario), u[k * ns + s], higher being better.
 *
 * Whatever a method measures against — column sums, vector norms, the best
 * value, the optimal alternative, the average solution, the ranks of
 * MULTIMOORA — is taken over a criterion's whole slab (every strategy under
 * every scenario), as TOPSIS does in aggregation.c: a one-scenario model is
 * the textbook computation, and a utility means the same thing in every
 * scenario.  A criterion of weight 0 plays no part, and its values are not
 * checked.  Values outside a method's domain (a negative value where a ratio
 * is taken, a zero that would be divided by) are errors naming the method,
 * the criterion and the cell, never a NaN.  Scratch memory is O(cells),
 * taken from the engine and given back before returning.
 *
 * Formulas, degenerate cases and sources: docs/methods.md.
 */
#include "internal.h"
#include "methods.h"
#include "slab.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

/* The diagnostics list a value per cell (COPRAS's utility degrees,
 * MULTIMOORA's scores and ranks) only for models of at most this many
 * cells, as VIKOR's do: the document stays readable for a large model, and
 * writing a million numbers does not outweigh the method itself. */
#define RATIO_DIAG_CELLS 10000

static const char *strat_id(const parley__ctx *ctx, size_t s) {
  const parley_model *m = ctx->model;
  return m && s < m->ns && m->strat[s].id ? m->strat[s].id : "?";
}

static const char *scen_id(const parley__ctx *ctx, size_t k) {
  const parley_model *m = ctx->model;
  return m && k < m->nk && m->scen[k].id ? m->scen[k].id : "?";
}

/* Every value of criterion c's slab must be > 0 (strict) or >= 0.  The
 * message names the method, the criterion, the first offending cell and why
 * the method needs it. */
static int check_slab(parley__ctx *ctx, const char *method, size_t c, bool strict,
                      const char *why) {
  const double *x = parley__slab(ctx, c);
  size_t n = ctx->ns * ctx->nk;
  for (size_t i = 0; i < n; i++) {
    if (strict ? x[i] > 0 : x[i] >= 0) continue;
    char v[32];
    parley__fmt_double(v, sizeof v, x[i]);
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation %s: criterion '%s' has the value %s (strategy '%s', scenario "
                       "'%s'); %s needs values %s on %s",
                       method, parley__crit_id(ctx, c), v, strat_id(ctx, i % ctx->ns),
                       scen_id(ctx, i / ctx->ns), method, strict ? "> 0" : ">= 0", why);
  }
  return PARLEY_OK;
}

/* The largest magnitude of x[0..n): dividing by it first keeps sums and
 * norms of huge values from overflowing (the ratios the methods take do not
 * change when a column is scaled). */
static double max_abs(const double *x, size_t n) {
  double m = 0;
  for (size_t i = 0; i < n; i++) m = fabs(x[i]) > m ? fabs(x[i]) : m;
  return m;
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

/* ---- blocked passes ----------------------------------------------------------- */
/* Cells per block of the passes that add every criterion's terms: a block
 * of sums stays in L1 while the criteria add to it (128 measured faster
 * than 256). */
#define RATIO_BLOCK 128

/* 2^-e for the smallest power of two 2^e above mx (mx > 0 and finite),
 * kept within the normal range: x * scale is then exact and in [0, 1), so
 * that sums of such terms neither overflow nor underflow, whatever the
 * criterion's units (the ratios the methods take do not change when a
 * column is scaled). */
static double pow2_scale(double mx) {
  int e;
  frexp(mx, &e);
  return ldexp(1, e < -1021 ? 1021 : -e);
}

/* A criterion's term in a blocked pass: f * (x * sc), or f / x when recip
 * (ARAS's cost criteria). */
typedef struct lin_term {
  const double *x;
  double f, sc;
  bool recip;
} lin_term;

/* v[i] += the terms of four criteria, in model order, read and written once
 * per four criteria.  Called with the constant RATIO_BLOCK for whole
 * blocks, so that the compiler sees loops without remainder or aliasing
 * and vectorizes them at -O2. */
static inline void lin_add4(const lin_term *t, size_t i0, size_t len, double *restrict v) {
  const double *restrict x0 = t[0].x + i0, *restrict x1 = t[1].x + i0;
  const double *restrict x2 = t[2].x + i0, *restrict x3 = t[3].x + i0;
  double f0 = t[0].f, f1 = t[1].f, f2 = t[2].f, f3 = t[3].f;
  double s0 = t[0].sc, s1 = t[1].sc, s2 = t[2].sc, s3 = t[3].sc;
  for (size_t i = 0; i < len; i++)
    v[i] = (((v[i] + f0 * (x0[i] * s0)) + f1 * (x1[i] * s1)) + f2 * (x2[i] * s2)) +
           f3 * (x3[i] * s3);
}

static inline void lin_block(const lin_term *t, size_t nt, size_t i0, size_t len,
                             double *restrict v) {
  for (size_t i = 0; i < len; i++) v[i] = 0;
  size_t j = 0;
  for (; j + 4 <= nt; j += 4) lin_add4(t + j, i0, len, v);
  if (j + 2 <= nt) {
    const double *restrict x0 = t[j].x + i0, *restrict x1 = t[j + 1].x + i0;
    double f0 = t[j].f, f1 = t[j + 1].f, s0 = t[j].sc, s1 = t[j + 1].sc;
    for (size_t i = 0; i < len; i++) v[i] = (v[i] + f0 * (x0[i] * s0)) + f1 * (x1[i] * s1);
    j += 2;
  }
  for (; j < nt; j++) {
    const double *restrict x = t[j].x + i0;
    double f = t[j].f, sc = t[j].sc;
    for (size_t i = 0; i < len; i++) v[i] += f * (x[i] * sc);
  }
}

/* v[0..n) = the sum of the nt terms (0 when nt = 0). */
static void lin_pass(const lin_term *t, size_t nt, size_t n, double *v) {
  size_t i0 = 0;
  for (; i0 + RATIO_BLOCK <= n; i0 += RATIO_BLOCK) lin_block(t, nt, i0, RATIO_BLOCK, v + i0);
  if (i0 < n) lin_block(t, nt, i0, n - i0, v + i0);
}

/* v[i] = a / v[i] over len cells (called with the constant RATIO_BLOCK
 * for whole blocks, see lin_add4). */
static inline void ratio_of(double a, double *restrict v, size_t len) {
  for (size_t i = 0; i < len; i++) v[i] = a / v[i];
}

/* The sum of m / x over the slab (x > 0), a block at a time, each block's
 * quotients summed in the lanes of slab.h. */
static double recip_sum(const double *x, size_t n, double m) {
  double q[RATIO_BLOCK], sum = 0;
  for (size_t i0 = 0; i0 < n; i0 += RATIO_BLOCK) {
    size_t len = n - i0 < RATIO_BLOCK ? n - i0 : RATIO_BLOCK;
    if (len == RATIO_BLOCK)
      for (size_t i = 0; i < RATIO_BLOCK; i++) q[i] = m / x[i0 + i];
    else
      for (size_t i = 0; i < len; i++) q[i] = m / x[i0 + i];
    parley__slabstat st;
    parley__slab_stats(q, len, &st);
    sum += st.sum;
  }
  return sum;
}

/* ARAS's terms over len cells, each criterion in model order. */
static inline void aras_block(const lin_term *t, size_t nt, size_t i0, size_t len,
                              double *restrict v) {
  for (size_t i = 0; i < len; i++) v[i] = 0;
  for (size_t j = 0; j < nt; j++) {
    const double *restrict x = t[j].x + i0;
    double f = t[j].f, sc = t[j].sc;
    if (t[j].recip)
      for (size_t i = 0; i < len; i++) v[i] += f / x[i];
    else
      for (size_t i = 0; i < len; i++) v[i] += f * (x[i] * sc);
  }
}

static void aras_pass(const lin_term *t, size_t nt, size_t n, double *v) {
  size_t i0 = 0;
  for (; i0 + RATIO_BLOCK <= n; i0 += RATIO_BLOCK) aras_block(t, nt, i0, RATIO_BLOCK, v + i0);
  if (i0 < n) aras_block(t, nt, i0, n - i0, v + i0);
}

/* The sum of x * sc over the slab whose plain sum (four lanes) is sum:
 * scaling that sum is exact when it is finite; a slab so large that its
 * plain sum overflowed is summed again, scaled. */
static double scaled_sum(const double *x, size_t n, double sum, double sc) {
  if (isfinite(sum)) return sum * sc;
  double s = 0;
  for (size_t i = 0; i < n; i++) s += x[i] * sc;
  return s;
}

/* Whether every value of the slab whose range is [lo, hi] is in a method's
 * domain (> 0 when strict, >= 0 otherwise); check_slab names the cell when
 * one is not. */
static bool in_domain(double lo, bool strict) {
  return strict ? lo > 0 : lo >= 0;
}

/* ---- diagnostics: JSON object text ------------------------------------------ */
/* "key": {"strategy": {"scenario": v, ...}, ...}, laid out as the result's
 * "utilities"; v is per cell, u[k * ns + s] order, from d or (d NULL) r. */
static void json_cells(parley__buf *b, const parley__ctx *ctx, const char *key, const double *d,
                       const int *r) {
  parley__json_str(b, key);
  parley__buf_puts(b, ": {");
  for (size_t s = 0; s < ctx->ns; s++) {
    parley__buf_puts(b, s ? ", " : "");
    parley__json_str(b, strat_id(ctx, s));
    parley__buf_puts(b, ": {");
    for (size_t k = 0; k < ctx->nk; k++) {
      parley__buf_puts(b, k ? ", " : "");
      parley__json_str(b, scen_id(ctx, k));
      parley__buf_puts(b, ": ");
      if (d)
        parley__json_num(b, d[k * ctx->ns + s]);
      else
        parley__buf_printf(b, "%d", r[k * ctx->ns + s]);
    }
    parley__buf_puts(b, "}");
  }
  parley__buf_puts(b, "}");
}

/* "key": {"criterion": v, ...} over every criterion. */
static void json_crit(parley__buf *b, const parley__ctx *ctx, const char *key, const double *v) {
  parley__json_str(b, key);
  parley__buf_puts(b, ": {");
  for (size_t c = 0; c < ctx->nc; c++) {
    parley__buf_puts(b, c ? ", " : "");
    parley__json_str(b, parley__crit_id(ctx, c));
    parley__buf_puts(b, ": ");
    parley__json_num(b, v[c]);
  }
  parley__buf_puts(b, "}");
}

/* Hands the finished text to the run (replacing any left from before). */
static int diag_finish(parley__ctx *ctx, parley__buf *b) {
  parley__buf_puts(b, "}");
  return parley__diag_set(ctx, b);
}

/* ---- copras --------------------------------------------------------------- */
/* COPRAS (Zavadskas, Kaklauskas & Sarka 1994; as restated by Podvezko 2011,
 * Eqs. 8-11): d = w x / sum x over the slab; S+ sums d over the benefit
 * criteria, S- over the cost ones, and
 *   Q_i = S+_i + (S-min sum_j S-_j) / (S-_i sum_j (S-min / S-_j)),
 * computed as (S-min / S-_i) (sum S- / sum (S-min / S-)): every ratio
 * S-min / S- is at most 1, so nothing overflows. */
int parley__a_copras(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  if (n == 0) return PARLEY_OK;
  double *sm = parley__malloc(ctx->engine, parley__mul(n, sizeof *sm)); /* S- */
  lin_term *t = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *t));
  if (!sm || !t) {
    parley__free(ctx->engine, sm);
    parley__free(ctx->engine, t);
    return PARLEY_ENOMEM;
  }
  /* One pass per slab: its range (the domain, and the largest value) and
   * its sum.  The benefit criteria's terms go first in t, the cost
   * criteria's from the end, each in model order. */
  size_t nb = 0, ncost = 0;
  int rc = PARLEY_OK;
  for (size_t c = 0; c < nc; c++) {
    double w = ctx->w[c];
    if (w == 0) continue;
    int dir = parley__crit_dir(ctx, c);
    const double *x = parley__slab(ctx, c);
    parley__slabstat st;
    parley__slab_stats(x, n, &st);
    if (!in_domain(st.lo, dir < 0)) {
      rc = dir > 0 ? check_slab(ctx, "copras", c, false, "a benefit criterion (x / sum x)")
                   : check_slab(ctx, "copras", c, true, "a cost criterion (it divides by S-)");
      break;
    }
    /* A benefit column of zeros shares nothing out: it adds 0 to every S+. */
    if (st.hi == 0) continue;
    double sc = pow2_scale(st.hi);
    lin_term term = {x, w / scaled_sum(x, n, st.sum, sc), sc, false};
    if (dir > 0)
      t[nb++] = term;
    else
      t[nc - 1 - ncost++] = term;
  }
  if (rc == PARLEY_OK) {
    /* The cost terms back in model order, after the benefit ones. */
    for (size_t a = nc - ncost, b = nc - 1; a < b; a++, b--) {
      lin_term tmp = t[a];
      t[a] = t[b], t[b] = tmp;
    }
    lin_pass(t, nb, n, u); /* S+, then Q */
    lin_pass(t + nc - ncost, ncost, n, sm);
  }
  if (rc == PARLEY_OK && ncost > 0) {
    parley__slabstat st;
    parley__slab_stats(sm, n, &st);
    double smin = st.lo, tot = st.sum;
    /* Cost values are > 0, so S- is 0 only when a cell's costs are too small
     * against their columns to be represented: in the limit S- -> 0 those
     * cells share the whole sum of S- between them. */
    if (smin == 0) {
      size_t nzero = 0;
      for (size_t i = 0; i < n; i++) nzero += sm[i] == 0;
      for (size_t i = 0; i < n; i++) u[i] += sm[i] == 0 ? tot / (double)nzero : 0;
    } else {
      /* S-min / S-, kept in place of S-, then its sum. */
      size_t i0 = 0;
      for (; i0 + RATIO_BLOCK <= n; i0 += RATIO_BLOCK) ratio_of(smin, sm + i0, RATIO_BLOCK);
      ratio_of(smin, sm + i0, n - i0);
      parley__slab_stats(sm, n, &st);
      double k = tot / st.sum;
      for (size_t i = 0; i < n; i++) u[i] += sm[i] * k;
    }
  }
  if (rc == PARLEY_OK && !ctx->no_diagnostics) {
    /* The utility degree N = Q / Qmax (Q >= 0); when every Q is 0 every
     * strategy is as good as the best, N = 1. */
    double qmin, qmax;
    parley__slab_range(u, n, &qmin, &qmax);
    for (size_t i = 0; i < n; i++) sm[i] = qmax > 0 ? u[i] / qmax : 1;
    parley__buf b;
    parley__buf_init(&b, ctx->engine);
    parley__buf_puts(&b, "{");
    if (n <= RATIO_DIAG_CELLS)
      json_cells(&b, ctx, "utility_degree", sm, NULL);
    else
      parley__buf_printf(&b, "\"cells_omitted\": %zu", n);
    rc = diag_finish(ctx, &b);
  }
  parley__free(ctx->engine, sm);
  parley__free(ctx->engine, t);
  return rc;
}

/* ---- moora and multimoora ----------------------------------------------------- */
/* The Euclidean norm of the slab as mx * root, where mx is the largest
 * magnitude and root = sqrt(sum (x / mx)^2): a normalised value is then
 * (x / mx) / root, which neither overflows nor underflows.  mx = 0 for a
 * column of zeros. */
static void slab_norm(const double *x, size_t n, double *mx, double *root) {
  *mx = max_abs(x, n);
  double s = 0;
  for (size_t i = 0; *mx > 0 && i < n; i++) s += (x[i] / *mx) * (x[i] / *mx);
  *root = sqrt(s);
}

/* MOORA's ratio system (Brauers & Zavadskas 2006): x* = x / ||x||,
 * y = sum over benefit criteria of w x* - sum over cost criteria of w x*.
 * One pass per slab gives its norm (as the vector normalization finds it),
 * then the terms are added a block of cells at a time. */
int parley__a_moora(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  lin_term *t = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *t));
  if (!t) return PARLEY_ENOMEM;
  size_t nt = 0;
  for (size_t c = 0; c < nc && n > 0; c++) {
    double w = ctx->w[c];
    if (w == 0) continue;
    const double *x = parley__slab(ctx, c);
    parley__slabstat st;
    parley__slab_stats(x, n, &st);
    double mx = fmax(fabs(st.lo), fabs(st.hi));
    if (mx == 0) continue; /* a column of zeros: x* = 0 */
    /* The plain sum of squares serves when no square can overflow or
     * matter by underflowing (see parley__n_vector); otherwise the values
     * are scaled by a power of two first. */
    double sc = 1, root;
    if (mx >= 0x1p-450 && mx <= 0x1p450) {
      root = sqrt(st.sumsq);
    } else {
      sc = pow2_scale(mx);
      double s = 0;
      for (size_t i = 0; i < n; i++) s += (x[i] * sc) * (x[i] * sc);
      root = sqrt(s);
    }
    t[nt++] = (lin_term){x, parley__crit_dir(ctx, c) * w / root, sc, false};
  }
  lin_pass(t, nt, n, u);
  parley__free(ctx->engine, t);
  return PARLEY_OK;
}

/* The competition rank (1, 2, 2, 4) of each cell: parley__rank gives them
 * by place, order[t] being the cell at place t. */
static void cell_ranks(const double *score, size_t n, bool higher_better, size_t *order,
                       int *place, int *rank) {
  parley__rank(score, n, higher_better, order, place);
  for (size_t t = 0; t < n; t++) rank[order[t]] = place[t];
}

/* MULTIMOORA (Brauers & Zavadskas 2010): three scores per cell, ranked over
 * the whole slab, the ranks combined by their sum (a Borda count):
 *   ratio system     y = sum_B w x* - sum_C w x*                    higher better
 *   reference point  d = max_c |r_c - w_c x*_c|, r_c = the slab's best w x*  lower
 *   multiplicative   ln U = sum_B w ln x - sum_C w ln x            higher better
 *   utility          1 - (R_y + R_d + R_U - 3) / (3 (n - 1)), n cells (1 when n = 1) */
int parley__a_multimoora(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk;
  if (n == 0) return PARLEY_OK;
  for (size_t c = 0; c < ctx->nc; c++) {
    if (ctx->w[c] == 0) continue;
    int rc = check_slab(ctx, "multimoora", c, true, "a criterion of the full multiplicative form");
    if (rc != PARLEY_OK) return rc;
  }
  /* Scores y, d, ln U; the ranks of each by cell, and by place for
   * parley__rank; one order array. */
  double *y = parley__malloc(ctx->engine, parley__mul(n, 3 * sizeof *y));
  int *rk = parley__malloc(ctx->engine, parley__mul(n, 4 * sizeof *rk));
  size_t *order = parley__malloc(ctx->engine, parley__mul(n, sizeof *order));
  if (!y || !rk || !order) {
    parley__free(ctx->engine, y);
    parley__free(ctx->engine, rk);
    parley__free(ctx->engine, order);
    return PARLEY_ENOMEM;
  }
  double *d = y + n, *lu = y + 2 * n;
  int *ry = rk, *rd = rk + n, *ru = rk + 2 * n, *place = rk + 3 * n;
  for (size_t i = 0; i < n; i++) y[i] = d[i] = lu[i] = 0;
  for (size_t c = 0; c < ctx->nc; c++) {
    double w = ctx->w[c], mx, root, lo, hi;
    if (w == 0) continue;
    const double *x = parley__slab(ctx, c);
    int dir = parley__crit_dir(ctx, c);
    slab_norm(x, n, &mx, &root); /* values are > 0: mx > 0 */
    slab_min_max(x, n, &lo, &hi);
    /* x* rises with x, so the reference point is the slab's largest x* for
     * a benefit criterion, its smallest for a cost one. */
    double best = (dir > 0 ? hi : lo) / mx / root;
    for (size_t i = 0; i < n; i++) {
      double v = x[i] / mx / root, dev = w * fabs(best - v);
      y[i] += dir * w * v;
      d[i] = dev > d[i] ? dev : d[i];
      lu[i] += dir * w * log(x[i]);
    }
  }
  cell_ranks(y, n, true, order, place, ry);
  cell_ranks(d, n, false, order, place, rd);
  cell_ranks(lu, n, true, order, place, ru);
  for (size_t i = 0; i < n; i++)
    u[i] = n > 1 ? 1 - (double)(ry[i] + rd[i] + ru[i] - 3) / (3.0 * (double)(n - 1)) : 1;
  /* Diagnostics: the three scores and ranks, for a model of at most
   * RATIO_DIAG_CELLS cells; the multiplicative form as U / Umax over the
   * slab, which stays finite and in (0, 1] whatever the magnitudes. */
  int rc = PARLEY_OK;
  if (!ctx->no_diagnostics && n > RATIO_DIAG_CELLS) {
    parley__buf b;
    parley__buf_init(&b, ctx->engine);
    parley__buf_printf(&b, "{\"combination\": \"rank sum (Borda count)\", \"ranked_over\": "
                           "\"every (strategy, scenario) pair\", \"scores_omitted\": %zu", n);
    rc = diag_finish(ctx, &b);
  } else if (!ctx->no_diagnostics) {
    double lmax = lu[0];
    for (size_t i = 1; i < n; i++) lmax = lu[i] > lmax ? lu[i] : lmax;
    for (size_t i = 0; i < n; i++) lu[i] = exp(lu[i] - lmax);
    parley__buf b;
    parley__buf_init(&b, ctx->engine);
    parley__buf_puts(&b, "{\"combination\": \"rank sum (Borda count)\", \"ranked_over\": "
                         "\"every (strategy, scenario) pair\", \"ratio_system\": {");
    json_cells(&b, ctx, "score", y, NULL);
    parley__buf_puts(&b, ", ");
    json_cells(&b, ctx, "rank", NULL, ry);
    parley__buf_puts(&b, "}, \"reference_point\": {");
    json_cells(&b, ctx, "score", d, NULL);
    parley__buf_puts(&b, ", ");
    json_cells(&b, ctx, "rank", NULL, rd);
    parley__buf_puts(&b, "}, \"multiplicative\": {");
    json_cells(&b, ctx, "score", lu, NULL);
    parley__buf_puts(&b, ", ");
    json_cells(&b, ctx, "rank", NULL, ru);
    parley__buf_puts(&b, "}");
    rc = diag_finish(ctx, &b);
  }
  parley__free(ctx->engine, y);
  parley__free(ctx->engine, rk);
  parley__free(ctx->engine, order);
  return rc;
}

/* ---- aras ----------------------------------------------------------------- */
/* Reads the parameter "optimal", a JSON object of criterion id -> value,
 * into x0 (NaN where not given). */
static int aras_optimal(parley__ctx *ctx, double *x0) {
  for (size_t c = 0; c < ctx->nc; c++) x0[c] = NAN;
  const parley__param *p = ctx->spec ? parley__spec_get(ctx->spec, "optimal") : NULL;
  if (!p) return PARLEY_OK;
  cJSON *o = p->type == PARLEY__PJSON && p->text ? cJSON_Parse(p->text) : NULL;
  if (!cJSON_IsObject(o)) {
    cJSON_Delete(o);
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation aras: parameter 'optimal' must be a JSON object of criterion "
                       "id -> optimal value, e.g. {\"cost\": 10}");
  }
  int rc = PARLEY_OK;
  for (cJSON *it = o->child; it && rc == PARLEY_OK; it = it->next) {
    size_t c = 0;
    while (c < ctx->nc && strcmp(parley__crit_id(ctx, c), it->string) != 0) c++;
    if (c == ctx->nc)
      rc = parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation aras: parameter 'optimal' names criterion '%s', which the "
                       "model does not have", it->string);
    else if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || !(it->valuedouble > 0))
      rc = parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation aras: parameter 'optimal': the value of criterion '%s' must "
                       "be a number > 0", it->string);
    else
      x0[c] = it->valuedouble;
  }
  cJSON_Delete(o);
  return rc;
}

/* ARAS (Zavadskas & Turskis 2010): the optimal alternative 0 (given, or the
 * slab's best value) joins the slab; a cost criterion is read as 1/x; each
 * column is divided by its sum over the slab and alternative 0; S = sum of
 * w times that, and the utility degree K = S / S0.  One pass per slab (two
 * for a cost criterion, whose sum of m / x needs the range first) gives
 * each criterion's factor, S0 among them, and the utility degrees are then
 * added a block of cells at a time. */
int parley__a_aras(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  double *x0 = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *x0));
  lin_term *t = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *t));
  if (!x0 || !t) {
    parley__free(ctx->engine, x0);
    parley__free(ctx->engine, t);
    return PARLEY_ENOMEM;
  }
  int rc = n > 0 ? aras_optimal(ctx, x0) : PARLEY_OK;
  if (rc != PARLEY_OK || n == 0) {
    parley__free(ctx->engine, x0);
    parley__free(ctx->engine, t);
    return rc;
  }
  double s0 = 0;
  size_t nt = 0;
  for (size_t c = 0; c < nc && rc == PARLEY_OK; c++) {
    const double *x = parley__slab(ctx, c);
    int dir = parley__crit_dir(ctx, c);
    parley__slabstat st;
    parley__slab_stats(x, n, &st);
    if (isnan(x0[c])) x0[c] = dir > 0 ? st.hi : st.lo;
    double w = ctx->w[c];
    if (w == 0) continue;
    if (!in_domain(st.lo, dir < 0)) {
      rc = dir > 0 ? check_slab(ctx, "aras", c, false, "a benefit criterion (x / sum x)")
                   : check_slab(ctx, "aras", c, true, "a cost criterion (it is read as 1/x)");
      break;
    }
    /* Benefit: x / m with m = the largest of the column and x0; cost:
     * m / x with m = the smallest.  Scaling a column by m leaves its shares
     * of the column sum as they are, and keeps every term in [0, 1]. */
    double m = dir > 0 ? fmax(st.hi, x0[c]) : fmin(st.lo, x0[c]);
    if (m == 0) continue; /* a benefit column of zeros, alternative 0 too: adds nothing */
    if (dir > 0) {
      /* x / m = (x sc) q with sc a power of two and q = 1 / (m sc) in (1, 2]. */
      double sc = pow2_scale(m), q = 1 / (m * sc), t0 = x0[c] / m;
      double f = w / (t0 + q * scaled_sum(x, n, st.sum, sc));
      t[nt++] = (lin_term){x, f * q, sc, false};
      s0 += f * t0;
    } else {
      double t0 = m / x0[c], f = w / (t0 + recip_sum(x, n, m));
      t[nt++] = (lin_term){x, f * m, 0, true}; /* the term (f m) / x */
      s0 += f * t0;
    }
  }
  if (rc == PARLEY_OK) {
    /* S0 = 0 only when every weighted column is zeros (an optimal value
     * given is > 0): then every S is 0 as well and as good as the optimum.
     * Otherwise each factor takes 1 / S0 in, and K is written at once. */
    if (s0 > 0) {
      for (size_t j = 0; j < nt; j++) t[j].f /= s0;
      aras_pass(t, nt, n, u);
    } else {
      for (size_t i = 0; i < n; i++) u[i] = 1;
    }
    if (!ctx->no_diagnostics) {
      parley__buf b;
      parley__buf_init(&b, ctx->engine);
      parley__buf_puts(&b, "{");
      json_crit(&b, ctx, "optimal", x0);
      parley__buf_puts(&b, ", \"s0\": ");
      parley__json_num(&b, s0);
      rc = diag_finish(ctx, &b);
    }
  }
  parley__free(ctx->engine, x0);
  parley__free(ctx->engine, t);
  return rc;
}

/* ---- waspas --------------------------------------------------------------- */
/* One block of WASPAS (see below): the weighted sum and the log of the
 * weighted product of len cells, each criterion in model order, then Q. */
static inline void waspas_block(const lin_term *t, size_t nt, size_t i0, size_t len,
                                double lambda, double *restrict u) {
  double sw[RATIO_BLOCK], lp[RATIO_BLOCK], r[RATIO_BLOCK];
  for (size_t i = 0; i < len; i++) sw[i] = lp[i] = 0;
  for (size_t j = 0; j < nt; j++) {
    const double *restrict x = t[j].x + i0;
    double w = t[j].f, ref = t[j].sc;
    if (!t[j].x) {
      /* A benefit column of zeros puts no cell above another: r = 1. */
      for (size_t i = 0; i < len; i++) sw[i] += w;
      continue;
    }
    if (t[j].recip)
      for (size_t i = 0; i < len; i++) r[i] = ref / x[i];
    else
      for (size_t i = 0; i < len; i++) r[i] = x[i] / ref;
    for (size_t i = 0; i < len; i++) sw[i] += w * r[i];
    /* A zero makes the product 0: ln 0 = -inf stays -inf in the sum (every
     * other term is finite) and exp gives 0. */
    for (size_t i = 0; i < len; i++) lp[i] += r[i] > 0 ? w * log(r[i]) : -INFINITY;
  }
  for (size_t i = 0; i < len; i++) u[i] = lambda * sw[i] + (1 - lambda) * exp(lp[i]);
}

/* WASPAS (Zavadskas et al. 2012): r = x / max x (benefit), min x / x (cost)
 * over the slab; Q = lambda sum w r + (1 - lambda) prod r^w.  One pass per
 * slab finds its range, then Q is built a block of cells at a time. */
int parley__a_waspas(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  double lambda = ctx->stage ? parley__param_num(ctx->stage, ctx->spec, "lambda") : NAN;
  if (isnan(lambda)) lambda = 0.5;
  if (!(lambda >= 0 && lambda <= 1)) {
    char v[32];
    parley__fmt_double(v, sizeof v, lambda);
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation waspas: lambda=%s is outside [0, 1]", v);
  }
  if (n == 0) return PARLEY_OK;
  /* Each weighted criterion's term: f = w, and r = x / sc, or sc / x when
   * recip (a cost criterion); x = NULL for a benefit column of zeros. */
  lin_term *t = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *t));
  if (!t) return PARLEY_ENOMEM;
  size_t nt = 0;
  int rc = PARLEY_OK;
  for (size_t c = 0; c < nc; c++) {
    double w = ctx->w[c], lo, hi;
    if (w == 0) continue;
    int dir = parley__crit_dir(ctx, c);
    const double *x = parley__slab(ctx, c);
    parley__slab_range(x, n, &lo, &hi);
    if (!in_domain(lo, dir < 0)) {
      rc = dir > 0 ? check_slab(ctx, "waspas", c, false, "a benefit criterion (x / max x)")
                   : check_slab(ctx, "waspas", c, true, "a cost criterion (min x / x)");
      break;
    }
    if (dir > 0 && hi == 0)
      t[nt++] = (lin_term){NULL, w, 0, false};
    else
      t[nt++] = (lin_term){x, w, dir > 0 ? hi : lo, dir < 0};
  }
  if (rc == PARLEY_OK) {
    size_t i0 = 0;
    for (; i0 + RATIO_BLOCK <= n; i0 += RATIO_BLOCK)
      waspas_block(t, nt, i0, RATIO_BLOCK, lambda, u + i0);
    if (i0 < n) waspas_block(t, nt, i0, n - i0, lambda, u + i0);
  }
  parley__free(ctx->engine, t);
  return rc;
}

/* ---- edas ----------------------------------------------------------------- */
/* One block of EDAS's distances (see below): SP into sp, SN into sn. */
static inline void edas_block(const lin_term *t, const double *av, size_t nt, size_t i0,
                              size_t len, double *restrict sp, double *restrict sn) {
  for (size_t i = 0; i < len; i++) sp[i] = sn[i] = 0;
  for (size_t j = 0; j < nt; j++) {
    const double *restrict x = t[j].x + i0;
    double w = t[j].f, sc = t[j].sc, a = av[2 * j], k = av[2 * j + 1];
    for (size_t i = 0; i < len; i++) {
      /* pos - d is exactly 0 or -d: no branch, so the loop vectorizes. */
      double d = (x[i] * sc - a) * k, pos = d > 0 ? d : 0;
      sp[i] += w * pos;
      sn[i] += w * (pos - d);
    }
  }
}

/* AS = (NSP + NSN) / 2 over len cells, from SP in u and SN in sn. */
static inline void edas_score(size_t len, double isp, double isn, double *restrict u,
                              const double *restrict sn) {
  for (size_t i = 0; i < len; i++) u[i] = 0.5 * (u[i] * isp + (1 - sn[i] * isn));
}

/* EDAS (Keshavarz Ghorabaee et al. 2015): the average solution AV over the
 * slab; PDA = max(0, x - AV) / AV and NDA = max(0, AV - x) / AV (the other
 * way round for a cost criterion); SP, SN their weighted sums; NSP =
 * SP / max SP, NSN = 1 - SN / max SN; the appraisal score AS = (NSP + NSN) / 2.
 * One pass per slab gives its range and average, then the distances are
 * added a block of cells at a time; the divisions by AV, max SP and max SN
 * are products with their reciprocals. */
int parley__a_edas(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  if (n == 0) return PARLEY_OK;
  size_t m = nc ? nc : 1;
  double *sn = parley__malloc(ctx->engine, parley__mul(n, sizeof *sn));
  double *av = parley__malloc(ctx->engine, parley__mul(m, 3 * sizeof *av));
  lin_term *t = parley__malloc(ctx->engine, parley__mul(m, sizeof *t));
  if (!sn || !av || !t) {
    parley__free(ctx->engine, sn);
    parley__free(ctx->engine, av);
    parley__free(ctx->engine, t);
    return PARLEY_ENOMEM;
  }
  double *ak = av + m; /* per term: the scaled average, dir / that average */
  size_t nt = 0;
  int rc = PARLEY_OK;
  for (size_t c = 0; c < nc; c++) {
    const double *x = parley__slab(ctx, c);
    parley__slabstat st;
    parley__slab_stats(x, n, &st);
    double mx = fmax(fabs(st.lo), fabs(st.hi));
    /* The average of x sc, sc a power of two above the largest magnitude:
     * distances relative to it are the same as to AV, and neither
     * overflow nor underflow whatever the scale. */
    double sc = mx > 0 ? pow2_scale(mx) : 1;
    double as = mx > 0 ? scaled_sum(x, n, st.sum, sc) / (double)n : 0;
    /* A constant column is its own average (exactly, not up to rounding):
     * every distance is 0 and it plays no part. */
    av[c] = st.lo == st.hi ? st.lo : as / sc;
    double w = ctx->w[c];
    if (w == 0) continue;
    if (!in_domain(st.lo, false)) {
      rc = check_slab(ctx, "edas", c, false,
                      "every criterion (distances relative to the average)");
      break;
    }
    if (st.lo == st.hi) continue;
    /* x >= 0 and not constant: as > 0, and a distance is at most n - 1. */
    ak[2 * nt] = as;
    ak[2 * nt + 1] = parley__crit_dir(ctx, c) / as;
    t[nt++] = (lin_term){x, w, sc, false};
  }
  if (rc == PARLEY_OK) {
    size_t i0 = 0;
    for (; i0 + RATIO_BLOCK <= n; i0 += RATIO_BLOCK)
      edas_block(t, ak, nt, i0, RATIO_BLOCK, u + i0, sn + i0);
    if (i0 < n) edas_block(t, ak, nt, i0, n - i0, u + i0, sn + i0);
    double lo, msp, msn;
    parley__slab_range(u, n, &lo, &msp);
    parley__slab_range(sn, n, &lo, &msn);
    /* Nothing varies (max SP = max SN = 0): every cell is the average,
     * NSP = 0 and NSN = 1, AS = 0.5 — the midpoint, as TOPSIS gives. */
    double isp = msp > 0 ? 1 / msp : 0, isn = msn > 0 ? 1 / msn : 0;
    for (i0 = 0; i0 + RATIO_BLOCK <= n; i0 += RATIO_BLOCK)
      edas_score(RATIO_BLOCK, isp, isn, u + i0, sn + i0);
    edas_score(n - i0, isp, isn, u + i0, sn + i0);
    if (!ctx->no_diagnostics) {
      parley__buf b;
      parley__buf_init(&b, ctx->engine);
      parley__buf_puts(&b, "{");
      json_crit(&b, ctx, "average", av);
      rc = diag_finish(ctx, &b);
    }
  }
  parley__free(ctx->engine, sn);
  parley__free(ctx->engine, av);
  parley__free(ctx->engine, t);
  return rc;
}
