/*
 * parley.h — the one public header of libparley, a decision-analysis engine.
 *
 * A model holds criteria, strategies, scenarios, actors and the outcome cube
 * (strategy x scenario x criterion).  A run sends the model through the scoring
 * pipeline (weighting -> normalization -> aggregation -> decision rule ->
 * ranking -> analyses) and gives a result, which can be read field by field or
 * written in a format ("json", "text").
 *
 * Conventions
 *  - Every symbol starts with parley_ / PARLEY_.  Handles are opaque.
 *  - Functions return an int result code (PARLEY_OK is 0).  On failure the
 *    engine keeps a readable message naming the file, the JSON path with
 *    line:column, or the stage at fault: parley_engine_errmsg().  There is no
 *    global state; each engine has its own message.
 *  - Out-parameters come first and are named out.  "*out is owned by the
 *    caller" means the caller frees it with the matching _free function.  A
 *    pointer returned by a getter lives as long as the handle it came from.
 *  - An engine, and the models and results made with it, are used by one
 *    thread at a time.  Two engines in two threads never meet.
 *  - Option structs begin with a version field; initialise them with the
 *    matching _INIT macro so that later versions of the library can grow them.
 *
 * Free results and models before the engine that made them.  A result keeps
 * its model alive (the model is reference counted), so a model may be freed
 * while results made from it are still in use.
 */
#ifndef PARLEY_H
#define PARLEY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Version
 * ---------------------------------------------------------------------- */
#define PARLEY_VERSION "0.1.0"
#define PARLEY_VERSION_MAJOR 0
#define PARLEY_VERSION_MINOR 1
#define PARLEY_VERSION_PATCH 0
/* major * 1000000 + minor * 1000 + patch */
#define PARLEY_VERSION_NUMBER 1000
/* The model file format and result document format this library speaks. */
#define PARLEY_MODEL_FORMAT 1
#define PARLEY_RESULT_FORMAT 1

/* The library's version at run time, e.g. "0.1.0".  Static storage. */
const char *parley_version(void);
/* PARLEY_VERSION_NUMBER of the library actually linked. */
int parley_version_number(void);

/* ------------------------------------------------------------------------
 * Result codes
 * ---------------------------------------------------------------------- */
enum {
  PARLEY_OK = 0,
  PARLEY_ERROR = 1,     /* a run failed (numerical trouble, a stage failed) */
  PARLEY_ENOMEM = 2,    /* out of memory */
  PARLEY_EIO = 3,       /* a file could not be read or written */
  PARLEY_ESYNTAX = 4,   /* malformed JSON or CSV text */
  PARLEY_EINVALID = 5,  /* well-formed input that breaks the model's rules */
  PARLEY_ENOTFOUND = 6, /* unknown id, stage, format or parameter */
  PARLEY_EUSAGE = 7     /* the API was called wrongly (NULL handle, frozen model, ...) */
};

/* True for the codes that mean "bad input" (exit status 2 in the CLI):
 * EIO, ESYNTAX, EINVALID, ENOTFOUND, EUSAGE. */
int parley_is_input_error(int code);
/* A short constant name for a result code, e.g. "invalid". */
const char *parley_code_name(int code);

/* ------------------------------------------------------------------------
 * Memory
 * ---------------------------------------------------------------------- */
/* One allocator for everything the engine allocates.  Realloc semantics:
 * alloc(ud, NULL, n) allocates, alloc(ud, p, n) resizes, alloc(ud, p, 0)
 * frees p and returns NULL.  Returning NULL for n > 0 is an allocation
 * failure, which the engine reports as PARLEY_ENOMEM. */
typedef void *(*parley_alloc_fn)(void *ud, void *ptr, size_t size);

/* Frees memory the library handed to the caller (strings from
 * parley_result_format, ...).  Always use the engine that made it. */
typedef struct parley_engine parley_engine;
void parley_free(parley_engine *engine, void *ptr);

/* ------------------------------------------------------------------------
 * Engine
 * ---------------------------------------------------------------------- */
typedef struct parley_engine_options {
  int version;            /* PARLEY_ENGINE_OPTIONS_VERSION */
  parley_alloc_fn alloc;  /* NULL: the C library's realloc/free */
  void *alloc_ud;         /* passed to alloc */
} parley_engine_options;

#define PARLEY_ENGINE_OPTIONS_VERSION 1
#define PARLEY_ENGINE_OPTIONS_INIT { PARLEY_ENGINE_OPTIONS_VERSION, NULL, NULL }

