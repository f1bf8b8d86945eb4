/*
 * test_compare.c — comparing rankings (core/compare.c): the similarity
 * coefficients against published values and hand computations, the
 * Copeland and Borda compromise rankings on hand-worked examples, the stage
 * lists of the run options (which commas separate stages, which separate
 * parameters), and the analysis "compare" end to end on a model whose
 * rankings are worked out by hand below.
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

#include "compare.h"
#include "internal.h"
#include "fixture.h"

/* Rounded to d decimals, as the papers print their values. */
static double rounded(double x, int d) {
  double f = pow(10, d);
  return round(x * f) / f;
}

/* ---- the coefficients --------------------------------------------------------------
 * Sałabun & Urbaniak (2020), "A new coefficient of rankings similarity in
 * decision-making problems", ICCS 2020, LNCS 12138, 632-645: the example of
 * a reference ranking R = (1, 2, 3, 4, 5) and Q = (1, 3, 2, 4, 5), with
 * r_s = 0.9, r_w = 0.8833 and WS = 0.8542 (the values the tests of
 * pyrepo-mcda, tests/test_correlations.py, take from the paper).
 * By hand: d = (0, -1, 1, 0, 0);
 *   r_s = 1 - 6 * 2 / (5 * 24) = 0.9;
 *   r_w = 1 - 6 [1 * (4 + 3) + 1 * (3 + 4)] / (625 + 125 - 25 - 5) = 1 - 84/720;
 *   WS  = 1 - [2^-2 * 1 / max(1, 3) + 2^-3 * 1 / max(2, 2)] = 1 - (1/12 + 1/16) = 41/48. */
static void test_coefficients__match_salabun_urbaniak_2020(void **state) {
  (void)state;
  const double R[] = {1, 2, 3, 4, 5}, Q[] = {1, 3, 2, 4, 5};
  assert_near(rounded(parley__spearman(R, Q, 5), 4), 0.9, 1e-12);
  assert_near(rounded(parley__weighted_spearman(R, Q, 5), 4), 0.8833, 1e-12);
  assert_near(rounded(parley__ws(R, Q, 5), 4), 0.8542, 1e-12);
  assert_near(parley__spearman(R, Q, 5), 0.9, 1e-15);
  assert_near(parley__weighted_spearman(R, Q, 5), 1 - 84.0 / 720, 1e-15);
  assert_near(parley__ws(R, Q, 5), 41.0 / 48, 1e-15);
}

/* Paradowski, Bączkiewicz & Wątróbski (2021), "Towards proper consumer
 * choices - MCDM based product selection", Procedia Computer Science 192,
 * 1347-1358: two rankings of 12 products with r_w = 0.96 and WS = 0.90 (to
 * two decimals; the values pyfdm's tests/test_correlations.py cite).
 * By hand, the rankings differ at three places (x, y) = (2, 3), (1, 2),
 * (3, 1); n = 12, n^4 + n^3 - n^2 - n = 22308:
 *   r_w = 1 - 6 [1 (11 + 10) + 1 (12 + 11) + 4 (10 + 12)] / 22308 = 1 - 792/22308;
 *   WS  = 1 - [2^-2 / 10 + 2^-1 / 11 + 2^-3 * 2 / 9] = 1 - (1/40 + 1/22 + 1/36). */
static void test_coefficients__match_paradowski_2021(void **state) {
  (void)state;
  const double x[] = {7, 11, 2, 1, 4, 9, 6, 3, 5, 10, 8, 12};
  const double y[] = {7, 11, 3, 2, 4, 9, 6, 1, 5, 10, 8, 12};
  assert_near(rounded(parley__weighted_spearman(x, y, 12), 2), 0.96, 1e-12);
  assert_near(rounded(parley__ws(x, y, 12), 2), 0.90, 1e-12);
  assert_near(parley__weighted_spearman(x, y, 12), 1 - 792.0 / 22308, 1e-15);
  assert_near(parley__ws(x, y, 12), 1 - (1.0 / 40 + 1.0 / 22 + 1.0 / 36), 1e-15);
}

/* WS weighs the places of the reference: (1, 2, 3) against (3, 1, 2) and
 * the other way round, by hand (n = 3):
 *   reference (1, 2, 3): 2^-1 * 2/2 + 2^-2 * 1/1 + 2^-3 * 1/2 = 0.8125, WS = 0.1875;
 *   reference (3, 1, 2): 2^-3 * 2/2 + 2^-1 * 1/2 + 2^-2 * 1/1 = 0.625,  WS = 0.375. */
