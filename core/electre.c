/*
 * electre.c — the ELECTRE outranking aggregations of Roy: electre1 (Roy
 * 1968) and electre3 (Roy 1978), as Figueira, Mousseau & Roy (2005) set
 * them out.  Both compare strategies pairwise, and only under the same
 * scenario; both read the raw values and the directions (the registry marks
 * them so) and define their own scaling.
 *
 *   electre1  a outranks b when the weights of the criteria on which a is at
 *             least as good as b reach the concordance threshold, and no
 *             criterion on which b is better does so by more than the
 *             discordance threshold of its range over the slab.  The utility
 *             is the net outranking count (how many a outranks minus how many
 *             outrank a); the kernel of the outranking graph, its circuits
 *             reduced to single nodes, is in the diagnostics.
 *   electre3  pseudo-criteria (indifference q, preference p, veto v), a
 *             credibility S(a, b) in [0, 1], and the descending and ascending
 *             distillations of S; their intersection is the final partial
 *             preorder.  The utility is a strategy's rank in that preorder (1
 *             for those nothing is preferred to), lower is better; both
 *             distillations and the incomparable pairs are in the
 *             diagnostics.
 *
 * Cost.  Every pair is compared: n^2 per criterion and scenario, with n bits
 * (electre1) or n doubles (electre3, floats past ELEC3_DOUBLE_MAX
 * strategies) of memory per strategy.  The distillations remove one class at
 * a time; a class's removal updates the counts of the strategies left in
 * O(n) (the crisp relation they are counted in stays the same as long as the
 * largest credibility left does), so that a distillation costs O(n^2) plus
 * O(r^2) each time that largest credibility falls while r strategies are
 * left.  Formulas, parameters, degenerate cases and sources:
 * docs/methods.md.
 */
#include "internal.h"
#include "methods.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The diagnostics name at most EL_DIAG_LIST strategies in a listing (a
 * kernel, a class, incomparable pairs), describe at most EL_DIAG_SCENARIOS
 * scenarios, and print the pairwise matrices only up to EL_DIAG_MATRIX
 * strategies: the document stays readable for a large model. */
#define EL_DIAG_LIST 1000
#define EL_DIAG_SCENARIOS 1000
#define EL_DIAG_MATRIX 20

/* Thresholds and weights rarely sum exactly in binary: a concordance of
 * 0.25 + 0.45 must meet a threshold of 0.7.  As the ranking does, rounding
 * noise never decides (docs/methods.md). */
#define EL_TOL 1e-12

/* Up to this many strategies electre3 keeps the credibility matrix in
 * doubles (128 MB at the limit); beyond it in floats, half the memory. */
#define ELEC3_DOUBLE_MAX 4096

static const char *stage_name(const parley__ctx *ctx, const char *dflt) {
  return ctx->stage && ctx->stage->name ? ctx->stage->name : dflt;
}

static const char *strat_id(const parley__ctx *ctx, size_t s) {
  return ctx->model->strat[s].id;
}

/* A parameter's value, or its default when the context has no registered
 * stage (a hand-made context). */
static double param(const parley__ctx *ctx, const char *key, double dflt) {
  double v = parley__param_num(ctx->stage, ctx->spec, key);
  return isnan(v) ? dflt : v;
}

static inline unsigned ctz64(uint64_t x) {
#if defined(__GNUC__)
  return (unsigned)__builtin_ctzll(x);
#else
  unsigned n = 0;
  while (!(x & 1)) x >>= 1, n++;
  return n;
#endif
}

static inline unsigned popcount64(uint64_t x) {
#if defined(__GNUC__)
  return (unsigned)__builtin_popcountll(x);
#else
  unsigned n = 0;
  for (; x; x &= x - 1) n++;
  return n;
#endif
}

/* "name":{"a":{"b":v,...},...}, the diagonal left out. */
static void matrix_map(parley__buf *b, const parley__ctx *ctx, const char *name, const double *M,
                       size_t n) {
  parley__buf_printf(b, ",\"%s\":{", name);
  for (size_t i = 0; i < n; i++) {
    if (i) parley__buf_puts(b, ",");
    parley__json_str(b, strat_id(ctx, i));
    parley__buf_puts(b, ":{");
    bool first = true;
    for (size_t j = 0; j < n; j++) {
      if (j == i) continue;
      if (!first) parley__buf_puts(b, ",");
      first = false;
      parley__json_str(b, strat_id(ctx, j));
      parley__buf_puts(b, ":");
      parley__json_num(b, M[i * n + j]);
    }
    parley__buf_puts(b, "}");
  }
  parley__buf_puts(b, "}");
}

/* ==== ELECTRE I ================================================================== */

/* A vertex on the depth-first path of the components' search: the next
 * arcs to follow are the bits of mask, then of the row's words from wi on. */
typedef struct frame {
  uint32_t v, wi;
  uint64_t mask;
} frame;

/* The outranking relation of one scenario as a bit matrix: row a, bit b set
 * when a outranks b. */
typedef struct e1 {
  size_t n, words;
  uint64_t *rel;            /* [n * words] */
  double *C, *D;            /* [n]: one row of concordance and discordance */
  double *range;            /* [nc]: each criterion's range over its slab */
  double *cm, *dm;          /* [n * n] when n <= EL_DIAG_MATRIX, else NULL */
  int *out, *in;            /* [n] */
  /* The kernel: Tarjan's components and their condensation. */
  uint32_t *idx, *low, *stk, *comp, *head, *member; /* [n] (head [n + 1]) */
  uint8_t *on, *kern;       /* [n] */
  uint64_t *covered;        /* [words] */
  frame *fr;                /* [n] */
} e1;

static void e1_free(parley_engine *e, e1 *E) {
  void *p[] = {E->rel, E->C, E->D, E->range, E->cm, E->dm, E->out, E->in, E->idx, E->low,
               E->stk, E->comp, E->head, E->member, E->on, E->kern, E->covered, E->fr};
  for (size_t i = 0; i < sizeof p / sizeof *p; i++) parley__free(e, p[i]);
}

