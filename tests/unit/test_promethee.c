/*
 * test_promethee.c — the promethee1 and promethee2 aggregations
 * (core/promethee.c), called directly with a run context built by hand:
 * the preference table and flows of Brans & Vincke's (1985) numerical
 * example (one function of each of the six types), a second published
 * example (Zhao, Peng & Li 2013), PROMETHEE I's incomparable pairs derived
 * by hand from the published flows, flows computed within each scenario,
 * degenerate input and bad parameters; and the sorted O(n log n) path
 * against the pairwise O(n^2) reference on random data with ties, for every
 * function type.
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

/* ---- a hand-made run of any size (fixture.h) ---------------------------------- */
/* Criteria f1.., strategies a1.., scenarios k1..; rows NULL: the caller
 * fills f->cube through parley__cell.  dir NULL: benefits; w NULL: equal. */
static fx *make(const char *stage, size_t ns, size_t nk, size_t nc, const int *dir,
                const double *w, const double *rows) {
  return fixture_new(&(fx_opts){.ns = ns, .nk = nk, .nc = nc, .dir = dir, .w = w, .rows = rows,
                                .stage = stage, .crit = 'f', .strat = 'a', .first = 1});
}

static void set_functions(fx *f, const char *json) {
  assert_int_equal(parley__spec_add(f->e, &f->spec, "functions", PARLEY__PJSON, 0, json),
                   PARLEY_OK);
}

static void set_pairwise(fx *f, double v) {
  assert_int_equal(parley__spec_add(f->e, &f->spec, "exact_pairwise", PARLEY__PNUM, v, NULL),
                   PARLEY_OK);
}

/* ==== Brans & Vincke (1985) ==================================================== */
/* Brans, J.-P., & Vincke, Ph. (1985), Management Science 31(6): 647-656,
 * the numerical example: six alternatives a1..a6 on six criteria of equal
 * weight, one preference function of each type:
 *   f1 min, u-shape q = 10         f4 min, level q = 1, p = 6
 *   f2 max, v-shape p = 30         f5 min, usual
 *   f3 min, linear q = 5, p = 50   f6 max, gaussian s = 5
 * The paper writes the level criterion's thresholds as q = 1 and a band of
 * p = 5 above it, and the linear one as s = 5, r = 45; in the q / p
 * (indifference / preference) convention used here they are (1, 6) and
 * (5, 50).  Its preference indices pi(a, b) are printed to three decimals
 * (the table below; the same table is in the test suites of two
 * independent implementations, and this convention reproduces every entry)
 * and its flows are the sums of a row (phi+) and of a column (phi-), not
 * divided by n - 1 = 5. */
static const char bv_functions[] =
  "{\"f1\": {\"type\": \"u-shape\", \"q\": 10}, \"f2\": {\"type\": \"v-shape\", \"p\": 30},"
  " \"f3\": {\"type\": \"linear\", \"q\": 5, \"p\": 50},"
  " \"f4\": {\"type\": \"level\", \"q\": 1, \"p\": 6}, \"f5\": {\"type\": \"usual\"},"
  " \"f6\": {\"type\": \"gaussian\", \"s\": 5}}";
static const int bv_dir[] = {-1, 1, -1, -1, -1, 1};
static const double bv_rows[] = {
  80, 90, 60,  5.4, 8, 5,
  65, 58, 20,  9.7, 1, 1,
  83, 60, 40,  7.2, 4, 7,
  40, 80, 100, 7.5, 7, 10,
  52, 72, 60,  2.0, 3, 8,
  94, 96, 70,  3.6, 5, 6,
};
static const double bv_pi[6][6] = {
  {0, 0.296, 0.250, 0.269, 0.100, 0.185},
  {0.463, 0, 0.389, 0.333, 0.296, 0.500},
  {0.235, 0.180, 0, 0.333, 0.056, 0.429},
  {0.399, 0.506, 0.305, 0, 0.224, 0.212},
  {0.444, 0.515, 0.487, 0.380, 0, 0.448},
  {0.287, 0.399, 0.250, 0.431, 0.133, 0},
};
static const double bv_plus[] = {1.099, 1.980, 1.234, 1.644, 2.274, 1.500};
static const double bv_minus[] = {1.827, 1.895, 1.681, 1.746, 0.808, 1.774};
static const double bv_net[] = {-0.728, 0.085, -0.447, -0.102, 1.466, -0.274};