static void test_ws__is_not_symmetric_the_reference_comes_first(void **state) {
  (void)state;
  const double x[] = {1, 2, 3}, y[] = {3, 1, 2};
  assert_near(parley__ws(x, y, 3), 0.1875, 1e-15);
  assert_near(parley__ws(y, x, 3), 0.375, 1e-15);
  /* rho and r_w are symmetric. */
  assert_near(parley__spearman(x, y, 3), parley__spearman(y, x, 3), 1e-15);
  assert_near(parley__weighted_spearman(x, y, 3), parley__weighted_spearman(y, x, 3), 1e-15);
}

/* A reversed ranking of 5: rho = -1; r_w: x + y = 6 at every place, so
 * each weight is 2n + 2 - 6 = 6, sum d^2 = 16 + 4 + 0 + 4 + 16 = 40,
 * r_w = 1 - 6 * 6 * 40 / 720 = -1. */
static void test_coefficients__reversed_ranking(void **state) {
  (void)state;
  const double x[] = {1, 2, 3, 4, 5}, y[] = {5, 4, 3, 2, 1};
  assert_near(parley__spearman(x, y, 5), -1, 1e-15);
  assert_near(parley__weighted_spearman(x, y, 5), -1, 1e-15);
  assert_near(parley__spearman(x, x, 5), 1, 1e-15);
  assert_near(parley__weighted_spearman(x, x, 5), 1, 1e-15);
  assert_near(parley__ws(x, x, 5), 1, 1e-15);
}

/* Mid-ranks from competition ranks: (1, 2, 2, 4) -> (1, 2.5, 2.5, 4),
 * (1, 1, 3, 4) -> (1.5, 1.5, 3, 4), (3, 1, 1, 1) -> (4, 2, 2, 2). */
static void test_midranks__share_the_places_of_a_tie(void **state) {
  (void)state;
  size_t count[5];
  double out[4];
  const int a[] = {1, 2, 2, 4}, b[] = {1, 1, 3, 4}, c[] = {4, 1, 1, 1};
  const double wa[] = {1, 2.5, 2.5, 4}, wb[] = {1.5, 1.5, 3, 4}, wc[] = {4, 2, 2, 2};
  parley__midranks(a, 4, count, out);
  for (int i = 0; i < 4; i++) assert_near(out[i], wa[i], 0);
  parley__midranks(b, 4, count, out);
  for (int i = 0; i < 4; i++) assert_near(out[i], wb[i], 0);
  parley__midranks(c, 4, count, out);
  for (int i = 0; i < 4; i++) assert_near(out[i], wc[i], 0);
}

/* Spearman's rho with ties: the Pearson correlation of the mid-ranks, by
 * hand.
 *   x = (1, 2.5, 2.5, 4), y = (1, 2, 3, 4): means 2.5; dx = (-1.5, 0, 0, 1.5),
 *   dy = (-1.5, -0.5, 0.5, 1.5); Sxy = 4.5, Sxx = 4.5, Syy = 5;
 *   rho = 4.5 / sqrt(22.5) = sqrt(0.9).
 *   x = (1.5, 1.5, 3, 4), y = (1, 2, 3.5, 3.5): dx = (-1, -1, 0.5, 1.5),
 *   dy = (-1.5, -0.5, 1, 1); Sxy = 4, Sxx = Syy = 4.5; rho = 8/9.
 * And Kendall's tau-b of the second pair: of the 6 pairs, 4 concordant, 1
 * tied in x only, 1 tied in y only: tau_b = 4 / sqrt(5 * 5) = 0.8. */
static void test_spearman__with_ties_is_pearson_of_mid_ranks(void **state) {
  (void)state;
  const double x1[] = {1, 2.5, 2.5, 4}, y1[] = {1, 2, 3, 4};
  const double x2[] = {1.5, 1.5, 3, 4}, y2[] = {1, 2, 3.5, 3.5};
  assert_near(parley__spearman(x1, y1, 4), sqrt(0.9), 1e-15);
  assert_near(parley__spearman(x2, y2, 4), 8.0 / 9, 1e-15);
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  double tau;
  assert_ok(e, parley__kendall_tau_b_knight(e, x2, y2, 4, &tau));
  assert_near(tau, 0.8, 1e-15);
  parley_engine_free(e);
}

/* Degenerate input: one strategy, or rankings that are all ties, give
 * finite, documented values. */
static void test_coefficients__degenerate_input_is_finite(void **state) {
  (void)state;
  const double one[] = {1}, tied[] = {2, 2, 2}, strict[] = {1, 2, 3};
  assert_near(parley__spearman(one, one, 1), 1, 0);
  assert_near(parley__weighted_spearman(one, one, 1), 1, 0);
  assert_near(parley__ws(one, one, 1), 1, 0);
  assert_near(parley__spearman(tied, tied, 3), 1, 0);
  assert_near(parley__spearman(tied, strict, 3), 0, 0);
  assert_true(isfinite(parley__weighted_spearman(tied, strict, 3)));
  assert_true(isfinite(parley__ws(tied, strict, 3)));
  assert_true(isfinite(parley__ws(strict, tied, 3)));
}

