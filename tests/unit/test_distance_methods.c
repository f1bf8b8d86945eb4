/*
 * test_distance_methods.c — the aggregation stages of distance_methods.c
 * (mabac, codas, spotis, cocoso, marcos), called directly with a run
 * context built by hand and resolved through the registry as the pipeline
 * would, against the published worked examples of the methods' papers and
 * hand computations written out beside each expected number; then their
 * degenerate inputs, their slab-wide reference points over scenarios, and
 * the guarantee that no NaN comes out.
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
/* rows[(k * ns + s) * nc + c]: the decision matrix as printed, one row per
 * strategy, scenario blocks one after another.  dir NULL: all benefit. */
static fx *make(size_t ns, size_t nk, size_t nc, const int *dir, const double *rows,
                const double *w) {
  return fixture_new(&(fx_opts){.ns = ns, .nk = nk, .nc = nc, .dir = dir, .w = w, .rows = rows});
}

/* Resolves a stage as the pipeline does ("codas:tau=0.05"), so that the
 * stage reads its parameters and defaults from the registry entry. */
static void use(fx *f, const char *text) {
  use_stage(f, text);
  assert_true(f->ctx.stage->flags & PARLEY__RAW_VALUES);
}

/* Runs the resolved stage: every utility must come out finite. */
static void run(fx *f, double *u) { aggregate_ok(f, f->ctx.stage->fn.aggregation, u); }

static void set_scale(fx *f, size_t c, double lo, double hi) {
  f->crit[c].lo = lo;
  f->crit[c].hi = hi;
}

/* Ranks by u, best first (1-based places), for comparing with a paper's
 * ranking; higher is better unless lower. */
static void assert_ranks(const double *u, size_t n, const int *want, bool lower) {
  for (size_t i = 0; i < n; i++) {
    int rank = 1;
    for (size_t j = 0; j < n; j++)
      if (lower ? u[j] < u[i] : u[j] > u[i]) rank++;
    if (rank != want[i]) fail_msg("alternative %zu ranks %d, expected %d", i + 1, rank, want[i]);
  }
}

/* ---- published data sets ---------------------------------------------------- */
/* Pamučar & Ćirović (2015), section 4: seven forklifts on ten criteria
 * (C1 price and C5, C6 cost criteria), DEMATEL weights. */
static const double forklift[] = {
  22600, 3800, 2, 5, 1.06, 3.00, 3.5, 2.8, 24.5, 6.5,
  19500, 4200, 3, 2, 0.95, 3.00, 3.4, 2.2, 24.0, 7.0,
  21700, 4000, 1, 3, 1.25, 3.20, 3.3, 2.5, 24.5, 7.3,
  20600, 3800, 2, 5, 1.05, 3.25, 3.2, 2.0, 22.5, 11.0,
  22500, 3800, 4, 3, 1.35, 3.20, 3.7, 2.1, 23.0, 6.3,
  23250, 4210, 3, 5, 1.45, 3.60, 3.5, 2.8, 23.5, 7.0,
  20300, 3850, 2, 5, 0.90, 3.25, 3.0, 2.6, 21.5, 6.0,
};
static const int forklift_dir[] = {-1, 1, 1, 1, -1, -1, 1, 1, 1, 1};
static const double forklift_w[] = {0.146, 0.144, 0.119, 0.121, 0.115,
                                    0.101, 0.088, 0.068, 0.050, 0.048};

/* Biswas & Das (2018), Table 2: nine hybrid vehicles on fuel economy, tank
 * size, emissions (cost), passenger volume and base price (cost); the
 * entropy weights of their Fig. 1 (0.1406 and 0.3342 are stated in the text,
 * the other three read off Table 4, where t = 0 leaves v = w). */
static const double hev[] = {
  39, 13.5, 3.1, 100, 24,      48, 11, 4.5, 103, 29.6,   36, 10.6, 4.3, 49.1, 20.295,
  30, 17.8, 5.1, 100, 50,      42, 11.9, 3.5, 86, 31,    40, 17.2, 3.6, 101, 26,
  56, 11.9, 2.8, 96, 25,       44, 11.9, 3.3, 94, 31.12, 46, 13, 3.2, 95, 28.756,
};
static const int hev_dir[] = {1, 1, -1, 1, -1};
static const double hev_w[] = {0.1406, 0.1671, 0.183, 0.1751, 0.3342};

/* The industrial robot data (Bhangale et al. 2004) that both Keshavarz
 * Ghorabaee et al. (2016, Example 1, Table 1) and Yazdani et al. (2019,
 * Table I) use: load capacity, repeatability (cost), maximum tip speed,
 * memory capacity and manipulator reach of seven robots. */
static const double robots[] = {
  60, 0.4, 2540, 500, 990,     6.35, 0.15, 1016, 3000, 1041, 6.8, 0.1, 1727.2, 1500, 1676,
  10, 0.2, 1000, 2000, 965,    2.5, 0.1, 560, 500, 915,      4.5, 0.08, 1016, 350, 508,
  3, 0.1, 1778, 1000, 920,
};
static const int robots_dir[] = {1, -1, 1, 1, 1};
static const double robots_w[] = {0.036, 0.192, 0.326, 0.326, 0.12};

/* Keshavarz Ghorabaee et al. (2016), Example 2, Table 5: the data of
 * Zavadskas & Turskis (2010), zt2010_rooms in fixture.h. */

/* Stević, Pamučar, Puška & Chatterjee (2020), the healthcare supplier
 * case: eight suppliers on 21 criteria (C1 and C4 cost), the weights as
 * printed (they sum to 0.997; MARCOS's f(K) does not depend on their
 * scale). */
