/*
 * slab.c — the shared passes over a criterion's slab (slab.h): range, sum
 * and sum of squares gathered in one read of the values.
 *
 * A plain C loop that keeps one running sum waits on the latency of each
 * addition (three or four cycles per value), and a compiler may not
 * reorder floating-point sums to hide it.  Here every statistic keeps four
 * lanes, and on x86-64 the lanes live in two SSE2 registers (part of every
 * x86-64 processor), so one instruction advances two lanes.  Lane j takes
 * the values i = j mod 4; minpd and maxpd compare exactly as the C
 * expressions of the fallback do, and the lanes are combined in a fixed
 * order, so both paths give the same bits.
 */
#include "slab.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Lane accumulators of one pass. */
typedef struct lanes {
  double lo[4], hi[4], s[4], q[4];
} lanes;

/* The four lanes over x[0..n - n % 4).  sums = 0 skips the sums (the
 * compiler drops that code where the argument is a constant). */
static inline size_t scan4(const double *x, size_t n, int sums, lanes *L) {
  size_t i = 0;
#if defined(__SSE2__)
  __m128d l01 = _mm_set1_pd(INFINITY), l23 = l01;
  __m128d h01 = _mm_set1_pd(-INFINITY), h23 = h01;
  __m128d s01 = _mm_setzero_pd(), s23 = s01, q01 = s01, q23 = s01;
  for (; i + 4 <= n; i += 4) {
    __m128d a = _mm_loadu_pd(x + i), b = _mm_loadu_pd(x + i + 2);
    /* minpd(v, m) is v < m ? v : m, lane by lane: a NaN v keeps m. */
    l01 = _mm_min_pd(a, l01);
    l23 = _mm_min_pd(b, l23);
    h01 = _mm_max_pd(a, h01);
    h23 = _mm_max_pd(b, h23);
    if (sums) {
      s01 = _mm_add_pd(s01, a);
      s23 = _mm_add_pd(s23, b);
      q01 = _mm_add_pd(q01, _mm_mul_pd(a, a));
      q23 = _mm_add_pd(q23, _mm_mul_pd(b, b));
    }
  }
  _mm_storeu_pd(L->lo, l01), _mm_storeu_pd(L->lo + 2, l23);
  _mm_storeu_pd(L->hi, h01), _mm_storeu_pd(L->hi + 2, h23);
  _mm_storeu_pd(L->s, s01), _mm_storeu_pd(L->s + 2, s23);
  _mm_storeu_pd(L->q, q01), _mm_storeu_pd(L->q + 2, q23);
#else
  double l0 = INFINITY, l1 = l0, l2 = l0, l3 = l0, h0 = -INFINITY, h1 = h0, h2 = h0, h3 = h0;
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
  for (; i + 4 <= n; i += 4) {
    double v0 = x[i], v1 = x[i + 1], v2 = x[i + 2], v3 = x[i + 3];
    l0 = v0 < l0 ? v0 : l0, l1 = v1 < l1 ? v1 : l1, l2 = v2 < l2 ? v2 : l2;
    l3 = v3 < l3 ? v3 : l3;
    h0 = v0 > h0 ? v0 : h0, h1 = v1 > h1 ? v1 : h1, h2 = v2 > h2 ? v2 : h2;
    h3 = v3 > h3 ? v3 : h3;
    if (sums) {
      s0 += v0, s1 += v1, s2 += v2, s3 += v3;
      q0 += v0 * v0, q1 += v1 * v1, q2 += v2 * v2, q3 += v3 * v3;
    }
  }
  *L = (lanes){{l0, l1, l2, l3}, {h0, h1, h2, h3}, {s0, s1, s2, s3}, {q0, q1, q2, q3}};
#endif
  return i;
}

/* The tail (to lane 0) and the lanes combined. */
static inline void finish(const double *x, size_t i, size_t n, int sums, lanes *L,
                          parley__slabstat *out) {
  for (; i < n; i++) {
    double v = x[i];
    L->lo[0] = v < L->lo[0] ? v : L->lo[0];
    L->hi[0] = v > L->hi[0] ? v : L->hi[0];
    if (sums) {
      L->s[0] += v;
      L->q[0] += v * v;
    }
  }
  double l01 = L->lo[1] < L->lo[0] ? L->lo[1] : L->lo[0];
  double l23 = L->lo[3] < L->lo[2] ? L->lo[3] : L->lo[2];
  double h01 = L->hi[1] > L->hi[0] ? L->hi[1] : L->hi[0];
  double h23 = L->hi[3] > L->hi[2] ? L->hi[3] : L->hi[2];
  out->lo = l23 < l01 ? l23 : l01;
  out->hi = h23 > h01 ? h23 : h01;
  out->sum = sums ? (L->s[0] + L->s[1]) + (L->s[2] + L->s[3]) : 0;
  out->sumsq = sums ? (L->q[0] + L->q[1]) + (L->q[2] + L->q[3]) : 0;
}