/* Makes an engine with the built-in stages registered.  opts may be NULL.
 * *out is owned by the caller: parley_engine_free(). */
int parley_engine_new(parley_engine **out, const parley_engine_options *opts);
void parley_engine_free(parley_engine *engine);
/* The message of the last failed call on this engine, or "" after success.
 * Lives until the next call on the engine. */
const char *parley_engine_errmsg(const parley_engine *engine);
/* The result code of the last call on this engine. */
int parley_engine_errcode(const parley_engine *engine);

/* ------------------------------------------------------------------------
 * Stages: the registry
 * ---------------------------------------------------------------------- */
typedef enum parley_stage_kind {
  PARLEY_STAGE_WEIGHTING = 0,
  PARLEY_STAGE_NORMALIZATION = 1,
  PARLEY_STAGE_AGGREGATION = 2,
  PARLEY_STAGE_RULE = 3,
  PARLEY_STAGE_ANALYSIS = 4,
  PARLEY_STAGE_FORMAT = 5,
  PARLEY_STAGE_SCENARIOS = 6,
  PARLEY_STAGE_KINDS = 7
} parley_stage_kind;

/* "weighting", "normalization", ... Static storage; NULL if out of range. */
const char *parley_stage_kind_name(parley_stage_kind kind);

typedef struct parley_stage_info {
  parley_stage_kind kind;
  const char *name;    /* "topsis" */
  const char *summary; /* one line */
  const char *params;  /* "alpha=0.5 in [0,1]", "" when none */
  const char *source;  /* "built-in" or a plugin file */
} parley_stage_info;

/* Number of registered stages of one kind (kind < 0: of every kind). */
size_t parley_stage_count(const parley_engine *engine, int kind);
/* The i-th stage of that kind, in name order.  Fields live as long as the
 * engine.  Returns PARLEY_ENOTFOUND past the end. */
int parley_stage_get(const parley_engine *engine, int kind, size_t i, parley_stage_info *out);

/* ------------------------------------------------------------------------
 * Plugins (docs/plugins.md)
 *
 * A plugin is a Lua 5.4 file returning {api = 1, kind = ..., name = ...}.
 * Loaded plugins join the registry above: a weighting plugin is a stage of
 * kind PARLEY_STAGE_WEIGHTING, a format plugin one of PARLEY_STAGE_FORMAT,
 * a scenario generator one of PARLEY_STAGE_SCENARIOS, reached by name like
 * the built-in stages.  Loading a stage of the same kind and name as an
 * earlier one replaces it.  Plugins run in one sandboxed Lua state per
 * engine, each call under the limits below; a breach or a Lua error fails
 * that call with a message "plugin FILE:LINE: ..." and leaves the engine
 * usable.
 * ---------------------------------------------------------------------- */
typedef struct parley_plugin_options {
  int version;           /* PARLEY_PLUGIN_OPTIONS_VERSION */
  uint64_t instructions; /* Lua instructions per call; 0: 100000000 */
  size_t memory;         /* bytes the plugin state may hold; 0: 256 MiB */
  double seconds;        /* wall-clock seconds per call; 0: 10 */
  uint64_t seed;         /* math.random in a plugin is seeded from this and the
                            plugin's name at the start of every call */
} parley_plugin_options;

#define PARLEY_PLUGIN_OPTIONS_VERSION 1
#define PARLEY_PLUGIN_OPTIONS_INIT { PARLEY_PLUGIN_OPTIONS_VERSION, 0, 0, 0.0, 0 }

/* Sets the limits and seed of the engine's plugin calls.  opts NULL: the
 * defaults. */
int parley_engine_set_plugin_options(parley_engine *engine, const parley_plugin_options *opts);

/* Loads one plugin file, or every *.lua file under a directory (its
 * sub-directories too, in path order).  A missing or wrong api, an unknown
 * kind, a missing function or a Lua error while loading is an error naming
 * the file; the plugins loaded before it stay. */
int parley_plugins_load(parley_engine *engine, const char *path);

/* Loads the shipped plugins (the install's share/parley/plugins, found next
 * to the library, or the source tree's plugins/ in a build tree), then
 * each directory of $PARLEY_PLUGIN_PATH (':'-separated) in order; an empty
 * entry or a directory that does not exist is skipped. */
int parley_plugins_load_default(parley_engine *engine);

/* The directory of the shipped plugins into out[n] (NUL-terminated).
 * PARLEY_ENOTFOUND when there is none, PARLEY_EUSAGE when n is too small. */
int parley_plugins_shipped_dir(char *out, size_t n);

