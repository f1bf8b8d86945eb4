/*
 * cli.h — what the files of the `parley` program share: the option parser
 * (args.c), the options every run takes (run_options.c), the output
 * writers (output.c), the help texts (help.c) and the commands (run.c,
 * plugins.c).  The program is a client of the public API
 * only: it includes parley.h and nothing from core/.
 */
#ifndef PARLEY_CLI_H
#define PARLEY_CLI_H

#include "parley.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses (DESIGN.md section 5). */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* The exit status for a library result code: 2 for bad input, 1 for a
 * failed run. */
int cli_exit_for(int code);

/* Prints "parley: MESSAGE" on stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Prints "parley: MESSAGE" and the hint "try 'parley help CMD'" (or "try
 * 'parley help'" when cmd is NULL) on stderr; returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- options (args.c) ----------------------------------------------------
 * A command's options: "--name value" or "--name=value" for those that take
 * a value, "--name" alone for flags.  "--" ends the options; "-" alone is a
 * positional argument (standard input). */
typedef struct cli_opt {
  const char *name; /* "--rule" */
  bool takes_value;
  int id;
} cli_opt;

typedef struct cli_args {
  int argc;
  char **argv;
  int i;           /* next argument to read */
  bool opts_done;  /* after "--" */
  const char *cmd; /* the command, for messages */
} cli_args;

enum { CLI_ARG_END = 0, CLI_ARG_OPTION = 1, CLI_ARG_POSITIONAL = 2, CLI_ARG_ERROR = -1 };

void cli_args_init(cli_args *a, int argc, char **argv, int first, const char *cmd);
/* The next argument: an option (*id and *value, NULL for a flag), a
 * positional argument (*value), the end, or an error already reported on
 * stderr with the usage hint (the caller exits with CLI_USAGE). */
int cli_args_next(cli_args *a, const cli_opt *opts, int *id, const char **value);

/* Strict decimal numbers: digits only, no sign, no blanks, no overflow. */
bool cli_parse_u64(const char *s, uint64_t *out);
bool cli_parse_nonneg_int(const char *s, int *out);

/* Characters shown by a UTF-8 string (continuation bytes not counted). */
size_t cli_text_width(const char *s);

/* ---- output (output.c) ---------------------------------------------------- */
/* Writes data to standard output; an error (a full disk, a closed pipe) is
 * reported and gives CLI_FAILED. */
int cli_write_stdout(const char *data, size_t len);
/* Writes data to path whole or not at all: a temporary file beside it,
 * flushed and synced, then renamed over it.  On failure nothing is left
 * behind and an existing file at path is untouched.  Returns the exit
 * status: CLI_USAGE when path cannot be used (no such directory, no
 * permission), CLI_FAILED when writing failed (a full disk). */
int cli_write_file(const char *path, const char *data, size_t len);

/* ---- help (help.c) ---------------------------------------------------------- */
/* `parley help [COMMAND]`; engine may be NULL (no stage list then). */
int cli_help(parley_engine *engine, const char *command, bool to_stderr);

/* ---- the engine and its plugins (engine.c) ------------------------------------ */
/* Option ids of the plugin options, shared by every command that runs
 * models; kept clear of the commands' own ids. */
enum {
  CLI_O_PLUGINS = 1000,
  CLI_O_PLUGIN_INSTRUCTIONS,
  CLI_O_PLUGIN_MEMORY,
  CLI_O_PLUGIN_SECONDS
};
/* The plugin options' entries, for a command's own option table. */
#define CLI_PLUGIN_OPTS                                                                     \
  {"--plugins", true, CLI_O_PLUGINS},                                                       \
  {"--plugin-instructions", true, CLI_O_PLUGIN_INSTRUCTIONS},                               \
  {"--plugin-memory", true, CLI_O_PLUGIN_MEMORY},                                           \
  {"--plugin-seconds", true, CLI_O_PLUGIN_SECONDS}
/* The plugin options alone, NULL-terminated. */
extern const cli_opt cli_plugin_opts[];

typedef struct cli_plugin_args {
  const char **dirs; /* --plugins, in order */
  size_t ndirs;
  parley_plugin_options opts;
} cli_plugin_args;

void cli_plugin_args_init(cli_plugin_args *p);
void cli_plugin_args_free(cli_plugin_args *p);
/* Takes one plugin option (id CLI_O_*); CLI_OK or an exit status (the
 * message printed). */
int cli_plugin_option(cli_plugin_args *p, const char *cmd, int id, const char *v);
/* A new engine with its plugin options set and the shipped plugins,
 * $PARLEY_PLUGIN_PATH and p's directories loaded.  CLI_OK, or an exit
 * status with the message printed.  p may be NULL. */
int cli_engine_start(parley_engine **out, const cli_plugin_args *p);

