/*
 * test_loader.c — the model file loader (core/model_json.c, core/csv.c,
 * core/jsonpos.c): the four outcome forms give the same cube; distributions
 * are read and their means used; the fields the builder has no call for are
 * kept; CSV quoting, CRLF line ends and a byte order mark; strategies taken
 * from a CSV file; and the error messages, which name the file, the JSON
 * path and the line:column.  Every expected value is written out by hand
 * from the model files in tests/data/loader (or the text in the test), and
 * every line:column is counted by hand in a comment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "internal.h"
#include "jsonpos.h"

#define DATA PARLEY_TEST_DATA "/loader"
#define BAD PARLEY_TEST_DATA "/bad"

static int setup(void **state) {
  parley_engine *e = NULL;
  if (parley_engine_new(&e, NULL) != PARLEY_OK) return -1;
  *state = e;
  return 0;
}

static int teardown(void **state) {
  parley_engine_free(*state);
  return 0;
}

static parley_model *load(parley_engine *e, const char *path) {
  parley_model *m = NULL;
  int rc = parley_model_load(e, &m, path);
  if (rc != PARLEY_OK) print_error("%s: %s\n", path, parley_engine_errmsg(e));
  assert_int_equal(rc, PARLEY_OK);
  assert_non_null(m);
  return m;
}

/* Parses text that must fail with code; returns the message. */
static const char *parse_fails(parley_engine *e, const char *text, int code) {
  parley_model *m = NULL;
  int rc = parley_model_parse(e, &m, text, strlen(text), "talks.json", DATA);
  if (rc != code) print_error("rc %d, message: %s\n", rc, parley_engine_errmsg(e));
  assert_int_equal(rc, code);
  assert_null(m);
  return parley_engine_errmsg(e);
}

static const char *load_fails(parley_engine *e, const char *path, int code) {
  parley_model *m = NULL;
  int rc = parley_model_load(e, &m, path);
  if (rc != code) print_error("rc %d, message: %s\n", rc, parley_engine_errmsg(e));
  assert_int_equal(rc, code);
  assert_null(m);
  return parley_engine_errmsg(e);
}

static void contains(const char *msg, const char *fragment) {
  if (!strstr(msg, fragment)) {
    print_error("message:  %s\nlacks:    %s\n", msg, fragment);
    fail();
  }
}

static size_t id_index(const parley_model *m, parley_entity what, const char *id) {
  size_t n = parley_model_count(m, what);
  for (size_t i = 0; i < n; i++)
    if (strcmp(parley_model_id(m, what, i), id) == 0) return i;
  print_error("no id '%s'\n", id);
  fail();
  return SIZE_MAX;
}

static double cell(const parley_model *m, const char *s, const char *k, const char *c) {
  return parley_model_outcome(m, id_index(m, PARLEY_STRATEGIES, s),
                              id_index(m, PARLEY_SCENARIOS, k), id_index(m, PARLEY_CRITERIA, c));
}

static void near(double got, double want) {
  if (!(fabs(got - want) <= 1e-12 * fmax(1, fabs(want)))) {
    print_error("got %.17g, want %.17g\n", got, want);
    fail();
  }
}

/* ---- the outcome forms --------------------------------------------------- */
/* The same table written four ways in nested.json, records.json, csv.json
 * (talks.csv, its columns shuffled, a blank line, spaces around a number, no
 * final newline).  By hand from those files: */
static const struct {
  const char *s, *k;
  double violence, breach;
} talks[] = {
    {"ceasefire", "breakthrough", 8, 3},    {"ceasefire", "stalemate", 4, 5.5},
    {"sanctions", "breakthrough", 3, 2},    {"sanctions", "stalemate", 2, 4},
    {"mediation", "breakthrough", 7, 1e-3}, {"mediation", "stalemate", 6, -1.25},
};

static void check_talks(parley_model *m) {
  assert_int_equal(parley_model_count(m, PARLEY_STRATEGIES), 3);
  assert_int_equal(parley_model_count(m, PARLEY_SCENARIOS), 2);
  assert_int_equal(parley_model_count(m, PARLEY_CRITERIA), 2);
  /* The strategies keep the order of the "strategies" list. */
  assert_string_equal(parley_model_id(m, PARLEY_STRATEGIES, 0), "ceasefire");
  assert_string_equal(parley_model_id(m, PARLEY_STRATEGIES, 2), "mediation");
  for (size_t i = 0; i < sizeof talks / sizeof *talks; i++) {
    assert_true(cell(m, talks[i].s, talks[i].k, "violence") == talks[i].violence);
    assert_true(cell(m, talks[i].s, talks[i].k, "breach") == talks[i].breach);
  }
}

