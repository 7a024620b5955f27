/* SPLIT, SPLIT_V and UNPACK (TFLite split.cc, split_v.cc, unpack.cc). Note
 * SPLIT's axis is input 0 and the data input 1; SPLIT_V has (input,
 * size_splits, axis). Axis and sizes must be constant here. */
#include <string.h>

#include "shape_internal.h"

typedef struct {
  uint32_t count;
  int32_t outer, inner;
  size_t elem;
  int32_t *sizes;
  void **outputs; /* filled at eval */
  uint32_t data_input;
} split_data;

/* Common tail: allocates the op data and checks each output's shape, which
 * is the input's with the axis replaced by sizes[i] (or dropped: UNPACK). */
static xai_status finish(xai_op_ctx *ctx, const xai_rt_tensor *in,
                         uint32_t data_input, int32_t axis,
                         const int32_t *sizes, uint32_t count, bool drop_axis) {
  if (ctx->output_count != count)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the op has %u outputs but splits into %u",
                       ctx->output_count, count);
  split_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  int32_t *sz = xai_op_alloc_persistent(ctx, count * sizeof(int32_t) + 1);
  void **outs = xai_op_alloc_persistent(ctx, count * sizeof(void *) + 1);
  if (!d || !sz || !outs)
    return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  d->count = count, d->sizes = sz, d->outputs = outs;
  d->data_input = data_input;
  d->elem = xai_shape_op_elem_size(in->type);
  if (!d->elem)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "type %s is not supported",
                       xai_tensor_type_name(in->type));
  d->outer = 1, d->inner = 1;
  for (int32_t k = 0; k < axis; k++) d->outer *= in->dims[k];
  for (uint32_t k = (uint32_t)axis + 1; k < in->rank; k++)
    d->inner *= in->dims[k];
  xai_shape s;
  xai_status st = xai_shape_op_shape(ctx, in, "input", &s);
  if (st) return st;
  for (uint32_t i = 0; i < count; i++) {
    xai_rt_tensor *out;
    st = xai_shape_op_output(ctx, i, &out);
    if (!st) st = xai_shape_op_same_type(ctx, out, "an output", in, "input");
    if (st) return st;
    sz[i] = sizes[i];
    xai_shape want = s;
    if (drop_axis) {
      want.rank--;
      for (int32_t k = axis; k < want.rank; k++) want.dims[k] = s.dims[k + 1];
    } else {
      want.dims[axis] = sizes[i];
    }
    st = xai_shape_op_check_dims(ctx, out, "output", &want);
    if (st) return st;
  }
  return XAI_OK;
}

static xai_status read_axis(xai_op_ctx *ctx, uint32_t slot, int32_t rank,
                            int32_t *axis) {
  xai_rt_tensor *t;
  xai_status st = xai_shape_op_input(ctx, slot, "axis", &t);
  if (st) return st;
  if (!xai_shape_op_is_const(t))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "axis tensor must be constant");
  int32_t v[1];
  size_t n;
  st = xai_shape_op_read_ints(ctx, t, "axis", v, 1, &n);
  if (st) return st;
  if (n != 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "axis tensor must hold one value");
  return xai_shape_op_axis(ctx, v[0], rank, axis);
}

static xai_status split_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in;
  xai_status st = xai_shape_op_input(ctx, 1, "input", &in);
  if (st) return st;
  int32_t axis;
  st = read_axis(ctx, 0, (int32_t)in->rank, &axis);
  if (st) return st;
  const int32_t num = ctx->options->u.split.num_splits;
  if (num <= 0 || in->dims[axis] % num != 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "num_splits %d does not divide axis %d of size %d",
                       (int)num, (int)axis, (int)in->dims[axis]);
  int32_t sizes[256];
  if (num > 256)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "num_splits %d > 256",
                       (int)num);
  for (int32_t i = 0; i < num; i++) sizes[i] = in->dims[axis] / num;
  return finish(ctx, in, 1, axis, sizes, (uint32_t)num, false);
}

static xai_status split_v_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *ss;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_input(ctx, 1, "size_splits", &ss);
  if (st) return st;
  int32_t axis;
  st = read_axis(ctx, 2, (int32_t)in->rank, &axis);
  if (st) return st;
  if (!xai_shape_op_is_const(ss))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "size_splits tensor must be constant");
  int32_t sizes[256];
  size_t n;
  st = xai_shape_op_read_ints(ctx, ss, "size_splits", sizes, 256, &n);
  if (st) return st;
  /* One -1 takes what the others leave (TFLite split_v.cc). */
  int64_t sum = 0;
  int minus_one = -1;
  for (size_t i = 0; i < n; i++) {
    if (sizes[i] == -1) {
      if (minus_one >= 0)
        return xai_op_fail(ctx, XAI_ERR_FORMAT,
                           "size_splits has more than one -1");
      minus_one = (int)i;
    } else if (sizes[i] < 0) {
      return xai_op_fail(ctx, XAI_ERR_FORMAT, "size_splits[%zu] is %d", i,
                         (int)sizes[i]);
    } else {
      sum += sizes[i];
    }
  }
  const int32_t dim = in->dims[axis];
  if (minus_one >= 0) {
    if (sum > dim)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "size_splits sum to %lld, more than axis size %d",
                         (long long)sum, (int)dim);
    sizes[minus_one] = dim - (int32_t)sum;
  } else if (sum != dim) {
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "size_splits sum to %lld but axis %d has size %d",
                       (long long)sum, (int)axis, (int)dim);
  }
  if ((int32_t)n != ctx->options->u.split.num_splits &&
      ctx->options->type == XAI_OPTS_SPLIT_V)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "num_splits is %d but size_splits has %zu values",
                       (int)ctx->options->u.split.num_splits, n);
  return finish(ctx, in, 0, axis, sizes, (uint32_t)n, false);
}

static xai_status unpack_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (st) return st;
  int32_t axis;
  st = xai_shape_op_axis(ctx, ctx->options->u.unpack.axis, (int32_t)in->rank,
                         &axis);
  if (st) return st;
  const int32_t num = in->dims[axis];
  if (ctx->options->u.unpack.num != num)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "num is %d but axis %d has size %d",
                       (int)ctx->options->u.unpack.num, (int)axis, (int)num);
  int32_t sizes[256];
  if (num > 256)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "num %d > 256", (int)num);
  for (int32_t i = 0; i < num; i++) sizes[i] = 1;
  return finish(ctx, in, 0, axis, sizes, (uint32_t)num, true);
}

static xai_status eval(xai_op_ctx *ctx) {
  split_data *d = ctx->data;
  for (uint32_t i = 0; i < d->count; i++)
    d->outputs[i] = xai_op_output(ctx, i)->data;
  xai_status st = xai_split_ref(xai_op_input(ctx, d->data_input)->data,
                                d->outer, d->inner, d->count, d->sizes,
                                d->outputs, d->elem);
  if (st) return xai_op_fail(ctx, st, "split kernel rejected its arguments");
  return XAI_OK;
}

const xai_op_registration xai_op_split = {XAI_OP_SPLIT, NULL, split_prepare,
                                          eval, NULL};
const xai_op_registration xai_op_split_v = {XAI_OP_SPLIT_V, NULL,
                                            split_v_prepare, eval, NULL};
const xai_op_registration xai_op_unpack = {XAI_OP_UNPACK, NULL,
                                           unpack_prepare, eval, NULL};
