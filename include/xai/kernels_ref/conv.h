/* Convolution-family reference kernels: CONV_2D, DEPTHWISE_CONV_2D and
 * TRANSPOSE_CONV, bit-exact with TFLite's reference_integer_ops kernels.
 * Activations are NHWC; see each function for the filter layout.
 *
 * Requantization is always per output channel: a per-tensor filter scale
 * is broadcast into the arrays by the caller, exactly as TFLite's
 * PopulateConvolutionQuantizationParams does. */
#ifndef XAI_KERNELS_REF_CONV_H
#define XAI_KERNELS_REF_CONV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A 4-D shape. For activations: batches, height, width, channels. For
 * filters the meaning of each field is given by the kernel. */
typedef struct {
  int32_t n, h, w, c;
} xai_dims4;

typedef struct {
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w; /* 1 = no dilation; unused by TRANSPOSE_CONV */
  int32_t pad_h, pad_w;           /* top and left padding */
  int32_t input_offset;           /* -input zero point (int8 only) */
  int32_t output_offset;          /* output zero point (int8 only) */
  int32_t act_min, act_max;       /* clamp after requantization */
} xai_conv_params;

/* Per output channel: real scale = multiplier * 2^(shift - 31).
 * The shifts come as int32 (`shift`) or, when `shift8` is set, as int8:
 * TFLite's shifts lie in [-31, 30], and the runtime keeps them in a byte
 * so its conv ops need no eval-time int32 copy. With `per_tensor`, entry 0
 * serves every channel. shift8 and per_tensor are read by the reference
 * CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV kernels only (through
 * xai_pcq_multiplier/xai_pcq_shift); fully connected and the xcore kernels
 * take `multiplier` and `shift`, one per channel (leave the others zero,
 * as `{mult, shift}` does). */
typedef struct {
  const int32_t *multiplier;
  const int32_t *shift;
  const int8_t *shift8; /* used instead of shift when not NULL */
  bool per_tensor;
} xai_per_channel_quant;

static inline int32_t xai_pcq_multiplier(const xai_per_channel_quant *q,
                                         int32_t channel) {
  return q->multiplier[q->per_tensor ? 0 : channel];
}
static inline int32_t xai_pcq_shift(const xai_per_channel_quant *q,
                                    int32_t channel) {
  const int32_t k = q->per_tensor ? 0 : channel;
  return q->shift8 ? (int32_t)q->shift8[k] : q->shift[k];
}

/* ---- Geometry (TFLite padding.h) ----------------------------------------
 * padding is XAI_PADDING_SAME or XAI_PADDING_VALID. */

/* Output size along one axis: SAME ceil(in / stride); VALID
 * ceil((in - effective_filter + 1) / stride). 0 if stride < 1. */
int32_t xai_conv_out_size(int padding, int32_t in, int32_t filter,
                          int32_t stride, int32_t dilation);
/* Leading (top/left) padding: total = max((out-1)*stride + (filter-1)*dil
 * + 1 - in, 0), leading = total / 2, the odd pixel goes to the
 * bottom/right. */
int32_t xai_conv_pad(int32_t in, int32_t filter, int32_t stride,
                     int32_t dilation, int32_t out);

/* ---- CONV_2D --------------------------------------------------------------
 * filter dims: n = output channels, h, w, c = input channels per group.
 * Grouped convolution when in->c is a multiple of filter->c (groups =
 * in->c / filter->c, output channels split evenly between groups).
 * bias: one per output channel, or NULL. */

/* int8 activations, int8 weights, int32 accumulator and bias. */
xai_status xai_conv2d_s8_ref(const xai_conv_params *p,
                             const xai_per_channel_quant *q,
                             const xai_dims4 *in_dims, const int8_t *in,
                             const xai_dims4 *filter_dims,
                             const int8_t *filter, const int32_t *bias,
                             const xai_dims4 *out_dims, int8_t *out);
/* int16 activations (zero points 0: offsets are ignored), int8 weights,
 * int64 accumulator and bias, 64-bit requantization (xai_mbqm64). */
xai_status xai_conv2d_s16_ref(const xai_conv_params *p,
                              const xai_per_channel_quant *q,
                              const xai_dims4 *in_dims, const int16_t *in,
                              const xai_dims4 *filter_dims,
                              const int8_t *filter, const int64_t *bias,
                              const xai_dims4 *out_dims, int16_t *out);
/* int16 activations with an int32 bias (or none): TFLite then accumulates
 * in int32 and requantizes with the 32-bit xai_mbqm. */
xai_status xai_conv2d_s16_acc32_ref(const xai_conv_params *p,
                                    const xai_per_channel_quant *q,
                                    const xai_dims4 *in_dims,
                                    const int16_t *in,
                                    const xai_dims4 *filter_dims,
                                    const int8_t *filter, const int32_t *bias,
                                    const xai_dims4 *out_dims, int16_t *out);

/* ---- DEPTHWISE_CONV_2D ----------------------------------------------------
 * filter dims: n = 1, h, w, c = output channels = in->c * depth multiplier
 * (the multiplier is out->c / in->c). Output channel oc reads input
 * channel oc / multiplier. */
xai_status xai_depthwise_conv2d_s8_ref(const xai_conv_params *p,
                                       const xai_per_channel_quant *q,
                                       const xai_dims4 *in_dims,
                                       const int8_t *in,
                                       const xai_dims4 *filter_dims,
                                       const int8_t *filter,
                                       const int32_t *bias,
                                       const xai_dims4 *out_dims,
                                       int8_t *out);
/* int16 activations, int64 accumulator and bias. */
xai_status xai_depthwise_conv2d_s16_ref(const xai_conv_params *p,
                                        const xai_per_channel_quant *q,
                                        const xai_dims4 *in_dims,
                                        const int16_t *in,
                                        const xai_dims4 *filter_dims,
                                        const int8_t *filter,
                                        const int64_t *bias,
                                        const xai_dims4 *out_dims,
                                        int16_t *out);

/* ---- TRANSPOSE_CONV -------------------------------------------------------
 * filter dims: n = output channels, h, w, c = input channels. Each input
 * pixel scatters into the output at (in_y * stride_h - pad_h + fy, ...);
 * the sums are kept in caller-given scratch (one accumulator per output
 * element), then requantized. Dilation fields are ignored. */
size_t xai_transpose_conv_s8_scratch_size(const xai_dims4 *out_dims);
xai_status xai_transpose_conv_s8_ref(const xai_conv_params *p,
                                     const xai_per_channel_quant *q,
                                     const xai_dims4 *in_dims,
                                     const int8_t *in,
                                     const xai_dims4 *filter_dims,
                                     const int8_t *filter, const int32_t *bias,
                                     const xai_dims4 *out_dims, int8_t *out,
                                     int32_t *scratch);
/* int16 activations (zero points 0), int64 bias and accumulators. */
size_t xai_transpose_conv_s16_scratch_size(const xai_dims4 *out_dims);
xai_status xai_transpose_conv_s16_ref(const xai_conv_params *p,
                                      const xai_per_channel_quant *q,
                                      const xai_dims4 *in_dims,
                                      const int16_t *in,
                                      const xai_dims4 *filter_dims,
                                      const int8_t *filter,
                                      const int64_t *bias,
                                      const xai_dims4 *out_dims, int16_t *out,
                                      int64_t *scratch);

#ifdef __cplusplus
}
#endif

#endif
