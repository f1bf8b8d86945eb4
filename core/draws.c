/*
 * draws.c — the analyses that run the model again and again on random
 * draws: Monte Carlo ("montecarlo") and SMAA-2 ("smaa").  Formulas, sources
 * and the statistics' methods: docs/methods.md, "Analyses".
 *
 * Iteration i of an analysis draws its numbers from the counter-based
 * generator of random.c at (seed, stream, i), so it depends on nothing but
 * the seed and i.  Iterations go in blocks of BLOCK; worker threads take
 * blocks in increasing order from a shared counter.  Whatever a block adds
 * up in floating point (means and second moments, SMAA's central weights)
 * is kept per block and merged strictly in block order, so the sums are
 * done in the same order whatever the number of threads: the result is
 * the same to the bit at --threads 1, 2 or 8.  Counts (rank frequencies,
 * the quantile sketches' buckets) are integers and are merged in any
 * order.  A worker may run at most WINDOW blocks ahead of the merge, which
 * bounds the memory held for blocks waiting their turn.
 *
 * Each worker has its own copy of the cube (only the uncertain cells
 * change), its own scratch and a shadow of the engine for its messages,
 * whose allocator takes a lock around the engine's (an embedder's
 * allocator is promised one thread at a time); the stages are the run's.
 * A weighting plugin (Lua) does not run in a worker: its weights from the
 * deterministic run are kept.  The thread that called parley_run reports
 * progress and can stop the analysis; the blocks already taken are
 * finished, so the iterations done are always a prefix 0 .. done - 1, and
 * the result says "partial".  Block 0 is always run, so a partial result
 * has at least one draw behind every number.
 */
#include "internal.h"
#include "methods.h"
#include "random.h"

#include <cjson/cJSON.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define BLOCK 256u
#define WINDOW_PER_THREAD 4u
#define MAX_RANK_MATRIX 4096u   /* rank probabilities for at most this many strategies */
#define MAX_WINNING 1024u       /* pairwise winning indices up to this many strategies */
#define MAX_REJECTIONS 100000u  /* SMAA weight draws tried per iteration under constraints */
#define MAX_THREADS 256         /* as many as the engine's default ever asks for */

/* Streams of one iteration: probabilities, weights, then one per uncertain
 * cell. */
enum { STREAM_PROB = 0, STREAM_WEIGHTS = 1, STREAM_CELLS = 2 };

/* ---- the quantile sketch -------------------------------------------------------
 * DDSketch (Masson, Rim & Lee 2019): bucket i holds the values x with
 * gamma^(i-1) < |x| <= gamma^i, gamma = (1 + a) / (1 - a), so a quantile read
 * from its bucket is within relative accuracy a of the true one.  Buckets
 * are integer counts: sketches merge exactly, in any order.  |x| below
 * SK_MIN counts as zero; above SK_MAX as SK_MAX. */
#define SK_ALPHA 0.005
#define SK_MIN 1e-9
#define SK_MAX 1e12

typedef struct sk_side {
  uint64_t *c;
  int lo, n; /* buckets lo .. lo + n - 1 */
} sk_side;

typedef struct sketch {
  sk_side pos, neg;
  uint64_t zero, count;
  double min, max; /* exact: a quantile is clamped to them */
} sketch;

static double sk_lngamma(void) { return log((1 + SK_ALPHA) / (1 - SK_ALPHA)); }

static int sk_index(double ax, double lng) {
  if (ax > SK_MAX) ax = SK_MAX;
  return (int)ceil(log(ax) / lng);
}

static bool sk_add_side(parley_engine *e, sk_side *sd, int i, uint64_t k) {
  if (sd->n == 0) {
    if (!(sd->c = parley__calloc(e, 64, sizeof *sd->c))) return false;
    sd->lo = i - 32;
    sd->n = 64;
  }
  if (i < sd->lo || i >= sd->lo + sd->n) {
    int lo = i < sd->lo ? i - 16 : sd->lo;
    int hi = i >= sd->lo + sd->n ? i + 17 : sd->lo + sd->n;
    uint64_t *c = parley__calloc(e, (size_t)(hi - lo), sizeof *c);
    if (!c) return false;
    memcpy(c + (sd->lo - lo), sd->c, (size_t)sd->n * sizeof *c);
    parley__free(e, sd->c);
    sd->c = c;
    sd->lo = lo;
    sd->n = hi - lo;
  }
  sd->c[i - sd->lo] += k;
  return true;
}

static bool sk_add(parley_engine *e, sketch *s, double x, double lng) {
  if (s->count == 0 || x < s->min) s->min = x;
  if (s->count == 0 || x > s->max) s->max = x;
  s->count++;
  double ax = fabs(x);
  if (ax < SK_MIN) {
    s->zero++;
    return true;
  }
  return sk_add_side(e, x > 0 ? &s->pos : &s->neg, sk_index(ax, lng), 1);
}

static bool sk_merge(parley_engine *e, sketch *into, const sketch *from) {
  if (from->count == 0) return true;
  if (into->count == 0 || from->min < into->min) into->min = from->min;
  if (into->count == 0 || from->max > into->max) into->max = from->max;
  into->count += from->count;
  into->zero += from->zero;
  const sk_side *src[2] = {&from->pos, &from->neg};
  sk_side *dst[2] = {&into->pos, &into->neg};
  for (int t = 0; t < 2; t++)
    for (int i = 0; i < src[t]->n; i++)
      if (src[t]->c[i] && !sk_add_side(e, dst[t], src[t]->lo + i, src[t]->c[i])) return false;
  return true;
}

static void sk_free(parley_engine *e, sketch *s) {
  parley__free(e, s->pos.c);
  parley__free(e, s->neg.c);
  memset(s, 0, sizeof *s);
}

/* The q-quantile: the value of the bucket holding the element of rank
 * floor(q (count - 1)) (0-based) in sorted order, within [min, max]. */
static double sk_bucket_quantile(const sketch *s, double q, double lng);
static double sk_quantile(const sketch *s, double q, double lng) {
  double v = sk_bucket_quantile(s, q, lng);
  return v < s->min ? s->min : v > s->max ? s->max : v;
}

