/*
 * csv.c — the outcome table from CSV text, fast: a model may have a million
 * strategies.  The text is read in place, field by field, with no
 * allocation per field (a quoted field is unescaped into one reused
 * buffer), and each number goes straight from the text into the cube.
 * Numbers take Clinger's fast path when the digits and the power of ten
 * are both exact doubles, so that one IEEE multiplication or division
 * rounds correctly; anything else is rewritten as plain digits and an
 * exponent and handed to strtod, so every value has the bits strtod gives.
 * Ids are looked up through the model's hash index, after a check against
 * the previous row's id, which in a sorted table is nearly always the same.
 * Errors name FILE:LINE:COLUMN (columns in characters, as in the JSON
 * messages) and the column's header.
 */
#include "csv.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- numbers ------------------------------------------------------------- */
/* The powers of ten that are exact doubles (10^22 < 2^53 * 2^22). */
static const double exact_pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#define TWO53 9007199254740992ull
/* Digits kept when a number is rewritten for strtod: a double's halfway
 * points have at most 767 significant digits, so 800 digits plus a sticky
 * last digit round the same way as the whole number. */
#define MAXDIGITS 800
#define EXPCLAMP 100000LL

static bool digit(char c) { return (unsigned)(c - '0') < 10u; }

/* The slow path: the digits of [s, stop) (a mantissa already scanned) and
 * the exponent exp10 as "DDDDe-N" for strtod.  The text has no decimal
 * point, so the locale's decimal point does not matter. */
static double slow_number(const char *s, const char *stop, long long exp10) {
  char buf[MAXDIGITS + 32];
  size_t k = 0;
  long long e = 0;
  bool started = false, frac = false, sticky = false;
  for (; s < stop; s++) {
    char c = *s;
    if (c == '.') {
      frac = true;
      continue;
    }
    if (!started && c == '0') {
      if (frac) e--;
      continue;
    }
    started = true;
    if (k < MAXDIGITS) {
      buf[k++] = c;
      if (frac) e--;
    } else {
      if (!frac) e++;
      if (c != '0') sticky = true;
    }
  }
  if (k == 0) return 0.0;
  if (sticky) {
    buf[k++] = '1';
    e--;
  }
  e += exp10;
  /* With at most 801 digits, beyond these bounds the value is 0 or inf. */
  if (e > EXPCLAMP) e = EXPCLAMP;
  if (e < -EXPCLAMP) e = -EXPCLAMP;
  snprintf(buf + k, sizeof buf - k, "e%lld", e);
  return strtod(buf, NULL);
}

/* A run of digits at p, accumulated into *mant (unchecked: the caller
 * counts the digits); returns the end of the run.  (Reading eight bytes at
 * a time, SWAR fashion, measured no faster on the short numbers tables
 * hold.) */
static const char *digit_run(const char *p, const char *end, uint64_t *mant) {
  uint64_t m = *mant;
  for (; p < end && digit(*p); p++) m = m * 10 + (uint64_t)(*p - '0');
  *mant = m;
  return p;
}

