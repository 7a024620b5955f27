/* SOFTMAX, LOGISTIC, TANH, RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, PRELU,
 * HARD_SWISH (TFLite activations.cc), int8 (int16 where TFLite's reference
 * has it), float32 for the RELU family. */
#include <math.h>
#include <stddef.h>

#include "activations_float_internal.h"
#include "elementwise_internal.h"
#include "softmax_s16_internal.h"

typedef enum {
  A_SOFTMAX, A_LOGISTIC, A_TANH, A_RELU, A_RELU6, A_RELU1, A_LEAKY, A_PRELU,
  A_HARD_SWISH
} act_kind;

typedef struct {
  act_kind kind;
  int8_t in_type, out_type;
  size_t count, outer, depth;
  /* Only the member of the op's kind is allocated (act_data_size). */
  union {
    xai_softmax_params softmax;
    int8_t lut[256];
    struct { int32_t mult, left_shift; } lut16; /* int16 LOGISTIC / TANH */
    xai_relu_params relu;
    xai_leaky_relu_params leaky;
    struct {
      xai_prelu_params p;
      xai_bcast bc;
    } prelu;
    xai_hard_swish_params hard_swish;
  } u;
} act_data;

/* Bytes of act_data an op of this kind uses: the union member it reads,
 * not the largest one (a softmax would otherwise keep a 256-byte LUT's
 * room in the tail). */
static size_t act_data_size(act_kind kind) {
  const size_t head = offsetof(act_data, u);
  switch (kind) {
    case A_SOFTMAX: return head + sizeof(xai_softmax_params);
    case A_LOGISTIC:
    case A_TANH: return head + 256;
    case A_RELU:
    case A_RELU6:
    case A_RELU1: return head + sizeof(xai_relu_params);
    case A_LEAKY: return head + sizeof(xai_leaky_relu_params);
    case A_HARD_SWISH: return head + sizeof(xai_hard_swish_params);
    case A_PRELU: break;
  }
  return sizeof(act_data);
}

static const int8_t k_s8[] = {XAI_TYPE_INT8};
static const int8_t k_s8_s16[] = {XAI_TYPE_INT8, XAI_TYPE_INT16};
static const int8_t k_relu[] = {XAI_TYPE_INT8, XAI_TYPE_INT16,
                                XAI_TYPE_FLOAT32};
static const int8_t k_relu1[] = {XAI_TYPE_INT8, XAI_TYPE_FLOAT32};
static const int8_t k_prelu[] = {XAI_TYPE_INT8, XAI_TYPE_FLOAT32};

/* Common checks: input 0 and output 0 exist, the input type is accepted,
 * the output has the input's shape (and type, unless SOFTMAX). */
static xai_status begin(xai_op_ctx *ctx, act_kind kind, const int8_t *types,
                        size_t ntypes, xai_rt_tensor **in,
                        xai_rt_tensor **out, act_data **data) {
  xai_status st = xai_ew_input(ctx, 0, in);
  if (!st) st = xai_ew_output(ctx, 0, out);
  if (!st) st = xai_ew_check_type(ctx, *in, "input", types, ntypes);
  if (!st && kind != A_SOFTMAX)
    st = xai_ew_same_type(ctx, *in, "input", *out, "output");
  xai_shape s;
  if (!st) st = xai_ew_shape(ctx, *in, &s);
  if (!st) st = xai_ew_check_dims(ctx, *out, "output", &s);
  if (st) return st;
  if ((*in)->type != XAI_TYPE_FLOAT32) {
    if ((st = xai_ew_check_quantized(ctx, *in, "input")) ||
        (st = xai_ew_check_quantized(ctx, *out, "output")))
      return st;
  }
  act_data *d = xai_ew_alloc(ctx, act_data_size(kind));
  if (!d) return XAI_ERR_NO_MEMORY;
  d->kind = kind;
  d->in_type = (*in)->type;
  d->out_type = (*out)->type;
  d->count = xai_rt_tensor_elements(*in);
  ctx->data = d;
  *data = d;
  return XAI_OK;
}

