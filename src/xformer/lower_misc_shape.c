/* PAD / PADV2 (int8, constant paddings) -> XAI_pad and CONCATENATION
 * (int8, every input quantized as the output: a plain copy) ->
 * XAI_concat, with the semantics of src/runtime/ops/shape_pad.c and
 * shape_concat.c. */
#include <string.h>

#include "lower_misc_internal.h"
#include "xai/kernels_ref/shape.h"

/* TFLite pads at most 5-D tensors; the reference op refuses more. */
#define XF_MISC_PAD_MAX_RANK 5

/* Reads the constant [rank, 2] paddings (INT32 or INT64). */
static bool read_paddings(xf_ctx *x, int32_t t, uint32_t rank,
                          int32_t *before, int32_t *after) {
  const xai_tensor *tp = xf_tensor(x, t);
  size_t size = 0;
  const uint8_t *data = xf_const_data(x, t, &size);
  if (!tp || !data || tp->rank != 2 || tp->shape[0] != (int32_t)rank ||
      tp->shape[1] != 2)
    return false;
  const size_t w = tp->type == XAI_TYPE_INT32   ? 4
                   : tp->type == XAI_TYPE_INT64 ? 8
                                                : 0;
  if (!w || size < 2u * rank * w) return false;
  for (uint32_t i = 0; i < 2 * rank; i++) {
    int64_t v;
    if (w == 4) {
      int32_t v32;
      memcpy(&v32, data + i * 4, 4);
      v = v32;
    } else {
      memcpy(&v, data + i * 8, 8);
    }
    if (v < 0 || v > INT32_MAX) return false;
    (i % 2 ? after : before)[i / 2] = (int32_t)v;
  }
  return true;
}

/* int16 PAD as byte pairs on the int8 kernel: exact when the pad value's
 * two bytes are equal. TFLite pads int16 with the output zero point (0 in
 * 16x8 models) or PADV2's constant. */
static xai_status lower_pad_s16(xf_ctx *x, uint32_t op, const char *name,
                                const xai_tensor *ti, const xai_tensor *to,
                                bool *done, xai_error *err) {
  const xai_operator *o = xf_op(x, op);
  if (ti->rank < 1 || ti->rank > XF_MISC_PAD_MAX_RANK ||
      to->rank != ti->rank) {
    xf_keep(x, op, "%s: rank %u (1 to %d)", name, ti->rank,
            XF_MISC_PAD_MAX_RANK);
    return XAI_OK;
  }
  int32_t before[XF_MISC_PAD_MAX_RANK] = {0}, after[XF_MISC_PAD_MAX_RANK] = {0};
  if (!read_paddings(x, o->inputs[1], ti->rank, before, after)) {
    xf_keep(x, op, "%s: paddings are not a constant non-negative [%u, 2] "
            "tensor", name, ti->rank);
    return XAI_OK;
  }
  for (uint32_t i = 0; i < ti->rank; i++)
    if ((int64_t)ti->shape[i] + before[i] + after[i] != to->shape[i]) {
      xf_keep(x, op, "%s: output shape does not match the paddings", name);
      return XAI_OK;
    }
  float scale;
  int32_t zo = 0;
  if (xf_quant(x, o->outputs[0], &scale, &zo) && zo != 0) {
    xf_keep(x, op, "%s: int16 output zero point %d (16x8 needs 0)", name,
            (int)zo);
    return XAI_OK;
  }
  int32_t value = zo;
  const int32_t cv = o->input_count > 2 ? o->inputs[2] : -1;
  if (cv >= 0) {
    size_t size = 0;
    const uint8_t *data = xf_const_data(x, cv, &size);
    const xai_tensor *tc = xf_tensor(x, cv);
    int16_t v16 = 0;
    if (!tc || tc->type != XAI_TYPE_INT16 || !data || size < 2) {
      xf_keep(x, op, "%s: constant_values is not a constant int16", name);
      return XAI_OK;
    }
    memcpy(&v16, data, 2);
    value = v16;
  }
  if (value != 0 && value != -1) {
    xf_keep(x, op, "%s: int16 pad value %d: its two bytes differ, and the "
            "xcore PAD kernel fills bytes", name, (int)value);
    return XAI_OK;
  }
  xai_flexbuf_builder b;
  xf_misc_options_begin(x, &b);
  xai_flexbuf_add_int(&b, "pv", value);
  xai_flexbuf_add_int_vector(&b, "pb", before, ti->rank);
  xai_flexbuf_add_int_vector(&b, "pa", after, ti->rank);
  const int32_t in = o->inputs[0];
  xai_status st = xf_misc_replace(x, op, "XAI_pad", &in, 1, NULL, 0, &b, err);
  if (!st) *done = true;
  return st;
}

