/*
 * test_ranking.c — ranking (best first, competition ranks, ties within a
 * relative 1e-12 keeping input order) and Kendall's tau-b, the O(n^2)
 * pair count against Knight's O(n log n) algorithm.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "internal.h"
#include "fixture.h"

/* Defined in core/ranking.c (not yet declared in internal.h). */
int parley__kendall_tau_b_knight(parley_engine *e, const double *x, const double *y, size_t n,
                                 double *out);

/* A small deterministic generator (xorshift64*), so runs repeat. */
static uint64_t next(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 2685821657736338717ull;
}
static double uniform(uint64_t *s) { return (double)(next(s) >> 11) * 0x1.0p-53; }

static void check_rank(const double *score, size_t n, bool higher_better, const size_t *want_order,
                       const int *want_rank) {
  size_t order[16];
  int rank[16];
  parley__rank(score, n, higher_better, order, rank);
  for (size_t i = 0; i < n; i++) {
    if (order[i] != want_order[i] || rank[i] != want_rank[i])
      fail_msg("place %zu: strategy %zu rank %d, expected strategy %zu rank %d", i, order[i],
               rank[i], want_order[i], want_rank[i]);
  }
}

static void test_rank__competition_ranking_1_2_2_4(void **state) {
  (void)state;
  const double score[] = {0.9, 0.5, 0.7, 0.7};
  const size_t order[] = {0, 2, 3, 1};
  const int rank[] = {1, 2, 2, 4};
  check_rank(score, 4, true, order, rank);
}

static void test_rank__lower_is_better_reverses_the_order(void **state) {
  (void)state;
  const double score[] = {180, 100, 200, 100};
  const size_t order[] = {1, 3, 0, 2};
  const int rank[] = {1, 1, 3, 4};
  check_rank(score, 4, false, order, rank);
}

static void test_rank__rounding_noise_ties_and_keeps_input_order(void **state) {
  (void)state;
  /* 0.1 + 0.2 is 0.30000000000000004, a hair above 0.3: within 1e-12 they
   * tie, and the tie keeps input order although s1's value is larger. */
  const double score[] = {0.3, 0.1 + 0.2, 0.2};
  assert_true(score[1] > score[0]);
  const size_t order[] = {0, 1, 2};
  const int rank[] = {1, 1, 3};
  check_rank(score, 3, true, order, rank);
}

static void test_rank__tolerance_is_relative_1e_12(void **state) {
  (void)state;
  /* |a - b| <= 1e-12 max(1, |a|, |b|): 1e6 and 1e6 + 5e-7 tie (5e-7 <=
   * 1e-6); 1 and 1 + 4e-12 do not (4e-12 > 1e-12). */
  const double big[] = {1e6, 1e6 + 5e-7};
  const size_t o1[] = {0, 1};
  const int r1[] = {1, 1};
  check_rank(big, 2, true, o1, r1);
  const double small[] = {1, 1 + 4e-12};
  const size_t o2[] = {1, 0};
  const int r2[] = {1, 2};
  check_rank(small, 2, true, o2, r2);
}

static void test_rank__nan_ranks_last(void **state) {
  (void)state;
  const double score[] = {NAN, 0.5, NAN, 0.7};
  const size_t order[] = {3, 1, 0, 2};
  const int rank[] = {1, 2, 3, 3};
  check_rank(score, 4, true, order, rank);
  check_rank(score, 4, false, (const size_t[]){1, 3, 0, 2}, (const int[]){1, 2, 3, 3});
}

static void test_rank__all_equal_and_tiny_inputs(void **state) {
  (void)state;
  const double same[] = {2, 2, 2, 2, 2};
  check_rank(same, 5, true, (const size_t[]){0, 1, 2, 3, 4}, (const int[]){1, 1, 1, 1, 1});
  const double one[] = {42};
  check_rank(one, 1, true, (const size_t[]){0}, (const int[]){1});
  parley__rank(NULL, 0, true, NULL, NULL); /* nothing to do, nothing touched */
}

static void test_rank__a_million_scores_sorted_with_ties_in_input_order(void **state) {
  (void)state;
  size_t n = 1000000;
  double *score = malloc(n * sizeof *score);
  size_t *order = malloc(n * sizeof *order);
  int *rank = malloc(n * sizeof *rank);
  assert_true(score && order && rank);
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  /* Values on a grid of 1/1000 give many exact ties. */
  for (size_t i = 0; i < n; i++) score[i] = floor(uniform(&seed) * 1000) / 1000;
  clock_t t0 = clock();
  parley__rank(score, n, true, order, rank);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  print_message("ranked %zu scores in %.3f s\n", n, secs);
  assert_int_equal(rank[0], 1);
  for (size_t i = 1; i < n; i++) {
    double a = score[order[i - 1]], b = score[order[i]];
    assert_true(a >= b);
    if (a == b) {
      assert_true(order[i - 1] < order[i]);
      assert_int_equal(rank[i], rank[i - 1]);
    } else {
      assert_int_equal(rank[i], (int)(i + 1));
    }
  }
  /* generous: a slow, sanitised build on a busy machine */
  assert_true(secs < 10);
  free(score);
  free(order);
  free(rank);
}

