/*
 * spec.c — stage specs: a stage as the user named it, "NAME" or
 * "NAME:key=value,key=value" on the command line, or {"name": NAME, ...} in
 * a model file.  Parsing here checks only the shape; the registry checks the
 * name and the parameters against the stage that will run.
 */
#include "internal.h"

#include <cjson/cJSON.h>

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool name_char(char c) {
  return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

void parley__spec_clear(parley_engine *e, parley__spec *s) {
  for (size_t i = 0; i < s->n; i++) {
    parley__free(e, s->params[i].key);
    parley__free(e, s->params[i].text);
  }
  parley__free(e, s->params);
  parley__free(e, s->name);
  memset(s, 0, sizeof *s);
}

const parley__param *parley__spec_get(const parley__spec *s, const char *key) {
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->params[i].key, key) == 0) return &s->params[i];
  return NULL;
}

int parley__spec_add(parley_engine *e, parley__spec *s, const char *key, parley__ptype type,
                     double num, const char *text) {
  parley__param *p = parley__realloc(e, s->params, parley__mul(s->n + 1, sizeof *p));
  if (!p) return PARLEY_ENOMEM;
  s->params = p;
  parley__param *q = &p[s->n];
  memset(q, 0, sizeof *q);
  q->type = type;
  q->num = num;
  q->key = parley__strdup(e, key);
  q->text = text ? parley__strdup(e, text) : NULL;
  if (!q->key || (text && !q->text)) {
    parley__free(e, q->key);
    parley__free(e, q->text);
    return PARLEY_ENOMEM;
  }
  s->n++;
  return PARLEY_OK;
}

int parley__spec_copy(parley_engine *e, parley__spec *out, const parley__spec *in) {
  memset(out, 0, sizeof *out);
  if (in->name && !(out->name = parley__strdup(e, in->name))) return PARLEY_ENOMEM;
  for (size_t i = 0; i < in->n; i++) {
    const parley__param *p = &in->params[i];
    int rc = parley__spec_add(e, out, p->key, p->type, p->num, p->text);
    if (rc != PARLEY_OK) {
      parley__spec_clear(e, out);
      return rc;
    }
  }
  return PARLEY_OK;
}

/* A number only when the whole value reads as a finite double. */
static bool read_number(const char *s, size_t n, double *out) {
  char tmp[64];
  if (n == 0 || n >= sizeof tmp) return false;
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  char *end;
  double v = strtod(tmp, &end);
  if (*end != '\0' || !isfinite(v) || isspace((unsigned char)tmp[0])) return false;
  *out = v;
  return true;
}

/* Past the JSON array or object that opens at s (a bracket): the matching
 * close bracket + 1, or NULL when it never closes.  Strings are skipped
 * with their escapes; the text itself is checked by json_valid. */
static const char *json_end(const char *s) {
  size_t depth = 0;
  for (; *s; s++) {
    if (*s == '"') {
      for (s++; *s && *s != '"'; s++)
        if (*s == '\\' && s[1]) s++;
      if (!*s) return NULL;
    } else if (*s == '[' || *s == '{') {
      depth++;
    } else if (*s == ']' || *s == '}') {
      if (--depth == 0) return s + 1;
    }
  }
  return NULL;
}

static bool json_valid(const char *s, size_t n) {
  cJSON *j = cJSON_ParseWithLength(s, n);
  bool ok = j != NULL;
  cJSON_Delete(j);
  return ok;
}

int parley__spec_parse(parley_engine *e, parley__spec *out, const char *text, const char *what) {
  memset(out, 0, sizeof *out);
  const char *colon = strchr(text, ':');
  size_t nlen = colon ? (size_t)(colon - text) : strlen(text);
  if (nlen == 0)
    return parley__err(e, PARLEY_EUSAGE, "%s: expected a stage name, as NAME or NAME:key=value,...",
                       what);
  for (size_t i = 0; i < nlen; i++)
    if (!name_char(text[i]))
      return parley__err(e, PARLEY_EUSAGE,
                         "%s: '%.*s' is not a stage name (letters, digits, '-', '_', '.')", what,
                         (int)nlen, text);
  out->name = parley__malloc(e, nlen + 1);
  if (!out->name) return PARLEY_ENOMEM;
  memcpy(out->name, text, nlen);
  out->name[nlen] = '\0';
  if (!colon) return PARLEY_OK;

  const char *p = colon + 1;
  for (;;) {
    const char *comma = strchr(p, ',');
    const char *eq0 = strchr(p, '=');
    /* A value that opens with [ or { is JSON, commas and all, up to its
     * matching bracket: "ahp:pairwise=[[1,3],[0.333,1]]". */
    bool json = false;
    if (eq0 && (!comma || eq0 < comma) && (eq0[1] == '[' || eq0[1] == '{')) {
      const char *end = json_end(eq0 + 1);
      if (!end || (*end && *end != ',')) {
        parley__spec_clear(e, out);
        return parley__err(e, PARLEY_EUSAGE, "%s: the value of '%.*s' is not valid JSON", what,
                           (int)(eq0 - p), p);
      }
      json = true;
      comma = *end ? end : NULL;
    }
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    const char *eq = memchr(p, '=', len);
    int rc = PARLEY_OK;
    if (!eq || eq == p || eq == p + len - 1) {
      rc = parley__err(e, PARLEY_EUSAGE, "%s: '%.*s' is not a parameter: expected key=value", what,
                       (int)len, p);
    } else {
      size_t klen = (size_t)(eq - p), vlen = len - klen - 1;
      char key[64];
      char *val = parley__malloc(e, vlen + 1);
      if (!val) rc = PARLEY_ENOMEM;
      else if (klen >= sizeof key)
        rc = parley__err(e, PARLEY_EUSAGE, "%s: parameter name too long", what);
      if (rc == PARLEY_OK) {
        memcpy(key, p, klen);
        key[klen] = '\0';
        memcpy(val, eq + 1, vlen);
        val[vlen] = '\0';
        double num;
        if (parley__spec_get(out, key))
          rc = parley__err(e, PARLEY_EUSAGE, "%s: parameter '%s' given twice", what, key);
        else if (json && !json_valid(val, vlen))
          rc = parley__err(e, PARLEY_EUSAGE, "%s: the value of '%s' is not valid JSON", what, key);
        else if (json)
          rc = parley__spec_add(e, out, key, PARLEY__PJSON, 0, val);
        else if (read_number(val, vlen, &num))
          rc = parley__spec_add(e, out, key, PARLEY__PNUM, num, NULL);
        else
          rc = parley__spec_add(e, out, key, PARLEY__PSTR, 0, val);
      }
      parley__free(e, val);
    }
    if (rc != PARLEY_OK) {
      parley__spec_clear(e, out);
      return rc;
    }
    if (!comma) break;
    p = comma + 1;
  }
  return PARLEY_OK;
}

char *parley__spec_text(parley_engine *e, const parley__spec *s) {
  parley__buf b;
  parley__buf_init(&b, e);
  parley__buf_puts(&b, s->name ? s->name : "");
  for (size_t i = 0; i < s->n; i++) {
    const parley__param *p = &s->params[i];
    parley__buf_puts(&b, i == 0 ? ":" : ",");
    parley__buf_puts(&b, p->key);
    parley__buf_puts(&b, "=");
    if (p->type == PARLEY__PNUM) {
      char num[40];
      parley__fmt_double(num, sizeof num, p->num);
      parley__buf_puts(&b, num);
    } else {
      parley__buf_puts(&b, p->text);
    }
  }
  char *out = NULL;
  return parley__buf_finish(&b, &out, NULL) == PARLEY_OK ? out : NULL;
}
