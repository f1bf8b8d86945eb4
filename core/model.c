/*
 * model.c — the model and its builder.  Lists of criteria, strategies,
 * scenarios and actors grow (each id hashed for O(1) lookup) until the first
 * outcome is set; then the dimensions freeze and the dense outcome cube is
 * allocated, NaN-filled so that a missing cell is seen.  Stochastic cells
 * keep their distribution beside the cube; the cube holds its mean.
 * The loader (model_json.c) builds models through these same calls.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const entity_names[4] = {"criterion", "strategy", "scenario", "actor"};

/* ---- the id index ------------------------------------------------------- */
/* FNV-1a, then a finaliser (MurmurHash3's fmix64) so that the upper 32 bits,
 * which are all the table keeps, depend on every byte of the id. */
static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

#define TAG_MASK 0xFFFFFFFF00000000ull
/* The most ids a list holds: a slot keeps index + 1 in 32 bits, and
 * UINT32_MAX is kept clear of so that index + 1 never wraps. */
#define MAX_IDS ((size_t)UINT32_MAX - 1)

/* A slot's home is taken from its tag alone, so the table can be rebuilt
 * from the slots without reading (or hashing again) a single id. */
static size_t home(uint64_t tagged, size_t mask) { return (size_t)(tagged >> 32) & mask; }

static const char *entity_id(const parley_model *m, parley_entity what, size_t i) {
  switch (what) {
  case PARLEY_CRITERIA: return m->crit[i].id;
  case PARLEY_STRATEGIES: return m->strat[i].id;
  case PARLEY_SCENARIOS: return m->scen[i].id;
  case PARLEY_ACTORS: return m->act[i].id;
  }
  return NULL;
}

static size_t entity_count(const parley_model *m, parley_entity what) {
  switch (what) {
  case PARLEY_CRITERIA: return m->nc;
  case PARLEY_STRATEGIES: return m->ns;
  case PARLEY_SCENARIOS: return m->nk;
  case PARLEY_ACTORS: return m->na;
  }
  return 0;
}

/* The index of id (hash h), or SIZE_MAX with *empty set to the free slot
 * where it would go.  Only a slot with the same tag costs a string
 * comparison, so a miss seldom reads an id at all. */
static size_t index_probe(const parley_model *m, parley_entity what, const char *id, uint64_t h,
                          size_t *empty) {
  const parley__index *ix = &m->index[what];
  size_t mask = ix->cap - 1, i = home(h, mask);
  uint64_t tag = h & TAG_MASK, v;
  for (; (v = ix->slot[i]) != 0; i = (i + 1) & mask)
    if ((v & TAG_MASK) == tag) {
      size_t at = (size_t)(v & 0xFFFFFFFFu) - 1;
      if (strcmp(entity_id(m, what, at), id) == 0) return at;
    }
  if (empty) *empty = i;
  return SIZE_MAX;
}

/* Keeps the table at most half full; rebuilt from the old slots on growth. */
static int index_grow(parley_model *m, parley_entity what, size_t need) {
  parley__index *ix = &m->index[what];
  if (need <= ix->cap / 2) return PARLEY_OK;
  if (need > SIZE_MAX / 4) return parley__err(m->engine, PARLEY_ENOMEM, "out of memory");
  size_t cap = ix->cap ? ix->cap : 16;
  while (cap < 2 * need) cap *= 2;
  uint64_t *slot = parley__calloc(m->engine, cap, sizeof *slot);
  if (!slot) return PARLEY_ENOMEM;
  size_t mask = cap - 1;
  for (size_t j = 0; j < ix->cap; j++) {
    uint64_t v = ix->slot[j];
    if (!v) continue;
    size_t i = home(v, mask);
    while (slot[i]) i = (i + 1) & mask;
    slot[i] = v;
  }
  parley__free(m->engine, ix->slot);
  ix->slot = slot;
  ix->cap = cap;
  return PARLEY_OK;
}

size_t parley__find(const parley_model *m, parley_entity what, const char *id) {
  if (!id || m->index[what].cap == 0) return SIZE_MAX;
  return index_probe(m, what, id, hash_str(id), NULL);
}

