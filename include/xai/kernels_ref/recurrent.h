/* Recurrent kernels: integer SVDF and the integer (8x8->16) LSTM step of
 * UNIDIRECTIONAL_SEQUENCE_LSTM, bit-exact with TFLite's reference paths
 * (svdf.h EvalIntegerSVDF; lstm_eval.cc LstmStepInteger8x8_16 over the
 * portable tensor_utils). State tensors are updated in place. */
#ifndef XAI_KERNELS_REF_RECURRENT_H
#define XAI_KERNELS_REF_RECURRENT_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- SVDF (int8 input/output, int16 state) -------------------------------
 * state: [batch][num_filters][memory_size]; weights_feature
 * [num_filters][input_size] int8; weights_time [num_filters][memory_size]
 * int16; bias [num_units] int32 (may be NULL). num_units = filters / rank.
 * feature = input*scale_1 into the state's newest column, time = state .
 * weights_time, sum over rank, + bias, *scale_2 + output zp, clamp int8. */
typedef struct {
  int32_t batch, input_size, num_filters, rank, memory_size;
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier_1, shift_1; /* input*feature -> state */
  int32_t multiplier_2, shift_2; /* state*time -> output */
  /* int8-state variant only (TFLite's int16 path assumes 0). */
  int32_t state_zero_point;
} xai_svdf_s8_params;

/* int32 scratch bytes: batch * (num_filters + num_units) * 4. */
size_t xai_svdf_s8_scratch_size(const xai_svdf_s8_params *p);
xai_status xai_svdf_s8_ref(const xai_svdf_s8_params *p, const int8_t *input,
                           const int8_t *weights_feature,
                           const int16_t *weights_time, const int32_t *bias,
                           int16_t *state, int8_t *output, void *scratch);

/* The same op with int8 weights_time and int8 state, as TFLite Micro's
 * reference SVDF runs it (svdf_common.cc, its integer path instantiated for
 * int8): the feature sum, after scale_1, gets state_zero_point added and is
 * clamped to int8; the time sum takes weights_time * (state -
 * state_zero_point). TFLM ages the memory before writing the newest column
 * (TFLite after); the outputs are the same, the state between invokes
 * holds the newest column instead of a cleared one. Same scratch size. */
xai_status xai_svdf_s8_state8_ref(const xai_svdf_s8_params *p,
                                  const int8_t *input,
                                  const int8_t *weights_feature,
                                  const int8_t *weights_time,
                                  const int32_t *bias, int8_t *state,
                                  int8_t *output, void *scratch);

/* ---- Integer LSTM step (8x8->16) ------------------------------------------
 * One time step for `batch` rows. Gates 0..3 = input, forget, cell, output.
 * A gate with no input weights (CIFG input gate) is skipped; peephole
 * weights are optional (NULL). Biases are the model's own: the kernel
 * subtracts the input, output state and hidden zero points from the
 * vectors (TFLite instead folds zero_point * row_sum into the biases at
 * prepare; the int32 bits are the same). */
enum { XAI_LSTM_GATE_INPUT = 0, XAI_LSTM_GATE_FORGET, XAI_LSTM_GATE_CELL,
       XAI_LSTM_GATE_OUTPUT, XAI_LSTM_GATES };

typedef struct {
  const int8_t *input_weights;     /* [n_cell][n_input]; NULL: no gate */
  const int8_t *recurrent_weights; /* [n_cell][n_output] */
  const int32_t *bias;             /* [n_cell] gate bias, NULL = 0 */
  int32_t input_multiplier, input_shift;
  int32_t recurrent_multiplier, recurrent_shift;
  const int16_t *cell_weights; /* peephole [n_cell] or NULL */
  int32_t cell_multiplier, cell_shift;
} xai_lstm_gate_s8;

typedef struct {
  int32_t batch, n_input, n_cell, n_output;
  xai_lstm_gate_s8 gate[XAI_LSTM_GATES];
  int32_t cell_scale_log2;     /* cell state scale = 2^cell_scale_log2 */
  int16_t cell_clip;           /* 0: none */
  int32_t hidden_multiplier, hidden_shift, hidden_zero_point;
  /* Projection (optional). */
  const int8_t *projection_weights; /* [n_output][n_cell] or NULL */
  const int32_t *projection_bias;   /* [n_output] or NULL (zero) */
  int32_t projection_multiplier, projection_shift;
  int8_t projection_clip;           /* 0: none */
  int32_t output_state_zero_point;
  int32_t input_zero_point;
  /* TFLite Micro's arithmetic (xai_lstm_step_s8_tflm_ref): each gate FC
   * saturated on its own, table sigmoid/tanh, the products through
   * MultiplyByQuantizedMultiplier: forget x cell and input x cell gate to
   * the cell scale; hidden_* then come from the output state's scale. */
  int32_t forget_cell_multiplier, forget_cell_shift;
  int32_t input_cell_multiplier, input_cell_shift;
} xai_lstm_s8_params;

/* Scratch: 4 int16 gate buffers of batch*n_cell (a spent gate buffer
 * later holds the int8 hidden vector). */
size_t xai_lstm_s8_scratch_size(const xai_lstm_s8_params *p);
/* input [batch][n_input]; output_state [batch][n_output] int8 and
 * cell_state [batch][n_cell] int16 updated in place; output receives the
 * new output state ([batch][n_output]). */
xai_status xai_lstm_step_s8_ref(const xai_lstm_s8_params *p,
                                const int8_t *input, int8_t *output_state,
                                int16_t *cell_state, int8_t *output,
                                void *scratch);

/* The same step as TFLite Micro's UNIDIRECTIONAL_SEQUENCE_LSTM computes
 * it (lstm_eval.h LstmStep): no CIFG, peephole or projection (TFLM refuses
 * them). Same buffers and scratch as xai_lstm_step_s8_ref. */
xai_status xai_lstm_step_s8_tflm_ref(const xai_lstm_s8_params *p,
                                     const int8_t *input,
                                     int8_t *output_state,
                                     int16_t *cell_state, int8_t *output,
                                     void *scratch);

/* gemmlowp fixed-point functions on int16 as TFLite's LSTM uses them:
 * logistic of a Q3.12 input to Q0.15, tanh of a Q(int_bits).(15-int_bits)
 * input to Q0.15 (int_bits 0..6). */
int16_t xai_gemmlowp_logistic_q3_s16(int16_t x);
int16_t xai_gemmlowp_tanh_s16(int16_t x, int int_bits);

#ifdef __cplusplus
}
#endif

#endif
