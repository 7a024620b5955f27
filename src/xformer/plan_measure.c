/* Runs the runtime's planner on a model the xformer is about to write, so
 * the memory plan is judged by the same code the device runs. */
#include <stdlib.h>
#include <string.h>

#include "plan_internal.h"

void xf_plan_run_free(xf_plan_run *r) {
  free(r->arena);
  free(r->model);
  memset(r, 0, sizeof *r);
}

xai_interp_config xf_interp_config(const uint8_t *model, size_t size,
                                   uint32_t clock_mhz) {
  xai_interp_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.model = model;
  cfg.model_size = size;
  cfg.clock_mhz = clock_mhz;
  return cfg;
}

xai_status xf_interp_on_heap(xai_interp_config *cfg, size_t need,
                             void **arena, xai_interp **ip, const char *what,
                             xai_error *err) {
  *ip = NULL;
  size_t arena_size = (need + 15u) & ~(size_t)15u;
  if (!arena_size) arena_size = 16;
  /* Zeroed so a run on untouched inputs sees zeros, whatever ran before.
   * calloc's pages come zeroed from the system, so a large arena the run
   * barely touches costs little; aligned_alloc when calloc's pointer is not
   * 16-byte aligned. */
  *arena = calloc(1, arena_size);
  if (*arena && ((uintptr_t)*arena & 15u) != 0) {
    free(*arena);
    *arena = aligned_alloc(16, arena_size);
    if (*arena) memset(*arena, 0, arena_size);
  }
  if (!*arena)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "%s: out of memory allocating a %zu-byte arena", what,
                    arena_size);
  cfg->arena = *arena;
  cfg->arena_size = arena_size;
  xai_status st = xai_interp_init(ip, cfg, err);
  if (st) {
    free(*arena);
    *arena = NULL;
    *ip = NULL;
  }
  return st;
}

xai_status xf_plan_run_model(xf_ctx *x, xai_planner_kind kind,
                             xf_plan_run *r, xai_error *err) {
  memset(r, 0, sizeof *r);
  uint8_t *bytes = NULL;
  size_t size = 0;
  xai_status st = xai_model_write(x->m, &bytes, &size, err);
  if (st) return st;
  xai_interp_config cfg =
      xf_interp_config(bytes, size, x->opt ? x->opt->clock_mhz : 0);
  cfg.planner = kind;
  size_t need = 0;
  st = xf_arena_needed(x->opt, &cfg, "memory plan", &need, err);
  if (!st)
    st = xf_interp_on_heap(&cfg, need, &r->arena, &r->ip, "memory plan", err);
  /* The interpreter points into the model bytes: they live with the run. */
  if (!st) {
    r->head = xai_interp_arena_head(r->ip);
    r->model = bytes;
  } else {
    free(bytes);
  }
  return st;
}
