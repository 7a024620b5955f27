/* LceQuantize and LceDequantize (larq_compute_engine quantization.cc):
 * bitpacking along the last axis and its inverse. */
#include <math.h>

#include "xai/kernels_ref/lce.h"

void xai_lce_quantize_f32_ref(const float *in, size_t rows, int32_t cols,
                              int32_t *out) {
  for (size_t r = 0; r < rows; r++, in += cols)
    for (int32_t w = 0; w < xai_lce_words(cols); w++) {
      uint32_t word = 0;
      for (int32_t b = 0; b < 32 && w * 32 + b < cols; b++)
        if (in[w * 32 + b] < 0.0f) word |= 1u << b;
      *out++ = (int32_t)word;
    }
}

void xai_lce_quantize_s8_ref(const int8_t *in, int32_t zero_point,
                             size_t rows, int32_t cols, int32_t *out) {
  for (size_t r = 0; r < rows; r++, in += cols)
    for (int32_t w = 0; w < xai_lce_words(cols); w++) {
      uint32_t word = 0;
      for (int32_t b = 0; b < 32 && w * 32 + b < cols; b++)
        if (in[w * 32 + b] < zero_point) word |= 1u << b;
      *out++ = (int32_t)word;
    }
}

void xai_lce_dequantize_f32_ref(const int32_t *in, size_t rows, int32_t cols,
                                float *out) {
  for (size_t r = 0; r < rows; r++, in += xai_lce_words(cols))
    for (int32_t c = 0; c < cols; c++)
      *out++ = ((uint32_t)in[c / 32] >> (c % 32)) & 1u ? -1.0f : 1.0f;
}

void xai_lce_dequantize_s8_ref(const int32_t *in, float scale,
                               int32_t zero_point, size_t rows, int32_t cols,
                               int8_t *out) {
  /* round(1/scale) in float, as LCE; beyond 256 both results saturate. */
  float inv = 1.0f / scale;
  int32_t offset = inv >= 256.0f ? 256 : (int32_t)roundf(inv);
  int32_t plus = zero_point + offset, minus = zero_point - offset;
  int8_t zero_bit = (int8_t)(plus > 127 ? 127 : plus);
  int8_t one_bit = (int8_t)(minus < -128 ? -128 : minus);
  for (size_t r = 0; r < rows; r++, in += xai_lce_words(cols))
    for (int32_t c = 0; c < cols; c++)
      *out++ = ((uint32_t)in[c / 32] >> (c % 32)) & 1u ? one_bit : zero_bit;
}
