/* bench_xformer [MODELS_DIR]: the xformer's two headline figures.
 *  - person_detect: estimated device time per inference at 1 and 5
 *    threads (cycle model, SYSTEM.md section 4) next to the 30.55 ms and
 *    8.01 ms XMOS publishes for its own xformer on xcore.ai; our goal is
 *    at most half of theirs.
 *  - mobilenet_v2 224x224: xformer wall time (compile + report); goal
 *    under 1 s.
 * MODELS_DIR defaults to $XAI_SHARED_DIR/models/tflm (../shared/...).
 * Absent models are skipped. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "xai/xformer.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Compiles the model at `threads`; returns 0 and fills rep on success. */
static int compile(const uint8_t *model, size_t size, unsigned threads,
                   xai_xformer_report *rep, double *wall_s) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.thread_count = threads;
  uint8_t *out = NULL, *params = NULL;
  size_t out_size = 0, params_size = 0;
  xai_error err = {0};
  double t0 = now_s();
  xai_status st = xai_xformer_run(model, size, &o, &out, &out_size, &params,
                                  &params_size, rep, &err);
  *wall_s = now_s() - t0;
  free(out);
  free(params);
  if (st != XAI_OK) {
    fprintf(stderr, "bench_xformer: %s\n", err.message);
    return -1;
  }
  return 0;
}

static uint8_t *load(const char *dir, const char *name, size_t *size) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  uint8_t *data = NULL;
  xai_error err = {0};
  if (xai_file_read(path, &data, size, &err) != XAI_OK) {
    printf("skip %s: %s\n", name, err.message);
    return NULL;
  }
  return data;
}

static void bench_person_detect(const char *dir) {
  /* XMOS ai_tools README, person detection on xcore.ai (800 MHz) */
  static const struct {
    unsigned threads;
    double xmos_ms;
  } rows[] = {{1, 30.55}, {5, 8.01}};
  size_t size;
  uint8_t *model = load(dir, "person_detect.tflite", &size);
  if (!model) return;
  printf("person_detect (estimated device time per inference, 800 MHz)\n");
  printf("  %-8s %12s %12s %12s  %s\n", "threads", "xai ms", "XMOS ms",
         "goal ms", "MAC efficiency");
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    xai_xformer_report rep;
    double wall;
    if (compile(model, size, rows[i].threads, &rep, &wall)) continue;
    double goal = rows[i].xmos_ms / 2;
    printf("  %-8u %12.3f %12.2f %12.3f  %.1f%%  %s\n", rows[i].threads,
           rep.ms, rows[i].xmos_ms, goal, 100 * rep.mac_efficiency,
           rep.ms <= goal ? "goal met" : "goal NOT met");
    xai_xformer_report_free(&rep);
  }
  xai_file_free(model);
}

static void bench_compile_time(const char *dir) {
  size_t size;
  const char *name = "mobilenet_v2_quantized_1x3x224x224.tflite";
  uint8_t *model = load(dir, name, &size);
  if (!model) return;
  xai_xformer_report rep;
  double best = 1e9;
  for (int rep_i = 0; rep_i < 3; rep_i++) {
    double wall;
    if (compile(model, size, 5, &rep, &wall)) break;
    if (wall < best) best = wall;
    xai_xformer_report_free(&rep);
  }
  if (best < 1e9)
    printf("%s: xformer wall time %.3f s (best of 3, with report; goal "
           "< 1 s: %s)\n", name, best, best < 1.0 ? "met" : "NOT met");
  xai_file_free(model);
}

int main(int argc, char **argv) {
  char fallback[1024];
  const char *shared = getenv("XAI_SHARED_DIR");
  snprintf(fallback, sizeof fallback, "%s/models/tflm",
           shared ? shared : "../shared");
  const char *dir = argc > 1 ? argv[1] : fallback;
  bench_person_detect(dir);
  bench_compile_time(dir);
  return 0;
}
