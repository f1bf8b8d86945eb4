/*
 * test_ratio_methods.c — the aggregations of core/ratio_methods.c (copras,
 * moora, multimoora, aras, waspas, edas), called directly with a run
 * context built by hand, against the worked examples published with each
 * method, plus degenerate inputs (constant column, zero weight, single
 * strategy, values a method cannot take) and scenarios, whose reference
 * points must span the whole slab.  Each expected number cites its table,
 * or is computed by hand in the comment beside it.
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

/* ---- a hand-made run (fixture.h) -------------------------------------------- */
/* rows[(k * ns + s) * nc + c]: the decision matrix as printed, one row per
 * strategy, scenario blocks one after another.  dir NULL: every criterion
 * is a benefit.  w NULL: equal weights 1 / nc.  Raw-value stages get
 * identity maps from the pipeline, and so from fixture_new. */
static fx *make(size_t ns, size_t nk, size_t nc, const int *dir, const double *w,
                const double *rows) {
  return fixture_new(&(fx_opts){.ns = ns, .nk = nk, .nc = nc, .dir = dir, .w = w, .rows = rows});
}

/* aras with its "optimal" parameter as a model file gives it: JSON text. */
static int use_aras_optimal(fx *f, const char *json) {
  parley__spec_clear(f->e, &f->spec);
  assert_int_equal(parley__spec_parse(f->e, &f->spec, "aras", "pipeline.aggregation"),
                   PARLEY_OK);
  assert_int_equal(parley__spec_add(f->e, &f->spec, "optimal", PARLEY__PJSON, 0, json),
                   PARLEY_OK);
  const parley__stage *st = NULL;
  int rc = parley__registry_resolve(f->e, PARLEY_STAGE_AGGREGATION, &f->spec,
                                    "pipeline.aggregation", &st);
  f->ctx.stage = st;
  f->ctx.spec = &f->spec;
  return rc;
}

static void run_ok(fx *f, parley__aggregation_fn fn) { aggregate_ok(f, fn, f->u); }

/* The competition rank of each u[i] (highest first), as the pipeline ranks
 * (parley__rank gives them by place). */
static void ranks_of(const double *u, size_t n, int *rank) {
  size_t *order = calloc(n, sizeof *order);
  int *place = calloc(n, sizeof *place);
  assert_true(order && place);
  parley__rank(u, n, true, order, place);
  for (size_t t = 0; t < n; t++) rank[order[t]] = place[t];
  free(order);
  free(place);
}

/* ---- published data sets ---------------------------------------------------- */
/* Keshavarz Ghorabaee, Zavadskas, Olfat & Turskis (2015), Informatica 26(3),
 * Table 5: ten alternatives, three benefit then four cost criteria, and
 * (Table 6) seven weight sets; Table 7 ranks the alternatives by EDAS and by
 * COPRAS under each set. */
static const double kg_t5[] = {
  23, 264, 2.37, 0.05, 167, 8900,  8.71,  20, 220, 2.20, 0.04, 171, 9100,  8.23,
  17, 231, 1.98, 0.15, 192, 10800, 9.91,  12, 210, 1.73, 0.20, 195, 12300, 10.21,
  15, 243, 2.00, 0.14, 187, 12600, 9.34,  14, 222, 1.89, 0.13, 180, 13200, 9.22,
  21, 262, 2.43, 0.06, 160, 10300, 8.93,  20, 256, 2.60, 0.07, 163, 11400, 8.44,
  19, 266, 2.10, 0.06, 157, 11200, 9.04,  8,  218, 1.94, 0.11, 190, 13400, 10.11,
};
static const int kg_t5_dir[] = {1, 1, 1, -1, -1, -1, -1};
static const double kg_t6[7][7] = {
  {0.250, 0.214, 0.179, 0.143, 0.107, 0.071, 0.036},
  {0.182, 0.212, 0.182, 0.152, 0.121, 0.091, 0.061},
  {0.139, 0.167, 0.194, 0.167, 0.139, 0.111, 0.083},
  {0.108, 0.135, 0.162, 0.189, 0.162, 0.135, 0.108},
  {0.083, 0.111, 0.139, 0.167, 0.194, 0.167, 0.139},
  {0.061, 0.091, 0.121, 0.152, 0.182, 0.212, 0.182},
  {0.036, 0.071, 0.107, 0.143, 0.179, 0.214, 0.250},
};

/* Runs fn on Table 5 under each weight set of Table 6 and compares the
 * ranks of A1..A10 with published[set] (a method's rows of Table 7). */
static void ranks_match_kg_t7(parley__aggregation_fn fn, const int published[7][10]) {
  for (size_t set = 0; set < 7; set++) {
    fx *f = make(10, 1, 7, kg_t5_dir, kg_t6[set], kg_t5);
    run_ok(f, fn);
    int rank[10];
    ranks_of(f->u, 10, rank);
    for (size_t s = 0; s < 10; s++)
      if (rank[s] != published[set][s])
        fail_msg("weight set %zu: A%zu ranks %d, Table 7 says %d", set + 1, s + 1, rank[s],
                 published[set][s]);
    drop(f);
  }
}

/* Brauers & Zavadskas (2010), TEDE 16(1), Appendix C, Table 2a: three
 * projects on nine objectives (NPV, IRR, payback (min), government income,
 * employment, value added, risk (min), balance of payments, investment);
 * the paper weighs them equally (no importance coefficients). */
static const double bz_2010[] = {
  1.0, 14, 9, 200, 600,  20.0, 20, 3.5, 2.50,
  1.6, 16, 7, 150, 800,  13.5, 25, 4.0, 1.50,
  2.0, 17, 5, 80,  1200, 10.0, 30, 3.8, 1.25,
};
static const int bz_2010_dir[] = {1, 1, -1, 1, 1, 1, -1, 1, 1};

/* Podvezko (2011), Engineering Economics 22(2), Table 1: Estonia, Latvia,
 * Lithuania, Poland on GDP growth, production growth, average salary,
 * unemployment (min) and export/import; weights of Table 2. */
static const double podvezko_t1[] = {
  5.1, 9.8,  430, 9.3,  0.70,
  7.5, 6.5,  298, 10.3, 0.55,
  9.7, 16.1, 306, 11.6, 0.73,
  3.8, 8.4,  501, 19.3, 0.79,
};
static const int podvezko_t1_dir[] = {1, 1, 1, -1, 1};
static const double podvezko_t1_w[] = {0.35, 0.10, 0.17, 0.25, 0.13};

