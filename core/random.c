/*
 * random.c — the counter-based generator Philox4x32-10 (Salmon, Moraes, Dror
 * & Shaw 2011) and the samplers built on it: uniform, normal (Marsaglia's
 * polar method), exponential, gamma (Marsaglia & Tsang 2000), beta, the
 * model's distributions, Dirichlet and the uniform simplex.  Every sampler is
 * exact (inversion or an exact rejection method, no approximation of a
 * distribution function), so the only error is the rounding of doubles.
 * Nothing here allocates or keeps global state.  The layout of the stream
 * and the formulas are in random.h and docs/methods.md.
 */
#include "random.h"

#include <float.h>
#include <math.h>

/* ---- Philox4x32-10 ------------------------------------------------------- */
/* The multipliers and the Weyl key increments of Philox4x32 (Salmon et al.
 * 2011, table 2; the increments are the golden ratio and sqrt(3) - 1 in
 * 32-bit fixed point). */
#define PHILOX_M0 UINT32_C(0xD2511F53)
#define PHILOX_M1 UINT32_C(0xCD9E8D57)
#define PHILOX_W0 UINT32_C(0x9E3779B9)
#define PHILOX_W1 UINT32_C(0xBB67AE85)

void parley__philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; round++) {
    if (round > 0) {  /* the key schedule: bumped between rounds, not before the first */
      k0 += PHILOX_W0;
      k1 += PHILOX_W1;
    }
    uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
    uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
    uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    c1 = (uint32_t)p1;
    c3 = (uint32_t)p0;
    c0 = n0;
    c2 = n2;
  }
  out[0] = c0, out[1] = c1, out[2] = c2, out[3] = c3;
}

/* ---- the stream ---------------------------------------------------------- */
void parley__rng_init_stream(parley__rng *r, uint64_t seed, uint32_t stream, uint64_t iteration) {
  r->key[0] = (uint32_t)seed;
  r->key[1] = (uint32_t)(seed >> 32);
  r->ctr[0] = 0;
  r->ctr[1] = stream;
  r->ctr[2] = (uint32_t)iteration;
  r->ctr[3] = (uint32_t)(iteration >> 32);
  r->k = 0;
  r->buf[0] = r->buf[1] = r->buf[2] = r->buf[3] = 0;
  r->has_spare = false;
  r->spare = 0;
}

void parley__rng_init(parley__rng *r, uint64_t seed, uint64_t iteration) {
  parley__rng_init_stream(r, seed, 0, iteration);
}

/* Computes the block holding word k. */
static void refill(parley__rng *r) {
  r->ctr[0] = (uint32_t)(r->k >> 2);
  parley__philox4x32_10(r->ctr, r->key, r->buf);
}

void parley__rng_seek(parley__rng *r, uint64_t k) {
  r->k = k;
  r->has_spare = false;
  if (k & 3) refill(r);  /* mid-block: u32 refills only at a block's first word */
}

uint32_t parley__rng_u32(parley__rng *r) {
  unsigned j = (unsigned)(r->k & 3);
  if (j == 0) refill(r);
  r->k++;
  return r->buf[j];
}

double parley__rng_uniform(parley__rng *r) {
  /* 53 bits give every double of [2^-53, 1 - 2^-53] on the 2^-53 grid
   * exactly; adding a half step instead would not fit in 53 bits and round
   * to 1.  Skipping j = 0 (once in 2^53) keeps the interval open at 0. */
  for (;;) {
    uint64_t hi = parley__rng_u32(r);
    uint64_t lo = parley__rng_u32(r);
    uint64_t j = ((hi << 32) | lo) >> 11;
    if (j != 0) return (double)j * 0x1p-53;
  }
}

