/*
 * internal.h — the engine's shared internals: the engine, model and result
 * structures, stage specs, the registry entry and the run context.  Every file
 * of core/ includes it; nothing outside core/ may.  Names shared between
 * files carry the parley__ prefix (two underscores); public ones live in
 * include/parley.h.
 *
 * The outcome cube is dense and criterion-major: cube[(c * nk + k) * ns + s]
 * for criterion c, scenario k, strategy s, so that one criterion of one
 * scenario is a contiguous run over strategies, and one criterion over all
 * scenarios (its "slab", nk * ns values, at cube + c * nk * ns) is contiguous
 * too.  Always index through parley__cell().  Utilities are laid out the same
 * way without the criterion: u[k * ns + s].
 */
#ifndef PARLEY_INTERNAL_H
#define PARLEY_INTERNAL_H

#include "parley.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PARLEY__ERRMAX 1024

#if defined(__GNUC__)
#define PARLEY__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PARLEY__PRINTF(f, a)
#endif

/* ---- engine ------------------------------------------------------------ */
typedef struct parley__registry parley__registry;
typedef struct parley__host parley__host;

struct parley_engine {
  parley_alloc_fn alloc;
  void *alloc_ud;
  bool alloc_is_default;         /* alloc is the C library's (thread-safe) */
  int errcode;
  char errmsg[PARLEY__ERRMAX];
  parley__registry *registry;
  parley__host *host;            /* the plugin host, made on first use */
  parley_plugin_options plugin;  /* limits of plugin calls (0: defaults) */
};

/* Allocation through the engine's allocator.  parley__malloc/realloc return
 * NULL on failure and set PARLEY_ENOMEM on the engine. */
void *parley__malloc(parley_engine *e, size_t size);
void *parley__calloc(parley_engine *e, size_t n, size_t size);
void *parley__realloc(parley_engine *e, void *p, size_t size);
void parley__free(parley_engine *e, void *p);
char *parley__strdup(parley_engine *e, const char *s);
/* Overflow-checked n * size; SIZE_MAX on overflow (which then fails to allocate). */
size_t parley__mul(size_t n, size_t size);

/* Sets the engine's error and returns code.  The message is one line, it
 * names what is at fault first ("model.json: outcomes.x.y (3:14): ..."). */
int parley__err(parley_engine *e, int code, const char *fmt, ...) PARLEY__PRINTF(3, 4);
int parley__verr(parley_engine *e, int code, const char *fmt, va_list ap);
/* Clears the error: every public entry point starts with it. */
void parley__ok(parley_engine *e);

/* ---- stage specs --------------------------------------------------------
 * A stage as the user named it: "hurwicz:alpha=0.6" or
 * {"name": "hurwicz", "alpha": 0.6}.  Parameter values are numbers, strings
 * or JSON text (arrays and objects, kept as text for the plugins). */
typedef enum { PARLEY__PNUM, PARLEY__PSTR, PARLEY__PJSON } parley__ptype;

typedef struct parley__param {
  char *key;
  parley__ptype type;
  double num;  /* PARLEY__PNUM */
  char *text;  /* PARLEY__PSTR: the string; PARLEY__PJSON: the JSON text */
} parley__param;

typedef struct parley__spec {
  char *name;           /* NULL: not set */
  parley__param *params;
  size_t n;
} parley__spec;

/* Parses "NAME" or "NAME:key=value,key=value" (value a number, or else a
 * string).  what names the option in messages ("--rule"). */
int parley__spec_parse(parley_engine *e, parley__spec *out, const char *text, const char *what);
int parley__spec_copy(parley_engine *e, parley__spec *out, const parley__spec *in);
/* Adds a parameter (takes copies of key and text). */
int parley__spec_add(parley_engine *e, parley__spec *s, const char *key, parley__ptype type,
                     double num, const char *text);
void parley__spec_clear(parley_engine *e, parley__spec *s);
/* The parameter named key, or NULL. */
const parley__param *parley__spec_get(const parley__spec *s, const char *key);
/* Canonical text "name:k=v,k=v" with parameters in the given order; NULL on
 * allocation failure.  Caller frees with parley__free. */
char *parley__spec_text(parley_engine *e, const parley__spec *s);