static void test_loader__outcome_forms_give_the_same_cube(void **state) {
  const char *files[] = {DATA "/nested.json", DATA "/records.json", DATA "/csv.json"};
  for (size_t i = 0; i < 3; i++) {
    parley_model *m = load(*state, files[i]);
    check_talks(m);
    assert_int_equal(parley_model_check(m), PARLEY_OK);
    parley_model_free(m);
  }
}

/* flat.json, flat-records.json and flat-csv.json (no scenario column): rail
 * costs 120 at speed 3.5, road 80 at speed 2; the one scenario is "base". */
static void test_loader__forms_without_scenarios_give_the_same_cube(void **state) {
  const char *files[] = {DATA "/flat.json", DATA "/flat-records.json", DATA "/flat-csv.json"};
  for (size_t i = 0; i < 3; i++) {
    parley_model *m = load(*state, files[i]);
    assert_int_equal(parley_model_count(m, PARLEY_SCENARIOS), 1);
    assert_string_equal(parley_model_id(m, PARLEY_SCENARIOS, 0), "base");
    assert_true(cell(m, "rail", "base", "cost") == 120);
    assert_true(cell(m, "rail", "base", "speed") == 3.5);
    assert_true(cell(m, "road", "base", "cost") == 80);
    assert_true(cell(m, "road", "base", "speed") == 2);
    assert_string_equal(m->crit[0].unit, "EUR");
    parley_model_free(m);
  }
}

/* ---- distributions and the other fields ---------------------------------- */
static const parley__uncertain *uncertain_at(const parley_model *m, size_t s, size_t k, size_t c) {
  for (size_t i = 0; i < m->nunc; i++)
    if (m->unc[i].cell == parley__cell(m, s, k, c)) return &m->unc[i];
  return NULL;
}

static void test_loader__distributions_are_kept_and_their_means_used(void **state) {
  parley_model *m = load(*state, DATA "/details.json");
  /* Means by hand from details.json:
   *   normal(mean 5, sd 1)             -> 5
   *   uniform(2, 6)                    -> (2 + 6) / 2 = 4
   *   triangular(3, 5, 8)              -> (3 + 5 + 8) / 3 = 16/3
   *   pert(1, 4, 13)                   -> (1 + 4*4 + 13) / 6 = 30/6 = 5
   *   lognormal(mu 0, sigma 1)         -> exp(0 + 1/2) = 1.6487212707001282
   *   discrete([1, 2, 10], [.5, .3, .2]) -> 0.5 + 0.6 + 2 = 3.1 */
  near(cell(m, "ceasefire", "breakthrough", "violence"), 5);
  near(cell(m, "ceasefire", "breakthrough", "breach"), 4);
  near(cell(m, "ceasefire", "stalemate", "violence"), 16.0 / 3.0);
  near(cell(m, "ceasefire", "stalemate", "breach"), 5);
  near(cell(m, "sanctions", "breakthrough", "violence"), 1.6487212707001282);
  near(cell(m, "sanctions", "breakthrough", "breach"), 3.1);
  assert_true(cell(m, "sanctions", "stalemate", "violence") == 2);
  assert_int_equal(m->nunc, 6);

  const parley__uncertain *u = uncertain_at(m, 0, 0, 0);
  assert_non_null(u);
  assert_int_equal(u->dist.kind, PARLEY_DIST_NORMAL);
  assert_true(u->dist.a == 5 && u->dist.b == 1);
  u = uncertain_at(m, 0, 1, 1);
  assert_non_null(u);
  assert_int_equal(u->dist.kind, PARLEY_DIST_PERT);
  assert_true(u->dist.a == 1 && u->dist.b == 4 && u->dist.c == 13);
  u = uncertain_at(m, 1, 0, 1);
  assert_non_null(u);
  assert_int_equal(u->dist.kind, PARLEY_DIST_DISCRETE);
  assert_int_equal(u->dist.n, 3);
  assert_true(u->dist.values[2] == 10 && u->dist.p[1] == 0.3);
  assert_null(uncertain_at(m, 1, 1, 0));
  parley_model_free(m);
}

