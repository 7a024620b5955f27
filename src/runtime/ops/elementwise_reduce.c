/* MEAN and SUM (int8, int16, float32) over constant axes (TFLite reduce.cc,
 * reference QuantizedMeanOrSum). */
#include "elementwise_internal.h"
#include "reduce_more_internal.h"

typedef struct {
  int sum;
  int8_t type;
  xai_reduce_plan plan;
  xai_reduce_params p;
  int32_t scratch;
} reduce_data;

static xai_status prepare(xai_op_ctx *ctx, int sum) {
  static const int8_t mean_types[] = {XAI_TYPE_INT8, XAI_TYPE_INT16};
  static const int8_t axis_types[] = {XAI_TYPE_INT32};
  xai_rt_tensor *in, *axes, *out;
  xai_status st = xai_ew_input(ctx, 0, &in);
  if (!st && in->type == XAI_TYPE_FLOAT32)
    return xai_reduce_more_prepare(ctx, sum ? XAI_REDUCE_SUM : XAI_REDUCE_MEAN);
  if (!st) st = xai_ew_input(ctx, 1, &axes);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, in, "input", mean_types, 2);
  if (!st) st = xai_ew_same_type(ctx, in, "input", out, "output");
  if (!st) st = xai_ew_check_type(ctx, axes, "axis", axis_types, 1);
  if (!st) st = xai_ew_check_quantized(ctx, in, "input");
  if (!st) st = xai_ew_check_quantized(ctx, out, "output");
  if (st) return st;
  if (axes->mem != XAI_MEM_CONST || !axes->data)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "axis tensor must be constant (dynamic axes are not "
                       "supported)");
  reduce_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->sum = sum;
  d->type = in->type;
  xai_shape s, want;
  if ((st = xai_ew_shape(ctx, in, &s))) return st;
  xai_error e;
  xai_error_clear(&e);
  if (xai_reduce_plan_make(&s, (const int32_t *)axes->data,
                           (int32_t)xai_rt_tensor_elements(axes), &d->plan,
                           &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s", e.message);
  const int keep = ctx->options ? ctx->options->u.reducer.keep_dims : 0;
  xai_reduce_out_shape(&d->plan, keep, &want);
  if ((st = xai_ew_check_dims(ctx, out, "output", &want))) return st;
  xai_reduce_params_make(in->scale, in->zero_point, out->scale,
                         out->zero_point, &d->p);
  return xai_op_request_scratch(ctx, xai_reduce_scratch_size(&d->plan),
                                &d->scratch);
}

static xai_status eval(xai_op_ctx *ctx) {
  if (xai_op_input(ctx, 0)->type == XAI_TYPE_FLOAT32)
    return xai_reduce_more_eval(ctx);
  const reduce_data *d = ctx->data;
  const void *in = xai_op_input(ctx, 0)->data;
  void *out = xai_op_output(ctx, 0)->data;
  int32_t *scratch = xai_op_scratch(ctx, d->scratch);
  if (d->type == XAI_TYPE_INT16)
    return d->sum ? xai_sum_s16_ref(&d->plan, &d->p, in, out, scratch)
                  : xai_mean_s16_ref(&d->plan, &d->p, in, out, scratch);
  return d->sum ? xai_sum_s8_ref(&d->plan, &d->p, in, out, scratch)
                : xai_mean_s8_ref(&d->plan, &d->p, in, out, scratch);
}

static xai_status prepare_mean(xai_op_ctx *ctx) { return prepare(ctx, 0); }
static xai_status prepare_sum(xai_op_ctx *ctx) { return prepare(ctx, 1); }

const xai_op_registration xai_op_mean = {XAI_OP_MEAN, NULL, prepare_mean,
                                         eval, NULL};
const xai_op_registration xai_op_sum = {XAI_OP_SUM, NULL, prepare_sum, eval, NULL};
