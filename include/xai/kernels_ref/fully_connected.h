/* FULLY_CONNECTED reference kernels, bit-exact with TFLite's
 * reference_integer_ops::FullyConnected(PerChannel) and the float
 * reference_ops::FullyConnected. Weights are [output_depth][input_depth]
 * (row-major, TFLite's default weights format); input and output are
 * [batches][depth]. */
#ifndef XAI_KERNELS_REF_FULLY_CONNECTED_H
#define XAI_KERNELS_REF_FULLY_CONNECTED_H

#include <stdbool.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/conv.h" /* xai_per_channel_quant */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches;      /* input rows: product of all but the last dims */
  int32_t input_depth;  /* accumulation depth (weights dim 1) */
  int32_t output_depth; /* units (weights dim 0) */
} xai_fc_dims;

typedef struct {
  int32_t input_offset;  /* -input zero point (int8 only) */
  int32_t filter_offset; /* -weights zero point (0 for symmetric weights) */
  int32_t output_offset; /* output zero point (int8 only) */
  int32_t act_min, act_max;
  /* int8 only: requantize with xai_mbqm_single instead of xai_mbqm.
   * LiteRT's FULLY_CONNECTED (even BUILTIN_REF) rounds once, TFLite
   * Micro's reference kernel twice; the runtime follows LiteRT. */
  bool single_rounding;
} xai_fc_params;

/* int8: acc = sum (w + filter_offset) * (x + input_offset) + bias, int32,
 * requantized per output unit (broadcast a per-tensor multiplier), with
 * one or two roundings (see single_rounding). */
xai_status xai_fully_connected_s8_ref(const xai_fc_params *p,
                                      const xai_per_channel_quant *q,
                                      const xai_fc_dims *d, const int8_t *in,
                                      const int8_t *weights,
                                      const int32_t *bias, int8_t *out);
/* int16 activations (zero points 0), int8 weights, int64 accumulator and
 * bias (may be NULL), 64-bit requantization. */
xai_status xai_fully_connected_s16_ref(const xai_fc_params *p,
                                       const xai_per_channel_quant *q,
                                       const xai_fc_dims *d,
                                       const int16_t *in,
                                       const int8_t *weights,
                                       const int64_t *bias, int16_t *out);
/* int16 activations with an int32 bias, as TFLite Micro runs them: the
 * accumulator is int32 (the bias type) and the requantization the 32-bit
 * MultiplyByQuantizedMultiplier (fully_connected_s16_b32.c). */
xai_status xai_fully_connected_s16_b32_ref(const xai_fc_params *p,
                                           const xai_per_channel_quant *q,
                                           const xai_fc_dims *d,
                                           const int16_t *in,
                                           const int8_t *weights,
                                           const int32_t *bias, int16_t *out);
/* float32: sums in input order, then + bias, then clamp to [act_min,
 * act_max] (xai_float_activation_range). */
xai_status xai_fully_connected_f32_ref(const xai_fc_dims *d, float act_min,
                                       float act_max, const float *in,
                                       const float *weights, const float *bias,
                                       float *out);

/* TFLite CalculateActivationRange for float: NONE -> [-FLT_MAX, FLT_MAX],
 * RELU -> [0, FLT_MAX], RELU_N1_TO_1 -> [-1, 1], RELU6 -> [0, 6]. */
void xai_float_activation_range(int activation, float *act_min,
                                float *act_max);

#ifdef __cplusplus
}
#endif

#endif
