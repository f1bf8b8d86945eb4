/*
 * lua_host.c — Lua plugins: loading, the sandbox, the limits and the Lua
 * view of models and results (docs/plugins.md).
 *
 * One Lua state per engine, made when the first plugin or Lua outcome file
 * is loaded, allocating through the engine's allocator.  Each plugin file
 * runs in an environment of its own: copies of the safe parts of the
 * standard library (so that one plugin's changes to `string` or `math`
 * never reach another), `load` restricted to text chunks, `collectgarbage`
 * to "count", `setmetatable` without __gc (a finalizer would run outside
 * any call's limits, when the host collects garbage or closes the state),
 * `os` to clock/time/date, no io, debug, package, require, coroutine or
 * string.dump; the string metatable is hidden.  The library functions whose
 * time can grow faster than the memory they use (string patterns,
 * table.insert/remove/move/sort) count their work (core/lua_sandlib.c).
 *
 * Every call from the engine into Lua goes through host_call(): it arms the
 * limits (an instruction budget counted by a count hook and by the counting
 * library functions, a wall-clock deadline checked by the same hook, by
 * them and by the allocator every MiB, a ceiling on the bytes the state may
 * hold, enforced by the allocator), seeds math.random, runs a C function in
 * protected mode that builds the views, calls the plugin and reads what it
 * returns, and turns any failure into one engine message
 * "plugin FILE:LINE: ...".  A call that reaches a limit fails even when the
 * plugin catches the error; once over, the hook raises at every instruction
 * and the allocator refuses to grow, so catching buys nothing.  Afterwards
 * the stack is reset and garbage collected, so the engine is usable after
 * any breach.  The host reads what a plugin returns with raw accesses
 * only: no plugin code (a metamethod) runs while the host holds pointers
 * into a returned table.
 *
 * Chunks are named "=#N" (N indexes the host's list of file paths) because
 * Lua cuts long chunk names to 60 bytes; messages get the full path back.
 * Views handed to Lua (the model view, a format's writer, a generator's
 * host:read) carry the number of the call they belong to and refuse to work
 * after it.
 */
#include "lua_host.h"
#include "lua_sandlib.h"

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

#define HOOK_STEP 1000                     /* instructions between hook calls */
#define CLOCK_EVERY ((size_t)1 << 20)      /* bytes allocated between clock checks */
#define DEFAULT_INSTRUCTIONS 100000000ull
#define DEFAULT_MEMORY ((size_t)256 << 20)
#define DEFAULT_SECONDS 10.0
#define JSON_DEPTH 64

typedef struct plugin {
  char *path;
  char *name;
  char *summary;
  parley_stage_kind kind;
  int ref;      /* the plugin table, in the Lua registry; LUA_NOREF once replaced */
  size_t chunk; /* its index in host->chunks */
} plugin;

enum { LIMIT_NONE, LIMIT_INSTRUCTIONS, LIMIT_TIME, LIMIT_MEMORY };

struct parley__host {
  parley_engine *e;
  lua_State *L;
  size_t used;         /* bytes the state holds */
  size_t limit;        /* ceiling while limited */
  size_t grown;        /* bytes allocated since the last clock check */
  bool limited;        /* a call is running under the limits */
  bool refused;        /* the allocator refused a block over the ceiling */
  uint64_t budget;     /* instructions left in this call */
  uint64_t instructions;
  int step;            /* the hook's current count */
  double deadline;     /* monotonic seconds */
  double seconds;
  size_t memory;       /* this call's memory limit */
  int breach;          /* LIMIT_INSTRUCTIONS or LIMIT_TIME once over */
  bool input_error;    /* the plugin called invalid(): bad input, not a failed run */
  char invalid_msg[PARLEY__ERRMAX]; /* ... with this message (a caught one does not count) */
  uint64_t gen;        /* number of the current call (views check it) */
  char pos[LUA_IDSIZE];        /* the last position seen ("#3"), and its line */
  int pos_line;
  char breach_pos[LUA_IDSIZE]; /* where the instruction or time limit was reached */
  int breach_line;
  char mem_pos[LUA_IDSIZE];    /* where the memory limit was reached */
  int mem_line;
  char **chunks;       /* file of chunk "#N" */
  size_t nchunks, cap_chunks;
  plugin **plugins;
  size_t np, cap_p;
  int randomseed_ref;  /* math.randomseed, kept from the library */
  parley__buf *out;    /* the writer's buffer during a format call */
  size_t out_limit;
};

static void count_hook(lua_State *L, lua_Debug *ar);

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- allocation ------------------------------------------------------------ */
static void *host_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  parley__host *h = ud;
  parley_engine *e = h->e;
  if (!ptr) osize = 0; /* osize then encodes the type of the object */
  if (nsize == 0) {
    if (ptr) {
      e->alloc(e->alloc_ud, ptr, 0);
      h->used -= osize;
    }
    return NULL;
  }
  if (h->limited && nsize > osize) {
    if (h->breach != LIMIT_NONE) return NULL; /* over a limit: nothing grows */
    if (nsize - osize > h->limit - h->used) {
      if (!h->refused) {
        h->refused = true;
        memcpy(h->mem_pos, h->pos, sizeof h->mem_pos);
        h->mem_line = h->pos_line;
      }
      return NULL; /* Lua collects garbage, tries again, then raises */
    }
    /* Filling big blocks takes time no instruction hook sees (a string.rep
     * or a concatenation of long strings per instruction): the clock is
     * read every CLOCK_EVERY bytes too.  Past the deadline the hook runs at
     * the next instruction (lua_sethook only sets fields of the state and
     * marks its call frames, safe here as in lua.c's signal handler). */
    h->grown += nsize - osize;
    if (h->grown >= CLOCK_EVERY) {
      h->grown = 0;
      if (now() > h->deadline) {
        h->breach = LIMIT_TIME;
        memcpy(h->breach_pos, h->pos, sizeof h->breach_pos);
        h->breach_line = h->pos_line;
        lua_sethook(h->L, count_hook, LUA_MASKCOUNT, 1);
        return NULL;
      }
    }
  }
  void *q = e->alloc(e->alloc_ud, ptr, nsize);
  if (q) h->used = h->used - osize + nsize;
  return q;
}

static parley__host *host_of(lua_State *L) { return *(parley__host **)lua_getextraspace(L); }

