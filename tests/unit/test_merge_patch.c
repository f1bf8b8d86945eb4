/*
 * test_merge_patch.c — JSON Merge Patch (cli/merge_patch.c), which
 * `parley batch --sweep` applies to a base model.  The expected documents
 * are those of the RFC itself: the fifteen example test cases of RFC 7396
 * Appendix A, and the worked example of its section 3.  Documents are
 * compared as JSON values (member order does not matter, array order
 * does), as the RFC's examples intend.  A last test fails each allocation
 * in turn and checks that nothing leaks or crashes (the sanitizer build
 * catches a leak).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "merge_patch.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Parses text, failing the test when it is not JSON. */
static cJSON *parse(const char *text) {
  cJSON *v = cJSON_Parse(text);
  if (!v) fail_msg("not JSON: %s", text);
  return v;
}

/* MergePatch(original, patch) equals expected; the patch is unchanged. */
static void check(const char *original, const char *patch, const char *expected) {
  cJSON *t = parse(original), *p = parse(patch), *want = parse(expected);
  char *before = cJSON_PrintUnformatted(p);
  cJSON *got = cli_merge_patch(t, p);
  assert_non_null(got);
  if (!cJSON_Compare(got, want, 1)) {
    char *g = cJSON_PrintUnformatted(got);
    fail_msg("MergePatch(%s, %s) = %s, expected %s", original, patch, g ? g : "?", expected);
  }
  char *after = cJSON_PrintUnformatted(p);
  assert_string_equal(before, after);
  cJSON_free(before);
  cJSON_free(after);
  cJSON_Delete(got);
  cJSON_Delete(p);
  cJSON_Delete(want);
}

/* RFC 7396 Appendix A, "Example Test Cases": ORIGINAL, PATCH, RESULT, in
 * the RFC's order. */
static const char *const appendix_a[15][3] = {
    {"{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
    {"{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"},
    {"{\"a\":\"b\"}", "{\"a\":null}", "{}"},
    {"{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}"},
    {"{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
    {"{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}"},
    {"{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}"},
    {"{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}"},
    {"[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]"},
    {"{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]"},
    {"{\"a\":\"foo\"}", "null", "null"},
    {"{\"a\":\"foo\"}", "\"bar\"", "\"bar\""},
    {"{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}"},
    {"[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}"},
    {"{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}"},
};

static void test_merge_patch__matches_rfc7396_appendix_a(void **state) {
  (void)state;
  for (size_t i = 0; i < 15; i++) check(appendix_a[i][0], appendix_a[i][1], appendix_a[i][2]);
}

/* RFC 7396 section 3, "Example": the title replaced, a member added, a
 * nested member removed, an array replaced whole. */
static void test_merge_patch__matches_rfc7396_section_3(void **state) {
  (void)state;
  check("{\"title\":\"Goodbye!\",\"author\":{\"givenName\":\"John\",\"familyName\":\"Doe\"},"
        "\"tags\":[\"example\",\"sample\"],\"content\":\"This will be unchanged\"}",
        "{\"title\":\"Hello!\",\"phoneNumber\":\"+01-123-456-7890\","
        "\"author\":{\"familyName\":null},\"tags\":[\"example\"]}",
        "{\"title\":\"Hello!\",\"author\":{\"givenName\":\"John\"},\"tags\":[\"example\"],"
        "\"content\":\"This will be unchanged\",\"phoneNumber\":\"+01-123-456-7890\"}");
}

/* A replaced member keeps its place and a new one comes last, so a
 * patched model prints in the original's order (RFC 7396 leaves order
 * open; this is the program's promise). */
static void test_merge_patch__keeps_member_order(void **state) {
  (void)state;
  cJSON *t = parse("{\"a\":1,\"b\":{\"x\":1},\"c\":3}");
  cJSON *p = parse("{\"z\":0,\"b\":{\"y\":2},\"a\":5}");
  cJSON *got = cli_merge_patch(t, p);
  assert_non_null(got);
  char *s = cJSON_PrintUnformatted(got);
  assert_string_equal(s, "{\"a\":5,\"b\":{\"x\":1,\"y\":2},\"c\":3,\"z\":0}");
  cJSON_free(s);
  cJSON_Delete(got);
  cJSON_Delete(p);
}

/* NULL stands for a document with no value: an object patch gives the
 * patch with its nulls dropped. */
static void test_merge_patch__absent_target(void **state) {
  (void)state;
  cJSON *p = parse("{\"a\":{\"b\":null,\"c\":1},\"d\":null}");
  cJSON *want = parse("{\"a\":{\"c\":1}}");
  cJSON *got = cli_merge_patch(NULL, p);
  assert_true(cJSON_Compare(got, want, 1));
  cJSON_Delete(got);
  cJSON_Delete(p);
  cJSON_Delete(want);
}

/* ---- allocation failures ---------------------------------------------------- */
static long allocs_left = -1; /* -1: no limit */

static void *limited_malloc(size_t n) {
  if (allocs_left == 0) return NULL;
  if (allocs_left > 0) allocs_left--;
  return malloc(n);
}

/* Each allocation of a merge fails in turn: the call gives NULL (and the
 * sanitizer build sees no leak) until the limit is high enough, and then
 * the right answer. */
static void test_merge_patch__survives_allocation_failures(void **state) {
  (void)state;
  cJSON_Hooks hooks = {limited_malloc, free};
  cJSON_InitHooks(&hooks);
  cJSON *p = parse("{\"a\":{\"b\":\"d\",\"c\":null,\"e\":{\"f\":[1,2]}},\"g\":7,\"h\":null}");
  cJSON *want = parse("{\"a\":{\"b\":\"d\",\"e\":{\"f\":[1,2]}},\"g\":7}");
  bool done = false;
  for (long limit = 0; limit < 1000 && !done; limit++) {
    cJSON *t = parse("{\"a\":{\"b\":\"c\",\"c\":1},\"h\":2}");
    allocs_left = limit;
    cJSON *got = cli_merge_patch(t, p);
    allocs_left = -1;
    if (got) {
      assert_true(cJSON_Compare(got, want, 1));
      cJSON_Delete(got);
      done = true;
    }
  }
  assert_true(done);
  cJSON_Delete(p);
  cJSON_Delete(want);
  cJSON_InitHooks(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_merge_patch__matches_rfc7396_appendix_a),
      cmocka_unit_test(test_merge_patch__matches_rfc7396_section_3),
      cmocka_unit_test(test_merge_patch__keeps_member_order),
      cmocka_unit_test(test_merge_patch__absent_target),
      cmocka_unit_test(test_merge_patch__survives_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
