/* Exact VPU requantization as the instruction sequence the device issues
 * (requant.h, "Run"): every step through the VPU emulator. The spec of
 * xai_rq_run (requant_run.c), which computes the same registers, outputs
 * and counters without executing each instruction. */
#include "xai/kernels_xcore/requant.h"

#include <string.h>

#include "requant_internal.h"
#include "xai/kernels_ref/quant.h"

/* Vectors every layer shares (the same in each model): constants of the
 * kernel library, i.e. of the firmware image, not of the model. */
static _Alignas(32) const int16_t k_ones[16] = {1, 1, 1, 1, 1, 1, 1, 1,
                                                1, 1, 1, 1, 1, 1, 1, 1};
static _Alignas(32) const uint16_t k_shift16[16] = {
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16};
static _Alignas(32) const int16_t k_plus127[16] = {
    127, 127, 127, 127, 127, 127, 127, 127,
    127, 127, 127, 127, 127, 127, 127, 127};
static _Alignas(32) const uint8_t k_b80[32] = {
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};

/* Scratch slots (32 bytes each). Values whose lifetimes do not overlap
 * share a slot, so a call needs 4 vectors instead of 6: T (the sign mask)
 * is made from HI, which is dead after that; the carries C are consumed
 * by the next instruction and Y (the result) only appears after the last
 * carry; the -128 mask reuses T's slot once the chain is done. */
enum { BUF_Q, BUF_HI, BUF_P, BUF_C };
enum { BUF_T = BUF_HI, BUF_Y = BUF_C };

static void *slot(void *scratch, int i) { return (uint8_t *)scratch + 32 * i; }

/* A layer constants vector (present whenever a group of the layer reads
 * it, see xai_rq_encode_consts). */
static const void *cvec(const xai_rq_consts *c, int id) {
  return (const uint8_t *)c + c->off[id];
}

/* One product term: vC = data vector (if not already loaded), VLMACC
 * with the term's coefficient. */
static void term(xai_vpu_ctx *ctx, const xai_rq_chain *cv, int t,
                 const void *data, const void **vc) {
  if (!cv->coef[t]) return;
  if (*vc != data) {
    xai_vpu_vldc(ctx, data);
    *vc = data;
  }
  xai_vpu_vlmacc(ctx, cv->coef[t]);
}

/* VLSAT by 16 gives the carry c (any sign); the next level starts from
 * its constant k (vD half, vR half) plus c (VLDC c, VLMACC ones). */
static void next_level(xai_vpu_ctx *ctx, const int16_t *const k[2],
                       void *scratch, int carry, const void **vc) {
  if (carry) {
    xai_vpu_vlsat(ctx, k_shift16);
    xai_vpu_vstr(ctx, slot(scratch, BUF_C));
  }
  xai_vpu_vldd(ctx, k[0]);
  xai_vpu_vldr(ctx, k[1]);
  if (carry) {
    xai_vpu_vldc(ctx, slot(scratch, BUF_C));
    xai_vpu_vlmacc(ctx, k_ones);
    *vc = NULL;
  }
}

static void run_scalar(xai_vpu_ctx *ctx, const xai_rq_group *g,
                       const xai_rq_consts *c, int8_t *out, int n,
                       void *scratch) {
  const int16_t *hi = (const int16_t *)slot(scratch, BUF_HI);
  const uint16_t *lo = (const uint16_t *)slot(scratch, BUF_Q);
  const int32_t *mult = (const int32_t *)(const void *)g->v[0];
  const int32_t *shift = (const int32_t *)(const void *)g->v[2];
  const int single = (g->info & XAI_RQ_INFO_SINGLE) != 0;
  for (int i = 0; i < n; i++) {
    int32_t acc = (int32_t)(uint32_t)(((uint32_t)(uint16_t)hi[i] << 16) |
                                      lo[i]);
    int32_t y = single ? xai_mbqm_single(acc, mult[i], shift[i])
                       : xai_mbqm(acc, mult[i], shift[i]);
    /* TFLite adds the zero point in int32, wrapping. */
    int32_t v = (int32_t)((uint32_t)y + (uint32_t)c->zp_out);
    if (v < c->act_min) v = c->act_min;
    if (v > c->act_max) v = c->act_max;
    out[i] = (int8_t)v;
  }
  for (int i = 0; i < n; i++) {
    /* two accumulator halves, multiplier and shift loaded, one byte
     * stored, one loop branch; the rest is ALU work */
    xai_vpu_mem(ctx, XAI_RQ_SCALAR_MEM_PER_OUTPUT - 1u);
    xai_vpu_scalar(ctx, XAI_RQ_SCALAR_BUNDLES_PER_OUTPUT -
                            XAI_RQ_SCALAR_MEM_PER_OUTPUT);
    xai_vpu_branch(ctx);
  }
}

/* The int16 output stage: y (int16, saturated) in vR on entry; adds the
 * zero point unless the constants already hold it, clamps with monotone
 * saturating steps (exact in range), packs to int8 and applies the
 * documented -128 fix-up. Ends in int8 mode. */
