/* bench_tile_exec (docs/multitile.md): what the device executes over tiles.
 *  - Channel split (mode c) on person_detect, vww_96_int8 and a generated
 *    MobileNetV1 0.25 64x64, where the cost model chooses it and
 *    everywhere (--xcore-tile-split), at 1 and 5 threads: modelled ms on
 *    1 and 2 tiles, the halves, and the link bytes and ticks they cost
 *    (input to tile 1, half output back).
 *    Goal (issue #16): 2 tiles faster than 1 in the model.
 *  - Layer pipeline (mode b) as the device runs it (xai_xformer_pipeline,
 *    stage models on engines): inferences/s and latency against one tile.
 *    Goal: more inferences/s than one tile.
 *  - mobilenet_v2 224 cut into 8 stages (4 chips, the most the xformer
 *    and the server address): per stage/tile the compiled model and arena
 *    bytes against a tile's 409,600, and per chip. Goal: runs over chips
 *    with no LPDDR and no flash.
 * Modelled ticks, not wall time. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/xformer/mobilenet_v1_gen.h"
#include "interp_heap.h"
#include "xai/common.h"
#include "xai/runtime.h"
#include "xai/xcore_machine.h"
#include "xai/xformer.h"

#ifndef XAI_SHARED_DIR
#define XAI_SHARED_DIR "../shared"
#endif

#define TILE_BUDGET \
  (XAI_XCORE_SRAM_BYTES_PER_TILE - XAI_XCORE_FIRMWARE_BYTES_PER_TILE)

static uint8_t *load_shared(const char *rel, size_t *n) {
  char path[1024];
  const char *shared = getenv("XAI_SHARED_DIR");
  snprintf(path, sizeof path, "%s/models/%s", shared ? shared : XAI_SHARED_DIR,
           rel);
  uint8_t *m = NULL;
  xai_error e;
  xai_error_clear(&e);
  if (xai_file_read(path, &m, n, &e)) {
    printf("%s: skipped (%s)\n", rel, e.message);
    return NULL;
  }
  return m;
}

/* Halves in a compiled model and their link bytes and ticks. */
static void halves(const uint8_t *m, size_t n, uint32_t *count,
                   uint64_t *bytes, uint64_t *ticks) {
  *count = 0;
  *bytes = *ticks = 0;
  xai_interp_config cfg = xai_test_interp_config(m, n, NULL, 0);
  xai_test_heap_interp h = {0};
  xai_error e;
  xai_error_clear(&e);
  if (xai_test_heap_interp_init(&h, &cfg, &e)) return;
  for (uint32_t i = 0; i < xai_interp_op_count(h.ip); i++) {
    uint32_t link = 0;
    if (!xai_interp_tile_par(h.ip, 0, i, &link)) continue;
    (*count)++;
    *ticks += link;
    *bytes += xai_interp_tile_par_bytes(h.ip, 0, i);
  }
  xai_test_heap_interp_free(&h);
}

static double compile_ms(const uint8_t *m, size_t n, unsigned tiles,
                         unsigned threads, bool force, uint8_t **out,
                         size_t *out_n) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  o.tiles = tiles;
  o.thread_count = threads;
  o.tile_split = force;
  xai_xformer_report r;
  xai_error e;
  xai_error_clear(&e);
  if (xai_xformer_run(m, n, &o, out, out_n, NULL, NULL, &r, &e)) {
    printf("  xformer: %s\n", e.message);
    return -1;
  }
  double ms = r.ms;
  xai_xformer_report_free(&r);
  return ms;
}

static void channel_split(const char *what, const uint8_t *m, size_t n) {
  for (unsigned threads = 1; threads <= 5; threads += 4)
    for (int force = 0; force < 2; force++) {
      uint8_t *one = NULL, *two = NULL;
      size_t one_n = 0, two_n = 0;
      double a = compile_ms(m, n, 1, threads, false, &one, &one_n);
      double b = compile_ms(m, n, 2, threads, force, &two, &two_n);
      uint32_t count = 0;
      uint64_t bytes = 0, ticks = 0;
      if (two) halves(two, two_n, &count, &bytes, &ticks);
      printf("  %-24s %u thr %-10s 1 tile %7.3f ms, 2 tiles %7.3f ms "
             "(%+5.1f%%), %2u halves, link %6llu bytes %6.3f ms (%5.1f%% of "
             "the 2-tile time)  [goal: faster: %s]\n", what, threads,
             force ? "all ops" : "cost model", a, b,
             a > 0 ? 100.0 * (b - a) / a : 0.0, count,
             (unsigned long long)bytes, ticks / 1e5,
             b > 0 ? 100.0 * ticks / 1e5 / b : 0.0,
             b < a ? "yes" : "no");
      free(one);
      free(two);
    }
}