/* ---- compromise rankings ---------------------------------------------------------------
 * Two methods, three strategies a, b, c, with a tie:
 *   method 1: a 1, b 2, c 2   (mid-ranks 1, 2.5, 2.5)
 *   method 2: b 1, a 2, c 3
 * Copeland, pair by pair: (a, b): method 1 for a, method 2 for b: drawn.
 * (a, c): both for a.  (b, c): method 1 neither (tied), method 2 for b:
 * b wins 1 to 0.  Scores (wins - losses): a 1, b 1, c -2: a and b share
 * rank 1, c is 3rd.
 * Borda (n = 3, points n - mid-rank): method 1: a 2, b 0.5, c 0.5;
 * method 2: a 1, b 2, c 0.  Scores: a 3, b 2.5, c 0.5: a, b, c. */
static void test_compromise__two_methods_with_a_tie(void **state) {
  (void)state;
  const double mid[] = {1, 2.5, 2.5, /* method 1 */ 2, 1, 3 /* method 2 */};
  double cope[3], borda[3];
  parley__copeland(mid, 2, 3, cope);
  parley__borda(mid, 2, 3, borda);
  const double wc[] = {1, 1, -2}, wb[] = {3, 2.5, 0.5};
  for (int s = 0; s < 3; s++) {
    assert_near(cope[s], wc[s], 0);
    assert_near(borda[s], wb[s], 0);
  }
  size_t order[3];
  int rank[3];
  parley__rank(cope, 3, true, order, rank);
  assert_int_equal(rank[0], 1);
  assert_int_equal(rank[1], 1);
  assert_int_equal(rank[2], 3);
  assert_int_equal(order[2], 2);
}

/* Three methods, four strategies:
 *   method 1: a 1, b 2, c 3, d 4
 *   method 2: b 1, a 2, d 3, c 4
 *   method 3: c 1, d 2, a 3, b 4
 * Majorities: a beats b (methods 1, 3), c (1, 2), d (1, 2); b beats c
 * (1, 2) and d (1, 2); c beats d (1, 3).  Copeland: a 3, b 1, c -1, d -3.
 * Borda (4 - rank): a 3 + 2 + 1 = 6, b 2 + 3 + 0 = 5, c 1 + 0 + 3 = 4,
 * d 0 + 1 + 2 = 3. */
static void test_compromise__three_methods(void **state) {
  (void)state;
  const double mid[] = {1, 2, 3, 4, /* */ 2, 1, 4, 3, /* */ 3, 4, 1, 2};
  double cope[4], borda[4];
  parley__copeland(mid, 3, 4, cope);
  parley__borda(mid, 3, 4, borda);
  const double wc[] = {3, 1, -1, -3}, wb[] = {6, 5, 4, 3};
  for (int s = 0; s < 4; s++) {
    assert_near(cope[s], wc[s], 0);
    assert_near(borda[s], wb[s], 0);
  }
}

/* ---- stage lists ---------------------------------------------------------------------- */
/* The "aggregations" (or "rules") compare gets from the run options, as
 * JSON text, or NULL when the option is one stage. */
static char *listed(parley_engine *e, parley_stage_kind kind, const char *text, int *rc) {
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[kind] = text;
  parley__spec aspec[1];
  const parley__stage *ast[1] = {NULL};
  size_t n = 0;
  memset(aspec, 0, sizeof aspec);
  *rc = parley__compare_options(e, &o, aspec, ast, &n);
  char *out = NULL;
  if (*rc == PARLEY_OK && n == 1) {
    const parley__param *p =
        parley__spec_get(&aspec[0], kind == PARLEY_STAGE_RULE ? "rules" : "aggregations");
    out = p ? strdup(p->text) : NULL;
  }
  if (n == 1) parley__spec_clear(e, &aspec[0]);
  return out;
}

static void expect_list(parley_engine *e, parley_stage_kind kind, const char *text,
                        const char *want) {
  int rc;
  char *got = listed(e, kind, text, &rc);
  if (rc != PARLEY_OK) fail_msg("'%s': %s", text, parley_engine_errmsg(e));
  if (!want && got) fail_msg("'%s' is one stage, but was cut into %s", text, got);
  if (want && (!got || strcmp(got, want) != 0))
    fail_msg("'%s' gave %s, expected %s", text, got ? got : "(one stage)", want);
  free(got);
  /* The first stage is what runs: it parses on its own. */
  parley__spec first;
  assert_ok(e, parley__stage_list_first(e, &first, text, "test"));
  parley__spec_clear(e, &first);
}

