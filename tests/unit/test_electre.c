/*
 * test_electre.c — the electre1 and electre3 aggregations (core/electre.c),
 * called directly with a run context built by hand (fixture.h): ELECTRE I
 * on the example of Cebrián & Porcar (2009), the kernel of a chain and of a
 * circuit worked by hand, discordance over the slab with two scenarios;
 * ELECTRE III's distillation of two credibility matrices whose
 * distillations another implementation's tests print, a full example with a
 * veto and an incomparability worked by hand, the same without the veto, a
 * model large enough for the single-precision matrix; degenerate input
 * (one strategy, identical strategies, a zero weight, a constant criterion)
 * and bad parameters for both.  Each expected number is either quoted from
 * its source, cited beside it, or computed by hand in the comment beside it.
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

/* Strategies a1.., criteria g1.., scenarios k1.. */
static fx *make(const char *stage, size_t ns, size_t nk, size_t nc, const int *dir,
                const double *w, const double *rows) {
  return fixture_new(&(fx_opts){.ns = ns, .nk = nk, .nc = nc, .dir = dir, .w = w, .rows = rows,
                                .stage = stage, .crit = 'g', .strat = 'a', .scen = 'k',
                                .first = 1});
}

static void set_num(fx *f, const char *key, double v) {
  assert_int_equal(parley__spec_add(f->e, &f->spec, key, PARLEY__PNUM, v, NULL), PARLEY_OK);
}

/* electre1 on one scenario with the thresholds given, run: it must succeed. */
static fx *electre1_run(size_t ns, size_t nc, const int *dir, const double *w,
                        const double *rows, double concordance, double discordance) {
  fx *f = make("electre1", ns, 1, nc, dir, w, rows);
  set_num(f, "concordance", concordance);
  set_num(f, "discordance", discordance);
  aggregate_ok(f, parley__a_electre1, f->u);
  return f;
}

static void set_json(fx *f, const char *key, const char *json) {
  assert_int_equal(parley__spec_add(f->e, &f->spec, key, PARLEY__PJSON, 0, json), PARLEY_OK);
}

/* The scenario block of the diagnostics. */
static const cJSON *scen(const cJSON *d, const char *k) {
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(
    cJSON_GetObjectItemCaseSensitive(d, "scenarios"), k);
  if (!s) fail_msg("no scenario '%s' in the diagnostics", k);
  return s;
}

/* A list of ids as "a1 a3", or a list of lists as "a2 | a1 a3". */
static void ids_text(const cJSON *x, char *out, size_t n) {
  size_t len = 0;
  out[0] = '\0';
  const cJSON *it;
  cJSON_ArrayForEach(it, x) {
    if (cJSON_IsArray(it)) {
      char inner[512];
      ids_text(it, inner, sizeof inner);
      len += (size_t)snprintf(out + len, n - len, "%s%s", len ? " | " : "", inner);
    } else {
      len += (size_t)snprintf(out + len, n - len, "%s%s", len ? " " : "", it->valuestring);
    }
  }
}

static void assert_ids(const cJSON *block, const char *key, const char *expected) {
  const cJSON *x = cJSON_GetObjectItemCaseSensitive(block, key);
  if (!cJSON_IsArray(x)) fail_msg("no list '%s' in the diagnostics", key);
  char got[1024];
  ids_text(x, got, sizeof got);
  if (strcmp(got, expected) != 0) fail_msg("%s: got \"%s\", expected \"%s\"", key, got, expected);
}

/* block.key.a.b: a pairwise matrix entry. */
static double pair(const cJSON *block, const char *key, const char *a, const char *b) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(
    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(block, key), a), b);
  if (!cJSON_IsNumber(v)) fail_msg("no number %s.%s.%s in the diagnostics", key, a, b);
  return v->valuedouble;
}

static double num(const cJSON *block, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(block, key);
  if (!cJSON_IsNumber(v)) fail_msg("no number '%s' in the diagnostics", key);
  return v->valuedouble;
}

