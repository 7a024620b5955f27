/* One step of TFLite Micro's 16x8 LSTM (int16 activations and states, int8
 * weights, int64 biases). The gate arithmetic is lstm_tflm.c's with the
 * int16 fully connected in place of the int8 one: the products sum in
 * int64 with no input offset (int16 is symmetric), the bias is added and
 * xai_mbqm64 rescales to Q3.12; the hidden state is int16. */
#include <string.h>

#include "quant_internal.h"
#include "xai/kernels_ref/activations.h"
#include "xai/kernels_ref/quant.h"
#include "xai/kernels_ref/recurrent_wide.h"

static int32_t clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

size_t xai_lstm_s16_scratch_size(const xai_lstm_s16_params *p) {
  return 4 * (size_t)p->batch * (size_t)p->n_cell * sizeof(int16_t);
}

/* out[b][r] = sat16(mbqm64(bias[r] + sum_c (w[r][c] + w_off) * x[b][c])). */
static void fc(const int16_t *x, const int8_t *w, int32_t w_off,
               const int64_t *bias, int32_t mult, int32_t shift,
               int32_t n_batch, int32_t n_in, int32_t n_out, int16_t *out) {
  for (int32_t b = 0; b < n_batch; b++) {
    const int16_t *xb = x + (size_t)b * n_in;
    for (int32_t r = 0; r < n_out; r++) {
      const int8_t *wr = w + (size_t)r * n_in;
      int64_t acc = 0;
      for (int32_t c = 0; c < n_in; c++)
        acc += (int64_t)(((int32_t)wr[c] + w_off) * (int32_t)xb[c]);
      if (bias) acc += bias[r];
      out[(size_t)b * n_out + r] = (int16_t)clamp(
          xai_mbqm64(acc, mult, (int)shift), INT16_MIN, INT16_MAX);
    }
  }
}

static void gate(const xai_lstm_s16_params *p, const xai_lstm_gate_s16 *g,
                 const int16_t *input, const int16_t *hidden, int activation,
                 int16_t *out, int16_t *tmp) {
  const size_t n = (size_t)p->batch * p->n_cell;
  fc(input, g->input_weights, g->input_weights_offset, g->bias,
     g->input_multiplier, g->input_shift, p->batch, p->n_input, p->n_cell,
     out);
  fc(hidden, g->recurrent_weights, g->recurrent_weights_offset, NULL,
     g->recurrent_multiplier, g->recurrent_shift, p->batch, p->n_cell,
     p->n_cell, tmp);
  for (size_t i = 0; i < n; i++)
    out[i] = (int16_t)clamp((int32_t)out[i] + tmp[i], INT16_MIN, INT16_MAX);
  if (activation == XAI_LSTM_CELL_TANH)
    xai_tflm_tanh_s16(0, 0, n, out, out);
  else
    xai_tflm_logistic_s16(0, 0, n, out, out);
}

xai_status xai_lstm_step_s16_tflm_ref(const xai_lstm_s16_params *p,
                                      const int16_t *input, int16_t *hidden,
                                      int16_t *cell, int16_t *output,
                                      void *scratch) {
  if (p->batch < 0 || p->n_cell <= 0 || p->n_input < 0)
    return XAI_ERR_ARGUMENT;
  for (int k = 0; k < XAI_LSTM_GATES; k++)
    if (!p->gate[k].input_weights || !p->gate[k].recurrent_weights)
      return XAI_ERR_ARGUMENT;
  const size_t n = (size_t)p->batch * p->n_cell;
  int16_t *gf = scratch, *gi = gf + n, *gc = gi + n, *tmp = gc + n;
  gate(p, &p->gate[XAI_LSTM_GATE_FORGET], input, hidden,
       XAI_LSTM_CELL_SIGMOID, gf, tmp);
  gate(p, &p->gate[XAI_LSTM_GATE_INPUT], input, hidden, XAI_LSTM_CELL_SIGMOID,
       gi, tmp);
  gate(p, &p->gate[XAI_LSTM_GATE_CELL], input, hidden, p->cell_activation,
       gc, tmp);
  for (size_t i = 0; i < n; i++) {
    const int32_t kept = clamp(
        xai_mbqm_inline((int32_t)gf[i] * cell[i], p->forget_cell_multiplier,
                        (int)p->forget_cell_shift),
        INT16_MIN, INT16_MAX);
    const int32_t added = clamp(
        xai_mbqm_inline((int32_t)gi[i] * gc[i], p->input_cell_multiplier,
                        (int)p->input_cell_shift),
        INT16_MIN, INT16_MAX);
    int32_t c = clamp(kept + added, INT16_MIN, INT16_MAX);
    if (p->cell_clip > 0) c = clamp(c, -p->cell_clip, p->cell_clip);
    cell[i] = (int16_t)c;
  }
  int16_t *go = gi, *tanh_c = gf;
  gate(p, &p->gate[XAI_LSTM_GATE_OUTPUT], input, hidden,
       XAI_LSTM_CELL_SIGMOID, go, tmp);
  /* tanh(c) in Q3.12 after the cell scale's power (TFLM's Tanh). */
  int32_t shift = 15 + p->cell_scale_log2 - 3, mult = 0;
  if (shift < 0) {
    shift = -shift;
    mult = 3;
  }
  xai_tflm_tanh_s16(mult, shift, n, cell, tanh_c);
  for (size_t i = 0; i < n; i++)
    hidden[i] = (int16_t)clamp(
        p->hidden_zero_point +
            xai_mbqm_inline((int32_t)tanh_c[i] * go[i], p->hidden_multiplier,
                            (int)p->hidden_shift),
        INT16_MIN, INT16_MAX);
  memcpy(output, hidden, n * sizeof *output);
  return XAI_OK;
}
