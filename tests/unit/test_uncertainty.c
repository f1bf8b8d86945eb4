/*
 * test_uncertainty.c — the analyses that draw: Monte Carlo ("montecarlo")
 * and SMAA-2 ("smaa"), through the public API only (models built in code,
 * run with parley_run_options.analyses, read back from
 * parley_result_analysis with cJSON).
 *
 * What is checked, and against what:
 *  - determinism: the whole result document is the same byte for byte at 1,
 *    2 and 8 threads, and differs under another seed;
 *  - Monte Carlo against closed forms (a normal and a uniform outcome, a
 *    Dirichlet over scenario probabilities and over weights), allowing five
 *    standard errors, each derived where it is used;
 *  - SMAA-2 against the two-alternative, two-criterion case worked out by
 *    hand below, the three-alternative "each best on one criterion" case
 *    whose numbers are the expected spacings of uniform order statistics,
 *    the same under an ordinal ranking of the criteria and under weight
 *    intervals, and the dominance case of the R package smaa's own tests;
 *  - stopping through the progress callback, a failing draw, a model with
 *    nothing uncertain, and allocation failures injected at every
 *    allocation while worker threads run.
 *
 * A fixed seed makes every run repeat exactly, so a 5-SE bound either holds
 * for good or fails for good; it is not a flaky test.  Five standard errors
 * are passed by chance once in 1.7 million.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"
#include "fixture.h"

/* The standard normal's 0.95 quantile, z such that Phi(z) = 0.95
 * (Abramowitz & Stegun 1964, Table 26.5; 1.6448536269514722 to 17
 * digits). */
#define Z95 1.6448536269514722

static double normal_cdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }
static double normal_pdf(double x) { return exp(-0.5 * x * x) / sqrt(2 * acos(-1.0)); }

static parley_engine *new_engine(void) {
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  return e;
}

static parley_dist normal(double mean, double sd) {
  return (parley_dist){.kind = PARLEY_DIST_NORMAL, .a = mean, .b = sd};
}
static parley_dist uniform(double lo, double hi) {
  return (parley_dist){.kind = PARLEY_DIST_UNIFORM, .a = lo, .b = hi};
}

/* Runs one analysis (spec) at a seed and a thread count; the result or the
 * code.  progress may be NULL. */
static int run_one(parley_engine *e, parley_model *m, const char *spec, uint64_t seed,
                   int threads, parley_progress_fn progress, void *ud, parley_result **out) {
  const char *analyses[1] = {spec};
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.analyses = analyses;
  o.n_analyses = 1;
  o.seed = seed;
  o.threads = threads;
  o.progress = progress;
  o.progress_ud = ud;
  return parley_run(e, m, &o, out);
}

static const cJSON *item(const cJSON *x, const char *a, const char *b) {
  x = cJSON_GetObjectItemCaseSensitive(x, a);
  return b ? cJSON_GetObjectItemCaseSensitive(x, b) : x;
}

/* Element i of the array at x.a.b. */
static double at(const cJSON *x, const char *a, const char *b, int i) {
  const cJSON *v = cJSON_GetArrayItem(item(x, a, b), i);
  if (!cJSON_IsNumber(v)) fail_msg("expected a number at %s.%s[%d]", a, b, i);
  return v->valuedouble;
}

/* Reads rank_probabilities[i] of a strategy: "strategies".s."rank_probabilities". */
static double rank_p(const cJSON *mc, const char *s, int i) {
  const cJSON *v = item(item(mc, "strategies", s), "rank_probabilities", NULL);
  v = cJSON_GetArrayItem(v, i);
  if (!cJSON_IsNumber(v)) fail_msg("no rank_probabilities[%d] for %s", i, s);
  return v->valuedouble;
}

/* ---- models --------------------------------------------------------------- */
/* One criterion "v" (max, weight 1) and no scenarios; normalization none,
 * aggregation wsm: a strategy's score is its value, to the bit (1 * x). */
static parley_model *one_criterion(parley_engine *e, const char *agg) {
  parley_model *m = NULL;
  assert_ok(e, parley_model_new(e, &m, "one criterion"));
  assert_ok(e, parley_model_add_criterion(m, "v", NULL, PARLEY_MAX, 1));
  assert_ok(e, parley_model_add_strategy(m, "x", NULL));
  assert_ok(e, parley_model_add_strategy(m, "y", NULL));
  assert_ok(e, parley_model_set_stage(m, PARLEY_STAGE_NORMALIZATION, "none"));
  assert_ok(e, parley_model_set_stage(m, PARLEY_STAGE_AGGREGATION, agg));
  return m;
}

/* Two criteria c1, c2 (max), strategies given by rows of values, weighting
 * equal, normalization none, aggregation wsm: strategy s scores
 * w1 v[s][0] + w2 v[s][1] (+ w3 v[s][2]). */
static parley_model *smaa_model(parley_engine *e, size_t ns, size_t nc, const double *v) {
  static const char *const sid[] = {"a", "b", "c"}, *const cid[] = {"c1", "c2", "c3"};
  parley_model *m = NULL;
  assert_ok(e, parley_model_new(e, &m, "smaa"));
  for (size_t c = 0; c < nc; c++)
    assert_ok(e, parley_model_add_criterion(m, cid[c], NULL, PARLEY_MAX, 1));
  for (size_t s = 0; s < ns; s++) assert_ok(e, parley_model_add_strategy(m, sid[s], NULL));
  for (size_t s = 0; s < ns; s++)
    for (size_t c = 0; c < nc; c++)
      assert_ok(e, parley_model_set_outcome(m, sid[s], NULL, cid[c], v[s * nc + c]));
  assert_ok(e, parley_model_set_stage(m, PARLEY_STAGE_WEIGHTING, "equal"));
  assert_ok(e, parley_model_set_stage(m, PARLEY_STAGE_NORMALIZATION, "none"));
  assert_ok(e, parley_model_set_stage(m, PARLEY_STAGE_AGGREGATION, "wsm"));
  return m;
}

