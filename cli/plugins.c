/*
 * plugins.c — `parley plugins [--kind K]`: the engine's registry as an
 * aligned table (name, kind, summary, parameters, source), kind by kind in
 * pipeline order and by name within a kind, as the registry gives them.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_KIND, O_HELP };

static const cli_opt plugins_opts[] = {
    {"--kind", true, O_KIND}, {"--help", false, O_HELP}, {"-h", false, O_HELP},
    {"--plugins", true, CLI_O_PLUGINS}, {NULL, false, 0}};

static const char *const headers[] = {"name", "kind", "summary", "params", "source"};
#define NCOL 5

static void cells(const parley_stage_info *info, const char *cell[NCOL]) {
  cell[0] = info->name ? info->name : "";
  cell[1] = parley_stage_kind_name(info->kind);
  cell[2] = info->summary ? info->summary : "";
  cell[3] = info->params && *info->params ? info->params : "-";
  cell[4] = info->source ? info->source : "";
  if (!cell[1]) cell[1] = "?";
}

static void print_row(const char *const cell[NCOL], const size_t width[NCOL]) {
  for (size_t c = 0; c < NCOL; c++) {
    fputs(cell[c], stdout);
    if (c + 1 < NCOL)
      for (size_t k = cli_text_width(cell[c]); k < width[c] + 2; k++) fputc(' ', stdout);
  }
  fputc('\n', stdout);
}

/* Visits every stage of the chosen kinds: counts widths, then prints. */
static void list(const parley_engine *engine, int only, size_t width[NCOL], bool print) {
  for (int kind = 0; kind < PARLEY_STAGE_KINDS; kind++) {
    if (only >= 0 && kind != only) continue;
    size_t n = parley_stage_count(engine, kind);
    for (size_t i = 0; i < n; i++) {
      parley_stage_info info;
      if (parley_stage_get(engine, kind, i, &info) != PARLEY_OK) break;
      const char *cell[NCOL];
      cells(&info, cell);
      if (print) {
        print_row(cell, width);
      } else {
        for (size_t c = 0; c < NCOL; c++) {
          size_t w = cli_text_width(cell[c]);
          if (w > width[c]) width[c] = w;
        }
      }
    }
  }
}

static int kind_from_name(const char *name) {
  for (int k = 0; k < PARLEY_STAGE_KINDS; k++)
    if (strcmp(parley_stage_kind_name((parley_stage_kind)k), name) == 0) return k;
  return -1;
}

int cli_plugins(int argc, char **argv) {
  cli_args a;
  cli_args_init(&a, argc, argv, 2, "plugins");
  const char *kind_name = NULL;
  cli_plugin_args pa;
  cli_plugin_args_init(&pa);
  for (;;) {
    int id;
    const char *v;
    int r = cli_args_next(&a, plugins_opts, &id, &v);
    if (r == CLI_ARG_END) break;
    int st = CLI_OK;
    if (r == CLI_ARG_ERROR) st = CLI_USAGE;
    else if (r == CLI_ARG_POSITIONAL) st = cli_usage("plugins", "unexpected argument '%s'", v);
    else if (id == O_HELP) st = cli_help(NULL, "plugins", false);
    else if (id == O_KIND) kind_name = v;
    else st = cli_plugin_option(&pa, "plugins", id, v);
    if (st != CLI_OK || (r == CLI_ARG_OPTION && id == O_HELP)) {
      cli_plugin_args_free(&pa);
      return st;
    }
  }
  int only = -1;
  if (kind_name && (only = kind_from_name(kind_name)) < 0) {
    cli_plugin_args_free(&pa);
    return cli_usage("plugins",
                     "--kind: unknown kind '%s' (known: weighting, normalization, aggregation, "
                     "rule, analysis, format, scenarios)",
                     kind_name);
  }
  parley_engine *engine = NULL;
  int st = cli_engine_start(&engine, &pa);
  cli_plugin_args_free(&pa);
  if (st != CLI_OK) return st;
  size_t width[NCOL];
  for (size_t c = 0; c < NCOL; c++) width[c] = cli_text_width(headers[c]);
  list(engine, only, width, false);
  print_row(headers, width);
  const char *rule[NCOL];
  char *dashes[NCOL] = {NULL};
  for (size_t c = 0; c < NCOL; c++) {
    dashes[c] = malloc(width[c] + 1);
    if (dashes[c]) {
      memset(dashes[c], '-', width[c]);
      dashes[c][width[c]] = '\0';
    }
    rule[c] = dashes[c] ? dashes[c] : "";
  }
  print_row(rule, width);
  for (size_t c = 0; c < NCOL; c++) free(dashes[c]);
  list(engine, only, width, true);
  parley_engine_free(engine);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    cli_error("cannot write to standard output");
    return CLI_FAILED;
  }
  return CLI_OK;
}
