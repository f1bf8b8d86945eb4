/*
 * result_text.c — the plain-text report of a result, for a person at a
 * terminal: the model, the pipeline that ran, the ranking, the weights, the
 * probabilities, the utilities, the actors' rankings side by side with their
 * agreement, and the value of information.  Plain ASCII layout in aligned
 * columns (widths count UTF-8 characters, not bytes, so names with accents
 * still line up).  Numbers show four decimals.  Long lists are cut: past 50
 * strategies a table shows the best 20 and the worst 5, and past 12
 * scenarios the utilities table is left out; the JSON format has them all.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MANY_STRATEGIES 50 /* past this, tables are cut */
#define SHOW_TOP 20
#define SHOW_BOTTOM 5
#define MAX_UTILITY_COLUMNS 12

/* ---- numbers ------------------------------------------------------------ */
/* Four decimals; scientific notation where fixed point would hide the value
 * (tiny) or stretch the column (huge). */
static void fmt_num(char *out, size_t n, double v) {
  double a = fabs(v);
  if (!isfinite(v))
    snprintf(out, n, "n/a");
  else if (v != 0 && (a < 1e-4 || a >= 1e9))
    snprintf(out, n, "%.4e", v);
  else
    snprintf(out, n, "%.4f", v == 0 ? 0.0 : v); /* no "-0.0000" */
}

/* Characters shown, counting each UTF-8 sequence once. */
/* Columns of n bytes of UTF-8 text: one per character. */
static size_t span_width(const char *s, size_t n) {
  size_t w = 0;
  for (size_t i = 0; i < n; i++) w += ((unsigned char)s[i] & 0xC0) != 0x80;
  return w;
}

static size_t text_width(const char *s) { return span_width(s, strlen(s)); }

/* ---- tables --------------------------------------------------------------
 * Cells are copied into engine memory; the first row is the header, which
 * gets a rule of dashes under it.  A failed allocation marks the table and
 * the buffer failed, and parley__buf_finish then reports PARLEY_ENOMEM. */
typedef struct table {
  parley_engine *e;
  size_t ncol, nrow, cap;
  char **cell;       /* [nrow * ncol], NULL for an empty cell */
  const char *align; /* one 'l' or 'r' per column */
  bool failed;
} table;

static void t_init(table *t, parley_engine *e, size_t ncol, const char *align) {
  memset(t, 0, sizeof *t);
  t->e = e;
  t->ncol = ncol;
  t->align = align;
}

/* Starts a new row; its index, or SIZE_MAX when out of memory. */
static size_t t_row(table *t) {
  if (t->failed) return SIZE_MAX;
  if (t->nrow == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 16;
    char **c = parley__realloc(t->e, t->cell, parley__mul(parley__mul(cap, t->ncol), sizeof *c));
    if (!c) {
      t->failed = true;
      return SIZE_MAX;
    }
    t->cell = c;
    t->cap = cap;
  }
  for (size_t i = 0; i < t->ncol; i++) t->cell[t->nrow * t->ncol + i] = NULL;
  return t->nrow++;
}

static void t_set(table *t, size_t row, size_t col, const char *s) {
  if (t->failed || row == SIZE_MAX || !s) return;
  char **slot = &t->cell[row * t->ncol + col];
  parley__free(t->e, *slot);
  if (!(*slot = parley__strdup(t->e, s))) t->failed = true;
}

static void t_setnum(table *t, size_t row, size_t col, double v) {
  char num[48];
  fmt_num(num, sizeof num, v);
  t_set(t, row, col, num);
}

static void t_free(table *t) {
  if (t->cell)
    for (size_t i = 0; i < t->nrow * t->ncol; i++) parley__free(t->e, t->cell[i]);
  parley__free(t->e, t->cell);
  memset(t, 0, sizeof *t);
}

static void pad(parley__buf *b, size_t n) {
  static const char spaces[] = "                                ";
  while (n > 0) {
    size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
    parley__buf_add(b, spaces, k);
    n -= k;
  }
}

