/*
 * rank_reversal.c — the analysis "rank-reversal": the three test criteria
 * for ranking irregularities of Wang & Triantaphyllou (2008), run on the
 * model with the run's own stages and weights.
 *   Test 1: a non-optimal strategy replaced by a worse copy of itself must
 *           leave the best strategy the best.
 *   Test 2: the problem cut into sub-problems of two strategies each, every
 *           one ranked on its own by the same stages, must give a
 *           transitive relation.
 *   Test 3: the sub-problems combined (by wins minus losses, Copeland) must
 *           give the ranking of the whole problem.
 * Nothing is assumed of a method: a method that cannot reverse ranks by
 * construction passes because its numbers say so, and one whose reference
 * points (minima, maxima, sums, norms, ideals, the other strategies) move
 * with the set of strategies fails where they move far enough.
 *
 * Each modified problem is a view of the model: a parley_model that shares
 * the model's criteria, scenarios and actors and has a strategy list and an
 * outcome cube of its own, scored through parley__eval as the run is.  Not
 * a model built through parley__model_add: the sub-problems of tests 2 and
 * 3 number n (n - 1) / 2 and differ from the model only in strategies and
 * cells, so copying every id and rehashing for each would cost more than
 * scoring it.  The stages read the criteria (directions, scales, ids), the
 * scenarios and the strategies' ids of their context's model, all of which
 * a view has; its strategy index is left empty, so that a lookup of a
 * strategy by id finds nothing rather than a wrong index.  The weights are
 * the run's, held fixed: a weighting computed from the data would move with
 * the set of strategies too, a further cause of reversal that these tests
 * leave out.  Definitions, parameters and output: docs/methods.md,
 * "rank-reversal".
 */
#include "internal.h"
#include "methods.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_LISTED 1000u  /* cases listed per test in the JSON */
#define MAX_TRIPLES 100u  /* intransitive triples listed by test 2 */
#define TEXT_LINES 20u    /* cases shown per test in the text report */
#define ALL SIZE_MAX      /* a copy made worse on every criterion */

typedef struct case1 {
  size_t s, c;            /* the strategy replaced; the criterion made worse, or ALL */
  int copy_rank;
  bool order_kept;
} case1;

typedef struct rr {
  parley__actx *a;
  parley_engine *e;
  const parley_model *m;
  size_t ns, nk, nc;
  double delta, amount;
  bool each;
  bool higher_better;
  int *rank_of;           /* [ns] the run's rank of each strategy */
  double *lo, *hi;        /* [nc] each criterion's slab minimum and maximum */
  size_t *order;          /* [ns] scratch */
  int *rank;              /* [ns] scratch */
  /* test 1 */
  parley_model view;      /* the model with one strategy replaced */
  parley__eval ev;        /* its evaluation */
  bool ev_ready;
  double *vcube, *u, *score;
  int *rank2_of;          /* [ns] ranks in the modified problem */
  size_t ncases, nfailed, nskipped, nreordered;
  parley__buf fails;      /* JSON of the first MAX_LISTED failing cases */
  parley__buf ftext;      /* text lines of the first TEXT_LINES failing cases */
  case1 *passes;          /* [MAX_LISTED] the first passing cases */
  size_t npasses;
  /* tests 2 and 3 */
  parley_model pview;     /* a sub-problem of two strategies */
  parley__eval pev;
  bool pev_ready;
  parley__strategy pstrat[2];
  double *pcube, pu_score[2];
  double *pu;             /* [nk * 2] */
  signed char *rel;       /* [ns (ns - 1) / 2] +1: the first of the pair wins, 0 tie, -1 */
  double *net;            /* [ns] wins minus losses */
  size_t npairs, nties, ninconsistent;
  size_t triple[MAX_TRIPLES][3];
  size_t ntriples;
  int *rank3_of;          /* [ns] ranks by net */
  double tau;
} rr;

/* ---- views ----------------------------------------------------------------------- */
static void view_init(parley_model *v, const parley_model *m, parley__strategy *strat,
                      size_t ns, double *cube) {
  memset(v, 0, sizeof *v);
  atomic_init(&v->refs, 1);
  v->engine = m->engine;
  v->name = m->name;
  v->source = m->source;
  v->crit = m->crit;
  v->nc = m->nc;
  v->strat = strat;
  v->ns = ns;
  v->scen = m->scen;
  v->nk = m->nk;
  v->act = m->act;
  v->na = m->na;
  v->implicit_scenario = m->implicit_scenario;
  v->frozen = true;
  v->cube = cube;
  v->index[PARLEY_CRITERIA] = m->index[PARLEY_CRITERIA];
  v->index[PARLEY_SCENARIOS] = m->index[PARLEY_SCENARIOS];
  v->index[PARLEY_ACTORS] = m->index[PARLEY_ACTORS];
}

