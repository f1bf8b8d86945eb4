/*
 * test_vikor.c — the vikor aggregation (core/vikor.c), called directly with
 * a run context built by hand, against the numerical example of Opricovic &
 * Tzeng (2004), a second published example (Yang & Wu 2020), and hand
 * computations written out beside each expected number: the conditions of
 * acceptable advantage and stability, the compromise sets they lead to,
 * reference points taken over every scenario, and degenerate inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "methods.h"
#include "fixture.h"

/* ---- a hand-made run (fixture.h) -------------------------------------------- */
/* rows[(k * ns + s) * nc + c]: the decision matrix as printed, one row per
 * strategy, scenario blocks one after another.  Strategies are A1, A2, ...
 * as in the papers; dir NULL: every criterion a benefit. */
static fx *make(size_t ns, size_t nk, size_t nc, const int *dir, const double *w,
                const double *rows) {
  return fixture_new(&(fx_opts){.ns = ns, .nk = nk, .nc = nc, .dir = dir, .w = w, .rows = rows,
                                .stage = "vikor", .crit = 'f', .strat = 'A', .first = 1});
}

static void set_v(fx *f, double v) {
  assert_int_equal(parley__spec_add(f->e, &f->spec, "v", PARLEY__PNUM, v, NULL), PARLEY_OK);
}

static const cJSON *scenario(const cJSON *d, const char *id) {
  const cJSON *all = cJSON_GetObjectItemCaseSensitive(d, "scenarios");
  const cJSON *k = cJSON_GetObjectItemCaseSensitive(all, id);
  assert_non_null(k);
  return k;
}

static double num_at(const cJSON *o, const char *map, const char *key) {
  const cJSON *m = map ? cJSON_GetObjectItemCaseSensitive(o, map) : o;
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, key);
  if (!cJSON_IsNumber(v)) fail_msg("no number at %s.%s", map ? map : "", key);
  return v->valuedouble;
}

static bool flag(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!cJSON_IsBool(v)) fail_msg("no boolean '%s'", key);
  return cJSON_IsTrue(v);
}

/* The compromise set as "A2,A1" (in the order listed). */
static void assert_compromise(const cJSON *k, const char *want) {
  char got[256] = "";
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(k, "compromise"), *it;
  cJSON_ArrayForEach(it, a) {
    if (got[0]) strcat(got, ",");
    strcat(got, it->valuestring);
  }
  if (strcmp(got, want) != 0) fail_msg("compromise [%s], expected [%s]", got, want);
  size_t n = 1;
  for (const char *p = want; *p; p++) n += *p == ',';
  assert_int_equal((int)num_at(k, NULL, "compromise_size"), (int)n);
}

/* ==== the published examples ================================================ */
/* Opricovic & Tzeng (2004), EJOR 156: 445-455, the numerical example of
 * their comparison with TOPSIS: A1 (1, 3000), A2 (2, 3750), A3 (5, 4500),
 * f1 to be minimised and f2 maximised, weights 0.5 each, v = 0.5.  By hand:
 *   f1: best 1, worst 5; f2: best 4500, worst 3000
 *   A1: terms 0, 0.5 (1500/1500)/... -> S = 0.5,   R = 0.5
 *   A2: 0.5 * 1/4 = 0.125, 0.5 * 750/1500 = 0.25 -> S = 0.375, R = 0.25
 *   A3: 0.5 * 4/4 = 0.5, 0                       -> S = 0.5,   R = 0.5
 *   S* = 0.375, S- = 0.5, R* = 0.25, R- = 0.5, so Q = (1, 0, 1):
 * A2 is the compromise, with Q(A(2)) - Q(A(1)) = 1 >= DQ = 1/(3 - 1) and
 * A2 best by S and by R.  (The same Q = [1, 0, 1] is in pymcdm's tests,
 * Kizielewicz et al. 2023.) */
static const double ot_rows[] = {1, 3000, 2, 3750, 5, 4500};
static const int ot_dir[] = {-1, 1};
static const double ot_w[] = {0.5, 0.5};