static void out16(xai_vpu_ctx *ctx, const xai_rq_consts *c, int8_t *out,
                  int n, void *scratch, int add_zp) {
  void *t = slot(scratch, BUF_T), *y = slot(scratch, BUF_Y);
  if (add_zp) xai_vpu_vladd(ctx, cvec(c, XAI_RQC_ZP));
  if (c->do_max) {
    xai_vpu_vladd(ctx, cvec(c, XAI_RQC_NEG_LO));
    xai_vpu_vpos(ctx);
    xai_vpu_vladd(ctx, cvec(c, XAI_RQC_ACT_LO));
  }
  if (c->do_min) {
    xai_vpu_vlsub(ctx, cvec(c, XAI_RQC_ACT_HI));
    xai_vpu_vpos(ctx);
    xai_vpu_vlsub(ctx, cvec(c, XAI_RQC_ACT_HI));
  }
  xai_vpu_vstr(ctx, y);
  uint32_t neg = 0;
  if (c->fix128) {
    xai_vpu_vladd(ctx, k_plus127);
    xai_vpu_vdepth1(ctx);
    xai_vpu_vstr(ctx, t);
    memcpy(&neg, t, 4); /* scalar load of the mask */
    xai_vpu_mem(ctx, 1);
  }
  xai_vpu_vlashr(ctx, y, -8); /* y * 256, saturating */
  xai_vpu_vdepth8(ctx);       /* back to int8 with saturation to +-127 */
  uint32_t valid = n >= 32 ? 0xFFFFFFFFu : ((1u << n) - 1u);
  neg &= valid;
  int aligned = ((uintptr_t)out & 3u) == 0;
  int8_t *dst = aligned ? out : (int8_t *)y;
  xai_vpu_vstrpv(ctx, dst, aligned ? valid : 0xFFFFFFFFu);
  if (neg) {
    xai_vpu_vldr(ctx, k_b80);
    xai_vpu_vstrpv(ctx, dst, neg);
  }
  if (c->fix128) xai_vpu_mem(ctx, 1); /* the branch on the mask */
  if (!aligned) {
    memcpy(out, y, (size_t)n);
    xai_xc_charge_copy(ctx, (size_t)n, 0);
  }
  xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
}

/* The int8 output stage of fast groups (xai_rq_consts.out_i8): int8 mode,
 * the int8 VLSAT of the level-2 accumulator, the clamp steps, store. An
 * absent I8_A vector stands for an addition of 0 (skipped). */
static void out8(xai_vpu_ctx *ctx, const void *final_shift,
                 const xai_rq_consts *c, int8_t *out, int n, void *scratch) {
  xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
  xai_vpu_vlsat(ctx, final_shift); /* sat8(y + i8_offset) */
  if (c->out_i8 == 1) {
    if (c->off[XAI_RQC_I8_A]) xai_vpu_vladd(ctx, cvec(c, XAI_RQC_I8_A));
  } else {
    xai_vpu_vpos(ctx);
    if (c->act_max < 127) {
      xai_vpu_vlsub(ctx, cvec(c, XAI_RQC_I8_B));
      xai_vpu_vpos(ctx);
      xai_vpu_vlsub(ctx, cvec(c, XAI_RQC_I8_C));
    } else if (c->off[XAI_RQC_I8_A]) {
      xai_vpu_vladd(ctx, cvec(c, XAI_RQC_I8_A));
    }
  }
  uint32_t valid = n >= 32 ? 0xFFFFFFFFu : ((1u << n) - 1u);
  if (((uintptr_t)out & 3u) == 0) {
    xai_vpu_vstrpv(ctx, out, valid);
  } else {
    void *y = slot(scratch, BUF_Y);
    xai_vpu_vstrpv(ctx, y, 0xFFFFFFFFu);
    memcpy(out, y, (size_t)n);
    xai_xc_charge_copy(ctx, (size_t)n, 0);
  }
}

/* The fast chain (requant.h): carries stay in [0, 32767], so each level
 * starts from the VLSAT result with one VLDD of its constant's high half.
 * The record stores Ml and Mh once each (levels 0 and 1 multiply Q, levels
 * 1 and 2 multiply P'); the S coefficient is 1 (k_ones: a lane with M = 0
 * has all-zero constants, and S = +-2^14 then only moves its level-1 sum
 * to +-2^14, whose carry is 0 as before). */
