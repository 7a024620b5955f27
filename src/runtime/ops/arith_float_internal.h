/* The float32/int32/int64 path of the binary arithmetic ops, shared by
 * arith_float_ops.c and elementwise_binary.c (whose int8/int16 kernels
 * hand the wide types over). */
#ifndef XAI_RUNTIME_OPS_ARITH_FLOAT_INTERNAL_H
#define XAI_RUNTIME_OPS_ARITH_FLOAT_INTERNAL_H

#include <stdbool.h>

#include "xai/kernels_ref/arith_float.h"
#include "xai/runtime.h"

bool xai_arith_wide_type(int8_t type);
xai_status xai_arith_wide_prepare(xai_op_ctx *ctx, xai_arith_fn fn,
                                  const int8_t *types, size_t ntypes);
xai_status xai_arith_wide_eval(xai_op_ctx *ctx);

#endif
