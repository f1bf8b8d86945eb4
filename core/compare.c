/*
 * compare.c — comparing rankings.  The analysis "compare" scores the model
 * again with other aggregations (and decision rules) on the run's weights,
 * and reports each method's ranking, how alike every two rankings are
 * (Spearman's rho, the weighted Spearman r_w, the WS coefficient, Kendall's
 * tau-b) and two compromise rankings across the methods (Copeland, Borda);
 * with actors, the same coefficients for the actors' rankings.  The run
 * options may name a list of stages ("--aggregation topsis,vikor") which
 * asks for it: the first stage runs as the main one.  Formulas, sources and
 * the output fields: docs/methods.md, "Comparing rankings".
 *
 * Ranks are mid-ranks throughout (two strategies sharing places 2 and 3
 * both get 2.5): they are what Spearman's rho with ties is defined on, and
 * they make every coefficient and the Borda count treat tied strategies
 * alike whichever of them the model lists first.
 */
#include "compare.h"
#include "methods.h"

#include <cjson/cJSON.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Copeland compares every pair: past this many strategies it is left out. */
#define MAX_COPELAND 5000u
/* Text tables past this many strategies show the best and the worst only. */
#define MANY_STRATEGIES 50u
#define SHOW_TOP 20u
#define SHOW_BOTTOM 5u
/* Method labels longer than this are numbered in the text's columns. */
#define LONG_LABEL 16u

/* ---- coefficients ------------------------------------------------------------- */
void parley__midranks(const int *rank_of, size_t n, size_t *count, double *out) {
  for (size_t r = 0; r <= n; r++) count[r] = 0;
  /* Ranks are 1 .. n; anything else is counted apart, in count[0]. */
  for (size_t s = 0; s < n; s++)
    count[rank_of[s] > 0 && (size_t)rank_of[s] <= n ? (size_t)rank_of[s] : 0]++;
  /* A competition rank r is shared by count[r] strategies, which take the
   * places r .. r + count[r] - 1: their mean is r + (count[r] - 1) / 2. */
  for (size_t s = 0; s < n; s++) {
    size_t r = rank_of[s] > 0 && (size_t)rank_of[s] <= n ? (size_t)rank_of[s] : 0;
    out[s] = (double)rank_of[s] + ((double)count[r] - 1) / 2;
  }
}

double parley__spearman(const double *x, const double *y, size_t n) {
  if (n < 2) return 1;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; i++) mx += x[i], my += y[i];
  mx /= (double)n;
  my /= (double)n;
  double sxx = 0, syy = 0, sxy = 0;
  for (size_t i = 0; i < n; i++) {
    double dx = x[i] - mx, dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  /* An all-tied ranking has no variance: 0/0.  As for Kendall's tau-b, two
   * all-tied rankings are the same ranking, and one says nothing of the
   * other. */
  if (!(sxx > 0) || !(syy > 0)) return !(sxx > 0) && !(syy > 0) ? 1 : 0;
  double r = sxy / sqrt(sxx * syy);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

double parley__weighted_spearman(const double *x, const double *y, size_t n) {
  if (n < 2) return 1;
  double N = (double)n, sum = 0;
  for (size_t i = 0; i < n; i++) {
    double d = x[i] - y[i];
    sum += d * d * ((N - x[i] + 1) + (N - y[i] + 1));
  }
  /* n^4 + n^3 - n^2 - n = n (n + 1) (n^2 - 1) > 0 for n >= 2. */
  return 1 - 6 * sum / (N * (N + 1) * (N * N - 1));
}

double parley__ws(const double *x, const double *y, size_t n) {
  if (n < 2) return 1;
  double N = (double)n, sum = 0;
  for (size_t i = 0; i < n; i++) {
    /* max(|x - 1|, |n - x|) >= (n - 1) / 2 > 0; 2^-x underflows to 0 past
     * x = 1074, which only drops terms too small to count. */
    double d = fmax(fabs(x[i] - 1), fabs(N - x[i]));
    sum += exp2(-x[i]) * fabs(x[i] - y[i]) / d;
  }
  return 1 - sum;
}

void parley__copeland(const double *mid, size_t m, size_t n, double *score) {
  for (size_t s = 0; s < n; s++) score[s] = 0;
  for (size_t s = 0; s < n; s++)
    for (size_t t = s + 1; t < n; t++) {
      size_t for_s = 0, for_t = 0;
      for (size_t j = 0; j < m; j++) {
        double a = mid[j * n + s], b = mid[j * n + t];
        for_s += a < b;
        for_t += b < a;
      }
      if (for_s > for_t) score[s] += 1, score[t] -= 1;
      else if (for_t > for_s) score[t] += 1, score[s] -= 1;
    }
}

void parley__borda(const double *mid, size_t m, size_t n, double *score) {
  for (size_t s = 0; s < n; s++) {
    double sum = 0;
    for (size_t j = 0; j < m; j++) sum += (double)n - mid[j * n + s];
    score[s] = sum;
  }
}

/* The four matrices [k * k] of k rankings of n strategies (mid-ranks
 * mid[j * n + s]); any output may be NULL. */
static int similarity(parley_engine *e, const double *mid, size_t k, size_t n, double *rho,
                      double *rw, double *ws, double *tau) {
  for (size_t a = 0; a < k; a++)
    for (size_t b = 0; b < k; b++) {
      const double *x = mid + a * n, *y = mid + b * n;
      if (rho) rho[a * k + b] = a == b ? 1 : parley__spearman(x, y, n);
      if (rw) rw[a * k + b] = a == b ? 1 : parley__weighted_spearman(x, y, n);
      if (ws) ws[a * k + b] = a == b ? 1 : parley__ws(x, y, n);
      if (!tau) continue;
      if (a == b) tau[a * k + b] = 1;
      else if (b < a) tau[a * k + b] = tau[b * k + a];
      else {
        /* Mid-ranks order as the places do, the same way for both
         * rankings, so tau-b on them is tau-b on the rankings. */
        int rc = parley__kendall_tau_b_knight(e, x, y, n, &tau[a * k + b]);
        if (rc != PARLEY_OK) return rc;
      }
    }
  return PARLEY_OK;
}

int parley__actor_similarity(parley_engine *e, const parley_result *r, double *rho, double *rw,
                             double *ws, double *tau) {
  size_t na = r->na, n = r->ns;
  if (na == 0 || !r->actors) return PARLEY_OK;
  double *mid = parley__malloc(e, parley__mul(parley__mul(na, n ? n : 1), sizeof *mid));
  int *rank_of = parley__malloc(e, parley__mul(n ? n : 1, sizeof *rank_of));
  size_t *count = parley__malloc(e, parley__mul(n + 1, sizeof *count));
  int rc = mid && rank_of && count ? PARLEY_OK : PARLEY_ENOMEM;
  for (size_t a = 0; a < na && rc == PARLEY_OK; a++) {
    const parley__actor_result *ar = &r->actors[a];
    for (size_t i = 0; i < n; i++) rank_of[ar->order[i]] = ar->rank[i];
    parley__midranks(rank_of, n, count, mid + a * n);
  }
  if (rc == PARLEY_OK) rc = similarity(e, mid, na, n, rho, rw, ws, tau);
  parley__free(e, mid);
  parley__free(e, rank_of);
  parley__free(e, count);
  return rc;
}

/* ---- stage lists ------------------------------------------------------------------ */
typedef struct span {
  size_t at, len;
} span;

/* The end of the piece that starts at p: the next comma outside JSON
 * brackets (and outside the strings within them), or the end of the text.
 * Unbalanced brackets run to the end; parley__spec_parse then says why. */
static const char *piece_end(const char *p) {
  size_t depth = 0;
  for (; *p; p++) {
    if (depth > 0 && *p == '"') {
      for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1]) p++;
      if (!*p) return p;
    } else if (*p == '[' || *p == '{') {
      depth++;
    } else if ((*p == ']' || *p == '}') && depth > 0) {
      depth--;
    } else if (*p == ',' && depth == 0) {
      return p;
    }
  }
  return p;
}

