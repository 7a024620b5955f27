/* Shared by the XAI_* pooling, element-wise, pad, concat and lookup-table
 * ops (docs/xcore_ops_misc.md): their common prepare start, the packed-blob
 * access rule (re-derived at every eval, 4-byte alignment only) and cost
 * estimates; options, threads and the cost itself come from
 * xcore_op_internal.h, shared with the other XAI_* ops. */
#ifndef XAI_RUNTIME_OPS_XCORE_MISC_INTERNAL_H
#define XAI_RUNTIME_OPS_XCORE_MISC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "xai/flexbuf.h"
#include "xai/kernels_xcore/elementwise.h"
#include "xai/runtime.h"
#include "xcore_op_internal.h"

/* A required int vector option of exactly `count` elements. */
xai_status xai_xcore_misc_opt_ints(xai_op_ctx *ctx,
                                   const xai_flexbuf_ref *map,
                                   const char *key, int32_t *out,
                                   size_t count);

/* Prepare's common start: the options map, `size` bytes of zeroed
 * persistent data (also set as ctx->data) and "th". */
xai_status xai_xcore_misc_begin(xai_op_ctx *ctx, size_t size, void **data,
                                xai_flexbuf_ref *map, unsigned *threads);
/* Prepare: exactly `inputs` inputs and one output. */
xai_status xai_xcore_misc_check_io(xai_op_ctx *ctx, uint32_t inputs);

/* Prepare: input `index` is a UINT8/INT8 tensor of exactly `bytes`. */
xai_status xai_xcore_misc_packed_check(xai_op_ctx *ctx, uint32_t index,
                                       size_t bytes);
/* Eval: the packed blob of input `index`, 4-byte aligned, or NULL after
 * failing the op (it may have moved: never keep this pointer). */
const void *xai_xcore_misc_packed(xai_op_ctx *ctx, uint32_t index);

/* Prepare: activation tensor `index` (input, or output if is_output) is
 * INT8 with `elements` elements. */
xai_status xai_xcore_misc_check_s8(xai_op_ctx *ctx, uint32_t index,
                                   int is_output, size_t elements,
                                   xai_rt_tensor **out);

/* A kernel run helper's report as the op's cost (macs from the report
 * only when keep_macs: data movement reports 0). */
xai_status xai_xcore_misc_report_cost(xai_op_ctx *ctx,
                                      const xai_xcore_ew_report *rep,
                                      int keep_macs, uint64_t weight_bytes,
                                      const char *kernel);
/* A kernel run helper failed with e: fail the op with its message. */
xai_status xai_xcore_misc_kernel_failed(xai_op_ctx *ctx, xai_status st,
                                        const xai_error *e);

/* Estimates from thread 0's share, measured, scaled to the other threads
 * by their share of the work items: bundles[t] = b0 * items[t] / items[0]
 * (the machine model charges the largest thread, which thread 0 is for
 * xai_xcore_ew_split). */
void xai_xcore_misc_extrapolate(uint64_t b0, const size_t *items,
                                unsigned n_threads, uint64_t *bundles);

#endif
