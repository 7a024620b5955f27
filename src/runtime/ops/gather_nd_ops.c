/* GATHER_ND, EMBEDDING_LOOKUP, DYNAMIC_UPDATE_SLICE (TFLite Micro
 * gather_nd.cc, embedding_lookup.cc, dynamic_update_slice.cc). */
#include <string.h>

#include "elementwise_internal.h"
#include "shape_internal.h"
#include "xai/kernels_ref/movement.h"

typedef struct {
  size_t elem, n_idx, row_elems;
  int32_t depth, rows;
  int index_bytes, hybrid;
  xai_shape params, update;
} gnd_data;

static const int8_t k_gnd[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8};
static const int8_t k_i32[] = {XAI_TYPE_INT32};
static const int8_t k_i32_i64[] = {XAI_TYPE_INT32, XAI_TYPE_INT64};
static const int8_t k_emb[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8};
static const int8_t k_dus[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                               XAI_TYPE_INT16, XAI_TYPE_INT32};

static xai_status gather_nd_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *p, *idx, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "params", &p);
  if (!st) st = xai_shape_op_input(ctx, 1, "indices", &idx);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, p, "params", k_gnd, 2);
  if (!st) st = xai_ew_check_type(ctx, idx, "indices", k_i32, 1);
  if (!st) st = xai_shape_op_same_type(ctx, p, "params", out, "output");
  if (st) return st;
  gnd_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  if ((st = xai_shape_op_shape(ctx, p, "params", &d->params))) return st;
  if (idx->rank < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "indices must have rank >= 1");
  d->depth = idx->dims[idx->rank - 1];
  if (d->depth > d->params.rank)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "index depth %d exceeds the params rank %d",
                       (int)d->depth, (int)d->params.rank);
  d->elem = xai_shape_op_elem_size(p->type);
  d->index_bytes = 4;
  d->n_idx = xai_rt_tensor_elements(idx) / (size_t)(d->depth ? d->depth : 1);
  xai_shape want = {0, {0}};
  for (uint32_t k = 0; k + 1 < idx->rank; k++) want.dims[want.rank++] = idx->dims[k];
  for (int32_t k = d->depth; k < d->params.rank; k++)
    want.dims[want.rank++] = d->params.dims[k];
  return xai_shape_op_check_dims(ctx, out, "output", &want);
}

static xai_status gather_nd_eval(xai_op_ctx *ctx) {
  const gnd_data *d = ctx->data;
  if (xai_gather_nd_ref(&d->params, xai_op_input(ctx, 1)->data, d->index_bytes,
                        d->n_idx, d->depth, d->elem,
                        xai_op_input(ctx, 0)->data,
                        xai_op_output(ctx, 0)->data))
    return xai_op_fail(ctx, XAI_ERR_RANGE, "an index is outside params");
  return XAI_OK;
}

static xai_status embedding_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *ids, *v, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "ids", &ids);
  if (!st) st = xai_shape_op_input(ctx, 1, "value", &v);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, ids, "ids", k_i32, 1);
  if (!st) st = xai_ew_check_type(ctx, v, "value", k_emb, 2);
  if (!st) st = xai_ew_check_type(ctx, out, "output", k_emb, 2);
  if (st) return st;
  if (ids->rank != 1 || v->rank < 2)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "ids must be 1-D and value at least 2-D");
  gnd_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->hybrid = v->type == XAI_TYPE_INT8 && out->type == XAI_TYPE_FLOAT32;
  if (!d->hybrid &&
      (st = xai_shape_op_same_type(ctx, v, "value", out, "output")))
    return st;
  if (d->hybrid && !v->quant_count)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "int8 value has no scale");
  d->rows = v->dims[0];
  d->n_idx = (size_t)ids->dims[0];
  d->row_elems = xai_rt_tensor_elements(v) / (size_t)(d->rows ? d->rows : 1);
  d->elem = xai_shape_op_elem_size(v->type);
  xai_shape want;
  if ((st = xai_shape_op_shape(ctx, v, "value", &want))) return st;
  want.dims[0] = ids->dims[0];
  return xai_shape_op_check_dims(ctx, out, "output", &want);
}

static xai_status embedding_eval(xai_op_ctx *ctx) {
  const gnd_data *d = ctx->data;
  const xai_rt_tensor *v = xai_op_input(ctx, 1);
  const int32_t *ids = xai_op_input(ctx, 0)->data;
  void *out = xai_op_output(ctx, 0)->data;
  xai_status st =
      d->hybrid ? xai_embedding_lookup_s8_f32_ref(ids, d->n_idx, d->rows,
                                                  d->row_elems, v->data,
                                                  &v->scale, 1, out)
                : xai_embedding_lookup_ref(ids, d->n_idx, d->rows,
                                           d->row_elems * d->elem, v->data,
                                           out);
  if (st) return xai_op_fail(ctx, st, "an id is outside the %d rows",
                             (int)d->rows);
  return XAI_OK;
}

static xai_status dus_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *op, *upd, *start, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "operand", &op);
  if (!st) st = xai_shape_op_input(ctx, 1, "update", &upd);
  if (!st) st = xai_shape_op_input(ctx, 2, "start_indices", &start);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, op, "operand", k_dus, 4);
  if (!st) st = xai_shape_op_same_type(ctx, op, "operand", upd, "update");
  if (!st) st = xai_shape_op_same_type(ctx, op, "operand", out, "output");
  if (!st) st = xai_ew_check_type(ctx, start, "start_indices", k_i32_i64, 2);
  if (st) return st;
  gnd_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  if ((st = xai_shape_op_shape(ctx, op, "operand", &d->params)) ||
      (st = xai_shape_op_shape(ctx, upd, "update", &d->update)))
    return st;
  if (d->update.rank != d->params.rank ||
      xai_rt_tensor_elements(start) != (size_t)d->params.rank)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "update and start_indices must match the operand's "
                       "rank %d", (int)d->params.rank);
  for (int32_t k = 0; k < d->params.rank; k++)
    if (d->update.dims[k] > d->params.dims[k])
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "update dimension %d is larger than the operand's",
                         (int)k);
  d->elem = xai_shape_op_elem_size(op->type);
  d->index_bytes = start->type == XAI_TYPE_INT64 ? 8 : 4;
  return xai_shape_op_check_dims(ctx, out, "output", &d->params);
}

static xai_status dus_eval(xai_op_ctx *ctx) {
  const gnd_data *d = ctx->data;
  const uint8_t *s = xai_op_input(ctx, 2)->data;
  int64_t start[XAI_SHAPE_MAX_RANK];
  for (int32_t k = 0; k < d->params.rank; k++) {
    if (d->index_bytes == 8) {
      memcpy(&start[k], s + 8 * k, 8);
    } else {
      int32_t v;
      memcpy(&v, s + 4 * k, 4);
      start[k] = v;
    }
  }
  xai_dynamic_update_slice_ref(&d->params, &d->update, start, d->elem,
                               xai_op_input(ctx, 0)->data,
                               xai_op_input(ctx, 1)->data,
                               xai_op_output(ctx, 0)->data);
  return XAI_OK;
}

const xai_op_registration xai_op_gather_nd = {
    XAI_OP_GATHER_ND, NULL, gather_nd_prepare, gather_nd_eval, NULL};
const xai_op_registration xai_op_embedding_lookup = {
    XAI_OP_EMBEDDING_LOOKUP, NULL, embedding_prepare, embedding_eval, NULL};
const xai_op_registration xai_op_dynamic_update_slice = {
    XAI_OP_DYNAMIC_UPDATE_SLICE, NULL, dus_prepare, dus_eval, NULL};