/* ---- life cycle ------------------------------------------------------------ */
int parley_model_new(parley_engine *engine, parley_model **out, const char *name) {
  if (!engine || !out) return PARLEY_EUSAGE;
  parley__ok(engine);
  *out = NULL;
  parley_model *m = parley__calloc(engine, 1, sizeof *m);
  if (!m) return PARLEY_ENOMEM;
  m->engine = engine;
  atomic_init(&m->refs, 1);
  if (!(m->name = parley__strdup(engine, name ? name : ""))) {
    parley__free(engine, m);
    return PARLEY_ENOMEM;
  }
  *out = m;
  return PARLEY_OK;
}

void parley__model_retain(parley_model *m) { atomic_fetch_add(&m->refs, 1); }

static void model_destroy(parley_model *m) {
  parley_engine *e = m->engine;
  /* An entity's name lives in its id's allocation (parley__model_add). */
  for (size_t i = 0; i < m->nc; i++) {
    parley__free(e, m->crit[i].id);
    parley__free(e, m->crit[i].unit);
  }
  for (size_t i = 0; i < m->ns; i++) {
    parley__strategy *s = &m->strat[i];
    parley__free(e, s->id);
    parley__free(e, s->description);
    parley__free(e, s->params);
    parley__free(e, s->notes);
  }
  for (size_t i = 0; i < m->nk; i++) {
    parley__scenario *k = &m->scen[i];
    parley__free(e, k->id);
    parley__free(e, k->params);
    parley__free(e, k->positive);
    parley__free(e, k->negative);
  }
  for (size_t i = 0; i < m->na; i++) {
    parley__actor *a = &m->act[i];
    parley__free(e, a->id);
    parley__free(e, a->description);
    parley__free(e, a->weights);
  }
  for (size_t i = 0; i < m->nunc; i++) {
    parley__free(e, (void *)m->unc[i].dist.values);
    parley__free(e, (void *)m->unc[i].dist.p);
  }
  for (int k = 0; k < PARLEY_STAGE_KINDS; k++) parley__spec_clear(e, &m->pipeline[k]);
  for (size_t i = 0; i < m->nanalyses; i++) parley__spec_clear(e, &m->analyses[i]);
  for (int w = 0; w < 4; w++) parley__free(e, m->index[w].slot);
  parley__free(e, m->analyses);
  parley__free(e, m->crit);
  parley__free(e, m->strat);
  parley__free(e, m->scen);
  parley__free(e, m->act);
  parley__free(e, m->unc);
  parley__free(e, m->cube);
  parley__free(e, m->name);
  parley__free(e, m->description);
  parley__free(e, m->source);
  parley__free(e, m);
}

void parley_model_free(parley_model *model) {
  if (model && atomic_fetch_sub(&model->refs, 1) == 1) model_destroy(model);
}

/* ---- adding to the lists -------------------------------------------------- */
static bool grow(parley_engine *e, void **arr, size_t *cap, size_t n, size_t elem) {
  if (n < *cap) return true;
  size_t nc = *cap ? 2 * *cap : 8;
  void *p = parley__realloc(e, *arr, parley__mul(nc, elem));
  if (!p) return false;
  *arr = p;
  *cap = nc;
  return true;
}

/* Where one list lives: its array, its capacity and the size of an entry. */
typedef struct list {
  void **arr;
  size_t *cap;
  size_t elem;
} list;

static list list_of(parley_model *m, parley_entity what) {
  switch (what) {
  case PARLEY_CRITERIA: return (list){(void **)&m->crit, &m->cap_c, sizeof *m->crit};
  case PARLEY_STRATEGIES: return (list){(void **)&m->strat, &m->cap_s, sizeof *m->strat};
  case PARLEY_SCENARIOS: return (list){(void **)&m->scen, &m->cap_k, sizeof *m->scen};
  case PARLEY_ACTORS: break;
  }
  return (list){(void **)&m->act, &m->cap_a, sizeof *m->act};
}