static double sk_bucket_quantile(const sketch *s, double q, double lng) {
  if (s->count == 0) return NAN;
  uint64_t want = (uint64_t)floor(q * (double)(s->count - 1)), seen = 0;
  double gamma = exp(lng);
  for (int i = s->neg.n - 1; i >= 0; i--) {
    seen += s->neg.c[i];
    if (seen > want) return -2 * pow(gamma, s->neg.lo + i) / (gamma + 1);
  }
  seen += s->zero;
  if (seen > want) return 0;
  for (int i = 0; i < s->pos.n; i++) {
    seen += s->pos.c[i];
    if (seen > want) return 2 * pow(gamma, s->pos.lo + i) / (gamma + 1);
  }
  return s->pos.n ? 2 * pow(gamma, s->pos.lo + s->pos.n - 1) / (gamma + 1) : 0;
}

/* ---- the job and its workers ---------------------------------------------------- */
typedef struct job job;

typedef struct worker {
  job *J;
  parley_engine shadow;
  parley__eval ev;
  double *cube;      /* [nc * nk * ns] own copy, or the model's when nothing is drawn */
  double *p;         /* [nk] or NULL */
  double *w;         /* [nc] */
  double *u;         /* [nk * ns] */
  double *score;     /* [ns] */
  size_t *order;     /* [ns] */
  int *rank;         /* [ns] rank of the strategy at place i */
  int *rank_of;      /* [ns] rank of strategy s */
  double *tmp;       /* [nc] */
  /* Integer accumulators, summed over the workers at the end. */
  uint64_t *counts;  /* analysis-specific */
  sketch *sk;        /* [ns] Monte Carlo's score sketches */
  double *partial;   /* [nfloat + 1] the block being run */
  pthread_t thread;
} worker;

struct job {
  parley__actx *a;
  const parley_model *m;
  size_t ns, nk, nc;
  uint64_t n;           /* iterations asked for */
  uint64_t nblocks;
  bool draw_cells;      /* the model has uncertain cells */
  double prob_conc;     /* > 0: probabilities drawn from a Dirichlet */
  double weight_conc;   /* > 0: weights drawn from a Dirichlet around the run's */
  bool smaa;            /* weights uniform on the simplex */
  size_t *order_crit;   /* SMAA ordinal constraint: criteria, most important first, or NULL */
  size_t norder;
  double *wlo, *whi;    /* SMAA weight intervals [nc], or NULL */
  bool fixed_weights;   /* the weighting is a plugin: keep the run's weights */
  const double *central;/* confidence pass: central weights [ns * nc] */
  size_t nfloat;        /* doubles per block partial */
  size_t ncounts;       /* integer counts per worker */
  /* The analysis' hooks. */
  /* One iteration: its draws, evaluations and what it adds to the block's
   * partial and the worker's counts. */
  int (*step)(job *J, worker *W, uint64_t i, double *partial);
  void (*merge)(job *J, const double *partial, uint64_t iterations);
  void *state;
  /* The engine's allocator, called by one worker at a time (alloc_lock):
   * the embedder's allocator is promised one thread at a time. */
  parley_alloc_fn alloc;
  void *alloc_ud;
  pthread_mutex_t alloc_lock;
  /* Scheduling. */
  pthread_mutex_t lock;
  pthread_cond_t cond;
  uint64_t next;        /* next block to take */
  uint64_t merged;      /* blocks merged */
  uint64_t done_iters;  /* iterations in merged blocks */
  bool stop;
  size_t window;
  double *slots;        /* [window * (nfloat + 1)]: a block's partial; last: its iterations */
  bool *ready;          /* [window] */
  int rc;               /* the first failure: ends the job at once */
  uint64_t failed_at;   /* its iteration */
  int running;          /* workers still working */
  char msg[PARLEY__ERRMAX];
};

static void *locked_alloc(void *ud, void *ptr, size_t size) {
  job *J = ud;
  pthread_mutex_lock(&J->alloc_lock);
  void *p = J->alloc(J->alloc_ud, ptr, size);
  pthread_mutex_unlock(&J->alloc_lock);
  return p;
}

static double *slot(job *J, uint64_t b) { return J->slots + (b % J->window) * (J->nfloat + 1); }

/* Draws iteration i's inputs into the worker: the uncertain cells, the
 * probabilities, and the weights (into W->w). */
static int draw(job *J, worker *W, uint64_t i) {
  const parley_model *m = J->m;
  uint64_t seed = J->a->seed;
  if (J->draw_cells) {
    for (size_t j = 0; j < m->nunc; j++) {
      parley__rng r;
      parley__rng_init_stream(&r, seed, (uint32_t)(STREAM_CELLS + j), i);
      W->cube[m->unc[j].cell] = parley__dist_sample(&m->unc[j].dist, &r);
    }
  }
  if (J->prob_conc > 0) {
    parley__rng r;
    parley__rng_init_stream(&r, seed, STREAM_PROB, i);
    parley__sample_dirichlet(&r, J->a->r->p, J->prob_conc, m->nk, W->p);
  }
  if (J->smaa) {
    parley__rng r;
    parley__rng_init_stream(&r, seed, STREAM_WEIGHTS, i);
    for (unsigned t = 0; t < MAX_REJECTIONS; t++) {
      parley__sample_simplex(&r, m->nc, W->w);
      if (J->order_crit) {
        /* Uniform on {w_o1 >= w_o2 >= ...}: the ordered criteria's values
         * sorted among themselves (a measure-preserving fold of the
         * simplex onto that region), the others left as drawn. */
        for (size_t x = 0; x < J->norder; x++) W->tmp[x] = W->w[J->order_crit[x]];
        for (size_t x = 1; x < J->norder; x++) {
          double v = W->tmp[x];
          size_t y = x;
          for (; y > 0 && W->tmp[y - 1] < v; y--) W->tmp[y] = W->tmp[y - 1];
          W->tmp[y] = v;
        }
        for (size_t x = 0; x < J->norder; x++) W->w[J->order_crit[x]] = W->tmp[x];
      }
      bool ok = true;
      for (size_t c = 0; J->wlo && c < m->nc; c++)
        if (W->w[c] < J->wlo[c] || W->w[c] > J->whi[c]) ok = false;
      if (ok) return PARLEY_OK;
    }
    return parley__err(&W->shadow, PARLEY_EINVALID,
                       "no weights met the constraints in %u tries; the intervals (and the "
                       "ranking) leave too little of the simplex", MAX_REJECTIONS);
  }
  int rc;
  if (J->fixed_weights) {
    memcpy(W->w, J->a->r->w, m->nc * sizeof *W->w);
  } else if ((rc = parley__eval_weigh(&W->ev, W->w)) != PARLEY_OK) {
    return rc;
  }
  if (J->weight_conc > 0) {
    parley__rng r;
    parley__rng_init_stream(&r, seed, STREAM_WEIGHTS, i);
    for (size_t c = 0; c < m->nc; c++) W->tmp[c] = W->w[c];
    parley__sample_dirichlet(&r, W->tmp, J->weight_conc, m->nc, W->w);
  }
  return PARLEY_OK;
}