/* ==== copras ============================================================== */
static void test_copras__matches_podvezko_2011_variant_ii(void **state) {
  (void)state;
  /* Podvezko (2011), Table 7, variant II: three alternatives, two benefit
   * then two cost criteria, weights 0.26, 0.23, 0.24, 0.27. */
  const double rows[] = {42, 19, 13, 110, 71, 18, 11, 200, 53, 20, 12, 149};
  const int dir[] = {1, 1, -1, -1};
  const double w[] = {0.26, 0.23, 0.24, 0.27};
  fx *f = make(3, 1, 4, dir, w, rows);
  run_ok(f, parley__a_copras);
  /* Table 8, variant II: Q (Z) = 0.332, 0.334, 0.335, ranks 3, 2, 1
   * (printed to three places). */
  assert_near(f->u[0], 0.332, 5e-4);
  assert_near(f->u[1], 0.334, 5e-4);
  assert_near(f->u[2], 0.335, 5e-4);
  int rank[3];
  ranks_of(f->u, 3, rank);
  assert_int_equal(rank[0], 3);
  assert_int_equal(rank[1], 2);
  assert_int_equal(rank[2], 1);
  /* The utility degree N = Q / Qmax, in the diagnostics; the best is 1. */
  cJSON *d = diag(f);
  assert_near(json_num(d, "utility_degree", "s2", "k0", NULL), 1, 1e-15);
  assert_near(json_num(d, "utility_degree", "s0", "k0", NULL), f->u[0] / f->u[2], 1e-15);
  assert_near(json_num(d, "utility_degree", "s1", "k0", NULL), f->u[1] / f->u[2], 1e-15);
  cJSON_Delete(d);
  drop(f);
}

static void test_copras__ranks_match_keshavarz_ghorabaee_2015_table_7(void **state) {
  (void)state;
  /* Keshavarz Ghorabaee et al. (2015), Table 7, COPRAS rows: the ranks of
   * A1..A10 under the weight sets of Table 6. */
  static const int published[7][10] = {
    {1, 3, 6, 10, 7, 8, 2, 4, 5, 9}, {1, 3, 6, 10, 7, 8, 2, 4, 5, 9},
    {1, 2, 6, 10, 7, 8, 3, 4, 5, 9}, {1, 2, 7, 10, 6, 8, 3, 4, 5, 9},
    {1, 2, 7, 10, 6, 8, 3, 4, 5, 9}, {1, 2, 6, 10, 7, 8, 3, 4, 5, 9},
    {2, 1, 7, 10, 6, 8, 3, 4, 5, 9},
  };
  ranks_match_kg_t7(parley__a_copras, published);
}

static void test_copras__utilities_sum_to_the_weights(void **state) {
  (void)state;
  /* Podvezko (2011), Eq. 20: sum_i Q_i = sum_j w_j.  The sums run over the
   * slab, so with two scenarios the six cells share the weights' sum. */
  const double rows[] = {42, 19, 13, 110, 71, 18, 11, 200, 53, 20, 12, 149,
                         40, 22, 9,  120, 60, 15, 14, 180, 50, 25, 10, 160};
  const int dir[] = {1, 1, -1, -1};
  const double w[] = {0.26, 0.23, 0.24, 0.27};
  fx *f = make(3, 2, 4, dir, w, rows);
  run_ok(f, parley__a_copras);
  double sum = 0;
  for (size_t i = 0; i < 6; i++) sum += f->u[i];
  assert_near(sum, 1, 1e-12);
  drop(f);
}

static void test_copras__benefit_only_is_the_sum_normalised_weighted_sum(void **state) {
  (void)state;
  /* No cost criterion: Q = S+.  By hand, columns (1, 3) and (2, 2), weights
   * 0.5 each: Q = 0.5 * 1/4 + 0.5 * 2/4 = 0.375 and 0.5 * 3/4 + 0.5 * 2/4 =
   * 0.625; N = 0.375 / 0.625 = 0.6 and 1. */
  const double rows[] = {1, 2, 3, 2};
  fx *f = make(2, 1, 2, NULL, NULL, rows);
  run_ok(f, parley__a_copras);
  assert_near(f->u[0], 0.375, 1e-15);
  assert_near(f->u[1], 0.625, 1e-15);
  cJSON *d = diag(f);
  assert_near(json_num(d, "utility_degree", "s0", "k0", NULL), 0.6, 1e-15);
  cJSON_Delete(d);
  drop(f);
}

