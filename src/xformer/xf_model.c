/* Model queries and edits shared by every xformer pass (subgraph 0). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xformer_internal.h"

xai_tensor *xf_tensor(xf_ctx *x, int32_t index) {
  xai_subgraph *sg = &x->m->subgraphs[0];
  if (index < 0 || (uint32_t)index >= sg->tensor_count) return NULL;
  return &sg->tensors[index];
}

xai_operator *xf_op(xf_ctx *x, uint32_t op) {
  xai_subgraph *sg = &x->m->subgraphs[0];
  return op < sg->operator_count ? &sg->operators[op] : NULL;
}

int32_t xf_op_builtin(xf_ctx *x, uint32_t op) {
  xai_operator *o = xf_op(x, op);
  if (!o || o->opcode_index >= x->m->opcode_count) return -1;
  return x->m->opcodes[o->opcode_index].builtin_code;
}

const uint8_t *xf_const_data(xf_ctx *x, int32_t tensor, size_t *size) {
  xai_tensor *t = xf_tensor(x, tensor);
  if (!t || t->buffer == 0 || t->buffer >= x->m->buffer_count) return NULL;
  xai_buffer *b = &x->m->buffers[t->buffer];
  if (!b->data || b->size == 0) return NULL;
  if (size) *size = b->size;
  return b->data;
}

uint32_t xf_consumer_count(xf_ctx *x, int32_t t) {
  xai_subgraph *sg = &x->m->subgraphs[0];
  uint32_t n = 0;
  for (uint32_t i = 0; i < sg->operator_count; i++)
    for (uint32_t k = 0; k < sg->operators[i].input_count; k++)
      if (sg->operators[i].inputs[k] == t) n++;
  return n;
}

bool xf_is_graph_output(xf_ctx *x, int32_t t) {
  xai_subgraph *sg = &x->m->subgraphs[0];
  for (uint32_t i = 0; i < sg->output_count; i++)
    if (sg->outputs[i] == t) return true;
  return false;
}

bool xf_quant(xf_ctx *x, int32_t t, float *scale, int32_t *zero_point) {
  xai_tensor *tt = xf_tensor(x, t);
  if (!tt || !tt->quant.present || tt->quant.scale_count == 0) return false;
  *scale = tt->quant.scale[0];
  *zero_point = tt->quant.zero_point_count
                    ? (int32_t)tt->quant.zero_point[0] : 0;
  return true;
}

int32_t xf_add_const(xf_ctx *x, const char *name, int8_t type,
                     const int32_t *shape, uint32_t rank, const void *data,
                     size_t size) {
  int32_t b = xai_model_add_buffer(x->m, data, size);
  if (b < 0) return -1;
  return xai_model_add_tensor(x->m, 0, name, type, shape, rank, (uint32_t)b);
}

xai_status xf_replace_custom(xf_ctx *x, uint32_t op, const char *code,
                             const int32_t *inputs, uint32_t input_count,
                             const int32_t *outputs, uint32_t output_count,
                             const uint8_t *options, size_t options_size,
                             xai_error *err) {
  int32_t oc = xai_model_opcode(x->m, XAI_OP_CUSTOM, code, 1);
  if (oc < 0) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  xai_options none;
  memset(&none, 0, sizeof none);
  if (options_size > UINT32_MAX)
    return xai_fail(err, XAI_ERR_RANGE, "%s: options too large", code);
  /* insert the new op before the old one, then drop the old one */
  if (xai_model_add_operator(x->m, 0, (int32_t)op, (uint32_t)oc, inputs,
                             input_count, outputs, output_count, &none,
                             options, (uint32_t)options_size) < 0)
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  return xai_model_remove_operator(x->m, 0, op + 1);
}

void xf_keep(xf_ctx *x, uint32_t op, const char *fmt, ...) {
  if (x->note_count == x->note_cap) {
    uint32_t cap = x->note_cap ? x->note_cap * 2 : 16;
    xf_note *n = realloc(x->notes, cap * sizeof *n);
    if (!n) return; /* a lost note only shortens the report */
    x->notes = n;
    x->note_cap = cap;
  }
  xf_note *n = &x->notes[x->note_count++];
  n->op = op;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(n->text, sizeof n->text, fmt, ap);
  va_end(ap);
}

static bool tensor_used(const xai_model *m, int32_t t) {
  const xai_subgraph *sg = &m->subgraphs[0];
  for (uint32_t i = 0; i < sg->operator_count; i++) {
    const xai_operator *o = &sg->operators[i];
    for (uint32_t k = 0; k < o->input_count; k++)
      if (o->inputs[k] == t) return true;
    for (uint32_t k = 0; k < o->output_count; k++)
      if (o->outputs[k] == t) return true;
    for (uint32_t k = 0; k < o->intermediate_count; k++)
      if (o->intermediates[k] == t) return true;
  }
  for (uint32_t i = 0; i < sg->input_count; i++)
    if (sg->inputs[i] == t) return true;
  for (uint32_t i = 0; i < sg->output_count; i++)
    if (sg->outputs[i] == t) return true;
  for (uint32_t s = 0; s < m->signature_count; s++) {
    const xai_signature *sig = &m->signatures[s];
    if (sig->subgraph_index != 0) continue;
    for (uint32_t i = 0; i < sig->input_count; i++)
      if ((int32_t)sig->inputs[i].tensor_index == t) return true;
    for (uint32_t i = 0; i < sig->output_count; i++)
      if ((int32_t)sig->outputs[i].tensor_index == t) return true;
  }
  return false;
}

xai_status xf_remove_dead_tensors(xf_ctx *x, xai_error *err) {
  xai_subgraph *sg = &x->m->subgraphs[0];
  for (uint32_t t = sg->tensor_count; t-- > 0;) {
    if (tensor_used(x->m, (int32_t)t)) continue;
    xai_status st = xai_model_remove_tensor(x->m, 0, t, err);
    if (st) return st;
  }
  xai_model_remove_unused_buffers(x->m);
  return XAI_OK;
}