static void test_loader__keeps_the_fields_the_builder_has_no_call_for(void **state) {
  parley_model *m = load(*state, DATA "/details.json");
  assert_string_equal(parley_model_name(m), "Every field");
  assert_string_equal(m->source, DATA "/details.json");
  /* sha256sum tests/data/loader/details.json */
  static const char hex[] = "6ab3579a2980f830a8975f79f4382da38ad6b7e4b900422d464330c45912e4cb";
  char got[65];
  for (int i = 0; i < 32; i++) snprintf(got + 2 * i, 3, "%02x", m->sha256[i]);
  assert_true(m->has_sha256);
  assert_string_equal(got, hex);

  assert_string_equal(m->crit[0].name, "Reduction in violence");
  assert_string_equal(m->crit[0].unit, "judgement 0-10");
  assert_int_equal(m->crit[0].dir, 1);
  assert_int_equal(m->crit[1].dir, -1);
  assert_true(m->crit[0].weight == 0.4 && m->crit[0].lo == 0 && m->crit[0].hi == 10);
  assert_true(isnan(m->crit[1].lo));
  assert_null(m->crit[1].unit);

  assert_string_equal(m->strat[0].description, "Both sides stop firing.");
  assert_string_equal(m->strat[0].params, "{\"duration\":30,\"monitors\":[\"osce\",\"un\"]}");
  assert_string_equal(m->strat[0].notes, "{\"potential_outcomes\":\"Calm, if it holds.\"}");
  assert_null(m->strat[1].params);
  assert_null(m->strat[1].notes);
  assert_string_equal(m->strat[1].name, "Increased sanctions");

  assert_string_equal(m->scen[0].name, "Breakthrough");
  assert_true(m->scen[0].probability == 0.25 && m->scen[1].probability == 0.75);
  assert_string_equal(m->scen[0].params, "{\"shock\":-1.5}");
  assert_string_equal(m->scen[0].positive, "Less violence.");
  assert_string_equal(m->scen[0].negative, "Betrayal.");
  assert_string_equal(m->scen[1].name, "stalemate"); /* no name: the id */

  assert_int_equal(m->na, 2);
  assert_string_equal(m->act[0].name, "U.S. delegation");
  assert_string_equal(m->act[0].description, "Security first.");
  assert_true(m->act[0].influence == 2 && m->act[1].influence == 1);
  assert_true(m->act[0].weights[0] == 0.1 && m->act[0].weights[1] == 0.9);
  /* ru lists breach first; the row follows the criteria's order. */
  assert_true(m->act[1].weights[0] == 1 && m->act[1].weights[1] == 0);
  parley_model_free(m);
}

static const parley__param *param(const parley__spec *s, const char *key) {
  const parley__param *p = parley__spec_get(s, key);
  if (!p) print_error("no parameter '%s' in stage '%s'\n", key, s->name);
  assert_non_null(p);
  return p;
}

static void test_loader__reads_pipeline_stages_in_both_forms(void **state) {
  parley_model *m = load(*state, DATA "/details.json");
  const parley__spec *w = &m->pipeline[PARLEY_STAGE_WEIGHTING];
  assert_string_equal(w->name, "ahp");
  assert_int_equal(w->n, 3);
  assert_int_equal(param(w, "pairwise")->type, PARLEY__PJSON);
  assert_string_equal(param(w, "pairwise")->text, "[[1,3],[0.333,1]]");
  assert_int_equal(param(w, "label")->type, PARLEY__PSTR);
  assert_string_equal(param(w, "label")->text, "judges");
  assert_int_equal(param(w, "strict")->type, PARLEY__PJSON);
  assert_string_equal(param(w, "strict")->text, "true");
  assert_string_equal(m->pipeline[PARLEY_STAGE_NORMALIZATION].name, "minmax");
  const parley__spec *r = &m->pipeline[PARLEY_STAGE_RULE];
  assert_string_equal(r->name, "hurwicz");
  assert_int_equal(param(r, "alpha")->type, PARLEY__PNUM);
  assert_true(param(r, "alpha")->num == 0.6);
  assert_int_equal(m->nanalyses, 2);
  assert_string_equal(m->analyses[0].name, "evpi");
  assert_int_equal(m->analyses[0].n, 0);
  assert_string_equal(m->analyses[1].name, "montecarlo");
  assert_true(param(&m->analyses[1], "n")->num == 1000);
  parley_model_free(m);
}

static void test_loader__name_defaults_to_the_file_name(void **state) {
  parley_model *m = load(*state, DATA "/flat.json");
  assert_string_equal(parley_model_name(m), "flat");
  parley_model_free(m);
}

/* ---- CSV ----------------------------------------------------------------- */
/* quoting.csv: a byte order mark, CRLF line ends, no final newline, ids with
 * a comma ("ceasefire, phased") and with doubled quotes ("the ""big"" deal"),
 * quoted numbers, and a quoted header naming the criterion "risk, overall". */
static void test_loader__csv_quoting_crlf_and_bom(void **state) {
  parley_model *m = load(*state, DATA "/quoting.json");
  const char *s[] = {"ceasefire, phased", "the \"big\" deal", "plain"};
  /* By hand from quoting.csv: calm 1,2 / 3,4 / 5,6; storm 7,8 / 9,10 / 11,12. */
  for (int i = 0; i < 3; i++) {
    assert_true(cell(m, s[i], "calm", "score") == 1 + 2 * i);
    assert_true(cell(m, s[i], "calm", "risk, overall") == 2 + 2 * i);
    assert_true(cell(m, s[i], "storm", "score") == 7 + 2 * i);
    assert_true(cell(m, s[i], "storm", "risk, overall") == 8 + 2 * i);
  }
  parley_model_free(m);
}