/* ---- limits ---------------------------------------------------------------------- */
static void note(parley__host *h, const char *src, int line) {
  snprintf(h->pos, sizeof h->pos, "%s", src);
  h->pos_line = line;
}

/* Notes the innermost Lua function that has a line. */
static void note_stack(lua_State *L, parley__host *h) {
  lua_Debug ar;
  for (int level = 0; lua_getstack(L, level, &ar); level++)
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
      note(h, ar.short_src, ar.currentline);
      return;
    }
}

/* Counts n instructions' worth of work; true once a limit is reached. */
static bool spend(parley__host *h, uint64_t n) {
  if (h->breach != LIMIT_NONE) return true;
  if (n >= h->budget) {
    h->budget = 0;
    h->breach = LIMIT_INSTRUCTIONS;
  } else {
    h->budget -= n;
    if (now() > h->deadline) h->breach = LIMIT_TIME;
  }
  if (h->breach == LIMIT_NONE) return false;
  memcpy(h->breach_pos, h->pos, sizeof h->breach_pos);
  h->breach_line = h->pos_line;
  return true;
}

/* The message of a limit reached: "#3:12: instruction limit of ... exceeded". */
static void limit_message(const parley__host *h, int which, char *out, size_t n) {
  const char *pos = which == LIMIT_MEMORY ? h->mem_pos : h->breach_pos;
  int line = which == LIMIT_MEMORY ? h->mem_line : h->breach_line;
  char where[LUA_IDSIZE + 24] = "";
  if (pos[0] && line > 0) snprintf(where, sizeof where, "%s:%d: ", pos, line);
  if (which == LIMIT_INSTRUCTIONS)
    snprintf(out, n, "%sinstruction limit of %llu exceeded", where,
             (unsigned long long)h->instructions);
  else if (which == LIMIT_TIME)
    snprintf(out, n, "%stime limit of %g s exceeded", where, h->seconds);
  else if (h->memory % ((size_t)1 << 20) == 0)
    snprintf(out, n, "%smemory limit of %zu MiB exceeded", where, h->memory >> 20);
  else
    snprintf(out, n, "%smemory limit of %zu bytes exceeded", where, h->memory);
}

/* Raises the error of the limit reached.  From now on the hook runs at
 * every instruction: a pcall in the plugin cannot catch its way on. */
static int raise_breach(lua_State *L, parley__host *h) {
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  char msg[LUA_IDSIZE + 128];
  limit_message(h, h->breach, msg, sizeof msg);
  lua_pushstring(L, msg); /* may fail for memory: host_call reports the breach anyway */
  return lua_error(L);
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  parley__host *h = host_of(L);
  if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0) note(h, ar->short_src, ar->currentline);
  if (spend(h, (uint64_t)h->step)) {
    raise_breach(L, h);
    return;
  }
  if (h->budget < (uint64_t)h->step) { /* the last stretch: stop right at the budget */
    h->step = (int)h->budget;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, h->step);
  }
}

/* charge(n): the counting library functions report n steps of work. */
static int l_charge(lua_State *L) {
  parley__host *h = host_of(L);
  lua_Integer n = lua_tointeger(L, 1);
  if (!h->limited) return 0;
  note_stack(L, h);
  if (spend(h, n > 0 ? (uint64_t)n : 0)) return raise_breach(L, h);
  return 0;
}

/* ---- chunks and messages ------------------------------------------------------ */
/* The chunk number of a file (one per path, however often it is loaded). */
static size_t add_chunk(parley__host *h, const char *path) {
  for (size_t i = 0; i < h->nchunks; i++)
    if (strcmp(h->chunks[i], path) == 0) return i;
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

/* "#N:LINE: msg" -> "plugin PATH:LINE: msg" for the call's own chunk N; any
 * other message gets the chunk's file in front (SIZE_MAX: none).  Only the
 * call's own chunk runs in a call, so "#M:" for another M is text the
 * plugin made up, not a position, and is left alone. */
static int report(parley__host *h, int code, const char *msg, size_t chunk, const char *noun) {
  if (msg[0] == '#' && isdigit((unsigned char)msg[1])) {
    char *end;
    unsigned long n = strtoul(msg + 1, &end, 10);
    if (*end == ':' && n == chunk && chunk < h->nchunks)
      return parley__err(h->e, code, "%s %s:%s", noun, h->chunks[n], end + 1);
  }
  if (chunk < h->nchunks) return parley__err(h->e, code, "%s %s: %s", noun, h->chunks[chunk], msg);
  return parley__err(h->e, code, "%s: %s", noun, msg);
}

/* ---- the sandbox ---------------------------------------------------------------- */
#define LOAD_SLOT 5 /* where sb_reader keeps the piece it returned */

static const char *sb_reader(lua_State *L, void *ud, size_t *size) {
  (void)ud;
  luaL_checkstack(L, 2, "too many nested functions");
  lua_pushvalue(L, 1);
  lua_call(L, 0, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    *size = 0;
    return NULL;
  }
  if (!lua_isstring(L, -1)) luaL_error(L, "reader function must return a string");
  lua_replace(L, LOAD_SLOT); /* keeps the piece alive while the parser reads it */
  return lua_tolstring(L, LOAD_SLOT, size);
}

/* load(chunk [, chunkname [, mode [, env]]]): text chunks only, whatever
 * the mode says; env defaults to the plugin's own environment (upvalue 1).
 * A chunk name that would read as one of the host's own ("=#3") is
 * replaced, so that no message can pass for another file's. */
static int sb_load(lua_State *L) {
  size_t len;
  const char *s = lua_tolstring(L, 1, &len);
  bool has_env = !lua_isnone(L, 4);
  const char *name = luaL_optstring(L, 2, s ? s : "=(load)");
  if ((name[0] == '=' || name[0] == '@') && name[1] == '#') name = "=(load)";
  int status;
  if (s) {
    status = luaL_loadbufferx(L, s, len, name, "t");
  } else {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, LOAD_SLOT);
    lua_pushstring(L, name);
    lua_replace(L, 2); /* the name lives on the stack while the reader runs */
    name = lua_tostring(L, 2);
    status = lua_load(L, sb_reader, NULL, name, "t");
  }
  if (status != LUA_OK) {
    luaL_pushfail(L);
    lua_insert(L, -2);
    return 2; /* nil, message */
  }
  if (has_env)
    lua_pushvalue(L, 4);
  else
    lua_pushvalue(L, lua_upvalueindex(1));
  if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  return 1;
}

