/* Fuses RELU, RELU6 and RELU_N1_TO_1 into the op producing their input
 * (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, AVERAGE_POOL_2D,
 * MAX_POOL_2D) when the activation's input and output quantization are
 * equal. Exact: with equal scales the activation requantizes by 1.0 (an
 * identity) and clamps to [zp + round(lo / scale), zp + round(hi / scale)]
 * cut to int8, the same range TFLite's CalculateActivationRangeQuantized
 * gives the fused op; clamping the producer's int8 result again to that
 * narrower range equals clamping once. */
#include "canon_internal.h"
#include "xai/kernels_ref/quant.h"

static int8_t activation_of(int32_t code) {
  switch (code) {
    case XAI_OP_RELU: return XAI_ACT_RELU;
    case XAI_OP_RELU6: return XAI_ACT_RELU6;
    case XAI_OP_RELU_N1_TO_1: return XAI_ACT_RELU_N1_TO_1;
    default: return -1;
  }
}

/* The producer's fused_activation_function field, or NULL if it has none
 * we may set (options table absent: leave it). */
static int8_t *fused_field(xai_operator *o, int32_t code) {
  xai_options *op = &o->options;
  switch (code) {
    case XAI_OP_CONV_2D:
      return op->type == XAI_OPTS_CONV2D ? &op->u.conv2d.fused_activation_function : NULL;
    case XAI_OP_DEPTHWISE_CONV_2D:
      return op->type == XAI_OPTS_DEPTHWISE_CONV2D
                 ? &op->u.depthwise_conv2d.fused_activation_function : NULL;
    case XAI_OP_FULLY_CONNECTED:
      return op->type == XAI_OPTS_FULLY_CONNECTED
                 ? &op->u.fully_connected.fused_activation_function : NULL;
    case XAI_OP_ADD:
      return op->type == XAI_OPTS_ADD ? &op->u.add.fused_activation_function : NULL;
    case XAI_OP_AVERAGE_POOL_2D:
    case XAI_OP_MAX_POOL_2D:
      return op->type == XAI_OPTS_POOL2D ? &op->u.pool2d.fused_activation_function : NULL;
    default: return NULL;
  }
}

xai_status xf_canon_fuse_activation(xf_ctx *x, uint32_t op, bool *done,
                                    xai_error *err) {
  *done = false;
  int8_t act = activation_of(xf_op_builtin(x, op));
  if (act < 0) return XAI_OK;
  xai_operator *o = xf_op(x, op);
  if (o->input_count != 1 || o->output_count != 1) return XAI_OK;
  int32_t in = o->inputs[0], out = o->outputs[0];
  const xai_tensor *ti = xf_tensor(x, in);
  if (!ti || ti->type != XAI_TYPE_INT8 || !xf_canon_same_quant(x, in, out) ||
      xf_is_graph_output(x, in) || xf_consumer_count(x, in) != 1)
    return XAI_OK;
  float scale;
  int32_t zp;
  if (!xf_quant(x, out, &scale, &zp)) return XAI_OK;
  int32_t lo, hi;
  xai_activation_range_quantized(act, scale, zp, INT8_MIN, INT8_MAX, &lo, &hi);
  if (lo > hi) return XAI_OK; /* clamp order would matter */
  int32_t p = xf_canon_producer(x, in);
  if (p < 0) return XAI_OK;
  xai_operator *po = xf_op(x, (uint32_t)p);
  int8_t *field = fused_field(po, xf_op_builtin(x, (uint32_t)p));
  if (!field || *field != XAI_ACT_NONE || po->output_count != 1 ||
      po->outputs[0] != in)
    return XAI_OK;
  *field = act;
  po->outputs[0] = out;
  xai_status st = xai_model_remove_operator(x->m, 0, op);
  if (st)
    return xai_fail(err, st, "canonicalise: cannot remove op %u: %s", op,
                    xai_error_text(err));
  x->canon_acts_fused++;
  *done = true;
  return XAI_OK;
}