static void test_stage_list__commas_between_stages_and_between_parameters(void **state) {
  (void)state;
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  const parley_stage_kind A = PARLEY_STAGE_AGGREGATION, R = PARLEY_STAGE_RULE;
  expect_list(e, A, "topsis,vikor,promethee2", "[\"topsis\", \"vikor\", \"promethee2\"]");
  expect_list(e, A, "topsis", NULL);
  expect_list(e, A, "waspas:lambda=0.3", NULL);
  /* A piece with '=' before any ':' is a parameter of the stage before. */
  expect_list(e, A, "vikor:v=0.3,topsis", "[\"vikor:v=0.3\", \"topsis\"]");
  expect_list(e, A, "topsis,waspas:lambda=0.3,cocoso:lambda=0.7",
              "[\"topsis\", \"waspas:lambda=0.3\", \"cocoso:lambda=0.7\"]");
  expect_list(e, R, "hurwicz:alpha=0.5", NULL);
  expect_list(e, R, "hurwicz:alpha=0.5,maximin", "[\"hurwicz:alpha=0.5\", \"maximin\"]");
  expect_list(e, R, "maximin,hurwicz:alpha=0.5", "[\"maximin\", \"hurwicz:alpha=0.5\"]");
  /* Two parameters of one stage stay one stage; a name after them starts
   * the next. */
  expect_list(e, A, "promethee2:exact_pairwise=1,functions={\"c\":{\"type\":\"usual\"}}", NULL);
  expect_list(e, A, "promethee2:exact_pairwise=1,functions={\"c\":{\"type\":\"usual\"}},wsm",
              "[\"promethee2:exact_pairwise=1,functions={\\\"c\\\":{\\\"type\\\":\\\"usual\\\"}}"
              "\", \"wsm\"]");
  /* Commas inside JSON brackets never cut, strings in them included. */
  expect_list(e, A, "aras:optimal={\"a\":1,\"b,c\":2},topsis",
              "[\"aras:optimal={\\\"a\\\":1,\\\"b,c\\\":2}\", \"topsis\"]");
  parley_engine_free(e);
}

static void expect_bad_list(parley_engine *e, const char *text, const char *words) {
  parley__spec first;
  int rc = parley__stage_list_first(e, &first, text, "--aggregation");
  if (rc == PARLEY_OK) {
    parley__spec_clear(e, &first);
    fail_msg("'%s' was accepted", text);
  }
  if (!strstr(parley_engine_errmsg(e), words))
    fail_msg("'%s': message '%s' lacks '%s'", text, parley_engine_errmsg(e), words);
}

static void test_stage_list__malformed_lists_are_refused(void **state) {
  (void)state;
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  expect_bad_list(e, "topsis,,vikor", "empty stage");
  expect_bad_list(e, "topsis,", "empty stage");
  expect_bad_list(e, ",topsis", "empty stage");
  expect_bad_list(e, "alpha=0.5,hurwicz", "'alpha=0.5' is a parameter");
  /* An unknown stage in a list fails before anything runs. */
  int rc;
  char *got = listed(e, PARLEY_STAGE_AGGREGATION, "topsis,nosuch", &rc);
  assert_null(got);
  assert_int_equal(rc, PARLEY_ENOTFOUND);
  assert_contains(parley_engine_errmsg(e), "unknown aggregation 'nosuch'");
  parley_engine_free(e);
}

/* ---- the analysis end to end ----------------------------------------------------------
 * One criterion, two scenarios without probabilities, three strategies:
 *            good  bad      minmax over [0, 10]: r = x / 10
 *      a      10    0       a (1, 0)
 *      b       6    4       b (0.6, 0.4)
 *      c       3    3       c (0.3, 0.3)
 * maximax: a 1, b 0.6, c 0.3    -> a 1, b 2, c 3
 * maximin: a 0, b 0.4, c 0.3    -> b 1, c 2, a 3
 * laplace: a 0.5, b 0.5, c 0.3  -> a 1, b 1, c 3 (mid-ranks 1.5, 1.5, 3)
 * Between maximax (1, 2, 3) and maximin (3, 1, 2), over a, b, c:
 *   rho = -1/2 (dx = (-1, 0, 1), dy = (1, -1, 0), Sxy = -1, Sxx = Syy = 2);
 *   r_w: d^2 (2n + 2 - x - y) = 4 * 4 + 1 * 5 + 1 * 3 = 24, 1 - 6 * 24 / 96 = -1/2;
 *   WS = 0.1875 with maximax as the reference, 0.375 the other way (above);
 *   tau: (a, b) and (a, c) discordant, (b, c) concordant: -1/3.
 * Between maximax and laplace: rho = 1.5 / sqrt(2 * 1.5) = sqrt(3)/2;
 *   tau: one pair tied in laplace, two concordant: 2 / sqrt(3 * 2).
 * Between maximin and laplace: dx = (1, -1, 0), dy = (-0.5, -0.5, 1): rho 0.
 * Copeland: (a, b) one method each and one tie: drawn; (a, c) a 2 to 1;
 *   (b, c) b 3 to 0: a 1, b 1, c -2.
 * Borda (3 - mid-rank): a 2 + 0 + 1.5 = 3.5, b 1 + 2 + 1.5 = 4.5, c 0 + 1 + 0 = 1. */