/* A piece starts a stage when a ':' comes before any '=', or there is no
 * '=': a parameter is always key=value, and a stage name has neither. */
static bool starts_stage(const char *p, const char *end) {
  for (; p < end; p++) {
    if (*p == ':') return true;
    if (*p == '=') return false;
  }
  return true;
}

/* Cuts a list into its stages: fills out[0 .. min(n, cap)) and returns n,
 * the number of stages; 0 when a piece is empty or is a parameter with no
 * stage before it (*bad: that piece). */
static size_t cut_list(const char *text, span *out, size_t cap, span *bad) {
  size_t n = 0;
  const char *p = text;
  for (;;) {
    const char *end = piece_end(p);
    bool stage = starts_stage(p, end);
    if (end == p || (!stage && n == 0)) {
      *bad = (span){(size_t)(p - text), (size_t)(end - p)};
      return 0;
    }
    if (stage) {
      if (n < cap) out[n] = (span){(size_t)(p - text), (size_t)(end - p)};
      n++;
    } else if (n - 1 < cap) {
      out[n - 1].len = (size_t)(end - text) - out[n - 1].at;
    }
    if (!*end) break;
    p = end + 1;
  }
  return n;
}

static size_t count_stages(const char *text) {
  span bad;
  return text ? cut_list(text, NULL, 0, &bad) : 0;
}

bool parley__compare_listed(const parley_run_options *o) {
  return o && (count_stages(o->stage[PARLEY_STAGE_AGGREGATION]) > 1 ||
               count_stages(o->stage[PARLEY_STAGE_RULE]) > 1);
}

/* The stages of a list as spans (*out allocated, caller frees), n >= 2;
 * or n <= 1 with *out NULL when the text is one stage (or none). */
static int list_spans(parley_engine *e, const char *text, const char *what, span **out,
                      size_t *n) {
  *out = NULL;
  span bad = {0, 0};
  *n = cut_list(text, NULL, 0, &bad);
  if (*n == 0 && *piece_end(text) != '\0') {
    if (bad.len == 0)
      return parley__err(e, PARLEY_EUSAGE, "%s: an empty stage in the list '%s'", what, text);
    return parley__err(e, PARLEY_EUSAGE, "%s: '%.*s' is a parameter, but no stage comes before "
                       "it in '%s'", what, (int)bad.len, text + bad.at, text);
  }
  if (*n <= 1) return PARLEY_OK;
  if (!(*out = parley__malloc(e, parley__mul(*n, sizeof **out)))) return PARLEY_ENOMEM;
  cut_list(text, *out, *n, &bad);
  return PARLEY_OK;
}

