/*
 * test_api.c — the public C API end to end, through include/parley.h only:
 * a model built in code and scored by hand, the errors each misuse must give
 * (with the code and the words the message must carry), the version macros,
 * the lifetime rule that a result keeps its model alive, and allocation
 * failure injection: an allocator that fails the Nth allocation, for every N
 * until a whole load + run + format succeeds, must see PARLEY_ENOMEM every
 * time, leak nothing and leave the engine usable.
 *
 * The hand model (used throughout).  Criteria: gain (max), cost (min), equal
 * given weights 1 and 1, so w = (0.5, 0.5).  Scenarios: good (p = 0.25) and
 * bad (p = 0.75).  Strategies a, b, c:
 *
 *                 gain          cost
 *               good  bad     good  bad
 *      a          8    2        2    6
 *      b          4    4        4    2
 *      c          6    0        2    4
 *
 * minmax over each criterion's six values: gain spans [0, 8], r = x / 8;
 * cost spans [2, 6] and is flipped, r = (6 - x) / 4.
 *      a: good (1 + 1) / 2 = 1,       bad (0.25 + 0) / 2 = 0.125
 *      b: good (0.5 + 0.5) / 2 = 0.5, bad (0.5 + 1) / 2 = 0.75
 *      c: good (0.75 + 1) / 2 = 0.875, bad (0 + 0.5) / 2 = 0.25
 * expected = 0.25 u(good) + 0.75 u(bad):
 *      a: 0.25 + 0.09375 = 0.34375
 *      b: 0.125 + 0.5625 = 0.6875
 *      c: 0.21875 + 0.1875 = 0.40625      ranking b, c, a
 * Every number above is a short binary fraction, exact in a double whatever
 * the order of the operations, so the scores are compared for equality.
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

enum { A, B, C };          /* strategy indices, in the order they are added */
enum { GOOD, BAD };        /* scenario indices */
enum { GAIN, COST };       /* criterion indices */

static const double hand_values[3][2][2] = {
  /* [strategy][criterion][scenario], as in the table above */
  {{8, 2}, {2, 6}},
  {{4, 4}, {4, 2}},
  {{6, 0}, {2, 4}},
};
static const char *const strategy_ids[3] = {"a", "b", "c"};
static const char *const scenario_ids[2] = {"good", "bad"};
static const char *const criterion_ids[2] = {"gain", "cost"};

/* Builds the criteria, strategies and scenarios of the hand model; with
 * cells, sets every outcome as well. */
static parley_model *hand_model(parley_engine *e, bool cells) {
  parley_model *m = NULL;
  assert_ok(e, parley_model_new(e, &m, "hand"));
  assert_ok(e, parley_model_add_criterion(m, "gain", "Gain", PARLEY_MAX, 1));
  assert_ok(e, parley_model_add_criterion(m, "cost", "Cost", PARLEY_MIN, 1));
  for (int s = 0; s < 3; s++) assert_ok(e, parley_model_add_strategy(m, strategy_ids[s], NULL));
  assert_ok(e, parley_model_add_scenario(m, "good", "Good year", 0.25));
  assert_ok(e, parley_model_add_scenario(m, "bad", "Bad year", 0.75));
  if (cells)
    for (int s = 0; s < 3; s++)
      for (int c = 0; c < 2; c++)
        for (int k = 0; k < 2; k++)
          assert_ok(e, parley_model_set_outcome(m, strategy_ids[s], scenario_ids[k],
                                                criterion_ids[c], hand_values[s][c][k]));
  return m;
}

static parley_engine *new_engine(void) {
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  assert_non_null(e);
  return e;
}

/* Runs with one rule override (NULL: the model's own pipeline). */
static int run_rule(parley_engine *e, parley_model *m, const char *rule, parley_result **out) {
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[PARLEY_STAGE_RULE] = rule;
  return parley_run(e, m, &o, out);
}

static void assert_place(const parley_result *r, size_t i, size_t strategy, double score,
                         int rank) {
  size_t s = 99;
  double v = NAN;
  int k = -1;
  assert_int_equal(parley_result_ranking(r, i, &s, &v, &k), PARLEY_OK);
  assert_int_equal(s, strategy);
  assert_true(v == score);
  assert_int_equal(k, rank);
}