static void run_fast(xai_vpu_ctx *ctx, const xai_rq_group *g,
                     const xai_rq_consts *c, int8_t *out, int n,
                     void *scratch) {
  void *q = slot(scratch, BUF_Q), *hif = slot(scratch, BUF_HI);
  void *p = slot(scratch, BUF_P), *sg = slot(scratch, BUF_HI);
  const uint32_t fast = (g->info >> XAI_RQ_INFO_FAST_SHIFT) & 0xFu;
  const int sign = (fast & XAI_RQ_FAST_SIGN) != 0;
  xai_vpu_vstr(ctx, q);
  if (sign) xai_vpu_vstd(ctx, hif);
  xai_vpu_vlsat(ctx, k_shift16); /* P = rshr(acc, 16) */
  if (fast & XAI_RQ_FAST_POFF) xai_vpu_vladd(ctx, g->v[XAI_RQF_POFF]);
  xai_vpu_vstr(ctx, p);
  if (sign) {
    xai_vpu_vlashr(ctx, hif, 0); /* hi (-32768 -> -32767 keeps the sign) */
    xai_vpu_vsign(ctx);          /* S = acc < 0 ? -2^14 : 2^14 */
    xai_vpu_vstr(ctx, sg);
  }
  xai_vpu_vldd(ctx, g->v[XAI_RQF_A0_HI]);
  xai_vpu_vldr(ctx, g->v[XAI_RQF_A0_LO]);
  xai_vpu_vldc(ctx, q);
  xai_vpu_vlmacc(ctx, g->v[XAI_RQF_ML]);
  xai_vpu_vlsat(ctx, k_shift16); /* c0 >= 0: vD:vR = c0 */
  xai_vpu_vldd(ctx, g->v[XAI_RQF_K1]);
  xai_vpu_vlmacc(ctx, g->v[XAI_RQF_MH]); /* vC still Q */
  if (sign) {
    xai_vpu_vldc(ctx, sg);
    xai_vpu_vlmacc(ctx, k_ones);
  }
  xai_vpu_vldc(ctx, p);
  xai_vpu_vlmacc(ctx, g->v[XAI_RQF_ML]);
  xai_vpu_vlsat(ctx, k_shift16); /* c1 >= 0 */
  xai_vpu_vldd(ctx, g->v[XAI_RQF_K2]);
  xai_vpu_vlmacc(ctx, g->v[XAI_RQF_MH]); /* vC still P */
  if (fast & XAI_RQ_FAST_I8) {
    out8(ctx, g->v[XAI_RQF_SHIFT], c, out, n, scratch);
  } else {
    xai_vpu_vlsat(ctx, g->v[XAI_RQF_SHIFT]); /* y + zp, saturated */
    out16(ctx, c, out, n, scratch, 0);
  }
}

void xai_rq_run_vpu(xai_vpu_ctx *ctx, const xai_rq_group *g,
                    const xai_rq_consts *c, int8_t *out, int n,
                    void *scratch) {
  xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT16);
  if (g->info & (XAI_RQ_FAST << XAI_RQ_INFO_FAST_SHIFT)) {
    run_fast(ctx, g, c, out, n, scratch);
    return;
  }
  void *q = slot(scratch, BUF_Q), *hif = slot(scratch, BUF_HI);
  void *p = slot(scratch, BUF_P), *t = slot(scratch, BUF_T);
  xai_vpu_vstr(ctx, q);
  /* HI feeds the scalar path and the T term only. */
  if (g->info & (XAI_RQ_INFO_SCALAR | XAI_RQ_T_MASK)) xai_vpu_vstd(ctx, hif);
  if (g->info & XAI_RQ_INFO_SCALAR) {
    run_scalar(ctx, g, c, out, n, scratch);
    xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
    return;
  }
  /* General chain, full or compact record. */
  xai_rq_chain cv;
  xai_rq_chain_of(g, &cv);
  const void *vc = NULL;
  xai_vpu_vlsat(ctx, cv.split); /* P = rshr(acc, 16) or sat16(acc) */
  xai_vpu_vstr(ctx, p);
  if (cv.coef[XAI_RQ_L1_T] || cv.coef[XAI_RQ_L2_T]) {
    xai_vpu_vlashr(ctx, hif, 15); /* T = -[acc < 0] */
    xai_vpu_vstr(ctx, t);
  }
  int l0 = cv.coef[XAI_RQ_L0_Q] != NULL;
  if (l0) {
    next_level(ctx, cv.k[0], scratch, 0, &vc);
    term(ctx, &cv, XAI_RQ_L0_Q, q, &vc);
  }
  /* Without a level-0 product c0 = floor((k0 - 2^15 + 2^15) / 2^16) = 0. */
  next_level(ctx, cv.k[1], scratch, l0, &vc);
  term(ctx, &cv, XAI_RQ_L1_T, t, &vc);
  term(ctx, &cv, XAI_RQ_L1_Q, q, &vc);
  term(ctx, &cv, XAI_RQ_L1_QE, q, &vc);
  term(ctx, &cv, XAI_RQ_L1_P, p, &vc);
  next_level(ctx, cv.k[2], scratch, 1, &vc);
  term(ctx, &cv, XAI_RQ_L2_P, p, &vc);
  term(ctx, &cv, XAI_RQ_L2_PE, p, &vc);
  term(ctx, &cv, XAI_RQ_L2_T, t, &vc);
  xai_vpu_vlsat(ctx, cv.final); /* y, saturated to int16 */
  out16(ctx, c, out, n, scratch, 1);
}
