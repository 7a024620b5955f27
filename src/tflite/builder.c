/* Writes an xai_model as a TFLite flatbuffer (schema field ids below are the
 * schema's table field order). Children are written before parents; buffers
 * go first so that the weights end up at the end of the file, as the
 * TFLite converter lays them out. */
#include <stdlib.h>
#include <string.h>

#include "flatbuffer_builder.h"
#include "options_internal.h"
#include "xai/tflite.h"

/* Field ids (position in the schema table, deprecated fields counted). */
enum { MODEL_VERSION, MODEL_OPCODES, MODEL_SUBGRAPHS, MODEL_DESCRIPTION,
       MODEL_BUFFERS, MODEL_METADATA_BUFFER, MODEL_METADATA,
       MODEL_SIGNATURES };
enum { OPCODE_DEPRECATED_CODE, OPCODE_CUSTOM_CODE, OPCODE_VERSION,
       OPCODE_BUILTIN_CODE };
enum { SG_TENSORS, SG_INPUTS, SG_OUTPUTS, SG_OPERATORS, SG_NAME };
enum { T_SHAPE, T_TYPE, T_BUFFER, T_NAME, T_QUANT, T_IS_VARIABLE,
       T_SPARSITY, T_SHAPE_SIGNATURE, T_HAS_RANK };
enum { Q_MIN, Q_MAX, Q_SCALE, Q_ZERO_POINT, Q_DETAILS_TYPE, Q_DETAILS,
       Q_QUANTIZED_DIMENSION };
enum { OP_OPCODE_INDEX, OP_INPUTS, OP_OUTPUTS, OP_OPTIONS_TYPE, OP_OPTIONS,
       OP_CUSTOM_OPTIONS, OP_CUSTOM_OPTIONS_FORMAT, OP_MUTATING_INPUTS,
       OP_INTERMEDIATES };
enum { BUF_DATA };
enum { META_NAME, META_BUFFER };
enum { TMAP_NAME, TMAP_TENSOR_INDEX };
enum { SIG_INPUTS, SIG_OUTPUTS, SIG_KEY, SIG_DEPRECATED_TAG, SIG_SUBGRAPH };

#define DETAILS_CUSTOM_QUANTIZATION 1 /* QuantizationDetails union */
#define OPCODE_PLACEHOLDER_FOR_GREATER 127

static xai_fbb_ref i32_vec(xai_fbb *b, const int32_t *v, uint32_t n) {
  return xai_fbb_vector(b, v, n, 4, 4);
}

static xai_fbb_ref write_buffer(xai_fbb *b, const xai_buffer *buf) {
  xai_fbb_ref data = 0;
  if (buf->data && buf->size) {
    /* Buffer.data has force_align 16 (mmap-friendly weights). */
    data = xai_fbb_vector(b, buf->data, (uint32_t)buf->size, 1, 16);
  }
  xai_fbb_start_table(b);
  if (data) xai_fbb_add_ref(b, BUF_DATA, data);
  return xai_fbb_end_table(b);
}

static xai_fbb_ref write_quant(xai_fbb *b, const xai_quant *q) {
  xai_fbb_ref min = 0, max = 0, scale = 0, zp = 0, details = 0;
  if (q->min_count) min = xai_fbb_vector(b, q->min, q->min_count, 4, 4);
  if (q->max_count) max = xai_fbb_vector(b, q->max, q->max_count, 4, 4);
  if (q->scale_count)
    scale = xai_fbb_vector(b, q->scale, q->scale_count, 4, 4);
  if (q->zero_point_count) {
    zp = xai_fbb_vector(b, q->zero_point, q->zero_point_count, 8, 8);
  }
  if (q->custom) {
    /* CustomQuantization.custom has force_align 16. */
    xai_fbb_ref custom = xai_fbb_vector(b, q->custom, q->custom_size, 1, 16);
    xai_fbb_start_table(b);
    xai_fbb_add_ref(b, 0, custom);
    details = xai_fbb_end_table(b);
  }
  xai_fbb_start_table(b);
  if (min) xai_fbb_add_ref(b, Q_MIN, min);
  if (max) xai_fbb_add_ref(b, Q_MAX, max);
  if (scale) xai_fbb_add_ref(b, Q_SCALE, scale);
  if (zp) xai_fbb_add_ref(b, Q_ZERO_POINT, zp);
  if (details) xai_fbb_add_ref(b, Q_DETAILS, details);
  if (q->quantized_dimension) {
    xai_fbb_add_u32(b, Q_QUANTIZED_DIMENSION,
                    (uint32_t)q->quantized_dimension);
  }
  if (details) xai_fbb_add_u8(b, Q_DETAILS_TYPE, DETAILS_CUSTOM_QUANTIZATION);
  return xai_fbb_end_table(b);
}

