/* Element-wise instructions on vR: VLASHR, VLADD, VLSUB, VLMUL, VPOS,
 * VSIGN, VDEPTH1/8/16. Semantics and sources: include/xai/vpu.h,
 * docs/vpu.md. */
#include <string.h>

#include "vpu_internal.h"
#include "xai/vpu.h"

/* Lane i of v as a signed value in the current mode. */
static int64_t lane_get(const xai_vpu_vec *v, xai_vpu_mode mode, unsigned i) {
  switch (mode) {
    case XAI_VPU_MODE_INT8: return v->s8[i];
    case XAI_VPU_MODE_INT16: return v->s16[i];
    case XAI_VPU_MODE_INT32: return v->s32[i];
  }
  return 0;
}

/* Stores x, already in range for the mode, into lane i of v. */
static void lane_set(xai_vpu_vec *v, xai_vpu_mode mode, unsigned i, int64_t x) {
  switch (mode) {
    case XAI_VPU_MODE_INT8: v->s8[i] = (int8_t)x; break;
    case XAI_VPU_MODE_INT16: v->s16[i] = (int16_t)x; break;
    case XAI_VPU_MODE_INT32: v->s32[i] = (int32_t)x; break;
  }
}

static unsigned lane_bits(xai_vpu_mode mode) {
  return mode == XAI_VPU_MODE_INT8 ? 8u : mode == XAI_VPU_MODE_INT16 ? 16u : 32u;
}

/* One lane of VLASHR (lib_nn vpu_sim vlashr_element, XS3): truncating right
 * shift or saturating left shift, always saturated, so an unshifted MIN
 * comes out as -MAX. */
static int64_t vlashr_lane(int64_t x, int32_t shr, unsigned bits) {
  if (shr >= (int32_t)bits) return xai_vpu_sat(x >> (bits - 1), bits);
  if (shr >= 0) return xai_vpu_sat(x >> shr, bits);
  /* Compare before negating: -INT32_MIN would overflow. */
  unsigned shl = shr <= -(int32_t)bits ? bits - 1 : (unsigned)(-shr);
  return xai_vpu_sat(x * ((int64_t)1 << shl), bits);
}

void xai_vpu_vlashr(xai_vpu_ctx *ctx, const void *addr, int32_t shr) {
  xai_vpu_issue(ctx);
  if (!xai_vpu_addr_ok(ctx, addr, "VLASHR")) return;
  xai_vpu_vec m;
  memcpy(&m, addr, 32);
  if (ctx->mode == XAI_VPU_MODE_INT16 && shr >= -15 && shr < 16) {
    /* the requantization chains' case, in straight lanes */
    for (unsigned i = 0; i < 16; i++) {
      int32_t v = shr >= 0 ? m.s16[i] >> shr : m.s16[i] * (1 << -shr);
      ctx->vR.s16[i] = (int16_t)(v > 32767 ? 32767 : v < -32767 ? -32767 : v);
    }
    return;
  }
  const unsigned n = xai_vpu_lanes(ctx->mode), bits = lane_bits(ctx->mode);
  for (unsigned i = 0; i < n; i++)
    lane_set(&ctx->vR, ctx->mode, i,
             vlashr_lane(lane_get(&m, ctx->mode, i), shr, bits));
}

void xai_vpu_vladd(xai_vpu_ctx *ctx, const void *addr) {
  xai_vpu_issue(ctx);
  if (!xai_vpu_addr_ok(ctx, addr, "VLADD")) return;
  xai_vpu_vec m;
  memcpy(&m, addr, 32);
  if (ctx->mode == XAI_VPU_MODE_INT16) {
    for (unsigned i = 0; i < 16; i++) {
      int32_t v = (int32_t)ctx->vR.s16[i] + m.s16[i];
      ctx->vR.s16[i] = (int16_t)(v > 32767 ? 32767 : v < -32767 ? -32767 : v);
    }
    return;
  }
  const unsigned n = xai_vpu_lanes(ctx->mode), bits = lane_bits(ctx->mode);
  for (unsigned i = 0; i < n; i++) {
    int64_t s = lane_get(&ctx->vR, ctx->mode, i) + lane_get(&m, ctx->mode, i);
    lane_set(&ctx->vR, ctx->mode, i, xai_vpu_sat(s, bits));
  }
}

/* One lane of VLSUB, mem - r. XS3 negates r and adds (lib_nn vpu_sim
 * vlsub_element): negating MIN is where it departs from plain saturation. */
static int64_t vlsub_lane(int64_t mem, int64_t r, unsigned bits) {
  const int64_t min = -((int64_t)1 << (bits - 1));
  if (r == min) {
    if (bits == 32) return xai_vpu_sat(mem + min, bits);
    if (mem == 0) return min;
  }
  return xai_vpu_sat(mem - r, bits);
}

