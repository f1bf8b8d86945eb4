/*
 * test_slab.c — the shared passes over a criterion's slab (core/slab.c) and
 * what the stages built on them promise: sums added in the four documented
 * lanes, ranges that pass over NaN, the radix sort of a slab, the centred
 * sums of the weightings; TOPSIS giving the same bits whether or not the
 * normalization left the slab ranges on the context; MABAC's border area,
 * found from chunked products, matching the sum of logarithms over more
 * cells than a chunk.  Expected values are worked out by hand in the
 * comments, or computed in the test by the plain textbook loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "methods.h"
#include "slab.h"
#include "fixture.h"

/* A fixed-seed generator for test data (splitmix64), in [0, 1). */
static double uniform(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  z ^= z >> 31;
  return (double)(z >> 11) / 9007199254740992.0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* ==== the lanes ============================================================ */
static void test_slab__sums_in_four_lanes_as_documented(void **state) {
  (void)state;
  /* Nine values: lane 0 takes x0, x4 and (past the last multiple of four)
   * x8; lanes 1-3 take x1 + x5, x2 + x6, x3 + x7.  With x0 = 2^53:
   *   lane 0: 2^53 + 1 rounds to 2^53 (ties to even), + 1 again: 2^53;
   *   lanes 1, 2, 3: 1 + 0 = 1 each;
   *   (lane0 + lane1) + (lane2 + lane3) = (2^53 + 1 -> 2^53) + 2 = 2^53 + 2.
   * Adding from left to right would give 2^53: every + 1 is lost. */
  const double x[] = {0x1p53, 1, 1, 1, 1, 0, 0, 0, 1};
  parley__slabstat st;
  parley__slab_stats(x, 9, &st);
  assert_true(st.sum == 0x1p53 + 2);
  assert_true(parley__slab_sum(x, 9) == 0x1p53 + 2);
  assert_true(st.lo == 0 && st.hi == 0x1p53);
  /* Squares: lane 0 gets 2^106 + 1 + 1 = 2^106 (each 1 lost), lanes 1-3
   * 1 each: 2^106 + 1 -> 2^106, + 2 -> 2^106. */
  assert_true(st.sumsq == 0x1p106);
}

static void test_slab__range_passes_over_nan_and_an_empty_slab(void **state) {
  (void)state;
  const double x[] = {3, NAN, -2, 7, 5, NAN};
  double lo, hi;
  parley__slab_range(x, 6, &lo, &hi);
  assert_true(lo == -2 && hi == 7);
  parley__slab_range(x, 0, &lo, &hi);
  assert_true(lo == INFINITY && hi == -INFINITY);
  parley__slabstat st;
  parley__slab_stats(x, 0, &st);
  assert_true(st.sum == 0 && st.sumsq == 0);
  assert_int_equal(parley__slab_first_negative(x, 6), 2);
  assert_int_equal(parley__slab_first_negative(x, 2), 2);
}

/* ==== sorting ============================================================== */
static void test_slab__sort_orders_signs_zeros_and_extremes(void **state) {
  (void)state;
  double x[] = {3.5, -2, 0.0, -0.0, 1e300, -1e-300, 3.5, -INFINITY, 7, INFINITY, 5e-324};
  const double want[] = {-INFINITY, -2, -1e-300, 0, 0, 5e-324, 3.5, 3.5, 7, 1e300, INFINITY};
  uint64_t keys[2 * 11];
  parley__slab_sort(x, 11, keys);
  for (size_t i = 0; i < 11; i++)
    if (!(x[i] == want[i])) fail_msg("place %zu holds %g, expected %g", i, x[i], want[i]);
}

static void test_slab__sort_gives_what_qsort_gives_on_a_long_slab(void **state) {
  (void)state;
  enum { n = 5000 };
  double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
  uint64_t *keys = malloc(2 * n * sizeof *keys), seed = 42;
  assert_non_null(x), assert_non_null(y), assert_non_null(keys);
  /* Values on a grid of 1/100 around 0 (ties and both signs), a few huge. */
  for (size_t i = 0; i < n; i++) x[i] = y[i] = floor((uniform(&seed) - 0.3) * 1000) / 100;
  x[17] = y[17] = 1e250, x[4000] = y[4000] = -3e-310;
  parley__slab_sort(x, n, keys);
  qsort(y, n, sizeof *y, cmp_double);
  for (size_t i = 0; i < n; i++) assert_true(x[i] == y[i]);
  free(x), free(y), free(keys);
}

/* ==== centred sums ========================================================= */
static void test_slab__centred_sums_across_blocks(void **state) {
  (void)state;
  /* x_i = i for i = 0..299 (more than one block of 256), mean 149.5:
   * sum (i - 149.5)^2 = n (n^2 - 1) / 12 = 300 * 89999 / 12 = 2249975, each
   * term a multiple of 1/4 below 2^53, so every order of addition is exact.
   * With y = 2 i + 1 (mean 300) and its scale's reciprocal 1/2,
   * ((y - 300) / 2) = i - 149.5: the centred products give the same sum. */
  enum { n = 300 };
  double x[n], y[n];
  for (size_t i = 0; i < n; i++) x[i] = (double)i, y[i] = 2.0 * (double)i + 1;
  assert_true(parley__slab_centred_sumsq(x, n, 149.5, 1) == 2249975);
  assert_true(parley__slab_centred_dot(x, y, n, 149.5, 1, 300, 0.5) == 2249975);
  /* ((x - 3) / 2)^2 over 1..5: 1 + 0.25 + 0 + 0.25 + 1 = 2.5 */
  const double z[] = {1, 2, 3, 4, 5};
  assert_true(parley__slab_centred_sumsq(z, 5, 3, 2) == 2.5);
}

/* ==== TOPSIS with and without the normalization's ranges =================== */
static void test_topsis__normalization_ranges_change_no_bit(void **state) {
  (void)state;
  /* 700 strategies (two whole blocks of the distance pass and a part),
   * two scenarios, five criteria, two of them costs, one of weight 0. */
  enum { ns = 700, nk = 2, nc = 5 };
  const int dir[nc] = {1, -1, 1, -1, 1};
  const double w[nc] = {0.3, 0.2, 0, 0.25, 0.25};
  fx *f = fixture_new(&(fx_opts){.ns = ns, .nk = nk, .nc = nc, .dir = dir, .w = w});
  uint64_t seed = 7;
  size_t n = ns * nk;
  for (size_t i = 0; i < n * nc; i++) f->cube[i] = (uniform(&seed) - 0.2) * 1000;
  double *u1 = malloc(n * sizeof *u1), *u2 = malloc(n * sizeof *u2), range[2 * nc];
  assert_non_null(u1), assert_non_null(u2);
  /* Without the ranges: TOPSIS scans each slab for its extremes. */
  for (size_t c = 0; c < nc; c++)
    assert_int_equal(parley__n_vector(&f->ctx, c, f->cube + c * n, n, dir[c], NAN, NAN,
                                      &f->na[c], &f->nb[c]),
                     PARLEY_OK);
  aggregate_ok(f, parley__a_topsis, u1);
  /* With them, as the pipeline runs it. */
  f->ctx.slab_lo = range, f->ctx.slab_hi = range + nc;
  for (size_t c = 0; c < 2 * nc; c++) range[c] = NAN;
  for (size_t c = 0; c < nc; c++)
    assert_int_equal(parley__n_vector(&f->ctx, c, f->cube + c * n, n, dir[c], NAN, NAN,
                                      &f->na[c], &f->nb[c]),
                     PARLEY_OK);
  for (size_t c = 0; c < nc; c++) {
    /* The ranges left are the slabs' own extremes. */
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
      lo = fmin(lo, f->cube[c * n + i]);
      hi = fmax(hi, f->cube[c * n + i]);
    }
    assert_true(range[c] == lo && range[nc + c] == hi);
  }
  aggregate_ok(f, parley__a_topsis, u2);
  assert_memory_equal(u1, u2, n * sizeof *u1);
  f->ctx.slab_lo = f->ctx.slab_hi = NULL;
  free(u1), free(u2);
  drop(f);
}

