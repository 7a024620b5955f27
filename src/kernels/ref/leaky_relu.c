/* LEAKY_RELU int8/int16 (TFLite reference QuantizeLeakyRelu). */
#include "xai/kernels_ref/activations.h"
#include "xai/kernels_ref/quant.h"

void xai_leaky_relu_params_make(float input_scale, int32_t input_zp,
                                float output_scale, int32_t output_zp,
                                float alpha, xai_leaky_relu_params *p) {
  /* TFLite LeakyReluPrepare evaluates both ratios in float32. */
  const float alpha_real = input_scale * alpha / output_scale;
  const float identity_real = input_scale / output_scale;
  int s = 0;
  xai_quantize_multiplier((double)alpha_real, &p->multiplier_alpha, &s);
  p->shift_alpha = s;
  xai_quantize_multiplier((double)identity_real, &p->multiplier_identity, &s);
  p->shift_identity = s;
  p->input_offset = input_zp;
  p->output_offset = output_zp;
}

void xai_leaky_relu_params_make_tflm(float input_scale, int32_t input_zp,
                                     float output_scale, int32_t output_zp,
                                     float alpha, xai_leaky_relu_params *p) {
  /* TFLite Micro's LeakyReluPrepare evaluates both ratios in double (seen
   * against its interpreter: the float32 ratios differ on ties). */
  const double alpha_real = (double)input_scale * alpha / output_scale;
  const double identity_real = (double)input_scale / output_scale;
  int s = 0;
  xai_quantize_multiplier(alpha_real, &p->multiplier_alpha, &s);
  p->shift_alpha = s;
  xai_quantize_multiplier(identity_real, &p->multiplier_identity, &s);
  p->shift_identity = s;
  p->input_offset = input_zp;
  p->output_offset = output_zp;
}

static inline int32_t leaky_one(const xai_leaky_relu_params *p, int32_t x,
                                int32_t lo, int32_t hi) {
  const int32_t v = x - p->input_offset;
  int32_t out = p->output_offset +
                (v >= 0 ? xai_mbqm(v, p->multiplier_identity,
                                   p->shift_identity)
                        : xai_mbqm(v, p->multiplier_alpha, p->shift_alpha));
  if (out < lo) out = lo;
  if (out > hi) out = hi;
  return out;
}

xai_status xai_leaky_relu_s8_ref(const xai_leaky_relu_params *p,
                                 size_t count, const int8_t *in, int8_t *out) {
  for (size_t i = 0; i < count; i++)
    out[i] = (int8_t)leaky_one(p, in[i], INT8_MIN, INT8_MAX);
  return XAI_OK;
}

xai_status xai_leaky_relu_s16_ref(const xai_leaky_relu_params *p,
                                  size_t count, const int16_t *in,
                                  int16_t *out) {
  for (size_t i = 0; i < count; i++)
    out[i] = (int16_t)leaky_one(p, in[i], INT16_MIN, INT16_MAX);
  return XAI_OK;
}
