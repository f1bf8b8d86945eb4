/*
 * pipeline.c — one run of a model: resolve the stages through the registry,
 * then weighting -> normalization -> aggregation -> decision rule ->
 * ranking, the value of information, and the same again for each actor's
 * own weights.  Each stage is a pass over contiguous arrays; this file only
 * allocates the arrays, calls the stages in order and checks what they
 * return, so that a stage's numerical trouble is reported here by name and
 * never reaches the result as a NaN.
 */
#include "compare.h"
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const default_stage[PARLEY_STAGE_KINDS] = {
  "given", "minmax", "wsm", NULL /* expected or laplace */, NULL, NULL, NULL};

static bool has_probabilities(const parley_model *m) {
  return m->nk > 0 && !isnan(m->scen[0].probability);
}

/* Where a stage of the model file is, for messages: "FILE: pipeline.rule". */
static void model_origin(const parley_model *m, const char *field, char *out, size_t n) {
  snprintf(out, n, "%s%spipeline.%s", m->source ? m->source : "", m->source ? ": " : "", field);
}

/* Picks the spec of one pipeline stage: the run's override, the model's own,
 * or the default. */
static int choose_spec(parley_engine *e, const parley_model *m, const parley_run_options *o,
                       parley_stage_kind kind, parley__spec *out, const parley__stage **st) {
  char what[512];
  int rc;
  if (o && o->stage[kind]) {
    snprintf(what, sizeof what, "run option");
    /* An aggregation or rule option may name a list of stages to compare;
     * the first is the one that runs (parley__compare_options adds the
     * rest to the analysis "compare"). */
    rc = kind == PARLEY_STAGE_AGGREGATION || kind == PARLEY_STAGE_RULE
             ? parley__stage_list_first(e, out, o->stage[kind], what)
             : parley__spec_parse(e, out, o->stage[kind], what);
  } else if (m->pipeline[kind].name) {
    model_origin(m, parley_stage_kind_name(kind), what, sizeof what);
    rc = parley__spec_copy(e, out, &m->pipeline[kind]);
  } else {
    snprintf(what, sizeof what, "default %s", parley_stage_kind_name(kind));
    const char *def = default_stage[kind];
    if (kind == PARLEY_STAGE_RULE) def = has_probabilities(m) ? "expected" : "laplace";
    rc = parley__spec_parse(e, out, def, what);
  }
  if (rc != PARLEY_OK) return rc;
  return parley__registry_resolve(e, kind, out, what, st);
}

typedef struct run {
  parley_engine *e;
  parley_model *m;
  parley_result *r;
  const parley__stage *st[PARLEY_STAGE_KINDS];
  parley__eval ev;
  parley__spec *aspec;            /* the analyses asked for */
  const parley__stage **ast;
  size_t naspec;
} run;

/* ---- one evaluation ------------------------------------------------------- */
static void ctx_stage(parley__eval *ev, parley_stage_kind kind) {
  ev->ctx.stage = ev->st[kind];
  ev->ctx.spec = ev->spec[kind];
  ev->ctx.no_diagnostics = !ev->diagnostics;
}

/* Keeps the diagnostics a stage left on the context, when wanted. */
static void take_diagnostics(parley__eval *ev, parley_stage_kind kind) {
  if (!ev->ctx.diagnostics) return;
  if (ev->diagnostics) {
    parley__free(ev->e, ev->diagnostics[kind]);
    ev->diagnostics[kind] = ev->ctx.diagnostics;
  } else {
    parley__free(ev->e, ev->ctx.diagnostics);
  }
  ev->ctx.diagnostics = NULL;
}

static int stage_failed(parley__eval *ev, parley_stage_kind kind, int rc) {
  /* A stage that failed without a message still gets one naming it. */
  if (ev->e->errcode == PARLEY_OK || ev->e->errmsg[0] == '\0')
    parley__err(ev->e, rc, "%s '%s' failed", parley_stage_kind_name(kind), ev->st[kind]->name);
  return rc;
}

