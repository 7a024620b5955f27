/* float32 SVDF as TFLite Micro runs it (svdf_common.cc PrepareSvdf and
 * EvalFloatSvdfReference): float input, weights, bias and variable state.
 * recurrent_svdf.c hands float inputs here. */
#include <string.h>

#include "recurrent_svdf_internal.h"
#include "shape_internal.h"
#include "xai/kernels_ref/recurrent_wide.h"
#include "xai/tflite.h"

typedef struct {
  xai_svdf_f32_params p;
  int32_t scratch;
} svdf_f32_data;

xai_status xai_svdf_f32_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *wf, *wt, *state, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_input(ctx, 1, "weights_feature", &wf);
  if (!st) st = xai_shape_op_input(ctx, 2, "weights_time", &wt);
  if (!st) st = xai_shape_op_input(ctx, 4, "activation_state", &state);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (st) return st;
  const xai_rt_tensor *bias = xai_op_input(ctx, 3);
  /* TFLM's float SVDF reads the bias unconditionally. */
  if (!bias)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "the float SVDF needs its bias (input 3), as in "
                       "TFLite Micro");
  const xai_rt_tensor *const all[] = {wf, wt, bias, state, out};
  static const char *const names[] = {"weights_feature", "weights_time",
                                      "bias", "activation_state", "output"};
  for (int i = 0; i < 5; i++)
    if (all[i]->type != XAI_TYPE_FLOAT32)
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "%s is %s; the float SVDF needs FLOAT32", names[i],
                         xai_tensor_type_name(all[i]->type));
  if (in->rank != 2 || wf->rank != 2 || wt->rank != 2 || state->rank != 2 ||
      out->rank != 2)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input, weights, state and output must be 2-D");
  const int32_t rank = ctx->options->u.svdf.rank;
  const int8_t act = ctx->options->u.svdf.fused_activation_function;
  const int32_t batch = in->dims[0], filters = wf->dims[0];
  if (rank <= 0 || filters % rank != 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "rank %d does not divide the %d filters", (int)rank,
                       (int)filters);
  if (act < XAI_ACT_NONE || act > XAI_ACT_SIGN_BIT)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "fused activation %d is not one of the schema's",
                       (int)act);
  const int32_t units = filters / rank, memory = wt->dims[1];
  if (in->dims[1] != wf->dims[1] || wt->dims[0] != filters)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "weights shapes [%d,%d] and [%d,%d] do not fit input "
                       "size %d",
                       (int)wf->dims[0], (int)wf->dims[1], (int)wt->dims[0],
                       (int)wt->dims[1], (int)in->dims[1]);
  if (bias->rank != 1 || bias->dims[0] != units)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "bias must have %d values",
                       (int)units);
  if (state->dims[0] != batch || state->dims[1] != memory * filters)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "activation_state must have shape [%d, %d]",
                       (int)batch, (int)(memory * filters));
  if (state->mem != XAI_MEM_PERSISTENT)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "activation_state (input 4) must be a variable tensor");
  xai_shape want = {2, {batch, units}};
  st = xai_shape_op_check_dims(ctx, out, "output", &want);
  if (st) return st;
  svdf_f32_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  d->p.batch = batch, d->p.input_size = in->dims[1];
  d->p.num_filters = filters, d->p.rank = rank, d->p.memory_size = memory;
  d->p.activation = act;
  return xai_op_request_scratch(ctx, xai_svdf_f32_scratch_size(&d->p),
                                &d->scratch);
}

xai_status xai_svdf_f32_eval(xai_op_ctx *ctx) {
  const svdf_f32_data *d = ctx->data;
  xai_status st = xai_svdf_f32_ref(
      &d->p, xai_op_input(ctx, 0)->data, xai_op_input(ctx, 1)->data,
      xai_op_input(ctx, 2)->data, xai_op_input(ctx, 3)->data,
      xai_op_input(ctx, 4)->data, xai_op_output(ctx, 0)->data,
      xai_op_scratch(ctx, d->scratch));
  if (st) return xai_op_fail(ctx, st, "svdf kernel rejected its arguments");
  return XAI_OK;
}
