/* UNIDIRECTIONAL_SEQUENCE_LSTM, integer 8x8->16 path (TFLite
 * unidirectional_sequence_lstm.cc PopulateQuantizedLstmParams8x8_16 and
 * lstm_eval EvalInteger8x8_16): int8 input/output/output state, int16 cell
 * state with a power-of-two scale, int8 weights, int32 biases, optional
 * int16 peepholes and int8 projection. Without layer norm the gates are
 * Q3.12 (scale 2^-12); in LiteRT's arithmetic the hidden state's scale and
 * zero point come from the op's fifth intermediate tensor, in TFLite
 * Micro's (lstm_tflm.c, the default) from the output state. Layer-norm
 * LSTMs are not supported. int16 (16x8) and float32 inputs go to
 * recurrent_lstm_wide.c. */
#include <math.h>
#include <string.h>

#include "interp_internal.h"
#include "recurrent_lstm_internal.h"
#include "shape_internal.h"
#include "xai/kernels_ref/quant.h"
#include "xai/kernels_ref/recurrent.h"

enum {
  IN_INPUT = 0, IN_I2I = 1, IN_R2I = 5, IN_C2I = 9, IN_BIAS_I = 12,
  IN_PROJ_W = 16, IN_PROJ_B = 17, IN_OUT_STATE = 18, IN_CELL_STATE = 19,
  IN_LN_FIRST = 20, IN_COUNT = 24,
};

typedef struct {
  xai_lstm_s8_params p;
  int32_t max_time, batch;
  bool time_major;
  bool tflm; /* TFLite Micro's step (lstm_tflm.c), else LiteRT's */
  int32_t scratch;
} lstm_data;

static const char k_need_hidden[] =
    "LiteRT's integer LSTM (and any with CIFG, peepholes or projection) "
    "needs 5 intermediate tensors, the 5th quantized (hidden state); "
    "requantize the model with the TFLite converter";
static const char *const gate_names[4] = {"input", "forget", "cell",
                                          "output"};

static xai_status need(xai_op_ctx *ctx, const xai_rt_tensor *t, uint32_t slot,
                       int8_t type, int32_t d0, int32_t d1) {
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
  return XAI_OK;
}

/* Intermediate i of this op (TFLite's GetIntermediates); NULL if absent. */
static const xai_rt_tensor *intermediate(const xai_op_ctx *ctx, uint32_t i) {
  xai_tfl_operator op;
  xai_tfl_get_operator(&ctx->interp->view, ctx->subgraph, ctx->index, &op);
  if (i >= op.intermediates.count) return NULL;
  const int32_t t = op.intermediates.data[i];
  const xai_sg_state *sg = &ctx->interp->subgraphs[ctx->subgraph];
  if (t < 0 || (uint32_t)t >= sg->tensor_count) return NULL;
  return &sg->tensors[t];
}

/* TFLite CheckedLog2: the cell state's scale must be a power of two. */
static bool checked_log2(float x, int32_t *out) {
  if (!(x > 0.0f) || !isfinite(x)) return false; /* a corrupt scale */
  const float l = logf(x) * (1.0f / logf(2.0f));
  const float r = roundf(l);
  *out = (int32_t)r;
  return fabsf(l - r) < 1e-3f;
}

static void quantize(double real, int32_t *mult, int32_t *shift) {
  int s;
  xai_quantize_multiplier(real, mult, &s);
  *shift = s;
}