static const double suppliers[] = {
  6.257, 4.217, 4.217, 6.257, 3.000, 4.217, 5.000, 3.557, 3.557, 3.557, 3.000,
  5.000, 4.718, 3.557, 3.557, 2.080, 3.557, 3.000, 4.718, 3.557, 2.080,
  4.217, 6.804, 7.000, 5.000, 7.000, 6.804, 5.593, 5.593, 6.804, 7.000, 5.000,
  7.612, 5.593, 6.257, 5.000, 7.000, 5.593, 5.593, 6.804, 5.593, 5.593,
  4.718, 5.593, 6.257, 5.000, 4.718, 5.000, 5.593, 4.718, 5.593, 5.000, 3.557,
  6.257, 5.000, 4.718, 4.718, 5.000, 3.557, 5.593, 5.593, 3.557, 4.217,
  5.000, 6.804, 5.000, 3.000, 5.000, 6.257, 7.612, 3.557, 5.000, 6.257, 6.257,
  5.593, 6.257, 5.000, 5.593, 7.000, 5.000, 6.257, 5.000, 3.557, 4.217,
  3.557, 5.593, 6.804, 3.000, 5.000, 7.000, 5.593, 5.000, 6.257, 7.000, 5.593,
  7.612, 6.257, 6.257, 5.000, 6.257, 5.593, 7.000, 5.000, 4.718, 5.000,
  6.257, 3.000, 4.217, 5.000, 3.557, 3.000, 4.217, 3.000, 4.217, 3.000, 2.466,
  3.000, 4.217, 3.557, 5.000, 3.000, 4.217, 3.557, 2.080, 5.000, 3.000,
  4.217, 5.000, 6.257, 5.593, 3.557, 5.593, 4.217, 5.593, 5.000, 6.257, 3.557,
  5.000, 6.257, 5.593, 5.593, 7.000, 6.257, 5.000, 6.257, 5.593, 5.000,
  7.612, 1.442, 3.000, 9.000, 2.080, 3.000, 1.442, 2.080, 1.442, 3.000, 1.000,
  1.442, 2.080, 3.000, 3.000, 1.000, 1.442, 1.442, 3.000, 2.080, 1.000,
};
static const int suppliers_dir[] = {-1, 1, 1, -1, 1, 1, 1, 1, 1, 1, 1,
                                    1,  1, 1, 1,  1, 1, 1, 1, 1, 1};
static const double suppliers_w[] = {0.127, 0.159, 0.060, 0.075, 0.043, 0.051, 0.075,
                                     0.061, 0.053, 0.020, 0.039, 0.022, 0.017, 0.027,
                                     0.022, 0.039, 0.017, 0.035, 0.015, 0.024, 0.016};

/* ==== mabac ================================================================ */
static void test_mabac__matches_pamucar_cirovic_2015_forklifts(void **state) {
  (void)state;
  /* Pamučar & Ćirović (2015), section 4: border approximation area
   * G = (0.2086, 0.1885, 0.1720, 0.1952, 0.1740, 0.1625, 0.1319, 0.1010,
   * 0.0789, 0.0590) and criterion functions S_i = (0.0826, 0.2183, -0.0488,
   * 0.0246, -0.0704, 0.0465, 0.0464), order A2, A1, A6, A7, A4, A3, A5 (the
   * values as carried by scikit-criteria's test of this example; printed
   * to four places). */
  fx *f = make(7, 1, 10, forklift_dir, forklift, forklift_w);
  use(f, "mabac");
  double u[7];
  run(f, u);
  const double paper[] = {0.0826, 0.2183, -0.0488, 0.0246, -0.0704, 0.0465, 0.0464};
  for (size_t s = 0; s < 7; s++) assert_near(u[s], paper[s], 5e-5);
  const int rank[] = {2, 1, 6, 5, 7, 3, 4};
  assert_ranks(u, 7, rank, false);
  drop(f);
}

static void test_mabac__matches_biswas_das_2018_hybrid_vehicles(void **state) {
  (void)state;
  /* Biswas & Das (2018), Table 7: S_i printed to nine places, order HEV7,
   * HEV6, HEV1, HEV9, HEV8, HEV2, HEV5, HEV3, HEV4. */
  fx *f = make(9, 1, 5, hev_dir, hev, hev_w);
  use(f, "mabac");
  double u[9];
  run(f, u);
  const double paper[] = {0.157778583, -0.01622203, -0.14489751, -0.24274166, -0.0191927,
                          0.190021847, 0.212200519, 0.032174523, 0.106320697};
  for (size_t s = 0; s < 9; s++) assert_near(u[s], paper[s], 1e-6);
  const int rank[] = {3, 6, 8, 9, 7, 2, 1, 5, 4};
  assert_ranks(u, 9, rank, false);
  drop(f);
}

static void test_mabac__constant_column_and_zero_weight_add_nothing(void **state) {
  (void)state;
  /* c0 benefit (0, 4, 8): t = (0, 0.5, 1); c1 constant (3, 3, 3).
   * w = (0.5, 0.5): v0 = 0.5 (1, 1.5, 2), G0 = (0.5 * 0.75 * 1)^(1/3)
   * = 0.375^(1/3); c1 has v = G everywhere and adds 0.  With w = (1, 0) and
   * c1 varying, c1 is not read: Q = (1, 1.5, 2) - 3^(1/3). */
  const double rows[] = {0, 3, 4, 3, 8, 3};
  const double w[] = {0.5, 0.5};
  fx *f = make(3, 1, 2, NULL, rows, w);
  use(f, "mabac");
  double u[3];
  run(f, u);
  double g = cbrt(0.375);
  assert_near(u[0], 0.5 - g, 1e-15);
  assert_near(u[1], 0.75 - g, 1e-15);
  assert_near(u[2], 1.0 - g, 1e-15);
  f->w[0] = 1, f->w[1] = 0;
  f->cube[parley__cell(&f->m, 1, 0, 1)] = 100;
  run(f, u);
  assert_near(u[0], 1 - cbrt(3), 1e-15);
  assert_near(u[2], 2 - cbrt(3), 1e-15);
  drop(f);
}