static const char rules_model[] =
    "{\"parley\": 1, \"name\": \"rules\","
    " \"criteria\": [{\"id\": \"gain\", \"direction\": \"max\", \"weight\": 1}],"
    " \"strategies\": [{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}],"
    " \"scenarios\": [{\"id\": \"good\"}, {\"id\": \"bad\"}],"
    " \"outcomes\": {\"a\": {\"good\": {\"gain\": 10}, \"bad\": {\"gain\": 0}},"
    "              \"b\": {\"good\": {\"gain\": 6}, \"bad\": {\"gain\": 4}},"
    "              \"c\": {\"good\": {\"gain\": 3}, \"bad\": {\"gain\": 3}}}}";

static cJSON *run_compare(parley_engine *e, const char *model_text, const char *aggregation,
                          const char *rule, const char *normalization, parley_result **out) {
  parley_model *m = NULL;
  assert_ok(e, parley_model_parse(e, &m, model_text, strlen(model_text), "model.json", NULL));
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[PARLEY_STAGE_AGGREGATION] = aggregation;
  o.stage[PARLEY_STAGE_RULE] = rule;
  o.stage[PARLEY_STAGE_NORMALIZATION] = normalization;
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, &o, &r));
  parley_model_free(m);
  const char *json = parley_result_analysis(r, "compare");
  assert_non_null(json);
  cJSON *x = cJSON_Parse(json);
  assert_non_null(x);
  *out = r;
  return x;
}

static double at(const cJSON *x, const char *matrix, int i, int j) {
  const cJSON *sim = cJSON_GetObjectItem(x, "similarity");
  const cJSON *mat = cJSON_GetObjectItem(sim, matrix);
  return cJSON_GetArrayItem(cJSON_GetArrayItem(mat, i), j)->valuedouble;
}

/* The rank of strategy id in ranking list l. */
static int rank_in(const cJSON *l, const char *id) {
  for (const cJSON *p = l ? l->child : NULL; p; p = p->next)
    if (strcmp(cJSON_GetObjectItem(p, "strategy")->valuestring, id) == 0)
      return cJSON_GetObjectItem(p, "rank")->valueint;
  fail_msg("no strategy '%s'", id);
  return 0;
}

static void test_analysis__compares_rules_as_worked_by_hand(void **state) {
  (void)state;
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_result *r;
  cJSON *x = run_compare(e, rules_model, NULL, "maximax,maximin,laplace", NULL, &r);
  /* The first rule is the run's. */
  assert_string_equal(parley_result_stage(r, PARLEY_STAGE_RULE), "maximax");
  const cJSON *methods = cJSON_GetObjectItem(x, "methods");
  assert_int_equal(cJSON_GetArraySize(methods), 3);
  assert_string_equal(cJSON_GetArrayItem(methods, 0)->valuestring, "maximax");
  assert_string_equal(cJSON_GetArrayItem(methods, 1)->valuestring, "maximin");
  assert_string_equal(cJSON_GetArrayItem(methods, 2)->valuestring, "laplace");
  const cJSON *rk = cJSON_GetObjectItem(x, "rankings");
  const cJSON *mx = cJSON_GetObjectItem(rk, "maximax"), *mn = cJSON_GetObjectItem(rk, "maximin"),
              *lp = cJSON_GetObjectItem(rk, "laplace");
  assert_int_equal(rank_in(mx, "a"), 1);
  assert_int_equal(rank_in(mx, "c"), 3);
  assert_int_equal(rank_in(mn, "b"), 1);
  assert_int_equal(rank_in(mn, "a"), 3);
  assert_int_equal(rank_in(lp, "a"), 1);
  assert_int_equal(rank_in(lp, "b"), 1);
  assert_int_equal(rank_in(lp, "c"), 3);
  assert_near(at(x, "spearman", 0, 1), -0.5, 1e-12);
  assert_near(at(x, "spearman", 1, 0), -0.5, 1e-12);
  assert_near(at(x, "weighted_spearman", 0, 1), -0.5, 1e-12);
  assert_near(at(x, "ws", 0, 1), 0.1875, 1e-12);
  assert_near(at(x, "ws", 1, 0), 0.375, 1e-12);
  assert_near(at(x, "kendall", 0, 1), -1.0 / 3, 1e-12);
  assert_near(at(x, "spearman", 0, 2), sqrt(3) / 2, 1e-12);
  assert_near(at(x, "kendall", 0, 2), 2 / sqrt(6), 1e-12);
  assert_near(at(x, "spearman", 1, 2), 0, 1e-12);
  for (int i = 0; i < 3; i++) assert_near(at(x, "ws", i, i), 1, 0);
  const cJSON *cm = cJSON_GetObjectItem(x, "compromise");
  const cJSON *cope = cJSON_GetObjectItem(cm, "copeland");
  const cJSON *borda = cJSON_GetObjectItem(cm, "borda");
  assert_int_equal(rank_in(cope, "a"), 1);
  assert_int_equal(rank_in(cope, "b"), 1);
  assert_int_equal(rank_in(cope, "c"), 3);
  assert_near(cJSON_GetObjectItem(cope->child, "score")->valuedouble, 1, 0);
  assert_int_equal(rank_in(borda, "b"), 1);
  assert_int_equal(rank_in(borda, "a"), 2);
  assert_int_equal(rank_in(borda, "c"), 3);
  assert_near(cJSON_GetObjectItem(borda->child, "score")->valuedouble, 4.5, 0);
  /* The text report has the section. */
  const char *text = parley_result_analysis_text(r, "compare");
  assert_contains(text, "Comparing rankings (3 methods");
  assert_contains(text, "WS coefficient (row: the reference ranking)");
  cJSON_Delete(x);
  parley_result_free(r);
  parley_engine_free(e);
}