static int e1_new(parley_engine *e, e1 *E, size_t n, size_t nc, bool diag) {
  memset(E, 0, sizeof *E);
  E->n = n;
  E->words = (n + 63) / 64;
  E->rel = parley__malloc(e, parley__mul(parley__mul(n, E->words), sizeof *E->rel));
  E->C = parley__malloc(e, parley__mul(n, sizeof *E->C));
  E->D = parley__malloc(e, parley__mul(n, sizeof *E->D));
  E->range = parley__malloc(e, parley__mul(nc ? nc : 1, sizeof *E->range));
  E->out = parley__malloc(e, parley__mul(n, sizeof *E->out));
  E->in = parley__malloc(e, parley__mul(n, sizeof *E->in));
  bool ok = E->rel && E->C && E->D && E->range && E->out && E->in;
  if (diag) {
    E->idx = parley__malloc(e, parley__mul(n, sizeof *E->idx));
    E->low = parley__malloc(e, parley__mul(n, sizeof *E->low));
    E->stk = parley__malloc(e, parley__mul(n, sizeof *E->stk));
    E->comp = parley__malloc(e, parley__mul(n, sizeof *E->comp));
    E->head = parley__malloc(e, parley__mul(n + 1, sizeof *E->head));
    E->member = parley__malloc(e, parley__mul(n, sizeof *E->member));
    E->on = parley__malloc(e, parley__mul(n, sizeof *E->on));
    E->kern = parley__malloc(e, parley__mul(n, sizeof *E->kern));
    E->covered = parley__malloc(e, parley__mul(E->words, sizeof *E->covered));
    E->fr = parley__malloc(e, parley__mul(n, sizeof *E->fr));
    ok = ok && E->idx && E->low && E->stk && E->comp && E->head && E->member && E->on &&
         E->kern && E->covered && E->fr;
    if (n <= EL_DIAG_MATRIX) {
      E->cm = parley__malloc(e, parley__mul(n * n, sizeof *E->cm));
      E->dm = parley__malloc(e, parley__mul(n * n, sizeof *E->dm));
      ok = ok && E->cm && E->dm;
    }
  }
  if (ok) return PARLEY_OK;
  e1_free(e, E);
  return PARLEY_ENOMEM;
}

/* The per-pair loops below take four strategies at a time: first the
 * terms into a small array, then into the row.  GCC's -O2 turns that shape
 * into vector instructions, where it compiles a plain loop with a clamp or a
 * comparison into branches that the data mispredicts half the time (5 to 10
 * times slower); so the terms use only min/max patterns and selects of
 * constants.  They are kept out of line: inlined into the stage, their
 * restrict qualifiers no longer reach the vectorizer, and the loops stay
 * scalar. */
#define LANES 4
#if defined(__GNUC__)
#define KERNEL __attribute__((noinline)) static void
#else
#define KERNEL static void
#endif

/* One criterion's part of row a (ELECTRE I): d, the amount by which b beats
 * a (oriented by the direction), adds w to C[b] when d <= 0 and raises D[b]
 * to d / r. */
KERNEL e1_crit(const double *restrict x, size_t n, double xa, double sign, double w,
                    double r, double *restrict C, double *restrict D) {
  size_t b = 0;
  for (; b + LANES <= n; b += LANES) {
    double d[LANES];
    for (int i = 0; i < LANES; i++) d[i] = sign * (x[b + i] - xa);
    for (int i = 0; i < LANES; i++) {
      double t = d[i] / r;
      C[b + i] += d[i] <= 0 ? w : 0;
      D[b + i] = t > D[b + i] ? t : D[b + i];
    }
  }
  for (; b < n; b++) {
    double d = sign * (x[b] - xa), t = d / r;
    C[b] += d <= 0 ? w : 0;
    D[b] = t > D[b] ? t : D[b];
  }
}

/* Row a of scenario k: C[b] = the weight of the criteria on which a is at
 * least as good as b; D[b] = the largest amount by which b beats a on one
 * criterion, over that criterion's range.  A criterion of weight 0 takes no
 * part; one that does not vary over its slab beats no one. */
static void e1_row(const parley__ctx *ctx, const e1 *E, size_t k, size_t a) {
  size_t n = ctx->ns, nk = ctx->nk;
  double *restrict C = E->C, *restrict D = E->D;
  for (size_t b = 0; b < n; b++) C[b] = D[b] = 0;
  for (size_t c = 0; c < ctx->nc; c++) {
    double w = ctx->w[c], r = E->range[c];
    if (!(w > 0)) continue;
    if (!(r > 0)) {
      for (size_t b = 0; b < n; b++) C[b] += w;
      continue;
    }
    const double *x = ctx->cube + (c * nk + k) * n;
    e1_crit(x, n, x[a], parley__crit_dir(ctx, c) > 0 ? 1 : -1, w, r, C, D);
  }
}

/* The relation of scenario k into E->rel, with out- and in-degrees. */
static void e1_relation(const parley__ctx *ctx, e1 *E, size_t k, double cth, double dth) {
  size_t n = E->n, W = E->words;
  memset(E->rel, 0, n * W * sizeof *E->rel);
  memset(E->out, 0, n * sizeof *E->out);
  memset(E->in, 0, n * sizeof *E->in);
  for (size_t a = 0; a < n; a++) {
    e1_row(ctx, E, k, a);
    uint64_t *row = E->rel + a * W;
    for (size_t b = 0; b < n; b++) {
      if (b == a || !(E->C[b] >= cth - EL_TOL && E->D[b] <= dth + EL_TOL)) continue;
      row[b / 64] |= UINT64_C(1) << (b % 64);
      E->out[a]++;
      E->in[b]++;
    }
    if (E->cm) {
      memcpy(E->cm + a * n, E->C, n * sizeof *E->C);
      memcpy(E->dm + a * n, E->D, n * sizeof *E->D);
    }
  }
}

/* The strongly connected components of the relation (Tarjan 1972), without
 * recursion: comp[v] numbers v's component in the order they complete, so
 * that every arc between two components goes from a higher number to a
 * lower one.  Returns how many there are. */
static size_t e1_components(e1 *E) {
  const uint32_t unseen = UINT32_MAX;
  size_t n = E->n, W = E->words, sp = 0, ncomp = 0;
  uint32_t next = 0;
  for (size_t v = 0; v < n; v++) E->idx[v] = unseen, E->on[v] = 0;
  for (size_t root = 0; root < n; root++) {
    if (E->idx[root] != unseen) continue;
    size_t fp = 0;
    E->fr[fp++] = (frame){(uint32_t)root, 0, E->rel[root * W]};
    E->idx[root] = E->low[root] = next++;
    E->stk[sp++] = (uint32_t)root;
    E->on[root] = 1;
    while (fp) {
      frame *f = &E->fr[fp - 1];
      uint32_t v = f->v;
      while (!f->mask && ++f->wi < W) f->mask = E->rel[v * W + f->wi];
      if (f->mask) {
        uint32_t w = f->wi * 64 + ctz64(f->mask);
        f->mask &= f->mask - 1;
        if (E->idx[w] == unseen) {
          E->idx[w] = E->low[w] = next++;
          E->stk[sp++] = w;
          E->on[w] = 1;
          E->fr[fp++] = (frame){w, 0, E->rel[(size_t)w * W]};
        } else if (E->on[w] && E->idx[w] < E->low[v]) {
          E->low[v] = E->idx[w];
        }
        continue;
      }
      if (E->low[v] == E->idx[v]) {
        uint32_t x;
        do {
          x = E->stk[--sp];
          E->on[x] = 0;
          E->comp[x] = (uint32_t)ncomp;
        } while (x != v);
        ncomp++;
      }
      fp--;
      if (fp) {
        uint32_t u = E->fr[fp - 1].v;
        if (E->low[v] < E->low[u]) E->low[u] = E->low[v];
      }
    }
  }
  return ncomp;
}

