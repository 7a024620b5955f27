/* Checks shared by the LCE op adapters; messages name the op (prefixed by
 * xai_op_fail), the tensor and what LCE accepts. */
#include <math.h>

#include "lce_ops_internal.h"

static int tensor_index(const xai_op_ctx *ctx, const xai_rt_tensor *t) {
  for (uint32_t i = 0; i < ctx->input_count; i++)
    if (xai_op_input(ctx, i) == t) return ctx->inputs[i];
  for (uint32_t i = 0; i < ctx->output_count; i++)
    if (xai_op_output(ctx, i) == t) return ctx->outputs[i];
  return -1;
}

xai_status xai_lce_op_io(xai_op_ctx *ctx, uint32_t inputs, xai_rt_tensor **in,
                         xai_rt_tensor **out) {
  if (ctx->input_count != inputs || ctx->output_count != 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "has %u inputs and %u outputs; expected %u and 1",
                       ctx->input_count, ctx->output_count, inputs);
  *in = xai_op_input(ctx, 0);
  *out = xai_op_output(ctx, 0);
  if (!*in || !*out)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "input 0 or output 0 is absent");
  return XAI_OK;
}

xai_status xai_lce_op_bad_type(xai_op_ctx *ctx, const char *what,
                               const xai_rt_tensor *t, const char *want) {
  return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                     "%s tensor %d is %s; LCE takes %s here", what,
                     tensor_index(ctx, t), xai_tensor_type_name(t->type),
                     want);
}

xai_status xai_lce_op_expect_type(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                  const char *what, int8_t type) {
  if (t->type == type) return XAI_OK;
  return xai_lce_op_bad_type(ctx, what, t, xai_tensor_type_name(type));
}

xai_status xai_lce_op_expect_scale(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                   const char *what) {
  if (t->quant_count > 0 && t->scale > 0.0f && isfinite(t->scale))
    return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "%s tensor %d is INT8 without a positive scale", what,
                     tensor_index(ctx, t));
}

xai_status xai_lce_op_dims4(xai_op_ctx *ctx, const xai_rt_tensor *t,
                            const char *what, xai_dims4 *d) {
  if (t->rank != 4)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "%s tensor %d has rank %u; expected 4 (NHWC)", what,
                       tensor_index(ctx, t), t->rank);
  d->n = t->dims[0];
  d->h = t->dims[1];
  d->w = t->dims[2];
  d->c = t->dims[3];
  return XAI_OK;
}

xai_status xai_lce_op_vector(xai_op_ctx *ctx, const xai_rt_tensor *t,
                             const char *what, int8_t type, int32_t n) {
  if (!t)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s input is absent", what);
  xai_status st = xai_lce_op_expect_type(ctx, t, what, type);
  if (st) return st;
  if (t->rank != 1 || t->dims[0] != n)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "%s tensor %d must be a vector of %d (one per output "
                       "channel)", what, tensor_index(ctx, t), (int)n);
  return XAI_OK;
}