static void test_mabac__border_area_spans_every_scenario(void **state) {
  (void)state;
  /* One benefit criterion, w = 1, k0 = (0, 10), k1 = (5, 10): over the
   * slab t = (0, 1, 0.5, 1), v = (1, 2, 1.5, 2), G = 6^(1/4).  A
   * per-scenario border would have given k1 G = 2^(1/2). */
  const double rows[] = {0, 10, 5, 10};
  const double w[] = {1};
  fx *f = make(2, 2, 1, NULL, rows, w);
  use(f, "mabac");
  double u[4];
  run(f, u);
  double g = pow(6, 0.25);
  assert_near(u[0], 1 - g, 1e-15);
  assert_near(u[1], 2 - g, 1e-15);
  assert_near(u[2], 1.5 - g, 1e-15);
  assert_near(u[3], 2 - g, 1e-15);
  drop(f);
}

/* ==== codas ================================================================ */
static void test_codas__matches_keshavarz_ghorabaee_2016_example_1(void **state) {
  (void)state;
  /* Keshavarz Ghorabaee et al. (2016), Example 1, tau = 0.02: Table 3
   * E = (0.2593, 0.3032, 0.2415, 0.1947, 0.1199, 0.1644, 0.2087), Table 4
   * H = (0.5122, 1.4633, 1.0715, -0.2125, -1.8515, -1.1717, 0.1887), order
   * A2, A3, A1, A7, A4, A6, A5.  Printed to four places. */
  fx *f = make(7, 1, 5, robots_dir, robots, robots_w);
  use(f, "codas");
  double u[7];
  run(f, u);
  const double paper[] = {0.5122, 1.4633, 1.0715, -0.2125, -1.8515, -1.1717, 0.1887};
  for (size_t s = 0; s < 7; s++) assert_near(u[s], paper[s], 5e-5);
  const int rank[] = {3, 1, 2, 5, 7, 6, 4};
  assert_ranks(u, 7, rank, false);
  drop(f);
}

static void test_codas__matches_keshavarz_ghorabaee_2016_example_2(void **state) {
  (void)state;
  /* Keshavarz Ghorabaee et al. (2016), Example 2, Table 8, tau = 0.02,
   * printed to three places.  A8 and A9 are within tau of each other in E
   * (the paper's h_89 = 0), so the taxicab term does not decide them. */
  fx *f = make(14, 1, 6, zt2010_dir, zt2010_rooms, zt2010_w);
  use(f, "codas");
  double u[14];
  run(f, u);
  const double paper[] = {0.768,  0.363,  -0.105, -0.329, -2.384, -2.207, -2.043,
                          2.929,  2.890,  -1.282, 0.568,  0.313,  0.157,  0.364};
  for (size_t s = 0; s < 14; s++) assert_near(u[s], paper[s], 5e-4);
  const int rank[] = {3, 6, 9, 10, 14, 13, 12, 1, 2, 11, 4, 7, 8, 5};
  assert_ranks(u, 14, rank, false);
  drop(f);
}

static void test_codas__tau_decides_when_the_taxicab_distance_counts(void **state) {
  (void)state;
  /* Two benefit criteria, w = (0.5, 0.5), s0 = (10, 10), s1 = (9.6, 9.4):
   * r(s0) = (0.5, 0.5), r(s1) = (0.48, 0.47) = ns, so E0 = sqrt(0.02^2 +
   * 0.03^2) = sqrt(0.0013) = 0.0360555, T0 = 0.05, E1 = T1 = 0.
   * tau = 0.02 <= E0 - E1: H0 = E0 + T0 = 0.0860555, H1 = -H0.
   * tau = 0.05 > E0 - E1: the taxicab term drops, H0 = E0. */
  const double rows[] = {10, 10, 9.6, 9.4};
  const double w[] = {0.5, 0.5};
  fx *f = make(2, 1, 2, NULL, rows, w);
  double u[2];
  use(f, "codas");
  run(f, u);
  assert_near(u[0], sqrt(0.0013) + 0.05, 1e-15);
  assert_near(u[1], -(sqrt(0.0013) + 0.05), 1e-15);
  use(f, "codas:tau=0.05");
  run(f, u);
  assert_near(u[0], sqrt(0.0013), 1e-15);
  assert_near(u[1], -sqrt(0.0013), 1e-15);
  /* The registry refuses a tau outside the paper's [0.01, 0.05]. */
  parley__spec bad = {0};
  const parley__stage *st;
  assert_int_equal(parley__spec_parse(f->e, &bad, "codas:tau=0.06", "--aggregation"), PARLEY_OK);
  assert_int_equal(parley__registry_resolve(f->e, PARLEY_STAGE_AGGREGATION, &bad, "--aggregation",
                                            &st),
                   PARLEY_EINVALID);
  assert_msg_has(f, "tau=0.06 is outside [0.01, 0.05]");
  parley__spec_clear(f->e, &bad);
  drop(f);
}

/* A small deterministic generator for the property tests. */
static double next_unit(uint64_t *x) {
  *x = *x * 6364136223846793005u + 1442695040888963407u;
  return (double)(*x >> 11) / 9007199254740992.0;
}