/* ---- the builder, end to end ------------------------------------------ */
static void test_builder__hand_model_scores_and_ranking(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, true);
  assert_int_equal(parley_model_count(m, PARLEY_STRATEGIES), 3);
  assert_int_equal(parley_model_count(m, PARLEY_SCENARIOS), 2);
  assert_int_equal(parley_model_count(m, PARLEY_CRITERIA), 2);
  assert_string_equal(parley_model_id(m, PARLEY_SCENARIOS, BAD), "bad");
  assert_true(parley_model_outcome(m, C, GOOD, GAIN) == 6);

  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[PARLEY_STAGE_WEIGHTING] = "given";
  o.stage[PARLEY_STAGE_NORMALIZATION] = "minmax";
  o.stage[PARLEY_STAGE_AGGREGATION] = "wsm";
  o.stage[PARLEY_STAGE_RULE] = "expected";
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, &o, &r));

  assert_true(parley_result_weight(r, GAIN) == 0.5);
  assert_true(parley_result_weight(r, COST) == 0.5);
  /* The utilities of the header's table. */
  assert_true(parley_result_utility(r, A, GOOD) == 1);
  assert_true(parley_result_utility(r, A, BAD) == 0.125);
  assert_true(parley_result_utility(r, B, GOOD) == 0.5);
  assert_true(parley_result_utility(r, B, BAD) == 0.75);
  assert_true(parley_result_utility(r, C, GOOD) == 0.875);
  assert_true(parley_result_utility(r, C, BAD) == 0.25);

  assert_int_equal(parley_result_higher_is_better(r), 1);
  assert_true(parley_result_score(r, A) == 0.34375);
  assert_true(parley_result_score(r, B) == 0.6875);
  assert_true(parley_result_score(r, C) == 0.40625);
  assert_place(r, 0, B, 0.6875, 1);
  assert_place(r, 1, C, 0.40625, 2);
  assert_place(r, 2, A, 0.34375, 3);
  assert_int_equal(parley_result_ranking(r, 3, NULL, NULL, NULL), PARLEY_ENOTFOUND);
  assert_string_equal(parley_result_stage(r, PARLEY_STAGE_RULE), "expected");
  assert_string_equal(parley_result_stage(r, PARLEY_STAGE_AGGREGATION), "wsm");

  /* EVPI (Raiffa & Schlaifer 1961): with perfect information pick the best
   * in each scenario, 0.25 * max(1, 0.5, 0.875) + 0.75 * max(0.125, 0.75,
   * 0.25) = 0.25 + 0.5625 = 0.8125; without it the best expected utility is
   * b's 0.6875; EVPI = 0.125. */
  double ev, evpi_ev, evpi;
  assert_int_equal(parley_result_evpi(r, &ev, &evpi_ev, &evpi), PARLEY_OK);
  assert_true(ev == 0.6875);
  assert_true(evpi_ev == 0.8125);
  assert_true(evpi == 0.125);

  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* With no options at all the defaults are given, minmax, wsm and, since the
 * scenarios have probabilities, expected: the same scores as above. */
static void test_builder__defaults_are_given_minmax_wsm_expected(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, true);
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, NULL, &r));
  assert_string_equal(parley_result_stage(r, PARLEY_STAGE_WEIGHTING), "given");
  assert_string_equal(parley_result_stage(r, PARLEY_STAGE_NORMALIZATION), "minmax");
  assert_string_equal(parley_result_stage(r, PARLEY_STAGE_RULE), "expected");
  assert_place(r, 0, B, 0.6875, 1);
  assert_place(r, 2, A, 0.34375, 3);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* Rules over the utilities of the header:
 *   maximin: a min(1, 0.125) = 0.125, b 0.5, c 0.25          -> b, c, a
 *   hurwicz alpha 0.5: a (1 + 0.125) / 2 = 0.5625, b (0.75 + 0.5) / 2 =
 *     0.625, c (0.875 + 0.25) / 2 = 0.5625                   -> b, then a = c
 *   hurwicz alpha 0.75: a 0.75 + 0.03125 = 0.78125, b 0.5625 + 0.125 =
 *     0.6875, c 0.65625 + 0.0625 = 0.71875                   -> a, c, b
 *   minimax-regret (Savage 1951): best per scenario 1 (good) and 0.75 (bad);
 *     regrets a (0, 0.625), b (0.5, 0), c (0.125, 0.5); largest a 0.625,
 *     b 0.5, c 0.5, lower is better                          -> b = c, then a */
static void test_builder__rule_overrides_change_the_ranking(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, true);
  parley_result *r = NULL;

  assert_ok(e, run_rule(e, m, "maximin", &r));
  assert_place(r, 0, B, 0.5, 1);
  assert_place(r, 1, C, 0.25, 2);
  assert_place(r, 2, A, 0.125, 3);
  parley_result_free(r);

  assert_ok(e, run_rule(e, m, "hurwicz", &r));
  assert_place(r, 0, B, 0.625, 1);
  /* a and c tie: both share rank 2 and the next rank would be 4. */
  size_t s1, s2;
  int k1, k2;
  assert_int_equal(parley_result_ranking(r, 1, &s1, NULL, &k1), PARLEY_OK);
  assert_int_equal(parley_result_ranking(r, 2, &s2, NULL, &k2), PARLEY_OK);
  assert_int_equal(k1, 2);
  assert_int_equal(k2, 2);
  assert_true((s1 == A && s2 == C) || (s1 == C && s2 == A));
  assert_true(parley_result_score(r, A) == 0.5625);
  assert_true(parley_result_score(r, C) == 0.5625);
  parley_result_free(r);

  assert_ok(e, run_rule(e, m, "hurwicz:alpha=0.75", &r));
  assert_string_equal(parley_result_stage(r, PARLEY_STAGE_RULE), "hurwicz:alpha=0.75");
  assert_place(r, 0, A, 0.78125, 1);
  assert_place(r, 1, C, 0.71875, 2);
  assert_place(r, 2, B, 0.6875, 3);
  parley_result_free(r);

  assert_ok(e, run_rule(e, m, "minimax-regret", &r));
  assert_int_equal(parley_result_higher_is_better(r), 0);
  assert_true(parley_result_score(r, A) == 0.625);
  assert_true(parley_result_score(r, B) == 0.5);
  assert_true(parley_result_score(r, C) == 0.5);
  assert_place(r, 2, A, 0.625, 3);
  assert_int_equal(parley_result_ranking(r, 0, NULL, NULL, &k1), PARLEY_OK);
  assert_int_equal(k1, 1);
  parley_result_free(r);

  parley_model_free(m);
  parley_engine_free(e);
}