/* With two strategies, n - 1 = 1: phi+(a) is pi(a, b) itself, so each pair
 * checks one entry of the published table, and with it each function. */
static void test_promethee__preference_indices_match_brans_vincke_1985(void **state) {
  (void)state;
  for (int pairwise = 0; pairwise < 2; pairwise++)
    for (size_t a = 0; a < 6; a++)
      for (size_t b = a + 1; b < 6; b++) {
        double rows[12];
        memcpy(rows, bv_rows + 6 * a, 6 * sizeof *rows);
        memcpy(rows + 6, bv_rows + 6 * b, 6 * sizeof *rows);
        fx *f = make("promethee2", 2, 1, 6, bv_dir, NULL, rows);
        set_functions(f, bv_functions);
        assert_int_equal(parley__promethee_flows(&f->ctx, pairwise, f->plus, f->minus),
                         PARLEY_OK);
        assert_near(f->plus[0], bv_pi[a][b], 0.0005);
        assert_near(f->plus[1], bv_pi[b][a], 0.0005);
        assert_near(f->minus[0], f->plus[1], 1e-15); /* pi(b, a) seen from a */
        drop(f);
      }
}

/* The whole example: the flows times n - 1 = 5 against the paper's sums of
 * three-decimal entries (they differ from the exact sums by up to 0.002),
 * and its ranking by net flow a5, a2, a4, a6, a3, a1. */
static void test_promethee__flows_match_brans_vincke_1985(void **state) {
  (void)state;
  for (int pairwise = 0; pairwise < 2; pairwise++) {
    fx *f = make("promethee2", 6, 1, 6, bv_dir, NULL, bv_rows);
    set_functions(f, bv_functions);
    set_pairwise(f, pairwise);
    assert_int_equal(parley__promethee_flows(&f->ctx, pairwise, f->plus, f->minus), PARLEY_OK);
    assert_int_equal(parley__a_promethee2(&f->ctx, f->u), PARLEY_OK);
    for (size_t s = 0; s < 6; s++) {
      assert_near(5 * f->plus[s], bv_plus[s], 0.003);
      assert_near(5 * f->minus[s], bv_minus[s], 0.003);
      assert_near(5 * f->u[s], bv_net[s], 0.003);
      assert_near(f->u[s], f->plus[s] - f->minus[s], 1e-15);
    }
    static const size_t order[] = {4, 1, 3, 5, 2, 0};
    for (size_t i = 0; i + 1 < 6; i++) assert_true(f->u[order[i]] > f->u[order[i + 1]]);
    drop(f);
  }
}

/* PROMETHEE I on the same example.  From the published flows
 *   phi+ 1.099 1.980 1.234 1.644 2.274 1.500
 *   phi- 1.827 1.895 1.681 1.746 0.808 1.774
 * a pair is incomparable when one strategy has both the larger phi+ and
 * the larger phi-: a2 against a1, a3, a4 and a6 (largest phi+ but for a5,
 * second largest phi-), a4 against a3 (1.644 > 1.234, 1.746 > 1.681), a6
 * against a3 (1.500 > 1.234, 1.774 > 1.681); six pairs.  a5 outranks all. */