/* ==== ELECTRE I ===================================================================== */
/* Cebrián, L. I. G., & Porcar, A. M. (2009). Localización empresarial en
 * Aragón: una aplicación empírica de la ayuda a la decisión multicriterio
 * tipo ELECTRE I y III. Robustez de los resultados obtenidos. Revista de
 * Métodos Cuantitativos para la Economía y la Empresa, 7, 31-56: six
 * locations A1..A6 on five criteria, the third a cost, weights 0.25, 0.25,
 * 0.1, 0.2, 0.2.  Their decision matrix, concordance matrix and kernel
 * (A5 alone, with concordance 0.55 and discordance 0.699) are as the test
 * suite of scikit-criteria (Cabral & Luczywo, tests/madm/test_electre.py)
 * reproduces them; the printed page of the table could not be checked. */
static const double cp_rows[] = {6, 5, 28, 5,  5,   /* A1 */
                                 4, 2, 25, 10, 9,   /* A2 */
                                 5, 7, 35, 9,  6,   /* A3 */
                                 6, 1, 27, 6,  7,   /* A4 */
                                 6, 8, 30, 7,  9,   /* A5 */
                                 5, 6, 26, 4,  8};  /* A6 */
static const int cp_dir[] = {1, 1, -1, 1, 1};
static const double cp_w[] = {0.25, 0.25, 0.1, 0.2, 0.2};

/* The published concordance matrix, row a, column b (the diagonal unused).
 * It is also what the definition gives: C(A1, A2) = 0.25 (g1: 6 >= 4) +
 * 0.25 (g2: 5 >= 2) = 0.5, the cost g3 (28 > 25), g4 and g5 going to A2. */
static const double cp_concordance[6][6] = {
  {1, 0.50, 0.35, 0.50, 0.35, 0.45}, {0.50, 1, 0.50, 0.75, 0.50, 0.50},
  {0.65, 0.50, 1, 0.45, 0.20, 0.70}, {0.75, 0.25, 0.55, 1, 0.35, 0.45},
  {0.90, 0.70, 0.80, 0.90, 1, 0.90}, {0.55, 0.50, 0.55, 0.55, 0.10, 1}};

static void test_electre1__concordance_matches_cebrian_porcar_2009(void **state) {
  (void)state;
  fx *f = make("electre1", 6, 1, 5, cp_dir, cp_w, cp_rows);
  aggregate_ok(f, parley__a_electre1, f->u);
  cJSON *d = diag(f);
  const cJSON *k = scen(d, "k1");
  for (int a = 0; a < 6; a++)
    for (int b = 0; b < 6; b++) {
      if (a == b) continue;
      char sa[8], sb[8];
      snprintf(sa, sizeof sa, "a%d", a + 1);
      snprintf(sb, sizeof sb, "a%d", b + 1);
      assert_near(pair(k, "concordance", sa, sb), cp_concordance[a][b], 1e-12);
    }
  /* The discordance differs from the paper's by design: Cebrián & Porcar
   * divide sum-normalised differences by the largest normalised range of
   * any criterion (7/29, g2's), where electre1 divides each criterion's
   * difference by its own range over the slab (g1..g5: 2, 7, 10, 6, 4).  By
   * hand, row A5 (the largest amount by which b beats A5):
   *   A1 beats it on g3 only (28 < 30): 2/10 = 0.2;
   *   A2 on g3 (25): 5/10 and g4 (10 > 7): 3/6, both 0.5;
   *   A3 on g4 (9 > 7): 2/6 = 1/3;
   *   A4 on g3 (27): 3/10 = 0.3;
   *   A6 on g3 (26): 4/10 = 0.4.
   * And D(A1, A2) = max(3/10, 5/6, 4/4) = 1 (g5: 9 against 5, the whole
   * range). */
  assert_near(pair(k, "discordance", "a5", "a1"), 0.2, 1e-15);
  assert_near(pair(k, "discordance", "a5", "a2"), 0.5, 1e-15);
  assert_near(pair(k, "discordance", "a5", "a3"), 1.0 / 3, 1e-15);
  assert_near(pair(k, "discordance", "a5", "a4"), 0.3, 1e-15);
  assert_near(pair(k, "discordance", "a5", "a6"), 0.4, 1e-15);
  assert_near(pair(k, "discordance", "a1", "a2"), 1, 1e-15);
  cJSON_Delete(d);
  drop(f);
}

