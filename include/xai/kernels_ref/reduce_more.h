/* ARG_MIN / ARG_MAX, REDUCE_MAX / REDUCE_MIN and float32 MEAN / SUM, as
 * TFLite Micro's arg_min_max.cc and reduce.cc compute them: the input is
 * walked in row-major order into one accumulator per output. */
#ifndef XAI_KERNELS_REF_REDUCE_MORE_H
#define XAI_KERNELS_REF_REDUCE_MORE_H

#include <stddef.h>
#include <stdint.h>

#include "xai/kernels_ref/reduce.h"

#ifdef __cplusplus
extern "C" {
#endif

/* type: XAI_TYPE_FLOAT32, INT8, INT16, INT32; ties keep the first index.
 * out_bytes 4 (int32) or 8 (int64). */
xai_status xai_arg_minmax_ref(int8_t type, int is_min, const void *in,
                              int32_t outer, int32_t axis_size, int32_t inner,
                              void *out, int out_bytes);

/* REDUCE_MAX (is_min 0) / REDUCE_MIN over the plan: float32, int8, int16,
 * int32 (quantized types compare raw values: TFLM requires the input and
 * output quantization to be equal). */
xai_status xai_reduce_minmax_ref(const xai_reduce_plan *plan, int8_t type,
                                 int is_min, const void *in, void *out);

/* float32 SUM, and MEAN as the float sum divided by the count. */
void xai_reduce_sum_f32_ref(const xai_reduce_plan *plan, int mean,
                            const float *in, float *out);

#ifdef __cplusplus
}
#endif

#endif
