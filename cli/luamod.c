/*
 * luamod.c — the `parley` Lua module (docs/scripting.md): models loaded
 * from files or built from Lua tables, runs with any stages and parameters,
 * every field of the result, every format.  Built twice: into the `parley`
 * program, which preloads it for `parley SCRIPT.lua`, and as the C module
 * parley.so for `require "parley"` from a stock lua5.4.
 *
 * It is a client of the public API only.  Each loaded module owns one
 * engine, with the shipped plugins and $PARLEY_PLUGIN_PATH loaded; models
 * and results are userdata that keep the engine's userdata alive through
 * their user value, so the engine is freed after everything made with it.
 * A result reads as the result document: r.ranking[1].strategy,
 * r.weights.violence, ... (the document is decoded on first use).
 */
#include "parley.h"

#include <lauxlib.h>
#include <lua.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int luaopen_parley(lua_State *L);

#define ENGINE_MT "parley.engine"
#define MODEL_MT "parley.model"
#define RESULT_MT "parley.result"

typedef struct eng {
  parley_engine *e;
} eng;

typedef struct mod {
  parley_model *m;
  parley_engine *e;
} mod;

typedef struct res {
  parley_result *r;
  parley_engine *e;
} res;

static parley_engine *engine_of(lua_State *L) {
  eng *x = luaL_checkudata(L, lua_upvalueindex(1), ENGINE_MT);
  if (!x->e) luaL_error(L, "parley: the engine is closed");
  return x->e;
}

/* Raises the engine's message as a Lua error (never returns). */
static int raise(lua_State *L, parley_engine *e, int rc) {
  const char *msg = parley_engine_errmsg(e);
  return luaL_error(L, "%s", msg && *msg ? msg : parley_code_name(rc));
}

static int eng_gc(lua_State *L) {
  eng *x = luaL_checkudata(L, 1, ENGINE_MT);
  parley_engine_free(x->e);
  x->e = NULL;
  return 0;
}

/* ---- JSON ----------------------------------------------------------------------- */
static void push_json(lua_State *L, const cJSON *x, int depth) {
  luaL_checkstack(L, 4, "JSON too deep");
  if (cJSON_IsNumber(x)) {
    double v = x->valuedouble;
    if (v == floor(v) && fabs(v) < 9007199254740992.0) lua_pushinteger(L, (lua_Integer)v);
    else lua_pushnumber(L, v);
  } else if (cJSON_IsString(x)) {
    lua_pushstring(L, x->valuestring);
  } else if (cJSON_IsBool(x)) {
    lua_pushboolean(L, cJSON_IsTrue(x));
  } else if (cJSON_IsArray(x)) {
    lua_newtable(L);
    lua_Integer i = 1;
    for (const cJSON *c = x->child; c; c = c->next) {
      push_json(L, c, depth + 1);
      lua_rawseti(L, -2, i++);
    }
  } else if (cJSON_IsObject(x)) {
    lua_newtable(L);
    for (const cJSON *c = x->child; c; c = c->next) {
      push_json(L, c, depth + 1);
      lua_setfield(L, -2, c->string);
    }
  } else {
    lua_pushnil(L);
  }
}

static int push_json_protected(lua_State *L) {
  push_json(L, lua_touserdata(L, 1), 0);
  return 1;
}

/* A Lua value as JSON into b; arrays for sequences 1..n, objects for
 * string keys.  Raises on what JSON cannot hold. */
