/* FULLY_CONNECTED (TFLite fully_connected.cc): int8 with per-tensor or
 * per-channel weights, int16 activations with int8 weights (int64 bias),
 * and float32. Weights are [units, depth] in the default format. */
#include <string.h>

#include "conv_ops_internal.h"

enum { FC_S8, FC_S16, FC_F32, FC_S16_B32 };

typedef struct {
  int kind;
  xai_fc_dims dims;
  xai_fc_params p;
  xai_conv_op_quant q;
  float fmin, fmax;
  const void *weights; /* aligned float weights, or NULL: tensor data */
  const void *bias;
} fc_data;

/* TFLite's per-tensor multiplier multiplies the two float scales in float
 * before widening (kernel_util.cc GetQuantizedConvolutionMultipler); the
 * per-channel path computes in double. Both are broadcast per unit. */
static xai_status fc_quant(xai_op_ctx *ctx, const xai_rt_tensor *in,
                           const xai_rt_tensor *w, const xai_rt_tensor *out,
                           int32_t units, fc_data *d) {
  if (w->quant_count > 1)
    return xai_conv_op_channel_quant(ctx, in, w, out, units, 0, &d->q);
  if (w->quant_count == 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "weights '%s' have no quantization scale",
                       xai_op_tensor_name(ctx, w));
  const float product = in->scale * w->scale;
  const double real = (double)product / (double)out->scale;
  int32_t m = 0;
  int s = 0;
  xai_quantize_multiplier(real, &m, &s);
  return xai_conv_op_shared_quant(ctx, units, m, s, &d->q);
}

/* Output dims: keep_num_dims keeps the input's leading dims, otherwise
 * [batches, units]. A declared output with the same element count and
 * last dimension is accepted too (TFLite resizes its output; TFLite Micro
 * models often carry e.g. [1, 1, units]). */
static xai_status check_output(xai_op_ctx *ctx, const xai_rt_tensor *in,
                               const xai_rt_tensor *out, bool keep_dims,
                               int32_t batches, int32_t units) {
  size_t want = (size_t)batches * (size_t)units;
  bool ok = out->rank >= 1 && out->dims[out->rank - 1] == units &&
            xai_rt_tensor_elements(out) == want;
  if (ok && keep_dims) {
    ok = out->rank == in->rank;
    for (uint32_t i = 0; ok && i + 1 < in->rank; i++)
      ok = out->dims[i] == in->dims[i];
  }
  if (ok) return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "output tensor %d has %zu elements (last dimension %d); "
                     "expected %d batches x %d units%s",
                     (int)ctx->outputs[0], xai_rt_tensor_elements(out),
                     out->rank ? (int)out->dims[out->rank - 1] : 0,
                     (int)batches, (int)units,
                     keep_dims ? " keeping the input's leading dimensions"
                               : "");
}

static xai_status prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *w, *out;
  xai_rt_tensor *bias = xai_op_input(ctx, 2);
  xai_status st = xai_conv_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_conv_op_input(ctx, 1, "weights", &w);
  if (!st) st = xai_conv_op_output(ctx, &out);
  if (st) return st;
  /* The options type was checked at load (options_expected.c). */
  const xai_fully_connected_options *o = &ctx->options->u.fully_connected;
  bool wide_bias = false;

  fc_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;

  if (o->weights_format != 0)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "weights format %d is not supported; only the default "
                       "format", (int)o->weights_format);
  const int act = o->fused_activation_function;
  if (act != XAI_ACT_NONE && act != XAI_ACT_RELU &&
      act != XAI_ACT_RELU_N1_TO_1 && act != XAI_ACT_RELU6)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "fused activation %d is not supported (TFLite allows "
                       "NONE, RELU, RELU_N1_TO_1, RELU6)", act);
  if (w->rank != 2)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "weights tensor %d has rank %u; expected 2 "
                       "([units, depth])",
                       (int)xai_conv_op_tensor_index(ctx, 1), w->rank);
  const int32_t units = w->dims[0], depth = w->dims[1];
  const size_t in_elems = xai_rt_tensor_elements(in);
  if (depth < 1 || in_elems % (size_t)depth != 0 || in->rank < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input has %zu elements, not a whole number of rows "
                       "of depth %d", in_elems, (int)depth);
  if (o->keep_num_dims && in->dims[in->rank - 1] != depth)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "keep_num_dims needs the input's last dimension (%d) "
                       "to equal the weights depth %d",
                       (int)in->dims[in->rank - 1], (int)depth);
  d->dims.batches = (int32_t)(in_elems / (size_t)depth);
  d->dims.input_depth = depth;
  d->dims.output_depth = units;
  st = check_output(ctx, in, out, o->keep_num_dims, d->dims.batches, units);
  if (st) return st;

  if (in->type == XAI_TYPE_FLOAT32) {
    d->kind = FC_F32;
    st = xai_conv_op_expect_type(ctx, w, 1, "weights", XAI_TYPE_FLOAT32);
    if (st && w->type == XAI_TYPE_INT8)
      return st; /* hybrid (float input, int8 weights) is not supported */
    if (!st) st = xai_conv_op_expect_type(ctx, out, UINT32_MAX, "output",
                                          XAI_TYPE_FLOAT32);
    if (!st) st = xai_conv_op_check_bias(ctx, bias, 2, XAI_TYPE_FLOAT32,
                                         units);
    if (st) return st;
    xai_float_activation_range(act, &d->fmin, &d->fmax);
    st = xai_conv_op_const_aligned(ctx, w, sizeof(float), &d->weights);
    if (!st) st = xai_conv_op_const_aligned(ctx, bias, sizeof(float), &d->bias);
    return st;
  }
  if (in->type == XAI_TYPE_INT8) {
    d->kind = FC_S8;
    st = xai_conv_op_check_bias(ctx, bias, 2, XAI_TYPE_INT32, units);
  } else if (in->type == XAI_TYPE_INT16) {
    d->kind = FC_S16;
    /* TFLite Micro takes an int32 bias too, and then accumulates in int32
     * (xai_fully_connected_s16_b32_ref). */
    wide_bias = bias && bias->type == XAI_TYPE_INT32;
    st = xai_conv_op_check_bias(ctx, bias, 2,
                                wide_bias ? XAI_TYPE_INT32 : XAI_TYPE_INT64,
                                units);
    if (wide_bias) d->kind = FC_S16_B32;
    if (!st && (in->zero_point != 0 || out->zero_point != 0))
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "int16 input/output zero points are %d/%d; TFLite "
                         "needs both 0", (int)in->zero_point,
                         (int)out->zero_point);
  } else {
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input tensor %d is %s; expected INT8, INT16 or "
                       "FLOAT32", (int)xai_conv_op_tensor_index(ctx, 0),
                       xai_tensor_type_name(in->type));
  }
  if (!st) st = xai_conv_op_expect_type(ctx, w, 1, "weights", XAI_TYPE_INT8);
  if (!st) st = xai_conv_op_expect_type(ctx, out, UINT32_MAX, "output",
                                        in->type);
  if (!st) st = xai_conv_op_expect_quant(ctx, in, "input");
  if (!st) st = xai_conv_op_expect_quant(ctx, out, "output");
  if (!st) st = fc_quant(ctx, in, w, out, units, d);
  if (st) return st;
  d->p.input_offset = -in->zero_point;
  d->p.filter_offset = -w->zero_point;
  d->p.output_offset = out->zero_point;
  /* LiteRT's int8 FULLY_CONNECTED requantizes with a single rounding
   * (checked against BUILTIN_REF on mobilenet_v2 and hello_world_int8,
   * where the double-rounding reference kernel differs by 1 on ties);
   * TFLite Micro's rounds twice, like its conv. */
  d->p.single_rounding = d->kind == FC_S8 &&
                         xai_op_semantics(ctx) == XAI_SEMANTICS_LITERT;
  xai_conv_op_act_range(out, act, &d->p.act_min, &d->p.act_max);
  return xai_conv_op_const_aligned(
      ctx, bias, d->kind == FC_S16 ? sizeof(int64_t) : sizeof(int32_t),
      &d->bias);
}

