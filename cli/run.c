/*
 * run.c — `parley run` and `parley validate`: read the options, load the
 * model through the public API, run it, write the result.  The stage
 * options are passed to the library as the user typed them; the library
 * parses and checks them against its registry and names the option in its
 * message ("--rule: ..."), so the program holds no list of stages or
 * parameters of its own.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints the engine's message for a failed call and gives the exit status. */
static int report(const parley_engine *engine, int code) {
  const char *msg = parley_engine_errmsg(engine);
  cli_error("%s", msg && *msg ? msg : parley_code_name(code));
  return cli_exit_for(code);
}

/* Reads all of standard input; NULL on failure (reported). */
static char *read_stdin(size_t *len) {
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  if (!buf) {
    cli_error("out of memory reading standard input");
    return NULL;
  }
  for (;;) {
    if (n == cap) {
      char *b = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
      if (!b) {
        free(buf);
        cli_error("out of memory reading standard input");
        return NULL;
      }
      buf = b;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n, stdin);
    n += got;
    if (got == 0) break;
  }
  if (ferror(stdin)) {
    free(buf);
    cli_error("cannot read the model from standard input");
    return NULL;
  }
  *len = n;
  return buf;
}

int cli_load_model(parley_engine *engine, parley_model **out, const char *path) {
  *out = NULL;
  if (strcmp(path, "-") != 0) {
    int rc = parley_model_load(engine, out, path);
    if (rc != PARLEY_OK) report(engine, rc);
    return rc;
  }
  size_t len = 0;
  char *text = read_stdin(&len);
  if (!text) return PARLEY_EIO;
  int rc = parley_model_parse(engine, out, text, len, "<stdin>", NULL);
  free(text);
  if (rc != PARLEY_OK) report(engine, rc);
  return rc;
}

/* ---- run ------------------------------------------------------------------ */
enum {
  O_WEIGHTING,
  O_NORMALIZATION,
  O_AGGREGATION,
  O_RULE,
  O_ANALYSIS,
  O_FORMAT,
  O_OUTPUT,
  O_SEED,
  O_THREADS,
  O_HELP
};

static const cli_opt run_opts[] = {
    {"--weighting", true, O_WEIGHTING}, {"--normalization", true, O_NORMALIZATION},
    {"--aggregation", true, O_AGGREGATION}, {"--rule", true, O_RULE},
    {"--analysis", true, O_ANALYSIS},   {"--plugins", true, CLI_O_PLUGINS},
    {"--format", true, O_FORMAT},       {"--output", true, O_OUTPUT},
    {"--seed", true, O_SEED},           {"--threads", true, O_THREADS},
    {"--help", false, O_HELP},          {"-h", false, O_HELP},
    {"--plugin-instructions", true, CLI_O_PLUGIN_INSTRUCTIONS},
    {"--plugin-memory", true, CLI_O_PLUGIN_MEMORY},
    {"--plugin-seconds", true, CLI_O_PLUGIN_SECONDS},
    {NULL, false, 0}};

typedef struct run_args {
  const char *model;
  const char *stage[PARLEY_STAGE_KINDS];
  const char **analyses;
  size_t n_analyses;
  cli_plugin_args plugins;
  const char *format;
  const char *output;
  uint64_t seed;
  int threads;
  bool help;
} run_args;