void parley__slab_range(const double *x, size_t n, double *lo, double *hi) {
  lanes L;
  parley__slabstat st;
  finish(x, scan4(x, n, 0, &L), n, 0, &L, &st);
  *lo = st.lo;
  *hi = st.hi;
}

void parley__slab_stats(const double *x, size_t n, parley__slabstat *out) {
  lanes L;
  finish(x, scan4(x, n, 1, &L), n, 1, &L, out);
}

double parley__slab_sum(const double *x, size_t n) {
  parley__slabstat st;
  parley__slab_stats(x, n, &st);
  return st.sum;
}

size_t parley__slab_first_negative(const double *x, size_t n) {
  size_t i = 0;
  while (i < n && !(x[i] < 0)) i++;
  return i;
}

/* ---- sorting a slab ---------------------------------------------------------- */
/* A key whose unsigned order is the order of the values: the sign bit
 * flipped for a positive value, every bit for a negative one (-0 and +0
 * keep distinct keys, -0 first; they compare equal, so either order is
 * sorted). */
static inline uint64_t sort_key(double x) {
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return (b >> 63) ? ~b : b ^ ((uint64_t)1 << 63);
}

static inline double key_value(uint64_t k) {
  uint64_t b = (k >> 63) ? k ^ ((uint64_t)1 << 63) : ~k;
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

void parley__slab_sort(double *x, size_t n, uint64_t *scratch) {
  if (n < 2) return;
  /* LSD radix sort, a byte per pass; a pass whose byte is the same in
   * every key is skipped.  Every histogram comes from one read. */
  size_t count[8][256];
  memset(count, 0, sizeof count);
  uint64_t *a = scratch, *b = scratch + n;
  for (size_t i = 0; i < n; i++) {
    uint64_t k = sort_key(x[i]);
    a[i] = k;
    for (int d = 0; d < 8; d++) count[d][(k >> (8 * d)) & 0xff]++;
  }
  for (int d = 0; d < 8; d++) {
    size_t *cnt = count[d];
    if (cnt[(a[0] >> (8 * d)) & 0xff] == n) continue;
    size_t sum = 0;
    for (int v = 0; v < 256; v++) {
      size_t t = cnt[v];
      cnt[v] = sum;
      sum += t;
    }
    for (size_t i = 0; i < n; i++) b[cnt[(a[i] >> (8 * d)) & 0xff]++] = a[i];
    uint64_t *t = a;
    a = b, b = t;
  }
  for (size_t i = 0; i < n; i++) x[i] = key_value(a[i]);
}

/* ---- spread ------------------------------------------------------------------ */
/* Cells per block: the quotients of a block are formed in a loop the
 * compiler vectorizes (it has the constant length), then summed in the
 * lanes. */
#define SPREAD_BLOCK 256

static inline void centred_squares(const double *restrict x, size_t len, double mean,
                                   double scale, double *restrict t) {
  for (size_t i = 0; i < len; i++) {
    double d = (x[i] - mean) / scale;
    t[i] = d * d;
  }
}

double parley__slab_centred_sumsq(const double *x, size_t n, double mean, double scale) {
  double t[SPREAD_BLOCK], ss = 0;
  size_t i0 = 0;
  for (; i0 + SPREAD_BLOCK <= n; i0 += SPREAD_BLOCK) {
    centred_squares(x + i0, SPREAD_BLOCK, mean, scale, t);
    ss += parley__slab_sum(t, SPREAD_BLOCK);
  }
  if (i0 < n) {
    centred_squares(x + i0, n - i0, mean, scale, t);
    ss += parley__slab_sum(t, n - i0);
  }
  return ss;
}

static inline void centred_products(const double *restrict x, const double *restrict y,
                                    size_t len, double mx, double ix, double my, double iy,
                                    double *restrict t) {
  for (size_t i = 0; i < len; i++) t[i] = ((x[i] - mx) * ix) * ((y[i] - my) * iy);
}

double parley__slab_centred_dot(const double *x, const double *y, size_t n, double mx,
                                double ix, double my, double iy) {
  double t[SPREAD_BLOCK], s = 0;
  size_t i0 = 0;
  for (; i0 + SPREAD_BLOCK <= n; i0 += SPREAD_BLOCK) {
    centred_products(x + i0, y + i0, SPREAD_BLOCK, mx, ix, my, iy, t);
    s += parley__slab_sum(t, SPREAD_BLOCK);
  }
  if (i0 < n) {
    centred_products(x + i0, y + i0, n - i0, mx, ix, my, iy, t);
    s += parley__slab_sum(t, n - i0);
  }
  return s;
}
