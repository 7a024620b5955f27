/* `xai inspect MODEL [--json]`: what a model holds, for people and scripts. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "model_stats.h"
#include "xai/flexbuf.h"
#include "xai/tflite.h"

static void print_json_string(FILE *out, const char *s) {
  fputc('"', out);
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(out, "\\%c", c);
    else if (c < 0x20)
      fprintf(out, "\\u%04x", c);
    else
      fputc(c, out);
  }
  fputc('"', out);
}

static void print_shape(FILE *out, xai_i32_span shape) {
  fputc('[', out);
  for (uint32_t i = 0; i < shape.count; i++)
    fprintf(out, "%s%" PRId32, i ? "," : "", shape.data[i]);
  fputc(']', out);
}

/* "INT8" for a tensor index, "-" for an absent optional input. */
static void print_tensor_brief(FILE *out, const xai_tfl_view *v, uint32_t sg,
                               int32_t index) {
  if (index < 0) {
    fputs("-", out);
    return;
  }
  xai_tfl_tensor t;
  xai_tfl_get_tensor(v, sg, (uint32_t)index, &t);
  fprintf(out, "%s", xai_tensor_type_name(t.type));
  print_shape(out, t.shape);
}

static void print_quant_text(FILE *out, const xai_tfl_tensor *t) {
  if (!t->quant.present || t->quant.scale.count == 0) {
    fputs("not quantized", out);
    return;
  }
  if (t->quant.scale.count == 1) {
    fprintf(out, "scale %.9g zero point %" PRId64, t->quant.scale.data[0],
            t->quant.zero_point.count ? xai_tfl_i64_at(t->quant.zero_point, 0)
                                      : 0);
  } else {
    fprintf(out, "per-channel (%" PRIu32 " scales on dim %" PRId32 ")",
            t->quant.scale.count, t->quant.quantized_dimension);
  }
}

static void print_io_text(const xai_tfl_view *v, const char *what,
                          xai_i32_span list) {
  printf("%s:\n", what);
  for (uint32_t i = 0; i < list.count; i++) {
    xai_tfl_tensor t;
    xai_tfl_get_tensor(v, 0, (uint32_t)list.data[i], &t);
    printf("  %-24s %-8s ", t.name ? t.name : "(unnamed)",
           xai_tensor_type_name(t.type));
    print_shape(stdout, t.shape);
    fputs("  ", stdout);
    print_quant_text(stdout, &t);
    fputc('\n', stdout);
  }
}

static void print_io_json(const xai_tfl_view *v, xai_i32_span list) {
  fputc('[', stdout);
  for (uint32_t i = 0; i < list.count; i++) {
    xai_tfl_tensor t;
    xai_tfl_get_tensor(v, 0, (uint32_t)list.data[i], &t);
    printf("%s{\"tensor\": %" PRId32 ", \"name\": ", i ? ", " : "",
           list.data[i]);
    print_json_string(stdout, t.name);
    printf(", \"dtype\": \"%s\", \"shape\": ", xai_tensor_type_name(t.type));
    print_shape(stdout, t.shape);
    if (t.quant.present && t.quant.scale.count == 1) {
      printf(", \"scale\": %.9g, \"zero_point\": %" PRId64,
             t.quant.scale.data[0],
             t.quant.zero_point.count ? xai_tfl_i64_at(t.quant.zero_point, 0)
                                      : 0);
    } else if (t.quant.present && t.quant.scale.count > 1) {
      printf(", \"per_channel_scales\": %" PRIu32, t.quant.scale.count);
    }
    fputc('}', stdout);
  }
  fputc(']', stdout);
}

/* The op's options as text: builtin options through the schema descriptor,
 * custom options through the flexbuffer decoder. */
static void format_options(const xai_tfl_view *v, const xai_tfl_operator *op,
                           const xai_tfl_opcode *code, int json, char *out,
                           size_t size) {
  out[0] = '\0';
  if (code->custom_code) {
    if (op->custom_options && op->custom_options_size) {
      xai_error err = {0};
      if (xai_flexbuf_format(op->custom_options, op->custom_options_size, out,
                             size, &err) != XAI_OK)
        snprintf(out, size, "(custom options unreadable: %s)", err.message);
    }
    return;
  }
  xai_options opts;
  xai_error err = {0};
  if (xai_tfl_get_options(v, op, &opts, &err) != XAI_OK) {
    snprintf(out, size, "(%s)", err.message);
    return;
  }
  xai_options_format(&opts, json, out, size);
}

