/* AVERAGE_POOL_2D and MAX_POOL_2D (TFLite pooling.cc), int8 and int16.
 * TFLite's integer pooling does not requantize: the output takes the
 * input's values (converters give both the same scale and zero point);
 * only the fused activation clamps, in the output's quantization. */
#include <string.h>

#include "conv_float_internal.h"
#include "conv_ops_internal.h"

typedef struct {
  bool s16;
  xai_pool_params p;
  xai_dims4 in, out;
} pool_data;

static xai_status prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *out;
  xai_status st = xai_conv_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_conv_op_output(ctx, &out);
  if (st) return st;
  const xai_pool2d_options *o = &ctx->options->u.pool2d;

  pool_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;

  if (in->type != XAI_TYPE_INT8 && in->type != XAI_TYPE_INT16)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input tensor %d is %s; expected INT8 or INT16 "
                       "(quantize the model)",
                       (int)xai_conv_op_tensor_index(ctx, 0),
                       xai_tensor_type_name(in->type));
  d->s16 = in->type == XAI_TYPE_INT16;
  st = xai_conv_op_expect_type(ctx, out, UINT32_MAX, "output", in->type);
  if (!st) st = xai_conv_op_dims4(ctx, in, "input", &d->in);
  if (!st) st = xai_conv_op_expect_quant(ctx, out, "output");
  if (st) return st;
  if (o->stride_w < 1 || o->stride_h < 1 || o->filter_width < 1 ||
      o->filter_height < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "filter %dx%d and strides %dx%d must all be >= 1",
                       (int)o->filter_height, (int)o->filter_width, (int)o->stride_h,
                       (int)o->stride_w);
  xai_dims4 want = {d->in.n,
                    xai_conv_out_size(o->padding, d->in.h, o->filter_height,
                                      o->stride_h, 1),
                    xai_conv_out_size(o->padding, d->in.w, o->filter_width,
                                      o->stride_w, 1),
                    d->in.c};
  st = xai_conv_op_check_out4(ctx, out, &want);
  if (st) return st;
  d->out = want;
  d->p.stride_h = o->stride_h;
  d->p.stride_w = o->stride_w;
  d->p.filter_h = o->filter_height;
  d->p.filter_w = o->filter_width;
  d->p.pad_h = xai_conv_pad(d->in.h, o->filter_height, o->stride_h, 1, want.h);
  d->p.pad_w = xai_conv_pad(d->in.w, o->filter_width, o->stride_w, 1, want.w);
  xai_conv_op_act_range(out, o->fused_activation_function, &d->p.act_min,
                        &d->p.act_max);
  return XAI_OK;
}

static xai_status eval_avg(xai_op_ctx *ctx) {
  const pool_data *d = ctx->data;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  xai_status st =
      d->s16 ? xai_avgpool2d_s16_ref(&d->p, &d->in, in->data, &d->out,
                                     out->data)
             : xai_avgpool2d_s8_ref(&d->p, &d->in, in->data, &d->out,
                                    out->data);
  if (st == XAI_ERR_ARGUMENT)
    return xai_op_fail(ctx, st,
                       "a pooling window lies entirely in the padding; "
                       "TFLite fails such models too");
  return st ? xai_conv_op_kernel_failed(ctx, st) : XAI_OK;
}

static xai_status eval_max(xai_op_ctx *ctx) {
  const pool_data *d = ctx->data;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  xai_status st =
      d->s16 ? xai_maxpool2d_s16_ref(&d->p, &d->in, in->data, &d->out,
                                     out->data)
             : xai_maxpool2d_s8_ref(&d->p, &d->in, in->data, &d->out,
                                    out->data);
  return st ? xai_conv_op_kernel_failed(ctx, st) : XAI_OK;
}

/* float32 inputs take TFLM's float kernels (conv_float_ops.c). */
static xai_status prepare_avg(xai_op_ctx *ctx) {
  return xai_conv_float_input(ctx)
             ? xai_conv_float_prepare(ctx, XAI_CONVF_AVG_POOL)
             : prepare(ctx);
}
static xai_status prepare_max(xai_op_ctx *ctx) {
  return xai_conv_float_input(ctx)
             ? xai_conv_float_prepare(ctx, XAI_CONVF_MAX_POOL)
             : prepare(ctx);
}
static xai_status eval_avg_any(xai_op_ctx *ctx) {
  return xai_conv_float_input(ctx) ? xai_conv_float_eval(ctx) : eval_avg(ctx);
}
static xai_status eval_max_any(xai_op_ctx *ctx) {
  return xai_conv_float_input(ctx) ? xai_conv_float_eval(ctx) : eval_max(ctx);
}

const xai_op_registration xai_op_average_pool_2d = {
    XAI_OP_AVERAGE_POOL_2D, NULL, prepare_avg, eval_avg_any, NULL};
const xai_op_registration xai_op_max_pool_2d = {
    XAI_OP_MAX_POOL_2D, NULL, prepare_max, eval_max_any, NULL};
