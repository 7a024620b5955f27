/* int16 FULLY_CONNECTED with an int32 bias (TFLite Micro's
 * reference_integer_ops::FullyConnected with BiasType int32): the
 * accumulator takes the bias's type, so it is int32 and is requantized with
 * the 32-bit, double-rounding MultiplyByQuantizedMultiplier. */
#include "xai/kernels_ref/conv.h"
#include "xai/kernels_ref/fully_connected.h"
#include "xai/kernels_ref/quant.h"

xai_status xai_fully_connected_s16_b32_ref(const xai_fc_params *p,
                                           const xai_per_channel_quant *q,
                                           const xai_fc_dims *d,
                                           const int16_t *in,
                                           const int8_t *weights,
                                           const int32_t *bias, int16_t *out) {
  if (!p || !q || !d || !in || !weights || !out) return XAI_ERR_ARGUMENT;
  for (int32_t b = 0; b < d->batches; b++)
    for (int32_t u = 0; u < d->output_depth; u++) {
      uint32_t acc = 0; /* int32 arithmetic, wrapping as the device's */
      const int8_t *w = weights + (size_t)u * d->input_depth;
      const int16_t *x = in + (size_t)b * d->input_depth;
      for (int32_t k = 0; k < d->input_depth; k++)
        acc += (uint32_t)((w[k] + p->filter_offset) * (int32_t)x[k]);
      if (bias) acc += (uint32_t)bias[u];
      int32_t v = xai_mbqm((int32_t)acc, xai_pcq_multiplier(q, u), xai_pcq_shift(q, u)) +
                  p->output_offset;
      if (v < p->act_min) v = p->act_min;
      if (v > p->act_max) v = p->act_max;
      out[(size_t)b * d->output_depth + u] = (int16_t)v;
    }
  return XAI_OK;
}
