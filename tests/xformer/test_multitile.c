/* A model that needs two tiles (docs/multitile.md): a MobileNetV1 0.25 at
 * 128x128 (500 classes: ~350 KB of weights, ~420 KB once packed for the
 * VPU) on a target with no LPDDR and no flash is
 * refused on one tile with a line naming the tiles that would hold it,
 * compiles over two tiles with each tile inside its SRAM budget, and runs
 * bit-exact with the original model (reference kernels) with its weights
 * read from the tiles' parts, the remote part costed at the link. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mobilenet_v1_gen.h"
#include "run_seeded.h"
#include "testlib.h"
#include "xai/runtime.h"
#include "xai/xcore_machine.h"
#include "xai/xformer.h"

#define BUDGET                                                                \
  (XAI_XCORE_SRAM_BYTES_PER_TILE - XAI_XCORE_FIRMWARE_BYTES_PER_TILE)

static const char *k_target = "mt_target.cfg";

static void write_target(void) {
  FILE *f = fopen(k_target, "w");
  CHECK(f != NULL);
  if (!f) return;
  fputs("# no LPDDR, no flash: only SRAM of the tiles\nlpddr_mib = 0\n"
        "flash_mib = 0\n", f);
  fclose(f);
}

static xai_status run(const uint8_t *model, size_t size,
                      const xai_params_source *src, uint8_t **out,
                      size_t *n, uint64_t *load_ticks, xai_error *err) {
  xai_interp_config c = xai_test_interp_config(model, size, NULL, 0);
  c.params = src;
  xai_status st = xai_test_run_seeded(&c, 7, out, n, err);
  (void)load_ticks;
  return st;
}

int main(void) {
  xai_error err;
  xai_error_clear(&err);
  uint8_t *model = NULL;
  size_t size = 0;
  CHECK_EQ_INT(mnv1_build(1, 128, 500, &model, &size, &err), XAI_OK);
  if (err.status) {
    fprintf(stderr, "build: %s\n", err.message);
    return xai_test_finish("xformer_test_multitile");
  }
  printf("MobileNetV1 0.25 128x128: %zu bytes\n", size);
  CHECK(size > 300000);
  write_target();

  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  o.params_file = "mt.params";
  o.target_config = k_target;
  uint8_t *out = NULL, *params = NULL;
  size_t out_size = 0, params_size = 0;
  xai_xformer_report rep;

  /* One tile: refused, and the line says two tiles would do. */
  CHECK_EQ_INT(xai_xformer_run(model, size, &o, &out, &out_size, &params,
                               &params_size, NULL, &err), XAI_ERR_NO_MEMORY);
  printf("1 tile: %s\n", err.message);
  CHECK(strstr(err.message, "--xcore-tiles 2") != NULL);
  xai_error_clear(&err);

  /* Three tiles need two chips: one line says so. */
  o.tiles = 3;
  CHECK_EQ_INT(xai_xformer_run(model, size, &o, &out, &out_size, &params,
                               &params_size, NULL, &err), XAI_ERR_ARGUMENT);
  CHECK(strstr(err.message, "--xcore-chips 2") != NULL);
  xai_error_clear(&err);
  CHECK_EQ_INT(xai_xformer_set_option(&o, "xcore-tiles", "9", &err),
               XAI_ERR_ARGUMENT);
  xai_error_clear(&err);

  /* Two tiles. */
  o.tiles = 2;
  CHECK_EQ_INT(xai_xformer_run(model, size, &o, &out, &out_size, &params,
                               &params_size, &rep, &err), XAI_OK);
  if (err.status) {
    fprintf(stderr, "2 tiles: %s\n", err.message);
    free(model);
    return xai_test_finish("xformer_test_multitile");
  }
  xai_xformer_report_print(&rep, stdout);
  CHECK_EQ_INT(rep.tile_count, 2);
  CHECK(strstr(rep.placement, "params=tiles") != NULL);
  size_t tile0 = ((out_size + 15u) & ~(size_t)15u) + rep.arena_bytes +
                 rep.tiles[0].weights_bytes;
  CHECK(tile0 <= BUDGET);
  CHECK(rep.tiles[1].weights_bytes <= BUDGET);
  CHECK(rep.tiles[1].weights_bytes > 0);
  CHECK_EQ_INT(rep.tiles[0].weights_bytes + rep.tiles[1].weights_bytes,
               params_size);
  CHECK(rep.tiles[1].link_ticks > 0);

  /* The parts as the device holds them: copies in separate blocks. */
  xai_params_tiles_state parts;
  bool has = false;
  CHECK_EQ_INT(xai_params_tiles_from_model(&parts, out, out_size, &has, &err),
               XAI_OK);
  CHECK(has);
  CHECK_EQ_INT(parts.count, 2);
  uint8_t *copy[XAI_PARAMS_MAX_PARTS] = {0};
  for (uint32_t i = 0; i < parts.count; i++) {
    copy[i] = malloc(parts.part[i].bytes);
    memcpy(copy[i], params + parts.part[i].offset, parts.part[i].bytes);
    parts.part[i].base = copy[i];
  }
  xai_params_source tiles_src, ram_src = xai_params_memory(params, params_size,
                                                           XAI_PARAMS_RAM);
  CHECK_EQ_INT(xai_params_tiles(&tiles_src, &parts, &err), XAI_OK);

  uint8_t *a = NULL, *b = NULL, *c = NULL;
  size_t na = 0, nb = 0, nc = 0;
  CHECK_EQ_INT(run(model, size, NULL, &a, &na, NULL, &err), XAI_OK);
  CHECK_EQ_INT(run(out, out_size, &tiles_src, &b, &nb, NULL, &err), XAI_OK);
  CHECK_EQ_INT(run(out, out_size, &ram_src, &c, &nc, NULL, &err), XAI_OK);
  if (err.status) fprintf(stderr, "run: %s\n", err.message);
  CHECK_EQ_INT(na, 500);
  CHECK(a && b && na == nb && memcmp(a, b, na) == 0);
  CHECK(a && c && na == nc && memcmp(a, c, na) == 0);
  /* the outputs are not degenerate */
  int distinct = 0;
  for (size_t i = 1; a && i < na; i++) distinct += a[i] != a[0];
  CHECK(distinct > 100);

  free(a);
  free(b);
  free(c);
  for (uint32_t i = 0; i < parts.count; i++) free(copy[i]);
  xai_xformer_report_free(&rep);
  free(out);
  free(params);
  free(model);
  remove(k_target);
  return xai_test_finish("xformer_test_multitile");
}
