/* Exact VPU requantization (include/xai/kernels_xcore/requant.h has the
 * derivation): pack-time constants and the per-group run. */
#include "xai/kernels_xcore/requant.h"

#include <string.h>

#include "xai/kernels_ref/quant.h"

/* Signed base-2^16 digits: v = d[0] + d[1]*2^16 + d[2]*2^32, d[0], d[1]
 * in [-2^15, 2^15). */
static void digits16(int64_t v, int64_t d[3]) {
  for (int i = 0; i < 2; i++) {
    int64_t lo = (int64_t)(int16_t)(uint16_t)((uint64_t)v & 0xFFFFu);
    d[i] = lo;
    v = (v - lo) / 65536;
  }
  d[2] = v;
}

static int fits16(int64_t v) { return v >= -32768 && v <= 32767; }

static void set_level(xai_rq_group *g, int level, int lane, int64_t k) {
  uint32_t u = (uint32_t)(int32_t)k;
  g->k_hi[level][lane] = (int16_t)(uint16_t)(u >> 16);
  g->k_lo[level][lane] = (uint16_t)(u & 0xFFFFu);
}

/* Fills lane i for the chain; returns 0 if the lane needs the scalar path. */
static int pack_lane(xai_rq_group *g, int i, int32_t mult, int32_t shift,
                     int64_t bound, int single) {
  const int64_t two30 = (int64_t)1 << 30;
  g->split_shift[i] = 16;
  set_level(g, 0, i, -32768);
  set_level(g, 1, i, -32768);
  if (mult == 0) return 1; /* srdhm(x, 0) = 0: everything stays zero */
  if (mult < two30) return 0;
  int ls = shift > 0 ? shift : 0, rs = shift > 0 ? 0 : -shift;
  if (ls > 30 || rs > 31 || bound > two30) return 0;
  int64_t m = mult, bp, e;
  int s;
  if (rs == 0) {
    /* TFLite shifts acc left in 32 bits and adds the zero point in 32
     * bits: neither may wrap (|y| <= |acc| * 2^ls + 1). */
    if ((bound << ls) > ((int64_t)1 << 31) - 256) return 0;
    s = 31 - ls;
    bp = (int64_t)1 << (30 - ls);
    e = 0;
  } else if (single) {
    /* floor((acc*M + 2^(S-1)) / 2^S): one rounding, no sign term. */
    s = 31 + rs;
    bp = (int64_t)1 << (30 + rs);
    e = 0;
  } else {
    s = 31 + rs;
    bp = two30 + ((int64_t)1 << (30 + rs));
    e = (int64_t)1 << 31;
  }
  int64_t ml = (int64_t)(int16_t)(uint16_t)(m & 0xFFFF);
  int64_t mh = (m - ml) / 65536;
  int edge = 0;
  if (mh == 32768) {
    if ((m & 1) == 0) {
      /* floor((a*M + B) / 2^S) = floor((a*M/2 + floor(B/2)) / 2^(S-1)). */
      m /= 2;
      bp /= 2;
      e /= 2;
      s -= 1;
      ml = (int64_t)(int16_t)(uint16_t)(m & 0xFFFF);
      mh = (m - ml) / 65536;
    } else {
      edge = 1; /* Mh = 2^15 does not fit: two MACs of 2^14 */
    }
  }
  int64_t mh_a = edge ? 16384 : mh, mh_b = edge ? 16384 : 0;
  int64_t d[3];
  if (s >= 32) {
    int sh = s - 32;
    g->coef[XAI_RQ_L0_Q][i] = (int16_t)ml;
    g->coef[XAI_RQ_L1_Q][i] = (int16_t)mh_a;
    g->coef[XAI_RQ_L1_QE][i] = (int16_t)mh_b;
    g->coef[XAI_RQ_L1_P][i] = (int16_t)ml;
    g->coef[XAI_RQ_L2_P][i] = (int16_t)mh_a;
    g->coef[XAI_RQ_L2_PE][i] = (int16_t)mh_b;
    digits16(e, d);
    if (d[0] != 0 || !fits16(d[1]) || !fits16(d[2])) return 0;
    g->coef[XAI_RQ_L1_T][i] = (int16_t)d[1];
    g->coef[XAI_RQ_L2_T][i] = (int16_t)d[2];
    set_level(g, 0, i, (bp & 0xFFFF) - 32768);
    set_level(g, 1, i, ((bp >> 16) & 0xFFFF) - 32768);
    set_level(g, 2, i, (bp >> 32) - (sh ? ((int64_t)1 << (sh - 1)) : 0));
    g->final_shift[i] = (uint16_t)sh;
  } else {
    /* acc saturated to int16 (P) and the chain for N * 2^16. */
    int sh = s - 16;
    if (sh < 0) return 0;
    g->split_shift[i] = 0;
    g->coef[XAI_RQ_L1_P][i] = (int16_t)ml;
    g->coef[XAI_RQ_L2_P][i] = (int16_t)mh_a;
    g->coef[XAI_RQ_L2_PE][i] = (int16_t)mh_b;
    digits16(e * 65536, d);
    if (d[0] != 0 || !fits16(d[1]) || !fits16(d[2])) return 0;
    g->coef[XAI_RQ_L1_T][i] = (int16_t)d[1];
    g->coef[XAI_RQ_L2_T][i] = (int16_t)d[2];
    set_level(g, 1, i, (bp & 0xFFFF) - 32768);
    set_level(g, 2, i, (bp >> 16) - (sh ? ((int64_t)1 << (sh - 1)) : 0));
    g->final_shift[i] = (uint16_t)sh;
  }
  return 1;
}

