/* Options, thread count and cost shared by the XAI_* ops
 * (xcore_op_internal.h). */
#include <string.h>

#include "xai/vpu.h"
#include "xai/xcore_machine.h"
#include "xcore_op_internal.h"

xai_status xai_xcore_op_options(xai_op_ctx *ctx, xai_flexbuf_ref *map) {
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

xai_status xai_xcore_op_opt_int(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
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

xai_status xai_xcore_op_threads(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                                unsigned *threads) {
  int32_t th;
  xai_status st = xai_xcore_op_opt_int(ctx, map, "th", 1,
                                       XAI_XCORE_THREADS_PER_TILE, &th);
  if (!st) *threads = (unsigned)th;
  return st;
}

xai_status xai_xcore_op_cost(xai_op_ctx *ctx, const uint64_t *bundles,
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
