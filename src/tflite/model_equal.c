/* Deep comparison of two model objects, reporting the first difference as
 * one line ("subgraph 0 tensor 5: scale[3] differs"). Floats compare by
 * bits so that a round trip must preserve them exactly. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "options_internal.h"
#include "xai/tflite.h"

typedef struct {
  char *out;
  size_t size;
  char where[96]; /* "subgraph 0 tensor 5" */
} diff_ctx;

static bool differ(diff_ctx *c, const char *fmt, ...) XAI_PRINTF(2, 3);
static bool differ(diff_ctx *c, const char *fmt, ...) {
  if (c->out && c->size) {
    char what[160];
    va_list args;
    va_start(args, fmt);
    vsnprintf(what, sizeof what, fmt, args);
    va_end(args);
    if (c->where[0]) {
      snprintf(c->out, c->size, "%s: %s", c->where, what);
    } else {
      snprintf(c->out, c->size, "%s", what);
    }
  }
  return false;
}

static bool str_eq(diff_ctx *c, const char *what, const char *a,
                   const char *b) {
  if (!a && !b) return true;
  if (!a || !b) {
    return differ(c, "%s present in only one model (%s vs %s)", what,
                  a ? a : "absent", b ? b : "absent");
  }
  if (strcmp(a, b) != 0) return differ(c, "%s \"%s\" vs \"%s\"", what, a, b);
  return true;
}

static bool i32_eq(diff_ctx *c, const char *what, const int32_t *a,
                   uint32_t na, const int32_t *b, uint32_t nb) {
  if (na != nb) return differ(c, "%s count %u vs %u", what, na, nb);
  for (uint32_t i = 0; i < na; i++) {
    if (a[i] != b[i]) {
      return differ(c, "%s[%u] differs (%d vs %d)", what, i, (int)a[i],
                    (int)b[i]);
    }
  }
  return true;
}

static bool f32_eq(diff_ctx *c, const char *what, const float *a, uint32_t na,
                   const float *b, uint32_t nb) {
  if (na != nb) return differ(c, "%s count %u vs %u", what, na, nb);
  for (uint32_t i = 0; i < na; i++) {
    if (memcmp(&a[i], &b[i], sizeof *a) != 0) {
      return differ(c, "%s[%u] differs (%g vs %g)", what, i, (double)a[i],
                    (double)b[i]);
    }
  }
  return true;
}

static bool bytes_eq(diff_ctx *c, const char *what, const uint8_t *a,
                     size_t na, const uint8_t *b, size_t nb) {
  if (na != nb) return differ(c, "%s size %zu vs %zu", what, na, nb);
  if (na && memcmp(a, b, na) != 0) {
    size_t i = 0;
    while (a[i] == b[i]) i++;
    return differ(c, "%s byte %zu differs (%u vs %u)", what, i, a[i], b[i]);
  }
  return true;
}

static bool quant_eq(diff_ctx *c, const xai_quant *a, const xai_quant *b) {
  if (a->present != b->present) {
    return differ(c, "quantization present in only one model");
  }
  if (!a->present) return true;
  if (!f32_eq(c, "min", a->min, a->min_count, b->min, b->min_count) ||
      !f32_eq(c, "max", a->max, a->max_count, b->max, b->max_count) ||
      !f32_eq(c, "scale", a->scale, a->scale_count, b->scale,
              b->scale_count)) {
    return false;
  }
  if (a->zero_point_count != b->zero_point_count) {
    return differ(c, "zero_point count %u vs %u", a->zero_point_count,
                  b->zero_point_count);
  }
  for (uint32_t i = 0; i < a->zero_point_count; i++) {
    if (a->zero_point[i] != b->zero_point[i]) {
      return differ(c, "zero_point[%u] differs (%lld vs %lld)", i,
                    (long long)a->zero_point[i], (long long)b->zero_point[i]);
    }
  }
  if (a->quantized_dimension != b->quantized_dimension) {
    return differ(c, "quantized_dimension %d vs %d",
                  (int)a->quantized_dimension, (int)b->quantized_dimension);
  }
  if (!a->custom != !b->custom) {
    return differ(c, "custom quantization present in only one model");
  }
  return bytes_eq(c, "custom quantization", a->custom, a->custom_size,
                  b->custom, b->custom_size);
}