/* from-csv.json has no "strategies": they come from the table in order of
 * first appearance, zulu, alpha, mike. */
static void test_loader__strategies_from_the_csv_in_order_of_appearance(void **state) {
  parley_model *m = load(*state, DATA "/from-csv.json");
  assert_int_equal(parley_model_count(m, PARLEY_STRATEGIES), 3);
  assert_string_equal(parley_model_id(m, PARLEY_STRATEGIES, 0), "zulu");
  assert_string_equal(parley_model_id(m, PARLEY_STRATEGIES, 1), "alpha");
  assert_string_equal(parley_model_id(m, PARLEY_STRATEGIES, 2), "mike");
  assert_true(cell(m, "zulu", "down", "loss") == 4);
  assert_true(cell(m, "alpha", "up", "gain") == 9);
  assert_true(cell(m, "mike", "down", "loss") == 12);
  parley_model_free(m);
}

/* A model made with the builder, then a table read straight into it. */
static parley_model *two_strategies(parley_engine *e) {
  parley_model *m = NULL;
  assert_int_equal(parley_model_new(e, &m, "t"), PARLEY_OK);
  assert_int_equal(parley_model_add_criterion(m, "x", NULL, PARLEY_MAX, NAN), PARLEY_OK);
  assert_int_equal(parley_model_add_strategy(m, "a\nb", NULL), PARLEY_OK);
  assert_int_equal(parley_model_add_strategy(m, "c", NULL), PARLEY_OK);
  return m;
}

static void test_loader__csv_lines_count_inside_quoted_fields(void **state) {
  parley_engine *e = *state;
  parley_model *m = two_strategies(e);
  /* Line 1 the header, lines 2-3 the row of "a\nb", line 4 the row of c:
   * "c,zz" puts zz at column 3. */
  const char *text = "strategy,x\n\"a\nb\",1\nc,zz\n";
  assert_int_equal(parley__csv_outcomes(m, text, strlen(text), "t.csv", false), PARLEY_ESYNTAX);
  assert_string_equal(parley_engine_errmsg(e),
                      "t.csv:4:3: column 'x': expected a number, got 'zz'");
  parley_model_free(m);

  m = two_strategies(e);
  text = "x,strategy\n-0.5,\"a\nb\"\n1e2,c";
  assert_int_equal(parley__csv_outcomes(m, text, strlen(text), "t.csv", false), PARLEY_OK);
  assert_true(parley_model_outcome(m, 0, 0, 0) == -0.5);
  assert_true(parley_model_outcome(m, 1, 0, 0) == 100);
  parley_model_free(m);
}

/* Two strategies a, b; scenarios up, down; criterion x. */
static parley_model *up_down(parley_engine *e) {
  parley_model *m = NULL;
  assert_int_equal(parley_model_new(e, &m, "t"), PARLEY_OK);
  assert_int_equal(parley_model_add_criterion(m, "x", NULL, PARLEY_MAX, NAN), PARLEY_OK);
  assert_int_equal(parley_model_add_strategy(m, "a", NULL), PARLEY_OK);
  assert_int_equal(parley_model_add_strategy(m, "b", NULL), PARLEY_OK);
  assert_int_equal(parley_model_add_scenario(m, "up", NULL, NAN), PARLEY_OK);
  assert_int_equal(parley_model_add_scenario(m, "down", NULL, NAN), PARLEY_OK);
  return m;
}

