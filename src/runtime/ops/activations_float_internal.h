/* The float32 path of SOFTMAX, LOGISTIC, TANH, LEAKY_RELU and HARD_SWISH
 * (activations_float_ops.c), called from activations_ops.c. */
#ifndef XAI_RUNTIME_OPS_ACTIVATIONS_FLOAT_INTERNAL_H
#define XAI_RUNTIME_OPS_ACTIVATIONS_FLOAT_INTERNAL_H

#include "xai/runtime.h"

typedef enum {
  XAI_ACTF_SOFTMAX, XAI_ACTF_LOGISTIC, XAI_ACTF_TANH, XAI_ACTF_LEAKY_RELU,
  XAI_ACTF_HARD_SWISH,
} xai_act_float_kind;

xai_status xai_act_float_prepare(xai_op_ctx *ctx, xai_act_float_kind kind);
xai_status xai_act_float_eval(xai_op_ctx *ctx);

#endif
