/*
 * test_methods.c — the built-in weighting, normalization and aggregation
 * stages, called directly with a run context built by hand (a model filled
 * on the heap, no loader, no pipeline), against published worked examples
 * and hand computations written out beside each expected number.
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
/* rows[(k * ns + s) * nc + c]: the decision matrix as printed in a textbook,
 * one row per strategy, scenario blocks one after another.  dir NULL: every
 * criterion is a benefit. */
static fx *make(size_t ns, size_t nk, size_t nc, const int *dir, const double *rows) {
  fx *f = fixture_new(&(fx_opts){.ns = ns, .nk = nk, .nc = nc, .dir = dir, .rows = rows});
  /* The maps and weights start at zero: normalize_with and set_weights
   * fill them as the pipeline would. */
  for (size_t c = 0; c < nc; c++) f->na[c] = f->nb[c] = f->w[c] = 0;
  return f;
}

static void set_weights(fx *f, const double *w) {
  for (size_t c = 0; c < f->ctx.nc; c++) f->w[c] = w[c];
}

/* The pipeline's normalization step: one affine map per criterion slab. */
static void normalize_with(fx *f, parley__normalization_fn fn) {
  size_t n = f->ctx.nk * f->ctx.ns;
  for (size_t c = 0; c < f->ctx.nc; c++)
    assert_int_equal(fn(&f->ctx, c, f->cube + parley__cell(&f->m, 0, 0, c), n, f->crit[c].dir,
                        f->crit[c].lo, f->crit[c].hi, &f->na[c], &f->nb[c]),
                     PARLEY_OK);
}

/* ---- published data sets ---------------------------------------------------- */
/* Hwang & Yoon (1981), Multiple Attribute Decision Making, the fighter
 * aircraft example (also Yoon & Hwang 1995): four aircraft on maximum speed
 * (Mach), ferry range (NM), maximum payload (lb), acquisition cost ($1e6,
 * a cost), reliability and maneuverability (interval scale: low 3,
 * average 5, high 7, very high 9); weights 0.2, 0.1, 0.1, 0.1, 0.2, 0.3. */
static const double fighter[] = {
  2.0, 1500, 20000, 5.5, 5, 9,
  2.5, 2700, 18000, 6.5, 3, 5,
  1.8, 2000, 21000, 4.5, 7, 7,
  2.2, 1800, 20000, 5.0, 5, 5,
};
static const int fighter_dir[] = {1, 1, 1, -1, 1, 1};
static const double fighter_w[] = {0.2, 0.1, 0.1, 0.1, 0.2, 0.3};

/* Triantaphyllou (2000), Multi-criteria Decision Making Methods: A
 * Comparative Study, ch. 2 (weighted product model example): three
 * alternatives, four benefit criteria, weights 0.20, 0.15, 0.40, 0.25. */
static const double trian[] = {
  25, 20, 15, 30,
  10, 30, 20, 30,
  30, 10, 30, 10,
};
static const double trian_w[] = {0.20, 0.15, 0.40, 0.25};