void xai_rq_pack_group(xai_rq_group *g, const int32_t *multiplier,
                       const int32_t *shift, const int64_t *acc_bound,
                       int n, int single_rounding) {
  memset(g, 0, sizeof *g);
  int ok = 1;
  for (int i = 0; i < 16; i++) {
    if (i < n) {
      g->multiplier[i] = multiplier[i];
      g->shift[i] = shift[i];
      int64_t b = acc_bound[i] < 0 ? -acc_bound[i] : acc_bound[i];
      if (!pack_lane(g, i, multiplier[i], shift[i], b, single_rounding))
        ok = 0;
    } else {
      pack_lane(g, i, 0, 0, 0, 0);
    }
  }
  g->scalar = ok ? 0u : 1u;
  g->single_rounding = single_rounding ? 1u : 0u;
  for (int t = 0; t < XAI_RQ_TERMS; t++)
    for (int i = 0; i < 16; i++)
      if (g->coef[t][i] != 0) g->term_mask |= 1u << t;
}

xai_status xai_rq_pack_consts(xai_rq_consts *c, int32_t zp_out,
                              int32_t act_min, int32_t act_max,
                              xai_error *err) {
  if (act_min < -128 || act_max > 127 || act_min > act_max || zp_out < -128 ||
      zp_out > 127)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore requant: int8 output needs -128 <= act_min (%d) "
                    "<= act_max (%d) <= 127 and zero point %d in int8",
                    (int)act_min, (int)act_max, (int)zp_out);
  memset(c, 0, sizeof *c);
  for (int i = 0; i < 16; i++) {
    c->zp[i] = (int16_t)zp_out;
    c->ones[i] = 1;
    c->shift16[i] = 16;
    c->act_hi[i] = (int16_t)act_max;
    c->neg_lo[i] = (int16_t)-act_min;
    c->act_lo[i] = (int16_t)act_min;
    c->plus127[i] = 127;
  }
  memset(c->b80, 0x80, sizeof c->b80);
  c->act_min = act_min;
  c->act_max = act_max;
  c->zp_out = zp_out;
  c->do_min = act_max < 127;
  c->do_max = act_min > -128;
  c->fix128 = act_min == -128;
  return XAI_OK;
}

