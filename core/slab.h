/*
 * slab.h — fast passes over one criterion's slab (its values for every
 * strategy under every scenario, contiguous in the cube), shared by the
 * stages that scan the cube: normalization, aggregation and weighting.
 *
 * A stage over a million strategies is bound by how fast it can stream the
 * slab, so these passes gather several statistics at once, in vector
 * registers where the machine has them, and fix the order of every addition
 * so that a result repeats bit for bit, whatever the machine: the sums are
 * kept in four interleaved lanes (lane j adds x[i] for i = j mod 4, values
 * past the last multiple of four go to lane 0) and combined as
 * (lane0 + lane1) + (lane2 + lane3); the vector code and the plain C code
 * beside it compute exactly the same numbers.
 */
#ifndef PARLEY_SLAB_H
#define PARLEY_SLAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct parley__slabstat {
  double lo, hi;   /* the smallest and largest value (INFINITY, -INFINITY when n = 0) */
  double sum;      /* sum of x, in four lanes */
  double sumsq;    /* sum of x * x, in four lanes */
} parley__slabstat;

/* The smallest and largest value of x[0..n) in one pass.  NaN values are
 * passed over (the cube of a run holds none).  n = 0 gives INFINITY and
 * -INFINITY. */
void parley__slab_range(const double *x, size_t n, double *lo, double *hi);

/* The range, the sum and the sum of squares of x[0..n) in one pass. */
void parley__slab_stats(const double *x, size_t n, parley__slabstat *out);

/* The sum of x[0..n) in the four lanes. */
double parley__slab_sum(const double *x, size_t n);

/* The index of the first value of x[0..n) below 0 (n when none): where a
 * stage that found lo < 0 looks for the value to name. */
size_t parley__slab_first_negative(const double *x, size_t n);

/* The sum of ((x - mean) / scale)^2 over x[0..n): a block's quotients at
 * a time, each block summed in the lanes and the blocks in order. */
double parley__slab_centred_sumsq(const double *x, size_t n, double mean, double scale);

/* The sum of ((x - mx) ix) ((y - my) iy) over n cells, likewise (ix and
 * iy the reciprocals of the two scales). */
double parley__slab_centred_dot(const double *x, const double *y, size_t n, double mx,
                                double ix, double my, double iy);

/* Sorts x[0..n) ascending (no NaN), with scratch for 2 n keys: a radix sort,
 * several times faster than qsort on a million values.  Equal values are
 * equal numbers, so the sorted array is the one any sort gives, but for
 * the order of -0 and +0. */
void parley__slab_sort(double *x, size_t n, uint64_t *scratch);

#endif /* PARLEY_SLAB_H */