static xai_fbb_ref write_tensor(xai_fbb *b, const xai_tensor *t) {
  xai_fbb_ref quant = t->quant.present ? write_quant(b, &t->quant) : 0;
  xai_fbb_ref shape = i32_vec(b, t->shape, t->rank);
  xai_fbb_ref name = t->name ? xai_fbb_string(b, t->name) : 0;
  xai_fbb_ref sig = 0;
  if (t->shape_signature) {
    sig = i32_vec(b, t->shape_signature, t->shape_signature_count);
  }
  xai_fbb_start_table(b);
  xai_fbb_add_ref(b, T_SHAPE, shape);
  if (t->buffer) xai_fbb_add_u32(b, T_BUFFER, t->buffer);
  if (name) xai_fbb_add_ref(b, T_NAME, name);
  if (quant) xai_fbb_add_ref(b, T_QUANT, quant);
  if (sig) xai_fbb_add_ref(b, T_SHAPE_SIGNATURE, sig);
  if (t->type) xai_fbb_add_u8(b, T_TYPE, (uint8_t)t->type);
  if (t->is_variable) xai_fbb_add_u8(b, T_IS_VARIABLE, 1);
  if (t->has_rank) xai_fbb_add_u8(b, T_HAS_RANK, 1);
  return xai_fbb_end_table(b);
}

/* Encodes options through the shared schema descriptor: only fields that
 * differ from the schema default are stored (flatbuffers' convention), in
 * field-id order. A table without fields is still written when the union
 * type is set, since some readers insist on a non-null table. */
static xai_status write_options(xai_fbb *b, const xai_options *o,
                                xai_fbb_ref *out, uint32_t sg, uint32_t op,
                                xai_error *err) {
  const xai_options_desc *d = xai_options_descriptor(o->type);
  if (!d) {
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "subgraph %u operator %u: builtin options type %u has no "
                    "schema descriptor, so it cannot be written",
                    sg, op, o->type);
  }
  const uint8_t *base = (const uint8_t *)&o->u;
  xai_fbb_ref lists[XAI_FBB_MAX_FIELDS] = {0};
  if (d->field_count > XAI_FBB_MAX_FIELDS) {
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "options table %s has %u fields, more than the builder's "
                    "%d", d->name, d->field_count, XAI_FBB_MAX_FIELDS);
  }
  for (uint32_t i = 0; i < d->field_count; i++) {
    const xai_option_field *f = &d->fields[i];
    if (f->name && f->kind == XAI_FIELD_STRING) {
      /* NULL (absent) stays absent. */
      const char *str;
      memcpy(&str, base + f->offset, sizeof str);
      if (str) lists[i] = xai_fbb_string(b, str);
      continue;
    }
    if (!f->name || f->kind != XAI_FIELD_INT_LIST) continue;
    xai_int_list list;
    memcpy(&list, base + f->offset, sizeof list);
    if (list.count < 0) continue; /* absent, distinct from empty */
    if (list.count > XAI_MAX_OPTION_INTS) {
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "subgraph %u operator %u: %s.%s has %d values, more "
                      "than %d",
                      sg, op, d->name, f->name, (int)list.count,
                      XAI_MAX_OPTION_INTS);
    }
    lists[i] = i32_vec(b, list.values, (uint32_t)list.count);
  }
  xai_fbb_start_table(b);
  {
    for (uint32_t i = 0; i < d->field_count; i++) {
      const xai_option_field *f = &d->fields[i];
      if (!f->name) continue; /* deprecated slot */
      const uint8_t *p = base + f->offset;
      switch (f->kind) {
        case XAI_FIELD_BOOL:
        case XAI_FIELD_I8: {
          uint8_t v = *p;
          if (f->kind == XAI_FIELD_BOOL) v = v ? 1 : 0;
          if ((int32_t)(f->kind == XAI_FIELD_BOOL ? v : (int8_t)v) !=
              f->default_int) {
            xai_fbb_add_u8(b, i, v);
          }
          break;
        }
        case XAI_FIELD_I32:
        case XAI_FIELD_U32: {
          uint32_t v;
          memcpy(&v, p, 4);
          if (v != (uint32_t)f->default_int) xai_fbb_add_u32(b, i, v);
          break;
        }
        case XAI_FIELD_F32: {
          uint32_t v, def;
          memcpy(&v, p, 4);
          memcpy(&def, &f->default_float, 4);
          /* compare bits so -0.0 and NaN payloads survive a round trip */
          if (v != def) xai_fbb_add_u32(b, i, v);
          break;
        }
        case XAI_FIELD_INT_LIST:
        case XAI_FIELD_STRING:
          if (lists[i]) xai_fbb_add_ref(b, i, lists[i]);
          break;
        default:
          xai_fbb_end_table(b);
          return xai_fail(err, XAI_ERR_UNSUPPORTED,
                          "%s.%s: unknown field kind %u", d->name, f->name,
                          f->kind);
      }
    }
  }
  *out = xai_fbb_end_table(b);
  return XAI_OK;
}

