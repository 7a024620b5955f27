#include "model_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/flexbuf.h"
#include "xai/runtime.h"

static uint64_t elements(xai_i32_span shape) {
  uint64_t n = 1;
  for (uint32_t i = 0; i < shape.count; i++)
    n *= shape.data[i] > 0 ? (uint64_t)shape.data[i] : 0;
  return n;
}

static xai_i32_span tensor_shape(const xai_tfl_view *v, uint32_t sg,
                                 xai_i32_span list, uint32_t k) {
  xai_i32_span none = {0};
  if (k >= list.count || list.data[k] < 0) return none;
  xai_tfl_tensor t;
  xai_tfl_get_tensor(v, sg, (uint32_t)list.data[k], &t);
  return t.shape;
}

/* One integer option of an XAI_* op (flexbuffer map); 0 if absent. */
static int64_t xai_option(const xai_tfl_operator *op, const char *key) {
  xai_flexbuf_ref root;
  int64_t v = 0;
  if (!op->custom_options ||
      xai_flexbuf_verify(op->custom_options, op->custom_options_size, NULL) ||
      xai_flexbuf_root(op->custom_options, op->custom_options_size, &root,
                       NULL) ||
      xai_flexbuf_map_get_int(&root, key, &v, NULL))
    return 0;
  return v > 0 ? v : 0;
}

/* The xformer's ops keep their geometry in options (docs/xcore_ops.md):
 * MACs per output element times the output elements. */
static uint64_t xai_op_macs(const xai_tfl_view *v, uint32_t sg,
                            const char *custom, const xai_tfl_operator *op) {
  uint64_t out = elements(tensor_shape(v, sg, op->outputs, 0));
  if (!strcmp(custom, "XAI_conv2d"))
    return out * (uint64_t)(xai_option(op, "kh") * xai_option(op, "kw") *
                            xai_option(op, "ic"));
  if (!strcmp(custom, "XAI_depthwise_conv2d"))
    return out * (uint64_t)(xai_option(op, "kh") * xai_option(op, "kw"));
  if (!strcmp(custom, "XAI_fc")) return out * (uint64_t)xai_option(op, "k");
  return 0;
}

/* Multiply-accumulates of the ops that have them, from their shapes (the
 * runtime's cost model counts them with the same function). */
static uint64_t op_macs(const xai_tfl_view *v, uint32_t sg, int32_t code,
                        const xai_tfl_operator *op) {
  enum { MAX = 24 };
  xai_op_dims in[MAX], out[MAX];
  uint32_t n_in = op->inputs.count < MAX ? op->inputs.count : MAX;
  uint32_t n_out = op->outputs.count < MAX ? op->outputs.count : MAX;
  for (uint32_t i = 0; i < n_in; i++) {
    xai_i32_span s = tensor_shape(v, sg, op->inputs, i);
    in[i].dims = s.data;
    in[i].rank = op->inputs.data[i] < 0 ? -1 : (int32_t)s.count;
  }
  for (uint32_t i = 0; i < n_out; i++) {
    xai_i32_span s = tensor_shape(v, sg, op->outputs, i);
    out[i].dims = s.data;
    out[i].rank = op->outputs.data[i] < 0 ? -1 : (int32_t)s.count;
  }
  return xai_op_builtin_macs(code, in, n_in, out, n_out);
}

static int is_constant(const xai_tfl_view *v, uint32_t sg, int32_t index,
                       size_t *bytes, uint32_t *buffer) {
  if (index < 0) return 0;
  xai_tfl_tensor t;
  xai_tfl_get_tensor(v, sg, (uint32_t)index, &t);
  if (t.buffer == 0 || t.is_variable) return 0;
  xai_tfl_buffer b;
  xai_tfl_get_buffer(v, t.buffer, &b);
  if (!b.data || !b.size) return 0;
  *bytes = b.size;
  *buffer = t.buffer;
  return 1;
}

xai_status xai_model_stats_compute(const xai_tfl_view *v, xai_model_stats *s,
                                   xai_error *err) {
  memset(s, 0, sizeof *s);
  s->largest_activation_tensor = -1;
  size_t total_ops = 0;
  for (uint32_t sg = 0; sg < xai_tfl_subgraph_count(v); sg++) {
    xai_tfl_subgraph g;
    xai_tfl_get_subgraph(v, sg, &g);
    total_ops += g.operator_count;
  }
  uint32_t nbuf = xai_tfl_buffer_count(v);
  uint8_t *counted = calloc(nbuf ? nbuf : 1, 1);
  s->ops = calloc(total_ops ? total_ops : 1, sizeof *s->ops);
  s->types = calloc(total_ops ? total_ops : 1, sizeof *s->types);
  s->unknown_names = calloc(total_ops ? total_ops : 1, sizeof *s->unknown_names);
  if (!counted || !s->ops || !s->types || !s->unknown_names) {
    free(counted);
    xai_model_stats_free(s);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory for model stats");
  }
  for (uint32_t sg = 0; sg < xai_tfl_subgraph_count(v); sg++) {
    xai_tfl_subgraph g;
    xai_tfl_get_subgraph(v, sg, &g);
    for (uint32_t i = 0; i < g.operator_count; i++) {
      xai_op_stats *st = &s->ops[s->op_count];
      xai_tfl_operator op;
      xai_tfl_opcode code;
      xai_tfl_get_operator(v, sg, i, &op);
      xai_tfl_get_opcode(v, op.opcode_index, &code);
      st->type_name = code.custom_code ? code.custom_code
                                       : xai_builtin_op_name(code.builtin_code);
      if (!st->type_name) {
        snprintf(s->unknown_names[s->op_count], sizeof s->unknown_names[0],
                 "BUILTIN_%d", (int)code.builtin_code);
        st->type_name = s->unknown_names[s->op_count];
      }
      st->macs = code.custom_code
                      ? xai_op_macs(v, sg, code.custom_code, &op)
                      : op_macs(v, sg, code.builtin_code, &op);
      for (uint32_t k = 0; k < op.inputs.count; k++) {
        size_t bytes;
        uint32_t buffer;
        if (!is_constant(v, sg, op.inputs.data[k], &bytes, &buffer)) continue;
        st->param_bytes += bytes;
        if (!counted[buffer]) {
          counted[buffer] = 1;
          s->total_param_bytes += bytes;
        }
      }
      s->total_macs += st->macs;
      size_t t = 0;
      while (t < s->type_count && strcmp(s->types[t].name, st->type_name)) t++;
      if (t == s->type_count) s->types[s->type_count++].name = st->type_name;
      s->types[t].count++;
      s->op_count++;
    }
  }
  xai_tfl_subgraph g0;
  xai_tfl_get_subgraph(v, 0, &g0);
  for (uint32_t i = 0; i < g0.tensor_count; i++) {
    size_t bytes;
    uint32_t buffer;
    if (is_constant(v, 0, (int32_t)i, &bytes, &buffer)) continue;
    xai_tfl_tensor t;
    xai_tfl_get_tensor(v, 0, i, &t);
    size_t n = (size_t)elements(t.shape) * xai_tensor_type_size(t.type);
    if (n > s->largest_activation_bytes) {
      s->largest_activation_bytes = n;
      s->largest_activation_tensor = (int32_t)i;
    }
  }
  free(counted);
  return XAI_OK;
}

void xai_model_stats_free(xai_model_stats *s) {
  free(s->ops);
  free(s->types);
  free(s->unknown_names);
  memset(s, 0, sizeof *s);
}
