/* Exact VPU requantization at host speed (requant.h, "Run"): the lanes of
 * the instruction sequence of requant_run_vpu.c computed in plain C, with
 * the sequence's bundles charged in one step.
 *
 * Why this is the same as issuing each instruction: every function below
 * is one instruction of that sequence on 16 (int8: 32) lanes, with the
 * emulator's saturation (symmetric, vpu_internal.h) and rounding; stores
 * to the scratch slots and the loads that read them back are copies of
 * local vectors. The accumulators stay 32-bit lanes between VLMACCs
 * instead of being split into vD:vR after each one. The registers are
 * left as the sequence leaves them (vD = 0 after the last VLSAT, vR and vC
 * as computed), the mode is int8. Cost: the sequence issues only VPU and
 * scalar memory-lane bundles before its trailing byte copy, and the fetch
 * model treats both alike (xai_vpu_mem), so the bundles of the whole
 * sequence are one xai_vpu_mem of their count, in the same order relative
 * to the copy. tests/kernels/test_xcore_requant.c checks registers,
 * outputs and every counter against xai_rq_run_vpu on packed groups with
 * random and out-of-bound accumulators. The scratch slots are not
 * written (nothing reads them after a call). */
#include "xai/kernels_xcore/requant.h"

#include <string.h>

#include "requant_internal.h"
#include "requant_lanes.h"

/* When set, xai_rq_run issues the instruction sequence itself (tests). */
static int g_run_vpu;

void xai_rq_set_vpu_sequence(int on) { g_run_vpu = on != 0; }

/* Counters of the sequence being mirrored. */
typedef struct {
  uint32_t issues, mems, vlmaccs;
  uint32_t tail_vsetc; /* out16's VSETC int8 comes after the byte copy */
} tally;