/* The kernel of the relation with each circuit reduced to one node, as Roy
 * (1968) prescribes: the strategies of a circuit outrank one another and
 * stand or fall together.  The reduced graph has no circuit, so its kernel
 * is unique: taking components sources first, one belongs to it exactly
 * when no component already in it outranks one of its members.  E->kern[v]
 * is set for the kernel's members; E->head/E->member list each component's
 * members.  Returns the number of components. */
static size_t e1_kernel(e1 *E) {
  size_t n = E->n, W = E->words;
  size_t ncomp = e1_components(E);
  /* Members by component (a counting sort), each list in model order. */
  memset(E->head, 0, (n + 1) * sizeof *E->head);
  for (size_t v = 0; v < n; v++) E->head[E->comp[v] + 1]++;
  for (size_t c = 0; c < ncomp; c++) E->head[c + 1] += E->head[c];
  /* head[c] is where component c's list starts; fill with a cursor per
   * component (low, done with), then put the starts back. */
  for (size_t c = 0; c < ncomp; c++) E->low[c] = E->head[c];
  for (size_t v = 0; v < n; v++) E->member[E->low[E->comp[v]]++] = (uint32_t)v;
  memset(E->covered, 0, W * sizeof *E->covered);
  memset(E->kern, 0, n * sizeof *E->kern);
  for (size_t c = ncomp; c-- > 0;) {
    bool free_ = true;
    for (uint32_t i = E->head[c]; i < E->head[c + 1] && free_; i++) {
      uint32_t v = E->member[i];
      free_ = !(E->covered[v / 64] >> (v % 64) & 1);
    }
    if (!free_) continue;
    for (uint32_t i = E->head[c]; i < E->head[c + 1]; i++) {
      uint32_t v = E->member[i];
      E->kern[v] = 1;
      const uint64_t *row = E->rel + (size_t)v * W;
      for (size_t j = 0; j < W; j++) E->covered[j] |= row[j];
    }
  }
  return ncomp;
}

/* One scenario's block of the diagnostics. */
static void e1_scenario(parley__buf *b, const parley__ctx *ctx, e1 *E, size_t k) {
  size_t n = E->n, ncomp = e1_kernel(E), ksize = 0, pairs = 0, cycles = 0;
  for (size_t v = 0; v < n; v++) ksize += E->kern[v], pairs += (size_t)E->out[v];
  for (size_t c = 0; c < ncomp; c++) cycles += E->head[c + 1] - E->head[c] > 1;
  parley__json_str(b, ctx->model->scen[k].id);
  parley__buf_puts(b, ":{\"kernel\":[");
  for (size_t v = 0, listed = 0; v < n && listed < EL_DIAG_LIST; v++) {
    if (!E->kern[v]) continue;
    if (listed++) parley__buf_puts(b, ",");
    parley__json_str(b, strat_id(ctx, v));
  }
  parley__buf_printf(b, "],\"kernel_size\":%zu,\"outranking_pairs\":%zu,\"cycles\":[", ksize,
                     pairs);
  /* Circuits in the order of their first member in the model. */
  size_t listed = 0;
  for (size_t v = 0; v < n && listed < EL_DIAG_LIST; v++) {
    uint32_t c = E->comp[v], h = E->head[c], size = E->head[c + 1] - h;
    if (size < 2 || E->member[h] != v) continue;
    parley__buf_puts(b, listed ? ",[" : "[");
    for (uint32_t i = 0; i < size && listed < EL_DIAG_LIST; i++, listed++) {
      if (i) parley__buf_puts(b, ",");
      parley__json_str(b, strat_id(ctx, E->member[h + i]));
    }
    parley__buf_puts(b, "]");
  }
  parley__buf_printf(b, "],\"cycle_count\":%zu", cycles);
  if (E->cm) {
    matrix_map(b, ctx, "concordance", E->cm, n);
    matrix_map(b, ctx, "discordance", E->dm, n);
    parley__buf_puts(b, ",\"outranks\":{");
    for (size_t a = 0; a < n; a++) {
      if (a) parley__buf_puts(b, ",");
      parley__json_str(b, strat_id(ctx, a));
      parley__buf_puts(b, ":[");
      bool first = true;
      for (size_t c = 0; c < n; c++) {
        if (!(E->rel[a * E->words + c / 64] >> (c % 64) & 1)) continue;
        if (!first) parley__buf_puts(b, ",");
        first = false;
        parley__json_str(b, strat_id(ctx, c));
      }
      parley__buf_puts(b, "]");
    }
    parley__buf_puts(b, "}");
  }
  parley__buf_puts(b, "}");
}

int parley__a_electre1(parley__ctx *ctx, double *u) {
  const char *name = stage_name(ctx, "electre1");
  double cth = param(ctx, "concordance", 0.7), dth = param(ctx, "discordance", 0.3);
  if (!(cth >= 0 && cth <= 1) || !(dth >= 0 && dth <= 1))
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation %s: concordance=%g and discordance=%g must lie in [0, 1]",
                       name, cth, dth);
  size_t n = ctx->ns, nk = ctx->nk, nc = ctx->nc;
  if (n * nk == 0) return PARLEY_OK;
  if (n >= UINT32_MAX)
    return parley__err(ctx->engine, PARLEY_EINVALID, "aggregation %s: %zu strategies is more "
                       "than ELECTRE can compare pairwise", name, n);
  bool diag = !ctx->no_diagnostics && ctx->model;
  e1 E;
  int rc = e1_new(ctx->engine, &E, n, nc, diag);
  if (rc != PARLEY_OK) return rc;
  /* Each criterion's range over its whole slab, so that the discordance
   * threshold means the same under every scenario. */
  for (size_t c = 0; c < nc; c++) {
    const double *x = ctx->cube + c * nk * n;
    double lo = x[0], hi = x[0];
    for (size_t i = 1; i < nk * n; i++) {
      lo = x[i] < lo ? x[i] : lo;
      hi = x[i] > hi ? x[i] : hi;
    }
    E.range[c] = hi - lo;
  }
  parley__buf b;
  parley__buf_init(&b, ctx->engine);
  if (diag) {
    parley__buf_puts(&b, "{\"concordance\":");
    parley__json_num(&b, cth);
    parley__buf_puts(&b, ",\"discordance\":");
    parley__json_num(&b, dth);
    parley__buf_puts(&b, ",\"scenarios\":{");
  }
  for (size_t k = 0; k < nk; k++) {
    e1_relation(ctx, &E, k, cth, dth);
    for (size_t s = 0; s < n; s++) u[k * n + s] = (double)(E.out[s] - E.in[s]);
    if (diag && k < EL_DIAG_SCENARIOS) {
      if (k) parley__buf_puts(&b, ",");
      e1_scenario(&b, ctx, &E, k);
    }
  }
  e1_free(ctx->engine, &E);
  if (!diag) return PARLEY_OK;
  parley__buf_puts(&b, "}");
  if (nk > EL_DIAG_SCENARIOS)
    parley__buf_printf(&b, ",\"scenarios_omitted\":%zu", nk - EL_DIAG_SCENARIOS);
  parley__buf_puts(&b, "}");
  return parley__diag_set(ctx, &b);
}

