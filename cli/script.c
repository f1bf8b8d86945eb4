/*
 * script.c — `parley SCRIPT.lua [ARGS...]`: runs a researcher's Lua script
 * with the full standard library and the `parley` module preloaded (also
 * bound to the global `parley`).  As with the stock interpreter, the
 * arguments are in the global table `arg` (arg[0] is the script) and in
 * `...`.  A script that cannot be read or compiled is bad input (exit 2);
 * an error while it runs is a failed run (exit 1), reported with a
 * traceback; os.exit(n) exits with n.
 */
#include "cli.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <stdio.h>
#include <string.h>

int luaopen_parley(lua_State *L);

static int traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (!msg) msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  luaL_traceback(L, L, msg, 1);
  return 1;
}

typedef struct script_args {
  int argc;
  char **argv;
  int status;
} script_args;

static int run_script(lua_State *L) {
  script_args *a = lua_touserdata(L, 1);
  luaL_openlibs(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_parley);
  lua_setfield(L, -2, "parley");
  lua_pop(L, 1);
  luaL_requiref(L, "parley", luaopen_parley, 1);
  lua_pop(L, 1);
  /* arg: the script at 0, its arguments from 1, the program below 0. */
  lua_createtable(L, a->argc - 2, 2);
  for (int i = 0; i < a->argc; i++) {
    lua_pushstring(L, a->argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  const char *path = a->argv[1];
  if (luaL_loadfilex(L, path, "t") != LUA_OK) {
    a->status = CLI_USAGE;
    return lua_error(L);
  }
  a->status = CLI_FAILED;
  for (int i = 2; i < a->argc; i++) lua_pushstring(L, a->argv[i]);
  lua_call(L, a->argc - 2, 0);
  a->status = CLI_OK;
  return 0;
}

int cli_script(int argc, char **argv) {
  lua_State *L = luaL_newstate();
  if (!L) {
    cli_error("cannot start Lua: out of memory");
    return CLI_FAILED;
  }
  script_args a = {argc, argv, CLI_FAILED};
  lua_pushcfunction(L, traceback);
  lua_pushcfunction(L, run_script);
  lua_pushlightuserdata(L, &a);
  int rc = lua_pcall(L, 1, 0, 1);
  if (rc != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    cli_error("%s", msg ? msg : "error");
    if (rc == LUA_ERRMEM) a.status = CLI_FAILED;
  }
  lua_close(L);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    cli_error("cannot write to standard output");
    return CLI_FAILED;
  }
  return rc == LUA_OK ? CLI_OK : a.status;
}
