/* Multiply-accumulate instructions and the accumulator readout (VLSAT,
 * VADDDR). Semantics and sources: include/xai/vpu.h, docs/vpu.md. */
#include <string.h>

#include "vpu_internal.h"
#include "xai/vpu.h"

static unsigned popcount32(uint32_t x) {
#if defined(__GNUC__)
  return (unsigned)__builtin_popcount(x);
#else
  unsigned n = 0;
  for (; x; x &= x - 1) n++;
  return n;
#endif
}

/* Moves acc[i-1] to acc[i] for every i and acc[N-1] to acc[0] (the value
 * moved to acc[0] is overwritten by the caller). */
static void rotate_accumulators(xai_vpu_ctx *ctx) {
  if (ctx->mode == XAI_VPU_MODE_INT32) {
    memmove(&ctx->vD.u32[1], &ctx->vD.u32[0], 28);
    memmove(&ctx->vR.u32[1], &ctx->vR.u32[0], 28);
  } else {
    memmove(&ctx->vD.u16[1], &ctx->vD.u16[0], 30);
    memmove(&ctx->vR.u16[1], &ctx->vR.u16[0], 30);
  }
}

/* acc[i] = sat32(acc[i] + p[i]) over the 16 accumulators of int8/int16
 * mode, in straight-line lanes the host compiler vectorises. */
static void acc32_add16(xai_vpu_ctx *ctx, const int32_t p[16]) {
  for (unsigned i = 0; i < 16; i++) {
    /* 32-bit wrap-around sum plus overflow test: the same value as the
     * saturated 64-bit sum, in lanes the compiler can vectorise */
    uint32_t a = ((uint32_t)ctx->vD.u16[i] << 16) | ctx->vR.u16[i];
    uint32_t b = (uint32_t)p[i], s = a + b;
    uint32_t over = ((a ^ s) & (b ^ s)) >> 31;       /* signed overflow */
    uint32_t sat = 0x7FFFFFFFu + (a >> 31) * 2u;      /* +MAX or -MAX */
    s = over ? sat : s;
    s = s == 0x80000000u ? 0x80000001u : s;           /* symmetric */
    ctx->vD.u16[i] = (uint16_t)(s >> 16);
    ctx->vR.u16[i] = (uint16_t)s;
  }
}

void xai_vpu_vlmacc(xai_vpu_ctx *ctx, const void *addr) {
  xai_vpu_issue(ctx);
  if (!xai_vpu_addr_ok(ctx, addr, "VLMACC")) return;
  xai_vpu_vec m;
  memcpy(&m, addr, 32);
  int32_t p[16];
  if (ctx->mode == XAI_VPU_MODE_INT8) {
    for (unsigned i = 0; i < 16; i++) p[i] = (int32_t)ctx->vC.s8[i] * m.s8[i];
    acc32_add16(ctx, p);
    ctx->macs += 16;
    return;
  }
  if (ctx->mode == XAI_VPU_MODE_INT16) {
    for (unsigned i = 0; i < 16; i++) p[i] = (int32_t)ctx->vC.s16[i] * m.s16[i];
    acc32_add16(ctx, p);
    ctx->macs += 16;
    return;
  }
  switch (ctx->mode) {
    case XAI_VPU_MODE_INT8:
      for (unsigned i = 0; i < 16; i++) {
        int64_t a = (int64_t)xai_vpu_acc32_get(ctx, i) +
                    (int32_t)ctx->vC.s8[i] * m.s8[i];
        xai_vpu_acc32_set(ctx, i, xai_vpu_sat(a, 32));
      }
      ctx->macs += 16;
      break;
    case XAI_VPU_MODE_INT16:
      for (unsigned i = 0; i < 16; i++) {
        int64_t a = (int64_t)xai_vpu_acc32_get(ctx, i) +
                    (int32_t)ctx->vC.s16[i] * m.s16[i];
        xai_vpu_acc32_set(ctx, i, xai_vpu_sat(a, 32));
      }
      ctx->macs += 16;
      break;
    case XAI_VPU_MODE_INT32:
      for (unsigned i = 0; i < 8; i++) {
        int64_t p = xai_vpu_rshr((int64_t)ctx->vC.s32[i] * m.s32[i], 30);
        xai_vpu_acc40_set(ctx, i, xai_vpu_sat(xai_vpu_acc40_get(ctx, i) + p, 40));
      }
      ctx->macs += 8;
      break;
  }
}