/* ---- model --------------------------------------------------------------- */
typedef struct parley__criterion {
  char *id, *name, *unit;
  int dir;           /* +1 max, -1 min */
  double weight;     /* NaN: not given */
  double lo, hi;     /* scale; NaN: none */
} parley__criterion;

typedef struct parley__strategy {
  char *id, *name, *description;
  char *params;      /* JSON text of "params", or NULL */
  char *notes;       /* JSON text of "notes" (free form), or NULL */
} parley__strategy;

typedef struct parley__scenario {
  char *id, *name;
  double probability; /* NaN: not given */
  char *params;       /* JSON text, or NULL */
  char *positive, *negative; /* notes.positive / notes.negative, or NULL */
} parley__scenario;

typedef struct parley__actor {
  char *id, *name, *description;
  double influence;   /* 1 when not given */
  double *weights;    /* [nw], NaN: not given; nw == nc once dims freeze */
  size_t nw;
} parley__actor;

/* An id -> index hash table (open addressing, linear probing).  A slot
 * holds (the upper 32 bits of the id's hash << 32) | (index + 1), 0 when
 * empty: a probe skips a slot whose hash tag differs without touching the
 * id's string, and the layout is the same where size_t has 32 bits.  So a
 * list holds at most UINT32_MAX - 1 ids (parley__model_add refuses more). */
typedef struct parley__index {
  uint64_t *slot;
  size_t cap;
} parley__index;

typedef struct parley__uncertain {
  size_t cell;        /* index into the cube */
  parley_dist dist;   /* values/p point into memory the model owns */
} parley__uncertain;

/* Growable arrays while the model is built. */
struct parley_model {
  parley_engine *engine;
  atomic_int refs;
  char *name;
  char *description;       /* the model file's "description", or NULL */
  char *source;              /* file the model came from, or NULL */
  bool has_sha256;
  unsigned char sha256[32];  /* of the model file's bytes */

  parley__criterion *crit; size_t nc, cap_c;
  parley__strategy *strat; size_t ns, cap_s;
  parley__scenario *scen;  size_t nk, cap_k; /* nk == 0 until dims freeze */
  parley__actor *act;      size_t na, cap_a;
  bool implicit_scenario;    /* the one scenario "base" was made for the user */

  bool frozen;               /* dims fixed: the cube exists */
  bool checked;              /* parley_model_check passed and nothing changed since */
  double *cube;              /* [nc * nk * ns], NaN where not set; see parley__cell */
  parley__uncertain *unc; size_t nunc, cap_unc;

  parley__index index[4];    /* by parley_entity */

  parley__spec pipeline[PARLEY_STAGE_KINDS]; /* [PARLEY_STAGE_ANALYSIS] unused */
  parley__spec *analyses; size_t nanalyses;
};

static inline size_t parley__cell(const parley_model *m, size_t s, size_t k, size_t c) {
  return (c * m->nk + k) * m->ns + s;
}

/* Index of an id, or SIZE_MAX.  O(1): every list is hashed as it grows. */
size_t parley__find(const parley_model *m, parley_entity what, const char *id);
/* Adds to a list (what the public add_* calls do, by entity); returns the
 * new index, or SIZE_MAX with the engine's error set (duplicate id, model
 * frozen, out of memory).  The other fields start empty (NaN numbers). */
size_t parley__model_add(parley_model *m, parley_entity what, const char *id, const char *name);
/* Makes room for n entries of a list, and sizes its index for them, at
 * once, so that adding them one by one neither reallocates nor rehashes.
 * Only a hint: n may be more than will be added (never a limit), and
 * nothing is done once the model is frozen.  PARLEY_OK or PARLEY_ENOMEM
 * (the model unchanged and still usable). */
int parley__model_reserve(parley_model *m, parley_entity what, size_t n);
/* Appends an analysis spec (takes a copy). */
int parley__model_add_analysis(parley_model *m, const parley__spec *spec);
/* Fixes the dimensions and allocates the cube (NaN-filled) and the actors'
 * weight rows.  Makes the implicit scenario "base" when none was added.
 * Called by the first outcome set, and by check. */
int parley__model_freeze(parley_model *m);
/* Sets one cell by index (the loader's fast path). */
int parley__model_set_cell(parley_model *m, size_t s, size_t k, size_t c, double v);
int parley__model_set_cell_dist(parley_model *m, size_t s, size_t k, size_t c,
                                const parley_dist *d);