static void test_electre1__kernel_of_cebrian_porcar_2009(void **state) {
  (void)state;
  fx *f = electre1_run(6, 5, cp_dir, cp_w, cp_rows, 0.55, 0.699);
  cJSON *d = diag(f);
  const cJSON *k = scen(d, "k1");
  /* The published kernel: A5 alone. */
  assert_ids(k, "kernel", "a5");
  /* By hand, from the matrices above: C >= 0.55 and D <= 0.699 hold for
   * A5 against every other (C 0.7..0.9, D 0.2..0.5), A4 -> A1 (C 0.75, D
   * 4/7), A6 -> A1 (0.55, 0.5) and A6 -> A4 (0.55, 0.5); every other pair
   * fails one test (e.g. A3 -> A6: C 0.7 but D 0.9; A2 -> A4: C 0.75 but D
   * 1).  Eight arcs; the net counts (out minus in): A1 0 - 3, A2 0 - 1, A3
   * 0 - 1, A4 1 - 2, A5 5 - 0, A6 2 - 1. */
  assert_int_equal((int)num(k, "outranking_pairs"), 8);
  const double net[] = {-3, -1, -1, -1, 5, 1};
  for (int s = 0; s < 6; s++) assert_near(f->u[s], net[s], 0);
  assert_int_equal((int)num(k, "cycle_count"), 0);
  cJSON_Delete(d);
  drop(f);
}

/* A chain a1 -> a2 -> a3, worked by hand: three benefit criteria of weight
 * 1/3, concordance 0.6, discordance 0.5; ranges 4, 2, 3.
 *   a1 = (4, 2, 4) against a2 = (2, 3, 2): a1 holds g1 and g3 (C = 2/3),
 *     a2 beats it on g2 by 1 of 2 (D = 0.5, on the threshold): a1 -> a2;
 *     a2 holds only g2 (C = 1/3).
 *   a2 against a3 = (0, 4, 1): C = 2/3 (g1, g3), D = 1/2 (g2): a2 -> a3.
 *   a1 against a3: C = 2/3 but a3 beats it on g2 by 2 of 2 (D = 1): no.
 * The kernel: a1 (nothing outranks it), not a2 (a1 outranks it), and a3,
 * outranked only by a2, which is out: {a1, a3}.  Net: 1, 1 - 1, -1. */
static void test_electre1__kernel_of_a_chain_skips_its_middle(void **state) {
  (void)state;
  const double rows[] = {4, 2, 4, 2, 3, 2, 0, 4, 1};
  fx *f = electre1_run(3, 3, NULL, NULL, rows, 0.6, 0.5);
  cJSON *d = diag(f);
  const cJSON *k = scen(d, "k1");
  assert_ids(k, "kernel", "a1 a3");
  assert_int_equal((int)num(k, "kernel_size"), 2);
  assert_near(f->u[0], 1, 0);
  assert_near(f->u[1], 0, 0);
  assert_near(f->u[2], -1, 0);
  cJSON_Delete(d);
  drop(f);
}

/* A circuit, reduced to one node as Roy (1968) prescribes: three benefit
 * criteria of weight 1/3 and the values of a Condorcet cycle, a1 = (3, 2,
 * 1), a2 = (1, 3, 2), a3 = (2, 1, 3), with a4 = (0, 0, 0) below them all;
 * concordance 0.6, discordance 1 (no veto).  Each of a1, a2, a3 holds two
 * criteria of three against the one before it in the cycle (C = 2/3):
 * a2 -> a1, a3 -> a2, a1 -> a3, and each outranks a4 (C = 1).  a1, a2, a3
 * are one circuit; it is the reduced graph's only source, so the kernel is
 * the circuit, and a4 is outranked by it.  Net: each of the three 2 - 1,
 * a4 0 - 3. */
static void test_electre1__circuit_counts_as_one_node(void **state) {
  (void)state;
  const double rows[] = {3, 2, 1, 1, 3, 2, 2, 1, 3, 0, 0, 0};
  fx *f = electre1_run(4, 3, NULL, NULL, rows, 0.6, 1);
  cJSON *d = diag(f);
  const cJSON *k = scen(d, "k1");
  assert_ids(k, "kernel", "a1 a2 a3");
  assert_ids(k, "cycles", "a1 a2 a3");
  assert_int_equal((int)num(k, "cycle_count"), 1);
  for (int s = 0; s < 3; s++) assert_near(f->u[s], 1, 0);
  assert_near(f->u[3], -3, 0);
  cJSON_Delete(d);
  drop(f);
}