/* ------------------------------------------------------------------------
 * Models
 * ---------------------------------------------------------------------- */
typedef struct parley_model parley_model;

typedef enum parley_direction { PARLEY_MAX = 1, PARLEY_MIN = -1 } parley_direction;

typedef enum parley_dist_kind {
  PARLEY_DIST_NONE = 0,
  PARLEY_DIST_NORMAL,     /* a = mean, b = sd */
  PARLEY_DIST_UNIFORM,    /* a = min, b = max */
  PARLEY_DIST_TRIANGULAR, /* a = min, b = mode, c = max */
  PARLEY_DIST_PERT,       /* a = min, b = mode, c = max */
  PARLEY_DIST_LOGNORMAL,  /* a = mu, b = sigma (of the underlying normal) */
  PARLEY_DIST_DISCRETE    /* values[n] with probabilities p[n] */
} parley_dist_kind;

typedef struct parley_dist {
  parley_dist_kind kind;
  double a, b, c;
  const double *values; /* DISCRETE only; copied by the model */
  const double *p;      /* DISCRETE only; copied by the model */
  size_t n;
} parley_dist;

/* The mean of a distribution (what a deterministic run uses).  Checks the
 * parameters first: PARLEY_EINVALID for sd < 0, min > max, probabilities
 * that are negative or do not sum to 1 within 1e-9, non-finite numbers. */
int parley_dist_mean(const parley_dist *dist, double *out);

/* Reads a model file (JSON, format 1).  A relative {"csv": ...} outcome file
 * is taken relative to the model file.  *out is owned by the caller. */
int parley_model_load(parley_engine *engine, parley_model **out, const char *path);
/* Reads a model from JSON text.  name names the text in messages; base_dir
 * resolves relative CSV paths (NULL: the working directory). */
int parley_model_parse(parley_engine *engine, parley_model **out, const char *text,
                       size_t len, const char *name, const char *base_dir);

/* An empty model to fill through the calls below.  Add criteria, strategies,
 * scenarios and actors first: the first outcome set fixes the dimensions,
 * after which adding one is PARLEY_EUSAGE.  With no scenario added the model
 * has the one implicit scenario "base" of probability 1. */
int parley_model_new(parley_engine *engine, parley_model **out, const char *name);
/* Drops the caller's reference; the model goes when no result holds it. */
void parley_model_free(parley_model *model);

/* weight: NaN when not given.  name may be NULL (the id is used). */
int parley_model_add_criterion(parley_model *model, const char *id, const char *name,
                               parley_direction direction, double weight);
/* Fixed range of a criterion, used by minmax normalization instead of the
 * observed range. */
int parley_model_set_scale(parley_model *model, const char *criterion, double lo, double hi);
int parley_model_add_strategy(parley_model *model, const char *id, const char *name);
/* probability: NaN when not given; either every scenario has one or none. */
int parley_model_add_scenario(parley_model *model, const char *id, const char *name,
                              double probability);
/* influence: NaN for the default 1. */
int parley_model_add_actor(parley_model *model, const char *id, const char *name,
                           double influence);
int parley_model_set_actor_weight(parley_model *model, const char *actor,
                                  const char *criterion, double weight);
/* scenario is NULL when the model has no scenarios. */
int parley_model_set_outcome(parley_model *model, const char *strategy, const char *scenario,
                             const char *criterion, double value);
int parley_model_set_outcome_dist(parley_model *model, const char *strategy,
                                  const char *scenario, const char *criterion,
                                  const parley_dist *dist);
/* The model's own pipeline stage, as on the command line: "hurwicz:alpha=0.6". */
int parley_model_set_stage(parley_model *model, parley_stage_kind kind, const char *spec);
/* Checks that the model is complete (every cell set, probabilities sum to 1,
 * every actor weighs every criterion) before it is run; parley_run calls it. */
int parley_model_check(parley_model *model);

typedef enum parley_entity {
  PARLEY_CRITERIA = 0,
  PARLEY_STRATEGIES = 1,
  PARLEY_SCENARIOS = 2,
  PARLEY_ACTORS = 3
} parley_entity;

/* Counts and ids.  The implicit scenario "base" counts as one scenario. */
size_t parley_model_count(const parley_model *model, parley_entity what);
const char *parley_model_id(const parley_model *model, parley_entity what, size_t i);
const char *parley_model_name(const parley_model *model);
/* The model's free-text description (the model file's "description"), or
 * NULL.  The setter copies the text; NULL clears it. */
