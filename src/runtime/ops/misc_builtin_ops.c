/* SHAPE, FILL, BROADCAST_ARGS, CUMSUM, ADD_N, CAST (TFLite Micro shape.cc,
 * fill.cc, broadcast_args.cc, cumsum.cc, add_n.cc, cast.cc). */
#include <string.h>

#include "elementwise_internal.h"
#include "shape_internal.h"
#include "xai/kernels_ref/arith_quant.h"
#include "xai/kernels_ref/movement.h"

typedef struct {
  int8_t type, out_type;
  size_t count, elem;
  xai_shape shape;
  int32_t axis;
  int exclusive, reverse;
  xai_qsum_s8_params q; /* int8 ADD_N / CUMSUM */
} misc_data;

static misc_data *alloc_data(xai_op_ctx *ctx) {
  misc_data *d = xai_ew_alloc(ctx, sizeof *d);
  ctx->data = d;
  return d;
}

/* ---- SHAPE --------------------------------------------------------------- */
static const int8_t k_i32_i64[] = {XAI_TYPE_INT32, XAI_TYPE_INT64};
static const int8_t k_i32[] = {XAI_TYPE_INT32};

static xai_status shape_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, out, "output", k_i32, 1);
  if (st) return st;
  misc_data *d = alloc_data(ctx);
  if (!d) return XAI_ERR_NO_MEMORY;
  d->out_type = out->type;
  if ((st = xai_shape_op_shape(ctx, in, "input", &d->shape))) return st;
  const xai_shape want = {1, {d->shape.rank}};
  return xai_shape_op_check_dims(ctx, out, "output", &want);
}

static xai_status shape_eval(xai_op_ctx *ctx) {
  const misc_data *d = ctx->data;
  void *out = xai_op_output(ctx, 0)->data;
  for (int32_t k = 0; k < d->shape.rank; k++) {
    if (d->out_type == XAI_TYPE_INT64)
      ((int64_t *)out)[k] = d->shape.dims[k];
    else
      ((int32_t *)out)[k] = d->shape.dims[k];
  }
  return XAI_OK;
}

/* ---- FILL ---------------------------------------------------------------- */
static const int8_t k_fill[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                XAI_TYPE_INT32};

static xai_status fill_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *dims, *value, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "dims", &dims);
  if (!st) st = xai_shape_op_input(ctx, 1, "value", &value);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, dims, "dims", k_i32_i64, 2);
  if (!st) st = xai_ew_check_type(ctx, value, "value", k_fill, 3);
  if (!st) st = xai_shape_op_same_type(ctx, value, "value", out, "output");
  if (st) return st;
  if (xai_rt_tensor_elements(value) != 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "value must be a scalar");
  misc_data *d = alloc_data(ctx);
  if (!d) return XAI_ERR_NO_MEMORY;
  d->elem = xai_shape_op_elem_size(value->type);
  d->count = xai_rt_tensor_elements(out);
  if (xai_shape_op_is_const(dims)) {
    int32_t v[XAI_SHAPE_MAX_RANK];
    size_t n;
    if ((st = xai_shape_op_read_ints(ctx, dims, "dims", v, XAI_SHAPE_MAX_RANK,
                                     &n)))
      return st;
    xai_shape want = {(int32_t)n, {0}};
    memcpy(want.dims, v, n * sizeof v[0]);
    return xai_shape_op_check_dims(ctx, out, "output", &want);
  }
  return XAI_OK;
}

static xai_status fill_eval(xai_op_ctx *ctx) {
  const misc_data *d = ctx->data;
  const uint8_t *v = xai_op_input(ctx, 1)->data;
  uint8_t *out = xai_op_output(ctx, 0)->data;
  for (size_t i = 0; i < d->count; i++) memcpy(out + i * d->elem, v, d->elem);
  return XAI_OK;
}

/* ---- BROADCAST_ARGS ------------------------------------------------------ */
static int64_t int_at(const xai_rt_tensor *t, size_t i) {
  if (t->type == XAI_TYPE_INT64) return ((const int64_t *)t->data)[i];
  return ((const int32_t *)t->data)[i];
}

