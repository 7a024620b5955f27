/* The greedy plan's head on real models, with every op stubbed (no
 * scratch), against TensorFlow Lite Micro's planned head for the same
 * models (/work/shared/bench/BASELINES.md, TFLM greedy planner, reference
 * kernels). Where TFLM's reference kernels ask for no scratch the two
 * plans must be the same size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/runtime.h"
#include "interp_heap.h"

static xai_status stub_eval(xai_op_ctx *ctx) {
  (void)ctx;
  return XAI_OK;
}

#define MAX_CODE 210
static xai_op_registration g_regs[MAX_CODE + 1];
static const xai_op_registration *g_ptrs[MAX_CODE + 1 + 16];

/* Every builtin, plus the custom ops of the models below. */
static const xai_op_resolver *stub_resolver(void) {
  static xai_op_resolver r;
  size_t n = 0;
  for (int32_t c = 0; c <= MAX_CODE; c++) {
    g_regs[c] = (xai_op_registration){c, NULL, NULL, stub_eval, NULL};
    g_ptrs[n++] = &g_regs[c];
  }
  r.ops = g_ptrs;
  r.count = n;
  return &r;
}

typedef struct {
  const char *model;
  size_t tflm_head;
  int tflm_scratch; /* TFLM's reference kernels ask for scratch here */
} baseline;

int main(void) {
  const char *dir = xai_test_models_dir();
  if (!dir) return XAI_TEST_SKIP;
  const baseline cases[] = {
      {"person_detect", 55296, 0},
      {"micro_speech_quantized", 5968, 0},
      {"hello_world_int8", 32, 0},
      {"hello_world_float", 128, 0},
      {"simple_add_model", 49152, 0},
      {"mobilenet_v2_quantized_1x3x224x224", 2451840, 0},
      /* SVDF and LSTM kernels in TFLM take scratch: our stubs do not. */
      {"keyword_scrambled", 672, 1},
      {"trained_lstm_int8", 1536, 1},
      {"micro_speech_lstm", 17168, 1},
      {"dtln_noise_suppression", 1424, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/tflm/%s.tflite", dir, cases[i].model);
    uint8_t *model;
    size_t size;
    xai_error err;
    xai_error_clear(&err);
    if (xai_file_read(path, &model, &size, &err)) {
      fprintf(stderr, "%s\n", err.message);
      xai_test_failures++;
      continue;
    }
    xai_interp_config c = xai_test_interp_config(model, size, NULL, 0);
    c.resolver = stub_resolver();
    xai_test_heap_interp h;
    xai_status st = xai_test_heap_interp_init(&h, &c, &err);
    if (st) fprintf(stderr, "%s: %s\n", cases[i].model, err.message);
    CHECK_EQ_INT(st, XAI_OK);
    if (!st) {
      xai_interp *ip = h.ip;
      size_t head = xai_interp_arena_head(ip);
      size_t tail = xai_interp_arena_used(ip) - head;
      fprintf(stderr, "%-36s head %8zu (TFLM %8zu)  tail %6zu\n",
              cases[i].model, head, cases[i].tflm_head, tail);
      if (cases[i].tflm_scratch)
        CHECK(head <= cases[i].tflm_head);
      else
        CHECK_EQ_INT(head, cases[i].tflm_head);
    }
    xai_test_heap_interp_free(&h);
    xai_file_free(model);
  }
  return xai_test_finish("runtime_planner_models");
}