/* Units at a time: the kernel takes int32 multipliers and shifts, made on
 * the stack from the tail's compact ones for FC_UNIT_CHUNK units (each
 * output element depends only on its own unit, so the bits are the same). */
#define FC_UNIT_CHUNK 32

static xai_status eval_quantized(xai_op_ctx *ctx, const fc_data *d,
                                 const int8_t *weights, const void *bias,
                                 const void *in, void *out) {
  const bool s16 = d->kind == FC_S16 || d->kind == FC_S16_B32;
  const size_t in_size = s16 ? 2 : 1;
  const size_t bias_size = d->kind == FC_S16 ? 8 : 4;
  const int32_t units = d->dims.output_depth, depth = d->dims.input_depth;
  int32_t mult[FC_UNIT_CHUNK], shift[FC_UNIT_CHUNK];
  for (int32_t b = 0; b < d->dims.batches; b++) {
    for (int32_t u0 = 0; u0 < units; u0 += FC_UNIT_CHUNK) {
      int32_t n = units - u0 < FC_UNIT_CHUNK ? units - u0 : FC_UNIT_CHUNK;
      xai_conv_op_quant_chunk(&d->q, u0, n, mult, shift);
      xai_per_channel_quant q = {.multiplier = mult, .shift = shift};
      xai_fc_dims dims = {1, depth, n};
      const uint8_t *x = (const uint8_t *)in + (size_t)b * depth * in_size;
      uint8_t *y = (uint8_t *)out + ((size_t)b * units + u0) * in_size;
      const int8_t *w = weights + (size_t)u0 * depth;
      const void *bb = bias ? (const uint8_t *)bias + u0 * bias_size : NULL;
      xai_status st =
          d->kind == FC_S16_B32
              ? xai_fully_connected_s16_b32_ref(
                    &d->p, &q, &dims, (const int16_t *)(const void *)x, w, bb,
                    (int16_t *)(void *)y)
          : s16 ? xai_fully_connected_s16_ref(&d->p, &q, &dims,
                                            (const int16_t *)(const void *)x,
                                            w, bb, (int16_t *)(void *)y)
              : xai_fully_connected_s8_ref(&d->p, &q, &dims,
                                           (const int8_t *)x, w, bb,
                                           (int8_t *)y);
      if (st) return xai_conv_op_kernel_failed(ctx, st);
    }
  }
  return XAI_OK;
}

static xai_status eval(xai_op_ctx *ctx) {
  const fc_data *d = ctx->data;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  const xai_rt_tensor *w = xai_op_input(ctx, 1);
  const void *b = xai_conv_op_data(d->bias, xai_op_input(ctx, 2));
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  if (d->kind != FC_F32)
    return eval_quantized(ctx, d, w->data, b, in->data, out->data);
  xai_status st = xai_fully_connected_f32_ref(
      &d->dims, d->fmin, d->fmax, in->data, xai_conv_op_data(d->weights, w),
      b, out->data);
  return st ? xai_conv_op_kernel_failed(ctx, st) : XAI_OK;
}

const xai_op_registration xai_op_fully_connected = {XAI_OP_FULLY_CONNECTED,
                                                    NULL, prepare, eval, NULL};
