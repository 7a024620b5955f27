/* The reductions of reduce_more_ops.c, also the float32 path of MEAN and
 * SUM (elementwise_reduce.c). */
#ifndef XAI_RUNTIME_OPS_REDUCE_MORE_INTERNAL_H
#define XAI_RUNTIME_OPS_REDUCE_MORE_INTERNAL_H

#include "xai/runtime.h"

typedef enum {
  XAI_REDUCE_MAX, XAI_REDUCE_MIN, XAI_REDUCE_MEAN, XAI_REDUCE_SUM,
} xai_reduce_kind;

xai_status xai_reduce_more_prepare(xai_op_ctx *ctx, xai_reduce_kind kind);
xai_status xai_reduce_more_eval(xai_op_ctx *ctx);

#endif
