/* SOFTMAX with int16 input and output, as TFLite Micro: output scale
 * 1/32768 (within 0.1%) and zero point 0, over the last dimension. */
#include <math.h>

#include "elementwise_internal.h"
#include "softmax_s16_internal.h"
#include "xai/kernels_ref/softmax_s16.h"

typedef struct {
  size_t outer, depth;
  xai_softmax_s16_params p;
} softmax_s16_data;

xai_status xai_softmax_s16_prepare(xai_op_ctx *ctx) {
  static const int8_t k_s16[] = {XAI_TYPE_INT16};
  xai_rt_tensor *in, *out;
  xai_status st = xai_ew_input(ctx, 0, &in);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, out, "output", k_s16, 1);
  xai_shape s;
  if (!st) st = xai_ew_shape(ctx, in, &s);
  if (!st) st = xai_ew_check_dims(ctx, out, "output", &s);
  if (!st) st = xai_ew_check_quantized(ctx, in, "input");
  if (!st) st = xai_ew_check_quantized(ctx, out, "output");
  if (st) return st;
  if (in->rank < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "input must have rank >= 1");
  if (out->zero_point != 0 ||
      fabsf(out->scale - 1.0f / 32768) > 0.001f / 32768)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "int16 output has scale %g zero point %d; TFLite "
                       "Micro needs 1/32768 and 0",
                       (double)out->scale, (int)out->zero_point);
  softmax_s16_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->depth = (size_t)in->dims[in->rank - 1];
  d->outer = d->depth ? xai_rt_tensor_elements(in) / d->depth : 0;
  const float beta = ctx->options ? ctx->options->u.softmax.beta : 1.0f;
  xai_softmax_s16_params_make(beta, in->scale, &d->p);
  return XAI_OK;
}

xai_status xai_softmax_s16_eval(xai_op_ctx *ctx) {
  const softmax_s16_data *d = ctx->data;
  xai_softmax_s16_ref(&d->p, d->outer, d->depth, xai_op_input(ctx, 0)->data,
                      xai_op_output(ctx, 0)->data);
  return XAI_OK;
}
