/*
 * test_csv.c — the CSV reader's number parser (core/csv.c) against the C
 * library's strtod, bit for bit: hand-picked hard cases (the edges of the
 * double range, halfway points that round to even, the smallest subnormal,
 * values with more digits than a double holds, digits beyond the 800 the
 * parser keeps), then many random decimal strings and every double printed
 * with 15, 16 and 17 significant digits.  strtod (glibc's, correctly
 * rounded) is the reference; these tests check only that the fast path and
 * the rewriting for strtod change nothing.  Also what is not a number.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

static uint64_t bits(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

/* s must read, whole, to the same bits as strtod gives. */
static int same_as_strtod(const char *s) {
  char *end;
  double want = strtod(s, &end);
  double got = -1234.5;
  if (*end != '\0') {
    print_error("strtod does not read all of '%s'\n", s);
    return 0;
  }
  if (!parley__csv_number(s, strlen(s), &got)) {
    print_error("'%s' not read as a number\n", s);
    return 0;
  }
  if (bits(got) != bits(want)) {
    print_error("'%s': got %a, strtod gives %a\n", s, got, want);
    return 0;
  }
  return 1;
}

static void test_csv__hard_cases_match_strtod(void **state) {
  (void)state;
  static const char *cases[] = {
      "0",
      "-0",
      "+0",
      "0.0",
      "-0.0",
      "00000",
      "0e999999",
      "-0e-999999",
      ".5",
      "5.",
      "-.5e1",
      "1",
      "-1",
      "+1",
      "12.345",
      "-12.345",
      "1e-3",
      "1E3",
      "1e+3",
      "0.1",
      "0.2",
      "0.3",
      "123456789012345",
      "1234567890123456",
      "12345678901234567",
      "123456789012345678",
      "1234567890123456789",
      "12345678901234567890",
      "99999999999999999999999",
      "9007199254740992", /* 2^53 */
      "9007199254740993", /* 2^53 + 1: halfway, rounds to even (2^53) */
      "9007199254740995", /* halfway, rounds to even (2^53 + 4) */
      "9007199254740993.0000000000000000000000000000001", /* just above halfway: up */
      "1e22",
      "1e23", /* 10^22 is exact, 10^23 is not */
      "1e-22",
      "1e-23",
      "3e22",
      "9007199254740991e22",
      "9007199254740992e15",
      "123e30",
      "1.7976931348623157e308",  /* DBL_MAX */
      "1.7976931348623158e308",  /* rounds to DBL_MAX */
      "2.2250738585072014e-308", /* DBL_MIN */
      "2.2250738585072011e-308", /* the largest subnormal, nearly */
      "2.2250738585072012e-308",
      "4.9406564584124654e-324", /* the smallest subnormal */
      "2.4703282292062328e-324", /* just above half of it: rounds up to it */
      "2.4703282292062327e-324", /* just below half of it: rounds to 0 */
      "1e-400",
      "-1e-400",
      "1e-320",
      "0.000000000000000000000000000000000000000000000000000000000000000000000000001",
      "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899",
      "2.718281828459045235360287471352662497757247093699959574966967627724076630353547594571",
      "0.30000000000000004",
      "0.1000000000000000055511151231257827021181583404541015625",
      "7.2057594037927933e16",
      "8.988465674311579e307",
      "4.35679e-10",
      "1.00000000000000011102230246251565404236316680908203125",
      "1.00000000000000011102230246251565404236316680908203124",
      "1.00000000000000011102230246251565404236316680908203126",
      "123456.789e-3",
      "0.0000001234567890123456789",
      "1000000000000000000000000.0",
      "17976931348623157081452742373170435679807056752584499659891747680315726078002853876058955863"
      "27668781715404589535143824642343213268894641827684675467035375169860499105765512820762454900"
      "90389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177"
      "18091929988125040402618412485836",
      "17976931348623158079372897140530341507993413271003782693617377898044496829276475094664901797"
      "75872070963302864166928879109465555478519404026306574886715058206819089020007083836762738548"
      "45817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711"
      "559699508093042880177904174497791",
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) assert_true(same_as_strtod(cases[i]));
}

/* Digits beyond the 800 the parser keeps still decide the rounding: the
 * halfway point 2^53 + 1 followed by 900 zeros rounds down (to even), and
 * with one more non-zero digit after them rounds up. */