static void test_codas__fast_sum_matches_the_pairwise_definition(void **state) {
  (void)state;
  /* The relative assessment summed pair by pair as in the paper's eqs.
   * 10-12, E and T recomputed here from their definitions, against the
   * stage's sorted prefix sums: 3 scenarios x 20 strategies on values drawn
   * from a few levels, so that many E coincide or lie near tau apart. */
  enum { NS = 20, NK = 3, NC = 3, N = NS * NK };
  static double rows[N * NC];
  uint64_t seed = 7;
  for (size_t i = 0; i < N * NC; i++) rows[i] = 1 + floor(next_unit(&seed) * 6);
  const int dir[] = {1, -1, 1};
  const double w[] = {0.2, 0.5, 0.3};
  fx *f = make(NS, NK, NC, dir, rows, w);
  double u[N], r[N][NC], ns[NC], e[N], t[N];
  for (size_t c = 0; c < NC; c++) {
    double mx = 0, mn = INFINITY;
    for (size_t i = 0; i < N; i++) {
      mx = fmax(mx, rows[i * NC + c]);
      mn = fmin(mn, rows[i * NC + c]);
    }
    ns[c] = INFINITY;
    for (size_t i = 0; i < N; i++) {
      double x = rows[i * NC + c];
      r[i][c] = w[c] * (dir[c] > 0 ? x / mx : mn / x);
      ns[c] = fmin(ns[c], r[i][c]);
    }
  }
  for (size_t i = 0; i < N; i++) {
    e[i] = t[i] = 0;
    for (size_t c = 0; c < NC; c++) {
      e[i] += (r[i][c] - ns[c]) * (r[i][c] - ns[c]);
      t[i] += fabs(r[i][c] - ns[c]);
    }
    e[i] = sqrt(e[i]);
  }
  const char *specs[] = {"codas", "codas:tau=0.01", "codas:tau=0.05"};
  const double taus[] = {0.02, 0.01, 0.05};
  for (size_t v = 0; v < 3; v++) {
    use(f, specs[v]);
    run(f, u);
    for (size_t i = 0; i < N; i++) {
      double h = 0;
      for (size_t k = 0; k < N; k++)
        h += (e[i] - e[k]) + (fabs(e[i] - e[k]) >= taus[v] ? t[i] - t[k] : 0);
      assert_near(u[i], h, 1e-12);
    }
  }
  drop(f);
}

static void test_codas__compares_every_strategy_under_every_scenario(void **state) {
  (void)state;
  /* One benefit criterion, w = 1, k0 = (5, 10), k1 = (8, 10): over the
   * slab r = (0.5, 1, 0.8, 1), ns = 0.5, E = T = (0, 0.5, 0.3, 0.5).  Every
   * pair is at least tau apart or equal, so H_i = 2 sum_k (E_i - E_k)
   * = 2 (4 E_i - 1.3) = (-2.6, 1.4, -0.2, 1.4). */
  const double rows[] = {5, 10, 8, 10};
  const double w[] = {1};
  fx *f = make(2, 2, 1, NULL, rows, w);
  use(f, "codas");
  double u[4];
  run(f, u);
  assert_near(u[0], -2.6, 1e-14);
  assert_near(u[1], 1.4, 1e-14);
  assert_near(u[2], -0.2, 1e-14);
  assert_near(u[3], 1.4, 1e-14);
  drop(f);
}

static void test_codas__degenerate_inputs_give_zero_or_a_named_error(void **state) {
  (void)state;
  /* A constant column and a lone strategy are at the negative ideal: 0. */
  const double rows[] = {3, 1, 3, 2};
  const int dir[] = {1, -1};
  const double w[] = {0.5, 0.5};
  fx *f = make(2, 1, 2, dir, rows, w);
  use(f, "codas");
  double u[2];
  f->w[0] = 1, f->w[1] = 0; /* only the constant column counts */
  run(f, u);
  assert_true(u[0] == 0 && u[1] == 0);
  /* A cost value of 0 (min / x) is refused, naming the cell ... */
  f->w[0] = 0.5, f->w[1] = 0.5;
  f->cube[parley__cell(&f->m, 1, 0, 1)] = 0;
  assert_int_equal(f->ctx.stage->fn.aggregation(&f->ctx, u), PARLEY_EINVALID);
  assert_msg_has(f, "aggregation codas: criterion 'c1'");
  assert_msg_has(f, "strategy 's1' under scenario 'k0'");
  /* ... unless the criterion has weight 0 and so is not read. */
  f->w[0] = 1, f->w[1] = 0;
  run(f, u);
  /* A negative benefit value is refused. */
  f->cube[parley__cell(&f->m, 0, 0, 0)] = -1;
  assert_int_equal(f->ctx.stage->fn.aggregation(&f->ctx, u), PARLEY_EINVALID);
  assert_msg_has(f, "criterion 'c0' has the value -1");
  drop(f);

  const double one[] = {4, 2};
  f = make(1, 1, 2, dir, one, w);
  use(f, "codas");
  run(f, u);
  assert_true(u[0] == 0);
  drop(f);
}