/* ==== MABAC's border area over many cells ================================== */
static void test_mabac__chunked_border_area_matches_the_log_sum(void **state) {
  (void)state;
  /* 1300 strategies (two chunks of 512 and a part), one scenario, three
   * criteria, the second a cost.  Expected, by the textbook loop of
   * Pamučar & Ćirović (2015): t the oriented min-max value, g the
   * geometric mean of 1 + t = exp(mean log1p(t)), Q = sum w (1 + t - g). */
  enum { ns = 1300, nc = 3 };
  const int dir[nc] = {1, -1, 1};
  const double w[nc] = {0.5, 0.3, 0.2};
  fx *f = fixture_new(&(fx_opts){.ns = ns, .nk = 1, .nc = nc, .dir = dir, .w = w});
  use_stage(f, "mabac");
  uint64_t seed = 11;
  for (size_t i = 0; i < ns * nc; i++) f->cube[i] = 1 + uniform(&seed) * 99;
  double *u = malloc(ns * sizeof *u), *want = calloc(ns, sizeof *want);
  assert_non_null(u), assert_non_null(want);
  for (size_t c = 0; c < nc; c++) {
    const double *x = f->cube + c * ns;
    double lo = INFINITY, hi = -INFINITY, logs = 0;
    for (size_t i = 0; i < ns; i++) lo = fmin(lo, x[i]), hi = fmax(hi, x[i]);
    for (size_t i = 0; i < ns; i++)
      logs += log1p(dir[c] > 0 ? (x[i] - lo) / (hi - lo) : (hi - x[i]) / (hi - lo));
    double g = exp(logs / ns);
    for (size_t i = 0; i < ns; i++) {
      double t = dir[c] > 0 ? (x[i] - lo) / (hi - lo) : (hi - x[i]) / (hi - lo);
      want[i] += w[c] * (1 + t - g);
    }
  }
  aggregate_ok(f, f->ctx.stage->fn.aggregation, u);
  for (size_t i = 0; i < ns; i++) assert_near(u[i], want[i], 1e-13);
  free(u), free(want);
  drop(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_slab__sums_in_four_lanes_as_documented),
    cmocka_unit_test(test_slab__range_passes_over_nan_and_an_empty_slab),
    cmocka_unit_test(test_slab__sort_orders_signs_zeros_and_extremes),
    cmocka_unit_test(test_slab__sort_gives_what_qsort_gives_on_a_long_slab),
    cmocka_unit_test(test_slab__centred_sums_across_blocks),
    cmocka_unit_test(test_topsis__normalization_ranges_change_no_bit),
    cmocka_unit_test(test_mabac__chunked_border_area_matches_the_log_sum),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