void xai_vpu_vlsub(xai_vpu_ctx *ctx, const void *addr) {
  xai_vpu_issue(ctx);
  if (!xai_vpu_addr_ok(ctx, addr, "VLSUB")) return;
  xai_vpu_vec m;
  memcpy(&m, addr, 32);
  const unsigned n = xai_vpu_lanes(ctx->mode), bits = lane_bits(ctx->mode);
  for (unsigned i = 0; i < n; i++)
    lane_set(&ctx->vR, ctx->mode, i,
             vlsub_lane(lane_get(&m, ctx->mode, i),
                        lane_get(&ctx->vR, ctx->mode, i), bits));
}

void xai_vpu_vlmul(xai_vpu_ctx *ctx, const void *addr) {
  xai_vpu_issue(ctx);
  if (!xai_vpu_addr_ok(ctx, addr, "VLMUL")) return;
  xai_vpu_vec m;
  memcpy(&m, addr, 32);
  const unsigned n = xai_vpu_lanes(ctx->mode), bits = lane_bits(ctx->mode);
  /* XS3 shifts the product by the element width minus 2 (lib_nn vpu_sim
   * vlmul_get_shift): operands are Q1.6 / Q1.14 / Q1.30. */
  const unsigned q = bits - 2;
  for (unsigned i = 0; i < n; i++) {
    int64_t p = lane_get(&ctx->vR, ctx->mode, i) * lane_get(&m, ctx->mode, i);
    lane_set(&ctx->vR, ctx->mode, i, xai_vpu_sat(xai_vpu_rshr(p, q), bits));
  }
}

void xai_vpu_vpos(xai_vpu_ctx *ctx) {
  xai_vpu_issue(ctx);
  const unsigned n = xai_vpu_lanes(ctx->mode);
  for (unsigned i = 0; i < n; i++)
    if (lane_get(&ctx->vR, ctx->mode, i) < 0) lane_set(&ctx->vR, ctx->mode, i, 0);
}

void xai_vpu_vsign(xai_vpu_ctx *ctx) {
  xai_vpu_issue(ctx);
  const unsigned n = xai_vpu_lanes(ctx->mode);
  const int64_t one = (int64_t)1 << (lane_bits(ctx->mode) - 2);
  for (unsigned i = 0; i < n; i++)
    lane_set(&ctx->vR, ctx->mode, i,
             lane_get(&ctx->vR, ctx->mode, i) >= 0 ? one : -one);
}

void xai_vpu_vdepth1(xai_vpu_ctx *ctx) {
  xai_vpu_issue(ctx);
  const unsigned n = xai_vpu_lanes(ctx->mode);
  uint32_t bits = 0;
  for (unsigned i = 0; i < n; i++)
    if (lane_get(&ctx->vR, ctx->mode, i) < 0) bits |= 1u << i;
  memset(&ctx->vR, 0, sizeof ctx->vR);
  ctx->vR.u32[0] = bits;
}

void xai_vpu_vdepth8(xai_vpu_ctx *ctx) {
  xai_vpu_issue(ctx);
  if (ctx->mode == XAI_VPU_MODE_INT8) {
    xai_vpu_fault_record(ctx, XAI_VPU_FAULT_MODE, "VDEPTH8", NULL);
    return;
  }
  const unsigned n = xai_vpu_lanes(ctx->mode);
  const unsigned cut = lane_bits(ctx->mode) - 8;
  xai_vpu_vec out;
  memset(&out, 0, sizeof out);
  if (ctx->mode == XAI_VPU_MODE_INT16) {
    for (unsigned i = 0; i < 16; i++) {
      int32_t v = ((int32_t)ctx->vR.s16[i] + 128) >> 8;
      out.s8[i] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
    }
    ctx->vR = out;
    return;
  }
  for (unsigned i = 0; i < n; i++)
    out.s8[i] = (int8_t)xai_vpu_sat(
        xai_vpu_rshr(lane_get(&ctx->vR, ctx->mode, i), cut), 8);
  ctx->vR = out;
}

void xai_vpu_vdepth16(xai_vpu_ctx *ctx) {
  xai_vpu_issue(ctx);
  if (ctx->mode != XAI_VPU_MODE_INT32) {
    xai_vpu_fault_record(ctx, XAI_VPU_FAULT_MODE, "VDEPTH16", NULL);
    return;
  }
  xai_vpu_vec out;
  memset(&out, 0, sizeof out);
  for (unsigned i = 0; i < 8; i++)
    out.s16[i] = (int16_t)xai_vpu_sat(xai_vpu_rshr(ctx->vR.s32[i], 16), 16);
  ctx->vR = out;
}
