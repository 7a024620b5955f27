/* bench_model_size [MODELS_DIR]: how much the xformer grows each model of
 * MODELS_DIR (default $XAI_SHARED_DIR/models/tflm, ../shared/...). The
 * model and its arena share a tile's SRAM, so the optimised model should
 * be no bigger than the original plus a few percent. Prints original
 * bytes, optimised bytes now, and the optimised bytes before the compact
 * blobs of XAI_conv2d / XAI_depthwise_conv2d / XAI_fc (measured at commit
 * 9e5b280 with 5 threads), for reference. Models the xformer refuses are
 * listed with the reason. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/xformer.h"

static const struct {
  const char *name;
  long before;
} k_models[] = {
    {"audio_preprocessor_int8.tflite", 0},
    {"dtln_noise_suppression.tflite", 387264},
    {"hello_world_float.tflite", 0},
    {"hello_world_int8.tflite", 7424},
    {"keyword_scrambled.tflite", 40784},
    {"keyword_scrambled_8bit.tflite", 35824},
    {"micro_speech_lstm.tflite", 177408},
    {"micro_speech_quantized.tflite", 88992},
    {"mobilenet_v2_quantized_1x3x224x224.tflite", 4488400},
    {"person_detect.tflite", 389184},
    {"simple_add_model.tflite", 3600},
    {"trained_lstm_int8.tflite", 19056},
};

int main(int argc, char **argv) {
  char dir[1024];
  const char *shared = getenv("XAI_SHARED_DIR");
  if (argc > 1)
    snprintf(dir, sizeof dir, "%s", argv[1]);
  else
    snprintf(dir, sizeof dir, "%s/models/tflm", shared ? shared : "../shared");
  printf("model size after the xformer (5 threads), %s\n", dir);
  printf("  %-42s %10s %10s %7s %10s %7s\n", "model", "original",
         "optimised", "growth", "before", "growth");
  for (size_t i = 0; i < sizeof k_models / sizeof k_models[0]; i++) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, k_models[i].name);
    uint8_t *data = NULL;
    size_t size = 0;
    xai_error err = {0};
    if (xai_file_read(path, &data, &size, &err) != XAI_OK) {
      printf("  %-42s skipped: %s\n", k_models[i].name, err.message);
      continue;
    }
    xai_xformer_options o;
    xai_xformer_options_init(&o);
    o.thread_count = 5;
    uint8_t *out = NULL, *params = NULL;
    size_t out_size = 0, params_size = 0;
    xai_xformer_report rep;
    xai_status st = xai_xformer_run(data, size, &o, &out, &out_size, &params,
                                    &params_size, &rep, &err);
    if (st != XAI_OK) {
      printf("  %-42s %10zu  not compiled: %.60s\n", k_models[i].name, size,
             err.message);
    } else {
      double g = 100.0 * ((double)out_size / (double)size - 1.0);
      long b = k_models[i].before;
      printf("  %-42s %10zu %10zu %+6.1f%% %10ld %+6.1f%%\n",
             k_models[i].name, size, out_size + params_size, g, b,
             b ? 100.0 * ((double)b / (double)size - 1.0) : 0.0);
      xai_xformer_report_free(&rep);
    }
    free(out);
    free(params);
    xai_file_free(data);
  }
  return 0;
}
