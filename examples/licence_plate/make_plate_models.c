/* The licence-plate demo's two models (examples/licence_plate/README.md):
 * a "finder" that turns a 16x32 grey frame into 256 plate features, and a
 * "reader" that turns those features into 7 characters of 36 classes.
 * Both are int8 FULLY_CONNECTED layers with generated weights (fixed seed):
 * they show the device pipeline, not a trained recogniser. The finder's
 * output has the reader's input quantization, so the device can feed one
 * to the other (LINK_INPUT).
 * Usage: make_plate_models FINDER.tflite READER.tflite */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/common.h"
#include "xai/tflite.h"

static uint64_t g_seed = 0x9e3779b97f4a7c15ull;

static int8_t rnd8(int span) {
  g_seed = g_seed * 6364136223846793005ull + 1442695040888963407ull;
  return (int8_t)((int)((g_seed >> 33) % (uint64_t)(2 * span + 1)) - span);
}

static int32_t tensor(xai_model *m, const char *name, int8_t type,
                      const int32_t *shape, uint32_t rank, float scale,
                      const void *data, size_t size) {
  uint32_t buf = data ? (uint32_t)xai_model_add_buffer(m, data, size) : 0;
  int32_t t = xai_model_add_tensor(m, 0, name, type, shape, rank, buf);
  int64_t zp = 0;
  if (t >= 0) xai_model_set_quant(m, 0, (uint32_t)t, &scale, &zp, 1, 0);
  return t;
}

/* [1,k] int8 (scale in_scale) -> FULLY_CONNECTED -> [1,n] (out_scale). */
static int write_fc(const char *path, uint32_t k, uint32_t n, float in_scale,
                    float out_scale) {
  xai_error err;
  xai_error_clear(&err);
  xai_model m;
  if (xai_model_init(&m, &err)) return 1;
  int8_t *w = malloc((size_t)n * k);
  int32_t *b = calloc(n, sizeof *b);
  if (!w || !b) return 1;
  for (size_t i = 0; i < (size_t)n * k; i++) w[i] = rnd8(64);
  int32_t is[2] = {1, (int32_t)k}, ws[2] = {(int32_t)n, (int32_t)k};
  int32_t bs[1] = {(int32_t)n}, os[2] = {1, (int32_t)n};
  int32_t in = tensor(&m, "input", XAI_TYPE_INT8, is, 2, in_scale, NULL, 0);
  int32_t wt = tensor(&m, "weights", XAI_TYPE_INT8, ws, 2, 0.01f, w,
                      (size_t)n * k);
  int32_t bt = tensor(&m, "bias", XAI_TYPE_INT32, bs, 1, in_scale * 0.01f, b,
                      (size_t)n * 4);
  int32_t out = tensor(&m, "output", XAI_TYPE_INT8, os, 2, out_scale, NULL, 0);
  xai_options o;
  memset(&o, 0, sizeof o);
  o.type = XAI_OPTS_FULLY_CONNECTED;
  int32_t ins[3] = {in, wt, bt};
  xai_model_add_operator(&m, 0, -1,
                         (uint32_t)xai_model_opcode(&m, XAI_OP_FULLY_CONNECTED,
                                                    NULL, 1),
                         ins, 3, &out, 1, &o, NULL, 0);
  uint8_t *bytes = NULL;
  size_t size = 0;
  xai_status st = xai_model_set_subgraph_io(&m, 0, &in, 1, &out, 1);
  if (!st) st = xai_model_write(&m, &bytes, &size, &err);
  if (!st) st = xai_file_write_atomic(path, bytes, size, &err);
  if (st) fprintf(stderr, "make_plate_models: %s: %s\n", path, err.message);
  free(bytes);
  free(w);
  free(b);
  xai_model_free(&m);
  return st ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: make_plate_models FINDER.tflite READER.tflite\n");
    return 2;
  }
  /* The finder's output scale is the reader's input scale. */
  if (write_fc(argv[1], 512, 256, 0.02f, 0.4f)) return 1;
  if (write_fc(argv[2], 256, 7 * 36, 0.4f, 2.0f)) return 1;
  return 0;
}
