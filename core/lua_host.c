/*
 * lua_host.c — Lua plugins: loading, the sandbox, the limits and the Lua
 * view of models and results (docs/plugins.md).
 *
 * One Lua state per engine, made when the first plugin or Lua outcome file
 * is loaded, allocating through the engine's allocator.  Each plugin file
 * runs in an environment of its own: copies of the safe parts of the
 * standard library (so that one plugin's changes to `string` or `math`
 * never reach another), `load` restricted to text chunks, `collectgarbage`
 * to "count", `os` to clock/time/date, no io, debug, package, require or
 * string.dump; the string metatable is hidden.
 *
 * Every call from the engine into Lua goes through host_call(): it arms the
 * limits (an instruction budget counted by a count hook, a wall-clock
 * deadline checked by the same hook, a ceiling on the bytes the state may
 * hold, enforced by its allocator), seeds math.random, runs a C function in
 * protected mode that builds the views, calls the plugin and reads what it
 * returns, and turns any failure into one engine message
 * "plugin FILE:LINE: ...".  Afterwards the stack is reset and garbage
 * collected, so the engine is usable after any breach.
 *
 * Chunks are named "=#N" (N indexes the host's list of file paths) because
 * Lua cuts long chunk names to 60 bytes; messages get the full path back.
 * Views handed to Lua (the model's outcome function, a format's writer)
 * carry the number of the call they belong to and refuse to work after it.
 */
#include "lua_host.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define HOOK_STEP 1000
#define DEFAULT_INSTRUCTIONS 100000000ull
#define DEFAULT_MEMORY ((size_t)256 << 20)
#define DEFAULT_SECONDS 10.0
#define JSON_DEPTH 64

typedef struct plugin {
  char *path;
  char *name;
  char *summary;
  parley_stage_kind kind;
  int ref;      /* the plugin table, in the Lua registry */
  size_t chunk; /* its index in host->chunks */
} plugin;

enum { BREACH_NONE, BREACH_INSTRUCTIONS, BREACH_TIME };

struct parley__host {
  parley_engine *e;
  lua_State *L;
  size_t used;         /* bytes the state holds */
  size_t limit;        /* ceiling while limited */
  bool limited;
  bool refused;        /* the allocator refused a block over the ceiling */
  uint64_t budget;     /* instructions left in this call */
  uint64_t instructions;
  double deadline;     /* monotonic seconds */
  double seconds;
  int breach;
  bool input_error;    /* the plugin called invalid(): bad input, not a failed run */
  unsigned gen;        /* number of the current call (views check it) */
  const char *pos_src; /* last position the hook saw */
  int pos_line;
  char **chunks;       /* file of chunk "#N" */
  size_t nchunks, cap_chunks;
  plugin **plugins;
  size_t np, cap_p;
  int randomseed_ref;  /* math.randomseed, kept from the library */
  int load_ref;        /* the real load */
  parley__buf *out;    /* the writer's buffer during a format call */
  size_t out_limit;
};

/* ---- allocation ------------------------------------------------------------ */
static void *host_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  parley__host *h = ud;
  parley_engine *e = h->e;
  if (!ptr) osize = 0;
  if (nsize == 0) {
    if (ptr) {
      e->alloc(e->alloc_ud, ptr, 0);
      h->used -= osize;
    }
    return NULL;
  }
  if (nsize > osize && h->limited && h->used - osize + nsize > h->limit) {
    h->refused = true;
    return NULL;
  }
  void *q = e->alloc(e->alloc_ud, ptr, nsize);
  if (q) h->used = h->used - osize + nsize;
  return q;
}

static parley__host *host_of(lua_State *L) { return *(parley__host **)lua_getextraspace(L); }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- limits: the count hook -------------------------------------------------- */
static void count_hook(lua_State *L, lua_Debug *ar) {
  parley__host *h = host_of(L);
  if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0) {
    h->pos_src = ar->source; /* chunk names are kept by their protos: stable */
    h->pos_line = ar->currentline;
  }
  if (h->breach == BREACH_NONE) {
    if (h->budget <= HOOK_STEP)
      h->breach = BREACH_INSTRUCTIONS;
    else
      h->budget -= HOOK_STEP;
    if (h->breach == BREACH_NONE && now() > h->deadline) h->breach = BREACH_TIME;
    /* Once over, stop at every instruction: a pcall in the plugin cannot
     * catch its way past the limit for long. */
    if (h->breach != BREACH_NONE) lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  }
  if (h->breach == BREACH_NONE) return;
  /* The position is the hook's own (luaL_where sees no function here). */
  if (h->pos_src)
    lua_pushfstring(L, "%s:%d: ", h->pos_src + 1, h->pos_line);
  else
    lua_pushliteral(L, "");
  if (h->breach == BREACH_INSTRUCTIONS)
    lua_pushfstring(L, "instruction limit of %I exceeded", (lua_Integer)h->instructions);
  else
    lua_pushfstring(L, "time limit of %f s exceeded", h->seconds);
  lua_concat(L, 2);
  lua_error(L);
}

/* ---- chunks and messages ------------------------------------------------------ */
static size_t add_chunk(parley__host *h, const char *path) {
  if (h->nchunks == h->cap_chunks) {
    size_t cap = h->cap_chunks ? 2 * h->cap_chunks : 16;
    char **c = parley__realloc(h->e, h->chunks, parley__mul(cap, sizeof *c));
    if (!c) return SIZE_MAX;
    h->chunks = c;
    h->cap_chunks = cap;
  }
  if (!(h->chunks[h->nchunks] = parley__strdup(h->e, path))) return SIZE_MAX;
  return h->nchunks++;
}

/* "#N:LINE: msg" -> "plugin PATH:LINE: msg"; a message without a position
 * gets the file of chunk `chunk` (SIZE_MAX: none). */
static int report(parley__host *h, int code, const char *msg, size_t chunk, const char *noun) {
  if (msg[0] == '#' && isdigit((unsigned char)msg[1])) {
    char *end;
    unsigned long n = strtoul(msg + 1, &end, 10);
    if (*end == ':' && n < h->nchunks)
      return parley__err(h->e, code, "%s %s:%s", noun, h->chunks[n], end + 1);
  }
  if (chunk < h->nchunks) return parley__err(h->e, code, "%s %s: %s", noun, h->chunks[chunk], msg);
  return parley__err(h->e, code, "%s: %s", noun, msg);
}

/* ---- the sandbox ---------------------------------------------------------------- */
static int sb_load(lua_State *L) {
  /* load(chunk [, chunkname [, mode [, env]]]) with mode forced to "t" and
   * env defaulting to the plugin's own environment. */
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1)); /* real load */
  lua_pushvalue(L, 1);
  if (n >= 2) lua_pushvalue(L, 2); else lua_pushnil(L);
  lua_pushliteral(L, "t");
  if (n >= 4) lua_pushvalue(L, 4); else lua_pushvalue(L, lua_upvalueindex(2));
  lua_call(L, 4, LUA_MULTRET);
  return lua_gettop(L) - n;
}

/* invalid(message [, level]): a plugin's way of saying its input is wrong
 * (a bad parameter, a malformed file), which the user sees as bad input
 * (exit 2) rather than a failed run.  As with error(), the message gets the
 * position of the function at level (1, the default: the caller; 0: none). */
static int sb_invalid(lua_State *L) {
  const char *msg = luaL_checkstring(L, 1);
  int level = (int)luaL_optinteger(L, 2, 1);
  host_of(L)->input_error = true;
  if (level > 0)
    luaL_where(L, level);
  else
    lua_pushliteral(L, "");
  lua_pushstring(L, msg);
  lua_concat(L, 2);
  return lua_error(L);
}

