/* Refuses float models before any pass runs: the xcore kernels are integer
 * only, and a model half-lowered around float ops would be slower than the
 * user expects without saying why. */
#include <stdio.h>

#include "xformer_internal.h"

/* How to get a full-integer model out of the TFLite converter (the
 * settings TensorFlow documents for post-training int8 quantization). */
#define QUANTIZE_HINT                                                       \
  "xformer needs a full-integer int8 model: quantize it with the TFLite "   \
  "converter (converter.optimizations = [tf.lite.Optimize.DEFAULT]; "       \
  "converter.representative_dataset = <sample inputs>; "                   \
  "converter.target_spec.supported_ops = "                                  \
  "[tf.lite.OpsSet.TFLITE_BUILTINS_INT8]; converter.inference_input_type = " \
  "converter.inference_output_type = tf.int8)"

static const char *op_name(xf_ctx *x, const xai_operator *o) {
  if (o->opcode_index >= x->m->opcode_count) return "?";
  const xai_opcode *c = &x->m->opcodes[o->opcode_index];
  if (c->custom_code) return c->custom_code;
  const char *n = xai_builtin_op_name(c->builtin_code);
  return n ? n : "BUILTIN";
}

static xai_status refuse(xf_ctx *x, uint32_t sg, uint32_t i,
                         const xai_operator *o, const char *role, int32_t t,
                         xai_error *err) {
  const xai_tensor *tt = &x->m->subgraphs[sg].tensors[t];
  return xai_fail(err, XAI_ERR_UNSUPPORTED,
                  "subgraph %u op %u %s: %s tensor %d '%.48s' is FLOAT32; "
                  QUANTIZE_HINT,
                  sg, i, op_name(x, o), role, t, tt->name ? tt->name : "");
}

xai_status xf_check_model(xf_ctx *x, xai_error *err) {
  if (x->m->subgraph_count == 0)
    return xai_fail(err, XAI_ERR_FORMAT, "the model has no subgraphs");
  for (uint32_t sg = 0; sg < x->m->subgraph_count; sg++) {
    const xai_subgraph *s = &x->m->subgraphs[sg];
    for (uint32_t i = 0; i < s->operator_count; i++) {
      const xai_operator *o = &s->operators[i];
      int32_t code = o->opcode_index < x->m->opcode_count
                         ? x->m->opcodes[o->opcode_index].builtin_code
                         : -1;
      /* float in/out at the graph boundary converts to and from int8 */
      if (code == XAI_OP_QUANTIZE || code == XAI_OP_DEQUANTIZE) continue;
      /* binarized ops take float batch-norm parameters by design */
      if (xf_lce_op_name(op_name(x, o))) continue;
      for (uint32_t k = 0; k < o->input_count; k++) {
        int32_t t = o->inputs[k];
        if (t >= 0 && (uint32_t)t < s->tensor_count &&
            s->tensors[t].type == XAI_TYPE_FLOAT32)
          return refuse(x, sg, i, o, "input", t, err);
      }
      for (uint32_t k = 0; k < o->output_count; k++) {
        int32_t t = o->outputs[k];
        if (t >= 0 && (uint32_t)t < s->tensor_count &&
            s->tensors[t].type == XAI_TYPE_FLOAT32)
          return refuse(x, sg, i, o, "output", t, err);
      }
    }
  }
  return XAI_OK;
}
