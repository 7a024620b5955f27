/* xai_tfl_open: validates everything reachable from the Model root once, so
 * the accessors in reader.c can read without checks.
 *
 * The walk has a fixed depth (Model -> SubGraph -> Operator/Tensor ->
 * options/quantization) and loops over vectors with counts checked against
 * the file size, so file data never drives recursion. Every uoffset must
 * point strictly forward (flatbuffers only writes forward references), which
 * rules out cycles. A work budget proportional to the file size stops
 * inputs that share one table among millions of references. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "options_internal.h"
#include "reader_check.h"
#include "reader_internal.h"
#include "xai/tflite.h"

#define MAX_ELEMENTS (1u << 24) /* tensors, operators, subgraphs, buffers */

static const char *kind_name(unsigned id) {
  switch (id) {
    case OP_INPUTS:
      return "input";
    case OP_OUTPUTS:
      return "output";
    case OP_INTERMEDIATES:
      return "intermediate";
    default:
      return "entry";
  }
}

/* Tensor indices in an int vector; -1 (optional input) only if allowed. */
static bool check_indices(xai_fbc *c, const xai_fbc_vec *v, uint32_t tensors,
                          bool allow_absent, const char *what) {
  if (!xai_fbc_spend(c, v->count)) return false;
  for (uint32_t i = 0; i < v->count; i++) {
    int32_t t = xai_fb_i32(c->d + v->pos + 4 + 4 * i);
    if (t == -1 && allow_absent) continue;
    if (t < 0 || (uint32_t)t >= tensors)
      return xai_fbc_fail(c,
                          "%s %u is tensor %d but the subgraph has %u tensors",
                          what, i, t, tensors);
  }
  return true;
}

/* External data: offset and size must stay inside the file. */
static bool check_external(xai_fbc *c, uint64_t offset, uint64_t size,
                           const char *what) {
  if (offset > c->size || size > c->size - offset)
    return xai_fbc_fail(c,
                        "%s at offset %" PRIu64 " of %" PRIu64
                        " bytes is outside the %" PRIu64 "-byte file",
                        what, offset, size, c->size);
  return true;
}

static bool check_opcode(xai_fbc *c, const xai_fbc_table *t) {
  return xai_fbc_scalar_field(c, t, OPCODE_DEPRECATED_BUILTIN_CODE, 1) &&
         xai_fbc_string_field(c, t, OPCODE_CUSTOM_CODE) &&
         xai_fbc_scalar_field(c, t, OPCODE_VERSION, 4) &&
         xai_fbc_scalar_field(c, t, OPCODE_BUILTIN_CODE, 4);
}

static bool check_buffer(xai_fbc *c, const xai_fbc_table *t) {
  xai_fbc_vec data;
  uint32_t po, ps;
  if (!xai_fbc_vector_field(c, t, BUFFER_DATA, 1, 1, &data) ||
      !xai_fbc_field(c, t, BUFFER_OFFSET, 8, &po) ||
      !xai_fbc_field(c, t, BUFFER_SIZE, 8, &ps))
    return false;
  uint64_t offset = po ? xai_fb_u64(c->d + po) : 0;
  uint64_t size = ps ? xai_fb_u64(c->d + ps) : 0;
  if (offset > 1) return check_external(c, offset, size, "external data");
  return true;
}

/* A builtin options table: every field of a modelled table has the size its
 * descriptor says, and its int lists are valid vectors. Tables we do not
 * model are checked as tables only. */