static xai_status prepare(xai_op_ctx *ctx) {
  const xai_unidirectional_sequence_lstm_options *o =
      &ctx->options->u.unidirectional_sequence_lstm;
  if (ctx->input_count != IN_COUNT && ctx->input_count != 20)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the op has %u inputs; LSTM expects 20 or 24",
                       ctx->input_count);
  for (uint32_t i = IN_LN_FIRST; i < ctx->input_count; i++)
    if (xai_op_input(ctx, i))
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "layer-norm LSTM (input %u present) is not "
                         "supported",
                         i);
  const xai_rt_tensor *in0 = xai_op_input(ctx, IN_INPUT);
  if (in0 && (in0->type == XAI_TYPE_INT16 || in0->type == XAI_TYPE_FLOAT32))
    return xai_lstm_wide_prepare(ctx);
  xai_rt_tensor *in, *out, *os, *cs, *w_if, *w_rf;
  xai_status st = xai_shape_op_input(ctx, IN_INPUT, "input", &in);
  if (!st) st = xai_shape_op_input(ctx, 4, "input_to_output_weights", &w_if);
  if (!st) st = xai_shape_op_input(ctx, 8, "recurrent_to_output_weights", &w_rf);
  if (!st) st = xai_shape_op_input(ctx, IN_OUT_STATE, "output_state", &os);
  if (!st) st = xai_shape_op_input(ctx, IN_CELL_STATE, "cell_state", &cs);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (st) return st;
  if (in->type != XAI_TYPE_INT8)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input is %s; the LSTM runs int8, int16 (16x8) "
                       "and float32 inputs",
                       xai_tensor_type_name(in->type));
  if (in->rank != 2 && in->rank != 3)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "input must be 2-D or 3-D");
  if (w_if->rank != 2 || w_rf->rank != 2)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "weights must be 2-D");
  lstm_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  xai_lstm_s8_params *p = &d->p;
  d->time_major = o->time_major;
  if (in->rank == 3) {
    d->max_time = o->time_major ? in->dims[0] : in->dims[1];
    d->batch = o->time_major ? in->dims[1] : in->dims[0];
  } else {
    d->max_time = 1;
    d->batch = in->dims[0];
  }
  p->n_input = in->dims[in->rank - 1];
  p->n_cell = w_if->dims[0];
  p->n_output = w_rf->dims[1];
  const int32_t n_cell = p->n_cell, n_output = p->n_output;

  /* Output state and cell state: variable tensors of the right size. */
  if (os->type != XAI_TYPE_INT8 || cs->type != XAI_TYPE_INT16)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "output_state must be INT8 and cell_state INT16 (the "
                       "8x8->16 integer LSTM)");
  if (os->mem != XAI_MEM_PERSISTENT || cs->mem != XAI_MEM_PERSISTENT)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output_state and cell_state must be variable tensors");
  if (xai_rt_tensor_elements(os) != (size_t)d->batch * n_output ||
      xai_rt_tensor_elements(cs) != (size_t)d->batch * n_cell)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "state sizes do not match batch %d x (%d, %d)",
                       (int)d->batch, (int)n_output, (int)n_cell);
  xai_shape want;
  st = xai_shape_op_shape(ctx, in, "input", &want);
  if (st) return st;
  want.dims[want.rank - 1] = n_output;
  st = xai_shape_op_check_dims(ctx, out, "output", &want);
  if (st) return st;
  if (out->type != XAI_TYPE_INT8)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "output must be INT8");

  /* Intermediates: 5 for the integer LSTM; the 5th is the hidden state. */
  const xai_rt_tensor *hidden = intermediate(ctx, 4);
  if (hidden && !hidden->quant_count) hidden = NULL;
  const float gate_scale = (float)pow(2.0, -12); /* Q3.12, no layer norm */
  if (!checked_log2(cs->scale, &p->cell_scale_log2))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "cell_state scale %g is not a power of two",
                       cs->scale);
  /* tanh(c) shifts the cell state by 12 + log2(scale) into Q3.12: beyond
   * these powers the shift leaves int32. */
  if (p->cell_scale_log2 < -43 || p->cell_scale_log2 > 2)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "cell_state scale %g is outside 2^-43..2^2",
                       cs->scale);
  const int32_t zp_in = in->zero_point, zp_os = os->zero_point;

  const bool cifg = xai_op_input(ctx, IN_I2I) == NULL;
  if (cifg != (xai_op_input(ctx, IN_R2I) == NULL) ||
      (cifg && xai_op_input(ctx, IN_BIAS_I)))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input gate tensors must be all present or all absent "
                       "(CIFG)");
  const bool peephole = xai_op_input(ctx, IN_C2I + 2) != NULL;
  for (int g = 0; g < XAI_LSTM_GATES; g++) {
    xai_lstm_gate_s8 *gate = &p->gate[g];
    if (g == XAI_LSTM_GATE_INPUT && cifg) continue;
    const uint32_t si = IN_I2I + (uint32_t)g, sr = IN_R2I + (uint32_t)g,
                   sb = IN_BIAS_I + (uint32_t)g;
    /* Peepholes exist for the input, forget and output gates only. */
    const uint32_t sc = g == XAI_LSTM_GATE_OUTPUT ? IN_C2I + 2
                                                  : IN_C2I + (uint32_t)g;
    xai_rt_tensor *wi = xai_op_input(ctx, si), *wr = xai_op_input(ctx, sr),
                  *b = xai_op_input(ctx, sb);
    if (!wi || !wr || !b)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "%s gate weights or bias are missing", gate_names[g]);
    if ((st = need(ctx, wi, si, XAI_TYPE_INT8, n_cell, p->n_input)) ||
        (st = need(ctx, wr, sr, XAI_TYPE_INT8, n_cell, n_output)) ||
        (st = need(ctx, b, sb, XAI_TYPE_INT32, n_cell, -1)))
      return st;
    if (!xai_shape_op_is_const(wi) || !xai_shape_op_is_const(wr) ||
        !xai_shape_op_is_const(b))
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "%s gate weights and bias must be constant",
                         gate_names[g]);
    gate->input_weights = wi->data;
    gate->recurrent_weights = wr->data;
    /* TFLite computes these scales in float. */
    float e = wi->scale * in->scale;
    e = e / gate_scale;
    quantize((double)e, &gate->input_multiplier, &gate->input_shift);
    e = wr->scale * os->scale;
    e = e / gate_scale;
    quantize((double)e, &gate->recurrent_multiplier, &gate->recurrent_shift);
    /* The kernel subtracts the zero points itself: no per-row int32
     * effective biases in the tail (TFLite keeps 8 x n_cell of them). */
    gate->bias = b->data;
    const xai_rt_tensor *cw =
        g == XAI_LSTM_GATE_CELL ? NULL : xai_op_input(ctx, sc);
    if (peephole && g != XAI_LSTM_GATE_CELL) {
      if (!cw)
        return xai_op_fail(ctx, XAI_ERR_FORMAT,
                           "peephole weights must be all present or absent");
      if ((st = need(ctx, cw, sc, XAI_TYPE_INT16, n_cell, -1))) return st;
      gate->cell_weights = cw->data;
      /* pow(2, cell_scale) * w / gate scale, in double, stored as float. */
      const float ce = (float)(pow(2.0, p->cell_scale_log2) *
                               (double)cw->scale / (double)gate_scale);
      quantize((double)ce, &gate->cell_multiplier, &gate->cell_shift);
    } else if (cw) {
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "peephole weights must be all present or absent");
    }
  }

  /* Hidden: 2^-15 / hidden_scale * 2^-15 in double, stored as float. */
  if (hidden) {
    const float eh =
        (float)(pow(2.0, -15) / (double)hidden->scale * pow(2.0, -15));
    quantize((double)eh, &p->hidden_multiplier, &p->hidden_shift);
    p->hidden_zero_point = hidden->zero_point;
  }
  p->output_state_zero_point = zp_os;
  p->input_zero_point = zp_in;
  if (o->cell_clip < 0 || o->proj_clip < 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "cell_clip and proj_clip must be >= 0");
  if (o->cell_clip > 0) {
    float c = o->cell_clip / cs->scale;
    c = c < -32768.0f ? -32768.0f : (c > 32767.0f ? 32767.0f : c);
    p->cell_clip = (int16_t)c;
  }
  const xai_rt_tensor *pw = xai_op_input(ctx, IN_PROJ_W);
  const xai_rt_tensor *pb = xai_op_input(ctx, IN_PROJ_B);
  if (pw && !hidden)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s", k_need_hidden);
  if (pw) {
    if ((st = need(ctx, pw, IN_PROJ_W, XAI_TYPE_INT8, n_output, n_cell)))
      return st;
    if (pb && (st = need(ctx, pb, IN_PROJ_B, XAI_TYPE_INT32, n_output, -1)))
      return st;
    p->projection_weights = pw->data;
    float e = pw->scale * hidden->scale;
    e = e / os->scale;
    quantize((double)e, &p->projection_multiplier, &p->projection_shift);
    p->projection_bias = pb ? pb->data : NULL;
    if (o->proj_clip > 0) {
      float c = o->proj_clip / out->scale;
      c = c < -128.0f ? -128.0f : (c > 127.0f ? 127.0f : c);
      p->projection_clip = (int8_t)c;
    }
  } else if (pb) {
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "projection bias given without projection weights");
  } else if (n_output != n_cell) {
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "without projection the output size %d must equal "
                       "the cell count %d",
                       (int)n_output, (int)n_cell);
  }
  /* TFLite Micro's kernel takes only the plain LSTM (no CIFG, peephole
   * or projection; it refuses the rest): its arithmetic is the default for
   * those, LiteRT's for the variants and in the litert mode. */
  d->tflm = xai_op_semantics(ctx) == XAI_SEMANTICS_TFLM && !cifg &&
            !peephole && !pw;
  if (!d->tflm && !hidden)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s", k_need_hidden);
  if (d->tflm) {
    /* CreateInterGateMulParams: products of Q0.15 gates, in double. */
    const double q15 = pow(2.0, -15), cell = (double)cs->scale;
    quantize(q15 * cell / cell, &p->forget_cell_multiplier,
             &p->forget_cell_shift);
    quantize(q15 * q15 / cell, &p->input_cell_multiplier,
             &p->input_cell_shift);
    quantize(q15 * q15 / (double)os->scale, &p->hidden_multiplier,
             &p->hidden_shift);
    p->hidden_zero_point = zp_os;
  }
  /* Time-major steps run the whole batch; batch-major ones a row each. */
  p->batch = d->time_major ? d->batch : 1;
  return xai_op_request_scratch(ctx, xai_lstm_s8_scratch_size(p),
                                &d->scratch);
}

