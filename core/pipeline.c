/*
 * pipeline.c — one run of a model: resolve the stages through the registry,
 * then weighting -> normalization -> aggregation -> decision rule ->
 * ranking, the value of information, and the same again for each actor's
 * own weights.  Each stage is a pass over contiguous arrays; this file only
 * allocates the arrays, calls the stages in order and checks what they
 * return, so that a stage's numerical trouble is reported here by name and
 * never reaches the result as a NaN.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
    rc = parley__spec_parse(e, out, o->stage[kind], what);
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
  parley__ctx ctx;
  double *na, *nb; /* normalization maps */
} run;

static void ctx_stage(run *R, parley_stage_kind kind) {
  R->ctx.stage = R->st[kind];
  R->ctx.spec = &R->r->spec[kind];
}

/* Keeps the diagnostics a stage left on the context. */
static void take_diagnostics(run *R, parley_stage_kind kind) {
  if (!R->ctx.diagnostics) return;
  parley__free(R->e, R->r->diagnostics[kind]);
  R->r->diagnostics[kind] = R->ctx.diagnostics;
  R->ctx.diagnostics = NULL;
}

static int stage_failed(run *R, parley_stage_kind kind, int rc) {
  /* A stage that failed without a message still gets one naming it. */
  if (R->e->errcode == PARLEY_OK || R->e->errmsg[0] == '\0')
    parley__err(R->e, rc, "%s '%s' failed", parley_stage_kind_name(kind), R->st[kind]->name);
  return rc;
}

/* Checks raw weights and scales them to sum 1. */
static int normalise_weights(run *R, double *w, const char *whose) {
  const parley_model *m = R->m;
  double sum = 0;
  for (size_t c = 0; c < m->nc; c++) {
    if (!isfinite(w[c]) || w[c] < 0)
      return parley__err(R->e, PARLEY_EINVALID, "%s: weight of criterion '%s' is %g; expected a "
                         "finite number >= 0", whose, m->crit[c].id, w[c]);
    sum += w[c];
  }
  if (!(sum > 0) || !isfinite(sum))
    return parley__err(R->e, PARLEY_EINVALID, "%s: the weights sum to %g; expected a positive sum",
                       whose, sum);
  for (size_t c = 0; c < m->nc; c++) w[c] /= sum;
  return PARLEY_OK;
}

/* Finds a non-finite value a stage returned: x is u[k * ns + s] (utilities)
 * or, with per_scenario false, score[s]. */
static int check_finite(run *R, const double *x, size_t n, parley_stage_kind kind,
                        const char *what, bool per_scenario) {
  const parley_model *m = R->m;
  for (size_t i = 0; i < n; i++) {
    if (isfinite(x[i])) continue;
    const char *strategy = m->strat[i % m->ns].id;
    if (per_scenario)
      return parley__err(R->e, PARLEY_ERROR,
                         "%s '%s' gave a non-finite %s for strategy '%s' under scenario '%s'",
                         parley_stage_kind_name(kind), R->st[kind]->name, what, strategy,
                         m->scen[i / m->ns].id);
    return parley__err(R->e, PARLEY_ERROR, "%s '%s' gave a non-finite %s for strategy '%s'",
                       parley_stage_kind_name(kind), R->st[kind]->name, what, strategy);
  }
  return PARLEY_OK;
}

