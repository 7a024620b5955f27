/* XAI_load_weights: copies weights the xformer moved to a params file into
 * this op's output tensors (arena), through the interpreter's weights
 * source (docs/weights.md). No inputs; one output per moved constant.
 * Options map: "off" params-file offset of each output, "h" the params
 * hash, "mem" where the xformer planned the params ("flash", "lpddr",
 * "sram": the cost when no source is given), "pf" 1 when the xformer
 * hoisted the load one op early so its transfer runs under the next op's
 * compute (optional, default 0), "th" 1.
 *
 * The copy itself is synchronous (the emulator runs one op at a time, and
 * the data is then ready for the consumer either way); a prefetched load
 * only differs in its cost: overlap_ticks = its whole transfer, which the
 * consumers of timings hide under the next op (xai_params_overlap_ticks). */
#include <string.h>

#include "xai/flexbuf.h"
#include "xai/runtime.h"

typedef struct {
  uint64_t hash;
  uint8_t planned_kind; /* xai_params_kind from "mem" */
  bool prefetch;        /* "pf": streams under the next op's compute */
  uint32_t count;
  uint32_t *offsets;
} load_data;

static xai_status parse_options(xai_op_ctx *ctx, load_data *d,
                                xai_flexbuf_ref *map) {
  xai_error e;
  xai_error_clear(&e);
  if (!ctx->custom_options || ctx->custom_options_size == 0 ||
      xai_flexbuf_verify(ctx->custom_options, ctx->custom_options_size, &e) ||
      xai_flexbuf_root(ctx->custom_options, ctx->custom_options_size, map,
                       &e) ||
      map->type != XAI_FLEXBUF_MAP)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "custom options are not a flexbuffer map (%s); "
                       "recompile the model with xformer",
                       e.message[0] ? e.message : "missing or wrong type");
  xai_flexbuf_ref v;
  if (xai_flexbuf_map_get(map, "h", &v, &e) ||
      xai_flexbuf_get_uint(&v, &d->hash, &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "option 'h': %s", e.message);
  d->planned_kind = XAI_PARAMS_FLASH;
  const char *mem;
  size_t len;
  if (!xai_flexbuf_map_get(map, "mem", &v, &e) &&
      !xai_flexbuf_get_string(&v, &mem, &len, &e)) {
    if (strcmp(mem, "lpddr") == 0) d->planned_kind = XAI_PARAMS_LPDDR;
    else if (strcmp(mem, "sram") == 0) d->planned_kind = XAI_PARAMS_RAM;
    else if (strcmp(mem, "tiles") == 0) d->planned_kind = XAI_PARAMS_TILES;
  }
  uint64_t pf = 0;
  xai_error_clear(&e);
  if (!xai_flexbuf_map_get(map, "pf", &v, &e) &&
      xai_flexbuf_get_uint(&v, &pf, &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "option 'pf': %s", e.message);
  if (pf > 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "option 'pf' is %llu; it must be 0 or 1 (recompile "
                       "the model with xformer)", (unsigned long long)pf);
  d->prefetch = pf == 1;
  return XAI_OK;
}

static xai_status load_prepare(xai_op_ctx *ctx) {
  load_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  uint32_t n = ctx->output_count;
  uint32_t *off = xai_op_alloc_persistent(ctx, sizeof(uint32_t) * (n ? n : 1));
  if (!d || !off)
    return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  d->count = n;
  d->offsets = off;
  xai_flexbuf_ref map;
  xai_status st = parse_options(ctx, d, &map);
  if (st) return st;
  xai_error e;
  xai_error_clear(&e);
  xai_flexbuf_ref v;
  size_t got = 0;
  if (xai_flexbuf_map_get(&map, "off", &v, &e) ||
      !xai_flexbuf_is_vector(&v) || xai_flexbuf_length(&v, &got, &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "option 'off': %s",
                       e.message[0] ? e.message : "not a vector");
  if (got != n)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "option 'off' has %zu offsets for %u outputs", got, n);
  for (uint32_t i = 0; i < n; i++) {
    xai_flexbuf_ref el;
    int64_t o;
    if (xai_flexbuf_vector_at(&v, i, &el, &e) ||
        xai_flexbuf_get_int(&el, &o, &e))
      return xai_op_fail(ctx, XAI_ERR_FORMAT, "option 'off'[%u]: %s", i,
                         e.message);
    if (o < XAI_PARAMS_HEADER_BYTES || o > UINT32_MAX ||
        o % XAI_PARAMS_ALIGN != 0)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "option 'off'[%u] = %lld is not a %u-aligned offset "
                         "past the params header", i, (long long)o,
                         XAI_PARAMS_ALIGN);
    off[i] = (uint32_t)o;
    xai_rt_tensor *t = xai_op_output(ctx, i);
    if (!t || t->mem != XAI_MEM_ARENA)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "output %u must be an arena tensor (the constant "
                         "the load replaces)", i);
  }
  /* Pairing check: a params file of another model must not run. Only the
   * 32-byte header is read, so this is cheap even from flash. */
  const xai_params_source *src = xai_op_params(ctx);
  if (src) {
    if (xai_params_check(src, d->hash, &e))
      return xai_op_fail(ctx, e.status, "%s", e.message);
    for (uint32_t i = 0; i < n; i++) {
      size_t b = xai_op_output(ctx, i)->bytes;
      if (off[i] > src->size || b > src->size - off[i])
        return xai_op_fail(ctx, XAI_ERR_FORMAT,
                           "output %u needs %zu bytes at %u but the params "
                           "file has %u bytes", i, b, off[i], src->size);
    }
  }
  ctx->data = d;
  return XAI_OK;
}

