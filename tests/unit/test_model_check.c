/*
 * test_model_check.c — parley_run checks the model before each run, and a
 * model that passed and has not changed is not scanned again.  A change
 * through the API after a run must be checked again: here a run succeeds,
 * then the only actor's weights are all set to zero, which the check
 * refuses ("weights are all zero"), so the next run must fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "parley.h"

static void test_check__a_change_after_a_run_is_checked_again(void **state) {
  (void)state;
  parley_engine *e = NULL;
  parley_model *m = NULL;
  parley_result *r = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  assert_int_equal(parley_model_new(e, &m, "check"), PARLEY_OK);
  assert_int_equal(parley_model_add_criterion(m, "gain", NULL, PARLEY_MAX, 1), PARLEY_OK);
  assert_int_equal(parley_model_add_criterion(m, "cost", NULL, PARLEY_MIN, 1), PARLEY_OK);
  assert_int_equal(parley_model_add_strategy(m, "a", NULL), PARLEY_OK);
  assert_int_equal(parley_model_add_strategy(m, "b", NULL), PARLEY_OK);
  assert_int_equal(parley_model_add_actor(m, "us", NULL, NAN), PARLEY_OK);
  assert_int_equal(parley_model_set_actor_weight(m, "us", "gain", 1), PARLEY_OK);
  assert_int_equal(parley_model_set_actor_weight(m, "us", "cost", 1), PARLEY_OK);
  assert_int_equal(parley_model_set_outcome(m, "a", NULL, "gain", 2), PARLEY_OK);
  assert_int_equal(parley_model_set_outcome(m, "a", NULL, "cost", 1), PARLEY_OK);
  assert_int_equal(parley_model_set_outcome(m, "b", NULL, "gain", 1), PARLEY_OK);
  assert_int_equal(parley_model_set_outcome(m, "b", NULL, "cost", 2), PARLEY_OK);

  assert_int_equal(parley_run(e, m, NULL, &r), PARLEY_OK);
  parley_result_free(r);
  r = NULL;
  /* Checked and unchanged: a second run passes the check at once. */
  assert_int_equal(parley_run(e, m, NULL, &r), PARLEY_OK);
  parley_result_free(r);
  r = NULL;

  assert_int_equal(parley_model_set_actor_weight(m, "us", "gain", 0), PARLEY_OK);
  assert_int_equal(parley_model_set_actor_weight(m, "us", "cost", 0), PARLEY_OK);
  assert_int_equal(parley_run(e, m, NULL, &r), PARLEY_EINVALID);
  assert_null(r);
  assert_non_null(strstr(parley_engine_errmsg(e), "weights are all zero"));

  parley_model_free(m);
  parley_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_check__a_change_after_a_run_is_checked_again),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
