/*
 * result_json.c — the result document (DESIGN.md section 4, format 1) and
 * parley_result_format, which picks the writer for a format name.  The
 * document is built as a cJSON tree in a fixed field order, so the same
 * result always gives the same bytes, then printed and copied into memory
 * from the engine's allocator (cJSON allocates through its own global hooks,
 * which a library without global state must leave alone).  Numbers that are
 * not finite are written as null: they should never reach a result, and a
 * null is a visible sign of that bug where a bare NaN would break every
 * JSON reader.
 */
#include "compare.h"
#include "internal.h"
#include "lua_host.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The four scoring stages the document names, in pipeline order. */
static const parley_stage_kind pipeline_kinds[] = {PARLEY_STAGE_WEIGHTING,
                                                    PARLEY_STAGE_NORMALIZATION,
                                                    PARLEY_STAGE_AGGREGATION, PARLEY_STAGE_RULE};

/* A number, or null when it is not finite.  NULL on allocation failure. */
static cJSON *num(double v) { return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull(); }

/* Each add_* returns false on allocation failure; the item is freed then. */
static bool add(cJSON *obj, const char *key, cJSON *item) {
  if (!item) return false;
  if (!cJSON_AddItemToObject(obj, key, item)) {
    cJSON_Delete(item);
    return false;
  }
  return true;
}

static bool push(cJSON *arr, cJSON *item) {
  if (!item) return false;
  if (!cJSON_AddItemToArray(arr, item)) {
    cJSON_Delete(item);
    return false;
  }
  return true;
}

static bool add_num(cJSON *obj, const char *key, double v) { return add(obj, key, num(v)); }

