/* ADD int8 on the xcore (elementwise.h): per-input requantizations from
 * tables made by the reference arithmetic, the output requantization in
 * exact scalar code. */
#include "ew_internal.h"
#include "xai/kernels_ref/quant.h"
#include "xai/kernels_xcore/elementwise.h"

/* MultiplyByQuantizedMultiplierSmallerThanOneExp, as the reference. */
static int32_t scale_down(int32_t x, int32_t m, int32_t shift) {
  return xai_rdbpot(xai_srdhm(x, m), -shift);
}

void xai_add_s8_xcore_pack(const xai_add_params *p,
                           xai_add_s8_xcore_params *out) {
  for (int i = 0; i < 256; i++) {
    const int32_t x = (int8_t)(uint8_t)i;
    /* (x - zp) << left_shift fits: |x - zp| <= 255, shift 20. */
    const int32_t a = (p->input1_offset + x) * (1 << p->left_shift);
    const int32_t b = (p->input2_offset + x) * (1 << p->left_shift);
    out->table1[i] = scale_down(a, p->input1_multiplier, p->input1_shift);
    out->table2[i] = scale_down(b, p->input2_multiplier, p->input2_shift);
  }
  out->output_multiplier = p->output_multiplier;
  out->output_shift = p->output_shift;
  out->output_offset = p->output_offset;
  out->act_min = p->act_min;
  out->act_max = p->act_max;
}

static inline int8_t add_one(const xai_add_s8_xcore_params *p, int8_t a,
                             int8_t b) {
  /* The sum of two |t| <= 2^27 cannot overflow. */
  const int32_t sum = p->table1[(uint8_t)a] + p->table2[(uint8_t)b];
  int32_t v = scale_down(sum, p->output_multiplier, p->output_shift) +
              p->output_offset;
  if (v < p->act_min) v = p->act_min;
  if (v > p->act_max) v = p->act_max;
  return (int8_t)v;
}

xai_status xai_add_s8_xcore(xai_vpu_ctx *ctx, const xai_add_s8_xcore_params *p,
                            const int8_t *in1, const int8_t *in2, int8_t *out,
                            size_t begin, size_t end) {
  if (!ctx || !p || begin > end) return XAI_ERR_ARGUMENT;
  if (begin == end) return XAI_OK;
  if (!in1 || !in2 || !out) return XAI_ERR_ARGUMENT;
  for (size_t i = begin; i < end; i++) out[i] = add_one(p, in1[i], in2[i]);
  xai_ew_charge_scalar(ctx, end - begin, XAI_ADD_S8_XCORE_BUNDLES_PER_ELEMENT);
  return XAI_OK;
}

xai_status xai_add_s8_xcore_bcast(xai_vpu_ctx *ctx,
                                  const xai_add_s8_xcore_params *p,
                                  const xai_bcast *bc, const int8_t *in1,
                                  const int8_t *in2, int8_t *out,
                                  size_t begin, size_t end) {
  if (!ctx || !p || !bc || begin > end || end > bc->count)
    return XAI_ERR_ARGUMENT;
  if (begin == end) return XAI_OK;
  if (!in1 || !in2 || !out) return XAI_ERR_ARGUMENT;
  for (size_t i = begin; i < end; i++) {
    size_t o1, o2;
    xai_ew_bcast_offsets(bc, i, &o1, &o2);
    out[i] = add_one(p, in1[o1], in2[o2]);
  }
  xai_ew_charge_scalar(ctx, end - begin,
                       XAI_ADD_S8_XCORE_BUNDLES_PER_ELEMENT + XAI_EW_BCAST_BUNDLES);
  return XAI_OK;
}

xai_status xai_add_s8_xcore_run(const xai_add_s8_xcore_params *p,
                                const xai_bcast *bc, const int8_t *in1,
                                const int8_t *in2, int8_t *out,
                                unsigned n_threads, xai_xcore_ew_report *rep,
                                xai_error *err) {
  if (n_threads < 1 || n_threads > XAI_XCORE_THREADS_PER_TILE || !rep || !bc)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore ADD: bad arguments (%u threads; use 1..%u)",
                    n_threads, XAI_XCORE_THREADS_PER_TILE);
  memset(rep, 0, sizeof *rep);
  rep->n_threads = n_threads;
  const int flat = xai_ew_bcast_is_flat(bc);
  for (unsigned t = 0; t < n_threads; t++) {
    xai_vpu_ctx ctx;
    xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
    size_t b, e;
    xai_xcore_ew_split(bc->count, 32, n_threads, t, &b, &e);
    xai_status st =
        flat ? xai_add_s8_xcore(&ctx, p, in1, in2, out, b, e)
             : xai_add_s8_xcore_bcast(&ctx, p, bc, in1, in2, out, b, e);
    if (st != XAI_OK)
      return xai_fail(err, st, "xcore ADD thread %u: bad arguments", t);
    if ((st = xai_vpu_check(&ctx, "xcore ADD", err)) != XAI_OK) return st;
    rep->bundles[t] = ctx.bundles;
  }
  return xai_xcore_ew_report_time(rep, err);
}
