/* The last edit before the optimised model is written: bytes the device
 * does not need go.
 *  - Tensor names, except the graph inputs' and outputs' (what users and
 *    signatures refer to), unless --xcore-keep-names: the runtime names
 *    other tensors by index, and the report (built before this) by layer
 *    index and op.
 *  - Identical constant buffers (the same packed blob for two layers with
 *    the same weights and quantization, equal shape vectors, LUTs) are
 *    stored once: their tensors share the first copy. Constants are
 *    read-only in the runtime (variables, the only written tensors with
 *    data, are left alone), so sharing is safe.
 *  - Operator codes no operator uses any more (the builtins the lowering
 *    replaced: 84 of mobilenet_v2's 89). */
#include <stdlib.h>
#include <string.h>

#include "xformer_internal.h"

static bool is_subgraph_io(const xai_subgraph *sg, uint32_t t) {
  for (uint32_t i = 0; i < sg->input_count; i++)
    if (sg->inputs[i] == (int32_t)t) return true;
  for (uint32_t i = 0; i < sg->output_count; i++)
    if (sg->outputs[i] == (int32_t)t) return true;
  return false;
}

static void drop_names(xai_model *m) {
  for (uint32_t s = 0; s < m->subgraph_count; s++) {
    xai_subgraph *sg = &m->subgraphs[s];
    for (uint32_t t = 0; t < sg->tensor_count; t++) {
      if (!sg->tensors[t].name || is_subgraph_io(sg, t)) continue;
      free(sg->tensors[t].name);
      sg->tensors[t].name = NULL;
    }
  }
}

static uint64_t fnv1a(const uint8_t *p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/* Buffers some variable tensor or metadata entry uses: never shared. */
static bool *variable_buffers(const xai_model *m) {
  bool *v = calloc(m->buffer_count ? m->buffer_count : 1, sizeof *v);
  if (!v) return NULL;
  for (uint32_t s = 0; s < m->subgraph_count; s++) {
    const xai_subgraph *sg = &m->subgraphs[s];
    for (uint32_t t = 0; t < sg->tensor_count; t++)
      if (sg->tensors[t].is_variable && sg->tensors[t].buffer < m->buffer_count)
        v[sg->tensors[t].buffer] = true;
  }
  for (uint32_t i = 0; i < m->metadata_count; i++)
    if (m->metadata[i].buffer < m->buffer_count) v[m->metadata[i].buffer] = true;
  return v;
}

static xai_status dedup_buffers(xai_model *m, xai_error *err) {
  uint32_t nb = m->buffer_count;
  uint64_t *hash = malloc((nb ? nb : 1) * sizeof *hash);
  uint32_t *same = malloc((nb ? nb : 1) * sizeof *same);
  bool *var = variable_buffers(m);
  if (!hash || !same || !var) {
    free(hash);
    free(same);
    free(var);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "model shrink: out of memory");
  }
  /* same[b]: the first buffer with b's bytes (b itself if none). Quadratic
   * only among equal hashes: models have hundreds of buffers. */
  bool merged = false;
  for (uint32_t b = 0; b < nb; b++) {
    const xai_buffer *bb = &m->buffers[b];
    same[b] = b;
    if (b == 0 || !bb->data || bb->size == 0 || var[b]) continue;
    hash[b] = fnv1a(bb->data, bb->size);
    for (uint32_t a = 1; a < b; a++) {
      const xai_buffer *ab = &m->buffers[a];
      if (same[a] != a || !ab->data || var[a] || ab->size != bb->size ||
          hash[a] != hash[b] || memcmp(ab->data, bb->data, bb->size) != 0)
        continue;
      same[b] = a;
      merged = true;
      break;
    }
  }
  if (merged) {
    for (uint32_t s = 0; s < m->subgraph_count; s++) {
      xai_subgraph *sg = &m->subgraphs[s];
      for (uint32_t t = 0; t < sg->tensor_count; t++)
        if (sg->tensors[t].buffer < nb)
          sg->tensors[t].buffer = same[sg->tensors[t].buffer];
    }
    xai_model_remove_unused_buffers(m);
  }
  free(hash);
  free(same);
  free(var);
  return XAI_OK;
}

static xai_status drop_unused_opcodes(xai_model *m, xai_error *err) {
  uint32_t n = m->opcode_count;
  int32_t *to = malloc((n ? n : 1) * sizeof *to);
  if (!to) return xai_fail(err, XAI_ERR_NO_MEMORY, "model shrink: out of memory");
  for (uint32_t i = 0; i < n; i++) to[i] = -1;
  for (uint32_t s = 0; s < m->subgraph_count; s++)
    for (uint32_t o = 0; o < m->subgraphs[s].operator_count; o++) {
      uint32_t c = m->subgraphs[s].operators[o].opcode_index;
      if (c < n) to[c] = 0;
    }
  uint32_t kept = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (to[i] < 0) {
      free(m->opcodes[i].custom_code);
      continue;
    }
    to[i] = (int32_t)kept;
    m->opcodes[kept++] = m->opcodes[i];
  }
  m->opcode_count = kept;
  for (uint32_t s = 0; s < m->subgraph_count; s++)
    for (uint32_t o = 0; o < m->subgraphs[s].operator_count; o++) {
      xai_operator *op = &m->subgraphs[s].operators[o];
      if (op->opcode_index < n) op->opcode_index = (uint32_t)to[op->opcode_index];
    }
  free(to);
  return XAI_OK;
}

xai_status xf_shrink_model(xf_ctx *x, xai_error *err) {
  if (!x->opt->keep_names) drop_names(x->m);
  xai_status st = drop_unused_opcodes(x->m, err);
  return st ? st : dedup_buffers(x->m, err);
}