/* ==== ELECTRE III: the credibility matrix ============================================ */

/* One criterion's pseudo-criterion: indifference q, preference p, veto v
 * (has_v false: none), in the criterion's units. */
typedef struct thr {
  double q, p, v;
  bool has_v;
} thr;

static int bad(parley__ctx *ctx, const char *fmt, ...) PARLEY__PRINTF(2, 3);
static int bad(parley__ctx *ctx, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return parley__err(ctx->engine, PARLEY_EINVALID, "aggregation %s: %s",
                     stage_name(ctx, "electre3"), msg);
}

/* One criterion's {"q": .., "p": .., "v": ..}: q defaults to 0, p to q, and
 * without v there is no veto. */
static int parse_thr(parley__ctx *ctx, const cJSON *o, thr *t) {
  const char *id = o->string;
  if (!cJSON_IsObject(o))
    return bad(ctx, "thresholds.%s: expected an object such as {\"q\": 1, \"p\": 3, \"v\": 8}",
               id);
  bool given[3] = {false, false, false};
  double val[3] = {0, 0, 0};
  const cJSON *m;
  cJSON_ArrayForEach(m, o) {
    const char *key = m->string;
    int which = strcmp(key, "q") == 0 ? 0 : strcmp(key, "p") == 0 ? 1 : strcmp(key, "v") == 0
                ? 2 : -1;
    if (which < 0)
      return bad(ctx, "thresholds.%s: unknown threshold '%s' (expected q, p or v)", id, key);
    if (given[which]) return bad(ctx, "thresholds.%s: '%s' given twice", id, key);
    if (!cJSON_IsNumber(m) || !isfinite(m->valuedouble) || m->valuedouble < 0)
      return bad(ctx, "thresholds.%s: '%s' must be a finite number >= 0", id, key);
    given[which] = true;
    val[which] = m->valuedouble;
  }
  t->q = val[0];
  t->p = given[1] ? val[1] : t->q;
  t->has_v = given[2];
  t->v = val[2];
  if (!(t->q <= t->p))
    return bad(ctx, "thresholds.%s: needs q <= p (q = %g, p = %g)", id, t->q, t->p);
  if (t->has_v && !(t->p <= t->v))
    return bad(ctx, "thresholds.%s: needs p <= v (p = %g, v = %g)", id, t->p, t->v);
  return PARLEY_OK;
}

static int thr_each(parley__ctx *ctx, const cJSON *o, size_t c, void *T) {
  return parse_thr(ctx, o, &((thr *)T)[c]);
}

/* T[nc] from the "thresholds" parameter; criteria it does not name are true
 * criteria (q = p = 0) without veto. */
static int parse_thresholds(parley__ctx *ctx, thr *T) {
  size_t nc = ctx->nc;
  for (size_t c = 0; c < nc; c++) T[c] = (thr){0, 0, 0, false};
  static const char shape[] = "{\"<criterion id>\": {\"q\": 1, \"p\": 3, \"v\": 8}, ...}";
  return parley__crit_params(ctx, "thresholds", stage_name(ctx, "electre3"), shape, thr_each, T);
}

/* The credibility matrix, in doubles or (past ELEC3_DOUBLE_MAX strategies)
 * floats: every step of the distillation reads the stored values, so both
 * decide on the same numbers. */
typedef struct cred {
  double *d;
  float *f;
  size_t n;
} cred;

static inline double S_at(const cred *M, size_t a, size_t b) {
  size_t i = a * M->n + b;
  return M->d ? M->d[i] : (double)M->f[i];
}

/* The per-pair terms of e3_row, four strategies at a time as in e1_crit
 * (see there), with clamps (min and max patterns) instead of the formulas'
 * case analysis.  They are exact at the ends: rounding is monotone, so d <=
 * q gives (p - d) / (p - q) >= 1 and the clamp returns exactly 1, d >= p
 * gives a ratio <= 0 and exactly 0; likewise for the veto's d <= p and d >=
 * v.  d is the amount by which b beats a. */
static inline double clamp01(double v) {
  v = v < 1 ? v : 1;
  return v > 0 ? v : 0;
}

/* A pseudo-criterion (p > q): c_j = (p - d) / (p - q) clamped; C gets the
 * weight for, A the weight against. */
KERNEL e3_ramp(const double *restrict x, size_t n, double xa, double sign, double w,
                    double p, double pq, double *restrict C, double *restrict A) {
  size_t b = 0;
  for (; b + LANES <= n; b += LANES) {
    double cj[LANES];
    for (int i = 0; i < LANES; i++) cj[i] = clamp01((p - sign * (x[b + i] - xa)) / pq);
    for (int i = 0; i < LANES; i++) {
      C[b + i] += w * cj[i];
      A[b + i] += w - w * cj[i];
    }
  }
  for (; b < n; b++) {
    double cj = clamp01((p - sign * (x[b] - xa)) / pq);
    C[b] += w * cj;
    A[b] += w - w * cj;
  }
}

/* A criterion with q = p: c_j = 1 if d <= q, else 0. */
KERNEL e3_step(const double *restrict x, size_t n, double xa, double sign, double w,
                    double q, double *restrict C, double *restrict A) {
  size_t b = 0;
  for (; b + LANES <= n; b += LANES) {
    double f[LANES];
    for (int i = 0; i < LANES; i++) f[i] = sign * (x[b + i] - xa) <= q ? w : 0;
    for (int i = 0; i < LANES; i++) {
      C[b + i] += f[i];
      A[b + i] += w - f[i];
    }
  }
  for (; b < n; b++) {
    double f = sign * (x[b] - xa) <= q ? w : 0;
    C[b] += f;
    A[b] += w - f;
  }
}

/* A veto (v > p): d_j = (d - p) / (v - p) clamped; S is multiplied by
 * (1 - d_j) / (1 - C) when d_j > C, which is exactly when that ratio is
 * below 1: so the factor is the ratio clamped at 1 (1 too when C = 1, where
 * the ratio is +inf or NaN and no d_j can exceed C). */