/* ==== spotis =============================================================== */
static void test_spotis__matches_dezert_2020_first_example(void **state) {
  (void)state;
  /* Dezert, Tchamova, Han & Tacnet (2020), the three-criterion example:
   * bounds [-5, 12], [-6, 10], [-8, 5], C2 a cost, w = (0.2, 0.3, 0.5);
   * published d = (0.1989, ..., 0.3063, 0.7491), order A1, A3, A2, A4.
   * A1 by hand: 0.2 |10.5 - 12| / 17 + 0.3 |-3.1 + 6| / 16 + 0.5 |1.7 - 5|
   * / 13 = 0.0176471 + 0.054375 + 0.1269231 = 0.1989452.  A2 by hand:
   * 0.2 (16.7 / 17) + 0.3 (6 / 16) + 0.5 (1.6 / 13) = 0.3705090; the value
   * printed for A2 differs between the reference implementations that carry
   * this example (0.3705 in pymcdm, 0.3707 in scikit-criteria), so A2 is
   * checked against the hand computation. */
  const double rows[] = {10.5, -3.1, 1.7, -4.7, 0, 3.4, 8.1, 0.3, 1.3, 3.2, 7.3, -5.3};
  const int dir[] = {1, -1, 1};
  const double w[] = {0.2, 0.3, 0.5};
  fx *f = make(4, 1, 3, dir, rows, w);
  set_scale(f, 0, -5, 12);
  set_scale(f, 1, -6, 10);
  set_scale(f, 2, -8, 5);
  use(f, "spotis");
  assert_true(f->ctx.stage->flags & PARLEY__LOWER_IS_BETTER);
  double u[4];
  run(f, u);
  assert_near(u[0], 0.2 * 1.5 / 17 + 0.3 * 2.9 / 16 + 0.5 * 3.3 / 13, 1e-15);
  assert_near(u[0], 0.1989, 5e-5);
  assert_near(u[1], 0.2 * 16.7 / 17 + 0.3 * 6 / 16 + 0.5 * 1.6 / 13, 1e-15);
  assert_near(u[2], 0.3063, 5e-5);
  assert_near(u[3], 0.7491, 5e-5);
  const int rank[] = {1, 3, 2, 4};
  assert_ranks(u, 4, rank, true);
  assert_non_null(f->ctx.diagnostics);
  assert_contains(f->ctx.diagnostics, "\"rank_reversal_free\": true");
  drop(f);
}

static void test_spotis__matches_dezert_2020_car_example(void **state) {
  (void)state;
  /* Dezert et al. (2020), the car example: price, fuel consumption,
   * CO2 (costs), power and comfort (benefits) of four cars; bounds
   * [14000, 16000], [3, 8], [80, 140], [35, 60], [650, 1300]; published
   * d = (0.4779, 0.5781, 0.5558, 0.5801), order A1, A3, A2, A4.  Printed
   * to four places (A1 by hand is 0.47795). */
  const double rows[] = {15000, 4.3, 99,  42, 737, 15290, 5.0, 116, 42, 892,
                         15350, 5.0, 114, 45, 952, 15490, 5.3, 123, 45, 1120};
  const int dir[] = {-1, -1, -1, 1, 1};
  const double w[] = {0.2941, 0.2353, 0.2353, 0.0588, 0.1765};
  fx *f = make(4, 1, 5, dir, rows, w);
  set_scale(f, 0, 14000, 16000);
  set_scale(f, 1, 3, 8);
  set_scale(f, 2, 80, 140);
  set_scale(f, 3, 35, 60);
  set_scale(f, 4, 650, 1300);
  use(f, "spotis");
  double u[4];
  run(f, u);
  const double paper[] = {0.4779, 0.5781, 0.5558, 0.5801};
  for (size_t s = 0; s < 4; s++) assert_near(u[s], paper[s], 1e-4);
  const int rank[] = {1, 3, 2, 4};
  assert_ranks(u, 4, rank, true);
  drop(f);
}

static void test_spotis__fixed_bounds_make_it_rank_reversal_free(void **state) {
  (void)state;
  /* With every criterion on a scale a strategy's score depends on its own
   * values alone: dropping the last car changes no other score.  Without
   * scales the bounds follow the data and the diagnostics say so. */
  const double rows[] = {15000, 4.3, 15290, 5.0, 15350, 5.0, 15490, 5.3};
  const int dir[] = {-1, -1};
  const double w[] = {0.6, 0.4};
  fx *all = make(4, 1, 2, dir, rows, w), *three = make(3, 1, 2, dir, rows, w);
  fx *both[] = {all, three};
  for (size_t i = 0; i < 2; i++) {
    set_scale(both[i], 0, 14000, 16000);
    set_scale(both[i], 1, 3, 8);
    use(both[i], "spotis");
  }
  double u4[4], u3[3];
  run(all, u4);
  run(three, u3);
  for (size_t s = 0; s < 3; s++) assert_near(u3[s], u4[s], 0);
  set_scale(three, 1, NAN, NAN);
  run(three, u3);
  assert_non_null(strstr(three->ctx.diagnostics,
                         "{\"bounds_from_data\": [\"c1\"], \"rank_reversal_free\": false}"));
  drop(all);
  drop(three);
}

static void test_spotis__bounds_from_the_data_span_every_scenario(void **state) {
  (void)state;
  /* No scale: one benefit criterion, w = 1, k0 = (0, 10), k1 = (5, 10);
   * bounds over the slab [0, 10], ideal 10: d = (1, 0, 0.5, 0).  Bounds
   * per scenario would have given k1 (1, 0). */
  const double rows[] = {0, 10, 5, 10};
  const double w[] = {1};
  fx *f = make(2, 2, 1, NULL, rows, w);
  use(f, "spotis");
  double u[4];
  run(f, u);
  assert_near(u[0], 1, 0);
  assert_near(u[1], 0, 0);
  assert_near(u[2], 0.5, 0);
  assert_near(u[3], 0, 0);
  drop(f);
}

static void test_spotis__degenerate_inputs_give_zero_or_a_named_error(void **state) {
  (void)state;
  /* No scale and a constant slab, or a lone strategy: at the ideal, 0. */
  const double rows[] = {7, 1, 7, 2};
  const int dir[] = {1, -1};
  const double w[] = {0.5, 0.5};
  fx *f = make(2, 1, 2, dir, rows, w);
  use(f, "spotis");
  double u[2];
  run(f, u);
  /* c0 constant adds 0; c1 cost on [1, 2], ideal 1: 0.5 (0, 1) */
  assert_near(u[0], 0, 0);
  assert_near(u[1], 0.5, 0);
  /* A value outside the scale would be farther from the ideal than the
   * bound itself, or better than the ideal: refused, naming the cell. */
  set_scale(f, 1, 1.5, 5);
  assert_int_equal(f->ctx.stage->fn.aggregation(&f->ctx, u), PARLEY_EINVALID);
  assert_msg_has(f, "aggregation spotis: criterion 'c1' has the value 1 for strategy 's0' under "
                    "scenario 'k0'; it lies outside the criterion's scale [1.5, 5]");
  set_scale(f, 1, 5, 5);
  assert_int_equal(f->ctx.stage->fn.aggregation(&f->ctx, u), PARLEY_EINVALID);
  assert_msg_has(f, "empty scale [5, 5]");
  drop(f);

  const double one[] = {3, 4};
  f = make(1, 1, 2, dir, one, w);
  use(f, "spotis");
  run(f, u);
  assert_true(u[0] == 0);
  drop(f);
}

