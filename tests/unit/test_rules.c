/*
 * test_rules.c — the built-in decision rules (expected, maximin, maximax,
 * hurwicz, laplace, minimax-regret) on textbook payoff tables, called
 * directly with a hand-made run context.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "internal.h"
#include "methods.h"
#include "fixture.h"

/* Render, Stair & Hanna, Quantitative Analysis for Management (11th ed.,
 * 2012), ch. 3, Thompson Lumber Company, payoffs in $1000:
 *                      favourable   unfavourable market
 *   large plant            200          -180
 *   small plant            100           -20
 *   do nothing               0             0
 * Laid out as utilities u[k * ns + s]: scenario by scenario. */
static const double thompson[] = {200, 100, 0, -180, -20, 0};

/* Anderson, Sweeney, Williams et al., An Introduction to Management Science
 * (ch. 4), Pittsburgh Development Corporation, profit in $ million:
 *                      strong   weak demand
 *   small complex d1       8       7
 *   medium complex d2     14       5
 *   large complex d3      20      -9          P(strong) = 0.8 */
static const double pdc[] = {8, 14, 20, 7, 5, -9};

typedef struct rig {
  parley_engine *e;
  parley__ctx ctx;
  parley__spec spec;
} rig;

static void setup(rig *r, size_t ns, size_t nk) {
  memset(r, 0, sizeof *r);
  assert_int_equal(parley_engine_new(&r->e, NULL), PARLEY_OK);
  r->ctx.engine = r->e;
  r->ctx.ns = ns;
  r->ctx.nk = nk;
}

/* Runs the context as the pipeline would for a spec such as
 * "hurwicz:alpha=0.8". */
static void use_spec(rig *r, const char *text) {
  r->ctx.stage = resolve_stage(r->e, &r->spec, PARLEY_STAGE_RULE, text);
  r->ctx.spec = &r->spec;
}

static void teardown(rig *r) {
  parley__spec_clear(r->e, &r->spec);
  parley_engine_free(r->e);
}

static void test_maximax__picks_the_large_plant(void **state) {
  (void)state;
  /* best case: 200, 100, 0 -> large plant (Render, Stair & Hanna) */
  rig r;
  setup(&r, 3, 2);
  double score[3];
  assert_int_equal(parley__r_maximax(&r.ctx, thompson, NULL, score), PARLEY_OK);
  assert_near(score[0], 200, 0);
  assert_near(score[1], 100, 0);
  assert_near(score[2], 0, 0);
  teardown(&r);
}

static void test_maximin__picks_doing_nothing(void **state) {
  (void)state;
  /* worst case: -180, -20, 0 -> do nothing (Wald; Render, Stair & Hanna) */
  rig r;
  setup(&r, 3, 2);
  double score[3];
  assert_int_equal(parley__r_maximin(&r.ctx, thompson, NULL, score), PARLEY_OK);
  assert_near(score[0], -180, 0);
  assert_near(score[1], -20, 0);
  assert_near(score[2], 0, 0);
  teardown(&r);
}

static void test_hurwicz__criterion_of_realism_alpha_08(void **state) {
  (void)state;
  /* Render, Stair & Hanna, criterion of realism, alpha = 0.8:
   * large 0.8 (200) + 0.2 (-180) = 124, small 0.8 (100) + 0.2 (-20) = 76,
   * nothing 0 -> large plant. */
  rig r;
  setup(&r, 3, 2);
  use_spec(&r, "hurwicz:alpha=0.8");
  double score[3];
  assert_int_equal(parley__r_hurwicz(&r.ctx, thompson, NULL, score), PARLEY_OK);
  assert_near(score[0], 124, 1e-12);
  assert_near(score[1], 76, 1e-12);
  assert_near(score[2], 0, 1e-12);
  teardown(&r);
}

static void test_hurwicz__default_alpha_is_one_half_and_ends_are_maximin_maximax(void **state) {
  (void)state;
  rig r;
  setup(&r, 3, 2);
  use_spec(&r, "hurwicz");
  double score[3], lo[3], hi[3];
  /* alpha 0.5: large (200 - 180) / 2 = 10, small (100 - 20) / 2 = 40, 0 */
  assert_int_equal(parley__r_hurwicz(&r.ctx, thompson, NULL, score), PARLEY_OK);
  assert_near(score[0], 10, 1e-12);
  assert_near(score[1], 40, 1e-12);
  assert_near(score[2], 0, 1e-12);
  parley__spec_clear(r.e, &r.spec);
  use_spec(&r, "hurwicz:alpha=0");
  assert_int_equal(parley__r_hurwicz(&r.ctx, thompson, NULL, score), PARLEY_OK);
  assert_int_equal(parley__r_maximin(&r.ctx, thompson, NULL, lo), PARLEY_OK);
  assert_memory_equal(score, lo, sizeof lo);
  parley__spec_clear(r.e, &r.spec);
  use_spec(&r, "hurwicz:alpha=1");
  assert_int_equal(parley__r_hurwicz(&r.ctx, thompson, NULL, score), PARLEY_OK);
  assert_int_equal(parley__r_maximax(&r.ctx, thompson, NULL, hi), PARLEY_OK);
  assert_memory_equal(score, hi, sizeof hi);
  teardown(&r);
}

