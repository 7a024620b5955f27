/* ADD and SUB, quantized (TFLite reference add.h / sub.h arithmetic). */
#include <math.h>

#include "bcast_internal.h"
#include "quant_internal.h"
#include "xai/kernels_ref/elementwise.h"
#include "xai/kernels_ref/quant.h"

/* TFLite QuantizeMultiplierSmallerThanOneExp: the real multiplier must lie
 * in (0, 1); the shift is then <= 0. */
static xai_status smaller_than_one(double real, int32_t *m, int32_t *shift,
                                   const char *what, xai_error *err) {
  if (!(real > 0.0 && real < 1.0))
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "%s rescale factor %g is outside (0, 1); TFLite's "
                    "quantized ADD/SUB cannot represent it (check the "
                    "tensor scales)",
                    what, real);
  int s = 0;
  xai_quantize_multiplier(real, m, &s);
  *shift = s;
  return XAI_OK;
}

xai_status xai_add_params_make(float scale1, int32_t zp1, float scale2,
                               int32_t zp2, float scale_out, int32_t zp_out,
                               int left_shift, int negate_input2,
                               int32_t act_min, int32_t act_max,
                               xai_add_params *p, xai_error *err) {
  /* TFLite: twice_max = 2 * max(float, float), the rest in double. */
  const float max_scale = scale1 > scale2 ? scale1 : scale2;
  const double twice_max = (double)(2.0f * max_scale);
  const double real1 = (double)scale1 / twice_max;
  const double real2 = (double)scale2 / twice_max;
  const double real_out =
      twice_max / ((double)((float)(1 << left_shift) * scale_out));
  xai_status st;
  p->left_shift = left_shift;
  p->input1_offset = -zp1;
  p->input2_offset = -zp2;
  p->output_offset = zp_out;
  if ((st = smaller_than_one(real1, &p->input1_multiplier, &p->input1_shift,
                             "input 1", err)) != XAI_OK)
    return st;
  if ((st = smaller_than_one(real2, &p->input2_multiplier, &p->input2_shift,
                             "input 2", err)) != XAI_OK)
    return st;
  if ((st = smaller_than_one(real_out, &p->output_multiplier,
                             &p->output_shift, "output", err)) != XAI_OK)
    return st;
  if (negate_input2) p->input2_multiplier = -p->input2_multiplier;
  p->act_min = act_min;
  p->act_max = act_max;
  return XAI_OK;
}

/* MultiplyByQuantizedMultiplierSmallerThanOneExp. */
static inline int32_t scale_down(int32_t x, int32_t m, int32_t shift) {
  return xai_rdbpot_inline(xai_srdhm_inline(x, m), -shift);
}

static inline int32_t add_one(const xai_add_params *p, int32_t a, int32_t b) {
  const int32_t a_shifted = (p->input1_offset + a) * (1 << p->left_shift);
  const int32_t b_shifted = (p->input2_offset + b) * (1 << p->left_shift);
  const int32_t sum =
      scale_down(a_shifted, p->input1_multiplier, p->input1_shift) +
      scale_down(b_shifted, p->input2_multiplier, p->input2_shift);
  int32_t out = scale_down(sum, p->output_multiplier, p->output_shift) +
                p->output_offset;
  if (out < p->act_min) out = p->act_min;
  if (out > p->act_max) out = p->act_max;
  return out;
}

xai_status xai_add_s8_ref(const xai_add_params *p, const xai_bcast *bc,
                          const int8_t *in1, const int8_t *in2, int8_t *out) {
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  for (size_t i = 0; i < bc->count; i++) {
    out[i] = (int8_t)add_one(p, in1[c.off1], in2[c.off2]);
    xai_bcast_cursor_next(bc, &c);
  }
  return XAI_OK;
}

xai_status xai_add_s16_ref(const xai_add_params *p, const xai_bcast *bc,
                           const int16_t *in1, const int16_t *in2,
                           int16_t *out) {
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  for (size_t i = 0; i < bc->count; i++) {
    out[i] = (int16_t)add_one(p, in1[c.off1], in2[c.off2]);
    xai_bcast_cursor_next(bc, &c);
  }
  return XAI_OK;
}

/* ---- int16 power-of-two path ------------------------------------------- */

int xai_scale_is_pot(float scale, int *log2) {
  /* TFLite CheckedLog2: log2 in float, accepted within 1e-3 of an integer. */
  const float x_log2 = logf(scale) * (1.0f / logf(2.0f));
  const float rounded = roundf(x_log2);
  *log2 = (int)rounded;
  return fabsf(x_log2 - rounded) < 1e-3f;
}

xai_status xai_add_pot_params_make(float scale1, float scale2,
                                   float scale_out, int32_t act_min,
                                   int32_t act_max, xai_add_pot_params *p,
                                   xai_error *err) {
  int l1, l2, lo;
  if (!xai_scale_is_pot(scale1, &l1) || !xai_scale_is_pot(scale2, &l2) ||
      !xai_scale_is_pot(scale_out, &lo))
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "int16 power-of-two ADD/SUB needs power-of-two scales "
                    "(got %g, %g, %g)",
                    (double)scale1, (double)scale2, (double)scale_out);
  p->input1_shift = l1 - lo;
  p->input2_shift = l2 - lo;
  if (!(p->input1_shift == 0 || p->input2_shift == 0) ||
      p->input1_shift > 0 || p->input2_shift > 0)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "int16 power-of-two ADD/SUB: one input must share the "
                    "output scale and the other be finer (shifts %d, %d)",
                    (int)p->input1_shift, (int)p->input2_shift);
  p->act_min = act_min;
  p->act_max = act_max;
  return XAI_OK;
}

static inline int32_t sat16(int32_t v) {
  return v < -32768 ? -32768 : (v > 32767 ? 32767 : v);
}

static inline int32_t clamp_act(const xai_add_pot_params *p, int32_t v) {
  if (v < p->act_min) v = p->act_min;
  if (v > p->act_max) v = p->act_max;
  return v;
}

xai_status xai_add_s16_pot_ref(const xai_add_pot_params *p, size_t count,
                               const int16_t *in1, const int16_t *in2,
                               int16_t *out) {
  const int first_fixed = p->input1_shift == 0;
  const int16_t *fixed = first_fixed ? in1 : in2;
  const int16_t *shifted = first_fixed ? in2 : in1;
  const int right = first_fixed ? -p->input2_shift : -p->input1_shift;
  for (size_t i = 0; i < count; i++) {
    const int32_t s = xai_rdbpot_inline(shifted[i], right);
    out[i] = (int16_t)clamp_act(p, sat16(fixed[i] + s));
  }
  return XAI_OK;
}

xai_status xai_sub_s16_pot_ref(const xai_add_pot_params *p, size_t count,
                               const int16_t *in1, const int16_t *in2,
                               int16_t *out) {
  /* TFLite Sub16: the input on the output scale is used as is; the other is
   * rounding-shifted; the difference keeps input1 - input2 order. */
  for (size_t i = 0; i < count; i++) {
    int32_t a = in1[i], b = in2[i];
    if (p->input1_shift == 0)
      b = xai_rdbpot_inline(b, -p->input2_shift);
    else
      a = xai_rdbpot_inline(a, -p->input1_shift);
    out[i] = (int16_t)clamp_act(p, sat16(a - b));
  }
  return XAI_OK;
}
