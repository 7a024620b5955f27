/* PRELU int8 (TFLite reference prelu.h): two multipliers, one per sign;
 * float32 as TFLM's BroadcastPrelu4DSlowFloat. */
#include "bcast_internal.h"
#include "xai/kernels_ref/activations.h"
#include "xai/kernels_ref/quant.h"

void xai_prelu_params_make(float input_scale, int32_t input_zp,
                           float alpha_scale, int32_t alpha_zp,
                           float output_scale, int32_t output_zp,
                           xai_prelu_params *p) {
  /* TFLite PreluPrepare evaluates both ratios in float32. */
  const float real1 = input_scale / output_scale;
  const float real2 = input_scale * alpha_scale / output_scale;
  int s = 0;
  xai_quantize_multiplier((double)real1, &p->multiplier_1, &s);
  p->shift_1 = s;
  xai_quantize_multiplier((double)real2, &p->multiplier_2, &s);
  p->shift_2 = s;
  p->input_offset = -input_zp;
  p->alpha_offset = -alpha_zp;
  p->output_offset = output_zp;
}

xai_status xai_prelu_s8_ref(const xai_prelu_params *p, const xai_bcast *bc,
                            const int8_t *in, const int8_t *alpha,
                            int8_t *out) {
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  for (size_t i = 0; i < bc->count; i++) {
    const int32_t x = p->input_offset + in[c.off1];
    int32_t v;
    if (x >= 0) {
      v = xai_mbqm(x, p->multiplier_1, p->shift_1);
    } else {
      const int32_t a = p->alpha_offset + alpha[c.off2];
      v = xai_mbqm(x * a, p->multiplier_2, p->shift_2);
    }
    v += p->output_offset;
    if (v < INT8_MIN) v = INT8_MIN;
    if (v > INT8_MAX) v = INT8_MAX;
    out[i] = (int8_t)v;
    xai_bcast_cursor_next(bc, &c);
  }
  return XAI_OK;
}

xai_status xai_prelu_f32_ref(const xai_bcast *bc, const float *in,
                             const float *alpha, float *out) {
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  for (size_t i = 0; i < bc->count; i++) {
    const float x = in[c.off1];
    out[i] = x >= 0.0f ? x : x * alpha[c.off2];
    xai_bcast_cursor_next(bc, &c);
  }
  return XAI_OK;
}
