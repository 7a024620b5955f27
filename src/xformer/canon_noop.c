/* Drops RESHAPE whose output shape equals its input shape and QUANTIZE
 * whose output type and quantization equal its input's: both copy bytes
 * unchanged (QUANTIZE with equal parameters requantizes by exactly 1.0,
 * which the reference kernel's multiplier 2^30, shift 1 keeps exact). */
#include "canon_internal.h"

static bool same_shape(const xai_tensor *a, const xai_tensor *b) {
  if (a->rank != b->rank) return false;
  for (uint32_t i = 0; i < a->rank; i++)
    if (a->shape[i] != b->shape[i]) return false;
  return true;
}

xai_status xf_canon_drop_noop(xf_ctx *x, uint32_t op, bool *done,
                              xai_error *err) {
  *done = false;
  int32_t code = xf_op_builtin(x, op);
  if (code != XAI_OP_RESHAPE && code != XAI_OP_QUANTIZE) return XAI_OK;
  xai_operator *o = xf_op(x, op);
  if (o->input_count < 1 || o->output_count != 1) return XAI_OK;
  int32_t in = o->inputs[0], out = o->outputs[0];
  const xai_tensor *ti = xf_tensor(x, in), *to = xf_tensor(x, out);
  if (!ti || !to || in == out || !same_shape(ti, to) ||
      !xf_canon_same_quant(x, in, out) || ti->is_variable)
    return XAI_OK;
  if (code == XAI_OP_QUANTIZE && !ti->quant.present) return XAI_OK;
  if (!xf_is_graph_output(x, out)) {
    xf_canon_rewire_inputs(x, out, in);
  } else {
    /* The graph output keeps its tensor: its producer writes it directly,
     * which needs `in` to be an intermediate that an op produces. */
    int32_t p = xf_canon_producer(x, in);
    if (p < 0 || xf_canon_is_graph_input(x, in) || xf_is_graph_output(x, in))
      return XAI_OK;
    xai_operator *po = xf_op(x, (uint32_t)p);
    for (uint32_t k = 0; k < po->output_count; k++)
      if (po->outputs[k] == in) po->outputs[k] = out;
    xf_canon_rewire_inputs(x, in, out);
  }
  xai_status st = xai_model_remove_operator(x->m, 0, op);
  if (st)
    return xai_fail(err, st, "canonicalise: cannot remove op %u: %s", op,
                    xai_error_text(err));
  x->canon_ops_dropped++;
  *done = true;
  return XAI_OK;
}
