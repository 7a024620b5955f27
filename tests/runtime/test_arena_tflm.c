/* The whole arena (planned head + persistent tail) with the real kernels,
 * against TensorFlow Lite Micro's on the same models
 * (/work/shared/bench/BASELINES.md: min arena and planned head, TFLM
 * greedy planner, reference kernels, 64-bit host build): issue #3 asks for
 * no more than TFLM on every model. Also checks that the size reported is
 * exact (16 bytes less fails) and that tensor names come from the model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/runtime.h"
#include "interp_heap.h"

typedef struct {
  const char *model;
  size_t tflm_arena, tflm_head;
} baseline;

static void check_names(xai_interp *ip, const uint8_t *model, size_t size) {
  xai_tfl_view view;
  xai_error err;
  if (xai_tfl_open(&view, model, size, &err) != XAI_OK) {
    xai_test_failures++;
    return;
  }
  xai_tfl_subgraph sg;
  xai_tfl_get_subgraph(&view, 0, &sg);
  for (uint32_t i = 0; i < sg.inputs.count; i++) {
    xai_tfl_tensor tt;
    xai_tfl_get_tensor(&view, 0, (uint32_t)sg.inputs.data[i], &tt);
    const char *want = tt.name ? tt.name : "";
    CHECK(!strcmp(xai_interp_tensor_name(ip, xai_interp_input(ip, i)), want));
  }
  /* A tensor that is not the interpreter's has no name. */
  xai_rt_tensor stray;
  memset(&stray, 0, sizeof stray);
  CHECK(!strcmp(xai_interp_tensor_name(ip, &stray), ""));
}

int main(void) {
  /* One record per tensor in the tail: TFLM's TfLiteEvalTensor is 12
   * bytes on a 32-bit MCU; ours holds quantization too, in 32 on 64-bit. */
  CHECK(sizeof(xai_rt_tensor) <= 4 * sizeof(void *) + 16);
  const char *dir = xai_test_models_dir();
  if (!dir) return XAI_TEST_SKIP;
  const baseline cases[] = {
      {"person_detect", 85016, 55296},
      {"micro_speech_quantized", 7304, 5968},
      {"keyword_scrambled", 17632, 672},
      {"keyword_scrambled_8bit", 12512, 672},
      {"hello_world_int8", 1608, 32},
      {"hello_world_float", 1608, 128},
      {"simple_add_model", 49928, 49152},
      {"trained_lstm_int8", 3928, 1536},
      {"micro_speech_lstm", 19720, 17168},
      {"dtln_noise_suppression", 6480, 1424},
      {"mobilenet_v2_quantized_1x3x224x224", 2606888, 2451840},
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
    xai_test_heap_interp h;
    xai_status st = xai_test_heap_interp_init(&h, &c, &err);
    if (st) fprintf(stderr, "%s: %s\n", cases[i].model, err.message);
    CHECK_EQ_INT(st, XAI_OK);
    if (!st) {
      xai_interp *ip = h.ip;
      const size_t needed = h.need;
      size_t head = xai_interp_arena_head(ip);
      size_t used = xai_interp_arena_used(ip);
      fprintf(stderr, "%-36s arena %8zu (TFLM %8zu)  head %8zu (TFLM %8zu)\n",
              cases[i].model, used, cases[i].tflm_arena, head,
              cases[i].tflm_head);
      CHECK_EQ_INT(used, needed);
      CHECK(used <= cases[i].tflm_arena);
      CHECK(head <= cases[i].tflm_head);
      check_names(ip, model, size);
      c.arena_size = needed - 16;
      CHECK_EQ_INT(xai_interp_init(&ip, &c, &err), XAI_ERR_NO_MEMORY);
    }
    xai_test_heap_interp_free(&h);
    xai_file_free(model);
  }
  return xai_test_finish("runtime_test_arena_tflm");
}