static void test_vikor__matches_opricovic_tzeng_2004(void **state) {
  (void)state;
  fx *f = make(3, 1, 2, ot_dir, ot_w, ot_rows);
  assert_int_equal(parley__a_vikor(&f->ctx, f->u), PARLEY_OK);
  assert_near(f->u[0], 1, 1e-15);
  assert_near(f->u[1], 0, 1e-15);
  assert_near(f->u[2], 1, 1e-15);
  cJSON *d = diag(f);
  assert_near(num_at(d, NULL, "v"), 0.5, 0);
  assert_near(num_at(d, NULL, "dq"), 0.5, 1e-15);
  assert_near(num_at(d, NULL, "S_best"), 0.375, 1e-15);
  assert_near(num_at(d, NULL, "S_worst"), 0.5, 1e-15);
  assert_near(num_at(d, NULL, "R_best"), 0.25, 1e-15);
  assert_near(num_at(d, NULL, "R_worst"), 0.5, 1e-15);
  const cJSON *k = scenario(d, "k1");
  assert_near(num_at(k, "S", "A1"), 0.5, 1e-15);
  assert_near(num_at(k, "S", "A2"), 0.375, 1e-15);
  assert_near(num_at(k, "S", "A3"), 0.5, 1e-15);
  assert_near(num_at(k, "R", "A1"), 0.5, 1e-15);
  assert_near(num_at(k, "R", "A2"), 0.25, 1e-15);
  assert_near(num_at(k, "R", "A3"), 0.5, 1e-15);
  assert_near(num_at(k, "Q", "A2"), 0, 1e-15);
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(k, "best")->valuestring, "A2");
  assert_true(flag(k, "acceptable_advantage"));
  assert_true(flag(k, "acceptable_stability"));
  assert_compromise(k, "A2");
  cJSON_Delete(d);
  drop(f);
}

/* Yang & Wu (2020), IEEE Access 8: 21261-21271: five alternatives on four
 * benefit criteria of weight 0.25, v = 0.5; published Q = 0.5679, 0.7667,
 * 1, 0.7493, 0 (four decimals; also in pymcdm's tests).  A5 has the least
 * S (0.4044) and the least R (0.2176), and Q(A1) - Q(A5) = 0.5679 >= DQ =
 * 0.25: A5 alone is the compromise. */
static void test_vikor__matches_yang_wu_2020(void **state) {
  (void)state;
  static const double rows[] = {
    78, 56, 34,  6,
     4, 45,  3, 97,
    18,  2, 50, 63,
     9, 14, 11, 92,
    85,  9, 100, 29,
  };
  static const double w[] = {0.25, 0.25, 0.25, 0.25};
  static const double want[] = {0.5679, 0.7667, 1, 0.7493, 0};
  fx *f = make(5, 1, 4, NULL, w, rows);
  assert_int_equal(parley__a_vikor(&f->ctx, f->u), PARLEY_OK);
  for (size_t s = 0; s < 5; s++) assert_near(f->u[s], want[s], 5e-5);
  cJSON *d = diag(f);
  const cJSON *k = scenario(d, "k1");
  assert_true(flag(k, "acceptable_advantage"));
  assert_true(flag(k, "acceptable_stability"));
  assert_compromise(k, "A5");
  cJSON_Delete(d);
  drop(f);
}

/* ==== the compromise set ==================================================== */
/* C1 fails.  Benefit criteria of weight 0.5: A1 (10, 0), A2 (0, 10),
 * A3 (6, 5), A4 (5, 6); best (10, 10), worst (0, 0).  Terms:
 *   A1 (0, 0.5), A2 (0.5, 0): S = 0.5,  R = 0.5
 *   A3 (0.2, 0.25), A4 (0.25, 0.2): S = 0.45, R = 0.25
 * S* = 0.45, S- = 0.5, R* = 0.25, R- = 0.5: Q = (1, 1, 0, 0).  A3 leads
 * (the first of the tie) but Q(A(2)) - Q(A(1)) = 0 < DQ = 1/3, so the
 * compromise is every strategy with Q - 0 < 1/3: A3 and A4. */