/* The model's own pipeline (set in code) is used when the run names none. */
static void test_builder__model_pipeline_is_used_without_overrides(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, true);
  assert_ok(e, parley_model_set_stage(m, PARLEY_STAGE_RULE, "maximin"));
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, NULL, &r));
  assert_string_equal(parley_result_stage(r, PARLEY_STAGE_RULE), "maximin");
  assert_place(r, 0, B, 0.5, 1);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* Two actors who each care about one criterion only.  With influence 1
 * each, "given" weighting takes the mean of their weight vectors, (0.5, 0.5),
 * so the group ranking is the one of the header.
 *   gainer (gain only), u = r_gain: a 0.25 * 1 + 0.75 * 0.25 = 0.4375,
 *     b 0.5, c 0.25 * 0.75 + 0 = 0.1875                      -> b, a, c
 *   saver (cost only), u = r_cost: a 0.25 * 1 + 0 = 0.25,
 *     b 0.125 + 0.75 = 0.875, c 0.25 + 0.375 = 0.625         -> b, c, a
 * Kendall's tau: pairs (a,b) agree, (a,c) disagree, (b,c) agree, no ties:
 * tau = (2 - 1) / 3 = 1/3. */
static void test_builder__actors_rank_by_their_own_weights(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, false);
  assert_ok(e, parley_model_add_actor(m, "gainer", "Gainer", NAN));
  assert_ok(e, parley_model_add_actor(m, "saver", "Saver", 1));
  assert_ok(e, parley_model_set_actor_weight(m, "gainer", "gain", 1));
  assert_ok(e, parley_model_set_actor_weight(m, "gainer", "cost", 0));
  assert_ok(e, parley_model_set_actor_weight(m, "saver", "gain", 0));
  assert_ok(e, parley_model_set_actor_weight(m, "saver", "cost", 1));
  for (int s = 0; s < 3; s++)
    for (int c = 0; c < 2; c++)
      for (int k = 0; k < 2; k++)
        assert_ok(e, parley_model_set_outcome(m, strategy_ids[s], scenario_ids[k],
                                              criterion_ids[c], hand_values[s][c][k]));
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, NULL, &r));
  assert_true(parley_result_weight(r, GAIN) == 0.5);
  assert_place(r, 0, B, 0.6875, 1);

  size_t s;
  double v;
  int k;
  const size_t gainer_order[3] = {B, A, C};
  const double gainer_score[3] = {0.5, 0.4375, 0.1875};
  const size_t saver_order[3] = {B, C, A};
  const double saver_score[3] = {0.875, 0.625, 0.25};
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(parley_result_actor_ranking(r, 0, i, &s, &v, &k), PARLEY_OK);
    assert_int_equal(s, gainer_order[i]);
    assert_true(v == gainer_score[i]);
    assert_int_equal(k, (int)i + 1);
    assert_int_equal(parley_result_actor_ranking(r, 1, i, &s, &v, &k), PARLEY_OK);
    assert_int_equal(s, saver_order[i]);
    assert_true(v == saver_score[i]);
  }
  assert_int_equal(parley_result_actor_ranking(r, 2, 0, &s, &v, &k), PARLEY_ENOTFOUND);
  assert_true(fabs(parley_result_actor_tau(r, 0, 1) - 1.0 / 3.0) < 1e-15);
  assert_true(parley_result_actor_tau(r, 1, 0) == parley_result_actor_tau(r, 0, 1));
  assert_true(parley_result_actor_tau(r, 1, 1) == 1);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* A distribution's mean stands in the cube: triangular (7, 8, 9) has mean
 * (7 + 8 + 9) / 3 = 8, a's good gain as before, and PERT (1, 2, 9) has mean
 * (1 + 4 * 2 + 9) / 6 = 3 (Malcolm et al. 1959), which replaces c's bad
 * cost of 4. */
static void test_builder__distribution_cells_use_their_mean(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, true);
  parley_dist tri = {PARLEY_DIST_TRIANGULAR, 7, 8, 9, NULL, NULL, 0};
  parley_dist pert = {PARLEY_DIST_PERT, 1, 2, 9, NULL, NULL, 0};
  assert_ok(e, parley_model_set_outcome_dist(m, "a", "good", "gain", &tri));
  assert_ok(e, parley_model_set_outcome_dist(m, "c", "bad", "cost", &pert));
  assert_true(parley_model_outcome(m, A, GOOD, GAIN) == 8);
  assert_true(parley_model_outcome(m, C, BAD, COST) == 3);
  double mean;
  assert_int_equal(parley_dist_mean(&pert, &mean), PARLEY_OK);
  assert_true(mean == 3);
  parley_dist bad = {PARLEY_DIST_TRIANGULAR, 9, 8, 7, NULL, NULL, 0};
  assert_int_equal(parley_dist_mean(&bad, &mean), PARLEY_EINVALID);
  assert_int_equal(parley_model_set_outcome_dist(m, "a", "good", "gain", &bad), PARLEY_EINVALID);
  assert_contains(parley_engine_errmsg(e), "a/good/gain");
  /* c's bad utility: gain 0 -> 0; cost 3 -> (6 - 3) / 4 = 0.75; u =
   * 0.375, so c = 0.21875 + 0.75 * 0.375 = 0.5. */
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, NULL, &r));
  assert_true(parley_result_utility(r, C, BAD) == 0.375);
  assert_true(parley_result_score(r, C) == 0.5);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* ---- errors ------------------------------------------------------------ */
