/*
 * random.h — the random numbers under Monte Carlo and SMAA: a counter-based
 * generator (Philox4x32-10, Salmon et al. 2011) and samplers for every
 * distribution a model can hold, for the Dirichlet and for the uniform
 * distribution on the simplex.  Uses nothing but <math.h>; allocates nothing.
 *
 * A stream is named by (seed, stream, iteration) and its k-th 32-bit word is
 * a pure function of (seed, stream, iteration, k): word k is word k mod 4 of
 * the Philox block whose counter is (k / 4, stream, iteration low 32 bits,
 * iteration high 32 bits) under the key (seed low 32 bits, seed high 32
 * bits).  So iteration i of a Monte Carlo run needs no state from iteration
 * i - 1: threads may take iterations in any order and still produce the same
 * numbers.  The stream number separates independent uses inside one
 * iteration (the uncertain cells, the weights, the probabilities), so that
 * adding a use does not shift the draws of another.
 *
 * A generator is a small value: put one on the stack per iteration.  The
 * samplers read it through a pointer and advance it.  Everything here is
 * deterministic: the same calls on the same generator give the same values,
 * bit for bit, on the same platform and C library (the samplers call log,
 * exp and sqrt; only sqrt is required by IEEE 754 to be correctly rounded).
 * Formulas and sources: docs/methods.md, "Random numbers".
 */
#ifndef PARLEY_RANDOM_H
#define PARLEY_RANDOM_H

#include "parley.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct parley__rng {
  uint32_t key[2];  /* the seed: low word, high word */
  uint32_t ctr[4];  /* the counter of the current block: [0] is set from k */
  uint64_t k;       /* index of the next 32-bit word of the stream */
  uint32_t buf[4];  /* the block holding word k (valid when k % 4 != 0) */
  bool has_spare;   /* the polar method makes normals in pairs: */
  double spare;     /* the second of the pair, handed out next */
} parley__rng;

/* One Philox4x32-10 block: out = the generator's bijection of ctr under key
 * (ten rounds).  out may alias ctr. */
void parley__philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* Starts the stream (seed, stream 0, iteration) at word 0. */
void parley__rng_init(parley__rng *r, uint64_t seed, uint64_t iteration);
/* Starts the stream (seed, stream, iteration) at word 0. */
void parley__rng_init_stream(parley__rng *r, uint64_t seed, uint32_t stream, uint64_t iteration);
/* Moves to word k of the same stream (and drops a pending spare normal).
 * One stream holds 2^34 words; the block number wraps past that. */
void parley__rng_seek(parley__rng *r, uint64_t k);

/* The next 32-bit word. */
uint32_t parley__rng_u32(parley__rng *r);
/* Uniform on the open interval (0, 1): j / 2^53 with j the top 53 bits of
 * the next two words (the first is the high half), j = 0 skipped.  Every
 * value is exact and 1 - u is a value of the same set. */
double parley__rng_uniform(parley__rng *r);
/* Standard normal by Marsaglia's polar method (Marsaglia & Bray 1964): exact,
 * two normals per accepted pair of uniforms, the second kept for the next
 * call. */
double parley__rng_normal(parley__rng *r);
/* Standard exponential, -ln u. */
double parley__rng_exponential(parley__rng *r);
/* Gamma(shape, 1) for shape > 0: Marsaglia & Tsang (2000) for shape >= 1;
 * for shape < 1, Gamma(shape + 1) * u^(1/shape) (ibid., section 6), which
 * may underflow to 0 for a very small shape. */
double parley__rng_gamma(parley__rng *r, double shape);
/* Beta(a, b) for a, b > 0, as G_a / (G_a + G_b) from two gammas. */
double parley__rng_beta(parley__rng *r, double a, double b);

/* One draw from a distribution of the model, whose parameters
 * parley__dist_valid accepted.  The draw is finite and stays in the support
 * ([min, max] for uniform, triangular and PERT; a listed value for
 * discrete): a value that would overflow (only with parameters near
 * +-1.8e308) is clamped to +-DBL_MAX.  An unknown kind gives NaN, as
 * parley__dist_mean_unchecked does. */
double parley__dist_sample(const parley_dist *d, parley__rng *r);

/* A Dirichlet draw: out[n] on the simplex, with alpha_i = scale * a[i]
 * (scale 1 for plain alphas; for scenario probabilities p, a = p and scale
 * the concentration).  An alpha_i not positive and finite gives out[i] = 0.
 * The gammas are combined in log space, so small alphas neither underflow
 * to 0 / 0 nor lose the smaller shares.  When no alpha is positive out gets
 * equal shares 1/n.  n = 0 writes nothing. */
void parley__sample_dirichlet(parley__rng *r, const double *a, double scale, size_t n,
                              double *out);
/* A uniform point of the simplex {x >= 0, sum x = 1} (Dirichlet(1, ..., 1)):
 * n exponentials divided by their sum.  n = 0 writes nothing. */
void parley__sample_simplex(parley__rng *r, size_t n, double *out);

#endif /* PARLEY_RANDOM_H */
