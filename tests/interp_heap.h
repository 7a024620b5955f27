/* Interpreter set-up for tests and benches: a config for a model in a
 * caller's arena, or an interpreter whose arena is a heap block of exactly
 * the size the model asks for (xai_interp_arena_needed), for whole models
 * of any size. Header-only so benches can use it without testlib. */
#ifndef XAI_TESTS_INTERP_HEAP_H
#define XAI_TESTS_INTERP_HEAP_H

#include <stdlib.h>
#include <string.h>

#include "xai/runtime.h"

/* A config for model[0..size) in arena[0..arena_size), all else zero (ref
 * ops, auto planner): callers add their resolver, hook, params. */
static inline xai_interp_config xai_test_interp_config(const uint8_t *model,
                                                       size_t size,
                                                       void *arena,
                                                       size_t arena_size) {
  xai_interp_config c;
  memset(&c, 0, sizeof c);
  c.model = model;
  c.model_size = size;
  c.arena = arena;
  c.arena_size = arena_size;
  return c;
}

typedef struct {
  xai_interp *ip;
  void *arena;
  size_t need;       /* xai_interp_arena_needed's answer */
  size_t arena_size; /* need rounded up to the 16-byte alignment */
} xai_test_heap_interp;

static inline void xai_test_heap_interp_free(xai_test_heap_interp *h) {
  free(h->arena);
  h->arena = NULL;
  h->ip = NULL;
}

/* cfg holds everything but the arena, which this sets. On failure nothing
 * is left to free. */
static inline xai_status xai_test_heap_interp_init(xai_test_heap_interp *h,
                                                   xai_interp_config *cfg,
                                                   xai_error *err) {
  memset(h, 0, sizeof *h);
  xai_status st = xai_interp_arena_needed(cfg, &h->need, err);
  if (st) return st;
  h->arena_size = (h->need + 15u) & ~(size_t)15u;
  h->arena = aligned_alloc(16, h->arena_size ? h->arena_size : 16);
  if (!h->arena)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "out of memory allocating a %zu-byte arena",
                    h->arena_size);
  cfg->arena = h->arena;
  cfg->arena_size = h->arena_size;
  st = xai_interp_init(&h->ip, cfg, err);
  if (st) xai_test_heap_interp_free(h);
  return st;
}

#endif
