/*
 * test_weighting_objective.c — the weighting stages of
 * core/weighting_objective.c (merec, cilos, idocriw, gini, variance), called
 * directly with a run context built by hand, against the published worked
 * examples and hand computations written out beside each expected number;
 * then their degenerate inputs: constant columns, zeros, a single row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "methods.h"
#include "fixture.h"

/* ---- a hand-made run (fixture.h) -------------------------------------------- */
/* rows[(k * ns + s) * nc + c]: the decision matrix as printed in a paper,
 * one row per strategy, scenario blocks one after another.  dir NULL: every
 * criterion is a benefit. */
static fx *make(size_t ns, size_t nk, size_t nc, const int *dir, const double *rows) {
  return fixture_new(&(fx_opts){.ns = ns, .nk = nk, .nc = nc, .dir = dir, .rows = rows});
}

static const parley__weighting_fn all_fns[] = {parley__w_merec, parley__w_cilos,
                                               parley__w_idocriw, parley__w_gini,
                                               parley__w_variance};
static const char *const all_names[] = {"merec", "cilos", "idocriw", "gini", "variance"};
enum { NFNS = sizeof all_fns / sizeof all_fns[0] };

/* ---- published data sets ---------------------------------------------------- */
/* Zavadskas & Podvezko (2016), Integrated determination of objective
 * criteria weights in MCDM, IJITDM 15(2), numerical example: four
 * alternatives, criteria min, max, min, max. */
static const double zp[] = {
  3.0, 100, 10, 7,
  2.5, 80,  8,  5,
  1.8, 50,  20, 11,
  2.2, 70,  12, 9,
};
static const int zp_dir[] = {-1, 1, -1, 1};

/* ==== registry ============================================================ */
static void test_registry__knows_every_new_weighting(void **state) {
  (void)state;
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  for (size_t i = 0; i < NFNS; i++) {
    const parley__stage *st = parley__registry_find(e, PARLEY_STAGE_WEIGHTING, all_names[i]);
    assert_non_null(st);
    assert_true(st->fn.weighting == all_fns[i]);
  }
  parley_engine_free(e);
}

/* ==== merec =============================================================== */
static void test_merec__matches_keshavarz_ghorabaee_2021(void **state) {
  (void)state;
  /* Keshavarz-Ghorabaee, Amiri, Zavadskas, Turskis & Antucheviciene (2021),
   * Symmetry 13(4), 525, Section 4.1 (illustrative example): decision matrix
   * of Table 2, criteria max, max, min, min; Step 6 gives the weights
   * (0.5752, 0.0141, 0.4016, 0.0091).  An independent recomputation gives
   * E = (1.708667, 0.041873, 1.192818, 0.027092) and S = (0.7667, 0.7093,
   * 0.6461, 1.0922, 0.2085), S as in the paper's Table 4 to two places; the
   * same weights are the published test values of pymcdm and crispyn. */
  const double x[] = {
    450, 8000, 54, 145,
    10,  9100, 2,  160,
    100, 8200, 31, 153,
    220, 9300, 1,  162,
    5,   8400, 23, 158,
  };
  const int dir[] = {1, 1, -1, -1};
  const double paper[] = {0.5752, 0.0141, 0.4016, 0.0091};
  fx *f = make(5, 1, 4, dir, x);
  double w[4];
  weigh_with(f, parley__w_merec, w);
  for (size_t c = 0; c < 4; c++) assert_near(w[c], paper[c], 5e-5);
  drop(f);
}

