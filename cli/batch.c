/*
 * batch.c — `parley batch`: many models, or many variants of one, run in
 * parallel in one process, each job's outcome written as one line as soon
 * as it is known.
 *
 * Jobs come from model files, folders (every *.json inside, sorted), a
 * manifest (JSON Lines, one job a line) and a sweep (JSON Lines, one JSON
 * Merge Patch a line, applied to a base model).  Each has a stable id: the
 * file path, the manifest's id, or "sweep:LINE:HASH".  The job list is
 * built and checked whole before anything runs, so a malformed manifest or
 * sweep, or a duplicate id, is bad usage (exit 2) and not a half-done run.
 *
 * A pool of worker threads, each with its own engine (the library shares
 * nothing between engines), takes jobs in order from one index under a
 * mutex, so a slow model holds up only its own worker.  Finished lines go
 * through the same mutex to the output: one write() of the whole line to a
 * descriptor opened with O_APPEND, so a kill leaves the finished lines
 * intact and loses only the jobs in flight; --resume then skips every job
 * that already has an "ok" line for the same input.  The output file is
 * locked while a batch writes it, so two batches never share one.
 *
 * --job-timeout cannot stop C code from outside without killing a thread,
 * which would leave its engine (and the allocator's locks) in an unknown
 * state; so the deadline is enforced where the library offers a safe stop:
 * the progress callback of the analyses returns nonzero after it (the
 * analysis stops at a block boundary), and the plugins' wall-clock limit is
 * set to the time left.  A job that overruns anyway (one long C stage) is
 * reported as timed out when it returns.
 *
 * Built only on parley.h; cJSON reads the manifest, the sweep and the
 * output being resumed, all before the workers start.
 */
#include "cli.h"
#include "merge_patch.h"

#include <cjson/cJSON.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SCORING_KINDS 4 /* weighting, normalization, aggregation, rule */
#define MESSAGE_MAX 1280 /* an engine message and a little more */

static const char *const stage_key[SCORING_KINDS] = {"weighting", "normalization", "aggregation",
                                                     "rule"};

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/* The directory part of path ("a/b.json" -> "a", "/b.json" -> "/"), or
 * NULL when it has none (the working directory).  *oom on failure. */
static char *dir_of(const char *path, bool *oom) {
  const char *slash = strrchr(path, '/');
  if (!slash) return NULL;
  size_t n = slash == path ? 1 : (size_t)(slash - path);
  char *d = malloc(n + 1);
  if (!d) {
    *oom = true;
    return NULL;
  }
  memcpy(d, path, n);
  d[n] = '\0';
  return d;
}

/* ---- a growable string ------------------------------------------------------
 * oom is sticky, so a caller builds a whole line and checks once. */
typedef struct sbuf {
  char *p;
  size_t n, cap;
  bool oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
  if (b->oom) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + n + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = true;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

static void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void sb_printf(sbuf *b, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof tmp) {
    b->oom = true; /* only short numbers are formatted this way */
    return;
  }
  sb_put(b, tmp, (size_t)n);
}

/* s as a JSON string, quotes included.  Bytes from 0x80 pass unchanged
 * (UTF-8 stays UTF-8). */
static void sb_json_string(sbuf *b, const char *s) {
  sb_put(b, "\"", 1);
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '"' || c == '\\') {
      char e[2] = {'\\', (char)c};
      sb_put(b, e, 2);
    } else if (c == '\n') {
      sb_put(b, "\\n", 2);
    } else if (c == '\t') {
      sb_put(b, "\\t", 2);
    } else if (c < 0x20) {
      sb_printf(b, "\\u%04x", c);
    } else {
      sb_put(b, p, 1);
    }
  }
  sb_put(b, "\"", 1);
}

/* s as a CSV field, quoted as RFC 4180 says when it holds a comma, a
 * quote or a line break. */
static void sb_csv_field(sbuf *b, const char *s) {
  if (!strpbrk(s, ",\"\r\n")) {
    sb_puts(b, s);
    return;
  }
  sb_put(b, "\"", 1);
  for (const char *p = s; *p; p++) {
    if (*p == '"') sb_put(b, "\"", 1);
    sb_put(b, p, 1);
  }
  sb_put(b, "\"", 1);
}

/* A number as the result document writes it (cJSON's rule: an integer
 * as one, otherwise 15 significant digits unless they do not read back,
 * then 17), so a CSV score is the same text as the JSON score. */
static void fmt_number(char *out, size_t n, double d) {
  if (!isfinite(d)) {
    snprintf(out, n, "null");
  } else if (d > -2147483648.0 && d < 2147483647.0 && d == (double)(int)d) {
    snprintf(out, n, "%d", (int)d);
  } else {
    snprintf(out, n, "%1.15g", d);
    double back = strtod(out, NULL);
    double big = fabs(back) > fabs(d) ? fabs(back) : fabs(d);
    if (!(fabs(back - d) <= big * 2.220446049250313e-16)) snprintf(out, n, "%1.17g", d);
  }
}

/* ---- hashing ------------------------------------------------------------------
 * FNV-1a, 64 bits: job ids and input fingerprints need stability and
 * spread, not secrecy. */
#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

static uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= FNV_PRIME;
  }
  return h;
}

/* Adds s and a NUL after it, so that ("ab", "c") and ("a", "bc") differ. */
static uint64_t fnv1a_field(uint64_t h, const char *s) { return fnv1a(h, s, strlen(s) + 1); }

/* ---- a set of strings (open addressing) ------------------------------------------ */
typedef struct strset {
  char **slot;
  size_t cap, n;
} strset;

static void strset_free(strset *s) {
  for (size_t i = 0; i < s->cap; i++) free(s->slot[i]);
  free(s->slot);
  memset(s, 0, sizeof *s);
}

static size_t strset_find(const strset *s, const char *key) {
  size_t i = (size_t)fnv1a(FNV_OFFSET, key, strlen(key)) & (s->cap - 1);
  while (s->slot[i] && strcmp(s->slot[i], key) != 0) i = (i + 1) & (s->cap - 1);
  return i;
}

static bool strset_has(const strset *s, const char *key) {
  return s->cap && s->slot[strset_find(s, key)] != NULL;
}

/* 1 added, 0 already there, -1 out of memory. */
static int strset_add(strset *s, const char *key) {
  if (2 * (s->n + 1) > s->cap) {
    strset bigger = {calloc(s->cap ? 2 * s->cap : 64, sizeof(char *)), s->cap ? 2 * s->cap : 64,
                     s->n};
    if (!bigger.slot) return -1;
    for (size_t i = 0; i < s->cap; i++)
      if (s->slot[i]) bigger.slot[strset_find(&bigger, s->slot[i])] = s->slot[i];
    free(s->slot);
    *s = bigger;
  }
  size_t i = strset_find(s, key);
  if (s->slot[i]) return 0;
  if (!(s->slot[i] = xstrdup(key))) return -1;
  s->n++;
  return 1;
}