/* Scores the drawn inputs with weights w and ranks them. */
static int evaluate(worker *W, const double *w) {
  const parley_model *m = W->J->m;
  int rc = parley__eval_score(&W->ev, w, W->u, W->score);
  if (rc != PARLEY_OK) return rc;
  parley__rank(W->score, m->ns, W->ev.higher_better, W->order, W->rank);
  for (size_t t = 0; t < m->ns; t++) W->rank_of[W->order[t]] = W->rank[t];
  return PARLEY_OK;
}

/* One iteration of the usual kind: draw, normalize, score, rank. */
static int iterate(job *J, worker *W, uint64_t i) {
  int rc = draw(J, W, i);
  if (rc == PARLEY_OK) rc = parley__eval_normalize(&W->ev);
  if (rc == PARLEY_OK) rc = evaluate(W, W->w);
  return rc;
}

static void worker_free(worker *W) {
  parley_engine *e = &W->shadow;
  parley__eval_free(&W->ev);
  if (W->cube != W->J->m->cube) parley__free(e, W->cube);
  parley__free(e, W->p);
  parley__free(e, W->w);
  parley__free(e, W->u);
  parley__free(e, W->score);
  parley__free(e, W->order);
  parley__free(e, W->rank);
  parley__free(e, W->rank_of);
  parley__free(e, W->tmp);
  parley__free(e, W->counts);
  parley__free(e, W->partial);
  if (W->sk)
    for (size_t s = 0; s < W->J->ns; s++) sk_free(e, &W->sk[s]);
  parley__free(e, W->sk);
}

static int worker_init(job *J, worker *W, bool sketches) {
  const parley_model *m = J->m;
  memset(W, 0, sizeof *W);
  W->J = J;
  parley__shadow(&W->shadow, J->a->e);
  /* The C library's allocator is thread-safe; an embedder's need not be,
   * so the workers take turns calling it. */
  if (!J->a->e->alloc_is_default) {
    W->shadow.alloc = locked_alloc;
    W->shadow.alloc_ud = J;
  }
  parley_engine *e = &W->shadow;
  int rc = parley__eval_init(&W->ev, e, m, J->a->st, J->a->r->spec);
  if (rc != PARLEY_OK) return rc;
  size_t cells = parley__mul(parley__mul(m->nc, m->nk), m->ns);
  if (J->draw_cells) {
    if (!(W->cube = parley__malloc(e, parley__mul(cells, sizeof *W->cube)))) return PARLEY_ENOMEM;
    memcpy(W->cube, m->cube, cells * sizeof *W->cube);
  } else {
    W->cube = m->cube;
  }
  if (J->a->r->p) {
    if (!(W->p = parley__malloc(e, parley__mul(m->nk, sizeof *W->p)))) return PARLEY_ENOMEM;
    memcpy(W->p, J->a->r->p, m->nk * sizeof *W->p);
  }
  W->w = parley__malloc(e, parley__mul(m->nc, sizeof *W->w));
  W->tmp = parley__malloc(e, parley__mul(m->nc, sizeof *W->tmp));
  W->u = parley__malloc(e, parley__mul(parley__mul(m->nk, m->ns), sizeof *W->u));
  W->score = parley__malloc(e, parley__mul(m->ns, sizeof *W->score));
  W->order = parley__malloc(e, parley__mul(m->ns, sizeof *W->order));
  W->rank = parley__malloc(e, parley__mul(m->ns, sizeof *W->rank));
  W->rank_of = parley__malloc(e, parley__mul(m->ns, sizeof *W->rank_of));
  W->counts = parley__calloc(e, J->ncounts ? J->ncounts : 1, sizeof *W->counts);
  W->partial = parley__malloc(e, parley__mul(J->nfloat + 1, sizeof *W->partial));
  if (sketches) W->sk = parley__calloc(e, m->ns, sizeof *W->sk);
  if (!W->w || !W->tmp || !W->u || !W->score || !W->order || !W->rank || !W->rank_of ||
      !W->counts || !W->partial || (sketches && !W->sk))
    return PARLEY_ENOMEM;
  W->ev.ctx.cube = W->cube;
  W->ev.ctx.p = W->p;
  return PARLEY_OK;
}

static void fail_job(job *J, worker *W, uint64_t iteration, int rc) {
  pthread_mutex_lock(&J->lock);
  if (J->rc == PARLEY_OK || iteration < J->failed_at) {
    J->rc = rc;
    J->failed_at = iteration;
    snprintf(J->msg, sizeof J->msg, "%s", W->shadow.errmsg[0] ? W->shadow.errmsg : "out of memory");
  }
  J->stop = true;
  pthread_cond_broadcast(&J->cond);
  pthread_mutex_unlock(&J->lock);
}

/* Under the lock: no block is to be taken any more.  A failure ends the
 * job at once; a stop (asked through the progress callback) still lets
 * block 0 be taken, so a stopped analysis has draws behind its numbers. */
static bool no_more_blocks(const job *J) {
  return J->rc != PARLEY_OK || J->next >= J->nblocks || (J->stop && J->next > 0);
}