double parley__rng_normal(parley__rng *r) {
  if (r->has_spare) {
    r->has_spare = false;
    return r->spare;
  }
  /* A point uniform in the unit disc (rejection from the square, accepted
   * with probability pi/4); (v1, v2) * sqrt(-2 ln s / s) are two
   * independent standard normals (Marsaglia & Bray 1964).  2u - 1 is exact
   * on the 2^-53 grid. */
  double v1, v2, s;
  do {
    v1 = 2 * parley__rng_uniform(r) - 1;
    v2 = 2 * parley__rng_uniform(r) - 1;
    s = v1 * v1 + v2 * v2;
  } while (s >= 1 || s == 0);
  double f = sqrt(-2 * log(s) / s);
  r->spare = v2 * f;
  r->has_spare = true;
  return v1 * f;
}

double parley__rng_exponential(parley__rng *r) {
  return -log(parley__rng_uniform(r));  /* > 0: u < 1 */
}

/* Marsaglia & Tsang (2000), for shape >= 1: d = shape - 1/3, c = 1/sqrt(9d);
 * v = (1 + c x)^3 with x standard normal is accepted by the squeeze
 * u < 1 - 0.0331 x^4 or else by ln u < x^2/2 + d (1 - v + ln v); d v is
 * then Gamma(shape, 1).  The acceptance rate is over 0.95 for every shape. */