/* Aggregation then rule for one weight vector: u[nk * ns], score[ns]. */
static int score_with(run *R, const double *w, double *u, double *score) {
  const parley_model *m = R->m;
  R->ctx.w = w;
  ctx_stage(R, PARLEY_STAGE_AGGREGATION);
  int rc = R->st[PARLEY_STAGE_AGGREGATION]->fn.aggregation(&R->ctx, u);
  if (rc != PARLEY_OK) return stage_failed(R, PARLEY_STAGE_AGGREGATION, rc);
  take_diagnostics(R, PARLEY_STAGE_AGGREGATION);
  rc = check_finite(R, u, m->nk * m->ns, PARLEY_STAGE_AGGREGATION, "utility", true);
  if (rc != PARLEY_OK) return rc;
  /* A rule reads utilities where higher is better.  An aggregation whose
   * score is better when lower (VIKOR's Q) is handed over negated, and the
   * rule's score turned back into the aggregation's terms: maximin then
   * picks the smallest worst Q, expected value the smallest expected Q.  A
   * rule that is itself lower-is-better (regret) keeps its own score. */
  bool flip = R->st[PARLEY_STAGE_AGGREGATION]->flags & PARLEY__LOWER_IS_BETTER;
  size_t nu = m->nk * m->ns;
  for (size_t i = 0; flip && i < nu; i++) u[i] = -u[i];
  ctx_stage(R, PARLEY_STAGE_RULE);
  rc = R->st[PARLEY_STAGE_RULE]->fn.rule(&R->ctx, u, R->ctx.p, score);
  for (size_t i = 0; flip && i < nu; i++) u[i] = -u[i];
  if (rc != PARLEY_OK) return stage_failed(R, PARLEY_STAGE_RULE, rc);
  if (flip && !(R->st[PARLEY_STAGE_RULE]->flags & PARLEY__LOWER_IS_BETTER))
    for (size_t s = 0; s < m->ns; s++) score[s] = -score[s];
  take_diagnostics(R, PARLEY_STAGE_RULE);
  return check_finite(R, score, m->ns, PARLEY_STAGE_RULE, "score", false);
}

static int weigh(run *R) {
  ctx_stage(R, PARLEY_STAGE_WEIGHTING);
  int rc = R->st[PARLEY_STAGE_WEIGHTING]->fn.weighting(&R->ctx, R->r->w);
  if (rc != PARLEY_OK) return stage_failed(R, PARLEY_STAGE_WEIGHTING, rc);
  take_diagnostics(R, PARLEY_STAGE_WEIGHTING);
  char whose[96];
  snprintf(whose, sizeof whose, "weighting '%s'", R->st[PARLEY_STAGE_WEIGHTING]->name);
  return normalise_weights(R, R->r->w, whose);
}

static int normalize(run *R) {
  const parley_model *m = R->m;
  size_t slab = m->nk * m->ns;
  if (R->st[PARLEY_STAGE_AGGREGATION]->flags & PARLEY__RAW_VALUES) {
    /* The aggregation scales the raw values itself: identity maps. */
    for (size_t c = 0; c < m->nc; c++) R->na[c] = 1, R->nb[c] = 0;
    return PARLEY_OK;
  }
  ctx_stage(R, PARLEY_STAGE_NORMALIZATION);
  for (size_t c = 0; c < m->nc; c++) {
    const parley__criterion *cr = &m->crit[c];
    int rc = R->st[PARLEY_STAGE_NORMALIZATION]->fn.normalization(
        &R->ctx, c, R->ctx.cube + c * slab, slab, cr->dir, cr->lo, cr->hi, &R->na[c], &R->nb[c]);
    if (rc != PARLEY_OK) return stage_failed(R, PARLEY_STAGE_NORMALIZATION, rc);
    if (!isfinite(R->na[c]) || !isfinite(R->nb[c]))
      return parley__err(R->e, PARLEY_ERROR, "normalization '%s' gave a non-finite scale for "
                         "criterion '%s'", R->st[PARLEY_STAGE_NORMALIZATION]->name, cr->id);
  }
  take_diagnostics(R, PARLEY_STAGE_NORMALIZATION);
  return PARLEY_OK;
}

/* EVPI = E[max_s u] - max_s E[u] (Raiffa & Schlaifer 1961).  For an
 * aggregation whose utility is better when lower, the same on -u, reported
 * back in the utility's own terms (min instead of max). */
