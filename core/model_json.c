/*
 * model_json.c — the model file (JSON, format 1; DESIGN.md section 3 and
 * docs/model-format.md): parley_model_load and parley_model_parse.  cJSON
 * reads the text into a tree; this file walks the tree, checks every rule
 * and builds the model through the builder of model.c, filling the cube by
 * index.  The loader is strict: an unknown key, a duplicate id or key, a
 * missing outcome or a number that is not finite is an error, because a typo
 * that passes silently gives a wrong ranking.  Every message is one line,
 * `FILE: JSON.PATH (LINE:COL): what is wrong, what was expected`; the loader
 * keeps the path it is at as a stack of steps, and since cJSON keeps no
 * positions the line and column are found by scanning the text again
 * (jsonpos.c) — on the error path only.  cJSON allocates through its global
 * hooks, which the library must leave alone; the tree lives only for the
 * duration of one call, and everything the model keeps is copied into memory
 * from the engine's allocator.  A CSV table is mapped rather than read (a
 * large one is then neither copied nor held twice) and unmapped before the
 * call returns.
 */
#include "internal.h"

#include "csv.h"
#include "jsonpos.h"
#include "lua_host.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAXSTEPS 64 /* deeper paths are cut (only free "params" nest that far) */

enum { FORM_NESTED, FORM_RECORDS, FORM_CSV };

typedef struct loader {
  parley_engine *e;
  const char *name; /* the text's name in messages */
  const char *text;
  size_t len;
  const char *base_dir;
  parley_model *m;
  const cJSON *root;
  parley__jstep path[MAXSTEPS];
  size_t depth;
  bool strategies_from_csv;
  size_t *record_of; /* records form: [ns * nk] index + 1 of the record of (s, k) */
  double *gen_vals;  /* outcomes a scenario generator gave, or NULL (lua_host.h) */
} loader;

/* ---- paths and messages -------------------------------------------------- */
static void push_key(loader *L, const char *key, size_t index) {
  if (L->depth < MAXSTEPS) L->path[L->depth] = (parley__jstep){key, index};
  L->depth++;
}

static void push_index(loader *L, size_t i) {
  if (L->depth < MAXSTEPS) L->path[L->depth] = (parley__jstep){NULL, i};
  L->depth++;
}

static void pop(loader *L) { L->depth--; }

static size_t steps(const loader *L) { return L->depth < MAXSTEPS ? L->depth : MAXSTEPS; }

/* Line and column of the value the current path names (or of the deepest
 * part of it that exists). */
static void position(const loader *L, size_t *line, size_t *col) {
  size_t off = parley__json_locate(L->text, L->len, L->path, steps(L), NULL);
  parley__json_linecol(L->text, L->len, off, line, col);
}

/* Sets the engine's error, naming the file, the current path and its
 * position, and returns code. */
static int fail(loader *L, int code, const char *fmt, ...) PARLEY__PRINTF(3, 4);
static int fail(loader *L, int code, const char *fmt, ...) {
  char what[PARLEY__ERRMAX], path[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  parley__json_path_text(path, sizeof path, L->path, steps(L));
  size_t line, col;
  position(L, &line, &col);
  if (!path[0]) return parley__err(L->e, code, "%s (%zu:%zu): %s", L->name, line, col, what);
  return parley__err(L->e, code, "%s: %s (%zu:%zu): %s", L->name, path, line, col, what);
}

static int nomem(loader *L) {
  return parley__err(L->e, PARLEY_ENOMEM, "%s: out of memory", L->name);
}

static const char *type_name(const cJSON *x) {
  if (cJSON_IsString(x)) return "a string";
  if (cJSON_IsNumber(x)) return "a number";
  if (cJSON_IsObject(x)) return "an object";
  if (cJSON_IsArray(x)) return "a list";
  if (cJSON_IsBool(x)) return "a boolean";
  if (cJSON_IsNull(x)) return "null";
  return "an invalid value";
}

static const cJSON *member(const cJSON *obj, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* ---- the first pass: finite numbers, no duplicate keys ------------------- */
static size_t hash_key(const char *s) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return (size_t)(h ^ (h >> 29));
}

static int duplicate_key(loader *L, const char *key, size_t first, size_t second) {
  size_t line, col;
  push_key(L, key, first);
  position(L, &line, &col);
  pop(L);
  push_key(L, key, second);
  return fail(L, PARLEY_EINVALID, "duplicate key '%s' (first at %zu:%zu)", key, line, col);
}

/* cJSON keeps both members of a duplicate key and finds only the first; a
 * second value for an outcome or a weight would be lost without a word. */
static int check_duplicates(loader *L, const cJSON *obj) {
  size_t n = 0;
  for (const cJSON *c = obj->child; c; c = c->next) n++;
  if (n < 2) return PARLEY_OK;
  if (n <= 16) {
    size_t j = 0;
    for (const cJSON *c = obj->child; c; c = c->next, j++) {
      size_t i = 0;
      for (const cJSON *d = obj->child; d != c; d = d->next, i++)
        if (strcmp(d->string, c->string) == 0) return duplicate_key(L, c->string, i, j);
    }
    return PARLEY_OK;
  }
  size_t cap = 32;
  while (cap < 2 * n) cap *= 2;
  const cJSON **items = parley__malloc(L->e, parley__mul(n, sizeof *items));
  size_t *slot = parley__calloc(L->e, cap, sizeof *slot);
  int rc = PARLEY_OK;
  if (!items || !slot) rc = PARLEY_ENOMEM;
  size_t j = 0;
  for (const cJSON *c = obj->child; c && rc == PARLEY_OK; c = c->next, j++) {
    size_t h = hash_key(c->string) & (cap - 1);
    for (; slot[h]; h = (h + 1) & (cap - 1))
      if (strcmp(items[slot[h] - 1]->string, c->string) == 0) {
        rc = duplicate_key(L, c->string, slot[h] - 1, j);
        break;
      }
    items[j] = c;
    slot[h] = j + 1;
  }
  parley__free(L->e, items);
  parley__free(L->e, slot);
  return rc;
}

static int prewalk(loader *L, const cJSON *x) {
  int rc;
  if (cJSON_IsNumber(x) && !isfinite(x->valuedouble))
    return fail(L, PARLEY_EINVALID,
                "number out of range: it overflows a double; expected a finite number");
  if (cJSON_IsObject(x)) {
    if ((rc = check_duplicates(L, x)) != PARLEY_OK) return rc;
    size_t i = 0;
    for (const cJSON *c = x->child; c; c = c->next, i++) {
      push_key(L, c->string, i);
      if ((rc = prewalk(L, c)) != PARLEY_OK) return rc;
      pop(L);
    }
  } else if (cJSON_IsArray(x)) {
    size_t i = 0;
    for (const cJSON *c = x->child; c; c = c->next, i++) {
      push_index(L, i);
      if ((rc = prewalk(L, c)) != PARLEY_OK) return rc;
      pop(L);
    }
  }
  return PARLEY_OK;
}

/* ---- small readers ------------------------------------------------------- */
/* Every key of obj must be one of allowed (NULL-terminated). */
static int check_keys(loader *L, const cJSON *obj, const char *const *allowed, const char *what) {
  size_t i = 0;
  for (const cJSON *c = obj->child; c; c = c->next, i++) {
    bool known = false;
    for (const char *const *a = allowed; *a && !known; a++) known = strcmp(*a, c->string) == 0;
    if (known) continue;
    char list[256] = "";
    size_t pos = 0;
    for (const char *const *a = allowed; *a; a++) {
      int w = snprintf(list + pos, sizeof list - pos, "%s%s", a == allowed ? "" : ", ", *a);
      if (w < 0 || (size_t)w >= sizeof list - pos) break;
      pos += (size_t)w;
    }
    push_key(L, c->string, i);
    return fail(L, PARLEY_EINVALID, "unknown key '%s' in %s; expected one of: %s", c->string, what,
                list);
  }
  return PARLEY_OK;
}

/* An optional string member; *out is NULL when it is absent. */
static int opt_string(loader *L, const cJSON *obj, const char *key, const char **out) {
  const cJSON *v = member(obj, key);
  *out = NULL;
  if (!v) return PARLEY_OK;
  if (!cJSON_IsString(v)) {
    push_key(L, key, SIZE_MAX);
    return fail(L, PARLEY_EINVALID, "expected a string, got %s", type_name(v));
  }
  *out = v->valuestring;
  return PARLEY_OK;
}

/* An optional number member; *given says whether it was there. */
static int opt_number(loader *L, const cJSON *obj, const char *key, double *out, bool *given) {
  const cJSON *v = member(obj, key);
  *given = v != NULL;
  if (!v) return PARLEY_OK;
  if (!cJSON_IsNumber(v)) {
    push_key(L, key, SIZE_MAX);
    return fail(L, PARLEY_EINVALID, "expected a number, got %s", type_name(v));
  }
  *out = v->valuedouble;
  return PARLEY_OK;
}

/* The "id" of a list item: a non-empty string not used before in the list. */
static int read_id(loader *L, const cJSON *obj, parley_entity what, const char *list,
                   const char *noun, const char **out) {
  const cJSON *v = member(obj, "id");
  if (!v) return fail(L, PARLEY_EINVALID, "missing key \"id\": every %s needs an id", noun);
  push_key(L, "id", SIZE_MAX);
  if (!cJSON_IsString(v))
    return fail(L, PARLEY_EINVALID, "expected a string id, got %s", type_name(v));
  if (!v->valuestring[0])
    return fail(L, PARLEY_EINVALID, "empty id: a %s id must be a non-empty string", noun);
  size_t first = parley__find(L->m, what, v->valuestring);
  if (first != SIZE_MAX)
    return fail(L, PARLEY_EINVALID, "duplicate %s id '%s' (first at %s[%zu].id)", noun,
                v->valuestring, list, first);
  pop(L);
  *out = v->valuestring;
  return PARLEY_OK;
}

/* Compact JSON text of a free value (params, notes) for the plugins. */
static int json_text(loader *L, const cJSON *v, char **out) {
  char *s = cJSON_PrintUnformatted(v);
  if (!s) return nomem(L);
  *out = parley__strdup(L->e, s);
  cJSON_free(s);
  return *out ? PARLEY_OK : nomem(L);
}

static int copy_string(loader *L, const char *s, char **out) {
  if (!s) return PARLEY_OK;
  *out = parley__strdup(L->e, s);
  return *out ? PARLEY_OK : nomem(L);
}

/* A list member that must be present (unless optional) and not empty. */
static int read_list(loader *L, const char *key, const char *noun, bool optional,
                     const cJSON **out) {
  const cJSON *v = member(L->root, key);
  *out = v;
  if (!v) {
    if (optional) return PARLEY_OK;
    return fail(L, PARLEY_EINVALID, "missing key \"%s\": a model needs a list of %s", key, noun);
  }
  push_key(L, key, SIZE_MAX);
  if (!cJSON_IsArray(v))
    return fail(L, PARLEY_EINVALID, "expected a list of %s, got %s", noun, type_name(v));
  return PARLEY_OK; /* the caller pops */
}

/* ---- criteria ------------------------------------------------------------ */
static const char *const criterion_keys[] = {"id",     "name",  "direction", "unit",
                                             "weight", "scale", NULL};

static int read_scale(loader *L, const cJSON *v, double *lo, double *hi) {
  push_key(L, "scale", SIZE_MAX);
  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 || !cJSON_IsNumber(v->child) ||
      !cJSON_IsNumber(v->child->next))
    return fail(L, PARLEY_EINVALID, "expected a scale [lo, hi] of two numbers, got %s",
                cJSON_IsArray(v) ? "another list" : type_name(v));
  *lo = v->child->valuedouble;
  *hi = v->child->next->valuedouble;
  if (!(*lo < *hi))
    return fail(L, PARLEY_EINVALID, "expected a scale [lo, hi] with lo < hi, got [%g, %g]", *lo,
                *hi);
  pop(L);
  return PARLEY_OK;
}