static void encode(lua_State *L, int idx, luaL_Buffer *b, int depth, const char *where) {
  idx = lua_absindex(L, idx);
  if (depth > 64) luaL_error(L, "%s: nested deeper than 64 (a cycle?)", where);
  switch (lua_type(L, idx)) {
  case LUA_TNUMBER: {
    char num[40];
    if (lua_isinteger(L, idx)) {
      snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, idx));
    } else {
      double v = lua_tonumber(L, idx);
      if (!isfinite(v)) luaL_error(L, "%s: a number that is not finite", where);
      snprintf(num, sizeof num, "%.17g", v);
    }
    luaL_addstring(b, num);
    return;
  }
  case LUA_TBOOLEAN: luaL_addstring(b, lua_toboolean(L, idx) ? "true" : "false"); return;
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    luaL_addchar(b, '"');
    for (size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)s[i];
      if (c == '"' || c == '\\') {
        luaL_addchar(b, '\\');
        luaL_addchar(b, (char)c);
      } else if (c < 0x20) {
        char esc[8];
        snprintf(esc, sizeof esc, "\\u%04x", c);
        luaL_addstring(b, esc);
      } else {
        luaL_addchar(b, (char)c);
      }
    }
    luaL_addchar(b, '"');
    return;
  }
  case LUA_TTABLE: break;
  default: luaL_error(L, "%s: a %s value cannot be written as JSON", where, luaL_typename(L, idx));
  }
  size_t len = lua_rawlen(L, idx);
  if (len > 0) {
    luaL_addchar(b, '[');
    for (size_t i = 1; i <= len; i++) {
      if (i > 1) luaL_addchar(b, ',');
      lua_rawgeti(L, idx, (lua_Integer)i);
      encode(L, -1, b, depth + 1, where);
      lua_pop(L, 1);
    }
    luaL_addchar(b, ']');
    return;
  }
  luaL_addchar(b, '{');
  bool first = true;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (lua_type(L, -2) != LUA_TSTRING)
      luaL_error(L, "%s: a table mixes a list with other keys, or has a key that is not a string",
                 where);
    if (!first) luaL_addchar(b, ',');
    first = false;
    lua_pushvalue(L, -2);
    encode(L, -1, b, depth + 1, where);
    lua_pop(L, 1);
    luaL_addchar(b, ':');
    encode(L, -1, b, depth + 1, where);
    lua_pop(L, 1);
  }
  luaL_addchar(b, '}');
}

/* encode() pushes through a luaL_Buffer, which keeps a slot on the stack:
 * the values it reads are pushed above that slot. */
static const char *encode_value(lua_State *L, int idx, const char *where) {
  idx = lua_absindex(L, idx);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  encode(L, idx, &b, 0, where);
  luaL_pushresult(&b);
  return lua_tostring(L, -1);
}

/* ---- models -------------------------------------------------------------------- */
static mod *check_model(lua_State *L, int idx) {
  mod *x = luaL_checkudata(L, idx, MODEL_MT);
  if (!x->m) luaL_error(L, "parley: the model is freed");
  return x;
}

static void push_model(lua_State *L, parley_model *m, parley_engine *e) {
  mod *x = lua_newuserdatauv(L, sizeof *x, 1);
  x->m = m;
  x->e = e;
  lua_pushvalue(L, lua_upvalueindex(1)); /* keeps the engine alive */
  lua_setiuservalue(L, -2, 1);
  luaL_setmetatable(L, MODEL_MT);
}

/* parley.load(path) */
static int l_load(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  parley_engine *e = engine_of(L);
  parley_model *m;
  int rc = parley_model_load(e, &m, path);
  if (rc != PARLEY_OK) return raise(L, e, rc);
  push_model(L, m, e);
  return 1;
}

/* parley.parse(json [, name [, base_dir]]) */
static int l_parse(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *name = luaL_optstring(L, 2, "<text>");
  const char *dir = luaL_optstring(L, 3, NULL);
  parley_engine *e = engine_of(L);
  parley_model *m;
  int rc = parley_model_parse(e, &m, text, len, name, dir);
  if (rc != PARLEY_OK) return raise(L, e, rc);
  push_model(L, m, e);
  return 1;
}

/* parley.model(table [, base_dir]): the table is a model document
 * (docs/model-format.md) written in Lua; "parley = 1" may be left out. */
