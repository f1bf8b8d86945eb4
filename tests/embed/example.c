/*
 * example.c — a complete program that embeds Parley: it loads a model file,
 * runs it (with the model's own pipeline, or another decision rule given on
 * the command line), and prints the ranking and how far the actors agree.
 *
 *   cc example.c $(pkg-config --cflags --libs parley) -o example
 *   ./example scripts/alaska-talks.json
 *   ./example scripts/alaska-talks.json hurwicz:alpha=0.3
 */
#include <parley.h>
#include <stdio.h>

/* Prints one ranking: place by place, best first. */
static void print_ranking(const parley_result *result) {
  const parley_model *model = parley_result_model(result);
  size_t n = parley_model_count(model, PARLEY_STRATEGIES);
  for (size_t i = 0; i < n; i++) {
    size_t strategy;
    double score;
    int rank;
    if (parley_result_ranking(result, i, &strategy, &score, &rank) != PARLEY_OK) break;
    printf("  %2d  %8.4f  %s\n", rank, score,
           parley_model_id(model, PARLEY_STRATEGIES, strategy));
  }
}

/* Prints each actor's first choice and Kendall's tau between the actors. */
static void print_actors(const parley_result *result) {
  const parley_model *model = parley_result_model(result);
  size_t na = parley_model_count(model, PARLEY_ACTORS);
  for (size_t a = 0; a < na; a++) {
    size_t best;
    if (parley_result_actor_ranking(result, a, 0, &best, NULL, NULL) != PARLEY_OK) continue;
    printf("  %s prefers %s\n", parley_model_id(model, PARLEY_ACTORS, a),
           parley_model_id(model, PARLEY_STRATEGIES, best));
  }
  for (size_t a = 0; a < na; a++)
    for (size_t b = a + 1; b < na; b++)
      printf("  Kendall's tau, %s vs %s: %.3f\n", parley_model_id(model, PARLEY_ACTORS, a),
             parley_model_id(model, PARLEY_ACTORS, b), parley_result_actor_tau(result, a, b));
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s MODEL.json [RULE]\n", argv[0]);
    return 2;
  }
  printf("parley %s (built against %s)\n", parley_version(), PARLEY_VERSION);

  parley_engine *engine = NULL;
  int rc = parley_engine_new(&engine, NULL);
  if (rc != PARLEY_OK) {
    fprintf(stderr, "cannot make an engine: %s\n", parley_code_name(rc));
    return 1;
  }

  parley_model *model = NULL;
  parley_result *result = NULL;
  rc = parley_model_load(engine, &model, argv[1]);
  if (rc == PARLEY_OK) {
    parley_run_options opts = PARLEY_RUN_OPTIONS_INIT;
    opts.stage[PARLEY_STAGE_RULE] = argc == 3 ? argv[2] : NULL; /* NULL: the model's own */
    rc = parley_run(engine, model, &opts, &result);
  }
  if (rc == PARLEY_OK) {
    printf("%s\n", parley_model_name(model));
    printf("pipeline: %s, %s, %s, %s\n", parley_result_stage(result, PARLEY_STAGE_WEIGHTING),
           parley_result_stage(result, PARLEY_STAGE_NORMALIZATION),
           parley_result_stage(result, PARLEY_STAGE_AGGREGATION),
           parley_result_stage(result, PARLEY_STAGE_RULE));
    printf("ranking (%s score is better):\n",
           parley_result_higher_is_better(result) ? "a higher" : "a lower");
    print_ranking(result);
    print_actors(result);
  } else {
    /* The message names the file, the JSON path and line:column, or the stage. */
    fprintf(stderr, "parley: %s\n", parley_engine_errmsg(engine));
  }

  parley_result_free(result);
  parley_model_free(model);
  parley_engine_free(engine);
  if (rc == PARLEY_OK) return 0;
  return parley_is_input_error(rc) ? 2 : 1;
}