static xai_status write_operator(xai_fbb *b, const xai_operator *o,
                                 uint32_t sg, uint32_t index,
                                 xai_fbb_ref *out, xai_error *err) {
  xai_fbb_ref opts = 0;
  if (o->options.type) {
    xai_status st = write_options(b, &o->options, &opts, sg, index, err);
    if (st != XAI_OK) return st;
  }
  xai_fbb_ref inputs = i32_vec(b, o->inputs, o->input_count);
  xai_fbb_ref outputs = i32_vec(b, o->outputs, o->output_count);
  xai_fbb_ref custom = 0, mutating = 0, inter = 0;
  if (o->custom_options) {
    custom = xai_fbb_vector(b, o->custom_options, o->custom_options_size, 1,
                            1);
  }
  if (o->mutating_variable_inputs) {
    uint8_t *flags = malloc(o->mutating_variable_input_count + 1u);
    if (!flags) {
      return xai_fail(err, XAI_ERR_NO_MEMORY,
                      "subgraph %u operator %u: no memory", sg, index);
    }
    for (uint32_t i = 0; i < o->mutating_variable_input_count; i++) {
      flags[i] = o->mutating_variable_inputs[i] ? 1 : 0;
    }
    mutating =
        xai_fbb_vector(b, flags, o->mutating_variable_input_count, 1, 1);
    free(flags);
  }
  if (o->intermediates && o->intermediate_count) {
    inter = i32_vec(b, o->intermediates, o->intermediate_count);
  }
  xai_fbb_start_table(b);
  if (o->opcode_index) xai_fbb_add_u32(b, OP_OPCODE_INDEX, o->opcode_index);
  xai_fbb_add_ref(b, OP_INPUTS, inputs);
  xai_fbb_add_ref(b, OP_OUTPUTS, outputs);
  if (opts) xai_fbb_add_ref(b, OP_OPTIONS, opts);
  if (custom) xai_fbb_add_ref(b, OP_CUSTOM_OPTIONS, custom);
  if (mutating) xai_fbb_add_ref(b, OP_MUTATING_INPUTS, mutating);
  if (inter) xai_fbb_add_ref(b, OP_INTERMEDIATES, inter);
  if (o->options.type) xai_fbb_add_u8(b, OP_OPTIONS_TYPE, o->options.type);
  if (o->custom_options_format) {
    xai_fbb_add_u8(b, OP_CUSTOM_OPTIONS_FORMAT,
                   (uint8_t)o->custom_options_format);
  }
  *out = xai_fbb_end_table(b);
  return XAI_OK;
}

