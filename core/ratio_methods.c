/*
 * ratio_methods.c — six aggregations of the Vilnius school that define their
 * own scaling and so read the raw values (PARLEY__RAW_VALUES): copras,
 * moora, multimoora, aras, waspas and edas.  Each turns the cube into one
 * utility per (strategy, scenario), u[k * ns + s], higher being better.
 *
 * Whatever a method measures against — column sums, vector norms, the best
 * value, the optimal alternative, the average solution, the ranks of
 * MULTIMOORA — is taken over a criterion's whole slab (every strategy under
 * every scenario), as TOPSIS does in aggregation.c: a one-scenario model is
 * the textbook computation, and a utility means the same thing in every
 * scenario.  A criterion of weight 0 plays no part, and its values are not
 * checked.  Values outside a method's domain (a negative value where a ratio
 * is taken, a zero that would be divided by) are errors naming the method,
 * the criterion and the cell, never a NaN.  Scratch memory is O(cells),
 * taken from the engine and given back before returning.
 *
 * Formulas, degenerate cases and sources: docs/methods.md.
 */
#include "internal.h"
#include "methods.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

/* ---- shared helpers --------------------------------------------------------- */
static const double *slab(const parley__ctx *ctx, size_t c) {
  return ctx->cube + c * ctx->nk * ctx->ns;
}

static const char *crit_id(const parley__ctx *ctx, size_t c) {
  const parley_model *m = ctx->model;
  return m && c < m->nc && m->crit[c].id ? m->crit[c].id : "?";
}

static int crit_dir(const parley__ctx *ctx, size_t c) {
  return ctx->model && ctx->model->crit[c].dir < 0 ? -1 : 1;
}

static const char *strat_id(const parley__ctx *ctx, size_t s) {
  const parley_model *m = ctx->model;
  return m && s < m->ns && m->strat[s].id ? m->strat[s].id : "?";
}

static const char *scen_id(const parley__ctx *ctx, size_t k) {
  const parley_model *m = ctx->model;
  return m && k < m->nk && m->scen[k].id ? m->scen[k].id : "?";
}

/* Every value of criterion c's slab must be > 0 (strict) or >= 0.  The
 * message names the method, the criterion, the first offending cell and why
 * the method needs it. */
static int check_slab(parley__ctx *ctx, const char *method, size_t c, bool strict,
                      const char *why) {
  const double *x = slab(ctx, c);
  size_t n = ctx->ns * ctx->nk;
  for (size_t i = 0; i < n; i++) {
    if (strict ? x[i] > 0 : x[i] >= 0) continue;
    char v[32];
    parley__fmt_double(v, sizeof v, x[i]);
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation %s: criterion '%s' has the value %s (strategy '%s', scenario "
                       "'%s'); %s needs values %s on %s",
                       method, crit_id(ctx, c), v, strat_id(ctx, i % ctx->ns),
                       scen_id(ctx, i / ctx->ns), method, strict ? "> 0" : ">= 0", why);
  }
  return PARLEY_OK;
}

/* The largest magnitude of x[0..n): dividing by it first keeps sums and
 * norms of huge values from overflowing (the ratios the methods take do not
 * change when a column is scaled). */
static double max_abs(const double *x, size_t n) {
  double m = 0;
  for (size_t i = 0; i < n; i++) m = fabs(x[i]) > m ? fabs(x[i]) : m;
  return m;
}

static void slab_min_max(const double *x, size_t n, double *lo, double *hi) {
  double mn = x[0], mx = x[0];
  for (size_t i = 1; i < n; i++) {
    mn = x[i] < mn ? x[i] : mn;
    mx = x[i] > mx ? x[i] : mx;
  }
  *lo = mn;
  *hi = mx;
}

/* ---- diagnostics: JSON object text ------------------------------------------ */
static void json_str(parley__buf *b, const char *s) {
  parley__buf_puts(b, "\"");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      parley__buf_printf(b, "\\%c", *p);
    else if (*p < 0x20)
      parley__buf_printf(b, "\\u%04x", *p);
    else
      parley__buf_add(b, (const char *)p, 1);
  }
  parley__buf_puts(b, "\"");
}

/* A number; the methods give only finite ones, but a JSON reader must never
 * meet a bare NaN, so anything else is written as null. */
static void json_num(parley__buf *b, double v) {
  char t[32];
  if (!isfinite(v)) {
    parley__buf_puts(b, "null");
    return;
  }
  parley__fmt_double(t, sizeof t, v);
  parley__buf_puts(b, t);
}