static int load_criterion(loader *L, const cJSON *c) {
  parley_model *m = L->m;
  int rc;
  const char *id, *name, *unit, *dir;
  if (!cJSON_IsObject(c))
    return fail(
        L, PARLEY_EINVALID,
        "expected a criterion {\"id\": ..., \"direction\": \"max\" or \"min\", ...}, got %s",
        type_name(c));
  if ((rc = check_keys(L, c, criterion_keys, "a criterion")) ||
      (rc = read_id(L, c, PARLEY_CRITERIA, "criteria", "criterion", &id)) ||
      (rc = opt_string(L, c, "name", &name)) || (rc = opt_string(L, c, "unit", &unit)) ||
      (rc = opt_string(L, c, "direction", &dir)))
    return rc;
  if (!dir)
    return fail(L, PARLEY_EINVALID, "missing key \"direction\": expected \"max\" or \"min\"");
  if (strcmp(dir, "max") != 0 && strcmp(dir, "min") != 0) {
    push_key(L, "direction", SIZE_MAX);
    return fail(L, PARLEY_EINVALID, "expected \"max\" or \"min\", got \"%s\"", dir);
  }
  double w = NAN, lo = NAN, hi = NAN;
  bool has_w;
  if ((rc = opt_number(L, c, "weight", &w, &has_w))) return rc;
  if (has_w && w < 0) {
    push_key(L, "weight", SIZE_MAX);
    return fail(L, PARLEY_EINVALID, "a weight must be >= 0, got %g", w);
  }
  const cJSON *scale = member(c, "scale");
  if (scale && (rc = read_scale(L, scale, &lo, &hi))) return rc;
  rc = parley_model_add_criterion(m, id, name, dir[1] == 'a' ? PARLEY_MAX : PARLEY_MIN,
                                  has_w ? w : NAN);
  if (rc) return rc;
  if ((rc = copy_string(L, unit, &m->crit[m->nc - 1].unit))) return rc;
  if (scale && (rc = parley_model_set_scale(m, id, lo, hi))) return rc;
  return PARLEY_OK;
}

static int load_criteria(loader *L) {
  const cJSON *list;
  int rc = read_list(L, "criteria", "criteria", false, &list);
  if (rc) return rc;
  if (!list->child)
    return fail(L, PARLEY_EINVALID,
                "the list of criteria is empty; a model needs at least one criterion");
  size_t i = 0;
  for (const cJSON *c = list->child; c; c = c->next, i++) {
    push_index(L, i);
    if ((rc = load_criterion(L, c))) return rc;
    pop(L);
  }
  pop(L);
  return PARLEY_OK;
}

/* ---- strategies ---------------------------------------------------------- */
static const char *const strategy_keys[] = {"id", "name", "description", "params", "notes", NULL};

static bool csv_outcomes(const cJSON *root) {
  const cJSON *o = member(root, "outcomes");
  return cJSON_IsObject(o) && cJSON_IsString(member(o, "csv"));
}

