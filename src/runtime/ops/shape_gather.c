/* GATHER (TFLite gather.cc) with axis and batch_dims; an index outside the
 * axis fails the invoke (TFLite returns an error from Eval). */
#include <string.h>

#include "shape_internal.h"

typedef struct {
  size_t elem;
  xai_gather_params p;
} gather_data;

static xai_status prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *idx, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "params", &in);
  if (!st) st = xai_shape_op_input(ctx, 1, "indices", &idx);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_shape_op_same_type(ctx, in, "params", out, "output");
  if (st) return st;
  if (idx->type != XAI_TYPE_INT32 && idx->type != XAI_TYPE_INT64)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "indices are %s; expected INT32 or INT64",
                       xai_tensor_type_name(idx->type));
  gather_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  d->elem = xai_shape_op_elem_size(in->type);
  if (!d->elem)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "type %s is not supported",
                       xai_tensor_type_name(in->type));
  int32_t axis, batch_dims = ctx->options->u.gather.batch_dims;
  st = xai_shape_op_axis(ctx, ctx->options->u.gather.axis, (int32_t)in->rank,
                         &axis);
  if (st) return st;
  if (batch_dims < 0) batch_dims += (int32_t)idx->rank;
  if (batch_dims < 0 || batch_dims > axis || batch_dims > (int32_t)idx->rank)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "batch_dims %d must be in [0, min(axis %d, indices "
                       "rank %u)]",
                       (int)ctx->options->u.gather.batch_dims, (int)axis,
                       idx->rank);
  xai_gather_params *p = &d->p;
  p->batch = 1, p->outer = 1, p->inner = 1, p->coord_count = 1;
  for (int32_t k = 0; k < batch_dims; k++) {
    if (in->dims[k] != idx->dims[k])
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "batch dim %d is %d in params but %d in indices",
                         (int)k, (int)in->dims[k], (int)idx->dims[k]);
    p->batch *= in->dims[k];
  }
  for (int32_t k = batch_dims; k < axis; k++) p->outer *= in->dims[k];
  for (uint32_t k = (uint32_t)axis + 1; k < in->rank; k++)
    p->inner *= in->dims[k];
  for (uint32_t k = (uint32_t)batch_dims; k < idx->rank; k++)
    p->coord_count *= idx->dims[k];
  p->axis_size = in->dims[axis];
  p->index_bytes = idx->type == XAI_TYPE_INT64 ? 8 : 4;
  /* Output: params[:axis] + indices[batch_dims:] + params[axis+1:]. */
  xai_shape want = {0, {0}};
  if (in->rank - 1 + idx->rank - (uint32_t)batch_dims > XAI_SHAPE_MAX_RANK)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "output rank is too large");
  for (int32_t k = 0; k < axis; k++) want.dims[want.rank++] = in->dims[k];
  for (uint32_t k = (uint32_t)batch_dims; k < idx->rank; k++)
    want.dims[want.rank++] = idx->dims[k];
  for (uint32_t k = (uint32_t)axis + 1; k < in->rank; k++)
    want.dims[want.rank++] = in->dims[k];
  return xai_shape_op_check_dims(ctx, out, "output", &want);
}

static xai_status eval(xai_op_ctx *ctx) {
  gather_data *d = ctx->data;
  xai_status st = xai_gather_ref(&d->p, xai_op_input(ctx, 0)->data,
                                 xai_op_input(ctx, 1)->data, d->elem,
                                 xai_op_output(ctx, 0)->data);
  if (st == XAI_ERR_RANGE)
    return xai_op_fail(ctx, st,
                       "an index is outside [0, %d) of the gathered axis; "
                       "check the indices input",
                       (int)d->p.axis_size);
  if (st) return xai_op_fail(ctx, st, "gather kernel rejected its arguments");
  return XAI_OK;
}

const xai_op_registration xai_op_gather = {XAI_OP_GATHER, NULL, prepare, eval, NULL};
