/*
 * main.c — the `parley` program: reads the command word and hands the rest
 * of the arguments to that command.  Each command returns its exit status:
 * 0 success, 1 a run failed, 2 bad usage or bad input (DESIGN.md section 5).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* `parley help [COMMAND]`, `parley -h`, `parley --help`.  The engine only
 * serves the stage lists of `help run`; help still works without one. */
static int help(int argc, char **argv) {
  if (argc > 3) return cli_usage("help", "help takes one command at most");
  const char *command = argc == 3 ? argv[2] : NULL;
  parley_engine *engine = NULL;
  /* The stage lists include the plugins; help still comes without them. */
  if (command && strcmp(command, "run") == 0 && cli_engine_start(&engine, NULL) != CLI_OK)
    engine = NULL;
  int status = cli_help(engine, command, false);
  parley_engine_free(engine);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    cli_help(NULL, NULL, true);
    return CLI_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0) {
    if (argc > 2) return cli_usage(NULL, "--version takes no arguments");
    printf("parley %s\n", parley_version());
    if (fflush(stdout) != 0 || ferror(stdout)) {
      cli_error("cannot write to standard output");
      return CLI_FAILED;
    }
    return CLI_OK;
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
    return help(argc, argv);
  if (strcmp(cmd, "run") == 0) return cli_run(argc, argv);
  if (strcmp(cmd, "validate") == 0) return cli_validate(argc, argv);
  if (strcmp(cmd, "plugins") == 0) return cli_plugins(argc, argv);
  if (strcmp(cmd, "compare") == 0) return cli_compare(argc, argv);
  if (strcmp(cmd, "batch") == 0) return cli_batch(argc, argv);
  if (ends_with(cmd, ".lua")) return cli_script(argc, argv);
  if (cmd[0] == '-') return cli_usage(NULL, "unknown option '%s'", cmd);
  return cli_usage(NULL, "unknown command '%s'", cmd);
}