/* invalid(message [, level]): a plugin's way of saying its input is wrong
 * (a bad parameter, a malformed file), which the user sees as bad input
 * (exit 2) rather than a failed run.  As with error(), the message gets the
 * position of the function at level (1, the default: the caller; 0: none). */
static int sb_invalid(lua_State *L) {
  const char *msg = luaL_checkstring(L, 1);
  int level = (int)luaL_optinteger(L, 2, 1);
  parley__host *h = host_of(L);
  if (level > 0)
    luaL_where(L, level);
  else
    lua_pushliteral(L, "");
  lua_pushstring(L, msg);
  lua_concat(L, 2);
  h->input_error = true;
  snprintf(h->invalid_msg, sizeof h->invalid_msg, "%s", lua_tostring(L, -1));
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

/* setmetatable(t, mt) as in the base library, without __gc. */
static int sb_setmetatable(lua_State *L) {
  int t = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (t == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "setmetatable: a __gc metamethod is not allowed in a plugin");
    lua_pop(L, 1);
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
    return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

static void copy_fields(lua_State *L, int from, const char *const *names) {
  for (; *names; names++) {
    lua_getfield(L, from, *names);
    lua_setfield(L, -2, *names);
  }
}

/* Pushes a copy of the table at idx (skipping the names in `except`). */
static void copy_table(lua_State *L, int idx, const char *const *except) {
  idx = lua_absindex(L, idx);
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    bool skip = false;
    for (const char *const *x = except; x && *x; x++)
      if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), *x) == 0) skip = true;
    if (skip) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_settable(L, -4); /* copy[key] = value; the key stays for lua_next */
  }
}

/* Pushes a fresh sandbox environment. */
static void push_env(lua_State *L) {
  static const char *const base[] = {
    "assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawlen",
    "rawset", "select", "getmetatable", "tonumber", "tostring", "type", "xpcall", "_VERSION",
    NULL};
  static const char *const no_dump[] = {"dump", NULL};
  static const char *const no_seed[] = {"randomseed", NULL};
  static const char *const os_ok[] = {"clock", "time", "date", NULL};
  static const char *const libs[] = {"table", "utf8", NULL};
  lua_pushglobaltable(L);
  int g = lua_gettop(L);
  lua_newtable(L);
  int env = lua_gettop(L);
  copy_fields(L, g, base);
  lua_pushvalue(L, env);
  lua_pushcclosure(L, sb_load, 1);
  lua_setfield(L, env, "load");
  lua_pushcfunction(L, sb_collectgarbage);
  lua_setfield(L, env, "collectgarbage");
  lua_pushcfunction(L, sb_invalid);
  lua_setfield(L, env, "invalid");
  lua_pushcfunction(L, sb_setmetatable);
  lua_setfield(L, env, "setmetatable");
  lua_getfield(L, g, "string");
  copy_table(L, -1, no_dump);
  lua_setfield(L, env, "string");
  lua_pop(L, 1);
  lua_getfield(L, g, "math");
  copy_table(L, -1, no_seed);
  lua_setfield(L, env, "math");
  lua_pop(L, 1);
  for (const char *const *lib = libs; *lib; lib++) {
    lua_getfield(L, g, *lib);
    copy_table(L, -1, NULL);
    lua_setfield(L, env, *lib);
    lua_pop(L, 1);
  }
  lua_getfield(L, g, "os");
  lua_newtable(L);
  copy_fields(L, lua_gettop(L) - 1, os_ok);
  lua_setfield(L, env, "os");
  lua_pop(L, 1);
  lua_pushvalue(L, env);
  lua_setfield(L, env, "_G");
  lua_remove(L, g);
}

static void register_views(lua_State *L);

/* Opens the libraries, hides what no plugin may reach.  [-0, +0, m] */
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
  /* The string library is also the __index of every string, so it is
   * changed in place: ("").dump must be gone, ("x"):find must count. */
  lua_getglobal(L, "string");
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  parley__sandlib_string(L, -1, l_charge);
  lua_pop(L, 1);
  /* getmetatable("") gives false: the metatable every string shares
   * cannot be changed from a plugin. */
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
  /* The table library: a copy with the counting functions becomes the
   * global the environments copy; the library's own table stays in
   * package.loaded, where error messages find the names of its functions. */
  lua_getglobal(L, "table");
  copy_table(L, -1, NULL);
  parley__sandlib_table(L, -1, l_charge);
  lua_setglobal(L, "table");
  lua_pop(L, 1);
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

static void plugin_free(parley_engine *e, plugin *p) {
  if (!p) return;
  parley__free(e, p->path);
  parley__free(e, p->name);
  parley__free(e, p->summary);
  parley__free(e, p);
}

