/* int8 lookup-table kernel (lut.h): the affine VPU path or the charged
 * scalar lookup. */
#include "ew_internal.h"
#include "xai/kernels_xcore/lut.h"

static void lut_scalar(xai_vpu_ctx *ctx, const xai_lut_s8_packed *lut,
                       const int8_t *in, int8_t *out, size_t begin,
                       size_t end) {
  for (size_t i = begin; i < end; i++) out[i] = lut->table[(uint8_t)in[i]];
  for (size_t i = begin; i < end; i += 4) {
    /* 4 x (ld8u, ld8u from the table, st8), the loop branch */
    xai_vpu_mem(ctx, 12u);
    xai_vpu_scalar(ctx, XAI_LUT_S8_XCORE_BUNDLES_PER_4 - 13u);
    xai_vpu_branch(ctx);
  }
}

/* 16 elements per step: acc = B (VLDD/VLDR), VLMACC with vC = K, VLSAT to
 * int16 (q = rshr(acc, S)), the saturating clamp, then VLASHR(q, -8) and
 * VDEPTH8 give sat8(q) in bytes 0..15. q <= -128 (only possible when the
 * table reaches -128) becomes -128 through the masked fix-up store. */
static void lut_affine(xai_vpu_ctx *ctx, const xai_lut_s8_packed *lut,
                       const int8_t *in, int8_t *out, size_t begin,
                       size_t end) {
  xai_ew_vec bias_hi, bias_lo, kvec, shifts, v127, v80, q, m, stage;
  xai_ew_clamp16 clamp;
  xai_ew_fill_s16(&bias_hi, (int16_t)(lut->bias >> 16));
  xai_ew_fill_u16(&bias_lo, (uint16_t)((uint32_t)lut->bias & 0xFFFFu));
  xai_ew_fill_s8(&kvec, lut->k);
  xai_ew_fill_u16(&shifts, lut->shift);
  xai_ew_fill_s16(&v127, 127);
  xai_ew_fill_s8(&v80, INT8_MIN);
  xai_vpu_mem(ctx, 6u * XAI_EW_FILL_BUNDLES +
                      xai_ew_clamp16_make(&clamp, lut->lo, lut->hi));
  const int fix_neg = lut->lo == INT8_MIN;
  xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
  xai_vpu_vldc(ctx, kvec.b);
  for (size_t i = begin; i < end; i += 16) {
    const size_t n = end - i < 16 ? end - i : 16;
    const uint32_t tail = xai_ew_mask(n);
    xai_vpu_vldd(ctx, bias_hi.b);
    xai_vpu_vldr(ctx, bias_lo.b);
    xai_vpu_vlmacc(ctx, xai_ew_src(ctx, in + i, in + begin, in + end, &stage));
    xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT16);
    xai_vpu_vlsat(ctx, shifts.b);
    xai_ew_clamp16_run(ctx, &clamp);
    xai_vpu_vstr(ctx, q.b);
    xai_vpu_vlashr(ctx, q.b, -8);
    xai_vpu_vdepth8(ctx);
    xai_vpu_vstrpv(ctx, out + i, tail);
    if (fix_neg) {
      xai_vpu_vldr(ctx, q.b);
      xai_vpu_vladd(ctx, v127.b);
      xai_vpu_vdepth1(ctx);
      xai_vpu_vstr(ctx, m.b);
      uint32_t mask;
      memcpy(&mask, m.b, 4);
      xai_vpu_mem(ctx, 2); /* ldw mask, branch if no lane is -128 */
      if (mask & tail) {
        xai_vpu_vldr(ctx, v80.b);
        xai_vpu_vstrpv(ctx, out + i, mask & tail);
      }
    }
    xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
    xai_vpu_branch(ctx); /* loop (the pointer steps pair with VPU ops) */
  }
}

xai_status xai_lut_s8_xcore(xai_vpu_ctx *ctx, const xai_lut_s8_packed *lut,
                            const int8_t *in, int8_t *out, size_t begin,
                            size_t end) {
  if (!ctx || !lut || begin > end) return XAI_ERR_ARGUMENT;
  if (begin == end) return XAI_OK;
  if (!in || !out) return XAI_ERR_ARGUMENT;
  if (lut->affine && xai_ew_aligned(in + begin) && xai_ew_aligned(out + begin))
    lut_affine(ctx, lut, in, out, begin, end);
  else
    lut_scalar(ctx, lut, in, out, begin, end);
  return XAI_OK;
}

xai_status xai_lut_s8_xcore_run(const xai_lut_s8_packed *lut, size_t count,
                                const int8_t *in, int8_t *out,
                                unsigned n_threads, xai_xcore_ew_report *rep,
                                xai_error *err) {
  if (n_threads < 1 || n_threads > XAI_XCORE_THREADS_PER_TILE || !rep)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore LUT: %u threads requested; use 1..%u", n_threads,
                    XAI_XCORE_THREADS_PER_TILE);
  memset(rep, 0, sizeof *rep);
  rep->n_threads = n_threads;
  for (unsigned t = 0; t < n_threads; t++) {
    xai_vpu_ctx ctx;
    xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
    size_t b, e;
    xai_xcore_ew_split(count, 32, n_threads, t, &b, &e);
    xai_status st = xai_lut_s8_xcore(&ctx, lut, in, out, b, e);
    if (st != XAI_OK)
      return xai_fail(err, st, "xcore LUT thread %u: bad arguments", t);
    if ((st = xai_vpu_check(&ctx, "xcore LUT", err)) != XAI_OK) return st;
    rep->bundles[t] = ctx.bundles;
    rep->macs += ctx.macs;
  }
  return xai_xcore_ew_report_time(rep, err);
}