/* VLMACCR in int16 and int32 mode (int8 mode is inline in vpu.h). */
void xai_vpu_vlmaccr_wide(xai_vpu_ctx *ctx, const void *addr) {
  xai_vpu_issue(ctx);
  if (!xai_vpu_addr_ok(ctx, addr, "VLMACCR")) return;
  xai_vpu_vec m;
  memcpy(&m, addr, 32);
  int64_t top;
  switch (ctx->mode) {
    case XAI_VPU_MODE_INT16:
      top = xai_vpu_acc32_get(ctx, 15);
      for (unsigned j = 0; j < 16; j++)
        top += (int32_t)ctx->vC.s16[j] * m.s16[j];
      rotate_accumulators(ctx);
      xai_vpu_acc32_set(ctx, 0, xai_vpu_sat(top, 32));
      ctx->macs += 16;
      break;
    case XAI_VPU_MODE_INT32:
      top = xai_vpu_acc40_get(ctx, 7);
      for (unsigned j = 0; j < 8; j++)
        top += xai_vpu_rshr((int64_t)ctx->vC.s32[j] * m.s32[j], 30);
      rotate_accumulators(ctx);
      xai_vpu_acc40_set(ctx, 0, xai_vpu_sat(top, 40));
      ctx->macs += 8;
      break;
    case XAI_VPU_MODE_INT8: {
      /* Reached only if called directly; same result as the inline path. */
      top = xai_vpu_acc32_get(ctx, 15);
      for (unsigned j = 0; j < 32; j++)
        top += (int32_t)ctx->vC.s8[j] * m.s8[j];
      rotate_accumulators(ctx);
      xai_vpu_acc32_set(ctx, 0, xai_vpu_sat(top, 32));
      ctx->macs += 32;
      break;
    }
  }
}

void xai_vpu_vlmaccr1(xai_vpu_ctx *ctx, const void *addr) {
  xai_vpu_issue(ctx);
  if (!xai_vpu_addr_ok(ctx, addr, "VLMACCR1")) return;
  if (ctx->mode == XAI_VPU_MODE_INT32) {
    /* The binary accumulators are the 16 x 32-bit ones; XMOS code only
     * issues VLMACCR1 in int8/int16 mode, so int32 is refused, not guessed. */
    xai_vpu_fault_record(ctx, XAI_VPU_FAULT_MODE, "VLMACCR1", NULL);
    return;
  }
  uint32_t m[8];
  memcpy(m, addr, 32);
  int64_t top = xai_vpu_acc32_get(ctx, 15);
  for (unsigned w = 0; w < 8; w++)
    top += (int64_t)popcount32(~(ctx->vC.u32[w] ^ m[w])) - 16;
  rotate_accumulators(ctx);
  xai_vpu_acc32_set(ctx, 0, xai_vpu_sat(top, 32));
  ctx->macs += 256;
}

/* Whether all 16 shifts are in 1..31. */
static int vlsat_plain(const xai_vpu_vec *sh) {
  unsigned bad = 0;
  for (unsigned i = 0; i < 16; i++) bad |= (unsigned)(sh->u16[i] - 1u) >= 31u;
  return !bad;
}

void xai_vpu_vlsat(xai_vpu_ctx *ctx, const void *shifts) {
  xai_vpu_issue(ctx);
  if (!xai_vpu_addr_ok(ctx, shifts, "VLSAT")) return;
  xai_vpu_vec sh;
  memcpy(&sh, shifts, 32);
  xai_vpu_vec out;
  memset(&out, 0, sizeof out);
  if (ctx->mode == XAI_VPU_MODE_INT32) {
    for (unsigned i = 0; i < 8; i++) {
      /* VLSAT reads the whole of vD, not just the 8 bits the MACs keep. */
      int64_t a = (int64_t)(((uint64_t)ctx->vD.u32[i] << 32) | ctx->vR.u32[i]);
      out.s32[i] = (int32_t)xai_vpu_sat(xai_vpu_rshr(a, sh.u32[i] > 62 ? 62 : sh.u32[i]), 32);
    }
  } else if (vlsat_plain(&sh)) {
    /* Every shift in 1..31: one rounding shift per lane, no special cases
     * (the requantization chains' case). */
    const int64_t hi = ctx->mode == XAI_VPU_MODE_INT8 ? 127 : 32767;
    int32_t r[16];
    for (unsigned i = 0; i < 16; i++) {
      int64_t a = (int32_t)(((uint32_t)ctx->vD.u16[i] << 16) | ctx->vR.u16[i]);
      int64_t v = (a + ((int64_t)1 << (sh.u16[i] - 1))) >> sh.u16[i];
      r[i] = (int32_t)(v > hi ? hi : v < -hi ? -hi : v);
    }
    if (ctx->mode == XAI_VPU_MODE_INT8)
      for (unsigned i = 0; i < 16; i++) out.s8[i] = (int8_t)r[i];
    else
      for (unsigned i = 0; i < 16; i++) out.s16[i] = (int16_t)r[i];
  } else {
    const unsigned bits = ctx->mode == XAI_VPU_MODE_INT8 ? 8u : 16u;
    for (unsigned i = 0; i < 16; i++) {
      int64_t a = xai_vpu_acc32_get(ctx, i);
      unsigned s = sh.u16[i];
      /* XS3 does not round once the shift reaches the 32-bit accumulator
       * width (lib_nn vpu_sim vlsat_shr): only sign bits remain. */
      int64_t r = s >= 32 ? (a >> (s > 62 ? 62 : s)) : xai_vpu_rshr(a, s);
      r = xai_vpu_sat(r, bits);
      if (bits == 8)
        out.s8[i] = (int8_t)r;
      else
        out.s16[i] = (int16_t)r;
    }
  }
  ctx->vR = out;
  memset(&ctx->vD, 0, sizeof ctx->vD);
}

