/*
 * test_plugins.c — the Lua plugin host (core/lua_host.c, core/plugin_path.c,
 * core/lua_sandlib.c): every way out of the sandbox is tried and refused
 * with a clear message; every limit (instructions, memory, wall clock) stops
 * its runaway plugin with "plugin FILE:LINE: ..." and leaves the engine
 * usable; bad plugin files are refused with the right code; discovery and
 * override order; seeded randomness; two engines in two threads; bad
 * weights; the views (model, result, writer, host:read) and their lifetime.
 *
 * Plugin files are written by the tests into a scratch directory made in
 * the working directory and removed at the end.  The counting string and
 * table functions are compared with Lua's own library on a corpus of
 * patterns: the reference values are the real library's, run in the same
 * test.
 */
#define _XOPEN_SOURCE 700 /* nftw, before any header */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lua_sandlib.h"
#include "parley.h"

static char scratch[64]; /* the scratch directory, relative to the working directory */

/* "scratch/rel" into out. */
static const char *at(char *out, size_t n, const char *rel) {
  snprintf(out, n, "%s/%s", scratch, rel);
  return out;
}

static void write_bytes(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

static void write_text(const char *path, const char *text) {
  write_bytes(path, text, strlen(text));
}

static void make_dir(const char *rel) {
  char p[512];
  assert_int_equal(mkdir(at(p, sizeof p, rel), 0755), 0);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(path);
}

static int group_setup(void **state) {
  (void)state;
  snprintf(scratch, sizeof scratch, "plugins-test-XXXXXX");
  return mkdtemp(scratch) ? 0 : -1;
}

static int group_teardown(void **state) {
  (void)state;
  return nftw(scratch, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- helpers ------------------------------------------------------------------ */
/* Criteria a (max) and b (min), strategies s1..s3, no scenarios. */
static parley_model *small_model(parley_engine *e) {
  parley_model *m;
  assert_int_equal(parley_model_new(e, &m, "small"), PARLEY_OK);
  assert_int_equal(parley_model_add_criterion(m, "a", "A", PARLEY_MAX, NAN), PARLEY_OK);
  assert_int_equal(parley_model_add_criterion(m, "b", "B", PARLEY_MIN, NAN), PARLEY_OK);
  const char *s[] = {"s1", "s2", "s3"};
  const double a[] = {1, 2, 3}, b[] = {3, 1, 2};
  for (int i = 0; i < 3; i++) assert_int_equal(parley_model_add_strategy(m, s[i], NULL), PARLEY_OK);
  for (int i = 0; i < 3; i++) {
    assert_int_equal(parley_model_set_outcome(m, s[i], NULL, "a", a[i]), PARLEY_OK);
    assert_int_equal(parley_model_set_outcome(m, s[i], NULL, "b", b[i]), PARLEY_OK);
  }
  return m;
}

static parley_engine *new_engine(const parley_plugin_options *o) {
  parley_engine *e;
  assert_int_equal(parley_engine_new(&e, NULL), PARLEY_OK);
  assert_int_equal(parley_engine_set_plugin_options(e, o), PARLEY_OK);
  return e;
}

/* Runs the small model with the weighting stage w: the result code, the
 * result (when out is not NULL and the run succeeded). */
static int run_with(parley_engine *e, const char *w, parley_result **out) {
  parley_model *m = small_model(e);
  parley_run_options ro = PARLEY_RUN_OPTIONS_INIT;
  ro.stage[PARLEY_STAGE_WEIGHTING] = w;
  parley_result *r = NULL;
  int rc = parley_run(e, m, &ro, &r);
  parley_model_free(m);
  if (out)
    *out = r;
  else
    parley_result_free(r);
  return rc;
}

/* A weighting plugin "name" whose weights function runs `body` (at line 3)
 * then returns equal weights, written to scratch/file. */
static void probe_file(char *path, size_t n, const char *file, const char *name,
                       const char *body) {
  char text[8192];
  snprintf(text, sizeof text,
           "return {api = 1, kind = \"weighting\", name = \"%s\",\n"
           "  weights = function(model, params)\n"
           "    %s\n"
           "    return {a = 1, b = 1}\n"
           "  end}\n",
           name, body);
  write_text(at(path, n, file), text);
}

/* Asserts that msg contains each of the NULL-terminated needles. */
static void assert_has(const char *msg, ...) {
  va_list ap;
  va_start(ap, msg);
  for (const char *needle; (needle = va_arg(ap, const char *));) {
    if (!strstr(msg, needle)) {
      print_error("message \"%s\" lacks \"%s\"\n", msg, needle);
      fail();
    }
  }
  va_end(ap);
}

/* The plugin body at line 3 fails a run with a message "plugin FILE:3:
 * ...needle..." and result code `code`; the same engine then runs a good
 * plugin and a built-in stage. */
static void expect_refused(const parley_plugin_options *o, const char *body, const char *needle,
                           int code) {
  static int serial;
  char file[64], path[512], where[600];
  snprintf(file, sizeof file, "probe%d.lua", ++serial);
  probe_file(path, sizeof path, file, "probe", body);
  parley_engine *e = new_engine(o);
  assert_int_equal(parley_plugins_load(e, path), PARLEY_OK);
  assert_int_equal(run_with(e, "probe", NULL), code);
  snprintf(where, sizeof where, "plugin %s:3: ", path);
  assert_has(parley_engine_errmsg(e), where, needle, NULL);
  /* The engine is usable afterwards. */
  char good[512];
  probe_file(good, sizeof good, "good.lua", "good", "local x = 1");
  assert_int_equal(parley_plugins_load(e, good), PARLEY_OK);
  parley_result *r;
  assert_int_equal(run_with(e, "good", &r), PARLEY_OK);
  assert_true(fabs(parley_result_weight(r, 0) - 0.5) < 1e-15);
  parley_result_free(r);
  assert_int_equal(run_with(e, "equal", NULL), PARLEY_OK);
  parley_engine_free(e);
}

/* ---- sandbox escapes ------------------------------------------------------------ */
/* `return 42` compiled by luac 5.4 (luac -s): a genuine binary chunk, as a
 * Lua string of decimal escapes. */
#define BINARY_CHUNK                                                                     \
  "\\27\\76\\117\\97\\84\\0\\25\\147\\13\\10\\26\\10\\4\\8\\8\\120\\86\\0\\0\\0\\0"      \
  "\\0\\0\\0\\0\\0\\0\\0\\40\\119\\64\\1\\128\\128\\128\\0\\1\\2\\132\\81\\0\\0\\0"      \
  "\\1\\128\\20\\128\\70\\0\\2\\1\\70\\0\\1\\1\\128\\129\\1\\0\\0\\128\\128\\128"        \
  "\\128\\128"

static void test_sandbox__binary_chunk_is_real(void **state) {
  (void)state;
  /* The bytes load as a binary chunk in plain Lua (so the refusals below
   * are the sandbox's doing, not a bad chunk). */
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  assert_int_equal(luaL_dostring(L, "local f = assert(load(\"" BINARY_CHUNK "\", 'c', 'b'))\n"
                                    "return f()"),
                   LUA_OK);
  assert_int_equal(lua_tointeger(L, -1), 42);
  lua_close(L);
}

static void test_sandbox__refuses_escapes(void **state) {
  (void)state;
  static const struct {
    const char *body, *needle;
  } cases[] = {
    {"io.open('x')", "attempt to index a nil value (global 'io')"},
    {"os.execute('true')", "attempt to call a nil value (field 'execute')"},
    {"os.getenv('HOME')", "attempt to call a nil value (field 'getenv')"},
    {"os.exit(1)", "attempt to call a nil value (field 'exit')"},
    {"os.remove('x')", "attempt to call a nil value (field 'remove')"},
    {"require 'io'", "attempt to call a nil value (global 'require')"},
    {"require('string')", "attempt to call a nil value (global 'require')"},
    {"dofile('x')", "attempt to call a nil value (global 'dofile')"},
    {"loadfile('x')", "attempt to call a nil value (global 'loadfile')"},
    {"print('x')", "attempt to call a nil value (global 'print')"},
    {"coroutine.wrap(print)", "attempt to index a nil value (global 'coroutine')"},
    {"string.dump(function() end)", "attempt to call a nil value (field 'dump')"},
    {"(''):dump()", "attempt to call a nil value (method 'dump')"},
    {"debug.getregistry()", "attempt to index a nil value (global 'debug')"},
    {"package.loadlib('x', 'y')", "attempt to index a nil value (global 'package')"},
    {"math.randomseed(1)", "attempt to call a nil value (field 'randomseed')"},
    {"local f, err = load(\"" BINARY_CHUNK "\", 'bin', 'b') assert(not f) error(err)",
     "attempt to load a binary chunk (mode is 't')"},
    {"local f, err = load(function() return nil end) local g, e2 = load(\"" BINARY_CHUNK
     "\") assert(f and not g) error(e2)",
     "attempt to load a binary chunk"},
    {"local mt = getmetatable('') mt.__index = {}", "attempt to index a boolean value"},
    {"collectgarbage('stop')", "collectgarbage(\"stop\") is not allowed in a plugin"},
    {"collectgarbage()", "collectgarbage(\"collect\") is not allowed in a plugin"},
    {"setmetatable(model, {})", "bad argument #1 to 'setmetatable' (table expected, got "
                                "parley.model)"},
    {"model.name = 'x'", "the model is read-only"},
    {"model.criteria = {}", "the model is read-only"},
    {"local c = model.criteria model.criteria = c", "the model is read-only"},
    {"rawset(model, 'name', 'x')", "bad argument #1 to 'rawset' (table expected"},
    {"getmetatable(model).__index = nil", "attempt to index a boolean value"},
    {"setmetatable({}, {__gc = function() while true do end end})",
     "setmetatable: a __gc metamethod is not allowed in a plugin"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    expect_refused(NULL, cases[i].body, cases[i].needle, PARLEY_ERROR);
  /* invalid() reports bad input; one the plugin caught does not taint a
   * later, ordinary error. */
  expect_refused(NULL, "invalid('bad parameter')", "bad parameter", PARLEY_EINVALID);
  expect_refused(NULL, "pcall(invalid, 'caught') error('later')", "later", PARLEY_ERROR);
}

/* What the sandbox does give works: the listed base functions, load of
 * text with the plugin's own environment, collectgarbage("count"), os.clock,
 * os.time, os.date, utf8, and the counting string and table functions. */
static void test_sandbox__allowed_functions_work(void **state) {
  (void)state;
  expect_refused(NULL,
                 "assert(type(collectgarbage('count')) == 'number') "
                 "assert(os.clock() >= 0 and os.time() > 0 and #os.date('%Y') == 4) "
                 "assert(utf8.len('\\u{e9}t\\u{e9}') == 3) "
                 "assert(load('return X')() == nil) X = 5 assert(load('return X')() == 5) "
                 "assert(load('return X', 'c', 't', {X = 6})() == 6) "
                 "assert(select('#', ('a,b'):find(',')) == 2) "
                 "assert(('k=v'):match('(%w)=(%w)') == 'k') "
                 "assert(('aXbX'):gsub('X', '-') == 'a-b-') "
                 "local t = {3, 1, 2} table.sort(t) table.insert(t, 1, 0) table.remove(t) "
                 "assert(table.concat(t, ',') == '0,1,2') "
                 "assert(table.concat(table.move({1, 2}, 1, 2, 2, {9}), ',') == '9,1,2') "
                 "assert(pcall(error, 'x') == false) error('all allowed')",
                 "all allowed", PARLEY_ERROR);
}

/* One plugin changes string.upper, its copy of the library; another
 * plugin's ("x"):upper() and string.upper are unaffected, and so is the
 * first plugin's own method call (the strings' library is shared and out
 * of reach). */
static void test_sandbox__string_changes_stay_in_their_plugin(void **state) {
  (void)state;
  char a[512], b[512];
  probe_file(a, sizeof a, "mutate.lua", "mutate",
             "string.upper = function() return 'HACKED' end string.x = 1 "
             "assert(('x'):upper() == 'X') assert(pcall(function() getmetatable('').__index = "
             "string end) == false) math.pi = 3");
  probe_file(b, sizeof b, "check.lua", "check",
             "assert(('x'):upper() == 'X', 'method changed') "
             "assert(string.upper('x') == 'X', 'copy changed') "
             "assert(string.x == nil and ('').x == nil and math.pi > 3.14, 'library changed')");
  parley_engine *e = new_engine(NULL);
  assert_int_equal(parley_plugins_load(e, a), PARLEY_OK);
  assert_int_equal(parley_plugins_load(e, b), PARLEY_OK);
  assert_int_equal(run_with(e, "mutate", NULL), PARLEY_OK);
  assert_int_equal(run_with(e, "check", NULL), PARLEY_OK);
  assert_int_equal(run_with(e, "mutate", NULL), PARLEY_OK);
  assert_int_equal(run_with(e, "check", NULL), PARLEY_OK);
  parley_engine_free(e);
}

/* A model view or writer kept in a global and used in a later call is
 * refused; nothing crashes. */
static void test_sandbox__kept_views_are_refused(void **state) {
  (void)state;
  char p[512], f[512];
  probe_file(p, sizeof p, "keep.lua", "keep",
             "if KEPT then local x = KEPT.strategies end KEPT = model");
  write_text(at(f, sizeof f, "keepw.lua"),
             "return {api = 1, kind = \"format\", name = \"keepw\",\n"
             "  write = function(result, out)\n"
             "    if W then W:write('again') end\n"
             "    W = out out:write('ok')\n"
             "  end}\n");
  parley_engine *e = new_engine(NULL);
  assert_int_equal(parley_plugins_load(e, p), PARLEY_OK);
  assert_int_equal(parley_plugins_load(e, f), PARLEY_OK);
  assert_int_equal(run_with(e, "keep", NULL), PARLEY_OK);
  assert_int_equal(run_with(e, "keep", NULL), PARLEY_ERROR);
  assert_has(parley_engine_errmsg(e), p, ":3: the model view was kept past the call", NULL);
  parley_result *r;
  assert_int_equal(run_with(e, "equal", &r), PARLEY_OK);
  char *out;
  assert_int_equal(parley_result_format(e, r, "keepw", &out, NULL), PARLEY_OK);
  assert_string_equal(out, "ok");
  parley_free(e, out);
  assert_int_equal(parley_result_format(e, r, "keepw", &out, NULL), PARLEY_ERROR);
  assert_has(parley_engine_errmsg(e), f, ":3: the writer was kept past its call", NULL);
  parley_result_free(r);
  parley_engine_free(e);
}

/* ---- limits ---------------------------------------------------------------------- */
static void test_limits__stop_runaways_and_leave_the_engine_usable(void **state) {
  (void)state;
  parley_plugin_options o = PARLEY_PLUGIN_OPTIONS_INIT;
  o.instructions = 1000000;
  o.memory = (size_t)16 << 20;
  o.seconds = 20;
  expect_refused(&o, "while true do end", "instruction limit of 1000000 exceeded", PARLEY_ERROR);
  parley_plugin_options deep = o;
  deep.memory = 0; /* the defaults: the Lua stack's own limit comes first */
  deep.instructions = 0;
  expect_refused(&deep, "local function f(n) return 1 + f(n + 1) end f(1)", "stack overflow",
                 PARLEY_ERROR);
  expect_refused(&o, "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(1000) .. i end",
                 "memory limit of 16 MiB exceeded", PARLEY_ERROR);
  expect_refused(&o, "local s = string.rep('x', 64 << 20)", "memory limit of 16 MiB exceeded",
                 PARLEY_ERROR);
  /* pcall cannot catch its way past a limit, nor return as if all was well. */
  expect_refused(&o, "while true do pcall(function() while true do end end) end",
                 "instruction limit of 1000000 exceeded", PARLEY_ERROR);
  expect_refused(&o, "local ok = pcall(function() while true do end end) assert(not ok)",
                 "instruction limit of 1000000 exceeded", PARLEY_ERROR);
  expect_refused(&o, "local ok = pcall(string.rep, 'x', 64 << 20) assert(not ok)",
                 "memory limit of 16 MiB exceeded", PARLEY_ERROR);
  /* Work done inside one library call is counted too. */
  expect_refused(&o, "table.move({}, 1, 1 << 60, 2)", "instruction limit of 1000000 exceeded",
                 PARLEY_ERROR);
  expect_refused(&o, "local s = ('a'):rep(40) s:find(('a*'):rep(12) .. 'b')",
                 "instruction limit of 1000000 exceeded", PARLEY_ERROR);
  expect_refused(&o, "for w in ('a'):rep(40):gmatch(('.-'):rep(12) .. 'b') do end",
                 "instruction limit of 1000000 exceeded", PARLEY_ERROR);
  expect_refused(&o, "local t = {} for i = 1, 1e5 do t[i] = i end "
                     "for i = 1, 1e5 do table.insert(t, 1, i) end",
                 "instruction limit of 1000000 exceeded", PARLEY_ERROR);
}

/* A loop that does little but read the clock: a huge instruction budget,
 * a tiny time limit. */
static void test_limits__wall_clock(void **state) {
  (void)state;
  parley_plugin_options o = PARLEY_PLUGIN_OPTIONS_INIT;
  o.instructions = UINT64_C(1) << 50;
  o.seconds = 0.05;
  expect_refused(&o, "while true do os.clock() end", "time limit of 0.05 s exceeded",
                 PARLEY_ERROR);
  /* Inside a pattern match, which no instruction hook sees. */
  expect_refused(&o, "local s = ('a'):rep(60) s:find(('a-'):rep(14) .. 'b')",
                 "time limit of 0.05 s exceeded", PARLEY_ERROR);
}

static void test_limits__bad_options(void **state) {
  (void)state;
  parley_engine *e = new_engine(NULL);
  parley_plugin_options o = PARLEY_PLUGIN_OPTIONS_INIT;
  o.seconds = -1;
  assert_int_equal(parley_engine_set_plugin_options(e, &o), PARLEY_EINVALID);
  o.seconds = NAN;
  assert_int_equal(parley_engine_set_plugin_options(e, &o), PARLEY_EINVALID);
  o.seconds = 0;
  o.version = 99;
  assert_int_equal(parley_engine_set_plugin_options(e, &o), PARLEY_EUSAGE);
  assert_int_equal(parley_engine_set_plugin_options(e, NULL), PARLEY_OK);
  parley_engine_free(e);
}

/* ---- loading: validation ------------------------------------------------------- */
static void expect_bad_file(const char *file, const char *text, int code, const char *needle) {
  char path[512], where[600];
  write_text(at(path, sizeof path, file), text);
  parley_engine *e = new_engine(NULL);
  size_t weightings = parley_stage_count(e, PARLEY_STAGE_WEIGHTING);
  assert_int_equal(parley_plugins_load(e, path), code);
  snprintf(where, sizeof where, "plugin %s", path);
  assert_has(parley_engine_errmsg(e), where, needle, NULL);
  /* The engine still answers, and the refused file registered nothing. */
  assert_int_equal(parley_stage_count(e, PARLEY_STAGE_WEIGHTING), weightings);
  assert_int_equal(run_with(e, "equal", NULL), PARLEY_OK);
  parley_engine_free(e);
}

static void test_load__rejects_bad_plugin_files(void **state) {
  (void)state;
  expect_bad_file("noapi.lua",
                  "return {kind = 'weighting', name = 'x', weights = function() end}",
                  PARLEY_EINVALID, ": missing 'api'; expected api = 1");
  expect_bad_file("api2.lua",
                  "return {api = 2, kind = 'weighting', name = 'x', weights = function() end}",
                  PARLEY_EINVALID, ": api = 2 is not supported");
  expect_bad_file("kind.lua", "return {api = 1, kind = 'fancy', name = 'x'}", PARLEY_EINVALID,
                  ": unknown kind 'fancy'");
  expect_bad_file("nofn.lua", "return {api = 1, kind = 'weighting', name = 'x'}",
                  PARLEY_EINVALID, ": missing function 'weights'");
  expect_bad_file("nofmt.lua", "return {api = 1, kind = 'format', name = 'x', weights = 1}",
                  PARLEY_EINVALID, ": missing function 'write'");
  expect_bad_file("name.lua",
                  "return {api = 1, kind = 'weighting', name = 'Bad Name', weights = print}",
                  PARLEY_EINVALID, ": 'name' must be a string of lower-case letters");
  expect_bad_file("nothing.lua", "local x = 1", PARLEY_EINVALID,
                  ": expected the file to return a plugin table");
  expect_bad_file("runtime.lua", "local t = nil\nreturn t.x", PARLEY_EINVALID,
                  ":2: attempt to index a nil value");
  expect_bad_file("syntax.lua", "return {\n  api = 1,\n  kind = = 'weighting',\n}",
                  PARLEY_ESYNTAX, ":3: unexpected symbol near '='");
  char path[512];
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  /* The binary chunk as bytes, from the Lua string literal. */
  assert_int_equal(luaL_dostring(L, "return \"" BINARY_CHUNK "\""), LUA_OK);
  size_t len;
  const char *bin = lua_tolstring(L, -1, &len);
  write_bytes(at(path, sizeof path, "binary.lua"), bin, len);
  lua_close(L);
  parley_engine *e = new_engine(NULL);
  assert_int_equal(parley_plugins_load(e, path), PARLEY_ESYNTAX);
  assert_has(parley_engine_errmsg(e), path, "attempt to load a binary chunk (mode is 't')", NULL);
  parley_engine_free(e);
  /* A plugin file that loops while loading reaches the limit like a call. */
  parley_plugin_options o = PARLEY_PLUGIN_OPTIONS_INIT;
  o.instructions = 100000;
  write_text(at(path, sizeof path, "loops.lua"), "while true do end");
  e = new_engine(&o);
  assert_int_equal(parley_plugins_load(e, path), PARLEY_ERROR);
  assert_has(parley_engine_errmsg(e), path, ":1: instruction limit of 100000 exceeded", NULL);
  parley_engine_free(e);
  e = new_engine(NULL);
  assert_int_equal(parley_plugins_load(e, "no-such-plugin-dir"), PARLEY_EIO);
  parley_engine_free(e);
}

/* A message about a file whose path is longer than Lua keeps of a chunk
 * name (60 bytes) still shows the whole path. */
static void test_load__long_path_in_messages(void **state) {
  (void)state;
  const char *dir = "a-directory-with-a-rather-long-name-to-make-the-path-long";
  make_dir(dir);
  char rel[256], path[512];
  snprintf(rel, sizeof rel, "%s/and-a-plugin-file-with-a-long-name-too.lua", dir);
  probe_file(path, sizeof path, rel, "longpath", "error('deliberate')");
  assert_true(strlen(path) > 100);
  parley_engine *e = new_engine(NULL);
  assert_int_equal(parley_plugins_load(e, path), PARLEY_OK);
  assert_int_equal(run_with(e, "longpath", NULL), PARLEY_ERROR);
  char want[600];
  snprintf(want, sizeof want, "plugin %s:3: deliberate", path);
  assert_has(parley_engine_errmsg(e), want, NULL);
  parley_engine_free(e);
}

/* ---- discovery and override -------------------------------------------------------- */
/* A weighting plugin "dup" in scratch/dir whose weights are a = wa, b = 1. */
static void dup_plugin(const char *dir, const char *file, int wa) {
  char path[512], text[512];
  snprintf(text, sizeof text,
           "return {api = 1, kind = 'weighting', name = 'dup', summary = 'from %s',\n"
           "  weights = function() return {a = %d, b = 1} end}\n",
           dir, wa);
  char rel[256];
  snprintf(rel, sizeof rel, "%s/%s", dir, file);
  write_text(at(path, sizeof path, rel), text);
}

/* The information of stage `name` of kind `kind` into *out; false when
 * there is no such stage. */
static bool info_of(const parley_engine *e, int kind, const char *name,
                    parley_stage_info *out) {
  for (size_t i = 0; i < parley_stage_count(e, kind); i++) {
    parley_stage_info info;
    assert_int_equal(parley_stage_get(e, kind, i, &info), PARLEY_OK);
    if (strcmp(info.name, name) == 0) {
      *out = info;
      return true;
    }
  }
  return false;
}

/* The source file of stage `name` of kind `kind`, or NULL. */
static const char *source_of(const parley_engine *e, int kind, const char *name) {
  parley_stage_info info;
  return info_of(e, kind, name, &info) ? info.source : NULL;
}

/* The weight of criterion a after running with `dup`: wa / (wa + 1). */
static double dup_weight(parley_engine *e) {
  parley_result *r;
  assert_int_equal(run_with(e, "dup", &r), PARLEY_OK);
  double w = parley_result_weight(r, 0);
  parley_result_free(r);
  return w;
}

static void test_discovery__later_replaces_earlier(void **state) {
  (void)state;
  make_dir("first");
  make_dir("second");
  make_dir("second/sub");
  dup_plugin("first", "dup.lua", 3);
  dup_plugin("second", "a.lua", 5);
  /* Paths in byte order: "second/a.lua" < "second/sub.lua" < "second/sub/z.lua"
   * ('.' is 0x2e, '/' 0x2f), so the file in the sub-directory comes last. */
  dup_plugin("second", "sub.lua", 6);
  dup_plugin("second/sub", "z.lua", 7);
  char first[512], second[512], file[512];
  at(first, sizeof first, "first");
  at(second, sizeof second, "second");
  parley_engine *e = new_engine(NULL);
  assert_int_equal(parley_plugins_load(e, first), PARLEY_OK);
  assert_true(fabs(dup_weight(e) - 3.0 / 4) < 1e-15);
  assert_int_equal(parley_plugins_load(e, second), PARLEY_OK);
  assert_string_equal(source_of(e, PARLEY_STAGE_WEIGHTING, "dup"),
                      at(file, sizeof file, "second/sub/z.lua"));
  assert_true(fabs(dup_weight(e) - 7.0 / 8) < 1e-15);
  /* And back: the last load wins, whatever was loaded before. */
  assert_int_equal(parley_plugins_load(e, first), PARLEY_OK);
  assert_true(fabs(dup_weight(e) - 3.0 / 4) < 1e-15);
  parley_engine_free(e);
}

/* Stage information taken before a stage is replaced stays readable (the
 * header: its fields live as long as the engine); ASan would see a freed
 * string read here. */
static void test_discovery__replaced_stage_info_stays_valid(void **state) {
  (void)state;
  make_dir("keep1");
  make_dir("keep2");
  dup_plugin("keep1", "dup.lua", 2);
  dup_plugin("keep2", "dup.lua", 4);
  char one[512], two[512];
  parley_engine *e = new_engine(NULL);
  assert_int_equal(parley_plugins_load(e, at(one, sizeof one, "keep1")), PARLEY_OK);
  parley_stage_info before;
  assert_true(info_of(e, PARLEY_STAGE_WEIGHTING, "dup", &before));
  assert_int_equal(parley_plugins_load(e, at(two, sizeof two, "keep2")), PARLEY_OK);
  assert_true(fabs(dup_weight(e) - 4.0 / 5) < 1e-15);
  assert_string_equal(before.name, "dup");
  assert_non_null(strstr(before.summary, "keep1"));
  assert_string_equal(before.params, "");
  assert_non_null(strstr(before.source, "keep1/dup.lua"));
  parley_engine_free(e);
}

/* shipped < $PARLEY_PLUGIN_PATH < parley_plugins_load (--plugins). */
static void test_discovery__environment_between_shipped_and_explicit(void **state) {
  (void)state;
  make_dir("env");
  make_dir("explicit");
  dup_plugin("env", "dup.lua", 2);
  dup_plugin("explicit", "dup.lua", 9);
  char env[512], explicit[512], path[1100], file[512];
  at(env, sizeof env, "env");
  at(explicit, sizeof explicit, "explicit");
  /* A directory that does not exist is skipped, like an empty entry. */
  snprintf(path, sizeof path, "%s/none::%s", scratch, env);
  /* A shipped weighting plugin (the source tree ships several) is replaced
   * by one of the same name on the path. */
  unsetenv("PARLEY_PLUGIN_PATH");
  parley_engine *e = new_engine(NULL);
  assert_int_equal(parley_plugins_load_default(e), PARLEY_OK);
  const char *shipped = NULL;
  for (size_t i = 0; i < parley_stage_count(e, PARLEY_STAGE_WEIGHTING) && !shipped; i++) {
    parley_stage_info info;
    assert_int_equal(parley_stage_get(e, PARLEY_STAGE_WEIGHTING, i, &info), PARLEY_OK);
    if (strcmp(info.source, "built-in") != 0) shipped = info.name;
  }
  assert_non_null(shipped);
  char text[512];
  snprintf(text, sizeof text,
           "return {api = 1, kind = 'weighting', name = '%s', summary = 'mine',\n"
           "  weights = function() return {a = 1, b = 1} end}\n", shipped);
  write_text(at(file, sizeof file, "env/shadow.lua"), text);
  assert_int_equal(setenv("PARLEY_PLUGIN_PATH", path, 1), 0);
  parley_engine *e2 = new_engine(NULL);
  assert_int_equal(parley_plugins_load_default(e2), PARLEY_OK);
  assert_string_equal(source_of(e2, PARLEY_STAGE_WEIGHTING, "dup"),
                      at(file, sizeof file, "env/dup.lua"));
  assert_true(fabs(dup_weight(e2) - 2.0 / 3) < 1e-15);
  assert_string_equal(source_of(e2, PARLEY_STAGE_WEIGHTING, shipped),
                      at(file, sizeof file, "env/shadow.lua"));
  assert_int_equal(parley_plugins_load(e2, explicit), PARLEY_OK);
  assert_true(fabs(dup_weight(e2) - 9.0 / 10) < 1e-15);
  /* A bad plugin on the path is an error that says where it came from. */
  write_text(at(file, sizeof file, "env/zz-bad.lua"), "return 1");
  parley_engine *e3 = new_engine(NULL);
  assert_int_equal(parley_plugins_load_default(e3), PARLEY_EINVALID);
  assert_has(parley_engine_errmsg(e3), "zz-bad.lua", "(from $PARLEY_PLUGIN_PATH)", NULL);
  remove(file);
  unsetenv("PARLEY_PLUGIN_PATH");
  parley_engine_free(e3);
  parley_engine_free(e2);
  parley_engine_free(e);
}

/* ---- randomness ------------------------------------------------------------------------ */
/* Weights from math.random: the weight of a under `seed`. */
static double random_weight(uint64_t seed) {
  char path[512];
  probe_file(path, sizeof path, "rnd.lua", "rnd",
             "do return {a = math.random(), b = math.random(1, 1000)} end");
  parley_plugin_options o = PARLEY_PLUGIN_OPTIONS_INIT;
  o.seed = seed;
  parley_engine *e = new_engine(&o);
  assert_int_equal(parley_plugins_load(e, path), PARLEY_OK);
  parley_result *r;
  assert_int_equal(run_with(e, "rnd", &r), PARLEY_OK);
  double w = parley_result_weight(r, 0);
  parley_result_free(r);
  /* Seeded at the start of every call: the same engine repeats itself. */
  assert_int_equal(run_with(e, "rnd", &r), PARLEY_OK);
  assert_true(parley_result_weight(r, 0) == w);
  parley_result_free(r);
  parley_engine_free(e);
  return w;
}

static void test_random__repeats_with_the_seed(void **state) {
  (void)state;
  double w1 = random_weight(7), w2 = random_weight(7), w3 = random_weight(8);
  assert_true(w1 == w2);
  assert_true(w1 != w3);
}

/* ---- threads ----------------------------------------------------------------------------- */
typedef struct worker {
  const char *path;
  int rounds;
  bool a_counts; /* the plugin counts its calls in weight a (else in b) */
  char error[256];
} worker;

/* Each call of the plugin bumps a global counter N of its own state; call
 * k gives weights {a = k, b = 1} (or {a = 1, b = k}). */
static void *worker_main(void *arg) {
  worker *w = arg;
  parley_engine *e;
  if (parley_engine_new(&e, NULL) != PARLEY_OK || parley_plugins_load(e, w->path) != PARLEY_OK) {
    snprintf(w->error, sizeof w->error, "cannot start");
    return NULL;
  }
  parley_model *m = small_model(e);
  parley_run_options ro = PARLEY_RUN_OPTIONS_INIT;
  ro.stage[PARLEY_STAGE_WEIGHTING] = "count";
  for (int k = 1; k <= w->rounds && !w->error[0]; k++) {
    parley_result *r;
    if (parley_run(e, m, &ro, &r) != PARLEY_OK) {
      snprintf(w->error, sizeof w->error, "run %d: %s", k, parley_engine_errmsg(e));
      break;
    }
    double want = (double)k / (k + 1), got = parley_result_weight(r, w->a_counts ? 0 : 1);
    if (fabs(got - want) > 1e-12)
      snprintf(w->error, sizeof w->error, "run %d: weight %.17g, expected %.17g", k, got, want);
    parley_result_free(r);
  }
  parley_model_free(m);
  parley_engine_free(e);
  return NULL;
}

static void test_threads__engines_keep_their_own_plugin_state(void **state) {
  (void)state;
  char p1[512], p2[512];
  probe_file(p1, sizeof p1, "count1.lua", "count", "N = (N or 0) + 1 do return {a = N, b = 1} end");
  probe_file(p2, sizeof p2, "count2.lua", "count", "N = (N or 0) + 1 do return {a = 1, b = N} end");
  worker w[2] = {{p1, 200, true, ""}, {p2, 200, false, ""}};
  pthread_t t[2];
  for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
  for (int i = 0; i < 2; i++) assert_int_equal(pthread_join(t[i], NULL), 0);
  for (int i = 0; i < 2; i++) {
    if (w[i].error[0]) print_error("thread %d: %s\n", i, w[i].error);
    assert_string_equal(w[i].error, "");
  }
}

/* ---- what plugins return -------------------------------------------------------------- */
static void test_weights__bad_weights_are_explained(void **state) {
  (void)state;
  static const struct {
    const char *body, *needle;
  } cases[] = {
    {"do return {a = 1} end", "weights() gave nothing for criterion 'b'; expected a number"},
    {"do return {a = 1, b = 1, c = 1} end",
     "weights() returned a weight for 'c', which is not a criterion of the model"},
    {"do return {a = 'x', b = 1} end", "weights() gave string for criterion 'a'"},
    {"do return {a = -1, b = 1} end",
     "weights() gave -1 for criterion 'a'; expected a finite number >= 0"},
    {"do return {a = 0/0, b = 1} end", "expected a finite number >= 0"},
    {"do return {1} end", "weights() returned a list of 1 weights; the model has 2 criteria"},
    {"do return {1, 2, x = 3} end", "weights() returned a list with a key 'x' besides"},
    {"do return 5 end", "weights() returned number; expected a table"},
    {"do return {a = 1, b = 1}, 'x' end", "diagnostics of type string; expected a table"},
    {"do return {a = 1, b = 1}, {1, 2} end", "expected a table of named values, got a list"},
    {"do return {a = 1, b = 1}, {f = pairs} end", "cannot be written as JSON: a function value"},
    {"do return setmetatable({}, {__index = function() return 1 end}) end",
     "weights() gave nothing for criterion 'a'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char path[512];
    probe_file(path, sizeof path, "badw.lua", "badw", cases[i].body);
    parley_engine *e = new_engine(NULL);
    assert_int_equal(parley_plugins_load(e, path), PARLEY_OK);
    assert_int_equal(run_with(e, "badw", NULL), PARLEY_ERROR);
    assert_has(parley_engine_errmsg(e), "plugin ", path, cases[i].needle, NULL);
    parley_engine_free(e);
  }
  /* All zero passes the plugin host and is refused by the pipeline. */
  char path[512];
  probe_file(path, sizeof path, "zero.lua", "zero", "do return {0, 0} end");
  parley_engine *e = new_engine(NULL);
  assert_int_equal(parley_plugins_load(e, path), PARLEY_OK);
  assert_int_not_equal(run_with(e, "zero", NULL), PARLEY_OK);
  assert_has(parley_engine_errmsg(e), "weighting 'zero'", "sum to 0", NULL);
  /* A list in criterion order and diagnostics that reach the result. */
  probe_file(path, sizeof path, "list.lua", "listw",
             "do return {1, 3}, {note = 'from the plugin', n = 2} end");
  assert_int_equal(parley_plugins_load(e, path), PARLEY_OK);
  parley_result *r;
  assert_int_equal(run_with(e, "listw:k=v", &r), PARLEY_OK);
  assert_true(fabs(parley_result_weight(r, 1) - 0.75) < 1e-15);
  char *json;
  assert_int_equal(parley_result_format(e, r, "json", &json, NULL), PARLEY_OK);
  assert_has(json, "\"note\"", "from the plugin", NULL);
  parley_free(e, json);
  parley_result_free(r);
  parley_engine_free(e);
}

/* The model view: fields, lists, outcome(), params, pairs. */
static void test_views__model_view_fields(void **state) {
  (void)state;
  char path[512];
  probe_file(path, sizeof path, "view.lua", "view",
             "assert(model.name == 'small' and model.description == nil) "
             "assert(#model.criteria == 2 and model.criteria[2].id == 'b') "
             "assert(model.criteria[2].direction == 'min' and model.criteria[1].weight == nil) "
             "assert(#model.strategies == 3 and model.strategies[3].name == 's3') "
             "assert(#model.scenarios == 1 and model.scenarios[1].id == 'base') "
             "assert(#model.actors == 0 and model.nothing == nil and model[1] == nil) "
             "assert(model:outcome('s2', 'base', 'b') == 1 and model:outcome(3, 1, 1) == 3) "
             "assert(not pcall(model.outcome, model, 's9', 1, 1)) "
             "assert(not pcall(model.outcome, model, 4, 1, 1)) "
             "local n = 0 for k in pairs(model) do n = n + 1 end assert(n >= 6) "
             "assert(params.alpha == 0.25 and params.tag == 'x' and math.type(params.n) == "
             "'integer')");
  parley_engine *e = new_engine(NULL);
  assert_int_equal(parley_plugins_load(e, path), PARLEY_OK);
  assert_int_equal(run_with(e, "view:alpha=0.25,tag=x,n=3", NULL), PARLEY_OK);
  parley_engine_free(e);
}

/* A format plugin: the result view, the writer, its number formats. */
static void test_views__format_plugin(void **state) {
  (void)state;
  char path[512];
  write_text(at(path, sizeof path, "fmt.lua"),
             "return {api = 1, kind = 'format', name = 'fmt', summary = 'test',\n"
             "  write = function(result, out, params)\n"
             "    assert(result.parley.version and result.order == 'descending')\n"
             "    assert(result.ranking[1].rank == 1 and result.model.name == 'small')\n"
             "    assert(result.pipeline.weighting.name == 'equal')\n"
             "    assert(result.model:outcome(1, 1, 1) == 1 and #result.model.criteria == 2)\n"
             "    out:write(params.p or '-', ' ', 1, ' ', 0.1, ' ', 1/3, ' ', 2^53, ' ')\n"
             "    out:write(result.weights.a):write('\\n')\n"
             "    assert(not pcall(out.write, out, {}))\n"
             "  end}\n");
  parley_engine *e = new_engine(NULL);
  assert_int_equal(parley_plugins_load(e, path), PARLEY_OK);
  parley_result *r;
  assert_int_equal(run_with(e, "equal", &r), PARLEY_OK);
  char *out;
  size_t len;
  assert_int_equal(parley_result_format(e, r, "fmt:p=x", &out, &len), PARLEY_OK);
  /* Integers as integers, other numbers with %.14g. */
  assert_string_equal(out, "x 1 0.1 0.33333333333333 9.007199254741e+15 0.5\n");
  assert_int_equal(len, strlen(out));
  parley_free(e, out);
  parley_result_free(r);
  parley_engine_free(e);
}

/* A scenario generator with host:read, and a Lua outcome file: host:read
 * stays in the model's folder however the plugin changes its host table,
 * and the outcome file's random numbers depend on the seed and the file's
 * name, not on the folder the model is in. */
static void gen_model(const char *dir) {
  char path[512], rel[256];
  make_dir(dir);
  snprintf(rel, sizeof rel, "%s/model.json", dir);
  write_text(at(path, sizeof path, rel),
             "{\"parley\": 1, \"name\": \"generated\",\n"
             " \"criteria\": [{\"id\": \"a\", \"direction\": \"max\"},\n"
             "              {\"id\": \"b\", \"direction\": \"min\"}],\n"
             " \"strategies\": [{\"id\": \"s1\"}, {\"id\": \"s2\"}],\n"
             " \"scenarios\": {\"generator\": \"gen\", \"levels\": [1, 2], \"root\": \"");
  FILE *f = fopen(path, "a");
  assert_non_null(f);
  fprintf(f, "%s\"},\n \"outcomes\": {\"lua\": \"outcomes.lua\"}}\n", scratch);
  assert_int_equal(fclose(f), 0);
  snprintf(rel, sizeof rel, "%s/data.txt", dir);
  write_text(at(path, sizeof path, rel), "10");
  snprintf(rel, sizeof rel, "%s/outcomes.lua", dir);
  write_text(at(path, sizeof path, rel),
             "return {outcome = function(strategy, scenario)\n"
             "  return {a = scenario.params.x * math.random(), b = #strategy.id}\n"
             "end}\n");
}

static const char gen_plugin[] =
  "return {api = 1, kind = 'scenarios', name = 'gen',\n"
  "  scenarios = function(model, params, host)\n"
  "    assert(#model.criteria == 2 and #model.strategies == 2)\n"
  "    assert(not pcall(model.outcome, model, 1, 1, 1))\n"
  "    local ok, err = pcall(host.read, host, '../model.json')\n"
  "    assert(not ok and err:find(\"without '..'\"), err)\n"
  "    assert(not pcall(host.read, host, '/absolute.txt'))\n"
  "    host._dir = params.root host.dir = params.root\n"
  "    assert(not pcall(host.read, host, 'secret.txt'))\n"
  "    local x = tonumber(host:read('data.txt'))\n"
  "    local list = {}\n"
  "    for i, level in ipairs(params.levels) do\n"
  "      list[i] = {id = 'k' .. level, probability = 0.5, params = {x = x * level},\n"
  "                 notes = {positive = 'up'}}\n"
  "    end\n"
  "    return list\n"
  "  end}\n";

static void test_views__generator_and_outcome_file(void **state) {
  (void)state;
  char path[512];
  write_text(at(path, sizeof path, "secret.txt"), "not for plugins");
  write_text(at(path, sizeof path, "gen.lua"), gen_plugin);
  gen_model("here");
  gen_model("there");
  char m1[512], m2[512];
  at(m1, sizeof m1, "here/model.json");
  at(m2, sizeof m2, "there/model.json");
  parley_engine *e = new_engine(NULL);
  assert_int_equal(parley_plugins_load(e, path), PARLEY_OK);
  parley_model *a, *b;
  assert_int_equal(parley_model_load(e, &a, m1), PARLEY_OK);
  assert_int_equal(parley_model_load(e, &b, m2), PARLEY_OK);
  assert_int_equal(parley_model_count(a, PARLEY_SCENARIOS), 2);
  assert_string_equal(parley_model_id(a, PARLEY_SCENARIOS, 1), "k2");
  for (size_t k = 0; k < 2; k++)
    for (size_t s = 0; s < 2; s++) {
      double va = parley_model_outcome(a, s, k, 0);
      assert_true(va >= 0 && va <= 10.0 * (k + 1));
      assert_true(va == parley_model_outcome(b, s, k, 0));
      assert_true(parley_model_outcome(a, s, k, 1) == 2);
    }
  parley_model_free(a);
  parley_model_free(b);
  parley_engine_free(e);
}

/* ---- the counting library against Lua's own ------------------------------------------- */
static long long charged;
static int count_charge(lua_State *L) {
  charged += lua_tointeger(L, 1);
  return 0;
}

static int stop_charge(lua_State *L) {
  charged += lua_tointeger(L, 1);
  if (charged > 100000) return luaL_error(L, "stopped");
  return 0;
}

/* Random patterns and subjects from pieces that exercise every part of
 * the pattern language (classes, sets, anchors, captures, back references,
 * %b, %f, every repetition, malformed ones); every function is called on
 * both libraries and the results, or the error messages, must agree. */
static const char differential[] =
  "local real, ours = ...\n"
  "local function pack(ok, ...) return {ok = ok, n = select('#', ...), ...} end\n"
  "local function show(r)\n"
  "  local t = {tostring(r.ok)}\n"
  "  for i = 1, r.n do t[#t + 1] = tostring(r[i]):gsub('0x%x+', 'P') end\n"
  "  return table.concat(t, ','):gsub(\"to '[^']*'\", 'to F')\n"
  "end\n"
  "local toks = {'a', 'b', '.', '%a', '%d', '%s', '%w', '%A', '%z', '[ab]', '[^a]', '[a-c]',\n"
  "  '[%d]', '[]]', '[^]a]', '[a-]', '%%', '%.', '(', ')', '()', '*', '+', '-', '?', '^', '$',\n"
  "  '%b()', '%f[%w]', '%f[%W]', '%1', '%2', '%', '[', '%g', '%p', '%x', '%u', '\\0'}\n"
  "local subj = {'a', 'b', '(', ')', ' ', '1', 'x', '%', ']', '^', '-', '\\0', 'A', '.'}\n"
  "math.randomseed(20240607)\n"
  "local function rnd(list, n)\n"
  "  local t = {} for i = 1, n do t[i] = list[math.random(#list)] end return table.concat(t)\n"
  "end\n"
  "local function gm(f) return function(s, p, init)\n"
  "  local r, n = {}, 0\n"
  "  for a, b in f(s, p, init) do n = n + 1 r[n] = tostring(a) .. '|' .. tostring(b)\n"
  "    if n > 50 then break end end\n"
  "  return table.concat(r, ';') end end\n"
  "local repl_t = {a = 'A', b = false, ['1'] = 7}\n"
  "local function repl_f(x, y) if x == 'b' then return nil end return '<' .. x .. '>' end\n"
  "local bad, total = 0, 0\n"
  "local function check(rf, pf, ...)\n"
  "  total = total + 1\n"
  "  local a, b = show(pack(pcall(rf, ...))), show(pack(pcall(pf, ...)))\n"
  "  if a ~= b then bad = bad + 1 if bad < 5 then print(a, b, ...) end end\n"
  "end\n"
  "for i = 1, 20000 do\n"
  "  local p, s = rnd(toks, math.random(0, 8)), rnd(subj, math.random(0, 16))\n"
  "  local init = ({nil, 1, 2, -1, -3, 0, 20, -20})[math.random(8)]\n"
  "  check(real.find, ours.find, s, p, init)\n"
  "  check(real.find, ours.find, s, p, init, true)\n"
  "  check(real.match, ours.match, s, p, init)\n"
  "  check(gm(real.gmatch), gm(ours.gmatch), s, p, init)\n"
  "  local r = ({'%0-', 'x%1', '%%', '%2', '', '%', 5})[math.random(7)]\n"
  "  check(real.gsub, ours.gsub, s, p, r, ({nil, 1, 0, 2})[math.random(4)])\n"
  "  check(real.gsub, ours.gsub, s, p, repl_t)\n"
  "  check(real.gsub, ours.gsub, s, p, repl_f)\n"
  "end\n"
  "for _, s in ipairs({'', 'ab', '\\0'}) do\n"
  "  for _, n in ipairs({-1, 0, 1, 3, 2.0, 1.5, 'x', 1 << 40}) do\n"
  "    for _, sep in ipairs({'', ',', 7}) do\n"
  "      -- Lua's own rep('', 2^40) copies nothing 2^40 times: not run here\n"
  "      if s .. sep ~= '' or n ~= 1 << 40 then check(real.rep, ours.rep, s, n, sep) end\n"
  "    end\n"
  "  end\n"
  "end\n"
  "local function copy(t) local c = {} for k, v in pairs(t) do c[k] = v end return c end\n"
  "local function tcheck(op, base, ...)\n"
  "  local t1, t2 = copy(base), copy(base)\n"
  "  local a = show(pack(pcall(real[op], t1, ...)))\n"
  "  local b = show(pack(pcall(ours[op], t2, ...)))\n"
  "  total = total + 1\n"
  "  local d1, d2 = {}, {}\n"
  "  for i = -2, 12 do d1[#d1 + 1] = tostring(t1[i]) d2[#d2 + 1] = tostring(t2[i]) end\n"
  "  if a ~= b or table.concat(d1, ',') ~= table.concat(d2, ',') then bad = bad + 1 end\n"
  "end\n"
  "local vals = {nil, 0, 1, 2, 3, 4, 5, -1, 1.5, '2', 'x', 2.0}\n"
  "for _, base in ipairs({{}, {1, 2, 3}, {1, 2, 3, 4, 5}, {'a', 'b'}}) do\n"
  "  for i = 1, #vals + 1 do\n"
  "    tcheck('insert', base, vals[i])\n"
  "    tcheck('remove', base)\n"
  "    tcheck('remove', base, vals[i])\n"
  "    for j = 1, #vals + 1 do\n"
  "      tcheck('insert', base, vals[i], vals[j])\n"
  "      for k = 1, #vals + 1 do\n"
  "        tcheck('move', base, vals[i], vals[j], vals[k])\n"
  "        tcheck('move', base, vals[i], vals[j], vals[k], {9, 8})\n"
  "      end\n"
  "    end\n"
  "  end\n"
  "  tcheck('insert', base, 1, 2, 3)\n"
  "  tcheck('sort', base)\n"
  "  tcheck('sort', base, function(x, y) return x > y end)\n"
  "end\n"
  "tcheck('move', {1, 2}, math.mininteger, 0, 1)\n"
  "tcheck('move', {1, 2}, 1, 2, math.maxinteger)\n"
  "return bad, total\n";

static void test_sandlib__agrees_with_lua(void **state) {
  (void)state;
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  assert_int_equal(luaL_loadstring(L, differential), LUA_OK);
  /* real: the string and table functions of the library; ours: copies
   * with the counting versions installed. */
  lua_newtable(L);
  int real = lua_gettop(L);
  const char *libs[] = {"string", "table"};
  for (int i = 0; i < 2; i++) {
    lua_getglobal(L, libs[i]);
    lua_pushnil(L);
    while (lua_next(L, real + 1)) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_settable(L, real); /* real[key] = value */
    }
    lua_pop(L, 1);
  }
  lua_newtable(L);
  lua_getglobal(L, "table");
  lua_getfield(L, -1, "sort");
  lua_setfield(L, -3, "sort");
  lua_pop(L, 1);
  parley__sandlib_string(L, -1, count_charge);
  parley__sandlib_table(L, -1, count_charge);
  charged = 0;
  if (lua_pcall(L, 2, 2, 0) != LUA_OK) print_error("%s\n", lua_tostring(L, -1));
  assert_int_equal(lua_tointeger(L, -2), 0);   /* mismatches */
  assert_true(lua_tointeger(L, -1) > 100000); /* cases */
  lua_close(L);
}

/* The steps are charged as the work is done, and a charge function that
 * raises stops the match. */
static void test_sandlib__charges_the_work(void **state) {
  (void)state;
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  lua_newtable(L);
  parley__sandlib_string(L, -1, count_charge);
  lua_setglobal(L, "counting");
  lua_newtable(L);
  parley__sandlib_string(L, -1, stop_charge);
  lua_setglobal(L, "stopping");
  charged = 0;
  /* A plain search of a short subject costs nothing worth charging. */
  assert_int_equal(luaL_dostring(L, "return counting.find('abc', 'b')"), LUA_OK);
  assert_int_equal(charged, 0);
  /* "a*" five times then "b" on 25 a's: the matcher tries every way of
   * splitting the run among the five, C(29, 4) = 23751 ways at the first
   * position alone; the charge is at least that. */
  assert_int_equal(luaL_dostring(L, "return counting.find(('a'):rep(25), ('a*'):rep(5) .. 'b')"),
                   LUA_OK);
  assert_true(lua_isnil(L, -1));
  assert_true(charged >= 23751);
  charged = 0;
  assert_int_not_equal(luaL_dostring(L, "return stopping.find(('a'):rep(60), ('.-'):rep(14) .. "
                                        "'b')"),
                       LUA_OK);
  assert_has(lua_tostring(L, -1), "stopped", NULL);
  lua_close(L);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sandbox__binary_chunk_is_real),
    cmocka_unit_test(test_sandbox__refuses_escapes),
    cmocka_unit_test(test_sandbox__allowed_functions_work),
    cmocka_unit_test(test_sandbox__string_changes_stay_in_their_plugin),
    cmocka_unit_test(test_sandbox__kept_views_are_refused),
    cmocka_unit_test(test_limits__stop_runaways_and_leave_the_engine_usable),
    cmocka_unit_test(test_limits__wall_clock),
    cmocka_unit_test(test_limits__bad_options),
    cmocka_unit_test(test_load__rejects_bad_plugin_files),
    cmocka_unit_test(test_load__long_path_in_messages),
    cmocka_unit_test(test_discovery__later_replaces_earlier),
    cmocka_unit_test(test_discovery__replaced_stage_info_stays_valid),
    cmocka_unit_test(test_discovery__environment_between_shipped_and_explicit),
    cmocka_unit_test(test_random__repeats_with_the_seed),
    cmocka_unit_test(test_threads__engines_keep_their_own_plugin_state),
    cmocka_unit_test(test_weights__bad_weights_are_explained),
    cmocka_unit_test(test_views__model_view_fields),
    cmocka_unit_test(test_views__format_plugin),
    cmocka_unit_test(test_views__generator_and_outcome_file),
    cmocka_unit_test(test_sandlib__agrees_with_lua),
    cmocka_unit_test(test_sandlib__charges_the_work),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