static int sb_collectgarbage(lua_State *L) {
  const char *opt = luaL_optstring(L, 1, "collect");
  if (strcmp(opt, "count") != 0)
    return luaL_error(L, "collectgarbage(\"%s\") is not allowed in a plugin (only \"count\")",
                      opt);
  int kb = lua_gc(L, LUA_GCCOUNT, 0), b = lua_gc(L, LUA_GCCOUNTB, 0);
  lua_pushnumber(L, (lua_Number)kb + (lua_Number)b / 1024);
  return 1;
}

static void copy_fields(lua_State *L, int from, const char *const *names) {
  for (; *names; names++) {
    lua_getfield(L, from, *names);
    lua_setfield(L, -2, *names);
  }
}

/* A copy of a library table (skipping the names in `except`). */
static void copy_lib(lua_State *L, int globals, const char *lib, const char *const *except) {
  lua_getfield(L, globals, lib);
  int src = lua_gettop(L);
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, src)) {
    bool skip = false;
    for (const char *const *x = except; x && *x; x++)
      if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), *x) == 0) skip = true;
    if (skip) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_settable(L, -4);
  }
  lua_remove(L, src);
}

/* Pushes a fresh sandbox environment. */
static void push_env(lua_State *L, parley__host *h) {
  static const char *const base[] = {
    "assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawlen",
    "rawset", "select", "setmetatable", "getmetatable", "tonumber", "tostring", "type",
    "xpcall", "_VERSION", NULL};
  static const char *const no_dump[] = {"dump", NULL};
  static const char *const no_seed[] = {"randomseed", NULL};
  static const char *const os_ok[] = {"clock", "time", "date", NULL};
  lua_pushglobaltable(L);
  int g = lua_gettop(L);
  lua_newtable(L);
  int env = lua_gettop(L);
  copy_fields(L, g, base);
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->load_ref);
  lua_pushvalue(L, env);
  lua_pushcclosure(L, sb_load, 2);
  lua_setfield(L, env, "load");
  lua_pushcfunction(L, sb_collectgarbage);
  lua_setfield(L, env, "collectgarbage");
  lua_pushcfunction(L, sb_invalid);
  lua_setfield(L, env, "invalid");
  copy_lib(L, g, "string", no_dump);
  lua_setfield(L, env, "string");
  copy_lib(L, g, "table", NULL);
  lua_setfield(L, env, "table");
  copy_lib(L, g, "math", no_seed);
  lua_setfield(L, env, "math");
  copy_lib(L, g, "utf8", NULL);
  lua_setfield(L, env, "utf8");
  lua_getfield(L, g, "os");
  lua_newtable(L);
  copy_fields(L, lua_gettop(L) - 1, os_ok);
  lua_remove(L, -2);
  lua_setfield(L, env, "os");
  lua_pushvalue(L, env);
  lua_setfield(L, env, "_G");
  lua_remove(L, g);
}

static void register_views(lua_State *L);

/* Opens the libraries, hides what no plugin may reach. */
static int setup_state(lua_State *L) {
  parley__host *h = lua_touserdata(L, 1);
  static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},     {LUA_STRLIBNAME, luaopen_string},
                                  {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
                                  {LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_OSLIBNAME, luaopen_os},
                                  {NULL, NULL}};
  for (const luaL_Reg *l = libs; l->func; l++) {
    luaL_requiref(L, l->name, l->func, 1);
    lua_pop(L, 1);
  }
  lua_getglobal(L, "math");
  lua_getfield(L, -1, "randomseed");
  h->randomseed_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pop(L, 1);
  lua_getglobal(L, "load");
  h->load_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  /* ("").dump would reach string.dump through the string metatable. */
  lua_getglobal(L, "string");
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_pop(L, 1);
  /* getmetatable("") gives false: the metatable every string shares
   * cannot be changed from a plugin. */
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
  register_views(L);
  return 0;
}

static int host_get(parley_engine *e, parley__host **out) {
  if (e->host) {
    *out = e->host;
    return PARLEY_OK;
  }
  parley__host *h = parley__calloc(e, 1, sizeof *h);
  if (!h) return PARLEY_ENOMEM;
  h->e = e;
  h->L = lua_newstate(host_alloc, h);
  if (!h->L) {
    parley__free(e, h);
    return parley__err(e, PARLEY_ENOMEM, "out of memory (starting the Lua state)");
  }
  *(parley__host **)lua_getextraspace(h->L) = h;
  lua_pushcfunction(h->L, setup_state);
  lua_pushlightuserdata(h->L, h);
  if (lua_pcall(h->L, 1, 0, 0) != LUA_OK) {
    lua_close(h->L);
    parley__free(e, h);
    return parley__err(e, PARLEY_ENOMEM, "out of memory (starting the Lua state)");
  }
  e->host = h;
  *out = h;
  return PARLEY_OK;
}

void parley__host_free(parley_engine *e) {
  parley__host *h = e->host;
  if (!h) return;
  lua_close(h->L);
  for (size_t i = 0; i < h->nchunks; i++) parley__free(e, h->chunks[i]);
  parley__free(e, h->chunks);
  for (size_t i = 0; i < h->np; i++) {
    parley__free(e, h->plugins[i]->path);
    parley__free(e, h->plugins[i]->name);
    parley__free(e, h->plugins[i]->summary);
    parley__free(e, h->plugins[i]);
  }
  parley__free(e, h->plugins);
  parley__free(e, h);
  e->host = NULL;
}

int parley_engine_set_plugin_options(parley_engine *engine, const parley_plugin_options *opts) {
  if (!engine) return PARLEY_EUSAGE;
  parley__ok(engine);
  if (opts && (opts->version < 1 || opts->version > PARLEY_PLUGIN_OPTIONS_VERSION))
    return parley__err(engine, PARLEY_EUSAGE, "parley_engine_set_plugin_options: unknown "
                       "options version %d", opts->version);
  if (opts && !(opts->seconds >= 0 && opts->seconds <= 1e9))
    return parley__err(engine, PARLEY_EINVALID, "plugin time limit must be in [0, 1e9] seconds");
  parley_plugin_options def = PARLEY_PLUGIN_OPTIONS_INIT;
  engine->plugin = opts ? *opts : def;
  return PARLEY_OK;
}

/* ---- one call into Lua ---------------------------------------------------------- */
typedef struct call {
  parley__host *h;
  void *args;
  lua_CFunction body;
} call;

/* Runs body(L) (its argument a light userdata of args) in protected mode
 * under the limits, the generator seeded for `name`.  Errors become
 * messages about the file of chunk `chunk`, with `code`. */
