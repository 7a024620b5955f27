/* ADD, SUB (int8) -> XAI_add and MUL (int8) -> XAI_mul, with broadcasting,
 * from the parameters the reference op (src/runtime/ops/
 * elementwise_binary.c) makes: xai_add_params_make with left shift 20
 * (input 2 negated for SUB), xai_mul_params_make, the fused activation
 * clamped in the output's quantization. Both carry their packed
 * parameters (tables, VPU requantization record) as a constant input. */
#include <string.h>

#include "lower_misc_internal.h"
#include "xai/kernels_ref/quant.h"
#include "xai/kernels_xcore/elementwise.h"

/* The broadcast plan of the two inputs, checked against the output. */
static bool plan(xf_ctx *x, const xai_operator *o, xai_bcast *bc) {
  xai_shape s[2];
  for (int k = 0; k < 2; k++) {
    const xai_tensor *t = xf_tensor(x, o->inputs[k]);
    if (t->rank > XAI_BCAST_MAX_RANK) return false;
    memset(&s[k], 0, sizeof s[k]);
    s[k].rank = (int32_t)t->rank;
    for (uint32_t i = 0; i < t->rank; i++) s[k].dims[i] = t->shape[i];
  }
  xai_error e;
  xai_error_clear(&e);
  if (xai_bcast_make(&s[0], &s[1], bc, &e)) return false;
  xai_shape so;
  xai_bcast_out_shape(bc, &so);
  const xai_tensor *to = xf_tensor(x, o->outputs[0]);
  if (to->rank != (uint32_t)so.rank) return false;
  for (uint32_t i = 0; i < to->rank; i++)
    if (to->shape[i] != so.dims[i]) return false;
  return true;
}

static xai_status lower_binary(xf_ctx *x, uint32_t op, int32_t code,
                               bool *done, xai_error *err) {
  const xai_operator *o = xf_op(x, op);
  const char *name = xai_builtin_op_name(code);
  if (o->input_count != 2 || o->output_count != 1) {
    xf_keep(x, op, "%s: unexpected tensor count", name);
    return XAI_OK;
  }
  xf_misc_quant q1, q2, qo;
  if (!xf_misc_s8(x, o->inputs[0], &q1) || !xf_misc_s8(x, o->inputs[1], &q2) ||
      !xf_misc_s8(x, o->outputs[0], &qo)) {
    xf_keep(x, op, "%s: not int8 (the xcore kernel is int8 only)", name);
    return XAI_OK;
  }
  if (!xf_misc_quant_ok(&q1) || !xf_misc_quant_ok(&q2) ||
      !xf_misc_quant_ok(&qo)) {
    xf_keep(x, op, "%s: a tensor has no quantization scale", name);
    return XAI_OK;
  }
  xai_bcast bc;
  if (!plan(x, o, &bc)) {
    xf_keep(x, op, "%s: shapes do not broadcast to the output (or rank > %d)",
            name, XAI_BCAST_MAX_RANK);
    return XAI_OK;
  }
  const int act = code == XAI_OP_MUL   ? o->options.u.mul.fused_activation_function
                  : code == XAI_OP_SUB ? o->options.u.sub.fused_activation_function
                                       : o->options.u.add.fused_activation_function;
  int32_t lo, hi;
  xai_activation_range_quantized(act, qo.scale, qo.zero_point, INT8_MIN,
                                 INT8_MAX, &lo, &hi);
  xai_flexbuf_builder b;
  const int32_t ins[2] = {o->inputs[0], o->inputs[1]};
  xai_status st;
  if (code == XAI_OP_MUL) {
    xai_mul_params p;
    xai_mul_params_make(q1.scale, q1.zero_point, q2.scale, q2.zero_point,
                        qo.scale, qo.zero_point, lo, hi, &p);
    xai_mul_s8_xcore_params packed;
    xai_error e;
    xai_error_clear(&e);
    if (xai_mul_s8_xcore_pack(&p, &packed, &e)) {
      xf_keep(x, op, "%s: %s", name, e.message);
      return XAI_OK;
    }
    xf_misc_options_begin(x, &b);
    st = xf_misc_replace(x, op, "XAI_mul", ins, 2, &packed, sizeof packed, &b,
                         err);
  } else {
    xai_add_params p;
    xai_error e;
    xai_error_clear(&e);
    if (xai_add_params_make(q1.scale, q1.zero_point, q2.scale, q2.zero_point,
                            qo.scale, qo.zero_point, 20, code == XAI_OP_SUB,
                            lo, hi, &p, &e)) {
      xf_keep(x, op, "%s: %s", name, e.message);
      return XAI_OK;
    }
    xai_add_s8_xcore_params packed;
    memset(&packed, 0, sizeof packed);
    if (xai_add_s8_xcore_pack(&p, &packed, &e)) {
      xf_keep(x, op, "%s: %s", name, e.message);
      return XAI_OK;
    }
    xf_misc_options_begin(x, &b);
    st = xf_misc_replace(x, op, "XAI_add", ins, 2, &packed, sizeof packed, &b,
                         err);
  }
  if (!st) *done = true;
  return st;
}

xai_status xf_lower_add(xf_ctx *x, uint32_t op, bool *done, xai_error *err) {
  return lower_binary(x, op, XAI_OP_ADD, done, err);
}
xai_status xf_lower_sub(xf_ctx *x, uint32_t op, bool *done, xai_error *err) {
  return lower_binary(x, op, XAI_OP_SUB, done, err);
}
xai_status xf_lower_mul(xf_ctx *x, uint32_t op, bool *done, xai_error *err) {
  return lower_binary(x, op, XAI_OP_MUL, done, err);
}
