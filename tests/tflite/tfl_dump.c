/* Prints what the reader sees in a model, one fact per line, in the format
 * litert_compare.py also produces from LiteRT, so the two can be diffed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options_internal.h" /* descriptors: src/tflite */
#include "xai/tflite.h"

static const char *const k_kinds[] = {"BOOL", "I8", "I32", "U32", "F32",
                                      "INT_LIST", "STRING"};

/* One line per descriptor field, for the schema check in litert_compare. */
static int print_descriptors(void) {
  for (int type = 0; type < 256; type++) {
    const xai_options_desc *d = xai_options_descriptor((uint8_t)type);
    if (!d) continue;
    printf("table %d %s %u\n", type, d->name, d->field_count);
    for (unsigned i = 0; i < d->field_count; i++) {
      const xai_option_field *f = &d->fields[i];
      printf("field %d %s %u %s %s %d %.9g\n", type, d->name, i, f->name,
             k_kinds[f->kind], (int)f->default_int, (double)f->default_float);
    }
  }
  return 0;
}

static void print_i32(const char *label, xai_i32_span s) {
  printf(" %s=[", label);
  for (uint32_t i = 0; i < s.count; i++) printf("%s%d", i ? "," : "", s.data[i]);
  printf("]");
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--descriptors") == 0)
    return print_descriptors();
  if (argc != 2) {
    fprintf(stderr, "usage: tfl_dump model.tflite | --descriptors\n");
    return 2;
  }
  xai_error err = {0};
  uint8_t *data;
  size_t size;
  if (xai_file_read(argv[1], &data, &size, &err) != XAI_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  xai_tfl_view v;
  if (xai_tfl_open(&v, data, size, &err) != XAI_OK) {
    fprintf(stderr, "%s: %s\n", argv[1], err.message);
    xai_file_free(data);
    return 1;
  }
  xai_tfl_subgraph sg;
  xai_tfl_get_subgraph(&v, 0, &sg);
  for (uint32_t i = 0; i < sg.tensor_count; i++) {
    xai_tfl_tensor t;
    xai_tfl_get_tensor(&v, 0, i, &t);
    printf("tensor %u %s %s", i, t.name ? t.name : "",
           xai_tensor_type_name(t.type));
    print_i32("shape", t.shape);
    printf(" scales=[");
    for (uint32_t k = 0; k < t.quant.scale.count; k++)
      printf("%s%.9g", k ? "," : "", (double)t.quant.scale.data[k]);
    printf("] zero_points=[");
    for (uint32_t k = 0; k < t.quant.zero_point.count; k++)
      printf("%s%lld", k ? "," : "",
             (long long)xai_tfl_i64_at(t.quant.zero_point, k));
    printf("] quantized_dimension=%d\n",
           t.quant.scale.count ? t.quant.quantized_dimension : 0);
  }
  for (uint32_t i = 0; i < sg.operator_count; i++) {
    xai_tfl_operator op;
    xai_tfl_opcode oc;
    xai_tfl_get_operator(&v, 0, i, &op);
    xai_tfl_get_opcode(&v, op.opcode_index, &oc);
    const char *name = oc.builtin_code == XAI_OP_CUSTOM && oc.custom_code
                           ? oc.custom_code
                           : xai_builtin_op_name(oc.builtin_code);
    printf("op %u %s", i, name ? name : "?");
    print_i32("inputs", op.inputs);
    print_i32("outputs", op.outputs);
    printf("\n");
  }
  for (uint32_t i = 0; i < sg.operator_count; i++) {
    xai_tfl_operator op;
    xai_tfl_get_operator(&v, 0, i, &op);
    if (!op.builtin_options_type) continue;
    xai_options opts;
    xai_error oerr = {0};
    if (xai_tfl_get_options(&v, &op, &opts, &oerr) != XAI_OK) {
      printf("options %u UNSUPPORTED %s\n", i, oerr.message);
      continue;
    }
    char text[1024];
    xai_options_format(&opts, 0, text, sizeof text);
    printf("options %u %s %s\n", i, xai_options_type_name(opts.type), text);
  }
  print_i32("inputs", sg.inputs);
  printf("\n");
  print_i32("outputs", sg.outputs);
  printf("\n");
  xai_file_free(data);
  return 0;
}