size_t parley__model_add(parley_model *m, parley_entity what, const char *id, const char *name) {
  parley_engine *e = m->engine;
  m->checked = false;
  if (!id || !*id) {
    parley__err(e, PARLEY_EINVALID, "a %s id must be a non-empty string", entity_names[what]);
    return SIZE_MAX;
  }
  if (m->frozen) {
    parley__err(e, PARLEY_EUSAGE,
                "cannot add %s '%s': the model's dimensions are fixed once an outcome is set",
                entity_names[what], id);
    return SIZE_MAX;
  }
  size_t n = entity_count(m, what), at;
  if (n >= MAX_IDS) {
    parley__err(e, PARLEY_EINVALID, "cannot add %s '%s': a model holds at most %lu of them",
                entity_names[what], id, (unsigned long)MAX_IDS);
    return SIZE_MAX;
  }
  /* Grown first, so that the free slot the probe finds stays the one. */
  if (index_grow(m, what, n + 1) != PARLEY_OK) return SIZE_MAX;
  uint64_t h = hash_str(id);
  if (index_probe(m, what, id, h, &at) != SIZE_MAX) {
    parley__err(e, PARLEY_EINVALID, "duplicate %s id '%s'", entity_names[what], id);
    return SIZE_MAX;
  }
  /* The id and the name share one allocation, the name after the id's NUL
   * (or the id itself when no name is given): one allocation per entity on
   * a table of a million strategies, not two.  model_destroy frees the id
   * only. */
  size_t idlen = strlen(id) + 1, namelen = name ? strlen(name) + 1 : 0;
  char *cid = parley__malloc(e, idlen + namelen), *cname = cid;
  if (!cid) goto nomem;
  memcpy(cid, id, idlen);
  if (name) memcpy(cname = cid + idlen, name, namelen);
  list l = list_of(m, what);
  if (!grow(e, l.arr, l.cap, n, l.elem)) goto nomem;
  switch (what) {
  case PARLEY_CRITERIA:
    m->crit[n] = (parley__criterion){cid, cname, NULL, 1, NAN, NAN, NAN};
    m->nc++;
    break;
  case PARLEY_STRATEGIES:
    m->strat[n] = (parley__strategy){cid, cname, NULL, NULL, NULL};
    m->ns++;
    break;
  case PARLEY_SCENARIOS:
    m->scen[n] = (parley__scenario){cid, cname, NAN, NULL, NULL, NULL};
    m->nk++;
    break;
  case PARLEY_ACTORS:
    m->act[n] = (parley__actor){cid, cname, NULL, 1.0, NULL, 0};
    m->na++;
    break;
  }
  m->index[what].slot[at] = (h & TAG_MASK) | (uint64_t)(n + 1);
  return n;
nomem:
  parley__free(e, cid);
  parley__err(e, PARLEY_ENOMEM, "out of memory");
  return SIZE_MAX;
}

int parley__model_reserve(parley_model *m, parley_entity what, size_t n) {
  if (m->frozen || (unsigned)what > PARLEY_ACTORS) return PARLEY_OK;
  if (n > MAX_IDS) n = MAX_IDS;
  if (n <= entity_count(m, what)) return PARLEY_OK;
  int rc = index_grow(m, what, n);
  if (rc != PARLEY_OK) return rc;
  list l = list_of(m, what);
  if (*l.cap >= n) return PARLEY_OK;
  void *p = parley__realloc(m->engine, *l.arr, parley__mul(n, l.elem));
  if (!p) return PARLEY_ENOMEM;
  *l.arr = p;
  *l.cap = n;
  return PARLEY_OK;
}

/* Every public call that changes the model starts here: the model must be
 * checked again before it runs. */
static int begin(parley_model *m) {
  if (!m) return PARLEY_EUSAGE;
  parley__ok(m->engine);
  m->checked = false;
  return PARLEY_OK;
}

static bool is_finite(double x) { return isfinite(x) != 0; }

int parley_model_add_criterion(parley_model *model, const char *id, const char *name,
                               parley_direction direction, double weight) {
  if (begin(model)) return PARLEY_EUSAGE;
  parley_engine *e = model->engine;
  if (direction != PARLEY_MAX && direction != PARLEY_MIN)
    return parley__err(e, PARLEY_EINVALID, "criterion '%s': direction must be max or min", id);
  if (!isnan(weight) && !(is_finite(weight) && weight >= 0))
    return parley__err(e, PARLEY_EINVALID,
                       "criterion '%s': weight must be a finite number >= 0", id);
  size_t c = parley__model_add(model, PARLEY_CRITERIA, id, name);
  if (c == SIZE_MAX) return e->errcode;
  model->crit[c].dir = direction;
  model->crit[c].weight = weight;
  return PARLEY_OK;
}