/* ---- jobs ------------------------------------------------------------------------ */
typedef enum job_kind { JOB_FILE, JOB_MANIFEST, JOB_SWEEP } job_kind;

typedef struct job {
  job_kind kind;
  char *id;
  char *path;                     /* FILE, MANIFEST: the model file */
  char *stage[SCORING_KINDS];     /* MANIFEST: the job's own stages */
  bool own_stage[SCORING_KINDS];  /* the job sets the stage itself (MANIFEST, or a SWEEP
                                     patch that sets pipeline.KIND): no global option */
  char **analyses;                /* MANIFEST: the job's own analyses */
  size_t n_analyses;
  bool own_analyses;              /* as own_stage, for the analyses */
  cJSON *patch;                   /* SWEEP */
  /* Set under the batch's lock. */
  bool finished;
  char *out; /* --ordered: the finished text waiting for its turn */
  size_t out_len;
} job;

static void job_clear(job *j) {
  free(j->id);
  free(j->path);
  for (int k = 0; k < SCORING_KINDS; k++) free(j->stage[k]);
  for (size_t i = 0; i < j->n_analyses; i++) free(j->analyses[i]);
  free(j->analyses);
  cJSON_Delete(j->patch);
  free(j->out);
}

typedef enum out_format { OUT_JSONL, OUT_CSV } out_format;

typedef struct batch {
  /* options */
  cli_run_args run; /* the stages, analyses, seed, threads, output, plugins */
  int workers;
  out_format format;
  bool ordered, resume, quiet, help;
  double job_timeout; /* 0: none */
  uint64_t fsync_every;
  const char *manifest, *sweep, *base_model;
  const char **inputs;
  size_t ninputs;

  /* the jobs */
  job *jobs;
  size_t njobs, cap;
  strset ids;
  cJSON *base;    /* the sweep's base model */
  char *base_dir; /* where its CSV files are */

  strset done; /* "ID\nINPUT" of each ok line of the output being resumed */

  /* output */
  int fd;
  bool fd_syncs; /* a regular file: fsync it */
  uint64_t since_sync;

  /* shared by the workers, under lock */
  pthread_mutex_t lock;
  pthread_cond_t changed;
  size_t next;       /* the next job to hand out */
  size_t next_write; /* --ordered: the next job to write */
  size_t n_ok, n_failed, n_skipped, n_dropped;
  int running; /* workers still running */
  bool stop;   /* the output failed: take no more jobs */
  bool write_failed;
} batch;

/* Adds a job with a copy of id as *out, which lives until the next job is
 * added.  CLI_OK, or an exit status (reported): an id given twice is bad
 * usage. */
static int add_job(batch *b, job_kind kind, const char *id, const char *where, job **out) {
  int added = strset_add(&b->ids, id);
  if (added == 0)
    return cli_usage("batch", "%s%sjob id '%s' is given twice; every job needs its own id",
                     where ? where : "", where ? ": " : "", id);
  if (added > 0 && b->njobs == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 64;
    job *v = realloc(b->jobs, cap * sizeof *v);
    if (v) {
      b->jobs = v;
      b->cap = cap;
    } else {
      added = -1;
    }
  }
  job *j = added > 0 ? &b->jobs[b->njobs] : NULL;
  if (j) {
    memset(j, 0, sizeof *j);
    j->kind = kind;
    j->id = xstrdup(id);
  }
  if (!j || !j->id) {
    cli_error("out of memory");
    return CLI_FAILED;
  }
  b->njobs++;
  *out = j;
  return CLI_OK;
}

static int add_file_job(batch *b, const char *path) {
  job *j;
  int status = add_job(b, JOB_FILE, path, NULL, &j);
  if (status != CLI_OK) return status;
  if (!(j->path = xstrdup(path))) {
    cli_error("out of memory");
    return CLI_FAILED;
  }
  return CLI_OK;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_json_name(const char *name) {
  size_t n = strlen(name);
  return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* Every *.json regular file in dir (not its sub-folders, not hidden
 * files), in byte order of the names, each a job. */
static int add_folder(batch *b, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return cli_usage("batch", "cannot read the folder '%s': %s", dir, strerror(errno));
  char **names = NULL;
  size_t n = 0, cap = 0;
  int status = CLI_OK;
  size_t dlen = strlen(dir);
  bool slash = dlen > 0 && dir[dlen - 1] == '/';
  struct dirent *e;
  while (status == CLI_OK && (e = readdir(d)) != NULL) {
    if (!is_json_name(e->d_name)) continue;
    size_t len = dlen + 1 + strlen(e->d_name) + 1;
    char *path = malloc(len);
    if (!path) {
      status = CLI_FAILED;
      break;
    }
    snprintf(path, len, "%s%s%s", dir, slash ? "" : "/", e->d_name);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
      free(path);
      continue;
    }
    if (n == cap) {
      cap = cap ? 2 * cap : 32;
      char **v = realloc(names, cap * sizeof *v);
      if (!v) {
        free(path);
        status = CLI_FAILED;
        break;
      }
      names = v;
    }
    names[n++] = path;
  }
  closedir(d);
  if (status == CLI_FAILED) cli_error("out of memory");
  if (n) qsort(names, n, sizeof *names, cmp_names);
  for (size_t i = 0; i < n; i++) {
    if (status == CLI_OK) status = add_file_job(b, names[i]);
    free(names[i]);
  }
  free(names);
  return status;
}

/* One JSON value filling the text but for white space; NULL otherwise. */
static cJSON *parse_line(const char *s, size_t n) {
  const char *end = NULL;
  cJSON *v = cJSON_ParseWithLengthOpts(s, n, &end, 0);
  if (!v) return NULL;
  for (size_t i = (size_t)(end - s); i < n; i++) {
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') {
      cJSON_Delete(v);
      return NULL;
    }
  }
  return v;
}

static bool blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return false;
  return true;
}

/* The shortest decimal that reads back as d (stage parameters). */
static void exact_number(char *out, size_t n, double d) {
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(out, n, "%.*g", prec, d);
    if (strtod(out, NULL) == d) return;
  }
}

/* A manifest's stage, "NAME:key=value,..." or {"name": NAME, key: value,
 * ...}, as the spec text the run options take.  NULL with why[] set when
 * it cannot be one; *oom when memory ran out. */
