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

/* When set, xai_rq_run issues the instruction sequence itself (tests). */
static int g_run_vpu;

void xai_rq_set_vpu_sequence(int on) { g_run_vpu = on != 0; }

/* 16 int16 lanes (products of two of them are int16 x int16 multiplies,
 * which the host vectorises best). */
typedef struct {
  int16_t v[16];
} lanes16;

/* Counters of the sequence being mirrored. */
typedef struct {
  uint32_t issues, mems, vlmaccs;
  uint32_t tail_vsetc; /* out16's VSETC int8 comes after the byte copy */
} tally;

/* sat32(a + b), symmetric, in 32-bit operations (vpu_mac.c acc32_add16). */
static inline int32_t add_sat32(int32_t a, int32_t b) {
  uint32_t ua = (uint32_t)a, ub = (uint32_t)b, s = ua + ub;
  uint32_t over = ((ua ^ s) & (ub ^ s)) >> 31;
  uint32_t sat = 0x7FFFFFFFu + (ua >> 31) * 2u;
  s = over ? sat : s;
  return (int32_t)(s == 0x80000000u ? 0x80000001u : s);
}
static inline int32_t sat16(int32_t v) {
  return v > 32767 ? 32767 : v < -32767 ? -32767 : v;
}
static inline int8_t sat8(int32_t v) {
  return (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
}

/* One lane of VLSAT (vpu_mac.c): rounding shift, no rounding from 32 on,
 * saturated to +-hi. */
static inline int32_t vlsat_lane(int32_t a, uint32_t s, int32_t hi) {
  int32_t v;
  if (s == 0)
    v = a;
  else if (s >= 32)
    v = a >> 31; /* only sign bits remain */
  else /* (a + 2^(s-1)) >> s without overflow */
    v = (a >> s) + ((a >> (s - 1)) & 1);
  return v > hi ? hi : v < -hi ? -hi : v;
}

/* VLSAT in int16 mode by a shift vector: vR = result, vD = 0. */
static inline void vlsat16(tally *t, const int32_t acc[16],
                           const void *shifts, lanes16 *r) {
  uint16_t sh[16];
  memcpy(sh, shifts, 32);
  for (int i = 0; i < 16; i++)
    r->v[i] = (int16_t)vlsat_lane(acc[i], sh[i], 32767);
  t->issues++;
}

/* VLSAT by 16 on every lane (the library's shift vector). */
static inline void vlsat16_by16(tally *t, const int32_t acc[16],
                                lanes16 *r) {
  for (int i = 0; i < 16; i++)
    r->v[i] = (int16_t)sat16((acc[i] >> 16) + ((acc[i] >> 15) & 1));
  t->issues++;
}

/* VLDD hi (after a VLSAT, or with VLDR lo): acc = hi:lo. */
static inline void acc_load(int32_t acc[16], const int16_t *hi,
                            const int16_t *lo) {
  uint16_t h[16], l[16];
  memcpy(h, hi, 32);
  memcpy(l, lo, 32);
  for (int i = 0; i < 16; i++)
    acc[i] = (int32_t)(((uint32_t)h[i] << 16) | l[i]);
}

/* VLDD hi after a VLSAT that left the carry c in vR (vD = 0): the
 * accumulators read hi:(c mod 2^16). */
static inline void acc_load_carry(int32_t acc[16], const int16_t *hi,
                                  const lanes16 *c) {
  uint16_t h[16];
  memcpy(h, hi, 32);
  for (int i = 0; i < 16; i++)
    acc[i] = (int32_t)(((uint32_t)h[i] << 16) | (uint16_t)c->v[i]);
}

/* VLMACC in int16 mode. */
static inline void vlmacc(tally *t, int32_t acc[16], const int16_t *c,
                          const void *m) {
  int16_t w[16];
  memcpy(w, m, 32);
  for (int i = 0; i < 16; i++)
    acc[i] = add_sat32(acc[i], (int32_t)c[i] * w[i]);
  t->issues++;
  t->vlmaccs++;
}

/* VLADD in int16 mode. */
static inline void vladd16(tally *t, lanes16 *r, const void *m) {
  int16_t w[16];
  memcpy(w, m, 32);
  for (int i = 0; i < 16; i++) r->v[i] = (int16_t)sat16(r->v[i] + w[i]);
  t->issues++;
}

/* VLSUB (vpu_lanes.c vlsub_lane): mem - r, with XS3's negation of MIN. */
static inline int32_t vlsub_lane(int32_t mem, int32_t r, int32_t min) {
  if (r == min && mem == 0) return min;
  int32_t v = mem - r, hi = -min - 1;
  return v > hi ? hi : v < -hi ? -hi : v;
}

static inline void to_vec(const lanes16 *l, xai_vpu_vec *v) {
  memcpy(v->s16, l->v, 32);
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
    res[i] = sat8((sat16(y->v[i] * 256) + 128) >> 8);
  memset(&f->r, 0, sizeof f->r);
  memcpy(f->r.s8, res, 16);
  t->issues += 3; /* VLASHR, VDEPTH8, VSTRPV */
  if (c->fix128) {
    /* VDEPTH1 of sat16(y + 127): the lanes at -128 (y >= -32767, so the
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
  for (int i = 0; i < 16; i++) r[i] = (int8_t)vlsat_lane(acc[i], sh[i], 127);
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
  int32_t acc[16];
  lanes16 q, p, s;
  for (int i = 0; i < 16; i++)
    acc[i] = (int32_t)(((uint32_t)ctx->vD.u16[i] << 16) | ctx->vR.u16[i]);
  memcpy(q.v, ctx->vR.s16, 32);
  memcpy(s.v, ctx->vD.s16, 32); /* HI, until S replaces it */
  t->issues += 1u + (unsigned)sign; /* VSTR Q, VSTD HI */
  vlsat16_by16(t, acc, &p); /* P = rshr(acc, 16) */
  if (fast & XAI_RQ_FAST_POFF) vladd16(t, &p, g->v[XAI_RQF_POFF]);
  t->issues++; /* VSTR P */
  if (sign) {
    /* VLASHR HI by 0 (saturating), VSIGN, VSTR S */
    for (int i = 0; i < 16; i++)
      s.v[i] = (int16_t)(sat16(s.v[i]) >= 0 ? 16384 : -16384);
    t->issues += 3;
  }
  acc_load(acc, g->v[XAI_RQF_A0_HI], g->v[XAI_RQF_A0_LO]);
  t->issues += 3; /* VLDD, VLDR, VLDC Q */
  vlmacc(t, acc, q.v, g->v[XAI_RQF_ML]);
  lanes16 carry;
  vlsat16_by16(t, acc, &carry);
  acc_load_carry(acc, g->v[XAI_RQF_K1], &carry);
  t->issues++; /* VLDD k1 */
  vlmacc(t, acc, q.v, g->v[XAI_RQF_MH]);
  if (sign) {
    for (int i = 0; i < 16; i++) acc[i] = add_sat32(acc[i], s.v[i]);
    t->issues += 2; /* VLDC S, VLMACC ones */
    t->vlmaccs++;
  }
  t->issues++; /* VLDC P */
  vlmacc(t, acc, p.v, g->v[XAI_RQF_ML]);
  vlsat16_by16(t, acc, &carry);
  acc_load_carry(acc, g->v[XAI_RQF_K2], &carry);
  t->issues++; /* VLDD k2 */
  vlmacc(t, acc, p.v, g->v[XAI_RQF_MH]);
  to_vec(&p, &f->c);
  if (fast & XAI_RQ_FAST_I8) {
    out8(g->v[XAI_RQF_SHIFT], c, out, n, acc, t, f);
  } else {
    lanes16 y;
    vlsat16(t, acc, g->v[XAI_RQF_SHIFT], &y);
    out16(c, out, n, &y, 0, t, f);
  }
}

/* The general chain: a level starts from its 32-bit constant (VLDD, VLDR)
 * plus the previous level's carry (VLSAT 16, VSTR, ..., VLDC, VLMACC
 * ones). */
static inline void next_level(const int16_t *const k[2], int carry,
                              int32_t acc[16], lanes16 *cv,
                              const lanes16 **vc, tally *t) {
  if (carry) {
    vlsat16_by16(t, acc, cv);
    t->issues++; /* VSTR C */
  }
  acc_load(acc, k[0], k[1]);
  t->issues += 2; /* VLDD, VLDR */
  if (carry) {
    for (int i = 0; i < 16; i++) acc[i] = add_sat32(acc[i], cv->v[i]);
    t->issues += 2; /* VLDC C, VLMACC ones */
    t->vlmaccs++;
    *vc = cv;
  }
}

/* One product term (term in requant_run_vpu.c). */
static inline void term(const xai_rq_chain *ch, int slot,
                        const lanes16 *data, int32_t acc[16],
                        const lanes16 **vc, tally *t) {
  if (!ch->coef[slot]) return;
  if (*vc != data) {
    t->issues++; /* VLDC */
    *vc = data;
  }
  vlmacc(t, acc, data->v, ch->coef[slot]);
}

static void run_general(xai_vpu_ctx *ctx, const xai_rq_group *g,
                        const xai_rq_consts *c, int8_t *out, int n,
                        tally *t, final_regs *f) {
  int32_t acc[16];
  lanes16 q, hi, p, tv, cv;
  for (int i = 0; i < 16; i++)
    acc[i] = (int32_t)(((uint32_t)ctx->vD.u16[i] << 16) | ctx->vR.u16[i]);
  memcpy(q.v, ctx->vR.s16, 32);
  memcpy(hi.v, ctx->vD.s16, 32);
  t->issues += (g->info & XAI_RQ_T_MASK) ? 2u : 1u; /* VSTR Q, VSTD HI */
  xai_rq_chain ch;
  xai_rq_chain_of(g, &ch);
  const lanes16 *vc = NULL;
  vlsat16(t, acc, ch.split, &p); /* P = rshr(acc, 16) or sat16(acc) */
  t->issues++;                   /* VSTR P */
  if (ch.coef[XAI_RQ_L1_T] || ch.coef[XAI_RQ_L2_T]) {
    for (int i = 0; i < 16; i++) tv.v[i] = (int16_t)(hi.v[i] >> 15);
    t->issues += 2; /* VLASHR HI by 15, VSTR T */
  }
  int l0 = ch.coef[XAI_RQ_L0_Q] != NULL;
  if (l0) {
    next_level(ch.k[0], 0, acc, &cv, &vc, t);
    term(&ch, XAI_RQ_L0_Q, &q, acc, &vc, t);
  }
  next_level(ch.k[1], l0, acc, &cv, &vc, t);
  term(&ch, XAI_RQ_L1_T, &tv, acc, &vc, t);
  term(&ch, XAI_RQ_L1_Q, &q, acc, &vc, t);
  term(&ch, XAI_RQ_L1_QE, &q, acc, &vc, t);
  term(&ch, XAI_RQ_L1_P, &p, acc, &vc, t);
  /* The carry slot of level 2 is a new vector: vC may still hold the
   * previous carry. */
  lanes16 cv2;
  next_level(ch.k[2], 1, acc, &cv2, &vc, t);
  term(&ch, XAI_RQ_L2_P, &p, acc, &vc, t);
  term(&ch, XAI_RQ_L2_PE, &p, acc, &vc, t);
  term(&ch, XAI_RQ_L2_T, &tv, acc, &vc, t);
  lanes16 y;
  vlsat16(t, acc, ch.final, &y); /* y, saturated to int16 */
  to_vec(vc, &f->c);
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