static xai_status lower_pad(xf_ctx *x, uint32_t op, bool v2, bool *done,
                            xai_error *err) {
  const xai_operator *o = xf_op(x, op);
  const char *name = v2 ? "PADV2" : "PAD";
  if (o->input_count < 2 || o->output_count != 1) {
    xf_keep(x, op, "%s: unexpected tensor count", name);
    return XAI_OK;
  }
  xf_misc_quant qi, qo;
  const int32_t in = o->inputs[0], out = o->outputs[0];
  const xai_tensor *ti = xf_tensor(x, in), *to = xf_tensor(x, out);
  if (ti && to && ti->type == XAI_TYPE_INT16 && to->type == XAI_TYPE_INT16)
    return lower_pad_s16(x, op, name, ti, to, done, err);
  if (!xf_misc_s8(x, in, &qi) || !xf_misc_s8(x, out, &qo)) {
    xf_keep(x, op, "%s: not int8 or int16 (xcore PAD moves bytes)", name);
    return XAI_OK;
  }
  if (ti->rank > XF_MISC_PAD_MAX_RANK || to->rank != ti->rank) {
    xf_keep(x, op, "%s: rank %u (at most %d)", name, ti->rank,
            XF_MISC_PAD_MAX_RANK);
    return XAI_OK;
  }
  int32_t before[XF_MISC_PAD_MAX_RANK] = {0}, after[XF_MISC_PAD_MAX_RANK] = {0};
  if (!read_paddings(x, o->inputs[1], ti->rank, before, after)) {
    xf_keep(x, op, "%s: paddings are not a constant non-negative [%u, 2] "
            "tensor", name, ti->rank);
    return XAI_OK;
  }
  for (uint32_t i = 0; i < ti->rank; i++)
    if ((int64_t)ti->shape[i] + before[i] + after[i] != to->shape[i]) {
      xf_keep(x, op, "%s: output shape does not match the paddings", name);
      return XAI_OK;
    }
  /* The pad value as the reference picks it: PADV2's constant (quantized
   * as the output), else the output zero point when quantized, else 0. */
  int32_t value = 0;
  const int32_t cv = o->input_count > 2 ? o->inputs[2] : -1;
  if (cv >= 0) {
    xf_misc_quant qc;
    size_t size = 0;
    const uint8_t *data = xf_const_data(x, cv, &size);
    const xai_tensor *tc = xf_tensor(x, cv);
    size_t elems = 1;
    for (uint32_t i = 0; tc && i < tc->rank; i++) elems *= (size_t)tc->shape[i];
    if (!xf_misc_s8(x, cv, &qc) || !data || size < 1 || elems != 1) {
      xf_keep(x, op, "%s: constant_values is not a constant int8 scalar",
              name);
      return XAI_OK;
    }
    if (qi.present && (qc.scale != qo.scale || qc.zero_point != qo.zero_point)) {
      xf_keep(x, op, "%s: constant_values is quantized differently from the "
              "output", name);
      return XAI_OK;
    }
    value = (int8_t)data[0];
  } else if (qi.present) {
    if (qo.zero_point < INT8_MIN || qo.zero_point > INT8_MAX) {
      xf_keep(x, op, "%s: output zero point outside int8", name);
      return XAI_OK;
    }
    value = qo.zero_point;
  }
  xai_flexbuf_builder b;
  xf_misc_options_begin(x, &b);
  xai_flexbuf_add_int(&b, "pv", value);
  xai_flexbuf_add_int_vector(&b, "pb", before, ti->rank);
  xai_flexbuf_add_int_vector(&b, "pa", after, ti->rank);
  xai_status st = xf_misc_replace(x, op, "XAI_pad", &in, 1, NULL, 0, &b, err);
  if (!st) *done = true;
  return st;
}

