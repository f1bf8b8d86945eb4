/*
 * vikor.c — VIKOR, the compromise ranking of Opricovic (1998) as set out by
 * Opricovic & Tzeng (2004).  Each (strategy, scenario) cell gets the group
 * utility S (a weighted Manhattan distance to the ideal), the individual
 * regret R (the largest weighted term) and the compromise index
 *
 *   Q = v (S - S*) / (S- - S*) + (1 - v) (R - R*) / (R- - R*),
 *
 * lower being better; Q is the utility this stage returns, and the registry
 * flags it lower-is-better.  The method scales the raw values itself: the
 * best and worst value of each criterion, and S*, S-, R*, R-, are taken
 * over the whole slab (every strategy under every scenario), so that a Q
 * means the same in every scenario and a one-scenario model is the paper's
 * computation.  The diagnostics carry, per scenario, the paper's two
 * conditions on the best strategy by Q (acceptable advantage and acceptable
 * stability) and the compromise set they lead to.  Formula, degenerate
 * cases and sources: docs/methods.md.
 */
#include "internal.h"
#include "methods.h"
#include "slab.h"

#include <math.h>
#include <stdint.h>

/* The diagnostics list S, R and Q per strategy only for models of at most
 * this many cells, at most this many ids of a compromise set, and at most
 * this many scenarios: the document stays readable for a large model. */
#define VIKOR_DIAG_CELLS 10000
#define VIKOR_DIAG_LIST 100
#define VIKOR_DIAG_SCENARIOS 1000

/* The ranking's tie rule (docs/methods.md): rounding noise never decides. */
static bool same(double a, double b) {
  double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
  return fabs(a - b) <= 1e-12 * (m > 1 ? m : 1);
}

static const char *stage_name(const parley__ctx *ctx) {
  return ctx->stage && ctx->stage->name ? ctx->stage->name : "vikor";
}

/* Cells per block of the pass that builds S and R: a block of each stays
 * in L1 while the criteria add to it. */
#define VIKOR_BLOCK 128

/* The terms of four criteria added to a block's S and folded into its R,
 * in model order, so that each cell gets exactly the values a criterion-by-
 * criterion pass would give, while reading and writing S and R once per
 * four criteria.  Called with the constant VIKOR_BLOCK for whole blocks, so
 * that the compiler sees loops without remainder or aliasing and
 * vectorizes them at -O2. */
static inline void terms4(const double *const *x, size_t i0, size_t len, const double *k,
                          const double *best, double *restrict s, double *restrict r) {
  const double *restrict x0 = x[0] + i0, *restrict x1 = x[1] + i0;
  const double *restrict x2 = x[2] + i0, *restrict x3 = x[3] + i0;
  for (size_t i = 0; i < len; i++) {
    double t0 = k[0] * (best[0] - x0[i]), t1 = k[1] * (best[1] - x1[i]);
    double t2 = k[2] * (best[2] - x2[i]), t3 = k[3] * (best[3] - x3[i]);
    double si = s[i], ri = r[i];
    si += t0, ri = t0 > ri ? t0 : ri;
    si += t1, ri = t1 > ri ? t1 : ri;
    si += t2, ri = t2 > ri ? t2 : ri;
    si += t3, ri = t3 > ri ? t3 : ri;
    s[i] = si;
    r[i] = ri;
  }
}

static inline void terms2(const double *const *x, size_t i0, size_t len, const double *k,
                          const double *best, double *restrict s, double *restrict r) {
  const double *restrict x0 = x[0] + i0, *restrict x1 = x[1] + i0;
  for (size_t i = 0; i < len; i++) {
    double t0 = k[0] * (best[0] - x0[i]), t1 = k[1] * (best[1] - x1[i]);
    double si = s[i], ri = r[i];
    si += t0, ri = t0 > ri ? t0 : ri;
    si += t1, ri = t1 > ri ? t1 : ri;
    s[i] = si;
    r[i] = ri;
  }
}