/* Parses the stage at sp of text. */
static int parse_span(parley_engine *e, parley__spec *out, const char *text, span sp,
                      const char *what) {
  memset(out, 0, sizeof *out);
  char *piece = parley__malloc(e, sp.len + 1);
  if (!piece) return PARLEY_ENOMEM;
  memcpy(piece, text + sp.at, sp.len);
  piece[sp.len] = '\0';
  int rc = parley__spec_parse(e, out, piece, what);
  parley__free(e, piece);
  return rc;
}

int parley__stage_list_first(parley_engine *e, parley__spec *out, const char *text,
                             const char *what) {
  memset(out, 0, sizeof *out);
  span *sp;
  size_t n;
  int rc = list_spans(e, text, what, &sp, &n);
  if (rc != PARLEY_OK) return rc;
  if (n <= 1) return parley__spec_parse(e, out, text, what);
  for (size_t i = 0; i < n && rc == PARLEY_OK; i++) {
    parley__spec s;
    rc = parse_span(e, &s, text, sp[i], what);
    if (rc == PARLEY_OK && i == 0) *out = s;
    else parley__spec_clear(e, &s);
  }
  parley__free(e, sp);
  if (rc != PARLEY_OK) parley__spec_clear(e, out);
  return rc;
}

/* The list of one kind, resolved, as the JSON array of its stage texts
 * (*json NULL when the option names one stage or none). */
static int option_list(parley_engine *e, const parley_run_options *o, parley_stage_kind kind,
                       char **json) {
  *json = NULL;
  const char *text = o->stage[kind];
  if (!text) return PARLEY_OK;
  span *sp;
  size_t n;
  int rc = list_spans(e, text, "run option", &sp, &n);
  if (rc != PARLEY_OK || n <= 1) return rc;
  parley__buf b;
  parley__buf_init(&b, e);
  parley__buf_puts(&b, "[");
  for (size_t i = 0; i < n && rc == PARLEY_OK; i++) {
    parley__spec s;
    const parley__stage *st;
    rc = parse_span(e, &s, text, sp[i], "run option");
    if (rc == PARLEY_OK) rc = parley__registry_resolve(e, kind, &s, "run option", &st);
    parley__spec_clear(e, &s);
    parley__buf_puts(&b, i ? ", " : "");
    parley__json_strn(&b, text + sp[i].at, sp[i].len);
  }
  parley__buf_puts(&b, "]");
  parley__free(e, sp);
  if (rc != PARLEY_OK) {
    parley__buf_free(&b);
    return rc;
  }
  return parley__buf_finish(&b, json, NULL);
}

int parley__compare_options(parley_engine *e, const parley_run_options *o, parley__spec *aspec,
                            const parley__stage **ast, size_t *naspec) {
  if (!o) return PARLEY_OK;
  char *aggs = NULL, *rules = NULL;
  int rc = option_list(e, o, PARLEY_STAGE_AGGREGATION, &aggs);
  if (rc == PARLEY_OK) rc = option_list(e, o, PARLEY_STAGE_RULE, &rules);
  size_t c = 0;
  while (c < *naspec && !(ast[c] && ast[c]->fn.analysis == parley__analysis_compare)) c++;
  if (rc == PARLEY_OK && c == *naspec && (aggs || rules)) {
    rc = parley__spec_parse(e, &aspec[c], "compare", "run option");
    if (rc == PARLEY_OK) rc = parley__registry_resolve(e, PARLEY_STAGE_ANALYSIS, &aspec[c],
                                                       "run option", &ast[c]);
    if (rc == PARLEY_OK) *naspec = c + 1;
    else parley__spec_clear(e, &aspec[c]);
  }
  if (rc == PARLEY_OK && c < *naspec) {
    parley__spec *s = &aspec[c];
    const char *norm = o->stage[PARLEY_STAGE_NORMALIZATION];
    if (aggs && !parley__spec_get(s, "aggregations"))
      rc = parley__spec_add(e, s, "aggregations", PARLEY__PJSON, 0, aggs);
    if (rc == PARLEY_OK && rules && !parley__spec_get(s, "rules"))
      rc = parley__spec_add(e, s, "rules", PARLEY__PJSON, 0, rules);
    if (rc == PARLEY_OK && norm && !parley__spec_get(s, "normalization"))
      rc = parley__spec_add(e, s, "normalization", PARLEY__PSTR, 0, norm);
  }
  parley__free(e, aggs);
  parley__free(e, rules);
  return rc;
}

/* ---- the analysis ---------------------------------------------------------------- */
typedef struct method {
  char *label;
  parley__spec agg, rule;       /* owned: the method's own stages */
  const parley__stage *ast, *rst;
  bool higher_better;
} method;

typedef struct cmp {
  parley__actx *a;
  parley_engine *e;
  size_t m, ns;
  method *meth;                 /* [m] */
  parley__spec norm;            /* the normalization of the methods that use one */
  const parley__stage *nst;
  const parley__spec *nspec;    /* &norm or the run's */
  double *score;                /* [m * ns] */
  int *rank_of;                 /* [m * ns] competition rank of each strategy */
  double *mid;                  /* [m * ns] mid-ranks */
  double *copeland, *borda;     /* [ns]; copeland NULL past MAX_COPELAND */
  double *sim[4];               /* [m * m] rho, r_w, WS, tau */
  double *asim[4];              /* [na * na] the same for the actors, or NULL */
  bool have_aggs, have_rules;
} cmp;

