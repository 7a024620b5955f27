/* BasicClassifier, TFLite Micro's custom op for hotword-style heads
 * (basic_classifier.cc): inputs scores int32 [N] or [1, N], target_indices
 * int32 [T] and thresholds int32 [T]; outputs detected bool [T] (score at
 * the target >= its threshold) and target_posteriors int32 [T] (that
 * score). No options. An index outside the scores fails the invoke, as in
 * TFLM; a constant one is refused at prepare already. */
#include <stdbool.h>
#include <stdint.h>

#include "signal_ops_internal.h"

#define IN false
#define OUT true

static xai_status bad_index(xai_op_ctx *ctx, int32_t at, int32_t index,
                            int32_t size) {
  return xai_op_fail(ctx, XAI_ERR_RANGE,
                     "target_indices[%d] = %d is outside the %d scores", (int)at,
                     (int)index, (int)size);
}

static xai_status bc_prepare(xai_op_ctx *ctx) {
  xai_status st = xai_sig_io(ctx, 3, 2);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_INT32);
  if (!st) st = xai_sig_type(ctx, IN, 1, XAI_TYPE_INT32);
  if (!st) st = xai_sig_type(ctx, IN, 2, XAI_TYPE_INT32);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_BOOL);
  if (!st) st = xai_sig_type(ctx, OUT, 1, XAI_TYPE_INT32);
  if (st) return st;
  const xai_rt_tensor *scores = xai_op_input(ctx, 0);
  if (scores->rank != 1 && scores->rank != 2)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input 0 (scores) has rank %u; TFLM's kernel takes 1 "
                       "or 2",
                       scores->rank);
  for (uint32_t i = 1; i < 3 && !st; i++) st = xai_sig_rank(ctx, IN, i, 1);
  for (uint32_t i = 0; i < 2 && !st; i++) st = xai_sig_rank(ctx, OUT, i, 1);
  if (st) return st;
  const int32_t targets = xai_op_input(ctx, 1)->dims[0];
  if (xai_op_input(ctx, 2)->dims[0] != targets ||
      xai_op_output(ctx, 0)->dims[0] != targets ||
      xai_op_output(ctx, 1)->dims[0] != targets)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "thresholds and both outputs must have the %d "
                       "target_indices' length",
                       (int)targets);
  const xai_rt_tensor *idx = xai_op_input(ctx, 1);
  if (idx->mem == XAI_MEM_CONST) {
    const int32_t *ix = idx->data;
    const int32_t size = (int32_t)xai_rt_tensor_elements(scores);
    for (int32_t i = 0; i < targets; i++)
      if (ix[i] < 0 || ix[i] >= size) return bad_index(ctx, i, ix[i], size);
  }
  return XAI_OK;
}

static xai_status bc_eval(xai_op_ctx *ctx) {
  const int32_t *scores = xai_op_input(ctx, 0)->data;
  const int32_t *ix = xai_op_input(ctx, 1)->data;
  const int32_t *thr = xai_op_input(ctx, 2)->data;
  bool *detected = xai_op_output(ctx, 0)->data;
  int32_t *post = xai_op_output(ctx, 1)->data;
  const int32_t size = (int32_t)xai_rt_tensor_elements(xai_op_input(ctx, 0));
  const int32_t targets = xai_op_output(ctx, 0)->dims[0];
  for (int32_t i = 0; i < targets; i++) {
    if (ix[i] < 0 || ix[i] >= size) return bad_index(ctx, i, ix[i], size);
    detected[i] = scores[ix[i]] >= thr[i];
    post[i] = scores[ix[i]];
  }
  /* per target: index check, load, compare, two stores */
  xai_sig_cost(ctx, 6 * (uint64_t)targets + 10);
  return XAI_OK;
}

const xai_op_registration xai_op_basic_classifier = {
    XAI_OP_CUSTOM, "BasicClassifier", bc_prepare, bc_eval, NULL};
