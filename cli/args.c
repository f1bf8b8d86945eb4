/*
 * args.c — the program's own small option parser, the strict number
 * readers behind --seed and --threads, and the error printers.  Options are
 * long only ("--rule maximin" or "--rule=maximin"), which keeps the parser
 * short and the command lines in scripts readable; an unknown option is a
 * usage error naming it, never silently ignored.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_exit_for(int code) {
  if (code == PARLEY_OK) return CLI_OK;
  return parley_is_input_error(code) ? CLI_USAGE : CLI_FAILED;
}

void cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("parley: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

int cli_usage(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("parley: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  if (cmd)
    fprintf(stderr, "try 'parley help %s'\n", cmd);
  else
    fputs("try 'parley help'\n", stderr);
  return CLI_USAGE;
}

void cli_args_init(cli_args *a, int argc, char **argv, int first, const char *cmd) {
  a->argc = argc;
  a->argv = argv;
  a->i = first;
  a->opts_done = false;
  a->cmd = cmd;
}

int cli_args_next(cli_args *a, const cli_opt *opts, int *id, const char **value) {
  *id = -1;
  *value = NULL;
  if (a->i >= a->argc) return CLI_ARG_END;
  const char *arg = a->argv[a->i++];
  if (!a->opts_done && strcmp(arg, "--") == 0) {
    a->opts_done = true;
    if (a->i >= a->argc) return CLI_ARG_END;
    arg = a->argv[a->i++];
  }
  if (a->opts_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
    *value = arg;
    return CLI_ARG_POSITIONAL;
  }
  const char *eq = strchr(arg, '=');
  size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
  for (const cli_opt *o = opts; o->name; o++) {
    if (strlen(o->name) != nlen || strncmp(o->name, arg, nlen) != 0) continue;
    *id = o->id;
    if (!o->takes_value) {
      if (eq) {
        cli_usage(a->cmd, "option '%s' takes no value", o->name);
        return CLI_ARG_ERROR;
      }
      return CLI_ARG_OPTION;
    }
    if (eq) {
      *value = eq + 1;
    } else if (a->i < a->argc) {
      *value = a->argv[a->i++];
    } else {
      cli_usage(a->cmd, "option '%s' needs a value", o->name);
      return CLI_ARG_ERROR;
    }
    return CLI_ARG_OPTION;
  }
  if (a->cmd)
    cli_usage(a->cmd, "unknown option '%.*s' for '%s'", (int)nlen, arg, a->cmd);
  else
    cli_usage(NULL, "unknown option '%.*s'", (int)nlen, arg);
  return CLI_ARG_ERROR;
}

bool cli_parse_u64(const char *s, uint64_t *out) {
  if (!s || !*s) return false;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return false; /* strtoull would take "-1" and " 7" */
  errno = 0;
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno == ERANGE || *end != '\0' || v > UINT64_MAX) return false;
  *out = (uint64_t)v;
  return true;
}

bool cli_parse_nonneg_int(const char *s, int *out) {
  uint64_t v;
  if (!cli_parse_u64(s, &v) || v > (uint64_t)INT_MAX) return false;
  *out = (int)v;
  return true;
}

size_t cli_text_width(const char *s) {
  size_t w = 0;
  for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
  return w;
}