static xai_status bargs_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *a, *b, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "shape 1", &a);
  if (!st) st = xai_shape_op_input(ctx, 1, "shape 2", &b);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, a, "shape 1", k_i32_i64, 2);
  if (!st) st = xai_shape_op_same_type(ctx, a, "shape 1", b, "shape 2");
  if (!st) st = xai_shape_op_same_type(ctx, a, "shape 1", out, "output");
  if (st) return st;
  const size_t na = xai_rt_tensor_elements(a), nb = xai_rt_tensor_elements(b);
  const xai_shape want = {1, {(int32_t)(na > nb ? na : nb)}};
  return xai_shape_op_check_dims(ctx, out, "output", &want);
}

static xai_status bargs_eval(xai_op_ctx *ctx) {
  const xai_rt_tensor *a = xai_op_input(ctx, 0), *b = xai_op_input(ctx, 1);
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  const size_t na = xai_rt_tensor_elements(a), nb = xai_rt_tensor_elements(b);
  const size_t n = na > nb ? na : nb;
  for (size_t k = 0; k < n; k++) {
    const int64_t x = k + na >= n ? int_at(a, k + na - n) : 1;
    const int64_t y = k + nb >= n ? int_at(b, k + nb - n) : 1;
    if (x != y && x != 1 && y != 1)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "shapes do not broadcast at dimension %zu (%lld vs "
                         "%lld)", k, (long long)x, (long long)y);
    const int64_t r = x == 1 ? y : x;
    if (out->type == XAI_TYPE_INT64) ((int64_t *)out->data)[k] = r;
    else ((int32_t *)out->data)[k] = (int32_t)r;
  }
  return XAI_OK;
}

/* ---- CUMSUM -------------------------------------------------------------- */
static const int8_t k_f32_s8[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8};

/* int8 ADD_N / CUMSUM: quantized input and output (TFLM's rescaled sum). */
static xai_status qsum_prepare(xai_op_ctx *ctx, const xai_rt_tensor *in,
                               const xai_rt_tensor *out, misc_data *d) {
  if (in->type != XAI_TYPE_INT8) return XAI_OK;
  xai_status st = xai_ew_check_quantized(ctx, in, "input");
  if (!st) st = xai_ew_check_quantized(ctx, out, "output");
  if (st) return st;
  xai_qsum_s8_params_make(in->scale, in->zero_point, out->scale,
                          out->zero_point, &d->q);
  return XAI_OK;
}

static xai_status cumsum_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *axis, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_input(ctx, 1, "axis", &axis);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, in, "input", k_f32_s8, 2);
  if (!st) st = xai_shape_op_same_type(ctx, in, "input", out, "output");
  if (st) return st;
  if (!xai_shape_op_is_const(axis))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "axis must be constant");
  int32_t v[1];
  size_t n;
  if ((st = xai_shape_op_read_ints(ctx, axis, "axis", v, 1, &n))) return st;
  misc_data *d = alloc_data(ctx);
  if (!d) return XAI_ERR_NO_MEMORY;
  d->type = in->type;
  if ((st = xai_shape_op_shape(ctx, in, "input", &d->shape)) ||
      (st = xai_shape_op_axis(ctx, n ? v[0] : 0, d->shape.rank, &d->axis)))
    return st;
  d->exclusive = ctx->options->u.cumsum.exclusive;
  d->reverse = ctx->options->u.cumsum.reverse;
  if ((st = qsum_prepare(ctx, in, out, d))) return st;
  return xai_shape_op_check_dims(ctx, out, "output", &d->shape);
}

static xai_status cumsum_eval(xai_op_ctx *ctx) {
  const misc_data *d = ctx->data;
  if (d->type == XAI_TYPE_INT8) {
    xai_cumsum_s8_ref(&d->q, &d->shape, d->axis, d->exclusive, d->reverse,
                      xai_op_input(ctx, 0)->data, xai_op_output(ctx, 0)->data);
    return XAI_OK;
  }
  xai_cumsum_ref(d->type, &d->shape, d->axis, d->exclusive, d->reverse,
                 xai_op_input(ctx, 0)->data, xai_op_output(ctx, 0)->data);
  return XAI_OK;
}

