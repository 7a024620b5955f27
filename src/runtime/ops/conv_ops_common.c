/* Helpers shared by the convolution-family op adapters. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "conv_ops_internal.h"

int32_t xai_conv_op_tensor_index(const xai_op_ctx *ctx, uint32_t i) {
  return i < ctx->input_count ? ctx->inputs[i] : -1;
}

xai_status xai_conv_op_input(xai_op_ctx *ctx, uint32_t i, const char *what,
                             xai_rt_tensor **out) {
  *out = xai_op_input(ctx, i);
  if (!*out)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input %u (%s) is missing; the op needs it", i, what);
  return XAI_OK;
}

xai_status xai_conv_op_output(xai_op_ctx *ctx, xai_rt_tensor **out) {
  *out = xai_op_output(ctx, 0);
  if (!*out) return xai_op_fail(ctx, XAI_ERR_FORMAT, "output 0 is missing");
  return XAI_OK;
}

xai_status xai_conv_op_expect_type(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                   uint32_t slot, const char *what,
                                   int8_t type) {
  if (t->type == type) return XAI_OK;
  int32_t index = slot == UINT32_MAX ? ctx->outputs[0]
                                     : xai_conv_op_tensor_index(ctx, slot);
  return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                     "%s tensor %d is %s; expected %s", what, (int)index,
                     xai_tensor_type_name(t->type),
                     xai_tensor_type_name(type));
}

xai_status xai_conv_op_dims4(xai_op_ctx *ctx, const xai_rt_tensor *t,
                             const char *what, xai_dims4 *out) {
  if (t->rank != 4)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "%s '%s' has rank %u; expected 4 (NHWC)", what,
                       xai_op_tensor_name(ctx, t), t->rank);
  out->n = t->dims[0];
  out->h = t->dims[1];
  out->w = t->dims[2];
  out->c = t->dims[3];
  return XAI_OK;
}

xai_status xai_conv_op_check_out4(xai_op_ctx *ctx, const xai_rt_tensor *out,
                                  const xai_dims4 *want) {
  xai_dims4 have = {0, 0, 0, 0};
  xai_status st = xai_conv_op_dims4(ctx, out, "output", &have);
  if (st) return st;
  if (have.n == want->n && have.h == want->h && have.w == want->w &&
      have.c == want->c)
    return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "output tensor %d has shape [%d, %d, %d, %d] but the "
                     "inputs and options give [%d, %d, %d, %d]; the model is "
                     "inconsistent",
                     (int)ctx->outputs[0], (int)have.n, (int)have.h,
                     (int)have.w, (int)have.c, (int)want->n, (int)want->h,
                     (int)want->w, (int)want->c);
}

xai_status xai_conv_op_expect_quant(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                    const char *what) {
  if (t->quant_count > 0 && isfinite(t->scale) && t->scale > 0.0f)
    return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "%s '%s' is %s without a positive quantization scale; "
                     "requantize the model", what, xai_op_tensor_name(ctx, t),
                     xai_tensor_type_name(t->type));
}

static xai_status quant_store(xai_op_ctx *ctx, int32_t channels,
                              size_t stored, xai_conv_op_quant *q,
                              int32_t **mult, int8_t **shift) {
  *mult = NULL;
  *shift = NULL;
  size_t n = channels > 0 ? (size_t)channels : 1;
  if (stored == 1) {
    *mult = &q->one_multiplier;
    *shift = &q->one_shift;
  } else {
    /* One allocation: the multipliers, then the shifts. */
    *mult = xai_op_alloc_persistent(ctx, stored * (sizeof **mult + 1));
    if (!*mult)
      return xai_op_fail(ctx, XAI_ERR_NO_MEMORY,
                         "arena full while storing %zu channel multipliers",
                         stored);
    *shift = (int8_t *)(*mult + stored);
  }
  q->multiplier = *mult;
  q->channels = (int32_t)n;
  q->shared = stored == 1 && n > 1;
  return XAI_OK;
}

/* The int8 shifts: after the multipliers, or the single one. */
static const int8_t *quant_shifts(const xai_conv_op_quant *q) {
  if (q->multiplier == &q->one_multiplier) return &q->one_shift;
  return (const int8_t *)(q->multiplier + q->channels);
}

static xai_status shift_fits(xai_op_ctx *ctx, int s) {
  if (s >= INT8_MIN && s <= INT8_MAX) return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                     "requantization shift %d is out of range: the scales "
                     "of input, weights and output are far apart "
                     "(requantize the model)", s);
}

xai_status xai_conv_op_shared_quant(xai_op_ctx *ctx, int32_t channels,
                                    int32_t multiplier, int shift,
                                    xai_conv_op_quant *q) {
  int32_t *mult;
  int8_t *sh;
  xai_status st = shift_fits(ctx, shift);
  if (!st) st = quant_store(ctx, channels, 1, q, &mult, &sh);
  if (st) return st;
  mult[0] = multiplier;
  sh[0] = (int8_t)shift;
  return XAI_OK;
}

