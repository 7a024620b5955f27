/* Test helper: visit every value of a (possibly malformed) flexbuffer
 * through the public API, calling every getter on every value. Used by the
 * malformed-input test and the fuzzer; it must never crash, whatever the
 * bytes. Returns the number of values visited. */
#ifndef XAI_TEST_FLEXBUF_WALK_H
#define XAI_TEST_FLEXBUF_WALK_H

#include <stdint.h>
#include <string.h>

#include "xai/flexbuf.h"

/* Sum of everything read, so the compiler cannot drop the reads. */
static volatile uint64_t flexbuf_walk_sink;

static void flexbuf_walk_value(const xai_flexbuf_ref *ref, size_t *budget) {
  if (*budget == 0) return;
  (*budget)--;
  int64_t i;
  uint64_t u;
  double d;
  bool b;
  const char *s;
  const uint8_t *p;
  size_t n;
  if (xai_flexbuf_get_int(ref, &i, NULL) == XAI_OK) flexbuf_walk_sink += (uint64_t)i;
  if (xai_flexbuf_get_uint(ref, &u, NULL) == XAI_OK) flexbuf_walk_sink += u;
  if (xai_flexbuf_get_float(ref, &d, NULL) == XAI_OK) flexbuf_walk_sink += d == d;
  if (xai_flexbuf_get_bool(ref, &b, NULL) == XAI_OK) flexbuf_walk_sink += b;
  if (xai_flexbuf_get_string(ref, &s, &n, NULL) == XAI_OK && n > 0)
    flexbuf_walk_sink += (uint8_t)s[n - 1] + (uint8_t)s[n];
  if (xai_flexbuf_get_blob(ref, &p, &n, NULL) == XAI_OK && n > 0)
    flexbuf_walk_sink += p[0] + p[n - 1];
  if (xai_flexbuf_length(ref, &n, NULL) != XAI_OK) return;
  int32_t ints[8];
  size_t count;
  xai_flexbuf_get_int32_array(ref, ints, 8, &count, NULL);
  /* Every element costs budget, visited or not: a long vector whose
   * elements all fail would otherwise be re-scanned on each visit of it. */
  for (size_t k = 0; k < n && *budget > 0; k++) {
    (*budget)--;
    xai_flexbuf_ref child;
    if (ref->type == XAI_FLEXBUF_MAP) {
      const char *key;
      if (xai_flexbuf_map_key_at(ref, k, &key, NULL) == XAI_OK) {
        flexbuf_walk_sink += strlen(key);
        xai_flexbuf_ref found;
        if (xai_flexbuf_map_get(ref, key, &found, NULL) == XAI_OK)
          flexbuf_walk_sink += found.pos;
      }
      if (xai_flexbuf_map_value_at(ref, k, &child, NULL) != XAI_OK) continue;
    } else if (xai_flexbuf_vector_at(ref, k, &child, NULL) != XAI_OK) {
      continue;
    }
    flexbuf_walk_value(&child, budget);
  }
  xai_flexbuf_ref missing;
  xai_flexbuf_map_get(ref, "missing", &missing, NULL);
}

static size_t flexbuf_walk(const uint8_t *data, size_t size) {
  xai_flexbuf_ref root;
  /* A tree has fewer values than bytes, so size + 16 visits every value
   * of a well-formed buffer once. A fixed budget let a few bytes of
   * offsets shared in a cycle cost 4096 visits on every fuzz input (the
   * flexbuffer fuzzer's 1.8 k executions/s, issue #12). */
  size_t budget = size < 4096 ? size + 16 : 4096, start = budget;
  if (xai_flexbuf_root(data, size, &root, NULL) != XAI_OK) return 0;
  flexbuf_walk_value(&root, &budget);
  return start - budget;
}

#endif
