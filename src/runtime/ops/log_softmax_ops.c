/* LOG_SOFTMAX over the last dimension, float32 and int8, as TFLite Micro's
 * log_softmax.cc: int8 output at scale 16/256 and zero point 127 only. */
#include "elementwise_internal.h"
#include "xai/kernels_ref/log_softmax.h"
#include "xai/kernels_ref/nn_float.h"

typedef struct {
  size_t outer, depth;
  xai_log_softmax_params q;
} log_softmax_data;

static const int8_t k_types[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8};

static xai_status log_softmax_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *out;
  xai_shape s;
  xai_status st = xai_ew_input(ctx, 0, &in);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, in, "input", k_types, 2);
  if (!st) st = xai_ew_same_type(ctx, in, "input", out, "output");
  if (!st) st = xai_ew_shape(ctx, in, &s);
  if (!st) st = xai_ew_check_dims(ctx, out, "output", &s);
  if (st) return st;
  log_softmax_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->depth = in->rank ? (size_t)in->dims[in->rank - 1] : 1;
  d->outer = d->depth ? xai_rt_tensor_elements(in) / d->depth : 0;
  if (in->type != XAI_TYPE_INT8) return XAI_OK;
  if ((st = xai_ew_check_quantized(ctx, in, "input")) ||
      (st = xai_ew_check_quantized(ctx, out, "output")))
    return st;
  if (out->scale != 16.0f / 256.0f || out->zero_point != 127)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "int8 output has scale %g and zero point %d; TFLM's "
                       "kernel takes scale 0.0625 (16/256) and zero point 127",
                       (double)out->scale, (int)out->zero_point);
  xai_error e;
  xai_error_clear(&e);
  if (xai_log_softmax_params_make(in->scale, &d->q, &e))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "%s", e.message);
  return XAI_OK;
}

static xai_status log_softmax_eval(xai_op_ctx *ctx) {
  const log_softmax_data *d = ctx->data;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  void *out = xai_op_output(ctx, 0)->data;
  if (in->type == XAI_TYPE_INT8)
    xai_log_softmax_s8_ref(&d->q, d->outer, d->depth, in->data, out);
  else
    xai_log_softmax_f32_ref(d->outer, d->depth, in->data, out);
  return XAI_OK;
}

const xai_op_registration xai_op_log_softmax = {
    XAI_OP_LOG_SOFTMAX, NULL, log_softmax_prepare, log_softmax_eval, NULL};