static bool check_options(xai_fbc *c, const xai_fbc_table *t, uint8_t type) {
  const xai_options_desc *desc = xai_options_descriptor(type);
  if (!desc) return true;
  for (unsigned i = 0; i < desc->field_count; i++) {
    const xai_option_field *f = &desc->fields[i];
    bool ok;
    switch (f->kind) {
      case XAI_FIELD_BOOL:
      case XAI_FIELD_I8:
        ok = xai_fbc_scalar_field(c, t, i, 1);
        break;
      case XAI_FIELD_INT_LIST: {
        xai_fbc_vec v;
        ok = xai_fbc_vector_field(c, t, i, 4, 4, &v);
        break;
      }
      case XAI_FIELD_STRING: ok = xai_fbc_string_field(c, t, i); break;
      default:
        ok = xai_fbc_scalar_field(c, t, i, 4);
        break;
    }
    if (!ok) return xai_fbc_where(c, "%s.%s", desc->name, f->name);
  }
  return true;
}

static bool check_operator(xai_fbc *c, const xai_fbc_table *t, uint32_t tensors,
                           uint32_t opcodes) {
  uint32_t p;
  if (!xai_fbc_field(c, t, OP_OPCODE_INDEX, 4, &p)) return false;
  uint32_t opcode = p ? xai_fb_u32(c->d + p) : 0;
  if (opcode >= opcodes)
    return xai_fbc_fail(c,
                        "opcode_index %u but the model has %u operator codes",
                        opcode, opcodes);
  static const unsigned lists[] = {OP_INPUTS, OP_OUTPUTS, OP_INTERMEDIATES};
  for (unsigned k = 0; k < 3; k++) {
    xai_fbc_vec v;
    const char *what = kind_name(lists[k]);
    if (!xai_fbc_vector_field(c, t, lists[k], 4, 4, &v))
      return xai_fbc_where(c, "%ss", what);
    if (!check_indices(c, &v, tensors, lists[k] == OP_INPUTS, what))
      return false;
  }
  if (!xai_fbc_field(c, t, OP_BUILTIN_OPTIONS_TYPE, 1, &p)) return false;
  uint8_t type = p ? c->d[p] : 0;
  xai_fbc_table opts;
  if (!xai_fbc_table_field(c, t, OP_BUILTIN_OPTIONS, &opts))
    return xai_fbc_where(c, "builtin_options");
  /* With union type NONE the value is ignored, as flatbuffers does. */
  if (type && opts.pos && !check_options(c, &opts, type))
    return xai_fbc_where(c, "builtin_options");
  xai_fbc_vec v;
  if (!xai_fbc_vector_field(c, t, OP_CUSTOM_OPTIONS, 1, 1, &v))
    return xai_fbc_where(c, "custom_options");
  if (!xai_fbc_scalar_field(c, t, OP_CUSTOM_OPTIONS_FORMAT, 1)) return false;
  if (!xai_fbc_vector_field(c, t, OP_MUTATING_VARIABLE_INPUTS, 1, 1, &v))
    return xai_fbc_where(c, "mutating_variable_inputs");
  uint32_t po, ps;
  if (!xai_fbc_field(c, t, OP_LARGE_CUSTOM_OPTIONS_OFFSET, 8, &po) ||
      !xai_fbc_field(c, t, OP_LARGE_CUSTOM_OPTIONS_SIZE, 8, &ps))
    return false;
  uint64_t offset = po ? xai_fb_u64(c->d + po) : 0;
  uint64_t size = ps ? xai_fb_u64(c->d + ps) : 0;
  if (offset > 1) {
    if (!check_external(c, offset, size, "large custom options")) return false;
    if (size > UINT32_MAX)
      return xai_fbc_fail(
          c, "large custom options of %" PRIu64 " bytes exceed 4 GB", size);
  }
  if (!xai_fbc_field(c, t, OP_BUILTIN_OPTIONS_2_TYPE, 1, &p)) return false;
  /* BuiltinOptions2 is not decoded: its table is checked structurally. */
  if (!xai_fbc_table_field(c, t, OP_BUILTIN_OPTIONS_2, &opts))
    return xai_fbc_where(c, "builtin_options_2");
  return true;
}

