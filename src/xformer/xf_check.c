/* Float ops stay builtins: the xcore kernels are integer only. Each one is
 * named in the report with the converter settings that would quantize it,
 * so a user sees why the model is slower than an int8 one. */
#include <stdio.h>

#include "xformer_internal.h"

/* How to get a full-integer model out of the TFLite converter (the
 * settings TensorFlow documents for post-training int8 quantization). */
#define QUANTIZE_HINT                                              \
  "to quantize: converter.optimizations=[Optimize.DEFAULT], "       \
  "representative_dataset, TFLITE_BUILTINS_INT8, int8 in/out types"

xai_status xf_check_model(xf_ctx *x, xai_error *err) {
  if (x->m->subgraph_count == 0)
    return xai_fail(err, XAI_ERR_FORMAT, "the model has no subgraphs");
  return XAI_OK;
}

static bool float_tensor(const xai_subgraph *s, int32_t t) {
  return t >= 0 && (uint32_t)t < s->tensor_count &&
         s->tensors[t].type == XAI_TYPE_FLOAT32;
}

bool xf_keep_if_float(xf_ctx *x, uint32_t op) {
  const xai_subgraph *s = &x->m->subgraphs[0];
  const xai_operator *o = &s->operators[op];
  int32_t code = xf_op_builtin(x, op);
  /* float in/out at the graph boundary converts to and from int8 */
  if (code == XAI_OP_QUANTIZE || code == XAI_OP_DEQUANTIZE) return false;
  /* binarized ops take float batch-norm parameters by design */
  if (o->opcode_index < x->m->opcode_count &&
      xf_lce_op_name(x->m->opcodes[o->opcode_index].custom_code))
    return false;
  bool any = false;
  for (uint32_t k = 0; k < o->input_count && !any; k++)
    any = float_tensor(s, o->inputs[k]);
  for (uint32_t k = 0; k < o->output_count && !any; k++)
    any = float_tensor(s, o->outputs[k]);
  if (any) xf_keep(x, op, "float32 builtin; " QUANTIZE_HINT);
  return any;
}
