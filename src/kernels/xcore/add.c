/* ADD int8 on the xcore (elementwise.h): per-input requantizations from
 * tables made by the reference arithmetic, looked up in scalar code; the
 * output requantization on the VPU, 16 elements at a time (xai_ew_rq). */
#include "ew_internal.h"
#include "xai/kernels_ref/quant.h"
#include "xai/kernels_xcore/elementwise.h"
#include "xai/kernels_xcore/requant.h"

/* MultiplyByQuantizedMultiplierSmallerThanOneExp, as the reference. */
static int32_t scale_down(int32_t x, int32_t m, int32_t shift) {
  return xai_rdbpot(xai_srdhm(x, m), -shift);
}

xai_status xai_add_s8_xcore_pack(const xai_add_params *p,
                                 xai_add_s8_xcore_params *out,
                                 xai_error *err) {
  int64_t max1 = 0, max2 = 0;
  for (int i = 0; i < 256; i++) {
    const int32_t x = (int8_t)(uint8_t)i;
    /* (x - zp) << left_shift fits: |x - zp| <= 255, shift 20. */
    const int32_t a = (p->input1_offset + x) * (1 << p->left_shift);
    const int32_t b = (p->input2_offset + x) * (1 << p->left_shift);
    out->table1[i] = scale_down(a, p->input1_multiplier, p->input1_shift);
    out->table2[i] = scale_down(b, p->input2_multiplier, p->input2_shift);
    const int64_t m1 = out->table1[i] < 0 ? -(int64_t)out->table1[i]
                                          : out->table1[i];
    const int64_t m2 = out->table2[i] < 0 ? -(int64_t)out->table2[i]
                                          : out->table2[i];
    if (m1 > max1) max1 = m1;
    if (m2 > max2) max2 = m2;
  }
  out->output_multiplier = p->output_multiplier;
  out->output_shift = p->output_shift;
  out->output_offset = p->output_offset;
  out->act_min = p->act_min;
  out->act_max = p->act_max;
  /* The sum of the tables is the accumulator: |sum| <= max1 + max2. A sum
   * that would leave int32 is refused by the chain (scalar record), and
   * the scalar path wraps as the reference's int32 addition does. */
  return xai_ew_rq_pack(&out->rq, p->output_multiplier, p->output_shift,
                        max1 + max2, p->output_offset, p->act_min,
                        p->act_max, err);
}

/* Writes the sums of elements [i, i + n) (n <= 16) as accumulator halves
 * and charges the lookup loop. */
static void gather(xai_vpu_ctx *ctx, const xai_add_s8_xcore_params *p,
                   const xai_bcast *bc, int flat, const int8_t *in1,
                   const int8_t *in2, size_t i, unsigned n, xai_ew_vec *hi,
                   xai_ew_vec *lo) {
  int16_t h[16] = {0};
  uint16_t l[16] = {0};
  for (unsigned k = 0; k < n; k++) {
    size_t o1 = i + k, o2 = i + k;
    if (!flat) xai_ew_bcast_offsets(bc, i + k, &o1, &o2);
    const uint32_t s = (uint32_t)p->table1[(uint8_t)in1[o1]] +
                       (uint32_t)p->table2[(uint8_t)in2[o2]];
    h[k] = (int16_t)(uint16_t)(s >> 16);
    l[k] = (uint16_t)(s & 0xFFFFu);
    /* ld8u, ld8u, ldw | add | ldw?, st16, st16 | ashr: the ALU bundles
     * sit after every third memory-lane one, so the buffer never runs dry */
    xai_vpu_mem(ctx, 3u);
    xai_vpu_scalar(ctx, 1u);
    xai_vpu_mem(ctx, 3u);
    xai_vpu_scalar(ctx, 1u);
    if (!flat) xai_vpu_scalar(ctx, XAI_EW_BCAST_BUNDLES);
    if (k % 4u == 3u || k + 1u == n) xai_vpu_branch(ctx); /* unrolled by 4 */
  }
  memcpy(hi->b, h, 32);
  memcpy(lo->b, l, 32);
}

xai_status xai_add_s8_xcore(xai_vpu_ctx *ctx, const xai_add_s8_xcore_params *p,
                            const xai_bcast *bc, const int8_t *in1,
                            const int8_t *in2, int8_t *out, size_t begin,
                            size_t end) {
  if (!ctx || !p || !bc || begin > end || end > bc->count)
    return XAI_ERR_ARGUMENT;
  if (begin == end) return XAI_OK;
  if (!in1 || !in2 || !out || begin % 16u) return XAI_ERR_ARGUMENT;
  const int flat = xai_ew_bcast_is_flat(bc);
  const xai_rq_group *g = (const xai_rq_group *)(const void *)p->rq.group;
  const xai_rq_consts *c = (const xai_rq_consts *)(const void *)p->rq.consts;
  xai_ew_vec hi, lo;
  _Alignas(32) uint8_t scratch[XAI_RQ_SCRATCH_BYTES];
  for (size_t i = begin; i < end; i += 16) {
    const unsigned n = end - i < 16 ? (unsigned)(end - i) : 16u;
    gather(ctx, p, bc, flat, in1, in2, i, n, &hi, &lo);
    xai_vpu_vldd(ctx, hi.b);
    xai_vpu_vldr(ctx, lo.b);
    xai_rq_run(ctx, g, c, out + i, (int)n, scratch);
    xai_vpu_defer(ctx, 1u); /* the block's output pointer */
    xai_vpu_branch(ctx);
  }
  xai_vpu_flush(ctx);
  return XAI_OK;
}

xai_status xai_add_s8_xcore_run(const xai_add_s8_xcore_params *p,
                                const xai_bcast *bc, const int8_t *in1,
                                const int8_t *in2, int8_t *out,
                                unsigned n_threads, xai_xcore_ew_report *rep,
                                xai_error *err) {
  if (n_threads < 1 || n_threads > XAI_XCORE_THREADS_PER_TILE || !rep || !bc ||
      !p)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore ADD: bad arguments (%u threads; use 1..%u)",
                    n_threads, XAI_XCORE_THREADS_PER_TILE);
  if (!xai_ew_rq_valid(&p->rq))
    return xai_fail(err, XAI_ERR_FORMAT,
                    "xcore ADD: the packed requantization record is "
                    "malformed");
  memset(rep, 0, sizeof *rep);
  rep->n_threads = n_threads;
  for (unsigned t = 0; t < n_threads; t++) {
    xai_vpu_ctx ctx;
    xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
    size_t b, e;
    xai_xcore_ew_split(bc->count, 32, n_threads, t, &b, &e);
    xai_status st = xai_add_s8_xcore(&ctx, p, bc, in1, in2, out, b, e);
    if (st != XAI_OK)
      return xai_fail(err, st, "xcore ADD thread %u: bad arguments", t);
    if ((st = xai_vpu_check(&ctx, "xcore ADD", err)) != XAI_OK) return st;
    rep->bundles[t] = ctx.bundles;
  }
  return xai_xcore_ew_report_time(rep, err);
}
