/*
 * result.c — the result handle: freeing it and reading its fields.  The
 * result holds a reference on its model, so ids stay valid while it lives.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

void parley_result_free(parley_result *result) {
  if (!result) return;
  parley_engine *e = result->engine;
  for (int k = 0; k < PARLEY_STAGE_KINDS; k++) {
    parley__free(e, result->stage[k]);
    parley__spec_clear(e, &result->spec[k]);
    parley__free(e, result->diagnostics[k]);
  }
  if (result->actors)
    for (size_t a = 0; a < result->na; a++) {
      parley__free(e, result->actors[a].w);
      parley__free(e, result->actors[a].score);
      parley__free(e, result->actors[a].order);
      parley__free(e, result->actors[a].rank);
    }
  for (size_t i = 0; i < result->nanalyses; i++) {
    parley__free(e, result->analyses[i].name);
    parley__free(e, result->analyses[i].json);
    parley__free(e, result->analyses[i].text);
  }
  parley__free(e, result->analyses);
  parley__free(e, result->actors);
  parley__free(e, result->tau);
  parley__free(e, result->w);
  parley__free(e, result->p);
  parley__free(e, result->u);
  parley__free(e, result->score);
  parley__free(e, result->order);
  parley__free(e, result->rank);
  parley_model_free(result->model);
  parley__free(e, result);
}

const parley_model *parley_result_model(const parley_result *result) {
  return result ? result->model : NULL;
}

int parley_result_higher_is_better(const parley_result *result) {
  return result ? result->higher_better : 0;
}

int parley_result_ranking(const parley_result *result, size_t i, size_t *strategy, double *score,
                          int *rank) {
  if (!result) return PARLEY_EUSAGE;
  if (i >= result->ns) return PARLEY_ENOTFOUND;
  size_t s = result->order[i];
  if (strategy) *strategy = s;
  if (score) *score = result->score[s];
  if (rank) *rank = result->rank[i];
  return PARLEY_OK;
}

double parley_result_score(const parley_result *result, size_t strategy) {
  return result && strategy < result->ns ? result->score[strategy] : NAN;
}

double parley_result_weight(const parley_result *result, size_t criterion) {
  return result && criterion < result->nc ? result->w[criterion] : NAN;
}

double parley_result_utility(const parley_result *result, size_t strategy, size_t scenario) {
  if (!result || strategy >= result->ns || scenario >= result->nk) return NAN;
  return result->u[scenario * result->ns + strategy];
}

const char *parley_result_stage(const parley_result *result, parley_stage_kind kind) {
  return result && (unsigned)kind < PARLEY_STAGE_KINDS ? result->stage[kind] : NULL;
}

int parley_result_evpi(const parley_result *result, double *expected_value,
                       double *expected_value_perfect_information, double *evpi) {
  if (!result) return PARLEY_EUSAGE;
  if (!result->has_evpi) return PARLEY_ENOTFOUND;
  if (expected_value) *expected_value = result->ev;
  if (expected_value_perfect_information) *expected_value_perfect_information = result->evpi_ev;
  if (evpi) *evpi = result->evpi;
  return PARLEY_OK;
}

int parley_result_actor_ranking(const parley_result *result, size_t actor, size_t i,
                                size_t *strategy, double *score, int *rank) {
  if (!result) return PARLEY_EUSAGE;
  if (actor >= result->na || i >= result->ns) return PARLEY_ENOTFOUND;
  const parley__actor_result *a = &result->actors[actor];
  size_t s = a->order[i];
  if (strategy) *strategy = s;
  if (score) *score = a->score[s];
  if (rank) *rank = a->rank[i];
  return PARLEY_OK;
}

double parley_result_actor_tau(const parley_result *result, size_t a, size_t b) {
  if (!result || a >= result->na || b >= result->na) return NAN;
  return result->tau[a * result->na + b];
}

int parley__result_add_analysis(parley_result *r, const char *name, char *json, char *text) {
  parley_engine *e = r->engine;
  parley__analysis_out *a =
      parley__realloc(e, r->analyses, parley__mul(r->nanalyses + 1, sizeof *a));
  char *copy = a ? parley__strdup(e, name) : NULL;
  if (!a || !copy) {
    if (a) r->analyses = a;
    parley__free(e, json);
    parley__free(e, text);
    return PARLEY_ENOMEM;
  }
  r->analyses = a;
  a[r->nanalyses++] = (parley__analysis_out){copy, json, text};
  return PARLEY_OK;
}

const char *parley_result_analysis(const parley_result *result, const char *name) {
  if (!result || !name) return NULL;
  for (size_t i = 0; i < result->nanalyses; i++)
    if (strcmp(result->analyses[i].name, name) == 0) return result->analyses[i].json;
  return NULL;
}

const char *parley_result_analysis_text(const parley_result *result, const char *name) {
  if (!result || !name) return NULL;
  for (size_t i = 0; i < result->nanalyses; i++)
    if (strcmp(result->analyses[i].name, name) == 0) return result->analyses[i].text;
  return NULL;
}
