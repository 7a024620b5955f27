/* One step of TFLite Micro's integer LSTM (lstm_eval.h LstmStep for int8
 * activations, int8 weights, int16 cell state): where it differs from
 * LiteRT's (lstm.c) is exactly the point of this file.
 *  - gate = sat16(sat16(FC(input)) + sat16(FC(output state))): the two
 *    FCs saturate on their own before the add;
 *  - sigmoid and tanh come from TFLM's 256-entry table (lut_s16.c), not
 *    gemmlowp's polynomials;
 *  - f * c and i * g go through MultiplyByQuantizedMultiplier with the
 *    multipliers of 2^-15 and 2^-30 / cell scale, then saturate;
 *  - hidden = tanh(c) * o rescaled to the output state's own scale and
 *    zero point (LiteRT uses the op's hidden intermediate). */
#include <string.h>

#include "lstm_internal.h"
#include "quant_internal.h"
#include "xai/kernels_ref/activations.h"
#include "xai/kernels_ref/recurrent.h"

static int32_t clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

static void gate(const xai_lstm_s8_params *p, const xai_lstm_gate_s8 *g,
                 const int8_t *input, const int8_t *output_state,
                 int is_cell_gate, int16_t *out, int16_t *tmp) {
  const size_t n = (size_t)p->batch * p->n_cell;
  memset(out, 0, n * sizeof *out);
  memset(tmp, 0, n * sizeof *tmp);
  xai_lstm_matmul_acc16(input, -p->input_zero_point, g->bias,
                        g->input_weights, g->input_multiplier, g->input_shift,
                        p->batch, p->n_input, p->n_cell, out);
  xai_lstm_matmul_acc16(output_state, -p->output_state_zero_point, NULL,
                        g->recurrent_weights, g->recurrent_multiplier,
                        g->recurrent_shift, p->batch, p->n_output, p->n_cell,
                        tmp);
  for (size_t i = 0; i < n; i++)
    out[i] = (int16_t)clamp((int32_t)out[i] + tmp[i], INT16_MIN, INT16_MAX);
  /* Gates are Q3.12: the table's input scaling is the plain 3x. */
  if (is_cell_gate)
    xai_tflm_tanh_s16(0, 0, n, out, out);
  else
    xai_tflm_logistic_s16(0, 0, n, out, out);
}

xai_status xai_lstm_step_s8_tflm_ref(const xai_lstm_s8_params *p,
                                     const int8_t *input,
                                     int8_t *output_state,
                                     int16_t *cell_state, int8_t *output,
                                     void *scratch) {
  if (p->batch < 0 || p->n_cell <= 0 || p->n_output != p->n_cell ||
      p->n_input < 0 || p->projection_weights)
    return XAI_ERR_ARGUMENT;
  for (int k = 0; k < XAI_LSTM_GATES; k++)
    if (!p->gate[k].input_weights || p->gate[k].cell_weights)
      return XAI_ERR_ARGUMENT;
  const size_t n = (size_t)p->batch * p->n_cell;
  int16_t *gf = scratch, *gi = gf + n, *gc = gi + n, *tmp = gc + n;
  gate(p, &p->gate[XAI_LSTM_GATE_FORGET], input, output_state, 0, gf, tmp);
  gate(p, &p->gate[XAI_LSTM_GATE_INPUT], input, output_state, 0, gi, tmp);
  gate(p, &p->gate[XAI_LSTM_GATE_CELL], input, output_state, 1, gc, tmp);
  for (size_t i = 0; i < n; i++) {
    const int32_t kept = clamp(
        xai_mbqm_inline((int32_t)gf[i] * cell_state[i],
                        p->forget_cell_multiplier, (int)p->forget_cell_shift),
        INT16_MIN, INT16_MAX);
    const int32_t added = clamp(
        xai_mbqm_inline((int32_t)gi[i] * gc[i], p->input_cell_multiplier,
                        (int)p->input_cell_shift),
        INT16_MIN, INT16_MAX);
    int32_t c = clamp(kept + added, INT16_MIN, INT16_MAX);
    if (p->cell_clip > 0) c = clamp(c, -p->cell_clip, p->cell_clip);
    cell_state[i] = (int16_t)c;
  }
  int16_t *go = gi, *tanh_c = gf;
  gate(p, &p->gate[XAI_LSTM_GATE_OUTPUT], input, output_state, 0, go, tmp);
  /* tanh(c): the table wants Q3.12 inputs, so the cell scale's power
   * shifts them (TFLM's Tanh(cell_state_scale_power)). */
  int32_t shift = 15 + p->cell_scale_log2 - 3, mult = 0;
  if (shift < 0) {
    shift = -shift;
    mult = 3;
  }
  xai_tflm_tanh_s16(mult, shift, n, cell_state, tanh_c);
  for (size_t i = 0; i < n; i++)
    output_state[i] = (int8_t)clamp(
        p->hidden_zero_point +
            xai_mbqm_inline((int32_t)tanh_c[i] * go[i], p->hidden_multiplier,
                            (int)p->hidden_shift),
        INT8_MIN, INT8_MAX);
  memcpy(output, output_state, n);
  return XAI_OK;
}