/* ==== cocoso =============================================================== */
static void test_cocoso__matches_yazdani_2019_table_6(void **state) {
  (void)state;
  /* Yazdani, Zarate, Zavadskas & Turskis (2019), lambda = 0.5: Tables IV-V
   * S = (0.4300, 0.6082, 0.6363, 0.4471, 0.2403, 0.2683, 0.5031), Table VI
   * k = (2.041, 2.788, 2.882, 2.416, 1.3, 1.443, 2.52), order A3, A2, A7,
   * A4, A1, A6, A5.  The paper rounds at some intermediate stage: its k
   * differ from the exact ones by up to 0.0013 (A5 1.2987, A7 2.5191). */
  fx *f = make(7, 1, 5, robots_dir, robots, robots_w);
  use(f, "cocoso");
  double u[7];
  run(f, u);
  const double paper[] = {2.041, 2.788, 2.882, 2.416, 1.3, 1.443, 2.52};
  for (size_t s = 0; s < 7; s++) assert_near(u[s], paper[s], 1.5e-3);
  const int rank[] = {5, 2, 1, 4, 7, 6, 3};
  assert_ranks(u, 7, rank, false);
  drop(f);
}

/* k from S and P by the paper's eqs. 6-9, for the hand computations. */
static double cocoso_k(const double *s, const double *p, size_t n, size_t i, double lambda) {
  double sum = 0, mins = INFINITY, minp = INFINITY, maxs = 0, maxp = 0;
  for (size_t j = 0; j < n; j++) {
    sum += s[j] + p[j];
    mins = fmin(mins, s[j]), minp = fmin(minp, p[j]);
    maxs = fmax(maxs, s[j]), maxp = fmax(maxp, p[j]);
  }
  double ka = (s[i] + p[i]) / sum, kb = s[i] / mins + p[i] / minp;
  double kc = (lambda * s[i] + (1 - lambda) * p[i]) / (lambda * maxs + (1 - lambda) * maxp);
  return cbrt(ka * kb * kc) + (ka + kb + kc) / 3;
}

static void test_cocoso__lambda_weighs_the_sums_in_k_c(void **state) {
  (void)state;
  /* Two benefit criteria, w = (0.5, 0.5): c0 (0, 5, 10, 8) -> r (0, 0.5, 1,
   * 0.8); c1 (10, 0, 5, 6) -> r (1, 0, 0.5, 0.6).
   * S = 0.5 (r0 + r1) = (0.5, 0.25, 0.75, 0.7);
   * P = sqrt r0 + sqrt r1 = (1, sqrt 0.5, 1 + sqrt 0.5, sqrt 0.8 + sqrt 0.6).
   * No S is 0, so the paper's k applies as printed. */
  const double rows[] = {0, 10, 5, 0, 10, 5, 8, 6};
  const double w[] = {0.5, 0.5};
  fx *f = make(4, 1, 2, NULL, rows, w);
  const double s[] = {0.5, 0.25, 0.75, 0.7};
  const double p[] = {1, sqrt(0.5), 1 + sqrt(0.5), sqrt(0.8) + sqrt(0.6)};
  const char *specs[] = {"cocoso", "cocoso:lambda=0", "cocoso:lambda=1"};
  const double lambdas[] = {0.5, 0, 1};
  double u[4];
  for (size_t v = 0; v < 3; v++) {
    use(f, specs[v]);
    run(f, u);
    for (size_t i = 0; i < 4; i++) assert_near(u[i], cocoso_k(s, p, 4, i, lambdas[v]), 1e-14);
  }
  drop(f);
}

static void test_cocoso__worst_on_every_criterion_stays_finite(void **state) {
  (void)state;
  /* One benefit criterion, w = 1, values (10, 0, 5): r = (1, 0, 0.5), so
   * s1 has S = P = 0 and the paper's k_b divides by zero.  k_b then takes
   * its ratios to the smallest positive S = P = 0.5 and is 0 for s1:
   * S = P = (1, 0, 0.5), sum (S + P) = 3:
   *   s0: k_a = 2/3, k_b = 1/0.5 + 1/0.5 = 4, k_c = 1 / 1 = 1
   *   s1: k_a = k_b = k_c = 0: k = 0
   *   s2: k_a = 1/3, k_b = 2, k_c = 0.5. */
  const double rows[] = {10, 0, 5};
  const double w[] = {1};
  fx *f = make(3, 1, 1, NULL, rows, w);
  use(f, "cocoso");
  double u[3];
  run(f, u);
  assert_near(u[0], cbrt(2.0 / 3 * 4 * 1) + (2.0 / 3 + 4 + 1) / 3, 1e-14);
  assert_near(u[1], 0, 0);
  assert_near(u[2], cbrt(1.0 / 3 * 2 * 0.5) + (1.0 / 3 + 2 + 0.5) / 3, 1e-14);
  drop(f);
}

