/*
 * rules.c — the built-in decision rules: expected, maximin, maximax,
 * hurwicz, laplace and minimax-regret.  A rule turns each strategy's row of
 * utilities, one per scenario (u[k * ns + s], higher is better), into one
 * score.  Every rule but minimax-regret scores higher-is-better; minimax-
 * regret scores a regret, lower-is-better, and the registry flags it so.
 * The loops run scenario by scenario over contiguous rows of utilities.
 * Formulas and sources: docs/methods.md.
 */
#include "internal.h"
#include "methods.h"

#include <math.h>
#include <string.h>

int parley__r_expected(parley__ctx *ctx, const double *u, const double *p, double *score) {
  if (!p)
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "rule expected needs scenario probabilities (give every scenario a "
                       "probability, or use laplace, maximin, maximax, hurwicz or "
                       "minimax-regret)");
  size_t ns = ctx->ns;
  for (size_t s = 0; s < ns; s++) score[s] = 0;
  for (size_t k = 0; k < ctx->nk; k++) {
    const double *row = u + k * ns;
    for (size_t s = 0; s < ns; s++) score[s] += p[k] * row[s];
  }
  return PARLEY_OK;
}

/* score[s] = the worst (sign < 0) or best (sign > 0) utility of s. */
static void extreme(const parley__ctx *ctx, const double *u, int sign, double *score) {
  size_t ns = ctx->ns;
  if (ns == 0) return;
  if (ctx->nk == 0) {
    for (size_t s = 0; s < ns; s++) score[s] = 0;
    return;
  }
  memcpy(score, u, ns * sizeof *score);
  for (size_t k = 1; k < ctx->nk; k++) {
    const double *row = u + k * ns;
    for (size_t s = 0; s < ns; s++)
      if (sign > 0 ? row[s] > score[s] : row[s] < score[s]) score[s] = row[s];
  }
}

int parley__r_maximin(parley__ctx *ctx, const double *u, const double *p, double *score) {
  (void)p;
  extreme(ctx, u, -1, score);
  return PARLEY_OK;
}

int parley__r_maximax(parley__ctx *ctx, const double *u, const double *p, double *score) {
  (void)p;
  extreme(ctx, u, +1, score);
  return PARLEY_OK;
}

int parley__r_hurwicz(parley__ctx *ctx, const double *u, const double *p, double *score) {
  (void)p;
  double alpha = ctx->stage ? parley__param_num(ctx->stage, ctx->spec, "alpha") : NAN;
  if (isnan(alpha)) alpha = 0.5;
  if (!(alpha >= 0 && alpha <= 1)) {
    char v[32];
    parley__fmt_double(v, sizeof v, alpha);
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "rule hurwicz: alpha=%s is outside [0, 1]", v);
  }
  size_t ns = ctx->ns;
  double *worst = parley__malloc(ctx->engine, parley__mul(ns, sizeof *worst));
  if (!worst) return PARLEY_ENOMEM;
  extreme(ctx, u, -1, worst);
  extreme(ctx, u, +1, score);
  /* alpha is the coefficient of optimism: the weight of the best case. */
  for (size_t s = 0; s < ns; s++) score[s] = alpha * score[s] + (1 - alpha) * worst[s];
  parley__free(ctx->engine, worst);
  return PARLEY_OK;
}

int parley__r_laplace(parley__ctx *ctx, const double *u, const double *p, double *score) {
  (void)p;
  size_t ns = ctx->ns, nk = ctx->nk;
  for (size_t s = 0; s < ns; s++) score[s] = 0;
  for (size_t k = 0; k < nk; k++) {
    const double *row = u + k * ns;
    for (size_t s = 0; s < ns; s++) score[s] += row[s];
  }
  if (nk > 0)
    for (size_t s = 0; s < ns; s++) score[s] /= (double)nk;
  return PARLEY_OK;
}

int parley__r_minimax_regret(parley__ctx *ctx, const double *u, const double *p, double *score) {
  (void)p;
  size_t ns = ctx->ns;
  /* Regret is never negative, so 0 starts the running maximum. */
  for (size_t s = 0; s < ns; s++) score[s] = 0;
  for (size_t k = 0; k < ctx->nk; k++) {
    const double *row = u + k * ns;
    if (ns == 0) break;
    double best = row[0];
    for (size_t s = 1; s < ns; s++)
      if (row[s] > best) best = row[s];
    for (size_t s = 0; s < ns; s++) {
      double regret = best - row[s];
      if (regret > score[s]) score[s] = regret;
    }
  }
  return PARLEY_OK;
}
