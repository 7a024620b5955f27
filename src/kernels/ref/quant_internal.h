/* Inline forms of the requantization core (quant.c documents the
 * arithmetic), for the per-output loops of the hot kernels: a call per
 * output costs as much as a small convolution's dot product. */
#ifndef XAI_KERNELS_REF_QUANT_INTERNAL_H
#define XAI_KERNELS_REF_QUANT_INTERNAL_H

#include <stdint.h>

static inline int32_t xai_srdhm_inline(int32_t a, int32_t b) {
  /* The one product that does not fit: (-1) * (-1) in Q31 would be +1. */
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * (int64_t)b;
  /* gemmlowp nudges towards +inf for positive products and towards -inf
   * for negative ones, then divides (truncating toward zero) by 2^31. */
  int64_t nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

static inline int32_t xai_rdbpot_inline(int32_t x, int exponent) {
  /* gemmlowp asserts 0 <= exponent <= 31; computing in 64 bits gives the
   * same result there and a defined one (0 or -0 rounding) beyond. */
  if (exponent <= 0) return x;
  if (exponent > 62) exponent = 62;
  int64_t v = x;
  int64_t mask = ((int64_t)1 << exponent) - 1;
  int64_t remainder = v & mask;
  /* Ties round away from zero: negative values need a strictly larger
   * remainder to round up (toward zero). */
  int64_t threshold = (mask >> 1) + (v < 0 ? 1 : 0);
  return (int32_t)((v >> exponent) + (remainder > threshold ? 1 : 0));
}

/* x * 2^left_shift modulo 2^32, as TFLite's `x * (1 << left_shift)`. */
static inline int32_t xai_shl_wrap_inline(int32_t x, int left_shift) {
  if (left_shift <= 0) return x;
  if (left_shift > 31) return 0;
  return (int32_t)((uint32_t)x << left_shift);
}

/* The branch-free floor form (xai_srdhm_nosat below) serves every
 * multiplier but INT32_MIN, which xai_quantize_multiplier never makes: the
 * test is always decided the same way. A shift <= 0 leaves x unshifted and
 * a shift >= 0 rounds by 2^0, both as the split left/right shifts. */
static inline int32_t xai_srdhm_nosat(int32_t a, int32_t b);
static inline int32_t xai_mbqm_inline(int32_t x, int32_t multiplier,
                                      int shift) {
  const int32_t shifted = xai_shl_wrap_inline(x, shift);
  const int32_t high = multiplier != INT32_MIN
                           ? xai_srdhm_nosat(shifted, multiplier)
                           : xai_srdhm_inline(shifted, multiplier);
  return xai_rdbpot_inline(high, -shift);
}

/* ---- Forms for loops whose multiplier and shift are fixed ------------ */

/* xai_srdhm_inline(a, b) for (a, b) != (INT32_MIN, INT32_MIN), without
 * branches: floor((a*b + 2^30) / 2^31). Proof of equality: write
 * p = a*b. For p >= 0 gemmlowp computes trunc((p + 2^30) / 2^31), which
 * is the floor as the dividend is positive. For p < 0 write
 * -p = k*2^31 + r with 0 <= r < 2^31; gemmlowp gives
 * trunc((p + 1 - 2^30) / 2^31) = -(k + [r + 2^30 - 1 >= 2^31])
 * = -k - [r > 2^30], and floor((p + 2^30) / 2^31)
 * = -k + floor((2^30 - r) / 2^31) = -k - [r > 2^30] as
 * 2^30 - r lies in (-2^30, 2^30]. Both round ties toward +infinity. The
 * excluded pair is the only one whose result does not fit in int32. */
static inline int32_t xai_srdhm_nosat(int32_t a, int32_t b) {
  return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
}

/* xai_rdbpot_inline(x, exponent) with the exponent fixed across a loop:
 * the same clamping and 64-bit steps, the mask and threshold computed
 * once by xai_rdbpot_pre_make. */
typedef struct {
  int exponent;       /* clamped to [0, 62] as xai_rdbpot_inline does */
  int64_t mask, half; /* 2^exponent - 1 and mask >> 1 */
} xai_rdbpot_pre;

static inline xai_rdbpot_pre xai_rdbpot_pre_make(int exponent) {
  xai_rdbpot_pre r;
  if (exponent < 0) exponent = 0; /* exponent <= 0 returns x: mask 0 */
  if (exponent > 62) exponent = 62;
  r.exponent = exponent;
  r.mask = ((int64_t)1 << exponent) - 1;
  r.half = r.mask >> 1;
  return r;
}

static inline int32_t xai_rdbpot_apply(const xai_rdbpot_pre *r, int32_t x) {
  const int64_t v = x;
  const int64_t remainder = v & r->mask;
  const int64_t threshold = r->half + (v < 0 ? 1 : 0);
  return (int32_t)((v >> r->exponent) + (remainder > threshold ? 1 : 0));
}

/* xai_mbqm_inline(x, multiplier, shift) with its shift split once. */
typedef struct {
  int left_shift;
  int32_t multiplier;
  xai_rdbpot_pre down;
} xai_mbqm_pre;

static inline xai_mbqm_pre xai_mbqm_pre_make(int32_t multiplier, int shift) {
  xai_mbqm_pre q;
  q.left_shift = shift > 0 ? shift : 0;
  q.multiplier = multiplier;
  q.down = xai_rdbpot_pre_make(shift > 0 ? 0 : -shift);
  return q;
}

static inline int32_t xai_mbqm_apply(const xai_mbqm_pre *q, int32_t x) {
  const int32_t shifted = xai_shl_wrap_inline(x, q->left_shift);
  /* The saturating pair needs the multiplier INT32_MIN, which
   * xai_quantize_multiplier never makes: the branch is always taken the
   * same way, and the common side is branch-free. */
  const int32_t high = q->multiplier != INT32_MIN
                           ? xai_srdhm_nosat(shifted, q->multiplier)
                           : xai_srdhm_inline(shifted, q->multiplier);
  return xai_rdbpot_apply(&q->down, high);
}

#endif
