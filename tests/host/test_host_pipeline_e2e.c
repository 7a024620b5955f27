/* The layer pipeline executed on the device (docs/multitile.md, mode b):
 * xai_xformer_pipeline cuts a model into stages, one compiled model each;
 * on the emulator stage k runs on engine k (tile k, or tile k of a 2-chip
 * device for 4 stages), stage k's outputs go to stage k + 1's inputs over
 * the modelled link (LINK_INPUT), and INVOKE_TILES runs every stage at
 * once, each on another input: several inferences in flight. For a
 * generated MobileNetV1 0.25 64x64 (2 and 4 stages) and person_detect
 * (../shared/models, skipped if absent):
 *   - every input's output is the original model's bytes on the reference
 *     kernels (the oracle);
 *   - a stage gets the bytes the cut says over the link (GET_TILE_TIMINGS
 *     counts them on the sending tile), in modelled link time;
 *   - the modelled throughput (one input per slowest step) beats one
 *     tile's inferences per second; the latency (every stage in step) is
 *     printed beside the single-tile one.
 * argv[1]: the xai_device_emulator executable. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emulator_proc.h"
#include "interp_heap.h"
#include "mobilenet_v1_gen.h"
#include "testlib.h"
#include "xai/host.h"
#include "xai/runtime.h"
#include "xai/xformer.h"

#define MAX_LAYERS 256
#define INPUTS 5

static uint8_t *seeded_input(uint64_t seed, size_t n) {
  uint8_t *in = malloc(n);
  for (size_t i = 0; i < n; i++) in[i] = (uint8_t)(xai_test_rand(&seed) >> 56);
  return in;
}

/* The oracle: the original model on the reference kernels. */
static int oracle(const uint8_t *model, size_t size, uint8_t **in,
                  uint8_t **want, size_t *in_bytes, size_t *out_bytes) {
  xai_error err = {0};
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  cfg.resolver = xai_ref_resolver();
  xai_test_heap_interp h = {0};
  if (xai_test_heap_interp_init(&h, &cfg, &err)) return -1;
  *in_bytes = xai_interp_input(h.ip, 0)->bytes;
  for (int k = 0; k < INPUTS; k++) {
    in[k] = seeded_input(100 + (uint64_t)k, *in_bytes);
    if (xai_interp_set_input(h.ip, 0, in[k], *in_bytes, &err) ||
        xai_interp_invoke(h.ip, &err)) {
      xai_test_heap_interp_free(&h);
      return -1;
    }
    const xai_rt_tensor *o = xai_interp_output(h.ip, 0);
    *out_bytes = o->bytes;
    want[k] = malloc(o->bytes);
    memcpy(want[k], o->data, o->bytes);
  }
  xai_test_heap_interp_free(&h);
  return 0;
}

static uint32_t output_count(const uint8_t *model, size_t size) {
  xai_tfl_view v;
  xai_error err = {0};
  if (xai_tfl_open(&v, model, size, &err)) return 0;
  xai_tfl_subgraph sg;
  xai_tfl_get_subgraph(&v, 0, &sg);
  return sg.outputs.count;
}

static uint64_t total_ticks(xai_host_device *dev, uint8_t engine) {
  static xai_proto_layer_timing l[MAX_LAYERS];
  uint32_t n = 0;
  xai_error err = {0};
  CHECK_EQ_INT(xai_host_read_times(dev, engine, l, MAX_LAYERS, &n, &err),
               XAI_OK);
  uint64_t t = 0;
  for (uint32_t i = 0; i < n; i++) t += l[i].ticks;
  return t;
}