/* Free "params": an object, kept as JSON text. */
static int read_params(loader *L, const cJSON *obj, char **out) {
  const cJSON *p = member(obj, "params");
  if (!p) return PARLEY_OK;
  if (!cJSON_IsObject(p)) {
    push_key(L, "params", SIZE_MAX);
    return fail(L, PARLEY_EINVALID, "expected an object of parameters, got %s", type_name(p));
  }
  return json_text(L, p, out);
}

static int load_strategy(loader *L, const cJSON *c) {
  parley_model *m = L->m;
  int rc;
  const char *id, *name, *desc;
  if (!cJSON_IsObject(c))
    return fail(L, PARLEY_EINVALID, "expected a strategy {\"id\": ..., \"name\": ...}, got %s",
                type_name(c));
  if ((rc = check_keys(L, c, strategy_keys, "a strategy")) ||
      (rc = read_id(L, c, PARLEY_STRATEGIES, "strategies", "strategy", &id)) ||
      (rc = opt_string(L, c, "name", &name)) || (rc = opt_string(L, c, "description", &desc)))
    return rc;
  if ((rc = parley_model_add_strategy(m, id, name))) return rc;
  parley__strategy *s = &m->strat[m->ns - 1];
  const cJSON *notes = member(c, "notes");
  if ((rc = copy_string(L, desc, &s->description)) || (rc = read_params(L, c, &s->params)) ||
      (notes && (rc = json_text(L, notes, &s->notes))))
    return rc;
  return PARLEY_OK;
}

static int load_strategies(loader *L) {
  if (!member(L->root, "strategies")) {
    if (csv_outcomes(L->root)) {
      L->strategies_from_csv = true;
      return PARLEY_OK;
    }
    return fail(L, PARLEY_EINVALID,
                "missing key \"strategies\": a model needs a list of strategies (or outcomes "
                "from a CSV file, whose strategy column then lists them)");
  }
  const cJSON *list;
  int rc = read_list(L, "strategies", "strategies", false, &list);
  if (rc) return rc;
  if (!list->child)
    return fail(L, PARLEY_EINVALID,
                "the list of strategies is empty; a model needs at least one strategy");
  /* Room for them all at once: exactly as many as will be added, which
   * adding them one by one would need as well. */
  if (parley__model_reserve(L->m, PARLEY_STRATEGIES, (size_t)cJSON_GetArraySize(list)) !=
      PARLEY_OK)
    return nomem(L);
  size_t i = 0;
  for (const cJSON *c = list->child; c; c = c->next, i++) {
    push_index(L, i);
    if ((rc = load_strategy(L, c))) return rc;
    pop(L);
  }
  pop(L);
  return PARLEY_OK;
}

/* ---- scenarios ----------------------------------------------------------- */
static const char *const scenario_keys[] = {"id", "name", "probability", "params", "notes", NULL};

static int scenario_notes(loader *L, const cJSON *notes, parley__scenario *k) {
  int rc;
  const char *pos, *neg;
  push_key(L, "notes", SIZE_MAX);
  if (!cJSON_IsObject(notes))
    return fail(L, PARLEY_EINVALID,
                "expected an object {\"positive\": ..., \"negative\": ...}, got %s",
                type_name(notes));
  if ((rc = opt_string(L, notes, "positive", &pos)) ||
      (rc = opt_string(L, notes, "negative", &neg)) || (rc = copy_string(L, pos, &k->positive)) ||
      (rc = copy_string(L, neg, &k->negative)))
    return rc;
  pop(L);
  return PARLEY_OK;
}

static int load_scenario(loader *L, const cJSON *c) {
  parley_model *m = L->m;
  int rc;
  const char *id, *name;
  double p = NAN;
  bool has_p;
  if (!cJSON_IsObject(c))
    return fail(L, PARLEY_EINVALID,
                "expected a scenario {\"id\": ..., \"probability\": ...}, got %s", type_name(c));
  if ((rc = check_keys(L, c, scenario_keys, "a scenario")) ||
      (rc = read_id(L, c, PARLEY_SCENARIOS, "scenarios", "scenario", &id)) ||
      (rc = opt_string(L, c, "name", &name)) || (rc = opt_number(L, c, "probability", &p, &has_p)))
    return rc;
  if (has_p && !(p >= 0 && p <= 1)) {
    push_key(L, "probability", SIZE_MAX);
    return fail(L, PARLEY_EINVALID, "a probability must be in [0, 1], got %g", p);
  }
  if ((rc = parley_model_add_scenario(m, id, name, has_p ? p : NAN))) return rc;
  parley__scenario *k = &m->scen[m->nk - 1];
  const cJSON *notes = member(c, "notes");
  if ((rc = read_params(L, c, &k->params)) || (notes && (rc = scenario_notes(L, notes, k))))
    return rc;
  return PARLEY_OK;
}

/* Either every scenario has a probability or none has; they sum to 1. */
static int check_probabilities(loader *L) {
  parley_model *m = L->m;
  size_t with = SIZE_MAX, without = SIZE_MAX;
  double sum = 0;
  for (size_t k = 0; k < m->nk; k++) {
    if (isnan(m->scen[k].probability)) {
      if (without == SIZE_MAX) without = k;
    } else {
      if (with == SIZE_MAX) with = k;
      sum += m->scen[k].probability;
    }
  }
  if (with == SIZE_MAX) return PARLEY_OK;
  if (without != SIZE_MAX) {
    size_t later = with > without ? with : without;
    push_index(L, later);
    if (later == without)
      return fail(L, PARLEY_EINVALID,
                  "scenario '%s' has no probability, but scenarios[%zu] has one; give every "
                  "scenario a probability or none",
                  m->scen[without].id, with);
    return fail(L, PARLEY_EINVALID,
                "scenario '%s' has a probability, but scenarios[%zu] has none; give every "
                "scenario a probability or none",
                m->scen[with].id, without);
  }
  if (fabs(sum - 1) > 1e-9)
    return fail(L, PARLEY_EINVALID, "the probabilities sum to %.12g, expected 1 (within 1e-9)",
                sum);
  return PARLEY_OK;
}

static int load_scenarios(loader *L) {
  const cJSON *v = member(L->root, "scenarios");
  int rc;
  if (!v) return PARLEY_OK;
  if (cJSON_IsObject(v)) {
    push_key(L, "scenarios", SIZE_MAX);
    const cJSON *g = member(v, "generator");
    if (!g)
      return fail(L, PARLEY_EINVALID,
                  "expected a list of scenarios or a generator {\"generator\": NAME, ...}, got an "
                  "object without \"generator\"");
    if (!cJSON_IsString(g)) {
      push_key(L, "generator", SIZE_MAX);
      return fail(L, PARLEY_EINVALID, "expected the name of a scenario generator, got %s",
                  type_name(g));
    }
    const parley__stage *st =
        parley__registry_find(L->e, PARLEY_STAGE_SCENARIOS, g->valuestring);
    if (!st) {
      char known[256] = "";
      size_t len = 0, n = parley_stage_count(L->e, PARLEY_STAGE_SCENARIOS);
      for (size_t i = 0; i < n && len < sizeof known; i++) {
        parley_stage_info info;
        if (parley_stage_get(L->e, PARLEY_STAGE_SCENARIOS, i, &info) != PARLEY_OK) break;
        len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "", info.name);
      }
      push_key(L, "generator", SIZE_MAX);
      return fail(L, PARLEY_ENOTFOUND, "unknown scenario generator '%s' (%s%s)", g->valuestring,
                  n ? "known: " : "no scenario plugins are loaded", known);
    }
    if ((rc = parley__host_scenarios(L->e, st, L->m, v, L->base_dir, NULL, &L->gen_vals))) {
      char msg[PARLEY__ERRMAX];
      snprintf(msg, sizeof msg, "%s", L->e->errmsg);
      return fail(L, rc, "%s", msg);
    }
    if ((rc = check_probabilities(L))) return rc;
    pop(L);
    return PARLEY_OK;
  }
  const cJSON *list;
  if ((rc = read_list(L, "scenarios", "scenarios", false, &list))) return rc;
  size_t i = 0;
  for (const cJSON *c = list->child; c; c = c->next, i++) {
    push_index(L, i);
    if ((rc = load_scenario(L, c))) return rc;
    pop(L);
  }
  if ((rc = check_probabilities(L))) return rc;
  pop(L);
  return PARLEY_OK;
}

