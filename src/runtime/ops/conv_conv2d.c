/* CONV_2D (TFLite conv.cc): int8, and int16 activations with int8 weights
 * (int64 bias: 64-bit accumulation; int32 or no bias: 32-bit, as TFLite
 * picks its reference kernel by the bias type). Grouped convolution when
 * the input depth is a multiple of the filter depth. */
#include <string.h>

#include "conv_float_internal.h"
#include "conv_ops_internal.h"

enum { CONV_S8, CONV_S16_ACC64, CONV_S16_ACC32 };

typedef struct {
  int kind;
  xai_conv_params p;
  xai_conv_op_quant q;
  xai_dims4 in, filter, out;
  const void *bias; /* aligned constant bias, or NULL: read at eval */
} conv2d_data;

static xai_status prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *filter, *out;
  xai_rt_tensor *bias = xai_op_input(ctx, 2);
  xai_status st = xai_conv_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_conv_op_input(ctx, 1, "filter", &filter);
  if (!st) st = xai_conv_op_output(ctx, &out);
  if (st) return st;
  const xai_conv2d_options *o = &ctx->options->u.conv2d;

  conv2d_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;

  if (in->type == XAI_TYPE_INT8) {
    d->kind = CONV_S8;
    st = xai_conv_op_expect_type(ctx, out, UINT32_MAX, "output",
                                 XAI_TYPE_INT8);
    if (!st) st = xai_conv_op_check_bias(ctx, bias, 2, XAI_TYPE_INT32,
                                         filter->rank ? filter->dims[0] : 0);
  } else if (in->type == XAI_TYPE_INT16) {
    st = xai_conv_op_expect_type(ctx, out, UINT32_MAX, "output",
                                 XAI_TYPE_INT16);
    d->kind = bias && bias->type == XAI_TYPE_INT64 ? CONV_S16_ACC64
                                                   : CONV_S16_ACC32;
    if (!st)
      st = xai_conv_op_check_bias(
          ctx, bias, 2,
          d->kind == CONV_S16_ACC64 ? XAI_TYPE_INT64 : XAI_TYPE_INT32,
          filter->rank ? filter->dims[0] : 0);
    if (!st && (in->zero_point != 0 || out->zero_point != 0))
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "int16 input/output zero points are %d/%d; TFLite's "
                         "16x8 convolution needs both 0",
                         (int)in->zero_point, (int)out->zero_point);
  } else {
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input tensor %d is %s; expected INT8 or INT16 "
                       "(quantize the model)",
                       (int)xai_conv_op_tensor_index(ctx, 0),
                       xai_tensor_type_name(in->type));
  }
  if (!st) st = xai_conv_op_expect_type(ctx, filter, 1, "filter",
                                        XAI_TYPE_INT8);
  if (!st) st = xai_conv_op_dims4(ctx, in, "input", &d->in);
  if (!st) st = xai_conv_op_dims4(ctx, filter, "filter", &d->filter);
  if (!st) st = xai_conv_op_expect_quant(ctx, in, "input");
  if (!st) st = xai_conv_op_expect_quant(ctx, out, "output");
  if (st) return st;

  if (o->stride_w < 1 || o->stride_h < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "strides are %dx%d; must be >= 1",
                       (int)o->stride_h, (int)o->stride_w);
  const int32_t dil_h = o->dilation_h_factor > 0 ? o->dilation_h_factor : 1;
  const int32_t dil_w = o->dilation_w_factor > 0 ? o->dilation_w_factor : 1;
  if (d->filter.c < 1 || d->in.c < d->filter.c || d->in.c % d->filter.c != 0 ||
      d->filter.n % (d->in.c / d->filter.c) != 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input depth %d is not a multiple of filter depth %d "
                       "with the %d filters split evenly into groups",
                       (int)d->in.c, (int)d->filter.c, (int)d->filter.n);

  xai_dims4 want = {d->in.n,
                    xai_conv_out_size(o->padding, d->in.h, d->filter.h,
                                      o->stride_h, dil_h),
                    xai_conv_out_size(o->padding, d->in.w, d->filter.w,
                                      o->stride_w, dil_w),
                    d->filter.n};
  st = xai_conv_op_check_out4(ctx, out, &want);
  if (st) return st;
  d->out = want;

  d->p.stride_h = o->stride_h;
  d->p.stride_w = o->stride_w;
  d->p.dilation_h = dil_h;
  d->p.dilation_w = dil_w;
  d->p.pad_h = xai_conv_pad(d->in.h, d->filter.h, o->stride_h, dil_h, want.h);
  d->p.pad_w = xai_conv_pad(d->in.w, d->filter.w, o->stride_w, dil_w, want.w);
  d->p.input_offset = -in->zero_point;
  d->p.output_offset = out->zero_point;
  xai_conv_op_act_range(out, o->fused_activation_function, &d->p.act_min,
                        &d->p.act_max);
  st = xai_conv_op_channel_quant(ctx, in, filter, out, d->filter.n, 0, &d->q);
  if (st) return st;
  return xai_conv_op_const_aligned(
      ctx, bias, d->kind == CONV_S16_ACC64 ? sizeof(int64_t) : sizeof(int32_t),
      &d->bias);
}

static xai_status eval(xai_op_ctx *ctx) {
  const conv2d_data *d = ctx->data;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  const xai_rt_tensor *filter = xai_op_input(ctx, 1);
  const xai_rt_tensor *bias = xai_op_input(ctx, 2);
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  const void *b = xai_conv_op_data(d->bias, bias);
  xai_per_channel_quant q;
  xai_conv_op_quant_get(&d->q, &q);
  xai_status st;
  switch (d->kind) {
    case CONV_S8:
      st = xai_conv2d_s8_ref(&d->p, &q, &d->in, in->data, &d->filter,
                             filter->data, b, &d->out, out->data);
      break;
    case CONV_S16_ACC64:
      st = xai_conv2d_s16_ref(&d->p, &q, &d->in, in->data, &d->filter,
                              filter->data, b, &d->out, out->data);
      break;
    default:
      st = xai_conv2d_s16_acc32_ref(&d->p, &q, &d->in, in->data,
                                    &d->filter, filter->data, b, &d->out,
                                    out->data);
      break;
  }
  return st ? xai_conv_op_kernel_failed(ctx, st) : XAI_OK;
}

/* float32 inputs take TFLM's float kernel (conv_float_ops.c). */
static xai_status prepare_any(xai_op_ctx *ctx) {
  return xai_conv_float_input(ctx) ? xai_conv_float_prepare(ctx, XAI_CONVF_CONV)
                                   : prepare(ctx);
}
static xai_status eval_any(xai_op_ctx *ctx) {
  return xai_conv_float_input(ctx) ? xai_conv_float_eval(ctx) : eval(ctx);
}

const xai_op_registration xai_op_conv_2d = {XAI_OP_CONV_2D, NULL, prepare_any,
                                            eval_any, NULL};
