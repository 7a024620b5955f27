/* FULLY_CONNECTED reference kernels (TFLite reference_integer_ops and
 * reference_ops FullyConnected). */
#include "xai/kernels_ref/fully_connected.h"

#include <float.h>

#include "conv_internal.h"
#include "quant_internal.h"
#include "xai/tflite.h"

static xai_status fc_check(const xai_fc_dims *d, const void *in,
                           const void *w, const void *out) {
  if (!d || d->batches < 0 || d->input_depth < 0 || d->output_depth < 0)
    return XAI_ERR_ARGUMENT;
  if ((size_t)d->batches * (size_t)d->output_depth == 0) return XAI_OK;
  if (!out || (d->input_depth > 0 && (!in || !w))) return XAI_ERR_ARGUMENT;
  return XAI_OK;
}

xai_status xai_fully_connected_s8_ref(const xai_fc_params *p,
                                      const xai_per_channel_quant *q,
                                      const xai_fc_dims *d, const int8_t *in,
                                      const int8_t *weights,
                                      const int32_t *bias, int8_t *out) {
  if (!p || !q || p->act_min > p->act_max) return XAI_ERR_ARGUMENT;
  xai_status st = fc_check(d, in, weights, out);
  if (st != XAI_OK) return st;
  if ((size_t)d->batches * (size_t)d->output_depth == 0) return XAI_OK;
  if (!q->multiplier || !q->shift) return XAI_ERR_ARGUMENT;
  /* Staged input: the exact sum of w * (x + offset), equal modulo 2^32 to
   * TFLite's wrapping accumulator. */
  int16_t staged[XAI_STAGE_MAX];
  const int use_staged = p->filter_offset == 0 &&
                         xai_stage_offset_ok(p->input_offset) &&
                         d->input_depth <= XAI_STAGE_MAX;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *x = in + (size_t)b * (size_t)d->input_depth;
    if (use_staged)
      xai_stage_s16(x, d->input_depth, p->input_offset, staged);
    for (int32_t oc = 0; oc < d->output_depth; ++oc) {
      const int8_t *w = weights + (size_t)oc * (size_t)d->input_depth;
      int32_t acc;
      if (use_staged) {
        acc = xai_dot_s8_s16(w, staged, d->input_depth);
      } else if (p->filter_offset == 0) {
        acc = (int32_t)xai_dot_s8_offset(x, w, d->input_depth,
                                         p->input_offset);
      } else {
        acc = 0;
        /* int64 product: offsets from a corrupt model must not overflow */
        for (int32_t i = 0; i < d->input_depth; ++i)
          acc = xai_add_wrap32(
              acc, (int32_t)(uint32_t)((int64_t)(w[i] + p->filter_offset) *
                                       (x[i] + p->input_offset)));
      }
      if (bias) acc = xai_add_wrap32(acc, bias[oc]);
      acc = p->single_rounding
                ? xai_mbqm_single(acc, q->multiplier[oc], q->shift[oc])
                : xai_mbqm_inline(acc, q->multiplier[oc], q->shift[oc]);
      acc = xai_add_wrap32(acc, p->output_offset);
      out[(size_t)b * (size_t)d->output_depth + (size_t)oc] =
          (int8_t)xai_clamp32(acc, p->act_min, p->act_max);
    }
  }
  return XAI_OK;
}

xai_status xai_fully_connected_s16_ref(const xai_fc_params *p,
                                       const xai_per_channel_quant *q,
                                       const xai_fc_dims *d,
                                       const int16_t *in,
                                       const int8_t *weights,
                                       const int64_t *bias, int16_t *out) {
  if (!p || !q || p->act_min > p->act_max) return XAI_ERR_ARGUMENT;
  xai_status st = fc_check(d, in, weights, out);
  if (st != XAI_OK) return st;
  if ((size_t)d->batches * (size_t)d->output_depth == 0) return XAI_OK;
  if (!q->multiplier || !q->shift) return XAI_ERR_ARGUMENT;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int16_t *x = in + (size_t)b * (size_t)d->input_depth;
    for (int32_t oc = 0; oc < d->output_depth; ++oc) {
      const int8_t *w = weights + (size_t)oc * (size_t)d->input_depth;
      int64_t acc = 0;
      for (int32_t i = 0; i < d->input_depth; ++i)
        acc += (int64_t)(w[i] + p->filter_offset) * x[i];
      if (bias) acc = xai_add_wrap64(acc, bias[oc]);
      int32_t v = xai_mbqm64(acc, q->multiplier[oc], q->shift[oc]);
      out[(size_t)b * (size_t)d->output_depth + (size_t)oc] =
          (int16_t)xai_clamp32(v, p->act_min, p->act_max);
    }
  }
  return XAI_OK;
}

xai_status xai_fully_connected_f32_ref(const xai_fc_dims *d, float act_min,
                                       float act_max, const float *in,
                                       const float *weights, const float *bias,
                                       float *out) {
  xai_status st = fc_check(d, in, weights, out);
  if (st != XAI_OK) return st;
  for (int32_t b = 0; b < d->batches; ++b) {
    const float *x = in + (size_t)b * (size_t)d->input_depth;
    for (int32_t oc = 0; oc < d->output_depth; ++oc) {
      const float *w = weights + (size_t)oc * (size_t)d->input_depth;
      /* Sum in input order, then add the bias: the reference's order. */
      float total = 0.0f;
      for (int32_t i = 0; i < d->input_depth; ++i) total += x[i] * w[i];
      float v = total + (bias ? bias[oc] : 0.0f);
      if (v < act_min) v = act_min;
      if (v > act_max) v = act_max;
      out[(size_t)b * (size_t)d->output_depth + (size_t)oc] = v;
    }
  }
  return XAI_OK;
}

void xai_float_activation_range(int activation, float *act_min,
                                float *act_max) {
  switch (activation) {
    case XAI_ACT_RELU: *act_min = 0.0f; *act_max = FLT_MAX; break;
    case XAI_ACT_RELU_N1_TO_1: *act_min = -1.0f; *act_max = 1.0f; break;
    case XAI_ACT_RELU6: *act_min = 0.0f; *act_max = 6.0f; break;
    default: *act_min = -FLT_MAX; *act_max = FLT_MAX; break;
  }
}