xai_status xai_conv_op_channel_quant(xai_op_ctx *ctx, const xai_rt_tensor *in,
                                     const xai_rt_tensor *filter,
                                     const xai_rt_tensor *out,
                                     int32_t channels, int32_t quant_dim,
                                     xai_conv_op_quant *q) {
  const float *scales = xai_op_tensor_scales(ctx, filter);
  if (filter->quant_count == 0 || !scales)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "filter '%s' has no quantization scales; quantize the "
                       "model with int8 weights",
                       xai_op_tensor_name(ctx, filter));
  const bool per_channel = filter->quant_count > 1;
  if (per_channel &&
      ((int32_t)filter->quant_count != channels ||
       filter->quant_dim != quant_dim))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "filter '%s' has %u scales along dimension %d; "
                       "expected 1 or %d along dimension %d",
                       xai_op_tensor_name(ctx, filter), filter->quant_count,
                       (int)filter->quant_dim, (int)channels, (int)quant_dim);
  if (!per_channel) {
    float fs;
    memcpy(&fs, &scales[0], sizeof fs);
    double effective = (double)in->scale * (double)fs / (double)out->scale;
    int32_t m = 0;
    int s = 0;
    xai_quantize_multiplier(effective, &m, &s);
    return xai_conv_op_shared_quant(ctx, channels, m, s, q);
  }
  int32_t *mult;
  int8_t *shift;
  xai_status st =
      quant_store(ctx, channels, (size_t)channels, q, &mult, &shift);
  if (st) return st;
  for (int32_t c = 0; c < channels; c++) {
    float fs;
    /* Scales point into the model: read them without assuming alignment. */
    memcpy(&fs, &scales[c], sizeof fs);
    double effective = (double)in->scale * (double)fs / (double)out->scale;
    int s = 0;
    xai_quantize_multiplier(effective, &mult[c], &s);
    if ((st = shift_fits(ctx, s))) return st;
    shift[c] = (int8_t)s;
  }
  return XAI_OK;
}

void xai_conv_op_quant_chunk(const xai_conv_op_quant *q, int32_t first,
                             int32_t count, int32_t *mult, int32_t *shift) {
  for (int32_t c = 0; c < count; c++) {
    int32_t k = q->shared ? 0 : first + c;
    mult[c] = q->multiplier[k];
    shift[c] = quant_shifts(q)[k];
  }
}

void xai_conv_op_quant_get(const xai_conv_op_quant *q,
                           xai_per_channel_quant *out) {
  out->multiplier = q->multiplier;
  out->shift = NULL;
  out->shift8 = quant_shifts(q);
  out->per_tensor = q->shared;
}

void xai_conv_op_act_range(const xai_rt_tensor *out, int activation,
                           int32_t *act_min, int32_t *act_max) {
  int32_t lo = out->type == XAI_TYPE_INT16 ? INT16_MIN : INT8_MIN;
  int32_t hi = out->type == XAI_TYPE_INT16 ? INT16_MAX : INT8_MAX;
  xai_activation_range_quantized(activation, out->scale, out->zero_point, lo,
                                 hi, act_min, act_max);
}

xai_status xai_conv_op_const_aligned(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                     size_t align, const void **out) {
  *out = NULL;
  if (!t || t->mem != XAI_MEM_CONST || !t->data) return XAI_OK;
  if ((uintptr_t)t->data % align == 0) {
    *out = t->data;
    return XAI_OK;
  }
  void *copy = xai_op_alloc_persistent(ctx, t->bytes);
  if (!copy)
    return xai_op_fail(ctx, XAI_ERR_NO_MEMORY,
                       "arena full while aligning '%s' (%zu bytes)",
                       xai_op_tensor_name(ctx, t), (size_t)t->bytes);
  memcpy(copy, t->data, t->bytes);
  *out = copy;
  return XAI_OK;
}

xai_status xai_conv_op_check_bias(xai_op_ctx *ctx, const xai_rt_tensor *bias,
                                  uint32_t slot, int8_t type, int32_t count) {
  if (!bias) return XAI_OK;
  xai_status st = xai_conv_op_expect_type(ctx, bias, slot, "bias", type);
  if (st) return st;
  if (xai_rt_tensor_elements(bias) != (size_t)count)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "bias tensor %d has %zu elements; expected one per "
                       "output channel (%d)",
                       (int)xai_conv_op_tensor_index(ctx, slot),
                       xai_rt_tensor_elements(bias), (int)count);
  if (bias->mem == XAI_MEM_NONE && count > 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "bias tensor %d has no data",
                       (int)xai_conv_op_tensor_index(ctx, slot));
  return XAI_OK;
}

xai_status xai_conv_op_kernel_failed(xai_op_ctx *ctx, xai_status st) {
  return xai_op_fail(ctx, st,
                     "the reference kernel refused the prepared arguments "
                     "(%s); this is an xai bug, please report it",
                     xai_status_name(st));
}
