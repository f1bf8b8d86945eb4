/*
 * lua_sandlib.h — library functions of the plugin sandbox that count their
 * work (core/lua_sandlib.c).  A C library call runs no instruction hook, so
 * a call whose time grows faster than the memory it uses would escape the
 * instruction budget and the wall-clock limit of a plugin call: a string
 * pattern that backtracks (".-.-.-.-b" on a long subject takes time that
 * grows as a power of the subject's length), table.move over a range of
 * 2^60 absent elements, table.insert/remove shifting a long list at every
 * call, table.sort.  These versions keep Lua 5.4's behaviour and results but
 * report their steps to a charge function, which counts them against the
 * call's budget and raises an error once a limit is reached.
 */
#ifndef PARLEY_LUA_SANDLIB_H
#define PARLEY_LUA_SANDLIB_H

#include <lua.h>

/* Replaces find, match, gmatch, gsub and rep in the string library table at
 * idx (rep is charged for the bytes it writes, so that the step before a
 * memory limit has a position).  charge is called as charge(n) whenever n more steps (one step is
 * about one Lua instruction's worth of work) have been taken; it may raise
 * an error to stop the work.  [-0, +0, m] */
void parley__sandlib_string(lua_State *L, int idx, lua_CFunction charge);

/* Replaces insert, remove, move and sort in the table library table at idx
 * (sort keeps the table's own sort, called after charging n log n).
 * insert, remove and move take tables only (not other values with
 * metamethods).  [-0, +0, m] */
void parley__sandlib_table(lua_State *L, int idx, lua_CFunction charge);

#endif /* PARLEY_LUA_SANDLIB_H */
