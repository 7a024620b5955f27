/* int8 -> int8 unary ops -> XAI_lut: RELU, RELU6, RELU_N1_TO_1,
 * LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH and requantizing QUANTIZE. The
 * 256-entry table is the reference kernel run on every int8 input with
 * the parameters the reference op makes (src/runtime/ops/
 * activations_ops.c, elementwise_quantize.c), so it is exact by
 * construction. */
#include <string.h>

#include "lower_misc_internal.h"
#include "xai/kernels_xcore/lut.h"

static xai_status lower_lut(xf_ctx *x, uint32_t op, int32_t code, bool *done,
                            xai_error *err) {
  const xai_operator *o = xf_op(x, op);
  const char *name = xai_builtin_op_name(code);
  if (o->input_count < 1 || o->output_count != 1) {
    xf_keep(x, op, "%s: unexpected tensor count", name);
    return XAI_OK;
  }
  const int32_t in = o->inputs[0];
  xf_misc_quant qi, qo;
  if (!xf_misc_s8(x, in, &qi) || !xf_misc_s8(x, o->outputs[0], &qo)) {
    xf_keep(x, op, "%s: not int8 -> int8 (lookup tables are int8 only)",
            name);
    return XAI_OK;
  }
  if (!xf_misc_quant_ok(&qi) || !xf_misc_quant_ok(&qo)) {
    xf_keep(x, op, "%s: a tensor has no quantization scale", name);
    return XAI_OK;
  }
  if (!xf_misc_same_shape(x, in, o->outputs[0])) {
    xf_keep(x, op, "%s: output shape differs from the input's", name);
    return XAI_OK;
  }
  xai_lut_s8_packed lut;
  memset(&lut, 0, sizeof lut);
  xai_error e;
  xai_error_clear(&e);
  xai_status st = XAI_OK;
  switch (code) {
    case XAI_OP_RELU:
    case XAI_OP_RELU6:
    case XAI_OP_RELU_N1_TO_1: {
      xai_relu_params p;
      if (code == XAI_OP_RELU6 && !x->opt->litert_semantics)
        xai_relu6_tflm_params_make(qi.scale, qi.zero_point, INT8_MIN,
                                   INT8_MAX, &p);
      else
        xai_relu_params_make(qi.scale, qi.zero_point, qo.scale,
                             qo.zero_point,
                             code == XAI_OP_RELU_N1_TO_1 ? -1.0f : 0.0f,
                             code == XAI_OP_RELU6 ? 6.0f : 1.0f,
                             code == XAI_OP_RELU, INT8_MIN, INT8_MAX, &p);
      st = xai_lut_s8_pack_relu(&p, &lut, &e);
      break;
    }
    case XAI_OP_LEAKY_RELU: {
      xai_leaky_relu_params p;
      const float alpha = o->options.u.leaky_relu.alpha;
      if (x->opt->litert_semantics)
        xai_leaky_relu_params_make(qi.scale, qi.zero_point, qo.scale,
                                   qo.zero_point, alpha, &p);
      else
        xai_leaky_relu_params_make_tflm(qi.scale, qi.zero_point, qo.scale,
                                        qo.zero_point, alpha, &p);
      st = xai_lut_s8_pack_leaky_relu(&p, &lut, &e);
      break;
    }
    case XAI_OP_HARD_SWISH: {
      xai_hard_swish_params p;
      st = xai_hard_swish_params_make(qi.scale, qi.zero_point, qo.scale,
                                      qo.zero_point, &p, &e);
      if (!st) st = xai_lut_s8_pack_hard_swish(&p, &lut, &e);
      break;
    }
    case XAI_OP_LOGISTIC:
    case XAI_OP_TANH:
      /* The reference refuses an int8 LOGISTIC whose output scale is not
       * exactly 1/256; so must we. */
      if (code == XAI_OP_LOGISTIC && qo.scale != 1.0f / 256) {
        xf_keep(x, op, "LOGISTIC: output scale is not 1/256 (the reference "
                "op refuses it)");
        return XAI_OK;
      }
      xai_lut_s8_pack_logistic_tanh(
          code == XAI_OP_TANH ? XAI_LUT_TANH : XAI_LUT_LOGISTIC, qi.scale,
          qi.zero_point, qo.scale, qo.zero_point, &lut);
      break;
    case XAI_OP_QUANTIZE: {
      xai_requantize_params p;
      xai_requantize_params_make(qi.scale, qi.zero_point, qo.scale,
                                 qo.zero_point, &p);
      st = xai_requantize_s8_xcore_pack(&p, &lut, &e);
      break;
    }
    default:
      xf_keep(x, op, "%s: no lookup-table lowering", name);
      return XAI_OK;
  }
  if (st) {
    xf_keep(x, op, "%s: %s", name, e.message);
    return XAI_OK;
  }
  xai_flexbuf_builder b;
  xf_misc_options_begin(x, &b);
  st = xf_misc_replace(x, op, "XAI_lut", &in, 1, &lut, sizeof lut, &b, err);
  if (!st) *done = true;
  return st;
}

#define XF_MISC_LUT(fn, code)                                          \
  xai_status fn(xf_ctx *x, uint32_t op, bool *done, xai_error *err) { \
    return lower_lut(x, op, code, done, err);                         \
  }
XF_MISC_LUT(xf_lower_relu, XAI_OP_RELU)
XF_MISC_LUT(xf_lower_relu6, XAI_OP_RELU6)
XF_MISC_LUT(xf_lower_relu_n1_to_1, XAI_OP_RELU_N1_TO_1)
XF_MISC_LUT(xf_lower_leaky_relu, XAI_OP_LEAKY_RELU)
XF_MISC_LUT(xf_lower_hard_swish, XAI_OP_HARD_SWISH)
XF_MISC_LUT(xf_lower_logistic, XAI_OP_LOGISTIC)
XF_MISC_LUT(xf_lower_tanh, XAI_OP_TANH)
XF_MISC_LUT(xf_lower_quantize, XAI_OP_QUANTIZE)
#undef XF_MISC_LUT
