/* ABS, CEIL, COS, EXP, FLOOR, LOG, NEG, ROUND, RSQRT, SIN, SQRT, SQUARE,
 * ELU, LOGICAL_NOT, ZEROS_LIKE (TFLite Micro elementwise.cc and friends):
 * one input, one output of the same shape, in the types TFLM takes. */
#include <string.h>

#include "elementwise_internal.h"
#include "xai/kernels_ref/compare.h"
#include "xai/kernels_ref/activations.h"
#include "xai/kernels_ref/math_unary.h"

typedef enum { U_FLOAT, U_ABS_Q, U_RSQRT_Q, U_LUT, U_NOT, U_ZEROS, U_INT } u_path;

typedef struct {
  u_path path;
  xai_unary_fn fn;
  int8_t type;
  size_t count;
  union {
    xai_abs_rsqrt_params q;
    int8_t lut[256];
  } u;
} unary_data;

static const int8_t k_f32[] = {XAI_TYPE_FLOAT32};
static const int8_t k_abs[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                               XAI_TYPE_INT16};
static const int8_t k_rsqrt[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                 XAI_TYPE_INT16};
static const int8_t k_elu[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8};
static const int8_t k_bool[] = {XAI_TYPE_BOOL};
static const int8_t k_zeros[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                 XAI_TYPE_INT32, XAI_TYPE_INT64};

static xai_status prepare(xai_op_ctx *ctx, xai_unary_fn fn,
                          const int8_t *types, size_t ntypes, u_path path) {
  xai_rt_tensor *in, *out;
  xai_status st = xai_ew_input(ctx, 0, &in);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, in, "input", types, ntypes);
  if (!st) st = xai_ew_same_type(ctx, in, "input", out, "output");
  xai_shape s;
  if (!st) st = xai_ew_shape(ctx, in, &s);
  if (!st) st = xai_ew_check_dims(ctx, out, "output", &s);
  if (st) return st;
  unary_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->fn = fn;
  d->type = in->type;
  d->count = xai_rt_tensor_elements(in);
  d->path = path;
  if (path != U_FLOAT) return XAI_OK;
  if (in->type == XAI_TYPE_FLOAT32) return XAI_OK;
  if (in->type == XAI_TYPE_INT32 || in->type == XAI_TYPE_INT64 ||
      (in->type == XAI_TYPE_INT16 && in->quant_count == 0)) {
    d->path = U_INT;
    return XAI_OK;
  }
  if ((st = xai_ew_check_quantized(ctx, in, "input")) ||
      (st = xai_ew_check_quantized(ctx, out, "output")))
    return st;
  if (fn == XAI_UNARY_ELU) {
    d->path = U_LUT;
    xai_elu_s8_table(in->scale, in->zero_point, out->scale, out->zero_point,
                     d->u.lut);
  } else if (fn == XAI_UNARY_ABS) {
    if (in->type == XAI_TYPE_INT16 && (in->zero_point || out->zero_point))
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "int16 ABS needs zero points 0 (got %d, %d)",
                         (int)in->zero_point, (int)out->zero_point);
    d->path = U_ABS_Q;
    xai_abs_params_make(in->scale, in->zero_point, out->scale,
                        out->zero_point, &d->u.q);
  } else {
    if (in->type == XAI_TYPE_INT16 && (in->zero_point || out->zero_point))
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "int16 RSQRT needs zero points 0 (got %d, %d)",
                         (int)in->zero_point, (int)out->zero_point);
    d->path = U_RSQRT_Q;
    xai_rsqrt_params_make(in->scale, in->zero_point, out->scale,
                          out->zero_point, &d->u.q);
  }
  return XAI_OK;
}

