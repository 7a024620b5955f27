/* Helpers shared by the XAI_* pooling, element-wise, pad, concat and LUT
 * ops (xcore_misc_internal.h). */
#include <string.h>

#include "xai/vpu.h"
#include "xai/xcore_machine.h"
#include "xcore_misc_internal.h"

xai_status xai_xcore_misc_options(xai_op_ctx *ctx, xai_flexbuf_ref *map) {
  xai_error e;
  xai_error_clear(&e);
  if (!ctx->custom_options || ctx->custom_options_size == 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "no custom options; the xformer writes a flexbuffer "
                       "map (recompile the model with xformer)");
  if (xai_flexbuf_verify(ctx->custom_options, ctx->custom_options_size, &e) ||
      xai_flexbuf_root(ctx->custom_options, ctx->custom_options_size, map,
                       &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "custom options: %s", e.message);
  if (map->type != XAI_FLEXBUF_MAP)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "custom options are a flexbuffer %s; expected a map",
                       xai_flexbuf_type_name(map->type));
  return XAI_OK;
}

xai_status xai_xcore_misc_opt_int(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                                  const char *key, int64_t lo, int64_t hi,
                                  int32_t *out) {
  xai_error e;
  xai_error_clear(&e);
  int64_t v;
  if (xai_flexbuf_map_get_int(map, key, &v, &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "option '%s': %s", key,
                       e.message);
  if (v < lo || v > hi)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "option '%s' is %lld; it must be in [%lld, %lld]", key,
                       (long long)v, (long long)lo, (long long)hi);
  *out = (int32_t)v;
  return XAI_OK;
}

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

xai_status xai_xcore_misc_threads(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                                  unsigned *threads) {
  int32_t th;
  xai_status st = xai_xcore_misc_opt_int(ctx, map, "th", 1,
                                         XAI_XCORE_THREADS_PER_TILE, &th);
  if (!st) *threads = (unsigned)th;
  return st;
}

xai_status xai_xcore_misc_begin(xai_op_ctx *ctx, size_t size, void **data,
                                xai_flexbuf_ref *map, unsigned *threads) {
  xai_status st = xai_xcore_misc_options(ctx, map);
  if (st) return st;
  void *p = xai_op_alloc_persistent(ctx, size);
  if (!p) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(p, 0, size);
  ctx->data = p;
  *data = p;
  return xai_xcore_misc_threads(ctx, map, threads);
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

xai_status xai_xcore_misc_cost(xai_op_ctx *ctx, const uint64_t *bundles,
                               unsigned n_threads, uint64_t macs,
                               uint64_t weight_bytes, const char *kernel) {
  xai_vpu_op_work w;
  memset(&w, 0, sizeof w);
  w.thread_bundles = bundles;
  w.n_threads = n_threads;
  w.clock_mhz = ctx->clock_mhz;
  w.weight_source = XAI_WEIGHTS_SRAM;
  xai_vpu_op_time t;
  xai_error e;
  xai_error_clear(&e);
  if (xai_vpu_time_op(&w, &t, &e))
    return xai_op_fail(ctx, XAI_ERR_STATE, "cost model: %s", e.message);
  uint64_t total = 0, max = 0;
  for (unsigned i = 0; i < n_threads; i++) {
    total += bundles[i];
    if (bundles[i] > max) max = bundles[i];
  }
  xai_op_cost *c = ctx->cost;
  c->macs = macs;
  c->ticks = t.ticks;
  c->cycles = t.cycles;
  c->bundles_max = max;
  c->threads = n_threads;
  c->weight_bytes = weight_bytes;
  c->utilisation = xai_vpu_utilisation(macs, total);
  c->kernel = kernel;
  return XAI_OK;
}

xai_status xai_xcore_misc_report_cost(xai_op_ctx *ctx,
                                      const xai_xcore_ew_report *rep,
                                      int keep_macs, uint64_t weight_bytes,
                                      const char *kernel) {
  return xai_xcore_misc_cost(ctx, rep->bundles, rep->n_threads,
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