const char *parley__csv_scan_number(const char *p, const char *end, double *out) {
  bool neg = false;
  if (p < end && (*p == '-' || *p == '+')) {
    neg = *p == '-';
    p++;
  }
  /* Digits accumulate unchecked: with at most 19 of them (leading zeros
   * included) mant cannot overflow; with more the slow path reads the text
   * again. */
  const char *digits = p;
  uint64_t mant = 0;
  p = digit_run(p, end, &mant);
  size_t nd = (size_t)(p - digits), nfrac = 0;
  if (p < end && *p == '.') {
    const char *frac = ++p;
    p = digit_run(p, end, &mant);
    nfrac = (size_t)(p - frac);
    nd += nfrac;
  }
  if (nd == 0) return NULL;
  const char *stop = p;
  long long ex = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    const char *q = p + 1;
    bool eneg = false;
    if (q < end && (*q == '+' || *q == '-')) {
      eneg = *q == '-';
      q++;
    }
    if (q < end && digit(*q)) {
      for (; q < end && digit(*q); q++)
        if (ex < 1000000000000LL) ex = ex * 10 + (*q - '0');
      if (eneg) ex = -ex;
      p = q;
    }
  }
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
  /* Clinger's fast path: an exact mantissa times or over an exact power of
   * ten is one correctly rounded operation.  (Where double arithmetic is
   * carried out in a wider format it would round twice: not taken there.) */
  if (nd <= 19 && mant <= TWO53) {
    long long e = ex - (long long)nfrac;
    double m = neg ? -(double)mant : (double)mant; /* exact */
    if (mant == 0) {
      *out = m;
      return p;
    }
    if (e < 0 && e >= -22) {
      *out = m / exact_pow10[-e];
      return p;
    }
    if (e >= 0 && e <= 22) {
      *out = m * exact_pow10[e];
      return p;
    }
    if (e > 22 && e <= 22 + 15) {
      /* Move the surplus power into the mantissa while it stays exact. */
      uint64_t m2 = mant;
      long long k = e - 22;
      for (; k > 0 && m2 <= TWO53 / 10; k--) m2 *= 10;
      if (k == 0) {
        *out = (neg ? -(double)m2 : (double)m2) * 1e22;
        return p;
      }
    }
  }
#else
  (void)mant;
  (void)nfrac;
#endif
  double d = slow_number(digits, stop, ex);
  *out = neg ? -d : d;
  return p;
}

bool parley__csv_number(const char *s, size_t n, double *out) {
  const char *end = s + n;
  const char *p = parley__csv_scan_number(s, end, out);
  return p != NULL && p == end;
}

/* ---- the reader ---------------------------------------------------------- */
enum { COL_STRATEGY, COL_SCENARIO, COL_CRITERION };

typedef struct col {
  int kind;
  size_t crit; /* COL_CRITERION: the criterion's index */
} col;

/* The last id a column saw, and its index. */
typedef struct idcache {
  char *buf;
  size_t len, cap, idx;
  bool valid;
} idcache;

typedef struct reader {
  parley_model *m;
  parley_engine *e;
  const char *file;
  const char *end, *p;
  size_t line;
  const char *line_start;
  /* Where the field being read began (a quoted field may span lines). */
  const char *fstart, *fline_start;
  size_t fline;
  char *scratch; /* unescaped quoted field */
  size_t scap;
  col *cols;
  size_t ncol;
  int scol; /* column of the strategy, -1 */
  bool has_scenarios;
  idcache cache[2]; /* strategy, scenario */
  double *row;      /* [nc] values of the row being read */
  uint32_t *seen;   /* [ns * nk] line of the row of (s, k), 0 when none yet */
} reader;

static size_t column_of(const char *line_start, const char *at) {
  size_t c = 1;
  for (const char *q = line_start; q < at; q++)
    if (((unsigned char)*q & 0xC0) != 0x80) c++;
  return c;
}

static int rerr_at(reader *r, size_t line, const char *line_start, const char *at, int code,
                   const char *fmt, ...) PARLEY__PRINTF(6, 7);
