/* QUANTIZE and DEQUANTIZE (TFLite quantize.cc, dequantize.cc). */
#include "elementwise_internal.h"

typedef struct {
  int8_t in_type, out_type;
  size_t count;
  int from_float;
  float scale; /* float -> int: output scale; DEQUANTIZE: input scale */
  int32_t zero_point;
  xai_requantize_params rq;
} quant_data;

static const int8_t k_int_types[] = {XAI_TYPE_INT8, XAI_TYPE_UINT8,
                                     XAI_TYPE_INT16, XAI_TYPE_INT32};

static xai_status prepare_quantize(xai_op_ctx *ctx) {
  static const int8_t in_types[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                    XAI_TYPE_UINT8, XAI_TYPE_INT16,
                                    XAI_TYPE_INT32};
  xai_rt_tensor *in, *out;
  xai_status st = xai_ew_input(ctx, 0, &in);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, in, "input", in_types, 5);
  if (!st) st = xai_ew_check_type(ctx, out, "output", k_int_types, 4);
  if (!st) st = xai_ew_check_quantized(ctx, out, "output");
  if (!st && in->type != XAI_TYPE_FLOAT32)
    st = xai_ew_check_quantized(ctx, in, "input");
  xai_shape s;
  if (!st) st = xai_ew_shape(ctx, in, &s);
  if (!st) st = xai_ew_check_dims(ctx, out, "output", &s);
  if (st) return st;
  quant_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->in_type = in->type;
  d->out_type = out->type;
  d->count = xai_rt_tensor_elements(in);
  d->from_float = in->type == XAI_TYPE_FLOAT32;
  d->scale = out->scale;
  d->zero_point = out->zero_point;
  if (!d->from_float)
    xai_requantize_params_make(in->scale, in->zero_point, out->scale,
                               out->zero_point, &d->rq);
  return XAI_OK;
}

static xai_status eval_quantize(xai_op_ctx *ctx) {
  const quant_data *d = ctx->data;
  const void *in = xai_op_input(ctx, 0)->data;
  void *out = xai_op_output(ctx, 0)->data;
  if (d->from_float)
    return xai_quantize_f32_ref(d->scale, d->zero_point, d->out_type,
                                d->count, in, out);
  return xai_requantize_ref(&d->rq, d->in_type, d->out_type, d->count, in,
                            out);
}

static xai_status prepare_dequantize(xai_op_ctx *ctx) {
  static const int8_t out_types[] = {XAI_TYPE_FLOAT32};
  xai_rt_tensor *in, *out;
  xai_status st = xai_ew_input(ctx, 0, &in);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, in, "input", k_int_types, 3);
  if (!st) st = xai_ew_check_type(ctx, out, "output", out_types, 1);
  if (!st) st = xai_ew_check_quantized(ctx, in, "input");
  xai_shape s;
  if (!st) st = xai_ew_shape(ctx, in, &s);
  if (!st) st = xai_ew_check_dims(ctx, out, "output", &s);
  if (st) return st;
  quant_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->in_type = in->type;
  d->count = xai_rt_tensor_elements(in);
  d->scale = in->scale;
  d->zero_point = in->zero_point;
  return XAI_OK;
}

static xai_status eval_dequantize(xai_op_ctx *ctx) {
  const quant_data *d = ctx->data;
  return xai_dequantize_ref(d->scale, d->zero_point, d->in_type, d->count,
                            xai_op_input(ctx, 0)->data,
                            xai_op_output(ctx, 0)->data);
}

const xai_op_registration xai_op_quantize = {XAI_OP_QUANTIZE, NULL,
                                             prepare_quantize, eval_quantize, NULL};
const xai_op_registration xai_op_dequantize = {
    XAI_OP_DEQUANTIZE, NULL, prepare_dequantize, eval_dequantize, NULL};
