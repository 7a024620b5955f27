/* XAI_bconv2d: the xformer's form of LceBconv2d (docs/xcore_ops.md), run
 * on the VLMACCR1 kernel with its own thread count and, when the xformer
 * fused the LceBMaxPool2d that read its bitpacked output, that pool.
 * Inputs: 0 bitpacked input (INT32, NHWC words), 1 bitpacked filter (INT32
 * OHWI, 1 bit a parameter), 2 the output transform: FLOAT32 [2 x oc]
 * (LCE's fused multipliers, then biases) for FLOAT32/INT8 output, INT32
 * [oc] thresholds for bitpacked output. Every input is read only in eval,
 * so any may live in the params file. Options: th, cin, g, oc, oh, ow (the
 * conv's output), sh, sw, dh, dw, ph, pw, zp (1: zero padding), cmin,
 * cmax, pool (0/1) and, with a pool, pfh, pfw, psh, psw, pph, ppw. */
#include <string.h>

#include "lce_ops_internal.h"

#define BIG (1 << 20)

static xai_status opt(xai_op_ctx *ctx, const xai_flexbuf_ref *m,
                      const char *key, int64_t lo, int64_t hi, int32_t *v) {
  return xai_xcore_op_opt_int(ctx, m, key, lo, hi, v);
}

static xai_status decode_pool(xai_op_ctx *ctx, const xai_flexbuf_ref *m,
                              xai_bmaxpool_params *q) {
  xai_status st = opt(ctx, m, "pfh", 1, 65535, &q->filter_h);
  if (!st) st = opt(ctx, m, "pfw", 1, 65535, &q->filter_w);
  if (!st) st = opt(ctx, m, "psh", 1, 65535, &q->stride_h);
  if (!st) st = opt(ctx, m, "psw", 1, 65535, &q->stride_w);
  if (!st) st = opt(ctx, m, "pph", 0, 65535, &q->pad_h);
  if (!st) st = opt(ctx, m, "ppw", 0, 65535, &q->pad_w);
  return st;
}

