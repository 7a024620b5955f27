/* An op whose inputs are all constant becomes constants: the op is cut
 * into a one-op model, run once through the runtime's reference kernel (in
 * the model's semantics), and its outputs take the results as buffers.
 * This folds what a static SHAPE feeds (STRIDED_SLICE, PACK,
 * CONCATENATION, GATHER, arithmetic on the shape) and any other constant
 * subexpression, and the rewrite is exact by construction: the device would
 * have computed the same bits. Ops with state or side effects (variables,
 * control flow, custom ops) are left alone, and so are folds that would
 * grow the model by more than kMaxGrowth bytes (a FILL or BROADCAST_TO of
 * a constant is cheaper to compute than to store). */
#include <stdlib.h>
#include <string.h>

#include "canon_internal.h"
#include "xai/runtime.h"

#define kMaxGrowth 1024
#define kMaxOutputs 8

static bool foldable_code(int32_t code) {
  switch (code) {
    case XAI_OP_CUSTOM: case XAI_OP_VAR_HANDLE: case XAI_OP_READ_VARIABLE:
    case XAI_OP_ASSIGN_VARIABLE: case XAI_OP_CALL_ONCE: case XAI_OP_IF:
    case XAI_OP_WHILE: case XAI_OP_UNIDIRECTIONAL_SEQUENCE_LSTM:
    case XAI_OP_SVDF:
    /* Weights the converter left as DEQUANTIZE (fp16/int8 -> float) are
     * meant to stay small in flash. */
    case XAI_OP_DEQUANTIZE:
      return false;
    default:
      return true;
  }
}

static bool static_shape(const xai_tensor *t) {
  for (uint32_t i = 0; i < t->shape_signature_count; i++)
    if (t->shape_signature[i] < 0) return false;
  for (uint32_t i = 0; i < t->rank; i++)
    if (t->shape[i] < 0) return false;
  return true;
}

static size_t tensor_bytes(const xai_tensor *t) {
  size_t n = xai_tensor_type_size(t->type);
  for (uint32_t i = 0; i < t->rank; i++) n *= (size_t)t->shape[i];
  return n;
}

/* Copies tensor t of x's model into model m (constant data too); the new
 * index, or -1. */
static int32_t copy_tensor(xf_ctx *x, xai_model *m, int32_t t) {
  const xai_tensor *src = xf_tensor(x, t);
  size_t size = 0;
  const uint8_t *data = xf_const_data(x, t, &size);
  uint32_t buffer = 0;
  if (data) {
    const int32_t b = xai_model_add_buffer(m, data, size);
    if (b < 0) return -1;
    buffer = (uint32_t)b;
  }
  const int32_t k = xai_model_add_tensor(m, 0, "t", src->type, src->shape,
                                         src->rank, buffer);
  if (k < 0) return -1;
  const xai_quant *q = &src->quant;
  if (q->present && q->scale_count > 0 &&
      xai_model_set_quant(m, 0, (uint32_t)k, q->scale, q->zero_point,
                          q->scale_count, q->quantized_dimension) != XAI_OK)
    return -1;
  return k;
}

/* The one-op model of op `op`: constant inputs, the outputs as graph
 * outputs. */
static xai_status one_op_model(xf_ctx *x, uint32_t op, uint8_t **bytes,
                               size_t *size, xai_error *err) {
  const xai_operator *o = xf_op(x, op);
  const xai_opcode *oc = &x->m->opcodes[o->opcode_index];
  xai_model m;
  xai_status st = xai_model_init(&m, err);
  if (st) return st;
  int32_t in[16], out[kMaxOutputs];
  bool ok = o->input_count <= 16;
  for (uint32_t k = 0; ok && k < o->input_count; k++)
    in[k] = o->inputs[k] < 0 ? -1 : copy_tensor(x, &m, o->inputs[k]);
  for (uint32_t k = 0; ok && k < o->input_count; k++)
    ok = o->inputs[k] < 0 || in[k] >= 0;
  for (uint32_t k = 0; ok && k < o->output_count; k++)
    ok = (out[k] = copy_tensor(x, &m, o->outputs[k])) >= 0;
  const int32_t code =
      ok ? xai_model_opcode(&m, oc->builtin_code, oc->custom_code,
                            oc->version)
         : -1;
  ok = code >= 0 &&
       xai_model_add_operator(&m, 0, -1, (uint32_t)code, in, o->input_count,
                              out, o->output_count, &o->options,
                              o->custom_options, o->custom_options_size) >=
           0 &&
       xai_model_set_subgraph_io(&m, 0, NULL, 0, out, o->output_count) ==
           XAI_OK;
  st = ok ? xai_model_write(&m, bytes, size, err)
          : xai_fail(err, XAI_ERR_NO_MEMORY, "xformer: out of memory");
  xai_model_free(&m);
  return st;
}

