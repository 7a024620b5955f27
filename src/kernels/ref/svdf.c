/* Integer SVDF: TFLite reference EvalIntegerSVDF (int16 weights_time and
 * state) and TFLite Micro's int8 weights_time/state variant. The fused
 * activation is not applied on either path (both only clamp to int8). */
#include <stdbool.h>
#include <string.h>

#include "conv_internal.h"
#include "quant_internal.h"
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
  /* sum w * (in - zp) modulo 2^32, as TFLite's wrapping accumulator. */
  const uint32_t acc =
      xai_dot_s8_offset(in, w, p->input_size, -p->input_zero_point);
  return xai_mbqm_inline((int32_t)acc, p->multiplier_1, p->shift_1);
}

/* The input minus its zero point is staged once per batch row as int16,
 * in chunks of SVDF_CHUNK, and reused by every filter. With an int8 zero
 * point it lies in [-255, 255], so |w * x| < 2^15 and a chunk's dot is
 * exact in int32 (GCC makes it pmaddwd); chunks combine modulo 2^32, the
 * bits of TFLite's wrapping accumulator. */
#define SVDF_CHUNK 256

static int32_t dot_s8_s16(const int8_t *w, const int16_t *x, int32_t n) {
  int32_t sum = 0;
  for (int32_t i = 0; i < n; i++) sum += (int32_t)w[i] * (int32_t)x[i];
  return sum;
}

/* feature_sum for every filter into out[f]. */
static void feature_sums(const xai_svdf_s8_params *p, const int8_t *in,
                         const int8_t *weights_feature, int32_t *out) {
  const int32_t n_filter = p->num_filters, n_in = p->input_size;
  const int32_t zp = p->input_zero_point;
  if (zp < INT8_MIN || zp > INT8_MAX) {
    for (int32_t f = 0; f < n_filter; f++)
      out[f] = feature_sum(p, in, weights_feature, f);
    return;
  }
  int16_t x[SVDF_CHUNK];
  for (int32_t f = 0; f < n_filter; f++) out[f] = 0;
  for (int32_t c0 = 0; c0 < n_in; c0 += SVDF_CHUNK) {
    const int32_t n = n_in - c0 < SVDF_CHUNK ? n_in - c0 : SVDF_CHUNK;
    for (int32_t c = 0; c < n; c++) x[c] = (int16_t)(in[c0 + c] - zp);
    for (int32_t f = 0; f < n_filter; f++)
      out[f] = wrap_add(
          out[f],
          dot_s8_s16(weights_feature + (size_t)f * n_in + c0, x, n));
  }
  const xai_mbqm_pre scale_1 = xai_mbqm_pre_make(p->multiplier_1, p->shift_1);
  for (int32_t f = 0; f < n_filter; f++)
    out[f] = xai_mbqm_apply(&scale_1, out[f]);
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
  /* Locals: the int8 stores below could alias *p. */
  const xai_mbqm_pre scale_2 = xai_mbqm_pre_make(p->multiplier_2, p->shift_2);
  const int32_t zp = p->output_zero_point;
  const size_t count = (size_t)p->batch * n_unit;
  for (size_t i = 0; i < count; i++) {
    int32_t v = xai_mbqm_apply(&scale_2, unit_sums[i]) + zp;
    if (v > INT8_MAX) v = INT8_MAX;
    if (v < INT8_MIN) v = INT8_MIN;
    output[i] = (int8_t)v;
  }
}

/* Ages every filter's memory row by one column in one move: shifting the
 * whole [rows][n_mem] block left by one element moves each row left and
 * carries the next row's first element into the last column, which the
 * callers then overwrite. */
static void age_rows(void *state, size_t rows, int32_t n_mem, size_t elem) {
  const size_t total = rows * (size_t)n_mem;
  if (total > 1)
    memmove(state, (char *)state + elem, (total - 1) * elem);
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
    /* Feature projection into the newest (last) state column; the time
     * sums below overwrite the scratch row afterwards. */
    int32_t *sums = filter_sums + (size_t)b * n_filter;
    feature_sums(p, in, weights_feature, sums);
    for (int32_t f = 0; f < n_filter; f++) {
      int32_t acc = sums[f];
      if (acc > INT16_MAX) acc = INT16_MAX;
      if (acc < INT16_MIN) acc = INT16_MIN;
      st[(size_t)f * n_mem + n_mem - 1] = (int16_t)acc;
    }
    /* Time filter: each filter's memory dotted with its time weights. */
    for (int32_t f = 0; f < n_filter; f++) {
      const int16_t *w = weights_time + (size_t)f * n_mem;
      const int16_t *s = st + (size_t)f * n_mem;
      /* Each product fits int32; the sum wraps (uint32, no UB), which
       * GCC vectorises as 16-bit multiplies. */
      uint32_t acc = 0;
      for (int32_t j = 0; j < n_mem; j++)
        acc += (uint32_t)((int32_t)w[j] * (int32_t)s[j]);
      filter_sums[(size_t)b * n_filter + f] = (int32_t)acc;
    }
  }
  units_to_output(p, filter_sums, unit_sums, bias, output);
  /* Age the memory: shift every filter's row left, newest column to 0. */
  const size_t rows = (size_t)p->batch * n_filter;
  age_rows(state, rows, n_mem, sizeof *state);
  for (size_t row = 0; row < rows; row++) state[row * n_mem + n_mem - 1] = 0;
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
  age_rows(state, (size_t)p->batch * n_filter, n_mem, sizeof *state);
  for (int32_t b = 0; b < p->batch; b++) {
    int8_t *st = state + (size_t)b * n_filter * n_mem;
    const int8_t *in = input + (size_t)b * p->input_size;
    /* The zero point goes in before the clamp, so the stored value is the
     * nearest int8 (TFLM). */
    int32_t *sums = filter_sums + (size_t)b * n_filter;
    feature_sums(p, in, weights_feature, sums);
    for (int32_t f = 0; f < n_filter; f++) {
      int32_t acc = wrap_add(sums[f], zp);
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
