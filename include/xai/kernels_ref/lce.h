/* Binarized (Larq Compute Engine) reference kernels, bit-exact with the LCE
 * interpreter's reference kernels (larq-compute-engine 0.16).
 *
 * Bitpacking: 32 channels a word, channel c in bit c % 32 of word c / 32;
 * bit 1 means -1, bit 0 means +1; the padding bits of a last partial word
 * are 0. A binary convolution accumulates popcount(input XOR filter) over
 * whole words and the filter window (`accum`), K - 2*accum being the
 * {-1,+1} dot product for K = kh*kw*channels_in_per_group. NHWC. */
#ifndef XAI_KERNELS_REF_LCE_H
#define XAI_KERNELS_REF_LCE_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/conv.h" /* xai_dims4 */

#ifdef __cplusplus
extern "C" {
#endif

/* Words holding n bitpacked channels. */
static inline int32_t xai_lce_words(int32_t n) { return (n + 31) / 32; }

/* LceQuantize: rows x cols values -> rows x words(cols) words.
 * float: bit = x < 0 (so -0.0 and NaN give 0); int8: bit = x < zero_point. */
void xai_lce_quantize_f32_ref(const float *in, size_t rows, int32_t cols,
                              int32_t *out);
void xai_lce_quantize_s8_ref(const int8_t *in, int32_t zero_point,
                             size_t rows, int32_t cols, int32_t *out);

/* LceDequantize: bit 0 -> +1, bit 1 -> -1; int8 output: zero_point +-
 * round(1 / scale), saturated to int8. */
void xai_lce_dequantize_f32_ref(const int32_t *in, size_t rows, int32_t cols,
                                float *out);
void xai_lce_dequantize_s8_ref(const int32_t *in, float scale,
                               int32_t zero_point, size_t rows, int32_t cols,
                               int8_t *out);

typedef enum {
  XAI_BCONV_OUT_FLOAT = 0,
  XAI_BCONV_OUT_INT8 = 1,
  XAI_BCONV_OUT_BITPACKED = 2,
} xai_bconv_out_kind;

typedef struct {
  int32_t stride_h, stride_w, dil_h, dil_w;
  int32_t pad_h, pad_w;   /* leading (top/left) padding */
  int32_t zero_padding;   /* SAME with pad_values 0: a padded tap counts 0 */
  int32_t channels_in;    /* true input channels (all groups) */
  int32_t groups;         /* input and output channels split evenly */
  /* float/int8 output: x = clamp(2*accum, clamp_min, clamp_max), then
   * y = (float)x * mult[c] + bias[c] in float (int8: round half away from
   * zero, saturate). Bitpacked output: bit c = accum > threshold[c]. */
  uint8_t out_kind; /* xai_bconv_out_kind */
  int32_t clamp_min, clamp_max;
  const float *mult, *bias;
  const int32_t *threshold;
  /* xcore kernel only (kernels_xcore/bconv.h): per output channel, the
   * popcount of the filter words its last vector chunk reads past its row. */
  const int32_t *tail_fix;
  /* xcore kernel only: bitpacked output thresholded on the VPU when set
   * (xai_bconv2d_xcore_bit_lanes). */
  const int16_t *bit_lanes;
  /* xcore kernel only: zero padding's per-tap filter popcounts when set
   * (xai_bconv2d_xcore_tap_pops). */
  const uint16_t *tap_pops;
} xai_bconv2d_params;

/* LCE's output transform from the model's post-activation multiplier and
 * bias (one per output channel): fuses the back-transformation K - 2*accum
 * and, for int8 output, 1/scale and the zero point (computed in double,
 * stored as float), and turns the fused activation (XAI_ACT_NONE, RELU,
 * RELU_N1_TO_1, RELU6) into the clamp on 2*accum. out_scale 1, zero point 0
 * for float output. */
void xai_bconv2d_transform_make(const float *post_mul, const float *post_bias,
                                int32_t channels_out, int32_t k_depth,
                                int activation, double out_scale,
                                double out_zero_point, float *mult,
                                float *bias, int32_t *clamp_min,
                                int32_t *clamp_max);

/* One output value from an accumulator (float/int8 kinds). */
static inline float xai_bconv2d_float_out(const xai_bconv2d_params *p,
                                          int32_t accum, int32_t c) {
  int32_t x = accum * 2;
  if (x > p->clamp_max) x = p->clamp_max;
  if (x < p->clamp_min) x = p->clamp_min;
  float prod = (float)x * p->mult[c];
  return prod + p->bias[c];
}
int8_t xai_bconv2d_s8_out(const xai_bconv2d_params *p, int32_t accum,
                          int32_t c);

/* LceBconv2d. in: n x h x w x words(channels_in) words; filter: OHWI with
 * filter->c = words(channels_in / groups); out: float, int8 or bitpacked
 * (out_dims->c is the unpacked channel count). */
void xai_bconv2d_ref(const xai_bconv2d_params *p, const xai_dims4 *in_dims,
                     const int32_t *in, const xai_dims4 *filter_dims,
                     const int32_t *filter, const xai_dims4 *out_dims,
                     void *out);

/* LceBMaxPool2d over bitpacked words: AND of the window's in-image words
 * (all ones for a window entirely in the padding). dims c = words. */
typedef struct {
  int32_t filter_h, filter_w, stride_h, stride_w, pad_h, pad_w;
} xai_bmaxpool_params;
void xai_bmaxpool2d_ref(const xai_bmaxpool_params *p, const xai_dims4 *in_dims,
                        const int32_t *in, const xai_dims4 *out_dims,
                        int32_t *out);

#ifdef __cplusplus
}
#endif
#endif
