/* MUL int8 on the xcore (elementwise.h): the product of the offset inputs
 * formed in the accumulators by int8 VLMACCs, requantized on the VPU
 * (xai_ew_rq), 16 elements at a time. */
#include "ew_internal.h"
#include "xai/kernels_ref/quant.h"
#include "xai/kernels_xcore/elementwise.h"
#include "xai/kernels_xcore/requant.h"

/* z in [-127, 128] as n VLMACCs of coefficient *c. */
static int32_t coef(int32_t z, int8_t c[32]) {
  const int32_t n = z == 0 ? 0 : z == 128 ? 2 : 1;
  memset(c, (uint8_t)(int8_t)(z == 128 ? 64 : z), 32);
  return n;
}

xai_status xai_mul_s8_xcore_pack(const xai_mul_params *p,
                                 xai_mul_s8_xcore_params *out,
                                 xai_error *err) {
  memset(out, 0, sizeof *out);
  out->p = *p;
  const int32_t z1 = p->input1_offset, z2 = p->input2_offset;
  if (z1 < -127 || z1 > 128 || z2 < -127 || z2 > 128)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore MUL: input offsets %d, %d are not -zero points "
                    "of int8 tensors",
                    (int)z1, (int)z2);
  out->n1 = coef(z1, out->z1);
  out->n2 = coef(z2, out->z2);
  const uint32_t zz = (uint32_t)(z1 * z2);
  for (int i = 0; i < 16; i++) {
    out->zz_hi[i] = (int16_t)(uint16_t)(zz >> 16);
    out->zz_lo[i] = (uint16_t)(zz & 0xFFFFu);
  }
  /* |(a + z1)(b + z2)| over int8 a, b: each factor's extreme is at an end */
  const int64_t m1 = z1 >= 0 ? (127 + z1 > 128 - z1 ? 127 + z1 : 128 - z1)
                             : 128 - z1;
  const int64_t m2 = z2 >= 0 ? (127 + z2 > 128 - z2 ? 127 + z2 : 128 - z2)
                             : 128 - z2;
  return xai_ew_rq_pack(&out->rq, p->output_multiplier, p->output_shift,
                        m1 * m2, p->output_offset, p->act_min, p->act_max,
                        err);
}

xai_status xai_mul_s8_xcore(xai_vpu_ctx *ctx, const xai_mul_s8_xcore_params *p,
                            const xai_bcast *bc, const int8_t *in1,
                            const int8_t *in2, int8_t *out, size_t begin,
                            size_t end) {
  if (!ctx || !p || !bc || begin > end || end > bc->count)
    return XAI_ERR_ARGUMENT;
  if (begin == end) return XAI_OK;
  if (!in1 || !in2 || !out || begin % 16u) return XAI_ERR_ARGUMENT;
  /* Same shapes and word-aligned inputs: the VPU reads the tensors. */
  const int direct = xai_ew_bcast_is_flat(bc) && xai_ew_aligned(in1) &&
                     xai_ew_aligned(in2);
  const int8_t *end1 = in1 + (direct ? bc->count : 0);
  const int8_t *end2 = in2 + (direct ? bc->count : 0);
  const xai_rq_group *g = (const xai_rq_group *)(const void *)p->rq.group;
  const xai_rq_consts *c = (const xai_rq_consts *)(const void *)p->rq.consts;
  xai_ew_vec va, vb, sa, sb;
  _Alignas(32) uint8_t scratch[XAI_RQ_SCRATCH_BYTES];
  for (size_t i = begin; i < end; i += 16) {
    const unsigned n = end - i < 16 ? (unsigned)(end - i) : 16u;
    const void *pa, *pb;
    if (direct) {
      pa = xai_ew_src(ctx, in1 + i, in1, end1, &sa);
      pb = xai_ew_src(ctx, in2 + i, in2, end2, &sb);
    } else {
      memset(&va, 0, sizeof va);
      memset(&vb, 0, sizeof vb);
      for (unsigned k = 0; k < n; k++) {
        size_t o1, o2;
        xai_ew_bcast_offsets(bc, i + k, &o1, &o2);
        va.b[k] = in1[o1];
        vb.b[k] = in2[o2];
        /* ld8u, st8 | walk | ld8u, st8; branch per 4 (unrolled) */
        xai_vpu_mem(ctx, 2u);
        xai_vpu_scalar(ctx, XAI_EW_BCAST_BUNDLES);
        xai_vpu_mem(ctx, 2u);
        if (k % 4u == 3u || k + 1u == n) xai_vpu_branch(ctx);
      }
      pa = va.b;
      pb = vb.b;
    }
    xai_vpu_vldd(ctx, p->zz_hi);
    xai_vpu_vldr(ctx, p->zz_lo);
    xai_vpu_vldc(ctx, pa);
    xai_vpu_vlmacc(ctx, pb);
    for (int32_t k = 0; k < p->n2; k++) xai_vpu_vlmacc(ctx, p->z2);
    if (p->n1) {
      xai_vpu_vldc(ctx, pb);
      for (int32_t k = 0; k < p->n1; k++) xai_vpu_vlmacc(ctx, p->z1);
    }
    xai_rq_run(ctx, g, c, out + i, (int)n, scratch);
    xai_vpu_defer(ctx, 2u); /* the input pointers (the output's pairs) */
    xai_vpu_branch(ctx);
  }
  xai_vpu_flush(ctx);
  return XAI_OK;
}

xai_status xai_mul_s8_xcore_run(const xai_mul_s8_xcore_params *p,
                                const xai_bcast *bc, const int8_t *in1,
                                const int8_t *in2, int8_t *out,
                                unsigned n_threads, xai_xcore_ew_report *rep,
                                xai_error *err) {
  if (n_threads < 1 || n_threads > XAI_XCORE_THREADS_PER_TILE || !rep || !bc ||
      !p)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore MUL: bad arguments (%u threads; use 1..%u)",
                    n_threads, XAI_XCORE_THREADS_PER_TILE);
  if (!xai_ew_rq_valid(&p->rq) || p->n1 < 0 || p->n1 > 2 || p->n2 < 0 ||
      p->n2 > 2)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "xcore MUL: the packed parameters are malformed");
  memset(rep, 0, sizeof *rep);
  rep->n_threads = n_threads;
  for (unsigned t = 0; t < n_threads; t++) {
    xai_vpu_ctx ctx;
    xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
    size_t b, e;
    xai_xcore_ew_split(bc->count, 32, n_threads, t, &b, &e);
    xai_status st = xai_mul_s8_xcore(&ctx, p, bc, in1, in2, out, b, e);
    if (st != XAI_OK)
      return xai_fail(err, st, "xcore MUL thread %u: bad arguments", t);
    if ((st = xai_vpu_check(&ctx, "xcore MUL", err)) != XAI_OK) return st;
    rep->bundles[t] = ctx.bundles;
  }
  return xai_xcore_ew_report_time(rep, err);
}
