/*
 * merge_patch.h — JSON Merge Patch (RFC 7396) on cJSON trees, which
 * `parley batch --sweep` applies to a base model for each line of a sweep.
 * Debian's cJSON is built without cJSON_Utils (where cJSONUtils_MergePatch
 * lives), so the RFC's short algorithm is written out here.  Uses cJSON
 * only; no part of libparley.
 */
#ifndef PARLEY_CLI_MERGE_PATCH_H
#define PARLEY_CLI_MERGE_PATCH_H

#include <cjson/cJSON.h>

/* MergePatch(target, patch) of RFC 7396 section 2: returns the patched
 * document.  target is consumed: changed in place and returned, or freed
 * when the patch replaces it whole; NULL stands for "no value" (the target
 * of a member the document does not have).  patch is only read, and the
 * result shares no node with it.  Returns NULL only when memory ran out;
 * target is freed then. */
cJSON *cli_merge_patch(cJSON *target, const cJSON *patch);

#endif /* PARLEY_CLI_MERGE_PATCH_H */