void parley__host_free(parley_engine *e) {
  parley__host *h = e->host;
  if (!h) return;
  lua_close(h->L); /* no finalizers of plugins: setmetatable refuses __gc */
  for (size_t i = 0; i < h->nchunks; i++) parley__free(e, h->chunks[i]);
  parley__free(e, h->chunks);
  for (size_t i = 0; i < h->np; i++) plugin_free(e, h->plugins[i]);
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
/* Runs body(L) (its argument a light userdata of args) in protected mode
 * under the limits, math.random seeded for `seed_name`.  Errors become
 * messages about the file of chunk `chunk`: a limit reached is
 * PARLEY_ERROR, any other Lua error `code`. */
static int host_call(parley__host *h, lua_CFunction body, void *args, const char *seed_name,
                     size_t chunk, int code) {
  lua_State *L = h->L;
  parley_engine *e = h->e;
  int top = lua_gettop(L);
  h->instructions = e->plugin.instructions ? e->plugin.instructions : DEFAULT_INSTRUCTIONS;
  h->seconds = e->plugin.seconds > 0 ? e->plugin.seconds : DEFAULT_SECONDS;
  h->memory = e->plugin.memory ? e->plugin.memory : DEFAULT_MEMORY;
  h->budget = h->instructions;
  h->step = h->instructions < HOOK_STEP ? (int)h->instructions : HOOK_STEP;
  h->deadline = now() + h->seconds;
  h->breach = LIMIT_NONE;
  h->refused = false;
  h->input_error = false;
  h->grown = 0;
  h->pos[0] = h->breach_pos[0] = h->mem_pos[0] = '\0';
  h->pos_line = h->breach_line = h->mem_line = 0;
  h->gen++;
  /* The ceiling is on what the call adds to what the state already holds
   * (the loaded plugins). */
  h->limit = h->memory > SIZE_MAX - h->used ? SIZE_MAX : h->used + h->memory;
  h->out_limit = h->memory;

  /* math.randomseed(seed, hash of the name): the same run repeats exactly. */
  uint64_t hn = 1469598103934665603ull;
  for (const char *s = seed_name ? seed_name : ""; *s; s++)
    hn = (hn ^ (unsigned char)*s) * 1099511628211ull;
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->randomseed_ref);
  lua_pushinteger(L, (lua_Integer)e->plugin.seed);
  lua_pushinteger(L, (lua_Integer)hn);
  int rc = lua_pcall(L, 2, 0, 0);
  if (rc == LUA_OK) {
    lua_sethook(L, count_hook, LUA_MASKCOUNT, h->step);
    h->limited = true;
    lua_pushcfunction(L, body);
    lua_pushlightuserdata(L, args);
    rc = lua_pcall(L, 1, 0, 0);
    h->limited = false;
    lua_sethook(L, NULL, 0, 0);
  }
  h->gen++; /* views made during the call are dead from here */
  int result = PARLEY_OK;
  char msg[PARLEY__ERRMAX];
  if (h->breach != LIMIT_NONE || h->refused) {
    /* Reported even when the plugin caught the error and returned. */
    limit_message(h, h->breach != LIMIT_NONE ? h->breach : LIMIT_MEMORY, msg, sizeof msg);
    result = report(h, PARLEY_ERROR, msg, chunk, "plugin");
  } else if (rc == LUA_ERRMEM) {
    result = parley__err(e, PARLEY_ENOMEM, "plugin %s: out of memory",
                         chunk < h->nchunks ? h->chunks[chunk] : "?");
  } else if (rc != LUA_OK) {
    /* Never lua_tostring on a non-string: converting allocates, and no
     * error may be raised out here. */
    const char *text = msg;
    if (lua_type(L, -1) == LUA_TSTRING)
      text = lua_tostring(L, -1);
    else if (lua_isinteger(L, -1))
      snprintf(msg, sizeof msg, "%lld", (long long)lua_tointeger(L, -1));
    else if (lua_type(L, -1) == LUA_TNUMBER)
      snprintf(msg, sizeof msg, "%.14g", lua_tonumber(L, -1));
    else
      snprintf(msg, sizeof msg, "error object is a %s value", luaL_typename(L, -1));
    /* Bad input only when the error that ended the call is invalid()'s:
     * the plugin may have caught one and failed otherwise later. */
    bool input = h->input_error && text != msg &&
                 strncmp(text, h->invalid_msg, sizeof h->invalid_msg - 1) == 0;
    result = report(h, input ? PARLEY_EINVALID : code, text, chunk, "plugin");
  }
  lua_settop(L, top);
  lua_gc(L, LUA_GCCOLLECT);
  return result;
}

/* Raises a Lua error without a position (the caller's file is added): for
 * the bodies, which the host calls.  Functions Lua code calls use
 * luaL_error, which adds the caller's line. */
static int fail(lua_State *L, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  return lua_error(L);
}

/* Notes the definition line of the function at idx as the call's position,
 * until the hook sees a better one (a memory limit reached in the first
 * instructions of a call still gets a line). */
static void enter(lua_State *L, int idx) {
  lua_Debug ar;
  if (!lua_isfunction(L, idx)) return; /* the call will say so */
  lua_pushvalue(L, idx);
  if (lua_getinfo(L, ">S", &ar) && ar.linedefined > 0)
    note(host_of(L), ar.short_src, ar.linedefined);
}

/* Pushes t[key] without metamethods; returns its type. */
static int raw_field(lua_State *L, int t, const char *key) {
  t = lua_absindex(L, t);
  lua_pushstring(L, key);
  return lua_rawget(L, t);
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
      lua_pushstring(L, c->string);
      push_tree(L, c, depth + 1);
      lua_rawset(L, -3);
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
 * (never raises, so the tree never leaks; raw accesses only). */
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
 * failure with `what` naming the value.  object: it must be a JSON object. */
static char *to_json_text(lua_State *L, parley_engine *e, int idx, const char *what, bool object) {
  char why[128] = "out of memory";
  cJSON *j = to_json(L, idx, 0, why, sizeof why);
  if (j && object && !cJSON_IsObject(j)) {
    cJSON_Delete(j);
    fail(L, "%s: expected a table of named values, got a list", what);
  }
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

/* ---- the model view -----------------------------------------------------------
 * A userdata, so that no field of it can be written (rawset takes tables
 * only): its user value is a table of the fields made so far, which
 * __index serves and fills. */
typedef struct view {
  const parley_model *m;
  uint64_t gen;
} view;

static const parley_model *live_model(lua_State *L, int idx) {
  view *v = luaL_checkudata(L, idx, "parley.model");
  if (v->gen != host_of(L)->gen)
    luaL_error(L, "the model view was kept past the call it was given to");
  return v->m;
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
  const parley_model *m = live_model(L, 1);
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
  lua_createtable(L, (int)(m->nc < INT32_MAX ? m->nc : 0), 0);
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
  lua_createtable(L, (int)(m->na < INT32_MAX ? m->na : 0), 0);
  for (size_t a = 0; a < m->na; a++) {
    const parley__actor *ac = &m->act[a];
    lua_createtable(L, 0, 5);
    set_str(L, "id", ac->id);
    set_str(L, "name", ac->name ? ac->name : ac->id);
    set_str(L, "description", ac->description);
    set_num(L, "influence", ac->influence);
    lua_createtable(L, 0, (int)(m->nc < INT32_MAX ? m->nc : 0));
    for (size_t c = 0; c < ac->nw && c < m->nc; c++) set_num(L, m->crit[c].id, ac->weights[c]);
    lua_setfield(L, -2, "weights");
    lua_rawseti(L, -2, (lua_Integer)a + 1);
  }
}

/* Pushes the list `key` of the model, or returns false for another key.
 * The lists are made on first use (a model with a million strategies does
 * not build a million tables for a plugin that only reads the criteria). */
static bool push_list(lua_State *L, const parley_model *m, const char *key) {
  if (strcmp(key, "criteria") == 0) {
    push_criteria(L, m);
  } else if (strcmp(key, "strategies") == 0) {
    luaL_checkstack(L, 4, "model view");
    lua_createtable(L, (int)(m->ns < INT32_MAX ? m->ns : 0), 0);
    for (size_t s = 0; s < m->ns; s++) {
      push_strategy(L, &m->strat[s]);
      lua_rawseti(L, -2, (lua_Integer)s + 1);
    }
  } else if (strcmp(key, "scenarios") == 0) {
    /* Before the dimensions are fixed (a generator runs then) there are
     * none; afterwards the implicit scenario "base" shows as one. */
    lua_createtable(L, (int)(m->nk < INT32_MAX ? m->nk : 0), 0);
    for (size_t k = 0; k < m->nk; k++) {
      push_scenario(L, &m->scen[k]);
      lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
  } else if (strcmp(key, "actors") == 0) {
    push_actors(L, m);
  } else {
    return false;
  }
  return true;
}

/* __index(view, key) */
static int m_index(lua_State *L) {
  const parley_model *m = live_model(L, 1);
  lua_getiuservalue(L, 1, 1); /* the fields made so far */
  int fields = lua_gettop(L);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, fields) != LUA_TNIL || lua_type(L, 2) != LUA_TSTRING) return 1;
  lua_pop(L, 1);
  if (!push_list(L, m, lua_tostring(L, 2))) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, fields); /* kept for the rest of the call */
  return 1;
}