static void print_op_text(const xai_tfl_view *v, uint32_t sg, uint32_t i,
                          const xai_op_stats *st) {
  xai_tfl_operator op;
  xai_tfl_opcode code;
  xai_tfl_get_operator(v, sg, i, &op);
  xai_tfl_get_opcode(v, op.opcode_index, &code);
  printf("  %3" PRIu32 "  %-24s ", i, st->type_name);
  for (uint32_t k = 0; k < op.inputs.count; k++) {
    if (k) fputc(' ', stdout);
    print_tensor_brief(stdout, v, sg, op.inputs.data[k]);
  }
  fputs(" -> ", stdout);
  for (uint32_t k = 0; k < op.outputs.count; k++) {
    if (k) fputc(' ', stdout);
    print_tensor_brief(stdout, v, sg, op.outputs.data[k]);
  }
  printf("\n       MACs %" PRIu64 "  params %zu B", st->macs, st->param_bytes);
  char opts[1024];
  format_options(v, &op, &code, 0, opts, sizeof opts);
  if (opts[0]) printf("  %s", opts);
  fputc('\n', stdout);
}

static void print_tensor_list_json(const xai_tfl_view *v, uint32_t sg,
                                   xai_i32_span list) {
  fputc('[', stdout);
  for (uint32_t k = 0; k < list.count; k++) {
    if (k) fputs(", ", stdout);
    if (list.data[k] < 0) {
      fputs("null", stdout);
      continue;
    }
    xai_tfl_tensor t;
    xai_tfl_get_tensor(v, sg, (uint32_t)list.data[k], &t);
    printf("{\"tensor\": %" PRId32 ", \"dtype\": \"%s\", \"shape\": ",
           list.data[k], xai_tensor_type_name(t.type));
    print_shape(stdout, t.shape);
    fputc('}', stdout);
  }
  fputc(']', stdout);
}

static void print_op_json(const xai_tfl_view *v, uint32_t sg, uint32_t i,
                          const xai_op_stats *st, int first) {
  xai_tfl_operator op;
  xai_tfl_opcode code;
  xai_tfl_get_operator(v, sg, i, &op);
  xai_tfl_get_opcode(v, op.opcode_index, &code);
  printf("%s\n    {\"subgraph\": %" PRIu32 ", \"index\": %" PRIu32
         ", \"type\": ",
         first ? "" : ",", sg, i);
  print_json_string(stdout, st->type_name);
  printf(", \"custom\": %s, \"inputs\": ", code.custom_code ? "true" : "false");
  print_tensor_list_json(v, sg, op.inputs);
  fputs(", \"outputs\": ", stdout);
  print_tensor_list_json(v, sg, op.outputs);
  printf(", \"macs\": %" PRIu64 ", \"param_bytes\": %zu", st->macs,
         st->param_bytes);
  char opts[1024];
  format_options(v, &op, &code, 1, opts, sizeof opts);
  if (code.custom_code) {
    fputs(", \"options\": ", stdout);
    print_json_string(stdout, opts);
  } else {
    printf(", \"options\": {%s}", opts);
  }
  fputc('}', stdout);
}

/* Metadata entries: names and sizes; the xformer's `xai` entry (a
 * flexbuffer map) decoded, so a reader sees version, threads and target. */
static void print_metadata(const xai_tfl_view *v, int json) {
  uint32_t n = xai_tfl_metadata_count(v);
  if (json)
    fputs(",\n  \"metadata\": {", stdout);
  else if (n)
    fputs("metadata:\n", stdout);
  for (uint32_t i = 0; i < n; i++) {
    xai_tfl_metadata md;
    xai_tfl_get_metadata(v, i, &md);
    size_t size = 0;
    const uint8_t *data =
        md.name ? xai_tfl_find_metadata(v, md.name, &size) : NULL;
    char text[512] = "";
    if (data && md.name && !strcmp(md.name, "xai")) {
      xai_error err = {0};
      if (xai_flexbuf_format(data, size, text, sizeof text, &err) != XAI_OK)
        snprintf(text, sizeof text, "(unreadable: %.400s)", err.message);
    } else {
      snprintf(text, sizeof text, "%zu bytes", size);
    }
    if (json) {
      fputs(i ? ", " : "", stdout);
      print_json_string(stdout, md.name ? md.name : "");
      fputs(": ", stdout);
      print_json_string(stdout, text);
    } else {
      printf("  %-24s %s\n", md.name ? md.name : "(unnamed)", text);
    }
  }
  if (json) fputc('}', stdout);
}