static xai_status decode(xai_op_ctx *ctx, xai_bconv_run *r) {
  xai_flexbuf_ref m;
  xai_bconv2d_params *p = &r->p;
  int32_t oc = 0, oh = 0, ow = 0, zp = 0, pool = 0;
  xai_status st = xai_xcore_op_options(ctx, &m);
  if (!st) st = xai_xcore_op_threads(ctx, &m, &r->threads);
  if (!st) st = opt(ctx, &m, "cin", 1, BIG, &p->channels_in);
  if (!st) st = opt(ctx, &m, "g", 1, BIG, &p->groups);
  if (!st) st = opt(ctx, &m, "oc", 1, BIG, &oc);
  if (!st) st = opt(ctx, &m, "oh", 1, BIG, &oh);
  if (!st) st = opt(ctx, &m, "ow", 1, BIG, &ow);
  if (!st) st = opt(ctx, &m, "sh", 1, 65535, &p->stride_h);
  if (!st) st = opt(ctx, &m, "sw", 1, 65535, &p->stride_w);
  if (!st) st = opt(ctx, &m, "dh", 1, 65535, &p->dil_h);
  if (!st) st = opt(ctx, &m, "dw", 1, 65535, &p->dil_w);
  if (!st) st = opt(ctx, &m, "ph", 0, 65535, &p->pad_h);
  if (!st) st = opt(ctx, &m, "pw", 0, 65535, &p->pad_w);
  if (!st) st = opt(ctx, &m, "zp", 0, 1, &zp);
  if (!st) st = opt(ctx, &m, "cmin", INT32_MIN, INT32_MAX, &p->clamp_min);
  if (!st) st = opt(ctx, &m, "cmax", INT32_MIN, INT32_MAX, &p->clamp_max);
  if (!st) st = opt(ctx, &m, "pool", 0, 1, &pool);
  if (!st && pool) st = decode_pool(ctx, &m, &r->pool);
  if (st) return st;
  p->zero_padding = zp;
  r->pooled = pool != 0;
  xai_rt_tensor *in, *out, *filter = xai_op_input(ctx, 1);
  if ((st = xai_lce_op_io(ctx, 3, &in, &out))) return st;
  if (!filter)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "the filter input is absent");
  if ((st = xai_lce_op_expect_type(ctx, in, "input", XAI_TYPE_INT32)) ||
      (st = xai_lce_op_expect_type(ctx, filter, "filter", XAI_TYPE_INT32)) ||
      (st = xai_lce_op_dims4(ctx, in, "input", &r->in)) ||
      (st = xai_lce_op_dims4(ctx, filter, "filter", &r->filter)) ||
      (st = xai_lce_op_dims4(ctx, out, "output", &r->out)))
    return st;
  const int32_t cin = p->channels_in, g = p->groups;
  if (r->in.c != xai_lce_words(cin) || cin % g != 0 || oc % g != 0 ||
      (g > 1 && (cin / g) % 32 != 0) || r->filter.n != oc ||
      r->filter.c != xai_lce_words(cin / g) || r->filter.h < 1 ||
      r->filter.w < 1 || (zp && cin % 2 != 0))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input %dx%dx%dx%d words and filter %dx%dx%dx%d words "
                       "disagree with options cin %d, g %d, oc %d, zp %d "
                       "(re-run the xformer)", (int)r->in.n, (int)r->in.h,
                       (int)r->in.w, (int)r->in.c, (int)r->filter.n,
                       (int)r->filter.h, (int)r->filter.w, (int)r->filter.c,
                       (int)cin, (int)g, (int)oc, (int)zp);
  /* every window coordinate must fit int32 arithmetic */
  const int64_t lim = (int64_t)1 << 30;
  if ((int64_t)oh * p->stride_h + (int64_t)r->filter.h * p->dil_h >= lim ||
      (int64_t)ow * p->stride_w + (int64_t)r->filter.w * p->dil_w >= lim ||
      (r->pooled &&
       ((int64_t)r->out.h * r->pool.stride_h + r->pool.filter_h >= lim ||
        (int64_t)r->out.w * r->pool.stride_w + r->pool.filter_w >= lim)))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "options oh %d, ow %d with their strides and "
                       "dilations are out of range", (int)oh, (int)ow);
  r->conv = (xai_dims4){r->in.n, oh, ow, oc};
  r->k_depth = r->filter.h * r->filter.w * (cin / g);
  if (out->type == XAI_TYPE_INT32)
    p->out_kind = XAI_BCONV_OUT_BITPACKED;
  else if (out->type == XAI_TYPE_INT8 && !r->pooled)
    p->out_kind = XAI_BCONV_OUT_INT8;
  else if (out->type == XAI_TYPE_FLOAT32 && !r->pooled)
    p->out_kind = XAI_BCONV_OUT_FLOAT;
  else
    return xai_lce_op_bad_type(ctx, "output", out,
                               r->pooled ? "INT32 (bitpacked) when pooled"
                                         : "FLOAT32, INT8 or INT32 (bitpacked)");
  const bool packed = p->out_kind == XAI_BCONV_OUT_BITPACKED;
  int32_t want_c = packed ? xai_lce_words(oc) : oc;
  bool ok = r->out.n == r->in.n && r->out.c == want_c;
  if (!r->pooled) ok = ok && r->out.h == oh && r->out.w == ow;
  if (!ok)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output is %dx%dx%dx%d; the options give %dx%dx%dx%d%s",
                       (int)r->out.n, (int)r->out.h, (int)r->out.w,
                       (int)r->out.c, (int)r->in.n, (int)oh, (int)ow,
                       (int)want_c, r->pooled ? " before the pool" : "");
  r->out.c = oc;
  return packed ? xai_lce_op_vector(ctx, xai_op_input(ctx, 2), "thresholds",
                                    XAI_TYPE_INT32, oc)
                : xai_lce_op_vector(ctx, xai_op_input(ctx, 2), "transform",
                                    XAI_TYPE_FLOAT32, 2 * oc);
}

static xai_status prepare(xai_op_ctx *ctx) {
  xai_bconv_run *r = xai_op_alloc_persistent(ctx, sizeof *r);
  if (!r) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(r, 0, sizeof *r);
  ctx->data = r;
  xai_status st = decode(ctx, r);
  if (!st)
    st = xai_bconv_run_prepare(ctx, r, xai_op_input(ctx, 1),
                               r->p.out_kind == XAI_BCONV_OUT_BITPACKED
                                   ? xai_op_input(ctx, 2)
                                   : NULL);
  return st;
}

static xai_status eval(xai_op_ctx *ctx) {
  xai_bconv_run *r = ctx->data;
  const xai_rt_tensor *t = xai_op_input(ctx, 2);
  if (r->p.out_kind == XAI_BCONV_OUT_BITPACKED)
    return xai_bconv_run_eval(ctx, r, xai_op_input(ctx, 1)->data, t->data);
  r->p.mult = t->data;
  r->p.bias = (const float *)t->data + r->conv.c;
  return xai_bconv_run_eval(ctx, r, xai_op_input(ctx, 1)->data, NULL);
}

const xai_op_registration xai_op_xai_bconv2d = {
    XAI_OP_CUSTOM, "XAI_bconv2d", prepare, eval, NULL};
