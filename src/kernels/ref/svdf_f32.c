/* float32 SVDF as TFLite Micro's reference (svdf_common.cc
 * EvalFloatSvdfReference): the state ages by one element over the whole
 * buffer, the newest column takes the feature dot products, then the time
 * dot products, bias, rank sum and fused activation, each summed in float
 * in TFLM's order. */
#include <math.h>
#include <string.h>

#include "xai/kernels_ref/arith_float.h"
#include "xai/kernels_ref/recurrent_wide.h"
#include "xai/tflite.h"

size_t xai_svdf_f32_scratch_size(const xai_svdf_f32_params *p) {
  return (size_t)p->batch * (size_t)p->num_filters * sizeof(float);
}

/* TFLM's ActivationValFloat (std::max/min, tanhf). */
static float activate(int act, float a) {
  switch (act) {
    case XAI_ACT_NONE: return a;
    case XAI_ACT_RELU: return xai_std_maxf(0.0f, a);
    case XAI_ACT_RELU_N1_TO_1: return xai_std_maxf(-1.0f, xai_std_minf(a, 1.0f));
    case XAI_ACT_RELU6: return xai_std_maxf(0.0f, xai_std_minf(a, 6.0f));
    case XAI_ACT_TANH: return tanhf(a);
    case XAI_ACT_SIGN_BIT: return signbit(a) ? 1.0f : 0.0f;
    default: return a; /* the runtime refuses the schema's unknown values */
  }
}

xai_status xai_svdf_f32_ref(const xai_svdf_f32_params *p, const float *input,
                            const float *weights_feature,
                            const float *weights_time, const float *bias,
                            float *state, float *output, void *scratch) {
  if (p->batch < 0 || p->input_size < 0 || p->num_filters <= 0 ||
      p->rank <= 0 || p->num_filters % p->rank || p->memory_size <= 0)
    return XAI_ERR_ARGUMENT;
  const int32_t batch = p->batch, n_in = p->input_size;
  const int32_t filters = p->num_filters, memory = p->memory_size;
  const int32_t units = filters / p->rank;
  const size_t total = (size_t)batch * filters * memory;
  if (total > 1) memmove(state, state + 1, (total - 1) * sizeof *state);
  for (int32_t b = 0; b < batch; b++)
    for (int32_t f = 0; f < filters; f++) {
      const float *w = weights_feature + (size_t)f * n_in;
      const float *x = input + (size_t)b * n_in;
      float dot = 0.0f;
      for (int32_t k = 0; k < n_in; k++) dot += w[k] * x[k];
      state[((size_t)b * filters + f) * memory + memory - 1] = dot;
    }
  float *sums = scratch;
  for (int32_t b = 0; b < batch; b++)
    for (int32_t f = 0; f < filters; f++) {
      const float *wt = weights_time + (size_t)f * memory;
      const float *s = state + ((size_t)b * filters + f) * memory;
      float acc = 0.0f;
      for (int32_t j = 0; j < memory; j++) acc += wt[j] * s[j];
      sums[(size_t)b * filters + f] = acc;
    }
  for (int32_t b = 0; b < batch; b++)
    for (int32_t u = 0; u < units; u++) {
      float o = bias ? bias[u] : 0.0f;
      const float *s = sums + (size_t)b * filters + (size_t)u * p->rank;
      for (int32_t r = 0; r < p->rank; r++) o += s[r];
      output[(size_t)b * units + u] = activate(p->activation, o);
    }
  return XAI_OK;
}
