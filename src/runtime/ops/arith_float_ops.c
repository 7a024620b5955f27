/* float32 / int32 binary arithmetic: DIV, FLOOR_DIV, FLOOR_MOD,
 * SQUARED_DIFFERENCE, and the float/int32 paths of ADD, SUB, MUL, MAXIMUM,
 * MINIMUM (elementwise_binary.c hands those types here). */
#include "arith_float_internal.h"
#include "elementwise_internal.h"

typedef struct {
  xai_arith_fn fn;
  int8_t type;
  float fmin, fmax;
  int32_t imin, imax;
  xai_bcast bc;
} arith_data;

static int32_t activation(const xai_op_ctx *ctx, xai_arith_fn fn) {
  if (!ctx->options) return XAI_ACT_NONE;
  switch (fn) {
    case XAI_ARITH_ADD: return ctx->options->u.add.fused_activation_function;
    case XAI_ARITH_SUB: return ctx->options->u.sub.fused_activation_function;
    case XAI_ARITH_MUL: return ctx->options->u.mul.fused_activation_function;
    case XAI_ARITH_DIV: return ctx->options->u.div.fused_activation_function;
    default: return XAI_ACT_NONE;
  }
}

bool xai_arith_wide_type(int8_t type) {
  return type == XAI_TYPE_FLOAT32 || type == XAI_TYPE_INT32 ||
         type == XAI_TYPE_INT64;
}

xai_status xai_arith_wide_prepare(xai_op_ctx *ctx, xai_arith_fn fn,
                                  const int8_t *types, size_t ntypes) {
  xai_rt_tensor *a, *b, *out;
  xai_status st = xai_ew_input(ctx, 0, &a);
  if (!st) st = xai_ew_input(ctx, 1, &b);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, a, "input 1", types, ntypes);
  if (!st) st = xai_ew_same_type(ctx, a, "input 1", b, "input 2");
  if (!st) st = xai_ew_same_type(ctx, a, "input 1", out, "output");
  if (st) return st;
  arith_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->fn = fn;
  d->type = a->type;
  int act = activation(ctx, fn);
  xai_activation_range_f32(act, &d->fmin, &d->fmax);
  d->imin = INT32_MIN;
  d->imax = INT32_MAX;
  /* TFLM's int32 ADD ignores the fused activation; SUB and MUL clamp. */
  if (fn == XAI_ARITH_ADD && a->type == XAI_TYPE_INT32) act = XAI_ACT_NONE;
  if (act == XAI_ACT_RELU || act == XAI_ACT_RELU6) d->imin = 0;
  if (act == XAI_ACT_RELU6) d->imax = 6;
  if (act == XAI_ACT_RELU_N1_TO_1) d->imin = -1, d->imax = 1;
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

xai_status xai_arith_wide_eval(xai_op_ctx *ctx) {
  const arith_data *d = ctx->data;
  const void *a = xai_op_input(ctx, 0)->data, *b = xai_op_input(ctx, 1)->data;
  void *out = xai_op_output(ctx, 0)->data;
  xai_status st = XAI_OK;
  if (d->type == XAI_TYPE_FLOAT32)
    xai_arith_f32_ref(d->fn, d->fmin, d->fmax, &d->bc, a, b, out);
  else if (d->type == XAI_TYPE_INT32)
    st = xai_arith_i32_ref(d->fn, d->imin, d->imax, &d->bc, a, b, out);
  else
    st = xai_arith_i64_ref(d->fn, &d->bc, a, b, out);
  if (st == XAI_ERR_RANGE)
    return xai_op_fail(ctx, st, "integer division by zero");
  return st;
}

static const int8_t k_f32[] = {XAI_TYPE_FLOAT32};
static const int8_t k_f32_i32[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT32};

#define ARITH(name, code, fn, types)                                      \
  static xai_status prepare_##name(xai_op_ctx *ctx) {                     \
    return xai_arith_wide_prepare(ctx, fn, types,                         \
                                  sizeof types / sizeof types[0]);        \
  }                                                                       \
  const xai_op_registration xai_op_##name = {code, NULL, prepare_##name,  \
                                             xai_arith_wide_eval, NULL};
ARITH(div, XAI_OP_DIV, XAI_ARITH_DIV, k_f32_i32)
ARITH(floor_div, XAI_OP_FLOOR_DIV, XAI_ARITH_FLOOR_DIV, k_f32)
ARITH(floor_mod, XAI_OP_FLOOR_MOD, XAI_ARITH_FLOOR_MOD, k_f32)
ARITH(squared_difference, XAI_OP_SQUARED_DIFFERENCE,
      XAI_ARITH_SQUARED_DIFFERENCE, k_f32_i32)