/* Engine e's last invoke: compute, and the activations it was sent. */
static uint64_t stage_ticks(xai_host_device *dev, uint8_t e,
                            uint64_t *in_bytes, uint64_t *in_ticks) {
  static xai_proto_layer_tile l[MAX_LAYERS];
  xai_proto_tile_timings tt;
  xai_error err = {0};
  CHECK_EQ_INT(xai_host_read_tile_times(dev, e, &tt, l, MAX_LAYERS, &err),
               XAI_OK);
  *in_bytes = *in_ticks = 0;
  for (uint32_t t = 0; t < tt.tiles; t++)
    if (t != e) {
      *in_bytes += tt.tile[t].link_bytes;
      *in_ticks += tt.tile[t].link_ticks;
    }
  return total_ticks(dev, e);
}

static void run_pipeline(const char *exe, const char *what,
                         const uint8_t *orig, size_t orig_size,
                         uint32_t stages) {
  uint8_t *in[INPUTS] = {0}, *want[INPUTS] = {0};
  size_t in_bytes = 0, out_bytes = 0;
  if (oracle(orig, orig_size, in, want, &in_bytes, &out_bytes)) {
    CHECK(!"the oracle run failed");
    return;
  }
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  xai_xformer_stages p;
  xai_error err = {0};
  uint8_t *one = NULL;
  size_t one_size = 0;
  CHECK_EQ_INT(xai_xformer_pipeline(orig, orig_size, &o, stages, &p, &err),
               XAI_OK);
  if (err.status) fprintf(stderr, "  pipeline: %s\n", err.message);
  CHECK_EQ_INT(xai_xformer_run(orig, orig_size, &o, &one, &one_size, NULL,
                               NULL, NULL, &err), XAI_OK);
  emulator_proc emu;
  const char *extra2[] = {"--lpddr-mib", "0", "--instant", NULL};
  const char *extra4[] = {"--chips", "2", "--lpddr-mib", "0", "--instant",
                          NULL};
  if (p.count != stages || !one) {
    CHECK(!"no pipeline");
    goto done;
  }
  if (emulator_start(&emu, exe, stages > 2 ? extra4 : extra2) != 0) {
    CHECK(!"the emulator did not start");
    emulator_stop(&emu);
    goto done;
  }
  xai_host_device *dev = NULL;
  CHECK_EQ_INT(xai_host_connect(&dev, emu.device, 60000, &err), XAI_OK);
  if (!dev) {
    emulator_stop(&emu);
    goto done;
  }
  /* One tile, one input at a time. */
  CHECK_EQ_INT(xai_host_download_model(dev, 0, one, one_size,
                                       XAI_MODEL_TO_SRAM, NULL, NULL, &err),
               XAI_OK);
  CHECK_EQ_INT(xai_host_write_input(dev, 0, 0, in[0], in_bytes, &err),
               XAI_OK);
  CHECK_EQ_INT(xai_host_invoke(dev, 0, &err), XAI_OK);
  uint64_t single = total_ticks(dev, 0);
  for (uint8_t k = 0; k < stages; k++) {
    CHECK_EQ_INT(xai_host_download_model(dev, k, p.model[k], p.size[k],
                                         XAI_MODEL_TO_SRAM, NULL, NULL,
                                         &err), XAI_OK);
    if (err.status) fprintf(stderr, "  stage %u: %s\n", k, err.message);
  }
  /* Step s: stage k works on input s - k. */
  uint64_t step_max = 0, link_bytes = 0;
  int exact = 0;
  uint8_t *got = malloc(out_bytes);
  for (uint32_t s = 0; s < INPUTS + stages - 1; s++) {
    uint32_t mask = 0;
    for (uint32_t k = stages; k-- > 0;) {
      if (s < k || s - k >= INPUTS) continue;
      mask |= 1u << k;
      if (k == 0) {
        CHECK_EQ_INT(xai_host_write_input(dev, 0, 0, in[s], in_bytes, &err),
                     XAI_OK);
        continue;
      }
      uint32_t n = output_count(p.model[k - 1], p.size[k - 1]);
      for (uint32_t j = 0; j < n; j++)
        CHECK_EQ_INT(xai_host_link_input(dev, (uint8_t)k, (uint16_t)j,
                                         (uint8_t)(k - 1), (uint8_t)j, &err),
                     XAI_OK);
    }
    CHECK_EQ_INT(xai_host_invoke_tiles(dev, mask, &err), XAI_OK);
    if (err.status) fprintf(stderr, "  step %u: %s\n", s, err.message);
    uint64_t step = 0;
    for (uint8_t k = 0; k < stages; k++) {
      if (!(mask & (1u << k))) continue;
      uint64_t ib = 0, it = 0;
      uint64_t t = stage_ticks(dev, k, &ib, &it);
      CHECK(ib == (k ? p.in_bytes[k] : 0));
      if (s == stages - 1) link_bytes += ib;
      /* The receiver waits for its input; the sender sends it. */
      /* what stage k + 1 receives next step: the same bytes */
      uint64_t out_link = k + 1u < stages ? p.link_in_ticks[k + 1] : 0;
      if (t + it + out_link > step) step = t + it + out_link;
    }
    if (step > step_max) step_max = step;
    uint32_t last = stages - 1;
    if (mask & (1u << last)) {
      size_t n = 0;
      CHECK_EQ_INT(xai_host_read_output(dev, (uint8_t)last, 0, got,
                                        out_bytes, &n, &err), XAI_OK);
      int k = (int)(s - last);
      bool same = n == out_bytes && !memcmp(got, want[k], n);
      if (!same) fprintf(stderr, "  %s: input %d differs\n", what, k);
      CHECK(same);
      exact += same;
    }
  }
  free(got);
  CHECK_EQ_INT(exact, INPUTS);
  double per_s = 1e8 / (double)step_max, single_per_s = 1e8 / (double)single;
  printf("%s over %u stages (first ops", what, stages);
  for (uint32_t k = 0; k < stages; k++) printf(" %u", p.first_op[k]);
  printf("): %d/%d inputs bit-exact; step %.3f ms (", exact, INPUTS,
         step_max / 1e5);
  for (uint32_t k = 0; k < stages; k++)
    printf("%s%.3f", k ? " + " : "", p.ticks[k] / 1e5);
  printf(" ms compute), %.0f inferences/s vs %.0f/s on one tile (%.3f ms); "
         "latency %.3f ms; %llu activation bytes over the links per "
         "inference; xformer plan %.0f/s\n", per_s, single_per_s,
         single / 1e5, step_max * stages / 1e5,
         (unsigned long long)link_bytes, p.per_s);
  CHECK(per_s > single_per_s);
  xai_host_close(dev);
  emulator_stop(&emu);
done:
  for (int k = 0; k < INPUTS; k++) {
    free(in[k]);
    free(want[k]);
  }
  free(one);
  xai_xformer_stages_free(&p);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s XAI_DEVICE_EMULATOR\n", argv[0]);
    return 2;
  }
  xai_error err = {0};
  uint8_t *mn = NULL;
  size_t mn_n = 0;
  CHECK_EQ_INT(mnv1_build_depth(4, 64, 10, 13, &mn, &mn_n, &err), XAI_OK);
  if (mn) {
    run_pipeline(argv[1], "MobileNetV1 0.25 64x64", mn, mn_n, 2);
    run_pipeline(argv[1], "MobileNetV1 0.25 64x64", mn, mn_n, 4);
  }
  free(mn);
  const char *dir = getenv("XAI_SHARED_DIR");
  char path[512];
  snprintf(path, sizeof path, "%s/models/tflm/person_detect.tflite",
           dir ? dir : "../shared");
  uint8_t *pd = NULL;
  size_t pd_n = 0;
  if (xai_file_read(path, &pd, &pd_n, &err) == XAI_OK) {
    run_pipeline(argv[1], "person_detect", pd, pd_n, 2);
    xai_file_free(pd);
  } else {
    printf("SKIP person_detect: %s\n", err.message);
  }
  return xai_test_finish("test_host_pipeline_e2e");
}
