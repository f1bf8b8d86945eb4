/*
 * test_rank_reversal.c — the analysis "rank-reversal" (core/rank_reversal.c):
 * the three test criteria of Wang & Triantaphyllou (2008) on published
 * examples of the AHP's additive aggregation (wsm with the normalization
 * "sum" is the AHP's last step on consistent comparisons), on a
 * hand-computed intransitive example, on methods that cannot fail by
 * construction (WPM; SPOTIS with fixed scales), and the mechanics: how a
 * worse copy is made, the output fields, parameters, degenerate models and
 * allocation failures.  Test 1 on Triantaphyllou & Mann (1989)'s Example 2
 * is in test_properties.c.
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

/* ---- helpers (and fixture.h) ----------------------------------------------------- */
/* A one-scenario model: rows[s * nc + c], benefit criteria unless dir says
 * otherwise, weights w. */
static parley_model *model(parley_engine *e, size_t ns, size_t nc, const char *const *sid,
                           const char *const *cid, const int *dir, const double *w,
                           const double *rows) {
  parley_model *m;
  assert_ok(e, rows_model(e, &m, "test", ns, nc, sid, cid, dir, w, rows));
  return m;
}

static int run(parley_engine *e, parley_model *m, const char *norm, const char *agg,
               const char *rule, const char *analysis, parley_result **r) {
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[PARLEY_STAGE_NORMALIZATION] = norm;
  o.stage[PARLEY_STAGE_AGGREGATION] = agg;
  o.stage[PARLEY_STAGE_RULE] = rule;
  o.analyses = &analysis;
  o.n_analyses = 1;
  return parley_run(e, m, &o, r);
}

static parley_result *run_ok(parley_engine *e, parley_model *m, const char *norm,
                             const char *agg, const char *rule, const char *analysis) {
  parley_result *r = NULL;
  if (run(e, m, norm, agg, rule, analysis, &r) != PARLEY_OK)
    fail_msg("%s", parley_engine_errmsg(e));
  return r;
}

static cJSON *analysis(const parley_result *r) { return analysis_json(r, "rank-reversal"); }

static const cJSON *get(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!v) fail_msg("no key '%s'", key);
  return v;
}

static bool passed(const cJSON *x, const char *test) {
  const cJSON *v = get(get(x, test), "passed");
  assert_true(cJSON_IsBool(v));
  return cJSON_IsTrue(v);
}

static int num(const cJSON *o, const char *key) { return get(o, key)->valueint; }

static const char *str(const cJSON *o, const char *key) {
  const cJSON *v = get(o, key);
  assert_true(cJSON_IsString(v));
  return v->valuestring;
}

/* ---- Belton & Gear's example --------------------------------------------------------
 * Belton & Gear (1983), as tabulated by Wang & Elhag (2006), Tables 1 and
 * 2: three criteria of equal importance; consistent comparisons of the
 * actual values A = (1, 9, 8), B = (9, 1, 9), C = (1, 1, 1) and D, a copy of
 * B; the AHP's composite weights of A, B, C, D are 0.3654, 0.2889, 0.0568,
 * 0.2889: A first, B and D tied second. */
static const char *const bg_s[] = {"A", "B", "C", "D"};
static const char *const bg_c[] = {"a", "b", "c"};
static const double bg_w[] = {1, 1, 1};
static const double bg_rows[] = {1, 9, 8, 9, 1, 9, 1, 1, 1, 9, 1, 9};

/* Test 3 fails: the sub-problem {A, B} has column sums 10, 10, 17, so
 * A = (0.1 + 0.9 + 8/17) / 3 = 0.4902 and B = (0.9 + 0.1 + 9/17) / 3 =
 * 0.5098: B wins, and so does D against A.  A beats C, B and D beat C, B
 * and D tie.  Net wins: B 2, D 2, A -1, C -3, so the sub-problems combined
 * rank B = D first, A third, C fourth, against A, B = D, C.  The relation is
 * transitive (test 2 passes).  Kendall's tau-b of the two rankings, by
 * hand: of the 6 pairs, (A,C), (B,C), (C,D) concordant, (A,B), (A,D)
 * discordant, (B,D) tied in both: (3 - 2) / sqrt((6 - 1)(6 - 1)) = 0.2. */
