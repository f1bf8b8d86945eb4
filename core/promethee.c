/*
 * promethee.c — the PROMETHEE outranking aggregations (Brans & Vincke 1985;
 * Brans, Vincke & Mareschal 1986): promethee2, whose utility is the net
 * flow, and promethee1, the same utility with PROMETHEE I's partial
 * preorder (how many pairs it leaves incomparable, and which) in the
 * diagnostics.
 *
 * Each criterion has a preference function P turning the difference d of
 * two strategies' values (oriented: x_a - x_b on a benefit criterion,
 * x_b - x_a on a cost one) into a degree of preference in [0, 1].  Within
 * one scenario, over its n strategies,
 *   pi(a, b) = sum_c w_c P_c(d_c(a, b)),
 *   phi+(a) = sum_b pi(a, b) / (n - 1),   phi-(a) = sum_b pi(b, a) / (n - 1),
 * and the net flow is phi+(a) - phi-(a).  Strategies are only ever compared
 * under the same scenario.
 *
 * Comparing every pair costs n^2 per criterion and scenario: 10^12 for a
 * million strategies.  The sorted path needs one sort per criterion and
 * scenario instead.  In the values sorted ascending, the strategies b that a
 * is fully preferred to (d > p), those on the function's ramp or level
 * (q < d <= p) and those not preferred at all form three runs whose ends
 * only move forward as a moves up the sorted order; so a sweep with a few
 * pointers, and prefix sums for the ramp, gives every strategy's sums in
 * O(n) after the sort.  The pointers test the very floating-point
 * differences the pairwise path tests, so both paths put the same
 * strategies on each side of every threshold and differ only in the
 * rounding of sums.  The pairwise path stays, as the reference the tests
 * check the sorted one against (parameter exact_pairwise = 1).
 *
 * Formulas, the parameter's shape, degenerate cases and sources:
 * docs/methods.md.
 */
#include "internal.h"
#include "methods.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- preference functions -------------------------------------------------- */
typedef enum { PF_USUAL, PF_USHAPE, PF_VSHAPE, PF_LEVEL, PF_LINEAR, PF_GAUSSIAN, PF_KINDS } pf_kind;

/* Each function's name and the one-letter parameters it takes. */
static const struct {
  const char *name, *params;
} pf_info[PF_KINDS] = {{"usual", ""},     {"u-shape", "q"}, {"v-shape", "p"},
                       {"level", "qp"},   {"linear", "qp"}, {"gaussian", "s"}};

typedef struct pf {
  pf_kind kind;
  double q, p, s;
  double g;   /* gaussian: 1 / (2 s^2) */
  double cut; /* gaussian: beyond this d, P is exactly 1.0 in doubles */
} pf;

static inline double gauss(double d, double g) { return 1 - exp(-(d * d) * g); }

/* P(d) as Brans & Vincke define it, with the thresholds of Brans &
 * Mareschal (2005): q of indifference, p of strict preference. */
static double pf_value(const pf *f, double d) {
  switch (f->kind) {
  case PF_USUAL: return d > 0 ? 1 : 0;
  case PF_USHAPE: return d > f->q ? 1 : 0;
  case PF_VSHAPE: return d > f->p ? 1 : d > 0 ? d / f->p : 0;
  case PF_LEVEL: return d > f->p ? 1 : d > f->q ? 0.5 : 0;
  case PF_LINEAR: return d > f->p ? 1 : d > f->q ? (d - f->q) / (f->p - f->q) : 0;
  case PF_GAUSSIAN: return d > 0 ? gauss(d, f->g) : 0;
  default: return 0;
  }
}

static const char *stage_name(const parley__ctx *ctx) {
  return ctx->stage && ctx->stage->name ? ctx->stage->name : "promethee";
}

/* An error about the "functions" parameter, naming the stage. */
static int bad(parley__ctx *ctx, const char *fmt, ...) PARLEY__PRINTF(2, 3);
static int bad(parley__ctx *ctx, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return parley__err(ctx->engine, PARLEY_EINVALID, "aggregation %s: %s", stage_name(ctx), msg);
}

static const char kinds_list[] = "usual, u-shape, v-shape, level, linear, gaussian";

