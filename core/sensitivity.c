/*
 * sensitivity.c — the deterministic sensitivity analysis ("sensitivity"):
 * how far the run's weights and scenario probabilities may move, one at a
 * time, before the recommendation changes.  Three parts, none of them drawn
 * at random (formulas, sources and every convention: docs/methods.md,
 * "Analyses", `sensitivity`):
 *   - a tornado: each criterion's weight moved by +-range, the other weights
 *     rescaled in proportion, and how far the top strategy's score swings;
 *   - weight stability intervals: for each criterion, the range of its
 *     weight over which the top of the ranking, and the whole ranking, stay
 *     as they are;
 *   - under the expected-value rule, for each scenario the smallest change
 *     of its probability that changes the top.
 * Every evaluation goes through the run's own stages (parley__eval) from the
 * run's weights and probabilities.  The normalization maps depend on
 * neither, so they are made once.  Where the scores are known to be linear
 * or piecewise linear in the number moved (wsm with expected or laplace;
 * wsm with maximin, maximax or hurwicz; any probability under expected),
 * the point where the ranking changes is solved in closed form on each
 * linear piece; elsewhere it is found by a grid scan and bisection.  The
 * run's result is only read: the analysis adds its own section and nothing
 * else.
 */
#include "internal.h"
#include "methods.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TIE_REL 1e-12           /* ranking.c's tie tolerance, for the closed forms */
#define BISECT_TOL 1e-9         /* a bisection stops when its bracket is this narrow */
#define MAX_KINKS 100000u       /* piecewise-linear path: candidate kinks per criterion */

enum { TOP = 0, RANKING = 1 };

/* How the change points of the weights are found. */
typedef enum {
  PATH_LINEAR,    /* every score linear in the weight: one piece, closed form */
  PATH_PIECEWISE, /* piecewise linear with known kinks: closed form on each piece */
  PATH_GRID       /* anything else: grid scan, then bisection */
} path_kind;

typedef struct sens {
  parley__actx *a;
  parley_engine *e;
  const parley_model *m;
  const parley_result *r;
  size_t ns, nk, nc;
  parley__eval ev;
  bool ev_ready;
  double sigma;       /* +1 when a higher score is better, -1 when a lower one is */
  double range;       /* the tornado's move either way */
  size_t steps;       /* grid cells over [0, 1] */
  path_kind path;     /* for the weights */
  /* What an evaluation moves: scenario idx's probability (prob) or
   * criterion idx's weight. */
  bool prob;
  size_t idx;
  double *w, *p;      /* [nc], [nk]: the moved vectors */
  double *u;          /* [nk * ns] utilities of the last evaluation */
  double *u0, *u1;    /* [nk * ns] utilities at weight 0 and 1 (piecewise path) */
  double *f[3];       /* [ns] scores: the two ends of a piece, a bisection probe */
  size_t *order;      /* [ns] */
  int *rank;          /* [ns] */
  int *rank_of;       /* [ns] rank of each strategy in the last ranking made */
  int *base;          /* [ns] the run's rank of each strategy */
  double *kink;       /* [cap] sorted kinks of the scores inside (0, 1) */
  size_t nkink;
  double last_progress;
} sens;

/* What a walk from the run's value towards 0 or 1 found: for the top and
 * for the whole ranking, whether and where it changed first, and who takes
 * the top just past the top's change. */
typedef struct found {
  bool hit[2];
  double at[2];       /* the change point, or the end of the walk */
  size_t new_top;     /* SIZE_MAX: none */
} found;