static void test_builder__rejects_duplicate_id(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, false);
  assert_int_equal(parley_model_add_strategy(m, "b", "again"), PARLEY_EINVALID);
  assert_int_equal(parley_engine_errcode(e), PARLEY_EINVALID);
  assert_contains(parley_engine_errmsg(e), "duplicate");
  assert_contains(parley_engine_errmsg(e), "'b'");
  assert_int_equal(parley_model_add_criterion(m, "gain", NULL, PARLEY_MAX, 1), PARLEY_EINVALID);
  assert_int_equal(parley_model_add_scenario(m, "good", NULL, 0.25), PARLEY_EINVALID);
  /* The failed calls left the lists as they were. */
  assert_int_equal(parley_model_count(m, PARLEY_STRATEGIES), 3);
  assert_int_equal(parley_model_count(m, PARLEY_CRITERIA), 2);
  /* The next successful call clears the message. */
  assert_ok(e, parley_model_add_strategy(m, "d", NULL));
  assert_string_equal(parley_engine_errmsg(e), "");
  assert_int_equal(parley_engine_errcode(e), PARLEY_OK);
  parley_model_free(m);
  parley_engine_free(e);
}

static void test_builder__rejects_unknown_id(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, false);
  assert_int_equal(parley_model_set_outcome(m, "zz", "good", "gain", 1), PARLEY_ENOTFOUND);
  assert_contains(parley_engine_errmsg(e), "'zz'");
  assert_int_equal(parley_model_set_outcome(m, "a", "rainy", "gain", 1), PARLEY_ENOTFOUND);
  assert_contains(parley_engine_errmsg(e), "'rainy'");
  assert_int_equal(parley_model_set_outcome(m, "a", "good", "speed", 1), PARLEY_ENOTFOUND);
  assert_contains(parley_engine_errmsg(e), "'speed'");
  assert_int_equal(parley_model_set_scale(m, "speed", 0, 1), PARLEY_ENOTFOUND);
  assert_int_equal(parley_model_set_actor_weight(m, "nobody", "gain", 1), PARLEY_ENOTFOUND);
  assert_contains(parley_engine_errmsg(e), "'nobody'");
  parley_model_free(m);
  parley_engine_free(e);
}

static void test_builder__adding_after_an_outcome_is_usage_error(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, false);
  assert_ok(e, parley_model_set_outcome(m, "a", "good", "gain", 8));
  assert_int_equal(parley_model_add_strategy(m, "late", NULL), PARLEY_EUSAGE);
  assert_contains(parley_engine_errmsg(e), "late");
  assert_int_equal(parley_model_add_criterion(m, "late", NULL, PARLEY_MAX, 1), PARLEY_EUSAGE);
  assert_int_equal(parley_model_add_scenario(m, "late", NULL, 0), PARLEY_EUSAGE);
  assert_int_equal(parley_model_add_actor(m, "late", NULL, 1), PARLEY_EUSAGE);
  assert_int_equal(parley_model_count(m, PARLEY_STRATEGIES), 3);
  parley_model_free(m);
  parley_engine_free(e);
}

static void test_run__missing_cell_names_its_ids(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, false);
  for (int s = 0; s < 3; s++)
    for (int c = 0; c < 2; c++)
      for (int k = 0; k < 2; k++)
        if (!(s == C && k == BAD && c == COST))
          assert_ok(e, parley_model_set_outcome(m, strategy_ids[s], scenario_ids[k],
                                                criterion_ids[c], hand_values[s][c][k]));
  parley_result *r = (parley_result *)&r; /* must be reset to NULL */
  assert_int_equal(parley_run(e, m, NULL, &r), PARLEY_EINVALID);
  assert_null(r);
  assert_int_equal(parley_engine_errcode(e), PARLEY_EINVALID);
  assert_contains(parley_engine_errmsg(e), "'c'");
  assert_contains(parley_engine_errmsg(e), "'bad'");
  assert_contains(parley_engine_errmsg(e), "'cost'");
  assert_int_equal(parley_model_check(m), PARLEY_EINVALID);
  /* Setting the cell makes the model whole. */
  assert_ok(e, parley_model_set_outcome(m, "c", "bad", "cost", 4));
  assert_ok(e, parley_run(e, m, NULL, &r));
  assert_true(parley_result_score(r, C) == 0.40625);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

