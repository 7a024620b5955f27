/* The threaded VLMACCR1 run of a binary convolution (lce_ops_internal.h):
 * output pixels (pooled pixels when fused) split over the threads like
 * the int8 convolutions', a scratch slice per thread, the cost from the
 * threads' bundles. */
#include "lce_ops_internal.h"
#include "xai/kernels_xcore/bconv.h"
#include "xai/kernels_xcore/conv.h" /* xai_xcore_split */
#include "xai/xcore_machine.h"

static int64_t out_pixels(const xai_bconv_run *r) {
  return (int64_t)r->out.n * r->out.h * r->out.w;
}

static bool constant(const xai_rt_tensor *t) {
  return t->mem == XAI_MEM_CONST && t->data;
}

/* The VPU threshold lanes; made once when filter and thresholds are model
 * constants, else at each eval (counted there). */
static xai_status prepare_bit_lanes(xai_op_ctx *ctx, xai_bconv_run *r,
                                    const xai_rt_tensor *threshold) {
  r->bit_lanes = NULL;
  r->bit_lanes_fixed = false;
  if (r->p.out_kind != XAI_BCONV_OUT_BITPACKED || !threshold) return XAI_OK;
  size_t n = xai_bconv2d_xcore_bit_lanes_count(&r->filter, r->p.groups);
  r->bit_lanes = xai_op_alloc_persistent(ctx, 2u * n);
  if (!r->bit_lanes) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  if (constant(threshold) && r->filter_fixed) {
    r->p.threshold = threshold->data;
    r->p.tail_fix = r->tail_fix;
    xai_bconv2d_xcore_bit_lanes(NULL, &r->p, &r->filter, r->bit_lanes);
    r->bit_lanes_fixed = true;
  }
  return XAI_OK;
}

xai_status xai_bconv_run_prepare(xai_op_ctx *ctx, xai_bconv_run *r,
                                 const xai_rt_tensor *filter,
                                 const xai_rt_tensor *threshold) {
  if (r->filter.h * r->filter.w > 256)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "a %dx%d binary filter; at most 256 taps are supported",
                       (int)r->filter.h, (int)r->filter.w);
  int64_t pixels = out_pixels(r);
  if (pixels < (int64_t)r->threads) r->threads = pixels > 0 ? (unsigned)pixels : 1u;
  /* + 32: each slice is aligned to 32 bytes inside its own bytes */
  r->slice = (size_t)xai_bconv2d_xcore_scratch_words(&r->filter,
                                                     r->conv.c) * 4u + 32u;
  xai_status st = xai_op_request_scratch(ctx, r->slice * r->threads,
                                         &r->scratch);
  if (st) return st;
  r->tail_fix = NULL;
  /* a filter in the model is fixed: its tables are made once here; one
   * loaded at run time (params) gets them at each eval, counted */
  r->filter_fixed = constant(filter);
  if (xai_bconv2d_xcore_needs_tail_fix(&r->filter)) {
    r->tail_fix = xai_op_alloc_persistent(ctx, 4u * (size_t)r->filter.n);
    if (!r->tail_fix) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
    if (r->filter_fixed)
      xai_bconv2d_xcore_tail_fix(NULL, &r->filter, filter->data, r->tail_fix);
  }
  r->tap_pops = NULL;
  if (r->p.zero_padding && r->filter.c <= 2047) {
    r->tap_pops = xai_op_alloc_persistent(
        ctx, 2u * (size_t)r->filter.n * r->filter.h * r->filter.w);
    if (!r->tap_pops) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
    if (r->filter_fixed)
      xai_bconv2d_xcore_tap_pops(NULL, &r->filter, filter->data, r->tap_pops);
  }
  return prepare_bit_lanes(ctx, r, threshold);
}

xai_status xai_bconv_run_eval(xai_op_ctx *ctx, xai_bconv_run *r,
                              const int32_t *filter,
                              const int32_t *threshold) {
  r->p.threshold = threshold;
  r->p.tail_fix = r->tail_fix;
  uint8_t *scratch = xai_op_scratch(ctx, r->scratch);
  uint64_t bundles[XAI_XCORE_THREADS_PER_TILE] = {0};
  const int32_t pixels = (int32_t)out_pixels(r);
  for (unsigned t = 0; t < r->threads; t++) {
    xai_vpu_ctx v;
    xai_vpu_init(&v, XAI_VPU_MODE_INT8);
    if (t == 0 && r->tail_fix && !r->filter_fixed)
      xai_bconv2d_xcore_tail_fix(&v, &r->filter, filter, r->tail_fix);
    if (t == 0 && r->tap_pops && !r->filter_fixed)
      xai_bconv2d_xcore_tap_pops(&v, &r->filter, filter, r->tap_pops);
    if (t == 0 && r->bit_lanes && !r->bit_lanes_fixed)
      xai_bconv2d_xcore_bit_lanes(&v, &r->p, &r->filter, r->bit_lanes);
    r->p.bit_lanes = r->bit_lanes;
    r->p.tap_pops = r->tap_pops;
    int32_t b, e;
    xai_xcore_split(pixels, r->threads, t, &b, &e);
    uintptr_t raw = (uintptr_t)(scratch + (size_t)t * r->slice);
    int32_t *s = (int32_t *)((raw + 31u) & ~(uintptr_t)31u);
    const xai_rt_tensor *in = xai_op_input(ctx, 0);
    void *out = xai_op_output(ctx, 0)->data;
    xai_status st =
        r->pooled ? xai_bconv2d_pool_xcore(&v, &r->p, &r->pool, &r->in,
                                           in->data, &r->filter, filter,
                                           &r->conv, &r->out, out, b, e, s)
                  : xai_bconv2d_xcore(&v, &r->p, &r->in, in->data, &r->filter,
                                      filter, &r->out, out, b, e, s);
    xai_error err;
    xai_error_clear(&err);
    if (!st) st = xai_vpu_check(&v, ctx->op_name, &err);
    if (st)
      return xai_op_fail(ctx, st, "binary convolution kernel: %s",
                         err.message[0] ? err.message : "bad arguments");
    bundles[t] = v.bundles;
  }
  /* the layer's binary MACs (the VPU's count includes the zero rows of
   * partial blocks and, when pooled, recomputed overlaps) */
  uint64_t macs = (uint64_t)r->conv.n * r->conv.h * r->conv.w *
                  (uint64_t)r->conv.c * (uint64_t)r->k_depth;
  uint64_t wbytes = (uint64_t)r->filter.n * r->filter.h * r->filter.w *
                    r->filter.c * 4u;
  xai_status st = xai_xcore_op_cost(ctx, bundles, r->threads, macs, wbytes,
                                    r->pooled ? "bconv2d_maxpool_vlmaccr1"
                                              : "bconv2d_vlmaccr1");
  ctx->cost->utilisation = 0; /* int8-peak figure; see the report note */
  return st;
}