static int host_call(parley__host *h, lua_CFunction body, void *args, const char *name,
                     size_t chunk, int code) {
  lua_State *L = h->L;
  parley_engine *e = h->e;
  int top = lua_gettop(L);
  h->instructions = e->plugin.instructions ? e->plugin.instructions : DEFAULT_INSTRUCTIONS;
  h->seconds = e->plugin.seconds > 0 ? e->plugin.seconds : DEFAULT_SECONDS;
  h->budget = h->instructions;
  h->deadline = now() + h->seconds;
  h->breach = BREACH_NONE;
  h->refused = false;
  h->input_error = false;
  h->pos_src = NULL;
  h->pos_line = 0;
  h->gen++;
  size_t limit = e->plugin.memory ? e->plugin.memory : DEFAULT_MEMORY;
  /* The ceiling is on what the call adds to what the state already holds
   * (the loaded plugins). */
  h->limit = h->used + limit;
  h->out_limit = limit;

  /* math.randomseed(seed, hash of the name): the same run repeats exactly. */
  uint64_t hn = 1469598103934665603ull;
  for (const char *s = name ? name : ""; *s; s++) hn = (hn ^ (unsigned char)*s) * 1099511628211ull;
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->randomseed_ref);
  lua_pushinteger(L, (lua_Integer)e->plugin.seed);
  lua_pushinteger(L, (lua_Integer)hn);
  int rc = lua_pcall(L, 2, 0, 0);
  if (rc == LUA_OK) {
    lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_STEP);
    h->limited = true;
    lua_pushcfunction(L, body);
    lua_pushlightuserdata(L, args);
    rc = lua_pcall(L, 1, 0, 0);
    h->limited = false;
    lua_sethook(L, NULL, 0, 0);
  }
  h->gen++; /* views made during the call are dead from here */
  int result = PARLEY_OK;
  if (rc != LUA_OK) {
    if (rc == LUA_ERRMEM && h->refused) {
      char where[64] = "";
      if (h->pos_src && h->pos_line > 0) snprintf(where, sizeof where, "%s:%d: ", h->pos_src + 1,
                                                   h->pos_line);
      char msg[PARLEY__ERRMAX];
      if (limit % ((size_t)1 << 20) == 0)
        snprintf(msg, sizeof msg, "%smemory limit of %zu MiB exceeded", where, limit >> 20);
      else
        snprintf(msg, sizeof msg, "%smemory limit of %zu bytes exceeded", where, limit);
      /* pos_src is "=#N": where starts "#N:" and report() finds the file. */
      result = report(h, PARLEY_ERROR, msg, chunk, "plugin");
    } else if (rc == LUA_ERRMEM) {
      result = parley__err(e, PARLEY_ENOMEM, "plugin %s: out of memory",
                           chunk < h->nchunks ? h->chunks[chunk] : "?");
    } else {
      const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      char other[64];
      if (!msg) {
        snprintf(other, sizeof other, "error object is a %s value", luaL_typename(L, -1));
        msg = other;
      }
      result = report(h, h->input_error ? PARLEY_EINVALID : code, msg, chunk, "plugin");
    }
  }
  lua_settop(L, top);
  lua_gc(L, LUA_GCCOLLECT);
  return result;
}

/* Raises a Lua error without a position (the caller's file is added). */
static int fail(lua_State *L, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  return lua_error(L);
}

/* ---- JSON <-> Lua ------------------------------------------------------------ */
static void push_tree(lua_State *L, const cJSON *x, int depth) {
  luaL_checkstack(L, 4, "JSON too deep");
  if (depth > JSON_DEPTH) fail(L, "JSON nested deeper than %d", JSON_DEPTH);
  if (cJSON_IsNumber(x)) {
    double v = x->valuedouble;
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
      lua_pushinteger(L, (lua_Integer)v);
    else
      lua_pushnumber(L, v);
  } else if (cJSON_IsString(x)) {
    lua_pushstring(L, x->valuestring);
  } else if (cJSON_IsBool(x)) {
    lua_pushboolean(L, cJSON_IsTrue(x));
  } else if (cJSON_IsArray(x)) {
    lua_newtable(L);
    lua_Integer i = 1;
    for (const cJSON *c = x->child; c; c = c->next, i++) {
      push_tree(L, c, depth + 1);
      lua_rawseti(L, -2, i);
    }
  } else if (cJSON_IsObject(x)) {
    lua_newtable(L);
    for (const cJSON *c = x->child; c; c = c->next) {
      push_tree(L, c, depth + 1);
      lua_setfield(L, -2, c->string);
    }
  } else {
    lua_pushnil(L);
  }
}

static int push_tree_protected(lua_State *L) {
  push_tree(L, lua_touserdata(L, 1), 0);
  return 1;
}

/* Pushes the Lua value of JSON text (nil for NULL text).  The cJSON tree
 * lives outside Lua: it is freed whether or not pushing raises. */
static void push_json_text(lua_State *L, const char *text) {
  if (!text) {
    lua_pushnil(L);
    return;
  }
  cJSON *tree = cJSON_Parse(text);
  if (!tree) {
    fail(L, "out of memory");
    return;
  }
  lua_pushcfunction(L, push_tree_protected);
  lua_pushlightuserdata(L, tree);
  int rc = lua_pcall(L, 1, 1, 0);
  cJSON_Delete(tree);
  if (rc != LUA_OK) lua_error(L);
}

/* Converts the Lua value at idx to cJSON; NULL with why[] on failure
 * (never raises, so the tree never leaks). */
static cJSON *to_json(lua_State *L, int idx, int depth, char *why, size_t n) {
  idx = lua_absindex(L, idx);
  if (depth > JSON_DEPTH) {
    snprintf(why, n, "a table nested deeper than %d (a cycle?)", JSON_DEPTH);
    return NULL;
  }
  switch (lua_type(L, idx)) {
  case LUA_TNUMBER: {
    double v = lua_tonumber(L, idx);
    if (!isfinite(v)) {
      snprintf(why, n, "a number that is not finite");
      return NULL;
    }
    cJSON *j = cJSON_CreateNumber(v);
    if (!j) snprintf(why, n, "out of memory");
    return j;
  }
  case LUA_TSTRING: {
    cJSON *j = cJSON_CreateString(lua_tostring(L, idx));
    if (!j) snprintf(why, n, "out of memory");
    return j;
  }
  case LUA_TBOOLEAN: return cJSON_CreateBool(lua_toboolean(L, idx));
  case LUA_TTABLE: break;
  default:
    snprintf(why, n, "a %s value, which JSON cannot hold", luaL_typename(L, idx));
    return NULL;
  }
  if (!lua_checkstack(L, 4)) {
    snprintf(why, n, "out of memory");
    return NULL;
  }
  size_t len = lua_rawlen(L, idx), count = 0;
  bool array = true;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    count++;
    if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 ||
        (lua_Unsigned)lua_tointeger(L, -2) > len)
      array = false;
    lua_pop(L, 1);
  }
  if (count == 0) array = false;
  cJSON *out = array ? cJSON_CreateArray() : cJSON_CreateObject();
  if (!out) {
    snprintf(why, n, "out of memory");
    return NULL;
  }
  if (array) {
    for (size_t i = 1; i <= len; i++) {
      lua_rawgeti(L, idx, (lua_Integer)i);
      cJSON *c = to_json(L, -1, depth + 1, why, n);
      lua_pop(L, 1);
      if (!c || !cJSON_AddItemToArray(out, c)) {
        cJSON_Delete(c);
        cJSON_Delete(out);
        return NULL;
      }
    }
    return out;
  }
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      snprintf(why, n, "a table with a key that is not a string");
      lua_pop(L, 2);
      cJSON_Delete(out);
      return NULL;
    }
    cJSON *c = to_json(L, -1, depth + 1, why, n);
    if (!c || !cJSON_AddItemToObject(out, lua_tostring(L, -2), c)) {
      cJSON_Delete(c);
      lua_pop(L, 2);
      cJSON_Delete(out);
      return NULL;
    }
    lua_pop(L, 1);
  }
  return out;
}

/* The JSON text of the Lua value at idx, in engine memory; raises on
 * failure with `what` naming the value. */
