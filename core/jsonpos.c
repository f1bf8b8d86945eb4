/*
 * jsonpos.c — positions in JSON text for error messages (see jsonpos.h).
 * A tiny tokenizer walks the text the way cJSON reads it: it skips whole
 * values (strings with their escapes, numbers, literals, nested containers)
 * to reach the value a path names, and, for text cJSON refused, it replays
 * the parse with an explicit stack to say where and why the text went wrong.
 * The diagnosis accepts exactly what cJSON 1.7 accepts (every byte <= 32 is
 * white space, numbers are what strtod reads of [0-9+-eE.], \u escapes are
 * checked for surrogates only, nesting stops at 1000 levels) so that the
 * fault it finds is the one cJSON stopped at.
 */
#include "jsonpos.h"

#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAXDEPTH 1000 /* cJSON's CJSON_NESTING_LIMIT */
#define PATHFRAMES 64 /* frames whose keys the diagnosis remembers */

/* cJSON skips every byte <= 32 as white space, NUL included. */
static size_t skip_ws(const char *t, size_t n, size_t i) {
  while (i < n && (unsigned char)t[i] <= 32) i++;
  return i;
}

static size_t skip_bom(const char *t, size_t n) {
  return n >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Past the closing quote of the string whose opening quote is at i. */
static size_t skip_string(const char *t, size_t n, size_t i) {
  size_t j = i + 1;
  while (j < n && t[j] != '"') j += t[j] == '\\' ? 2 : 1;
  return j < n ? j + 1 : n;
}

/* Past the value starting at i (the text is known to be well formed). */
static size_t skip_value(const char *t, size_t n, size_t i) {
  if (i >= n) return n;
  if (t[i] == '"') return skip_string(t, n, i);
  if (t[i] == '{' || t[i] == '[') {
    size_t depth = 0;
    while (i < n) {
      char c = t[i];
      if (c == '"') {
        i = skip_string(t, n, i);
        continue;
      }
      if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        return i + 1;
      i++;
    }
    return n;
  }
  while (i < n && (unsigned char)t[i] > 32 && t[i] != ',' && t[i] != ']' && t[i] != '}') i++;
  return i;
}

static unsigned hex4(const char *s) {
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    char c = s[k];
    unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                 : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                        : 0;
    v = v * 16 + d;
  }
  return v;
}

/* Decodes the next character of a JSON string (t[*i] is inside the quotes)
 * into out as UTF-8, as cJSON decodes it; returns its byte count, or 0 at
 * the closing quote or the end of the text. */