static void test_run__probabilities_must_sum_to_one(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = NULL;
  assert_ok(e, parley_model_new(e, &m, "off"));
  assert_ok(e, parley_model_add_criterion(m, "gain", NULL, PARLEY_MAX, 1));
  assert_ok(e, parley_model_add_strategy(m, "a", NULL));
  assert_ok(e, parley_model_add_strategy(m, "b", NULL));
  assert_ok(e, parley_model_add_scenario(m, "good", NULL, 0.5));
  assert_ok(e, parley_model_add_scenario(m, "bad", NULL, 0.25));
  const double v[2][2] = {{1, 2}, {3, 0}};
  for (int s = 0; s < 2; s++)
    for (int k = 0; k < 2; k++)
      assert_ok(e, parley_model_set_outcome(m, strategy_ids[s], scenario_ids[k], "gain", v[s][k]));
  parley_result *r = NULL;
  assert_int_equal(parley_run(e, m, NULL, &r), PARLEY_EINVALID);
  assert_null(r);
  assert_contains(parley_engine_errmsg(e), "probabilit");
  assert_contains(parley_engine_errmsg(e), "0.75");
  parley_model_free(m);
  /* A probability outside [0, 1] is refused when it is added. */
  assert_ok(e, parley_model_new(e, &m, "off"));
  assert_int_equal(parley_model_add_scenario(m, "x", NULL, 1.5), PARLEY_EINVALID);
  assert_int_equal(parley_model_add_scenario(m, "x", NULL, -0.1), PARLEY_EINVALID);
  parley_model_free(m);
  parley_engine_free(e);
}

static void test_run__unknown_rule_lists_the_known_ones(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, true);
  parley_result *r = NULL;
  assert_int_equal(run_rule(e, m, "nope", &r), PARLEY_ENOTFOUND);
  assert_null(r);
  const char *msg = parley_engine_errmsg(e);
  assert_contains(msg, "'nope'");
  assert_contains(msg, "expected");
  assert_contains(msg, "maximin");
  assert_contains(msg, "hurwicz");
  assert_contains(msg, "minimax-regret");
  /* An unknown aggregation likewise names the known aggregations. */
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[PARLEY_STAGE_AGGREGATION] = "magic";
  assert_int_equal(parley_run(e, m, &o, &r), PARLEY_ENOTFOUND);
  assert_contains(parley_engine_errmsg(e), "topsis");
  /* A model whose own pipeline names an unknown stage fails the same way. */
  assert_ok(e, parley_model_set_stage(m, PARLEY_STAGE_RULE, "nope"));
  assert_int_equal(parley_run(e, m, NULL, &r), PARLEY_ENOTFOUND);
  assert_contains(parley_engine_errmsg(e), "'nope'");
  parley_model_free(m);
  parley_engine_free(e);
}

static void test_run__bad_stage_parameters(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, true);
  parley_result *r = NULL;
  /* alpha is a weight in [0, 1]. */
  assert_int_equal(run_rule(e, m, "hurwicz:alpha=2", &r), PARLEY_EINVALID);
  assert_contains(parley_engine_errmsg(e), "alpha");
  assert_int_equal(run_rule(e, m, "hurwicz:alpha=-0.1", &r), PARLEY_EINVALID);
  assert_int_equal(run_rule(e, m, "hurwicz:alpha=high", &r), PARLEY_EINVALID);
  /* hurwicz has no parameter beta; the message says which it has. */
  assert_int_equal(run_rule(e, m, "hurwicz:beta=1", &r), PARLEY_ENOTFOUND);
  assert_contains(parley_engine_errmsg(e), "beta");
  assert_contains(parley_engine_errmsg(e), "alpha");
  /* expected takes no parameters. */
  assert_int_equal(run_rule(e, m, "expected:alpha=1", &r), PARLEY_ENOTFOUND);
  /* Malformed specs are bad usage. */
  assert_int_equal(run_rule(e, m, "hurwicz:alpha", &r), PARLEY_EUSAGE);
  assert_int_equal(run_rule(e, m, "", &r), PARLEY_EUSAGE);
  assert_null(r);
  /* The model is untouched by the failed runs. */
  assert_ok(e, run_rule(e, m, "hurwicz:alpha=1", &r));
  /* alpha = 1 is maximax: a 1, b 0.75, c 0.875. */
  assert_place(r, 0, A, 1, 1);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

