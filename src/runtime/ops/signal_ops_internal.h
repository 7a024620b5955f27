/* Helpers shared by the adapters of TFLM's signal library ops
 * (signal_*_ops.c): the flexbuffer options TFLM's Python op wrappers write,
 * tensor checks whose messages name the op, the tensor, its types and what
 * TFLM accepts. */
#ifndef XAI_RUNTIME_OPS_SIGNAL_OPS_INTERNAL_H
#define XAI_RUNTIME_OPS_SIGNAL_OPS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "xai/flexbuf.h"
#include "xai/kernels_ref/signal.h"
#include "xai/runtime.h"
#include "xai/tflite.h"
#include "xcore_op_internal.h"

/* Checks `inputs` inputs and `outputs` outputs, all present. */
xai_status xai_sig_io(xai_op_ctx *ctx, uint32_t inputs, uint32_t outputs);
/* The custom options as a verified flexbuffer map. */
xai_status xai_sig_options(xai_op_ctx *ctx, xai_flexbuf_ref *map);
/* A required integer option in [lo, hi] (the XAI_* ops' reader). */
#define xai_sig_opt_int xai_xcore_op_opt_int
/* Option "T" (the TensorType the op was built for) must be `type`. */
xai_status xai_sig_type_option(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                               int8_t type);
xai_status xai_sig_opt_bool(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                            const char *key, bool *out);
/* Tensor checks on input (is_output false) or output slot i. */
xai_status xai_sig_type(xai_op_ctx *ctx, bool is_output, uint32_t i,
                        int8_t type);
/* One of the types in `types` (count of them); *type gets it. */
xai_status xai_sig_type_of(xai_op_ctx *ctx, bool is_output, uint32_t i,
                           const int8_t *types, uint32_t count,
                           int8_t *type);
xai_status xai_sig_rank(xai_op_ctx *ctx, bool is_output, uint32_t i,
                        uint32_t rank);
/* Elements of the slot's tensor, and its last dimension (1 if rank 0). */
int32_t xai_sig_elements(const xai_op_ctx *ctx, bool is_output, uint32_t i);
int32_t xai_sig_last_dim(const xai_op_ctx *ctx, bool is_output, uint32_t i);
/* Zeroed persistent memory, failing the op when the arena is full. */
void *xai_sig_alloc(xai_op_ctx *ctx, size_t bytes);
/* Modelled device cost of `bundles` scalar XS3 bundles on one thread, as
 * op_default_cost.c charges builtins (rates in signal_ops_cost.c). */
void xai_sig_cost(xai_op_ctx *ctx, uint64_t bundles);

#endif