/* "key": {"strategy": {"scenario": v, ...}, ...}, laid out as the result's
 * "utilities"; v is per cell, u[k * ns + s] order, from d or (d NULL) r. */
static void json_cells(parley__buf *b, const parley__ctx *ctx, const char *key, const double *d,
                       const int *r) {
  json_str(b, key);
  parley__buf_puts(b, ": {");
  for (size_t s = 0; s < ctx->ns; s++) {
    parley__buf_puts(b, s ? ", " : "");
    json_str(b, strat_id(ctx, s));
    parley__buf_puts(b, ": {");
    for (size_t k = 0; k < ctx->nk; k++) {
      parley__buf_puts(b, k ? ", " : "");
      json_str(b, scen_id(ctx, k));
      parley__buf_puts(b, ": ");
      if (d)
        json_num(b, d[k * ctx->ns + s]);
      else
        parley__buf_printf(b, "%d", r[k * ctx->ns + s]);
    }
    parley__buf_puts(b, "}");
  }
  parley__buf_puts(b, "}");
}

/* "key": {"criterion": v, ...} over every criterion. */
static void json_crit(parley__buf *b, const parley__ctx *ctx, const char *key, const double *v) {
  json_str(b, key);
  parley__buf_puts(b, ": {");
  for (size_t c = 0; c < ctx->nc; c++) {
    parley__buf_puts(b, c ? ", " : "");
    json_str(b, crit_id(ctx, c));
    parley__buf_puts(b, ": ");
    json_num(b, v[c]);
  }
  parley__buf_puts(b, "}");
}

/* Hands the finished text to the run (replacing any left from before). */
static int diag_finish(parley__ctx *ctx, parley__buf *b) {
  parley__buf_puts(b, "}");
  char *text = NULL;
  int rc = parley__buf_finish(b, &text, NULL);
  if (rc != PARLEY_OK) return rc;
  parley__free(ctx->engine, ctx->diagnostics);
  ctx->diagnostics = text;
  return PARLEY_OK;
}

/* ---- copras --------------------------------------------------------------- */
/* COPRAS (Zavadskas, Kaklauskas & Sarka 1994; as restated by Podvezko 2011,
 * Eqs. 8-11): d = w x / sum x over the slab; S+ sums d over the benefit
 * criteria, S- over the cost ones, and
 *   Q_i = S+_i + (S-min sum_j S-_j) / (S-_i sum_j (S-min / S-_j)),
 * computed as (S-min / S-_i) (sum S- / sum (S-min / S-)): every ratio
 * S-min / S- is at most 1, so nothing overflows. */
int parley__a_copras(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk;
  if (n == 0) return PARLEY_OK;
  double *sm = parley__calloc(ctx->engine, n, sizeof *sm); /* S- */
  if (!sm) return PARLEY_ENOMEM;
  for (size_t i = 0; i < n; i++) u[i] = 0; /* S+, then Q */
  bool has_cost = false;
  int rc = PARLEY_OK;
  for (size_t c = 0; c < ctx->nc && rc == PARLEY_OK; c++) {
    double w = ctx->w[c];
    if (w == 0) continue;
    int dir = crit_dir(ctx, c);
    rc = dir > 0 ? check_slab(ctx, "copras", c, false, "a benefit criterion (x / sum x)")
                 : check_slab(ctx, "copras", c, true, "a cost criterion (it divides by S-)");
    if (rc != PARLEY_OK) break;
    const double *x = slab(ctx, c);
    double mx = max_abs(x, n), sum = 0;
    /* A benefit column of zeros shares nothing out: it adds 0 to every S+. */
    if (mx == 0) continue;
    for (size_t i = 0; i < n; i++) sum += x[i] / mx;
    double f = w / sum, *to = dir > 0 ? u : sm;
    for (size_t i = 0; i < n; i++) to[i] += f * (x[i] / mx);
    has_cost |= dir < 0;
  }
  if (rc == PARLEY_OK && has_cost) {
    double smin = sm[0], tot = 0, inv = 0;
    size_t nzero = 0;
    for (size_t i = 0; i < n; i++) {
      smin = sm[i] < smin ? sm[i] : smin;
      tot += sm[i];
      nzero += sm[i] == 0;
    }
    /* Cost values are > 0, so S- is 0 only when a cell's costs are too small
     * against their columns to be represented: in the limit S- -> 0 those
     * cells share the whole sum of S- between them. */
    if (nzero > 0) {
      for (size_t i = 0; i < n; i++) u[i] += sm[i] == 0 ? tot / (double)nzero : 0;
    } else {
      for (size_t i = 0; i < n; i++) inv += smin / sm[i];
      for (size_t i = 0; i < n; i++) u[i] += (smin / sm[i]) * (tot / inv);
    }
  }
  if (rc == PARLEY_OK) {
    /* The utility degree N = Q / Qmax (Q >= 0); when every Q is 0 every
     * strategy is as good as the best, N = 1. */
    double qmax = u[0];
    for (size_t i = 1; i < n; i++) qmax = u[i] > qmax ? u[i] : qmax;
    for (size_t i = 0; i < n; i++) sm[i] = qmax > 0 ? u[i] / qmax : 1;
    if (!ctx->no_diagnostics) {
      parley__buf b;
      parley__buf_init(&b, ctx->engine);
      parley__buf_puts(&b, "{");
      json_cells(&b, ctx, "utility_degree", sm, NULL);
      rc = diag_finish(ctx, &b);
    }
  }
  parley__free(ctx->engine, sm);
  return rc;
}

