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

static inline int32_t xai_mbqm_inline(int32_t x, int32_t multiplier,
                                      int shift) {
  int left_shift = shift > 0 ? shift : 0;
  int right_shift = shift > 0 ? 0 : -shift;
  return xai_rdbpot_inline(
      xai_srdhm_inline(xai_shl_wrap_inline(x, left_shift), multiplier),
      right_shift);
}

#endif