void xai_vpu_vadddr(xai_vpu_ctx *ctx) {
  xai_vpu_issue(ctx);
  int64_t sum = 0;
  if (ctx->mode == XAI_VPU_MODE_INT32) {
    for (unsigned i = 0; i < 8; i++) sum += xai_vpu_acc40_get(ctx, i);
    memset(&ctx->vD, 0, sizeof ctx->vD);
    memset(&ctx->vR, 0, sizeof ctx->vR);
    xai_vpu_acc40_set(ctx, 0, xai_vpu_sat(sum, 40));
  } else {
    for (unsigned i = 0; i < 16; i++) sum += xai_vpu_acc32_get(ctx, i);
    memset(&ctx->vD, 0, sizeof ctx->vD);
    memset(&ctx->vR, 0, sizeof ctx->vR);
    xai_vpu_acc32_set(ctx, 0, xai_vpu_sat(sum, 32));
  }
}

/* The 16 dot products of vC with rows[k] into acc[15 - k], each sum
 * saturated once, exactly as the rotating sequence leaves them; vC is
 * widened once and four rows go per pass, as plain dot products the host
 * compiler vectorises (|dot| <= 2^19: no overflow). stride: bytes from
 * one row to the next when rows is NULL (rows then start at base). */
static void mac16_rows(xai_vpu_ctx *ctx, const int8_t *const *rows,
                       const int8_t *base) {
  int16_t x[32];
  for (unsigned j = 0; j < 32; j++) x[j] = ctx->vC.s8[j];
  int32_t p[16];
  for (unsigned k = 0; k < 16; k += 4) {
    const int8_t *r0 = rows ? rows[k] : base + 32 * k;
    const int8_t *r1 = rows ? rows[k + 1] : r0 + 32;
    const int8_t *r2 = rows ? rows[k + 2] : r0 + 64;
    const int8_t *r3 = rows ? rows[k + 3] : r0 + 96;
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (unsigned j = 0; j < 32; j++) {
      /* int16 x int16 summed into int32: the host's multiply-add of
       * 16-bit pairs (PMADDWD, SMLAL) */
      const int16_t xj = x[j];
      s0 += (int16_t)r0[j] * xj;
      s1 += (int16_t)r1[j] * xj;
      s2 += (int16_t)r2[j] * xj;
      s3 += (int16_t)r3[j] * xj;
    }
    p[15 - k] = s0;
    p[14 - k] = s1;
    p[13 - k] = s2;
    p[12 - k] = s3;
  }
  xai_vpu_charge_vpu(ctx, 16);
  acc32_add16(ctx, p);
  ctx->macs += 16u * 32u;
}

/* 16 int8 VLMACCRs as one step (docs/vpu.md). Counts as 16 VPU bundles
 * through the fetch model. Falls back to single instructions outside int8
 * mode or on a bad address, so faults are recorded the same way. */
void xai_vpu_vlmaccr16(xai_vpu_ctx *ctx, const int8_t *const rows[16]) {
  int ok = ctx->mode == XAI_VPU_MODE_INT8;
  for (unsigned k = 0; k < 16 && ok; k++)
    ok = rows[k] && ((uintptr_t)rows[k] & (XAI_XCORE_VPU_ALIGN - 1u)) == 0;
  if (!ok) {
    for (unsigned k = 0; k < 16; k++) xai_vpu_vlmaccr(ctx, rows[k]);
    return;
  }
  mac16_rows(ctx, rows, NULL);
}

void xai_vpu_vlmaccr16_block(xai_vpu_ctx *ctx, const int8_t *rows) {
  if (ctx->mode != XAI_VPU_MODE_INT8 || !rows ||
      ((uintptr_t)rows & (XAI_XCORE_VPU_ALIGN - 1u))) {
    for (unsigned k = 0; k < 16; k++)
      xai_vpu_vlmaccr(ctx, rows ? rows + 32 * k : NULL);
    return;
  }
  mac16_rows(ctx, NULL, rows);
}

