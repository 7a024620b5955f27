/* LceBconv2d and LceBMaxPool2d with the reference kernels. Options are
 * the flexbuffer maps LCE's converter writes (larq_compute_engine 0.16):
 *   LceBconv2d: channels_in, dilation_height_factor, dilation_width_factor,
 *     fused_activation_function (TFLite ActivationFunctionType), pad_values
 *     (0 or 1), padding (TFLite Padding: 0 SAME, 1 VALID), stride_height,
 *     stride_width; inputs: input, filter, post_activation_multiplier,
 *     post_activation_bias, output_threshold (the unused ones absent).
 *   LceBMaxPool2d: filter_height, filter_width, padding, stride_height,
 *     stride_width. */
#include <string.h>

#include "lce_ops_internal.h"

static const char *act_name(int32_t a) {
  static const char *const names[] = {"NONE", "RELU", "RELU_N1_TO_1",
                                      "RELU6", "TANH", "SIGN_BIT"};
  return a >= 0 && a < 6 ? names[a] : "?";
}

static xai_status decode_options(xai_op_ctx *ctx, xai_lce_bconv_geometry *g) {
  xai_flexbuf_ref map;
  xai_bconv2d_params *p = &g->p;
  xai_status st = xai_xcore_op_options(ctx, &map);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "stride_height", 1, 65535, &p->stride_h);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "stride_width", 1, 65535, &p->stride_w);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "dilation_height_factor", 1, 65535, &p->dil_h);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "dilation_width_factor", 1, 65535, &p->dil_w);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "padding", 0, 1, &g->padding);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "pad_values", 0, 1, &g->pad_values);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "channels_in", 1, 1 << 20, &p->channels_in);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "fused_activation_function", 0, 255, &g->activation);
  if (st) return st;
  if (g->activation > XAI_ACT_RELU6)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "option 'fused_activation_function' is %d (%s); LCE "
                       "binary convolutions fuse NONE, RELU, RELU_N1_TO_1 or "
                       "RELU6 only", (int)g->activation,
                       act_name(g->activation));
  return XAI_OK;
}