/* One criterion's function: {"type": NAME, "q": .., "p": .., "s": ..}. */
static int parse_one(parley__ctx *ctx, const cJSON *o, pf *f) {
  const char *id = o->string;
  if (!cJSON_IsObject(o))
    return bad(ctx, "functions.%s: expected an object such as {\"type\": \"linear\", \"q\": 1, "
               "\"p\": 3}", id);
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "type");
  if (!cJSON_IsString(t))
    return bad(ctx, "functions.%s: \"type\" must be given, one of %s", id, kinds_list);
  int kind = 0;
  while (kind < PF_KINDS && strcmp(pf_info[kind].name, t->valuestring) != 0) kind++;
  if (kind == PF_KINDS)
    return bad(ctx, "functions.%s: unknown type '%s' (expected one of %s)", id, t->valuestring,
               kinds_list);
  const char *takes = pf_info[kind].params;
  f->kind = (pf_kind)kind;
  bool given[3] = {false, false, false}; /* q, p, s */
  const cJSON *m;
  cJSON_ArrayForEach(m, o) {
    if (strcmp(m->string, "type") == 0) continue;
    const char *at = strlen(m->string) == 1 ? strchr(takes, m->string[0]) : NULL;
    if (!at) {
      static const char *const takes_text[PF_KINDS] = {
        "no parameter", "only 'q'", "only 'p'", "only 'q' and 'p'", "only 'q' and 'p'",
        "only 's'"};
      return bad(ctx, "functions.%s: a %s function takes %s, not '%s'", id, pf_info[kind].name,
                 takes_text[kind], m->string);
    }
    int which = m->string[0] == 'q' ? 0 : m->string[0] == 'p' ? 1 : 2;
    if (given[which]) return bad(ctx, "functions.%s: '%s' given twice", id, m->string);
    if (!cJSON_IsNumber(m) || !isfinite(m->valuedouble))
      return bad(ctx, "functions.%s: '%s' must be a finite number", id, m->string);
    given[which] = true;
    double v = m->valuedouble;
    if (which == 0) f->q = v;
    else if (which == 1) f->p = v;
    else f->s = v;
  }
  for (const char *k = takes; *k; k++)
    if (!given[*k == 'q' ? 0 : *k == 'p' ? 1 : 2])
      return bad(ctx, "functions.%s: a %s function needs '%c'", id, pf_info[kind].name, *k);
  switch (f->kind) {
  case PF_USHAPE:
    if (!(f->q >= 0)) return bad(ctx, "functions.%s: u-shape needs q >= 0", id);
    break;
  case PF_VSHAPE:
    if (!(f->p > 0)) return bad(ctx, "functions.%s: v-shape needs p > 0", id);
    break;
  case PF_LEVEL:
  case PF_LINEAR:
    if (!(f->q >= 0 && f->q < f->p))
      return bad(ctx, "functions.%s: %s needs 0 <= q < p (q = %g, p = %g)", id,
                 pf_info[kind].name, f->q, f->p);
    break;
  case PF_GAUSSIAN:
    f->g = 1 / (2 * f->s * f->s);
    if (!(f->s > 0) || !isfinite(f->g))
      return bad(ctx, "functions.%s: gaussian needs s > 0 (and not so small that 1 / (2 s^2) "
                 "overflows)", id);
    /* exp(-40) < 2^-54: past d^2 g = 40, 1 - exp(-d^2 g) rounds to 1.0. */
    f->cut = f->s * sqrt(80.0);
    break;
  default: break;
  }
  return PARLEY_OK;
}

static int function_each(parley__ctx *ctx, const cJSON *o, size_t c, void *f) {
  return parse_one(ctx, o, &((pf *)f)[c]);
}

/* Fills f[nc] from the "functions" parameter; criteria it does not name
 * use the usual criterion. */
static int parse_functions(parley__ctx *ctx, pf *f) {
  size_t nc = ctx->nc;
  for (size_t c = 0; c < nc; c++) f[c] = (pf){.kind = PF_USUAL};
  static const char shape[] = "{\"<criterion id>\": {\"type\": \"linear\", \"q\": 1, \"p\": 3}, "
                              "...}";
  return parley__crit_params(ctx, "functions", stage_name(ctx), shape, function_each, f);
}