static void test_merec__constant_column_gets_weight_zero(void **state) {
  (void)state;
  /* Rows (1, 3, 2) and (4, 3, 1), criteria max, max, min.
   *   c0 benefit, n = min/x = (1, 1/4): L = |ln n| = (0, ln 4)
   *   c1 constant, n = 1:                L = (0, 0)
   *   c2 cost, n = x/max = (1, 1/2):     L = (0, ln 2)
   * T = (0, ln 8), three criteria; row 0 is the reference on every
   * criterion and adds nothing.  Row 1:
   *   E0 = ln(1 + ln 4 / (3 + ln 8 - ln 4)) = ln(1 + 1.386294 / 3.693147)
   *      = 0.318722334
   *   E1 = 0
   *   E2 = ln(1 + ln 2 / (3 + ln 8 - ln 2)) = ln(1 + 0.693147 / 4.386294)
   *      = 0.146716561
   *   w  = (0.684778039, 0, 0.315221961). */
  const double x[] = {1, 3, 2, 4, 3, 1};
  const int dir[] = {1, 1, -1};
  fx *f = make(2, 1, 3, dir, x);
  double w[3];
  weigh_with(f, parley__w_merec, w);
  assert_near(w[0], 0.684778039, 1e-9);
  assert_near(w[1], 0, 0);
  assert_near(w[2], 0.315221961, 1e-9);
  drop(f);
}

static void test_merec__rejects_zero_and_negative_values_naming_the_cell(void **state) {
  (void)state;
  /* ln 0 is undefined: the paper asks for values > 0. */
  const double zero[] = {1, 2, 3, 0};
  const double neg[] = {1, -2, 3, 4};
  fx *f = make(2, 1, 2, NULL, zero), *g = make(2, 1, 2, NULL, neg);
  double w[2];
  assert_int_equal(parley__w_merec(&f->ctx, w), PARLEY_EINVALID);
  assert_msg_has(f, "merec");
  assert_msg_has(f, "'c1'");
  assert_msg_has(f, "'s1'");
  assert_msg_has(f, "'k0'");
  assert_int_equal(parley__w_merec(&g->ctx, w), PARLEY_EINVALID);
  assert_msg_has(g, "'c1'");
  assert_msg_has(g, "'s0'");
  drop(f);
  drop(g);
}

/* ==== cilos and idocriw =================================================== */
static void test_cilos__matches_zavadskas_podvezko_2016(void **state) {
  (void)state;
  /* Zavadskas & Podvezko (2016), numerical example: CILOS weights
   * q = (0.3343, 0.2199, 0.1957, 0.2501).  The relative loss matrix
   * (row i: the alternative best on criterion i; column j: the loss on j)
   *   P = | 0     0.5  0.6  0      |
   *       | 0.4   0    0.2  0.3636 |
   *       | 0.28  0.2  0    0.5455 |
   *       | 0     0.5  0.6  0      |
   * (alternative 3 is best on criteria 1 and 4) gives F = P with diagonal
   * (-0.68, -1.2, -1.4, -0.9091); solving F q = 0, sum q = 1 independently
   * gives q = (0.334345, 0.219852, 0.195714, 0.250090).  The same q are the
   * published test values of pymcdm, crispyn and JMcDM for this example. */
  const double paper[] = {0.3343, 0.2199, 0.1957, 0.2501};
  fx *f = make(4, 1, 4, zp_dir, zp);
  double w[4];
  weigh_with(f, parley__w_cilos, w);
  for (size_t c = 0; c < 4; c++) assert_near(w[c], paper[c], 1e-4);
  drop(f);
}

static void test_idocriw__matches_zavadskas_podvezko_2016(void **state) {
  (void)state;
  /* Zavadskas & Podvezko (2016), same example: entropy weights
   * W = (0.1146, 0.1981, 0.4185, 0.2689) on the raw values, and IDOCRIW
   * w = q W / sum q W = (0.1658, 0.1886, 0.3545, 0.2911).  Unrounded,
   * W = (0.114575, 0.198082, 0.418461, 0.268881) and w = (0.165834,
   * 0.188523, 0.354540, 0.291102); the printed 0.1886 comes from rounded
   * q and W (pymcdm's test has 0.1885), hence the tolerance. */
  const double paper_w[] = {0.1146, 0.1981, 0.4185, 0.2689};
  const double paper[] = {0.1658, 0.1886, 0.3545, 0.2911};
  fx *f = make(4, 1, 4, zp_dir, zp);
  double w[4];
  weigh_with(f, parley__w_entropy, w);
  for (size_t c = 0; c < 4; c++) assert_near(w[c], paper_w[c], 1e-4);
  weigh_with(f, parley__w_idocriw, w);
  for (size_t c = 0; c < 4; c++) assert_near(w[c], paper[c], 1e-4);
  drop(f);
}