static int m_newindex(lua_State *L) { return luaL_error(L, "the model is read-only"); }

static int l_next(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  if (lua_next(L, 1)) return 2;
  lua_pushnil(L);
  return 1;
}

/* __pairs(view): every field, over a copy (the view's own table stays
 * out of the plugin's hands). */
static int m_pairs(lua_State *L) {
  static const char *const lists[] = {"criteria", "strategies", "scenarios", "actors", NULL};
  const parley_model *m = live_model(L, 1);
  lua_getiuservalue(L, 1, 1);
  int fields = lua_gettop(L);
  for (const char *const *k = lists; *k; k++) {
    if (raw_field(L, fields, *k) == LUA_TNIL) {
      lua_pop(L, 1);
      push_list(L, m, *k);
      lua_setfield(L, fields, *k);
    } else {
      lua_pop(L, 1);
    }
  }
  lua_pushcfunction(L, l_next);
  copy_table(L, fields, NULL);
  lua_pushnil(L);
  return 3;
}

/* Pushes the view of m, valid for the current call only; sha256 (or NULL)
 * is the model file's hash, for the result view.  [-0, +1, m] */
static void push_model(lua_State *L, const parley_model *m, const char *sha256) {
  view *v = lua_newuserdatauv(L, sizeof *v, 1);
  v->m = m;
  v->gen = host_of(L)->gen;
  lua_createtable(L, 0, 8);
  set_str(L, "name", m->name);
  set_str(L, "description", m->description);
  set_str(L, "sha256", sha256);
  lua_pushcfunction(L, m_outcome);
  lua_setfield(L, -2, "outcome");
  lua_setiuservalue(L, -2, 1);
  luaL_setmetatable(L, "parley.model");
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
  {"weighting", PARLEY_STAGE_WEIGHTING, "weights",
   "weights(model, params) -> {criterion = weight}"},
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
  push_env(L);
  lua_setupvalue(L, -2, 1);
  a->code = PARLEY_EINVALID;
  lua_call(L, 0, 1);
  int t = lua_gettop(L);
  if (!lua_istable(L, t))
    return fail(L, "expected the file to return a plugin table {api = 1, kind = ..., name = ...}, "
                "got %s", luaL_typename(L, t));
  raw_field(L, t, "api");
  bool list = lua_isnil(L, -1) && lua_rawlen(L, t) > 0;
  lua_pop(L, 1);
  if (!list) return check_plugin(L, a, t, "");
  size_t n = lua_rawlen(L, t);
  if (n > MAX_PER_FILE) return fail(L, "a file holds at most %d plugins", MAX_PER_FILE);
  for (size_t i = 1; i <= n; i++) {
    lua_rawgeti(L, t, (lua_Integer)i);
    char where[40];
    snprintf(where, sizeof where, "plugin %zu of the list: ", i);
    if (!lua_istable(L, -1))
      return fail(L, "%sexpected a plugin table {api = 1, ...}, got %s", where,
                  luaL_typename(L, -1));
    check_plugin(L, a, lua_gettop(L), where);
    lua_pop(L, 1);
  }
  return 0;
}

/* Checks the plugin table at t and adds its record to a; where prefixes
 * the messages. */
static int check_plugin(lua_State *L, load_args *a, int t, const char *where) {
  int top = lua_gettop(L);
  raw_field(L, t, "api");
  if (lua_isnil(L, -1)) return fail(L, "%smissing 'api'; expected api = 1", where);
  if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) != 1)
    return fail(L, "%sapi = %s is not supported; this engine speaks plugin API 1", where,
                lua_type(L, -1) == LUA_TNUMBER || lua_type(L, -1) == LUA_TSTRING
                  ? luaL_tolstring(L, -1, NULL) : luaL_typename(L, -1));
  raw_field(L, t, "kind");
  const char *kind = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  size_t ki = 0;
  while (ki < sizeof kinds / sizeof *kinds && (!kind || strcmp(kinds[ki].kind, kind) != 0)) ki++;
  if (ki == sizeof kinds / sizeof *kinds)
    return fail(L, "%sunknown kind %s; expected \"weighting\", \"scenarios\" or \"format\"",
                where, kind ? lua_pushfstring(L, "'%s'", kind) : luaL_typename(L, -1));
  raw_field(L, t, "name");
  if (lua_type(L, -1) != LUA_TSTRING || !name_ok(lua_tostring(L, -1)))
    return fail(L, "%s'name' must be a string of lower-case letters, digits, '-', '_' or '.' "
                "(the name the stage is called by)", where);
  const char *name = lua_tostring(L, -1);
  raw_field(L, t, "summary");
  if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
    return fail(L, "%s'summary' must be a string", where);
  const char *summary = lua_tostring(L, -1);
  raw_field(L, t, kinds[ki].fn);
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

