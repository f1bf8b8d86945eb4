/*
 * ranking.c — turns scores into a ranking, and compares two rankings.
 *
 * parley__rank orders strategies best first and gives standard competition
 * ranks (1, 2, 2, 4).  Two scores tie when |a - b| <= 1e-12 * max(1, |a|,
 * |b|), so that rounding noise in the last bits does not decide a place;
 * tied strategies keep their input order.  Because that relation is not
 * transitive, a tie group is anchored on its first (best) member: a score
 * joins the group when it ties with that member, so a group never spans more
 * than the tolerance.  NaN scores (which the pipeline never produces) rank
 * last and tie with one another.
 *
 * The sort is keyed on (score, index), a strict total order, so the result
 * does not depend on the algorithm.  Past a few hundred scores it is a
 * stable LSD radix sort, one byte at a time, of 64-bit keys that order as
 * the scores do (stability supplies the index order among equal scores); a
 * million scores sort in about 30 ms instead of 150 ms.  Its scratch memory
 * comes from malloc, not the engine allocator: the function has no engine
 * and cannot fail, so when malloc fails it falls back to the in-place
 * introsort (quicksort, median of three, heapsort fallback, insertion sort
 * for short runs), which allocates nothing and gives the same order.  Short
 * inputs always take the introsort.
 *
 * Kendall's tau-b (Kendall 1945) compares two score vectors with the same
 * tie rule.  parley__kendall_tau_b counts every pair, O(n^2), and allocates
 * nothing; parley__kendall_tau_b_knight gives the same number in
 * O(n log n) (Knight 1966) with scratch memory from the engine.  The pair
 * count applies the tie rule pair by pair, Knight's algorithm to the tie
 * groups of parley__rank; the two differ only when scores form chains of
 * near-ties, each within 1e-12 of the next.
 */
#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TIE_REL 1e-12

static bool ties(double a, double b) {
  if (a == b) return true; /* also equal infinities */
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  /* An infinity would scale the tolerance to infinity and tie with anything. */
  if (isinf(a) || isinf(b)) return false;
  double scale = fmax(1.0, fmax(fabs(a), fabs(b)));
  return fabs(a - b) <= TIE_REL * scale;
}

/* ---- sorting the order array ---------------------------------------------- */
typedef struct sorter {
  const double *score; /* by score (NULL: not) */
  bool higher_better;
  const int *key;      /* by an integer key, ascending (NULL: not) */
} sorter;

/* Strictly before: better score first, NaN last (or the lower key), then
 * the lower index. */
static inline bool before(const sorter *st, size_t a, size_t b) {
  if (st->key && st->key[a] != st->key[b]) return st->key[a] < st->key[b];
  if (st->score) {
    double x = st->score[a], y = st->score[b];
    if (x != y) {
      bool xn = isnan(x), yn = isnan(y);
      if (xn || yn) {
        if (xn != yn) return yn;
      } else {
        return st->higher_better ? x > y : x < y;
      }
    }
  }
  return a < b;
}

static void insertion_sort(const sorter *st, size_t *v, size_t n) {
  for (size_t i = 1; i < n; i++) {
    size_t t = v[i], j = i;
    while (j > 0 && before(st, t, v[j - 1])) {
      v[j] = v[j - 1];
      j--;
    }
    v[j] = t;
  }
}

static void sift_down(const sorter *st, size_t *v, size_t root, size_t n) {
  for (;;) {
    size_t child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && before(st, v[child], v[child + 1])) child++;
    if (!before(st, v[root], v[child])) return;
    size_t t = v[root];
    v[root] = v[child];
    v[child] = t;
    root = child;
  }
}

static void heap_sort(const sorter *st, size_t *v, size_t n) {
  for (size_t i = n / 2; i-- > 0;) sift_down(st, v, i, n);
  for (size_t end = n; end-- > 1;) {
    size_t t = v[0];
    v[0] = v[end];
    v[end] = t;
    sift_down(st, v, 0, end);
  }
}

static void swap(size_t *v, size_t i, size_t j) {
  size_t t = v[i];
  v[i] = v[j];
  v[j] = t;
}