static bool check_quantization(xai_fbc *c, const xai_fbc_table *q,
                               const xai_fbc_vec *shape, uint8_t type) {
  uint32_t rank = shape->count;
  xai_fbc_vec mn, mx, scale, zp;
  if (!xai_fbc_vector_field(c, q, QUANT_MIN, 4, 4, &mn))
    return xai_fbc_where(c, "min");
  if (!xai_fbc_vector_field(c, q, QUANT_MAX, 4, 4, &mx))
    return xai_fbc_where(c, "max");
  if (!xai_fbc_vector_field(c, q, QUANT_SCALE, 4, 4, &scale))
    return xai_fbc_where(c, "scale");
  /* int64 zero points are read bytewise, so no alignment is needed. */
  if (!xai_fbc_vector_field(c, q, QUANT_ZERO_POINT, 8, 1, &zp))
    return xai_fbc_where(c, "zero_point");
  uint32_t p;
  if (!xai_fbc_field(c, q, QUANT_DETAILS_TYPE, 1, &p)) return false;
  uint8_t details = p ? c->d[p] : 0;
  xai_fbc_table dt;
  if (!xai_fbc_table_field(c, q, QUANT_DETAILS, &dt))
    return xai_fbc_where(c, "details");
  /* Only CustomQuantization is decoded; Blockwise (2) and MultiAxis (3)
   * quantization tables are only checked as tables. */
  if (details > QUANT_DETAILS_LAST)
    return xai_fbc_fail(c,
                        "quantization details type %u is not in the schema "
                        "(1..%d)",
                        details, QUANT_DETAILS_LAST);
  if (details == QUANT_DETAILS_CUSTOM && dt.pos &&
      !xai_fbc_vector_field(c, &dt, CUSTOM_QUANT_CUSTOM, 1, 1, &mn))
    return xai_fbc_where(c, "details.custom");
  if (!xai_fbc_field(c, q, QUANT_QUANTIZED_DIMENSION, 4, &p)) return false;
  int32_t qdim = p ? xai_fb_i32(c->d + p) : 0;
  if (zp.count && scale.count != zp.count)
    return xai_fbc_fail(c, "quantization has %u scales but %u zero points",
                        scale.count, zp.count);
  if (scale.count <= 1) return true;
  /* TFLM's compression tool leaves the weights' per-channel quantization
   * on the uint8 index stream that replaces them (a TFLM_DECODE input);
   * no op reads scales of a uint8 vector. */
  if (type == 3 /* UINT8 */ && rank == 1) return true;
  /* Converters copy a conv's quantized_dimension (3) onto its rank-1 bias;
   * TFLM accepts that (person_detect has it), so such a vector counts as
   * quantized along its only dimension (the accessor reports 0). */
  if (rank == 1 && qdim > 0) qdim = 0;
  if (qdim < 0 || (uint32_t)qdim >= rank)
    return xai_fbc_fail(
        c,
        "per-channel quantization (%u scales) along dimension %d "
        "but the tensor has rank %u",
        scale.count, (int)qdim, rank);
  int32_t channels = xai_fb_i32(c->d + shape->pos + 4 + 4 * (uint32_t)qdim);
  if (channels != (int32_t)scale.count)
    return xai_fbc_fail(
        c,
        "per-channel quantization has %u scales but dimension %d "
        "of the shape is %d",
        scale.count, (int)qdim, (int)channels);
  return true;
}

/* Formats a shape as "[1,224,224,3]" for messages. */
static void shape_text(const uint8_t *d, const xai_fbc_vec *shape, char *out,
                       size_t size) {
  size_t len = 0;
  len += (size_t)snprintf(out, size, "[");
  for (uint32_t i = 0; i < shape->count && len < size; i++) {
    if (i == 8) {
      snprintf(out + len, size - len, ",...");
      len = strlen(out);
      break;
    }
    len += (size_t)snprintf(out + len, size - len, "%s%d", i ? "," : "",
                            (int)xai_fb_i32(d + shape->pos + 4 + 4 * i));
  }
  if (len < size) snprintf(out + len, size - len, "]");
}

