/* xai_interp_arena_needed: the one runtime call that uses the heap (a
 * trial arena), so device builds can leave this file out. */
#include <stdlib.h>

#include "interp_internal.h"

#define FIRST_GUESS (64u * 1024u)
#define MAX_ARENA ((size_t)1 << 31)

xai_status xai_interp_arena_needed(const xai_interp_config *cfg, size_t *bytes,
                                   xai_error *err) {
  return xai_interp_arena_needed_within(cfg, MAX_ARENA, bytes, NULL, err);
}

xai_status xai_interp_arena_needed_within(const xai_interp_config *cfg,
                                          size_t limit, size_t *bytes,
                                          bool *exact_out, xai_error *err) {
  *bytes = 0;
  if (exact_out) *exact_out = false;
  xai_error_clear(err);
  if (!cfg)
    return xai_fail(err, XAI_ERR_ARGUMENT, "xai_interp_arena_needed: no config");
  if (limit > MAX_ARENA) limit = MAX_ARENA;
  limit &= ~(size_t)(XAI_ARENA_ALIGN - 1);
  size_t size = FIRST_GUESS < limit ? FIRST_GUESS : limit;
  for (int attempt = 0; attempt < 40; attempt++) {
    size = xai_align_up(size, XAI_ARENA_ALIGN);
    void *arena = aligned_alloc(XAI_ARENA_ALIGN, size);
    if (!arena)
      return xai_fail(err, XAI_ERR_NO_MEMORY,
                      "cannot allocate a %zu-byte trial arena", size);
    xai_interp_config c = *cfg;
    c.arena = arena;
    c.arena_size = size;
    c.hook = NULL;
    xai_interp *ip = NULL;
    size_t needed = 0;
    bool exact = false;
    xai_error e;
    xai_status st = xai_interp_init_measure(&ip, &c, &e, &needed, &exact);
    free(arena);
    if (st == XAI_OK) {
      *bytes = needed;
      if (exact_out) *exact_out = true;
      return XAI_OK;
    }
    if (st != XAI_ERR_NO_MEMORY) return xai_fail(err, st, "%s", e.message);
    /* Exact: the next try fits. A lower bound: at least double. */
    size_t next = exact ? needed : (needed > 2 * size ? needed : 2 * size);
    if (next <= size)
      return xai_fail(err, XAI_ERR_NO_MEMORY,
                      "the model needs more than %zu bytes of arena", size);
    if (next > limit && size < limit && needed <= limit) {
      size = limit; /* the last try: the limit itself */
      continue;
    }
    if (next > limit) {
      /* Known to need more than the limit: say how much, allocate none. */
      *bytes = needed > size ? needed : size + 1;
      if (exact_out) *exact_out = exact && needed > size;
      return xai_fail(err, XAI_ERR_NO_MEMORY,
                      "the model needs %s%zu bytes of arena, more than the "
                      "%zu allowed", exact ? "" : "at least ", *bytes, limit);
    }
    size = next;
  }
  return xai_fail(err, XAI_ERR_NO_MEMORY, "could not size the arena");
}
