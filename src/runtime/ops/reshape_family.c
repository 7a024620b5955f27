/* RESHAPE, SQUEEZE, EXPAND_DIMS: the bytes stay as they are, only the shape
 * changes. Prepare checks the shape the model declares is the one the op
 * defines; eval copies (input and output are separate planned buffers). */
#include <stdio.h>
#include <string.h>

#include "xai/runtime.h"

static xai_status same_data(xai_op_ctx *ctx, xai_rt_tensor **in,
                            xai_rt_tensor **out) {
  *in = xai_op_input(ctx, 0);
  *out = xai_op_output(ctx, 0);
  if (!*in || !*out)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "needs an input and an output");
  if ((*in)->type != (*out)->type)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input tensor %d is %s but output tensor %d is %s",
                       (int)ctx->inputs[0], xai_tensor_type_name((*in)->type),
                       (int)ctx->outputs[0],
                       xai_tensor_type_name((*out)->type));
  if ((*in)->bytes != (*out)->bytes ||
      xai_rt_tensor_elements(*in) != xai_rt_tensor_elements(*out))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input tensor %d has %zu elements but output tensor "
                       "%d has %zu", (int)ctx->inputs[0],
                       xai_rt_tensor_elements(*in), (int)ctx->outputs[0],
                       xai_rt_tensor_elements(*out));
  return XAI_OK;
}

static xai_status shape_matches(xai_op_ctx *ctx, const xai_rt_tensor *out,
                                const int32_t *dims, uint32_t rank) {
  bool ok = out->rank == rank;
  for (uint32_t i = 0; ok && i < rank; i++) ok = out->dims[i] == dims[i];
  if (ok) return XAI_OK;
  char want[96], have[96];
  size_t a = 0, b = 0;
  want[0] = have[0] = '\0';
  for (uint32_t i = 0; i < rank && a < sizeof want; i++)
    a += (size_t)snprintf(want + a, sizeof want - a, "%s%d", i ? "," : "",
                          (int)dims[i]);
  for (uint32_t i = 0; i < out->rank && b < sizeof have; i++)
    b += (size_t)snprintf(have + b, sizeof have - b, "%s%d", i ? "," : "",
                          (int)out->dims[i]);
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "output tensor %d has shape [%s] but the op gives [%s]",
                     (int)ctx->outputs[0], have, want);
}

/* RESHAPE's target: the shape input if it is a constant, else the
 * new_shape option; one -1 takes the remaining elements. */
static xai_status reshape_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *out;
  xai_status st = same_data(ctx, &in, &out);
  if (st) return st;
  int32_t dims[XAI_MAX_DIMS];
  uint32_t rank = 0;
  const xai_rt_tensor *shape = xai_op_input(ctx, 1);
  if (shape && shape->mem == XAI_MEM_CONST && shape->type == XAI_TYPE_INT32) {
    size_t n = xai_rt_tensor_elements(shape);
    if (n > XAI_MAX_DIMS)
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "shape has %zu dims", n);
    for (size_t i = 0; i < n; i++) dims[i] = ((const int32_t *)shape->data)[i];
    rank = (uint32_t)n;
  } else if (ctx->options->type == XAI_OPTS_RESHAPE &&
             ctx->options->u.reshape.new_shape.count > 0) {
    rank = (uint32_t)ctx->options->u.reshape.new_shape.count;
    if (rank > XAI_MAX_DIMS) rank = XAI_MAX_DIMS;
    memcpy(dims, ctx->options->u.reshape.new_shape.values,
           rank * sizeof(int32_t));
  } else {
    return XAI_OK; /* the output tensor's own shape is all there is */
  }
  size_t known = 1;
  int wild = -1;
  for (uint32_t i = 0; i < rank; i++) {
    if (dims[i] == -1 && wild < 0) {
      wild = (int)i;
    } else if (dims[i] < 0) {
      return xai_op_fail(ctx, XAI_ERR_FORMAT, "target shape has dim %d",
                         (int)dims[i]);
    } else {
      known *= (size_t)dims[i];
    }
  }
  size_t elems = xai_rt_tensor_elements(in);
  if (wild >= 0) dims[wild] = known ? (int32_t)(elems / known) : 0;
  /* A new_shape of [] (scalar) or a 1-element [-1] with rank-0 output are
   * all valid spellings of "same data"; compare when ranks agree. */
  if (rank == 0 && elems == 1) return XAI_OK;
  return shape_matches(ctx, out, dims, rank);
}

static xai_status squeeze_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *out;
  xai_status st = same_data(ctx, &in, &out);
  if (st) return st;
  bool drop[XAI_MAX_DIMS] = {false};
  const xai_int_list *sq = &ctx->options->u.squeeze.squeeze_dims;
  bool listed = ctx->options->type == XAI_OPTS_SQUEEZE && sq->count > 0;
  for (uint32_t i = 0; i < in->rank; i++) drop[i] = !listed && in->dims[i] == 1;
  for (int32_t k = 0; listed && k < sq->count && k < XAI_MAX_OPTION_INTS; k++) {
    int32_t a = sq->values[k];
    if (a < 0) a += (int32_t)in->rank;
    if (a < 0 || a >= (int32_t)in->rank || in->dims[a] != 1)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "squeeze_dims has %d, not a size-1 dim of the "
                         "input", (int)sq->values[k]);
    drop[a] = true;
  }
  int32_t dims[XAI_MAX_DIMS];
  uint32_t rank = 0;
  for (uint32_t i = 0; i < in->rank; i++)
    if (!drop[i]) dims[rank++] = in->dims[i];
  return shape_matches(ctx, out, dims, rank);
}

static xai_status expand_dims_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *out;
  xai_status st = same_data(ctx, &in, &out);
  if (st) return st;
  const xai_rt_tensor *axis_t = xai_op_input(ctx, 1);
  if (!axis_t || axis_t->mem != XAI_MEM_CONST ||
      xai_rt_tensor_elements(axis_t) != 1)
    return XAI_OK; /* axis computed at run time: trust the output shape */
  int64_t axis;
  if (axis_t->type == XAI_TYPE_INT32)
    axis = ((const int32_t *)axis_t->data)[0];
  else if (axis_t->type == XAI_TYPE_INT64)
    memcpy(&axis, axis_t->data, sizeof axis);
  else
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "axis tensor %d is %s",
                       (int)ctx->inputs[1], xai_tensor_type_name(axis_t->type));
  if (axis < 0) axis += (int64_t)in->rank + 1;
  if (axis < 0 || axis > (int64_t)in->rank || in->rank >= XAI_MAX_DIMS)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "axis %lld is out of range",
                       (long long)axis);
  int32_t dims[XAI_MAX_DIMS];
  uint32_t rank = 0;
  for (uint32_t i = 0; i <= in->rank; i++) {
    if (i == (uint32_t)axis) dims[rank++] = 1;
    if (i < in->rank) dims[rank++] = in->dims[i];
  }
  return shape_matches(ctx, out, dims, rank);
}

static xai_status copy_eval(xai_op_ctx *ctx) {
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  if (out->bytes && in->data != out->data)
    memmove(out->data, in->data, out->bytes);
  return XAI_OK;
}

const xai_op_registration xai_op_reshape = {XAI_OP_RESHAPE, NULL,
                                            reshape_prepare, copy_eval, NULL};
const xai_op_registration xai_op_squeeze = {XAI_OP_SQUEEZE, NULL,
                                            squeeze_prepare, copy_eval, NULL};
const xai_op_registration xai_op_expand_dims = {
    XAI_OP_EXPAND_DIMS, NULL, expand_dims_prepare, copy_eval, NULL};