int parley__normalise_weights(parley_engine *e, const parley_model *m, double *w,
                              const char *whose) {
  double sum = 0;
  for (size_t c = 0; c < m->nc; c++) {
    if (!isfinite(w[c]) || w[c] < 0)
      return parley__err(e, PARLEY_EINVALID, "%s: weight of criterion '%s' is %g; expected a "
                         "finite number >= 0", whose, m->crit[c].id, w[c]);
    sum += w[c];
  }
  if (!(sum > 0) || !isfinite(sum))
    return parley__err(e, PARLEY_EINVALID, "%s: the weights sum to %g; expected a positive sum",
                       whose, sum);
  for (size_t c = 0; c < m->nc; c++) w[c] /= sum;
  return PARLEY_OK;
}

/* Finds a non-finite value a stage returned: x is u[k * ns + s] (utilities)
 * or, with per_scenario false, score[s]. */
static int check_finite(parley__eval *ev, const double *x, size_t n, parley_stage_kind kind,
                        const char *what, bool per_scenario) {
  const parley_model *m = ev->m;
  for (size_t i = 0; i < n; i++) {
    if (isfinite(x[i])) continue;
    const char *strategy = m->strat[i % m->ns].id;
    if (per_scenario)
      return parley__err(ev->e, PARLEY_ERROR,
                         "%s '%s' gave a non-finite %s for strategy '%s' under scenario '%s'",
                         parley_stage_kind_name(kind), ev->st[kind]->name, what, strategy,
                         m->scen[i / m->ns].id);
    return parley__err(ev->e, PARLEY_ERROR, "%s '%s' gave a non-finite %s for strategy '%s'",
                       parley_stage_kind_name(kind), ev->st[kind]->name, what, strategy);
  }
  return PARLEY_OK;
}

int parley__eval_init(parley__eval *ev, parley_engine *e, const parley_model *m,
                      const parley__stage *const st[PARLEY_STAGE_KINDS],
                      const parley__spec spec[PARLEY_STAGE_KINDS]) {
  memset(ev, 0, sizeof *ev);
  ev->e = e;
  ev->m = m;
  for (int k = 0; k < PARLEY_STAGE_KINDS; k++) {
    ev->st[k] = st[k];
    ev->spec[k] = &spec[k];
  }
  ev->flip = st[PARLEY_STAGE_AGGREGATION]->flags & PARLEY__LOWER_IS_BETTER;
  ev->higher_better = !(st[PARLEY_STAGE_RULE]->flags & PARLEY__LOWER_IS_BETTER) && !ev->flip;
  ev->na = parley__malloc(e, parley__mul(m->nc, sizeof *ev->na));
  ev->nb = parley__malloc(e, parley__mul(m->nc, sizeof *ev->nb));
  ev->range = parley__malloc(e, parley__mul(m->nc, 2 * sizeof *ev->range));
  if (!ev->na || !ev->nb || !ev->range) {
    parley__eval_free(ev);
    return PARLEY_ENOMEM;
  }
  for (size_t c = 0; c < 2 * m->nc; c++) ev->range[c] = NAN;
  ev->ctx = (parley__ctx){.engine = e, .model = m, .ns = m->ns, .nk = m->nk, .nc = m->nc,
                          .cube = m->cube, .na = ev->na, .nb = ev->nb, .slab_lo = ev->range,
                          .slab_hi = ev->range + m->nc, .p = NULL};
  return PARLEY_OK;
}

void parley__eval_free(parley__eval *ev) {
  parley__free(ev->e, ev->na);
  parley__free(ev->e, ev->nb);
  parley__free(ev->e, ev->range);
  parley__free(ev->e, ev->ctx.diagnostics);
  ev->na = ev->nb = ev->range = NULL;
  ev->ctx.slab_lo = ev->ctx.slab_hi = NULL;
  ev->ctx.diagnostics = NULL;
}

int parley__eval_weigh(parley__eval *ev, double *w) {
  ctx_stage(ev, PARLEY_STAGE_WEIGHTING);
  int rc = ev->st[PARLEY_STAGE_WEIGHTING]->fn.weighting(&ev->ctx, w);
  if (rc != PARLEY_OK) return stage_failed(ev, PARLEY_STAGE_WEIGHTING, rc);
  take_diagnostics(ev, PARLEY_STAGE_WEIGHTING);
  char whose[96];
  snprintf(whose, sizeof whose, "weighting '%s'", ev->st[PARLEY_STAGE_WEIGHTING]->name);
  return parley__normalise_weights(ev->e, ev->m, w, whose);
}

