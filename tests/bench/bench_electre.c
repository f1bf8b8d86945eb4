/*
 * bench_electre.c — the speed of the ELECTRE aggregations (core/electre.c),
 * which compare every pair of strategies: the aim is 10,000 strategies under
 * 10 s on one core.  The model is made in memory (no file): N strategies
 * (10,000 by default) x NC criteria (10), one scenario, values uniform in
 * [0, 100) from a seeded generator, every third criterion a cost, weights at
 * random.  Timed, each the best and the median of REPS repetitions:
 *
 *   electre1        the stage as the pipeline calls it, with its
 *                   diagnostics (the kernel of the outranking graph);
 *   electre3        the stage with true criteria (q = p = 0, no veto);
 *   electre3_thr    the stage with pseudo-criteria q = 2, p = 5 and a veto
 *                   v = 40 on every criterion;
 *   run_electre1, run_electre3
 *                   parley_run with the stage (laplace rule, one thread):
 *                   the stage plus the checks, the rule and the ranking.
 *
 * Results go to stdout as "key=value" lines, with a verdict on the aim.  It
 * reaches the stages through core/internal.h, as only a benchmark of the
 * library's internals may.  Build it against a RelWithDebInfo or Release
 * build's static library, as tests/bench/run.sh builds the other programs:
 *
 *   cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Iinclude -Icore \
 *      $(pkg-config --cflags libcjson) -o bench_electre tests/bench/bench_electre.c \
 *      BUILD/libparley.a $(pkg-config --libs libcjson lua5.4) -lm -lpthread -ldl
 *
 * usage: bench_electre [N [NC [REPS [SEED]]]]
 */
#include "internal.h"
#include "methods.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_REPS 20

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void die(const char *what, parley_engine *e) {
  fprintf(stderr, "bench_electre: %s%s%s\n", what, e ? ": " : "",
          e ? parley_engine_errmsg(e) : "");
  exit(1);
}

