/*
 * lua_sandlib.c — library functions of the plugin sandbox that count their
 * work (see lua_sandlib.h for why): the pattern functions of the string
 * library (find, match, gmatch, gsub), string.rep, and table.insert,
 * table.remove, table.move and table.sort.
 *
 * The pattern matcher follows the Lua 5.4 reference manual (section
 * 6.4.1): every attempt to match at a position and every character a
 * repetition scans is a step, and every CHARGE_EVERY steps the matcher
 * calls the charge function it was given (an upvalue).  Raising out of the
 * matcher is safe: it holds nothing but pointers into strings on the Lua
 * stack.  The table functions charge the elements they will shift or move
 * before they start.  The unit tests compare every function with the real
 * library, results and error messages, on a corpus of patterns.
 */
#include "lua_sandlib.h"

#include <lauxlib.h>

#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#define MAX_CAPTURES 32  /* LUA_MAXCAPTURES */
#define MAX_DEPTH 200    /* nested matcher calls before "pattern too complex" */
#define CHARGE_EVERY 4096
#define BYTES_PER_STEP 256  /* bytes a plain search or string.rep handles per step */
#define CAP_OPEN (-1)    /* a capture still open */
#define CAP_POSITION (-2) /* a position capture "()" */

typedef struct mstate {
  lua_State *L;
  const char *s0, *send; /* the subject */
  const char *pend;      /* the end of the pattern */
  int charge;            /* stack index (an upvalue) of the charge function */
  int depth;             /* nesting left */
  int ncap;
  struct {
    const char *at;
    ptrdiff_t len;       /* or CAP_OPEN, CAP_POSITION */
  } cap[MAX_CAPTURES];
  size_t steps;          /* steps not yet charged */
} mstate;

static void init_state(mstate *ms, lua_State *L, const char *s, size_t ls, const char *p,
                       size_t lp, int charge) {
  ms->L = L;
  ms->s0 = s;
  ms->send = s + ls;
  ms->pend = p + lp;
  ms->charge = charge;
  ms->steps = 0;
}

static void restart(mstate *ms) {
  ms->ncap = 0;
  ms->depth = MAX_DEPTH;
}

/* Counts n steps; every CHARGE_EVERY of them are handed to charge(). */
static void step(mstate *ms, size_t n) {
  ms->steps += n;
  if (ms->steps < CHARGE_EVERY) return;
  lua_Integer due = ms->steps > (size_t)LUA_MAXINTEGER ? LUA_MAXINTEGER : (lua_Integer)ms->steps;
  ms->steps = 0;
  luaL_checkstack(ms->L, 2, "string pattern");
  lua_pushvalue(ms->L, ms->charge);
  lua_pushinteger(ms->L, due);
  lua_call(ms->L, 1, 0); /* may raise: the limit is reached */
}

/* ---- single characters ---------------------------------------------------- */
/* Does c belong to the class %cl?  A letter that names no class, or any
 * other character, stands for itself. */
static int in_class(int c, int cl) {
  int r;
  switch (tolower(cl)) {
  case 'a': r = isalpha(c); break;
  case 'c': r = iscntrl(c); break;
  case 'd': r = isdigit(c); break;
  case 'g': r = isgraph(c); break;
  case 'l': r = islower(c); break;
  case 'p': r = ispunct(c); break;
  case 's': r = isspace(c); break;
  case 'u': r = isupper(c); break;
  case 'w': r = isalnum(c); break;
  case 'x': r = isxdigit(c); break;
  case 'z': r = c == 0; break; /* deprecated, but Lua 5.4 still knows it */
  default: return cl == c;
  }
  r = r != 0;
  return isupper(cl) ? !r : r;
}

/* Does c belong to the set [ ... ] that starts at p and whose closing ']'
 * is at close? */
static int in_set(int c, const char *p, const char *close) {
  int yes = 1;
  if (p[1] == '^') {
    yes = 0;
    p++;
  }
  while (++p < close) {
    if (*p == '%') {
      p++;
      if (in_class(c, (unsigned char)*p)) return yes;
    } else if (p[1] == '-' && p + 2 < close) {
      p += 2;
      if ((unsigned char)p[-2] <= c && c <= (unsigned char)*p) return yes;
    } else if ((unsigned char)*p == c) {
      return yes;
    }
  }
  return !yes;
}