/* ---- moora and multimoora ----------------------------------------------------- */
/* The Euclidean norm of the slab as mx * root, where mx is the largest
 * magnitude and root = sqrt(sum (x / mx)^2): a normalised value is then
 * (x / mx) / root, which neither overflows nor underflows.  mx = 0 for a
 * column of zeros. */
static void slab_norm(const double *x, size_t n, double *mx, double *root) {
  *mx = max_abs(x, n);
  double s = 0;
  for (size_t i = 0; *mx > 0 && i < n; i++) s += (x[i] / *mx) * (x[i] / *mx);
  *root = sqrt(s);
}

/* MOORA's ratio system (Brauers & Zavadskas 2006): x* = x / ||x||,
 * y = sum over benefit criteria of w x* - sum over cost criteria of w x*. */
int parley__a_moora(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk;
  for (size_t i = 0; i < n; i++) u[i] = 0;
  for (size_t c = 0; c < ctx->nc && n > 0; c++) {
    double w = ctx->w[c], mx, root;
    if (w == 0) continue;
    const double *x = slab(ctx, c);
    slab_norm(x, n, &mx, &root);
    if (mx == 0) continue; /* a column of zeros: x* = 0 */
    double f = crit_dir(ctx, c) * w / root;
    for (size_t i = 0; i < n; i++) u[i] += f * (x[i] / mx);
  }
  return PARLEY_OK;
}

/* The competition rank (1, 2, 2, 4) of each cell: parley__rank gives them
 * by place, order[t] being the cell at place t. */
static void cell_ranks(const double *score, size_t n, bool higher_better, size_t *order,
                       int *place, int *rank) {
  parley__rank(score, n, higher_better, order, place);
  for (size_t t = 0; t < n; t++) rank[order[t]] = place[t];
}

/* MULTIMOORA (Brauers & Zavadskas 2010): three scores per cell, ranked over
 * the whole slab, the ranks combined by their sum (a Borda count):
 *   ratio system     y = sum_B w x* - sum_C w x*                    higher better
 *   reference point  d = max_c |r_c - w_c x*_c|, r_c = the slab's best w x*  lower
 *   multiplicative   ln U = sum_B w ln x - sum_C w ln x            higher better
 *   utility          1 - (R_y + R_d + R_U - 3) / (3 (n - 1)), n cells (1 when n = 1) */
