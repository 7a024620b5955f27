/* End to end with the emulator for a model whose weights live in a params
 * file: mobilenet_v2 (4 MB, far beyond one tile's 512 KiB SRAM; under ASan
 * person_detect, to stay fast) compiled by the xformer at 5 threads with
 * its weights split off, loaded
 *   - with the params in flash (flash image built in memory, programmed
 *     with FLASH_WRITE, SET_MODEL from entry 0), and
 *   - with everything in LPDDR (SET_PARAMS + SET_MODEL),
 * must give the same output bytes as the original model run in-process on
 * the reference kernels. Streaming from flash must cost more than from
 * LPDDR; the per-op-kind load/compute ratios are printed.
 * argv[1]: the xai_device_emulator executable. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emulator_proc.h"
#include "testlib.h"
#include "xai/host.h"
#include "xai/runtime.h"
#include "xai/xformer.h"
#include "interp_heap.h"

#if defined(__SANITIZE_ADDRESS__)
#define XAI_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XAI_TEST_ASAN 1
#endif
#endif

#define MAX_LAYERS 512

/* The original model on the reference kernels: the oracle. */
static int run_reference(const uint8_t *model, size_t size,
                         const uint8_t *input, size_t in_bytes, uint8_t *out,
                         size_t out_bytes) {
  xai_error err = {0};
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  cfg.resolver = xai_ref_resolver();
  xai_test_heap_interp h = {0};
  int rc = -1;
  if (xai_test_heap_interp_init(&h, &cfg, &err) == XAI_OK &&
      xai_interp_set_input(h.ip, 0, input, in_bytes, &err) == XAI_OK &&
      xai_interp_invoke(h.ip, &err) == XAI_OK &&
      xai_interp_output(h.ip, 0)->bytes == out_bytes) {
    memcpy(out, xai_interp_output(h.ip, 0)->data, out_bytes);
    rc = 0;
  }
  if (rc) fprintf(stderr, "  reference: %s\n", err.message);
  xai_test_heap_interp_free(&h);
  return rc;
}

typedef struct {
  uint64_t load, total;
  /* Load ticks right before, and compute ticks of, each op kind. */
  uint64_t fc_load, fc_compute, conv_load, conv_compute;
  xai_params_schedule sched;
} timing_summary;

/* consumer[i]: for load op i, the op that first reads what it loaded
 * (the xformer may hoist a load above an unrelated op so it can be
 * prefetched, so "the next op" is not it); -1 for other ops. Found from
 * the compiled model's graph on the host; layer i of GET_TIMINGS is op i
 * (no control flow in these models). */
static int32_t consumer[MAX_LAYERS];

static void find_consumers(const uint8_t *model, size_t size,
                           const uint8_t *params, size_t params_size) {
  for (uint32_t i = 0; i < MAX_LAYERS; i++) consumer[i] = -1;
  xai_error err = {0};
  xai_params_source src = xai_params_memory(params, params_size,
                                            XAI_PARAMS_RAM);
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  cfg.params = &src;
  xai_test_heap_interp h;
  if (xai_test_heap_interp_init(&h, &cfg, &err) == XAI_OK) {
    xai_interp *ip = h.ip;
    uint32_t n = xai_interp_op_count(ip);
    for (uint32_t i = 0; i < n && i < MAX_LAYERS; i++) {
      const xai_op_ctx *c = xai_interp_op(ip, i);
      if (!c || strcmp(c->op_name, "XAI_load_weights") != 0) continue;
      /* xai_interp_op reuses one context: keep op i's outputs (they point
       * into the model) before loading op j. */
      const int32_t *outs = c->outputs;
      uint32_t out_count = c->output_count;
      for (uint32_t j = i + 1; j < n && consumer[i] < 0; j++) {
        const xai_op_ctx *d = xai_interp_op(ip, j);
        for (uint32_t a = 0; a < d->input_count && consumer[i] < 0; a++)
          for (uint32_t b = 0; b < out_count; b++)
            if (d->inputs[a] >= 0 && d->inputs[a] == outs[b])
              consumer[i] = (int32_t)j;
      }
    }
  }
  xai_test_heap_interp_free(&h);
}

