/*
 * test_sensitivity.c — the deterministic sensitivity analysis
 * ("sensitivity"), through the public API only: small models built in code,
 * run with parley_run_options.analyses, the output read back from
 * parley_result_analysis with cJSON.
 *
 * What is checked, and against what:
 *  - weight stability intervals of a weighted sum, solved by hand below;
 *  - a tie at the top, which any move of a weight breaks at once;
 *  - the tornado of a three-criterion weighted sum, computed by hand below,
 *    and its clipping to [0, 1];
 *  - probability sensitivity under the expected-value rule with two and
 *    with three scenarios, solved by hand below;
 *  - TOPSIS (found by a grid scan and bisection), wsm with maximin (solved
 *    on each linear piece) and wsm with minimax-regret (grid and
 *    bisection), each against an independent brute-force scan in this
 *    file: the model is rebuilt with the moved weights given explicitly
 *    (weighting "given") and run through parley_run on ever finer grids,
 *    which must find the same change points to 1e-6;
 *  - what the analysis must not do: change the run's own fields, write a
 *    NaN, accept a bad parameter; what it must do with one criterion, with a
 *    rule that ignores the probabilities, when stopped through the progress
 *    callback, and when memory runs out at any allocation.
 *
 * Conventions the expected values follow (docs/methods.md, `sensitivity`):
 * moving criterion c's weight to x sets the other weights to
 * w_j (1 - x) / (1 - w_c); the top "changes" when the set of strategies at
 * rank 1 changes; an interval's ends are where the change happens (there
 * the strategies tie), or 0 and 1 when nothing changes on the way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"
#include "fixture.h"

/* ---- building and running models ------------------------------------------------- */
#define MAXN 8

/* A model: nc criteria (all "max"), ns strategies, nk scenarios (0: none),
 * value[s][k][c] (k = 0 when there are no scenarios). */
typedef struct mdef {
  size_t nc, ns, nk;
  const char *crit[MAXN];
  double weight[MAXN];
  const char *strat[MAXN];
  const char *scen[MAXN];
  double prob[MAXN];        /* NaN: none */
  double value[MAXN][MAXN][MAXN];
} mdef;

/* The pipeline of a run: weighting, normalization, aggregation, rule. */
typedef struct pipe {
  const char *stage[4];
} pipe;

static parley_model *build(parley_engine *e, const mdef *d, const double *w) {
  parley_model *m = NULL;
  assert_ok(e, parley_model_new(e, &m, "sensitivity"));
  for (size_t c = 0; c < d->nc; c++)
    assert_ok(e, parley_model_add_criterion(m, d->crit[c], NULL, PARLEY_MAX,
                                            w ? w[c] : d->weight[c]));
  for (size_t s = 0; s < d->ns; s++) assert_ok(e, parley_model_add_strategy(m, d->strat[s], NULL));
  for (size_t k = 0; k < d->nk; k++)
    assert_ok(e, parley_model_add_scenario(m, d->scen[k], NULL, d->prob[k]));
  for (size_t s = 0; s < d->ns; s++)
    for (size_t k = 0; k < (d->nk ? d->nk : 1); k++)
      for (size_t c = 0; c < d->nc; c++)
        assert_ok(e, parley_model_set_outcome(m, d->strat[s], d->nk ? d->scen[k] : NULL,
                                              d->crit[c], d->value[s][k][c]));
  return m;
}

static parley_run_options options(const pipe *p, const char *const *analysis) {
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[PARLEY_STAGE_WEIGHTING] = p->stage[0];
  o.stage[PARLEY_STAGE_NORMALIZATION] = p->stage[1];
  o.stage[PARLEY_STAGE_AGGREGATION] = p->stage[2];
  o.stage[PARLEY_STAGE_RULE] = p->stage[3];
  o.analyses = analysis;
  o.n_analyses = analysis ? 1 : 0;
  o.threads = 1;
  return o;
}

/* Runs the model with the analysis spec and returns its JSON, parsed; the
 * text must carry no NaN or infinity, and the report a Sensitivity
 * section. */
static cJSON *analyse(const mdef *d, const pipe *p, const char *spec) {
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = build(e, d, NULL);
  const char *an[1] = {spec};
  parley_run_options o = options(p, an);
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, &o, &r));
  const char *text = parley_result_analysis(r, "sensitivity");
  assert_non_null(text);
  assert_null(strstr(text, "nan"));
  assert_null(strstr(text, "inf"));
  report_has(e, r, "Sensitivity");
  cJSON *x = cJSON_Parse(text);
  if (!x) fail_msg("not JSON: %s", text);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
  return x;
}

static double num(const cJSON *x, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, key);
  if (!cJSON_IsNumber(v)) fail_msg("'%s' is not a number", key);
  return v->valuedouble;
}

static const char *str(const cJSON *x, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, key);
  if (!cJSON_IsString(v)) fail_msg("'%s' is not a string", key);
  return v->valuestring;
}

