/* UNIDIRECTIONAL_SEQUENCE_LSTM with int16 (16x8: int8 weights, int64
 * biases, int16 cell state) or float32 activations, as TFLite Micro runs
 * them (lstm_eval_common.cc, lstm_eval.h): the plain LSTM only (TFLM has
 * no CIFG, peephole, projection or layer norm), 24 inputs, the cell gate's
 * nonlinearity the op's fused TANH. LiteRT's float and 16x8
 * LSTMs round differently and are not offered (refused in the litert
 * mode). recurrent_lstm.c hands these types here. */
#include <math.h>
#include <string.h>

#include "recurrent_lstm_internal.h"
#include "shape_internal.h"
#include "xai/kernels_ref/quant.h"
#include "xai/kernels_ref/recurrent_wide.h"
#include "xai/tflite.h"

enum {
  IN_INPUT = 0, IN_I2I = 1, IN_R2I = 5, IN_BIAS_I = 12, IN_OUT_STATE = 18,
  IN_CELL_STATE = 19, IN_COUNT = 24,
};

typedef struct {
  union {
    xai_lstm_s16_params s16;
    xai_lstm_f32_params f32;
  } p;
  bool is_float;
  int32_t max_time, batch;
  bool time_major;
  int32_t scratch;
} lstm_wide_data;

static xai_status need(xai_op_ctx *ctx, const xai_rt_tensor *t, uint32_t slot,
                       int8_t type, int32_t d0, int32_t d1) {
  if (!t)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input %u is absent; TFLite Micro's LSTM needs every "
                       "gate's weights and bias (no CIFG)",
                       slot);
  if (t->type != type)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "input %u is %s; expected %s",
                       slot, xai_tensor_type_name(t->type),
                       xai_tensor_type_name(type));
  const bool ok = d1 < 0 ? (t->rank == 1 && t->dims[0] == d0)
                         : (t->rank == 2 && t->dims[0] == d0 &&
                            t->dims[1] == d1);
  if (!ok)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       d1 < 0 ? "input %u must have shape [%d]"
                              : "input %u must have shape [%d, %d]",
                       slot, (int)d0, (int)d1);
  if (!xai_shape_op_is_const(t))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input %u (weights or bias) must be constant", slot);
  if (type == XAI_TYPE_INT8 && t->quant_count != 1)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input %u needs one per-tensor quantization (it has "
                       "%u scales)",
                       slot, (unsigned)t->quant_count);
  return XAI_OK;
}

static void quantize(double real, int32_t *mult, int32_t *shift) {
  int s;
  xai_quantize_multiplier(real, mult, &s);
  *shift = s;
}

/* TFLM's CreateGateParams: GetQuantizedConvolutionMultipler forms the
 * scale product in float, then divides by the Q3.12 scale in double. */
static void fc_scale(float in_scale, float w_scale, int32_t *mult,
                     int32_t *shift) {
  const float prod = in_scale * w_scale;
  quantize((double)prod / (double)powf(2.0f, -12.0f), mult, shift);
}

/* TFLM's CreateInterGateMulParams, in double. */
static void mul_scale(float a, float b, float out, int32_t *mult,
                      int32_t *shift) {
  quantize((double)a * (double)b / (double)out, mult, shift);
}