static char *to_json_text(lua_State *L, parley_engine *e, int idx, const char *what) {
  char why[128] = "out of memory";
  cJSON *j = to_json(L, idx, 0, why, sizeof why);
  char *text = j ? cJSON_PrintUnformatted(j) : NULL;
  cJSON_Delete(j);
  if (!text) {
    fail(L, "%s: cannot be written as JSON: %s", what, why);
    return NULL;
  }
  char *copy = parley__strdup(e, text);
  cJSON_free(text);
  if (!copy) fail(L, "out of memory");
  return copy;
}

/* ---- the model view ----------------------------------------------------------- */
typedef struct handle {
  const parley_model *m;
  unsigned gen;
} handle;

static const parley_model *live_model(lua_State *L, int idx) {
  handle *hd = luaL_checkudata(L, idx, "parley.model");
  if (!hd->m || hd->gen != host_of(L)->gen)
    fail(L, "the model view was kept past the call it was given to");
  return hd->m;
}

static size_t entity_arg(lua_State *L, const parley_model *m, int arg, parley_entity what,
                         size_t count, const char *noun) {
  if (lua_type(L, arg) == LUA_TNUMBER) {
    lua_Integer i = luaL_checkinteger(L, arg);
    if (i < 1 || (lua_Unsigned)i > count)
      luaL_error(L, "model:outcome: %s index %I is outside 1..%I", noun, i, (lua_Integer)count);
    return (size_t)(i - 1);
  }
  const char *id = luaL_checkstring(L, arg);
  size_t i = parley__find(m, what, id);
  if (i == SIZE_MAX) luaL_error(L, "model:outcome: unknown %s '%s'", noun, id);
  return i;
}

/* model:outcome(strategy, scenario, criterion), each an id or a 1-based
 * index; the value a deterministic run uses. */
static int m_outcome(lua_State *L) {
  lua_getfield(L, 1, "_handle");
  const parley_model *m = live_model(L, -1);
  if (!m->frozen || !m->cube) return luaL_error(L, "model:outcome: the outcomes are not known yet");
  size_t s = entity_arg(L, m, 2, PARLEY_STRATEGIES, m->ns, "strategy");
  size_t k = entity_arg(L, m, 3, PARLEY_SCENARIOS, m->nk, "scenario");
  size_t c = entity_arg(L, m, 4, PARLEY_CRITERIA, m->nc, "criterion");
  lua_pushnumber(L, m->cube[parley__cell(m, s, k, c)]);
  return 1;
}

static void set_str(lua_State *L, const char *key, const char *v) {
  if (!v) return;
  lua_pushstring(L, v);
  lua_setfield(L, -2, key);
}

static void set_num(lua_State *L, const char *key, double v) {
  if (isnan(v)) return;
  lua_pushnumber(L, v);
  lua_setfield(L, -2, key);
}

static void set_json(lua_State *L, const char *key, const char *text) {
  if (!text) return;
  push_json_text(L, text);
  lua_setfield(L, -2, key);
}

static void push_criteria(lua_State *L, const parley_model *m) {
  lua_createtable(L, (int)m->nc, 0);
  for (size_t c = 0; c < m->nc; c++) {
    const parley__criterion *cr = &m->crit[c];
    lua_createtable(L, 0, 6);
    set_str(L, "id", cr->id);
    set_str(L, "name", cr->name ? cr->name : cr->id);
    set_str(L, "direction", cr->dir < 0 ? "min" : "max");
    set_str(L, "unit", cr->unit);
    set_num(L, "weight", cr->weight);
    if (!isnan(cr->lo)) {
      lua_createtable(L, 2, 0);
      lua_pushnumber(L, cr->lo);
      lua_rawseti(L, -2, 1);
      lua_pushnumber(L, cr->hi);
      lua_rawseti(L, -2, 2);
      lua_setfield(L, -2, "scale");
    }
    lua_rawseti(L, -2, (lua_Integer)c + 1);
  }
}

static void push_strategy(lua_State *L, const parley__strategy *st) {
  lua_createtable(L, 0, 5);
  set_str(L, "id", st->id);
  set_str(L, "name", st->name ? st->name : st->id);
  set_str(L, "description", st->description);
  set_json(L, "params", st->params);
  set_json(L, "notes", st->notes);
}

static void push_scenario(lua_State *L, const parley__scenario *k) {
  lua_createtable(L, 0, 5);
  set_str(L, "id", k->id);
  set_str(L, "name", k->name ? k->name : k->id);
  set_num(L, "probability", k->probability);
  set_json(L, "params", k->params);
  if (k->positive || k->negative) {
    lua_createtable(L, 0, 2);
    set_str(L, "positive", k->positive);
    set_str(L, "negative", k->negative);
    lua_setfield(L, -2, "notes");
  }
}

static void push_actors(lua_State *L, const parley_model *m) {
  lua_createtable(L, (int)m->na, 0);
  for (size_t a = 0; a < m->na; a++) {
    const parley__actor *ac = &m->act[a];
    lua_createtable(L, 0, 5);
    set_str(L, "id", ac->id);
    set_str(L, "name", ac->name ? ac->name : ac->id);
    set_str(L, "description", ac->description);
    set_num(L, "influence", ac->influence);
    lua_createtable(L, 0, (int)m->nc);
    for (size_t c = 0; c < ac->nw && c < m->nc; c++) set_num(L, m->crit[c].id, ac->weights[c]);
    lua_setfield(L, -2, "weights");
    lua_rawseti(L, -2, (lua_Integer)a + 1);
  }
}

/* The lists are made on first use (a model with a million strategies does
 * not build a million tables for a plugin that only reads the criteria). */
static int m_index(lua_State *L) {
  const char *key = lua_tostring(L, 2);
  if (!key) return 0;
  lua_getfield(L, 1, "_handle");
  const parley_model *m = live_model(L, -1);
  if (strcmp(key, "criteria") == 0) {
    push_criteria(L, m);
  } else if (strcmp(key, "strategies") == 0) {
    lua_createtable(L, (int)(m->ns < INT32_MAX ? m->ns : 0), 0);
    for (size_t s = 0; s < m->ns; s++) {
      push_strategy(L, &m->strat[s]);
      lua_rawseti(L, -2, (lua_Integer)s + 1);
    }
  } else if (strcmp(key, "scenarios") == 0) {
    /* The implicit scenario "base" shows as one scenario of probability 1. */
    lua_createtable(L, (int)m->nk, 0);
    for (size_t k = 0; k < m->nk; k++) {
      push_scenario(L, &m->scen[k]);
      lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
  } else if (strcmp(key, "actors") == 0) {
    push_actors(L, m);
  } else {
    return 0;
  }
  lua_pushstring(L, key);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1); /* cached on the view */
  return 1;
}

static int m_newindex(lua_State *L) { return luaL_error(L, "the model is read-only"); }

/* Pushes the view of m, valid for the current call only. */
static void push_model(lua_State *L, const parley_model *m) {
  lua_createtable(L, 0, 8);
  handle *hd = lua_newuserdatauv(L, sizeof *hd, 0);
  hd->m = m;
  hd->gen = host_of(L)->gen;
  luaL_setmetatable(L, "parley.model");
  lua_setfield(L, -2, "_handle");
  set_str(L, "name", m->name);
  set_str(L, "description", m->description);
  lua_pushcfunction(L, m_outcome);
  lua_setfield(L, -2, "outcome");
  luaL_setmetatable(L, "parley.modelview");
}