static double gamma_mt(parley__rng *r, double shape) {
  double d = shape - 1.0 / 3.0;
  double c = 1 / sqrt(9 * d);
  for (;;) {
    double x, v;
    do {
      x = parley__rng_normal(r);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    double u = parley__rng_uniform(r);
    double x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (log(u) < 0.5 * x2 + d * (1 - v + log(v))) return d * v;
  }
}

double parley__rng_gamma(parley__rng *r, double shape) {
  if (shape >= 1) return gamma_mt(r, shape);
  /* Gamma(a) = Gamma(a + 1) * U^(1/a) (Marsaglia & Tsang 2000, section 6). */
  double g = gamma_mt(r, shape + 1);
  return g * pow(parley__rng_uniform(r), 1 / shape);
}

double parley__rng_beta(parley__rng *r, double a, double b) {
  double x = parley__rng_gamma(r, a);
  double y = parley__rng_gamma(r, b);
  /* x + y is 0 only when both underflow (shapes far below 1): then the
   * draw sits at an end; pick the end the larger shape pulls towards. */
  if (!(x + y > 0)) return a >= b ? 1 : 0;
  return x / (x + y);
}

/* ---- the model's distributions --------------------------------------------- */
/* a + (c - a) y for y in [0, 1], kept in [a, c]; when c - a overflows the
 * computation runs on halves (exact for such magnitudes) and doubles back. */
static double lerp(double a, double c, double y) {
  double w = c - a;
  double x = isfinite(w) ? a + w * y : 2 * (a / 2 + (c / 2 - a / 2) * y);
  return x < a ? a : x > c ? c : x;
}

/* (b - a) / (c - a) in [0, 1] for a <= b <= c, a < c, without overflow. */
static double fraction(double a, double b, double c) {
  double f = isfinite(c - a) ? (b - a) / (c - a) : (b / 2 - a / 2) / (c / 2 - a / 2);
  return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* The standard triangular on [0, 1] with mode f, by inversion of its CDF
 * F(y) = y^2 / f (y <= f), 1 - (1 - y)^2 / (1 - f) (y > f). */
static double unit_triangular(double f, double u) {
  return u < f ? sqrt(u * f) : 1 - sqrt((1 - u) * (1 - f));
}

static double clamp_finite(double x) {
  if (x > DBL_MAX) return DBL_MAX;
  if (x < -DBL_MAX) return -DBL_MAX;
  return x;
}

/* Inversion over the cumulative probabilities, scaled by their sum (which
 * the model lets differ from 1 by 1e-9).  A value of probability 0 is never
 * drawn; rounding past the last cumulative sum gives the last value of
 * positive probability. */
static double discrete(const parley_dist *d, double u) {
  double total = 0;
  for (size_t i = 0; i < d->n; i++) total += d->p[i];
  double t = u * total, cum = 0;
  size_t last = 0;
  for (size_t i = 0; i < d->n; i++) {
    if (!(d->p[i] > 0)) continue;
    cum += d->p[i];
    last = i;
    if (t < cum) return d->values[i];
  }
  return d->values[last];
}

double parley__dist_sample(const parley_dist *d, parley__rng *r) {
  switch (d->kind) {
  case PARLEY_DIST_NORMAL:
    return clamp_finite(d->a + d->b * parley__rng_normal(r));
  case PARLEY_DIST_UNIFORM:
    if (!(d->a < d->b)) return d->a;
    return lerp(d->a, d->b, parley__rng_uniform(r));
  case PARLEY_DIST_TRIANGULAR:
    if (!(d->a < d->c)) return d->a;
    return lerp(d->a, d->c, unit_triangular(fraction(d->a, d->b, d->c), parley__rng_uniform(r)));
  case PARLEY_DIST_PERT: {
    /* A beta on [min, max] with alpha = 1 + 4 f, beta = 1 + 4 (1 - f), f the
     * mode's place in the range: mean (min + 4 mode + max) / 6. */
    if (!(d->a < d->c)) return d->a;
    double f = fraction(d->a, d->b, d->c);
    return lerp(d->a, d->c, parley__rng_beta(r, 1 + 4 * f, 1 + 4 * (1 - f)));
  }
  case PARLEY_DIST_LOGNORMAL:
    return clamp_finite(exp(d->a + d->b * parley__rng_normal(r)));
  case PARLEY_DIST_DISCRETE:
    return discrete(d, parley__rng_uniform(r));
  default:
    return NAN;
  }
}

/* ---- Dirichlet and the simplex -------------------------------------------- */
/* ln of a Gamma(shape, 1) draw, finite for shapes far below 1 where the draw
 * itself would underflow: ln Gamma(a + 1) + (ln u) / a. */
static double log_gamma_draw(parley__rng *r, double shape) {
  if (shape >= 1) return log(gamma_mt(r, shape));
  double g = gamma_mt(r, shape + 1);
  return log(g) + log(parley__rng_uniform(r)) / shape;
}

void parley__sample_dirichlet(parley__rng *r, const double *a, double scale, size_t n,
                              double *out) {
  /* x_i = G_i / sum G (G_i ~ Gamma(alpha_i)), computed as
   * exp(ln G_i - max ln G) / sum exp(ln G_j - max ln G): the largest term is
   * 1, so the sum is >= 1 and nothing is 0 / 0. */
  double top = -INFINITY, best_alpha = 0;
  size_t best = n;
  for (size_t i = 0; i < n; i++) {
    double alpha = scale * a[i];
    if (!(alpha > 0) || !isfinite(alpha)) {
      out[i] = -INFINITY;
      continue;
    }
    out[i] = log_gamma_draw(r, alpha);
    if (out[i] > top) top = out[i];
    if (best == n || alpha > best_alpha) best = i, best_alpha = alpha;
  }
  if (best == n) {  /* no positive alpha */
    for (size_t i = 0; i < n; i++) out[i] = 1.0 / (double)n;
    return;
  }
  if (top == -INFINITY) {  /* every ln G underflowed (alphas below ~1e-308) */
    for (size_t i = 0; i < n; i++) out[i] = i == best ? 1 : 0;
    return;
  }
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    out[i] = out[i] == -INFINITY ? 0 : exp(out[i] - top);
    sum += out[i];
  }
  for (size_t i = 0; i < n; i++) out[i] /= sum;
}

void parley__sample_simplex(parley__rng *r, size_t n, double *out) {
  /* Normalised exponentials are Dirichlet(1, ..., 1), the uniform
   * distribution on the simplex (Devroye 1986, ch. V.2; Rubinstein 1982).
   * Each exponential is > 0, so the sum is too. */
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    out[i] = parley__rng_exponential(r);
    sum += out[i];
  }
  for (size_t i = 0; i < n; i++) out[i] /= sum;
}
