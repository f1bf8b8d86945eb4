/*
 * compare.c — `parley compare MODEL --aggregation A,B,C [--rule R,...]`:
 * runs the model once with the analysis "compare" and writes the
 * comparison: the strategies ranked by each method side by side with the
 * Copeland and Borda compromise, then the similarity matrices (Spearman,
 * weighted Spearman, WS, Kendall), as the library's text section; or the
 * whole result document with --format json.  The stage lists are passed to
 * the library as typed: it cuts them into stages (docs/cli.md, "Several
 * stages at once") and names the option in its messages.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_WEIGHTING, O_NORMALIZATION, O_AGGREGATION, O_RULE, O_FORMAT, O_OUTPUT, O_SEED,
       O_THREADS, O_HELP };

static const cli_opt compare_opts[] = {
    {"--weighting", true, O_WEIGHTING}, {"--normalization", true, O_NORMALIZATION},
    {"--aggregation", true, O_AGGREGATION}, {"--rule", true, O_RULE},
    {"--format", true, O_FORMAT},       {"--output", true, O_OUTPUT},
    {"--seed", true, O_SEED},           {"--threads", true, O_THREADS},
    {"--help", false, O_HELP},          {"-h", false, O_HELP},
    {"--plugins", true, CLI_O_PLUGINS},
    {"--plugin-instructions", true, CLI_O_PLUGIN_INSTRUCTIONS},
    {"--plugin-memory", true, CLI_O_PLUGIN_MEMORY},
    {"--plugin-seconds", true, CLI_O_PLUGIN_SECONDS},
    {NULL, false, 0}};

typedef struct compare_args {
  const char *model;
  const char *stage[PARLEY_STAGE_KINDS];
  cli_plugin_args plugins;
  const char *format;
  const char *output;
  uint64_t seed;
  int threads;
  bool help;
} compare_args;

/* Prints the engine's message for a failed call and gives the exit status. */
static int report(const parley_engine *engine, int code) {
  const char *msg = parley_engine_errmsg(engine);
  cli_error("%s", msg && *msg ? msg : parley_code_name(code));
  return cli_exit_for(code);
}

/* Fills ca from the arguments after "compare"; CLI_OK or an exit status. */
static int parse_compare(compare_args *ca, int argc, char **argv) {
  cli_args a;
  cli_args_init(&a, argc, argv, 2, "compare");
  ca->format = "text";
  for (;;) {
    int id;
    const char *v;
    int kind = cli_args_next(&a, compare_opts, &id, &v);
    if (kind == CLI_ARG_END) break;
    if (kind == CLI_ARG_ERROR) return CLI_USAGE;
    if (kind == CLI_ARG_POSITIONAL) {
      if (ca->model)
        return cli_usage("compare", "compare takes one MODEL, but got '%s' as well", v);
      ca->model = v;
      continue;
    }
    switch (id) {
    case O_WEIGHTING: ca->stage[PARLEY_STAGE_WEIGHTING] = v; break;
    case O_NORMALIZATION: ca->stage[PARLEY_STAGE_NORMALIZATION] = v; break;
    case O_AGGREGATION: ca->stage[PARLEY_STAGE_AGGREGATION] = v; break;
    case O_RULE: ca->stage[PARLEY_STAGE_RULE] = v; break;
    case O_FORMAT: ca->format = v; break;
    case O_OUTPUT: ca->output = v; break;
    case O_SEED:
      if (!cli_parse_u64(v, &ca->seed))
        return cli_usage("compare", "--seed: '%s' is not a whole number from 0 to 2^64-1", v);
      ca->plugins.opts.seed = ca->seed;
      break;
    case O_THREADS:
      if (!cli_parse_nonneg_int(v, &ca->threads))
        return cli_usage("compare", "--threads: '%s' is not a whole number from 0 up", v);
      break;
    case O_HELP: ca->help = true; break;
    default: {
      int st = cli_plugin_option(&ca->plugins, "compare", id, v);
      if (st != CLI_OK) return st;
      break;
    }
    }
  }
  if (ca->help) return CLI_OK;
  if (!ca->model) return cli_usage("compare", "compare needs a MODEL file");
  if (!ca->stage[PARLEY_STAGE_AGGREGATION] && !ca->stage[PARLEY_STAGE_RULE])
    return cli_usage("compare", "compare needs the methods to compare: --aggregation A,B,... "
                                "and/or --rule R,...");
  if (strcmp(ca->format, "text") != 0 && strcmp(ca->format, "json") != 0)
    return cli_usage("compare", "--format: '%s' is not a format of compare (text or json)",
                     ca->format);
  if (ca->output && !*ca->output) return cli_usage("compare", "--output needs a file name");
  return CLI_OK;
}

static int compare_model(parley_engine *engine, const compare_args *ca) {
  parley_model *model = NULL;
  int rc = cli_load_model(engine, &model, ca->model);
  if (rc != PARLEY_OK) return cli_exit_for(rc);

  /* The comparison only: the model's own analyses are not run. */
  static const char *const analyses[] = {"compare"};
  parley_run_options opts = PARLEY_RUN_OPTIONS_INIT;
  for (int k = 0; k < PARLEY_STAGE_KINDS; k++) opts.stage[k] = ca->stage[k];
  opts.analyses = analyses;
  opts.n_analyses = 1;
  opts.seed = ca->seed;
  opts.threads = ca->threads;
  parley_result *result = NULL;
  rc = parley_run(engine, model, &opts, &result);
  parley_model_free(model); /* the result keeps what it needs */
  if (rc != PARLEY_OK) return report(engine, rc);

  int status;
  if (strcmp(ca->format, "json") == 0) {
    char *text = NULL;
    size_t len = 0;
    rc = parley_result_format(engine, result, "json", &text, &len);
    if (rc != PARLEY_OK) {
      parley_result_free(result);
      return report(engine, rc);
    }
    status = ca->output ? cli_write_file(ca->output, text, len) : cli_write_stdout(text, len);
    parley_free(engine, text);
  } else {
    const char *text = parley_result_analysis_text(result, "compare");
    if (!text) {
      cli_error("the comparison wrote no report");
      status = CLI_FAILED;
    } else {
      size_t len = strlen(text);
      status = ca->output ? cli_write_file(ca->output, text, len) : cli_write_stdout(text, len);
    }
  }
  parley_result_free(result);
  return status;
}

int cli_compare(int argc, char **argv) {
  compare_args ca;
  memset(&ca, 0, sizeof ca);
  cli_plugin_args_init(&ca.plugins);
  int status = parse_compare(&ca, argc, argv);
  parley_engine *engine = NULL;
  if (status == CLI_OK && ca.help) status = cli_help(NULL, "compare", false);
  else if (status == CLI_OK && (status = cli_engine_start(&engine, &ca.plugins)) == CLI_OK)
    status = compare_model(engine, &ca);
  parley_engine_free(engine);
  cli_plugin_args_free(&ca.plugins);
  return status;
}