int parley__eval_normalize(parley__eval *ev) {
  const parley_model *m = ev->m;
  size_t slab = m->nk * m->ns;
  /* The ranges of an earlier cube are forgotten: only this pass may set
   * them. */
  for (size_t c = 0; ev->range && c < 2 * m->nc; c++) ev->range[c] = NAN;
  if (ev->st[PARLEY_STAGE_AGGREGATION]->flags & PARLEY__RAW_VALUES) {
    /* The aggregation scales the raw values itself: identity maps. */
    for (size_t c = 0; c < m->nc; c++) ev->na[c] = 1, ev->nb[c] = 0;
    return PARLEY_OK;
  }
  ctx_stage(ev, PARLEY_STAGE_NORMALIZATION);
  for (size_t c = 0; c < m->nc; c++) {
    const parley__criterion *cr = &m->crit[c];
    int rc = ev->st[PARLEY_STAGE_NORMALIZATION]->fn.normalization(
        &ev->ctx, c, ev->ctx.cube + c * slab, slab, cr->dir, cr->lo, cr->hi, &ev->na[c],
        &ev->nb[c]);
    if (rc != PARLEY_OK) return stage_failed(ev, PARLEY_STAGE_NORMALIZATION, rc);
    if (!isfinite(ev->na[c]) || !isfinite(ev->nb[c]))
      return parley__err(ev->e, PARLEY_ERROR, "normalization '%s' gave a non-finite scale for "
                         "criterion '%s'", ev->st[PARLEY_STAGE_NORMALIZATION]->name, cr->id);
  }
  take_diagnostics(ev, PARLEY_STAGE_NORMALIZATION);
  return PARLEY_OK;
}

int parley__eval_score(parley__eval *ev, const double *w, double *u, double *score) {
  const parley_model *m = ev->m;
  ev->ctx.w = w;
  ctx_stage(ev, PARLEY_STAGE_AGGREGATION);
  int rc = ev->st[PARLEY_STAGE_AGGREGATION]->fn.aggregation(&ev->ctx, u);
  if (rc != PARLEY_OK) return stage_failed(ev, PARLEY_STAGE_AGGREGATION, rc);
  take_diagnostics(ev, PARLEY_STAGE_AGGREGATION);
  size_t nu = m->nk * m->ns;
  rc = check_finite(ev, u, nu, PARLEY_STAGE_AGGREGATION, "utility", true);
  if (rc != PARLEY_OK) return rc;
  /* A rule reads utilities where higher is better.  An aggregation whose
   * score is better when lower (VIKOR's Q) is handed over negated, and the
   * rule's score turned back into the aggregation's terms: maximin then
   * picks the smallest worst Q, expected value the smallest expected Q.  A
   * rule that is itself lower-is-better (regret) keeps its own score. */
  for (size_t i = 0; ev->flip && i < nu; i++) u[i] = -u[i];
  ctx_stage(ev, PARLEY_STAGE_RULE);
  rc = ev->st[PARLEY_STAGE_RULE]->fn.rule(&ev->ctx, u, ev->ctx.p, score);
  for (size_t i = 0; ev->flip && i < nu; i++) u[i] = -u[i];
  if (rc != PARLEY_OK) return stage_failed(ev, PARLEY_STAGE_RULE, rc);
  if (ev->flip && !(ev->st[PARLEY_STAGE_RULE]->flags & PARLEY__LOWER_IS_BETTER))
    for (size_t s = 0; s < m->ns; s++) score[s] = 0.0 - score[s]; /* never -0 */
  take_diagnostics(ev, PARLEY_STAGE_RULE);
  return check_finite(ev, score, m->ns, PARLEY_STAGE_RULE, "score", false);
}

/* EVPI = E[max_s u] - max_s E[u] (Raiffa & Schlaifer 1961).  For an
 * aggregation whose utility is better when lower, the same on -u, reported
 * back in the utility's own terms (min instead of max). */