KERNEL e3_veto(const double *restrict x, size_t n, double xa, double sign, double p,
                    double vp, const double *restrict C, double *restrict S) {
  size_t b = 0;
  for (; b + LANES <= n; b += LANES) {
    double dj[LANES], f[LANES];
    for (int i = 0; i < LANES; i++) dj[i] = clamp01((sign * (x[b + i] - xa) - p) / vp);
    for (int i = 0; i < LANES; i++) {
      double g = (1 - dj[i]) / (1 - C[b + i]);
      f[i] = g < 1 ? g : 1;
    }
    for (int i = 0; i < LANES; i++) S[b + i] *= f[i];
  }
  for (; b < n; b++) {
    double dj = clamp01((sign * (x[b] - xa) - p) / vp), f = (1 - dj) / (1 - C[b]);
    S[b] *= f < 1 ? f : 1;
  }
}

/* Row a of scenario k into S[n] (C[n] and A[n] scratch):
 *   c_j(a, b) = 1 if d <= q, 0 if d >= p, (p - d) / (p - q) between,
 *   C(a, b) = sum_j w_j c_j(a, b),
 *   d_j(a, b) = 0 if d <= p, 1 if d >= v, (d - p) / (v - p) between,
 *   S(a, b) = C(a, b) prod_{j: d_j > C} (1 - d_j) / (1 - C),
 * d the amount by which b beats a on criterion j.  A pair with nothing
 * against it has C = 1 exactly, whatever the rounding of the weights' sum:
 * the largest credibility, where a distillation starts. */
static void e3_row(const parley__ctx *ctx, const thr *T, size_t k, size_t a, double *restrict C,
                   double *restrict A, double *restrict S) {
  size_t n = ctx->ns, nk = ctx->nk;
  for (size_t b = 0; b < n; b++) C[b] = A[b] = 0;
  for (size_t c = 0; c < ctx->nc; c++) {
    double w = ctx->w[c], q = T[c].q, p = T[c].p;
    if (!(w > 0)) continue;
    const double *x = ctx->cube + (c * nk + k) * n;
    double xa = x[a], sign = parley__crit_dir(ctx, c) > 0 ? 1 : -1, pq = p - q;
    if (p > q) e3_ramp(x, n, xa, sign, w, p, pq, C, A);
    else e3_step(x, n, xa, sign, w, q, C, A);
  }
  for (size_t b = 0; b < n; b++) {
    C[b] = A[b] == 0 ? 1 : C[b] < 1 ? C[b] : 1;
    S[b] = C[b];
  }
  for (size_t c = 0; c < ctx->nc; c++) {
    if (!(ctx->w[c] > 0) || !T[c].has_v) continue;
    const double *x = ctx->cube + (c * nk + k) * n;
    double xa = x[a], sign = parley__crit_dir(ctx, c) > 0 ? 1 : -1, p = T[c].p, vp = T[c].v - p;
    if (!(vp > 0)) {
      /* v = p: the veto is a step, d_j = 1 as soon as d > p. */
      for (size_t b = 0; b < n; b++)
        if (sign * (x[b] - xa) > p && C[b] < 1) S[b] = 0;
      continue;
    }
    e3_veto(x, n, xa, sign, p, vp, C, S);
  }
  /* The diagonal is no pair: -1, below every credibility, lets the
   * distillation's row scans skip it without a test. */
  S[a] = -1;
}

/* ==== ELECTRE III: distillation =========================================================
 * Descending (the best first) and ascending (the worst first) distillation
 * of Roy & Bouyssou (1993), as Figueira et al. (2005) state it, with the
 * discrimination threshold s(l) = alpha l + beta.  Among the strategies R
 * left, with l0 the largest S(a, b) over R and l1 the largest S(a, b) below
 * l0 - s(l0) (0 when there is none),
 *   a S1 b  <=>  S(a, b) > l1  and  S(a, b) - S(b, a) > s(S(a, b)),
 * and a's qualification is how many b in R it S1-outranks minus how many
 * S1-outrank it.  D1, the strategies of best (descending: largest;
 * ascending: smallest) qualification, is the next class when it has one
 * member or l1 = 0; otherwise the same is done within D1, with l1 in place
 * of l0, and so on.
 *
 * For pairs of R, S(a, b) > l1 exactly when S(a, b) >= l0 - s(l0) (no
 * value of R lies in between), so the relation S1 restricted to what is
 * left does not change while l0 does not: a removal only subtracts its
 * class's pairs from the counts.  l0 stays while a pair at l0 is left (the
 * pairs are kept as bits and counted down); only when l0 falls is
 * everything recounted.  l1 itself, needed to go on within D1, is tracked
 * through each row's largest value below l0 - s(l0) and where it lies. */
typedef struct dist {
  parley_engine *e;
  cred M;
  double alpha, beta;
  size_t n, words;
  uint64_t *rel, *relT;   /* [n * words]: S1 and its transpose */
  uint64_t *alive;        /* [words] */
  int32_t *out, *in;      /* [n]: S1 out- and in-degree within R */
  uint64_t *top, *topT;   /* [n * words]: the pairs with S(a, b) = l0, and transposed */
  size_t ntop;            /* how many are left in R */
  double *rowcut;         /* [n]: max S(a, .) over R below l0 - s(l0), -1: none */
  uint32_t *argcut;       /* [n]: where (UINT32_MAX: nowhere) */
  uint32_t *list, *set, *set2; /* [n]: R in model order; the inner sets */
  int32_t *q;             /* [n]: inner qualifications */
  uint8_t *gone;          /* [n]: in the class being removed */
} dist;

#define NONE UINT32_MAX

static inline double sfun(const dist *D, double l) { return D->alpha * l + D->beta; }

/* a S1 b with cut l1: sab = S(a, b), sba = S(b, a). */
static inline bool outranks(const dist *D, double sab, double sba, double cut) {
  return sab > cut && sab - sba > sfun(D, sab);
}

static void dist_free(dist *D) {
  void *p[] = {D->rel, D->relT, D->top, D->topT, D->alive, D->out, D->in, D->rowcut,
               D->argcut, D->list, D->set, D->set2, D->q, D->gone};
  for (size_t i = 0; i < sizeof p / sizeof *p; i++) parley__free(D->e, p[i]);
}

