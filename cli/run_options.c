/*
 * run_options.c — the options that run, compare and batch share (the
 * stages, --analysis, --format, --output, --seed, --threads and the plugin
 * options; validate takes --seed and the plugin ones), read in one place so
 * that each command takes them alike and says the same about a bad value.
 * A command's own options, and the checks that need every option first,
 * stay with the command.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cli_run_args_init(cli_run_args *r) {
  memset(r, 0, sizeof *r);
  cli_plugin_args_init(&r->plugins);
}

void cli_run_args_free(cli_run_args *r) {
  free(r->analyses);
  r->analyses = NULL;
  r->n_analyses = 0;
  cli_plugin_args_free(&r->plugins);
}

int cli_run_option(cli_run_args *r, const char *cmd, int id, const char *v) {
  switch (id) {
  case CLI_O_WEIGHTING: r->stage[PARLEY_STAGE_WEIGHTING] = v; return CLI_OK;
  case CLI_O_NORMALIZATION: r->stage[PARLEY_STAGE_NORMALIZATION] = v; return CLI_OK;
  case CLI_O_AGGREGATION: r->stage[PARLEY_STAGE_AGGREGATION] = v; return CLI_OK;
  case CLI_O_RULE: r->stage[PARLEY_STAGE_RULE] = v; return CLI_OK;
  case CLI_O_ANALYSIS: {
    const char **an = realloc(r->analyses, (r->n_analyses + 1) * sizeof *an);
    if (!an) {
      cli_error("out of memory");
      return CLI_FAILED;
    }
    an[r->n_analyses++] = v;
    r->analyses = an;
    return CLI_OK;
  }
  case CLI_O_FORMAT: r->format = v; return CLI_OK;
  case CLI_O_OUTPUT: r->output = v; return CLI_OK;
  case CLI_O_SEED:
    if (!cli_parse_u64(v, &r->seed))
      return cli_usage(cmd, "--seed: '%s' is not a whole number from 0 to 2^64-1", v);
    r->plugins.opts.seed = r->seed; /* math.random in the plugins repeats too */
    return CLI_OK;
  case CLI_O_THREADS:
    if (!cli_parse_nonneg_int(v, &r->threads))
      return cli_usage(cmd, "--threads: '%s' is not a whole number from 0 up", v);
    return CLI_OK;
  default: return cli_plugin_option(&r->plugins, cmd, id, v);
  }
}

int cli_run_args_parse(cli_run_args *r, const char *cmd, const cli_opt *opts, int help_id,
                       int argc, char **argv, const char **model, bool *help) {
  cli_args a;
  cli_args_init(&a, argc, argv, 2, cmd);
  for (;;) {
    int id;
    const char *v;
    int kind = cli_args_next(&a, opts, &id, &v);
    if (kind == CLI_ARG_END) return CLI_OK;
    if (kind == CLI_ARG_ERROR) return CLI_USAGE;
    if (kind == CLI_ARG_POSITIONAL) {
      if (*model) return cli_usage(cmd, "%s takes one MODEL, but got '%s' as well", cmd, v);
      *model = v;
    } else if (id == help_id) {
      *help = true;
    } else {
      int st = cli_run_option(r, cmd, id, v);
      if (st != CLI_OK) return st;
    }
  }
}

void cli_run_options_set(parley_run_options *o, const cli_run_args *r) {
  for (int k = 0; k < PARLEY_STAGE_KINDS; k++) o->stage[k] = r->stage[k];
  o->analyses = r->analyses;
  o->n_analyses = r->n_analyses;
  o->seed = r->seed;
  o->threads = r->threads;
}
