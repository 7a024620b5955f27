/* int16 SOFTMAX (softmax_s16_ops.c), reached from SOFTMAX's registration
 * (activations_ops.c) when the input is int16. */
#ifndef XAI_RUNTIME_OPS_SOFTMAX_S16_INTERNAL_H
#define XAI_RUNTIME_OPS_SOFTMAX_S16_INTERNAL_H

#include "xai/runtime.h"

xai_status xai_softmax_s16_prepare(xai_op_ctx *ctx);
xai_status xai_softmax_s16_eval(xai_op_ctx *ctx);

#endif