static void test_promethee1__reports_incomparable_pairs_of_brans_vincke_1985(void **state) {
  (void)state;
  fx *f = make("promethee1", 6, 1, 6, bv_dir, NULL, bv_rows);
  set_functions(f, bv_functions);
  assert_int_equal(parley__a_promethee1(&f->ctx, f->u), PARLEY_OK);
  for (size_t s = 0; s < 6; s++) assert_near(5 * f->u[s], bv_net[s], 0.003);
  cJSON *d = diag(f);
  const cJSON *k = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d,
                                                    "scenarios"), "k1");
  assert_non_null(k);
  assert_int_equal(cJSON_GetObjectItemCaseSensitive(k, "incomparable_count")->valueint, 6);
  char got[256] = "";
  const cJSON *pair;
  cJSON_ArrayForEach(pair, cJSON_GetObjectItemCaseSensitive(k, "incomparable")) {
    strcat(got, cJSON_GetArrayItem(pair, 0)->valuestring);
    strcat(got, "-");
    strcat(got, cJSON_GetArrayItem(pair, 1)->valuestring);
    strcat(got, " ");
  }
  assert_string_equal(got, "a1-a2 a2-a3 a2-a4 a2-a6 a3-a4 a3-a6 ");
  const cJSON *pp = cJSON_GetObjectItemCaseSensitive(k, "phi_plus");
  assert_near(5 * cJSON_GetObjectItemCaseSensitive(pp, "a5")->valuedouble, 2.274, 0.003);
  const cJSON *pm = cJSON_GetObjectItemCaseSensitive(k, "phi_minus");
  assert_near(5 * cJSON_GetObjectItemCaseSensitive(pm, "a5")->valuedouble, 0.808, 0.003);
  cJSON_Delete(d);
  drop(f);
}

/* ==== Zhao, Peng & Li (2013) ==================================================== */
/* Procedia Computer Science 17: 181-188: three alternatives on three
 * benefit criteria of weights 0.5, 0.3, 0.2, usual criterion; published net
 * flows 0.1, -0.3, 0.2 (also in pymcdm's tests).  By hand: pi(1,2) = 0.5 +
 * 0.3 = 0.8, pi(2,1) = 0.2, pi(1,3) = 0.3, pi(3,1) = 0.7, pi(2,3) = 0.5,
 * pi(3,2) = 0.5; phi(1) = (1.1 - 0.9) / 2 = 0.1, phi(2) = (0.7 - 1.3) / 2,
 * phi(3) = (1.2 - 0.8) / 2. */
static void test_promethee2__matches_zhao_peng_li_2013(void **state) {
  (void)state;
  static const double rows[] = {4, 3, 2, 3, 2, 4, 5, 1, 3};
  static const double w[] = {0.5, 0.3, 0.2};
  fx *f = make("promethee2", 3, 1, 3, NULL, w, rows);
  assert_int_equal(parley__a_promethee2(&f->ctx, f->u), PARLEY_OK);
  assert_near(f->u[0], 0.1, 1e-15);
  assert_near(f->u[1], -0.3, 1e-15);
  assert_near(f->u[2], 0.2, 1e-15);
  assert_null(f->ctx.diagnostics);
  drop(f);
}

/* ==== the sorted path against the pairwise reference ============================= */
static uint64_t rng_state;
static double uniform(void) { /* splitmix64, [0, 1) */
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return (double)((z ^ (z >> 31)) >> 11) * 0x1p-53;
}

/* Every function type (and a model mixing them), on values on a grid of
 * halves (ties, and differences landing exactly on the thresholds) and on
 * continuous values, with benefit and cost criteria, unequal weights, two
 * scenarios, and sizes on both sides of the small-sort cut-off: the sorted
 * flows equal the pairwise ones to 1e-12, relative, and exactly for the
 * step functions. */
