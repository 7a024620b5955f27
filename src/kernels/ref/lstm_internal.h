/* Private: the LSTM gate matmul shared by lstm.c and lstm_tflm.c. */
#ifndef XAI_KERNELS_REF_LSTM_INTERNAL_H
#define XAI_KERNELS_REF_LSTM_INTERNAL_H

#include <stdint.h>

/* gate[b][r] = sat16(gate[b][r] + mbqm(bias[r] + W[r].(x[b] + offset))),
 * bias NULL = 0. */
void xai_lstm_matmul_acc16(const int8_t *x, int32_t offset,
                           const int32_t *bias, const int8_t *w, int32_t mult,
                           int32_t shift, int32_t n_batch, int32_t n_in,
                           int32_t n_out, int16_t *gate);

#endif
