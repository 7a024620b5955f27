/* Quantized DIV, SQUARED_DIFFERENCE, ADD_N, CUMSUM and L2_NORMALIZATION
 * as TFLite Micro's reference kernels compute them (div.h,
 * squared_difference.cc, add_n.h, cumsum.h, l2normalization.h). The params are made once in prepare, with the float/double
 * arithmetic of TFLM's Prepare; the kernels use integers only. */
#ifndef XAI_KERNELS_REF_ARITH_QUANT_H
#define XAI_KERNELS_REF_ARITH_QUANT_H

#include <stddef.h>
#include <stdint.h>

#include "xai/kernels_ref/elementwise.h"

#ifdef __cplusplus
extern "C" {
#endif

/* DIV int8: (a - za) / (b - zb) through a fixed-point reciprocal. */
typedef struct {
  int32_t input1_offset, input2_offset, output_offset;
  int32_t multiplier;
  int shift;
  int32_t act_min, act_max;
} xai_div_s8_params;

void xai_div_s8_params_make(float s1, int32_t z1, float s2, int32_t z2,
                            float so, int32_t zo, int32_t act_min,
                            int32_t act_max, xai_div_s8_params *p);
/* Fails with XAI_ERR_RANGE when a divisor equals its zero point. */
xai_status xai_div_s8_ref(const xai_div_s8_params *p, const xai_bcast *bc,
                          const int8_t *in1, const int8_t *in2, int8_t *out);

/* SQUARED_DIFFERENCE int8 (left shift 7) and int16 (zero points 0, left
 * shift 0). */
typedef struct {
  int32_t input1_offset, input2_offset, output_offset;
  int left_shift;
  int32_t input1_multiplier, input2_multiplier, output_multiplier;
  int input1_shift, input2_shift, output_shift;
  int32_t act_min, act_max;
} xai_sqdiff_params;

void xai_sqdiff_params_make(int8_t type, float s1, int32_t z1, float s2,
                            int32_t z2, float so, int32_t zo,
                            xai_sqdiff_params *p);
void xai_sqdiff_q_ref(int8_t type, const xai_sqdiff_params *p,
                      const xai_bcast *bc, const void *in1, const void *in2,
                      void *out);

/* ADD_N / CUMSUM int8: every term rescaled to a shared scale with a left
 * shift of 20, summed, then rescaled to the output. TFLM starts each sum
 * with the rescaled input offset (-zero point) as well as the terms; that
 * extra term is part of its arithmetic and is kept. */
typedef struct {
  int32_t input_offset, output_offset;
  int left_shift;
  int32_t input_multiplier, output_multiplier;
  int input_shift, output_shift;
} xai_qsum_s8_params;

void xai_qsum_s8_params_make(float in_scale, int32_t in_zp, float out_scale,
                             int32_t out_zp, xai_qsum_s8_params *p);
void xai_add_n_s8_ref(const xai_qsum_s8_params *p, size_t count,
                      const int8_t *const *in, size_t n_inputs, int8_t *out);
void xai_cumsum_s8_ref(const xai_qsum_s8_params *p, const xai_shape *shape,
                       int32_t axis, int exclusive, int reverse,
                       const int8_t *in, int8_t *out);

/* L2_NORMALIZATION int8 over the last dimension: the output is in 1/128
 * steps with zero point 0 whatever the output tensor says (TFLM does not
 * check it). */
void xai_l2_norm_s8_ref(int32_t input_zp, size_t outer, size_t depth,
                        const int8_t *in, int8_t *out);

#ifdef __cplusplus
}
#endif

#endif