static void *work(void *arg) {
  worker *W = arg;
  job *J = W->J;
  double *partial = W->partial;
  for (;;) {
    pthread_mutex_lock(&J->lock);
    while (!no_more_blocks(J) && J->next >= J->merged + J->window)
      pthread_cond_wait(&J->cond, &J->lock);
    if (no_more_blocks(J)) {
      pthread_mutex_unlock(&J->lock);
      break;
    }
    uint64_t b = J->next++;
    pthread_mutex_unlock(&J->lock);

    uint64_t first = b * BLOCK, last = first + BLOCK < J->n ? first + BLOCK : J->n;
    memset(partial, 0, (J->nfloat + 1) * sizeof *partial);
    for (uint64_t i = first; i < last; i++) {
      int rc = J->step(J, W, i, partial);
      if (rc != PARLEY_OK) {
        fail_job(J, W, i, rc);
        goto out;
      }
    }
    partial[J->nfloat] = (double)(last - first);

    pthread_mutex_lock(&J->lock);
    memcpy(slot(J, b), partial, (J->nfloat + 1) * sizeof *partial);
    J->ready[b % J->window] = true;
    while (J->merged < J->next && J->ready[J->merged % J->window]) {
      const double *p = slot(J, J->merged);
      J->merge(J, p, (uint64_t)p[J->nfloat]);
      J->done_iters += (uint64_t)p[J->nfloat];
      J->ready[J->merged % J->window] = false;
      J->merged++;
    }
    pthread_cond_broadcast(&J->cond);
    pthread_mutex_unlock(&J->lock);
  }
out:
  pthread_mutex_lock(&J->lock);
  J->running--;
  pthread_cond_broadcast(&J->cond);
  pthread_mutex_unlock(&J->lock);
  return NULL;
}

static double seconds_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs the job on T workers; the calling thread reports progress.
 * *workers gets the workers (for their integer counts), freed by the
 * caller with free_workers, whatever this returns.  Returns PARLEY_OK
 * (also when stopped) or the first failure. */
static int run_job(job *J, worker **workers, int *nworkers, bool sketches, const char *name) {
  parley__actx *a = J->a;
  parley_engine *e = a->e;
  J->alloc = e->alloc;
  J->alloc_ud = e->alloc_ud;
  pthread_mutex_init(&J->alloc_lock, NULL);
  pthread_mutex_init(&J->lock, NULL);
  pthread_cond_init(&J->cond, NULL);
  J->nblocks = (J->n + BLOCK - 1) / BLOCK;
  int T = a->threads < 1 ? 1 : a->threads > (int)MAX_THREADS ? (int)MAX_THREADS : a->threads;
  if ((uint64_t)T > J->nblocks) T = J->nblocks ? (int)J->nblocks : 1;
  J->window = (size_t)T * WINDOW_PER_THREAD;
  J->slots = parley__calloc(e, parley__mul(J->window, J->nfloat + 1), sizeof *J->slots);
  J->ready = parley__calloc(e, J->window, sizeof *J->ready);
  worker *W = parley__calloc(e, (size_t)T, sizeof *W);
  *workers = W;
  *nworkers = 0;
  if (!J->slots || !J->ready || !W) return PARLEY_ENOMEM;
  int rc = PARLEY_OK;
  for (int t = 0; t < T && rc == PARLEY_OK; t++) {
    rc = worker_init(J, &W[t], sketches);
    *nworkers = t + 1;
    if (rc != PARLEY_OK) {
      snprintf(e->errmsg, sizeof e->errmsg, "%s", W[t].shadow.errmsg);
      e->errcode = rc;
    }
  }
  int started = 0;
  for (int t = 0; t < T && rc == PARLEY_OK; t++) {
    pthread_mutex_lock(&J->lock);
    J->running++;
    pthread_mutex_unlock(&J->lock);
    if (pthread_create(&W[t].thread, NULL, work, &W[t]) != 0) {
      pthread_mutex_lock(&J->lock);
      J->running--;
      pthread_mutex_unlock(&J->lock);
      rc = parley__err(e, PARLEY_ERROR, "analysis %s: cannot start a worker thread", name);
      pthread_mutex_lock(&J->lock);
      J->stop = true;
      if (J->rc == PARLEY_OK) J->rc = PARLEY_ERROR; /* the started workers end at once */
      pthread_cond_broadcast(&J->cond);
      pthread_mutex_unlock(&J->lock);
      break;
    }
    started++;
  }
  /* Progress from this thread, ten times a second at most. */
  double last = seconds_now();
  pthread_mutex_lock(&J->lock);
  while (J->running > 0) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 100000000L;
    if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
    pthread_cond_timedwait(&J->cond, &J->lock, &ts);
    if (a->progress && seconds_now() - last >= 0.1) {
      uint64_t done = J->done_iters;
      pthread_mutex_unlock(&J->lock);
      int stop = a->progress(a->progress_ud, name, done, J->n);
      last = seconds_now();
      pthread_mutex_lock(&J->lock);
      if (stop && !J->stop) {
        J->stop = true;
        pthread_cond_broadcast(&J->cond);
      }
    }
  }
  pthread_mutex_unlock(&J->lock);
  for (int t = 0; t < started; t++) pthread_join(W[t].thread, NULL);
  if (a->progress && rc == PARLEY_OK && J->rc == PARLEY_OK)
    a->progress(a->progress_ud, name, J->done_iters, J->n);
  if (rc != PARLEY_OK) return rc;
  if (J->rc != PARLEY_OK)
    return parley__err(e, J->rc, "analysis %s: iteration %llu: %s", name,
                       (unsigned long long)J->failed_at, J->msg);
  return PARLEY_OK;
}

/* Frees what run_job made (the workers free through alloc_lock, so the
 * locks go last). */
static void free_workers(job *J, worker *W, int n) {
  for (int t = 0; t < n; t++) worker_free(&W[t]);
  parley__free(J->a->e, W);
  parley__free(J->a->e, J->slots);
  parley__free(J->a->e, J->ready);
  J->slots = NULL;
  J->ready = NULL;
  pthread_cond_destroy(&J->cond);
  pthread_mutex_destroy(&J->lock);
  pthread_mutex_destroy(&J->alloc_lock);
}