static void test_promethee__sorted_path_equals_pairwise_reference(void **state) {
  (void)state;
  static const char *const fns[] = {
    "{\"f1\": {\"type\": \"usual\"}, \"f2\": {\"type\": \"usual\"}}",
    "{\"f1\": {\"type\": \"u-shape\", \"q\": 1.5},"
    " \"f2\": {\"type\": \"u-shape\", \"q\": 0}}",
    "{\"f1\": {\"type\": \"v-shape\", \"p\": 2},"
    " \"f2\": {\"type\": \"v-shape\", \"p\": 0.5}}",
    "{\"f1\": {\"type\": \"level\", \"q\": 1, \"p\": 2.5},"
    " \"f2\": {\"type\": \"level\", \"q\": 0, \"p\": 0.5}}",
    "{\"f1\": {\"type\": \"linear\", \"q\": 1, \"p\": 2.5},"
    " \"f2\": {\"type\": \"linear\", \"q\": 0, \"p\": 4}}",
    "{\"f1\": {\"type\": \"gaussian\", \"s\": 1.5},"
    " \"f2\": {\"type\": \"gaussian\", \"s\": 0.2}}",
    "{\"f1\": {\"type\": \"linear\", \"q\": 0.5, \"p\": 3},"
    " \"f2\": {\"type\": \"gaussian\", \"s\": 2},"
    " \"f3\": {\"type\": \"level\", \"q\": 0.5, \"p\": 1}}",
  };
  static const size_t sizes[] = {1, 2, 3, 7, 32, 33, 100, 257, 1500};
  static const int dir[] = {1, -1, 1};
  static const double w[] = {0.5, 0.3, 0.2};
  rng_state = 20240601;
  for (size_t fi = 0; fi < sizeof fns / sizeof *fns; fi++)
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
      for (int grid = 0; grid < 2; grid++) {
        size_t ns = sizes[si], nk = 2, nc = 3;
        fx *f = make("promethee2", ns, nk, nc, dir, w, NULL);
        for (size_t i = 0; i < ns * nk * nc; i++)
          f->cube[i] = grid ? floor(uniform() * 21) * 0.5 : (uniform() - 0.5) * 40;
        set_functions(f, fns[fi]);
        double *rp = calloc(ns * nk, sizeof *rp), *rm = calloc(ns * nk, sizeof *rm);
        assert_true(rp && rm);
        assert_int_equal(parley__promethee_flows(&f->ctx, true, rp, rm), PARLEY_OK);
        assert_int_equal(parley__promethee_flows(&f->ctx, false, f->plus, f->minus), PARLEY_OK);
        /* usual, u-shape and level sum 0s, 1/2s and 1s, exactly in both. */
        bool exact = fi == 0 || fi == 1 || fi == 3;
        for (size_t i = 0; i < ns * nk; i++) {
          double tp = exact ? 0 : 1e-12 * fmax(1, fabs(rp[i]));
          double tm = exact ? 0 : 1e-12 * fmax(1, fabs(rm[i]));
          if (!(fabs(f->plus[i] - rp[i]) <= tp) || !(fabs(f->minus[i] - rm[i]) <= tm))
            fail_msg("functions %zu, n = %zu, %s: cell %zu: sorted (%.17g, %.17g), pairwise "
                     "(%.17g, %.17g)", fi, ns, grid ? "grid" : "continuous", i, f->plus[i],
                     f->minus[i], rp[i], rm[i]);
        }
        free(rp);
        free(rm);
        drop(f);
      }
}

/* PROMETHEE I's count of incomparable pairs (found by sorting) and its
 * list, against a count of every pair with the same rule, on data with
 * many equal flows (a coarse grid) and with few. */
static void test_promethee1__counts_incomparable_pairs_like_a_pairwise_count(void **state) {
  (void)state;
  static const int dir[] = {1, -1, 1};
  rng_state = 7;
  for (int grid = 0; grid < 2; grid++) {
    size_t ns = 60;
    fx *f = make("promethee1", ns, 1, 3, dir, NULL, NULL);
    for (size_t i = 0; i < ns * 3; i++)
      f->cube[i] = grid ? floor(uniform() * 4) : uniform() * 10;
    set_functions(f, "{\"f2\": {\"type\": \"linear\", \"q\": 1, \"p\": 4}}");
    assert_int_equal(parley__a_promethee1(&f->ctx, f->u), PARLEY_OK);
    assert_int_equal(parley__promethee_flows(&f->ctx, false, f->plus, f->minus), PARLEY_OK);
    size_t want = 0;
    for (size_t a = 0; a < ns; a++)
      for (size_t b = a + 1; b < ns; b++) {
        double dp = f->plus[a] - f->plus[b], dm = f->minus[a] - f->minus[b];
        bool ep = fabs(dp) <= 1e-12, em = fabs(dm) <= 1e-12;
        want += !ep && !em && (dp > 0) == (dm > 0);
      }
    cJSON *d = diag(f);
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d,
                                                      "scenarios"), "k1");
    assert_int_equal((size_t)cJSON_GetObjectItemCaseSensitive(k, "incomparable_count")->valuedouble,
                     want);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(k, "incomparable");
    if (want <= 1000) assert_int_equal((size_t)cJSON_GetArraySize(list), want);
    cJSON_Delete(d);
    drop(f);
  }
}