static char *spec_of(const cJSON *v, char *why, size_t nwhy, bool *oom) {
  if (cJSON_IsString(v)) {
    if (!*v->valuestring) {
      snprintf(why, nwhy, "an empty stage name");
      return NULL;
    }
    char *s = xstrdup(v->valuestring);
    if (!s) *oom = true;
    return s;
  }
  if (!cJSON_IsObject(v)) {
    snprintf(why, nwhy, "a stage is \"NAME:key=value,...\" or {\"name\": NAME, ...}");
    return NULL;
  }
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(v, "name");
  if (!cJSON_IsString(name) || !*name->valuestring) {
    snprintf(why, nwhy, "a stage object needs \"name\": NAME");
    return NULL;
  }
  sbuf b = {0};
  sb_puts(&b, name->valuestring);
  bool first = true;
  for (const cJSON *p = v->child; p; p = p->next) {
    if (p == name) continue;
    sb_puts(&b, first ? ":" : ",");
    first = false;
    sb_puts(&b, p->string);
    sb_puts(&b, "=");
    if (cJSON_IsNumber(p)) {
      char num[40];
      exact_number(num, sizeof num, p->valuedouble);
      sb_puts(&b, num);
    } else if (cJSON_IsString(p)) {
      const char *s = p->valuestring;
      /* The spec text splits at commas and reads a leading bracket as
       * JSON: a string with either cannot be said that way. */
      if (!*s || strchr(s, ',') || s[0] == '[' || s[0] == '{') {
        snprintf(why, nwhy, "parameter '%s': a string value must be non-empty, without commas, "
                            "and not start with '[' or '{'", p->string);
        free(b.p);
        return NULL;
      }
      sb_puts(&b, s);
    } else if (cJSON_IsBool(p)) {
      sb_puts(&b, cJSON_IsTrue(p) ? "true" : "false");
    } else if (cJSON_IsArray(p) || cJSON_IsObject(p)) {
      char *text = cJSON_PrintUnformatted(p);
      if (!text) b.oom = true;
      else sb_puts(&b, text);
      cJSON_free(text);
    } else {
      snprintf(why, nwhy, "parameter '%s' is null", p->string);
      free(b.p);
      return NULL;
    }
  }
  if (b.oom) {
    free(b.p);
    *oom = true;
    return NULL;
  }
  return b.p;
}

/* A relative model path in a manifest is relative to the manifest. */
static char *resolve(const char *dir, const char *path) {
  if (!dir || path[0] == '/') return xstrdup(path);
  size_t n = strlen(dir) + 1 + strlen(path) + 1;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", path);
  return s;
}

static const char *const manifest_keys[] = {"id",   "model",    "weighting", "normalization",
                                            "aggregation", "rule", "analyses", NULL};

/* One manifest line, parsed, as a job.  CLI_OK or an exit status (reported). */
static int manifest_job(batch *b, const cJSON *o, const char *where, const char *dir) {
  if (!cJSON_IsObject(o))
    return cli_usage("batch", "%s: expected a job {\"id\": ..., \"model\": ...}", where);
  for (const cJSON *p = o->child; p; p = p->next) {
    size_t k = 0;
    while (manifest_keys[k] && strcmp(manifest_keys[k], p->string) != 0) k++;
    if (!manifest_keys[k])
      return cli_usage("batch", "%s: unknown key \"%s\" (known: id, model, weighting, "
                                "normalization, aggregation, rule, analyses)",
                       where, p->string);
  }
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
  const cJSON *model = cJSON_GetObjectItemCaseSensitive(o, "model");
  if (!cJSON_IsString(id) || !*id->valuestring)
    return cli_usage("batch", "%s: \"id\" must be a non-empty string", where);
  if (!cJSON_IsString(model) || !*model->valuestring)
    return cli_usage("batch", "%s: \"model\" must be the path of a model file", where);
  job *j;
  int status = add_job(b, JOB_MANIFEST, id->valuestring, where, &j);
  if (status != CLI_OK) return status;
  bool oom = false;
  char why[256];
  if (!(j->path = resolve(dir, model->valuestring))) oom = true;
  for (int k = 0; k < SCORING_KINDS && !oom; k++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, stage_key[k]);
    if (!v) continue;
    if (!(j->stage[k] = spec_of(v, why, sizeof why, &oom)) && !oom)
      return cli_usage("batch", "%s: \"%s\": %s", where, stage_key[k], why);
    j->own_stage[k] = true;
  }
  const cJSON *an = cJSON_GetObjectItemCaseSensitive(o, "analyses");
  if (an && !oom) {
    if (!cJSON_IsArray(an))
      return cli_usage("batch", "%s: \"analyses\" must be a list of analyses", where);
    size_t n = (size_t)cJSON_GetArraySize(an);
    j->own_analyses = true;
    if (n && !(j->analyses = calloc(n, sizeof *j->analyses))) oom = true;
    for (const cJSON *a = an->child; a && !oom; a = a->next) {
      char *s = spec_of(a, why, sizeof why, &oom);
      if (!s && !oom) return cli_usage("batch", "%s: \"analyses\": %s", where, why);
      if (s) j->analyses[j->n_analyses++] = s;
    }
  }
  if (oom) {
    cli_error("out of memory");
    return CLI_FAILED;
  }
  return CLI_OK;
}

/* Calls fn for each non-blank line of a JSON Lines file, parsed; a line
 * that is not one JSON value is bad usage, named by file and line. */
typedef int (*line_fn)(batch *b, cJSON *v, size_t lineno, const char *where, void *ud);

static int each_line(batch *b, const char *path, const char *what, line_fn fn, void *ud) {
  FILE *f = fopen(path, "rb");
  if (!f) return cli_usage("batch", "cannot read the %s '%s': %s", what, path, strerror(errno));
  char *line = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t len;
  int status = CLI_OK;
  while (status == CLI_OK && (len = getline(&line, &cap, f)) >= 0) {
    lineno++;
    if (blank(line, (size_t)len)) continue;
    char where[512];
    snprintf(where, sizeof where, "%s:%zu", path, lineno);
    cJSON *v = parse_line(line, (size_t)len);
    if (!v) {
      status = cli_usage("batch", "%s: not one JSON value", where);
      break;
    }
    status = fn(b, v, lineno, where, ud);
    cJSON_Delete(v);
  }
  if (status == CLI_OK && ferror(f)) status = cli_usage("batch", "cannot read '%s'", path);
  free(line);
  fclose(f);
  return status;
}

static int manifest_line(batch *b, cJSON *v, size_t lineno, const char *where, void *ud) {
  (void)lineno;
  return manifest_job(b, v, where, ud);
}

static int read_manifest(batch *b) {
  bool oom = false;
  char *dir = dir_of(b->manifest, &oom);
  if (oom) {
    cli_error("out of memory");
    return CLI_FAILED;
  }
  int status = each_line(b, b->manifest, "manifest", manifest_line, dir);
  free(dir);
  return status;
}

/* One sweep line as a job: id "sweep:LINE:HASH", HASH the first 12 hex
 * digits of FNV-1a 64 over cJSON's unformatted print of the patch (so
 * white space and escapes in the line do not change it). */
