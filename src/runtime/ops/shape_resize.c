/* RESIZE_NEAREST_NEIGHBOR (any element type) and RESIZE_BILINEAR
 * (float32/int8/int16) over NHWC, TFLite resize_*.cc. The size tensor must be
 * constant: the output shape is static here. */
#include <string.h>

#include "shape_internal.h"

typedef struct {
  size_t elem;
  xai_resize_params p;
} resize_data;

static xai_status prepare_common(xai_op_ctx *ctx, bool bilinear) {
  xai_rt_tensor *in, *size, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_input(ctx, 1, "size", &size);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_shape_op_same_type(ctx, in, "input", out, "output");
  if (st) return st;
  if (in->rank != 4)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input has rank %u; resize needs NHWC (4-D)", in->rank);
  if (size->type != XAI_TYPE_INT32 || !xai_shape_op_is_const(size))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "size must be a constant INT32 tensor");
  int32_t hw[2];
  size_t n;
  st = xai_shape_op_read_ints(ctx, size, "size", hw, 2, &n);
  if (st) return st;
  if (n != 2 || hw[0] <= 0 || hw[1] <= 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "size must hold two positive values (height, width)");
  resize_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  bool align, half;
  if (bilinear) {
    align = ctx->options->u.resize_bilinear.align_corners;
    half = ctx->options->u.resize_bilinear.half_pixel_centers;
    if (in->type != XAI_TYPE_INT8 && in->type != XAI_TYPE_INT16 &&
        in->type != XAI_TYPE_FLOAT32)
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "input is %s; expected FLOAT32, INT8 or INT16",
                         xai_tensor_type_name(in->type));
    if (align && half)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "align_corners and half_pixel_centers are both set; "
                         "TFLite allows at most one");
  } else {
    align = ctx->options->u.resize_nearest_neighbor.align_corners;
    half = ctx->options->u.resize_nearest_neighbor.half_pixel_centers;
  }
  d->elem = xai_shape_op_elem_size(in->type);
  if (!d->elem)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "type %s is not supported",
                       xai_tensor_type_name(in->type));
  d->p = (xai_resize_params){in->dims[0], in->dims[1], in->dims[2],
                             in->dims[3], hw[0],       hw[1],
                             align,       half};
  if (in->dims[1] <= 0 || in->dims[2] <= 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "input height and width must be > 0");
  xai_shape want = {4, {in->dims[0], hw[0], hw[1], in->dims[3]}};
  return xai_shape_op_check_dims(ctx, out, "output", &want);
}

static xai_status nearest_prepare(xai_op_ctx *ctx) {
  return prepare_common(ctx, false);
}
static xai_status bilinear_prepare(xai_op_ctx *ctx) {
  return prepare_common(ctx, true);
}

static xai_status nearest_eval(xai_op_ctx *ctx) {
  resize_data *d = ctx->data;
  xai_status st = xai_resize_nearest_ref(&d->p, xai_op_input(ctx, 0)->data,
                                         d->elem, xai_op_output(ctx, 0)->data);
  if (st) return xai_op_fail(ctx, st, "resize kernel rejected its arguments");
  return XAI_OK;
}

static xai_status bilinear_eval(xai_op_ctx *ctx) {
  resize_data *d = ctx->data;
  const void *in = xai_op_input(ctx, 0)->data;
  void *out = xai_op_output(ctx, 0)->data;
  xai_status st = d->elem == 1   ? xai_resize_bilinear_s8_ref(&d->p, in, out)
                  : d->elem == 2 ? xai_resize_bilinear_s16_ref(&d->p, in, out)
                                 : xai_resize_bilinear_f32_ref(&d->p, in, out);
  if (st) return xai_op_fail(ctx, st, "resize kernel rejected its arguments");
  return XAI_OK;
}

const xai_op_registration xai_op_resize_nearest_neighbor = {
    XAI_OP_RESIZE_NEAREST_NEIGHBOR, NULL, nearest_prepare, nearest_eval, NULL};
const xai_op_registration xai_op_resize_bilinear = {
    XAI_OP_RESIZE_BILINEAR, NULL, bilinear_prepare, bilinear_eval, NULL};
