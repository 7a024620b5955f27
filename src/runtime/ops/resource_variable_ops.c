/* VAR_HANDLE, ASSIGN_VARIABLE, READ_VARIABLE (TFLite Micro var_handle.cc,
 * assign_variable.cc, read_variable.cc) over the interpreter's resource
 * variables (runtime.h). The variable's buffer is made by the first
 * ASSIGN_VARIABLE's prepare with the value's size, filled with the value's
 * zero point (as an int8 byte, as TFLM does) or 0; it keeps its contents
 * across invokes. */
#include <string.h>

#include "elementwise_internal.h"

typedef struct {
  int32_t id;
} var_data;

static var_data *alloc_data(xai_op_ctx *ctx, int32_t id) {
  var_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (d) d->id = id;
  ctx->data = d;
  return d;
}

static xai_status var_handle_prepare(xai_op_ctx *ctx) {
  const xai_var_handle_options *o = &ctx->options->u.var_handle;
  const int32_t id = xai_op_resource_id(ctx, xai_opt_str(o->container),
                                        xai_opt_str(o->shared_name));
  if (id < 0) return XAI_ERR_UNSUPPORTED; /* the message is set */
  return alloc_data(ctx, id) ? XAI_OK : XAI_ERR_NO_MEMORY;
}

static xai_status var_handle_eval(xai_op_ctx *ctx) {
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  const var_data *d = ctx->data;
  /* The handle's value is the id; ops find it through the binding. */
  if (out && out->data && out->bytes >= sizeof d->id)
    memcpy(out->data, &d->id, sizeof d->id);
  return XAI_OK;
}

static xai_status assign_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *value;
  xai_status st = xai_ew_input(ctx, 1, &value);
  if (st) return st;
  const int32_t id = xai_op_resource_of_input(ctx, 0);
  if (id < 0) return XAI_ERR_UNSUPPORTED;
  const uint8_t fill =
      value->quant_count >= 1 ? (uint8_t)(int8_t)value->zero_point : 0;
  if ((st = xai_op_resource_allocate(ctx, id, value->bytes, fill))) return st;
  return alloc_data(ctx, id) ? XAI_OK : XAI_ERR_NO_MEMORY;
}

static xai_status assign_eval(xai_op_ctx *ctx) {
  const var_data *d = ctx->data;
  const xai_rt_tensor *value = xai_op_input(ctx, 1);
  size_t bytes = 0;
  void *buf = xai_op_resource_data(ctx, d->id, &bytes);
  if (!buf || bytes != value->bytes)
    return xai_op_fail(ctx, XAI_ERR_STATE, "resource variable %d is not "
                       "allocated for %zu bytes", (int)d->id, (size_t)value->bytes);
  memcpy(buf, value->data, bytes);
  return XAI_OK;
}

static xai_status read_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *out;
  xai_status st = xai_ew_output(ctx, 0, &out);
  if (st) return st;
  const int32_t id = xai_op_resource_of_input(ctx, 0);
  if (id < 0) return XAI_ERR_UNSUPPORTED;
  return alloc_data(ctx, id) ? XAI_OK : XAI_ERR_NO_MEMORY;
}

static xai_status read_eval(xai_op_ctx *ctx) {
  const var_data *d = ctx->data;
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  size_t bytes = 0;
  const void *buf = xai_op_resource_data(ctx, d->id, &bytes);
  if (!buf)
    return xai_op_fail(ctx, XAI_ERR_STATE,
                       "resource variable %d is read before any "
                       "ASSIGN_VARIABLE gave it a size", (int)d->id);
  if (bytes != out->bytes)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "resource variable %d holds %zu bytes; the output "
                       "has %zu", (int)d->id, bytes, (size_t)out->bytes);
  memcpy(out->data, buf, bytes);
  return XAI_OK;
}

const xai_op_registration xai_op_var_handle = {
    XAI_OP_VAR_HANDLE, NULL, var_handle_prepare, var_handle_eval, NULL};
const xai_op_registration xai_op_assign_variable = {
    XAI_OP_ASSIGN_VARIABLE, NULL, assign_prepare, assign_eval, NULL};
const xai_op_registration xai_op_read_variable = {
    XAI_OP_READ_VARIABLE, NULL, read_prepare, read_eval, NULL};
