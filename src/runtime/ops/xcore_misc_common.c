/* Helpers shared by the XAI_* pooling, element-wise, pad, concat and LUT
 * ops (xcore_misc_internal.h). */
#include <string.h>

#include "xai/xcore_machine.h"
#include "xcore_misc_internal.h"

xai_status xai_xcore_misc_opt_ints(xai_op_ctx *ctx,
                                   const xai_flexbuf_ref *map,
                                   const char *key, int32_t *out,
                                   size_t count) {
  xai_error e;
  xai_error_clear(&e);
  xai_flexbuf_ref v;
  size_t n = 0;
  if (xai_flexbuf_map_get(map, key, &v, &e) ||
      xai_flexbuf_get_int32_array(&v, out, count, &n, &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "option '%s': %s", key,
                       e.message);
  if (n != count)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "option '%s' has %zu values; expected %zu", key, n,
                       count);
  return XAI_OK;
}

xai_status xai_xcore_misc_begin(xai_op_ctx *ctx, size_t size, void **data,
                                xai_flexbuf_ref *map, unsigned *threads) {
  xai_status st = xai_xcore_op_options(ctx, map);
  if (st) return st;
  void *p = xai_op_alloc_persistent(ctx, size);
  if (!p) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(p, 0, size);
  ctx->data = p;
  *data = p;
  return xai_xcore_op_threads(ctx, map, threads);
}

xai_status xai_xcore_misc_check_io(xai_op_ctx *ctx, uint32_t inputs) {
  if (ctx->input_count != inputs || ctx->output_count != 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "has %u inputs and %u outputs; expected %u and 1",
                       ctx->input_count, ctx->output_count, inputs);
  return XAI_OK;
}

xai_status xai_xcore_misc_packed_check(xai_op_ctx *ctx, uint32_t index,
                                       size_t bytes) {
  const xai_rt_tensor *t = xai_op_input(ctx, index);
  if (!t)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input %u (the packed parameters) is missing", index);
  if (t->type != XAI_TYPE_UINT8 && t->type != XAI_TYPE_INT8)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input %u (packed parameters) is %s; expected UINT8",
                       index, xai_tensor_type_name(t->type));
  if (t->bytes != bytes)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input %u (packed parameters) has %zu bytes; this op "
                       "needs %zu (model from another xformer version?)",
                       index, (size_t)t->bytes, bytes);
  return XAI_OK;
}

const void *xai_xcore_misc_packed(xai_op_ctx *ctx, uint32_t index) {
  const xai_rt_tensor *t = xai_op_input(ctx, index);
  if (!t || !t->data) {
    xai_op_fail(ctx, XAI_ERR_STATE, "packed input %u has no data", index);
    return NULL;
  }
  /* The VPU and the blob's int32 fields need word alignment; the arena
   * and model buffers give 16, so this only trips on a hand-made model. */
  if ((uintptr_t)t->data % XAI_XCORE_VPU_ALIGN != 0) {
    xai_op_fail(ctx, XAI_ERR_FORMAT,
                "packed input %u is not 4-byte aligned; write the model "
                "with 16-byte aligned buffers (xformer does)",
                index);
    return NULL;
  }
  return t->data;
}

xai_status xai_xcore_misc_check_s8(xai_op_ctx *ctx, uint32_t index,
                                   int is_output, size_t elements,
                                   xai_rt_tensor **out) {
  xai_rt_tensor *t =
      is_output ? xai_op_output(ctx, index) : xai_op_input(ctx, index);
  const char *what = is_output ? "output" : "input";
  if (!t)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s %u is missing", what, index);
  if (t->type != XAI_TYPE_INT8)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s %u is %s; expected INT8",
                       what, index, xai_tensor_type_name(t->type));
  if (elements != SIZE_MAX && xai_rt_tensor_elements(t) != elements)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "%s %u has %zu elements; the op's options need %zu",
                       what, index, xai_rt_tensor_elements(t), elements);
  if (out) *out = t;
  return XAI_OK;
}

xai_status xai_xcore_misc_report_cost(xai_op_ctx *ctx,
                                      const xai_xcore_ew_report *rep,
                                      int keep_macs, uint64_t weight_bytes,
                                      const char *kernel) {
  return xai_xcore_op_cost(ctx, rep->bundles, rep->n_threads,
                             keep_macs ? rep->macs : 0, weight_bytes, kernel);
}

xai_status xai_xcore_misc_kernel_failed(xai_op_ctx *ctx, xai_status st,
                                        const xai_error *e) {
  return xai_op_fail(ctx, st, "%s", e->message[0] ? e->message
                                                  : xai_status_name(st));
}

void xai_xcore_misc_extrapolate(uint64_t b0, const size_t *items,
                                unsigned n_threads, uint64_t *bundles) {
  for (unsigned t = 0; t < n_threads; t++)
    bundles[t] = items[0] ? (uint64_t)((double)b0 * (double)items[t] /
                                       (double)items[0] + 0.5)
                          : 0;
}
