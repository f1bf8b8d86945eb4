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
enum { O_HELP }; /* the options of a run are CLI_O_* (cli.h) */

static const cli_opt run_opts[] = {
    CLI_STAGE_OPTS,
    {"--analysis", true, CLI_O_ANALYSIS},
    CLI_RUN_OPTS,
    {"--help", false, O_HELP},
    {"-h", false, O_HELP},
    CLI_PLUGIN_OPTS,
    {NULL, false, 0}};

typedef struct run_args {
  const char *model;
  cli_run_args run;
  bool help;
} run_args;

/* Fills ra from the arguments after "run"; CLI_OK or an exit status. */
static int parse_run(run_args *ra, int argc, char **argv) {
  ra->run.format = "text";
  int st =
      cli_run_args_parse(&ra->run, "run", run_opts, O_HELP, argc, argv, &ra->model, &ra->help);
  if (st != CLI_OK || ra->help) return st;
  if (!ra->model) return cli_usage("run", "run needs a MODEL file");
  if (ra->run.output && !*ra->run.output) return cli_usage("run", "--output needs a file name");
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
  if (!known_format(engine, ra->run.format, known, sizeof known))
    return cli_usage("run", "unknown format '%s' (known: %s)", ra->run.format, known);

  parley_model *model = NULL;
  int rc = cli_load_model(engine, &model, ra->model);
  if (rc != PARLEY_OK) return cli_exit_for(rc);

  parley_run_options opts = PARLEY_RUN_OPTIONS_INIT;
  cli_run_options_set(&opts, &ra->run);
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
  rc = parley_result_format(engine, result, ra->run.format, &text, &len);
  parley_result_free(result);
  if (rc != PARLEY_OK) return report(engine, rc);

  int status = ra->run.output ? cli_write_file(ra->run.output, text, len)
                              : cli_write_stdout(text, len);
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
  cli_run_args_init(&ra.run);
  int status = parse_run(&ra, argc, argv);
  parley_engine *engine = NULL;
  if (status == CLI_OK) status = cli_engine_start(&engine, &ra.run.plugins);
  if (status == CLI_OK) status = ra.help ? cli_help(engine, "run", false) : run_model(engine, &ra);
  parley_engine_free(engine);
  cli_run_args_free(&ra.run);
  return status;
}

/* ---- validate ---------------------------------------------------------------- */
static const cli_opt validate_opts[] = {
    {"--help", false, O_HELP},
    {"-h", false, O_HELP},
    CLI_PLUGIN_OPTS,
    {"--seed", true, CLI_O_SEED},
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
  cli_run_args ra; /* the seed and the plugin options only */
  cli_run_args_init(&ra);
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
    } else if ((status = cli_run_option(&ra, "validate", id, v)) != CLI_OK) {
      break;
    }
  }
  if (status == CLI_OK && help) status = cli_help(NULL, "validate", false);
  else if (status == CLI_OK && nfiles == 0)
    status = cli_usage("validate", "validate needs at least one MODEL file");
  parley_engine *engine = NULL;
  if (status == CLI_OK && !help) status = cli_engine_start(&engine, &ra.plugins);
  cli_run_args_free(&ra);
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