static bool tensor_eq(diff_ctx *c, const xai_tensor *a, const xai_tensor *b) {
  if (!str_eq(c, "name", a->name, b->name)) return false;
  if (a->type != b->type) {
    return differ(c, "type %s vs %s", xai_tensor_type_name(a->type),
                  xai_tensor_type_name(b->type));
  }
  if (!i32_eq(c, "shape", a->shape, a->rank, b->shape, b->rank)) return false;
  if (!a->shape_signature != !b->shape_signature) {
    return differ(c, "shape_signature present in only one model");
  }
  if (a->shape_signature &&
      !i32_eq(c, "shape_signature", a->shape_signature,
              a->shape_signature_count, b->shape_signature,
              b->shape_signature_count)) {
    return false;
  }
  if (a->buffer != b->buffer) {
    return differ(c, "buffer %u vs %u", a->buffer, b->buffer);
  }
  if (a->is_variable != b->is_variable) return differ(c, "is_variable differs");
  if (a->has_rank != b->has_rank) return differ(c, "has_rank differs");
  return quant_eq(c, &a->quant, &b->quant);
}

static bool options_eq(diff_ctx *c, const xai_options *a,
                       const xai_options *b) {
  if (a->type != b->type) {
    return differ(c, "options type %u vs %u", a->type, b->type);
  }
  const xai_options_desc *d = xai_options_descriptor(a->type);
  if (!d) {
    /* Unmodelled tables carry no fields; nothing else to compare. */
    return true;
  }
  const uint8_t *pa = (const uint8_t *)&a->u, *pb = (const uint8_t *)&b->u;
  for (uint32_t i = 0; i < d->field_count; i++) {
    const xai_option_field *f = &d->fields[i];
    if (!f->name) continue;
    size_t n = 0;
    switch (f->kind) {
      case XAI_FIELD_BOOL:
        if (!pa[f->offset] != !pb[f->offset]) {
          return differ(c, "%s.%s differs", d->name, f->name);
        }
        continue;
      case XAI_FIELD_I8: n = 1; break;
      case XAI_FIELD_I32:
      case XAI_FIELD_U32:
      case XAI_FIELD_F32: n = 4; break;
      case XAI_FIELD_STRING: {
        const char *sa, *sb;
        memcpy(&sa, pa + f->offset, sizeof sa);
        memcpy(&sb, pb + f->offset, sizeof sb);
        if ((sa == NULL) != (sb == NULL) || (sa && strcmp(sa, sb)))
          return differ(c, "%s.%s differs", d->name, f->name);
        continue;
      }
      case XAI_FIELD_INT_LIST: {
        xai_int_list la, lb;
        memcpy(&la, pa + f->offset, sizeof la);
        memcpy(&lb, pb + f->offset, sizeof lb);
        if (la.count != lb.count) {
          return differ(c, "%s.%s count %d vs %d", d->name, f->name,
                        (int)la.count, (int)lb.count);
        }
        for (int32_t j = 0; j < la.count && j < XAI_MAX_OPTION_INTS; j++) {
          if (la.values[j] != lb.values[j]) {
            return differ(c, "%s.%s[%d] differs", d->name, f->name, (int)j);
          }
        }
        continue;
      }
      default:
        return differ(c, "%s.%s has unknown kind %u", d->name, f->name,
                      f->kind);
    }
    if (memcmp(pa + f->offset, pb + f->offset, n) != 0) {
      return differ(c, "%s.%s differs", d->name, f->name);
    }
  }
  return true;
}

