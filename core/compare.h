/*
 * compare.h — comparing rankings (core/compare.c): the coefficients of
 * similarity between two rankings, the compromise rankings across several,
 * the analysis "compare", and the stage lists of the run options
 * ("topsis,vikor:v=0.3,promethee2") that ask for it.  Formulas and sources:
 * docs/methods.md, "Comparing rankings".
 *
 * A ranking here is a vector of ranks, one per strategy, 1 = best, with
 * ties as mid-ranks (two strategies sharing places 2 and 3 both get 2.5),
 * so that every coefficient treats tied strategies alike whichever is
 * listed first.
 */
#ifndef PARLEY_COMPARE_H
#define PARLEY_COMPARE_H

#include "internal.h"

/* ---- coefficients ---------------------------------------------------------- */
/* Mid-ranks out[n] from the competition ranks rank_of[n] (1, 2, 2, 4) of
 * each strategy: a tie group of k strategies at rank r gets r + (k - 1) / 2.
 * count is scratch of n + 1 entries. */
void parley__midranks(const int *rank_of, size_t n, size_t *count, double *out);
/* Spearman's rho: the Pearson correlation of two rank vectors (mid-ranks
 * with ties).  1 for n < 2 and for two all-tied rankings; 0 when only one
 * ranking is all ties. */
double parley__spearman(const double *x, const double *y, size_t n);
/* The weighted Spearman r_w (Pinto da Costa & Soares 2005):
 * 1 - 6 sum (x - y)^2 ((n - x + 1) + (n - y + 1)) / (n^4 + n^3 - n^2 - n).
 * 1 for n < 2. */
double parley__weighted_spearman(const double *x, const double *y, size_t n);
/* The WS coefficient (Salabun & Urbaniak 2020) of y against the reference
 * ranking x: 1 - sum 2^-x_i |x_i - y_i| / max(|x_i - 1|, |n - x_i|).  Not
 * symmetric: the reference comes first.  1 for n < 2. */
double parley__ws(const double *x, const double *y, size_t n);

/* Compromise rankings of n strategies across m rankings given as mid-ranks
 * mid[j * n + s] (ranking j, strategy s).  Copeland: each pair of
 * strategies is won by the one more rankings put first (a pair with as many
 * for each is drawn); the score is wins minus losses.  O(m n^2).  Borda:
 * the score is sum over the rankings of n - mid-rank.  A higher score is
 * better for both. */
void parley__copeland(const double *mid, size_t m, size_t n, double *score);
void parley__borda(const double *mid, size_t m, size_t n, double *score);

/* The four similarity matrices [na * na] of the actors' rankings of a run
 * (row a, column b; ws with row a as the reference).  Any output may be
 * NULL.  PARLEY_OK or PARLEY_ENOMEM. */
int parley__actor_similarity(parley_engine *e, const parley_result *r, double *rho, double *rw,
                             double *ws, double *tau);

/* ---- stage lists ------------------------------------------------------------ */
/* A run option that names several stages, "topsis,vikor:v=0.3,promethee2":
 * the text is cut at the commas outside JSON brackets, and a piece starts a
 * new stage when it has a ':' before any '=' or no '=' at all; any other
 * piece (key=value) is one more parameter of the stage before it.  So
 * "hurwicz:alpha=0.5,maximin" is two stages and "x:a=1,b=2" one.  Parses
 * the first stage into out (the others are checked for syntax only); a
 * text without such a comma is parsed exactly as parley__spec_parse does. */
int parley__stage_list_first(parley_engine *e, parley__spec *out, const char *text,
                             const char *what);
/* Called with the analyses resolved (aspec and ast with room for one more):
 * when the run options' aggregation or rule names a list of two or more
 * stages, each is resolved (so that a typo fails before anything runs) and
 * the analysis "compare" is given them as its "aggregations" or "rules",
 * added to the analyses when it is not there yet.  A compare that is there
 * keeps the parameters it was given.  The run option's normalization, when
 * there is one, becomes compare's "normalization" likewise. */
int parley__compare_options(parley_engine *e, const parley_run_options *o, parley__spec *aspec,
                            const parley__stage **ast, size_t *naspec);
/* True when a run option's aggregation or rule names two or more stages. */
bool parley__compare_listed(const parley_run_options *o);

/* ---- the analysis ------------------------------------------------------------ */
int parley__analysis_compare(parley__actx *a);

#endif /* PARLEY_COMPARE_H */