static void intro_sort(const sorter *st, size_t *v, size_t n, int depth) {
  while (n > 16) {
    if (depth-- == 0) {
      heap_sort(st, v, n);
      return;
    }
    /* Median of three moved to v[0], then Hoare's partition around it:
     * the split point j lies in [0, n - 2], so both sides shrink. */
    size_t mid = n / 2;
    if (before(st, v[mid], v[0])) swap(v, mid, 0);
    if (before(st, v[n - 1], v[0])) swap(v, n - 1, 0);
    if (before(st, v[n - 1], v[mid])) swap(v, n - 1, mid);
    swap(v, 0, mid);
    size_t pivot = v[0];
    size_t i = 0, j = n - 1;
    for (;;) {
      while (before(st, pivot, v[j])) j--;
      while (before(st, v[i], pivot)) i++;
      if (i >= j) break;
      swap(v, i, j);
      i++;
      j--;
    }
    /* [0, j] and [j + 1, n): recurse into the smaller, loop on the larger. */
    size_t left = j + 1;
    if (left < n - left) {
      intro_sort(st, v, left, depth);
      v += left;
      n -= left;
    } else {
      intro_sort(st, v + left, n - left, depth);
      n = left;
    }
  }
  insertion_sort(st, v, n);
}

static void sort_order(const sorter *st, size_t *v, size_t n) {
  int depth = 0;
  for (size_t m = n; m > 1; m >>= 1) depth += 2;
  intro_sort(st, v, n, depth);
}

/* ---- radix sort ----------------------------------------------------------- */
/* Below this many scores the introsort is as fast and needs no scratch. */
#define RADIX_MIN 256
/* Digits of a byte: the 256 places a pass writes to stay in L1 (digits of
 * 11 bits, six passes instead of eight, measured slower: their 2048 write
 * positions miss the cache). */
#define DIGIT_BITS 8
#define DIGITS 8
#define BUCKETS ((size_t)1 << DIGIT_BITS)

/* A 64-bit key whose unsigned order is the place order: for a number, its
 * bits with the sign bit flipped (positives) or all bits flipped
 * (negatives) order as the value does, and are inverted when higher is
 * better; -0 is read as +0, so that the two stay equal as the comparison
 * sort has them.  Numbers never map to UINT64_MAX (that would be a NaN's
 * bit pattern), which is left for NaN: last, NaNs equal to one another. */
static inline uint64_t place_key(double x, bool higher_better) {
  if (isnan(x)) return UINT64_MAX;
  if (x == 0) x = 0.0;
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  b = (b >> 63) ? ~b : b ^ ((uint64_t)1 << 63);
  return higher_better ? ~b : b;
}

/* The score a place key was made from (-0 comes back as +0, and a NaN as
 * some NaN: neither changes a tie). */