static void test_vikor__compromise_set_when_the_advantage_is_not_acceptable(void **state) {
  (void)state;
  static const double rows[] = {10, 0, 0, 10, 6, 5, 5, 6};
  static const double w[] = {0.5, 0.5};
  fx *f = make(4, 1, 2, NULL, w, rows);
  assert_int_equal(parley__a_vikor(&f->ctx, f->u), PARLEY_OK);
  assert_near(f->u[0], 1, 1e-15);
  assert_near(f->u[1], 1, 1e-15);
  assert_near(f->u[2], 0, 1e-15);
  assert_near(f->u[3], 0, 1e-15);
  cJSON *d = diag(f);
  const cJSON *k = scenario(d, "k1");
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(k, "best")->valuestring, "A3");
  assert_false(flag(k, "acceptable_advantage"));
  assert_true(flag(k, "acceptable_stability"));
  assert_compromise(k, "A3,A4");
  cJSON_Delete(d);
  drop(f);
}

/* C1 holds (exactly at DQ) and C2 fails.  Benefit criteria of weight 1/3:
 * A1 (6, 2, 4), A2 (0, 8, 6), A3 (4, 0, 2), A4 (2, 4, 2), A5 (5, 4, 0);
 * best (6, 8, 6), worst (0, 0, 0).  Terms w (best - x) / range:
 *   A1: 0, 6/24, 2/18  S = 13/36, R = 1/4
 *   A2: 1/3, 0, 0      S = 1/3,   R = 1/3
 *   A3: 1/9, 1/3, 2/9  S = 2/3,   R = 1/3
 *   A4: 2/9, 1/6, 2/9  S = 11/18, R = 2/9
 *   A5: 1/18, 1/6, 1/3 S = 5/9,   R = 1/3
 * S* = 1/3, S- = 2/3, R* = 2/9, R- = 1/3, so
 *   Q = (1/24 + 1/8, 1/2, 1, 5/12, 1/3 + 1/2) = (1/6, 1/2, 1, 5/12, 5/6).
 * A1 leads; Q(A4) - Q(A1) = 1/4 = DQ = 1/(5 - 1): acceptable advantage.
 * But A1 is best by neither S (A2) nor R (A4): the compromise is A1 and
 * A4. */
static void test_vikor__two_strategies_when_stability_is_not_acceptable(void **state) {
  (void)state;
  static const double rows[] = {6, 2, 4, 0, 8, 6, 4, 0, 2, 2, 4, 2, 5, 4, 0};
  static const double w[] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
  static const double want[] = {1.0 / 6, 0.5, 1, 5.0 / 12, 5.0 / 6};
  fx *f = make(5, 1, 3, NULL, w, rows);
  assert_int_equal(parley__a_vikor(&f->ctx, f->u), PARLEY_OK);
  for (size_t s = 0; s < 5; s++) assert_near(f->u[s], want[s], 1e-14);
  cJSON *d = diag(f);
  const cJSON *k = scenario(d, "k1");
  assert_near(num_at(k, "S", "A1"), 13.0 / 36, 1e-15);
  assert_near(num_at(k, "R", "A4"), 2.0 / 9, 1e-15);
  assert_true(flag(k, "acceptable_advantage"));
  assert_false(flag(k, "acceptable_stability"));
  assert_compromise(k, "A1,A4");
  cJSON_Delete(d);
  drop(f);
}

/* ==== scenarios ============================================================== */
/* Two strategies under two scenarios; f1 a benefit, f2 a cost, weights 0.5.
 *   k1: A1 (10, 2), A2 (6, 4)      k2: A1 (4, 6), A2 (8, 2)
 * Over the slab: f1 best 10, worst 4 (range 6); f2 best 2, worst 6 (4).
 *   k1 A1: 0, 0            S = 0,    R = 0
 *   k1 A2: 4/12, 2/8       S = 7/12, R = 1/3
 *   k2 A1: 6/12, 4/8       S = 1,    R = 1/2
 *   k2 A2: 2/12, 0         S = 1/6,  R = 1/6
 * S* = 0, S- = 1, R* = 0, R- = 1/2, so Q = 0, 7/24 + 1/3 = 5/8 under k1
 * and 1, 1/12 + 1/6 = 1/4 under k2.  (Scenario by scenario, A2 would score
 * 0 under k2.)  With two strategies DQ = 1: the advantage of A2 under k2,
 * 3/4, is not acceptable, and the compromise is A2 then A1. */