/* Each method's ranking is the one a run with that aggregation alone
 * gives, and the first is the run's own. */
static void test_analysis__each_ranking_is_that_of_its_own_run(void **state) {
  (void)state;
  char *path = NULL;
  size_t n = strlen(PARLEY_SOURCE_DIR) + 64;
  path = malloc(n);
  assert_non_null(path);
  snprintf(path, n, "%s/scripts/alaska-talks.json", PARLEY_SOURCE_DIR);
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = NULL;
  assert_ok(e, parley_model_load(e, &m, path));
  const char *aggs[] = {"topsis", "vikor", "promethee2", "wsm"};
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[PARLEY_STAGE_AGGREGATION] = "topsis,vikor,promethee2,wsm";
  parley_result *all = NULL;
  assert_ok(e, parley_run(e, m, &o, &all));
  assert_string_equal(parley_result_stage(all, PARLEY_STAGE_AGGREGATION), "topsis");
  cJSON *x = analysis_json(all, "compare");
  const cJSON *rk = cJSON_GetObjectItem(x, "rankings");
  size_t ns = parley_model_count(m, PARLEY_STRATEGIES);
  for (int j = 0; j < 4; j++) {
    parley_run_options one = PARLEY_RUN_OPTIONS_INIT;
    one.stage[PARLEY_STAGE_AGGREGATION] = aggs[j];
    parley_result *r = NULL;
    assert_ok(e, parley_run(e, m, &one, &r));
    assert_null(parley_result_analysis(r, "compare"));
    const cJSON *l = cJSON_GetObjectItem(rk, aggs[j]);
    assert_int_equal((size_t)cJSON_GetArraySize(l), ns);
    for (size_t i = 0; i < ns; i++) {
      size_t s;
      double score;
      int rank;
      assert_ok(e, parley_result_ranking(r, i, &s, &score, &rank));
      const cJSON *p = cJSON_GetArrayItem(l, (int)i);
      assert_string_equal(cJSON_GetObjectItem(p, "strategy")->valuestring,
                          parley_model_id(m, PARLEY_STRATEGIES, s));
      assert_int_equal(cJSON_GetObjectItem(p, "rank")->valueint, rank);
      assert_near(cJSON_GetObjectItem(p, "score")->valuedouble, score,
                  1e-12 * fmax(1, fabs(score)));
    }
    parley_result_free(r);
  }
  /* VIKOR's score is better when lower. */
  const cJSON *ord = cJSON_GetObjectItem(x, "order");
  assert_string_equal(cJSON_GetObjectItem(ord, "vikor")->valuestring, "ascending");
  assert_string_equal(cJSON_GetObjectItem(ord, "topsis")->valuestring, "descending");
  /* The model has two actors: their similarity is there too, and the
   * result's actor agreement carries the other coefficients. */
  const cJSON *act = cJSON_GetObjectItem(x, "actors");
  assert_non_null(act);
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(act, "ids")), 2);
  char *doc = NULL;
  assert_ok(e, parley_result_format(e, all, "json", &doc, NULL));
  cJSON *d = cJSON_Parse(doc);
  const cJSON *agr = cJSON_GetObjectItem(d, "actor_agreement");
  assert_non_null(cJSON_GetObjectItem(agr, "spearman"));
  assert_non_null(cJSON_GetObjectItem(agr, "weighted_spearman"));
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(agr, "ws")), 2);
  const cJSON *pair = cJSON_GetObjectItem(agr, "kendall_tau")->child;
  double tau = cJSON_GetObjectItem(pair, "tau")->valuedouble;
  assert_near(tau, at(act, "kendall", 0, 1), 1e-12);
  cJSON_Delete(d);
  parley_free(e, doc);
  cJSON_Delete(x);
  parley_result_free(all);
  parley_model_free(m);
  parley_engine_free(e);
  free(path);
}