/* Prints rows [from, to) with widths taken over the whole table. */
static void t_print_rows(table *t, parley__buf *b, size_t from, size_t to) {
  if (t->failed) {
    b->failed = true;
    return;
  }
  size_t width[64] = {0}; /* no table here has more than 1 + 12 + a few columns */
  size_t ncol = t->ncol < 64 ? t->ncol : 64;
  for (size_t r = 0; r < t->nrow; r++)
    for (size_t c = 0; c < ncol; c++) {
      const char *s = t->cell[r * t->ncol + c];
      size_t w = s ? text_width(s) : 0;
      if (w > width[c]) width[c] = w;
    }
  for (size_t r = from; r < to && r < t->nrow; r++) {
    pad(b, 2);
    /* Trailing blanks are dropped: the last non-empty cell ends the line. */
    size_t last = 0;
    for (size_t c = 0; c < ncol; c++)
      if (t->cell[r * t->ncol + c]) last = c;
    for (size_t c = 0; c <= last; c++) {
      const char *s = t->cell[r * t->ncol + c];
      if (!s) s = "";
      size_t gap = width[c] - text_width(s);
      if (c > 0) pad(b, 2);
      if (t->align[c] == 'r') pad(b, gap);
      parley__buf_puts(b, s);
      if (t->align[c] != 'r' && c < last) pad(b, gap);
    }
    parley__buf_puts(b, "\n");
    if (r == 0) {
      pad(b, 2);
      for (size_t c = 0; c < ncol; c++) {
        if (c > 0) pad(b, 2);
        for (size_t k = 0; k < width[c]; k++) parley__buf_add(b, "-", 1);
      }
      parley__buf_puts(b, "\n");
    }
  }
}

/* Prints a table whose rows after the header are places 0..n-1 of a
 * ranking, cut to the best and the worst when there are many: the caller
 * added only the rows that shown() admits. */
static bool shown(size_t place, size_t n) {
  return n <= MANY_STRATEGIES || place < SHOW_TOP || place >= n - SHOW_BOTTOM;
}

static void t_print_ranked(table *t, parley__buf *b, size_t n) {
  if (n <= MANY_STRATEGIES) {
    t_print_rows(t, b, 0, t->nrow);
    return;
  }
  t_print_rows(t, b, 0, 1 + SHOW_TOP);
  parley__buf_printf(b, "  ... %zu more ...\n", n - SHOW_TOP - SHOW_BOTTOM);
  t_print_rows(t, b, 1 + SHOW_TOP, t->nrow);
}

/* ---- sections ------------------------------------------------------------ */
static const char *strategy_name(const parley_model *m, size_t s) {
  return m->strat[s].name ? m->strat[s].name : m->strat[s].id;
}

static const char *plural(size_t n, const char *one, const char *many) {
  return n == 1 ? one : many;
}

/* Writes text wrapped at width columns (characters, as text_width counts
 * them), breaking at spaces; a word longer than the width stands on its own
 * line, and a line break in the text is kept. */
static void wrapped(parley__buf *b, const char *text, size_t width) {
  size_t col = 0;
  const char *p = text;
  while (*p) {
    while (*p == ' ') p++;
    const char *end = p;
    while (*end && *end != ' ' && *end != '\n') end++;
    size_t len = (size_t)(end - p), cols = span_width(p, len);
    if (len == 0) {
      if (*p == '\n') {
        parley__buf_puts(b, "\n");
        col = 0;
        p++;
      }
      continue;
    }
    if (col > 0 && col + 1 + cols > width) {
      parley__buf_puts(b, "\n");
      col = 0;
    } else if (col > 0) {
      parley__buf_puts(b, " ");
      col++;
    }
    parley__buf_add(b, p, len);
    col += cols;
    p = end;
  }
  if (col > 0) parley__buf_puts(b, "\n");
}

