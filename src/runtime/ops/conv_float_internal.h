/* The float32 path of the convolution and pooling adapters
 * (conv_float_ops.c). */
#ifndef XAI_RUNTIME_OPS_CONV_FLOAT_INTERNAL_H
#define XAI_RUNTIME_OPS_CONV_FLOAT_INTERNAL_H

#include <stdbool.h>

#include "xai/runtime.h"

typedef enum {
  XAI_CONVF_CONV, XAI_CONVF_DEPTHWISE, XAI_CONVF_AVG_POOL, XAI_CONVF_MAX_POOL,
} xai_conv_float_kind;

xai_status xai_conv_float_prepare(xai_op_ctx *ctx, xai_conv_float_kind kind);
xai_status xai_conv_float_eval(xai_op_ctx *ctx);

/* Whether the op's input 0 is float32 (the float path). */
static inline bool xai_conv_float_input(const xai_op_ctx *ctx) {
  const xai_rt_tensor *t = xai_op_input(ctx, 0);
  return t && t->type == XAI_TYPE_FLOAT32;
}

#endif
