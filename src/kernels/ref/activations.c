/* LOGISTIC/TANH int8 lookup tables and the quantized ReluX family. */
#include <math.h>

#include "xai/kernels_ref/activations.h"
#include "xai/kernels_ref/quant.h"

/* TFLite LUTPopulate<int8_t>: dequantize each of the 256 inputs in float32,
 * apply the float32 function (as TFLite's lambdas: 1/(1+expf(-x)) and
 * tanhf), round half away from zero on the output scale, clamp. */
void xai_lut_s8_make(xai_lut_func func, float input_scale, int32_t input_zp,
                     float output_scale, int32_t output_zp,
                     int8_t table[256]) {
  const float inverse_scale = 1.0f / output_scale;
  for (int32_t v = -128; v <= 127; v++) {
    const float x = input_scale * (float)(v - input_zp);
    const float y =
        func == XAI_LUT_TANH ? tanhf(x) : 1.0f / (1.0f + expf(-x));
    const float rescaled = roundf(y * inverse_scale);
    float q = rescaled + (float)output_zp;
    if (q > 127.0f) q = 127.0f;
    if (q < -128.0f) q = -128.0f;
    table[(uint8_t)(int8_t)v] = (int8_t)(int32_t)q;
  }
}

xai_status xai_lut_s8_ref(const int8_t table[256], size_t count,
                          const int8_t *in, int8_t *out) {
  for (size_t i = 0; i < count; i++) out[i] = table[(uint8_t)in[i]];
  return XAI_OK;
}

void xai_relu_params_make(float input_scale, int32_t input_zp,
                          float output_scale, int32_t output_zp,
                          float act_min, float act_max, int act_max_is_inf,
                          int32_t type_min, int32_t type_max,
                          xai_relu_params *p) {
  /* TFLite ReluPrepare divides the float32 scales in float. */
  const float real = input_scale / output_scale;
  int shift = 0;
  xai_quantize_multiplier((double)real, &p->output_multiplier, &shift);
  p->output_shift = shift;
  p->input_offset = input_zp;
  p->output_offset = output_zp;
  /* QuantizedReluX: bounds are zp + roundf(bound / scale), then clamped to
   * the type. */
  int32_t lo = output_zp + (int32_t)roundf(act_min / output_scale);
  p->act_min = lo > type_min ? lo : type_min;
  if (act_max_is_inf) {
    p->act_max = type_max;
  } else {
    int32_t hi = output_zp + (int32_t)roundf(act_max / output_scale);
    p->act_max = hi < type_max ? hi : type_max;
  }
}

void xai_relu6_tflm_params_make(float input_scale, int32_t input_zp,
                                int32_t type_min, int32_t type_max,
                                xai_relu_params *p) {
  /* MBQM(x, 2^30, 1) = round(2x * 2^30 / 2^31) = x exactly. */
  p->output_multiplier = 1 << 30;
  p->output_shift = 1;
  p->input_offset = 0;
  p->output_offset = 0;
  int32_t lo = input_zp;
  int32_t hi = input_zp + (int32_t)roundf(6.0f / input_scale);
  p->act_min = lo > type_min ? lo : type_min;
  p->act_max = hi < type_max ? hi : type_max;
  if (p->act_min > type_max) p->act_min = type_max;
}

static inline int32_t relu_one(const xai_relu_params *p, int32_t x) {
  int32_t v = p->output_offset + xai_mbqm(x - p->input_offset,
                                          p->output_multiplier,
                                          p->output_shift);
  if (v < p->act_min) v = p->act_min;
  if (v > p->act_max) v = p->act_max;
  return v;
}

xai_status xai_relu_s8_ref(const xai_relu_params *p, size_t count,
                           const int8_t *in, int8_t *out) {
  for (size_t i = 0; i < count; i++) out[i] = (int8_t)relu_one(p, in[i]);
  return XAI_OK;
}

xai_status xai_relu_s16_ref(const xai_relu_params *p, size_t count,
                            const int16_t *in, int16_t *out) {
  for (size_t i = 0; i < count; i++) out[i] = (int16_t)relu_one(p, in[i]);
  return XAI_OK;
}

xai_status xai_relu_f32_ref(float lo, float hi, size_t count,
                            const float *in, float *out) {
  for (size_t i = 0; i < count; i++) {
    float v = in[i];
    /* TFLite: max(v, lo) then min(., hi); NaN compares false and passes. */
    v = v < lo ? lo : v;
    v = v > hi ? hi : v;
    out[i] = v;
  }
  return XAI_OK;
}