/* Collects refs in a temporary array; freed by the caller. */
static xai_fbb_ref *ref_array(uint32_t n, xai_error *err, const char *what) {
  xai_fbb_ref *r = malloc(((size_t)n + 1) * sizeof *r);
  if (!r) xai_fail(err, XAI_ERR_NO_MEMORY, "no memory for %u %s", n, what);
  return r;
}

static xai_status write_subgraph(xai_fbb *b, const xai_subgraph *s,
                                 uint32_t sg, xai_fbb_ref *out,
                                 xai_error *err) {
  xai_fbb_ref *t = ref_array(s->tensor_count, err, "tensors");
  if (!t) return XAI_ERR_NO_MEMORY;
  for (uint32_t i = 0; i < s->tensor_count; i++) {
    t[i] = write_tensor(b, &s->tensors[i]);
  }
  xai_fbb_ref tensors = xai_fbb_ref_vector(b, t, s->tensor_count);
  free(t);
  xai_fbb_ref *o = ref_array(s->operator_count, err, "operators");
  if (!o) return XAI_ERR_NO_MEMORY;
  for (uint32_t i = 0; i < s->operator_count; i++) {
    xai_status st = write_operator(b, &s->operators[i], sg, i, &o[i], err);
    if (st != XAI_OK) {
      free(o);
      return st;
    }
  }
  xai_fbb_ref ops = xai_fbb_ref_vector(b, o, s->operator_count);
  free(o);
  xai_fbb_ref inputs = i32_vec(b, s->inputs, s->input_count);
  xai_fbb_ref outputs = i32_vec(b, s->outputs, s->output_count);
  xai_fbb_ref name = s->name ? xai_fbb_string(b, s->name) : 0;
  xai_fbb_start_table(b);
  xai_fbb_add_ref(b, SG_TENSORS, tensors);
  xai_fbb_add_ref(b, SG_INPUTS, inputs);
  xai_fbb_add_ref(b, SG_OUTPUTS, outputs);
  xai_fbb_add_ref(b, SG_OPERATORS, ops);
  if (name) xai_fbb_add_ref(b, SG_NAME, name);
  *out = xai_fbb_end_table(b);
  return XAI_OK;
}

static xai_fbb_ref write_opcode(xai_fbb *b, const xai_opcode *c) {
  xai_fbb_ref custom = c->custom_code ? xai_fbb_string(b, c->custom_code) : 0;
  /* Old readers only know the byte field; codes above 127 put the
   * placeholder there and the real code in builtin_code. */
  int32_t dep = c->builtin_code < OPCODE_PLACEHOLDER_FOR_GREATER
                    ? c->builtin_code
                    : OPCODE_PLACEHOLDER_FOR_GREATER;
  xai_fbb_start_table(b);
  if (custom) xai_fbb_add_ref(b, OPCODE_CUSTOM_CODE, custom);
  if (c->version != 1) xai_fbb_add_u32(b, OPCODE_VERSION, (uint32_t)c->version);
  if (c->builtin_code) {
    xai_fbb_add_u32(b, OPCODE_BUILTIN_CODE, (uint32_t)c->builtin_code);
  }
  if (dep) xai_fbb_add_u8(b, OPCODE_DEPRECATED_CODE, (uint8_t)(int8_t)dep);
  return xai_fbb_end_table(b);
}

static xai_fbb_ref write_tensor_maps(xai_fbb *b, const xai_tensor_map *maps,
                                     uint32_t n, xai_status *st,
                                     xai_error *err) {
  xai_fbb_ref *r = ref_array(n, err, "signature tensors");
  if (!r) {
    *st = XAI_ERR_NO_MEMORY;
    return 0;
  }
  for (uint32_t i = 0; i < n; i++) {
    xai_fbb_ref name = maps[i].name ? xai_fbb_string(b, maps[i].name) : 0;
    xai_fbb_start_table(b);
    if (name) xai_fbb_add_ref(b, TMAP_NAME, name);
    if (maps[i].tensor_index) {
      xai_fbb_add_u32(b, TMAP_TENSOR_INDEX, maps[i].tensor_index);
    }
    r[i] = xai_fbb_end_table(b);
  }
  xai_fbb_ref v = xai_fbb_ref_vector(b, r, n);
  free(r);
  return v;
}