static int rerr_at(reader *r, size_t line, const char *line_start, const char *at, int code,
                   const char *fmt, ...) {
  char what[PARLEY__ERRMAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return parley__err(r->e, code, "%s:%zu:%zu: %s", r->file, line, column_of(line_start, at), what);
}

/* Errors about the field just read. */
#define FIELD_ERR(r, code, ...)                                                                    \
  rerr_at(r, (r)->fline, (r)->fline_start, (r)->fstart, code, __VA_ARGS__)
/* Errors at the reader's position. */
#define HERE_ERR(r, code, ...) rerr_at(r, (r)->line, (r)->line_start, (r)->p, code, __VA_ARGS__)

static const char *column_name(const reader *r, size_t j) {
  switch (r->cols[j].kind) {
  case COL_STRATEGY: return "strategy";
  case COL_SCENARIO: return "scenario";
  default: return r->m->crit[r->cols[j].crit].id;
  }
}

static bool at_eol(const reader *r) { return r->p >= r->end || *r->p == '\n' || *r->p == '\r'; }

/* Past "\r\n", "\n" or a lone "\r". */
static void next_line(reader *r) {
  if (r->p < r->end && *r->p == '\r') r->p++;
  if (r->p < r->end && *r->p == '\n') r->p++;
  r->line++;
  r->line_start = r->p;
}

static bool scratch_fit(reader *r, size_t need) {
  if (need <= r->scap) return true;
  size_t cap = r->scap ? r->scap : 64;
  while (cap < need) cap *= 2;
  char *s = parley__realloc(r->e, r->scratch, cap);
  if (!s) return false;
  r->scratch = s;
  r->scap = cap;
  return true;
}

/* Reads the field at r->p up to the next ',' or line end: *s, *n get its
 * text (unquoted and unescaped; it lives until the next field is read) and
 * r->p is left on the delimiter or the end of the text. */
static int read_field(reader *r, const char **s, size_t *n) {
  const char *p = r->p, *end = r->end;
  r->fstart = p;
  r->fline = r->line;
  r->fline_start = r->line_start;
  if (p < end && *p == '"') {
    size_t len = 0;
    const char *q = p + 1;
    for (;;) {
      const char *close = memchr(q, '"', (size_t)(end - q));
      if (!close)
        return FIELD_ERR(r, PARLEY_ESYNTAX,
                         "unterminated quoted field: the closing '\"' is missing");
      size_t chunk = (size_t)(close - q);
      if (!scratch_fit(r, len + chunk + 2)) return PARLEY_ENOMEM;
      memcpy(r->scratch + len, q, chunk);
      len += chunk;
      for (const char *nl = q; (nl = memchr(nl, '\n', (size_t)(close - nl))) != NULL; nl++) {
        r->line++;
        r->line_start = nl + 1;
      }
      if (close + 1 < end && close[1] == '"') { /* "" is one quote */
        r->scratch[len++] = '"';
        q = close + 2;
        continue;
      }
      p = close + 1;
      break;
    }
    r->p = p;
    if (!at_eol(r) && *p != ',')
      return HERE_ERR(r, PARLEY_ESYNTAX,
                      "unexpected character after a closing quote; expected ',' or the end of "
                      "the line");
    r->scratch[len] = '\0';
    *s = r->scratch;
    *n = len;
    return PARLEY_OK;
  }
  const char *q = p;
  while (q < end && *q != ',' && *q != '\n' && *q != '\r') q++;
  *s = p;
  *n = (size_t)(q - p);
  r->p = q;
  return PARLEY_OK;
}

/* A short excerpt of a field for messages. */
static int excerpt_len(size_t n) { return n > 40 ? 40 : (int)n; }

/* Keeps s[0..n) as the cache's id (NUL-terminated). */
static int cache_set(reader *r, idcache *c, const char *s, size_t n) {
  if (n + 1 > c->cap) {
    size_t cap = c->cap ? c->cap : 32;
    while (cap < n + 1) cap *= 2;
    char *b = parley__realloc(r->e, c->buf, cap);
    if (!b) return PARLEY_ENOMEM;
    c->buf = b;
    c->cap = cap;
  }
  memcpy(c->buf, s, n);
  c->buf[n] = '\0';
  c->len = n;
  return PARLEY_OK;
}

/* The index of the id s[0..n) in column j (a strategy or scenario column). */
static int lookup(reader *r, size_t j, const char *s, size_t n, bool add, size_t *out) {
  bool strat = r->cols[j].kind == COL_STRATEGY;
  idcache *c = &r->cache[strat ? 0 : 1];
  if (c->valid && n == c->len && memcmp(s, c->buf, n) == 0) {
    *out = c->idx;
    return PARLEY_OK;
  }
  const char *what = strat ? "strategy" : "scenario";
  if (n == 0) return FIELD_ERR(r, PARLEY_EINVALID, "empty %s id in column '%s'", what, what);
  if (memchr(s, '\0', n)) return FIELD_ERR(r, PARLEY_EINVALID, "NUL byte in a %s id", what);
  int rc = PARLEY_OK;
  /* Tables are mostly written in the model's order: try the id after the
   * last one (wrapping round, as scenarios cycle) before hashing, which
   * costs a cache miss or two per row on a large model. */
  size_t count = strat ? r->m->ns : r->m->nk;
  if (c->valid && count) {
    size_t next = c->idx + 1 < count ? c->idx + 1 : 0;
    const char *id = strat ? r->m->strat[next].id : r->m->scen[next].id;
    if (strncmp(id, s, n) == 0 && id[n] == '\0') {
      if ((rc = cache_set(r, c, s, n)) != PARLEY_OK) return rc;
      c->idx = next;
      *out = next;
      return PARLEY_OK;
    }
  }
  c->valid = false;
  if ((rc = cache_set(r, c, s, n)) != PARLEY_OK) return rc;
  parley_entity ent = strat ? PARLEY_STRATEGIES : PARLEY_SCENARIOS;
  size_t idx;
  if (add) {
    /* Collecting the strategies: an id not seen just before is nearly
     * always new, so add it straight away (the builder looks it up anyway)
     * and only when that fails see whether it was there already. */
    idx = parley__model_add(r->m, ent, c->buf, NULL);
    if (idx == SIZE_MAX) {
      idx = parley__find(r->m, ent, c->buf);
      if (idx == SIZE_MAX) return r->e->errcode;
      parley__ok(r->e); /* it was: the "duplicate" the builder reported is no error here */
    }
  } else {
    idx = parley__find(r->m, ent, c->buf);
    if (idx == SIZE_MAX)
      return FIELD_ERR(r, PARLEY_ENOTFOUND,
                       "unknown %s '%.*s' in column '%s'; the model's \"%s\" do not list it", what,
                       excerpt_len(n), s, what, strat ? "strategies" : "scenarios");
  }
  c->idx = idx;
  c->valid = true;
  *out = idx;
  return PARLEY_OK;
}

static bool space(char c) { return c == ' ' || c == '\t'; }

/* A number field of criterion column j into r->row. */
static int number_field(reader *r, size_t j) {
  const char *p = r->p, *end = r->end;
  double v = 0;
  const char *q = p;
  while (q < end && space(*q)) q++;
  const char *after = q < end && *q != '"' ? parley__csv_scan_number(q, end, &v) : NULL;
  if (after) {
    while (after < end && space(*after)) after++;
    if (after < end && *after != ',' && *after != '\n' && *after != '\r') after = NULL;
  }
  if (after) {
    r->p = after;
    if (!isfinite(v)) {
      r->fstart = q;
      r->fline = r->line;
      r->fline_start = r->line_start;
      return FIELD_ERR(r, PARLEY_EINVALID, "column '%s': number out of range of a double (%.*s)",
                       column_name(r, j), excerpt_len((size_t)(after - q)), q);
    }
  } else {
    /* Quoted, or not a number: read it as a field to say which. */
    const char *s;
    size_t n;
    int rc = read_field(r, &s, &n);
    if (rc != PARLEY_OK) return rc;
    while (n && space(*s)) s++, n--;
    while (n && space(s[n - 1])) n--;
    if (n == 0)
      return FIELD_ERR(r, PARLEY_ESYNTAX, "column '%s': empty value, expected a number",
                       column_name(r, j));
    if (!parley__csv_number(s, n, &v))
      return FIELD_ERR(r, PARLEY_ESYNTAX, "column '%s': expected a number, got '%.*s'",
                       column_name(r, j), excerpt_len(n), s);
    if (!isfinite(v))
      return FIELD_ERR(r, PARLEY_EINVALID, "column '%s': number out of range of a double (%.*s)",
                       column_name(r, j), excerpt_len(n), s);
  }
  r->row[r->cols[j].crit] = v;
  return PARLEY_OK;
}

static int read_header(reader *r) {
  parley_model *m = r->m;
  if (r->end - r->p >= 3 && memcmp(r->p, "\xEF\xBB\xBF", 3) == 0) {
    r->p += 3;
    r->line_start = r->p;
  }
  if (r->p >= r->end)
    return HERE_ERR(r, PARLEY_EINVALID,
                    "the file is empty; expected a header line strategy,scenario,<criterion ids>");
  r->cols = parley__calloc(r->e, m->nc + 2, sizeof *r->cols);
  if (!r->cols) return PARLEY_ENOMEM;
  size_t *first = parley__calloc(r->e, m->nc + 2, sizeof *first); /* column + 1 of each */
  if (!first) return PARLEY_ENOMEM;
  int rc = PARLEY_OK;
  const size_t SLOT_STRAT = m->nc, SLOT_SCEN = m->nc + 1;
  for (size_t j = 0;; j++) {
    const char *s;
    size_t n;
    if ((rc = read_field(r, &s, &n)) != PARLEY_OK) break;
    col c = {COL_CRITERION, 0};
    size_t slot;
    if (n == 8 && memcmp(s, "strategy", 8) == 0) {
      c.kind = COL_STRATEGY;
      slot = SLOT_STRAT;
    } else if (n == 8 && memcmp(s, "scenario", 8) == 0) {
      c.kind = COL_SCENARIO;
      slot = SLOT_SCEN;
      if (!r->has_scenarios) {
        rc = FIELD_ERR(r, PARLEY_EINVALID,
                       "column 'scenario' given, but the model lists no scenarios; drop the "
                       "column or list the scenarios");
        break;
      }
    } else {
      if (n == 0) {
        rc = FIELD_ERR(r, PARLEY_EINVALID,
                       "empty column name; expected strategy, scenario or a criterion id");
        break;
      }
      slot = SIZE_MAX;
      if (!memchr(s, '\0', n)) { /* the id cache serves as a NUL-terminated copy */
        if ((rc = cache_set(r, &r->cache[0], s, n)) != PARLEY_OK) break;
        slot = parley__find(m, PARLEY_CRITERIA, r->cache[0].buf);
      }
      if (slot == SIZE_MAX) {
        rc = FIELD_ERR(r, PARLEY_ENOTFOUND,
                       "unknown column '%.*s'; expected strategy, scenario or a criterion id",
                       excerpt_len(n), s);
        break;
      }
      c.crit = slot;
    }
    if (first[slot]) {
      rc = FIELD_ERR(r, PARLEY_EINVALID, "column '%.*s' appears twice (first as column %zu)",
                     excerpt_len(n), s, first[slot]);
      break;
    }
    first[slot] = j + 1;
    r->cols[r->ncol++] = c; /* each slot is taken once: at most nc + 2 columns */
    if (at_eol(r)) break;
    r->p++; /* the ',' */
  }
  if (rc == PARLEY_OK) {
    const char *hs = r->line_start;
    size_t hl = r->line;
    if (!first[SLOT_STRAT]) {
      rc = rerr_at(r, hl, hs, hs, PARLEY_EINVALID, "missing column 'strategy'");
    } else if (r->has_scenarios && !first[SLOT_SCEN]) {
      rc = rerr_at(r, hl, hs, hs, PARLEY_EINVALID,
                   "missing column 'scenario' (the model has scenarios)");
    } else {
      for (size_t c = 0; c < m->nc; c++)
        if (!first[c]) {
          rc = rerr_at(r, hl, hs, hs, PARLEY_EINVALID, "missing column for criterion '%s'",
                       m->crit[c].id);
          break;
        }
    }
    r->scol = (int)first[SLOT_STRAT] - 1;
  }
  parley__free(r->e, first);
  if (rc == PARLEY_OK) next_line(r);
  return rc;
}

static int short_row(reader *r, size_t j) {
  return HERE_ERR(r, PARLEY_ESYNTAX,
                  "short row: %zu fields, expected %zu (no value for column '%s')", j, r->ncol,
                  column_name(r, j));
}

/* The first pass over a table whose strategy column makes the model's list
 * of strategies: only the ids, in order of first appearance.  The rest of a
 * line is skipped unread when it holds no quote (a quoted field may hide a
 * line break) and no lone CR; the values pass checks every field. */
static int collect_strategies(reader *r) {
  size_t scol = (size_t)r->scol, idx;
  const char *end = r->end;
  int rc;
  for (;;) {
    while (r->p < end && (*r->p == '\n' || *r->p == '\r')) next_line(r); /* blank lines */
    if (r->p >= end) return PARLEY_OK;
    for (size_t j = 0; j <= scol; j++) {
      const char *fs;
      size_t fn;
      if (j > 0) {
        if (r->p >= end || *r->p != ',') return short_row(r, j);
        r->p++;
      }
      if ((rc = read_field(r, &fs, &fn)) != PARLEY_OK) return rc;
      if (j == scol && (rc = lookup(r, j, fs, fn, true, &idx)) != PARLEY_OK) return rc;
    }
    const char *p = r->p, *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl : end, *cr = memchr(p, '\r', (size_t)(stop - p));
    if (!memchr(p, '"', (size_t)(stop - p)) && (!cr || cr == stop - 1)) {
      r->p = cr ? cr : stop;
    } else {
      while (r->p < end && *r->p == ',') {
        const char *fs;
        size_t fn;
        r->p++;
        if ((rc = read_field(r, &fs, &fn)) != PARLEY_OK) return rc;
      }
    }
    next_line(r);
  }
}

/* The values pass: every field checked, the cube filled. */
static int read_rows(reader *r) {
  parley_model *m = r->m;
  int rc;
  for (;;) {
    while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) next_line(r); /* blank lines */
    if (r->p >= r->end) return PARLEY_OK;
    size_t s = SIZE_MAX, k = 0, row_line = r->line;
    for (size_t j = 0; j < r->ncol; j++) {
      if (j > 0) {
        if (r->p >= r->end || *r->p != ',') return short_row(r, j);
        r->p++;
      }
      const col *c = &r->cols[j];
      if (c->kind == COL_CRITERION) {
        if ((rc = number_field(r, j)) != PARLEY_OK) return rc;
        continue;
      }
      const char *fs;
      size_t fn, idx = 0;
      if ((rc = read_field(r, &fs, &fn)) != PARLEY_OK ||
          (rc = lookup(r, j, fs, fn, false, &idx)) != PARLEY_OK)
        return rc;
      if (c->kind == COL_STRATEGY)
        s = idx;
      else
        k = idx;
    }
    if (!at_eol(r))
      return HERE_ERR(r, PARLEY_ESYNTAX, "long row: more than %zu fields (the header has %zu)",
                      r->ncol, r->ncol);
    uint32_t *seen = &r->seen[s * m->nk + k];
    if (*seen) {
      const char *ls = r->line_start;
      if (m->implicit_scenario)
        return rerr_at(r, row_line, ls, ls, PARLEY_EINVALID,
                       "duplicate row for strategy '%s' (first at line %lu)", m->strat[s].id,
                       (unsigned long)*seen);
      return rerr_at(r, row_line, ls, ls, PARLEY_EINVALID,
                     "duplicate row for strategy '%s', scenario '%s' (first at line %lu)",
                     m->strat[s].id, m->scen[k].id, (unsigned long)*seen);
    }
    *seen = row_line < UINT32_MAX ? (uint32_t)row_line : UINT32_MAX;
    /* The values were checked finite as they were read, and a fresh cube
     * holds no distributions: write the cells directly. */
    double *cube = m->cube;
    for (size_t c = 0; c < m->nc; c++) cube[parley__cell(m, s, k, c)] = r->row[c];
    next_line(r);
  }
}

