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

xai_status xf_plan_run_model(xf_ctx *x, xai_planner_kind kind,
                             xf_plan_run *r, xai_error *err) {
  memset(r, 0, sizeof *r);
  uint8_t *bytes = NULL;
  size_t size = 0;
  xai_status st = xai_model_write(x->m, &bytes, &size, err);
  if (st) return st;
  xai_interp_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.model = bytes;
  cfg.model_size = size;
  cfg.planner = kind;
  cfg.clock_mhz = x->opt ? x->opt->clock_mhz : 0;
  size_t need = 0;
  st = xai_interp_arena_needed(&cfg, &need, err);
  if (!st) {
    size_t arena_size = (need + 15u) & ~(size_t)15u;
    r->arena = aligned_alloc(16, arena_size ? arena_size : 16);
    if (!r->arena) {
      st = xai_fail(err, XAI_ERR_NO_MEMORY,
                    "memory plan: out of memory measuring a %zu-byte arena",
                    arena_size);
    } else {
      cfg.arena = r->arena;
      cfg.arena_size = arena_size;
      st = xai_interp_init(&r->ip, &cfg, err);
    }
  }
  /* The interpreter points into the model bytes: they live with the run. */
  if (!st) {
    r->head = xai_interp_arena_head(r->ip);
    r->model = bytes;
  } else {
    free(bytes);
    free(r->arena);
    r->arena = NULL;
    r->ip = NULL;
  }
  return st;
}