/* ---- reading the analysis' parameters ------------------------------------------ */
static double num_param(const parley__actx *a, const char *key) {
  return parley__param_num(a->stage, a->spec, key);
}

/* n: whole, at least 1. */
static int read_n(parley__actx *a, uint64_t *n) {
  double v = num_param(a, "n");
  if (!(v >= 1 && v <= 1e12) || v != floor(v))
    return parley__err(a->e, PARLEY_EINVALID, "analysis %s: n must be a whole number >= 1",
                       a->stage->name);
  *n = (uint64_t)v;
  return PARLEY_OK;
}

static void setup_common(job *J, parley__actx *a) {
  memset(J, 0, sizeof *J);
  J->a = a;
  J->m = a->m;
  J->ns = a->m->ns;
  J->nk = a->m->nk;
  J->nc = a->m->nc;
  J->draw_cells = a->m->nunc > 0;
  J->fixed_weights = strcmp(a->st[PARLEY_STAGE_WEIGHTING]->source, "built-in") != 0;
}

/* ---- Monte Carlo ---------------------------------------------------------------- */
/* Per block, per strategy: count, mean, M2 (Welford 1962); merged in block
 * order by Chan, Golub & LeVeque's (1979) pairwise update. */
typedef struct mc_state {
  double *mean, *m2;
  double count;
} mc_state;

static int mc_step(job *J, worker *W, uint64_t i, double *partial) {
  int rc = iterate(J, W, i);
  if (rc != PARLEY_OK) return rc;
  size_t ns = J->ns;
  double n = partial[2 * ns] + 1; /* partial[2 ns] counts the block's draws */
  partial[2 * ns] = n;
  double lng = sk_lngamma();
  for (size_t s = 0; s < ns; s++) {
    double x = W->score[s], d = x - partial[s];
    partial[s] += d / n;
    partial[ns + s] += d * (x - partial[s]);
    if (!sk_add(&W->shadow, &W->sk[s], x, lng)) return PARLEY_ENOMEM;
    if (ns <= MAX_RANK_MATRIX) W->counts[s * ns + (size_t)(W->rank_of[s] - 1)]++;
  }
  return PARLEY_OK;
}

static void mc_merge(job *J, const double *partial, uint64_t iterations) {
  (void)iterations;
  mc_state *st = J->state;
  size_t ns = J->ns;
  double nb = partial[2 * ns];
  if (nb == 0) return;
  double na = st->count, n = na + nb;
  /* d * (nb / n), not d * nb / n: the first block's factor is exactly 1,
   * so a score that never varies comes out as its own value, to the bit. */
  for (size_t s = 0; s < ns; s++) {
    double d = partial[s] - st->mean[s];
    st->mean[s] += d * (nb / n);
    st->m2[s] += partial[ns + s] + d * d * na * nb / n;
  }
  st->count = n;
}

static int mc_analysis(parley__actx *a) {
  parley_engine *e = a->e;
  const parley_model *m = a->m;
  job J;
  setup_common(&J, a);
  int rc = read_n(a, &J.n);
  if (rc != PARLEY_OK) return rc;
  J.prob_conc = num_param(a, "probabilities");
  J.weight_conc = num_param(a, "weights");
  if (J.prob_conc > 0 && !a->r->p)
    return parley__err(e, PARLEY_EINVALID, "analysis montecarlo: probabilities=%g asks to draw "
                       "the scenario probabilities, and the model gives none", J.prob_conc);
  size_t ns = m->ns;
  J.nfloat = 2 * ns + 1;
  J.ncounts = ns <= MAX_RANK_MATRIX ? parley__mul(ns, ns) : 0;
  mc_state st = {0};
  st.mean = parley__calloc(e, ns ? ns : 1, sizeof *st.mean);
  st.m2 = parley__calloc(e, ns ? ns : 1, sizeof *st.m2);
  if (!st.mean || !st.m2) {
    parley__free(e, st.mean);
    parley__free(e, st.m2);
    return PARLEY_ENOMEM;
  }
  J.state = &st;
  J.step = mc_step;
  J.merge = mc_merge;
  worker *W = NULL;
  int nw = 0;
  rc = run_job(&J, &W, &nw, true, "montecarlo");
  sketch *total = NULL;
  uint64_t *counts = NULL;
  if (rc == PARLEY_OK) {
    total = parley__calloc(e, ns ? ns : 1, sizeof *total);
    counts = parley__calloc(e, J.ncounts ? J.ncounts : 1, sizeof *counts);
    if (!total || !counts) rc = PARLEY_ENOMEM;
    for (int t = 0; t < nw && rc == PARLEY_OK; t++) {
      for (size_t s = 0; s < ns && rc == PARLEY_OK; s++)
        if (!sk_merge(e, &total[s], &W[t].sk[s])) rc = PARLEY_ENOMEM;
      for (size_t i = 0; i < J.ncounts; i++) counts[i] += W[t].counts[i];
    }
  }
  free_workers(&J, W, nw);
  if (rc == PARLEY_OK) {
    double lng = sk_lngamma();
    uint64_t done = J.done_iters;
    parley__buf b, t;
    parley__buf_init(&b, e);
    parley__buf_init(&t, e);
    parley__buf_printf(&b, "{\"n\": %llu, \"seed\": %llu, \"partial\": %s, \"draws\": {"
                       "\"cells\": %zu, \"probabilities\": ", (unsigned long long)done,
                       (unsigned long long)a->seed, done < J.n ? "true" : "false", m->nunc);
    parley__json_num(&b, J.prob_conc);
    parley__buf_puts(&b, ", \"weights\": ");
    parley__json_num(&b, J.weight_conc);
    parley__buf_puts(&b, "}, \"strategies\": {");
    parley__buf_printf(&t, "Monte Carlo (%llu draws%s, seed %llu)\n", (unsigned long long)done,
                       done < J.n ? ", stopped early" : "", (unsigned long long)a->seed);
    parley__buf_printf(&t, "  %-24s %10s %10s %10s %10s %10s %8s\n", "strategy", "mean", "sd",
                       "q05", "q50", "q95", "P(best)");
    for (size_t s = 0; s < ns; s++) {
      double sd = done > 1 && st.m2[s] > 0 ? sqrt(st.m2[s] / (double)(done - 1)) : 0;
      double q05 = sk_quantile(&total[s], 0.05, lng), q50 = sk_quantile(&total[s], 0.5, lng),
             q95 = sk_quantile(&total[s], 0.95, lng);
      parley__buf_puts(&b, s ? ", " : "");
      parley__json_str(&b, m->strat[s].id);
      parley__buf_puts(&b, ": {\"mean\": ");
      parley__json_num(&b, st.mean[s]);
      parley__buf_puts(&b, ", \"sd\": ");
      parley__json_num(&b, sd);
      parley__buf_puts(&b, ", \"q05\": ");
      parley__json_num(&b, q05);
      parley__buf_puts(&b, ", \"q50\": ");
      parley__json_num(&b, q50);
      parley__buf_puts(&b, ", \"q95\": ");
      parley__json_num(&b, q95);
      double pbest = 0;
      if (J.ncounts) {
        parley__buf_puts(&b, ", \"rank_probabilities\": [");
        for (size_t r = 0; r < ns; r++) {
          double pr = done ? (double)counts[s * ns + r] / (double)done : 0;
          if (r == 0) pbest = pr;
          parley__buf_puts(&b, r ? ", " : "");
          parley__json_num(&b, pr);
        }
        parley__buf_puts(&b, "]");
      }
      parley__buf_puts(&b, "}");
      char n0[6][32];
      double v[5] = {st.mean[s], sd, q05, q50, q95};
      for (int x = 0; x < 5; x++) snprintf(n0[x], sizeof n0[x], "%.4g", v[x]);
      /* Past MAX_RANK_MATRIX strategies nothing was counted: "-", not 0. */
      if (J.ncounts) snprintf(n0[5], sizeof n0[5], "%.3f", pbest);
      else snprintf(n0[5], sizeof n0[5], "-");
      parley__buf_printf(&t, "  %-24s %10s %10s %10s %10s %10s %8s\n", m->strat[s].id, n0[0],
                         n0[1], n0[2], n0[3], n0[4], n0[5]);
    }
    parley__buf_puts(&b, "}}");
    char *json = NULL, *text = NULL;
    rc = parley__buf_finish(&b, &json, NULL);
    if (rc == PARLEY_OK) rc = parley__buf_finish(&t, &text, NULL);
    else parley__buf_free(&t);
    if (rc == PARLEY_OK) rc = parley__result_add_analysis(a->r, "montecarlo", json, text);
    else parley__free(e, json);
  }
  for (size_t s = 0; total && s < ns; s++) sk_free(e, &total[s]);
  parley__free(e, total);
  parley__free(e, counts);
  parley__free(e, st.mean);
  parley__free(e, st.m2);
  return rc;
}

