/*
 * gen_csv.c — writes the benchmark's input: an outcome table of ROWS
 * strategies by NC criteria as CSV (header "strategy,c1,...", no scenario
 * column, one row per strategy) and, beside it, a model file that names the
 * criteria with their directions and weights and points at the CSV with
 * {"outcomes": {"csv": ...}}, leaving the strategies to the CSV's first
 * column.  The values come from a fixed-seed generator (splitmix64), so two
 * runs write the same bytes; each is printed with four decimals, the way a
 * spreadsheet export usually looks, by hand rather than through printf,
 * because printf would make generating the file slower than loading it.
 *
 * usage: gen_csv DIR [ROWS [NC [SEED]]]   writes DIR/cube.csv, DIR/model.json
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

/* Writes the decimal digits of v into p; returns the end. */
static char *put_uint(char *p, uint64_t v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) *p++ = tmp[--n];
  return p;
}

/* Criterion c (0-based) of the benchmark: cost criteria every third one
 * from the second, and weights that differ so that a wrong weight would
 * show in the check against numpy.  The weights of the first ten sum to 1;
 * a wider model repeats them (the pipeline rescales weights to sum 1). */
static const char *direction(size_t c) { return c % 3 == 1 ? "min" : "max"; }
static double weight(size_t c) {
  static const double w[10] = {0.15, 0.10, 0.05, 0.10, 0.20, 0.05, 0.10, 0.05, 0.10, 0.10};
  return w[c % 10];
}

/* Criterion c's values run over [0, span) with span 10, 100, 1000, 10000
 * in turn: columns of different magnitudes, as real criteria have. */
static uint64_t span_units(size_t c) {
  uint64_t span = 100000; /* 10.0000 in units of 1e-4 */
  for (size_t i = 0; i < c % 4; i++) span *= 10;
  return span;
}

static int write_model(const char *dir, size_t nc) {
  char path[4096];
  snprintf(path, sizeof path, "%s/model.json", dir);
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "gen_csv: %s: %s\n", path, strerror(errno));
    return 1;
  }
  fprintf(f, "{\n  \"parley\": 1,\n  \"name\": \"Benchmark cube\",\n  \"criteria\": [\n");
  for (size_t c = 0; c < nc; c++)
    fprintf(f, "    {\"id\": \"c%zu\", \"direction\": \"%s\", \"weight\": %.2f}%s\n", c + 1,
            direction(c), weight(c), c + 1 < nc ? "," : "");
  fprintf(f, "  ],\n  \"outcomes\": {\"csv\": \"cube.csv\"},\n"
             "  \"pipeline\": {\"weighting\": \"given\", \"normalization\": \"vector\",\n"
             "               \"aggregation\": \"topsis\", \"rule\": \"expected\"}\n}\n");
  if (fclose(f) != 0) {
    fprintf(stderr, "gen_csv: %s: %s\n", path, strerror(errno));
    return 1;
  }
  return 0;
}

static int write_csv(const char *dir, size_t rows, size_t nc, uint64_t seed) {
  char path[4096];
  snprintf(path, sizeof path, "%s/cube.csv", dir);
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "gen_csv: %s: %s\n", path, strerror(errno));
    return 1;
  }
  static char buf[1 << 16];
  setvbuf(f, NULL, _IOFBF, 1 << 20);
  fputs("strategy", f);
  for (size_t c = 0; c < nc; c++) fprintf(f, ",c%zu", c + 1);
  fputc('\n', f);
  uint64_t state = seed;
  for (size_t r = 0; r < rows; r++) {
    char *p = buf;
    /* Ids "s0000000": fixed width keeps the rows of equal weight. */
    p += snprintf(p, 32, "s%07zu", r);
    for (size_t c = 0; c < nc; c++) {
      uint64_t v = splitmix64(&state) % span_units(c);
      *p++ = ',';
      p = put_uint(p, v / 10000);
      *p++ = '.';
      uint64_t frac = v % 10000;
      p[0] = (char)('0' + frac / 1000);
      p[1] = (char)('0' + frac / 100 % 10);
      p[2] = (char)('0' + frac / 10 % 10);
      p[3] = (char)('0' + frac % 10);
      p += 4;
      if ((size_t)(p - buf) > sizeof buf - 64) {
        fprintf(stderr, "gen_csv: too many criteria for one line\n");
        fclose(f);
        return 1;
      }
    }
    *p++ = '\n';
    fwrite(buf, 1, (size_t)(p - buf), f);
  }
  if (ferror(f) || fclose(f) != 0) {
    fprintf(stderr, "gen_csv: %s: write failed\n", path);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: gen_csv DIR [ROWS [NC [SEED]]]\n");
    return 2;
  }
  size_t rows = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
  size_t nc = argc > 3 ? strtoull(argv[3], NULL, 10) : 10;
  uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 20240601;
  if (rows == 0 || nc == 0 || nc > 1000 || rows > 9999999) {
    fprintf(stderr, "gen_csv: ROWS must be in [1, 9999999] and NC in [1, 1000]\n");
    return 2;
  }
  if (write_csv(argv[1], rows, nc, seed) || write_model(argv[1], nc)) return 1;
  return 0;
}
