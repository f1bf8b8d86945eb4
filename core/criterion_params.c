/*
 * criterion_params.c — reading a stage parameter that maps criterion ids to
 * JSON objects of per-criterion settings (PROMETHEE's "functions",
 * ELECTRE III's "thresholds"): the object's shape, unknown and repeated ids
 * are checked here, each criterion's own object by the stage.
 */
#include "internal.h"
#include "methods.h"

#include <cjson/cJSON.h>
#include <string.h>

int parley__crit_params(parley__ctx *ctx, const char *name, const char *stage,
                        const char *shape, parley__crit_param_fn each, void *arg) {
  size_t nc = ctx->nc;
  const parley__param *prm = ctx->spec ? parley__spec_get(ctx->spec, name) : NULL;
  if (!prm) return PARLEY_OK;
  if (prm->type != PARLEY__PJSON || !prm->text)
    return parley__err(ctx->engine, PARLEY_EINVALID, "aggregation %s: %s must be a JSON object %s",
                       stage, name, shape);
  cJSON *root = cJSON_Parse(prm->text);
  if (!root || !cJSON_IsObject(root)) {
    cJSON_Delete(root);
    return parley__err(ctx->engine, PARLEY_EINVALID, "aggregation %s: %s must be a JSON object %s",
                       stage, name, shape);
  }
  /* Which criteria the object named already: an id given twice is an error
   * rather than the last one silently winning. */
  bool *seen = parley__calloc(ctx->engine, nc ? nc : 1, sizeof *seen);
  int rc = seen ? PARLEY_OK : PARLEY_ENOMEM;
  const cJSON *it;
  cJSON_ArrayForEach(it, root) {
    if (rc != PARLEY_OK) break;
    size_t c = 0;
    while (c < nc && strcmp(parley__crit_id(ctx, c), it->string) != 0) c++;
    if (c == nc)
      rc = parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation %s: %s: the model has no criterion '%s'", stage, name,
                       it->string);
    else if (seen[c])
      rc = parley__err(ctx->engine, PARLEY_EINVALID,
                       "aggregation %s: %s: criterion '%s' given twice", stage, name, it->string);
    else {
      seen[c] = true;
      rc = each(ctx, it, c, arg);
    }
  }
  parley__free(ctx->engine, seen);
  cJSON_Delete(root);
  return rc;
}