int parley__analysis_montecarlo(parley__actx *a) { return mc_analysis(a); }

/* ---- SMAA-2 ------------------------------------------------------------------------
 * Lahdelma & Salminen (2001).  Counts per worker: acceptability
 * [ns * ns] (strategy s at rank r), then pairwise wins [ns * ns] (s better
 * than t) when ns <= MAX_WINNING.  Floats per block: the sum of the weights
 * of each draw where s ranks first [ns * nc]. */
typedef struct smaa_state {
  double *central; /* [ns * nc] sums, then means */
} smaa_state;

static int smaa_step(job *J, worker *W, uint64_t i, double *partial) {
  int rc = iterate(J, W, i);
  if (rc != PARLEY_OK) return rc;
  size_t ns = J->ns, nc = J->nc;
  for (size_t s = 0; s < ns; s++) {
    int r = W->rank_of[s];
    W->counts[s * ns + (size_t)(r - 1)]++;
    if (r == 1)
      for (size_t c = 0; c < nc; c++) partial[s * nc + c] += W->w[c];
  }
  if (ns <= MAX_WINNING) {
    uint64_t *win = W->counts + ns * ns;
    for (size_t s = 0; s < ns; s++)
      for (size_t t = 0; t < ns; t++)
        if (W->rank_of[s] < W->rank_of[t]) win[s * ns + t]++;
  }
  return PARLEY_OK;
}

static void smaa_merge(job *J, const double *partial, uint64_t iterations) {
  (void)iterations;
  smaa_state *st = J->state;
  for (size_t x = 0; x < J->ns * J->nc; x++) st->central[x] += partial[x];
}

/* The confidence pass: the same draws of the outcomes and probabilities,
 * and for each strategy its central weights: does it rank first? */
static int conf_step(job *J, worker *W, uint64_t i, double *partial) {
  (void)partial;
  int rc = draw(J, W, i);
  if (rc == PARLEY_OK) rc = parley__eval_normalize(&W->ev);
  for (size_t s = 0; s < J->ns && rc == PARLEY_OK; s++) {
    const double *wc = J->central + s * J->nc;
    if (isnan(wc[0])) continue;
    rc = evaluate(W, wc);
    if (rc == PARLEY_OK && W->rank_of[s] == 1) W->counts[s]++;
  }
  return rc;
}

static void conf_merge(job *J, const double *partial, uint64_t iterations) {
  (void)J, (void)partial, (void)iterations;
}