static xai_status prepare_softmax(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *out;
  act_data *d;
  xai_status st = begin(ctx, A_SOFTMAX, k_s8, 1, &in, &out, &d);
  if (st) return st;
  if (in->rank < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "input must have rank >= 1");
  /* TFLite requires the output to span [0, 1): zero point at the type
   * minimum, scale 1/256 (int8) or 1/65536 (int16), within 0.1%. */
  if (out->type == XAI_TYPE_INT8) {
    if (out->zero_point != -128 ||
        fabsf(out->scale - 1.0f / 256) > 0.001f / 256)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "int8 output has scale %g zero point %d; TFLite "
                         "needs 1/256 and -128",
                         (double)out->scale, (int)out->zero_point);
  } else if (out->type == XAI_TYPE_INT16) {
    if (out->zero_point != -32768 ||
        fabsf(out->scale - 1.0f / 65536) > 0.001f / 65536)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "int16 output (from int8) has scale %g zero point "
                         "%d; it must be 1/65536 and -32768",
                         (double)out->scale, (int)out->zero_point);
  } else {
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "output tensor is %s; expected INT8 or INT16",
                       xai_tensor_type_name(out->type));
  }
  d->depth = (size_t)in->dims[in->rank - 1];
  d->outer = d->depth ? d->count / d->depth : 0;
  const float beta = ctx->options ? ctx->options->u.softmax.beta : 1.0f;
  xai_error e;
  xai_error_clear(&e);
  if (xai_softmax_params_make(beta, in->scale, &d->u.softmax, &e))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "%s", e.message);
  return XAI_OK;
}

/* TFLM CheckedLog2: log2 in float, within 1e-3 of an integer. */
static bool checked_log2(float x, int *out) {
  const float l = logf(x) * (1.0f / logf(2.0f)), r = roundf(l);
  *out = (int)r;
  return fabsf(l - r) < 1e-3f;
}

/* int16 LOGISTIC / TANH (TFLM logistic_common.cc, tanh.cc): zero points 0,
 * output scale 2^-15; a power-of-two input scale of 2^-12 (TANH: or
 * 2^-11) uses the table's own 3x, others a 15-bit multiplier and shift. */
static xai_status prepare_lut16(xai_op_ctx *ctx, act_kind kind,
                                const xai_rt_tensor *in,
                                const xai_rt_tensor *out, act_data *d) {
  if (in->zero_point || out->zero_point)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "int16 input and output need zero point 0");
  if (!(in->scale > 1e-30f) || !isfinite(in->scale))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "int16 input scale %g is not a usable positive scale",
                       (double)in->scale);
  int l2;
  bool pot = checked_log2(in->scale, &l2);
  int32_t shift = 12 + l2;
  pot = pot && (shift == 0 || (kind == A_TANH && shift == 1));
  int32_t mult = 0;
  if (!pot) {
    double m = (double)in->scale * 4096.0 * 3.0;
    shift = 0;
    while (m <= 32767.0 / 2.0 && shift <= 30) {
      shift++;
      m *= 2.0;
    }
    mult = (int32_t)m;
    if (mult < 1)
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "int16 input scale %g is too small for TFLite "
                         "Micro's table (its multiplier rounds to 0)",
                         (double)in->scale);
    if (mult > 32767)
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "int16 input scale %g is too large for TFLite "
                         "Micro's table (its multiplier exceeds 15 bits)",
                         (double)in->scale);
  }
  if (!checked_log2(out->scale, &l2) || l2 != -15)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "int16 output scale is %g; TFLite Micro needs 2^-15",
                       (double)out->scale);
  d->u.lut16.mult = mult;
  d->u.lut16.left_shift = shift;
  return XAI_OK;
}