/* The end of the single-character class that starts at p (p < pend). */
static const char *class_end(mstate *ms, const char *p) {
  char c = *p++;
  if (c == '%') {
    if (p >= ms->pend) luaL_error(ms->L, "malformed pattern (ends with '%%')");
    return p + 1;
  }
  if (c == '[') {
    if (p < ms->pend && *p == '^') p++;
    /* The first character of a set is part of it even when it is ']'. */
    do {
      if (p >= ms->pend) luaL_error(ms->L, "malformed pattern (missing ']')");
      if (*p++ == '%' && p < ms->pend) p++;
    } while (p >= ms->pend || *p != ']');
    return p + 1;
  }
  return p;
}

/* Does the class p..ep match the character at s? */
static int single(const mstate *ms, const char *s, const char *p, const char *ep) {
  if (s >= ms->send) return 0;
  int c = (unsigned char)*s;
  switch (*p) {
  case '.': return 1;
  case '%': return in_class(c, (unsigned char)p[1]);
  case '[': return in_set(c, p, ep - 1);
  default: return (unsigned char)*p == c;
  }
}

/* ---- the matcher ------------------------------------------------------------- */
static const char *match(mstate *ms, const char *s, const char *p);

/* %bxy at p (p points at x). */
static const char *balance(mstate *ms, const char *s, const char *p) {
  if (p + 1 >= ms->pend) luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
  if (s >= ms->send || *s != *p) return NULL;
  char open = p[0], close = p[1];
  size_t depth = 1;
  const char *start = s;
  while (++s < ms->send) {
    if (*s == close) {
      if (--depth == 0) {
        step(ms, (size_t)(s - start));
        return s + 1;
      }
    } else if (*s == open) {
      depth++;
    }
  }
  step(ms, (size_t)(s - start));
  return NULL;
}

/* The longest run of the class first, then shorter ones. */
static const char *max_expand(mstate *ms, const char *s, const char *p, const char *ep) {
  size_t i = 0;
  while (single(ms, s + i, p, ep)) i++;
  step(ms, i);
  for (;;) {
    const char *r = match(ms, s + i, ep + 1);
    if (r) return r;
    if (i == 0) return NULL;
    i--;
  }
}

/* The shortest run of the class first, then longer ones. */
static const char *min_expand(mstate *ms, const char *s, const char *p, const char *ep) {
  for (;;) {
    const char *r = match(ms, s, ep + 1);
    if (r) return r;
    if (!single(ms, s, p, ep)) return NULL;
    s++;
  }
}

static const char *open_capture(mstate *ms, const char *s, const char *p, ptrdiff_t what) {
  if (ms->ncap >= MAX_CAPTURES) luaL_error(ms->L, "too many captures");
  ms->cap[ms->ncap].at = s;
  ms->cap[ms->ncap].len = what;
  ms->ncap++;
  const char *r = match(ms, s, p);
  if (!r) ms->ncap--; /* undo the capture */
  return r;
}

static const char *close_capture(mstate *ms, const char *s, const char *p) {
  int l = ms->ncap - 1;
  while (l >= 0 && ms->cap[l].len != CAP_OPEN) l--;
  if (l < 0) luaL_error(ms->L, "invalid pattern capture");
  ms->cap[l].len = s - ms->cap[l].at;
  const char *r = match(ms, s, p);
  if (!r) ms->cap[l].len = CAP_OPEN; /* undo the close */
  return r;
}

/* %1 .. %9: the text of an earlier capture again. */
static const char *back_reference(mstate *ms, const char *s, int digit) {
  int l = digit - '1';
  if (l < 0 || l >= ms->ncap || ms->cap[l].len == CAP_OPEN)
    luaL_error(ms->L, "invalid capture index %%%d", l + 1);
  /* A position capture has no text: its length, as size_t, never fits. */
  size_t len = (size_t)ms->cap[l].len;
  if ((size_t)(ms->send - s) >= len && memcmp(ms->cap[l].at, s, len) == 0) {
    step(ms, len);
    return s + len;
  }
  return NULL;
}