static int dist_new(parley_engine *e, dist *D, size_t n, double alpha, double beta) {
  memset(D, 0, sizeof *D);
  D->e = e;
  D->n = n;
  D->alpha = alpha;
  D->beta = beta;
  D->words = (n + 63) / 64;
  size_t bits = parley__mul(parley__mul(n, D->words), sizeof *D->rel);
  D->rel = parley__malloc(e, bits);
  D->relT = parley__malloc(e, bits);
  D->alive = parley__malloc(e, parley__mul(D->words, sizeof *D->alive));
  D->out = parley__malloc(e, parley__mul(n, sizeof *D->out));
  D->in = parley__malloc(e, parley__mul(n, sizeof *D->in));
  D->top = parley__malloc(e, bits);
  D->topT = parley__malloc(e, bits);
  D->rowcut = parley__malloc(e, parley__mul(n, sizeof *D->rowcut));
  D->argcut = parley__malloc(e, parley__mul(n, sizeof *D->argcut));
  D->list = parley__malloc(e, parley__mul(n, sizeof *D->list));
  D->set = parley__malloc(e, parley__mul(n, sizeof *D->set));
  D->set2 = parley__malloc(e, parley__mul(n, sizeof *D->set2));
  D->q = parley__malloc(e, parley__mul(n, sizeof *D->q));
  D->gone = parley__calloc(e, n, sizeof *D->gone);
  if (D->rel && D->relT && D->top && D->topT && D->alive && D->out && D->in && D->rowcut &&
      D->argcut && D->list && D->set && D->set2 && D->q && D->gone)
    return PARLEY_OK;
  dist_free(D);
  return PARLEY_ENOMEM;
}

/* Row a's largest S(a, b) over R (b != a) below `below` (INFINITY: any),
 * -1 when there is none, and in *arg where it is.  The value is found first,
 * without a branch on the data (a test against `below` that random data
 * would mispredict half the time): v * keep - (1 - keep) is v or -1 exactly.
 * It goes by blocks, so that a block reaching `stop` (a value known to be
 * the largest possible) ends the search.  The diagonal holds -1 (see
 * e3_row), so it never counts. */
static double row_max(const dist *D, size_t r, uint32_t a, double below, double stop,
                      uint32_t *arg) {
  double best = -1;
  size_t i = 0;
  while (i < r) {
    size_t e = i + 256 < r ? i + 256 : r;
    for (; i < e; i++) {
      double v = S_at(&D->M, a, D->list[i]), keep = (double)(v < below),
             c = v * keep - (1 - keep);
      best = c > best ? c : best;
    }
    if (best == stop) break;
  }
  *arg = NONE;
  for (size_t j = 0; best >= 0 && j < i; j++)
    if (S_at(&D->M, a, D->list[j]) == best) {
      *arg = D->list[j];
      break;
    }
  return best;
}

/* Everything for R = list[0 .. r): l0 and its pairs, t = l0 - s(l0), the
 * cut l1 (into *cut) and S1 with its degrees. */
static void dist_recount(dist *D, size_t r, double *t, double *cut) {
  size_t W = D->words;
  double l0 = -1;
  for (size_t i = 0; i < r; i++) {
    uint32_t where;
    double v = row_max(D, r, D->list[i], INFINITY, INFINITY, &where);
    l0 = v > l0 ? v : l0;
  }
  *t = l0 - sfun(D, l0);
  double l1 = 0;
  for (size_t i = 0; i < r; i++) {
    uint32_t a = D->list[i];
    D->rowcut[a] = row_max(D, r, a, *t, INFINITY, &D->argcut[a]);
    l1 = D->rowcut[a] > l1 ? D->rowcut[a] : l1;
  }
  *cut = l1;
  for (size_t i = 0; i < r; i++) {
    size_t a = D->list[i];
    memset(D->rel + a * W, 0, W * sizeof *D->rel);
    memset(D->relT + a * W, 0, W * sizeof *D->relT);
    memset(D->top + a * W, 0, W * sizeof *D->top);
    memset(D->topT + a * W, 0, W * sizeof *D->topT);
  }
  D->ntop = 0;
  /* Pairs in tiles, so that S(a, b) and S(b, a) both come from the cache. */
  const size_t tile = 64;
  for (size_t i0 = 0; i0 < r; i0 += tile) {
    size_t i1 = i0 + tile < r ? i0 + tile : r;
    for (size_t j0 = i0; j0 < r; j0 += tile) {
      size_t j1 = j0 + tile < r ? j0 + tile : r;
      for (size_t i = i0; i < i1; i++) {
        uint32_t a = D->list[i];
        for (size_t j = j0 > i + 1 ? j0 : i + 1; j < j1; j++) {
          uint32_t b = D->list[j];
          double sab = S_at(&D->M, a, b), sba = S_at(&D->M, b, a);
          uint64_t ba = UINT64_C(1) << (b % 64), aa = UINT64_C(1) << (a % 64);
          if (outranks(D, sab, sba, l1)) {
            D->rel[(size_t)a * W + b / 64] |= ba;
            D->relT[(size_t)b * W + a / 64] |= aa;
          }
          if (outranks(D, sba, sab, l1)) {
            D->rel[(size_t)b * W + a / 64] |= aa;
            D->relT[(size_t)a * W + b / 64] |= ba;
          }
          if (sab == l0) {
            D->top[(size_t)a * W + b / 64] |= ba;
            D->topT[(size_t)b * W + a / 64] |= aa;
            D->ntop++;
          }
          if (sba == l0) {
            D->top[(size_t)b * W + a / 64] |= aa;
            D->topT[(size_t)a * W + b / 64] |= ba;
            D->ntop++;
          }
        }
      }
    }
  }
  for (size_t i = 0; i < r; i++) {
    uint32_t a = D->list[i];
    int32_t o = 0, in = 0;
    for (size_t j = 0; j < W; j++) {
      o += (int32_t)popcount64(D->rel[(size_t)a * W + j] & D->alive[j]);
      in += (int32_t)popcount64(D->relT[(size_t)a * W + j] & D->alive[j]);
    }
    D->out[a] = o;
    D->in[a] = in;
  }
}

/* Within set[0 .. m), from the level l > 0: the class the distillation
 * settles on, left in set[0 .. return). */
static size_t dist_inner(dist *D, size_t m, double l, bool ascending) {
  uint32_t *set = D->set, *next = D->set2;
  for (;;) {
    double t = l - sfun(D, l), l1 = 0;
    for (size_t i = 0; i < m; i++)
      for (size_t j = 0; j < m; j++) {
        if (i == j) continue;
        double v = S_at(&D->M, set[i], set[j]);
        if (v < t && v > l1) l1 = v;
      }
    for (size_t i = 0; i < m; i++) D->q[i] = 0;
    for (size_t i = 0; i < m; i++)
      for (size_t j = i + 1; j < m; j++) {
        double sab = S_at(&D->M, set[i], set[j]), sba = S_at(&D->M, set[j], set[i]);
        if (outranks(D, sab, sba, l1)) D->q[i]++, D->q[j]--;
        if (outranks(D, sba, sab, l1)) D->q[j]++, D->q[i]--;
      }
    int32_t best = D->q[0];
    for (size_t i = 1; i < m; i++)
      best = ascending ? (D->q[i] < best ? D->q[i] : best) : (D->q[i] > best ? D->q[i] : best);
    size_t m2 = 0;
    for (size_t i = 0; i < m; i++)
      if (D->q[i] == best) next[m2++] = set[i];
    memcpy(set, next, m2 * sizeof *set);
    if (m2 == 1 || l1 == 0) return m2;
    m = m2;
    l = l1;
  }
}