static xai_status prepare_lut(xai_op_ctx *ctx, act_kind kind) {
  xai_rt_tensor *in, *out;
  act_data *d;
  xai_status st = begin(ctx, kind, k_s8_s16, 2, &in, &out, &d);
  if (st) return st;
  if (in->type == XAI_TYPE_INT16) return prepare_lut16(ctx, kind, in, out, d);
  /* TFLite's int8 LOGISTIC insists on an output scale of exactly 1/256. */
  if (kind == A_LOGISTIC && out->scale != 1.0f / 256)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output scale is %g; TFLite's int8 LOGISTIC needs "
                       "exactly 1/256",
                       (double)out->scale);
  /* TFLite Micro's int8 TANH writes steps of 1/128 around 0 whatever the
   * output tensor declares: other output quantizations are refused. */
  if (kind == A_TANH && (out->scale != 1.0f / 128 || out->zero_point != 0))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "int8 output has scale %g zero point %d; TFLite "
                       "Micro's int8 TANH computes scale 1/128 zero point 0",
                       (double)out->scale, (int)out->zero_point);
  xai_lut_s8_make(kind == A_TANH ? XAI_LUT_TANH : XAI_LUT_LOGISTIC, in->scale,
                  in->zero_point, out->scale, out->zero_point, d->u.lut);
  return XAI_OK;
}

static xai_status prepare_relu(xai_op_ctx *ctx, act_kind kind) {
  xai_rt_tensor *in, *out;
  act_data *d;
  xai_status st = kind == A_RELU1
                      ? begin(ctx, kind, k_relu1, 2, &in, &out, &d)
                      : begin(ctx, kind, k_relu, 3, &in, &out, &d);
  if (st) return st;
  if (in->type == XAI_TYPE_FLOAT32) return XAI_OK;
  if (in->type == XAI_TYPE_INT16 && (in->zero_point || out->zero_point))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "int16 %s needs zero points 0 (got %d and %d)",
                       ctx->op_name, (int)in->zero_point,
                       (int)out->zero_point);
  int32_t lo, hi;
  xai_ew_type_range(in->type, &lo, &hi);
  const float amin = kind == A_RELU1 ? -1.0f : 0.0f;
  const float amax = kind == A_RELU6 ? 6.0f : 1.0f;
  if (kind == A_RELU6 && xai_op_semantics(ctx) == XAI_SEMANTICS_TFLM) {
    xai_relu6_tflm_params_make(in->scale, in->zero_point, lo, hi,
                               &d->u.relu);
    return XAI_OK;
  }
  xai_relu_params_make(in->scale, in->zero_point, out->scale, out->zero_point,
                       amin, amax, kind == A_RELU, lo, hi, &d->u.relu);
  return XAI_OK;
}

static xai_status prepare_leaky(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *out;
  act_data *d;
  xai_status st = begin(ctx, A_LEAKY, k_s8_s16, 2, &in, &out, &d);
  if (st) return st;
  if (in->type == XAI_TYPE_INT16 && (in->zero_point || out->zero_point))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "int16 LEAKY_RELU needs zero points 0 (got %d and %d)",
                       (int)in->zero_point, (int)out->zero_point);
  const float alpha = ctx->options ? ctx->options->u.leaky_relu.alpha : 0.2f;
  if (xai_op_semantics(ctx) == XAI_SEMANTICS_TFLM)
    xai_leaky_relu_params_make_tflm(in->scale, in->zero_point, out->scale,
                                    out->zero_point, alpha, &d->u.leaky);
  else
    xai_leaky_relu_params_make(in->scale, in->zero_point, out->scale,
                               out->zero_point, alpha, &d->u.leaky);
  return XAI_OK;
}

