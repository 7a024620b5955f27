/* LOG_SOFTMAX int8 as TFLite Micro's reference kernel computes it: inputs
 * rescaled to Q5.26, exp summed in Q12.19, gemmlowp's fixed-point log, and
 * the output fixed at scale 16/256, zero point 127. */
#ifndef XAI_KERNELS_REF_LOG_SOFTMAX_H
#define XAI_KERNELS_REF_LOG_SOFTMAX_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t input_multiplier, input_left_shift;
  int32_t reverse_scaling_divisor, reverse_scaling_left_shift; /* shift <= 0 */
  int32_t diff_min;
} xai_log_softmax_params;

/* TFLM's PreprocessLogSoftmaxScalingExp (beta 1, 5 integer bits) and
 * CalculateInputRadius; fails where TFLM's checks would abort. */
xai_status xai_log_softmax_params_make(float input_scale,
                                       xai_log_softmax_params *p,
                                       xai_error *err);
/* Over the last dimension: outer rows of depth values. */
void xai_log_softmax_s8_ref(const xai_log_softmax_params *p, size_t outer,
                            size_t depth, const int8_t *in, int8_t *out);
/* gemmlowp log(x) for x >= 1: x raw with in_bits integer bits, the result
 * with out_bits (TFLite's log_x_for_x_greater_than_or_equal_to_1). */
int32_t xai_fp_log_x_ge_1(int32_t x, int in_bits, int out_bits);

#ifdef __cplusplus
}
#endif

#endif