/* Checks a distribution's parameters; writes a reason into why on failure. */
bool parley__dist_valid(const parley_dist *d, char *why, size_t whylen);
double parley__dist_mean_unchecked(const parley_dist *d);
/* Model text hash for the result document. */
void parley__sha256(const void *data, size_t len, unsigned char out[32]);
void parley__model_retain(parley_model *m);

/* ---- registry -------------------------------------------------------------- */
typedef struct parley__ctx parley__ctx;

/* Weighting: fill w[nc] (need not sum to 1; the pipeline normalises, and
 * rejects negative or all-zero weights). */
typedef int (*parley__weighting_fn)(parley__ctx *ctx, double *w);
/* Normalization of one criterion's slab x[n] (every strategy under every
 * scenario) to the affine map r = a * x + b, oriented so that higher is
 * better.  dir is +1 (max) or -1 (min); lo/hi the criterion's scale or NaN. */
typedef int (*parley__normalization_fn)(parley__ctx *ctx, size_t c, const double *x, size_t n,
                                        int dir, double lo, double hi, double *a, double *b);
/* Aggregation: utilities u[nk * ns] (u[k * ns + s]) from the context's cube,
 * normalization maps and weights. */
typedef int (*parley__aggregation_fn)(parley__ctx *ctx, double *u);
/* Decision rule: score[ns] from utilities u[nk * ns] and probabilities p[nk]
 * (NULL when the model has none). */
typedef int (*parley__rule_fn)(parley__ctx *ctx, const double *u, const double *p, double *score);
/* Analysis: runs after the deterministic run (parley__actx below). */
typedef struct parley__actx parley__actx;
typedef int (*parley__analysis_fn)(parley__actx *a);

/* What an analysis leaves in the result: the JSON object under
 * "analyses"."name" and a section of the text report (either may be
 * NULL).  Both are taken over by the result. */
typedef struct parley__analysis_out {
  char *name;
  char *json;
  char *text;
} parley__analysis_out;

/* A parameter a built-in stage takes, with its default and range.  type is
 * PARLEY__PNUM (the default: a number in [lo, hi], def when absent),
 * PARLEY__PSTR (a string) or PARLEY__PJSON (an array or object, kept as JSON
 * text for the stage to parse); def, lo and hi matter only for numbers. */
typedef struct parley__param_def {
  const char *key;
  double def, lo, hi;
  const char *summary;
  parley__ptype type;
} parley__param_def;

/* Stage flags. */
enum {
  PARLEY__LOWER_IS_BETTER = 1u << 0, /* rule or aggregation: a lower score is better */
  PARLEY__RAW_VALUES = 1u << 1,      /* aggregation: reads raw values, ignores normalization */
  PARLEY__NEEDS_PROBABILITIES = 1u << 2 /* rule: needs scenario probabilities */
};

typedef struct parley__stage {
  parley_stage_kind kind;
  const char *name;
  const char *summary;
  const parley__param_def *params; /* terminated by a {NULL} entry; NULL: none */
  unsigned flags;
  union {
    parley__weighting_fn weighting;
    parley__normalization_fn normalization;
    parley__aggregation_fn aggregation;
    parley__rule_fn rule;
    parley__analysis_fn analysis;
    void *other;
  } fn;
  const char *source; /* "built-in" or a plugin file */
  void *ud;           /* a plugin's own data */
} parley__stage;

/* The built-in stages, a NULL-name terminated table (core/registry.c). */
extern const parley__stage parley__builtin_stages[];

int parley__registry_new(parley_engine *e);
void parley__registry_free(parley_engine *e);
/* Adds or replaces (same kind and name) a stage; the entry is copied. */
int parley__registry_add(parley_engine *e, const parley__stage *st);
const parley__stage *parley__registry_find(const parley_engine *e, parley_stage_kind kind,
                                           const char *name);
/* Looks a spec up and checks its parameters against the stage's param_defs
 * (unknown key, non-number, out of range: PARLEY_ENOTFOUND/EINVALID with a
 * message naming the stage and parameter).  what names where the spec came
 * from ("--rule", "pipeline.rule"). */
int parley__registry_resolve(parley_engine *e, parley_stage_kind kind, const parley__spec *spec,
                             const char *what, const parley__stage **out);