static xai_status prepare_prelu(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *out, *alpha;
  act_data *d;
  xai_status st = begin(ctx, A_PRELU, k_prelu, 2, &in, &out, &d);
  if (!st) st = xai_ew_input(ctx, 1, &alpha);
  if (!st) st = xai_ew_same_type(ctx, alpha, "alpha", in, "input");
  if (!st && in->type != XAI_TYPE_FLOAT32)
    st = xai_ew_check_quantized(ctx, alpha, "alpha");
  if (st) return st;
  xai_shape si, sa, so;
  xai_error e;
  xai_error_clear(&e);
  if ((st = xai_ew_shape(ctx, in, &si)) || (st = xai_ew_shape(ctx, alpha, &sa)))
    return st;
  if (xai_bcast_make(&si, &sa, &d->u.prelu.bc, &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s", e.message);
  /* TFLite: after broadcasting, the output shape must be the input's. */
  xai_bcast_out_shape(&d->u.prelu.bc, &so);
  if ((st = xai_ew_check_dims(ctx, out, "output", &so))) return st;
  if (d->u.prelu.bc.count != d->count)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "alpha broadcasts the input to a larger shape");
  xai_prelu_params_make(in->scale, in->zero_point, alpha->scale,
                        alpha->zero_point, out->scale, out->zero_point,
                        &d->u.prelu.p);
  return XAI_OK;
}

static xai_status prepare_hard_swish(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *out;
  act_data *d;
  xai_status st = begin(ctx, A_HARD_SWISH, k_s8, 1, &in, &out, &d);
  if (st) return st;
  xai_error e;
  xai_error_clear(&e);
  if (xai_hard_swish_params_make(in->scale, in->zero_point, out->scale,
                                 out->zero_point, &d->u.hard_swish, &e))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "%s", e.message);
  return XAI_OK;
}

static xai_status eval(xai_op_ctx *ctx) {
  const act_data *d = ctx->data;
  const void *in = xai_op_input(ctx, 0)->data;
  void *out = xai_op_output(ctx, 0)->data;
  const int s16 = d->in_type == XAI_TYPE_INT16;
  switch (d->kind) {
    case A_SOFTMAX:
      return d->out_type == XAI_TYPE_INT16
                 ? xai_softmax_s8_s16_ref(&d->u.softmax, d->outer, d->depth,
                                          in, out)
                 : xai_softmax_s8_ref(&d->u.softmax, d->outer, d->depth, in,
                                      out);
    case A_LOGISTIC:
    case A_TANH:
      if (s16) {
        (d->kind == A_TANH ? xai_tflm_tanh_s16 : xai_tflm_logistic_s16)(
            d->u.lut16.mult, d->u.lut16.left_shift, d->count, in, out);
        return XAI_OK;
      }
      return xai_lut_s8_ref(d->u.lut, d->count, in, out);
    case A_RELU:
    case A_RELU6:
    case A_RELU1:
      if (d->in_type == XAI_TYPE_FLOAT32)
        return xai_relu_f32_ref(d->kind == A_RELU1 ? -1.0f : 0.0f,
                                d->kind == A_RELU    ? INFINITY
                                : d->kind == A_RELU6 ? 6.0f
                                                     : 1.0f,
                                d->count, in, out);
      return s16 ? xai_relu_s16_ref(&d->u.relu, d->count, in, out)
                 : xai_relu_s8_ref(&d->u.relu, d->count, in, out);
    case A_LEAKY:
      return s16 ? xai_leaky_relu_s16_ref(&d->u.leaky, d->count, in, out)
                 : xai_leaky_relu_s8_ref(&d->u.leaky, d->count, in, out);
    case A_PRELU:
      if (d->in_type == XAI_TYPE_FLOAT32)
        return xai_prelu_f32_ref(&d->u.prelu.bc, in,
                                 xai_op_input(ctx, 1)->data, out);
      return xai_prelu_s8_ref(&d->u.prelu.p, &d->u.prelu.bc, in,
                              xai_op_input(ctx, 1)->data, out);
    case A_HARD_SWISH:
      return xai_hard_swish_s8_ref(&d->u.hard_swish, d->count, in, out);
  }
  return XAI_ERR_STATE;
}