static int sweep_line(batch *b, cJSON *v, size_t lineno, const char *where, void *ud) {
  (void)ud;
  char *canon = cJSON_PrintUnformatted(v);
  if (!canon) {
    cli_error("out of memory");
    return CLI_FAILED;
  }
  char id[64];
  snprintf(id, sizeof id, "sweep:%zu:%012" PRIx64, lineno,
           fnv1a(FNV_OFFSET, canon, strlen(canon)) >> 16);
  cJSON_free(canon);
  job *j;
  int status = add_job(b, JOB_SWEEP, id, where, &j);
  if (status != CLI_OK) return status;
  /* A stage the patch names in the model's pipeline is the job's own, and
   * beats the global option. */
  const cJSON *pl = cJSON_GetObjectItemCaseSensitive(v, "pipeline");
  if (cJSON_IsObject(pl)) {
    for (int k = 0; k < SCORING_KINDS; k++) {
      const cJSON *s = cJSON_GetObjectItemCaseSensitive(pl, stage_key[k]);
      j->own_stage[k] = s && !cJSON_IsNull(s);
    }
    const cJSON *an = cJSON_GetObjectItemCaseSensitive(pl, "analyses");
    j->own_analyses = an && !cJSON_IsNull(an);
  }
  j->patch = cJSON_Duplicate(v, 1);
  if (!j->patch) {
    cli_error("out of memory");
    return CLI_FAILED;
  }
  return CLI_OK;
}

/* Reads a whole file; NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 14, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    if (n == cap) {
      char *p = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
      if (!p) {
        free(buf);
        buf = NULL;
        errno = ENOMEM;
        break;
      }
      buf = p;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  if (buf && ferror(f)) {
    free(buf);
    buf = NULL;
    errno = EIO;
  }
  int err = errno;
  fclose(f);
  errno = err;
  if (buf) *len = n;
  return buf;
}

static int read_sweep(batch *b) {
  size_t len = 0;
  char *text = read_file(b->base_model, &len);
  if (!text)
    return cli_usage("batch", "cannot read the base model '%s': %s", b->base_model,
                     strerror(errno));
  const char *end = NULL;
  b->base = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  free(text);
  if (!b->base) return cli_usage("batch", "%s: the base model is not JSON", b->base_model);
  bool oom = false;
  b->base_dir = dir_of(b->base_model, &oom);
  if (oom) {
    cli_error("out of memory");
    return CLI_FAILED;
  }
  return each_line(b, b->sweep, "sweep", sweep_line, NULL);
}

static int build_jobs(batch *b) {
  int status = CLI_OK;
  for (size_t i = 0; status == CLI_OK && i < b->ninputs; i++) {
    const char *path = b->inputs[i];
    struct stat st;
    if (stat(path, &st) != 0)
      status = cli_usage("batch", "cannot read '%s': %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
      status = add_folder(b, path);
    else
      status = add_file_job(b, path);
  }
  if (status == CLI_OK && b->manifest) status = read_manifest(b);
  if (status == CLI_OK && b->sweep) status = read_sweep(b);
  strset_free(&b->ids); /* only needed to catch duplicates */
  return status;
}

/* ---- resume ------------------------------------------------------------------------
 * Reads the output of an earlier run: the id and input of every "ok" line.
 * A last line without its newline was cut short (a disk that filled, a
 * tool that truncated the file): it is cut off, with a warning, so the
 * lines appended now start on a line of their own. */
static int read_previous(batch *b) {
  FILE *f = fopen(b->run.output, "rb");
  if (!f) {
    if (errno == ENOENT) return CLI_OK; /* nothing done yet */
    return cli_usage("batch", "--resume: cannot read '%s': %s", b->run.output, strerror(errno));
  }
  char *line = NULL;
  size_t cap = 0, lineno = 0, bad = 0;
  off_t at = 0, cut = -1;
  ssize_t len;
  int status = CLI_OK;
  while ((len = getline(&line, &cap, f)) >= 0) {
    lineno++;
    if (line[len - 1] != '\n') {
      cut = at;
      break;
    }
    at += len;
    cJSON *v = blank(line, (size_t)len) ? NULL : parse_line(line, (size_t)len);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(v, "id");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(v, "status");
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(v, "input");
    if (!cJSON_IsString(id) || !cJSON_IsString(st)) {
      if (++bad <= 5) cli_error("warning: %s:%zu: not a line of batch output; ignored",
                                b->run.output, lineno);
    } else if (strcmp(st->valuestring, "ok") == 0 && cJSON_IsString(in)) {
      size_t n = strlen(id->valuestring) + strlen(in->valuestring) + 2;
      char *key = malloc(n);
      if (key) snprintf(key, n, "%s\n%s", id->valuestring, in->valuestring);
      if (!key || strset_add(&b->done, key) < 0) {
        cli_error("out of memory");
        status = CLI_FAILED;
      }
      free(key);
    }
    cJSON_Delete(v);
    if (status != CLI_OK) break;
  }
  if (status == CLI_OK && ferror(f))
    status = cli_usage("batch", "--resume: cannot read '%s'", b->run.output);
  free(line);
  fclose(f);
  if (bad > 5) cli_error("warning: %s: %zu lines in all ignored", b->run.output, bad);
  if (status == CLI_OK && cut >= 0) {
    cli_error("warning: %s:%zu: the last line is incomplete; it is dropped and its job rerun",
              b->run.output, lineno);
    if (ftruncate(b->fd, cut) != 0) {
      cli_error("cannot cut the incomplete line off '%s': %s", b->run.output, strerror(errno));
      status = CLI_FAILED;
    }
  }
  return status;
}

/* ---- output ------------------------------------------------------------------------- */
/* Opens the output for appending.  A file is locked first (a lock the
 * system drops when the program ends, however it ends), so that two
 * batches never write one file: two resumed runs at once would run and
 * write the same jobs twice.  Then, unless resuming, it is emptied. */
static int open_output(batch *b) {
  if (!b->run.output || strcmp(b->run.output, "-") == 0) {
    b->fd = STDOUT_FILENO;
  } else {
    b->fd = open(b->run.output, O_WRONLY | O_CREAT | O_APPEND, 0666);
    if (b->fd < 0) {
      int err = errno;
      cli_error("cannot write '%s': %s", b->run.output, strerror(err));
      return err == ENOSPC || err == EIO || err == ENOMEM ? CLI_FAILED : CLI_USAGE;
    }
  }
  struct stat st;
  b->fd_syncs = fstat(b->fd, &st) == 0 && S_ISREG(st.st_mode);
  if (!b->fd_syncs || b->fd == STDOUT_FILENO) return CLI_OK;
  struct flock lk;
  memset(&lk, 0, sizeof lk);
  lk.l_type = F_WRLCK;
  lk.l_whence = SEEK_SET; /* l_start 0, l_len 0: the whole file */
  if (fcntl(b->fd, F_SETLK, &lk) != 0) {
    if (errno == EACCES || errno == EAGAIN)
      return cli_usage("batch", "'%s' is being written by another batch", b->run.output);
    cli_error("cannot lock '%s': %s", b->run.output, strerror(errno));
    return CLI_FAILED;
  }
  if (!b->resume && ftruncate(b->fd, 0) != 0) {
    cli_error("cannot write '%s': %s", b->run.output, strerror(errno));
    return CLI_FAILED;
  }
  return CLI_OK;
}

