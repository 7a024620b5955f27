/* bench_multitile (docs/multitile.md): a MobileNetV1 0.25 128x128 (500
 * classes, random weights) compiled for one tile with its weights in LPDDR
 * or flash, and over 2 tiles with no LPDDR and no flash (weights held on
 * tile 1, streamed over the inter-tile link): modelled latency with
 * prefetch, link bytes per inference and link busy share. Modelled ticks,
 * not wall time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/xformer/mobilenet_v1_gen.h"
#include "xai/xformer.h"

static void one(const char *label, const uint8_t *m, size_t n,
                const char *target, unsigned tiles) {
  FILE *f = fopen("bench_multitile.cfg", "w");
  if (!f) return;
  fputs(target, f);
  fclose(f);
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  o.params_file = "bench_multitile.params";
  o.target_config = "bench_multitile.cfg";
  o.tiles = tiles;
  uint8_t *out = NULL, *p = NULL;
  size_t os = 0, ps = 0;
  xai_xformer_report r;
  xai_error e;
  xai_error_clear(&e);
  if (xai_xformer_run(m, n, &o, &out, &os, &p, &ps, &r, &e)) {
    printf("%-34s refused: %.160s\n", label, e.message);
  } else {
    uint64_t lb = 0, lt = 0;
    for (uint32_t i = 0; i < r.tile_count; i++) {
      lb += r.tiles[i].link_bytes;
      lt += r.tiles[i].link_ticks;
    }
    printf("%-34s %-40s latency %7.3f ms (%.3f without prefetch), link "
           "%7llu bytes, busy %5.1f%%\n", label, r.placement, r.ms,
           (double)(r.ticks + r.load_hidden_ticks) / 1e5,
           (unsigned long long)lb, r.ticks ? 100.0 * (double)lt / (double)r.ticks : 0.0);
    xai_xformer_report_free(&r);
  }
  free(out);
  free(p);
  remove("bench_multitile.cfg");
}

int main(void) {
  uint8_t *m = NULL;
  size_t n = 0;
  xai_error e;
  xai_error_clear(&e);
  if (mnv1_build(1, 128, 500, &m, &n, &e)) {
    fprintf(stderr, "%s\n", e.message);
    return 1;
  }
  printf("MobileNetV1 0.25 128x128, 500 classes: %zu bytes (goal: 2 tiles "
         "within memory, link hidden under compute)\n", n);
  one("1 tile (LPDDR board), auto", m, n, "flash_mib = 16\n", 1);
  one("1 tile, flash only", m, n, "lpddr_mib = 0\n", 1);
  one("1 tile, SRAM only", m, n, "lpddr_mib = 0\nflash_mib = 0\n", 1);
  one("2 tiles, SRAM only", m, n, "lpddr_mib = 0\nflash_mib = 0\n", 2);
  one("4 tiles (2 chips), SRAM only", m, n,
      "lpddr_mib = 0\nflash_mib = 0\nchips = 2\n", 4);
  free(m);
  return 0;
}
