/* PAD and PADV2 (TFLite pad.cc): constant padding; the pad value is the
 * output zero point for quantized PAD, the constant_values tensor for
 * PADV2. */
#include <string.h>

#include "shape_internal.h"

typedef struct {
  bool resolved; /* paddings were constant and read in prepare */
  size_t elem;
  int32_t before[XAI_SHAPE_MAX_RANK], after[XAI_SHAPE_MAX_RANK];
  uint8_t pad_value[8];
} pad_data;

/* Reads the paddings tensor ([rank, 2]) and checks the output shape. */
static xai_status resolve(xai_op_ctx *ctx, pad_data *d) {
  xai_rt_tensor *in = xai_op_input(ctx, 0), *pads = xai_op_input(ctx, 1);
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  xai_shape s, want;
  xai_status st = xai_shape_op_shape(ctx, in, "input", &s);
  if (st) return st;
  int32_t v[2 * XAI_SHAPE_MAX_RANK];
  size_t n = 0;
  st = xai_shape_op_read_ints(ctx, pads, "paddings", v, 2 * XAI_SHAPE_MAX_RANK,
                              &n);
  if (st) return st;
  if (pads->rank != 2 || pads->dims[0] != s.rank || pads->dims[1] != 2)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "paddings must have shape [%d, 2] for a rank-%d input",
                       (int)s.rank, (int)s.rank);
  want = s;
  for (int32_t i = 0; i < s.rank; i++) {
    d->before[i] = v[2 * i];
    d->after[i] = v[2 * i + 1];
    if (d->before[i] < 0 || d->after[i] < 0)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "padding of axis %d is (%d, %d); paddings must be "
                         ">= 0",
                         (int)i, (int)d->before[i], (int)d->after[i]);
    const int64_t padded = (int64_t)want.dims[i] + d->before[i] + d->after[i];
    if (padded > INT32_MAX)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "padding of axis %d is (%d, %d); the padded axis "
                         "would have %lld elements",
                         (int)i, (int)d->before[i], (int)d->after[i],
                         (long long)padded);
    want.dims[i] = (int32_t)padded;
  }
  return xai_shape_op_check_dims(ctx, out, "output", &want);
}

static xai_status prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *pads, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_input(ctx, 1, "paddings", &pads);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_shape_op_same_type(ctx, in, "input", out, "output");
  if (st) return st;
  pad_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  d->elem = xai_shape_op_elem_size(in->type);
  if (!d->elem)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "input type %s is not supported",
                       xai_tensor_type_name(in->type));
  if (in->rank > 5)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input has rank %u; TFLite pads at most 5-D tensors",
                       in->rank);
  const xai_rt_tensor *cv = xai_op_input(ctx, 2);
  const bool quantized = in->quant_count > 0 && (in->type == XAI_TYPE_INT8 ||
                                                 in->type == XAI_TYPE_INT16 ||
                                                 in->type == XAI_TYPE_UINT8);
  if (cv) {
    st = xai_shape_op_same_type(ctx, cv, "constant_values", in, "input");
    if (st) return st;
    if (xai_rt_tensor_elements(cv) != 1 || !xai_shape_op_is_const(cv) ||
        !cv->data)
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "constant_values must be a constant scalar");
    if (quantized &&
        (cv->zero_point != out->zero_point || cv->scale != out->scale))
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "constant_values is quantized with scale %g zero "
                         "point %d but the output with %g, %d; they must match",
                         cv->scale, (int)cv->zero_point, out->scale,
                         (int)out->zero_point);
    memcpy(d->pad_value, cv->data, d->elem);
  } else if (quantized) {
    /* Quantized PAD pads with the representation of real 0. */
    const int32_t zp = out->zero_point;
    if (in->type == XAI_TYPE_INT16) {
      if (zp < INT16_MIN || zp > INT16_MAX)
        return xai_op_fail(ctx, XAI_ERR_FORMAT, "zero point %d outside int16",
                           (int)zp);
      int16_t v = (int16_t)zp;
      memcpy(d->pad_value, &v, 2);
    } else if (in->type == XAI_TYPE_INT8) {
      if (zp < INT8_MIN || zp > INT8_MAX)
        return xai_op_fail(ctx, XAI_ERR_FORMAT, "zero point %d outside int8",
                           (int)zp);
      int8_t v = (int8_t)zp;
      memcpy(d->pad_value, &v, 1);
    } else {
      if (zp < 0 || zp > 255)
        return xai_op_fail(ctx, XAI_ERR_FORMAT, "zero point %d outside uint8",
                           (int)zp);
      d->pad_value[0] = (uint8_t)zp;
    }
  }
  if (xai_shape_op_is_const(pads)) {
    st = resolve(ctx, d);
    if (st) return st;
    d->resolved = true;
  }
  return XAI_OK;
}

static xai_status eval(xai_op_ctx *ctx) {
  pad_data *d = ctx->data;
  if (!d->resolved) {
    xai_status st = resolve(ctx, d);
    if (st) return st;
  }
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  xai_shape s;
  xai_status st = xai_shape_op_shape(ctx, in, "input", &s);
  if (st) return st;
  st = xai_pad_ref(&s, d->before, d->after, in->data, d->pad_value, d->elem,
                   out->data);
  if (st) return xai_op_fail(ctx, st, "pad kernel rejected its arguments");
  return XAI_OK;
}

const xai_op_registration xai_op_pad = {XAI_OP_PAD, NULL, prepare, eval, NULL};
const xai_op_registration xai_op_padv2 = {XAI_OP_PADV2, NULL, prepare, eval, NULL};