static bool sync_output(batch *b) {
  b->since_sync = 0;
  if (!b->fd_syncs || fsync(b->fd) == 0) return true;
  cli_error("cannot write '%s': %s", b->run.output ? b->run.output : "standard output",
            strerror(errno));
  return false;
}

/* Writes one finished job's text.  Called under the lock, so lines never
 * interleave.  It is one write() of the whole text; a second only when the
 * kernel took part of it (a full disk, a signal), and then a torn line is
 * possible, which --resume drops. */
static void write_text(batch *b, const char *p, size_t n) {
  if (b->write_failed) return;
  while (n > 0) {
    ssize_t w = write(b->fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      cli_error("cannot write '%s': %s", b->run.output ? b->run.output : "standard output",
                w < 0 ? strerror(errno) : "nothing written");
      b->write_failed = b->stop = true;
      return;
    }
    p += w;
    n -= (size_t)w;
  }
  if (b->fsync_every && ++b->since_sync >= b->fsync_every && !sync_output(b))
    b->write_failed = b->stop = true;
}

/* ---- running one job ------------------------------------------------------------------ */
typedef enum job_status { JS_OK, JS_ERROR, JS_SKIPPED, JS_DROPPED } job_status;

typedef struct job_run {
  double deadline;   /* INFINITY without --job-timeout */
  bool interrupted;  /* the progress callback stopped an analysis for Ctrl-C */
} job_run;

static int job_progress(void *ud, const char *analysis, uint64_t done, uint64_t total) {
  job_run *r = ud;
  (void)analysis;
  (void)done;
  (void)total;
  if (cli_interrupted()) {
    r->interrupted = true;
    return 1;
  }
  return cli_now() > r->deadline;
}

/* The error codes of the output: short, stable tokens for scripts. */
static const char *code_token(int rc) {
  switch (rc) {
  case PARLEY_ENOMEM: return "nomem";
  case PARLEY_EIO: return "io";
  case PARLEY_ESYNTAX: return "syntax";
  case PARLEY_EINVALID: return "invalid";
  case PARLEY_ENOTFOUND: return "notfound";
  case PARLEY_EUSAGE: return "usage";
  default: return "error";
  }
}

/* What a job gave: its text for the output (NULL for none) and how it
 * counts. */
typedef struct job_done {
  job_status status;
  char *text;
  size_t len;
  char *message; /* JS_ERROR with --format csv: for stderr */
} job_done;

/* The job's model text: the file, or the base model with the patch. */
static char *model_text(const batch *b, const job *j, size_t *len, char *why, size_t nwhy) {
  if (j->kind != JOB_SWEEP) {
    char *text = read_file(j->path, len);
    if (!text) snprintf(why, nwhy, "%s: cannot read: %s", j->path, strerror(errno));
    return text;
  }
  cJSON *doc = cJSON_Duplicate(b->base, 1);
  doc = doc ? cli_merge_patch(doc, j->patch) : NULL;
  char *printed = doc ? cJSON_PrintUnformatted(doc) : NULL;
  cJSON_Delete(doc);
  char *text = printed ? xstrdup(printed) : NULL; /* out of cJSON's allocator */
  cJSON_free(printed);
  if (!text) snprintf(why, nwhy, "out of memory applying the patch");
  else *len = strlen(text);
  return text;
}

/* The fingerprint of a job's input, for --resume: FNV-1a 64 over the
 * library version, the model text and each option that shapes the result
 * (the four stages, the analyses, the seed, the plugin folders), in 16 hex
 * digits. */
static void input_hash(char out[17], const batch *b, const char *text, size_t len,
                       const char *const *stage, const char *const *an, size_t nan) {
  uint64_t h = fnv1a_field(FNV_OFFSET, parley_version());
  h = fnv1a(h, text, len);
  h = fnv1a(h, "", 1);
  for (int k = 0; k < SCORING_KINDS; k++) h = fnv1a_field(h, stage[k] ? stage[k] : "\x01");
  char num[32];
  snprintf(num, sizeof num, "%zu", nan);
  h = fnv1a_field(h, num);
  for (size_t i = 0; i < nan; i++) h = fnv1a_field(h, an[i]);
  snprintf(num, sizeof num, "%" PRIu64, b->run.seed);
  h = fnv1a_field(h, num);
  for (size_t i = 0; i < b->run.plugins.ndirs; i++) h = fnv1a_field(h, b->run.plugins.dirs[i]);
  snprintf(out, 17, "%016" PRIx64, h);
}

/* Sets the plugin limits for the time the job has left. */
static int set_plugin_limits(parley_engine *engine, const batch *b, double deadline) {
  parley_plugin_options po = b->run.plugins.opts;
  po.seed = b->run.seed;
  if (isfinite(deadline)) {
    /* Rounded up to the millisecond, so that a plugin stopped by it has
     * always passed the job's deadline. */
    double limit = po.seconds > 0 ? po.seconds : 10.0;
    double left = ceil((deadline - cli_now()) * 1000) / 1000;
    if (left < limit) po.seconds = left > 1e-3 ? left : 1e-3;
  }
  return parley_engine_set_plugin_options(engine, &po);
}

static void line_head(sbuf *s, const job *j, const char *status, const char *hash, double secs) {
  sb_puts(s, "{\"id\":");
  sb_json_string(s, j->id);
  sb_puts(s, ",\"status\":\"");
  sb_puts(s, status);
  sb_puts(s, "\",\"input\":");
  if (hash) sb_json_string(s, hash);
  else sb_puts(s, "null");
  sb_printf(s, ",\"seconds\":%.3f", secs);
}

static void error_text(job_done *d, const batch *b, const job *j, const char *hash, double secs,
                       const char *code, const char *message) {
  d->status = JS_ERROR;
  sbuf s = {0};
  if (b->format == OUT_CSV) {
    /* The table has no place for errors: they go to stderr. */
    sb_puts(&s, j->id);
    sb_puts(&s, ": ");
    sb_puts(&s, code);
    sb_puts(&s, ": ");
    sb_puts(&s, message);
    if (!s.oom) d->message = s.p;
    else free(s.p);
    return;
  }
  line_head(&s, j, "error", hash, secs);
  sb_puts(&s, ",\"error\":{\"code\":");
  sb_json_string(&s, code);
  sb_puts(&s, ",\"message\":");
  sb_json_string(&s, message);
  sb_puts(&s, "}}\n");
  if (s.oom) {
    free(s.p);
    return; /* counted as failed, with no line */
  }
  d->text = s.p;
  d->len = s.n;
}

/* The result as one line (JSON Lines) or rows (CSV).  false out of memory
 * or when the engine could not format it (msg set). */