static void test_cocoso__indistinguishable_strategies_score_alike(void **state) {
  (void)state;
  /* Nothing varies (every column constant), or one strategy: every cell is
   * alike, k_a = 1/n, k_b = 2, k_c = 1, k = (2/n)^(1/3) + (1/n + 3)/3. */
  const double rows[] = {4, 1, 4, 1, 4, 1};
  const int dir[] = {1, -1};
  const double w[] = {0.5, 0.5};
  fx *f = make(3, 1, 2, dir, rows, w);
  use(f, "cocoso");
  double u[3];
  run(f, u);
  for (size_t s = 0; s < 3; s++) assert_near(u[s], cbrt(2.0 / 3) + (1.0 / 3 + 3) / 3, 1e-15);
  drop(f);
  f = make(1, 1, 2, dir, rows, w);
  use(f, "cocoso");
  run(f, u);
  assert_near(u[0], cbrt(2) + 4.0 / 3, 1e-15);
  drop(f);
}

static void test_cocoso__constant_column_and_zero_weight_play_no_part(void **state) {
  (void)state;
  /* c0 as in the lambda test's c0 with w = 0.5; c1 constant (w = 0.5) and
   * c2 varying with weight 0 leave S = 0.5 r0 and P = sqrt r0 alone. */
  const double rows[] = {0, 3, 1, 5, 3, 9, 10, 3, 4, 8, 3, 2};
  const double w[] = {0.5, 0.5, 0};
  fx *f = make(4, 1, 3, NULL, rows, w);
  use(f, "cocoso");
  double u[4];
  run(f, u);
  const double s[] = {0, 0.25, 0.5, 0.4};
  const double p[] = {0, sqrt(0.5), 1, sqrt(0.8)};
  /* s0 is the worst on c0, the only criterion that counts: S = P = 0, so
   * k_b's ratios go to the smallest positive S = 0.25 and P = sqrt 0.5. */
  const double s1[] = {0.25, 0.5, 0.4}, p1[] = {sqrt(0.5), 1, sqrt(0.8)};
  assert_near(u[0], 0, 0);
  for (size_t i = 1; i < 4; i++) {
    double sum = 0;
    for (size_t j = 0; j < 4; j++) sum += s[j] + p[j];
    double ka = (s[i] + p[i]) / sum, kb = s1[i - 1] / 0.25 + p1[i - 1] / sqrt(0.5);
    double kc = (0.5 * s[i] + 0.5 * p[i]) / (0.5 * 0.5 + 0.5 * 1);
    assert_near(u[i], cbrt(ka * kb * kc) + (ka + kb + kc) / 3, 1e-14);
  }
  drop(f);
}

/* ==== marcos =============================================================== */
static void test_marcos__matches_stevic_2020_suppliers(void **state) {
  (void)state;
  /* Stević, Pamučar, Puška & Chatterjee (2020), the supplier ranking:
   * f(K) = (0.524, 0.846, 0.703, 0.796, 0.843, 0.499, 0.722, 0.291),
   * order A2, A5, A4, A7, A3, A1, A6, A8 (printed to three places; the
   * values as carried by pyrepo-mcda's test of this example). */
  fx *f = make(8, 1, 21, suppliers_dir, suppliers, suppliers_w);
  use(f, "marcos");
  double u[8];
  run(f, u);
  const double paper[] = {0.524, 0.846, 0.703, 0.796, 0.843, 0.499, 0.722, 0.291};
  for (size_t s = 0; s < 8; s++) assert_near(u[s], paper[s], 5e-4);
  const int rank[] = {6, 1, 5, 3, 2, 7, 4, 8};
  assert_ranks(u, 8, rank, false);
  drop(f);
}

static void test_marcos__closed_form_is_the_paper_utility(void **state) {
  (void)state;
  /* One benefit criterion, w = 1, values (2, 4): AI = 4, AAI = 2,
   * n = (0.5, 1), S_aai = 0.5, S_ai = 1.  By the paper's steps for s0:
   * K- = 0.5 / 0.5 = 1, K+ = 0.5, f(K+) = 1 / 1.5, f(K-) = 0.5 / 1.5,
   * f(K) = 1.5 / (1 + 0.5 + 2) = 3/7; s1 has twice s0's S: 6/7.
   * Values (0, 4) make AAI = 0 and the paper's K- infinite; the closed
   * form's limit is S / S_ai = (0, 1). */
  const double rows[] = {2, 4};
  const double w[] = {1};
  fx *f = make(2, 1, 1, NULL, rows, w);
  use(f, "marcos");
  double u[2];
  run(f, u);
  assert_near(u[0], 3.0 / 7, 1e-15);
  assert_near(u[1], 6.0 / 7, 1e-15);
  f->cube[0] = 0;
  run(f, u);
  assert_near(u[0], 0, 0);
  assert_near(u[1], 1, 1e-15);
  drop(f);
}

static void test_marcos__ideal_spans_every_scenario(void **state) {
  (void)state;
  /* One cost criterion, w = 1, k0 = (2, 4), k1 = (1, 2): AI = 1, AAI = 4
   * over the slab, n = 1 / x = (0.5, 0.25, 1, 0.5), S_aai = 0.25, S_ai = 1:
   * f = S (1.25) / (0.0625 + 0.25 + 1) = S / 1.05. */
  const double rows[] = {2, 4, 1, 2};
  const int dir[] = {-1};
  const double w[] = {1};
  fx *f = make(2, 2, 1, dir, rows, w);
  use(f, "marcos");
  double u[4];
  run(f, u);
  const double n[] = {0.5, 0.25, 1, 0.5};
  for (size_t i = 0; i < 4; i++) assert_near(u[i], n[i] / 1.05, 1e-15);
  drop(f);
}

