/* EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL, LOGICAL_AND,
 * LOGICAL_OR, SELECT_V2 (TFLite Micro comparisons.cc, logical.cc,
 * select.cc), broadcasting up to 6 dimensions. No int16 comparisons: TFLM
 * refuses them, except GREATER, whose int16 path compares with the int8
 * scaling left unset (always false), so it is no semantics to copy. */
#include "elementwise_internal.h"
#include "shape_internal.h"
#include "xai/kernels_ref/compare.h"

typedef struct {
  xai_cmp_fn fn;
  int8_t type;
  int logical; /* 1 AND, 2 OR */
  xai_bcast bc;
  xai_cmp_s8_params q;
} cmp_data;

static const int8_t k_eq[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                              XAI_TYPE_INT32, XAI_TYPE_INT64, XAI_TYPE_BOOL};
static const int8_t k_order[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                 XAI_TYPE_INT32, XAI_TYPE_INT64};
static const int8_t k_bool[] = {XAI_TYPE_BOOL};

static xai_status prepare(xai_op_ctx *ctx, xai_cmp_fn fn, int logical) {
  xai_rt_tensor *a, *b, *out;
  xai_status st = xai_ew_input(ctx, 0, &a);
  if (!st) st = xai_ew_input(ctx, 1, &b);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) {
    if (logical)
      st = xai_ew_check_type(ctx, a, "input 1", k_bool, 1);
    else if (fn == XAI_CMP_EQ || fn == XAI_CMP_NE)
      st = xai_ew_check_type(ctx, a, "input 1", k_eq, 5);
    else
      st = xai_ew_check_type(ctx, a, "input 1", k_order, 4);
  }
  if (!st) st = xai_ew_same_type(ctx, a, "input 1", b, "input 2");
  if (!st) st = xai_ew_check_type(ctx, out, "output", k_bool, 1);
  if (st) return st;
  cmp_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->fn = fn;
  d->type = a->type;
  d->logical = logical;
  xai_shape sa, sb, so;
  if ((st = xai_ew_shape(ctx, a, &sa)) || (st = xai_ew_shape(ctx, b, &sb)))
    return st;
  xai_error e;
  xai_error_clear(&e);
  if (xai_bcast_make(&sa, &sb, &d->bc, &e) != XAI_OK)
    return xai_op_fail(ctx, e.status, "%s", e.message);
  xai_bcast_out_shape(&d->bc, &so);
  if ((st = xai_ew_check_dims(ctx, out, "output", &so))) return st;
  if (a->type == XAI_TYPE_INT8) {
    if ((st = xai_ew_check_quantized(ctx, a, "input 1")) ||
        (st = xai_ew_check_quantized(ctx, b, "input 2")))
      return st;
    xai_cmp_s8_params_make(a->scale, a->zero_point, b->scale, b->zero_point,
                           &d->q);
  }
  return XAI_OK;
}

static xai_status eval(xai_op_ctx *ctx) {
  const cmp_data *d = ctx->data;
  const void *a = xai_op_input(ctx, 0)->data, *b = xai_op_input(ctx, 1)->data;
  uint8_t *out = xai_op_output(ctx, 0)->data;
  if (d->logical) {
    xai_logical_ref(d->logical == 1, &d->bc, a, b, out);
    return XAI_OK;
  }
  return xai_compare_ref(d->fn, d->type, &d->q, &d->bc, a, b, out);
}

#define CMP(name, code, fn, logical)                                     \
  static xai_status prepare_##name(xai_op_ctx *ctx) {                    \
    return prepare(ctx, fn, logical);                                    \
  }                                                                      \
  const xai_op_registration xai_op_##name = {code, NULL, prepare_##name, \
                                             eval, NULL};
CMP(equal, XAI_OP_EQUAL, XAI_CMP_EQ, 0)
CMP(not_equal, XAI_OP_NOT_EQUAL, XAI_CMP_NE, 0)
CMP(greater, XAI_OP_GREATER, XAI_CMP_GT, 0)
CMP(greater_equal, XAI_OP_GREATER_EQUAL, XAI_CMP_GE, 0)
CMP(less, XAI_OP_LESS, XAI_CMP_LT, 0)
CMP(less_equal, XAI_OP_LESS_EQUAL, XAI_CMP_LE, 0)
CMP(logical_and, XAI_OP_LOGICAL_AND, XAI_CMP_EQ, 1)
CMP(logical_or, XAI_OP_LOGICAL_OR, XAI_CMP_EQ, 2)

/* ---- SELECT_V2 ----------------------------------------------------------- */
typedef struct {
  xai_select_plan plan;
  size_t elem;
} select_data;

static const int8_t k_select[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                  XAI_TYPE_INT16};

static xai_status select_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *c, *x, *y, *out;
  xai_status st = xai_ew_input(ctx, 0, &c);
  if (!st) st = xai_ew_input(ctx, 1, &x);
  if (!st) st = xai_ew_input(ctx, 2, &y);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, c, "condition", k_bool, 1);
  if (!st) st = xai_ew_check_type(ctx, x, "x", k_select, 3);
  if (!st) st = xai_ew_same_type(ctx, x, "x", y, "y");
  if (!st) st = xai_ew_same_type(ctx, x, "x", out, "output");
  if (st) return st;
  if (x->type != XAI_TYPE_FLOAT32 && x->type != XAI_TYPE_BOOL &&
      (x->scale != y->scale || x->zero_point != y->zero_point ||
       x->scale != out->scale || x->zero_point != out->zero_point) &&
      (x->type == XAI_TYPE_INT8 || x->type == XAI_TYPE_INT16))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "x, y and output must share one quantization");
  select_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->elem = xai_shape_op_elem_size(x->type);
  xai_shape sc, sx, sy;
  if ((st = xai_ew_shape(ctx, c, &sc)) || (st = xai_ew_shape(ctx, x, &sx)) ||
      (st = xai_ew_shape(ctx, y, &sy)))
    return st;
  xai_error e;
  xai_error_clear(&e);
  if (xai_select_plan_make(&sc, &sx, &sy, &d->plan, &e) != XAI_OK)
    return xai_op_fail(ctx, e.status, "%s", e.message);
  xai_shape so = {d->plan.rank, {0}};
  for (int32_t i = 0; i < so.rank; i++) so.dims[i] = d->plan.dims[i];
  return xai_ew_check_dims(ctx, out, "output", &so);
}

static xai_status select_eval(xai_op_ctx *ctx) {
  const select_data *d = ctx->data;
  xai_select_ref(&d->plan, d->elem, xai_op_input(ctx, 0)->data,
                 xai_op_input(ctx, 1)->data, xai_op_input(ctx, 2)->data,
                 xai_op_output(ctx, 0)->data);
  return XAI_OK;
}

const xai_op_registration xai_op_select_v2 = {
    XAI_OP_SELECT_V2, NULL, select_prepare, select_eval, NULL};