static bool ok_text(job_done *d, const batch *b, const job *j, const char *hash, double secs,
                    parley_engine *engine, const parley_result *res, char *msg, size_t nmsg) {
  sbuf s = {0};
  if (b->format == OUT_CSV) {
    const parley_model *m = parley_result_model(res);
    size_t strategy;
    double score;
    int rank;
    for (size_t i = 0; parley_result_ranking(res, i, &strategy, &score, &rank) == PARLEY_OK;
         i++) {
      char num[40];
      fmt_number(num, sizeof num, score);
      sb_csv_field(&s, j->id);
      sb_puts(&s, ",");
      sb_csv_field(&s, parley_model_id(m, PARLEY_STRATEGIES, strategy));
      sb_printf(&s, ",%d,%s\n", rank, strcmp(num, "null") == 0 ? "" : num);
    }
  } else {
    char *doc = NULL;
    int rc = parley_result_format(engine, res, "json", &doc, NULL);
    if (rc != PARLEY_OK) {
      snprintf(msg, nmsg, "%s", parley_engine_errmsg(engine));
      return false;
    }
    cJSON_Minify(doc); /* white space outside strings only; numbers keep their text */
    line_head(&s, j, "ok", hash, secs);
    sb_puts(&s, ",\"result\":");
    sb_puts(&s, doc);
    sb_puts(&s, "}\n");
    parley_free(engine, doc);
  }
  if (s.oom) {
    free(s.p);
    snprintf(msg, nmsg, "out of memory writing the result");
    return false;
  }
  d->status = JS_OK;
  d->text = s.p;
  d->len = s.n;
  return true;
}

static void run_job(batch *b, parley_engine *engine, const job *j, job_done *d) {
  memset(d, 0, sizeof *d);
  double start = cli_now();
  job_run r = {b->job_timeout > 0 ? start + b->job_timeout : INFINITY, false};
  char msg[MESSAGE_MAX];

  const char *stage[SCORING_KINDS];
  for (int k = 0; k < SCORING_KINDS; k++)
    stage[k] = j->stage[k] ? j->stage[k] : j->own_stage[k] ? NULL : b->run.stage[k];
  const char *const *an = j->own_analyses ? (const char *const *)j->analyses : b->run.analyses;
  size_t nan = j->own_analyses ? j->n_analyses : b->run.n_analyses;

  size_t len = 0;
  char *text = model_text(b, j, &len, msg, sizeof msg);
  if (!text) {
    error_text(d, b, j, NULL, cli_now() - start, j->kind == JOB_SWEEP ? "nomem" : "io", msg);
    return;
  }
  char hash[17];
  input_hash(hash, b, text, len, stage, an, nan);
  size_t klen = strlen(j->id) + 18;
  char *key = malloc(klen);
  if (key) snprintf(key, klen, "%s\n%s", j->id, hash);
  bool done = key && strset_has(&b->done, key);
  free(key);
  if (done) {
    free(text);
    d->status = JS_SKIPPED;
    return;
  }

  /* A model file is loaded as `parley run` loads it, so that the messages
   * are the same; a sweep's model is named after the base model (positions
   * in its messages are in the patched text). */
  parley_model *model = NULL;
  parley_result *res = NULL;
  int rc = set_plugin_limits(engine, b, r.deadline);
  if (rc == PARLEY_OK && j->kind == JOB_SWEEP)
    rc = parley_model_parse(engine, &model, text, len, b->base_model, b->base_dir);
  else if (rc == PARLEY_OK)
    rc = parley_model_load(engine, &model, j->path);
  free(text);
  if (rc == PARLEY_OK) rc = set_plugin_limits(engine, b, r.deadline);
  if (rc == PARLEY_OK) {
    parley_run_options o = PARLEY_RUN_OPTIONS_INIT;
    o.stage[PARLEY_STAGE_WEIGHTING] = stage[0];
    o.stage[PARLEY_STAGE_NORMALIZATION] = stage[1];
    o.stage[PARLEY_STAGE_AGGREGATION] = stage[2];
    o.stage[PARLEY_STAGE_RULE] = stage[3];
    o.analyses = an;
    o.n_analyses = nan;
    o.seed = b->run.seed;
    o.threads = b->run.threads;
    o.progress = job_progress;
    o.progress_ud = &r;
    rc = parley_run(engine, model, &o, &res);
  }
  if (rc != PARLEY_OK) snprintf(msg, sizeof msg, "%s", parley_engine_errmsg(engine));
  parley_model_free(model);
  double secs = cli_now() - start;

  if (r.interrupted) {
    d->status = JS_DROPPED; /* stopped for Ctrl-C: not an answer; rerun on --resume */
  } else if (cli_now() > r.deadline) {
    char why[MESSAGE_MAX + 128];
    snprintf(why, sizeof why, "the job ran %.3f s, over the --job-timeout of %g s%s%s", secs,
             b->job_timeout, rc != PARLEY_OK ? ": " : "", rc != PARLEY_OK ? msg : "");
    error_text(d, b, j, hash, secs, "timeout", why);
  } else if (rc != PARLEY_OK) {
    error_text(d, b, j, hash, secs, code_token(rc), *msg ? msg : parley_code_name(rc));
  } else if (!ok_text(d, b, j, hash, secs, engine, res, msg, sizeof msg)) {
    error_text(d, b, j, hash, secs, "nomem", msg);
  }
  parley_result_free(res);
}

/* ---- the workers ------------------------------------------------------------------------ */
/* Hands a finished job to the output, under the lock: at once, or with
 * --ordered when every job before it is written. */
static void finish_job(batch *b, size_t i, job_done *d) {
  switch (d->status) {
  case JS_OK: b->n_ok++; break;
  case JS_ERROR: b->n_failed++; break;
  case JS_SKIPPED: b->n_skipped++; break;
  case JS_DROPPED: b->n_dropped++; break;
  }
  if (d->message) {
    cli_error("%s", d->message);
    free(d->message);
  }
  job *j = &b->jobs[i];
  j->finished = true;
  if (!b->ordered) {
    if (d->text) write_text(b, d->text, d->len);
    free(d->text);
    return;
  }
  j->out = d->text;
  j->out_len = d->len;
  while (b->next_write < b->njobs && b->jobs[b->next_write].finished) {
    job *w = &b->jobs[b->next_write++];
    if (w->out) write_text(b, w->out, w->out_len);
    free(w->out);
    w->out = NULL;
  }
}

typedef struct worker {
  batch *b;
  parley_engine *engine; /* the first worker's comes from the main thread */
  pthread_t thread;
  bool started;
} worker;

