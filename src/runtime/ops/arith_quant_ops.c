/* DIV and SQUARED_DIFFERENCE: float32/int32 go to the wide kernels
 * (arith_float_ops.c), int8 (DIV) and int8/int16 (SQUARED_DIFFERENCE) to
 * TFLite Micro's quantized arithmetic (arith_quant.h). */
#include "arith_float_internal.h"
#include "elementwise_internal.h"
#include "xai/kernels_ref/arith_quant.h"

typedef struct {
  int8_t type;
  xai_bcast bc;
  union {
    xai_div_s8_params div;
    xai_sqdiff_params sqdiff;
  } u;
} quant_data;

static const int8_t k_f32_i32[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT32};

static xai_status quant_prepare(xai_op_ctx *ctx, xai_arith_fn fn,
                                const int8_t *types, size_t ntypes) {
  xai_rt_tensor *a, *b, *out;
  xai_status st = xai_ew_input(ctx, 0, &a);
  if (!st) st = xai_ew_input(ctx, 1, &b);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (st) return st;
  if (xai_arith_wide_type(a->type))
    return xai_arith_wide_prepare(ctx, fn, k_f32_i32, 2);
  if ((st = xai_ew_check_type(ctx, a, "input 1", types, ntypes)) ||
      (st = xai_ew_same_type(ctx, a, "input 1", b, "input 2")) ||
      (st = xai_ew_same_type(ctx, a, "input 1", out, "output")) ||
      (st = xai_ew_check_quantized(ctx, a, "input 1")) ||
      (st = xai_ew_check_quantized(ctx, b, "input 2")) ||
      (st = xai_ew_check_quantized(ctx, out, "output")))
    return st;
  if (a->type == XAI_TYPE_INT16 &&
      (a->zero_point || b->zero_point || out->zero_point))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "int16 operands need zero points of 0 (TFLite Micro's "
                       "int16 kernel)");
  quant_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->type = a->type;
  if (fn == XAI_ARITH_DIV) {
    int32_t lo, hi;
    xai_ew_type_range(out->type, &lo, &hi);
    const int act = ctx->options ? ctx->options->u.div.fused_activation_function
                                 : XAI_ACT_NONE;
    xai_activation_range_quantized(act, out->scale, out->zero_point, lo, hi,
                                   &lo, &hi);
    xai_div_s8_params_make(a->scale, a->zero_point, b->scale, b->zero_point,
                           out->scale, out->zero_point, lo, hi, &d->u.div);
  } else {
    xai_sqdiff_params_make(a->type, a->scale, a->zero_point, b->scale,
                           b->zero_point, out->scale, out->zero_point,
                           &d->u.sqdiff);
  }
  xai_shape sa, sb, so;
  if ((st = xai_ew_shape(ctx, a, &sa)) || (st = xai_ew_shape(ctx, b, &sb)))
    return st;
  xai_error e;
  xai_error_clear(&e);
  if (xai_bcast_make(&sa, &sb, &d->bc, &e) != XAI_OK)
    return xai_op_fail(ctx, e.status, "%s", e.message);
  xai_bcast_out_shape(&d->bc, &so);
  return xai_ew_check_dims(ctx, out, "output", &so);
}

static xai_status quant_eval(xai_op_ctx *ctx, xai_arith_fn fn) {
  if (xai_arith_wide_type(xai_op_input(ctx, 0)->type))
    return xai_arith_wide_eval(ctx);
  const quant_data *d = ctx->data;
  const void *a = xai_op_input(ctx, 0)->data, *b = xai_op_input(ctx, 1)->data;
  void *out = xai_op_output(ctx, 0)->data;
  if (fn == XAI_ARITH_SQUARED_DIFFERENCE) {
    xai_sqdiff_q_ref(d->type, &d->u.sqdiff, &d->bc, a, b, out);
    return XAI_OK;
  }
  if (xai_div_s8_ref(&d->u.div, &d->bc, a, b, out) == XAI_ERR_RANGE)
    return xai_op_fail(ctx, XAI_ERR_RANGE,
                       "division by zero (a divisor equals its zero point)");
  return XAI_OK;
}

static const int8_t k_div_q[] = {XAI_TYPE_INT8};
static const int8_t k_sqdiff_q[] = {XAI_TYPE_INT8, XAI_TYPE_INT16};

static xai_status div_prepare(xai_op_ctx *ctx) {
  return quant_prepare(ctx, XAI_ARITH_DIV, k_div_q, 1);
}
static xai_status div_eval(xai_op_ctx *ctx) {
  return quant_eval(ctx, XAI_ARITH_DIV);
}
static xai_status sqdiff_prepare(xai_op_ctx *ctx) {
  return quant_prepare(ctx, XAI_ARITH_SQUARED_DIFFERENCE, k_sqdiff_q, 2);
}
static xai_status sqdiff_eval(xai_op_ctx *ctx) {
  return quant_eval(ctx, XAI_ARITH_SQUARED_DIFFERENCE);
}

const xai_op_registration xai_op_div = {XAI_OP_DIV, NULL, div_prepare,
                                        div_eval, NULL};
const xai_op_registration xai_op_squared_difference = {
    XAI_OP_SQUARED_DIFFERENCE, NULL, sqdiff_prepare, sqdiff_eval, NULL};
