/* Integer SVDF: TFLite reference EvalIntegerSVDF (int16 weights_time and
 * state) and TFLite Micro's int8 weights_time/state variant. The fused
 * activation is not applied on either path (both only clamp to int8). */
#include <stdbool.h>

#include "xai/kernels_ref/quant.h"
#include "xai/kernels_ref/recurrent.h"

/* int32 sums wrap as in TFLite's C++ build, without signed-overflow UB. */
static int32_t wrap_add(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}

static bool params_ok(const xai_svdf_s8_params *p) {
  return p->batch >= 0 && p->input_size >= 0 && p->num_filters > 0 &&
         p->rank > 0 && p->num_filters % p->rank == 0 && p->memory_size > 0;
}

size_t xai_svdf_s8_scratch_size(const xai_svdf_s8_params *p) {
  if (p->rank <= 0) return 0;
  const size_t units = (size_t)(p->num_filters / p->rank);
  return (size_t)p->batch * ((size_t)p->num_filters + units) * sizeof(int32_t);
}

/* Feature projection of one batch row for filter f, scaled by scale_1
 * (before the state's zero point and clamp). */
static int32_t feature_sum(const xai_svdf_s8_params *p, const int8_t *in,
                           const int8_t *weights_feature, int32_t f) {
  const int8_t *w = weights_feature + (size_t)f * p->input_size;
  int32_t acc = 0;
  for (int32_t c = 0; c < p->input_size; c++)
    acc = wrap_add(acc, (int32_t)w[c] * ((int32_t)in[c] - p->input_zero_point));
  return xai_mbqm(acc, p->multiplier_1, p->shift_1);
}

/* Bias plus the sum over each unit's rank filters, then scale_2, output
 * zero point and the int8 clamp, for all batches. */
static void units_to_output(const xai_svdf_s8_params *p,
                            const int32_t *filter_sums, int32_t *unit_sums,
                            const int32_t *bias, int8_t *output) {
  const int32_t n_filter = p->num_filters, n_unit = n_filter / p->rank;
  for (int32_t b = 0; b < p->batch; b++)
    for (int32_t u = 0; u < n_unit; u++) {
      int32_t acc = bias ? bias[u] : 0;
      for (int32_t r = 0; r < p->rank; r++)
        acc = wrap_add(acc, filter_sums[(size_t)b * n_filter + u * p->rank + r]);
      unit_sums[(size_t)b * n_unit + u] = acc;
    }
  for (size_t i = 0; i < (size_t)p->batch * n_unit; i++) {
    int32_t v = xai_mbqm(unit_sums[i], p->multiplier_2, p->shift_2) +
                p->output_zero_point;
    if (v > INT8_MAX) v = INT8_MAX;
    if (v < INT8_MIN) v = INT8_MIN;
    output[i] = (int8_t)v;
  }
}

xai_status xai_svdf_s8_ref(const xai_svdf_s8_params *p, const int8_t *input,
                           const int8_t *weights_feature,
                           const int16_t *weights_time, const int32_t *bias,
                           int16_t *state, int8_t *output, void *scratch) {
  if (!params_ok(p)) return XAI_ERR_ARGUMENT;
  const int32_t n_filter = p->num_filters, n_mem = p->memory_size;
  int32_t *filter_sums = scratch;                          /* [b][filter] */
  int32_t *unit_sums = filter_sums + (size_t)p->batch * n_filter; /* [b][u] */

  for (int32_t b = 0; b < p->batch; b++) {
    int16_t *st = state + (size_t)b * n_filter * n_mem;
    const int8_t *in = input + (size_t)b * p->input_size;
    /* Feature projection into the newest (last) state column. */
    for (int32_t f = 0; f < n_filter; f++) {
      int32_t acc = feature_sum(p, in, weights_feature, f);
      if (acc > INT16_MAX) acc = INT16_MAX;
      if (acc < INT16_MIN) acc = INT16_MIN;
      st[(size_t)f * n_mem + n_mem - 1] = (int16_t)acc;
    }
    /* Time filter: each filter's memory dotted with its time weights. */
    for (int32_t f = 0; f < n_filter; f++) {
      const int16_t *w = weights_time + (size_t)f * n_mem;
      const int16_t *s = st + (size_t)f * n_mem;
      int32_t acc = 0;
      for (int32_t j = 0; j < n_mem; j++)
        acc = wrap_add(acc, (int32_t)w[j] * (int32_t)s[j]);
      filter_sums[(size_t)b * n_filter + f] = acc;
    }
  }
  units_to_output(p, filter_sums, unit_sums, bias, output);
  /* Age the memory: shift every filter's row left, newest column to 0. */
  for (size_t row = 0; row < (size_t)p->batch * n_filter; row++) {
    int16_t *s = state + row * n_mem;
    for (int32_t j = 0; j + 1 < n_mem; j++) s[j] = s[j + 1];
    s[n_mem - 1] = 0;
  }
  return XAI_OK;
}

xai_status xai_svdf_s8_state8_ref(const xai_svdf_s8_params *p,
                                  const int8_t *input,
                                  const int8_t *weights_feature,
                                  const int8_t *weights_time,
                                  const int32_t *bias, int8_t *state,
                                  int8_t *output, void *scratch) {
  if (!params_ok(p)) return XAI_ERR_ARGUMENT;
  const int32_t n_filter = p->num_filters, n_mem = p->memory_size;
  const int32_t zp = p->state_zero_point;
  int32_t *filter_sums = scratch;                          /* [b][filter] */
  int32_t *unit_sums = filter_sums + (size_t)p->batch * n_filter; /* [b][u] */

  /* TFLM ages the memory first; every row's last column is then
   * overwritten by the new feature. */
  for (size_t row = 0; row < (size_t)p->batch * n_filter; row++) {
    int8_t *s = state + row * n_mem;
    for (int32_t j = 0; j + 1 < n_mem; j++) s[j] = s[j + 1];
  }
  for (int32_t b = 0; b < p->batch; b++) {
    int8_t *st = state + (size_t)b * n_filter * n_mem;
    const int8_t *in = input + (size_t)b * p->input_size;
    /* The zero point goes in before the clamp, so the stored value is the
     * nearest int8 (TFLM). */
    for (int32_t f = 0; f < n_filter; f++) {
      int32_t acc = wrap_add(feature_sum(p, in, weights_feature, f), zp);
      if (acc > INT8_MAX) acc = INT8_MAX;
      if (acc < INT8_MIN) acc = INT8_MIN;
      st[(size_t)f * n_mem + n_mem - 1] = (int8_t)acc;
    }
    for (int32_t f = 0; f < n_filter; f++) {
      const int8_t *w = weights_time + (size_t)f * n_mem;
      const int8_t *s = st + (size_t)f * n_mem;
      int32_t acc = 0;
      for (int32_t j = 0; j < n_mem; j++)
        acc = wrap_add(acc, (int32_t)w[j] * ((int32_t)s[j] - zp));
      filter_sums[(size_t)b * n_filter + f] = acc;
    }
  }
  units_to_output(p, filter_sums, unit_sums, bias, output);
  return XAI_OK;
}
