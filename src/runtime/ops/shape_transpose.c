/* TRANSPOSE (TFLite transpose.cc): constant perm, up to 6-D. */
#include <string.h>

#include "shape_internal.h"

typedef struct {
  size_t elem;
  int32_t perm[XAI_SHAPE_MAX_RANK];
} transpose_data;

static xai_status prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *perm, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_input(ctx, 1, "perm", &perm);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_shape_op_same_type(ctx, in, "input", out, "output");
  if (st) return st;
  if (in->rank > 6)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input has rank %u; TFLite transposes up to 6-D",
                       in->rank);
  if (!xai_shape_op_is_const(perm))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "perm must be constant");
  transpose_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  d->elem = xai_shape_op_elem_size(in->type);
  if (!d->elem)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "type %s is not supported",
                       xai_tensor_type_name(in->type));
  size_t n;
  st = xai_shape_op_read_ints(ctx, perm, "perm", d->perm, XAI_SHAPE_MAX_RANK,
                              &n);
  if (st) return st;
  if (n != in->rank)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "perm has %zu values for a rank-%u input", n, in->rank);
  xai_shape want = {(int32_t)in->rank, {0}};
  uint32_t seen = 0;
  for (uint32_t k = 0; k < in->rank; k++) {
    int32_t p = d->perm[k];
    /* TFLite accepts negative perm entries counted from the end. */
    if (p < 0) p += (int32_t)in->rank;
    if (p < 0 || p >= (int32_t)in->rank || (seen & (1u << p)))
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "perm is not a permutation of 0..%u", in->rank - 1);
    seen |= 1u << p;
    d->perm[k] = p;
    want.dims[k] = in->dims[p];
  }
  return xai_shape_op_check_dims(ctx, out, "output", &want);
}

static xai_status eval(xai_op_ctx *ctx) {
  transpose_data *d = ctx->data;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  xai_shape s;
  xai_status st = xai_shape_op_shape(ctx, in, "input", &s);
  if (st) return st;
  st = xai_transpose_ref(&s, d->perm, in->data, d->elem,
                         xai_op_output(ctx, 0)->data);
  if (st) return xai_op_fail(ctx, st, "transpose kernel rejected its arguments");
  return XAI_OK;
}

const xai_op_registration xai_op_transpose = {XAI_OP_TRANSPOSE, NULL, prepare,
                                              eval, NULL};
