/* SOFTMAX int8 -> int8 -> XAI_softmax, with the parameters the reference
 * op makes (src/runtime/ops/activations_ops.c: xai_softmax_params_make from
 * beta and the input scale) tabulated by xai_softmax_s8_xcore_pack. The
 * output quantization TFLite requires (1/256, -128) is checked as the
 * reference op does; anything else stays a builtin, whose refusal names
 * the problem. */
#include <math.h>
#include <string.h>

#include "lower_misc_internal.h"
#include "xai/kernels_xcore/softmax.h"

xai_status xf_lower_softmax(xf_ctx *x, uint32_t op, bool *done,
                            xai_error *err) {
  const xai_operator *o = xf_op(x, op);
  if (o->input_count != 1 || o->output_count != 1) {
    xf_keep(x, op, "SOFTMAX: unexpected tensor count");
    return XAI_OK;
  }
  xf_misc_quant qi, qo;
  if (!xf_misc_s8(x, o->inputs[0], &qi) || !xf_misc_s8(x, o->outputs[0], &qo)) {
    xf_keep(x, op, "SOFTMAX: not int8 -> int8 (the xcore kernel is int8)");
    return XAI_OK;
  }
  if (!xf_misc_quant_ok(&qi) || !xf_misc_quant_ok(&qo) ||
      qo.zero_point != -128 ||
      fabsf(qo.scale - 1.0f / 256) > 0.001f / 256) {
    xf_keep(x, op, "SOFTMAX: output quantization is not TFLite's 1/256, "
                   "-128");
    return XAI_OK;
  }
  if (!xf_misc_same_shape(x, o->inputs[0], o->outputs[0]) ||
      xf_tensor(x, o->inputs[0])->rank < 1) {
    xf_keep(x, op, "SOFTMAX: output shape differs from the input's");
    return XAI_OK;
  }
  if (o->options.type != XAI_OPTS_SOFTMAX) {
    xf_keep(x, op, "SOFTMAX: no SoftmaxOptions (beta)");
    return XAI_OK;
  }
  xai_softmax_params p;
  xai_error e;
  xai_error_clear(&e);
  if (xai_softmax_params_make(o->options.u.softmax.beta, qi.scale, &p, &e)) {
    xf_keep(x, op, "SOFTMAX: %s", e.message);
    return XAI_OK;
  }
  xai_softmax_s8_xcore_params packed;
  memset(&packed, 0, sizeof packed);
  xai_softmax_s8_xcore_pack(&p, &packed);
  xai_flexbuf_builder b;
  xf_misc_options_begin(x, &b);
  const int32_t ins[1] = {o->inputs[0]};
  xai_status st = xf_misc_replace(x, op, "XAI_softmax", ins, 1, &packed,
                                  sizeof packed, &b, err);
  if (!st) *done = true;
  return st;
}