static const char *const sim_key[4] = {"spearman", "weighted_spearman", "ws", "kendall"};
static const char *const sim_title[4] = {"Spearman's rho", "Weighted Spearman r_w",
                                         "WS coefficient (row: the reference ranking)",
                                         "Kendall's tau-b"};

/* A stage from a JSON list element: "NAME:k=v,..." or {"name": NAME, ...}. */
static int spec_from_json(parley_engine *e, const cJSON *v, parley__spec *out, const char *what) {
  memset(out, 0, sizeof *out);
  if (cJSON_IsString(v)) return parley__spec_parse(e, out, v->valuestring, what);
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(v, "name");
  if (!cJSON_IsObject(v) || !cJSON_IsString(name))
    return parley__err(e, PARLEY_EINVALID, "%s: expected a stage, \"NAME:key=value,...\" or "
                       "{\"name\": NAME, ...}", what);
  int rc = parley__spec_parse(e, out, name->valuestring, what);
  for (const cJSON *p = v->child; p && rc == PARLEY_OK; p = p->next) {
    if (p == name) continue;
    if (cJSON_IsNumber(p)) {
      rc = parley__spec_add(e, out, p->string, PARLEY__PNUM, p->valuedouble, NULL);
    } else if (cJSON_IsString(p)) {
      rc = parley__spec_add(e, out, p->string, PARLEY__PSTR, 0, p->valuestring);
    } else if (cJSON_IsNull(p)) {
      rc = parley__err(e, PARLEY_EINVALID, "%s: parameter '%s' is null", what, p->string);
    } else {
      char *text = cJSON_PrintUnformatted(p);
      rc = text ? parley__spec_add(e, out, p->string, PARLEY__PJSON, 0, text) : PARLEY_ENOMEM;
      cJSON_free(text);
    }
  }
  if (rc != PARLEY_OK) parley__spec_clear(e, out);
  return rc;
}

/* The parameter key (a JSON list of stages of one kind) as specs and
 * stages; *n = 0 when it is not given. */
static int read_list(cmp *C, const char *key, parley_stage_kind kind, parley__spec **specs,
                     const parley__stage ***st, size_t *n) {
  parley_engine *e = C->e;
  *specs = NULL;
  *st = NULL;
  *n = 0;
  const parley__param *p = parley__spec_get(C->a->spec, key);
  if (!p) return PARLEY_OK;
  cJSON *x = cJSON_Parse(p->text);
  int rc = PARLEY_OK;
  size_t k = cJSON_IsArray(x) ? (size_t)cJSON_GetArraySize(x) : 0;
  if (k == 0) {
    rc = parley__err(e, PARLEY_EINVALID, "analysis compare: %s must be a non-empty list of %s "
                     "stages, e.g. [\"topsis\", \"vikor:v=0.3\"]", key,
                     parley_stage_kind_name(kind));
  } else {
    *specs = parley__calloc(e, k, sizeof **specs);
    *st = parley__calloc(e, k, sizeof **st);
    if (!*specs || !*st) rc = PARLEY_ENOMEM;
  }
  size_t i = 0;
  for (const cJSON *v = x ? x->child : NULL; v && rc == PARLEY_OK; v = v->next, i++) {
    char what[96];
    snprintf(what, sizeof what, "analysis compare: %s[%zu]", key, i);
    rc = spec_from_json(e, v, &(*specs)[i], what);
    if (rc == PARLEY_OK) *n = i + 1;
    if (rc == PARLEY_OK) rc = parley__registry_resolve(e, kind, &(*specs)[i], what, &(*st)[i]);
  }
  cJSON_Delete(x);
  return rc;
}

/* The normalization of the methods that read normalized values: the
 * parameter's, else the run's, else (the run's aggregation read raw values,
 * so its normalization is "none") the model's, else minmax. */
static int read_normalization(cmp *C) {
  parley__actx *a = C->a;
  parley_engine *e = C->e;
  const parley__param *p = parley__spec_get(a->spec, "normalization");
  if (!p && !(a->st[PARLEY_STAGE_AGGREGATION]->flags & PARLEY__RAW_VALUES)) {
    C->nst = a->st[PARLEY_STAGE_NORMALIZATION];
    C->nspec = &a->r->spec[PARLEY_STAGE_NORMALIZATION];
    return PARLEY_OK;
  }
  int rc;
  const char *what = "analysis compare: normalization";
  if (p) rc = parley__spec_parse(e, &C->norm, p->text, what);
  else if (a->m->pipeline[PARLEY_STAGE_NORMALIZATION].name)
    rc = parley__spec_copy(e, &C->norm, &a->m->pipeline[PARLEY_STAGE_NORMALIZATION]);
  else
    rc = parley__spec_parse(e, &C->norm, "minmax", what);
  if (rc == PARLEY_OK)
    rc = parley__registry_resolve(e, PARLEY_STAGE_NORMALIZATION, &C->norm, what, &C->nst);
  C->nspec = &C->norm;
  return rc;
}

/* The methods: every aggregation with every rule, aggregation-major; the
 * run's aggregation or rule stands in for a list not given. */
