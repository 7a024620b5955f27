/* The int16 and float32 UNIDIRECTIONAL_SEQUENCE_LSTM (recurrent_lstm_wide.c),
 * which recurrent_lstm.c's registration hands those input types to. */
#ifndef XAI_RUNTIME_OPS_RECURRENT_LSTM_INTERNAL_H
#define XAI_RUNTIME_OPS_RECURRENT_LSTM_INTERNAL_H

#include "xai/runtime.h"

xai_status xai_lstm_wide_prepare(xai_op_ctx *ctx);
xai_status xai_lstm_wide_eval(xai_op_ctx *ctx);

#endif