static void test_loader__csv_reports_empty_values_and_unknown_scenarios(void **state) {
  parley_engine *e = *state;
  struct {
    const char *text, *message;
    int code;
  } cases[] = {
      /* Line 3 "a,down," : the empty field starts at column 8. */
      {"strategy,scenario,x\na,up,1\na,down,\n",
       "t.csv:3:8: column 'x': empty value, expected a number", PARLEY_ESYNTAX},
      /* Line 2 "a,sideways,1": the scenario at column 3. */
      {"strategy,scenario,x\na,sideways,1\n",
       "t.csv:2:3: unknown scenario 'sideways' in column 'scenario'; the model's \"scenarios\" do "
       "not list it",
       PARLEY_ENOTFOUND},
      {"strategy,x\na,1\n", "t.csv:1:1: missing column 'scenario' (the model has scenarios)",
       PARLEY_EINVALID},
      /* Line 2 "a,up,1e999": the number at column 6. */
      {"strategy,scenario,x\na,up,1e999\n",
       "t.csv:2:6: column 'x': number out of range of a double (1e999)", PARLEY_EINVALID},
      /* Line 2 `"a"x,up,1`: the character after the closing quote is column 4. */
      {"strategy,scenario,x\n\"a\"x,up,1\n",
       "t.csv:2:4: unexpected character after a closing quote; expected ',' or the end of the line",
       PARLEY_ESYNTAX},
      /* "strategy,scenario,x,x": the second x at column 21. */
      {"strategy,scenario,x,x\n", "t.csv:1:21: column 'x' appears twice (first as column 3)",
       PARLEY_EINVALID},
      {"", "t.csv:1:1: the file is empty", PARLEY_EINVALID},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    parley_model *m = up_down(e);
    int rc = parley__csv_outcomes(m, cases[i].text, strlen(cases[i].text), "t.csv", false);
    if (rc != cases[i].code) print_error("case %zu: rc %d: %s\n", i, rc, parley_engine_errmsg(e));
    assert_int_equal(rc, cases[i].code);
    contains(parley_engine_errmsg(e), cases[i].message);
    parley_model_free(m);
  }
  /* Scenario-major rows, quoted numbers with spaces, a lone CR ending a
   * line: a up 1, b up 2, a down 3, b down 4. */
  parley_model *m = up_down(e);
  const char *text = "scenario,strategy,x\rup,a,\" 1 \"\nup,b,2\r\ndown,a, 3\ndown,b,4\t";
  assert_int_equal(parley__csv_outcomes(m, text, strlen(text), "t.csv", false), PARLEY_OK);
  assert_true(parley_model_outcome(m, 0, 0, 0) == 1 && parley_model_outcome(m, 1, 0, 0) == 2);
  assert_true(parley_model_outcome(m, 0, 1, 0) == 3 && parley_model_outcome(m, 1, 1, 0) == 4);
  parley_model_free(m);
}

static void test_loader__csv_errors_name_file_line_column_and_header(void **state) {
  parley_engine *e = *state;
  /* short-row.csv line 3 is "ceasefire,stalemate,4" (21 characters): the
   * missing field would start at column 22. */
  contains(load_fails(e, BAD "/csv-short-row.json", PARLEY_ESYNTAX),
           "short-row.csv:3:22: short row: 3 fields, expected 4 (no value for column 'breach')");
  /* non-numeric.csv line 3 "ceasefire,stalemate,4,high": 'high' at column 23. */
  contains(load_fails(e, BAD "/csv-non-numeric.json", PARLEY_ESYNTAX),
           "non-numeric.csv:3:23: column 'breach': expected a number, got 'high'");
  contains(load_fails(e, BAD "/csv-unknown-strategy.json", PARLEY_ENOTFOUND),
           "unknown-strategy.csv:4:1: unknown strategy 'embargo' in column 'strategy'");
  contains(load_fails(e, BAD "/csv-duplicate-row.json", PARLEY_EINVALID),
           "duplicate-row.csv:4:1: duplicate row for strategy 'ceasefire', scenario "
           "'breakthrough' (first at line 2)");
  contains(load_fails(e, BAD "/csv-missing-row.json", PARLEY_EINVALID),
           "missing-row.csv: missing row for strategy 'sanctions', scenario 'breakthrough'");
  contains(load_fails(e, BAD "/csv-missing-column.json", PARLEY_EINVALID),
           "missing-column.csv:1:1: missing column for criterion 'breach'");
  /* long-row.csv line 3 "ceasefire,stalemate,4,5,6": the fifth field's ','
   * is column 24. */
  contains(load_fails(e, BAD "/csv-long-row.json", PARLEY_ESYNTAX),
           "long-row.csv:3:24: long row: more than 4 fields");
  contains(load_fails(e, BAD "/csv-unterminated-quote.json", PARLEY_ESYNTAX),
           "unterminated-quote.csv:3:1: unterminated quoted field");
  /* csv-missing.json line 12 is `  "outcomes": {"csv": "no-such-file.csv"}`:
   * the file name's string starts at column 23. */
  char want[256];
  snprintf(want, sizeof want, "csv-missing.json: outcomes.csv (12:23): cannot read '%s': %s",
           BAD "/no-such-file.csv", strerror(ENOENT));
  contains(load_fails(e, BAD "/csv-missing.json", PARLEY_EIO), want);
}