static void test_cilos__constant_column_gets_weight_zero(void **state) {
  (void)state;
  /* Rows (4, 1, 5) and (3, 2, 5), all benefits; c2 is constant.
   * Best rows: c0 -> row 0, c1 -> row 1.  Losses:
   *   P01 = 1 - 1/2 = 0.5    (on c1, choosing the row best on c0)
   *   P10 = 1 - 3/4 = 0.25   (on c0, choosing the row best on c1)
   * F = | -0.25  0.5 |, F q = 0: q0 = 2 q1, so q = (2/3, 1/3).
   *     |  0.25 -0.5 |
   * c2 loses nothing whatever is chosen: left in, its column of F would be
   * 0 and it would take every weight; it gets 0 instead. */
  const double x[] = {4, 1, 5, 3, 2, 5};
  fx *f = make(2, 1, 3, NULL, x);
  double w[3];
  weigh_with(f, parley__w_cilos, w);
  assert_near(w[0], 2.0 / 3, 1e-12);
  assert_near(w[1], 1.0 / 3, 1e-12);
  assert_near(w[2], 0, 0);
  /* IDOCRIW on the same rows: entropy
   *   c0 p = (4/7, 3/7): E = 0.985228136, d = 0.014771864
   *   c1 p = (1/3, 2/3): E = 0.918295834, d = 0.081704166
   *   c2 constant: d = 0
   * W = (0.153114343, 0.846885657, 0); q W = (0.102076229, 0.282295219, 0)
   * w = (0.265566627, 0.734433373, 0). */
  weigh_with(f, parley__w_idocriw, w);
  assert_near(w[0], 0.265566627, 1e-9);
  assert_near(w[1], 0.734433373, 1e-9);
  assert_near(w[2], 0, 0);
  drop(f);
}

static void test_cilos__a_zero_on_a_benefit_is_a_full_loss(void **state) {
  (void)state;
  /* Rows (0, 3) and (2, 1), both benefits.  Best: c0 -> row 1, c1 -> row 0.
   *   P01 = 1 - 1/3 = 2/3,  P10 = 1 - 0/2 = 1
   * q0 * P10 = P01 * q1: q0 = (2/3) q1, q = (0.4, 0.6). */
  const double x[] = {0, 3, 2, 1};
  fx *f = make(2, 1, 2, NULL, x);
  weights_near(f, parley__w_cilos, (const double[]){0.4, 0.6}, 1e-12);
  drop(f);
}

static void test_cilos__refuses_a_zero_on_a_cost_criterion(void **state) {
  (void)state;
  /* min/x turns a cost into a benefit: a zero cannot be turned.  IDOCRIW
   * reports it under its own name. */
  const double x[] = {1, 2, 3, 0};
  const int dir[] = {1, -1};
  fx *f = make(2, 1, 2, dir, x);
  double w[2];
  assert_int_equal(parley__w_cilos(&f->ctx, w), PARLEY_EINVALID);
  assert_msg_has(f, "cilos");
  assert_msg_has(f, "'c1'");
  assert_msg_has(f, "'s1'");
  assert_int_equal(parley__w_idocriw(&f->ctx, w), PARLEY_EINVALID);
  assert_msg_has(f, "idocriw");
  assert_msg_has(f, "'c1'");
  drop(f);
}