/* Ten groups of 100 scattered strategies each, listed best first (extreme
 * magnitudes, not infinities: the relative tolerance scaled by an infinity
 * is infinite, so an infinity ties with every number): strategy
 * i belongs to group (7 i) mod 10 and, in a group of two values, takes the
 * first or second by (i / 10) mod 2.  By the documented rule the expected
 * places follow by hand: group after group, and inside a group (exactly
 * equal, +0 and -0, or within 1e-12 relative as 1 and 1 + 2^-52) the input
 * order; group g (0-based place among the groups) shares rank 100 g + 1.
 * Lower-is-better reverses the groups, NaN staying last.  A thousand
 * scores exercise the long-input sort path. */
static void test_rank__mixed_signs_zeros_extremes_and_nan_on_long_input(void **state) {
  (void)state;
  enum { n = 1000, ng = 10 };
  const double val[ng][2] = {{1e308, 1e308}, {1e300, 1e300}, {5, 5},  {1, 1 + 0x1p-52},
                             {0.5, 0.5},     {0.0, -0.0},     {-1e-6, -1e-6}, {-3, -3},
                             {-1e308, -1e308}, {NAN, NAN}};
  double score[n];
  size_t order[n];
  int rank[n];
  for (size_t i = 0; i < n; i++) score[i] = val[(7 * i) % ng][(i / 10) % 2];
  for (int hb = 0; hb < 2; hb++) {
    parley__rank(score, n, hb == 1, order, rank);
    size_t place = 0;
    for (int gi = 0; gi < ng; gi++) {
      int g = hb || gi == ng - 1 ? gi : ng - 2 - gi;
      for (size_t i = 0; i < n; i++) {
        if ((int)((7 * i) % ng) != g) continue;
        if (order[place] != i || rank[place] != 100 * gi + 1)
          fail_msg("%s: place %zu: strategy %zu rank %d, expected strategy %zu rank %d",
                   hb ? "higher" : "lower", place, order[place], rank[place], i, 100 * gi + 1);
        place++;
      }
    }
    assert_int_equal(place, n);
  }
}

static void test_rank__sorted_and_reversed_inputs_stay_fast_and_right(void **state) {
  (void)state;
  /* Already sorted, reversed and organ-pipe inputs are quicksort's classic
   * worst cases; the heapsort fallback keeps them O(n log n). */
  size_t n = 200000;
  double *score = malloc(n * sizeof *score);
  size_t *order = malloc(n * sizeof *order);
  int *rank = malloc(n * sizeof *rank);
  assert_true(score && order && rank);
  for (int shape = 0; shape < 3; shape++) {
    for (size_t i = 0; i < n; i++)
      score[i] = shape == 0   ? (double)i
                 : shape == 1 ? (double)(n - i)
                              : (double)(i < n / 2 ? i : n - i);
    parley__rank(score, n, true, order, rank);
    for (size_t i = 1; i < n; i++) assert_true(score[order[i - 1]] >= score[order[i]]);
  }
  free(score);
  free(order);
  free(rank);
}

/* ---- Kendall's tau-b --------------------------------------------------------- */
static double tau_knight(const double *x, const double *y, size_t n) {
  parley_engine *e = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  double t = NAN;
  assert_int_equal(parley__kendall_tau_b_knight(e, x, y, n, &t), PARLEY_OK);
  parley_engine_free(e);
  return t;
}

static void test_tau_b__matches_the_scipy_documented_example(void **state) {
  (void)state;
  /* SciPy's scipy.stats.kendalltau documentation: x = [12, 2, 1, 12, 2],
   * y = [1, 4, 7, 1, 0] gives tau-b = -0.47140452079103173.  By hand: of
   * the 10 pairs, concordant (1,5) (4,5); discordant (1,2) (1,3) (2,3)
   * (2,4) (3,4) (3,5); tied in x (1,4) (2,5), in y (1,4):
   * (2 - 6) / sqrt((10 - 2)(10 - 1)) = -4 / sqrt(72). */
  const double x[] = {12, 2, 1, 12, 2}, y[] = {1, 4, 7, 1, 0};
  assert_near(parley__kendall_tau_b(x, y, 5, true), -0.47140452079103173, 1e-15);
  assert_near(tau_knight(x, y, 5), -0.47140452079103173, 1e-15);
}