static inline void terms1(const double *x, size_t i0, size_t len, double k, double best,
                          double *restrict s, double *restrict r) {
  const double *restrict x0 = x + i0;
  for (size_t i = 0; i < len; i++) {
    double t = k * (best - x0[i]);
    s[i] += t;
    r[i] = t > r[i] ? t : r[i];
  }
}

static inline void terms_block(const double *const *x, size_t na, size_t i0, size_t len,
                               const double *k, const double *best, double *restrict s,
                               double *restrict r) {
  for (size_t i = 0; i < len; i++) s[i] = r[i] = 0;
  size_t j = 0;
  for (; j + 4 <= na; j += 4) terms4(x + j, i0, len, k + j, best + j, s, r);
  if (j + 2 <= na) terms2(x + j, i0, len, k + j, best + j, s, r), j += 2;
  if (j < na) terms1(x[j], i0, len, k[j], best[j], s, r);
}

/* Q over len cells when S and R both vary (called with the constant
 * VIKOR_BLOCK for whole blocks, see terms4). */
static inline void compromise(size_t len, const double *restrict s, const double *restrict r,
                              double v, const double ref[4], double ds, double dr,
                              double *restrict u) {
  for (size_t i = 0; i < len; i++)
    u[i] = v * ((s[i] - ref[0]) / ds) + (1 - v) * ((r[i] - ref[2]) / dr);
}

/* S and R of every cell, and ref = S*, S-, R*, R- (their smallest and
 * largest values).  A criterion's term is w (f* - x) / (f* - f-), with f*
 * its best and f- its worst value over the slab; a criterion that does not
 * vary, or weighs nothing, has every strategy at its best: term 0.  One
 * pass finds each slab's range, then the terms are added a block of cells
 * at a time.  x and k are scratch for nc entries each, best for nc. */
static void utility_and_regret(const parley__ctx *ctx, double *s, double *r, const double **x,
                               double *k, double *best, double ref[4]) {
  size_t n = ctx->ns * ctx->nk, na = 0;
  for (size_t c = 0; c < ctx->nc; c++) {
    double w = ctx->w[c];
    if (!(w > 0)) continue;
    const double *xc = ctx->cube + c * n;
    double lo, hi;
    parley__slab_range(xc, n, &lo, &hi);
    int dir = parley__crit_dir(ctx, c);
    double b = dir > 0 ? hi : lo, worst = dir > 0 ? lo : hi;
    if (b == worst) continue;
    x[na] = xc;
    best[na] = b;
    k[na++] = w / (b - worst); /* the sign makes every term >= 0 */
  }
  double lo_s = INFINITY, hi_s = -INFINITY, lo_r = INFINITY, hi_r = -INFINITY;
  for (size_t i0 = 0; i0 < n; i0 += VIKOR_BLOCK) {
    size_t len = n - i0 < VIKOR_BLOCK ? n - i0 : VIKOR_BLOCK;
    if (len == VIKOR_BLOCK)
      terms_block(x, na, i0, VIKOR_BLOCK, k, best, s + i0, r + i0);
    else
      terms_block(x, na, i0, len, k, best, s + i0, r + i0);
    double a, b;
    parley__slab_range(s + i0, len, &a, &b);
    lo_s = a < lo_s ? a : lo_s, hi_s = b > hi_s ? b : hi_s;
    parley__slab_range(r + i0, len, &a, &b);
    lo_r = a < lo_r ? a : lo_r, hi_r = b > hi_r ? b : hi_r;
  }
  ref[0] = lo_s, ref[1] = hi_s, ref[2] = lo_r, ref[3] = hi_r;
}

/* One scenario's conditions and compromise set (Opricovic & Tzeng 2004,
 * step 5).  order and rank are scratch for ns entries, val for ns. */
