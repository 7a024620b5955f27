/* CONCATENATION and PACK (TFLite concatenation.cc, pack.cc): block copies
 * along one axis. int8 CONCATENATION needs every input quantized exactly as
 * the output (TFLite refuses to rescale: LiteRT 2.3 fails such a model in
 * prepare); int16 needs zero points of 0. */
#include <string.h>

#include "shape_internal.h"

typedef struct {
  uint32_t count;
  int32_t outer, inner;
  size_t elem;
  int32_t *axis_sizes;
  const void **inputs; /* filled at eval: arena data moves with planning */
} concat_data;

static xai_status alloc_data(xai_op_ctx *ctx, uint32_t count,
                             concat_data **out) {
  concat_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  int32_t *sizes = xai_op_alloc_persistent(ctx, count * sizeof(int32_t) + 1);
  const void **ins = xai_op_alloc_persistent(ctx, count * sizeof(void *) + 1);
  if (!d || !sizes || !ins)
    return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  d->count = count;
  d->axis_sizes = sizes;
  d->inputs = ins;
  ctx->data = d;
  *out = d;
  return XAI_OK;
}

static xai_status concat_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *out, *t0;
  xai_status st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_shape_op_input(ctx, 0, "input 0", &t0);
  if (st) return st;
  const xai_concatenation_options *o = &ctx->options->u.concatenation;
  if (o->fused_activation_function != XAI_ACT_NONE)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "fused activation %d is not supported (TFLite "
                       "requires NONE)",
                       (int)o->fused_activation_function);
  int32_t axis;
  st = xai_shape_op_axis(ctx, o->axis, (int32_t)t0->rank, &axis);
  if (st) return st;
  concat_data *d;
  st = alloc_data(ctx, ctx->input_count, &d);
  if (st) return st;
  d->elem = xai_shape_op_elem_size(t0->type);
  if (!d->elem)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "type %s is not supported",
                       xai_tensor_type_name(t0->type));
  st = xai_shape_op_same_type(ctx, t0, "input 0", out, "output");
  if (st) return st;
  xai_shape want;
  st = xai_shape_op_shape(ctx, t0, "input 0", &want);
  if (st) return st;
  want.dims[axis] = 0;
  for (uint32_t i = 0; i < ctx->input_count; i++) {
    xai_rt_tensor *t;
    st = xai_shape_op_input(ctx, i, "value", &t);
    if (!st) st = xai_shape_op_same_type(ctx, t, "an input", t0, "input 0");
    if (st) return st;
    if (t->rank != t0->rank)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "input %u has rank %u but input 0 has rank %u", i,
                         t->rank, t0->rank);
    for (int32_t k = 0; k < want.rank; k++)
      if (k != axis && t->dims[k] != t0->dims[k])
        return xai_op_fail(ctx, XAI_ERR_FORMAT,
                           "input %u has %d at axis %d but input 0 has %d", i,
                           (int)t->dims[k], (int)k, (int)t0->dims[k]);
    if (t->type == XAI_TYPE_INT8 &&
        (t->scale != out->scale || t->zero_point != out->zero_point))
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "int8 input %u has scale %g zero point %d but the "
                         "output has %g, %d; TFLite's int8 CONCATENATION "
                         "does not rescale (requantize the input first)",
                         i, t->scale, (int)t->zero_point, out->scale,
                         (int)out->zero_point);
    if (t->type == XAI_TYPE_INT16 && t->zero_point != 0)
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "int16 input %u has zero point %d; it must be 0", i,
                         (int)t->zero_point);
    d->axis_sizes[i] = t->dims[axis];
    want.dims[axis] += t->dims[axis];
  }
  if (out->type == XAI_TYPE_INT16 && out->zero_point != 0)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "int16 output has zero point %d; it must be 0",
                       (int)out->zero_point);
  d->outer = 1, d->inner = 1;
  for (int32_t k = 0; k < axis; k++) d->outer *= want.dims[k];
  for (int32_t k = axis + 1; k < want.rank; k++) d->inner *= want.dims[k];
  return xai_shape_op_check_dims(ctx, out, "output", &want);
}

static xai_status pack_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *out, *t0;
  xai_status st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_shape_op_input(ctx, 0, "input 0", &t0);
  if (st) return st;
  const xai_pack_options *o = &ctx->options->u.pack;
  if (o->values_count != (int32_t)ctx->input_count)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "values_count is %d but the op has %u inputs",
                       (int)o->values_count, ctx->input_count);
  int32_t axis;
  st = xai_shape_op_axis(ctx, o->axis, (int32_t)t0->rank + 1, &axis);
  if (st) return st;
  if (t0->rank + 1 > XAI_SHAPE_MAX_RANK)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "input rank %u is too large",
                       t0->rank);
  concat_data *d;
  st = alloc_data(ctx, ctx->input_count, &d);
  if (!st) st = xai_shape_op_same_type(ctx, t0, "input 0", out, "output");
  if (st) return st;
  d->elem = xai_shape_op_elem_size(t0->type);
  if (!d->elem)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "type %s is not supported",
                       xai_tensor_type_name(t0->type));
  for (uint32_t i = 0; i < ctx->input_count; i++) {
    xai_rt_tensor *t;
    st = xai_shape_op_input(ctx, i, "value", &t);
    if (!st) st = xai_shape_op_same_type(ctx, t, "an input", t0, "input 0");
    if (st) return st;
    bool same = t->rank == t0->rank;
    for (uint32_t k = 0; same && k < t->rank; k++)
      same = t->dims[k] == t0->dims[k];
    if (!same)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "input %u's shape differs from input 0's; PACK "
                         "needs equal shapes",
                         i);
    d->axis_sizes[i] = 1;
  }
  xai_shape want = {(int32_t)t0->rank + 1, {0}};
  d->outer = 1, d->inner = 1;
  for (int32_t k = 0, j = 0; k < want.rank; k++) {
    if (k == axis) {
      want.dims[k] = (int32_t)ctx->input_count;
      continue;
    }
    want.dims[k] = t0->dims[j++];
    if (k < axis) d->outer *= want.dims[k];
    else d->inner *= want.dims[k];
  }
  return xai_shape_op_check_dims(ctx, out, "output", &want);
}

static xai_status eval(xai_op_ctx *ctx) {
  concat_data *d = ctx->data;
  for (uint32_t i = 0; i < d->count; i++)
    d->inputs[i] = xai_op_input(ctx, i)->data;
  xai_status st = xai_concat_ref(d->count, d->inputs, d->axis_sizes, d->outer,
                                 d->inner, d->elem, xai_op_output(ctx, 0)->data);
  if (st) return xai_op_fail(ctx, st, "concat kernel rejected its arguments");
  return XAI_OK;
}

const xai_op_registration xai_op_concatenation = {XAI_OP_CONCATENATION, NULL,
                                                  concat_prepare, eval, NULL};
const xai_op_registration xai_op_pack = {XAI_OP_PACK, NULL, pack_prepare,
                                         eval, NULL};