int parley__a_multimoora(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk;
  if (n == 0) return PARLEY_OK;
  for (size_t c = 0; c < ctx->nc; c++) {
    if (ctx->w[c] == 0) continue;
    int rc = check_slab(ctx, "multimoora", c, true, "a criterion of the full multiplicative form");
    if (rc != PARLEY_OK) return rc;
  }
  /* Scores y, d, ln U; the ranks of each by cell, and by place for
   * parley__rank; one order array. */
  double *y = parley__malloc(ctx->engine, parley__mul(n, 3 * sizeof *y));
  int *rk = parley__malloc(ctx->engine, parley__mul(n, 4 * sizeof *rk));
  size_t *order = parley__malloc(ctx->engine, parley__mul(n, sizeof *order));
  if (!y || !rk || !order) {
    parley__free(ctx->engine, y);
    parley__free(ctx->engine, rk);
    parley__free(ctx->engine, order);
    return PARLEY_ENOMEM;
  }
  double *d = y + n, *lu = y + 2 * n;
  int *ry = rk, *rd = rk + n, *ru = rk + 2 * n, *place = rk + 3 * n;
  for (size_t i = 0; i < n; i++) y[i] = d[i] = lu[i] = 0;
  for (size_t c = 0; c < ctx->nc; c++) {
    double w = ctx->w[c], mx, root, lo, hi;
    if (w == 0) continue;
    const double *x = slab(ctx, c);
    int dir = crit_dir(ctx, c);
    slab_norm(x, n, &mx, &root); /* values are > 0: mx > 0 */
    slab_min_max(x, n, &lo, &hi);
    /* x* rises with x, so the reference point is the slab's largest x* for
     * a benefit criterion, its smallest for a cost one. */
    double best = (dir > 0 ? hi : lo) / mx / root;
    for (size_t i = 0; i < n; i++) {
      double v = x[i] / mx / root, dev = w * fabs(best - v);
      y[i] += dir * w * v;
      d[i] = dev > d[i] ? dev : d[i];
      lu[i] += dir * w * log(x[i]);
    }
  }
  cell_ranks(y, n, true, order, place, ry);
  cell_ranks(d, n, false, order, place, rd);
  cell_ranks(lu, n, true, order, place, ru);
  for (size_t i = 0; i < n; i++)
    u[i] = n > 1 ? 1 - (double)(ry[i] + rd[i] + ru[i] - 3) / (3.0 * (double)(n - 1)) : 1;
  /* Diagnostics: the three scores and ranks; the multiplicative form as
   * U / Umax over the slab, which stays finite and in (0, 1] whatever the
   * magnitudes. */
  double lmax = lu[0];
  for (size_t i = 1; i < n; i++) lmax = lu[i] > lmax ? lu[i] : lmax;
  for (size_t i = 0; i < n; i++) lu[i] = exp(lu[i] - lmax);
  int rc = PARLEY_OK;
  if (!ctx->no_diagnostics) {
    parley__buf b;
    parley__buf_init(&b, ctx->engine);
    parley__buf_puts(&b, "{\"combination\": \"rank sum (Borda count)\", \"ranked_over\": "
                         "\"every (strategy, scenario) pair\", \"ratio_system\": {");
    json_cells(&b, ctx, "score", y, NULL);
    parley__buf_puts(&b, ", ");
    json_cells(&b, ctx, "rank", NULL, ry);
    parley__buf_puts(&b, "}, \"reference_point\": {");
    json_cells(&b, ctx, "score", d, NULL);
    parley__buf_puts(&b, ", ");
    json_cells(&b, ctx, "rank", NULL, rd);
    parley__buf_puts(&b, "}, \"multiplicative\": {");
    json_cells(&b, ctx, "score", lu, NULL);
    parley__buf_puts(&b, ", ");
    json_cells(&b, ctx, "rank", NULL, ru);
    parley__buf_puts(&b, "}");
    rc = diag_finish(ctx, &b);
  }
  parley__free(ctx->engine, y);
  parley__free(ctx->engine, rk);
  parley__free(ctx->engine, order);
  return rc;
}

/* ---- aras ----------------------------------------------------------------- */
/* Reads the parameter "optimal", a JSON object of criterion id -> value,
 * into x0 (NaN where not given). */
static int aras_optimal(parley__ctx *ctx, double *x0) {
  for (size_t c = 0; c < ctx->nc; c++) x0[c] = NAN;
  const parley__param *p = ctx->spec ? parley__spec_get(ctx->spec, "optimal") : NULL;
  if (!p) return PARLEY_OK;
  cJSON *o = p->type == PARLEY__PJSON && p->text ? cJSON_Parse(p->text) : NULL;
  if (!cJSON_IsObject(o)) {
    cJSON_Delete(o);
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation aras: parameter 'optimal' must be a JSON object of criterion "
                       "id -> optimal value, e.g. {\"cost\": 10}");
  }
  int rc = PARLEY_OK;
  for (cJSON *it = o->child; it && rc == PARLEY_OK; it = it->next) {
    size_t c = 0;
    while (c < ctx->nc && strcmp(crit_id(ctx, c), it->string) != 0) c++;
    if (c == ctx->nc)
      rc = parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation aras: parameter 'optimal' names criterion '%s', which the "
                       "model does not have", it->string);
    else if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || !(it->valuedouble > 0))
      rc = parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation aras: parameter 'optimal': the value of criterion '%s' must "
                       "be a number > 0", it->string);
    else
      x0[c] = it->valuedouble;
  }
  cJSON_Delete(o);
  return rc;
}