static int l_model(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  const char *dir = luaL_optstring(L, 2, NULL);
  lua_getfield(L, 1, "parley");
  bool has_version = !lua_isnil(L, -1);
  lua_pop(L, 1);
  const char *json = encode_value(L, 1, "parley.model");
  if (!has_version) {
    /* {"parley":1, ...the rest} */
    lua_pushfstring(L, "{\"parley\":1%s%s", json[1] == '}' ? "" : ",", json + 1);
    json = lua_tostring(L, -1);
  }
  parley_engine *e = engine_of(L);
  parley_model *m;
  int rc = parley_model_parse(e, &m, json, strlen(json), "<table>", dir);
  if (rc != PARLEY_OK) return raise(L, e, rc);
  push_model(L, m, e);
  return 1;
}

static int model_gc(lua_State *L) {
  mod *x = luaL_checkudata(L, 1, MODEL_MT);
  parley_model_free(x->m);
  x->m = NULL;
  return 0;
}

static const char *const entity_names[] = {"criteria", "strategies", "scenarios", "actors", NULL};

/* m:ids(what) -> {id, ...} */
static int model_ids(lua_State *L) {
  mod *x = check_model(L, 1);
  int what = luaL_checkoption(L, 2, NULL, entity_names);
  size_t n = parley_model_count(x->m, (parley_entity)what);
  lua_createtable(L, (int)(n < INT32_MAX ? n : 0), 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushstring(L, parley_model_id(x->m, (parley_entity)what, i));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static size_t index_arg(lua_State *L, const parley_model *m, int arg, parley_entity what) {
  size_t n = parley_model_count(m, what);
  if (lua_type(L, arg) == LUA_TNUMBER) {
    lua_Integer i = luaL_checkinteger(L, arg);
    if (i < 1 || (lua_Unsigned)i > n) luaL_argerror(L, arg, "index out of range");
    return (size_t)(i - 1);
  }
  const char *id = luaL_checkstring(L, arg);
  for (size_t i = 0; i < n; i++)
    if (strcmp(parley_model_id(m, what, i), id) == 0) return i;
  luaL_error(L, "unknown %s '%s'", entity_names[what], id);
  return 0;
}

/* m:outcome(strategy, scenario, criterion): ids or 1-based indices. */
static int model_outcome(lua_State *L) {
  mod *x = check_model(L, 1);
  size_t s = index_arg(L, x->m, 2, PARLEY_STRATEGIES);
  size_t k = index_arg(L, x->m, 3, PARLEY_SCENARIOS);
  size_t c = index_arg(L, x->m, 4, PARLEY_CRITERIA);
  lua_pushnumber(L, parley_model_outcome(x->m, s, k, c));
  return 1;
}

/* A stage option: "name:k=v" as it is, or {name = ..., key = value, ...}
 * written as "name:key=value,..." (tables as JSON).  The text is left on
 * the stack. */
static const char *stage_text(lua_State *L, int idx, const char *what) {
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) == LUA_TSTRING) {
    lua_pushvalue(L, idx);
    return lua_tostring(L, -1);
  }
  if (!lua_istable(L, idx)) luaL_error(L, "run: %s must be a string or a table", what);
  lua_newtable(L); /* the pieces, in order */
  int parts = lua_gettop(L);
  lua_getfield(L, idx, "name");
  if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "run: %s needs a name", what);
  lua_rawseti(L, parts, 1);
  lua_Integer n = 1;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "run: %s has a key that is not a string", what);
    const char *key = lua_tostring(L, -2);
    if (strcmp(key, "name") != 0) {
      if (lua_isinteger(L, -1)) {
        lua_pushfstring(L, "%s%s=%I", n == 1 ? ":" : ",", key, lua_tointeger(L, -1));
      } else if (lua_type(L, -1) == LUA_TNUMBER) {
        char num[40];
        snprintf(num, sizeof num, "%.17g", lua_tonumber(L, -1));
        lua_pushfstring(L, "%s%s=%s", n == 1 ? ":" : ",", key, num);
      } else if (lua_type(L, -1) == LUA_TSTRING) {
        lua_pushfstring(L, "%s%s=%s", n == 1 ? ":" : ",", key, lua_tostring(L, -1));
      } else {
        const char *json = encode_value(L, -1, what);
        lua_pushfstring(L, "%s%s=%s", n == 1 ? ":" : ",", key, json);
        lua_remove(L, -2);
      }
      lua_rawseti(L, parts, ++n);
    }
    lua_pop(L, 1);
  }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, parts, i);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  lua_remove(L, parts);
  return lua_tostring(L, -1);
}