static int read_methods(cmp *C) {
  parley__actx *a = C->a;
  parley_engine *e = C->e;
  parley__spec *as = NULL, *rs = NULL;
  const parley__stage **ast = NULL, **rst = NULL;
  size_t na = 0, nr = 0;
  int rc = read_list(C, "aggregations", PARLEY_STAGE_AGGREGATION, &as, &ast, &na);
  if (rc == PARLEY_OK) rc = read_list(C, "rules", PARLEY_STAGE_RULE, &rs, &rst, &nr);
  C->have_aggs = na > 0;
  C->have_rules = nr > 0;
  size_t ka = na ? na : 1, kr = nr ? nr : 1;
  if (rc == PARLEY_OK) {
    C->meth = parley__calloc(e, parley__mul(ka, kr), sizeof *C->meth);
    if (!C->meth) rc = PARLEY_ENOMEM;
  }
  for (size_t i = 0; i < ka && rc == PARLEY_OK; i++)
    for (size_t j = 0; j < kr && rc == PARLEY_OK; j++) {
      method *M = &C->meth[C->m];
      const parley__spec *sa = na ? &as[i] : &a->r->spec[PARLEY_STAGE_AGGREGATION];
      const parley__spec *sr = nr ? &rs[j] : &a->r->spec[PARLEY_STAGE_RULE];
      M->ast = na ? ast[i] : a->st[PARLEY_STAGE_AGGREGATION];
      M->rst = nr ? rst[j] : a->st[PARLEY_STAGE_RULE];
      rc = parley__spec_copy(e, &M->agg, sa);
      if (rc == PARLEY_OK) rc = parley__spec_copy(e, &M->rule, sr);
      C->m++;
      if (rc != PARLEY_OK) break;
      if ((M->rst->flags & PARLEY__NEEDS_PROBABILITIES) && !a->r->p) {
        rc = parley__err(e, PARLEY_EINVALID, "analysis compare: rule '%s' needs scenario "
                         "probabilities, and the model gives none", M->rst->name);
        break;
      }
      char *ta = parley__spec_text(e, &M->agg), *tr = parley__spec_text(e, &M->rule);
      parley__buf b;
      parley__buf_init(&b, e);
      if (ta && tr) {
        if (C->have_aggs || !C->have_rules) parley__buf_puts(&b, ta);
        if (C->have_aggs && C->have_rules) parley__buf_puts(&b, "+");
        if (C->have_rules) parley__buf_puts(&b, tr);
      }
      rc = ta && tr ? parley__buf_finish(&b, &M->label, NULL) : PARLEY_ENOMEM;
      if (!(ta && tr)) parley__buf_free(&b);
      parley__free(e, ta);
      parley__free(e, tr);
      for (size_t k = 0; rc == PARLEY_OK && k + 1 < C->m; k++)
        if (strcmp(C->meth[k].label, M->label) == 0)
          rc = parley__err(e, PARLEY_EINVALID, "analysis compare: method '%s' is listed twice",
                           M->label);
    }
  for (size_t i = 0; as && i < na; i++) parley__spec_clear(e, &as[i]);
  for (size_t j = 0; rs && j < nr; j++) parley__spec_clear(e, &rs[j]);
  parley__free(e, as);
  parley__free(e, rs);
  parley__free(e, ast);
  parley__free(e, rst);
  return rc;
}

/* Scores and ranks the model by method j into C's rows j. */
static int evaluate(cmp *C, size_t j, double *u, size_t *order, int *rank, size_t *count) {
  parley__actx *a = C->a;
  parley_engine *e = C->e;
  method *M = &C->meth[j];
  const parley__stage *st[PARLEY_STAGE_KINDS];
  parley__spec spec[PARLEY_STAGE_KINDS];
  for (int k = 0; k < PARLEY_STAGE_KINDS; k++) st[k] = a->st[k], spec[k] = a->r->spec[k];
  /* Shallow copies: the evaluation only reads them. */
  st[PARLEY_STAGE_AGGREGATION] = M->ast;
  spec[PARLEY_STAGE_AGGREGATION] = M->agg;
  st[PARLEY_STAGE_RULE] = M->rst;
  spec[PARLEY_STAGE_RULE] = M->rule;
  st[PARLEY_STAGE_NORMALIZATION] = C->nst;
  spec[PARLEY_STAGE_NORMALIZATION] = *C->nspec;
  parley__eval ev;
  int rc = parley__eval_init(&ev, e, a->m, st, spec);
  if (rc != PARLEY_OK) return rc;
  ev.ctx.p = a->r->p;
  ev.diagnostics = NULL; /* the methods' diagnostics are not the run's */
  double *score = C->score + j * C->ns;
  rc = parley__eval_normalize(&ev);
  if (rc == PARLEY_OK) rc = parley__eval_score(&ev, a->r->w, u, score);
  M->higher_better = ev.higher_better;
  parley__eval_free(&ev);
  if (rc != PARLEY_OK) {
    char msg[PARLEY__ERRMAX];
    snprintf(msg, sizeof msg, "%s", e->errmsg[0] ? e->errmsg : "failed");
    return parley__err(e, rc, "analysis compare: method '%s': %s", M->label, msg);
  }
  parley__rank(score, C->ns, M->higher_better, order, rank);
  int *rank_of = C->rank_of + j * C->ns;
  for (size_t i = 0; i < C->ns; i++) rank_of[order[i]] = rank[i];
  parley__midranks(rank_of, C->ns, count, C->mid + j * C->ns);
  return PARLEY_OK;
}