/* SplitMix64 (Steele, Lea & Flood 2014): the data's own seeded stream. */
static uint64_t next64(uint64_t *st) {
  uint64_t z = (*st += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static double unif(uint64_t *st) { return (double)(next64(st) >> 11) * 0x1.0p-53; }

/* Best and median of t[n], printed as key_best and key_median. */
static double summarise(const char *key, double *t, int n) {
  qsort(t, (size_t)n, sizeof *t, cmp_double);
  double med = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
  printf("%s_best=%.6f\n%s_median=%.6f\n", key, t[0], key, med);
  fflush(stdout);
  return t[0];
}

static parley_model *make_model(parley_engine *e, size_t ns, size_t nc, uint64_t seed) {
  parley_model *m = NULL;
  if (parley_model_new(e, &m, "bench_electre") != PARLEY_OK) die("parley_model_new", e);
  char id[32], sid[32];
  for (size_t c = 0; c < nc; c++) {
    snprintf(id, sizeof id, "c%zu", c);
    double w = 0.5 + unif(&seed);
    if (parley_model_add_criterion(m, id, NULL, c % 3 == 2 ? PARLEY_MIN : PARLEY_MAX, w) !=
        PARLEY_OK)
      die("add criterion", e);
  }
  for (size_t s = 0; s < ns; s++) {
    snprintf(id, sizeof id, "s%zu", s);
    if (parley_model_add_strategy(m, id, NULL) != PARLEY_OK) die("add strategy", e);
  }
  for (size_t s = 0; s < ns; s++) {
    snprintf(sid, sizeof sid, "s%zu", s);
    for (size_t c = 0; c < nc; c++) {
      snprintf(id, sizeof id, "c%zu", c);
      if (parley_model_set_outcome(m, sid, NULL, id, floor(1000 * 100 * unif(&seed)) / 1000) !=
          PARLEY_OK)
        die("set outcome", e);
    }
  }
  if (parley_model_check(m) != PARLEY_OK) die("parley_model_check", e);
  return m;
}

/* Times a stage called as the pipeline calls it. */
static double time_stage(parley_engine *e, parley_model *m, const char *name,
                         const char *thresholds, bool diagnostics, int reps, const char *key,
                         double *u) {
  const parley__stage *st = parley__registry_find(e, PARLEY_STAGE_AGGREGATION, name);
  if (!st) die(name, NULL);
  parley__spec spec = {0};
  if (thresholds &&
      parley__spec_add(e, &spec, "thresholds", PARLEY__PJSON, 0, thresholds) != PARLEY_OK)
    die("spec", e);
  double *w = malloc(m->nc * sizeof *w), sum = 0;
  if (!w) die("out of memory", NULL);
  for (size_t c = 0; c < m->nc; c++) sum += w[c] = m->crit[c].weight;
  for (size_t c = 0; c < m->nc; c++) w[c] /= sum;
  double t[MAX_REPS];
  for (int i = 0; i < reps; i++) {
    parley__ctx ctx = {.engine = e, .model = m, .stage = st, .spec = &spec, .ns = m->ns,
                       .nk = m->nk, .nc = m->nc, .cube = m->cube, .w = w,
                       .no_diagnostics = !diagnostics};
    double t0 = now();
    if (st->fn.aggregation(&ctx, u) != PARLEY_OK) die(key, e);
    t[i] = now() - t0;
    parley__free(e, ctx.diagnostics);
  }
  free(w);
  parley__spec_clear(e, &spec);
  return summarise(key, t, reps);
}

static double time_run(parley_engine *e, parley_model *m, const char *agg, int reps,
                       const char *key) {
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[PARLEY_STAGE_AGGREGATION] = agg;
  o.stage[PARLEY_STAGE_RULE] = "laplace";
  o.threads = 1;
  double t[MAX_REPS];
  for (int i = 0; i < reps; i++) {
    parley_result *r = NULL;
    double t0 = now();
    if (parley_run(e, m, &o, &r) != PARLEY_OK) die("parley_run", e);
    t[i] = now() - t0;
    parley_result_free(r);
  }
  return summarise(key, t, reps);
}

int main(int argc, char **argv) {
  size_t ns = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 10000;
  size_t nc = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 10;
  int reps = argc > 3 ? atoi(argv[3]) : 3;
  uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 20240601;
  if (ns < 1 || nc < 1 || reps < 1 || reps > MAX_REPS) {
    fprintf(stderr, "usage: bench_electre [N [NC [REPS (1..%d) [SEED]]]]\n", MAX_REPS);
    return 2;
  }
  parley_engine *e;
  if (parley_engine_new(&e, NULL) != PARLEY_OK) die("parley_engine_new", NULL);
  parley_model *m = make_model(e, ns, nc, seed);
  printf("electre_ns=%zu\nelectre_nc=%zu\nelectre_reps=%d\n", ns, nc, reps);
  double *u = calloc(ns, sizeof *u);
  if (!u) die("out of memory", NULL);

  /* Pseudo-criteria on every criterion, in its units (values span 100). */
  size_t cap = 32 + nc * 48, len = 0;
  char *thr = malloc(cap);
  if (!thr) die("out of memory", NULL);
  len += (size_t)snprintf(thr + len, cap - len, "{");
  for (size_t c = 0; c < nc; c++)
    len += (size_t)snprintf(thr + len, cap - len, "%s\"c%zu\":{\"q\":2,\"p\":5,\"v\":40}",
                            c ? "," : "", c);
  snprintf(thr + len, cap - len, "}");

  fprintf(stderr, "bench_electre: %zu x %zu, %d repetitions each\n", ns, nc, reps);
  double t1 = time_stage(e, m, "electre1", NULL, true, reps, "electre1", u);
  double t3 = time_stage(e, m, "electre3", NULL, true, reps, "electre3", u);
  double t3t = time_stage(e, m, "electre3", thr, true, reps, "electre3_thr", u);
  double r1 = time_run(e, m, "electre1", reps, "run_electre1");
  double r3 = time_run(e, m, "electre3", reps, "run_electre3");
  double worst = fmax(fmax(t1, t3), fmax(t3t, fmax(r1, r3)));
  printf("electre_slowest=%.6f\n", worst);
  printf("electre_aim=%s\n", ns < 10000 ? "not judged (fewer than 10,000 strategies)"
                                        : worst < 10 ? "met (under 10 s)" : "NOT met");
  free(thr);
  free(u);
  parley_model_free(m);
  parley_engine_free(e);
  return 0;
}