static xai_status prepare_s16(xai_op_ctx *ctx, lstm_wide_data *d,
                              const xai_rt_tensor *in,
                              const xai_rt_tensor *os,
                              const xai_rt_tensor *cs, int32_t n_cell) {
  xai_lstm_s16_params *p = &d->p.s16;
  const xai_unidirectional_sequence_lstm_options *o =
      &ctx->options->u.unidirectional_sequence_lstm;
  if (cs->type != XAI_TYPE_INT16)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "cell_state is %s; the 16x8 LSTM needs INT16",
                       xai_tensor_type_name(cs->type));
  if (!in->quant_count || !os->quant_count || !cs->quant_count)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the int16 LSTM needs quantized input and states");
  if (in->zero_point || os->zero_point)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "int16 input and output_state must have zero point 0 "
                       "(TFLite Micro's int16 fully connected)");
  const float l2 = log2f(cs->scale);
  if (!(cs->scale > 0.0f) || !isfinite(cs->scale) ||
      fabsf(l2 - roundf(l2)) >= 1e-3f)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "cell_state scale %g is not a power of two",
                       (double)cs->scale);
  p->cell_scale_log2 = (int32_t)roundf(l2);
  if (p->cell_scale_log2 < -43 || p->cell_scale_log2 > 2)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "cell_state scale %g is outside 2^-43..2^2",
                       (double)cs->scale);
  for (int g = 0; g < XAI_LSTM_GATES; g++) {
    const uint32_t si = IN_I2I + (uint32_t)g, sr = IN_R2I + (uint32_t)g,
                   sb = IN_BIAS_I + (uint32_t)g;
    const xai_rt_tensor *wi = xai_op_input(ctx, si), *wr = xai_op_input(ctx, sr),
                        *b = xai_op_input(ctx, sb);
    xai_status st = need(ctx, wi, si, XAI_TYPE_INT8, n_cell, p->n_input);
    if (!st) st = need(ctx, wr, sr, XAI_TYPE_INT8, n_cell, n_cell);
    if (!st) st = need(ctx, b, sb, XAI_TYPE_INT64, n_cell, -1);
    if (st) return st;
    xai_lstm_gate_s16 *gp = &p->gate[g];
    gp->input_weights = wi->data;
    gp->recurrent_weights = wr->data;
    gp->bias = b->data;
    gp->input_weights_offset = -wi->zero_point;
    gp->recurrent_weights_offset = -wr->zero_point;
    fc_scale(in->scale, wi->scale, &gp->input_multiplier, &gp->input_shift);
    fc_scale(os->scale, wr->scale, &gp->recurrent_multiplier,
             &gp->recurrent_shift);
  }
  const float q15 = powf(2.0f, -15.0f);
  mul_scale(q15, cs->scale, cs->scale, &p->forget_cell_multiplier,
            &p->forget_cell_shift);
  mul_scale(q15, q15, cs->scale, &p->input_cell_multiplier,
            &p->input_cell_shift);
  mul_scale(q15, q15, os->scale, &p->hidden_multiplier, &p->hidden_shift);
  p->hidden_zero_point = os->zero_point;
  if (o->cell_clip > 0) {
    double c = (double)o->cell_clip / (double)cs->scale;
    c = c < -32768.0 ? -32768.0 : (c > 32767.0 ? 32767.0 : c);
    p->cell_clip = (int16_t)c;
  }
  p->batch = d->time_major ? d->batch : 1;
  return xai_op_request_scratch(ctx, xai_lstm_s16_scratch_size(p),
                                &d->scratch);
}

static xai_status prepare_f32(xai_op_ctx *ctx, lstm_wide_data *d,
                              const xai_rt_tensor *cs, int32_t n_cell) {
  xai_lstm_f32_params *p = &d->p.f32;
  if (cs->type != XAI_TYPE_FLOAT32)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "cell_state is %s; the float LSTM needs FLOAT32",
                       xai_tensor_type_name(cs->type));
  for (int g = 0; g < XAI_LSTM_GATES; g++) {
    const uint32_t si = IN_I2I + (uint32_t)g, sr = IN_R2I + (uint32_t)g,
                   sb = IN_BIAS_I + (uint32_t)g;
    const xai_rt_tensor *wi = xai_op_input(ctx, si), *wr = xai_op_input(ctx, sr),
                        *b = xai_op_input(ctx, sb);
    xai_status st = need(ctx, wi, si, XAI_TYPE_FLOAT32, n_cell, p->n_input);
    if (!st) st = need(ctx, wr, sr, XAI_TYPE_FLOAT32, n_cell, n_cell);
    if (!st) st = need(ctx, b, sb, XAI_TYPE_FLOAT32, n_cell, -1);
    if (st) return st;
    p->gate[g].input_weights = wi->data;
    p->gate[g].recurrent_weights = wr->data;
    p->gate[g].bias = b->data;
  }
  p->cell_clip = ctx->options->u.unidirectional_sequence_lstm.cell_clip;
  p->batch = d->time_major ? d->batch : 1;
  return xai_op_request_scratch(ctx, xai_lstm_f32_scratch_size(p),
                                &d->scratch);
}

