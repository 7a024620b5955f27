/* One step of TFLite Micro's float32 LSTM (lstm_eval.h LstmStep<float>):
 * each gate is FC(input) + FC(hidden), every FC summed in float in index
 * order then the bias added, clamped to the finite range (TFLM's
 * kTfLiteActNone bounds); sigmoid is TFLM's reference Logistic with its
 * cutoffs, tanh is tanhf; the products clamp the same way. The order of
 * operations is TFLM's, so the float bits are too. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "xai/kernels_ref/arith_float.h"
#include "xai/kernels_ref/recurrent_wide.h"

size_t xai_lstm_f32_scratch_size(const xai_lstm_f32_params *p) {
  return 4 * (size_t)p->batch * (size_t)p->n_cell * sizeof(float);
}

static float finite(float v) { return xai_act_clampf(v, -FLT_MAX, FLT_MAX); }

static float sigmoid(float v) {
  if (v > 16.619047164916992188f) return 1.0f;
  if (v < -9.0f) return expf(v);
  return 1.0f / (1.0f + expf(-v));
}

static void fc(const float *x, const float *w, const float *bias,
               int32_t n_batch, int32_t n_in, int32_t n_out, float *out) {
  for (int32_t b = 0; b < n_batch; b++) {
    const float *xb = x + (size_t)b * n_in;
    for (int32_t r = 0; r < n_out; r++) {
      const float *wr = w + (size_t)r * n_in;
      float total = 0.0f;
      for (int32_t c = 0; c < n_in; c++) total += xb[c] * wr[c];
      const float bv = bias ? bias[r] : 0.0f;
      out[(size_t)b * n_out + r] = finite(total + bv);
    }
  }
}

static void gate(const xai_lstm_f32_params *p, const xai_lstm_gate_f32 *g,
                 const float *input, const float *hidden, int activation,
                 float *out, float *tmp) {
  const size_t n = (size_t)p->batch * p->n_cell;
  fc(input, g->input_weights, g->bias, p->batch, p->n_input, p->n_cell, out);
  fc(hidden, g->recurrent_weights, NULL, p->batch, p->n_cell, p->n_cell, tmp);
  for (size_t i = 0; i < n; i++) {
    const float v = out[i] + tmp[i];
    out[i] = activation == XAI_LSTM_CELL_TANH ? tanhf(v) : sigmoid(v);
  }
}

xai_status xai_lstm_step_f32_ref(const xai_lstm_f32_params *p,
                                 const float *input, float *hidden,
                                 float *cell, float *output, void *scratch) {
  if (p->batch < 0 || p->n_cell <= 0 || p->n_input < 0)
    return XAI_ERR_ARGUMENT;
  for (int k = 0; k < XAI_LSTM_GATES; k++)
    if (!p->gate[k].input_weights || !p->gate[k].recurrent_weights)
      return XAI_ERR_ARGUMENT;
  const size_t n = (size_t)p->batch * p->n_cell;
  float *gf = scratch, *gi = gf + n, *gc = gi + n, *tmp = gc + n;
  gate(p, &p->gate[XAI_LSTM_GATE_FORGET], input, hidden,
       XAI_LSTM_CELL_SIGMOID, gf, tmp);
  gate(p, &p->gate[XAI_LSTM_GATE_INPUT], input, hidden, XAI_LSTM_CELL_SIGMOID,
       gi, tmp);
  gate(p, &p->gate[XAI_LSTM_GATE_CELL], input, hidden, p->cell_activation,
       gc, tmp);
  const float clip = p->cell_clip;
  for (size_t i = 0; i < n; i++) {
    const float kept = finite(gf[i] * cell[i]);
    const float added = finite(gi[i] * gc[i]);
    float c = kept + added;
    if (clip > 0.0f) c = xai_std_maxf(xai_std_minf(clip, c), -clip);
    cell[i] = c;
  }
  float *go = gi;
  gate(p, &p->gate[XAI_LSTM_GATE_OUTPUT], input, hidden,
       XAI_LSTM_CELL_SIGMOID, go, tmp);
  for (size_t i = 0; i < n; i++) hidden[i] = finite(tanhf(cell[i]) * go[i]);
  memcpy(output, hidden, n * sizeof *output);
  return XAI_OK;
}