/* n pairs (VLDC c[k]; VLMACC m[k]) in int8 mode as one step, without
 * their bundles: the sums are saturated after every product as the single
 * instructions do, but kept in 32-bit lanes until the end. Same registers
 * (vC = c[n-1]) and MAC count as the 2n calls; the caller has checked
 * the mode and every address. */
static void pairs_math(xai_vpu_ctx *ctx, const void *const *c,
                       const void *const *m, unsigned n) {
  uint32_t acc[16];
  for (unsigned i = 0; i < 16; i++)
    acc[i] = ((uint32_t)ctx->vD.u16[i] << 16) | ctx->vR.u16[i];
  /* |x * w| <= 2^14: when no lane starts within n * 2^14 of saturation,
   * no step saturates and the products can be summed first. */
  uint32_t room = 1;
  const uint32_t lim = 0x7FFFFFFFu - ((uint32_t)n << 14);
  for (unsigned i = 0; i < 16; i++) {
    int32_t a = (int32_t)acc[i];
    room &= (uint32_t)(a < 0 ? -(int64_t)a : a) <= lim;
  }
  const int summed = room && n <= 64;
  if (summed) {
    int32_t sum[16] = {0};
    for (unsigned k = 0; k < n; k++) {
      const int8_t *x = (const int8_t *)c[k], *w = (const int8_t *)m[k];
      for (unsigned i = 0; i < 16; i++) sum[i] += (int16_t)x[i] * (int16_t)w[i];
    }
    for (unsigned i = 0; i < 16; i++) acc[i] += (uint32_t)sum[i];
  }
  for (unsigned k = 0; k < n && !summed; k++) {
    const int8_t *x = (const int8_t *)c[k], *w = (const int8_t *)m[k];
    for (unsigned i = 0; i < 16; i++) {
      uint32_t a = acc[i], b = (uint32_t)((int32_t)x[i] * w[i]), s = a + b;
      uint32_t over = ((a ^ s) & (b ^ s)) >> 31;
      s = over ? 0x7FFFFFFFu + (a >> 31) * 2u : s;
      acc[i] = s == 0x80000000u ? 0x80000001u : s;
    }
  }
  memcpy(&ctx->vC, c[n - 1], 32);
  for (unsigned i = 0; i < 16; i++) {
    ctx->vD.u16[i] = (uint16_t)(acc[i] >> 16);
    ctx->vR.u16[i] = (uint16_t)acc[i];
  }
  ctx->macs += 16u * n;
}

static int pairs_ok(const xai_vpu_ctx *ctx, const void *const *c,
                    const void *const *m, unsigned n) {
  int ok = ctx->mode == XAI_VPU_MODE_INT8 && n > 0;
  for (unsigned k = 0; k < n && ok; k++)
    ok = c[k] && m[k] &&
         (((uintptr_t)c[k] | (uintptr_t)m[k]) & (XAI_XCORE_VPU_ALIGN - 1u)) == 0;
  return ok;
}

void xai_vpu_vlmacc8_pairs(xai_vpu_ctx *ctx, const void *const *c,
                           const void *const *m, unsigned n) {
  if (!pairs_ok(ctx, c, m, n)) {
    for (unsigned k = 0; k < n; k++) {
      xai_vpu_vldc(ctx, c[k]);
      xai_vpu_vlmacc(ctx, m[k]);
    }
    return;
  }
  xai_vpu_charge_vpu(ctx, 2 * n);
  pairs_math(ctx, c, m, n);
}

void xai_vpu_vlmacc8_sum(xai_vpu_ctx *ctx, const void *const *c,
                         const void *const *m, unsigned n) {
  if (pairs_ok(ctx, c, m, n)) {
    pairs_math(ctx, c, m, n);
    return;
  }
  /* The single instructions, for their faults; their bundles were
   * charged by the caller, so the fetch state is put back. */
  const uint64_t bundles = ctx->bundles, ops = ctx->vpu_ops,
                 fnops = ctx->fnops;
  const uint32_t ibuf = ctx->ibuf, pending = ctx->alu_pending;
  for (unsigned k = 0; k < n; k++) {
    xai_vpu_vldc(ctx, c[k]);
    xai_vpu_vlmacc(ctx, m[k]);
  }
  ctx->bundles = bundles;
  ctx->vpu_ops = ops;
  ctx->fnops = fnops;
  ctx->ibuf = ibuf;
  ctx->alu_pending = pending;
}