static void test_cilos__a_row_best_on_everything_gives_equal_weights(void **state) {
  (void)state;
  /* Row 0 = (4, 2, 1) is best on every criterion (c2 a cost): choosing it
   * loses nothing anywhere, P = 0, F = 0, and F q = 0 holds for every q.
   * The equations leave the weights undetermined: equal weights. */
  const double x[] = {4, 2, 1, 3, 1, 2};
  const int dir[] = {1, 1, -1};
  fx *f = make(2, 1, 3, dir, x);
  double w[3];
  weigh_with(f, parley__w_cilos, w);
  for (size_t c = 0; c < 3; c++) assert_near(w[c], 1.0 / 3, 1e-15);
  drop(f);
}

static void test_cilos__a_criterion_no_choice_loses_on_takes_every_weight(void **state) {
  (void)state;
  /* Rows (3, 1, 0), (3, 2, 1), (3, 0, 2), (1, 0, 0), all benefits.  Best:
   * c0 -> row 0 (rows 1 and 2 tie with it), c1 -> row 1, c2 -> row 2.
   *   P10 = P20 = 0            (on c0 nothing is lost: rows 1, 2 are best too)
   *   P01 = 1 - 1/2 = 0.5,  P21 = 1 - 0/2 = 1
   *   P02 = 1 - 0/2 = 1,    P12 = 1 - 1/2 = 0.5
   * F = | 0   0.5   1   |  Column 0 is zero, so q = (1, 0, 0) solves
   *     | 0  -1.5   0.5 |  F q = 0; rows 1 and 2 on (q1, q2) have
   *     | 0   1    -1.5 |  determinant 2.25 - 0.5 != 0, so it is the only
   * solution: CILOS gives c0 every weight, as the method does. */
  const double x[] = {3, 1, 0, 3, 2, 1, 3, 0, 2, 1, 0, 0};
  fx *f = make(4, 1, 3, NULL, x);
  weights_near(f, parley__w_cilos, (const double[]){1, 0, 0}, 1e-12);
  drop(f);
}

/* ==== gini ================================================================ */
static void test_gini__hand_computed(void **state) {
  (void)state;
  /* G = sum_i sum_j |x_i - x_j| / (2 m^2 mu) = sum_{i<j} |x_i - x_j| / (m S)
   * with m = 3 rows and S the column sum:
   *   c0 (5, 5.5, 4):  pairs 0.5 + 1 + 1.5 = 3,  S = 14.5, G = 3 / 43.5
   *                    = 0.068966
   *   c1 (6, 6.1, 5):  pairs 0.1 + 1 + 1.1 = 2.2, S = 17.1, G = 2.2 / 51.3
   *                    = 0.042885
   *   c2 (7, 8, 9):    pairs 1 + 2 + 1 = 4,      S = 24,   G = 4 / 72
   *                    = 0.055556
   *   w = G / 0.167407 = (0.411965, 0.256173, 0.331861)
   * (pymcdm's gini_weights test has (0.412, 0.2562, 0.3319)). */
  const double x[] = {5, 6, 7, 5.5, 6.1, 8, 4, 5, 9};
  fx *f = make(3, 1, 3, NULL, x);
  weights_near(f, parley__w_gini, (const double[]){0.411965, 0.256173, 0.331861}, 1e-6);
  drop(f);
}

