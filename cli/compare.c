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

enum { O_HELP }; /* the options of a run are CLI_O_* (cli.h) */

static const cli_opt compare_opts[] = {
    CLI_STAGE_OPTS,
    CLI_RUN_OPTS,
    {"--help", false, O_HELP},
    {"-h", false, O_HELP},
    CLI_PLUGIN_OPTS,
    {NULL, false, 0}};

typedef struct compare_args {
  const char *model;
  cli_run_args run;
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
  ca->run.format = "text";
  int st = cli_run_args_parse(&ca->run, "compare", compare_opts, O_HELP, argc, argv, &ca->model,
                              &ca->help);
  if (st != CLI_OK || ca->help) return st;
  if (!ca->model) return cli_usage("compare", "compare needs a MODEL file");
  if (!ca->run.stage[PARLEY_STAGE_AGGREGATION] && !ca->run.stage[PARLEY_STAGE_RULE])
    return cli_usage("compare", "compare needs the methods to compare: --aggregation A,B,... "
                                "and/or --rule R,...");
  if (strcmp(ca->run.format, "text") != 0 && strcmp(ca->run.format, "json") != 0)
    return cli_usage("compare", "--format: '%s' is not a format of compare (text or json)",
                     ca->run.format);
  if (ca->run.output && !*ca->run.output)
    return cli_usage("compare", "--output needs a file name");
  return CLI_OK;
}

static int compare_model(parley_engine *engine, const compare_args *ca) {
  parley_model *model = NULL;
  int rc = cli_load_model(engine, &model, ca->model);
  if (rc != PARLEY_OK) return cli_exit_for(rc);

  /* The comparison only: the model's own analyses are not run. */
  static const char *const analyses[] = {"compare"};
  parley_run_options opts = PARLEY_RUN_OPTIONS_INIT;
  cli_run_options_set(&opts, &ca->run);
  opts.analyses = analyses;
  opts.n_analyses = 1;
  parley_result *result = NULL;
  rc = parley_run(engine, model, &opts, &result);
  parley_model_free(model); /* the result keeps what it needs */
  if (rc != PARLEY_OK) return report(engine, rc);

  int status;
  const char *output = ca->run.output;
  if (strcmp(ca->run.format, "json") == 0) {
    char *text = NULL;
    size_t len = 0;
    rc = parley_result_format(engine, result, "json", &text, &len);
    if (rc != PARLEY_OK) {
      parley_result_free(result);
      return report(engine, rc);
    }
    status = output ? cli_write_file(output, text, len) : cli_write_stdout(text, len);
    parley_free(engine, text);
  } else {
    const char *text = parley_result_analysis_text(result, "compare");
    if (!text) {
      cli_error("the comparison wrote no report");
      status = CLI_FAILED;
    } else {
      size_t len = strlen(text);
      status = output ? cli_write_file(output, text, len) : cli_write_stdout(text, len);
    }
  }
  parley_result_free(result);
  return status;
}

int cli_compare(int argc, char **argv) {
  compare_args ca;
  memset(&ca, 0, sizeof ca);
  cli_run_args_init(&ca.run);
  int status = parse_compare(&ca, argc, argv);
  parley_engine *engine = NULL;
  if (status == CLI_OK && ca.help) status = cli_help(NULL, "compare", false);
  else if (status == CLI_OK && (status = cli_engine_start(&engine, &ca.run.plugins)) == CLI_OK)
    status = compare_model(engine, &ca);
  parley_engine_free(engine);
  cli_run_args_free(&ca.run);
  return status;
}