/* smaa's "ranking": a list of criterion ids, most important first. */
static int smaa_ranking(parley__actx *a, job *J) {
  const parley__param *p = parley__spec_get(a->spec, "ranking");
  if (!p) return PARLEY_OK;
  cJSON *x = cJSON_Parse(p->text);
  int rc = PARLEY_OK;
  if (!cJSON_IsArray(x)) {
    rc = parley__err(a->e, PARLEY_EINVALID, "analysis smaa: ranking must be a list of criterion "
                     "ids, most important first");
  } else {
    size_t n = (size_t)cJSON_GetArraySize(x), i = 0;
    J->order_crit = parley__calloc(a->e, n ? n : 1, sizeof *J->order_crit);
    if (!J->order_crit) rc = PARLEY_ENOMEM;
    for (const cJSON *c = x->child; c && rc == PARLEY_OK; c = c->next, i++) {
      size_t k = cJSON_IsString(c) ? parley__find(a->m, PARLEY_CRITERIA, c->valuestring) : SIZE_MAX;
      if (k == SIZE_MAX)
        rc = parley__err(a->e, PARLEY_EINVALID, "analysis smaa: ranking[%zu] is not a criterion "
                         "of the model", i);
      for (size_t j = 0; j < i && rc == PARLEY_OK; j++)
        if (J->order_crit[j] == k)
          rc = parley__err(a->e, PARLEY_EINVALID, "analysis smaa: ranking names '%s' twice",
                           c->valuestring);
      if (rc == PARLEY_OK) J->order_crit[i] = k;
    }
    J->norder = n;
  }
  cJSON_Delete(x);
  return rc;
}

/* smaa's "intervals": {criterion: [lo, hi]} on the weights. */
static int smaa_intervals(parley__actx *a, job *J) {
  const parley__param *p = parley__spec_get(a->spec, "intervals");
  if (!p) return PARLEY_OK;
  size_t nc = a->m->nc;
  J->wlo = parley__malloc(a->e, parley__mul(nc ? nc : 1, sizeof *J->wlo));
  J->whi = parley__malloc(a->e, parley__mul(nc ? nc : 1, sizeof *J->whi));
  if (!J->wlo || !J->whi) return PARLEY_ENOMEM;
  for (size_t c = 0; c < nc; c++) J->wlo[c] = 0, J->whi[c] = 1;
  cJSON *x = cJSON_Parse(p->text);
  int rc = PARLEY_OK;
  if (!cJSON_IsObject(x))
    rc = parley__err(a->e, PARLEY_EINVALID, "analysis smaa: intervals must be an object "
                     "{\"criterion\": [lo, hi], ...}");
  for (const cJSON *c = x ? x->child : NULL; c && rc == PARLEY_OK; c = c->next) {
    size_t k = parley__find(a->m, PARLEY_CRITERIA, c->string);
    const cJSON *lo = cJSON_GetArrayItem(c, 0), *hi = cJSON_GetArrayItem(c, 1);
    if (k == SIZE_MAX)
      rc = parley__err(a->e, PARLEY_EINVALID, "analysis smaa: intervals: '%s' is not a "
                       "criterion of the model", c->string);
    else if (!cJSON_IsArray(c) || cJSON_GetArraySize(c) != 2 || !cJSON_IsNumber(lo) ||
             !cJSON_IsNumber(hi) || !(lo->valuedouble >= 0) || !(hi->valuedouble <= 1) ||
             !(lo->valuedouble <= hi->valuedouble))
      rc = parley__err(a->e, PARLEY_EINVALID, "analysis smaa: intervals.%s must be [lo, hi] "
                       "with 0 <= lo <= hi <= 1", c->string);
    else
      J->wlo[k] = lo->valuedouble, J->whi[k] = hi->valuedouble;
  }
  cJSON_Delete(x);
  /* Weights sum to 1: bounds whose lows sum above 1, or whose highs below
   * it, leave no weights at all, which is said now rather than after
   * MAX_REJECTIONS tries.  (A set that is merely thin is found out by the
   * draws.) */
  double slo = 0, shi = 0;
  for (size_t c = 0; rc == PARLEY_OK && c < nc; c++) slo += J->wlo[c], shi += J->whi[c];
  if (rc == PARLEY_OK && (slo > 1 + 1e-12 || shi < 1 - 1e-12))
    rc = parley__err(a->e, PARLEY_EINVALID, "analysis smaa: intervals: no weights summing to 1 "
                     "fit them (the lower bounds sum to %g, the upper bounds to %g)", slo, shi);
  return rc;
}

/* conf counts over conf_n draws (the confidence pass; fewer than done
 * when it was stopped). */