/* ---- sorting ------------------------------------------------------------------ */
/* An LSD radix sort of 64-bit keys carrying 32-bit strategy indices (a
 * model has fewer than 2^32 strategies): six passes of 11 bits, a pass
 * skipped when every key has the same digit there.  A double's bits, sign
 * flipped and negatives complemented, sort as the doubles do. */
#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)
#define RADIX_PASSES 6

static inline uint64_t order_key(double v) {
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

static inline double key_value(uint64_t k) {
  uint64_t u = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
  double v;
  memcpy(&v, &u, sizeof v);
  return v;
}

/* A strategy's two sums from one criterion, on its way back to model order. */
typedef struct sums {
  double plus, minus;
  uint32_t s;
} sums;

/* Sums leave a sweep in sorted order and must be added at their
 * strategies' places: one random read-modify-write per strategy and
 * criterion, each a cache miss on a large model, would cost more than the
 * sort.  So they go first to the bucket of their strategy's index (a
 * bucket per 2^shift consecutive strategies, at most SCATTER_BUCKETS, each
 * filled by a cursor: a few hundred sequential streams), then from bucket
 * to bucket into acc, each bucket touching one small stretch of it. */
#define SCATTER_BUCKETS 256

typedef struct scratch {
  size_t n;           /* room for n strategies */
  uint64_t *key[2];   /* keys and the other buffer of the sort */
  uint32_t *ix[2];    /* strategy indices, likewise */
  double *z;          /* the sorted oriented values */
  double *hi, *lo;    /* [n + 1]: prefix sums of z - z0, as hi + lo */
  double z0;
  double *acc;        /* [2n]: sum_b P(a, b) and sum_b P(b, a) per strategy */
  uint32_t *hist;     /* [RADIX_PASSES * RADIX_SIZE] */
  sums *out;          /* [n]: one sweep's sums, by bucket */
  double *pair;       /* [2n]: the pairwise path's sums for one criterion */
  size_t cursor[SCATTER_BUCKETS];
  unsigned shift;     /* strategy s goes to bucket s >> shift */
} scratch;

static void scratch_free(parley_engine *e, scratch *S) {
  for (int i = 0; i < 2; i++) {
    parley__free(e, S->key[i]);
    parley__free(e, S->ix[i]);
  }
  parley__free(e, S->z);
  parley__free(e, S->hi);
  parley__free(e, S->lo);
  parley__free(e, S->acc);
  parley__free(e, S->hist);
  parley__free(e, S->out);
  parley__free(e, S->pair);
}

static int scratch_new(parley_engine *e, scratch *S, size_t n, bool sorted) {
  memset(S, 0, sizeof *S);
  S->n = n;
  S->acc = parley__malloc(e, parley__mul(n, 2 * sizeof *S->acc));
  bool ok = S->acc != NULL;
  if (sorted) {
    for (int i = 0; i < 2; i++) {
      S->key[i] = parley__malloc(e, parley__mul(n, sizeof *S->key[i]));
      S->ix[i] = parley__malloc(e, parley__mul(n, sizeof *S->ix[i]));
      ok = ok && S->key[i] && S->ix[i];
    }
    S->z = parley__malloc(e, parley__mul(n, sizeof *S->z));
    S->hi = parley__malloc(e, parley__mul(n + 1, sizeof *S->hi));
    S->lo = parley__malloc(e, parley__mul(n + 1, sizeof *S->lo));
    S->hist = parley__malloc(e, RADIX_PASSES * RADIX_SIZE * sizeof *S->hist);
    S->out = parley__malloc(e, parley__mul(n, sizeof *S->out));
    ok = ok && S->z && S->hi && S->lo && S->hist && S->out;
    while (n > 0 && ((n - 1) >> S->shift) >= SCATTER_BUCKETS) S->shift++;
  } else {
    S->pair = parley__malloc(e, parley__mul(n, 2 * sizeof *S->pair));
    ok = ok && S->pair;
  }
  if (ok) return PARLEY_OK;
  scratch_free(e, S);
  return PARLEY_ENOMEM;
}

/* Sorts the n keys of S->key[0] with their indices; S->z gets the values. */
static void sort_values(scratch *S, size_t n) {
  uint64_t *k = S->key[0], *k2 = S->key[1];
  uint32_t *ix = S->ix[0], *ix2 = S->ix[1];
  if (n <= 32) {
    for (size_t i = 1; i < n; i++) {
      uint64_t v = k[i];
      uint32_t x = ix[i];
      size_t j = i;
      for (; j > 0 && k[j - 1] > v; j--) k[j] = k[j - 1], ix[j] = ix[j - 1];
      k[j] = v, ix[j] = x;
    }
  } else {
    uint32_t *h = S->hist;
    memset(h, 0, RADIX_PASSES * RADIX_SIZE * sizeof *h);
    for (size_t i = 0; i < n; i++) {
      uint64_t v = k[i];
      for (unsigned p = 0; p < RADIX_PASSES; p++)
        h[p * RADIX_SIZE + ((v >> (p * RADIX_BITS)) & (RADIX_SIZE - 1))]++;
    }
    for (unsigned p = 0; p < RADIX_PASSES; p++) {
      uint32_t *hp = h + p * RADIX_SIZE;
      unsigned shift = p * RADIX_BITS;
      if (hp[(k[0] >> shift) & (RADIX_SIZE - 1)] == n) continue; /* one digit: nothing moves */
      uint32_t sum = 0;
      for (unsigned b = 0; b < RADIX_SIZE; b++) {
        uint32_t c = hp[b];
        hp[b] = sum;
        sum += c;
      }
      for (size_t i = 0; i < n; i++) {
        uint64_t v = k[i];
        uint32_t d = hp[(v >> shift) & (RADIX_SIZE - 1)]++;
        k2[d] = v;
        ix2[d] = ix[i];
      }
      uint64_t *tk = k;
      k = k2, k2 = tk;
      uint32_t *ti = ix;
      ix = ix2, ix2 = ti;
    }
  }
  /* Whichever buffer holds the result becomes the first. */
  S->key[0] = k, S->key[1] = k2;
  S->ix[0] = ix, S->ix[1] = ix2;
  for (size_t i = 0; i < n; i++) S->z[i] = key_value(k[i]);
}

/* Prefix sums of z - z0 in two doubles (Knuth's TwoSum keeps each
 * addition's rounding error in lo), so that a window's sum is accurate
 * however long the array before it: sum over [a, b) = (hi[b] - hi[a]) +
 * (lo[b] - lo[a]).  z0, the middle value, keeps the terms small. */
static void prefix_sums(scratch *S, size_t n) {
  double h = 0, l = 0, z0 = S->z[n / 2];
  S->z0 = z0;
  S->hi[0] = S->lo[0] = 0;
  for (size_t i = 0; i < n; i++) {
    double v = S->z[i] - z0, s = h + v, bv = s - h;
    l += (h - (s - bv)) + (v - bv);
    h = s;
    S->hi[i + 1] = h;
    S->lo[i + 1] = l;
  }
}

static inline double window(const scratch *S, size_t a, size_t b) {
  return (S->hi[b] - S->hi[a]) + (S->lo[b] - S->lo[a]);
}

/* ---- the sweeps ------------------------------------------------------------------
 * Over the sorted values z (ascending) with t = z[i] the current strategy:
 *   plus:  b < A(th) exactly when t - z[b] > th   (A counts a prefix),
 *   minus: b >= B(th) exactly when z[b] - t > th  (B starts a suffix),
 * and both A and B only grow with i.  Each emits the strategy's two sums
 * (unweighted) for scatter_end to add at its model index. */
static inline void emit(scratch *S, size_t i, double plus, double minus) {
  uint32_t s = S->ix[0][i];
  sums *o = &S->out[S->cursor[s >> S->shift]++];
  o->plus = plus;
  o->minus = minus;
  o->s = s;
}

/* Before a sweep: bucket b starts where its strategies' indices start,
 * since the sorted indices are exactly 0 .. n-1. */
static void scatter_begin(scratch *S, size_t n) {
  for (size_t b = 0; b < SCATTER_BUCKETS; b++) S->cursor[b] = b << S->shift < n ? b << S->shift : n;
}

/* After it: bucket by bucket into acc, weighted. */
static void scatter_end(scratch *S, size_t n, double w) {
  double *acc = S->acc;
  for (size_t i = 0; i < n; i++) {
    const sums *o = &S->out[i];
    acc[2 * (size_t)o->s] += w * o->plus;
    acc[2 * (size_t)o->s + 1] += w * o->minus;
  }
}

/* The pointers move by a few places per strategy, by how many depends on
 * the data: a loop testing one place at a time mispredicts its exit about
 * every other strategy.  These test four places at once and add up the
 * results, which a prefix predicate makes the advance (fewer than four:
 * done), branching only on that. */
static inline size_t advance_a(const double *z, size_t n, size_t a, double t, double th) {
  while (a + 4 <= n) {
    size_t c = (size_t)(t - z[a] > th) + (size_t)(t - z[a + 1] > th) +
               (size_t)(t - z[a + 2] > th) + (size_t)(t - z[a + 3] > th);
    a += c;
    if (c < 4) return a;
  }
  while (a < n && t - z[a] > th) a++;
  return a;
}

static inline size_t advance_b(const double *z, size_t n, size_t b, double t, double th) {
  while (b + 4 <= n) {
    size_t c = (size_t)!(z[b] - t > th) + (size_t)!(z[b + 1] - t > th) +
               (size_t)!(z[b + 2] - t > th) + (size_t)!(z[b + 3] - t > th);
    b += c;
    if (c < 4) return b;
  }
  while (b < n && !(z[b] - t > th)) b++;
  return b;
}

/* The end of the run of values equal to z[i]: its strategies all have the
 * same sums, found once.  Real data are full of such ties (scores,
 * rounded measurements). */
static inline size_t run_end(const double *z, size_t n, size_t i) {
  size_t e = i + 1;
  while (e < n && z[e] == z[i]) e++;
  return e;
}

static inline void emit_run(scratch *S, size_t i, size_t e, double plus, double minus) {
  for (; i < e; i++) emit(S, i, plus, minus);
}

/* usual: P = 1 for d > 0.  Of two finite doubles t - z > 0 exactly when
 * t > z, so the strategies below are those before the run, and those above
 * after it: no pointer at all. */
static void sweep_usual(scratch *S, size_t n) {
  for (size_t i = 0, e; i < n; i = e) {
    e = run_end(S->z, n, i);
    emit_run(S, i, e, (double)i, (double)(n - e));
  }
}

/* u-shape: P = 1 past q. */
static void sweep_ushape(scratch *S, size_t n, double q) {
  const double *z = S->z;
  size_t a = 0, b = 0;
  for (size_t i = 0, e; i < n; i = e) {
    double t = z[i];
    e = run_end(z, n, i);
    a = advance_a(z, n, a, t, q);
    b = advance_b(z, n, b, t, q);
    emit_run(S, i, e, (double)a, (double)(n - b));
  }
}

/* level: 1/2 on (q, p], 1 past p. */
static void sweep_level(scratch *S, size_t n, double q, double p) {
  const double *z = S->z;
  size_t aq = 0, ap = 0, bq = 0, bp = 0;
  for (size_t i = 0, e; i < n; i = e) {
    double t = z[i];
    e = run_end(z, n, i);
    aq = advance_a(z, n, aq, t, q);
    ap = advance_a(z, n, ap, t, p);
    bq = advance_b(z, n, bq, t, q);
    bp = advance_b(z, n, bp, t, p);
    double plus = (double)ap + 0.5 * (double)(aq - ap);
    double minus = (double)(n - bp) + 0.5 * (double)(bp - bq);
    emit_run(S, i, e, plus, minus);
  }
}

/* linear and v-shape (q = 0): (d - q) / (p - q) on (q, p], 1 past p.  The
 * ramp's strategies b form a window whose sum of (t - z[b] - q) is
 * cnt (t - q) - sum z[b], from the prefix sums. */
static void sweep_ramp(scratch *S, size_t n, double q, double p) {
  const double *z = S->z;
  double inv = 1 / (p - q), z0 = S->z0;
  size_t aq = 0, ap = 0, bq = 0, bp = 0;
  for (size_t i = 0, e; i < n; i = e) {
    double t = z[i];
    e = run_end(z, n, i);
    aq = advance_a(z, n, aq, t, q);
    ap = advance_a(z, n, ap, t, p);
    bq = advance_b(z, n, bq, t, q);
    bp = advance_b(z, n, bp, t, p);
    double plus = (double)ap, minus = (double)(n - bp);
    if (aq > ap) plus += ((double)(aq - ap) * ((t - q) - z0) - window(S, ap, aq)) * inv;
    if (bp > bq) minus += (window(S, bq, bp) - (double)(bp - bq) * ((t + q) - z0)) * inv;
    emit_run(S, i, e, plus, minus);
  }
}

/* gaussian: 1 - exp(-d^2 / 2s^2) for d > 0.  It has no closed-form sum, so
 * the strategies within f->cut are compared one by one; beyond it P is
 * exactly 1.0 and they are counted.  The cost is the number of pairs closer
 * than about 8.9 s: small for values spread widely against s, n^2 when
 * nearly all lie within 8.9 s of each other. */
static void sweep_gauss(scratch *S, size_t n, const pf *f) {
  const double *z = S->z;
  size_t ac = 0, bc = 0;
  for (size_t i = 0, e; i < n; i = e) {
    double t = z[i];
    e = run_end(z, n, i); /* d > 0 below i and above e, as for usual */
    ac = advance_a(z, n, ac, t, f->cut);
    bc = advance_b(z, n, bc, t, f->cut);
    double plus = (double)ac, minus = (double)(n - bc);
    for (size_t j = ac; j < i; j++) plus += gauss(t - z[j], f->g);
    for (size_t j = e; j < bc; j++) minus += gauss(z[j] - t, f->g);
    emit_run(S, i, e, plus, minus);
  }
}

/* One criterion of one scenario, x[n] its values, by the sorted path. */
static void criterion_sorted(scratch *S, const double *x, size_t n, int dir, const pf *f,
                             double w) {
  /* Oriented so that higher is better: d = z_a - z_b is then the same
   * floating-point number as the pairwise path's oriented difference. */
  for (size_t s = 0; s < n; s++) {
    S->key[0][s] = order_key(dir > 0 ? x[s] : -x[s]);
    S->ix[0][s] = (uint32_t)s;
  }
  sort_values(S, n);
  scatter_begin(S, n);
  switch (f->kind) {
  case PF_USUAL: sweep_usual(S, n); break;
  case PF_USHAPE: sweep_ushape(S, n, f->q); break;
  case PF_LEVEL: sweep_level(S, n, f->q, f->p); break;
  case PF_VSHAPE:
    prefix_sums(S, n);
    sweep_ramp(S, n, 0, f->p);
    break;
  case PF_LINEAR:
    prefix_sums(S, n);
    sweep_ramp(S, n, f->q, f->p);
    break;
  case PF_GAUSSIAN: sweep_gauss(S, n, f); break;
  default: break;
  }
  scatter_end(S, n, w);
}

/* The same by comparing every pair: the reference.  Like the sorted path
 * it sums a criterion's degrees first and weighs the sums once, so that
 * sums of 0, 1/2 and 1 are exact in both and rounding does not pile up
 * over n weighted additions. */
static void criterion_pairwise(scratch *S, const double *x, size_t n, int dir, const pf *f,
                               double w) {
  double *sum = S->pair;
  memset(sum, 0, n * 2 * sizeof *sum);
  for (size_t a = 0; a < n; a++) {
    for (size_t b = a + 1; b < n; b++) {
      double d = dir > 0 ? x[a] - x[b] : x[b] - x[a];
      double pab = pf_value(f, d), pba = pf_value(f, -d);
      sum[2 * a] += pab;
      sum[2 * b + 1] += pab;
      sum[2 * b] += pba;
      sum[2 * a + 1] += pba;
    }
  }
  for (size_t i = 0; i < 2 * n; i++) S->acc[i] += w * sum[i];
}

int parley__promethee_flows(parley__ctx *ctx, bool pairwise, double *plus, double *minus) {
  size_t ns = ctx->ns, nk = ctx->nk, nc = ctx->nc;
  if (ns * nk == 0) return PARLEY_OK;
  pf *f = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *f));
  if (!f) return PARLEY_ENOMEM;
  int rc = parse_functions(ctx, f);
  scratch S;
  if (rc == PARLEY_OK) rc = scratch_new(ctx->engine, &S, ns, !pairwise);
  if (rc != PARLEY_OK) {
    parley__free(ctx->engine, f);
    return rc;
  }
  /* With one strategy there is nothing to compare: both flows are 0. */
  double norm = ns > 1 ? 1.0 / (double)(ns - 1) : 0;
  for (size_t k = 0; k < nk; k++) {
    memset(S.acc, 0, ns * 2 * sizeof *S.acc);
    for (size_t c = 0; c < nc && ns > 1; c++) {
      double w = ctx->w[c];
      if (!(w > 0)) continue;
      const double *x = ctx->cube + (c * nk + k) * ns;
      if (pairwise) criterion_pairwise(&S, x, ns, parley__crit_dir(ctx, c), &f[c], w);
      else criterion_sorted(&S, x, ns, parley__crit_dir(ctx, c), &f[c], w);
    }
    for (size_t s = 0; s < ns; s++) {
      plus[k * ns + s] = S.acc[2 * s] * norm;
      minus[k * ns + s] = S.acc[2 * s + 1] * norm;
    }
  }
  scratch_free(ctx->engine, &S);
  parley__free(ctx->engine, f);
  return PARLEY_OK;
}