int parley_model_set_scale(parley_model *model, const char *criterion, double lo, double hi) {
  if (begin(model)) return PARLEY_EUSAGE;
  size_t c = parley__find(model, PARLEY_CRITERIA, criterion);
  if (c == SIZE_MAX)
    return parley__err(model->engine, PARLEY_ENOTFOUND, "unknown criterion '%s'", criterion);
  if (!(is_finite(lo) && is_finite(hi) && lo < hi))
    return parley__err(model->engine, PARLEY_EINVALID,
                       "criterion '%s': scale must be [lo, hi] with finite lo < hi", criterion);
  model->crit[c].lo = lo;
  model->crit[c].hi = hi;
  return PARLEY_OK;
}

int parley_model_add_strategy(parley_model *model, const char *id, const char *name) {
  if (begin(model)) return PARLEY_EUSAGE;
  return parley__model_add(model, PARLEY_STRATEGIES, id, name) == SIZE_MAX
             ? model->engine->errcode
             : PARLEY_OK;
}

int parley_model_add_scenario(parley_model *model, const char *id, const char *name,
                              double probability) {
  if (begin(model)) return PARLEY_EUSAGE;
  if (!isnan(probability) && !(probability >= 0 && probability <= 1))
    return parley__err(model->engine, PARLEY_EINVALID,
                       "scenario '%s': probability must be in [0, 1]", id);
  size_t k = parley__model_add(model, PARLEY_SCENARIOS, id, name);
  if (k == SIZE_MAX) return model->engine->errcode;
  model->scen[k].probability = probability;
  return PARLEY_OK;
}

int parley_model_add_actor(parley_model *model, const char *id, const char *name,
                           double influence) {
  if (begin(model)) return PARLEY_EUSAGE;
  if (!isnan(influence) && !(is_finite(influence) && influence > 0))
    return parley__err(model->engine, PARLEY_EINVALID,
                       "actor '%s': influence must be a finite number > 0", id);
  size_t a = parley__model_add(model, PARLEY_ACTORS, id, name);
  if (a == SIZE_MAX) return model->engine->errcode;
  model->act[a].influence = isnan(influence) ? 1.0 : influence;
  return PARLEY_OK;
}

/* An actor's weight row covers every criterion added so far. */
static int actor_weights_fit(parley_model *m, parley__actor *a) {
  if (a->nw == m->nc && a->weights) return PARLEY_OK;
  double *w = parley__realloc(m->engine, a->weights, parley__mul(m->nc ? m->nc : 1, sizeof *w));
  if (!w) return PARLEY_ENOMEM;
  for (size_t c = a->nw; c < m->nc; c++) w[c] = NAN;
  a->weights = w;
  a->nw = m->nc;
  return PARLEY_OK;
}

int parley_model_set_actor_weight(parley_model *model, const char *actor, const char *criterion,
                                  double weight) {
  if (begin(model)) return PARLEY_EUSAGE;
  parley_engine *e = model->engine;
  size_t a = parley__find(model, PARLEY_ACTORS, actor);
  if (a == SIZE_MAX) return parley__err(e, PARLEY_ENOTFOUND, "unknown actor '%s'", actor);
  size_t c = parley__find(model, PARLEY_CRITERIA, criterion);
  if (c == SIZE_MAX)
    return parley__err(e, PARLEY_ENOTFOUND, "actor '%s': unknown criterion '%s'", actor,
                       criterion);
  if (!(is_finite(weight) && weight >= 0))
    return parley__err(e, PARLEY_EINVALID,
                       "actor '%s': weight of '%s' must be a finite number >= 0", actor, criterion);
  if (actor_weights_fit(model, &model->act[a]) != PARLEY_OK) return PARLEY_ENOMEM;
  model->act[a].weights[c] = weight;
  return PARLEY_OK;
}

/* ---- the cube ---------------------------------------------------------------- */
int parley__model_freeze(parley_model *m) {
  parley_engine *e = m->engine;
  if (m->frozen) return PARLEY_OK;
  if (m->nc == 0) return parley__err(e, PARLEY_EINVALID, "the model has no criteria");
  if (m->ns == 0) return parley__err(e, PARLEY_EINVALID, "the model has no strategies");
  if (m->nk == 0) {
    size_t k = parley__model_add(m, PARLEY_SCENARIOS, "base", "base");
    if (k == SIZE_MAX) return e->errcode;
    m->scen[k].probability = 1.0;
    m->implicit_scenario = true;
  }
  for (size_t a = 0; a < m->na; a++)
    if (actor_weights_fit(m, &m->act[a]) != PARLEY_OK) return PARLEY_ENOMEM;
  size_t n = parley__mul(parley__mul(m->nk, m->nc), m->ns);
  m->cube = parley__malloc(e, parley__mul(n, sizeof *m->cube));
  if (!m->cube) return PARLEY_ENOMEM;
  for (size_t i = 0; i < n; i++) m->cube[i] = NAN;
  m->frozen = true;
  return PARLEY_OK;
}