/* ARAS (Zavadskas & Turskis 2010): the optimal alternative 0 (given, or the
 * slab's best value) joins the slab; a cost criterion is read as 1/x; each
 * column is divided by its sum over the slab and alternative 0; S = sum of
 * w times that, and the utility degree K = S / S0. */
int parley__a_aras(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  double *x0 = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *x0));
  if (!x0) return PARLEY_ENOMEM;
  int rc = n > 0 ? aras_optimal(ctx, x0) : PARLEY_OK;
  if (rc != PARLEY_OK || n == 0) {
    parley__free(ctx->engine, x0);
    return rc;
  }
  for (size_t i = 0; i < n; i++) u[i] = 0;
  double s0 = 0;
  for (size_t c = 0; c < nc && rc == PARLEY_OK; c++) {
    const double *x = slab(ctx, c);
    int dir = crit_dir(ctx, c);
    double lo, hi;
    slab_min_max(x, n, &lo, &hi);
    if (isnan(x0[c])) x0[c] = dir > 0 ? hi : lo;
    double w = ctx->w[c];
    if (w == 0) continue;
    rc = dir > 0 ? check_slab(ctx, "aras", c, false, "a benefit criterion (x / sum x)")
                 : check_slab(ctx, "aras", c, true, "a cost criterion (it is read as 1/x)");
    if (rc != PARLEY_OK) break;
    /* Benefit: x / m with m = the largest of the column and x0; cost:
     * m / x with m = the smallest.  Scaling a column by m leaves its shares
     * of the column sum as they are, and keeps every term in [0, 1]. */
    double m = dir > 0 ? fmax(hi, x0[c]) : fmin(lo, x0[c]);
    if (m == 0) continue; /* a benefit column of zeros, alternative 0 too: adds nothing */
    double t0 = dir > 0 ? x0[c] / m : m / x0[c], sum = t0;
    for (size_t i = 0; i < n; i++) sum += dir > 0 ? x[i] / m : m / x[i];
    double f = w / sum;
    for (size_t i = 0; i < n; i++) u[i] += f * (dir > 0 ? x[i] / m : m / x[i]);
    s0 += f * t0;
  }
  if (rc == PARLEY_OK) {
    /* S0 = 0 only when every weighted column is zeros (an optimal value
     * given is > 0): then every S is 0 as well and as good as the optimum. */
    for (size_t i = 0; i < n; i++) u[i] = s0 > 0 ? u[i] / s0 : 1;
    if (!ctx->no_diagnostics) {
      parley__buf b;
      parley__buf_init(&b, ctx->engine);
      parley__buf_puts(&b, "{");
      json_crit(&b, ctx, "optimal", x0);
      parley__buf_puts(&b, ", \"s0\": ");
      json_num(&b, s0);
      rc = diag_finish(ctx, &b);
    }
  }
  parley__free(ctx->engine, x0);
  return rc;
}

/* ---- waspas --------------------------------------------------------------- */
/* WASPAS (Zavadskas et al. 2012): r = x / max x (benefit), min x / x (cost)
 * over the slab; Q = lambda sum w r + (1 - lambda) prod r^w. */
int parley__a_waspas(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk;
  double lambda = ctx->stage ? parley__param_num(ctx->stage, ctx->spec, "lambda") : NAN;
  if (isnan(lambda)) lambda = 0.5;
  if (!(lambda >= 0 && lambda <= 1)) {
    char v[32];
    parley__fmt_double(v, sizeof v, lambda);
    return parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation waspas: lambda=%s is outside [0, 1]", v);
  }
  if (n == 0) return PARLEY_OK;
  double *lp = parley__malloc(ctx->engine, parley__mul(n, sizeof *lp)); /* ln WPM */
  if (!lp) return PARLEY_ENOMEM;
  for (size_t i = 0; i < n; i++) u[i] = lp[i] = 0; /* u: WSM */
  int rc = PARLEY_OK;
  for (size_t c = 0; c < ctx->nc; c++) {
    double w = ctx->w[c], lo, hi;
    if (w == 0) continue;
    int dir = crit_dir(ctx, c);
    rc = dir > 0 ? check_slab(ctx, "waspas", c, false, "a benefit criterion (x / max x)")
                 : check_slab(ctx, "waspas", c, true, "a cost criterion (min x / x)");
    if (rc != PARLEY_OK) break;
    const double *x = slab(ctx, c);
    slab_min_max(x, n, &lo, &hi);
    /* A benefit column of zeros puts no cell above another: r = 1. */
    if (dir > 0 && hi == 0) {
      for (size_t i = 0; i < n; i++) u[i] += w;
      continue;
    }
    for (size_t i = 0; i < n; i++) {
      double r = dir > 0 ? x[i] / hi : lo / x[i];
      u[i] += w * r;
      /* A zero makes the product 0: ln 0 = -inf stays -inf in the sum (every
       * other term is finite) and exp gives 0. */
      lp[i] += r > 0 ? w * log(r) : -INFINITY;
    }
  }
  if (rc == PARLEY_OK)
    for (size_t i = 0; i < n; i++) u[i] = lambda * u[i] + (1 - lambda) * exp(lp[i]);
  parley__free(ctx->engine, lp);
  return rc;
}

