/*
 * help.c — `parley help [COMMAND]`.  The texts are written here by hand,
 * except the lists of stages in `parley help run`, which come from the
 * engine's registry so that they always name what this build can run.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char overview[] =
    "\n"
    "usage:\n"
    "  parley run MODEL [options]    run a model through the scoring pipeline\n"
    "  parley validate MODEL...      check model files without running them\n"
    "  parley plugins [--kind K]     list the stages this engine can run\n"
    "  parley compare MODEL [opts]   compare the rankings of several methods\n"
    "  parley batch MODEL|FOLDER...  run many models or variants in parallel\n"
    "  parley SCRIPT.lua [ARGS...]   run a Lua script with the parley module\n"
    "  parley help [COMMAND]         help on a command\n"
    "  parley --version              print the version\n"
    "\n"
    "MODEL is a model file (JSON, format 1), or - for standard input.\n"
    "Exit status: 0 success, 1 a run failed, 2 bad usage or bad input.\n"
    "Run 'parley help run' for the options of run and the stages available.\n";

static const char run_text[] =
    "usage: parley run MODEL [options]\n"
    "\n"
    "Runs MODEL through the pipeline (weighting, normalization, aggregation,\n"
    "decision rule, ranking, analyses) and writes the result.  A stage given here\n"
    "overrides the model's \"pipeline\".  A stage is NAME or NAME:key=value,...\n"
    "(for example --rule hurwicz:alpha=0.6).  MODEL - reads standard input.\n"
    "\n"
    "options:\n"
    "  --weighting W       how the criteria are weighted\n"
    "  --normalization N   how each criterion's values are scaled\n"
    "  --aggregation A     how the criteria combine into one utility per scenario\n"
    "  --rule R            how a strategy's utilities become its score\n"
    "                      (--aggregation and --rule take a list A,B,...: A runs, and\n"
    "                      the analysis compare ranks by each and compares them)\n"
    "  --analysis X        an analysis to run as well (repeat for more), e.g. evpi\n"
    "  --plugins DIR       load the Lua plugins in DIR too (repeat for more)\n"
    "  --plugin-instructions N   a plugin call's instruction budget (default 1e8)\n"
    "  --plugin-memory MIB       the plugins' memory ceiling in MiB (default 256)\n"
    "  --plugin-seconds S        a plugin call's time limit (default 10)\n"
    "  --format F          json (the result document), text (the default) or a\n"
    "                      format plugin, NAME or NAME:key=value,...\n"
    "  --output FILE       write to FILE, whole or not at all, instead of stdout\n"
    "  --seed S            seed of the analyses and plugins that draw random numbers\n"
    "  --threads T         threads to use; 0 (the default) uses every core\n"
    "  -h, --help          this help\n"
    "An option's value may follow as the next argument or after '=' (--rule=maximin).\n"
    "If an option is given twice, the last one counts (--analysis adds up).\n";

static const char run_tail[] =
    "\n"
    "Run 'parley plugins' for what each stage does and the parameters it takes.\n"
    "\n"
    "examples:\n"
    "  parley run model.json\n"
    "  parley run model.json --rule maximin\n"
    "  parley run model.json --rule hurwicz:alpha=0.6 --analysis evpi \\\n"
    "             --format json --output result.json\n";

static const char validate_text[] =
    "usage: parley validate MODEL... [--plugins DIR]... [--seed S]\n"
    "\n"
    "Reads each model and checks it is complete (every outcome given, every id\n"
    "known, probabilities summing to 1, every actor weighing every criterion)\n"
    "without running it.  Prints one line per good model on stdout:\n"
    "  ok: FILE (N criteria, N strategies, N scenarios, N actors)\n"
    "and what is wrong with each bad one on stderr.  Exit status 2 when any\n"
    "model is bad, 1 when a check could not be done (out of memory), 0 otherwise.\n";

static const char plugins_text[] =
    "usage: parley plugins [--kind K] [--plugins DIR]...\n"
    "\n"
    "Lists the stages the engine can run, built in or from plugins: name, kind,\n"
    "summary, parameters (with defaults and ranges) and where each comes from.\n"
    "--kind K keeps one kind: weighting, normalization, aggregation, rule,\n"
    "analysis, format or scenarios.  Plugins come from the shipped plugins, then\n"
    "$PARLEY_PLUGIN_PATH, then each --plugins DIR; a later one replaces an earlier\n"
    "one of the same kind and name.\n";

static const char batch_text[] =
    "usage: parley batch [MODEL|FOLDER]... [--manifest FILE] [--sweep FILE [--model BASE]]\n"
    "                    [options]\n"
    "\n"
    "Runs many models, or variants of one, in parallel, and writes one line per job\n"
    "as each finishes (JSON Lines).  A FOLDER stands for every *.json file in it.\n"
    "--manifest FILE lists jobs, one JSON object a line:\n"
    "  {\"id\": \"a\", \"model\": \"a.json\", \"rule\": \"maximin\", \"analyses\": [\"evpi\"]}\n"
    "--sweep FILE lists JSON Merge Patches (RFC 7396), one a line, each applied to\n"
    "the base model (--model BASE, or the one MODEL given).\n"
    "\n"
    "options:\n"
    "  --weighting W, --normalization N, --aggregation A, --rule R, --analysis X\n"
    "                      as for run, for every job; a job's own stages win\n"
    "  --plugins DIR, --plugin-instructions N, --plugin-memory MIB, --plugin-seconds S\n"
    "                      as for run; the limits hold for each job\n"
    "  --seed S            seed of every job's analyses and plugins\n"
    "  --threads T         threads per job (default 1)\n"
    "  --jobs N            jobs run at once (default: one per core)\n"
    "  --output FILE       write the lines to FILE instead of stdout\n"
    "  --format F          jsonl (the default) or csv (id,strategy,rank,score)\n"
    "  --ordered           write the lines in job order, not as jobs finish\n"
    "  --resume            skip the jobs FILE has an ok line for; append the rest\n"
    "  --job-timeout S     a job running longer than S seconds is an error\n"
    "  --fsync-every N     sync FILE to disk every N lines (default 100; 0: at the end)\n"
    "  --quiet             no progress, and no summary when every job succeeded\n"
    "  -h, --help          this help\n"
    "\n"
    "A line: {\"id\", \"status\": \"ok\" or \"error\", \"input\", \"seconds\", \"result\" or\n"
    "\"error\": {\"code\", \"message\"}}.  Exit status: 0 every job succeeded, 1 some\n"
    "failed, 2 bad usage.  Sharding (--shard) is not available yet.\n";

static const char compare_text[] =
    "usage: parley compare MODEL --aggregation A,B,... [--rule R,...] [options]\n"
    "\n"
    "Ranks MODEL's strategies by each aggregation (and each rule) on the run's\n"
    "weights and compares the rankings: each method's ranks side by side with the\n"
    "Copeland and Borda compromise, then Spearman's rho, the weighted Spearman r_w,\n"
    "the WS coefficient (row: the reference ranking) and Kendall's tau-b between\n"
    "every two methods, and between the actors when the model has them.\n"
    "A list is cut at the commas before a stage name; a comma before key=value\n"
    "separates parameters: 'vikor:v=0.3,topsis' is two stages,\n"
    "'promethee2:exact_pairwise=1,functions={...}' one.\n"
    "\n"
    "options:\n"
    "  --aggregation A,B,...   the aggregations to compare (default: the model's)\n"
    "  --rule R,...            the decision rules to compare (default: the model's)\n"
    "  --weighting W           how the criteria are weighted\n"
    "  --normalization N       the scaling of the methods that read scaled values\n"
    "  --format F              text (the default) or json (the result document,\n"
    "                          with the comparison under analyses.compare)\n"
    "  --output FILE           write to FILE, whole or not at all, instead of stdout\n"
    "  --plugins DIR, --plugin-instructions N, --plugin-memory MIB,\n"
    "  --plugin-seconds S, --seed S, --threads T   as for run\n"
    "  -h, --help              this help\n"
    "\n"
    "example:\n"
    "  parley compare model.json --aggregation topsis,vikor,promethee2\n";

static const char help_text[] =
    "usage: parley help [COMMAND]\n"
    "\n"
    "Lua scripts: 'parley SCRIPT.lua ARGS...' runs SCRIPT with the standard\n"
    "library and the parley module (docs/scripting.md).\n"
    "\n"
    "Without COMMAND, an overview of the commands; with one (run, validate,\n"
    "plugins, compare, batch, help), its usage and options.\n";

/* "  weighting      critic, entropy, equal, given" for each kind that run
 * takes. */