/* ---- actors -------------------------------------------------------------- */
static const char *const actor_keys[] = {"id", "name", "description", "influence", "weights", NULL};

static int actor_weights(loader *L, const cJSON *weights, const char *actor) {
  parley_model *m = L->m;
  int rc;
  push_key(L, "weights", SIZE_MAX);
  if (!cJSON_IsObject(weights))
    return fail(L, PARLEY_EINVALID,
                "expected an object of weights {\"CRITERION\": weight, ...}, got %s",
                type_name(weights));
  size_t i = 0;
  for (const cJSON *w = weights->child; w; w = w->next, i++) {
    push_key(L, w->string, i);
    if (parley__find(m, PARLEY_CRITERIA, w->string) == SIZE_MAX)
      return fail(L, PARLEY_ENOTFOUND, "unknown criterion '%s' (not in \"criteria\")", w->string);
    if (!cJSON_IsNumber(w))
      return fail(L, PARLEY_EINVALID, "expected a weight (a number >= 0), got %s", type_name(w));
    if (w->valuedouble < 0)
      return fail(L, PARLEY_EINVALID, "a weight must be >= 0, got %g", w->valuedouble);
    if ((rc = parley_model_set_actor_weight(m, actor, w->string, w->valuedouble))) return rc;
    pop(L);
  }
  const parley__actor *a = &m->act[m->na - 1];
  double total = 0;
  for (size_t c = 0; c < m->nc; c++) {
    if (!a->weights || c >= a->nw || isnan(a->weights[c]))
      return fail(L, PARLEY_EINVALID,
                  "missing weight for criterion '%s'; an actor weighs every criterion",
                  m->crit[c].id);
    total += a->weights[c];
  }
  if (!(total > 0))
    return fail(L, PARLEY_EINVALID, "the weights are all zero; at least one must be > 0");
  pop(L);
  return PARLEY_OK;
}

static int load_actor(loader *L, const cJSON *c) {
  parley_model *m = L->m;
  int rc;
  const char *id, *name, *desc;
  double infl = NAN;
  bool has_infl;
  if (!cJSON_IsObject(c))
    return fail(L, PARLEY_EINVALID, "expected an actor {\"id\": ..., \"weights\": {...}}, got %s",
                type_name(c));
  if ((rc = check_keys(L, c, actor_keys, "an actor")) ||
      (rc = read_id(L, c, PARLEY_ACTORS, "actors", "actor", &id)) ||
      (rc = opt_string(L, c, "name", &name)) || (rc = opt_string(L, c, "description", &desc)) ||
      (rc = opt_number(L, c, "influence", &infl, &has_infl)))
    return rc;
  if (has_infl && !(infl > 0)) {
    push_key(L, "influence", SIZE_MAX);
    return fail(L, PARLEY_EINVALID, "an influence must be > 0, got %g", infl);
  }
  const cJSON *weights = member(c, "weights");
  if (!weights)
    return fail(L, PARLEY_EINVALID,
                "missing key \"weights\": an actor gives a weight to every criterion");
  if ((rc = parley_model_add_actor(m, id, name, has_infl ? infl : NAN)) ||
      (rc = copy_string(L, desc, &m->act[m->na - 1].description)))
    return rc;
  return actor_weights(L, weights, id);
}

static int load_actors(loader *L) {
  const cJSON *list;
  int rc = read_list(L, "actors", "actors", true, &list);
  if (rc || !list) return rc;
  size_t i = 0;
  for (const cJSON *c = list->child; c; c = c->next, i++) {
    push_index(L, i);
    if ((rc = load_actor(L, c))) return rc;
    pop(L);
  }
  pop(L);
  return PARLEY_OK;
}

/* ---- pipeline ------------------------------------------------------------ */
static const struct {
  const char *key;
  parley_stage_kind kind;
} stage_keys[] = {{"weighting", PARLEY_STAGE_WEIGHTING},
                  {"normalization", PARLEY_STAGE_NORMALIZATION},
                  {"aggregation", PARLEY_STAGE_AGGREGATION},
                  {"rule", PARLEY_STAGE_RULE}};

static const char *const pipeline_keys[] = {"weighting", "normalization", "aggregation",
                                            "rule",      "analyses",      NULL};

static bool stage_name_ok(const char *s) {
  if (!*s) return false;
  for (; *s; s++) {
    char c = *s;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.'))
      return false;
  }
  return true;
}

/* A stage at the current path: "NAME", "NAME:k=v,..." or {"name": NAME, ...}.
 * Whether the stage exists is the registry's business, at run time. */
static int read_stage(loader *L, const cJSON *v, parley__spec *spec) {
  parley_engine *e = L->e;
  int rc;
  memset(spec, 0, sizeof *spec);
  if (cJSON_IsString(v)) {
    char where[512], path[400];
    size_t line, col;
    parley__json_path_text(path, sizeof path, L->path, steps(L));
    position(L, &line, &col);
    snprintf(where, sizeof where, "%s: %s (%zu:%zu)", L->name, path, line, col);
    rc = parley__spec_parse(e, spec, v->valuestring, where);
    if (rc == PARLEY_EUSAGE) {
      /* In a model file a malformed stage is bad input, not API misuse. */
      char msg[PARLEY__ERRMAX];
      snprintf(msg, sizeof msg, "%s", parley_engine_errmsg(e));
      rc = parley__err(e, PARLEY_EINVALID, "%s", msg);
    }
    return rc;
  }
  if (!cJSON_IsObject(v))
    return fail(L, PARLEY_EINVALID,
                "expected a stage: \"NAME\", \"NAME:key=value,...\" or {\"name\": NAME, ...}, "
                "got %s",
                type_name(v));
  const cJSON *name = member(v, "name");
  if (!name)
    return fail(L, PARLEY_EINVALID,
                "missing key \"name\": a stage object is {\"name\": NAME, ...parameters}");
  push_key(L, "name", SIZE_MAX);
  if (!cJSON_IsString(name))
    return fail(L, PARLEY_EINVALID, "expected a stage name, got %s", type_name(name));
  if (!stage_name_ok(name->valuestring))
    return fail(L, PARLEY_EINVALID, "'%s' is not a stage name (letters, digits, '-', '_' and '.')",
                name->valuestring);
  pop(L);
  if (!(spec->name = parley__strdup(e, name->valuestring))) return nomem(L);
  size_t i = 0;
  for (const cJSON *p = v->child; p; p = p->next, i++) {
    if (p == name) continue;
    if (cJSON_IsNumber(p)) {
      rc = parley__spec_add(e, spec, p->string, PARLEY__PNUM, p->valuedouble, NULL);
    } else if (cJSON_IsString(p)) {
      rc = parley__spec_add(e, spec, p->string, PARLEY__PSTR, 0, p->valuestring);
    } else if (cJSON_IsNull(p)) {
      push_key(L, p->string, i);
      return fail(L, PARLEY_EINVALID,
                  "expected a number, string, list or object for parameter '%s', got null",
                  p->string);
    } else {
      char *text = NULL;
      if ((rc = json_text(L, p, &text))) return rc;
      rc = parley__spec_add(e, spec, p->string, PARLEY__PJSON, 0, text);
      parley__free(e, text);
    }
    if (rc) return rc;
  }
  return PARLEY_OK;
}