/* A model with every kind of draw: three strategies, two scenarios with
 * probabilities, two criteria (one a cost), and an uncertain cell of each
 * distribution. */
static parley_model *mixed_model(parley_engine *e) {
  parley_model *m = NULL;
  assert_ok(e, parley_model_new(e, &m, "mixed"));
  assert_ok(e, parley_model_add_criterion(m, "gain", NULL, PARLEY_MAX, 2));
  assert_ok(e, parley_model_add_criterion(m, "cost", NULL, PARLEY_MIN, 1));
  assert_ok(e, parley_model_add_strategy(m, "a", NULL));
  assert_ok(e, parley_model_add_strategy(m, "b", NULL));
  assert_ok(e, parley_model_add_strategy(m, "c", NULL));
  assert_ok(e, parley_model_add_scenario(m, "good", NULL, 0.4));
  assert_ok(e, parley_model_add_scenario(m, "bad", NULL, 0.6));
  static const double values[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  static const char *const s[] = {"a", "b", "c"}, *const k[] = {"good", "bad"};
  static const char *const c[] = {"gain", "cost"};
  for (int i = 0; i < 12; i++)
    assert_ok(e, parley_model_set_outcome(m, s[i / 4], k[(i / 2) % 2], c[i % 2], values[i]));
  static const double dv[] = {2, 6}, dp[] = {0.5, 0.5};
  parley_dist d[] = {
    normal(5, 1), uniform(1, 4),
    {.kind = PARLEY_DIST_TRIANGULAR, .a = 2, .b = 3, .c = 7},
    {.kind = PARLEY_DIST_PERT, .a = 6, .b = 8, .c = 12},
    {.kind = PARLEY_DIST_LOGNORMAL, .a = 1, .b = 0.3},
    {.kind = PARLEY_DIST_DISCRETE, .values = dv, .p = dp, .n = 2}};
  for (int i = 0; i < 6; i++)
    assert_ok(e, parley_model_set_outcome_dist(m, s[i / 2], k[i % 2], c[(i / 2 + i) % 2], &d[i]));
  return m;
}

/* ---- determinism ------------------------------------------------------------ */
static char *document(parley_engine *e, parley_model *m, const char *spec, uint64_t seed,
                      int threads) {
  parley_result *r = NULL;
  assert_ok(e, run_one(e, m, spec, seed, threads, NULL, NULL, &r));
  char *json = NULL;
  assert_ok(e, parley_result_format(e, r, "json", &json, NULL));
  parley_result_free(r);
  return json;
}

static void same_at_any_thread_count(const char *spec) {
  parley_engine *e = new_engine();
  parley_model *m = mixed_model(e);
  char *one = document(e, m, spec, 7, 1);
  const int threads[] = {2, 8};
  for (int t = 0; t < 2; t++) {
    char *many = document(e, m, spec, 7, threads[t]);
    if (strcmp(one, many) != 0)
      fail_msg("%s: the document at %d threads differs from the one at 1", spec, threads[t]);
    parley_free(e, many);
  }
  char *other = document(e, m, spec, 8, 8);
  assert_string_not_equal(one, other);
  parley_free(e, other);
  parley_free(e, one);
  parley_model_free(m);
  parley_engine_free(e);
}

static void test_montecarlo__same_bytes_at_1_2_8_threads(void **state) {
  (void)state;
  /* 5000 draws are 20 blocks of 256: every one of 8 threads gets work, and
   * the last block is a short one. */
  same_at_any_thread_count("montecarlo:n=5000,probabilities=20,weights=50");
}

static void test_smaa__same_bytes_at_1_2_8_threads(void **state) {
  (void)state;
  same_at_any_thread_count("smaa:n=5000");
  same_at_any_thread_count("smaa:n=3000,ranking=[\"cost\",\"gain\"],"
                           "intervals={\"gain\":[0.1,0.7]}");
}

/* ---- Monte Carlo against closed forms ------------------------------------------ */
/* x ~ normal(mu = 10, sd = 2), y fixed at c = 11.  Over n draws:
 *  - mean: its standard error is sd / sqrt(n);
 *  - sd: the sample variance of a normal has variance 2 sd^4 / (n - 1), so
 *    by the delta method the sample sd has standard error
 *    sd / sqrt(2 (n - 1)) (Cramér 1946, ch. 27);
 *  - quantiles: the sketch returns, within relative accuracy 0.005, the
 *    sample quantile, which itself lies within sqrt(q (1 - q) / n) / f(x_q)
 *    of the normal's mu + z_q sd (one standard error; Cramér 1946, ch. 28),
 *    f the normal density, f(x_q) = phi(z_q) / sd;
 *  - rank 1 for x is x > c: P = 1 - Phi((c - mu) / sd) = 1 - Phi(0.5) =
 *    0.30854, with standard error sqrt(P (1 - P) / n);
 *  - y is fixed: mean 11 and sd 0 exactly, its quantiles 11 exactly. */
static void test_montecarlo__normal_outcome_matches_closed_forms(void **state) {
  (void)state;
  const double mu = 10, sd = 2, c = 11, n = 200000;
  parley_engine *e = new_engine();
  parley_model *m = one_criterion(e, "wsm");
  parley_dist d = normal(mu, sd);
  assert_ok(e, parley_model_set_outcome_dist(m, "x", NULL, "v", &d));
  assert_ok(e, parley_model_set_outcome(m, "y", NULL, "v", c));
  parley_result *r = NULL;
  assert_ok(e, run_one(e, m, "montecarlo:n=200000", 11, 4, NULL, NULL, &r));
  cJSON *mc = analysis_json(r, "montecarlo");
  assert_true(json_num(mc, "n", NULL) == n);
  assert_true(json_num(mc, "seed", NULL) == 11);
  assert_true(cJSON_IsFalse(item(mc, "partial", NULL)));

  assert_near(json_num(mc, "strategies", "x", "mean", NULL), mu, 5 * sd / sqrt(n));
  assert_near(json_num(mc, "strategies", "x", "sd", NULL), sd, 5 * sd / sqrt(2 * (n - 1)));
  const char *qk[3] = {"q05", "q50", "q95"};
  const double z[3] = {-Z95, 0, Z95}, q[3] = {0.05, 0.5, 0.95};
  for (int i = 0; i < 3; i++) {
    double want = mu + z[i] * sd;
    double se = sqrt(q[i] * (1 - q[i]) / n) / (normal_pdf(z[i]) / sd);
    assert_near(json_num(mc, "strategies", "x", qk[i], NULL), want, 0.005 * fabs(want) + 5 * se);
  }
  double p = 1 - normal_cdf((c - mu) / sd);
  assert_near(rank_p(mc, "x", 0), p, 5 * sqrt(p * (1 - p) / n));
  assert_true(rank_p(mc, "x", 0) + rank_p(mc, "x", 1) == 1);

  assert_true(json_num(mc, "strategies", "y", "mean", NULL) == c);
  assert_true(json_num(mc, "strategies", "y", "sd", NULL) == 0);
  for (int i = 0; i < 3; i++) assert_true(json_num(mc, "strategies", "y", qk[i], NULL) == c);
  cJSON_Delete(mc);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* x ~ uniform(2, 5): mean (a + b) / 2 = 3.5, variance (b - a)^2 / 12 =
 * 0.75.  The sample variance s^2 has standard error sqrt((mu4 - sd^4) / n)
 * (Cramér 1946, §27.4) with mu4 = (b - a)^4 / 80 = 1.0125 for the
 * uniform, so sqrt((1.0125 - 0.5625) / n).  The quantiles are
 * a + q (b - a): 2.15, 3.5, 4.85, each within the sketch's 0.5 % plus five
 * sample-quantile standard errors sqrt(q (1 - q) / n) (b - a) (density
 * 1 / (b - a)). */
static void test_montecarlo__uniform_outcome_matches_closed_forms(void **state) {
  (void)state;
  const double a = 2, b = 5, n = 100000;
  parley_engine *e = new_engine();
  parley_model *m = one_criterion(e, "wsm");
  parley_dist d = uniform(a, b);
  assert_ok(e, parley_model_set_outcome_dist(m, "x", NULL, "v", &d));
  assert_ok(e, parley_model_set_outcome(m, "y", NULL, "v", 4));
  parley_result *r = NULL;
  assert_ok(e, run_one(e, m, "montecarlo:n=100000", 3, 2, NULL, NULL, &r));
  cJSON *mc = analysis_json(r, "montecarlo");
  double var = (b - a) * (b - a) / 12, mu4 = pow(b - a, 4) / 80;
  assert_near(json_num(mc, "strategies", "x", "mean", NULL), (a + b) / 2, 5 * sqrt(var / n));
  double s = json_num(mc, "strategies", "x", "sd", NULL);
  assert_near(s * s, var, 5 * sqrt((mu4 - var * var) / n));
  const char *qk[3] = {"q05", "q50", "q95"};
  const double q[3] = {0.05, 0.5, 0.95};
  for (int i = 0; i < 3; i++) {
    double want = a + q[i] * (b - a);
    assert_near(json_num(mc, "strategies", "x", qk[i], NULL), want,
                0.005 * want + 5 * sqrt(q[i] * (1 - q[i]) / n) * (b - a));
  }
  /* x beats y = 4 with probability (5 - 4) / 3. */
  assert_near(rank_p(mc, "x", 0), 1.0 / 3, 5 * sqrt((1.0 / 3) * (2.0 / 3) / n));
  cJSON_Delete(mc);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* probabilities=c draws the scenario probabilities from Dirichlet(c p).
 * Strategy x is worth 1 under scenario s1 (p = 0.3) and 0 under s2, so
 * under the expected-value rule its score is the drawn p1 ~ Beta(0.3 c,
 * 0.7 c): mean 0.3, the deterministic score, and variance
 * 0.3 * 0.7 / (c + 1) (Kotz, Balakrishnan & Johnson 2000, ch. 49).  A
 * larger concentration gives a smaller spread: sd 0.1382 at c = 10,
 * 0.04560 at c = 100.  Standard errors: sd / sqrt(n) for the mean; for the
 * sample variance sqrt((mu4 - sd^4) / n) (Cramér 1946, §27.4).  A Beta(a, b)
 * has excess kurtosis 6 [(a - b)^2 (a + b + 1) - ab (a + b + 2)] /
 * [ab (a + b + 2)(a + b + 3)]: -0.139 for Beta(3, 7), -0.014 for
 * Beta(30, 70), both below 0, so mu4 < 3 sd^4 and the standard error of
 * the variance is below sd^2 sqrt(2 / n). */
static void test_montecarlo__dirichlet_probabilities_keep_the_mean(void **state) {
  (void)state;
  const double n = 100000;
  parley_engine *e = new_engine();
  parley_model *m = NULL;
  assert_ok(e, parley_model_new(e, &m, "two scenarios"));
  assert_ok(e, parley_model_add_criterion(m, "v", NULL, PARLEY_MAX, 1));
  assert_ok(e, parley_model_add_strategy(m, "x", NULL));
  assert_ok(e, parley_model_add_strategy(m, "y", NULL));
  assert_ok(e, parley_model_add_scenario(m, "s1", NULL, 0.3));
  assert_ok(e, parley_model_add_scenario(m, "s2", NULL, 0.7));
  assert_ok(e, parley_model_set_outcome(m, "x", "s1", "v", 1));
  assert_ok(e, parley_model_set_outcome(m, "x", "s2", "v", 0));
  assert_ok(e, parley_model_set_outcome(m, "y", "s1", "v", 0.5));
  assert_ok(e, parley_model_set_outcome(m, "y", "s2", "v", 0.5));
  assert_ok(e, parley_model_set_stage(m, PARLEY_STAGE_NORMALIZATION, "none"));
  assert_ok(e, parley_model_set_stage(m, PARLEY_STAGE_RULE, "expected"));
  const double conc[2] = {10, 100};
  const char *spec[2] = {"montecarlo:n=100000,probabilities=10",
                         "montecarlo:n=100000,probabilities=100"};
  double sd[2];
  for (int i = 0; i < 2; i++) {
    parley_result *r = NULL;
    assert_ok(e, run_one(e, m, spec[i], 5, 3, NULL, NULL, &r));
    assert_true(parley_result_score(r, 0) == 0.3);
    cJSON *mc = analysis_json(r, "montecarlo");
    double var = 0.3 * 0.7 / (conc[i] + 1);
    assert_near(json_num(mc, "strategies", "x", "mean", NULL), 0.3, 5 * sqrt(var / n));
    sd[i] = json_num(mc, "strategies", "x", "sd", NULL);
    assert_near(sd[i] * sd[i], var, 5 * var * sqrt(2 / n));
    /* y is 0.5 whatever the probabilities: its score moves only by the
     * rounding of p1 + p2 = 1. */
    assert_true(json_num(mc, "strategies", "y", "sd", NULL) < 1e-15);
    assert_true(json_num(mc, "draws", "probabilities", NULL) == conc[i]);
    cJSON_Delete(mc);
    parley_result_free(r);
  }
  assert_true(sd[0] > 2 * sd[1]);
  parley_model_free(m);
  parley_engine_free(e);
}

/* weights=c draws the weights from Dirichlet(c w).  With given weights
 * (0.5, 0.5) on c1, c2 and x = (1, 0), x's score is the drawn w1 ~
 * Beta(c/2, c/2): mean 0.5, variance 0.25 / (c + 1); bounds as above
 * (excess kurtosis -0.857 for Beta(2, 2), -0.140 for Beta(20, 20)). */
static void test_montecarlo__dirichlet_weights_spread_the_score(void **state) {
  (void)state;
  const double n = 100000, v[] = {1, 0, 0.5, 0.5};
  parley_engine *e = new_engine();
  parley_model *m = smaa_model(e, 2, 2, v);
  assert_ok(e, parley_model_set_stage(m, PARLEY_STAGE_WEIGHTING, "given"));
  const double conc[2] = {4, 40};
  const char *spec[2] = {"montecarlo:n=100000,weights=4", "montecarlo:n=100000,weights=40"};
  double sd[2];
  for (int i = 0; i < 2; i++) {
    parley_result *r = NULL;
    assert_ok(e, run_one(e, m, spec[i], 9, 2, NULL, NULL, &r));
    cJSON *mc = analysis_json(r, "montecarlo");
    double var = 0.25 / (conc[i] + 1);
    assert_near(json_num(mc, "strategies", "a", "mean", NULL), 0.5, 5 * sqrt(var / n));
    sd[i] = json_num(mc, "strategies", "a", "sd", NULL);
    assert_near(sd[i] * sd[i], var, 5 * var * sqrt(2 / n));
    cJSON_Delete(mc);
    parley_result_free(r);
  }
  assert_true(sd[0] > 2.5 * sd[1]);
  parley_model_free(m);
  parley_engine_free(e);
}

/* Nothing uncertain, nothing drawn: every draw is the deterministic run,
 * so the mean, the three quantiles and the score agree to the bit, sd is 0
 * and the rank probabilities are 0 or 1.  The model is test_api.c's hand
 * model (expected scores a 0.34375, b 0.6875, c 0.40625, ranking b, c, a);
 * 1000 draws make three full blocks and a short one. */
static void test_montecarlo__no_uncertainty_gives_the_deterministic_score(void **state) {
  (void)state;
  static const double hand[3][2][2] = {{{8, 2}, {2, 6}}, {{4, 4}, {4, 2}}, {{6, 0}, {2, 4}}};
  static const char *const s[] = {"a", "b", "c"}, *const k[] = {"good", "bad"};
  static const char *const c[] = {"gain", "cost"};
  parley_engine *e = new_engine();
  parley_model *m = NULL;
  assert_ok(e, parley_model_new(e, &m, "hand"));
  assert_ok(e, parley_model_add_criterion(m, "gain", NULL, PARLEY_MAX, 1));
  assert_ok(e, parley_model_add_criterion(m, "cost", NULL, PARLEY_MIN, 1));
  for (int i = 0; i < 3; i++) assert_ok(e, parley_model_add_strategy(m, s[i], NULL));
  assert_ok(e, parley_model_add_scenario(m, "good", NULL, 0.25));
  assert_ok(e, parley_model_add_scenario(m, "bad", NULL, 0.75));
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 2; j++)
      for (int q = 0; q < 2; q++)
        assert_ok(e, parley_model_set_outcome(m, s[i], k[q], c[j], hand[i][j][q]));
  parley_result *r = NULL;
  assert_ok(e, run_one(e, m, "montecarlo:n=1000", 1, 4, NULL, NULL, &r));
  cJSON *mc = analysis_json(r, "montecarlo");
  const double score[3] = {0.34375, 0.6875, 0.40625};
  const int best_rank[3] = {2, 0, 1}; /* 0-based rank of a, b, c */
  for (int i = 0; i < 3; i++) {
    assert_true(parley_result_score(r, (size_t)i) == score[i]);
    assert_true(json_num(mc, "strategies", s[i], "mean", NULL) == score[i]);
    assert_true(json_num(mc, "strategies", s[i], "sd", NULL) == 0);
    assert_true(json_num(mc, "strategies", s[i], "q05", NULL) == score[i]);
    assert_true(json_num(mc, "strategies", s[i], "q50", NULL) == score[i]);
    assert_true(json_num(mc, "strategies", s[i], "q95", NULL) == score[i]);
    for (int rank = 0; rank < 3; rank++)
      assert_true(rank_p(mc, s[i], rank) == (rank == best_rank[i] ? 1 : 0));
  }
  cJSON_Delete(mc);
  parley_result_free(r);
  parley_model_free(m);

  /* Scores that are not short binary fractions, over 3 draws: in doubles
   * (0.1 * 3) / 3 = 0.10000000000000002 and (0.7 * 3) / 3 =
   * 0.7000000000000001, so a mean merged as sum-then-divide would miss. */
  m = one_criterion(e, "wsm");
  assert_ok(e, parley_model_set_outcome(m, "x", NULL, "v", 0.1));
  assert_ok(e, parley_model_set_outcome(m, "y", NULL, "v", 0.7));
  assert_ok(e, run_one(e, m, "montecarlo:n=3", 1, 2, NULL, NULL, &r));
  mc = analysis_json(r, "montecarlo");
  const char *xy[2] = {"x", "y"};
  for (int i = 0; i < 2; i++) {
    double want = i ? 0.7 : 0.1;
    assert_true(json_num(mc, "strategies", xy[i], "mean", NULL) == want);
    assert_true(json_num(mc, "strategies", xy[i], "sd", NULL) == 0);
    assert_true(json_num(mc, "strategies", xy[i], "q05", NULL) == want);
    assert_true(json_num(mc, "strategies", xy[i], "q95", NULL) == want);
  }
  cJSON_Delete(mc);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* ---- SMAA-2 --------------------------------------------------------------------- */
/* a = (1, 0.3), b = (0, 1) on two criteria, WSM on raw values.  With no
 * weight information w = (w1, 1 - w1), w1 ~ uniform(0, 1) (the uniform
 * simplex in two dimensions).  a scores 0.3 + 0.7 w1, b scores 1 - w1, so
 * a ranks first iff 1.7 w1 > 0.7, w1 > 7/17:
 *   b1(a) = 10/17, b2(a) = 7/17; b1(b) = 7/17, b2(b) = 10/17;
 *   central weights: a: w1 = E[w1 | w1 > 7/17] = (7/17 + 1) / 2 = 12/17,
 *                    b: w1 = E[w1 | w1 < 7/17] = 7/34;
 *   confidence: nothing is uncertain and each strategy wins at its own
 *   central weights (12/17 > 7/17 > 7/34), so 1 and 1;
 *   winning: a beats b with probability 10/17.
 * Standard errors: sqrt(p (1 - p) / n) for a proportion; a central weight
 * is the mean of a uniform over an interval of length L, drawn n b1 times:
 * L / sqrt(12 n b1). */
static void test_smaa__two_alternatives_match_the_hand_computation(void **state) {
  (void)state;
  const double n = 100000, v[] = {1, 0.3, 0, 1};
  parley_engine *e = new_engine();
  parley_model *m = smaa_model(e, 2, 2, v);
  parley_result *r = NULL;
  assert_ok(e, run_one(e, m, "smaa:n=100000", 17, 4, NULL, NULL, &r));
  cJSON *sm = analysis_json(r, "smaa");
  assert_true(json_num(sm, "n", NULL) == n);
  assert_true(cJSON_IsFalse(item(sm, "partial", NULL)));
  double pa = 10.0 / 17, se = sqrt(pa * (1 - pa) / n);
  assert_near(at(sm, "acceptability", "a", 0), pa, 5 * se);
  assert_near(at(sm, "acceptability", "a", 1), 1 - pa, 5 * se);
  assert_near(at(sm, "acceptability", "b", 0), 1 - pa, 5 * se);
  assert_near(at(sm, "acceptability", "b", 1), pa, 5 * se);
  assert_near(json_num(sm, "winning", "a", "b", NULL), pa, 5 * se);
  assert_near(json_num(sm, "winning", "b", "a", NULL), 1 - pa, 5 * se);
  assert_near(json_num(sm, "central_weights", "a", "c1", NULL), 12.0 / 17,
              5 * (10.0 / 17) / sqrt(12 * n * pa));
  assert_near(json_num(sm, "central_weights", "b", "c1", NULL), 7.0 / 34,
              5 * (7.0 / 17) / sqrt(12 * n * (1 - pa)));
  /* Central weights are means of points of the simplex: they sum to 1. */
  assert_near(json_num(sm, "central_weights", "a", "c1", NULL) +
              json_num(sm, "central_weights", "a", "c2", NULL), 1, 1e-12);
  assert_true(json_num(sm, "confidence", "a", NULL) == 1);
  assert_true(json_num(sm, "confidence", "b", NULL) == 1);
  cJSON_Delete(sm);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* The same under the ordinal information w2 >= w1 ("ranking": c2 first):
 * w1 is then uniform on (0, 1/2), and a ranks first iff w1 > 7/17:
 *   b1(a) = (1/2 - 7/17) / (1/2) = 3/17,
 *   central weights: a: w1 = (7/17 + 1/2) / 2 = 31/68, b: w1 = (7/17) / 2 = 7/34.
 * And with the interval 0.2 <= w1 <= 0.6, w1 is uniform on (0.2, 0.6):
 *   b1(a) = (0.6 - 7/17) / 0.4 = 8/17,
 *   central weights: a: w1 = (7/17 + 0.6) / 2, b: w1 = (0.2 + 7/17) / 2. */
static void test_smaa__ordinal_and_interval_weights_match_the_hand_computation(void **state) {
  (void)state;
  const double n = 100000, v[] = {1, 0.3, 0, 1};
  parley_engine *e = new_engine();
  parley_model *m = smaa_model(e, 2, 2, v);
  struct {
    const char *spec;
    double b1, lo, hi; /* b1(a); the range of w1 */
  } cases[] = {
    {"smaa:n=100000,ranking=[\"c2\",\"c1\"]", 3.0 / 17, 0, 0.5},
    {"smaa:n=100000,intervals={\"c1\":[0.2,0.6]}", 8.0 / 17, 0.2, 0.6},
  };
  for (int i = 0; i < 2; i++) {
    parley_result *r = NULL;
    assert_ok(e, run_one(e, m, cases[i].spec, 23, 3, NULL, NULL, &r));
    cJSON *sm = analysis_json(r, "smaa");
    double pa = cases[i].b1, cut = 7.0 / 17, lo = cases[i].lo, hi = cases[i].hi;
    assert_near(at(sm, "acceptability", "a", 0), pa, 5 * sqrt(pa * (1 - pa) / n));
    assert_near(json_num(sm, "central_weights", "a", "c1", NULL), (cut + hi) / 2,
                5 * (hi - cut) / sqrt(12 * n * pa));
    assert_near(json_num(sm, "central_weights", "b", "c1", NULL), (lo + cut) / 2,
                5 * (cut - lo) / sqrt(12 * n * (1 - pa)));
    cJSON_Delete(sm);
    parley_result_free(r);
  }
  parley_model_free(m);
  parley_engine_free(e);
}

/* a = (1, 0, 0), b = (0, 1, 0), c = (0, 0, 1): each strategy scores its
 * own criterion's weight, and wins where that weight is the largest.  By
 * symmetry every rank acceptability is 1/3.  The uniform weights are the
 * spacings of two uniform points of (0, 1), and the k-th largest of n
 * spacings has mean (1/n) sum_{j=k..n} 1/j (Rényi's representation of
 * exponential order statistics; David & Nagaraja 2003): for n = 3 the
 * largest 11/18, the middle 5/18, the smallest 1/9.  So a's central
 * weights are (11/18, 7/36, 7/36), the two others sharing 1 - 11/18
 * equally.  Each weight lies in [0, 1]:
 * standard error below 1 / sqrt(4 n b1) (a variance at most 1/4). */
static void test_smaa__three_alternatives_match_the_expected_spacings(void **state) {
  (void)state;
  const double n = 60000, v[] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  parley_engine *e = new_engine();
  parley_model *m = smaa_model(e, 3, 3, v);
  parley_result *r = NULL;
  assert_ok(e, run_one(e, m, "smaa:n=60000", 31, 8, NULL, NULL, &r));
  cJSON *sm = analysis_json(r, "smaa");
  const char *s[] = {"a", "b", "c"}, *c[] = {"c1", "c2", "c3"};
  double se = sqrt((1.0 / 3) * (2.0 / 3) / n), sw = 1 / sqrt(4 * n / 3);
  for (int i = 0; i < 3; i++) {
    for (int rank = 0; rank < 3; rank++)
      assert_near(at(sm, "acceptability", s[i], rank), 1.0 / 3, 5 * se);
    for (int j = 0; j < 3; j++)
      assert_near(json_num(sm, "central_weights", s[i], c[j], NULL), i == j ? 11.0 / 18 : 7.0 / 36,
                  5 * sw);
    assert_true(json_num(sm, "confidence", s[i], NULL) == 1);
  }
  cJSON_Delete(sm);
  parley_result_free(r);

  /* With w1 >= w2 >= w3 a is always first, b second, c third, and a's
   * central weights are the three mean spacings in order. */
  assert_ok(e, run_one(e, m, "smaa:n=60000,ranking=[\"c1\",\"c2\",\"c3\"]", 31, 8, NULL, NULL,
                       &r));
  sm = analysis_json(r, "smaa");
  for (int i = 0; i < 3; i++)
    for (int rank = 0; rank < 3; rank++)
      assert_true(at(sm, "acceptability", s[i], rank) == (i == rank ? 1 : 0));
  const double spacing[3] = {11.0 / 18, 5.0 / 18, 1.0 / 9};
  for (int j = 0; j < 3; j++)
    assert_near(json_num(sm, "central_weights", "a", c[j], NULL), spacing[j], 5 / sqrt(4 * n));
  assert_true(cJSON_IsNull(item(sm, "central_weights", "b")));
  assert_true(cJSON_IsNull(item(sm, "confidence", "c")));
  assert_true(json_num(sm, "confidence", "a", NULL) == 1);
  assert_true(json_num(sm, "winning", "b", "c", NULL) == 1);
  assert_true(json_num(sm, "winning", "c", "a", NULL) == 0);
  cJSON_Delete(sm);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* With n = 1 the central weights of the one strategy ranked first are the
 * one weight vector drawn.  Over many seeds every drawn vector must meet
 * the constraints exactly: w1 >= w2 >= w3 under the ranking, and the
 * bounds under intervals, and sum to 1. */
static void test_smaa__every_drawn_weight_meets_the_constraints(void **state) {
  (void)state;
  const double v[] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  parley_engine *e = new_engine();
  parley_model *m = smaa_model(e, 3, 3, v);
  const char *spec[2] = {"smaa:n=1,confidence=0,ranking=[\"c3\",\"c1\",\"c2\"]",
                         "smaa:n=1,confidence=0,intervals={\"c1\":[0.1,0.3],\"c3\":[0.4,0.9]}"};
  const char *s[] = {"a", "b", "c"};
  for (int i = 0; i < 2; i++) {
    for (uint64_t seed = 0; seed < 300; seed++) {
      parley_result *r = NULL;
      assert_ok(e, run_one(e, m, spec[i], seed, 1, NULL, NULL, &r));
      cJSON *sm = analysis_json(r, "smaa");
      int winners = 0;
      for (int k = 0; k < 3; k++) {
        const cJSON *cw = item(sm, "central_weights", s[k]);
        if (cJSON_IsNull(cw)) continue;
        winners++;
        double w1 = json_num(cw, "c1", NULL), w2 = json_num(cw, "c2", NULL);
        double w3 = json_num(cw, "c3", NULL);
        assert_near(w1 + w2 + w3, 1, 1e-12);
        if (i == 0) {
          assert_true(w3 >= w1 && w1 >= w2);
        } else {
          assert_true(w1 >= 0.1 && w1 <= 0.3 && w3 >= 0.4 && w3 <= 0.9);
        }
      }
      assert_int_equal(winners, 1);
      cJSON_Delete(sm);
      parley_result_free(r);
    }
  }
  parley_model_free(m);
  parley_engine_free(e);
}

/* The R package smaa (van Valkenhoef, tests/nacw.R): when the first
 * alternative beats the second on every criterion, the second has no
 * central weight vector (NA there; null here) and the first's is the mean
 * weight.  There the weights are fixed at 1/3 each; here they are uniform
 * on the simplex, whose mean is (1/3, 1/3, 1/3), each coordinate with
 * variance (n - 1) / (n^2 (n + 1)) = 1/18 for n = 3. */
static void test_smaa__dominated_alternative_has_no_central_weights(void **state) {
  (void)state;
  const double n = 20000, v[] = {1, 1, 1, 0, 0, 0};
  parley_engine *e = new_engine();
  parley_model *m = smaa_model(e, 2, 3, v);
  parley_result *r = NULL;
  assert_ok(e, run_one(e, m, "smaa:n=20000", 2, 2, NULL, NULL, &r));
  cJSON *sm = analysis_json(r, "smaa");
  assert_true(at(sm, "acceptability", "a", 0) == 1);
  assert_true(at(sm, "acceptability", "b", 1) == 1);
  const char *c[] = {"c1", "c2", "c3"};
  for (int j = 0; j < 3; j++)
    assert_near(json_num(sm, "central_weights", "a", c[j], NULL), 1.0 / 3, 5 * sqrt(1.0 / 18 / n));
  assert_true(cJSON_IsNull(item(sm, "central_weights", "b")));
  assert_true(cJSON_IsNull(item(sm, "confidence", "b")));
  assert_true(json_num(sm, "confidence", "a", NULL) == 1);
  cJSON_Delete(sm);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

static void test_smaa__bad_constraints_are_refused(void **state) {
  (void)state;
  const double v[] = {1, 0.3, 0, 1};
  parley_engine *e = new_engine();
  parley_model *m = smaa_model(e, 2, 2, v);
  parley_result *r = NULL;
  assert_int_equal(run_one(e, m, "smaa:n=10,ranking=[\"c1\",\"nope\"]", 1, 1, NULL, NULL, &r),
                   PARLEY_EINVALID);
  assert_contains(parley_engine_errmsg(e), "ranking[1]");
  assert_int_equal(run_one(e, m, "smaa:n=10,ranking=[\"c1\",\"c1\"]", 1, 1, NULL, NULL, &r),
                   PARLEY_EINVALID);
  assert_contains(parley_engine_errmsg(e), "twice");
  /* Lower bounds summing above 1: no weights at all. */
  assert_int_equal(run_one(e, m, "smaa:n=10,intervals={\"c1\":[0.6,1],\"c2\":[0.5,1]}", 1, 1,
                           NULL, NULL, &r), PARLEY_EINVALID);
  assert_contains(parley_engine_errmsg(e), "intervals");
  assert_int_equal(run_one(e, m, "smaa:n=10,intervals={\"c1\":[0.5,0.2]}", 1, 1, NULL, NULL, &r),
                   PARLEY_EINVALID);
  assert_null(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* ---- stopping ------------------------------------------------------------------- */
typedef struct progress {
  int calls;
  uint64_t last_done, last_total;
} progress;

/* Goes on at the first call, stops at every later one. */
static int stop_after_first(void *ud, const char *name, uint64_t done, uint64_t total) {
  (void)name;
  progress *p = ud;
  p->last_done = done;
  p->last_total = total;
  return p->calls++ >= 1;
}

static void test_stop__progress_callback_gives_a_partial_result(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = mixed_model(e);
  const char *spec[2] = {"montecarlo:n=1000000000", "smaa:n=1000000000"};
  const char *name[2] = {"montecarlo", "smaa"};
  for (int i = 0; i < 2; i++) {
    progress p = {0};
    parley_result *r = NULL;
    assert_ok(e, run_one(e, m, spec[i], 4, 2, stop_after_first, &p, &r));
    assert_true(p.calls >= 2);
    cJSON *x = analysis_json(r, name[i]);
    assert_true(cJSON_IsTrue(item(x, "partial", NULL)));
    double n = json_num(x, "n", NULL);
    assert_true(n >= 256 && n < 1e9);
    assert_true(fmod(n, 256) == 0); /* whole blocks, a prefix of the iterations */
    const char *s[3] = {"a", "b", "c"};
    for (int k = 0; k < 3; k++) {
      if (i == 0) {
        double mean = json_num(x, "strategies", s[k], "mean", NULL);
        double q05 = json_num(x, "strategies", s[k], "q05", NULL);
        double q95 = json_num(x, "strategies", s[k], "q95", NULL);
        assert_true(isfinite(mean) && q05 <= q95 &&
                    json_num(x, "strategies", s[k], "sd", NULL) > 0);
        double sum = 0;
        for (int rank = 0; rank < 3; rank++) sum += rank_p(x, s[k], rank);
        assert_near(sum, 1, 1e-12);
      } else {
        double sum = 0;
        for (int rank = 0; rank < 3; rank++) sum += at(x, "acceptability", s[k], rank);
        assert_near(sum, 1, 1e-12);
      }
    }
    if (i == 1) {
      /* The confidence pass after a stop runs its first block only. */
      double cn = json_num(x, "confidence_n", NULL);
      assert_true(cn >= 1 && cn <= 256);
    }
    cJSON_Delete(x);
    parley_result_free(r);
  }
  parley_model_free(m);
  parley_engine_free(e);
}

/* ---- a failing draw ----------------------------------------------------------- */
/* WPM needs values > 0.  x ~ uniform(-1, 3) has mean 1, so the
 * deterministic run is fine, but a quarter of the draws are <= 0.  The
 * failure names the analysis and the first failing iteration, which is
 * the same whatever the number of threads; the engine runs on afterwards. */
static void test_failure__a_failing_draw_names_analysis_and_iteration(void **state) {
  (void)state;
  parley_engine *e = new_engine();
  parley_model *m = one_criterion(e, "wpm");
  parley_dist d = uniform(-1, 3);
  assert_ok(e, parley_model_set_outcome_dist(m, "x", NULL, "v", &d));
  assert_ok(e, parley_model_set_outcome(m, "y", NULL, "v", 1));
  char first[1024] = "";
  const int threads[3] = {1, 2, 8};
  for (int t = 0; t < 3; t++) {
    parley_result *r = NULL;
    int rc = run_one(e, m, "montecarlo:n=100000", 6, threads[t], NULL, NULL, &r);
    assert_int_not_equal(rc, PARLEY_OK);
    assert_null(r);
    const char *msg = parley_engine_errmsg(e);
    assert_contains(msg, "montecarlo");
    assert_contains(msg, "iteration ");
    assert_contains(msg, "wpm");
    if (t == 0) snprintf(first, sizeof first, "%s", msg);
    else assert_string_equal(msg, first);
  }
  /* Usable afterwards: the same model without the analysis, and the
   * analysis under an aggregation that takes any value. */
  parley_result *r = NULL;
  assert_ok(e, parley_run(e, m, NULL, &r));
  parley_result_free(r);
  assert_ok(e, parley_model_set_stage(m, PARLEY_STAGE_AGGREGATION, "wsm"));
  assert_ok(e, run_one(e, m, "montecarlo:n=1000", 6, 8, NULL, NULL, &r));
  assert_non_null(parley_result_analysis(r, "montecarlo"));
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

/* ---- allocation failures while workers run -------------------------------------- */
/* failing_alloc (fixture.h) notices when two threads are inside it at
 * once: the engine promises the embedder's allocator one thread at a time,
 * worker threads included.  One pass for every_allocation_failure; ud is
 * the analysis spec. */
static int build_and_run(parley_engine *e, const void *ud) {
  const char *spec = ud;
  parley_model *m = NULL;
  int rc = parley_model_new(e, &m, "alloc");
  const char *s[] = {"a", "b", "c"};
  for (int i = 0; rc == PARLEY_OK && i < 3; i++) rc = parley_model_add_strategy(m, s[i], NULL);
  if (rc == PARLEY_OK) rc = parley_model_add_criterion(m, "v", NULL, PARLEY_MAX, 1);
  if (rc == PARLEY_OK) rc = parley_model_add_criterion(m, "w", NULL, PARLEY_MIN, 1);
  parley_dist d = normal(3, 1);
  for (int i = 0; rc == PARLEY_OK && i < 3; i++)
    rc = parley_model_set_outcome(m, s[i], NULL, "w", i);
  for (int i = 0; rc == PARLEY_OK && i < 3; i++)
    rc = parley_model_set_outcome_dist(m, s[i], NULL, "v", &d);
  /* TOPSIS allocates its scratch at every evaluation: worker threads
   * call the allocator all through the draws. */
  if (rc == PARLEY_OK) rc = parley_model_set_stage(m, PARLEY_STAGE_AGGREGATION, "topsis");
  parley_result *r = NULL;
  if (rc == PARLEY_OK) rc = run_one(e, m, spec, 1, 2, NULL, NULL, &r);
  return format_and_free(e, rc, r, m, "json");
}

static void test_alloc__failures_in_the_analyses_are_enomem_and_leak_nothing(void **state) {
  (void)state;
  const char *spec[2] = {"montecarlo:n=300", "smaa:n=300"};
  for (int i = 0; i < 2; i++)
    every_allocation_failure(spec[i], 100000, ALLOC_RECOVERS | ALLOC_ONE_THREAD, build_and_run,
                             spec[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_montecarlo__same_bytes_at_1_2_8_threads),
    cmocka_unit_test(test_smaa__same_bytes_at_1_2_8_threads),
    cmocka_unit_test(test_montecarlo__normal_outcome_matches_closed_forms),
    cmocka_unit_test(test_montecarlo__uniform_outcome_matches_closed_forms),
    cmocka_unit_test(test_montecarlo__dirichlet_probabilities_keep_the_mean),
    cmocka_unit_test(test_montecarlo__dirichlet_weights_spread_the_score),
    cmocka_unit_test(test_montecarlo__no_uncertainty_gives_the_deterministic_score),
    cmocka_unit_test(test_smaa__two_alternatives_match_the_hand_computation),
    cmocka_unit_test(test_smaa__ordinal_and_interval_weights_match_the_hand_computation),
    cmocka_unit_test(test_smaa__three_alternatives_match_the_expected_spacings),
    cmocka_unit_test(test_smaa__every_drawn_weight_meets_the_constraints),
    cmocka_unit_test(test_smaa__dominated_alternative_has_no_central_weights),
    cmocka_unit_test(test_smaa__bad_constraints_are_refused),
    cmocka_unit_test(test_stop__progress_callback_gives_a_partial_result),
    cmocka_unit_test(test_failure__a_failing_draw_names_analysis_and_iteration),
    cmocka_unit_test(test_alloc__failures_in_the_analyses_are_enomem_and_leak_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