/* stability.<criterion>.<what> = [lo, hi] */
static void interval(const cJSON *doc, const char *crit, const char *what, double *lo,
                     double *hi) {
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "stability");
  const cJSON *c = cJSON_GetObjectItemCaseSensitive(st, crit);
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, what);
  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2) fail_msg("stability.%s.%s", crit, what);
  *lo = cJSON_GetArrayItem(v, 0)->valuedouble;
  *hi = cJSON_GetArrayItem(v, 1)->valuedouble;
}

static void assert_interval(const cJSON *doc, const char *crit, const char *what, double lo,
                            double hi, double tol) {
  double glo, ghi;
  interval(doc, crit, what, &glo, &ghi);
  if (!(fabs(glo - lo) <= tol && fabs(ghi - hi) <= tol))
    fail_msg("stability.%s.%s = [%.17g, %.17g], expected [%.17g, %.17g]", crit, what, glo, ghi,
             lo, hi);
}

/* ---- 1. stability intervals of a weighted sum, by hand -------------------------- */
/* Two benefit criteria x (weight 0.4) and y (0.6); strategies
 *        x     y
 *   a    1     0
 *   b    0     1
 *   c   0.2   0.7
 * minmax maps both columns onto themselves (each spans [0, 1]).  Moving
 * x's weight to t leaves y the rest, 0.6 (1 - t) / 0.6 = 1 - t, so
 *   S_a = t,   S_b = 1 - t,   S_c = 0.2 t + 0.7 (1 - t) = 0.7 - 0.5 t.
 * At t = 0.4: a 0.4, b 0.6, c 0.5: the ranking is b, c, a.
 * Crossings: b = a at 1 - t = t, t = 1/2; b = c at 0.3 = 0.5 t, t = 3/5;
 * c = a at 0.7 = 1.5 t, t = 7/15.
 *   Up from 0.4: a passes c at 7/15 (the ranking changes), then ties b at
 *   1/2 (the top changes).  Down to 0: b - a = 1 - 2t, b - c = 0.3 - 0.5 t
 *   and c - a = 0.7 - 1.5 t stay positive, so nothing changes.
 *   x: top [0, 1/2], ranking [0, 7/15].
 * y's weight s is 1 - t, so its intervals are the mirror images:
 *   y: top [1/2, 1], ranking [1 - 7/15, 1] = [8/15, 1]. */
static const mdef wsm3 = {
  .nc = 2, .ns = 3, .nk = 0, .crit = {"x", "y"}, .weight = {0.4, 0.6},
  .strat = {"a", "b", "c"},
  .value = {{{1, 0}}, {{0, 1}}, {{0.2, 0.7}}}};

static void test_stability__wsm_intervals_match_the_hand_solution(void **state) {
  (void)state;
  const pipe rules[2] = {{{"given", "minmax", "wsm", "expected"}},
                         {{"given", "minmax", "wsm", "laplace"}}};
  for (int i = 0; i < 2; i++) {
    cJSON *doc = analyse(&wsm3, &rules[i], "sensitivity");
    assert_string_equal(str(doc, "strategy"), "b");
    assert_string_equal(str(doc, "stability_method"), "exact");
    assert_interval(doc, "x", "top", 0, 0.5, 1e-12);
    assert_interval(doc, "x", "ranking", 0, 7.0 / 15, 1e-12);
    assert_interval(doc, "y", "top", 0.5, 1, 1e-12);
    assert_interval(doc, "y", "ranking", 8.0 / 15, 1, 1e-12);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "partial")));
    cJSON_Delete(doc);
  }
}

/* ---- 2. a tie at the top --------------------------------------------------------- */
/* a = (1, 0) and b = (0, 1) under weights (0.5, 0.5) both score 0.5 and
 * share rank 1 (c = (0.2, 0.2) scores 0.2).  Moving x's weight to t gives
 * a t and b 1 - t: any move either way breaks the tie, so the set at rank 1
 * changes at once and both intervals shrink to the point [0.5, 0.5]. */
static void test_stability__tie_at_the_top_breaks_at_once(void **state) {
  (void)state;
  const mdef d = {.nc = 2, .ns = 3, .crit = {"x", "y"}, .weight = {0.5, 0.5},
                  .strat = {"a", "b", "c"}, .value = {{{1, 0}}, {{0, 1}}, {{0.2, 0.2}}}};
  const pipe p = {{"given", "minmax", "wsm", "expected"}};
  cJSON *doc = analyse(&d, &p, "sensitivity");
  const cJSON *top = cJSON_GetObjectItemCaseSensitive(doc, "top");
  assert_int_equal(cJSON_GetArraySize(top), 2);
  assert_string_equal(cJSON_GetArrayItem(top, 0)->valuestring, "a");
  assert_string_equal(cJSON_GetArrayItem(top, 1)->valuestring, "b");
  assert_interval(doc, "x", "top", 0.5, 0.5, 1e-12);
  assert_interval(doc, "y", "ranking", 0.5, 0.5, 1e-12);
  cJSON_Delete(doc);
  /* The same through the grid and bisection (topsis): within the bisection's
   * tolerance. */
  const pipe t = {{"given", "vector", "topsis", "expected"}};
  doc = analyse(&d, &t, "sensitivity");
  assert_string_equal(str(doc, "stability_method"), "bisection");
  assert_interval(doc, "x", "top", 0.5, 0.5, 1e-9);
  cJSON_Delete(doc);
}