static int load_pipeline(loader *L) {
  parley_model *m = L->m;
  const cJSON *pl = member(L->root, "pipeline");
  int rc;
  if (!pl) return PARLEY_OK;
  push_key(L, "pipeline", SIZE_MAX);
  if (!cJSON_IsObject(pl))
    return fail(L, PARLEY_EINVALID,
                "expected an object {\"weighting\": ..., \"normalization\": ..., "
                "\"aggregation\": ..., \"rule\": ..., \"analyses\": [...]}, got %s",
                type_name(pl));
  if ((rc = check_keys(L, pl, pipeline_keys, "the pipeline"))) return rc;
  for (size_t i = 0; i < sizeof stage_keys / sizeof *stage_keys; i++) {
    const cJSON *v = member(pl, stage_keys[i].key);
    if (!v) continue;
    parley__spec spec;
    push_key(L, stage_keys[i].key, SIZE_MAX);
    rc = read_stage(L, v, &spec);
    if (rc) {
      parley__spec_clear(L->e, &spec);
      return rc;
    }
    parley__spec_clear(L->e, &m->pipeline[stage_keys[i].kind]);
    m->pipeline[stage_keys[i].kind] = spec;
    pop(L);
  }
  const cJSON *an = member(pl, "analyses");
  if (an) {
    push_key(L, "analyses", SIZE_MAX);
    if (!cJSON_IsArray(an))
      return fail(L, PARLEY_EINVALID, "expected a list of analyses, got %s", type_name(an));
    size_t i = 0;
    for (const cJSON *a = an->child; a; a = a->next, i++) {
      parley__spec spec;
      push_index(L, i);
      rc = read_stage(L, a, &spec);
      if (rc == PARLEY_OK) rc = parley__model_add_analysis(m, &spec);
      parley__spec_clear(L->e, &spec);
      if (rc) return rc;
      pop(L);
    }
    pop(L);
  }
  pop(L);
  return PARLEY_OK;
}

/* ---- outcome values ------------------------------------------------------ */
static const struct distdef {
  const char *name;
  parley_dist_kind kind;
  const char *params[4]; /* NULL-terminated */
  const char *list;
} dists[] = {
    {"normal", PARLEY_DIST_NORMAL, {"mean", "sd", NULL}, "mean, sd"},
    {"uniform", PARLEY_DIST_UNIFORM, {"min", "max", NULL}, "min, max"},
    {"triangular", PARLEY_DIST_TRIANGULAR, {"min", "mode", "max", NULL}, "min, mode, max"},
    {"pert", PARLEY_DIST_PERT, {"min", "mode", "max", NULL}, "min, mode, max"},
    {"lognormal", PARLEY_DIST_LOGNORMAL, {"mu", "sigma", NULL}, "mu, sigma"},
    {"discrete", PARLEY_DIST_DISCRETE, {"values", "p", NULL}, "values, p"},
};
#define NDISTS (sizeof dists / sizeof *dists)
#define DIST_NAMES "normal, uniform, triangular, pert, lognormal, discrete"

/* A list of numbers (discrete "values" or "p") into memory from the engine. */
static int number_list(loader *L, const cJSON *v, const char *key, double **out, size_t *n) {
  push_key(L, key, SIZE_MAX);
  if (!cJSON_IsArray(v) || !v->child)
    return fail(L, PARLEY_EINVALID, "expected a non-empty list of numbers, got %s",
                cJSON_IsArray(v) ? "an empty list" : type_name(v));
  size_t count = (size_t)cJSON_GetArraySize(v), i = 0;
  double *x = parley__malloc(L->e, parley__mul(count, sizeof *x));
  if (!x) return nomem(L);
  for (const cJSON *c = v->child; c; c = c->next, i++) {
    if (!cJSON_IsNumber(c)) {
      parley__free(L->e, x);
      push_index(L, i);
      return fail(L, PARLEY_EINVALID, "expected a number, got %s", type_name(c));
    }
    x[i] = c->valuedouble;
  }
  pop(L);
  *out = x;
  *n = count;
  return PARLEY_OK;
}

static int read_dist(loader *L, const cJSON *obj, size_t s, size_t k, size_t c) {
  const cJSON *dv = member(obj, "dist");
  if (!dv)
    return fail(L, PARLEY_EINVALID,
                "expected a number or a distribution object {\"dist\": NAME, ...}; \"dist\" is "
                "missing (one of " DIST_NAMES ")");
  if (!cJSON_IsString(dv)) {
    push_key(L, "dist", SIZE_MAX);
    return fail(L, PARLEY_EINVALID, "expected a distribution name, got %s", type_name(dv));
  }
  const struct distdef *def = NULL;
  for (size_t i = 0; i < NDISTS && !def; i++)
    if (strcmp(dists[i].name, dv->valuestring) == 0) def = &dists[i];
  if (!def) {
    push_key(L, "dist", SIZE_MAX);
    return fail(L, PARLEY_ENOTFOUND, "unknown distribution '%s'; expected one of " DIST_NAMES,
                dv->valuestring);
  }
  size_t i = 0;
  for (const cJSON *p = obj->child; p; p = p->next, i++) {
    if (p == dv) continue;
    bool known = false;
    for (const char *const *q = def->params; *q && !known; q++) known = strcmp(*q, p->string) == 0;
    if (!known) {
      push_key(L, p->string, i);
      return fail(L, PARLEY_EINVALID, "unknown parameter '%s' of a %s distribution; expected %s",
                  p->string, def->name, def->list);
    }
  }
  for (const char *const *q = def->params; *q; q++)
    if (!member(obj, *q))
      return fail(L, PARLEY_EINVALID, "the %s distribution needs '%s' (its parameters: %s)",
                  def->name, *q, def->list);
  parley_dist d = {def->kind, 0, 0, 0, NULL, NULL, 0};
  double *values = NULL, *p = NULL;
  int rc = PARLEY_OK;
  if (def->kind == PARLEY_DIST_DISCRETE) {
    size_t nv = 0, np = 0;
    if ((rc = number_list(L, member(obj, "values"), "values", &values, &nv)) ||
        (rc = number_list(L, member(obj, "p"), "p", &p, &np)))
      goto done;
    if (nv != np) {
      rc = fail(L, PARLEY_EINVALID, "values and p differ in length (%zu and %zu)", nv, np);
      goto done;
    }
    d.values = values;
    d.p = p;
    d.n = nv;
  } else {
    double *slot[3] = {&d.a, &d.b, &d.c};
    for (size_t j = 0; def->params[j]; j++) {
      const cJSON *v = member(obj, def->params[j]);
      if (!cJSON_IsNumber(v)) {
        push_key(L, def->params[j], SIZE_MAX);
        return fail(L, PARLEY_EINVALID, "expected a number, got %s", type_name(v));
      }
      *slot[j] = v->valuedouble;
    }
  }
  char why[128];
  if (!parley__dist_valid(&d, why, sizeof why))
    rc = fail(L, PARLEY_EINVALID, "invalid %s distribution: %s", def->name, why);
  else
    rc = parley__model_set_cell_dist(L->m, s, k, c, &d);
done:
  parley__free(L->e, values);
  parley__free(L->e, p);
  return rc;
}