static void test_vikor__reference_points_span_every_scenario(void **state) {
  (void)state;
  static const double rows[] = {10, 2, 6, 4, 4, 6, 8, 2};
  static const int dir[] = {1, -1};
  static const double w[] = {0.5, 0.5};
  fx *f = make(2, 2, 2, dir, w, rows);
  assert_int_equal(parley__a_vikor(&f->ctx, f->u), PARLEY_OK);
  assert_near(f->u[0], 0, 1e-15);
  assert_near(f->u[1], 0.625, 1e-15);
  assert_near(f->u[2], 1, 1e-15);
  assert_near(f->u[3], 0.25, 1e-15);
  cJSON *d = diag(f);
  assert_near(num_at(d, NULL, "dq"), 1, 0);
  assert_near(num_at(d, NULL, "S_worst"), 1, 1e-15);
  assert_near(num_at(d, NULL, "R_worst"), 0.5, 1e-15);
  const cJSON *k2 = scenario(d, "k2");
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(k2, "best")->valuestring, "A2");
  assert_false(flag(k2, "acceptable_advantage"));
  assert_compromise(k2, "A2,A1");
  assert_near(num_at(scenario(d, "k1"), "S", "A2"), 7.0 / 12, 1e-15);
  cJSON_Delete(d);
  drop(f);
}

/* ==== parameters and degenerate input ======================================== */
/* v = 1 ranks by S alone, v = 0 by R alone.  On Opricovic & Tzeng's data
 * (S = 0.5, 0.375, 0.5; R = 0.5, 0.25, 0.5) both give Q = (1, 0, 1); a
 * third strategy set apart tells them apart: with A4 (3, 3000), terms
 * f1 0.5 * 2/4 = 0.25, f2 0.5: S = 0.75, R = 0.5.  Then S* = 0.375,
 * S- = 0.75: v = 1 gives Q(A1) = 0.125 / 0.375 = 1/3, v = 0 gives
 * Q(A1) = 1 (R-: 0.5). */
static void test_vikor__v_weighs_group_utility_against_regret(void **state) {
  (void)state;
  static const double rows[] = {1, 3000, 2, 3750, 5, 4500, 3, 3000};
  fx *f = make(4, 1, 2, ot_dir, ot_w, rows);
  set_v(f, 1);
  assert_int_equal(parley__a_vikor(&f->ctx, f->u), PARLEY_OK);
  assert_near(f->u[0], 1.0 / 3, 1e-15);
  assert_near(f->u[1], 0, 1e-15);
  assert_near(f->u[3], 1, 1e-15);
  drop(f);
  f = make(4, 1, 2, ot_dir, ot_w, rows);
  set_v(f, 0);
  assert_int_equal(parley__a_vikor(&f->ctx, f->u), PARLEY_OK);
  assert_near(f->u[0], 1, 1e-15);
  assert_near(f->u[1], 0, 1e-15);
  assert_near(f->u[3], 1, 1e-15);
  drop(f);
}

static void test_vikor__rejects_v_outside_the_unit_interval(void **state) {
  (void)state;
  fx *f = make(3, 1, 2, ot_dir, ot_w, ot_rows);
  set_v(f, 1.5);
  assert_int_equal(parley__a_vikor(&f->ctx, f->u), PARLEY_EINVALID);
  assert_contains(parley_engine_errmsg(f->e), "v=1.5");
  /* The registry refuses it before any run, too. */
  parley__spec spec;
  const parley__stage *st;
  assert_int_equal(parley__spec_parse(f->e, &spec, "vikor:v=1.5", "--aggregation"), PARLEY_OK);
  assert_int_equal(parley__registry_resolve(f->e, PARLEY_STAGE_AGGREGATION, &spec,
                                            "--aggregation", &st),
                   PARLEY_EINVALID);
  parley__spec_clear(f->e, &spec);
  drop(f);
}

/* Nothing varies: every term is 0, S* = S- and R* = R-, and both parts of
 * Q are taken as 0 (not 0/0): Q = 0 for every strategy, which are then all
 * within DQ of the best, so all form the compromise. */
static void test_vikor__identical_strategies_score_zero(void **state) {
  (void)state;
  static const double rows[] = {3, 7, 3, 7, 3, 7};
  fx *f = make(3, 1, 2, ot_dir, ot_w, rows);
  assert_int_equal(parley__a_vikor(&f->ctx, f->u), PARLEY_OK);
  for (size_t s = 0; s < 3; s++) assert_true(f->u[s] == 0);
  cJSON *d = diag(f);
  const cJSON *k = scenario(d, "k1");
  assert_false(flag(k, "acceptable_advantage"));
  assert_true(flag(k, "acceptable_stability"));
  assert_compromise(k, "A1,A2,A3");
  cJSON_Delete(d);
  drop(f);
}