/* ---- 3. the tornado, by hand ---------------------------------------------------- */
/* Three benefit criteria p, q, r with weights 0.5, 0.3, 0.2; strategies
 *         p     q     r
 *   s1    1     0    0.5
 *   s2    0     1     1
 *   s3   0.5   0.5    0
 * (minmax maps each column onto itself).  Scores: s1 0.5 + 0.1 = 0.6,
 * s2 0.3 + 0.2 = 0.5, s3 0.25 + 0.15 = 0.4: s1 is the top.  range 0.1:
 *   p 0.5 -> 0.4: q, r scaled by 0.6/0.5 to 0.36, 0.24:
 *        s1 0.4 + 0.12 = 0.52, s2 0.36 + 0.24 = 0.6, s3 0.2 + 0.18 = 0.38
 *   p 0.5 -> 0.6: q, r scaled by 0.4/0.5 to 0.24, 0.16:
 *        s1 0.6 + 0.08 = 0.68, s2 0.4, s3 0.3 + 0.12 = 0.42;  swing 0.16
 *   q 0.3 -> 0.2: p, r scaled by 0.8/0.7 to 4/7, 1.6/7:
 *        s1 4/7 + 0.8/7 = 4.8/7, s2 0.2 + 1.6/7 = 3/7, s3 2/7 + 0.1 = 2.7/7
 *   q 0.3 -> 0.4: p, r scaled by 0.6/0.7 to 3/7, 1.2/7:
 *        s1 3/7 + 0.6/7 = 3.6/7, s2 0.4 + 1.2/7 = 4/7, s3 1.5/7 + 0.2 = 2.9/7;
 *        swing 3.6/7 - 4.8/7 = -1.2/7
 *   r 0.2 -> 0.1: p, q scaled by 0.9/0.8 to 0.5625, 0.3375:
 *        s1 0.5625 + 0.05 = 0.6125, s2 0.3375 + 0.1 = 0.4375,
 *        s3 0.28125 + 0.16875 = 0.45
 *   r 0.2 -> 0.3: p, q scaled by 0.7/0.8 to 0.4375, 0.2625:
 *        s1 0.4375 + 0.15 = 0.5875, s2 0.2625 + 0.3 = 0.5625,
 *        s3 0.21875 + 0.13125 = 0.35;  swing -0.025
 * Sorted by the size of the swing: q (1.2/7 = 0.1714), p (0.16), r (0.025). */
static const mdef tornado3 = {
  .nc = 3, .ns = 3, .crit = {"p", "q", "r"}, .weight = {0.5, 0.3, 0.2},
  .strat = {"s1", "s2", "s3"},
  .value = {{{1, 0, 0.5}}, {{0, 1, 1}}, {{0.5, 0.5, 0}}}};

static void assert_bar(const cJSON *bar, const char *crit, double w, double lo, double hi,
                       const double slo[3], const double shi[3], double swing) {
  static const char *const ids[3] = {"s1", "s2", "s3"};
  assert_string_equal(str(bar, "criterion"), crit);
  assert_near(num(bar, "weight"), w, 1e-15);
  assert_near(num(bar, "low"), lo, 1e-15);
  assert_near(num(bar, "high"), hi, 1e-15);
  const cJSON *l = cJSON_GetObjectItemCaseSensitive(bar, "scores_low");
  const cJSON *h = cJSON_GetObjectItemCaseSensitive(bar, "scores_high");
  for (int s = 0; s < 3; s++) {
    assert_near(num(l, ids[s]), slo[s], 1e-12);
    assert_near(num(h, ids[s]), shi[s], 1e-12);
  }
  assert_near(num(bar, "swing"), swing, 1e-12);
}

