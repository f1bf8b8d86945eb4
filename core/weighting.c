/*
 * weighting.c — the built-in weighting stages: given, equal, entropy, critic
 * and std.  Each fills raw weights w[nc]; the pipeline then refuses
 * negative or all-zero weights and divides by their sum.  The data-scanning
 * methods (entropy, critic, std) read the decision matrix as the stack of
 * every (strategy, scenario) pair: nk * ns rows and nc columns, one column
 * being a criterion's contiguous slab in the cube, so that with one scenario
 * the matrix is the textbook one.  When no criterion tells the rows apart at
 * all (every column constant, or one single row), these methods return equal
 * weights: every weighting then ranks the strategies the same.  Formulas,
 * conventions and sources: docs/methods.md.
 */
#include "internal.h"
#include "methods.h"
#include "slab.h"

#include <math.h>
#include <string.h>

/* The ids of the strategy and scenario behind row i of the stacked matrix,
 * for messages. */
static void row_ids(const parley__ctx *ctx, size_t i, const char **s, const char **k) {
  const parley_model *m = ctx->model;
  size_t si = ctx->ns ? i % ctx->ns : 0, ki = ctx->ns ? i / ctx->ns : 0;
  *s = m && si < m->ns && m->strat[si].id ? m->strat[si].id : "?";
  *k = m && ki < m->nk && m->scen[ki].id ? m->scen[ki].id : "?";
}

/* Equal weights when the data tell no criterion from another (see above). */
static bool fallback_equal(double *w, size_t nc) {
  for (size_t c = 0; c < nc; c++)
    if (w[c] > 0) return false;
  for (size_t c = 0; c < nc; c++) w[c] = 1;
  return true;
}

/* ---- given ---------------------------------------------------------------- */
static int given_actors(parley__ctx *ctx, double *w) {
  const parley_model *m = ctx->model;
  size_t nc = ctx->nc;
  double total = 0;
  for (size_t c = 0; c < nc; c++) w[c] = 0;
  for (size_t a = 0; a < m->na; a++) {
    const parley__actor *act = &m->act[a];
    /* An influence left unset counts as 1, as in the model file. */
    double infl = isnan(act->influence) ? 1 : act->influence;
    if (!(infl >= 0) || !isfinite(infl))
      return parley__err(ctx->engine, PARLEY_EINVALID,
                         "weighting given: actors[%zu].influence (actor '%s') must be a finite "
                         "number >= 0",
                         a, act->id ? act->id : "?");
    double sum = 0;
    for (size_t c = 0; c < nc; c++) {
      double v = act->weights && c < act->nw ? act->weights[c] : NAN;
      if (isnan(v))
        return parley__err(ctx->engine, PARLEY_EINVALID,
                           "weighting given: actors[%zu].weights.%s is missing (actor '%s' must "
                           "weigh every criterion)",
                           a, parley__crit_id(ctx, c), act->id ? act->id : "?");
      if (!(v >= 0) || !isfinite(v))
        return parley__err(ctx->engine, PARLEY_EINVALID,
                           "weighting given: actors[%zu].weights.%s must be a finite number >= 0",
                           a, parley__crit_id(ctx, c));
      sum += v;
    }
    if (!(sum > 0))
      return parley__err(ctx->engine, PARLEY_EINVALID,
                         "weighting given: actors[%zu].weights (actor '%s') are all zero", a,
                         act->id ? act->id : "?");
    /* Each actor's vector is made to sum to 1 first, so an actor who writes
     * weights out of 100 does not outvote one who writes them out of 1. */
    for (size_t c = 0; c < nc; c++) w[c] += infl * (act->weights[c] / sum);
    total += infl;
  }
  if (!(total > 0))
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "weighting given: every actor has influence 0");
  for (size_t c = 0; c < nc; c++) w[c] /= total;
  return PARLEY_OK;
}

int parley__w_given(parley__ctx *ctx, double *w) {
  const parley_model *m = ctx->model;
  if (m && m->na > 0) return given_actors(ctx, w);
  for (size_t c = 0; c < ctx->nc; c++) {
    double v = m ? m->crit[c].weight : NAN;
    if (isnan(v))
      return parley__err(ctx->engine, PARLEY_EINVALID,
                         "weighting given: criteria[%zu].weight is missing (criterion '%s'); "
                         "give every criterion a weight, or choose another weighting (equal, "
                         "entropy, critic, std)",
                         c, parley__crit_id(ctx, c));
    w[c] = v;
  }
  return PARLEY_OK;
}

/* ---- equal ---------------------------------------------------------------- */
int parley__w_equal(parley__ctx *ctx, double *w) {
  for (size_t c = 0; c < ctx->nc; c++) w[c] = 1.0 / (double)ctx->nc;
  return PARLEY_OK;
}