static bool add_str(cJSON *obj, const char *key, const char *s) {
  return add(obj, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

/* An object added under key, or NULL on failure. */
static cJSON *add_obj(cJSON *obj, const char *key) {
  cJSON *o = cJSON_CreateObject();
  return add(obj, key, o) ? o : NULL;
}

static cJSON *add_arr(cJSON *obj, const char *key) {
  cJSON *a = cJSON_CreateArray();
  return add(obj, key, a) ? a : NULL;
}

/* Why a build step failed: out of memory, or (for text that must be JSON)
 * a bad diagnostics or parameter text, which is a bug in a stage. */
typedef struct jctx {
  parley_engine *e;
  const parley_result *r;
  const parley_model *m;
  int rc;
} jctx;

static bool nomem(jctx *j) {
  if (j->rc == PARLEY_OK)
    j->rc = parley__err(j->e, PARLEY_ENOMEM, "out of memory while writing the result as JSON");
  return false;
}

/* Parses JSON text that a stage produced; failure is the stage's bug. */
static cJSON *parse_text(jctx *j, const char *text, const char *what, const char *stage) {
  cJSON *v = cJSON_ParseWithOpts(text, NULL, 1); /* 1: no trailing text */
  if (!v && j->rc == PARLEY_OK)
    j->rc = parley__err(j->e, PARLEY_ERROR, "result: stage '%s': %s is not valid JSON",
                        stage ? stage : "?", what);
  return v;
}

static bool build_header(jctx *j, cJSON *root) {
  const parley_model *m = j->m;
  cJSON *p = add_obj(root, "parley");
  if (!p || !add_str(p, "version", parley_version()) ||
      !add_num(p, "result_format", PARLEY_RESULT_FORMAT))
    return nomem(j);
  cJSON *mo = add_obj(root, "model");
  if (!mo || !add_str(mo, "name", m->name)) return nomem(j);
  if (m->description && !add_str(mo, "description", m->description)) return nomem(j);
  if (m->has_sha256) {
    static const char hex[] = "0123456789abcdef";
    char h[65];
    for (size_t i = 0; i < 32; i++) {
      h[2 * i] = hex[m->sha256[i] >> 4];
      h[2 * i + 1] = hex[m->sha256[i] & 15];
    }
    h[64] = '\0';
    if (!add_str(mo, "sha256", h)) return nomem(j);
  } else if (!add(mo, "sha256", cJSON_CreateNull())) {
    return nomem(j);
  }
  return true;
}

static bool build_pipeline(jctx *j, cJSON *root) {
  cJSON *pl = add_obj(root, "pipeline");
  if (!pl) return nomem(j);
  for (size_t i = 0; i < sizeof pipeline_kinds / sizeof pipeline_kinds[0]; i++) {
    parley_stage_kind kind = pipeline_kinds[i];
    const parley__spec *s = &j->r->spec[kind];
    cJSON *st = add_obj(pl, parley_stage_kind_name(kind));
    if (!st || !add_str(st, "name", s->name)) return nomem(j);
    for (size_t k = 0; k < s->n; k++) {
      const parley__param *prm = &s->params[k];
      cJSON *v;
      if (prm->type == PARLEY__PNUM) {
        v = num(prm->num);
      } else if (prm->type == PARLEY__PSTR) {
        v = cJSON_CreateString(prm->text ? prm->text : "");
      } else {
        char what[128];
        snprintf(what, sizeof what, "parameter '%s'", prm->key);
        v = parse_text(j, prm->text ? prm->text : "", what, s->name);
        if (!v) return j->rc != PARLEY_OK ? false : nomem(j);
      }
      if (!add(st, prm->key, v)) return nomem(j);
    }
  }
  return true;
}

/* {criterion id: weight} from w[nc]. */
static bool build_weights(jctx *j, cJSON *parent, const double *w) {
  cJSON *o = add_obj(parent, "weights");
  if (!o) return nomem(j);
  for (size_t c = 0; c < j->r->nc; c++)
    if (!add_num(o, j->m->crit[c].id, w[c])) return nomem(j);
  return true;
}

/* [{"rank", "strategy", "score"}] best first. */
static bool build_ranking(jctx *j, cJSON *parent, const size_t *order, const int *rank,
                          const double *score) {
  cJSON *a = add_arr(parent, "ranking");
  if (!a) return nomem(j);
  for (size_t i = 0; i < j->r->ns; i++) {
    size_t s = order[i];
    cJSON *o = cJSON_CreateObject();
    if (!push(a, o) || !add_num(o, "rank", rank[i]) || !add_str(o, "strategy", j->m->strat[s].id) ||
        !add_num(o, "score", score[s]))
      return nomem(j);
  }
  return true;
}

static bool build_scores(jctx *j, cJSON *root) {
  const parley_result *r = j->r;
  const parley_model *m = j->m;
  if (!build_weights(j, root, r->w)) return false;
  if (r->p) {
    cJSON *o = add_obj(root, "probabilities");
    if (!o) return nomem(j);
    for (size_t k = 0; k < r->nk; k++)
      if (!add_num(o, m->scen[k].id, r->p[k])) return nomem(j);
  }
  cJSON *u = add_obj(root, "utilities");
  if (!u) return nomem(j);
  for (size_t s = 0; s < r->ns; s++) {
    cJSON *row = add_obj(u, m->strat[s].id);
    if (!row) return nomem(j);
    for (size_t k = 0; k < r->nk; k++)
      if (!add_num(row, m->scen[k].id, r->u[k * r->ns + s])) return nomem(j);
  }
  if (!add_str(root, "order", r->higher_better ? "descending" : "ascending")) return nomem(j);
  /* The utilities' own direction, which differs from the score's for an
   * aggregation that is better when lower (VIKOR's Q, SPOTIS). */
  if (!add_str(root, "utility_order", r->utility_higher_better ? "descending" : "ascending"))
    return nomem(j);
  return build_ranking(j, root, r->order, r->rank, r->score);
}

static bool build_diagnostics(jctx *j, cJSON *root) {
  const parley_result *r = j->r;
  cJSON *d = NULL;
  for (int kind = 0; kind < PARLEY_STAGE_KINDS; kind++) {
    if (!r->diagnostics[kind]) continue;
    if (!d && !(d = add_obj(root, "diagnostics"))) return nomem(j);
    cJSON *v = parse_text(j, r->diagnostics[kind], "its diagnostics text", r->spec[kind].name);
    if (!v) return j->rc != PARLEY_OK ? false : nomem(j);
    if (!add(d, parley_stage_kind_name((parley_stage_kind)kind), v)) return nomem(j);
  }
  return true;
}

/* Spearman's rho, the weighted Spearman r_w and the WS coefficient between
 * the actors' rankings (core/compare.c), beside Kendall's tau-b.  WS is not
 * symmetric: it is given for each ordered pair, the reference first. */
static bool build_actor_similarity(jctx *j, cJSON *agr) {
  static const char *const list[3] = {"spearman", "weighted_spearman", "ws"};
  static const char *const field[3] = {"rho", "r_w", "ws"};
  const parley_result *r = j->r;
  const parley_model *m = j->m;
  size_t na = r->na, nn = parley__mul(na, na);
  double *v = parley__malloc(j->e, parley__mul(nn, 3 * sizeof *v));
  if (!v || parley__actor_similarity(j->e, r, v, v + nn, v + 2 * nn, NULL) != PARLEY_OK) {
    parley__free(j->e, v);
    return nomem(j);
  }
  bool ok = true;
  for (int t = 0; t < 3 && ok; t++) {
    cJSON *arr = add_arr(agr, list[t]);
    ok = arr != NULL;
    for (size_t a = 0; a < na && ok; a++)
      for (size_t b = t == 2 ? 0 : a + 1; b < na && ok; b++) {
        if (a == b) continue;
        cJSON *o = cJSON_CreateObject();
        ok = push(arr, o) && add_str(o, t == 2 ? "reference" : "a", m->act[a].id) &&
             add_str(o, t == 2 ? "compared" : "b", m->act[b].id) &&
             add_num(o, field[t], v[(size_t)t * nn + a * na + b]);
      }
  }
  parley__free(j->e, v);
  return ok || nomem(j);
}

static bool build_actors(jctx *j, cJSON *root) {
  const parley_result *r = j->r;
  const parley_model *m = j->m;
  if (r->na == 0 || !r->actors) return true;
  cJSON *acts = add_obj(root, "actors");
  if (!acts) return nomem(j);
  for (size_t a = 0; a < r->na; a++) {
    const parley__actor_result *ar = &r->actors[a];
    cJSON *o = add_obj(acts, m->act[a].id);
    if (!o) return nomem(j);
    if (!build_weights(j, o, ar->w) || !build_ranking(j, o, ar->order, ar->rank, ar->score))
      return false;
  }
  if (r->na < 2 || !r->tau) return true;
  cJSON *agr = add_obj(root, "actor_agreement");
  cJSON *taus = agr ? add_arr(agr, "kendall_tau") : NULL;
  if (!taus) return nomem(j);
  for (size_t a = 0; a < r->na; a++)
    for (size_t b = a + 1; b < r->na; b++) {
      cJSON *o = cJSON_CreateObject();
      if (!push(taus, o) || !add_str(o, "a", m->act[a].id) || !add_str(o, "b", m->act[b].id) ||
          !add_num(o, "tau", r->tau[a * r->na + b]))
        return nomem(j);
    }
  return build_actor_similarity(j, agr);
}

static bool build_analyses(jctx *j, cJSON *root) {
  const parley_result *r = j->r;
  if (!r->has_evpi && r->nanalyses == 0) return true;
  cJSON *an = add_obj(root, "analyses");
  if (!an) return nomem(j);
  if (r->has_evpi) {
    cJSON *ev = add_obj(an, "evpi");
    if (!ev || !add_num(ev, "expected_value", r->ev) ||
        !add_num(ev, "expected_value_perfect_information", r->evpi_ev) ||
        !add_num(ev, "evpi", r->evpi))
      return nomem(j);
  }
  /* The other analyses left their objects as JSON text. */
  for (size_t i = 0; i < r->nanalyses; i++) {
    if (!r->analyses[i].json) continue;
    cJSON *x = cJSON_Parse(r->analyses[i].json);
    if (!x || !add(an, r->analyses[i].name, x)) return nomem(j);
  }
  return true;
}

/* Copies cJSON's printed text into engine memory with a final newline.
 * cJSON indents with tabs and puts a tab after each colon; every raw tab in
 * its output is layout (tabs inside strings are escaped as \t), so each
 * indenting tab becomes two spaces and any other tab one space. */
static int copy_out(parley_engine *e, const char *text, char **out, size_t *len) {
  size_t tabs = 0, n = strlen(text);
  for (size_t i = 0; i < n; i++) tabs += text[i] == '\t';
  char *d = parley__malloc(e, n + tabs + 2);
  if (!d) return PARLEY_ENOMEM;
  size_t o = 0;
  bool indent = true;
  for (size_t i = 0; i < n; i++) {
    char c = text[i];
    if (c == '\t') {
      d[o++] = ' ';
      if (indent) d[o++] = ' ';
      continue;
    }
    indent = c == '\n';
    d[o++] = c;
  }
  d[o++] = '\n';
  d[o] = '\0';
  *out = d;
  if (len) *len = o;
  return PARLEY_OK;
}

int parley__result_json(parley_engine *e, const parley_result *r, char **out, size_t *len) {
  *out = NULL;
  if (len) *len = 0;
  jctx j = {e, r, r->model, PARLEY_OK};
  cJSON *root = cJSON_CreateObject();
  if (!root) return parley__err(e, PARLEY_ENOMEM, "out of memory while writing the result as JSON");
  bool ok = build_header(&j, root) && build_pipeline(&j, root) && build_scores(&j, root) &&
            build_diagnostics(&j, root) && build_actors(&j, root) && build_analyses(&j, root);
  char *text = ok ? cJSON_Print(root) : NULL;
  cJSON_Delete(root);
  if (!ok) return j.rc;
  if (!text) return parley__err(e, PARLEY_ENOMEM, "out of memory while writing the result as JSON");
  int rc = copy_out(e, text, out, len);
  cJSON_free(text);
  return rc;
}

int parley_result_format(parley_engine *engine, const parley_result *result, const char *format,
                         char **out, size_t *len) {
  if (!engine) return PARLEY_EUSAGE;
  parley__ok(engine);
  if (!out) return parley__err(engine, PARLEY_EUSAGE, "parley_result_format: out is NULL");
  *out = NULL;
  if (len) *len = 0;
  if (!result || !format)
    return parley__err(engine, PARLEY_EUSAGE, "parley_result_format: %s is NULL",
                       !result ? "result" : "format");
  if (strcmp(format, "json") == 0) return parley__result_json(engine, result, out, len);
  if (strcmp(format, "text") == 0) return parley__result_text(engine, result, out, len);
  /* A format plugin, named as a stage: "NAME" or "NAME:key=value,...". */
  parley__spec spec;
  int rc = parley__spec_parse(engine, &spec, format, "format");
  if (rc != PARLEY_OK) return rc;
  const parley__stage *st;
  rc = parley__registry_resolve(engine, PARLEY_STAGE_FORMAT, &spec, "format", &st);
  if (rc == PARLEY_OK && strcmp(st->source, "built-in") == 0) {
    if (spec.n)
      rc = parley__err(engine, PARLEY_ENOTFOUND, "format: '%s' takes no parameters", st->name);
    else
      rc = strcmp(st->name, "json") == 0 ? parley__result_json(engine, result, out, len)
                                         : parley__result_text(engine, result, out, len);
  } else if (rc == PARLEY_OK) {
    rc = parley__host_format(engine, st, &spec, result, out, len);
  }
  parley__spec_clear(engine, &spec);
  return rc;
}