/* The range that scales the discordance spans every scenario: g1 goes from
 * 0 to 10 under k1 and from 0 to 1 under k2 (slab range 10); g2 (weight
 * 0.8) favours a1 by 1 in both.  Under k2, a2 beats a1 on g1 by 1 = 0.1 of
 * the slab's range: a1 -> a2 (C = 0.8, D = 0.1); under k1 by 10 (D = 1):
 * no arc.  A range taken scenario by scenario would give D = 1 under k2 as
 * well. */
static void test_electre1__discordance_scales_by_the_slab(void **state) {
  (void)state;
  const double w[] = {0.2, 0.8};
  const double rows[] = {0, 1, 10, 0,  /* k1: a1, a2 */
                         0, 1, 1, 0}; /* k2 */
  fx *f = make("electre1", 2, 2, 2, NULL, w, rows);
  aggregate_ok(f, parley__a_electre1, f->u);
  assert_near(f->u[0], 0, 0);
  assert_near(f->u[1], 0, 0);
  assert_near(f->u[2], 1, 0);
  assert_near(f->u[3], -1, 0);
  cJSON *d = diag(f);
  assert_near(pair(scen(d, "k2"), "discordance", "a1", "a2"), 0.1, 1e-15);
  assert_near(pair(scen(d, "k1"), "discordance", "a1", "a2"), 1, 1e-15);
  cJSON_Delete(d);
  drop(f);
}

static void test_electre1__degenerate_input(void **state) {
  (void)state;
  /* One strategy: nothing to compare, net 0, the kernel itself. */
  const double one[] = {5, 7};
  fx *f = make("electre1", 1, 1, 2, NULL, NULL, one);
  aggregate_ok(f, parley__a_electre1, f->u);
  assert_near(f->u[0], 0, 0);
  cJSON *d = diag(f);
  assert_ids(scen(d, "k1"), "kernel", "a1");
  cJSON_Delete(d);
  drop(f);

  /* Two identical strategies outrank each other (C = 1, D = 0): a circuit,
   * in the kernel together, tied; the third, worse on both criteria, is
   * outranked by both.  Net: 2 - 1, 2 - 1, 0 - 2. */
  const double same[] = {3, 3, 3, 3, 1, 1};
  f = make("electre1", 3, 1, 2, NULL, NULL, same);
  aggregate_ok(f, parley__a_electre1, f->u);
  assert_near(f->u[0], 1, 0);
  assert_near(f->u[1], 1, 0);
  assert_near(f->u[2], -2, 0);
  d = diag(f);
  assert_ids(scen(d, "k1"), "kernel", "a1 a2");
  assert_ids(scen(d, "k1"), "cycles", "a1 a2");
  cJSON_Delete(d);
  drop(f);

  /* A criterion of weight 0 takes no part, in the discordance either: a2
   * beats a1 on g2 by the whole range, yet a1 -> a2 (C = 1 from g1). */
  const double w0[] = {1, 0};
  const double zero[] = {2, 0, 1, 100};
  f = make("electre1", 2, 1, 2, NULL, w0, zero);
  aggregate_ok(f, parley__a_electre1, f->u);
  assert_near(f->u[0], 1, 0);
  assert_near(f->u[1], -1, 0);
  drop(f);

  /* A criterion that does not vary: concordant both ways, no discordance
   * (no 0/0). */
  const double flat[] = {1, 5, 0, 5};
  f = make("electre1", 2, 1, 2, NULL, NULL, flat);
  aggregate_ok(f, parley__a_electre1, f->u);
  assert_near(f->u[0], 1, 0);
  assert_near(f->u[1], -1, 0);
  d = diag(f);
  assert_near(pair(scen(d, "k1"), "discordance", "a2", "a1"), 1, 0);
  assert_near(pair(scen(d, "k1"), "concordance", "a2", "a1"), 0.5, 1e-15);
  cJSON_Delete(d);
  drop(f);
}