xai_status xf_lower_pad(xf_ctx *x, uint32_t op, bool *done, xai_error *err) {
  return lower_pad(x, op, false, done, err);
}
xai_status xf_lower_padv2(xf_ctx *x, uint32_t op, bool *done,
                          xai_error *err) {
  return lower_pad(x, op, true, done, err);
}

xai_status xf_lower_concat(xf_ctx *x, uint32_t op, bool *done,
                           xai_error *err) {
  const xai_operator *o = xf_op(x, op);
  if (o->input_count < 1 || o->input_count > 15 || o->output_count != 1) {
    xf_keep(x, op, "CONCATENATION: %u inputs (1 to 15 are lowered)",
            o->input_count);
    return XAI_OK;
  }
  const xai_concatenation_options *co = &o->options.u.concatenation;
  if (co->fused_activation_function != XAI_ACT_NONE) {
    xf_keep(x, op, "CONCATENATION: fused activation (the reference refuses "
            "it)");
    return XAI_OK;
  }
  xf_misc_quant qo;
  const int32_t out = o->outputs[0];
  if (!xf_misc_s8(x, out, &qo)) {
    xf_keep(x, op, "CONCATENATION: not int8");
    return XAI_OK;
  }
  const xai_tensor *to = xf_tensor(x, out);
  const int32_t rank = (int32_t)to->rank;
  int32_t axis = co->axis < 0 ? co->axis + rank : co->axis;
  if (rank < 1 || axis < 0 || axis >= rank) {
    xf_keep(x, op, "CONCATENATION: axis %d outside the rank %d",
            (int)co->axis, (int)rank);
    return XAI_OK;
  }
  int64_t sum = 0;
  for (uint32_t i = 0; i < o->input_count; i++) {
    xf_misc_quant q;
    if (!xf_misc_s8(x, o->inputs[i], &q)) {
      xf_keep(x, op, "CONCATENATION: input %u is not int8", i);
      return XAI_OK;
    }
    /* A plain copy only when nothing is rescaled (LiteRT refuses mixed
     * int8 quantization, and so does the reference op). */
    if (q.scale != qo.scale || q.zero_point != qo.zero_point) {
      xf_keep(x, op, "CONCATENATION: input %u is quantized differently from "
              "the output", i);
      return XAI_OK;
    }
    const xai_tensor *t = xf_tensor(x, o->inputs[i]);
    if ((int32_t)t->rank != rank) {
      xf_keep(x, op, "CONCATENATION: input %u has another rank", i);
      return XAI_OK;
    }
    for (int32_t k = 0; k < rank; k++)
      if (k != axis && t->shape[k] != to->shape[k]) {
        xf_keep(x, op, "CONCATENATION: input %u's shape does not match", i);
        return XAI_OK;
      }
    sum += t->shape[axis];
  }
  if (sum != to->shape[axis]) {
    xf_keep(x, op, "CONCATENATION: inputs do not add up to the output");
    return XAI_OK;
  }
  xai_flexbuf_builder b;
  xf_misc_options_begin(x, &b);
  xai_flexbuf_add_int(&b, "ax", axis);
  xai_status st = xf_misc_replace(x, op, "XAI_concat", o->inputs,
                                  o->input_count, NULL, 0, &b, err);
  if (!st) *done = true;
  return st;
}
