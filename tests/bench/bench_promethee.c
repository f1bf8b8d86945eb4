/*
 * bench_promethee.c — the speed of PROMETHEE's flows (core/promethee.c) on
 * the benchmark model (1,000,000 strategies x 10 criteria by default),
 * timed in one process beside a reference measured in the same run:
 *
 *   plain      one pass summing the outcome cube, the memory-bandwidth
 *              reference that bench_core uses too;
 *   usual, u-shape, v-shape, level, linear
 *              the promethee2 stage over the whole model, every criterion
 *              with that preference function (thresholds q = 1% and p = 5%
 *              of the criterion's range), called straight through the
 *              registry as the pipeline calls it;
 *   run        parley_run with promethee2 (usual): the stage plus the
 *              checks, the rule, the ranking;
 *   subset     the first SUBSET strategies (5,000): the pairwise reference
 *              (exact_pairwise = 1) against the sorted path with usual and
 *              linear functions, and gaussian (s = 1% of the range), whose
 *              sorted path still compares the pairs closer than 8.9 s;
 *              the largest difference between the two paths is printed.
 *
 * Each figure is the best and the median of REPS repetitions.  Results go
 * to stdout as "key=value" lines (run.sh appends them to results.txt) and a
 * table with each time as a ratio of the plain pass goes to REPORT.  It
 * reaches the stages through core/internal.h, as only a benchmark of the
 * library's internals may.
 *
 * usage: bench_promethee MODEL REPS REPORT
 */
#include "internal.h"
#include "methods.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_REPS 50
#define SUBSET 5000

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef struct timing {
  double best, median;
} timing;

static timing summarise(const char *key, const double *t, int n) {
  double s[MAX_REPS];
  memcpy(s, t, (size_t)n * sizeof *t);
  qsort(s, (size_t)n, sizeof *s, cmp_double);
  timing r = {s[0], n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2};
  printf("%s_best=%.9f\n%s_median=%.9f\n", key, r.best, key, r.median);
  fflush(stdout);
  return r;
}

static void die(const char *what, parley_engine *e) {
  fprintf(stderr, "bench_promethee: %s%s%s\n", what, e ? ": " : "",
          e ? parley_engine_errmsg(e) : "");
  exit(1);
}

static volatile double sink;

/* The plain pass of bench_core: four accumulators, bound by memory. */
static double plain_sum(const double *x, size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += x[i];
    s1 += x[i + 1];
    s2 += x[i + 2];
    s3 += x[i + 3];
  }
  for (; i < n; i++) s0 += x[i];
  return (s0 + s1) + (s2 + s3);
}

/* {"c1": {"type": TYPE, ...}, ...} with thresholds relative to each
 * criterion's range over cube[nc][n]. */
static char *functions(const parley_model *m, const double *cube, size_t n, const char *type) {
  size_t cap = 64 + m->nc * 160, len = 0;
  char *s = malloc(cap);
  if (!s) die("out of memory", NULL);
  len += (size_t)snprintf(s + len, cap - len, "{");
  for (size_t c = 0; c < m->nc; c++) {
    const double *x = cube + c * n;
    double lo = x[0], hi = x[0];
    for (size_t i = 1; i < n; i++) lo = x[i] < lo ? x[i] : lo, hi = x[i] > hi ? x[i] : hi;
    double r = hi > lo ? hi - lo : 1;
    len += (size_t)snprintf(s + len, cap - len, "%s\"%s\": {\"type\": \"%s\"", c ? ", " : "",
                            m->crit[c].id, type);
    if (!strcmp(type, "u-shape")) len += (size_t)snprintf(s + len, cap - len, ", \"q\": %.17g",
                                                          0.01 * r);
    if (!strcmp(type, "v-shape")) len += (size_t)snprintf(s + len, cap - len, ", \"p\": %.17g",
                                                          0.05 * r);
    if (!strcmp(type, "level") || !strcmp(type, "linear"))
      len += (size_t)snprintf(s + len, cap - len, ", \"q\": %.17g, \"p\": %.17g", 0.01 * r,
                              0.05 * r);
    if (!strcmp(type, "gaussian"))
      len += (size_t)snprintf(s + len, cap - len, ", \"s\": %.17g", 0.01 * r);
    len += (size_t)snprintf(s + len, cap - len, "}");
  }
  snprintf(s + len, cap - len, "}");
  return s;
}