/* Drops the distribution of a cell that is being set again. */
static void forget_dist(parley_model *m, size_t cell) {
  for (size_t i = 0; i < m->nunc; i++) {
    if (m->unc[i].cell != cell) continue;
    parley__free(m->engine, (void *)m->unc[i].dist.values);
    parley__free(m->engine, (void *)m->unc[i].dist.p);
    m->unc[i] = m->unc[--m->nunc];
    return;
  }
}

int parley__model_set_cell(parley_model *m, size_t s, size_t k, size_t c, double v) {
  m->checked = false;
  if (!is_finite(v))
    return parley__err(m->engine, PARLEY_EINVALID, "outcome %s/%s/%s must be a finite number",
                       m->strat[s].id, m->scen[k].id, m->crit[c].id);
  size_t cell = parley__cell(m, s, k, c);
  if (m->nunc && !isnan(m->cube[cell])) forget_dist(m, cell);
  m->cube[cell] = v;
  return PARLEY_OK;
}

bool parley__dist_valid(const parley_dist *d, char *why, size_t whylen) {
  const char *bad = NULL;
  switch (d->kind) {
  case PARLEY_DIST_NORMAL:
    if (!is_finite(d->a) || !is_finite(d->b)) bad = "mean and sd must be finite numbers";
    else if (d->b < 0) bad = "sd must be >= 0";
    break;
  case PARLEY_DIST_UNIFORM:
    if (!is_finite(d->a) || !is_finite(d->b)) bad = "min and max must be finite numbers";
    else if (d->a > d->b) bad = "min must be <= max";
    break;
  case PARLEY_DIST_TRIANGULAR:
  case PARLEY_DIST_PERT:
    if (!is_finite(d->a) || !is_finite(d->b) || !is_finite(d->c))
      bad = "min, mode and max must be finite numbers";
    else if (!(d->a <= d->b && d->b <= d->c)) bad = "expected min <= mode <= max";
    break;
  case PARLEY_DIST_LOGNORMAL:
    if (!is_finite(d->a) || !is_finite(d->b)) bad = "mu and sigma must be finite numbers";
    else if (d->b < 0) bad = "sigma must be >= 0";
    else if (!is_finite(exp(d->a + d->b * d->b / 2))) bad = "the mean exp(mu + sigma^2/2) overflows";
    break;
  case PARLEY_DIST_DISCRETE: {
    if (d->n == 0 || !d->values || !d->p) {
      bad = "values and p must be non-empty lists of the same length";
      break;
    }
    double sum = 0;
    for (size_t i = 0; i < d->n && !bad; i++) {
      if (!is_finite(d->values[i])) bad = "values must be finite numbers";
      else if (!(d->p[i] >= 0 && d->p[i] <= 1)) bad = "each p must be in [0, 1]";
      sum += d->p[i];
    }
    if (!bad && fabs(sum - 1) > 1e-9) bad = "p must sum to 1 (within 1e-9)";
    break;
  }
  default:
    bad = "unknown distribution";
  }
  if (bad && why) snprintf(why, whylen, "%s", bad);
  return bad == NULL;
}

double parley__dist_mean_unchecked(const parley_dist *d) {
  switch (d->kind) {
  case PARLEY_DIST_NORMAL: return d->a;
  case PARLEY_DIST_UNIFORM: return (d->a + d->b) / 2;
  case PARLEY_DIST_TRIANGULAR: return (d->a + d->b + d->c) / 3;
  case PARLEY_DIST_PERT: return (d->a + 4 * d->b + d->c) / 6;
  case PARLEY_DIST_LOGNORMAL: return exp(d->a + d->b * d->b / 2);
  case PARLEY_DIST_DISCRETE: {
    double m = 0;
    for (size_t i = 0; i < d->n; i++) m += d->values[i] * d->p[i];
    return m;
  }
  default: return NAN;
  }
}

int parley_dist_mean(const parley_dist *dist, double *out) {
  if (!dist || !out) return PARLEY_EUSAGE;
  if (!parley__dist_valid(dist, NULL, 0)) return PARLEY_EINVALID;
  *out = parley__dist_mean_unchecked(dist);
  return PARLEY_OK;
}