static const char *const stage_keys[PARLEY_STAGE_KINDS] = {
  "weighting", "normalization", "aggregation", "rule", NULL, NULL, NULL};

/* m:run{weighting=..., normalization=..., aggregation=..., rule=...,
 *       analyses={...}, seed=..., threads=...} -> result */
static int model_run(lua_State *L) {
  mod *x = check_model(L, 1);
  luaL_checkstack(L, 2 * 64 + 32, "run");
  parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
  const char *analyses[64];
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
      bool known = strcmp(k, "analyses") == 0 || strcmp(k, "seed") == 0 ||
                   strcmp(k, "threads") == 0;
      for (int i = 0; i < PARLEY_STAGE_KINDS && !known; i++)
        known = stage_keys[i] && strcmp(stage_keys[i], k) == 0;
      if (!known)
        return luaL_error(L, "run: unknown option '%s' (expected weighting, normalization, "
                          "aggregation, rule, analyses, seed, threads)", k);
      lua_pop(L, 1);
    }
    for (int i = 0; i < PARLEY_STAGE_KINDS; i++) {
      if (!stage_keys[i]) continue;
      lua_getfield(L, 2, stage_keys[i]);
      if (!lua_isnil(L, -1)) o.stage[i] = stage_text(L, -1, stage_keys[i]);
      /* the text stays on the stack until the run is over */
    }
    lua_getfield(L, 2, "analyses");
    if (!lua_isnil(L, -1)) {
      int t = lua_gettop(L);
      if (!lua_istable(L, t)) return luaL_error(L, "run: analyses must be a list");
      size_t n = lua_rawlen(L, t);
      if (n > 64) return luaL_error(L, "run: at most 64 analyses");
      for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, t, (lua_Integer)i + 1);
        analyses[i] = stage_text(L, -1, "an analysis");
      }
      o.analyses = analyses;
      o.n_analyses = n;
    }
    lua_getfield(L, 2, "seed");
    if (!lua_isnil(L, -1)) o.seed = (uint64_t)luaL_checkinteger(L, -1);
    lua_getfield(L, 2, "threads");
    if (!lua_isnil(L, -1)) o.threads = (int)luaL_checkinteger(L, -1);
  }
  parley_result *r;
  int rc = parley_run(x->e, x->m, &o, &r);
  if (rc != PARLEY_OK) return raise(L, x->e, rc);
  res *y = lua_newuserdatauv(L, sizeof *y, 2);
  y->r = r;
  y->e = x->e;
  lua_getiuservalue(L, 1, 1);
  lua_setiuservalue(L, -2, 1);
  luaL_setmetatable(L, RESULT_MT);
  return 1;
}

static int model_index(lua_State *L) {
  mod *x = check_model(L, 1);
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "name") == 0) {
    lua_pushstring(L, parley_model_name(x->m));
    return 1;
  }
  if (strcmp(k, "description") == 0) {
    lua_pushstring(L, parley_model_description(x->m));
    return 1;
  }
  for (int i = 0; entity_names[i]; i++)
    if (strcmp(k, entity_names[i]) == 0) {
      lua_settop(L, 1);
      lua_pushstring(L, k);
      return model_ids(L);
    }
  lua_getmetatable(L, 1);
  lua_getfield(L, -1, "methods");
  lua_getfield(L, -1, k);
  return 1;
}

/* ---- results ------------------------------------------------------------------- */
static res *check_result(lua_State *L, int idx) {
  res *x = luaL_checkudata(L, idx, RESULT_MT);
  if (!x->r) luaL_error(L, "parley: the result is freed");
  return x;
}

