/* Checks shared by the signal op adapters (signal_ops_internal.h). Every
 * message is prefixed "op <index> <name>: " by xai_op_fail. */
#include <string.h>

#include "signal_ops_internal.h"
#include "xai/vpu.h"

xai_status xai_sig_io(xai_op_ctx *ctx, uint32_t inputs, uint32_t outputs) {
  if (ctx->input_count != inputs || ctx->output_count != outputs)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "has %u inputs and %u outputs; TFLM's kernel takes %u "
                       "and %u", ctx->input_count, ctx->output_count, inputs,
                       outputs);
  for (uint32_t i = 0; i < inputs; i++)
    if (!xai_op_input(ctx, i))
      return xai_op_fail(ctx, XAI_ERR_FORMAT, "input %u is absent", i);
  for (uint32_t i = 0; i < outputs; i++)
    if (!xai_op_output(ctx, i))
      return xai_op_fail(ctx, XAI_ERR_FORMAT, "output %u is absent", i);
  return XAI_OK;
}

xai_status xai_sig_options(xai_op_ctx *ctx, xai_flexbuf_ref *map) {
  if (!ctx->custom_options || ctx->custom_options_size == 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "no custom options; TFLM's signal ops carry a "
                       "flexbuffer map of their attributes");
  return xai_xcore_op_options(ctx, map);
}

xai_status xai_sig_type_option(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                               int8_t type) {
  int32_t t;
  xai_status st = xai_xcore_op_opt_int(ctx, map, "T", 0, 255, &t);
  if (st || t == type) return st;
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "option 'T' is %s but the tensors are %s",
                     xai_tensor_type_name(t), xai_tensor_type_name(type));
}

xai_status xai_sig_opt_bool(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                            const char *key, bool *out) {
  xai_error e;
  xai_error_clear(&e);
  if (xai_flexbuf_map_get_bool(map, key, out, &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "option '%s': %s", key,
                       e.message);
  return XAI_OK;
}

static xai_rt_tensor *slot(const xai_op_ctx *ctx, bool is_output,
                           uint32_t i) {
  return is_output ? xai_op_output(ctx, i) : xai_op_input(ctx, i);
}

static int32_t tensor_index(const xai_op_ctx *ctx, bool is_output,
                            uint32_t i) {
  return is_output ? ctx->outputs[i] : ctx->inputs[i];
}

xai_status xai_sig_type_of(xai_op_ctx *ctx, bool is_output, uint32_t i,
                           const int8_t *types, uint32_t count,
                           int8_t *type) {
  const xai_rt_tensor *t = slot(ctx, is_output, i);
  char list[96] = "";
  for (uint32_t k = 0; k < count; k++) {
    if (t->type == types[k]) {
      if (type) *type = t->type;
      return XAI_OK;
    }
    if (k) strncat(list, k + 1 == count ? " or " : ", ",
                   sizeof list - strlen(list) - 1);
    strncat(list, xai_tensor_type_name(types[k]),
            sizeof list - strlen(list) - 1);
  }
  return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                     "%s %u (tensor %d) is %s; TFLM's kernel takes %s there",
                     is_output ? "output" : "input", i,
                     (int)tensor_index(ctx, is_output, i),
                     xai_tensor_type_name(t->type), list);
}

xai_status xai_sig_type(xai_op_ctx *ctx, bool is_output, uint32_t i,
                        int8_t type) {
  return xai_sig_type_of(ctx, is_output, i, &type, 1, NULL);
}

xai_status xai_sig_rank(xai_op_ctx *ctx, bool is_output, uint32_t i,
                        uint32_t rank) {
  const xai_rt_tensor *t = slot(ctx, is_output, i);
  if (t->rank == rank) return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "%s %u (tensor %d) has rank %u; TFLM's kernel needs %u",
                     is_output ? "output" : "input", i,
                     (int)tensor_index(ctx, is_output, i), t->rank, rank);
}

int32_t xai_sig_elements(const xai_op_ctx *ctx, bool is_output, uint32_t i) {
  return (int32_t)xai_rt_tensor_elements(slot(ctx, is_output, i));
}

int32_t xai_sig_last_dim(const xai_op_ctx *ctx, bool is_output, uint32_t i) {
  const xai_rt_tensor *t = slot(ctx, is_output, i);
  return t->rank ? t->dims[t->rank - 1] : 1;
}

void *xai_sig_alloc(xai_op_ctx *ctx, size_t bytes) {
  void *p = xai_op_alloc_persistent(ctx, bytes ? bytes : 1);
  if (!p) {
    xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full (%zu bytes of state)",
                bytes);
    return NULL;
  }
  memset(p, 0, bytes);
  return p;
}

void xai_sig_cost(xai_op_ctx *ctx, uint64_t bundles) {
  xai_vpu_op_work work;
  memset(&work, 0, sizeof work);
  work.thread_bundles = &bundles;
  work.n_threads = 1;
  work.clock_mhz = ctx->clock_mhz;
  xai_vpu_op_time t;
  memset(ctx->cost, 0, sizeof *ctx->cost);
  if (xai_vpu_time_op(&work, &t, NULL) != XAI_OK) return;
  ctx->cost->ticks = t.ticks;
  ctx->cost->cycles = t.cycles;
  ctx->cost->bundles_max = bundles;
  ctx->cost->threads = 1;
}
