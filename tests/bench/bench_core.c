/*
 * bench_core.c — the performance baseline of the library, timed in one
 * process so that every figure can be read against references measured in
 * the same run on the same (possibly shared, possibly noisy) machine:
 *
 *   read      the CSV file read through a 128 KiB buffer, as cat does, and
 *   memcpy    a copy of its bytes in memory: the references for loading;
 *   load      parley_model_load of the model that points at the CSV;
 *   plain     one pass summing the model's outcome cube in memory: the
 *             memory-bandwidth reference for the in-memory stages;
 *   run       parley_run of TOPSIS (given weights, vector normalization,
 *             expected rule over the one implicit scenario), of WSM
 *             (minmax), and of every other aggregation that makes a fixed
 *             number of passes over the cube (WSM also with the vector, sum
 *             and max normalizations; CODAS and MULTIMOORA, which sort, for
 *             comparison), as an embedding program would call it;
 *   stages    the same stages called straight through the registry, without
 *             the completeness check, the finiteness checks and the ranking,
 *             with each stage timed on its own;
 *   rank      the ranking of the run's scores (parley__rank) on its own;
 *   weighting each weighting that reads the cube, called on its own.
 *
 * The data have a few cells equal to 0 (values are drawn from [0, span)
 * with four decimals); the methods that read a cost criterion as 1/x, or
 * take logarithms, refuse them.  So after TOPSIS and WSM (whose closeness
 * is checked against numpy's on the data as written) those cells are
 * raised to 0.0001, the smallest value the table can hold, and every other
 * method runs on that cube.  The count is printed as zero_cells_raised.
 *
 * It reaches the cube and the stages through core/internal.h, as only a
 * benchmark of the library's own internals may.  Each figure is the best and
 * the median of REPS repetitions, timed with CLOCK_MONOTONIC.  Results go to
 * stdout as "key=value" lines for run.sh to tabulate; the closeness of a
 * handful of strategies goes to CHECKFILE for the comparison with numpy.
 *
 * usage: bench_core MODEL CSV REPS CHECKFILE
 * environment: BENCH_METHODS, a list of the methods and weightings to time
 * beside TOPSIS and WSM (keys as printed in "methods=" and "weightings=";
 * unset: every one).
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS 50

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Prints KEY_best and KEY_median of t[n] (seconds). */
static void report(const char *key, const double *t, size_t n) {
  double s[MAX_REPS];
  memcpy(s, t, n * sizeof *t);
  qsort(s, n, sizeof *s, cmp_double);
  double median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  printf("%s_best=%.9f\n%s_median=%.9f\n", key, s[0], key, median);
  fflush(stdout);
}

static void die(const char *what, parley_engine *e) {
  fprintf(stderr, "bench_core: %s: %s\n", what, e ? parley_engine_errmsg(e) : strerror(errno));
  exit(1);
}

/* Keeps a computed value alive so that the compiler cannot drop the work. */
static volatile double sink;

/* ---- references ------------------------------------------------------------- */
/* The file through a small buffer, as cat does: what reading costs before
 * any parsing. */
static double time_read(const char *path, char *chunk, size_t chunk_len) {
  double t0 = now();
  int fd = open(path, O_RDONLY);
  if (fd < 0) die(path, NULL);
  ssize_t got;
  unsigned long acc = 0;
  while ((got = read(fd, chunk, chunk_len)) > 0) acc += (unsigned char)chunk[0];
  if (got < 0) die(path, NULL);
  close(fd);
  double t = now() - t0;
  sink = (double)acc;
  return t;
}

static char *slurp(const char *path, size_t *len) {
  struct stat st;
  if (stat(path, &st) != 0) die(path, NULL);
  char *buf = malloc((size_t)st.st_size + 1);
  FILE *f = fopen(path, "rb");
  if (!buf || !f) die(path, NULL);
  *len = fread(buf, 1, (size_t)st.st_size, f);
  fclose(f);
  return buf;
}

/* The plain pass: every double of the cube added once.  Four accumulators,
 * so that the pass is bound by memory rather than by the latency of one
 * chain of additions: the reference is the fastest honest pass, not a slow
 * one that flatters the stages measured against it. */
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

/* The same with one accumulator, the loop anyone would write first. */
static double plain_sum1(const double *x, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += x[i];
  return s;
}