static void value_of_information(run *R) {
  const parley_model *m = R->m;
  parley_result *r = R->r;
  double sign = R->ev.flip ? -1 : 1;
  double best_ev = -INFINITY, ev_pi = 0;
  for (size_t s = 0; s < m->ns; s++) {
    double ev = 0;
    for (size_t k = 0; k < m->nk; k++) ev += r->p[k] * sign * r->u[k * m->ns + s];
    if (ev > best_ev) best_ev = ev;
  }
  for (size_t k = 0; k < m->nk; k++) {
    double best = -INFINITY;
    for (size_t s = 0; s < m->ns; s++)
      if (sign * r->u[k * m->ns + s] > best) best = sign * r->u[k * m->ns + s];
    ev_pi += r->p[k] * best;
  }
  r->has_evpi = true;
  r->ev = sign * best_ev;
  r->evpi_ev = sign * ev_pi;
  /* Rounding can make the difference a hair below zero; EVPI >= 0 exactly. */
  r->evpi = ev_pi - best_ev > 0 ? ev_pi - best_ev : 0;
}

static int run_actors(run *R) {
  const parley_model *m = R->m;
  parley_result *r = R->r;
  if (m->na == 0) return PARLEY_OK;
  r->actors = parley__calloc(R->e, m->na, sizeof *r->actors);
  r->tau = parley__calloc(R->e, parley__mul(m->na, m->na), sizeof *r->tau);
  double *u = parley__malloc(R->e, parley__mul(m->nk * m->ns, sizeof *u));
  int rc = r->actors && r->tau && u ? PARLEY_OK : PARLEY_ENOMEM;
  for (size_t a = 0; a < m->na && rc == PARLEY_OK; a++) {
    parley__actor_result *ar = &r->actors[a];
    ar->w = parley__malloc(R->e, parley__mul(m->nc, sizeof *ar->w));
    ar->score = parley__malloc(R->e, parley__mul(m->ns, sizeof *ar->score));
    ar->order = parley__malloc(R->e, parley__mul(m->ns, sizeof *ar->order));
    ar->rank = parley__malloc(R->e, parley__mul(m->ns, sizeof *ar->rank));
    if (!ar->w || !ar->score || !ar->order || !ar->rank) {
      rc = PARLEY_ENOMEM;
      break;
    }
    memcpy(ar->w, m->act[a].weights, m->nc * sizeof *ar->w);
    char whose[128];
    snprintf(whose, sizeof whose, "actor '%s'", m->act[a].id);
    rc = parley__normalise_weights(R->e, m, ar->w, whose);
    if (rc == PARLEY_OK) rc = parley__eval_score(&R->ev, ar->w, u, ar->score);
    if (rc == PARLEY_OK) parley__rank(ar->score, m->ns, r->higher_better, ar->order, ar->rank);
  }
  parley__free(R->e, u);
  if (rc != PARLEY_OK) return rc;
  for (size_t a = 0; a < m->na; a++) {
    r->tau[a * m->na + a] = 1;
    for (size_t b = a + 1; b < m->na; b++) {
      rc = parley__kendall_tau_b_knight(R->e, r->actors[a].score, r->actors[b].score, m->ns,
                                        &r->tau[a * m->na + b]);
      if (rc != PARLEY_OK) return rc;
      r->tau[b * m->na + a] = r->tau[a * m->na + b];
    }
  }
  return PARLEY_OK;
}

/* Resolves the analyses asked for (the run's, else the model's) into
 * R->aspec / R->ast, before anything runs, so that a typo fails at once. */