static void test_hurwicz__alpha_out_of_range_is_refused_by_the_registry(void **state) {
  (void)state;
  rig r;
  setup(&r, 3, 2);
  assert_int_equal(parley__spec_parse(r.e, &r.spec, "hurwicz:alpha=1.5", "--rule"), PARLEY_OK);
  const parley__stage *st = NULL;
  assert_int_equal(parley__registry_resolve(r.e, PARLEY_STAGE_RULE, &r.spec, "--rule", &st),
                   PARLEY_EINVALID);
  assert_contains(parley_engine_errmsg(r.e), "alpha");
  teardown(&r);
}

static void test_laplace__equally_likely_picks_the_small_plant(void **state) {
  (void)state;
  /* Render, Stair & Hanna, equally likely: large (200 - 180) / 2 = 10,
   * small (100 - 20) / 2 = 40, nothing 0 -> small plant. */
  rig r;
  setup(&r, 3, 2);
  double score[3];
  assert_int_equal(parley__r_laplace(&r.ctx, thompson, NULL, score), PARLEY_OK);
  assert_near(score[0], 10, 1e-12);
  assert_near(score[1], 40, 1e-12);
  assert_near(score[2], 0, 1e-12);
  teardown(&r);
}

static void test_minimax_regret__thompson_lumber_lower_is_better(void **state) {
  (void)state;
  /* Render, Stair & Hanna, opportunity loss: best per market 200 and 0;
   * large: max(0, 180) = 180, small: max(100, 20) = 100,
   * nothing: max(200, 0) = 200 -> small plant, the LOWEST score. */
  rig r;
  setup(&r, 3, 2);
  double score[3];
  assert_int_equal(parley__r_minimax_regret(&r.ctx, thompson, NULL, score), PARLEY_OK);
  assert_near(score[0], 180, 0);
  assert_near(score[1], 100, 0);
  assert_near(score[2], 200, 0);
  size_t order[3];
  int rank[3];
  parley__rank(score, 3, false, order, rank);
  assert_int_equal(order[0], 1);
  assert_int_equal(order[1], 0);
  assert_int_equal(order[2], 2);
  teardown(&r);
}

static void test_minimax_regret__pittsburgh_development_picks_medium(void **state) {
  (void)state;
  /* Anderson, Sweeney & Williams, PDC: regrets (strong best 20, weak best 7)
   * d1 max(12, 0) = 12, d2 max(6, 2) = 6, d3 max(0, 16) = 16 -> d2. */
  rig r;
  setup(&r, 3, 2);
  double score[3];
  assert_int_equal(parley__r_minimax_regret(&r.ctx, pdc, NULL, score), PARLEY_OK);
  assert_near(score[0], 12, 0);
  assert_near(score[1], 6, 0);
  assert_near(score[2], 16, 0);
  teardown(&r);
}

static void test_minimax_regret__is_flagged_lower_is_better(void **state) {
  (void)state;
  rig r;
  setup(&r, 1, 1);
  const parley__stage *st = parley__registry_find(r.e, PARLEY_STAGE_RULE, "minimax-regret");
  assert_non_null(st);
  assert_true(st->flags & PARLEY__LOWER_IS_BETTER);
  const char *higher[] = {"expected", "maximin", "maximax", "hurwicz", "laplace"};
  for (size_t i = 0; i < 5; i++) {
    st = parley__registry_find(r.e, PARLEY_STAGE_RULE, higher[i]);
    assert_non_null(st);
    assert_false(st->flags & PARLEY__LOWER_IS_BETTER);
  }
  st = parley__registry_find(r.e, PARLEY_STAGE_RULE, "expected");
  assert_true(st->flags & PARLEY__NEEDS_PROBABILITIES);
  teardown(&r);
}

static void test_expected__pittsburgh_development_expected_values(void **state) {
  (void)state;
  /* Anderson, Sweeney & Williams, PDC with P(strong) = 0.8:
   * EV(d1) = .8 (8) + .2 (7) = 7.8, EV(d2) = 11.2 + 1 = 12.2,
   * EV(d3) = 16 - 1.8 = 14.2 -> d3. */
  rig r;
  setup(&r, 3, 2);
  const double p[] = {0.8, 0.2};
  double score[3];
  assert_int_equal(parley__r_expected(&r.ctx, pdc, p, score), PARLEY_OK);
  assert_near(score[0], 7.8, 1e-12);
  assert_near(score[1], 12.2, 1e-12);
  assert_near(score[2], 14.2, 1e-12);
  teardown(&r);
}

