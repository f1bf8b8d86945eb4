/*
 * TOPSIS over more strategies than one block of its streaming loop, through
 * the public API.  Strategy i (0..999) scores i on two benefit criteria of
 * equal weight.  By hand, with vector normalization r = x/N (N the same norm
 * on both criteria) and v = r/2: the anti-ideal is v = 0 and the ideal
 * 999/(2N) on both criteria, so D- = sqrt(2) * i/(2N),
 * D+ = sqrt(2) * (999 - i)/(2N), and the closeness C = D-/(D+ + D-) = i/999.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "parley.h"

enum { N = 1000 };

static void test_topsis__closeness_is_i_over_999_across_blocks(void **state) {
  (void)state;
  parley_engine *e;
  parley_model *m;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  assert_int_equal(parley_model_new(e, &m, "blocks"), PARLEY_OK);
  assert_int_equal(parley_model_add_criterion(m, "a", NULL, PARLEY_MAX, 1), PARLEY_OK);
  assert_int_equal(parley_model_add_criterion(m, "b", NULL, PARLEY_MAX, 1), PARLEY_OK);
  char id[16];
  for (int i = 0; i < N; i++) {
    snprintf(id, sizeof id, "s%d", i);
    assert_int_equal(parley_model_add_strategy(m, id, NULL), PARLEY_OK);
  }
  for (int i = 0; i < N; i++) {
    snprintf(id, sizeof id, "s%d", i);
    assert_int_equal(parley_model_set_outcome(m, id, NULL, "a", i), PARLEY_OK);
    assert_int_equal(parley_model_set_outcome(m, id, NULL, "b", i), PARLEY_OK);
  }
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[PARLEY_STAGE_NORMALIZATION] = "vector";
  o.stage[PARLEY_STAGE_AGGREGATION] = "topsis";
  parley_result *r;
  assert_int_equal(parley_run(e, m, &o, &r), PARLEY_OK);
  for (size_t i = 0; i < N; i++)
    assert_true(fabs(parley_result_score(r, i) - (double)i / (N - 1)) < 1e-12);
  /* Best first: strategy 999 at place 0, strategy 0 last, no ties. */
  size_t s;
  int rank;
  assert_int_equal(parley_result_ranking(r, 0, &s, NULL, &rank), PARLEY_OK);
  assert_int_equal(s, N - 1);
  assert_int_equal(rank, 1);
  assert_int_equal(parley_result_ranking(r, N - 1, &s, NULL, &rank), PARLEY_OK);
  assert_int_equal(s, 0);
  assert_int_equal(rank, N);
  parley_result_free(r);
  parley_model_free(m);
  parley_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_topsis__closeness_is_i_over_999_across_blocks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