/* Matches the pattern p..pend at s: the end of the match, or NULL. */
static const char *match(mstate *ms, const char *s, const char *p) {
  if (ms->depth-- == 0) luaL_error(ms->L, "pattern too complex");
  step(ms, 1);
  while (p < ms->pend) {
    switch (*p) {
    case '(':
      if (p + 1 < ms->pend && p[1] == ')')
        s = open_capture(ms, s, p + 2, CAP_POSITION);
      else
        s = open_capture(ms, s, p + 1, CAP_OPEN);
      goto done;
    case ')':
      s = close_capture(ms, s, p + 1);
      goto done;
    case '$':
      if (p + 1 == ms->pend) { /* an anchor only at the very end */
        if (s != ms->send) s = NULL;
        goto done;
      }
      break;
    case '%':
      if (p + 1 >= ms->pend) break; /* class_end reports it */
      if (p[1] == 'b') {
        s = balance(ms, s, p + 2);
        if (!s) goto done;
        p += 4;
        continue;
      }
      if (p[1] == 'f') { /* frontier: not in the set before, in it at s */
        p += 2;
        if (p >= ms->pend || *p != '[') luaL_error(ms->L, "missing '[' after '%%f' in pattern");
        const char *ep = class_end(ms, p);
        int prev = s == ms->s0 ? 0 : (unsigned char)s[-1];
        int cur = s < ms->send ? (unsigned char)*s : 0;
        if (in_set(prev, p, ep - 1) || !in_set(cur, p, ep - 1)) {
          s = NULL;
          goto done;
        }
        p = ep;
        continue;
      }
      if (isdigit((unsigned char)p[1])) {
        s = back_reference(ms, s, (unsigned char)p[1]);
        if (!s) goto done;
        p += 2;
        continue;
      }
      break;
    default: break;
    }
    /* A single-character class, perhaps with a repetition. */
    const char *ep = class_end(ms, p);
    char rep = ep < ms->pend ? *ep : '\0';
    if (!single(ms, s, p, ep)) {
      if (rep == '*' || rep == '?' || rep == '-') { /* zero repetitions will do */
        p = ep + 1;
        continue;
      }
      s = NULL;
      goto done;
    }
    switch (rep) {
    case '?': {
      const char *r = match(ms, s + 1, ep + 1);
      if (r) {
        s = r;
        goto done;
      }
      p = ep + 1;
      continue;
    }
    case '+': s = max_expand(ms, s + 1, p, ep); goto done;
    case '*': s = max_expand(ms, s, p, ep); goto done;
    case '-': s = min_expand(ms, s, p, ep); goto done;
    default:
      s++;
      p = ep;
      continue;
    }
  }
done:
  ms->depth++;
  return s;
}

/* ---- captures ------------------------------------------------------------------ */
/* Capture i as text (*out, returns its length) or, for a position capture,
 * pushes the position and returns CAP_POSITION.  With no captures, capture
 * 0 is the whole match s..e. */
static ptrdiff_t capture(mstate *ms, int i, const char *s, const char *e, const char **out) {
  if (i >= ms->ncap) {
    if (i != 0) luaL_error(ms->L, "invalid capture index %%%d", i + 1);
    *out = s;
    return e - s;
  }
  ptrdiff_t len = ms->cap[i].len;
  *out = ms->cap[i].at;
  if (len == CAP_OPEN) luaL_error(ms->L, "unfinished capture");
  if (len == CAP_POSITION) lua_pushinteger(ms->L, (ms->cap[i].at - ms->s0) + 1);
  return len;
}

static void push_capture(mstate *ms, int i, const char *s, const char *e) {
  const char *text;
  ptrdiff_t len = capture(ms, i, s, e, &text);
  if (len != CAP_POSITION) lua_pushlstring(ms->L, text, (size_t)len);
}

/* Pushes every capture (the whole match when there are none and s is not
 * NULL); returns how many. */
static int push_captures(mstate *ms, const char *s, const char *e) {
  int n = (ms->ncap == 0 && s) ? 1 : ms->ncap;
  luaL_checkstack(ms->L, n, "too many captures");
  for (int i = 0; i < n; i++) push_capture(ms, i, s, e);
  return n;
}

/* ---- find and match --------------------------------------------------------------- */
/* The 0-based start of a 1-based, possibly negative, init argument. */
static size_t start_index(lua_Integer pos, size_t len) {
  if (pos > 0) return (size_t)pos - 1;
  if (pos == 0 || pos < -(lua_Integer)len) return 0;
  return len - (size_t)(-pos);
}

static int no_specials(const char *p, size_t lp) {
  for (size_t i = 0; i < lp; i++)
    if (p[i] && strchr("^$*+?.([%-", p[i])) return 0;
  return 1;
}

