/* ADD, SUB, MUL, MAXIMUM, MINIMUM (TFLite add.cc, sub.cc, mul.cc,
 * maximum_minimum.cc): broadcasting binary ops on int8/int16. */
#include "arith_float_internal.h"
#include "elementwise_internal.h"

typedef enum { K_ADD, K_SUB, K_MUL, K_MAX, K_MIN } bin_kind;

typedef struct {
  bin_kind kind;
  int8_t type;
  int pot; /* int16 power-of-two ADD/SUB path */
  xai_bcast bc;
  union {
    xai_add_params add;
    xai_add_pot_params pot;
    xai_mul_params mul;
  } u;
} bin_data;

static int32_t fused_activation(const xai_op_ctx *ctx, bin_kind kind) {
  if (!ctx->options) return XAI_ACT_NONE;
  switch (kind) {
    case K_ADD: return ctx->options->u.add.fused_activation_function;
    case K_SUB: return ctx->options->u.sub.fused_activation_function;
    case K_MUL: return ctx->options->u.mul.fused_activation_function;
    default: return XAI_ACT_NONE;
  }
}

static xai_status prepare(xai_op_ctx *ctx, bin_kind kind) {
  static const int8_t types[] = {XAI_TYPE_INT8, XAI_TYPE_INT16};
  xai_rt_tensor *a, *b, *out;
  xai_status st = xai_ew_input(ctx, 0, &a);
  if (!st && xai_arith_wide_type(a->type)) {
    /* float32/int32 (int64 for MAXIMUM/MINIMUM): TFLM's float kernels. */
    static const xai_arith_fn fns[] = {XAI_ARITH_ADD, XAI_ARITH_SUB,
                                       XAI_ARITH_MUL, XAI_ARITH_MAXIMUM,
                                       XAI_ARITH_MINIMUM};
    static const int8_t wide[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT32,
                                  XAI_TYPE_INT64};
    return xai_arith_wide_prepare(ctx, fns[kind], wide,
                                  kind == K_MAX || kind == K_MIN ? 3 : 2);
  }
  if (!st) st = xai_ew_input(ctx, 1, &b);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, a, "input 1", types, 2);
  if (!st) st = xai_ew_same_type(ctx, a, "input 1", b, "input 2");
  if (!st) st = xai_ew_same_type(ctx, a, "input 1", out, "output");
  if (st) return st;
  bin_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->kind = kind;
  d->type = a->type;
  xai_error e;
  xai_error_clear(&e);
  xai_shape sa, sb, so;
  if ((st = xai_ew_shape(ctx, a, &sa)) || (st = xai_ew_shape(ctx, b, &sb)))
    return st;
  if (xai_bcast_make(&sa, &sb, &d->bc, &e) != XAI_OK)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s", e.message);
  xai_bcast_out_shape(&d->bc, &so);
  if ((st = xai_ew_check_dims(ctx, out, "output", &so))) return st;
  if (kind == K_MAX || kind == K_MIN) return XAI_OK;

  if ((st = xai_ew_check_quantized(ctx, a, "input 1")) ||
      (st = xai_ew_check_quantized(ctx, b, "input 2")) ||
      (st = xai_ew_check_quantized(ctx, out, "output")))
    return st;
  int32_t lo, hi, act_min, act_max;
  xai_ew_type_range(out->type, &lo, &hi);
  const int32_t act = fused_activation(ctx, kind);
  xai_activation_range_quantized(act, out->scale, out->zero_point, lo, hi,
                                 &act_min, &act_max);
  const int s16 = a->type == XAI_TYPE_INT16;
  if (s16 && (a->zero_point || b->zero_point || out->zero_point))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "int16 %s needs zero points 0 (got %d, %d, %d)",
                       ctx->op_name, (int)a->zero_point, (int)b->zero_point,
                       (int)out->zero_point);
  if (kind == K_MUL) {
    xai_mul_params_make(a->scale, a->zero_point, b->scale, b->zero_point,
                        out->scale, out->zero_point, act_min, act_max,
                        &d->u.mul);
    return XAI_OK;
  }
  /* TFLite takes the power-of-two int16 path when pot_scale_int16 is set
   * (the default) and every scale is a power of two; otherwise the general
   * path with a 15-bit left shift. */
  const xai_add_sub_options *o =
      ctx->options ? (kind == K_ADD ? &ctx->options->u.add
                                    : &ctx->options->u.sub)
                   : NULL;
  int l1, l2, lo2;
  if (s16 && (!o || o->pot_scale_int16) && xai_scale_is_pot(a->scale, &l1) &&
      xai_scale_is_pot(b->scale, &l2) && xai_scale_is_pot(out->scale, &lo2)) {
    d->pot = 1;
    if (d->bc.count != xai_rt_tensor_elements(a) ||
        d->bc.count != xai_rt_tensor_elements(b))
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "int16 power-of-two %s with broadcasting is not "
                         "supported (TFLite's kernel has no such path)",
                         ctx->op_name);
    st = xai_add_pot_params_make(a->scale, b->scale, out->scale, act_min,
                                 act_max, &d->u.pot, &e);
  } else {
    st = xai_add_params_make(a->scale, a->zero_point, b->scale, b->zero_point,
                             out->scale, out->zero_point, s16 ? 15 : 20,
                             kind == K_SUB, act_min, act_max, &d->u.add,
                             &e);
  }
  if (st) return xai_op_fail(ctx, st, "%s", e.message);
  return XAI_OK;
}