static void *work(void *arg) {
  worker *w = arg;
  batch *b = w->b;
  if (!w->engine && cli_engine_start(&w->engine, &b->run.plugins) != CLI_OK) w->engine = NULL;
  for (;;) {
    pthread_mutex_lock(&b->lock);
    bool take = w->engine && !b->stop && !cli_interrupted() && b->next < b->njobs;
    size_t i = take ? b->next++ : 0;
    pthread_mutex_unlock(&b->lock);
    if (!take) break;
    job_done d;
    run_job(b, w->engine, &b->jobs[i], &d);
    pthread_mutex_lock(&b->lock);
    finish_job(b, i, &d);
    pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->lock);
  }
  parley_engine_free(w->engine);
  w->engine = NULL;
  pthread_mutex_lock(&b->lock);
  b->running--;
  pthread_cond_broadcast(&b->changed);
  pthread_mutex_unlock(&b->lock);
  return NULL;
}

/* ---- progress ------------------------------------------------------------------------------ */
/* "120/1000 done, 2 failed, 45.1 jobs/s, 0:19 left"; skipped jobs count as
 * done but not in the rate. */
static void progress_text(char *out, size_t n, const batch *b, double elapsed) {
  size_t done = b->n_ok + b->n_failed + b->n_skipped + b->n_dropped;
  size_t ran = b->n_ok + b->n_failed;
  double rate = elapsed > 0 ? (double)ran / elapsed : 0;
  char left[24];
  cli_clock_text(left, sizeof left, rate > 0 ? (double)(b->njobs - done) / rate : -1);
  snprintf(out, n, "%zu/%zu done, %zu failed, %.1f jobs/s, %s left", done, b->njobs,
           b->n_failed, rate, left);
}

/* Waits for the workers, showing progress on stderr: a line redrawn in
 * place on a terminal, a plain line every few seconds elsewhere, nothing
 * with --quiet. */