static void test_tau_b__hand_worked_with_ties(void **state) {
  (void)state;
  /* x = (1, 2, 2, 3), y = (1, 3, 2, 2); pairs: (1,2) (1,3) (1,4)
   * concordant, (2,4) discordant, (2,3) tied in x, (3,4) tied in y:
   * (3 - 1) / sqrt((6 - 1)(6 - 1)) = 0.4. */
  const double x[] = {1, 2, 2, 3}, y[] = {1, 3, 2, 2};
  assert_near(parley__kendall_tau_b(x, y, 4, true), 0.4, 1e-15);
  assert_near(tau_knight(x, y, 4), 0.4, 1e-15);
  /* direction does not matter: reversing both orders keeps every pair */
  assert_near(parley__kendall_tau_b(x, y, 4, false), 0.4, 1e-15);
}

static void test_tau_b__same_reversed_and_degenerate(void **state) {
  (void)state;
  const double x[] = {1, 2, 3, 4, 5}, r[] = {5, 4, 3, 2, 1}, flat[] = {7, 7, 7, 7, 7};
  assert_near(parley__kendall_tau_b(x, x, 5, true), 1, 0);
  assert_near(parley__kendall_tau_b(x, r, 5, true), -1, 0);
  assert_near(tau_knight(x, x, 5), 1, 0);
  assert_near(tau_knight(x, r, 5), -1, 0);
  /* one ranking all ties: 0; both all ties: the same ranking, 1 */
  assert_near(parley__kendall_tau_b(x, flat, 5, true), 0, 0);
  assert_near(tau_knight(flat, x, 5), 0, 0);
  assert_near(parley__kendall_tau_b(flat, flat, 5, true), 1, 0);
  assert_near(tau_knight(flat, flat, 5), 1, 0);
  /* fewer than two strategies: nothing to disagree on */
  assert_near(parley__kendall_tau_b(x, r, 1, true), 1, 0);
  assert_near(tau_knight(x, r, 1), 1, 0);
}

static void test_tau_b__pair_count_and_knight_agree_on_random_data(void **state) {
  (void)state;
  uint64_t seed = 12345;
  size_t n = 2000;
  double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
  assert_true(x && y);
  for (int trial = 0; trial < 6; trial++) {
    /* coarse grids give ties in x, in y and in both; y leans on x so the
     * coefficient is away from 0 */
    double gx = trial < 3 ? 20 : 1e9, gy = trial % 3 == 0 ? 15 : 1e9;
    for (size_t i = 0; i < n; i++) {
      x[i] = floor(uniform(&seed) * gx) / gx;
      y[i] = floor((0.5 * x[i] + 0.5 * uniform(&seed)) * gy) / gy;
    }
    double slow = parley__kendall_tau_b(x, y, n, true), fast = tau_knight(x, y, n);
    assert_true(fabs(slow) > 0.05);
    assert_near(fast, slow, 1e-12);
  }
  free(x);
  free(y);
}

/* An infinite score ties only with the same infinity: +inf, 1e300 and 5 are
 * three places (by hand: 1e300 is finite, so it is not within 1e-12 of inf). */
static void test_rank__infinity_ties_only_with_itself(void **state) {
  (void)state;
  const double score[] = {5, INFINITY, 1e300, INFINITY};
  size_t order[4];
  int rank[4];
  parley__rank(score, 4, true, order, rank);
  assert_int_equal(order[0], 1);
  assert_int_equal(order[1], 3);
  assert_int_equal(order[2], 2);
  assert_int_equal(order[3], 0);
  assert_int_equal(rank[0], 1);
  assert_int_equal(rank[1], 1);
  assert_int_equal(rank[2], 3);
  assert_int_equal(rank[3], 4);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rank__infinity_ties_only_with_itself),
      cmocka_unit_test(test_rank__competition_ranking_1_2_2_4),
    cmocka_unit_test(test_rank__mixed_signs_zeros_extremes_and_nan_on_long_input),
    cmocka_unit_test(test_rank__lower_is_better_reverses_the_order),
    cmocka_unit_test(test_rank__rounding_noise_ties_and_keeps_input_order),
    cmocka_unit_test(test_rank__tolerance_is_relative_1e_12),
    cmocka_unit_test(test_rank__nan_ranks_last),
    cmocka_unit_test(test_rank__all_equal_and_tiny_inputs),
    cmocka_unit_test(test_rank__a_million_scores_sorted_with_ties_in_input_order),
    cmocka_unit_test(test_rank__sorted_and_reversed_inputs_stay_fast_and_right),
    cmocka_unit_test(test_tau_b__matches_the_scipy_documented_example),
    cmocka_unit_test(test_tau_b__hand_worked_with_ties),
    cmocka_unit_test(test_tau_b__same_reversed_and_degenerate),
    cmocka_unit_test(test_tau_b__pair_count_and_knight_agree_on_random_data),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