static void test_tornado__wsm_values_match_the_hand_computation(void **state) {
  (void)state;
  const pipe p = {{"given", "minmax", "wsm", "expected"}};
  cJSON *doc = analyse(&tornado3, &p, "sensitivity");
  assert_string_equal(str(doc, "strategy"), "s1");
  assert_near(num(doc, "range"), 0.1, 0);
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "tornado");
  assert_int_equal(cJSON_GetArraySize(t), 3);
  const double q_lo[3] = {4.8 / 7, 3.0 / 7, 2.7 / 7}, q_hi[3] = {3.6 / 7, 4.0 / 7, 2.9 / 7};
  const double p_lo[3] = {0.52, 0.6, 0.38}, p_hi[3] = {0.68, 0.4, 0.42};
  const double r_lo[3] = {0.6125, 0.4375, 0.45}, r_hi[3] = {0.5875, 0.5625, 0.35};
  assert_bar(cJSON_GetArrayItem(t, 0), "q", 0.3, 0.2, 0.4, q_lo, q_hi, -1.2 / 7);
  assert_bar(cJSON_GetArrayItem(t, 1), "p", 0.5, 0.4, 0.6, p_lo, p_hi, 0.16);
  assert_bar(cJSON_GetArrayItem(t, 2), "r", 0.2, 0.1, 0.3, r_lo, r_hi, -0.025);
  cJSON_Delete(doc);
}

/* range 0.5 reaches past the ends: p (0.5) spans [0, 1], q (0.3) [0, 0.8],
 * r (0.2) [0, 0.7].  At p = 1 only p counts: s1 scores 1; at p = 0, q and r
 * share 1 as 0.6 and 0.4: s1 scores 0.2; the swing of p is 0.8. */
static void test_tornado__range_is_clipped_to_0_and_1(void **state) {
  (void)state;
  const pipe p = {{"given", "minmax", "wsm", "expected"}};
  cJSON *doc = analyse(&tornado3, &p, "sensitivity:range=0.5");
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "tornado");
  bool seen[3] = {false, false, false};
  for (int i = 0; i < 3; i++) {
    const cJSON *bar = cJSON_GetArrayItem(t, i);
    const char *c = str(bar, "criterion");
    assert_near(num(bar, "low"), 0, 0);
    if (strcmp(c, "p") == 0) {
      seen[0] = true;
      assert_near(num(bar, "high"), 1, 0);
      assert_near(num(bar, "swing"), 0.8, 1e-12);
    } else if (strcmp(c, "q") == 0) {
      seen[1] = true;
      assert_near(num(bar, "high"), 0.8, 1e-15);
    } else {
      seen[2] = true;
      assert_near(num(bar, "high"), 0.7, 1e-15);
    }
  }
  assert_true(seen[0] && seen[1] && seen[2]);
  /* p swings most (0.8), so it leads. */
  assert_string_equal(str(cJSON_GetArrayItem(t, 0), "criterion"), "p");
  cJSON_Delete(doc);
}

/* ---- 4. probabilities, by hand ---------------------------------------------------- */
/* One benefit criterion v (so the weight cannot move: with one criterion it
 * is 1, and every interval is [1, 1]); scenarios good (p 0.3) and bad
 * (0.7); strategies
 *        good  bad
 *   a     1     0
 *   b    0.4   0.6
 * (minmax maps v's four values onto themselves).  Expected values:
 * a 0.3, b 0.12 + 0.42 = 0.54: b is the top.  With P(good) = q and
 * P(bad) = 1 - q: E_a = q, E_b = 0.4 q + 0.6 (1 - q) = 0.6 - 0.2 q; they
 * are level at q = 0.6 - 0.2 q, q = 0.5.
 *   good: raising it by 0.5 - 0.3 = 0.2 makes a the top; lowering it only
 *         widens b's lead (E_b - E_a = 0.6 - 1.2 q grows): null.
 *   bad:  lowering it by 0.7 - 0.5 = 0.2 makes a the top; raising: null.
 * The smallest change is 0.2 either way: a tie, which goes to the scenario
 * listed first: raising good. */
static const mdef good_bad = {.nc = 1, .ns = 2, .nk = 2, .crit = {"v"}, .weight = {1},
                              .strat = {"a", "b"}, .scen = {"good", "bad"},
                              .prob = {0.3, 0.7}, .value = {{{1}, {0}}, {{0.4}, {0.6}}}};

static void test_probabilities__two_scenarios_match_the_hand_solution(void **state) {
  (void)state;
  const pipe p = {{"given", "minmax", "wsm", "expected"}};
  cJSON *doc = analyse(&good_bad, &p, "sensitivity");
  assert_string_equal(str(doc, "strategy"), "b");
  const cJSON *pr = cJSON_GetObjectItemCaseSensitive(doc, "probabilities");
  const cJSON *good = cJSON_GetObjectItemCaseSensitive(pr, "good");
  const cJSON *bad = cJSON_GetObjectItemCaseSensitive(pr, "bad");
  assert_near(num(good, "probability"), 0.3, 0);
  assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(good, "decrease")));
  assert_near(num(good, "increase"), 0.2, 1e-12);
  assert_string_equal(str(good, "new_top"), "a");
  assert_string_equal(str(good, "new_top_increase"), "a");
  assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(good, "new_top_decrease")));
  assert_near(num(bad, "decrease"), 0.2, 1e-12);
  assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(bad, "increase")));
  assert_string_equal(str(bad, "new_top"), "a");
  const cJSON *sm = cJSON_GetObjectItemCaseSensitive(doc, "smallest");
  assert_string_equal(str(sm, "scenario"), "good");
  assert_string_equal(str(sm, "direction"), "increase");
  assert_near(num(sm, "change"), 0.2, 1e-12);
  assert_string_equal(str(sm, "new_top"), "a");
  /* One criterion: its weight stays 1. */
  assert_interval(doc, "v", "top", 1, 1, 0);
  assert_interval(doc, "v", "ranking", 1, 1, 0);
  const cJSON *bar = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "tornado"), 0);
  assert_near(num(bar, "low"), 1, 0);
  assert_near(num(bar, "high"), 1, 0);
  assert_near(num(bar, "swing"), 0, 0);
  cJSON_Delete(doc);
}

