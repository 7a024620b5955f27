/* Exact VPU requantization (include/xai/kernels_xcore/requant.h has the
 * derivation): the pack-time constants of each group of 16 channels. */
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
                     int64_t bound, int single, int sign) {
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
    e = sign ? (int64_t)1 << 31 : 0;
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
                          int sign, int32_t off, int *uses_d) {
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
  f.sign = sign;
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

/* requant.h, "Sign term": the T term only changes outputs that a clamp
 * at act_min >= zp_out hides. */
static int sign_needed(int single_rounding, const xai_rq_consts_plan *c) {
  return !single_rounding && c->act_min < c->zp_out;
}

/* Repacks g (already packed for the general chain) for the fast chain if
 * every lane fits; otherwise leaves it untouched. */
static void try_fast(xai_rq_plan *g, const int32_t *multiplier,
                     const int32_t *shift, const int64_t *acc_bound, int n,
                     int single, const xai_rq_consts_plan *c) {
  xai_rq_plan f;
  memset(&f, 0, sizeof f);
  int32_t off = c->out_i8 ? c->i8_offset : c->zp_out;
  const int need_sign = sign_needed(single, c);
  int poff = 0, sign = 0;
  for (int i = 0; i < 16; i++) {
    int used = 0;
    if (i < n) {
      int64_t b = acc_bound[i] < 0 ? -acc_bound[i] : acc_bound[i];
      if (!pack_fast_lane(&f, i, multiplier[i], shift[i], b, single,
                          need_sign, off, &used))
        return;
      if (multiplier[i] != 0 && need_sign) sign = 1;
    } else {
      pack_fast_lane(&f, i, 0, 0, 0, single, 0, 0, &used);
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

int xai_rq_plan_fold_poff(xai_rq_plan *g, int16_t d[16]) {
  const uint32_t need = XAI_RQ_FAST | XAI_RQ_FAST_POFF;
  if ((g->fast & need) != need || (g->fast & XAI_RQ_FAST_SIGN)) return 0;
  memcpy(d, g->p_offset, sizeof g->p_offset);
  memset(g->p_offset, 0, sizeof g->p_offset);
  g->fast &= ~(uint32_t)XAI_RQ_FAST_POFF;
  return 1;
}

static void pack_general(xai_rq_plan *g, const int32_t *multiplier,
                         const int32_t *shift, const int64_t *acc_bound,
                         int n, int single_rounding, int sign) {
  memset(g, 0, sizeof *g);
  int ok = 1;
  for (int i = 0; i < 16; i++) {
    if (i < n) {
      g->multiplier[i] = multiplier[i];
      g->shift[i] = shift[i];
      int64_t b = acc_bound[i] < 0 ? -acc_bound[i] : acc_bound[i];
      if (!pack_lane(g, i, multiplier[i], shift[i], b, single_rounding,
                     sign))
        ok = 0;
    } else {
      pack_lane(g, i, 0, 0, 0, 0, 0);
    }
  }
  g->scalar = ok ? 0u : 1u;
  g->single_rounding = single_rounding ? 1u : 0u;
  for (int t = 0; t < XAI_RQ_TERMS; t++)
    for (int i = 0; i < 16; i++)
      if (g->coef[t][i] != 0) g->term_mask |= 1u << t;
}

void xai_rq_pack_group(xai_rq_plan *g, const int32_t *multiplier,
                       const int32_t *shift, const int64_t *acc_bound,
                       int n, int single_rounding) {
  pack_general(g, multiplier, shift, acc_bound, n, single_rounding, 1);
}

void xai_rq_pack_group_clamped(xai_rq_plan *g, const int32_t *multiplier,
                               const int32_t *shift,
                               const int64_t *acc_bound, int n,
                               int single_rounding,
                               const xai_rq_consts_plan *c) {
  pack_general(g, multiplier, shift, acc_bound, n, single_rounding,
               sign_needed(single_rounding, c));
}

void xai_rq_pack_group_c(xai_rq_plan *g, const int32_t *multiplier,
                         const int32_t *shift, const int64_t *acc_bound,
                         int n, int single_rounding,
                         const xai_rq_consts_plan *c) {
  xai_rq_pack_group_clamped(g, multiplier, shift, acc_bound, n,
                            single_rounding, c);
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