/* Parameters of a stage spec as a Lua table. */
static void push_params(lua_State *L, const parley__spec *spec) {
  lua_newtable(L);
  for (size_t i = 0; spec && i < spec->n; i++) {
    const parley__param *p = &spec->params[i];
    if (p->type == PARLEY__PNUM) {
      double v = p->num;
      if (v == floor(v) && fabs(v) < 9007199254740992.0)
        lua_pushinteger(L, (lua_Integer)v);
      else
        lua_pushnumber(L, v);
    } else if (p->type == PARLEY__PSTR) {
      lua_pushstring(L, p->text);
    } else {
      push_json_text(L, p->text);
    }
    lua_setfield(L, -2, p->key);
  }
}

/* ---- loading plugins -------------------------------------------------------------- */
/* A file returns one plugin table, or a list of them (plugins that share
 * code: a sandboxed plugin cannot require another file). */
#define MAX_PER_FILE 64

typedef struct load_args {
  parley__host *h;
  const char *text;
  size_t len;
  size_t chunk;
  const char *path;
  plugin *p[MAX_PER_FILE]; /* filled on success */
  size_t np;
  int code;        /* the engine code of a validation failure */
} load_args;

static const struct {
  const char *kind;
  parley_stage_kind stage;
  const char *fn;
  const char *usage;
} kinds[] = {
  {"weighting", PARLEY_STAGE_WEIGHTING, "weights", "weights(model, params) -> {criterion = weight}"},
  {"scenarios", PARLEY_STAGE_SCENARIOS, "scenarios",
   "scenarios(model, params, host) -> {scenario, ...}"},
  {"format", PARLEY_STAGE_FORMAT, "write", "write(result, out, params)"},
};

static bool name_ok(const char *s) {
  if (!*s || !(islower((unsigned char)*s) || isdigit((unsigned char)*s))) return false;
  for (; *s; s++)
    if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '_' ||
          *s == '.'))
      return false;
  return true;
}

static int check_plugin(lua_State *L, load_args *a, int t, const char *where);

static int load_body(lua_State *L) {
  load_args *a = lua_touserdata(L, 1);
  char chunkname[32];
  snprintf(chunkname, sizeof chunkname, "=#%zu", a->chunk);
  int rc = luaL_loadbufferx(L, a->text, a->len, chunkname, "t");
  if (rc != LUA_OK) {
    a->code = PARLEY_ESYNTAX;
    return lua_error(L);
  }
  push_env(L, a->h);
  lua_setupvalue(L, -2, 1);
  a->code = PARLEY_EINVALID;
  lua_call(L, 0, 1);
  int t = lua_gettop(L);
  if (!lua_istable(L, t))
    return fail(L, "expected the file to return a plugin table {api = 1, kind = ..., name = ...}, "
                "got %s", luaL_typename(L, t));
  lua_getfield(L, t, "api");
  bool list = lua_isnil(L, -1) && lua_rawlen(L, t) > 0;
  lua_pop(L, 1);
  if (!list) return check_plugin(L, a, t, "");
  size_t n = lua_rawlen(L, t);
  if (n > MAX_PER_FILE) return fail(L, "a file holds at most %d plugins", MAX_PER_FILE);
  for (size_t i = 1; i <= n; i++) {
    lua_rawgeti(L, t, (lua_Integer)i);
    char where[32];
    snprintf(where, sizeof where, "plugin %zu of the list: ", i);
    if (!lua_istable(L, -1))
      return fail(L, "%sexpected a plugin table {api = 1, ...}, got %s", where,
                  luaL_typename(L, -1));
    check_plugin(L, a, lua_gettop(L), where);
    lua_pop(L, 1);
  }
  return 0;
}

/* Checks the plugin table at t and adds its record to a (where prefixes
 * messages). */
static int check_plugin(lua_State *L, load_args *a, int t, const char *where) {
  int top = lua_gettop(L);
  lua_getfield(L, t, "api");
  if (lua_isnil(L, -1)) return fail(L, "%smissing 'api'; expected api = 1", where);
  if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) != 1)
    return fail(L, "%sapi = %s is not supported; this engine speaks plugin API 1", where,
                luaL_tolstring(L, -1, NULL));
  lua_getfield(L, t, "kind");
  const char *kind = lua_tostring(L, -1);
  size_t ki = 0;
  while (ki < sizeof kinds / sizeof *kinds && (!kind || strcmp(kinds[ki].kind, kind) != 0)) ki++;
  if (lua_type(L, -1) != LUA_TSTRING || ki == sizeof kinds / sizeof *kinds)
    return fail(L, "%sunknown kind %s; expected \"weighting\", \"scenarios\" or \"format\"",
                where, lua_type(L, -1) == LUA_TSTRING ? lua_pushfstring(L, "'%s'", kind)
                                                     : luaL_typename(L, -1));
  lua_getfield(L, t, "name");
  if (lua_type(L, -1) != LUA_TSTRING || !name_ok(lua_tostring(L, -1)))
    return fail(L, "%s'name' must be a string of lower-case letters, digits, '-', '_' or '.' "
                "(the name the stage is called by)", where);
  const char *name = lua_tostring(L, -1);
  lua_getfield(L, t, "summary");
  if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
    return fail(L, "%s'summary' must be a string", where);
  const char *summary = lua_tostring(L, -1);
  lua_getfield(L, t, kinds[ki].fn);
  if (!lua_isfunction(L, -1))
    return fail(L, "%smissing function '%s' (a %s plugin provides %s)", where, kinds[ki].fn, kind,
                kinds[ki].usage);
  lua_pop(L, 1);
  if (a->np == MAX_PER_FILE) return fail(L, "a file holds at most %d plugins", MAX_PER_FILE);

  parley_engine *e = a->h->e;
  plugin *p = parley__calloc(e, 1, sizeof *p);
  if (!p) return fail(L, "out of memory");
  p->kind = kinds[ki].stage;
  p->chunk = a->chunk;
  p->ref = LUA_NOREF;
  p->path = parley__strdup(e, a->path);
  p->name = parley__strdup(e, name);
  p->summary = parley__strdup(e, summary ? summary : "");
  a->p[a->np++] = p;
  if (!p->path || !p->name || !p->summary) return fail(L, "out of memory");
  lua_pushvalue(L, t);
  p->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_settop(L, top);
  return 0;
}

static void plugin_free(parley_engine *e, plugin *p) {
  if (!p) return;
  parley__free(e, p->path);
  parley__free(e, p->name);
  parley__free(e, p->summary);
  parley__free(e, p);
}

static int read_whole(parley_engine *e, const char *path, char **out, size_t *len,
                      const char *noun) {
  FILE *f = fopen(path, "rb");
  if (!f) return parley__err(e, PARLEY_EIO, "%s %s: cannot read: %s", noun, path, strerror(errno));
  parley__buf b;
  parley__buf_init(&b, e);
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) parley__buf_add(&b, chunk, n);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    parley__buf_free(&b);
    return parley__err(e, PARLEY_EIO, "%s %s: cannot read", noun, path);
  }
  return parley__buf_finish(&b, out, len);
}