/* A constant tensor's buffer must hold shape x element size bytes, so
 * kernels can read it without checks. Empty buffers mean "no data". */
static bool check_tensor_data(xai_fbc *c, const xai_fbc_table *t,
                              const xai_fbc_vec *shape, uint32_t buffer,
                              uint32_t buffers_pos) {
  uint32_t bt = xai_fb_vec_table(c->d, buffers_pos, buffer);
  uint64_t pos;
  uint64_t have = xai_tfl_buffer_bytes(c->d, bt, &pos);
  if (have == 0) return true;
  uint8_t type = xai_fb_get_u8(c->d, t->pos, TENSOR_TYPE, 0);
  size_t elem = xai_tensor_type_size(type);
  bool int4 = type == XAI_TYPE_INT4;
  if (elem == 0 && !int4) return true;
  if (!xai_fbc_spend(c, shape->count)) return false;
  uint64_t count = 1;
  for (uint32_t i = 0; i < shape->count; i++) {
    int32_t dim = xai_fb_i32(c->d + shape->pos + 4 + 4 * i);
    if (dim < 0) return true; /* dynamic: nothing to compare */
    /* Saturate past the file size: the buffer cannot be that large. */
    if (dim != 0 && count > c->size / (uint64_t)dim)
      count = c->size + 1;
    else
      count *= (uint64_t)dim;
  }
  uint64_t need = int4 ? (count + 1) / 2 : count * elem;
  if (have >= need) return true;
  char dims[96];
  shape_text(c->d, shape, dims, sizeof dims);
  uint32_t name = xai_fb_get_ref(c->d, t->pos, TENSOR_NAME);
  return xai_fbc_fail(c,
                      "buffer %u holds %" PRIu64
                      " bytes but tensor '%s' (%s %s) "
                      "needs %" PRIu64,
                      buffer, have, name ? (const char *)c->d + name + 4 : "",
                      xai_tensor_type_name(type), dims, need);
}

static bool check_tensor(xai_fbc *c, const xai_fbc_table *t, uint32_t buffers,
                         uint32_t buffers_pos) {
  xai_fbc_vec shape, sig;
  if (!xai_fbc_vector_field(c, t, TENSOR_SHAPE, 4, 4, &shape))
    return xai_fbc_where(c, "shape");
  uint32_t p;
  if (!xai_fbc_scalar_field(c, t, TENSOR_TYPE, 1) ||
      !xai_fbc_field(c, t, TENSOR_BUFFER, 4, &p))
    return false;
  uint32_t buffer = p ? xai_fb_u32(c->d + p) : 0;
  if (buffer >= buffers)
    return xai_fbc_fail(c, "buffer %u but the model has %u buffers", buffer,
                        buffers);
  if (!xai_fbc_string_field(c, t, TENSOR_NAME)) return xai_fbc_where(c, "name");
  xai_fbc_table q, sparsity;
  if (!xai_fbc_table_field(c, t, TENSOR_QUANTIZATION, &q))
    return xai_fbc_where(c, "quantization");
  if (q.pos && !check_quantization(c, &q, &shape,
                                   xai_fb_get_u8(c->d, t->pos, TENSOR_TYPE, 0)))
    return xai_fbc_where(c, "quantization");
  if (!xai_fbc_scalar_field(c, t, TENSOR_IS_VARIABLE, 1)) return false;
  /* Sparse tensors are only reported as present, so the table is checked
   * structurally. */
  if (!xai_fbc_table_field(c, t, TENSOR_SPARSITY, &sparsity))
    return xai_fbc_where(c, "sparsity");
  if (!xai_fbc_vector_field(c, t, TENSOR_SHAPE_SIGNATURE, 4, 4, &sig))
    return xai_fbc_where(c, "shape_signature");
  if (!xai_fbc_scalar_field(c, t, TENSOR_HAS_RANK, 1)) return false;
  if (buffer) return check_tensor_data(c, t, &shape, buffer, buffers_pos);
  return true;
}