xai_status xai_lce_bconv_decode(xai_op_ctx *ctx, xai_lce_bconv_geometry *g) {
  memset(g, 0, sizeof *g);
  xai_bconv2d_params *p = &g->p;
  xai_rt_tensor *in, *out;
  xai_status st = xai_lce_op_io(ctx, 5, &in, &out);
  if (!st) st = decode_options(ctx, g);
  if (st) return st;
  xai_rt_tensor *filter = xai_op_input(ctx, 1);
  if (!filter)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "the filter input is absent");
  if ((st = xai_lce_op_expect_type(ctx, in, "input", XAI_TYPE_INT32)) ||
      (st = xai_lce_op_expect_type(ctx, filter, "filter", XAI_TYPE_INT32)) ||
      (st = xai_lce_op_dims4(ctx, in, "input", &g->in)) ||
      (st = xai_lce_op_dims4(ctx, filter, "filter", &g->filter)) ||
      (st = xai_lce_op_dims4(ctx, out, "output", &g->out)))
    return st;
  const int32_t cin = p->channels_in, words = xai_lce_words(cin);
  if (g->in.c != words)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "option 'channels_in' is %d (%d words) but the "
                       "bitpacked input has %d words a pixel",
                       (int)cin, (int)words, (int)g->in.c);
  g->channels_out = g->filter.n;
  if (g->filter.c < 1 || g->filter.h < 1 || g->filter.w < 1 ||
      g->channels_out < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "the filter has an empty axis");
  if (g->filter.c == words) {
    p->groups = 1;
  } else if (words % g->filter.c == 0) {
    p->groups = words / g->filter.c;
    if ((cin / p->groups) % 32 != 0 || cin % p->groups != 0 ||
        g->channels_out % p->groups != 0)
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "%d groups of option 'channels_in' %d: LCE groups "
                         "need a multiple of 32 input channels per group and "
                         "output channels (%d) divisible by the groups",
                         (int)p->groups, (int)cin, (int)g->channels_out);
  } else {
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the filter's depth is %d words; option 'channels_in' "
                       "%d packs into %d, not a multiple of it",
                       (int)g->filter.c, (int)cin, (int)words);
  }
  g->k_depth = g->filter.h * g->filter.w * (cin / p->groups);
  p->zero_padding = g->padding == XAI_PADDING_SAME && g->pad_values == 0;
  if (p->zero_padding && cin % 2 != 0)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "option 'pad_values' 0 (zero padding) with an odd "
                       "option 'channels_in' (%d): LCE's reference kernel "
                       "refuses it too", (int)cin);
  int32_t oh = xai_conv_out_size(g->padding, g->in.h, g->filter.h,
                                 p->stride_h, p->dil_h);
  int32_t ow = xai_conv_out_size(g->padding, g->in.w, g->filter.w,
                                 p->stride_w, p->dil_w);
  if (oh < 1 || ow < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "a %dx%d filter (dilation %dx%d) does not fit the "
                       "%dx%d input", (int)g->filter.h, (int)g->filter.w,
                       (int)p->dil_h, (int)p->dil_w, (int)g->in.h,
                       (int)g->in.w);
  p->pad_h = xai_conv_pad(g->in.h, g->filter.h, p->stride_h, p->dil_h, oh);
  p->pad_w = xai_conv_pad(g->in.w, g->filter.w, p->stride_w, p->dil_w, ow);
  if (out->type == XAI_TYPE_INT32) {
    p->out_kind = XAI_BCONV_OUT_BITPACKED;
  } else if (out->type == XAI_TYPE_INT8) {
    p->out_kind = XAI_BCONV_OUT_INT8;
    if ((st = xai_lce_op_expect_scale(ctx, out, "output"))) return st;
  } else if (out->type == XAI_TYPE_FLOAT32) {
    p->out_kind = XAI_BCONV_OUT_FLOAT;
  } else {
    return xai_lce_op_bad_type(ctx, "output", out,
                               "FLOAT32, INT8 or INT32 (bitpacked)");
  }
  int32_t want_c = p->out_kind == XAI_BCONV_OUT_BITPACKED
                       ? xai_lce_words(g->channels_out)
                       : g->channels_out;
  if (g->out.n != g->in.n || g->out.h != oh || g->out.w != ow ||
      g->out.c != want_c)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output is %dx%dx%dx%d; the options give %dx%dx%dx%d",
                       (int)g->out.n, (int)g->out.h, (int)g->out.w,
                       (int)g->out.c, (int)g->in.n, (int)oh, (int)ow,
                       (int)want_c);
  g->out.c = g->channels_out;
  if (p->out_kind == XAI_BCONV_OUT_BITPACKED)
    return xai_lce_op_vector(ctx, xai_op_input(ctx, 4), "output_threshold",
                             XAI_TYPE_INT32, g->channels_out);
  if ((st = xai_lce_op_vector(ctx, xai_op_input(ctx, 2),
                              "post_activation_multiplier", XAI_TYPE_FLOAT32,
                              g->channels_out)))
    return st;
  return xai_lce_op_vector(ctx, xai_op_input(ctx, 3), "post_activation_bias",
                           XAI_TYPE_FLOAT32, g->channels_out);
}

/* The op runs on the VLMACCR1 kernel (bit-exact with the reference one),
 * its output pixels split over the default thread count (XAI_bconv2d, the
 * xformer's form, carries its own). */
#define LCE_BCONV_THREADS 5u