static int resolve_analyses(run *R, const parley_run_options *o) {
  parley_engine *e = R->e;
  const parley_model *m = R->m;
  size_t n = o && o->n_analyses ? o->n_analyses : m->nanalyses;
  if (n == 0 && !parley__compare_listed(o)) return PARLEY_OK;
  /* One more for the "compare" that a list of stages adds. */
  R->aspec = parley__calloc(e, n + 1, sizeof *R->aspec);
  R->ast = parley__calloc(e, n + 1, sizeof *R->ast);
  if (!R->aspec || !R->ast) return PARLEY_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    parley__spec *spec = &R->aspec[i];
    char what[512];
    int rc;
    if (o && o->n_analyses) {
      snprintf(what, sizeof what, "run option");
      rc = o->analyses[i] ? parley__spec_parse(e, spec, o->analyses[i], what)
                          : parley__err(e, PARLEY_EUSAGE, "analysis %zu is NULL", i);
    } else {
      char field[32];
      snprintf(field, sizeof field, "analyses[%zu]", i);
      model_origin(m, field, what, sizeof what);
      rc = parley__spec_copy(e, spec, &m->analyses[i]);
    }
    if (rc != PARLEY_OK) return rc;
    R->naspec = i + 1;
    const parley__stage *st;
    rc = parley__registry_resolve(e, PARLEY_STAGE_ANALYSIS, spec, what, &st);
    if (rc == PARLEY_OK && strcmp(st->name, "evpi") == 0 && !R->r->p)
      rc = parley__err(e, PARLEY_EINVALID,
                       "%s: evpi needs scenario probabilities, and the model gives none", what);
    for (size_t j = 0; rc == PARLEY_OK && j < i; j++)
      if (R->ast[j] == st)
        rc = parley__err(e, PARLEY_EUSAGE, "%s: analysis '%s' is asked for twice", what,
                         st->name);
    if (rc != PARLEY_OK) return rc;
    R->ast[i] = st;
  }
  return parley__compare_options(e, o, R->aspec, R->ast, &R->naspec);
}

static int machine_threads(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* Runs the analyses in the order asked for; evpi is computed with the
 * run whenever there are probabilities. */
static int run_analyses(run *R, const parley_run_options *o) {
  for (size_t i = 0; i < R->naspec; i++) {
    const parley__stage *st = R->ast[i];
    if (!st->fn.analysis) continue;
    parley__actx a = {.e = R->e, .m = R->m, .r = R->r, .st = R->st, .spec = &R->aspec[i],
                      .stage = st, .seed = o ? o->seed : 0,
                      .threads = o && o->threads > 0 ? o->threads : machine_threads()};
    if (o && o->version >= 2) {
      a.progress = o->progress;
      a.progress_ud = o->progress_ud;
    }
    int rc = st->fn.analysis(&a);
    if (rc != PARLEY_OK) {
      if (R->e->errcode == PARLEY_OK || R->e->errmsg[0] == '\0')
        parley__err(R->e, rc, "analysis '%s' failed", st->name);
      return rc;
    }
  }
  return PARLEY_OK;
}

void parley__shadow(parley_engine *shadow, const parley_engine *e) {
  *shadow = *e;
  shadow->host = NULL;
  shadow->errcode = PARLEY_OK;
  shadow->errmsg[0] = '\0';
}

static int run_pipeline(run *R, const parley_run_options *o) {
  parley_engine *e = R->e;
  parley_model *m = R->m;
  parley_result *r = R->r;
  const parley_stage_kind kinds[] = {PARLEY_STAGE_WEIGHTING, PARLEY_STAGE_NORMALIZATION,
                                     PARLEY_STAGE_AGGREGATION, PARLEY_STAGE_RULE};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
    parley_stage_kind k = kinds[i];
    int rc = choose_spec(e, m, o, k, &r->spec[k], &R->st[k]);
    if (rc != PARLEY_OK) return rc;
  }
  /* An aggregation that scales the raw values itself (VIKOR, PROMETHEE,
   * WPM, ...) uses no normalization: the result says "none" rather than
   * name a stage that played no part. */
  if (R->st[PARLEY_STAGE_AGGREGATION]->flags & PARLEY__RAW_VALUES) {
    parley__spec_clear(e, &r->spec[PARLEY_STAGE_NORMALIZATION]);
    int rc = parley__spec_parse(e, &r->spec[PARLEY_STAGE_NORMALIZATION], "none", "normalization");
    if (rc == PARLEY_OK)
      rc = parley__registry_resolve(e, PARLEY_STAGE_NORMALIZATION,
                                    &r->spec[PARLEY_STAGE_NORMALIZATION], "normalization",
                                    &R->st[PARLEY_STAGE_NORMALIZATION]);
    if (rc != PARLEY_OK) return rc;
  }
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (!(r->stage[kinds[i]] = parley__spec_text(e, &r->spec[kinds[i]]))) return PARLEY_ENOMEM;
  bool probs = has_probabilities(m);
  if ((R->st[PARLEY_STAGE_RULE]->flags & PARLEY__NEEDS_PROBABILITIES) && !probs)
    return parley__err(e, PARLEY_EINVALID,
                       "rule '%s' needs scenario probabilities, and the model gives none; "
                       "give each scenario a probability or choose another rule (laplace, "
                       "maximin, hurwicz, minimax-regret)", R->st[PARLEY_STAGE_RULE]->name);

  size_t nu = parley__mul(m->nk, m->ns);
  r->w = parley__malloc(e, parley__mul(m->nc, sizeof *r->w));
  r->u = parley__malloc(e, parley__mul(nu, sizeof *r->u));
  r->score = parley__malloc(e, parley__mul(m->ns, sizeof *r->score));
  r->order = parley__malloc(e, parley__mul(m->ns, sizeof *r->order));
  r->rank = parley__malloc(e, parley__mul(m->ns, sizeof *r->rank));
  if (probs) r->p = parley__malloc(e, parley__mul(m->nk, sizeof *r->p));
  if (!r->w || !r->u || !r->score || !r->order || !r->rank || (probs && !r->p))
    return PARLEY_ENOMEM;
  for (size_t k = 0; probs && k < m->nk; k++) r->p[k] = m->scen[k].probability;

  int rc = resolve_analyses(R, o);
  if (rc != PARLEY_OK) return rc;

  if ((rc = parley__eval_init(&R->ev, e, m, R->st, r->spec)) != PARLEY_OK) return rc;
  R->ev.ctx.p = r->p;
  R->ev.diagnostics = r->diagnostics;
  r->higher_better = R->ev.higher_better;
  r->utility_higher_better = !R->ev.flip;
  if ((rc = parley__eval_weigh(&R->ev, r->w)) != PARLEY_OK) return rc;
  if ((rc = parley__eval_normalize(&R->ev)) != PARLEY_OK) return rc;
  if ((rc = parley__eval_score(&R->ev, r->w, r->u, r->score)) != PARLEY_OK) return rc;
  parley__rank(r->score, m->ns, r->higher_better, r->order, r->rank);
  if (probs && !m->implicit_scenario) value_of_information(R);
  /* The actors' runs leave no diagnostics: the result's are the main run's. */
  R->ev.diagnostics = NULL;
  if ((rc = run_actors(R)) != PARLEY_OK) return rc;
  return run_analyses(R, o);
}