static bool operator_eq(diff_ctx *c, const xai_operator *a,
                        const xai_operator *b) {
  if (a->opcode_index != b->opcode_index) {
    return differ(c, "opcode_index %u vs %u", a->opcode_index,
                  b->opcode_index);
  }
  if (!i32_eq(c, "inputs", a->inputs, a->input_count, b->inputs,
              b->input_count) ||
      !i32_eq(c, "outputs", a->outputs, a->output_count, b->outputs,
              b->output_count) ||
      !i32_eq(c, "intermediates", a->intermediates, a->intermediate_count,
              b->intermediates, b->intermediate_count) ||
      !options_eq(c, &a->options, &b->options)) {
    return false;
  }
  if (!a->custom_options != !b->custom_options) {
    return differ(c, "custom_options present in only one model");
  }
  if (!bytes_eq(c, "custom_options", a->custom_options,
                a->custom_options_size, b->custom_options,
                b->custom_options_size)) {
    return false;
  }
  if (a->custom_options_format != b->custom_options_format) {
    return differ(c, "custom_options_format %d vs %d",
                  a->custom_options_format, b->custom_options_format);
  }
  if (!a->mutating_variable_inputs != !b->mutating_variable_inputs) {
    return differ(c, "mutating_variable_inputs present in only one model");
  }
  if (a->mutating_variable_input_count != b->mutating_variable_input_count) {
    return differ(c, "mutating_variable_inputs count %u vs %u",
                  a->mutating_variable_input_count,
                  b->mutating_variable_input_count);
  }
  for (uint32_t i = 0; i < a->mutating_variable_input_count; i++) {
    if (a->mutating_variable_inputs[i] != b->mutating_variable_inputs[i]) {
      return differ(c, "mutating_variable_inputs[%u] differs", i);
    }
  }
  return true;
}

static bool subgraph_eq(diff_ctx *c, uint32_t sg, const xai_subgraph *a,
                        const xai_subgraph *b) {
  snprintf(c->where, sizeof c->where, "subgraph %u", sg);
  if (!str_eq(c, "name", a->name, b->name) ||
      !i32_eq(c, "inputs", a->inputs, a->input_count, b->inputs,
              b->input_count) ||
      !i32_eq(c, "outputs", a->outputs, a->output_count, b->outputs,
              b->output_count)) {
    return false;
  }
  if (a->tensor_count != b->tensor_count) {
    return differ(c, "%u vs %u tensors", a->tensor_count, b->tensor_count);
  }
  if (a->operator_count != b->operator_count) {
    return differ(c, "%u vs %u operators", a->operator_count,
                  b->operator_count);
  }
  for (uint32_t i = 0; i < a->tensor_count; i++) {
    snprintf(c->where, sizeof c->where, "subgraph %u tensor %u", sg, i);
    if (!tensor_eq(c, &a->tensors[i], &b->tensors[i])) return false;
  }
  for (uint32_t i = 0; i < a->operator_count; i++) {
    snprintf(c->where, sizeof c->where, "subgraph %u operator %u", sg, i);
    if (!operator_eq(c, &a->operators[i], &b->operators[i])) return false;
  }
  return true;
}

static bool tensor_maps_eq(diff_ctx *c, const char *what,
                           const xai_tensor_map *a, uint32_t na,
                           const xai_tensor_map *b, uint32_t nb) {
  if (na != nb) return differ(c, "%s count %u vs %u", what, na, nb);
  for (uint32_t i = 0; i < na; i++) {
    if (!str_eq(c, what, a[i].name, b[i].name)) return false;
    if (a[i].tensor_index != b[i].tensor_index) {
      return differ(c, "%s %u tensor_index %u vs %u", what, i,
                    a[i].tensor_index, b[i].tensor_index);
    }
  }
  return true;
}

