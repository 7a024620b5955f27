/* Device link figures against the emulator (skips when it is not built):
 *  - model download throughput (SET_MODEL, chunked, one reply per chunk);
 *  - round trip of SET_INPUT + INVOKE + GET_OUTPUT, and that minus the
 *    modelled device inference time (GET_TIMINGS), i.e. what the link and
 *    the emulator's host-side work add;
 *  - a HELLO ping, the bare request/reply latency.
 * The emulator is found via $XAI_DEVICE_EMULATOR or the build tree. Usage:
 *   bench_device [MODEL] [--repeat N]   (MODEL default: person_detect from
 *   the shared models, else examples/models/hello_conv_int8.tflite) */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xai/host.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int find_emulator(char *out, size_t cap) {
  const char *env = getenv("XAI_DEVICE_EMULATOR");
  if (env && *env) {
    snprintf(out, cap, "%s", env);
    return access(out, X_OK) == 0;
  }
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return 0;
  self[n] = '\0';
  char *slash = strrchr(self, '/');
  if (slash) *slash = '\0';
  int w = snprintf(out, cap, "%s/../tools/xai_device_emulator/"
                             "xai_device_emulator", self);
  return w > 0 && (size_t)w < cap && access(out, X_OK) == 0;
}

static int load_model(const char *given, uint8_t **data, size_t *size,
                      char *name, size_t cap) {
  xai_error err;
  xai_error_clear(&err);
  char path[PATH_MAX];
  const char *shared = getenv("XAI_SHARED_DIR");
  const char *candidates[3] = {given, NULL, NULL};
  char a[PATH_MAX], b[PATH_MAX];
  snprintf(a, sizeof a, "%s/models/tflm/person_detect.tflite",
           shared ? shared : "/work/shared");
  snprintf(b, sizeof b, "%s/examples/models/hello_conv_int8.tflite",
           getenv("XAI_SOURCE_DIR") ? getenv("XAI_SOURCE_DIR") : ".");
  if (!given) {
    candidates[0] = a;
    candidates[1] = b;
  }
  for (int i = 0; i < 3 && candidates[i]; i++) {
    snprintf(path, sizeof path, "%s", candidates[i]);
    xai_error_clear(&err);
    if (xai_file_read(path, data, size, &err) == XAI_OK) {
      snprintf(name, cap, "%s", path);
      return 0;
    }
  }
  fprintf(stderr, "bench_device: no model: %s\n", err.message);
  return -1;
}

int main(int argc, char **argv) {
  const char *model_arg = NULL;
  int repeat = 100;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
      repeat = atoi(argv[++i]);
    else
      model_arg = argv[i];
  }
  if (repeat < 1) repeat = 1;
  char exe[PATH_MAX];
  if (!find_emulator(exe, sizeof exe)) {
    printf("bench_device: SKIP: xai_device_emulator not found (build it or "
           "set XAI_DEVICE_EMULATOR)\n");
    return 0;
  }
  uint8_t *model = NULL;
  size_t model_size = 0;
  char model_name[PATH_MAX];
  if (load_model(model_arg, &model, &model_size, model_name,
                 sizeof model_name) != 0)
    return 1;

  char dir[] = "/tmp/xai-bench-XXXXXX";
  if (!mkdtemp(dir)) return 1;
  char sock[128], device[140];
  snprintf(sock, sizeof sock, "%s/dev.sock", dir);
  snprintf(device, sizeof device, "emu:%s", sock);
  pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    execl(exe, exe, "--socket", sock, "--foreground", (char *)NULL);
    _exit(127);
  }
  xai_error err;
  xai_error_clear(&err);
  xai_host_device *dev = NULL;
  for (int i = 0; i < 300 && !dev; i++) {
    if (xai_host_connect(&dev, device, 20000, &err) != XAI_OK) {
      struct timespec ts = {0, 10 * 1000000L};
      nanosleep(&ts, NULL);
    }
  }
  int rc = 1;
  if (!dev) {
    fprintf(stderr, "bench_device: %s\n", err.message);
    goto out;
  }
  printf("bench_device: %s, model %s (%zu bytes)\n", xai_host_description(dev),
         model_name, model_size);

  /* Download throughput: best of a few, so a scheduling hiccup does not
   * decide the figure. */
  double best = 1e9;
  for (int i = 0; i < 5; i++) {
    double t0 = now_s();
    if (xai_host_download_model(dev, 0, model, model_size, XAI_MODEL_TO_SRAM,
                                NULL, NULL, &err) != XAI_OK) {
      fprintf(stderr, "bench_device: %s\n", err.message);
      goto out;
    }
    double t = now_s() - t0;
    if (t < best) best = t;
  }
  printf("  download: %.3f ms for %zu bytes = %.1f MB/s (best of 5, "
         "includes the device's model load)\n",
         best * 1e3, model_size, (double)model_size / best / 1e6);

  xai_host_spec spec;
  if (xai_host_read_spec(dev, 0, &spec, &err) != XAI_OK) {
    fprintf(stderr, "bench_device: %s\n", err.message);
    goto out;
  }
  const xai_proto_tensor_info *in = xai_host_spec_input(&spec, 0);
  const xai_proto_tensor_info *out = xai_host_spec_output(&spec, 0);
  uint8_t *input = calloc(1, in->bytes), *output = malloc(out->bytes);
  xai_proto_layer_timing *layers = malloc(4096 * sizeof *layers);
  uint32_t count = 0;
  size_t got = 0;
  double t0 = now_s();
  for (int i = 0; i < repeat; i++) {
    if (xai_host_write_input(dev, 0, 0, input, in->bytes, &err) != XAI_OK ||
        xai_host_invoke(dev, 0, &err) != XAI_OK ||
        xai_host_read_output(dev, 0, 0, output, out->bytes, &got, &err) !=
            XAI_OK) {
      fprintf(stderr, "bench_device: %s\n", err.message);
      goto out;
    }
  }
  double round_trip = (now_s() - t0) / repeat;
  uint64_t ticks = 0;
  if (xai_host_read_times(dev, 0, layers, 4096, &count, &err) == XAI_OK)
    for (uint32_t i = 0; i < count; i++) ticks += layers[i].ticks;
  double modelled = (double)ticks / 1e8; /* 100 MHz timer */
  printf("  SET_INPUT+INVOKE+GET_OUTPUT: %.3f ms round trip (mean of %d); "
         "modelled device inference %.3f ms; difference %.3f ms\n",
         round_trip * 1e3, repeat, modelled * 1e3,
         (round_trip - modelled) * 1e3);
  printf("    (the emulator computes the inference on this host rather than "
         "waiting the modelled time, so the difference is link + emulator "
         "host work minus the modelled chip time)\n");
  t0 = now_s();
  for (int i = 0; i < repeat * 10; i++)
    if (xai_host_hello(dev, NULL, &err) != XAI_OK) goto out;
  printf("  HELLO ping: %.1f us\n", (now_s() - t0) / (repeat * 10) * 1e6);
  free(input);
  free(output);
  free(layers);
  rc = 0;
out:
  xai_host_close(dev);
  if (pid > 0) {
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
  }
  char p[200];
  snprintf(p, sizeof p, "%s/dev.sock", dir);
  unlink(p);
  snprintf(p, sizeof p, "%s/dev.sock.pid", dir);
  unlink(p);
  rmdir(dir);
  xai_file_free(model);
  return rc;
}