static void test_copras__rejects_a_zero_cost_and_a_negative_benefit(void **state) {
  (void)state;
  const double rows[] = {1, 2, 3, 0};
  const int dir[] = {1, -1};
  fx *f = make(2, 1, 2, dir, NULL, rows);
  assert_int_equal(parley__a_copras(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "aggregation copras");
  assert_msg_has(f, "criterion 'c1'");
  assert_msg_has(f, "strategy 's1'");
  drop(f);
  const double neg[] = {-1, 2, 3, 4};
  f = make(2, 1, 2, dir, NULL, neg);
  assert_int_equal(parley__a_copras(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "criterion 'c0'");
  drop(f);
}

static void test_copras__zero_benefit_column_adds_nothing(void **state) {
  (void)state;
  /* Column c0 is all zeros: it shares out nothing, Q = 0.5 * (1/4, 3/4). */
  const double rows[] = {0, 1, 0, 3};
  fx *f = make(2, 1, 2, NULL, NULL, rows);
  run_ok(f, parley__a_copras);
  assert_near(f->u[0], 0.125, 1e-15);
  assert_near(f->u[1], 0.375, 1e-15);
  drop(f);
  /* Nothing at all to share: every Q is 0 and every N is 1. */
  const double zeros[] = {0, 0, 0, 0};
  f = make(2, 1, 2, NULL, NULL, zeros);
  run_ok(f, parley__a_copras);
  assert_true(f->u[0] == 0 && f->u[1] == 0);
  cJSON *d = diag(f);
  assert_near(json_num(d, "utility_degree", "s0", "k0", NULL), 1, 0);
  cJSON_Delete(d);
  drop(f);
}

static void test_copras__diagnostics_escape_strategy_ids(void **state) {
  (void)state;
  const double rows[] = {1, 3};
  fx *f = make(2, 1, 1, NULL, NULL, rows);
  f->strat[0].id = "a \"quoted\"\\id\n";
  run_ok(f, parley__a_copras);
  cJSON *d = diag(f);
  assert_near(json_num(d, "utility_degree", "a \"quoted\"\\id\n", "k0", NULL), 1.0 / 3, 1e-15);
  cJSON_Delete(d);
  drop(f);
}

/* ==== moora =============================================================== */
static void test_moora__matches_brauers_zavadskas_2010_ratio_system(void **state) {
  (void)state;
  /* Appendix C, Table 2c: the ratio system sums 2.93480 (A), 2.723 (B),
   * 2.698 (C) with every objective counted once; with the engine's weights
   * 1/9 each, y = sum / 9.  B and C are printed to three places. */
  fx *f = make(3, 1, 9, bz_2010_dir, NULL, bz_2010);
  run_ok(f, parley__a_moora);
  assert_near(9 * f->u[0], 2.93480, 5e-5);
  assert_near(9 * f->u[1], 2.723, 5e-4);
  assert_near(9 * f->u[2], 2.698, 5e-4);
  drop(f);
}

static void test_moora__by_hand_with_cost_negative_and_zero_columns(void **state) {
  (void)state;
  /* c0 benefit (3, 4): norm 5, x* = 0.6, 0.8.  c1 cost (-1, 1): norm sqrt 2,
   * x* = -0.7071, 0.7071.  c2 all zeros: x* = 0.  Weights 0.5, 0.25, 0.25:
   * y = 0.5 * 0.6 + 0.25 * 0.70711 = 0.47678 and 0.5 * 0.8 - 0.25 * 0.70711
   * = 0.22322. */
  const double rows[] = {3, -1, 0, 4, 1, 0};
  const int dir[] = {1, -1, 1};
  const double w[] = {0.5, 0.25, 0.25};
  fx *f = make(2, 1, 3, dir, w, rows);
  run_ok(f, parley__a_moora);
  assert_near(f->u[0], 0.3 + 0.25 * sqrt(0.5), 1e-15);
  assert_near(f->u[1], 0.4 - 0.25 * sqrt(0.5), 1e-15);
  drop(f);
}

static void test_moora__norm_spans_every_scenario(void **state) {
  (void)state;
  /* One benefit criterion: scenario k0 (3, 0), k1 (0, 4).  The norm of the
   * slab is 5, so k0 gives 0.6, 0 and k1 0, 0.8 (per scenario it would be
   * 1, 0 and 0, 1). */
  const double rows[] = {3, 0, 0, 4};
  fx *f = make(2, 2, 1, NULL, NULL, rows);
  run_ok(f, parley__a_moora);
  assert_near(f->u[0], 0.6, 1e-15);
  assert_near(f->u[1], 0, 1e-15);
  assert_near(f->u[2], 0, 1e-15);
  assert_near(f->u[3], 0.8, 1e-15);
  drop(f);
}

/* ==== multimoora ========================================================== */
static void test_multimoora__matches_brauers_zavadskas_2010(void **state) {
  (void)state;
  fx *f = make(3, 1, 9, bz_2010_dir, NULL, bz_2010);
  run_ok(f, parley__a_multimoora);
  cJSON *d = diag(f);
  /* Ratio system, Appendix C, Table 2c (times 9, see moora above). */
  assert_near(9 * json_num(d, "ratio_system", "score", "s0", "k0", NULL), 2.93480, 5e-5);
  assert_near(9 * json_num(d, "ratio_system", "score", "s1", "k0", NULL), 2.723, 5e-4);
  assert_near(9 * json_num(d, "ratio_system", "score", "s2", "k0", NULL), 2.698, 5e-4);
  /* Reference point, Appendix C, Table 2e: the largest deviations from the
   * reference point, 0.38411 (A), 0.3152442 (B), 0.4571636 (C), unweighted;
   * with the weights 1/9 each deviation is a ninth. */
  assert_near(9 * json_num(d, "reference_point", "score", "s0", "k0", NULL), 0.38411, 5e-6);
  assert_near(9 * json_num(d, "reference_point", "score", "s1", "k0", NULL), 0.3152442, 5e-8);
  assert_near(9 * json_num(d, "reference_point", "score", "s2", "k0", NULL), 0.4571636, 5e-8);
  /* Full multiplicative form, Appendix D, Table 3: U = 1 633 333, 1 421 897,
   * 1 033 600 (decimals dropped).  With exponents 1/9 the engine's U is the
   * ninth root, reported as U / Umax: so (U / Umax)^9 is the paper's
   * ratio. */
  assert_near(json_num(d, "multiplicative", "score", "s0", "k0", NULL), 1, 1e-15);
  assert_near(pow(json_num(d, "multiplicative", "score", "s1", "k0", NULL), 9),
              1421897.0 / 1633333.0, 1e-6);
  assert_near(pow(json_num(d, "multiplicative", "score", "s2", "k0", NULL), 9),
              1033600.0 / 1633333.0, 1e-6);
  /* Table 1: ratio system A, B, C; reference point B, A, C; multiplicative
   * form A, B, C; MULTIMOORA A, B, C. */
  static const char *const method[] = {"ratio_system", "reference_point", "multiplicative"};
  static const double rank[3][3] = {{1, 2, 3}, {2, 1, 3}, {1, 2, 3}};
  static const char *const sid[] = {"s0", "s1", "s2"};
  for (size_t m = 0; m < 3; m++)
    for (size_t s = 0; s < 3; s++)
      assert_near(json_num(d, method[m], "rank", sid[s], "k0", NULL), rank[m][s], 0);
  cJSON_Delete(d);
  /* The utility, by hand from those ranks: rank sums 4, 5, 9 over n = 3
   * cells, u = 1 - (sum - 3) / (3 * 2) = 5/6, 2/3, 0 — A, B, C as in the
   * paper. */
  assert_near(f->u[0], 5.0 / 6, 1e-15);
  assert_near(f->u[1], 2.0 / 3, 1e-15);
  assert_near(f->u[2], 0, 1e-15);
  drop(f);
}

static void test_multimoora__ranks_span_every_scenario(void **state) {
  (void)state;
  /* One benefit criterion, k0 (1, 2), k1 (3, 4): all three methods order
   * the four cells 4 > 3 > 2 > 1, so their ranks over the slab are 4, 3, 2,
   * 1 and u = 1 - 3 (r - 1) / 9 = 0, 1/3, 2/3, 1 (per scenario, the two
   * scenarios would each give 0 and 1). */
  const double rows[] = {1, 2, 3, 4};
  fx *f = make(2, 2, 1, NULL, NULL, rows);
  run_ok(f, parley__a_multimoora);
  assert_near(f->u[0], 0, 1e-15);
  assert_near(f->u[1], 1.0 / 3, 1e-15);
  assert_near(f->u[2], 2.0 / 3, 1e-15);
  assert_near(f->u[3], 1, 1e-15);
  cJSON *d = diag(f);
  assert_near(json_num(d, "reference_point", "rank", "s0", "k1", NULL), 2, 0);
  cJSON_Delete(d);
  drop(f);
}

static void test_multimoora__ties_share_ranks_and_utility(void **state) {
  (void)state;
  /* s0 and s1 identical, s2 better on both: ranks 2, 2, 1 in all three
   * methods, rank sums 6, 6, 3, u = 1 - 3/6 = 0.5, 0.5 and 1. */
  const double rows[] = {1, 5, 1, 5, 2, 6};
  fx *f = make(3, 1, 2, NULL, NULL, rows);
  run_ok(f, parley__a_multimoora);
  assert_near(f->u[0], 0.5, 1e-15);
  assert_near(f->u[1], 0.5, 1e-15);
  assert_near(f->u[2], 1, 1e-15);
  drop(f);
}

static void test_multimoora__rejects_a_non_positive_value(void **state) {
  (void)state;
  const double rows[] = {1, 2, 0, 4};
  fx *f = make(2, 1, 2, NULL, NULL, rows);
  assert_int_equal(parley__a_multimoora(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "aggregation multimoora");
  assert_msg_has(f, "criterion 'c0'");
  assert_msg_has(f, "multiplicative");
  assert_null(f->ctx.diagnostics);
  drop(f);
}

/* ==== aras ================================================================ */
/* Zavadskas & Turskis (2010), TEDE 16(2), Table 1 (zt2010_rooms, fixture.h),
 * with the optimal values of the norms (alternative 0). */
static const char zt_optimal[] =
    "{\"c0\": 15, \"c1\": 50, \"c2\": 24.5, \"c3\": 400, \"c4\": 0.05, \"c5\": 5}";

static void test_aras__matches_zavadskas_turskis_2010(void **state) {
  (void)state;
  fx *f = make(14, 1, 6, zt2010_dir, zt2010_w, zt2010_rooms);
  assert_int_equal(use_aras_optimal(f, zt_optimal), PARLEY_OK);
  run_ok(f, parley__a_aras);
  /* Table 3: S0 = 0.0997 and the utility degrees K of rooms 1..14.  The
   * paper rounds its intermediate tables to four places, hence 2e-4. */
  static const double k[14] = {0.6707, 0.6564, 0.6269, 0.6315, 0.5464, 0.5580, 0.5659,
                               NAN,    0.7734, 0.6004, 0.6773, 0.6628, 0.6334, 0.6511};
  for (size_t s = 0; s < 14; s++)
    if (s != 7) assert_near(f->u[s], k[s], 2e-4);
  /* Room 8: Table 3 prints S = 0.0771, K = 0.7727, which the data of
   * Table 1 do not give (every other room matches).  From Table 1, the
   * column sums over rooms 0..14 are
   * 97, 644, 290.5, 4740 and, for the costs read as 1/x, 240 and 1.875180;
   * S8 = 0.21 * 7.9/97 + 0.16 * 44/644 + 0.26 * 20/290.5 + 0.17 * 400/4740
   *    + 0.12 * 20/240 + 0.08 * (1/6)/1.875180
   *    = 0.017103 + 0.010932 + 0.017900 + 0.014346 + 0.010000 + 0.007110
   *    = 0.077391, and S0 = 0.032474 + 0.012422 + 0.021928 + 0.014346 +
   * 0.010000 + 0.008533 = 0.099703, so K8 = 0.776221. */
  assert_near(f->u[7], 0.776221, 1e-6);
  cJSON *d = diag(f);
  assert_near(json_num(d, "s0", NULL), 0.0997, 5e-5);
  assert_near(json_num(d, "optimal", "c2", NULL), 24.5, 0);
  cJSON_Delete(d);
  drop(f);
}

static void test_aras__default_optimum_is_the_slab_best(void **state) {
  (void)state;
  /* Benefit (2, 4), cost (1, 2), weights 0.5: alternative 0 is (4, 1).
   * Benefit shares of 4 + 2 + 4 = 10: 0.4, 0.2, 0.4; cost read as 1/x,
   * 1 + 1 + 0.5 = 2.5: 0.4, 0.4, 0.2.  S0 = 0.4, S = 0.3 and 0.3; K = 0.75
   * for both. */
  const double rows[] = {2, 1, 4, 2};
  const int dir[] = {1, -1};
  fx *f = make(2, 1, 2, dir, NULL, rows);
  run_ok(f, parley__a_aras);
  assert_near(f->u[0], 0.75, 1e-15);
  assert_near(f->u[1], 0.75, 1e-15);
  cJSON *d = diag(f);
  assert_near(json_num(d, "optimal", "c0", NULL), 4, 0);
  assert_near(json_num(d, "optimal", "c1", NULL), 1, 0);
  assert_near(json_num(d, "s0", NULL), 0.4, 1e-15);
  cJSON_Delete(d);
  drop(f);
}

static void test_aras__optimal_spans_every_scenario(void **state) {
  (void)state;
  /* One benefit criterion, k0 (1, 2), k1 (3, 4): alternative 0 is 4 (the
   * best of the slab), so K = x / 4 = 0.25, 0.5, 0.75, 1. */
  const double rows[] = {1, 2, 3, 4};
  fx *f = make(2, 2, 1, NULL, NULL, rows);
  run_ok(f, parley__a_aras);
  for (size_t i = 0; i < 4; i++) assert_near(f->u[i], 0.25 * (double)(i + 1), 1e-15);
  drop(f);
}

static void test_aras__refuses_a_bad_optimal_parameter(void **state) {
  (void)state;
  const double rows[] = {2, 1, 4, 2};
  const int dir[] = {1, -1};
  fx *f = make(2, 1, 2, dir, NULL, rows);
  assert_int_equal(use_aras_optimal(f, "{\"nope\": 3}"), PARLEY_OK);
  assert_int_equal(parley__a_aras(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "aggregation aras");
  assert_msg_has(f, "'nope'");
  assert_int_equal(use_aras_optimal(f, "[1, 2]"), PARLEY_OK);
  assert_int_equal(parley__a_aras(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "parameter 'optimal' must be a JSON object");
  assert_int_equal(use_aras_optimal(f, "{\"c1\": 0}"), PARLEY_OK);
  assert_int_equal(parley__a_aras(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "criterion 'c1' must be a number > 0");
  assert_int_equal(use_aras_optimal(f, "{\"c0\": \"high\"}"), PARLEY_OK);
  assert_int_equal(parley__a_aras(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "criterion 'c0'");
  assert_null(f->ctx.diagnostics);
  drop(f);
}

static void test_aras__optimum_worse_than_a_strategy_gives_k_above_one(void **state) {
  (void)state;
  /* Benefit (2, 4) with the optimal value 2 given: shares of 2 + 2 + 4 = 8,
   * S0 = 0.25, S = 0.25 and 0.5, K = 1 and 2. */
  const double rows[] = {2, 4};
  fx *f = make(2, 1, 1, NULL, NULL, rows);
  assert_int_equal(use_aras_optimal(f, "{\"c0\": 2}"), PARLEY_OK);
  run_ok(f, parley__a_aras);
  assert_near(f->u[0], 1, 1e-15);
  assert_near(f->u[1], 2, 1e-15);
  drop(f);
}

static void test_aras__rejects_a_zero_cost(void **state) {
  (void)state;
  const double rows[] = {2, 0, 4, 2};
  const int dir[] = {1, -1};
  fx *f = make(2, 1, 2, dir, NULL, rows);
  assert_int_equal(parley__a_aras(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "criterion 'c1'");
  assert_msg_has(f, "1/x");
  drop(f);
}

/* ==== waspas ============================================================== */
/* Zavadskas, Turskis, Antucheviciene & Zakarevicius (2012), Elektronika ir
 * Elektrotechnika 122(6), Table 1: four alternatives on twelve criteria,
 * already normalised (every column's largest value is 1), with entropy
 * weights (printed to four places; they sum to 1.0001).  a1's fifth value
 * is taken as 0.1000, the value that reproduces the paper's own results for
 * a1 in Tables 2 and 4; the table as transcribed reads 1.0000, which would
 * put Q(lambda = 1) 0.0625 * 0.9 = 0.0563 above Table 2's 0.6120. */
static const double zt2012[] = {
  0.8486, 0.6364, 0.7982, 0.6707, 0.1000, 0.8534, 0.6622, 0.8618, 0.1432, 0.1585, 1.0000, 0.4531,
  1.0000, 1.0000, 1.0000, 0.7976, 0.7000, 0.9005, 0.9324, 0.6788, 1.0000, 0.6500, 0.7270, 0.7346,
  0.6542, 0.7000, 0.9169, 0.8951, 0.6000, 0.9791, 0.6216, 0.9479, 0.1340, 0.1585, 0.9795, 0.6728,
  0.3694, 0.4375, 0.9407, 1.0000, 1.0000, 1.0000, 1.0000, 1.0000, 0.5478, 1.0000, 0.3754, 1.0000,
};
static const double zt2012_w[] = {0.0627, 0.0508, 0.1114, 0.0874, 0.0625, 0.1183,
                                  0.0784, 0.0984, 0.0530, 0.1417, 0.0798, 0.0557};

static void test_waspas__matches_zavadskas_et_al_2012_table_2(void **state) {
  (void)state;
  /* Table 2: Q of a1..a4 for lambda = 0, 0.1, ..., 1 (four places; the
   * paper's inputs are themselves rounded, hence 5e-4). */
  static const double q[4][11] = {
    {0.4912, 0.5033, 0.5154, 0.5274, 0.5395, 0.5516, 0.5637, 0.5758, 0.5878, 0.5999, 0.6120},
    {0.8173, 0.8185, 0.8197, 0.8209, 0.8221, 0.8233, 0.8244, 0.8256, 0.8268, 0.8280, 0.8292},
    {0.5873, 0.5983, 0.6093, 0.6203, 0.6313, 0.6423, 0.6532, 0.6642, 0.6752, 0.6862, 0.6972},
    {0.8015, 0.8066, 0.8116, 0.8167, 0.8217, 0.8268, 0.8318, 0.8369, 0.8419, 0.8470, 0.8520},
  };
  fx *f = make(4, 1, 12, NULL, zt2012_w, zt2012);
  for (int l = 0; l <= 10; l++) {
    char spec[64];
    snprintf(spec, sizeof spec, "waspas:lambda=%g", l / 10.0);
    use_stage(f, spec);
    run_ok(f, parley__a_waspas);
    for (size_t s = 0; s < 4; s++)
      if (!(fabs(f->u[s] - q[s][l]) <= 5e-4))
        fail_msg("lambda %g: a%zu Q = %.5f, Table 2 says %.4f", l / 10.0, s + 1, f->u[s], q[s][l]);
  }
  /* Lambda 0.5 (the paper's Eq. 5): a4 > a2 > a3 > a1. */
  use_stage(f, "waspas");
  run_ok(f, parley__a_waspas);
  int rank[4];
  ranks_of(f->u, 4, rank);
  assert_int_equal(rank[0], 4);
  assert_int_equal(rank[1], 2);
  assert_int_equal(rank[2], 3);
  assert_int_equal(rank[3], 1);
  drop(f);
}

static void test_waspas__lambda_one_is_podvezko_2011_saw(void **state) {
  (void)state;
  /* lambda = 1 is SAW with x / max x and, for the cost criterion, min x / x
   * (Podvezko 2011, Eqs. 2-3).  Table 3: S = 0.756 (Estonia), 0.728
   * (Latvia), 0.610 (Poland).  Lithuania is printed 0.872, but Table 1
   * gives 0.35 * 9.7/9.7 + 0.10 * 16.1/16.1 + 0.17 * 306/501
   * + 0.25 * 9.3/11.6 + 0.13 * 0.73/0.79 = 0.35 + 0.10 + 0.103832 + 0.200431
   * + 0.120127 = 0.874390. */
  fx *f = make(4, 1, 5, podvezko_t1_dir, podvezko_t1_w, podvezko_t1);
  use_stage(f, "waspas:lambda=1");
  run_ok(f, parley__a_waspas);
  assert_near(f->u[0], 0.756, 5e-4);
  assert_near(f->u[1], 0.728, 5e-4);
  assert_near(f->u[2], 0.874390, 1e-6);
  assert_near(f->u[3], 0.610, 5e-4);
  drop(f);
}

static void test_waspas__maximum_spans_every_scenario(void **state) {
  (void)state;
  /* One benefit criterion, k0 (2, 4), k1 (8, 6): max over the slab 8, so
   * r = 0.25, 0.5, 1, 0.75 and, with one criterion of weight 1, WSM = WPM
   * = r whatever lambda. */
  const double rows[] = {2, 4, 8, 6};
  fx *f = make(2, 2, 1, NULL, NULL, rows);
  use_stage(f, "waspas:lambda=0.3");
  run_ok(f, parley__a_waspas);
  assert_near(f->u[0], 0.25, 1e-15);
  assert_near(f->u[1], 0.5, 1e-15);
  assert_near(f->u[2], 1, 1e-15);
  assert_near(f->u[3], 0.75, 1e-15);
  drop(f);
}

static void test_waspas__zero_benefit_value_zeroes_the_product(void **state) {
  (void)state;
  /* s0 has 0 on c0: r = 0, WPM = 0; with lambda 0.5, Q = 0.5 * WSM.  c0
   * (0, 2), c1 (1, 1), weights 0.5: WSM = 0.5 * 0 + 0.5 * 1 = 0.5, Q =
   * 0.25; s1: WSM = WPM = 1, Q = 1.  A benefit column of zeros (c0 all 0)
   * puts no cell above another: r = 1. */
  const double rows[] = {0, 1, 2, 1};
  fx *f = make(2, 1, 2, NULL, NULL, rows);
  run_ok(f, parley__a_waspas);
  assert_near(f->u[0], 0.25, 1e-15);
  assert_near(f->u[1], 1, 1e-15);
  drop(f);
  const double zeros[] = {0, 1, 0, 2};
  f = make(2, 1, 2, NULL, NULL, zeros);
  use_stage(f, "waspas:lambda=1");
  run_ok(f, parley__a_waspas);
  assert_near(f->u[0], 0.5 + 0.5 * 0.5, 1e-15);
  assert_near(f->u[1], 1, 1e-15);
  drop(f);
}

static void test_waspas__refuses_bad_values_and_lambda(void **state) {
  (void)state;
  const double rows[] = {1, 0, 2, 3};
  const int dir[] = {1, -1};
  fx *f = make(2, 1, 2, dir, NULL, rows);
  assert_int_equal(parley__a_waspas(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "aggregation waspas");
  assert_msg_has(f, "criterion 'c1'");
  assert_msg_has(f, "min x / x");
  /* lambda outside [0, 1] is refused before the run, naming it. */
  parley__spec_clear(f->e, &f->spec);
  assert_int_equal(parley__spec_parse(f->e, &f->spec, "waspas:lambda=1.5", "--aggregation"),
                   PARLEY_OK);
  const parley__stage *st = NULL;
  assert_int_equal(
      parley__registry_resolve(f->e, PARLEY_STAGE_AGGREGATION, &f->spec, "--aggregation", &st),
      PARLEY_EINVALID);
  assert_msg_has(f, "lambda");
  drop(f);
}

/* ==== edas ================================================================ */
/* Keshavarz Ghorabaee et al. (2015), Table 1: 47 stock-keeping units on
 * average unit cost, annual dollar usage and lead time, all benefit
 * criteria (importance for the classification), equal weights. */
static const double kg_sku[] = {
  49.92, 5840.64, 2,  210,   5670,   5,  23.76, 5037.12, 4,  27.73,  4769.56, 1,
  57.98, 3478.8,  3,  31.24, 2936.67, 3,  28.2,  2820,    3,  55,     2640,    4,
  73.44, 2423.52, 6,  160.5, 2407.5,  4,  5.12,  1075.2,  2,  20.87,  1043.5,  5,
  86.5,  1038,    7,  110.4, 883.2,   5,  71.2,  854.4,   3,  45,     810,     3,
  14.66, 703.68,  4,  49.5,  594,     6,  47.5,  570,     5,  58.45,  467.6,   4,
  24.4,  463.6,   4,  65,    455,     4,  86.5,  432.5,   4,  33.2,   398.4,   3,
  37.05, 370.5,   1,  33.84, 338.4,   3,  84.03, 336.12,  1,  78.4,   313.6,   6,
  134.34, 268.68, 7,  56,    224,     1,  72,    216,     5,  53.02,  212.08,  2,
  49.48, 197.92,  5,  7.07,  190.89,  7,  60.6,  181.8,   3,  40.82,  163.28,  3,
  30,    150,     5,  67.4,  134.8,   3,  59.6,  119.2,   5,  51.68,  103.36,  6,
  19.8,  79.2,    2,  37.7,  75.4,    2,  29.89, 59.78,   5,  48.3,   48.3,    3,
  34.4,  34.4,    7,  28.8,  28.8,    3,  8.46,  25.38,   5,
};

static void test_edas__matches_keshavarz_ghorabaee_2015_table_2(void **state) {
  (void)state;
  fx *f = make(47, 1, 3, NULL, NULL, kg_sku);
  run_ok(f, parley__a_edas);
  /* Table 2, AS of SKU 1..47 to two places.  The paper rounds its
   * intermediate columns, and two of its values sit just past the rounding
   * of the exact ones (SKU 11: 0.1549 printed 0.16; SKU 36: 0.1748 printed
   * 0.18), hence 6e-3. */
  static const double as[47] = {
    0.66, 1.00, 0.61, 0.43, 0.60, 0.45, 0.43, 0.60, 0.64, 0.72, 0.16, 0.36, 0.58, 0.54, 0.41, 0.34,
    0.24, 0.40, 0.37, 0.37, 0.23, 0.37, 0.39, 0.19, 0.08, 0.18, 0.19, 0.39, 0.47, 0.13, 0.35, 0.18,
    0.30, 0.14, 0.25, 0.18, 0.20, 0.25, 0.31, 0.30, 0.00, 0.08, 0.18, 0.18, 0.23, 0.09, 0.08,
  };
  for (size_t s = 0; s < 47; s++)
    if (!(fabs(f->u[s] - as[s]) <= 6e-3))
      fail_msg("SKU %zu: AS = %.4f, Table 2 says %.2f", s + 1, f->u[s], as[s]);
  /* The extremes are exact: S2 has the largest SP and no NDA (AS = 1), S41
   * the largest SN and no PDA (AS = 0). */
  assert_near(f->u[1], 1, 1e-15);
  assert_near(f->u[40], 0, 1e-15);
  /* Table 1: the average solution AV = 54.44, 1099.68, 3.91. */
  cJSON *d = diag(f);
  assert_near(json_num(d, "average", "c0", NULL), 54.44, 5e-3);
  assert_near(json_num(d, "average", "c1", NULL), 1099.68, 5e-3);
  assert_near(json_num(d, "average", "c2", NULL), 3.91, 5e-3);
  cJSON_Delete(d);
  drop(f);
}

static void test_edas__ranks_match_keshavarz_ghorabaee_2015_table_7(void **state) {
  (void)state;
  /* Table 7, EDAS rows: the ranks of A1..A10 under the weight sets of
   * Table 6 (three benefit, four cost criteria). */
  static const int published[7][10] = {
    {1, 4, 6, 10, 7, 8, 2, 3, 5, 9}, {1, 4, 6, 10, 7, 8, 2, 3, 5, 9},
    {1, 3, 7, 10, 6, 8, 2, 4, 5, 9}, {1, 2, 7, 10, 6, 8, 3, 4, 5, 9},
    {1, 2, 6, 10, 7, 8, 3, 4, 5, 9}, {1, 2, 6, 10, 7, 8, 3, 4, 5, 9},
    {1, 2, 6, 10, 7, 8, 3, 4, 5, 9},
  };
  ranks_match_kg_t7(parley__a_edas, published);
}

static void test_edas__by_hand_with_a_cost_criterion(void **state) {
  (void)state;
  /* c0 benefit (1, 3), AV 2: PDA (0, 0.5), NDA (0.5, 0).  c1 cost (4, 2),
   * AV 3: PDA = max(0, AV - x) / AV = (0, 1/3), NDA (1/3, 0).  Weights 0.5:
   * SP = (0, 5/12), SN = (5/12, 0); NSP = (0, 1), NSN = (0, 1); AS = 0, 1. */
  const double rows[] = {1, 4, 3, 2};
  const int dir[] = {1, -1};
  fx *f = make(2, 1, 2, dir, NULL, rows);
  run_ok(f, parley__a_edas);
  assert_near(f->u[0], 0, 1e-15);
  assert_near(f->u[1], 1, 1e-15);
  drop(f);
}

static void test_edas__average_spans_every_scenario(void **state) {
  (void)state;
  /* One benefit criterion, k0 (1, 2), k1 (3, 6): AV = 3 over the slab.
   * PDA = (0, 0, 0, 1), NDA = (2/3, 1/3, 0, 0); NSP = (0, 0, 0, 1), NSN =
   * (0, 0.5, 1, 1); AS = 0, 0.25, 0.5, 1. */
  const double rows[] = {1, 2, 3, 6};
  fx *f = make(2, 2, 1, NULL, NULL, rows);
  run_ok(f, parley__a_edas);
  assert_near(f->u[0], 0, 1e-15);
  assert_near(f->u[1], 0.25, 1e-15);
  assert_near(f->u[2], 0.5, 1e-15);
  assert_near(f->u[3], 1, 1e-15);
  drop(f);
}

static void test_edas__nothing_varies_scores_one_half_and_negative_is_refused(void **state) {
  (void)state;
  /* 0.1 three times: its floating-point mean need not be exactly 0.1, but
   * a constant column is its own average, so no distance appears. */
  const double rows[] = {0.1, 7, 0.1, 7, 0.1, 7};
  fx *f = make(3, 1, 2, NULL, NULL, rows);
  run_ok(f, parley__a_edas);
  for (size_t s = 0; s < 3; s++) assert_near(f->u[s], 0.5, 0);
  drop(f);
  const double neg[] = {1, -2, 3, 4};
  f = make(2, 1, 2, NULL, NULL, neg);
  assert_int_equal(parley__a_edas(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "aggregation edas");
  assert_msg_has(f, "criterion 'c1'");
  assert_msg_has(f, "strategy 's0'");
  drop(f);
}

/* ==== all six: degenerate inputs and scenarios ============================== */
static const struct {
  const char *name;
  parley__aggregation_fn fn;
} all[] = {
  {"copras", parley__a_copras}, {"moora", parley__a_moora}, {"multimoora", parley__a_multimoora},
  {"aras", parley__a_aras},     {"waspas", parley__a_waspas}, {"edas", parley__a_edas},
};
enum { NALL = sizeof all / sizeof *all };

static void test_ratio_methods__registered_as_raw_and_higher_is_better(void **state) {
  (void)state;
  parley_engine *e;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  for (size_t m = 0; m < NALL; m++) {
    const parley__stage *st = parley__registry_find(e, PARLEY_STAGE_AGGREGATION, all[m].name);
    assert_non_null(st);
    assert_ptr_equal(st->fn.aggregation, all[m].fn);
    assert_true(st->flags & PARLEY__RAW_VALUES);
    assert_false(st->flags & PARLEY__LOWER_IS_BETTER);
  }
  parley_engine_free(e);
}

static void test_ratio_methods__single_strategy_gives_the_documented_value(void **state) {
  (void)state;
  /* One strategy, benefit c0 = 5 and cost c1 = 2, weights 0.75 and 0.25:
   * copras Q = 0.75 + 0.25 = 1 (Eq. 20); moora 0.75 * 5/5 - 0.25 * 2/2 =
   * 0.5; multimoora, aras and waspas 1 (it is its own best, optimum and
   * maximum); edas 0.5 (nothing varies). */
  static const double expect[NALL] = {1, 0.5, 1, 1, 1, 0.5};
  const double rows[] = {5, 2};
  const int dir[] = {1, -1};
  const double w[] = {0.75, 0.25};
  for (size_t m = 0; m < NALL; m++) {
    fx *f = make(1, 1, 2, dir, w, rows);
    run_ok(f, all[m].fn);
    if (!(fabs(f->u[0] - expect[m]) <= 1e-15))
      fail_msg("%s: u = %.17g, expected %g", all[m].name, f->u[0], expect[m]);
    drop(f);
  }
}

/* The same three strategies with and without an extra criterion c2. */
static const double base3[] = {3, 5, 6, 2, 9, 4};     /* c0 benefit, c1 cost */
static const int dir3[] = {1, -1, 1};

static void with_extra(double *rows, double extra0, double extra1, double extra2) {
  const double extra[] = {extra0, extra1, extra2};
  for (size_t s = 0; s < 3; s++) {
    rows[s * 3] = base3[s * 2];
    rows[s * 3 + 1] = base3[s * 2 + 1];
    rows[s * 3 + 2] = extra[s];
  }
}

static void test_ratio_methods__zero_weight_criterion_plays_no_part(void **state) {
  (void)state;
  /* c2 has weight 0 and values no method could take (negative, zero): the
   * utilities are those of the model without it. */
  double rows[9];
  with_extra(rows, -4, 0, 7);
  const double w2[] = {0.6, 0.4}, w3[] = {0.6, 0.4, 0};
  for (size_t m = 0; m < NALL; m++) {
    fx *a = make(3, 1, 2, dir3, w2, base3), *b = make(3, 1, 3, dir3, w3, rows);
    run_ok(a, all[m].fn);
    run_ok(b, all[m].fn);
    for (size_t s = 0; s < 3; s++)
      if (!(fabs(a->u[s] - b->u[s]) <= 1e-15))
        fail_msg("%s: s%zu %.17g without c2, %.17g with it", all[m].name, s, a->u[s], b->u[s]);
    drop(a);
    drop(b);
  }
}

static void test_ratio_methods__constant_column_has_the_documented_effect(void **state) {
  (void)state;
  /* c2 = 4 for every strategy, weight 0.2, the others keeping 0.6, 0.4.
   * copras: each Q gains w / n = 0.2 / 3.  moora: each y gains w x / ||x|| =
   * 0.2 / sqrt 3.  waspas (lambda 0.5): r = 1, WSM gains 0.2 and WPM is
   * unchanged, so Q gains 0.1.  multimoora and edas: unchanged (the same
   * ranks; a constant column is its own average).  aras: alternative 0 is
   * 4 too, every S and S0 gain 0.2 / 4, so K' = (K S0 + 0.05) / (S0 + 0.05). */
  double rows[9];
  with_extra(rows, 4, 4, 4);
  const double w2[] = {0.6, 0.4}, w3[] = {0.6, 0.4, 0.2};
  for (size_t m = 0; m < NALL; m++) {
    fx *a = make(3, 1, 2, dir3, w2, base3), *b = make(3, 1, 3, dir3, w3, rows);
    run_ok(a, all[m].fn);
    run_ok(b, all[m].fn);
    double s0 = 0;
    if (all[m].fn == parley__a_aras) {
      cJSON *d = diag(a);
      s0 = json_num(d, "s0", NULL);
      cJSON_Delete(d);
    }
    for (size_t s = 0; s < 3; s++) {
      double want = a->u[s];
      if (all[m].fn == parley__a_copras) want += 0.2 / 3;
      if (all[m].fn == parley__a_moora) want += 0.2 / sqrt(3);
      if (all[m].fn == parley__a_waspas) want += 0.1;
      if (all[m].fn == parley__a_aras) want = (a->u[s] * s0 + 0.05) / (s0 + 0.05);
      if (!(fabs(b->u[s] - want) <= 1e-14))
        fail_msg("%s: s%zu %.17g, expected %.17g", all[m].name, s, b->u[s], want);
    }
    drop(a);
    drop(b);
  }
}

static void test_ratio_methods__scenarios_share_the_slab_reference(void **state) {
  (void)state;
  /* Three strategies under two scenarios score exactly as six strategies
   * (the same rows stacked) under one: every reference point — sum, norm,
   * best, optimum, average, rank — is taken over the whole slab. */
  const double rows[] = {3, 5, 6, 2, 9, 4, 4, 4, 7, 3, 2, 6};
  const int dir[] = {1, -1};
  const double w[] = {0.6, 0.4};
  for (size_t m = 0; m < NALL; m++) {
    fx *two = make(3, 2, 2, dir, w, rows), *one = make(6, 1, 2, dir, w, rows);
    run_ok(two, all[m].fn);
    run_ok(one, all[m].fn);
    for (size_t i = 0; i < 6; i++)
      if (two->u[i] != one->u[i])
        fail_msg("%s: cell %zu %.17g under two scenarios, %.17g stacked", all[m].name, i,
                 two->u[i], one->u[i]);
    /* ... and the second scenario alone would score otherwise. */
    fx *alone = make(3, 1, 2, dir, w, rows + 6);
    run_ok(alone, all[m].fn);
    bool differs = false;
    for (size_t s = 0; s < 3; s++) differs |= alone->u[s] != two->u[3 + s];
    if (!differs) fail_msg("%s: scenario k1 scores as if alone", all[m].name);
    drop(two);
    drop(one);
    drop(alone);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_copras__matches_podvezko_2011_variant_ii),
    cmocka_unit_test(test_copras__ranks_match_keshavarz_ghorabaee_2015_table_7),
    cmocka_unit_test(test_copras__utilities_sum_to_the_weights),
    cmocka_unit_test(test_copras__benefit_only_is_the_sum_normalised_weighted_sum),
    cmocka_unit_test(test_copras__rejects_a_zero_cost_and_a_negative_benefit),
    cmocka_unit_test(test_copras__zero_benefit_column_adds_nothing),
    cmocka_unit_test(test_copras__diagnostics_escape_strategy_ids),
    cmocka_unit_test(test_moora__matches_brauers_zavadskas_2010_ratio_system),
    cmocka_unit_test(test_moora__by_hand_with_cost_negative_and_zero_columns),
    cmocka_unit_test(test_moora__norm_spans_every_scenario),
    cmocka_unit_test(test_multimoora__matches_brauers_zavadskas_2010),
    cmocka_unit_test(test_multimoora__ranks_span_every_scenario),
    cmocka_unit_test(test_multimoora__ties_share_ranks_and_utility),
    cmocka_unit_test(test_multimoora__rejects_a_non_positive_value),
    cmocka_unit_test(test_aras__matches_zavadskas_turskis_2010),
    cmocka_unit_test(test_aras__default_optimum_is_the_slab_best),
    cmocka_unit_test(test_aras__optimal_spans_every_scenario),
    cmocka_unit_test(test_aras__refuses_a_bad_optimal_parameter),
    cmocka_unit_test(test_aras__optimum_worse_than_a_strategy_gives_k_above_one),
    cmocka_unit_test(test_aras__rejects_a_zero_cost),
    cmocka_unit_test(test_waspas__matches_zavadskas_et_al_2012_table_2),
    cmocka_unit_test(test_waspas__lambda_one_is_podvezko_2011_saw),
    cmocka_unit_test(test_waspas__maximum_spans_every_scenario),
    cmocka_unit_test(test_waspas__zero_benefit_value_zeroes_the_product),
    cmocka_unit_test(test_waspas__refuses_bad_values_and_lambda),
    cmocka_unit_test(test_edas__matches_keshavarz_ghorabaee_2015_table_2),
    cmocka_unit_test(test_edas__ranks_match_keshavarz_ghorabaee_2015_table_7),
    cmocka_unit_test(test_edas__by_hand_with_a_cost_criterion),
    cmocka_unit_test(test_edas__average_spans_every_scenario),
    cmocka_unit_test(test_edas__nothing_varies_scores_one_half_and_negative_is_refused),
    cmocka_unit_test(test_ratio_methods__registered_as_raw_and_higher_is_better),
    cmocka_unit_test(test_ratio_methods__single_strategy_gives_the_documented_value),
    cmocka_unit_test(test_ratio_methods__zero_weight_criterion_plays_no_part),
    cmocka_unit_test(test_ratio_methods__constant_column_has_the_documented_effect),
    cmocka_unit_test(test_ratio_methods__scenarios_share_the_slab_reference),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