/* Three scenarios s1, s2, s3 with probabilities 0.2, 0.3, 0.5; one benefit
 * criterion; a = (1, 0, 0), b = (0, 0.5, 0.5) over the scenarios (minmax
 * maps them onto themselves).  E_a = 0.2, E_b = 0.4: b is the top.
 *   s1 at q, s2 and s3 scaled by (1 - q)/0.8: E_a = q,
 *      E_b = 0.5 (1 - q); level at q = 1/3: raising s1 by 1/3 - 0.2 = 2/15
 *      makes a the top; lowering: null.
 *   s2 at q, s1 and s3 to 0.2 (1 - q)/0.7 and 0.5 (1 - q)/0.7:
 *      E_b - E_a = 0.5 q + (2.5 - 2)(1 - q)/7 > 0 on [0, 1]: null both ways.
 *   s3 at q, s1 and s2 to 0.4 (1 - q) and 0.6 (1 - q): E_a = 0.4 (1 - q),
 *      E_b = 0.3 (1 - q) + 0.5 q; E_b - E_a = 0.6 q - 0.1, zero at q = 1/6:
 *      lowering s3 by 1/2 - 1/6 = 1/3 makes a the top; raising: null.
 * Smallest: raising s1 by 2/15. */
static void test_probabilities__three_scenarios_rescale_in_proportion(void **state) {
  (void)state;
  const mdef d = {.nc = 1, .ns = 2, .nk = 3, .crit = {"v"}, .weight = {1},
                  .strat = {"a", "b"}, .scen = {"s1", "s2", "s3"}, .prob = {0.2, 0.3, 0.5},
                  .value = {{{1}, {0}, {0}}, {{0}, {0.5}, {0.5}}}};
  const pipe p = {{"given", "minmax", "wsm", "expected"}};
  cJSON *doc = analyse(&d, &p, "sensitivity");
  const cJSON *pr = cJSON_GetObjectItemCaseSensitive(doc, "probabilities");
  const cJSON *s1 = cJSON_GetObjectItemCaseSensitive(pr, "s1");
  const cJSON *s2 = cJSON_GetObjectItemCaseSensitive(pr, "s2");
  const cJSON *s3 = cJSON_GetObjectItemCaseSensitive(pr, "s3");
  assert_near(num(s1, "increase"), 2.0 / 15, 1e-12);
  assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s1, "decrease")));
  assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s2, "decrease")));
  assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s2, "increase")));
  assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s2, "new_top")));
  assert_near(num(s3, "decrease"), 1.0 / 3, 1e-12);
  assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s3, "increase")));
  assert_string_equal(str(s3, "new_top"), "a");
  const cJSON *sm = cJSON_GetObjectItemCaseSensitive(doc, "smallest");
  assert_string_equal(str(sm, "scenario"), "s1");
  assert_string_equal(str(sm, "direction"), "increase");
  assert_near(num(sm, "change"), 2.0 / 15, 1e-12);
  assert_string_equal(str(sm, "new_top"), "a");
  cJSON_Delete(doc);
}

/* A rule that ignores the probabilities leaves the part out, and the text
 * says so. */
static void test_probabilities__left_out_when_the_rule_ignores_them(void **state) {
  (void)state;
  const pipe p = {{"given", "minmax", "wsm", "maximin"}};
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = build(e, &good_bad, NULL);
  const char *an[1] = {"sensitivity"};
  parley_run_options o = options(&p, an);
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, &o, &r));
  cJSON *doc = analysis_json(r, "sensitivity");
  assert_null(cJSON_GetObjectItemCaseSensitive(doc, "probabilities"));
  assert_null(cJSON_GetObjectItemCaseSensitive(doc, "smallest"));
  report_has(e, r, "does not use the scenario probabilities");
  cJSON_Delete(doc);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* ---- 5. against a brute-force scan ------------------------------------------------ */
/* The ranks of the strategies when criterion c's weight is x, the others
 * rescaled in proportion (the rule of docs/methods.md, written out again
 * here): the model is rebuilt with these weights given and run. */