static int unref_body(lua_State *L) {
  luaL_unref(L, LUA_REGISTRYINDEX, (int)lua_tointeger(L, 1));
  return 0;
}

/* Drops the Lua table of a plugin (in protected mode: no error may escape). */
static void unref(parley__host *h, plugin *p) {
  if (p->ref == LUA_NOREF || p->ref == LUA_REFNIL) return;
  lua_pushcfunction(h->L, unref_body);
  lua_pushinteger(h->L, p->ref);
  if (lua_pcall(h->L, 1, 0, 0) != LUA_OK) lua_pop(h->L, 1);
  p->ref = LUA_NOREF;
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
  /* host_call reported a Lua error with EINVALID; a syntax error has its
   * own code (a limit reached while compiling stays PARLEY_ERROR). */
  if (rc == PARLEY_EINVALID && a.code == PARLEY_ESYNTAX) e->errcode = rc = PARLEY_ESYNTAX;
  parley__free(e, text);
  if (rc != PARLEY_OK) {
    for (size_t i = 0; i < a.np; i++) {
      unref(h, a.p[i]);
      plugin_free(e, a.p[i]);
    }
    return rc;
  }
  size_t handed = 0; /* records the host owns from here */
  for (size_t i = 0; i < a.np && rc == PARLEY_OK; i++) {
    plugin *p = a.p[i];
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
    h->plugins[h->np++] = p;
    handed = i + 1;
    parley__stage st = {.kind = p->kind, .name = p->name, .summary = p->summary,
                        .params = NULL, .flags = 0, .source = p->path, .ud = p};
    if (p->kind == PARLEY_STAGE_WEIGHTING) st.fn.weighting = parley__lua_weighting;
    if ((rc = parley__registry_add(e, &st)) != PARLEY_OK) break;
    /* The plugin it replaced (same kind and name) is out of the registry:
     * its Lua table goes; its strings stay, since stage information handed
     * out earlier points at them. */
    for (size_t j = 0; j + 1 < h->np; j++)
      if (h->plugins[j]->kind == p->kind && strcmp(h->plugins[j]->name, p->name) == 0)
        unref(h, h->plugins[j]);
  }
  /* Records not handed to the host (a failure part way) are dropped. */
  for (size_t j = handed; j < a.np; j++) {
    unref(h, a.p[j]);
    plugin_free(e, a.p[j]);
  }
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A growing list of file paths. */
typedef struct path_list {
  char **p;
  size_t n, cap;
} path_list;

/* Adds every *.lua file under dir (sub-directories too, 16 deep at most, so
 * that a symbolic link to a parent ends) to the list. */
static int collect(parley_engine *e, const char *dir, int depth, path_list *out) {
  if (depth > 16) return PARLEY_OK;
  DIR *d = opendir(dir);
  if (!d) return parley__err(e, PARLEY_EIO, "plugins %s: cannot open: %s", dir, strerror(errno));
  int rc = PARLEY_OK;
  struct dirent *ent;
  while (rc == PARLEY_OK && (ent = readdir(d))) {
    if (ent->d_name[0] == '.') continue;
    size_t len = strlen(dir) + strlen(ent->d_name) + 2;
    char *path = parley__malloc(e, len);
    if (!path) {
      rc = PARLEY_ENOMEM;
      break;
    }
    snprintf(path, len, "%s/%s", dir, ent->d_name);
    struct stat sb;
    size_t plen = strlen(path);
    bool found = stat(path, &sb) == 0;
    if (found && S_ISDIR(sb.st_mode)) {
      rc = collect(e, path, depth + 1, out);
    } else if (found && S_ISREG(sb.st_mode) && plen > 4 && strcmp(path + plen - 4, ".lua") == 0) {
      if (out->n == out->cap) {
        size_t cap = out->cap ? 2 * out->cap : 32;
        char **np = parley__realloc(e, out->p, parley__mul(cap, sizeof *np));
        if (!np) {
          parley__free(e, path);
          rc = PARLEY_ENOMEM;
          break;
        }
        out->p = np;
        out->cap = cap;
      }
      out->p[out->n++] = path;
      continue;
    }
    parley__free(e, path);
  }
  closedir(d);
  return rc;
}

/* Every *.lua file under dir, loaded in the byte order of their paths
 * (so "d/a.lua" comes before "d/a/b.lua", whatever the directory holds). */
static int load_dir(parley_engine *e, const char *dir) {
  path_list files = {NULL, 0, 0};
  int rc = collect(e, dir, 0, &files);
  if (rc == PARLEY_OK && files.n > 1) qsort(files.p, files.n, sizeof *files.p, cmp_str);
  for (size_t i = 0; i < files.n && rc == PARLEY_OK; i++) rc = load_file(e, files.p[i]);
  for (size_t i = 0; i < files.n; i++) parley__free(e, files.p[i]);
  parley__free(e, files.p);
  return rc;
}

int parley_plugins_load(parley_engine *engine, const char *path) {
  if (!engine) return PARLEY_EUSAGE;
  parley__ok(engine);
  if (!path) return parley__err(engine, PARLEY_EUSAGE, "parley_plugins_load: path is NULL");
  struct stat sb;
  if (stat(path, &sb) != 0)
    return parley__err(engine, PARLEY_EIO, "plugins %s: %s", path, strerror(errno));
  int rc = S_ISDIR(sb.st_mode) ? load_dir(engine, path) : load_file(engine, path);
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
  raw_field(L, -1, "weights");
  enter(L, -1);
  push_model(L, m, NULL);
  push_params(L, a->ctx->spec);
  lua_call(L, 2, 2);
  int t = lua_gettop(L) - 1;
  if (!lua_istable(L, t))
    return fail(L, "weights() returned %s; expected a table {criterion = weight, ...}",
                luaL_typename(L, t));
  /* {criterion = weight} or a list in criterion order, not both. */
  size_t len = lua_rawlen(L, t);
  bool list = len > 0;
  if (list && len != m->nc)
    return fail(L, "weights() returned a list of %I weights; the model has %I criteria",
                (lua_Integer)len, (lua_Integer)m->nc);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    bool ok = list ? lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1 &&
                       (lua_Unsigned)lua_tointeger(L, -2) <= len
                   : lua_type(L, -2) == LUA_TSTRING &&
                       parley__find(m, PARLEY_CRITERIA, lua_tostring(L, -2)) != SIZE_MAX;
    if (!ok) {
      if (list)
        return fail(L, "weights() returned a list with a key %s besides the weights; give a "
                    "list in criterion order or a table {criterion = weight}",
                    lua_type(L, -2) == LUA_TSTRING ? lua_pushfstring(L, "'%s'", lua_tostring(L, -2))
                                                  : luaL_typename(L, -2));
      return fail(L, "weights() returned a weight for %s, which is not a criterion of the model",
                  lua_type(L, -2) == LUA_TSTRING ? lua_pushfstring(L, "'%s'", lua_tostring(L, -2))
                                                : luaL_typename(L, -2));
    }
    lua_pop(L, 1);
  }
  for (size_t c = 0; c < m->nc; c++) {
    if (list)
      lua_rawgeti(L, t, (lua_Integer)c + 1);
    else
      raw_field(L, t, m->crit[c].id);
    if (lua_type(L, -1) != LUA_TNUMBER)
      return fail(L, "weights() gave %s for criterion '%s'; expected a number",
                  lua_isnil(L, -1) ? "nothing" : luaL_typename(L, -1), m->crit[c].id);
    double v = lua_tonumber(L, -1);
    if (!isfinite(v) || v < 0) {
      char num[32];
      parley__fmt_double(num, sizeof num, v);
      return fail(L, "weights() gave %s for criterion '%s'; expected a finite number >= 0", num,
                  m->crit[c].id);
    }
    a->w[c] = v;
    lua_pop(L, 1);
  }
  if (!lua_isnil(L, t + 1)) {
    if (!lua_istable(L, t + 1))
      return fail(L, "weights() returned diagnostics of type %s; expected a table",
                  luaL_typename(L, t + 1));
    char *d = to_json_text(L, a->ctx->engine, t + 1, "the diagnostics weights() returned", true);
    parley__free(a->ctx->engine, a->ctx->diagnostics);
    a->ctx->diagnostics = d;
  }
  return 0;
}