xai_status xai_lstm_wide_prepare(xai_op_ctx *ctx) {
  const xai_unidirectional_sequence_lstm_options *o =
      &ctx->options->u.unidirectional_sequence_lstm;
  if (xai_op_semantics(ctx) == XAI_SEMANTICS_LITERT)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "the int16 and float LSTMs follow TFLite Micro's "
                       "arithmetic only; run without --semantics litert");
  if (ctx->input_count != IN_COUNT)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the op has %u inputs; TFLite Micro's LSTM takes 24",
                       ctx->input_count);
  static const uint32_t absent[] = {9, 10, 11, 16, 17, 20, 21, 22, 23};
  for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
    if (xai_op_input(ctx, absent[i]))
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "input %u is present: peephole, projection and "
                         "layer-norm LSTMs are not supported in int16 or "
                         "float (TFLite Micro has none)",
                         absent[i]);
  /* The schema has no SIGMOID: TANH is the one cell activation TFLM runs. */
  if (o->fused_activation_function != XAI_ACT_TANH)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "cell gate activation %d; TFLite Micro's LSTM takes "
                       "TANH only",
                       (int)o->fused_activation_function);
  xai_rt_tensor *in, *out, *os, *cs;
  xai_status st = xai_shape_op_input(ctx, IN_INPUT, "input", &in);
  if (!st) st = xai_shape_op_input(ctx, IN_OUT_STATE, "output_state", &os);
  if (!st) st = xai_shape_op_input(ctx, IN_CELL_STATE, "cell_state", &cs);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (st) return st;
  if (in->rank != 3)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input must be 3-D (TFLite Micro's LSTM)");
  if (os->type != in->type || out->type != in->type)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "output_state and output must be %s like the input",
                       xai_tensor_type_name(in->type));
  if (os->mem != XAI_MEM_PERSISTENT || cs->mem != XAI_MEM_PERSISTENT)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output_state and cell_state must be variable tensors");
  const xai_rt_tensor *w_f = xai_op_input(ctx, 2);
  if (!w_f || w_f->rank != 2)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input_to_forget_weights must be 2-D");
  lstm_wide_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  d->time_major = o->time_major;
  d->max_time = o->time_major ? in->dims[0] : in->dims[1];
  d->batch = o->time_major ? in->dims[1] : in->dims[0];
  const int32_t n_input = in->dims[2], n_cell = w_f->dims[0];
  if (xai_rt_tensor_elements(os) != (size_t)d->batch * n_cell ||
      xai_rt_tensor_elements(cs) != (size_t)d->batch * n_cell)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "state sizes do not match batch %d x %d cells",
                       (int)d->batch, (int)n_cell);
  xai_shape want = {3, {in->dims[0], in->dims[1], n_cell}};
  st = xai_shape_op_check_dims(ctx, out, "output", &want);
  if (st) return st;
  const int32_t cell_act = XAI_LSTM_CELL_TANH;
  d->is_float = in->type == XAI_TYPE_FLOAT32;
  if (d->is_float) {
    d->p.f32.n_input = n_input;
    d->p.f32.n_cell = n_cell;
    d->p.f32.cell_activation = cell_act;
    return prepare_f32(ctx, d, cs, n_cell);
  }
  d->p.s16.n_input = n_input;
  d->p.s16.n_cell = n_cell;
  d->p.s16.cell_activation = cell_act;
  return prepare_s16(ctx, d, in, os, cs, n_cell);
}

xai_status xai_lstm_wide_eval(xai_op_ctx *ctx) {
  const lstm_wide_data *d = ctx->data;
  const size_t el = d->is_float ? sizeof(float) : sizeof(int16_t);
  const int32_t n_input = d->is_float ? d->p.f32.n_input : d->p.s16.n_input;
  const int32_t n_cell = d->is_float ? d->p.f32.n_cell : d->p.s16.n_cell;
  const uint8_t *in = xai_op_input(ctx, IN_INPUT)->data;
  uint8_t *hidden = xai_op_input(ctx, IN_OUT_STATE)->data;
  uint8_t *cell = xai_op_input(ctx, IN_CELL_STATE)->data;
  uint8_t *out = xai_op_output(ctx, 0)->data;
  void *scratch = xai_op_scratch(ctx, d->scratch);
  const size_t ni = (size_t)n_input * el, nc = (size_t)n_cell * el;
  /* Time-major steps run the whole batch; batch-major ones a row each. */
  const int32_t rows = d->time_major ? d->batch : 1;
  const int32_t outer = d->time_major ? 1 : d->batch;
  xai_status st = XAI_OK;
  for (int32_t b = 0; b < outer && !st; b++)
    for (int32_t t = 0; t < d->max_time && !st; t++) {
      const size_t step = d->time_major ? (size_t)t
                                        : (size_t)b * d->max_time + t;
      const size_t at_in = step * rows * ni, at_out = step * rows * nc;
      const size_t at_state = (size_t)b * nc;
      st = d->is_float
               ? xai_lstm_step_f32_ref(&d->p.f32, (const float *)(in + at_in),
                                       (float *)(hidden + at_state),
                                       (float *)(cell + at_state),
                                       (float *)(out + at_out), scratch)
               : xai_lstm_step_s16_tflm_ref(
                     &d->p.s16, (const int16_t *)(in + at_in),
                     (int16_t *)(hidden + at_state),
                     (int16_t *)(cell + at_state), (int16_t *)(out + at_out),
                     scratch);
    }
  if (st) return xai_op_fail(ctx, st, "lstm kernel rejected its arguments");
  return XAI_OK;
}
