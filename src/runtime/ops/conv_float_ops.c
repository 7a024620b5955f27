/* The float32 path of CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D and
 * MAX_POOL_2D (conv_conv2d.c, conv_depthwise.c, conv_pooling.c hand float
 * inputs here). */
#include <string.h>

#include "arith_float_internal.h"
#include "conv_float_internal.h"
#include "conv_ops_internal.h"
#include "xai/kernels_ref/conv_float.h"

typedef struct {
  xai_conv_float_kind kind;
  xai_conv_f32_params p;
  xai_dims4 in, filter, out;
  int32_t filter_h, filter_w;
} convf_data;

xai_status xai_conv_float_prepare(xai_op_ctx *ctx, xai_conv_float_kind kind) {
  xai_rt_tensor *in, *out, *filter = NULL;
  xai_rt_tensor *bias = kind == XAI_CONVF_CONV || kind == XAI_CONVF_DEPTHWISE
                            ? xai_op_input(ctx, 2)
                            : NULL;
  xai_status st = xai_conv_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_conv_op_output(ctx, &out);
  if (!st && (kind == XAI_CONVF_CONV || kind == XAI_CONVF_DEPTHWISE))
    st = xai_conv_op_input(ctx, 1, "filter", &filter);
  if (st) return st;
  convf_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  d->kind = kind;
  st = xai_conv_op_expect_type(ctx, out, UINT32_MAX, "output", XAI_TYPE_FLOAT32);
  if (!st) st = xai_conv_op_dims4(ctx, in, "input", &d->in);
  if (!st && filter)
    st = xai_conv_op_expect_type(ctx, filter, 1, "filter", XAI_TYPE_FLOAT32);
  if (!st && filter) st = xai_conv_op_dims4(ctx, filter, "filter", &d->filter);
  if (st) return st;
  int padding, act;
  int32_t fh, fw, sh, sw, dh = 1, dw = 1;
  if (kind == XAI_CONVF_CONV) {
    const xai_conv2d_options *o = &ctx->options->u.conv2d;
    padding = o->padding, act = o->fused_activation_function;
    sh = o->stride_h, sw = o->stride_w, dh = o->dilation_h_factor,
    dw = o->dilation_w_factor;
    fh = d->filter.h, fw = d->filter.w;
  } else if (kind == XAI_CONVF_DEPTHWISE) {
    const xai_depthwise_conv2d_options *o = &ctx->options->u.depthwise_conv2d;
    padding = o->padding, act = o->fused_activation_function;
    sh = o->stride_h, sw = o->stride_w, dh = o->dilation_h_factor,
    dw = o->dilation_w_factor;
    fh = d->filter.h, fw = d->filter.w;
    d->p.depth_multiplier = d->in.c ? d->filter.c / d->in.c : 0;
  } else {
    const xai_pool2d_options *o = &ctx->options->u.pool2d;
    padding = o->padding, act = o->fused_activation_function;
    sh = o->stride_h, sw = o->stride_w;
    fh = d->filter_h = o->filter_height, fw = d->filter_w = o->filter_width;
  }
  if (sh < 1 || sw < 1 || dh < 1 || dw < 1 || fh < 1 || fw < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "strides, dilations and filter sizes must be >= 1");
  const int32_t out_c = kind == XAI_CONVF_CONV ? d->filter.n
                        : kind == XAI_CONVF_DEPTHWISE ? d->filter.c
                                                      : d->in.c;
  if (kind == XAI_CONVF_CONV &&
      (d->filter.c < 1 || d->in.c < d->filter.c || d->in.c % d->filter.c ||
       out_c % (d->in.c / d->filter.c)))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "filter depth %d does not divide the input depth %d",
                       (int)d->filter.c, (int)d->in.c);
  if (kind == XAI_CONVF_DEPTHWISE &&
      (d->filter.n != 1 || d->p.depth_multiplier < 1 ||
       d->filter.c != d->in.c * d->p.depth_multiplier))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "filter [1, h, w, %d] does not fit %d input channels",
                       (int)d->filter.c, (int)d->in.c);
  if (bias && (st = xai_conv_op_check_bias(ctx, bias, 2, XAI_TYPE_FLOAT32, out_c)))
    return st;
  xai_dims4 want = {d->in.n, xai_conv_out_size(padding, d->in.h, fh, sh, dh),
                    xai_conv_out_size(padding, d->in.w, fw, sw, dw), out_c};
  if ((st = xai_conv_op_check_out4(ctx, out, &want))) return st;
  d->out = want;
  d->p.stride_h = sh, d->p.stride_w = sw;
  d->p.dilation_h = dh, d->p.dilation_w = dw;
  d->p.pad_h = xai_conv_pad(d->in.h, fh, sh, dh, want.h);
  d->p.pad_w = xai_conv_pad(d->in.w, fw, sw, dw, want.w);
  xai_activation_range_f32(act, &d->p.act_min, &d->p.act_max);
  return XAI_OK;
}

xai_status xai_conv_float_eval(xai_op_ctx *ctx) {
  const convf_data *d = ctx->data;
  const float *in = xai_op_input(ctx, 0)->data;
  float *out = xai_op_output(ctx, 0)->data;
  if (d->kind == XAI_CONVF_AVG_POOL || d->kind == XAI_CONVF_MAX_POOL) {
    xai_pool_f32_ref(d->kind == XAI_CONVF_MAX_POOL, &d->p, d->filter_h,
                     d->filter_w, &d->in, in, &d->out, out);
    return XAI_OK;
  }
  const float *filter = xai_op_input(ctx, 1)->data;
  const xai_rt_tensor *b = xai_op_input(ctx, 2);
  const float *bias = b ? b->data : NULL;
  if (d->kind == XAI_CONVF_CONV)
    xai_conv2d_f32_ref(&d->p, &d->in, in, &d->filter, filter, bias, &d->out,
                       out);
  else
    xai_depthwise_f32_ref(&d->p, &d->in, in, &d->filter, filter, bias,
                          &d->out, out);
  return XAI_OK;
}
