/*
 * registry.c — the one table from stage name to implementation.  Each
 * engine owns its registry: it starts with the built-in C stages below, and
 * plugins join it later under the same lookup, so the CLI, the model file's
 * pipeline and the C API reach every stage the same way.  A stage's
 * parameters are declared with their defaults and ranges, so a wrong
 * parameter is caught here, before anything runs.
 */
#include "compare.h"
#include "internal.h"
#include "methods.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const parley__param_def hurwicz_params[] = {
  {"alpha", 0.5, 0.0, 1.0, "coefficient of optimism: weight of the best outcome", PARLEY__PNUM},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

/* Keshavarz Ghorabaee et al. (2016) suggest tau between 0.01 and 0.05. */
static const parley__param_def codas_params[] = {
  {"tau", 0.02, 0.01, 0.05, "Euclidean gap below which the taxicab distance is not counted",
   PARLEY__PNUM},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

static const parley__param_def cocoso_params[] = {
  {"lambda", 0.5, 0.0, 1.0, "weight of the weighted sum S against the power sum P in k_c",
   PARLEY__PNUM},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

/* Zavadskas et al. (2012) use lambda = 0.5 in their Eq. 5. */
static const parley__param_def waspas_params[] = {
  {"lambda", 0.5, 0.0, 1.0, "weight of the weighted sum against the weighted product",
   PARLEY__PNUM},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

static const parley__param_def aras_params[] = {
  {"optimal", 0, 0, 0, "criterion id -> optimal value (default: the best value)", PARLEY__PJSON},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

/* Opricovic & Tzeng (2004): v = 0.5 decides "by consensus". */
static const parley__param_def vikor_params[] = {
  {"v", 0.5, 0.0, 1.0, "weight of the group utility S against the individual regret R",
   PARLEY__PNUM},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

static const parley__param_def promethee_params[] = {
  {"functions", 0, 0, 0, "criterion id -> preference function {\"type\": ..., \"q\", \"p\", \"s\"} "
   "(default: usual)", PARLEY__PJSON},
  {"exact_pairwise", 0, 0, 1, "1: compare every pair (the O(n^2) reference) instead of sorting",
   PARLEY__PNUM},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

/* Roy (1968) leaves both thresholds to the analyst (docs/methods.md). */
static const parley__param_def electre1_params[] = {
  {"concordance", 0.7, 0, 1, "a outranks b only if the weight of the criteria where a is at least "
   "as good reaches this", PARLEY__PNUM},
  {"discordance", 0.3, 0, 1, "a outranks b only if b beats a on no criterion by more than this "
   "fraction of its range", PARLEY__PNUM},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

/* s(l) = alpha l + beta = 0.3 - 0.15 l: Roy & Bouyssou (1993). */
static const parley__param_def electre3_params[] = {
  {"thresholds", 0, 0, 0, "criterion id -> {\"q\", \"p\", \"v\"}: indifference, preference, veto "
   "(default: q = p = 0, no veto)", PARLEY__PJSON},
  {"alpha", -0.15, -1, 1, "slope of the distillation threshold s(l) = alpha l + beta",
   PARLEY__PNUM},
  {"beta", 0.3, 0, 1, "intercept of the distillation threshold s(l) = alpha l + beta",
   PARLEY__PNUM},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

static const parley__param_def montecarlo_params[] = {
  {"n", 10000, 1, 1e12, "iterations", PARLEY__PNUM},
  {"probabilities", 0, 0, 1e9,
   "0: the given probabilities; c > 0: drawn from a Dirichlet of concentration c around them",
   PARLEY__PNUM},
  {"weights", 0, 0, 1e9,
   "0: the run's weights; c > 0: drawn from a Dirichlet of concentration c around them",
   PARLEY__PNUM},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

static const parley__param_def smaa_params[] = {
  {"n", 10000, 1, 1e12, "iterations", PARLEY__PNUM},
  {"confidence", 1, 0, 1, "1: compute the confidence factors (a second pass)", PARLEY__PNUM},
  {"ranking", 0, 0, 0, "criteria, most important first: w1 >= w2 >= ...", PARLEY__PJSON},
  {"intervals", 0, 0, 0, "criterion -> [lo, hi] bounds on its weight", PARLEY__PJSON},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

/* range: in (0, 1]; 1e-9 stands for "just above 0". */
static const parley__param_def sensitivity_params[] = {
  {"range", 0.1, 1e-9, 1, "tornado: how far each weight moves either way", PARLEY__PNUM},
  {"steps", 200, 1, 1e6, "grid cells of the scan where change points are not solved exactly",
   PARLEY__PNUM},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

/* Triantaphyllou & Mann (1989) made a worse copy by subtracting 1 from each
 * value: amount=1.  The tests score the model about n^2 times. */
static const parley__param_def rank_reversal_params[] = {
  {"delta", 0.1, 1e-9, 1, "test 1: a worse copy's values move this fraction of each "
   "criterion's range", PARLEY__PNUM},
  {"amount", 0, 0, 1e300, "test 1: when > 0, the values move by this much instead, in each "
   "criterion's units", PARLEY__PNUM},
  {"each_criterion", 1, 0, 1, "test 1: 1 also makes copies worse on one criterion at a time",
   PARLEY__PNUM},
  {"max_strategies", 500, 1, 10000, "largest model tested", PARLEY__PNUM},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

/* The methods compared: lists of stage specs (strings or {"name": ...}). */
static const parley__param_def compare_params[] = {
  {"aggregations", 0, 0, 0, "aggregations to compare (default: the run's)", PARLEY__PJSON},
  {"rules", 0, 0, 0, "decision rules to compare (default: the run's)", PARLEY__PJSON},
  {"normalization", 0, 0, 0, "normalization of the methods that use one (default: the run's)",
   PARLEY__PSTR},
  {NULL, 0, 0, 0, NULL, PARLEY__PNUM}};

#define W(n, f, s) {PARLEY_STAGE_WEIGHTING, n, s, NULL, 0, {.weighting = f}, "built-in", NULL}
#define N(n, f, s) {PARLEY_STAGE_NORMALIZATION, n, s, NULL, 0, {.normalization = f}, "built-in", NULL}
#define A(n, f, fl, s) {PARLEY_STAGE_AGGREGATION, n, s, NULL, fl, {.aggregation = f}, "built-in", NULL}
#define R(n, f, p, fl, s) {PARLEY_STAGE_RULE, n, s, p, fl, {.rule = f}, "built-in", NULL}
#define O(k, n, s) {k, n, s, NULL, 0, {.other = NULL}, "built-in", NULL}

const parley__stage parley__builtin_stages[] = {
  W("given", parley__w_given, "The model's weights (with actors: their influence-weighted mean)"),
  W("equal", parley__w_equal, "Every criterion the same weight"),
  W("entropy", parley__w_entropy, "Shannon entropy of each criterion's values (Hwang & Yoon 1981)"),
  W("critic", parley__w_critic, "Contrast and conflict between criteria (Diakoulaki et al. 1995)"),
  W("std", parley__w_std, "Standard deviation of each normalized criterion (Wang & Luo 2010)"),
  W("merec", parley__w_merec, "Removal effects of criteria (Keshavarz-Ghorabaee et al. 2021)"),
  W("cilos", parley__w_cilos, "Criterion impact loss (Zavadskas & Podvezko 2016)"),
  W("idocriw", parley__w_idocriw, "Entropy combined with CILOS (Zavadskas & Podvezko 2016)"),
  W("gini", parley__w_gini, "Gini coefficient of each criterion's values (Li & Chi 2009)"),
  W("variance", parley__w_variance, "Variance of each normalized criterion (Rao & Patel 2010)"),
  N("minmax", parley__n_minmax, "(x - min) / (max - min), or the criterion's fixed scale"),
  N("vector", parley__n_vector, "x / sqrt(sum x^2)"),
  N("sum", parley__n_sum, "x / sum x"),
  N("max", parley__n_max, "x / max x"),
  N("none", parley__n_none, "Raw values (cost criteria negated)"),
  A("wsm", parley__a_wsm, 0, "Weighted sum model"),
  A("wpm", parley__a_wpm, PARLEY__RAW_VALUES, "Weighted product model (reads raw values)"),
  A("topsis", parley__a_topsis, 0, "Closeness to the ideal solution (Hwang & Yoon 1981)"),
  A("mabac", parley__a_mabac, PARLEY__RAW_VALUES,
    "Distance from the border approximation area (Pamucar & Cirovic 2015)"),
  {PARLEY_STAGE_AGGREGATION, "codas",
   "Euclidean and taxicab distances from the negative ideal (Keshavarz Ghorabaee et al. 2016)",
   codas_params, PARLEY__RAW_VALUES, {.aggregation = parley__a_codas}, "built-in", NULL},
  A("spotis", parley__a_spotis, PARLEY__RAW_VALUES | PARLEY__LOWER_IS_BETTER,
    "Distance to the ideal within fixed bounds (Dezert et al. 2020); lower is better"),
  {PARLEY_STAGE_AGGREGATION, "cocoso",
   "Combined compromise of weighted and power sums (Yazdani et al. 2019)", cocoso_params,
   PARLEY__RAW_VALUES, {.aggregation = parley__a_cocoso}, "built-in", NULL},
  A("marcos", parley__a_marcos, PARLEY__RAW_VALUES,
    "Utility against ideal and anti-ideal solutions (Stevic et al. 2020)"),
  A("copras", parley__a_copras, PARLEY__RAW_VALUES,
    "Complex proportional assessment (Zavadskas, Kaklauskas & Sarka 1994)"),
  A("moora", parley__a_moora, PARLEY__RAW_VALUES,
    "Ratio system of vector-normalised values (Brauers & Zavadskas 2006)"),
  A("multimoora", parley__a_multimoora, PARLEY__RAW_VALUES,
    "Ratio system, reference point and full multiplicative form, rank sum "
    "(Brauers & Zavadskas 2010)"),
  {PARLEY_STAGE_AGGREGATION, "aras",
   "Utility degree against the optimal alternative (Zavadskas & Turskis 2010)", aras_params,
   PARLEY__RAW_VALUES, {.aggregation = parley__a_aras}, "built-in", NULL},
  {PARLEY_STAGE_AGGREGATION, "waspas",
   "lambda * weighted sum + (1 - lambda) * weighted product (Zavadskas et al. 2012)",
   waspas_params, PARLEY__RAW_VALUES, {.aggregation = parley__a_waspas}, "built-in", NULL},
  A("edas", parley__a_edas, PARLEY__RAW_VALUES,
    "Distances from the average solution (Keshavarz Ghorabaee et al. 2015)"),
  {PARLEY_STAGE_AGGREGATION, "vikor",
   "Compromise ranking by group utility and individual regret (Opricovic & Tzeng 2004); "
   "lower is better", vikor_params, PARLEY__RAW_VALUES | PARLEY__LOWER_IS_BETTER,
   {.aggregation = parley__a_vikor}, "built-in", NULL},
  {PARLEY_STAGE_AGGREGATION, "promethee1",
   "PROMETHEE I: net flow, with the partial preorder of phi+ and phi- in the diagnostics "
   "(Brans & Vincke 1985)", promethee_params, PARLEY__RAW_VALUES,
   {.aggregation = parley__a_promethee1}, "built-in", NULL},
  {PARLEY_STAGE_AGGREGATION, "promethee2",
   "PROMETHEE II: net outranking flow (Brans & Vincke 1985)", promethee_params,
   PARLEY__RAW_VALUES, {.aggregation = parley__a_promethee2}, "built-in", NULL},
  {PARLEY_STAGE_AGGREGATION, "electre1",
   "ELECTRE I: net outranking count, with the kernel in the diagnostics (Roy 1968)",
   electre1_params, PARLEY__RAW_VALUES, {.aggregation = parley__a_electre1}, "built-in", NULL},
  {PARLEY_STAGE_AGGREGATION, "electre3",
   "ELECTRE III: rank in the final preorder of the two distillations (Roy 1978); lower is "
   "better", electre3_params, PARLEY__RAW_VALUES | PARLEY__LOWER_IS_BETTER,
   {.aggregation = parley__a_electre3}, "built-in", NULL},
  R("expected", parley__r_expected, NULL, PARLEY__NEEDS_PROBABILITIES,
    "Expected utility over the scenario probabilities"),
  R("maximin", parley__r_maximin, NULL, 0, "Best worst case (Wald)"),
  R("maximax", parley__r_maximax, NULL, 0, "Best best case"),
  R("hurwicz", parley__r_hurwicz, hurwicz_params, 0,
    "alpha * best case + (1 - alpha) * worst case (Hurwicz)"),
  R("laplace", parley__r_laplace, NULL, 0, "Mean over scenarios, equally likely (Laplace)"),
  R("minimax-regret", parley__r_minimax_regret, NULL, PARLEY__LOWER_IS_BETTER,
    "Smallest largest regret (Savage); lower is better"),
  O(PARLEY_STAGE_ANALYSIS, "evpi", "Expected value of perfect information (needs probabilities)"),
  {PARLEY_STAGE_ANALYSIS, "montecarlo",
   "Monte Carlo over the uncertain outcomes (and probabilities, weights): score statistics, "
   "rank probabilities", montecarlo_params, 0, {.analysis = parley__analysis_montecarlo},
   "built-in", NULL},
  {PARLEY_STAGE_ANALYSIS, "smaa",
   "SMAA-2 (Lahdelma & Salminen 2001): acceptability, central weights, confidence, winning",
   smaa_params, 0, {.analysis = parley__analysis_smaa}, "built-in", NULL},
  {PARLEY_STAGE_ANALYSIS, "sensitivity",
   "One-at-a-time sensitivity: tornado, weight stability intervals, probability changes "
   "that change the top (Triantaphyllou & Sanchez 1997)", sensitivity_params, 0,
   {.analysis = parley__analysis_sensitivity}, "built-in", NULL},
  {PARLEY_STAGE_ANALYSIS, "compare",
   "Rankings of several aggregations or rules compared: Spearman, weighted Spearman, WS, "
   "Kendall; Copeland and Borda compromise", compare_params, 0,
   {.analysis = parley__analysis_compare}, "built-in", NULL},
  {PARLEY_STAGE_ANALYSIS, "rank-reversal",
   "Rank reversal tests of Wang & Triantaphyllou (2008): a strategy replaced by a worse "
   "copy, two-strategy sub-problems", rank_reversal_params, 0,
   {.analysis = parley__analysis_rank_reversal}, "built-in", NULL},
  O(PARLEY_STAGE_FORMAT, "json", "The result document, JSON format 1"),
  O(PARLEY_STAGE_FORMAT, "text", "A plain-text report"),
  {0, NULL, NULL, NULL, 0, {.other = NULL}, NULL, NULL}};

struct parley__registry {
  parley__stage *st;
  char **ptext; /* parameter summaries, parallel to st */
  size_t n, cap;
  /* Summaries of stages that a later one replaced: a parley_stage_info
   * handed out before may still point at them, and the header promises
   * they live as long as the engine. */
  char **retired;
  size_t nretired, cap_retired;
};

static const char *const kind_names[PARLEY_STAGE_KINDS] = {
  "weighting", "normalization", "aggregation", "rule", "analysis", "format", "scenarios"};

const char *parley_stage_kind_name(parley_stage_kind kind) {
  return (unsigned)kind < PARLEY_STAGE_KINDS ? kind_names[kind] : NULL;
}

static char *param_text(parley_engine *e, const parley__param_def *defs) {
  parley__buf b;
  parley__buf_init(&b, e);
  parley__buf_puts(&b, "");
  for (const parley__param_def *d = defs; d && d->key; d++) {
    if (d->type != PARLEY__PNUM) {
      parley__buf_printf(&b, "%s%s=<%s>", d == defs ? "" : " ", d->key,
                         d->type == PARLEY__PJSON ? "json" : "text");
      continue;
    }
    char def[32], lo[32], hi[32];
    parley__fmt_double(def, sizeof def, d->def);
    parley__fmt_double(lo, sizeof lo, d->lo);
    parley__fmt_double(hi, sizeof hi, d->hi);
    parley__buf_printf(&b, "%s%s=%s in [%s,%s]", d == defs ? "" : " ", d->key, def, lo, hi);
  }
  char *out = NULL;
  return parley__buf_finish(&b, &out, NULL) == PARLEY_OK ? out : NULL;
}

int parley__registry_new(parley_engine *e) {
  e->registry = parley__calloc(e, 1, sizeof *e->registry);
  if (!e->registry) return PARLEY_ENOMEM;
  for (const parley__stage *st = parley__builtin_stages; st->name; st++) {
    int rc = parley__registry_add(e, st);
    if (rc != PARLEY_OK) {
      parley__registry_free(e);
      return rc;
    }
  }
  return PARLEY_OK;
}

void parley__registry_free(parley_engine *e) {
  parley__registry *r = e->registry;
  if (!r) return;
  for (size_t i = 0; i < r->n; i++) parley__free(e, r->ptext[i]);
  for (size_t i = 0; i < r->nretired; i++) parley__free(e, r->retired[i]);
  parley__free(e, r->retired);
  parley__free(e, r->st);
  parley__free(e, r->ptext);
  parley__free(e, r);
  e->registry = NULL;
}

static int cmp_entry(const parley__stage *a, const parley__stage *b) {
  if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
  return strcmp(a->name, b->name);
}

int parley__registry_add(parley_engine *e, const parley__stage *st) {
  parley__registry *r = e->registry;
  char *text = param_text(e, st->params);
  if (!text) return PARLEY_ENOMEM;
  /* Kept sorted by (kind, name): listing is in name order and a later entry
   * of the same kind and name replaces the earlier one. */
  size_t i = 0;
  while (i < r->n && cmp_entry(&r->st[i], st) < 0) i++;
  if (i < r->n && cmp_entry(&r->st[i], st) == 0) {
    if (r->nretired == r->cap_retired) {
      size_t cap = r->cap_retired ? 2 * r->cap_retired : 8;
      char **nr = parley__realloc(e, r->retired, parley__mul(cap, sizeof *nr));
      if (!nr) {
        parley__free(e, text);
        return PARLEY_ENOMEM;
      }
      r->retired = nr;
      r->cap_retired = cap;
    }
    r->retired[r->nretired++] = r->ptext[i];
    r->st[i] = *st;
    r->ptext[i] = text;
    return PARLEY_OK;
  }
  if (r->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 32;
    parley__stage *nst = parley__realloc(e, r->st, parley__mul(cap, sizeof *nst));
    if (!nst) goto nomem;
    r->st = nst;
    char **npt = parley__realloc(e, r->ptext, parley__mul(cap, sizeof *npt));
    if (!npt) goto nomem;
    r->ptext = npt;
    r->cap = cap;
  }
  memmove(&r->st[i + 1], &r->st[i], (r->n - i) * sizeof *r->st);
  memmove(&r->ptext[i + 1], &r->ptext[i], (r->n - i) * sizeof *r->ptext);
  r->st[i] = *st;
  r->ptext[i] = text;
  r->n++;
  return PARLEY_OK;
nomem:
  parley__free(e, text);
  return PARLEY_ENOMEM;
}

const parley__stage *parley__registry_find(const parley_engine *e, parley_stage_kind kind,
                                           const char *name) {
  const parley__registry *r = e->registry;
  for (size_t i = 0; i < r->n; i++)
    if (r->st[i].kind == kind && strcmp(r->st[i].name, name) == 0) return &r->st[i];
  return NULL;
}

/* "a, b, c": the names of one kind, for "unknown stage" messages. */
static void known_names(const parley_engine *e, parley_stage_kind kind, char *out, size_t n) {
  const parley__registry *r = e->registry;
  size_t len = 0;
  out[0] = '\0';
  for (size_t i = 0; i < r->n && len + 1 < n; i++) {
    if (r->st[i].kind != kind) continue;
    int w = snprintf(out + len, n - len, "%s%s", len ? ", " : "", r->st[i].name);
    if (w < 0) break;
    len += (size_t)w;
  }
}

int parley__registry_resolve(parley_engine *e, parley_stage_kind kind, const parley__spec *spec,
                             const char *what, const parley__stage **out) {
  *out = NULL;
  const parley__stage *st = parley__registry_find(e, kind, spec->name);
  if (!st) {
    char known[512];
    known_names(e, kind, known, sizeof known);
    return parley__err(e, PARLEY_ENOTFOUND, "%s: unknown %s '%s' (known: %s)", what,
                       kind_names[kind], spec->name, known);
  }
  /* Plugins check their own parameters; built-in stages declare theirs. */
  if (strcmp(st->source, "built-in") == 0) {
    for (size_t i = 0; i < spec->n; i++) {
      const parley__param *p = &spec->params[i];
      const parley__param_def *d = st->params;
      while (d && d->key && strcmp(d->key, p->key) != 0) d++;
      if (!d || !d->key) {
        char known[256] = "";
        size_t len = 0;
        for (d = st->params; d && d->key && len < sizeof known; d++)
          len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", len ? ", " : "", d->key);
        return parley__err(e, PARLEY_ENOTFOUND, "%s: %s '%s' has no parameter '%s' (%s%s)", what,
                           kind_names[kind], st->name, p->key, len ? "expected: " : "it takes none",
                           known);
      }
      if (d->type != p->type) {
        static const char *const expect[] = {"a number", "a string", "a JSON array or object"};
        return parley__err(e, PARLEY_EINVALID, "%s: %s '%s': parameter '%s' must be %s", what,
                           kind_names[kind], st->name, p->key, expect[d->type]);
      }
      if (d->type != PARLEY__PNUM) continue;
      if (!(p->num >= d->lo && p->num <= d->hi)) {
        char v[32], lo[32], hi[32];
        parley__fmt_double(v, sizeof v, p->num);
        parley__fmt_double(lo, sizeof lo, d->lo);
        parley__fmt_double(hi, sizeof hi, d->hi);
        return parley__err(e, PARLEY_EINVALID, "%s: %s '%s': %s=%s is outside [%s, %s]", what,
                           kind_names[kind], st->name, p->key, v, lo, hi);
      }
    }
  }
  *out = st;
  return PARLEY_OK;
}

double parley__param_num(const parley__stage *st, const parley__spec *spec, const char *key) {
  const parley__param *p = spec ? parley__spec_get(spec, key) : NULL;
  if (p && p->type == PARLEY__PNUM) return p->num;
  for (const parley__param_def *d = st ? st->params : NULL; d && d->key; d++)
    if (strcmp(d->key, key) == 0) return d->def;
  return NAN;
}

size_t parley_stage_count(const parley_engine *engine, int kind) {
  if (!engine || !engine->registry) return 0;
  size_t n = 0;
  for (size_t i = 0; i < engine->registry->n; i++)
    if (kind < 0 || (int)engine->registry->st[i].kind == kind) n++;
  return n;
}

int parley_stage_get(const parley_engine *engine, int kind, size_t i, parley_stage_info *out) {
  if (!engine || !out) return PARLEY_EUSAGE;
  const parley__registry *r = engine->registry;
  for (size_t j = 0; j < r->n; j++) {
    if (kind >= 0 && (int)r->st[j].kind != kind) continue;
    if (i-- == 0) {
      out->kind = r->st[j].kind;
      out->name = r->st[j].name;
      out->summary = r->st[j].summary;
      out->params = r->ptext[j];
      out->source = r->st[j].source;
      return PARLEY_OK;
    }
  }
  return PARLEY_ENOTFOUND;
}
