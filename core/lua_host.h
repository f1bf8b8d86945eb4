/*
 * lua_host.h — the engine's plugin host (core/lua_host.c): one sandboxed
 * Lua 5.4 state per engine, made on first use, holding every plugin the
 * engine loaded and running each call into Lua under the engine's limits
 * (instructions, memory, wall clock).  The registry sees a plugin as an
 * ordinary stage whose ud points at the plugin's record here.
 */
#ifndef PARLEY_LUA_HOST_H
#define PARLEY_LUA_HOST_H

#include "internal.h"

#include <cjson/cJSON.h>

/* Frees the host (closes the Lua state); called by parley_engine_free. */
void parley__host_free(parley_engine *e);

/* The adapter that runs a weighting plugin as a registry stage. */
int parley__lua_weighting(parley__ctx *ctx, double *w);

/* Runs a format plugin: *out (NUL-terminated, engine allocator) gets what
 * the plugin wrote.  params may be NULL. */
int parley__host_format(parley_engine *e, const parley__stage *st, const parley__spec *params,
                        const parley_result *r, char **out, size_t *len);

/* Scenarios from a generator plugin, added to m (which has its criteria and
 * strategies).  params is the model file's generator object (its
 * "generator" key is skipped); base_dir resolves the files the plugin reads
 * (NULL: the working directory).  When the generator gives outcomes too,
 * *vals gets them ([(k * ns + s) * nc + c], NaN where not given; engine
 * allocator, the caller frees); otherwise *vals is NULL.  what names the
 * place in messages ("model.json: scenarios"), NULL for none. */
int parley__host_scenarios(parley_engine *e, const parley__stage *st, parley_model *m,
                           const cJSON *params, const char *base_dir, const char *what,
                           double **vals);

/* Fills every cell of m's cube from a Lua outcome file (the model file's
 * "outcomes": {"lua": FILE}): FILE returns a table with a function
 * outcome(strategy, scenario) -> {criterion = value, ...}.  m is frozen.
 * what prefixes messages as above. */
int parley__host_outcomes(parley_engine *e, parley_model *m, const char *path,
                          const char *what);

#endif /* PARLEY_LUA_HOST_H */