/* ==== normalization ======================================================= */
static void test_minmax__benefit_and_cost_map_to_unit_interval(void **state) {
  (void)state;
  const double x[] = {2, 4, 10};
  double a, b;
  /* benefit: (x - 2) / 8 -> 0, 0.25, 1 */
  assert_int_equal(parley__n_minmax(NULL, 0, x, 3, 1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_near(a * 2 + b, 0, 1e-15);
  assert_near(a * 4 + b, 0.25, 1e-15);
  assert_near(a * 10 + b, 1, 1e-15);
  /* cost: (10 - x) / 8 -> 1, 0.75, 0 */
  assert_int_equal(parley__n_minmax(NULL, 0, x, 3, -1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_near(a * 2 + b, 1, 1e-15);
  assert_near(a * 4 + b, 0.75, 1e-15);
  assert_near(a * 10 + b, 0, 1e-15);
}

static void test_minmax__uses_the_criterion_fixed_scale(void **state) {
  (void)state;
  const double x[] = {2, 4, 10};
  double a, b;
  /* scale [0, 20]: benefit 4 / 20 = 0.2; cost (20 - 4) / 20 = 0.8 */
  assert_int_equal(parley__n_minmax(NULL, 0, x, 3, 1, 0, 20, &a, &b), PARLEY_OK);
  assert_near(a * 4 + b, 0.2, 1e-15);
  assert_int_equal(parley__n_minmax(NULL, 0, x, 3, -1, 0, 20, &a, &b), PARLEY_OK);
  assert_near(a * 4 + b, 0.8, 1e-15);
}

static void test_minmax__constant_column_scores_one(void **state) {
  (void)state;
  const double x[] = {7, 7, 7};
  double a = NAN, b = NAN;
  assert_int_equal(parley__n_minmax(NULL, 0, x, 3, 1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_true(a == 0 && b == 1);
  assert_int_equal(parley__n_minmax(NULL, 0, x, 3, -1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_true(a == 0 && b == 1);
}

static void test_minmax__rejects_an_empty_scale(void **state) {
  (void)state;
  const double rows[] = {1, 2};
  fx *f = make(2, 1, 1, NULL, rows);
  double a, b;
  assert_int_equal(parley__n_minmax(&f->ctx, 0, f->cube, 2, 1, 5, 1, &a, &b), PARLEY_EINVALID);
  assert_msg_has(f, "c0");
  drop(f);
}

static void test_vector__divides_by_the_euclidean_norm(void **state) {
  (void)state;
  const double x[] = {3, 4};
  double a, b;
  /* ||(3, 4)|| = 5: benefit 0.6, 0.8; cost 1 - 0.6 = 0.4, 1 - 0.8 = 0.2 */
  assert_int_equal(parley__n_vector(NULL, 0, x, 2, 1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_near(a * 3 + b, 0.6, 1e-15);
  assert_near(a * 4 + b, 0.8, 1e-15);
  assert_int_equal(parley__n_vector(NULL, 0, x, 2, -1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_near(a * 3 + b, 0.4, 1e-15);
  assert_near(a * 4 + b, 0.2, 1e-15);
}

static void test_vector__survives_huge_and_zero_columns(void **state) {
  (void)state;
  const double big[] = {3e300, 4e300};
  const double zero[] = {0, 0, 0};
  double a, b;
  /* squaring 3e300 overflows; the scaled norm is still 5e300 */
  assert_int_equal(parley__n_vector(NULL, 0, big, 2, 1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_near(a * 3e300 + b, 0.6, 1e-15);
  assert_int_equal(parley__n_vector(NULL, 0, zero, 3, 1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_true(a == 0 && b == 0);
  assert_int_equal(parley__n_vector(NULL, 0, zero, 3, -1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_true(a == 0 && b == 0);
}

static void test_vector__long_and_tiny_columns_keep_the_norm(void **state) {
  (void)state;
  /* ||(0, ..., 0, 2, 3, 6)|| = sqrt(4 + 9 + 36) = 7 over nine values (the
   * last one past a multiple of four); ||(3e-200, 4e-200)|| = 5e-200, whose
   * squares would underflow unscaled. */
  const double x[] = {0, 0, 0, 0, 0, 0, 2, 3, 6};
  const double tiny[] = {3e-200, 4e-200};
  double a, b;
  assert_int_equal(parley__n_vector(NULL, 0, x, 9, 1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_near(a * 6 + b, 6.0 / 7, 1e-15);
  assert_near(a * 2 + b, 2.0 / 7, 1e-15);
  assert_int_equal(parley__n_vector(NULL, 0, tiny, 2, 1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_near(a * 4e-200 + b, 0.8, 1e-15);
}

static void test_sum__divides_by_the_column_sum(void **state) {
  (void)state;
  const double x[] = {1, 3};
  double a, b;
  /* sum 4: benefit 0.25, 0.75; cost 0.75, 0.25 */
  assert_int_equal(parley__n_sum(NULL, 0, x, 2, 1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_near(a * 1 + b, 0.25, 1e-15);
  assert_near(a * 3 + b, 0.75, 1e-15);
  assert_int_equal(parley__n_sum(NULL, 0, x, 2, -1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_near(a * 1 + b, 0.75, 1e-15);
  assert_near(a * 3 + b, 0.25, 1e-15);
}

static void test_sum__rejects_a_negative_value(void **state) {
  (void)state;
  const double rows[] = {1, -3};
  fx *f = make(2, 1, 1, NULL, rows);
  double a, b;
  assert_int_equal(parley__n_sum(&f->ctx, 0, f->cube, 2, 1, NAN, NAN, &a, &b), PARLEY_EINVALID);
  assert_msg_has(f, "'c0'");
  assert_msg_has(f, "-3");
  drop(f);
}

static void test_max__cost_is_an_affine_flip_not_a_reciprocal(void **state) {
  (void)state;
  const double x[] = {2, 5, 10};
  double a, b;
  /* benefit x / 10: 0.2, 0.5, 1 */
  assert_int_equal(parley__n_max(NULL, 0, x, 3, 1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_near(a * 2 + b, 0.2, 1e-15);
  assert_near(a * 5 + b, 0.5, 1e-15);
  /* cost 1 - x / 10: 0.8, 0.5, 0 (min / x would give 1, 0.4, 0.2) */
  assert_int_equal(parley__n_max(NULL, 0, x, 3, -1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_near(a * 2 + b, 0.8, 1e-15);
  assert_near(a * 5 + b, 0.5, 1e-15);
  assert_near(a * 10 + b, 0, 1e-15);
}

static void test_max__zero_column_maps_to_zero_and_negative_is_refused(void **state) {
  (void)state;
  const double zero[] = {0, 0};
  double a, b;
  assert_int_equal(parley__n_max(NULL, 0, zero, 2, -1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_true(a == 0 && b == 0);
  const double rows[] = {-1, -2};
  fx *f = make(2, 1, 1, NULL, rows);
  assert_int_equal(parley__n_max(&f->ctx, 0, f->cube, 2, 1, NAN, NAN, &a, &b), PARLEY_EINVALID);
  assert_msg_has(f, "'c0'");
  drop(f);
}

static void test_none__keeps_benefit_and_negates_cost(void **state) {
  (void)state;
  double a, b;
  assert_int_equal(parley__n_none(NULL, 0, NULL, 0, 1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_true(a == 1 && b == 0);
  assert_int_equal(parley__n_none(NULL, 0, NULL, 0, -1, NAN, NAN, &a, &b), PARLEY_OK);
  assert_true(a == -1 && b == 0);
}

static void test_normalizations__flip_keeps_distances_between_strategies(void **state) {
  (void)state;
  /* The cost map is the benefit map reflected: |r(x) - r(y)| is the same. */
  const parley__normalization_fn fns[] = {parley__n_minmax, parley__n_vector, parley__n_sum,
                                          parley__n_max, parley__n_none};
  const double x[] = {1, 2.5, 4, 9};
  for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
    double ab, bb, ac, bc;
    assert_int_equal(fns[i](NULL, 0, x, 4, 1, NAN, NAN, &ab, &bb), PARLEY_OK);
    assert_int_equal(fns[i](NULL, 0, x, 4, -1, NAN, NAN, &ac, &bc), PARLEY_OK);
    assert_near(ac, -ab, 1e-15);
    for (size_t j = 1; j < 4; j++) {
      double cost_gap = fabs((ac * x[j] + bc) - (ac * x[0] + bc));
      double benefit_gap = fabs((ab * x[j] + bb) - (ab * x[0] + bb));
      assert_near(cost_gap, benefit_gap, 1e-12);
    }
  }
}

/* ==== weighting ============================================================ */
static void test_given__returns_the_criteria_weights(void **state) {
  (void)state;
  fx *f = make(3, 1, 4, NULL, trian);
  for (size_t c = 0; c < 4; c++) f->crit[c].weight = trian_w[c];
  double w[4];
  assert_int_equal(parley__w_given(&f->ctx, w), PARLEY_OK);
  for (size_t c = 0; c < 4; c++) assert_near(w[c], trian_w[c], 0);
  drop(f);
}

static void test_given__missing_weight_names_the_criterion(void **state) {
  (void)state;
  fx *f = make(3, 1, 4, NULL, trian);
  for (size_t c = 0; c < 4; c++) f->crit[c].weight = trian_w[c];
  f->crit[1].weight = NAN;
  double w[4];
  assert_int_equal(parley__w_given(&f->ctx, w), PARLEY_EINVALID);
  assert_msg_has(f, "criteria[1].weight");
  drop(f);
}

static void test_given__actors_give_the_influence_weighted_mean(void **state) {
  (void)state;
  const double rows[] = {1, 2, 3, 4};
  fx *f = make(2, 1, 2, NULL, rows);
  double wa[] = {1, 3}, wb[] = {0.5, 0.5};
  parley__actor act[2] = {{.id = "a", .influence = 1, .weights = wa, .nw = 2},
                          {.id = "b", .influence = 3, .weights = wb, .nw = 2}};
  f->m.act = act, f->m.na = 2;
  /* a: (1, 3) / 4 = (0.25, 0.75); b: (0.5, 0.5).  Influence 1 and 3:
   * w1 = (1 * 0.25 + 3 * 0.5) / 4 = 0.4375, w2 = (0.75 + 1.5) / 4 = 0.5625.
   * The criteria's own weights (NaN here) are not read. */
  double w[2];
  assert_int_equal(parley__w_given(&f->ctx, w), PARLEY_OK);
  assert_near(w[0], 0.4375, 1e-15);
  assert_near(w[1], 0.5625, 1e-15);
  wb[1] = NAN;
  assert_int_equal(parley__w_given(&f->ctx, w), PARLEY_EINVALID);
  assert_msg_has(f, "actors[1].weights.c1");
  drop(f);
}

static void test_equal__gives_one_over_n(void **state) {
  (void)state;
  fx *f = make(3, 1, 4, NULL, trian);
  double w[4];
  assert_int_equal(parley__w_equal(&f->ctx, w), PARLEY_OK);
  for (size_t c = 0; c < 4; c++) assert_near(w[c], 0.25, 0);
  drop(f);
}

static void test_entropy__hand_computed_on_hwang_yoon_fighter_data(void **state) {
  (void)state;
  /* The entropy method on Hwang & Yoon's (1981) fighter aircraft data, raw
   * values (cost included), m = 4 rows, p_ij = x_ij / S_j,
   * E_j = -sum_i p_ij ln p_ij / ln 4, d_j = 1 - E_j, computed independently:
   *   speed     S = 8.5     E = 0.9946889  d = 0.0053111
   *   range     S = 8000    E = 0.9829482  d = 0.0170518
   *   payload   S = 79000   E = 0.9988876  d = 0.0011124
   *   cost      S = 21.5    E = 0.9932711  d = 0.0067289
   *   reliab.   S = 20      E = 0.9703227  d = 0.0296773
   *   maneuv.   S = 26      E = 0.9771412  d = 0.0228588
   * sum d = 0.0827403, w = (0.0641897, 0.2060882, 0.0134446, 0.0813256,
   * 0.3586800, 0.2762719).  (A table often quoted for this example,
   * E = (0.9946, 0.9829, 0.9989, 0.9931, 0.9703, 0.9770) and w = (0.0649,
   * 0.2055, 0.0133, 0.0829, 0.3570, 0.2764), does not follow from these
   * data with E rounded to four places, which gives E_4 = 0.9933; we could
   * not check it against the book, so it is not used.) */
  fx *f = make(4, 1, 6, fighter_dir, fighter);
  const double hand[] = {0.0641897, 0.2060882, 0.0134446, 0.0813256, 0.3586800, 0.2762719};
  double w[6];
  weigh_with(f, parley__w_entropy, w);
  for (size_t c = 0; c < 6; c++) assert_near(w[c], hand[c], 1e-7);
  /* order of importance: reliability, maneuverability, range, cost,
   * speed, payload */
  assert_true(w[4] > w[5] && w[5] > w[1] && w[1] > w[3] && w[3] > w[0] && w[0] > w[2]);
  drop(f);
}

static void test_entropy__zero_counts_as_zero_log_zero_and_constant_gets_nothing(void **state) {
  (void)state;
  /* Two rows.  c0 = (1, 1): p = (1/2, 1/2), E = 1, d = 0.
   * c1 = (1, 3): p = (1/4, 3/4), E = (0.25 ln 4 + 0.75 ln 4/3) / ln 2
   *    = (0.346574 + 0.215762) / 0.693147 = 0.811278, d = 0.188722.
   * c2 = (0, 2): p = (0, 1), 0 ln 0 = 0, E = 0, d = 1.
   * w = (0, 0.188722, 1) / 1.188722 = (0, 0.158760, 0.841240). */
  const double rows[] = {1, 1, 0, 1, 3, 2};
  fx *f = make(2, 1, 3, NULL, rows);
  double w[3];
  weigh_with(f, parley__w_entropy, w);
  assert_near(w[0], 0, 1e-15);
  assert_near(w[1], 0.158760, 1e-6);
  assert_near(w[2], 0.841240, 1e-6);
  drop(f);
}

static void test_entropy__reads_cost_criteria_raw(void **state) {
  (void)state;
  /* Hwang & Yoon compute entropy on the raw values whatever the direction:
   * turning every criterion into a cost changes nothing. */
  const int all_min[] = {-1, -1, -1, -1, -1, -1};
  fx *f = make(4, 1, 6, fighter_dir, fighter), *g = make(4, 1, 6, all_min, fighter);
  double w[6], v[6];
  weigh_with(f, parley__w_entropy, w);
  weigh_with(g, parley__w_entropy, v);
  for (size_t c = 0; c < 6; c++) assert_near(w[c], v[c], 0);
  drop(f);
  drop(g);
}

static void test_entropy__rejects_a_negative_value_naming_the_cell(void **state) {
  (void)state;
  const double rows[] = {1, 2, 3, -4};
  fx *f = make(2, 1, 2, NULL, rows);
  double w[2];
  assert_int_equal(parley__w_entropy(&f->ctx, w), PARLEY_EINVALID);
  assert_msg_has(f, "'c1'");
  assert_msg_has(f, "'s1'");
  drop(f);
}

static void test_entropy__stacks_scenarios_as_rows(void **state) {
  (void)state;
  /* Two strategies under two scenarios are the four-row matrix of the
   * (strategy, scenario) pairs. */
  const double rows[] = {1, 7, 2, 5, 4, 4, 9, 1};
  fx *f = make(2, 2, 2, NULL, rows), *g = make(4, 1, 2, NULL, rows);
  double w[2], v[2];
  weigh_with(f, parley__w_entropy, w);
  weigh_with(g, parley__w_entropy, v);
  assert_near(w[0], v[0], 1e-15);
  assert_near(w[1], v[1], 1e-15);
  drop(f);
  drop(g);
}

static void test_objective_weights__equal_when_nothing_varies(void **state) {
  (void)state;
  /* Every column constant (and a single row): no criterion tells the rows
   * apart, so every objective method returns equal weights. */
  const double flat[] = {3, 0, 5, 3, 0, 5};
  const double one[] = {3, 1, 5};
  const parley__weighting_fn fns[] = {parley__w_entropy, parley__w_critic, parley__w_std};
  for (size_t i = 0; i < 3; i++) {
    fx *f = make(2, 1, 3, NULL, flat), *g = make(1, 1, 3, NULL, one);
    double w[3];
    weigh_with(f, fns[i], w);
    for (size_t c = 0; c < 3; c++) assert_near(w[c], 1.0 / 3, 1e-15);
    weigh_with(g, fns[i], w);
    for (size_t c = 0; c < 3; c++) assert_near(w[c], 1.0 / 3, 1e-15);
    drop(f);
    drop(g);
  }
}

static void test_critic__hand_computed_conflict(void **state) {
  (void)state;
  /* Four rows; min-max normalised columns a = (0,1,0,1), b = (0,0,1,1),
   * c = (0,1,1,0), d = raw (10,20,10,20) -> (0,1,0,1).  Centred, a, b, c are
   * pairwise orthogonal (r = 0) and d = a (r_ad = 1); every column has the
   * same sigma.  C = sigma * sum_k (1 - r_jk):
   *   C_a = s (0 + 1 + 1 + 0) = 2s, C_b = 3s, C_c = 3s, C_d = 2s
   *   w = (0.2, 0.3, 0.3, 0.2). */
  const double rows[] = {0, 0, 0, 10, 1, 0, 1, 20, 0, 1, 1, 10, 1, 1, 0, 20};
  fx *f = make(4, 1, 4, NULL, rows);
  weights_near(f, parley__w_critic, (const double[]){0.2, 0.3, 0.3, 0.2}, 1e-12);
  drop(f);
}

static void test_critic__orients_cost_criteria_before_correlating(void **state) {
  (void)state;
  /* Same data with d a cost: its oriented column (20 - x) / 10 is
   * (1,0,1,0), so r_ad = -1 and 1 - r_ad = 2:
   *   C_a = s (0 + 1 + 1 + 2) = 4s, C_b = 3s, C_c = 3s, C_d = 4s
   *   w = (4, 3, 3, 4) / 14. */
  const double rows[] = {0, 0, 0, 10, 1, 0, 1, 20, 0, 1, 1, 10, 1, 1, 0, 20};
  const int dir[] = {1, 1, 1, -1};
  fx *f = make(4, 1, 4, dir, rows);
  weights_near(f, parley__w_critic, (const double[]){4.0 / 14, 3.0 / 14, 3.0 / 14, 4.0 / 14},
               1e-12);
  drop(f);
}

static void test_critic__matches_published_reference_implementations(void **state) {
  (void)state;
  /* JMcDM (Satman, Altunkaynak & Cengiz; Julia), test/mcdm/testcritic.jl:
   * three alternatives, criteria max, max, min, max; expected weights
   * (0.16883925, 0.418444976, 0.249124763, 0.163591012). */
  const double jm[] = {12.9918, 0.7264, -1.1009, 1.598139592, 4.1201, 5.8824,
                       3.4483,  1.021563567, 4.1039, 0.0000, -0.5076, 0.984469444};
  const int jm_dir[] = {1, 1, -1, 1};
  const double jm_w[] = {0.16883925, 0.418444976, 0.249124763, 0.163591012};
  fx *f = make(3, 1, 4, jm_dir, jm);
  double w[4];
  weigh_with(f, parley__w_critic, w);
  for (size_t c = 0; c < 4; c++) assert_near(w[c], jm_w[c], 1e-4);
  drop(f);
  /* The mcdm crate (Rust) 0.4, tests/weighting.rs, critic_tests: all
   * profits; expected (0.22514451, 0.21769531, 0.24375671, 0.31340347). */
  const double rs[] = {2.9, 2.31, 0.56, 1.89, 1.2, 1.34, 0.21, 2.48, 0.3, 2.48, 1.75, 1.69};
  const double rs_w[] = {0.22514451, 0.21769531, 0.24375671, 0.31340347};
  f = make(3, 1, 4, NULL, rs);
  weigh_with(f, parley__w_critic, w);
  for (size_t c = 0; c < 4; c++) assert_near(w[c], rs_w[c], 1e-5);
  drop(f);
}

static void test_critic__constant_column_gets_weight_zero(void **state) {
  (void)state;
  /* c1 is constant: sigma = 0, so C = 0; its correlation with the others is
   * undefined and taken as 0, which leaves a and c as in the hand example
   * (orthogonal, equal sigma): w = (0.5, 0, 0.5). */
  const double rows[] = {0, 5, 0, 1, 5, 1, 0, 5, 1, 1, 5, 0};
  fx *f = make(4, 1, 3, NULL, rows);
  double w[3];
  weigh_with(f, parley__w_critic, w);
  assert_near(w[0], 0.5, 1e-12);
  assert_near(w[1], 0, 0);
  assert_near(w[2], 0.5, 1e-12);
  drop(f);
}

static void test_std__hand_computed_sigmas_of_normalised_columns(void **state) {
  (void)state;
  /* Normalised columns (population sigma, dividing by m = 4):
   *   (0,1,0,1): mean 1/2, sigma = sqrt(4 * 1/4 / 4) = 0.5
   *   raw (3,3,3,7) -> (0,0,0,1): mean 1/4, sigma = sqrt((3/16 + 9/16) / 4) = 0.4330127
   *   raw (10,20,30,40) -> (0,1/3,2/3,1): sigma = sqrt((1/4 + 1/36) * 2 / 4) = 0.3726780
   *   w = sigma / 1.3056907 = (0.3829391, 0.3316350, 0.2854259).
   * Dividing by m - 1 instead scales every sigma alike: same weights. */
  const double rows[] = {0, 3, 10, 1, 3, 20, 0, 3, 30, 1, 7, 40};
  fx *f = make(4, 1, 3, NULL, rows);
  weights_near(f, parley__w_std, (const double[]){0.3829391, 0.3316350, 0.2854259}, 1e-7);
  drop(f);
}

static void test_std__is_free_of_units_and_direction(void **state) {
  (void)state;
  /* Rescaling a column (units) or making it a cost leaves sigma of the
   * normalised column, hence the weights, unchanged. */
  const double a[] = {1, 10, 2, 30, 4, 20, 3, 50};
  const double b[] = {1000, 10, 2000, 30, 4000, 20, 3000, 50};
  const int dir[] = {-1, 1};
  fx *f = make(4, 1, 2, NULL, a), *g = make(4, 1, 2, dir, b);
  double w[2], v[2];
  weigh_with(f, parley__w_std, w);
  weigh_with(g, parley__w_std, v);
  assert_near(w[0], v[0], 1e-14);
  assert_near(w[1], v[1], 1e-14);
  drop(f);
  drop(g);
}

/* ==== aggregation ========================================================== */
static void test_wsm__matches_triantaphyllou_2000_raw_sums(void **state) {
  (void)state;
  /* With normalization none the weighted sum is the textbook's on raw
   * values: A1 = 25(.2) + 20(.15) + 15(.4) + 30(.25) = 5 + 3 + 6 + 7.5 = 21.5,
   * A2 = 2 + 4.5 + 8 + 7.5 = 22, A3 = 6 + 1.5 + 12 + 2.5 = 22. */
  fx *f = make(3, 1, 4, NULL, trian);
  set_weights(f, trian_w);
  normalize_with(f, parley__n_none);
  double u[3];
  assert_int_equal(parley__a_wsm(&f->ctx, u), PARLEY_OK);
  assert_near(u[0], 21.5, 1e-12);
  assert_near(u[1], 22.0, 1e-12);
  assert_near(u[2], 22.0, 1e-12);
  drop(f);
}

static void test_wsm__applies_minmax_maps(void **state) {
  (void)state;
  /* c0 benefit (0, 5, 10) -> (0, .5, 1); c1 cost (1, 3, 2) -> (1, 0, .5);
   * w = (.6, .4): u = (.4, .3, .8). */
  const double rows[] = {0, 1, 5, 3, 10, 2};
  const int dir[] = {1, -1};
  const double w[] = {0.6, 0.4};
  fx *f = make(3, 1, 2, dir, rows);
  set_weights(f, w);
  normalize_with(f, parley__n_minmax);
  double u[3];
  assert_int_equal(parley__a_wsm(&f->ctx, u), PARLEY_OK);
  assert_near(u[0], 0.4, 1e-15);
  assert_near(u[1], 0.3, 1e-15);
  assert_near(u[2], 0.8, 1e-15);
  drop(f);
}

static void test_wpm__matches_triantaphyllou_2000_ratios(void **state) {
  (void)state;
  /* Triantaphyllou (2000): P(A1/A2) = 1.007, P(A1/A3) = 1.067,
   * P(A2/A3) = 1.059, so A1 is best.  U_K / U_L is that ratio. */
  fx *f = make(3, 1, 4, NULL, trian);
  set_weights(f, trian_w);
  double u[3];
  assert_int_equal(parley__a_wpm(&f->ctx, u), PARLEY_OK);
  assert_near(u[0] / u[1], 1.007, 5e-4);
  assert_near(u[0] / u[2], 1.067, 5e-4);
  assert_near(u[1] / u[2], 1.059, 5e-4);
  /* every best is 30: U1 = (25/30)^.2 (20/30)^.15 (15/30)^.4 (30/30)^.25 */
  assert_near(u[0], pow(25.0 / 30, .2) * pow(20.0 / 30, .15) * pow(15.0 / 30, .4), 1e-14);
  for (size_t s = 0; s < 3; s++) assert_true(u[s] > 0 && u[s] <= 1);
  drop(f);
}

static void test_wpm__cost_criterion_uses_best_over_x(void **state) {
  (void)state;
  /* one cost criterion, weight 1, values (2, 4): best is 2, U = (2/2, 2/4) */
  const double rows[] = {2, 4};
  const int dir[] = {-1};
  const double w[] = {1};
  fx *f = make(2, 1, 1, dir, rows);
  set_weights(f, w);
  double u[2];
  assert_int_equal(parley__a_wpm(&f->ctx, u), PARLEY_OK);
  assert_near(u[0], 1, 1e-15);
  assert_near(u[1], 0.5, 1e-15);
  drop(f);
}

static void test_wpm__rejects_non_positive_values_unless_weight_is_zero(void **state) {
  (void)state;
  const double rows[] = {2, 0, 4, 3};
  fx *f = make(2, 1, 2, NULL, rows);
  const double w[] = {0.5, 0.5};
  set_weights(f, w);
  double u[2];
  assert_int_equal(parley__a_wpm(&f->ctx, u), PARLEY_EINVALID);
  assert_msg_has(f, "'c1'");
  /* weight 0: x^0 = 1, the criterion plays no part: U = (2/4, 4/4) */
  const double w0[] = {1, 0};
  set_weights(f, w0);
  assert_int_equal(parley__a_wpm(&f->ctx, u), PARLEY_OK);
  assert_near(u[0], 0.5, 1e-15);
  assert_near(u[1], 1, 1e-15);
  drop(f);
}

static void test_topsis__matches_hwang_yoon_1981(void **state) {
  (void)state;
  /* Hwang & Yoon (1981, pp. 133-134), fighter aircraft, vector
   * normalization: separation measures S* = (0.0545, 0.1197, 0.0580,
   * 0.1009), S- = (0.0983, 0.0439, 0.0920, 0.0458), relative closeness
   * C* = (0.643, 0.268, 0.613, 0.312), order A1, A3, A4, A2 (the book's
   * figures as reproduced in the ldss-benchmark TOPSIS tests).  The book
   * carries the separation measures with four decimals (A3: 0.0920 / 0.1500
   * = 0.6133), so the closeness is checked to 1e-3 against it; an
   * independent unrounded computation gives S* = (0.054557, 0.119679,
   * 0.057977, 0.100937), S- = (0.098383, 0.043903, 0.092044, 0.045836) and
   * C* = (0.643277, 0.268384, 0.613542, 0.312291), checked to 1e-6: the
   * separations come from the fighter data and weights above (each column
   * divided by its Euclidean norm, times its weight; ideal and anti-ideal
   * per column, cost column 4 reversed), worked in awk outside this code,
   * and C* = S- / (S* + S-) from the unrounded separations (with the
   * six-decimal ones above: 0.098383 / 0.152940 = 0.64328, 0.043903 /
   * 0.163582 = 0.26838, 0.092044 / 0.150021 = 0.61354, 0.045836 / 0.146773
   * = 0.31229). */
  fx *f = make(4, 1, 6, fighter_dir, fighter);
  set_weights(f, fighter_w);
  normalize_with(f, parley__n_vector);
  double u[4];
  assert_int_equal(parley__a_topsis(&f->ctx, u), PARLEY_OK);
  assert_near(u[0], 0.643, 1e-3);
  assert_near(u[1], 0.268, 1e-3);
  assert_near(u[2], 0.613, 1e-3);
  assert_near(u[3], 0.312, 1e-3);
  assert_near(u[0], 0.643277, 1e-6);
  assert_near(u[1], 0.268384, 1e-6);
  assert_near(u[2], 0.613542, 1e-6);
  assert_near(u[3], 0.312291, 1e-6);
  assert_true(u[0] > u[2] && u[2] > u[3] && u[3] > u[1]);
  drop(f);
}

static void test_topsis__ideal_spans_every_scenario(void **state) {
  (void)state;
  /* One benefit criterion, weight 1, minmax over the slab {0, 10, 5, 10}:
   * v = x / 10, ideal 1, anti-ideal 0, so C = v: scenario k0 (0, 1),
   * k1 (0.5, 1).  Per-scenario ideals would have given k1 (0, 1). */
  const double rows[] = {0, 10, 5, 10};
  const double w[] = {1};
  fx *f = make(2, 2, 1, NULL, rows);
  set_weights(f, w);
  normalize_with(f, parley__n_minmax);
  double u[4];
  assert_int_equal(parley__a_topsis(&f->ctx, u), PARLEY_OK);
  assert_near(u[0], 0, 1e-15);
  assert_near(u[1], 1, 1e-15);
  assert_near(u[2], 0.5, 1e-15);
  assert_near(u[3], 1, 1e-15);
  drop(f);
}

static void test_topsis__identical_strategies_score_one_half(void **state) {
  (void)state;
  const double rows[] = {3, 1, 3, 1, 3, 1};
  const double w[] = {0.5, 0.5};
  fx *f = make(3, 1, 2, NULL, rows);
  set_weights(f, w);
  normalize_with(f, parley__n_vector);
  double u[3];
  assert_int_equal(parley__a_topsis(&f->ctx, u), PARLEY_OK);
  for (size_t s = 0; s < 3; s++) assert_near(u[s], 0.5, 0);
  drop(f);
}

static void test_topsis__zero_weight_criterion_plays_no_part(void **state) {
  (void)state;
  /* c1 has weight 0: C is that of c0 alone, minmax (0, 4, 8) -> (0, .5, 1). */
  const double rows[] = {0, 9, 4, 1, 8, 5};
  const double w[] = {1, 0};
  fx *f = make(3, 1, 2, NULL, rows);
  set_weights(f, w);
  normalize_with(f, parley__n_minmax);
  double u[3];
  assert_int_equal(parley__a_topsis(&f->ctx, u), PARLEY_OK);
  assert_near(u[0], 0, 1e-15);
  assert_near(u[1], 0.5, 1e-15);
  assert_near(u[2], 1, 1e-15);
  drop(f);
}

static void test_aggregations__single_strategy_is_finite(void **state) {
  (void)state;
  const double rows[] = {2, 3};
  const double w[] = {0.5, 0.5};
  fx *f = make(1, 1, 2, NULL, rows);
  set_weights(f, w);
  normalize_with(f, parley__n_minmax);
  double u;
  /* minmax of one value is a constant column (r = 1): wsm 1, topsis 0.5,
   * wpm 1 (each value is its own best) */
  assert_int_equal(parley__a_wsm(&f->ctx, &u), PARLEY_OK);
  assert_near(u, 1, 0);
  assert_int_equal(parley__a_topsis(&f->ctx, &u), PARLEY_OK);
  assert_near(u, 0.5, 0);
  assert_int_equal(parley__a_wpm(&f->ctx, &u), PARLEY_OK);
  assert_near(u, 1, 0);
  drop(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_minmax__benefit_and_cost_map_to_unit_interval),
    cmocka_unit_test(test_minmax__uses_the_criterion_fixed_scale),
    cmocka_unit_test(test_minmax__constant_column_scores_one),
    cmocka_unit_test(test_minmax__rejects_an_empty_scale),
    cmocka_unit_test(test_vector__divides_by_the_euclidean_norm),
    cmocka_unit_test(test_vector__survives_huge_and_zero_columns),
    cmocka_unit_test(test_vector__long_and_tiny_columns_keep_the_norm),
    cmocka_unit_test(test_sum__divides_by_the_column_sum),
    cmocka_unit_test(test_sum__rejects_a_negative_value),
    cmocka_unit_test(test_max__cost_is_an_affine_flip_not_a_reciprocal),
    cmocka_unit_test(test_max__zero_column_maps_to_zero_and_negative_is_refused),
    cmocka_unit_test(test_none__keeps_benefit_and_negates_cost),
    cmocka_unit_test(test_normalizations__flip_keeps_distances_between_strategies),
    cmocka_unit_test(test_given__returns_the_criteria_weights),
    cmocka_unit_test(test_given__missing_weight_names_the_criterion),
    cmocka_unit_test(test_given__actors_give_the_influence_weighted_mean),
    cmocka_unit_test(test_equal__gives_one_over_n),
    cmocka_unit_test(test_entropy__hand_computed_on_hwang_yoon_fighter_data),
    cmocka_unit_test(test_entropy__zero_counts_as_zero_log_zero_and_constant_gets_nothing),
    cmocka_unit_test(test_entropy__reads_cost_criteria_raw),
    cmocka_unit_test(test_entropy__rejects_a_negative_value_naming_the_cell),
    cmocka_unit_test(test_entropy__stacks_scenarios_as_rows),
    cmocka_unit_test(test_objective_weights__equal_when_nothing_varies),
    cmocka_unit_test(test_critic__hand_computed_conflict),
    cmocka_unit_test(test_critic__orients_cost_criteria_before_correlating),
    cmocka_unit_test(test_critic__matches_published_reference_implementations),
    cmocka_unit_test(test_critic__constant_column_gets_weight_zero),
    cmocka_unit_test(test_std__hand_computed_sigmas_of_normalised_columns),
    cmocka_unit_test(test_std__is_free_of_units_and_direction),
    cmocka_unit_test(test_wsm__matches_triantaphyllou_2000_raw_sums),
    cmocka_unit_test(test_wsm__applies_minmax_maps),
    cmocka_unit_test(test_wpm__matches_triantaphyllou_2000_ratios),
    cmocka_unit_test(test_wpm__cost_criterion_uses_best_over_x),
    cmocka_unit_test(test_wpm__rejects_non_positive_values_unless_weight_is_zero),
    cmocka_unit_test(test_topsis__matches_hwang_yoon_1981),
    cmocka_unit_test(test_topsis__ideal_spans_every_scenario),
    cmocka_unit_test(test_topsis__identical_strategies_score_one_half),
    cmocka_unit_test(test_topsis__zero_weight_criterion_plays_no_part),
    cmocka_unit_test(test_aggregations__single_strategy_is_finite),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
