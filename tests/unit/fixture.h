/*
 * fixture.h — what the unit tests share, compiled into every one of them
 * (fixture.c): tolerance and status asserts; an allocator that fails a
 * chosen call, and the loop that fails each allocation of a pass in turn;
 * models built through the C API; analysis and diagnostics JSON read back
 * with cJSON.  A test that includes internal.h before this header also gets
 * the hand-made run: a model filled on the heap and a run context around
 * it, so a stage is called directly, with no loader and no pipeline.
 * The public-API tests include parley.h only and see none of that part.
 */
#ifndef PARLEY_TEST_FIXTURE_H
#define PARLEY_TEST_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "parley.h"

/* ---- asserts -------------------------------------------------------------------- */
/* |a - b| <= tol, with both numbers in the message (a NaN never passes). */
#define assert_near(a, b, tol)                                                                \
  do {                                                                                       \
    double a_ = (a), b_ = (b), t_ = (tol);                                                   \
    if (!(fabs(a_ - b_) <= t_))                                                              \
      fail_msg("%s = %.17g, expected %.17g (+- %g, off by %.3g)", #a, a_, b_, t_,            \
               fabs(a_ - b_));                                                               \
  } while (0)

/* A call of the public API that must succeed; the engine's message if not. */
#define assert_ok(engine, call)                                                               \
  do {                                                                                        \
    int rc_ = (call);                                                                         \
    if (rc_ != PARLEY_OK)                                                                     \
      fail_msg("%s -> %d: %s", #call, rc_, parley_engine_errmsg(engine));                     \
  } while (0)

/* haystack (which may be NULL) holds needle. */
#define assert_contains(haystack, needle)                                                     \
  do {                                                                                        \
    const char *h_ = (haystack);                                                              \
    if (!h_ || !strstr(h_, (needle)))                                                         \
      fail_msg("expected \"%s\" in \"%s\"", (needle), h_ ? h_ : "(null)");                    \
  } while (0)

/* ---- allocation failures ----------------------------------------------------------- */
/* An engine allocator (parley_engine_options.alloc, ud a failing) that
 * fails its Nth allocation or growth and counts the blocks alive, so a leak
 * shows without a sanitizer; it also notices two threads inside it at once,
 * which the engine promises never happens.  Lua's test allocator (ltests.c,
 * "failnext") is the model. */
typedef struct failing {
  size_t calls;        /* allocations and reallocations so far */
  size_t fail_at;      /* fail the call with this number; 0: never */
  size_t failed;       /* how many calls were failed */
  long live;           /* blocks allocated and not yet freed */
  atomic_int inside;   /* threads in the allocator now */
  atomic_bool overlap; /* two threads were in it at once */
} failing;

void *failing_alloc(void *ud, void *ptr, size_t size);
/* parley_engine_new with failing_alloc over f as the engine's allocator. */
int failing_engine_new(parley_engine **e, failing *f);

/* What every_allocation_failure checks besides PARLEY_ENOMEM and no leak. */
enum {
  ALLOC_RECOVERS = 1,  /* after a failed pass the same engine, memory back, passes */
  ALLOC_ONE_THREAD = 2 /* no two threads were ever in the allocator at once */
};

/* Runs pass(engine, ud) on a fresh engine whose allocator fails its first
 * call, then (a new engine) its second, and so on, until a pass succeeds
 * with no call failed; up to limit calls.  An engine that cannot start must
 * leave nothing allocated; every failed pass must give PARLEY_ENOMEM and
 * leak nothing once the engine is freed; checks adds the ALLOC_ ones.  what
 * names the case in a failure message. */
void every_allocation_failure(const char *what, size_t limit, unsigned checks,
                              int (*pass)(parley_engine *engine, const void *ud),
                              const void *ud);

/* ---- models through the C API ------------------------------------------------------- */
/* A model without scenarios from a decision matrix: strategies sid[ns],
 * criteria cid[nc] (benefit unless dir[c] < 0; dir may be NULL) with
 * weights w, values rows[s * nc + c].  Adds the criteria, then the
 * strategies, then the values, stopping at the first call that fails: its
 * code is returned and *out is NULL (nothing is left allocated). */
int rows_model(parley_engine *e, parley_model **out, const char *name, size_t ns, size_t nc,
               const char *const *sid, const char *const *cid, const int *dir, const double *w,
               const double *rows);

/* ---- published data sets shared by several tests ----------------------------------- */
/* Zavadskas & Turskis (2010), TEDE 16(2), Table 1 (also Keshavarz
 * Ghorabaee et al. 2016, Example 2, Table 5): fourteen office rooms on air
 * per head, relative humidity, air temperature, illumination (benefit), air
 * flow rate and dew point (cost), one row of six a room, and the experts'
 * weights. */
extern const double zt2010_rooms[14 * 6];
extern const int zt2010_dir[6];
extern const double zt2010_w[6];

/* The end of a pass for every_allocation_failure: when rc is PARLEY_OK,
 * formats r in format ("json", "text"; formatting allocates too) and gives
 * that call's code; frees r and m either way (both may be NULL). */
int format_and_free(parley_engine *e, int rc, parley_result *r, parley_model *m,
                    const char *format);

/* r's text report holds needle. */
void report_has(parley_engine *e, const parley_result *r, const char *needle);

/* ---- JSON read back ---------------------------------------------------------------- */
/* The object of the analysis name in r, parsed (the caller deletes it);
 * fails the test when r has no such analysis or its text is not JSON. */
cJSON *analysis_json(const parley_result *r, const char *name);
/* The number at a path of object keys ending with NULL
 * (json_num(x, "a", "b", NULL) is x.a.b); fails the test when a key is
 * missing or the value is not a number. */
double json_num(const cJSON *x, ...);

/* ---- the hand-made run (internal.h included first) ------------------------------------- */
#ifdef PARLEY_INTERNAL_H
#include "methods.h"

enum { FIXTURE_ID = 24 }; /* room for an id, its terminator included */

typedef struct fx {
  parley_engine *e;
  parley_model m;
  parley__criterion *crit; /* m.crit, m.strat, m.scen */
  parley__strategy *strat;
  parley__scenario *scen;
  char (*cid)[FIXTURE_ID], (*sid)[FIXTURE_ID], (*kid)[FIXTURE_ID]; /* their ids */
  double *cube;               /* m.cube: ns * nk * nc, laid out by parley__cell */
  double *na, *nb, *w;        /* the context's maps and weights: nc each */
  double *u, *plus, *minus;   /* room for a stage's output: ns * nk each */
  parley__spec spec;          /* the stage's parameters */
  parley__ctx ctx;
} fx;

typedef struct fx_opts {
  size_t ns, nk, nc;
  const int *dir;      /* NULL: every criterion a benefit */
  const double *w;     /* NULL: equal weights 1 / nc */
  /* rows[(k * ns + s) * nc + c]: the decision matrix as printed, one row
   * per strategy, scenario blocks one after another; NULL: the caller
   * fills cube through parley__cell. */
  const double *rows;
  /* An aggregation to find in the registry (unresolved: parameters are
   * added to spec one by one); NULL: the context has no stage. */
  const char *stage;
  /* Ids: a letter and a number counted from first; a zero letter is c (criteria),
   * s (strategies) or k (scenarios). */
  char crit, strat, scen;
  size_t first;
} fx_opts;

/* A run of the model as opts describe it.  The normalization maps start as
 * the identity (na 1, nb 0), which the pipeline gives a stage that reads
 * the raw values.  drop frees it. */
fx *fixture_new(const fx_opts *opts);
void drop(fx *f);

/* Parses and resolves a stage as the command line gives it (text
 * "waspas:lambda=0.3" after --aggregation) into spec, cleared first, as the
 * pipeline does, so the stage's parameters are checked; fails the test on
 * an error. */
const parley__stage *resolve_stage(parley_engine *e, parley__spec *spec, parley_stage_kind kind,
                                   const char *text);
/* resolve_stage of an aggregation, made the context's stage. */
void use_stage(fx *f, const char *text);

/* Runs an aggregation on the context into u[ns * nk]: it must succeed and
 * every utility must come out finite. */
void aggregate_ok(fx *f, parley__aggregation_fn fn, double *u);
/* The pipeline's weight step: raw weights, each finite and >= 0, divided
 * by their positive sum. */
void weigh_with(fx *f, parley__weighting_fn fn, double *w);
/* weigh_with, then every weight within tol of want[c] (nc of them). */
void weights_near(fx *f, parley__weighting_fn fn, const double *want, double tol);

/* The engine's message holds needle. */
void assert_msg_has(const fx *f, const char *needle);
/* The diagnostics the stage left, parsed (they must be valid JSON; the
 * caller deletes the tree). */
cJSON *diag(const fx *f);
#endif /* PARLEY_INTERNAL_H */

#endif /* PARLEY_TEST_FIXTURE_H */