static int load_file(parley_engine *e, const char *path) {
  parley__host *h;
  int rc = host_get(e, &h);
  if (rc != PARLEY_OK) return rc;
  char *text = NULL;
  size_t len = 0;
  if ((rc = read_whole(e, path, &text, &len, "plugin")) != PARLEY_OK) return rc;
  load_args a = {.h = h, .text = text, .len = len, .path = path, .code = PARLEY_EINVALID};
  if ((a.chunk = add_chunk(h, path)) == SIZE_MAX) {
    parley__free(e, text);
    return PARLEY_ENOMEM;
  }
  rc = host_call(h, load_body, &a, path, a.chunk, PARLEY_EINVALID);
  if (rc == PARLEY_OK || a.code == PARLEY_ESYNTAX) {
    /* host_call reported with EINVALID; a syntax error keeps its own code. */
    if (rc != PARLEY_OK) e->errcode = rc = PARLEY_ESYNTAX;
  }
  parley__free(e, text);
  if (rc != PARLEY_OK) {
    for (size_t i = 0; i < a.np; i++) {
      if (a.p[i]->ref != LUA_NOREF) luaL_unref(h->L, LUA_REGISTRYINDEX, a.p[i]->ref);
      plugin_free(e, a.p[i]);
    }
    return rc;
  }
  size_t i = 0;
  for (; i < a.np && rc == PARLEY_OK; i++) {
    if (h->np == h->cap_p) {
      size_t cap = h->cap_p ? 2 * h->cap_p : 16;
      plugin **np = parley__realloc(e, h->plugins, parley__mul(cap, sizeof *np));
      if (!np) {
        rc = PARLEY_ENOMEM;
        break;
      }
      h->plugins = np;
      h->cap_p = cap;
    }
    plugin *p = a.p[i];
    h->plugins[h->np++] = p;
    parley__stage st = {.kind = p->kind, .name = p->name, .summary = p->summary,
                        .params = NULL, .flags = 0, .source = p->path, .ud = p};
    if (p->kind == PARLEY_STAGE_WEIGHTING) st.fn.weighting = parley__lua_weighting;
    rc = parley__registry_add(e, &st);
  }
  /* Records not handed to the host are freed (their tables stay
   * referenced in the state until it closes; harmless). */
  for (; i < a.np; i++) plugin_free(e, a.p[i]);
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.lua under dir, sorted by path, loaded in that order. */
static int load_dir(parley_engine *e, const char *dir, int depth) {
  if (depth > 16) return PARLEY_OK;
  DIR *d = opendir(dir);
  if (!d) return parley__err(e, PARLEY_EIO, "plugins %s: cannot open: %s", dir, strerror(errno));
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = PARLEY_OK;
  struct dirent *ent;
  while ((ent = readdir(d))) {
    if (ent->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 32;
      char **nn = parley__realloc(e, names, parley__mul(cap, sizeof *nn));
      if (!nn) {
        rc = PARLEY_ENOMEM;
        break;
      }
      names = nn;
    }
    size_t len = strlen(dir) + strlen(ent->d_name) + 2;
    if (!(names[n] = parley__malloc(e, len))) {
      rc = PARLEY_ENOMEM;
      break;
    }
    snprintf(names[n++], len, "%s/%s", dir, ent->d_name);
  }
  closedir(d);
  if (rc == PARLEY_OK && n > 1) qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n && rc == PARLEY_OK; i++) {
    struct stat sb;
    if (stat(names[i], &sb) != 0) continue;
    size_t len = strlen(names[i]);
    if (S_ISDIR(sb.st_mode))
      rc = load_dir(e, names[i], depth + 1);
    else if (S_ISREG(sb.st_mode) && len > 4 && strcmp(names[i] + len - 4, ".lua") == 0)
      rc = load_file(e, names[i]);
  }
  for (size_t i = 0; i < n; i++) parley__free(e, names[i]);
  parley__free(e, names);
  return rc;
}

int parley_plugins_load(parley_engine *engine, const char *path) {
  if (!engine) return PARLEY_EUSAGE;
  parley__ok(engine);
  if (!path) return parley__err(engine, PARLEY_EUSAGE, "parley_plugins_load: path is NULL");
  struct stat sb;
  if (stat(path, &sb) != 0)
    return parley__err(engine, PARLEY_EIO, "plugins %s: %s", path, strerror(errno));
  int rc = S_ISDIR(sb.st_mode) ? load_dir(engine, path, 0) : load_file(engine, path);
  if (rc == PARLEY_ENOMEM && engine->errcode != PARLEY_ENOMEM)
    parley__err(engine, PARLEY_ENOMEM, "out of memory");
  return rc;
}

/* ---- weighting ------------------------------------------------------------------ */
typedef struct weigh_args {
  parley__ctx *ctx;
  plugin *p;
  double *w;
} weigh_args;

static int weigh_body(lua_State *L) {
  weigh_args *a = lua_touserdata(L, 1);
  const parley_model *m = a->ctx->model;
  lua_rawgeti(L, LUA_REGISTRYINDEX, a->p->ref);
  lua_getfield(L, -1, "weights");
  push_model(L, m);
  push_params(L, a->ctx->spec);
  lua_call(L, 2, 2);
  int t = lua_gettop(L) - 1;
  if (!lua_istable(L, t))
    return fail(L, "weights() returned %s; expected a table {criterion = weight, ...}",
                luaL_typename(L, t));
  /* {criterion = weight} or a list in criterion order. */
  bool list = lua_rawlen(L, t) > 0;
  if (list && lua_rawlen(L, t) != m->nc)
    return fail(L, "weights() returned a list of %I weights; the model has %I criteria",
                (lua_Integer)lua_rawlen(L, t), (lua_Integer)m->nc);
  for (size_t c = 0; c < m->nc; c++) {
    if (list)
      lua_rawgeti(L, t, (lua_Integer)c + 1);
    else
      lua_getfield(L, t, m->crit[c].id);
    if (lua_type(L, -1) != LUA_TNUMBER)
      return fail(L, "weights() gave %s for criterion '%s'; expected a number",
                  luaL_typename(L, -1), m->crit[c].id);
    a->w[c] = lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  if (!list) {
    lua_pushnil(L);
    while (lua_next(L, t)) {
      if (lua_type(L, -2) != LUA_TSTRING ||
          parley__find(m, PARLEY_CRITERIA, lua_tostring(L, -2)) == SIZE_MAX)
        return fail(L, "weights() returned a weight for %s, which is not a criterion of the model",
                    lua_type(L, -2) == LUA_TSTRING ? lua_pushfstring(L, "'%s'", lua_tostring(L, -2))
                                                  : luaL_typename(L, -2));
      lua_pop(L, 1);
    }
  }
  if (!lua_isnil(L, t + 1)) {
    if (!lua_istable(L, t + 1))
      return fail(L, "weights() returned diagnostics of type %s; expected a table",
                  luaL_typename(L, t + 1));
    char *d = to_json_text(L, a->ctx->engine, t + 1, "the diagnostics weights() returned");
    parley__free(a->ctx->engine, a->ctx->diagnostics);
    a->ctx->diagnostics = d;
  }
  return 0;
}

int parley__lua_weighting(parley__ctx *ctx, double *w) {
  plugin *p = ctx->stage->ud;
  parley__host *h = ctx->engine->host;
  if (!p || !h) return parley__err(ctx->engine, PARLEY_ERROR, "weighting plugin not loaded");
  weigh_args a = {ctx, p, w};
  return host_call(h, weigh_body, &a, p->name, p->chunk, PARLEY_ERROR);
}

/* ---- formats --------------------------------------------------------------------- */
typedef struct writer {
  unsigned gen;
} writer;

static int w_write(lua_State *L) {
  writer *wr = luaL_checkudata(L, 1, "parley.writer");
  parley__host *h = host_of(L);
  if (wr->gen != h->gen || !h->out) return fail(L, "the writer was kept past its call");
  int n = lua_gettop(L);
  for (int i = 2; i <= n; i++) {
    size_t len;
    const char *s;
    char num[64];
    if (lua_type(L, i) == LUA_TSTRING) {
      s = lua_tolstring(L, i, &len);
    } else if (lua_type(L, i) == LUA_TNUMBER) {
      if (lua_isinteger(L, i))
        len = (size_t)snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, i));
      else
        len = (size_t)snprintf(num, sizeof num, "%.14g", lua_tonumber(L, i));
      s = num;
    } else {
      return luaL_error(L, "out:write: argument %d is a %s; expected a string or a number", i - 1,
                        luaL_typename(L, i));
    }
    if (h->out->len + len > h->out_limit)
      return luaL_error(L, "out:write: the output is over the memory limit of %I bytes",
                        (lua_Integer)h->out_limit);
    parley__buf_add(h->out, s, len);
    if (h->out->failed) return luaL_error(L, "out:write: out of memory");
  }
  lua_settop(L, 1);
  return 1;
}