/* Fills ra from the arguments after "run"; CLI_OK or an exit status. */
static int parse_run(run_args *ra, int argc, char **argv) {
  cli_args a;
  cli_args_init(&a, argc, argv, 2, "run");
  ra->format = "text";
  for (;;) {
    int id;
    const char *v;
    int kind = cli_args_next(&a, run_opts, &id, &v);
    if (kind == CLI_ARG_END) break;
    if (kind == CLI_ARG_ERROR) return CLI_USAGE;
    if (kind == CLI_ARG_POSITIONAL) {
      if (ra->model) return cli_usage("run", "run takes one MODEL, but got '%s' as well", v);
      ra->model = v;
      continue;
    }
    switch (id) {
    case O_WEIGHTING: ra->stage[PARLEY_STAGE_WEIGHTING] = v; break;
    case O_NORMALIZATION: ra->stage[PARLEY_STAGE_NORMALIZATION] = v; break;
    case O_AGGREGATION: ra->stage[PARLEY_STAGE_AGGREGATION] = v; break;
    case O_RULE: ra->stage[PARLEY_STAGE_RULE] = v; break;
    case O_ANALYSIS: {
      const char **an = realloc(ra->analyses, (ra->n_analyses + 1) * sizeof *an);
      if (!an) {
        cli_error("out of memory");
        return CLI_FAILED;
      }
      an[ra->n_analyses++] = v;
      ra->analyses = an;
      break;
    }
    case CLI_O_PLUGINS:
    case CLI_O_PLUGIN_INSTRUCTIONS:
    case CLI_O_PLUGIN_MEMORY:
    case CLI_O_PLUGIN_SECONDS: {
      int st = cli_plugin_option(&ra->plugins, "run", id, v);
      if (st != CLI_OK) return st;
      break;
    }
    case O_FORMAT: ra->format = v; break;
    case O_OUTPUT: ra->output = v; break;
    case O_SEED:
      if (!cli_parse_u64(v, &ra->seed))
        return cli_usage("run", "--seed: '%s' is not a whole number from 0 to 2^64-1", v);
      ra->plugins.opts.seed = ra->seed;
      break;
    case O_THREADS:
      if (!cli_parse_nonneg_int(v, &ra->threads))
        return cli_usage("run", "--threads: '%s' is not a whole number from 0 up", v);
      break;
    case O_HELP: ra->help = true; break;
    default: break;
    }
  }
  if (ra->help) return CLI_OK;
  if (!ra->model) return cli_usage("run", "run needs a MODEL file");
  if (ra->output && !*ra->output) return cli_usage("run", "--output needs a file name");
  return CLI_OK;
}

/* json and text are built into the library; plugins may register more.
 * format is "NAME" or "NAME:key=value,...".  known[] gets the names. */
static bool known_format(const parley_engine *engine, const char *format, char *known,
                         size_t cap) {
  size_t name_len = strcspn(format, ":");
  size_t n = parley_stage_count(engine, PARLEY_STAGE_FORMAT), len = 0;
  bool found = false;
  known[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    parley_stage_info info;
    if (parley_stage_get(engine, PARLEY_STAGE_FORMAT, i, &info) != PARLEY_OK) break;
    if (strlen(info.name) == name_len && strncmp(info.name, format, name_len) == 0) found = true;
    if (len < cap) len += (size_t)snprintf(known + len, cap - len, "%s%s", i ? ", " : "", info.name);
  }
  return found;
}

static int run_model(parley_engine *engine, const run_args *ra) {
  /* Checked before the run, which may be long, rather than after it. */
  char known[512];
  if (!known_format(engine, ra->format, known, sizeof known))
    return cli_usage("run", "unknown format '%s' (known: %s)", ra->format, known);

  parley_model *model = NULL;
  int rc = cli_load_model(engine, &model, ra->model);
  if (rc != PARLEY_OK) return cli_exit_for(rc);

  parley_run_options opts = PARLEY_RUN_OPTIONS_INIT;
  for (int k = 0; k < PARLEY_STAGE_KINDS; k++) opts.stage[k] = ra->stage[k];
  opts.analyses = ra->analyses;
  opts.n_analyses = ra->n_analyses;
  opts.seed = ra->seed;
  opts.threads = ra->threads;
  cli_progress progress;
  cli_progress_init(&progress, false);
  opts.progress = cli_progress_cb;
  opts.progress_ud = &progress;

  parley_result *result = NULL;
  cli_interrupt_install();
  rc = parley_run(engine, model, &opts, &result);
  cli_interrupt_restore();
  cli_progress_end(&progress);
  parley_model_free(model); /* the result keeps what it needs */
  if (rc != PARLEY_OK) return report(engine, rc);
  /* Stopped by Ctrl-C: the result is written, flagged partial, and the
   * run counts as failed. */
  bool partial = cli_interrupted();

  char *text = NULL;
  size_t len = 0;
  rc = parley_result_format(engine, result, ra->format, &text, &len);
  parley_result_free(result);
  if (rc != PARLEY_OK) return report(engine, rc);

  int status = ra->output ? cli_write_file(ra->output, text, len) : cli_write_stdout(text, len);
  parley_free(engine, text);
  if (status == CLI_OK && partial) {
    cli_error("interrupted: the analyses stopped early; their results are partial");
    status = CLI_FAILED;
  }
  return status;
}