static void value_of_information(run *R) {
  const parley_model *m = R->m;
  parley_result *r = R->r;
  double sign = R->st[PARLEY_STAGE_AGGREGATION]->flags & PARLEY__LOWER_IS_BETTER ? -1 : 1;
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
    rc = normalise_weights(R, ar->w, whose);
    if (rc == PARLEY_OK) rc = score_with(R, ar->w, u, ar->score);
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

static int resolve_analyses(run *R, const parley_run_options *o) {
  parley_engine *e = R->e;
  const parley_model *m = R->m;
  size_t n = o && o->n_analyses ? o->n_analyses : m->nanalyses;
  for (size_t i = 0; i < n; i++) {
    parley__spec spec;
    char what[512];
    int rc;
    if (o && o->n_analyses) {
      snprintf(what, sizeof what, "run option");
      rc = o->analyses[i] ? parley__spec_parse(e, &spec, o->analyses[i], what)
                          : parley__err(e, PARLEY_EUSAGE, "analysis %zu is NULL", i);
    } else {
      char field[32];
      snprintf(field, sizeof field, "analyses[%zu]", i);
      model_origin(m, field, what, sizeof what);
      rc = parley__spec_copy(e, &spec, &m->analyses[i]);
    }
    if (rc != PARLEY_OK) return rc;
    const parley__stage *st;
    rc = parley__registry_resolve(e, PARLEY_STAGE_ANALYSIS, &spec, what, &st);
    if (rc == PARLEY_OK && strcmp(st->name, "evpi") == 0 && !R->r->p)
      rc = parley__err(e, PARLEY_EINVALID,
                       "%s: evpi needs scenario probabilities, and the model gives none", what);
    parley__spec_clear(e, &spec);
    if (rc != PARLEY_OK) return rc;
  }
  return PARLEY_OK;
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
  r->higher_better = !(R->st[PARLEY_STAGE_RULE]->flags & PARLEY__LOWER_IS_BETTER) &&
                     !(R->st[PARLEY_STAGE_AGGREGATION]->flags & PARLEY__LOWER_IS_BETTER);

  size_t nu = parley__mul(m->nk, m->ns);
  r->w = parley__malloc(e, parley__mul(m->nc, sizeof *r->w));
  r->u = parley__malloc(e, parley__mul(nu, sizeof *r->u));
  r->score = parley__malloc(e, parley__mul(m->ns, sizeof *r->score));
  r->order = parley__malloc(e, parley__mul(m->ns, sizeof *r->order));
  r->rank = parley__malloc(e, parley__mul(m->ns, sizeof *r->rank));
  R->na = parley__malloc(e, parley__mul(m->nc, sizeof *R->na));
  R->nb = parley__malloc(e, parley__mul(m->nc, sizeof *R->nb));
  if (probs) r->p = parley__malloc(e, parley__mul(m->nk, sizeof *r->p));
  if (!r->w || !r->u || !r->score || !r->order || !r->rank || !R->na || !R->nb ||
      (probs && !r->p))
    return PARLEY_ENOMEM;
  for (size_t k = 0; probs && k < m->nk; k++) r->p[k] = m->scen[k].probability;

  int rc = resolve_analyses(R, o);
  if (rc != PARLEY_OK) return rc;

  R->ctx = (parley__ctx){.engine = e, .model = m, .ns = m->ns, .nk = m->nk, .nc = m->nc,
                         .cube = m->cube, .na = R->na, .nb = R->nb, .p = r->p};
  if ((rc = weigh(R)) != PARLEY_OK) return rc;
  if ((rc = normalize(R)) != PARLEY_OK) return rc;
  if ((rc = score_with(R, r->w, r->u, r->score)) != PARLEY_OK) return rc;
  parley__rank(r->score, m->ns, r->higher_better, r->order, r->rank);
  if (probs && !m->implicit_scenario) value_of_information(R);
  return run_actors(R);
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
  parley__free(engine, R.na);
  parley__free(engine, R.nb);
  parley__free(engine, R.ctx.diagnostics);
  if (rc != PARLEY_OK) {
    if (rc == PARLEY_ENOMEM && engine->errcode != PARLEY_ENOMEM)
      parley__err(engine, PARLEY_ENOMEM, "out of memory");
    parley_result_free(r);
    return rc;
  }
  *out = r;
  return PARLEY_OK;
}