static xai_status prepare_bconv(xai_op_ctx *ctx) {
  xai_bconv_run *r = xai_op_alloc_persistent(ctx, sizeof *r);
  if (!r) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(r, 0, sizeof *r);
  ctx->data = r;
  xai_lce_bconv_geometry g;
  xai_status st = xai_lce_bconv_decode(ctx, &g);
  if (st) return st;
  r->p = g.p;
  r->in = g.in;
  r->filter = g.filter;
  r->conv = r->out = g.out;
  r->k_depth = g.k_depth;
  r->threads = LCE_BCONV_THREADS;
  const bool bits = r->p.out_kind == XAI_BCONV_OUT_BITPACKED;
  if ((st = xai_bconv_run_prepare(ctx, r, xai_op_input(ctx, 1),
                                  bits ? xai_op_input(ctx, 4) : NULL)))
    return st;
  xai_bconv2d_params *p = &r->p;
  if (p->out_kind == XAI_BCONV_OUT_BITPACKED) return XAI_OK;
  float *mb = xai_op_alloc_persistent(ctx, 2 * sizeof(float) *
                                                (size_t)g.channels_out);
  if (!mb) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  const xai_rt_tensor *out = xai_op_output(ctx, 0);
  int s8 = p->out_kind == XAI_BCONV_OUT_INT8;
  xai_bconv2d_transform_make(xai_op_input(ctx, 2)->data,
                             xai_op_input(ctx, 3)->data, g.channels_out,
                             g.k_depth, g.activation,
                             s8 ? (double)out->scale : 1.0,
                             s8 ? (double)out->zero_point : 0.0, mb,
                             mb + g.channels_out, &p->clamp_min,
                             &p->clamp_max);
  p->mult = mb;
  p->bias = mb + g.channels_out;
  return XAI_OK;
}

static xai_status eval_bconv(xai_op_ctx *ctx) {
  xai_bconv_run *r = ctx->data;
  const xai_rt_tensor *th = xai_op_input(ctx, 4);
  return xai_bconv_run_eval(ctx, r, xai_op_input(ctx, 1)->data,
                            r->p.out_kind == XAI_BCONV_OUT_BITPACKED
                                ? th->data : NULL);
}

typedef struct {
  xai_bmaxpool_params p;
  xai_dims4 in, out;
} pool_data;

static xai_status prepare_bmaxpool(xai_op_ctx *ctx) {
  pool_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  ctx->data = d;
  xai_rt_tensor *in, *out;
  xai_flexbuf_ref map;
  int32_t padding;
  xai_status st = xai_lce_op_io(ctx, 1, &in, &out);
  if (!st) st = xai_xcore_op_options(ctx, &map);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "filter_height", 1, 65535, &d->p.filter_h);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "filter_width", 1, 65535, &d->p.filter_w);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "stride_height", 1, 65535, &d->p.stride_h);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "stride_width", 1, 65535, &d->p.stride_w);
  if (!st) st = xai_xcore_op_opt_int(ctx, &map, "padding", 0, 1, &padding);
  if (!st) st = xai_lce_op_expect_type(ctx, in, "input", XAI_TYPE_INT32);
  if (!st) st = xai_lce_op_expect_type(ctx, out, "output", XAI_TYPE_INT32);
  if (!st) st = xai_lce_op_dims4(ctx, in, "input", &d->in);
  if (!st) st = xai_lce_op_dims4(ctx, out, "output", &d->out);
  if (st) return st;
  int32_t oh = xai_conv_out_size(padding, d->in.h, d->p.filter_h,
                                 d->p.stride_h, 1);
  int32_t ow = xai_conv_out_size(padding, d->in.w, d->p.filter_w,
                                 d->p.stride_w, 1);
  if (oh < 1 || ow < 1 || d->out.n != d->in.n || d->out.h != oh ||
      d->out.w != ow || d->out.c != d->in.c)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output is %dx%dx%dx%d; the options give %dx%dx%dx%d",
                       (int)d->out.n, (int)d->out.h, (int)d->out.w,
                       (int)d->out.c, (int)d->in.n, (int)oh, (int)ow,
                       (int)d->in.c);
  d->p.pad_h = xai_conv_pad(d->in.h, d->p.filter_h, d->p.stride_h, 1, oh);
  d->p.pad_w = xai_conv_pad(d->in.w, d->p.filter_w, d->p.stride_w, 1, ow);
  return XAI_OK;
}

static xai_status eval_bmaxpool(xai_op_ctx *ctx) {
  const pool_data *d = ctx->data;
  xai_bmaxpool2d_ref(&d->p, &d->in, xai_op_input(ctx, 0)->data, &d->out,
                     xai_op_output(ctx, 0)->data);
  return XAI_OK;
}

const xai_op_registration xai_op_lce_bconv2d = {
    XAI_OP_CUSTOM, "LceBconv2d", prepare_bconv, eval_bconv, NULL};
const xai_op_registration xai_op_lce_bmaxpool2d = {
    XAI_OP_CUSTOM, "LceBMaxPool2d", prepare_bmaxpool, eval_bmaxpool, NULL};