/* An evaluation of a view with the run's stages and probabilities.  Made
 * once per view: it reads the view's cube where it lies, so the cells can
 * change between scorings. */
static int view_eval(rr *R, parley__eval *ev, const parley_model *view) {
  int rc = parley__eval_init(ev, R->e, view, R->a->st, R->a->r->spec);
  if (rc != PARLEY_OK) return rc;
  ev->ctx.p = R->a->r->p;
  ev->diagnostics = NULL; /* a modified problem's diagnostics are not the run's */
  return PARLEY_OK;
}

/* Scores the view as it now is, with the run's weights. */
static int score_view(rr *R, parley__eval *ev, double *u, double *score) {
  int rc = parley__eval_normalize(ev);
  if (rc == PARLEY_OK) rc = parley__eval_score(ev, R->a->r->w, u, score);
  return rc;
}

/* Prefixes the engine's message with where the analysis was. */
static int failed_in(rr *R, int rc, const char *fmt, ...) PARLEY__PRINTF(3, 4);
static int failed_in(rr *R, int rc, const char *fmt, ...) {
  char where[512], msg[PARLEY__ERRMAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(where, sizeof where, fmt, ap);
  va_end(ap);
  snprintf(msg, sizeof msg, "%s", R->e->errmsg[0] ? R->e->errmsg : "failed");
  return parley__err(R->e, rc, "analysis rank-reversal: %s: %s", where, msg);
}

/* ---- test 1 ---------------------------------------------------------------------- */
/* x moved the test's step in the bad direction of criterion c: down for a
 * benefit, up for a cost.  Never past the bad end of the criterion's scale
 * (a value there cannot get worse on that scale), and, when every value of
 * the criterion is >= 0, never below half the smallest of them, so that the
 * methods that need values > 0 (or >= 0) can still score the copy. */
static double worse(const rr *R, size_t c, double x) {
  const parley__criterion *cr = &R->m->crit[c];
  double step = R->amount > 0 ? R->amount : R->delta * (R->hi[c] - R->lo[c]);
  if (!(step > 0) || !isfinite(step)) return x;
  double y;
  if (cr->dir > 0) {
    y = x - step;
    if (R->lo[c] >= 0 && y < R->lo[c] / 2) y = R->lo[c] / 2; /* <= x, as x >= lo */
    if (!isnan(cr->lo) && y < cr->lo) y = x < cr->lo ? x : cr->lo;
  } else {
    y = x + step;
    if (!isnan(cr->hi) && y > cr->hi) y = x > cr->hi ? x : cr->hi;
  }
  return isfinite(y) ? y : x;
}

/* Makes column s of the view's cube worse on criterion c (or ALL); false
 * when no value could move. */
static bool make_worse(rr *R, size_t s, size_t c) {
  const parley_model *m = R->m;
  bool moved = false;
  for (size_t j = 0; j < R->nc; j++) {
    if (c != ALL && j != c) continue;
    for (size_t k = 0; k < R->nk; k++) {
      size_t i = parley__cell(m, s, k, j);
      R->vcube[i] = worse(R, j, m->cube[i]);
      moved |= R->vcube[i] != m->cube[i];
    }
  }
  return moved;
}

static void restore(rr *R, size_t s) {
  const parley_model *m = R->m;
  for (size_t j = 0; j < R->nc; j++)
    for (size_t k = 0; k < R->nk; k++) {
      size_t i = parley__cell(m, s, k, j);
      R->vcube[i] = m->cube[i];
    }
}

static void json_id(parley__buf *b, const char *s) { parley__json_str(b, s); }

/* The ids of the strategies ranked first by rank_of, as a JSON array. */
static void json_first(parley__buf *b, const rr *R, const int *rank_of) {
  parley__buf_puts(b, "[");
  bool any = false;
  for (size_t s = 0; s < R->ns; s++) {
    if (rank_of[s] != 1) continue;
    parley__buf_puts(b, any ? ", " : "");
    json_id(b, R->m->strat[s].id);
    any = true;
  }
  parley__buf_puts(b, "]");
}

/* The same as text: "a, b". */
static void text_first(parley__buf *b, const rr *R, const int *rank_of) {
  bool any = false;
  for (size_t s = 0; s < R->ns; s++) {
    if (rank_of[s] != 1) continue;
    parley__buf_printf(b, "%s%s", any ? ", " : "", R->m->strat[s].id);
    any = true;
  }
}

/* Whether the strategies other than s keep their order: in the run's order
 * each must stand to the next as before (tied, or strictly ahead), which,
 * ranks being tie classes, fixes every pair. */
static bool others_in_order(const rr *R, size_t s) {
  const parley_result *r = R->a->r;
  size_t prev = SIZE_MAX;
  for (size_t i = 0; i < R->ns; i++) {
    size_t t = r->order[i];
    if (t == s) continue;
    if (prev != SIZE_MAX) {
      bool tied = R->rank_of[prev] == R->rank_of[t];
      if (tied ? R->rank2_of[prev] != R->rank2_of[t] : !(R->rank2_of[prev] < R->rank2_of[t]))
        return false;
    }
    prev = t;
  }
  return true;
}

static const char *crit_label(const rr *R, size_t c) {
  return c == ALL ? "every criterion" : R->m->crit[c].id;
}

static int test1_case(rr *R, size_t s, size_t c) {
  if (!make_worse(R, s, c)) {
    R->nskipped++;
    return PARLEY_OK;
  }
  int rc = score_view(R, &R->ev, R->u, R->score);
  restore(R, s);
  if (rc != PARLEY_OK)
    return failed_in(R, rc, "test 1, '%s' made worse on %s", R->m->strat[s].id,
                     crit_label(R, c));
  parley__rank(R->score, R->ns, R->higher_better, R->order, R->rank);
  for (size_t i = 0; i < R->ns; i++) R->rank2_of[R->order[i]] = R->rank[i];
  bool passed = true;
  for (size_t t = 0; t < R->ns; t++)
    if ((R->rank_of[t] == 1) != (R->rank2_of[t] == 1)) passed = false;
  bool kept = others_in_order(R, s);
  R->ncases++;
  R->nreordered += !kept;
  if (passed) {
    if (R->npasses < MAX_LISTED)
      R->passes[R->npasses++] = (case1){s, c, R->rank2_of[s], kept};
    return PARLEY_OK;
  }
  R->nfailed++;
  if (R->nfailed <= MAX_LISTED) {
    parley__buf *b = &R->fails;
    parley__buf_puts(b, R->nfailed > 1 ? ", {\"replaced\": " : "{\"replaced\": ");
    json_id(b, R->m->strat[s].id);
    parley__buf_puts(b, ", \"worse_on\": ");
    if (c == ALL) parley__buf_puts(b, "\"all\"");
    else json_id(b, R->m->crit[c].id);
    parley__buf_printf(b, ", \"rank\": %d, \"copy_rank\": %d, \"passed\": false, "
                       "\"order_kept\": %s, \"best_after\": ", R->rank_of[s], R->rank2_of[s],
                       kept ? "true" : "false");
    json_first(b, R, R->rank2_of);
    parley__buf_puts(b, "}");
  }
  if (R->nfailed <= TEXT_LINES) {
    parley__buf_printf(&R->ftext, "    %s made worse on %s: first ", R->m->strat[s].id,
                       crit_label(R, c));
    text_first(&R->ftext, R, R->rank_of);
    parley__buf_puts(&R->ftext, " -> ");
    text_first(&R->ftext, R, R->rank2_of);
    if (R->rank2_of[s] == 1) parley__buf_puts(&R->ftext, " (the worse copy)");
    parley__buf_puts(&R->ftext, "\n");
  }
  return PARLEY_OK;
}

/* Every strategy not ranked first, in the run's order, replaced in turn by
 * a copy made worse on every criterion and, with each_criterion, on each
 * criterion alone. */
static int test1(rr *R) {
  const parley_result *r = R->a->r;
  int rc = PARLEY_OK;
  for (size_t i = 0; i < R->ns && rc == PARLEY_OK; i++) {
    size_t s = r->order[i];
    if (R->rank_of[s] == 1) continue;
    rc = test1_case(R, s, ALL);
    for (size_t c = 0; R->each && R->nc > 1 && c < R->nc && rc == PARLEY_OK; c++)
      rc = test1_case(R, s, c);
  }
  return rc;
}

/* ---- tests 2 and 3 ----------------------------------------------------------------- */
static size_t pair_index(size_t n, size_t i, size_t j) {
  return i * (2 * n - i - 1) / 2 + (j - i - 1);
}

/* +1 when x wins its sub-problem against y, 0 on a tie, -1 when y wins. */
static int rel_of(const rr *R, size_t x, size_t y) {
  return x < y ? R->rel[pair_index(R->ns, x, y)] : -R->rel[pair_index(R->ns, y, x)];
}

static bool weakly(const rr *R, size_t x, size_t y) { return rel_of(R, x, y) >= 0; }

/* Records the triple (x, y, z) with x >= y, y >= z and z > x, unless the
 * same three strategies are already listed. */
static void record_triple(rr *R, size_t x, size_t y, size_t z) {
  for (size_t t = 0; t < R->ntriples; t++) {
    const size_t *q = R->triple[t];
    bool same = true;
    for (int d = 0; d < 3; d++) {
      size_t v = q[d];
      if (v != x && v != y && v != z) same = false;
    }
    if (same) return;
  }
  if (R->ntriples < MAX_TRIPLES) {
    R->triple[R->ntriples][0] = x;
    R->triple[R->ntriples][1] = y;
    R->triple[R->ntriples][2] = z;
    R->ntriples++;
  }
}

/* A pair whose sub-problem disagrees with the order of net wins lies on an
 * intransitive triple with some third strategy k: were every k to treat i
 * and j alike or in the pair's favour, the nets would follow the pair.  So
 * one pass over k finds one. */
static void find_triple(rr *R, size_t i, size_t j) {
  for (size_t k = 0; k < R->ns; k++) {
    if (k == i || k == j) continue;
    const size_t p[6][3] = {{i, j, k}, {i, k, j}, {j, i, k}, {j, k, i}, {k, i, j}, {k, j, i}};
    for (int t = 0; t < 6; t++) {
      size_t x = p[t][0], y = p[t][1], z = p[t][2];
      if (weakly(R, x, y) && weakly(R, y, z) && !weakly(R, x, z)) {
        record_triple(R, x, y, z);
        return;
      }
    }
  }
}

static int pairs(rr *R) {
  const parley_model *m = R->m;
  size_t ns = R->ns, nk = R->nk;
  for (size_t i = 0; i < ns; i++) R->net[i] = 0;
  for (size_t i = 0; i < ns; i++)
    for (size_t j = i + 1; j < ns; j++) {
      R->pstrat[0] = m->strat[i];
      R->pstrat[1] = m->strat[j];
      for (size_t c = 0; c < R->nc; c++)
        for (size_t k = 0; k < nk; k++) {
          R->pcube[(c * nk + k) * 2] = m->cube[parley__cell(m, i, k, c)];
          R->pcube[(c * nk + k) * 2 + 1] = m->cube[parley__cell(m, j, k, c)];
        }
      int rc = score_view(R, &R->pev, R->pu, R->pu_score);
      if (rc != PARLEY_OK)
        return failed_in(R, rc, "tests 2 and 3, the sub-problem of '%s' and '%s'",
                         m->strat[i].id, m->strat[j].id);
      size_t order[2];
      int rank[2];
      parley__rank(R->pu_score, 2, R->higher_better, order, rank);
      /* Places 0 and 1: a tie shares rank 1. */
      int v = rank[0] == rank[1] ? 0 : order[0] == 0 ? 1 : -1;
      R->rel[pair_index(ns, i, j)] = (signed char)v;
      R->net[i] += v;
      R->net[j] -= v;
      R->npairs++;
      R->nties += v == 0;
    }
  /* Test 2: a complete relation is transitive exactly when it is the weak
   * order of its net wins (Copeland scores): x beats y iff net x > net y,
   * a tie iff the nets are equal.  O(n^2) instead of every triple. */
  for (size_t i = 0; i < ns; i++)
    for (size_t j = i + 1; j < ns; j++) {
      int v = R->rel[pair_index(ns, i, j)];
      int by_net = R->net[i] > R->net[j] ? 1 : R->net[i] < R->net[j] ? -1 : 0;
      if (v == by_net) continue;
      R->ninconsistent++;
      if (R->ntriples < MAX_TRIPLES) find_triple(R, i, j);
    }
  /* Test 3: the ranking by net wins against the run's. */
  parley__rank(R->net, ns, true, R->order, R->rank);
  for (size_t i = 0; i < ns; i++) R->rank3_of[R->order[i]] = R->rank[i];
  /* Kendall's tau-b between the two, on ranks turned into scores that are
   * higher when better. */
  for (size_t s = 0; s < ns; s++) R->score[s] = -(double)R->rank_of[s];
  return parley__kendall_tau_b_knight(R->e, R->score, R->net, ns, &R->tau);
}

/* ---- output ------------------------------------------------------------------------ */
static const char *rel_sym(int v) { return v > 0 ? " > " : v == 0 ? " = " : " < "; }

static void json_triple(parley__buf *b, const rr *R, const size_t *q) {
  const char *id[3] = {R->m->strat[q[0]].id, R->m->strat[q[1]].id, R->m->strat[q[2]].id};
  parley__buf_puts(b, "{\"strategies\": [");
  for (int d = 0; d < 3; d++) {
    parley__buf_puts(b, d ? ", " : "");
    json_id(b, id[d]);
  }
  parley__buf_puts(b, "], \"relations\": [");
  for (int d = 0; d < 3; d++) {
    size_t x = q[d], y = q[(d + 1) % 3];
    parley__buf b2;
    parley__buf_init(&b2, b->e);
    parley__buf_printf(&b2, "%s%s%s", id[d], rel_sym(rel_of(R, x, y)), id[(d + 1) % 3]);
    char *t = NULL;
    if (parley__buf_finish(&b2, &t, NULL) != PARLEY_OK) {
      b->failed = true;
      return;
    }
    parley__buf_puts(b, d ? ", " : "");
    json_id(b, t);
    parley__free(b->e, t);
  }
  parley__buf_puts(b, "]}");
}

static void json_out(rr *R, parley__buf *b) {
  const parley_model *m = R->m;
  const parley_result *r = R->a->r;
  size_t ns = R->ns;
  bool p1 = R->nfailed == 0, p2 = R->ninconsistent == 0, p3 = true;
  for (size_t s = 0; s < ns; s++) p3 &= R->rank3_of[s] == R->rank_of[s];
  parley__buf_puts(b, "{\"passed\": ");
  parley__buf_puts(b, p1 && p2 && p3 ? "true" : "false");
  parley__buf_puts(b, ", \"delta\": ");
  parley__json_num(b, R->delta);
  parley__buf_puts(b, ", \"amount\": ");
  parley__json_num(b, R->amount);
  parley__buf_printf(b, ", \"each_criterion\": %s, \"stages\": {", R->each ? "true" : "false");
  const parley_stage_kind kinds[] = {PARLEY_STAGE_WEIGHTING, PARLEY_STAGE_NORMALIZATION,
                                     PARLEY_STAGE_AGGREGATION, PARLEY_STAGE_RULE};
  for (size_t i = 0; i < 4; i++) {
    parley__buf_printf(b, "%s\"%s\": ", i ? ", " : "", parley_stage_kind_name(kinds[i]));
    json_id(b, r->stage[kinds[i]] ? r->stage[kinds[i]] : "");
  }
  parley__buf_puts(b, "}, \"best\": ");
  json_first(b, R, R->rank_of);

  /* Test 1: failing cases first, then passing ones, MAX_LISTED in all. */
  size_t listed_f = R->nfailed < MAX_LISTED ? R->nfailed : MAX_LISTED;
  size_t room = MAX_LISTED - listed_f, listed_p = R->npasses < room ? R->npasses : room;
  parley__buf_printf(b, ", \"test1\": {\"passed\": %s, \"cases_run\": %zu, \"failed\": %zu, "
                     "\"skipped\": %zu, \"order_changed\": %zu, \"cases\": [",
                     p1 ? "true" : "false", R->ncases, R->nfailed, R->nskipped, R->nreordered);
  if (R->fails.failed) b->failed = true;
  else if (R->fails.len) parley__buf_add(b, R->fails.data, R->fails.len);
  for (size_t i = 0; i < listed_p; i++) {
    const case1 *k = &R->passes[i];
    parley__buf_puts(b, listed_f || i ? ", {\"replaced\": " : "{\"replaced\": ");
    json_id(b, m->strat[k->s].id);
    parley__buf_puts(b, ", \"worse_on\": ");
    if (k->c == ALL) parley__buf_puts(b, "\"all\"");
    else json_id(b, m->crit[k->c].id);
    parley__buf_printf(b, ", \"rank\": %d, \"copy_rank\": %d, \"passed\": true, "
                       "\"order_kept\": %s}", R->rank_of[k->s], k->copy_rank,
                       k->order_kept ? "true" : "false");
  }
  parley__buf_printf(b, "], \"cases_omitted\": %zu}", R->ncases - listed_f - listed_p);

  /* Test 2. */
  parley__buf_printf(b, ", \"test2\": {\"passed\": %s, \"pairs\": %zu, \"ties\": %zu, "
                     "\"inconsistent_pairs\": %zu, \"cases\": [", p2 ? "true" : "false",
                     R->npairs, R->nties, R->ninconsistent);
  for (size_t t = 0; t < R->ntriples; t++) {
    parley__buf_puts(b, t ? ", " : "");
    json_triple(b, R, R->triple[t]);
  }
  parley__buf_puts(b, "]}");

  /* Test 3. */
  parley__buf_printf(b, ", \"test3\": {\"passed\": %s, \"kendall\": ", p3 ? "true" : "false");
  parley__json_num(b, R->tau);
  parley__buf_puts(b, ", \"cases\": [");
  size_t listed = 0, differ = 0;
  for (size_t i = 0; i < ns; i++) {
    size_t s = r->order[i];
    if (R->rank3_of[s] == R->rank_of[s]) continue;
    differ++;
    if (listed == MAX_LISTED) continue;
    parley__buf_puts(b, listed++ ? ", {\"strategy\": " : "{\"strategy\": ");
    json_id(b, m->strat[s].id);
    parley__buf_printf(b, ", \"rank\": %d, \"combined_rank\": %d}", R->rank_of[s],
                       R->rank3_of[s]);
  }
  parley__buf_printf(b, "], \"cases_omitted\": %zu, \"ranking\": [", differ - listed);
  parley__rank(R->net, ns, true, R->order, R->rank);
  for (size_t i = 0; i < ns; i++) {
    parley__buf_printf(b, "%s{\"rank\": %d, \"strategy\": ", i ? ", " : "", R->rank[i]);
    json_id(b, m->strat[R->order[i]].id);
    parley__buf_puts(b, ", \"net_wins\": ");
    parley__json_num(b, R->net[R->order[i]]);
    parley__buf_puts(b, "}");
  }
  parley__buf_puts(b, "]}}");
}

static void text_out(rr *R, parley__buf *t) {
  const parley_model *m = R->m;
  const parley_result *r = R->a->r;
  size_t ns = R->ns;
  parley__buf_printf(t, "Rank reversal tests (Wang & Triantaphyllou 2008), on %s / %s / %s "
                     "with the run's weights\n", r->stage[PARLEY_STAGE_NORMALIZATION],
                     r->stage[PARLEY_STAGE_AGGREGATION], r->stage[PARLEY_STAGE_RULE]);
  char step[64];
  if (R->amount > 0) {
    char v[32];
    parley__fmt_double(v, sizeof v, R->amount);
    snprintf(step, sizeof step, "by %s", v);
  } else {
    char v[32];
    parley__fmt_double(v, sizeof v, R->delta);
    snprintf(step, sizeof step, "by %s x the criterion's range", v);
  }
  parley__buf_printf(t, "  Test 1, a strategy not first replaced by a worse copy (values moved "
                     "%s): ", step);
  if (R->nfailed == 0)
    parley__buf_printf(t, "passed (%zu case%s", R->ncases, R->ncases == 1 ? "" : "s");
  else
    parley__buf_printf(t, "FAILED in %zu of %zu cases", R->nfailed, R->ncases);
  if (R->nskipped) parley__buf_printf(t, "; %zu with no room to get worse", R->nskipped);
  parley__buf_puts(t, R->nfailed == 0 ? ")\n" : "\n");
  if (R->ftext.failed) t->failed = true;
  else if (R->ftext.len) parley__buf_add(t, R->ftext.data, R->ftext.len);
  if (R->nfailed > TEXT_LINES)
    parley__buf_printf(t, "    ... %zu more\n", R->nfailed - TEXT_LINES);
  if (R->nreordered)
    parley__buf_printf(t, "    (the other strategies changed order in %zu case%s)\n",
                       R->nreordered, R->nreordered == 1 ? "" : "s");

  parley__buf_puts(t, "  Test 2, the two-strategy sub-problems are transitive: ");
  if (R->ninconsistent == 0) {
    parley__buf_printf(t, "passed (%zu pair%s)\n", R->npairs, R->npairs == 1 ? "" : "s");
  } else {
    parley__buf_printf(t, "FAILED (%zu of %zu pairs disagree with the order of net wins)\n",
                       R->ninconsistent, R->npairs);
    for (size_t i = 0; i < R->ntriples && i < TEXT_LINES; i++) {
      const size_t *q = R->triple[i];
      parley__buf_puts(t, "    ");
      for (int d = 0; d < 3; d++) {
        size_t x = q[d], y = q[(d + 1) % 3];
        parley__buf_printf(t, "%s%s%s%s", d ? ", " : "", m->strat[x].id,
                           rel_sym(rel_of(R, x, y)), m->strat[y].id);
      }
      parley__buf_puts(t, "\n");
    }
  }

  bool p3 = true;
  for (size_t s = 0; s < ns; s++) p3 &= R->rank3_of[s] == R->rank_of[s];
  parley__buf_printf(t, "  Test 3, the sub-problems combined by net wins give the ranking: %s"
                     " (Kendall's tau-b %.4f)\n", p3 ? "passed" : "FAILED", R->tau);
  if (!p3) {
    parley__buf_printf(t, "    %-24s %6s %9s\n", "strategy", "rank", "combined");
    size_t shown = 0;
    for (size_t i = 0; i < ns && shown < TEXT_LINES; i++) {
      size_t s = r->order[i];
      if (R->rank3_of[s] == R->rank_of[s]) continue;
      parley__buf_printf(t, "    %-24s %6d %9d\n", m->strat[s].id, R->rank_of[s],
                         R->rank3_of[s]);
      shown++;
    }
  }
}

/* ---- the analysis ---------------------------------------------------------------- */
static int read_params(rr *R) {
  parley__actx *a = R->a;
  R->delta = parley__param_num(a->stage, a->spec, "delta");
  R->amount = parley__param_num(a->stage, a->spec, "amount");
  double each = parley__param_num(a->stage, a->spec, "each_criterion");
  double most = parley__param_num(a->stage, a->spec, "max_strategies");
  if (each != 0 && each != 1)
    return parley__err(R->e, PARLEY_EINVALID, "analysis rank-reversal: each_criterion must be "
                       "0 or 1");
  R->each = each == 1;
  if ((double)R->ns > most)
    return parley__err(R->e, PARLEY_EINVALID, "analysis rank-reversal: the model has %zu "
                       "strategies, more than max_strategies=%.0f; the tests score the model "
                       "about n^2 times (raise max_strategies to run them anyway)", R->ns, most);
  return PARLEY_OK;
}

static void rr_free(rr *R) {
  parley_engine *e = R->e;
  parley__free(e, R->rank_of);
  parley__free(e, R->lo);
  parley__free(e, R->hi);
  parley__free(e, R->order);
  parley__free(e, R->rank);
  parley__free(e, R->view.strat);
  parley__free(e, R->vcube);
  parley__free(e, R->u);
  parley__free(e, R->score);
  parley__free(e, R->rank2_of);
  parley__buf_free(&R->fails);
  parley__buf_free(&R->ftext);
  parley__free(e, R->passes);
  parley__free(e, R->pcube);
  parley__free(e, R->pu);
  parley__free(e, R->rel);
  parley__free(e, R->net);
  parley__free(e, R->rank3_of);
  if (R->ev_ready) parley__eval_free(&R->ev);
  if (R->pev_ready) parley__eval_free(&R->pev);
}

static int rr_alloc(rr *R) {
  parley_engine *e = R->e;
  const parley_model *m = R->m;
  size_t ns = R->ns, ns1 = ns ? ns : 1, nk = R->nk, nc = R->nc;
  size_t cells = parley__mul(parley__mul(nc, nk), ns);
  R->rank_of = parley__malloc(e, parley__mul(ns1, sizeof *R->rank_of));
  R->lo = parley__malloc(e, parley__mul(nc ? nc : 1, sizeof *R->lo));
  R->hi = parley__malloc(e, parley__mul(nc ? nc : 1, sizeof *R->hi));
  R->order = parley__malloc(e, parley__mul(ns1, sizeof *R->order));
  R->rank = parley__malloc(e, parley__mul(ns1, sizeof *R->rank));
  parley__strategy *vstrat = parley__malloc(e, parley__mul(ns1, sizeof *vstrat));
  R->vcube = parley__malloc(e, parley__mul(cells ? cells : 1, sizeof *R->vcube));
  R->u = parley__malloc(e, parley__mul(parley__mul(nk, ns1), sizeof *R->u));
  R->score = parley__malloc(e, parley__mul(ns1, sizeof *R->score));
  R->rank2_of = parley__malloc(e, parley__mul(ns1, sizeof *R->rank2_of));
  R->passes = parley__malloc(e, parley__mul(MAX_LISTED, sizeof *R->passes));
  R->pcube = parley__malloc(e, parley__mul(parley__mul(nc, nk), 2 * sizeof *R->pcube));
  R->pu = parley__malloc(e, parley__mul(nk, 2 * sizeof *R->pu));
  R->rel = parley__malloc(e, ns > 1 ? ns * (ns - 1) / 2 : 1);
  R->net = parley__malloc(e, parley__mul(ns1, sizeof *R->net));
  R->rank3_of = parley__malloc(e, parley__mul(ns1, sizeof *R->rank3_of));
  view_init(&R->view, m, vstrat, ns, R->vcube);
  view_init(&R->pview, m, R->pstrat, 2, R->pcube);
  if (!R->rank_of || !R->lo || !R->hi || !R->order || !R->rank || !vstrat || !R->vcube ||
      !R->u || !R->score || !R->rank2_of || !R->passes || !R->pcube || !R->pu || !R->rel ||
      !R->net || !R->rank3_of)
    return PARLEY_ENOMEM;
  if (ns) memcpy(vstrat, m->strat, ns * sizeof *vstrat);
  if (cells) memcpy(R->vcube, m->cube, cells * sizeof *R->vcube);
  int rc = view_eval(R, &R->ev, &R->view);
  R->ev_ready = rc == PARLEY_OK;
  if (rc == PARLEY_OK) rc = view_eval(R, &R->pev, &R->pview);
  R->pev_ready = rc == PARLEY_OK;
  if (rc != PARLEY_OK) return rc;
  const parley_result *r = R->a->r;
  for (size_t i = 0; i < ns; i++) R->rank_of[r->order[i]] = r->rank[i];
  size_t slab = nk * ns;
  for (size_t c = 0; c < nc; c++) {
    const double *x = m->cube + c * slab;
    double lo = x[0], hi = x[0];
    for (size_t i = 1; i < slab; i++) {
      lo = x[i] < lo ? x[i] : lo;
      hi = x[i] > hi ? x[i] : hi;
    }
    R->lo[c] = lo;
    R->hi[c] = hi;
  }
  return PARLEY_OK;
}

int parley__analysis_rank_reversal(parley__actx *a) {
  rr R;
  memset(&R, 0, sizeof R);
  R.a = a;
  R.e = a->e;
  R.m = a->m;
  R.ns = a->m->ns;
  R.nk = a->m->nk;
  R.nc = a->m->nc;
  R.higher_better = a->r->higher_better;
  R.tau = 1;
  parley__buf_init(&R.fails, R.e);
  parley__buf_init(&R.ftext, R.e);
  int rc = read_params(&R);
  if (rc == PARLEY_OK) rc = rr_alloc(&R);
  if (rc == PARLEY_OK) rc = test1(&R);
  if (rc == PARLEY_OK) rc = pairs(&R);
  if (rc == PARLEY_OK) {
    parley__buf b, t;
    parley__buf_init(&b, R.e);
    parley__buf_init(&t, R.e);
    json_out(&R, &b);
    text_out(&R, &t);
    char *json = NULL, *text = NULL;
    rc = parley__buf_finish(&b, &json, NULL);
    if (rc == PARLEY_OK) rc = parley__buf_finish(&t, &text, NULL);
    else parley__buf_free(&t);
    if (rc == PARLEY_OK) rc = parley__result_add_analysis(a->r, "rank-reversal", json, text);
    else parley__free(R.e, json);
  }
  rr_free(&R);
  return rc;
}
