/* The arena's persistent tail: a bump allocator growing down from the end,
 * so the planned head can start at offset 0 and grow up towards it. */
#include <stdint.h>

#include "interp_internal.h"

void xai_tail_init(xai_tail *t, void *arena, size_t size) {
  t->base = arena;
  /* The top is aligned so the tail's size does not depend on how many
   * spare bytes the caller's arena has: arena_needed stays exact. */
  t->top = size & ~(size_t)(XAI_ARENA_ALIGN - 1);
  t->bottom = t->top;
  t->shortfall_min = 0;
}

void *xai_tail_alloc(xai_tail *t, size_t bytes, size_t floor) {
  size_t need = xai_align_up(bytes ? bytes : 1, XAI_ARENA_ALIGN);
  if (need < bytes || need > t->bottom || t->bottom - need < floor) {
    size_t want = (t->top - t->bottom) + need;
    if (want > t->shortfall_min) t->shortfall_min = want;
    return NULL;
  }
  t->bottom -= need;
  return t->base + t->bottom;
}

size_t xai_tail_used(const xai_tail *t) { return t->top - t->bottom; }