static int read_value(loader *L, const cJSON *v, size_t s, size_t k, size_t c) {
  if (cJSON_IsNumber(v)) return parley__model_set_cell(L->m, s, k, c, v->valuedouble);
  if (cJSON_IsObject(v)) return read_dist(L, v, s, k, c);
  return fail(L, PARLEY_EINVALID, "expected a number or a distribution object, got %s",
              type_name(v));
}

/* {"CRITERION": value, ...} for the cells (s, k, *). */
static int read_cells(loader *L, const cJSON *obj, size_t s, size_t k) {
  int rc;
  size_t i = 0;
  for (const cJSON *v = obj->child; v; v = v->next, i++) {
    push_key(L, v->string, i);
    size_t c = parley__find(L->m, PARLEY_CRITERIA, v->string);
    if (c == SIZE_MAX)
      return fail(L, PARLEY_ENOTFOUND, "unknown criterion '%s' (not in \"criteria\")", v->string);
    if ((rc = read_value(L, v, s, k, c))) return rc;
    pop(L);
  }
  return PARLEY_OK;
}

#define CELLS_EXPECTED "expected an object of criterion values {\"CRITERION\": value, ...}, got %s"

/* strategy -> scenario -> criterion -> value, or strategy -> criterion ->
 * value when the model has no scenarios. */
static int outcomes_nested(loader *L, const cJSON *o) {
  parley_model *m = L->m;
  bool scen = !m->implicit_scenario;
  int rc;
  size_t i = 0;
  for (const cJSON *sv = o->child; sv; sv = sv->next, i++) {
    push_key(L, sv->string, i);
    size_t s = parley__find(m, PARLEY_STRATEGIES, sv->string);
    if (s == SIZE_MAX)
      return fail(L, PARLEY_ENOTFOUND, "unknown strategy '%s' (not in \"strategies\")", sv->string);
    if (!cJSON_IsObject(sv)) {
      if (scen)
        return fail(L, PARLEY_EINVALID,
                    "expected an object of scenarios {\"SCENARIO\": {\"CRITERION\": value, ...}, "
                    "...}, got %s",
                    type_name(sv));
      return fail(L, PARLEY_EINVALID, CELLS_EXPECTED, type_name(sv));
    }
    if (!scen) {
      if ((rc = read_cells(L, sv, s, 0))) return rc;
    } else {
      size_t j = 0;
      for (const cJSON *kv = sv->child; kv; kv = kv->next, j++) {
        push_key(L, kv->string, j);
        size_t k = parley__find(m, PARLEY_SCENARIOS, kv->string);
        if (k == SIZE_MAX)
          return fail(L, PARLEY_ENOTFOUND, "unknown scenario '%s' (not in \"scenarios\")",
                      kv->string);
        if (!cJSON_IsObject(kv)) return fail(L, PARLEY_EINVALID, CELLS_EXPECTED, type_name(kv));
        if ((rc = read_cells(L, kv, s, k))) return rc;
        pop(L);
      }
    }
    pop(L);
  }
  return PARLEY_OK;
}

static const char *const record_keys[] = {"strategy", "scenario", "values", NULL};

/* An id member of a record, looked up in the model. */
static int record_id(loader *L, const cJSON *r, const char *key, parley_entity what, size_t *out) {
  const cJSON *v = member(r, key);
  push_key(L, key, SIZE_MAX);
  if (!cJSON_IsString(v))
    return fail(L, PARLEY_EINVALID, "expected a %s id, got %s", key, type_name(v));
  *out = parley__find(L->m, what, v->valuestring);
  if (*out == SIZE_MAX) {
    if (what == PARLEY_SCENARIOS && L->m->implicit_scenario)
      return fail(L, PARLEY_ENOTFOUND, "unknown scenario '%s': the model lists no scenarios",
                  v->valuestring);
    return fail(L, PARLEY_ENOTFOUND, "unknown %s '%s' (not in \"%s\")", key, v->valuestring,
                what == PARLEY_STRATEGIES ? "strategies" : "scenarios");
  }
  pop(L);
  return PARLEY_OK;
}

/* [{"strategy": ..., "scenario": ..., "values": {...}}, ...] */
static int outcomes_records(loader *L, const cJSON *o) {
  parley_model *m = L->m;
  bool scen = !m->implicit_scenario;
  int rc;
  L->record_of = parley__calloc(L->e, parley__mul(m->ns, m->nk), sizeof *L->record_of);
  if (!L->record_of) return nomem(L);
  size_t i = 0;
  for (const cJSON *r = o->child; r; r = r->next, i++) {
    push_index(L, i);
    if (!cJSON_IsObject(r))
      return fail(L, PARLEY_EINVALID,
                  "expected a record {\"strategy\": ..., \"scenario\": ..., \"values\": {...}}, "
                  "got %s",
                  type_name(r));
    if ((rc = check_keys(L, r, record_keys, "an outcome record"))) return rc;
    if (!member(r, "strategy"))
      return fail(L, PARLEY_EINVALID, "missing key \"strategy\": a record names its strategy");
    if (scen && !member(r, "scenario"))
      return fail(L, PARLEY_EINVALID,
                  "missing key \"scenario\": the model has scenarios, so a record names one");
    const cJSON *values = member(r, "values");
    if (!values)
      return fail(L, PARLEY_EINVALID,
                  "missing key \"values\": a record holds {\"CRITERION\": value, ...}");
    size_t s, k = 0;
    if ((rc = record_id(L, r, "strategy", PARLEY_STRATEGIES, &s))) return rc;
    if (member(r, "scenario") && (rc = record_id(L, r, "scenario", PARLEY_SCENARIOS, &k)))
      return rc;
    size_t *first = &L->record_of[s * m->nk + k];
    if (*first) {
      if (!scen)
        return fail(L, PARLEY_EINVALID,
                    "duplicate record for strategy '%s' (first at outcomes[%zu])", m->strat[s].id,
                    *first - 1);
      return fail(L, PARLEY_EINVALID,
                  "duplicate record for strategy '%s', scenario '%s' (first at outcomes[%zu])",
                  m->strat[s].id, m->scen[k].id, *first - 1);
    }
    *first = i + 1;
    push_key(L, "values", SIZE_MAX);
    if (!cJSON_IsObject(values)) return fail(L, PARLEY_EINVALID, CELLS_EXPECTED, type_name(values));
    if ((rc = read_cells(L, values, s, k))) return rc;
    pop(L);
    pop(L);
  }
  return PARLEY_OK;
}

/* Whole contents of a file into memory from the engine (NUL-terminated);
 * on failure *err gets errno. */
