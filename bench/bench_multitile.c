/* bench_multitile (docs/multitile.md): a MobileNetV1 0.25 128x128 (500
 * classes, random weights) compiled for one tile with its weights in LPDDR
 * or flash, and over 2 tiles with no LPDDR and no flash (weights held on
 * tile 1, streamed over the inter-tile link); the same with 2000 classes
 * over 2 chips; the channel split (mode c) at 1 and 2 tiles; and
 * mobilenet_v2 224 over 1/2/4 chips (the xformer allows 4) against one tile
 * with LPDDR or flash. Modelled latency with prefetch, throughput (with
 * several tiles, of the layer pipeline plan, mode b), link bytes per
 * inference and link busy share. Modelled ticks, not wall time. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/xformer/mobilenet_v1_gen.h"
#include "xai/common.h"
#include "xai/xformer.h"

static xai_xf_memory g_memory = XAI_XF_MEMORY_AUTO;
static unsigned g_threads = 5;

static void one(const char *label, const uint8_t *m, size_t n,
                const char *target, unsigned tiles, bool split_params) {
  FILE *f = fopen("bench_multitile.cfg", "w");
  if (!f) return;
  fputs("# bench_multitile\n", f);
  fputs(target, f);
  fclose(f);
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  if (split_params) o.params_file = "bench_multitile.params";
  o.target_config = "bench_multitile.cfg";
  o.tiles = tiles;
  o.memory = g_memory;
  o.thread_count = g_threads;
  uint8_t *out = NULL, *p = NULL;
  size_t os = 0, ps = 0;
  xai_xformer_report r;
  xai_error e;
  xai_error_clear(&e);
  if (xai_xformer_run(m, n, &o, &out, &os, &p, &ps, &r, &e)) {
    printf("%-34s refused: %s\n", label, e.message);
  } else {
    uint64_t lb = 0, lt = 0;
    for (uint32_t i = 0; i < r.tile_count; i++) {
      lb += r.tiles[i].link_bytes;
      lt += r.tiles[i].link_ticks;
    }
    printf("%-34s %-40s latency %8.3f ms (%.3f without prefetch), %7.1f "
           "inf/s, link %7llu bytes, busy %5.1f%%\n", label, r.placement,
           r.ms, (double)(r.ticks + r.load_hidden_ticks) / 1e5,
           r.pipe_stages > 1 ? r.pipe_per_s : r.ms > 0 ? 1000.0 / r.ms : 0.0,
           (unsigned long long)lb,
           r.ticks ? 100.0 * (double)lt / (double)r.ticks : 0.0);
    if (r.pipe_stages > 1)
      printf("%-34s   pipeline of %u stages (mode b): %.1f inf/s, stage 2 "
             "receives %llu bytes of activations\n", "", r.pipe_stages,
             r.pipe_per_s, (unsigned long long)r.pipe_link_bytes[1]);
    xai_xformer_report_free(&r);
  }
  free(out);
  free(p);
  remove("bench_multitile.cfg");
}

#ifndef XAI_SHARED_DIR
#define XAI_SHARED_DIR "../shared"
#endif

static const char *k_sram_only = "lpddr_mib = 0\nflash_mib = 0\n";

static void mobilenet_v1(void) {
  uint8_t *m = NULL;
  size_t n = 0;
  xai_error e;
  xai_error_clear(&e);
  if (mnv1_build(1, 128, 500, &m, &n, &e)) {
    fprintf(stderr, "%s\n", e.message);
    return;
  }
  printf("MobileNetV1 0.25 128x128, 500 classes: %zu bytes (goal: 2 tiles "
         "within memory, link hidden under compute)\n", n);
  one("1 tile (LPDDR board), auto", m, n, "flash_mib = 16\n", 1, true);
  one("1 tile, flash only", m, n, "lpddr_mib = 0\n", 1, true);
  one("1 tile, SRAM only", m, n, k_sram_only, 1, true);
  one("2 tiles, SRAM only", m, n, k_sram_only, 2, true);
  one("4 tiles (2 chips), SRAM only", m, n,
      "lpddr_mib = 0\nflash_mib = 0\nchips = 2\n", 4, true);
  free(m);
  if (mnv1_build(5, 128, 2000, &m, &n, &e)) return;
  printf("MobileNetV1 0.25 128x128, 2000 classes: %zu bytes (needs 3 tiles: "
         "2 chips)\n", n);
  one("1 tile, flash only", m, n, "lpddr_mib = 0\n", 1, true);
  one("2 tiles, SRAM only", m, n, k_sram_only, 2, true);
  one("4 tiles (2 chips), SRAM only", m, n,
      "lpddr_mib = 0\nflash_mib = 0\nchips = 2\n", 4, true);
  free(m);
}

/* Mode c: weights in the model, wide ops split over 2 tiles. */
static void channel_split(void) {
  uint8_t *m = NULL;
  size_t n = 0;
  xai_error e;
  xai_error_clear(&e);
  if (mnv1_build_depth(4, 64, 10, 13, &m, &n, &e)) return;
  printf("Channel split (mode c), MobileNetV1 0.25 64x64, 10 classes, "
         "weights in the model (goal: 2 tiles faster than 1)\n");
  for (g_threads = 1; g_threads <= 5; g_threads += 4) {
    char label[64];
    snprintf(label, sizeof label, "1 tile, %u thread(s)", g_threads);
    one(label, m, n, "", 1, false);
    snprintf(label, sizeof label, "2 tiles, channel split, %u", g_threads);
    one(label, m, n, "", 2, false);
  }
  g_threads = 5;
  free(m);
}

static void mobilenet_v2(void) {
  char path[1024];
  const char *shared = getenv("XAI_SHARED_DIR");
  snprintf(path, sizeof path,
           "%s/models/tflm/mobilenet_v2_quantized_1x3x224x224.tflite",
           shared ? shared : XAI_SHARED_DIR);
  uint8_t *m = NULL;
  size_t n = 0;
  xai_error e;
  xai_error_clear(&e);
  if (xai_file_read(path, &m, &n, &e)) {
    printf("mobilenet_v2: skipped (%s)\n", e.message);
    return;
  }
  printf("mobilenet_v2 224: %zu bytes (goal: over chips with no LPDDR and "
         "no flash; not met: its 2.46 MB arena and a single layer's "
         "activations do not fit a tile, weights over tiles do not help)\n",
         n);
  g_memory = XAI_XF_MEMORY_EXTERNAL;
  one("1 tile, all in LPDDR", m, n, "lpddr_mib = 64\n", 1, true);
  g_memory = XAI_XF_MEMORY_AUTO;
  one("1 tile, flash + LPDDR arena", m, n, "lpddr_mib = 64\n", 1, true);
  one("2 tiles (1 chip), SRAM only", m, n, k_sram_only, 2, true);
  one("4 tiles (2 chips), SRAM only", m, n,
      "lpddr_mib = 0\nflash_mib = 0\nchips = 2\n", 4, true);
  one("8 tiles (4 chips), SRAM only", m, n,
      "lpddr_mib = 0\nflash_mib = 0\nchips = 4\n", 8, true);
  xai_file_free(m);
}

int main(void) {
  mobilenet_v1();
  channel_split();
  mobilenet_v2();
  return 0;
}
