/* SOFTMAX int8 -> int8 on the xcore (softmax.h): table exp, scalar rows. */
#include "xai/kernels_xcore/softmax.h"

#include <string.h>

#include "xai/kernels_ref/quant.h"

enum { kScaledDiffIntegerBits = 5, kAccumulationIntegerBits = 12 };

void xai_softmax_s8_xcore_pack(const xai_softmax_params *p,
                               xai_softmax_s8_xcore_params *out) {
  for (int32_t d = 0; d < 256; d++) {
    const int32_t diff = -d;
    int32_t e = 0;
    if (diff >= p->diff_min) {
      /* the reference's exp_of_diff */
      const int32_t rescaled =
          xai_srdhm((int32_t)((uint32_t)diff << p->input_left_shift),
                    p->input_multiplier);
      e = xai_fp_exp_on_negative_values(rescaled, kScaledDiffIntegerBits);
    }
    out->exp[d] = e;
  }
}

/* Loop charges: per element, then the unrolled loop's branch per 4. */
static void charge_pass(xai_vpu_ctx *ctx, size_t n, unsigned mem_a,
                        unsigned alu_a, unsigned mem_b, unsigned alu_b) {
  for (size_t i = 0; i < n; i++) {
    xai_vpu_mem(ctx, mem_a);
    xai_vpu_scalar(ctx, alu_a);
    if (mem_b) xai_vpu_mem(ctx, mem_b);
    if (alu_b) xai_vpu_scalar(ctx, alu_b);
    if (i % 4u == 3u || i + 1u == n) xai_vpu_branch(ctx);
  }
}

static void row(xai_vpu_ctx *ctx, const xai_softmax_s8_xcore_params *p,
                size_t depth, const int8_t *in, int8_t *out) {
  int32_t max_in = INT8_MIN;
  for (size_t c = 0; c < depth; c++)
    if (in[c] > max_in) max_in = in[c];
  charge_pass(ctx, depth, 1u, 1u, 1u, 0u); /* ld8s | lss | bf */
  /* The reference adds xai_fp_mul_pot(e, -12), a rounding shift; for
   * e >= 0 that is (e + 2^11) >> 12, and 0 stays 0. */
  uint32_t sum = 0;
  for (size_t c = 0; c < depth; c++)
    sum += ((uint32_t)p->exp[max_in - in[c]] + 2048u) >> 12;
  charge_pass(ctx, depth, 1u, 1u, 1u, 3u); /* ld8s | sub | ldw | add, shr, add */
  int bits_over_unit = 0;
  const int32_t scale = xai_fp_reciprocal((int32_t)sum,
                                          kAccumulationIntegerBits,
                                          &bits_over_unit);
  xai_vpu_scalar(ctx, XAI_SOFTMAX_XCORE_RECIP_BUNDLES);
  for (size_t c = 0; c < depth; c++) {
    const int32_t e = p->exp[max_in - in[c]];
    int32_t v = xai_rdbpot(xai_srdhm(scale, e), bits_over_unit + 31 - 8) +
                INT8_MIN;
    if (v > INT8_MAX) v = INT8_MAX;
    if (v < INT8_MIN) v = INT8_MIN;
    out[c] = (int8_t)v;
  }
  /* ld8s | sub | ldw exp[d], st8 (of the element before) | MBQM step,
   * add, 2 clamps */
  charge_pass(ctx, depth, 1u, 1u, 2u, XAI_SOFTMAX_XCORE_MBQM_BUNDLES + 3u);
  xai_vpu_defer(ctx, 2u); /* row pointers */
  xai_vpu_branch(ctx);
}

xai_status xai_softmax_s8_xcore(xai_vpu_ctx *ctx,
                                const xai_softmax_s8_xcore_params *p,
                                size_t depth, const int8_t *in, int8_t *out,
                                size_t row_begin, size_t row_end) {
  if (!ctx || !p || row_begin > row_end) return XAI_ERR_ARGUMENT;
  if (row_begin == row_end || depth == 0) return XAI_OK;
  if (!in || !out) return XAI_ERR_ARGUMENT;
  for (size_t r = row_begin; r < row_end; r++)
    row(ctx, p, depth, in + r * depth, out + r * depth);
  xai_vpu_flush(ctx);
  return XAI_OK;
}

xai_status xai_softmax_s8_xcore_run(const xai_softmax_s8_xcore_params *p,
                                    size_t outer, size_t depth,
                                    const int8_t *in, int8_t *out,
                                    unsigned n_threads,
                                    xai_xcore_ew_report *rep, xai_error *err) {
  if (n_threads < 1 || n_threads > XAI_XCORE_THREADS_PER_TILE || !rep || !p)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore SOFTMAX: bad arguments (%u threads; use 1..%u)",
                    n_threads, XAI_XCORE_THREADS_PER_TILE);
  memset(rep, 0, sizeof *rep);
  rep->n_threads = n_threads;
  for (unsigned t = 0; t < n_threads; t++) {
    xai_vpu_ctx ctx;
    xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
    size_t b, e;
    xai_xcore_ew_split(outer, 1, n_threads, t, &b, &e);
    xai_status st = xai_softmax_s8_xcore(&ctx, p, depth, in, out, b, e);
    if (st != XAI_OK)
      return xai_fail(err, st, "xcore SOFTMAX thread %u: bad arguments", t);
    rep->bundles[t] = ctx.bundles;
  }
  return xai_xcore_ew_report_time(rep, err);
}