static void test_gini__matches_baczkiewicz_2021_camera_selection(void **state) {
  (void)state;
  /* Baczkiewicz, Watrobski, Kizielewicz & Salabun (2021), camera selection
   * problem: 20 cameras on 11 criteria, Gini coefficient-based weights
   * (0.0362, 0.0437, 0.0848, 0.0984, 0.0480, 0.0842, 0.1379, 0.1125,
   * 0.0745, 0.1107, 0.1690), as reproduced in the crispyn library's tests.
   * The weights ignore the criteria types.  An independent recomputation by
   * the double sum gives (0.0361731, 0.0437382, 0.0847876, 0.0983974,
   * 0.0480158, 0.0842259, 0.1378895, 0.1124922, 0.0745473, 0.1107449,
   * 0.1689881): the published values to four places. */
  const double x[] = {
    29.4,  83,    47,     114, 12,   30, 120, 240, 170, 90,  1717.75,
    30,    38.1,  124.7,  117, 16,   60, 60,  60,  93,  70,  2389,
    29.28, 59.27, 41.13,  58,  16,   30, 60,  120, 170, 78,  239.99,
    33.6,  71,    55,     159, 23.6, 60, 240, 240, 132, 140, 2099,
    21,    59,    41,     66,  16,   24, 60,  120, 170, 70,  439,
    35,    65,    42,     134, 12,   60, 240, 240, 145, 60,  1087,
    47,    79,    54,     158, 19,   60, 120, 120, 360, 72,  2499,
    28.3,  62.3,  44.9,   116, 12,   30, 60,  60,  130, 90,  999.99,
    36.9,  28.6,  121.6,  130, 12,   60, 120, 120, 80,  80,  1099,
    32,    59,    41,     60,  16,   30, 120, 120, 170, 60,  302.96,
    28.4,  66.3,  48.6,   126, 12,   60, 240, 240, 132, 135, 1629,
    29.8,  46,    113,    47,  18,   50, 50,  50,  360, 72,  2099,
    20.2,  64,    80,     70,  8,    24, 60,  120, 166, 480, 699.99,
    33,    60,    44,     59,  12,   30, 60,  120, 170, 90,  388,
    29,    59,    41,     55,  16,   30, 60,  120, 170, 120, 299,
    29,    59,    41,     182, 12,   30, 30,  60,  94,  140, 249,
    29.8,  59.2,  41,     65,  16,   30, 60,  120, 160, 90,  219.99,
    28.8,  62.5,  41,     70,  12,   60, 120, 120, 170, 138, 1399.99,
    24,    40,    59,     60,  12,   10, 30,  30,  140, 78,  269.99,
    30,    60,    45,     201, 16,   30, 30,  30,  170, 90,  199.99,
  };
  const int dir[] = {-1, -1, -1, -1, 1, 1, 1, 1, 1, 1, -1};
  const double paper[] = {0.0362, 0.0437, 0.0848, 0.0984, 0.0480, 0.0842,
                          0.1379, 0.1125, 0.0745, 0.1107, 0.1690};
  fx *f = make(20, 1, 11, dir, x);
  double w[11];
  weigh_with(f, parley__w_gini, w);
  for (size_t c = 0; c < 11; c++) assert_near(w[c], paper[c], 5e-5);
  drop(f);
}

static void test_gini__zero_allowed_negative_refused_constant_zero(void **state) {
  (void)state;
  /* Two rows.  c0 (0, 2): sum |x_i - x_j| = 4, mu = 1, G = 4 / (2 * 4 * 1)
   * = 0.5; c1 (1, 3): 4 / (2 * 4 * 2) = 0.25; c2 (5, 5): 0.
   * w = (0.5, 0.25, 0) / 0.75 = (2/3, 1/3, 0). */
  const double x[] = {0, 1, 5, 2, 3, 5};
  const double neg[] = {0, 1, 5, -2, 3, 5};
  fx *f = make(2, 1, 3, NULL, x), *g = make(2, 1, 3, NULL, neg);
  double w[3];
  weigh_with(f, parley__w_gini, w);
  assert_near(w[0], 2.0 / 3, 1e-15);
  assert_near(w[1], 1.0 / 3, 1e-15);
  assert_near(w[2], 0, 0);
  assert_int_equal(parley__w_gini(&g->ctx, w), PARLEY_EINVALID);
  assert_msg_has(g, "gini");
  assert_msg_has(g, "'c0'");
  assert_msg_has(g, "'s1'");
  drop(f);
  drop(g);
}