static int read_file(parley_engine *e, const char *path, char **out, size_t *len, int *err) {
  *out = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    *err = errno;
    return PARLEY_EIO;
  }
  struct stat st;
  size_t cap = 1 << 16, n = 0;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    cap = (size_t)st.st_size + 1;
  char *buf = parley__malloc(e, cap);
  int rc = buf ? PARLEY_OK : PARLEY_ENOMEM;
  while (rc == PARLEY_OK) {
    if (n + 1 >= cap) {
      char *b = cap > SIZE_MAX / 2 ? NULL : parley__realloc(e, buf, cap * 2);
      if (!b) {
        rc = PARLEY_ENOMEM;
        break;
      }
      buf = b;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - 1 - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f)) {
        *err = errno ? errno : EIO;
        rc = PARLEY_EIO;
      }
      break;
    }
  }
  fclose(f);
  if (rc != PARLEY_OK) {
    parley__free(e, buf);
    return rc;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return PARLEY_OK;
}

static void errno_text(int err, char *buf, size_t cap) {
  if (strerror_r(err, buf, cap) != 0) snprintf(buf, cap, "error %d", err);
}

/* A table to read: mapped when it is a regular file (a large table is
 * then neither copied nor held twice), else read into memory. */
typedef struct table {
  char *text;
  size_t len;
  bool mapped;
} table;

static int open_table(parley_engine *e, const char *path, table *t, int *err) {
  memset(t, 0, sizeof *t);
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    *err = errno;
    return PARLEY_EIO;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (uintmax_t)st.st_size <= SIZE_MAX) {
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      close(fd);
      t->text = p;
      t->len = (size_t)st.st_size;
      t->mapped = true;
      return PARLEY_OK;
    }
  }
  close(fd);
  return read_file(e, path, &t->text, &t->len, err);
}

static void close_table(parley_engine *e, table *t) {
  if (t->mapped)
    munmap(t->text, t->len);
  else
    parley__free(e, t->text);
}

/* {"csv": FILE}: the table, relative to the model file's directory. */
static int outcomes_csv(loader *L, const cJSON *o) {
  static const char *const csv_keys[] = {"csv", NULL};
  int rc;
  if ((rc = check_keys(L, o, csv_keys, "the CSV form of outcomes"))) return rc;
  const char *file = member(o, "csv")->valuestring;
  push_key(L, "csv", SIZE_MAX);
  if (!*file) return fail(L, PARLEY_EINVALID, "empty file name; expected {\"csv\": FILE}");
  parley__buf path;
  parley__buf_init(&path, L->e);
  if (L->base_dir && *L->base_dir && file[0] != '/') {
    parley__buf_puts(&path, L->base_dir);
    if (L->base_dir[strlen(L->base_dir) - 1] != '/') parley__buf_puts(&path, "/");
  }
  parley__buf_puts(&path, file);
  char *full = NULL;
  if (parley__buf_finish(&path, &full, NULL) != PARLEY_OK) return nomem(L);
  table t;
  int err = 0;
  rc = open_table(L->e, full, &t, &err);
  if (rc == PARLEY_EIO) {
    char why[128];
    errno_text(err, why, sizeof why);
    rc = fail(L, PARLEY_EIO, "cannot read '%s': %s", full, why);
  } else if (rc == PARLEY_OK) {
    rc = parley__csv_outcomes(L->m, t.text, t.len, full, L->strategies_from_csv);
    close_table(L->e, &t);
  }
  parley__free(L->e, full);
  if (rc) return rc;
  pop(L);
  return PARLEY_OK;
}

/* Every cell set: else the first missing one in strategy, scenario,
 * criterion order, named at the innermost object that exists. */
static int check_complete(loader *L, int form, const cJSON *o) {
  parley_model *m = L->m;
  size_t n = m->nc * m->nk * m->ns, i = 0;
  while (i < n && !isnan(m->cube[i])) i++;
  if (i == n) return PARLEY_OK;
  for (size_t s = 0; s < m->ns; s++)
    for (size_t k = 0; k < m->nk; k++)
      for (size_t c = 0; c < m->nc; c++) {
        if (!isnan(m->cube[parley__cell(m, s, k, c)])) continue;
        const char *sid = m->strat[s].id, *kid = m->scen[k].id, *cid = m->crit[c].id;
        bool scen = !m->implicit_scenario;
        L->depth = 0;
        push_key(L, "outcomes", SIZE_MAX);
        if (form == FORM_RECORDS) {
          size_t r = L->record_of[s * m->nk + k];
          if (!r) {
            if (!scen) return fail(L, PARLEY_EINVALID, "missing record for strategy '%s'", sid);
            return fail(L, PARLEY_EINVALID, "missing record for strategy '%s', scenario '%s'", sid,
                        kid);
          }
          push_index(L, r - 1);
          push_key(L, "values", SIZE_MAX);
          return fail(L, PARLEY_EINVALID, "missing criterion '%s'", cid);
        }
        if (form == FORM_NESTED) {
          const cJSON *sv = member(o, sid);
          if (!sv) return fail(L, PARLEY_EINVALID, "missing strategy '%s'", sid);
          push_key(L, sid, SIZE_MAX);
          if (scen) {
            if (!member(sv, kid)) return fail(L, PARLEY_EINVALID, "missing scenario '%s'", kid);
            push_key(L, kid, SIZE_MAX);
          }
          return fail(L, PARLEY_EINVALID, "missing criterion '%s'", cid);
        }
        return fail(L, PARLEY_EINVALID,
                    "missing outcome: strategy '%s', scenario '%s', criterion '%s'", sid, kid, cid);
      }
  return PARLEY_OK;
}

/* The outcomes a scenario generator gave. */
static int outcomes_generated(loader *L) {
  parley_model *m = L->m;
  int rc;
  if ((rc = parley__model_freeze(m))) return rc;
  for (size_t k = 0; k < m->nk; k++)
    for (size_t s = 0; s < m->ns; s++)
      for (size_t c = 0; c < m->nc; c++)
        if ((rc = parley__model_set_cell(m, s, k, c, L->gen_vals[(k * m->ns + s) * m->nc + c])))
          return rc;
  return PARLEY_OK;
}

/* {"lua": FILE}: a Lua file, relative to the model file, computes them. */
static int outcomes_lua(loader *L, const cJSON *o) {
  static const char *const lua_keys[] = {"lua", NULL};
  int rc;
  if ((rc = check_keys(L, o, lua_keys, "a Lua outcome source"))) return rc;
  const char *file = member(o, "lua")->valuestring;
  size_t n = (L->base_dir && file[0] != '/' ? strlen(L->base_dir) + 1 : 0) + strlen(file) + 1;
  char *path = parley__malloc(L->e, n);
  if (!path) return nomem(L);
  if (L->base_dir && file[0] != '/')
    snprintf(path, n, "%s/%s", L->base_dir, file);
  else
    snprintf(path, n, "%s", file);
  if ((rc = parley__model_freeze(L->m)) == PARLEY_OK)
    rc = parley__host_outcomes(L->e, L->m, path, NULL);
  parley__free(L->e, path);
  if (rc) {
    char msg[PARLEY__ERRMAX];
    snprintf(msg, sizeof msg, "%s", L->e->errmsg);
    push_key(L, "lua", SIZE_MAX);
    return fail(L, rc, "%s", msg);
  }
  return PARLEY_OK;
}