static xai_status eval(xai_op_ctx *ctx) {
  if (xai_op_input(ctx, IN_INPUT)->type != XAI_TYPE_INT8)
    return xai_lstm_wide_eval(ctx);
  lstm_data *d = ctx->data;
  const xai_lstm_s8_params *p = &d->p;
  const int8_t *in = xai_op_input(ctx, IN_INPUT)->data;
  int8_t *os = xai_op_input(ctx, IN_OUT_STATE)->data;
  int16_t *cs = xai_op_input(ctx, IN_CELL_STATE)->data;
  int8_t *out = xai_op_output(ctx, 0)->data;
  void *scratch = xai_op_scratch(ctx, d->scratch);
  xai_status (*step)(const xai_lstm_s8_params *, const int8_t *, int8_t *,
                     int16_t *, int8_t *, void *) =
      d->tflm ? xai_lstm_step_s8_tflm_ref : xai_lstm_step_s8_ref;
  const size_t ni = (size_t)p->n_input, no = (size_t)p->n_output;
  xai_status st = XAI_OK;
  if (d->time_major) {
    for (int32_t t = 0; t < d->max_time && !st; t++)
      st = step(p, in + (size_t)t * d->batch * ni, os, cs,
                out + (size_t)t * d->batch * no, scratch);
  } else {
    for (int32_t b = 0; b < d->batch && !st; b++)
      for (int32_t t = 0; t < d->max_time && !st; t++) {
        const size_t row = (size_t)b * d->max_time + t;
        st = step(p, in + row * ni, os + b * no, cs + (size_t)b * p->n_cell,
                  out + row * no, scratch);
      }
  }
  if (st) return xai_op_fail(ctx, st, "lstm kernel rejected its arguments");
  return XAI_OK;
}

const xai_op_registration xai_op_unidirectional_sequence_lstm = {
    XAI_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, NULL, prepare, eval, NULL};