static void test_electre1__rejects_thresholds_outside_0_1(void **state) {
  (void)state;
  fx *f = make("electre1", 2, 1, 1, NULL, NULL, (const double[]){1, 2});
  set_num(f, "concordance", 1.5);
  assert_int_equal(parley__a_electre1(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "aggregation electre1: concordance=1.5");
  drop(f);
}

/* ==== ELECTRE III: distillation ========================================================= */
/* Two credibility matrices and their distillations as printed in the test
 * suite of the ELECTRE-Methods library of Poznań University of Technology
 * (github.com/PatrykHub/ELECTRE-Methods, tests/outranking/
 * test_distillation.py), which does not name their source.  The classes
 * were recomputed independently with a separate implementation of the
 * procedure as Figueira, Mousseau & Roy (2005) state it (s = 0.3 - 0.15 l)
 * and agree, both descending and ascending, before they were used here.
 * P1..P5, best class first: descending P1 | P2 | P3 P4 P5, ascending P1 P2
 * | P4 | P3 P5. */
static const double p5[] = {1.0,  0.0, 1.0,  0.8, 1.0,  0.0, 1.0, 0.0, 0.9, 0.67,
                            0.6,  0.0, 1.0,  0.6, 0.8,  0.25, 0.8, 0.67, 1.0, 0.85,
                            0.67, 0.0, 0.8,  0.8, 1.0};

static const double v12[] = {
  1.0, 1.0, 0.9977, 0.606, 1.0, 0.9977, 0.8175, 1.0, 0.803, 0.8775, 0.548, 0.5318,
  1.0, 1.0, 0.9977, 0.4047, 0.9973, 0.9816, 0.7762, 1.0, 0.6612, 0.8775, 0.4951, 0.443,
  0.7734, 0.8946, 1.0, 0.2775, 0.8041, 0.8014, 0.6083, 0.916, 0.499, 0.8775, 0.382, 0.3598,
  0.85, 0.85, 0.9317, 1.0, 0.85, 0.9317, 0.7739, 0.916, 0.8742, 0.8775, 0.7464, 0.7912,
  0.9786, 0.9854, 0.9977, 0.5903, 1.0, 0.9816, 0.7184, 1.0, 0.7288, 0.8775, 0.4546, 0.3839,
  0.8946, 0.9014, 1.0, 0.5999, 0.916, 1.0, 0.7488, 0.916, 0.7128, 0.8775, 0.464, 0.464,
  1.0, 1.0, 1.0, 0.691, 1.0, 1.0, 1.0, 1.0, 0.803, 0.8775, 0.6875, 0.6875,
  0.5299, 0.7279, 0.7849, 0.2795, 0.7057, 0.5066, 0.3148, 1.0, 0.3638, 0.8118, 0.2394, 0.1979,
  0.8692, 0.934, 1.0, 0.773, 0.9352, 0.9352, 0.7297, 1.0, 1.0, 0.8775, 0.7647, 0.8393,
  0.5803, 0.8033, 0.9186, 0.3486, 0.7385, 0.5779, 0.4384, 0.916, 0.5775, 1.0, 0.4959, 0.3625,
  0.8692, 0.934, 0.9317, 0.773, 0.8692, 0.8669, 0.8669, 1.0, 0.9688, 1.0, 1.0, 0.9977,
  0.8692, 0.934, 0.9537, 0.7835, 0.8822, 0.8822, 0.8692, 1.0, 0.993, 1.0, 1.0, 1.0};

static void check_classes(const double *S, size_t n, bool ascending, const int *expected) {
  parley_engine *e;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  int cls[16];
  assert_int_equal(parley__electre_distill(e, S, n, -0.15, 0.3, ascending, cls), PARLEY_OK);
  for (size_t a = 0; a < n; a++)
    if (cls[a] != expected[a])
      fail_msg("%s: alternative %zu in class %d, expected %d",
               ascending ? "ascending" : "descending", a + 1, cls[a], expected[a]);
  parley_engine_free(e);
}

static void test_electre3__distills_the_electre_methods_matrices(void **state) {
  (void)state;
  check_classes(p5, 5, false, (const int[]){1, 2, 3, 3, 3});
  check_classes(p5, 5, true, (const int[]){1, 1, 3, 2, 3});
  /* V1..V12: descending V11 V12 | V4 V7 | V9 | V1 V6 | V5 | V2 | V3 V8
   * V10; ascending V4 V11 V12 | V7 V9 | V1 | V2 V5 V6 | V10 | V3 | V8. */
  check_classes(v12, 12, false, (const int[]){4, 6, 7, 2, 5, 4, 2, 7, 3, 7, 1, 1});
  check_classes(v12, 12, true, (const int[]){3, 4, 6, 1, 4, 4, 2, 7, 2, 5, 1, 1});
}

/* ==== ELECTRE III: the whole method ====================================================== */
/* Worked by hand.  Two benefit criteria: g1 of weight 0.6 with q = 1, p =
 * 3, v = 6, and g2 of weight 0.4 with q = 0, p = 2 and no veto; a1 = (10,
 * 1), a2 = (2, 9), a3 = (0, 4).  d is the amount by which b beats a.
 *   (a1, a2): g1 d = -8 -> c = 1; g2 d = 8 >= p -> 0.  C = 0.6 = S.
 *   (a2, a1): g1 d = 8 -> c = 0, and d >= v: d_1 = 1 > C; g2 d = -8 -> 1.
 *             C = 0.4, S = 0.4 (1 - 1) / (1 - 0.4) = 0: a veto.
 *   (a1, a3): g1 -> 1, g2 d = 3 -> 0.  S = 0.6.
 *   (a3, a1): g1 d = 10 -> 0 and vetoed; g2 -> 1.  C = 0.4, S = 0.
 *   (a2, a3): g1 d = -2 <= q -> 1; g2 d = -5 -> 1.  S = 1.
 *   (a3, a2): g1 d = 2 -> (3 - 2) / (3 - 1) = 0.5; g2 d = 5 -> 0.
 *             C = 0.3; d_1 = 0 (d <= p).  S = 0.3.
 * Descending, s(l) = 0.3 - 0.15 l: l0 = 1, l0 - s(l0) = 0.85, l1 = 0.6 (the
 * largest S below 0.85).  Only (a2, a3) has S > 0.6, and 1 - 0.3 > s(1) =
 * 0.15: qualifications a1 0, a2 +1, a3 -1; a2 is the first class.  Left
 * a1, a3: l0 = 0.6, l0 - s(0.6) = 0.39, no S of theirs below but 0: l1 =
 * 0; a1 S1 a3 (0.6 > 0 and 0.6 - 0 > s(0.6) = 0.21): a1, then a3.
 * Ascending: the same first step takes the smallest qualification, a3,
 * last; left a1, a2: l0 = 0.6, l1 = 0 (S(a2, a1) = 0), a1 S1 a2: a2 next
 * from the bottom, a1 first.  So descending a2 | a1 | a3, ascending a1 |
 * a2 | a3: a1 and a2 are incomparable (each ahead in one), both preferred
 * to a3.  Ranks in the final preorder: a1 1, a2 1, a3 2. */
static const double veto_rows[] = {10, 1, 2, 9, 0, 4};
static const double veto_w[] = {0.6, 0.4};

static void test_electre3__veto_and_incomparability_by_hand(void **state) {
  (void)state;
  fx *f = make("electre3", 3, 1, 2, NULL, veto_w, veto_rows);
  set_json(f, "thresholds", "{\"g1\": {\"q\": 1, \"p\": 3, \"v\": 6}, \"g2\": {\"p\": 2}}");
  aggregate_ok(f, parley__a_electre3, f->u);
  cJSON *d = diag(f);
  const cJSON *k = scen(d, "k1");
  assert_near(pair(k, "credibility", "a1", "a2"), 0.6, 1e-15);
  assert_near(pair(k, "credibility", "a2", "a1"), 0, 0);
  assert_near(pair(k, "credibility", "a1", "a3"), 0.6, 1e-15);
  assert_near(pair(k, "credibility", "a3", "a1"), 0, 0);
  assert_near(pair(k, "credibility", "a2", "a3"), 1, 0);
  assert_near(pair(k, "credibility", "a3", "a2"), 0.3, 1e-15);
  assert_ids(k, "descending", "a2 | a1 | a3");
  assert_ids(k, "ascending", "a1 | a2 | a3");
  assert_int_equal((int)num(k, "incomparable_count"), 1);
  assert_ids(k, "incomparable", "a1 a2");
  assert_near(f->u[0], 1, 0);
  assert_near(f->u[1], 1, 0);
  assert_near(f->u[2], 2, 0);
  assert_near(num(d, "alpha"), -0.15, 0);
  assert_near(num(d, "beta"), 0.3, 0);
  cJSON_Delete(d);
  drop(f);
}

/* The same without the veto: S(a2, a1) = S(a3, a1) = C = 0.4, the rest as
 * above.  Descending: the first step is unchanged (a2 first); left a1, a3
 * with S 0.6 and 0.4: l1 = 0 and 0.6 - 0.4 = 0.2 is not above s(0.6) =
 * 0.21, so a1 and a3 tie: a2 | a1 a3.  Ascending: a3 last as before; left
 * a1, a2 (0.6, 0.4): again no S1, a tie: a1 a2 | a3.  Final: a2 ahead of
 * a1 in one and level in the other (preferred), a1 ahead of a3 likewise:
 * ranks a1 2, a2 1, a3 3, nothing incomparable. */
static void test_electre3__without_the_veto_by_hand(void **state) {
  (void)state;
  fx *f = make("electre3", 3, 1, 2, NULL, veto_w, veto_rows);
  set_json(f, "thresholds", "{\"g1\": {\"q\": 1, \"p\": 3}, \"g2\": {\"p\": 2}}");
  aggregate_ok(f, parley__a_electre3, f->u);
  cJSON *d = diag(f);
  const cJSON *k = scen(d, "k1");
  assert_near(pair(k, "credibility", "a2", "a1"), 0.4, 1e-15);
  assert_near(pair(k, "credibility", "a3", "a1"), 0.4, 1e-15);
  assert_ids(k, "descending", "a2 | a1 a3");
  assert_ids(k, "ascending", "a1 a2 | a3");
  assert_int_equal((int)num(k, "incomparable_count"), 0);
  assert_near(f->u[0], 2, 0);
  assert_near(f->u[1], 1, 0);
  assert_near(f->u[2], 3, 0);
  cJSON_Delete(d);
  drop(f);
}

/* Each scenario is distilled on its own: the values of k2 are those of k1
 * with a1 and a2 swapped, and so are their ranks. */
static void test_electre3__each_scenario_on_its_own(void **state) {
  (void)state;
  const double rows[] = {10, 1, 2, 9, 0, 4,  /* k1 */
                         2, 9, 10, 1, 0, 4}; /* k2 */
  fx *f = make("electre3", 3, 2, 2, NULL, veto_w, rows);
  set_json(f, "thresholds", "{\"g1\": {\"q\": 1, \"p\": 3}, \"g2\": {\"p\": 2}}");
  aggregate_ok(f, parley__a_electre3, f->u);
  const double expected[] = {2, 1, 3, 1, 2, 3};
  for (int i = 0; i < 6; i++) assert_near(f->u[i], expected[i], 0);
  drop(f);
}

/* Past 4,096 strategies the credibilities are kept as floats.  One
 * criterion, a true criterion (q = p = 0): S(a, b) = 1 when x_a >= x_b,
 * else 0, exact in either precision.  The first l1 is 0 and a S1 b exactly
 * when x_a > x_b, so each distillation takes out one value at a time (the
 * highest first descending, the lowest first ascending): with x = s mod 7,
 * the rank is 7 - x. */
static void test_electre3__single_precision_for_large_models(void **state) {
  (void)state;
  enum { N = 4100 };
  double *rows = malloc(N * sizeof *rows);
  assert_non_null(rows);
  for (int s = 0; s < N; s++) rows[s] = s % 7;
  fx *f = make("electre3", N, 1, 1, NULL, NULL, rows);
  f->ctx.no_diagnostics = true;
  aggregate_ok(f, parley__a_electre3, f->u);
  for (int s = 0; s < N; s++) assert_near(f->u[s], 7 - s % 7, 0);
  drop(f);
  free(rows);
}

static void test_electre3__degenerate_input(void **state) {
  (void)state;
  /* One strategy: rank 1, one class each way. */
  fx *f = make("electre3", 1, 1, 2, NULL, NULL, (const double[]){3, 4});
  aggregate_ok(f, parley__a_electre3, f->u);
  assert_near(f->u[0], 1, 0);
  cJSON *d = diag(f);
  assert_ids(scen(d, "k1"), "descending", "a1");
  cJSON_Delete(d);
  drop(f);

  /* Nothing varies: every S is 1, no S1 at all, one class: all rank 1. */
  f = make("electre3", 3, 1, 2, NULL, NULL, (const double[]){1, 2, 1, 2, 1, 2});
  aggregate_ok(f, parley__a_electre3, f->u);
  for (int s = 0; s < 3; s++) assert_near(f->u[s], 1, 0);
  drop(f);

  /* Two identical strategies always share their class (their rows and
   * columns of S are the same), so their rank. */
  f = make("electre3", 3, 1, 2, NULL, veto_w, (const double[]){10, 1, 10, 1, 0, 4});
  set_json(f, "thresholds", "{\"g1\": {\"q\": 1, \"p\": 3, \"v\": 6}}");
  aggregate_ok(f, parley__a_electre3, f->u);
  assert_near(f->u[0], f->u[1], 0);
  drop(f);

  /* A criterion of weight 0 takes no part, its veto included: with all the
   * weight on g2 and a2 far ahead there, a2 is ranked first although a1's
   * lead on g1 (8) exceeds g1's veto threshold. */
  f = make("electre3", 2, 1, 2, NULL, (const double[]){0, 1}, (const double[]){10, 1, 2, 9});
  set_json(f, "thresholds", "{\"g1\": {\"q\": 1, \"p\": 3, \"v\": 6}}");
  aggregate_ok(f, parley__a_electre3, f->u);
  assert_near(f->u[0], 2, 0);
  assert_near(f->u[1], 1, 0);
  drop(f);

  /* A constant criterion is concordant both ways; the other decides. */
  f = make("electre3", 2, 1, 2, NULL, NULL, (const double[]){5, 1, 5, 2});
  aggregate_ok(f, parley__a_electre3, f->u);
  assert_near(f->u[0], 2, 0);
  assert_near(f->u[1], 1, 0);
  drop(f);
}

static void bad_thresholds(const char *json, const char *message) {
  fx *f = make("electre3", 2, 1, 2, NULL, NULL, (const double[]){1, 2, 3, 4});
  set_json(f, "thresholds", json);
  assert_int_equal(parley__a_electre3(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, message);
  drop(f);
}

static void test_electre3__rejects_bad_parameters(void **state) {
  (void)state;
  bad_thresholds("{\"g1\": {\"q\": 3, \"p\": 1}}",
                 "aggregation electre3: thresholds.g1: needs q <= p (q = 3, p = 1)");
  bad_thresholds("{\"g2\": {\"p\": 5, \"v\": 4}}", "thresholds.g2: needs p <= v (p = 5, v = 4)");
  bad_thresholds("{\"g9\": {\"q\": 1}}", "thresholds: the model has no criterion 'g9'");
  bad_thresholds("{\"g1\": {\"veto\": 1}}",
                 "thresholds.g1: unknown threshold 'veto' (expected q, p or v)");
  bad_thresholds("{\"g1\": {\"q\": -1}}", "thresholds.g1: 'q' must be a finite number >= 0");
  bad_thresholds("{\"g1\": 3}", "thresholds.g1: expected an object");
  bad_thresholds("[1, 2]", "thresholds must be a JSON object");
  fx *f = make("electre3", 2, 1, 1, NULL, NULL, (const double[]){1, 2});
  set_num(f, "alpha", -0.5);
  set_num(f, "beta", 0.3);
  assert_int_equal(parley__a_electre3(&f->ctx, f->u), PARLEY_EINVALID);
  assert_msg_has(f, "s(l) = alpha l + beta must be positive on [0, 1] (alpha = -0.5, beta = 0.3)");
  drop(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_electre1__concordance_matches_cebrian_porcar_2009),
    cmocka_unit_test(test_electre1__kernel_of_cebrian_porcar_2009),
    cmocka_unit_test(test_electre1__kernel_of_a_chain_skips_its_middle),
    cmocka_unit_test(test_electre1__circuit_counts_as_one_node),
    cmocka_unit_test(test_electre1__discordance_scales_by_the_slab),
    cmocka_unit_test(test_electre1__degenerate_input),
    cmocka_unit_test(test_electre1__rejects_thresholds_outside_0_1),
    cmocka_unit_test(test_electre3__distills_the_electre_methods_matrices),
    cmocka_unit_test(test_electre3__veto_and_incomparability_by_hand),
    cmocka_unit_test(test_electre3__without_the_veto_by_hand),
    cmocka_unit_test(test_electre3__each_scenario_on_its_own),
    cmocka_unit_test(test_electre3__single_precision_for_large_models),
    cmocka_unit_test(test_electre3__degenerate_input),
    cmocka_unit_test(test_electre3__rejects_bad_parameters),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
