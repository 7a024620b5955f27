/* REDUCE_ALL: logical AND of a bool tensor over constant axes (TFLite
 * Micro reduce.cc), as the minimum of 0/1 bytes; an empty reduction is
 * true. */
#include <string.h>

#include "elementwise_internal.h"
#include "xai/kernels_ref/reduce_more.h"

static const int8_t k_bool[] = {XAI_TYPE_BOOL};
static const int8_t k_axis[] = {XAI_TYPE_INT32};

static xai_status reduce_all_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *axes, *out;
  xai_status st = xai_ew_input(ctx, 0, &in);
  if (!st) st = xai_ew_input(ctx, 1, &axes);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, in, "input", k_bool, 1);
  if (!st) st = xai_ew_same_type(ctx, in, "input", out, "output");
  if (!st) st = xai_ew_check_type(ctx, axes, "axis", k_axis, 1);
  if (st) return st;
  if (axes->mem != XAI_MEM_CONST || !axes->data)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "axis tensor must be constant (dynamic axes are not "
                       "supported)");
  xai_reduce_plan *plan = xai_ew_alloc(ctx, sizeof *plan);
  if (!plan) return XAI_ERR_NO_MEMORY;
  ctx->data = plan;
  xai_shape s, want;
  if ((st = xai_ew_shape(ctx, in, &s))) return st;
  xai_error e;
  xai_error_clear(&e);
  if (xai_reduce_plan_make(&s, (const int32_t *)axes->data,
                           (int32_t)xai_rt_tensor_elements(axes), plan, &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s", e.message);
  xai_reduce_out_shape(plan, ctx->options->u.reducer.keep_dims, &want);
  return xai_ew_check_dims(ctx, out, "output", &want);
}

static xai_status reduce_all_eval(xai_op_ctx *ctx) {
  const xai_reduce_plan *plan = ctx->data;
  uint8_t *out = xai_op_output(ctx, 0)->data;
  if (plan->n == 0) {
    memset(out, 1, plan->out_count);
    return XAI_OK;
  }
  /* bools are 0 or 1 bytes: their int8 minimum is the AND */
  return xai_reduce_minmax_ref(plan, XAI_TYPE_INT8, 1,
                               xai_op_input(ctx, 0)->data, out);
}

const xai_op_registration xai_op_reduce_all = {
    XAI_OP_REDUCE_ALL, NULL, reduce_all_prepare, reduce_all_eval, NULL};