/* Two actors, each weighing one criterion only, rank the strategies as
 * maximax and maximin do above: us a, b, c; them b, c, a (minmax of
 * gain 3, 2, 1 and of reach 1, 3, 2).  So rho = r_w = -1/2, WS = 0.1875
 * with us as the reference and 0.375 the other way. */
static const char actors_model[] =
    "{\"parley\": 1, \"name\": \"actors\","
    " \"criteria\": [{\"id\": \"gain\", \"direction\": \"max\", \"weight\": 1},"
    "                {\"id\": \"reach\", \"direction\": \"max\", \"weight\": 1}],"
    " \"strategies\": [{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}],"
    " \"actors\": [{\"id\": \"us\", \"weights\": {\"gain\": 1, \"reach\": 0}},"
    "              {\"id\": \"them\", \"weights\": {\"gain\": 0, \"reach\": 1}}],"
    " \"outcomes\": {\"a\": {\"gain\": 3, \"reach\": 1}, \"b\": {\"gain\": 2, \"reach\": 3},"
    "              \"c\": {\"gain\": 1, \"reach\": 2}}}";

static void test_actor_similarity__as_worked_by_hand(void **state) {
  (void)state;
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_result *r;
  cJSON *x = run_compare(e, actors_model, "wsm,topsis", NULL, NULL, &r);
  const cJSON *act = cJSON_GetObjectItem(x, "actors");
  assert_near(at(act, "spearman", 0, 1), -0.5, 1e-12);
  assert_near(at(act, "weighted_spearman", 1, 0), -0.5, 1e-12);
  assert_near(at(act, "ws", 0, 1), 0.1875, 1e-12);
  assert_near(at(act, "ws", 1, 0), 0.375, 1e-12);
  assert_near(at(act, "kendall", 0, 1), -1.0 / 3, 1e-12);
  char *doc = NULL;
  assert_ok(e, parley_result_format(e, r, "json", &doc, NULL));
  cJSON *d = cJSON_Parse(doc);
  const cJSON *agr = cJSON_GetObjectItem(d, "actor_agreement");
  const cJSON *ws = cJSON_GetObjectItem(agr, "ws");
  assert_string_equal(cJSON_GetObjectItem(ws->child, "reference")->valuestring, "us");
  assert_near(cJSON_GetObjectItem(ws->child, "ws")->valuedouble, 0.1875, 1e-12);
  assert_near(cJSON_GetObjectItem(ws->child->next, "ws")->valuedouble, 0.375, 1e-12);
  const cJSON *rho = cJSON_GetObjectItem(agr, "spearman")->child;
  assert_near(cJSON_GetObjectItem(rho, "rho")->valuedouble, -0.5, 1e-12);
  cJSON_Delete(d);
  parley_free(e, doc);
  cJSON_Delete(x);
  parley_result_free(r);
  parley_engine_free(e);
}

/* A raw-values aggregation runs first (its own normalization is "none"):
 * the others still get a normalization, the run option's when given, else
 * the default minmax. */
static void test_analysis__normalization_of_the_other_methods(void **state) {
  (void)state;
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_result *r;
  cJSON *x = run_compare(e, actors_model, "vikor,topsis", NULL, "vector", &r);
  assert_string_equal(parley_result_stage(r, PARLEY_STAGE_NORMALIZATION), "none");
  assert_string_equal(cJSON_GetObjectItem(x, "normalization")->valuestring, "vector");
  cJSON_Delete(x);
  parley_result_free(r);
  x = run_compare(e, actors_model, "vikor,topsis", NULL, NULL, &r);
  assert_string_equal(cJSON_GetObjectItem(x, "normalization")->valuestring, "minmax");
  cJSON_Delete(x);
  parley_result_free(r);
  parley_engine_free(e);
}