static void test_marcos__degenerate_inputs_give_a_value_or_a_named_error(void **state) {
  (void)state;
  /* A lone strategy is its own ideal and anti-ideal: K+ = K- = 1,
   * f(K+-) = 1/2, f(K) = 2 / 3.  An all-zero benefit column counts as
   * every strategy at the ideal (n = 1), like any constant column. */
  const double one[] = {3, 5, 0};
  const int dir[] = {1, -1, 1};
  const double w[] = {0.4, 0.4, 0.2};
  fx *f = make(1, 1, 3, dir, one, w);
  use(f, "marcos");
  double u[2];
  run(f, u);
  assert_near(u[0], 2.0 / 3, 1e-15);
  drop(f);
  /* a cost value of 0 is refused, naming the cell */
  const double rows[] = {3, 5, 0, 4, 0, 0};
  f = make(2, 1, 3, dir, rows, w);
  use(f, "marcos");
  assert_int_equal(f->ctx.stage->fn.aggregation(&f->ctx, u), PARLEY_EINVALID);
  assert_msg_has(f, "aggregation marcos: criterion 'c1' has the value 0 for strategy 's1'");
  f->w[1] = 0; /* not read */
  run(f, u);
  drop(f);
}

/* ==== all five ============================================================= */
static const char *const methods[] = {"mabac", "codas", "spotis", "cocoso", "marcos"};

static void test_distance_methods__scenarios_are_rows_of_one_slab(void **state) {
  (void)state;
  /* Reference points span the slab: a model of 3 strategies under 2
   * scenarios scores each (strategy, scenario) as a one-scenario model of 6
   * strategies (the same cells, same order) scores them. */
  const double rows[] = {5, 2, 30, 7, 1, 10, 6, 3, 20, 4, 2, 25, 9, 4, 15, 3, 1, 35};
  const int dir[] = {1, -1, 1};
  const double w[] = {0.5, 0.3, 0.2};
  for (size_t m = 0; m < 5; m++) {
    fx *two = make(3, 2, 3, dir, rows, w), *flat = make(6, 1, 3, dir, rows, w);
    use(two, methods[m]);
    use(flat, methods[m]);
    double a[6], b[6];
    run(two, a);
    run(flat, b);
    for (size_t i = 0; i < 6; i++) assert_near(a[i], b[i], 1e-15);
    drop(two);
    drop(flat);
  }
}

static void test_distance_methods__never_give_nan(void **state) {
  (void)state;
  /* Random small models full of ties, constant columns, zero weights and
   * lone strategies: every method gives a finite value for every cell. */
  uint64_t seed = 11;
  for (size_t trial = 0; trial < 200; trial++) {
    size_t ns = 1 + (size_t)(next_unit(&seed) * 4), nk = 1 + (size_t)(next_unit(&seed) * 2);
    size_t nc = 1 + (size_t)(next_unit(&seed) * 3);
    double rows[5 * 3 * 4], w[4] = {0};
    int dir[4] = {0};
    for (size_t c = 0; c < nc; c++) {
      dir[c] = next_unit(&seed) < 0.5 ? 1 : -1;
      w[c] = next_unit(&seed) < 0.25 ? 0 : next_unit(&seed);
    }
    if (w[0] == 0) w[0] = 1;
    /* benefit values from {0, 1, 2} (a zero worst value included), cost
     * values from {1, 2, 3} (min / x needs x > 0) */
    for (size_t i = 0; i < ns * nk * nc; i++)
      rows[i] = (dir[i % nc] < 0) + floor(next_unit(&seed) * 3);
    for (size_t m = 0; m < 5; m++) {
      fx *f = make(ns, nk, nc, dir, rows, w);
      use(f, methods[m]);
      double u[5 * 3];
      run(f, u);
      drop(f);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_mabac__matches_pamucar_cirovic_2015_forklifts),
    cmocka_unit_test(test_mabac__matches_biswas_das_2018_hybrid_vehicles),
    cmocka_unit_test(test_mabac__constant_column_and_zero_weight_add_nothing),
    cmocka_unit_test(test_mabac__border_area_spans_every_scenario),
    cmocka_unit_test(test_codas__matches_keshavarz_ghorabaee_2016_example_1),
    cmocka_unit_test(test_codas__matches_keshavarz_ghorabaee_2016_example_2),
    cmocka_unit_test(test_codas__tau_decides_when_the_taxicab_distance_counts),
    cmocka_unit_test(test_codas__fast_sum_matches_the_pairwise_definition),
    cmocka_unit_test(test_codas__compares_every_strategy_under_every_scenario),
    cmocka_unit_test(test_codas__degenerate_inputs_give_zero_or_a_named_error),
    cmocka_unit_test(test_spotis__matches_dezert_2020_first_example),
    cmocka_unit_test(test_spotis__matches_dezert_2020_car_example),
    cmocka_unit_test(test_spotis__fixed_bounds_make_it_rank_reversal_free),
    cmocka_unit_test(test_spotis__bounds_from_the_data_span_every_scenario),
    cmocka_unit_test(test_spotis__degenerate_inputs_give_zero_or_a_named_error),
    cmocka_unit_test(test_cocoso__matches_yazdani_2019_table_6),
    cmocka_unit_test(test_cocoso__lambda_weighs_the_sums_in_k_c),
    cmocka_unit_test(test_cocoso__worst_on_every_criterion_stays_finite),
    cmocka_unit_test(test_cocoso__indistinguishable_strategies_score_alike),
    cmocka_unit_test(test_cocoso__constant_column_and_zero_weight_play_no_part),
    cmocka_unit_test(test_marcos__matches_stevic_2020_suppliers),
    cmocka_unit_test(test_marcos__closed_form_is_the_paper_utility),
    cmocka_unit_test(test_marcos__ideal_spans_every_scenario),
    cmocka_unit_test(test_marcos__degenerate_inputs_give_a_value_or_a_named_error),
    cmocka_unit_test(test_distance_methods__scenarios_are_rows_of_one_slab),
    cmocka_unit_test(test_distance_methods__never_give_nan),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