static xai_status eval(xai_op_ctx *ctx) {
  if (xai_arith_wide_type(xai_op_input(ctx, 0)->type))
    return xai_arith_wide_eval(ctx);
  const bin_data *d = ctx->data;
  const void *a = xai_op_input(ctx, 0)->data, *b = xai_op_input(ctx, 1)->data;
  void *out = xai_op_output(ctx, 0)->data;
  const int s16 = d->type == XAI_TYPE_INT16;
  switch (d->kind) {
    case K_ADD:
    case K_SUB:
      if (d->pot)
        return d->kind == K_ADD
                   ? xai_add_s16_pot_ref(&d->u.pot, d->bc.count, a, b, out)
                   : xai_sub_s16_pot_ref(&d->u.pot, d->bc.count, a, b, out);
      return s16 ? xai_add_s16_ref(&d->u.add, &d->bc, a, b, out)
                 : xai_add_s8_ref(&d->u.add, &d->bc, a, b, out);
    case K_MUL:
      return s16 ? xai_mul_s16_ref(&d->u.mul, &d->bc, a, b, out)
                 : xai_mul_s8_ref(&d->u.mul, &d->bc, a, b, out);
    case K_MAX:
      return s16 ? xai_maximum_s16_ref(&d->bc, a, b, out)
                 : xai_maximum_s8_ref(&d->bc, a, b, out);
    case K_MIN:
      return s16 ? xai_minimum_s16_ref(&d->bc, a, b, out)
                 : xai_minimum_s8_ref(&d->bc, a, b, out);
  }
  return XAI_ERR_STATE;
}

static xai_status prepare_add(xai_op_ctx *ctx) { return prepare(ctx, K_ADD); }
static xai_status prepare_sub(xai_op_ctx *ctx) { return prepare(ctx, K_SUB); }
static xai_status prepare_mul(xai_op_ctx *ctx) { return prepare(ctx, K_MUL); }
static xai_status prepare_max(xai_op_ctx *ctx) { return prepare(ctx, K_MAX); }
static xai_status prepare_min(xai_op_ctx *ctx) { return prepare(ctx, K_MIN); }

const xai_op_registration xai_op_add = {XAI_OP_ADD, NULL, prepare_add, eval, NULL};
const xai_op_registration xai_op_sub = {XAI_OP_SUB, NULL, prepare_sub, eval, NULL};
const xai_op_registration xai_op_mul = {XAI_OP_MUL, NULL, prepare_mul, eval, NULL};
const xai_op_registration xai_op_maximum = {XAI_OP_MAXIMUM, NULL, prepare_max,
                                            eval, NULL};
const xai_op_registration xai_op_minimum = {XAI_OP_MINIMUM, NULL, prepare_min,
                                            eval, NULL};
