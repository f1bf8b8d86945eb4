/*
 * jsonpos.h — where things are in JSON text, for error messages.  cJSON
 * builds a tree that remembers no positions, so when the loader finds a
 * fault it names the value by its path (a list of object keys and array
 * indices) and these functions scan the original text again to find that
 * value's line and column.  They also diagnose a syntax error: the first
 * fault in the text, what was expected there, and the path of the value
 * being read.  Only error paths call them; they allocate nothing and keep no
 * state.  Used by model_json.c.
 *
 * Positions: lines and columns count from 1; a column counts characters
 * (UTF-8 code points), not bytes, so that it matches what an editor shows;
 * a tab is one column; a UTF-8 byte order mark at the start is not counted.
 */
#ifndef PARLEY_JSONPOS_H
#define PARLEY_JSONPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One step of a path.  key is the member's name (decoded, NUL-terminated) or
 * NULL for an array element.  index is the element's index, or for a member
 * its position among its object's members (what cJSON_ArrayForEach counts),
 * or SIZE_MAX to take the first member called key. */
typedef struct parley__jstep {
  const char *key;
  size_t index;
} parley__jstep;

/* The offset of the value at path in text, which must be well-formed JSON
 * (cJSON read it).  When the path leads nowhere, the offset of the deepest
 * value that exists; *found (if not NULL) gets the number of steps matched.
 * An empty path gives the top-level value. */
size_t parley__json_locate(const char *text, size_t len, const parley__jstep *path, size_t n,
                           size_t *found);

/* Line and column (1-based, columns in characters) of a byte offset. */
void parley__json_linecol(const char *text, size_t len, size_t offset, size_t *line, size_t *col);

/* Appends a path as text to out[*pos..cap): keys that are plain words
 * (letters, digits, '_', '-', non-ASCII) as `a.b`, others as `a["x y"]`,
 * indices as `[3]`.  Truncates (with "...") rather than overflow. */
void parley__json_path_text(char *out, size_t cap, const parley__jstep *path, size_t n);

/* What is wrong with text that cJSON refused. */
typedef struct parley__jdiag {
  size_t offset;  /* where the fault is */
  char what[192]; /* "expected ',' or '}' after an object member, got ']'" */
  char path[320]; /* the value being read there, as parley__json_path_text; "" at the top */
} parley__jdiag;

/* Scans text for its first syntax error, accepting what cJSON accepts.
 * Returns false when it finds none (the caller then falls back on the
 * position cJSON gave). */
bool parley__json_diagnose(const char *text, size_t len, parley__jdiag *out);

#endif /* PARLEY_JSONPOS_H */