static int usage(FILE *out) {
  fprintf(out,
          "usage: xai inspect MODEL [--json]\n"
          "Prints the model's inputs and outputs, every op with its shapes,\n"
          "options, MACs and parameter bytes, and totals.\n");
  return out == stdout ? 0 : 2;
}

int xai_cmd_inspect(int argc, char **argv) {
  const char *path = NULL;
  int json = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--json"))
      json = 1;
    else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
      return usage(stdout);
    else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "xai inspect: unknown option '%s'\n", argv[i]);
      return usage(stderr);
    } else if (!path)
      path = argv[i];
    else {
      fprintf(stderr, "xai inspect: more than one model given\n");
      return usage(stderr);
    }
  }
  if (!path) return usage(stderr);

  xai_error err = {0};
  uint8_t *data;
  size_t size;
  if (xai_file_read(path, &data, &size, &err) != XAI_OK) {
    fprintf(stderr, "xai inspect: %s\n", err.message);
    return 1;
  }
  xai_tfl_view v;
  if (xai_tfl_open(&v, data, size, &err) != XAI_OK) {
    fprintf(stderr, "xai inspect: %s: %s\n", path, err.message);
    xai_file_free(data);
    return 1;
  }
  xai_model_stats stats;
  if (xai_model_stats_compute(&v, &stats, &err) != XAI_OK) {
    fprintf(stderr, "xai inspect: %s: %s\n", path, err.message);
    xai_file_free(data);
    return 1;
  }

  xai_tfl_subgraph sg0;
  xai_tfl_get_subgraph(&v, 0, &sg0);
  if (json) {
    printf("{\n  \"model\": ");
    print_json_string(stdout, path);
    printf(",\n  \"bytes\": %zu,\n  \"subgraphs\": %" PRIu32
           ",\n  \"inputs\": ",
           size, xai_tfl_subgraph_count(&v));
    print_io_json(&v, sg0.inputs);
    printf(",\n  \"outputs\": ");
    print_io_json(&v, sg0.outputs);
    print_metadata(&v, 1);
    printf(",\n  \"ops\": [");
  } else {
    printf("model %s: %zu bytes, schema version %" PRIu32 ", %" PRIu32
           " subgraph(s)\n",
           path, size, xai_tfl_version(&v), xai_tfl_subgraph_count(&v));
    print_io_text(&v, "inputs", sg0.inputs);
    print_io_text(&v, "outputs", sg0.outputs);
    print_metadata(&v, 0);
  }
  size_t k = 0;
  for (uint32_t sg = 0; sg < xai_tfl_subgraph_count(&v); sg++) {
    xai_tfl_subgraph s;
    xai_tfl_get_subgraph(&v, sg, &s);
    if (!json)
      printf("subgraph %" PRIu32 " %s: %" PRIu32 " ops, %" PRIu32
             " tensors\n",
             sg, s.name ? s.name : "", s.operator_count, s.tensor_count);
    for (uint32_t i = 0; i < s.operator_count; i++, k++) {
      if (json)
        print_op_json(&v, sg, i, &stats.ops[k], k == 0);
      else
        print_op_text(&v, sg, i, &stats.ops[k]);
    }
  }
  if (json) {
    printf("\n  ],\n  \"totals\": {\"ops\": %zu, \"macs\": %" PRIu64
           ", \"param_bytes\": %zu, \"largest_activation_bytes\": %zu"
           ", \"largest_activation_tensor\": %" PRId32 ", \"ops_by_type\": {",
           stats.op_count, stats.total_macs, stats.total_param_bytes,
           stats.largest_activation_bytes, stats.largest_activation_tensor);
    for (size_t t = 0; t < stats.type_count; t++) {
      printf("%s", t ? ", " : "");
      print_json_string(stdout, stats.types[t].name);
      printf(": %zu", stats.types[t].count);
    }
    printf("}}\n}\n");
  } else {
    printf("totals: %zu ops, %" PRIu64 " MACs, %zu parameter bytes, largest "
           "activation %zu bytes (tensor %" PRId32 ")\nops by type:",
           stats.op_count, stats.total_macs, stats.total_param_bytes,
           stats.largest_activation_bytes, stats.largest_activation_tensor);
    for (size_t t = 0; t < stats.type_count; t++)
      printf(" %s x%zu", stats.types[t].name, stats.types[t].count);
    fputc('\n', stdout);
  }
  xai_model_stats_free(&stats);
  xai_file_free(data);
  return 0;
}