/* ---- the stages straight through the registry ----------------------------- */
typedef struct direct {
  parley_engine *e;
  parley_model *m;
  parley__spec spec[4];
  const parley__stage *st[4]; /* weighting, normalization, aggregation, rule */
  double *w, *na, *nb, *range, *u, *score, *p;
  double t[4]; /* seconds spent in each stage by the last call */
} direct;

static void direct_init(direct *d, parley_engine *e, parley_model *m, const char *const spec[4]) {
  memset(d, 0, sizeof *d);
  d->e = e;
  d->m = m;
  for (int i = 0; i < 4; i++) {
    if (parley__spec_parse(e, &d->spec[i], spec[i], "bench") != PARLEY_OK ||
        parley__registry_resolve(e, (parley_stage_kind)i, &d->spec[i], "bench", &d->st[i]) !=
            PARLEY_OK)
      die(spec[i], e);
  }
  size_t nu = m->nk * m->ns;
  d->w = malloc(m->nc * sizeof *d->w);
  d->na = malloc(m->nc * sizeof *d->na);
  d->nb = malloc(m->nc * sizeof *d->nb);
  d->range = malloc(2 * m->nc * sizeof *d->range);
  d->p = malloc(m->nk * sizeof *d->p);
  d->u = calloc(nu, sizeof *d->u);       /* calloc'd and written below: */
  d->score = calloc(m->ns, sizeof *d->score); /* the pages are in before timing */
  if (!d->w || !d->na || !d->nb || !d->range || !d->p || !d->u || !d->score)
    die("out of memory", NULL);
  memset(d->u, 0, nu * sizeof *d->u);
  memset(d->score, 0, m->ns * sizeof *d->score);
  for (size_t k = 0; k < m->nk; k++) d->p[k] = m->scen[k].probability;
}

static void direct_free(direct *d) {
  for (int i = 0; i < 4; i++) parley__spec_clear(d->e, &d->spec[i]);
  free(d->w), free(d->na), free(d->nb), free(d->range), free(d->u), free(d->score), free(d->p);
}

/* What parley_run does between choosing its stages and ranking, minus the
 * checks: weights (rescaled to sum 1), one normalization map per criterion
 * slab (leaving each slab's range for the aggregation, as the pipeline's
 * evaluation does), aggregation, rule. */
static void direct_run(direct *d) {
  const parley_model *m = d->m;
  size_t slab = m->nk * m->ns;
  /* Diagnostics are built, as in the run's main evaluation. */
  parley__ctx ctx = {.engine = d->e, .model = m, .ns = m->ns, .nk = m->nk, .nc = m->nc,
                     .cube = m->cube, .na = d->na, .nb = d->nb, .slab_lo = d->range,
                     .slab_hi = d->range + m->nc, .p = d->p};
  for (size_t c = 0; c < 2 * m->nc; c++) d->range[c] = NAN;
  double t0 = now();
  ctx.stage = d->st[0], ctx.spec = &d->spec[0];
  if (d->st[0]->fn.weighting(&ctx, d->w) != PARLEY_OK) die("weighting", d->e);
  double sum = 0;
  for (size_t c = 0; c < m->nc; c++) sum += d->w[c];
  for (size_t c = 0; c < m->nc; c++) d->w[c] /= sum;
  ctx.w = d->w;
  double t1 = now();
  ctx.stage = d->st[1], ctx.spec = &d->spec[1];
  if (d->st[2]->flags & PARLEY__RAW_VALUES) {
    for (size_t c = 0; c < m->nc; c++) d->na[c] = 1, d->nb[c] = 0;
  } else {
    for (size_t c = 0; c < m->nc; c++) {
      const parley__criterion *cr = &m->crit[c];
      if (d->st[1]->fn.normalization(&ctx, c, m->cube + c * slab, slab, cr->dir, cr->lo, cr->hi,
                                     &d->na[c], &d->nb[c]) != PARLEY_OK)
        die("normalization", d->e);
    }
  }
  double t2 = now();
  ctx.stage = d->st[2], ctx.spec = &d->spec[2];
  if (d->st[2]->fn.aggregation(&ctx, d->u) != PARLEY_OK) die("aggregation", d->e);
  parley__free(d->e, ctx.diagnostics);
  ctx.diagnostics = NULL;
  double t3 = now();
  /* An aggregation that scores lower-is-better hands the rule its
   * utilities negated, and the score is turned back (parley__eval_score). */
  bool flip = d->st[2]->flags & PARLEY__LOWER_IS_BETTER;
  size_t nu = m->nk * m->ns;
  for (size_t i = 0; flip && i < nu; i++) d->u[i] = -d->u[i];
  ctx.stage = d->st[3], ctx.spec = &d->spec[3];
  if (d->st[3]->fn.rule(&ctx, d->u, d->p, d->score) != PARLEY_OK) die("rule", d->e);
  for (size_t i = 0; flip && i < nu; i++) d->u[i] = -d->u[i];
  if (flip && !(d->st[3]->flags & PARLEY__LOWER_IS_BETTER))
    for (size_t s = 0; s < m->ns; s++) d->score[s] = 0.0 - d->score[s];
  double t4 = now();
  parley__free(d->e, ctx.diagnostics);
  d->t[0] = t1 - t0, d->t[1] = t2 - t1, d->t[2] = t3 - t2, d->t[3] = t4 - t3;
}

