/*
 * methods.h — the built-in pipeline stages, one function each, registered by
 * name in registry.c.  Each follows the signature of its kind in internal.h
 * and reads everything else from the run context:
 *   weighting.c      given, equal, entropy, critic, std
 *   weighting_objective.c  merec, cilos, idocriw, gini, variance
 *   normalization.c  minmax, vector, sum, max, none
 *   aggregation.c    wsm, wpm, topsis
 *   distance_methods.c  mabac, codas, spotis, cocoso, marcos
 *   ratio_methods.c  copras, moora, multimoora, aras, waspas, edas
 *   vikor.c          vikor
 *   promethee.c      promethee1, promethee2
 *   electre.c        electre1, electre3
 *   rules.c          expected, maximin, maximax, hurwicz, laplace, minimax-regret
 * The formulas and their sources are in docs/methods.md.
 */
#ifndef PARLEY_METHODS_H
#define PARLEY_METHODS_H

#include "internal.h"

int parley__w_given(parley__ctx *ctx, double *w);
int parley__w_equal(parley__ctx *ctx, double *w);
int parley__w_entropy(parley__ctx *ctx, double *w);
int parley__w_critic(parley__ctx *ctx, double *w);
int parley__w_std(parley__ctx *ctx, double *w);
/* weighting_objective.c */
int parley__w_merec(parley__ctx *ctx, double *w);
int parley__w_cilos(parley__ctx *ctx, double *w);
int parley__w_idocriw(parley__ctx *ctx, double *w);
int parley__w_gini(parley__ctx *ctx, double *w);
int parley__w_variance(parley__ctx *ctx, double *w);

int parley__n_minmax(parley__ctx *ctx, size_t c, const double *x, size_t n, int dir, double lo,
                     double hi, double *a, double *b);
int parley__n_vector(parley__ctx *ctx, size_t c, const double *x, size_t n, int dir, double lo,
                     double hi, double *a, double *b);
int parley__n_sum(parley__ctx *ctx, size_t c, const double *x, size_t n, int dir, double lo,
                  double hi, double *a, double *b);
int parley__n_max(parley__ctx *ctx, size_t c, const double *x, size_t n, int dir, double lo,
                  double hi, double *a, double *b);
int parley__n_none(parley__ctx *ctx, size_t c, const double *x, size_t n, int dir, double lo,
                   double hi, double *a, double *b);

int parley__a_wsm(parley__ctx *ctx, double *u);
int parley__a_wpm(parley__ctx *ctx, double *u);
int parley__a_topsis(parley__ctx *ctx, double *u);
/* distance_methods.c (raw values; spotis scores lower-is-better) */
int parley__a_mabac(parley__ctx *ctx, double *u);
int parley__a_codas(parley__ctx *ctx, double *u);
int parley__a_spotis(parley__ctx *ctx, double *u);
int parley__a_cocoso(parley__ctx *ctx, double *u);
int parley__a_marcos(parley__ctx *ctx, double *u);
/* ratio_methods.c (raw values; all higher-is-better) */
int parley__a_copras(parley__ctx *ctx, double *u);
int parley__a_moora(parley__ctx *ctx, double *u);
int parley__a_multimoora(parley__ctx *ctx, double *u);
int parley__a_aras(parley__ctx *ctx, double *u);
int parley__a_waspas(parley__ctx *ctx, double *u);
int parley__a_edas(parley__ctx *ctx, double *u);
/* vikor.c (raw values; Q scores lower-is-better) */
int parley__a_vikor(parley__ctx *ctx, double *u);
/* promethee.c (raw values; net flows, higher-is-better) */
int parley__a_promethee1(parley__ctx *ctx, double *u);
int parley__a_promethee2(parley__ctx *ctx, double *u);
/* PROMETHEE's positive and negative flows plus[k * ns + s], minus[k * ns + s]
 * under the context's spec ("functions"); pairwise true takes the O(n^2)
 * reference path instead of the sorted one. */
int parley__promethee_flows(parley__ctx *ctx, bool pairwise, double *plus, double *minus);
/* electre.c (raw values): electre1 scores the net outranking count (higher
 * is better), electre3 the rank in the final preorder (lower is better). */
int parley__a_electre1(parley__ctx *ctx, double *u);
int parley__a_electre3(parley__ctx *ctx, double *u);
/* ELECTRE III's distillation of a credibility matrix S[n * n] (row a, column
 * b: S(a, b); the diagonal is not read) with s(l) = alpha l + beta:
 * cls[a] is a's class in the descending (ascending false) or ascending
 * preorder, 1 for the best class either way.  PARLEY_OK or PARLEY_ENOMEM. */
int parley__electre_distill(parley_engine *e, const double *S, size_t n, double alpha,
                            double beta, bool ascending, int *cls);

/* diagjson.c: pieces of the JSON text a stage leaves in ctx->diagnostics. */
void parley__json_str(parley__buf *b, const char *s);
/* The same for the n bytes at s (no NUL needed). */
void parley__json_strn(parley__buf *b, const char *s, size_t n);
void parley__json_num(parley__buf *b, double v);
/* ,"name":{"<strategy id>": x[s], ...} over the run's strategies (one
 * scenario's values), as a member of an object being written. */
void parley__json_strategy_map(parley__buf *b, const parley__ctx *ctx, const char *name,
                               const double *x);
/* Finishes b and hands its text to the run as ctx->diagnostics (replacing
 * any there); b is released either way.  PARLEY_OK or PARLEY_ENOMEM. */
int parley__diag_set(parley__ctx *ctx, parley__buf *b);

/* criterion_params.c: a JSON-object parameter `name` keyed by criterion id
 * (e.g. {"<criterion id>": {"q": 1}}): checks the object, refuses unknown
 * and repeated ids (messages "aggregation STAGE: NAME ...", shape the
 * expected form for them) and calls each(ctx, object, c, arg) for every
 * criterion named.  PARLEY_OK when the parameter is absent. */
struct cJSON;
typedef int (*parley__crit_param_fn)(parley__ctx *ctx, const struct cJSON *o, size_t c, void *arg);
int parley__crit_params(parley__ctx *ctx, const char *name, const char *stage,
                        const char *shape, parley__crit_param_fn each, void *arg);

/* draws.c: analyses on random draws */
int parley__analysis_montecarlo(parley__actx *a);
int parley__analysis_smaa(parley__actx *a);
/* rank_reversal.c: the test criteria of Wang & Triantaphyllou (2008) */
int parley__analysis_rank_reversal(parley__actx *a);
/* sensitivity.c: deterministic sensitivity of the weights and probabilities */
int parley__analysis_sensitivity(parley__actx *a);

int parley__r_expected(parley__ctx *ctx, const double *u, const double *p, double *score);
int parley__r_maximin(parley__ctx *ctx, const double *u, const double *p, double *score);
int parley__r_maximax(parley__ctx *ctx, const double *u, const double *p, double *score);
int parley__r_hurwicz(parley__ctx *ctx, const double *u, const double *p, double *score);
int parley__r_laplace(parley__ctx *ctx, const double *u, const double *p, double *score);
int parley__r_minimax_regret(parley__ctx *ctx, const double *u, const double *p, double *score);

#endif /* PARLEY_METHODS_H */