/* exact_pairwise: 0 (default) the sorted path, 1 the pairwise reference. */
static int use_pairwise(parley__ctx *ctx, bool *out) {
  double x = parley__param_num(ctx->stage, ctx->spec, "exact_pairwise");
  if (isnan(x)) x = 0; /* a context without a registered stage */
  if (x != 0 && x != 1)
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation %s: exact_pairwise=%g: expected 0 (sorted, n log n) or 1 "
                       "(every pair, n^2)", stage_name(ctx), x);
  *out = x == 1;
  return PARLEY_OK;
}

/* ---- promethee2 -------------------------------------------------------------- */
int parley__a_promethee2(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk;
  bool pairwise;
  int rc = use_pairwise(ctx, &pairwise);
  if (rc != PARLEY_OK || n == 0) return rc;
  double *minus = parley__malloc(ctx->engine, parley__mul(n, sizeof *minus));
  if (!minus) return PARLEY_ENOMEM;
  rc = parley__promethee_flows(ctx, pairwise, u, minus);
  if (rc == PARLEY_OK)
    for (size_t i = 0; i < n; i++) u[i] -= minus[i];
  parley__free(ctx->engine, minus);
  return rc;
}

/* ---- promethee1 -------------------------------------------------------------- */
/* Listing limits of the diagnostics, so that a large model's document stays
 * readable: flows per strategy up to PROM_DIAG_CELLS cells, incomparable
 * pairs listed when a scenario has at most PROM_DIAG_STRATEGIES strategies
 * and PROM_DIAG_PAIRS such pairs, at most PROM_DIAG_SCENARIOS scenarios. */