static void test_run__expected_needs_probabilities(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = NULL;
  assert_ok(e, parley_model_new(e, &m, "no p"));
  assert_ok(e, parley_model_add_criterion(m, "gain", NULL, PARLEY_MAX, 1));
  assert_ok(e, parley_model_add_strategy(m, "a", NULL));
  assert_ok(e, parley_model_add_strategy(m, "b", NULL));
  assert_ok(e, parley_model_add_scenario(m, "good", NULL, NAN));
  assert_ok(e, parley_model_add_scenario(m, "bad", NULL, NAN));
  /* a: (4, 0), b: (1, 2) */
  const double v[2][2] = {{4, 0}, {1, 2}};
  for (int s = 0; s < 2; s++)
    for (int k = 0; k < 2; k++)
      assert_ok(e, parley_model_set_outcome(m, strategy_ids[s], scenario_ids[k], "gain", v[s][k]));
  parley_result *r = NULL;
  assert_int_equal(run_rule(e, m, "expected", &r), PARLEY_EINVALID);
  assert_null(r);
  assert_contains(parley_engine_errmsg(e), "expected");
  assert_contains(parley_engine_errmsg(e), "probabilit");
  /* Without probabilities the default rule is laplace: minmax over [0, 4]
   * gives a (1, 0), b (0.25, 0.5); means a 0.5, b 0.375. */
  assert_ok(e, parley_run(e, m, NULL, &r));
  assert_string_equal(parley_result_stage(r, PARLEY_STAGE_RULE), "laplace");
  assert_place(r, 0, A, 0.5, 1);
  assert_place(r, 1, B, 0.375, 2);
  assert_int_equal(parley_result_evpi(r, NULL, NULL, NULL), PARLEY_ENOTFOUND);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

static void test_api__null_handles_are_usage_errors(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_result *r = NULL;
  assert_int_equal(parley_engine_new(NULL, NULL), PARLEY_EUSAGE);
  assert_int_equal(parley_run(e, NULL, NULL, &r), PARLEY_EUSAGE);
  assert_int_equal(parley_model_add_strategy(NULL, "a", NULL), PARLEY_EUSAGE);
  assert_int_equal(parley_result_ranking(NULL, 0, NULL, NULL, NULL), PARLEY_EUSAGE);
  /* A model made by another engine is refused. */
  parley_engine *other = new_engine();
  parley_model *m = hand_model(other, true);
  assert_int_equal(parley_run(e, m, NULL, &r), PARLEY_EUSAGE);
  assert_null(r);
  /* Freeing NULL is harmless. */
  parley_result_free(NULL);
  parley_model_free(NULL);
  parley_engine_free(NULL);
  parley_free(e, NULL);
  parley_model_free(m);
  parley_engine_free(other);
  parley_engine_free(e);
}

/* ---- version ---------------------------------------------------------- */
static void test_version__macro_equals_runtime(void **state) {
  (void)state;
  assert_string_equal(PARLEY_VERSION, parley_version());
  assert_int_equal(PARLEY_VERSION_NUMBER, parley_version_number());
  assert_int_equal(PARLEY_VERSION_NUMBER, PARLEY_VERSION_MAJOR * 1000000 +
                                              PARLEY_VERSION_MINOR * 1000 + PARLEY_VERSION_PATCH);
  char text[32];
  snprintf(text, sizeof text, "%d.%d.%d", PARLEY_VERSION_MAJOR, PARLEY_VERSION_MINOR,
           PARLEY_VERSION_PATCH);
  assert_string_equal(text, parley_version());
  assert_string_equal(parley_code_name(PARLEY_OK), "ok");
  assert_true(parley_is_input_error(PARLEY_EINVALID));
  assert_false(parley_is_input_error(PARLEY_ENOMEM));
  assert_false(parley_is_input_error(PARLEY_ERROR));
}

/* ---- lifetime ------------------------------------------------------------ */
static void test_result__keeps_its_model_alive(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, true);
  parley_result *r1 = NULL, *r2 = NULL;
  assert_ok(e, parley_run(e, m, NULL, &r1));
  assert_ok(e, run_rule(e, m, "maximin", &r2));
  parley_model_free(m); /* the caller's reference; both results still hold one */
  const parley_model *held = parley_result_model(r1);
  assert_ptr_equal(held, parley_result_model(r2));
  assert_string_equal(parley_model_name(held), "hand");
  assert_string_equal(parley_model_id(held, PARLEY_STRATEGIES, B), "b");
  assert_true(parley_model_outcome(held, A, GOOD, GAIN) == 8);
  parley_result_free(r1);
  /* r2 still holds the model. */
  assert_string_equal(parley_model_id(parley_result_model(r2), PARLEY_SCENARIOS, BAD), "bad");
  /* The report is titled with the held model's name, underlined ("b"
   * alone would match almost any text). */
  report_has(e, r2, "hand\n====");
  parley_result_free(r2);
  parley_engine_free(e);
}

/* ---- formats ------------------------------------------------------------- */
static void test_result__json_document_carries_the_ranking(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = hand_model(e, true);
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, NULL, &r));
  char *json = NULL;
  size_t len = 0;
  assert_ok(e, parley_result_format(e, r, "json", &json, &len));
  assert_int_equal(len, strlen(json));
  cJSON *doc = cJSON_ParseWithLength(json, len);
  assert_non_null(doc);
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(doc, "parley");
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(p, "version")->valuestring, PARLEY_VERSION);
  assert_int_equal(cJSON_GetObjectItemCaseSensitive(p, "result_format")->valueint, 1);
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(doc, "order")->valuestring, "descending");
  const cJSON *ranking = cJSON_GetObjectItemCaseSensitive(doc, "ranking");
  assert_int_equal(cJSON_GetArraySize(ranking), 3);
  const char *order[3] = {"b", "c", "a"};
  const double score[3] = {0.6875, 0.40625, 0.34375};
  for (int i = 0; i < 3; i++) {
    const cJSON *place = cJSON_GetArrayItem(ranking, i);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(place, "strategy")->valuestring,
                        order[i]);
    assert_true(cJSON_GetObjectItemCaseSensitive(place, "score")->valuedouble == score[i]);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(place, "rank")->valueint, i + 1);
  }
  const cJSON *w = cJSON_GetObjectItemCaseSensitive(doc, "weights");
  assert_true(cJSON_GetObjectItemCaseSensitive(w, "gain")->valuedouble == 0.5);
  cJSON_Delete(doc);
  parley_free(e, json);

  char *text = NULL;
  assert_int_equal(parley_result_format(e, r, "yaml", &text, NULL), PARLEY_ENOTFOUND);
  assert_null(text);
  assert_contains(parley_engine_errmsg(e), "yaml");
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* ---- allocation failure injection (failing_alloc, fixture.h) -------------- */
/* The hand model as a model file, with actors and the distributions whose
 * means are the table's values (triangular (7, 8, 9) -> 8, discrete {2, 6}
 * with p {0.5, 0.5} -> 4), so the loader's every kind of allocation is
 * reached. */