/* ---- output ------------------------------------------------------------------------ */
static void json_id(parley__buf *b, const char *s) { parley__json_str(b, s); }

/* [{"rank": r, "strategy": id, "score": x}, ...] best first. */
static void json_ranking(parley__buf *b, const parley_model *m, const double *score, size_t ns,
                         bool higher_better, size_t *order, int *rank) {
  parley__rank(score, ns, higher_better, order, rank);
  parley__buf_puts(b, "[");
  for (size_t i = 0; i < ns; i++) {
    parley__buf_printf(b, "%s{\"rank\": %d, \"strategy\": ", i ? ", " : "", rank[i]);
    json_id(b, m->strat[order[i]].id);
    parley__buf_puts(b, ", \"score\": ");
    parley__json_num(b, score[order[i]]);
    parley__buf_puts(b, "}");
  }
  parley__buf_puts(b, "]");
}

static void json_matrix(parley__buf *b, const double *x, size_t k) {
  parley__buf_puts(b, "[");
  for (size_t i = 0; i < k; i++) {
    parley__buf_puts(b, i ? ", [" : "[");
    for (size_t j = 0; j < k; j++) {
      parley__buf_puts(b, j ? ", " : "");
      parley__json_num(b, x[i * k + j]);
    }
    parley__buf_puts(b, "]");
  }
  parley__buf_puts(b, "]");
}

static void json_similarity(parley__buf *b, double *const sim[4], size_t k) {
  parley__buf_puts(b, "{");
  for (int t = 0; t < 4; t++) {
    parley__buf_printf(b, "%s\"%s\": ", t ? ", " : "", sim_key[t]);
    json_matrix(b, sim[t], k);
  }
  parley__buf_puts(b, "}");
}

static void json_out(cmp *C, parley__buf *b, size_t *order, int *rank) {
  const parley_model *m = C->a->m;
  char *nt = parley__spec_text(C->e, C->nspec);
  if (!nt) b->failed = true;
  parley__buf_puts(b, "{\"methods\": [");
  for (size_t j = 0; j < C->m; j++) {
    parley__buf_puts(b, j ? ", " : "");
    json_id(b, C->meth[j].label);
  }
  parley__buf_puts(b, "], \"normalization\": ");
  json_id(b, nt ? nt : "");
  parley__free(C->e, nt);
  parley__buf_puts(b, ", \"order\": {");
  for (size_t j = 0; j < C->m; j++) {
    parley__buf_puts(b, j ? ", " : "");
    json_id(b, C->meth[j].label);
    parley__buf_puts(b, C->meth[j].higher_better ? ": \"descending\"" : ": \"ascending\"");
  }
  parley__buf_puts(b, "}, \"rankings\": {");
  for (size_t j = 0; j < C->m; j++) {
    parley__buf_puts(b, j ? ", " : "");
    json_id(b, C->meth[j].label);
    parley__buf_puts(b, ": ");
    json_ranking(b, m, C->score + j * C->ns, C->ns, C->meth[j].higher_better, order, rank);
  }
  parley__buf_puts(b, "}, \"similarity\": ");
  json_similarity(b, C->sim, C->m);
  parley__buf_puts(b, ", \"compromise\": {\"copeland\": ");
  if (C->copeland) json_ranking(b, m, C->copeland, C->ns, true, order, rank);
  else parley__buf_puts(b, "null");
  parley__buf_puts(b, ", \"borda\": ");
  json_ranking(b, m, C->borda, C->ns, true, order, rank);
  parley__buf_puts(b, "}");
  if (C->asim[0]) {
    parley__buf_puts(b, ", \"actors\": {\"ids\": [");
    for (size_t i = 0; i < m->na; i++) {
      parley__buf_puts(b, i ? ", " : "");
      json_id(b, m->act[i].id);
    }
    parley__buf_puts(b, "], \"similarity\": ");
    json_similarity(b, C->asim, m->na);
    parley__buf_puts(b, "}");
  }
  parley__buf_puts(b, "}");
}

/* Columns shown by a UTF-8 string: one per character. */
static size_t width(const char *s) {
  size_t w = 0;
  for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
  return w;
}

/* s in a column of w characters, left or right aligned, after two spaces. */
static void cell(parley__buf *b, const char *s, size_t w, bool left) {
  size_t n = width(s);
  parley__buf_puts(b, "  ");
  if (left) parley__buf_puts(b, s);
  for (; n < w; n++) parley__buf_puts(b, " ");
  if (!left) parley__buf_puts(b, s);
}

/* Whether place i of n is shown (long lists show the best and the worst). */
static bool shown(size_t i, size_t n) {
  return n <= MANY_STRATEGIES || i < SHOW_TOP || i >= n - SHOW_BOTTOM;
}

/* The header of column (or row) i of a matrix: the name, or its number. */
static const char *header(const char *const *name, bool numbered, size_t i, char *buf, size_t n) {
  if (!numbered) return name[i];
  snprintf(buf, n, "%zu", i + 1);
  return buf;
}