/* ==== scenarios, orientation, degenerate input ==================================== */
/* Flows compare strategies under the same scenario only.  One benefit
 * criterion, usual: k1 a1 = 1, a2 = 2 (a2 preferred: phi = -1, 1); k2 a1 =
 * 105, a2 = 103 (phi = 1, -1).  Comparing across scenarios would give
 * other numbers (a1 under k2 would beat both values of k1). */
static void test_promethee__flows_stay_within_each_scenario(void **state) {
  (void)state;
  static const double rows[] = {1, 2, 105, 103};
  fx *f = make("promethee2", 2, 2, 1, NULL, NULL, rows);
  assert_int_equal(parley__a_promethee2(&f->ctx, f->u), PARLEY_OK);
  assert_true(f->u[0] == -1 && f->u[1] == 1 && f->u[2] == 1 && f->u[3] == -1);
  drop(f);
}

/* On a cost criterion the lower value is preferred: a1 = 1, a2 = 2, a3 = 2
 * (usual): a1 beats both, a2 and a3 tie; phi(a1) = (2 - 0) / 2 = 1,
 * phi(a2) = phi(a3) = (0 - 1) / 2 = -0.5.  With v-shape p = 2: P(1) = 0.5,
 * so phi(a1) = 0.5, phi(a2) = phi(a3) = -0.25. */
static void test_promethee__cost_criteria_prefer_lower_values(void **state) {
  (void)state;
  static const double rows[] = {1, 2, 2};
  static const int dir[] = {-1};
  for (int pairwise = 0; pairwise < 2; pairwise++) {
    fx *f = make("promethee2", 3, 1, 1, dir, NULL, rows);
    set_pairwise(f, pairwise);
    assert_int_equal(parley__a_promethee2(&f->ctx, f->u), PARLEY_OK);
    assert_near(f->u[0], 1, 1e-15);
    assert_near(f->u[1], -0.5, 1e-15);
    assert_near(f->u[2], -0.5, 1e-15);
    drop(f);
    f = make("promethee2", 3, 1, 1, dir, NULL, rows);
    set_pairwise(f, pairwise);
    set_functions(f, "{\"f1\": {\"type\": \"v-shape\", \"p\": 2}}");
    assert_int_equal(parley__a_promethee2(&f->ctx, f->u), PARLEY_OK);
    assert_near(f->u[0], 0.5, 1e-15);
    assert_near(f->u[1], -0.25, 1e-15);
    drop(f);
  }
}

/* One strategy: nothing to compare, both flows 0 (no 0/0).  A constant
 * criterion prefers nobody, and a criterion of weight 0 counts for nothing:
 * with f1 constant and f2 (weight 0) varying, every flow is 0. */
static void test_promethee__degenerate_input_gives_zero_flows(void **state) {
  (void)state;
  static const double one[] = {3, 4};
  fx *f = make("promethee1", 1, 1, 2, NULL, NULL, one);
  assert_int_equal(parley__a_promethee1(&f->ctx, f->u), PARLEY_OK);
  assert_true(f->u[0] == 0);
  assert_contains(f->ctx.diagnostics, "\"incomparable_count\":0");
  drop(f);
  static const double rows[] = {5, 1, 5, 9, 5, -4, 5, 2};
  static const double w[] = {1, 0};
  for (int pairwise = 0; pairwise < 2; pairwise++) {
    f = make("promethee2", 4, 1, 2, NULL, w, rows);
    set_pairwise(f, pairwise);
    set_functions(f, "{\"f1\": {\"type\": \"linear\", \"q\": 0, \"p\": 1}}");
    assert_int_equal(parley__a_promethee2(&f->ctx, f->u), PARLEY_OK);
    for (size_t s = 0; s < 4; s++) assert_true(f->u[s] == 0);
    drop(f);
  }
}