static inline double key_score(uint64_t k, bool higher_better) {
  uint64_t b = higher_better ? ~k : k;
  b = (b >> 63) ? b ^ ((uint64_t)1 << 63) : ~b;
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

static inline size_t digit(uint64_t k, int d) {
  return (size_t)(k >> (DIGIT_BITS * d)) & (BUCKETS - 1);
}

/* order[] by (score, index) with a stable LSD radix sort on place_key, a
 * digit per pass, keys and 32-bit indices in separate arrays; a pass whose
 * digit is the same in every key is skipped.  On success *sorted holds the
 * keys in place order (for the tie pass; the caller frees it).  false when
 * the scratch memory cannot be had, or n exceeds 32-bit indices (order[]
 * untouched). */
static bool radix_order(const double *score, size_t n, bool higher_better, size_t *order,
                        uint64_t **sorted) {
  if (n == 0 || n >= UINT32_MAX || n > SIZE_MAX / (2 * sizeof(uint64_t))) return false;
  uint64_t *ka = malloc(n * sizeof *ka), *kb = malloc(n * sizeof *kb);
  uint32_t *ia = malloc(n * sizeof *ia), *ib = malloc(n * sizeof *ib);
  size_t(*count)[BUCKETS] = calloc(DIGITS, sizeof *count);
  if (!ka || !kb || !ia || !ib || !count) {
    free(ka), free(kb), free(ia), free(ib), free(count);
    return false;
  }
  /* Every pass's histogram in one read of the scores. */
  for (size_t i = 0; i < n; i++) {
    uint64_t k = place_key(score[i], higher_better);
    ka[i] = k;
    ia[i] = (uint32_t)i;
    for (int d = 0; d < DIGITS; d++) count[d][digit(k, d)]++;
  }
  for (int d = 0; d < DIGITS; d++) {
    size_t *cnt = count[d];
    if (cnt[digit(ka[0], d)] == n) continue;
    size_t sum = 0;
    for (size_t v = 0; v < BUCKETS; v++) {
      size_t t = cnt[v];
      cnt[v] = sum;
      sum += t;
    }
    for (size_t i = 0; i < n; i++) {
      size_t to = cnt[digit(ka[i], d)]++;
      kb[to] = ka[i];
      ib[to] = ia[i];
    }
    uint64_t *tk = ka;
    ka = kb, kb = tk;
    uint32_t *ti = ia;
    ia = ib, ib = ti;
  }
  for (size_t i = 0; i < n; i++) order[i] = ia[i];
  free(kb), free(ia), free(ib), free(count);
  *sorted = ka;
  return true;
}

/* ---- ranking -------------------------------------------------------------- */
void parley__rank(const double *score, size_t n, bool higher_better, size_t *order, int *rank) {
  sorter by_score = {score, higher_better, NULL}, by_index = {NULL, false, NULL};
  uint64_t *key = NULL; /* the radix sort's keys in place order: scores read in sequence */
  if (n < RADIX_MIN || !radix_order(score, n, higher_better, order, &key)) {
    for (size_t i = 0; i < n; i++) order[i] = i;
    sort_order(&by_score, order, n);
  }
  /* rank[i] is the rank of the strategy at place i (order[i]). */
  size_t i = 0;
  while (i < n) {
    size_t j = i + 1;
    double lead = key ? key_score(key[i], higher_better) : score[order[i]];
    bool in_input_order = true;
    while (j < n && ((key && key[j] == key[i]) ||
                     ties(lead, key ? key_score(key[j], higher_better) : score[order[j]]))) {
      if (order[j] < order[j - 1]) in_input_order = false;
      j++;
    }
    /* Scores that tie without being equal were sorted by value; a tie
     * keeps the input order instead.  (The keys past j keep their places.) */
    if (!in_input_order) sort_order(&by_index, order + i, j - i);
    for (size_t t = i; t < j; t++) rank[t] = (int)(i + 1);
    i = j;
  }
  free(key);
}

/* ---- Kendall's tau-b ------------------------------------------------------ */
/* -1, 0 or +1 under the tie rule; NaN below every number. */
static int cmp_tol(double a, double b) {
  if (ties(a, b)) return 0;
  if (isnan(a)) return -1;
  if (isnan(b)) return 1;
  return a < b ? -1 : 1;
}

/* tau-b = (nc - nd) / sqrt((n0 - n1) (n0 - n2)), n0 = n (n - 1) / 2 pairs,
 * n1 and n2 the pairs tied in x and in y.  When one vector is all ties the
 * coefficient is 0/0: two rankings that are both all ties are the same
 * ranking (1); one all-tied ranking says nothing of the other (0). */
static double tau_from_counts(double n0, double n1, double n2, double s) {
  if (n0 <= 0) return 1;
  double dx = n0 - n1, dy = n0 - n2;
  if (dx <= 0 || dy <= 0) return dx <= 0 && dy <= 0 ? 1 : 0;
  double t = s / sqrt(dx * dy);
  return t > 1 ? 1 : t < -1 ? -1 : t;
}

double parley__kendall_tau_b(const double *x, const double *y, size_t n, bool higher_better) {
  /* Reversing both orders leaves every pair concordant or discordant as it
   * was, so the direction does not change tau. */
  (void)higher_better;
  double n1 = 0, n2 = 0, s = 0;
  for (size_t i = 0; i < n; i++) {
    for (size_t j = i + 1; j < n; j++) {
      int dx = cmp_tol(x[i], x[j]), dy = cmp_tol(y[i], y[j]);
      if (dx == 0) n1++;
      if (dy == 0) n2++;
      s += dx * dy;
    }
  }
  double nn = (double)n;
  return tau_from_counts(nn * (nn - 1) / 2, n1, n2, s);
}

/* Tie-class ids (competition ranks, 1 = best) of v, per strategy. */
static void classes(const double *v, size_t n, size_t *order, int *rank_by_place, int *out) {
  parley__rank(v, n, true, order, rank_by_place);
  for (size_t i = 0; i < n; i++) out[order[i]] = rank_by_place[i];
}

/* Fenwick tree over y-classes 1..n: how many inserted so far are <= r. */
static void bit_add(size_t *bit, size_t n, size_t r) {
  for (; r <= n; r += r & (~r + 1)) bit[r]++;
}
static size_t bit_prefix(const size_t *bit, size_t r) {
  size_t c = 0;
  for (; r > 0; r -= r & (~r + 1)) c += bit[r];
  return c;
}

/* Knight (1966): walk the strategies in x order, tie class by tie class; a
 * pair is discordant when the earlier (better-x) member has the strictly
 * worse y class, which a Fenwick tree over y classes counts in O(log n);
 * sorting each x class by y class gives the joint ties.  With nd discordant
 * pairs and n3 pairs tied in both, nc - nd = n0 - n1 - n2 + n3 - 2 nd. */
int parley__kendall_tau_b_knight(parley_engine *e, const double *x, const double *y, size_t n,
                                 double *out) {
  if (n < 2) {
    *out = 1;
    return PARLEY_OK;
  }
  size_t *ox = parley__malloc(e, parley__mul(n, sizeof *ox));
  size_t *bit = parley__calloc(e, n + 1, sizeof *bit);
  int *rk = parley__malloc(e, parley__mul(n, sizeof *rk));
  int *ry = parley__malloc(e, parley__mul(n, sizeof *ry));
  int rc = ox && bit && rk && ry ? PARLEY_OK : PARLEY_ENOMEM;
  if (rc == PARLEY_OK) {
    classes(y, n, ox, rk, ry);
    parley__rank(x, n, true, ox, rk); /* ox: the x order; rk: x classes by place */
    double n1 = 0, n2 = 0, n3 = 0, nd = 0;
    /* Pairs tied in y, from the size of each y class (bit[] as scratch). */
    for (size_t i = 0; i < n; i++) bit[ry[i]]++;
    for (size_t r = 1; r <= n; r++) {
      double t = (double)bit[r];
      n2 += t * (t - 1) / 2;
      bit[r] = 0;
    }
    sorter by_y = {NULL, false, ry};
    size_t inserted = 0, i = 0;
    while (i < n) {
      size_t j = i + 1;
      while (j < n && rk[j] == rk[i]) j++;
      double t = (double)(j - i);
      n1 += t * (t - 1) / 2;
      /* Every member against the better x classes already inserted. */
      for (size_t a = i; a < j; a++)
        nd += (double)(inserted - bit_prefix(bit, (size_t)ry[ox[a]]));
      /* Pairs tied in both: runs of one y class inside this x class. */
      if (j - i > 1) {
        sort_order(&by_y, ox + i, j - i);
        for (size_t a = i; a < j;) {
          size_t b = a + 1;
          while (b < j && ry[ox[b]] == ry[ox[a]]) b++;
          double u = (double)(b - a);
          n3 += u * (u - 1) / 2;
          a = b;
        }
      }
      for (size_t a = i; a < j; a++) bit_add(bit, n, (size_t)ry[ox[a]]);
      inserted += j - i;
      i = j;
    }
    double nn = (double)n, n0 = nn * (nn - 1) / 2;
    *out = tau_from_counts(n0, n1, n2, n0 - n1 - n2 + n3 - 2 * nd);
  }
  parley__free(e, ox);
  parley__free(e, bit);
  parley__free(e, rk);
  parley__free(e, ry);
  return rc;
}