/* A numeric parameter of a resolved spec, or its default. */
double parley__param_num(const parley__stage *st, const parley__spec *spec, const char *key);

/* ---- run ------------------------------------------------------------------- */
struct parley__ctx {
  parley_engine *engine;
  const parley_model *model;
  const parley__stage *stage;  /* the stage being run */
  const parley__spec *spec;    /* its parameters */
  size_t ns, nk, nc;
  const double *cube;          /* the values of this run (means, or a draw) */
  const double *na, *nb;       /* normalization maps [nc]: r = na[c] * x + nb[c] */
  /* Each criterion's smallest and largest value over its slab [nc], as a
   * normalization found them on its pass over the slab (NaN: not known;
   * NULL: not kept), so that an aggregation need not read the slab again
   * for them.  Like na and nb they describe the cube as it was normalized. */
  double *slab_lo, *slab_hi;
  const double *w;             /* weights [nc], summing to 1 */
  const double *p;             /* probabilities [nk] or NULL */
  /* Diagnostics a stage wants in the result: JSON object text that the
   * stage allocates with parley__malloc (owned by the run afterwards). */
  char *diagnostics;
  /* True when nobody keeps the diagnostics (an actor's run, an analysis's
   * evaluations): a stage may skip building them. */
  bool no_diagnostics;
};

/* Criterion c's slab in the run's cube: every strategy under every
 * scenario, contiguous (see the cube's layout above). */
static inline const double *parley__slab(const parley__ctx *ctx, size_t c) {
  return ctx->cube + c * ctx->nk * ctx->ns;
}

/* The criterion's id for messages; "?" when the context carries no model
 * (stand-alone uses) or the criterion has none. */
static inline const char *parley__crit_id(const parley__ctx *ctx, size_t c) {
  const parley_model *m = ctx ? ctx->model : NULL;
  return m && c < m->nc && m->crit[c].id ? m->crit[c].id : "?";
}

/* The criterion's direction: -1 when lower is better, else +1 (also when
 * there is no model to say). */
static inline int parley__crit_dir(const parley__ctx *ctx, size_t c) {
  const parley_model *m = ctx ? ctx->model : NULL;
  return m && c < m->nc && m->crit[c].dir < 0 ? -1 : 1;
}

/* A ranking: order[i] is the strategy at place i (best first); rank[i] its
 * rank with ties sharing (1, 2, 2, 4). */
typedef struct parley__ranking {
  size_t *order;
  int *rank;
} parley__ranking;

/* Ranks score[n]: higher_better picks the order.  Scores within a relative
 * 1e-12 of each other tie.  order and rank must hold n entries. */
void parley__rank(const double *score, size_t n, bool higher_better, size_t *order, int *rank);
/* Kendall's tau-b between two score vectors (ties handled). */
double parley__kendall_tau_b(const double *x, const double *y, size_t n, bool higher_better);
/* Kendall's tau-b in O(n log n) (Knight 1966), scratch from the engine;
 * same value as parley__kendall_tau_b.  PARLEY_ENOMEM on failure. */
int parley__kendall_tau_b_knight(parley_engine *e, const double *x, const double *y, size_t n,
                                 double *out);

typedef struct parley__actor_result {
  double *w;        /* [nc] normalised */
  double *score;    /* [ns] */
  size_t *order;    /* [ns] */
  int *rank;        /* [ns] */
} parley__actor_result;

struct parley_result {
  parley_engine *engine;
  parley_model *model;       /* retained */
  char *stage[PARLEY_STAGE_KINDS]; /* canonical spec text */
  parley__spec spec[PARLEY_STAGE_KINDS];
  size_t ns, nk, nc, na;
  bool higher_better;
  bool utility_higher_better; /* false: the aggregation's utility is better when lower */
  double *w;                 /* [nc] */
  double *p;                 /* [nk] or NULL */
  double *u;                 /* [nk * ns] */
  double *score;             /* [ns] */
  size_t *order;             /* [ns] */
  int *rank;                 /* [ns] */
  bool has_evpi;
  double ev, evpi_ev, evpi;
  parley__actor_result *actors; /* [na] */
  double *tau;               /* [na * na] */
  char *diagnostics[PARLEY_STAGE_KINDS]; /* JSON object text or NULL */
  parley__analysis_out *analyses; size_t nanalyses;
};

