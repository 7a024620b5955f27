/* One step of TFLite's integer LSTM (lstm_eval.cc LstmStepInteger8x8_16
 * with the portable tensor_utils): int8 input and output state, int16 cell
 * state, gates in Q3.12 before their activations and Q0.15 after. */
#include <string.h>

#include "conv_internal.h"
#include "gemmlowp_s16_internal.h"
#include "lstm_internal.h"
#include "quant_internal.h"
#include "xai/kernels_ref/quant.h"
#include "xai/kernels_ref/recurrent.h"

static int32_t wrap_add(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}

static int16_t sat16(int32_t v) {
  return (int16_t)(v > INT16_MAX ? INT16_MAX : (v < INT16_MIN ? INT16_MIN : v));
}

static int8_t sat8(int32_t v) {
  return (int8_t)(v > INT8_MAX ? INT8_MAX : (v < INT8_MIN ? INT8_MIN : v));
}

/* gemmlowp RoundingDivideByPOT on int32. */
static int32_t rdbpot32(int32_t x, int exponent) {
  const int32_t mask = (int32_t)((1ll << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* MatrixBatchVectorMultiplyAccumulate (int16 result): acc = bias +
 * W.(x + offset), rescaled, added to what the gate already holds,
 * saturated. TFLite folds offset * row_sum(W) into the bias at prepare;
 * taking the offset here gives the same int32 bits (both are sums modulo
 * 2^32) without a persistent int32 per row. bias may be NULL (zero). */
void xai_lstm_matmul_acc16(const int8_t *x, int32_t offset, const int32_t *bias,
                         const int8_t *w, int32_t mult, int32_t shift,
                         int32_t n_batch, int32_t n_in, int32_t n_out,
                         int16_t *gate) {
  const xai_mbqm_pre scale = xai_mbqm_pre_make(mult, (int)shift);
  int16_t staged[XAI_STAGE_MAX];
  const int use_staged = n_in <= XAI_STAGE_MAX && xai_stage_offset_ok(offset);
  for (int32_t b = 0; b < n_batch; b++) {
    const int8_t *v = x + (size_t)b * n_in;
    if (use_staged) xai_stage_s16(v, n_in, offset, staged);
    int32_t quad[4] = {0, 0, 0, 0}; /* staged dots of rows r & ~3.. */
    for (int32_t r = 0; r < n_out; r++) {
      const int8_t *row = w + (size_t)r * n_in;
      /* bias + W.(x + offset) modulo 2^32, as TFLite's wrapping
       * accumulator. Staged rows go four at a time, sharing x. */
      if (use_staged && (r & 3) == 0 && n_out - r >= 4) {
        quad[0] = quad[1] = quad[2] = quad[3] = 0;
        xai_dot4_s8_s16(row, (size_t)n_in, staged, n_in, quad);
      }
      const int32_t dot =
          !use_staged ? (int32_t)xai_dot_s8_offset(v, row, n_in, offset)
          : n_out - (r & ~3) >= 4 ? quad[r & 3]
                                  : xai_dot_s8_s16(row, staged, n_in);
      int32_t acc = wrap_add(bias ? bias[r] : 0, dot);
      acc = xai_mbqm_apply(&scale, acc);
      acc += gate[(size_t)b * n_out + r];
      gate[(size_t)b * n_out + r] = sat16(acc);
    }
  }
}

static void gate_compute(const xai_lstm_s8_params *p, const xai_lstm_gate_s8 *g,
                         const int8_t *input, const int8_t *output_state,
                         const int16_t *cell_state, int is_cell_gate,
                         int16_t *gate) {
  const size_t n = (size_t)p->batch * p->n_cell;
  memset(gate, 0, n * sizeof *gate);
  xai_lstm_matmul_acc16(input, -p->input_zero_point, g->bias, g->input_weights,
               g->input_multiplier, g->input_shift, p->batch, p->n_input,
               p->n_cell, gate);
  xai_lstm_matmul_acc16(output_state, -p->output_state_zero_point, NULL,
               g->recurrent_weights, g->recurrent_multiplier,
               g->recurrent_shift, p->batch, p->n_output, p->n_cell, gate);
  if (g->cell_weights) {
    /* VectorBatchVectorCwiseProductAccumulate; TFLite passes n_output as
     * the vector length (equal to n_cell without projection). */
    const int32_t v_size = p->n_output;
    const int16_t *cs = cell_state;
    int16_t *out = gate;
    const xai_mbqm_pre scale =
        xai_mbqm_pre_make(g->cell_multiplier, (int)g->cell_shift);
    for (int32_t b = 0; b < p->batch; b++)
      for (int32_t v = 0; v < v_size; v++) {
        int32_t prod = (int32_t)g->cell_weights[v] * *cs++;
        prod = xai_mbqm_apply(&scale, prod);
        *out = sat16(prod + *out);
        out++;
      }
  }
  if (is_cell_gate)
    xai_gemmlowp_tanh_s16_n(gate, gate, n, 3);
  else
    xai_gemmlowp_logistic_q3_s16_n(gate, gate, n);
}

size_t xai_lstm_s8_scratch_size(const xai_lstm_s8_params *p) {
  const size_t n = (size_t)p->batch * p->n_cell;
  return 4 * n * sizeof(int16_t);
}

xai_status xai_lstm_step_s8_ref(const xai_lstm_s8_params *p,
                                const int8_t *input, int8_t *output_state,
                                int16_t *cell_state, int8_t *output,
                                void *scratch) {
  if (p->batch < 0 || p->n_cell <= 0 || p->n_output <= 0 || p->n_input < 0 ||
      !p->gate[XAI_LSTM_GATE_FORGET].input_weights ||
      !p->gate[XAI_LSTM_GATE_CELL].input_weights ||
      !p->gate[XAI_LSTM_GATE_OUTPUT].input_weights ||
      (!p->projection_weights && p->n_output != p->n_cell) ||
      /* tanh(c) is defined for 0..6 integer bits, as TFLite's ApplyTanh */
      p->cell_scale_log2 < -15 || p->cell_scale_log2 > -9)
    return XAI_ERR_ARGUMENT;
  const size_t n = (size_t)p->batch * p->n_cell;
  int16_t *gi = scratch, *gf = gi + n, *gc = gf + n, *go = gc + n;
  /* The forget gate is spent once the cell is updated: its 2n bytes hold
   * the int8 hidden vector (TFLite Micro's four gate buffers, no more). */
  int8_t *hidden = (int8_t *)gf;
  const int cifg = p->gate[XAI_LSTM_GATE_INPUT].input_weights == NULL;

  if (!cifg)
    gate_compute(p, &p->gate[XAI_LSTM_GATE_INPUT], input, output_state,
                 cell_state, 0, gi);
  gate_compute(p, &p->gate[XAI_LSTM_GATE_FORGET], input, output_state,
               cell_state, 0, gf);
  gate_compute(p, &p->gate[XAI_LSTM_GATE_CELL], input, output_state,
               cell_state, 1, gc);

  /* UpdateLstmCellInteger: c = f*c >> 15 (rounded), + i*g rescaled to the
   * cell scale, saturated; products narrow to int16 without saturation as
   * TFLite's CwiseMul does. */
  const int mix_shift = 30 + p->cell_scale_log2;
  for (size_t i = 0; i < n; i++) {
    const int16_t forget = gf[i];
    const int16_t kept =
        (int16_t)rdbpot32((int32_t)forget * cell_state[i], 15);
    const int16_t in_gate = cifg ? (int16_t)(INT16_MAX - forget) : gi[i];
    const int16_t added =
        (int16_t)rdbpot32((int32_t)in_gate * gc[i], mix_shift);
    int16_t c = sat16((int32_t)kept + added);
    if (p->cell_clip > 0) {
      if (c > p->cell_clip) c = p->cell_clip;
      if (c < -p->cell_clip) c = (int16_t)-p->cell_clip;
    }
    cell_state[i] = c;
  }

  gate_compute(p, &p->gate[XAI_LSTM_GATE_OUTPUT], input, output_state,
               cell_state, 0, go);

  /* Hidden = o * tanh(c), rescaled to int8 plus the hidden zero point.
   * (Older TFLite subtracted the zero point in PortableCwiseMul; LiteRT 2.3
   * adds it, checked on micro_speech_lstm whose hidden zero point is -1.) */
  const int tanh_bits = 15 + p->cell_scale_log2;
  const xai_mbqm_pre hidden_scale =
      xai_mbqm_pre_make(p->hidden_multiplier, (int)p->hidden_shift);
  /* The input gate is spent: it holds tanh(c). */
  int16_t *tanh_c = gi;
  xai_gemmlowp_tanh_s16_n(cell_state, tanh_c, n, tanh_bits);
  for (size_t i = 0; i < n; i++) {
    int32_t v = (int32_t)go[i] * tanh_c[i];
    v = xai_mbqm_apply(&hidden_scale, v);
    v += p->hidden_zero_point;
    hidden[i] = sat8(v);
  }
  const size_t n_out = (size_t)p->batch * p->n_output;
  if (p->projection_weights) {
    for (int32_t b = 0; b < p->batch; b++)
      for (int32_t r = 0; r < p->n_output; r++) {
        const int8_t *row = p->projection_weights + (size_t)r * p->n_cell;
        const int8_t *v = hidden + (size_t)b * p->n_cell;
        const int32_t dot = (int32_t)xai_dot_s8_offset(
            v, row, p->n_cell, -p->hidden_zero_point);
        int32_t acc = wrap_add(
            p->projection_bias ? p->projection_bias[r] : 0, dot);
        acc = xai_mbqm_inline(acc, p->projection_multiplier,
                              (int)p->projection_shift);
        acc += p->output_state_zero_point;
        int8_t o = sat8(acc);
        if (p->projection_clip > 0) {
          if (o > p->projection_clip) o = p->projection_clip;
          if (o < -p->projection_clip) o = (int8_t)-p->projection_clip;
        }
        output_state[(size_t)b * p->n_output + r] = o;
      }
  } else {
    memcpy(output_state, hidden, n_out);
  }
  memcpy(output, output_state, n_out);
  return XAI_OK;
}
