/* Memory planning inside the xformer (plan*.c): the runtime measures, the
 * planner proposes tensor offsets for OfflineMemoryAllocation. */
#ifndef XAI_XFORMER_PLAN_INTERNAL_H
#define XAI_XFORMER_PLAN_INTERNAL_H

#include "xai/runtime.h"
#include "xformer_internal.h"

/* The model as it stands, written and initialised by the runtime with the
 * given planner (the all-ops resolver, as the device will run it). */
typedef struct {
  xai_interp *ip;
  void *arena;
  uint8_t *model;
  size_t head; /* planned head bytes */
} xf_plan_run;

xai_status xf_plan_run_model(xf_ctx *x, xai_planner_kind kind,
                             xf_plan_run *r, xai_error *err);
void xf_plan_run_free(xf_plan_run *r);

/* One buffer of the arena problem: a tensor (or in-place group of tensors)
 * or an op's scratch, live over steps [first, last]. */
typedef struct {
  size_t size;   /* rounded to 16 bytes */
  uint32_t first, last;
  size_t offset; /* result */
} xf_plan_item;

/* Places items: each at the lowest 16-byte-aligned offset that overlaps no
 * already-placed item live at the same time, trying a few placement orders
 * and keeping the smallest head. `order` is scratch of `count` entries. */
size_t xf_plan_place(xf_plan_item *items, uint32_t count, uint32_t *order);

#endif
