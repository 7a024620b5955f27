/* int16 SOFTMAX (TFLite Micro softmax_common.cc and reference SoftmaxInt16;
 * include/xai/kernels_ref/softmax_s16.h). */
#include "xai/kernels_ref/softmax_s16.h"

#include <math.h>

#include "xai/kernels_ref/quant.h"

static float clampf(float v, float lo, float hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

void xai_lut_s16_make(float (*func)(float), float in_min, float in_max,
                      int16_t lut[XAI_LUT_S16_SIZE]) {
  const int steps = XAI_LUT_S16_SIZE;
  const float step = (in_max - in_min) / (float)(steps - 1);
  const float half_step = step / 2.0f;
  const float scale = 65536.0f / 2.0f; /* outputs [-1, 1] in int16 */
  for (int i = 0; i < steps - 1; i++) {
    const float val = func(in_min + (float)i * step);
    const float mid = func(in_min + (float)i * step + half_step);
    const float next = func(in_min + (float)(i + 1) * step);
    const float sample = roundf(val * scale);
    const float mid_interp = roundf((next * scale + roundf(val * scale)) / 2.0f);
    const float mid_val = roundf(mid * scale);
    const float bias = roundf((mid_interp - mid_val) / 2.0f);
    lut[i] = (int16_t)clampf(sample - bias, -32768.0f, 32767.0f);
  }
  lut[steps - 1] =
      (int16_t)clampf(roundf(func(in_max) * scale), -32768.0f, 32767.0f);
}

int16_t xai_lut_s16_lookup(int16_t value, const int16_t lut[XAI_LUT_S16_SIZE]) {
  const uint16_t index = (uint16_t)(256 + (value >> 7));
  const int16_t offset = (int16_t)(value & 0x7f);
  const int16_t base = lut[index];
  const int32_t slope = lut[index + 1] - lut[index];
  const int32_t delta = (slope * offset + 64) >> 7;
  return (int16_t)(base + delta);
}

static float exp_fn(float x) { return expf(x); }
static float recip_fn(float x) { return 1.0f / (1.0f + x); }

void xai_softmax_s16_params_make(float beta, float input_scale,
                                 xai_softmax_s16_params *p) {
  /* [-65535, 0] after the rescale stands for [-10, 0]. */
  const double rescale =
      (double)input_scale * (double)beta / (10.0 / 65535.0);
  xai_quantize_multiplier(rescale, &p->input_multiplier, &p->input_left_shift);
  xai_lut_s16_make(exp_fn, -10.0f, 0.0f, p->exp_lut);
  xai_lut_s16_make(recip_fn, 0.0f, 1.0f, p->recip_lut);
}

static int16_t sat16(int32_t v) {
  return (int16_t)(v < -32768 ? -32768 : v > 32767 ? 32767 : v);
}

/* exp(x - max) in Q0.15. */
static int16_t exp_q15(const xai_softmax_s16_params *p, int16_t x,
                       int16_t max) {
  const int32_t scaled =
      xai_mbqm(x - max, p->input_multiplier, p->input_left_shift);
  return xai_lut_s16_lookup(sat16(scaled + 32767), p->exp_lut);
}

void xai_softmax_s16_ref(const xai_softmax_s16_params *p, size_t outer,
                         size_t depth, const int16_t *in, int16_t *out) {
  for (size_t r = 0; r < outer; r++, in += depth, out += depth) {
    int16_t max = INT16_MIN;
    for (size_t j = 0; j < depth; j++)
      if (in[j] > max) max = in[j];
    int32_t sum = 0; /* Q16.15 */
    for (size_t j = 0; j < depth; j++) sum += exp_q15(p, in[j], max);
    /* 1 / sum from the 1/(1+x) table, x = sum scaled into [0, 1) and
     * recentred to [-32768, 32767]. */
    const int headroom_plus_one = __builtin_clz((uint32_t)sum);
    const int32_t shifted =
        (int32_t)((((int64_t)sum << (headroom_plus_one - 1)) + (1 << 13)) >>
                  14);
    const int16_t recip = xai_lut_s16_lookup(
        sat16(shifted - ((1 << 15) + (1 << 16))), p->recip_lut);
    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = (int64_t)1 << (right_shift - 1);
    for (size_t j = 0; j < depth; j++) {
      const int64_t v =
          ((int64_t)exp_q15(p, in[j], max) * recip + round) >> right_shift;
      out[j] = (int16_t)(v < 0 ? 0 : v > 32767 ? 32767 : v);
    }
  }
}