static int load_outcomes(loader *L) {
  const cJSON *o = member(L->root, "outcomes");
  int rc, form;
  if (L->gen_vals) {
    if (o) {
      push_key(L, "outcomes", SIZE_MAX);
      return fail(L, PARLEY_EINVALID,
                  "the scenario generator gives the outcomes already; remove \"outcomes\" or "
                  "have the generator give none");
    }
    return outcomes_generated(L);
  }
  if (!o)
    return fail(L, PARLEY_EINVALID,
                "missing key \"outcomes\": a model needs the outcome of every strategy");
  push_key(L, "outcomes", SIZE_MAX);
  if (cJSON_IsObject(o) && cJSON_IsString(member(o, "lua"))) {
    if ((rc = outcomes_lua(L, o))) return rc;
    pop(L);
    return PARLEY_OK;
  }
  if (cJSON_IsObject(o) && cJSON_IsString(member(o, "csv"))) {
    form = FORM_CSV;
    rc = outcomes_csv(L, o);
  } else if (cJSON_IsObject(o) || cJSON_IsArray(o)) {
    form = cJSON_IsObject(o) ? FORM_NESTED : FORM_RECORDS;
    if ((rc = parley__model_freeze(L->m))) return rc;
    rc = form == FORM_NESTED ? outcomes_nested(L, o) : outcomes_records(L, o);
  } else {
    return fail(L, PARLEY_EINVALID,
                "expected the outcomes: an object (strategy -> scenario -> criterion -> value), "
                "a list of records or {\"csv\": FILE}, got %s",
                type_name(o));
  }
  if (rc) return rc;
  pop(L);
  return check_complete(L, form, o);
}

/* ---- the whole file ------------------------------------------------------ */
static const char *const top_keys[] = {"parley",     "name",      "description", "criteria",
                                       "strategies", "scenarios", "actors",      "outcomes",
                                       "pipeline",   NULL};

static int syntax_error(loader *L, const char *stop) {
  parley__jdiag d;
  if (!parley__json_diagnose(L->text, L->len, &d)) {
    /* cJSON refused what the scan accepts (a number over 63 characters,
     * or no memory): fall back on where cJSON stopped. */
    d.offset =
        stop && stop >= L->text && stop <= L->text + L->len ? (size_t)(stop - L->text) : L->len;
    snprintf(d.what, sizeof d.what, "the JSON parser stopped here");
    d.path[0] = '\0';
  }
  size_t line, col;
  parley__json_linecol(L->text, L->len, d.offset, &line, &col);
  if (d.path[0])
    return parley__err(L->e, PARLEY_ESYNTAX, "%s: %s (%zu:%zu): JSON syntax error: %s", L->name,
                       d.path, line, col, d.what);
  return parley__err(L->e, PARLEY_ESYNTAX, "%s (%zu:%zu): JSON syntax error: %s", L->name, line,
                     col, d.what);
}

/* The file's base name without ".json", for a model without "name". */
static int default_name(loader *L, char **out) {
  const char *base = strrchr(L->name, '/');
  base = base ? base + 1 : L->name;
  size_t n = strlen(base);
  if (n > 5 && strcmp(base + n - 5, ".json") == 0) n -= 5;
  *out = parley__malloc(L->e, n + 1);
  if (!*out) return nomem(L);
  memcpy(*out, base, n);
  (*out)[n] = '\0';
  return PARLEY_OK;
}

static int load_top(loader *L) {
  const cJSON *root = L->root;
  int rc;
  if (!cJSON_IsObject(root))
    return fail(L, PARLEY_EINVALID, "expected a model object {\"parley\": 1, ...}, got %s",
                type_name(root));
  if ((rc = prewalk(L, root)) || (rc = check_keys(L, root, top_keys, "the model"))) return rc;
  const cJSON *v = member(root, "parley");
  if (!v)
    return fail(L, PARLEY_EINVALID,
                "missing key \"parley\": a model file starts with \"parley\": 1 (the format "
                "version)");
  push_key(L, "parley", SIZE_MAX);
  if (!cJSON_IsNumber(v))
    return fail(L, PARLEY_EINVALID, "expected the format version 1, got %s", type_name(v));
  if (v->valuedouble != PARLEY_MODEL_FORMAT)
    return fail(L, PARLEY_EINVALID, "unsupported format version %g; this library reads format %d",
                v->valuedouble, PARLEY_MODEL_FORMAT);
  pop(L);
  const char *name, *desc;
  if ((rc = opt_string(L, root, "name", &name)) || (rc = opt_string(L, root, "description", &desc)))
    return rc;
  char *dflt = NULL;
  if (!name && (rc = default_name(L, &dflt))) return rc;
  rc = parley_model_new(L->e, &L->m, name ? name : dflt);
  parley__free(L->e, dflt);
  if (rc == PARLEY_OK && desc) rc = parley_model_set_description(L->m, desc);
  return rc;
}

static int parse(parley_engine *e, parley_model **out, const char *text, size_t len,
                 const char *name, const char *base_dir, const char *source) {
  loader L;
  memset(&L, 0, sizeof L);
  L.e = e;
  L.name = name;
  L.text = text;
  L.len = len;
  L.base_dir = base_dir;
  const char *stop = NULL;
  cJSON *root = len ? cJSON_ParseWithLengthOpts(text, len, &stop, 0) : NULL;
  if (root) {
    /* cJSON stops after the first value; only white space may follow. */
    size_t i = (size_t)(stop - text);
    while (i < len && (unsigned char)text[i] <= 32) i++;
    if (i < len) {
      cJSON_Delete(root);
      root = NULL;
      stop = text + i;
    }
  }
  if (!root) return syntax_error(&L, stop);
  L.root = root;
  int rc;
  if ((rc = load_top(&L)) || (rc = load_criteria(&L)) || (rc = load_strategies(&L)) ||
      (rc = load_scenarios(&L)) || (rc = load_actors(&L)) || (rc = load_pipeline(&L)) ||
      (rc = load_outcomes(&L)))
    goto done;
  parley_model *m = L.m;
  parley__sha256(text, len, m->sha256);
  m->has_sha256 = true;
  if (source && !(m->source = parley__strdup(e, source))) rc = nomem(&L);
done:
  cJSON_Delete(root);
  parley__free(e, L.record_of);
  parley__free(e, L.gen_vals);
  if (rc) {
    parley_model_free(L.m);
    return rc;
  }
  *out = L.m;
  return PARLEY_OK;
}

int parley_model_parse(parley_engine *engine, parley_model **out, const char *text, size_t len,
                       const char *name, const char *base_dir) {
  if (!engine) return PARLEY_EUSAGE;
  parley__ok(engine);
  if (!out || (!text && len))
    return parley__err(engine, PARLEY_EUSAGE, "parley_model_parse: out and text are required");
  *out = NULL;
  return parse(engine, out, text ? text : "", len, name ? name : "<text>", base_dir, NULL);
}

int parley_model_load(parley_engine *engine, parley_model **out, const char *path) {
  if (!engine) return PARLEY_EUSAGE;
  parley__ok(engine);
  if (!out || !path)
    return parley__err(engine, PARLEY_EUSAGE, "parley_model_load: out and path are required");
  *out = NULL;
  char *text = NULL;
  size_t len = 0;
  int err = 0;
  int rc = read_file(engine, path, &text, &len, &err);
  if (rc == PARLEY_EIO) {
    char why[128];
    errno_text(err, why, sizeof why);
    return parley__err(engine, PARLEY_EIO, "%s: cannot read: %s", path, why);
  }
  if (rc) return rc;
  /* CSV files are relative to the model file's directory. */
  char *dir = NULL;
  const char *slash = strrchr(path, '/');
  if (slash) {
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    if (!(dir = parley__malloc(engine, n + 1))) {
      parley__free(engine, text);
      return PARLEY_ENOMEM;
    }
    memcpy(dir, path, n);
    dir[n] = '\0';
  }
  rc = parse(engine, out, text, len, path, dir, path);
  parley__free(engine, text);
  parley__free(engine, dir);
  return rc;
}