int parley__model_set_cell_dist(parley_model *m, size_t s, size_t k, size_t c,
                                const parley_dist *d) {
  parley_engine *e = m->engine;
  m->checked = false;
  char why[128];
  if (!parley__dist_valid(d, why, sizeof why))
    return parley__err(e, PARLEY_EINVALID, "outcome %s/%s/%s: %s", m->strat[s].id, m->scen[k].id,
                       m->crit[c].id, why);
  size_t cell = parley__cell(m, s, k, c);
  if (!isnan(m->cube[cell])) forget_dist(m, cell);
  if (!grow(e, (void **)&m->unc, &m->cap_unc, m->nunc, sizeof *m->unc)) return PARLEY_ENOMEM;
  parley_dist copy = *d;
  copy.values = copy.p = NULL;
  if (d->kind == PARLEY_DIST_DISCRETE) {
    double *v = parley__malloc(e, parley__mul(d->n, sizeof *v));
    double *p = parley__malloc(e, parley__mul(d->n, sizeof *p));
    if (!v || !p) {
      parley__free(e, v);
      parley__free(e, p);
      return PARLEY_ENOMEM;
    }
    memcpy(v, d->values, d->n * sizeof *v);
    memcpy(p, d->p, d->n * sizeof *p);
    copy.values = v;
    copy.p = p;
  } else {
    copy.n = 0;
  }
  m->unc[m->nunc++] = (parley__uncertain){cell, copy};
  m->cube[cell] = parley__dist_mean_unchecked(d);
  return PARLEY_OK;
}

/* Resolves (strategy, scenario, criterion) ids, freezing the model first. */
static int cell_of(parley_model *m, const char *strategy, const char *scenario,
                   const char *criterion, size_t *s, size_t *k, size_t *c) {
  parley_engine *e = m->engine;
  int rc = parley__model_freeze(m);
  if (rc != PARLEY_OK) return rc;
  *s = parley__find(m, PARLEY_STRATEGIES, strategy);
  if (*s == SIZE_MAX) return parley__err(e, PARLEY_ENOTFOUND, "unknown strategy '%s'", strategy);
  if (!scenario) {
    if (!m->implicit_scenario)
      return parley__err(e, PARLEY_EUSAGE,
                         "outcome of '%s': the model has scenarios, so one must be named",
                         strategy);
    *k = 0;
  } else {
    *k = parley__find(m, PARLEY_SCENARIOS, scenario);
    if (*k == SIZE_MAX) return parley__err(e, PARLEY_ENOTFOUND, "unknown scenario '%s'", scenario);
  }
  *c = parley__find(m, PARLEY_CRITERIA, criterion);
  if (*c == SIZE_MAX) return parley__err(e, PARLEY_ENOTFOUND, "unknown criterion '%s'", criterion);
  return PARLEY_OK;
}

int parley_model_set_outcome(parley_model *model, const char *strategy, const char *scenario,
                             const char *criterion, double value) {
  if (begin(model)) return PARLEY_EUSAGE;
  size_t s, k, c;
  int rc = cell_of(model, strategy, scenario, criterion, &s, &k, &c);
  return rc ? rc : parley__model_set_cell(model, s, k, c, value);
}

int parley_model_set_outcome_dist(parley_model *model, const char *strategy,
                                  const char *scenario, const char *criterion,
                                  const parley_dist *dist) {
  if (begin(model) || !dist) return PARLEY_EUSAGE;
  size_t s, k, c;
  int rc = cell_of(model, strategy, scenario, criterion, &s, &k, &c);
  return rc ? rc : parley__model_set_cell_dist(model, s, k, c, dist);
}

int parley__model_add_analysis(parley_model *m, const parley__spec *spec) {
  parley__spec *a = parley__realloc(m->engine, m->analyses,
                                    parley__mul(m->nanalyses + 1, sizeof *a));
  if (!a) return PARLEY_ENOMEM;
  m->analyses = a;
  int rc = parley__spec_copy(m->engine, &a[m->nanalyses], spec);
  if (rc == PARLEY_OK) m->nanalyses++;
  return rc;
}