int parley__lua_weighting(parley__ctx *ctx, double *w) {
  plugin *p = ctx->stage->ud;
  parley__host *h = ctx->engine->host;
  if (!p || !h || p->ref == LUA_NOREF)
    return parley__err(ctx->engine, PARLEY_ERROR, "weighting plugin not loaded");
  weigh_args a = {ctx, p, w};
  return host_call(h, weigh_body, &a, p->name, p->chunk, PARLEY_ERROR);
}

/* ---- formats --------------------------------------------------------------------- */
typedef struct writer {
  uint64_t gen;
} writer;

/* out:write(...): strings and numbers (integers as integers, others %.14g). */
static int w_write(lua_State *L) {
  writer *wr = luaL_checkudata(L, 1, "parley.writer");
  parley__host *h = host_of(L);
  if (wr->gen != h->gen || !h->out) return luaL_error(L, "the writer was kept past its call");
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
    if (len > h->out_limit - h->out->len)
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
  raw_field(L, -1, "write");
  enter(L, -1);
  /* The result document as Lua tables, its "model" the full model view
   * (with the document's sha256). */
  push_json_text(L, a->json);
  int doc = lua_gettop(L);
  raw_field(L, doc, "model");
  raw_field(L, -1, "sha256");
  push_model(L, a->r->model, lua_tostring(L, -1));
  lua_setfield(L, doc, "model");
  lua_pop(L, 2); /* the document's model and its sha256 */
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
  if (!p || !h || p->ref == LUA_NOREF)
    return parley__err(e, PARLEY_ERROR, "format plugin not loaded");
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
  lua_pushcfunction(L, m_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, m_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, m_pairs);
  lua_setfield(L, -2, "__pairs");
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

/* ---- scenario generators ------------------------------------------------------ */
typedef struct gen_args {
  plugin *p;
  parley_model *m;
  const cJSON *params;
  const char *base_dir;
  double *vals;
} gen_args;

/* host:read(name): the text of a file beside the model (upvalue 1, the
 * model's directory; upvalue 2, the call).  The name is relative, without
 * "..": a model's plugin reads its own data only.  The file is sized and
 * its buffer made before it is opened, so that a memory error never
 * leaves it open. */
static int h_read(lua_State *L) {
  parley__host *h = host_of(L);
  if ((uint64_t)lua_tointeger(L, lua_upvalueindex(2)) != h->gen)
    return luaL_error(L, "host:read was kept past the call it was given to");
  size_t nlen;
  const char *name = luaL_checklstring(L, 2, &nlen);
  if (!*name || strlen(name) != nlen || name[0] == '/' || strstr(name, ".."))
    return luaL_error(L, "host:read: '%s' must be a file name relative to the model, without '..'",
                      name);
  const char *dir = lua_tostring(L, lua_upvalueindex(1));
  if (dir && *dir)
    lua_pushfstring(L, "%s/%s", dir, name);
  else
    lua_pushstring(L, name);
  const char *full = lua_tostring(L, -1);
  struct stat sb;
  if (stat(full, &sb) != 0) return luaL_error(L, "host:read: cannot read %s: %s", full,
                                              strerror(errno));
  if (!S_ISREG(sb.st_mode)) return luaL_error(L, "host:read: %s is not a regular file", full);
  size_t size = (size_t)sb.st_size;
  luaL_Buffer b;
  char *buf = luaL_buffinitsize(L, &b, size);
  FILE *f = fopen(full, "rb");
  if (!f) return luaL_error(L, "host:read: cannot read %s: %s", full, strerror(errno));
  size_t got = fread(buf, 1, size, f);
  int bad = ferror(f);
  fclose(f);
  if (bad) return luaL_error(L, "host:read: cannot read %s", full);
  luaL_pushresultsize(&b, got);
  return 1;
}

/* A string field of the table at t (raw), or NULL; raises naming `where`.
 * The string stays alive in the table, which no plugin code touches while
 * the host reads it. */
static const char *opt_field_str(lua_State *L, int t, const char *key, const char *where) {
  int type = raw_field(L, t, key);
  const char *s = type == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  lua_pop(L, 1);
  if (type != LUA_TNIL && type != LUA_TSTRING) fail(L, "%s.%s: expected a string", where, key);
  return s;
}

static int gen_body(lua_State *L) {
  gen_args *a = lua_touserdata(L, 1);
  parley_model *m = a->m;
  parley_engine *e = m->engine;
  lua_rawgeti(L, LUA_REGISTRYINDEX, a->p->ref);
  raw_field(L, -1, "scenarios");
  enter(L, -1);
  push_model(L, m, NULL);
  /* The generator's parameters: its object in the model file. */
  lua_newtable(L);
  for (const cJSON *c = a->params ? a->params->child : NULL; c; c = c->next) {
    if (strcmp(c->string, "generator") == 0) continue;
    push_tree(L, c, 0); /* the tree belongs to the loader: nothing leaks */
    lua_setfield(L, -2, c->string);
  }
  lua_createtable(L, 0, 2);
  lua_pushstring(L, a->base_dir ? a->base_dir : "");
  lua_pushinteger(L, (lua_Integer)host_of(L)->gen);
  lua_pushcclosure(L, h_read, 2);
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
    double p = NAN;
    int type = raw_field(L, k, "probability");
    if (type != LUA_TNIL) {
      if (type != LUA_TNUMBER || !isfinite(lua_tonumber(L, -1)))
        return fail(L, "%s.probability: expected a finite number", where);
      p = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    if (parley_model_add_scenario(m, id, name, p) != PARLEY_OK)
      return fail(L, "%s", e->errmsg);
    parley__scenario *sc = &m->scen[m->nk - 1];
    if (raw_field(L, k, "params") != LUA_TNIL) sc->params = to_json_text(L, e, -1, "params", false);
    lua_pop(L, 1);
    type = raw_field(L, k, "notes");
    if (type == LUA_TTABLE) {
      const char *pos = opt_field_str(L, lua_gettop(L), "positive", where);
      const char *neg = opt_field_str(L, lua_gettop(L), "negative", where);
      if ((pos && !(sc->positive = parley__strdup(e, pos))) ||
          (neg && !(sc->negative = parley__strdup(e, neg))))
        return fail(L, "out of memory");
    } else if (type != LUA_TNIL) {
      return fail(L, "%s.notes: expected a table {positive = ..., negative = ...}", where);
    }
    lua_pop(L, 1);
    if (raw_field(L, k, "outcomes") != LUA_TNIL) any_outcomes = true;
    lua_pop(L, 2);
  }
  if (!any_outcomes) return 0;
  /* Outcomes: {strategy = {criterion = value}} in every scenario. */
  size_t ns = m->ns, nc = m->nc;
  a->vals = parley__malloc(e, parley__mul(parley__mul(n, ns), parley__mul(nc, sizeof(double))));
  if (!a->vals) return fail(L, "out of memory");
  for (size_t i = 0; i < n * ns * nc; i++) a->vals[i] = NAN;
  for (size_t i = 1; i <= n; i++) {
    const char *kid = m->scen[m->nk - n + i - 1].id;
    lua_rawgeti(L, t, (lua_Integer)i);
    int o = lua_gettop(L) + 1;
    if (raw_field(L, -1, "outcomes") != LUA_TTABLE)
      return fail(L, "scenario '%s': no outcomes, while other scenarios of the generator give "
                  "them; give them for every scenario or none", kid);
    for (size_t s = 0; s < ns; s++) {
      if (raw_field(L, o, m->strat[s].id) != LUA_TTABLE)
        return fail(L, "scenario '%s': outcomes give nothing for strategy '%s'", kid,
                    m->strat[s].id);
      for (size_t c = 0; c < nc; c++) {
        raw_field(L, -1, m->crit[c].id);
        if (lua_type(L, -1) != LUA_TNUMBER || !isfinite(lua_tonumber(L, -1)))
          return fail(L, "scenario '%s': outcome of strategy '%s' on criterion '%s' is %s; "
                      "expected a finite number", kid, m->strat[s].id, m->crit[c].id,
                      lua_type(L, -1) == LUA_TNUMBER ? "not finite" : luaL_typename(L, -1));
        a->vals[((i - 1) * ns + s) * nc + c] = lua_tonumber(L, -1);
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 2);
  }
  return 0;
}

int parley__host_scenarios(parley_engine *e, const parley__stage *st, parley_model *m,
                           const cJSON *params, const char *base_dir, const char *what,
                           double **vals) {
  *vals = NULL;
  plugin *p = st->ud;
  parley__host *h = e->host;
  if (!p || !h || p->ref == LUA_NOREF)
    return what ? parley__err(e, PARLEY_ENOTFOUND, "%s: generator not loaded", what)
                : parley__err(e, PARLEY_ENOTFOUND, "generator not loaded");
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
  push_env(L);
  int env = lua_gettop(L);
  lua_pushvalue(L, env);
  lua_setupvalue(L, -3, 1);
  lua_pushvalue(L, -2);
  lua_call(L, 0, 1);
  /* The function: the returned table's outcome, or a global outcome. */
  raw_field(L, lua_istable(L, -1) ? -1 : env, "outcome");
  if (!lua_isfunction(L, -1))
    return fail(L, "expected the file to return {outcome = function(strategy, scenario) ... end} "
                "or to define a function outcome");
  int fn = lua_gettop(L);
  enter(L, fn);
  lua_createtable(L, (int)(m->ns < INT32_MAX ? m->ns : 0), 0);
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
        raw_field(L, -1, m->crit[c].id);
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
  if ((rc = read_whole(e, path, &text, &len, what ? what : "outcomes")) != PARLEY_OK) return rc;
  outcome_args a = {.m = m, .text = text, .len = len};
  if ((a.chunk = add_chunk(h, path)) == SIZE_MAX) {
    parley__free(e, text);
    return PARLEY_ENOMEM;
  }
  /* Seeded by the file's name, not its path: the same model gives the
   * same outcomes wherever it is run from. */
  const char *base = strrchr(path, '/');
  rc = host_call(h, outcome_body, &a, base ? base + 1 : path, a.chunk, PARLEY_EINVALID);
  parley__free(e, text);
  if (rc != PARLEY_OK) {
    char msg[PARLEY__ERRMAX];
    snprintf(msg, sizeof msg, "%s", e->errmsg);
    return what ? parley__err(e, rc, "%s: %s", what, msg) : rc;
  }
  return PARLEY_OK;
}