/* A promethee2 context over cube[nc][ns] (one scenario) with the model's
 * weights scaled to sum 1. */
typedef struct bench {
  parley_engine *e;
  const parley_model *m;
  const parley__stage *st;
  parley__spec spec;
  parley__ctx ctx;
  double *w;
} bench;

static void bench_init(bench *b, parley_engine *e, const parley_model *m, const double *cube,
                       size_t ns, const char *type, int pairwise) {
  memset(b, 0, sizeof *b);
  b->e = e;
  b->m = m;
  b->st = parley__registry_find(e, PARLEY_STAGE_AGGREGATION, "promethee2");
  if (!b->st) die("no promethee2 stage", NULL);
  b->w = malloc(m->nc * sizeof *b->w);
  if (!b->w) die("out of memory", NULL);
  double sum = 0;
  for (size_t c = 0; c < m->nc; c++) sum += b->w[c] = m->crit[c].weight;
  for (size_t c = 0; c < m->nc; c++) b->w[c] /= sum;
  char *fn = functions(m, cube, ns, type);
  if (parley__spec_add(e, &b->spec, "functions", PARLEY__PJSON, 0, fn) != PARLEY_OK ||
      parley__spec_add(e, &b->spec, "exact_pairwise", PARLEY__PNUM, pairwise, NULL) != PARLEY_OK)
    die("spec", e);
  free(fn);
  b->ctx = (parley__ctx){.engine = e, .model = m, .stage = b->st, .spec = &b->spec, .ns = ns,
                         .nk = 1, .nc = m->nc, .cube = cube, .w = b->w};
}

static void bench_free(bench *b) {
  parley__spec_clear(b->e, &b->spec);
  free(b->w);
}

