/* Element-wise unary math (ABS, CEIL, COS, EXP, FLOOR, LOG, NEG, ROUND,
 * RSQRT, SIN, SQRT, SQUARE, LOGICAL_NOT, ELU, ZEROS_LIKE), bit-exact with
 * TFLite Micro's reference kernels: float32 through the C library's float
 * functions as TFLM's std:: calls resolve, int8/int16 with TFLM's
 * fixed-point arithmetic. */
#ifndef XAI_KERNELS_REF_MATH_UNARY_H
#define XAI_KERNELS_REF_MATH_UNARY_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  XAI_UNARY_ABS, XAI_UNARY_CEIL, XAI_UNARY_COS, XAI_UNARY_EXP,
  XAI_UNARY_FLOOR, XAI_UNARY_LOG, XAI_UNARY_NEG, XAI_UNARY_ROUND,
  XAI_UNARY_RSQRT, XAI_UNARY_SIN, XAI_UNARY_SQRT, XAI_UNARY_SQUARE,
  XAI_UNARY_ELU,
} xai_unary_fn;

void xai_unary_f32_ref(xai_unary_fn fn, size_t n, const float *in,
                       float *out);
/* TFLite's RoundToNearest: half to even. */
float xai_round_half_even(float v);

/* Quantized ABS / RSQRT (TFLM elementwise.cc). */
typedef struct {
  int32_t input_offset, output_offset; /* zero points */
  int32_t multiplier;
  int shift;
  int needs_rescale; /* ABS: input and output scales differ */
} xai_abs_rsqrt_params;
void xai_abs_params_make(float in_scale, int32_t in_zp, float out_scale,
                         int32_t out_zp, xai_abs_rsqrt_params *p);
void xai_rsqrt_params_make(float in_scale, int32_t in_zp, float out_scale,
                           int32_t out_zp, xai_abs_rsqrt_params *p);
void xai_abs_s8_ref(const xai_abs_rsqrt_params *p, size_t n, const int8_t *in,
                    int8_t *out);
void xai_abs_s16_ref(const xai_abs_rsqrt_params *p, size_t n,
                     const int16_t *in, int16_t *out);
/* Fails (XAI_ERR_RANGE) on a negative input, as TFLM does. */
xai_status xai_rsqrt_s8_ref(const xai_abs_rsqrt_params *p, size_t n,
                            const int8_t *in, int8_t *out);
xai_status xai_rsqrt_s16_ref(const xai_abs_rsqrt_params *p, size_t n,
                             const int16_t *in, int16_t *out);
/* TFLite GetInvSqrtQuantizedMultiplierExp (reverse_shift -1 or 1). */
void xai_inv_sqrt_multiplier_exp(int32_t input, int reverse_shift,
                                 int32_t *multiplier, int *shift);

/* int8 ELU: the 256-entry table TFLM builds in Prepare. */
void xai_elu_s8_table(float in_scale, int32_t in_zp, float out_scale,
                      int32_t out_zp, int8_t table[256]);
/* Applied with xai_lut_s8_ref (activations.h). */

#ifdef __cplusplus
}
#endif

#endif
