/* Fixed-point requantization exactly as TFLite's double-rounding build
 * defines it (tensorflow/lite/kernels/internal/common.cc and
 * quantization_util.cc; gemmlowp fixedpoint.h). Where TFLite relies on
 * two's-complement wrap-around (it marks those functions "no sanitize
 * integer overflow"), we wrap explicitly through unsigned arithmetic so
 * the results are the same bits and UBSan stays quiet. */
#include "xai/kernels_ref/quant.h"

#include <math.h>

#include "quant_internal.h"
#include "xai/tflite.h"

static int32_t wrap_i32(uint32_t v) { return (int32_t)v; }

int32_t xai_srdhm(int32_t a, int32_t b) { return xai_srdhm_inline(a, b); }

int32_t xai_rdbpot(int32_t x, int exponent) {
  return xai_rdbpot_inline(x, exponent);
}

static int32_t shl_wrap(int32_t x, int left_shift) {
  return xai_shl_wrap_inline(x, left_shift);
}

int32_t xai_mbqm(int32_t x, int32_t multiplier, int shift) {
  return xai_mbqm_inline(x, multiplier, shift);
}

int32_t xai_mbqm_single(int32_t x, int32_t multiplier, int shift) {
  int total_shift = 31 - shift;
  int64_t prod = (int64_t)x * (int64_t)multiplier;
  int64_t result;
  if (total_shift <= 0) {
    /* shift > 31: outside what TFLite allows (it asserts shift <= 30). */
    result = total_shift < -32 ? 0
                               : (int64_t)((uint64_t)prod << -total_shift);
  } else {
    if (total_shift > 63) total_shift = 63;
    result = (prod + ((int64_t)1 << (total_shift - 1))) >> total_shift;
  }
  /* |x * M| < 2^62, so the sum cannot overflow; the narrowing wraps. */
  return wrap_i32((uint32_t)(uint64_t)result);
}

int32_t xai_mbqm64(int64_t x, int32_t multiplier, int shift) {
  /* TFLite drops to a 16-bit multiplier (rounded) so x (< 2^47) times it
   * fits in 64 bits; multipliers at the very top saturate to 0x7FFF. */
  int32_t reduced = multiplier < 0x7FFF0000
                        ? (int32_t)(((int64_t)multiplier + (1 << 15)) >> 16)
                        : 0x7FFF;
  int total_shift = 15 - shift;
  uint64_t prod = (uint64_t)x * (uint64_t)(int64_t)reduced;
  int64_t result;
  if (total_shift <= 0) {
    /* Outside TFLite's asserted range (shift < 8); keep it defined. */
    result = total_shift < -63 ? 0 : (int64_t)(prod << -total_shift);
  } else {
    if (total_shift > 63) total_shift = 63;
    uint64_t round = (uint64_t)1 << (total_shift - 1);
    result = (int64_t)(prod + round) >> total_shift;
  }
  /* TFLite truncates the int64 result to int32 without saturating. */
  return wrap_i32((uint32_t)(uint64_t)result);
}

int32_t xai_mbqm_smaller_than_one(int32_t x, int32_t multiplier, int shift) {
  return xai_rdbpot(xai_srdhm(x, multiplier), -shift);
}

int32_t xai_mbqm_greater_than_one(int32_t x, int32_t multiplier,
                                  int left_shift) {
  return xai_srdhm(shl_wrap(x, left_shift), multiplier);
}

void xai_quantize_multiplier(double real, int32_t *multiplier, int *shift) {
  /* NaN and infinities have no frexp significand; TFLite would produce
   * garbage, we produce "multiply by zero". */
  if (real == 0.0 || !isfinite(real)) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exp = 0;
  double q = frexp(real, &exp); /* real = q * 2^exp, |q| in [0.5, 1) */
  int64_t q_fixed = (int64_t)round(q * 2147483648.0);
  /* Rounding can carry q up to exactly 1.0: renormalise to 0.5. */
  if (q_fixed == ((int64_t)1 << 31)) {
    q_fixed /= 2;
    ++exp;
  }
  /* Below 2^-31 every product would shift out: TFLite flushes to zero. */
  if (exp < -31) {
    exp = 0;
    q_fixed = 0;
  }
  *multiplier = (int32_t)q_fixed;
  *shift = exp;
}

/* TFLite quantizes an activation bound in float: zp + (int)round(f / s).
 * Bounds beyond int32 (TFLite refuses those models) saturate instead. */
static int64_t quantize_bound(float f, float scale, int32_t zero_point) {
  float q = roundf(f / scale);
  if (isnan(q)) return zero_point;
  if (q >= 2147483648.0f) return (int64_t)1 << 40;
  if (q <= -2147483648.0f) return -((int64_t)1 << 40);
  return (int64_t)zero_point + (int64_t)q;
}

void xai_activation_range_quantized(int activation, float scale,
                                    int32_t zero_point, int32_t type_min,
                                    int32_t type_max, int32_t *act_min,
                                    int32_t *act_max) {
  int64_t lo = type_min, hi = type_max;
  switch (activation) {
    case XAI_ACT_RELU:
      lo = quantize_bound(0.0f, scale, zero_point);
      break;
    case XAI_ACT_RELU6:
      lo = quantize_bound(0.0f, scale, zero_point);
      hi = quantize_bound(6.0f, scale, zero_point);
      break;
    case XAI_ACT_RELU_N1_TO_1:
      lo = quantize_bound(-1.0f, scale, zero_point);
      hi = quantize_bound(1.0f, scale, zero_point);
      break;
    default: /* NONE (and TANH/SIGN_BIT, which TFLite treats as none here) */
      break;
  }
  *act_min = (int32_t)(lo > type_min ? lo : type_min);
  *act_max = (int32_t)(hi < type_max ? hi : type_max);
}
