/* Activation kernels (SOFTMAX, LOGISTIC, TANH, RELU, RELU6, RELU_N1_TO_1,
 * LEAKY_RELU, PRELU, HARD_SWISH), bit-exact with TFLite's reference kernels
 * (what LiteRT runs with BUILTIN_REF).
 *
 * As in TFLite, each `..._params_make` runs once (in an op's prepare) and
 * may use float arithmetic exactly where TFLite's Prepare does; the eval
 * kernels use integers only. */
#ifndef XAI_KERNELS_REF_ACTIVATIONS_H
#define XAI_KERNELS_REF_ACTIVATIONS_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/elementwise.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- gemmlowp fixed-point helpers (fixed_point.c) -------------------------
 * Raw int32 values with an implied number of integer bits, as gemmlowp's
 * FixedPoint<int32, N>. */
/* exp(a) for a <= 0, a with `integer_bits` integer bits; result Q0.31. */
int32_t xai_fp_exp_on_negative_values(int32_t a, int integer_bits);
/* 1 / (1 + a) for a in [0, 1), both Q0.31. */
int32_t xai_fp_one_over_one_plus_x(int32_t a);
/* TFLite GetReciprocal: 1/x for x with x_integer_digits integer bits,
 * returned as a Q0.31 scale and a right shift (*num_bits_over_unit). */
int32_t xai_fp_reciprocal(int32_t x, int x_integer_digits,
                          int *num_bits_over_unit);
/* gemmlowp Rescale: SaturatingRoundingMultiplyByPOT by `exponent`. */
int32_t xai_fp_mul_pot(int32_t x, int exponent);

/* ---- SOFTMAX (int8 in; int8 or int16 out) ---------------------------------
 * Over the last dimension. TFLite requires output zero point -128 and scale
 * 1/256 for int8 output (-32768 and 1/65536 for int16 output). */
typedef struct {
  int32_t input_multiplier;
  int32_t input_left_shift;
  int32_t diff_min;
} xai_softmax_params;

/* TFLite PreprocessSoftmaxScaling with kScaledDiffIntegerBits = 5 and
 * CalculateInputRadius for diff_min. */
xai_status xai_softmax_params_make(float beta, float input_scale,
                                   xai_softmax_params *p, xai_error *err);
xai_status xai_softmax_s8_ref(const xai_softmax_params *p, size_t outer,
                              size_t depth, const int8_t *in, int8_t *out);
xai_status xai_softmax_s8_s16_ref(const xai_softmax_params *p, size_t outer,
                                  size_t depth, const int8_t *in,
                                  int16_t *out);

/* ---- LOGISTIC / TANH int16 as TFLite Micro (lut_s16.c) ------------------
 * mult 0: the power-of-two form (input scale 2^-12 after left_shift). */
void xai_tflm_logistic_s16(int32_t mult, int32_t left_shift, size_t n,
                           const int16_t *in, int16_t *out);
void xai_tflm_tanh_s16(int32_t mult, int32_t left_shift, size_t n,
                       const int16_t *in, int16_t *out);

/* ---- LOGISTIC / TANH int8 (and any int8 -> int8 lookup) ---------------
 * TFLite's reference kernel for int8 uses a 256-entry table computed in
 * Prepare from float32 expf/tanhf (LUTPopulate); eval is a table lookup. */
typedef enum { XAI_LUT_LOGISTIC = 0, XAI_LUT_TANH = 1 } xai_lut_func;

/* table[(uint8_t)x] holds the output for input x. */
void xai_lut_s8_make(xai_lut_func func, float input_scale, int32_t input_zp,
                     float output_scale, int32_t output_zp, int8_t table[256]);
xai_status xai_lut_s8_ref(const int8_t table[256], size_t count,
                          const int8_t *in, int8_t *out);

/* ---- RELU / RELU6 / RELU_N1_TO_1 (quantized ReluX) ----------------------
 * out = clamp(zp_out + MBQM(x - zp_in, M, shift)), M from in/out scale; the
 * clamp range from the float bounds on the output scale. */
typedef struct {
  int32_t input_offset;  /* input zero point */
  int32_t output_offset; /* output zero point */
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
} xai_relu_params;