/* One distillation of the matrix D->M: cls[a] = the order in which a's class
 * was taken out (1 first).  Returns the number of classes. */
static int dist_run(dist *D, bool ascending, int *cls) {
  size_t n = D->n, W = D->words, r = n;
  for (size_t i = 0; i < n; i++) D->list[i] = (uint32_t)i;
  memset(D->alive, 0, W * sizeof *D->alive);
  for (size_t i = 0; i < n; i++) D->alive[i / 64] |= UINT64_C(1) << (i % 64);
  bool valid = false;
  double t = 0, cut = 0;
  int nclass = 0;
  while (r > 0) {
    size_t m;
    if (r == 1) {
      D->set[0] = D->list[0];
      m = 1;
    } else {
      if (!valid) {
        dist_recount(D, r, &t, &cut);
        valid = true;
      }
      int32_t best = 0;
      for (size_t i = 0; i < r; i++) {
        uint32_t a = D->list[i];
        int32_t qa = D->out[a] - D->in[a];
        if (i == 0 || (ascending ? qa < best : qa > best)) best = qa;
      }
      m = 0;
      for (size_t i = 0; i < r; i++) {
        uint32_t a = D->list[i];
        if (D->out[a] - D->in[a] == best) D->set[m++] = a;
      }
      if (m > 1 && cut > 0) m = dist_inner(D, m, cut, ascending);
    }
    /* Take the class out of R, one strategy at a time: each takes its pairs
     * with what is still there (the rest of the class included, for the
     * count of pairs at l0; the degrees of the class itself no longer
     * matter). */
    nclass++;
    for (size_t i = 0; i < m; i++) {
      size_t x = D->set[i];
      cls[x] = nclass;
      D->gone[x] = 1;
      D->alive[x / 64] &= ~(UINT64_C(1) << (x % 64));
      if (!valid) continue;
      const uint64_t *row = D->rel + x * W, *col = D->relT + x * W;
      const uint64_t *trow = D->top + x * W, *tcol = D->topT + x * W;
      for (size_t j = 0; j < W; j++) {
        for (uint64_t bitsv = col[j] & D->alive[j]; bitsv; bitsv &= bitsv - 1)
          D->out[j * 64 + ctz64(bitsv)]--;
        for (uint64_t bitsv = row[j] & D->alive[j]; bitsv; bitsv &= bitsv - 1)
          D->in[j * 64 + ctz64(bitsv)]--;
        D->ntop -= popcount64(trow[j] & D->alive[j]) + popcount64(tcol[j] & D->alive[j]);
      }
    }
    size_t r2 = 0;
    for (size_t i = 0; i < r; i++)
      if (!D->gone[D->list[i]]) D->list[r2++] = D->list[i];
    r = r2;
    if (valid) {
      if (r >= 2 && D->ntop == 0) {
        valid = false; /* l0 fell */
      } else if (r >= 2) {
        double c = 0;
        for (size_t i = 0; i < r; i++) {
          uint32_t a = D->list[i];
          if (D->argcut[a] != NONE && D->gone[D->argcut[a]])
            D->rowcut[a] = row_max(D, r, a, t, D->rowcut[a], &D->argcut[a]);
          c = D->rowcut[a] > c ? D->rowcut[a] : c;
        }
        cut = c;
      }
    }
    for (size_t i = 0; i < m; i++) D->gone[D->set[i]] = 0;
  }
  return nclass;
}

int parley__electre_distill(parley_engine *e, const double *S, size_t n, double alpha,
                            double beta, bool ascending, int *cls) {
  if (n == 0) return PARLEY_OK;
  dist D;
  int rc = dist_new(e, &D, n, alpha, beta);
  if (rc != PARLEY_OK) return rc;
  /* A copy with the diagonal the distillation expects (see e3_row). */
  double *M = parley__malloc(e, parley__mul(parley__mul(n, n), sizeof *M));
  if (!M) {
    dist_free(&D);
    return PARLEY_ENOMEM;
  }
  memcpy(M, S, n * n * sizeof *M);
  for (size_t a = 0; a < n; a++) M[a * n + a] = -1;
  D.M = (cred){M, NULL, n};
  int nclass = dist_run(&D, ascending, cls);
  if (ascending)
    for (size_t a = 0; a < n; a++) cls[a] = nclass + 1 - cls[a];
  parley__free(e, M);
  dist_free(&D);
  return PARLEY_OK;
}

/* ==== ELECTRE III: the final preorder =================================================== */

/* A strategy's places in the two preorders (1 = the best class of each). */
typedef struct place {
  uint32_t d, a, s;
} place;

static int cmp_place(const void *x, const void *y) {
  const place *p = x, *q = y;
  if (p->d != q->d) return p->d < q->d ? -1 : 1;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  return p->s < q->s ? -1 : p->s > q->s;
}

/* The final partial preorder is the intersection of the two: a is
 * preferred to b when it is placed at least as well in both and better in
 * one; indifferent when placed alike in both; otherwise incomparable.  Its
 * rank: level[s] = 1 + the longest chain of strategies each preferred to the
 * next that ends at s (1 for those nothing is preferred to), found in
 * O(n log n): in ascending (descending place, ascending place) order, a
 * Fenwick tree over the ascending places holds the largest level so far.
 * Returns the number of incomparable pairs, counted the same way. */
static size_t final_levels(place *P, size_t n, size_t nca, uint32_t *fen, double *level) {
  qsort(P, n, sizeof *P, cmp_place);
  memset(fen, 0, (nca + 1) * sizeof *fen);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && P[j].d == P[i].d && P[j].a == P[i].a) j++;
    uint32_t best = 0;
    for (size_t x = P[i].a; x > 0; x -= x & (~x + 1)) best = fen[x] > best ? fen[x] : best;
    for (size_t g = i; g < j; g++) level[P[g].s] = (double)best + 1;
    for (size_t x = P[i].a; x <= nca; x += x & (~x + 1))
      fen[x] = fen[x] > best + 1 ? fen[x] : best + 1;
    i = j;
  }
  /* Incomparable: placed better in one preorder and worse in the other. */
  memset(fen, 0, (nca + 1) * sizeof *fen);
  size_t count = 0, seen = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && P[j].d == P[i].d) j++;
    for (size_t g = i; g < j; g++) {
      size_t le = 0;
      for (size_t x = P[g].a; x > 0; x -= x & (~x + 1)) le += fen[x];
      count += seen - le; /* earlier in d, strictly later in a */
    }
    for (size_t g = i; g < j; g++)
      for (size_t x = P[g].a; x <= nca; x += x & (~x + 1)) fen[x]++;
    seen += j - i;
    i = j;
  }
  return count;
}