static xai_status eval(xai_op_ctx *ctx) {
  const unary_data *d = ctx->data;
  const void *in = xai_op_input(ctx, 0)->data;
  xai_rt_tensor *o = xai_op_output(ctx, 0);
  void *out = o->data;
  switch (d->path) {
    case U_FLOAT: xai_unary_f32_ref(d->fn, d->count, in, out); break;
    case U_ABS_Q:
      if (d->type == XAI_TYPE_INT16)
        xai_abs_s16_ref(&d->u.q, d->count, in, out);
      else
        xai_abs_s8_ref(&d->u.q, d->count, in, out);
      break;
    case U_RSQRT_Q:
      if (d->type == XAI_TYPE_INT16 ? xai_rsqrt_s16_ref(&d->u.q, d->count, in, out)
                                    : xai_rsqrt_s8_ref(&d->u.q, d->count, in, out))
        return xai_op_fail(ctx, XAI_ERR_RANGE,
                           "RSQRT of a negative value (input below its zero "
                           "point)");
      break;
    case U_LUT: xai_lut_s8_ref(d->u.lut, d->count, in, out); break;
    case U_NOT: xai_logical_not_ref(d->count, in, out); break;
    case U_ZEROS: memset(out, 0, o->bytes); break;
    case U_INT:
      for (size_t i = 0; i < d->count; i++) {
        if (d->type == XAI_TYPE_INT16) {
          const int16_t v = ((const int16_t *)in)[i];
          ((int16_t *)out)[i] = (int16_t)(d->fn == XAI_UNARY_NEG ? -v
                                          : v < 0 ? -v : v);
        } else if (d->type == XAI_TYPE_INT32) {
          const int32_t v = ((const int32_t *)in)[i];
          const uint32_t neg = 0u - (uint32_t)v;
          ((int32_t *)out)[i] =
              (d->fn == XAI_UNARY_NEG || v < 0) ? (int32_t)neg : v;
        } else {
          const int64_t v = ((const int64_t *)in)[i];
          const uint64_t neg = 0u - (uint64_t)v;
          ((int64_t *)out)[i] =
              (d->fn == XAI_UNARY_NEG || v < 0) ? (int64_t)neg : v;
        }
      }
      break;
  }
  return XAI_OK;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define UNARY(name, code, fn, types, path)                              \
  static xai_status prepare_##name(xai_op_ctx *ctx) {                   \
    return prepare(ctx, fn, types, N(types), path);                     \
  }                                                                     \
  const xai_op_registration xai_op_##name = {code, NULL, prepare_##name, \
                                             eval, NULL};

UNARY(abs, XAI_OP_ABS, XAI_UNARY_ABS, k_abs, U_FLOAT)
UNARY(ceil, XAI_OP_CEIL, XAI_UNARY_CEIL, k_f32, U_FLOAT)
UNARY(cos, XAI_OP_COS, XAI_UNARY_COS, k_f32, U_FLOAT)
UNARY(exp, XAI_OP_EXP, XAI_UNARY_EXP, k_f32, U_FLOAT)
UNARY(floor, XAI_OP_FLOOR, XAI_UNARY_FLOOR, k_f32, U_FLOAT)
UNARY(log, XAI_OP_LOG, XAI_UNARY_LOG, k_f32, U_FLOAT)
UNARY(neg, XAI_OP_NEG, XAI_UNARY_NEG, k_f32, U_FLOAT)
UNARY(round, XAI_OP_ROUND, XAI_UNARY_ROUND, k_f32, U_FLOAT)
UNARY(rsqrt, XAI_OP_RSQRT, XAI_UNARY_RSQRT, k_rsqrt, U_FLOAT)
UNARY(sin, XAI_OP_SIN, XAI_UNARY_SIN, k_f32, U_FLOAT)
UNARY(sqrt, XAI_OP_SQRT, XAI_UNARY_SQRT, k_f32, U_FLOAT)
UNARY(square, XAI_OP_SQUARE, XAI_UNARY_SQUARE, k_f32, U_FLOAT)
UNARY(elu, XAI_OP_ELU, XAI_UNARY_ELU, k_elu, U_FLOAT)
UNARY(logical_not, XAI_OP_LOGICAL_NOT, XAI_UNARY_ABS, k_bool, U_NOT)
UNARY(zeros_like, XAI_OP_ZEROS_LIKE, XAI_UNARY_ABS, k_zeros, U_ZEROS)