/* A constant criterion, and one of weight 0, change nothing: Opricovic &
 * Tzeng's data with a constant f3 and a varying f4 of weight 0 still give
 * Q = (1, 0, 1). */
static void test_vikor__constant_and_weightless_criteria_play_no_part(void **state) {
  (void)state;
  static const double rows[] = {1, 3000, 4, 9, 2, 3750, 4, -2, 5, 4500, 4, 30};
  static const int dir[] = {-1, 1, 1, 1};
  static const double w[] = {0.25, 0.25, 0.5, 0}; /* f3 constant, weighing half */
  fx *f = make(3, 1, 4, dir, w, rows);
  assert_int_equal(parley__a_vikor(&f->ctx, f->u), PARLEY_OK);
  /* Terms halve (S = 0.25, 0.1875, 0.25; R = 0.25, 0.125, 0.25); Q is a
   * ratio of differences and stays (1, 0, 1). */
  assert_near(f->u[0], 1, 1e-15);
  assert_near(f->u[1], 0, 1e-15);
  assert_near(f->u[2], 1, 1e-15);
  drop(f);
}

/* One strategy: Q = 0; there is no rival, so no DQ, and the strategy is
 * the compromise. */
static void test_vikor__single_strategy_is_the_compromise(void **state) {
  (void)state;
  static const double rows[] = {1, 3000};
  fx *f = make(1, 1, 2, ot_dir, ot_w, rows);
  assert_int_equal(parley__a_vikor(&f->ctx, f->u), PARLEY_OK);
  assert_true(f->u[0] == 0);
  cJSON *d = diag(f);
  assert_null(cJSON_GetObjectItemCaseSensitive(d, "dq"));
  const cJSON *k = scenario(d, "k1");
  assert_true(flag(k, "acceptable_advantage"));
  assert_true(flag(k, "acceptable_stability"));
  assert_compromise(k, "A1");
  cJSON_Delete(d);
  drop(f);
}

/* Ids are written as JSON strings, escapes and all. */
static void test_vikor__diagnostics_escape_ids(void **state) {
  (void)state;
  fx *f = make(3, 1, 2, ot_dir, ot_w, ot_rows);
  snprintf(f->sid[1], sizeof f->sid[1], "say \"hi\"\\\n");
  assert_int_equal(parley__a_vikor(&f->ctx, f->u), PARLEY_OK);
  cJSON *d = diag(f);
  const cJSON *k = scenario(d, "k1");
  assert_string_equal(cJSON_GetObjectItemCaseSensitive(k, "best")->valuestring,
                      "say \"hi\"\\\n");
  cJSON_Delete(d);
  drop(f);
}

static void test_vikor__is_registered_raw_and_lower_is_better(void **state) {
  (void)state;
  parley_engine *e;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  const parley__stage *st = parley__registry_find(e, PARLEY_STAGE_AGGREGATION, "vikor");
  assert_non_null(st);
  assert_true(st->flags & PARLEY__RAW_VALUES);
  assert_true(st->flags & PARLEY__LOWER_IS_BETTER);
  assert_true(parley__param_num(st, NULL, "v") == 0.5);
  parley_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_vikor__matches_opricovic_tzeng_2004),
    cmocka_unit_test(test_vikor__matches_yang_wu_2020),
    cmocka_unit_test(test_vikor__compromise_set_when_the_advantage_is_not_acceptable),
    cmocka_unit_test(test_vikor__two_strategies_when_stability_is_not_acceptable),
    cmocka_unit_test(test_vikor__reference_points_span_every_scenario),
    cmocka_unit_test(test_vikor__v_weighs_group_utility_against_regret),
    cmocka_unit_test(test_vikor__rejects_v_outside_the_unit_interval),
    cmocka_unit_test(test_vikor__identical_strategies_score_zero),
    cmocka_unit_test(test_vikor__constant_and_weightless_criteria_play_no_part),
    cmocka_unit_test(test_vikor__single_strategy_is_the_compromise),
    cmocka_unit_test(test_vikor__diagnostics_escape_ids),
    cmocka_unit_test(test_vikor__is_registered_raw_and_lower_is_better),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
