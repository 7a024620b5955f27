/* MEAN and SUM over a set of axes, quantized, bit-exact with TFLite's
 * reference QuantizedMeanOrSum: an int32 sum per output, the input zero
 * point removed as zp * N, then one MultiplyByQuantizedMultiplier from
 * in_scale / out_scale. MEAN folds 1/N into that multiplier: it is shifted
 * left by floor(log2 N) and divided by N with truncation. */
#ifndef XAI_KERNELS_REF_REDUCE_H
#define XAI_KERNELS_REF_REDUCE_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/shape.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  xai_shape in;           /* input shape */
  uint32_t reduced_mask;  /* bit d set: dimension d is reduced */
  size_t in_count, out_count;
  int64_t n;              /* elements summed into each output */
} xai_reduce_plan;

/* axes may repeat and be negative (counted from the end), as TFLite
 * accepts. The output has the non-reduced dims (keep_dims keeps the reduced
 * ones as 1): xai_reduce_out_shape(). */
xai_status xai_reduce_plan_make(const xai_shape *in, const int32_t *axes,
                                int32_t axis_count, xai_reduce_plan *plan,
                                xai_error *err);
void xai_reduce_out_shape(const xai_reduce_plan *plan, int keep_dims,
                          xai_shape *out);

typedef struct {
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift; /* from in_scale / out_scale (QuantizeMultiplier) */
} xai_reduce_params;

void xai_reduce_params_make(float input_scale, int32_t input_zp,
                            float output_scale, int32_t output_zp,
                            xai_reduce_params *p);

/* Scratch: out_count int32 sums. */
size_t xai_reduce_scratch_size(const xai_reduce_plan *plan);

xai_status xai_mean_s8_ref(const xai_reduce_plan *plan,
                           const xai_reduce_params *p, const int8_t *in,
                           int8_t *out, int32_t *scratch);
xai_status xai_mean_s16_ref(const xai_reduce_plan *plan,
                            const xai_reduce_params *p, const int16_t *in,
                            int16_t *out, int32_t *scratch);
xai_status xai_sum_s8_ref(const xai_reduce_plan *plan,
                          const xai_reduce_params *p, const int8_t *in,
                          int8_t *out, int32_t *scratch);
xai_status xai_sum_s16_ref(const xai_reduce_plan *plan,
                           const xai_reduce_params *p, const int16_t *in,
                           int16_t *out, int32_t *scratch);

#ifdef __cplusplus
}
#endif

#endif