static void summarise(const xai_proto_layer_timing *l, uint32_t n,
                      timing_summary *s) {
  memset(s, 0, sizeof *s);
  static uint64_t ticks[MAX_LAYERS];
  static bool is_load[MAX_LAYERS];
  for (uint32_t i = 0; i < n && i < MAX_LAYERS; i++) {
    ticks[i] = l[i].ticks;
    is_load[i] = strcmp(l[i].op, "XAI_load_weights") == 0;
    s->total += l[i].ticks;
    if (strcmp(l[i].op, "XAI_fc") == 0) s->fc_compute += l[i].ticks;
    if (strcmp(l[i].op, "XAI_conv2d") == 0) s->conv_compute += l[i].ticks;
    if (!is_load[i]) continue;
    s->load += l[i].ticks;
    int32_t c = consumer[i];
    if (c < 0 || (uint32_t)c >= n) continue;
    if (strcmp(l[c].op, "XAI_fc") == 0) s->fc_load += l[i].ticks;
    if (strcmp(l[c].op, "XAI_conv2d") == 0) s->conv_load += l[i].ticks;
  }
  xai_params_schedule_totals(ticks, is_load, n < MAX_LAYERS ? n : MAX_LAYERS,
                             &s->sched);
}

static void print_summary(const char *where, const timing_summary *s) {
  fprintf(stderr,
          "  %-6s total %.3f ms (prefetched %.3f ms), loads %.3f ms; "
          "FULLY_CONNECTED load/compute %.1fx, CONV_2D load/compute %.2fx\n",
          where, s->total / 1e5, s->sched.prefetch_ticks / 1e5, s->load / 1e5,
          s->fc_compute ? (double)s->fc_load / (double)s->fc_compute : 0.0,
          s->conv_compute ? (double)s->conv_load / (double)s->conv_compute
                          : 0.0);
}

/* Loads, runs the input, checks the output against `want`. */
static void run_on_device(xai_host_device *dev, uint8_t engine,
                          const uint8_t *model, size_t model_size,
                          const uint8_t *params, size_t params_size,
                          xai_host_params_memory memory, const uint8_t *input,
                          size_t in_bytes, const uint8_t *want,
                          size_t out_bytes, timing_summary *sum) {
  xai_error err = {0};
  memset(sum, 0, sizeof *sum);
  xai_status st = xai_host_download_model_params(
      dev, engine, model, model_size, params, params_size, memory, NULL, NULL,
      &err);
  CHECK_EQ_INT(st, XAI_OK);
  if (st != XAI_OK) {
    fprintf(stderr, "  load: %s\n", err.message);
    return;
  }
  xai_proto_placement pl;
  CHECK(xai_host_last_placement(dev, &pl));
  CHECK_EQ_INT(pl.params, memory == XAI_HOST_PARAMS_FLASH ? XAI_PLACE_FLASH
                                                          : XAI_PLACE_LPDDR);
  CHECK_EQ_INT(pl.params_bytes, params_size);
  fprintf(stderr, "  model %u bytes in %s, arena %u bytes in %s, params %u "
          "bytes in %s\n", pl.model_bytes, xai_proto_place_name(pl.model),
          pl.arena_bytes, xai_proto_place_name(pl.arena), pl.params_bytes,
          xai_proto_place_name(pl.params));
  uint8_t *out = malloc(out_bytes);
  size_t got = 0;
  CHECK_EQ_INT(xai_host_write_input(dev, engine, 0, input, in_bytes, &err),
               XAI_OK);
  CHECK_EQ_INT(xai_host_invoke(dev, engine, &err), XAI_OK);
  CHECK_EQ_INT(xai_host_read_output(dev, engine, 0, out, out_bytes, &got,
                                    &err), XAI_OK);
  CHECK_EQ_INT(got, out_bytes);
  CHECK(got == out_bytes && memcmp(out, want, out_bytes) == 0);
  free(out);
  static xai_proto_layer_timing layers[MAX_LAYERS];
  uint32_t n = 0;
  CHECK_EQ_INT(xai_host_read_times(dev, engine, layers, MAX_LAYERS, &n, &err),
               XAI_OK);
  summarise(layers, n, sum);
}

