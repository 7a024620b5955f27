/* float32 SOFTMAX, LOGISTIC, TANH, LEAKY_RELU, HARD_SWISH, in TFLite
 * Micro's reference float arithmetic (activations_ops.c hands float
 * inputs here). */
#include <float.h>
#include <math.h>

#include "activations_float_internal.h"
#include "elementwise_internal.h"

typedef struct {
  xai_act_float_kind kind;
  size_t count, outer, depth;
  float beta, alpha;
} actf_data;

static const int8_t k_f32[] = {XAI_TYPE_FLOAT32};

xai_status xai_act_float_prepare(xai_op_ctx *ctx, xai_act_float_kind kind) {
  xai_rt_tensor *in, *out;
  xai_status st = xai_ew_input(ctx, 0, &in);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, out, "output", k_f32, 1);
  xai_shape s;
  if (!st) st = xai_ew_shape(ctx, in, &s);
  if (!st) st = xai_ew_check_dims(ctx, out, "output", &s);
  if (st) return st;
  actf_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->kind = kind;
  d->count = xai_rt_tensor_elements(in);
  d->depth = in->rank ? (size_t)in->dims[in->rank - 1] : 1;
  d->outer = d->depth ? d->count / d->depth : 0;
  d->beta = ctx->options->u.softmax.beta;
  d->alpha = ctx->options->u.leaky_relu.alpha;
  return XAI_OK;
}

static void softmax(const actf_data *d, const float *in, float *out) {
  for (size_t i = 0; i < d->outer; i++) {
    const float *x = in + i * d->depth;
    float *y = out + i * d->depth;
    float max = -FLT_MAX;
    for (size_t c = 0; c < d->depth; c++) max = x[c] > max ? x[c] : max;
    float sum = 0.0f;
    for (size_t c = 0; c < d->depth; c++) {
      y[c] = expf((x[c] - max) * d->beta);
      sum += y[c];
    }
    for (size_t c = 0; c < d->depth; c++) y[c] = y[c] / sum;
  }
}

static float logistic(float v) {
  if (v > 16.619047164916992188f) return 1.0f;
  if (v < -9.0f) return expf(v);
  return 1.0f / (1.0f + expf(-v));
}

xai_status xai_act_float_eval(xai_op_ctx *ctx) {
  const actf_data *d = ctx->data;
  const float *in = xai_op_input(ctx, 0)->data;
  float *out = xai_op_output(ctx, 0)->data;
  if (d->kind == XAI_ACTF_SOFTMAX) {
    softmax(d, in, out);
    return XAI_OK;
  }
  for (size_t i = 0; i < d->count; i++) {
    const float v = in[i];
    switch (d->kind) {
      case XAI_ACTF_LOGISTIC: out[i] = logistic(v); break;
      case XAI_ACTF_TANH: out[i] = tanhf(v); break;
      case XAI_ACTF_LEAKY_RELU: out[i] = v > 0.0f ? v : v * d->alpha; break;
      case XAI_ACTF_HARD_SWISH:
        out[i] = v * fminf(6.0f, fmaxf(0.0f, v + 3.0f)) / 6.0f;
        break;
      case XAI_ACTF_SOFTMAX: break;
    }
  }
  return XAI_OK;
}