static void stage_lists(FILE *out, parley_engine *engine) {
  static const parley_stage_kind kinds[] = {PARLEY_STAGE_WEIGHTING, PARLEY_STAGE_NORMALIZATION,
                                            PARLEY_STAGE_AGGREGATION, PARLEY_STAGE_RULE,
                                            PARLEY_STAGE_ANALYSIS};
  fputs("\nstages available:\n", out);
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    fprintf(out, "  %-15s", parley_stage_kind_name(kinds[k]));
    size_t n = parley_stage_count(engine, (int)kinds[k]);
    if (n == 0) fputs("(none)", out);
    for (size_t i = 0; i < n; i++) {
      parley_stage_info info;
      if (parley_stage_get(engine, (int)kinds[k], i, &info) != PARLEY_OK) break;
      fprintf(out, "%s%s", i ? ", " : "", info.name);
    }
    fputc('\n', out);
  }
  /* The formats built into the library, then any a plugin adds. */
  fprintf(out, "  %-15sjson, text", "format");
  size_t n = parley_stage_count(engine, PARLEY_STAGE_FORMAT);
  for (size_t i = 0; i < n; i++) {
    parley_stage_info info;
    if (parley_stage_get(engine, PARLEY_STAGE_FORMAT, i, &info) != PARLEY_OK) break;
    if (strcmp(info.name, "json") != 0 && strcmp(info.name, "text") != 0)
      fprintf(out, ", %s", info.name);
  }
  fputc('\n', out);
}

int cli_help(parley_engine *engine, const char *command, bool to_stderr) {
  FILE *out = to_stderr ? stderr : stdout;
  if (!command) {
    fprintf(out, "parley %s - decision analysis: rank strategies across criteria, scenarios "
                 "and actors\n",
            parley_version());
    fputs(overview, out);
  } else if (strcmp(command, "run") == 0) {
    fputs(run_text, out);
    if (engine) stage_lists(out, engine);
    fputs(run_tail, out);
  } else if (strcmp(command, "validate") == 0) {
    fputs(validate_text, out);
  } else if (strcmp(command, "plugins") == 0) {
    fputs(plugins_text, out);
  } else if (strcmp(command, "compare") == 0) {
    fputs(compare_text, out);
  } else if (strcmp(command, "batch") == 0) {
    fputs(batch_text, out);
  } else if (strcmp(command, "help") == 0) {
    fputs(help_text, out);
  } else {
    return cli_usage(NULL, "no help on '%s': not a command (commands: run, validate, plugins, "
                           "compare, batch, help)",
                     command);
  }
  if (fflush(out) != 0 || ferror(out)) {
    cli_error("cannot write the help text");
    return CLI_FAILED;
  }
  return CLI_OK;
}
