/* Helpers every XAI_* op needs whatever its kernel: the custom options as
 * a flexbuffer map, integer options in a range, the thread count and the
 * cost from per-thread bundles. The misc ops use them through
 * xcore_misc_internal.h; the conv family may too (xcore_conv_internal.h). */
#ifndef XAI_RUNTIME_OPS_XCORE_OP_INTERNAL_H
#define XAI_RUNTIME_OPS_XCORE_OP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "xai/flexbuf.h"
#include "xai/runtime.h"

/* The custom options as a flexbuffer map (verified). */
xai_status xai_xcore_op_options(xai_op_ctx *ctx, xai_flexbuf_ref *map);

/* A required integer option in [lo, hi]; a missing key or a value outside
 * the range fails the op naming the key. */
xai_status xai_xcore_op_opt_int(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                                const char *key, int64_t lo, int64_t hi,
                                int32_t *out);

/* Key "th": threads, 1 to XAI_XCORE_THREADS_PER_TILE. */
xai_status xai_xcore_op_threads(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                                unsigned *threads);

/* Fills ctx->cost from per-thread bundles at ctx->clock_mhz (weights in
 * SRAM); a cost model refusal is an xai bug here (XAI_ERR_STATE). */
xai_status xai_xcore_op_cost(xai_op_ctx *ctx, const uint64_t *bundles,
                             unsigned n_threads, uint64_t macs,
                             uint64_t weight_bytes, const char *kernel);

#endif