/* Plain search for p[lp] in s[ls]. */
static const char *plain_find(mstate *ms, const char *s, size_t ls, const char *p, size_t lp) {
  if (lp == 0) return s;
  if (lp > ls) return NULL;
  const char *end = s + (ls - lp) + 1; /* last possible start + 1 */
  const char *at = s;
  while (at < end && (at = memchr(at, *p, (size_t)(end - at))) != NULL) {
    if (memcmp(at + 1, p + 1, lp - 1) == 0) {
      step(ms, (size_t)(at - s) / BYTES_PER_STEP);
      return at;
    }
    at++;
  }
  step(ms, ls / BYTES_PER_STEP);
  return NULL;
}

static int find_aux(lua_State *L, int find) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = start_index(luaL_optinteger(L, 3, 1), ls);
  if (init > ls) {
    luaL_pushfail(L);
    return 1;
  }
  mstate ms;
  init_state(&ms, L, s, ls, p, lp, lua_upvalueindex(1));
  if (find && (lua_toboolean(L, 4) || no_specials(p, lp))) {
    const char *at = plain_find(&ms, s + init, ls - init, p, lp);
    if (at) {
      lua_pushinteger(L, (at - s) + 1);
      lua_pushinteger(L, (lua_Integer)((size_t)(at - s) + lp));
      return 2;
    }
  } else {
    int anchor = lp > 0 && *p == '^';
    if (anchor) p++; /* pend stays where it is */
    const char *s1 = s + init;
    do {
      restart(&ms);
      const char *e = match(&ms, s1, p);
      if (e) {
        if (find) {
          lua_pushinteger(L, (s1 - s) + 1);
          lua_pushinteger(L, e - s);
          return push_captures(&ms, NULL, NULL) + 2;
        }
        return push_captures(&ms, s1, e);
      }
    } while (s1++ < ms.send && !anchor);
  }
  luaL_pushfail(L);
  return 1;
}

static int l_find(lua_State *L) { return find_aux(L, 1); }
static int l_match(lua_State *L) { return find_aux(L, 0); }

/* ---- gmatch --------------------------------------------------------------------------- */
typedef struct gmatch_state {
  const char *src;  /* where the next search starts */
  const char *p;    /* the pattern */
  const char *last; /* the end of the last match */
  mstate ms;
} gmatch_state;

/* The iterator: upvalues subject, pattern, state, charge. */
static int gmatch_next(lua_State *L) {
  gmatch_state *gm = lua_touserdata(L, lua_upvalueindex(3));
  gm->ms.L = L;
  gm->ms.charge = lua_upvalueindex(4);
  for (const char *src = gm->src; src <= gm->ms.send; src++) {
    restart(&gm->ms);
    const char *e = match(&gm->ms, src, gm->p);
    if (e && e != gm->last) {
      gm->src = gm->last = e;
      return push_captures(&gm->ms, src, e);
    }
  }
  gm->src = gm->ms.send + 1; /* done: later calls find nothing at once */
  return 0;
}

static int l_gmatch(lua_State *L) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = start_index(luaL_optinteger(L, 3, 1), ls);
  lua_settop(L, 2); /* the subject and pattern live on as upvalues */
  gmatch_state *gm = lua_newuserdatauv(L, sizeof *gm, 0);
  if (init > ls) init = ls + 1; /* past the end: no match */
  init_state(&gm->ms, L, s, ls, p, lp, 0);
  gm->src = s + init;
  gm->p = p;
  gm->last = NULL;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushcclosure(L, gmatch_next, 4);
  return 1;
}

/* ---- gsub ------------------------------------------------------------------------------ */
/* A replacement string: %0 the match, %1..%9 captures, %% a '%'. */
static void add_string(mstate *ms, luaL_Buffer *b, const char *s, const char *e) {
  lua_State *L = ms->L;
  size_t l;
  const char *r = lua_tolstring(L, 3, &l);
  const char *end = r + l, *pc;
  while ((pc = memchr(r, '%', (size_t)(end - r))) != NULL) {
    luaL_addlstring(b, r, (size_t)(pc - r));
    pc++; /* the character after '%' */
    char c = pc < end ? *pc : '\0';
    if (c == '%') {
      luaL_addchar(b, '%');
    } else if (c == '0') {
      luaL_addlstring(b, s, (size_t)(e - s));
    } else if (isdigit((unsigned char)c)) {
      const char *text;
      ptrdiff_t len = capture(ms, c - '1', s, e, &text);
      if (len == CAP_POSITION)
        luaL_addvalue(b); /* the position capture() pushed */
      else
        luaL_addlstring(b, text, (size_t)len);
    } else {
      luaL_error(L, "invalid use of '%%' in replacement string");
    }
    r = pc + 1;
  }
  luaL_addlstring(b, r, (size_t)(end - r));
}