/* A similarity matrix of k rankings named name[i] (or numbered), under a
 * title, indented below the section's tables. */
static void text_matrix(parley__buf *b, const char *title, const double *x, size_t k,
                        const char *const *name, bool numbered) {
  char head[32];
  size_t w0 = 0;
  for (size_t i = 0; i < k; i++)
    if (width(header(name, numbered, i, head, sizeof head)) > w0)
      w0 = width(header(name, numbered, i, head, sizeof head));
  parley__buf_printf(b, "  %s\n  ", title);
  cell(b, "", w0, true);
  for (size_t j = 0; j < k; j++) {
    const char *h = header(name, numbered, j, head, sizeof head);
    cell(b, h, width(h) > 7 ? width(h) : 7, false); /* "-1.0000" */
  }
  parley__buf_puts(b, "\n");
  for (size_t i = 0; i < k; i++) {
    parley__buf_puts(b, "  ");
    cell(b, header(name, numbered, i, head, sizeof head), w0, true);
    for (size_t j = 0; j < k; j++) {
      char num[32];
      const char *h = header(name, numbered, j, head, sizeof head);
      size_t w = width(h) > 7 ? width(h) : 7;
      snprintf(num, sizeof num, "%.4f", x[i * k + j] == 0 ? 0.0 : x[i * k + j]);
      cell(b, num, w, false);
    }
    parley__buf_puts(b, "\n");
  }
}

/* The strategies (in the first method's order) by the rank each method and
 * each compromise gives them, then the similarity matrices. */
static void text_out(cmp *C, parley__buf *b, size_t *order, int *rank) {
  const parley_model *m = C->a->m;
  size_t ns = C->ns, k = C->m;
  bool numbered = false;
  const char **name = parley__malloc(C->e, parley__mul(k, sizeof *name));
  int *cope = parley__malloc(C->e, parley__mul(ns ? ns : 1, sizeof *cope));
  int *borda = parley__malloc(C->e, parley__mul(ns ? ns : 1, sizeof *borda));
  if (!name || !cope || !borda) {
    b->failed = true;
    goto out;
  }
  for (size_t j = 0; j < k; j++) {
    name[j] = C->meth[j].label;
    if (width(name[j]) > LONG_LABEL) numbered = true;
  }
  /* Compromise ranks by strategy. */
  parley__rank(C->borda, ns, true, order, rank);
  for (size_t i = 0; i < ns; i++) borda[order[i]] = rank[i];
  if (C->copeland) {
    parley__rank(C->copeland, ns, true, order, rank);
    for (size_t i = 0; i < ns; i++) cope[order[i]] = rank[i];
  }
  parley__buf_printf(b, "Comparing rankings (%zu method%s on the run's weights)\n", k,
                     k == 1 ? "" : "s");
  if (numbered)
    for (size_t j = 0; j < k; j++) parley__buf_printf(b, "  %zu = %s\n", j + 1, name[j]);
  size_t w0 = width("strategy"), wc[2] = {width("Copeland"), width("Borda")};
  for (size_t s = 0; s < ns; s++)
    if (width(m->strat[s].id) > w0) w0 = width(m->strat[s].id);
  char num[32];
  size_t wr = (size_t)snprintf(num, sizeof num, "%zu", ns);
  cell(b, "strategy", w0, true);
  for (size_t j = 0; j < k; j++) {
    snprintf(num, sizeof num, "%zu", j + 1);
    const char *h = numbered ? num : name[j];
    cell(b, h, width(h) > wr ? width(h) : wr, false);
  }
  cell(b, "Copeland", wc[0] > wr ? wc[0] : wr, false);
  cell(b, "Borda", wc[1] > wr ? wc[1] : wr, false);
  parley__buf_puts(b, "\n");
  /* Rows in the first method's order. */
  parley__rank(C->score, ns, C->meth[0].higher_better, order, rank);
  for (size_t i = 0; i < ns; i++) {
    if (!shown(i, ns)) {
      if (i == SHOW_TOP)
        parley__buf_printf(b, "  ... %zu more ...\n", ns - SHOW_TOP - SHOW_BOTTOM);
      continue;
    }
    size_t s = order[i];
    cell(b, m->strat[s].id, w0, true);
    for (size_t j = 0; j < k; j++) {
      snprintf(num, sizeof num, "%zu", j + 1);
      const char *h = numbered ? num : name[j];
      char r[32];
      snprintf(r, sizeof r, "%d", C->rank_of[j * ns + s]);
      cell(b, r, width(h) > wr ? width(h) : wr, false);
    }
    if (C->copeland) snprintf(num, sizeof num, "%d", cope[s]);
    else snprintf(num, sizeof num, "-");
    cell(b, num, wc[0] > wr ? wc[0] : wr, false);
    snprintf(num, sizeof num, "%d", borda[s]);
    cell(b, num, wc[1] > wr ? wc[1] : wr, false);
    parley__buf_puts(b, "\n");
  }
  parley__buf_printf(b, "  (ranks, 1 = best; Copeland: pairwise majority of the methods%s; "
                     "Borda: sum of n - rank)\n", C->copeland ? "" : ", left out past 5000 "
                     "strategies");
  for (int t = 0; t < 4; t++) {
    parley__buf_puts(b, "\n");
    text_matrix(b, sim_title[t], C->sim[t], k, name, numbered);
  }
  if (C->asim[0]) {
    const char **an = parley__malloc(C->e, parley__mul(m->na, sizeof *an));
    if (!an) {
      b->failed = true;
      goto out;
    }
    bool anum = false;
    for (size_t i = 0; i < m->na; i++) {
      an[i] = m->act[i].id;
      if (width(an[i]) > LONG_LABEL) anum = true;
    }
    parley__buf_puts(b, "\nSimilarity of the actors' rankings\n");
    if (anum)
      for (size_t i = 0; i < m->na; i++) parley__buf_printf(b, "  %zu = %s\n", i + 1, an[i]);
    for (int t = 0; t < 4; t++) {
      parley__buf_puts(b, t || anum ? "\n" : "");
      text_matrix(b, sim_title[t], C->asim[t], m->na, an, anum);
    }
    parley__free(C->e, an);
  }
out:
  parley__free(C->e, name);
  parley__free(C->e, cope);
  parley__free(C->e, borda);
}