static void scenario_block(parley__buf *b, const parley__ctx *ctx, size_t k, const double *S,
                           const double *R, const double *Q, double dq, size_t *order, int *rank,
                           double *val, bool maps) {
  size_t ns = ctx->ns;
  size_t a1 = 0, a2 = SIZE_MAX;
  double smin = S[0], rmin = R[0];
  for (size_t s = 1; s < ns; s++) {
    if (Q[s] < Q[a1]) a1 = s;
    smin = S[s] < smin ? S[s] : smin;
    rmin = R[s] < rmin ? R[s] : rmin;
  }
  for (size_t s = 0; s < ns; s++)
    if (s != a1 && (a2 == SIZE_MAX || Q[s] < Q[a2])) a2 = s;
  /* C1, acceptable advantage: Q(A2) - Q(A1) >= DQ (a lone strategy has no
   * rival).  C2, acceptable stability: A1 is also best by S or by R.  The
   * comparisons allow the ranking's 1e-12, so that a gap of exactly DQ
   * passes whatever the rounding. */
  bool c1 = a2 == SIZE_MAX || Q[a2] - Q[a1] >= dq - 1e-12;
  bool c2 = S[a1] <= smin || same(S[a1], smin) || R[a1] <= rmin || same(R[a1], rmin);
  size_t m = 0;
  if (c1) {
    order[m++] = a1;
    if (!c2) order[m++] = a2;
  } else {
    /* A(1) ... A(M): every strategy within DQ of the best, by Q. */
    size_t *member = order;
    for (size_t s = 0; s < ns; s++)
      if (!(Q[s] - Q[a1] >= dq - 1e-12)) member[m++] = s;
    for (size_t i = 0; i < m; i++) val[i] = Q[member[i]];
    /* The members in ascending Q, ties in model order: parley__rank gives
     * places into val, in the second half of the scratch, which are then
     * turned back into strategies. */
    size_t *place = order + ns;
    parley__rank(val, m, false, place, rank);
    for (size_t i = 0; i < m; i++) place[i] = member[place[i]];
    for (size_t i = 0; i < m; i++) order[i] = place[i];
  }
  parley__json_str(b, ctx->model->scen[k].id);
  parley__buf_puts(b, ":{\"best\":");
  parley__json_str(b, ctx->model->strat[a1].id);
  parley__buf_printf(b, ",\"acceptable_advantage\":%s,\"acceptable_stability\":%s",
                     c1 ? "true" : "false", c2 ? "true" : "false");
  parley__buf_puts(b, ",\"compromise\":[");
  for (size_t i = 0; i < m && i < VIKOR_DIAG_LIST; i++) {
    if (i) parley__buf_puts(b, ",");
    parley__json_str(b, ctx->model->strat[order[i]].id);
  }
  parley__buf_printf(b, "],\"compromise_size\":%zu", m);
  if (maps) {
    parley__json_strategy_map(b, ctx, "S", S);
    parley__json_strategy_map(b, ctx, "R", R);
    parley__json_strategy_map(b, ctx, "Q", Q);
  }
  parley__buf_puts(b, "}");
}