/* ---- messages: path and line:column -------------------------------------- */
static void test_loader__rejects_duplicate_criterion_id(void **state) {
  /* Line 5 is `  {"id": "breach", ...`: '{' at column 3, "id" 4-7, ':' 8,
   * the value at column 10. */
  const char *text = "{\"parley\": 1,\n"
                     " \"criteria\": [\n"
                     "  {\"id\": \"breach\", \"direction\": \"min\"},\n"
                     "  {\"id\": \"violence\", \"direction\": \"max\"},\n"
                     "  {\"id\": \"breach\", \"direction\": \"max\"}],\n"
                     " \"strategies\": [{\"id\": \"a\"}],\n"
                     " \"outcomes\": {\"a\": {\"breach\": 1, \"violence\": 2}}}";
  assert_string_equal(parse_fails(*state, text, PARLEY_EINVALID),
                      "talks.json: criteria[2].id (5:10): duplicate criterion id 'breach' (first "
                      "at criteria[0].id)");
}

/* Lines numbered as in the comments; columns counted by hand. */
#define TALKS_TEXT                                                                                 \
  "{\"parley\": 1,\n" /* 1 */                                                                      \
  " \"criteria\": [{\"id\": \"violence\", \"direction\": \"max\"}, {\"id\": \"breach\", "          \
  "\"direction\": \"min\"}],\n"                                              /* 2 */               \
  " \"strategies\": [{\"id\": \"ceasefire\"}, {\"id\": \"sanctions\"}],\n"   /* 3 */               \
  " \"scenarios\": [{\"id\": \"breakthrough\"}, {\"id\": \"stalemate\"}],\n" /* 4 */               \
  " \"outcomes\": {\n"                                                       /* 5 */               \
  "  \"ceasefire\": {\"breakthrough\": {\"violence\": 8, \"breach\": 3},\n"  /* 6 */               \
  "                \"stalemate\": {\"violence\": 4, \"breach\": %s}},\n"     /* 7 */               \
  "  \"sanctions\": {\"breakthrough\": {\"violence\": 3, \"breach\": 2},\n"  /* 8 */               \
  "                \"stalemate\": {\"violence\": 2%s}}}}"                    /* 9 */

static const char *talks_fails(void **state, const char *breach, const char *more, int code) {
  static char text[2048];
  snprintf(text, sizeof text, TALKS_TEXT, breach, more);
  return parse_fails(*state, text, code);
}

static void test_loader__missing_cell_is_named_at_the_enclosing_object(void **state) {
  /* Line 9: 16 spaces, "stalemate" at columns 17-27, ':' 28, '{' 30. */
  assert_string_equal(
      talks_fails(state, "5", "", PARLEY_EINVALID),
      "talks.json: outcomes.sanctions.stalemate (9:30): missing criterion 'breach'");
}

static void test_loader__wrong_type_names_path_and_position(void **state) {
  /* Line 7: "stalemate" at 17-27, '{' 30, "violence" 31-40, ':' 41, '4' 43,
   * ',' 44, "breach" 46-53, ':' 54, the value at 56. */
  assert_string_equal(talks_fails(state, "\"5\"", ", \"breach\": 4", PARLEY_EINVALID),
                      "talks.json: outcomes.ceasefire.stalemate.breach (7:56): expected a number "
                      "or a distribution object, got a string");
}

static void test_loader__rejects_non_finite_numbers(void **state) {
  /* 1e999 overflows to infinity in cJSON; the loader names it. */
  contains(talks_fails(state, "1e999", ", \"breach\": 4", PARLEY_EINVALID),
           "talks.json: outcomes.ceasefire.stalemate.breach (7:56): number out of range");
  /* NaN is not JSON: a syntax error, still with its path. */
  contains(talks_fails(state, "NaN", ", \"breach\": 4", PARLEY_ESYNTAX),
           "talks.json: outcomes.ceasefire.stalemate.breach (7:56): JSON syntax error: NaN and "
           "Infinity are not numbers in JSON");
  contains(talks_fails(state, "-Infinity", ", \"breach\": 4", PARLEY_ESYNTAX),
           "outcomes.ceasefire.stalemate.breach (7:56): JSON syntax error: NaN and Infinity");
}

static void test_loader__unknown_ids_are_not_found(void **state) {
  char text[2048];
  /* The scenario "stalemate" of line 9 renamed "escalation" (same column). */
  snprintf(text, sizeof text, TALKS_TEXT, "5", ", \"breach\": 4");
  char *at = strstr(strstr(text, "\"sanctions\": {\"break"), "\"stalemate\"");
  memcpy(at, "\"escalate\" ", 11);
  assert_string_equal(parse_fails(*state, text, PARLEY_ENOTFOUND),
                      "talks.json: outcomes.sanctions.escalate (9:30): unknown scenario "
                      "'escalate' (not in \"scenarios\")");
}