static const char hand_json[] =
  "{\"parley\": 1, \"name\": \"hand\",\n"
  " \"criteria\": [{\"id\": \"gain\", \"direction\": \"max\", \"weight\": 1},\n"
  "              {\"id\": \"cost\", \"direction\": \"min\", \"weight\": 1}],\n"
  " \"strategies\": [{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}],\n"
  " \"scenarios\": [{\"id\": \"good\", \"probability\": 0.25},\n"
  "               {\"id\": \"bad\", \"probability\": 0.75}],\n"
  " \"actors\": [{\"id\": \"gainer\", \"weights\": {\"gain\": 1, \"cost\": 0}},\n"
  "            {\"id\": \"saver\", \"weights\": {\"gain\": 0, \"cost\": 1}, \"influence\": 1}],\n"
  " \"outcomes\": {\n"
  "  \"a\": {\"good\": {\"gain\": {\"dist\": \"triangular\", \"min\": 7, \"mode\": 8, \"max\": 9},"
  " \"cost\": 2}, \"bad\": {\"gain\": 2, \"cost\": 6}},\n"
  "  \"b\": {\"good\": {\"gain\": 4, \"cost\": {\"dist\": \"discrete\", \"values\": [2, 6],"
  " \"p\": [0.5, 0.5]}}, \"bad\": {\"gain\": 4, \"cost\": 2}},\n"
  "  \"c\": {\"good\": {\"gain\": 6, \"cost\": 2}, \"bad\": {\"gain\": 0, \"cost\": 4}}},\n"
  " \"pipeline\": {\"weighting\": \"given\", \"normalization\": \"minmax\",\n"
  "              \"aggregation\": \"wsm\", \"rule\": {\"name\": \"hurwicz\", \"alpha\": 0.75}}\n"
  "}\n";

/* Parse, run, write JSON and text: the first failing step's code.  On
 * success *json is the document (the caller frees it); on failure it is
 * NULL, and each failed call must have handed nothing out. */
static int load_run_format(parley_engine *e, char **json) {
  parley_model *m = NULL;
  parley_result *r = NULL;
  char *doc = NULL, *text = NULL;
  const char *analyses[1] = {"evpi"};
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.analyses = analyses;
  o.n_analyses = 1;
  int rc = parley_model_parse(e, &m, hand_json, sizeof hand_json - 1, "hand.json", NULL);
  if (rc != PARLEY_OK) assert_null(m);
  if (rc == PARLEY_OK) {
    rc = parley_run(e, m, &o, &r);
    if (rc != PARLEY_OK) assert_null(r);
  }
  if (rc == PARLEY_OK) {
    rc = parley_result_format(e, r, "json", &doc, NULL);
    if (rc != PARLEY_OK) assert_null(doc);
  }
  if (rc == PARLEY_OK) {
    rc = parley_result_format(e, r, "text", &text, NULL);
    if (rc != PARLEY_OK) assert_null(text);
  }
  parley_free(e, text);
  parley_result_free(r);
  parley_model_free(m);
  if (rc != PARLEY_OK) {
    parley_free(e, doc);
    doc = NULL;
  }
  *json = doc;
  return rc;
}

static void test_alloc__every_failure_is_enomem_and_the_engine_recovers(void **state) {
  (void)state;
  /* The reference document, from an allocator that never fails. */
  failing f0 = {0};
  parley_engine *e = NULL;
  assert_int_equal(failing_engine_new(&e, &f0), PARLEY_OK);
  char *reference = NULL;
  assert_int_equal(load_run_format(e, &reference), PARLEY_OK);
  /* hurwicz 0.75 over the hand model (see the rule test): a 0.78125 first. */
  cJSON *doc = cJSON_Parse(reference);
  assert_non_null(doc);
  const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "ranking"), 0);
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(first, "strategy")->valuestring, "a");
  assert_true(cJSON_GetObjectItemCaseSensitive(first, "score")->valuedouble == 0.78125);
  cJSON_Delete(doc);
  size_t total_calls = f0.calls;
  parley_free(e, reference);
  parley_engine_free(e);
  assert_int_equal(f0.live, 0);
  assert_true(total_calls > 10);

  size_t n;
  for (n = 1;; n++) {
    failing f = {.fail_at = n};
    int rc = failing_engine_new(&e, &f);
    if (rc != PARLEY_OK) {
      assert_int_equal(rc, PARLEY_ENOMEM);
      assert_null(e);
      assert_int_equal(f.live, 0);
      continue;
    }
    char *json = NULL;
    rc = load_run_format(e, &json);
    if (f.failed == 0) {
      /* Every allocation was served: the whole pass succeeded. */
      assert_int_equal(rc, PARLEY_OK);
      parley_free(e, json);
      parley_engine_free(e);
      assert_int_equal(f.live, 0);
      break;
    }
    if (rc != PARLEY_ENOMEM)
      fail_msg("allocation %zu failed but the call returned %d (%s): %s", n, rc,
               parley_code_name(rc), parley_engine_errmsg(e));
    assert_int_equal(parley_engine_errcode(e), PARLEY_ENOMEM);
    assert_null(json);
    /* The engine stays usable: with the allocator healthy again the same
     * pass succeeds and writes the same document. */
    f.fail_at = 0;
    rc = load_run_format(e, &json);
    if (rc != PARLEY_OK)
      fail_msg("after failing allocation %zu the engine is unusable: %s", n,
               parley_engine_errmsg(e));
    assert_non_null(json);
    parley_free(e, json);
    parley_engine_free(e);
    if (f.live != 0) fail_msg("failing allocation %zu leaked %ld block(s)", n, f.live);
    assert_true(n <= total_calls + 1);
  }
  /* Each allocation of the full pass was failed once. */
  assert_int_equal(n, total_calls + 1);
}