static int smaa_json(parley__actx *a, job *J, const uint64_t *acc, const uint64_t *win,
                     const double *central, const uint64_t *conf, uint64_t conf_n,
                     bool with_conf, bool partial) {
  parley_engine *e = a->e;
  const parley_model *m = a->m;
  size_t ns = J->ns, nc = J->nc;
  uint64_t done = J->done_iters;
  double dn = done ? (double)done : 1, dc = conf_n ? (double)conf_n : 1;
  parley__buf b, t;
  parley__buf_init(&b, e);
  parley__buf_init(&t, e);
  parley__buf_printf(&b, "{\"n\": %llu, \"seed\": %llu, \"partial\": %s, \"acceptability\": {",
                     (unsigned long long)done, (unsigned long long)a->seed,
                     partial ? "true" : "false");
  for (size_t s = 0; s < ns; s++) {
    parley__buf_puts(&b, s ? ", " : "");
    parley__json_str(&b, m->strat[s].id);
    parley__buf_puts(&b, ": [");
    for (size_t r = 0; r < ns; r++) {
      parley__buf_puts(&b, r ? ", " : "");
      parley__json_num(&b, (double)acc[s * ns + r] / dn);
    }
    parley__buf_puts(&b, "]");
  }
  parley__buf_puts(&b, "}, \"central_weights\": {");
  for (size_t s = 0; s < ns; s++) {
    parley__buf_puts(&b, s ? ", " : "");
    parley__json_str(&b, m->strat[s].id);
    if (isnan(central[s * nc])) {
      parley__buf_puts(&b, ": null");
      continue;
    }
    parley__buf_puts(&b, ": {");
    for (size_t c = 0; c < nc; c++) {
      parley__buf_puts(&b, c ? ", " : "");
      parley__json_str(&b, m->crit[c].id);
      parley__buf_puts(&b, ": ");
      parley__json_num(&b, central[s * nc + c]);
    }
    parley__buf_puts(&b, "}");
  }
  parley__buf_puts(&b, "}");
  if (with_conf) {
    parley__buf_printf(&b, ", \"confidence_n\": %llu, \"confidence\": {",
                       (unsigned long long)conf_n);
    for (size_t s = 0; s < ns; s++) {
      parley__buf_puts(&b, s ? ", " : "");
      parley__json_str(&b, m->strat[s].id);
      parley__buf_puts(&b, ": ");
      if (isnan(central[s * nc])) parley__buf_puts(&b, "null");
      else parley__json_num(&b, (double)conf[s] / dc);
    }
    parley__buf_puts(&b, "}");
  }
  if (win) {
    parley__buf_puts(&b, ", \"winning\": {");
    for (size_t s = 0; s < ns; s++) {
      parley__buf_puts(&b, s ? ", " : "");
      parley__json_str(&b, m->strat[s].id);
      parley__buf_puts(&b, ": {");
      bool first = true;
      for (size_t u = 0; u < ns; u++) {
        if (u == s) continue;
        parley__buf_puts(&b, first ? "" : ", ");
        first = false;
        parley__json_str(&b, m->strat[u].id);
        parley__buf_puts(&b, ": ");
        parley__json_num(&b, (double)win[s * ns + u] / dn);
      }
      parley__buf_puts(&b, "}");
    }
    parley__buf_puts(&b, "}");
  }
  parley__buf_puts(&b, "}");
  parley__buf_printf(&t, "SMAA-2 (%llu draws%s, seed %llu)\n", (unsigned long long)done,
                     partial ? ", stopped early" : "", (unsigned long long)a->seed);
  parley__buf_printf(&t, "  %-24s %8s %8s %11s\n", "strategy", "b1", "b2", "confidence");
  for (size_t s = 0; s < ns; s++) {
    char cf[32] = "-";
    if (with_conf && !isnan(central[s * nc])) snprintf(cf, sizeof cf, "%.3f", (double)conf[s] / dc);
    parley__buf_printf(&t, "  %-24s %8.3f %8.3f %11s\n", m->strat[s].id, (double)acc[s * ns] / dn,
                       ns > 1 ? (double)acc[s * ns + 1] / dn : 0.0, cf);
  }
  char *json = NULL, *text = NULL;
  int rc = parley__buf_finish(&b, &json, NULL);
  if (rc == PARLEY_OK) rc = parley__buf_finish(&t, &text, NULL);
  else parley__buf_free(&t);
  if (rc == PARLEY_OK) return parley__result_add_analysis(a->r, "smaa", json, text);
  parley__free(e, json);
  return rc;
}

static int smaa_analysis(parley__actx *a) {
  parley_engine *e = a->e;
  const parley_model *m = a->m;
  size_t ns = m->ns, nc = m->nc;
  if (ns > MAX_RANK_MATRIX)
    return parley__err(e, PARLEY_EINVALID, "analysis smaa: the model has %zu strategies; SMAA's "
                       "acceptability matrix is kept for at most %u", ns, MAX_RANK_MATRIX);
  job J;
  setup_common(&J, a);
  J.smaa = true;
  int rc = read_n(a, &J.n);
  bool with_conf = num_param(a, "confidence") != 0;
  if (rc == PARLEY_OK) rc = smaa_ranking(a, &J);
  if (rc == PARLEY_OK) rc = smaa_intervals(a, &J);
  smaa_state st = {0};
  uint64_t *acc = NULL, *conf = NULL;
  worker *W = NULL;
  int nw = 0;
  if (rc == PARLEY_OK) {
    J.nfloat = ns * nc;
    J.ncounts = ns * ns + (ns <= MAX_WINNING ? ns * ns : 0);
    st.central = parley__calloc(e, J.nfloat ? J.nfloat : 1, sizeof *st.central);
    acc = parley__calloc(e, J.ncounts ? J.ncounts : 1, sizeof *acc);
    conf = parley__calloc(e, ns ? ns : 1, sizeof *conf);
    if (!st.central || !acc || !conf) rc = PARLEY_ENOMEM;
  }
  if (rc == PARLEY_OK) {
    J.state = &st;
    J.step = smaa_step;
    J.merge = smaa_merge;
    rc = run_job(&J, &W, &nw, false, "smaa");
    for (int t = 0; rc == PARLEY_OK && t < nw; t++)
      for (size_t i = 0; i < J.ncounts; i++) acc[i] += W[t].counts[i];
    free_workers(&J, W, nw);
  }
  if (rc == PARLEY_OK) {
    /* Central weights: the mean weights of the draws where s ranks first
     * (NaN: it never does). */
    for (size_t s = 0; s < ns; s++)
      for (size_t c = 0; c < nc; c++)
        st.central[s * nc + c] = acc[s * ns] ? st.central[s * nc + c] / (double)acc[s * ns] : NAN;
  }
  bool partial = J.done_iters < J.n;
  uint64_t conf_n = 0;
  if (rc == PARLEY_OK && with_conf) {
    /* The confidence pass replays the first pass's draws 0 .. done - 1 of
     * the outcomes.  After a stop it starts stopped: block 0 only. */
    job C = J;
    C.n = J.done_iters;
    C.smaa = false;
    C.fixed_weights = true;
    C.weight_conc = 0;
    C.central = st.central;
    C.nfloat = 0;
    C.ncounts = ns;
    C.step = conf_step;
    C.merge = conf_merge;
    C.next = C.merged = C.done_iters = 0;
    C.stop = partial;
    C.rc = PARLEY_OK;
    C.running = 0;
    rc = run_job(&C, &W, &nw, false, "smaa confidence");
    for (int t = 0; rc == PARLEY_OK && t < nw; t++)
      for (size_t s = 0; s < ns; s++) conf[s] += W[t].counts[s];
    free_workers(&C, W, nw);
    conf_n = C.done_iters;
    if (conf_n < C.n) partial = true;
  }
  if (rc == PARLEY_OK)
    rc = smaa_json(a, &J, acc, ns <= MAX_WINNING ? acc + ns * ns : NULL, st.central, conf,
                   conf_n, with_conf, partial);
  parley__free(e, st.central);
  parley__free(e, acc);
  parley__free(e, conf);
  parley__free(e, J.order_crit);
  parley__free(e, J.wlo);
  parley__free(e, J.whi);
  return rc;
}

int parley__analysis_smaa(parley__actx *a) { return smaa_analysis(a); }
