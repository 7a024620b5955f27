/* keyword_scrambled_8bit runs on the runtime: seven SVDF ops with int8
 * weights_time and int8 state (TFLite Micro semantics). LiteRT cannot be
 * the oracle here (its reference SVDF reads int8 weights_time as int16 and
 * corrupts its heap), so this is a smoke test: five seeds of random input,
 * three invokes each, must run without error, be deterministic (a fresh
 * interpreter repeats every output), and give a softmax pair that sums to
 * 1 (the model ends in SOFTMAX -> int32 QUANTIZE with scale 1/32767). */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/runtime.h"
#include "interp_heap.h"

enum { SEEDS = 5, STEPS = 3, OUTS = 2 };

/* Runs all seeds through one interpreter per seed; outputs in y. */
static int run_all(const uint8_t *model, size_t size,
                   int32_t y[SEEDS][STEPS][OUTS]) {
  xai_error err;
  xai_error_clear(&err);
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  xai_test_heap_interp h;
  if (xai_test_heap_interp_init(&h, &cfg, &err)) goto fail;
  for (uint32_t seed = 0; seed < SEEDS; seed++) {
    /* A fresh interpreter per seed, in the same arena. */
    xai_interp *ip = h.ip;
    if (seed > 0 && xai_interp_init(&ip, &cfg, &err)) goto fail_arena;
    xai_rt_tensor *in = xai_interp_input(ip, 0);
    const xai_rt_tensor *out = xai_interp_output(ip, 0);
    if (in->type != XAI_TYPE_INT16 || out->type != XAI_TYPE_INT32 ||
        out->bytes != OUTS * sizeof(int32_t)) {
      fprintf(stderr, "unexpected model I/O\n");
      xai_test_heap_interp_free(&h);
      return 0;
    }
    uint32_t lcg = 12345u + 7919u * seed;
    int16_t x[96];
    for (int s = 0; s < STEPS; s++) {
      for (size_t i = 0; i < in->bytes / 2 && i < 96; i++) {
        lcg = lcg * 1664525u + 1013904223u;
        x[i] = (int16_t)(lcg >> 16);
      }
      if (xai_interp_set_input(ip, 0, x, in->bytes, &err) ||
          xai_interp_invoke(ip, &err))
        goto fail_arena;
      memcpy(y[seed][s], out->data, sizeof y[seed][s]);
    }
  }
  xai_test_heap_interp_free(&h);
  return 1;
fail_arena:
  xai_test_heap_interp_free(&h);
fail:
  fprintf(stderr, "keyword_scrambled_8bit: %s\n", err.message);
  return 0;
}

int main(void) {
  const char *dir = xai_test_models_dir();
  if (!dir) return XAI_TEST_SKIP;
  char path[4096];
  snprintf(path, sizeof path, "%s/tflm/keyword_scrambled_8bit.tflite", dir);
  uint8_t *file = NULL;
  size_t size = 0;
  xai_error err;
  xai_error_clear(&err);
  if (xai_file_read(path, &file, &size, &err)) {
    fprintf(stderr, "%s: %s\n", path, err.message);
    return 1;
  }
  static int32_t a[SEEDS][STEPS][OUTS], b[SEEDS][STEPS][OUTS];
  CHECK(run_all(file, size, a));
  CHECK(run_all(file, size, b));
  CHECK(memcmp(a, b, sizeof a) == 0);
  for (int s = 0; s < SEEDS; s++)
    for (int t = 0; t < STEPS; t++) {
      /* Two int16 softmax outputs (scale 1/65536, zp -32768) requantized
       * to scale 1/32767: each rounding is within 1 LSB of the sum 32767. */
      const int32_t sum = a[s][t][0] + a[s][t][1];
      if (sum < 32767 - 2 || sum > 32767 + 2) {
        fprintf(stderr, "seed %d step %d: softmax outputs %d + %d\n", s, t,
                (int)a[s][t][0], (int)a[s][t][1]);
        xai_test_failures++;
      }
    }
  printf("keyword_scrambled_8bit: %d seeds x %d invokes, deterministic\n",
         SEEDS, STEPS);
  xai_file_free(file);
  return xai_test_finish("runtime_test_recurrent_svdf8");
}
