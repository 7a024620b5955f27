/* Every builtin op the runtime registers refuses another op's options
 * table at load, with one line naming the op index, the op, the table found
 * and the one it takes (options_expected.c); absent options still load.
 * Two sources of models: a one-op model per registered builtin, and the
 * shared TFLM models with each op kind's options type changed in turn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../interp_heap.h"
#include "rt_models.h"
#include "testlib.h"
#include "xai/common.h"

/* A table that is not `want`: SoftmaxOptions, or Conv2DOptions for the op
 * that takes SoftmaxOptions. */
static uint8_t wrong_type(uint8_t want) {
  return want == XAI_OPTS_SOFTMAX ? XAI_OPTS_CONV2D : XAI_OPTS_SOFTMAX;
}

/* Loads model; returns the status and leaves the message in err. */
static xai_status load(const uint8_t *model, size_t size, xai_error *err) {
  xai_interp_config c = xai_test_interp_config(model, size, NULL, 0);
  c.resolver = xai_all_ops_resolver();
  xai_test_heap_interp h;
  xai_status st = xai_test_heap_interp_init(&h, &c, err);
  if (!st) xai_test_heap_interp_free(&h);
  return st;
}

static int expect_refused(const char *what, const uint8_t *model, size_t size,
                          const char *where, const char *op, uint8_t found,
                          uint8_t want) {
  xai_error err;
  xai_status st = load(model, size, &err);
  char line[160];
  const char *takes = want ? xai_options_union_name(want) : "none";
  snprintf(line, sizeof line, "%s %s: builtin options are %s, but %s takes %s",
           where, op, xai_options_union_name(found), op, takes);
  if (st != XAI_ERR_FORMAT || !strstr(err.message, line) ||
      strchr(err.message, '\n')) {
    fprintf(stderr, "%s: want \"%s\", got %s: %s\n", what, line,
            xai_status_name(st), err.message);
    return 0;
  }
  return 1;
}

/* One op of `code` on int8 [1,4] tensors with options of `type`. */
static uint8_t *one_op_model(int32_t code, uint8_t type, size_t *size) {
  xai_model m;
  xai_error err;
  CHECK_EQ_INT(xai_model_init(&m, &err), XAI_OK);
  const int32_t shape[] = {1, 4};
  int32_t in = rt_tensor(&m, 0, "in", XAI_TYPE_INT8, shape, 2, NULL, 0);
  int32_t out = rt_tensor(&m, 0, "out", XAI_TYPE_INT8, shape, 2, NULL, 0);
  xai_options opts;
  memset(&opts, 0, sizeof opts);
  opts.type = type;
  rt_op(&m, 0, code, NULL, &in, 1, &out, 1, &opts);
  xai_model_set_subgraph_io(&m, 0, &in, 1, &out, 1);
  uint8_t *model = NULL;
  CHECK(rt_write(&m, &model, size));
  xai_model_free(&m);
  return model;
}

static void every_registered_builtin(void) {
  const xai_op_resolver *r = xai_all_ops_resolver();
  uint32_t checked = 0;
  for (size_t i = 0; i < r->count; i++) {
    int32_t code = r->ops[i]->builtin_code;
    if (code == XAI_OP_CUSTOM) continue;
    const char *name = xai_builtin_op_name(code);
    if (!xai_builtin_options_known(code)) {
      fprintf(stderr, "builtin %d (%s) is not in options_expected.c\n",
              (int)code, name ? name : "?");
      CHECK(0);
      continue;
    }
    uint8_t want = 0;
    CHECK(xai_builtin_options_ok(code, XAI_OPTS_NONE, &want));
    if (want) CHECK(xai_builtin_options_ok(code, want, NULL));
    uint8_t bad = wrong_type(want);
    CHECK(!xai_builtin_options_ok(code, bad, NULL));
    size_t size = 0;
    uint8_t *model = one_op_model(code, bad, &size);
    CHECK(expect_refused(name, model, size, "op 0", name, bad, want));
    free(model);
    checked++;
  }
  printf("%u registered builtins refuse another op's options\n", checked);
  CHECK(checked >= 90);
}

/* Each op kind of a real model in turn gets another op's table. */
static uint32_t mutate_model(const char *path) {
  uint8_t *data = NULL;
  size_t size = 0;
  xai_error err;
  if (xai_file_read(path, &data, &size, &err)) {
    fprintf(stderr, "%s\n", err.message);
    CHECK(0);
    return 0;
  }
  CHECK_EQ_INT(load(data, size, &err), XAI_OK); /* as written: loads */
  xai_tfl_view v;
  CHECK_EQ_INT(xai_tfl_open(&v, data, size, &err), XAI_OK);
  xai_model m;
  CHECK_EQ_INT(xai_model_from_view(&m, &v, 1, &err), XAI_OK);
  uint32_t done = 0;
  bool seen[256] = {false};
  xai_subgraph *sg = &m.subgraphs[0];
  for (uint32_t i = 0; i < sg->operator_count; i++) {
    xai_operator *op = &sg->operators[i];
    int32_t code = m.opcodes[op->opcode_index].builtin_code;
    if (code == XAI_OP_CUSTOM || code < 0 || code > 255 || seen[code]) continue;
    seen[code] = true;
    uint8_t want = 0;
    xai_builtin_options_ok(code, op->options.type, &want);
    xai_options keep = op->options;
    memset(&op->options, 0, sizeof op->options);
    op->options.type = wrong_type(want);
    uint8_t *out = NULL;
    size_t out_size = 0;
    CHECK_EQ_INT(xai_model_write(&m, &out, &out_size, &err), XAI_OK);
    char where[24];
    snprintf(where, sizeof where, "op %u", i);
    const char *name = xai_builtin_op_name(code);
    CHECK(expect_refused(path, out, out_size, where, name,
                         op->options.type, want));
    free(out);
    op->options = keep;
    done++;
  }
  xai_model_free(&m);
  xai_file_free(data);
  return done;
}

int main(void) {
  every_registered_builtin();
  const char *dir = xai_test_models_dir();
  if (!dir) {
    printf("shared models absent: the real-model part is skipped\n");
    return xai_test_finish("runtime_options_type_all");
  }
  static const char *const models[] = {
      "hello_world_int8", "micro_speech_quantized", "person_detect",
      "keyword_scrambled_8bit", "trained_lstm_int8", "simple_add_model",
  };
  uint32_t kinds = 0;
  for (size_t k = 0; k < sizeof models / sizeof models[0]; k++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/tflm/%s.tflite", dir, models[k]);
    kinds += mutate_model(path);
  }
  printf("%u op kinds of real models refuse another op's options\n", kinds);
  CHECK(kinds >= 10);
  return xai_test_finish("runtime_options_type_all");
}