/* ==== variance ============================================================ */
static void test_variance__hand_computed_on_minmax_columns(void **state) {
  (void)state;
  /* Min-max normalised columns, population variance (dividing by m = 4):
   *   c0 (100, 110, 120, 121) -> (0, 10/21, 20/21, 1), mean 17/28,
   *      deviations (-51, -11, 29, 33) / 84,
   *      V = (2601 + 121 + 841 + 1089) / 84^2 / 4 = 1163/7056 = 0.164824263
   *   c1 (4, 5, 6, 8) -> (0, 1/4, 1/2, 1), mean 7/16,
   *      V = (49 + 9 + 1 + 81) / 256 / 4 = 35/256 = 0.13671875
   *   c2 (500, 550, 600, 400) -> (1/2, 3/4, 1, 0): 1 - r has the same
   *      variance, 35/256
   *   w = V / 0.438261763 = (0.376086, 0.311957, 0.311957)
   * (pymcdm's variance_weights test has (0.3761, 0.312, 0.312)). */
  const double x[] = {100, 4, 500, 110, 5, 550, 120, 6, 600, 121, 8, 400};
  fx *f = make(4, 1, 3, NULL, x);
  double w[3];
  weigh_with(f, parley__w_variance, w);
  double v0 = 1163.0 / 7056, v1 = 35.0 / 256, sum = v0 + 2 * v1;
  assert_near(w[0], v0 / sum, 1e-12);
  assert_near(w[1], v1 / sum, 1e-12);
  assert_near(w[2], v1 / sum, 1e-12);
  drop(f);
}

static void test_variance__is_proportional_to_the_square_of_std(void **state) {
  (void)state;
  /* Both read sigma of the min-max normalised column: variance weights are
   * the std weights squared, renormalised.  A cost criterion changes
   * neither. */
  const double x[] = {1, 10, 7, 2, 30, 7.5, 4, 20, 3, 3, 50, 9, 8, 40, 1};
  const int dir[] = {1, -1, 1};
  fx *f = make(5, 1, 3, dir, x);
  double v[3], s[3];
  weigh_with(f, parley__w_variance, v);
  weigh_with(f, parley__w_std, s);
  double sum = 0;
  for (size_t c = 0; c < 3; c++) sum += s[c] * s[c];
  for (size_t c = 0; c < 3; c++) assert_near(v[c], s[c] * s[c] / sum, 1e-12);
  drop(f);
}

/* ==== all of them ========================================================= */
static void test_new_objective_weights__equal_when_nothing_varies(void **state) {
  (void)state;
  /* Every column constant, or a single strategy: no criterion tells the
   * rows apart, and every method returns equal weights, as entropy, critic
   * and std do. */
  const double flat[] = {3, 1, 5, 3, 1, 5};
  const double one[] = {3, 1, 5};
  for (size_t i = 0; i < NFNS; i++) {
    fx *f = make(2, 1, 3, NULL, flat), *g = make(1, 1, 3, NULL, one);
    double w[3];
    weigh_with(f, all_fns[i], w);
    for (size_t c = 0; c < 3; c++) assert_near(w[c], 1.0 / 3, 1e-15);
    weigh_with(g, all_fns[i], w);
    for (size_t c = 0; c < 3; c++) assert_near(w[c], 1.0 / 3, 1e-15);
    drop(f);
    drop(g);
  }
}

static void test_new_objective_weights__stack_scenarios_as_rows(void **state) {
  (void)state;
  /* Two strategies under two scenarios are the four-row matrix of the
   * (strategy, scenario) pairs: the reference points span every scenario. */
  const double rows[] = {1, 7, 2, 5, 4, 4, 9, 1, 2, 6, 3, 3, 8, 2, 5, 1};
  const int dir[] = {1, -1, 1, -1};
  for (size_t i = 0; i < NFNS; i++) {
    fx *f = make(2, 2, 4, dir, rows), *g = make(4, 1, 4, dir, rows);
    double w[4], v[4];
    weigh_with(f, all_fns[i], w);
    weigh_with(g, all_fns[i], v);
    for (size_t c = 0; c < 4; c++) assert_near(w[c], v[c], 1e-15);
    drop(f);
    drop(g);
  }
}

