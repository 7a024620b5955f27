/* ARG_MAX (TFLite arg_min_max.cc): float32/int8/int16 input, int32/int64
 * output; ARG_MIN as TFLite Micro takes it: float32/int8 input, int32
 * output. Constant one-element axis tensor. */
#include <string.h>

#include "shape_internal.h"
#include "xai/kernels_ref/reduce_more.h"

typedef struct {
  int8_t type;
  int is_min;
  size_t elem;
  int out_bytes;
  int32_t outer, axis_size, inner;
} arg_max_data;

static xai_status prepare(xai_op_ctx *ctx, int is_min) {
  xai_rt_tensor *in, *axis_t, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_input(ctx, 1, "axis", &axis_t);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (st) return st;
  if (is_min && (in->type != XAI_TYPE_INT8 && in->type != XAI_TYPE_FLOAT32))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input is %s; expected FLOAT32 or INT8",
                       xai_tensor_type_name(in->type));
  if (is_min && out->type != XAI_TYPE_INT32)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "output is %s; expected INT32",
                       xai_tensor_type_name(out->type));
  if (in->type != XAI_TYPE_INT8 && in->type != XAI_TYPE_INT16 &&
      in->type != XAI_TYPE_FLOAT32)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input is %s; expected FLOAT32, INT8 or INT16",
                       xai_tensor_type_name(in->type));
  if (out->type != XAI_TYPE_INT32 && out->type != XAI_TYPE_INT64)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "output is %s; expected INT32 or INT64",
                       xai_tensor_type_name(out->type));
  if (!xai_shape_op_is_const(axis_t))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "axis must be constant");
  int32_t v[1];
  size_t n;
  st = xai_shape_op_read_ints(ctx, axis_t, "axis", v, 1, &n);
  if (st) return st;
  if (n != 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "axis must hold one value");
  int32_t axis;
  st = xai_shape_op_axis(ctx, v[0], (int32_t)in->rank, &axis);
  if (st) return st;
  arg_max_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  ctx->data = d;
  d->type = in->type;
  d->is_min = is_min;
  d->elem = in->type == XAI_TYPE_INT8 ? 1 : 2;
  d->out_bytes = out->type == XAI_TYPE_INT64 ? 8 : 4;
  d->outer = 1, d->inner = 1, d->axis_size = in->dims[axis];
  if (d->axis_size <= 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "axis %d has size 0", (int)axis);
  xai_shape want = {0, {0}};
  for (uint32_t k = 0; k < in->rank; k++) {
    if ((int32_t)k == axis) continue;
    if ((int32_t)k < axis) d->outer *= in->dims[k];
    else d->inner *= in->dims[k];
    want.dims[want.rank++] = in->dims[k];
  }
  return xai_shape_op_check_dims(ctx, out, "output", &want);
}

static xai_status eval(xai_op_ctx *ctx) {
  arg_max_data *d = ctx->data;
  xai_status st =
      d->is_min || d->type == XAI_TYPE_FLOAT32
          ? xai_arg_minmax_ref(d->type, d->is_min, xai_op_input(ctx, 0)->data,
                               d->outer, d->axis_size, d->inner,
                               xai_op_output(ctx, 0)->data, d->out_bytes)
          : xai_arg_max_ref(xai_op_input(ctx, 0)->data, d->elem, d->outer,
                            d->axis_size, d->inner,
                            xai_op_output(ctx, 0)->data, d->out_bytes);
  if (st) return xai_op_fail(ctx, st, "arg_max kernel rejected its arguments");
  return XAI_OK;
}

static xai_status prepare_max(xai_op_ctx *ctx) { return prepare(ctx, 0); }
static xai_status prepare_min(xai_op_ctx *ctx) { return prepare(ctx, 1); }

const xai_op_registration xai_op_arg_max = {XAI_OP_ARG_MAX, NULL, prepare_max,
                                            eval, NULL};
const xai_op_registration xai_op_arg_min = {XAI_OP_ARG_MIN, NULL, prepare_min,
                                            eval, NULL};