/* Adds the replacement of the match s..e; returns whether it changed the
 * text (false and nil keep the match as it was). */
static int add_value(mstate *ms, luaL_Buffer *b, const char *s, const char *e, int type) {
  lua_State *L = ms->L;
  if (type == LUA_TFUNCTION) {
    lua_pushvalue(L, 3);
    int n = push_captures(ms, s, e);
    lua_call(L, n, 1);
  } else if (type == LUA_TTABLE) {
    push_capture(ms, 0, s, e);
    lua_gettable(L, 3);
  } else {
    add_string(ms, b, s, e);
    return 1;
  }
  if (!lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    luaL_addlstring(b, s, (size_t)(e - s));
    return 0;
  }
  if (!lua_isstring(L, -1))
    return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  luaL_addvalue(b);
  return 1;
}

static int l_gsub(lua_State *L) {
  size_t ls, lp;
  const char *src = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  int type = lua_type(L, 3);
  lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
  luaL_argexpected(L, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION ||
                   type == LUA_TTABLE, 3, "string/function/table");
  mstate ms;
  init_state(&ms, L, src, ls, p, lp, lua_upvalueindex(1));
  int anchor = lp > 0 && *p == '^';
  if (anchor) p++; /* pend stays where it is */
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  const char *last = NULL;
  lua_Integer n = 0;
  int changed = 0;
  while (n < max) {
    restart(&ms);
    const char *e = match(&ms, src, p);
    if (e && e != last) { /* a match, and not an empty one where the last ended */
      n++;
      changed = add_value(&ms, &b, src, e, type) | changed;
      src = last = e;
    } else if (src < ms.send) {
      luaL_addchar(&b, *src++);
    } else {
      break;
    }
    if (anchor) break;
  }
  if (!changed) {
    lua_pushvalue(L, 1); /* the subject unchanged */
  } else {
    luaL_addlstring(&b, src, (size_t)(ms.send - src));
    luaL_pushresult(&b);
  }
  lua_pushinteger(L, n);
  return 2;
}

/* ---- rep ---------------------------------------------------------------------------------- */
/* Lua's limit on a string.rep result (it keeps sizes within an int). */
#define REP_MAX ((size_t)(sizeof(size_t) < sizeof(int) ? (size_t)-1 : (size_t)INT_MAX))

/* string.rep(s, n [, sep]): charged for the bytes it writes, which also
 * marks where a memory limit is reached. */
static int l_rep(lua_State *L) {
  size_t l, lsep;
  const char *s = luaL_checklstring(L, 1, &l);
  lua_Integer n = luaL_checkinteger(L, 2);
  const char *sep = luaL_optlstring(L, 3, "", &lsep);
  if (n <= 0 || l + lsep == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  if (l + lsep < l || l + lsep > REP_MAX / (size_t)n)
    return luaL_error(L, "resulting string too large");
  size_t total = (size_t)n * l + (size_t)(n - 1) * lsep;
  if (total >= 16 * BYTES_PER_STEP) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushinteger(L, (lua_Integer)(total / BYTES_PER_STEP));
    lua_call(L, 1, 0);
  }
  luaL_Buffer b;
  char *p = luaL_buffinitsize(L, &b, total);
  while (n-- > 1) {
    memcpy(p, s, l);
    p += l;
    if (lsep > 0) {
      memcpy(p, sep, lsep);
      p += lsep;
    }
  }
  memcpy(p, s, l);
  luaL_pushresultsize(&b, total);
  return 1;
}

void parley__sandlib_string(lua_State *L, int idx, lua_CFunction charge) {
  static const luaL_Reg fns[] = {{"find", l_find},   {"match", l_match}, {"gmatch", l_gmatch},
                                 {"gsub", l_gsub},   {"rep", l_rep},     {NULL, NULL}};
  idx = lua_absindex(L, idx);
  for (const luaL_Reg *f = fns; f->name; f++) {
    lua_pushcfunction(L, charge);
    lua_pushcclosure(L, f->func, 1);
    lua_setfield(L, idx, f->name);
  }
}