typedef struct {
  uint32_t opcodes, buffers, buffers_pos, subgraphs;
  uint64_t tensors_total, operators_total;
} model_counts;

static bool check_subgraph(xai_fbc *c, const xai_fbc_table *t, uint32_t sg,
                           model_counts *m) {
  xai_fbc_vec tensors, inputs, outputs, ops;
  if (!xai_fbc_vector_field(c, t, SUBGRAPH_TENSORS, 4, 4, &tensors))
    return xai_fbc_where(c, "subgraph %u tensors", sg);
  m->tensors_total += tensors.count;
  if (m->tensors_total > MAX_ELEMENTS)
    return xai_fbc_fail(c, "subgraph %u: the model has more than %u tensors",
                        sg, MAX_ELEMENTS);
  if (!xai_fbc_spend(c, tensors.count)) return false;
  for (uint32_t i = 0; i < tensors.count; i++) {
    xai_fbc_table tt;
    if (!xai_fbc_vector_table(c, &tensors, i, &tt) ||
        !check_tensor(c, &tt, m->buffers, m->buffers_pos))
      return xai_fbc_where(c, "subgraph %u tensor %u", sg, i);
  }
  if (!xai_fbc_vector_field(c, t, SUBGRAPH_INPUTS, 4, 4, &inputs))
    return xai_fbc_where(c, "subgraph %u inputs", sg);
  if (!check_indices(c, &inputs, tensors.count, false, "input"))
    return xai_fbc_where(c, "subgraph %u", sg);
  if (!xai_fbc_vector_field(c, t, SUBGRAPH_OUTPUTS, 4, 4, &outputs))
    return xai_fbc_where(c, "subgraph %u outputs", sg);
  if (!check_indices(c, &outputs, tensors.count, false, "output"))
    return xai_fbc_where(c, "subgraph %u", sg);
  if (!xai_fbc_vector_field(c, t, SUBGRAPH_OPERATORS, 4, 4, &ops))
    return xai_fbc_where(c, "subgraph %u operators", sg);
  m->operators_total += ops.count;
  if (m->operators_total > MAX_ELEMENTS)
    return xai_fbc_fail(c, "subgraph %u: the model has more than %u operators",
                        sg, MAX_ELEMENTS);
  if (!xai_fbc_spend(c, ops.count)) return false;
  for (uint32_t i = 0; i < ops.count; i++) {
    xai_fbc_table ot;
    if (!xai_fbc_vector_table(c, &ops, i, &ot) ||
        !check_operator(c, &ot, tensors.count, m->opcodes))
      return xai_fbc_where(c, "subgraph %u operator %u", sg, i);
  }
  if (!xai_fbc_string_field(c, t, SUBGRAPH_NAME))
    return xai_fbc_where(c, "subgraph %u name", sg);
  return true;
}

static uint32_t tensor_count(const uint8_t *d, uint32_t subgraphs_pos,
                             uint32_t sg) {
  uint32_t t = xai_fb_vec_table(d, subgraphs_pos, sg);
  return xai_fb_vec_len(d, xai_fb_get_ref(d, t, SUBGRAPH_TENSORS));
}

static bool check_tensor_maps(xai_fbc *c, const xai_fbc_table *sig, unsigned id,
                              uint32_t tensors) {
  xai_fbc_vec maps;
  const char *what = id == SIGNATURE_INPUTS ? "input" : "output";
  if (!xai_fbc_vector_field(c, sig, id, 4, 4, &maps))
    return xai_fbc_where(c, "%ss", what);
  if (!xai_fbc_spend(c, maps.count)) return false;
  for (uint32_t i = 0; i < maps.count; i++) {
    xai_fbc_table m;
    uint32_t p;
    if (!xai_fbc_vector_table(c, &maps, i, &m) ||
        !xai_fbc_string_field(c, &m, TENSORMAP_NAME) ||
        !xai_fbc_field(c, &m, TENSORMAP_TENSOR_INDEX, 4, &p))
      return xai_fbc_where(c, "%s %u", what, i);
    uint32_t index = p ? xai_fb_u32(c->d + p) : 0;
    if (index >= tensors)
      return xai_fbc_fail(c,
                          "%s %u is tensor %u but the subgraph has %u tensors",
                          what, i, index, tensors);
  }
  return true;
}