int64_t xai_rq_acc_bound(const int8_t *w, size_t n, size_t stride,
                         int32_t zp_in, int64_t bias) {
  int64_t lo = bias, hi = bias;
  for (size_t k = 0; k < n; k++) {
    int64_t wk = w[k * stride];
    int64_t a = wk * (-128 - zp_in), b = wk * (127 - zp_in);
    lo += a < b ? a : b;
    hi += a < b ? b : a;
  }
  int64_t m = -lo > hi ? -lo : hi;
  return m;
}

/* Scratch slots (32 bytes each). Values whose lifetimes do not overlap
 * share a slot, so a call needs 4 vectors instead of 6: T (the sign mask)
 * is made from HI, which is dead after that; the carries C are consumed
 * by the next instruction and Y (the result) only appears after the last
 * carry; the -128 mask reuses T's slot once the chain is done. */
enum { BUF_Q, BUF_HI, BUF_P, BUF_C };
enum { BUF_T = BUF_HI, BUF_Y = BUF_C };

static void *slot(void *scratch, int i) { return (uint8_t *)scratch + 32 * i; }

/* One product term: vC = data vector (if not already loaded), VLMACC. */
static void term(xai_vpu_ctx *ctx, const xai_rq_group *g, int t,
                 const void *data, const void **vc) {
  if (!(g->term_mask & (1u << t))) return;
  if (*vc != data) {
    xai_vpu_vldc(ctx, data);
    *vc = data;
  }
  xai_vpu_vlmacc(ctx, g->coef[t]);
}

/* VLSAT by 16 gives the carry c (any sign); the next level starts from
 * its constant plus c (VLDC c, VLMACC ones). */
static void next_level(xai_vpu_ctx *ctx, const xai_rq_group *g,
                       const xai_rq_consts *c, int level, void *scratch,
                       int carry, const void **vc) {
  if (carry) {
    xai_vpu_vlsat(ctx, c->shift16);
    xai_vpu_vstr(ctx, slot(scratch, BUF_C));
  }
  xai_vpu_vldd(ctx, g->k_hi[level]);
  xai_vpu_vldr(ctx, g->k_lo[level]);
  if (carry) {
    xai_vpu_vldc(ctx, slot(scratch, BUF_C));
    xai_vpu_vlmacc(ctx, c->ones);
    *vc = NULL;
  }
}

static void run_scalar(xai_vpu_ctx *ctx, const xai_rq_group *g,
                       const xai_rq_consts *c, int8_t *out, int n,
                       void *scratch) {
  const int16_t *hi = (const int16_t *)slot(scratch, BUF_HI);
  const uint16_t *lo = (const uint16_t *)slot(scratch, BUF_Q);
  for (int i = 0; i < n; i++) {
    int32_t acc = (int32_t)(uint32_t)(((uint32_t)(uint16_t)hi[i] << 16) |
                                      lo[i]);
    int32_t y = g->single_rounding
                    ? xai_mbqm_single(acc, g->multiplier[i], g->shift[i])
                    : xai_mbqm(acc, g->multiplier[i], g->shift[i]);
    /* TFLite adds the zero point in int32, wrapping. */
    int32_t v = (int32_t)((uint32_t)y + (uint32_t)c->zp_out);
    if (v < c->act_min) v = c->act_min;
    if (v > c->act_max) v = c->act_max;
    out[i] = (int8_t)v;
  }
  xai_vpu_scalar(ctx, (uint64_t)n * XAI_RQ_SCALAR_BUNDLES_PER_OUTPUT);
}