static void test_new_objective_weights__gini_and_variance_ignore_direction(void **state) {
  (void)state;
  /* Gini (raw values, like entropy) and variance (symmetric in r and
   * 1 - r) do not depend on which end of a criterion is good. */
  const double x[] = {1, 10, 7, 2, 30, 7.5, 4, 20, 3, 3, 50, 9};
  const int all_min[] = {-1, -1, -1};
  fx *f = make(4, 1, 3, NULL, x), *g = make(4, 1, 3, all_min, x);
  double w[3], v[3];
  weigh_with(f, parley__w_gini, w);
  weigh_with(g, parley__w_gini, v);
  for (size_t c = 0; c < 3; c++) assert_near(w[c], v[c], 0);
  weigh_with(f, parley__w_variance, w);
  weigh_with(g, parley__w_variance, v);
  for (size_t c = 0; c < 3; c++) assert_near(w[c], v[c], 0);
  drop(f);
  drop(g);
}

/* ==== allocation failure ================================================== */
static void test_new_objective_weights__fail_cleanly_when_memory_runs_out(void **state) {
  (void)state;
  /* Every allocation of every method fails in turn: the method reports
   * PARLEY_ENOMEM and frees what it had, until no allocation fails. */
  failing fl = {0};
  parley_engine_options opts = PARLEY_ENGINE_OPTIONS_INIT;
  opts.alloc = failing_alloc;
  opts.alloc_ud = &fl;
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, &opts), PARLEY_OK);
  fx *f = make(4, 1, 4, zp_dir, zp);
  f->ctx.engine = e;
  for (size_t i = 0; i < NFNS; i++) {
    for (size_t n = 1;; n++) {
      double w[4];
      long live = fl.live;
      fl.calls = 0, fl.fail_at = n, fl.failed = 0;
      int rc = all_fns[i](&f->ctx, w);
      assert_int_equal(fl.live, live);
      if (fl.failed == 0) {
        assert_int_equal(rc, PARLEY_OK);
        break;
      }
      assert_int_equal(rc, PARLEY_ENOMEM);
      assert_true(n < 16);
    }
  }
  fl.fail_at = 0;
  f->ctx.engine = f->e;
  drop(f);
  parley_engine_free(e);
  assert_int_equal(fl.live, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_registry__knows_every_new_weighting),
    cmocka_unit_test(test_merec__matches_keshavarz_ghorabaee_2021),
    cmocka_unit_test(test_merec__constant_column_gets_weight_zero),
    cmocka_unit_test(test_merec__rejects_zero_and_negative_values_naming_the_cell),
    cmocka_unit_test(test_cilos__matches_zavadskas_podvezko_2016),
    cmocka_unit_test(test_idocriw__matches_zavadskas_podvezko_2016),
    cmocka_unit_test(test_cilos__constant_column_gets_weight_zero),
    cmocka_unit_test(test_cilos__a_zero_on_a_benefit_is_a_full_loss),
    cmocka_unit_test(test_cilos__refuses_a_zero_on_a_cost_criterion),
    cmocka_unit_test(test_cilos__a_row_best_on_everything_gives_equal_weights),
    cmocka_unit_test(test_cilos__a_criterion_no_choice_loses_on_takes_every_weight),
    cmocka_unit_test(test_gini__hand_computed),
    cmocka_unit_test(test_gini__matches_baczkiewicz_2021_camera_selection),
    cmocka_unit_test(test_gini__zero_allowed_negative_refused_constant_zero),
    cmocka_unit_test(test_variance__hand_computed_on_minmax_columns),
    cmocka_unit_test(test_variance__is_proportional_to_the_square_of_std),
    cmocka_unit_test(test_new_objective_weights__equal_when_nothing_varies),
    cmocka_unit_test(test_new_objective_weights__stack_scenarios_as_rows),
    cmocka_unit_test(test_new_objective_weights__gini_and_variance_ignore_direction),
    cmocka_unit_test(test_new_objective_weights__fail_cleanly_when_memory_runs_out),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