static void title(parley__buf *b, const parley_result *r) {
  const parley_model *m = r->model;
  const char *name = m->name && *m->name ? m->name : "(unnamed model)";
  parley__buf_printf(b, "%s\n", name);
  for (size_t i = text_width(name); i > 0; i--) parley__buf_add(b, "=", 1);
  parley__buf_puts(b, "\n");
  if (m->description && *m->description) {
    wrapped(b, m->description, 78);
    parley__buf_puts(b, "\n");
  }
  parley__buf_printf(b, "%zu %s, %zu %s, ", r->ns, plural(r->ns, "strategy", "strategies"),
                     r->nc, plural(r->nc, "criterion", "criteria"));
  if (m->implicit_scenario)
    parley__buf_puts(b, "no scenarios");
  else
    parley__buf_printf(b, "%zu %s", r->nk, plural(r->nk, "scenario", "scenarios"));
  if (r->na > 0) parley__buf_printf(b, ", %zu %s", r->na, plural(r->na, "actor", "actors"));
  parley__buf_puts(b, "\n\n");
}

static void pipeline(parley__buf *b, const parley_result *r) {
  static const parley_stage_kind kinds[] = {PARLEY_STAGE_WEIGHTING, PARLEY_STAGE_NORMALIZATION,
                                            PARLEY_STAGE_AGGREGATION, PARLEY_STAGE_RULE,
                                            PARLEY_STAGE_ANALYSIS};
  parley__buf_puts(b, "Pipeline\n");
  size_t w = strlen("normalization");
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    const char *kname = parley_stage_kind_name(kinds[i]);
    const char *text = r->stage[kinds[i]];
    if (!text) continue;
    parley__buf_printf(b, "  %-*s  %s\n", (int)w, kname, text);
  }
  parley__buf_puts(b, "\n");
}

static void ranking(parley__buf *b, parley_engine *e, const parley_result *r) {
  const parley_model *m = r->model;
  parley__buf_printf(b, "Ranking (%s score is better)\n", r->higher_better ? "higher" : "lower");
  table t;
  t_init(&t, e, 4, "rllr");
  size_t row = t_row(&t);
  t_set(&t, row, 0, "rank");
  t_set(&t, row, 1, "strategy");
  t_set(&t, row, 2, "name");
  t_set(&t, row, 3, "score");
  for (size_t i = 0; i < r->ns; i++) {
    if (!shown(i, r->ns)) continue;
    size_t s = r->order[i];
    char rank[24];
    snprintf(rank, sizeof rank, "%d", r->rank[i]);
    row = t_row(&t);
    t_set(&t, row, 0, rank);
    t_set(&t, row, 1, m->strat[s].id);
    t_set(&t, row, 2, strategy_name(m, s));
    t_setnum(&t, row, 3, r->score[s]);
  }
  t_print_ranked(&t, b, r->ns);
  t_free(&t);
  parley__buf_puts(b, "\n");
}

static void weights(parley__buf *b, parley_engine *e, const parley_result *r) {
  const parley_model *m = r->model;
  parley__buf_puts(b, "Weights\n");
  table t;
  t_init(&t, e, 4, "llrl");
  size_t row = t_row(&t);
  t_set(&t, row, 0, "criterion");
  t_set(&t, row, 1, "name");
  t_set(&t, row, 2, "weight");
  t_set(&t, row, 3, "direction");
  for (size_t c = 0; c < r->nc; c++) {
    row = t_row(&t);
    t_set(&t, row, 0, m->crit[c].id);
    t_set(&t, row, 1, m->crit[c].name ? m->crit[c].name : m->crit[c].id);
    t_setnum(&t, row, 2, r->w[c]);
    t_set(&t, row, 3, m->crit[c].dir < 0 ? "min" : "max");
  }
  t_print_rows(&t, b, 0, t.nrow);
  t_free(&t);
  parley__buf_puts(b, "\n");
}

