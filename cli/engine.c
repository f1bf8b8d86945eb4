/*
 * engine.c — starting the engine the way every command needs it: the
 * plugin options (--plugins DIR..., --plugin-instructions,
 * --plugin-memory, --plugin-seconds, --seed) parsed in one place, then the
 * shipped plugins, $PARLEY_PLUGIN_PATH and the --plugins directories loaded
 * in that order, so that a later one overrides an earlier one of the same
 * kind and name.
 */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cli_opt cli_plugin_opts[] = {CLI_PLUGIN_OPTS, {NULL, false, 0}};

void cli_plugin_args_init(cli_plugin_args *p) {
  memset(p, 0, sizeof *p);
  parley_plugin_options def = PARLEY_PLUGIN_OPTIONS_INIT;
  p->opts = def;
}

void cli_plugin_args_free(cli_plugin_args *p) {
  free(p->dirs);
  p->dirs = NULL;
  p->ndirs = 0;
}

int cli_plugin_option(cli_plugin_args *p, const char *cmd, int id, const char *v) {
  uint64_t n;
  switch (id) {
  case CLI_O_PLUGINS: {
    const char **d = realloc(p->dirs, (p->ndirs + 1) * sizeof *d);
    if (!d) {
      cli_error("out of memory");
      return CLI_FAILED;
    }
    d[p->ndirs++] = v;
    p->dirs = d;
    return CLI_OK;
  }
  case CLI_O_PLUGIN_INSTRUCTIONS:
    if (!cli_parse_u64(v, &n) || n == 0)
      return cli_usage(cmd, "--plugin-instructions: '%s' is not a whole number from 1 up", v);
    p->opts.instructions = n;
    return CLI_OK;
  case CLI_O_PLUGIN_MEMORY:
    if (!cli_parse_u64(v, &n) || n == 0 || n > ((uint64_t)SIZE_MAX >> 20))
      return cli_usage(cmd, "--plugin-memory: '%s' is not a number of MiB from 1 up", v);
    p->opts.memory = (size_t)n << 20;
    return CLI_OK;
  case CLI_O_PLUGIN_SECONDS: {
    char *end;
    double s = strtod(v, &end);
    if (!*v || *end || !isfinite(s) || !(s > 0) || s > 1e9)
      return cli_usage(cmd, "--plugin-seconds: '%s' is not a number of seconds above 0", v);
    p->opts.seconds = s;
    return CLI_OK;
  }
  default: return CLI_USAGE;
  }
}

int cli_engine_start(parley_engine **out, const cli_plugin_args *p) {
  *out = NULL;
  parley_engine *engine = NULL;
  if (parley_engine_new(&engine, NULL) != PARLEY_OK) {
    cli_error("cannot start the engine: out of memory");
    return CLI_FAILED;
  }
  int rc = parley_engine_set_plugin_options(engine, p ? &p->opts : NULL);
  if (rc == PARLEY_OK) rc = parley_plugins_load_default(engine);
  for (size_t i = 0; p && rc == PARLEY_OK && i < p->ndirs; i++)
    rc = parley_plugins_load(engine, p->dirs[i]);
  if (rc != PARLEY_OK) {
    const char *msg = parley_engine_errmsg(engine);
    cli_error("%s", msg && *msg ? msg : parley_code_name(rc));
    parley_engine_free(engine);
    return cli_exit_for(rc);
  }
  *out = engine;
  return CLI_OK;
}