static void fill_cost(xai_op_ctx *ctx, const load_data *d,
                      const xai_params_source *src) {
  uint64_t bytes = 0, ticks = 0;
  xai_params_source planned;
  memset(&planned, 0, sizeof planned);
  planned.kind = d->planned_kind;
  if (!src) src = &planned;
  for (uint32_t i = 0; i < d->count; i++) {
    size_t b = xai_op_output(ctx, i)->bytes;
    bytes += b;
    if (src->ticks) ticks += src->ticks(src, d->offsets[i], (uint32_t)b);
  }
  if (!src->ticks) ticks = xai_params_ticks(bytes, xai_params_bytes_per_s(src));
  memset(ctx->cost, 0, sizeof *ctx->cost);
  ctx->cost->weight_bytes = bytes;
  ctx->cost->ticks = ticks;
  if (ctx->cost->ticks == 0) ctx->cost->ticks = 1; /* not the scalar default */
  ctx->cost->cycles = ctx->cost->ticks * ctx->clock_mhz / 100u;
  ctx->cost->threads = 1;
  if (d->prefetch) ctx->cost->overlap_ticks = ctx->cost->ticks;
  ctx->cost->kernel = src->kind == XAI_PARAMS_FLASH   ? "load_flash"
                     : src->kind == XAI_PARAMS_LPDDR ? "load_lpddr"
                     : src->kind == XAI_PARAMS_TILES ? "load_tiles"
                                                      : "load_sram";
}

static xai_status load_eval(xai_op_ctx *ctx) {
  const load_data *d = ctx->data;
  const xai_params_source *src = xai_op_params(ctx);
  if (!src)
    return xai_op_fail(ctx, XAI_ERR_STATE,
                       "the model's weights are in a params file (hash "
                       "%016llx) but no weights source was given; pass the "
                       "params file xformer wrote (e.g. xai run --params FILE)",
                       (unsigned long long)d->hash);
  xai_error e;
  xai_error_clear(&e);
  for (uint32_t i = 0; i < d->count; i++) {
    xai_rt_tensor *t = xai_op_output(ctx, i);
    if (t->bytes > UINT32_MAX || src->read(src, d->offsets[i], t->data,
                                           (uint32_t)t->bytes, &e))
      return xai_op_fail(ctx, e.status ? e.status : XAI_ERR_RANGE,
                         "loading output %u (%zu bytes at %u): %s", i,
                         (size_t)t->bytes, d->offsets[i], e.message);
  }
  fill_cost(ctx, d, src);
  return XAI_OK;
}

static xai_status load_estimate(xai_op_ctx *ctx) {
  fill_cost(ctx, ctx->data, xai_op_params(ctx));
  return XAI_OK;
}

const xai_op_registration xai_op_xcore_load_weights = {
    XAI_OP_CUSTOM, "XAI_load_weights", load_prepare, load_eval,
    load_estimate};