/* ---- small helpers ------------------------------------------------------------ */
static bool ties(double a, double b) {
  if (a == b) return true;
  double scale = fmax(1.0, fmax(fabs(a), fabs(b)));
  return fabs(a - b) <= TIE_REL * scale;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* out = base with entry i set to x and the others rescaled in proportion so
 * that the sum stays 1; when the others are all 0 they share 1 - x equally.
 * x equal to base[i] gives base itself, to the bit, so that the walks start
 * from the run's own scores. */
static void move(const double *base, size_t n, size_t i, double x, double *out) {
  if (x == base[i]) {
    memcpy(out, base, n * sizeof *out);
    return;
  }
  double rest = 0;
  for (size_t j = 0; j < n; j++)
    if (j != i) rest += base[j];
  for (size_t j = 0; j < n; j++) {
    if (j == i) out[j] = x;
    else if (rest > 0) out[j] = base[j] * ((1 - x) / rest);
    else out[j] = (1 - x) / (double)(n - 1);
  }
}

/* Scores f[ns] with the moved number at x.  A failing stage's message is
 * kept, prefixed with what was moved and where. */
static int evaluate(sens *S, double x, double *f) {
  const parley_result *r = S->r;
  int rc;
  if (S->prob) {
    move(r->p, S->nk, S->idx, x, S->p);
    S->ev.ctx.p = S->p;
    rc = parley__eval_score(&S->ev, r->w, S->u, f);
  } else {
    move(r->w, S->nc, S->idx, x, S->w);
    S->ev.ctx.p = r->p;
    rc = parley__eval_score(&S->ev, S->w, S->u, f);
  }
  if (rc == PARLEY_OK) return PARLEY_OK;
  char why[PARLEY__ERRMAX], v[32];
  snprintf(why, sizeof why, "%s", S->e->errmsg[0] ? S->e->errmsg : "out of memory");
  parley__fmt_double(v, sizeof v, x);
  return parley__err(S->e, rc, "analysis sensitivity: %s '%s' at %s %s: %s",
                     S->prob ? "scenario" : "criterion",
                     S->prob ? S->m->scen[S->idx].id : S->m->crit[S->idx].id,
                     S->prob ? "probability" : "weight", v, why);
}

/* Ranks f into S->order, S->rank and S->rank_of. */
static void rank_scores(sens *S, const double *f) {
  parley__rank(f, S->ns, S->sigma > 0, S->order, S->rank);
  for (size_t i = 0; i < S->ns; i++) S->rank_of[S->order[i]] = S->rank[i];
}

/* Whether the last ranking made has the run's top (the set of strategies
 * at rank 1) or, with what == RANKING, the run's whole ranking. */
static bool same(const sens *S, int what) {
  for (size_t s = 0; s < S->ns; s++) {
    bool differs = what == TOP ? (S->rank_of[s] == 1) != (S->base[s] == 1)
                               : S->rank_of[s] != S->base[s];
    if (differs) return false;
  }
  return true;
}

/* The new top of the last ranking made: the first strategy at rank 1 that
 * was not at the run's top, or (the top only shrank) the first at rank 1. */
static size_t ranked_new_top(const sens *S) {
  for (size_t i = 0; i < S->ns && S->rank[i] == 1; i++)
    if (S->base[S->order[i]] != 1) return S->order[i];
  return S->ns ? S->order[0] : SIZE_MAX;
}

/* ---- finding the change points ------------------------------------------------- */
/* Bisection between lo, where the top (or the ranking) is the run's, and hi,
 * where it is not, until the bracket is BISECT_TOL wide; the change point is
 * its midpoint.  new_top, when asked for, is the top at hi. */
static int bisect(sens *S, int what, double lo, double hi, double *root, size_t *new_top) {
  while (fabs(hi - lo) > BISECT_TOL) {
    double mid = lo + (hi - lo) / 2;
    if (mid == lo || mid == hi) break;
    int rc = evaluate(S, mid, S->f[2]);
    if (rc != PARLEY_OK) return rc;
    rank_scores(S, S->f[2]);
    if (same(S, what)) lo = mid;
    else hi = mid;
  }
  *root = lo + (hi - lo) / 2;
  if (new_top) {
    int rc = evaluate(S, hi, S->f[2]);
    if (rc != PARLEY_OK) return rc;
    rank_scores(S, S->f[2]);
    *new_top = ranked_new_top(S);
  }
  return PARLEY_OK;
}

/* Pair (i, j), i better than j at t, stops being so before b: where (the
 * lines cross), kept in *best when nearer t than what it holds. */
static void crossing(const sens *S, size_t i, size_t j, double t, double b, const double *ft,
                     const double *fb, double *best) {
  double dt = S->sigma * (ft[i] - ft[j]), db = S->sigma * (fb[i] - fb[j]);
  double x;
  if (!(ties(fb[i], fb[j]) || db < 0)) return;
  if (!(dt > 0) || !(dt - db > 0)) {
    x = t; /* rounding put them level at t already */
  } else {
    double frac = dt / (dt - db);
    x = t + (b - t) * (frac < 0 ? 0 : frac > 1 ? 1 : frac);
  }
  if (isnan(*best) || fabs(x - t) < fabs(*best - t)) *best = x;
}

/* Where between t and b the top (or the ranking) first changes, given that
 * every score is linear in between (scores ft at t, fb at b), that the state
 * at t is the run's and that it is not at b.  Each pair of strategies keeps
 * its order until the two lines cross, and the first pair to cross is one
 * next to each other in the order at t; a pair tied at t separates at once
 * unless the two lines are the same.  False when the lines show no change
 * (rounding made them disagree with the ranks): the caller bisects. */
static bool exact_root(sens *S, int what, double t, double b, const double *ft,
                       const double *fb, double *root) {
  double best = NAN;
  if (what == TOP) {
    size_t t0 = SIZE_MAX;
    for (size_t s = 0; s < S->ns; s++) {
      if (S->base[s] != 1) continue;
      if (t0 == SIZE_MAX) t0 = s;
      else if (!ties(fb[t0], fb[s])) best = t; /* the tied top comes apart */
    }
    /* Otherwise the top ones share one line: the first other strategy to
     * reach it. */
    for (size_t s = 0; s < S->ns && best != t; s++)
      if (S->base[s] != 1) crossing(S, t0, s, t, b, ft, fb, &best);
  } else {
    rank_scores(S, ft);
    for (size_t q = 0; q + 1 < S->ns; q++) {
      size_t i = S->order[q], j = S->order[q + 1];
      if (ties(ft[i], ft[j])) {
        if (!ties(fb[i], fb[j])) best = t;
      } else {
        crossing(S, i, j, t, b, ft, fb, &best);
      }
      if (best == t) break;
    }
  }
  if (isnan(best)) return false;
  *root = best;
  return true;
}

/* The top just past x on the lines through (t, ft) and (b, fb): the best
 * score at x, and among scores level there the one gaining fastest towards
 * b. */
static size_t line_top(const sens *S, double t, double b, const double *ft, const double *fb,
                       double x) {
  double frac = b == t ? 0 : (x - t) / (b - t);
  size_t top = SIZE_MAX;
  double tv = 0, tg = 0;
  for (size_t s = 0; s < S->ns; s++) {
    double v = S->sigma * (ft[s] + (fb[s] - ft[s]) * frac), g = S->sigma * (fb[s] - ft[s]);
    bool level = top != SIZE_MAX && ties(v, tv);
    if (top == SIZE_MAX || (!level && v > tv) || (level && g > tg)) {
      top = s;
      tv = v;
      tg = g;
    }
  }
  return top;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The kinks of the scores of wsm under maximin, maximax or hurwicz when
 * criterion S->idx's weight moves: a utility u[s, k] is linear in the
 * weight, and each score is the smallest or largest of its strategy's
 * utilities (or a mix of the two), so it bends only where two utilities of
 * one strategy cross.  Those crossings, from the utilities at weight 0 and
 * 1, sorted. */
static int find_kinks(sens *S) {
  size_t ns = S->ns, nk = S->nk, nu = nk * ns;
  int rc = evaluate(S, 0, S->f[2]);
  if (rc != PARLEY_OK) return rc;
  memcpy(S->u0, S->u, nu * sizeof *S->u0);
  if ((rc = evaluate(S, 1, S->f[2])) != PARLEY_OK) return rc;
  memcpy(S->u1, S->u, nu * sizeof *S->u1);
  size_t n = 0;
  for (size_t s = 0; s < ns; s++)
    for (size_t k = 0; k < nk; k++)
      for (size_t k2 = k + 1; k2 < nk; k2++) {
        double d0 = S->u0[k * ns + s] - S->u0[k2 * ns + s];
        double d1 = S->u1[k * ns + s] - S->u1[k2 * ns + s];
        if (!((d0 < 0 && d1 > 0) || (d0 > 0 && d1 < 0))) continue;
        double x = d0 / (d0 - d1);
        if (x > 0 && x < 1) S->kink[n++] = x;
      }
  qsort(S->kink, n, sizeof *S->kink, cmp_double);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (m == 0 || S->kink[i] != S->kink[m - 1]) S->kink[m++] = S->kink[i];
  S->nkink = m;
  return PARLEY_OK;
}

/* The far end of the next piece of a walk from x towards end (dir +1 or
 * -1): the end itself (linear), the next kink (piecewise) or the next grid
 * point i / steps (grid). */
static double next_end(const sens *S, path_kind path, double x, double end, int dir) {
  double g;
  if (path == PATH_LINEAR) return end;
  if (path == PATH_PIECEWISE) {
    /* The first kink > x: binary search. */
    size_t lo = 0, hi = S->nkink;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (S->kink[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    if (dir > 0) return lo < S->nkink && S->kink[lo] < end ? S->kink[lo] : end;
    /* The last kink < x. */
    while (lo > 0 && S->kink[lo - 1] >= x) lo--;
    return lo > 0 && S->kink[lo - 1] > end ? S->kink[lo - 1] : end;
  }
  double n = (double)S->steps;
  if (dir > 0) {
    g = (floor(x * n) + 1) / n;
    while (g <= x) g += 1 / n;
    return g < end ? g : end;
  }
  g = (ceil(x * n) - 1) / n;
  while (g >= x) g -= 1 / n;
  return g > end ? g : end;
}

/* Walks from x0 (the run's value) to end, piece by piece: at the far end b
 * of each piece the scores are evaluated and ranked, and when the top (or
 * the ranking) is no longer the run's, the point in the piece where it
 * changed is solved (linear pieces) or bisected (grid cells).  The ranking
 * is followed only with want_ranking. */
static int walk(sens *S, path_kind path, double x0, double end, int dir, bool want_ranking,
                found *out) {
  out->hit[TOP] = out->hit[RANKING] = false;
  out->at[TOP] = out->at[RANKING] = end;
  out->new_top = SIZE_MAX;
  if (!want_ranking) out->hit[RANKING] = true;
  double *ft = S->f[0], *fb = S->f[1], t = x0;
  int rc = evaluate(S, x0, ft);
  while (rc == PARLEY_OK && t != end && !(out->hit[TOP] && out->hit[RANKING])) {
    double b = next_end(S, path, t, end, dir);
    if ((rc = evaluate(S, b, fb)) != PARLEY_OK) break;
    rank_scores(S, fb);
    bool changed[2] = {!out->hit[TOP] && !same(S, TOP),
                       !out->hit[RANKING] && !same(S, RANKING)};
    for (int what = 0; what < 2 && rc == PARLEY_OK; what++) {
      if (!changed[what]) continue;
      double root = b;
      size_t top = SIZE_MAX;
      bool solved = path != PATH_GRID && exact_root(S, what, t, b, ft, fb, &root);
      if (solved && what == TOP) top = line_top(S, t, b, ft, fb, root);
      if (!solved) rc = bisect(S, what, t, b, &root, what == TOP ? &top : NULL);
      out->hit[what] = true;
      out->at[what] = root;
      if (what == TOP) out->new_top = top;
    }
    double *swap = ft;
    ft = fb;
    fb = swap;
    t = b;
  }
  if (!want_ranking) out->hit[RANKING] = false;
  return rc;
}

/* ---- setting up ----------------------------------------------------------------- */
static path_kind weight_path(const sens *S) {
  const parley__stage *const *st = S->a->st;
  if (st[PARLEY_STAGE_AGGREGATION]->fn.aggregation != parley__a_wsm) return PATH_GRID;
  parley__rule_fn rule = st[PARLEY_STAGE_RULE]->fn.rule;
  if (rule == parley__r_expected || rule == parley__r_laplace) return PATH_LINEAR;
  if (rule == parley__r_maximin || rule == parley__r_maximax || rule == parley__r_hurwicz) {
    if (S->nk < 2) return PATH_LINEAR;
    /* ns * nk (nk - 1) / 2 candidate kinks, without overflowing. */
    size_t pairs = S->nk % 2 ? S->nk * ((S->nk - 1) / 2) : (S->nk / 2) * (S->nk - 1);
    if (pairs <= MAX_KINKS && S->ns <= MAX_KINKS / pairs) return PATH_PIECEWISE;
  }
  return PATH_GRID;
}

static int read_params(sens *S) {
  parley__actx *a = S->a;
  S->range = parley__param_num(a->stage, a->spec, "range");
  double steps = parley__param_num(a->stage, a->spec, "steps");
  if (!(S->range > 0 && S->range <= 1))
    return parley__err(S->e, PARLEY_EINVALID, "analysis sensitivity: range must be in (0, 1]");
  if (!(steps >= 1 && steps <= 1e6) || steps != floor(steps))
    return parley__err(S->e, PARLEY_EINVALID,
                       "analysis sensitivity: steps must be a whole number from 1 to 1000000");
  S->steps = (size_t)steps;
  return PARLEY_OK;
}

static int sens_init(sens *S, parley__actx *a) {
  memset(S, 0, sizeof *S);
  S->a = a;
  S->e = a->e;
  S->m = a->m;
  S->r = a->r;
  S->ns = a->m->ns;
  S->nk = a->m->nk;
  S->nc = a->m->nc;
  S->sigma = a->r->higher_better ? 1 : -1;
  int rc = read_params(S);
  if (rc != PARLEY_OK) return rc;
  parley_engine *e = S->e;
  size_t ns = S->ns ? S->ns : 1, nu = parley__mul(S->nk, S->ns);
  S->path = weight_path(S);
  S->w = parley__malloc(e, parley__mul(S->nc ? S->nc : 1, sizeof *S->w));
  S->p = parley__malloc(e, parley__mul(S->nk ? S->nk : 1, sizeof *S->p));
  S->u = parley__malloc(e, parley__mul(nu ? nu : 1, sizeof *S->u));
  for (int i = 0; i < 3; i++) S->f[i] = parley__malloc(e, parley__mul(ns, sizeof *S->f[i]));
  S->order = parley__malloc(e, parley__mul(ns, sizeof *S->order));
  S->rank = parley__malloc(e, parley__mul(ns, sizeof *S->rank));
  S->rank_of = parley__malloc(e, parley__mul(ns, sizeof *S->rank_of));
  S->base = parley__malloc(e, parley__mul(ns, sizeof *S->base));
  if (!S->w || !S->p || !S->u || !S->f[0] || !S->f[1] || !S->f[2] || !S->order || !S->rank ||
      !S->rank_of || !S->base)
    return PARLEY_ENOMEM;
  if (S->path == PATH_PIECEWISE) {
    size_t cap = S->ns * (S->nk * (S->nk - 1) / 2);
    S->u0 = parley__malloc(e, parley__mul(nu, sizeof *S->u0));
    S->u1 = parley__malloc(e, parley__mul(nu, sizeof *S->u1));
    S->kink = parley__malloc(e, parley__mul(cap ? cap : 1, sizeof *S->kink));
    if (!S->u0 || !S->u1 || !S->kink) return PARLEY_ENOMEM;
  }
  for (size_t i = 0; i < S->ns; i++) S->base[S->r->order[i]] = S->r->rank[i];
  if ((rc = parley__eval_init(&S->ev, e, S->m, a->st, a->r->spec)) != PARLEY_OK) return rc;
  S->ev_ready = true;
  S->ev.ctx.p = S->r->p;
  /* The first report goes out after the first criterion: a caller that
   * stops at once gets a result resting on one criterion. */
  S->last_progress = -INFINITY;
  /* The maps depend on neither the weights nor the probabilities. */
  return parley__eval_normalize(&S->ev);
}

static void sens_free(sens *S) {
  parley_engine *e = S->e;
  if (S->ev_ready) parley__eval_free(&S->ev);
  parley__free(e, S->w);
  parley__free(e, S->p);
  parley__free(e, S->u);
  parley__free(e, S->u0);
  parley__free(e, S->u1);
  for (int i = 0; i < 3; i++) parley__free(e, S->f[i]);
  parley__free(e, S->order);
  parley__free(e, S->rank);
  parley__free(e, S->rank_of);
  parley__free(e, S->base);
  parley__free(e, S->kink);
}

/* Reports progress (criteria done of total) about ten times a second at
 * most, or at once with force; true when the caller asks to stop. */
static bool progress(sens *S, uint64_t done, uint64_t total, bool force) {
  if (!S->a->progress) return false;
  double t = now();
  if (!force && t - S->last_progress < 0.1) return false;
  S->last_progress = t;
  return S->a->progress(S->a->progress_ud, "sensitivity", done, total) != 0;
}

/* ---- the output ------------------------------------------------------------------ */
typedef struct out {
  parley__buf json, text;
  int idw;            /* width of the id column in the text */
} out;

static void jkey(parley__buf *b, const char *key) {
  parley__json_str(b, key);
  parley__buf_puts(b, ": ");
}

/* A number for the text: "%.4f", or "-" for none. */
static void tnum(char *o, size_t n, double v) {
  if (isfinite(v)) snprintf(o, n, "%.4f", v);
  else snprintf(o, n, "-");
}

static void scores_object(parley__buf *b, const parley_model *m, const double *f) {
  parley__buf_puts(b, "{");
  for (size_t s = 0; s < m->ns; s++) {
    parley__buf_puts(b, s ? ", " : "");
    jkey(b, m->strat[s].id);
    parley__json_num(b, f[s]);
  }
  parley__buf_puts(b, "}");
}

/* The tornado's ends for criterion c: its weight -+ range within [0, 1];
 * with one criterion the weight cannot move from 1. */
static void tornado_ends(const sens *S, size_t c, double *lo, double *hi) {
  double w = S->r->w[c];
  if (S->nc < 2) {
    *lo = *hi = w;
    return;
  }
  *lo = w - S->range > 0 ? w - S->range : 0;
  *hi = w + S->range < 1 ? w + S->range : 1;
}

typedef struct bar {
  double size; /* |swing| */
  size_t c;
} bar;

static int cmp_bar(const void *a, const void *b) {
  const bar *x = a, *y = b;
  if (x->size != y->size) return x->size > y->size ? -1 : 1;
  return (x->c > y->c) - (x->c < y->c);
}

/* The tornado: a first pass finds each criterion's swing, a second writes
 * the criteria largest swing first (evaluating again rather than keeping
 * nc * ns scores). */
static int tornado(sens *S, out *o) {
  const parley_model *m = S->m;
  size_t top = S->r->order[0], nc = S->nc;
  bar *bars = parley__malloc(S->e, parley__mul(nc ? nc : 1, sizeof *bars));
  if (!bars) return PARLEY_ENOMEM;
  int rc = PARLEY_OK;
  S->prob = false;
  for (size_t c = 0; c < nc && rc == PARLEY_OK; c++) {
    double lo, hi;
    tornado_ends(S, c, &lo, &hi);
    S->idx = c;
    rc = evaluate(S, lo, S->f[0]);
    if (rc == PARLEY_OK) rc = evaluate(S, hi, S->f[1]);
    if (rc == PARLEY_OK) bars[c] = (bar){fabs(S->f[1][top] - S->f[0][top]), c};
  }
  if (rc == PARLEY_OK) qsort(bars, nc, sizeof *bars, cmp_bar);
  parley__buf_puts(&o->json, "\"tornado\": [");
  parley__buf_printf(&o->text, "  Tornado: score of %s with each weight moved by up to %g "
                     "either way\n", m->strat[top].id, S->range);
  parley__buf_printf(&o->text, "  %-*s %8s %8s %8s %10s %10s %10s\n", o->idw, "criterion",
                     "weight", "low", "high", "at low", "at high", "swing");
  for (size_t i = 0; i < nc && rc == PARLEY_OK; i++) {
    size_t c = bars[i].c;
    double lo, hi;
    tornado_ends(S, c, &lo, &hi);
    S->idx = c;
    rc = evaluate(S, lo, S->f[0]);
    if (rc == PARLEY_OK) rc = evaluate(S, hi, S->f[1]);
    if (rc != PARLEY_OK) break;
    double swing = S->f[1][top] - S->f[0][top];
    parley__buf_puts(&o->json, i ? ", {" : "{");
    jkey(&o->json, "criterion");
    parley__json_str(&o->json, m->crit[c].id);
    parley__buf_puts(&o->json, ", \"weight\": ");
    parley__json_num(&o->json, S->r->w[c]);
    parley__buf_puts(&o->json, ", \"low\": ");
    parley__json_num(&o->json, lo);
    parley__buf_puts(&o->json, ", \"high\": ");
    parley__json_num(&o->json, hi);
    parley__buf_puts(&o->json, ", \"scores_low\": ");
    scores_object(&o->json, m, S->f[0]);
    parley__buf_puts(&o->json, ", \"scores_high\": ");
    scores_object(&o->json, m, S->f[1]);
    parley__buf_puts(&o->json, ", \"swing\": ");
    parley__json_num(&o->json, swing);
    parley__buf_puts(&o->json, "}");
    parley__buf_printf(&o->text, "  %-*s %8.4f %8.4f %8.4f %10.4g %10.4g %+10.4g\n", o->idw,
                       m->crit[c].id, S->r->w[c], lo, hi, S->f[0][top], S->f[1][top], swing);
  }
  parley__buf_puts(&o->json, "]");
  parley__free(S->e, bars);
  return rc;
}

static const char *path_words(path_kind path) {
  switch (path) {
  case PATH_LINEAR: return "exact: the scores are linear in the weight";
  case PATH_PIECEWISE: return "exact: the scores are piecewise linear in the weight";
  default: return "by a grid scan and bisection";
  }
}

/* The weight stability intervals, criterion by criterion; *done gets the
 * criteria finished (fewer than nc when stopped through the progress
 * callback). */
static int stability(sens *S, out *o, size_t *done) {
  const parley_model *m = S->m;
  size_t nc = S->nc;
  int rc = PARLEY_OK;
  *done = 0;
  parley__buf_puts(&o->json, "\"stability\": {");
  parley__buf_printf(&o->text, "  Weight stability intervals (%s)\n", path_words(S->path));
  if (S->path == PATH_GRID)
    parley__buf_printf(&o->text, "  (grid of %zu steps; a change narrower than a step may be "
                       "missed)\n", S->steps);
  parley__buf_printf(&o->text, "  %-*s %8s %10s %10s %10s %10s\n", o->idw, "criterion", "weight",
                     "top from", "to", "rank from", "to");
  S->prob = false;
  for (size_t c = 0; c < nc && rc == PARLEY_OK; c++) {
    double w = S->r->w[c];
    found up = {{false, false}, {w, w}, SIZE_MAX}, down = up;
    S->idx = c;
    if (nc >= 2) {
      if (S->path == PATH_PIECEWISE) rc = find_kinks(S);
      if (rc == PARLEY_OK) rc = walk(S, S->path, w, 1, +1, true, &up);
      if (rc == PARLEY_OK) rc = walk(S, S->path, w, 0, -1, true, &down);
      if (rc != PARLEY_OK) break;
    }
    parley__buf_puts(&o->json, c ? ", " : "");
    jkey(&o->json, m->crit[c].id);
    parley__buf_puts(&o->json, "{\"top\": [");
    parley__json_num(&o->json, down.at[TOP]);
    parley__buf_puts(&o->json, ", ");
    parley__json_num(&o->json, up.at[TOP]);
    parley__buf_puts(&o->json, "], \"ranking\": [");
    parley__json_num(&o->json, down.at[RANKING]);
    parley__buf_puts(&o->json, ", ");
    parley__json_num(&o->json, up.at[RANKING]);
    parley__buf_puts(&o->json, "]}");
    parley__buf_printf(&o->text, "  %-*s %8.4f %10.4f %10.4f %10.4f %10.4f\n", o->idw,
                       m->crit[c].id, w, down.at[TOP], up.at[TOP], down.at[RANKING],
                       up.at[RANKING]);
    *done = c + 1;
    if (c + 1 < nc && progress(S, c + 1, nc, false)) break;
  }
  parley__buf_puts(&o->json, "}");
  if (rc == PARLEY_OK && *done < nc)
    parley__buf_printf(&o->text, "  (stopped early: %zu of %zu criteria)\n", *done, nc);
  return rc;
}

/* Probability sensitivity under the expected-value rule: the scores are
 * linear in each probability moved (the others rescaled in proportion), so
 * the change points are solved in closed form.  Left out, with a line in
 * the text saying why, for a rule that does not read the probabilities. */
static int probabilities(sens *S, out *o) {
  const parley_model *m = S->m;
  const parley__stage *rule = S->a->st[PARLEY_STAGE_RULE];
  if (rule->fn.rule != parley__r_expected || !S->r->p) {
    parley__buf_printf(&o->text, "  Probabilities: the rule '%s' does not use the scenario "
                       "probabilities; not analysed\n", rule->name);
    return PARLEY_OK;
  }
  if (S->nk < 2) {
    parley__buf_puts(&o->text, m->implicit_scenario
                                   ? "  Probabilities: the model has no scenarios; not analysed\n"
                                   : "  Probabilities: one scenario, whose probability cannot "
                                     "move; not analysed\n");
    return PARLEY_OK;
  }
  int rc = PARLEY_OK;
  size_t best_k = SIZE_MAX, best_top = SIZE_MAX;
  double best = NAN;
  bool best_up = false;
  parley__buf_puts(&o->json, ", \"probabilities\": {");
  parley__buf_puts(&o->text, "  Probabilities: smallest change of each that changes the top "
                   "(others rescaled in proportion)\n");
  parley__buf_printf(&o->text, "  %-*s %8s %10s %10s  %s\n", o->idw, "scenario", "p", "decrease",
                     "increase", "new top");
  S->prob = true;
  for (size_t k = 0; k < S->nk && rc == PARLEY_OK; k++) {
    double pk = S->r->p[k];
    found up, down;
    S->idx = k;
    rc = walk(S, PATH_LINEAR, pk, 1, +1, false, &up);
    if (rc == PARLEY_OK) rc = walk(S, PATH_LINEAR, pk, 0, -1, false, &down);
    if (rc != PARLEY_OK) break;
    double dec = down.hit[TOP] ? pk - down.at[TOP] : NAN;
    double inc = up.hit[TOP] ? up.at[TOP] - pk : NAN;
    /* The smaller of the two changes; level ones go to the decrease. */
    size_t top = SIZE_MAX;
    if (down.hit[TOP] && (!up.hit[TOP] || dec <= inc || ties(dec, inc))) top = down.new_top;
    else if (up.hit[TOP]) top = up.new_top;
    /* The smallest overall: ties within the tolerance go to the scenario
     * listed first, and a decrease before an increase. */
    if (down.hit[TOP] && (isnan(best) || (dec < best && !ties(dec, best)))) {
      best = dec, best_k = k, best_top = down.new_top, best_up = false;
    }
    if (up.hit[TOP] && (isnan(best) || (inc < best && !ties(inc, best)))) {
      best = inc, best_k = k, best_top = up.new_top, best_up = true;
    }
    parley__buf_puts(&o->json, k ? ", " : "");
    jkey(&o->json, m->scen[k].id);
    parley__buf_puts(&o->json, "{\"probability\": ");
    parley__json_num(&o->json, pk);
    parley__buf_puts(&o->json, ", \"decrease\": ");
    parley__json_num(&o->json, dec);
    parley__buf_puts(&o->json, ", \"increase\": ");
    parley__json_num(&o->json, inc);
    parley__buf_puts(&o->json, ", \"new_top\": ");
    if (top != SIZE_MAX) parley__json_str(&o->json, m->strat[top].id);
    else parley__buf_puts(&o->json, "null");
    parley__buf_puts(&o->json, ", \"new_top_decrease\": ");
    if (down.hit[TOP] && down.new_top != SIZE_MAX)
      parley__json_str(&o->json, m->strat[down.new_top].id);
    else parley__buf_puts(&o->json, "null");
    parley__buf_puts(&o->json, ", \"new_top_increase\": ");
    if (up.hit[TOP] && up.new_top != SIZE_MAX) parley__json_str(&o->json, m->strat[up.new_top].id);
    else parley__buf_puts(&o->json, "null");
    parley__buf_puts(&o->json, "}");
    char d[32], i[32];
    tnum(d, sizeof d, dec);
    tnum(i, sizeof i, inc);
    parley__buf_printf(&o->text, "  %-*s %8.4f %10s %10s  %s\n", o->idw, m->scen[k].id, pk, d, i,
                       top != SIZE_MAX ? m->strat[top].id : "-");
  }
  if (rc != PARLEY_OK) return rc;
  parley__buf_puts(&o->json, "}, \"smallest\": ");
  if (best_k == SIZE_MAX) {
    parley__buf_puts(&o->json, "null");
    parley__buf_puts(&o->text, "  No change of one probability changes the top.\n");
    return PARLEY_OK;
  }
  parley__buf_puts(&o->json, "{\"scenario\": ");
  parley__json_str(&o->json, m->scen[best_k].id);
  parley__buf_puts(&o->json, ", \"change\": ");
  parley__json_num(&o->json, best);
  parley__buf_printf(&o->json, ", \"direction\": \"%s\", \"new_top\": ",
                     best_up ? "increase" : "decrease");
  if (best_top != SIZE_MAX) parley__json_str(&o->json, m->strat[best_top].id);
  else parley__buf_puts(&o->json, "null");
  parley__buf_puts(&o->json, "}");
  parley__buf_printf(&o->text, "  Smallest: %s the probability of %s by %.4f makes %s the top\n",
                     best_up ? "raising" : "lowering", m->scen[best_k].id, best,
                     best_top != SIZE_MAX ? m->strat[best_top].id : "-");
  return PARLEY_OK;
}

static int id_width(const parley_model *m) {
  size_t w = strlen("criterion");
  for (size_t c = 0; c < m->nc; c++)
    if (strlen(m->crit[c].id) > w) w = strlen(m->crit[c].id);
  for (size_t k = 0; k < m->nk; k++)
    if (strlen(m->scen[k].id) > w) w = strlen(m->scen[k].id);
  return w > 32 ? 32 : (int)w;
}

static int sensitivity(parley__actx *a) {
  sens S;
  out o;
  parley__buf_init(&o.json, a->e);
  parley__buf_init(&o.text, a->e);
  int rc = sens_init(&S, a);
  size_t done = 0;
  if (rc == PARLEY_OK && S.ns == 0)
    rc = parley__err(a->e, PARLEY_EINVALID, "analysis sensitivity: the model has no strategy");
  if (rc == PARLEY_OK) {
    const parley_model *m = a->m;
    size_t top = a->r->order[0];
    o.idw = id_width(m);
    parley__buf_puts(&o.json, "{\"strategy\": ");
    parley__json_str(&o.json, m->strat[top].id);
    parley__buf_puts(&o.json, ", \"top\": [");
    for (size_t i = 0; i < S.ns && a->r->rank[i] == 1; i++) {
      parley__buf_puts(&o.json, i ? ", " : "");
      parley__json_str(&o.json, m->strat[a->r->order[i]].id);
    }
    parley__buf_puts(&o.json, "], \"range\": ");
    parley__json_num(&o.json, S.range);
    parley__buf_printf(&o.json, ", \"steps\": %zu, \"stability_method\": \"%s\", ", S.steps,
                       S.path == PATH_GRID ? "bisection" : "exact");
    parley__buf_printf(&o.text, "Sensitivity (one number moved at a time, the others rescaled in "
                       "proportion; top: %s)\n", m->strat[top].id);
    rc = tornado(&S, &o);
  }
  if (rc == PARLEY_OK) {
    parley__buf_puts(&o.json, ", ");
    rc = stability(&S, &o, &done);
  }
  if (rc == PARLEY_OK) rc = probabilities(&S, &o);
  if (rc == PARLEY_OK) {
    parley__buf_printf(&o.json, ", \"partial\": %s}", done < S.nc ? "true" : "false");
    progress(&S, done, S.nc, true);
  }
  sens_free(&S);
  char *json = NULL, *text = NULL;
  if (rc == PARLEY_OK) {
    rc = parley__buf_finish(&o.json, &json, NULL);
    if (rc == PARLEY_OK) rc = parley__buf_finish(&o.text, &text, NULL);
    else parley__buf_free(&o.text);
    if (rc == PARLEY_OK) return parley__result_add_analysis(a->r, "sensitivity", json, text);
    parley__free(a->e, json);
    return rc;
  }
  parley__buf_free(&o.json);
  parley__buf_free(&o.text);
  return rc;
}

int parley__analysis_sensitivity(parley__actx *a) { return sensitivity(a); }