const char *parley_model_description(const parley_model *model);
int parley_model_set_description(parley_model *model, const char *description);
/* The value a deterministic run uses (a distribution's mean).  NaN when not set. */
double parley_model_outcome(const parley_model *model, size_t strategy, size_t scenario,
                            size_t criterion);

/* ------------------------------------------------------------------------
 * Runs
 * ---------------------------------------------------------------------- */
typedef struct parley_result parley_result;

/* Progress of a long analysis: called from the thread that called
 * parley_run, about ten times a second at most, with the iterations done
 * of total.  Returning nonzero stops the analysis: the result then carries
 * the iterations done so far, flagged "partial". */
typedef int (*parley_progress_fn)(void *ud, const char *analysis, uint64_t done, uint64_t total);

typedef struct parley_run_options {
  int version; /* PARLEY_RUN_OPTIONS_VERSION */
  /* Stage specs ("NAME" or "NAME:key=value,..."); NULL keeps the model's
   * own pipeline, and failing that the default (given, minmax, wsm,
   * expected when probabilities are given, laplace otherwise). */
  const char *stage[PARLEY_STAGE_KINDS];
  /* Analyses to run ("evpi", ...): an array of n_analyses specs. */
  const char *const *analyses;
  size_t n_analyses;
  uint64_t seed; /* for the analyses that draw random numbers */
  int threads;   /* 0: as many as the machine has */
  /* Version 2: */
  parley_progress_fn progress; /* NULL: none */
  void *progress_ud;
} parley_run_options;

#define PARLEY_RUN_OPTIONS_VERSION 2
#define PARLEY_RUN_OPTIONS_INIT { PARLEY_RUN_OPTIONS_VERSION, { 0 }, NULL, 0, 0, 0, NULL, NULL }

/* Runs the model through the pipeline.  opts may be NULL.  *out is owned by
 * the caller: parley_result_free(). */
int parley_run(parley_engine *engine, parley_model *model, const parley_run_options *opts,
               parley_result **out);
void parley_result_free(parley_result *result);

/* Writes the result in a format ("json" per the result document format 1,
 * "text" for people).  *out is a NUL-terminated string owned by the caller
 * (parley_free); *len, if not NULL, gets its length. */
int parley_result_format(parley_engine *engine, const parley_result *result,
                         const char *format, char **out, size_t *len);

/* Reading a result.  Indices are those of the model (parley_model_id). */
const parley_model *parley_result_model(const parley_result *result);
/* 1 when a higher score is better (order "descending"), 0 when lower is. */
int parley_result_higher_is_better(const parley_result *result);
/* The i-th place of the ranking, best first: strategy index, score, rank
 * (ties share a rank: 1, 2, 2, 4).  PARLEY_ENOTFOUND past the end. */
int parley_result_ranking(const parley_result *result, size_t i, size_t *strategy,
                          double *score, int *rank);
/* The strategy's score under the decision rule. */
double parley_result_score(const parley_result *result, size_t strategy);
/* The weight the run used for a criterion (they sum to 1). */
double parley_result_weight(const parley_result *result, size_t criterion);
/* The utility of a strategy under a scenario (aggregation's output). */
double parley_result_utility(const parley_result *result, size_t strategy, size_t scenario);
/* The stage spec the run used, canonical ("hurwicz:alpha=0.6"). */
const char *parley_result_stage(const parley_result *result, parley_stage_kind kind);
/* Value of information, when scenarios have probabilities.  Returns
 * PARLEY_ENOTFOUND when it was not computed. */
int parley_result_evpi(const parley_result *result, double *expected_value,
                       double *expected_value_perfect_information, double *evpi);
/* An actor's ranking: as parley_result_ranking, for actor a. */
int parley_result_actor_ranking(const parley_result *result, size_t actor, size_t i,
                                size_t *strategy, double *score, int *rank);
/* Kendall's tau-b between the rankings of actors a and b (1 = same order). */
double parley_result_actor_tau(const parley_result *result, size_t a, size_t b);
/* The output of an analysis ("montecarlo", "smaa", "sensitivity", ...) as
 * the JSON object text the result document carries under "analyses", or
 * NULL when it was not run.  Lives as long as the result. */
const char *parley_result_analysis(const parley_result *result, const char *name);
/* The section an analysis wrote for the text report, or NULL when it was
 * not run or wrote none.  Lives as long as the result. */
const char *parley_result_analysis_text(const parley_result *result, const char *name);

#ifdef __cplusplus
}
#endif
#endif /* PARLEY_H */