/* The same for a model built in code: every builder call may fail. */
static void test_alloc__builder_failures_are_enomem(void **state) {
  (void)state;
  for (size_t n = 1; n < 10000; n++) {
    failing f = {.fail_at = n};
    parley_engine *e = NULL;
    int rc = failing_engine_new(&e, &f);
    if (rc != PARLEY_OK) {
      assert_int_equal(rc, PARLEY_ENOMEM);
      assert_int_equal(f.live, 0);
      continue;
    }
    parley_model *m = NULL;
    parley_result *r = NULL;
    rc = parley_model_new(e, &m, "hand");
    if (rc == PARLEY_OK) rc = parley_model_add_criterion(m, "gain", NULL, PARLEY_MAX, 1);
    if (rc == PARLEY_OK) rc = parley_model_add_criterion(m, "cost", NULL, PARLEY_MIN, 1);
    for (int s = 0; s < 3 && rc == PARLEY_OK; s++)
      rc = parley_model_add_strategy(m, strategy_ids[s], NULL);
    if (rc == PARLEY_OK) rc = parley_model_add_scenario(m, "good", NULL, 0.25);
    if (rc == PARLEY_OK) rc = parley_model_add_scenario(m, "bad", NULL, 0.75);
    if (rc == PARLEY_OK) rc = parley_model_add_actor(m, "gainer", NULL, 1);
    if (rc == PARLEY_OK) rc = parley_model_set_actor_weight(m, "gainer", "gain", 1);
    if (rc == PARLEY_OK) rc = parley_model_set_actor_weight(m, "gainer", "cost", 1);
    if (rc == PARLEY_OK) rc = parley_model_set_stage(m, PARLEY_STAGE_RULE, "hurwicz:alpha=0.5");
    for (int s = 0; s < 3 && rc == PARLEY_OK; s++)
      for (int c = 0; c < 2 && rc == PARLEY_OK; c++)
        for (int k = 0; k < 2 && rc == PARLEY_OK; k++)
          rc = parley_model_set_outcome(m, strategy_ids[s], scenario_ids[k], criterion_ids[c],
                                        hand_values[s][c][k]);
    if (rc == PARLEY_OK) rc = parley_run(e, m, NULL, &r);
    if (rc == PARLEY_OK) assert_true(parley_result_score(r, B) == 0.625);
    parley_result_free(r);
    parley_model_free(m);
    parley_engine_free(e);
    if (f.live != 0) fail_msg("failing allocation %zu leaked %ld block(s)", n, f.live);
    if (f.failed == 0) {
      assert_int_equal(rc, PARLEY_OK);
      return;
    }
    if (rc != PARLEY_ENOMEM)
      fail_msg("allocation %zu failed but the builder returned %d", n, rc);
  }
  fail_msg("the builder never completed");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_builder__hand_model_scores_and_ranking),
    cmocka_unit_test(test_builder__defaults_are_given_minmax_wsm_expected),
    cmocka_unit_test(test_builder__rule_overrides_change_the_ranking),
    cmocka_unit_test(test_builder__model_pipeline_is_used_without_overrides),
    cmocka_unit_test(test_builder__actors_rank_by_their_own_weights),
    cmocka_unit_test(test_builder__distribution_cells_use_their_mean),
    cmocka_unit_test(test_builder__rejects_duplicate_id),
    cmocka_unit_test(test_builder__rejects_unknown_id),
    cmocka_unit_test(test_builder__adding_after_an_outcome_is_usage_error),
    cmocka_unit_test(test_run__missing_cell_names_its_ids),
    cmocka_unit_test(test_run__probabilities_must_sum_to_one),
    cmocka_unit_test(test_run__unknown_rule_lists_the_known_ones),
    cmocka_unit_test(test_run__bad_stage_parameters),
    cmocka_unit_test(test_run__expected_needs_probabilities),
    cmocka_unit_test(test_api__null_handles_are_usage_errors),
    cmocka_unit_test(test_version__macro_equals_runtime),
    cmocka_unit_test(test_result__keeps_its_model_alive),
    cmocka_unit_test(test_result__json_document_carries_the_ranking),
    cmocka_unit_test(test_alloc__every_failure_is_enomem_and_the_engine_recovers),
    cmocka_unit_test(test_alloc__builder_failures_are_enomem),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
