/* SVDF and UNIDIRECTIONAL_SEQUENCE_LSTM ops of the real tflm models, each
 * isolated into a one-op model with the project's model editor and run
 * through the runtime for several invokes (state carried between them).
 * Every output byte must equal LiteRT's BUILTIN_REF output for the same
 * isolated op and inputs (recurrent_goldens.h, gen_recurrent_goldens.py). */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/runtime.h"
#include "xai/tflite.h"

typedef struct {
  const char *file;
  uint32_t op;
  int steps;
  int out_bytes;
  const int8_t *golden;
} recurrent_golden;

#include "recurrent_goldens.h"
#include "interp_heap.h"

/* Keeps only operator k; its input 0 and output 0 become the graph I/O. */
static int isolate(const uint8_t *data, size_t size, uint32_t k,
                   uint8_t **out, size_t *out_size) {
  xai_error err;
  xai_error_clear(&err);
  xai_tfl_view view;
  xai_model m;
  memset(&m, 0, sizeof m);
  int ok = 0;
  if (xai_tfl_open(&view, data, size, &err) ||
      xai_model_from_view(&m, &view, 1, &err))
    goto done;
  xai_tfl_operator op;
  xai_tfl_get_operator(&view, 0, k, &op);
  const int32_t in = op.inputs.data[0], o = op.outputs.data[0];
  xai_tfl_subgraph sg;
  xai_tfl_get_subgraph(&view, 0, &sg);
  for (uint32_t i = sg.operator_count; i-- > 0;)
    if (i != k && xai_model_remove_operator(&m, 0, i)) goto done;
  if (xai_model_set_subgraph_io(&m, 0, &in, 1, &o, 1) ||
      xai_model_write(&m, out, out_size, &err))
    goto done;
  ok = 1;
done:
  if (!ok) fprintf(stderr, "isolating op %u failed: %s\n", k, err.message);
  xai_model_free(&m);
  return ok;
}

static void run_case(const char *dir, const recurrent_golden *g) {
  char path[4096];
  snprintf(path, sizeof path, "%s/tflm/%s", dir, g->file);
  uint8_t *file = NULL, *model = NULL;
  size_t file_size = 0, size = 0;
  xai_test_heap_interp h = {0};
  xai_error err;
  xai_error_clear(&err);
  if (xai_file_read(path, &file, &file_size, &err) ||
      !isolate(file, file_size, g->op, &model, &size)) {
    fprintf(stderr, "%s: %s\n", path, err.message);
    xai_test_failures++;
    goto done;
  }
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  /* The goldens are LiteRT's; TFLite Micro's LSTM arithmetic (the default)
   * is checked against its interpreter by oracle_stateful. */
  cfg.semantics = XAI_SEMANTICS_LITERT;
  if (xai_test_heap_interp_init(&h, &cfg, &err)) goto fail;
  xai_interp *ip = h.ip;
  xai_rt_tensor *in = xai_interp_input(ip, 0);
  for (int s = 0; s < g->steps; s++) {
    int8_t *x = malloc(in->bytes);
    for (size_t i = 0; i < in->bytes; i++)
      x[i] = (int8_t)((int)((i * 37 + (size_t)s * 101 + 11) % 256) - 128);
    xai_status st = xai_interp_set_input(ip, 0, x, in->bytes, &err);
    free(x);
    if (st || xai_interp_invoke(ip, &err)) goto fail;
    const xai_rt_tensor *out = xai_interp_output(ip, 0);
    if (out->bytes != (size_t)g->out_bytes) {
      fprintf(stderr, "%s op %u: output has %zu bytes, LiteRT %d\n", g->file,
              g->op, (size_t)out->bytes, g->out_bytes);
      xai_test_failures++;
      goto done;
    }
    const int8_t *y = out->data, *want = g->golden + s * g->out_bytes;
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < out->bytes; i++)
      if (y[i] != want[i] && bad++ == 0) first = i;
    if (bad) {
      fprintf(stderr,
              "%s op %u invoke %d: %zu of %zu bytes differ from LiteRT "
              "(first at %zu: %d vs %d)\n",
              g->file, g->op, s, bad, (size_t)out->bytes, first, y[first],
              want[first]);
      xai_test_failures++;
      goto done;
    }
  }
  printf("%s op %u: %d invokes match LiteRT\n", g->file, g->op, g->steps);
  goto done;
fail:
  fprintf(stderr, "%s op %u: %s\n", g->file, g->op, err.message);
  xai_test_failures++;
done:
  xai_test_heap_interp_free(&h);
  free(model);
  xai_file_free(file);
}

int main(void) {
  const char *dir = xai_test_models_dir();
  if (!dir) return XAI_TEST_SKIP;
  for (size_t i = 0; i < sizeof recurrent_goldens / sizeof recurrent_goldens[0];
       i++)
    run_case(dir, &recurrent_goldens[i]);
  return xai_test_finish("runtime_test_recurrent_models");
}
