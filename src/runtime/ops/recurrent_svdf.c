/* SVDF, integer path: int8 input/output, int8 weights_feature, int32 bias,
 * and either int16 weights_time + int16 variable state (TFLite svdf.cc) or
 * int8 weights_time + int8 state (TFLite Micro's svdf_common.cc; LiteRT
 * has no int8-state path). float32 inputs go to recurrent_svdf_f32.c. */
#include <stdbool.h>
#include <string.h>

#include "recurrent_svdf_internal.h"
#include "shape_internal.h"
#include "xai/kernels_ref/quant.h"
#include "xai/kernels_ref/recurrent.h"

typedef struct {
  xai_svdf_s8_params p;
  int32_t scratch;
  bool state8; /* int8 weights_time and state (TFLM) */
} svdf_data;

static xai_status need_type(xai_op_ctx *ctx, const xai_rt_tensor *t,
                            const char *what, int8_t type) {
  if (t->type == type) return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "%s is %s; expected %s", what,
                     xai_tensor_type_name(t->type), xai_tensor_type_name(type));
}

static xai_status prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *wf, *wt, *state, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_input(ctx, 1, "weights_feature", &wf);
  if (!st) st = xai_shape_op_input(ctx, 2, "weights_time", &wt);
  if (!st) st = xai_shape_op_input(ctx, 4, "activation_state", &state);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st && in->type == XAI_TYPE_FLOAT32) return xai_svdf_f32_prepare(ctx);
  if (!st) st = need_type(ctx, in, "input", XAI_TYPE_INT8);
  if (!st) st = need_type(ctx, wf, "weights_feature", XAI_TYPE_INT8);
  if (st) return st;
  /* weights_time and state share one type: TFLM instantiates its integer
   * SVDF for int16 or int8 both together. */
  const int8_t wt_type =
      wt->type == XAI_TYPE_INT8 ? XAI_TYPE_INT8 : XAI_TYPE_INT16;
  if (!st) st = need_type(ctx, wt, "weights_time", wt_type);
  if (!st) st = need_type(ctx, state, "activation_state", wt_type);
  if (!st) st = need_type(ctx, out, "output", XAI_TYPE_INT8);
  if (st) return st;
  const xai_rt_tensor *bias = xai_op_input(ctx, 3);
  if (bias && (st = need_type(ctx, bias, "bias", XAI_TYPE_INT32))) return st;
  if (in->rank != 2 || wf->rank != 2 || wt->rank != 2)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input, weights_feature and weights_time must be 2-D");
  const int32_t rank = ctx->options->u.svdf.rank;
  const int32_t batch = in->dims[0], filters = wf->dims[0];
  if (rank <= 0 || filters % rank != 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "rank %d does not divide the %d filters", (int)rank,
                       (int)filters);
  const int32_t units = filters / rank, memory = wt->dims[1];
  if (in->dims[1] != wf->dims[1] || wt->dims[0] != filters)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "weights shapes [%d,%d] and [%d,%d] do not fit input "
                       "size %d",
                       (int)wf->dims[0], (int)wf->dims[1], (int)wt->dims[0],
                       (int)wt->dims[1], (int)in->dims[1]);
  if (bias && (bias->rank != 1 || bias->dims[0] != units))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "bias must have %d values",
                       (int)units);
  if (xai_rt_tensor_elements(state) != (size_t)batch * memory * filters)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "activation_state has %zu elements; expected %d x %d",
                       xai_rt_tensor_elements(state), (int)batch,
                       (int)(memory * filters));
  if (state->mem != XAI_MEM_PERSISTENT)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "activation_state (input 4) must be a variable tensor");
  xai_shape want = {2, {batch, units}};
  st = xai_shape_op_check_dims(ctx, out, "output", &want);
  if (st) return st;
  if (!in->quant_count || !wf->quant_count || !wt->quant_count ||
      !state->quant_count || !out->quant_count)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "integer SVDF needs quantized input, weights, state "
                       "and output");

  svdf_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  xai_svdf_s8_params *p = &d->p;
  p->batch = batch, p->input_size = in->dims[1], p->num_filters = filters;
  p->rank = rank, p->memory_size = memory;
  p->input_zero_point = in->zero_point;
  p->output_zero_point = out->zero_point;
  d->state8 = wt_type == XAI_TYPE_INT8;
  /* TFLite's int16 path assumes a zero state zero point; TFLM's int8 one
   * honours it. */
  if (d->state8) p->state_zero_point = state->zero_point;
  /* TFLite forms both scales as float products, then widens to double. */
  float e1 = in->scale * wf->scale;
  e1 = e1 / state->scale;
  float e2 = state->scale * wt->scale;
  e2 = e2 / out->scale;
  int shift;
  xai_quantize_multiplier((double)e1, &p->multiplier_1, &shift);
  p->shift_1 = shift;
  xai_quantize_multiplier((double)e2, &p->multiplier_2, &shift);
  p->shift_2 = shift;
  return xai_op_request_scratch(ctx, xai_svdf_s8_scratch_size(p), &d->scratch);
}

static xai_status eval(xai_op_ctx *ctx) {
  if (xai_op_input(ctx, 0)->type == XAI_TYPE_FLOAT32)
    return xai_svdf_f32_eval(ctx);
  svdf_data *d = ctx->data;
  const xai_rt_tensor *bias = xai_op_input(ctx, 3);
  const int32_t *bias_data = bias ? bias->data : NULL;
  void *scratch = xai_op_scratch(ctx, d->scratch);
  xai_status st =
      d->state8
          ? xai_svdf_s8_state8_ref(
                &d->p, xai_op_input(ctx, 0)->data, xai_op_input(ctx, 1)->data,
                xai_op_input(ctx, 2)->data, bias_data,
                xai_op_input(ctx, 4)->data, xai_op_output(ctx, 0)->data,
                scratch)
          : xai_svdf_s8_ref(&d->p, xai_op_input(ctx, 0)->data,
                            xai_op_input(ctx, 1)->data,
                            xai_op_input(ctx, 2)->data, bias_data,
                            xai_op_input(ctx, 4)->data,
                            xai_op_output(ctx, 0)->data, scratch);
  if (st) return xai_op_fail(ctx, st, "svdf kernel rejected its arguments");
  return XAI_OK;
}

const xai_op_registration xai_op_svdf = {XAI_OP_SVDF, NULL, prepare, eval, NULL};