/* ---- one evaluation of the pipeline (pipeline.c) -------------------------------
 * What the deterministic run does, reusable: analyses evaluate the model
 * again and again (a draw of the outcomes, other weights, other
 * probabilities) through the same stages.  An evaluation reads the cube and
 * probabilities its context points at (ctx.cube, ctx.p), so a worker points
 * them at its own draw.  e is the engine its messages and memory go to: a
 * worker thread passes a shadow copy of the run's engine (parley__shadow),
 * so that two threads never write one error message. */
typedef struct parley__eval {
  parley_engine *e;
  const parley_model *m;
  const parley__stage *st[PARLEY_STAGE_KINDS];
  const parley__spec *spec[PARLEY_STAGE_KINDS];
  parley__ctx ctx;
  double *na, *nb;         /* normalization maps [nc] */
  double *range;           /* [2 * nc]: ctx.slab_lo, then ctx.slab_hi */
  bool flip;               /* the aggregation scores lower-is-better */
  bool higher_better;      /* of the final score */
  char **diagnostics;      /* [KINDS] where diagnostics are kept, or NULL: dropped */
} parley__eval;

int parley__eval_init(parley__eval *ev, parley_engine *e, const parley_model *m,
                      const parley__stage *const st[PARLEY_STAGE_KINDS],
                      const parley__spec spec[PARLEY_STAGE_KINDS]);
void parley__eval_free(parley__eval *ev);
/* Runs the weighting stage into w[nc] and scales it to sum 1. */
int parley__eval_weigh(parley__eval *ev, double *w);
/* Runs the normalization stage into the maps (identity for raw-value
 * aggregations). */
int parley__eval_normalize(parley__eval *ev);
/* Aggregation then rule for weights w (summing to 1): u[nk * ns],
 * score[ns] in the final score's terms (ev->higher_better). */
int parley__eval_score(parley__eval *ev, const double *w, double *u, double *score);
/* Checks raw weights (finite, >= 0, positive sum) and scales them to sum 1;
 * whose names them in messages. */
int parley__normalise_weights(parley_engine *e, const parley_model *m, double *w,
                              const char *whose);
/* A copy of e for a worker thread: the same allocator and registry, its
 * own error slot, no plugin host (plugins do not run in workers). */
void parley__shadow(parley_engine *shadow, const parley_engine *e);

/* ---- analyses ----------------------------------------------------------------- */
struct parley__actx {
  parley_engine *e;
  const parley_model *m;
  parley_result *r;                       /* the deterministic run, complete */
  const parley__stage *const *st;         /* [KINDS]: the run's stages */
  const parley__spec *spec;               /* the analysis as asked for */
  const parley__stage *stage;             /* the analysis stage */
  uint64_t seed;
  int threads;                            /* >= 1 */
  parley_progress_fn progress;            /* may be NULL */
  void *progress_ud;
};

/* Adds an analysis' output to a result (takes json and text; copies name). */
int parley__result_add_analysis(parley_result *r, const char *name, char *json, char *text);

/* ---- output -------------------------------------------------------------- */
/* The result document (format 1) as JSON text (core/result_json.c). */
int parley__result_json(parley_engine *e, const parley_result *r, char **out, size_t *len);
/* The plain-text report (core/result_text.c). */
int parley__result_text(parley_engine *e, const parley_result *r, char **out, size_t *len);

/* A growable string buffer on the engine's allocator. */
typedef struct parley__buf {
  parley_engine *e;
  char *data;
  size_t len, cap;
  bool failed; /* an allocation failed: every later append is a no-op */
} parley__buf;

void parley__buf_init(parley__buf *b, parley_engine *e);
void parley__buf_add(parley__buf *b, const char *s, size_t n);
void parley__buf_puts(parley__buf *b, const char *s);
void parley__buf_printf(parley__buf *b, const char *fmt, ...) PARLEY__PRINTF(2, 3);
/* Hands the NUL-terminated text over (or frees it and returns PARLEY_ENOMEM). */
int parley__buf_finish(parley__buf *b, char **out, size_t *len);
void parley__buf_free(parley__buf *b);

/* Shortest text that reads back to the same double ("%.17g" trimmed). */
void parley__fmt_double(char *out, size_t n, double v);

#endif /* PARLEY_INTERNAL_H */