/* float32 inputs take TFLM's float kernels (activations_float_ops.c). */
static bool float_in(const xai_op_ctx *ctx) {
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  return in && in->type == XAI_TYPE_FLOAT32;
}
static xai_status eval_any(xai_op_ctx *ctx) {
  return float_in(ctx) ? xai_act_float_eval(ctx) : eval(ctx);
}
static bool s16_in(const xai_op_ctx *ctx) {
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  return in && in->type == XAI_TYPE_INT16;
}
static xai_status eval_softmax(xai_op_ctx *ctx) {
  return s16_in(ctx) ? xai_softmax_s16_eval(ctx) : eval_any(ctx);
}
#define FLOAT_OR(kind, prepare_int)                                      \
  static xai_status prepare_int##_any(xai_op_ctx *ctx) {                 \
    return float_in(ctx) ? xai_act_float_prepare(ctx, kind)              \
                         : prepare_int(ctx);                             \
  }
FLOAT_OR(XAI_ACTF_SOFTMAX, prepare_softmax)
static xai_status prepare_softmax_s16_or(xai_op_ctx *ctx) {
  return s16_in(ctx) ? xai_softmax_s16_prepare(ctx)
                     : prepare_softmax_any(ctx);
}
FLOAT_OR(XAI_ACTF_LEAKY_RELU, prepare_leaky)
FLOAT_OR(XAI_ACTF_HARD_SWISH, prepare_hard_swish)

static xai_status prepare_logistic(xai_op_ctx *ctx) {
  if (float_in(ctx)) return xai_act_float_prepare(ctx, XAI_ACTF_LOGISTIC);
  return prepare_lut(ctx, A_LOGISTIC);
}
static xai_status prepare_tanh(xai_op_ctx *ctx) {
  if (float_in(ctx)) return xai_act_float_prepare(ctx, XAI_ACTF_TANH);
  return prepare_lut(ctx, A_TANH);
}
static xai_status prepare_relu0(xai_op_ctx *ctx) {
  return prepare_relu(ctx, A_RELU);
}
static xai_status prepare_relu6(xai_op_ctx *ctx) {
  return prepare_relu(ctx, A_RELU6);
}
static xai_status prepare_relu1(xai_op_ctx *ctx) {
  return prepare_relu(ctx, A_RELU1);
}

const xai_op_registration xai_op_softmax = {XAI_OP_SOFTMAX, NULL,
                                            prepare_softmax_s16_or,
                                            eval_softmax, NULL};
const xai_op_registration xai_op_logistic = {XAI_OP_LOGISTIC, NULL,
                                             prepare_logistic, eval_any, NULL};
const xai_op_registration xai_op_tanh = {XAI_OP_TANH, NULL, prepare_tanh,
                                         eval_any, NULL};
const xai_op_registration xai_op_relu = {XAI_OP_RELU, NULL, prepare_relu0,
                                         eval, NULL};
const xai_op_registration xai_op_relu6 = {XAI_OP_RELU6, NULL, prepare_relu6,
                                          eval, NULL};
const xai_op_registration xai_op_relu_n1_to_1 = {XAI_OP_RELU_N1_TO_1, NULL,
                                                 prepare_relu1, eval, NULL};
const xai_op_registration xai_op_leaky_relu = {XAI_OP_LEAKY_RELU, NULL,
                                               prepare_leaky_any, eval_any,
                                               NULL};
const xai_op_registration xai_op_prelu = {XAI_OP_PRELU, NULL, prepare_prelu,
                                          eval, NULL};
const xai_op_registration xai_op_hard_swish = {XAI_OP_HARD_SWISH, NULL,
                                               prepare_hard_swish_any,
                                               eval_any, NULL};