static int result_gc(lua_State *L) {
  res *x = luaL_checkudata(L, 1, RESULT_MT);
  parley_result_free(x->r);
  x->r = NULL;
  return 0;
}

/* r:format([format]) -> text ("text" by default) */
static int result_format(lua_State *L) {
  res *x = check_result(L, 1);
  const char *fmt = luaL_optstring(L, 2, "text");
  char *text;
  size_t len;
  int rc = parley_result_format(x->e, x->r, fmt, &text, &len);
  if (rc != PARLEY_OK) return raise(L, x->e, rc);
  lua_pushlstring(L, text, len);
  parley_free(x->e, text);
  return 1;
}

/* r:write(path [, format]): the whole text, or nothing (a temporary file
 * renamed over path). */
static int result_write(lua_State *L) {
  const char *path = luaL_checkstring(L, 2);
  lua_settop(L, 3);
  lua_pushcfunction(L, result_format);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 3);
  lua_call(L, 2, 1);
  size_t len;
  const char *text = lua_tolstring(L, -1, &len);
  const char *tmp = lua_pushfstring(L, "%s.tmp", path);
  FILE *f = fopen(tmp, "wb");
  if (!f) return luaL_error(L, "r:write: cannot write %s", tmp);
  bool ok = fwrite(text, 1, len, f) == len;
  ok = (fclose(f) == 0) && ok;
  if (!ok || rename(tmp, path) != 0) {
    remove(tmp);
    return luaL_error(L, "r:write: cannot write %s", path);
  }
  return 0;
}

/* The decoded document, cached in the result's second user value. */
static void push_document(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  if (lua_getiuservalue(L, idx, 2) == LUA_TTABLE) return;
  lua_pop(L, 1);
  res *x = check_result(L, idx);
  char *json;
  int rc = parley_result_format(x->e, x->r, "json", &json, NULL);
  if (rc != PARLEY_OK) {
    raise(L, x->e, rc);
    return;
  }
  lua_pushcfunction(L, push_json_protected);
  cJSON *tree = cJSON_Parse(json);
  parley_free(x->e, json);
  if (!tree) {
    luaL_error(L, "parley: cannot decode the result document");
    return;
  }
  lua_pushlightuserdata(L, tree);
  rc = lua_pcall(L, 1, 1, 0);
  cJSON_Delete(tree);
  if (rc != LUA_OK) {
    lua_error(L);
    return;
  }
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, idx, 2);
}

/* r:table() -> the whole document as Lua tables */
static int result_table(lua_State *L) {
  check_result(L, 1);
  push_document(L, 1);
  return 1;
}

static int result_index(lua_State *L) {
  check_result(L, 1);
  lua_getmetatable(L, 1);
  lua_getfield(L, -1, "methods");
  lua_pushvalue(L, 2);
  if (lua_rawget(L, -2) != LUA_TNIL) return 1;
  push_document(L, 1);
  lua_pushvalue(L, 2);
  lua_gettable(L, -2);
  return 1;
}

/* ---- the module ------------------------------------------------------------------ */
/* parley.stages([kind]) -> {{name, kind, summary, params, source}, ...} */
static int l_stages(lua_State *L) {
  parley_engine *e = engine_of(L);
  int kind = -1;
  if (!lua_isnoneornil(L, 1)) {
    const char *k = luaL_checkstring(L, 1);
    for (int i = 0; i < PARLEY_STAGE_KINDS; i++)
      if (strcmp(parley_stage_kind_name((parley_stage_kind)i), k) == 0) kind = i;
    if (kind < 0) return luaL_error(L, "parley.stages: unknown kind '%s'", k);
  }
  size_t n = parley_stage_count(e, kind);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    parley_stage_info info;
    if (parley_stage_get(e, kind, i, &info) != PARLEY_OK) break;
    lua_createtable(L, 0, 5);
    lua_pushstring(L, info.name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, parley_stage_kind_name(info.kind));
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, info.summary);
    lua_setfield(L, -2, "summary");
    lua_pushstring(L, info.params);
    lua_setfield(L, -2, "params");
    lua_pushstring(L, info.source);
    lua_setfield(L, -2, "source");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* parley.plugins(path): loads a plugin file or directory. */