int parley_model_set_stage(parley_model *model, parley_stage_kind kind, const char *spec) {
  if (begin(model) || !spec || (unsigned)kind >= PARLEY_STAGE_KINDS) return PARLEY_EUSAGE;
  parley__spec s;
  int rc = parley__spec_parse(model->engine, &s, spec, parley_stage_kind_name(kind));
  if (rc != PARLEY_OK) return rc;
  if (kind == PARLEY_STAGE_ANALYSIS) {
    rc = parley__model_add_analysis(model, &s);
    parley__spec_clear(model->engine, &s);
    return rc;
  }
  parley__spec_clear(model->engine, &model->pipeline[kind]);
  model->pipeline[kind] = s;
  return PARLEY_OK;
}

/* ---- the completeness check ---------------------------------------------- */
int parley_model_check(parley_model *model) {
  if (!model) return PARLEY_EUSAGE;
  parley__ok(model->engine);
  /* parley_run checks before every run; a model that passed and has not
   * changed since is not scanned again. */
  if (model->checked) return PARLEY_OK;
  parley_model *m = model;
  parley_engine *e = m->engine;
  int rc = parley__model_freeze(m);
  if (rc != PARLEY_OK) return rc;
  for (size_t k = 0; k < m->nk; k++)
    for (size_t c = 0; c < m->nc; c++) {
      const double *run = m->cube + parley__cell(m, 0, k, c);
      for (size_t s = 0; s < m->ns; s++)
        if (isnan(run[s]))
          return parley__err(e, PARLEY_EINVALID,
                             "missing outcome: strategy '%s', scenario '%s', criterion '%s'",
                             m->strat[s].id, m->scen[k].id, m->crit[c].id);
    }
  size_t with_p = 0;
  double sum = 0;
  for (size_t k = 0; k < m->nk; k++)
    if (!isnan(m->scen[k].probability)) {
      with_p++;
      sum += m->scen[k].probability;
    }
  if (with_p != 0 && with_p != m->nk)
    return parley__err(e, PARLEY_EINVALID,
                       "scenario probabilities: %zu of %zu scenarios have one; give all or none",
                       with_p, m->nk);
  if (with_p && fabs(sum - 1) > 1e-9)
    return parley__err(e, PARLEY_EINVALID,
                       "scenario probabilities sum to %.17g, not 1 (tolerance 1e-9)", sum);
  for (size_t a = 0; a < m->na; a++) {
    double total = 0;
    for (size_t c = 0; c < m->nc; c++) {
      double w = m->act[a].weights[c];
      if (isnan(w))
        return parley__err(e, PARLEY_EINVALID, "actor '%s' gives no weight to criterion '%s'",
                           m->act[a].id, m->crit[c].id);
      total += w;
    }
    if (!(total > 0))
      return parley__err(e, PARLEY_EINVALID, "actor '%s': weights are all zero", m->act[a].id);
  }
  m->checked = true;
  return PARLEY_OK;
}

/* ---- reading ----------------------------------------------------------------- */
size_t parley_model_count(const parley_model *model, parley_entity what) {
  if (!model || (unsigned)what > PARLEY_ACTORS) return 0;
  /* Before freezing, the implicit scenario is not made yet, but will be. */
  if (what == PARLEY_SCENARIOS && model->nk == 0) return 1;
  return entity_count(model, what);
}

const char *parley_model_id(const parley_model *model, parley_entity what, size_t i) {
  if (!model || (unsigned)what > PARLEY_ACTORS) return NULL;
  if (what == PARLEY_SCENARIOS && model->nk == 0) return i == 0 ? "base" : NULL;
  return i < entity_count(model, what) ? entity_id(model, what, i) : NULL;
}

const char *parley_model_name(const parley_model *model) { return model ? model->name : NULL; }

const char *parley_model_description(const parley_model *model) {
  return model ? model->description : NULL;
}

int parley_model_set_description(parley_model *model, const char *description) {
  if (begin(model)) return PARLEY_EUSAGE;
  char *d = NULL;
  if (description && !(d = parley__strdup(model->engine, description))) return PARLEY_ENOMEM;
  parley__free(model->engine, model->description);
  model->description = d;
  return PARLEY_OK;
}

double parley_model_outcome(const parley_model *model, size_t strategy, size_t scenario,
                            size_t criterion) {
  if (!model || !model->frozen || strategy >= model->ns || scenario >= model->nk ||
      criterion >= model->nc)
    return NAN;
  return model->cube[parley__cell(model, strategy, scenario, criterion)];
}