static void probabilities(parley__buf *b, parley_engine *e, const parley_result *r) {
  const parley_model *m = r->model;
  if (!r->p || m->implicit_scenario) return;
  parley__buf_puts(b, "Scenario probabilities\n");
  table t;
  t_init(&t, e, 3, "llr");
  size_t row = t_row(&t);
  t_set(&t, row, 0, "scenario");
  t_set(&t, row, 1, "name");
  t_set(&t, row, 2, "probability");
  for (size_t k = 0; k < r->nk; k++) {
    row = t_row(&t);
    t_set(&t, row, 0, m->scen[k].id);
    t_set(&t, row, 1, m->scen[k].name ? m->scen[k].name : m->scen[k].id);
    t_setnum(&t, row, 2, r->p[k]);
  }
  t_print_rows(&t, b, 0, t.nrow);
  t_free(&t);
  parley__buf_puts(b, "\n");
}

/* Strategies in ranking order, one column per scenario. */
static void utilities(parley__buf *b, parley_engine *e, const parley_result *r) {
  const parley_model *m = r->model;
  if (m->implicit_scenario) return; /* one column equal to the scores */
  if (r->nk > MAX_UTILITY_COLUMNS) {
    parley__buf_printf(b,
                       "Utilities: %zu scenarios, too many to show here (the JSON format has "
                       "them all)\n\n",
                       r->nk);
    return;
  }
  parley__buf_puts(b, "Utilities (strategy x scenario)\n");
  char align[MAX_UTILITY_COLUMNS + 2];
  align[0] = 'l';
  for (size_t k = 0; k < r->nk; k++) align[k + 1] = 'r';
  align[r->nk + 1] = '\0';
  table t;
  t_init(&t, e, r->nk + 1, align);
  size_t row = t_row(&t);
  t_set(&t, row, 0, "strategy");
  for (size_t k = 0; k < r->nk; k++) t_set(&t, row, k + 1, m->scen[k].id);
  for (size_t i = 0; i < r->ns; i++) {
    if (!shown(i, r->ns)) continue;
    size_t s = r->order[i];
    row = t_row(&t);
    t_set(&t, row, 0, m->strat[s].id);
    for (size_t k = 0; k < r->nk; k++) t_setnum(&t, row, k + 1, r->u[k * r->ns + s]);
  }
  t_print_ranked(&t, b, r->ns);
  t_free(&t);
  parley__buf_puts(b, "\n");
}

/* Each actor's ranking in its own column ("rank. strategy"), then the
 * actors' weights and the Kendall tau-b between every two actors. */