/* ---- entropy -------------------------------------------------------------- */
int parley__w_entropy(parley__ctx *ctx, double *w) {
  size_t m = ctx->nk * ctx->ns;
  /* ln m normalises E to [0, 1]; with a single row there is no information
   * at all (every d_j = 0) and the equal-weight fallback applies. */
  double lnm = m > 1 ? log((double)m) : 0;
  for (size_t c = 0; c < ctx->nc; c++) {
    const double *x = parley__slab(ctx, c);
    double sum = 0;
    for (size_t i = 0; i < m; i++) {
      if (x[i] < 0) {
        const char *s, *k;
        char v[32];
        row_ids(ctx, i, &s, &k);
        parley__fmt_double(v, sizeof v, x[i]);
        return parley__err(ctx->engine, PARLEY_EINVALID,
                           "weighting entropy: criterion '%s' has a negative value (%s, strategy "
                           "'%s', scenario '%s'); entropy weights need values >= 0",
                           parley__crit_id(ctx, c), v, s, k);
      }
      sum += x[i];
    }
    /* An all-zero column carries no information: E = 1, d = 0. */
    if (!(sum > 0) || lnm == 0) {
      w[c] = 0;
      continue;
    }
    /* -sum p ln p with p = x / S equals ln S - (1/S) sum x ln x: one pass,
     * one log per cell, and 0 ln 0 = 0 by skipping zeros. */
    double xlx = 0;
    for (size_t i = 0; i < m; i++)
      if (x[i] > 0) xlx += x[i] * log(x[i] / sum);
    double e = -(xlx / sum) / lnm;
    double d = 1 - e;
    /* Rounding can push E a hair above 1 for a near-constant column. */
    w[c] = d > 0 ? d : 0;
  }
  fallback_equal(w, ctx->nc);
  return PARLEY_OK;
}

/* ---- critic and std ------------------------------------------------------- */
/* Mean, minimum, maximum and standard deviation of the min-max normalised
 * column: sigma(r) = sigma(x) / (max - min), population form (dividing by
 * m).  The sample form (m - 1) multiplies every sigma by the same
 * sqrt(m / (m - 1)), so the normalised weights are identical either way. */
typedef struct colstat {
  double mean, range, sd_r; /* sd_r: sigma of the normalised column; 0 if constant */
} colstat;

static colstat column_stats(const double *x, size_t m) {
  colstat st = {0, 0, 0};
  if (m == 0) return st;
  /* The sums in the lanes of slab.h (order fixed, several additions at
   * once). */
  parley__slabstat s;
  parley__slab_stats(x, m, &s);
  st.mean = s.sum / (double)m;
  st.range = s.hi - s.lo;
  if (!(st.range > 0) || !isfinite(st.range)) {
    st.range = 0;
    return st;
  }
  /* Two passes (mean, then centred squares) on the normalised scale keep
   * the sum of squares free of cancellation. */
  double ss = parley__slab_centred_sumsq(x, m, st.mean, st.range);
  st.sd_r = sqrt(ss / (double)m);
  return st;
}

int parley__w_std(parley__ctx *ctx, double *w) {
  size_t m = ctx->nk * ctx->ns;
  for (size_t c = 0; c < ctx->nc; c++) w[c] = column_stats(parley__slab(ctx, c), m).sd_r;
  fallback_equal(w, ctx->nc);
  return PARLEY_OK;
}

/* Pearson correlation of the two columns' normalised, oriented values.  The
 * correlation of raw values is the same up to the sign of the orientation
 * (min-max scaling is affine), so it is computed on the raw slabs. */
static double oriented_corr(const parley__ctx *ctx, size_t j, size_t k, const colstat *st) {
  if (st[j].range == 0 || st[k].range == 0) return 0; /* undefined: taken as no correlation */
  size_t m = ctx->nk * ctx->ns;
  double sxy = parley__slab_centred_dot(parley__slab(ctx, j), parley__slab(ctx, k), m, st[j].mean,
                                        1 / st[j].range, st[k].mean, 1 / st[k].range);
  double r = (sxy / (double)m) / (st[j].sd_r * st[k].sd_r);
  if (r > 1) r = 1;
  if (r < -1) r = -1;
  int dj = ctx->model ? ctx->model->crit[j].dir : 1, dk = ctx->model ? ctx->model->crit[k].dir : 1;
  return dj * dk < 0 ? -r : r;
}

int parley__w_critic(parley__ctx *ctx, double *w) {
  size_t nc = ctx->nc, m = ctx->nk * ctx->ns;
  colstat *st = parley__malloc(ctx->engine, parley__mul(nc, sizeof *st));
  double *conflict = parley__calloc(ctx->engine, nc, sizeof *conflict);
  if (!st || !conflict) {
    parley__free(ctx->engine, st);
    parley__free(ctx->engine, conflict);
    return PARLEY_ENOMEM;
  }
  for (size_t c = 0; c < nc; c++) st[c] = column_stats(parley__slab(ctx, c), m);
  /* C_j = sigma_j * sum_k (1 - r_jk); the matrix is symmetric, so each pair
   * is computed once.  r_jj = 1 adds nothing. */
  for (size_t j = 0; j < nc; j++) {
    for (size_t k = j + 1; k < nc; k++) {
      double one_minus_r = 1 - oriented_corr(ctx, j, k, st);
      conflict[j] += one_minus_r;
      conflict[k] += one_minus_r;
    }
  }
  for (size_t c = 0; c < nc; c++) w[c] = st[c].sd_r * conflict[c];
  parley__free(ctx->engine, st);
  parley__free(ctx->engine, conflict);
  fallback_equal(w, nc);
  return PARLEY_OK;
}