static bool check_signature(xai_fbc *c, const xai_fbc_table *t,
                            uint32_t subgraphs, uint32_t subgraphs_pos) {
  uint32_t p;
  if (!xai_fbc_string_field(c, t, SIGNATURE_KEY))
    return xai_fbc_where(c, "signature_key");
  if (!xai_fbc_field(c, t, SIGNATURE_SUBGRAPH_INDEX, 4, &p)) return false;
  uint32_t sg = p ? xai_fb_u32(c->d + p) : 0;
  if (sg >= subgraphs)
    return xai_fbc_fail(c, "subgraph_index %u but the model has %u subgraphs",
                        sg, subgraphs);
  uint32_t tensors = tensor_count(c->d, subgraphs_pos, sg);
  return check_tensor_maps(c, t, SIGNATURE_INPUTS, tensors) &&
         check_tensor_maps(c, t, SIGNATURE_OUTPUTS, tensors);
}

static bool check_model(xai_fbc *c, uint32_t root) {
  xai_fbc_table model;
  if (!xai_fbc_check_table(c, root, &model)) return xai_fbc_where(c, "model");
  if (!xai_fbc_scalar_field(c, &model, MODEL_VERSION, 4))
    return xai_fbc_where(c, "model");
  if (!xai_fbc_string_field(c, &model, MODEL_DESCRIPTION))
    return xai_fbc_where(c, "model description");

  model_counts m = {0};
  xai_fbc_vec v;
  if (!xai_fbc_vector_field(c, &model, MODEL_OPERATOR_CODES, 4, 4, &v))
    return xai_fbc_where(c, "operator_codes");
  m.opcodes = v.count;
  if (!xai_fbc_spend(c, v.count)) return false;
  for (uint32_t i = 0; i < v.count; i++) {
    xai_fbc_table t;
    if (!xai_fbc_vector_table(c, &v, i, &t) || !check_opcode(c, &t))
      return xai_fbc_where(c, "operator code %u", i);
  }

  if (!xai_fbc_vector_field(c, &model, MODEL_BUFFERS, 4, 4, &v))
    return xai_fbc_where(c, "buffers");
  if (v.count > MAX_ELEMENTS)
    return xai_fbc_fail(c, "the model has %u buffers; at most %u are supported",
                        v.count, MAX_ELEMENTS);
  m.buffers = v.count;
  m.buffers_pos = v.pos;
  if (!xai_fbc_spend(c, v.count)) return false;
  for (uint32_t i = 0; i < v.count; i++) {
    xai_fbc_table t;
    if (!xai_fbc_vector_table(c, &v, i, &t) || !check_buffer(c, &t))
      return xai_fbc_where(c, "buffer %u", i);
  }

  xai_fbc_vec sgs;
  if (!xai_fbc_vector_field(c, &model, MODEL_SUBGRAPHS, 4, 4, &sgs))
    return xai_fbc_where(c, "subgraphs");
  if (sgs.count > MAX_ELEMENTS)
    return xai_fbc_fail(c,
                        "the model has %u subgraphs; at most %u are supported",
                        sgs.count, MAX_ELEMENTS);
  m.subgraphs = sgs.count;
  if (!xai_fbc_spend(c, sgs.count)) return false;
  for (uint32_t i = 0; i < sgs.count; i++) {
    xai_fbc_table t;
    if (!xai_fbc_vector_table(c, &sgs, i, &t))
      return xai_fbc_where(c, "subgraph %u", i);
    if (!check_subgraph(c, &t, i, &m)) return false;
  }

  if (!xai_fbc_vector_field(c, &model, MODEL_METADATA_BUFFER, 4, 4, &v))
    return xai_fbc_where(c, "metadata_buffer");
  if (!xai_fbc_spend(c, v.count)) return false;
  for (uint32_t i = 0; i < v.count; i++) {
    int32_t b = xai_fb_i32(c->d + v.pos + 4 + 4 * i);
    if (b < 0 || (uint32_t)b >= m.buffers)
      return xai_fbc_fail(
          c,
          "metadata_buffer %u is buffer %d but the model has %u "
          "buffers",
          i, (int)b, m.buffers);
  }

  if (!xai_fbc_vector_field(c, &model, MODEL_METADATA, 4, 4, &v))
    return xai_fbc_where(c, "metadata");
  if (!xai_fbc_spend(c, v.count)) return false;
  for (uint32_t i = 0; i < v.count; i++) {
    xai_fbc_table t;
    uint32_t p;
    if (!xai_fbc_vector_table(c, &v, i, &t) ||
        !xai_fbc_string_field(c, &t, METADATA_NAME) ||
        !xai_fbc_field(c, &t, METADATA_BUFFER, 4, &p))
      return xai_fbc_where(c, "metadata %u", i);
    uint32_t b = p ? xai_fb_u32(c->d + p) : 0;
    if (b >= m.buffers)
      return xai_fbc_fail(c,
                          "metadata %u: buffer %u but the model has %u buffers",
                          i, b, m.buffers);
  }

  if (!xai_fbc_vector_field(c, &model, MODEL_SIGNATURE_DEFS, 4, 4, &v))
    return xai_fbc_where(c, "signature_defs");
  if (!xai_fbc_spend(c, v.count)) return false;
  for (uint32_t i = 0; i < v.count; i++) {
    xai_fbc_table t;
    if (!xai_fbc_vector_table(c, &v, i, &t) ||
        !check_signature(c, &t, m.subgraphs, sgs.pos))
      return xai_fbc_where(c, "signature %u", i);
  }
  return true;
}

