/* REDUCE_MAX, REDUCE_MIN (float32, int8) and the float32
 * path of MEAN and SUM (elementwise_reduce.c hands float here), over
 * constant axes (TFLite Micro reduce.cc). */
#include "elementwise_internal.h"
#include "reduce_more_internal.h"
#include "xai/kernels_ref/reduce_more.h"

typedef struct {
  xai_reduce_kind kind;
  int8_t type;
  xai_reduce_plan plan;
} rm_data;

static const int8_t k_minmax[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8};
static const int8_t k_f32[] = {XAI_TYPE_FLOAT32};
static const int8_t k_axis[] = {XAI_TYPE_INT32};

xai_status xai_reduce_more_prepare(xai_op_ctx *ctx, xai_reduce_kind kind) {
  xai_rt_tensor *in, *axes, *out;
  const int minmax = kind == XAI_REDUCE_MAX || kind == XAI_REDUCE_MIN;
  xai_status st = xai_ew_input(ctx, 0, &in);
  if (!st) st = xai_ew_input(ctx, 1, &axes);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st)
    st = minmax ? xai_ew_check_type(ctx, in, "input", k_minmax, 2)
                : xai_ew_check_type(ctx, in, "input", k_f32, 1);
  if (!st) st = xai_ew_same_type(ctx, in, "input", out, "output");
  if (!st) st = xai_ew_check_type(ctx, axes, "axis", k_axis, 1);
  if (st) return st;
  if (axes->mem != XAI_MEM_CONST || !axes->data)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "axis tensor must be constant (dynamic axes are not "
                       "supported)");
  if ((in->type == XAI_TYPE_INT8 || in->type == XAI_TYPE_INT16) &&
      (in->scale != out->scale || in->zero_point != out->zero_point))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "%s needs the input's quantization on the output "
                       "(TFLM compares raw values)", ctx->op_name);
  rm_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->kind = kind;
  d->type = in->type;
  xai_shape s, want;
  if ((st = xai_ew_shape(ctx, in, &s))) return st;
  xai_error e;
  xai_error_clear(&e);
  if (xai_reduce_plan_make(&s, (const int32_t *)axes->data,
                           (int32_t)xai_rt_tensor_elements(axes), &d->plan,
                           &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s", e.message);
  xai_reduce_out_shape(&d->plan, ctx->options->u.reducer.keep_dims, &want);
  return xai_ew_check_dims(ctx, out, "output", &want);
}

xai_status xai_reduce_more_eval(xai_op_ctx *ctx) {
  const rm_data *d = ctx->data;
  const void *in = xai_op_input(ctx, 0)->data;
  void *out = xai_op_output(ctx, 0)->data;
  switch (d->kind) {
    case XAI_REDUCE_MAX:
    case XAI_REDUCE_MIN:
      return xai_reduce_minmax_ref(&d->plan, d->type,
                                   d->kind == XAI_REDUCE_MIN, in, out);
    case XAI_REDUCE_MEAN:
    case XAI_REDUCE_SUM:
      xai_reduce_sum_f32_ref(&d->plan, d->kind == XAI_REDUCE_MEAN, in, out);
      return XAI_OK;
  }
  return XAI_ERR_STATE;
}

static xai_status prepare_max(xai_op_ctx *ctx) {
  return xai_reduce_more_prepare(ctx, XAI_REDUCE_MAX);
}
static xai_status prepare_min(xai_op_ctx *ctx) {
  return xai_reduce_more_prepare(ctx, XAI_REDUCE_MIN);
}

const xai_op_registration xai_op_reduce_max = {
    XAI_OP_REDUCE_MAX, NULL, prepare_max, xai_reduce_more_eval, NULL};
const xai_op_registration xai_op_reduce_min = {
    XAI_OP_REDUCE_MIN, NULL, prepare_min, xai_reduce_more_eval, NULL};