/* ,"name":[[ids of class 1],[class 2],...],"name_classes":N, model order
 * within a class.  One pass per class: a model this is shown for lists at
 * most EL_DIAG_LIST strategies in all. */
static void class_list(parley__buf *b, const parley__ctx *ctx, const char *name, const int *cls,
                       size_t n, int nclass) {
  parley__buf_printf(b, ",\"%s\":[", name);
  size_t listed = 0;
  for (int c = 1; c <= nclass && listed < EL_DIAG_LIST; c++) {
    parley__buf_puts(b, c > 1 ? ",[" : "[");
    bool first = true;
    for (size_t s = 0; s < n && listed < EL_DIAG_LIST; s++) {
      if (cls[s] != c) continue;
      if (!first) parley__buf_puts(b, ",");
      first = false;
      parley__json_str(b, strat_id(ctx, s));
      listed++;
    }
    parley__buf_puts(b, "]");
  }
  parley__buf_printf(b, "],\"%s_classes\":%d", name, nclass);
}

int parley__a_electre3(parley__ctx *ctx, double *u) {
  const char *name = stage_name(ctx, "electre3");
  double alpha = param(ctx, "alpha", -0.15), beta = param(ctx, "beta", 0.3);
  /* s must be positive on [0, 1]: each step of a distillation then lowers
   * its level, and the distillation ends. */
  if (!(beta > 0) || !(alpha + beta > 0) || !isfinite(alpha) || !isfinite(beta))
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation %s: the discrimination threshold s(l) = alpha l + beta must "
                       "be positive on [0, 1] (alpha = %g, beta = %g)", name, alpha, beta);
  size_t n = ctx->ns, nk = ctx->nk, nc = ctx->nc;
  thr *T = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *T));
  if (!T) return PARLEY_ENOMEM;
  int rc = parse_thresholds(ctx, T);
  if (rc != PARLEY_OK || n * nk == 0) {
    parley__free(ctx->engine, T);
    return rc;
  }
  if (n >= UINT32_MAX) {
    parley__free(ctx->engine, T);
    return parley__err(ctx->engine, PARLEY_EINVALID, "aggregation %s: %zu strategies is more "
                       "than ELECTRE can compare pairwise", name, n);
  }
  bool diag = !ctx->no_diagnostics && ctx->model;
  dist D;
  rc = dist_new(ctx->engine, &D, n, alpha, beta);
  if (rc != PARLEY_OK) {
    parley__free(ctx->engine, T);
    return rc;
  }
  bool dbl = n <= ELEC3_DOUBLE_MAX;
  size_t cells = parley__mul(n, n);
  double *Sd = dbl ? parley__malloc(ctx->engine, parley__mul(cells, sizeof *Sd)) : NULL;
  float *Sf = dbl ? NULL : parley__malloc(ctx->engine, parley__mul(cells, sizeof *Sf));
  double *C = parley__malloc(ctx->engine, parley__mul(n, 3 * sizeof *C));
  int *cd = parley__malloc(ctx->engine, parley__mul(n, 2 * sizeof *cd));
  place *P = parley__malloc(ctx->engine, parley__mul(n, sizeof *P));
  uint32_t *fen = parley__malloc(ctx->engine, parley__mul(n + 1, sizeof *fen));
  if ((!Sd && !Sf) || !C || !cd || !P || !fen) rc = PARLEY_ENOMEM;
  D.M = (cred){Sd, Sf, n};
  int *ca = cd + n;
  parley__buf b;
  parley__buf_init(&b, ctx->engine);
  if (diag) {
    parley__buf_puts(&b, "{\"alpha\":");
    parley__json_num(&b, alpha);
    parley__buf_puts(&b, ",\"beta\":");
    parley__json_num(&b, beta);
    parley__buf_puts(&b, ",\"scenarios\":{");
  }
  for (size_t k = 0; rc == PARLEY_OK && k < nk; k++) {
    double *row = C + 2 * n;
    for (size_t a = 0; a < n; a++) {
      e3_row(ctx, T, k, a, C, C + n, row);
      if (Sd) memcpy(Sd + a * n, row, n * sizeof *row);
      else
        for (size_t j = 0; j < n; j++) Sf[a * n + j] = (float)row[j];
    }
    int ndesc = dist_run(&D, false, cd), nasc = dist_run(&D, true, ca);
    for (size_t s = 0; s < n; s++) {
      ca[s] = nasc + 1 - ca[s];
      P[s] = (place){(uint32_t)cd[s], (uint32_t)ca[s], (uint32_t)s};
    }
    size_t incomparable = final_levels(P, n, (size_t)nasc, fen, u + k * n);
    if (!diag || k >= EL_DIAG_SCENARIOS) continue;
    if (k) parley__buf_puts(&b, ",");
    parley__json_str(&b, ctx->model->scen[k].id);
    parley__buf_printf(&b, ":{\"incomparable_count\":%zu", incomparable);
    class_list(&b, ctx, "descending", cd, n, ndesc);
    class_list(&b, ctx, "ascending", ca, n, nasc);
    if (n <= EL_DIAG_LIST && incomparable <= EL_DIAG_LIST) {
      parley__buf_puts(&b, ",\"incomparable\":[");
      bool first = true;
      for (size_t a = 0; a < n; a++)
        for (size_t c = a + 1; c < n; c++) {
          if (!((cd[a] < cd[c] && ca[a] > ca[c]) || (cd[a] > cd[c] && ca[a] < ca[c]))) continue;
          parley__buf_puts(&b, first ? "[" : ",[");
          parley__json_str(&b, strat_id(ctx, a));
          parley__buf_puts(&b, ",");
          parley__json_str(&b, strat_id(ctx, c));
          parley__buf_puts(&b, "]");
          first = false;
        }
      parley__buf_puts(&b, "]");
    }
    if (n <= EL_DIAG_MATRIX && Sd) matrix_map(&b, ctx, "credibility", Sd, n);
    parley__buf_puts(&b, "}");
  }
  dist_free(&D);
  parley__free(ctx->engine, Sd);
  parley__free(ctx->engine, Sf);
  parley__free(ctx->engine, C);
  parley__free(ctx->engine, cd);
  parley__free(ctx->engine, P);
  parley__free(ctx->engine, fen);
  parley__free(ctx->engine, T);
  if (rc != PARLEY_OK || !diag) {
    parley__buf_free(&b);
    return rc;
  }
  parley__buf_puts(&b, "}");
  if (nk > EL_DIAG_SCENARIOS)
    parley__buf_printf(&b, ",\"scenarios_omitted\":%zu", nk - EL_DIAG_SCENARIOS);
  parley__buf_puts(&b, "}");
  return parley__diag_set(ctx, &b);
}