#define PROM_DIAG_CELLS 10000
#define PROM_DIAG_STRATEGIES 1000
#define PROM_DIAG_PAIRS 1000
#define PROM_DIAG_SCENARIOS 1000

typedef struct p1 {
  size_t *order;   /* [ns] */
  int *rank;       /* [ns] */
  int *cp, *cm;    /* [ns]: tie classes of phi+ and phi-, ascending */
  size_t *bit;     /* [ns + 1]: Fenwick tree over phi- classes */
} p1;

/* Class of each value: equal within the ranking's 1e-12 rule, so that
 * rounding noise never makes two flows differ; a larger flow, a larger
 * class. */
static void classes(p1 *P, const double *x, size_t n, int *cls) {
  parley__rank(x, n, false, P->order, P->rank);
  for (size_t t = 0; t < n; t++) cls[P->order[t]] = P->rank[t];
}

/* a and b incomparable under PROMETHEE I: one has the larger phi+ and the
 * other the smaller phi- (each outranks the other on one flow). */
static inline bool incomparable(const p1 *P, size_t a, size_t b) {
  return (P->cp[a] > P->cp[b] && P->cm[a] > P->cm[b]) ||
         (P->cp[a] < P->cp[b] && P->cm[a] < P->cm[b]);
}

/* The number of incomparable pairs, in O(n log n): pairs ordered the same
 * way, strictly, by both classes.  Strategies come in ascending phi+ class
 * (P->order from the last classes() call, made on phi+); each group of
 * equal phi+ first counts the earlier strategies with a smaller phi- class,
 * then joins the tree. */