typedef struct format_args {
  plugin *p;
  const parley__spec *spec;
  const parley_result *r;
  const char *json;
} format_args;

static int format_body(lua_State *L) {
  format_args *a = lua_touserdata(L, 1);
  lua_rawgeti(L, LUA_REGISTRYINDEX, a->p->ref);
  lua_getfield(L, -1, "write");
  /* The result document as Lua tables, its "model" the full model view
   * (with the document's sha256). */
  push_json_text(L, a->json);
  lua_getfield(L, -1, "model");
  int doc_model = lua_gettop(L);
  push_model(L, a->r->model);
  lua_pushliteral(L, "sha256");
  lua_getfield(L, doc_model, "sha256");
  lua_rawset(L, -3);
  lua_setfield(L, -3, "model");
  lua_pop(L, 1);
  writer *wr = lua_newuserdatauv(L, sizeof *wr, 0);
  wr->gen = host_of(L)->gen;
  luaL_setmetatable(L, "parley.writer");
  push_params(L, a->spec);
  lua_call(L, 3, 0);
  return 0;
}

int parley__host_format(parley_engine *e, const parley__stage *st, const parley__spec *params,
                        const parley_result *r, char **out, size_t *len) {
  plugin *p = st->ud;
  parley__host *h = e->host;
  if (!p || !h) return parley__err(e, PARLEY_ERROR, "format plugin not loaded");
  char *json = NULL;
  int rc = parley__result_json(e, r, &json, NULL);
  if (rc != PARLEY_OK) return rc;
  parley__buf b;
  parley__buf_init(&b, e);
  parley__buf_puts(&b, "");
  h->out = &b;
  format_args a = {p, params, r, json};
  rc = host_call(h, format_body, &a, p->name, p->chunk, PARLEY_ERROR);
  h->out = NULL;
  parley__free(e, json);
  if (rc != PARLEY_OK) {
    parley__buf_free(&b);
    return rc;
  }
  return parley__buf_finish(&b, out, len);
}

/* The metatables of the views, made once per state. */
static void register_views(lua_State *L) {
  luaL_newmetatable(L, "parley.model");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
  luaL_newmetatable(L, "parley.modelview");
  lua_pushcfunction(L, m_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, m_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
  luaL_newmetatable(L, "parley.writer");
  lua_newtable(L);
  lua_pushcfunction(L, w_write);
  lua_setfield(L, -2, "write");
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
}

/* ---- reading files beside the model ------------------------------------------ */
typedef struct gen_args {
  plugin *p;
  parley_model *m;
  const cJSON *params;
  const char *base_dir;
  double *vals;
  size_t ns, nc;
} gen_args;

/* host:read(name): the text of a file beside the model.  The name is
 * relative, without "..": a model's plugin reads its own data only. */
static int h_read(lua_State *L) {
  const char *name = luaL_checkstring(L, 2);
  lua_getfield(L, 1, "_dir");
  const char *dir = lua_tostring(L, -1);
  if (name[0] == '/' || strstr(name, "..") || !*name)
    return luaL_error(L, "host:read: '%s' must be a file name relative to the model, without '..'",
                      name);
  luaL_Buffer path;
  luaL_buffinit(L, &path);
  if (dir && *dir) {
    luaL_addstring(&path, dir);
    luaL_addchar(&path, '/');
  }
  luaL_addstring(&path, name);
  luaL_pushresult(&path);
  const char *full = lua_tostring(L, -1);
  FILE *f = fopen(full, "rb");
  if (!f) return luaL_error(L, "host:read: cannot read %s: %s", full, strerror(errno));
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  size_t n;
  char *space;
  do {
    space = luaL_prepbuffer(&b);
    n = fread(space, 1, LUAL_BUFFERSIZE, f);
    luaL_addsize(&b, n);
  } while (n == LUAL_BUFFERSIZE);
  int bad = ferror(f);
  fclose(f);
  if (bad) return luaL_error(L, "host:read: cannot read %s", full);
  luaL_pushresult(&b);
  return 1;
}

static const char *opt_field_str(lua_State *L, int t, const char *key, const char *where) {
  lua_getfield(L, t, key);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return NULL;
  }
  if (lua_type(L, -1) != LUA_TSTRING) fail(L, "%s.%s: expected a string", where, key);
  const char *s = lua_tostring(L, -1);
  lua_pop(L, 1); /* still referenced by the table */
  return s;
}