static void test_expected__without_probabilities_is_an_error(void **state) {
  (void)state;
  rig r;
  setup(&r, 3, 2);
  double score[3];
  assert_int_equal(parley__r_expected(&r.ctx, pdc, NULL, score), PARLEY_EINVALID);
  assert_contains(parley_engine_errmsg(r.e), "rule expected needs scenario probabilities");
  teardown(&r);
}

static void test_rules__one_scenario_gives_the_utilities_back(void **state) {
  (void)state;
  /* With one scenario every higher-is-better rule is the identity and the
   * regret is the gap to the best: (0.6 - 0.2, 0, 0.6 - 0.5). */
  rig r;
  setup(&r, 3, 1);
  const double u[] = {0.2, 0.6, 0.5}, p[] = {1};
  double score[3];
  const parley__rule_fn same[] = {parley__r_maximin, parley__r_maximax, parley__r_laplace,
                                  parley__r_hurwicz};
  for (size_t i = 0; i < 4; i++) {
    assert_int_equal(same[i](&r.ctx, u, NULL, score), PARLEY_OK);
    for (size_t s = 0; s < 3; s++) assert_near(score[s], u[s], 1e-15);
  }
  assert_int_equal(parley__r_expected(&r.ctx, u, p, score), PARLEY_OK);
  for (size_t s = 0; s < 3; s++) assert_near(score[s], u[s], 1e-15);
  assert_int_equal(parley__r_minimax_regret(&r.ctx, u, NULL, score), PARLEY_OK);
  assert_near(score[0], 0.4, 1e-15);
  assert_near(score[1], 0, 0);
  assert_near(score[2], 0.1, 1e-15);
  teardown(&r);
}

static void test_rules__all_equal_utilities_tie_everywhere(void **state) {
  (void)state;
  /* Identical rows: every rule gives every strategy the same score, and
   * the regret is 0 for all; the ranking is then 1, 1, 1. */
  rig r;
  setup(&r, 3, 2);
  const double u[] = {0.4, 0.4, 0.4, 0.9, 0.9, 0.9};
  double score[3];
  assert_int_equal(parley__r_minimax_regret(&r.ctx, u, NULL, score), PARLEY_OK);
  for (size_t s = 0; s < 3; s++) assert_near(score[s], 0, 0);
  size_t order[3];
  int rank[3];
  parley__rank(score, 3, false, order, rank);
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(rank[i], 1);
    assert_int_equal(order[i], i);
  }
  assert_int_equal(parley__r_laplace(&r.ctx, u, NULL, score), PARLEY_OK);
  for (size_t s = 0; s < 3; s++) assert_near(score[s], 0.65, 1e-15);
  teardown(&r);
}

static void test_rules__single_strategy(void **state) {
  (void)state;
  /* One strategy under three scenarios: its own regret is 0 everywhere. */
  rig r;
  setup(&r, 1, 3);
  const double u[] = {0.1, 0.7, 0.4};
  double score;
  assert_int_equal(parley__r_minimax_regret(&r.ctx, u, NULL, &score), PARLEY_OK);
  assert_near(score, 0, 0);
  assert_int_equal(parley__r_maximin(&r.ctx, u, NULL, &score), PARLEY_OK);
  assert_near(score, 0.1, 0);
  assert_int_equal(parley__r_maximax(&r.ctx, u, NULL, &score), PARLEY_OK);
  assert_near(score, 0.7, 0);
  assert_int_equal(parley__r_laplace(&r.ctx, u, NULL, &score), PARLEY_OK);
  assert_near(score, 0.4, 1e-15);
  teardown(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_maximax__picks_the_large_plant),
    cmocka_unit_test(test_maximin__picks_doing_nothing),
    cmocka_unit_test(test_hurwicz__criterion_of_realism_alpha_08),
    cmocka_unit_test(test_hurwicz__default_alpha_is_one_half_and_ends_are_maximin_maximax),
    cmocka_unit_test(test_hurwicz__alpha_out_of_range_is_refused_by_the_registry),
    cmocka_unit_test(test_laplace__equally_likely_picks_the_small_plant),
    cmocka_unit_test(test_minimax_regret__thompson_lumber_lower_is_better),
    cmocka_unit_test(test_minimax_regret__pittsburgh_development_picks_medium),
    cmocka_unit_test(test_minimax_regret__is_flagged_lower_is_better),
    cmocka_unit_test(test_expected__pittsburgh_development_expected_values),
    cmocka_unit_test(test_expected__without_probabilities_is_an_error),
    cmocka_unit_test(test_rules__one_scenario_gives_the_utilities_back),
    cmocka_unit_test(test_rules__all_equal_utilities_tie_everywhere),
    cmocka_unit_test(test_rules__single_strategy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