/* ---- ADD_N --------------------------------------------------------------- */
#define ADD_N_MAX 16
static xai_status add_n_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in0, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input 1", &in0);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, in0, "input 1", k_f32_s8, 2);
  if (!st) st = xai_shape_op_same_type(ctx, in0, "input 1", out, "output");
  if (st) return st;
  if (ctx->input_count > ADD_N_MAX)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "%u inputs; at most %d are supported",
                       ctx->input_count, ADD_N_MAX);
  misc_data *d = alloc_data(ctx);
  if (!d) return XAI_ERR_NO_MEMORY;
  d->type = in0->type;
  d->count = xai_rt_tensor_elements(out);
  if ((st = xai_shape_op_shape(ctx, in0, "input 1", &d->shape))) return st;
  for (uint32_t k = 1; k < ctx->input_count; k++) {
    xai_rt_tensor *t;
    if ((st = xai_shape_op_input(ctx, k, "input", &t)) ||
        (st = xai_shape_op_same_type(ctx, in0, "input 1", t, "input")) ||
        (st = xai_shape_op_check_dims(ctx, t, "input", &d->shape)))
      return st;
    if (in0->type == XAI_TYPE_INT8 &&
        (t->scale != in0->scale || t->zero_point != in0->zero_point))
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "int8 inputs must share one scale and zero point "
                         "(input %u differs from input 1)", k + 1);
  }
  if ((st = qsum_prepare(ctx, in0, out, d))) return st;
  return xai_shape_op_check_dims(ctx, out, "output", &d->shape);
}

static xai_status add_n_eval(xai_op_ctx *ctx) {
  const misc_data *d = ctx->data;
  const void *in[ADD_N_MAX];
  for (uint32_t k = 0; k < ctx->input_count; k++)
    in[k] = xai_op_input(ctx, k)->data;
  if (d->type == XAI_TYPE_INT8) {
    xai_add_n_s8_ref(&d->q, d->count, (const int8_t *const *)in,
                     ctx->input_count, xai_op_output(ctx, 0)->data);
    return XAI_OK;
  }
  xai_add_n_ref(d->type, d->count, in, ctx->input_count,
                xai_op_output(ctx, 0)->data);
  return XAI_OK;
}

/* ---- CAST ---------------------------------------------------------------- */
static const int8_t k_cast[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                XAI_TYPE_INT16,   XAI_TYPE_INT32,
                                XAI_TYPE_UINT32,  XAI_TYPE_BOOL};

static xai_status cast_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, in, "input", k_cast, 6);
  if (!st) st = xai_ew_check_type(ctx, out, "output", k_cast, 6);
  if (st) return st;
  misc_data *d = alloc_data(ctx);
  if (!d) return XAI_ERR_NO_MEMORY;
  d->type = in->type;
  d->out_type = out->type;
  d->count = xai_rt_tensor_elements(in);
  xai_shape s;
  if ((st = xai_shape_op_shape(ctx, in, "input", &s))) return st;
  return xai_shape_op_check_dims(ctx, out, "output", &s);
}

static xai_status cast_eval(xai_op_ctx *ctx) {
  const misc_data *d = ctx->data;
  return xai_cast_ref(d->type, d->out_type, d->count,
                      xai_op_input(ctx, 0)->data, xai_op_output(ctx, 0)->data);
}

const xai_op_registration xai_op_shape_builtin = {XAI_OP_SHAPE, NULL, shape_prepare,
                                          shape_eval, NULL};
const xai_op_registration xai_op_fill = {XAI_OP_FILL, NULL, fill_prepare,
                                         fill_eval, NULL};
const xai_op_registration xai_op_broadcast_args = {
    XAI_OP_BROADCAST_ARGS, NULL, bargs_prepare, bargs_eval, NULL};
const xai_op_registration xai_op_cumsum = {XAI_OP_CUMSUM, NULL,
                                           cumsum_prepare, cumsum_eval, NULL};
const xai_op_registration xai_op_add_n = {XAI_OP_ADD_N, NULL, add_n_prepare,
                                          add_n_eval, NULL};
const xai_op_registration xai_op_cast = {XAI_OP_CAST, NULL, cast_prepare,
                                         cast_eval, NULL};