static void watch(batch *b, double start) {
  bool tty = !b->quiet && isatty(STDERR_FILENO);
  double every = tty ? 0.2 : 5.0, last = start;
  bool shown = false;
  pthread_mutex_lock(&b->lock);
  while (b->running > 0) {
    /* Woken by each finished job, or after a short wait at most. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long ns = ts.tv_nsec + (tty ? 200000000L : 999999999L);
    ts.tv_sec += ns / 1000000000L;
    ts.tv_nsec = ns % 1000000000L;
    pthread_cond_timedwait(&b->changed, &b->lock, &ts);
    double t = cli_now();
    if (b->quiet || b->running == 0 || t - last < every) continue;
    last = t;
    char text[160];
    progress_text(text, sizeof text, b, t - start);
    if (tty) {
      fprintf(stderr, "\rparley batch: %-70s", text);
      shown = true;
    } else {
      fprintf(stderr, "parley: batch: %s\n", text);
    }
    fflush(stderr);
  }
  pthread_mutex_unlock(&b->lock);
  if (shown) fprintf(stderr, "\r%*s\r", 86, "");
}

/* ---- options --------------------------------------------------------------------------------- */
/* batch's own; the options of a run are CLI_O_* (cli.h), --format among
 * them (read here: a batch writes jsonl or csv). */
enum {
  O_JOBS,
  O_ORDERED,
  O_RESUME,
  O_JOB_TIMEOUT,
  O_QUIET,
  O_FSYNC_EVERY,
  O_MANIFEST,
  O_SWEEP,
  O_MODEL,
  O_SHARD,
  O_HELP
};

static const cli_opt batch_opts[] = {
    CLI_STAGE_OPTS,
    {"--analysis", true, CLI_O_ANALYSIS},
    CLI_RUN_OPTS,
    {"--jobs", true, O_JOBS},
    {"--ordered", false, O_ORDERED},
    {"--resume", false, O_RESUME},
    {"--job-timeout", true, O_JOB_TIMEOUT},
    {"--quiet", false, O_QUIET},
    {"--fsync-every", true, O_FSYNC_EVERY},
    {"--manifest", true, O_MANIFEST},
    {"--sweep", true, O_SWEEP},
    {"--model", true, O_MODEL},
    {"--shard", true, O_SHARD},
    {"--help", false, O_HELP},
    {"-h", false, O_HELP},
    CLI_PLUGIN_OPTS,
    {NULL, false, 0}};

static int push_str(const char ***v, size_t *n, const char *s) {
  const char **p = realloc(*v, (*n + 1) * sizeof *p);
  if (!p) {
    cli_error("out of memory");
    return CLI_FAILED;
  }
  p[(*n)++] = s;
  *v = p;
  return CLI_OK;
}

static int batch_option(batch *b, int id, const char *v) {
  char *end;
  double s;
  switch (id) {
  case O_JOBS:
    if (!cli_parse_nonneg_int(v, &b->workers))
      return cli_usage("batch", "--jobs: '%s' is not a whole number from 0 up", v);
    return CLI_OK;
  case O_ORDERED: b->ordered = true; return CLI_OK;
  case CLI_O_FORMAT:
    if (strcmp(v, "jsonl") == 0) b->format = OUT_JSONL;
    else if (strcmp(v, "csv") == 0) b->format = OUT_CSV;
    else return cli_usage("batch", "--format: '%s' is not a batch format (jsonl, csv)", v);
    return CLI_OK;
  case O_RESUME: b->resume = true; return CLI_OK;
  case O_JOB_TIMEOUT:
    s = strtod(v, &end);
    if (!*v || *end || !isfinite(s) || !(s > 0) || s > 1e9)
      return cli_usage("batch", "--job-timeout: '%s' is not a number of seconds above 0", v);
    b->job_timeout = s;
    return CLI_OK;
  case O_QUIET: b->quiet = true; return CLI_OK;
  case O_FSYNC_EVERY:
    if (!cli_parse_u64(v, &b->fsync_every))
      return cli_usage("batch", "--fsync-every: '%s' is not a whole number from 0 up", v);
    return CLI_OK;
  case O_MANIFEST: b->manifest = v; return CLI_OK;
  case O_SWEEP: b->sweep = v; return CLI_OK;
  case O_MODEL: b->base_model = v; return CLI_OK;
  case O_SHARD:
    return cli_usage("batch", "--shard: sharding a batch across machines is not available yet");
  case O_HELP: b->help = true; return CLI_OK;
  default: return cli_run_option(&b->run, "batch", id, v);
  }
}

static int parse_batch(batch *b, int argc, char **argv) {
  cli_args a;
  cli_args_init(&a, argc, argv, 2, "batch");
  for (;;) {
    int id;
    const char *v;
    int kind = cli_args_next(&a, batch_opts, &id, &v);
    if (kind == CLI_ARG_END) break;
    if (kind == CLI_ARG_ERROR) return CLI_USAGE;
    int status = kind == CLI_ARG_POSITIONAL ? push_str(&b->inputs, &b->ninputs, v)
                                            : batch_option(b, id, v);
    if (status != CLI_OK) return status;
  }
  if (b->help) return CLI_OK;
  for (size_t i = 0; i < b->ninputs; i++)
    if (strcmp(b->inputs[i], "-") == 0)
      return cli_usage("batch", "batch reads models from files, not standard input");
  if (b->sweep && !b->base_model) {
    /* The one positional model is the sweep's base. */
    if (b->ninputs != 1)
      return cli_usage("batch", "--sweep needs one base model: --model FILE");
    b->base_model = b->inputs[0];
    b->ninputs = 0;
  }
  if (b->base_model && !b->sweep)
    return cli_usage("batch", "--model names the base model of a --sweep");
  if (!b->ninputs && !b->manifest && !b->sweep)
    return cli_usage("batch", "batch needs model files, folders, --manifest or --sweep");
  if (b->run.output && !*b->run.output) return cli_usage("batch", "--output needs a file name");
  bool to_stdout = !b->run.output || strcmp(b->run.output, "-") == 0;
  if (b->resume && to_stdout)
    return cli_usage("batch", "--resume needs the --output FILE of the run to resume");
  if (b->resume && b->format == OUT_CSV)
    return cli_usage("batch", "--resume reads JSON Lines output; it does not work with "
                              "--format csv");
  if (b->workers == 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    b->workers = n > 0 && n < 4096 ? (int)n : 1;
  }
  return CLI_OK;
}

/* Whether the registry has a stage of this kind named as spec begins. */
static bool stage_known(const parley_engine *engine, int kind, const char *spec) {
  size_t len = strcspn(spec, ":"), n = parley_stage_count(engine, kind);
  for (size_t i = 0; i < n; i++) {
    parley_stage_info info;
    if (parley_stage_get(engine, kind, i, &info) != PARLEY_OK) break;
    if (strlen(info.name) == len && strncmp(info.name, spec, len) == 0) return true;
  }
  return false;
}

/* A global stage that does not exist would fail every job: it is bad
 * usage, said once.  (Parameters are checked by each run.) */
static int check_global_stages(const batch *b, const parley_engine *engine) {
  static const int kinds[SCORING_KINDS] = {PARLEY_STAGE_WEIGHTING, PARLEY_STAGE_NORMALIZATION,
                                           PARLEY_STAGE_AGGREGATION, PARLEY_STAGE_RULE};
  for (int k = 0; k < SCORING_KINDS; k++)
    if (b->run.stage[k] && !stage_known(engine, kinds[k], b->run.stage[k]))
      return cli_usage("batch", "--%s: unknown %s '%.*s' (see 'parley plugins --kind %s')",
                       stage_key[k], stage_key[k], (int)strcspn(b->run.stage[k], ":"),
                       b->run.stage[k], stage_key[k]);
  for (size_t i = 0; i < b->run.n_analyses; i++)
    if (!stage_known(engine, PARLEY_STAGE_ANALYSIS, b->run.analyses[i]))
      return cli_usage("batch", "--analysis: unknown analysis '%.*s' (see 'parley plugins "
                                "--kind analysis')",
                       (int)strcspn(b->run.analyses[i], ":"), b->run.analyses[i]);
  return CLI_OK;
}

/* Starts the workers, waits for them, and says how it went.  first is the
 * engine of the first worker (freed here in any case). */
static int run_batch(batch *b, parley_engine *first) {
  size_t n = b->njobs < (size_t)b->workers ? b->njobs : (size_t)b->workers;
  worker *w = n ? calloc(n, sizeof *w) : NULL;
  if (n && !w) {
    parley_engine_free(first);
    cli_error("out of memory");
    return CLI_FAILED;
  }
  double start = cli_now();
  cli_interrupt_install();
  size_t started = 0;
  for (size_t i = 0; i < n; i++) {
    w[i].b = b;
    w[i].engine = i == 0 ? first : NULL;
    pthread_mutex_lock(&b->lock);
    b->running++;
    pthread_mutex_unlock(&b->lock);
    if (pthread_create(&w[i].thread, NULL, work, &w[i]) == 0) {
      w[i].started = true;
      started++;
      continue;
    }
    pthread_mutex_lock(&b->lock);
    b->running--;
    pthread_mutex_unlock(&b->lock);
    parley_engine_free(w[i].engine);
    w[i].engine = NULL;
  }
  if (n == 0) parley_engine_free(first);
  watch(b, start);
  for (size_t i = 0; i < n; i++)
    if (w[i].started) pthread_join(w[i].thread, NULL);
  free(w);
  bool interrupted = cli_interrupted();
  cli_interrupt_restore();
  if (!b->write_failed && !sync_output(b)) b->write_failed = true;

  size_t not_run = b->njobs - b->n_ok - b->n_failed - b->n_skipped;
  if (n > 0 && started == 0) cli_error("cannot start the workers");
  if (!b->quiet || b->n_failed || not_run)
    cli_error("batch: %zu %s: %zu ok, %zu failed, %zu already done, %zu not run (%.1f s)",
              b->njobs, b->njobs == 1 ? "job" : "jobs", b->n_ok, b->n_failed, b->n_skipped,
              not_run, cli_now() - start);
  if (interrupted) cli_error("interrupted: --resume runs the jobs not done");
  if (b->write_failed || interrupted || b->n_failed || not_run) return CLI_FAILED;
  return CLI_OK;
}

static void batch_free(batch *b) {
  for (size_t i = 0; i < b->njobs; i++) job_clear(&b->jobs[i]);
  free(b->jobs);
  strset_free(&b->ids);
  strset_free(&b->done);
  cJSON_Delete(b->base);
  free(b->base_dir);
  free(b->inputs);
  cli_run_args_free(&b->run);
}

int cli_batch(int argc, char **argv) {
  batch b;
  memset(&b, 0, sizeof b);
  cli_run_args_init(&b.run);
  b.run.threads = 1; /* the jobs are the parallelism */
  b.fsync_every = 100;
  b.fd = -1;
  pthread_mutex_init(&b.lock, NULL);
  pthread_cond_init(&b.changed, NULL);

  int status = parse_batch(&b, argc, argv);
  parley_engine *first = NULL;
  if (status == CLI_OK && b.help) {
    status = cli_help(NULL, "batch", false);
  } else if (status == CLI_OK) {
    status = cli_engine_start(&first, &b.run.plugins);
    if (status == CLI_OK) status = check_global_stages(&b, first);
    if (status == CLI_OK) status = build_jobs(&b);
    if (status == CLI_OK) status = open_output(&b);
    if (status == CLI_OK && b.resume) status = read_previous(&b);
    if (status == CLI_OK && b.format == OUT_CSV) {
      static const char header[] = "id,strategy,rank,score\n";
      write_text(&b, header, sizeof header - 1);
      if (b.write_failed) status = CLI_FAILED;
    }
    if (status == CLI_OK) {
      status = run_batch(&b, first);
      first = NULL; /* the first worker's */
    }
  }
  parley_engine_free(first);
  if (b.fd >= 0 && b.fd != STDOUT_FILENO && close(b.fd) != 0 && status == CLI_OK) {
    cli_error("cannot write '%s': %s", b.run.output, strerror(errno));
    status = CLI_FAILED;
  }
  batch_free(&b);
  pthread_cond_destroy(&b.changed);
  pthread_mutex_destroy(&b.lock);
  return status;
}