void xf_canon_count_fold(xf_ctx *x, const int32_t *inputs, uint32_t n,
                         size_t added) {
  x->canon_consts_folded++;
  x->canon_fold_bytes_added += added;
  for (uint32_t k = 0; k < n; k++) {
    bool seen = inputs[k] < 0;
    for (uint32_t j = 0; j < k && !seen; j++) seen = inputs[j] == inputs[k];
    size_t size = 0;
    if (seen || xf_consumer_count(x, inputs[k]) ||
        xf_is_graph_output(x, inputs[k]) ||
        !xf_const_data(x, inputs[k], &size))
      continue;
    x->canon_fold_bytes_removed += size;
  }
}

xai_status xf_canon_fold_const(xf_ctx *x, uint32_t op, bool *done,
                               xai_error *err) {
  const xai_operator *o = xf_op(x, op);
  if (!foldable_code(xf_op_builtin(x, op)) || o->output_count < 1 ||
      o->output_count > kMaxOutputs || o->input_count < 1 ||
      o->input_count > 16 ||
      o->intermediate_count)
    return XAI_OK;
  size_t in_bytes = 0, out_bytes = 0;
  uint32_t consts = 0;
  for (uint32_t k = 0; k < o->input_count; k++) {
    if (o->inputs[k] < 0) continue;
    const xai_tensor *t = xf_tensor(x, o->inputs[k]);
    size_t size = 0;
    if (!t || t->is_variable || !xf_const_data(x, o->inputs[k], &size))
      return XAI_OK;
    in_bytes += size;
    consts++;
  }
  if (!consts) return XAI_OK;
  for (uint32_t k = 0; k < o->output_count; k++) {
    const xai_tensor *t = xf_tensor(x, o->outputs[k]);
    if (!t || t->is_variable || xf_is_graph_output(x, o->outputs[k]) ||
        !static_shape(t) || xf_const_data(x, o->outputs[k], &(size_t){0}))
      return XAI_OK;
    out_bytes += tensor_bytes(t);
  }
  if (out_bytes > in_bytes + kMaxGrowth) return XAI_OK;

  uint8_t *bytes = NULL;
  size_t size = 0;
  xai_error e;
  xai_error_clear(&e);
  if (one_op_model(x, op, &bytes, &size, &e)) {
    free(bytes);
    return e.status == XAI_ERR_NO_MEMORY ? xai_fail(err, e.status, "%s",
                                                    e.message)
                                         : XAI_OK;
  }
  xai_interp_config cfg = xf_interp_config(bytes, size, 0);
  /* The folded values follow the semantics the model is compiled for. */
  cfg.semantics = x->opt && x->opt->litert_semantics ? XAI_SEMANTICS_LITERT
                                                     : XAI_SEMANTICS_TFLM;
  size_t need = 0;
  void *arena = NULL;
  xai_interp *ip = NULL;
  /* A kernel that refuses the op (a type it does not take, a division by
   * zero) leaves it for the device to report: no fold, no error here. */
  if (xai_interp_arena_needed(&cfg, &need, &e) ||
      xf_interp_on_heap(&cfg, need, &arena, &ip, "constant fold", &e) ||
      xai_interp_invoke(ip, &e)) {
    free(arena);
    free(bytes);
    return XAI_OK;
  }
  xai_status st = XAI_OK;
  int32_t inputs[16];
  const uint32_t n_in = o->input_count;
  memcpy(inputs, o->inputs, n_in * sizeof *inputs);
  for (uint32_t k = 0; k < o->output_count && !st; k++) {
    const xai_rt_tensor *r = xai_interp_output(ip, k);
    const int32_t b = xai_model_add_buffer(x->m, r->data, r->bytes);
    if (b < 0) st = xai_fail(err, XAI_ERR_NO_MEMORY, "xformer: out of memory");
    else xf_tensor(x, xf_op(x, op)->outputs[k])->buffer = (uint32_t)b;
  }
  free(arena);
  free(bytes);
  if (st) return st;
  st = xai_model_remove_operator(x->m, 0, op);
  if (st)
    return xai_fail(err, st, "canonicalise: cannot remove folded op %u", op);
  xf_canon_count_fold(x, inputs, n_in, out_bytes);
  *done = true;
  return XAI_OK;
}