static void pipeline(const char *what, const uint8_t *m, size_t n,
                     uint32_t stages) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  uint8_t *one = NULL;
  size_t one_n = 0;
  double single = compile_ms(m, n, 1, 5, false, &one, &one_n);
  free(one);
  xai_xformer_stages p;
  xai_error e;
  xai_error_clear(&e);
  if (xai_xformer_pipeline(m, n, &o, stages, &p, &e)) {
    printf("  %-24s %u stages: %s\n", what, stages, e.message);
    return;
  }
  uint64_t link = 0;
  for (uint32_t k = 1; k < p.count; k++) link += p.in_bytes[k];
  printf("  %-24s %u stages: %7.1f inf/s vs %7.1f on 1 tile (x%.2f), "
         "latency %.3f ms vs %.3f, %llu activation bytes over links  [goal: "
         "more inf/s: %s]\n", what, stages, p.per_s,
         single > 0 ? 1000.0 / single : 0.0,
         single > 0 ? p.per_s * single / 1000.0 : 0.0,
         p.latency_ticks / 1e5, single, (unsigned long long)link,
         single > 0 && p.per_s > 1000.0 / single ? "yes" : "no");
  xai_xformer_stages_free(&p);
}

static void mobilenet_v2_chips(const uint8_t *m, size_t n) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  xai_xformer_stages p;
  xai_error e;
  xai_error_clear(&e);
  uint32_t stages = 2 * XAI_XCORE_CHIPS_MAX;
  if (xai_xformer_pipeline(m, n, &o, stages, &p, &e)) {
    printf("  mobilenet_v2 over %u stages: %s\n", stages, e.message);
    return;
  }
  size_t chip[XAI_XCORE_CHIPS_MAX] = {0}, worst = 0;
  uint32_t over = 0;
  for (uint32_t k = 0; k < p.count; k++) {
    size_t need = p.size[k] + p.arena_bytes[k];
    chip[k / 2] += need;
    over += need > TILE_BUDGET;
    if (need > worst) worst = need;
    printf("  stage %u (chip %u tile %u): ops from %3u, model %8zu + arena "
           "%8zu = %8zu bytes of %u: %s\n", k, k / 2, k % 2, p.first_op[k],
           p.size[k], p.arena_bytes[k], need, TILE_BUDGET,
           need > TILE_BUDGET ? "does not fit" : "fits");
  }
  for (uint32_t c = 0; c < XAI_XCORE_CHIPS_MAX; c++)
    printf("  chip %u: %zu bytes needed of %u\n", c, chip[c],
           2 * TILE_BUDGET);
  size_t models = 0;
  for (uint32_t k = 0; k < p.count; k++) models += p.size[k];
  printf("  mobilenet_v2 over %u chips, no LPDDR, no flash: %u of %u tiles "
         "over budget, largest %zu bytes (%.1fx a tile); the stage models "
         "alone are %zu bytes against %u in all %u tiles  [goal: runs: no; "
         "a stage is at least one layer, and one layer's activations exceed "
         "a tile]\n", XAI_XCORE_CHIPS_MAX, over, p.count, worst,
         (double)worst / TILE_BUDGET, models, p.count * TILE_BUDGET,
         p.count);
  xai_xformer_stages_free(&p);
}

int main(void) {
  printf("Channel split (mode c) executed on 2 tiles:\n");
  uint8_t *mn = NULL;
  size_t mn_n = 0;
  xai_error e;
  xai_error_clear(&e);
  if (mnv1_build_depth(4, 64, 10, 13, &mn, &mn_n, &e) == XAI_OK)
    channel_split("MobileNetV1 0.25 64x64", mn, mn_n);
  size_t pd_n = 0, vw_n = 0, mv2_n = 0;
  uint8_t *pd = load_shared("tflm/person_detect.tflite", &pd_n);
  uint8_t *vw = load_shared("mlperf_tiny/vww_96_int8.tflite", &vw_n);
  if (pd) channel_split("person_detect", pd, pd_n);
  if (vw) channel_split("vww_96_int8", vw, vw_n);
  printf("Layer pipeline (mode b) as the device runs it, 5 threads:\n");
  if (mn) {
    pipeline("MobileNetV1 0.25 64x64", mn, mn_n, 2);
    pipeline("MobileNetV1 0.25 64x64", mn, mn_n, 4);
  }
  if (pd) pipeline("person_detect", pd, pd_n, 2);
  if (vw) pipeline("vww_96_int8", vw, vw_n, 2);
  printf("mobilenet_v2 224 over chips, per stage:\n");
  uint8_t *mv2 =
      load_shared("tflm/mobilenet_v2_quantized_1x3x224x224.tflite", &mv2_n);
  if (mv2) mobilenet_v2_chips(mv2, mv2_n);
  free(mn);
  xai_file_free(pd);
  xai_file_free(vw);
  xai_file_free(mv2);
  return 0;
}
