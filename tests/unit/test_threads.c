/*
 * test_threads.c — the library has no global mutable state, so two engines
 * in two threads never meet.  Each test first computes reference results in
 * the main thread, then lets two threads, each with its own engine, load or
 * build the same model and run it many times through a rotation of
 * pipelines at the same time; every result must equal its reference bit for
 * bit (scores, utilities, weights, ranking and the whole JSON document).
 * cmocka's assertions jump out of the calling thread, so the worker threads
 * only record what went wrong and the main thread asserts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"

#define ALASKA PARLEY_SOURCE_DIR "/scripts/alaska-talks.json"
#define ROUNDS 40

/* The pipelines each thread cycles through: {aggregation, rule}. */
static const char *const pipelines[][2] = {
  {"wsm", "expected"},    {"wsm", "maximin"},  {"wsm", "maximax"},
  {"wsm", "hurwicz:alpha=0.3"}, {"wsm", "laplace"}, {"wsm", "minimax-regret"},
  {"topsis", "expected"}, {"topsis", "hurwicz:alpha=0.8"},
};
#define NPIPELINES (sizeof pipelines / sizeof *pipelines)

/* Everything a run gives, copied out of the result so that runs can be
 * compared with memcmp after their engines are gone. */
typedef struct snapshot {
  size_t ns, nk, nc;
  double *score, *utility, *weight; /* [ns], [nk * ns], [nc] */
  size_t *order;
  int *rank;
  char *json;
} snapshot;

static void snapshot_free(snapshot *s) {
  free(s->score);
  free(s->utility);
  free(s->weight);
  free(s->order);
  free(s->rank);
  free(s->json);
  memset(s, 0, sizeof *s);
}

/* A failure inside a worker: the message for the main thread. */
typedef struct job {
  bool from_file;
  const snapshot *reference; /* [NPIPELINES] */
  int runs;
  char error[512];
} job;

static bool failed(job *j, const char *what, parley_engine *e) {
  if (j->error[0] == '\0')
    snprintf(j->error, sizeof j->error, "%s: %s", what, e ? parley_engine_errmsg(e) : "");
  return false;
}

/* A model built in code: 24 strategies, 6 scenarios, 5 criteria, values
 * from a fixed linear congruential sequence (Knuth's MMIX constants). */
static int build_model(parley_engine *e, parley_model **out) {
  enum { NS = 24, NK = 6, NC = 5 };
  char id[32];
  parley_model *m = NULL;
  int rc = parley_model_new(e, &m, "built");
  for (int c = 0; c < NC && rc == PARLEY_OK; c++) {
    snprintf(id, sizeof id, "c%d", c);
    rc = parley_model_add_criterion(m, id, NULL, c % 2 ? PARLEY_MIN : PARLEY_MAX, 1 + c);
  }
  for (int s = 0; s < NS && rc == PARLEY_OK; s++) {
    snprintf(id, sizeof id, "s%d", s);
    rc = parley_model_add_strategy(m, id, NULL);
  }
  /* Probabilities 1/8, 1/8, 1/8, 1/8, 1/4, 1/4: exact, summing to 1. */
  const double p[NK] = {0.125, 0.125, 0.125, 0.125, 0.25, 0.25};
  for (int k = 0; k < NK && rc == PARLEY_OK; k++) {
    snprintf(id, sizeof id, "k%d", k);
    rc = parley_model_add_scenario(m, id, NULL, p[k]);
  }
  uint64_t x = 42;
  for (int s = 0; s < NS && rc == PARLEY_OK; s++)
    for (int k = 0; k < NK && rc == PARLEY_OK; k++)
      for (int c = 0; c < NC && rc == PARLEY_OK; c++) {
        char sid[16], kid[16], cid[16];
        snprintf(sid, sizeof sid, "s%d", s);
        snprintf(kid, sizeof kid, "k%d", k);
        snprintf(cid, sizeof cid, "c%d", c);
        x = x * 6364136223846793005u + 1442695040888963407u;
        double v = 1 + (double)(x >> 11) / 9007199254740992.0 * 99; /* in [1, 100) */
        rc = parley_model_set_outcome(m, sid, kid, cid, v);
      }
  if (rc != PARLEY_OK) {
    parley_model_free(m);
    m = NULL;
  }
  *out = m;
  return rc;
}

static int get_model(parley_engine *e, bool from_file, parley_model **out) {
  return from_file ? parley_model_load(e, out, ALASKA) : build_model(e, out);
}

