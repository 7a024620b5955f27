/* Exact VPU requantization (include/xai/kernels_xcore/requant.h has the
 * derivation): pack-time constants and the per-group run. */
#include "xai/kernels_xcore/requant.h"

#include <string.h>

#include "requant_internal.h"
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

static void set_level(xai_rq_plan *g, int level, int lane, int64_t k) {
  uint32_t u = (uint32_t)(int32_t)k;
  g->k_hi[level][lane] = (int16_t)(uint16_t)(u >> 16);
  g->k_lo[level][lane] = (uint16_t)(u & 0xFFFFu);
}

/* Fills lane i for the chain; returns 0 if the lane needs the scalar path. */
static int pack_lane(xai_rq_plan *g, int i, int32_t mult, int32_t shift,
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

/* ---- The fast chain (requant.h, "Fast chain"): pack time. ---- */

#define ACC_MAX (((int64_t)1 << 31) - 1) /* the accumulators saturate here */

typedef struct {
  int64_t lo, hi;
} span;

static span span_add(span a, span b) { return (span){a.lo + b.lo, a.hi + b.hi}; }
static span span_mul(int64_t lo, int64_t hi, int64_t k) {
  return k >= 0 ? (span){lo * k, hi * k} : (span){hi * k, lo * k};
}
static int span_in_acc(span a) { return a.lo >= -ACC_MAX && a.hi <= ACC_MAX; }
/* floor(a / 2^16) for the carry VLSAT (the register value + 2^15). */
static int64_t carry_of(int64_t a) {
  int64_t u = a + 32768;
  return u >= 0 ? u / 65536 : -((-u + 65535) / 65536);
}

typedef struct {
  int64_t ml, mh, p_lo, p_hi;
  int sign;
} fast_lane;

/* Every register value of the chain for lane constants (a0, k1, k2) stays
 * unsaturated and both carries land in [0, 32767]; then the chain is the
 * exact floor (requant.h). Q, P', S are taken over their whole ranges
 * independently (a superset of what occurs). */
static int fast_fits(const fast_lane *f, int64_t a0, int64_t k1, int64_t k2) {
  span r = span_add((span){a0, a0}, span_mul(-32768, 32767, f->ml));
  if (!span_in_acc(r)) return 0;
  span c0 = {carry_of(r.lo), carry_of(r.hi)};
  if (c0.lo < 0 || c0.hi > 32767) return 0;
  r = span_add((span){k1 * 65536, k1 * 65536}, c0);
  if (!span_in_acc(r)) return 0;
  r = span_add(r, span_mul(-32768, 32767, f->mh));
  if (!span_in_acc(r)) return 0;
  if (f->sign) {
    r = span_add(r, (span){-16384, 16384});
    if (!span_in_acc(r)) return 0;
  }
  r = span_add(r, span_mul(f->p_lo, f->p_hi, f->ml));
  if (!span_in_acc(r)) return 0;
  span c1 = {carry_of(r.lo), carry_of(r.hi)};
  if (c1.lo < 0 || c1.hi > 32767) return 0;
  r = span_add((span){k2 * 65536, k2 * 65536}, c1);
  if (!span_in_acc(r)) return 0;
  r = span_add(r, span_mul(f->p_lo, f->p_hi, f->mh));
  return span_in_acc(r);
}

/* Fills lane i for the fast chain with output offset off; 0 if it does
 * not fit (the group then keeps the general chain). *uses_d: d != 0. */
static int pack_fast_lane(xai_rq_plan *g, int i, int32_t mult,
                          int32_t shift, int64_t bound, int single,
                          int32_t off, int *uses_d) {
  *uses_d = 0;
  g->split_shift[i] = 16;
  if (mult == 0) {
    /* y = 0: the level-2 constant off * 2^16 and a final shift of 16. */
    g->final_shift[i] = 16;
    g->k_hi[2][i] = (int16_t)off;
    return 1;
  }
  if (mult < ((int32_t)1 << 30) || shift >= 0 || shift < -15 ||
      bound > ((int64_t)1 << 30))
    return 0;
  int rs = -shift, s = 31 + rs, sh = s - 32;
  fast_lane f;
  f.ml = (int64_t)(int16_t)(uint16_t)((uint32_t)mult & 0xFFFFu);
  f.mh = ((int64_t)mult - f.ml) / 65536;
  if (f.mh > 32767) return 0;
  f.sign = !single;
  int64_t p_min = carry_of(-bound), p_max = carry_of(bound);
  int64_t bp = ((int64_t)1 << (30 + rs)) + (single ? 0 : (int64_t)1 << 30);
  int64_t h = sh ? (int64_t)1 << (sh - 1) : 0;
  /* R = a0 + k1 2^32 + k2 2^48 for d = 0 (requant.h, "Fast chain"). */
  int64_t r0 = bp + (int64_t)off * ((int64_t)1 << s) - 32768 -
               ((int64_t)1 << 31) - h * ((int64_t)1 << 32) -
               (f.sign ? (int64_t)1 << 30 : 0);
  int64_t pm = p_max > -p_min ? p_max : -p_min;
  int64_t d_max = 16383 - pm;
  /* d = 0, 1, -1, 2, -2, ...: a bounded search (pack time only). */
  if (d_max > 2048) d_max = 2048;
  for (int64_t k = 0; k <= 2 * d_max; k++) {
    int64_t d = (k & 1) ? (k + 1) / 2 : -(k / 2);
    int64_t r = r0 - d * 65536 * (int64_t)mult;
    int64_t a0 = (int64_t)(int32_t)(uint32_t)(uint64_t)r;
    int64_t rest = (r - a0) / ((int64_t)1 << 32);
    int64_t k1 = (int64_t)(int16_t)(uint16_t)((uint64_t)rest & 0xFFFFu);
    int64_t k2 = (rest - k1) / 65536;
    if (!fits16(k2)) continue;
    f.p_lo = p_min + d;
    f.p_hi = p_max + d;
    if (!fast_fits(&f, a0, k1, k2)) continue;
    set_level(g, 0, i, a0);
    g->k_hi[1][i] = (int16_t)k1;
    g->k_lo[1][i] = 0;
    g->k_hi[2][i] = (int16_t)k2;
    g->k_lo[2][i] = 0;
    g->coef[XAI_RQ_L0_Q][i] = (int16_t)f.ml;
    g->coef[XAI_RQ_L1_Q][i] = (int16_t)f.mh;
    g->coef[XAI_RQ_L1_P][i] = (int16_t)f.ml;
    g->coef[XAI_RQ_L2_P][i] = (int16_t)f.mh;
    g->coef[XAI_RQ_L1_T][i] = (int16_t)f.sign;
    g->p_offset[i] = (int16_t)d;
    g->final_shift[i] = (uint16_t)sh;
    *uses_d = d != 0;
    return 1;
  }
  return 0;
}

/* Repacks g (already packed for the general chain) for the fast chain if
 * every lane fits; otherwise leaves it untouched. */
static void try_fast(xai_rq_plan *g, const int32_t *multiplier,
                     const int32_t *shift, const int64_t *acc_bound, int n,
                     int single, const xai_rq_consts_plan *c) {
  xai_rq_plan f;
  memset(&f, 0, sizeof f);
  int32_t off = c->out_i8 ? c->i8_offset : c->zp_out;
  int poff = 0, sign = 0;
  for (int i = 0; i < 16; i++) {
    int used = 0;
    if (i < n) {
      int64_t b = acc_bound[i] < 0 ? -acc_bound[i] : acc_bound[i];
      if (!pack_fast_lane(&f, i, multiplier[i], shift[i], b, single, off,
                          &used))
        return;
      if (multiplier[i] != 0 && !single) sign = 1;
    } else {
      pack_fast_lane(&f, i, 0, 0, 0, single, 0, &used);
    }
    poff |= used;
  }
  memcpy(g->split_shift, f.split_shift, sizeof f.split_shift);
  memcpy(g->final_shift, f.final_shift, sizeof f.final_shift);
  memcpy(g->k_hi, f.k_hi, sizeof f.k_hi);
  memcpy(g->k_lo, f.k_lo, sizeof f.k_lo);
  memcpy(g->coef, f.coef, sizeof f.coef);
  memcpy(g->p_offset, f.p_offset, sizeof f.p_offset);
  g->term_mask = 0;
  g->fast = XAI_RQ_FAST | (sign ? XAI_RQ_FAST_SIGN : 0u) |
            (poff ? XAI_RQ_FAST_POFF : 0u) | (c->out_i8 ? XAI_RQ_FAST_I8 : 0u);
}

void xai_rq_pack_group(xai_rq_plan *g, const int32_t *multiplier,
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

void xai_rq_pack_group_c(xai_rq_plan *g, const int32_t *multiplier,
                         const int32_t *shift, const int64_t *acc_bound,
                         int n, int single_rounding,
                         const xai_rq_consts_plan *c) {
  xai_rq_pack_group(g, multiplier, shift, acc_bound, n, single_rounding);
  if (!g->scalar) try_fast(g, multiplier, shift, acc_bound, n,
                           single_rounding, c);
}

xai_status xai_rq_pack_consts(xai_rq_consts_plan *c, int32_t zp_out,
                              int32_t act_min, int32_t act_max,
                              xai_error *err) {
  if (act_min < -128 || act_max > 127 || act_min > act_max || zp_out < -128 ||
      zp_out > 127)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore requant: int8 output needs -128 <= act_min (%d) "
                    "<= act_max (%d) <= 127 and zero point %d in int8",
                    (int)act_min, (int)act_max, (int)zp_out);
  memset(c, 0, sizeof *c);
  c->act_min = act_min;
  c->act_max = act_max;
  c->zp_out = zp_out;
  c->do_min = act_max < 127;
  c->do_max = act_min > -128;
  c->fix128 = act_min == -128;
  /* int8 output stage for fast groups (see xai_rq_consts.out_i8): the
   * int8 VLSAT saturates w = y + i8_offset to [-127, 127], which maps
   * [act_min, 127] (mode 1) or [act_min, act_min + 127] (mode 2) one to
   * one; the int8 steps after it then stay inside [-127, 127]. */
  if (act_min >= -127 && act_min < 0 && act_max == 127) {
    c->out_i8 = 1;
    c->i8_offset = zp_out - act_min - 127;
  } else if (act_min >= 0) {
    c->out_i8 = 2;
    c->i8_offset = zp_out - act_min;
  }
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

/* ---- Encoded forms ---- */

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

static uint32_t popcount8(uint32_t m) {
  uint32_t n = 0;
  for (; m; m &= m - 1) n++;
  return n;
}

uint32_t xai_rq_group_vectors(uint32_t info) {
  if (info & (XAI_RQ_FAST << XAI_RQ_INFO_FAST_SHIFT))
    return (info & (XAI_RQ_FAST_POFF << XAI_RQ_INFO_FAST_SHIFT)) ? 8u : 7u;
  if (info & XAI_RQ_INFO_SCALAR) return 4u;
  uint32_t mask = info & 0xFFu;
  return 2u + ((mask & (1u << XAI_RQ_L0_Q)) ? 2u : 0u) + 4u + popcount8(mask);
}

uint32_t xai_rq_plan_info(const xai_rq_plan *g) {
  return (g->term_mask & 0xFFu) |
         ((g->fast & 0xFu) << XAI_RQ_INFO_FAST_SHIFT) |
         (g->scalar ? XAI_RQ_INFO_SCALAR : 0u) |
         (g->single_rounding ? XAI_RQ_INFO_SINGLE : 0u);
}

size_t xai_rq_encode_group(const xai_rq_plan *g, void *dst) {
  uint32_t info = xai_rq_plan_info(g);
  size_t bytes = xai_rq_group_bytes(info);
  if (!dst) return bytes;
  uint8_t *d = (uint8_t *)dst;
  memcpy(d, &info, 4);
  d += 4;
  const void *vec[16];
  uint32_t n = 0;
  if (g->fast & XAI_RQ_FAST) {
    /* The fast chain's coefficient slots repeat (L1_P = L0_Q = Ml, L2_P =
     * L1_Q = Mh) and L1_T is 1 wherever the sign term is used; split
     * shifts are all 16 (pack_fast_lane). */
    vec[n++] = g->final_shift;
    vec[n++] = g->k_hi[0];
    vec[n++] = g->k_lo[0];
    vec[n++] = g->k_hi[1];
    vec[n++] = g->k_hi[2];
    vec[n++] = g->coef[XAI_RQ_L0_Q];
    vec[n++] = g->coef[XAI_RQ_L1_Q];
    if (g->fast & XAI_RQ_FAST_POFF) vec[n++] = g->p_offset;
  } else if (g->scalar) {
    vec[n++] = g->multiplier;
    vec[n++] = g->multiplier + 8;
    vec[n++] = g->shift;
    vec[n++] = g->shift + 8;
  } else {
    vec[n++] = g->split_shift;
    vec[n++] = g->final_shift;
    for (int level = 0; level < 3; level++) {
      if (level == 0 && !(g->term_mask & (1u << XAI_RQ_L0_Q))) continue;
      vec[n++] = g->k_hi[level];
      vec[n++] = g->k_lo[level];
    }
    for (int t = 0; t < XAI_RQ_TERMS; t++)
      if (g->term_mask & (1u << t)) vec[n++] = g->coef[t];
  }
  for (uint32_t i = 0; i < n; i++) memcpy(d + 32u * i, vec[i], 32);
  return bytes;
}

uint32_t xai_rq_consts_needs(uint32_t info) {
  if (info & (XAI_RQ_FAST << XAI_RQ_INFO_FAST_SHIFT))
    return (info & (XAI_RQ_FAST_I8 << XAI_RQ_INFO_FAST_SHIFT))
               ? XAI_RQ_NEEDS_I8
               : XAI_RQ_NEEDS_OUT16;
  if (info & XAI_RQ_INFO_SCALAR) return 0;
  return XAI_RQ_NEEDS_ZP | XAI_RQ_NEEDS_OUT16;
}

size_t xai_rq_encode_consts(const xai_rq_consts_plan *c, uint32_t needs,
                            void *dst) {
  xai_rq_consts h;
  memset(&h, 0, sizeof h);
  h.act_min = c->act_min;
  h.act_max = c->act_max;
  h.zp_out = c->zp_out;
  h.i8_offset = c->i8_offset;
  h.do_min = (uint8_t)c->do_min;
  h.do_max = (uint8_t)c->do_max;
  h.fix128 = (uint8_t)c->fix128;
  h.out_i8 = (uint8_t)c->out_i8;
  h.replicas = (uint16_t)c->replicas;
  /* int16 lanes (i16 = 1) or int8 bytes of one value, only where read. */
  struct {
    int id, i16, use;
    int32_t v;
  } vecs[XAI_RQC_VECTORS] = {
      {XAI_RQC_ZP, 1, (needs & XAI_RQ_NEEDS_ZP) != 0, c->zp_out},
      {XAI_RQC_ACT_HI, 1, (needs & XAI_RQ_NEEDS_OUT16) && c->do_min,
       c->act_max},
      {XAI_RQC_NEG_LO, 1, (needs & XAI_RQ_NEEDS_OUT16) && c->do_max,
       -c->act_min},
      {XAI_RQC_ACT_LO, 1, (needs & XAI_RQ_NEEDS_OUT16) && c->do_max,
       c->act_min},
      {XAI_RQC_I8_A, 0, 0, 0},
      {XAI_RQC_I8_B, 0, 0, c->act_max - c->act_min},
      {XAI_RQC_I8_C, 0, 0, c->act_max}};
  if ((needs & XAI_RQ_NEEDS_I8) && c->out_i8 == 1) {
    vecs[XAI_RQC_I8_A].v = c->act_min + 127;
    vecs[XAI_RQC_I8_A].use = vecs[XAI_RQC_I8_A].v != 0;
  } else if ((needs & XAI_RQ_NEEDS_I8) && c->out_i8 == 2) {
    int clamp_hi = c->act_max < 127;
    vecs[XAI_RQC_I8_A].v = c->act_min;
    vecs[XAI_RQC_I8_A].use = !clamp_hi && c->act_min != 0;
    vecs[XAI_RQC_I8_B].use = clamp_hi;
    vecs[XAI_RQC_I8_C].use = clamp_hi;
  }
  size_t at = sizeof h;
  uint8_t *d = (uint8_t *)dst;
  for (int i = 0; i < XAI_RQC_VECTORS; i++) {
    if (!vecs[i].use) continue;
    h.off[vecs[i].id] = (uint16_t)at;
    if (d) {
      uint8_t v[32];
      for (int l = 0; l < 16 && vecs[i].i16; l++) {
        uint16_t u = (uint16_t)(int16_t)vecs[i].v;
        memcpy(v + 2 * l, &u, 2);
      }
      if (!vecs[i].i16) memset(v, (int)(int8_t)vecs[i].v, 32);
      memcpy(d + at, v, 32);
    }
    at += 32;
  }
  h.bytes = (uint32_t)at;
  if (d) memcpy(d, &h, sizeof h);
  return at;
}

int xai_rq_consts_valid(const xai_rq_consts *c, size_t avail) {
  if (!c || avail < sizeof *c || c->bytes < sizeof *c || c->bytes > avail ||
      c->out_i8 > 2)
    return 0;
  for (int i = 0; i < XAI_RQC_VECTORS; i++) {
    size_t off = c->off[i];
    if (off != 0 && (off % 4u != 0 || off < sizeof *c || off + 32u > c->bytes))
      return 0;
  }
  return 1;
}

/* ---- The run ---- */

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
 * with the next stored coefficient (*coef advances: the record keeps the
 * used terms in slot order, which is the order the chain issues them). */
static void term(xai_vpu_ctx *ctx, uint32_t mask, int t, const void *data,
                 const void **vc, const int16_t (**coef)[16]) {
  if (!(mask & (1u << t))) return;
  if (*vc != data) {
    xai_vpu_vldc(ctx, data);
    *vc = data;
  }
  xai_vpu_vlmacc(ctx, **coef);
  (*coef)++;
}

/* VLSAT by 16 gives the carry c (any sign); the next level starts from
 * its constant k (vD half, vR half) plus c (VLDC c, VLMACC ones). */
static void next_level(xai_vpu_ctx *ctx, const int16_t (*k)[16],
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

void xai_rq_run(xai_vpu_ctx *ctx, const xai_rq_group *g,
                const xai_rq_consts *c, int8_t *out, int n, void *scratch) {
  xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT16);
  if (g->info & (XAI_RQ_FAST << XAI_RQ_INFO_FAST_SHIFT)) {
    run_fast(ctx, g, c, out, n, scratch);
    return;
  }
  void *q = slot(scratch, BUF_Q), *hif = slot(scratch, BUF_HI);
  void *p = slot(scratch, BUF_P), *t = slot(scratch, BUF_T);
  xai_vpu_vstr(ctx, q);
  xai_vpu_vstd(ctx, hif);
  if (g->info & XAI_RQ_INFO_SCALAR) {
    run_scalar(ctx, g, c, out, n, scratch);
    xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
    return;
  }
  /* General record: split shift, final shift, level constants (level 0
   * only with its term), then the used coefficients in slot order. */
  const uint32_t mask = g->info & 0xFFu;
  const int16_t(*k)[16] = g->v + 2;
  const void *vc = NULL;
  xai_vpu_vlsat(ctx, g->v[0]); /* P = rshr(acc, 16) or sat16(acc) */
  xai_vpu_vstr(ctx, p);
  if (mask & ((1u << XAI_RQ_L1_T) | (1u << XAI_RQ_L2_T))) {
    xai_vpu_vlashr(ctx, hif, 15); /* T = -[acc < 0] */
    xai_vpu_vstr(ctx, t);
  }
  int l0 = (mask & (1u << XAI_RQ_L0_Q)) != 0;
  const int16_t(*coef)[16] = k + (l0 ? 6 : 4);
  if (l0) {
    next_level(ctx, k, scratch, 0, &vc);
    k += 2;
    term(ctx, mask, XAI_RQ_L0_Q, q, &vc, &coef);
  }
  /* Without a level-0 product c0 = floor((k0 - 2^15 + 2^15) / 2^16) = 0. */
  next_level(ctx, k, scratch, l0, &vc);
  term(ctx, mask, XAI_RQ_L1_T, t, &vc, &coef);
  term(ctx, mask, XAI_RQ_L1_Q, q, &vc, &coef);
  term(ctx, mask, XAI_RQ_L1_QE, q, &vc, &coef);
  term(ctx, mask, XAI_RQ_L1_P, p, &vc, &coef);
  next_level(ctx, k + 2, scratch, 1, &vc);
  term(ctx, mask, XAI_RQ_L2_P, p, &vc, &coef);
  term(ctx, mask, XAI_RQ_L2_PE, p, &vc, &coef);
  term(ctx, mask, XAI_RQ_L2_T, t, &vc, &coef);
  xai_vpu_vlsat(ctx, g->v[1]); /* y, saturated to int16 */
  out16(ctx, c, out, n, scratch, 1);
}
