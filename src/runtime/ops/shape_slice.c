/* STRIDED_SLICE and SLICE (TFLite strided_slice.cc, slice.cc). Index
 * tensors that are constant are resolved once in prepare; others at each
 * eval, which then checks the declared output shape. */
#include <string.h>

#include "shape_internal.h"

typedef struct {
  bool resolved;
  size_t elem;
  xai_strided_slice_plan plan;
} strided_data;

static xai_status strided_resolve(xai_op_ctx *ctx, strided_data *d) {
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  const xai_rt_tensor *idx[3] = {xai_op_input(ctx, 1), xai_op_input(ctx, 2),
                                 xai_op_input(ctx, 3)};
  static const char *const names[3] = {"begin", "end", "strides"};
  int32_t v[3][32];
  size_t n[3];
  for (int k = 0; k < 3; k++) {
    if (idx[k]->type != XAI_TYPE_INT32)
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "%s tensor is %s; TFLite's STRIDED_SLICE takes INT32",
                         names[k], xai_tensor_type_name(idx[k]->type));
    if (idx[k]->rank != 1)
      return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s tensor must be 1-D",
                         names[k]);
    xai_status st = xai_shape_op_read_ints(ctx, idx[k], names[k], v[k], 31,
                                           &n[k]);
    if (st) return st;
  }
  if (n[0] != n[1] || n[0] != n[2])
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "begin, end and strides have %zu, %zu and %zu values; "
                       "they must match",
                       n[0], n[1], n[2]);
  xai_shape s;
  xai_status st = xai_shape_op_shape(ctx, in, "input", &s);
  if (st) return st;
  const xai_strided_slice_options *o = &ctx->options->u.strided_slice;
  xai_strided_slice_masks m = {o->begin_mask,    o->end_mask,
                               o->ellipsis_mask, o->new_axis_mask,
                               o->shrink_axis_mask, o->offset};
  xai_error kerr;
  xai_error_clear(&kerr);
  st = xai_strided_slice_plan_make(&s, v[0], v[1], v[2], (int32_t)n[0], &m,
                                   &d->plan, &kerr);
  if (st) return xai_op_fail(ctx, st, "%s", kerr.message);
  return xai_shape_op_check_dims(ctx, xai_op_output(ctx, 0), "output",
                                 &d->plan.out_shape);
}

static xai_status strided_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *t, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_input(ctx, 1, "begin", &t);
  if (!st) st = xai_shape_op_input(ctx, 2, "end", &t);
  if (!st) st = xai_shape_op_input(ctx, 3, "strides", &t);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_shape_op_same_type(ctx, in, "input", out, "output");
  if (st) return st;
  strided_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  d->elem = xai_shape_op_elem_size(in->type);
  if (!d->elem)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "type %s is not supported",
                       xai_tensor_type_name(in->type));
  if (xai_shape_op_is_const(xai_op_input(ctx, 1)) &&
      xai_shape_op_is_const(xai_op_input(ctx, 2)) &&
      xai_shape_op_is_const(xai_op_input(ctx, 3))) {
    st = strided_resolve(ctx, d);
    if (st) return st;
    d->resolved = true;
  }
  return XAI_OK;
}

static xai_status strided_eval(xai_op_ctx *ctx) {
  strided_data *d = ctx->data;
  if (!d->resolved) {
    xai_status st = strided_resolve(ctx, d);
    if (st) return st;
  }
  xai_status st = xai_strided_slice_ref(&d->plan, xai_op_input(ctx, 0)->data,
                                        d->elem, xai_op_output(ctx, 0)->data);
  if (st) return xai_op_fail(ctx, st, "strided slice kernel rejected its plan");
  return XAI_OK;
}

typedef struct {
  bool resolved;
  size_t elem;
  int32_t begin[XAI_SHAPE_MAX_RANK], size[XAI_SHAPE_MAX_RANK];
} slice_data;

static xai_status slice_resolve(xai_op_ctx *ctx, slice_data *d) {
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  size_t nb, ns;
  xai_status st = xai_shape_op_read_ints(ctx, xai_op_input(ctx, 1), "begin",
                                         d->begin, XAI_SHAPE_MAX_RANK, &nb);
  if (!st)
    st = xai_shape_op_read_ints(ctx, xai_op_input(ctx, 2), "size", d->size,
                                XAI_SHAPE_MAX_RANK, &ns);
  if (st) return st;
  if (nb != in->rank || ns != in->rank)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "begin and size need %u values (the input rank); they "
                       "have %zu and %zu",
                       in->rank, nb, ns);
  xai_shape want = {(int32_t)in->rank, {0}};
  for (uint32_t k = 0; k < in->rank; k++) {
    const int32_t dim = in->dims[k];
    /* size -1 means "to the end of the axis" (TFLite slice.cc). */
    if (d->size[k] == -1) d->size[k] = dim - d->begin[k];
    if (d->begin[k] < 0 || d->size[k] < 0 ||
        (int64_t)d->begin[k] + d->size[k] > dim)
      return xai_op_fail(ctx, XAI_ERR_RANGE,
                         "slice [%d, +%d) of axis %u is outside its size %d",
                         (int)d->begin[k], (int)d->size[k], k, (int)dim);
    want.dims[k] = d->size[k];
  }
  return xai_shape_op_check_dims(ctx, xai_op_output(ctx, 0), "output", &want);
}

static xai_status slice_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *b, *s, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_input(ctx, 1, "begin", &b);
  if (!st) st = xai_shape_op_input(ctx, 2, "size", &s);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_shape_op_same_type(ctx, in, "input", out, "output");
  if (st) return st;
  if (in->rank > 5)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input has rank %u; TFLite's SLICE supports up to 5",
                       in->rank);
  slice_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  d->elem = xai_shape_op_elem_size(in->type);
  if (!d->elem)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "type %s is not supported",
                       xai_tensor_type_name(in->type));
  if (xai_shape_op_is_const(b) && xai_shape_op_is_const(s)) {
    st = slice_resolve(ctx, d);
    if (st) return st;
    d->resolved = true;
  }
  return XAI_OK;
}

static xai_status slice_eval(xai_op_ctx *ctx) {
  slice_data *d = ctx->data;
  if (!d->resolved) {
    xai_status st = slice_resolve(ctx, d);
    if (st) return st;
  }
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  xai_shape s;
  xai_status st = xai_shape_op_shape(ctx, in, "input", &s);
  if (st) return st;
  st = xai_slice_ref(&s, d->begin, d->size, in->data, d->elem,
                     xai_op_output(ctx, 0)->data);
  if (st) return xai_op_fail(ctx, st, "slice kernel rejected its arguments");
  return XAI_OK;
}

const xai_op_registration xai_op_strided_slice = {
    XAI_OP_STRIDED_SLICE, NULL, strided_prepare, strided_eval, NULL};
const xai_op_registration xai_op_slice = {XAI_OP_SLICE, NULL, slice_prepare,
                                          slice_eval, NULL};
