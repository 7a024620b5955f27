/* Element-wise unary math, as TFLite Micro's elementwise.cc, exp.cc,
 * neg.cc, ceil.cc, floor.cc, round.cc and elu.cc compute it. */
#include "xai/kernels_ref/math_unary.h"

#include <math.h>

#include "xai/kernels_ref/activations.h"
#include "xai/kernels_ref/quant.h"

float xai_round_half_even(float v) {
  const float f = floorf(v);
  const float diff = v - f;
  if (diff < 0.5f || (diff == 0.5f && ((int64_t)f % 2) == 0)) return f;
  return f + 1.0f;
}

static float elu(float v) { return v < 0.0f ? expm1f(v) : v; }

void xai_unary_f32_ref(xai_unary_fn fn, size_t n, const float *in,
                       float *out) {
  for (size_t i = 0; i < n; i++) {
    const float x = in[i];
    float y = x;
    switch (fn) {
      case XAI_UNARY_ABS: y = fabsf(x); break;
      case XAI_UNARY_CEIL: y = ceilf(x); break;
      case XAI_UNARY_COS: y = cosf(x); break;
      case XAI_UNARY_EXP: y = expf(x); break;
      case XAI_UNARY_FLOOR: y = floorf(x); break;
      case XAI_UNARY_LOG: y = logf(x); break;
      case XAI_UNARY_NEG: y = -x; break;
      case XAI_UNARY_ROUND: y = xai_round_half_even(x); break;
      case XAI_UNARY_RSQRT: y = 1.0f / sqrtf(x); break;
      case XAI_UNARY_SIN: y = sinf(x); break;
      case XAI_UNARY_SQRT: y = sqrtf(x); break;
      case XAI_UNARY_SQUARE: y = x * x; break;
      case XAI_UNARY_ELU: y = elu(x); break;
    }
    out[i] = y;
  }
}

void xai_abs_params_make(float in_scale, int32_t in_zp, float out_scale,
                         int32_t out_zp, xai_abs_rsqrt_params *p) {
  p->input_offset = in_zp;
  p->output_offset = out_zp;
  p->needs_rescale = in_scale != out_scale;
  p->multiplier = 0;
  p->shift = 0;
  if (p->needs_rescale)
    xai_quantize_multiplier((double)in_scale / out_scale, &p->multiplier,
                            &p->shift);
}

void xai_rsqrt_params_make(float in_scale, int32_t in_zp, float out_scale,
                           int32_t out_zp, xai_abs_rsqrt_params *p) {
  p->input_offset = in_zp;
  p->output_offset = out_zp;
  p->needs_rescale = in_scale != out_scale;
  const float denom = sqrtf(in_scale) * out_scale;
  xai_quantize_multiplier(1.0 / (double)denom, &p->multiplier, &p->shift);
}

static int32_t clamp32(int64_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : v > hi ? hi : (int32_t)v;
}

static int32_t abs_one(const xai_abs_rsqrt_params *p, int32_t x) {
  const int32_t diff = x - p->input_offset;
  const int32_t value = diff < 0 ? -diff : diff;
  if (!p->needs_rescale) return value + p->output_offset;
  return xai_mbqm(value, p->multiplier, p->shift) + p->output_offset;
}

void xai_abs_s8_ref(const xai_abs_rsqrt_params *p, size_t n, const int8_t *in,
                    int8_t *out) {
  for (size_t i = 0; i < n; i++)
    out[i] = (int8_t)clamp32(abs_one(p, in[i]), INT8_MIN, INT8_MAX);
}

void xai_abs_s16_ref(const xai_abs_rsqrt_params *p, size_t n,
                     const int16_t *in, int16_t *out) {
  for (size_t i = 0; i < n; i++)
    out[i] = (int16_t)clamp32(abs_one(p, in[i]), INT16_MIN, INT16_MAX);
}

/* gemmlowp FixedPoint product: raw SRDHM, integer bits add. */
static int32_t fp_mul(int32_t a, int32_t b) { return xai_srdhm(a, b); }