/* ---- the options of a run (run_options.c) ------------------------------------------
 * run, compare and batch take the same stage, analysis, format, output,
 * seed, threads and plugin options (and validate the seed and plugin
 * ones): each command lists those it takes in its option table with the
 * entries below and hands them to cli_run_option, so that every command
 * reads them alike and says the same about a bad value. */
enum {
  CLI_O_WEIGHTING = 1100,
  CLI_O_NORMALIZATION,
  CLI_O_AGGREGATION,
  CLI_O_RULE,
  CLI_O_ANALYSIS,
  CLI_O_FORMAT,
  CLI_O_OUTPUT,
  CLI_O_SEED,
  CLI_O_THREADS
};
/* --weighting, --normalization, --aggregation and --rule. */
#define CLI_STAGE_OPTS                                                                      \
  {"--weighting", true, CLI_O_WEIGHTING}, {"--normalization", true, CLI_O_NORMALIZATION},   \
  {"--aggregation", true, CLI_O_AGGREGATION}, {"--rule", true, CLI_O_RULE}
/* --format, --output, --seed and --threads. */
#define CLI_RUN_OPTS                                                                        \
  {"--format", true, CLI_O_FORMAT}, {"--output", true, CLI_O_OUTPUT},                       \
  {"--seed", true, CLI_O_SEED}, {"--threads", true, CLI_O_THREADS}

typedef struct cli_run_args {
  const char *stage[PARLEY_STAGE_KINDS]; /* --weighting ... --rule, as typed */
  const char **analyses;                 /* --analysis, in order */
  size_t n_analyses;
  const char *format;                    /* --format, as typed; NULL: not given */
  const char *output;                    /* --output; NULL: not given */
  uint64_t seed;                         /* --seed, of the run and of the plugins */
  int threads;                           /* --threads; 0: the default */
  cli_plugin_args plugins;               /* --plugins, --plugin-* */
} cli_run_args;

void cli_run_args_init(cli_run_args *r);
void cli_run_args_free(cli_run_args *r);
/* Takes one option of the run (id CLI_O_*, plugin options included) for
 * the command cmd: CLI_OK, or an exit status with the message printed. */
int cli_run_option(cli_run_args *r, const char *cmd, int id, const char *v);
/* Reads the arguments after the command cmd (argv[2] on) by the option
 * table opts, for a command that takes one MODEL: the model's path in
 * *model, *help set by the option help_id, every other option handed to
 * cli_run_option.  CLI_OK, or an exit status with the message printed;
 * what needs every option first (a missing MODEL) is the caller's. */
int cli_run_args_parse(cli_run_args *r, const char *cmd, const cli_opt *opts, int help_id,
                       int argc, char **argv, const char **model, bool *help);
/* Sets a run's stages, analyses, seed and threads from r. */
void cli_run_options_set(parley_run_options *o, const cli_run_args *r);

/* ---- progress and Ctrl-C (progress.c) -------------------------------------------- */
typedef struct cli_progress {
  bool tty;          /* stderr is a terminal and not quiet: draw the bar */
  bool shown;        /* a bar is on the line */
  const char *name;  /* the analysis the bar is for */
  double start;
} cli_progress;

void cli_progress_init(cli_progress *p, bool quiet);
/* A parley_progress_fn (ud: a cli_progress): draws the bar, returns
 * nonzero once Ctrl-C was pressed. */
int cli_progress_cb(void *ud, const char *analysis, uint64_t done, uint64_t total);
/* Clears the bar's line. */
void cli_progress_end(cli_progress *p);
/* Seconds on a monotonic clock, for measuring how long something took. */
double cli_now(void);
/* s seconds as "M:SS" or "H:MM:SS" ("--:--" when unknown: negative, NaN
 * or over 100 hours), for a progress line. */
void cli_clock_text(char *out, size_t n, double s);
/* Ctrl-C sets a flag (cli_interrupted) instead of ending the program; a
 * second one ends it. */
void cli_interrupt_install(void);
void cli_interrupt_restore(void);
bool cli_interrupted(void);

/* ---- commands ------------------------------------------------------------ */
int cli_run(int argc, char **argv);
int cli_validate(int argc, char **argv);
int cli_plugins(int argc, char **argv);
/* `parley compare MODEL --aggregation A,B,...` (compare.c). */
int cli_compare(int argc, char **argv);
/* `parley batch ...`: many models or variants in parallel (batch.c). */
int cli_batch(int argc, char **argv);
/* `parley SCRIPT.lua [ARGS...]` (script.c). */
int cli_script(int argc, char **argv);

/* Loads a model from a file, or from standard input when path is "-". */
int cli_load_model(parley_engine *engine, parley_model **out, const char *path);

#endif /* PARLEY_CLI_H */
