/* Recurrent kernels beyond the int8 ones of recurrent.h, in TFLite Micro's
 * arithmetic: the 16x8 integer LSTM step (int16 activations and states,
 * int8 weights, int64 biases; lstm_eval.h LstmStep<int16_t, int8_t,
 * int16_t, int64_t>), the float32 LSTM step (LstmStep<float, ...>) and the
 * float32 SVDF (svdf_common.cc EvalFloatSvdfReference). States are
 * updated in place. */
#ifndef XAI_KERNELS_REF_RECURRENT_WIDE_H
#define XAI_KERNELS_REF_RECURRENT_WIDE_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/recurrent.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Cell gate nonlinearity (the op's fused activation; TFLM takes these
 * two only). */
enum { XAI_LSTM_CELL_TANH = 0, XAI_LSTM_CELL_SIGMOID = 1 };

/* ---- 16x8 LSTM step ------------------------------------------------------
 * Gates 0..3 = input, forget, cell, output (XAI_LSTM_GATE_*), all present
 * (TFLM has no CIFG, peephole, projection or layer norm). Each gate is
 * sat16(FC(input)) + sat16(FC(hidden)) saturated, in Q3.12; an FC is
 * int64 sum (w + w_offset) * x + bias, then xai_mbqm64. */
typedef struct {
  const int8_t *input_weights;     /* [n_cell][n_input] */
  const int8_t *recurrent_weights; /* [n_cell][n_cell] */
  const int64_t *bias;             /* [n_cell] or NULL */
  int32_t input_weights_offset, recurrent_weights_offset; /* -zero point */
  int32_t input_multiplier, input_shift;
  int32_t recurrent_multiplier, recurrent_shift;
} xai_lstm_gate_s16;

typedef struct {
  int32_t batch, n_input, n_cell; /* n_output == n_cell */
  xai_lstm_gate_s16 gate[XAI_LSTM_GATES];
  int32_t cell_activation;     /* XAI_LSTM_CELL_* */
  int32_t cell_scale_log2;     /* cell state scale = 2^cell_scale_log2 */
  int16_t cell_clip;           /* 0: none */
  int32_t forget_cell_multiplier, forget_cell_shift;
  int32_t input_cell_multiplier, input_cell_shift;
  int32_t hidden_multiplier, hidden_shift, hidden_zero_point;
} xai_lstm_s16_params;

/* Scratch: 4 int16 buffers of batch * n_cell. */
size_t xai_lstm_s16_scratch_size(const xai_lstm_s16_params *p);
/* input [batch][n_input]; hidden [batch][n_cell] and cell [batch][n_cell]
 * updated in place; output receives the new hidden state. */
xai_status xai_lstm_step_s16_tflm_ref(const xai_lstm_s16_params *p,
                                      const int16_t *input, int16_t *hidden,
                                      int16_t *cell, int16_t *output,
                                      void *scratch);

/* ---- float32 LSTM step --------------------------------------------------- */
typedef struct {
  const float *input_weights;     /* [n_cell][n_input] */
  const float *recurrent_weights; /* [n_cell][n_cell] */
  const float *bias;              /* [n_cell] or NULL */
} xai_lstm_gate_f32;

typedef struct {
  int32_t batch, n_input, n_cell;
  xai_lstm_gate_f32 gate[XAI_LSTM_GATES];
  int32_t cell_activation; /* XAI_LSTM_CELL_* */
  float cell_clip;         /* 0: none */
} xai_lstm_f32_params;

/* Scratch: 4 float buffers of batch * n_cell. */
size_t xai_lstm_f32_scratch_size(const xai_lstm_f32_params *p);
xai_status xai_lstm_step_f32_ref(const xai_lstm_f32_params *p,
                                 const float *input, float *hidden,
                                 float *cell, float *output, void *scratch);

/* ---- float32 SVDF --------------------------------------------------------
 * state [batch][num_filters][memory_size] ages by one column, the newest
 * column gets weights_feature . input; output = activation(bias + sum over
 * each unit's rank filters of state . weights_time). */
typedef struct {
  int32_t batch, input_size, num_filters, rank, memory_size;
  int8_t activation; /* XAI_ACT_* of the op */
} xai_svdf_f32_params;

/* Scratch: batch * num_filters floats. */
size_t xai_svdf_f32_scratch_size(const xai_svdf_f32_params *p);
xai_status xai_svdf_f32_ref(const xai_svdf_f32_params *p, const float *input,
                            const float *weights_feature,
                            const float *weights_time, const float *bias,
                            float *state, float *output, void *scratch);

#ifdef __cplusplus
}
#endif

#endif