static xai_fbb_ref write_signature(xai_fbb *b, const xai_signature *s,
                                   xai_status *st, xai_error *err) {
  xai_fbb_ref in = write_tensor_maps(b, s->inputs, s->input_count, st, err);
  xai_fbb_ref out =
      write_tensor_maps(b, s->outputs, s->output_count, st, err);
  xai_fbb_ref key = s->signature_key ? xai_fbb_string(b, s->signature_key) : 0;
  xai_fbb_start_table(b);
  xai_fbb_add_ref(b, SIG_INPUTS, in);
  xai_fbb_add_ref(b, SIG_OUTPUTS, out);
  if (key) xai_fbb_add_ref(b, SIG_KEY, key);
  if (s->subgraph_index) xai_fbb_add_u32(b, SIG_SUBGRAPH, s->subgraph_index);
  return xai_fbb_end_table(b);
}

/* Index checks that the reader would otherwise reject after the fact; an
 * edit that left a dangling index is reported where it is. */
static xai_status check_indices(const xai_model *m, xai_error *err) {
  for (uint32_t s = 0; s < m->subgraph_count; s++) {
    const xai_subgraph *sg = &m->subgraphs[s];
    for (uint32_t t = 0; t < sg->tensor_count; t++) {
      if (sg->tensors[t].buffer >= m->buffer_count) {
        return xai_fail(err, XAI_ERR_ARGUMENT,
                        "subgraph %u tensor %u: buffer %u but the model has "
                        "%u buffers",
                        s, t, sg->tensors[t].buffer, m->buffer_count);
      }
    }
    for (int l = 0; l < 2; l++) {
      const int32_t *list = l ? sg->outputs : sg->inputs;
      uint32_t n = l ? sg->output_count : sg->input_count;
      for (uint32_t i = 0; i < n; i++) {
        if (list[i] < 0 || list[i] >= (int32_t)sg->tensor_count) {
          return xai_fail(err, XAI_ERR_ARGUMENT,
                          "subgraph %u: %s %u is tensor %d but the subgraph "
                          "has %u tensors",
                          s, l ? "output" : "input", i, (int)list[i],
                          sg->tensor_count);
        }
      }
    }
    for (uint32_t o = 0; o < sg->operator_count; o++) {
      const xai_operator *op = &sg->operators[o];
      if (op->opcode_index >= m->opcode_count) {
        return xai_fail(err, XAI_ERR_ARGUMENT,
                        "subgraph %u operator %u: opcode index %u but the "
                        "model has %u opcodes",
                        s, o, op->opcode_index, m->opcode_count);
      }
      const int32_t *lists[3] = {op->inputs, op->outputs, op->intermediates};
      uint32_t counts[3] = {op->input_count, op->output_count,
                            op->intermediate_count};
      static const char *const what[3] = {"input", "output", "intermediate"};
      for (int l = 0; l < 3; l++) {
        for (uint32_t i = 0; i < counts[l]; i++) {
          int32_t v = lists[l][i];
          if (v < -1 || v >= (int32_t)sg->tensor_count) {
            return xai_fail(err, XAI_ERR_ARGUMENT,
                            "subgraph %u operator %u: %s %u is tensor %d but "
                            "the subgraph has %u tensors",
                            s, o, what[l], i, v, sg->tensor_count);
          }
        }
      }
    }
  }
  for (uint32_t i = 0; i < m->metadata_count; i++) {
    if (m->metadata[i].buffer >= m->buffer_count) {
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "metadata %u (%s): buffer %u but the model has %u "
                      "buffers",
                      i, m->metadata[i].name ? m->metadata[i].name : "?",
                      m->metadata[i].buffer, m->buffer_count);
    }
  }
  return XAI_OK;
}