/* Times the stage REPS times into u[ns]. */
static timing time_stage(bench *b, const char *key, double *u, int reps) {
  double t[MAX_REPS];
  for (int i = 0; i < reps; i++) {
    double t0 = now();
    if (b->st->fn.aggregation(&b->ctx, u) != PARLEY_OK) die(key, b->e);
    t[i] = now() - t0;
  }
  return summarise(key, t, reps);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: bench_promethee MODEL REPS REPORT\n");
    return 2;
  }
  int reps = atoi(argv[2]);
  if (reps < 1 || reps > MAX_REPS) {
    fprintf(stderr, "bench_promethee: REPS must be in [1, %d]\n", MAX_REPS);
    return 2;
  }
  parley_engine *e;
  if (parley_engine_new(&e, NULL) != PARLEY_OK) die("parley_engine_new", NULL);
  parley_model *m = NULL;
  fprintf(stderr, "bench_promethee: loading %s\n", argv[1]);
  if (parley_model_load(e, &m, argv[1]) != PARLEY_OK) die(argv[1], e);
  if (parley_model_check(m) != PARLEY_OK) die("parley_model_check", e);
  size_t ns = m->ns, nc = m->nc, ncell = ns * m->nk * nc;
  if (m->nk != 1) die("the benchmark model has one scenario", NULL);
  printf("promethee_ns=%zu\npromethee_nc=%zu\n", ns, nc);

  double t[MAX_REPS];
  for (int i = 0; i < reps; i++) {
    double t0 = now();
    sink = plain_sum(m->cube, ncell);
    t[i] = now() - t0;
  }
  timing plain = summarise("promethee_plain", t, reps);

  double *u = calloc(ns, sizeof *u);
  if (!u) die("out of memory", NULL);
  static const char *const types[] = {"usual", "u-shape", "v-shape", "level", "linear"};
  timing tt[5];
  for (size_t i = 0; i < 5; i++) {
    fprintf(stderr, "bench_promethee: %s, %zu x %zu (%d times)\n", types[i], ns, nc, reps);
    bench b;
    bench_init(&b, e, m, m->cube, ns, types[i], 0);
    char key[64];
    snprintf(key, sizeof key, "promethee_%s", types[i]);
    tt[i] = time_stage(&b, key, u, reps);
    bench_free(&b);
  }

  /* The whole run, as an embedding program calls it. */
  fprintf(stderr, "bench_promethee: parley_run with promethee2\n");
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[PARLEY_STAGE_AGGREGATION] = "promethee2";
  o.stage[PARLEY_STAGE_RULE] = "laplace";
  o.threads = 1;
  for (int i = 0; i < reps; i++) {
    parley_result *r = NULL;
    double t0 = now();
    if (parley_run(e, m, &o, &r) != PARLEY_OK) die("parley_run", e);
    t[i] = now() - t0;
    parley_result_free(r);
  }
  timing run = summarise("promethee_run", t, reps);

  /* The first SUBSET strategies: the pairwise reference beside the sorted
   * path, and gaussian. */
  size_t nsub = ns < SUBSET ? ns : SUBSET;
  double *sub = malloc(nc * nsub * sizeof *sub), *ur = malloc(nsub * sizeof *ur);
  if (!sub || !ur) die("out of memory", NULL);
  for (size_t c = 0; c < nc; c++) memcpy(sub + c * nsub, m->cube + c * ns, nsub * sizeof *sub);
  printf("promethee_subset=%zu\n", nsub);
  static const char *const subtypes[] = {"usual", "linear", "gaussian"};
  timing ts[3][2];
  double maxdiff = 0;
  for (size_t i = 0; i < 3; i++) {
    fprintf(stderr, "bench_promethee: %s on %zu strategies, sorted and pairwise\n", subtypes[i],
            nsub);
    for (int pairwise = 0; pairwise < 2; pairwise++) {
      bench b;
      bench_init(&b, e, m, sub, nsub, subtypes[i], pairwise);
      char key[64];
      snprintf(key, sizeof key, "promethee_subset_%s_%s", subtypes[i],
               pairwise ? "pairwise" : "sorted");
      ts[i][pairwise] = time_stage(&b, key, pairwise ? ur : u, pairwise ? 1 : reps);
      bench_free(&b);
    }
    for (size_t s = 0; s < nsub; s++) maxdiff = fmax(maxdiff, fabs(u[s] - ur[s]));
  }
  printf("promethee_subset_max_diff=%.3g\n", maxdiff);

  FILE *f = fopen(argv[3], "w");
  if (!f) die(argv[3], NULL);
  fprintf(f, "PROMETHEE II net flows: %zu strategies x %zu criteria, one scenario\n", ns, nc);
  fprintf(f, "times in milliseconds, best and median of %d; ratio = best / best of the plain "
             "pass\n\n", reps);
  fprintf(f, "  %-46s %9s %9s %9s\n", "", "best", "median", "ratio");
  fprintf(f, "  %-46s %9.2f %9.2f %9s\n", "plain pass summing the cube", 1e3 * plain.best,
          1e3 * plain.median, "1.00");
  for (size_t i = 0; i < 5; i++) {
    char label[64];
    snprintf(label, sizeof label, "promethee2 stage, %s", types[i]);
    fprintf(f, "  %-46s %9.2f %9.2f %9.1f\n", label, 1e3 * tt[i].best, 1e3 * tt[i].median,
            tt[i].best / plain.best);
  }
  fprintf(f, "  %-46s %9.2f %9.2f %9.1f\n", "parley_run, promethee2 (usual), laplace",
          1e3 * run.best, 1e3 * run.median, run.best / plain.best);
  fprintf(f, "\nfirst %zu strategies: sorted path against every pair (pairwise run once)\n",
          nsub);
  for (size_t i = 0; i < 3; i++)
    fprintf(f, "  %-10s sorted %9.2f ms   pairwise %9.2f ms   pairwise / sorted %8.1f\n",
            subtypes[i], 1e3 * ts[i][0].best, 1e3 * ts[i][1].best, ts[i][1].best / ts[i][0].best);
  fprintf(f, "  largest |sorted - pairwise| net flow: %.3g\n", maxdiff);
  double slowest = 0;
  for (size_t i = 0; i < 5; i++) slowest = fmax(slowest, tt[i].best);
  fprintf(f, "\naim: net flows of 10^6 x 10 in under 1 s on one core, every piecewise-linear "
             "function: slowest %.2f s, %s\n", slowest,
          ns * nc < 10000000 ? "(a smaller model: not judged)" : slowest < 1 ? "met" : "NOT met");
  fclose(f);

  free(sub);
  free(ur);
  free(u);
  parley_model_free(m);
  parley_engine_free(e);
  return 0;
}