/* ==== parameters ================================================================ */
static void test_promethee__rejects_bad_functions(void **state) {
  (void)state;
  static const struct {
    const char *json, *says;
  } bad[] = {
    {"[1, 2]", "functions must be a JSON object"},
    {"{\"f9\": {\"type\": \"usual\"}}", "no criterion 'f9'"},
    {"{\"f1\": {\"type\": \"usual\"}, \"f1\": {\"type\": \"usual\"}}", "given twice"},
    {"{\"f1\": \"linear\"}", "functions.f1: expected an object"},
    {"{\"f1\": {\"q\": 1}}", "\"type\" must be given"},
    {"{\"f1\": {\"type\": \"lin\"}}", "unknown type 'lin'"},
    {"{\"f1\": {\"type\": \"linear\", \"q\": 1}}", "needs 'p'"},
    {"{\"f1\": {\"type\": \"linear\", \"q\": 3, \"p\": 3}}", "0 <= q < p"},
    {"{\"f1\": {\"type\": \"level\", \"q\": -1, \"p\": 3}}", "0 <= q < p"},
    {"{\"f1\": {\"type\": \"usual\", \"q\": 1}}", "takes no parameter, not 'q'"},
    {"{\"f1\": {\"type\": \"u-shape\", \"p\": 1}}", "takes only 'q', not 'p'"},
    {"{\"f1\": {\"type\": \"u-shape\", \"q\": -1}}", "q >= 0"},
    {"{\"f1\": {\"type\": \"v-shape\", \"p\": 0}}", "p > 0"},
    {"{\"f1\": {\"type\": \"v-shape\", \"p\": \"2\"}}", "'p' must be a finite number"},
    {"{\"f1\": {\"type\": \"gaussian\", \"s\": 0}}", "s > 0"},
    {"{\"f1\": {\"type\": \"gaussian\", \"sigma\": 1}}", "not 'sigma'"},
  };
  static const double rows[] = {1, 2};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    fx *f = make("promethee2", 2, 1, 1, NULL, NULL, rows);
    set_functions(f, bad[i].json);
    assert_int_equal(parley__a_promethee2(&f->ctx, f->u), PARLEY_EINVALID);
    assert_msg_has(f, "aggregation promethee2");
    assert_msg_has(f, bad[i].says);
    drop(f);
  }
}

static void test_promethee__exact_pairwise_is_0_or_1(void **state) {
  (void)state;
  static const double rows[] = {1, 2};
  fx *f = make("promethee1", 2, 1, 1, NULL, NULL, rows);
  set_pairwise(f, 0.5);
  assert_int_equal(parley__a_promethee1(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "exact_pairwise=0.5");
  drop(f);
}

/* The model file's shape reaches the stage: a functions object parsed by
 * the registry as JSON text, checked against the declared parameters. */
static void test_promethee__registry_declares_its_parameters(void **state) {
  (void)state;
  parley_engine *e;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  for (int i = 0; i < 2; i++) {
    const parley__stage *st =
      parley__registry_find(e, PARLEY_STAGE_AGGREGATION, i ? "promethee1" : "promethee2");
    assert_non_null(st);
    assert_true(st->flags & PARLEY__RAW_VALUES);
    assert_false(st->flags & PARLEY__LOWER_IS_BETTER);
  }
  parley__spec spec;
  const parley__stage *st;
  /* A string where JSON is expected is refused before the run. */
  assert_int_equal(parley__spec_parse(e, &spec, "promethee2:functions=usual", "--aggregation"),
                   PARLEY_OK);
  assert_int_equal(parley__registry_resolve(e, PARLEY_STAGE_AGGREGATION, &spec, "--aggregation",
                                            &st),
                   PARLEY_EINVALID);
  parley__spec_clear(e, &spec);
  parley_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_promethee__preference_indices_match_brans_vincke_1985),
    cmocka_unit_test(test_promethee__flows_match_brans_vincke_1985),
    cmocka_unit_test(test_promethee1__reports_incomparable_pairs_of_brans_vincke_1985),
    cmocka_unit_test(test_promethee2__matches_zhao_peng_li_2013),
    cmocka_unit_test(test_promethee__sorted_path_equals_pairwise_reference),
    cmocka_unit_test(test_promethee1__counts_incomparable_pairs_like_a_pairwise_count),
    cmocka_unit_test(test_promethee__flows_stay_within_each_scenario),
    cmocka_unit_test(test_promethee__cost_criteria_prefer_lower_values),
    cmocka_unit_test(test_promethee__degenerate_input_gives_zero_flows),
    cmocka_unit_test(test_promethee__rejects_bad_functions),
    cmocka_unit_test(test_promethee__exact_pairwise_is_0_or_1),
    cmocka_unit_test(test_promethee__registry_declares_its_parameters),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