xai_status xai_model_write(const xai_model *m, uint8_t **out, size_t *size,
                           xai_error *err) {
  *out = NULL;
  *size = 0;
  xai_status st = check_indices(m, err);
  if (st != XAI_OK) return st;
  /* Size the output once for the weights so they are copied only once. */
  uint64_t hint = 4096;
  for (uint32_t i = 0; i < m->buffer_count; i++) {
    if (m->buffers[i].size > 0x7FFFFFF0u) {
      return xai_fail(err, XAI_ERR_UNSUPPORTED,
                      "buffer %u is %zu bytes; models over 2 GB (external "
                      "buffer data) are not supported",
                      i, m->buffers[i].size);
    }
    hint += m->buffers[i].size + 32;
  }
  if (hint > 0x7FFFFFF0u) {
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "buffer data totals %llu bytes; models over 2 GB "
                    "(external buffer data) are not supported",
                    (unsigned long long)hint);
  }
  hint += hint / 8 + 65536;

  xai_fbb b;
  xai_fbb_init(&b, (size_t)hint);
  xai_fbb_ref *refs = NULL;
  uint32_t most = m->buffer_count;
  if (m->subgraph_count > most) most = m->subgraph_count;
  if (m->opcode_count > most) most = m->opcode_count;
  if (m->metadata_count > most) most = m->metadata_count;
  if (m->signature_count > most) most = m->signature_count;
  refs = ref_array(most, err, "model entries");
  if (!refs) {
    xai_fbb_free(&b);
    return XAI_ERR_NO_MEMORY;
  }

  for (uint32_t i = 0; i < m->buffer_count; i++) {
    refs[i] = write_buffer(&b, &m->buffers[i]);
  }
  xai_fbb_ref buffers = xai_fbb_ref_vector(&b, refs, m->buffer_count);

  for (uint32_t i = 0; i < m->subgraph_count; i++) {
    st = write_subgraph(&b, &m->subgraphs[i], i, &refs[i], err);
    if (st != XAI_OK) {
      free(refs);
      xai_fbb_free(&b);
      return st;
    }
  }
  xai_fbb_ref subgraphs = xai_fbb_ref_vector(&b, refs, m->subgraph_count);

  for (uint32_t i = 0; i < m->opcode_count; i++) {
    refs[i] = write_opcode(&b, &m->opcodes[i]);
  }
  xai_fbb_ref opcodes = xai_fbb_ref_vector(&b, refs, m->opcode_count);

  xai_fbb_ref metadata = 0, signatures = 0, description = 0, meta_buf = 0;
  if (m->metadata_count) {
    for (uint32_t i = 0; i < m->metadata_count; i++) {
      const xai_metadata *md = &m->metadata[i];
      xai_fbb_ref name = md->name ? xai_fbb_string(&b, md->name) : 0;
      xai_fbb_start_table(&b);
      if (name) xai_fbb_add_ref(&b, META_NAME, name);
      if (md->buffer) xai_fbb_add_u32(&b, META_BUFFER, md->buffer);
      refs[i] = xai_fbb_end_table(&b);
    }
    metadata = xai_fbb_ref_vector(&b, refs, m->metadata_count);
  }
  if (m->signature_count) {
    for (uint32_t i = 0; i < m->signature_count; i++) {
      refs[i] = write_signature(&b, &m->signatures[i], &st, err);
    }
    signatures = xai_fbb_ref_vector(&b, refs, m->signature_count);
  }
  free(refs);
  if (m->description) description = xai_fbb_string(&b, m->description);
  if (m->metadata_buffer) {
    meta_buf = i32_vec(&b, m->metadata_buffer, m->metadata_buffer_count);
  }
  if (st != XAI_OK) {
    xai_fbb_free(&b);
    return st;
  }

  xai_fbb_start_table(&b);
  xai_fbb_add_u32(&b, MODEL_VERSION, m->version);
  xai_fbb_add_ref(&b, MODEL_OPCODES, opcodes);
  xai_fbb_add_ref(&b, MODEL_SUBGRAPHS, subgraphs);
  if (description) xai_fbb_add_ref(&b, MODEL_DESCRIPTION, description);
  xai_fbb_add_ref(&b, MODEL_BUFFERS, buffers);
  if (meta_buf) xai_fbb_add_ref(&b, MODEL_METADATA_BUFFER, meta_buf);
  if (metadata) xai_fbb_add_ref(&b, MODEL_METADATA, metadata);
  if (signatures) xai_fbb_add_ref(&b, MODEL_SIGNATURES, signatures);
  xai_fbb_ref root = xai_fbb_end_table(&b);
  st = xai_fbb_finish(&b, root, "TFL3", out, size, err);
  xai_fbb_free(&b);
  return st;
}