static size_t count_incomparable(p1 *P, size_t n) {
  memset(P->bit, 0, (n + 1) * sizeof *P->bit);
  size_t count = 0, i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && P->cp[P->order[j]] == P->cp[P->order[i]]) j++;
    for (size_t t = i; t < j; t++)
      for (size_t r = (size_t)P->cm[P->order[t]] - 1; r > 0; r -= r & (~r + 1)) count += P->bit[r];
    for (size_t t = i; t < j; t++)
      for (size_t r = (size_t)P->cm[P->order[t]]; r <= n; r += r & (~r + 1)) P->bit[r]++;
    i = j;
  }
  return count;
}

static int partial_order(parley__ctx *ctx, const double *plus, const double *minus) {
  size_t ns = ctx->ns, nk = ctx->nk;
  if (!ctx->model) return PARLEY_OK;
  parley_engine *e = ctx->engine;
  p1 P;
  P.order = parley__malloc(e, parley__mul(ns, sizeof *P.order));
  P.rank = parley__malloc(e, parley__mul(ns, sizeof *P.rank));
  P.cp = parley__malloc(e, parley__mul(ns, sizeof *P.cp));
  P.cm = parley__malloc(e, parley__mul(ns, sizeof *P.cm));
  P.bit = parley__malloc(e, parley__mul(ns + 1, sizeof *P.bit));
  int rc = P.order && P.rank && P.cp && P.cm && P.bit ? PARLEY_OK : PARLEY_ENOMEM;
  parley__buf b;
  parley__buf_init(&b, e);
  parley__buf_puts(&b, "{\"scenarios\":{");
  for (size_t k = 0; rc == PARLEY_OK && k < nk && k < PROM_DIAG_SCENARIOS; k++) {
    const double *fp = plus + k * ns, *fm = minus + k * ns;
    classes(&P, fm, ns, P.cm);
    classes(&P, fp, ns, P.cp); /* last: count_incomparable walks its order */
    size_t count = count_incomparable(&P, ns);
    if (k) parley__buf_puts(&b, ",");
    parley__json_str(&b, ctx->model->scen[k].id);
    parley__buf_printf(&b, ":{\"incomparable_count\":%zu", count);
    if (ns <= PROM_DIAG_STRATEGIES && count <= PROM_DIAG_PAIRS) {
      parley__buf_puts(&b, ",\"incomparable\":[");
      bool first = true;
      for (size_t a = 0; a < ns; a++)
        for (size_t c = a + 1; c < ns; c++) {
          if (!incomparable(&P, a, c)) continue;
          parley__buf_puts(&b, first ? "[" : ",[");
          parley__json_str(&b, ctx->model->strat[a].id);
          parley__buf_puts(&b, ",");
          parley__json_str(&b, ctx->model->strat[c].id);
          parley__buf_puts(&b, "]");
          first = false;
        }
      parley__buf_puts(&b, "]");
    }
    if (ns * nk <= PROM_DIAG_CELLS) {
      parley__json_strategy_map(&b, ctx, "phi_plus", fp);
      parley__json_strategy_map(&b, ctx, "phi_minus", fm);
    }
    parley__buf_puts(&b, "}");
  }
  parley__buf_puts(&b, "}");
  if (nk > PROM_DIAG_SCENARIOS)
    parley__buf_printf(&b, ",\"scenarios_omitted\":%zu", nk - PROM_DIAG_SCENARIOS);
  parley__buf_puts(&b, "}");
  parley__free(e, P.order);
  parley__free(e, P.rank);
  parley__free(e, P.cp);
  parley__free(e, P.cm);
  parley__free(e, P.bit);
  if (rc != PARLEY_OK) {
    parley__buf_free(&b);
    return rc;
  }
  return parley__diag_set(ctx, &b);
}

int parley__a_promethee1(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk;
  bool pairwise;
  int rc = use_pairwise(ctx, &pairwise);
  if (rc != PARLEY_OK || n == 0) return rc;
  double *plus = parley__malloc(ctx->engine, parley__mul(n, 2 * sizeof *plus));
  if (!plus) return PARLEY_ENOMEM;
  double *minus = plus + n;
  rc = parley__promethee_flows(ctx, pairwise, plus, minus);
  if (rc == PARLEY_OK) {
    for (size_t i = 0; i < n; i++) u[i] = plus[i] - minus[i];
    rc = ctx->no_diagnostics ? PARLEY_OK : partial_order(ctx, plus, minus);
  }
  parley__free(ctx->engine, plus);
  return rc;
}