/* Prints the 4 identifier bytes, escaping what is not printable. */
static void identifier_text(const uint8_t *id, char out[17]) {
  size_t len = 0;
  for (int i = 0; i < 4; i++) {
    if (id[i] >= 0x20 && id[i] < 0x7f && id[i] != '\'' && id[i] != '\\')
      out[len++] = (char)id[i];
    else
      len += (size_t)snprintf(out + len, 17 - len, "\\x%02x", id[i]);
  }
  out[len] = '\0';
}

xai_status xai_tfl_open(xai_tfl_view *view, const uint8_t *data, size_t size,
                        xai_error *err) {
  memset(view, 0, sizeof *view);
  if (!data)
    return xai_fail(err, XAI_ERR_ARGUMENT, "no model data (NULL buffer)");
  /* int32/float spans point straight into the buffer. */
  if ((uintptr_t)data % 4 != 0)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "model buffer at %p is not 4-byte aligned; load it with "
                    "xai_file_read or copy it to aligned memory",
                    (const void *)data);
  if (size < 8)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "truncated: file is %zu bytes, a model needs at least 8",
                    size);
  if (memcmp(data + 4, "TFL3", 4) != 0) {
    char id[17];
    identifier_text(data + 4, id);
    return xai_fail(err, XAI_ERR_FORMAT,
                    "not a TFLite model: file identifier is '%s', expected "
                    "'TFL3'",
                    id);
  }
  xai_fbc c = {0};
  c.d = data;
  c.size = size;
  c.end = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
  c.budget = (uint64_t)size + (1u << 20);
  uint32_t root = 0;
  if (!xai_fbc_follow(&c, 0, &root)) xai_fbc_where(&c, "root offset");
  if (!root || !check_model(&c, root))
    return xai_fail(err, XAI_ERR_FORMAT, "%s", c.msg);
  view->data = data;
  view->size = size;
  view->root = root;
  return XAI_OK;
}