static int gen_body(lua_State *L) {
  gen_args *a = lua_touserdata(L, 1);
  parley_model *m = a->m;
  parley_engine *e = m->engine;
  lua_rawgeti(L, LUA_REGISTRYINDEX, a->p->ref);
  lua_getfield(L, -1, "scenarios");
  push_model(L, m);
  /* The generator's parameters: its object in the model file. */
  lua_newtable(L);
  for (const cJSON *c = a->params ? a->params->child : NULL; c; c = c->next) {
    if (strcmp(c->string, "generator") == 0) continue;
    push_tree(L, c, 0); /* the tree belongs to the loader: nothing leaks */
    lua_setfield(L, -2, c->string);
  }
  lua_createtable(L, 0, 3);
  lua_pushstring(L, a->base_dir ? a->base_dir : "");
  lua_setfield(L, -2, "_dir");
  lua_pushcfunction(L, h_read);
  lua_setfield(L, -2, "read");
  lua_pushinteger(L, (lua_Integer)e->plugin.seed);
  lua_setfield(L, -2, "seed");
  lua_call(L, 3, 1);
  int t = lua_gettop(L);
  if (!lua_istable(L, t))
    return fail(L, "scenarios() returned %s; expected a list of scenarios", luaL_typename(L, t));
  size_t n = lua_rawlen(L, t);
  if (n == 0) return fail(L, "scenarios() returned no scenarios");
  bool any_outcomes = false;
  for (size_t i = 1; i <= n; i++) {
    lua_rawgeti(L, t, (lua_Integer)i);
    int k = lua_gettop(L);
    char where[48];
    snprintf(where, sizeof where, "scenario %zu", i);
    if (!lua_istable(L, k)) return fail(L, "%s: expected a table {id = ..., ...}", where);
    const char *id = opt_field_str(L, k, "id", where);
    if (!id) return fail(L, "%s: missing 'id'", where);
    const char *name = opt_field_str(L, k, "name", where);
    lua_getfield(L, k, "probability");
    double p = NAN;
    if (!lua_isnil(L, -1)) {
      if (lua_type(L, -1) != LUA_TNUMBER) return fail(L, "%s.probability: expected a number", where);
      p = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    if (parley_model_add_scenario(m, id, name, p) != PARLEY_OK)
      return fail(L, "%s", e->errmsg);
    parley__scenario *sc = &m->scen[m->nk - 1];
    lua_getfield(L, k, "params");
    if (!lua_isnil(L, -1)) sc->params = to_json_text(L, e, -1, "params");
    lua_pop(L, 1);
    lua_getfield(L, k, "notes");
    if (lua_istable(L, -1)) {
      const char *pos = opt_field_str(L, lua_gettop(L), "positive", where);
      const char *neg = opt_field_str(L, lua_gettop(L), "negative", where);
      if ((pos && !(sc->positive = parley__strdup(e, pos))) ||
          (neg && !(sc->negative = parley__strdup(e, neg))))
        return fail(L, "out of memory");
    }
    lua_pop(L, 1);
    lua_getfield(L, k, "outcomes");
    if (!lua_isnil(L, -1)) any_outcomes = true;
    lua_pop(L, 2);
  }
  if (!any_outcomes) return 0;
  /* Outcomes: {strategy = {criterion = value}} in every scenario. */
  size_t ns = m->ns, nc = m->nc;
  a->ns = ns;
  a->nc = nc;
  a->vals = parley__malloc(e, parley__mul(parley__mul(n, ns), parley__mul(nc, sizeof(double))));
  if (!a->vals) return fail(L, "out of memory");
  for (size_t i = 0; i < n * ns * nc; i++) a->vals[i] = NAN;
  for (size_t i = 1; i <= n; i++) {
    lua_rawgeti(L, t, (lua_Integer)i);
    lua_getfield(L, -1, "id");
    const char *kid = lua_tostring(L, -1);
    lua_getfield(L, -2, "outcomes");
    int o = lua_gettop(L);
    if (!lua_istable(L, o))
      return fail(L, "scenario '%s': no outcomes, while other scenarios of the generator give "
                  "them; give them for every scenario or none", kid);
    for (size_t s = 0; s < ns; s++) {
      lua_getfield(L, o, m->strat[s].id);
      if (!lua_istable(L, -1))
        return fail(L, "scenario '%s': outcomes give nothing for strategy '%s'", kid,
                    m->strat[s].id);
      for (size_t c = 0; c < nc; c++) {
        lua_getfield(L, -1, m->crit[c].id);
        if (lua_type(L, -1) != LUA_TNUMBER || !isfinite(lua_tonumber(L, -1)))
          return fail(L, "scenario '%s': outcome of strategy '%s' on criterion '%s' is %s; "
                      "expected a finite number", kid, m->strat[s].id, m->crit[c].id,
                      lua_type(L, -1) == LUA_TNUMBER ? "not finite" : luaL_typename(L, -1));
        a->vals[((i - 1) * ns + s) * nc + c] = lua_tonumber(L, -1);
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 3);
  }
  return 0;
}

int parley__host_scenarios(parley_engine *e, const parley__stage *st, parley_model *m,
                           const cJSON *params, const char *base_dir, const char *what,
                           double **vals) {
  *vals = NULL;
  plugin *p = st->ud;
  parley__host *h = e->host;
  if (!p || !h) return parley__err(e, PARLEY_ENOTFOUND, "%s: generator not loaded", what);
  gen_args a = {.p = p, .m = m, .params = params, .base_dir = base_dir};
  int rc = host_call(h, gen_body, &a, p->name, p->chunk, PARLEY_EINVALID);
  if (rc != PARLEY_OK) {
    parley__free(e, a.vals);
    char msg[PARLEY__ERRMAX];
    snprintf(msg, sizeof msg, "%s", e->errmsg);
    if (!what) return parley__err(e, rc, "generator '%s': %s", p->name, msg);
    return parley__err(e, rc, "%s: generator '%s': %s", what, p->name, msg);
  }
  *vals = a.vals;
  return PARLEY_OK;
}

/* ---- Lua outcome files ---------------------------------------------------------- */
typedef struct outcome_args {
  parley_model *m;
  const char *text;
  size_t len;
  size_t chunk;
} outcome_args;

static int outcome_body(lua_State *L) {
  outcome_args *a = lua_touserdata(L, 1);
  parley_model *m = a->m;
  char chunkname[32];
  snprintf(chunkname, sizeof chunkname, "=#%zu", a->chunk);
  if (luaL_loadbufferx(L, a->text, a->len, chunkname, "t") != LUA_OK) return lua_error(L);
  push_env(L, host_of(L));
  int env = lua_gettop(L);
  lua_pushvalue(L, env);
  lua_setupvalue(L, -3, 1);
  lua_pushvalue(L, -2);
  lua_call(L, 0, 1);
  /* The function: the returned table's outcome, or a global outcome. */
  if (lua_istable(L, -1)) lua_getfield(L, -1, "outcome");
  else lua_getfield(L, env, "outcome");
  if (!lua_isfunction(L, -1))
    return fail(L, "expected the file to return {outcome = function(strategy, scenario) ... end} "
                "or to define a function outcome");
  int fn = lua_gettop(L);
  lua_createtable(L, (int)m->ns, 0);
  int strats = lua_gettop(L);
  for (size_t s = 0; s < m->ns; s++) {
    push_strategy(L, &m->strat[s]);
    lua_rawseti(L, strats, (lua_Integer)s + 1);
  }
  for (size_t k = 0; k < m->nk; k++) {
    push_scenario(L, &m->scen[k]);
    int sc = lua_gettop(L);
    for (size_t s = 0; s < m->ns; s++) {
      lua_pushvalue(L, fn);
      lua_rawgeti(L, strats, (lua_Integer)s + 1);
      lua_pushvalue(L, sc);
      lua_call(L, 2, 1);
      if (!lua_istable(L, -1))
        return fail(L, "outcome('%s', '%s') returned %s; expected {criterion = value, ...}",
                    m->strat[s].id, m->scen[k].id, luaL_typename(L, -1));
      for (size_t c = 0; c < m->nc; c++) {
        lua_getfield(L, -1, m->crit[c].id);
        if (lua_type(L, -1) != LUA_TNUMBER || !isfinite(lua_tonumber(L, -1)))
          return fail(L, "outcome('%s', '%s') gave %s for criterion '%s'; expected a finite "
                      "number", m->strat[s].id, m->scen[k].id,
                      lua_type(L, -1) == LUA_TNUMBER ? "a non-finite number"
                                                     : luaL_typename(L, -1),
                      m->crit[c].id);
        if (parley__model_set_cell(m, s, k, c, lua_tonumber(L, -1)) != PARLEY_OK)
          return fail(L, "%s", m->engine->errmsg);
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  return 0;
}

int parley__host_outcomes(parley_engine *e, parley_model *m, const char *path, const char *what) {
  parley__host *h;
  int rc = host_get(e, &h);
  if (rc != PARLEY_OK) return rc;
  char *text = NULL;
  size_t len = 0;
  if ((rc = read_whole(e, path, &text, &len, what)) != PARLEY_OK) return rc;
  outcome_args a = {.m = m, .text = text, .len = len};
  if ((a.chunk = add_chunk(h, path)) == SIZE_MAX) {
    parley__free(e, text);
    return PARLEY_ENOMEM;
  }
  rc = host_call(h, outcome_body, &a, path, a.chunk, PARLEY_EINVALID);
  parley__free(e, text);
  if (rc != PARLEY_OK) {
    char msg[PARLEY__ERRMAX];
    snprintf(msg, sizeof msg, "%s", e->errmsg);
    return what ? parley__err(e, rc, "%s: %s", what, msg) : rc;
  }
  return PARLEY_OK;
}