int main(int argc, char **argv) {
  if (argc < 2 || access(argv[1], X_OK) != 0) {
    fprintf(stderr, "test_host_params_e2e: SKIP: xai_device_emulator is not "
            "built\n");
    return XAI_TEST_SKIP;
  }
  const char *models = xai_test_models_dir();
  if (!models) return XAI_TEST_SKIP;
#ifdef XAI_TEST_ASAN
  const char *rel = "tflm/person_detect.tflite";
#else
  const char *rel = "tflm/mobilenet_v2_quantized_1x3x224x224.tflite";
#endif
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", models, rel);
  xai_error err = {0};
  uint8_t *orig = NULL;
  size_t orig_size = 0;
  if (access(path, R_OK) != 0 ||
      xai_file_read(path, &orig, &orig_size, &err) != XAI_OK) {
    fprintf(stderr, "test_host_params_e2e: SKIP: %s is absent\n", path);
    return XAI_TEST_SKIP;
  }
  fprintf(stderr, "  model %s\n", rel);

  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.thread_count = 5;
  o.params_file = "unused.params"; /* asks for the split; nothing written */
  o.quiet = 1;
  xai_xformer_report rep;
  memset(&rep, 0, sizeof rep);
  uint8_t *model = NULL, *params = NULL;
  size_t model_size = 0, params_size = 0;
  xai_status st = xai_xformer_run(orig, orig_size, &o, &model, &model_size,
                                  &params, &params_size, &rep, &err);
  xai_xformer_report_free(&rep);
  CHECK_EQ_INT(st, XAI_OK);
  if (st != XAI_OK || !params) {
    fprintf(stderr, "  xformer: %s\n", err.message);
    return xai_test_finish("test_host_params_e2e");
  }
  fprintf(stderr, "  split: model %zu bytes, params %zu bytes\n", model_size,
          params_size);
  find_consumers(model, model_size, params, params_size);

  /* The reference output for a seeded input. */
  xai_interp_config cfg = xai_test_interp_config(orig, orig_size, NULL, 0);
  size_t in_bytes = 0, out_bytes = 0;
  {
    xai_test_heap_interp h;
    if (xai_test_heap_interp_init(&h, &cfg, &err) == XAI_OK) {
      in_bytes = xai_interp_input(h.ip, 0)->bytes;
      out_bytes = xai_interp_output(h.ip, 0)->bytes;
    }
    xai_test_heap_interp_free(&h);
  }
  CHECK(in_bytes > 0 && out_bytes > 0);
  uint8_t *input = malloc(in_bytes + 1), *want = malloc(out_bytes + 1);
  uint64_t seed = 0x5eed1234u;
  for (size_t i = 0; i < in_bytes; i++)
    input[i] = (uint8_t)(xai_test_rand(&seed) >> 56);
  CHECK_EQ_INT(run_reference(orig, orig_size, input, in_bytes, want,
                             out_bytes), 0);

  emulator_proc emu;
  const char *extra[] = {"--lpddr-mib", "64", "--flash-mib", "16",
                         "--flash-mbps", "50", NULL};
  if (emulator_start(&emu, argv[1], extra) != 0) {
    fprintf(stderr, "test_host_params_e2e: the emulator did not start\n");
    emulator_stop(&emu);
    return 1;
  }
  xai_host_device *dev = NULL;
  CHECK_EQ_INT(xai_host_connect(&dev, emu.device, 60000, &err), XAI_OK);
  if (dev) {
    timing_summary flash, lpddr;
    run_on_device(dev, 0, model, model_size, params, params_size,
                  XAI_HOST_PARAMS_FLASH, input, in_bytes, want, out_bytes,
                  &flash);
    run_on_device(dev, 1, model, model_size, params, params_size,
                  XAI_HOST_PARAMS_LPDDR, input, in_bytes, want, out_bytes,
                  &lpddr);
    print_summary("flash", &flash);
    print_summary("LPDDR", &lpddr);
    CHECK(lpddr.total > 0);
    CHECK(lpddr.load > 0);
    CHECK(flash.total > lpddr.total);
    CHECK(flash.load > lpddr.load);
    xai_host_close(dev);
  }
  emulator_stop(&emu);
  free(input);
  free(want);
  free(model);
  free(params);
  xai_file_free(orig);
  return xai_test_finish("test_host_params_e2e");
}