/* ---- one pipeline, timed both ways ------------------------------------------ */
static parley_result *bench_pipeline(parley_engine *e, parley_model *m, const char *name,
                                     const char *const spec[4], int reps) {
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  for (int i = 0; i < 4; i++) o.stage[i] = spec[i];
  o.threads = 1;
  double t[MAX_REPS];
  char key[64];
  parley_result *r = NULL;
  for (int i = 0; i < reps; i++) {
    parley_result_free(r);
    r = NULL;
    double t0 = now();
    if (parley_run(e, m, &o, &r) != PARLEY_OK) die(name, e);
    t[i] = now() - t0;
  }
  snprintf(key, sizeof key, "run_%s", name);
  report(key, t, (size_t)reps);

  direct d;
  direct_init(&d, e, m, spec);
  double ts[4][MAX_REPS];
  for (int i = 0; i < reps; i++) {
    double t0 = now();
    direct_run(&d);
    t[i] = now() - t0;
    for (int k = 0; k < 4; k++) ts[k][i] = d.t[k];
  }
  snprintf(key, sizeof key, "stages_%s", name);
  report(key, t, (size_t)reps);
  static const char *const part[4] = {"weighting", "normalization", "aggregation", "rule"};
  for (int k = 0; k < 4; k++) {
    snprintf(key, sizeof key, "stage_%s_%s", name, part[k]);
    report(key, ts[k], (size_t)reps);
  }
  /* The direct path must compute what parley_run computed, bit for bit:
   * otherwise its timing would be of something else. */
  size_t same = 0;
  for (size_t s = 0; s < m->ns; s++) same += d.score[s] == parley_result_score(r, s);
  printf("stages_%s_match_run=%d\n", name, same == m->ns);

  /* The ranking alone, on the run's scores. */
  size_t *order = malloc(m->ns * sizeof *order);
  int *rank = malloc(m->ns * sizeof *rank);
  if (!order || !rank) die("out of memory", NULL);
  memset(order, 0, m->ns * sizeof *order);
  memset(rank, 0, m->ns * sizeof *rank);
  for (int i = 0; i < reps; i++) {
    double t0 = now();
    parley__rank(d.score, m->ns, parley_result_higher_is_better(r), order, rank);
    t[i] = now() - t0;
  }
  snprintf(key, sizeof key, "rank_%s", name);
  report(key, t, (size_t)reps);
  free(order);
  free(rank);
  direct_free(&d);
  return r;
}

/* ---- every other method ------------------------------------------------------ */
typedef struct method {
  const char *key;        /* the figures' key */
  const char *spec[4];    /* weighting, normalization, aggregation, rule */
  int single;             /* 1: a fixed number of passes over the cube; 0: it sorts */
} method;