static inline int8_t sat8(int32_t v) {
  return (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
}

/* VLMACC in int16 mode, counted. */
static inline rq_a16 vlmacc(tally *t, rq_a16 acc, rq_v16 c, const void *m) {
  t->issues++;
  t->vlmaccs++;
  return rq_mac(acc, c, rq_load16(m));
}

/* VLSUB (vpu_lanes.c vlsub_lane): mem - r, with XS3's negation of MIN. */
static inline int32_t vlsub_lane(int32_t mem, int32_t r, int32_t min) {
  if (r == min && mem == 0) return min;
  int32_t v = mem - r, hi = -min - 1;
  return v > hi ? hi : v < -hi ? -hi : v;
}

/* Where the sequence's registers end up, and the state to leave. */
typedef struct {
  xai_vpu_vec r, c; /* vR, and vC: the vector last loaded into it */
} final_regs;

static void finish(xai_vpu_ctx *ctx, const final_regs *f, const tally *t) {
  ctx->vR = f->r;
  memset(&ctx->vD, 0, sizeof ctx->vD);
  ctx->vC = f->c;
  ctx->mode = XAI_VPU_MODE_INT8;
  ctx->ctrl = (uint32_t)XAI_VPU_MODE_INT8 << 8;
  ctx->macs += 16u * t->vlmaccs;
  xai_vpu_mem(ctx, (uint64_t)t->issues + t->mems);
  ctx->vpu_ops += t->issues;
}

typedef struct {
  int16_t v[16];
} lanes16;

/* VLADD in int16 mode. */
static inline void vladd16(tally *t, lanes16 *r, const void *m) {
  int16_t w[16];
  memcpy(w, m, 32);
  for (int i = 0; i < 16; i++) r->v[i] = (int16_t)rq_sat16(r->v[i] + w[i]);
  t->issues++;
}

/* The int16 output stage (out16 in requant_run_vpu.c) from y in vR. */
static inline void out16(const xai_rq_consts *c, int8_t *out, int n,
                         lanes16 *y, int add_zp, tally *t, final_regs *f) {
  const uint8_t *cb = (const uint8_t *)c;
  if (add_zp) vladd16(t, y, cb + c->off[XAI_RQC_ZP]);
  if (c->do_max) {
    vladd16(t, y, cb + c->off[XAI_RQC_NEG_LO]);
    for (int i = 0; i < 16; i++) y->v[i] = (int16_t)(y->v[i] < 0 ? 0 : y->v[i]);
    t->issues++; /* VPOS */
    vladd16(t, y, cb + c->off[XAI_RQC_ACT_LO]);
  }
  if (c->do_min) {
    int16_t hi[16];
    memcpy(hi, cb + c->off[XAI_RQC_ACT_HI], 32);
    for (int i = 0; i < 16; i++) {
      int32_t v = vlsub_lane(hi[i], y->v[i], -32768);
      v = v < 0 ? 0 : v;
      y->v[i] = (int16_t)vlsub_lane(hi[i], v, -32768);
    }
    t->issues += 3; /* VLSUB, VPOS, VLSUB */
  }
  t->issues++; /* VSTR y */
  /* VLASHR y by -8 then VDEPTH8 */
  int8_t res[16];
  for (int i = 0; i < 16; i++)
    res[i] = sat8((rq_sat16(y->v[i] * 256) + 128) >> 8);
  memset(&f->r, 0, sizeof f->r);
  memcpy(f->r.s8, res, 16);
  t->issues += 3; /* VLASHR, VDEPTH8, VSTRPV */
  if (c->fix128) {
    /* VDEPTH1 of rq_sat16(y + 127): the lanes at -128 (y >= -32767, so the
     * sum never saturates low) */
    uint8_t neg[16];
    for (int i = 0; i < 16; i++) neg[i] = y->v[i] + 127 < 0;
    int any = 0;
    for (int i = 0; i < n; i++) any |= neg[i];
    t->issues += 3; /* VLADD 127s, VDEPTH1, VSTR */
    t->mems++;      /* the scalar load of the mask */
    if (any) {
      memset(&f->r, 0x80, sizeof f->r); /* VLDR of the 0x80 bytes */
      for (int i = 0; i < 16; i++) res[i] = neg[i] ? (int8_t)-128 : res[i];
      t->issues += 2; /* VLDR, VSTRPV */
    }
  }
  if (c->fix128) t->mems++; /* the branch on the mask */
  t->tail_vsetc = 1;
  memcpy(out, res, (size_t)n);
}

/* The int8 output stage (out8): VSETC int8, the int8 VLSAT of acc, the
 * clamp steps on all 32 lanes, the store. */
static inline void out8(const void *final_shift,
                        const xai_rq_consts *c, int8_t *out, int n,
                        const int32_t acc[16], tally *t, final_regs *f) {
  const uint8_t *cb = (const uint8_t *)c;
  uint16_t sh[16];
  memcpy(sh, final_shift, 32);
  int8_t r[32], a[32];
  for (int i = 0; i < 16; i++) r[i] = (int8_t)rq_vlsat_lane(acc[i], sh[i], 127);
  memset(r + 16, 0, 16);
  t->issues += 2; /* VSETC, VLSAT */
  const int add_a = c->off[XAI_RQC_I8_A] != 0;
  if (add_a) memcpy(a, cb + c->off[XAI_RQC_I8_A], 32);
  if (c->out_i8 == 1) {
    if (add_a) {
      for (int i = 0; i < 32; i++) r[i] = sat8((int32_t)r[i] + a[i]);
      t->issues++;
    }
  } else {
    for (int i = 0; i < 32; i++) r[i] = r[i] < 0 ? 0 : r[i];
    t->issues++; /* VPOS */
    if (c->act_max < 127) {
      int8_t b[32], cc[32];
      memcpy(b, cb + c->off[XAI_RQC_I8_B], 32);
      memcpy(cc, cb + c->off[XAI_RQC_I8_C], 32);
      for (int i = 0; i < 32; i++) {
        int32_t v = vlsub_lane(b[i], r[i], -128);
        v = v < 0 ? 0 : v;
        r[i] = (int8_t)vlsub_lane(cc[i], v, -128);
      }
      t->issues += 3; /* VLSUB, VPOS, VLSUB */
    } else if (add_a) {
      for (int i = 0; i < 32; i++) r[i] = sat8((int32_t)r[i] + a[i]);
      t->issues++;
    }
  }
  t->issues++; /* VSTRPV */
  memcpy(f->r.s8, r, 32);
  memcpy(out, r, (size_t)n);
}

/* The fast chain (run_fast in requant_run_vpu.c). */
static void run_fast(xai_vpu_ctx *ctx, const xai_rq_group *g,
                     const xai_rq_consts *c, int8_t *out, int n, tally *t,
                     final_regs *f) {
  const uint32_t fast = (g->info >> XAI_RQ_INFO_FAST_SHIFT) & 0xFu;
  const int sign = (fast & XAI_RQ_FAST_SIGN) != 0;
  const rq_v16 hi = rq_load16(ctx->vD.s16), q = rq_load16(ctx->vR.s16);
  rq_a16 acc = rq_join(hi, q);
  t->issues += 1u + (unsigned)sign; /* VSTR Q, VSTD HI */
  rq_v16 p = rq_rshr16(acc);        /* P = rshr(acc, 16) */
  t->issues++;
  if (fast & XAI_RQ_FAST_POFF) {
    p = rq_add16(p, rq_load16(g->v[XAI_RQF_POFF]));
    t->issues++;
  }
  t->issues++; /* VSTR P */
  rq_a16 s;
  if (sign) {
    s = rq_widen(rq_vsign(hi)); /* VLASHR HI by 0, VSIGN, VSTR S */
    t->issues += 3;
  }
  acc = rq_join(rq_load16(g->v[XAI_RQF_A0_HI]),
                rq_load16(g->v[XAI_RQF_A0_LO]));
  t->issues += 3; /* VLDD, VLDR, VLDC Q */
  acc = vlmacc(t, acc, q, g->v[XAI_RQF_ML]);
  acc = rq_join(rq_load16(g->v[XAI_RQF_K1]), rq_rshr16(acc)); /* c0 */
  t->issues += 2; /* VLSAT, VLDD k1 */
  acc = vlmacc(t, acc, q, g->v[XAI_RQF_MH]);
  if (sign) {
    acc = rq_addsat(acc, s);
    t->issues += 2; /* VLDC S, VLMACC ones */
    t->vlmaccs++;
  }
  t->issues++; /* VLDC P */
  acc = vlmacc(t, acc, p, g->v[XAI_RQF_ML]);
  acc = rq_join(rq_load16(g->v[XAI_RQF_K2]), rq_rshr16(acc)); /* c1 */
  t->issues += 2; /* VLSAT, VLDD k2 */
  acc = vlmacc(t, acc, p, g->v[XAI_RQF_MH]);
  rq_store16(f->c.s16, p);
  if (fast & XAI_RQ_FAST_I8) {
    int32_t a[16];
    rq_store32(a, acc);
    out8(g->v[XAI_RQF_SHIFT], c, out, n, a, t, f);
  } else {
    lanes16 y;
    rq_store16(y.v, rq_vlsat16(acc, g->v[XAI_RQF_SHIFT]));
    t->issues++;
    out16(c, out, n, &y, 0, t, f);
  }
}

/* One product term (term in requant_run_vpu.c); vc: the vector in vC. */
static inline rq_a16 term(const xai_rq_chain *ch, int slot,
                          const rq_v16 *data, rq_a16 acc,
                          const rq_v16 **vc, tally *t) {
  if (!ch->coef[slot]) return acc;
  if (*vc != data) {
    t->issues++; /* VLDC */
    *vc = data;
  }
  return vlmacc(t, acc, *data, ch->coef[slot]);
}

/* A level of the general chain starts from its 32-bit constant (VLDD,
 * VLDR) plus, with carry, the previous level's carry cv (VLSAT 16, VSTR,
 * ..., VLDC, VLMACC ones). */
static inline rq_a16 next_level(const int16_t *const k[2], int carry,
                                rq_a16 acc, rq_v16 *cv, const rq_v16 **vc,
                                tally *t) {
  if (carry) {
    *cv = rq_rshr16(acc);
    t->issues += 2; /* VLSAT, VSTR C */
  }
  rq_a16 a = rq_join(rq_load16(k[0]), rq_load16(k[1]));
  t->issues += 2; /* VLDD, VLDR */
  if (carry) {
    a = rq_addsat(a, rq_widen(*cv));
    t->issues += 2; /* VLDC C, VLMACC ones */
    t->vlmaccs++;
    *vc = cv;
  }
  return a;
}

static void run_general(xai_vpu_ctx *ctx, const xai_rq_group *g,
                        const xai_rq_consts *c, int8_t *out, int n,
                        tally *t, final_regs *f) {
  const rq_v16 hi = rq_load16(ctx->vD.s16), q = rq_load16(ctx->vR.s16);
  rq_a16 acc = rq_join(hi, q);
  t->issues += (g->info & XAI_RQ_T_MASK) ? 2u : 1u; /* VSTR Q, VSTD HI */
  xai_rq_chain ch;
  xai_rq_chain_of(g, &ch);
  const rq_v16 *vc = NULL;
  const rq_v16 p = rq_vlsat16(acc, ch.split); /* rshr(acc, 16), sat16(acc) */
  t->issues += 2;                             /* VLSAT, VSTR P */
  rq_v16 tv = hi, cv, cv2;
  if (ch.coef[XAI_RQ_L1_T] || ch.coef[XAI_RQ_L2_T]) {
    tv = rq_signmask(hi);
    t->issues += 2; /* VLASHR HI by 15, VSTR T */
  }
  int l0 = ch.coef[XAI_RQ_L0_Q] != NULL;
  if (l0) {
    acc = next_level(ch.k[0], 0, acc, &cv, &vc, t);
    acc = term(&ch, XAI_RQ_L0_Q, &q, acc, &vc, t);
  }
  acc = next_level(ch.k[1], l0, acc, &cv, &vc, t);
  acc = term(&ch, XAI_RQ_L1_T, &tv, acc, &vc, t);
  acc = term(&ch, XAI_RQ_L1_Q, &q, acc, &vc, t);
  acc = term(&ch, XAI_RQ_L1_QE, &q, acc, &vc, t);
  acc = term(&ch, XAI_RQ_L1_P, &p, acc, &vc, t);
  /* The carry slot of level 2 is a new vector: vC may still hold the
   * previous carry. */
  acc = next_level(ch.k[2], 1, acc, &cv2, &vc, t);
  acc = term(&ch, XAI_RQ_L2_P, &p, acc, &vc, t);
  acc = term(&ch, XAI_RQ_L2_PE, &p, acc, &vc, t);
  acc = term(&ch, XAI_RQ_L2_T, &tv, acc, &vc, t);
  lanes16 y;
  rq_store16(y.v, rq_vlsat16(acc, ch.final)); /* y, saturated to int16 */
  t->issues++;
  rq_store16(f->c.s16, *vc);
  out16(c, out, n, &y, 1, t, f);
}

void xai_rq_run(xai_vpu_ctx *ctx, const xai_rq_group *g,
                const xai_rq_consts *c, int8_t *out, int n, void *scratch) {
  if (g_run_vpu || (g->info & XAI_RQ_INFO_SCALAR)) {
    /* the scalar fallback is plain C already */
    xai_rq_run_vpu(ctx, g, c, out, n, scratch);
    return;
  }
  tally t = {1u, 0u, 0u, 0u}; /* VSETC int16 */
  final_regs f;
  const int aligned = ((uintptr_t)out & 3u) == 0;
  if (g->info & (XAI_RQ_FAST << XAI_RQ_INFO_FAST_SHIFT))
    run_fast(ctx, g, c, out, n, &t, &f);
  else
    run_general(ctx, g, c, out, n, &t, &f);
  finish(ctx, &f, &t);
  if (!aligned) xai_xc_charge_copy(ctx, (size_t)n, 0);
  if (t.tail_vsetc) {
    xai_vpu_mem(ctx, 1);
    ctx->vpu_ops++;
  }
}