static void test_loader__syntax_error_says_what_was_expected(void **state) {
  /* The ',' after "x" is missing: line 3 column 2 holds the next key. */
  const char *text = "{\"parley\": 1,\n \"name\": \"x\"\n \"criteria\": []}";
  assert_string_equal(parse_fails(*state, text, PARLEY_ESYNTAX),
                      "talks.json (3:2): JSON syntax error: expected ',' or '}' after an object "
                      "member, got '\"' (is a ',' missing?)");
  /* Cut short inside criteria[0]: line 2 is ` "criteria": [{"id": "x", "dir`,
   * ' ' 1, "criteria" 2-11, ':' 12, '[' 14, '{' 15, "id" 16-19, "x" 22-24,
   * ',' 25, and the unterminated string opens at column 27. */
  text = "{\"parley\": 1,\n \"criteria\": [{\"id\": \"x\", \"dir";
  assert_string_equal(parse_fails(*state, text, PARLEY_ESYNTAX),
                      "talks.json: criteria[0] (2:27): JSON syntax error: unterminated string: "
                      "the closing '\"' is missing");
  /* Text after the document. */
  assert_string_equal(parse_fails(*state, "{\"parley\": 1} {}", PARLEY_ESYNTAX),
                      "talks.json (1:15): JSON syntax error: unexpected text after the end of "
                      "the JSON document");
  assert_string_equal(parse_fails(*state, "", PARLEY_ESYNTAX),
                      "talks.json (1:1): JSON syntax error: the text is empty: expected a JSON "
                      "object");
}

static void test_loader__rejects_unknown_keys_and_bad_versions(void **state) {
  /* Line 2: ' ' 1, "criteria" 2-11, ':' 12, '[' 14, '{' 15, "id" 16-19,
   * "x" 22-24, "direction" 27-37, "max" 40-44, "wieght" 47-54, ':' 55 and
   * its value at column 57. */
  const char *text = "{\"parley\": 1,\n"
                     " \"criteria\": [{\"id\": \"x\", \"direction\": \"max\", \"wieght\": 1}]}";
  contains(parse_fails(*state, text, PARLEY_EINVALID),
           "talks.json: criteria[0].wieght (2:57): unknown key 'wieght' in a criterion");
  contains(parse_fails(*state, "{\"parley\": 2}", PARLEY_EINVALID),
           "talks.json: parley (1:12): unsupported format version 2");
  contains(parse_fails(*state, "{\"name\": \"x\"}", PARLEY_EINVALID),
           "talks.json (1:1): missing key \"parley\"");
}

static void test_loader__probabilities_all_or_none_summing_to_one(void **state) {
  /* 0.3 + 0.6 = 0.9; the "scenarios" list starts at column 15 of line 2. */
  const char *text = "{\"parley\": 1, \"criteria\": [{\"id\": \"x\", \"direction\": \"max\"}],\n"
                     " \"scenarios\": [{\"id\": \"a\", \"probability\": 0.3}, {\"id\": \"b\", "
                     "\"probability\": 0.6}],\n"
                     " \"strategies\": [{\"id\": \"s\"}],\n"
                     " \"outcomes\": {\"s\": {\"a\": {\"x\": 1}, \"b\": {\"x\": 2}}}}";
  assert_string_equal(parse_fails(*state, text, PARLEY_EINVALID),
                      "talks.json: scenarios (2:15): the probabilities sum to 0.9, expected 1 "
                      "(within 1e-9)");
}

static void test_loader__records_reject_a_cell_given_twice(void **state) {
  contains(load_fails(*state, BAD "/record-duplicate.json", PARLEY_EINVALID),
           "record-duplicate.json: outcomes[2] (15:5): duplicate record for strategy "
           "'ceasefire', scenario 'breakthrough' (first at outcomes[0])");
}

static void test_loader__unreadable_file_is_an_io_error(void **state) {
  char want[256];
  snprintf(want, sizeof want, "%s: cannot read: %s", DATA "/no-such-model.json", strerror(ENOENT));
  assert_string_equal(load_fails(*state, DATA "/no-such-model.json", PARLEY_EIO), want);
}

static void test_loader__unknown_generator_is_not_found(void **state) {
  /* One line: `{"parley": 1, ` 1-14, "criteria" from 15 to its list's ']'
   * at 59, ", " 60-61, "strategies" from 62 to its ']' at 88, ", " 89-90,
   * "scenarios" 91-101, ':' 102, ' ' 103, and the generator's '{' at 104. */
  contains(
      parse_fails(*state,
                  "{\"parley\": 1, \"criteria\": [{\"id\": \"x\", \"direction\": \"max\"}],"
                  " \"strategies\": [{\"id\": \"s\"}], \"scenarios\": {\"generator\": \"lhs\"},"
                  " \"outcomes\": {}}",
                  PARLEY_ENOTFOUND),
      "talks.json: scenarios.generator (1:118): unknown scenario generator 'lhs'");
}