static int next_char(const char *t, size_t n, size_t *i, unsigned char out[4]) {
  size_t j = *i;
  if (j >= n || t[j] == '"') return 0;
  if (t[j] != '\\' || j + 1 >= n) {
    out[0] = (unsigned char)t[j];
    *i = j + 1;
    return 1;
  }
  char c = t[j + 1];
  *i = j + 2;
  switch (c) {
  case 'b': out[0] = '\b'; return 1;
  case 'f': out[0] = '\f'; return 1;
  case 'n': out[0] = '\n'; return 1;
  case 'r': out[0] = '\r'; return 1;
  case 't': out[0] = '\t'; return 1;
  case 'u': break;
  default: out[0] = (unsigned char)c; return 1;
  }
  if (n - j < 6) return 0;
  unsigned long cp = hex4(t + j + 2);
  *i = j + 6;
  if (cp >= 0xD800 && cp <= 0xDBFF && n - j >= 12 && t[j + 6] == '\\' && t[j + 7] == 'u') {
    unsigned lo = hex4(t + j + 8);
    cp = 0x10000 + ((cp & 0x3FF) << 10) + (lo & 0x3FF);
    *i = j + 12;
  }
  if (cp < 0x80) {
    out[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (unsigned char)(0xC0 | (cp >> 6));
    out[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (unsigned char)(0xE0 | (cp >> 12));
    out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (unsigned char)(0xF0 | (cp >> 18));
  out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Whether the string whose opening quote is at i decodes to key. */
static bool key_equals(const char *t, size_t n, size_t i, const char *key) {
  size_t j = i + 1, k = 0;
  unsigned char ch[4];
  int cnt;
  while ((cnt = next_char(t, n, &j, ch)) > 0) {
    for (int b = 0; b < cnt; b++, k++)
      if ((unsigned char)key[k] != ch[b]) return false;
  }
  return key[k] == '\0';
}

size_t parley__json_locate(const char *t, size_t n, const parley__jstep *path, size_t np,
                           size_t *found) {
  size_t i = skip_ws(t, n, skip_bom(t, n)), d = 0;
  for (; d < np; d++) {
    const parley__jstep *st = &path[d];
    size_t at = SIZE_MAX;
    if (i >= n || t[i] != (st->key ? '{' : '[')) break;
    size_t j = skip_ws(t, n, i + 1);
    if (!st->key) {
      for (size_t k = 0; j < n && t[j] != ']'; k++) {
        if (k == st->index) {
          at = j;
          break;
        }
        j = skip_ws(t, n, skip_value(t, n, j));
        if (j >= n || t[j] != ',') break;
        j = skip_ws(t, n, j + 1);
      }
    } else {
      for (size_t k = 0; j < n && t[j] == '"'; k++) {
        bool match = st->index == SIZE_MAX ? key_equals(t, n, j, st->key) : k == st->index;
        j = skip_ws(t, n, skip_string(t, n, j));
        if (j < n && t[j] == ':') j = skip_ws(t, n, j + 1);
        if (match) {
          at = j;
          break;
        }
        j = skip_ws(t, n, skip_value(t, n, j));
        if (j >= n || t[j] != ',') break;
        j = skip_ws(t, n, j + 1);
      }
    }
    if (at == SIZE_MAX) break;
    i = at;
  }
  if (found) *found = d;
  return i;
}

void parley__json_linecol(const char *t, size_t n, size_t off, size_t *line, size_t *col) {
  if (off > n) off = n;
  size_t l = 1, start = skip_bom(t, n);
  if (start > off) start = 0;
  for (size_t i = 0; i < off; i++)
    if (t[i] == '\n') {
      l++;
      start = i + 1;
    }
  size_t c = 1;
  for (size_t i = start; i < off; i++)
    if (((unsigned char)t[i] & 0xC0) != 0x80) c++;
  *line = l;
  *col = c;
}

/* ---- path text ----------------------------------------------------------- */
typedef struct sink {
  char *out;
  size_t cap, pos;
  bool full;
} sink;

static void put(sink *s, const char *p, size_t len) {
  if (s->full || s->cap == 0) return;
  if (s->pos + len + 1 > s->cap) {
    /* No room: end with "..." where it still fits. */
    size_t keep = s->cap > 4 ? s->cap - 4 : 0;
    if (s->pos > keep) s->pos = keep;
    size_t room = keep - s->pos;
    memcpy(s->out + s->pos, p, room < len ? room : len);
    s->pos += room < len ? room : len;
    memcpy(s->out + s->pos, "...", s->cap > 4 ? 3 : 0);
    s->pos += s->cap > 4 ? 3 : 0;
    s->out[s->pos] = '\0';
    s->full = true;
    return;
  }
  memcpy(s->out + s->pos, p, len);
  s->pos += len;
  s->out[s->pos] = '\0';
}

static bool plain_key(const char *k, size_t len) {
  if (len == 0) return false;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)k[i];
    if (!(c >= 0x80 || c == '_' || c == '-' || is_digit((char)c) || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z')))
      return false;
  }
  return true;
}

static void put_step(sink *s, const char *key, size_t klen, size_t index, bool first) {
  char num[32];
  if (!key) {
    int w = snprintf(num, sizeof num, "[%zu]", index);
    put(s, num, (size_t)w);
    return;
  }
  if (plain_key(key, klen)) {
    if (!first) put(s, ".", 1);
    put(s, key, klen);
    return;
  }
  put(s, "[\"", 2);
  for (size_t i = 0; i < klen; i++) {
    unsigned char c = (unsigned char)key[i];
    if (c == '"' || c == '\\') {
      char esc[2] = {'\\', (char)c};
      put(s, esc, 2);
    } else if (c < 32) {
      int w = snprintf(num, sizeof num, "\\u%04x", c);
      put(s, num, (size_t)w);
    } else {
      put(s, (const char *)&key[i], 1);
    }
  }
  put(s, "\"]", 2);
}

void parley__json_path_text(char *out, size_t cap, const parley__jstep *path, size_t n) {
  sink s = {out, cap, 0, false};
  if (cap) out[0] = '\0';
  for (size_t i = 0; i < n; i++)
    put_step(&s, path[i].key, path[i].key ? strlen(path[i].key) : 0, path[i].index, i == 0);
}

/* ---- diagnosis ----------------------------------------------------------- */
typedef struct frame {
  size_t count; /* members or elements read so far */
  size_t key;   /* offset of the current member's opening quote */
  bool open;    /* reading the value of the current member or element */
} frame;

typedef struct scan {
  const char *t;
  size_t n, depth;
  unsigned char kind[MAXDEPTH + 1]; /* '{' or '[' per level */
  frame fr[PATHFRAMES];
  parley__jdiag *out;
} scan;

/* The word or character at i, for "got ...". */
static void got(const scan *S, size_t i, char *buf, size_t cap) {
  if (i >= S->n) {
    snprintf(buf, cap, "the end of the text");
    return;
  }
  unsigned char c = (unsigned char)S->t[i];
  size_t w = 0;
  while (i + w < S->n && w < 20) {
    char d = S->t[i + w];
    if (!((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || is_digit(d) || d == '_')) break;
    w++;
  }
  if (w > 1)
    snprintf(buf, cap, "'%.*s'", (int)w, S->t + i);
  else if (c >= 32 && c < 127)
    snprintf(buf, cap, "'%c'", c);
  else if (c >= 0x80)
    snprintf(buf, cap, "a non-ASCII character");
  else
    snprintf(buf, cap, "byte 0x%02x", c);
}

/* Records the fault at offset i; the path is that of the values being read. */
static bool fault(scan *S, size_t i, const char *fmt, ...) PARLEY__PRINTF(3, 4);
static bool fault(scan *S, size_t i, const char *fmt, ...) {
  parley__jdiag *o = S->out;
  o->offset = i;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(o->what, sizeof o->what, fmt, ap);
  va_end(ap);
  sink s = {o->path, sizeof o->path, 0, false};
  o->path[0] = '\0';
  bool first = true;
  for (size_t d = 0; d < S->depth; d++) {
    if (d >= PATHFRAMES) {
      put(&s, "...", 3);
      break;
    }
    const frame *f = &S->fr[d];
    if (!f->open) break;
    if (S->kind[d] == '[') {
      put_step(&s, NULL, 0, f->count, first);
    } else {
      char key[160];
      size_t j = f->key + 1, k = 0;
      unsigned char ch[4];
      int cnt;
      while ((cnt = next_char(S->t, S->n, &j, ch)) > 0 && k + (size_t)cnt < sizeof key) {
        memcpy(key + k, ch, (size_t)cnt);
        k += (size_t)cnt;
      }
      put_step(&s, key, k, 0, first);
    }
    first = false;
  }
  return true;
}

/* A string at i: past its closing quote, or SIZE_MAX after recording the fault. */
static size_t diag_string(scan *S, size_t i) {
  const char *t = S->t;
  size_t n = S->n, j = i + 1;
  /* cJSON first finds the closing quote, then decodes the escapes. */
  while (j < n && t[j] != '"') {
    if (t[j] == '\\' && j + 1 >= n) break;
    j += t[j] == '\\' ? 2 : 1;
  }
  if (j >= n) {
    fault(S, i, "unterminated string: the closing '\"' is missing");
    return SIZE_MAX;
  }
  size_t end = j;
  for (j = i + 1; j < end; j++) {
    if (t[j] != '\\') continue;
    char c = t[j + 1];
    if (strchr("bfnrt\"\\/", c) && c != '\0') {
      j++;
      continue;
    }
    if (c != 'u') {
      char e[8];
      snprintf(e, sizeof e, "%c", c >= 32 && c < 127 ? c : '?');
      fault(S, j, "invalid escape '\\%s' in a string", e);
      return SIZE_MAX;
    }
    if (end - j < 6) {
      fault(S, j, "incomplete \\u escape in a string");
      return SIZE_MAX;
    }
    unsigned cp = hex4(t + j + 2);
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      fault(S, j, "invalid \\u escape: a low surrogate without a high one");
      return SIZE_MAX;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      unsigned lo = end - j >= 12 && t[j + 6] == '\\' && t[j + 7] == 'u' ? hex4(t + j + 8) : 0;
      if (lo < 0xDC00 || lo > 0xDFFF) {
        fault(S, j, "invalid \\u escape: a high surrogate without a low one");
        return SIZE_MAX;
      }
      j += 11;
    } else {
      j += 5;
    }
  }
  return end + 1;
}

/* How much of t[i..] strtod reads, over the bytes cJSON hands it. */
static size_t number_length(const char *t, size_t n, size_t i) {
  size_t span = 0;
  while (i + span < n && span < 63 &&
         (is_digit(t[i + span]) || strchr("+-eE.", t[i + span]) != NULL) && t[i + span] != '\0')
    span++;
  const char *s = t + i;
  size_t k = 0, digits = 0;
  if (k < span && (s[k] == '+' || s[k] == '-')) k++;
  for (; k < span && is_digit(s[k]); k++) digits++;
  if (k < span && s[k] == '.')
    for (k++; k < span && is_digit(s[k]); k++) digits++;
  if (digits == 0) return 0;
  if (k < span && (s[k] == 'e' || s[k] == 'E')) {
    size_t m = k + 1;
    if (m < span && (s[m] == '+' || s[m] == '-')) m++;
    if (m < span && is_digit(s[m])) {
      while (m < span && is_digit(s[m])) m++;
      k = m;
    }
  }
  return k;
}

static bool starts_ci(const char *t, size_t n, size_t i, const char *word) {
  size_t w = strlen(word);
  if (n - i < w) return false;
  for (size_t k = 0; k < w; k++) {
    char c = t[i + k];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != word[k]) return false;
  }
  return true;
}

static bool non_finite_word(const char *t, size_t n, size_t i) {
  if (i < n && (t[i] == '-' || t[i] == '+')) i++;
  return starts_ci(t, n, i, "nan") || starts_ci(t, n, i, "inf");
}

enum { S_VALUE, S_VALUE_OR_CLOSE, S_AFTER_VALUE, S_KEY, S_KEY_OR_CLOSE, S_COLON };

static frame *top(scan *S) {
  return S->depth && S->depth <= PATHFRAMES ? &S->fr[S->depth - 1] : NULL;
}

bool parley__json_diagnose(const char *t, size_t n, parley__jdiag *out) {
  scan *S = &(scan){.t = t, .n = n, .depth = 0, .out = out};
  char what[48];
  size_t i = skip_ws(t, n, skip_bom(t, n));
  int state = S_VALUE;
  if (i >= n) return fault(S, i, "the text is empty: expected a JSON object");
  for (;;) {
    frame *f = top(S);
    char close = S->depth ? (S->kind[S->depth - 1] == '{' ? '}' : ']') : 0;
    switch (state) {
    case S_VALUE:
    case S_VALUE_OR_CLOSE: {
      if (i >= n)
        return fault(S, i, "unexpected end of the text: expected a value (is the file truncated?)");
      char c = t[i];
      if (state == S_VALUE_OR_CLOSE && c == ']') {
        S->depth--;
        i = skip_ws(t, n, i + 1);
        state = S_AFTER_VALUE;
        if (top(S)) top(S)->open = false;
        continue;
      }
      if (c == '{' || c == '[') {
        if (S->depth >= MAXDEPTH) return fault(S, i, "nesting deeper than 1000 levels");
        S->kind[S->depth] = (unsigned char)c;
        if (S->depth < PATHFRAMES) S->fr[S->depth] = (frame){0, 0, c == '['};
        S->depth++;
        i = skip_ws(t, n, i + 1);
        state = c == '{' ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
        continue;
      }
      size_t end = SIZE_MAX;
      if (c == '"') {
        end = diag_string(S, i);
        if (end == SIZE_MAX) return true;
      } else if (non_finite_word(t, n, i)) {
        return fault(S, i,
                     "NaN and Infinity are not numbers in JSON; the model needs finite numbers");
      } else if (c == '-' || is_digit(c)) {
        size_t w = number_length(t, n, i);
        if (w == 0) return fault(S, i, "invalid number: expected a digit after '-'");
        end = i + w;
      } else if (n - i >= 4 && memcmp(t + i, "null", 4) == 0) {
        end = i + 4;
      } else if (n - i >= 4 && memcmp(t + i, "true", 4) == 0) {
        end = i + 4;
      } else if (n - i >= 5 && memcmp(t + i, "false", 5) == 0) {
        end = i + 5;
      } else if (c == ']' && S->depth && S->kind[S->depth - 1] == '[') {
        return fault(S, i, "expected a value after ',' (a trailing comma is not allowed)");
      } else if (c == '\'') {
        return fault(S, i, "strings take double quotes, not single quotes");
      } else {
        got(S, i, what, sizeof what);
        return fault(S, i,
                     "expected a value (an object, list, string, number, true, false or null), "
                     "got %s",
                     what);
      }
      i = skip_ws(t, n, end);
      state = S_AFTER_VALUE;
      if (f) f->open = false;
      continue;
    }
    case S_AFTER_VALUE:
      if (S->depth == 0) {
        if (i < n) return fault(S, i, "unexpected text after the end of the JSON document");
        return false;
      }
      if (i >= n)
        return fault(S, i,
                     "unexpected end of the text: expected ',' or '%s' (is the file truncated?)",
                     close == '}' ? "}" : "]");
      if (t[i] == ',') {
        i = skip_ws(t, n, i + 1);
        if (f) {
          f->count++;
          f->open = close == ']';
        }
        state = close == '}' ? S_KEY : S_VALUE;
        continue;
      }
      if (t[i] == close) {
        S->depth--;
        i = skip_ws(t, n, i + 1);
        if (top(S)) top(S)->open = false;
        continue;
      }
      got(S, i, what, sizeof what);
      {
        /* Another value where a ',' belongs: most likely the ',' is missing. */
        char c = t[i];
        bool value = c == '"' || c == '{' || c == '[' || c == '-' || is_digit(c) || c == 't' ||
                     c == 'f' || c == 'n';
        const char *hint = value ? " (is a ',' missing?)" : "";
        if (close == '}')
          return fault(S, i, "expected ',' or '}' after an object member, got %s%s", what, hint);
        return fault(S, i, "expected ',' or ']' after a list element, got %s%s", what, hint);
      }
    case S_KEY:
    case S_KEY_OR_CLOSE:
      if (i >= n)
        return fault(S, i,
                     "unexpected end of the text: expected a member name (is the file "
                     "truncated?)");
      if (state == S_KEY_OR_CLOSE && t[i] == '}') {
        S->depth--;
        i = skip_ws(t, n, i + 1);
        state = S_AFTER_VALUE;
        if (top(S)) top(S)->open = false;
        continue;
      }
      if (t[i] != '"') {
        if (t[i] == '}')
          return fault(S, i, "expected a member name after ',' (a trailing comma is not allowed)");
        if (t[i] == '\'') return fault(S, i, "member names take double quotes, not single quotes");
        got(S, i, what, sizeof what);
        return fault(S, i, "expected a member name in double quotes, got %s", what);
      }
      {
        size_t end = diag_string(S, i);
        if (end == SIZE_MAX) return true;
        if (f) f->key = i;
        i = skip_ws(t, n, end);
        state = S_COLON;
      }
      continue;
    case S_COLON:
      if (i >= n || t[i] != ':') {
        got(S, i, what, sizeof what);
        return fault(S, i, "expected ':' after the member name, got %s", what);
      }
      i = skip_ws(t, n, i + 1);
      if (f) f->open = true;
      state = S_VALUE;
      continue;
    }
  }
}
