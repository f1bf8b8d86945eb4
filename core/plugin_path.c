/*
 * plugin_path.c — where the shipped plugins are, and loading the default
 * set: the shipped tree, then each directory of $PARLEY_PLUGIN_PATH, so
 * that a plugin there replaces a shipped one of the same kind and name (and
 * --plugins, loaded after this by the caller, replaces both).
 *
 * An installed tree is found relative to the code that is running (the
 * shared library, or the program the static library is linked into), so an
 * install moved to another prefix still finds its plugins; a build tree
 * falls back on the source tree's plugins/.  The relative paths and the
 * source directory come from the build (CMakeLists.txt).
 */
#define _GNU_SOURCE /* dladdr */
#include "internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef PARLEY_PLUGINS_FROM_LIBDIR
#define PARLEY_PLUGINS_FROM_LIBDIR "../share/parley/plugins"
#endif
#ifndef PARLEY_PLUGINS_FROM_BINDIR
#define PARLEY_PLUGINS_FROM_BINDIR "../share/parley/plugins"
#endif

/* Any object of this file: dladdr names the file of code it was linked
 * into.  (A function's address would do, but ISO C has no conversion
 * from a function pointer to void *.) */
static const char anchor = 0;

static bool is_dir(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int put(char *out, size_t n, const char *path) {
  if (strlen(path) + 1 > n) return PARLEY_EUSAGE;
  memcpy(out, path, strlen(path) + 1);
  return PARLEY_OK;
}

int parley_plugins_shipped_dir(char *out, size_t n) {
  if (!out || n == 0) return PARLEY_EUSAGE;
  out[0] = '\0';
  Dl_info info;
  if (dladdr(&anchor, &info) && info.dli_fname) {
    char self[4096];
    if (realpath(info.dli_fname, self)) {
      char *slash = strrchr(self, '/');
      if (slash) {
        *slash = '\0';
        const char *rel[] = {PARLEY_PLUGINS_FROM_LIBDIR, PARLEY_PLUGINS_FROM_BINDIR};
        for (size_t i = 0; i < 2; i++) {
          char cand[4096 + 256];
          snprintf(cand, sizeof cand, "%s/%s", self, rel[i]);
          char real[4096];
          if (is_dir(cand) && realpath(cand, real)) return put(out, n, real);
        }
      }
    }
  }
#ifdef PARLEY_PLUGINS_SOURCE_DIR
  if (is_dir(PARLEY_PLUGINS_SOURCE_DIR)) return put(out, n, PARLEY_PLUGINS_SOURCE_DIR);
#endif
  return PARLEY_ENOTFOUND;
}

/* Each directory of $PARLEY_PLUGIN_PATH in order.  Empty entries and
 * directories that do not exist are skipped, as PATH and LUA_PATH do (a
 * profile may name a directory before it is made); any other failure, a
 * bad plugin among them, is an error that says where the directory came
 * from. */
static int load_path(parley_engine *engine, const char *path) {
  char dir[4096];
  while (path && *path) {
    const char *colon = strchr(path, ':');
    size_t len = colon ? (size_t)(colon - path) : strlen(path);
    if (len >= sizeof dir)
      return parley__err(engine, PARLEY_EIO, "plugins: a directory of $PARLEY_PLUGIN_PATH is "
                         "longer than %zu bytes", sizeof dir - 1);
    memcpy(dir, path, len);
    dir[len] = '\0';
    struct stat sb;
    if (len > 0 && !(stat(dir, &sb) != 0 && errno == ENOENT)) {
      int rc = parley_plugins_load(engine, dir);
      if (rc != PARLEY_OK) {
        char msg[PARLEY__ERRMAX];
        snprintf(msg, sizeof msg, "%s", engine->errmsg);
        return parley__err(engine, rc, "%s (from $PARLEY_PLUGIN_PATH)", msg);
      }
    }
    path = colon ? colon + 1 : NULL;
  }
  return PARLEY_OK;
}

int parley_plugins_load_default(parley_engine *engine) {
  if (!engine) return PARLEY_EUSAGE;
  parley__ok(engine);
  char dir[4096];
  int rc = parley_plugins_shipped_dir(dir, sizeof dir);
  if (rc == PARLEY_OK && (rc = parley_plugins_load(engine, dir)) != PARLEY_OK) return rc;
  if ((rc = load_path(engine, getenv("PARLEY_PLUGIN_PATH"))) != PARLEY_OK) return rc;
  parley__ok(engine);
  return PARLEY_OK;
}