static void test_csv__digits_beyond_800_still_round(void **state) {
  (void)state;
  char buf[2200];
  size_t n = (size_t)snprintf(buf, sizeof buf, "9007199254740993.");
  for (int i = 0; i < 900; i++) buf[n++] = '0';
  buf[n] = '\0';
  assert_true(same_as_strtod(buf));
  buf[n++] = '1';
  buf[n] = '\0';
  assert_true(same_as_strtod(buf));
  /* A thousand leading zeros after the point, then digits. */
  n = (size_t)snprintf(buf, sizeof buf, "0.");
  for (int i = 0; i < 1000; i++) buf[n++] = '0';
  n += (size_t)snprintf(buf + n, sizeof buf - n, "4940656458412465441765687928682213723651e1300");
  assert_true(same_as_strtod(buf));
  /* 1000 digits before the point. */
  n = 0;
  for (int i = 0; i < 1000; i++) buf[n++] = (char)('1' + i % 9);
  n += (size_t)snprintf(buf + n, sizeof buf - n, "e-1000");
  assert_true(same_as_strtod(buf));
}

/* xorshift64*: the test's own reproducible random numbers. */
static uint64_t next(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 2685821657736338717ull;
}

static void test_csv__random_decimal_strings_match_strtod(void **state) {
  (void)state;
  uint64_t seed = 0x9E3779B97F4A7C15ull;
  char buf[128];
  for (int t = 0; t < 300000; t++) {
    size_t n = 0;
    uint64_t r = next(&seed);
    if (r & 1) buf[n++] = '-';
    int digits = 1 + (int)((r >> 1) % 25), point = (int)((r >> 6) % (unsigned)(digits + 1));
    for (int i = 0; i < digits; i++) {
      if (i == point && i > 0) buf[n++] = '.';
      buf[n++] = (char)('0' + next(&seed) % 10);
    }
    if ((r >> 12) & 1) {
      /* exponents over the whole range and a little past it */
      int e = (int)((r >> 13) % 700) - 350;
      n += (size_t)snprintf(buf + n, sizeof buf - n, "e%d", e);
    }
    buf[n] = '\0';
    if (!same_as_strtod(buf)) fail();
  }
}

static void test_csv__printed_doubles_read_back_like_strtod(void **state) {
  (void)state;
  uint64_t seed = 42;
  char buf[64];
  for (int t = 0; t < 200000; t++) {
    uint64_t u = next(&seed);
    if (t % 4 == 0) u &= 0x800FFFFFFFFFFFFFull; /* subnormals */
    double x;
    memcpy(&x, &u, sizeof x);
    if (!isfinite(x)) continue;
    for (int prec = 15; prec <= 17; prec++) {
      snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
      if (!same_as_strtod(buf)) fail();
    }
    /* Plain fixed-point values like a spreadsheet writes. */
    snprintf(buf, sizeof buf, "%.*f", (int)(u % 7), (double)(int64_t)(u >> 40) / 1000.0);
    if (!same_as_strtod(buf)) fail();
  }
}

static void test_csv__rejects_what_is_not_a_number(void **state) {
  (void)state;
  static const char *bad[] = {"",         "-",     "+",     ".",    "-.",   "e5",  ".e5",
                              "1e",       "1e+",   "1.5e-", "inf",  "-inf", "nan", "NaN",
                              "Infinity", "0x10",  "1.2.3", "--1",  "+-1",  " 1",  "1 ",
                              "1,5",      "12abc", "1e5x",  "\"1\""};
  double v;
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    if (parley__csv_number(bad[i], strlen(bad[i]), &v)) {
      print_error("'%s' read as a number\n", bad[i]);
      fail();
    }
  }
  /* Out of range reads as infinity: the reader reports it. */
  assert_true(parley__csv_number("1e999", 5, &v));
  assert_true(isinf(v) && v > 0);
  assert_true(parley__csv_number("-1e400", 6, &v));
  assert_true(isinf(v) && v < 0);
}

/* The parser reads only the bytes it is given: "12345" cut at 3 is 123. */
static void test_csv__reads_only_the_given_bytes(void **state) {
  (void)state;
  double v;
  assert_true(parley__csv_number("12345", 3, &v));
  assert_true(v == 123);
  assert_true(parley__csv_number("1e99", 2, &v) == false); /* "1e" */
  const char *s = "2.5,7";
  const char *end = parley__csv_scan_number(s, s + 5, &v);
  assert_true(end == s + 3 && v == 2.5);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_csv__hard_cases_match_strtod),
      cmocka_unit_test(test_csv__digits_beyond_800_still_round),
      cmocka_unit_test(test_csv__random_decimal_strings_match_strtod),
      cmocka_unit_test(test_csv__printed_doubles_read_back_like_strtod),
      cmocka_unit_test(test_csv__rejects_what_is_not_a_number),
      cmocka_unit_test(test_csv__reads_only_the_given_bytes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