void xai_inv_sqrt_multiplier_exp(int32_t input, int reverse_shift,
                                 int32_t *multiplier, int *shift) {
  if (input <= 1) {
    *multiplier = INT32_MAX;
    *shift = 0;
    return;
  }
  int s = 11;
  while (input >= (1 << 29)) {
    input /= 4;
    ++s;
  }
  const unsigned max_left_shift_bits =
      (unsigned)__builtin_clz((uint32_t)input) - 1u;
  const unsigned pairs = max_left_shift_bits / 2 - 1;
  s -= (int)pairs;
  input <<= 2 * pairs;
  /* Q3.28 Newton-Raphson for 1/sqrt, as gemmlowp F3 arithmetic. */
  const int32_t fx_input = input >> 1;
  const int32_t fx_half_input = xai_fp_mul_pot(fx_input, -1);
  const int32_t fx_half_three = (1 << 28) + (1 << 27);
  int32_t x = 1 << 28; /* F3 one */
  for (int i = 0; i < 5; i++) {
    const int32_t x3 = xai_fp_mul_pot(fp_mul(fp_mul(x, x), x), 6);
    const int32_t a = fp_mul(fx_half_three, x);
    const int32_t b = fp_mul(fx_half_input, x3);
    x = xai_fp_mul_pot((int32_t)((uint32_t)a - (uint32_t)b), 3);
  }
  x = fp_mul(x, 1518500250); /* sqrt(2)/2 in Q0.31 */
  if (s < 0) {
    x = (int32_t)((uint32_t)x << -s);
    s = 0;
  }
  *multiplier = x;
  *shift = s * reverse_shift;
}

/* One quantized RSQRT value (TFLM RsqrtEvalQuantized): value == 0 gives
 * the type's maximum; the 1/sqrt multiplier is applied to 1 << 20. */
static int32_t rsqrt_one(const xai_abs_rsqrt_params *p, int32_t value,
                         int32_t lo, int32_t hi) {
  const int k_shift = 20;
  if (value == 0) return hi;
  int32_t m;
  int s;
  xai_inv_sqrt_multiplier_exp(value, -1, &m, &s);
  const int32_t data = xai_mbqm(1, m, s + k_shift);
  const int32_t o =
      xai_mbqm(data, p->multiplier, p->shift - k_shift) + p->output_offset;
  return clamp32(o, lo, hi);
}

xai_status xai_rsqrt_s8_ref(const xai_abs_rsqrt_params *p, size_t n,
                            const int8_t *in, int8_t *out) {
  for (size_t i = 0; i < n; i++) {
    const int32_t value = in[i] - p->input_offset;
    if (value < 0) return XAI_ERR_RANGE;
    out[i] = (int8_t)rsqrt_one(p, value, INT8_MIN, INT8_MAX);
  }
  return XAI_OK;
}

xai_status xai_rsqrt_s16_ref(const xai_abs_rsqrt_params *p, size_t n,
                             const int16_t *in, int16_t *out) {
  for (size_t i = 0; i < n; i++) {
    const int32_t value = in[i] - p->input_offset;
    if (value < 0) return XAI_ERR_RANGE;
    out[i] = (int16_t)rsqrt_one(p, value, INT16_MIN, INT16_MAX);
  }
  return XAI_OK;
}

void xai_elu_s8_table(float in_scale, int32_t in_zp, float out_scale,
                      int32_t out_zp, int8_t table[256]) {
  const float inverse_scale = 1.0f / out_scale;
  for (int32_t v = INT8_MIN; v <= INT8_MAX; v++) {
    const float dq = in_scale * (float)(v - in_zp);
    const float t = elu(dq);
    const float rescaled = roundf(t * inverse_scale);
    const int32_t q = (int32_t)(rescaled + (float)out_zp);
    table[(uint8_t)(int8_t)v] = (int8_t)clamp32(q, INT8_MIN, INT8_MAX);
  }
}