static const method others[] = {
  {"wsm_vector", {"given", "vector", "wsm", "expected"}, 1},
  {"wsm_sum", {"given", "sum", "wsm", "expected"}, 1},
  {"wsm_max", {"given", "max", "wsm", "expected"}, 1},
  {"wpm", {"given", "none", "wpm", "expected"}, 1},
  {"vikor", {"given", "none", "vikor", "expected"}, 1},
  {"mabac", {"given", "none", "mabac", "expected"}, 1},
  {"spotis", {"given", "none", "spotis", "expected"}, 1},
  {"cocoso", {"given", "none", "cocoso", "expected"}, 1},
  {"marcos", {"given", "none", "marcos", "expected"}, 1},
  {"copras", {"given", "none", "copras", "expected"}, 1},
  {"moora", {"given", "none", "moora", "expected"}, 1},
  {"aras", {"given", "none", "aras", "expected"}, 1},
  {"waspas", {"given", "none", "waspas", "expected"}, 1},
  {"edas", {"given", "none", "edas", "expected"}, 1},
  {"codas", {"given", "none", "codas", "expected"}, 0},
  {"multimoora", {"given", "none", "multimoora", "expected"}, 0},
};

/* Whether BENCH_METHODS (a list of keys and weighting names separated by
 * spaces; unset: all of them) asks for key.  TOPSIS and WSM always run:
 * the check against numpy needs them. */
static bool wanted(const char *key) {
  const char *list = getenv("BENCH_METHODS");
  if (!list || !*list) return true;
  size_t len = strlen(key);
  for (const char *p = list; (p = strstr(p, key)) != NULL; p += len)
    if ((p == list || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' ')) return true;
  return false;
}

/* The weightings that read the cube (given and equal do not). */
static const char *const weightings[] = {"entropy", "std", "critic", "merec", "cilos",
                                         "idocriw", "gini", "variance"};