int parley__csv_outcomes(parley_model *m, const char *text, size_t len, const char *file,
                         bool add_strategies) {
  parley_engine *e = m->engine;
  reader r;
  memset(&r, 0, sizeof r);
  r.m = m;
  r.e = e;
  r.file = file;
  r.p = r.line_start = text;
  r.end = text + len;
  r.line = 1;
  r.scol = -1;
  r.has_scenarios = m->frozen ? !m->implicit_scenario : m->nk > 0;
  if (m->frozen && add_strategies)
    return parley__err(e, PARLEY_EUSAGE, "%s: the model's dimensions are fixed already", file);

  int rc = read_header(&r);
  const char *data = r.p, *data_line_start = r.line_start;
  size_t data_line = r.line;
  if (rc == PARLEY_OK && add_strategies) {
    /* Room for every strategy at once, so that the list and its index are
     * not grown (and rehashed) some twenty times on a large table.  A data
     * row ends at a line break or the end, and a complete table has a row
     * for each scenario of each strategy, so this is never too few; quoted
     * line breaks and blank lines only make it more, by little, so
     * when the room cannot be had the table is taken to need more memory
     * than there is (every allocation failure is PARLEY_ENOMEM). */
    size_t rows = 1;
    for (const char *q = data; (q = memchr(q, '\n', (size_t)(r.end - q))) != NULL; q++) rows++;
    size_t nk = r.has_scenarios && m->nk ? m->nk : 1;
    rc = parley__model_reserve(m, PARLEY_STRATEGIES, rows / nk + 1);
    if (rc == PARLEY_OK) rc = collect_strategies(&r);
    if (rc == PARLEY_OK && m->ns == 0)
      rc = parley__err(e, PARLEY_EINVALID,
                       "%s: no rows; the model's strategies are taken from this table, so it "
                       "needs at least one",
                       file);
    r.p = data;
    r.line = data_line;
    r.line_start = data_line_start;
    r.cache[0].valid = r.cache[1].valid = false;
  }
  if (rc == PARLEY_OK) rc = parley__model_freeze(m);
  if (rc == PARLEY_OK) {
    r.row = parley__malloc(e, parley__mul(m->nc, sizeof *r.row));
    r.seen = parley__calloc(e, parley__mul(m->ns, m->nk), sizeof *r.seen);
    if (!r.row || !r.seen) rc = PARLEY_ENOMEM;
  }
  if (rc == PARLEY_OK) rc = read_rows(&r);
  if (rc == PARLEY_OK) {
    size_t missing = 0, first = SIZE_MAX;
    for (size_t i = 0; i < m->ns * m->nk; i++)
      if (!r.seen[i]) {
        if (first == SIZE_MAX) first = i;
        missing++;
      }
    if (first != SIZE_MAX) {
      size_t s = first / m->nk, k = first % m->nk;
      if (m->implicit_scenario)
        rc = parley__err(e, PARLEY_EINVALID, "%s: missing row for strategy '%s' (%zu %s missing)",
                         file, m->strat[s].id, missing, missing == 1 ? "row" : "rows");
      else
        rc = parley__err(e, PARLEY_EINVALID,
                         "%s: missing row for strategy '%s', scenario '%s' (%zu %s missing)", file,
                         m->strat[s].id, m->scen[k].id, missing, missing == 1 ? "row" : "rows");
    }
  }
  parley__free(e, r.scratch);
  parley__free(e, r.cols);
  parley__free(e, r.row);
  parley__free(e, r.seen);
  parley__free(e, r.cache[0].buf);
  parley__free(e, r.cache[1].buf);
  return rc;
}