/* ---- positions ----------------------------------------------------------- */
static void test_jsonpos__locates_values_past_escapes_and_nesting(void **state) {
  (void)state;
  /* Byte offsets: the key "a\"b" occupies 1-6, its object opens at 9; "x"
   * 10-12, '[' at 15, 10 at 16-17, ", " 18-19, the second element '{' at 20,
   * "y" 21-23, ':' 24, 2 at 26.  Then `]` 28, `, "z": "}]"` 29-39 (the "}]"
   * is inside a string and closes nothing), '}' 40, ", " 41-42, "c" 43-45,
   * ':' 46, 3 at 48. */
  const char *t = "{\"a\\\"b\": {\"x\": [10, {\"y\": 2}], \"z\": \"}]\"}, \"c\": 3}";
  size_t n = strlen(t), found;
  parley__jstep p1[] = {{"a\"b", SIZE_MAX}, {"x", SIZE_MAX}, {NULL, 1}, {"y", SIZE_MAX}};
  assert_int_equal(parley__json_locate(t, n, p1, 4, &found), 26);
  assert_int_equal(found, 4);
  parley__jstep p2[] = {{"c", SIZE_MAX}};
  assert_int_equal(parley__json_locate(t, n, p2, 1, &found), 48);
  /* By member position: member 1 of the top object is "c". */
  parley__jstep p3[] = {{"c", 1}};
  assert_int_equal(parley__json_locate(t, n, p3, 1, &found), 48);
  /* A path that leads nowhere gives the deepest value found: the '[' at 15. */
  parley__jstep p4[] = {{"a\"b", SIZE_MAX}, {"x", SIZE_MAX}, {NULL, 5}};
  assert_int_equal(parley__json_locate(t, n, p4, 3, &found), 15);
  assert_int_equal(found, 2);

  char path[64];
  parley__json_path_text(path, sizeof path, p1, 4);
  assert_string_equal(path, "[\"a\\\"b\"].x[1].y");
}

static void test_jsonpos__columns_count_characters_after_a_bom(void **state) {
  (void)state;
  /* A BOM (3 bytes), then line 1 "{\n", then line 2: "é" (2 bytes) "€" (3
   * bytes) ':' — the ':' at byte 3 + 2 + 5 = 10 is column 3 of line 2. */
  const char *t = "\xEF\xBB\xBF{\n\xC3\xA9\xE2\x82\xAC:";
  size_t line, col;
  parley__json_linecol(t, strlen(t), 10, &line, &col);
  assert_int_equal(line, 2);
  assert_int_equal(col, 3);
  /* The '{' right after the BOM is column 1. */
  parley__json_linecol(t, strlen(t), 3, &line, &col);
  assert_int_equal(line, 1);
  assert_int_equal(col, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_loader__outcome_forms_give_the_same_cube),
      cmocka_unit_test(test_loader__forms_without_scenarios_give_the_same_cube),
      cmocka_unit_test(test_loader__distributions_are_kept_and_their_means_used),
      cmocka_unit_test(test_loader__keeps_the_fields_the_builder_has_no_call_for),
      cmocka_unit_test(test_loader__reads_pipeline_stages_in_both_forms),
      cmocka_unit_test(test_loader__name_defaults_to_the_file_name),
      cmocka_unit_test(test_loader__csv_quoting_crlf_and_bom),
      cmocka_unit_test(test_loader__strategies_from_the_csv_in_order_of_appearance),
      cmocka_unit_test(test_loader__csv_lines_count_inside_quoted_fields),
      cmocka_unit_test(test_loader__csv_reports_empty_values_and_unknown_scenarios),
      cmocka_unit_test(test_loader__csv_errors_name_file_line_column_and_header),
      cmocka_unit_test(test_loader__rejects_duplicate_criterion_id),
      cmocka_unit_test(test_loader__missing_cell_is_named_at_the_enclosing_object),
      cmocka_unit_test(test_loader__wrong_type_names_path_and_position),
      cmocka_unit_test(test_loader__rejects_non_finite_numbers),
      cmocka_unit_test(test_loader__unknown_ids_are_not_found),
      cmocka_unit_test(test_loader__syntax_error_says_what_was_expected),
      cmocka_unit_test(test_loader__rejects_unknown_keys_and_bad_versions),
      cmocka_unit_test(test_loader__probabilities_all_or_none_summing_to_one),
      cmocka_unit_test(test_loader__records_reject_a_cell_given_twice),
      cmocka_unit_test(test_loader__unreadable_file_is_an_io_error),
      cmocka_unit_test(test_loader__unknown_generator_is_not_found),
      cmocka_unit_test(test_jsonpos__locates_values_past_escapes_and_nesting),
      cmocka_unit_test(test_jsonpos__columns_count_characters_after_a_bom),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
