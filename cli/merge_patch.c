/*
 * merge_patch.c — JSON Merge Patch, RFC 7396, on cJSON trees.  The RFC's
 * algorithm (section 2):
 *
 *   MergePatch(Target, Patch):
 *     if Patch is an Object:
 *       if Target is not an Object: Target = {}
 *       for each Name/Value pair in Patch:
 *         if Value is null: remove Name from Target, if there
 *         else: Target[Name] = MergePatch(Target[Name], Value)
 *       return Target
 *     else:
 *       return Patch
 *
 * Members keep their place in the target when they are replaced, and new
 * ones are appended in the patch's order, so a patched model reads like
 * the original.  Names are compared case-sensitively, as JSON's are.
 */
#include "merge_patch.h"

#include <stdbool.h>
#include <string.h>

/* Gives item the member name key, in memory from cJSON's allocator (cJSON
 * frees it with the item).  false when memory ran out. */
static bool set_name(cJSON *item, const char *key) {
  size_t n = strlen(key) + 1;
  char *s = cJSON_malloc(n);
  if (!s) return false;
  memcpy(s, key, n);
  if (item->string && !(item->type & cJSON_StringIsConst)) cJSON_free(item->string);
  item->string = s;
  item->type &= ~cJSON_StringIsConst;
  return true;
}

/* Puts value under name in obj: in place of old when obj has it, at the
 * end otherwise.  value is owned by obj afterwards, or freed on failure. */
static bool put(cJSON *obj, cJSON *old, const char *name, cJSON *value) {
  if (!value) return false;
  if (!set_name(value, name)) {
    cJSON_Delete(value);
    return false;
  }
  /* An object's members are its child list, as an array's elements are:
   * appending the named item is adding the member. */
  bool ok = old ? cJSON_ReplaceItemViaPointer(obj, old, value) : cJSON_AddItemToArray(obj, value);
  if (!ok) cJSON_Delete(value);
  return ok;
}

/* The loop of the algorithm, for an object target changed in place.  false
 * when memory ran out (obj may then be half patched; the caller frees it). */
static bool merge_into(cJSON *obj, const cJSON *patch) {
  for (const cJSON *p = patch->child; p; p = p->next) {
    const char *name = p->string;
    if (!name) continue; /* cannot happen in a parsed object */
    cJSON *old = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (cJSON_IsNull(p)) {
      /* A document with the name twice loses every copy. */
      while (old) {
        cJSON_Delete(cJSON_DetachItemViaPointer(obj, old));
        old = cJSON_GetObjectItemCaseSensitive(obj, name);
      }
    } else if (!cJSON_IsObject(p)) {
      if (!put(obj, old, name, cJSON_Duplicate(p, 1))) return false;
    } else if (cJSON_IsObject(old)) {
      if (!merge_into(old, p)) return false;
    } else {
      /* MergePatch(non-object or nothing, object): an empty object
       * patched, which drops the patch's own nulls at every depth. */
      cJSON *fresh = cJSON_CreateObject();
      if (fresh && !merge_into(fresh, p)) {
        cJSON_Delete(fresh);
        return false;
      }
      if (!put(obj, old, name, fresh)) return false;
    }
  }
  return true;
}

cJSON *cli_merge_patch(cJSON *target, const cJSON *patch) {
  if (!cJSON_IsObject(patch)) {
    cJSON_Delete(target);
    return cJSON_Duplicate(patch, 1);
  }
  if (!cJSON_IsObject(target)) {
    cJSON_Delete(target);
    target = cJSON_CreateObject();
    if (!target) return NULL;
  }
  if (!merge_into(target, patch)) {
    cJSON_Delete(target);
    return NULL;
  }
  return target;
}