/* act_max_is_inf: RELU (no upper bound). type_min/max: output type range. */
void xai_relu_params_make(float input_scale, int32_t input_zp,
                          float output_scale, int32_t output_zp,
                          float act_min, float act_max, int act_max_is_inf,
                          int32_t type_min, int32_t type_max,
                          xai_relu_params *p);
/* TFLite Micro's quantized RELU6: a clamp of the input to [zp_in,
 * zp_in + round(6 / in_scale)] (within the type) that ignores the output
 * quantization; expressed as xai_relu_params with an identity multiplier. */
void xai_relu6_tflm_params_make(float input_scale, int32_t input_zp,
                                int32_t type_min, int32_t type_max,
                                xai_relu_params *p);
xai_status xai_relu_s8_ref(const xai_relu_params *p, size_t count,
                           const int8_t *in, int8_t *out);
xai_status xai_relu_s16_ref(const xai_relu_params *p, size_t count,
                            const int16_t *in, int16_t *out);
/* float32 RELU family: clamp to [lo, hi]. */
xai_status xai_relu_f32_ref(float lo, float hi, size_t count,
                            const float *in, float *out);

/* ---- LEAKY_RELU (int8, int16) ------------------------------------------- */
typedef struct {
  int32_t input_offset, output_offset; /* zero points */
  int32_t multiplier_identity, shift_identity;
  int32_t multiplier_alpha, shift_alpha;
} xai_leaky_relu_params;

/* LiteRT: the ratios in float32. */
void xai_leaky_relu_params_make(float input_scale, int32_t input_zp,
                                float output_scale, int32_t output_zp,
                                float alpha, xai_leaky_relu_params *p);
/* The same for TFLite Micro, which computes the ratios in double. */
void xai_leaky_relu_params_make_tflm(float input_scale, int32_t input_zp,
                                     float output_scale, int32_t output_zp,
                                     float alpha, xai_leaky_relu_params *p);
xai_status xai_leaky_relu_s8_ref(const xai_leaky_relu_params *p,
                                 size_t count, const int8_t *in, int8_t *out);
xai_status xai_leaky_relu_s16_ref(const xai_leaky_relu_params *p,
                                  size_t count, const int16_t *in,
                                  int16_t *out);

/* ---- PRELU int8 (alpha tensor broadcast against the input) ------------- */
typedef struct {
  int32_t input_offset, alpha_offset, output_offset; /* -zp, -zp, zp */
  int32_t multiplier_1, shift_1; /* x >= 0: in_scale / out_scale */
  int32_t multiplier_2, shift_2; /* x < 0: in_scale * alpha_scale / out */
} xai_prelu_params;

void xai_prelu_params_make(float input_scale, int32_t input_zp,
                           float alpha_scale, int32_t alpha_zp,
                           float output_scale, int32_t output_zp,
                           xai_prelu_params *p);
/* bc: broadcast of (input, alpha). */
xai_status xai_prelu_s8_ref(const xai_prelu_params *p, const xai_bcast *bc,
                            const int8_t *in, const int8_t *alpha,
                            int8_t *out);
/* float32 PRELU (TFLM BroadcastPrelu4DSlowFloat): x >= 0 ? x : x * alpha. */
xai_status xai_prelu_f32_ref(const xai_bcast *bc, const float *in,
                             const float *alpha, float *out);

/* ---- HARD_SWISH int8 (TFLite HardSwishParams, 16-bit fixed point) ------- */
typedef struct {
  int16_t input_zero_point, output_zero_point;
  int16_t reluish_multiplier_fixedpoint_int16;
  int32_t reluish_multiplier_exponent;
  int16_t output_multiplier_fixedpoint_int16;
  int32_t output_multiplier_exponent; /* <= 0 */
} xai_hard_swish_params;

/* Fails when the output multiplier exponent would be positive (TFLite
 * rejects such scales). */
xai_status xai_hard_swish_params_make(float input_scale, int32_t input_zp,
                                      float output_scale, int32_t output_zp,
                                      xai_hard_swish_params *p,
                                      xai_error *err);
xai_status xai_hard_swish_s8_ref(const xai_hard_swish_params *p,
                                 size_t count, const int8_t *in, int8_t *out);

#ifdef __cplusplus
}
#endif

#endif