static void ranks_at(const mdef *d, const pipe *p, size_t c, double x, int *rank) {
  double w[MAXN], rest = 0;
  for (size_t j = 0; j < d->nc; j++)
    if (j != c) rest += d->weight[j];
  for (size_t j = 0; j < d->nc; j++) w[j] = j == c ? x : d->weight[j] * (1 - x) / rest;
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = build(e, d, w);
  parley_run_options o = options(p, NULL);
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, &o, &r));
  for (size_t i = 0; i < d->ns; i++) {
    size_t s;
    int k;
    assert_ok(e, parley_result_ranking(r, i, &s, NULL, &k));
    rank[s] = k;
  }
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

static bool same_state(const int *a, const int *b, size_t ns, bool top_only) {
  for (size_t s = 0; s < ns; s++)
    if (top_only ? (a[s] == 1) != (b[s] == 1) : a[s] != b[s]) return false;
  return true;
}

/* From the model's weight towards end (0 or 1): where the top (or the
 * ranking) first differs from the model's, by scanning steps of 1e-3, then
 * the cell where it changed in steps of 1e-5, then 1e-7; end when it never
 * changes.  The answer is the middle of the last cell, within 5e-8. */
static double brute_force(const mdef *d, const pipe *p, size_t c, double end, bool top_only) {
  int base[MAXN], now[MAXN];
  double x0 = d->weight[c], dir = end > x0 ? 1 : -1;
  ranks_at(d, p, c, x0, base);
  /* The state at from is the model's; at to (after the first level) not. */
  double from = x0, to = end;
  for (double h = 1e-3; h > 0.5e-7; h /= 100) {
    double prev = from;
    bool changed = false;
    for (long i = 1; !changed; i++) {
      double x = from + dir * h * (double)i;
      bool last = dir * (x - to) >= 0;
      if (last) x = to;
      ranks_at(d, p, c, x, now);
      if (!same_state(base, now, d->ns, top_only)) {
        changed = true;
        to = x;
      } else {
        prev = x;
      }
      if (last) break;
    }
    if (!changed) return end;
    from = prev;
  }
  return (from + to) / 2;
}

static void check_against_brute_force(const mdef *d, const pipe *p, const char *method) {
  cJSON *doc = analyse(d, p, "sensitivity");
  assert_string_equal(str(doc, "stability_method"), method);
  for (size_t c = 0; c < d->nc; c++) {
    double lo, hi;
    interval(doc, d->crit[c], "top", &lo, &hi);
    assert_near(lo, brute_force(d, p, c, 0, true), 1e-6);
    assert_near(hi, brute_force(d, p, c, 1, true), 1e-6);
    interval(doc, d->crit[c], "ranking", &lo, &hi);
    assert_near(lo, brute_force(d, p, c, 0, false), 1e-6);
    assert_near(hi, brute_force(d, p, c, 1, false), 1e-6);
  }
  cJSON_Delete(doc);
}

/* TOPSIS with vector normalization on four strategies and three benefit
 * criteria: the closeness is not linear in the weights, so the analysis
 * scans and bisects. */
static void test_stability__topsis_matches_a_brute_force_scan(void **state) {
  (void)state;
  const mdef d = {.nc = 3, .ns = 4, .crit = {"c1", "c2", "c3"}, .weight = {0.3, 0.3, 0.4},
                  .strat = {"a", "b", "c", "d"},
                  .value = {{{7, 9, 9}}, {{8, 7, 8}}, {{9, 6, 8}}, {{6, 7, 8}}}};
  const pipe p = {{"given", "vector", "topsis", "expected"}};
  check_against_brute_force(&d, &p, "bisection");
}

/* wsm under maximin is piecewise linear in a weight: the analysis solves
 * each piece in closed form; under minimax-regret it scans and bisects.
 * Two scenarios, three strategies, two criteria. */
static void test_stability__maximin_and_regret_match_a_brute_force_scan(void **state) {
  (void)state;
  const mdef d = {.nc = 2, .ns = 3, .nk = 2, .crit = {"x", "y"}, .weight = {0.45, 0.55},
                  .strat = {"a", "b", "c"}, .scen = {"k1", "k2"}, .prob = {NAN, NAN},
                  .value = {{{9, 1}, {3, 6}}, {{4, 5}, {6, 3}}, {{6, 4}, {2, 7}}}};
  const pipe maximin = {{"given", "minmax", "wsm", "maximin"}};
  check_against_brute_force(&d, &maximin, "exact");
  const pipe hurwicz = {{"given", "minmax", "wsm", "hurwicz:alpha=0.3"}};
  check_against_brute_force(&d, &hurwicz, "exact");
  const pipe regret = {{"given", "minmax", "wsm", "minimax-regret"}};
  check_against_brute_force(&d, &regret, "bisection");
}

/* ---- 6. what it must not do -------------------------------------------------------- */
/* The run's own fields are the same with and without the analysis: the
 * result documents agree once "analyses" is taken out. */