/* ---- edas ----------------------------------------------------------------- */
/* EDAS (Keshavarz Ghorabaee et al. 2015): the average solution AV over the
 * slab; PDA = max(0, x - AV) / AV and NDA = max(0, AV - x) / AV (the other
 * way round for a cost criterion); SP, SN their weighted sums; NSP =
 * SP / max SP, NSN = 1 - SN / max SN; the appraisal score AS = (NSP + NSN) / 2. */
int parley__a_edas(parley__ctx *ctx, double *u) {
  size_t n = ctx->ns * ctx->nk, nc = ctx->nc;
  if (n == 0) return PARLEY_OK;
  double *sn = parley__malloc(ctx->engine, parley__mul(n, sizeof *sn));
  double *av = parley__malloc(ctx->engine, parley__mul(nc ? nc : 1, sizeof *av));
  if (!sn || !av) {
    parley__free(ctx->engine, sn);
    parley__free(ctx->engine, av);
    return PARLEY_ENOMEM;
  }
  for (size_t i = 0; i < n; i++) u[i] = sn[i] = 0; /* u: SP */
  int rc = PARLEY_OK;
  for (size_t c = 0; c < nc; c++) {
    const double *x = slab(ctx, c);
    double lo, hi, mx = max_abs(x, n), sum = 0;
    /* The average of x / mx (as = AV / mx): distances relative to it are
     * the same, and neither overflow nor underflow whatever the scale. */
    for (size_t i = 0; mx > 0 && i < n; i++) sum += x[i] / mx;
    double as = sum / (double)n;
    slab_min_max(x, n, &lo, &hi);
    /* A constant column is its own average (exactly, not up to rounding):
     * every distance is 0 and it plays no part. */
    av[c] = lo == hi ? lo : mx * as;
    double w = ctx->w[c];
    if (w == 0) continue;
    rc = check_slab(ctx, "edas", c, false, "every criterion (distances relative to the average)");
    if (rc != PARLEY_OK) break;
    if (lo == hi) continue;
    /* x >= 0 and not constant: as >= 1/n > 0, and a distance is at most n - 1. */
    int dir = crit_dir(ctx, c);
    for (size_t i = 0; i < n; i++) {
      double dd = dir * (x[i] / mx - as) / as;
      if (dd > 0)
        u[i] += w * dd;
      else
        sn[i] -= w * dd;
    }
  }
  if (rc == PARLEY_OK) {
    double msp = 0, msn = 0;
    for (size_t i = 0; i < n; i++) {
      msp = u[i] > msp ? u[i] : msp;
      msn = sn[i] > msn ? sn[i] : msn;
    }
    /* Nothing varies (max SP = max SN = 0): every cell is the average,
     * NSP = 0 and NSN = 1, AS = 0.5 — the midpoint, as TOPSIS gives. */
    for (size_t i = 0; i < n; i++) {
      double nsp = msp > 0 ? u[i] / msp : 0, nsn = msn > 0 ? 1 - sn[i] / msn : 1;
      u[i] = 0.5 * (nsp + nsn);
    }
    if (!ctx->no_diagnostics) {
      parley__buf b;
      parley__buf_init(&b, ctx->engine);
      parley__buf_puts(&b, "{");
      json_crit(&b, ctx, "average", av);
      rc = diag_finish(ctx, &b);
    }
  }
  parley__free(ctx->engine, sn);
  parley__free(ctx->engine, av);
  return rc;
}