/* ---- tables ---------------------------------------------------------------------------- */
/* Charges n steps at once (small amounts are not worth a call). */
static void charge_now(lua_State *L, lua_Integer n) {
  if (n < 64) return;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushinteger(L, n);
  lua_call(L, 1, 0);
}

/* table.insert(list, [pos,] value) */
static int t_insert(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer e = luaL_len(L, 1);
  e = (lua_Integer)((lua_Unsigned)e + 1u); /* the first empty slot */
  lua_Integer pos;
  switch (lua_gettop(L)) {
  case 2:
    pos = e;
    break;
  case 3:
    pos = luaL_checkinteger(L, 2);
    /* (unsigned) pos - 1 < e: pos in [1, e] */
    luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
    charge_now(L, e - pos);
    for (lua_Integer i = e; i > pos; i--) { /* shift up */
      lua_geti(L, 1, i - 1);
      lua_seti(L, 1, i);
    }
    break;
  default:
    return luaL_error(L, "wrong number of arguments to 'insert'");
  }
  lua_seti(L, 1, pos);
  return 0;
}

/* table.remove(list [, pos]) */
static int t_remove(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer size = luaL_len(L, 1);
  lua_Integer pos = luaL_optinteger(L, 2, size);
  if (pos != size) /* pos in [1, size + 1] */
    luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 1, /* sic: Lua 5.4 says #1 */
                  "position out of bounds");
  if (pos < size) charge_now(L, size - pos);
  lua_geti(L, 1, pos); /* the result */
  for (; pos < size; pos++) { /* shift down */
    lua_geti(L, 1, pos + 1);
    lua_seti(L, 1, pos);
  }
  lua_pushnil(L);
  lua_seti(L, 1, pos); /* remove the last */
  return 1;
}

/* table.move(a1, f, e, t [, a2]) */
static int t_move(lua_State *L) {
  lua_Integer f = luaL_checkinteger(L, 2);
  lua_Integer e = luaL_checkinteger(L, 3);
  lua_Integer t = luaL_checkinteger(L, 4);
  int tt = !lua_isnoneornil(L, 5) ? 5 : 1; /* the destination table */
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, tt, LUA_TTABLE);
  if (e >= f) {
    luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
    lua_Integer n = e - f + 1;
    luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
    charge_now(L, n);
    if (t > e || t <= f || (tt != 1 && !lua_compare(L, 1, tt, LUA_OPEQ))) {
      for (lua_Integer i = 0; i < n; i++) {
        lua_geti(L, 1, f + i);
        lua_seti(L, tt, t + i);
      }
    } else { /* overlapping, destination after the source: from the end */
      for (lua_Integer i = n - 1; i >= 0; i--) {
        lua_geti(L, 1, f + i);
        lua_seti(L, tt, t + i);
      }
    }
  }
  lua_pushvalue(L, tt);
  return 1;
}

/* table.sort(list [, comp]): the library's own sort (upvalue 2), charged
 * n log2 n first. */
static int t_sort(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Unsigned n = lua_rawlen(L, 1), bits = 0;
  /* Checked here so that the message has the caller's line. */
  if (n > 1 && !lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
  for (lua_Unsigned x = n; x; x >>= 1) bits++;
  if (n > 1) charge_now(L, n > (lua_Unsigned)LUA_MAXINTEGER / bits ? LUA_MAXINTEGER
                                                                  : (lua_Integer)(n * bits));
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_insert(L, 1);
  lua_call(L, 2, 0);
  return 0;
}

void parley__sandlib_table(lua_State *L, int idx, lua_CFunction charge) {
  static const luaL_Reg fns[] = {
    {"insert", t_insert}, {"remove", t_remove}, {"move", t_move}, {NULL, NULL}};
  idx = lua_absindex(L, idx);
  for (const luaL_Reg *f = fns; f->name; f++) {
    lua_pushcfunction(L, charge);
    lua_pushcclosure(L, f->func, 1);
    lua_setfield(L, idx, f->name);
  }
  lua_pushcfunction(L, charge);
  lua_getfield(L, idx, "sort");
  lua_pushcclosure(L, t_sort, 2);
  lua_setfield(L, idx, "sort");
}