static void test_run__is_left_unchanged_by_the_analysis(void **state) {
  (void)state;
  const mdef d = {.nc = 2, .ns = 3, .nk = 2, .crit = {"x", "y"}, .weight = {0.45, 0.55},
                  .strat = {"a", "b", "c"}, .scen = {"k1", "k2"}, .prob = {0.4, 0.6},
                  .value = {{{9, 1}, {3, 6}}, {{4, 5}, {6, 3}}, {{6, 4}, {2, 7}}}};
  const pipe p = {{"given", "minmax", "topsis", "expected"}};
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = build(e, &d, NULL);
  char *doc[2] = {NULL, NULL};
  for (int i = 0; i < 2; i++) {
    const char *an[1] = {"sensitivity"};
    parley_run_options o = options(&p, i ? an : NULL);
    parley_result *r = NULL;
    assert_ok(e, parley_run(e, m, &o, &r));
    char *json = NULL;
    assert_ok(e, parley_result_format(e, r, "json", &json, NULL));
    cJSON *x = cJSON_Parse(json);
    assert_non_null(x);
    cJSON *an_obj = cJSON_DetachItemFromObjectCaseSensitive(x, "analyses");
    if (i) assert_non_null(cJSON_GetObjectItemCaseSensitive(an_obj, "sensitivity"));
    /* evpi, computed with the run, stays in both. */
    if (an_obj) cJSON_AddItemToObject(x, "evpi", cJSON_DetachItemFromObjectCaseSensitive(
                                                     an_obj, "evpi"));
    cJSON_Delete(an_obj);
    doc[i] = cJSON_PrintUnformatted(x);
    cJSON_Delete(x);
    parley_free(e, json);
    parley_result_free(r);
  }
  assert_string_equal(doc[0], doc[1]);
  free(doc[0]);
  free(doc[1]);
  parley_model_free(m);
  parley_engine_free(e);
}

static void test_params__bad_values_are_refused(void **state) {
  (void)state;
  static const struct {
    const char *spec, *words;
  } bad[] = {{"sensitivity:range=0", "range"},
             {"sensitivity:range=1.5", "range"},
             {"sensitivity:steps=0", "steps"},
             {"sensitivity:steps=2.5", "whole number"},
             {"sensitivity:n=10", "no parameter 'n'"}};
  const pipe p = {{"given", "minmax", "wsm", "expected"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    parley_engine *e = NULL;
    assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
    parley_model *m = build(e, &wsm3, NULL);
    const char *an[1] = {bad[i].spec};
    parley_run_options o = options(&p, an);
    parley_result *r = NULL;
    int rc = parley_run(e, m, &o, &r);
    assert_int_not_equal(rc, PARLEY_OK);
    assert_null(r);
    assert_contains(parley_engine_errmsg(e), bad[i].words);
    parley_model_free(m);
    parley_engine_free(e);
  }
}

/* The steps parameter is used by the grid: a coarser grid finds the same
 * TOPSIS change points when no change is narrower than a step. */
static void test_params__steps_sets_the_grid(void **state) {
  (void)state;
  const mdef d = {.nc = 3, .ns = 4, .crit = {"c1", "c2", "c3"}, .weight = {0.3, 0.3, 0.4},
                  .strat = {"a", "b", "c", "d"},
                  .value = {{{7, 9, 9}}, {{8, 7, 8}}, {{9, 6, 8}}, {{6, 7, 8}}}};
  const pipe p = {{"given", "vector", "topsis", "expected"}};
  cJSON *fine = analyse(&d, &p, "sensitivity:steps=1000");
  cJSON *coarse = analyse(&d, &p, "sensitivity:steps=50");
  assert_near(num(coarse, "steps"), 50, 0);
  for (size_t c = 0; c < d.nc; c++) {
    double a0, a1, b0, b1;
    interval(fine, d.crit[c], "top", &a0, &a1);
    interval(coarse, d.crit[c], "top", &b0, &b1);
    assert_near(a0, b0, 2e-9);
    assert_near(a1, b1, 2e-9);
  }
  cJSON_Delete(fine);
  cJSON_Delete(coarse);
}

/* ---- 7. progress and memory ---------------------------------------------------------- */
typedef struct seen {
  int calls;
  uint64_t done, total;
} seen;

static int record(void *ud, const char *analysis, uint64_t done, uint64_t total) {
  seen *s = ud;
  assert_string_equal(analysis, "sensitivity");
  s->calls++;
  s->done = done;
  s->total = total;
  return 0;
}

static void test_progress__last_call_says_every_criterion_is_done(void **state) {
  (void)state;
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = build(e, &tornado3, NULL);
  const char *an[1] = {"sensitivity"};
  const pipe p = {{"given", "minmax", "wsm", "expected"}};
  parley_run_options o = options(&p, an);
  seen s = {0, 0, 0};
  o.progress = record;
  o.progress_ud = &s;
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, &o, &r));
  assert_true(s.calls >= 1);
  assert_int_equal(s.done, 3);
  assert_int_equal(s.total, 3);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