static void cmp_free(cmp *C) {
  parley_engine *e = C->e;
  for (size_t j = 0; C->meth && j < C->m; j++) {
    parley__free(e, C->meth[j].label);
    parley__spec_clear(e, &C->meth[j].agg);
    parley__spec_clear(e, &C->meth[j].rule);
  }
  parley__free(e, C->meth);
  parley__spec_clear(e, &C->norm);
  parley__free(e, C->score);
  parley__free(e, C->rank_of);
  parley__free(e, C->mid);
  parley__free(e, C->copeland);
  parley__free(e, C->borda);
  for (int t = 0; t < 4; t++) {
    parley__free(e, C->sim[t]);
    parley__free(e, C->asim[t]);
  }
}

int parley__analysis_compare(parley__actx *a) {
  parley_engine *e = a->e;
  const parley_model *m = a->m;
  cmp C;
  memset(&C, 0, sizeof C);
  C.a = a;
  C.e = e;
  C.ns = m->ns;
  size_t ns1 = C.ns ? C.ns : 1;
  double *u = NULL;
  size_t *order = NULL, *count = NULL;
  int *rank = NULL;
  int rc = read_normalization(&C);
  if (rc == PARLEY_OK) rc = read_methods(&C);
  if (rc == PARLEY_OK) {
    size_t cells = parley__mul(C.m, ns1);
    C.score = parley__malloc(e, parley__mul(cells, sizeof *C.score));
    C.rank_of = parley__malloc(e, parley__mul(cells, sizeof *C.rank_of));
    C.mid = parley__malloc(e, parley__mul(cells, sizeof *C.mid));
    C.borda = parley__malloc(e, parley__mul(ns1, sizeof *C.borda));
    if (C.ns <= MAX_COPELAND) C.copeland = parley__malloc(e, parley__mul(ns1, sizeof *C.copeland));
    u = parley__malloc(e, parley__mul(parley__mul(m->nk, ns1), sizeof *u));
    order = parley__malloc(e, parley__mul(ns1, sizeof *order));
    rank = parley__malloc(e, parley__mul(ns1, sizeof *rank));
    count = parley__malloc(e, parley__mul(C.ns + 1, sizeof *count));
    for (int t = 0; t < 4; t++) {
      C.sim[t] = parley__malloc(e, parley__mul(parley__mul(C.m, C.m), sizeof *C.sim[t]));
      if (!C.sim[t]) rc = PARLEY_ENOMEM;
      if (m->na >= 2) {
        C.asim[t] = parley__malloc(e, parley__mul(parley__mul(m->na, m->na), sizeof *C.asim[t]));
        if (!C.asim[t]) rc = PARLEY_ENOMEM;
      }
    }
    if (!C.score || !C.rank_of || !C.mid || !C.borda || (C.ns <= MAX_COPELAND && !C.copeland) ||
        !u || !order || !rank || !count)
      rc = PARLEY_ENOMEM;
  }
  for (size_t j = 0; j < C.m && rc == PARLEY_OK; j++) rc = evaluate(&C, j, u, order, rank, count);
  if (rc == PARLEY_OK) {
    if (C.copeland) parley__copeland(C.mid, C.m, C.ns, C.copeland);
    parley__borda(C.mid, C.m, C.ns, C.borda);
    rc = similarity(e, C.mid, C.m, C.ns, C.sim[0], C.sim[1], C.sim[2], C.sim[3]);
  }
  if (rc == PARLEY_OK && C.asim[0])
    rc = parley__actor_similarity(e, a->r, C.asim[0], C.asim[1], C.asim[2], C.asim[3]);
  if (rc == PARLEY_OK) {
    parley__buf b, t;
    parley__buf_init(&b, e);
    parley__buf_init(&t, e);
    json_out(&C, &b, order, rank);
    text_out(&C, &t, order, rank);
    char *json = NULL, *text = NULL;
    rc = parley__buf_finish(&b, &json, NULL);
    if (rc == PARLEY_OK) rc = parley__buf_finish(&t, &text, NULL);
    else parley__buf_free(&t);
    if (rc == PARLEY_OK) rc = parley__result_add_analysis(a->r, "compare", json, text);
    else parley__free(e, json);
  }
  parley__free(e, u);
  parley__free(e, order);
  parley__free(e, rank);
  parley__free(e, count);
  cmp_free(&C);
  return rc;
}