/* Asked for as an analysis, with its lists as JSON: strings and objects. */
static void test_analysis__lists_as_parameters(void **state) {
  (void)state;
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  parley_model *m = NULL;
  assert_ok(e, parley_model_parse(e, &m, rules_model, strlen(rules_model), "model.json", NULL));
  const char *an[] = {"compare:aggregations=[\"wsm\",{\"name\":\"waspas\",\"lambda\":0.3}],"
                      "rules=[\"maximin\",\"hurwicz:alpha=0.5\"]"};
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.analyses = an;
  o.n_analyses = 1;
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, &o, &r));
  cJSON *x = analysis_json(r, "compare");
  const cJSON *methods = cJSON_GetObjectItem(x, "methods");
  assert_int_equal(cJSON_GetArraySize(methods), 4);
  assert_string_equal(cJSON_GetArrayItem(methods, 0)->valuestring, "wsm+maximin");
  assert_string_equal(cJSON_GetArrayItem(methods, 3)->valuestring,
                      "waspas:lambda=0.3+hurwicz:alpha=0.5");
  cJSON_Delete(x);
  parley_result_free(r);
  /* A method listed twice, an unknown one, and a rule that needs
   * probabilities on a model without them are refused by name. */
  const char *bad[][2] = {
    {"compare:aggregations=[\"wsm\",\"wsm\"]", "listed twice"},
    {"compare:aggregations=[\"wsm\",\"nosuch\"]", "unknown aggregation 'nosuch'"},
    {"compare:rules=[\"expected\"]", "needs scenario probabilities"},
    {"compare:aggregations=[]", "non-empty list"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    o.analyses = &bad[i][0];
    r = NULL;
    int rc = parley_run(e, m, &o, &r);
    assert_int_not_equal(rc, PARLEY_OK);
    assert_null(r);
    if (!strstr(parley_engine_errmsg(e), bad[i][1]))
      fail_msg("%s: '%s' lacks '%s'", bad[i][0], parley_engine_errmsg(e), bad[i][1]);
  }
  parley_model_free(m);
  parley_engine_free(e);
}

/* ---- allocation failure ------------------------------------------------------------------
 * An allocator that fails its Nth call (failing_alloc, fixture.h) and
 * counts the blocks alive: for every N until the run and both formats
 * succeed, the comparison fails with PARLEY_ENOMEM, leaks nothing, and the
 * engine is still usable. */
static void test_analysis__survives_every_allocation_failure(void **state) {
  (void)state;
  bool done = false;
  for (size_t n = 1; !done && n < 100000; n++) {
    failing f = {0};
    parley_engine *e = NULL;
    assert_int_equal(failing_engine_new(&e, &f), PARLEY_OK);
    parley_model *m = NULL;
    assert_ok(e, parley_model_parse(e, &m, actors_model, strlen(actors_model), "m.json", NULL));
    f.fail_at = f.calls + n;
    parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
    o.stage[PARLEY_STAGE_AGGREGATION] = "wsm,topsis,vikor";
    parley_result *r = NULL;
    int rc = parley_run(e, m, &o, &r);
    char *json = NULL, *text = NULL;
    if (rc == PARLEY_OK) rc = parley_result_format(e, r, "json", &json, NULL);
    if (rc == PARLEY_OK) rc = parley_result_format(e, r, "text", &text, NULL);
    if (rc == PARLEY_OK) {
      /* Done once a pass succeeds with no call failed: a pass that
       * survived its failed call (a fallback) still has later calls to
       * fail. */
      done = f.failed == 0;
      assert_contains(json, "\"compare\"");
      assert_contains(text, "Comparing rankings");
    } else {
      if (rc != PARLEY_ENOMEM) fail_msg("failing call %zu: %d %s", n, rc, parley_engine_errmsg(e));
      /* Still usable once memory is there again. */
      f.fail_at = 0;
      parley_result *again = NULL;
      assert_ok(e, parley_run(e, m, &o, &again));
      parley_result_free(again);
    }
    parley_free(e, json);
    parley_free(e, text);
    parley_result_free(r);
    parley_model_free(m);
    parley_engine_free(e);
    if (f.live != 0) fail_msg("failing call %zu: %ld blocks leaked", n, f.live);
  }
  assert_true(done);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_coefficients__match_salabun_urbaniak_2020),
    cmocka_unit_test(test_coefficients__match_paradowski_2021),
    cmocka_unit_test(test_ws__is_not_symmetric_the_reference_comes_first),
    cmocka_unit_test(test_coefficients__reversed_ranking),
    cmocka_unit_test(test_midranks__share_the_places_of_a_tie),
    cmocka_unit_test(test_spearman__with_ties_is_pearson_of_mid_ranks),
    cmocka_unit_test(test_coefficients__degenerate_input_is_finite),
    cmocka_unit_test(test_compromise__two_methods_with_a_tie),
    cmocka_unit_test(test_compromise__three_methods),
    cmocka_unit_test(test_stage_list__commas_between_stages_and_between_parameters),
    cmocka_unit_test(test_stage_list__malformed_lists_are_refused),
    cmocka_unit_test(test_analysis__compares_rules_as_worked_by_hand),
    cmocka_unit_test(test_analysis__each_ranking_is_that_of_its_own_run),
    cmocka_unit_test(test_actor_similarity__as_worked_by_hand),
    cmocka_unit_test(test_analysis__normalization_of_the_other_methods),
    cmocka_unit_test(test_analysis__lists_as_parameters),
    cmocka_unit_test(test_analysis__survives_every_allocation_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
