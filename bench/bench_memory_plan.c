/* bench_memory_plan [MODELS_DIR] [THREADS]: arena head per model.
 * Columns: the original model's greedy head (reference ops), the compiled
 * model's greedy head (the baseline the xformer must not exceed), the
 * compiled model's head with the xformer's OfflineMemoryAllocation plan, and
 * TFLite Micro's planned head from ../shared/bench/BASELINES.md.
 * MODELS_DIR defaults to $XAI_SHARED_DIR/models/tflm, THREADS to 5. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp_heap.h"
#include "xai/runtime.h"
#include "xai/xformer.h"

static int head_of(const uint8_t *model, size_t size,
                   const xai_op_resolver *res, xai_planner_kind kind,
                   size_t *head) {
  xai_interp_config c = xai_test_interp_config(model, size, NULL, 0);
  c.resolver = res;
  c.planner = kind;
  xai_error err;
  xai_test_heap_interp h;
  if (xai_test_heap_interp_init(&h, &c, &err)) return -1;
  *head = xai_interp_arena_head(h.ip);
  xai_test_heap_interp_free(&h);
  return 0;
}

/* TFLM's planned head for `model` (file name without .tflite) from the
 * BASELINES.md table "| model | min arena B | planned head B | ...". */
static long tflm_head(const char *baselines, const char *model) {
  FILE *f = fopen(baselines, "r");
  if (!f) return -1;
  char line[512];
  long head = -1;
  while (fgets(line, sizeof line, f)) {
    char name[128], arena[32], planned[32];
    if (sscanf(line, "| %127s | %31[0-9,] | %31[0-9,] |", name, arena,
               planned) != 3 ||
        strcmp(name, model) != 0)
      continue;
    head = 0;
    for (const char *p = planned; *p; p++)
      if (*p >= '0' && *p <= '9') head = head * 10 + (*p - '0');
    break;
  }
  fclose(f);
  return head;
}

int main(int argc, char **argv) {
  const char *shared = getenv("XAI_SHARED_DIR");
  if (!shared) shared = "../shared";
  char dir[1024], baselines[1024];
  if (argc > 1)
    snprintf(dir, sizeof dir, "%s", argv[1]);
  else
    snprintf(dir, sizeof dir, "%s/models/tflm", shared);
  snprintf(baselines, sizeof baselines, "%s/bench/BASELINES.md", shared);
  unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 5;
  static const char *const models[] = {
      "hello_world_int8", "simple_add_model", "micro_speech_quantized",
      "person_detect", "trained_lstm_int8", "micro_speech_lstm",
      "dtln_noise_suppression", "mobilenet_v2_quantized_1x3x224x224"};
  printf("%-36s %12s %12s %12s %12s\n", "model (threads)", "orig greedy",
         "xf greedy", "xf plan", "TFLM head");
  for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.tflite", dir, models[i]);
    uint8_t *model = NULL;
    size_t size = 0;
    xai_error err;
    if (xai_file_read(path, &model, &size, &err)) {
      printf("%-36s absent\n", models[i]);
      continue;
    }
    size_t orig = 0, greedy = 0, plan = 0;
    xai_xformer_options o;
    xai_xformer_options_init(&o);
    o.thread_count = threads;
    o.quiet = 1;
    uint8_t *out = NULL;
    size_t out_size = 0;
    int ok = head_of(model, size, xai_ref_resolver(), XAI_PLANNER_GREEDY,
                     &orig) == 0 &&
             xai_xformer_run(model, size, &o, &out, &out_size, NULL, NULL,
                             NULL, &err) == XAI_OK &&
             head_of(out, out_size, NULL, XAI_PLANNER_GREEDY, &greedy) == 0 &&
             head_of(out, out_size, NULL, XAI_PLANNER_AUTO, &plan) == 0;
    long tflm = tflm_head(baselines, models[i]);
    char label[64];
    snprintf(label, sizeof label, "%s (%u)", models[i], threads);
    if (ok)
      printf("%-36.36s %12zu %12zu %12zu %12ld\n", label, orig, greedy, plan,
             tflm);
    else
      printf("%-36.36s failed\n", label);
    free(out);
    free(model);
  }
  return 0;
}