static int diagnostics(parley__ctx *ctx, const double *S, const double *R, const double *Q,
                       double v, const double ref[4]) {
  size_t ns = ctx->ns, nk = ctx->nk;
  if (!ctx->model) return PARLEY_OK;
  /* order needs room for two lists of ns (see scenario_block). */
  size_t *order = parley__malloc(ctx->engine, parley__mul(ns, 2 * sizeof *order));
  int *rank = parley__malloc(ctx->engine, parley__mul(ns, sizeof *rank));
  double *val = parley__malloc(ctx->engine, parley__mul(ns, sizeof *val));
  if (!order || !rank || !val) {
    parley__free(ctx->engine, order);
    parley__free(ctx->engine, rank);
    parley__free(ctx->engine, val);
    return PARLEY_ENOMEM;
  }
  parley__buf b;
  parley__buf_init(&b, ctx->engine);
  static const char *const ref_name[4] = {"S_best", "S_worst", "R_best", "R_worst"};
  parley__buf_puts(&b, "{\"v\":");
  parley__json_num(&b, v);
  for (int i = 0; i < 4; i++) {
    parley__buf_printf(&b, ",\"%s\":", ref_name[i]);
    parley__json_num(&b, ref[i]);
  }
  double dq = ns > 1 ? 1.0 / (double)(ns - 1) : 0;
  if (ns > 1) {
    parley__buf_puts(&b, ",\"dq\":");
    parley__json_num(&b, dq);
  }
  bool maps = ns * nk <= VIKOR_DIAG_CELLS;
  parley__buf_puts(&b, ",\"scenarios\":{");
  for (size_t k = 0; k < nk && k < VIKOR_DIAG_SCENARIOS; k++) {
    if (k) parley__buf_puts(&b, ",");
    size_t o = k * ns;
    scenario_block(&b, ctx, k, S + o, R + o, Q + o, dq, order, rank, val, maps);
  }
  parley__buf_puts(&b, "}");
  if (nk > VIKOR_DIAG_SCENARIOS)
    parley__buf_printf(&b, ",\"scenarios_omitted\":%zu", nk - VIKOR_DIAG_SCENARIOS);
  parley__buf_puts(&b, "}");
  parley__free(ctx->engine, order);
  parley__free(ctx->engine, rank);
  parley__free(ctx->engine, val);
  return parley__diag_set(ctx, &b);
}

int parley__a_vikor(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk;
  double v = parley__param_num(ctx->stage, ctx->spec, "v");
  if (isnan(v)) v = 0.5; /* a context without a registered stage: the default */
  if (!(v >= 0 && v <= 1))
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation %s: v=%g is outside [0, 1] (the weight of the group utility)",
                       stage_name(ctx), v);
  if (n == 0) return PARLEY_OK;
  size_t nc = ctx->nc ? ctx->nc : 1;
  double *S = parley__malloc(ctx->engine, parley__mul(n, 2 * sizeof *S));
  double *k = parley__malloc(ctx->engine, parley__mul(nc, 2 * sizeof *k));
  const double **x = parley__malloc(ctx->engine, parley__mul(nc, sizeof *x));
  if (!S || !k || !x) {
    parley__free(ctx->engine, S);
    parley__free(ctx->engine, k);
    parley__free(ctx->engine, x);
    return PARLEY_ENOMEM;
  }
  double *R = S + n;
  double ref[4]; /* S*, S-, R*, R- over the slab */
  utility_and_regret(ctx, S, R, x, k, k + nc, ref);
  /* S- = S* when every cell has the same group utility (one strategy, or
   * nothing varies): that term tells no cell from another and is 0; the
   * same for R.  So Q stays in [0, 1] and is never 0/0.  The usual case
   * gets a loop without branches, which the compiler vectorizes. */
  double ds = ref[1] - ref[0], dr = ref[3] - ref[2];
  if (ds > 0 && dr > 0) {
    size_t i0 = 0;
    for (; i0 + VIKOR_BLOCK <= n; i0 += VIKOR_BLOCK)
      compromise(VIKOR_BLOCK, S + i0, R + i0, v, ref, ds, dr, u + i0);
    compromise(n - i0, S + i0, R + i0, v, ref, ds, dr, u + i0);
  } else {
    for (size_t i = 0; i < n; i++) {
      double qs = ds > 0 ? (S[i] - ref[0]) / ds : 0, qr = dr > 0 ? (R[i] - ref[2]) / dr : 0;
      u[i] = v * qs + (1 - v) * qr;
    }
  }
  int rc = ctx->no_diagnostics ? PARLEY_OK : diagnostics(ctx, S, R, u, v, ref);
  parley__free(ctx->engine, S);
  parley__free(ctx->engine, k);
  parley__free(ctx->engine, x);
  return rc;
}