static int stop_at_once(void *ud, const char *analysis, uint64_t done, uint64_t total) {
  (void)analysis, (void)total;
  seen *s = ud;
  s->calls++;
  s->done = done;
  return 1;
}

/* A stop asked for at the first report (after the first criterion's
 * intervals) leaves the other criteria out of "stability" and marks the
 * result partial; the tornado and the probabilities are whole. */
static void test_progress__a_stop_gives_a_partial_result(void **state) {
  (void)state;
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = build(e, &tornado3, NULL);
  const char *an[1] = {"sensitivity"};
  const pipe p = {{"given", "minmax", "wsm", "expected"}};
  parley_run_options o = options(&p, an);
  seen s = {0, 0, 0};
  o.progress = stop_at_once;
  o.progress_ud = &s;
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, &o, &r));
  cJSON *doc = analysis_json(r, "sensitivity");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "partial")));
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "stability");
  assert_int_equal(cJSON_GetArraySize(st), 1);
  assert_non_null(cJSON_GetObjectItemCaseSensitive(st, "p"));
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "tornado")), 3);
  report_has(e, r, "stopped early: 1 of 3 criteria");
  cJSON_Delete(doc);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* One pass for every_allocation_failure (fixture.h); ud is the pair
 * {aggregation, rule}. */
static int build_and_run(parley_engine *e, const void *ud) {
  const char *const *stages = ud;
  parley_model *m = NULL;
  const char *s[] = {"a", "b", "c"}, *k[] = {"k1", "k2"};
  const double v[3][2][2] = {{{9, 1}, {3, 6}}, {{4, 5}, {6, 3}}, {{6, 4}, {2, 7}}};
  int rc = parley_model_new(e, &m, "alloc");
  for (int i = 0; rc == PARLEY_OK && i < 3; i++) rc = parley_model_add_strategy(m, s[i], NULL);
  if (rc == PARLEY_OK) rc = parley_model_add_criterion(m, "x", NULL, PARLEY_MAX, 0.45);
  if (rc == PARLEY_OK) rc = parley_model_add_criterion(m, "y", NULL, PARLEY_MAX, 0.55);
  for (int j = 0; rc == PARLEY_OK && j < 2; j++)
    rc = parley_model_add_scenario(m, k[j], NULL, j ? 0.6 : 0.4);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 2; j++)
      for (int c = 0; rc == PARLEY_OK && c < 2; c++)
        rc = parley_model_set_outcome(m, s[i], k[j], c ? "y" : "x", v[i][j][c]);
  const char *an[1] = {"sensitivity:steps=20"};
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[PARLEY_STAGE_AGGREGATION] = stages[0];
  o.stage[PARLEY_STAGE_RULE] = stages[1];
  o.analyses = an;
  o.n_analyses = 1;
  o.threads = 1;
  parley_result *r = NULL;
  if (rc == PARLEY_OK) rc = parley_run(e, m, &o, &r);
  return format_and_free(e, rc, r, m, "text");
}

/* Every allocation of a run with the analysis failed in turn, on each of
 * its three paths (linear, piecewise, grid): PARLEY_ENOMEM every time,
 * nothing leaked, and the engine usable afterwards. */
static void test_alloc__every_failure_is_enomem_and_leaks_nothing(void **state) {
  (void)state;
  static const char *const cases[3][2] = {
    {"wsm", "expected"}, {"wsm", "maximin"}, {"topsis", "expected"}};
  for (int i = 0; i < 3; i++) {
    char what[64];
    snprintf(what, sizeof what, "%s/%s", cases[i][0], cases[i][1]);
    every_allocation_failure(what, 100000, ALLOC_RECOVERS, build_and_run, cases[i]);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_stability__wsm_intervals_match_the_hand_solution),
    cmocka_unit_test(test_stability__tie_at_the_top_breaks_at_once),
    cmocka_unit_test(test_tornado__wsm_values_match_the_hand_computation),
    cmocka_unit_test(test_tornado__range_is_clipped_to_0_and_1),
    cmocka_unit_test(test_probabilities__two_scenarios_match_the_hand_solution),
    cmocka_unit_test(test_probabilities__three_scenarios_rescale_in_proportion),
    cmocka_unit_test(test_probabilities__left_out_when_the_rule_ignores_them),
    cmocka_unit_test(test_stability__topsis_matches_a_brute_force_scan),
    cmocka_unit_test(test_stability__maximin_and_regret_match_a_brute_force_scan),
    cmocka_unit_test(test_run__is_left_unchanged_by_the_analysis),
    cmocka_unit_test(test_params__bad_values_are_refused),
    cmocka_unit_test(test_params__steps_sets_the_grid),
    cmocka_unit_test(test_progress__last_call_says_every_criterion_is_done),
    cmocka_unit_test(test_progress__a_stop_gives_a_partial_result),
    cmocka_unit_test(test_alloc__every_failure_is_enomem_and_leaks_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