static void test_rank_reversal__belton_gear_fails_test3(void **state) {
  (void)state;
  parley_engine *e;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = model(e, 4, 3, bg_s, bg_c, NULL, bg_w, bg_rows);
  parley_result *r = run_ok(e, m, "sum", "wsm", NULL, "rank-reversal");
  const double published[] = {0.3654, 0.2889, 0.0568, 0.2889};
  for (size_t s = 0; s < 4; s++) assert_near(parley_result_score(r, s), published[s], 0.00005);
  cJSON *x = analysis(r);
  assert_false(cJSON_IsTrue(get(x, "passed")));
  /* The default copies (0.1 of each range worse) do not move the best. */
  assert_true(passed(x, "test1"));
  assert_true(passed(x, "test2"));
  const cJSON *t2 = get(x, "test2");
  assert_int_equal(num(t2, "pairs"), 6);
  assert_int_equal(num(t2, "ties"), 1);
  assert_int_equal(num(t2, "inconsistent_pairs"), 0);
  assert_false(passed(x, "test3"));
  const cJSON *t3 = get(x, "test3");
  assert_near(get(t3, "kendall")->valuedouble, 0.2, 1e-12);
  const cJSON *ranking = get(t3, "ranking");
  const char *ids[] = {"B", "D", "A", "C"};
  const int ranks[] = {1, 1, 3, 4}, nets[] = {2, 2, -1, -3};
  for (int i = 0; i < 4; i++) {
    const cJSON *p = cJSON_GetArrayItem(ranking, i);
    assert_string_equal(str(p, "strategy"), ids[i]);
    assert_int_equal(num(p, "rank"), ranks[i]);
    assert_int_equal(num(p, "net_wins"), nets[i]);
  }
  /* The strategies whose places differ, in the run's order: A 1 -> 3,
   * B 2 -> 1, D 2 -> 1 (C is fourth in both). */
  const cJSON *cases = get(t3, "cases");
  assert_int_equal(cJSON_GetArraySize(cases), 3);
  assert_string_equal(str(cJSON_GetArrayItem(cases, 0), "strategy"), "A");
  assert_int_equal(num(cJSON_GetArrayItem(cases, 0), "combined_rank"), 3);
  cJSON_Delete(x);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* Test 1 fails once the copy is worse enough.  With delta = 1 (a whole
 * range: every range here is [1, 9], so 8), D made worse on criterion a
 * alone is (1, 1, 9).  Column sums 12, 12, 27:
 *   A = (1/12 + 9/12 + 8/27) / 3 = 0.37654,
 *   B = (9/12 + 1/12 + 9/27) / 3 = 0.38889: B first, where A was.
 * The same for B's copy (D then first).  Made worse on every criterion, D
 * is (1, 0.5, 1): b's 1 - 8 stops at half the smallest value, 0.5; sums
 * 12, 11.5, 19: A = (1/12 + 9/11.5 + 8/19) / 3 = 0.42900, B = (9/12 +
 * 1/11.5 + 9/19) / 3 = 0.43688: B first again.  On b alone, D = (9, 0.5,
 * 9), sums 20, 11.5, 27: A = (1/20 + 9/11.5 + 8/27) / 3 = 0.37630, B =
 * (9/20 + 1/11.5 + 9/27) / 3 = 0.29010; on c alone, D = (9, 1, 1), sums 20,
 * 12, 19: A = (0.05 + 0.75 + 8/19) / 3 = 0.40702, B = (0.45 + 1/12 + 9/19)
 * / 3 = 0.33567: A stays first.  C's copies: (0.5, 0.5, 0.5), sums 19.5,
 * 11.5, 26.5: A 0.37859, B 0.29604; (0.5, 1, 1): A 0.36586, B 0.29274;
 * (1, 0.5, 1): A 0.37630, B 0.29010; (1, 1, 0.5): A 0.36730, B 0.29099:
 * A stays first.  So 4 of the
 * 12 cases fail: B and D, each on every criterion and on a alone. */
static void test_rank_reversal__belton_gear_fails_test1_with_delta_1(void **state) {
  (void)state;
  parley_engine *e;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = model(e, 4, 3, bg_s, bg_c, NULL, bg_w, bg_rows);
  parley_result *r = run_ok(e, m, "sum", "wsm", NULL, "rank-reversal:delta=1");
  cJSON *x = analysis(r);
  const cJSON *t1 = get(x, "test1");
  assert_false(passed(x, "test1"));
  assert_int_equal(num(t1, "cases_run"), 12);
  assert_int_equal(num(t1, "failed"), 4);
  assert_int_equal(num(t1, "skipped"), 0);
  /* Failing cases first, in the run's order (B before D), each strategy's
   * copy on every criterion before each criterion alone. */
  const cJSON *cases = get(t1, "cases");
  assert_int_equal(cJSON_GetArraySize(cases), 12);
  const char *rep[] = {"B", "B", "D", "D"}, *on[] = {"all", "a", "all", "a"},
             *best[] = {"D", "D", "B", "B"};
  for (int i = 0; i < 4; i++) {
    const cJSON *k = cJSON_GetArrayItem(cases, i);
    assert_string_equal(str(k, "replaced"), rep[i]);
    assert_string_equal(str(k, "worse_on"), on[i]);
    assert_false(cJSON_IsTrue(get(k, "passed")));
    assert_int_equal(num(k, "rank"), 2);
    const cJSON *b = get(k, "best_after");
    assert_int_equal(cJSON_GetArraySize(b), 1);
    assert_string_equal(cJSON_GetArrayItem(b, 0)->valuestring, best[i]);
  }
  for (int i = 4; i < 12; i++) assert_true(cJSON_IsTrue(get(cJSON_GetArrayItem(cases, i),
                                                             "passed")));
  const cJSON *b = get(x, "best");
  assert_int_equal(cJSON_GetArraySize(b), 1);
  assert_string_equal(cJSON_GetArrayItem(b, 0)->valuestring, "A");
  const char *text = parley_result_analysis_text(r, "rank-reversal");
  assert_contains(text, "FAILED in 4 of 12 cases");
  assert_contains(text, "D made worse on a: first A -> B");
  cJSON_Delete(x);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* ---- an intransitive decomposition ---------------------------------------------------
 * Three benefit criteria of equal weight, the AHP's additive aggregation
 * (wsm, "sum"):  A = (5, 9, 1), B = (1, 4, 9), C = (8, 1, 5).  In a
 * sub-problem of two, the difference of the two scores is
 *   (1/3) sum_c (x_c - y_c) / (x_c + y_c):
 *   A - B = (4/6 + 5/13 - 8/10) / 3 = 0.08376 > 0,
 *   B - C = (-7/9 + 3/5 + 4/14) / 3 = 0.03598 > 0,
 *   C - A = (3/13 - 8/10 + 4/6) / 3 = 0.03248 > 0:
 * A beats B, B beats C and C beats A.  Test 2 fails on that triple; every
 * net is 0, so the combination ties all three, while the whole problem
 * (sums 14, 14, 15) ranks A (0.35556), C (0.32540), B (0.31905): test 3
 * fails, and Kendall's tau-b is 0 (one ranking is all ties).  The WPM
 * compares two strategies by the product of their ratios, which no third
 * strategy enters: its sub-problems agree with the whole (45 > 40 > 36 for
 * the products A, C, B), and it passes. */
static const char *const cy_s[] = {"A", "B", "C"};
static const char *const cy_c[] = {"c1", "c2", "c3"};
static const double cy_rows[] = {5, 9, 1, 1, 4, 9, 8, 1, 5};

static void test_rank_reversal__intransitive_pairs_fail_test2(void **state) {
  (void)state;
  parley_engine *e;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = model(e, 3, 3, cy_s, cy_c, NULL, bg_w, cy_rows);
  parley_result *r = run_ok(e, m, "sum", "wsm", NULL, "rank-reversal");
  const double whole[] = {0.35556, 0.31905, 0.32540};
  for (size_t s = 0; s < 3; s++) assert_near(parley_result_score(r, s), whole[s], 0.00001);
  cJSON *x = analysis(r);
  assert_false(passed(x, "test2"));
  const cJSON *t2 = get(x, "test2");
  assert_int_equal(num(t2, "pairs"), 3);
  assert_int_equal(num(t2, "inconsistent_pairs"), 3);
  const cJSON *cases = get(t2, "cases");
  assert_int_equal(cJSON_GetArraySize(cases), 1);
  const cJSON *rel = get(cJSON_GetArrayItem(cases, 0), "relations");
  /* The triple starts where the search found it; any rotation of the
   * cycle is the same finding. */
  char joined[64] = "";
  for (int i = 0; i < 3; i++) {
    strcat(joined, cJSON_GetArrayItem(rel, i)->valuestring);
    strcat(joined, ";");
  }
  assert_true(strcmp(joined, "A > B;B > C;C > A;") == 0 ||
              strcmp(joined, "B > C;C > A;A > B;") == 0 ||
              strcmp(joined, "C > A;A > B;B > C;") == 0);
  assert_false(passed(x, "test3"));
  assert_near(get(get(x, "test3"), "kendall")->valuedouble, 0, 1e-12);
  const cJSON *ranking = get(get(x, "test3"), "ranking");
  for (int i = 0; i < 3; i++) assert_int_equal(num(cJSON_GetArrayItem(ranking, i), "rank"), 1);
  const char *text = parley_result_analysis_text(r, "rank-reversal");
  assert_contains(text, "Test 2, the two-strategy sub-problems are transitive: FAILED");
  cJSON_Delete(x);
  parley_result_free(r);

  r = run_ok(e, m, NULL, "wpm", NULL, "rank-reversal");
  x = analysis(r);
  assert_true(cJSON_IsTrue(get(x, "passed")));
  assert_true(passed(x, "test1") && passed(x, "test2") && passed(x, "test3"));
  assert_near(get(get(x, "test3"), "kendall")->valuedouble, 1, 1e-12);
  cJSON_Delete(x);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* ---- methods that cannot fail ---------------------------------------------------------
 * WPM (its pairwise ratio involves two strategies only; Triantaphyllou &
 * Mann 1989) and SPOTIS with a fixed scale on every criterion (a score
 * depends on the strategy's own values only; Dezert et al. 2020) pass all
 * three tests on any model; SPOTIS, a lower-is-better score, also checks
 * that the analysis ranks in the method's own direction.  Random models,
 * seeded: values in [1, 100], two scenarios under the maximin rule, which
 * reads each strategy's own utilities only. */
static uint64_t next64(uint64_t *st) {
  uint64_t z = (*st += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static void test_rank_reversal__wpm_and_fixed_scale_spotis_always_pass(void **state) {
  (void)state;
  parley_engine *e;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  uint64_t st = 2008;
  for (int trial = 0; trial < 40; trial++) {
    parley_model *m;
    assert_int_equal(parley_model_new(e, &m, "random"), PARLEY_OK);
    size_t ns = 3 + next64(&st) % 6, nc = 2 + next64(&st) % 3;
    char id[32];
    for (size_t c = 0; c < nc; c++) {
      snprintf(id, sizeof id, "c%zu", c);
      assert_int_equal(parley_model_add_criterion(m, id, NULL, c % 2 ? PARLEY_MIN : PARLEY_MAX,
                                                  1 + (double)(next64(&st) % 5)), PARLEY_OK);
      assert_int_equal(parley_model_set_scale(m, id, 0, 100), PARLEY_OK);
    }
    for (size_t s = 0; s < ns; s++) {
      snprintf(id, sizeof id, "s%zu", s);
      assert_int_equal(parley_model_add_strategy(m, id, NULL), PARLEY_OK);
    }
    assert_int_equal(parley_model_add_scenario(m, "k0", NULL, NAN), PARLEY_OK);
    assert_int_equal(parley_model_add_scenario(m, "k1", NULL, NAN), PARLEY_OK);
    for (size_t s = 0; s < ns; s++)
      for (size_t c = 0; c < nc; c++)
        for (int k = 0; k < 2; k++) {
          char sid[32], cid[32];
          snprintf(sid, sizeof sid, "s%zu", s);
          snprintf(cid, sizeof cid, "c%zu", c);
          double v = 1 + (double)(next64(&st) % 9901) / 100;
          assert_int_equal(parley_model_set_outcome(m, sid, k ? "k1" : "k0", cid, v),
                           PARLEY_OK);
        }
    const char *agg[] = {"wpm", "spotis"};
    for (int i = 0; i < 2; i++) {
      parley_result *r = run_ok(e, m, NULL, agg[i], "maximin", "rank-reversal:delta=0.3");
      cJSON *x = analysis(r);
      if (!cJSON_IsTrue(get(x, "passed")))
        fail_msg("%s, trial %d: %s", agg[i], trial, parley_result_analysis(r, "rank-reversal"));
      assert_int_equal(num(get(x, "test2"), "pairs"), (int)(ns * (ns - 1) / 2));
      cJSON_Delete(x);
      parley_result_free(r);
    }
    parley_model_free(m);
  }
  parley_engine_free(e);
}

/* ---- how the copies are made ----------------------------------------------------------- */
/* A copy cannot get worse past its criterion's scale: b sits at the bad end
 * of both criteria (0 on a benefit scaled [0, 10], 10 on a cost scaled
 * [0, 10]), so its three cases are skipped; c's copies move 0.1 of each
 * observed range (8 and 8): c = (4, 5) -> (3.2, 5.8), (3.2, 5), (4, 5.8). */
static void test_rank_reversal__no_room_at_the_end_of_a_scale(void **state) {
  (void)state;
  parley_engine *e;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  const char *sid[] = {"a", "b", "c"}, *cid[] = {"gain", "loss"};
  const int dir[] = {1, -1};
  const double w[] = {1, 1}, rows[] = {8, 2, 0, 10, 4, 5};
  parley_model *m = model(e, 3, 2, sid, cid, dir, w, rows);
  assert_int_equal(parley_model_set_scale(m, "gain", 0, 10), PARLEY_OK);
  assert_int_equal(parley_model_set_scale(m, "loss", 0, 10), PARLEY_OK);
  parley_result *r = run_ok(e, m, "minmax", "wsm", NULL, "rank-reversal");
  cJSON *x = analysis(r);
  const cJSON *t1 = get(x, "test1");
  /* c (second) gets 3 cases, b (third) none: all 3 skipped. */
  assert_int_equal(num(t1, "cases_run"), 3);
  assert_int_equal(num(t1, "skipped"), 3);
  assert_true(passed(x, "test1"));
  /* With a fixed scale, minmax does not move with the set: all pass. */
  assert_true(cJSON_IsTrue(get(x, "passed")));
  cJSON_Delete(x);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* each_criterion=0 runs one case per strategy not first; a model of one
 * strategy has no case and no pair, and passes; two identical strategies
 * tie in their sub-problem. */
static void test_rank_reversal__counts_of_cases_and_pairs(void **state) {
  (void)state;
  parley_engine *e;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = model(e, 4, 3, bg_s, bg_c, NULL, bg_w, bg_rows);
  parley_result *r = run_ok(e, m, "sum", "wsm", NULL, "rank-reversal:each_criterion=0");
  cJSON *x = analysis(r);
  assert_int_equal(num(get(x, "test1"), "cases_run"), 3);
  assert_false(cJSON_IsTrue(get(x, "each_criterion")));
  cJSON_Delete(x);
  parley_result_free(r);
  parley_model_free(m);

  const char *one[] = {"only"};
  m = model(e, 1, 3, one, bg_c, NULL, bg_w, bg_rows);
  r = run_ok(e, m, "sum", "wsm", NULL, "rank-reversal");
  x = analysis(r);
  assert_true(cJSON_IsTrue(get(x, "passed")));
  assert_int_equal(num(get(x, "test1"), "cases_run"), 0);
  assert_int_equal(num(get(x, "test2"), "pairs"), 0);
  assert_near(get(get(x, "test3"), "kendall")->valuedouble, 1, 0);
  cJSON_Delete(x);
  parley_result_free(r);
  parley_model_free(m);

  /* B and D of Belton & Gear are identical: of the 6 pairs 1 ties, and
   * everywhere else B and D fare alike (see test 3 above). */
  m = model(e, 4, 3, bg_s, bg_c, NULL, bg_w, bg_rows);
  r = run_ok(e, m, NULL, "topsis", NULL, "rank-reversal");
  x = analysis(r);
  assert_int_equal(num(get(x, "test2"), "ties"), 1);
  cJSON_Delete(x);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* ---- parameters and limits ------------------------------------------------------------ */
static void test_rank_reversal__rejects_bad_parameters(void **state) {
  (void)state;
  parley_engine *e;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = model(e, 4, 3, bg_s, bg_c, NULL, bg_w, bg_rows);
  const char *bad[] = {"rank-reversal:each_criterion=0.5", "rank-reversal:delta=0",
                       "rank-reversal:delta=2", "rank-reversal:amount=-1",
                       "rank-reversal:max_strategies=3", "rank-reversal:steps=3"};
  const char *says[] = {"each_criterion must be 0 or 1", "delta=0 is outside",
                        "delta=2 is outside", "amount=-1 is outside",
                        "the model has 4 strategies, more than max_strategies=3",
                        "has no parameter 'steps'"};
  for (int i = 0; i < 6; i++) {
    parley_result *r = NULL;
    assert_int_not_equal(run(e, m, NULL, NULL, NULL, bad[i], &r), PARLEY_OK);
    assert_null(r);
    if (!strstr(parley_engine_errmsg(e), says[i]))
      fail_msg("%s: \"%s\" lacks \"%s\"", bad[i], parley_engine_errmsg(e), says[i]);
  }
  parley_model_free(m);
  parley_engine_free(e);
}

/* ---- allocation failures --------------------------------------------------------------- */
/* One pass for every_allocation_failure (fixture.h). */
static int build_and_run(parley_engine *e, const void *ud) {
  (void)ud;
  parley_model *m = NULL;
  int rc = rows_model(e, &m, "alloc", 4, 3, bg_s, bg_c, NULL, bg_w, bg_rows);
  parley_result *r = NULL;
  /* VIKOR allocates and writes diagnostics at every evaluation. */
  if (rc == PARLEY_OK) rc = run(e, m, NULL, "vikor", NULL, "rank-reversal:delta=1", &r);
  return format_and_free(e, rc, r, m, "json");
}

static void test_rank_reversal__allocation_failures_are_enomem_and_leak_nothing(void **state) {
  (void)state;
  every_allocation_failure("rank-reversal", 200000, 0, build_and_run, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rank_reversal__belton_gear_fails_test3),
    cmocka_unit_test(test_rank_reversal__belton_gear_fails_test1_with_delta_1),
    cmocka_unit_test(test_rank_reversal__intransitive_pairs_fail_test2),
    cmocka_unit_test(test_rank_reversal__wpm_and_fixed_scale_spotis_always_pass),
    cmocka_unit_test(test_rank_reversal__no_room_at_the_end_of_a_scale),
    cmocka_unit_test(test_rank_reversal__counts_of_cases_and_pairs),
    cmocka_unit_test(test_rank_reversal__rejects_bad_parameters),
    cmocka_unit_test(test_rank_reversal__allocation_failures_are_enomem_and_leak_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