/* Runs pipeline i and copies the result out. */
static bool take(job *j, parley_engine *e, parley_model *m, size_t i, snapshot *out) {
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  o.stage[PARLEY_STAGE_AGGREGATION] = pipelines[i][0];
  o.stage[PARLEY_STAGE_RULE] = pipelines[i][1];
  parley_result *r = NULL;
  if (parley_run(e, m, &o, &r) != PARLEY_OK) return failed(j, pipelines[i][1], e);
  memset(out, 0, sizeof *out);
  out->ns = parley_model_count(m, PARLEY_STRATEGIES);
  out->nk = parley_model_count(m, PARLEY_SCENARIOS);
  out->nc = parley_model_count(m, PARLEY_CRITERIA);
  out->score = calloc(out->ns, sizeof *out->score);
  out->utility = calloc(out->ns * out->nk, sizeof *out->utility);
  out->weight = calloc(out->nc, sizeof *out->weight);
  out->order = calloc(out->ns, sizeof *out->order);
  out->rank = calloc(out->ns, sizeof *out->rank);
  bool ok = out->score && out->utility && out->weight && out->order && out->rank;
  for (size_t s = 0; ok && s < out->ns; s++) {
    out->score[s] = parley_result_score(r, s);
    for (size_t k = 0; k < out->nk; k++)
      out->utility[k * out->ns + s] = parley_result_utility(r, s, k);
    ok = parley_result_ranking(r, s, &out->order[s], NULL, &out->rank[s]) == PARLEY_OK;
  }
  for (size_t c = 0; ok && c < out->nc; c++) out->weight[c] = parley_result_weight(r, c);
  char *json = NULL;
  size_t len = 0;
  if (ok && parley_result_format(e, r, "json", &json, &len) == PARLEY_OK) {
    out->json = malloc(len + 1);
    if (out->json) memcpy(out->json, json, len + 1);
    parley_free(e, json);
  }
  parley_result_free(r);
  if (!ok || !out->json) {
    snapshot_free(out);
    return failed(j, "copying the result", e);
  }
  return true;
}

static bool same(const snapshot *a, const snapshot *b) {
  return a->ns == b->ns && a->nk == b->nk && a->nc == b->nc &&
         memcmp(a->score, b->score, a->ns * sizeof *a->score) == 0 &&
         memcmp(a->utility, b->utility, a->ns * a->nk * sizeof *a->utility) == 0 &&
         memcmp(a->weight, b->weight, a->nc * sizeof *a->weight) == 0 &&
         memcmp(a->order, b->order, a->ns * sizeof *a->order) == 0 &&
         memcmp(a->rank, b->rank, a->ns * sizeof *a->rank) == 0 && strcmp(a->json, b->json) == 0;
}

/* A worker: its own engine, its own model, ROUNDS passes over the
 * pipelines, each result compared with the reference. */
static void *worker(void *arg) {
  job *j = arg;
  parley_engine *e = NULL;
  parley_model *m = NULL;
  if (parley_engine_new(&e, NULL) != PARLEY_OK) {
    failed(j, "parley_engine_new", NULL);
    return NULL;
  }
  if (get_model(e, j->from_file, &m) != PARLEY_OK) {
    failed(j, "loading the model", e);
    parley_engine_free(e);
    return NULL;
  }
  for (int round = 0; round < ROUNDS && j->error[0] == '\0'; round++)
    for (size_t i = 0; i < NPIPELINES && j->error[0] == '\0'; i++) {
      /* Each thread starts at a different place in the rotation, so that
       * different rules run at the same moment. */
      size_t p = (i + (size_t)round + (j->from_file ? 0 : 3)) % NPIPELINES;
      snapshot s;
      if (!take(j, e, m, p, &s)) break;
      if (!same(&s, &j->reference[p]))
        snprintf(j->error, sizeof j->error, "round %d, pipeline %s/%s differs from the "
                 "single-threaded result", round, pipelines[p][0], pipelines[p][1]);
      snapshot_free(&s);
      j->runs++;
    }
  parley_model_free(m);
  parley_engine_free(e);
  return NULL;
}

static void reference_results(bool from_file, snapshot *ref) {
  job j = {from_file, NULL, 0, ""};
  parley_engine *e = NULL;
  parley_model *m = NULL;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  if (get_model(e, from_file, &m) != PARLEY_OK)
    fail_msg("loading the model: %s", parley_engine_errmsg(e));
  for (size_t i = 0; i < NPIPELINES; i++)
    if (!take(&j, e, m, i, &ref[i])) fail_msg("%s", j.error);
  parley_model_free(m);
  parley_engine_free(e);
}

static void two_threads(bool first_from_file, bool second_from_file) {
  snapshot ref_file[NPIPELINES], ref_built[NPIPELINES];
  reference_results(true, ref_file);
  reference_results(false, ref_built);
  /* The pipelines really differ: otherwise the test would prove little. */
  assert_false(same(&ref_file[0], &ref_file[1]));

  job jobs[2] = {{first_from_file, first_from_file ? ref_file : ref_built, 0, ""},
                 {second_from_file, second_from_file ? ref_file : ref_built, 0, ""}};
  pthread_t t[2];
  for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, worker, &jobs[i]), 0);
  for (int i = 0; i < 2; i++) assert_int_equal(pthread_join(t[i], NULL), 0);
  for (int i = 0; i < 2; i++) {
    if (jobs[i].error[0]) fail_msg("thread %d: %s", i, jobs[i].error);
    assert_int_equal(jobs[i].runs, ROUNDS * (int)NPIPELINES);
  }
  for (size_t i = 0; i < NPIPELINES; i++) {
    snapshot_free(&ref_file[i]);
    snapshot_free(&ref_built[i]);
  }
}

static void test_threads__two_engines_load_the_worked_example_at_once(void **state) {
  (void)state;
  two_threads(true, true);
}

static void test_threads__two_engines_build_models_at_once(void **state) {
  (void)state;
  two_threads(false, false);
}

static void test_threads__loaded_and_built_models_side_by_side(void **state) {
  (void)state;
  two_threads(true, false);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_threads__two_engines_load_the_worked_example_at_once),
    cmocka_unit_test(test_threads__two_engines_build_models_at_once),
    cmocka_unit_test(test_threads__loaded_and_built_models_side_by_side),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