bool xai_model_equal(const xai_model *a, const xai_model *b, char *diff,
                     size_t diff_size) {
  diff_ctx c = {diff, diff_size, ""};
  if (diff && diff_size) diff[0] = '\0';
  if (a->version != b->version) {
    return differ(&c, "version %u vs %u", a->version, b->version);
  }
  if (!str_eq(&c, "description", a->description, b->description)) {
    return false;
  }
  if (a->opcode_count != b->opcode_count) {
    return differ(&c, "%u vs %u opcodes", a->opcode_count, b->opcode_count);
  }
  for (uint32_t i = 0; i < a->opcode_count; i++) {
    const xai_opcode *x = &a->opcodes[i], *y = &b->opcodes[i];
    snprintf(c.where, sizeof c.where, "opcode %u", i);
    if (x->builtin_code != y->builtin_code) {
      return differ(&c, "builtin_code %d vs %d", (int)x->builtin_code,
                    (int)y->builtin_code);
    }
    if (x->version != y->version) {
      return differ(&c, "version %d vs %d", (int)x->version, (int)y->version);
    }
    if (!str_eq(&c, "custom_code", x->custom_code, y->custom_code)) {
      return false;
    }
  }
  c.where[0] = '\0';
  if (a->buffer_count != b->buffer_count) {
    return differ(&c, "%u vs %u buffers", a->buffer_count, b->buffer_count);
  }
  for (uint32_t i = 0; i < a->buffer_count; i++) {
    snprintf(c.where, sizeof c.where, "buffer %u", i);
    if (!bytes_eq(&c, "data", a->buffers[i].data, a->buffers[i].size,
                  b->buffers[i].data, b->buffers[i].size)) {
      return false;
    }
  }
  c.where[0] = '\0';
  if (a->metadata_count != b->metadata_count) {
    return differ(&c, "%u vs %u metadata entries", a->metadata_count,
                  b->metadata_count);
  }
  for (uint32_t i = 0; i < a->metadata_count; i++) {
    snprintf(c.where, sizeof c.where, "metadata %u", i);
    if (!str_eq(&c, "name", a->metadata[i].name, b->metadata[i].name)) {
      return false;
    }
    if (a->metadata[i].buffer != b->metadata[i].buffer) {
      return differ(&c, "buffer %u vs %u", a->metadata[i].buffer,
                    b->metadata[i].buffer);
    }
  }
  c.where[0] = '\0';
  if (!a->metadata_buffer != !b->metadata_buffer) {
    return differ(&c, "metadata_buffer present in only one model");
  }
  if (!i32_eq(&c, "metadata_buffer", a->metadata_buffer,
              a->metadata_buffer_count, b->metadata_buffer,
              b->metadata_buffer_count)) {
    return false;
  }
  if (a->subgraph_count != b->subgraph_count) {
    return differ(&c, "%u vs %u subgraphs", a->subgraph_count,
                  b->subgraph_count);
  }
  for (uint32_t i = 0; i < a->subgraph_count; i++) {
    if (!subgraph_eq(&c, i, &a->subgraphs[i], &b->subgraphs[i])) return false;
  }
  c.where[0] = '\0';
  if (a->signature_count != b->signature_count) {
    return differ(&c, "%u vs %u signatures", a->signature_count,
                  b->signature_count);
  }
  for (uint32_t i = 0; i < a->signature_count; i++) {
    const xai_signature *x = &a->signatures[i], *y = &b->signatures[i];
    snprintf(c.where, sizeof c.where, "signature %u", i);
    if (!str_eq(&c, "signature_key", x->signature_key, y->signature_key)) {
      return false;
    }
    if (x->subgraph_index != y->subgraph_index) {
      return differ(&c, "subgraph_index %u vs %u", x->subgraph_index,
                    y->subgraph_index);
    }
    if (!tensor_maps_eq(&c, "input", x->inputs, x->input_count, y->inputs,
                        y->input_count) ||
        !tensor_maps_eq(&c, "output", x->outputs, x->output_count,
                        y->outputs, y->output_count)) {
      return false;
    }
  }
  return true;
}