static int l_plugins(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  parley_engine *e = engine_of(L);
  int rc = parley_plugins_load(e, path);
  if (rc != PARLEY_OK) return raise(L, e, rc);
  return 0;
}

/* parley.options{instructions=, memory=, seconds=, seed=}: plugin limits
 * (memory in bytes) and the seed of the plugins' math.random. */
static int l_options(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  parley_engine *e = engine_of(L);
  parley_plugin_options o = PARLEY_PLUGIN_OPTIONS_INIT;
  lua_getfield(L, 1, "instructions");
  o.instructions = (uint64_t)luaL_optinteger(L, -1, 0);
  lua_getfield(L, 1, "memory");
  o.memory = (size_t)luaL_optinteger(L, -1, 0);
  lua_getfield(L, 1, "seconds");
  o.seconds = luaL_optnumber(L, -1, 0);
  lua_getfield(L, 1, "seed");
  o.seed = (uint64_t)luaL_optinteger(L, -1, 0);
  int rc = parley_engine_set_plugin_options(e, &o);
  if (rc != PARLEY_OK) return raise(L, e, rc);
  return 0;
}

static void set_methods(lua_State *L, const char *mt, const luaL_Reg *meta, const luaL_Reg *methods) {
  luaL_newmetatable(L, mt);
  lua_pushvalue(L, -2); /* the engine, as upvalue */
  luaL_setfuncs(L, meta, 1);
  lua_newtable(L);
  lua_pushvalue(L, -3);
  luaL_setfuncs(L, methods, 1);
  lua_setfield(L, -2, "methods");
  lua_pushliteral(L, "parley");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
}

int luaopen_parley(lua_State *L) {
  eng *x = lua_newuserdatauv(L, sizeof *x, 0);
  x->e = NULL;
  if (luaL_newmetatable(L, ENGINE_MT)) {
    lua_pushcfunction(L, eng_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushliteral(L, "parley");
    lua_setfield(L, -2, "__metatable");
  }
  lua_setmetatable(L, -2);
  if (parley_engine_new(&x->e, NULL) != PARLEY_OK) return luaL_error(L, "parley: out of memory");
  int rc = parley_plugins_load_default(x->e);
  if (rc != PARLEY_OK) return raise(L, x->e, rc);

  static const luaL_Reg model_meta[] = {{"__gc", model_gc}, {"__index", model_index}, {NULL, NULL}};
  static const luaL_Reg model_methods[] = {
    {"run", model_run}, {"ids", model_ids}, {"outcome", model_outcome}, {NULL, NULL}};
  static const luaL_Reg result_meta[] = {
    {"__gc", result_gc}, {"__index", result_index}, {NULL, NULL}};
  static const luaL_Reg result_methods[] = {
    {"format", result_format}, {"write", result_write}, {"table", result_table}, {NULL, NULL}};
  set_methods(L, MODEL_MT, model_meta, model_methods);
  set_methods(L, RESULT_MT, result_meta, result_methods);

  static const luaL_Reg fns[] = {{"load", l_load},       {"parse", l_parse},
                                 {"model", l_model},     {"stages", l_stages},
                                 {"plugins", l_plugins}, {"options", l_options},
                                 {NULL, NULL}};
  lua_newtable(L);
  lua_pushvalue(L, -2);
  luaL_setfuncs(L, fns, 1);
  lua_pushstring(L, parley_version());
  lua_setfield(L, -2, "version");
  lua_pushinteger(L, PARLEY_MODEL_FORMAT);
  lua_setfield(L, -2, "model_format");
  lua_pushinteger(L, PARLEY_RESULT_FORMAT);
  lua_setfield(L, -2, "result_format");
  return 1;
}
