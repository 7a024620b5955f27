/* Canonicalisation: exact rewrites that give the lowerings fewer, simpler
 * ops (fold explicit PAD into the conv, fuse RELU-family activations into
 * their producer, drop RESHAPE/QUANTIZE that change nothing). Runs to a
 * fixed point, since one rewrite can enable another (a dropped QUANTIZE
 * can leave a RELU right after a conv). */
#include <string.h>

#include "canon_internal.h"

bool xf_canon_same_quant(xf_ctx *x, int32_t a, int32_t b) {
  const xai_tensor *ta = xf_tensor(x, a), *tb = xf_tensor(x, b);
  if (!ta || !tb || ta->type != tb->type) return false;
  const xai_quant *qa = &ta->quant, *qb = &tb->quant;
  bool pa = qa->present && qa->scale_count > 0;
  bool pb = qb->present && qb->scale_count > 0;
  if (pa != pb) return false;
  if (!pa) return true;
  if (qa->scale_count != qb->scale_count ||
      qa->zero_point_count != qb->zero_point_count)
    return false;
  if (qa->scale_count > 1 && qa->quantized_dimension != qb->quantized_dimension)
    return false;
  for (uint32_t i = 0; i < qa->scale_count; i++)
    if (qa->scale[i] != qb->scale[i]) return false;
  for (uint32_t i = 0; i < qa->zero_point_count; i++)
    if (qa->zero_point[i] != qb->zero_point[i]) return false;
  return true;
}

int32_t xf_canon_producer(xf_ctx *x, int32_t t) {
  const xai_subgraph *sg = &x->m->subgraphs[0];
  for (uint32_t i = 0; i < sg->operator_count; i++)
    for (uint32_t k = 0; k < sg->operators[i].output_count; k++)
      if (sg->operators[i].outputs[k] == t) return (int32_t)i;
  return -1;
}

void xf_canon_rewire_inputs(xf_ctx *x, int32_t from, int32_t to) {
  xai_subgraph *sg = &x->m->subgraphs[0];
  for (uint32_t i = 0; i < sg->operator_count; i++)
    for (uint32_t k = 0; k < sg->operators[i].input_count; k++)
      if (sg->operators[i].inputs[k] == from) sg->operators[i].inputs[k] = to;
}

bool xf_canon_is_graph_input(xf_ctx *x, int32_t t) {
  const xai_subgraph *sg = &x->m->subgraphs[0];
  for (uint32_t i = 0; i < sg->input_count; i++)
    if (sg->inputs[i] == t) return true;
  return false;
}

xai_status xf_canonicalise(xf_ctx *x, xai_error *err) {
  if (x->m->subgraph_count == 0) return XAI_OK;
  bool changed = true;
  while (changed) {
    changed = false;
    for (uint32_t op = 0; op < x->m->subgraphs[0].operator_count; op++) {
      bool done = false;
      xai_status st = xf_canon_drop_noop(x, op, &done, err);
      if (!st && !done) st = xf_canon_fold_shape(x, op, &done, err);
      if (!st && !done) st = xf_canon_fold_const(x, op, &done, err);
      if (!st && !done) st = xf_canon_fold_pad(x, op, &done, err);
      if (!st && !done) st = xf_canon_fuse_activation(x, op, &done, err);
      if (st) return st;
      if (done) {
        changed = true;
        break; /* indices moved: rescan */
      }
    }
  }
  return XAI_OK;
}