static void actors(parley__buf *b, parley_engine *e, const parley_result *r) {
  const parley_model *m = r->model;
  if (r->na == 0 || !r->actors) return;
  /* Columns beyond the table's limit are cut; so many actors is rare. */
  size_t na = r->na < 60 ? r->na : 60;
  char align[64];
  memset(align, 'l', na + 1);
  align[na + 1] = '\0';

  parley__buf_printf(b, "Actors' rankings (%s score is better)\n",
                     r->higher_better ? "higher" : "lower");
  table t;
  t_init(&t, e, na, align);
  size_t row = t_row(&t);
  for (size_t a = 0; a < na; a++) t_set(&t, row, a, m->act[a].id);
  for (size_t i = 0; i < r->ns; i++) {
    if (!shown(i, r->ns)) continue;
    row = t_row(&t);
    for (size_t a = 0; a < na; a++) {
      const parley__actor_result *ar = &r->actors[a];
      char cell[512];
      snprintf(cell, sizeof cell, "%d. %s", ar->rank[i], m->strat[ar->order[i]].id);
      t_set(&t, row, a, cell);
    }
  }
  t_print_ranked(&t, b, r->ns);
  t_free(&t);
  parley__buf_puts(b, "\n");

  parley__buf_puts(b, "Actors' weights\n");
  memset(align, 'r', na + 1);
  align[0] = 'l';
  t_init(&t, e, na + 1, align);
  row = t_row(&t);
  t_set(&t, row, 0, "criterion");
  for (size_t a = 0; a < na; a++) t_set(&t, row, a + 1, m->act[a].id);
  for (size_t c = 0; c < r->nc; c++) {
    row = t_row(&t);
    t_set(&t, row, 0, m->crit[c].id);
    for (size_t a = 0; a < na; a++) t_setnum(&t, row, a + 1, r->actors[a].w[c]);
  }
  t_print_rows(&t, b, 0, t.nrow);
  t_free(&t);
  parley__buf_puts(b, "\n");

  if (na < 2 || !r->tau) return;
  parley__buf_puts(b, "Agreement between actors (Kendall tau-b, 1 = same order)\n");
  t_init(&t, e, na + 1, align);
  row = t_row(&t);
  t_set(&t, row, 0, "actor");
  for (size_t a = 0; a < na; a++) t_set(&t, row, a + 1, m->act[a].id);
  for (size_t a = 0; a < na; a++) {
    row = t_row(&t);
    t_set(&t, row, 0, m->act[a].id);
    for (size_t q = 0; q < na; q++) {
      /* The run fills the pairs a < b; the matrix is symmetric. */
      double tau = a == q ? 1.0 : a < q ? r->tau[a * r->na + q] : r->tau[q * r->na + a];
      t_setnum(&t, row, q + 1, tau);
    }
  }
  t_print_rows(&t, b, 0, t.nrow);
  t_free(&t);
  parley__buf_puts(b, "\n");
}

static void value_of_information(parley__buf *b, const parley_result *r) {
  if (!r->has_evpi) return;
  static const char *const label[3] = {"expected value", "with perfect information",
                                       "EVPI (value of perfect information)"};
  char num[3][48];
  fmt_num(num[0], sizeof num[0], r->ev);
  fmt_num(num[1], sizeof num[1], r->evpi_ev);
  fmt_num(num[2], sizeof num[2], r->evpi);
  int lw = 0, nw = 0;
  for (int i = 0; i < 3; i++) {
    if ((int)strlen(label[i]) > lw) lw = (int)strlen(label[i]);
    if ((int)strlen(num[i]) > nw) nw = (int)strlen(num[i]);
  }
  parley__buf_puts(b, "Value of information\n");
  for (int i = 0; i < 3; i++) parley__buf_printf(b, "  %-*s  %*s\n", lw, label[i], nw, num[i]);
  parley__buf_puts(b, "\n");
}

static void diagnostics(parley__buf *b, const parley_result *r) {
  bool any = false;
  for (int kind = 0; kind < PARLEY_STAGE_KINDS; kind++) {
    if (!r->diagnostics[kind]) continue;
    if (!any) parley__buf_puts(b, "Diagnostics\n");
    any = true;
    parley__buf_printf(b, "  %s: %s\n", parley_stage_kind_name((parley_stage_kind)kind),
                       r->diagnostics[kind]);
  }
  if (any) parley__buf_puts(b, "\n");
}

int parley__result_text(parley_engine *e, const parley_result *r, char **out, size_t *len) {
  parley__buf b;
  parley__buf_init(&b, e);
  title(&b, r);
  pipeline(&b, r);
  ranking(&b, e, r);
  weights(&b, e, r);
  probabilities(&b, e, r);
  utilities(&b, e, r);
  actors(&b, e, r);
  value_of_information(&b, r);
  /* The other analyses wrote their own sections. */
  for (size_t i = 0; i < r->nanalyses; i++)
    if (r->analyses[i].text) {
      parley__buf_puts(&b, r->analyses[i].text);
      parley__buf_puts(&b, "\n");
    }
  diagnostics(&b, r);
  /* One blank line separates sections; the report ends with one newline. */
  if (!b.failed && b.len >= 2 && b.data[b.len - 1] == '\n' && b.data[b.len - 2] == '\n')
    b.data[--b.len] = '\0';
  return parley__buf_finish(&b, out, len);
}