static void bench_weighting(parley_engine *e, parley_model *m, const char *name, int reps) {
  parley__spec spec;
  const parley__stage *st;
  if (parley__spec_parse(e, &spec, name, "bench") != PARLEY_OK ||
      parley__registry_resolve(e, PARLEY_STAGE_WEIGHTING, &spec, "bench", &st) != PARLEY_OK)
    die(name, e);
  double *w = malloc(m->nc * sizeof *w), t[MAX_REPS];
  if (!w) die("out of memory", NULL);
  parley__ctx ctx = {.engine = e, .model = m, .stage = st, .spec = &spec, .ns = m->ns,
                     .nk = m->nk, .nc = m->nc, .cube = m->cube};
  for (int i = 0; i < reps; i++) {
    double t0 = now();
    if (st->fn.weighting(&ctx, w) != PARLEY_OK) die(name, e);
    t[i] = now() - t0;
    parley__free(e, ctx.diagnostics);
    ctx.diagnostics = NULL;
  }
  char key[64];
  snprintf(key, sizeof key, "weight_%s", name);
  report(key, t, (size_t)reps);
  sink = w[0];
  free(w);
  parley__spec_clear(e, &spec);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: bench_core MODEL CSV REPS CHECKFILE\n");
    return 2;
  }
  const char *model_path = argv[1], *csv_path = argv[2], *check_path = argv[4];
  int reps = atoi(argv[3]);
  if (reps < 1 || reps > MAX_REPS) {
    fprintf(stderr, "bench_core: REPS must be in [1, %d]\n", MAX_REPS);
    return 2;
  }
  double t[MAX_REPS];

  /* References for loading: reading and copying the CSV's bytes. */
  size_t csv_len;
  char *csv = slurp(csv_path, &csv_len);
  printf("csv_bytes=%zu\n", csv_len);
  static char chunk[128 * 1024];
  for (int i = 0; i < reps; i++) t[i] = time_read(csv_path, chunk, sizeof chunk);
  report("read", t, (size_t)reps);
  char *copy = malloc(csv_len + 1);
  if (!copy) die("out of memory", NULL);
  memset(copy, 1, csv_len + 1);
  for (int i = 0; i < reps; i++) {
    double t0 = now();
    memcpy(copy, csv, csv_len);
    t[i] = now() - t0;
    sink = copy[csv_len / 2];
  }
  report("memcpy", t, (size_t)reps);
  free(copy);
  free(csv);

  parley_engine *e;
  if (parley_engine_new(&e, NULL) != PARLEY_OK) die("parley_engine_new", NULL);

  /* Loading.  Each repetition frees the previous model first, so that one
   * model at a time is in memory, as in use. */
  parley_model *m = NULL;
  fprintf(stderr, "bench_core: loading %s (%d times)\n", model_path, reps);
  for (int i = 0; i < reps; i++) {
    parley_model_free(m);
    m = NULL;
    double t0 = now();
    if (parley_model_load(e, &m, model_path) != PARLEY_OK) die(model_path, e);
    t[i] = now() - t0;
  }
  report("load", t, (size_t)reps);
  printf("ns=%zu\nnk=%zu\nnc=%zu\n", parley_model_count(m, PARLEY_STRATEGIES),
         parley_model_count(m, PARLEY_SCENARIOS), parley_model_count(m, PARLEY_CRITERIA));

  /* The completeness check parley_run starts with (a scan of the cube). */
  for (int i = 0; i < reps; i++) {
    double t0 = now();
    if (parley_model_check(m) != PARLEY_OK) die("parley_model_check", e);
    t[i] = now() - t0;
  }
  report("check", t, (size_t)reps);

  /* The memory-bandwidth reference. */
  size_t ncell = m->nc * m->nk * m->ns;
  printf("cube_bytes=%zu\n", ncell * sizeof *m->cube);
  for (int i = 0; i < reps; i++) {
    double t0 = now();
    sink = plain_sum(m->cube, ncell);
    t[i] = now() - t0;
  }
  report("plain", t, (size_t)reps);
  for (int i = 0; i < reps; i++) {
    double t0 = now();
    sink = plain_sum1(m->cube, ncell);
    t[i] = now() - t0;
  }
  report("plain1", t, (size_t)reps);

  fprintf(stderr, "bench_core: TOPSIS and WSM (%d times each)\n", reps);
  static const char *const topsis[4] = {"given", "vector", "topsis", "expected"};
  static const char *const wsm[4] = {"given", "minmax", "wsm", "expected"};
  parley_result *rt = bench_pipeline(e, m, "topsis", topsis, reps);
  parley_result *rw = bench_pipeline(e, m, "wsm", wsm, reps);

  /* The closeness of a handful of strategies, and the best one, for the
   * comparison with numpy (row i of the CSV is strategy i). */
  FILE *f = fopen(check_path, "w");
  if (!f) die(check_path, NULL);
  size_t ns = m->ns, pick[8] = {0, 1, 2, 3, ns / 3, ns / 2, ns - 2, ns - 1};
  for (size_t i = 0; i < sizeof pick / sizeof *pick; i++)
    if (pick[i] < ns)
      fprintf(f, "%zu %s %.17g\n", pick[i], parley_model_id(m, PARLEY_STRATEGIES, pick[i]),
              parley_result_utility(rt, pick[i], 0));
  size_t best, worst;
  double score;
  int rank;
  parley_result_ranking(rt, 0, &best, &score, &rank);
  parley_result_ranking(rt, ns - 1, &worst, &score, &rank);
  fprintf(f, "best %zu\nworst %zu\n", best, worst);
  fclose(f);
  parley_result_free(rt);
  parley_result_free(rw);

  /* The other methods, on the cube with its zeros raised (see the top). */
  size_t raised = 0;
  for (size_t i = 0; i < ncell; i++)
    if (m->cube[i] == 0) m->cube[i] = 0.0001, raised++;
  printf("zero_cells_raised=%zu\n", raised);
  fprintf(stderr, "bench_core: every other method (%d times each)\n", reps);
  printf("methods=topsis wsm");
  for (size_t i = 0; i < sizeof others / sizeof *others; i++)
    if (wanted(others[i].key)) printf(" %s", others[i].key);
  printf("\n");
  for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
    if (!wanted(others[i].key)) continue;
    printf("method_%s_passes=%d\n", others[i].key, others[i].single);
    parley_result_free(bench_pipeline(e, m, others[i].key, others[i].spec, reps));
  }
  printf("method_topsis_passes=1\nmethod_wsm_passes=1\n");

  /* The weightings that read the cube, each on its own. */
  fprintf(stderr, "bench_core: weightings (%d times each)\n", reps);
  printf("weightings=");
  for (size_t i = 0, n = 0; i < sizeof weightings / sizeof *weightings; i++)
    if (wanted(weightings[i])) printf("%s%s", n++ ? " " : "", weightings[i]);
  printf("\n");
  for (size_t i = 0; i < sizeof weightings / sizeof *weightings; i++)
    if (wanted(weightings[i])) bench_weighting(e, m, weightings[i], reps);
  parley_model_free(m);
  parley_engine_free(e);
  return 0;
}
