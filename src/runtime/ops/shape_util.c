/* Helpers shared by the shape-family op adapters. */
#include <stdio.h>
#include <string.h>

#include "shape_internal.h"

size_t xai_shape_op_elem_size(int8_t type) {
  switch (type) {
    case XAI_TYPE_INT8: case XAI_TYPE_UINT8: case XAI_TYPE_BOOL:
      return 1;
    case XAI_TYPE_INT16: case XAI_TYPE_UINT16: case XAI_TYPE_FLOAT16:
    case XAI_TYPE_BFLOAT16:
      return 2;
    case XAI_TYPE_INT32: case XAI_TYPE_UINT32: case XAI_TYPE_FLOAT32:
      return 4;
    case XAI_TYPE_INT64: case XAI_TYPE_UINT64: case XAI_TYPE_FLOAT64:
      return 8;
    default:
      return 0;
  }
}

xai_status xai_shape_op_input(xai_op_ctx *ctx, uint32_t i, const char *what,
                              xai_rt_tensor **out) {
  *out = xai_op_input(ctx, i);
  if (!*out)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input %u (%s) is missing; the op needs it", i, what);
  return XAI_OK;
}

xai_status xai_shape_op_output(xai_op_ctx *ctx, uint32_t i,
                               xai_rt_tensor **out) {
  *out = xai_op_output(ctx, i);
  if (!*out)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "output %u is missing", i);
  return XAI_OK;
}

xai_status xai_shape_op_shape(xai_op_ctx *ctx, const xai_rt_tensor *t,
                              const char *what, xai_shape *out) {
  if (t->rank > XAI_SHAPE_MAX_RANK)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "%s has rank %u; at most %d is supported", what,
                       t->rank, XAI_SHAPE_MAX_RANK);
  out->rank = (int32_t)t->rank;
  for (uint32_t d = 0; d < t->rank; d++) out->dims[d] = t->dims[d];
  return XAI_OK;
}

xai_status xai_shape_op_read_ints(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                  const char *what, int32_t *values,
                                  size_t max, size_t *n) {
  if (t->type != XAI_TYPE_INT32 && t->type != XAI_TYPE_INT64)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "%s tensor '%s' is %s; expected INT32 or INT64", what,
                       xai_op_tensor_name(ctx, t), xai_tensor_type_name(t->type));
  const size_t count = xai_rt_tensor_elements(t);
  if (count > max)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "%s tensor has %zu values; at most %zu are supported",
                       what, count, max);
  const size_t bytes = t->type == XAI_TYPE_INT64 ? 8 : 4;
  if (count > 0 && (!t->data || t->bytes < count * bytes))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s tensor has no data", what);
  for (size_t i = 0; i < count; i++) {
    if (bytes == 4) {
      memcpy(&values[i], (const uint8_t *)t->data + i * 4, 4);
    } else {
      int64_t v;
      memcpy(&v, (const uint8_t *)t->data + i * 8, 8);
      if (v < INT32_MIN || v > INT32_MAX)
        return xai_op_fail(ctx, XAI_ERR_RANGE,
                           "%s value %lld at %zu does not fit in int32", what,
                           (long long)v, i);
      values[i] = (int32_t)v;
    }
  }
  *n = count;
  return XAI_OK;
}

xai_status xai_shape_op_check_dims(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                   const char *what, const xai_shape *want) {
  bool same = (int32_t)t->rank == want->rank;
  for (int32_t d = 0; same && d < want->rank; d++)
    same = t->dims[d] == want->dims[d];
  if (same) return XAI_OK;
  char got_s[96] = "", want_s[96] = "";
  size_t g = 0, w = 0;
  for (uint32_t d = 0; d < t->rank && g < sizeof got_s; d++)
    g += (size_t)snprintf(got_s + g, sizeof got_s - g, d ? ",%d" : "%d",
                          (int)t->dims[d]);
  for (int32_t d = 0; d < want->rank && w < sizeof want_s; d++)
    w += (size_t)snprintf(want_s + w, sizeof want_s - w, d ? ",%d" : "%d",
                          (int)want->dims[d]);
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "%s '%s' has shape [%s] but the op computes [%s]; the "
                     "model's shapes are inconsistent",
                     what, xai_op_tensor_name(ctx, t), got_s, want_s);
}

xai_status xai_shape_op_same_type(xai_op_ctx *ctx, const xai_rt_tensor *a,
                                  const char *a_what, const xai_rt_tensor *b,
                                  const char *b_what) {
  if (a->type == b->type) return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s is %s but %s is %s; they must match",
                     a_what, xai_tensor_type_name(a->type), b_what,
                     xai_tensor_type_name(b->type));
}

xai_status xai_shape_op_axis(xai_op_ctx *ctx, int32_t axis, int32_t rank,
                             int32_t *out) {
  int32_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "axis %d is out of range for rank %d", (int)axis,
                       (int)rank);
  *out = a;
  return XAI_OK;
}