int cli_run(int argc, char **argv) {
  run_args ra;
  memset(&ra, 0, sizeof ra);
  cli_plugin_args_init(&ra.plugins);
  int status = parse_run(&ra, argc, argv);
  parley_engine *engine = NULL;
  if (status == CLI_OK) status = cli_engine_start(&engine, &ra.plugins);
  if (status == CLI_OK) status = ra.help ? cli_help(engine, "run", false) : run_model(engine, &ra);
  parley_engine_free(engine);
  cli_plugin_args_free(&ra.plugins);
  free(ra.analyses);
  return status;
}

/* ---- validate ---------------------------------------------------------------- */
static const cli_opt validate_opts[] = {
    {"--help", false, O_HELP},
    {"-h", false, O_HELP},
    {"--plugins", true, CLI_O_PLUGINS},
    {"--plugin-instructions", true, CLI_O_PLUGIN_INSTRUCTIONS},
    {"--plugin-memory", true, CLI_O_PLUGIN_MEMORY},
    {"--plugin-seconds", true, CLI_O_PLUGIN_SECONDS},
    {"--seed", true, O_SEED},
    {NULL, false, 0}};

static const char *plural(size_t n, const char *one, const char *many) {
  return n == 1 ? one : many;
}

/* Loads and checks one model: PARLEY_OK, or the code of what failed (the
 * message is printed). */
static int validate_one(parley_engine *engine, const char *path) {
  parley_model *model = NULL;
  int rc = cli_load_model(engine, &model, path);
  if (rc != PARLEY_OK) return rc;
  rc = parley_model_check(model);
  if (rc != PARLEY_OK) {
    report(engine, rc);
  } else {
    size_t nc = parley_model_count(model, PARLEY_CRITERIA);
    size_t ns = parley_model_count(model, PARLEY_STRATEGIES);
    size_t nk = parley_model_count(model, PARLEY_SCENARIOS);
    size_t na = parley_model_count(model, PARLEY_ACTORS);
    printf("ok: %s (%zu %s, %zu %s, %zu %s, %zu %s)\n", path, nc,
           plural(nc, "criterion", "criteria"), ns, plural(ns, "strategy", "strategies"), nk,
           plural(nk, "scenario", "scenarios"), na, plural(na, "actor", "actors"));
  }
  parley_model_free(model);
  return rc;
}

int cli_validate(int argc, char **argv) {
  cli_args a;
  cli_args_init(&a, argc, argv, 2, "validate");
  const char **files = calloc((size_t)argc, sizeof *files);
  if (!files) {
    cli_error("out of memory");
    return CLI_FAILED;
  }
  size_t nfiles = 0;
  bool help = false;
  cli_plugin_args pa;
  cli_plugin_args_init(&pa);
  int status = CLI_OK;
  for (;;) {
    int id;
    const char *v;
    int kind = cli_args_next(&a, validate_opts, &id, &v);
    if (kind == CLI_ARG_END) break;
    if (kind == CLI_ARG_ERROR) {
      status = CLI_USAGE;
      break;
    }
    if (kind == CLI_ARG_POSITIONAL) {
      files[nfiles++] = v;
    } else if (id == O_HELP) {
      help = true;
    } else if (id == O_SEED) {
      if (!cli_parse_u64(v, &pa.opts.seed)) {
        status = cli_usage("validate", "--seed: '%s' is not a whole number from 0 to 2^64-1", v);
        break;
      }
    } else if ((status = cli_plugin_option(&pa, "validate", id, v)) != CLI_OK) {
      break;
    }
  }
  if (status == CLI_OK && help) status = cli_help(NULL, "validate", false);
  else if (status == CLI_OK && nfiles == 0)
    status = cli_usage("validate", "validate needs at least one MODEL file");
  parley_engine *engine = NULL;
  if (status == CLI_OK && !help) status = cli_engine_start(&engine, &pa);
  cli_plugin_args_free(&pa);
  if (status != CLI_OK || help) {
    free(files);
    return status;
  }
  /* Every file is checked, so one run reports all the bad ones. */
  bool bad_input = false, failed = false;
  for (size_t i = 0; i < nfiles; i++) {
    int rc = validate_one(engine, files[i]);
    if (rc == PARLEY_OK) continue;
    if (parley_is_input_error(rc))
      bad_input = true;
    else
      failed = true;
  }
  parley_engine_free(engine);
  free(files);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    cli_error("cannot write to standard output");
    return CLI_FAILED;
  }
  return failed ? CLI_FAILED : bad_input ? CLI_USAGE : CLI_OK;
}