int parley_run(parley_engine *engine, parley_model *model, const parley_run_options *opts,
               parley_result **out) {
  if (!engine || !out) return PARLEY_EUSAGE;
  *out = NULL;
  parley__ok(engine);
  if (!model || model->engine != engine)
    return parley__err(engine, PARLEY_EUSAGE, "parley_run: the model belongs to another engine");
  if (opts && (opts->version < 1 || opts->version > PARLEY_RUN_OPTIONS_VERSION))
    return parley__err(engine, PARLEY_EUSAGE, "parley_run: unknown options version %d",
                       opts->version);
  int rc = parley_model_check(model);
  if (rc != PARLEY_OK) return rc;

  parley_result *r = parley__calloc(engine, 1, sizeof *r);
  if (!r) return PARLEY_ENOMEM;
  r->engine = engine;
  r->model = model;
  parley__model_retain(model);
  r->ns = model->ns;
  r->nk = model->nk;
  r->nc = model->nc;
  r->na = model->na;

  run R = {.e = engine, .m = model, .r = r};
  rc = run_pipeline(&R, opts);
  parley__eval_free(&R.ev);
  for (size_t i = 0; i < R.naspec; i++) parley__spec_clear(engine, &R.aspec[i]);
  parley__free(engine, R.aspec);
  parley__free(engine, R.ast);
  if (rc != PARLEY_OK) {
    if (rc == PARLEY_ENOMEM && engine->errcode != PARLEY_ENOMEM)
      parley__err(engine, PARLEY_ENOMEM, "out of memory");
    parley_result_free(r);
    return rc;
  }
  *out = r;
  return PARLEY_OK;
}
