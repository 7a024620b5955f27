/* Helpers shared by the XAI_conv2d, XAI_depthwise_conv2d and XAI_fc ops
 * (xcore_conv*.c): options decoding, the per-thread run and the cost. */
#ifndef XAI_RUNTIME_OPS_XCORE_CONV_INTERNAL_H
#define XAI_RUNTIME_OPS_XCORE_CONV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "xai/flexbuf.h"
#include "xai/runtime.h"
#include "xai/vpu.h"

/* The custom options as a verified flexbuffer map. */
xai_status xai_xconv_options(xai_op_ctx *ctx, xai_flexbuf_ref *map);

/* Integer option `key` in [lo, hi]; a missing key or a value outside the
 * range fails the op naming the key. */
xai_status xai_xconv_opt_int(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                             const char *key, int32_t lo, int32_t hi,
                             int32_t *out);

/* Input 0 (activations), input 1 (packed blob) and output 0, checked for
 * types: INT8 activations, UINT8 or INT8 packed constant. */
xai_status xai_xconv_tensors(xai_op_ctx *ctx, xai_rt_tensor **in,
                             xai_rt_tensor **packed, xai_rt_tensor **out);

/* Fails unless packed holds 1 to `max` bytes (the largest blob the
 * options allow: a blob's exact size depends on its requantization
 * records, which bind checks). */
xai_status xai_xconv_check_packed(xai_op_ctx *ctx, const xai_rt_tensor *packed,
                                  size_t max, const char *geometry);

/* Fails the op: the packed tensor does not bind (kernel bind refused). */
xai_status xai_xconv_blob_invalid(xai_op_ctx *ctx,
                                  const xai_rt_tensor *packed);

/* Scratch slice per thread rounded to 16 bytes, requested th times;
 * nothing is requested (index -1, slice 0) when per_thread is 0. */
xai_status xai_xconv_request_scratch(xai_op_ctx *ctx, size_t per_thread,
                                     uint32_t th, size_t *slice,
                                     int32_t *index);

/* Threads an op really uses: its "th" option capped by its work items
 * (rows, channel groups). A thread without work would only add fork/join
 * time and, with a per-thread scratch slice, arena. */
uint32_t xai_xconv_threads(uint32_t th, int64_t work_items);

/* Thread t's slice of a scratch buffer (NULL when there is none). */
uint8_t *xai_xconv_thread_scratch(uint8_t *scratch, size_t slice,
                                  uint32_t t);

/* A VPU context after a thread's run: fails the op on a fault. */
xai_status xai_xconv_check_fault(xai_op_ctx *ctx, const xai_vpu_ctx *v,
                                 uint32_t thread);

/* Fills ctx->cost from per-thread bundles (weights in SRAM). */
xai_status xai_xconv_fill_cost(xai_op_ctx *ctx, const uint64_t *bundles,
                               uint32_t th, uint64_t macs,
                               uint64_t weight_bytes, const char *kernel);

/* Estimate helper: data to bind a kernel to without running the model —
 * the packed tensor's own bytes when it is a model constant, else (blob
 * to be loaded at run time) a zeroed heap copy of the same size, which the
 * caller fills with the kernel's placeholder blob. *owned is what the
 * caller frees. NULL on allocation failure. */
const void *xai_xconv_estimate_blob(const xai_rt_tensor *packed,
                                    void **owned);

#endif
