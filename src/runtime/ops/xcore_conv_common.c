/* Shared parts of the convolution-family XAI_* ops. */
#include <stdlib.h>
#include <string.h>

#include "xai/kernels_xcore/conv.h"
#include "xcore_conv_internal.h"

xai_status xai_xconv_options(xai_op_ctx *ctx, xai_flexbuf_ref *map) {
  xai_error e = {0};
  if (!ctx->custom_options || ctx->custom_options_size == 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "custom options are missing; re-run the xformer");
  xai_status st = xai_flexbuf_verify(ctx->custom_options,
                                     ctx->custom_options_size, &e);
  if (!st) st = xai_flexbuf_root(ctx->custom_options,
                                 ctx->custom_options_size, map, &e);
  if (st) return xai_op_fail(ctx, st, "custom options: %s", e.message);
  if (map->type != XAI_FLEXBUF_MAP)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "custom options are a flexbuffer %s; expected a map",
                       xai_flexbuf_type_name(map->type));
  return XAI_OK;
}

xai_status xai_xconv_opt_int(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                             const char *key, int32_t lo, int32_t hi,
                             int32_t *out) {
  xai_error e = {0};
  int64_t v = 0;
  xai_status st = xai_flexbuf_map_get_int(map, key, &v, &e);
  if (st)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "option \"%s\": %s", key,
                       e.message);
  if (v < lo || v > hi)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "option \"%s\" is %lld; must be %d to %d", key,
                       (long long)v, (int)lo, (int)hi);
  *out = (int32_t)v;
  return XAI_OK;
}

xai_status xai_xconv_tensors(xai_op_ctx *ctx, xai_rt_tensor **in,
                             xai_rt_tensor **packed, xai_rt_tensor **out) {
  *in = xai_op_input(ctx, 0);
  *packed = xai_op_input(ctx, 1);
  *out = xai_op_output(ctx, 0);
  if (ctx->input_count != 2 || !*in || !*packed || !*out)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "needs inputs (activations, packed) and one output; "
                       "has %u inputs", ctx->input_count);
  if ((*in)->type != XAI_TYPE_INT8 || (*out)->type != XAI_TYPE_INT8)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input tensor %d is %s and output tensor %d is %s; "
                       "both must be INT8", (int)ctx->inputs[0],
                       xai_tensor_type_name((*in)->type), (int)ctx->outputs[0],
                       xai_tensor_type_name((*out)->type));
  if ((*packed)->type != XAI_TYPE_UINT8 && (*packed)->type != XAI_TYPE_INT8)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "packed tensor %d is %s; expected UINT8 bytes",
                       (int)ctx->inputs[1],
                       xai_tensor_type_name((*packed)->type));
  return XAI_OK;
}

xai_status xai_xconv_check_packed(xai_op_ctx *ctx, const xai_rt_tensor *packed,
                                  size_t max, const char *geometry) {
  if (max != 0 && packed->bytes > 0 && packed->bytes <= max) return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "packed tensor %d has %zu bytes but %s needs at most "
                     "%zu; the options and the packed weights disagree "
                     "(re-run the xformer)", (int)ctx->inputs[1],
                     (size_t)packed->bytes, geometry, max);
}

xai_status xai_xconv_request_scratch(xai_op_ctx *ctx, size_t per_thread,
                                     uint32_t th, size_t *slice,
                                     int32_t *index) {
  /* 16-byte slices keep each thread's scratch word aligned for the VPU. */
  *slice = (per_thread + 15u) & ~(size_t)15u;
  *index = -1;
  /* No request at all when the kernel needs none: an empty request would
   * still cost a record in the persistent tail. */
  if (*slice == 0) return XAI_OK;
  return xai_op_request_scratch(ctx, *slice * th, index);
}

uint32_t xai_xconv_threads(uint32_t th, int64_t work_items) {
  if (work_items < 1) return 1;
  return (int64_t)th > work_items ? (uint32_t)work_items : th;
}

uint8_t *xai_xconv_thread_scratch(uint8_t *scratch, size_t slice,
                                  uint32_t t) {
  return scratch ? scratch + (size_t)t * slice : NULL;
}

xai_status xai_xconv_blob_invalid(xai_op_ctx *ctx,
                                   const xai_rt_tensor *packed) {
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "packed tensor %d (%zu bytes at %p) is not a packed blob "
                     "of this geometry (misaligned, truncated or its "
                     "requantization records are inconsistent); re-run the "
                     "xformer", (int)ctx->inputs[1], (size_t)packed->bytes,
                     packed->data);
}

xai_status xai_xconv_check_fault(xai_op_ctx *ctx, const xai_vpu_ctx *v,
                                 uint32_t thread) {
  if (v->fault_count == 0) return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_STATE,
                     "VPU fault in thread %u: %s at address 0x%lx (%u "
                     "faults); this is an xai bug, please report it",
                     thread, v->fault_op ? v->fault_op : "?",
                     (unsigned long)v->fault_addr, v->fault_count);
}

xai_status xai_xconv_fill_cost(xai_op_ctx *ctx, const uint64_t *bundles,
                               uint32_t th, uint64_t macs,
                               uint64_t weight_bytes, const char *kernel) {
  xai_vpu_op_work w;
  memset(&w, 0, sizeof w);
  w.thread_bundles = bundles;
  w.n_threads = th;
  w.clock_mhz = ctx->clock_mhz;
  w.weight_source = XAI_WEIGHTS_SRAM;
  xai_vpu_op_time t;
  xai_error e = {0};
  xai_status st = xai_vpu_time_op(&w, &t, &e);
  if (st) return xai_op_fail(ctx, st, "cost model: %s", e.message);
  uint64_t total = 0, max = 0;
  for (uint32_t i = 0; i < th; i++) {
    total += bundles[i];
    if (bundles[i] > max) max = bundles[i];
  }
  ctx->cost->macs = macs;
  ctx->cost->ticks = t.ticks;
  ctx->cost->cycles = t.cycles;
  ctx->cost->bundles_max = max;
  ctx->cost->threads = th;
  ctx->cost->weight_bytes = weight_bytes;
  ctx->cost->utilisation = total ? (double)macs / (32.0 * (double)total) : 0.0;
  ctx->cost->kernel = kernel;
  return XAI_OK;
}

const void *xai_xconv_estimate_blob(const xai_rt_tensor *packed,
                                    void **owned) {
  *owned = NULL;
  /* An arena blob is valid when its XAI_load_weights ran first (the
   * xformer report runs loads in order before estimating). */
  if (packed->data) return packed->data;
  *owned = calloc(1, packed->bytes ? packed->bytes : 1);
  return *owned;
}