void xai_rq_run(xai_vpu_ctx *ctx, const xai_rq_group *g,
                const xai_rq_consts *c, int8_t *out, int n, void *scratch) {
  xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT16);
  void *q = slot(scratch, BUF_Q), *hif = slot(scratch, BUF_HI);
  void *p = slot(scratch, BUF_P), *t = slot(scratch, BUF_T);
  void *y = slot(scratch, BUF_Y);
  xai_vpu_vstr(ctx, q);
  xai_vpu_vstd(ctx, hif);
  if (g->scalar) {
    run_scalar(ctx, g, c, out, n, scratch);
    xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
    return;
  }
  const void *vc = NULL;
  xai_vpu_vlsat(ctx, g->split_shift); /* P = rshr(acc, 16) or sat16(acc) */
  xai_vpu_vstr(ctx, p);
  if (g->term_mask & ((1u << XAI_RQ_L1_T) | (1u << XAI_RQ_L2_T))) {
    xai_vpu_vlashr(ctx, hif, 15); /* T = -[acc < 0] */
    xai_vpu_vstr(ctx, t);
  }
  int l0 = (g->term_mask & (1u << XAI_RQ_L0_Q)) != 0;
  if (l0) {
    next_level(ctx, g, c, 0, scratch, 0, &vc);
    term(ctx, g, XAI_RQ_L0_Q, q, &vc);
  }
  /* Without a level-0 product c0 = floor((k0 - 2^15 + 2^15) / 2^16) = 0. */
  next_level(ctx, g, c, 1, scratch, l0, &vc);
  term(ctx, g, XAI_RQ_L1_T, t, &vc);
  term(ctx, g, XAI_RQ_L1_Q, q, &vc);
  term(ctx, g, XAI_RQ_L1_QE, q, &vc);
  term(ctx, g, XAI_RQ_L1_P, p, &vc);
  next_level(ctx, g, c, 2, scratch, 1, &vc);
  term(ctx, g, XAI_RQ_L2_P, p, &vc);
  term(ctx, g, XAI_RQ_L2_PE, p, &vc);
  term(ctx, g, XAI_RQ_L2_T, t, &vc);
  xai_vpu_vlsat(ctx, g->final_shift); /* y, saturated to int16 */

  /* Output transform, all monotone saturating steps (exact in range). */
  xai_vpu_vladd(ctx, c->zp);
  if (c->do_max) {
    xai_vpu_vladd(ctx, c->neg_lo);
    xai_vpu_vpos(ctx);
    xai_vpu_vladd(ctx, c->act_lo);
  }
  if (c->do_min) {
    xai_vpu_vlsub(ctx, c->act_hi);
    xai_vpu_vpos(ctx);
    xai_vpu_vlsub(ctx, c->act_hi);
  }
  xai_vpu_vstr(ctx, y);
  uint32_t neg = 0;
  if (c->fix128) {
    xai_vpu_vladd(ctx, c->plus127);
    xai_vpu_vdepth1(ctx);
    xai_vpu_vstr(ctx, t);
    memcpy(&neg, t, 4); /* scalar load of the mask */
    xai_vpu_scalar(ctx, 1);
  }
  xai_vpu_vlashr(ctx, y, -8); /* y * 256, saturating */
  xai_vpu_vdepth8(ctx);       /* back to int8 with saturation to +-127 */
  uint32_t valid = n >= 32 ? 0xFFFFFFFFu : ((1u << n) - 1u);
  neg &= valid;
  int aligned = ((uintptr_t)out & 3u) == 0;
  int8_t *dst = aligned ? out : (int8_t *)y;
  xai_vpu_vstrpv(ctx, dst, aligned ? valid : 0xFFFFFFFFu);
  if (neg) {
    xai_vpu_vldr(ctx, c->b80);
    xai_vpu_vstrpv(ctx, dst, neg);
  }
  xai_vpu_scalar(ctx, 1); /* the branch on the mask */
  if (!aligned) {
    memcpy(out, y, (size_t)n);
    xai_vpu_scalar(ctx, 2u * (uint64_t)n); /* byte load + store each */
  }
  xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
}
